# tfm-seed --shard K/N (format: see tests/run.sh). Shards concatenated in order (shards 2..N with
# --no-header, or any shards through awk 'NR==1 || FNR>1') equal the unsharded run byte for byte.
# examples/: all-vs-all (by transcript length blocks) and pairs (by row blocks), N = 1, 2, 7
0	-	-	for m in canonical offset-9-mer-m7 10-mer-m6 esa; do for n in 1 2 7; do bash shard_check.sh -a $n -m $m ../examples/mirnas.fa ../examples/utrs.fa.gz || exit 1; done; done
0	-	-	for m in canonical offset-9-mer-m7 10-mer-m6 esa; do for n in 1 2 7; do bash shard_check.sh -a $n -m $m -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz || exit 1; done; done
# more shards than transcripts: some shards are empty (a header only), still identical
0	-	-	bash shard_check.sh 30 -m canonical ../examples/mirnas.fa ../examples/utrs.fa.gz
# BED output (no header) and threads do not change the split
0	-	-	bash shard_check.sh 7 -m canonical --bed -t 2 ../examples/mirnas.fa ../examples/utrs.fa.gz
# miRAW test sets 0-4 (pairs with sequences), N = 1, 2, 7, three modes
0	-	-	for s in 0 1 2 3 4; do for m in canonical offset-9-mer-m7 10-mer-m6; do for n in 1 2 7; do bash shard_check.sh $n -m $m -t 2 -p $TFM_DATA/miraw/test/miRAW_Test$s.txt.gz || exit 1; done; done; done
0	-	-	for s in 0 1 2 3 4; do for n in 1 2 7; do bash shard_check.sh $n -m esa -t 2 -p $TFM_DATA/miraw/test/miRAW_Test$s.txt.gz || exit 1; done; done
# the synthetic transcriptome subset (scripts/synth_utrs.py, 300 UTRs) x 50 miRNAs, all-vs-all
0	-	-	f=$(mktemp -u).fa.gz; python3 ../scripts/synth_utrs.py -n 300 -o $f && zcat $TFM_DATA/mirna/mirna.fasta.gz | head -100 > $f.mir.fa && for m in canonical offset-9-mer-m7 10-mer-m6 esa; do for n in 1 2 7; do bash shard_check.sh $n -m $m -t 2 $f.mir.fa $f || exit 1; done; done; rm -f $f $f.mir.fa
# the shard split: length blocks (examples: 23 UTRs; shard 1 of 2 takes the first ones)
0	-	-	a=$(tfm-seed -m canonical --shard 1/2 ../examples/mirnas.fa ../examples/utrs.fa.gz | cut -f2 | sed 1d | uniq | wc -l); b=$(tfm-seed -m canonical --shard 2/2 ../examples/mirnas.fa ../examples/utrs.fa.gz | cut -f2 | sed 1d | uniq | wc -l); [ $((a + b)) = 23 ] && [ $a -gt 0 ] && [ $b -gt 0 ]
# bad --shard values and stdin: usage errors
2	-	invalid --shard '0/0': expected K/N with 1 <= K <= N	tfm-seed --shard 0/0 ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	invalid --shard '3/2'	tfm-seed --shard 3/2 ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	invalid --shard 'abc'	tfm-seed --shard abc ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	invalid --shard '1/2x'	tfm-seed --shard 1/2x ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	invalid --shard '1/0'	tfm-seed --shard 1/0 ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	invalid --shard '-1/2'	tfm-seed --shard -1/2 ../examples/mirnas.fa ../examples/utrs.fa.gz
2	-	--shard reads TRANSCRIPTS.fa twice: it cannot be stdin	zcat ../examples/utrs.fa.gz | tfm-seed --shard 1/2 ../examples/mirnas.fa -
2	-	--shard reads PAIRS.tsv twice: it cannot be stdin	tfm-seed --shard 1/2 -p - ../examples/mirnas.fa ../examples/utrs.fa.gz < ../examples/pairs.tsv
# shard 1/1 needs no second pass: stdin is fine
0	-	-	zcat ../examples/utrs.fa.gz | tfm-seed -m canonical --shard 1/1 ../examples/mirnas.fa - | cmp - <(tfm-seed -m canonical ../examples/mirnas.fa ../examples/utrs.fa.gz)
# an error in a later transcript fails every shard (the first pass checks the whole file)
1	-	data/bad/bad_letter.fa:4: invalid letter 'X'	tfm-seed --shard 1/2 data/seed/let7.fa data/bad/bad_letter.fa
# the whole default pipeline (tfm's default model): shards scored and aggregated separately, then
# gathered, equal the unsharded pipeline (a window's score does not depend on its batch)
0	-	-	for s in 0 3; do for n in 2 7; do cmp <(for k in $(seq 1 $n); do tfm-seed -t 2 --shard $k/$n -p $TFM_DATA/miraw/test/miRAW_Test$s.txt.gz | tfm-score | tfm-aggregate; done | awk 'NR == 1 || !/^mirna_id\t/') <(tfm-seed -t 2 -p $TFM_DATA/miraw/test/miRAW_Test$s.txt.gz | tfm-score | tfm-aggregate) || exit 1; done; done
