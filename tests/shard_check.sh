#!/usr/bin/env bash
# shard_check.sh [-a] N TFM-SEED-ARGS...: run tfm-seed unsharded and as N shards, and check
# that `cat` of shard 1 and shards 2..N run with --no-header gives the unsharded bytes (compared
# by checksum, so large outputs need no disk); with -a, also that `awk 'NR==1 || FNR>1'` over N
# shards that each have a header gives them, and that shard 1 is not the whole output.
set -euo pipefail
awk_rule=0; [ "$1" = -a ] && { awk_rule=1; shift; }
n=$1; shift
all=$(tfm-seed "$@" | cksum)
cat=$(for k in $(seq 1 "$n"); do h=; [ "$k" -gt 1 ] && h=--no-header; tfm-seed --shard "$k/$n" $h "$@"; done | cksum)
[ "$cat" = "$all" ] || { echo "shard_check: $n shards (cat) differ from the unsharded run: $*" >&2; exit 1; }
[ $awk_rule = 1 ] || exit 0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for k in $(seq 1 "$n"); do tfm-seed --shard "$k/$n" "$@" > "$tmp/$k"; done
gather=$(awk 'NR==1 || FNR>1' $(for k in $(seq 1 "$n"); do echo "$tmp/$k"; done) | cksum)
[ "$gather" = "$all" ] || { echo "shard_check: $n shards (awk gather) differ from the unsharded run: $*" >&2; exit 1; }
[ "$n" = 1 ] || [ "$(wc -l < "$tmp/1")" -lt "$(tfm-seed "$@" | wc -l)" ]
