/* libFuzzer harness for the FASTA reader (lib/seqio.c over lib/input.c): the bytes as a plain,
 * gzip or BGZF file, read with the miRNA alphabet and with the transcript alphabet and its
 * duplicate-id check. A record handed out must be what the reader promises.
 * Build: make fuzz   Run: build/fuzz/fuzz_fasta -runs=10000000 WORKDIR tests/fuzz/corpus/fasta */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seqio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int a = 0; a < 2; a++) {
        enum tfm_alphabet alpha = a ? TFM_ALPHA_ACGUN : TFM_ALPHA_ACGU;
        tfm_fasta_t *f = tfm_fasta_open_mem(data, size, "fuzz.fa", alpha, a);
        if (!f) continue;
        tfm_seq_t rec = {0};
        long last = 0;
        while (tfm_fasta_read(f, &rec) == 1) {
            /* a non-empty id without white space, a normalised non-empty sequence, lines in order */
            if (!rec.id[0] || strpbrk(rec.id, " \t") || rec.len == 0 || strlen(rec.seq) != rec.len ||
                strspn(rec.seq, a ? "ACGUN" : "ACGU") != rec.len || rec.line <= last)
                abort();
            last = rec.line;
        }
        (void)tfm_fasta_fraction(f);
        tfm_fasta_close(f);
        tfm_seq_free(&rec);
    }
    return 0;
}
