#!/usr/bin/env bash
# tfm-aggregate's --detectable, fitted on validation data only (models/README.md, "Site evidence
# against the prior"): the genes of both designs of models/val_genes.py (one gene per val site,
# one per val (miRNA, gene) pair) scored with `tfm-score --prior model`, aggregated with
# --detectable 1 (the Bayes factor B of the site evidence alone); then, for P = 0.50 .. 1.00, each
# gene's log odds logit(prior) + log(P B + 1 - P) and its log loss against the label. No test set
# enters.
#
#   bash models/detectable_fit.sh [MODEL]     MODEL defaults to tfm's default model
#
# Prints per P: accuracy and mean log loss of each design, their mean; then the P of the least
# mean log loss (maximum likelihood over both designs, weighted equally).
set -euo pipefail
. "$(dirname "$0")/data.sh" "detectable_fit"
model=${1:-$top/models/tfm-default.safetensors}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for unit in site pair; do
    mkdir -p "$tmp/$unit"
    python3 "$top/models/val_genes.py" "$D" "$tmp/$unit" 1 "$unit"
    tfm-seed --pairs "$tmp/$unit/valgene.tsv" | tfm-score --model "$model" --prior model |
        tfm-aggregate --detectable 1 > "$tmp/$unit.tsv"
done
python3 - "$tmp/site.tsv" "$tmp/pair.tsv" <<'PY'
import math, sys
def load(path):
    with open(path) as fh:
        head = next(fh).rstrip("\n").split("\t"); c = {k: i for i, k in enumerate(head)}
        for line in fh:
            f = line.rstrip("\n").split("\t")
            prior = min(max(float(f[c["mirna_prior"]]), 1e-12), 1 - 1e-12)
            lp = math.log(prior / (1 - prior))
            yield lp, float(f[c["log_odds"]]) - lp, f[c["label"]] == "1"  # log B: -inf without windows
def figures(genes, P):
    acc = ll = 0
    for lp, log_bf, y in genes:
        m = P * math.exp(max(log_bf, -700)) + (1 - P)
        lo = lp + (math.log(m) if m > 0 else -700)
        acc += (lo > 0) == y
        z = -lo if y else lo  # log loss = log(1 + exp(z))
        ll += z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
    return acc / len(genes), ll / len(genes)
designs = [list(load(p)) for p in sys.argv[1:]]
print("P\taccuracy_site\taccuracy_pair\tlog_loss_site\tlog_loss_pair\tlog_loss_mean")
best = None
for k in range(50, 101):
    P = k / 100
    f = [figures(g, P) for g in designs]
    mean = (f[0][1] + f[1][1]) / 2
    print(f"{P:.2f}\t{f[0][0]:.4f}\t{f[1][0]:.4f}\t{f[0][1]:.5f}\t{f[1][1]:.5f}\t{mean:.5f}")
    if best is None or mean < best[0]: best = (mean, P)
print(f"maximum likelihood: P = {best[1]:.2f} (mean log loss {best[0]:.5f})")
PY
