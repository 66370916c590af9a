/* tfm-acc: accuracy, precision, recall, specificity, F1, ROC-AUC and PR-AUC of scores against
 * 0/1 labels, per set and with the miRNA-prior baseline beside them; optional ROC/PR plots; the
 * shuffled-miRNA control of tfm-decoy rows; --leakage: how far a model's scores follow the
 * miRNAs' training positive fraction. */
#include <getopt.h>
#include <htslib/kstring.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evalset.h"
#include "metrics.h"
#include "tsv.h"
#include "util.h"

typedef struct {
    double threshold;
    const char *by;    /* grouping column; NULL: `set` if present, else one group */
    const char *prior; /* training sites for the miRNA-prior baseline */
    const char *roc, *pr;
    int leakage;
} opt_t;

static void opt_init(opt_t *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = 0.5;
}

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-acc [options] [FILE]\n"
            "Classification metrics of a `score` column against a 0/1 `label` column (TSV with a\n"
            "header; FILE or stdin for `-` or none; gzip ok). One row per set, then their mean.\n"
            "\n"
            "Options:\n"
            "      --threshold FLOAT  predict positive iff score >= FLOAT [%g]\n"
            "  -b, --by COLUMN        one output row per value of COLUMN, plus a `mean` row\n"
            "                         [%s]\n"
            "  -p, --prior FILE       also evaluate the miRNA-prior baseline learnt from the training\n"
            "                         sites in FILE (columns mirna_seq, label); the input then needs\n"
            "                         `mirna_seq`, and `score` becomes optional [%s]\n"
            "      --roc FILE         draw the ROC curves into FILE (SVG) [%s]\n"
            "      --pr FILE          draw the precision-recall curves into FILE (SVG) [%s]\n"
            "  -o, --output FILE      write the table to FILE instead of stdout\n"
            "  -t, --threads INT      accepted for a common command line; one thread [1]\n"
            "                         (-t FLOAT, not an integer: the deprecated spelling of --threshold)\n"
            "  -q, --quiet            no progress on stderr (it shows none)\n"
            "  -v, --verbose          a summary line on stderr at the end\n"
            "      --leakage          instead: per set, Spearman's correlation between each miRNA's\n"
            "                         mean score and its prior, over the miRNAs of --prior's\n"
            "                         training sites (no label needed)\n"
            "  -h, --help             this text\n"
            "  -V, --version          print the version\n"
            "\n"
            "Output (stdout): model set n pos neg threshold accuracy precision recall specificity\n"
            "f1 roc_auc pr_auc tp fp tn fn within_mirna_auc; model is `input` or `mirna-prior`.\n"
            "within_mirna_auc compares only positive-negative pairs of the same miRNA (mirna_seq,\n"
            "else mirna_id): targeting rather than miRNA identity. Input with tfm-decoy's control\n"
            "and twin columns: metrics of the real rows, plus shuffle_win (positives whose real\n"
            "miRNA outscores its decoy on the same UTR, ties 1/2) and shuffled_pos (decoys with\n"
            "score >= threshold). --leakage output: model set rows mirnas seen leakage.\n"
            "See man tfm-acc.\n",
            o->threshold, o->by ? o->by : "set, if the input has it", o->prior ? o->prior : "none",
            o->roc ? o->roc : "none", o->pr ? o->pr : "none");
}

/* The values of the current row, or the message and exit 1 (lib/evalset.h). */
static const char *need_field(const tfm_tsv_t *t, int col)
{
    const char *v = tfm_evalset_field(t, col);
    if (!v) tfm_die_last();
    return v;
}

static int parse_label(const tfm_tsv_t *t, int col)
{
    int v = tfm_evalset_label(t, col);
    if (v < 0) tfm_die_last();
    return v;
}

static double read_score(const tfm_tsv_t *t, int col)
{
    double x;
    if (tfm_evalset_score(t, col, &x) < 0) tfm_die_last();
    return x;
}

