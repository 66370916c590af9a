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
/* "prog VERSION (htslib X)" on stdout. */
void tfm_print_version(void);
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
