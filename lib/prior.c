#include "prior.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

#include "tsv.h"
#include "util.h"

KHASH_MAP_INIT_STR(prior, double)

struct tfm_prior {
    tfm_metrics_prior_t *counts; /* the model's, or NULL */
    khash_t(prior) *table;       /* a user's file: key -> prior */
    int by_seq;                  /* keyed on mirna_seq (else mirna_id) */
    char *path;
};

/* Sequence key: upper case, T -> U (written into dst of at least strlen(s) + 1). */
static void seq_key(char *dst, const char *s)
{
    for (; *s; s++, dst++) {
        int c = toupper((unsigned char)*s);
        *dst = (char)(c == 'T' ? 'U' : c);
    }
    *dst = 0;
}

tfm_prior_t *tfm_prior_from_counts(tfm_metrics_prior_t *p)
{
    tfm_prior_t *r = tfm_calloc(1, sizeof *r);
    r->counts = p;
    r->by_seq = 1;
    return r;
}

tfm_prior_t *tfm_prior_load(const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) return NULL;
    int cp = tfm_tsv_need(t, "prior"), cs = tfm_tsv_col(t, "mirna_seq"), ci = tfm_tsv_col(t, "mirna_id");
    if (cp < 0) {
        tfm_tsv_close(t);
        return NULL;
    }
    if (cs < 0 && ci < 0) {
        tfm_fail("%s:1: needs a 'mirna_id' or 'mirna_seq' column beside 'prior'", t->name);
        tfm_tsv_close(t);
        return NULL;
    }
    tfm_prior_t *r = tfm_calloc(1, sizeof *r);
    r->table = kh_init(prior);
    r->by_seq = cs >= 0;
    r->path = tfm_strdup(t->name);
    int kc = r->by_seq ? cs : ci, rc;
    while ((rc = tfm_tsv_read(t)) == 1) {
        double v;
        if (tfm_parse_double(t->f[cp], &v) != 0 || !(v > 0 && v < 1)) {
            tfm_fail("%s:%ld: prior '%s' is not a probability strictly between 0 and 1", t->name, t->lineno, t->f[cp]);
            rc = -1;
            break;
        }
        if (!*t->f[kc]) {
            tfm_fail("%s:%ld: empty %s", t->name, t->lineno, t->cols[kc]);
            rc = -1;
            break;
        }
        char *key = tfm_strdup(t->f[kc]);
        if (r->by_seq) seq_key(key, t->f[kc]);
        int absent;
        khiter_t k = kh_put(prior, r->table, key, &absent);
        if (!absent) {
            double old = kh_val(r->table, k);
            free(key);
            if (old != v) {
                tfm_fail("%s:%ld: %s '%s' given two different priors (%g and %g)", t->name, t->lineno, t->cols[kc],
                         t->f[kc], old, v);
                rc = -1;
                break;
            }
            continue;
        }
        kh_val(r->table, k) = v;
    }
    tfm_tsv_close(t);
    if (rc < 0) {
        tfm_prior_free(r);
        return NULL;
    }
    if (kh_size(r->table) == 0) {
        tfm_fail("%s: no priors in the file", r->path);
        tfm_prior_free(r);
        return NULL;
    }
    return r;
}

int tfm_prior_lookup(const tfm_prior_t *p, const char *mirna_id, const char *mirna_seq, double *out)
{
    if (p->counts) {
        *out = tfm_metrics_prior_score(p->counts, mirna_seq);
        return 0;
    }
    const char *key = p->by_seq ? mirna_seq : mirna_id;
    char buf[256], *k = buf;
    size_t n = strlen(key);
    if (n >= sizeof buf) k = tfm_malloc(n + 1);
    if (p->by_seq) seq_key(k, key);
    else memcpy(k, key, n + 1);
    khiter_t it = kh_get(prior, p->table, k);
    if (k != buf) free(k);
    if (it == kh_end(p->table))
        return tfm_fail("%s '%s' has no prior in %s", p->by_seq ? "miRNA sequence" : "miRNA", key, p->path);
    *out = kh_val(p->table, it);
    return 0;
}

const char *tfm_prior_key(const tfm_prior_t *p) { return p->by_seq ? "mirna_seq" : "mirna_id"; }

void tfm_prior_free(tfm_prior_t *p)
{
    if (!p) return;
    if (p->table) {
        for (khiter_t k = kh_begin(p->table); k != kh_end(p->table); k++)
            if (kh_exist(p->table, k)) free((char *)kh_key(p->table, k));
        kh_destroy(prior, p->table);
    }
    tfm_metrics_prior_free(p->counts);
    free(p->path);
    free(p);
}
