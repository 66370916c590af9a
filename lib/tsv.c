#include "tsv.h"

#include <htslib/hfile.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "input.h"
#include "util.h"

/* Read one line into t->line (without line end). 1 ok, 0 EOF, -1 error. */
static int read_line(tfm_tsv_t *t)
{
    kstring_t ks = {0, t->line_cap, t->line};
    int r = tfm_input_line((BGZF *)t->fp, &ks, t->name, &t->lineno, NULL);
    t->line = ks.s;
    t->line_cap = ks.m;
    t->line_len = ks.l;
    return r;
}

/* Room for twice the fields. */
static void grow_fields(tfm_tsv_t *t)
{
    t->fcap = t->fcap ? 2 * t->fcap : 16;
    t->f = tfm_realloc(t->f, t->fcap * sizeof *t->f);
    t->flen = tfm_realloc(t->flen, t->fcap * sizeof *t->flen);
}

/* Split t->line at tabs into t->f; returns the number of fields. Tabs are found 16 bytes at a
 * time where SSE2 is there (one memchr a field was a sixth of tfm-aggregate's time), the rest
 * with memchr. The arrays are held in locals: the NULs written into the line could otherwise
 * alias them for the compiler. */
static int split(tfm_tsv_t *t)
{
    int n = 0, cap = t->fcap;
    char **f = t->f, *p = t->line, *end = t->line + t->line_len, *at = p;
    size_t *flen = t->flen;
#define ADD_FIELD(e)                                                                   \
    do {                                                                               \
        if (n >= cap) grow_fields(t), f = t->f, flen = t->flen, cap = t->fcap;         \
        *(e) = 0, f[n] = p, flen[n++] = (size_t)((e) - p);                             \
    } while (0)
#ifdef __SSE2__
    const __m128i tab = _mm_set1_epi8('\t');
    for (; end - at >= 16; at += 16) {
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)at), tab));
        for (; mask; mask &= mask - 1) {
            char *e = at + __builtin_ctz(mask);
            ADD_FIELD(e);
            p = e + 1;
        }
    }
#endif
    for (;;) {
        char *tab = memchr(at, '\t', end - at);
        char *e = tab ? tab : end;
        ADD_FIELD(e);
        if (!tab) break;
        p = at = tab + 1;
    }
#undef ADD_FIELD
    return n;
}

/* Take over fp (closed on failure too) and read the header. */
static tfm_tsv_t *tsv_open(BGZF *fp, const char *name, long long size, int header, int ncols,
                           const char *const *names)
{
    if (!fp) return NULL;
    tfm_tsv_t *t = tfm_calloc(1, sizeof *t);
    t->fp = fp;
    t->name = tfm_strdup(name);
    t->size = size;
    if (header) {
        int r = read_line(t);
        if (r <= 0) {
            if (r == 0) tfm_fail("%s: empty file (expected a header line)", t->name);
            tfm_tsv_close(t);
            return NULL;
        }
        t->ncols = split(t);
        t->cols = tfm_malloc(t->ncols * sizeof *t->cols);
        for (int i = 0; i < t->ncols; i++) t->cols[i] = tfm_strdup(t->f[i]);
    } else {
        t->ncols = ncols;
        t->cols = tfm_malloc(ncols * sizeof *t->cols);
        for (int i = 0; i < ncols; i++) t->cols[i] = tfm_strdup(names[i]);
    }
    return t;
}

tfm_tsv_t *tfm_tsv_open(const char *path, int header, int ncols, const char *const *names)
{
    return tsv_open(tfm_input_open(path), tfm_input_name(path), tfm_file_size(path), header, ncols, names);
}

tfm_tsv_t *tfm_tsv_open_mem(const void *buf, size_t len, const char *name, int header, int ncols,
                            const char *const *names)
{
    return tsv_open(tfm_input_open_mem(buf, len), name, (long long)len, header, ncols, names);
}

int tfm_tsv_col(const tfm_tsv_t *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0) return i;
    return -1;
}

int tfm_tsv_need(const tfm_tsv_t *t, const char *name)
{
    int i = tfm_tsv_col(t, name);
    if (i < 0) return tfm_fail("%s:1: missing column '%s'", t->name, name);
    return i;
}

int tfm_tsv_read(tfm_tsv_t *t)
{
    int r;
    do {
        if ((r = read_line(t)) <= 0) return r;
    } while (t->line_len == 0); /* blank lines carry nothing; a trailing one is common */
    int n = split(t);
    if (n != t->ncols)
        return tfm_fail("%s:%ld: %d fields, but the header has %d columns", t->name, t->lineno, n, t->ncols);
    return 1;
}

const char *tfm_tsv_restore(tfm_tsv_t *t, size_t *len)
{
    for (int i = 1; i < t->ncols; i++) t->f[i][-1] = '\t';
    *len = t->line_len;
    return t->line;
}

/* The position of the underlying file: compressed bytes, which are what the size counts. */
double tfm_tsv_fraction(const tfm_tsv_t *t)
{
    return t->size > 0 ? fmin(1, (double)htell(((BGZF *)t->fp)->fp) / (double)t->size) : -1;
}

void tfm_tsv_close(tfm_tsv_t *t)
{
    if (!t) return;
    bgzf_close((BGZF *)t->fp);
    for (int i = 0; i < t->ncols; i++) free(t->cols[i]);
    free(t->cols);
    free(t->f);
    free(t->flen);
    free(t->line);
    free(t->name);
    free(t);
}
