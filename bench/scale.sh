#!/usr/bin/env bash
# Transcriptome-scale benchmark: tfm-seed | tfm-score | tfm-aggregate, all-vs-all, on a synthetic
# transcriptome (scripts/synth_utrs.py: miRAW 3'UTR length distribution, fixed seed) x the human
# miRNAs of $TFM_DATA/mirna/mirna.fasta.gz, with figures per stage and projections.
#
#   bash bench/scale.sh [NUTR [NMIR [MODEL]]]
#     NUTR   synthetic 3'UTRs (the first NUTR of the 100,000-UTR transcriptome)  [200]
#     NMIR   miRNAs (the first NMIR of mirna.fasta.gz, at most 2,042)           [2042]
#     MODEL  default: tfm's default model, no options (its 10-mer-m7 windows)   [default]
#            deeptarget: deepTarget_weights.pt on tfm-seed -m offset-9-mer-m7 sites
#            targetnet:  TargetNet.pt on tfm-seed -m esa windows (about 300 times more rows
#                        per pair: use small NUTR x NMIR, e.g. 10 100)
#   THREADS=2 (tfm-seed and tfm-score threads)
#
# Each stage runs under /usr/bin/time inside the pipe: its CPU seconds (user + sys) and peak RSS
# are its own; pairs/s and Mnt/s are per CPU second of that stage (a pipeline on C cores runs at
# most C times that of its slowest stage). Projections assume the work splits into shards with
# `tfm-seed --shard K/N` (no communication), so time = total CPU seconds / cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
case $D in /*) ;; *) D=$top/$D ;; esac
export TFM_DATA=$D
if [ ! -f "$D/README.md" ]; then echo "skip: scale benchmark: TFM_DATA ($D) not found"; exit 0; fi
if [ ! -x /usr/bin/time ]; then echo "skip: scale benchmark: /usr/bin/time not installed (Debian: time)"; exit 0; fi
nutr=${1:-200} nmir=${2:-2042} kind=${3:-default} threads=${THREADS:-2}
case $kind in
default) mode=10-mer-m7 model=$top/models/tfm-default.safetensors ;;
deeptarget) mode=offset-9-mer-m7 model=$D/models/deepTarget_weights.pt ;;
targetnet) mode=esa model=$D/models/TargetNet.pt ;;
*) echo "bench/scale.sh: MODEL must be default, deeptarget or targetnet, not '$kind'" >&2; exit 2 ;;
esac
bin=$top/bin
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

python3 "$top/scripts/synth_utrs.py" -n "$nutr" -o "$tmp/utrs.fa.gz" 2> /dev/null
gzip -dc "$D/mirna/mirna.fasta.gz" | awk -v n="$nmir" '/^>/ {k++} k <= n' > "$tmp/mirnas.fa"
nmir=$(grep -c '>' "$tmp/mirnas.fa")
utr_nt=$(gzip -dc "$tmp/utrs.fa.gz" | awk '!/^>/ {n += length($0)} END {print n}')

T="/usr/bin/time -f %e\t%U\t%S\t%M"
t0=$(date +%s.%N)
$T -o "$tmp/t.seed" "$bin/tfm-seed" -q -v -t "$threads" -m $mode "$tmp/mirnas.fa" "$tmp/utrs.fa.gz" 2> "$tmp/v.seed" |
    $T -o "$tmp/t.score" "$bin/tfm-score" -v -t "$threads" --model "$model" 2> "$tmp/v.score" |
    $T -o "$tmp/t.agg" "$bin/tfm-aggregate" 2> "$tmp/v.agg" > "$tmp/pairs.tsv"
t1=$(date +%s.%N)
for s in seed score agg; do [ -s "$tmp/t.$s" ] || { echo "bench/scale.sh: stage $s failed:" >&2; cat "$tmp/v.$s" >&2; exit 1; }; done
rows=$(tail -n +2 "$tmp/pairs.tsv" | wc -l)
sites=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "sites,") print $i}' "$tmp/v.seed")

echo "tfm scale benchmark: $nutr synthetic 3'UTRs ($utr_nt nt) x $nmir miRNAs, mode $mode, model $(basename "$model"), $threads threads"
awk -v pairs="$((nutr * nmir))" -v utr_nt="$utr_nt" -v nutr="$nutr" -v nmir="$nmir" -v rows="$rows" \
    -v sites="$sites" -v wall="$(echo "$t1 - $t0" | bc)" -v threads="$threads" -F'\t' '
    FNR == 1 { stage = FILENAME; sub(/.*\/t\./, "", stage); n++; name[n] = stage
               cpu[n] = $2 + $3; rss[n] = $4 / 1024; tot += cpu[n]; rsum += rss[n] }
    END {
        mnt = utr_nt * nmir / 1e6
        printf "  %-14s %10s %12s %10s %12s\n", "stage", "CPU s", "pairs/s", "Mnt/s", "peak RSS MB"
        for (i = 1; i <= n; i++)
            printf "  %-14s %10.2f %12s %10s %12.1f\n", name[i], cpu[i], num(pairs / cpu[i]), num(mnt / cpu[i]), rss[i]
        printf "  %-14s %10.2f %12s %10s %12.1f  (RSS: sum of the stages)\n", "pipeline", tot, num(pairs / tot), num(mnt / tot), rsum
        printf "  %d pairs (%.1f M pair-nt), %s sites scored, %d pair rows out; wall %.1f s on this shared machine\n",
            pairs, mnt, sites, rows, wall
        if (rows != pairs) { printf "  ERROR: %d pair rows, want %d\n", rows, pairs; exit 1 }
        printf "  memory: %.0f MB for the whole pipeline (sum of the peaks of the stages): %s the 500 MB bound\n",
            rsum, rsum < 500 ? "within" : "OVER"
        # projections: CPU seconds scale with pair-nt (miRNAs x UTR nt); mean 3UTR 2,074 nt
        split("100000 2042 100,000 synthetic UTRs x 2,042 miRNAs|100000 2656 human: 100,000 3UTR isoforms x 2,656 mature miRNAs (miRBase 22)", P, "|")
        for (p = 1; p <= 2; p++) {
            split(P[p], f, " "); label = P[p]; sub(/^[0-9]+ [0-9]+ /, "", label)
            scale = f[1] * 2074.0 * f[2] / (utr_nt * nmir)
            c = tot * scale
            printf "  projection, %s: %.3g CPU h; %s on 2 cores, %s on 64 cores (measured wall here: %s)\n",
                label, c / 3600, dur(c / 2), dur(c / 64), dur(wall * scale)
        }
    }
    function num(x) { return x >= 100 ? sprintf("%.0f", x) : sprintf("%.3g", x) }
    function dur(s) { return s < 3600 ? sprintf("%.0f min", s / 60) : s < 172800 ? sprintf("%.1f h", s / 3600) : sprintf("%.1f days", s / 86400) }
    ' "$tmp/t.seed" "$tmp/t.score" "$tmp/t.agg"
sed 's/^/  /' "$tmp/v.seed" "$tmp/v.score"
