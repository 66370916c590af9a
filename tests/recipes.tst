# README "Recipes": from miRBase's mature.fa and GENCODE's pc_transcripts to ranked tables (format:
# see tests/run.sh). Inputs: ../examples/mature.fa (26 records of cel, hsa, mmu; 20 hsa) and
# ../examples/gencode.pc_transcripts.fa.gz (12 transcripts of 8 genes; PDCD4, PTEN, TP53, BCL2 with
# 2 isoforms; TP53-202 without a 3'UTR; a miR-21-5p 8mer planted in the CDS or 5'UTR of PDCD4,
# TP53, IL6), both made by scripts/make_examples.py.
#
# -- picking miRNAs: only the asked species and ids appear
0	-	-	tfm-seed -m canonical --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR > 1 {if ($1 !~ /^hsa-/) bad++; m[$1]} END {exit !(!bad && length(m) == 20)}'
0	-	-	tfm-seed -m canonical --species mmu,cel ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR > 1 {if ($1 !~ /^(mmu|cel)-/) bad++; m[$1]} END {exit !(!bad && length(m) == 6)}'
0	-	-	cmp <(tfm-seed -m canonical --species mmu --species cel ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz) <(tfm-seed -m canonical --species mmu,cel ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz)
0	-	-	tfm-seed -m canonical --species hsa --mirna hsa-miR-21-5p,hsa-let-7a-5p --mirna hsa-miR-155-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR > 1 {m[$1]} END {exit !(length(m) == 3 && ("hsa-miR-21-5p" in m) && ("hsa-let-7a-5p" in m) && ("hsa-miR-155-5p" in m))}'
0	-	-	tfm-seed -m canonical --mirna-file data/recipes/mirna_ids.txt ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR > 1 {m[$1]} END {exit !(length(m) == 2 && ("hsa-miR-21-5p" in m) && ("hsa-miR-155-5p" in m))}'
# mmu-miR-21a-5p is not hsa: --species and --mirna together keep nothing of it
1	-	tfm-seed: ../examples/mature.fa: no miRNA 'mmu-miR-21a-5p' (--mirna)	tfm-seed --species hsa --mirna mmu-miR-21a-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
1	-	tfm-seed: ../examples/mature.fa: no miRNA 'hsa-miR-9999' (--mirna)	tfm-seed --mirna hsa-miR-21-5p,hsa-miR-9999 ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
1	-	tfm-seed: ../examples/mature.fa: no miRNA record of the selection (--species, --mirna)	tfm-seed --species dme ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
1	-	tfm-seed: cannot open 'nonexistent.txt'	tfm-seed --mirna-file nonexistent.txt ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
# U or T, any case: a lower-case DNA record reads as its RNA
0	-	-	cmp <(tfm-seed -m canonical --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz) <(tfm-seed -m canonical --skip-bad --mirna hsa-miR-21-5p data/recipes/mature_bad.fa ../examples/gencode.pc_transcripts.fa.gz 2> /dev/null)
# --family: one miRNA per seed (nt 2-8), the first in the file, its family listed
0	-	-	tfm-seed -m canonical --species hsa --family ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR == 1 {ok = $NF == "family_members"} NR > 1 {f[$1] = $NF} END {exit !(ok && length(f) == 12 && f["hsa-miR-17-5p"] == "hsa-miR-17-5p,hsa-miR-20a-5p,hsa-miR-93-5p,hsa-miR-106b-5p" && f["hsa-miR-21-5p"] == "hsa-miR-21-5p,hsa-miR-590-5p" && f["hsa-miR-155-5p"] == "hsa-miR-155-5p")}'
2	-	--family applies to MIRNAS.fa x TRANSCRIPTS.fa	tfm-seed --family -p data/seed/pairs_ids.tsv data/seed/let7.fa data/seed/utrs2.fa
#
# -- GENCODE transcripts: mrna_id, gene_id, gene_name from the header; only the 3'UTR by default,
# transcript coordinates; --region all finds the planted CDS/5'UTR sites too
0	-	-	tfm-seed -m canonical --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR == 1 {ok = $10 == "gene_id" && $11 == "gene_name"} NR > 1 {if ($2 !~ /^ENST[0-9]+\.[0-9]+$/ || $10 !~ /^ENSG/) bad++; g[$11]} END {exit !(ok && !bad && length(g) == 8)}'
0	-	-	zcat ../examples/gencode.pc_transcripts.fa.gz | awk -F'|' '/^>/ {id = substr($1, 2); for (i = 8; i <= NF; i++) if ($i ~ /^UTR3:/) {split(substr($i, 6), r, "-"); lo[id] = r[1]; hi[id] = r[2]}}  END {for (id in lo) print id "\t" lo[id] "\t" hi[id]}' > $TFM_TMP/tfm_utr3.tsv && tfm-seed -m canonical --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'FNR == NR {lo[$1] = $2; hi[$1] = $3; next} FNR > 1 && $6 != "none" {n++; if (!($2 in lo) || $3 < lo[$2] || $4 > hi[$2]) bad++} END {exit !(n > 100 && !bad)}' $TFM_TMP/tfm_utr3.tsv - ; r=$?; rm -f $TFM_TMP/tfm_utr3.tsv; exit $r
0	-	-	tfm-seed -m canonical --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' '$6 == "8mer" {n++} $2 == "ENST00000900022.1" && $6 == "none" {none++} END {exit !(n == 2 && none == 1)}'
0	-	-	tfm-seed -m canonical --region all --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' '$6 == "8mer" {n++} $2 == "ENST00000331856.10" && $3 == 767 && $4 == 774 && $9 == "AUAAGCUA" {cds++} END {exit !(n == 10 && cds == 1)}'
0	-	-	tfm-seed -m canonical --region cds --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' '$6 == "8mer" {n++; if ($3 == 11) bad++} END {exit !(n == 5 && !bad)}'
2	-	unknown --region 'intron'	tfm-seed --region intron ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
# the site windows of the model's mode are the 3'UTR's as well; the same rows for 1 and 2 threads
0	-	-	cmp <(tfm-seed -t 1 --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz) <(tfm-seed -t 2 --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz)
# --gene: by name, by id with or without version; an unknown gene is an error
0	-	-	tfm-seed -m canonical --gene PDCD4,ENSG00000171862,ENSG00000141510.19 ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR > 1 {g[$11]; t[$2]} END {exit !(length(g) == 3 && length(t) == 6 && ("PDCD4" in g) && ("PTEN" in g) && ("TP53" in g))}'
1	-	no transcript of gene 'NOPE' (--gene)	tfm-seed --gene PDCD4,NOPE ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
# plain FASTA (any header) as before: no gene columns, whole transcripts
0	data/seed/let7_utr1_canonical.out	-	tfm-seed -m canonical --region utr3 data/seed/let7.fa data/seed/utr1.fa
# id-only pairs against GENCODE transcripts: ids are the transcript ids, the 3'UTR is searched, gene columns added
0	-	-	printf 'mirna_id\tmrna_id\tlabel\nhsa-miR-21-5p\tENST00000331856.10\t1\nhsa-miR-21-5p\tENST00000900022.1\t0\n' | tfm-seed -m canonical -p - ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' 'NR == 1 {ok = $10 == "gene_id" && $12 == "label"} $6 == "8mer" && $3 == 1712 && $11 == "PDCD4" {a++} $2 == "ENST00000900022.1" && $6 == "none" && $11 == "TP53" {b++} END {exit !(ok && a == 1 && b == 1)}'
# BED of tfm-seed: transcript coordinates, name miRNA|gene|site_type
0	-	-	tfm-seed -m canonical --bed --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | awk -F'\t' '$4 == "hsa-miR-21-5p|PDCD4|8mer" && $1 == "ENST00000331856.10" && $2 == 1711 && $3 == 1719 {ok++} END {exit !(ok == 1)}'
#
# -- --skip-bad: bad records left out, one warning each naming file and record, a count, exit 0;
# records the selection does not ask for are not checked
0	-	left out 4 miRNA records, 2 transcript records, 0 pair rows	tfm-seed -m canonical --skip-bad data/recipes/mature_bad.fa data/recipes/gencode_bad.fa | awk -F'\t' 'NR > 1 {m[$1]; t[$2]} END {exit !(length(m) == 4 && length(t) == 1)}'
0	-	-	tfm-seed -m canonical --skip-bad data/recipes/mature_bad.fa data/recipes/gencode_bad.fa 2>&1 > /dev/null | awk '/warning: data\/recipes\/mature_bad.fa:[0-9]+: .*record [^ )]+.*: skipped \(--skip-bad\)/ {m++} /warning: data\/recipes\/gencode_bad.fa:[0-9]+: .*\(record [^)]*\): skipped/ {t++} END {exit !(m == 4 && t == 2)}'
0	-	left out 0 miRNA records, 2 transcript records, 0 pair rows	tfm-seed -m canonical --skip-bad --species cel data/recipes/mature_bad.fa data/recipes/gencode_bad.fa
0	-	left out 3 miRNA records, 2 transcript records	tfm-seed -m canonical --skip-bad --species hsa data/recipes/mature_bad.fa data/recipes/gencode_bad.fa
0	-	-	tfm-seed -m canonical --gene GOOD --species cel data/recipes/mature_bad.fa data/recipes/gencode_bad.fa | awk 'END {exit !(NR > 1)}'
1	-	tfm-seed: data/recipes/mature_bad.fa:6: invalid miRNA letter 'X' at column 10 (record hsa-miR-bad-letter)	tfm-seed data/recipes/mature_bad.fa data/recipes/gencode_bad.fa
1	-	tfm-seed: data/recipes/mature_bad.fa:9: record hsa-miR-too-long has 40 nt (miRNAs: 15-30 nt)	tfm-seed --mirna hsa-miR-too-long data/recipes/mature_bad.fa data/recipes/gencode_bad.fa
1	-	tfm-seed: data/recipes/gencode_bad.fa:3: region 'UTR3:121-300' ends beyond the sequence (200 nt)	tfm-seed --species cel data/recipes/mature_bad.fa data/recipes/gencode_bad.fa
0	-	left out 0 miRNA records, 0 transcript records, 1 pair rows	printf 'mirna_id\tmrna_id\tmirna_seq\tmrna_seq\nm1\tg1\tUGAGGUAGUAGGUUGUAUAGUU\tACGUACGUACUACCUCAACG\nm2\tg1\tUGAGGUAGUAGGUUGUAUAGUU\tACGUACRUACUACCUCAACG\n' | tfm-seed -m canonical --skip-bad -p - | awk -F'\t' 'NR > 1 {p[$1]} END {exit !(length(p) == 1 && ("m1" in p))}'
#
# -- genes, not isoforms: one row per (miRNA, gene), the best transcript named, n_transcripts
0	-	-	tfm-seed --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score | tfm-aggregate --collapse gene > $TFM_TMP/tfm_collapse.tsv && awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; ok = $NF == "n_transcripts"} NR > 1 {k = $1 SUBSEP $(c["gene_id"]); if (k in seen) dup++; seen[k]; n += $NF} END {exit !(ok && !dup && NR - 1 == 20 * 8 && n == 20 * 12)}' $TFM_TMP/tfm_collapse.tsv; r=$?; rm -f $TFM_TMP/tfm_collapse.tsv; exit $r
# the kept row is the best transcript's: its score is the maximum of the gene's transcripts (hand-made rows)
0	data/recipes/collapse.out	-	tfm-aggregate --method max --collapse gene data/recipes/collapse_sites.tsv
1	-	gene 'G1' comes back after other genes	tfm-aggregate --collapse gene data/recipes/collapse_split.tsv
1	-	missing column 'gene_id' for --collapse gene	tfm-aggregate --collapse gene data/aggregate/sites.tsv
2	-	unknown --collapse 'exon'	tfm-aggregate --collapse exon data/aggregate/sites.tsv
#
# -- tfm-rank, on hand-made rows (checked by hand): ties by gene_id, then input order; percentile
# 100 (n - rank + 1) / n; --top per group; --by gene; the matrix
0	data/recipes/rank.out	-	tfm-rank data/recipes/pairs.tsv
0	data/recipes/rank_top2.out	-	tfm-rank --top 2 data/recipes/pairs.tsv
0	data/recipes/rank_top2.out	-	tfm-rank -n 2 - < data/recipes/pairs.tsv
0	data/recipes/rank_gene.out	-	tfm-rank --by gene --top 10 data/recipes/pairs.tsv
0	data/recipes/matrix.out	-	tfm-rank --matrix data/recipes/pairs_gene.tsv
0	data/recipes/matrix_top1.out	-	tfm-rank --matrix --top 1 data/recipes/pairs_gene.tsv
1	-	tfm-rank: data/recipes/pairs.tsv:6: rows of gene 'G2' come back after other genes	tfm-rank --by gene data/recipes/pairs.tsv
1	-	a second row of G1 and m1	tfm-rank --matrix data/recipes/pairs.tsv
1	-	missing column 'gene_id' for --by gene	tfm-rank --by gene data/aggregate/max.out
2	-	unknown --by 'tissue'	tfm-rank --by tissue data/recipes/pairs.tsv
2	-	--by does not apply	tfm-rank --matrix --by gene data/recipes/pairs.tsv
# the same rows in another order give the same ranks
0	-	-	cmp <(tfm-rank --top 9 data/recipes/pairs.tsv | sort) <((head -n 1 data/recipes/pairs.tsv; tail -n +2 data/recipes/pairs.tsv | tac) | tfm-rank --top 9 | sort)
#
# -- Recipe 1: ranked targets of hsa-miR-21-5p: one row per gene, ranks 1..8 by score, the same bytes again
0	-	-	tfm-seed --species hsa --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score | tfm-aggregate --collapse gene | tfm-rank > $TFM_TMP/tfm_r1.tsv && awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; ok = $(NF - 1) == "rank" && $NF == "percentile"} NR > 1 {if ($1 != "hsa-miR-21-5p" || $(c["rank"]) != NR - 1 || (NR > 2 && $3 > last)) bad++; last = $3; g[$(c["gene_id"])]} END {exit !(ok && !bad && NR == 9 && length(g) == 8)}' $TFM_TMP/tfm_r1.tsv && tfm-seed --species hsa --mirna hsa-miR-21-5p -t 2 ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score -t 2 | tfm-aggregate --collapse gene | tfm-rank | cmp - $TFM_TMP/tfm_r1.tsv; r=$?; rm -f $TFM_TMP/tfm_r1.tsv; exit $r
# Recipe 2: the miRNAs that target PDCD4: 20 human miRNAs ranked, nothing but PDCD4
0	-	-	tfm-seed --species hsa --gene PDCD4 ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score | tfm-aggregate --collapse gene | tfm-rank --by gene | awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i} NR > 1 {if ($(c["gene_name"]) != "PDCD4" || $1 !~ /^hsa-/ || $(c["rank"]) != NR - 1 || (NR > 2 && $3 > last)) bad++; last = $3; m[$1]} END {exit !(!bad && length(m) == 20 && NR == 21)}'
# Recipe 3: a gene x miRNA matrix of 5 miRNAs: 8 genes, 5 columns, every cell filled
0	-	-	tfm-seed --mirna hsa-miR-21-5p,hsa-let-7a-5p,hsa-miR-155-5p,hsa-miR-17-5p,hsa-miR-34a-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score | tfm-aggregate --collapse gene | tfm-rank --matrix | awk -F'\t' 'NR == 1 {ok = NF == 7 && $1 == "gene_id" && $2 == "gene_name" && $3 == "hsa-let-7a-5p"} NR > 1 {if (NF != 7) bad++; for (i = 3; i <= 7; i++) if ($i == "." || $i < 0 || $i > 1) bad++} END {exit !(ok && !bad && NR == 9)}'
# Recipe 4: a BED track: BED6, sorted, scores 0..1000 at or above --min-score, 3'UTR sites only
0	-	-	tfm-seed --mirna hsa-miR-21-5p ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz | tfm-score | tfm-bed --min-score 0.5 > $TFM_TMP/tfm_r4.bed && LC_ALL=C sort -s -k1,1 -k2,2n -k3,3n -k4,4 $TFM_TMP/tfm_r4.bed | cmp - $TFM_TMP/tfm_r4.bed && awk -F'\t' '{if (NF != 6 || $5 < 500 || $5 > 1000 || $6 != "+" || $4 !~ /^hsa-miR-21-5p\|[A-Z0-9]+\|[A-Za-z0-9-]+$/ || $2 >= $3) bad++} END {exit !(NR > 0 && !bad)}' $TFM_TMP/tfm_r4.bed; r=$?; rm -f $TFM_TMP/tfm_r4.bed; exit $r
#
# -- tfm-bed on hand-made rows: score 0..1000, gene name else gene id else transcript, 'none' rows left out
0	data/recipes/sites.bed	-	tfm-bed data/recipes/sites_scored.tsv
0	-	-	tfm-bed --min-score 0.5 --track t data/recipes/sites_scored.tsv | awk 'NR == 1 {ok = /^track name="t"/} END {exit !(ok && NR == 3)}'
1	-	missing column 'score' for --min-score	tfm-bed --min-score 0.5 data/seed/let7_utr1_canonical.out
0	-	-	tfm-bed data/seed/let7_utr1_canonical.out | awk -F'\t' '$5 != 0 || $4 !~ /^let-7a\|utr1\|/ {bad++} END {exit !(NR == 4 && !bad)}'
#
# -- your own site table: tfm-score takes just mirna_seq and site_seq (any case, T or U)
0	-	-	printf 'mirna_seq\tsite_seq\nUAGCUUAUCAGACUGAUGUUGA\tGCAGAAUAUUCAGAUAAGCUAAGCCUUGCCAUCAAAGCGU\nuagcttatcagactgatgttga\tgcagaatattcagataagctaagccttgccatcaaagcgt\n' | tfm-score | awk -F'\t' 'NR == 1 {ok = $3 == "score"} NR > 1 {s[NR] = $3} END {exit !(ok && NR == 3 && s[2] == s[3] && s[2] > 0 && s[2] < 1)}'
0	-	-	printf 'mirna_seq\tsite_seq\nUAGCUUAUCAGACUGAUGUUGA\tGCAGAAUAUUCAGAUAAGCUAAGCCUUGCCAUCAAAGCGU\n' | tfm-score --model $TFM_DATA/models/deepTarget_weights.pt | awk -F'\t' 'NR == 2 && $3 > 0 && $3 < 1 {ok = 1} END {exit !ok}'
1	-	missing column 'site_seq'	printf 'mirna_seq\tsite\nUAGCUUAUCAGACUGAUGUUGA\tGCAGAAUAUUCAGAUAAGCU\n' | tfm-score
# shards of a GENCODE run (blocks of equal 3'UTR length) gather to the unsharded bytes, also with --gene and --skip-bad
0	-	-	bash shard_check.sh -a 3 -m canonical --species hsa ../examples/mature.fa ../examples/gencode.pc_transcripts.fa.gz
0	-	-	bash shard_check.sh 2 -m canonical --skip-bad data/recipes/mature_bad.fa data/recipes/gencode_bad.fa 2> /dev/null
