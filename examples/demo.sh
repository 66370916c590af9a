#!/usr/bin/env bash
# The main job on the example inputs: candidate sites of 5 miRNAs on 23 3'UTRs.
set -eu
cd "$(dirname "$0")"
PATH=$PWD/../bin:$PATH
echo "== canonical sites, every miRNA against every UTR (first rows):" >&2
tfm-seed -m canonical mirnas.fa utrs.fa.gz | head -n 12
echo "== TargetNet candidate windows of the labelled pairs (counts per pair):" >&2
tfm-seed -m esa --pairs pairs.tsv mirnas.fa utrs.fa.gz |
    awk -F'\t' 'NR > 1 { n[$1 "\t" $2 "\t" $NF] += ($6 != "none") } END { for (k in n) print k "\t" n[k] }' |
    sort | (printf 'mirna_id\tmrna_id\tlabel\tesa_windows\n'; cat)
