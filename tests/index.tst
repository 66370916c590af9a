# tfm-index and tfm-seed --pairs with an indexed transcript FASTA (format: see tests/run.sh)
# A BGZF copy of examples/utrs.fa.gz (a plain gzip file) with .fai and .gzi, made through htslib
0	-	-	d=$(mktemp -d); tfm-index -o $d/u.fa.gz ../examples/utrs.fa.gz && [ -s $d/u.fa.gz.fai ] && [ -s $d/u.fa.gz.gzi ] && [ $(wc -l < $d/u.fa.gz.fai) = 23 ] && cmp <(zcat $d/u.fa.gz) <(zcat ../examples/utrs.fa.gz); r=$?; rm -rf $d; exit $r
# id-only pairs: fetched by id through the index, same bytes as the streamed (loaded) FASTA
0	-	-	d=$(mktemp -d); tfm-index -o $d/u.fa.gz ../examples/utrs.fa.gz && for m in canonical offset-9-mer-m7 esa; do cmp <(tfm-seed -m $m -p ../examples/pairs.tsv ../examples/mirnas.fa $d/u.fa.gz) <(tfm-seed -m $m -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz) || exit 1; done; rm -rf $d
# a plain FASTA indexed in place (.fai only); lower case and T are normalised as when streamed
0	-	-	d=$(mktemp -d); zcat ../examples/utrs.fa.gz | awk '/^>/ {print; next} {print tolower($0)}' > $d/u.fa && tfm-index $d/u.fa && [ -s $d/u.fa.fai ] && [ ! -e $d/u.fa.gzi ] && cmp <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa $d/u.fa) <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz); r=$?; rm -rf $d; exit $r
# sharded pairs through the index
0	-	-	d=$(mktemp -d); tfm-index -o $d/u.fa.gz ../examples/utrs.fa.gz && bash shard_check.sh 7 -m esa -p ../examples/pairs.tsv ../examples/mirnas.fa $d/u.fa.gz; r=$?; rm -rf $d; exit $r
# errors: a missing id names the pairs line; a bad letter names FASTA, record and pairs line
1	-	tfm-seed: data/seed/pairs_ids.tsv:2: transcript 'utr1' is not in the transcript FASTA	d=$(mktemp -d); tfm-index -o $d/u.fa.gz ../examples/utrs.fa.gz && tfm-seed -p data/seed/pairs_ids.tsv data/seed/let7.fa $d/u.fa.gz; r=$?; rm -rf $d; exit $r
1	-	tfm-seed: data/seed/pairs_ids.tsv:2: IDX/u.fa: invalid letter 'X' at position 4 (record utr1)	d=/tmp/IDX; rm -rf $d; mkdir $d; printf '>utr1\nACGXACGUACGU\n' > $d/u.fa; printf 'utr1\t12\t6\t12\t13\n' > $d/u.fa.fai; tfm-seed -p data/seed/pairs_ids.tsv data/seed/let7.fa $d/u.fa 2>&1 >/dev/null | sed 's|/tmp/IDX|IDX|' >&2; r=${PIPESTATUS[0]}; rm -rf $d; exit $r
1	-	is older than the file: rebuild it (tfm-index	d=$(mktemp -d); zcat ../examples/utrs.fa.gz > $d/u.fa && tfm-index $d/u.fa && touch -d '2001-01-01' $d/u.fa.fai && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa $d/u.fa; r=$?; rm -rf $d; exit $r
1	-	gzip but not BGZF, so	d=$(mktemp -d); cp ../examples/utrs.fa.gz $d/u.fa.gz && zcat $d/u.fa.gz > $d/p.fa && tfm-index $d/p.fa && cp $d/p.fa.fai $d/u.fa.gz.fai && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa $d/u.fa.gz; r=$?; rm -rf $d; exit $r
# tfm-index: bad input fails with the reader's message and leaves no index or copy behind
1	-	tfm-index: data/bad/bad_letter.fa:4: invalid letter 'X' at column 6 (record b)	d=$(mktemp -d); cp data/bad/bad_letter.fa $d/; tfm-index data/bad/bad_letter.fa; r=$?; [ -e data/bad/bad_letter.fa.fai ] && exit 9; exit $r
1	-	tfm-index: data/bad/dup.fa:3: duplicate record id (record a)	tfm-index data/bad/dup.fa; r=$?; [ -e data/bad/dup.fa.fai ] && exit 9; exit $r
1	-	: gzip but not BGZF: recompress it to index it (tfm-index -o OUT.fa.gz	d=$(mktemp -d); cp ../examples/utrs.fa.gz $d/; tfm-index $d/utrs.fa.gz; r=$?; rm -rf $d; exit $r
1	-	invalid letter 'X'	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/bad_letter.fa; r=$?; [ -e $d/b.fa.gz ] && exit 9; rm -rf $d; exit $r
# tfm-index -o: every error names the input (with line and record), not the output; an existing OUT is left as it was
1	-	tfm-index: data/bad/bad_letter.fa:4: invalid letter 'X' at column 6 (record b)	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/bad_letter.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/dup.fa:3: duplicate record id (record a)	d=$(mktemp -d); tfm-index -o $d/b.fa data/bad/dup.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/empty_record.fa:3: record without sequence (record empty)	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/empty_record.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/gt_alone.fa:1: FASTA header without an id	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/gt_alone.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/no_header.fa:1: expected a FASTA header	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/no_header.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/nul.fa:2: NUL byte in input	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/nul.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/truncated.fa.gz: truncated or corrupt gzip after line 393	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/truncated.fa.gz 2> $d/err; r=$?; cat $d/err >&2; [ $(wc -l < $d/err) = 1 ] || r=9; rm -rf $d; exit $r
1	-	tfm-index: stdin:3: duplicate record id (record a)	d=$(mktemp -d); tfm-index -o $d/b.fa - < data/bad/dup.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: data/bad/crlf_utr.fa:3: line of 22 letters after one of 21 (record utr1): an index needs every line of a record but its last equally long	d=$(mktemp -d); tfm-index -o $d/b.fa.gz data/bad/crlf_utr.fa; r=$?; rm -rf $d; exit $r
1	-	tfm-index: IN/e.fa: no FASTA records	d=$TFM_TMP/tfm_index_IN; rm -rf $d; mkdir $d; : > $d/e.fa; tfm-index -o $d/b.fa.gz $d/e.fa 2>&1 >/dev/null | sed "s|$d|IN|" >&2; r=${PIPESTATUS[0]}; rm -rf $d; exit $r
0	-	-	d=$(mktemp -d); tfm-index -o $d/u.fa.gz ../examples/utrs.fa.gz && cp $d/u.fa.gz $d/keep && ! tfm-index -o $d/u.fa.gz data/bad/dup.fa 2>/dev/null && cmp $d/u.fa.gz $d/keep && [ -s $d/u.fa.gz.fai ] && [ "$(ls $d)" = "$(printf 'keep\nu.fa.gz\nu.fa.gz.fai\nu.fa.gz.gzi')" ]; r=$?; rm -rf $d; exit $r
# in place: a layout faidx cannot index is named with its line, not 'cannot write the index ...: Input/output error'
1	-	IDX/u.fa:4: line of 4 letters after one of 2 (record a)	d=$TFM_TMP/tfm_index_IDX; rm -rf $d; mkdir $d; printf '>a\nACGU\nAC\nACGU\n' > $d/u.fa; tfm-index $d/u.fa 2>&1 >/dev/null | sed "s|$d|IDX|" >&2; r=${PIPESTATUS[0]}; [ -e $d/u.fa.fai ] && r=9; rm -rf $d; exit $r
1	-	cannot open 'data/seed/nonexistent.fa'	tfm-index data/seed/nonexistent.fa
# usage
0	-	-	tfm-index --help | grep -q 'Usage: tfm-index'
0	-	-	tfm-index --version | grep -q '^tfm-index '
2	-	expected one TRANSCRIPTS.fa	tfm-index a.fa b.fa
2	-	stdin cannot be indexed in place: give -o FILE	tfm-index -
2	-	-	tfm-index
