# tfm-decoy: EXIT	EXPECTED-STDOUT	STDERR-SUBSTRING	COMMAND (see run.sh)
# each row, then its decoy (mirna_id + ~shuffled), control and twin appended; plain, gzip, stdin
0	data/decoy/pairs.out	-	tfm-decoy data/decoy/pairs.tsv
0	data/decoy/pairs.out	-	tfm-decoy data/decoy/pairs.tsv.gz
0	data/decoy/pairs.out	-	tfm-decoy - < data/decoy/pairs.tsv
0	data/decoy/pairs.out	-	tfm-decoy --seed 1 data/decoy/pairs.tsv
# site rows without ids; letters keep their case and alphabet (the shuffle is the same)
0	data/decoy/sites.out	-	tfm-decoy data/decoy/sites.tsv
0	-	-	d=$(mktemp -d); tfm-decoy -o $d/x.tsv.gz data/decoy/pairs.tsv && gzip -dc $d/x.tsv.gz | cmp - data/decoy/pairs.out; s=$?; rm -rf $d; exit $s
# every decoy, checked apart from the C code: same letters as its real twin, nt 2-8 (and 2-7)
# changed, the same miRNA always the same decoy, ids kept so that twins match
0	-	-	tfm-decoy data/decoy/pairs.tsv | awk -F'\t' 'function srt(s,  a, n, i, j, t, o) {n = split(s, a, ""); for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {t = a[j]; a[j] = a[j - 1]; a[j - 1] = t} for (i = 1; i <= n; i++) o = o a[i]; return o} NR == 1 {next} $6 == "real" {r = $2; id = $1; tw = $7; next} {if ($7 != tw || $1 != id "~shuffled" || srt($2) != srt(r) || substr($2, 2, 6) == substr(r, 2, 6)) bad++; if ((r in dec) && dec[r] != $2) bad++; dec[r] = $2; n++} END {exit !(n == 3 && !bad)}'
# another seed, other decoys
0	-	-	! tfm-decoy --seed 2 data/decoy/pairs.tsv | cmp -s - data/decoy/pairs.out
# errors
1	-	tfm-decoy: acc/basic.tsv:1: missing column 'mirna_seq'	tfm-decoy acc/basic.tsv
1	-	tfm-decoy: stdin:1: the input already has a 'control' column	tfm-decoy data/decoy/pairs.tsv | tfm-decoy
1	-	tfm-decoy: stdin:2: miRNA 'ACGUACG' is shorter than 8 nt	printf 'mirna_seq\nACGUACG\n' | tfm-decoy
1	-	tfm-decoy: stdin:3: miRNA 'UUUUUUUUUU': no shuffle of its letters changes nt 2-7	printf 'mirna_seq\nACGUACGUAC\nUUUUUUUUUU\n' | tfm-decoy
1	-	tfm-decoy: stdin:2: empty mirna_seq	printf 'mirna_seq\tx\n\t1\n' | tfm-decoy
1	-	tfm-decoy: cannot open 'data/decoy/nonexistent.tsv'	tfm-decoy data/decoy/nonexistent.tsv
# a failed run leaves no output file behind
1	-	shorter than 8 nt	d=$(mktemp -d); printf 'mirna_seq\nACGUACG\n' | tfm-decoy -o $d/x.tsv; s=$?; ls $d | grep -q . && s=9; rm -rf $d; exit $s
# usage
0	-	-	tfm-decoy --help | grep -q -- '--seed INT         seed of the shuffle \[1\]'
0	-	-	tfm-decoy --version | grep -q '^tfm-decoy '
2	-	unknown option '--bogus'	tfm-decoy --bogus data/decoy/pairs.tsv
2	-	invalid value	tfm-decoy --seed x data/decoy/pairs.tsv
2	-	one input file at most	tfm-decoy data/decoy/pairs.tsv data/decoy/pairs.tsv
# through the pipeline: the decoys are scored on the same UTRs; a twin lost on the way is an error
0	-	-	tfm-decoy data/decoy/pairs.tsv | tfm-seed -m canonical -p - | tfm-aggregate --method site-count | tfm-acc | awk -F'\t' 'NR == 1 {exit !($19 == "shuffle_win" && $20 == "shuffled_pos")} '
1	-	twin '3' has no shuffled row	tfm-decoy data/decoy/pairs.tsv | head -n 6 | tfm-seed -m canonical -p - | tfm-aggregate --method site-count | tfm-acc
# data: all 2,192 rows of miRAW set 0 and their decoys; the canonical site count's control
# figures (model-free, so fixed: win rate 0.6496 over the 548 positives, 4.93% of decoys >= 0.5)
0	-	-	tfm-decoy $TFM_DATA/miraw/test/miRAW_Test0.txt.gz | tfm-seed -t 2 -m canonical -p - | tfm-aggregate --method site-count | tfm-acc | awk -F'\t' 'NR == 2 {exit !($3 == 1096 && $19 == "0.6496" && $20 == "0.0493")}'
