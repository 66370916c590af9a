# tfm-plot: SVG site maps (format: see tests/run.sh)
# a hand-made scored table: the golden SVG (ids with & < > escaped; 'none' rows and other
# transcripts left out; mark size and opacity from the score)
0	data/plot/scored.svg	-	tfm-plot -l 120 data/plot/scored.tsv
# well formed: xmllint when installed, else Python's XML parser
0	-	-	need xmllint; tfm-plot -l 120 data/plot/scored.tsv | xmllint --noout -
0	-	-	need python3; tfm-plot -l 120 data/plot/scored.tsv | python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.stdin)'
# tfm-seed | tfm-plot on examples/: one mark per site row of the first transcript, with its type
0	-	-	need xmllint; tfm-seed -m canonical ../examples/mirnas.fa ../examples/utrs.fa.gz > $TFM_TMP/tfm_plot.$$.tsv && tfm-plot -f ../examples/utrs.fa.gz $TFM_TMP/tfm_plot.$$.tsv > $TFM_TMP/tfm_plot.$$.svg && xmllint --noout $TFM_TMP/tfm_plot.$$.svg && want=$(awk -F'\t' 'NR>1 && $2=="ENSG00000159388" && $6!="none"' $TFM_TMP/tfm_plot.$$.tsv | wc -l) && [ $want -gt 0 ] && [ $(grep -c '<rect class="site"' $TFM_TMP/tfm_plot.$$.svg) = $want ] && [ $(awk -F'\t' 'NR>1 && $2=="ENSG00000159388" && $6=="8mer"' $TFM_TMP/tfm_plot.$$.tsv | wc -l) = $(grep -c 'data-type="8mer"' $TFM_TMP/tfm_plot.$$.svg) ] && grep -q 'data-length="2164"' $TFM_TMP/tfm_plot.$$.svg; r=$?; rm -f $TFM_TMP/tfm_plot.$$.*; exit $r
# --mrna and --mirna choose the marks; scores from tfm-score (deepTarget) shade them
0	-	-	need xmllint; tfm-seed -m canonical ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-plot -r ENSG00000096717 -M hsa-miR-155-5p -f ../examples/utrs.fa.gz | xmllint --xpath 'count(//*[local-name()="rect"][@class="site"])' - | grep -qx 2
0	-	-	need xmllint; tfm-seed -m offset-9-mer-m7 ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --model $TFM_DATA/models/deepTarget_weights.pt | tfm-plot -f ../examples/utrs.fa.gz | xmllint --xpath 'count(//*[local-name()="rect"][@class="site"][@data-score])' - | grep -qx '[1-9][0-9]*'
# errors name file and line
1	-	tfm-plot: data/plot/bad_score.tsv:2: bad score '1.5' (want a number in 0..1)	tfm-plot data/plot/bad_score.tsv
1	-	tfm-plot: data/plot/bad_coords.tsv:2: bad site coordinates start '12' end '5'	tfm-plot data/plot/bad_coords.tsv
1	-	tfm-plot: data/plot/bad_type.tsv:2: unknown site_type '9mer'	tfm-plot data/plot/bad_type.tsv
1	-	tfm-plot: data/plot/scored.tsv: transcript 'nope' is not in the input	tfm-plot -r nope data/plot/scored.tsv
1	-	tfm-plot: data/plot/scored.tsv: a site of 'utr<1>' ends at 99, beyond its length 50	tfm-plot -l 50 data/plot/scored.tsv
1	-	tfm-plot: ../examples/utrs.fa.gz: transcript 'utr<1>' is not in the FASTA	tfm-plot -f ../examples/utrs.fa.gz data/plot/scored.tsv
1	-	tfm-plot: data/seed/pairs_ids.tsv:1: missing column 'start'	tfm-plot data/seed/pairs_ids.tsv
# usage
0	-	-	tfm-plot --help | grep -q 'Usage: tfm-plot'
0	-	-	tfm-plot --version | grep -q '^tfm-plot '
2	-	invalid value 'x' for --width	tfm-plot -w x data/plot/scored.tsv
2	-	give --length or --transcripts, not both	tfm-plot -l 5 -f x.fa data/plot/scored.tsv
