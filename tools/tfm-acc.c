/* tfm-acc: accuracy, precision, recall, specificity, F1, ROC-AUC and PR-AUC of scores against
 * 0/1 labels, per set and with the miRNA-prior baseline beside them; optional ROC/PR plots. */
#include <getopt.h>
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
            "  -t, --threshold FLOAT  predict positive iff score >= FLOAT [%g]\n"
            "  -b, --by COLUMN        one output row per value of COLUMN, plus a `mean` row\n"
            "                         [%s]\n"
            "  -p, --prior FILE       also evaluate the miRNA-prior baseline learnt from the training\n"
            "                         sites in FILE (columns mirna_seq, label); the input then needs\n"
            "                         `mirna_seq`, and `score` becomes optional [%s]\n"
            "      --roc FILE         draw the ROC curves into FILE (SVG) [%s]\n"
            "      --pr FILE          draw the precision-recall curves into FILE (SVG) [%s]\n"
            "  -h, --help             this text\n"
            "      --version          print the version\n"
            "\n"
            "Output (stdout): model set n pos neg threshold accuracy precision recall specificity\n"
            "f1 roc_auc pr_auc tp fp tn fn within_mirna_auc; model is `input` or `mirna-prior`.\n"
            "within_mirna_auc compares only positive-negative pairs of the same miRNA (mirna_seq,\n"
            "else mirna_id): targeting rather than miRNA identity. See man tfm-acc.\n",
            o->threshold, o->by ? o->by : "set, if the input has it", o->prior ? o->prior : "none",
            o->roc ? o->roc : "none", o->pr ? o->pr : "none");
}

