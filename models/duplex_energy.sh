#!/usr/bin/env bash
# Duplex free energy as a second site feature (tried 2026-12-03, not adopted; models/README.md,
# "Duplex free energy"), on validation data only. Every candidate window of the default pipeline
# gets the minimum free energy dG of its hybrid with the miRNA by RNAhybrid (Rehmsmeier et al.
# 2004, nearest-neighbour energies; Debian package rnahybrid; research only, tfm does not depend
# on it), and its score becomes sigmoid(logit p + B (C - dG)), for several B. C is set so that the
# term averages to 1 in odds over the windows of the shuffled-miRNA twins of the val sites
# (C = -log(mean exp(-B dG)) / B): a miRNA that does not exist keeps its odds on average.
#
#   bash models/duplex_energy.sh [MODEL]     MODEL defaults to tfm's default model (~8 min)
#
# Prints, per input, B and C (C = per-miRNA: PER_MIRNA=1 of with_dg below): ROC-AUC, within-miRNA AUC, win, shuf+ (as models/controls.sh), and for
# the val genes of models/val_genes.py (one gene per val site, 60 backgrounds) also the share of
# random panel pairs above 0.5 and the accuracy with `--prior model`. No test set enters.
set -euo pipefail
. "$(dirname "$0")/data.sh" "duplex_energy"
command -v RNAhybrid > /dev/null || { echo "skip: duplex_energy: RNAhybrid not installed (apt-get install rnahybrid)"; exit 0; }
model=${1:-$top/models/tfm-default.safetensors}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sites=$D/miraw/train/sites.tsv.gz
gzip -dc "$sites" | awk -F'\t' 'NR == 1 || $6 == "train"' > "$tmp/train_sites.tsv"

