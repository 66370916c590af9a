# One vocabulary of options (README "Options of every tool"; format: see tests/run.sh).
# Every tool of tools/: -h/--help, -V/--version, -t/--threads, -o/--output, -q/--quiet,
# -v/--verbose with the same meaning, each in its usage and its man page
0	-	-	bash options_check.sh
# --model is the model, -m/--mode the site search mode
0	-	-	tfm-seed --mode canonical data/seed/let7.fa data/seed/utr1.fa | cmp - data/seed/let7_utr1_canonical.out
0	-	-	tfm-seed -m canonical data/seed/let7.fa data/seed/utr1.fa | tfm-score --model $TFM_DATA/models/deepTarget_weights.pt | awk 'END {exit !(NR == 5)}'
# old spellings that change meaning work for one release, with a deprecation warning
0	-	warning: -m FILE is deprecated and goes in the next release: use --model FILE	cmp <(tfm-score -m ../models/tfm-default.safetensors data/recipes/own_sites.tsv 2> /dev/null) <(tfm-score --model ../models/tfm-default.safetensors data/recipes/own_sites.tsv) && tfm-score -m ../models/tfm-default.safetensors data/recipes/own_sites.tsv > /dev/null
0	-	warning: -t FLOAT for the threshold is deprecated	cmp <(tfm-acc -t 0.8 acc/basic.tsv 2> /dev/null) acc/thr08.out && tfm-acc -t 0.8 acc/basic.tsv > /dev/null
0	acc/basic.out	-	tfm-acc -t 2 acc/basic.tsv
0	-	warning: -m is deprecated and goes in the next release: use --meta	cmp <(tfm-convert -m ../models/tfm-default.safetensors 2> /dev/null) <(tfm-convert --meta ../models/tfm-default.safetensors) && tfm-convert -m ../models/tfm-default.safetensors > /dev/null
0	data/aggregate/mean.out	warning: --by is deprecated and goes in the next release: use --method	tfm-aggregate --by mean data/aggregate/sites.tsv
0	data/aggregate/mean.out	warning: -b is deprecated	tfm-aggregate -b mean data/aggregate/sites.tsv
0	-	warning: -b is deprecated and goes in the next release: use --batch	d=$(mktemp -d); tfm-train -q -a deeptarget -e 1 -b 16 data/train/tiny.tsv -o $d/a.safetensors && tfm-train -q -a deeptarget -e 1 --batch 16 data/train/tiny.tsv -o $d/b.safetensors 2> /dev/null && cmp $d/a.safetensors $d/b.safetensors; r=$?; rm -rf $d; exit $r
0	-	warning: --site-mode is deprecated and goes in the next release: use --mode	d=$(mktemp -d); tfm-train -q -a deeptarget -e 1 --site-mode 10-mer-m6 data/train/tiny.tsv -o $d/a.safetensors && tfm-train -q -a deeptarget -e 1 -m 10-mer-m6 data/train/tiny.tsv -o $d/b.safetensors && cmp $d/a.safetensors $d/b.safetensors; r=$?; rm -rf $d; exit $r
# tfm-convert writes the model of -o as of a second argument
0	-	-	d=$(mktemp -d); tfm-convert $TFM_DATA/models/TargetNet.pt $d/a.safetensors && tfm-convert $TFM_DATA/models/TargetNet.pt -o $d/b.safetensors && cmp $d/a.safetensors $d/b.safetensors; r=$?; rm -rf $d; exit $r
# make install PREFIX=... (README): tools, man pages and the default model, which the installed tfm-score finds
0	-	-	d=$(mktemp -d); san=0; [ -e ../build/san/.stamp ] && san=1; (cd .. && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s install SANITIZE=$san PREFIX=$d/p DESTDIR=$d/root > /dev/null) && [ -x $d/root$d/p/bin/tfm-rank ] && [ -f $d/root$d/p/share/man/man1/tfm-bed.1 ] && [ -f $d/root$d/p/share/tfm/tfm-default.safetensors ] && $d/root$d/p/bin/tfm-rank --version | grep -q '^tfm-rank ' && env -u TFM_MODEL $d/root$d/p/bin/tfm-score data/recipes/own_sites.tsv | awk 'END {exit !(NR == 3)}'; r=$?; rm -rf $d; exit $r
# the README's first command, quick start and recipes, from a PATH without tfm
0	-	-	bash readme.sh