static tfm_metrics_prior_t *load_prior(const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    tfm_metrics_prior_t *p = t ? tfm_evalset_prior(t) : NULL;
    if (!p) tfm_die_last();
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

static void print_row(tfm_out_t *out, const char *model, const char *set, const tfm_metrics_t *m, int counts)
{
    char b[7][16], line[512];
    const double v[7] = {m->accuracy, m->precision, m->recall, m->specificity, m->f1, m->roc_auc, m->pr_auc};
    for (int i = 0; i < 7; i++) tfm_metrics_fmt(v[i], b[i]);
    char nb[64] = ".\t.\t.", cb[96] = ".\t.\t.\t.", wb[16];
    tfm_metrics_fmt(m->within_auc, wb);
    if (counts) {
        snprintf(nb, sizeof nb, "%ld\t%ld\t%ld", m->n, m->pos, m->neg);
        snprintf(cb, sizeof cb, "%ld\t%ld\t%ld\t%ld", m->tp, m->fp, m->tn, m->fn);
    }
    int k = snprintf(line, sizeof line, "%s\t%s\t%s\t%g\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", model, set, nb,
                     m->threshold, b[0], b[1], b[2], b[3], b[4], b[5], b[6], cb, wb);
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

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-acc");
    opt_t opt;
    opt_init(&opt);
    enum { OPT_ROC = 256, OPT_PR, OPT_VERSION };
    static const struct option lo[] = {{"threshold", required_argument, 0, 't'}, {"by", required_argument, 0, 'b'},
                                       {"prior", required_argument, 0, 'p'},     {"roc", required_argument, 0, OPT_ROC},
                                       {"pr", required_argument, 0, OPT_PR},     {"help", no_argument, 0, 'h'},
                                       {"version", no_argument, 0, OPT_VERSION}, {0, 0, 0, 0}};
    int c;
    opterr = 0; /* report bad options with the program name, as every other message */
    while ((c = getopt_long(argc, argv, ":t:b:p:h", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            if (tfm_parse_double(optarg, &opt.threshold) != 0 || !isfinite(opt.threshold))
                tfm_usage_error("invalid value '%s' for --threshold (expected a number)", optarg);
            break;
        case 'b': opt.by = optarg; break;
        case 'p': opt.prior = optarg; break;
        case OPT_ROC: opt.roc = optarg; break;
        case OPT_PR: opt.pr = optarg; break;
        case 'h': usage(stdout, &opt); return TFM_EXIT_OK;
        case OPT_VERSION: tfm_print_version(); return TFM_EXIT_OK;
        case ':': tfm_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            if (optopt) tfm_usage_error("unknown option '-%c'", optopt);
            tfm_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) tfm_usage_error("one input file at most (got %d)", argc - optind);
    if (opt.by && !*opt.by) tfm_usage_error("empty column name for --by");
    const char *in = optind < argc ? argv[optind] : "-";

    /* The prior is read first so that a bad training file fails before a long input is read. */
    tfm_metrics_prior_t *prior = opt.prior ? load_prior(opt.prior) : NULL;

    tfm_tsv_t *t = tfm_tsv_open(in, 1, 0, NULL);
    if (!t) tfm_die_last();
    tfm_evalset_t R;
    if (tfm_evalset_read(&R, t, opt.by, prior) < 0) tfm_die_last();
    tfm_tsv_close(t);
    int grouped = R.grouped, nsets = R.nsets;
    char **set_name = R.set_name;

    model_t model[2];
    int nmodels = 0;
    if (R.has_score) model[nmodels++] = (model_t){"input", 0};
    if (prior) model[nmodels++] = (model_t){"mirna-prior", 1};

    /* Gather each set's rows into contiguous arrays, in input order within the set. */
    size_t *start = tfm_calloc((size_t)nsets + 1, sizeof *start);
    for (size_t i = 0; i < R.n; i++) start[R.set[i] + 1]++;
    for (int s = 0; s < nsets; s++) start[s + 1] += start[s];
    size_t *fill = tfm_malloc(((size_t)nsets + 1) * sizeof *fill);
    memcpy(fill, start, ((size_t)nsets + 1) * sizeof *fill);
    double *gs = tfm_malloc(R.n * sizeof *gs), *gp = tfm_malloc(R.n * sizeof *gp);
    unsigned char *gl = tfm_malloc(R.n);
    int *gm = tfm_malloc(R.n * sizeof *gm);
    for (size_t i = 0; i < R.n; i++) {
        size_t j = fill[R.set[i]]++;
        gm[j] = R.mirna[i];
        gs[j] = R.score[i];
        gp[j] = R.prior[i];
        gl[j] = R.label[i];
    }

    result_t *res = tfm_calloc((size_t)nsets * nmodels, sizeof *res);
    for (int s = 0; s < nsets; s++) {
        size_t o = start[s], n = start[s + 1] - start[s];
        for (int j = 0; j < nmodels; j++) {
            result_t *x = &res[s * nmodels + j];
            const double *sc = (model[j].is_prior ? gp : gs) + o;
            tfm_metrics_compute(sc, gl + o, n, opt.threshold, &x->m);
            x->m.within_auc = R.has_mirna ? tfm_metrics_grouped_auc(sc, gl + o, gm + o, n) : NAN;
            if (opt.roc) x->nr = tfm_metrics_roc_curve(sc, gl + o, n, &x->rx, &x->ry);
            if (opt.pr) x->np = tfm_metrics_pr_curve(sc, gl + o, n, &x->px, &x->py);
        }
    }

    if (opt.roc) plot(opt.roc, 1, res, nsets, set_name, grouped, model, nmodels);
    if (opt.pr) plot(opt.pr, 0, res, nsets, set_name, grouped, model, nmodels);

    tfm_out_t *out = tfm_out_open(NULL);
    static const char hdr[] = "model\tset\tn\tpos\tneg\tthreshold\taccuracy\tprecision\trecall\tspecificity\tf1"
                              "\troc_auc\tpr_auc\ttp\tfp\ttn\tfn\twithin_mirna_auc\n";
    tfm_out_write(out, hdr, sizeof hdr - 1);
    for (int s = 0; s < nsets; s++)
        for (int j = 0; j < nmodels; j++)
            print_row(out, model[j].name, grouped ? set_name[s] : "all", &res[s * nmodels + j].m, 1);
    if (grouped) {
        /* The mean of the per-set rates; a rate undefined in one set is undefined in the mean. */
        for (int j = 0; j < nmodels; j++) {
            tfm_metrics_t mean = {.threshold = opt.threshold};
            double *acc[8] = {&mean.accuracy, &mean.precision, &mean.recall, &mean.specificity,
                              &mean.f1,       &mean.roc_auc,   &mean.pr_auc, &mean.within_auc};
            for (int s = 0; s < nsets; s++) {
                const tfm_metrics_t *m = &res[s * nmodels + j].m;
                const double v[8] = {m->accuracy, m->precision, m->recall, m->specificity,
                                     m->f1,       m->roc_auc,   m->pr_auc, m->within_auc};
                for (int i = 0; i < 8; i++) *acc[i] += v[i] / nsets;
            }
            print_row(out, model[j].name, "mean", &mean, 0);
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
    free(gs);
    free(gp);
    free(gl);
    free(gm);
    free(start);
    free(fill);
    tfm_evalset_free(&R);
    tfm_metrics_prior_free(prior);
    return TFM_EXIT_OK;
}
