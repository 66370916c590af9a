/* tsv: tab-separated input with a header line, columns found by name, line numbers for
 * messages; plain, gzip or BGZF; `-` is stdin. */
#ifndef TFM_TSV_H
#define TFM_TSV_H

#include <stddef.h>

typedef struct {
    char *name;          /* as shown in messages ("stdin" for `-`) */
    long lineno;         /* line number of the current row */
    int ncols;           /* number of header columns */
    char **cols;         /* header names */
    char **f;            /* fields of the current row (NUL-terminated, point into the line) */
    size_t *flen;        /* their lengths */
    /* private */
    void *fp;
    char *line;
    size_t line_len, line_cap;
    int fcap;
    long long size;      /* of the file as stored, -1 for a pipe */
} tfm_tsv_t;

/* Open and read the header line (header = 1), or take the columns from `names` when the file
 * has no header (header = 0, names: ncols names). NULL with tfm_last_error() on failure. */
tfm_tsv_t *tfm_tsv_open(const char *path, int header, int ncols, const char *const *names);
/* The same over a copy of buf[0..len), shown as `name` in messages (the fuzzers' entry point). */
tfm_tsv_t *tfm_tsv_open_mem(const void *buf, size_t len, const char *name, int header, int ncols,
                            const char *const *names);
/* Index of column `name`, or -1. */
int tfm_tsv_col(const tfm_tsv_t *t, const char *name);
/* Like tfm_tsv_col but a missing column is an error "FILE:1: missing column 'NAME'". */
int tfm_tsv_need(const tfm_tsv_t *t, const char *name);
/* Next row: 1 a row, 0 end of file, -1 error (wrong number of fields, NUL byte, a truncated or
 * corrupt gzip stream: "FILE: truncated or corrupt gzip after line N"). */
int tfm_tsv_read(tfm_tsv_t *t);
/* Fraction of the file read so far (compressed bytes when it is compressed), for progress;
 * -1 when the input is not a regular file (a pipe). */
double tfm_tsv_fraction(const tfm_tsv_t *t);
/* The current row as read (fields joined by tabs again), for passing it through unchanged;
 * its length in *len. After this call t->f no longer ends at field boundaries. */
const char *tfm_tsv_restore(tfm_tsv_t *t, size_t *len);
void tfm_tsv_close(tfm_tsv_t *t);

#endif
