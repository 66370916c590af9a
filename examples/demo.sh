#!/usr/bin/env bash
# The main job on the example inputs: candidate sites of 5 miRNAs on 23 3'UTRs, scored by a
# network and aggregated to one score per (miRNA, gene) pair, then evaluated against labels.
set -euo pipefail
cd "$(dirname "$0")"
PATH=$PWD/../bin:$PATH
D=${TFM_DATA:-../shared/data}
case $D in /*) ;; *) D=$PWD/../$D ;; esac  # relative to the repository, as make exports it

echo "== canonical sites, every miRNA against every UTR (first rows):" >&2
tfm-seed -m canonical mirnas.fa utrs.fa.gz | awk 'NR <= 8'

model=$D/models/TargetNet.pt
if [ ! -f "$model" ]; then
    echo "== no model: $model not found (set TFM_DATA to the data pack); stopping after the sites" >&2
    exit 0
fi
echo "== gene-level TargetNet scores of the labelled pairs (tfm-seed -m esa | tfm-score | tfm-aggregate):" >&2
tfm-seed -m esa --pairs pairs.tsv mirnas.fa utrs.fa.gz | tfm-score -t 2 -m "$model" | tfm-aggregate > /tmp/tfm_demo.$$.tsv
cut -f 1-7,9 /tmp/tfm_demo.$$.tsv
echo "== accuracy against the labels:" >&2
tfm-acc /tmp/tfm_demo.$$.tsv | cut -f 1-13
rm -f /tmp/tfm_demo.$$.tsv
