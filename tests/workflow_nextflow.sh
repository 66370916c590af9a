#!/usr/bin/env bash
# Structure of the Nextflow workflow (Nextflow itself cannot be installed here): every module of
# workflows/nextflow/modules/tfm/*/main.nf is an nf-core-style process (tag on meta.id, a meta
# map in its input tuple, versions.yml output and heredoc, a stub: block with the same outputs,
# task.ext.args, balanced braces); main.nf includes each module it calls and shards with
# --shard through TFM_SEED; one module per pipeline tool.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
nf=$top/workflows/nextflow
fail() { echo "nextflow workflow: $*" >&2; exit 1; }
for tool in seed encode score aggregate acc index; do
    [ -f "$nf/modules/tfm/$tool/main.nf" ] || fail "no module for tfm-$tool"
    [ -x "$top/bin/tfm-$tool" ] || fail "module $tool: no tool tfm-$tool"
done
for m in "$nf"/modules/tfm/*/main.nf; do
    name=$(basename "$(dirname "$m")")
    proc=TFM_$(echo "$name" | tr a-z A-Z)
    grep -q "^process $proc {" "$m" || fail "$m: no 'process $proc {'"
    grep -q '^    tag "${meta.id}"' "$m" || fail "$m: no tag on meta.id"
    grep -q 'tuple val(meta), path(' "$m" || fail "$m: no meta map in the input tuple"
    grep -q 'path "versions.yml", emit: versions' "$m" || fail "$m: no versions.yml output"
    [ "$(grep -c 'cat <<-END_VERSIONS > versions.yml' "$m")" = 2 ] || fail "$m: versions.yml in script and stub"
    grep -q '^    stub:$' "$m" || fail "$m: no stub: block"
    grep -q '^    script:$' "$m" || fail "$m: no script: block"
    [ "$name" = gather ] || grep -q 'task.ext.args' "$m" || fail "$m: no task.ext.args"
    [ "$name" = gather ] || grep -q "tfm-$name " "$m" || fail "$m: does not run tfm-$name"
    # every output file pattern of the script is made by the stub too
    awk '/^    stub:$/ {s = 1} s && /(touch|gzip >)/ {n++} END {exit !(n >= 1)}' "$m" || fail "$m: the stub makes no output"
    awk '{o += gsub(/{/, "{"); c += gsub(/}/, "}")} END {exit !(o == c)}' "$m" || fail "$m: unbalanced braces"
done
main=$nf/main.nf
for p in $(grep -o 'TFM_[A-Z]*(' "$main" | tr -d '(' | sort -u); do
    grep -q "^include { $p *} from './modules/tfm/$(echo "${p#TFM_}" | tr A-Z a-z)/main'" "$main" || fail "main.nf calls $p without including its module"
done
grep -q 'nshards: n' "$main" || fail "main.nf: no shard meta"
grep -q -- '--shard ${meta.shard}/${meta.nshards}' "$nf/modules/tfm/seed/main.nf" || fail "TFM_SEED does not pass --shard"
grep -q 'toSortedList { a, b -> a\[0\].shard <=> b\[0\].shard }' "$main" || fail "main.nf: gather not in shard order"
awk '{o += gsub(/{/, "{"); c += gsub(/}/, "}")} END {exit !(o == c)}' "$main" || fail "main.nf: unbalanced braces"
grep -q 'cannot be installed' "$nf/README.md" || fail "README.md does not say Nextflow is not installed here"
grep -q "profiles" "$nf/nextflow.config" || fail "nextflow.config: no profiles"
# the gather module's script gives the unsharded bytes on real shards (run it with bash)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for k in 1 2 3; do "$top/bin/tfm-seed" -m canonical --shard $k/3 "$top/examples/mirnas.fa" "$top/examples/utrs.fa.gz" | gzip > "$tmp/s$k.tsv.gz"; done
script=$(awk '/^    script:$/ {s = 1; next} s && /^    """$/ {n++; next} n == 1 {print} n == 2 {exit}' "$nf/modules/tfm/gather/main.nf" |
    sed -e 's/\${tables.join(.*)}/s1.tsv.gz s2.tsv.gz s3.tsv.gz/' -e 's/\${prefix}/gathered/' -e 's/\\\$/$/g' -e '/END_VERSIONS/,$d')
(cd "$tmp" && bash -c "$script") || fail "TFM_GATHER script failed"
cmp "$tmp/gathered.tsv" <("$top/bin/tfm-seed" -m canonical "$top/examples/mirnas.fa" "$top/examples/utrs.fa.gz") || fail "TFM_GATHER script output differs from the unsharded run"
echo "nextflow workflow: structure ok ($(ls -d "$nf"/modules/tfm/*/ | wc -l) modules; gather script checked on 3 shards)" >&2
