#!/usr/bin/env bash
# Test runner: every unit-test program in $1 (tests/test_*.c, built by make), then every
# tool-level case of tests/*.tst. Ends with the line "N passed, N failed".
#
# A .tst line is four tab-separated fields (lines starting with # are comments):
#   EXIT   EXPECTED-STDOUT   STDERR-SUBSTRING   COMMAND
# EXIT is the exit status the command must return; EXPECTED-STDOUT a file under tests/ that
# stdout must equal byte for byte, or - (not compared); STDERR-SUBSTRING a fixed string that
# stderr must contain, or -. COMMAND runs under bash in tests/ with bin/ first on PATH and
# TFM_TMP a directory of its own for scratch files.
# A case whose command mentions TFM_DATA or TFM_SPECS is skipped when that directory is absent,
# and one that starts with `need PROG...;` when a PROG is not on PATH (the prefix is not run).
# Lines a case writes to stderr that start with "skip: " (a part it could not run here) are shown,
# each once. TFM_TESTS="aggregate test_nn ..." runs only the named .tst files and test programs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
testbin=${1:-$top/build/rel/tests}
case $testbin in /*) ;; *) testbin=$top/$testbin ;; esac
export TFM_DATA=${TFM_DATA:-$top/../shared/data}
case $TFM_DATA in /*) ;; *) TFM_DATA=$top/$TFM_DATA ;; esac
export TFM_SPECS=${TFM_SPECS:-$TFM_DATA/../specs}
export PATH="$top/bin:$PATH"
have_data=0; [ -f "$TFM_DATA/README.md" ] && have_data=1
have_specs=0; [ -f "$TFM_SPECS/heads.md" ] && have_specs=1
[ $have_data = 1 ] || echo "skip: TFM_DATA ($TFM_DATA) not found: data-dependent cases are skipped"

passed=0 failed=0 skipped=0
told="" # programs of `need` already reported missing
told_skip="" # skip lines of cases already shown
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the scratch files of the .tst cases ($TFM_TMP/tfm_*): private to this run, so that two runs on
# one machine (or a user's own /tmp/tfm_* files) do not meet
export TFM_TMP=$tmp/cases
mkdir -p "$TFM_TMP"

for t in "$testbin"/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    [ -z "${TFM_TESTS:-}" ] || [[ " $TFM_TESTS " == *" $name "* ]] || continue
    (cd "$here" && "$t") > "$tmp/out" 2>&1
    rc=$?
    summary=$(grep -E '^# [0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -1)
    p=$(echo "$summary" | awk '{print $2}'); f=$(echo "$summary" | awk '{print $4}')
    p=${p:-0}; f=${f:-0}
    if [ -z "$summary" ] || { [ $rc -ne 0 ] && [ "$f" = 0 ]; }; then
        f=$((f + 1)); echo "FAIL $name: exited $rc without a summary line"; tail -5 "$tmp/out"
    fi
    grep -E '^(not ok|skip)' "$tmp/out" | head -20
    passed=$((passed + p)); failed=$((failed + f))
    printf '%-28s %5d passed, %d failed\n' "$name" "$p" "$f"
done

for tst in "$here"/*.tst; do
    [ -f "$tst" ] || continue
    [ -z "${TFM_TESTS:-}" ] || [[ " $TFM_TESTS " == *" $(basename "$tst" .tst) "* ]] || continue
    p=0 f=0 s=0 n=0
    while IFS=$'\t' read -r want_rc want_out want_err cmd || [ -n "${want_rc:-}" ]; do
        n=$((n + 1))
        case $want_rc in ''|'#'*) continue ;; esac
        if { [[ $cmd == *TFM_DATA* ]] && [ $have_data = 0 ]; } || { [[ $cmd == *TFM_SPECS* ]] && [ $have_specs = 0 ]; }; then
            s=$((s + 1)); continue
        fi
        if [[ $cmd =~ ^need\ ([^\;]*)\;\ *(.*)$ ]]; then
            cmd=${BASH_REMATCH[2]} missing_prog=0
            for prog in ${BASH_REMATCH[1]}; do
                command -v "$prog" > /dev/null && continue
                missing_prog=1
                [[ " $told " == *" $prog "* ]] || echo "skip: $prog not on PATH: the cases that need it are skipped"
                told="$told $prog"
            done
            if [ $missing_prog = 1 ]; then s=$((s + 1)); continue; fi
        fi
        (cd "$here" && bash -o pipefail -c "$cmd") > "$tmp/out" 2> "$tmp/err" < /dev/null
        rc=$?
        while IFS= read -r line; do
            [[ $told_skip == *"<$line>"* ]] && continue
            echo "$line"; told_skip="$told_skip<$line>"
        done < <(grep '^skip: ' "$tmp/err")
        why=""
        [ "$rc" = "$want_rc" ] || why="exit $rc, want $want_rc"
        if [ -z "$why" ] && [ "$want_out" != - ] && ! cmp -s "$tmp/out" "$here/$want_out"; then
            why="stdout differs from $want_out:"$'\n'"$(diff "$here/$want_out" "$tmp/out" | head -10)"
        fi
        if [ -z "$why" ] && [ "$want_err" != - ] && ! grep -qF -- "$want_err" "$tmp/err"; then
            why="stderr lacks '$want_err': $(head -c 300 "$tmp/err")"
        fi
        if [ -z "$why" ]; then p=$((p + 1)); else
            f=$((f + 1)); echo "FAIL $(basename "$tst"):$n: $cmd"; echo "  $why"
            [ "$rc" = "$want_rc" ] || head -c 500 "$tmp/err" | sed 's/^/  stderr: /'
        fi
    done < "$tst"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    printf '%-28s %5d passed, %d failed%s\n' "$(basename "$tst")" "$p" "$f" "$([ $s -gt 0 ] && echo ", $s skipped")"
done

if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ $failed -eq 0 ]
