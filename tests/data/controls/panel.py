#!/usr/bin/env python3
"""An independent reading of models/panel.sh's comment, for tests/controls.tst:
    python3 panel.py TEST_SET N SEED [shuffled]
Every distinct mrna_id in order of first appearance gets the next MINSTD number from SEED; the N
smallest are taken in that order; with `shuffled` the generator goes on through the picked UTRs,
each permuted by Fisher-Yates from its last letter down (swap letter i with letter 1 + x mod i)."""
import csv, gzip, sys

path, n, x = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) % 2147483647 or 1
shuffled = len(sys.argv) > 4 and sys.argv[4] == "shuffled"
mirnas, utrs, key = {}, {}, {}
for r in csv.DictReader(gzip.open(path, "rt"), delimiter="\t"):
    mirnas.setdefault(r["mirna_id"], r["mirna_seq"])
    if r["mrna_id"] not in utrs:
        x = 48271 * x % 2147483647
        utrs[r["mrna_id"]], key[r["mrna_id"]] = r["mrna_seq"], x
picked = sorted(utrs, key=key.get)[:n]
if shuffled:
    for u in picked:
        c = list(utrs[u])
        for i in range(len(c), 1, -1):
            x = 48271 * x % 2147483647
            r = x % i  # 0-based: letter i is c[i - 1], letter 1 + x mod i is c[x mod i]
            c[i - 1], c[r] = c[r], c[i - 1]
        utrs[u] = "".join(c)
print("mirna_id\tmirna_seq\tmrna_id\tmrna_seq")
for m, s in mirnas.items():
    for u in picked:
        print(m, s, u, utrs[u], sep="\t")
