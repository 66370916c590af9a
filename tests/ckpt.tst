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
# non-finite weights are refused at load, naming tool, file, offset, tensor and element (issue 12): a NaN in the
# default model's first weight (embd1.weight) and in its last layer (fc2.weight, which made every score nan)
0	-	-	d=$(mktemp -d); m=$d/m.safetensors; cp ../models/tfm-default.safetensors $m; at=$((8 + $(od -An -tu8 -N8 $m))); printf '\000\000\300\177' | dd of=$m bs=1 seek=$at conv=notrunc 2>/dev/null; tfm-score -m $m data/seed/let7_utr1_canonical.out > $d/out 2> $d/err; r=$?; cat $d/err >&2; grep -qxF "tfm-score: $m: offset $at: tensor 'embd1.weight': element 0 is NaN (a checkpoint must hold finite numbers)" $d/err && [ $r = 1 ] && [ ! -s $d/out ]; r=$?; rm -rf $d; exit $r
0	-	-	d=$(mktemp -d); m=$d/m.safetensors; cp ../models/tfm-default.safetensors $m; b=$(grep -ao '"fc2.weight":{[^}]*}' $m | sed 's/.*data_offsets":\[\([0-9]*\),.*/\1/'); at=$((8 + $(od -An -tu8 -N8 $m) + b + 4 * 31)); printf '\000\000\200\377' | dd of=$m bs=1 seek=$at conv=notrunc 2>/dev/null; tfm-score -m $m data/seed/let7_utr1_canonical.out > $d/out 2> $d/err; r=$?; cat $d/err >&2; grep -qxF "tfm-score: $m: offset $at: tensor 'fc2.weight': element 31 is -inf (a checkpoint must hold finite numbers)" $d/err && [ $r = 1 ] && [ ! -s $d/out ]; r=$?; rm -rf $d; exit $r
# the same for a legacy .pt (TargetNet's last float); a zip entry whose CRC-32 no longer matches: the last byte of
# the last entry (before its 16-byte data descriptor and the central directory), a byte of a storage
0	-	-	d=$(mktemp -d); m=$d/t.pt; cp "$TFM_DATA/models/TargetNet.pt" $m; at=$(($(stat -c %s $m) - 4)); printf '\000\000\300\177' | dd of=$m bs=1 seek=$at conv=notrunc 2>/dev/null; tfm-convert $m $d/o.safetensors 2> $d/err; r=$?; cat $d/err >&2; grep -q "^tfm-convert: $m: offset $at: tensor '[a-z0-9_.]*': element [0-9]* is NaN" $d/err && [ $r = 1 ] && [ ! -e $d/o.safetensors ]; r=$?; rm -rf $d; exit $r
1	-	: CRC-32	d=$(mktemp -d); m=$d/t.pt; cp "$TFM_DATA/models/TargetFM1_head_weights.pt" $m; s=$(stat -c %s $m); at=$(($(od -An -tu4 -j $((s - 6)) -N4 $m) - 17)); printf x | dd of=$m bs=1 seek=$at conv=notrunc 2>/dev/null; tfm-convert --list $m; r=$?; rm -rf $d; exit $r
1	-	tfm-convert: fuzz/corpus/ckpt/sample_zip.pt: offset	f=$(mktemp); cp fuzz/corpus/ckpt/sample_zip.pt $f; printf '\001' | dd of=$f bs=1 seek=300 conv=notrunc 2>/dev/null; tfm-convert --list $f 2>&1 >/dev/null | sed "s|$f|fuzz/corpus/ckpt/sample_zip.pt|" | grep CRC-32 >&2; r=${PIPESTATUS[0]}; rm -f $f; exit $r
