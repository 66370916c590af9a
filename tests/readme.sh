#!/usr/bin/env bash
# The README's examples run as written: its first command's `export PATH=$PWD/bin:$PATH`, then
# the quick start and the "Recipes" block, from the top of a tree (bin, examples and models linked
# into a scratch directory) in a clean environment whose PATH has no tfm. Checks the files the
# recipes write.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
readme=$top/README.md
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
first=$(awk '/^```sh/ {getline; print; exit}' "$readme")
exp=$(printf '%s\n' "$first" | grep -o 'export PATH=[^ ]*') ||
    { echo "readme.sh: the README's first command has no 'export PATH=...'" >&2; exit 1; }
quick=$(awk '/^```sh/ {n++; b = 1; next} b && /^```/ {b = 0; next} b && n == 2' "$readme")
recipes=$(awk '/^## Recipes/ {r = 1} r && /^```sh/ {b = 1; next} b && /^```/ {exit} b' "$readme")
[[ $quick == *tfm-seed* && $recipes == *tfm-rank* ]] || { echo "readme.sh: quick start or recipes not found" >&2; exit 1; }
ln -s "$top/bin" "$top/examples" "$top/models" "$d/"
cd "$d"
env -i HOME="$d" PATH=/usr/local/bin:/usr/bin:/bin bash -c 'command -v tfm-seed' > /dev/null &&
    { echo "readme.sh: tfm-seed is on the clean PATH already" >&2; exit 1; }
env -i HOME="$d" PATH=/usr/local/bin:/usr/bin:/bin bash -euo pipefail -c "$exp
$quick
$recipes" || { echo "readme.sh: the README's commands failed" >&2; exit 1; }
fail=0
check() { awk -F'\t' "$2" "$1" || { echo "readme.sh: $1: $3" >&2; fail=1; }; }
check scores.tsv 'END {exit !(NR == 24)}' "not the 23 pairs of examples/pairs.tsv"
check mir21_targets.tsv 'NR > 1 && ($1 != "hsa-miR-21-5p" || $(NF - 1) != NR - 1) {bad++} END {exit !(NR == 9 && !bad)}' "not 8 genes ranked"
check pdcd4_mirnas.tsv 'NR > 1 && $(NF - 1) != NR - 1 {bad++} END {exit !(NR == 21 && !bad)}' "not 20 miRNAs ranked"
check matrix.tsv 'NF != 7 {bad++} END {exit !(NR == 9 && !bad)}' "not 8 genes x 5 miRNAs"
check mir21_sites.bed 'NR == 1 && !/^track / {bad++} NR > 1 && (NF != 6 || $5 < 800) {bad++} END {exit !(NR > 1 && !bad)}' "not a BED track of scores >= 800"
exit $fail
