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
#include "detmath.h"
#include "collapse.h"
#include "progress.h"
#include "recent.h"
#include "tsv.h"
#include "util.h"

enum method { BY_ANY_SITE, BY_BEST_SITE, BY_MAX, BY_MEAN, BY_SUM, BY_TOPK, BY_NOISY_OR, BY_ODDS_MEAN, BY_SITE_COUNT, N_METHODS };
static const char *const method_names[] = {"any-site", "best-site", "max",       "mean",      "sum",
                                           "top-k",    "noisy-or",  "odds-mean", "site-count"};

/* any-site (the default): the probability that at least one of the pair's candidate windows is
 * a functional site. A window's site score p, from a model trained with each miRNA's positive
 * and negative sites weighted equally, is read as the likelihood ratio r = p / (1 - p) of
 * "functional site" against "background". With a prior probability pi that a candidate window
 * is a functional site (--site-prior), the window's posterior is q = w r / (1 + w r),
 * w = pi / (1 - pi), and over windows taken as independent
 *     score = 1 - prod (1 - q_i) = 1 - exp(-S),  S = sum log(1 + w r_i).
 * Every window adds a non-negative term, so a further site never lowers a pair's score; a long
 * UTR of background windows (r << 1) stays low. log_odds = log(score / (1 - score)) is printed
 * beside it, so pairs near 1 still rank without ties.
 * With tfm-score's mirna_prior column (a probability at the balanced base rate of the training
 * sites), the pair's odds become odds(prior) x odds(score) / odds(REF), REF the score of a
 * reference pair with neutral evidence (r = 1) in REF_WINDOWS windows: the site evidence as a
 * Bayes factor against a typical pair, times the miRNA's prior odds. Still monotone.
 * The Bayes factor B enters as DETECTABLE B + (1 - DETECTABLE) (--detectable): a target pair
 * represses through a window the search finds with probability DETECTABLE, otherwise its
 * windows look like any pair's. So a pair without a good window keeps (1 - DETECTABLE) of its
 * prior odds instead of losing them; best-site the same. */
#define SITE_PRIOR 0.01
/* The maximum-likelihood value on both designs of models/val_genes.sh, 0.78, flat over 0.74-0.82
 * (models/detectable_fit.sh), rounded to a twentieth. */
#define DETECTABLE 0.8
#define REF_WINDOWS 14 /* of a median 3'UTR (1,400 nt) in the default search, 10-mer-m7 */

/* best-site: the probability that the pair's best candidate window is a functional site,
 * q = w r / (1 + w r) for the window of the highest score (w, r as in any-site): it ranks as max
 * does (adding a window never lowers it) but is calibrated by --site-prior. With a mirna_prior
 * column the pair's odds are odds(prior) x r / r_ref: the best window's likelihood ratio as a
 * Bayes factor against the best window of a reference pair, logit(p_ref) = REF_BEST_LOGIT (of
 * 0-4 in steps of 0.5, the best balanced accuracy on both validation gene sets of
 * models/val_genes.sh). Tried as the default and not adopted (models/README.md): better than
 * any-site on those validation genes, worse on real 3'UTRs. */
#define REF_BEST_LOGIT 2.0

/* site-count: a model-free baseline from the site types of tfm-seed --mode canonical, in the
 * spirit of TargetScan: S = the pair's sites weighted 8mer 1, 7mer-m8 0.5, 7mer-A1 0.3, 6mer 0.1
 * (other types 0; roughly the ratios of TargetScan's mean repression per site type), score
 * 1 - 2^-S. So one 8mer, two 7mer-m8 or ten 6mers score 0.5; it equals noisy-or over per-site
 * scores 1 - 2^-w. Weights are kept in tenths so that S is exact. */
static const struct {
    const char *type;
    int tenths;
} site_weights[] = {{"8mer", 10}, {"7mer-m8", 5}, {"7mer-A1", 3}, {"6mer", 1}, {NULL, 0}};

