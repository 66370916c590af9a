#!/usr/bin/env bash
# Run every benchmark program in $1 (bench/*.c, built by make). Timings are noisy on shared
# machines: run twice and compare.
set -u
dir=${1:-build/rel/bench}
for b in "$dir"/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || exit 1
done
