/* libFuzzer harness for a user's prior file, `tfm-score --prior FILE` (lib/prior.c over lib/tsv.c):
 * a header with `prior` and `mirna_id` or `mirna_seq`, one probability per miRNA.
 * Build: make fuzz   Run: build/fuzz/fuzz_priorfile -dict=tests/fuzz/tsv.dict WORKDIR tests/fuzz/corpus/priorfile
 * Aborts when a file accepted does not give back, for every row, the prior of that row (a
 * probability strictly between 0 and 1) under its key (a sequence key: letters ACGUT only), or gives a prior for a key it does not
 * hold; and when a refusal does not name the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prior.h"
#include "util.h"

static void refused(void)
{
    if (strncmp(tfm_last_error(), "fuzz.tsv:", 9) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
    if (!t) return 0;
    tfm_prior_t *p = tfm_prior_read(t);
    if (!p) {
        refused();
        return 0;
    }
    /* read the same bytes again: each row's key must give that row's prior */
    t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
    if (!t) abort();
    int by_seq = strcmp(tfm_prior_key(p), "mirna_seq") == 0;
    int kc = tfm_tsv_col(t, by_seq ? "mirna_seq" : "mirna_id"), cp = tfm_tsv_col(t, "prior");
    if (kc < 0 || cp < 0 || (!by_seq && tfm_tsv_col(t, "mirna_seq") >= 0)) abort();
    long rows = 0;
    while (tfm_tsv_read(t) == 1) {
        double want, got = -1;
        const char *key = t->f[kc];
        if (tfm_parse_double(t->f[cp], &want) != 0 || !(want > 0 && want < 1) || !*key) abort();
        if (by_seq && strspn(key, "ACGUTacgut") != strlen(key)) abort();
        if (tfm_prior_lookup(p, key, key, &got) != 0 || got != want) abort();
        rows++;
    }
    tfm_tsv_close(t);
    if (rows == 0) abort();
    /* a key no row holds (rows never hold a tab): refused, naming the file */
    double v;
    if (tfm_prior_lookup(p, "no\tsuch", "no\tsuch", &v) != -1) abort();
    if (!strstr(tfm_last_error(), "fuzz.tsv")) abort();
    tfm_prior_free(p);
    return 0;
}