static int site_weight(const char *type)
{
    for (int i = 0; site_weights[i].type; i++)
        if (strcmp(type, site_weights[i].type) == 0) return site_weights[i].tenths;
    return 0;
}

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
    double site_prior, detectable;
    const char *output;
    int collapse; /* --collapse gene */
    /* from the options, once: log odds of any-site's reference pair, log P and log(1 - P) */
    double log_ref_odds, log_detectable, log_undetectable;
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
            "      --method METHOD any-site | best-site | max | mean | sum | top-k | noisy-or |\n"
            "                      odds-mean | site-count [%s]\n"
            "                      any-site: the probability that at least one window is a\n"
            "                      functional site: 1 - prod(1 - q), q = w r / (1 + w r), r = p/(1-p)\n"
            "                      the window's likelihood ratio, w the odds of --site-prior; with a\n"
            "                      mirna_prior column, times the prior's odds over a reference\n"
            "                      pair's; adds a log_odds column. best-site: q of the best window\n"
            "                      (max, calibrated); with a mirna_prior column, prior odds x r /\n"
            "                      r_ref (logit p_ref = 2); adds log_odds. top-k: mean of the K best;\n"
            "                      noisy-or: 1 - prod(1 - score); odds-mean: o = mean of p/(1-p)\n"
            "                      over the sites, times the odds of mirna_prior when present; score\n"
            "                      o/(1+o). any-site is made for tfm's default model; the published\n"
            "                      TargetNet and deepTarget were evaluated with max. site-count: no\n"
            "                      score column needed, 1 - 2^-S with S the sites weighted by\n"
            "                      site_type: 8mer 1, 7mer-m8 0.5, 7mer-A1 0.3, 6mer 0.1, others 0\n"
            "                      (tfm-seed --mode canonical rows)\n"
            "  -k, --top-k INT     K for --method top-k [%d]\n"
            "      --site-prior P  best-site, any-site: prior probability that a candidate window is a\n"
            "                      functional site [%g]\n"
            "      --detectable P  best-site, any-site with a mirna_prior column: the probability that a\n"
            "                      target pair represses through a window the search finds; the site\n"
            "                      evidence's Bayes factor B enters as P B + 1 - P, so a pair without\n"
            "                      a good window keeps 1 - P of its prior odds (1: B alone) [%g]\n"
            "      --collapse gene one row per (miRNA, gene_id) instead of per transcript: the row of\n"
            "                      the best transcript (highest score; of equal scores the first),\n"
            "                      mrna_id naming it, and a column n_transcripts; a gene's rows must\n"
            "                      come together (tfm-seed on GENCODE transcripts)\n"
            "  -o, --output FILE   write to FILE instead of stdout\n"
            "  -t, --threads INT   accepted for a common command line; one thread [1]\n"
            "  -q, --quiet         no progress on stderr (shown on a terminal: rows, rate, and\n"
            "                      ETA when SITES.tsv is a file)\n"
            "  -v, --verbose       a summary line on stderr at the end\n"
            "  -h, --help          this help\n"
            "  -V, --version       version\n"
            "  -b, --by METHOD     deprecated spelling of --method (--by groups rows in tfm-acc and\n"
            "                      tfm-rank)\n\n"
            "Columns: mirna_id mrna_id score n_sites best_start best_end best_site_type, then the\n"
            "pair-level input columns (mirna_seq, label, set, gene_id, ...) [n_transcripts].\n"
            "See tfm-aggregate(1).\n",
            method_names[o->by], o->top_k, o->site_prior, o->detectable);
}

