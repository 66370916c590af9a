/* metrics: a hand-computed case, scikit-learn's values for random sets with ties
 * (tests/vectors/metrics_sklearn.tsv), the shuffled-miRNA control, Spearman's rho with ties,
 * the miRNA prior (and its Beta fit against SciPy, tests/vectors/prior_beta_scipy.tsv) and the
 * SVG writer. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "metrics.h"
#include "prior.h"
#include "util.h"

#define SAME(a, b, tol) CHECK((isnan(a) && isnan(b)) || fabs((a) - (b)) <= (tol), "%.12g vs %.12g", (double)(a), (double)(b))

static void test_hand(void)
{
    /* P = 3, N = 2. Correctly ordered (pos, neg) pairs: 0.9 beats both negatives, the 0.8
     * positive ties one and beats 0.4, the 0.1 positive beats none: U = 3.5, AUC = 3.5/6.
     * AP: thresholds 0.9 (R 1/3, P 1), 0.8 (R 2/3, P 2/3), 0.4 (R unchanged), 0.1 (R 1, P 3/5):
     * 1/3 + 1/3 * 2/3 + 1/3 * 3/5 = 34/45. */
    const double s[] = {0.8, 0.9, 0.1, 0.8, 0.4};
    const unsigned char l[] = {0, 1, 1, 1, 0};
    tfm_metrics_t m;
    tfm_metrics_compute(s, l, 5, 0.5, &m);
    CHECK_INT(m.n, 5);
    CHECK_INT(m.pos, 3);
    CHECK_INT(m.neg, 2);
    CHECK_INT(m.tp, 2);
    CHECK_INT(m.fp, 1);
    CHECK_INT(m.tn, 1);
    CHECK_INT(m.fn, 1);
    CHECK_NEAR(m.accuracy, 0.6, 1e-15);
    CHECK_NEAR(m.precision, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.recall, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.specificity, 0.5, 1e-15);
    CHECK_NEAR(m.f1, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.roc_auc, 3.5 / 6, 1e-15);
    CHECK_NEAR(m.pr_auc, 34.0 / 45, 1e-15);

    /* a perfect ranking has AP exactly 1: summing 21 recall steps of 1/21 made 1.0000000000000004
     * (found by fuzz_acc); every rate stays within [0, 1] */
    {
        double s21[24];
        unsigned char l21[24];
        for (int i = 0; i < 24; i++) s21[i] = 1 - i / 24.0, l21[i] = i < 21;
        CHECK(tfm_metrics_average_precision(s21, l21, 24) == 1.0, "AP %.17g", tfm_metrics_average_precision(s21, l21, 24));
        for (int P = 1; P < 24; P++) {
            for (int i = 0; i < 24; i++) l21[i] = i < P;
            double ap = tfm_metrics_average_precision(s21, l21, 24);
            CHECK(ap == 1.0, "P = %d: AP %.17g", P, ap);
        }
    }

    /* score == threshold counts as positive */
    tfm_metrics_confusion(s, l, 5, 0.8, &m);
    CHECK_INT(m.tp, 2);
    CHECK_INT(m.fp, 1);
    tfm_metrics_confusion(s, l, 5, 0.8000001, &m);
    CHECK_INT(m.tp, 1);
    CHECK_INT(m.fp, 0);

    double *x, *y;
    size_t n = tfm_metrics_roc_curve(s, l, 5, &x, &y);
    const double rx[] = {0, 0, 0.5, 1, 1}, ry[] = {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1};
    CHECK_INT(n, 5);
    for (size_t i = 0; i < n && i < 5; i++) {
        CHECK_NEAR(x[i], rx[i], 1e-15);
        CHECK_NEAR(y[i], ry[i], 1e-15);
    }
    free(x);
    free(y);
    n = tfm_metrics_pr_curve(s, l, 5, &x, &y);
    const double px[] = {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1}, py[] = {1, 1, 2.0 / 3, 0.5, 0.6};
    CHECK_INT(n, 5);
    for (size_t i = 0; i < n && i < 5; i++) {
        CHECK_NEAR(x[i], px[i], 1e-15);
        CHECK_NEAR(y[i], py[i], 1e-15);
    }
    free(x);
    free(y);

    /* degenerate: no rows, one class */
    tfm_metrics_compute(s, l, 0, 0.5, &m);
    CHECK(isnan(m.accuracy) && isnan(m.roc_auc) && isnan(m.pr_auc) && isnan(m.f1), "n = 0 gives NaN");
    const unsigned char ones[] = {1, 1, 1, 1, 1};
    CHECK(isnan(tfm_metrics_roc_auc(s, ones, 5)), "one class: AUC NaN");
    CHECK_INT(tfm_metrics_roc_curve(s, ones, 5, &x, &y), 0);
    CHECK(x == NULL && y == NULL, "no curve");

    char buf[16];
    CHECK_STR(tfm_metrics_fmt(NAN, buf), "nan");
    CHECK_STR(tfm_metrics_fmt(-NAN, buf), "nan");
    CHECK_STR(tfm_metrics_fmt(2.0 / 3, buf), "0.6667");
}

