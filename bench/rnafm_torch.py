#!/usr/bin/python3
"""RNA-FM (rna_fm_t12) in PyTorch on the CPU, written from specs/rna-fm.md (sections 4 and 9),
for bench_rnafm's comparison: the same deterministic full-size weights, the same token rows, the
same batches and thread counts as the C encoder.

usage: rnafm_torch.py TOKENS REF NREF BATCHES THREADS SECONDS
  TOKENS   int32 (rows, 30) token ids written by bench_rnafm
  REF      float32 (NREF, 30, 640): tfm's representations[12] of the first NREF rows
  BATCHES  comma-separated rows per forward call, e.g. 32,128
  THREADS  comma-separated torch.set_num_threads values, e.g. 1,2
  SECONDS  timing budget per measurement (best of the repetitions; at least 2)
stdout: "check<TAB>max_abs_diff<TAB>nref", then "rate<TAB>batch<TAB>threads<TAB>tokens_per_s<TAB>openblas_threads"
per measurement. Exit status 3 when torch cannot be imported (the caller prints a skip line)."""
import ctypes
import sys
import time

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)

L, D, H, FFN, MAXPOS, TOKEN_DROPOUT = 12, 640, 20, 5120, 1024, 1
T = 30
PAD, MASK = 1, 24


def det_tensor(name, shape, scale, offset=0.0):
    """Section 9: FNV-1a-64 of the name seeds SplitMix64; v = float32(offset + scale (2u - 1))."""
    h = 0xCBF29CE484222325
    for b in name.encode():
        h = ((h ^ b) * 0x100000001B3) & (2**64 - 1)
    with np.errstate(over="ignore"):
        z = np.uint64(h) + np.arange(1, int(np.prod(shape)) + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    u = (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)
    return torch.from_numpy((offset + scale * (2.0 * u - 1.0)).astype(np.float32).reshape(shape))


def param(name, shape):
    if "layer_norm" in name:
        return det_tensor(name, shape, *((0.2, 1.0) if name.endswith(".weight") else (0.1, 0.0)))
    if name == "embed_tokens.weight":
        return det_tensor(name, shape, 1.0)
    if name == "embed_positions.weight":
        return det_tensor(name, shape, 0.5)
    if name.endswith(".weight") and len(shape) == 2:
        return det_tensor(name, shape, 1.0 / np.sqrt(float(shape[1])))
    return det_tensor(name, shape, 0.05)


def build():
    """The weights the encoder reads (no LM head), q/k/v stacked into one in_proj as PyTorch's own
    MultiheadAttention stores them."""
    P = {k: param(k, s) for k, s in [("embed_tokens.weight", (25, D)), ("embed_positions.weight", (MAXPOS + 2, D)),
                                     ("emb_layer_norm_before.weight", (D,)), ("emb_layer_norm_before.bias", (D,)),
                                     ("emb_layer_norm_after.weight", (D,)), ("emb_layer_norm_after.bias", (D,))]}
    P["embed_tokens.weight"][MASK] = 0
    layers = []
    for l in range(L):
        g = lambda k, *s: param(f"layers.{l}.{k}", s)
        layers.append(dict(
            ln1=(g("self_attn_layer_norm.weight", D), g("self_attn_layer_norm.bias", D)),
            wqkv=torch.cat([g(f"self_attn.{p}_proj.weight", D, D) for p in "qkv"]),
            bqkv=torch.cat([g(f"self_attn.{p}_proj.bias", D) for p in "qkv"]),
            wo=g("self_attn.out_proj.weight", D, D), bo=g("self_attn.out_proj.bias", D),
            ln2=(g("final_layer_norm.weight", D), g("final_layer_norm.bias", D)),
            w1=g("fc1.weight", FFN, D), b1=g("fc1.bias", FFN), w2=g("fc2.weight", D, FFN), b2=g("fc2.bias", D)))
    return P, layers


def forward(P, layers, tok):
    """tok (B, T) int64 -> representations[12] (B, T, D), section 4 steps 1-8."""
    B, n = tok.shape
    pad = tok.eq(PAD)
    x = F.embedding(tok, P["embed_tokens.weight"])
    if TOKEN_DROPOUT:
        is_mask = tok.eq(MASK)
        x = x.masked_fill(is_mask.unsqueeze(-1), 0.0)
        r = is_mask.sum(1).float() / (~pad).sum(1).float()
        x = x * (1 - 0.15 * 0.8) / (1 - r)[:, None, None]
    pos = torch.cumsum(~pad, 1) * (~pad) + PAD
    x = x + F.embedding(pos, P["embed_positions.weight"])
    x = F.layer_norm(x, (D,), P["emb_layer_norm_before.weight"], P["emb_layer_norm_before.bias"], 1e-5)
    x = x.masked_fill(pad.unsqueeze(-1), 0.0)
    key_mask = pad[:, None, None, :] if pad.any() else None
    hd = D // H
    for y in layers:
        h = F.layer_norm(x, (D,), *y["ln1"], 1e-5)
        q, k, v = F.linear(h, y["wqkv"], y["bqkv"]).split(D, -1)
        q = q * hd ** -0.5
        q, k, v = (t.reshape(B, n, H, hd).transpose(1, 2) for t in (q, k, v))
        s = q @ k.transpose(-1, -2)
        if key_mask is not None:
            s = s.masked_fill(key_mask, float("-inf"))
        o = (torch.softmax(s, -1) @ v).transpose(1, 2).reshape(B, n, D)
        x = x + F.linear(o, y["wo"], y["bo"])
        h = F.layer_norm(x, (D,), *y["ln2"], 1e-5)
        x = x + F.linear(F.gelu(F.linear(h, y["w1"], y["b1"])), y["w2"], y["b2"])
    return F.layer_norm(x, (D,), P["emb_layer_norm_after.weight"], P["emb_layer_norm_after.bias"], 1e-5)


def blas_threads(n):
    """torch.set_num_threads does not reach OpenBLAS (Debian's torch calls it through libblas), which
    keeps one thread per core: set it too, so "1 thread" is one core. Returns OpenBLAS's count, or
    None when torch does not use OpenBLAS."""
    try:
        ob = ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return None
    ob.openblas_set_num_threads(n)
    return ob.openblas_get_num_threads()


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    tok = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.int32).astype(np.int64).reshape(-1, T))
    nref = int(sys.argv[3])
    ref = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.float32).reshape(nref, T, D))
    batches = [int(b) for b in sys.argv[4].split(",")]
    threads = [int(t) for t in sys.argv[5].split(",")]
    secs = float(sys.argv[6])
    P, layers = build()
    with torch.inference_mode():
        diff = (forward(P, layers, tok[:nref]) - ref).abs().max().item()
        print(f"check\t{diff:.3g}\t{nref}", flush=True)
        for nt in threads:
            torch.set_num_threads(nt)
            blas = blas_threads(nt)
            for B in batches:
                x = tok[:B]
                forward(P, layers, x)  # warm-up
                best, spent, reps = float("inf"), 0.0, 0
                while reps < 2 or spent < secs:
                    t0 = time.perf_counter()
                    forward(P, layers, x)
                    t = time.perf_counter() - t0
                    best, spent, reps = min(best, t), spent + t, reps + 1
                print(f"rate\t{B}\t{nt}\t{B * T / best:.1f}\t{blas or '-'}", flush=True)


if __name__ == "__main__":
    main()
