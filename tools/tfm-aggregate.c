/* tfm-aggregate: site scores -> one score per (miRNA, mRNA) pair ("gene level").
 *
 * Reads the site rows of tfm-score (rows of a pair contiguous), writes one row per pair in input
 * order: mirna_id mrna_id score n_sites best_start best_end best_site_type, then every pair-level
 * column of the input (mirna_seq, label, set, ...: all columns that are not site-level). */
#include <getopt.h>
#include <htslib/kstring.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "recent.h"
#include "tsv.h"
#include "util.h"

enum method { BY_MAX, BY_MEAN, BY_SUM, BY_TOPK, BY_NOISY_OR, BY_ODDS_MEAN, BY_AUTO, N_METHODS };
static const char *const method_names[] = {"max", "mean", "sum", "top-k", "noisy-or", "odds-mean", "auto"};

/* odds-mean: a site score p from a model trained on balanced site data is read as the
 * likelihood ratio p / (1 - p) of "this window is the target site" against "it is background".
 * If a target pair has one true site among its n candidate windows, equally likely any of them,
 * the pair's posterior odds are prior odds x the mean of the windows' ratios (prior odds 1, or
 * those of the miRNA's training sites when the input has tfm-score's mirna_prior column).
 * Unlike max, it does not grow with the number of windows of a long UTR. Scores are clipped to
 * ODDS_CLIP so one saturated window cannot make the odds infinite. */
#define ODDS_CLIP 1e-6

static double odds(double p)
{
    if (p > 1 - ODDS_CLIP) p = 1 - ODDS_CLIP;
    if (p < ODDS_CLIP) p = ODDS_CLIP;
    return p / (1 - p);
}

typedef struct {
    enum method by;
    int top_k;
    const char *output;
} opt_t;

/* Columns that describe one site (or are added per site by tfm-encode/tfm-score); all others
 * describe the pair and are carried through. */
static const char *const site_columns[] = {"start", "end", "mode", "site_type", "errors", "site_seq", "esa_score",
                                           "mirna_aln", "site_aln", "score", NULL};

static int is_site_column(const char *name)
{
    if (strncmp(name, "enc_", 4) == 0) return 1; /* encodings of tfm-encode */
    for (int i = 0; site_columns[i]; i++)
        if (strcmp(name, site_columns[i]) == 0) return 1;
    return 0;
}

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-aggregate [options] [SITES.tsv]\n"
            "One score per (miRNA, mRNA) pair from the site scores of tfm-score (stdin if no file\n"
            "or '-'). Rows of a pair must be contiguous; a pair whose only row has site_type 'none'\n"
            "scores 0 with n_sites 0.\n\n"
            "Options:\n"
            "  -b, --by METHOD     max | mean | sum | top-k | noisy-or | odds-mean | auto [%s]\n"
            "                      (top-k: mean of the K best; noisy-or: 1 - prod(1 - score);\n"
            "                      odds-mean: o = mean of p/(1-p) over the sites, times the odds of\n"
            "                      the mirna_prior column when present; score o/(1+o);\n"
            "                      auto: odds-mean when the input has tfm-score's mirna_prior\n"
            "                      column (tfm's default model), else max)\n"
            "  -k, --top-k INT     K for --by top-k [%d]\n"
            "  -o, --output FILE   write to FILE instead of stdout\n"
            "  -q, --quiet         no progress on stderr (shown on a terminal: rows, rate, and\n"
            "                      ETA when SITES.tsv is a file)\n"
            "  -h, --help          this help\n"
            "      --version       version\n\n"
            "Columns: mirna_id mrna_id score n_sites best_start best_end best_site_type, then the\n"
            "pair-level input columns (mirna_seq, label, set, ...). See tfm-aggregate(1).\n",
            method_names[o->by], o->top_k);
}