# ---- dG of every window of a scored row file: $1 rows, writes $1.dg (header + one line per row)
dg() {
    python3 - "$1" > "$1.dg" <<'PY'
import collections, os, subprocess, sys, tempfile
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
im, iw = rows[0].index("mirna_seq"), rows[0].index("site_seq")
by_mirna = collections.defaultdict(list)  # one RNAhybrid run per miRNA, all its windows
for k, r in enumerate(rows[1:], 1):
    if r[iw] not in ("", "."):  # "." : a pair without any window
        by_mirna[r[im]].append(k)
dg = [""] * len(rows)
with tempfile.TemporaryDirectory() as td:
    q, t = os.path.join(td, "q.fa"), os.path.join(td, "t.fa")
    for mirna, ks in by_mirna.items():
        with open(q, "w") as fh:
            fh.write(">q\n%s\n" % mirna)
        with open(t, "w") as fh:
            fh.writelines(">w%d\n%s\n" % (k, rows[k][iw]) for k in ks)
        out = subprocess.run(["RNAhybrid", "-c", "-b", "1", "-s", "3utr_human", "-t", t, "-q", q],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():  # target:len:query:len:mfe:...
            f = line.split(":")
            dg[int(f[0][1:])] = f[4]
print("dG")
print("\n".join(dg[1:]))
PY
}
# ---- rows with dG -> rows scored sigmoid(logit p + B (C - dG)) ($1: rows, $2: their .dg). With
# PER_MIRNA=1, C is set per miRNA sequence from that miRNA's windows in the same file instead (its
# own background: a GC-rich miRNA pairs more stably everywhere).
with_dg() {
    paste "$1" "$2" | awk -F'\t' -v OFS='\t' -v b="$B" -v c0="$C" -v per="${PER_MIRNA:-0}" '
        function lg(p) {p = p < 1e-7 ? 1e-7 : p > 1 - 1e-7 ? 1 - 1e-7 : p; return log(p / (1 - p))}
        FNR == 1 {for (i = 1; i <= NF; i++) c[$i] = i}
        NR == FNR {if (FNR > 1 && $NF != "") {n[$c["mirna_seq"]]++; e[$c["mirna_seq"]] += exp(-b * $NF)}; next}
        FNR == 1 {NF--; print; next}
        {m = $c["mirna_seq"]; C = per && b ? -log(e[m] / n[m]) / b : c0
         if ($c["score"] != "") $c["score"] = sprintf("%.9g", 1 / (1 + exp(-(lg($c["score"]) + b * (C - $NF)))))
         NF--; print}' - <(paste "$1" "$2")
}
pick() { awk -F'\t' -v m="$1" 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
    $1 == m && $2 != "mean" {printf "%s\t%s\t%s\t%s", $c["roc_auc"], $c["within_mirna_auc"], $c["shuffle_win"], $c["shuffled_pos"]}'; }

# ---- site level: val (with twins) and DeepMirTar (miRNAs stored 3'->5', reversed here)
gzip -dc "$sites" | awk -F'\t' -v OFS='\t' 'NR == 1 {print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label"}
    NR > 1 && $6 == "val" {print $1, $2, $3 "_" NR, $4, $5}' | tfm-decoy > "$tmp/site-val.in"
gzip -dc "$D/deepmirtar/data_DeepMirTar_removeMisMissing_remained_seed1122.txt.gz" |
    awk -F'\t' -v OFS='\t' 'NR == 1 {print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label"; next}
        {s = ""; for (i = length($2); i > 0; i--) s = s substr($2, i, 1); print $1, s, $3 "_" NR, $4, $5}' |
    tfm-decoy > "$tmp/site-dmt.in"
for in in site-val site-dmt; do
    tfm-seed --pairs "$tmp/$in.in" | tfm-score --model "$model" > "$tmp/$in.rows"
    dg "$tmp/$in.rows"
done
# ---- gene level: the val genes (with twins, scored with the prior) and the random panel
python3 "$top/models/val_genes.py" "$D" "$tmp" 60 site
tfm-decoy < "$tmp/valgene.tsv" | tfm-seed --pairs - | tfm-score -q --model "$model" --prior model > "$tmp/genes.rows"
tfm-seed --pairs "$tmp/valpanel.tsv" | tfm-score --model "$model" > "$tmp/panel.rows"
dg "$tmp/genes.rows"; dg "$tmp/panel.rows"

printf 'input\tB\tC\troc_auc\twithin_auc\twin\tshuf+\tpanel>0.5\taccuracy_prior\n'
for rule in "0 0" "0 0.05" "0 0.1" "0 0.15" "0 0.2" "1 0.1" "1 0.15"; do # PER_MIRNA B
    set -- $rule; PER_MIRNA=$1 B=$2
    C=$(paste "$tmp/site-val.rows" "$tmp/site-val.rows.dg" | awk -F'\t' -v b="$B" '
        NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
        $c["control"] == "shuffled" && $NF != "" {n++; s += exp(-b * $NF)} END {printf "%.4f", b ? -log(s / n) / b : 0}')
    [ "$PER_MIRNA" = 1 ] && C=per-miRNA
    export PER_MIRNA B C
    for in in site-val site-dmt; do
        p=$sites; [ "$in" = site-val ] && p=$tmp/train_sites.tsv
        printf '%s\t%s\t%s\t%s\t\t\n' "$in" "$B" "$C" "$(with_dg "$tmp/$in.rows" "$tmp/$in.rows.dg" |
            tfm-aggregate --method max | tfm-acc --prior "$p" | pick input)"
    done
    with_dg "$tmp/genes.rows" "$tmp/genes.rows.dg" > "$tmp/genes.b"
    above=$(with_dg "$tmp/panel.rows" "$tmp/panel.rows.dg" | tfm-aggregate |
        awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "score") c = i; next} {n++; a += $c > 0.5} END {printf "%.4f", a / n}')
    acc_prior=$(tfm-aggregate < "$tmp/genes.b" | tfm-acc --prior "$tmp/train_sites.tsv" |
        awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $1 == "input" && $2 != "mean" {print $c["accuracy"]}')
    printf 'val-genes\t%s\t%s\t%s\t%s\t%s\n' "$B" "$C" "$(drop_column mirna_prior < "$tmp/genes.b" | tfm-aggregate |
        tfm-acc --prior "$tmp/train_sites.tsv" | pick input)" "$above" "$acc_prior"
done