/* Comma-separated numbers into a new array; returns the count. */
static size_t split_nums(char *s, double **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        TFM_GROW(*out, cap, n + 1);
        (*out)[n++] = strtod(tok, NULL);
    }
    return n;
}

/* The next data row of a vector file (comment lines and the header line skipped, *header
 * cleared after it), split at tabs in place: up to max fields, their number; -1 at the end. */
static int next_row(FILE *f, char **line, size_t *cap, int *header, char **fld, int max)
{
    while (getline(line, cap, f) > 0) {
        if ((*line)[0] == '#') continue;
        if (*header) { /* column names */
            *header = 0;
            continue;
        }
        int nf = 0;
        for (char *p = *line, *tab; nf < max; p = tab + 1) {
            fld[nf++] = p;
            if (!(tab = strpbrk(p, "\t\n"))) break;
            int last = *tab == '\n';
            *tab = 0;
            if (last) break;
        }
        return nf;
    }
    return -1;
}

static void test_sklearn(void)
{
    FILE *f = fopen("vectors/metrics_sklearn.tsv", "r");
    CHECK(f != NULL, "cannot open tests/vectors/metrics_sklearn.tsv");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    int cases = 0, header = 1, nf;
    char *fld[15];
    while ((nf = next_row(f, &line, &cap, &header, fld, 15)) >= 0) {
        CHECK_INT(nf, 15);
        if (nf != 15) continue;
        double thr = strtod(fld[1], NULL), *s, *lab;
        size_t n = split_nums(fld[2], &s), nl = split_nums(fld[3], &lab);
        CHECK_INT(n, nl);
        unsigned char *l = tfm_malloc(n);
        for (size_t i = 0; i < n; i++) l[i] = lab[i] != 0;
        tfm_metrics_t m;
        tfm_metrics_compute(s, l, n, thr, &m);
        double want[7];
        for (int i = 0; i < 7; i++) want[i] = strcmp(fld[4 + i], "nan") == 0 ? NAN : strtod(fld[4 + i], NULL);
        const double got[7] = {m.accuracy, m.precision, m.recall, m.specificity, m.f1, m.roc_auc, m.pr_auc};
        const char *what[7] = {"accuracy", "precision", "recall", "specificity", "f1", "roc_auc", "pr_auc"};
        for (int i = 0; i < 7; i++)
            CHECK((isnan(got[i]) && isnan(want[i])) || fabs(got[i] - want[i]) <= 1e-9, "%s %s: %.12g vs sklearn %.12g",
                  fld[0], what[i], got[i], want[i]);
        CHECK_INT(m.tp, atol(fld[11]));
        CHECK_INT(m.fp, atol(fld[12]));
        CHECK_INT(m.tn, atol(fld[13]));
        CHECK_INT(m.fn, atol(fld[14]));
        /* The curves agree with the areas: trapezoids under ROC, steps under PR. */
        double *x, *y, area = 0;
        size_t np = tfm_metrics_roc_curve(s, l, n, &x, &y);
        for (size_t i = 1; i < np; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        if (np) SAME(area, m.roc_auc, 1e-9);
        free(x);
        free(y);
        area = 0;
        np = tfm_metrics_pr_curve(s, l, n, &x, &y);
        for (size_t i = 1; i < np; i++) area += (x[i] - x[i - 1]) * y[i];
        if (np) SAME(area, m.pr_auc, 1e-9);
        free(x);
        free(y);
        free(s);
        free(lab);
        free(l);
        cases++;
    }
    free(line);
    fclose(f);
    CHECK(cases >= 8, "%d sklearn cases read", cases);
}

static void test_prior(void)
{
    tfm_metrics_prior_t *p = tfm_metrics_prior_new();
    tfm_metrics_prior_add(p, "ACGU", 1);
    tfm_metrics_prior_add(p, "acgt", 0); /* same key after upper-casing and T->U */
    tfm_metrics_prior_add(p, "GGG", 0);
    CHECK_INT(tfm_metrics_prior_sites(p), 3);
    CHECK_INT(tfm_metrics_prior_mirnas(p), 2);
    CHECK_NEAR(tfm_metrics_prior_score(p, "ACGU"), 2.0 / 4, 1e-15);
    CHECK_NEAR(tfm_metrics_prior_score(p, "ACGT"), 2.0 / 4, 1e-15);
    CHECK_NEAR(tfm_metrics_prior_score(p, "GGG"), 1.0 / 3, 1e-15);
    CHECK_NEAR(tfm_metrics_prior_score(p, "UUUU"), 1.0 / 3, 1e-15); /* unseen: global rate */
    long pos = -1;
    CHECK_INT(tfm_metrics_prior_count(p, "acgu", &pos), 2);
    CHECK_INT(pos, 1);
    CHECK_INT(tfm_metrics_prior_count(p, "UUUU", &pos), 0);
    CHECK_INT(pos, 0);
    /* growth past the initial table keeps every count */
    char seq[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(seq, sizeof seq, "A%dC", i);
        for (int k = 0; k <= i % 3; k++) tfm_metrics_prior_add(p, seq, k == 0);
    }
    CHECK_INT(tfm_metrics_prior_mirnas(p), 1002);
    CHECK_NEAR(tfm_metrics_prior_score(p, "A998C"), 2.0 / 5, 1e-15);
    CHECK_NEAR(tfm_metrics_prior_score(p, "GGG"), 1.0 / 3, 1e-15);
    tfm_metrics_prior_free(p);

    /* text form: sorted items, read back to the same scores, bad items named */
    p = tfm_metrics_prior_new();
    tfm_metrics_prior_add(p, "UGA", 1), tfm_metrics_prior_add(p, "ACG", 0), tfm_metrics_prior_add(p, "UGA", 0);
    char *txt = tfm_metrics_prior_format(p);
    CHECK_STR(txt, "ACG:0:1,UGA:1:2");
    tfm_metrics_prior_t *q = tfm_metrics_prior_parse(txt);
    CHECK(q != NULL, "parse its own text");
    if (q) {
        CHECK_NEAR(tfm_metrics_prior_score(q, "UGA"), 2.0 / 4, 1e-15);
        CHECK_NEAR(tfm_metrics_prior_score(q, "ACG"), 1.0 / 3, 1e-15);
        CHECK_NEAR(tfm_metrics_prior_score(q, "CCC"), 1.0 / 3, 1e-15); /* unseen: 1 of 3 sites */
        char *again = tfm_metrics_prior_format(q);
        CHECK_STR(again, txt);
        free(again);
    }
    tfm_metrics_prior_free(q), tfm_metrics_prior_free(p), free(txt);
    const char *bad[] = {"ACG:1", "ACG:2:1", ":1:2", "ACG:1:2,", "ACG:x:2", "ACG:1:2:3", "ACG:0:0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        q = tfm_metrics_prior_parse(bad[i]);
        CHECK(q == NULL && strstr(tfm_last_error(), "bad item") != NULL, "'%s' rejected: %s", bad[i], tfm_last_error());
        tfm_metrics_prior_free(q);
    }
    /* counts beyond a long (found by fuzz_acc: sscanf's %ld saturated, the totals overflowed) */
    const char *huge[] = {"ACG:3:5,AG:3:99999999999999999999999", "ACG:99999999999999999999:99999999999999999999",
                          "ACG:1:9223372036854775807,CC:0:2"};
    for (size_t i = 0; i < sizeof huge / sizeof *huge; i++) {
        q = tfm_metrics_prior_parse(huge[i]);
        CHECK(q == NULL && (strstr(tfm_last_error(), "bad item") || strstr(tfm_last_error(), "beyond")), "'%s' rejected: %s",
              huge[i], q ? "(parsed)" : tfm_last_error());
        tfm_metrics_prior_free(q);
    }
    q = tfm_metrics_prior_parse("ACG:1:9223372036854775806,CC:0:1");
    CHECK(q != NULL && tfm_metrics_prior_sites(q) == 9223372036854775807L, "up to LONG_MAX sites: %s", tfm_last_error());
    tfm_metrics_prior_free(q);
    q = tfm_metrics_prior_parse("");
    CHECK(q != NULL && tfm_metrics_prior_mirnas(q) == 0, "empty table");
    tfm_metrics_prior_free(q);
}

/* The model's prior: Beta(a, b) fitted to tallies against SciPy's optimum
 * (tests/vectors/prior_beta_scipy.tsv), and the posterior means it gives. */
static void test_prior_beta(void)
{
    FILE *f = fopen("vectors/prior_beta_scipy.tsv", "r");
    CHECK(f != NULL, "cannot open tests/vectors/prior_beta_scipy.tsv");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    int cases = 0, header = 1, nf;
    char *fld[5];
    while ((nf = next_row(f, &line, &cap, &header, fld, 5)) >= 0) {
        CHECK_INT(nf, 5);
        if (nf != 5) continue;
        double *k, *n;
        size_t m = split_nums(fld[1], &k), mn = split_nums(fld[2], &n);
        CHECK_INT(m, mn);
        long *kl = tfm_malloc(sizeof *kl * m), *nl = tfm_malloc(sizeof *nl * m);
        for (size_t i = 0; i < m; i++) kl[i] = (long)k[i], nl[i] = (long)n[i];
        double a = 0, b = 0;
        int rc = tfm_prior_fit_beta(kl, nl, m, &a, &b);
        if (strcmp(fld[3], "none") == 0) {
            CHECK(rc == -1, "%s: no interior maximum, got a %g b %g", fld[0], a, b);
        } else {
            double wa = strtod(fld[3], NULL), wb = strtod(fld[4], NULL);
            CHECK(rc == 0 && fabs(a - wa) <= 1e-6 * wa && fabs(b - wb) <= 1e-6 * wb, "%s: a %.10g b %.10g vs SciPy %.10g %.10g",
                  fld[0], a, b, wa, wb);
        }
        free(k), free(n), free(kl), free(nl);
        cases++;
    }
    free(line);
    fclose(f);
    CHECK(cases >= 9, "%d SciPy cases read", cases);

    /* through the model's prior: posterior means, an unseen miRNA at a/(a+b), the tallies' order
     * (sorted by sequence) irrelevant to the fit */
    tfm_metrics_prior_t *c = tfm_metrics_prior_new();
    const char *seq[] = {"UUA", "CCG", "AAG", "GGU", "ACU"};
    const int pos[] = {9, 1, 5, 0, 3}, n[] = {10, 12, 5, 2, 3};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < n[i]; j++) tfm_metrics_prior_add(c, seq[i], j < pos[i]);
    long lp[5], ln[5];
    for (int i = 0; i < 5; i++) lp[i] = pos[i], ln[i] = n[i];
    double a, b, a2, b2, v;
    CHECK(tfm_prior_fit_beta(lp, ln, 5, &a, &b) == 0, "fit of 5 tallies");
    tfm_prior_t *pr = tfm_prior_from_counts(c);
    CHECK(tfm_prior_beta(pr, &a2, &b2) == 0 && a2 == a && b2 == b, "the model's prior fits the same a, b: %g %g", a2, b2);
    CHECK(tfm_prior_lookup(pr, "x", "uua", &v) == 0 && v == (9 + a) / (10 + a + b), "posterior mean of UUA: %g", v);
    CHECK(tfm_prior_lookup(pr, "x", "GGT", &v) == 0 && v == (0 + a) / (2 + a + b), "posterior mean of GGU: %g", v);
    CHECK(tfm_prior_lookup(pr, "x", "CCCC", &v) == 1 && v == a / (a + b), "unseen (returns 1): a/(a+b): %g", v);
    tfm_prior_free(pr);
    /* a tally over 2^16 sites: no fit (its cost grows with the largest tally; fuzz_prior found
     * one tally of 343,033 sites taking seconds), the same tallies at 2^16 are fitted */
    long cap_pos[] = {5, 0}, cap_n[] = {10, 65537};
    CHECK(tfm_prior_fit_beta(cap_pos, cap_n, 2, &a2, &b2) == -1, "a tally over 2^16: no fit");
    cap_n[1] = 65536;
    CHECK(tfm_prior_fit_beta(cap_pos, cap_n, 2, &a2, &b2) == 0 && a2 > 0 && b2 > 0, "a tally of 2^16: fitted");
    /* one tally, or one class in every tally: the maximum is on the boundary, refused before any
     * search (fuzz_prior: one tally of 33,003 negative sites took a second under UBSan) */
    long one_pos[] = {300}, one_n[] = {1000}, neg_pos[] = {0, 0, 0}, neg_n[] = {5, 9, 60000};
    CHECK(tfm_prior_fit_beta(one_pos, one_n, 1, &a2, &b2) == -1, "one tally: no fit");
    CHECK(tfm_prior_fit_beta(neg_pos, neg_n, 3, &a2, &b2) == -1, "negative sites only: no fit");
    /* no interior maximum: the (pos+1)/(n+2) baseline */
    c = tfm_metrics_prior_new();
    tfm_metrics_prior_add(c, "UUA", 1), tfm_metrics_prior_add(c, "UUA", 1), tfm_metrics_prior_add(c, "CCG", 0);
    pr = tfm_prior_from_counts(c);
    CHECK(tfm_prior_beta(pr, &a2, &b2) == -1, "one class per miRNA: no fit");
    CHECK(tfm_prior_lookup(pr, "x", "UUA", &v) == 0 && v == 3.0 / 4, "fallback (pos+1)/(n+2): %g", v);
    CHECK(tfm_prior_lookup(pr, "x", "GGG", &v) == 1 && v == 2.0 / 3, "fallback unseen (returns 1): pooled rate: %g", v);
    tfm_prior_free(pr);
}

