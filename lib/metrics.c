#include "metrics.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- confusion counts and rates ---- */

static double ratio(double num, double den) { return den > 0 ? num / den : NAN; }

void tfm_metrics_confusion(const double *score, const unsigned char *label, size_t n, double threshold,
                           tfm_metrics_t *m)
{
    m->n = (long)n;
    m->threshold = threshold;
    m->pos = m->neg = m->tp = m->fp = m->tn = m->fn = 0;
    for (size_t i = 0; i < n; i++) {
        int pred = score[i] >= threshold;
        if (label[i]) {
            m->pos++;
            if (pred) m->tp++; else m->fn++;
        } else {
            m->neg++;
            if (pred) m->fp++; else m->tn++;
        }
    }
}

/* ---- sorting once for AUC, AP and curves ---- */

typedef struct {
    double s;
    int l;
} item_t;

static int cmp_desc(const void *a, const void *b)
{
    double x = ((const item_t *)a)->s, y = ((const item_t *)b)->s;
    return (x < y) - (x > y);
}

static item_t *sort_desc(const double *score, const unsigned char *label, size_t n)
{
    item_t *it = tfm_malloc((n ? n : 1) * sizeof *it);
    for (size_t i = 0; i < n; i++) it[i] = (item_t){score[i], label[i] != 0};
    qsort(it, n, sizeof *it, cmp_desc);
    return it;
}

/* Walk tie groups from the highest score down; after group g, (tp[g], fp[g]) are the
 * cumulative counts of positives and negatives with score >= that group's score. Returns the
 * number of groups; tp/fp are allocated. */
static size_t groups(const double *score, const unsigned char *label, size_t n, long **tp, long **fp)
{
    item_t *it = sort_desc(score, label, n);
    *tp = tfm_malloc((n ? n : 1) * sizeof **tp);
    *fp = tfm_malloc((n ? n : 1) * sizeof **fp);
    size_t ng = 0;
    long t = 0, f = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        for (; j < n && it[j].s == it[i].s; j++) {
            if (it[j].l) t++; else f++;
        }
        (*tp)[ng] = t;
        (*fp)[ng++] = f;
        i = j;
    }
    free(it);
    return ng;
}

double tfm_metrics_roc_auc(const double *score, const unsigned char *label, size_t n)
{
    long *tp, *fp;
    size_t ng = groups(score, label, n, &tp, &fp);
    double auc = NAN;
    long P = ng ? tp[ng - 1] : 0, N = ng ? fp[ng - 1] : 0;
    if (P > 0 && N > 0) {
        /* Count (positive, negative) pairs ranked correctly, ties 1/2: each group's negatives
         * are beaten by the positives above it and tie with the positives inside it. The
         * sum is an integer or a half-integer, exact in a double below 2^52. */
        double u = 0;
        long tprev = 0, fprev = 0;
        for (size_t g = 0; g < ng; g++) {
            double dn = (double)(fp[g] - fprev), dp = (double)(tp[g] - tprev);
            u += dn * (double)tprev + 0.5 * dn * dp;
            tprev = tp[g];
            fprev = fp[g];
        }
        auc = u / ((double)P * (double)N);
    }
    free(tp);
    free(fp);
    return auc;
}

double tfm_metrics_average_precision(const double *score, const unsigned char *label, size_t n)
{
    long *tp, *fp;
    size_t ng = groups(score, label, n, &tp, &fp);
    long P = ng ? tp[ng - 1] : 0;
    double ap = NAN;
    if (P > 0) {
        /* sum of (new positives) x precision, divided by P once: each term is at most its new
         * positives, so rounding cannot lift the sum past P (recall steps of 1/P each rounded
         * made AP = 1.0000000000000002 when every precision was 1; found by fuzz_acc) */
        double sum = 0;
        long tprev = 0;
        for (size_t g = 0; g < ng; g++) {
            if (tp[g] == tprev) continue; /* recall did not move: no area */
            double prec = (double)tp[g] / (double)(tp[g] + fp[g]);
            sum += (double)(tp[g] - tprev) * prec;
            tprev = tp[g];
        }
        ap = sum / (double)P;
    }
    free(tp);
    free(fp);
    return ap;
}

