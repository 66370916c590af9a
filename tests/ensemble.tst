# Ensembles (lib/ensemble.h): tfm-train --member records other networks beside a model, tfm-score combines them.
# Three tiny networks of data/train/tiny.tsv (seeds 1-3); the model (seed 1) records the others and --cascade 0.65
# (its scores on the example windows lie around 0.65: some windows above, some below).
0	-	-	for k in 2 3; do tfm-train -q --arch deeptarget --mode 10-mer-m7 -e 2 --batch 8 --seed $k data/train/tiny.tsv -o $TFM_TMP/tfm_en_m$k.safetensors || exit 1; done && tfm-train -q --arch deeptarget --mode 10-mer-m7 -e 2 --batch 8 --seed 1 --member $TFM_TMP/tfm_en_m2.safetensors --member $TFM_TMP/tfm_en_m3.safetensors --cascade 0.65 data/train/tiny.tsv -o $TFM_TMP/tfm_en.safetensors && tfm-train -q --arch deeptarget --mode 10-mer-m7 -e 2 --batch 8 --seed 1 data/train/tiny.tsv -o $TFM_TMP/tfm_en_single.safetensors && tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz > $TFM_TMP/tfm_en_rows.tsv
# metadata: member_N = "NAME: OPTIONS", member_N_md5 = the MD5 of the member's tensor bytes (weights() of
# model_retrain.sh), cascade; the options record --member NAME and --cascade; the model's own weights are those of the
# same training without --member
0	-	-	w() { n=$(od -An -tu8 -N8 "$1" | tr -d ' '); tail -c +$((9 + n)) "$1" | md5sum | cut -d' ' -f1; }; m=$(tfm-convert --meta $TFM_TMP/tfm_en.safetensors) && grep -q '^member_2	tfm_en_m3.safetensors: --arch deeptarget .* --seed 3 .*--mode 10-mer-m7$' <<< "$m" && grep -qx "member_1_md5	$(w $TFM_TMP/tfm_en_m2.safetensors)" <<< "$m" && grep -qx "member_2_md5	$(w $TFM_TMP/tfm_en_m3.safetensors)" <<< "$m" && grep -qx 'cascade	0.65' <<< "$m" && grep -q '^options	.* --member tfm_en_m2.safetensors --member tfm_en_m3.safetensors --cascade 0.65$' <<< "$m" && [ "$(w $TFM_TMP/tfm_en.safetensors)" = "$(w $TFM_TMP/tfm_en_single.safetensors)" ]
# a window the model gives p >= 0.65 scores sigmoid(mean of logit(clip(p_k, 1e-7, 1 - 1e-7))) of the three networks'
# own scores (--ensemble off on each file; recomputed from their 6-digit output: within 2e-6); any other window keeps
# the model's score exactly; both kinds occur. Integer path (the default for these models), then float.
0	-	-	for prec in int8 float; do sc() { tfm-score --precision $prec "$@" $TFM_TMP/tfm_en_rows.tsv | awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "score") c = i; next} {print $c}'; }; paste <(sc --ensemble off --model $TFM_TMP/tfm_en.safetensors) <(sc --ensemble off --model $TFM_TMP/tfm_en_m2.safetensors) <(sc --ensemble off --model $TFM_TMP/tfm_en_m3.safetensors) <(sc --model $TFM_TMP/tfm_en.safetensors) | awk -F'\t' -v tau=0.65 'function lg(q) {q = q < 1e-7 ? 1e-7 : (q > 1 - 1e-7 ? 1 - 1e-7 : q); return log(q / (1 - q))} $1 == "" {next} {k = NF - 1; if ($1 + 0 >= tau) {s = 0; for (j = 1; j <= k; j++) s += lg($j); d = $NF - 1 / (1 + exp(-s / k)); if (d < 0) d = -d; if (d > 2e-6) bad++; above++} else {if ($NF != $1) bad++; below++}} END {print above + 0 " windows combined, " below + 0 " kept, " bad + 0 " wrong"; exit !(above >= 20 && below >= 20 && bad == 0)}' || exit 1; done
# --ensemble off is the model's network alone: the output of the same model trained without members
0	-	-	cmp <(tfm-score --ensemble off --model $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_en_single.safetensors $TFM_TMP/tfm_en_rows.tsv) && ! cmp -s <(tfm-score --model $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_en_single.safetensors $TFM_TMP/tfm_en_rows.tsv)
# the same bytes for any --threads, integer and float path
0	-	-	for prec in int8 float; do tfm-score --precision $prec -t 1 --model $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv > $TFM_TMP/tfm_en_t1.tsv && for t in 2 4; do tfm-score --precision $prec -t $t --model $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv | cmp - $TFM_TMP/tfm_en_t1.tsv || exit 1; done; done
# tfm's default model is an ensemble of 4 (models/README.md): -v says how many windows the members scored; its
# scores are the same bytes for any --threads on both paths
0	-	-	tfm-seed -p ../examples/pairs.tsv ../examples/mirnas.fa ../examples/utrs.fa.gz | tfm-score -v 2>&1 >/dev/null | grep -q '^tfm-score: ensemble of 4 networks: members 2-4 scored [1-9][0-9]* windows'
0	-	-	for prec in int8 float; do tfm-score --precision $prec -t 1 $TFM_TMP/tfm_en_rows.tsv > $TFM_TMP/tfm_en_d1.tsv && for t in 2 4; do tfm-score --precision $prec -t $t $TFM_TMP/tfm_en_rows.tsv | cmp - $TFM_TMP/tfm_en_d1.tsv || exit 1; done; done
# errors: a member file missing or changed (another network under its name), each named; --ensemble off still scores
0	-	-	mkdir -p $TFM_TMP/tfm_en_dir && cp $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_m2.safetensors $TFM_TMP/tfm_en_dir/ && cp $TFM_TMP/tfm_en_m2.safetensors $TFM_TMP/tfm_en_dir/tfm_en_m3.safetensors
1	-	tfm_en_dir/tfm_en_m3.safetensors: member 3 of	tfm-score --model $TFM_TMP/tfm_en_dir/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv 2>&1 >/dev/null | grep 'has changed: its weights have MD5' >&2 && exit 1
1	-	tfm_en_dir/tfm_en_m3.safetensors: No such file or directory (tfm-score --ensemble off	rm $TFM_TMP/tfm_en_dir/tfm_en_m3.safetensors && tfm-score --model $TFM_TMP/tfm_en_dir/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv
0	-	-	cmp <(tfm-score --ensemble off --model $TFM_TMP/tfm_en_dir/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_en_single.safetensors $TFM_TMP/tfm_en_rows.tsv)
# a model reached through a symbolic link finds its members beside the file linked to (a workflow's staged input)
0	-	-	ln -sf $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_dir/link.safetensors && cmp <(tfm-score --model $TFM_TMP/tfm_en_dir/link.safetensors $TFM_TMP/tfm_en_rows.tsv) <(tfm-score --model $TFM_TMP/tfm_en.safetensors $TFM_TMP/tfm_en_rows.tsv)
# tfm-train refuses a member of another window mode or architecture, one with members, and --cascade alone
1	-	tfm_en_m2.safetensors: trained on 10-mer-m7 windows, the model on 10-mer-m6	tfm-train -q --arch deeptarget --mode 10-mer-m6 -e 1 --member $TFM_TMP/tfm_en_m2.safetensors data/train/tiny.tsv -o $TFM_TMP/tfm_en_x.safetensors
1	-	tfm_en_m2.safetensors: architecture 'deepTarget', the model's is TargetNet	tfm-train -q --arch targetnet -e 1 --member $TFM_TMP/tfm_en_m2.safetensors data/train/tiny.tsv -o $TFM_TMP/tfm_en_x.safetensors
1	-	tfm_en.safetensors: it has members of its own	tfm-train -q --arch deeptarget --mode 10-mer-m7 -e 1 --member $TFM_TMP/tfm_en.safetensors data/train/tiny.tsv -o $TFM_TMP/tfm_en_x.safetensors
2	-	--cascade needs --member	tfm-train -q --arch deeptarget --mode 10-mer-m7 -e 1 --cascade 0.5 data/train/tiny.tsv -o $TFM_TMP/tfm_en_x.safetensors
2	-	--ensemble: unknown value 'on'	tfm-score --ensemble on $TFM_TMP/tfm_en_rows.tsv
# tests/model_retrain.sh retrains the members too and checks each against the MD5 the model records
0	-	and those of its 2 members	bash model_retrain.sh $TFM_TMP/tfm_en.safetensors data/train/tiny.tsv