static void test_svg(void)
{
    const double x[] = {0, 0.5, 1}, y[] = {0, 0.8, 1};
    tfm_metrics_series_t s[2] = {{"a&b", x, y, 3, 0, 0, 0}, {"c<d", x, y, 3, 11, 1, 1}};
    char *svg = tfm_metrics_svg_plot(s, 2, "ROC", "False positive rate", "True positive rate", 1);
    CHECK(strncmp(svg, "<?xml", 5) == 0, "XML declaration");
    CHECK(strstr(svg, "</svg>\n") != NULL, "closed");
    CHECK(strstr(svg, "a&amp;b") && strstr(svg, "c&lt;d"), "legend escaped");
    CHECK(strstr(svg, "points=\"70.00,390.00 250.00,102.00 430.00,30.00\"") != NULL, "scaled points");
    CHECK(strstr(svg, "points=\"70.00,390.00 70.00,102.00 250.00,102.00 250.00,30.00 430.00,30.00\"") != NULL,
          "step points");
    CHECK(strstr(svg, "#ff7f0e") != NULL, "colour index modulo 10");
    CHECK(strstr(svg, "stroke-dasharray=\"6,3\"") != NULL, "dashed series");
    free(svg);
}

/* Within-miRNA AUC by hand: miRNA 0 has pos 0.9 > neg 0.1 (1 of 1 pair); miRNA 1 has pos 0.2
 * against negs 0.8 (0) and 0.2 (a tie, 1/2); miRNA 2 has positives only (no pair). (1 + 0.5) / 3. */
