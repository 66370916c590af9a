/* progress: the meter's text (counts, rate, fraction, ETA) for given figures. */
#include "check.h"
#include "cli.h"
#include "progress.h"

static const char *fmt(const char *unit, double done, double total, double frac, double elapsed)
{
    static char buf[256];
    return tfm_meter_format(buf, sizeof buf, unit, done, total, frac, elapsed);
}

int main(void)
{
    char b[64];
    CHECK_STR(tfm_fmt_count(b, sizeof b, 0), "0");
    CHECK_STR(tfm_fmt_count(b, sizeof b, 999), "999");
    CHECK_STR(tfm_fmt_count(b, sizeof b, 1000), "1,000");
    CHECK_STR(tfm_fmt_count(b, sizeof b, 12345), "12,345");
    CHECK_STR(tfm_fmt_count(b, sizeof b, 1234567.4), "1,234,567");
    CHECK_STR(tfm_fmt_count(b, sizeof b, 999999.6), "1,000,000");
    CHECK_STR(tfm_fmt_count(b, sizeof b, -5), "0");

    CHECK_STR(tfm_fmt_duration(b, sizeof b, 0), "0s");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 0.2), "1s"); /* rounded up: 0s only when done */
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 59), "59s");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 63), "1m03s");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 3599), "59m59s");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 3600 * 2 + 5 * 60), "2h05m");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, 86400 * 3 + 4 * 3600 + 10), "3d04h");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, NAN), "?");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, INFINITY), "?");
    CHECK_STR(tfm_fmt_duration(b, sizeof b, -1), "?");

    /* a total: done/total, percent (rounded down), rate, ETA = elapsed * left / done */
    CHECK_STR(fmt("transcripts", 12345, 100000, -1, 10), "12,345/100,000 transcripts (12%), 1,235/s, ETA 1m12s");
    /* a fraction from bytes read, no total */
    CHECK_STR(fmt("rows", 5000, 0, 0.4, 2), "5,000 rows (40%), 2,500/s, ETA 3s");
    /* a pipe: count and rate only */
    CHECK_STR(fmt("rows", 5000, 0, -1, 2), "5,000 rows, 2,500/s");
    /* done: no ETA; a fraction past 1 (an estimate) shows as 100% */
    CHECK_STR(fmt("pairs", 10, 10, -1, 4), "10/10 pairs (100%), 2.5/s");
    CHECK_STR(fmt("transcripts", 700, 0, 1.02, 1), "700 transcripts (100%), 700/s");
    /* nothing done yet: no ETA to give */
    CHECK_STR(fmt("rows", 0, 100, -1, 1), "0/100 rows (0%), 0.0/s");
    /* no time elapsed: no rate rather than a division by zero */
    CHECK_STR(fmt("rows", 3, 0, -1, 0), "3 rows, 0.0/s");
    /* a small buffer is cut, never overrun */
    char small[8];
    tfm_meter_format(small, sizeof small, "transcripts", 12345, 100000, -1, 10);
    CHECK_STR(small, "12,345/");

    /* a meter that is off (--quiet, or stderr not a terminal) draws nothing, keeps the figures */
    tfm_progress_set_quiet(1);
    tfm_meter_t m;
    tfm_meter_start(&m, "rows", 0);
    CHECK_INT(m.on, 0);
    tfm_meter_add(&m, 5, -1);
    tfm_meter_add(&m, 7, 0.5);
    CHECK_INT(m.done, 12);
    CHECK_NEAR(m.frac, 0.5, 0);
    tfm_meter_end(&m);
    CHECK_INT(m.shown, 0);
    return check_summary();
}
