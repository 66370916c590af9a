#!/usr/bin/python3
"""Independent TargetNet reference for tests/test_model.c, written from the data README
("TargetNet" section) and TargetNet.arch.json, not from tfm:
  * windows: 40-nt slices of the reversed, upper-cased, T->U 3'UTR, sampled with a fixed seed
    from miRAW_Test0..4 (64 per set: mostly ESA score >= 6, the rest any score);
  * ESA: Biopython pairwise2.align.globaldx(miRNA[:10], window[5:15], matrix,
    one_alignment_only=True)[0], matrix 1 for A:U, G:C, G:U pairs and 0 otherwise;
  * the 10 x 50 one-hot matrix and the forward pass in numpy float64 with the weights of
    TargetNet.pt read by the numpy pickle reader of shared/specs/vectors/spec_check.py.
Writes targetnet_vectors.tsv: one row per window with the inputs, the ESA, the encoding's text
form (encode.h: "<miRNA half>,<window half>", '.' = empty column, trailing '.' dropped) and the
probability (9 significant digits).
Run: /usr/bin/python3 tests/vectors/make_targetnet_vectors.py  [TFM_DATA, TFM_SPECS from the env]
"""
import gzip, os, sys
import numpy as np
from Bio import pairwise2

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("TFM_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
SPECS = os.environ.get("TFM_SPECS", os.path.join(DATA, "..", "specs"))
sys.path.insert(0, os.path.join(SPECS, "vectors"))
import spec_check  # noqa: E402  (pt_load only)

PAIRS = {("A", "U"), ("U", "A"), ("G", "C"), ("C", "G"), ("G", "U"), ("U", "G")}
MATRIX = {(a, b): (1 if (a, b) in PAIRS else 0) for a in "ACGU" for b in "ACGU"}
ROW = {"A": 0, "C": 1, "G": 2, "U": 3, "-": 4}


def esa(mirna, window):
    a = pairwise2.align.globaldx(mirna[:10], window[5:15], MATRIX, one_alignment_only=True)[0]
    return a[0], a[1], int(a[2])


def encode(mirna, window, mi_esa, w_esa):
    x = np.zeros((10, 50))
    E = len(mi_esa)
    mi_cols = [(5 + i, c) for i, c in enumerate(mi_esa)] + [(5 + E + i, c) for i, c in enumerate(mirna[10:])]
    w_cols = ([(i, c) for i, c in enumerate(window[:5])] + [(5 + i, c) for i, c in enumerate(w_esa)] +
              [(5 + E + i, c) for i, c in enumerate(window[15:])])
    for col, c in mi_cols:
        x[ROW[c], col] = 1
    for col, c in w_cols:
        x[5 + ROW[c], col] = 1
    return x


def text(x):
    halves = []
    for h in range(2):
        s = ""
        for col in range(50):
            r = np.nonzero(x[5 * h:5 * h + 5, col])[0]
            assert len(r) <= 1
            s += "ACGU-"[r[0]] if len(r) else "."
        halves.append(s.rstrip("."))
    return ",".join(halves)


def conv(x, w, pad):  # x (C, L), w (O, C, K), zero "same" padding, cross-correlation
    C, L = x.shape
    K = w.shape[2]
    xp = np.pad(x, ((0, 0), (pad, pad)))
    return np.stack([np.tensordot(w, xp[:, l:l + K], axes=([1, 2], [0, 1])) for l in range(L)], axis=1)


def relu(x):
    return np.maximum(x, 0)


def forward(W, x):
    g = lambda k: W[k].astype(np.float64)
    h = relu(conv(x, g("stem.0.conv.1.weight"), 2))
    s = conv(h, g("stem.1.conv.1.weight"), 2)
    u = conv(relu(conv(relu(s), g("stage1.0.conv1.1.weight"), 1)), g("stage1.0.conv2.1.weight"), 1) + s
    v = conv(relu(conv(relu(u), g("stage2.0.conv1.1.weight"), 1)), g("stage2.0.conv2.1.weight"), 1)
    v[:16] += u
    p = relu(v)[:, :48].reshape(32, 16, 3).max(axis=2)
    logit = p.reshape(-1) @ g("linear.weight")[0] + g("linear.bias")[0]
    return logit, 1.0 / (1.0 + np.exp(-logit))


def main():
    W = spec_check.pt_load(os.path.join(DATA, "models", "TargetNet.pt"))
    rng = np.random.default_rng(20240611)
    out = ["set\tmirna_id\tmrna_id\toffset\tmirna_seq\twindow\tmirna_esa\twindow_esa\tesa_score\tencoding\tlogit\tprob"]
    for k in range(5):
        rows = [l.rstrip("\n").split("\t") for l in gzip.open(os.path.join(DATA, "miraw", "test", "miRAW_Test%d.txt.gz" % k), "rt")]
        rows = [r for r in rows[1:] if len(r[3]) >= 40]
        got, low = 0, 0
        while got < 64:
            mid, mseq, gid, gseq, _ = rows[rng.integers(len(rows))]
            mseq = mseq.upper().replace("T", "U")
            rev = gseq.upper().replace("T", "U")[::-1]
            off = int(rng.integers(len(rev) - 40 + 1))
            w = rev[off:off + 40]
            a, b, score = esa(mseq, w)
            if score < 6:
                if low >= 12: continue
                low += 1
            x = encode(mseq, w, a, b)
            logit, p = forward(W, x)
            out.append("\t".join([str(k), mid, gid, str(off), mseq, w, a, b, str(score), text(x),
                                  "%.9g" % logit, "%.9g" % p]))
            got += 1
    with open(os.path.join(HERE, "targetnet_vectors.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %d windows" % (len(out) - 1))


if __name__ == "__main__":
    main()