/* The pair being aggregated. */
typedef struct {
    kstring_t mirna_id, mrna_id, pair_cols; /* pair_cols: the carried values, each after a tab */
    long first_line;
    int n;                                  /* sites */
    double sum, log_not, best;              /* sum of scores, sum of log(1 - score), max */
    double sum_odds, prior;                 /* sum of odds(score); the mirna_prior value (or -1) */
    double any_s, w;                        /* any-site: S = sum log(1 + w r), and w */
    long tenths;                            /* site-count: the weighted count S, in tenths */
    kstring_t best_start, best_end, best_type, best_text;
    double *scores;                         /* top-k */
    size_t scap;
    kstring_t gene;                         /* --collapse gene: its gene_id */
} pair_t;

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* log(P B + 1 - P) from log B (-inf: no evidence), P = --detectable: the site evidence's Bayes
 * factor when only a share P of target pairs repress through a window the search finds. */
static double detectable_log_bf(double log_bf, const opt_t *o)
{
    if (o->detectable >= 1) return log_bf;
    double a = o->log_detectable + log_bf, b = o->log_undetectable;
    if (a == -INFINITY) return b;
    return a > b ? a + tfm_log1p(tfm_exp(b - a)) : b + tfm_log1p(tfm_exp(a - b));
}

/* any-site's log odds from S (and the mirna_prior, or -1): log(exp(S) - 1) (-inf for S = 0,
 * no windows); with a prior, log odds(prior) + the Bayes factor against the reference. */
static double any_site_logit(double S, double prior, const opt_t *o)
{
    double lo = S <= 0 ? -INFINITY : S > 40 ? S : tfm_log(tfm_expm1(S));
    if (prior < 0) return lo;
    return tfm_log(odds(prior)) + detectable_log_bf(lo - o->log_ref_odds, o);
}

/* best-site's log odds from the best window's score (-inf without windows, unless a prior) */
static double best_site_logit(const pair_t *p, const opt_t *o)
{
    if (p->prior >= 0) {
        double log_bf = p->n == 0 ? -INFINITY : tfm_log(odds(p->best)) - REF_BEST_LOGIT;
        return tfm_log(odds(p->prior)) + detectable_log_bf(log_bf, o);
    }
    if (p->n == 0) return -INFINITY;
    return tfm_log(o->site_prior / (1 - o->site_prior)) + tfm_log(odds(p->best));
}

/* any-site's or best-site's log odds of the pair */
static double pair_logit(const pair_t *p, const opt_t *o)
{
    return o->by == BY_ANY_SITE ? any_site_logit(p->n ? p->any_s : 0, p->prior, o) : best_site_logit(p, o);
}

