/* seqio: streaming FASTA input (plain, gzip or BGZF, `-` for stdin) through htslib's BGZF
 * layer, with line numbers for error messages, and sequence normalisation. */
#ifndef TFM_SEQIO_H
#define TFM_SEQIO_H

#include <stddef.h>

/* Which letters a record may contain after normalisation (upper case, T->U). */
enum tfm_alphabet {
    TFM_ALPHA_ACGU,  /* miRNAs: A, C, G, U only */
    TFM_ALPHA_ACGUN, /* transcripts: N allowed (it never pairs) */
};

typedef struct {
    char *id;       /* header up to the first white space */
    char *seq;      /* normalised sequence, NUL-terminated */
    size_t len;     /* sequence length */
    long line;      /* line number of the header (1-based) */
    size_t id_cap, seq_cap;
} tfm_seq_t;

typedef struct tfm_fasta tfm_fasta_t;

/* Open a FASTA file; `-` is stdin. check_dup: reject a repeated record id (keeps a set of ids).
 * Returns NULL with tfm_last_error() set on failure. */
tfm_fasta_t *tfm_fasta_open(const char *path, enum tfm_alphabet alpha, int check_dup);
/* Read the next record into rec (reused between calls). 1: a record, 0: end of file,
 * -1: error, with a message "FILE:LINE: what (record ID)" in tfm_last_error(). */
int tfm_fasta_read(tfm_fasta_t *f, tfm_seq_t *rec);
/* The file name as shown in messages ("stdin" for `-`). */
const char *tfm_fasta_name(const tfm_fasta_t *f);
void tfm_fasta_close(tfm_fasta_t *f);
void tfm_seq_free(tfm_seq_t *rec);

/* Normalise s[0..n) in place: upper case, T->U. Returns the index of the first letter not
 * allowed by alpha, or -1 when every letter is valid. */
long tfm_seq_normalise(char *s, size_t n, enum tfm_alphabet alpha);

/* Describe a byte for an error message: 'X', or \xNN for control and non-ASCII bytes. */
const char *tfm_byte_repr(int c, char buf[8]);

#endif
