/* libFuzzer harness for the miRNA prior a model's metadata carries: the tallies' text form
 * (lib/metrics.c, "SEQ:pos:n,...") and its empirical-Bayes reading (lib/prior.c), what
 * `tfm-score --prior model` does with a model file's `mirna_prior`.
 * Build: make fuzz   Run: build/fuzz/fuzz_prior -workers=1 WORKDIR tests/fuzz/corpus/prior
 * Aborts when accepted tallies do not read back the same from their own text, when a fitted
 * Beta is not positive and finite, or when a prior is not a probability or the lookup says a
 * miRNA of the tallies is unseen. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "prior.h"

static void check_prior(const tfm_prior_t *pr, const char *seq, int want)
{
    double v = -1;
    int rc = tfm_prior_lookup(pr, "fuzz", seq, &v);
    if (rc < 0 || (want >= 0 && rc != want) || !(v >= 0 && v <= 1)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    tfm_metrics_prior_t *p = tfm_metrics_prior_parse(text);
    free(text);
    if (!p) return 0;
    char *form = tfm_metrics_prior_format(p), *again;
    tfm_metrics_prior_t *q = tfm_metrics_prior_parse(form);
    if (!q) abort();
    again = tfm_metrics_prior_format(q);
    if (strcmp(form, again) != 0) abort();
    free(again);
    tfm_metrics_prior_free(q);
    tfm_prior_t *pr = tfm_prior_from_counts(p);
    double a, b;
    if (tfm_prior_beta(pr, &a, &b) == 0 && !(a > 0 && b > 0 && isfinite(a) && isfinite(b))) abort();
    /* every miRNA of the tallies is seen (n >= 1); a sequence no tally has is not */
    for (char *s = form; *s;) {
        char *colon = strchr(s, ':'), *end = strchr(s, ',');
        *colon = 0;
        check_prior(pr, s, 0);
        if (!end) break;
        s = end + 1;
    }
    check_prior(pr, "not-a-tallied-sequence-since-it-is-over-64-letters-long-xxxxxxxxxxxxxxxxxxxxxxxxx", 1);
    free(form);
    tfm_prior_free(pr);
    return 0;
}
