# tfm-aggregate (format: see tests/run.sh); expected outputs checked by hand:
# m1/g1 has scores 0.2 and 0.9: max 0.9 (site 5-34), mean 0.55, sum 1.1, top-3 mean 0.55,
# noisy-or 1 - 0.8 * 0.1 = 0.92; m1/g2 has only a 'none' row: 0 with 0 sites
0	data/aggregate/max.out	-	tfm-aggregate data/aggregate/sites.tsv
0	data/aggregate/max.out	-	tfm-aggregate -b max - < data/aggregate/sites.tsv
0	data/aggregate/mean.out	-	tfm-aggregate --by mean data/aggregate/sites.tsv
0	data/aggregate/sum.out	-	tfm-aggregate --by sum data/aggregate/sites.tsv
0	data/aggregate/top-k.out	-	tfm-aggregate --by top-k -k 3 data/aggregate/sites.tsv
0	data/aggregate/noisy-or.out	-	tfm-aggregate --by noisy-or data/aggregate/sites.tsv
# odds-mean: m1/g1 odds 0.25 and 9, mean 4.625 -> 4.625/5.625 = 0.822222; m2/g1 0.5 -> 0.5.
# With mirna_prior (m1 0.8 = odds 4, m2 0.2 = odds 0.25): 18.5/19.5 = 0.948718 and 0.2; auto
# (the default) picks odds-mean when the column is there, max otherwise
0	data/aggregate/odds-mean.out	-	tfm-aggregate --by odds-mean data/aggregate/sites.tsv
0	data/aggregate/odds-mean-prior.out	-	tfm-aggregate data/aggregate/sites_prior.tsv
0	data/aggregate/odds-mean-prior.out	-	tfm-aggregate --by odds-mean data/aggregate/sites_prior.tsv
0	data/aggregate/max.out	-	tfm-aggregate --by auto data/aggregate/sites.tsv
# a saturated site (score 1) is clipped at 1 - 1e-6: finite odds, score < 1
0	-	-	printf 'mirna_id\tmrna_id\tsite_type\tscore\nm\tg\t8mer\t1\nm\tg\t8mer\t0\n' | tfm-aggregate -b odds-mean | awk -F'\t' 'NR == 2 {exit !($3 > 0.999 && $3 < 1)}'
1	-	tfm-aggregate: data/aggregate/bad_prior.tsv:2: mirna_prior '1.5' is not a probability in [0, 1]	tfm-aggregate data/aggregate/bad_prior.tsv
0	-	-	tfm-aggregate --by top-k -k 1 data/aggregate/sites.tsv | awk -F'\t' '$1=="m1" && $2=="g1" {exit !($3==0.9)}'
1	-	tfm-aggregate: data/aggregate/split.tsv:4: pair m1/g1 appears again after other pairs (first on line 2; rows of a pair must be contiguous)	tfm-aggregate data/aggregate/split.tsv
1	-	tfm-aggregate: data/aggregate/empty_score.tsv:2: score '' is not a probability in [0, 1]	tfm-aggregate data/aggregate/empty_score.tsv
1	-	tfm-aggregate: data/aggregate/label_differs.tsv:3: pair-level columns of m1/g1 differ from line 2	tfm-aggregate data/aggregate/label_differs.tsv
1	-	tfm-aggregate: data/aggregate/no_score.tsv:1: missing column 'score'	tfm-aggregate data/aggregate/no_score.tsv
2	-	unknown --by 'median'	tfm-aggregate --by median data/aggregate/sites.tsv
0	-	-	tfm-aggregate --help | grep -q 'Usage: tfm-aggregate'
0	-	-	tfm-aggregate --version | grep -q '^tfm-aggregate '
# the contiguity check keeps the last 2^20 pairs as 128-bit hashes (lib/recent.h), not every pair as a string: 2 M
# distinct pairs in < 64 MB peak (a set of all pairs took ~70 bytes a pair: 450 MB for 10 M); a repeat within the
# window is still an error, one further back is not seen
0	-	-	need /usr/bin/time; awk 'BEGIN {print "mirna_id\tmrna_id\tsite_type\tscore"; for (i = 0; i < 2000000; i++) printf "m%d\tENSG%011d\t8mer\t0.5\n", i % 2042, i}' | /usr/bin/time -f %M -o /tmp/tfm_agg_rss.$$ tfm-aggregate | awk 'END {exit !(NR == 2000001)}' && kb=$(cat /tmp/tfm_agg_rss.$$) && rm -f /tmp/tfm_agg_rss.$$ && echo "peak $kb KB" && [ $kb -lt 65536 ]
1	-	pair m5/g5 appears again after other pairs (first on line 7;	awk 'BEGIN {print "mirna_id\tmrna_id\tsite_type\tscore"; for (i = 0; i < 300000; i++) printf "m%d\tg%d\t8mer\t0.5\n", i, i; print "m5\tg5\t8mer\t0.5"}' | tfm-aggregate > /dev/null
0	-	-	awk 'BEGIN {print "mirna_id\tmrna_id\tsite_type\tscore"; for (i = 0; i < 1100000; i++) printf "m%d\tg%d\t8mer\t0.5\n", i, i; print "m5\tg5\t8mer\t0.5"}' | tfm-aggregate | awk 'END {exit !(NR == 1100002)}'
# a site's start and end must be positions (integers >= 1, start <= end): best_start/best_end are not copied blindly
1	-	tfm-aggregate: stdin:3: start 'x' is not a position (an integer >= 1)	awk -F'\t' -v OFS='\t' 'NR == 3 {$3 = "x"} 1' data/aggregate/sites.tsv | tfm-aggregate
1	-	tfm-aggregate: stdin:2: end 29 is before start 31	awk -F'\t' -v OFS='\t' 'NR == 2 {$3 = 31; $4 = 29} 1' data/aggregate/sites.tsv | tfm-aggregate
1	-	tfm-aggregate: stdin:2: end '' is not a position	awk -F'\t' -v OFS='\t' 'NR == 2 {$4 = ""} 1' data/aggregate/sites.tsv | tfm-aggregate
