#!/usr/bin/env bash
# The fixed panel of the identity-leakage figure (models/README.md): every miRNA of a test set
# against the same N 3'UTRs of that set, drawn at random with a fixed seed, as an unlabelled
# pairs TSV for `tfm-seed --pairs` (columns mirna_id mirna_seq mrna_id mrna_seq).
#
#   bash models/panel.sh [TEST_SET [N [SEED [shuffled]]]] > panel.tsv
#       TEST_SET  a miRAW gene-level test file [$TFM_DATA/miraw/test/miRAW_Test0.txt.gz]
#       N         number of UTRs [100];  SEED  of the draw [1]
#       shuffled  each UTR's letters permuted: no real site is left, only its composition (the
#                 null of bg_win in models/controls.sh)
#   tfm-seed --pairs panel.tsv | tfm-score | tfm-aggregate |
#       tfm-acc --leakage --prior $TFM_DATA/miraw/train/sites.tsv.gz
#
# The draw: each distinct mrna_id, in order of first appearance, gets the next number of the
# MINSTD generator (x <- 48271 x mod 2^31-1, started at SEED); the N ids with the smallest
# numbers are taken, in that order. The arithmetic is exact in any awk (doubles), so the panel
# is the same everywhere. miRNAs: every distinct mirna_id, in order of first appearance.
# shuffled: the generator goes on from there, through the picked UTRs in order, each by
# Fisher-Yates from its last letter down (i = L .. 2: swap letter i with letter 1 + x mod i).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
set_file=${1:-$D/miraw/test/miRAW_Test0.txt.gz} n=${2:-100} seed=${3:-1} shuffled=${4:-}
case $n$seed in *[!0-9]*) echo "panel.sh: N and SEED must be non-negative integers" >&2; exit 2 ;; esac
case $shuffled in ""|shuffled) ;; *) echo "panel.sh: the fourth argument is 'shuffled' or nothing" >&2; exit 2 ;; esac
[ -r "$set_file" ] || { echo "panel.sh: cannot read '$set_file'" >&2; exit 1; }
gzip -dcf "$set_file" | awk -F'\t' -v n="$n" -v seed="$seed" -v shuffled="$shuffled" '
    NR == 1 {
        for (i = 1; i <= NF; i++) col[$i] = i
        if (!("mirna_id" in col) || !("mirna_seq" in col) || !("mrna_id" in col) || !("mrna_seq" in col)) {
            print "panel.sh: the test set needs mirna_id, mirna_seq, mrna_id and mrna_seq" > "/dev/stderr"; exit 1
        }
        x = seed % 2147483647; if (x == 0) x = 1
        next
    }
    {
        mi = $col["mirna_id"]; mr = $col["mrna_id"]
        if (!(mi in mseq)) { mseq[mi] = $col["mirna_seq"]; mirna[++nm] = mi }
        if (!(mr in useq)) { x = (48271 * x) % 2147483647; useq[mr] = $col["mrna_seq"]; key[mr] = x; utr[++nu] = mr }
    }
    END {
        if (nu == 0) exit 1
        # selection of the n smallest keys (ties cannot occur: MINSTD has period 2^31-2)
        for (k = 1; k <= n && k <= nu; k++) {
            best = 0
            for (j = 1; j <= nu; j++) if (!(utr[j] in taken) && (best == 0 || key[utr[j]] < key[utr[best]])) best = j
            taken[utr[best]] = 1; pick[k] = utr[best]
        }
        for (j = 1; shuffled && j < k; j++) {
            L = length(useq[pick[j]]); for (i = 1; i <= L; i++) c[i] = substr(useq[pick[j]], i, 1)
            for (i = L; i >= 2; i--) { x = (48271 * x) % 2147483647; r = 1 + x % i; t = c[i]; c[i] = c[r]; c[r] = t }
            s = ""; for (i = 1; i <= L; i++) s = s c[i]
            useq[pick[j]] = s
        }
        print "mirna_id\tmirna_seq\tmrna_id\tmrna_seq"
        for (i = 1; i <= nm; i++)
            for (j = 1; j < k; j++) print mirna[i] "\t" mseq[mirna[i]] "\t" pick[j] "\t" useq[pick[j]]
    }'
