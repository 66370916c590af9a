/* prior: a miRNA's activity as an explicit, optional input of scoring (ARCHITECTURE: "identity or
 * activity of a miRNA enters only through an explicit prior"). Two sources:
 *   the model's   the training-site tallies a window model records (tfm_metrics_prior), read by
 *                 empirical Bayes: each miRNA's positive rate is taken as drawn from one Beta(a, b),
 *                 a and b maximise the beta-binomial likelihood of all miRNAs' tallies, and a
 *                 miRNA's prior is its posterior mean (pos + a)/(n + a + b), an unseen miRNA's
 *                 a/(a + b). Where the fit has no interior maximum (every miRNA one site, or no
 *                 spread between miRNAs) or a miRNA has over 65,536 sites: (pos+1)/(n+2) and
 *                 the pooled rate for unseen miRNAs, tfm-acc's baseline;
 *   a user's TSV  a header line with a `prior` column (a probability in (0, 1)) and a `mirna_id`
 *                 or `mirna_seq` column (mirna_seq wins when both are there; sequences compared
 *                 after upper-casing and T -> U; other letters are refused), e.g. from the
 *                 user's own miRNA expression; a miRNA missing from the file is an error, not
 *                 a guess.
 * The prior is read as odds against the neutral 0.5: tfm-aggregate multiplies a pair's odds by
 * prior / (1 - prior). */
#ifndef TFM_PRIOR_H
#define TFM_PRIOR_H

#include "metrics.h"
#include "tsv.h"

typedef struct tfm_prior tfm_prior_t;

/* The model's prior; takes ownership of p. */
tfm_prior_t *tfm_prior_from_counts(tfm_metrics_prior_t *p);
/* The fitted Beta(a, b) of the model's prior: 0, or -1 when it has none (a user's file, or the
 * fallback above). */
int tfm_prior_beta(const tfm_prior_t *p, double *a, double *b);
/* Maximum marginal likelihood of Beta(a, b) for m tallies (pos[i] positives of n[i] >= 1 sites):
 * Newton's method in log a, log b from a = b = 1, basic operations and tfm_log/tfm_exp only (the
 * same bits on every CPU). 0, or -1 when there is no interior maximum or an n[i] > 2^16. */
int tfm_prior_fit_beta(const long *pos, const long *n, size_t m, double *a, double *b);
/* A user's TSV (plain or gzip). NULL with tfm_fail() "FILE:LINE: problem". */
tfm_prior_t *tfm_prior_load(const char *path);
/* The same from an open TSV (closed here; tests/fuzz/fuzz_priorfile reads one from memory). */
tfm_prior_t *tfm_prior_read(tfm_tsv_t *t);
/* The prior of a miRNA given by id and sequence: 0 and *out; 1 and *out when the model's prior
 * has no training site of it (an unseen miRNA's prior); -1 with tfm_fail() when a user's file
 * does not have it. */
int tfm_prior_lookup(const tfm_prior_t *p, const char *mirna_id, const char *mirna_seq, double *out);
/* The input column the prior is keyed on: "mirna_seq" or "mirna_id". */
const char *tfm_prior_key(const tfm_prior_t *p);
void tfm_prior_free(tfm_prior_t *p);

#endif