/* The pair being aggregated. */
typedef struct {
    kstring_t mirna_id, mrna_id, pair_cols; /* pair_cols: the carried values, each after a tab */
    long first_line;
    int n;                                  /* sites */
    double sum, log_not, best;              /* sum of scores, sum of log(1 - score), max */
    double sum_odds, prior;                 /* sum of odds(score); the mirna_prior value (or -1) */
    kstring_t best_start, best_end, best_type, best_text;
    double *scores;                         /* top-k */
    size_t scap;
} pair_t;

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void put_pair(kstring_t *s, const opt_t *o, pair_t *p)
{
    kputs(p->mirna_id.s, s), kputc('\t', s), kputs(p->mrna_id.s, s), kputc('\t', s);
    if (p->n == 0) {
        kputs("0\t0\t.\t.\t.", s);
    } else {
        double v = p->best;
        switch (o->by) {
        case BY_MAX: break;
        case BY_MEAN: v = p->sum / p->n; break;
        case BY_SUM: v = p->sum; break;
        case BY_NOISY_OR: v = -expm1(p->log_not); break;
        case BY_ODDS_MEAN: {
            double o = p->sum_odds / p->n * (p->prior >= 0 ? odds(p->prior) : 1);
            v = o / (1 + o);
        } break;
        case BY_AUTO: case N_METHODS: break; /* resolved from the header before reading */
        case BY_TOPK: {
            int k = p->n < o->top_k ? p->n : o->top_k;
            qsort(p->scores, p->n, sizeof *p->scores, cmp_desc);
            v = 0;
            for (int i = 0; i < k; i++) v += p->scores[i];
            v /= k;
        } break;
        }
        if (o->by == BY_MAX) kputs(p->best_text.s, s); /* the site's own score text, unchanged */
        else ksprintf(s, "%.6g", v);
        kputc('\t', s), kputw(p->n, s), kputc('\t', s), kputs(p->best_start.s, s), kputc('\t', s);
        kputs(p->best_end.s, s), kputc('\t', s), kputs(p->best_type.s, s);
    }
    kputs(p->pair_cols.s ? p->pair_cols.s : "", s);
    kputc('\n', s);
}

/* A site's start and end (when the columns are there): positions 1-based inclusive, start <= end. */
static void check_span(const tfm_tsv_t *t, int cst, int cen)
{
    long a = 1, b = 1;
    if (cst >= 0 && tfm_parse_long(t->f[cst], 1, INT32_MAX, &a) != 0)
        tfm_die("%s:%ld: start '%s' is not a position (an integer >= 1)", t->name, t->lineno, t->f[cst]);
    if (cen >= 0 && tfm_parse_long(t->f[cen], 1, INT32_MAX, &b) != 0)
        tfm_die("%s:%ld: end '%s' is not a position (an integer >= 1)", t->name, t->lineno, t->f[cen]);
    if (cst >= 0 && cen >= 0 && b < a) tfm_die("%s:%ld: end %ld is before start %ld", t->name, t->lineno, b, a);
}

