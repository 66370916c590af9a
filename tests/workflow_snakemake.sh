#!/usr/bin/env bash
# The Snakemake workflow (workflows/snakemake) on examples/ with --cores 2: the gathered output of
# N shards equals the unsharded pipeline byte for byte: tfm-seed | tfm-score | tfm-aggregate with
# tfm's default model (the workflow's default settings). Runs all-vs-all and --pairs through an
# indexed transcript FASTA.
# Usage: workflow_snakemake.sh [all:N|pairs:N ...]   [all:3 all:7 pairs:3]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/bin:$PATH
command -v snakemake > /dev/null || { echo "skip: snakemake not installed" >&2; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ex=$top/examples
tfm-index -o "$tmp/utrs.fa.gz" "$ex/utrs.fa.gz"   # BGZF + .fai + .gzi for the pairs run
pipeline() { tfm-seed "$@" | tfm-score | tfm-aggregate; } # unsharded reference
pipeline "$ex/mirnas.fa" "$ex/utrs.fa.gz" > "$tmp/all.tsv"
pipeline -p "$ex/pairs.tsv" "$ex/mirnas.fa" "$tmp/utrs.fa.gz" > "$tmp/pairs.tsv"
for run in ${@:-all:3 all:7 pairs:3}; do
    input=${run%:*} n=${run#*:}
    p=""; t=$ex/utrs.fa.gz
    [ $input = pairs ] && p=$ex/pairs.tsv t=$tmp/utrs.fa.gz
    snakemake -q -s "$top/workflows/snakemake/Snakefile" --cores 2 --directory "$tmp/run.$input.$n" \
        --config mirnas="$ex/mirnas.fa" transcripts="$t" pairs="$p" shards=$n \
        bin="$top/bin" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
    [ "$(ls "$tmp/run.$input.$n/results/shards" | wc -l)" = "$n" ] || { echo "want $n shard files" >&2; exit 1; }
    cmp "$tmp/run.$input.$n/results/pairs.tsv" "$tmp/$input.tsv" ||
        { echo "snakemake ($input, $n shards): gathered output differs from the unsharded pipeline" >&2; exit 1; }
done
echo "snakemake workflow: gathered output equals the unsharded pipeline (default model)" >&2
