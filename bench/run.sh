#!/usr/bin/env bash
# Benchmark runner: every benchmark program in $1 (bench/*.c, built by make), then every
# tool-level benchmark script bench/*.sh, one after another.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
benchbin=${1:-$top/build/rel/bench}
case $benchbin in /*) ;; *) benchbin=$top/$benchbin ;; esac
export TFM_DATA=${TFM_DATA:-$top/../shared/data}
export TFM_BENCH_DIR=$here  # bench_rnafm runs rnafm_torch.py from here
case $TFM_DATA in /*) ;; *) TFM_DATA=$top/$TFM_DATA ;; esac
status=0
for b in "$benchbin"/*; do
    [ -x "$b" ] && [ -f "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || status=1
done
for s in "$here"/*.sh; do
    [ "$(basename "$s")" = run.sh ] && continue
    echo "== $(basename "$s")"
    bash "$s" || status=1
done
exit $status
