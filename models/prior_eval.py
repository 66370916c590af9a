#!/usr/bin/python3
"""How to read the training-site tallies as a miRNA prior, judged on data the test sets never
entered (models/README.md, "The model's prior"). Compares the data README's baseline,
(pos+1)/(n+2) with the pooled site rate for an unseen miRNA, against the empirical-Bayes prior
`tfm-score --prior model` uses, (pos+a)/(n+a+b) with a/(a+b) for an unseen miRNA, Beta(a, b)
fitted to the tallies by maximum marginal likelihood:
  - the val split's sites, scored by the prior of the train split: log loss per site, log loss
    per miRNA (each miRNA's mean, then the mean over miRNAs) and accuracy (positive at >= 0.5);
  - unseen miRNAs, by 5-fold cross-validation over seed families (nt 2-8) of the train split:
    the held-out families' sites scored by the estimate for an unseen miRNA fitted on the rest.
    /usr/bin/python3 models/prior_eval.py [DATA]      (Debian python3-numpy, python3-scipy)"""
import collections
import gzip
import math
import random
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
with gzip.open(data + "/miraw/train/sites.tsv.gz", "rt") as f:
    col = {c: i for i, c in enumerate(next(f).rstrip("\n").split("\t"))}
    rows = [(r[col["mirna_seq"]].upper().replace("T", "U"), int(r[col["label"]]), r[col["split"]])
            for r in (line.rstrip("\n").split("\t") for line in f)]


def tallies(rs):
    t = collections.defaultdict(lambda: [0, 0])
    for seq, y, _ in rs:
        t[seq][0] += y
        t[seq][1] += 1
    return t


def fit(t):
    k = np.array([v[0] for v in t.values()], float)
    n = np.array([v[1] for v in t.values()], float)
    f = lambda u: -np.sum(betaln(k + np.exp(u[0]), n - k + np.exp(u[1])) - betaln(np.exp(u[0]), np.exp(u[1])))
    r = minimize(f, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
    return np.exp(r.x)


def loss(p, y):
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -math.log(p if y else 1 - p)


train = [r for r in rows if r[2] == "train"]
val = [r for r in rows if r[2] == "val"]
tr = tallies(train)
a, b = fit(tr)
pooled = sum(v[0] for v in tr.values()) / sum(v[1] for v in tr.values())
est = {"laplace": lambda s: (tr[s][0] + 1) / (tr[s][1] + 2) if s in tr else pooled,
       "eb": lambda s: (tr[s][0] + a) / (tr[s][1] + a + b) if s in tr else a / (a + b)}
print("train split: %d miRNAs, %d sites; Beta a %.4f b %.4f (unseen %.3f); pooled site rate %.3f"
      % (len(tr), len(train), a, b, a / (a + b), pooled))
print("estimator\tval_logloss_site\tval_logloss_mirna\tval_accuracy")
for name, p in est.items():
    per = collections.defaultdict(list)
    for s, y, _ in val:
        per[s].append(loss(p(s), y))
    site = sum(sum(v) for v in per.values()) / len(val)
    mir = sum(sum(v) / len(v) for v in per.values()) / len(per)
    acc = sum((p(s) >= 0.5) == y for s, y, _ in val) / len(val)  # positive at >= 0.5, as tfm-acc
    print("%s\t%.4f\t%.4f\t%.4f" % (name, site, mir, acc))
fams = sorted(set(s[1:8] for s, _, _ in train))
random.Random(1).shuffle(fams)
sums = collections.defaultdict(lambda: [0.0, 0, 0.0, 0])
for k in range(5):
    held = set(fams[k::5])
    tin = tallies([r for r in train if r[0][1:8] not in held])
    tout = tallies([r for r in train if r[0][1:8] in held])
    fa, fb = fit(tin)
    for name, p in (("laplace", sum(v[0] for v in tin.values()) / sum(v[1] for v in tin.values())), ("eb", fa / (fa + fb))):
        for pos, n in tout.values():
            l = pos * loss(p, 1) + (n - pos) * loss(p, 0)
            t = sums[name]
            t[0], t[1], t[2], t[3] = t[0] + l, t[1] + n, t[2] + l / n, t[3] + 1
print("estimator\tunseen_logloss_site\tunseen_logloss_mirna\t(5-fold over seed families of the train split)")
for name, s in sums.items():
    print("%s\t%.4f\t%.4f" % (name, s[0] / s[1], s[2] / s[3]))
