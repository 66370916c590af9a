"""Identity leakage computed apart from tfm-acc (standard library only), for acc.tst:
Spearman's rho (Pearson's r of average ranks) between each miRNA's mean score and its prior
(pos+1)/(n+2) over the training sites, over the miRNAs with training sites; rows with
control 'shuffled' left out.   python3 acc/leakage.py SITES.tsv[.gz] SCORED.tsv -> 4 decimals"""
import csv, gzip, statistics, sys

def rows(path):
    f = gzip.open(path, "rt") if path.endswith(".gz") else open(path)
    return csv.DictReader(f, delimiter="\t")

def ranks(v):
    s = sorted(v)
    first = {}
    for i, x in enumerate(s):
        first.setdefault(x, i)
    return [first[x] + (s.count(x) + 1) / 2 for x in v]

pos, n = {}, {}
for r in rows(sys.argv[1]):
    k = r["mirna_seq"].upper().replace("T", "U")
    n[k] = n.get(k, 0) + 1
    pos[k] = pos.get(k, 0) + int(r["label"])
total, cnt = {}, {}
for r in rows(sys.argv[2]):
    if r.get("control") == "shuffled":
        continue
    k = r["mirna_seq"].upper().replace("T", "U")
    total[k] = total.get(k, 0) + float(r["score"])
    cnt[k] = cnt.get(k, 0) + 1
seen = sorted(k for k in total if k in n)
means = [total[k] / cnt[k] for k in seen]
prior = [(pos[k] + 1) / (n[k] + 2) for k in seen]
print("%.4f" % statistics.correlation(ranks(means), ranks(prior)))
