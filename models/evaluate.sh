#!/usr/bin/env bash
# Figures of a model for its model card (models/README.md), from $TFM_DATA:
#   - site level: the val split of miraw/train/sites.tsv.gz, each 40-nt site searched as a
#     transcript and scored through the whole pipeline (a site without a window scores 0);
#   - gene level: miRAW test sets 0-4 through tfm-seed | tfm-score | tfm-aggregate, without and
#     with the model's miRNA prior (tfm-score --prior model), that prior alone (model-prior), and
#     the data README's miRNA-prior baseline (tfm-acc --prior, learnt from the training sites).
# Nothing here feeds back into training: the model is chosen on the val split only.
#
#   bash models/evaluate.sh [MODEL [THREADS]]      MODEL defaults to tfm's default model
#   PUBLISHED=1 bash models/evaluate.sh           also TargetNet (esa) and deepTarget
#                                                 (offset-9-mer-m7) published checkpoints,
#                                                 aggregated by max as published
#   UNSEEN=1 bash models/evaluate.sh              also the model card's seen/unseen split
# Output: tfm-acc rows (model set n pos neg threshold accuracy ... within_mirna_auc); with
# UNSEEN=1 then rows "miRNA  label  pairs  model_positive  prior_positive" over sets 0-4: pairs
# whose miRNA is (seen) or is not (unseen) in the training split, per label, and the fraction
# the model with --prior model and the miRNA prior alone call positive (at 0.5; for label 0 that
# is the false-positive rate).
set -euo pipefail
. "$(dirname "$0")/data.sh" "model evaluation"
model=${1:-} threads=${2:-2}
margs=() mode=()
if [ -n "$model" ]; then
    margs=(--model "$model")
    m=$(tfm-convert --meta "$model" | awk -F'\t' '$1 == "site_mode" {print $2}')
    [ -n "$m" ] && mode=(--mode "$m")
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sites=$D/miraw/train/sites.tsv.gz

# val split: sites as transcripts (ids made unique per row: a pair may repeat in the file)
gzip -dc "$sites" | awk -F'\t' 'BEGIN {OFS = "\t"; print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label", "set"}
    NR > 1 && $6 == "val" {print $1, $2, $3 "_" NR, $4, $5, "val"}' > "$tmp/val.tsv"
tfm-seed -t "$threads" "${mode[@]}" -p "$tmp/val.tsv" | tfm-score -t "$threads" "${margs[@]}" | tfm-aggregate --method max > "$tmp/val.out"
tfm-acc "$tmp/val.out" | awk -F'\t' 'BEGIN {OFS = "\t"} NR == 1 || $2 != "mean"' | sed '1!s/^input/site-val/'

# gene level, sets 0-4 (one pipeline per set: a pair can be in several sets)
run_sets() { # $1: output name; SEED_ARGS, SCORE_ARGS, AGG_ARGS: options of tfm-seed, tfm-score, tfm-aggregate
    local name=$1
    for k in 0 1 2 3 4; do
        tfm-seed -t "$threads" $SEED_ARGS -p "$D/miraw/test/miRAW_Test$k.txt.gz" | tfm-score -t "$threads" $SCORE_ARGS |
            tfm-aggregate ${AGG_ARGS:-} | awk -v k="$k" 'BEGIN {OFS = "\t"} NR == 1 {print $0, "set"; next} {print $0, k}' |
            { [ "$k" = 0 ] && cat || tail -n +2; }
    done > "$tmp/$name.tsv"
}
SEED_ARGS="${mode[*]}" SCORE_ARGS="${margs[*]}" run_sets model
tfm-acc -p "$sites" "$tmp/model.tsv" | tail -n +2 | sed 's/^input/model/'
SEED_ARGS="${mode[*]}" SCORE_ARGS="${margs[*]} --prior model" run_sets prior
tfm-acc "$tmp/prior.tsv" | tail -n +2 | sed 's/^input/model+prior/'
# the model's prior alone (its mirna_prior column as the score): what the site evidence adds to
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 1 {for (i = 1; i <= NF; i++) {if ($i == "score") s = i; if ($i == "mirna_prior") p = i}}
    NR > 1 {$s = $p} {print}' "$tmp/prior.tsv" | tfm-acc | tail -n +2 | sed 's/^input/model-prior/'
if [ "${UNSEEN:-0}" = 1 ]; then
    gzip -dc "$sites" | awk -F'\t' 'NR > 1 && $6 != "val" {print $2}' | sort -u > "$tmp/seen"
    awk -F'\t' 'BEGIN {OFS = "\t"} FNR == NR {seen[$1] = 1; next}
        FNR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
        {k = ($(c["mirna_seq"]) in seen ? "seen" : "unseen") OFS $(c["label"]); n[k]++
         m[k] += $(c["score"]) >= 0.5; p[k] += $(c["mirna_prior"]) >= 0.5}
        END {print "miRNA", "label", "pairs", "model_positive", "prior_positive"
             for (i = 0; i < 4; i++) {k = (i < 2 ? "seen" : "unseen") OFS (i % 2 ? 0 : 1)
                                       printf "%s\t%d\t%.4f\t%.4f\n", k, n[k], m[k] / n[k], p[k] / n[k]}}' \
        "$tmp/seen" "$tmp/prior.tsv"
fi
if [ "${PUBLISHED:-0}" = 1 ]; then
    SEED_ARGS="--mode esa" SCORE_ARGS="--model $D/models/TargetNet.pt" AGG_ARGS="--method max" run_sets targetnet
    tfm-acc "$tmp/targetnet.tsv" | tail -n +2 | sed 's/^input/TargetNet.pt/'
    SEED_ARGS="--mode offset-9-mer-m7" SCORE_ARGS="--model $D/models/deepTarget_weights.pt" AGG_ARGS="--method max" run_sets deeptarget
    tfm-acc "$tmp/deeptarget.tsv" | tail -n +2 | sed 's/^input/deepTarget.pt/'
fi
