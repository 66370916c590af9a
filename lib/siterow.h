/* siterow: the site rows of tfm-seed as model input. Finds the columns a model encoding needs
 * in a TSV header and turns one row into that encoding, from the text column written by
 * tfm-encode (enc_<scheme>) when present, else from the sequences. Shared by tfm-encode and
 * tfm-score so both read rows the same way. */
#ifndef TFM_SITEROW_H
#define TFM_SITEROW_H

#include "encode.h"
#include "tsv.h"

typedef struct {
    tfm_enc_t enc;
    int mirna_seq, site_seq, site_type, mirna_aln, site_aln; /* column indices, -1 if absent */
    int enc_text;                                            /* enc_<scheme> column, -1 if absent */
} tfm_siterow_t;

/* The column holding the text form of an encoding: "enc_targetnet", "enc_deeptarget". */
const char *tfm_siterow_enc_column(tfm_enc_t e);
/* Find the columns; -1 with "FILE:1: missing column 'X'" when the encoding cannot be built. */
int tfm_siterow_init(tfm_siterow_t *r, const tfm_tsv_t *t, tfm_enc_t e);
/* Is the current row the 'none' row of a pair without sites? (Never without a site_type column:
 * a hand-made table of mirna_seq and site_seq is all sites.) */
int tfm_siterow_is_none(const tfm_siterow_t *r, const tfm_tsv_t *t);
/* Check the sequences of the current row by the rules of encoding e (lib/seqcheck.h): mirna_seq
 * (column cm; -1: none) on every row, site_seq (cs) unless the row is a 'none' row. Every row a
 * tool reads goes through here, also when it is encoded from enc_<scheme> or the miRNA only
 * keys a prior. 0, or -1 with "FILE:LINE: what". */
int tfm_siterow_check_seqs(const tfm_tsv_t *t, tfm_enc_t e, int cm, int cs, int is_none);
/* The same for the columns of r. */
int tfm_siterow_check(const tfm_siterow_t *r, const tfm_tsv_t *t);
/* Encode the current row into x (tfm_encode_size floats); -1 with "FILE:LINE: what". */
int tfm_siterow_encode(const tfm_siterow_t *r, const tfm_tsv_t *t, float *x);

/* deepTarget only: the current row as letter codes (encode.h, TFM_QNET_CODES bytes); -1 with
 * "FILE:LINE: what". */
int tfm_siterow_codes(const tfm_siterow_t *r, const tfm_tsv_t *t, unsigned char *codes);
/* deepTarget rows from sequences (no enc_deeptarget column): tfm_siterow_check and, unless the
 * row is a 'none' row, tfm_siterow_codes in one pass over the letters (the integer path's per-row
 * work); the same result and messages. */
int tfm_siterow_check_codes(const tfm_siterow_t *r, const tfm_tsv_t *t, unsigned char *codes);

#endif
