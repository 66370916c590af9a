#!/usr/bin/env bash
# Every workflow runs its shell commands with pipefail, so that a failing stage of
# `tfm-seed | tfm-score | tfm-aggregate` fails the job instead of passing on a truncated table
# with exit status 0 (issue 12): the Snakefile sets bash and a `set -euo pipefail` prefix for all
# of its rules, nextflow.config a pipefail bash for all processes; no rule or process overrides
# them. Each setting is also run: its shell must fail on `false | cat`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "workflow pipefail: $*" >&2; exit 1; }

snake=$top/workflows/snakemake/Snakefile
grep -q '^shell.executable("bash")$' "$snake" || fail "$snake: no shell.executable(\"bash\")"
prefix=$(sed -n 's/^shell.prefix("\(.*\)")$/\1/p' "$snake")
[[ $prefix == *pipefail* ]] || fail "$snake: no shell.prefix with pipefail"
! grep -n 'shell.prefix\|shell.executable' "$snake" | grep -v '^[0-9]*:shell\.' > /dev/null || fail "$snake: a rule sets its own shell"
bash -c "${prefix}false | cat" 2> /dev/null && fail "$snake: its prefix does not fail a pipe"
nrules=$(grep -c '^rule ' "$snake")
[ "$(grep -c '^    shell:' "$snake")" -le "$nrules" ] || fail "$snake: a shell: outside a rule"

nf=$top/workflows/nextflow
shellcfg=$(sed -n "s/^ *shell *= *\[\(.*\)\]$/\1/p" "$nf/nextflow.config" | tr -d "' ")
[ -n "$shellcfg" ] || fail "nextflow.config: no process shell"
IFS=, read -r -a sh <<< "$shellcfg"
[[ " ${sh[*]} " == *" pipefail "* || " ${sh[*]} " == *"-o pipefail"* ]] || fail "nextflow.config: process shell without pipefail"
"${sh[@]}" -c 'false | cat' 2> /dev/null && fail "nextflow.config: its shell does not fail a pipe"
for m in "$nf"/modules/tfm/*/main.nf "$nf"/main.nf; do
    ! grep -q '^ *shell *[=:]' "$m" || fail "$m: sets its own shell"
done
echo "workflow pipefail: ok (Snakefile: $nrules rules; Nextflow: $(ls "$nf"/modules/tfm/*/main.nf | wc -l) modules)" >&2
