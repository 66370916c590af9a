#!/usr/bin/env bash
# Retrain a tfm-train model from the options recorded in its own metadata and check that the
# weights come out byte-identical (the data file must have the recorded MD5).
#   bash model_retrain.sh MODEL DATA [THREADS]
set -euo pipefail
model=$1 data=$2 threads=${3:-2}
meta() { tfm-convert --meta "$model" | awk -F'\t' -v k="$1" '$1 == k {print $2}'; }
weights() { # the tensor bytes of a safetensors file: after the 8-byte length and the JSON header
    local n
    n=$(od -An -tu8 -N8 "$1" | tr -d ' ')
    tail -c +$((9 + n)) "$1" | md5sum | cut -d' ' -f1
}
want_md5=$(meta data_md5) opts=$(meta options)
[ -n "$opts" ] || { echo "model_retrain.sh: $model records no options" >&2; exit 1; }
out=$(mktemp --suffix=.safetensors); trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086 # the recorded options are words
tfm-train -q $opts -t "$threads" "$data" -o "$out"
got_md5=$(tfm-convert --meta "$out" | awk -F'\t' '$1 == "data_md5" {print $2}')
[ "$got_md5" = "$want_md5" ] || { echo "model_retrain.sh: $data has MD5 $got_md5, the model was trained on $want_md5" >&2; exit 1; }
[ "$(weights "$out")" = "$(weights "$model")" ] || { echo "model_retrain.sh: retrained weights differ from $model" >&2; exit 1; }
echo "model_retrain.sh: $model: weights reproduced from its recorded options ($opts)" >&2
