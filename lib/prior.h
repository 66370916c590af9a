/* prior: a miRNA's activity as an explicit, optional input of scoring (ARCHITECTURE: "identity or
 * activity of a miRNA enters only through an explicit prior"). Two sources:
 *   the model's   the training-site prior a window model records (tfm_metrics_prior: (pos+1)/(n+2)
 *                 over the training sites of the miRNA sequence; an unseen miRNA gets the global
 *                 positive rate);
 *   a user's TSV  a header line with a `prior` column (a probability in (0, 1)) and a `mirna_id`
 *                 or `mirna_seq` column (mirna_seq wins when both are there; sequences compared
 *                 after upper-casing and T -> U), e.g. from the user's own miRNA expression; a
 *                 miRNA missing from the file is an error, not a guess.
 * The prior is read as odds against the neutral 0.5: tfm-aggregate multiplies a pair's odds by
 * prior / (1 - prior). */
#ifndef TFM_PRIOR_H
#define TFM_PRIOR_H

#include "metrics.h"

typedef struct tfm_prior tfm_prior_t;

/* The model's prior; takes ownership of p. */
tfm_prior_t *tfm_prior_from_counts(tfm_metrics_prior_t *p);
/* A user's TSV (plain or gzip). NULL with tfm_fail() "FILE:LINE: problem". */
tfm_prior_t *tfm_prior_load(const char *path);
/* The prior of a miRNA given by id and sequence: 0 and *out, or -1 with tfm_fail() when a
 * user's file does not have it. */
int tfm_prior_lookup(const tfm_prior_t *p, const char *mirna_id, const char *mirna_seq, double *out);
/* The input column the prior is keyed on: "mirna_seq" or "mirna_id". */
const char *tfm_prior_key(const tfm_prior_t *p);
void tfm_prior_free(tfm_prior_t *p);

#endif
