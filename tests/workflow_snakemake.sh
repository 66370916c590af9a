#!/usr/bin/env bash
# The Snakemake workflow (workflows/snakemake) on examples/ with --cores 2: the gathered output of
# N shards equals the unsharded pipeline byte for byte: tfm-seed | tfm-score | tfm-aggregate with
# tfm's default model (the workflow's default settings). Runs all-vs-all and --pairs through an
# indexed transcript FASTA, and all-vs-all with top=N (needs bgzip): the ranked table equals
# `tfm-rank --top N` of the unsharded table and the bgzipped full table equals `bgzip -c` of it;
# with top=N full=false (ranked:N) the ranked table alone, the same bytes, and no full table.
# Every run leaves a non-empty log per stage (seed, score, aggregate) of every shard, and for
# gather (and rank); versions.yml names every tool with the semantic version of VERSION. The
# SLURM profile of Snakemake 7 is dry-run, the Snakemake 8 one (config.v8+.yaml) parsed. A run
# without a model (sites:N) gathers tfm-seed's site table, with a seed log per shard.
# Usage: workflow_snakemake.sh [all:N|pairs:N|top:N|ranked:N|sites:N ...]
#   [all:3 all:7 pairs:3 top:3 ranked:2 sites:2]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/bin:$PATH
command -v snakemake > /dev/null || { echo "skip: snakemake not installed" >&2; exit 0; }
fail() { echo "snakemake workflow: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ex=$top/examples sm=$top/workflows/snakemake
ntop=2
tfm-index -o "$tmp/utrs.fa.gz" "$ex/utrs.fa.gz"   # BGZF + .fai + .gzi for the pairs run
pipeline() { tfm-seed "$@" | tfm-score | tfm-aggregate; } # unsharded reference
pipeline "$ex/mirnas.fa" "$ex/utrs.fa.gz" > "$tmp/all.tsv"
pipeline -p "$ex/pairs.tsv" "$ex/mirnas.fa" "$tmp/utrs.fa.gz" > "$tmp/pairs.tsv"
tfm-seed "$ex/mirnas.fa" "$ex/utrs.fa.gz" > "$tmp/sites.tsv"
runs=${*:-all:3 all:7 pairs:3 top:3 ranked:2 sites:2}
if [[ $runs == *top:* ]] && ! command -v bgzip > /dev/null; then
    echo "skip: bgzip (htslib's tabix package) not installed: the runs of top N with the bgzipped table are skipped" >&2
    runs=$(echo "$runs" | tr ' ' '\n' | grep -v '^top:' | tr '\n' ' ')
fi
for run in $runs; do
    input=${run%:*} n=${run#*:} d=$tmp/run.${run/:/.}
    p="" t=$ex/utrs.fa.gz topn=0 full=true model=default stages="seed score aggregate" tools="tfm-seed tfm-score tfm-aggregate"
    [ "$input" = pairs ] && p=$ex/pairs.tsv t=$tmp/utrs.fa.gz
    [ "$input" = top ] && topn=$ntop
    [ "$input" = ranked ] && topn=$ntop full=false
    [ "$input" = sites ] && model="" stages=seed tools=tfm-seed
    snakemake -q -s "$sm/Snakefile" --cores 2 --directory "$d" \
        --config mirnas="$ex/mirnas.fa" transcripts="$t" pairs="$p" shards="$n" top=$topn full=$full model="$model" \
        bin="$top/bin" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
    r=$d/results
    if [ "$input" = top ] || [ "$input" = ranked ]; then
        [ ! -e "$r/shards" ] || [ -z "$(ls "$r/shards")" ] || fail "$run: the BGZF shards are left after gathering"
        if [ "$input" = top ]; then
            cmp "$r/pairs.tsv.gz" <(bgzip -c "$tmp/all.tsv") || fail "$run: pairs.tsv.gz is not bgzip -c of the unsharded table"
            [ -s "$r/logs/gather.log" ] || fail "$run: empty or no logs/gather.log"
        else
            [ ! -e "$r/pairs.tsv.gz" ] && [ ! -e "$r/pairs.tsv" ] || fail "$run: full=false kept the full table"
        fi
        cmp "$r/pairs.top$ntop.tsv" <(tfm-rank --top $ntop "$tmp/all.tsv") || fail "$run: pairs.top$ntop.tsv differs from tfm-rank --top $ntop of the unsharded table"
        [ -s "$r/logs/rank.log" ] || fail "$run: empty or no logs/rank.log"
    else
        [ "$(ls "$r/shards" | wc -l)" = "$n" ] || fail "$run: want $n shard files"
        out=pairs.tsv; [ "$input" = sites ] && out=sites.tsv
        cmp "$r/$out" "$tmp/$input.tsv" || fail "$run: gathered output differs from the unsharded pipeline"
        [ -s "$r/logs/gather.log" ] || fail "$run: empty or no logs/gather.log"
    fi
    for k in $(seq 1 "$n"); do
        for stage in $stages; do
            grep -q "^tfm-$stage: " "$r/logs/$k-of-$n/$stage.log" 2> /dev/null ||
                fail "$run: logs/$k-of-$n/$stage.log has no tfm-$stage summary line"
        done
    done
    for t in $tools; do
        grep -qx "$t: $(cat "$top/VERSION")" "$r/pipeline_info/versions.yml" || fail "$run: versions.yml lacks '$t: $(cat "$top/VERSION")'"
    done
done
# cluster profiles: Snakemake 7 (config.yaml) dry-runs; Snakemake 8 (config.v8+.yaml) uses the executor plugin
snakemake -n -q -s "$sm/Snakefile" --profile "$sm/profiles/slurm" --directory "$tmp/dry" \
    --config mirnas="$ex/mirnas.fa" transcripts="$ex/utrs.fa.gz" shards=64 > "$tmp/log" 2>&1 ||
    { cat "$tmp/log" >&2; fail "the SLURM profile (Snakemake 7) does not dry-run"; }
v8=$sm/profiles/slurm/config.v8+.yaml
grep -qx 'executor: slurm' "$v8" || fail "$v8: no 'executor: slurm'"
! grep -q '^slurm:' "$v8" || fail "$v8: the Snakemake 7 key 'slurm:'"
grep -qx 'slurm: true' "$sm/profiles/slurm/config.yaml" || fail "profiles/slurm/config.yaml: not the Snakemake 7 profile"
echo "snakemake workflow: gathered output equals the unsharded pipeline (default model; $runs); logs per stage and shard" >&2
