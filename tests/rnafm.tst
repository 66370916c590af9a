# tfm-score with the TargetFM1 head and RNA-FM (format: see tests/run.sh)
# data/score/targetfm_e2e.tsv: the 5 pairs of specs/vectors/targetfm_e2e_vectors.json (site_seq = the CTS reversed back
# to 5'->3'; p_td1/p_td0 = p_target of the original pipeline, deterministic RNA-FM, token_dropout 1/0), a normalised
# copy of pair 4 (= pair 0) and a 'none' row. --compat targetfm reproduces the original within 1e-4 (2 threads, td 1);
# the default normalises T and lower case, so pair 4 then scores as pair 0 (within 1e-5: the rows sit at other
# positions of the RNA-FM batch, and OpenBLAS rounds a GEMM row by its position). Pair 3's miRNA is cut to the 30 nt
# TargetFM reads of the vectors' 37 (same tokens, same p): every tool refuses a miRNA outside 15-30 nt (lib/seqcheck.h)
0	-	-	tfm-score -t 2 --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 --compat targetfm data/score/targetfm_e2e.tsv | awk -F'\t' 'NR == 1 {ok = $8 == "score"} NR > 1 && $6 != "." {n++; d = $8 - $6; if (d < 0) d = -d; if (d > 1e-4) bad++} $2 == "nosite" {none = $8 == ""} END {exit !(ok && none && n == 5 && bad == 0)}'
0	-	-	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 0 --compat targetfm data/score/targetfm_e2e.tsv | awk -F'\t' 'NR > 1 && $7 != "." {n++; d = $8 - $7; if (d < 0) d = -d; if (d > 1e-4) bad++} END {exit !(n == 5 && bad == 0)}'
0	-	-	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 data/score/targetfm_e2e.tsv | awk -F'\t' 'function d(a, b) {return a > b ? a - b : b - a} $2 == "pair0" {p0 = $8} $2 == "pair4" {p4 = $8} $2 == "pair4_normalised" {pn = $8} END {exit !(p0 != "" && d(p4, p0) < 1e-5 && d(pn, p0) < 1e-5)}'
# the tiny fairseq checkpoints load but are 32-dimensional; a head file is no RNA-FM checkpoint; options
1	-	RNA-FM embed_dim is 32 but the TargetFM1 head needs 640	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt data/score/targetfm_e2e.tsv
1	-	rnafm_tiny_legacy.pt: args.arch is 'roberta_small'	sed 's/roberta_large/roberta_small/' $TFM_SPECS/vectors/rnafm_tiny_legacy.pt > $TFM_TMP/tfm_rnafm_tiny_legacy.pt && tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_TMP/tfm_rnafm_tiny_legacy.pt data/score/targetfm_e2e.tsv
1	-	no fairseq 'args' (not an RNA-FM checkpoint)	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_DATA/models/TargetFM1_head_weights.pt data/score/targetfm_e2e.tsv
1	-	give the RNA-FM checkpoint with --rnafm FILE (RNA-FM_pretrained.pth of ml4bio/RNA-FM, not shipped with tfm)	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt data/score/targetfm_e2e.tsv
# a --rnafm file that does not exist: the message names it and says what it should be (tfm-encode alike)
1	-	tfm_no_such_RNA-FM.pth': No such file or directory (expected the RNA-FM checkpoint: RNA-FM_pretrained.pth of ml4bio/RNA-FM	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_TMP/tfm_no_such_RNA-FM.pth data/score/targetfm_e2e.tsv
1	-	tfm_no_such_RNA-FM.pth': No such file or directory (expected the RNA-FM checkpoint	tfm-encode -s rnafm --rnafm $TFM_TMP/tfm_no_such_RNA-FM.pth --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
# -t 1 and -t 2 write the same bytes; -v adds a summary on stderr only
0	-	-	tfm-score -t 1 --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 data/score/targetfm_e2e.tsv > $TFM_TMP/tfm_rnafm_t1.tsv && tfm-score -v -t 2 --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 data/score/targetfm_e2e.tsv 2> $TFM_TMP/tfm_rnafm_t2.err | cmp - $TFM_TMP/tfm_rnafm_t1.tsv && grep -q '^tfm-score: 7 rows, 6 sites, 4 miRNA rows embedded, .*peak RSS' $TFM_TMP/tfm_rnafm_t2.err
2	-	unknown value 'foo'	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --compat foo data/score/targetfm_e2e.tsv
2	-	exclude each other	tfm-score --model $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm x.pt --rnafm-det 1 data/score/targetfm_e2e.tsv
# tfm-encode --scheme rnafm: data/score/rnafm_encode.tsv has 3 sites of 2 miRNAs and a 'none' row; p0's site reversed
# is in3_targetfm_cts of rnafm_det_vectors.json and m0's miRNA in2_targetfm_mirna (rep12 token 0, first 4 floats).
# The .npy header is checked byte by byte (no python3 needed): 128 bytes, then (3, 30, 640) float32.
0	-	-	tfm-encode -s rnafm --rnafm-det 1 --npy $TFM_TMP/tfm_rnafm_enc_s.npy --npy-mirna $TFM_TMP/tfm_rnafm_enc_m.npy data/score/rnafm_encode.tsv | awk -F'\t' 'NR == 1 {ok = $6 == "rnafm_row" && $7 == "rnafm_mirna_row"} NR > 1 {r = r $6 $7 ","} END {exit !(ok && r == "00,..,11,20,")}'
0	-	-	test "$(head -c 128 $TFM_TMP/tfm_rnafm_enc_s.npy | od -An -c | tr -d ' \n')" = "$(printf '\223NUMPY\001\000v\000{'"'"'descr'"'"': '"'"'<f4'"'"', '"'"'fortran_order'"'"': False, '"'"'shape'"'"': (3, 30, 640), }%57s\n' '' | od -An -c | tr -d ' \n')" && test $(wc -c < $TFM_TMP/tfm_rnafm_enc_s.npy) = $((128 + 3 * 30 * 640 * 4)) && test $(wc -c < $TFM_TMP/tfm_rnafm_enc_m.npy) = $((128 + 2 * 30 * 640 * 4)) && head -c 128 $TFM_TMP/tfm_rnafm_enc_m.npy | grep -qF "'shape': (2, 30, 640), }"
0	-	-	od -An -v -t f4 -j 128 -N 16 $TFM_TMP/tfm_rnafm_enc_s.npy | awk '{split("0.581387162 -0.332466185 1.0243876 0.0220040213", w, " "); for (i = 1; i <= 4; i++) {d = $i - w[i]; if (d < 0) d = -d; if (d > 1e-4) bad++}} END {exit !(NR == 1 && bad == 0)}'
0	-	-	od -An -v -t f4 -j 128 -N 16 $TFM_TMP/tfm_rnafm_enc_m.npy | awk '{split("1.52286315 0.628299654 0.516028583 -0.123523161", w, " "); for (i = 1; i <= 4; i++) {d = $i - w[i]; if (d < 0) d = -d; if (d > 1e-4) bad++}} END {exit !(NR == 1 && bad == 0)}'
# rows 1 and 2 have the same site (the same embedding within 1e-4: GEMM blocking differs by batch position)
0	-	-	paste <(tail -c +$((128 + 76800 + 1)) $TFM_TMP/tfm_rnafm_enc_s.npy | head -c 76800 | od -An -v -t f4 | tr -s ' ' '\n' | grep .) <(tail -c 76800 $TFM_TMP/tfm_rnafm_enc_s.npy | od -An -v -t f4 | tr -s ' ' '\n' | grep .) | awk '{d = $1 - $2; if (d < 0) d = -d; if (d > 1e-4) bad++} END {exit !(NR == 19200 && bad == 0)}'
# token_dropout 0 from stdin, 2 threads; --layer 0 differs from layer 12; --compat targetfm keeps upper-case RNA as is
0	-	-	tfm-encode -s rnafm --rnafm-det 0 -t 2 --npy $TFM_TMP/tfm_rnafm_enc_s0.npy < data/score/rnafm_encode.tsv | cut -f6 | paste -sd, | grep -qx 'rnafm_row,0,.,1,2' && od -An -v -t f4 -j 128 -N 16 $TFM_TMP/tfm_rnafm_enc_s0.npy | awk '{split("0.631244659 -0.365467578 1.0916127 -0.00806030817", w, " "); for (i = 1; i <= 4; i++) {d = $i - w[i]; if (d < 0) d = -d; if (d > 1e-4) bad++}} END {exit !(NR == 1 && bad == 0)}'
0	-	-	tfm-encode -s rnafm --rnafm-det 1 --layer 0 --npy $TFM_TMP/tfm_rnafm_enc_l0.npy data/score/rnafm_encode.tsv > /dev/null && ! cmp -s $TFM_TMP/tfm_rnafm_enc_l0.npy $TFM_TMP/tfm_rnafm_enc_s.npy && tfm-encode -s rnafm --rnafm-det 1 --compat targetfm --npy $TFM_TMP/tfm_rnafm_enc_c.npy data/score/rnafm_encode.tsv > /dev/null && cmp $TFM_TMP/tfm_rnafm_enc_c.npy $TFM_TMP/tfm_rnafm_enc_s.npy
# the tiny checkpoint: embed_dim 32 in the shape; errors
0	-	-	tfm-encode -s rnafm --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt --npy $TFM_TMP/tfm_rnafm_enc_t.npy data/score/rnafm_encode.tsv > /dev/null && head -c 128 $TFM_TMP/tfm_rnafm_enc_t.npy | grep -qF "'shape': (3, 30, 32), }"
1	-	--layer 13: the model has 12 layers	tfm-encode -s rnafm --rnafm-det 1 --layer 13 --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
1	-	missing column 'site_seq'	cut -f1-4 data/score/rnafm_encode.tsv | tfm-encode -s rnafm --rnafm-det 1 --npy $TFM_TMP/tfm_rnafm_enc_x.npy
2	-	needs --npy FILE	tfm-encode -s rnafm --rnafm-det 1 data/score/rnafm_encode.tsv
2	-	needs --rnafm FILE or --rnafm-det	tfm-encode -s rnafm --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
2	-	exclude each other	tfm-encode -s rnafm --rnafm x.pt --rnafm-det 1 --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
2	-	need --scheme rnafm	tfm-encode -s deeptarget --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
# tfm-convert: an RNA-FM checkpoint (fairseq args) -> safetensors (architecture rnafm and its dimensions), which --rnafm
# loads: through tfm-encode the .pt and its f32 safetensors (zip and legacy tiny files) give identical bytes; f16 within
# half precision (a re-conversion, source = its input file)
0	-	-	tfm-convert $TFM_SPECS/vectors/rnafm_tiny_zip.pt $TFM_TMP/tfm_rnafm_cv.safetensors && tfm-convert --meta $TFM_TMP/tfm_rnafm_cv.safetensors | tr '\t' = | paste -sd, | grep -qx 'key=value,architecture=rnafm,encoding=rnafm-tokens,source=rnafm_tiny_zip.pt,layers=2,embed_dim=32,attention_heads=4,ffn_embed_dim=64,max_positions=64,token_dropout=1'
0	-	-	tfm-convert $TFM_SPECS/vectors/rnafm_tiny_legacy.pt $TFM_TMP/tfm_rnafm_cvl.safetensors && for f in $TFM_SPECS/vectors/rnafm_tiny_zip.pt $TFM_TMP/tfm_rnafm_cv.safetensors $TFM_TMP/tfm_rnafm_cvl.safetensors; do tfm-encode -s rnafm --rnafm $f --npy-mirna $TFM_TMP/tfm_rnafm_cvm.npy --npy $TFM_TMP/tfm_rnafm_cv.npy data/score/rnafm_encode.tsv > /dev/null && cat $TFM_TMP/tfm_rnafm_cv.npy $TFM_TMP/tfm_rnafm_cvm.npy | md5sum; done | uniq | wc -l | grep -qx 1
0	-	-	tfm-convert -d f16 $TFM_TMP/tfm_rnafm_cv.safetensors $TFM_TMP/tfm_rnafm_cv16.safetensors && tfm-convert --meta $TFM_TMP/tfm_rnafm_cv16.safetensors | tr '\t' = | grep -qx 'source=tfm_rnafm_cv.safetensors' && head -c 400 $TFM_TMP/tfm_rnafm_cv16.safetensors | grep -qF '"dtype":"F16"' && tfm-encode -s rnafm --rnafm $TFM_TMP/tfm_rnafm_cv16.safetensors --npy $TFM_TMP/tfm_rnafm_cv16.npy data/score/rnafm_encode.tsv > /dev/null && tfm-encode -s rnafm --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt --npy $TFM_TMP/tfm_rnafm_cv.npy data/score/rnafm_encode.tsv > /dev/null && paste <(tail -c +129 $TFM_TMP/tfm_rnafm_cv.npy | od -An -v -t f4 | tr -s ' ' '\n' | grep .) <(tail -c +129 $TFM_TMP/tfm_rnafm_cv16.npy | od -An -v -t f4 | tr -s ' ' '\n' | grep .) | awk '{d = $1 - $2; if (d < 0) d = -d; if (d > 0.02) bad++; if (d > 0) diff++} END {exit !(NR == 2880 && bad == 0 && diff > 0)}'
1	-	tfm_rnafm_cvt.safetensors: metadata architecture is 'targetnet', expected 'rnafm'	tfm-convert $TFM_DATA/models/TargetNet.pt $TFM_TMP/tfm_rnafm_cvt.safetensors && tfm-encode -s rnafm --rnafm $TFM_TMP/tfm_rnafm_cvt.safetensors --npy $TFM_TMP/tfm_rnafm_enc_x.npy data/score/rnafm_encode.tsv
1	-	an RNA-FM checkpoint (fairseq args), not --arch targetnet	tfm-convert -a targetnet $TFM_SPECS/vectors/rnafm_tiny_zip.pt $TFM_TMP/tfm_rnafm_cvx.safetensors
1	-	rnafm_tiny_legacy.pt: args.arch is 'roberta_small'	sed 's/roberta_large/roberta_small/' $TFM_SPECS/vectors/rnafm_tiny_legacy.pt > $TFM_TMP/tfm_rnafm_tiny_legacy.pt && tfm-convert $TFM_TMP/tfm_rnafm_tiny_legacy.pt $TFM_TMP/tfm_rnafm_cvx.safetensors
2	-	--dtype: unknown type 'f64'	tfm-convert -d f64 $TFM_SPECS/vectors/rnafm_tiny_zip.pt $TFM_TMP/tfm_rnafm_cvx.safetensors
# --dtype f16 applies to the other models too
0	-	-	tfm-convert -d f16 $TFM_DATA/models/TargetNet.pt $TFM_TMP/tfm_rnafm_tn16.safetensors && head -c 300 $TFM_TMP/tfm_rnafm_tn16.safetensors | grep -qF '"dtype":"F16"'
# RNA-FM keeps OpenBLAS's sgemm, so its outputs follow the kernel's summation order: across kernels the representations
# agree within 1e-4 and TargetFM1's probabilities within 2e-5, not bit for bit (tests/blas_kernels.sh). The byte
# comparisons above (-t 1 vs 2, .pt vs safetensors, --compat) run both sides under the same kernel.
0	-	TargetFM1 probabilities within	TFM_DATA=$TFM_DATA bash blas_kernels.sh rnafm
