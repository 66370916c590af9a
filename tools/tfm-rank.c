/* tfm-rank: rank the pair rows of tfm-aggregate within each miRNA (its targets, best first) or
 * each gene (the miRNAs that target it), with rank and percentile columns, the top N of each
 * group, or a gene x miRNA matrix of scores.
 *
 *   tfm-seed ... | tfm-score | tfm-aggregate --collapse gene | tfm-rank --top 100
 *
 * A group is ranked when its rows are all read: when the rows of a group come together (as
 * tfm-seed writes one miRNA's rows, or one gene's), one group is held at a time; a group that
 * comes back after another is an error, unless --top N or --matrix, which hold at most N rows
 * per group or the matrix itself. */
#include <getopt.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "rank.h"
#include "tsv.h"
#include "util.h"

KHASH_MAP_INIT_STR(rk_str, int)

enum by { BY_MIRNA, BY_GENE, BY_MRNA };
static const char *const by_names[] = {"mirna", "gene", "mrna"};
static const char *const by_words[] = {"miRNA", "gene", "transcript"};

typedef struct {
    enum by by;
    int by_given, matrix;
    long top;
} opt_t;

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-rank [options] [PAIRS.tsv]\n"
            "Rank the pair rows of tfm-aggregate (stdin if no file or '-') within each miRNA, or each\n"
            "gene, by score: best first, with columns rank (1..n) and percentile (100 for the best,\n"
            "100/n for the last). Of equal scores the one with the smaller id of what is ranked\n"
            "(gene_id, else mrna_id; with --by gene or mrna: mirna_id) in byte order comes first,\n"
            "then the one read first. Groups are written in the order they first appear.\n\n"
            "Options:\n"
            "  -b, --by WHAT       mirna (group by mirna_id: a miRNA's targets), gene (by gene_id: the\n"
            "                      miRNAs of a gene) or mrna (by mrna_id) [%s]\n"
            "  -n, --top N         only the N best rows of each group [all]\n"
            "      --matrix        a gene x miRNA table of scores instead: one row per gene_id (else\n"
            "                      mrna_id) with gene_name, one column per miRNA, '.' for a pair not\n"
            "                      in the input; with --top N the genes in the top N of any miRNA\n"
            "  -o, --output FILE   write to FILE instead of stdout\n"
            "  -t, --threads INT   accepted for a common command line; one thread [1]\n"
            "  -q, --quiet         no progress on stderr\n"
            "  -v, --verbose       a summary line on stderr at the end\n"
            "  -h, --help          this help\n"
            "  -V, --version       version\n\n"
            "Memory: one group when the rows of a group come together (tfm-seed writes a transcript's\n"
            "miRNAs together: --by gene/mrna streams, --by mirna streams for one miRNA); a group that\n"
            "comes back later is an error unless --top N (N rows per group) or --matrix. See tfm-rank(1).\n",
            by_names[o->by]);
}

/* Group key, tie key and score of the current row. */
typedef struct {
    int group, tie, tie2, score, gene_name;
} cols_t;

static double row_score(const tfm_tsv_t *t, int c)
{
    double v;
    if (tfm_parse_double(t->f[c], &v) < 0) tfm_die("%s:%ld: score '%s' is not a number", t->name, t->lineno, t->f[c]);
    return v;
}

static void put_group(tfm_out_t *out, kstring_t *s, tfm_rank_group_t *g)
{
    tfm_rank_sort(g);
    for (size_t i = 0; i < g->n; i++) {
        kputsn(g->row[i].line, g->row[i].len, s);
        ksprintf(s, "\t%zu\t%.6g\n", i + 1, tfm_rank_percentile((long)i + 1, g->total));
        if (s->l > (1 << 20)) tfm_out_write(out, s->s, s->l), s->l = 0;
    }
    tfm_out_write(out, s->s, s->l), s->l = 0;
}

/* Id index of key in h, added (with a copy of key) if new; *added tells which. */
static int intern(khash_t(rk_str) *h, const char *key, int next, int *added)
{
    int absent;
    khint_t k = kh_put(rk_str, h, key, &absent);
    *added = absent;
    if (absent) kh_key(h, k) = tfm_strdup(key), kh_val(h, k) = next;
    return kh_val(h, k);
}

static void free_keys(khash_t(rk_str) *h)
{
    for (khint_t k = 0; k < kh_end(h); k++)
        if (kh_exist(h, k)) free((char *)kh_key(h, k));
    kh_destroy(rk_str, h);
}

