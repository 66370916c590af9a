#!/usr/bin/env bash
# The main job on the example inputs: candidate sites of 5 miRNAs on 23 3'UTRs, scored by tfm's
# default model (models/README.md) and aggregated to one score per (miRNA, gene) pair, then
# evaluated against the labels of pairs.tsv. No options: tfm-seed searches with the default
# model's mode, tfm-score uses the default model, tfm-aggregate its aggregation.
set -euo pipefail
cd "$(dirname "$0")"
PATH=$PWD/../bin:$PATH
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== candidate sites, every miRNA against every UTR (first rows):" >&2
tfm-seed mirnas.fa utrs.fa.gz | awk 'NR <= 6' | cut -f 1-7,9
echo "== gene-level scores of the labelled pairs (tfm-seed --pairs | tfm-score | tfm-aggregate):" >&2
tfm-seed -t 2 --pairs pairs.tsv mirnas.fa utrs.fa.gz | tfm-score -t 2 | tfm-aggregate > "$out"
cut -f 1-7,9,10 "$out"
echo "== accuracy against the labels:" >&2
tfm-acc "$out" | cut -f 1-13
echo "== every miRNA against every UTR: the 3 best genes of each miRNA (by log_odds), a * marks a" >&2
echo "   validated target of pairs.tsv; and how many of the 23 UTRs score above 0.5 per miRNA:" >&2
tfm-seed -t 2 mirnas.fa utrs.fa.gz | tfm-score -t 2 | tfm-aggregate > "$out"
awk -F'\t' -v OFS='\t' 'NR == FNR {if (FNR > 1 && $3 == 1) pos[$1 FS $2] = 1; next}
    FNR > 1 {print $1, $2, $3, $8, (($1 FS $2) in pos) ? "*" : ""}' pairs.tsv "$out" |
    sort -t $'\t' -k1,1 -k4,4gr | awk -F'\t' '{n[$1]++; if (n[$1] <= 3) print; if ($3 > 0.5) h[$1]++}
    END {for (m in n) printf "%s: %d of %d above 0.5\n", m, h[m], n[m] | "sort"}'
