# models/panel.sh and models/controls.sh (format: see tests/run.sh)
# the panel: every miRNA of the set x N UTRs drawn by MINSTD from SEED, as Python draws them
0	-	-	for n in 10 100; do cmp <(bash ../models/panel.sh $TFM_DATA/miraw/test/miRAW_Test0.txt.gz $n 1) <(python3 -c 'import csv, gzip, sys; f, n, x = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); M = {}; U = {}; K = {}; [M.setdefault(r["mirna_id"], r["mirna_seq"]) for r in csv.DictReader(gzip.open(f, "rt"), delimiter="\t")]; R = list(csv.DictReader(gzip.open(f, "rt"), delimiter="\t")); exec("for r in R:\n if r[\"mrna_id\"] not in U:\n  x = 48271 * x % 2147483647; U[r[\"mrna_id\"]] = r[\"mrna_seq\"]; K[r[\"mrna_id\"]] = x"); P = sorted(U, key=K.get)[:n]; print("mirna_id\tmirna_seq\tmrna_id\tmrna_seq"); [print(m, M[m], u, U[u], sep="\t") for m in M for u in P]' $TFM_DATA/miraw/test/miRAW_Test0.txt.gz $n 1) || exit 1; done
0	-	-	test "$(bash ../models/panel.sh $TFM_DATA/miraw/test/miRAW_Test0.txt.gz 3 | wc -l)" = 1066 && ! cmp -s <(bash ../models/panel.sh $TFM_DATA/miraw/test/miRAW_Test0.txt.gz 3 1) <(bash ../models/panel.sh $TFM_DATA/miraw/test/miRAW_Test0.txt.gz 3 2)
2	-	N and SEED must be non-negative integers	bash ../models/panel.sh acc/control.tsv x
1	-	the test set needs mirna_id	bash ../models/panel.sh acc/control.tsv 3
# the whole script on a small panel: the model-free rows (canonical site count, miRNA prior) are
# fixed; the default model's rows have every figure (within_auc is nan on DeepMirTar only: its
# negatives use other miRNAs than its positives)
0	data/controls/fixed.out	-	PANEL=5 TFM_DATA=$TFM_DATA bash ../models/controls.sh > $TFM_TMP/tfm_controls.$$ && grep -E '^(site-count|mirna-prior) ' $TFM_TMP/tfm_controls.$$ && awk '$1 ~ /^tfm-default/ {n++; for (i = 3; i <= 7; i++) if ($i !~ /^0\.[0-9][0-9][0-9][0-9]$/ && !($i == "nan" && $2 == "site-dmt" && i == 5)) bad++} END {exit !(n >= 3 && !bad)}' $TFM_TMP/tfm_controls.$$; s=$?; rm -f $TFM_TMP/tfm_controls.$$; exit $s
