/* pairs: the pairs TSV of tfm-seed --pairs, one (miRNA, transcript) pair a row: columns
 * mirna_id and mrna_id, optionally the sequences themselves in mirna_seq and mrna_seq (checked
 * and normalised by the rules of lib/seqcheck.h, as tfm-seed's FASTA records are), any other
 * column passed through. A pair is one row: a pair that comes back among the last `window`
 * pairs is an error. Uses tsv, seqcheck and recent; what a pair without sequence columns is
 * looked up in (FASTA, index) is the tool's business. */
#ifndef TFM_PAIRS_H
#define TFM_PAIRS_H

#include <htslib/kstring.h>

#include "tsv.h"

typedef struct {
    int mirna_id, mrna_id, mirna_seq, mrna_seq; /* column indices; the sequences -1 if absent */
    int *extra, nextra;                         /* the pass-through columns, in file order */
    /* private */
    void *seen;                                 /* tfm_recent_t of the pairs read */
    kstring_t key;
} tfm_pairs_t;

/* Find the columns of t's header and keep the last `window` pairs (tfm-seed: TFM_RECENT_PAIRS)
 * for the repeat check; -1 with "FILE:1: missing column 'mirna_id'" (or mrna_id). */
int tfm_pairs_init(tfm_pairs_t *p, const tfm_tsv_t *t, size_t window);
void tfm_pairs_free(tfm_pairs_t *p);
/* The ids of the current row: 0 when both are non-empty, else -1 with "FILE:LINE: empty mirna_id". */
int tfm_pairs_check_ids(const tfm_pairs_t *p, const tfm_tsv_t *t);
/* Record the current row's pair: 0, or -1 with "FILE:LINE: pair MI/MR repeated (first on line N)"
 * when it is among the last `window` pairs recorded. */
int tfm_pairs_check_repeat(tfm_pairs_t *p, const tfm_tsv_t *t);
/* The current row's miRNA (mirna_seq) or transcript (mrna_seq) sequence, checked and normalised
 * in place (upper case, U): 1 with *seq (and *len) set, 0 when the file has no such column, -1
 * with "FILE:LINE: pair MI/MR: invalid letter 'X' at position 3 of mirna_seq (...)". */
int tfm_pairs_mirna_seq(const tfm_pairs_t *p, tfm_tsv_t *t, const char **seq);
int tfm_pairs_mrna_seq(const tfm_pairs_t *p, tfm_tsv_t *t, const char **seq, size_t *len);
/* Append the current row's pass-through columns to s, each preceded by a tab. */
void tfm_pairs_put_extra(const tfm_pairs_t *p, const tfm_tsv_t *t, kstring_t *s);

#endif
