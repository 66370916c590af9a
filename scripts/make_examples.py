#!/usr/bin/env python3
"""Write the recipe examples of README "Recipes": examples/mature.fa (shaped like miRBase's
mature.fa) and examples/gencode.pc_transcripts.fa.gz (shaped like GENCODE's
gencode.vNN.pc_transcripts.fa.gz). Deterministic (fixed seed, gzip without name or time).

    python3 scripts/make_examples.py [TFM_DATA]        # default ../shared/data

Sources: human miRNA sequences from $TFM_DATA/mirna/mirna.fasta.gz (Target-FM Data/mirna.fasta);
3'UTRs from the mrna_seq column of $TFM_DATA/miraw/test/miRAW_Test*.txt.gz (Ensembl gene ids).
Everything else is made up for the example (see examples/README.md)."""
import gzip
import io
import random
import sys

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"

# ---- mature.fa: miRBase layout ">ID ACCESSION Genus species NAME", U letters, one line ----
human = {}
with gzip.open(f"{data}/mirna/mirna.fasta.gz", "rt") as f:
    name = None
    for line in f:
        line = line.strip()
        if line.startswith(">"):
            name = line[1:].split()[0]
        elif name:
            human[name] = line
# (id, accession as recalled from miRBase 22: not checked, tfm ignores it, sequence or None = human file)
records = [
    ("cel-let-7-5p", "MIMAT0000001", "UGAGGUAGUAGGUUGUAUAGUU"),
    ("cel-lin-4-5p", "MIMAT0000002", "UCCCUGAGACCUCAAGUGUGA"),
    ("hsa-let-7a-5p", "MIMAT0000062", None),
    ("hsa-let-7b-5p", "MIMAT0000063", None),
    ("hsa-let-7c-5p", "MIMAT0000064", None),
    ("hsa-miR-15a-5p", "MIMAT0000068", None),
    ("hsa-miR-16-5p", "MIMAT0000069", None),
    ("hsa-miR-17-5p", "MIMAT0000070", None),
    ("hsa-miR-19a-3p", "MIMAT0000073", None),
    ("hsa-miR-20a-5p", "MIMAT0000075", None),
    ("hsa-miR-21-5p", "MIMAT0000076", None),
    ("hsa-miR-25-3p", "MIMAT0000081", None),
    ("hsa-miR-92a-3p", "MIMAT0000092", None),
    ("hsa-miR-93-5p", "MIMAT0000093", None),
    ("mmu-miR-155-5p", "MIMAT0000165", "UUAAUGCUAAUUGUGAUAGGGGU"),
    ("mmu-miR-122-5p", "MIMAT0000246", "UGGAGUGUGACAAUGGUGUUUG"),
    ("hsa-miR-34a-5p", "MIMAT0000255", None),
    ("hsa-miR-122-5p", "MIMAT0000421", None),
    ("hsa-miR-124-3p", "MIMAT0000422", None),
    ("hsa-miR-145-5p", "MIMAT0000437", None),
    ("mmu-let-7a-5p", "MIMAT0000521", "UGAGGUAGUAGGUUGUAUAGUU"),
    ("mmu-miR-21a-5p", "MIMAT0000530", "UAGCUUAUCAGACUGAUGUUGA"),
    ("hsa-miR-200c-3p", "MIMAT0000617", None),
    ("hsa-miR-155-5p", "MIMAT0000646", None),
    ("hsa-miR-106b-5p", "MIMAT0000680", None),
    ("hsa-miR-590-5p", "MIMAT0003258", None),
]
species = {"cel": "Caenorhabditis elegans", "hsa": "Homo sapiens", "mmu": "Mus musculus"}
with open("examples/mature.fa", "w") as out:
    for mid, acc, seq in records:
        sp, name = mid.split("-", 1)
        out.write(f">{mid} {acc} {species[sp]} {name}\n{seq or human[mid]}\n")

# ---- GENCODE pc_transcripts: UTR5 + CDS (made up) + UTR3 (miRAW's), 60-column lines ----
utr3 = {}
for k in range(5):
    with gzip.open(f"{data}/miraw/test/miRAW_Test{k}.txt.gz", "rt") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            utr3.setdefault(c[2], c[3])
rng = random.Random(14)
STOPS = {"TAA", "TAG", "TGA"}
MIR21_8MER = "ATAAGCTA"  # a miR-21-5p 8mer site: planted outside the 3'UTR, which --region utr3 must not report


def cds(ncodons, plant):
    codons = ["ATG"]
    while len(codons) < ncodons - 1:
        c = "".join(rng.choice("ACGT") for _ in range(3))
        if c not in STOPS:
            codons.append(c)
    s = "".join(codons) + "TAA"
    if plant:  # in frame +1, so that no stop codon appears in frame
        p = 3 * (ncodons // 2) + 1
        s = s[:p] + MIR21_8MER + s[p + 8:]
    return s


def utr5(n, plant):
    s = "".join(rng.choice("ACGT") for _ in range(n))
    return s[:10] + MIR21_8MER + s[18:] if plant else s


# gene id (miRAW, with a made-up version), name, isoforms: (transcript id, UTR5 nt, CDS codons,
# 3'UTR nt kept or None for all or 0 for none, plant the miR-21 site outside the 3'UTR)
genes = [
    ("ENSG00000150593", "18", "PDCD4", [("ENST00000331856.10", 60, 470, None, True), ("ENST00000900001.1", 45, 420, 700, True)]),
    ("ENSG00000171862", "10", "PTEN", [("ENST00000900011.2", 80, 404, None, False), ("ENST00000900012.1", 80, 404, 1500, False)]),
    ("ENSG00000141510", "19", "TP53", [("ENST00000900021.4", 70, 394, None, True), ("ENST00000900022.1", 70, 340, 0, True)]),
    ("ENSG00000139687", "15", "RB1", [("ENST00000900031.3", 90, 300, None, False)]),
    ("ENSG00000120129", "12", "DUSP1", [("ENST00000900041.5", 50, 368, None, False)]),
    ("ENSG00000136244", "13", "IL6", [("ENST00000900051.2", 40, 213, None, True)]),
    ("ENSG00000171791", "14", "BCL2", [("ENST00000900061.6", 100, 240, None, False), ("ENST00000900062.1", 100, 240, 600, False)]),
    ("ENSG00000159388", "7", "BTG2", [("ENST00000900071.3", 60, 159, None, False)]),
]
buf = io.StringIO()
n = 0
for gid, ver, gname, isoforms in genes:
    for k, (tid, n5, ncod, n3, plant) in enumerate(isoforms):
        n += 1
        u5, c, u3 = utr5(n5, plant and k == 0), cds(ncod, plant), utr3[gid]
        if n3 is not None:
            u3 = u3[:n3]
        seq = u5 + c + u3
        regions = f"UTR5:1-{len(u5)}|CDS:{len(u5) + 1}-{len(u5) + len(c)}|"
        if u3:
            regions += f"UTR3:{len(u5) + len(c) + 1}-{len(seq)}|"
        head = (f"{tid}|{gid}.{ver}|OTTHUMG{90000 + n:011d}.1|OTTHUMT{90000 + n:011d}.1|"
                f"{gname}-{201 + k}|{gname}|{len(seq)}|{regions}")
        buf.write(f">{head}\n")
        for i in range(0, len(seq), 60):
            buf.write(seq[i:i + 60] + "\n")
with open("examples/gencode.pc_transcripts.fa.gz", "wb") as raw:
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as z:
        z.write(buf.getvalue().encode())
