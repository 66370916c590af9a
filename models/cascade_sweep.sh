#!/usr/bin/env bash
# The cascade's threshold against what it costs (models/README.md, "The ensemble and its cascade"),
# on validation data only: the val split's sites scored by each of the default's four networks
# alone (--ensemble off), combined as tfm-score's cascade does (a window the first network gives
# p >= TAU: the sigmoid of the four networks' mean logit, p clipped to [1e-7, 1 - 1e-7]; any other
# window: the first network's p), for several TAU, and with the members also on canonical
# windows; then the share of windows of random pairs (the val panel of models/val_genes.py) the
# first network gives p >= TAU, i.e. the share the members would score.
#
#   bash models/cascade_sweep.sh         prints: rule  TAU  val_roc_auc  val_within_auc  panel_share
# (panel_share counts the windows p >= TAU only, also for the canonical rule)
set -euo pipefail
. "$(dirname "$0")/data.sh" "cascade_sweep"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gzip -dc "$D/miraw/train/sites.tsv.gz" | awk -F'\t' 'BEGIN {OFS = "\t"; print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label", "set"}
    NR > 1 && $6 == "val" {print $1, $2, $3 "_" NR, $4, $5, "val"}' > "$tmp/val.tsv"
tfm-seed -t 2 -p "$tmp/val.tsv" > "$tmp/val.rows"
m=$top/models/tfm-default
for k in "" .m2 .m3 .m4; do
    tfm-score -t 2 --ensemble off --model "$m$k.safetensors" "$tmp/val.rows" |
        awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "score") c = i; next} {print $c}' > "$tmp/p$k"
done
python3 "$top/models/val_genes.py" "$D" "$tmp" 60 site > /dev/null
tfm-seed -t 2 -p "$tmp/valpanel.tsv" | tfm-score -t 2 --ensemble off |
    awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "score") c = i; next} $c != "" {print $c}' > "$tmp/panel.p"
printf 'rule\tTAU\tval_roc_auc\tval_within_auc\tpanel_share\n'
for rt in "p 0.8" "p 0.5" "p 0.3" "p 0.2" "p 0.1" "p 0.05" "p 0" "canonical 0.8"; do
    set -- $rt
    paste "$tmp/val.rows" <(echo; cat "$tmp/p") <(echo; cat "$tmp/p.m2") <(echo; cat "$tmp/p.m3") <(echo; cat "$tmp/p.m4") |
        awk -F'\t' -v OFS='\t' -v rule="$1" -v tau="$2" '
        function lg(p) {p = p < 1e-7 ? 1e-7 : p > 1 - 1e-7 ? 1 - 1e-7 : p; return log(p / (1 - p))}
        NR == 1 {nf = NF - 4; for (i = 1; i <= nf; i++) if ($i == "site_type") st = i; $0 = $0; NF = nf; print $0, "score"; next}
        {p1 = $(nf + 1); s = p1
         if (p1 != "" && $st != "none" && (p1 >= tau || (rule == "canonical" && $st ~ /^(8mer|7mer-m8|7mer-A1|6mer)$/)))
             s = sprintf("%.6g", 1 / (1 + exp(-(lg($(nf + 1)) + lg($(nf + 2)) + lg($(nf + 3)) + lg($(nf + 4))) / 4)))
         NF = nf; print $0, s}' | tfm-aggregate --method max | tfm-acc |
        awk -F'\t' -v r="$1" -v t="$2" -v share="$(awk -v t="$2" '{n++; a += $1 >= t} END {printf "%.3f", a / n}' "$tmp/panel.p")" \
            'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $2 != "mean" {print r "\t" t "\t" $c["roc_auc"] "\t" $c["within_mirna_auc"] "\t" share}'
done
