#!/usr/bin/env bash
# The Snakemake workflow (workflows/snakemake) on examples/ with --cores 2: the gathered output of
# N shards equals the unsharded pipeline byte for byte. With $TFM_DATA/models/TargetNet.pt:
# tfm-seed -m esa | tfm-score | tfm-aggregate, else tfm-seed sites only. Runs all-vs-all and
# --pairs through an indexed transcript FASTA.
# Usage: workflow_snakemake.sh [all:N|pairs:N ...]   [all:3 all:7 pairs:3]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/bin:$PATH
command -v snakemake > /dev/null || { echo "skip: snakemake not installed" >&2; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ex=$top/examples
model=${TFM_DATA:-$top/../shared/data}/models/TargetNet.pt
[ -f "$model" ] || model=""
tfm-index -o "$tmp/utrs.fa.gz" "$ex/utrs.fa.gz"   # BGZF + .fai + .gzi for the pairs run
pipeline() { # unsharded reference
    if [ -n "$model" ]; then tfm-seed -m esa "$@" | tfm-score -m "$model" | tfm-aggregate
    else tfm-seed -m esa "$@"; fi
}
pipeline "$ex/mirnas.fa" "$ex/utrs.fa.gz" > "$tmp/all.tsv"
pipeline -p "$ex/pairs.tsv" "$ex/mirnas.fa" "$tmp/utrs.fa.gz" > "$tmp/pairs.tsv"
result=$([ -n "$model" ] && echo pairs.tsv || echo sites.tsv)
for run in ${@:-all:3 all:7 pairs:3}; do
    input=${run%:*} n=${run#*:}
    p=""; t=$ex/utrs.fa.gz
    [ $input = pairs ] && p=$ex/pairs.tsv t=$tmp/utrs.fa.gz
    snakemake -q -s "$top/workflows/snakemake/Snakefile" --cores 2 --directory "$tmp/run.$input.$n" \
        --config mirnas="$ex/mirnas.fa" transcripts="$t" pairs="$p" mode=esa model="$model" shards=$n \
        bin="$top/bin" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
    [ "$(ls "$tmp/run.$input.$n/results/shards" | wc -l)" = "$n" ] || { echo "want $n shard files" >&2; exit 1; }
    cmp "$tmp/run.$input.$n/results/$result" "$tmp/$input.tsv" ||
        { echo "snakemake ($input, $n shards): gathered output differs from the unsharded pipeline" >&2; exit 1; }
done
echo "snakemake workflow: gathered output equals the unsharded pipeline ($([ -n "$model" ] && echo TargetNet scores || echo sites only))" >&2
