/* pairs: the pairs TSV of tfm-seed --pairs. Columns mirna_id and mrna_id (and, optional,
 * mirna_seq and mrna_seq; every other column is passed through); each row is checked as it is
 * read: ids not empty, a pair not repeated (its rows would no longer be contiguous), sequences
 * normalised in place. Messages "FILE:LINE: what (pair MIRNA/MRNA)". Uses tsv, seqio, util. */
#ifndef TFM_PAIRS_H
#define TFM_PAIRS_H

#include "seqio.h"
#include "tsv.h"

typedef struct {
    int mirna_id, mrna_id, mirna_seq, mrna_seq; /* column indices, -1 if absent */
    int *extra, nextra;                         /* the other columns, in file order */
    void *seen;                                 /* private: the pairs read so far, with their lines */
} tfm_pairs_t;

/* Find the columns of t's header; -1 with "FILE:1: missing column 'X'". */
int tfm_pairs_init(tfm_pairs_t *p, const tfm_tsv_t *t);
/* Check the ids of t's current row: not empty, the pair not seen on an earlier line. 0 or -1. */
int tfm_pairs_check_ids(tfm_pairs_t *p, const tfm_tsv_t *t);
/* Normalise sequence column col (mirna_seq or mrna_seq) of the current row in place, letters of
 * alphabet a: 0, or -1 for an empty field or a letter outside a (naming position and column). */
int tfm_pairs_seq(const tfm_pairs_t *p, tfm_tsv_t *t, int col, enum tfm_alphabet a);
void tfm_pairs_free(tfm_pairs_t *p);

#endif
