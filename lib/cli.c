#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

static const char *prog_name = "tfm";
static int quiet;
static int progress_shown;

static void oom(size_t bytes)
{
    fflush(stdout);
    fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n", prog_name, bytes);
    exit(TFM_EXIT_DATA);
}

void tfm_cli_init(const char *prog)
{
    prog_name = prog;
    tfm_set_oom_handler(oom);
}

const char *tfm_prog(void) { return prog_name; }

/* The output a failing run must not leave behind (tools write one stream). */
static tfm_out_t *open_out;
static void discard_open_output(void);

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    tfm_progress_done();
    fflush(stdout);
    fprintf(stderr, "%s: %s", prog_name, prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tfm_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    discard_open_output();
    exit(TFM_EXIT_DATA);
}

void tfm_die_last(void) { tfm_die("%s", tfm_last_error()); }

void tfm_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void tfm_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
    exit(TFM_EXIT_USAGE);
}

void tfm_bad_option(int c, char *const *argv)
{
    if (c == ':') tfm_usage_error("option '%s' needs an argument", argv[optind - 1]);
    if (optopt) tfm_usage_error("unknown option '-%c'", optopt);
    tfm_usage_error("unknown option '%s'", argv[optind - 1]);
}

void tfm_print_version(void) { printf("%s %s (htslib %s)\n", prog_name, TFM_VERSION, hts_version()); }

long tfm_opt_long(const char *opt, const char *arg, long min, long max)
{
    long v;
    if (tfm_parse_long(arg, min, max, &v) != 0)
        tfm_usage_error("invalid value '%s' for %s (expected an integer in %ld..%ld)", arg, opt, min, max);
    return v;
}

double tfm_opt_double(const char *opt, const char *arg, double min, double max)
{
    double v;
    if (tfm_parse_double(arg, &v) != 0 || v < min || v > max)
        tfm_usage_error("invalid value '%s' for %s (expected a number in %g..%g)", arg, opt, min, max);
    return v;
}

void tfm_common_init(tfm_common_t *co)
{
    co->threads = 1, co->output = NULL, co->quiet = 0, co->verbose = 0;
}

int tfm_common_opt(tfm_common_t *co, int c, const char *arg)
{
    switch (c) {
    case 't': co->threads = (int)tfm_opt_long("--threads", arg, 1, 256); return 1;
    case 'o': co->output = arg; return 1;
    case 'q': co->quiet = 1, tfm_progress_set_quiet(1); return 1;
    case 'v': co->verbose = 1; return 1;
    case 'V': tfm_print_version(); exit(TFM_EXIT_OK);
    default: return 0;
    }
}

void tfm_deprecated(const char *old, const char *use)
{
    tfm_warn("%s is deprecated and goes in the next release: use %s", old, use);
}

void tfm_summary(double t0, const char *fmt, ...)
{
    tfm_progress_done();
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ", %.2f s, %.2f CPU s, peak RSS %.1f MB\n", tfm_seconds() - t0, tfm_cpu_seconds(),
            tfm_peak_rss() / 1e6);
}

void tfm_progress_set_quiet(int q) { quiet = q; }
int tfm_progress_on(void) { return !quiet && isatty(2); }

void tfm_progress(const char *fmt, ...)
{
    if (!tfm_progress_on()) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\r%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputs("\033[K", stderr);
    va_end(ap);
    progress_shown = 1;
}

void tfm_progress_done(void)
{
    if (progress_shown) fputc('\n', stderr);
    progress_shown = 0;
}

struct tfm_out {
    FILE *fp;
    BGZF *bgzf;
    char *path, *tmp;
};

tfm_out_t *tfm_out_open(const char *path)
{
    tfm_out_t *o = tfm_calloc(1, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        setvbuf(stdout, NULL, _IOFBF, 1 << 20);
        return o;
    }
    char *dst = tfm_write_path(path);
    if (!dst) tfm_die_last();
    o->path = tfm_strdup(path);
    if (tfm_write_renames(dst, path)) o->tmp = dst;
    else free(dst), dst = o->path;
    open_out = o;
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        if (!(o->bgzf = bgzf_open(dst, "w"))) tfm_die("cannot create '%s': %s", dst, strerror(errno));
    } else {
        if (!(o->fp = fopen(dst, "w"))) tfm_die("cannot create '%s': %s", dst, strerror(errno));
        setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
    }
    return o;
}

static void discard_open_output(void)
{
    if (open_out && open_out->tmp) unlink(open_out->tmp);
    open_out = NULL;
}

static void out_failed(tfm_out_t *o, const char *what)
{
    int e = errno;
    tfm_die("%s '%s': %s", what, o->path ? o->path : "stdout", strerror(e ? e : EIO));
}

void tfm_out_write(tfm_out_t *o, const void *buf, size_t n)
{
    if (n == 0) return;
    if (o->bgzf) {
        if (bgzf_write(o->bgzf, buf, n) < 0) out_failed(o, "cannot write");
    } else if (fwrite(buf, 1, n, o->fp) != n) {
        out_failed(o, "cannot write");
    }
}

void tfm_out_flush(tfm_out_t *o)
{
    if (o->bgzf ? bgzf_flush(o->bgzf) < 0 : fflush(o->fp) != 0) out_failed(o, "cannot write");
}

void tfm_out_close(tfm_out_t *o, int commit)
{
    if (!o) return;
    if (commit) {
        tfm_out_flush(o);
        if (o->bgzf ? bgzf_close(o->bgzf) < 0 : (o->fp == stdout ? fflush(stdout) : fclose(o->fp)) != 0)
            out_failed(o, "cannot close");
        if (o->tmp && rename(o->tmp, o->path) != 0) out_failed(o, "cannot rename into");
    } else {
        if (o->bgzf) bgzf_close(o->bgzf);
        else if (o->fp != stdout) fclose(o->fp);
        if (o->tmp) unlink(o->tmp);
    }
    if (open_out == o) open_out = NULL;
    free(o->path);
    free(o->tmp);
    free(o);
}

const char *tfm_default_model(void)
{
    static char path[4096];
    const char *env = getenv("TFM_MODEL");
    if (env && *env) return env;
    char bin[2048];
    ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 1);
    char *slash = n > 0 ? (bin[n] = 0, strrchr(bin, '/')) : NULL;
    if (!slash) return tfm_fail("no default model: cannot locate the program; set TFM_MODEL or give --model"), NULL;
    *slash = 0;
    static const char *const where[] = {"../models", "../share/tfm"}; /* build tree, installed */
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s/%s", bin, where[i], TFM_DEFAULT_MODEL);
        if (access(path, R_OK) == 0) return path;
    }
    tfm_fail("no default model %s in %s/../models or %s/../share/tfm: set TFM_MODEL or give --model",
             TFM_DEFAULT_MODEL, bin, bin);
    return NULL;
}
