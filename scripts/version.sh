#!/usr/bin/env bash
# The semantic version lives in the file VERSION. The tools read it when built (lib/version.h),
# installed man pages at install (Makefile), the workflows' versions.yml from the tools. The files
# that must carry it written out (a citation, a recipe, pins and image tags) are listed below.
#   scripts/version.sh --check   every copy equals VERSION (tests/package.tst runs it)
#   scripts/version.sh X.Y.Z     sets VERSION and every copy
#                                (then `make` and workflows/nextflow/tests/snapshots.sh rewrite the
#                                snapshots of the Nextflow modules, whose versions.yml holds it)
set -euo pipefail
cd "$(dirname "$0")/.."
v=$(cat VERSION)
# file (glob), and an extended regex of the line holding the version as its group 1
copies() {
    cat <<'LIST'
CITATION.cff	^version: ([^ ]+)$
packaging/bioconda/meta.yaml	^\{% set version = "([^"]+)" %\}$
packaging/Dockerfile	^ARG VERSION=(.+)$
models/README.md	shipped with tfm ([^ ]+) \(
workflows/snakemake/envs/tfm.yaml	bioconda::tfm=(.+)$
workflows/snakemake/config.yaml	^container: docker://tfm:(.+)$
workflows/nextflow/nextflow.config	^    version *= *'([^']+)'
workflows/nextflow/modules/tfm/*/environment.yml	bioconda::tfm=(.+)$
workflows/nextflow/modules/tfm/*/main.nf	^    container "tfm:([^"]+)"
LIST
}
case ${1:-} in
--check)
    bad=0 n=0
    while IFS=$'\t' read -r glob re; do
        for f in $glob; do
            found=$(sed -nE "s|.*$re.*|\1|p" "$f")
            n=$((n + 1))
            if [ -z "$found" ]; then echo "version: $f: no version (pattern $re)" >&2; bad=1
            elif [ "$(echo "$found" | sort -u)" != "$v" ]; then echo "version: $f: $(echo $found), not $v (VERSION)" >&2; bad=1
            fi
        done
    done < <(copies)
    [ $bad = 0 ] && echo "version: $v in VERSION and its $n copies" >&2
    exit $bad ;;
[0-9]*.[0-9]*.[0-9]*)
    new=$1 old=${v//./\\.}
    while IFS=$'\t' read -r glob re; do
        for f in $glob; do sed -i -E "\|$re| s|$old|$new|g" "$f"; done
    done < <(copies)
    echo "$new" > VERSION
    echo "version: $v -> $new; now: make && bash workflows/nextflow/tests/snapshots.sh && bash $0 --check" >&2 ;;
*)
    echo "usage: scripts/version.sh --check | X.Y.Z" >&2; exit 2 ;;
esac
