# tfm's default model (models/README.md) and the plain pipeline (format: see tests/run.sh)
# the model records the mode it was trained on, and it is tfm-seed's default mode
0	-	-	m=$(tfm-convert --meta ../models/tfm-default.safetensors | awk -F'\t' '$1 == "site_mode" {print $2}'); [ -n "$m" ] && tfm-seed --help | grep -q -- "| esa \[$m\]"
# no options = the default model's mode, model and aggregation (any-site), and no miRNA prior:
# the score depends on the sequences alone
0	-	-	cmp <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | tfm-aggregate) <(m=$(tfm-convert --meta ../models/tfm-default.safetensors | awk -F'\t' '$1 == "site_mode" {print $2}'); tfm-seed -m $m -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --model ../models/tfm-default.safetensors | tfm-aggregate --method any-site)
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | awk 'NR == 1 {ok = /\tscore$/} END {exit !ok}'
# --prior model: the training-site tallies stored in the model, read by empirical Bayes: the
# posterior mean (pos+a)/(n+a+b) of the miRNA's training sites, a/(a+b) for an unseen miRNA, with
# the a and b SciPy fits to the train split's tallies (vectors/prior_miraw_train.tsv)
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior model | awk 'NR == 1 {ok = /\tscore\tmirna_prior$/} END {exit !ok}'
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior model | awk -F'\t' -v OFS='\t' 'NR > 1 {print $8, $NF}' | sort -u > $TFM_TMP/tfm_prior_model.$$ && gzip -dc $TFM_DATA/miraw/train/sites.tsv.gz | awk -F'\t' -v f=$TFM_TMP/tfm_prior_model.$$ -v A=$(awk -F'\t' '$1 == "miraw_train" {print $4}' vectors/prior_miraw_train.tsv) -v B=$(awk -F'\t' '$1 == "miraw_train" {print $5}' vectors/prior_miraw_train.tsv) 'NR > 1 && $6 != "val" {n[$2]++; p[$2] += $5} END {if (A <= 0 || B <= 0) exit 1; while ((getline line < f) > 0) {split(line, a, "\t"); want = (a[1] in n) ? (p[a[1]] + A) / (n[a[1]] + A + B) : A / (A + B); d = a[2] - want; if (d < -5e-6 || d > 5e-6) bad++; k++} exit !(k > 0 && bad == 0)}'; r=$?; rm -f $TFM_TMP/tfm_prior_model.$$; exit $r
# -v names the Beta the model's prior fitted (SciPy's a and b, vectors/prior_miraw_train.tsv, to 4 digits)
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -v --prior model 2>&1 >/dev/null | grep '^tfm-score: --prior model: Beta(0.2584, 0.05772) fitted to the training tallies; an unseen miRNA gets 0.8174$' > /dev/null
# --prior model names the rows whose miRNA has no training site (they get the unseen prior), on
# stderr unless -q; the example's miRNAs all have training sites
0	-	tfm-score: --prior model: 2 of 2 rows are of miRNAs without training sites in the model; they got an unseen miRNA's prior, 0.8174 (--prior FILE gives their activity)	printf 'mirna_id\tmrna_id\tmode\tsite_type\tmirna_seq\tsite_seq\nmade-up\tu1\t10-mer-m7\t8mer\tUCGAUCGAUCGAUCGAUCGAUC\tACGUAGCUAGCUAGCUAGGAUCGAUCGAUCGA\nmade-up\tu2\t10-mer-m7\tnone\tUCGAUCGAUCGAUCGAUCGAUC\t.\n' | tfm-score --prior model > /dev/null
0	-	-	printf 'mirna_id\tmrna_id\tmode\tsite_type\tmirna_seq\tsite_seq\nmade-up\tu1\t10-mer-m7\t8mer\tUCGAUCGAUCGAUCGAUCGAUC\tACGUAGCUAGCUAGCUAGGAUCGAUCGAUCGA\n' | tfm-score -q --prior model 2>&1 > /dev/null | awk 'END {exit NR != 0}' && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior model 2>&1 > /dev/null | awk '/without training sites/ {bad++} END {exit bad > 0}'
# --prior FILE: a user's priors keyed on mirna_id or mirna_seq (T and lower case accepted)
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_id\tprior\n'; awk 'NR > 1 {print $1 "\t0.25"}' ../examples/pairs.tsv | sort -u) | awk -F'\t' 'NR > 1 && $NF != 0.25 {bad++} END {exit NR < 2 || bad}'
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_seq\tprior\n'; awk '!/^>/ {s = tolower($0); gsub(/u/, "t", s); print s "\t0.75"}' ../examples/mirnas.fa | sort -u) | awk -F'\t' 'NR > 1 && $NF != 0.75 {bad++} END {exit NR < 2 || bad}'
1	-	has no prior in	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_id\tprior\nhsa-miR-21-5p\t0.5\n')
1	-	prior '1' is not a probability strictly between 0 and 1	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_id\tprior\nhsa-miR-21-5p\t1\n')
1	-	:3: mirna_seq 'UAGCUUAUCAGACUGAUGUUGX' is not an RNA sequence (letters ACGU or T)	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_seq\tprior\nuagcuuaucagacugauguuga\t0.5\nUAGCUUAUCAGACUGAUGUUGX\t0.5\n')
1	-	needs a 'mirna_id' or 'mirna_seq' column beside 'prior'	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'name\tprior\nx\t0.5\n')
1	-	records no miRNA prior	tfm-seed -m esa -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --model $TFM_DATA/models/TargetNet.pt --prior model
# with a prior, any-site multiplies each window's prior odds by the miRNA's: a higher prior never
# lowers a pair's score
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score --prior <(printf 'mirna_id\tprior\n'; awk 'NR > 1 {print $1 "\t0.9"}' ../examples/pairs.tsv | sort -u) | tfm-aggregate | cut -f 3 > $TFM_TMP/tfm_hi.$$ && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | tfm-aggregate | cut -f 3 | paste - $TFM_TMP/tfm_hi.$$ | awk 'NR > 1 && $2 < $1 {bad++} END {exit bad > 0}'; r=$?; rm -f $TFM_TMP/tfm_hi.$$; exit $r
# every input pair has one output row, in input order
0	-	-	cmp <(tail -n +2 ../examples/pairs.tsv | cut -f 1,2) <(tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score | tfm-aggregate | tail -n +2 | cut -f 1,2)
0	-	-	cmp <(tfm-seed ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -t 1) <(tfm-seed ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -t 2)
# the model scores its own windows only; the model is found through TFM_MODEL, or said missing
1	-	mode 'offset-9-mer-m7', but ../models/tfm-default.safetensors was trained on 10-mer-m7 windows (tfm-seed -m 10-mer-m7)	tfm-seed -m offset-9-mer-m7 -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | TFM_MODEL=../models/tfm-default.safetensors tfm-score
1	-	tfm-score: cannot open '/nonexistent/m.safetensors'	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | TFM_MODEL=/nonexistent/m.safetensors tfm-score
1	-	tfm-score: no default model tfm-default.safetensors in	d=$(mktemp -d); cp "$(command -v tfm-score)" $d/; tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | $d/tfm-score; r=$?; rm -rf $d; exit $r
# an installed copy (PREFIX/bin/tfm-score, PREFIX/share/tfm/) is found
0	-	-	d=$(mktemp -d); make -s -C .. install PREFIX=$d > /dev/null && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | $d/bin/tfm-score | awk 'END {exit NR < 2}'; r=$?; rm -rf $d; exit $r
# the model card's figures (models/README.md): val split and miRAW sets 0-4, with the prior
0	data/model/figures.tsv	-	TFM_DATA=$TFM_DATA bash ../models/evaluate.sh
# `make model` reproduces the committed weights from the options recorded in the model (~1 min)
0	-	weights reproduced	bash model_retrain.sh ../models/tfm-default.safetensors $TFM_DATA/miraw/train/sites.tsv.gz
