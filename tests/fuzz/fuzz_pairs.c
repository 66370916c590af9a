/* libFuzzer harness for the pairs TSV of tfm-seed --pairs (lib/pairs.c over lib/tsv.c and
 * lib/seqcheck.c). Every row goes through the checks tfm-seed makes, a bad row is passed over
 * (as with --skip-bad). A row accepted must be what the reader promises: ids non-empty, a pair
 * refused as repeated if and only if it came before, sequences checked and normalised, the
 * pass-through columns all the others; a row refused must have a message naming the file.
 * Build: make fuzz   Run: build/fuzz/fuzz_pairs -dict=tests/fuzz/tsv.dict -runs=10000000 WORKDIR tests/fuzz/corpus/pairs */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pairs.h"
#include "seed.h"
#include "util.h"

#define WINDOW 4096 /* more rows than an input of libFuzzer's default -max_len can hold */

static void refused(void)
{
    if (strncmp(tfm_last_error(), "fuzz.tsv:", 9) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
    if (!t) return 0;
    tfm_pairs_t p;
    if (tfm_pairs_init(&p, t, WINDOW) < 0) {
        refused();
        tfm_tsv_close(t);
        return 0;
    }
    int used = 2 + (p.mirna_seq >= 0) + (p.mrna_seq >= 0);
    if (p.mirna_id < 0 || p.mrna_id < 0 || p.mirna_id == p.mrna_id || p.nextra + used != t->ncols) abort();
    kstring_t keys = {0}, extra = {0}; /* the pairs accepted so far, "MI\tMR\n" each */
    while (tfm_tsv_read(t) == 1) {
        const char *mi = t->f[p.mirna_id], *mr = t->f[p.mrna_id];
        if (tfm_pairs_check_ids(&p, t) < 0) {
            refused();
            if (*mi && *mr) abort();
            continue;
        }
        if (!*mi || !*mr || strpbrk(mi, "\t\n") || strpbrk(mr, "\t\n")) abort();
        size_t l = strlen(mi) + strlen(mr) + 2;
        char *key = malloc(l + 1);
        snprintf(key, l + 1, "%s\t%s\n", mi, mr);
        int before = 0;
        for (const char *k = keys.s; k && k < keys.s + keys.l; k = strchr(k, '\n') + 1)
            if (strncmp(k, key, l) == 0) before = 1;
        int rep = tfm_pairs_check_repeat(&p, t);
        if ((rep < 0) != before) abort();
        if (rep < 0) refused();
        else kputs(key, &keys);
        free(key);
        if (rep < 0) continue;

        const char *s;
        size_t n;
        int r = tfm_pairs_mirna_seq(&p, t, &s);
        if (r != (p.mirna_seq >= 0) && r != -1) abort();
        if (r < 0) refused();
        if (r > 0 && ((n = strlen(s)) < TFM_MIRNA_MIN || n > TFM_MIRNA_MAX || strspn(s, "ACGU") != n)) abort();
        if (r < 0) continue;
        r = tfm_pairs_mrna_seq(&p, t, &s, &n);
        if (r != (p.mrna_seq >= 0) && r != -1) abort();
        if (r < 0) refused();
        if (r > 0 && (n == 0 || strlen(s) != n || strspn(s, "ACGUN") != n)) abort();
        if (r < 0) continue;

        extra.l = 0;
        tfm_pairs_put_extra(&p, t, &extra);
        int tabs = 0;
        for (size_t i = 0; i < extra.l; i++) tabs += extra.s[i] == '\t';
        if (tabs != p.nextra || (extra.l && memchr(extra.s, '\n', extra.l))) abort();
    }
    free(keys.s), free(extra.s);
    tfm_pairs_free(&p);
    tfm_tsv_close(t);
    return 0;
}