static void test_grouped_auc(void)
{
    const double sc[] = {0.9, 0.1, 0.2, 0.8, 0.2, 0.5, 0.7};
    const unsigned char lab[] = {1, 0, 1, 0, 0, 1, 1};
    const int grp[] = {0, 0, 1, 1, 1, 2, 2};
    CHECK_NEAR(tfm_metrics_grouped_auc(sc, lab, grp, 7), 0.5, 1e-12);
    /* the plain AUC of the same rows differs: miRNA identity is mixed in */
    CHECK(fabs(tfm_metrics_roc_auc(sc, lab, 7) - 0.5) > 0.1, "plain AUC %g", tfm_metrics_roc_auc(sc, lab, 7));
    const int one[] = {0, 1, 2, 3, 4, 5, 6}; /* every row its own miRNA: no pair */
    CHECK(isnan(tfm_metrics_grouped_auc(sc, lab, one, 7)), "expected NaN");
    const int same[] = {0, 0, 0, 0, 0, 0, 0}; /* one miRNA: the plain AUC */
    CHECK_NEAR(tfm_metrics_grouped_auc(sc, lab, same, 7), tfm_metrics_roc_auc(sc, lab, 7), 1e-12);
}

/* Shuffled-miRNA control: win rate over the positives (ties 1/2), decoys predicted positive. */
static void test_paired(void)
{
    const double real[] = {0.9, 0.4, 0.5, 0.2, 0.7, 0.3}, shuf[] = {0.3, 0.4, 0.6, 0.8, 0.1, 0.5};
    const unsigned char lab[] = {1, 1, 1, 0, 1, 0};
    double win, pos;
    /* positives: 0.9 > 0.3 wins, 0.4 = 0.4 ties, 0.5 < 0.6 loses, 0.7 > 0.1 wins: 2.5 / 4;
     * the negative rows do not count. Decoys >= 0.5: 0.6, 0.8 and 0.5 (>= as accuracy): 3 / 6. */
    tfm_metrics_paired(real, shuf, lab, 6, 0.5, &win, &pos);
    CHECK_NEAR(win, 0.625, 1e-15);
    CHECK_NEAR(pos, 0.5, 1e-15);
    tfm_metrics_paired(real, shuf, lab, 6, 0.55, &win, &pos);
    CHECK_NEAR(pos, 2.0 / 6, 1e-15);
    const unsigned char neg[] = {0, 0, 0, 0, 0, 0};
    tfm_metrics_paired(real, shuf, neg, 6, 0.5, &win, &pos);
    CHECK(isnan(win), "no positives: win %g", win);
    tfm_metrics_paired(real, shuf, neg, 0, 0.5, &win, &pos);
    CHECK(isnan(win) && isnan(pos), "n = 0: %g %g", win, pos);
}

