#!/usr/bin/env python3
"""One full training step of the TargetFM1 head in PyTorch, for tests/test_train.c.

An independent module written from specs/heads.md 3.1 (fc_mi / fc_mr: Linear(d -> 32) per
position, ReLU, concat to 64 x 30, then deepTarget's conv2..fc2), at a small embedding dim d
(the C head takes any d), with the conventions of make_train_vectors.py:
  weights: element j of the parameter block (state-dict order fc_mi, fc_mr, conv2, conv3,
           conv4, fc1, fc2; the unused embd1 is not trained) is
           ((j * 2654435761 + 12345) mod 2^32 / 2^32 * 2 - 1) / sqrt(fan), fan = 16 for a
           bias, numel / shape[0] for a weight; float64, rounded to float32;
  inputs:  frozen "RNA-FM representations" x (B, 2, 30, d), stored (float32 from a hash);
  loss:    2-class softmax cross-entropy, class-weighted mean; Adam with L2 weight decay.
Stored (float32 safetensors, tests/vectors/train_targetfm_vectors.safetensors): x, labels, the
loss and every gradient of the step, and the weights after one Adam step.
Needs Debian's python3-torch (1.13); run from the repository root:
  /usr/bin/python3 tests/vectors/make_train_targetfm_vectors.py
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_train_vectors import B, DeepTarget, h32, run, write_safetensors

D = 4             # embedding dim of the test (640 for rna_fm_t12)


class TargetFM1(DeepTarget):
    LAYERS = ("fc_mi", "fc_mr") + DeepTarget.LAYERS[1:]  # deepTarget's conv2..fc2, no embd1

    def __init__(self, d):
        super().__init__()
        del self.embd1
        self.fc_mi = nn.Linear(d, 32)
        self.fc_mr = nn.Linear(d, 32)

    def forward(self, x):  # x (B, 2, 30, d): miRNA, CTS
        m = F.relu(self.fc_mi(x[:, 0])).transpose(1, 2)  # (B, 32, 30)
        r = F.relu(self.fc_mr(x[:, 1])).transpose(1, 2)
        return self.tail(torch.cat([m, r], 1))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    j = np.arange(B * 2 * 30 * D) + 5000
    x = ((h32(j).astype(np.float64) / 4294967296.0 * 2 - 1) * 2).astype(np.float32).reshape(B, 2, 30, D)
    out = {"targetfm.x": x}
    run("targetfm", TargetFM1(D), torch.from_numpy(x), out, steps=1)
    write_safetensors("tests/vectors/train_targetfm_vectors.safetensors", out)


if __name__ == "__main__":
    main()
