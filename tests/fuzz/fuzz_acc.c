/* libFuzzer harness for the rows tfm-acc evaluates (lib/evalset.c over lib/tsv.c), read as
 * tfm-acc reads them: with and without --by, with and without --prior. Rows accepted must be
 * what the reader promises (0/1 labels, finite scores, sets and miRNAs numbered from non-empty
 * values, every control row paired with one row of the other kind of its set), and the metrics
 * of lib/metrics.c on them must be rates; a refusal must name the file.
 * Build: make fuzz   Run: build/fuzz/fuzz_acc -dict=tests/fuzz/tsv.dict -runs=10000000 WORKDIR tests/fuzz/corpus/acc */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evalset.h"
#include "metrics.h"
#include "util.h"

/* A rate: in [0, 1], or NaN where it is undefined. */
static void rate(double v)
{
    if (!isnan(v) && !(v >= 0 && v <= 1)) abort();
}

static void names(const tfm_evalset_names_t *x)
{
    for (int i = 0; i < x->n; i++)
        if (!x->name[i][0]) abort();
}

static void check(const tfm_evalset_t *e)
{
    if (e->n < 1 || (e->grouped && e->sets.n < 1) || (e->has_mirna && e->mirnas.n < 1)) abort();
    names(&e->sets), names(&e->mirnas);
    for (size_t i = 0; i < e->n; i++) {
        if (e->label[i] > 1 || !isfinite(e->score[i]) || (!e->has_score && e->score[i] != 0)) abort();
        if (e->set[i] < 0 || e->set[i] >= (e->grouped ? e->sets.n : 1)) abort();
        if (e->mirna[i] < 0 || e->mirna[i] >= (e->has_mirna ? e->mirnas.n : 1)) abort();
        if (i && e->line[i] <= e->line[i - 1]) abort();
        if (!e->control) {
            if (e->shuffled[i] || e->twin[i] != -1) abort();
            continue;
        }
        long j = e->twin[i];
        if (j < 0 || (size_t)j >= e->n || j == (long)i || e->twin[j] != (long)i || e->shuffled[j] == e->shuffled[i] ||
            e->set[j] != e->set[i])
            abort();
    }
}

static void metrics(const tfm_evalset_t *e)
{
    tfm_metrics_t m;
    tfm_metrics_compute(e->score, e->label, e->n, 0.5, &m);
    if (m.n != (long)e->n || m.pos + m.neg != m.n || m.tp + m.fp + m.tn + m.fn != m.n) abort();
    const double r[7] = {m.accuracy, m.precision, m.recall, m.specificity, m.f1, m.roc_auc, m.pr_auc};
    for (int i = 0; i < 7; i++) rate(r[i]);
    rate(tfm_metrics_grouped_auc(e->score, e->label, e->mirna, e->n));
    if (!e->control) return;
    double *real = tfm_malloc(e->n * sizeof *real), *shuf = tfm_malloc(e->n * sizeof *shuf), win, pos;
    unsigned char *label = tfm_malloc(e->n);
    size_t k = 0;
    for (size_t i = 0; i < e->n; i++)
        if (!e->shuffled[i]) real[k] = e->score[i], shuf[k] = e->score[e->twin[i]], label[k++] = e->label[i];
    tfm_metrics_paired(real, shuf, label, k, 0.5, &win, &pos);
    rate(win), rate(pos);
    free(real), free(shuf), free(label);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *by[] = {NULL, "mirna_id"};
    for (int k = 0; k < 4; k++) {
        tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
        if (!t) return 0;
        tfm_evalset_t e;
        if (tfm_evalset_read(&e, t, by[k & 1], k >> 1) == 0) {
            check(&e);
            metrics(&e);
        } else if (strncmp(tfm_last_error(), "fuzz.tsv:", 9) != 0) {
            abort();
        }
        tfm_evalset_free(&e);
        tfm_tsv_close(t);
    }
    return 0;
}
