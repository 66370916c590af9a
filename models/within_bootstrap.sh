#!/usr/bin/env bash
# How precisely the miRAW sets measure the gene-level within-miRNA AUC (models/README.md, "What
# it does and does not reach"): the default pipeline's pairs of sets 0-4, then a bootstrap over
# the miRNAs that have both classes in a set (1,000 draws with replacement, fixed seed), per set
# and for the mean of the five. A reading of the figure's noise; nothing is chosen from it.
#
#   bash models/within_bootstrap.sh [MODEL]      MODEL defaults to tfm's default model
#
# Prints per set: the within-miRNA AUC (log_odds, ties 1/2), the miRNAs with both classes, their
# positive pairs, the share of positive x negative pairs of the 5 heaviest miRNAs, and the
# bootstrap standard error; then the mean with its standard error and 95% interval (the sets
# share their negatives, so the draws of the five are not independent: a lower bound).
set -euo pipefail
. "$(dirname "$0")/data.sh" "within_bootstrap"
model=${1:-$top/models/tfm-default.safetensors}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for k in 0 1 2 3 4; do
    tfm-seed -t 2 -p "$D/miraw/test/miRAW_Test$k.txt.gz" | tfm-score -t 2 --model "$model" | tfm-aggregate > "$tmp/s$k.tsv"
done
python3 - "$tmp" <<'PY'
import collections, random, statistics, sys
rng = random.Random(20261203)
def pairs(path):
    with open(path) as fh:
        head = next(fh).rstrip("\n").split("\t"); c = {k: i for i, k in enumerate(head)}
        by = collections.defaultdict(lambda: ([], []))
        for line in fh:
            f = line.rstrip("\n").split("\t")
            lo = f[c["log_odds"]]
            by[f[0]][0 if f[c["label"]] == "1" else 1].append(float("-inf") if lo == "-inf" else float(lo))
    return {m: v for m, v in by.items() if v[0] and v[1]}
def u(pos, neg):  # Mann-Whitney U, ties 1/2, and pos x neg
    return sum(1 if a > b else 0.5 if a == b else 0 for a in pos for b in neg), len(pos) * len(neg)
def auc(d, ms):
    return sum(d[m][0] for m in ms) / sum(d[m][1] for m in ms)
print("set\twithin_auc\tmirnas\tpos_pairs\ttop5_weight\tbootstrap_se")
draws = [[] for _ in range(5)]
est = []
for k in range(5):
    g = pairs(f"{sys.argv[1]}/s{k}.tsv")
    d = {m: u(*v) for m, v in g.items()}
    ms = sorted(d)
    for _ in range(1000):
        draws[k].append(auc(d, [rng.choice(ms) for _ in ms]))
    top = sorted((w for _, w in d.values()), reverse=True)[:5]
    est.append(auc(d, ms))
    print(f"{k}\t{est[k]:.4f}\t{len(ms)}\t{sum(len(g[m][0]) for m in ms)}\t{sum(top) / sum(w for _, w in d.values()):.3f}\t{statistics.stdev(draws[k]):.3f}")
means = sorted(sum(draws[k][b] for k in range(5)) / 5 for b in range(1000))
print(f"mean\t{sum(est) / 5:.4f}\t.\t.\t.\t{statistics.stdev(means):.3f}\t95% interval {means[25]:.3f}-{means[974]:.3f}")
PY
