#!/usr/bin/env bash
# Structure of the Nextflow workflow (Nextflow itself cannot be installed here): every module of
# workflows/nextflow/modules/tfm/*/main.nf is an nf-core-style process (tag on meta.id, a meta
# map in its input tuple, versions.yml output and heredoc, a stub: block with the same outputs,
# task.ext.args, balanced braces) with what nf-core lint looks for: a conda directive and its
# environment.yml (tfm pinned to VERSION), a container directive, a meta.yml describing every
# input and output, tests/main.nf.test (a real and a stub test, each snapshotting process.out)
# and tests/main.nf.test.snap with a snapshot per test, current (tests/snapshots.sh --check) and
# with the versions.yml that the module's heredoc writes (run by bash). main.nf includes each
# module it calls, shards with --shard through TFM_SEED and keeps one versions entry per process
# and tool; one module per pipeline tool.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
nf=$top/workflows/nextflow
fail() { echo "nextflow workflow: $*" >&2; exit 1; }
version=$(cat "$top/VERSION")
tmpv=$(mktemp -d); trap 'rm -rf "$tmpv"' EXIT
export PATH=$top/bin:$PATH
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
    # nf-core's module layout: conda environment, container, meta.yml, nf-test with snapshots
    dir=$(dirname "$m") tool=tfm-$name
    [ "$name" = gather ] && tool=gzip
    grep -q '^    conda "${moduleDir}/environment.yml"$' "$m" || fail "$m: no conda directive naming environment.yml"
    grep -q "^    container \"tfm:$version\"" "$m" || fail "$m: no container directive of tfm:$version (packaging/Dockerfile)"
    env=$dir/environment.yml
    [ -f "$env" ] && grep -qx '  - conda-forge' "$env" && grep -qx '  - bioconda' "$env" || fail "$env: no conda-forge and bioconda channels"
    grep -qx "  - bioconda::tfm=$version" "$env" || fail "$env: tfm not pinned to $version"
    meta=$dir/meta.yml
    [ -f "$meta" ] || fail "$dir: no meta.yml"
    grep -qx "name: \"tfm_$name\"" "$meta" || fail "$meta: name is not tfm_$name"
    for key in description keywords tools input output authors maintainers; do
        grep -q "^$key:" "$meta" || fail "$meta: no $key"
    done
    # every input and emit of the process is described in meta.yml
    for in in $(sed -n '/^    input:$/,/^    output:$/p' "$m" | grep -o 'path([a-z_]*)\|^    path [a-z_]*' | sed 's/path(\(.*\))/\1/; s/ *path //'); do
        grep -q "^ *- $in:$" "$meta" || fail "$meta: input $in not described"
    done
    for emit in $(sed -n '/^    output:$/,/^    when:$/p' "$m" | grep -o 'emit: [a-z_]*' | cut -d ' ' -f 2); do
        grep -q "^  $emit:$" "$meta" || fail "$meta: output $emit not described"
    done
    # versions.yml: one entry per tool, the version the tool prints, in the script and the stub alike
    [ "$(grep -cxF "        $tool: \\\$($tool --version | head -n 1 | cut -d ' ' -f 2)" "$m")" = 2 ] ||
        fail "$m: versions.yml has not '$tool: \$($tool --version ...)' in script and stub"
    nft=$dir/tests/main.nf.test snap=$dir/tests/main.nf.test.snap
    [ -f "$nft" ] && [ -f "$snap" ] || fail "$dir/tests: no main.nf.test and main.nf.test.snap"
    grep -q '^    script "../main.nf"$' "$nft" && grep -q "^    process \"$proc\"$" "$nft" || fail "$nft: not a test of $proc in ../main.nf"
    for tag in modules modules_tfm tfm "tfm/$name"; do grep -q "^    tag \"$tag\"$" "$nft" || fail "$nft: no tag $tag"; done
    grep -q '^        options "-stub"$' "$nft" || fail "$nft: no stub test"
    while IFS= read -r t; do
        grep -qF "    \"$t\": {" "$snap" || fail "$snap: no snapshot of test '$t'"
    done < <(sed -n 's/^    test("\(.*\)") {$/\1/p' "$nft")
    [ "$(grep -c 'assert snapshot(process.out).match()' "$nft")" = "$(grep -c '^    test(' "$nft")" ] || fail "$nft: a test without a snapshot"
    # the module's versions heredoc, run by bash, gives the versions.yml of the snapshots
    heredoc=$(awk '/^    script:$/ {s = 1} s && /cat <<-END_VERSIONS/ {h = 1} h {print substr($0, 5)} h && /^    END_VERSIONS$/ {exit}' "$m" |
        sed -e "s/\${task.process}/$proc/" -e 's/\\\$/$/g')
    vmd5=$(cd "$tmpv" && bash -c "$heredoc" && md5sum < versions.yml | cut -d ' ' -f 1)
    [ "$(grep -o '"versions.yml:md5,[0-9a-f]*"' "$snap" | sort -u)" = "\"versions.yml:md5,$vmd5\"" ] ||
        fail "$snap: versions.yml of the snapshots is not what the module writes ($vmd5)"
