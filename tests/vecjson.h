/* vecjson.h: reading the reference vector files of the tests: a whole file into memory, and
 * just enough JSON to pick numbers, arrays and strings by key inside a byte range. Not a JSON
 * parser: the vector files are known and fixed. */
#ifndef TFM_VECJSON_H
#define TFM_VECJSON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *s = tfm_malloc(cap);
    while ((r = fread(s + n, 1, cap - n - 1, f)) > 0)
        if ((n += r) == cap - 1) s = tfm_realloc(s, cap *= 2);
    fclose(f);
    s[n] = '\0';
    if (len) *len = n;
    return s;
}


/* The value after "key": within [p, end), or NULL. */
static inline const char *jfind(const char *p, const char *end, const char *key)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *q = strstr(p, pat);
    return q && q < end ? q + strlen(pat) : NULL;
}


static inline double jnum(const char *p, const char *end, const char *key)
{
    const char *q = jfind(p, end, key);
    return q ? strtod(q, NULL) : NAN;
}


/* Numbers of the (possibly nested) array after "key": flattened; *rows counts inner arrays. */
static inline int jarr(const char *p, const char *end, const char *key, double *out, int max, int *rows)
{
    if (rows) *rows = 0;
    const char *q = jfind(p, end, key);
    if (!q || !(q = strchr(q, '['))) return -1;
    int depth = 0, n = 0;
    for (; *q; q++) {
        if (*q == '[') depth++;
        else if (*q == ']') {
            if (depth == 2 && rows) (*rows)++;
            if (--depth == 0) break;
        } else if (*q == '-' || (*q >= '0' && *q <= '9')) {
            char *e;
            double v = strtod(q, &e);
            if (n < max) out[n] = v;
            n++;
            q = e - 1;
        }
    }
    if (rows && *rows == 0) *rows = 1;
    return n < max ? n : max;
}


static inline void jstr(const char *p, const char *end, const char *key, char *out, size_t size)
{
    const char *q = jfind(p, end, key);
    out[0] = '\0';
    if (!q || !(q = strchr(q, '"'))) return;
    q++;
    size_t n = 0;
    while (q[n] && q[n] != '"' && n + 1 < size) out[n] = q[n], n++;
    out[n] = '\0';
}


#endif
