#!/usr/bin/env bash
# make dist: the release tarball tfm-VERSION.tar.gz in DIR [.], printed on stdout.
# Holds the files git tracks (in a tree unpacked from a tarball: those of its MANIFEST) under
# tfm-VERSION/, plus a MANIFEST of them, so that `make dist` works again in the unpacked tree.
# Nothing else goes in: no build output, no ../shared data, no third-party checkpoint (the only
# models are tfm's own: models/tfm-default.safetensors and its ensemble's members
# models/tfm-default.m2..m4.safetensors). The bytes depend on the files alone: sorted names,
# owner 0, every mtime that of the last commit (or SOURCE_DATE_EPOCH), gzip -n.
set -euo pipefail
mkdir -p "${1:-.}" || { echo "dist: cannot create ${1:-.}" >&2; exit 1; }
out=$(cd "${1:-.}" && pwd)
cd "$(dirname "$0")/.."
v=$(cat VERSION)
name=tfm-$v
if [ -e .git ]; then
    files=$(git ls-files | grep -vx MANIFEST)
    epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
elif [ -f MANIFEST ]; then
    files=$(grep -vx MANIFEST MANIFEST)
    epoch=${SOURCE_DATE_EPOCH:-$(stat -c %Y VERSION)}
else
    echo "dist: neither a git checkout nor an unpacked tarball (no MANIFEST)" >&2; exit 1
fi
while IFS= read -r f; do
    [ -f "$f" ] || { echo "dist: '$f' is listed but missing (git rm it, or restore it)" >&2; exit 1; }
    [ "$(stat -c %s "$f")" -le 1048576 ] ||
        { echo "dist: '$f' is over 1 MiB: data and checkpoints stay out of the tarball" >&2; exit 1; }
done <<< "$files"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/$name"
tar -cf - -T <(printf '%s\n' "$files") | tar -xf - -C "$tmp/$name"
printf '%s\n' "$files" MANIFEST | LC_ALL=C sort > "$tmp/$name/MANIFEST"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
    -cf - -C "$tmp" "$name" | gzip -9n > "$out/$name.tar.gz.tmp"
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
echo "$out/$name.tar.gz"
