/* util: error messages, checked allocation, strict number parsing, hashing and splitmix64,
 * file size, clocks.
 * The lowest module: uses nothing else of tfm. Library code never exits and never
 * prints to stdout; it records a message with tfm_fail() and returns an error code,
 * and the tool decides what to do with it. */
#ifndef TFM_UTIL_H
#define TFM_UTIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TFM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TFM_PRINTF(a, b)
#endif

/* Record an error message for this thread and return -1 (so `return tfm_fail(...)` works). */
int tfm_fail(const char *fmt, ...) TFM_PRINTF(1, 2);
/* The last message recorded by tfm_fail() in this thread ("" if none). */
const char *tfm_last_error(void);

/* Checked allocation: on failure the out-of-memory handler runs (tools install one that
 * reports and exits; the default aborts). Never returns NULL. */
void *tfm_malloc(size_t n);
void *tfm_calloc(size_t n, size_t size);
void *tfm_realloc(void *p, size_t n);
char *tfm_strdup(const char *s);
void tfm_set_oom_handler(void (*handler)(size_t bytes));

/* Grow *p (element size `size`, capacity *cap) so that it holds at least `need` elements. */
void tfm_grow(void **p, size_t *cap, size_t need, size_t size);
#define TFM_GROW(ptr, cap, need) tfm_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/* Strict parsing: the whole string must be a number in range; 0 on success, -1 otherwise. */
int tfm_parse_long(const char *s, long min, long max, long *out);
int tfm_parse_double(const char *s, double *out);
/* v as printf's "%.6g" writes it, byte for byte, into buf (32 bytes suffice); its length. A
 * float value in [1e-4, 1e6) (a probability) goes without printf: v * 10^k is exact there, so
 * rounding it to an integer is the correctly rounded decimal printf gives; so does a double of
 * that range whose v * 10^k is not within 10^-6 of a tie (its rounding error is below 2^-33);
 * others via snprintf. */
int tfm_fmt_g6(char *buf, double v);
/* v as printf's "%.6f" writes it into buf (TFM_FMT_F6_SIZE bytes: the 309 digits of DBL_MAX and
 * more); its length. |v| < 1000 without printf where the rounding is certain (v * 10^6 not within
 * 10^-6 of a tie), others via snprintf. */
#define TFM_FMT_F6_SIZE 320
int tfm_fmt_f6(char *buf, double v);

/* Deterministic pseudo-random numbers: splitmix64 (any state, 0 included, starts a good
 * sequence; advances *state) and the 64-bit FNV-1a hash of a string (to seed it from text). */
uint64_t tfm_splitmix64(uint64_t *state);
uint64_t tfm_fnv1a64(const char *s);

/* Size in bytes of path ("-": stdin) when it is a regular file, else -1: a pipe or a terminal
 * has no end known in advance (progress then shows no ETA). */
int64_t tfm_file_size(const char *path);

/* How an output file named by the user (-o PATH) is written. TFM_WRITE_RENAME for a new path
 * or an existing regular file: the data go to PATH.tmp.PID, renamed over PATH only when the run
 * succeeds, so a failed run never leaves a file that looks complete. TFM_WRITE_IN_PLACE for
 * anything else that exists - a FIFO, a character device, a socket, or a symbolic link to
 * whatever (/dev/stdout, a link into another directory): PATH is opened and written as it is,
 * never replaced (a reader of a FIFO gets the data; a link stays a link). -1 with tfm_fail()
 * for a directory (or a path that cannot be examined). */
enum { TFM_WRITE_RENAME = 0, TFM_WRITE_IN_PLACE = 1 };
int tfm_write_mode(const char *path);
/* The file to open for output PATH under that rule: a new string, "PATH.tmp.PID" (rename it over
 * PATH when done, or unlink it on failure) or a copy of PATH (in place: tfm_write_renames false);
 * NULL with tfm_fail() for a directory. */
char *tfm_write_path(const char *path);
int tfm_write_renames(const char *written, const char *path);

/* Seconds since an arbitrary start (monotonic). */
double tfm_seconds(void);
/* CPU seconds (user + system) used by this process so far, all threads. */
double tfm_cpu_seconds(void);
/* Peak resident set size of this process in bytes (0 if unknown). */
size_t tfm_peak_rss(void);

#endif
