# tfm-acc: EXIT	EXPECTED-STDOUT	STDERR-SUBSTRING	COMMAND (see run.sh)
# hand-checked case (tests/test_metrics.c works the numbers out): one group `all`
0	acc/basic.out	-	tfm-acc acc/basic.tsv
0	acc/basic.out	-	tfm-acc acc/basic.tsv.gz
0	acc/basic.out	-	tfm-acc - < acc/basic.tsv.gz
0	acc/basic.out	-	cat acc/basic.tsv | tfm-acc
# score == threshold is predicted positive: 0.8 gives the same counts as 0.5
0	acc/thr08.out	-	tfm-acc -t 0.8 acc/basic.tsv
0	acc/thr08.out	-	tfm-acc --threshold=0.8 acc/basic.tsv
# a `set` column: one row per set in order of appearance, then the mean row
0	acc/sets.out	-	tfm-acc acc/sets.tsv
# the miRNA prior beside the input, per set; prior alone when there is no score column
0	acc/sets_prior.out	-	tfm-acc --prior acc/sites.tsv acc/sets.tsv
0	acc/prior_only.out	-	cut -f1,2,4 acc/sets.tsv | tfm-acc -p acc/sites.tsv
# --by another column; undefined rates print nan and make the mean nan
0	acc/by_seq.out	-	tfm-acc -p acc/sites.tsv --by mirna_seq -t 0.6 acc/sets.tsv
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
0	-	-	tfm-acc -t 0.3 --help | grep -q 'FLOAT \[0.3\]'
0	-	-	tfm-acc --version | grep -q '^tfm-acc '
2	-	invalid value 'x' for --threshold	tfm-acc -t x acc/basic.tsv
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
# a truncated gzip input: one message naming the file and its last complete line, not the broken row's field count
1	-	a.tsv.gz: truncated or corrupt gzip after line	d=$(mktemp -d); awk 'BEGIN {print "score\tlabel"; for (i = 0; i < 30000; i++) printf "%.6f\t%d\n", (i * 7919 % 10007) / 10007, i % 2}' | gzip -n > $d/full.gz; head -c $(($(stat -c %s $d/full.gz) / 2)) $d/full.gz > $d/a.tsv.gz; tfm-acc $d/a.tsv.gz 2> $d/err; r=$?; cat $d/err >&2; [ $(wc -l < $d/err) = 1 ] || r=9; rm -rf $d; exit $r