void tfm_metrics_compute(const double *score, const unsigned char *label, size_t n, double threshold,
                         tfm_metrics_t *m)
{
    tfm_metrics_confusion(score, label, n, threshold, m);
    m->accuracy = ratio((double)(m->tp + m->tn), (double)n);
    m->precision = ratio((double)m->tp, (double)(m->tp + m->fp));
    m->recall = ratio((double)m->tp, (double)m->pos);
    m->specificity = ratio((double)m->tn, (double)m->neg);
    /* 2tp/(2tp+fp+fn) equals the harmonic mean where both exist, and stays defined when
     * precision is not (no predicted positives, but positives exist: F1 = 0, as sklearn). */
    m->f1 = ratio(2.0 * (double)m->tp, (double)(2 * m->tp + m->fp + m->fn));
    m->roc_auc = tfm_metrics_roc_auc(score, label, n);
    m->pr_auc = tfm_metrics_average_precision(score, label, n);
}

/* ---- curves ---- */

size_t tfm_metrics_roc_curve(const double *score, const unsigned char *label, size_t n, double **x, double **y)
{
    long *tp, *fp;
    size_t ng = groups(score, label, n, &tp, &fp);
    long P = ng ? tp[ng - 1] : 0, N = ng ? fp[ng - 1] : 0;
    *x = *y = NULL;
    size_t np = 0;
    if (P > 0 && N > 0) {
        *x = tfm_malloc((ng + 1) * sizeof **x);
        *y = tfm_malloc((ng + 1) * sizeof **y);
        (*x)[0] = (*y)[0] = 0;
        np = 1;
        for (size_t g = 0; g < ng; g++, np++) {
            (*x)[np] = (double)fp[g] / (double)N;
            (*y)[np] = (double)tp[g] / (double)P;
        }
    }
    free(tp);
    free(fp);
    return np;
}

size_t tfm_metrics_pr_curve(const double *score, const unsigned char *label, size_t n, double **x, double **y)
{
    long *tp, *fp;
    size_t ng = groups(score, label, n, &tp, &fp);
    long P = ng ? tp[ng - 1] : 0;
    *x = *y = NULL;
    size_t np = 0;
    if (P > 0) {
        *x = tfm_malloc((ng + 1) * sizeof **x);
        *y = tfm_malloc((ng + 1) * sizeof **y);
        (*x)[0] = 0;
        (*y)[0] = 1;
        np = 1;
        for (size_t g = 0; g < ng; g++, np++) {
            (*x)[np] = (double)tp[g] / (double)P;
            (*y)[np] = (double)tp[g] / (double)(tp[g] + fp[g]);
        }
    }
    free(tp);
    free(fp);
    return np;
}

/* ---- miRNA prior: a small open-addressing table keyed by normalised sequence ---- */

typedef struct {
    char *key; /* NULL: empty slot */
    long pos, n;
} prior_slot_t;

struct tfm_metrics_prior {
    prior_slot_t *slot;
    size_t cap, used; /* cap is a power of two */
    long pos, n;
};

static char *norm_seq(const char *s)
{
    char *k = tfm_strdup(s);
    for (char *p = k; *p; p++) {
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        if (*p == 'T') *p = 'U';
    }
    return k;
}

static prior_slot_t *find_slot(prior_slot_t *slot, size_t cap, const char *key)
{
    size_t i = (size_t)tfm_fnv1a64(key) & (cap - 1);
    while (slot[i].key && strcmp(slot[i].key, key) != 0) i = (i + 1) & (cap - 1);
    return &slot[i];
}

tfm_metrics_prior_t *tfm_metrics_prior_new(void)
{
    tfm_metrics_prior_t *p = tfm_calloc(1, sizeof *p);
    p->cap = 64;
    p->slot = tfm_calloc(p->cap, sizeof *p->slot);
    return p;
}

static void prior_add_n(tfm_metrics_prior_t *p, const char *mirna_seq, long pos, long n)
{
    if (2 * (p->used + 1) > p->cap) { /* keep the load below 1/2 */
        size_t cap = 2 * p->cap;
        prior_slot_t *slot = tfm_calloc(cap, sizeof *slot);
        for (size_t i = 0; i < p->cap; i++)
            if (p->slot[i].key) *find_slot(slot, cap, p->slot[i].key) = p->slot[i];
        free(p->slot);
        p->slot = slot;
        p->cap = cap;
    }
    char *k = norm_seq(mirna_seq);
    prior_slot_t *s = find_slot(p->slot, p->cap, k);
    if (s->key) {
        free(k);
    } else {
        s->key = k;
        p->used++;
    }
    s->n += n, s->pos += pos;
    p->n += n, p->pos += pos;
}

