#!/usr/bin/env bash
# The release tarball and the packaging (README "Install"): `make dist` gives tfm-VERSION.tar.gz,
# which holds the sources, LICENSE, CITATION.cff and tfm's own model, and no build output and no
# file of the data pack ($TFM_DATA: published checkpoints, miRAW sets); `make dist` in the
# unpacked tree gives the same bytes. In an empty directory the tarball builds and installs the
# way the Bioconda recipe does (packaging/bioconda/build.sh with PREFIX a scratch directory and a
# clean environment; conda-build itself is not run), the installed tools, man pages and model are
# checked, the commands of the recipe's test section run against the install (every tool's
# --version, the demo), every tool prints the version of CITATION.cff, and a fast subset of the
# suite runs in the unpacked tree (TFM_DIST_TESTS [options output]: the options and --version of
# every tool, make install, the README's commands; the full `make test` from the tarball is run by
# hand: README "Install"). packaging/Dockerfile is checked for the same build (Docker cannot run
# here).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "dist: $*" >&2; exit 1; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
v=$(cat "$top/VERSION") name=tfm-$(cat "$top/VERSION")
nomake() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS "$@"; } # not the jobserver of the make running the suite
(cd "$top" && nomake make -s dist DISTDIR="$d") > /dev/null || fail "make dist failed"
tb=$d/$name.tar.gz
[ -f "$tb" ] || fail "make dist wrote no $name.tar.gz"

# contents
tar -tzf "$tb" > "$d/list"
grep -v "^$name/" "$d/list" && fail "files outside $name/"
for f in LICENSE CITATION.cff VERSION README.md Makefile MANIFEST models/tfm-default.safetensors \
    models/tfm-default.m2.safetensors models/tfm-default.m3.safetensors models/tfm-default.m4.safetensors \
    packaging/bioconda/meta.yaml packaging/bioconda/build.sh packaging/Dockerfile tools/tfm-seed.c man/tfm-seed.1; do
    grep -qx "$name/$f" "$d/list" || fail "no $f in the tarball"
done
grep -E "^$name/(bin|build)/|^$name/lib/version\.h$|^$name/\.git/" "$d/list" && fail "build output or .git in the tarball"
mkdir "$d/src"
tar -xzf "$tb" -C "$d/src"
src=$d/src/$name
if [ -d "${TFM_DATA:-}" ]; then
    (cd "$TFM_DATA" && find . -type f -size +0 -exec md5sum {} +) | sort > "$d/data.md5"
    (cd "$src" && find . -type f -size +0 -exec md5sum {} +) | sort > "$d/src.md5"
    join <(cut -d ' ' -f 1 "$d/data.md5" | sort -u) <(cut -d ' ' -f 1 "$d/src.md5" | sort -u) > "$d/both"
    [ ! -s "$d/both" ] || fail "files of the data pack in the tarball: $(grep -F -f "$d/both" "$d/src.md5" | head -3)"
fi
mkdir "$d/again"
(cd "$src" && nomake make -s dist DISTDIR="$d/again") > /dev/null || fail "make dist in the unpacked tree failed"
cmp -s "$tb" "$d/again/$name.tar.gz" || fail "make dist in the unpacked tree gives other bytes"

# build and install as the Bioconda recipe's build.sh does, in a clean environment
prefix=$d/prefix
(cd "$src" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" PREFIX="$prefix" CPU_COUNT=2 \
    bash packaging/bioconda/build.sh) > "$d/build.log" 2>&1 || { tail -20 "$d/build.log" >&2; fail "build.sh failed"; }
cff=$(sed -n 's/^version: //p' "$src/CITATION.cff")
[ "$cff" = "$v" ] || fail "CITATION.cff says version $cff, VERSION $v"
n=0
for c in "$src"/tools/tfm-*.c; do
    t=$(basename "$c" .c) n=$((n + 1))
    [ -x "$prefix/bin/$t" ] || fail "build.sh installed no $t"
    # the tarball's tools print the bare semantic version (no git commit: there is no .git)
    "$prefix/bin/$t" --version | grep -q "^$t $cff (htslib " || fail "$t --version: not '$t $cff (htslib ...)': $("$prefix/bin/$t" --version)"
    grep -q "^\.TH [A-Z-]* 1 \"[^\"]*\" \"tfm $v\" " "$prefix/share/man/man1/$t.1" || fail "installed man page $t.1: .TH has not 'tfm $v'"
done
for m in tfm-default tfm-default.m2 tfm-default.m3 tfm-default.m4; do # the model and its ensemble's members
    cmp -s "$prefix/share/tfm/$m.safetensors" "$src/models/$m.safetensors" || fail "build.sh installed no $m.safetensors"
done

# the test section of meta.yaml, in a directory holding its source_files, with the install on PATH
meta=$src/packaging/bioconda/meta.yaml
mkdir "$d/t"
for f in $(sed -n '/^  source_files:$/,/^  [a-z]/s/^    - //p' "$meta"); do cp -r "$src/$f" "$d/t/"; done
ncmd=0
while IFS= read -r cmd; do
    ncmd=$((ncmd + 1))
    (cd "$d/t" && env -i PATH="$prefix/bin:/usr/local/bin:/usr/bin:/bin" HOME="$d" PREFIX="$prefix" \
        bash -euo pipefail -c "$cmd") > "$d/cmd.log" 2>&1 || { tail -5 "$d/cmd.log" >&2; fail "meta.yaml test command failed: $cmd"; }
done < <(sed -n '/^  commands:$/,/^[a-z]/s/^    - //p' "$meta" | sed "s/{{ version }}/$v/g")
for c in "$src"/tools/tfm-*.c; do
    grep -qx "    - $(basename "$c" .c) --version" "$meta" || fail "meta.yaml does not test $(basename "$c" .c) --version"
done
grep -qx '    - bash examples/demo.sh' "$meta" || fail "meta.yaml does not run the demo"
for lib in htslib openblas zlib; do
    sed -n '/^  host:$/,/^  [a-z]/p' "$meta" | grep -qx "    - $lib" || fail "meta.yaml: $lib is not a host requirement (its run_exports pin the run dependency)"
done
grep -q 'pin_subpackage(name' "$meta" || fail "meta.yaml: no run_exports of tfm itself"
grep -q 'make install PREFIX="${PREFIX}"' "$src/packaging/bioconda/build.sh" || fail "build.sh: no make install PREFIX=\$PREFIX"

# the Dockerfile: Debian slim, two stages, the same build from the same tarball
df=$src/packaging/Dockerfile
[ "$(grep -c '^FROM debian:${DEBIAN}' "$df")" = 2 ] && grep -q '^ARG DEBIAN=.*-slim$' "$df" || fail "Dockerfile: not two stages on Debian slim"
grep -q '^COPY tfm-${VERSION}.tar.gz ' "$df" && grep -q 'bash packaging/bioconda/build.sh' "$df" || fail "Dockerfile: does not build the tarball with build.sh"
grep -q '^COPY --from=build ' "$df" || fail "Dockerfile: the runtime stage copies nothing from the build stage"

# a fast subset of the suite in the unpacked tree (tools built by build.sh above)
(cd "$src" && TFM_TESTS="${TFM_DIST_TESTS:-options output}" bash tests/run.sh > "$d/tests.log" 2>&1) ||
    { tail -20 "$d/tests.log" >&2; fail "tests of the unpacked tarball failed"; }
echo "dist: $name.tar.gz ($(wc -l < "$d/list") entries) builds with build.sh from an empty directory; $n tools, man pages and the model installed; $ncmd meta.yaml test commands ok; $(tail -1 "$d/tests.log")" >&2
