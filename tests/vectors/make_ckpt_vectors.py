#!/usr/bin/python3
"""Reference values for tests/test_ckpt.c, from an independent .pt reader: the numpy pickle
reader of specs/vectors/spec_check.py (not tfm's C code). For every tensor of the state dict
of the five checkpoints: name, shape, element count, sum and sum of squares (float64) and the
first 5 values (float32 printed with 9 significant digits).

Run from the top of the tree:  /usr/bin/python3 tests/vectors/make_ckpt_vectors.py \
    [SHARED_DIR] > tests/vectors/ckpt_vectors.tsv
SHARED_DIR defaults to ../shared (with data/models and specs/vectors below it).
"""
import os
import sys

import numpy as np

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
sys.path.insert(0, os.path.join(shared, "specs", "vectors"))
import spec_check  # noqa: E402

FILES = [("data/models/TargetNet.pt", "TargetNet.pt"),
         ("data/models/deepTarget_weights.pt", "deepTarget_weights.pt"),
         ("data/models/TargetFM1_head_weights.pt", "TargetFM1_head_weights.pt"),
         ("specs/vectors/rnafm_tiny_zip.pt", "rnafm_tiny_zip.pt"),
         ("specs/vectors/rnafm_tiny_legacy.pt", "rnafm_tiny_legacy.pt")]

print("file\ttensor\tshape\tnumel\tsum\tsumsq\tfirst5")
for rel, short in FILES:
    obj = spec_check.pt_load(os.path.join(shared, rel))
    sd = obj["model"] if "model" in obj and isinstance(obj["model"], dict) else obj
    for name, t in sd.items():
        if not isinstance(t, np.ndarray):
            continue
        a = t.astype(np.float64).ravel()
        first = " ".join("%.9g" % x for x in t.ravel()[:5])
        print("%s\t%s\t%s\t%d\t%.17g\t%.17g\t%s" % (short, name, "x".join(map(str, t.shape)) or "-", a.size,
                                                    a.sum(), (a * a).sum(), first or "-"))
    if "args" in obj:
        for k, v in sorted(obj["args"].items()):
            if isinstance(v, (bool, int, float, str)) or v is None:
                print("%s\targs.%s\t%s\t\t\t\t" % (short, k, v))
