#!/usr/bin/env bash
# The nf-test snapshots of the modules (modules/tfm/*/tests/main.nf.test.snap), written without
# Nextflow: each real test's outputs are made by the command its module's script runs on the
# test's inputs, the stub tests' by the stub (`echo | gzip`, `touch`), and recorded as nf-test does
# (a .gz file by the MD5 of its uncompressed content; versions.yml as the module writes it, with
# the semantic version that the tools print). --check: compare instead of write (the timestamps
# aside), as tests/workflow_nextflow.sh does, so a snapshot cannot go stale unseen.
# Needs the tools of bin/ (make).
set -euo pipefail
nf=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$nf/../.." && pwd)
export PATH=$top/bin:$PATH
check=0; [ "${1:-}" = --check ] && check=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$top"
md5() { case $1 in *.gz) gzip -dc "$1" | md5sum ;; *) md5sum < "$1" ;; esac | cut -d ' ' -f 1; }
ent() { echo "\"$(basename "$1"):md5,$(md5 "$1")\""; }   # a file as nf-test prints it
EMPTY="$tmp/empty"; : > "$EMPTY"; NL="$tmp/nl.gz"; echo | gzip > "$NL"
# versions.yml of PROCESS for TOOL, as the module's heredoc writes it
versions() {
    local v
    if [ "$2" = gzip ]; then v=$(gzip --version | head -n 1 | cut -d ' ' -f 2); else v=$("$2" --version | head -n 1 | cut -d ' ' -f 2); fi
    printf '"%s":\n    %s: %s\n' "$1" "$2" "$v" > "$tmp/versions.yml"
    ent "$tmp/versions.yml"
}
# one snapshot: NAME, META (JSON), EMIT, then the output elements after meta (JSON strings or lists)
snap() {
    local name=$1 meta=$2 emit=$3 vers=$4; shift 4
    local elems="" e
    for e in "$@"; do elems="$elems,
                        $e"; done
    local tuple="[
                    [
                        $meta$elems
                    ]
                ]"
    cat <<JSON
    "$name": {
        "content": [
            {
                "0": $tuple,
                "1": [
                    $vers
                ],
                "$emit": $tuple,
                "versions": [
                    $vers
                ]
            }
        ],
        "timestamp": "$(date -u +%Y-%m-%dT%H:%M:%S)"
    }
JSON
}
# a module's snapshot file: its real test and its stub test
write() {
    local mod=$1 name=$2 meta=$3 emit=$4 vers=$5 real=$6 stub=$7
    local f=$nf/modules/tfm/$mod/tests/main.nf.test.snap out=$tmp/$mod.snap
    { echo "{"; eval "snap \"$name\" '$meta' $emit '$vers' $real"; echo "    ,"
      eval "snap \"$name - stub\" '$meta' $emit '$vers' $stub"; echo "}"; } > "$out"
    if [ $check = 1 ]; then
        diff <(grep -v '"timestamp"' "$f" 2> /dev/null) <(grep -v '"timestamp"' "$out") > "$tmp/diff" ||
            { echo "snapshots: $f is stale (bash $0 rewrites it):"; head -20 "$tmp/diff"; exit 1; } >&2
    else
        cp "$out" "$f"
    fi
}
d=$tmp/out; mkdir "$d"
m='{
                            "id": "test"
                        }'
stubgz="\"test.X:md5,$(md5 "$NL")\""

tfm-seed -q -v -t 1 --shard 1/2 examples/mirnas.fa examples/utrs.fa.gz 2> /dev/null > "$d/test.sites.tsv"
write seed "examples, shard 1 of 2" '{
                            "id": "test",
                            "shard": 1,
                            "nshards": 2
                        }' sites "$(versions TFM_SEED tfm-seed)" \
    "'\"test.sites.tsv.gz:md5,$(md5 "$d/test.sites.tsv")\"'" "'${stubgz/X/sites.tsv.gz}'"

tfm-encode -s deeptarget tests/data/recipes/own_sites.tsv > "$d/enc.tsv"
write encode "own sites, deeptarget" "$m" encoded "$(versions TFM_ENCODE tfm-encode)" \
    "'\"test.enc.tsv.gz:md5,$(md5 "$d/enc.tsv")\"'" "'${stubgz/X/enc.tsv.gz}'"

tfm-score -v -t 1 --model models/tfm-default.safetensors tests/data/recipes/own_sites.tsv 2> /dev/null > "$d/scores.tsv"
write score "own sites, default model" "$m" scores "$(versions TFM_SCORE tfm-score)" \
    "'\"test.scores.tsv.gz:md5,$(md5 "$d/scores.tsv")\"'" "'${stubgz/X/scores.tsv.gz}'"

tfm-aggregate tests/data/aggregate/sites.tsv > "$d/pairs.tsv"
write aggregate "scored sites" "$m" pairs "$(versions TFM_AGGREGATE tfm-aggregate)" \
    "'\"test.pairs.tsv.gz:md5,$(md5 "$d/pairs.tsv")\"'" "'${stubgz/X/pairs.tsv.gz}'"

tfm-acc tests/acc/basic.tsv > "$d/acc.tsv"
write acc "labelled scores" "$m" metrics "$(versions TFM_ACC tfm-acc)" \
    "'\"test.acc.tsv:md5,$(md5 "$d/acc.tsv")\"'" "'\"test.acc.tsv:md5,$(md5 "$EMPTY")\"'"

tfm-index -o "$d/test.fa.gz" examples/utrs.fa.gz
idx="[
                            $(ent "$d/test.fa.gz.fai"),
                            $(ent "$d/test.fa.gz.gzi")
                        ]"
sidx="[
                            \"test.fa.gz.fai:md5,$(md5 "$EMPTY")\",
                            \"test.fa.gz.gzi:md5,$(md5 "$EMPTY")\"
                        ]"
write index "examples utrs" "$m" indexed "$(versions TFM_INDEX tfm-index)" \
    "'$(ent "$d/test.fa.gz")' '$idx'" "'${stubgz/X/fa.gz}' '$sidx'"

{ cat examples/pairs.tsv; tail -n +2 tests/data/recipes/pairs.tsv; } > "$d/test.tsv"
write gather "two tables" "$m" table "$(versions TFM_GATHER gzip)" \
    "'$(ent "$d/test.tsv")'" "'\"test.tsv:md5,$(md5 "$EMPTY")\"'"
[ $check = 1 ] && echo "snapshots: all $(ls -d "$nf"/modules/tfm/*/ | wc -l) modules' snapshots are current" >&2
exit 0
