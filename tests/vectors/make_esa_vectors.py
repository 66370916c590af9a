#!/usr/bin/python3
"""Reference vectors for lib/esa.c: Biopython's pairwise2 on TargetNet's extended seed alignment.

Run locally (Debian python3-biopython), not in CI:
    TFM_DATA=../shared/data /usr/bin/python3 tests/vectors/make_esa_vectors.py
writes tests/vectors/esa_biopython.tsv.gz (through `gzip -9 -n`, so reruns are byte-identical).

Columns: mirna (miRNA nt 1-10, or fewer for the short synthetic rows), site (window nt 6-15),
score, gapped mirna, gapped site - exactly what
    pairwise2.align.globaldx(mirna, site, score_matrix, one_alignment_only=True)[0]
returns, which is how TargetNet's src/data.py (extended_seed_alignment) calls it.
TargetNet's score dict has only A, C, G, U (an N raises KeyError there); for the synthetic rows
with N the dict is extended with N scoring 0 against everything, which is what tfm implements.
"""
import gzip
import os
import random
import subprocess
import sys

from Bio import pairwise2

SEED = 20240611
N_REAL = 11000      # uniformly sampled real windows
PER_SCORE = 60      # topped up so that every score 0..10 is represented
N_SYNTH = 1400      # synthetic: N letters, short inputs, low-complexity (tie-heavy) inputs

PAIRS = {("A", "U"), ("U", "A"), ("G", "C"), ("C", "G"), ("G", "U"), ("U", "G")}
# TargetNet's dictionary (same construction as its src/data.py), plus N for synthetic rows.
SCORE = {(a, b): int((a, b) in PAIRS) for a in "ACGUN" for b in "ACGUN"}


def esa(mirna, site):
    aln = pairwise2.align.globaldx(mirna, site, SCORE, one_alignment_only=True)[0]
    return aln[0], aln[1], int(round(aln[2]))


def lcs(a, b):
    """Quick pre-filter score (the LCS under complementarity), used only to pick rows."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(max(prev[j] + ((x, y) in PAIRS), prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def load_pairs(data):
    pairs = []
    for k in range(5):
        path = os.path.join(data, "miraw", "test", "miRAW_Test%d.txt.gz" % k)
        with gzip.open(path, "rt") as f:
            next(f)
            for line in f:
                t = line.rstrip("\n").split("\t")
                mirna = t[1].upper().replace("T", "U")
                rev = t[3].upper().replace("T", "U")[::-1]
                if len(rev) >= 40:
                    pairs.append((mirna, rev))
    return pairs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.environ.get("TFM_DATA", os.path.join(here, "..", "..", "..", "shared", "data"))
    rng = random.Random(SEED)
    pairs = load_pairs(data)
    rows = []

    def add(mirna, site):
        ga, gb, s = esa(mirna, site)
        rows.append((mirna, site, s, ga, gb))

    def window(p):
        mirna, rev = p
        off = rng.randrange(len(rev) - 40 + 1)
        return mirna[:10], rev[off + 5:off + 15]

    for _ in range(N_REAL):
        add(*window(rng.choice(pairs)))

    # Top up rare scores (real windows first; synthetic ones where real windows are too rare).
    count = [0] * 11
    for r in rows:
        count[r[2]] += 1
    for _ in range(400000):
        if min(count) >= PER_SCORE:
            break
        m, w = window(rng.choice(pairs))
        s = lcs(m, w)
        if count[s] < PER_SCORE:
            add(m, w)
            count[s] += 1
    comp = {"A": "UG", "C": "G", "G": "CU", "U": "AG"}
    for s in range(11):
        while count[s] < PER_SCORE:
            m = "".join(rng.choice("ACGU") for _ in range(10))
            w = [rng.choice(comp[c]) for c in m]
            for j in rng.sample(range(10), 10 - s):   # break 10-s pairs, then check
                w[j] = rng.choice([x for x in "ACGU" if (m[j], x) not in PAIRS])
            w = "".join(w)
            if lcs(m, w) == s:
                add(m, w)
                count[s] += 1

    # Synthetic: N letters, short inputs (na, nb in 1..10), small alphabets (many ties).
    alphabets = ["ACGU", "ACGUN", "AU", "GU", "GC", "AGN", "CU", "A", "ACGUNNN"]
    for i in range(N_SYNTH):
        al = alphabets[i % len(alphabets)]
        ab = alphabets[(i // len(alphabets)) % len(alphabets)]
        na = 10 if i % 3 == 0 else rng.randint(1, 10)
        nb = 10 if i % 3 == 1 else rng.randint(1, 10)
        m = "".join(rng.choice(al) for _ in range(na))
        w = "".join(rng.choice(ab) for _ in range(nb))
        add(m, w)

    rows.sort()   # groups each miRNA's rows: the file compresses much better
    out = os.path.join(here, "esa_biopython.tsv.gz")
    text = "mirna\tsite\tscore\taln_mirna\taln_site\n" + "".join("%s\t%s\t%d\t%s\t%s\n" % r for r in rows)
    with open(out, "wb") as f:
        subprocess.run(["gzip", "-9", "-n"], input=text.encode(), stdout=f, check=True)
    hist = [0] * 11
    for r in rows:
        hist[r[2]] += 1
    print("%d rows -> %s (%d bytes); per score %s" % (len(rows), out, os.path.getsize(out), hist),
          file=sys.stderr)


if __name__ == "__main__":
    main()