static tfm_metrics_prior_t *load_prior(const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) tfm_die_last();
    int cseq = tfm_tsv_need(t, "mirna_seq"), clab = tfm_tsv_need(t, "label");
    if (cseq < 0 || clab < 0) tfm_die_last();
    tfm_metrics_prior_t *p = tfm_metrics_prior_new();
    int r;
    while ((r = tfm_tsv_read(t)) == 1) tfm_metrics_prior_add(p, need_field(t, cseq), parse_label(t, clab));
    if (r < 0) tfm_die_last();
    if (!tfm_metrics_prior_sites(p)) tfm_die("%s:1: no training sites", t->name);
    tfm_tsv_close(t);
    return p;
}

typedef struct {
    const char *name; /* `input` or `mirna-prior` */
    int is_prior;
} model_t;

/* Metrics of every (set, model), plus their curves when a plot was asked for. */
typedef struct {
    tfm_metrics_t m;
    double *rx, *ry, *px, *py;
    size_t nr, np;
} result_t;

static void print_row(tfm_out_t *out, const char *model, const char *set, const tfm_metrics_t *m, int counts,
                      int control)
{
    char b[7][16], line[600];
    const double v[7] = {m->accuracy, m->precision, m->recall, m->specificity, m->f1, m->roc_auc, m->pr_auc};
    for (int i = 0; i < 7; i++) tfm_metrics_fmt(v[i], b[i]);
    char nb[64] = ".\t.\t.", cb[96] = ".\t.\t.\t.", wb[16];
    tfm_metrics_fmt(m->within_auc, wb);
    if (counts) {
        snprintf(nb, sizeof nb, "%ld\t%ld\t%ld", m->n, m->pos, m->neg);
        snprintf(cb, sizeof cb, "%ld\t%ld\t%ld\t%ld", m->tp, m->fp, m->tn, m->fn);
    }
    int k = snprintf(line, sizeof line, "%s\t%s\t%s\t%g\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", model, set, nb,
                     m->threshold, b[0], b[1], b[2], b[3], b[4], b[5], b[6], cb, wb);
    if (control) {
        char sw[16], sp[16];
        k += snprintf(line + k, sizeof line - (size_t)k, "\t%s\t%s", tfm_metrics_fmt(m->shuffle_win, sw),
                      tfm_metrics_fmt(m->shuffled_pos, sp));
    }
    line[k++] = '\n';
    tfm_out_write(out, line, (size_t)k);
}

static void plot(const char *path, int roc, result_t *res, int nsets, char **set_name, int grouped,
                 const model_t *model, int nmodels)
{
    int ns = nsets * nmodels, k = 0;
    tfm_metrics_series_t *s = tfm_calloc((size_t)ns, sizeof *s);
    char (*label)[256] = tfm_calloc((size_t)ns, sizeof *label);
    for (int i = 0; i < nsets; i++) {
        for (int j = 0; j < nmodels; j++) {
            const result_t *r = &res[i * nmodels + j];
            char auc[16];
            tfm_metrics_fmt(roc ? r->m.roc_auc : r->m.pr_auc, auc);
            /* the model is named unless the only one is the input's own score */
            int named = !grouped || nmodels > 1 || model[j].is_prior;
            snprintf(label[k], sizeof label[k], "%s%s%s (%s %s)", grouped ? set_name[i] : "",
                     grouped && named ? " " : "", named ? model[j].name : "", roc ? "AUC" : "AP", auc);
            s[k] = (tfm_metrics_series_t){label[k], roc ? r->rx : r->px, roc ? r->ry : r->py, roc ? r->nr : r->np,
                                          i, model[j].is_prior, !roc};
            k++;
        }
    }
    char *svg = roc ? tfm_metrics_svg_plot(s, ns, "ROC", "False positive rate", "True positive rate", 1)
                    : tfm_metrics_svg_plot(s, ns, "Precision-recall", "Recall", "Precision", 0);
    tfm_out_t *o = tfm_out_open(path);
    tfm_out_write(o, svg, strlen(svg));
    tfm_out_close(o, 1);
    free(svg);
    free(label);
    free(s);
}

/* --leakage: per set, Spearman's rho between the miRNAs' mean scores and their priors, over the
 * miRNAs with training sites. Decoy rows (control `shuffled`) are left out. */