static void put_pair(kstring_t *s, const opt_t *o, pair_t *p)
{
    kputs(p->mirna_id.s, s), kputc('\t', s), kputs(p->mrna_id.s, s), kputc('\t', s);
    int calibrated = o->by == BY_ANY_SITE || o->by == BY_BEST_SITE;
    double lo = calibrated ? pair_logit(p, o) : 0; /* the pair's log odds, for score and log_odds */
    if (p->n == 0) { /* 0, or with a prior what the prior keeps (detectable_log_bf) */
        char num[32];
        kputsn(num, tfm_fmt_g6(num, calibrated && p->prior >= 0 ? tfm_sigmoid(lo) : 0), s);
        kputs("\t0\t.\t.\t.", s);
    } else {
        double v = p->best;
        switch (o->by) {
        case BY_MAX: break;
        case BY_MEAN: v = p->sum / p->n; break;
        case BY_SUM: v = p->sum; break;
        case BY_NOISY_OR: v = -tfm_expm1(p->log_not); break;
        case BY_SITE_COUNT: v = 1 - tfm_exp(-(double)p->tenths / 10 * 0.69314718055994530942); /* 1 - 2^(-count) */ break;
        case BY_ODDS_MEAN: {
            double o = p->sum_odds / p->n * (p->prior >= 0 ? odds(p->prior) : 1);
            v = o / (1 + o);
        } break;
        case BY_ANY_SITE: case BY_BEST_SITE: v = tfm_sigmoid(lo); break;
        case N_METHODS: break;
        case BY_TOPK: {
            int k = p->n < o->top_k ? p->n : o->top_k;
            qsort(p->scores, p->n, sizeof *p->scores, cmp_desc);
            v = 0;
            for (int i = 0; i < k; i++) v += p->scores[i];
            v /= k;
        } break;
        }
        char num[32];
        if (o->by == BY_MAX) kputs(p->best_text.s, s); /* the site's own score text, unchanged */
        else kputsn(num, tfm_fmt_g6(num, v), s);      /* "%.6g" */
        kputc('\t', s), kputw(p->n, s), kputc('\t', s), kputs(p->best_start.s, s), kputc('\t', s);
        kputs(p->best_end.s, s), kputc('\t', s), kputs(p->best_type.s, s);
    }
    if (calibrated) {
        char num[TFM_FMT_F6_SIZE];
        if (isinf(lo)) kputs("\t-inf", s);
        else kputc('\t', s), kputsn(num, tfm_fmt_f6(num, lo), s); /* "%.6f" */
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

/* The carried columns of the current row are those of the pair (pair_cols: each after a tab). */
static int same_carried(const tfm_tsv_t *t, const int *carry, int ncarry, const kstring_t *pair_cols)
{
    const char *q = pair_cols->s ? pair_cols->s : "", *end = q + pair_cols->l;
    for (int i = 0; i < ncarry; i++) {
        size_t n = t->flen[carry[i]];
        if (q >= end || *q != '\t' || (size_t)(end - q - 1) < n || memcmp(q + 1, t->f[carry[i]], n) != 0) return 0;
        q += 1 + n;
    }
    return q == end;
}

static void kset(kstring_t *k, const char *s)
{
    k->l = 0;
    kputs(s, k);
}

/* The finished pair's row onto s; with --collapse gene through the collapser (cl), which hands
 * back the rows of each finished gene. */
static void emit_pair(kstring_t *s, const opt_t *o, pair_t *p, tfm_collapse_t *cl, kstring_t *line, const char *file)
{
    if (!cl) {
        put_pair(s, o, p);
        return;
    }
    line->l = 0;
    put_pair(line, o, p);
    const char *score = strchr(strchr(line->s, '\t') + 1, '\t') + 1; /* column 3 */
    if (tfm_collapse_add(cl, p->mirna_id.s, p->gene.s, atof(score), line->s, line->l - 1, s) < 0)
        tfm_die("%s:%ld: %s", file, p->first_line, tfm_last_error());
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-aggregate");
    opt_t o = {.by = BY_ANY_SITE, .top_k = 3, .site_prior = SITE_PRIOR, .detectable = DETECTABLE};
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_METHOD = 256, OPT_BY, OPT_COLLAPSE, OPT_SITE_PRIOR, OPT_DETECTABLE };
    static const struct option longopts[] = {{"method", required_argument, 0, OPT_METHOD}, {"by", required_argument, 0, OPT_BY},
                                             {"top-k", required_argument, 0, 'k'},
                                             {"site-prior", required_argument, 0, OPT_SITE_PRIOR},
                                             {"detectable", required_argument, 0, OPT_DETECTABLE},
                                             {"collapse", required_argument, 0, OPT_COLLAPSE}, TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "b:k:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'b': case OPT_BY: tfm_deprecated(c == 'b' ? "-b" : "--by", "--method"); /* fall through */
        case OPT_METHOD: {
            int found = -1;
            for (int i = 0; i < N_METHODS; i++)
                if (strcmp(optarg, method_names[i]) == 0) found = i;
            if (found < 0)
                tfm_usage_error("unknown --method '%s' (any-site, max, mean, sum, top-k, noisy-or, odds-mean, site-count)",
                                optarg);
            o.by = found;
        } break;
        case 'k': o.top_k = (int)tfm_opt_long("--top-k", optarg, 1, 1000000); break;
        case OPT_SITE_PRIOR:
            o.site_prior = tfm_opt_double("--site-prior", optarg, 0, 1);
            if (!(o.site_prior > 0 && o.site_prior < 1)) tfm_usage_error("--site-prior must lie strictly between 0 and 1");
            break;
        case OPT_DETECTABLE:
            o.detectable = tfm_opt_double("--detectable", optarg, 0, 1);
            if (!(o.detectable > 0)) tfm_usage_error("--detectable must lie in (0, 1]");
            break;
        case OPT_COLLAPSE:
            if (strcmp(optarg, "gene") != 0) tfm_usage_error("unknown --collapse '%s' (gene)", optarg);
            o.collapse = 1;
            break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    o.output = co.output;
    double t0 = tfm_seconds();
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    const char *path = optind < argc ? argv[optind] : "-";
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) tfm_die_last();
    int count = o.by == BY_SITE_COUNT; /* site types only: no score column needed */
    int cmi = tfm_tsv_need(t, "mirna_id"), cmr = tfm_tsv_need(t, "mrna_id"),
        csc = count ? tfm_tsv_col(t, "score") : tfm_tsv_need(t, "score"), cty = tfm_tsv_need(t, "site_type");
    if (cmi < 0 || cmr < 0 || (csc < 0 && !count) || cty < 0) tfm_die_last();
    int cst = tfm_tsv_col(t, "start"), cen = tfm_tsv_col(t, "end"), cpr = tfm_tsv_col(t, "mirna_prior");
    int cgene = o.collapse ? tfm_tsv_col(t, "gene_id") : -1;
    if (o.collapse && cgene < 0)
        tfm_die("%s:1: missing column 'gene_id' for --collapse gene (tfm-seed writes it for GENCODE transcripts)", t->name);
    tfm_collapse_t *cl = o.collapse ? tfm_collapse_new() : NULL;
    /* any-site's reference pair: REF_WINDOWS windows of r = 1, S = REF_WINDOWS log(1 + w) */
    o.log_ref_odds = tfm_log(tfm_expm1(REF_WINDOWS * tfm_log1p(o.site_prior / (1 - o.site_prior))));
    o.log_detectable = tfm_log(o.detectable), o.log_undetectable = tfm_log1p(-o.detectable);
    double w_site = o.site_prior / (1 - o.site_prior); /* any-site: odds of a window's prior */
    int *carry = tfm_malloc(t->ncols * sizeof *carry), ncarry = 0;
    for (int i = 0; i < t->ncols; i++)
        if (i != cmi && i != cmr && !is_site_column(t->cols[i])) carry[ncarry++] = i;

    tfm_out_t *out = tfm_out_open(o.output);
    kstring_t s = {0}, key = {0}, vals = {0}, line = {0};
    kputs("mirna_id\tmrna_id\tscore\tn_sites\tbest_start\tbest_end\tbest_site_type", &s);
    if (o.by == BY_ANY_SITE || o.by == BY_BEST_SITE) kputs("\tlog_odds", &s);
    for (int i = 0; i < ncarry; i++) kputc('\t', &s), kputs(t->cols[carry[i]], &s);
    kputs(cl ? "\tn_transcripts\n" : "\n", &s);
    /* pairs already written: a pair must not come back (checked among the last TFM_RECENT_PAIRS) */
    tfm_recent_t *done = tfm_recent_new(TFM_RECENT_PAIRS);
    pair_t p = {0};
    int have = 0, r;
    long npairs = 0, nrows = 0;
    tfm_meter_t pm;
    tfm_meter_start(&pm, "rows", 0);
    while ((r = tfm_tsv_read(t)) == 1) {
        nrows++;
        tfm_meter_add(&pm, 1, pm.on ? tfm_tsv_fraction(t) : -1); /* the fraction is drawn only */
        const char *mi = t->f[cmi], *mr = t->f[cmr];
        int same = have && t->flen[cmi] == p.mirna_id.l && t->flen[cmr] == p.mrna_id.l &&
                   memcmp(mi, p.mirna_id.s, p.mirna_id.l) == 0 && memcmp(mr, p.mrna_id.s, p.mrna_id.l) == 0;
        if (!same) {
            vals.l = 0;
            for (int i = 0; i < ncarry; i++) kputc('\t', &vals), kputsn(t->f[carry[i]], t->flen[carry[i]], &vals);
            if (have) {
                emit_pair(&s, &o, &p, cl, &line, t->name);
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
            if (cl) kset(&p.gene, t->f[cgene]);
            p.first_line = t->lineno;
            p.n = 0, p.sum = 0, p.log_not = 0, p.best = -INFINITY, p.sum_odds = 0, p.prior = -1, p.any_s = 0, p.tenths = 0;
            if (cpr >= 0 && (tfm_parse_double(t->f[cpr], &p.prior) != 0 || p.prior < 0 || p.prior > 1))
                tfm_die("%s:%ld: mirna_prior '%s' is not a probability in [0, 1]", t->name, t->lineno, t->f[cpr]);
            p.w = w_site;
            have = 1;
        } else if (!same_carried(t, carry, ncarry, &p.pair_cols)) {
            tfm_die("%s:%ld: pair-level columns of %s/%s differ from line %ld", t->name, t->lineno, mi, mr, p.first_line);
        }
        if (t->flen[cty] == 4 && memcmp(t->f[cty], "none", 4) == 0) {
            if (csc >= 0 && t->flen[csc] != 0 && strcmp(t->f[csc], ".") != 0)
                tfm_die("%s:%ld: a 'none' row has a score", t->name, t->lineno);
            continue;
        }
        check_span(t, cst, cen);
        double v;
        if (count) { /* the site's own weight stands for its score: the best site is the heaviest */
            int w = site_weight(t->f[cty]);
            p.tenths += w;
            v = w / 10.0;
        } else if (tfm_parse_double(t->f[csc], &v) != 0 || v < 0 || v > 1) {
            tfm_die("%s:%ld: score '%s' is not a probability in [0, 1]", t->name, t->lineno, t->f[csc]);
        }
        /* each method's sums only: log1p was a tenth of the run time */
        switch (o.by) {
        case BY_TOPK: TFM_GROW(p.scores, p.scap, (size_t)p.n + 1), p.scores[p.n] = v; break;
        case BY_MEAN: case BY_SUM: p.sum += v; break;
        case BY_NOISY_OR: p.log_not += tfm_log1p(-v); break;
        case BY_ODDS_MEAN: p.sum_odds += odds(v); break;
        case BY_ANY_SITE: p.any_s += tfm_log1p(p.w * odds(v)); break;
        default: break;
        }
        p.n++;
        if (v > p.best) { /* the first of equal scores is the best site */
            p.best = v;
            if (!count) kset(&p.best_text, t->f[csc]);
            kset(&p.best_start, cst >= 0 ? t->f[cst] : ".");
            kset(&p.best_end, cen >= 0 ? t->f[cen] : ".");
            kset(&p.best_type, t->f[cty]);
        }
    }
    if (r < 0) tfm_die_last();
    if (have) {
        emit_pair(&s, &o, &p, cl, &line, t->name);
        npairs++;
    }
    if (cl) tfm_collapse_finish(cl, &s);
    tfm_meter_end(&pm);
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    tfm_recent_free(done);
    free(p.mirna_id.s), free(p.mrna_id.s), free(p.pair_cols.s), free(p.best_start.s), free(p.best_end.s);
    free(p.best_type.s), free(p.best_text.s), free(p.scores), free(p.gene.s);
    free(s.s), free(key.s), free(vals.s), free(line.s), free(carry);
    tfm_collapse_free(cl);
    tfm_tsv_close(t);
    if (co.verbose) tfm_summary(t0, "%ld rows, %ld pairs", nrows, npairs);
    return 0;
}
