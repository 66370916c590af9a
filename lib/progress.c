#include "progress.h"

#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "util.h"

/* A redraw costs a write to the terminal: a few per second read well and cost nothing. The first
 * waits as long, so that a quick run shows no meter at all. */
#define INTERVAL 0.25

char *tfm_fmt_count(char *buf, size_t size, double n)
{
    char digits[32], *p = digits + sizeof digits - 1;
    unsigned long long v = n > 0 && n < 1e18 ? (unsigned long long)llround(n) : 0;
    *p = 0;
    int k = 0;
    do {
        if (k && k % 3 == 0) *--p = ',';
        *--p = (char)('0' + v % 10);
        v /= 10, k++;
    } while (v);
    snprintf(buf, size, "%s", p);
    return buf;
}

char *tfm_fmt_duration(char *buf, size_t size, double seconds)
{
    if (!(seconds >= 0) || seconds > 1e9) { /* NaN, or too far off to mean anything */
        snprintf(buf, size, "?");
        return buf;
    }
    long s = (long)ceil(seconds); /* rounded up: "0s" only when nothing is left */
    if (s < 60) snprintf(buf, size, "%lds", s);
    else if (s < 3600) snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
    else if (s < 86400) snprintf(buf, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
    else snprintf(buf, size, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
    return buf;
}

char *tfm_meter_format(char *buf, size_t size, const char *unit, double done, double total, double frac,
                       double elapsed)
{
    char c[32], t[32], r[32], eta[32];
    double f = total > 0 ? done / total : frac;
    if (f > 1) f = 1;
    double rate = elapsed > 0 ? done / elapsed : 0;
    if (rate < 100) snprintf(r, sizeof r, "%.1f", rate); /* slow units (batches, epochs): a decimal */
    else tfm_fmt_count(r, sizeof r, rate);
    int n = total > 0 ? snprintf(buf, size, "%s/%s %s", tfm_fmt_count(c, sizeof c, done), tfm_fmt_count(t, sizeof t, total), unit)
                      : snprintf(buf, size, "%s %s", tfm_fmt_count(c, sizeof c, done), unit);
    if (n < 0 || (size_t)n >= size) return buf;
    if (f >= 0)
        n += snprintf(buf + n, size - n, " (%d%%)", (int)floor(100 * f));
    if (n < 0 || (size_t)n >= size) return buf;
    n += snprintf(buf + n, size - n, ", %s/s", r);
    if (f > 0 && f < 1 && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - n, ", ETA %s", tfm_fmt_duration(eta, sizeof eta, elapsed * (1 - f) / f));
    return buf;
}

void tfm_meter_start(tfm_meter_t *m, const char *unit, double total)
{
    m->unit = unit, m->total = total > 0 ? total : 0;
    m->done = 0, m->frac = -1;
    m->t0 = tfm_seconds();
    m->next = m->t0 + INTERVAL;
    m->on = tfm_progress_on();
    m->shown = 0;
}

static void draw(tfm_meter_t *m, double now)
{
    char buf[256];
    tfm_progress("%s", tfm_meter_format(buf, sizeof buf, m->unit, m->done, m->total, m->frac, now - m->t0));
    m->shown = 1;
}

void tfm_meter_set(tfm_meter_t *m, double done, double frac)
{
    m->done = done, m->frac = frac;
    if (!m->on) return; /* not a terminal: not even the clock is read */
    double now = tfm_seconds();
    if (now < m->next) return;
    m->next = now + INTERVAL;
    draw(m, now);
}

void tfm_meter_add(tfm_meter_t *m, double n, double frac) { tfm_meter_set(m, m->done + n, frac); }

void tfm_meter_end(tfm_meter_t *m)
{
    if (m->shown) {
        if (m->frac >= 0) m->frac = 1; /* all the input was read */
        draw(m, tfm_seconds());
        tfm_progress_done();
    }
    m->shown = 0;
}
