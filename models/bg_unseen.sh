#!/usr/bin/env bash
# Does a model prefer real miRNAs over shuffled ones where nothing is a target, also for miRNAs
# it never saw? (models/README.md, "Shuffled-miRNA decoys in training"; validation data only.)
# Backgrounds: the first 20 of models/val_genes.py's panel (shuffled val sites, 3'UTR-like
# lengths). miRNAs: seen, every distinct miRNA sequence of the training sites (437); unseen, 430
# human miRNAs of mirna/mirna.fasta.gz (at least 18 nt) absent from them, drawn with a fixed
# seed. Each miRNA x background pair is scored beside its tfm-decoy twin through the default
# pipeline (the model's own search mode); bg_win: pairs whose real miRNA outscores its twin,
# ties 1/2 (0.5: no preference).
#
#   bash models/bg_unseen.sh [MODEL]      MODEL defaults to tfm's default model; about 10 s
#   bash models/bg_unseen.sh site-count   the canonical site count instead (model-free)
#
# Prints: model  miRNAs  pairs  bg_win  (for seen, then unseen).
set -euo pipefail
. "$(dirname "$0")/data.sh" "bg_unseen"
model=${1:-$top/models/tfm-default.safetensors}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$top/models/val_genes.py" "$D" "$tmp" 20 > /dev/null
python3 - "$D" "$tmp" <<'PY'
import gzip, random, sys
D, out = sys.argv[1], sys.argv[2]
bg = {}
for line in open(f"{out}/valpanel.tsv"):
    f = line.rstrip("\n").split("\t")
    if f[0] != "mirna_id": bg.setdefault(f[2], f[3])
with gzip.open(f"{D}/miraw/train/sites.tsv.gz", "rt") as fh:
    next(fh)
    train = {l.split("\t")[1].upper().replace("T", "U") for l in fh}
unseen, name = [], None
for l in gzip.open(f"{D}/mirna/mirna.fasta.gz", "rt"):
    l = l.strip()
    if l.startswith(">"): name = l[1:].split()[0]
    else:
        s = l.upper().replace("T", "U")
        if s not in train and len(s) >= 18: unseen.append((name, s))
random.Random(7).shuffle(unseen)
for fn, mirs in (("seen", [(f"m{i}", s) for i, s in enumerate(sorted(train))]), ("unseen", unseen[:430])):
    with open(f"{out}/{fn}.tsv", "w") as o:
        o.write("mirna_id\tmirna_seq\tmrna_id\tmrna_seq\tlabel\n")
        for n, s in mirs:
            for b, seq in bg.items(): o.write(f"{n}\t{s}\t{b}\t{seq}\t1\n")
PY
if [ "$model" = site-count ]; then
    mode=canonical score=(cat) agg=(--method site-count)
else
    mode=$(tfm-convert --meta "$model" | awk -F'\t' '$1 == "site_mode" {print $2}')
    score=(tfm-score --model "$model") agg=()
fi
printf 'model\tmirnas\tpairs\tbg_win\n'
for p in seen unseen; do
    tfm-decoy "$tmp/$p.tsv" | tfm-seed -m "${mode:-10-mer-m7}" -p - | "${score[@]}" | tfm-aggregate "${agg[@]}" |
        tfm-acc 2> /dev/null | awk -F'\t' -v p=$p -v m="$(basename "$model")" 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
            NR == 2 {print m "\t" p "\t" $c["n"] "\t" $c["shuffle_win"]}'
done
