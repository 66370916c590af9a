#include "evalset.h"

#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_MAP_INIT_STR(str2int, int)

int tfm_evalset_name(tfm_evalset_names_t *x, const char *s)
{
    if (!x->h) x->h = kh_init(str2int);
    khash_t(str2int) *h = x->h;
    int absent;
    khint_t k = kh_put(str2int, h, s, &absent);
    if (absent) {
        TFM_GROW(x->name, x->cap, (size_t)x->n + 1);
        x->name[x->n] = tfm_strdup(s);
        kh_key(h, k) = x->name[x->n]; /* the field buffer is reused by the next row */
        kh_val(h, k) = x->n++;
    }
    return kh_val(h, k);
}

void tfm_evalset_names_free(tfm_evalset_names_t *x)
{
    for (int i = 0; i < x->n; i++) free(x->name[i]);
    free(x->name);
    khash_t(str2int) *h = x->h;
    if (h) kh_destroy(str2int, h);
    memset(x, 0, sizeof *x);
}

const char *tfm_evalset_field(const tfm_tsv_t *t, int col)
{
    if (!t->flen[col]) {
        tfm_fail("%s:%ld: empty %s", t->name, t->lineno, t->cols[col]);
        return NULL;
    }
    return t->f[col];
}

int tfm_evalset_label(const tfm_tsv_t *t, int col)
{
    const char *v = t->f[col];
    if ((v[0] == '0' || v[0] == '1') && v[1] == 0) return v[0] - '0';
    return tfm_fail("%s:%ld: label '%s' is not 0 or 1", t->name, t->lineno, v);
}

int tfm_evalset_score(const tfm_tsv_t *t, int col, double *x)
{
    const char *v = tfm_evalset_field(t, col);
    if (!v) return -1;
    if (tfm_parse_double(v, x) != 0 || !isfinite(*x))
        return tfm_fail("%s:%ld: score '%s' is not a number", t->name, t->lineno, v);
    return 0;
}

static void grow(tfm_evalset_t *e)
{
    if (e->n < e->cap) return;
    size_t cap = e->cap;
    TFM_GROW(e->label, cap, e->n + 1);
    e->cap = cap;
    e->score = tfm_realloc(e->score, e->cap * sizeof *e->score);
    e->set = tfm_realloc(e->set, e->cap * sizeof *e->set);
    e->mirna = tfm_realloc(e->mirna, e->cap * sizeof *e->mirna);
    e->shuffled = tfm_realloc(e->shuffled, e->cap * sizeof *e->shuffled);
    e->twin = tfm_realloc(e->twin, e->cap * sizeof *e->twin);
    e->line = tfm_realloc(e->line, e->cap * sizeof *e->line);
    e->twin_key = tfm_realloc(e->twin_key, e->cap * sizeof *e->twin_key);
}

/* Control rows of tfm-decoy: pair every real row with the shuffled row of the same (set, twin);
 * afterwards e->twin[i] is the index of row i's partner. */
static int match_twins(tfm_evalset_t *e, const tfm_tsv_t *t)
{
    khash_t(str2int) *twins = e->twins;
    for (size_t i = 0; i < e->n; i++) {
        khint_t k = kh_get(str2int, twins, e->twin_key[i]);
        size_t j = (size_t)kh_val(twins, k); /* the first row of this twin */
        if (j != i && e->twin[j] < 0 && e->shuffled[j] != e->shuffled[i]) {
            e->twin[j] = (long)i, e->twin[i] = (long)j;
            continue;
        }
        if (j == i) continue;
        const char *tw = strchr(e->twin_key[i], '\t') + 1;
        return tfm_fail("%s:%ld: twin '%s'%s%s: a second %s row", t->name, e->line[i], tw,
                        e->grouped ? " of set " : "", e->grouped ? e->sets.name[e->set[i]] : "",
                        e->shuffled[i] ? "shuffled" : "real");
    }
    for (size_t i = 0; i < e->n; i++) {
        if (e->twin[i] >= 0) continue;
        const char *tw = strchr(e->twin_key[i], '\t') + 1;
        return tfm_fail("%s:%ld: twin '%s'%s%s has no %s row", t->name, e->line[i], tw, e->grouped ? " of set " : "",
                        e->grouped ? e->sets.name[e->set[i]] : "", e->shuffled[i] ? "real" : "shuffled");
    }
    return 0;
}

