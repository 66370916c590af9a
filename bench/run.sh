#!/usr/bin/env bash
# Benchmark runner: every program in $1 (bench/*.c, built by make bench), run from bench/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
dir=${1:-$top/build/rel/bench}
case $dir in /*) ;; *) dir=$top/$dir ;; esac
export TFM_DATA=${TFM_DATA:-$top/../shared/data}
case $TFM_DATA in /*) ;; *) TFM_DATA=$top/$TFM_DATA ;; esac
rc=0
for b in "$dir"/*; do
    [ -x "$b" ] || continue
    (cd "$here" && "$b") || rc=1
done
exit $rc
