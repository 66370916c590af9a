/* evalset: the rows tfm-acc evaluates, read from a TSV with a header. Each row has a 0/1 label
 * and a finite score, belongs to a set (a grouping column) and to a miRNA (for the within-miRNA
 * AUC); with tfm-decoy's shuffled-miRNA control, each real row is paired with the decoy row of
 * the same twin. Every value is checked as it is read: a row that breaks a rule stops the read
 * with "FILE:LINE: what". Uses tsv and util. */
#ifndef TFM_EVALSET_H
#define TFM_EVALSET_H

#include <stddef.h>

#include "tsv.h"

/* Distinct strings numbered in order of first appearance (sets, miRNAs). */
typedef struct {
    char **name;   /* name[i]: the string numbered i (a copy) */
    int n;
    /* private */
    size_t cap;
    void *h;
} tfm_evalset_names_t;

/* The number of s, numbering it n when it is new. */
int tfm_evalset_name(tfm_evalset_names_t *x, const char *s);
void tfm_evalset_names_free(tfm_evalset_names_t *x);

/* Values of the current row of t: column col non-empty (NULL with "FILE:LINE: empty COL"); a
 * label 0 or 1 (-1 with "FILE:LINE: label 'X' is not 0 or 1"); a non-empty finite score into *x
 * (-1 with "FILE:LINE: score 'X' is not a number"). */
const char *tfm_evalset_field(const tfm_tsv_t *t, int col);
int tfm_evalset_label(const tfm_tsv_t *t, int col);
int tfm_evalset_score(const tfm_tsv_t *t, int col, double *x);

typedef struct {
    size_t n;                 /* rows, at least 1 */
    double *score;            /* finite; 0 on every row when the input has no score column */
    unsigned char *label;     /* 0 or 1 */
    int *set;                 /* index into sets; 0 when not grouped */
    int *mirna;               /* index into mirnas; 0 when there is no miRNA column */
    unsigned char *shuffled;  /* control: 1 for a decoy row (0 without the control) */
    long *twin;               /* control: the index of the row's partner; -1 without the control */
    long *line;               /* the row's line in the file */
    tfm_evalset_names_t sets, mirnas; /* mirnas: the values of mirna_seq, else of mirna_id */
    int has_score, grouped, has_mirna, control;
    /* private */
    size_t cap;
    const char **twin_key;
    void *twins;
} tfm_evalset_t;

/* Read every row of t (its header read, no row yet). Columns: label; score (optional with
 * `prior`, which needs mirna_seq instead); the grouping column `by` (NULL: `set`, if present);
 * the miRNA of the within-miRNA AUC, mirna_seq (ids have aliases) else mirna_id, if present; the
 * control columns `control` (real or shuffled) and `twin` of tfm-decoy, whose rows must pair up
 * one real with one shuffled row per (set, twin). 0, or -1 with tfm_last_error() naming the
 * file ("FILE:1: missing column 'label'", "FILE:1: no data rows", "FILE:LINE: ..."); e is then
 * to be freed all the same. */
int tfm_evalset_read(tfm_evalset_t *e, tfm_tsv_t *t, const char *by, int prior);
void tfm_evalset_free(tfm_evalset_t *e);

#endif
