#!/usr/bin/env bash
# Scoring: one miRAW test set through TargetNet and through tfm's default model (seed | score)
# with 1 and 2 threads, against the cblas_sgemm peak measured in the same run; then the accuracy
# figures of the published models on sets 0-4 (TargetNet on esa windows; deepTarget on
# offset-9-mer-m7 windows, corrected and --compat targetfm search), each beside the miRNA-prior
# baseline.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
case $D in /*) ;; *) D=$top/$D ;; esac
if [ ! -f "$D/README.md" ]; then echo "skip: score benchmark: TFM_DATA ($D) not found"; exit 0; fi
PATH=$top/bin:$PATH
benchbin=${1:-$top/build/rel/bench}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$benchbin/bench_nn" --peak
# pipeline SEED_ARGS SCORE_ARGS: miRAW_Test0 through tfm-seed | tfm-score with 1 and 2 threads
pipeline() {
    for t in 1 2; do
        start=$(date +%s.%N)
        tfm-seed $1 -p "$D/miraw/test/miRAW_Test0.txt.gz" | tfm-score -v -t $t $2 > /dev/null 2> "$tmp/err"
        end=$(date +%s.%N)
        printf '  threads %d: pipeline %.2f s wall; %s\n' $t "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" "$(sed 's/^tfm-score: //' "$tmp/err")"
    done
}
echo "TargetNet, miRAW_Test0 (tfm-seed -m esa | tfm-score; wall time of the whole pipeline):"
pipeline "-m esa" "-m $D/models/TargetNet.pt"
echo "tfm's default model (deepTarget architecture), miRAW_Test0 (tfm-seed | tfm-score):"
pipeline "" ""

# figures MODEL MODE [SEED OPTIONS]: tfm-acc rows (per set, mean) with the miRNA prior beside them
figures() {
    local model=$1 mode=$2; shift 2
    for k in 0 1 2 3 4; do
        tfm-seed -t 2 -m "$mode" "$@" -p "$D/miraw/test/miRAW_Test$k.txt.gz" | tfm-score -t 2 --model "$D/models/$model" |
            tfm-aggregate | awk -v k=$k -v OFS='\t' 'NR == 1 {if (k == 0) print $0, "set"; next} {print $0, k}'
    done | tfm-acc --prior "$D/miraw/train/sites.tsv.gz" | cut -f 1,2,7,12,13 | sed 's/^/  /'
}
echo "TargetNet.pt, esa windows (TargetNet's own code: acc 0.7162 0.7381 0.7245 0.7217 0.7299):"
figures TargetNet.pt esa
echo "deepTarget_weights.pt, offset-9-mer-m7, corrected (reverse-complement) seed search:"
figures deepTarget_weights.pt offset-9-mer-m7
echo "deepTarget_weights.pt, offset-9-mer-m7, --compat targetfm (the original forward-complement search):"
figures deepTarget_weights.pt offset-9-mer-m7 --compat targetfm
