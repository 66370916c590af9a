# tfm-convert: usage, the three published checkpoints, unknown layouts, hostile input.
# EXIT	EXPECTED-STDOUT	STDERR-SUBSTRING	COMMAND
0	-	-	tfm-convert --help | grep -q -- '--arch NAME'
0	-	-	tfm-convert -h | grep -q '^Usage: tfm-convert'
0	-	-	tfm-convert --version | grep -q '^tfm-convert '
2	-	expected IN.pt and OUT.safetensors	tfm-convert
2	-	expected IN.pt and OUT.safetensors	tfm-convert only-one.pt
2	-	unknown architecture 'bogus'	tfm-convert --arch bogus a.pt b.safetensors
2	-	Try 'tfm-convert --help'	tfm-convert --bogus
2	-	exclude each other	tfm-convert --list --meta x
1	-	cannot open '/nonexistent.pt'	tfm-convert /nonexistent.pt /tmp/never.safetensors
0	expected/convert_targetnet.tsv	-	d=$(mktemp -d) && tfm-convert "$TFM_DATA/models/TargetNet.pt" "$d/o.safetensors" && tfm-convert --meta "$d/o.safetensors" && tfm-convert --list "$d/o.safetensors"; rc=$?; rm -rf "$d"; exit $rc
0	expected/convert_deeptarget.tsv	-	d=$(mktemp -d) && tfm-convert "$TFM_DATA/models/deepTarget_weights.pt" "$d/o.safetensors" && tfm-convert --meta "$d/o.safetensors" && tfm-convert --list "$d/o.safetensors"; rc=$?; rm -rf "$d"; exit $rc
0	expected/convert_targetfm1.tsv	-	d=$(mktemp -d) && tfm-convert "$TFM_DATA/models/TargetFM1_head_weights.pt" "$d/o.safetensors" && tfm-convert --meta "$d/o.safetensors" && tfm-convert --list "$d/o.safetensors"; rc=$?; rm -rf "$d"; exit $rc
0	-	-	d=$(mktemp -d) && tfm-convert -a targetnet "$TFM_DATA/models/TargetNet.pt" "$d/o.safetensors" && tfm-convert "$d/o.safetensors" "$d/p.safetensors" && diff <(tfm-convert --list "$d/o.safetensors") <(tfm-convert --list "$d/p.safetensors") && tfm-convert --meta "$d/p.safetensors" | grep -q "^source	o.safetensors\$"; rc=$?; rm -rf "$d"; exit $rc
1	-	the tensors are a targetnet checkpoint, not --arch deeptarget	tfm-convert --arch deeptarget "$TFM_DATA/models/TargetNet.pt" /tmp/never.safetensors
1	-	an RNA-FM checkpoint (fairseq args), not --arch targetfm1	d=$(mktemp -d); tfm-convert --arch targetfm1 "$TFM_SPECS/vectors/rnafm_tiny_legacy.pt" "$d/o.safetensors"; rc=$?; [ -e "$d/o.safetensors" ] && rc=99; rm -rf "$d"; exit $rc
0	expected/meta_rnafm_tiny.tsv	-	tfm-convert --meta "$TFM_SPECS/vectors/rnafm_tiny_zip.pt"
1	-	cannot create	tfm-convert "$TFM_DATA/models/TargetNet.pt" /nonexistent/dir/o.safetensors
0	expected/list_sample.tsv	-	tfm-convert --list fuzz/corpus/ckpt/sample_legacy.pt
0	expected/list_sample.tsv	-	tfm-convert --list fuzz/corpus/ckpt/sample_zip.pt
0	expected/meta_fairseq.tsv	-	tfm-convert --meta fuzz/corpus/ckpt/fairseq_legacy.pt
1	-	fuzz/corpus/ckpt/bad_00: offset 42: GLOBAL 'os system' is not allowed	tfm-convert fuzz/corpus/ckpt/bad_00 /tmp/never.safetensors
1	-	offset 0: empty file	f=$(mktemp); tfm-convert "$f" /tmp/never.safetensors; rc=$?; rm -f "$f"; exit $rc
1	-	not a regular file	tfm-convert /dev/null /tmp/never.safetensors
1	-	unexpected bytes after the last storage	f=$(mktemp); cat fuzz/corpus/ckpt/sample_legacy.pt > "$f"; printf x >> "$f"; tfm-convert --list "$f"; rc=$?; rm -f "$f"; exit $rc
1	-	out of range for a file of 700 bytes	f=$(mktemp); head -c 700 "$TFM_DATA/models/TargetNet.pt" > "$f"; tfm-convert --list "$f"; rc=$?; rm -f "$f"; exit $rc