done
bash "$nf/tests/snapshots.sh" --check || fail "module snapshots are stale"
main=$nf/main.nf
for p in $(grep -o 'TFM_[A-Z]*(' "$main" | tr -d '(' | sort -u); do
    grep -q "^include { $p *} from './modules/tfm/$(echo "${p#TFM_}" | tr A-Z a-z)/main'" "$main" || fail "main.nf calls $p without including its module"
done
grep -q 'nshards: n' "$main" || fail "main.nf: no shard meta"
grep -q -- '--shard ${meta.shard}/${meta.nshards}' "$nf/modules/tfm/seed/main.nf" || fail "TFM_SEED does not pass --shard"
grep -q 'toSortedList { a, b -> a\[0\].shard <=> b\[0\].shard }' "$main" || fail "main.nf: gather not in shard order"
# versions: N shard tasks give N versions.yml files; one entry per process and tool is kept
grep -q '\.map { f -> f\.text }' "$main" && grep -A1 '\.map { f -> f\.text }' "$main" | grep -q '\.unique()' ||
    fail "main.nf: versions files not made unique by their text"
grep -v '^ *//' "$main" | grep -B1 '\.unique()' | grep -q 'versions' && fail "main.nf: .unique() on the versions files themselves"
grep -qx "    version         = '$version'.*" "$nf/nextflow.config" || grep -q "^    version *= *'$version'" "$nf/nextflow.config" || fail "nextflow.config: manifest version is not $version"
[ -f "$nf/nf-test.config" ] || fail "no nf-test.config"
awk '{o += gsub(/{/, "{"); c += gsub(/}/, "}")} END {exit !(o == c)}' "$main" || fail "main.nf: unbalanced braces"
grep -q 'cannot be installed' "$nf/README.md" || fail "README.md does not say Nextflow is not installed here"
grep -q "profiles" "$nf/nextflow.config" || fail "nextflow.config: no profiles"
# the gather module's script gives the unsharded bytes on real shards (run it with bash)
tmp=$(mktemp -d); trap 'rm -rf "$tmp" "$tmpv"' EXIT
for k in 1 2 3; do "$top/bin/tfm-seed" -m canonical --shard $k/3 "$top/examples/mirnas.fa" "$top/examples/utrs.fa.gz" | gzip > "$tmp/s$k.tsv.gz"; done
script=$(awk '/^    script:$/ {s = 1; next} s && /^    """$/ {n++; next} n == 1 {print} n == 2 {exit}' "$nf/modules/tfm/gather/main.nf" |
    sed -e 's/\${tables.join(.*)}/s1.tsv.gz s2.tsv.gz s3.tsv.gz/' -e 's/\${prefix}/gathered/' -e 's/\\\$/$/g' -e '/END_VERSIONS/,$d')
(cd "$tmp" && bash -c "$script") || fail "TFM_GATHER script failed"
cmp "$tmp/gathered.tsv" <("$top/bin/tfm-seed" -m canonical "$top/examples/mirnas.fa" "$top/examples/utrs.fa.gz") || fail "TFM_GATHER script output differs from the unsharded run"
echo "nextflow workflow: structure ok ($(ls -d "$nf"/modules/tfm/*/ | wc -l) modules with meta.yml, environment.yml, container, nf-test and current snapshots; gather script checked on 3 shards)" >&2
