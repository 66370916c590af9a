#include "collapse.h"

#include <htslib/khash.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_MAP_INIT_STR(cl_str, int)

typedef struct {
    kstring_t line; /* the best row so far */
    double score;
    int n;          /* transcripts */
} entry_t;

struct tfm_collapse {
    kstring_t gene;          /* the gene being collected */
    int have;
    khash_t(cl_str) *mirna;  /* miRNA -> entry (this gene) */
    entry_t *e;
    size_t ne, cap;
    khash_t(cl_str) *done;   /* genes finished */
};

tfm_collapse_t *tfm_collapse_new(void)
{
    tfm_collapse_t *c = tfm_calloc(1, sizeof *c);
    c->mirna = kh_init(cl_str);
    c->done = kh_init(cl_str);
    return c;
}

static void free_keys(khash_t(cl_str) *h)
{
    for (khint_t k = 0; k < kh_end(h); k++)
        if (kh_exist(h, k)) free((char *)kh_key(h, k));
    kh_clear(cl_str, h);
}

void tfm_collapse_free(tfm_collapse_t *c)
{
    if (!c) return;
    free_keys(c->mirna), free_keys(c->done);
    kh_destroy(cl_str, c->mirna), kh_destroy(cl_str, c->done);
    for (size_t i = 0; i < c->cap; i++) free(c->e[i].line.s);
    free(c->e), free(c->gene.s);
    free(c);
}

void tfm_collapse_finish(tfm_collapse_t *c, kstring_t *out)
{
    for (size_t i = 0; i < c->ne; i++) {
        kputsn(c->e[i].line.s, c->e[i].line.l, out);
        kputc('\t', out), kputw(c->e[i].n, out), kputc('\n', out);
    }
    c->ne = 0;
    free_keys(c->mirna);
}

int tfm_collapse_add(tfm_collapse_t *c, const char *mirna, const char *gene, double score, const char *line,
                     size_t len, kstring_t *out)
{
    if (!c->have || strcmp(gene, c->gene.s) != 0) {
        int absent;
        khint_t k = kh_put(cl_str, c->done, gene, &absent);
        if (!absent)
            return tfm_fail("gene '%s' comes back after other genes (--collapse gene needs the rows of a gene "
                            "together, as tfm-seed writes a GENCODE transcript file)", gene);
        kh_key(c->done, k) = tfm_strdup(gene);
        if (c->have) tfm_collapse_finish(c, out);
        c->gene.l = 0, kputs(gene, &c->gene);
        c->have = 1;
    }
    int absent;
    khint_t k = kh_put(cl_str, c->mirna, mirna, &absent);
    entry_t *e;
    if (absent) {
        kh_key(c->mirna, k) = tfm_strdup(mirna);
        size_t old = c->cap;
        TFM_GROW(c->e, c->cap, c->ne + 1);
        memset(c->e + old, 0, (c->cap - old) * sizeof *c->e);
        kh_val(c->mirna, k) = (int)c->ne;
        e = &c->e[c->ne++];
        e->n = 0;
    } else {
        e = &c->e[kh_val(c->mirna, k)];
    }
    if (e->n++ == 0 || score > e->score) { /* of equal scores the first transcript stays */
        e->score = score;
        e->line.l = 0;
        kputsn(line, len, &e->line);
    }
    return 0;
}
