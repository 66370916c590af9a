#!/usr/bin/env bash
# How far the seed alone moves the site-level figures (models/README.md, "The seed against the
# recipe"), on the val split only: N networks of each recipe, differing only in --seed, each
# scored on the val split's sites (each 40-nt site searched as a transcript, best window, as
# models/evaluate.sh does). Recipes:
#   default   the options of tfm's default model (its member m2's metadata, --seed replaced)
#   identity  the identity-laden recipe of the default before issue 13 (10-mer-m6 windows, no
#             decoys, no per-miRNA balance; the model of a0e8c39 and, retrained with lib/gemm's
#             sums, of 6544ae5, which is this recipe's seed 1)
#   harmonic  the default's with --balance mirna-harmonic (a miRNA weighs 2PN/(P+N), not 2P)
#
#   bash models/recipe_seeds.sh [N]      N seeds per recipe [6]; about 35 s of 2 cores per network
#   RECIPES="default harmonic" bash models/recipe_seeds.sh   only those [default identity harmonic]
#
# Prints: recipe  seed  val_roc_auc  val_within_auc, then per recipe the mean and the standard
# deviation (n - 1) of within_auc.
set -euo pipefail
. "$(dirname "$0")/data.sh" "recipe_seeds"
n=${1:-6}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sites=$D/miraw/train/sites.tsv.gz
default_opts=$(tfm-convert --meta "$top/models/tfm-default.m2.safetensors" |
    awk -F'\t' '$1 == "options" {sub(/--seed [0-9]+ /, "", $2); print $2}')
identity_opts="--arch deeptarget --mode 10-mer-m6 --epochs 10 --batch 32 --lr 0.001 --optimizer adam --select loss"
gzip -dc "$sites" | awk -F'\t' 'BEGIN {OFS = "\t"; print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label", "set"}
    NR > 1 && $6 == "val" {print $1, $2, $3 "_" NR, $4, $5, "val"}' > "$tmp/val.tsv"
printf 'recipe\tseed\tval_roc_auc\tval_within_auc\n'
for recipe in ${RECIPES:-default identity harmonic}; do
    case $recipe in
    default) opts=$default_opts ;;
    identity) opts=$identity_opts ;;
    harmonic) opts=${default_opts/--balance mirna/--balance mirna-harmonic} ;;
    *) echo "recipe_seeds.sh: unknown recipe '$recipe' (default identity harmonic)" >&2; exit 2 ;;
    esac
    mode=$(echo "$opts" | awk '{for (i = 1; i < NF; i++) if ($i == "--mode") print $(i + 1)}')
    tfm-seed -t 2 -m "$mode" -p "$tmp/val.tsv" > "$tmp/val.rows"
    for k in $(seq "$n"); do
        # shellcheck disable=SC2086 # the options are words
        tfm-train $opts --seed "$k" -t 2 -q "$sites" -o "$tmp/m.safetensors" 2> /dev/null
        tfm-score -t 2 --model "$tmp/m.safetensors" "$tmp/val.rows" | tfm-aggregate --method max | tfm-acc |
            awk -F'\t' -v r=$recipe -v k="$k" 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                $2 != "mean" {print r "\t" k "\t" $c["roc_auc"] "\t" $c["within_mirna_auc"]}'
    done
done | tee "$tmp/out"
awk -F'\t' '{n[$1]++; s[$1] += $4; q[$1] += $4 * $4}
    END {for (r in n) {m = s[r] / n[r]; v = n[r] > 1 ? (q[r] - n[r] * m * m) / (n[r] - 1) : 0
         printf "%s\tmean\t.\t%.4f\n%s\tsd\t.\t%.4f\n", r, m, r, sqrt(v > 0 ? v : 0)}}' "$tmp/out" | sort
