#include "evalset.h"

#include <htslib/khash.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_MAP_INIT_STR(name2i, int)

/* A 0/1 label into *out; -1 with a message otherwise. */
static int parse_label(const tfm_tsv_t *t, int col, unsigned char *out)
{
    const char *v = t->f[col];
    if ((v[0] == '0' || v[0] == '1') && v[1] == 0) return *out = (unsigned char)(v[0] - '0'), 0;
    return tfm_fail("%s:%ld: label '%s' is not 0 or 1", t->name, t->lineno, v);
}

static const char *need_field(const tfm_tsv_t *t, int col)
{
    if (t->flen[col]) return t->f[col];
    tfm_fail("%s:%ld: empty %s", t->name, t->lineno, t->cols[col]);
    return NULL;
}

/* Index of name in h (names in *names, which grows), a new one when unseen. */
static int name_index(khash_t(name2i) *h, char ***names, size_t *cap, int *n, const char *name)
{
    int absent;
    khint_t k = kh_put(name2i, h, name, &absent);
    if (absent) {
        TFM_GROW(*names, *cap, (size_t)*n + 1);
        (*names)[*n] = tfm_strdup(name);
        kh_key(h, k) = (*names)[*n]; /* the field buffer is reused by the next row */
        kh_val(h, k) = (*n)++;
    }
    return kh_val(h, k);
}

tfm_metrics_prior_t *tfm_evalset_prior(tfm_tsv_t *t)
{
    int cseq = tfm_tsv_need(t, "mirna_seq"), clab = tfm_tsv_need(t, "label"), r;
    if (cseq < 0 || clab < 0) return NULL;
    tfm_metrics_prior_t *p = tfm_metrics_prior_new();
    const char *seq;
    unsigned char lab = 0;
    while ((r = tfm_tsv_read(t)) == 1) {
        if (!(seq = need_field(t, cseq)) || parse_label(t, clab, &lab) < 0) break;
        tfm_metrics_prior_add(p, seq, lab);
    }
    if (r == 0 && !tfm_metrics_prior_sites(p)) tfm_fail("%s:1: no training sites", t->name);
    if (r != 0 || !tfm_metrics_prior_sites(p)) {
        tfm_metrics_prior_free(p);
        return NULL;
    }
    return p;
}

/* One row into e: 0 or -1. */
static int read_row(tfm_evalset_t *e, const tfm_tsv_t *t, int clab, int cscore, int cseq, int cset, int cmir,
                    const tfm_metrics_prior_t *prior)
{
    if (e->n == e->cap) {
        size_t cap = e->cap;
        TFM_GROW(e->label, cap, e->n + 1);
        e->cap = cap;
        e->score = tfm_realloc(e->score, e->cap * sizeof *e->score);
        e->prior = tfm_realloc(e->prior, e->cap * sizeof *e->prior);
        e->set = tfm_realloc(e->set, e->cap * sizeof *e->set);
        e->mirna = tfm_realloc(e->mirna, e->cap * sizeof *e->mirna);
    }
    size_t i = e->n;
    const char *v;
    e->mirna[i] = e->set[i] = 0;
    e->score[i] = e->prior[i] = 0;
    if (cmir >= 0) {
        if (!(v = need_field(t, cmir))) return -1;
        e->mirna[i] = name_index(e->mirnas, &e->mirna_name, &e->mirna_cap, &e->nmirnas, v);
    }
    if (parse_label(t, clab, &e->label[i]) < 0) return -1;
    if (cscore >= 0) {
        if (!(v = need_field(t, cscore))) return -1;
        if (tfm_parse_double(v, &e->score[i]) != 0 || !isfinite(e->score[i]))
            return tfm_fail("%s:%ld: score '%s' is not a number", t->name, t->lineno, v);
    }
    if (prior) {
        if (!(v = need_field(t, cseq))) return -1;
        e->prior[i] = tfm_metrics_prior_score(prior, v);
    }
    if (cset >= 0) {
        if (!(v = need_field(t, cset))) return -1;
        e->set[i] = name_index(e->sets, &e->set_name, &e->set_cap, &e->nsets, v);
    }
    e->n++;
    return 0;
}

int tfm_evalset_read(tfm_evalset_t *e, tfm_tsv_t *t, const char *by, const tfm_metrics_prior_t *prior)
{
    memset(e, 0, sizeof *e);
    e->sets = kh_init(name2i);
    e->mirnas = kh_init(name2i);
    int clab = tfm_tsv_need(t, "label");
    if (clab < 0) return -1;
    /* `score` is optional only with a prior: the baseline alone is then evaluated */
    int cscore = tfm_tsv_col(t, "score");
    if (cscore < 0 && !prior) return tfm_tsv_need(t, "score");
    int cseq = -1;
    if (prior && (cseq = tfm_tsv_need(t, "mirna_seq")) < 0) return -1;
    int cset = by ? tfm_tsv_need(t, by) : tfm_tsv_col(t, "set");
    if (by && cset < 0) return -1;
    /* miRNAs for the within-miRNA AUC: by sequence (ids have aliases), else by id */
    int cmir = cseq >= 0 ? cseq : tfm_tsv_col(t, "mirna_seq");
    if (cmir < 0) cmir = tfm_tsv_col(t, "mirna_id");
    e->has_score = cscore >= 0, e->has_mirna = cmir >= 0, e->grouped = cset >= 0;
    e->nsets = e->grouped ? 0 : 1;
    int r;
    while ((r = tfm_tsv_read(t)) == 1)
        if (read_row(e, t, clab, cscore, cseq, cset, cmir, prior) < 0) return -1;
    if (r < 0) return -1;
    return e->n ? 0 : tfm_fail("%s:1: no data rows", t->name);
}

void tfm_evalset_free(tfm_evalset_t *e)
{
    for (int i = 0; i < e->nmirnas; i++) free(e->mirna_name[i]);
    if (e->grouped)
        for (int i = 0; i < e->nsets; i++) free(e->set_name[i]);
    free(e->mirna_name);
    free(e->set_name);
    if (e->mirnas) kh_destroy(name2i, e->mirnas);
    if (e->sets) kh_destroy(name2i, e->sets);
    free(e->score);
    free(e->prior);
    free(e->label);
    free(e->set);
    free(e->mirna);
    memset(e, 0, sizeof *e);
}
