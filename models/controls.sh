#!/usr/bin/env bash
# Figures that miRNA identity cannot fake (issue 13; models/README.md "Controls"), for a model,
# the published checkpoints and a canonical site count, from $TFM_DATA:
#   site level  the val split of miraw/train/sites.tsv.gz (site-val) and DeepMirTar's site set
#               (site-dmt; its miRNAs are stored 3'->5' and are reversed here), each site searched
#               as a transcript (no window: score 0);
#   gene level  miRAW test sets 0-4 (miraw, the mean over the five sets);
# each with accuracy, ROC-AUC and within-miRNA AUC of the real pairs, and the shuffled-miRNA
# control of tfm-decoy: win (positives whose miRNA outscores its decoy on the same UTR or site,
# ties 1/2) and shuf+ (decoys scored >= 0.5). On the panel of models/panel.sh (every miRNA of
# set 0 x 100 of its UTRs, no label): leak, the Spearman correlation of the miRNAs' mean scores
# with their training positive fraction, and bg_win, how often a miRNA outscores its decoy there
# (ties 1/2): on UTRs that are not its targets a score that measures pairing has no reason to
# prefer the real miRNA (0.5), while one that has learnt what real miRNAs look like does, and
# then fakes part of its win. A model with a miRNA prior is shown without it and with it
# (+prior); mirna-prior is the baseline that knows only the miRNA (tfm-acc --prior; the val
# split's prior learnt from the train split only).
#
#   bash models/controls.sh [MODEL]     MODEL defaults to tfm's default model
#   PUBLISHED=1 bash models/controls.sh also TargetNet (esa) and deepTarget (offset-9-mer-m7)
#   INPUTS="site-val site-dmt" bash models/controls.sh   only those inputs [site-val site-dmt miraw
#       panel]; miraw reads the test sets' labels, panel only the UTR sequences of set 0
#   environment: AGG_METHOD overrides the model's aggregation (its meta 'aggregate'); THREADS [2]; PANEL [100] UTRs, SLOW_PANEL [20] UTRs for TargetNet, whose esa
#   windows (about 1,600 per UTR) make it ~50x slower; KEEP=DIR keeps tfm-acc's full outputs
#
# The canonical site count (tfm-seed --mode canonical | tfm-aggregate --method site-count) is
# always shown. CPU time about 1 min, with PUBLISHED=1 about 4 (TargetNet's esa windows take
# most); on a busy shared 2-core machine that was 2 and 13 min of wall time.
set -euo pipefail
. "$(dirname "$0")/data.sh" "controls"
model=${1:-${TFM_MODEL:-$top/models/tfm-default.safetensors}}
threads=${THREADS:-2} panel=${PANEL:-100} slow_panel=${SLOW_PANEL:-20}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sites=$D/miraw/train/sites.tsv.gz
inputs=${INPUTS:-site-val site-dmt miraw panel}
for in in $inputs; do
    case $in in site-val|site-dmt|miraw|panel) ;; *) echo "controls.sh: INPUTS: unknown input '$in' (site-val site-dmt miraw panel)" >&2; exit 2 ;; esac
done
has() { [[ " $inputs " == *" $1 "* ]]; }

# ---- inputs, each with its shuffled-miRNA twins (pairs TSV: the site is the "transcript")
gzip -dc "$sites" | awk -F'\t' -v OFS='\t' 'NR == 1 {print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label"}
    NR > 1 && $6 == "val" {print $1, $2, $3 "_" NR, $4, $5}' | tfm-decoy > "$tmp/site-val.in"
gzip -dc "$sites" | awk -F'\t' 'NR == 1 || $6 == "train"' > "$tmp/train_sites.tsv"
has site-dmt && gzip -dc "$D/deepmirtar/data_DeepMirTar_removeMisMissing_remained_seed1122.txt.gz" |
    awk -F'\t' -v OFS='\t' 'NR == 1 {print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label"; next}
        {s = ""; for (i = length($2); i > 0; i--) s = s substr($2, i, 1); print $1, s, $3 "_" NR, $4, $5}' |
    tfm-decoy > "$tmp/site-dmt.in"
if has miraw; then
    for k in 0 1 2 3 4; do # one file for the five sets: ids made unique per set (pairs recur across sets)
        gzip -dc "$D/miraw/test/miRAW_Test$k.txt.gz" |
            awk -F'\t' -v OFS='\t' -v k="$k" 'NR == 1 {print $0, "set"; next} {$3 = $3 "/" k; print $0, k}' |
            { [ "$k" = 0 ] && cat || tail -n +2; }
    done | tfm-decoy > "$tmp/miraw.in"
fi
if has panel; then # UTR sequences of set 0 only; for bg_win shuffled, each pair with a label 1 and its twin
    for p in :$panel -slow:$slow_panel; do
        bash "$top/models/panel.sh" "$D/miraw/test/miRAW_Test0.txt.gz" "${p#*:}" > "$tmp/panel${p%:*}.in"
        bash "$top/models/panel.sh" "$D/miraw/test/miRAW_Test0.txt.gz" "${p#*:}" 1 shuffled |
            awk -F'\t' -v OFS='\t' '{print $0, NR == 1 ? "label" : 1}' | tfm-decoy > "$tmp/bg${p%:*}.in"
    done
