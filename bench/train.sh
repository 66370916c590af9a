#!/usr/bin/env bash
# tfm-train throughput: one epoch of each architecture on the train split of sites.tsv.gz
# (56,494 rows; batch 32, Adam) with 1 and 2 threads. Figures come from the tool's own epoch
# line: training seconds for the epoch and samples/s (loading, encoding and validation are
# reported separately as the total; CPU = user + system seconds of the whole run, which on a
# busy machine says more than the wall time). EPOCHS=N in the environment trains N epochs.
# targetfm (the TargetFM1 head) trains on the deterministic full-size RNA-FM (--rnafm-det 1,
# d 640) over FM_ROWS rows of sites.tsv.gz (every k-th, default 2,000): embedding each distinct
# input once is the expensive part (about 10 inputs/s per thread) and is reported on its own,
# with inputs per CPU second (the whole run's CPU time, nearly all of it embedding).
# BASELINE=path/to/another/tfm-train runs every measurement with that binary too, right before
# this build's, and labels the rows (old vs new side by side, in one run on the same machine).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
if [ ! -f "$D/README.md" ]; then echo "skip: train benchmark: TFM_DATA ($D) not found"; exit 0; fi
train=$top/bin/tfm-train
epochs=${EPOCHS:-1}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bins=("$train") labels=("")
if [ -n "${BASELINE:-}" ]; then bins=("$BASELINE" "$train") labels=("baseline  " "this build"); fi
for arch in targetnet deeptarget; do
    for t in 1 2; do
        for b in "${!bins[@]}"; do
            /usr/bin/time -f "cpu %U %S" -o "$tmp/time" "${bins[$b]}" --arch "$arch" -e "$epochs" -t "$t" \
                "$D/miraw/train/sites.tsv.gz" -o "$tmp/m.safetensors" 2> "$tmp/err"
            awk -v arch="$arch" -v t="$t" -v lab="${labels[$b]}" -v cpu="$(awk '{print $2 + $3}' "$tmp/time")" '
                $2 == "epoch" { s += substr($7, 2); n++; vl = $13; va = $15; vu = $17 }
                / in all/ { for (i = 1; i <= NF; i++) if ($(i+1) == "s" && $(i+2) == "in") all = $i }
                END { printf "%s%-10s threads %d  %6.1f s/epoch  %6.0f samples/s  CPU %.1f s (%d epoch(s), %.1f s wall in all; last epoch val loss %s accuracy %s roc-auc %s)\n",
                             lab == "" ? "" : lab "  ", arch, t, s / n, 56494 * n / s, cpu, n, all, vl, va, vu }' "$tmp/err"
        done
    done
done
rows=${FM_ROWS:-2000}
gzip -dc "$D/miraw/train/sites.tsv.gz" | awk -v k=$((62653 / rows)) 'NR == 1 || (NR - 1) % k == 0' |
    head -n $((rows + 1)) > "$tmp/sub.tsv"
for t in 1 2; do
    /usr/bin/time -f "cpu %U %S" -o "$tmp/time" "$train" --arch targetfm --rnafm-det 1 -e "$epochs" -t "$t" \
        "$tmp/sub.tsv" -o "$tmp/m.safetensors" 2> "$tmp/err"
    awk -v t="$t" -v rows="$rows" -v cpu="$(awk '{print $2 + $3}' "$tmp/time")" '
        $4 == "training" && $5 == "samples" { ns = $3 }
        / embedded / { for (i = 1; i <= NF; i++) { if ($i == "embedded") en = $(i + 1); if ($i == "in" && $(i + 2) == "s") es = $(i + 1) } }
        $2 == "epoch" { s += substr($7, 2); n++; vl = $13; va = $15; vu = $17 }
        END { printf "%-10s threads %d  %6.1f s/epoch  %6.0f samples/s  embedding %.1f s (%d inputs, %.1f inputs/s)  CPU %.1f s, %.1f inputs per CPU s (%d rows, %d epoch(s); last epoch val loss %s accuracy %s roc-auc %s)\n",
                     "targetfm", t, s / n, ns * n / s, es, en, en / es, cpu, en / cpu, rows, n, vl, va, vu }' "$tmp/err"
done
