#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char last_error[1024];

int tfm_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

const char *tfm_last_error(void) { return last_error; }

static void default_oom(size_t bytes)
{
    (void)bytes;
    abort();
}

static void (*oom_handler)(size_t) = default_oom;

void tfm_set_oom_handler(void (*handler)(size_t bytes)) { oom_handler = handler ? handler : default_oom; }

void *tfm_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom_handler(n);
    return p;
}

void *tfm_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom_handler(n * size);
    return p;
}

void *tfm_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom_handler(n);
    return q;
}

char *tfm_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(tfm_malloc(n), s, n);
}

void tfm_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 16;
    while (c < need) c += c >> 1;
    *p = tfm_realloc(*p, c * size);
    *cap = c;
}

int tfm_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s) return -1;
    long f = 0; /* fast path: 1-18 plain digits (below 10^18 < LONG_MAX: no overflow), as strtol */
    int i = 0;
    for (; i < 18 && s[i] >= '0' && s[i] <= '9'; i++) f = f * 10 + (s[i] - '0');
    if (i > 0 && !s[i]) {
        if (f < min || f > max) return -1;
        *out = f;
        return 0;
    }
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int tfm_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!s || !*s) return -1;
    /* fast path: [-]digits[.digits], at most 15 digits: the integer m of the digits and 10^k are
     * exact doubles, so m / 10^k is rounded once, to the double nearest the decimal, as strtod */
    static const double P10[16] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s + (*s == '-');
    int64_t m = 0;
    int nd = 0, k = -1; /* k: digits after the point, -1 before it */
    for (; nd <= 15 && (unsigned)(*p - '0') < 10; p++) m = m * 10 + (*p - '0'), nd++;
    if (*p == '.') {
        const char *q = ++p;
        for (; nd <= 15 && (unsigned)(*p - '0') < 10; p++) m = m * 10 + (*p - '0'), nd++;
        k = (int)(p - q);
    }
    if (!*p && nd > 0 && nd <= 15 && k != 0) {
        double v = (double)m / P10[k < 0 ? 0 : k];
        *out = *s == '-' ? -v : v;
        return 0;
    }
    double v = strtod(s, &end);
    if (errno || *end || isnan(v)) return -1;
    *out = v;
    return 0;
}

/* x = v * 10^k (|x| < 2^30) as the product rounds it is within 2^-24 of the exact value; when
 * the exact value may lie that close to a tie (or to the power of ten that decides an exponent),
 * only printf can tell: ROUND_SLACK leaves those to it. */
#define ROUND_SLACK 1e-6

static int near_tie(double x) { return fabs(x - floor(x) - 0.5) < ROUND_SLACK; }

int tfm_fmt_g6(char *buf, double v)
{
    static const double P10[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}; /* exact */
    if (!(v >= 1e-4 && v < 1e6)) return snprintf(buf, 32, "%.6g", v);
    int exact = (double)(float)v == v;
    /* decimal exponent e: 1e5 <= v * 10^(5-e) < 1e6; the product is exact for a float (24 + 21
     * bits), for a double within 2^-33 of it */
    int e = 0;
    double x = v * P10[5];
    while (x >= 1e6) e++, x = v * P10[5 - e];
    while (x < 1e5) e--, x = v * P10[5 - e];
    if (!exact && (near_tie(x) || x - 1e5 < ROUND_SLACK || 1e6 - x < ROUND_SLACK)) return snprintf(buf, 32, "%.6g", v);
    double r = nearbyint(x); /* round half to even on the exact value, as printf */
    if (r >= 1e6) r = 1e5, e++;
    if (e >= 6) return snprintf(buf, 32, "%.6g", v);
    char d[6];
    long n = (long)r;
    for (int i = 5; i >= 0; i--) d[i] = (char)('0' + n % 10), n /= 10;
    int nd = 6;
    while (nd > 1 && d[nd - 1] == '0') nd--; /* %g drops trailing zeros */
    int len = 0;
    if (e >= 0) {
        for (int i = 0; i <= e; i++) buf[len++] = i < nd ? d[i] : '0';
        if (nd > e + 1) {
            buf[len++] = '.';
            for (int i = e + 1; i < nd; i++) buf[len++] = d[i];
        }
    } else {
        buf[len++] = '0', buf[len++] = '.';
        for (int i = 0; i < -e - 1; i++) buf[len++] = '0';
        for (int i = 0; i < nd; i++) buf[len++] = d[i];
    }
    buf[len] = 0;
    return len;
}

int tfm_fmt_f6(char *buf, double v)
{
    double x = fabs(v) * 1e6;
    if (!(fabs(v) < 1e3) || near_tie(x)) return snprintf(buf, TFM_FMT_F6_SIZE, "%.6f", v);
    long n = (long)nearbyint(x);
    char d[24];
    int nd = 0, len = 0;
    for (; nd < 7 || n; n /= 10) d[nd++] = (char)('0' + n % 10); /* at least 0.000000 */
    if (signbit(v)) buf[len++] = '-'; /* as printf: -0.000000 for a negative that rounds to 0 */
    while (nd > 6) buf[len++] = d[--nd];
    buf[len++] = '.';
    while (nd > 0) buf[len++] = d[--nd];
    buf[len] = 0;
    return len;
}

uint64_t tfm_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t tfm_fnv1a64(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 0x100000001B3ull;
    return h;
}

int64_t tfm_file_size(const char *path)
{
    struct stat st;
    int r = strcmp(path, "-") == 0 ? fstat(0, &st) : stat(path, &st);
    return r == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
}

int tfm_write_mode(const char *path)
{
    struct stat ls, st;
    if (lstat(path, &ls) != 0) {
        if (errno == ENOENT) return TFM_WRITE_RENAME;
        return tfm_fail("cannot write to '%s': %s", path, strerror(errno));
    }
    /* stat follows links; a dangling link fails here and is written through like a new file */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return tfm_fail("cannot write to '%s': it is a directory", path);
    return S_ISREG(ls.st_mode) ? TFM_WRITE_RENAME : TFM_WRITE_IN_PLACE;
}

char *tfm_write_path(const char *path)
{
    int mode = tfm_write_mode(path);
    if (mode < 0) return NULL;
    if (mode == TFM_WRITE_IN_PLACE) return tfm_strdup(path);
    size_t n = strlen(path) + 32;
    char *tmp = tfm_malloc(n);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    return tmp;
}

int tfm_write_renames(const char *written, const char *path) { return strcmp(written, path) != 0; }

double tfm_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double tfm_cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

size_t tfm_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (size_t)ru.ru_maxrss * 1024; /* Linux reports KiB */
}
