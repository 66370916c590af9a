/* seqcheck: the one check of a sequence a tool reads - a FASTA record, a column of a TSV row -
 * before it is searched, encoded or trained on: its letters (seqio's alphabets: A, C, G, U and T
 * in either case, N where it may occur) and its length, with bounds by what the sequence is for.
 * tfm-seed, tfm-encode, tfm-score and tfm-train check through it, so a sequence one of them
 * rejects is rejected by all, with the same words. Uses seqio (alphabets), seed (miRNA bounds)
 * and encode (encodings). */
#ifndef TFM_SEQCHECK_H
#define TFM_SEQCHECK_H

#include <stddef.h>

#include "encode.h"
#include "seqio.h"

typedef struct {
    const char *what;        /* for messages: "miRNAs", "deepTarget sites", ... */
    enum tfm_alphabet alpha;
    size_t min, max;         /* length in nt, inclusive */
} tfm_seqrule_t;

/* A miRNA, 5'->3' (every tool): A C G U, TFM_MIRNA_MIN..TFM_MIRNA_MAX (15-30) nt. */
extern const tfm_seqrule_t tfm_rule_mirna;
/* A transcript (3'UTR) searched by tfm-seed: A C G U N, at least 1 nt. */
extern const tfm_seqrule_t tfm_rule_transcript;
/* The site a model input is built from (site_seq, 5'->3' as on the transcript), by encoding:
 *   TargetNet             15-40 nt of A C G U: its window (tfm-seed --mode esa gives 40);
 *                         its encoding has no code for N
 *   deepTarget, RNA-FM    6-63 nt of A C G U N: the models read the 30 nt at the site's 3' end;
 *                         6 is the shortest window tfm-seed reports (a 6mer; a fuzzy seed match
 *                         with 4 deletions), 63 covers the longest training sites (DeepMirTar:
 *                         53 nt); N (a transcript's unknown base) is an empty column or RNA-FM's
 *                         N token, as in training */
const tfm_seqrule_t *tfm_rule_site(tfm_enc_t e);

/* 0 when s[0..n) obeys r; else -1 with tfm_fail() naming `name` (a column or a record):
 *   "invalid letter 'X' at position 9 of site_seq (deepTarget sites: A, C, G, U/T, N)"
 *   "site_seq has 0 nt (deepTarget sites: 6-63 nt)" */
int tfm_seq_validate(const tfm_seqrule_t *r, const char *name, const char *s, size_t n);

#endif
