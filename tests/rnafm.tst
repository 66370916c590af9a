# tfm-score with the TargetFM1 head and RNA-FM (format: see tests/run.sh)
# data/score/targetfm_e2e.tsv: the 5 pairs of specs/vectors/targetfm_e2e_vectors.json (site_seq = the CTS reversed back
# to 5'->3'; p_td1/p_td0 = p_target of the original pipeline, deterministic RNA-FM, token_dropout 1/0), a normalised
# copy of pair 4 (= pair 0) and a 'none' row. --compat targetfm reproduces the original within 1e-4 (2 threads, td 1);
# the default normalises T and lower case, so pair 4 then scores exactly as pair 0.
0	-	-	tfm-score -t 2 -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 --compat targetfm data/score/targetfm_e2e.tsv | awk -F'\t' 'NR == 1 {ok = $8 == "score"} NR > 1 && $6 != "." {n++; d = $8 - $6; if (d < 0) d = -d; if (d > 1e-4) bad++} $2 == "nosite" {none = $8 == ""} END {exit !(ok && none && n == 5 && bad == 0)}'
0	-	-	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 0 --compat targetfm data/score/targetfm_e2e.tsv | awk -F'\t' 'NR > 1 && $7 != "." {n++; d = $8 - $7; if (d < 0) d = -d; if (d > 1e-4) bad++} END {exit !(n == 5 && bad == 0)}'
0	-	-	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm-det 1 data/score/targetfm_e2e.tsv | awk -F'\t' '$2 == "pair0" {p0 = $8} $2 == "pair4" {p4 = $8} $2 == "pair4_normalised" {pn = $8} END {exit !(p0 != "" && p4 == p0 && pn == p0)}'
# the tiny fairseq checkpoints load but are 32-dimensional; a head file is no RNA-FM checkpoint; options
1	-	RNA-FM embed_dim is 32 but the TargetFM1 head needs 640	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_SPECS/vectors/rnafm_tiny_zip.pt data/score/targetfm_e2e.tsv
1	-	rnafm_tiny_legacy.pt: args.arch is 'roberta_small'	sed 's/roberta_large/roberta_small/' $TFM_SPECS/vectors/rnafm_tiny_legacy.pt > /tmp/tfm_rnafm_tiny_legacy.pt && tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm /tmp/tfm_rnafm_tiny_legacy.pt data/score/targetfm_e2e.tsv
1	-	no fairseq 'args' (not an RNA-FM checkpoint)	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm $TFM_DATA/models/TargetFM1_head_weights.pt data/score/targetfm_e2e.tsv
1	-	give the RNA-FM checkpoint with --rnafm FILE	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt data/score/targetfm_e2e.tsv
2	-	unknown value 'foo'	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --compat foo data/score/targetfm_e2e.tsv
2	-	exclude each other	tfm-score -m $TFM_DATA/models/TargetFM1_head_weights.pt --rnafm x.pt --rnafm-det 1 data/score/targetfm_e2e.tsv
