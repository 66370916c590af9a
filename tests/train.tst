# tfm-train (format: see tests/run.sh). data/train/tiny.tsv: 60 synthetic rows (positives carry a planted seed
# match; one 39-nt site; every 6th row is split 'val'); nolabel/badlabel/badbase are its broken copies.
0	-	-	tfm-train --help | grep 'Usage: tfm-train' > /dev/null && tfm-train --version | grep -q '^tfm-train '
# usage errors
2	-	--arch is required	tfm-train data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	unknown architecture 'resnet'	tfm-train --arch resnet data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	--output is required	tfm-train --arch targetnet data/train/tiny.tsv
2	-	--class-weight wants two non-negative numbers	tfm-train --arch targetnet --class-weight 1 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	--epochs	tfm-train --arch targetnet --epochs 0 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	unknown optimizer 'rmsprop'	tfm-train --arch targetnet --optimizer rmsprop data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
# data errors name the file and line; a failed run leaves no model file
1	-	tfm-train: data/train/nolabel.tsv:1: missing column 'label'	tfm-train -q --arch targetnet data/train/nolabel.tsv -o $TFM_TMP/tfm_tr_x.safetensors
1	-	tfm-train: data/train/badlabel.tsv:4: label '2' is not 0 or 1	tfm-train -q --arch deeptarget data/train/badlabel.tsv -o $TFM_TMP/tfm_tr_x.safetensors
1	-	tfm-train: data/train/badbase.tsv:3: invalid letter 'N' at position 11 of site_seq (TargetNet sites	tfm-train -q --arch targetnet data/train/badbase.tsv -o $TFM_TMP/tfm_tr_x.safetensors
1	-	tfm-train: cannot open	tfm-train -q --arch targetnet data/train/absent.tsv -o $TFM_TMP/tfm_tr_x.safetensors
0	-	-	rm -f $TFM_TMP/tfm_tr_x.safetensors; ! tfm-train -q --arch targetnet data/train/badlabel.tsv -o $TFM_TMP/tfm_tr_x.safetensors 2> /dev/null && ! ls $TFM_TMP/tfm_tr_x.safetensors* 2> /dev/null
# same seed -> same bytes, for 1 and 2 threads; another seed -> other bytes; gzip input works
0	-	-	tfm-train -q --arch targetnet -e 2 --batch 8 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_a.safetensors && tfm-train -q --arch targetnet -e 2 --batch 8 -t 2 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_b.safetensors && cmp $TFM_TMP/tfm_tr_a.safetensors $TFM_TMP/tfm_tr_b.safetensors
0	-	-	tfm-train -q --arch targetnet -e 2 --batch 8 --seed 2 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_c.safetensors && ! cmp -s $TFM_TMP/tfm_tr_a.safetensors $TFM_TMP/tfm_tr_c.safetensors
0	-	-	tfm-train -q --arch deeptarget -e 2 --batch 8 --optimizer sgd --lr 0.05 data/train/tiny.tsv.gz -o $TFM_TMP/tfm_tr_d.safetensors && tfm-train -q --arch deeptarget -e 2 --batch 8 --optimizer sgd --lr 0.05 -t 2 data/train/tiny.tsv.gz -o $TFM_TMP/tfm_tr_e.safetensors && cmp $TFM_TMP/tfm_tr_d.safetensors $TFM_TMP/tfm_tr_e.safetensors
# metadata: architecture, encoding, checksum of the decompressed input, options, seed, best epoch
0	-	-	m=$TFM_TMP/tfm_tr_a.safetensors; grep -qa '"architecture":"TargetNet"' $m && grep -qa '"encoding":"targetnet"' $m && grep -qa "\"data_md5\":\"$(md5sum < data/train/tiny.tsv | cut -c1-32)\"" $m && grep -qa '"options":"--arch targetnet --epochs 2 --batch 8 --lr 0.001 --weight-decay 0 --optimizer adam --class-weight 1,1 --seed 1 --val-split val --select loss --layout sites"' $m && grep -qa '"seed":"1"' $m && grep -qa '"epoch":"[12]"' $m && grep -qa '"val_roc_auc":"' $m
0	-	-	grep -qa "\"data_md5\":\"$(gzip -dc data/train/tiny.tsv.gz | md5sum | cut -c1-32)\"" $TFM_TMP/tfm_tr_d.safetensors && grep -qa '"architecture":"deepTarget"' $TFM_TMP/tfm_tr_d.safetensors && grep -qa -- '--optimizer sgd --momentum 0.9' $TFM_TMP/tfm_tr_d.safetensors
# without a split column every row trains; a warning says so
0	-	no validation rows (split 'val')	cut -f1-5 data/train/tiny.tsv > $TFM_TMP/tfm_tr_nosplit.tsv && tfm-train --arch deeptarget -e 1 $TFM_TMP/tfm_tr_nosplit.tsv -o $TFM_TMP/tfm_tr_f.safetensors && ! grep -qa val_loss $TFM_TMP/tfm_tr_f.safetensors
# a trained model scores with tfm-score: TargetNet on tfm-seed --mode esa windows, deepTarget on site rows
0	-	-	tfm-seed -m esa -p data/score/pairs.tsv data/seed/let7.fa data/score/utrs.fa | tfm-score --model $TFM_TMP/tfm_tr_a.safetensors | awk -F'\t' 'NR > 1 && $14 != "" {n++; if (!($14 > 0 && $14 < 1)) bad++} END {exit !(n > 0 && bad == 0)}'
# real data (TFM_DATA): 2 epochs on every 40th row of sites.tsv.gz; tfm-score on the val rows reproduces the
# val accuracy and ROC-AUC that tfm-train recorded (within 0.001: two forward implementations), and both are well above chance
0	-	-	gzip -dc $TFM_DATA/miraw/train/sites.tsv.gz | awk 'NR == 1 || NR % 40 == 0' > $TFM_TMP/tfm_tr_sub.tsv && tfm-train -q --arch deeptarget -e 2 -t 2 $TFM_TMP/tfm_tr_sub.tsv -o $TFM_TMP/tfm_tr_sub.safetensors && awk -F'\t' -v OFS='\t' 'NR == 1 {print $0, "site_type"; next} $6 == "val" {print $0, "site"}' $TFM_TMP/tfm_tr_sub.tsv | tfm-score --model $TFM_TMP/tfm_tr_sub.safetensors | tfm-acc | awk -F'\t' -v m="$(grep -ao '"val_accuracy":"[0-9.]*","val_roc_auc":"[0-9.]*"' $TFM_TMP/tfm_tr_sub.safetensors)" 'NR == 2 {split(m, q, "\""); a = $7 - q[4]; u = $12 - q[8]; exit !(q[4] != "" && a * a <= 1e-6 && u * u <= 1e-6 && $7 > 0.75 && $12 > 0.8)}'
# TargetNet: the val rows as (miRNA, 40-nt "UTR") pairs through tfm-seed --mode esa and tfm-score give the same
# val figures as training did (the training encoding is the scoring pipeline's)
0	-	-	tfm-train -q --arch targetnet -e 2 -t 2 $TFM_TMP/tfm_tr_sub.tsv -o $TFM_TMP/tfm_tr_subtn.safetensors && awk -F'\t' -v OFS='\t' 'NR == 1 {print "mirna_id", "mirna_seq", "mrna_id", "mrna_seq", "label"; next} $6 == "val" {print "r" NR, $2, "s" NR, $4, $5}' $TFM_TMP/tfm_tr_sub.tsv | tfm-seed -m esa --min-esa 0 -p - | tfm-score --model $TFM_TMP/tfm_tr_subtn.safetensors | tfm-acc | awk -F'\t' -v m="$(grep -ao '"val_accuracy":"[0-9.]*","val_roc_auc":"[0-9.]*"' $TFM_TMP/tfm_tr_subtn.safetensors)" 'NR == 2 {split(m, q, "\""); a = $7 - q[4]; u = $12 - q[8]; exit !(q[4] != "" && a * a <= 1e-6 && u * u <= 1e-6 && $7 > 0.75 && $12 > 0.8)}'
# --layout mitar (miRNA 3'->5', DNA sites, no header or DeepMirTar's header): data/train/tiny_mitar*.tsv are tiny.tsv
# in that layout. Trained the same as tiny.tsv with its split column replaced by the MD5 rule of sites.tsv.gz (computed
# here with md5sum), so orientation, alphabet and the split rule all agree; the header line is skipped.
0	-	-	{ head -n 1 data/train/tiny.tsv; tail -n +2 data/train/tiny.tsv | while IFS=$'\t' read -r a m b s l x; do h=$(printf '%s\t%s' "$m" "$s" | md5sum | cut -c1-8); v=train; [ $((16#$h % 10)) = 0 ] && v=val; printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$m" "$b" "$s" "$l" "$v"; done; } > $TFM_TMP/tfm_tr_md5.tsv && grep -q 'val$' $TFM_TMP/tfm_tr_md5.tsv && tfm-train -q --arch targetnet -e 2 --batch 8 $TFM_TMP/tfm_tr_md5.tsv -o $TFM_TMP/tfm_tr_g.safetensors && tfm-train -q --arch targetnet -e 2 --batch 8 --layout mitar data/train/tiny_mitar.tsv -o $TFM_TMP/tfm_tr_h.safetensors && tfm-seed -m esa -p data/score/pairs.tsv data/seed/let7.fa data/score/utrs.fa > $TFM_TMP/tfm_tr_rows.tsv && cmp <(tfm-score --model $TFM_TMP/tfm_tr_g.safetensors $TFM_TMP/tfm_tr_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_tr_h.safetensors $TFM_TMP/tfm_tr_rows.tsv) && grep -qa -- '--layout mitar' $TFM_TMP/tfm_tr_h.safetensors && grep -qa "\"data_md5\":\"$(md5sum < data/train/tiny_mitar.tsv | cut -c1-32)\"" $TFM_TMP/tfm_tr_h.safetensors
0	-	-	tfm-train -q --arch targetnet -e 2 --batch 8 --layout mitar data/train/tiny_mitar_header.tsv -o $TFM_TMP/tfm_tr_i.safetensors && cmp <(tfm-score --model $TFM_TMP/tfm_tr_h.safetensors $TFM_TMP/tfm_tr_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_tr_i.safetensors $TFM_TMP/tfm_tr_rows.tsv)
2	-	--layout wants sites or mitar	tfm-train --arch targetnet --layout csv data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
# --skip-bad leaves out rows TargetNet cannot take (here the 'N' row) and records the count; labels stay strict
0	-	1 rows left out	tfm-train --arch targetnet -e 1 --skip-bad data/train/badbase.tsv -o $TFM_TMP/tfm_tr_j.safetensors && grep -qa 'skipped 1"' $TFM_TMP/tfm_tr_j.safetensors
1	-	data/train/badlabel.tsv:4: label '2'	tfm-train -q --arch targetnet --skip-bad data/train/badlabel.tsv -o $TFM_TMP/tfm_tr_x.safetensors
# --mode: training on the candidate windows the scoring search will find
2	-	--mode needs --arch deeptarget	tfm-train --arch targetnet --mode 10-mer-m6 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	--mode wants offset-9-mer-m7, 10-mer-m7 or 10-mer-m6, not 'canonical'	tfm-train --arch deeptarget --mode canonical data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	--balance wants none, mirna or mirna-harmonic, not 'family'	tfm-train --arch deeptarget --balance family data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
# --balance mirna-harmonic is recorded in the model's options (its weights: test_train)
0	-	-	tfm-train -q --arch deeptarget -e 1 --batch 8 --decoys 1 --balance mirna-harmonic data/train/tiny.tsv -o $TFM_TMP/tfm_tr_h.safetensors && tfm-convert --meta $TFM_TMP/tfm_tr_h.safetensors | grep -q '^options	.*--decoys 1 --balance mirna-harmonic$'; r=$?; rm -f $TFM_TMP/tfm_tr_h.safetensors; exit $r
# --decoy-shuffles K (research) is recorded in the model's options (its samples: test_train)
0	-	-	tfm-train -q --arch deeptarget -e 1 --batch 8 --decoy-shuffles 2 --balance mirna data/train/tiny.tsv -o $TFM_TMP/tfm_tr_sh.safetensors && tfm-convert --meta $TFM_TMP/tfm_tr_sh.safetensors | grep '^options	.*--decoys 0 --balance mirna --decoy-shuffles 2$' > /dev/null; r=$?; rm -f $TFM_TMP/tfm_tr_sh.safetensors; exit $r
2	-	invalid value '101' for --decoy-shuffles	tfm-train --decoy-shuffles 101 data/train/tiny.tsv
0	-	-	d=$(mktemp -d); tfm-train -q -a deeptarget --mode 10-mer-m6 -e 2 -t 1 data/train/tiny.tsv -o $d/a.safetensors && tfm-train -q -a deeptarget --mode 10-mer-m6 -e 2 -t 2 data/train/tiny.tsv -o $d/b.safetensors && cmp $d/a.safetensors $d/b.safetensors && tfm-convert --meta $d/a.safetensors | awk -F'\t' '$1 == "site_mode" && $2 == "10-mer-m6" {m++} $1 == "mirna_prior" && $2 ~ /^[ACGU]+:[0-9]+:[0-9]+/ {p++} $1 == "options" && / --mode 10-mer-m6$/ {o++} END {exit !(m && p && o)}'; r=$?; rm -rf $d; exit $r
0	-	10-mer-m6 windows of 50 training and 10 validation rows	tfm-train -a deeptarget --mode 10-mer-m6 -e 1 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_sm.safetensors && rm $TFM_TMP/tfm_tr_sm.safetensors
# --arch targetfm: the TargetFM1 head on frozen RNA-FM embeddings (here the tiny 32-dimensional checkpoint of the specs)
2	-	--arch targetfm needs the RNA-FM checkpoint	tfm-train --arch targetfm data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	--rnafm and --rnafm-det need --arch targetfm	tfm-train --arch deeptarget --rnafm-det 1 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
2	-	exclude each other	tfm-train --arch targetfm --rnafm x.pt --rnafm-det 1 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
1	-	tfm-train: cannot open	tfm-train -q --arch targetfm --rnafm data/train/absent.pt data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
# each distinct miRNA and CTS input embedded once (60 + 60 here); same bytes for 1 and 2 threads (both runs under the
# same OpenBLAS kernel: the embeddings come from RNA-FM's sgemm, see rnafm.tst); metadata names the
# architecture, encoding, RNA-FM checkpoint (name, MD5, size, embed_dim), data MD5, options and seed
0	-	embedded 120 distinct inputs (60 miRNA, 60 CTS)	tfm-train -a targetfm --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt -e 3 --batch 8 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_fm1.safetensors && tfm-train -q -a targetfm --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt -e 3 --batch 8 -t 2 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_fm2.safetensors && cmp $TFM_TMP/tfm_tr_fm1.safetensors $TFM_TMP/tfm_tr_fm2.safetensors
0	-	-	tfm-convert --meta $TFM_TMP/tfm_tr_fm1.safetensors | awk -F'\t' -v md5="$(md5sum < $TFM_SPECS/vectors/rnafm_tiny_zip.pt | cut -c1-32)" -v dmd5="$(md5sum < data/train/tiny.tsv | cut -c1-32)" -v size=$(wc -c < $TFM_SPECS/vectors/rnafm_tiny_zip.pt) '$1 == "architecture" && $2 == "TargetFM1" {n++} $1 == "encoding" && $2 == "rnafm" {n++} $1 == "rnafm" && $2 == "rnafm_tiny_zip.pt" {n++} $1 == "rnafm_md5" && $2 == md5 {n++} $1 == "rnafm_size" && $2 == size {n++} $1 == "rnafm_embed_dim" && $2 == 32 {n++} $1 == "data_md5" && $2 == dmd5 {n++} $1 == "options" && $2 == "--arch targetfm --epochs 3 --batch 8 --lr 0.001 --weight-decay 0 --optimizer adam --class-weight 1,1 --seed 1 --val-split val --select loss --layout sites --rnafm rnafm_tiny_zip.pt" {n++} $1 == "seed" && $2 == 1 {n++} END {exit !(n == 9)}'
# the model scores tfm-seed fuzzy-mode rows with tfm-score and the same checkpoint; on the val rows its scores give the
# val loss that tfm-train recorded (the training input is the scoring input); another RNA-FM width is refused
0	-	-	tfm-seed -m 10-mer-m6 -p data/score/pairs.tsv data/seed/let7.fa data/score/utrs.fa | tfm-score --model $TFM_TMP/tfm_tr_fm1.safetensors --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt | awk -F'\t' 'NR == 1 {ok = $NF == "score"} NR > 1 && $6 != "none" {n++; if (!($NF > 0 && $NF < 1)) bad++} END {exit !(ok && n > 0 && bad == 0)}'
0	-	-	awk -F'\t' -v OFS='\t' 'NR == 1 {print $0, "site_type"; next} $6 == "val" {print $0, "site"}' data/train/tiny.tsv | tfm-score --model $TFM_TMP/tfm_tr_fm1.safetensors --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt | awk -F'\t' -v want="$(tfm-convert --meta $TFM_TMP/tfm_tr_fm1.safetensors | awk -F'\t' '$1 == "val_loss" {print $2}')" 'NR > 1 {n++; p = $8; l += $5 == 1 ? -log(p) : -log(1 - p)} END {d = l / n - want; exit !(n == 10 && want != "" && d * d < 1e-8)}'
1	-	RNA-FM embed_dim is 640 but the TargetFM1 head needs 32	tfm-seed -m 10-mer-m6 -p data/score/pairs.tsv data/seed/let7.fa data/score/utrs.fa | tfm-score --model $TFM_TMP/tfm_tr_fm1.safetensors --rnafm-det 1
# the bytes do not depend on the BLAS kernel, the thread count or the GEMM build: short retrains under every
# OpenBLAS kernel the CPU runs x -t 1, 2 and every GEMM build, compared byte for byte (tests/blas_kernels.sh, ~20 s)
0	-	--arch targetnet: the same bytes in	bash blas_kernels.sh train $TFM_DATA/miraw/train/sites.tsv.gz
# distillation (--teacher): two teachers, a student on their soft targets; the student records the
# teachers' options and tests/model_retrain.sh rebuilds teachers and student byte for byte;
# a teacher of another architecture or window mode is refused
0	-	-	tfm-train -q --arch deeptarget -e 2 --batch 8 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_t1.safetensors && tfm-train -q --arch deeptarget -e 2 --batch 8 --seed 2 --decoys 1 --balance mirna data/train/tiny.tsv -o $TFM_TMP/tfm_tr_t2.safetensors && tfm-train -q --arch deeptarget -e 2 --batch 8 --teacher $TFM_TMP/tfm_tr_t1.safetensors --teacher $TFM_TMP/tfm_tr_t2.safetensors --distill-alpha 0 data/train/tiny.tsv -o $TFM_TMP/tfm_tr_st.safetensors && tfm-convert --meta $TFM_TMP/tfm_tr_st.safetensors | grep -q '^teacher_2	tfm_tr_t2.safetensors: --arch deeptarget .* --seed 2 .*--decoys 1 --balance mirna$'
0	-	-	tfm-convert --meta $TFM_TMP/tfm_tr_st.safetensors | grep -q '^options	.* --teacher tfm_tr_t1.safetensors --teacher tfm_tr_t2.safetensors --distill-alpha 0$' && ! cmp -s $TFM_TMP/tfm_tr_st.safetensors $TFM_TMP/tfm_tr_t1.safetensors
0	-	weights reproduced	bash model_retrain.sh $TFM_TMP/tfm_tr_st.safetensors data/train/tiny.tsv 1
1	-	tfm_tr_t1.safetensors: architecture 'deepTarget', the student's is TargetNet	tfm-train -q --arch targetnet -e 1 --teacher $TFM_TMP/tfm_tr_t1.safetensors data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
1	-	tfm_tr_t1.safetensors: trained on no windows, the student on 10-mer-m7	tfm-train -q --arch deeptarget -e 1 --mode 10-mer-m7 --teacher $TFM_TMP/tfm_tr_t1.safetensors data/train/tiny.tsv -o $TFM_TMP/tfm_tr_x.safetensors
0	-	-	rm -f $TFM_TMP/tfm_tr_t1.safetensors $TFM_TMP/tfm_tr_t2.safetensors $TFM_TMP/tfm_tr_st.safetensors