void tfm_metrics_prior_add(tfm_metrics_prior_t *p, const char *mirna_seq, int label)
{
    prior_add_n(p, mirna_seq, label != 0, 1);
}

static const prior_slot_t *prior_find(const tfm_metrics_prior_t *p, const char *mirna_seq)
{
    char *k = norm_seq(mirna_seq);
    const prior_slot_t *s = find_slot(p->slot, p->cap, k);
    free(k);
    return s->key ? s : NULL;
}

double tfm_metrics_prior_score(const tfm_metrics_prior_t *p, const char *mirna_seq)
{
    const prior_slot_t *s = prior_find(p, mirna_seq);
    if (s) return ((double)s->pos + 1) / ((double)s->n + 2);
    return p->n ? (double)p->pos / (double)p->n : 0.5;
}

long tfm_metrics_prior_count(const tfm_metrics_prior_t *p, const char *mirna_seq, long *pos)
{
    const prior_slot_t *s = prior_find(p, mirna_seq);
    *pos = s ? s->pos : 0;
    return s ? s->n : 0;
}

long tfm_metrics_prior_sites(const tfm_metrics_prior_t *p) { return p->n; }
long tfm_metrics_prior_mirnas(const tfm_metrics_prior_t *p) { return (long)p->used; }

void tfm_metrics_prior_free(tfm_metrics_prior_t *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->cap; i++) free(p->slot[i].key);
    free(p->slot);
    free(p);
}

/* ---- SVG ---- */

typedef struct {
    char *s;
    size_t len, cap;
} sbuf_t;

static void sb_printf(sbuf_t *b, const char *fmt, ...) TFM_PRINTF(2, 3);
static void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->len : NULL, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (k < 0) return;
        if (b->len + (size_t)k < b->cap) {
            b->len += (size_t)k;
            return;
        }
        TFM_GROW(b->s, b->cap, b->len + (size_t)k + 1024);
    }
}

static void sb_xml(sbuf_t *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_printf(b, "&amp;"); break;
        case '<': sb_printf(b, "&lt;"); break;
        case '>': sb_printf(b, "&gt;"); break;
        case '"': sb_printf(b, "&quot;"); break;
        default: sb_printf(b, "%c", *s);
        }
    }
}

/* Tableau 10, the matplotlib default cycle: readers know these colours. */
static const char *const palette[10] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

enum { W = 720, H = 460, PX = 70, PY = 30, PW = 360, PH = 360 };

static double sx(double x) { return PX + x * PW; }
static double sy(double y) { return PY + (1 - y) * PH; }

