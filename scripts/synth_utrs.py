#!/usr/bin/env python3
"""synth_utrs.py: a synthetic transcriptome of N 3'UTRs for scale tests and benchmarks.

Lengths are drawn (with replacement) from the empirical length distribution of the distinct
3'UTRs of the miRAW test sets (one UTR per mrna_id); bases are drawn independently with the
base composition of those UTRs (an order-0 Markov model). The seed is fixed, so the output is
byte-for-byte reproducible: the same N, seed and source files give the same gzip file.

    python3 scripts/synth_utrs.py -n 100000 -o synth_utrs.fa.gz
    python3 scripts/synth_utrs.py -n 1000 --seed 7 -o - | zcat | head

Python standard library only."""
import argparse
import glob
import gzip
import os
import random
import sys


def utr_lengths_and_composition(paths):
    seqs = {}
    for path in paths:
        with gzip.open(path, "rt") as fh:
            head = fh.readline().rstrip("\n").split("\t")
            try:
                i, j = head.index("mrna_id"), head.index("mrna_seq")
            except ValueError:
                sys.exit(f"synth_utrs.py: {path}:1: needs columns mrna_id and mrna_seq")
            for n, line in enumerate(fh, 2):
                f = line.rstrip("\n").split("\t")
                if len(f) <= max(i, j):
                    sys.exit(f"synth_utrs.py: {path}:{n}: too few fields")
                seqs.setdefault(f[i], f[j])
    counts = {b: 0 for b in "ACGT"}
    for s in seqs.values():
        s = s.upper().replace("U", "T")
        for b in "ACGT":
            counts[b] += s.count(b)
    lengths = [len(seqs[k]) for k in sorted(seqs)]
    return lengths, counts


def main():
    data = os.environ.get("TFM_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap = argparse.ArgumentParser(description="Synthetic 3'UTRs with the miRAW UTR length distribution (gzip FASTA).")
    ap.add_argument("-n", "--number", type=int, default=100000, help="number of UTRs [100000]")
    ap.add_argument("-s", "--seed", type=int, default=20260101, help="random seed [20260101]")
    ap.add_argument("-o", "--output", default="-", help="output FASTA, gzip-compressed ('-': stdout) [-]")
    ap.add_argument("--from", dest="src", nargs="+",
                    default=sorted(glob.glob(os.path.join(data, "miraw", "test", "miRAW_Test*.txt.gz"))),
                    help="TSV files with mrna_id and mrna_seq [$TFM_DATA/miraw/test/miRAW_Test*.txt.gz]")
    a = ap.parse_args()
    if a.number < 1:
        sys.exit("synth_utrs.py: --number must be at least 1")
    if not a.src:
        sys.exit(f"synth_utrs.py: no miRAW test sets under {data}/miraw/test (set TFM_DATA)")
    lengths, counts = utr_lengths_and_composition(a.src)
    total = sum(counts.values())
    # byte -> base table with the UTR composition, quantised to 1/256
    table, acc = bytearray(256), 0
    for b in "ACGT":
        nxt = round(256 * (acc + counts[b]) / total) if b != "T" else 256
        for v in range(round(256 * acc / total), nxt):
            table[v] = ord(b)
        acc += counts[b]
    rng = random.Random(a.seed)
    out = sys.stdout.buffer if a.output == "-" else open(a.output + ".tmp", "wb")
    gz = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0, filename="")
    width = len(str(a.number))
    for i in range(1, a.number + 1):
        n = rng.choice(lengths)
        seq = rng.randbytes(n).translate(table)
        lines = b"\n".join(seq[k:k + 60] for k in range(0, n, 60))
        gz.write(b">synth_%0*d len=%d\n%s\n" % (width, i, n, lines))
    gz.close()
    if a.output != "-":
        out.close()
        os.replace(a.output + ".tmp", a.output)
    mean = sum(lengths) / len(lengths)
    print(f"synth_utrs.py: {a.number} UTRs from the lengths of {len(lengths)} distinct miRAW UTRs "
          f"(mean {mean:.0f} nt); seed {a.seed}", file=sys.stderr)


if __name__ == "__main__":
    main()
