#!/usr/bin/env bash
# tfm-seed throughput per mode: one miRAW test set (pairs) and all-vs-all (the 2,042 miRNAs of
# mirna.fasta.gz x the 2,553 distinct 3'UTRs of sets 0-4, 5.3 Mnt). Figures come from the
# tool's own -v summary line (wall time and peak RSS measured inside the process).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
D=${TFM_DATA:-$top/../shared/data}
if [ ! -f "$D/README.md" ]; then echo "skip: seed benchmark: TFM_DATA ($D) not found"; exit 0; fi
seed=$top/bin/tfm-seed
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for i in 0 1 2 3 4; do gzip -dc "$D/miraw/test/miRAW_Test$i.txt.gz" | tail -n +2; done |
    awk -F'\t' '!seen[$3]++ {print ">" $3; print $4}' > "$tmp/utrs.fa"
gzip -dc "$D/mirna/mirna.fasta.gz" > "$tmp/mirna.fa"
head -n 100 "$tmp/mirna.fa" > "$tmp/mirna50.fa"

# run LABEL THREADS ARGS...: prints one line of figures from the -v summary
run() {
    local label=$1 threads=$2; shift 2
    "$seed" -v -q -t "$threads" "$@" 2> "$tmp/err" > /dev/null
    awk -v label="$label" -v t="$threads" '
        /pairs,/ {
            for (i = 1; i <= NF; i++) {
                if ($(i+1) == "pairs,") pairs = $i
                if ($(i+1) == "Mnt") mnt = $i
                if ($(i+1) == "windows") win = $i
                if ($(i+1) == "s," && $i + 0 == $i) { if ($(i-1) == "CPU") cpu = $i; else if (!sec) sec = $i }
                if ($(i+1) == "CPU") cpu = $i
                if ($i == "RSS") rss = $(i+1)
            }
            printf "%-34s threads %d  %8.2f s (%6.2f CPU s)  %8.1f Mnt/s", label, t, sec, cpu, mnt / sec
            if (win) printf "  %6.2f M windows/s", win / sec / 1e6
            printf "  peak RSS %6.1f MB  (%s pairs)\n", rss, pairs
        }' "$tmp/err"
}

echo "tfm-seed, one test set (miRAW_Test0, 1,096 pairs, 2.29 Mnt):"
for m in canonical offset-9-mer-m7 10-mer-m7 10-mer-m6 esa; do
    run "  $m" 1 -m "$m" -p "$D/miraw/test/miRAW_Test0.txt.gz"
done
run "  offset-9-mer-m7 --compat targetfm" 1 -m offset-9-mer-m7 --compat targetfm -p "$D/miraw/test/miRAW_Test0.txt.gz"
echo "tfm-seed, all-vs-all (2,042 miRNAs x 2,553 UTRs = 10,814 M miRNA-nt):"
for m in canonical offset-9-mer-m7 10-mer-m7 10-mer-m6; do
    run "  $m" 2 -m "$m" "$tmp/mirna.fa" "$tmp/utrs.fa"
done
echo "  (esa all-vs-all on the first 50 miRNAs only; scale by 2042/50 for the whole set)"
run "  esa, 50 miRNAs" 2 -m esa "$tmp/mirna50.fa" "$tmp/utrs.fa"

# One long record (a synthetic chromosome-sized transcript): tfm-seed searches it in ranges of
# about 1 MB of rows and writes them as they come, so peak RSS is the record plus a few MB per
# thread, whatever its length (issue 12: before, a record's rows were all held: esa on 5 Mnt
# 829 MB, 10-mer-m6 on 50 Mnt 491 MB, with let-7a alone). No timing is asserted.
awk 'BEGIN {srand(50); print ">long50"; for (i = 0; i < 50000000 / 60; i++) {s = ""; for (j = 0; j < 60; j++) s = s substr("ACGU", int(rand() * 4) + 1, 1); print s}}' > "$tmp/long50.fa"
head -c 5100000 "$tmp/long50.fa" > "$tmp/long5.fa"
printf '>hsa-let-7a-5p\nUGAGGUAGUAGGUUGUAUAGUU\n' > "$tmp/let7.fa"
echo "tfm-seed, one 50 Mnt record, let-7a (peak RSS: the record is 50 MB of it):"
for m in canonical offset-9-mer-m7 10-mer-m6; do
    run "  $m" 2 -m "$m" "$tmp/let7.fa" "$tmp/long50.fa"
done
run "  esa (5 Mnt of it)" 2 -m esa "$tmp/let7.fa" "$tmp/long5.fa"
