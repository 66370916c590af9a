/* seqio: streaming FASTA input (plain, gzip or BGZF, `-` for stdin) through htslib's BGZF
 * layer, with line numbers for error messages, and sequence normalisation. */
#ifndef TFM_SEQIO_H
#define TFM_SEQIO_H

#include <stddef.h>
#include <stdint.h>

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
/* The same over a copy of buf[0..len), shown as `name` in messages (the fuzzers' entry point). */
tfm_fasta_t *tfm_fasta_open_mem(const void *buf, size_t len, const char *name, enum tfm_alphabet alpha, int check_dup);
/* Read the next record into rec (reused between calls). 1: a record, 0: end of file,
 * -1: error, with a message "FILE:LINE: what (record ID)" in tfm_last_error(), or for a
 * truncated or corrupt gzip stream "FILE: truncated or corrupt gzip after line N (record ID)";
 * TFM_FASTA_BAD (-2): a bad record (a letter outside the alphabet, no sequence, a repeated id)
 * whose rec->id and rec->line name it: the next call goes on with the following record
 * (--skip-bad). Callers that stop at any error test r < 0. */
#define TFM_FASTA_BAD (-2)
/* What a reader of many records does with a bad one when asked to go on (--skip-bad): it calls
 * on_bad(ctx, message naming file, line and record) and leaves the record out. */
typedef void (*tfm_bad_fn)(void *ctx, const char *msg);
int tfm_fasta_read(tfm_fasta_t *f, tfm_seq_t *rec);
/* Fraction of the file read so far (compressed bytes when it is compressed), for progress;
 * -1 when the input is not a regular file (a pipe). */
double tfm_fasta_fraction(const tfm_fasta_t *f);
/* The file name as shown in messages ("stdin" for `-`). */
const char *tfm_fasta_name(const tfm_fasta_t *f);
void tfm_fasta_close(tfm_fasta_t *f);
void tfm_seq_free(tfm_seq_t *rec);

/* Total number of records and nucleotides of a FASTA file, read with the same checks as
 * tfm_fasta_read (a first pass for --shard). 0 ok, -1 error (tfm_last_error()). */
int tfm_fasta_count(const char *path, enum tfm_alphabet alpha, long *nrec, uint64_t *nt);

/* Random access by id through htslib faidx: PATH.fai, and PATH.gzi when PATH is BGZF. */
typedef struct tfm_faidx tfm_faidx_t;
/* Open the index of path. Returns NULL with *err = 0 when path has no PATH.fai (the caller
 * falls back to streaming), NULL with *err = -1 and tfm_last_error() set when the index
 * cannot be used (a .fai older than the file, a gzip file that is not BGZF, a broken index). */
tfm_faidx_t *tfm_faidx_open(const char *path, enum tfm_alphabet alpha, int *err);
/* Fetch record `id` into rec (normalised and checked like tfm_fasta_read; rec->line is 0).
 * 1: found, 0: no such record, -1: error "FILE: what (record ID)". */
int tfm_faidx_fetch(tfm_faidx_t *x, const char *id, tfm_seq_t *rec);
long tfm_faidx_nseq(const tfm_faidx_t *x);
void tfm_faidx_close(tfm_faidx_t *x);
/* Write PATH.fai (and PATH.gzi when PATH is BGZF) after checking every record with
 * tfm_fasta_read. A gzip file that is not BGZF cannot be indexed: recompress it first
 * (tfm_fasta_copy to a .gz name). 0 ok, -1 error. */
int tfm_fasta_index(const char *path, enum tfm_alphabet alpha);
/* Copy a FASTA file (plain, gzip or BGZF; `-` is stdin) to out: BGZF when out ends in .gz,
 * else plain. Written to OUT.tmp.PID and renamed into place on success. 0 ok, -1 error; a read
 * error names `in` and its last good line. */
int tfm_fasta_copy(const char *in, const char *out);
/* tfm_fasta_copy, then tfm_fasta_index of out; every record is checked before the copy is
 * renamed into place (an existing out stays as it was when a record fails), and messages name
 * `in` ("stdin" for `-`) with its line numbers and records. 0 ok, -1 error. */
int tfm_fasta_copy_index(const char *in, const char *out, enum tfm_alphabet alpha);
/* Is the file BGZF-compressed (1), plain (0), gzip but not BGZF (2)? -1: cannot open. */
int tfm_fasta_compression(const char *path);

/* Normalise s[0..n) in place: upper case, T->U. Returns the index of the first letter not
 * allowed by alpha, or -1 when every letter is valid. */
long tfm_seq_normalise(char *s, size_t n, enum tfm_alphabet alpha);

/* The same test without changing s: the index of the first letter of s[0..n) that alpha does not
 * allow (A, C, G, U, T in either case; N too for TFM_ALPHA_ACGUN), or -1 when all are valid. */
long tfm_seq_check(const char *s, size_t n, enum tfm_alphabet alpha);

/* Describe a byte for an error message: 'X', or \xNN for control and non-ASCII bytes. */
const char *tfm_byte_repr(int c, char buf[8]);

#endif