char *tfm_metrics_svg_plot(const tfm_metrics_series_t *s, int ns, const char *title, const char *xlabel,
                           const char *ylabel, int diagonal)
{
    sbuf_t b = {0};
    int h = PY + 20 + 18 * ns > H ? PY + 20 + 18 * ns : H; /* room for a long legend */
    sb_printf(&b,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
              "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
              "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
              W, h, W, h, W, h);
    sb_printf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\">", PX + PW / 2, PY - 10);
    sb_xml(&b, title);
    sb_printf(&b, "</text>\n");
    /* grid and ticks */
    for (int i = 0; i <= 5; i++) {
        double v = i / 5.0;
        sb_printf(&b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e5e5\"/>\n", sx(v), PY, sx(v),
                  PY + PH);
        sb_printf(&b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n", PX, sy(v),
                  PX + PW, sy(v));
        sb_printf(&b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>\n", sx(v), PY + PH + 16, v);
        sb_printf(&b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n", PX - 6, sy(v) + 4, v);
    }
    sb_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>\n", PX, PY,
              PW, PH);
    sb_printf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", PX + PW / 2, PY + PH + 38);
    sb_xml(&b, xlabel);
    sb_printf(&b, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">",
              PX - 40, PY + PH / 2, PX - 40, PY + PH / 2);
    sb_xml(&b, ylabel);
    sb_printf(&b, "</text>\n");
    if (diagonal)
        sb_printf(&b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999999\" "
                  "stroke-dasharray=\"2,3\"/>\n",
                  sx(0), sy(0), sx(1), sy(1));
    for (int k = 0; k < ns; k++) {
        const char *col = palette[s[k].color % 10];
        sb_printf(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"", col,
                  s[k].dashed ? " stroke-dasharray=\"6,3\"" : "");
        /* Skip points closer than a quarter pixel to the last one drawn: a million-row input
         * must not give a million-point polyline. The last point is always drawn. */
        double lx = -1e9, ly = -1e9;
        int first = 1;
        for (size_t i = 0; i < s[k].n; i++) {
            for (int corner = s[k].step && i > 0; corner >= 0; corner--) {
                double px = sx(corner ? s[k].x[i - 1] : s[k].x[i]), py = sy(s[k].y[i]);
                if (!first && (corner || i + 1 < s[k].n) && fabs(px - lx) < 0.25 && fabs(py - ly) < 0.25)
                    continue;
                sb_printf(&b, "%s%.2f,%.2f", first ? "" : " ", px, py);
                lx = px;
                ly = py;
                first = 0;
            }
        }
        sb_printf(&b, "\"/>\n");
        /* legend to the right of the plot, one line per series */
        double ly0 = PY + 10 + 18.0 * k;
        sb_printf(&b,
                  "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n"
                  "<text x=\"%d\" y=\"%.1f\">",
                  PX + PW + 15, ly0, PX + PW + 40, ly0, col, s[k].dashed ? " stroke-dasharray=\"6,3\"" : "",
                  PX + PW + 46, ly0 + 4);
        sb_xml(&b, s[k].name ? s[k].name : "");
        sb_printf(&b, "</text>\n");
    }
    sb_printf(&b, "</svg>\n");
    return b.s;
}

const char *tfm_metrics_fmt(double v, char *buf)
{
    if (isnan(v)) return strcpy(buf, "nan");
    snprintf(buf, 16, "%.4f", v);
    return buf;
}

typedef struct {
    int group;
    double score;
    unsigned char label;
} grouped_t;

static int cmp_grouped(const void *a, const void *b)
{
    const grouped_t *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return (x->score > y->score) - (x->score < y->score);
}

double tfm_metrics_grouped_auc(const double *score, const unsigned char *label, const int *group, size_t n)
{
    grouped_t *g = tfm_malloc((n ? n : 1) * sizeof *g);
    for (size_t i = 0; i < n; i++) g[i] = (grouped_t){group[i], score[i], label[i]};
    qsort(g, n, sizeof *g, cmp_grouped);
    double u = 0, pairs = 0;
    for (size_t i = 0; i < n;) { /* one group, ascending scores */
        double neg_below = 0, pos = 0, neg = 0;
        size_t j = i;
        while (j < n && g[j].group == g[i].group) {
            double bp = 0, bn = 0; /* a block of tied scores */
            size_t k = j;
            for (; k < n && g[k].group == g[i].group && g[k].score == g[j].score; k++) g[k].label ? bp++ : bn++;
            u += bp * (neg_below + 0.5 * bn);
            neg_below += bn, pos += bp, neg += bn;
            j = k;
        }
        pairs += pos * neg;
        i = j;
    }
    free(g);
    return pairs > 0 ? u / pairs : NAN;
}

void tfm_metrics_paired(const double *real, const double *shuf, const unsigned char *label, size_t n,
                        double threshold, double *win, double *shuf_pos)
{
    double w = 0, pos = 0, above = 0;
    for (size_t i = 0; i < n; i++) {
        above += shuf[i] >= threshold;
        if (!label[i]) continue;
        pos++;
        w += real[i] > shuf[i] ? 1 : real[i] == shuf[i] ? 0.5 : 0;
    }
    *win = ratio(w, pos);
    *shuf_pos = ratio(above, (double)n);
}

typedef struct {
    double v;
    size_t i;
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
    double x = ((const ranked_t *)a)->v, y = ((const ranked_t *)b)->v;
    return (x > y) - (x < y);
}

/* Average ranks (1-based) of v into r. */
static void ranks(const double *v, size_t n, double *r)
{
    ranked_t *t = tfm_malloc((n ? n : 1) * sizeof *t);
    for (size_t i = 0; i < n; i++) t[i] = (ranked_t){v[i], i};
    qsort(t, n, sizeof *t, cmp_ranked);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && t[j].v == t[i].v) j++;
        for (size_t k = i; k < j; k++) r[t[k].i] = (double)(i + j + 1) / 2; /* mean of ranks i+1..j */
        i = j;
    }
    free(t);
}

