/* libFuzzer harness for the pairs TSV reader of tfm-seed --pairs (lib/pairs.c over lib/tsv.c):
 * header, columns, each row's ids (empty, repeated pairs) and sequence columns (normalised in
 * place). A row accepted must hold what the checks promise.
 * Build: make fuzz   Run: build/fuzz/fuzz_pairs -runs=10000000 WORKDIR tests/fuzz/corpus/pairs */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pairs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
    if (!t) return 0;
    tfm_pairs_t p;
    if (tfm_pairs_init(&p, t) == 0) {
        while (tfm_tsv_read(t) == 1) {
            if (tfm_pairs_check_ids(&p, t) < 0) continue; /* the tool stops here; going on fuzzes more */
            if (!*t->f[p.mirna_id] || !*t->f[p.mrna_id]) abort();
            if (p.mirna_seq >= 0 && tfm_pairs_seq(&p, t, p.mirna_seq, TFM_ALPHA_ACGU) == 0 &&
                (!t->flen[p.mirna_seq] || strspn(t->f[p.mirna_seq], "ACGU") != t->flen[p.mirna_seq]))
                abort();
            if (p.mrna_seq >= 0 && tfm_pairs_seq(&p, t, p.mrna_seq, TFM_ALPHA_ACGUN) == 0 &&
                (!t->flen[p.mrna_seq] || strspn(t->f[p.mrna_seq], "ACGUN") != t->flen[p.mrna_seq]))
                abort();
            size_t len;
            const char *row = tfm_tsv_restore(t, &len);
            if (memchr(row, 0, len)) abort();
        }
    }
    tfm_pairs_free(&p);
    tfm_tsv_close(t);
    return 0;
}