/* One row into e->...[e->n]; -1 with a message. */
static int read_row(tfm_evalset_t *e, const tfm_tsv_t *t, int clab, int cscore, int cset, int cmir, int cctl,
                    int ctwin, kstring_t *key)
{
    size_t i = e->n;
    const char *v;
    int x;
    if (cmir < 0) e->mirna[i] = 0;
    else if (!(v = tfm_evalset_field(t, cmir))) return -1;
    else e->mirna[i] = tfm_evalset_name(&e->mirnas, v);
    if ((x = tfm_evalset_label(t, clab)) < 0) return -1;
    e->label[i] = (unsigned char)x;
    e->score[i] = 0;
    if (cscore >= 0 && tfm_evalset_score(t, cscore, &e->score[i]) < 0) return -1;
    if (cset < 0) e->set[i] = 0;
    else if (!(v = tfm_evalset_field(t, cset))) return -1;
    else e->set[i] = tfm_evalset_name(&e->sets, v);
    e->line[i] = t->lineno;
    e->shuffled[i] = 0, e->twin[i] = -1, e->twin_key[i] = NULL;
    if (cctl >= 0) {
        v = t->f[cctl];
        if (strcmp(v, "shuffled") == 0) e->shuffled[i] = 1;
        else if (strcmp(v, "real") != 0)
            return tfm_fail("%s:%ld: control '%s' is not real or shuffled", t->name, t->lineno, v);
        if (!(v = tfm_evalset_field(t, ctwin))) return -1;
        key->l = 0;
        ksprintf(key, "%d\t%s", e->set[i], v);
        khash_t(str2int) *twins = e->twins;
        int absent;
        khint_t k = kh_put(str2int, twins, key->s, &absent);
        if (absent) kh_key(twins, k) = tfm_strdup(key->s), kh_val(twins, k) = (int)i;
        e->twin_key[i] = kh_key(twins, k);
    }
    e->n++;
    return 0;
}

int tfm_evalset_read(tfm_evalset_t *e, tfm_tsv_t *t, const char *by, int prior)
{
    memset(e, 0, sizeof *e);
    int clab = tfm_tsv_need(t, "label");
    if (clab < 0) return -1;
    /* `score` is optional only with a prior: the baseline alone is then evaluated. */
    int cscore = tfm_tsv_col(t, "score");
    if (cscore < 0 && !prior && tfm_tsv_need(t, "score") < 0) return -1;
    int cseq = -1;
    if (prior && (cseq = tfm_tsv_need(t, "mirna_seq")) < 0) return -1;
    int cset = by ? tfm_tsv_need(t, by) : tfm_tsv_col(t, "set");
    if (by && cset < 0) return -1;
    /* miRNAs for the within-miRNA AUC: by sequence (ids have aliases), else by id */
    int cmir = cseq >= 0 ? cseq : tfm_tsv_col(t, "mirna_seq");
    if (cmir < 0) cmir = tfm_tsv_col(t, "mirna_id");
    /* tfm-decoy's shuffled-miRNA control */
    int cctl = tfm_tsv_col(t, "control"), ctwin = -1;
    if (cctl >= 0 && (ctwin = tfm_tsv_need(t, "twin")) < 0) return -1;
    e->has_score = cscore >= 0, e->grouped = cset >= 0, e->has_mirna = cmir >= 0, e->control = cctl >= 0;
    if (e->control) e->twins = kh_init(str2int); /* "SET<TAB>twin" -> the first row of that twin */

    kstring_t key = {0};
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        grow(e);
        if (read_row(e, t, clab, cscore, cset, cmir, cctl, ctwin, &key) < 0) break;
    }
    free(key.s);
    if (r != 0) return -1;
    if (e->n == 0) return tfm_fail("%s:1: no data rows", t->name);
    return e->control ? match_twins(e, t) : 0;
}

void tfm_evalset_free(tfm_evalset_t *e)
{
    free(e->score), free(e->label), free(e->set), free(e->mirna);
    free(e->shuffled), free(e->twin), free(e->line), free(e->twin_key);
    tfm_evalset_names_free(&e->sets), tfm_evalset_names_free(&e->mirnas);
    khash_t(str2int) *twins = e->twins;
    if (twins) {
        for (khint_t k = 0; k < kh_end(twins); k++)
            if (kh_exist(twins, k)) free((char *)kh_key(twins, k));
        kh_destroy(str2int, twins);
    }
    memset(e, 0, sizeof *e);
}
