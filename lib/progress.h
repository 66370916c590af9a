/* progress: a meter for long runs on a terminal: units done, rate and, when the amount of work
 * is known, the fraction done and the time left, e.g.
 *   "tfm-seed: 12,345/100,000 transcripts (12%), 1,234/s, ETA 1m03s"
 * redrawn at most a few times per second through tfm_progress() (cli), so it shows only when
 * stderr is a terminal and --quiet was not given. Used by tools only. */
#ifndef TFM_PROGRESS_H
#define TFM_PROGRESS_H

#include <stddef.h>

typedef struct {
    const char *unit; /* "transcripts", "rows", ... */
    double total;     /* units of the whole run, 0 when unknown */
    double done;      /* units so far */
    double frac;      /* fraction done known otherwise (input bytes read), < 0 when unknown */
    double t0, next;  /* start, time of the next redraw */
    int on, shown;
} tfm_meter_t;

/* Start a meter; total = 0 when the number of units is not known in advance. */
void tfm_meter_start(tfm_meter_t *m, const char *unit, double total);
/* n more units done; frac: fraction of the work done when known from something other than
 * units (bytes of input read), else -1. Redraws when the last redraw is old enough. */
void tfm_meter_add(tfm_meter_t *m, double n, double frac);
/* Same with the units done so far given. */
void tfm_meter_set(tfm_meter_t *m, double done, double frac);
/* Redraw with the final figures (only when the meter was shown) and end its line. */
void tfm_meter_end(tfm_meter_t *m);

/* The meter's text for `done` units after `elapsed` seconds, without the program name:
 * "12,345/100,000 transcripts (12%), 1,234/s, ETA 1m03s" with a total, "12,345 rows (40%),
 * 1,234/s, ETA 5s" with a fraction only, "12,345 rows, 1,234/s" with neither; no ETA once all
 * is done. Rates below 100/s get a decimal. Returns buf. */
char *tfm_meter_format(char *buf, size_t size, const char *unit, double done, double total, double frac,
                       double elapsed);
/* 1234567 -> "1,234,567" (rounded to an integer). Returns buf. */
char *tfm_fmt_count(char *buf, size_t size, double n);
/* A duration for a person: "7s", "1m03s", "2h05m", "3d04h". Returns buf. */
char *tfm_fmt_duration(char *buf, size_t size, double seconds);

#endif
