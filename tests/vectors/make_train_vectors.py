#!/usr/bin/env python3
"""One full training step of TargetNet and deepTarget in PyTorch, for tests/test_train.c.

Independent modules written from the specs (TargetNet: data README "Forward pass";
deepTarget: specs/heads.md 2.2), same initial weights and same batch as the C test computes:
  weights: element j of the parameter block (state-dict order) is
           ((j * 2654435761 + 12345) mod 2^32 / 2^32 * 2 - 1) / sqrt(fan), fan = 16 for a
           bias, numel / shape[0] for a weight; float64, rounded to float32;
  inputs:  one-hot columns from the same hash (see onehot_batch), labels stored;
  loss:    class-weighted mean, sum w[y] l / sum w[y]: BCE with logits (TargetNet),
           2-class softmax cross-entropy (deepTarget); Adam with L2 weight decay.
Stored (float32 safetensors, tests/vectors/train_step_vectors.safetensors): loss and every
gradient of step 1, the weights after step 1 (TargetNet), the loss of step 2 on the same batch
and the weights after step 2.
Needs Debian's python3-torch (1.13); run from the repository root:
  /usr/bin/python3 tests/vectors/make_train_vectors.py
"""
import json
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

B = 20            # two chunks of the C trainer (16 + 4)
LR, WD = 1e-3, 0.01
CW = [0.7, 1.3]


def h32(j):
    return (np.asarray(j, dtype=np.uint64) * np.uint64(2654435761) + np.uint64(12345)) & np.uint64(0xFFFFFFFF)


class TargetNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem0 = nn.Conv1d(10, 16, 5, padding=2, bias=False)
        self.stem1 = nn.Conv1d(16, 16, 5, padding=2, bias=False)
        self.s1c1 = nn.Conv1d(16, 16, 3, padding=1, bias=False)
        self.s1c2 = nn.Conv1d(16, 16, 3, padding=1, bias=False)
        self.s2c1 = nn.Conv1d(16, 32, 3, padding=1, bias=False)
        self.s2c2 = nn.Conv1d(32, 32, 3, padding=1, bias=False)
        self.linear = nn.Linear(512, 1)

    def named(self):  # state-dict names of the published checkpoint, in order
        return [("stem.0.conv.1.weight", self.stem0.weight), ("stem.1.conv.1.weight", self.stem1.weight),
                ("stage1.0.conv1.1.weight", self.s1c1.weight), ("stage1.0.conv2.1.weight", self.s1c2.weight),
                ("stage2.0.conv1.1.weight", self.s2c1.weight), ("stage2.0.conv2.1.weight", self.s2c2.weight),
                ("linear.weight", self.linear.weight), ("linear.bias", self.linear.bias)]

    def forward(self, x):
        s = self.stem1(F.relu(self.stem0(x)))
        u = self.s1c2(F.relu(self.s1c1(F.relu(s)))) + s
        w = self.s2c2(F.relu(self.s2c1(F.relu(u)))) + F.pad(u, (0, 0, 0, 16))  # zero channels 16-31
        p = F.max_pool1d(F.relu(w), 3)          # (B, 32, 16)
        return self.linear(p.flatten(1))[:, 0]  # one logit


class DeepTarget(nn.Module):
    def __init__(self):
        super().__init__()
        self.embd1 = nn.Conv1d(4, 32, 3, padding=1)
        self.conv2 = nn.Conv1d(64, 16, 3)
        self.conv3 = nn.Conv1d(16, 64, 3)
        self.conv4 = nn.Conv1d(64, 16, 3)
        self.fc1 = nn.Linear(384, 30)
        self.fc2 = nn.Linear(30, 2)

    LAYERS = ("embd1", "conv2", "conv3", "conv4", "fc1", "fc2")  # state-dict order

    def named(self):
        out = []
        for m in self.LAYERS:
            out += [(m + ".weight", getattr(self, m).weight), (m + ".bias", getattr(self, m).bias)]
        return out

    def tail(self, h):  # h (B, 64, 30) after ReLU; shared with the TargetFM1 head
        h = F.relu(self.conv4(F.relu(self.conv3(F.relu(self.conv2(h))))))
        return self.fc2(self.fc1(h.flatten(1)))  # logits (B, 2)

    def forward(self, x):  # x (B, 8, 30): miRNA rows 0-3, CTS rows 4-7
        return self.tail(torch.cat([F.relu(self.embd1(x[:, :4])), F.relu(self.embd1(x[:, 4:]))], 1))


def init_hash(model):
    j = 0
    with torch.no_grad():
        for _, p in model.named():
            n = p.numel()
            fan = 16 if p.dim() == 1 else n // p.shape[0]
            v = (h32(np.arange(j, j + n)).astype(np.float64) / 4294967296.0 * 2 - 1) / np.sqrt(fan)
            p.copy_(torch.from_numpy(v.astype(np.float32)).reshape(p.shape))
            j += n


def onehot_batch(C, L, letters):
    """x[b][half*letters + v][l] = 1 with v = (hash(b*1000 + half*100 + l) >> 16) % (letters+1),
    v == letters meaning an empty column."""
    x = np.zeros((B, C, L), np.float32)
    half = C // 2
    for b in range(B):
        for hh in range(2):
            for l in range(L):
                v = int(h32(b * 1000 + hh * 100 + l)) >> 16
                v %= letters + 1
                if v < letters:
                    x[b, hh * half + v, l] = 1
    return torch.from_numpy(x)


def run(tag, model, x, out, steps=2):
    """steps=1: the first step only, with the weights after it (make_train_targetfm_vectors.py)."""
    init_hash(model)
    y = torch.tensor([(int(h32(b + 777)) >> 16) & 1 for b in range(B)], dtype=torch.int64)
    cw = torch.tensor(CW)
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WD)

    def loss_fn():
        z = model(x)
        if z.dim() == 1:
            w = cw[y]
            return (w * F.binary_cross_entropy_with_logits(z, y.float(), reduction="none")).sum() / w.sum()
        return F.cross_entropy(z, y, weight=cw)  # weighted mean, the same convention

    opt.zero_grad()
    loss = loss_fn()
    loss.backward()
    out[tag + ".y"] = y.float().numpy()
    out[tag + ".class_weight"] = np.array(CW, np.float32)
    out[tag + ".hparams"] = np.array([LR, WD], np.float32)
    out[tag + ".loss"] = np.array([loss.item()], np.float32)
    for name, p in model.named():
        out[tag + ".grad." + name] = p.grad.numpy().copy()
    opt.step()
    if tag == "targetnet" or steps == 1:  # weights after one step (not deepTarget: the file stays < 300 KB)
        for name, p in model.named():
            out[tag + ".step1." + name] = p.detach().numpy().copy()
    if steps == 1:
        print(f"{tag}: loss {loss.item():.7f}")
        return
    opt.zero_grad()
    loss2 = loss_fn()
    loss2.backward()
    opt.step()
    out[tag + ".loss2"] = np.array([loss2.item()], np.float32)
    for name, p in model.named():
        out[tag + ".step2." + name] = p.detach().numpy().copy()
    print(f"{tag}: loss {loss.item():.7f} -> {loss2.item():.7f}")


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for k, v in tensors.items():
        b = np.ascontiguousarray(v, dtype="<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    out = {}
    run("targetnet", TargetNet(), onehot_batch(10, 50, 5), out)
    run("deeptarget", DeepTarget(), onehot_batch(8, 30, 4), out)
    write_safetensors("tests/vectors/train_step_vectors.safetensors", out)


if __name__ == "__main__":
    main()