static void leakage(tfm_tsv_t *t, const tfm_metrics_prior_t *prior, const opt_t *o)
{
    int cscore = tfm_tsv_need(t, "score"), cseq = tfm_tsv_need(t, "mirna_seq");
    if (cscore < 0 || cseq < 0) tfm_die_last();
    int cset = o->by ? tfm_tsv_need(t, o->by) : tfm_tsv_col(t, "set");
    if (o->by && cset < 0) tfm_die_last();
    int cctl = tfm_tsv_col(t, "control"), grouped = cset >= 0;
    tfm_evalset_names_t sets = {0}, mirnas = {0}; /* mirnas: "SET<TAB>mirna_seq", one per (set, miRNA) */
    double *sum = NULL;
    long *cnt = NULL;
    int *set_of = NULL;
    size_t cap = 0;
    kstring_t key = {0};
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        if (cctl >= 0 && strcmp(t->f[cctl], "shuffled") == 0) continue;
        double x = read_score(t, cscore);
        int set = grouped ? tfm_evalset_name(&sets, need_field(t, cset)) : 0;
        key.l = 0;
        ksprintf(&key, "%d\t%s", set, need_field(t, cseq));
        int before = mirnas.n, k = tfm_evalset_name(&mirnas, key.s);
        if (k == before) { /* a new (set, miRNA) */
            size_t c = cap;
            TFM_GROW(sum, c, (size_t)k + 1);
            cnt = tfm_realloc(cnt, c * sizeof *cnt);
            set_of = tfm_realloc(set_of, c * sizeof *set_of);
            cap = c;
            sum[k] = 0, cnt[k] = 0, set_of[k] = set;
        }
        sum[k] += x, cnt[k]++;
    }
    if (r < 0) tfm_die_last();
    if (mirnas.n == 0) tfm_die("%s:1: no data rows", t->name);
    int nsets = grouped ? sets.n : 1;
    double *mean = tfm_malloc((size_t)mirnas.n * sizeof *mean), *pr = tfm_malloc((size_t)mirnas.n * sizeof *pr);
    kstring_t s = {0};
    kputs("model\tset\trows\tmirnas\tseen\tleakage\n", &s);
    double total = 0;
    char b[16];
    for (int set = 0; set < nsets; set++) {
        long nmir = 0, seen = 0, nrows = 0, pos;
        for (int k = 0; k < mirnas.n; k++) {
            if (set_of[k] != set) continue;
            const char *seq = strchr(mirnas.name[k], '\t') + 1;
            nmir++, nrows += cnt[k];
            if (tfm_metrics_prior_count(prior, seq, &pos) == 0) continue; /* unseen: no training fraction */
            mean[seen] = sum[k] / (double)cnt[k];
            pr[seen++] = tfm_metrics_prior_score(prior, seq);
        }
        double rho = tfm_metrics_spearman(mean, pr, (size_t)seen);
        total += rho / nsets;
        ksprintf(&s, "input\t%s\t%ld\t%ld\t%ld\t%s\n", grouped ? sets.name[set] : "all", nrows, nmir, seen,
                 tfm_metrics_fmt(rho, b));
    }
    if (grouped) ksprintf(&s, "input\tmean\t.\t.\t.\t%s\n", tfm_metrics_fmt(total, b));
    tfm_out_t *out = tfm_out_open(NULL);
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    free(s.s), free(key.s), free(sum), free(cnt), free(set_of), free(mean), free(pr);
    tfm_evalset_names_free(&sets), tfm_evalset_names_free(&mirnas);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-acc");
    opt_t opt;
    opt_init(&opt);
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_ROC = 256, OPT_PR, OPT_THRESHOLD, OPT_LEAKAGE };
    static const struct option lo[] = {{"threshold", required_argument, 0, OPT_THRESHOLD}, {"by", required_argument, 0, 'b'},
                                       {"prior", required_argument, 0, 'p'},     {"roc", required_argument, 0, OPT_ROC},
                                       {"pr", required_argument, 0, OPT_PR},     {"leakage", no_argument, 0, OPT_LEAKAGE},
                                       TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    long nthreads;
    opterr = 0; /* report bad options with the program name, as every other message */
    while ((c = getopt_long(argc, argv, ":b:p:" TFM_COMMON_SHORT, lo, NULL)) != -1) {
        if (c == 't' && tfm_parse_long(optarg, 1, 256, &nthreads) != 0 && tfm_parse_double(optarg, &opt.threshold) == 0) {
            tfm_deprecated("-t FLOAT for the threshold", "--threshold FLOAT (-t is --threads in every tool)");
            c = OPT_THRESHOLD;
        } else if (c == 't' && strcmp(optarg, "1") == 0) {
            tfm_warn("-t 1 is --threads 1 (in every tool); a threshold of 1 is --threshold 1");
        }
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case OPT_THRESHOLD:
            if (tfm_parse_double(optarg, &opt.threshold) != 0 || !isfinite(opt.threshold))
                tfm_usage_error("invalid value '%s' for --threshold (expected a number)", optarg);
            break;
        case 'b': opt.by = optarg; break;
        case 'p': opt.prior = optarg; break;
        case OPT_ROC: opt.roc = optarg; break;
        case OPT_PR: opt.pr = optarg; break;
        case OPT_LEAKAGE: opt.leakage = 1; break;
        case 'h': usage(stdout, &opt); return TFM_EXIT_OK;
        default: tfm_bad_option(c, argv);
        }
    }
    if (argc - optind > 1) tfm_usage_error("one input file at most (got %d)", argc - optind);
    double t0 = tfm_seconds();
    if (opt.by && !*opt.by) tfm_usage_error("empty column name for --by");
    if (opt.leakage && !opt.prior) tfm_usage_error("--leakage needs --prior (the miRNAs' training sites)");
    if (opt.leakage && (opt.roc || opt.pr)) tfm_usage_error("--leakage draws no curves (--roc, --pr)");
    const char *in = optind < argc ? argv[optind] : "-";

    /* The prior is read first so that a bad training file fails before a long input is read. */
    tfm_metrics_prior_t *prior = opt.prior ? load_prior(opt.prior) : NULL;

    tfm_tsv_t *t = tfm_tsv_open(in, 1, 0, NULL);
    if (!t) tfm_die_last();
    if (opt.leakage) {
        leakage(t, prior, &opt);
        tfm_tsv_close(t);
        tfm_metrics_prior_free(prior);
        return TFM_EXIT_OK;
    }
    tfm_evalset_t R;
    if (tfm_evalset_read(&R, t, opt.by, prior != NULL) < 0) tfm_die_last();
    tfm_tsv_close(t);
    int grouped = R.grouped, control = R.control;
    int nsets = grouped ? R.sets.n : 1;

    model_t model[2];
    int nmodels = 0;
    if (R.has_score) model[nmodels++] = (model_t){"input", 0};
    if (prior) model[nmodels++] = (model_t){"mirna-prior", 1};
    /* with a prior, the rows' miRNAs are their mirna_seq */
    double *rprior = tfm_calloc(R.n, sizeof *rprior);
    for (size_t i = 0; prior && i < R.n; i++) rprior[i] = tfm_metrics_prior_score(prior, R.mirnas.name[R.mirna[i]]);

    /* Gather each set's real rows into contiguous arrays, in input order within the set; with the
     * control, each beside its decoy's scores (gsh, gph). */
    size_t *start = tfm_calloc((size_t)nsets + 1, sizeof *start);
    for (size_t i = 0; i < R.n; i++)
        if (!R.shuffled[i]) start[R.set[i] + 1]++;
    for (int s = 0; s < nsets; s++) start[s + 1] += start[s];
    size_t *fill = tfm_malloc(((size_t)nsets + 1) * sizeof *fill);
    memcpy(fill, start, ((size_t)nsets + 1) * sizeof *fill);
    size_t nreal = start[nsets];
    double *gs = tfm_malloc(nreal * sizeof *gs), *gp = tfm_malloc(nreal * sizeof *gp);
    double *gsh = tfm_malloc(nreal * sizeof *gsh), *gph = tfm_malloc(nreal * sizeof *gph);
    unsigned char *gl = tfm_malloc(nreal ? nreal : 1);
    int *gm = tfm_malloc(nreal * sizeof *gm);
    for (size_t i = 0; i < R.n; i++) {
        if (R.shuffled[i]) continue;
        size_t j = fill[R.set[i]]++;
        gm[j] = R.mirna[i];
        gs[j] = R.score[i];
        gp[j] = rprior[i];
        gl[j] = R.label[i];
        gsh[j] = control ? R.score[R.twin[i]] : 0;
        gph[j] = control ? rprior[R.twin[i]] : 0;
    }

    result_t *res = tfm_calloc((size_t)nsets * nmodels, sizeof *res);
    for (int s = 0; s < nsets; s++) {
        size_t o = start[s], n = start[s + 1] - start[s];
        for (int j = 0; j < nmodels; j++) {
            result_t *x = &res[s * nmodels + j];
            const double *sc = (model[j].is_prior ? gp : gs) + o;
            tfm_metrics_compute(sc, gl + o, n, opt.threshold, &x->m);
            x->m.within_auc = R.has_mirna ? tfm_metrics_grouped_auc(sc, gl + o, gm + o, n) : NAN;
            x->m.shuffle_win = x->m.shuffled_pos = NAN;
            if (control)
                tfm_metrics_paired(sc, (model[j].is_prior ? gph : gsh) + o, gl + o, n, opt.threshold,
                                   &x->m.shuffle_win, &x->m.shuffled_pos);
            if (opt.roc) x->nr = tfm_metrics_roc_curve(sc, gl + o, n, &x->rx, &x->ry);
            if (opt.pr) x->np = tfm_metrics_pr_curve(sc, gl + o, n, &x->px, &x->py);
        }
    }

    if (opt.roc) plot(opt.roc, 1, res, nsets, R.sets.name, grouped, model, nmodels);
    if (opt.pr) plot(opt.pr, 0, res, nsets, R.sets.name, grouped, model, nmodels);

    tfm_out_t *out = tfm_out_open(co.output);
    static const char hdr[] = "model\tset\tn\tpos\tneg\tthreshold\taccuracy\tprecision\trecall\tspecificity\tf1"
                              "\troc_auc\tpr_auc\ttp\tfp\ttn\tfn\twithin_mirna_auc";
    tfm_out_write(out, hdr, sizeof hdr - 1);
    if (control) tfm_out_write(out, "\tshuffle_win\tshuffled_pos", 25);
    tfm_out_write(out, "\n", 1);
    for (int s = 0; s < nsets; s++)
        for (int j = 0; j < nmodels; j++)
            print_row(out, model[j].name, grouped ? R.sets.name[s] : "all", &res[s * nmodels + j].m, 1, control);
    if (grouped) {
        /* The mean of the per-set rates; a rate undefined in one set is undefined in the mean. */
        for (int j = 0; j < nmodels; j++) {
            tfm_metrics_t mean = {.threshold = opt.threshold};
            double *acc[10] = {&mean.accuracy, &mean.precision, &mean.recall,     &mean.specificity, &mean.f1,
                               &mean.roc_auc,  &mean.pr_auc,    &mean.within_auc, &mean.shuffle_win, &mean.shuffled_pos};
            for (int s = 0; s < nsets; s++) {
                const tfm_metrics_t *m = &res[s * nmodels + j].m;
                const double v[10] = {m->accuracy, m->precision, m->recall,     m->specificity, m->f1,
                                      m->roc_auc,  m->pr_auc,    m->within_auc, m->shuffle_win, m->shuffled_pos};
                for (int i = 0; i < 10; i++) *acc[i] += v[i] / nsets;
            }
            print_row(out, model[j].name, "mean", &mean, 0, control);
        }
    }
    tfm_out_close(out, 1);

    for (int i = 0; i < nsets * nmodels; i++) {
        free(res[i].rx);
        free(res[i].ry);
        free(res[i].px);
        free(res[i].py);
    }
    free(res);
    free(gs), free(gp), free(gsh), free(gph), free(gl), free(gm);
    free(start), free(fill), free(rprior);
    tfm_metrics_prior_free(prior);
    if (co.verbose) tfm_summary(t0, "%zu rows, %d sets", R.n, nsets);
    tfm_evalset_free(&R);
    return TFM_EXIT_OK;
}
