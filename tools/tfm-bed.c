/* tfm-bed: scored site rows -> a BED track a genome browser takes, sorted, on transcript
 * coordinates (chrom = mrna_id), name "miRNA|gene|site_type", score 0..1000 from the site score.
 *
 *   tfm-seed ... | tfm-score | tfm-bed --min-score 0.8 > sites.bed
 *
 * The rows kept are held in memory to be sorted: --min-score keeps a track (and memory) small. */
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "bed.h"
#include "cli.h"
#include "progress.h"
#include "tsv.h"
#include "util.h"

typedef struct {
    double min_score;
    const char *track;
} opt_t;

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-bed [options] [SITES.tsv]\n"
            "Site rows of tfm-seed/tfm-score (stdin if no file or '-') as BED6 for a genome browser:\n"
            "chrom = mrna_id (transcript coordinates, 0-based half-open), name miRNA|gene|site_type\n"
            "(gene: gene_name, else gene_id, else mrna_id), score round(1000 x score) (0 without a\n"
            "score column), strand +; sorted by chrom (byte order), start, end, name. 'none' rows\n"
            "are left out.\n\n"
            "Options:\n"
            "      --min-score P   only sites with score >= P [%g]\n"
            "      --track NAME    begin with a track line (name=NAME useScore=1) [none]\n"
            "  -o, --output FILE   write to FILE instead of stdout\n"
            "  -t, --threads INT   accepted for a common command line; one thread [1]\n"
            "  -q, --quiet         no progress on stderr\n"
            "  -v, --verbose       a summary line on stderr at the end\n"
            "  -h, --help          this help\n"
            "  -V, --version       version\n"
            "Columns read: mirna_id mrna_id start end site_type [score] [gene_id] [gene_name].\n"
            "See tfm-bed(1).\n",
            o->min_score);
}

typedef struct {
    char *line;          /* the BED line */
    const char *name;    /* its name field, "miRNA|gene|site_type\t..." */
    long start, end, order;
} bed_row_t;

static int cmp_rows(const void *pa, const void *pb)
{
    const bed_row_t *a = pa, *b = pb;
    size_t la = strcspn(a->line, "\t"), lb = strcspn(b->line, "\t");
    int c = memcmp(a->line, b->line, la < lb ? la : lb);
    if (c || la != lb) return c ? c : la < lb ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    if ((c = strcmp(a->name, b->name))) return c; /* the rest of the line after the name is alike */
    return (a->order > b->order) - (a->order < b->order);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-bed");
    opt_t o = {0, NULL};
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_MIN_SCORE = 256, OPT_TRACK };
    static const struct option longopts[] = {{"min-score", required_argument, 0, OPT_MIN_SCORE},
                                             {"track", required_argument, 0, OPT_TRACK}, TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c, min_given = 0;
    while ((c = getopt_long(argc, argv, TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case OPT_MIN_SCORE: o.min_score = tfm_opt_double("--min-score", optarg, 0, 1), min_given = 1; break;
        case OPT_TRACK: o.track = optarg; break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    double t0 = tfm_seconds();
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    int cmi, cmr, cst, cen, cty;
    if ((cmi = tfm_tsv_need(t, "mirna_id")) < 0 || (cmr = tfm_tsv_need(t, "mrna_id")) < 0 ||
        (cst = tfm_tsv_need(t, "start")) < 0 || (cen = tfm_tsv_need(t, "end")) < 0 ||
        (cty = tfm_tsv_need(t, "site_type")) < 0)
        tfm_die_last();
    int csc = tfm_tsv_col(t, "score"), cgid = tfm_tsv_col(t, "gene_id"), cgn = tfm_tsv_col(t, "gene_name");
    if (min_given && csc < 0) tfm_die("%s:1: missing column 'score' for --min-score (run tfm-score first)", t->name);
    bed_row_t *row = NULL;
    size_t n = 0, cap = 0;
    long nrows = 0;
    int r;
    kstring_t line = {0};
    tfm_meter_t pm;
    tfm_meter_start(&pm, "rows", 0);
    while ((r = tfm_tsv_read(t)) == 1) {
        tfm_meter_add(&pm, 1, tfm_tsv_fraction(t));
        nrows++;
        if (strcmp(t->f[cty], "none") == 0) continue;
        double p = 0;
        if (csc >= 0 && (tfm_parse_double(t->f[csc], &p) < 0 || p < 0 || p > 1))
            tfm_die("%s:%ld: score '%s' is not a probability in [0, 1]", t->name, t->lineno, t->f[csc]);
        if (p < o.min_score) continue;
        long s, e;
        if (tfm_parse_long(t->f[cst], 1, 1L << 40, &s) < 0 || tfm_parse_long(t->f[cen], s, 1L << 40, &e) < 0)
            tfm_die("%s:%ld: bad site coordinates start '%s' end '%s'", t->name, t->lineno, t->f[cst], t->f[cen]);
        line.l = 0;
        const char *gene = tfm_bed_gene(cgn >= 0 ? t->f[cgn] : NULL, cgid >= 0 ? t->f[cgid] : NULL, t->f[cmr]);
        tfm_bed_put(&line, t->f[cmr], s - 1, e, t->f[cmi], gene, t->f[cty], tfm_bed_score(p));
        TFM_GROW(row, cap, n + 1);
        row[n].line = tfm_strdup(line.s);
        row[n].name = strchr(strchr(strchr(row[n].line, '\t') + 1, '\t') + 1, '\t') + 1;
        row[n].start = s - 1, row[n].end = e, row[n].order = nrows;
        n++;
    }
    if (r < 0) tfm_die_last();
    tfm_meter_end(&pm);
    qsort(row, n, sizeof *row, cmp_rows);
    tfm_out_t *out = tfm_out_open(co.output);
    kstring_t s = {0};
    if (o.track) ksprintf(&s, "track name=\"%s\" description=\"tfm sites (score = 1000 x site score)\" useScore=1\n", o.track);
    for (size_t i = 0; i < n; i++) {
        kputs(row[i].line, &s);
        free(row[i].line);
        if (s.l > (1 << 20)) tfm_out_write(out, s.s, s.l), s.l = 0;
    }
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    free(s.s), free(line.s), free(row);
    tfm_tsv_close(t);
    if (co.verbose) tfm_summary(t0, "%ld rows, %zu sites written", nrows, n);
    return 0;
}
