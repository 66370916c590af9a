#!/usr/bin/env python3
"""val_genes.py: a gene-level validation set built from the val split of the training sites only,
for choices the miRAW gene-level test sets must not make (models/README.md).

    python3 models/val_genes.py TFM_DATA OUTDIR [NPANEL [site|pair]]

OUTDIR/valgene.tsv   site (default): one "gene" per val site: the 40-nt site (positive or
                     negative) placed at a random 40-nt boundary of a background; label = the
                     site's label. pair: one "gene" per (miRNA, gene) pair of the val split, all
                     of its val sites placed at distinct random 40-nt boundaries of one
                     background; label 1 if any site is positive (miRAW's pairs are never mixed:
                     positives have mostly one site, negatives up to ~30 candidate sites, as in
                     miRAW's gene-level negatives)
OUTDIR/valpanel.tsv  every miRNA of the train split x NPANEL [60] backgrounds alone (no label):
                     random pairs, for the identity-leakage figure and the share called above 0.5
A background has a length drawn from a log-normal (median 1,100 nt, clipped to 200-8,000; a
3'UTR-like spread chosen without looking at any test set) and is made of val sites of any
miRNA, each shuffled (its letters kept, its order lost), so it holds no real site. Fixed seed,
Python standard library only."""
import gzip, random, sys
D = sys.argv[1]; out = sys.argv[2]; npanel = int(sys.argv[3]) if len(sys.argv) > 3 else 60
unit = sys.argv[4] if len(sys.argv) > 4 else "site"
rng = random.Random(20261202)
rows = []
with gzip.open(f"{D}/miraw/train/sites.tsv.gz", "rt") as fh:
    next(fh)
    for line in fh:
        f = line.rstrip("\n").split("\t")
        rows.append(f)
val = [r for r in rows if r[5] == "val"]
train_mirs = {}
for r in rows:
    if r[5] == "train": train_mirs.setdefault(r[0], r[1])
def length():
    L = int(rng.lognormvariate(7.0, 0.9))
    return max(200, min(L, 8000))
def shuf(s):
    l = list(s); rng.shuffle(l); return "".join(l)
pool = [r[3] for r in val]
def background(L):
    parts, n = [], 0
    while n < L:
        s = shuf(rng.choice(pool)); parts.append(s); n += len(s)
    return "".join(parts)[:L]
with open(f"{out}/valgene.tsv", "w") as o:
    o.write("mirna_id\tmirna_seq\tmrna_id\tmrna_seq\tlabel\n")
    if unit == "site":
        for i, r in enumerate(val):
            bg = background(length())
            k = rng.randrange(0, len(bg) // 40 + 1) * 40
            seq = bg[:k] + r[3] + bg[k:]
            o.write(f"{r[0]}\t{r[1]}\tvg{i}\t{seq}\t{r[4]}\n")
    else:
        groups = {}
        for r in val: groups.setdefault((r[0], r[1], r[2]), []).append(r)
        for i, (key, rs) in enumerate(groups.items()):
            bg = background(length())
            slots = len(bg) // 40 + 1
            ks = sorted(rng.sample(range(max(slots, len(rs))), len(rs)), reverse=True)
            seq = bg
            for k, r in zip(ks, rs): seq = seq[:k * 40] + r[3] + seq[k * 40:]
            label = max(int(r[4]) for r in rs)
            o.write(f"{key[0]}\t{key[1]}\tvg{i}\t{seq}\t{label}\n")
mirs = sorted(train_mirs)
utrs = [background(length()) for _ in range(npanel)]
with open(f"{out}/valpanel.tsv", "w") as o:
    o.write("mirna_id\tmirna_seq\tmrna_id\tmrna_seq\n")
    for m in mirs:
        for j, u in enumerate(utrs):
            o.write(f"{m}\t{train_mirs[m]}\tvp{j}\t{u}\n")
