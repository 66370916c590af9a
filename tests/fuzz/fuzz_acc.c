/* libFuzzer harness for the score/label reader of tfm-acc (lib/evalset.c over lib/tsv.c) and
 * the metrics computed from what it reads (lib/metrics.c): the bytes as training sites of the
 * miRNA prior, then as the input (grouped by `set` or not, with and without that prior); also
 * as the text form of a prior kept in a model file. Rates must be NaN or within [0, 1].
 * Build: make fuzz   Run: build/fuzz/fuzz_acc -runs=10000000 WORKDIR tests/fuzz/corpus/acc */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evalset.h"

static void check_rate(double v)
{
    if (!isnan(v) && !(v >= 0 && v <= 1)) abort();
}

static void evaluate(const tfm_evalset_t *e, const double *score)
{
    tfm_metrics_t m;
    tfm_metrics_compute(score, e->label, e->n, 0.5, &m);
    if (m.n != (long)e->n || m.pos + m.neg != m.n || m.tp + m.fp + m.tn + m.fn != m.n) abort();
    const double v[] = {m.accuracy, m.precision, m.recall, m.specificity, m.f1, m.roc_auc, m.pr_auc,
                        e->has_mirna ? tfm_metrics_grouped_auc(score, e->label, e->mirna, e->n) : NAN};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) check_rate(v[i]);
    double *x, *y;
    size_t n = tfm_metrics_roc_curve(score, e->label, e->n, &x, &y);
    for (size_t i = 0; i < n; i++) check_rate(x[i]), check_rate(y[i]);
    free(x), free(y);
    n = tfm_metrics_pr_curve(score, e->label, e->n, &x, &y);
    for (size_t i = 0; i < n; i++) check_rate(x[i]), check_rate(y[i]);
    free(x), free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
    tfm_metrics_prior_t *prior = t ? tfm_evalset_prior(t) : NULL;
    tfm_tsv_close(t);
    for (int k = 0; k < 3; k++) {
        if (k == 2 && !prior) break;
        if (!(t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL))) break;
        tfm_evalset_t e;
        if (tfm_evalset_read(&e, t, k == 1 ? "set" : NULL, k == 2 ? prior : NULL) == 0) {
            if (!e.n || e.nsets < 1 || (e.has_mirna && e.nmirnas < 1)) abort();
            for (size_t i = 0; i < e.n; i++)
                if (e.label[i] > 1 || e.set[i] < 0 || e.set[i] >= e.nsets || !isfinite(e.score[i]) ||
                    (k == 2 && !(e.prior[i] >= 0 && e.prior[i] <= 1)))
                    abort();
            evaluate(&e, e.score);
            if (k == 2) evaluate(&e, e.prior);
        }
        tfm_evalset_free(&e);
        tfm_tsv_close(t);
    }
    tfm_metrics_prior_free(prior);
    /* the prior's text form, as tfm-score reads it from a model's metadata */
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    tfm_metrics_prior_t *p = tfm_metrics_prior_parse(s);
    if (p) {
        char *back = tfm_metrics_prior_format(p);
        tfm_metrics_prior_t *q = tfm_metrics_prior_parse(back);
        if (!q || tfm_metrics_prior_sites(q) != tfm_metrics_prior_sites(p)) abort();
        tfm_metrics_prior_free(q);
        free(back);
        tfm_metrics_prior_free(p);
    }
    free(s);
    return 0;
}
