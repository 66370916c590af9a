#!/usr/bin/env bash
# Every tool of tools/ takes the common options with the same meaning (README "Options of every
# tool"): -h/--help (usage on stdout, exit 0), -V/--version ("tfm-x VERSION" on stdout), -t/--threads
# (a bad value is a usage error naming --threads; the output does not depend on it), -o/--output
# (the same bytes as stdout), -q/--quiet (the same output), -v/--verbose (a summary line on
# stderr), and its man page documents each. Run from tests/ with bin/ on PATH (tests/run.sh).
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
# a command line per tool; "file" when the tool writes a file (-o) rather than stdout
args() {
    case $1 in
    tfm-seed) echo "-m canonical data/seed/let7.fa data/seed/utr1.fa" ;;
    tfm-score) echo "data/recipes/own_sites.tsv" ;;
    tfm-encode) echo "-s deeptarget data/recipes/own_sites.tsv" ;;
    tfm-aggregate) echo "data/aggregate/sites.tsv" ;;
    tfm-rank) echo "data/recipes/pairs.tsv" ;;
    tfm-bed) echo "data/recipes/sites_scored.tsv" ;;
    tfm-acc) echo "acc/basic.tsv" ;;
    tfm-decoy) echo "data/decoy/pairs.tsv" ;;
    tfm-plot) echo "data/seed/let7_utr1_canonical.out" ;;
    tfm-convert) echo "--list ../models/tfm-default.safetensors" ;;
    tfm-index) echo "file data/seed/utr1.fa" ;;
    tfm-train) echo "file -a deeptarget -e 1 --batch 16 data/train/tiny.tsv" ;;
    *) return 1 ;;
    esac
}
fail=0
bad() { echo "options_check: $t: $*"; fail=1; }
for src in ../tools/tfm-*.c; do
    t=$(basename "$src" .c)
    a=$(args "$t") || { bad "no command line in options_check.sh"; continue; }
    "$t" -h > "$d/h1" 2> /dev/null || bad "-h exits non-zero"
    "$t" --help > "$d/h2" 2> /dev/null || bad "--help exits non-zero"
    cmp -s "$d/h1" "$d/h2" || bad "-h and --help differ"
    grep -q "^Usage: $t" "$d/h1" || bad "-h: no 'Usage: $t' on stdout"
    for o in "-t, --threads" "-o, --output" "-q, --quiet" "-v, --verbose" "-h, --help" "-V, --version"; do
        grep -qF -- "$o" "$d/h1" || bad "-h does not list '$o'"
        grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "../man/$t.1" || bad "man/$t.1 does not list '$o'"
    done
    "$t" -V > "$d/v1" && "$t" --version > "$d/v2" && cmp -s "$d/v1" "$d/v2" && grep -q "^$t $(cat ../VERSION)[ $]" "$d/v1" ||
        bad "-V/--version: not '$t $(cat ../VERSION) ...' (the semantic version of VERSION) on stdout, exit 0"
    "$t" -t x $a > /dev/null 2> "$d/err"
    [ $? = 2 ] && grep -qF "invalid value 'x' for --threads" "$d/err" || bad "-t x: not a usage error naming --threads"
    if [ "${a%% *}" = file ]; then # the output is the file of -o
        a=${a#file }
        "$t" -q -t 2 $a -o "$d/out.fa.gz" > "$d/stdout" 2> "$d/err" && [ -s "$d/out.fa.gz" ] || bad "-o FILE: no FILE ($(head -c 200 "$d/err"))"
        "$t" -v $a -o "$d/out2.fa.gz" > /dev/null 2> "$d/err" && grep -q "^$t: " "$d/err" || bad "-v: no summary line"
        rm -f "$d"/out*
        continue
    fi
    "$t" $a > "$d/plain" 2> "$d/err" || { bad "$a: exit non-zero ($(head -c 200 "$d/err"))"; continue; }
    [ -s "$d/plain" ] || bad "$a: no output"
    "$t" -o "$d/out" $a > "$d/stdout" 2> /dev/null && cmp -s "$d/out" "$d/plain" && [ ! -s "$d/stdout" ] ||
        bad "-o FILE: not the bytes of stdout"
    "$t" --output "$d/out2" $a > /dev/null 2>&1 && cmp -s "$d/out2" "$d/plain" || bad "--output FILE: not the bytes of stdout"
    "$t" -t 2 -q $a 2> /dev/null | cmp -s - "$d/plain" || bad "-t 2 -q: other output"
    "$t" --threads 2 --quiet $a 2> /dev/null | cmp -s - "$d/plain" || bad "--threads 2 --quiet: other output"
    "$t" -v $a 2> "$d/err" | cmp -s - "$d/plain" && grep -q "^$t: " "$d/err" || bad "-v: other output or no summary line"
    "$t" --verbose $a 2> "$d/err" > /dev/null && grep -q "^$t: " "$d/err" || bad "--verbose: no summary line"
done
exit $fail
