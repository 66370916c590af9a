/* cli: what every tool shares at its edges: messages tagged with the program name, exit
 * codes (0 ok, 1 bad data or I/O, 2 bad usage), --version text, progress on a terminal, and
 * an output stream that only appears complete when the run succeeded. Used by tools only. */
#ifndef TFM_CLI_H
#define TFM_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum { TFM_EXIT_OK = 0, TFM_EXIT_DATA = 1, TFM_EXIT_USAGE = 2 };

/* Set the program name used in messages and install the out-of-memory handler. */
void tfm_cli_init(const char *prog);
const char *tfm_prog(void);
/* "prog: message" on stderr, then exit(1). */
void tfm_die(const char *fmt, ...) TFM_PRINTF(1, 2) __attribute__((noreturn));
/* Report tfm_last_error() and exit(1). */
void tfm_die_last(void) __attribute__((noreturn));
void tfm_warn(const char *fmt, ...) TFM_PRINTF(1, 2);
/* "prog: message" plus "Try 'prog --help'." on stderr, then exit(2). */
void tfm_usage_error(const char *fmt, ...) TFM_PRINTF(1, 2) __attribute__((noreturn));
/* The usage error for what getopt_long returned (with opterr = 0 and an optstring starting with
 * ':'): c = ':' an option without its argument, else an unknown option. */
void tfm_bad_option(int c, char *const *argv) __attribute__((noreturn));
/* "prog VERSION (htslib X)" on stdout. */
void tfm_print_version(void);
/* The options every tool takes, with one meaning (README "Options of every tool"):
 *   -t/--threads INT  -o/--output FILE  -q/--quiet  -v/--verbose  -h/--help  -V/--version
 * A tool puts TFM_COMMON_SHORT in its getopt string and TFM_COMMON_LONG in its option table
 * (getopt.h), handles 'h' (its own usage) and hands every other letter to tfm_common_opt first. */
typedef struct {
    int threads;         /* -t [1]; a tool that runs on one thread accepts and ignores it */
    const char *output;  /* -o [NULL: stdout] */
    int quiet, verbose;  /* -q: no progress; -v: a summary line at the end */
} tfm_common_t;
#define TFM_COMMON_SHORT "t:o:qvhV"
#define TFM_COMMON_LONG                                                                                          \
    {"threads", required_argument, 0, 't'}, {"output", required_argument, 0, 'o'},                              \
        {"quiet", no_argument, 0, 'q'}, {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},       \
        {"version", no_argument, 0, 'V'}
void tfm_common_init(tfm_common_t *co);
/* 1 when c is a common option (handled: -V prints the version and exits 0), else 0. */
int tfm_common_opt(tfm_common_t *co, int c, const char *arg);
/* An old spelling that still works for one release: "warning: OLD is deprecated ...: use NEW". */
void tfm_deprecated(const char *old, const char *use);
/* The -v summary tail: ", S s, C CPU s, peak RSS M MB" after a tool's own counts; t0 from tfm_seconds(). */
void tfm_summary(double t0, const char *fmt, ...) TFM_PRINTF(2, 3);

/* Strict option numbers: a malformed or out-of-range value is a usage error naming the option. */
long tfm_opt_long(const char *opt, const char *arg, long min, long max);
double tfm_opt_double(const char *opt, const char *arg, double min, double max);

/* Progress reports go to stderr only when it is a terminal and --quiet was not given. */
void tfm_progress_set_quiet(int quiet);
int tfm_progress_on(void);
void tfm_progress(const char *fmt, ...) TFM_PRINTF(1, 2);
void tfm_progress_done(void);

/* Output: stdout for NULL or "-"; a new path or a regular file is written to PATH.tmp.PID and
 * renamed into place only by tfm_out_close(o, 1), so a failed run never leaves a file that looks
 * complete; a FIFO, a device or a symbolic link is written in place (tfm_write_mode); a
 * directory is an error. A path ending in .gz is written BGZF-compressed. */
typedef struct tfm_out tfm_out_t;
tfm_out_t *tfm_out_open(const char *path);
void tfm_out_write(tfm_out_t *o, const void *buf, size_t n);
/* Write buffered bytes; exits with a message on a write error (full disk, closed pipe). */
void tfm_out_flush(tfm_out_t *o);
/* commit = 1: flush, close and rename into place, exiting on any error; 0: discard. */
void tfm_out_close(tfm_out_t *o, int commit);

/* tfm's default model (models/README.md): $TFM_MODEL if set; else TFM_DEFAULT_MODEL in
 * BIN/../models (a build tree) or BIN/../share/tfm (make install), BIN being the directory of
 * the running program. NULL (with tfm_fail naming the places looked at) if none exists. */
#define TFM_DEFAULT_MODEL "tfm-default.safetensors"
const char *tfm_default_model(void);

#endif