double tfm_metrics_spearman(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    double *rx = tfm_malloc(n * sizeof *rx), *ry = tfm_malloc(n * sizeof *ry);
    ranks(x, n, rx);
    ranks(y, n, ry);
    double m = (double)(n + 1) / 2, sxy = 0, sxx = 0, syy = 0; /* both rank sets have mean (n+1)/2 */
    for (size_t i = 0; i < n; i++) {
        double a = rx[i] - m, b = ry[i] - m;
        sxy += a * b, sxx += a * a, syy += b * b;
    }
    free(rx);
    free(ry);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

static int cmp_slot_key(const void *a, const void *b)
{
    return strcmp((*(const prior_slot_t *const *)a)->key, (*(const prior_slot_t *const *)b)->key);
}

/* The used slots sorted by key (p->used of them; free() the array). */
static const prior_slot_t **sorted_slots(const tfm_metrics_prior_t *p)
{
    const prior_slot_t **v = tfm_malloc(sizeof *v * (p->used + 1));
    size_t n = 0;
    for (size_t i = 0; i < p->cap; i++)
        if (p->slot[i].key) v[n++] = &p->slot[i];
    qsort(v, n, sizeof *v, cmp_slot_key);
    return v;
}

void tfm_metrics_prior_tallies(const tfm_metrics_prior_t *p, long *pos, long *n)
{
    const prior_slot_t **v = sorted_slots(p);
    for (size_t i = 0; i < p->used; i++) pos[i] = v[i]->pos, n[i] = v[i]->n;
    free(v);
}

char *tfm_metrics_prior_format(const tfm_metrics_prior_t *p)
{
    const prior_slot_t **v = sorted_slots(p);
    size_t bytes = 1;
    for (size_t i = 0; i < p->used; i++) bytes += strlen(v[i]->key) + 48;
    char *out = tfm_malloc(bytes), *o = out;
    *o = 0;
    for (size_t i = 0; i < p->used; i++)
        o += sprintf(o, "%s%s:%ld:%ld", i ? "," : "", v[i]->key, v[i]->pos, v[i]->n);
    free(v);
    return out;
}

tfm_metrics_prior_t *tfm_metrics_prior_parse(const char *text)
{
    tfm_metrics_prior_t *p = tfm_metrics_prior_new();
    for (const char *s = text; *s;) {
        const char *end = strchr(s, ','), *c1 = strchr(s, ':'), *c2 = NULL;
        if (!end) end = s + strlen(s);
        if (c1 && c1 < end) c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
        char seq[64], pos_s[24], n_s[24];
        long pos = -1, n = 0;
        if (c2 && c1 != s && c1 - s < (long)sizeof seq && c2 - c1 - 1 < (long)sizeof pos_s &&
            end - c2 - 1 < (long)sizeof n_s) {
            snprintf(pos_s, sizeof pos_s, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
            snprintf(n_s, sizeof n_s, "%.*s", (int)(end - c2 - 1), c2 + 1);
            /* strictly: sscanf's %ld had no defined result beyond LONG_MAX */
            if (tfm_parse_long(pos_s, 0, LONG_MAX, &pos) < 0 || tfm_parse_long(n_s, 1, LONG_MAX, &n) < 0) pos = -1;
        }
        if (pos < 0 || n < pos) {
            tfm_fail("miRNA prior: bad item '%.*s' (expected SEQ:pos:n)", (int)(end - s), s);
            tfm_metrics_prior_free(p);
            return NULL;
        }
        if (n > LONG_MAX - p->n) { /* the totals are longs too */
            tfm_fail("miRNA prior: item '%.*s' takes the sites beyond %ld", (int)(end - s), s, LONG_MAX);
            tfm_metrics_prior_free(p);
            return NULL;
        }
        memcpy(seq, s, (size_t)(c1 - s));
        seq[c1 - s] = 0;
        prior_add_n(p, seq, pos, n);
        s = *end ? end + 1 : end;
        if (s > text && s[-1] == ',' && !*s) { /* a trailing comma: an empty last item */
            tfm_fail("miRNA prior: bad item '' (expected SEQ:pos:n) at the end");
            tfm_metrics_prior_free(p);
            return NULL;
        }
    }
    return p;
}
