# tfm's default model (models/README.md) and the plain pipeline (format: see tests/run.sh)
# the model records the mode it was trained on, and it is tfm-seed's default mode
0	-	-	m=$(tfm-convert --meta ../models/tfm-default.safetensors | awk -F'\t' '$1 == "site_mode" {print $2}'); [ -n "$m" ] && tfm-seed --help | grep -q -- "| esa \[$m\]"
# no options = the default model's mode, model and aggregation (odds-mean with the miRNA prior)
0	-	-	cmp <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | tfm-aggregate) <(tfm-seed -m 10-mer-m6 -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --model ../models/tfm-default.safetensors | tfm-aggregate --method odds-mean)
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | awk 'NR == 1 {ok = /\tscore\tmirna_prior$/} END {exit !ok}'
# every input pair has one output row, in input order
0	-	-	cmp <(tail -n +2 ../examples/pairs.tsv | cut -f 1,2) <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | tfm-aggregate | tail -n +2 | cut -f 1,2)
0	-	-	cmp <(tfm-seed ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -t 1) <(tfm-seed ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -t 2)
# the model scores its own windows only; the model is found through TFM_MODEL, or said missing
1	-	mode 'offset-9-mer-m7', but ../models/tfm-default.safetensors was trained on 10-mer-m6 windows (tfm-seed -m 10-mer-m6)	tfm-seed -m offset-9-mer-m7 -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | TFM_MODEL=../models/tfm-default.safetensors tfm-score
1	-	tfm-score: cannot open '/nonexistent/m.safetensors'	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | TFM_MODEL=/nonexistent/m.safetensors tfm-score
1	-	tfm-score: no default model tfm-default.safetensors in	d=$(mktemp -d); cp "$(command -v tfm-score)" $d/; tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | $d/tfm-score; r=$?; rm -rf $d; exit $r
# an installed copy (PREFIX/bin/tfm-score, PREFIX/share/tfm/) is found
0	-	-	d=$(mktemp -d); make -s -C .. install PREFIX=$d > /dev/null && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | $d/bin/tfm-score | awk 'END {exit NR < 2}'; r=$?; rm -rf $d; exit $r
# the model card's figures (models/README.md): val split and miRAW sets 0-4, with the prior
0	data/model/figures.tsv	-	TFM_DATA=$TFM_DATA bash ../models/evaluate.sh
# `make model` reproduces the committed weights from the options recorded in the model (~1 min)
0	-	weights reproduced	bash model_retrain.sh ../models/tfm-default.safetensors $TFM_DATA/miraw/train/sites.tsv.gz
