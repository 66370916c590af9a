#include "pairs.h"

#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_MAP_INIT_STR(pairline, long)

int tfm_pairs_init(tfm_pairs_t *p, const tfm_tsv_t *t)
{
    memset(p, 0, sizeof *p);
    if ((p->mirna_id = tfm_tsv_need(t, "mirna_id")) < 0 || (p->mrna_id = tfm_tsv_need(t, "mrna_id")) < 0) return -1;
    p->mirna_seq = tfm_tsv_col(t, "mirna_seq");
    p->mrna_seq = tfm_tsv_col(t, "mrna_seq");
    p->extra = tfm_malloc((size_t)t->ncols * sizeof *p->extra);
    for (int i = 0; i < t->ncols; i++)
        if (i != p->mirna_id && i != p->mrna_id && i != p->mirna_seq && i != p->mrna_seq) p->extra[p->nextra++] = i;
    p->seen = kh_init(pairline);
    return 0;
}

int tfm_pairs_check_ids(tfm_pairs_t *p, const tfm_tsv_t *t)
{
    const char *mi = t->f[p->mirna_id], *mr = t->f[p->mrna_id];
    if (!*mi || !*mr) return tfm_fail("%s:%ld: empty %s", t->name, t->lineno, *mi ? "mrna_id" : "mirna_id");
    kstring_t key = {0};
    ksprintf(&key, "%s\t%s", mi, mr);
    khash_t(pairline) *seen = p->seen;
    int absent;
    khint_t k = kh_put(pairline, seen, key.s, &absent);
    if (!absent) {
        free(key.s);
        return tfm_fail("%s:%ld: pair %s/%s repeated (first on line %ld)", t->name, t->lineno, mi, mr, kh_val(seen, k));
    }
    kh_val(seen, k) = t->lineno; /* the key is kept: it is the string just made */
    return 0;
}

int tfm_pairs_seq(const tfm_pairs_t *p, tfm_tsv_t *t, int col, enum tfm_alphabet a)
{
    const char *mi = t->f[p->mirna_id], *mr = t->f[p->mrna_id];
    if (t->flen[col] == 0) return tfm_fail("%s:%ld: empty %s (pair %s/%s)", t->name, t->lineno, t->cols[col], mi, mr);
    long bad = tfm_seq_normalise(t->f[col], t->flen[col], a);
    if (bad < 0) return 0;
    char b[8];
    return tfm_fail("%s:%ld: invalid letter %s at position %ld of %s (pair %s/%s)", t->name, t->lineno,
                    tfm_byte_repr((unsigned char)t->f[col][bad], b), bad + 1, t->cols[col], mi, mr);
}

void tfm_pairs_free(tfm_pairs_t *p)
{
    khash_t(pairline) *seen = p->seen;
    if (seen) {
        for (khint_t k = 0; k < kh_end(seen); k++)
            if (kh_exist(seen, k)) free((char *)kh_key(seen, k));
        kh_destroy(pairline, seen);
    }
    free(p->extra);
    memset(p, 0, sizeof *p);
}
