#!/usr/bin/env bash
# Gene-level figures on validation data only (models/README.md, "Gene-level validation"): the
# genes of models/val_genes.py (val sites placed in shuffled backgrounds), each scored also with
# a shuffled-miRNA decoy (tfm-decoy), and the panel of random pairs, through the default pipeline.
#
#   bash models/val_genes.sh [MODEL]      MODEL defaults to tfm's default model
#   UNIT=pair: one gene per (miRNA, gene) pair of the val split with all its sites (val_genes.py)
#   AGG="--method max" bash models/val_genes.sh   options for every tfm-aggregate (variants of the gene score)
#
# Prints: accuracy, ROC-AUC, within-miRNA AUC, win and shuf+ (as in models/controls.sh), the share
# of random panel pairs scored above 0.5, identity leakage on the panel, and the accuracy with
# `tfm-score --prior model` beside the miRNA prior alone (the prior of the train split).
set -euo pipefail
. "$(dirname "$0")/data.sh" "val_genes"
model=${1:-$top/models/tfm-default.safetensors}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sites=$D/miraw/train/sites.tsv.gz
gzip -dc "$sites" | awk -F'\t' 'NR == 1 || $6 == "train"' > "$tmp/train_sites.tsv"
python3 "$top/models/val_genes.py" "$D" "$tmp" 60 "${UNIT:-site}"
tfm-decoy < "$tmp/valgene.tsv" > "$tmp/valgene.in"
tfm-seed --pairs "$tmp/valgene.in" | tfm-score --model "$model" --prior model > "$tmp/rows.tsv"
col() { awk -F'\t' -v m="$1" -v n="$2" 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $1 == m {print $c[n]}'; }
drop_column mirna_prior < "$tmp/rows.tsv" | tfm-aggregate ${AGG:-} | tfm-acc --prior "$tmp/train_sites.tsv" > "$tmp/acc.tsv"
tfm-aggregate ${AGG:-} < "$tmp/rows.tsv" | tfm-acc --prior "$tmp/train_sites.tsv" > "$tmp/acc_prior.tsv"
tfm-seed --pairs "$tmp/valpanel.tsv" | tfm-score --model "$model" | tfm-aggregate ${AGG:-} > "$tmp/panel.tsv"
above=$(awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "score") c = i; next} {n++; a += $c > 0.5} END {printf "%.4f", a / n}' "$tmp/panel.tsv")
leak=$(tfm-acc --leakage --prior "$tmp/train_sites.tsv" "$tmp/panel.tsv" | col input leakage)
printf 'accuracy\troc_auc\twithin_auc\twin\tshuf+\tpanel>0.5\tleak\taccuracy_prior\taccuracy_prior_alone\n'
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(col input accuracy < "$tmp/acc.tsv")" "$(col input roc_auc < "$tmp/acc.tsv")" \
    "$(col input within_mirna_auc < "$tmp/acc.tsv")" "$(col input shuffle_win < "$tmp/acc.tsv")" \
    "$(col input shuffled_pos < "$tmp/acc.tsv")" "$above" "$leak" "$(col input accuracy < "$tmp/acc_prior.tsv")" \
    "$(col mirna-prior accuracy < "$tmp/acc_prior.tsv")"
