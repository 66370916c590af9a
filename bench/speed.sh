#!/usr/bin/env bash
# All-vs-all speed against earlier versions, side by side in one run (issue #15: human
# all-vs-all, 100,000 3'UTRs x 2,656 miRNAs, in an hour on 2 cores = ~37,000 pairs per CPU s).
#
#   bash bench/speed.sh [NUTR [REPEATS]]
#     NUTR     synthetic 3'UTRs (scripts/synth_utrs.py, fixed seed) x every miRNA of
#              $TFM_DATA/mirna/mirna.fasta.gz                                         [40]
#     REPEATS  runs per version; each stage's figure is its least CPU time over them      [2]
#   BASELINES="566ec7c 24ed13a" (commits: 566ec7c = issue #15 filed, 24ed13a = main when the
#   speed work started); each is built once from git (git archive, make) into
#   build/bench-base/COMMIT and kept there.
#
# Every version runs its own default pipeline, no options, one thread per stage:
#     tfm-seed MIRNAS UTRS | tfm-score | tfm-aggregate
# on the same input. Each stage runs under /usr/bin/time inside the pipe: its CPU seconds
# (user + sys) are its own. pairs/CPU s = pairs / CPU s of the stage (pipeline: of the three).
# Projections: CPU seconds scale with pair-nt (miRNAs x UTR nt, mean human 3'UTR 2,074 nt);
# time on C cores = CPU seconds / C (shards of tfm-seed --shard K/N, no communication).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
case $D in /*) ;; *) D=$top/$D ;; esac
export TFM_DATA=$D
if [ ! -f "$D/mirna/mirna.fasta.gz" ]; then echo "skip: speed benchmark: TFM_DATA ($D) not found"; exit 0; fi
if [ ! -x /usr/bin/time ]; then echo "skip: speed benchmark: /usr/bin/time not installed (Debian: time)"; exit 0; fi
nutr=${1:-40} reps=${2:-2}
baselines=${BASELINES-566ec7c 24ed13a}

# the baselines' tools, built once per commit
declare -A bin
for c in $baselines; do
    dir=$top/build/bench-base/$c
    if [ ! -x "$dir/bin/tfm-aggregate" ]; then
        if ! git -C "$top" rev-parse -q --verify "$c^{commit}" > /dev/null; then
            echo "skip: speed benchmark: baseline $c is not in this repository"; exit 0
        fi
        rm -rf "$dir" && mkdir -p "$dir"
        git -C "$top" archive "$c" | tar -x -C "$dir"
        make -s -C "$dir" -j2 bin/tfm-seed bin/tfm-score bin/tfm-aggregate > "$dir/build.log" 2>&1 ||
            { echo "bench/speed.sh: building $c failed (see $dir/build.log)" >&2; exit 1; }
    fi
    bin[$c]=$dir/bin
done
bin[this]=$top/bin

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$top/scripts/synth_utrs.py" -n "$nutr" -o "$tmp/utrs.fa.gz" 2> /dev/null
gzip -dc "$D/mirna/mirna.fasta.gz" > "$tmp/mirnas.fa"
nmir=$(grep -c '>' "$tmp/mirnas.fa")
utr_nt=$(gzip -dc "$tmp/utrs.fa.gz" | awk '!/^>/ {n += length($0)} END {print n}')

T="/usr/bin/time -f %U\t%S"
for v in $baselines this; do
    b=${bin[$v]}
    for r in $(seq "$reps"); do
        $T -o "$tmp/t.seed" "$b/tfm-seed" "$tmp/mirnas.fa" "$tmp/utrs.fa.gz" 2> /dev/null |
            $T -o "$tmp/t.score" "$b/tfm-score" 2> /dev/null |
            $T -o "$tmp/t.agg" "$b/tfm-aggregate" > "$tmp/pairs.$v.tsv" 2> /dev/null
        for s in seed score agg; do
            [ -s "$tmp/t.$s" ] || { echo "bench/speed.sh: $v: stage $s failed" >&2; exit 1; }
            printf '%s\t%s\t%s\n' "$v" "$s" "$(awk -F'\t' '{print $1 + $2}' "$tmp/t.$s")"
        done >> "$tmp/cpu.tsv"
    done
    rows=$(tail -n +2 "$tmp/pairs.$v.tsv" | wc -l)
    [ "$rows" = $((nutr * nmir)) ] || { echo "bench/speed.sh: $v: $rows pair rows, want $((nutr * nmir))" >&2; exit 1; }
done

echo "tfm speed benchmark: $nutr synthetic 3'UTRs ($utr_nt nt) x $nmir miRNAs = $((nutr * nmir)) pairs, default pipeline of each version, 1 thread per stage, least CPU s of $reps runs"
awk -F'\t' -v pairs=$((nutr * nmir)) -v scale="$(echo "100000 * 2074 * 2656 / ($utr_nt * $nmir)" | bc -l)" \
    -v order="$baselines this" -v head="$(git -C "$top" rev-parse --short HEAD 2> /dev/null || echo '?')" '
    { k = $1 SUBSEP $2; if (!(k in cpu) || $3 < cpu[k]) cpu[k] = $3 }
    END {
        n = split(order, V, " ")
        for (i = 1; i <= n; i++) tot[V[i]] = cpu[V[i], "seed"] + cpu[V[i], "score"] + cpu[V[i], "agg"]
        printf "  %-16s %24s %24s %24s %24s %9s %9s %9s\n", "version", "seed CPU s (pairs/s)", "score CPU s (pairs/s)",
            "aggregate CPU s (pairs/s)", "pipeline CPU s (pairs/s)", "x first", "2 cores", "64 cores"
        for (i = 1; i <= n; i++) {
            v = V[i]; name = v == "this" ? "this (" head ")" : v
            line = sprintf("  %-16s", name)
            split("seed score agg", S, " ")
            for (s = 1; s <= 3; s++) line = line sprintf(" %24s", sprintf("%.2f (%.0f)", cpu[v, S[s]], pairs / cpu[v, S[s]]))
            h = tot[v] * scale / 3600
            printf "%s %24s %8.1fx %8.1fh %8.2fh\n", line, sprintf("%.2f (%.0f)", tot[v], pairs / tot[v]),
                tot[V[1]] / tot[v], h / 2, h / 64
        }
        printf "  x first: CPU seconds per pair of %s over those of the version; 2 / 64 cores: the human all-vs-all (100,000 3UTRs x 2,656 miRNAs, 266 M pairs) projected from pair-nt\n", V[1]
        printf "  goal (issue #15): 1 hour on 2 cores = %.0f pairs/CPU s at this input'"'"'s mean UTR length; this version: %.2f h\n",
            pairs * scale / 7200, tot["this"] * scale / 7200
    }' "$tmp/cpu.tsv"