static void kset(kstring_t *k, const char *s)
{
    k->l = 0;
    kputs(s, k);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-aggregate");
    opt_t o = {BY_AUTO, 3, NULL};
    enum { OPT_VERSION = 256 };
    static const struct option longopts[] = {{"by", required_argument, 0, 'b'},     {"top-k", required_argument, 0, 'k'},
                                             {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"version", no_argument, 0, OPT_VERSION}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "b:k:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': {
            int found = -1;
            for (int i = 0; i < N_METHODS; i++)
                if (strcmp(optarg, method_names[i]) == 0) found = i;
            if (found < 0) tfm_usage_error("unknown --by '%s' (max, mean, sum, top-k, noisy-or, odds-mean, auto)", optarg);
            o.by = found;
        } break;
        case 'k': o.top_k = (int)tfm_opt_long("--top-k", optarg, 1, 1000000); break;
        case 'o': o.output = optarg; break;
        case 'q': tfm_progress_set_quiet(1); break;
        case 'h': usage(stdout, &o); return 0;
        case OPT_VERSION: tfm_print_version(); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    const char *path = optind < argc ? argv[optind] : "-";
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) tfm_die_last();
    int cmi = tfm_tsv_need(t, "mirna_id"), cmr = tfm_tsv_need(t, "mrna_id"), csc = tfm_tsv_need(t, "score"),
        cty = tfm_tsv_need(t, "site_type");
    if (cmi < 0 || cmr < 0 || csc < 0 || cty < 0) tfm_die_last();
    int cst = tfm_tsv_col(t, "start"), cen = tfm_tsv_col(t, "end"), cpr = tfm_tsv_col(t, "mirna_prior");
    if (o.by == BY_AUTO) o.by = cpr >= 0 ? BY_ODDS_MEAN : BY_MAX; /* a window model's rows carry mirna_prior */
    int *carry = tfm_malloc(t->ncols * sizeof *carry), ncarry = 0;
    for (int i = 0; i < t->ncols; i++)
        if (i != cmi && i != cmr && !is_site_column(t->cols[i])) carry[ncarry++] = i;

    tfm_out_t *out = tfm_out_open(o.output);
    kstring_t s = {0}, key = {0}, vals = {0};
    kputs("mirna_id\tmrna_id\tscore\tn_sites\tbest_start\tbest_end\tbest_site_type", &s);
    for (int i = 0; i < ncarry; i++) kputc('\t', &s), kputs(t->cols[carry[i]], &s);
    kputc('\n', &s);
    /* pairs already written: a pair must not come back (checked among the last TFM_RECENT_PAIRS) */
    tfm_recent_t *done = tfm_recent_new(TFM_RECENT_PAIRS);
    pair_t p = {0};
    int have = 0, r;
    long npairs = 0, nrows = 0;
    tfm_meter_t pm;
    tfm_meter_start(&pm, "rows", 0);
    while ((r = tfm_tsv_read(t)) == 1) {
        nrows++;
        tfm_meter_add(&pm, 1, tfm_tsv_fraction(t));
        const char *mi = t->f[cmi], *mr = t->f[cmr];
        int same = have && strcmp(mi, p.mirna_id.s) == 0 && strcmp(mr, p.mrna_id.s) == 0;
        vals.l = 0;
        for (int i = 0; i < ncarry; i++) kputc('\t', &vals), kputs(t->f[carry[i]], &vals);
        if (!same) {
            if (have) {
                put_pair(&s, &o, &p);
                tfm_out_write(out, s.s, s.l);
                s.l = 0;
                npairs++;
            }
            key.l = 0;
            ksprintf(&key, "%s\t%s", mi, mr);
            long first = tfm_recent_put(done, key.s, key.l, t->lineno);
            if (first >= 0)
                tfm_die("%s:%ld: pair %s/%s appears again after other pairs (first on line %ld; rows of a pair must "
                        "be contiguous)", t->name, t->lineno, mi, mr, first);
            kset(&p.mirna_id, mi), kset(&p.mrna_id, mr), kset(&p.pair_cols, vals.s ? vals.s : "");
            p.first_line = t->lineno;
            p.n = 0, p.sum = 0, p.log_not = 0, p.best = -INFINITY, p.sum_odds = 0, p.prior = -1;
            if (cpr >= 0 && (tfm_parse_double(t->f[cpr], &p.prior) != 0 || p.prior < 0 || p.prior > 1))
                tfm_die("%s:%ld: mirna_prior '%s' is not a probability in [0, 1]", t->name, t->lineno, t->f[cpr]);
            have = 1;
        } else if (strcmp(vals.s ? vals.s : "", p.pair_cols.s) != 0) {
            tfm_die("%s:%ld: pair-level columns of %s/%s differ from line %ld", t->name, t->lineno, mi, mr, p.first_line);
        }
        if (strcmp(t->f[cty], "none") == 0) {
            if (t->flen[csc] != 0 && strcmp(t->f[csc], ".") != 0)
                tfm_die("%s:%ld: a 'none' row has a score", t->name, t->lineno);
            continue;
        }
        check_span(t, cst, cen);
        double v;
        if (tfm_parse_double(t->f[csc], &v) != 0 || v < 0 || v > 1)
            tfm_die("%s:%ld: score '%s' is not a probability in [0, 1]", t->name, t->lineno, t->f[csc]);
        TFM_GROW(p.scores, p.scap, (size_t)p.n + 1);
        p.scores[p.n++] = v;
        p.sum += v;
        p.log_not += log1p(-v);
        p.sum_odds += odds(v);
        if (v > p.best) { /* the first of equal scores is the best site */
            p.best = v;
            kset(&p.best_text, t->f[csc]);
            kset(&p.best_start, cst >= 0 ? t->f[cst] : ".");
            kset(&p.best_end, cen >= 0 ? t->f[cen] : ".");
            kset(&p.best_type, t->f[cty]);
        }
    }
    if (r < 0) tfm_die_last();
    if (have) {
        put_pair(&s, &o, &p);
        npairs++;
    }
    tfm_meter_end(&pm);
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    tfm_recent_free(done);
    free(p.mirna_id.s), free(p.mrna_id.s), free(p.pair_cols.s), free(p.best_start.s), free(p.best_end.s);
    free(p.best_type.s), free(p.best_text.s), free(p.scores);
    free(s.s), free(key.s), free(vals.s), free(carry);
    tfm_tsv_close(t);
    return 0;
}
