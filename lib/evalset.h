/* evalset: the rows tfm-acc evaluates, read from a TSV and checked: a 0/1 `label`, a finite
 * `score` (optional when a miRNA prior scores the rows instead), the group of each row (a set
 * column) and its miRNA (for the within-miRNA AUC); and the training sites of the miRNA-prior
 * baseline. Messages "FILE:LINE: what". Uses tsv, metrics, util. */
#ifndef TFM_EVALSET_H
#define TFM_EVALSET_H

#include <stddef.h>

#include "metrics.h"
#include "tsv.h"

typedef struct {
    size_t n, cap;          /* rows */
    double *score, *prior;  /* the input's score (0 without a score column), the prior's (0 without) */
    unsigned char *label;
    int *set;               /* index into set_name; 0 when not grouped */
    int *mirna;             /* index of the row's miRNA; 0 without a miRNA column */
    int has_score, has_mirna, grouped;
    int nsets, nmirnas;     /* nsets is 1 when not grouped */
    char **set_name;        /* nsets names when grouped, else NULL */
    char **mirna_name;      /* nmirnas names (mirna_seq, else mirna_id) */
    size_t set_cap, mirna_cap;
    void *sets, *mirnas;    /* private: name -> index */
} tfm_evalset_t;

/* Read every row of t: column `label` (needed); `score` (needed unless prior); the groups from
 * column `by` (needed when given; NULL: `set` if present); the miRNA of a row from `mirna_seq`,
 * else `mirna_id` (needed when there is a prior: it is looked up by sequence). 0, or -1 with
 * the message of the first bad row (or "FILE:1: no data rows"). */
int tfm_evalset_read(tfm_evalset_t *e, tfm_tsv_t *t, const char *by, const tfm_metrics_prior_t *prior);
void tfm_evalset_free(tfm_evalset_t *e);
/* The miRNA prior of training sites (columns mirna_seq, label); NULL with a message. */
tfm_metrics_prior_t *tfm_evalset_prior(tfm_tsv_t *t);

#endif
