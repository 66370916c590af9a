#include "prior.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

#include "detmath.h"
#include "tsv.h"
#include "util.h"

KHASH_MAP_INIT_STR(prior, double)

struct tfm_prior {
    tfm_metrics_prior_t *counts; /* the model's, or NULL */
    int fitted;                  /* the counts' Beta(a, b) was fitted (else (pos+1)/(n+2)) */
    double a, b;
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

/* The tallies of m miRNAs as counts over i: ca[i] miRNAs have more than i positive sites, cb[i]
 * more than i negative ones, cn[i] more than i sites; the beta-binomial log likelihood is then
 * sum_i ca[i] log(a+i) + cb[i] log(b+i) - cn[i] log(a+b+i), constants dropped. */
#define TALLY_MAX (1L << 16) /* miRAW's largest is 9,090; a fit costs O(iterations x TALLY_MAX) */

typedef struct {
    size_t len;
    double *ca, *cb, *cn;
} tallies_t;

static double loglik(const tallies_t *t, double a, double b)
{
    double l = 0;
    for (size_t i = 0; i < t->len; i++) {
        double x = (double)i;
        if (t->ca[i] != 0) l += t->ca[i] * tfm_log(a + x);
        if (t->cb[i] != 0) l += t->cb[i] * tfm_log(b + x);
        l -= t->cn[i] * tfm_log(a + b + x);
    }
    return l;
}

int tfm_prior_fit_beta(const long *pos, const long *n, size_t m, double *a_out, double *b_out)
{
    long len = 0, informative = 0, any_pos = 0, any_neg = 0;
    for (size_t j = 0; j < m; j++) {
        if (n[j] < 1 || pos[j] < 0 || pos[j] > n[j]) return -1;
        if (n[j] > len) len = n[j];
        informative += n[j] >= 2;
        any_pos |= pos[j] > 0, any_neg |= pos[j] < n[j];
    }
    if (informative == 0) return -1; /* with single sites only, a and b are not identifiable */
    /* one tally (the binomial limit a, b -> inf beats every Beta) or one class in all of them
     * (a or b -> 0): the maximum lies on the boundary, so no search */
    if (m < 2 || !any_pos || !any_neg) return -1;
    if (len > TALLY_MAX) return -1;  /* the tables below have one entry per site of the largest tally */
    tallies_t t = {(size_t)len, tfm_calloc((size_t)len, sizeof(double)), tfm_calloc((size_t)len, sizeof(double)),
                   tfm_calloc((size_t)len, sizeof(double))};
    /* counts of tallies ending at each i, then suffix sums: O(m + len), not O(total sites) */
    for (size_t j = 0; j < m; j++) {
        if (pos[j] > 0) t.ca[pos[j] - 1]++;
        if (n[j] > pos[j]) t.cb[n[j] - pos[j] - 1]++;
        t.cn[n[j] - 1]++;
    }
    for (long i = len - 2; i >= 0; i--) t.ca[i] += t.ca[i + 1], t.cb[i] += t.cb[i + 1], t.cn[i] += t.cn[i + 1];
    /* Newton on (u, v) = (log a, log b), from a = b = 1, each step halved until the likelihood
     * rises. */
    double u = 0, v = 0, L = loglik(&t, 1, 1);
    int ok = 0;
    for (int it = 0; it < 200 && !ok; it++) {
        double a = tfm_exp(u), b = tfm_exp(v), ga = 0, gb = 0, haa = 0, hbb = 0, s2 = 0;
        for (size_t i = 0; i < t.len; i++) {
            double x = (double)i, ra = 1 / (a + x), rb = 1 / (b + x), rn = 1 / (a + b + x);
            ga += t.ca[i] * ra - t.cn[i] * rn;
            gb += t.cb[i] * rb - t.cn[i] * rn;
            haa -= t.ca[i] * ra * ra;
            hbb -= t.cb[i] * rb * rb;
            s2 += t.cn[i] * rn * rn;
        }
        double gu = a * ga, gv = b * gb;
        double huu = gu + a * a * (haa + s2), hvv = gv + b * b * (hbb + s2), huv = a * b * s2;
        /* Where the Hessian is not negative definite (a ridge toward large a and b), shift it
         * below its largest eigenvalue (Levenberg-Marquardt): the step still climbs, and does
         * not zigzag across the ridge as the plain gradient does. */
        double half = (huu - hvv) / 2, emax = (huu + hvv) / 2 + sqrt(half * half + huv * huv);
        int newton = emax < 0;
        if (!newton) {
            double ahu = huu < 0 ? -huu : huu, ahv = hvv < 0 ? -hvv : hvv, lam = 1e-3 * (ahu + ahv);
            lam = emax + (lam > 1e-6 ? lam : 1e-6);
            huu -= lam, hvv -= lam;
        }
        double det = huu * hvv - huv * huv;
        double du = -(hvv * gu - huv * gv) / det, dv = -(huu * gv - huv * gu) / det;
        double big = du < 0 ? -du : du, bv = dv < 0 ? -dv : dv;
        if (bv > big) big = bv;
        if (newton && big < 0.01) { /* near the maximum: full Newton steps, converging on the gradient */
            u += du, v += dv;
            if (big < 1e-10) ok = 1;
            L = loglik(&t, tfm_exp(u), tfm_exp(v));
            continue;
        }
        if (big > 2) du *= 2 / big, dv *= 2 / big; /* at most a factor e^2 per step */
        double step = 1;
        for (; step > 1e-12; step /= 2) {
            double l = loglik(&t, tfm_exp(u + step * du), tfm_exp(v + step * dv));
            if (l > L) {
                L = l;
                break;
            }
        }
        if (step <= 1e-12) break; /* no rise along an ascent direction far from the maximum */
        u += step * du, v += step * dv;
        if (u < -30 || u > 30 || v < -30 || v > 30) break; /* running to a boundary: no interior maximum */
    }
    free(t.ca);
    free(t.cb);
    free(t.cn);
    if (!ok || u < -30 || u > 30 || v < -30 || v > 30) return -1;
    *a_out = tfm_exp(u), *b_out = tfm_exp(v);
    return 0;
}

tfm_prior_t *tfm_prior_from_counts(tfm_metrics_prior_t *p)
{
    tfm_prior_t *r = tfm_calloc(1, sizeof *r);
    r->counts = p;
    r->by_seq = 1;
    size_t m = (size_t)tfm_metrics_prior_mirnas(p);
    long *pos = tfm_malloc(sizeof *pos * (m + 1)), *n = tfm_malloc(sizeof *n * (m + 1));
    tfm_metrics_prior_tallies(p, pos, n);
    r->fitted = tfm_prior_fit_beta(pos, n, m, &r->a, &r->b) == 0;
    free(pos);
    free(n);
    return r;
}

int tfm_prior_beta(const tfm_prior_t *p, double *a, double *b)
{
    if (!p->fitted) return -1;
    *a = p->a, *b = p->b;
    return 0;
}

tfm_prior_t *tfm_prior_load(const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    return t ? tfm_prior_read(t) : NULL;
}

tfm_prior_t *tfm_prior_read(tfm_tsv_t *t)
{
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
        if (r->by_seq && strspn(key, "ACGU") != strlen(key)) { /* it could never match an input */
            tfm_fail("%s:%ld: mirna_seq '%s' is not an RNA sequence (letters ACGU or T)", t->name, t->lineno, t->f[kc]);
            free(key);
            rc = -1;
            break;
        }
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
        long pos, n = tfm_metrics_prior_count(p->counts, mirna_seq, &pos);
        /* the fallback: (pos+1)/(n+2), the pooled rate for an unseen miRNA (tfm-acc's baseline) */
        *out = p->fitted ? ((double)pos + p->a) / ((double)n + p->a + p->b) : tfm_metrics_prior_score(p->counts, mirna_seq);
        return n == 0;
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