fi

# ---- one model: NAME MODE PANEL SCORE... (SCORE: tfm-score's options, or site-count)
# Writes $tmp/NAME.INPUT.tsv (pair rows) and, for a model with a miRNA prior, NAME+prior.INPUT.tsv.
run_model() {
    local name=$1 mode=$2 pin=$3 score
    shift 3
    if [ "$1" = site-count ]; then
        score=(cat) agg=(--method site-count) prior=0
    else
        score=(nice tfm-score --threads "$threads" "$@") agg=(--method max) prior=0 # published: max
        local meta; meta=$(tfm-convert --meta "${@: -1}" 2>/dev/null || true)
        if grep -q '^mirna_prior' <<< "$meta"; then # no pipe: grep -q exiting early would SIGPIPE printf (pipefail)
            prior=1 # today's tfm-score adds its column by itself; tomorrow's with --prior model
            [[ $(tfm-score --help) == *--prior* ]] && score+=(--prior model)
        fi
        local a; a=$(printf '%s\n' "$meta" | awk -F'\t' '$1 == "aggregate" {print $2}')
        [ -n "$a" ] && agg=(--method "$a")
        [ -n "${AGG_METHOD:-}" ] && agg=(--method "$AGG_METHOD")
    fi
    local gene_agg=("${agg[@]}")
    local runs=${inputs/panel/$pin bg${pin#panel}}
    for in in $runs; do
        local out=${in%-slow} tee=(cat)
        agg=("${gene_agg[@]}") # site level: the best window's score, as tfm-train reports it
        case $in in site-*) [ "${agg[*]}" = "--method site-count" ] || agg=(--method max) ;; esac
        if [ $prior = 1 ]; then # the same site scores aggregated without the prior, too
            drop_column mirna_prior < "$tmp/rows.fifo" | tfm-aggregate "${agg[@]}" > "$tmp/$name.$out.tsv" &
            tee=(tee "$tmp/rows.fifo") out=$name+prior.$out
        else
            out=$name.$out
        fi
        nice tfm-seed --threads "$threads" --mode "$mode" --pairs "$tmp/$in.in" | "${score[@]}" | "${tee[@]}" |
            tfm-aggregate "${agg[@]}" > "$tmp/$out.tsv"
        [ $prior = 0 ] || wait $!
    done
    models+=("$name")
    [ $prior = 1 ] && models+=("$name+prior")
    return 0
}
mkfifo "$tmp/rows.fifo"

models=()
mode=$(tfm-convert --meta "$model" | awk -F'\t' '$1 == "site_mode" {print $2}')
name=$(basename "$model"); name=${name%.*}
run_model "$name" "${mode:-10-mer-m6}" panel --model "$model"
if [ "${PUBLISHED:-0}" = 1 ]; then
    run_model TargetNet esa panel-slow --model "$D/models/TargetNet.pt"
    run_model deepTarget offset-9-mer-m7 panel --model "$D/models/deepTarget_weights.pt"
fi
run_model site-count canonical panel site-count

# ---- figures
acc() { # $1: model, $2: input; tfm-acc's rows, kept under KEEP
    local p=$sites
    [ "$2" = site-val ] && p=$tmp/train_sites.tsv
    tfm-acc --prior "$p" "$tmp/$1.$2.tsv" | tee "$tmp/acc.$1.$2.tsv"
}
pick() { # $1: tfm-acc output on stdin; model row $1, set $2: accuracy roc_auc within win shuf+
    awk -F'\t' -v m="$1" -v s="$2" 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
        $1 == m && $2 == s {print $c["accuracy"], $c["roc_auc"], $c["within_mirna_auc"], $c["shuffle_win"], $c["shuffled_pos"]}'
}
{
    echo "model data accuracy roc_auc within_auc win shuf+ leak bg_win"
    for m in "${models[@]}"; do
        for in in $inputs; do
            set=all; [ $in = miraw ] && set=mean
            if [ $in = panel ]; then
                leak=$(tfm-acc --leakage --prior "$sites" "$tmp/$m.panel.tsv" | tee "$tmp/leak.$m.tsv" |
                    awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} {print $c["leakage"]}')
                bg=.
                [ -s "$tmp/$m.bg.tsv" ] && bg=$(tfm-acc "$tmp/$m.bg.tsv" | awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                    {print $c["shuffle_win"]}')
                echo "$m panel . . . . . $leak $bg"
            else
                echo "$m $in $(acc "$m" $in | pick input $set) . ."
            fi
        done
    done
    for in in $inputs; do # the baseline's rows are the same in every model's output
        set=all; [ $in = miraw ] && set=mean
        [ $in = panel ] && { echo "mirna-prior panel . . . . . 1 ."; continue; }
        echo "mirna-prior $in $(pick mirna-prior $set < "$tmp/acc.${models[0]}.$in.tsv") . ."
    done
} | awk '{printf "%-22s %-9s %-9s %-8s %-10s %-7s %-7s %-6s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$tmp"/acc.*.tsv "$tmp"/leak.*.tsv "$KEEP"/; fi
