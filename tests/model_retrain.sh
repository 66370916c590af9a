#!/usr/bin/env bash
# Retrain a tfm-train model from the options recorded in its own metadata and check that the
# weights come out byte-identical (the data file must have the recorded MD5). A distilled model
# (--teacher) records each teacher as teacher_N = "NAME: OPTIONS": the teachers are retrained
# first, under their names, from the same data. So are the members of an ensemble (--member:
# member_N = "NAME: OPTIONS", member_N_md5 = the MD5 of its tensor bytes, as weights() below): each
# retrained member must have the weights recorded (tfm's default model: 3 members, ~3 min more).
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
case $data in /*) ;; *) data=$PWD/$data ;; esac
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
out=$dir/retrained.safetensors
tfm-convert --meta "$model" | awk -F'\t' '$1 ~ /^(teacher|member)_[0-9]+$/ {print $1 "\t" $2}' > "$dir/companions"
# the teachers and members: THREADS trainings at a time, one thread each (the bytes do not
# depend on the thread count, and one-thread runs use the cores better)
running=0
while IFS=$'\t' read -r key t; do
    name=${t%%: *} topts=${t#*: }
    case $topts in *--teacher*|*--member*) echo "model_retrain.sh: ${key%_*} $name is itself distilled or an ensemble" >&2; exit 1 ;; esac
    if [ "$running" -ge "$threads" ]; then wait -n || true; running=$((running - 1)); fi
    # shellcheck disable=SC2086 # the recorded options are words
    { tfm-train -q $topts -t 1 "$data" -o "$dir/$name" 2> "$dir/$name.err" || echo failed > "$dir/$name.failed"; } &
    running=$((running + 1))
done < "$dir/companions"
wait
while IFS=$'\t' read -r key t; do
    name=${t%%: *}
    [ ! -e "$dir/$name.failed" ] || { cat "$dir/$name.err" >&2; echo "model_retrain.sh: retraining ${key%_*} $name failed" >&2; exit 1; }
    case $key in member_*)
        [ "$(weights "$dir/$name")" = "$(meta "${key}_md5")" ] ||
            { echo "model_retrain.sh: retrained weights of member $name differ from those $model records" >&2; exit 1; } ;;
    esac
done < "$dir/companions"
# shellcheck disable=SC2086 # the recorded options are words
(cd "$dir" && tfm-train -q $opts -t "$threads" "$data" -o "$out")
got_md5=$(tfm-convert --meta "$out" | awk -F'\t' '$1 == "data_md5" {print $2}')
[ "$got_md5" = "$want_md5" ] || { echo "model_retrain.sh: $data has MD5 $got_md5, the model was trained on $want_md5" >&2; exit 1; }
[ "$(weights "$out")" = "$(weights "$model")" ] || { echo "model_retrain.sh: retrained weights differ from $model" >&2; exit 1; }
n=$(grep -c '^member_' "$dir/companions" || true) also=""
[ "$n" = 0 ] || also=", and those of its $n members"
echo "model_retrain.sh: $model: weights reproduced from its recorded options ($opts)$also" >&2
