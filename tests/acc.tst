# tfm-acc: EXIT	EXPECTED-STDOUT	STDERR-SUBSTRING	COMMAND (see run.sh)
# hand-checked case (tests/test_metrics.c works the numbers out): one group `all`
0	acc/basic.out	-	tfm-acc acc/basic.tsv
0	acc/basic.out	-	tfm-acc acc/basic.tsv.gz
0	acc/basic.out	-	tfm-acc - < acc/basic.tsv.gz
0	acc/basic.out	-	cat acc/basic.tsv | tfm-acc
# score == threshold is predicted positive: 0.8 gives the same counts as 0.5
0	acc/thr08.out	-	tfm-acc --threshold 0.8 acc/basic.tsv
0	acc/thr08.out	-	tfm-acc --threshold=0.8 acc/basic.tsv
# a `set` column: one row per set in order of appearance, then the mean row
0	acc/sets.out	-	tfm-acc acc/sets.tsv
# the miRNA prior beside the input, per set; prior alone when there is no score column
0	acc/sets_prior.out	-	tfm-acc --prior acc/sites.tsv acc/sets.tsv
0	acc/prior_only.out	-	cut -f1,2,4 acc/sets.tsv | tfm-acc -p acc/sites.tsv
# --by another column; undefined rates print nan and make the mean nan
0	acc/by_seq.out	-	tfm-acc -p acc/sites.tsv --by mirna_seq --threshold 0.6 acc/sets.tsv
# plots: well-formed SVG with one curve per (set, model) and a legend
0	-	-	d=$(mktemp -d) && tfm-acc -p acc/sites.tsv --roc $d/r.svg --pr $d/p.svg acc/sets.tsv > /dev/null && test $(grep -c '<polyline' $d/r.svg) = 4 && grep -q 'B mirna-prior (AUC 1.0000)' $d/r.svg && grep -q 'A input (AP 0.7556)' $d/p.svg && tail -1 $d/p.svg | grep -q '</svg>'; s=$?; rm -rf $d; exit $s
# bad input
1	-	tfm-acc: acc/bad_label.tsv:3: label '2' is not 0 or 1	tfm-acc acc/bad_label.tsv
1	-	tfm-acc: acc/no_label.tsv:1: missing column 'label'	tfm-acc acc/no_label.tsv
1	-	tfm-acc: acc/empty_score.tsv:3: empty score	tfm-acc acc/empty_score.tsv
1	-	tfm-acc: acc/nonnum_score.tsv:3: score '0.3x' is not a number	tfm-acc acc/nonnum_score.tsv
1	-	tfm-acc: acc/header_only.tsv:1: no data rows	tfm-acc acc/header_only.tsv
1	-	tfm-acc: acc/no_score.tsv:1: missing column 'score'	tfm-acc acc/no_score.tsv
1	-	tfm-acc: stdin:1: missing column 'score'	cut -f1,3 acc/basic.tsv | tfm-acc
1	-	tfm-acc: acc/basic.tsv:1: missing column 'mirna_seq'	tfm-acc --prior acc/sites.tsv acc/basic.tsv
1	-	tfm-acc: acc/basic.tsv:1: missing column 'mirna_seq'	tfm-acc --prior acc/basic.tsv acc/sets.tsv
1	-	tfm-acc: acc/sets.tsv:1: missing column 'grp'	tfm-acc --by grp acc/sets.tsv
1	-	tfm-acc: cannot open 'acc/nonexistent.tsv'	tfm-acc acc/nonexistent.tsv
# a failed run leaves no plot behind
1	-	label '2'	d=$(mktemp -d); tfm-acc --roc $d/r.svg acc/bad_label.tsv; s=$?; ls $d | grep -q . && s=9; rm -rf $d; exit $s
# usage
0	-	-	tfm-acc --help | grep -q -- '--threshold FLOAT  predict positive iff score >= FLOAT \[0.5\]'
0	-	-	tfm-acc --threshold 0.3 --help | grep -q 'FLOAT \[0.3\]'
0	-	-	tfm-acc --version | grep -q '^tfm-acc '
2	-	invalid value 'x' for --threshold	tfm-acc --threshold x acc/basic.tsv
2	-	unknown option '--bogus'	tfm-acc --bogus acc/basic.tsv
2	-	option '--prior' needs an argument	tfm-acc acc/basic.tsv --prior
2	-	one input file at most	tfm-acc acc/basic.tsv acc/sets.tsv
# data: the miRNA prior on miRAW test sets 0-4 reproduces the data README's AUC and accuracy
# (3 decimals); the gzipped test file is read as-is and has no score column
0	acc/miraw0.out	-	tfm-acc --prior $TFM_DATA/miraw/train/sites.tsv.gz $TFM_DATA/miraw/test/miRAW_Test0.txt.gz | awk -F'\t' 'NR==2{printf "%.3f\t%.3f\n", $12, $7}'
0	acc/miraw1.out	-	tfm-acc --prior $TFM_DATA/miraw/train/sites.tsv.gz $TFM_DATA/miraw/test/miRAW_Test1.txt.gz | awk -F'\t' 'NR==2{printf "%.3f\t%.3f\n", $12, $7}'
0	acc/miraw2.out	-	tfm-acc --prior $TFM_DATA/miraw/train/sites.tsv.gz $TFM_DATA/miraw/test/miRAW_Test2.txt.gz | awk -F'\t' 'NR==2{printf "%.3f\t%.3f\n", $12, $7}'
0	acc/miraw3.out	-	tfm-acc --prior $TFM_DATA/miraw/train/sites.tsv.gz $TFM_DATA/miraw/test/miRAW_Test3.txt.gz | awk -F'\t' 'NR==2{printf "%.3f\t%.3f\n", $12, $7}'
0	acc/miraw4.out	-	tfm-acc --prior $TFM_DATA/miraw/train/sites.tsv.gz $TFM_DATA/miraw/test/miRAW_Test4.txt.gz | awk -F'\t' 'NR==2{printf "%.3f\t%.3f\n", $12, $7}'
# with a constant score column beside it: the input row is chance, the prior row unchanged
0	-	-	zcat $TFM_DATA/miraw/test/miRAW_Test0.txt.gz | awk -F'\t' -v OFS='\t' '{print $2, $5, NR == 1 ? "score" : 0.5}' | tfm-acc -p $TFM_DATA/miraw/train/sites.tsv.gz | awk -F'\t' 'NR==2 && $1=="input" && $12=="0.5000" {a=1} NR==3 && $1=="mirna-prior" && $12=="0.8611" {b=1} END{exit !(a&&b)}'
# shuffled-miRNA control (tfm-decoy's control and twin columns): hand-checked, A: positives win
# 0.9>0.3, tie 0.6=0.6, lose 0.2<0.7 -> 0.5, decoys >= 0.5: 3 of 4; B: win, lose -> 0.5, 0 of 3;
# a decoy row may come before its real row
0	acc/control.out	-	tfm-acc acc/control.tsv
# the same figures from an independent awk computation, per set
0	-	-	diff <(tfm-acc acc/control.tsv | awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $2 != "mean" {print $2, $c["shuffle_win"], $c["shuffled_pos"]}') <(awk -F'\t' 'NR > 1 {k = $1 SUBSEP $6; if ($5 == "real") {r[k] = $3; l[k] = $4} else s[k] = $3; if (!($1 in seen)) {seen[$1] = 1; o[++n] = $1}} END {for (k in r) {split(k, a, SUBSEP); if (l[k] == 1) {P[a[1]]++; W[a[1]] += r[k] > s[k] ? 1 : r[k] == s[k] ? 0.5 : 0} N[a[1]]++; A[a[1]] += s[k] >= 0.5} for (i = 1; i <= n; i++) printf "%s %.4f %.4f\n", o[i], W[o[i]] / P[o[i]], A[o[i]] / N[o[i]]}' acc/control.tsv)
# the usual metrics come from the real rows alone
0	-	-	diff <(tfm-acc acc/control.tsv | cut -f1-18) <(grep -v shuffled acc/control.tsv | cut -f1-4 | tfm-acc)
# the prior's decoys score the global training rate (0.5 here): shuffled_pos 1, wins on priors above it
0	-	-	tfm-acc -p acc/sites.tsv acc/control.tsv | awk -F'\t' '$1 == "mirna-prior" && $2 == "A" {exit !($19 == "0.6667" && $20 == "1.0000")}'
1	-	tfm-acc: acc/no_twin.tsv:1: missing column 'twin'	tfm-acc acc/no_twin.tsv
1	-	tfm-acc: acc/twin_missing.tsv:4: twin '2' of set A has no shuffled row	tfm-acc acc/twin_missing.tsv
1	-	tfm-acc: acc/twin_twice.tsv:16: twin '2' of set A: a second real row	tfm-acc acc/twin_twice.tsv
1	-	tfm-acc: acc/bad_control.tsv:9: control 'decoy' is not real or shuffled	tfm-acc acc/bad_control.tsv
# --leakage: miRNA means ACGU 0.6, GGGA 0.25, UUUA 0.55, AAAC 0.8 (CCCA unseen in training, the
# shuffled row left out) against priors 3/5, 1/4, 2/3, 2/3 (a tie): rho = 3/sqrt(22.5) = 0.6325
0	-	-	tfm-acc --leakage --prior acc/leak_sites.tsv acc/leakage.tsv | awk -F'\t' 'NR == 2 {exit !($0 == "input\tall\t9\t5\t4\t0.6325")}'
# the same from Python's standard library (acc/leakage.py: Pearson's r of average ranks)
0	-	-	test "$(tfm-acc --leakage --prior acc/leak_sites.tsv acc/leakage.tsv | awk -F'\t' 'NR == 2 {print $6}')" = "$(python3 acc/leakage.py acc/leak_sites.tsv acc/leakage.tsv)"
# data: the canonical site count on the panel of models/panel.sh (353 miRNA sequences of set 0,
# 249 seen in training, x 10 UTRs), against the same computation in Python
0	-	-	d=$(mktemp -d); bash ../models/panel.sh $TFM_DATA/miraw/test/miRAW_Test0.txt.gz 10 > $d/p.tsv && tfm-seed -t 2 -m canonical -p $d/p.tsv | tfm-aggregate --method site-count > $d/a.tsv && tfm-acc --leakage -p $TFM_DATA/miraw/train/sites.tsv.gz $d/a.tsv | awk -F'\t' 'NR == 2 {print $3, $4, $5, $6}' > $d/t && echo "3550 353 249 $(python3 acc/leakage.py $TFM_DATA/miraw/train/sites.tsv.gz $d/a.tsv)" | cmp - $d/t; s=$?; rm -rf $d; exit $s
# grouped by set: one row per set and the mean
0	-	-	awk -F'\t' -v OFS='\t' '{print $0, NR == 1 ? "set" : "s" (NR % 2)}' acc/leakage.tsv | tfm-acc --leakage -p acc/leak_sites.tsv | awk -F'\t' 'END {exit !(NR == 4 && $2 == "mean")}'
1	-	tfm-acc: acc/basic.tsv:1: missing column 'mirna_seq'	tfm-acc --leakage --prior acc/leak_sites.tsv acc/basic.tsv
2	-	--leakage needs --prior	tfm-acc --leakage acc/leakage.tsv
# a truncated gzip input: one message naming the file and its last complete line, not the broken row's field count
1	-	a.tsv.gz: truncated or corrupt gzip after line	d=$(mktemp -d); awk 'BEGIN {print "score\tlabel"; for (i = 0; i < 30000; i++) printf "%.6f\t%d\n", (i * 7919 % 10007) / 10007, i % 2}' | gzip -n > $d/full.gz; head -c $(($(stat -c %s $d/full.gz) / 2)) $d/full.gz > $d/a.tsv.gz; tfm-acc $d/a.tsv.gz 2> $d/err; r=$?; cat $d/err >&2; [ $(wc -l < $d/err) = 1 ] || r=9; rm -rf $d; exit $r
