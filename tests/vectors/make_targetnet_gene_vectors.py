#!/usr/bin/python3
"""Independent gene-level TargetNet reference (local only; not run in CI): for a fixed-seed
sample of miRAW test pairs (sets 0-4, 8 pairs each, UTRs up to 1,500 nt, plus every pair whose
UTR is shorter than a window), every 40-nt window of the reversed UTR, the ESA by Biopython,
windows with score >= 6 kept, the numpy forward pass of make_targetnet_vectors.py, and the
gene score = max probability over kept windows (0 without one). Written from the data README,
not from tfm. Output: targetnet_gene_vectors.tsv.
Run: /usr/bin/python3 tests/vectors/make_targetnet_gene_vectors.py"""
import gzip, os
import numpy as np
import make_targetnet_vectors as ref

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    W = ref.spec_check.pt_load(os.path.join(ref.DATA, "models", "TargetNet.pt"))
    rng = np.random.default_rng(7)
    out = ["set\tmirna_id\tmrna_id\tlabel\tn_windows\tn_kept\tscore"]
    for k in range(5):
        rows = [l.rstrip("\n").split("\t") for l in gzip.open(os.path.join(ref.DATA, "miraw", "test", "miRAW_Test%d.txt.gz" % k), "rt")][1:]
        short = [r for r in rows if len(r[3]) < 40]
        small = [r for r in rows if 40 <= len(r[3]) <= 1500]
        pick = [small[i] for i in rng.choice(len(small), 8, replace=False)] + short[:2]
        for mid, mseq, gid, gseq, label in pick:
            mseq = mseq.upper().replace("T", "U")
            rev = gseq.upper().replace("T", "U")[::-1]
            best, kept, n = 0.0, 0, max(0, len(rev) - 39)
            for off in range(n):
                w = rev[off:off + 40]
                a, b, score = ref.esa(mseq, w)
                if score < 6:
                    continue
                kept += 1
                best = max(best, ref.forward(W, ref.encode(mseq, w, a, b))[1])
            out.append("\t".join([str(k), mid, gid, label, str(n), str(kept), "%.9g" % best]))
    with open(os.path.join(HERE, "targetnet_gene_vectors.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %d pairs" % (len(out) - 1))


if __name__ == "__main__":
    main()
