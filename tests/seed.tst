# tfm-seed tool-level cases (format: see tests/run.sh)
# canonical site types, hand-checked on a small UTR (8mer, 7mer-m8, 7mer-A1, offset-6mer)
0	data/seed/let7_utr1_canonical.out	-	tfm-seed -m canonical data/seed/let7.fa data/seed/utr1.fa
# gzip input, stdin, CRLF line ends give the same rows
0	data/seed/let7_utr1_canonical.out	-	gzip -c data/seed/utr1.fa | tfm-seed -m canonical data/seed/let7.fa -
0	data/seed/let7_utr1_canonical.out	-	tfm-seed -m canonical data/bad/crlf_mirna.fa data/bad/crlf_utr.fa
# BED6: 0-based half-open
0	-	-	tfm-seed -m canonical --bed data/seed/let7.fa data/seed/utr1.fa | awk -F'\t' 'NR==1 && $2==3 && $3==11 && $6=="+" {ok=1} END {exit !(ok && NR==4)}'
# -o writes the file only on success
0	-	-	f=$(mktemp -u).tsv; tfm-seed -m canonical -o $f data/seed/let7.fa data/seed/utr1.fa && cmp $f data/seed/let7_utr1_canonical.out && rm $f
1	-	invalid letter 'X'	f=$(mktemp -u).tsv; tfm-seed -m canonical -o $f data/seed/let7.fa data/bad/bad_letter.fa; rc=$?; ls $f* 2>/dev/null && exit 9; exit $rc
# id-only pairs resolved against the FASTA files; extra columns carried; a pair without a site gets one 'none' row
0	-	-	tfm-seed -m canonical -p data/seed/pairs_ids.tsv data/seed/let7.fa data/seed/utrs2.fa | awk -F'\t' 'NR==1 && $10=="note" {h=1} $2=="utr1" && $10=="first" {a++} $2=="utr2" && $6=="none" && $10=="second" {b++} END {exit !(h && a==4 && b==1 && NR==6)}'
# RNAhybrid example (data README): let-7 7mer-m8 or better on cel-hbl-1 and cbr-hbl-1 (lower case, 60/80-column lines)
0	data/seed/hbl1_let7_expected.txt	-	tfm-seed -m canonical $TFM_DATA/examples/rnahybrid/let-7.fasta $TFM_DATA/examples/rnahybrid/cel-hbl-1.fasta | awk -F'\t' -v OFS='\t' '$6=="8mer" || $6=="7mer-m8" {print $3-1, $6}'
0	data/seed/cbr_hbl1_let7_expected.txt	-	tfm-seed -m canonical $TFM_DATA/examples/rnahybrid/let-7.fasta $TFM_DATA/examples/rnahybrid/cbr-hbl-1.fasta | awk -F'\t' -v OFS='\t' '$6=="8mer" || $6=="7mer-m8" {print $3-1, $6}'
# a 100 kb single-line record reads exactly like the same record in 60-column lines
0	-	-	s=$(for i in $(seq 1 2000); do printf 'ACGUUCUACCUCAAGCUACCUAGGCUAGCUAGUUUACCUCGAACUAGCUAUCG'; done); printf '>long\n%s\n' "$s" > $TFM_TMP/tfm_long1.fa; printf '>long\n%s\n' "$s" | fold -w 60 > $TFM_TMP/tfm_long60.fa; [ $(wc -c < $TFM_TMP/tfm_long1.fa) -gt 100000 ] && for m in canonical offset-9-mer-m7 esa; do cmp <(tfm-seed -m $m data/seed/let7.fa $TFM_TMP/tfm_long1.fa) <(tfm-seed -m $m data/seed/let7.fa $TFM_TMP/tfm_long60.fa) || exit 1; done; rm -f $TFM_TMP/tfm_long1.fa $TFM_TMP/tfm_long60.fa
# bad input: a clear error naming file and line, exit 1
1	-	tfm-seed: data/bad/empty_record.fa:3: record without sequence (record empty)	tfm-seed data/seed/let7.fa data/bad/empty_record.fa
1	-	tfm-seed: data/bad/gt_alone.fa:1: FASTA header without an id	tfm-seed data/seed/let7.fa data/bad/gt_alone.fa
1	-	tfm-seed: data/bad/bad_letter.fa:4: invalid letter 'X' at column 6 (record b)	tfm-seed data/seed/let7.fa data/bad/bad_letter.fa
1	-	tfm-seed: data/bad/nul.fa:2: NUL byte in input	tfm-seed data/seed/let7.fa data/bad/nul.fa
1	-	tfm-seed: data/bad/dup.fa:3: duplicate record id (record a)	tfm-seed data/seed/let7.fa data/bad/dup.fa
1	-	tfm-seed: data/bad/no_header.fa:1: expected a FASTA header	tfm-seed data/seed/let7.fa data/bad/no_header.fa
# a truncated gzip input: that one line only, no htslib log lines ([E::inflate_gzip_block] ...)
1	-	tfm-seed: data/bad/truncated.fa.gz: truncated or corrupt gzip after line 393 (record t197)	f=$(mktemp); tfm-seed data/seed/let7.fa data/bad/truncated.fa.gz > /dev/null 2> $f; r=$?; cat $f >&2; [ $(wc -l < $f) = 1 ] || r=9; rm -f $f; exit $r
# a truncated gzip pairs file: the broken row is not taken for a short row
1	-	p.tsv.gz: truncated or corrupt gzip after line	d=$(mktemp -d); awk 'BEGIN {print "mirna_id\tmrna_id\tmirna_seq\tmrna_seq"; for (i = 0; i < 3000; i++) print "m" i "\tt" i "\tUGAGGUAGUAGGUUGUAUAGUU\tAAACUACCUCAGGGCUACCUCUUUUACCUCAUUUCUACCUAAA"}' | gzip -n > $d/full.gz; head -c $(($(stat -c %s $d/full.gz) - 40)) $d/full.gz > $d/p.tsv.gz; tfm-seed -p $d/p.tsv.gz > /dev/null 2> $d/err; r=$?; cat $d/err >&2; [ $(wc -l < $d/err) = 1 ] || r=9; rm -rf $d; exit $r
1	-	tfm-seed: data/bad/short_mirna.fa:1: record short has 13 nt (miRNAs: 15-30 nt)	tfm-seed data/bad/short_mirna.fa data/seed/utr1.fa
1	-	tfm-seed: data/bad/n_mirna.fa:2: invalid miRNA letter 'N' at column 22 (record m)	tfm-seed data/bad/n_mirna.fa data/seed/utr1.fa
1	-	tfm-seed: data/bad/missing_column.tsv:1: missing column 'mrna_id'	tfm-seed -p data/bad/missing_column.tsv
1	-	tfm-seed: data/bad/short_row.tsv:2: 4 fields, but the header has 5 columns	tfm-seed -p data/bad/short_row.tsv
1	-	tfm-seed: data/bad/dup_pair.tsv:3: pair let-7a/g1 repeated (first on line 2)	tfm-seed -p data/bad/dup_pair.tsv
1	-	tfm-seed: data/bad/bad_letter.tsv:2: pair let-7a/g1: invalid letter 'R' at position 11 of mrna_seq (transcripts: A, C, G, U/T, N)	tfm-seed -p data/bad/bad_letter.tsv
1	-	cannot open 'data/seed/nonexistent.fa'	tfm-seed data/seed/let7.fa data/seed/nonexistent.fa
1	-	transcript 'utr1' is not in the transcript FASTA	tfm-seed -p data/seed/pairs_ids.tsv data/seed/let7.fa data/bad/crlf_mirna.fa
# usage
0	-	-	tfm-seed --help | grep -q 'Usage: tfm-seed'
0	-	-	tfm-seed --version | grep -q '^tfm-seed '
2	-	unknown mode 'foo'	tfm-seed -m foo data/seed/let7.fa data/seed/utr1.fa
2	-	invalid value 'x' for --threads	tfm-seed -t x data/seed/let7.fa data/seed/utr1.fa
2	-	expected MIRNAS.fa and TRANSCRIPTS.fa	tfm-seed data/seed/let7.fa
2	-	--compat targetfm applies to the fuzzy modes only	tfm-seed -m esa --compat targetfm data/seed/let7.fa data/seed/utr1.fa
# miRAW test set 0: TargetNet windows (data README / issue acceptance)
0	-	tfm-seed: 1096 pairs, 1500688 sites, 12 pairs without a site, 2.29 Mnt searched, 2245288 windows scanned	tfm-seed -v -m esa -p $TFM_DATA/miraw/test/miRAW_Test0.txt.gz | awk -F'\t' '$6=="none" {n[$NF]++} END {exit !(n[1]==10 && n[0]==2)}'
# output bytes do not depend on --threads
0	-	-	for m in canonical offset-9-mer-m7 esa; do cmp <(tfm-seed -m $m -t 1 -p $TFM_DATA/miraw/test/miRAW_Test1.txt.gz) <(tfm-seed -m $m -t 2 -p $TFM_DATA/miraw/test/miRAW_Test1.txt.gz) || exit 1; done
# --pairs checks repeats among the last 2^20 pairs (lib/recent.h) in fixed memory: 2 M distinct pairs in < 64 MB peak
0	-	-	need /usr/bin/time; awk 'BEGIN {print "mirna_id\tmrna_id\tmirna_seq\tmrna_seq"; for (i = 0; i < 2000000; i++) printf "m%d\tENSG%011d\tUGAGGUAGUAGGUUGUAUAGUU\tACGUACGUAC\n", i % 2042, i}' | /usr/bin/time -f %M -o $TFM_TMP/tfm_seed_rss.$$ tfm-seed -m canonical -p - | awk 'END {exit !(NR == 2000001)}' && kb=$(cat $TFM_TMP/tfm_seed_rss.$$) && rm -f $TFM_TMP/tfm_seed_rss.$$ && echo "peak $kb KB" && [ $kb -lt 65536 ]
# a long record is searched in ranges of about 1 MB of rows each, written as they come (issue 12): esa on one 1 Mnt
# record stays far below the ~170 MB of holding all its rows (5 Mnt: 829 MB before, 13 MB now); the rows of the
# ranges are those of one search (tests/test_seed.c test_ranges checks it in every mode, joins of fuzzy matches included)
0	-	-	need /usr/bin/time; awk 'BEGIN {srand(3); print ">long"; for (i = 0; i < 1000000 / 60; i++) {s = ""; for (j = 0; j < 60; j++) s = s substr("ACGU", int(rand() * 4) + 1, 1); print s}}' > $TFM_TMP/tfm_long.$$.fa && /usr/bin/time -f %M -o $TFM_TMP/tfm_long.$$.rss tfm-seed -m esa data/seed/let7.fa $TFM_TMP/tfm_long.$$.fa | awk -F'\t' 'NR > 1 && $3 <= prev {bad++} NR > 1 {prev = $3; n++} END {print n " windows"; exit !(n > 500000 && !bad)}' && kb=$(cat $TFM_TMP/tfm_long.$$.rss) && echo "peak $kb KB" && [ $kb -lt 49152 ]; r=$?; rm -f $TFM_TMP/tfm_long.$$.*; exit $r
# an empty transcript FASTA is not an error (a filter upstream may leave nothing; the output is the header alone)
# but is said on stderr; an empty miRNA FASTA is an error
0	-	tfm-seed: warning: /dev/null: no transcript records	tfm-seed data/seed/let7.fa /dev/null | cmp - <(tfm-seed data/seed/let7.fa data/seed/utr1.fa | head -1)
0	-	tfm-seed: warning: /dev/null: no transcript records	printf 'mirna_id\tmrna_id\n' | tfm-seed -p - data/seed/let7.fa /dev/null
1	-	tfm-seed: /dev/null: no miRNA records	tfm-seed /dev/null data/seed/utr1.fa
