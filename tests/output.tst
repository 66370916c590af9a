# -o PATH of every tool (lib/cli.c tfm_out_open, util tfm_write_mode; format: see tests/run.sh).
# A new path or a regular file is written to PATH.tmp.PID and renamed into place; anything else
# that exists is written in place and never replaced: a FIFO's reader gets the rows, a symbolic
# link (here to /dev/stdout) stays a link; a directory is refused before any work.
0	-	-	d=$(mktemp -d); mkfifo $d/f; timeout 10 cat $d/f > $d/got & tfm-aggregate --method max data/aggregate/sites.tsv -o $d/f; wait; cmp $d/got data/aggregate/max.out && [ -p $d/f ]; r=$?; rm -rf $d; exit $r
0	-	-	d=$(mktemp -d); mkfifo $d/f; timeout 10 cat $d/f > $d/got & tfm-seed -o $d/f data/seed/let7.fa data/seed/utr1.fa; wait; tfm-seed data/seed/let7.fa data/seed/utr1.fa | cmp - $d/got && [ -p $d/f ]; r=$?; rm -rf $d; exit $r
0	-	-	d=$(mktemp -d); ln -s /dev/stdout $d/o; tfm-aggregate --method max data/aggregate/sites.tsv -o $d/o | cmp - data/aggregate/max.out && [ -L $d/o ]; r=$?; rm -rf $d; exit $r
0	-	-	d=$(mktemp -d); echo old > $d/real; ln -s real $d/o; tfm-aggregate --method max data/aggregate/sites.tsv -o $d/o && [ -L $d/o ] && cmp $d/real data/aggregate/max.out; r=$?; rm -rf $d; exit $r
# a regular file is replaced only by a complete run: a failed run leaves the old file and no temporary
0	-	-	d=$(mktemp -d); echo old > $d/o; tfm-aggregate data/aggregate/bad_prior.tsv -o $d/o 2> /dev/null; [ $? = 1 ] && [ "$(cat $d/o)" = old ] && [ "$(ls $d)" = o ]; r=$?; rm -rf $d; exit $r
1	-	it is a directory	d=$(mktemp -d); tfm-aggregate data/aggregate/sites.tsv -o $d; r=$?; rm -rf $d; exit $r
# tfm-train names the reason, before training
1	-	tfm_out_dir.d': it is a directory	mkdir -p $TFM_TMP/tfm_out_dir.d; tfm-train --arch deeptarget -e 1 -q data/train/tiny.tsv -o $TFM_TMP/tfm_out_dir.d; r=$?; rmdir $TFM_TMP/tfm_out_dir.d; exit $r