static long run_rank(const opt_t *o, tfm_tsv_t *t, const cols_t *c, tfm_out_t *out)
{
    kstring_t s = {0};
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs("rank\tpercentile\n", &s);
    tfm_out_write(out, s.s, s.l), s.l = 0;
    khash_t(rk_str) *seen = kh_init(rk_str);
    tfm_rank_group_t *g = NULL; /* one per group with --top; else g[0] is the current group */
    int ng = 0, cur = -1, r;
    long nrows = 0;
    kstring_t tk = {0};
    tfm_meter_t pm;
    tfm_meter_start(&pm, "rows", 0);
    while ((r = tfm_tsv_read(t)) == 1) {
        nrows++;
        tfm_meter_add(&pm, 1, tfm_tsv_fraction(t));
        double v = row_score(t, c->score);
        tk.l = 0, kputs(t->f[c->tie], &tk);
        if (c->tie2 >= 0) kputc('\t', &tk), kputs(t->f[c->tie2], &tk);
        int added, gi = intern(seen, t->f[c->group], ng, &added);
        if (added) {
            ng++;
            if (o->top || !g) {
                g = tfm_realloc(g, (o->top ? ng : 1) * sizeof *g);
                memset(&g[o->top ? ng - 1 : 0], 0, sizeof *g);
                g[o->top ? ng - 1 : 0].top = o->top;
            }
            if (!o->top && cur >= 0) put_group(out, &s, &g[0]), tfm_rank_clear(&g[0]);
            cur = gi;
        } else if (!o->top && gi != cur) {
            tfm_die("%s:%ld: rows of %s '%s' come back after other %ss: tfm-rank holds one group at a time; give "
                    "--top N, or group the rows first (see tfm-rank(1), GROUPS)", t->name, t->lineno,
                    by_words[o->by], t->f[c->group], by_words[o->by]);
        }
        size_t len;
        const char *line = tfm_tsv_restore(t, &len);
        tfm_rank_add(&g[o->top ? gi : 0], v, tk.s, line, len, nrows);
    }
    if (r < 0) tfm_die_last();
    tfm_meter_end(&pm);
    for (int i = 0; i < (o->top ? ng : g ? 1 : 0); i++) put_group(out, &s, &g[i]), tfm_rank_clear(&g[i]);
    free(g), free(tk.s), free(s.s);
    free_keys(seen);
    return nrows;
}

/* ---- --matrix ---- */

typedef struct {
    char *id, *name;
    char **cell;  /* score text per miRNA column, NULL where the pair is absent */
    double *val;
    int cap;
} mrow_t;