/* Spearman with ties, by hand: x ranks 1, 2.5, 2.5, 4, 5; y ranks 1, 4, 2.5, 2.5, 5; centred
 * at 3: sum dx dy = 4 - 0.5 + 0.25 - 0.5 + 4 = 7.25, sum dx^2 = sum dy^2 = 9.5: rho = 29/38. */
static void test_spearman(void)
{
    const double x[] = {1, 2, 2, 3, 4}, y[] = {1, 3, 2, 2, 5};
    CHECK_NEAR(tfm_metrics_spearman(x, y, 5), 29.0 / 38, 1e-15);
    CHECK_NEAR(tfm_metrics_spearman(y, x, 5), 29.0 / 38, 1e-15);
    const double up[] = {0.1, 0.5, 0.7, 10, 11}, down[] = {5, 4, 3, 2, 1};
    CHECK_NEAR(tfm_metrics_spearman(x, x, 5), 1, 1e-15);
    CHECK_NEAR(tfm_metrics_spearman(up, down, 5), -1, 1e-15); /* monotone, whatever the spacing */
    const double flat[] = {2, 2, 2, 2, 2};
    CHECK(isnan(tfm_metrics_spearman(x, flat, 5)), "a constant side gives NaN");
    CHECK(isnan(tfm_metrics_spearman(x, y, 1)), "n = 1 gives NaN");
}

int main(void)
{
    test_paired();
    test_spearman();
    test_grouped_auc();
    test_hand();
    test_sklearn();
    test_prior();
    test_prior_beta();
    test_svg();
    return check_summary();
}
