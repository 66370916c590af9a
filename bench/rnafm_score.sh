#!/usr/bin/env bash
# TargetFM through tfm-score with the full-size deterministic RNA-FM (--rnafm-det 1): sites/s and
# peak RSS with 1 and 2 threads on the miRNA cache's worst case (512 rows, each of another miRNA,
# so the cache fills and every site needs a miRNA row too: half the rate of a cached run), against
# the target RSS < 1.3 x the 398 MB of weights; the two outputs must be the same bytes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
case $D in /*) ;; *) D=$top/$D ;; esac
if [ ! -f "$D/models/TargetFM1_head_weights.pt" ]; then echo "skip: RNA-FM score benchmark: no TargetFM1 head in $D"; exit 0; fi
PATH=$top/bin:$PATH
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk 'BEGIN {
    srand(7); split("A C G U", nt, " ");
    print "mirna_id\tmirna_seq\tsite_seq\tsite_type";
    for (i = 0; i < 512; i++) {
        m = s = ""; for (k = 0; k < 22; k++) m = m nt[int(rand() * 4) + 1]; for (k = 0; k < 40; k++) s = s nt[int(rand() * 4) + 1];
        print "m" i "\t" m "\t" s "\t8mer" } }' > "$tmp/in.tsv"
echo "tfm-score --model TargetFM1_head_weights.pt --rnafm-det 1, 512 sites of 512 miRNAs (cache worst case):"
for t in 1 2; do
    tfm-score -v -t $t --model "$D/models/TargetFM1_head_weights.pt" --rnafm-det 1 "$tmp/in.tsv" > "$tmp/out$t" 2> "$tmp/err"
    rss=$(sed -n 's/.*peak RSS \([0-9.]*\) MB.*/\1/p' "$tmp/err")
    printf '  threads %d: %s; RSS target < 517.5 MB: %s\n' $t "$(sed 's/^tfm-score: //' "$tmp/err")" \
        "$(awk -v r="$rss" 'BEGIN {print (r < 517.5 ? "met" : "MISSED")}')"
done
cmp -s "$tmp/out1" "$tmp/out2" && echo "  -t 1 and -t 2 outputs identical" || { echo "  -t 1 and -t 2 outputs DIFFER"; exit 1; }
