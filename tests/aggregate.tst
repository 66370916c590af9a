# tfm-aggregate (format: see tests/run.sh); expected outputs checked by hand:
# m1/g1 has scores 0.2 and 0.9: max 0.9 (site 5-34), mean 0.55, sum 1.1, top-3 mean 0.55,
# noisy-or 1 - 0.8 * 0.1 = 0.92; m1/g2 has only a 'none' row: 0 with 0 sites
0	data/aggregate/max.out	-	tfm-aggregate data/aggregate/sites.tsv
0	data/aggregate/max.out	-	tfm-aggregate -b max - < data/aggregate/sites.tsv
0	data/aggregate/mean.out	-	tfm-aggregate --by mean data/aggregate/sites.tsv
0	data/aggregate/sum.out	-	tfm-aggregate --by sum data/aggregate/sites.tsv
0	data/aggregate/top-k.out	-	tfm-aggregate --by top-k -k 3 data/aggregate/sites.tsv
0	data/aggregate/noisy-or.out	-	tfm-aggregate --by noisy-or data/aggregate/sites.tsv
0	-	-	tfm-aggregate --by top-k -k 1 data/aggregate/sites.tsv | awk -F'\t' '$1=="m1" && $2=="g1" {exit !($3==0.9)}'
1	-	tfm-aggregate: data/aggregate/split.tsv:4: pair m1/g1 appears again after other pairs (rows of a pair must be contiguous)	tfm-aggregate data/aggregate/split.tsv
1	-	tfm-aggregate: data/aggregate/empty_score.tsv:2: score '' is not a probability in [0, 1]	tfm-aggregate data/aggregate/empty_score.tsv
1	-	tfm-aggregate: data/aggregate/label_differs.tsv:3: pair-level columns of m1/g1 differ from line 2	tfm-aggregate data/aggregate/label_differs.tsv
1	-	tfm-aggregate: data/aggregate/no_score.tsv:1: missing column 'score'	tfm-aggregate data/aggregate/no_score.tsv
2	-	unknown --by 'median'	tfm-aggregate --by median data/aggregate/sites.tsv
0	-	-	tfm-aggregate --help | grep -q 'Usage: tfm-aggregate'
0	-	-	tfm-aggregate --version | grep -q '^tfm-aggregate '