static long run_matrix(const opt_t *o, tfm_tsv_t *t, const cols_t *c, tfm_out_t *out)
{
    khash_t(rk_str) *genes = kh_init(rk_str), *mirnas = kh_init(rk_str);
    mrow_t *row = NULL;
    char **mirna = NULL;
    size_t cap_g = 0, cap_m = 0;
    int ng = 0, nm = 0, r, added;
    long nrows = 0;
    while ((r = tfm_tsv_read(t)) == 1) {
        nrows++;
        double v = row_score(t, c->score);
        int gi = intern(genes, t->f[c->group], ng, &added);
        if (added) {
            size_t old = cap_g;
            TFM_GROW(row, cap_g, (size_t)++ng);
            memset(row + old, 0, (cap_g - old) * sizeof *row);
            row[gi].id = tfm_strdup(t->f[c->group]);
            row[gi].name = tfm_strdup(c->gene_name >= 0 ? t->f[c->gene_name] : ".");
        }
        int mi = intern(mirnas, t->f[c->tie], nm, &added);
        if (added) TFM_GROW(mirna, cap_m, (size_t)++nm), mirna[mi] = tfm_strdup(t->f[c->tie]);
        mrow_t *g = &row[gi];
        if (mi >= g->cap) {
            int old = g->cap;
            g->cap = mi + 8;
            g->cell = tfm_realloc(g->cell, g->cap * sizeof *g->cell);
            g->val = tfm_realloc(g->val, g->cap * sizeof *g->val);
            memset(g->cell + old, 0, (g->cap - old) * sizeof *g->cell);
        }
        if (g->cell[mi])
            tfm_die("%s:%ld: a second row of %s and %s: the matrix needs one row per (gene, miRNA) "
                    "(tfm-aggregate --collapse gene)", t->name, t->lineno, t->f[c->group], t->f[c->tie]);
        g->cell[mi] = tfm_strdup(t->f[c->score]);
        g->val[mi] = v;
    }
    if (r < 0) tfm_die_last();
    /* --top N: the genes among the N best of some miRNA, ranked as without --matrix */
    char *keep = tfm_malloc(ng ? ng : 1);
    memset(keep, o->top ? 0 : 1, ng ? ng : 1);
    for (int m = 0; o->top && m < nm; m++) {
        tfm_rank_group_t g = {.top = o->top};
        for (int i = 0; i < ng; i++)
            if (m < row[i].cap && row[i].cell[m]) tfm_rank_add(&g, row[i].val[m], row[i].id, "", 0, i);
        for (size_t k = 0; k < g.n; k++) keep[g.row[k].order] = 1;
        tfm_rank_clear(&g);
    }
    kstring_t s = {0};
    kputs(c->gene_name >= 0 ? "gene_id\tgene_name" : "mrna_id\tgene_name", &s);
    for (int m = 0; m < nm; m++) kputc('\t', &s), kputs(mirna[m], &s);
    kputc('\n', &s);
    for (int i = 0; i < ng; i++) {
        mrow_t *g = &row[i];
        if (keep[i]) {
            kputs(g->id, &s), kputc('\t', &s), kputs(g->name, &s);
            for (int m = 0; m < nm; m++) kputc('\t', &s), kputs(m < g->cap && g->cell[m] ? g->cell[m] : ".", &s);
            kputc('\n', &s);
        }
        for (int m = 0; m < g->cap; m++) free(g->cell[m]);
        free(g->cell), free(g->val), free(g->id), free(g->name);
    }
    tfm_out_write(out, s.s, s.l);
    for (int m = 0; m < nm; m++) free(mirna[m]);
    free(s.s), free(keep), free(row), free(mirna);
    free_keys(genes), free_keys(mirnas);
    return nrows;
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-rank");
    opt_t o = {BY_MIRNA, 0, 0, 0};
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_MATRIX = 256 };
    static const struct option longopts[] = {{"by", required_argument, 0, 'b'}, {"top", required_argument, 0, 'n'},
                                             {"matrix", no_argument, 0, OPT_MATRIX}, TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "b:n:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'b':
            for (o.by = 0; o.by < 3 && strcmp(optarg, by_names[o.by]) != 0; o.by++) {}
            if (o.by == 3) tfm_usage_error("unknown --by '%s' (mirna, gene, mrna)", optarg);
            o.by_given = 1;
            break;
        case 'n': o.top = tfm_opt_long("--top", optarg, 1, 1000000000L); break;
        case OPT_MATRIX: o.matrix = 1; break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    if (o.matrix && o.by_given) tfm_usage_error("--matrix has genes as rows and miRNAs as columns: --by does not apply");
    double t0 = tfm_seconds();
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    cols_t cl = {-1, -1, -1, -1, -1};
    int cmi = tfm_tsv_need(t, "mirna_id"), cmr = tfm_tsv_need(t, "mrna_id"), cgene = tfm_tsv_col(t, "gene_id");
    if (cmi < 0 || cmr < 0 || (cl.score = tfm_tsv_need(t, "score")) < 0) tfm_die_last();
    cl.gene_name = tfm_tsv_col(t, "gene_name");
    if (!o.matrix && (tfm_tsv_col(t, "rank") >= 0 || tfm_tsv_col(t, "percentile") >= 0))
        tfm_die("%s:1: already has a rank or percentile column", t->name);
    if (o.matrix || o.by == BY_MIRNA) { /* what is ranked: the gene (or transcript) */
        cl.group = cmi;
        cl.tie = cgene >= 0 ? cgene : cmr, cl.tie2 = cgene >= 0 ? cmr : -1;
        if (o.matrix) cl.group = cl.tie, cl.tie = cmi, cl.tie2 = -1, cl.gene_name = cgene >= 0 ? cl.gene_name : -1;
    } else {
        if (o.by == BY_GENE && cgene < 0)
            tfm_die("%s:1: missing column 'gene_id' for --by gene (tfm-seed writes it for GENCODE transcripts; or "
                    "--by mrna)", t->name);
        cl.group = o.by == BY_GENE ? cgene : cmr;
        cl.tie = cmi, cl.tie2 = o.by == BY_GENE ? cmr : -1;
    }
    tfm_out_t *out = tfm_out_open(co.output);
    long n = o.matrix ? run_matrix(&o, t, &cl, out) : run_rank(&o, t, &cl, out);
    tfm_out_close(out, 1);
    tfm_tsv_close(t);
    if (co.verbose) tfm_summary(t0, "%ld rows", n);
    return 0;
}
