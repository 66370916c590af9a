/* tfm-plot: a site map of one transcript as SVG.
 *
 *   tfm-seed ... | tfm-score ... | tfm-plot --mrna ID > sites.svg
 *
 * The transcript is a line (5'->3', with a nucleotide axis); each miRNA with sites on it gets a
 * lane; each site is a mark spanning start..end, coloured by site_type and, when the input has a
 * score column, drawn taller and more opaque the higher its score. Marks carry their data
 * (class "site", data-type, data-mirna, data-start, data-end, data-score) and a <title>
 * tooltip, so the SVG can be checked and scripted. Only the rows of the chosen transcript are
 * kept in memory. */
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gencode.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

typedef struct {
    const char *mrna, *mirna, *transcripts, *output, *title;
    long length;
    int width;
} opt_t;

typedef struct {
    long start, end;
    int type;     /* index into site_types */
    int lane;
    double score; /* < 0: none */
} site_t;

/* Site types in legend order, with their colours (colour-blind safe palette). */
static const char *const site_types[] = {"8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer", "noncanonical", NULL};
static const char *const site_colours[] = {"#d55e00", "#e69f00", "#009e73", "#0072b2", "#56b4e9", "#999999"};
#define N_TYPES 6

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-plot [options] [SITES.tsv]\n"
            "Draw the sites of one transcript as an SVG site map: the transcript as a line, one lane\n"
            "per miRNA, each site a mark coloured by site_type and, with a score column (tfm-score),\n"
            "sized and shaded by score. Input: tfm-seed rows (stdin if no file or '-'; gzip ok)\n"
            "with columns mrna_id, start, end, site_type and optionally mirna_id and score.\n\n"
            "Options:\n"
            "  -r, --mrna ID          the transcript to draw [the first in the input]\n"
            "  -M, --mirna ID         only the sites of this miRNA\n"
            "  -l, --length INT       transcript length in nt [from --transcripts, else the last\n"
            "                         site end]\n"
            "  -f, --transcripts FILE FASTA to take the transcript length from\n"
            "  -w, --width INT        width of the drawing in pixels [%d]\n"
            "      --title TEXT       title [the transcript id]\n"
            "  -o, --output FILE      write to FILE instead of stdout\n"
            "  -t, --threads INT      accepted for a common command line; one thread [1]\n"
            "  -q, --quiet            no progress on stderr (it shows none)\n"
            "  -v, --verbose          a summary line on stderr at the end\n"
            "  -h, --help             this help\n"
            "  -V, --version          version\n"
            "See tfm-plot(1).\n",
            o->width);
}

/* Text with the five XML special characters escaped. */
static void put_xml(kstring_t *s, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '&': kputs("&amp;", s); break;
        case '<': kputs("&lt;", s); break;
        case '>': kputs("&gt;", s); break;
        case '"': kputs("&quot;", s); break;
        case '\'': kputs("&apos;", s); break;
        default:
            if ((unsigned char)*t < 32) kputc('?', s); /* control bytes are not allowed in XML 1.0 */
            else kputc(*t, s);
        }
    }
}

static int site_type_index(const char *name)
{
    for (int i = 0; site_types[i]; i++)
        if (strcmp(site_types[i], name) == 0) return i;
    return -1;
}

/* Length of transcript `id` in a FASTA file (a GENCODE header: its transcript id, as tfm-seed
 * names it), or -1 when it is not there. */
static long fasta_length(const char *path, const char *id)
{
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGUN, 0);
    if (!f) tfm_die_last();
    tfm_seq_t rec = {0};
    tfm_gencode_t h = {0};
    long len = -1;
    int r;
    while ((r = tfm_fasta_read(f, &rec)) == 1)
        if (strcmp(rec.id, id) == 0 || (tfm_gencode_parse(&h, rec.id, (size_t)-1) == 0 && strcmp(h.id, id) == 0)) {
            len = (long)rec.len;
            break;
        }
    tfm_gencode_free(&h);
    if (r < 0) tfm_die_last();
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    return len;
}

/* A round tick step for an axis of `len` nt: 1, 2 or 5 times a power of 10, about 8 ticks. */
static long tick_step(long len)
{
    long step = 1;
    for (;;) {
        if (len / step <= 8) return step;
        if (len / (2 * step) <= 8) return 2 * step;
        if (len / (5 * step) <= 8) return 5 * step;
        step *= 10;
    }
}

static void draw(kstring_t *s, const opt_t *o, const char *mrna, long len, const site_t *site, size_t n,
                 char **lane_name, int nlane, int have_score)
{
    const int left = 160, right = 30, top = 56, lane_h = 28, axis_h = 40, legend_h = 30;
    int plot_w = o->width - left - right;
    int height = top + axis_h + (nlane ? nlane : 1) * lane_h + legend_h + 10;
    double px = (double)plot_w / (double)len; /* pixels per nt */
    int used[N_TYPES] = {0};
    for (size_t i = 0; i < n; i++) used[site[i].type] = 1;

    ksprintf(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    ksprintf(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "font-family=\"sans-serif\" font-size=\"12\">\n", o->width, height, o->width, height);
    kputs("<title>", s), put_xml(s, o->title ? o->title : mrna), kputs("</title>\n", s);
    ksprintf(s, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", o->width, height);
    kputs("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">", s);
    put_xml(s, o->title ? o->title : mrna);
    ksprintf(s, "</text>\n<text x=\"10\" y=\"40\" fill=\"#555\">%ld nt, %zu site%s, %d miRNA%s%s</text>\n", len, n,
             n == 1 ? "" : "s", nlane, nlane == 1 ? "" : "s",
             have_score ? "; mark height and opacity: score" : "");

    /* the transcript: a line with a nucleotide axis */
    int ay = top + 14;
    ksprintf(s, "<g class=\"transcript\" data-mrna=\"");
    put_xml(s, mrna);
    ksprintf(s, "\" data-length=\"%ld\">\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" stroke-width=\"4\"/>\n",
             len, left, ay, left + plot_w, ay);
    ksprintf(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">5'</text><text x=\"%d\" y=\"%d\">3'</text>\n", left - 6,
             ay + 4, left + plot_w + 6, ay + 4);
    long step = tick_step(len);
    for (long t = 0; t <= len; t += step) {
        long v = t == 0 ? 1 : t; /* the first tick is nt 1 */
        double x = left + ((double)v - 0.5) * px;
        ksprintf(s, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>", x, ay + 2, x, ay + 8);
        ksprintf(s, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%ld</text>\n", x, ay + 20, v);
    }
    kputs("</g>\n", s);

    /* lanes: one per miRNA, a faint copy of the line with the sites as marks */
    int ly0 = top + axis_h;
    for (int l = 0; l < nlane; l++) {
        int y = ly0 + l * lane_h + lane_h / 2;
        kputs("<text x=\"", s), kputw(left - 8, s), ksprintf(s, "\" y=\"%d\" text-anchor=\"end\">", y + 4);
        put_xml(s, lane_name[l]);
        ksprintf(s, "</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\" stroke-width=\"2\"/>\n", left, y,
                 left + plot_w, y);
    }
    kputs("<g class=\"sites\">\n", s);
    for (size_t i = 0; i < n; i++) {
        const site_t *x = &site[i];
        double sc = x->score < 0 ? 1 : x->score;
        double h = have_score ? 6 + 16 * sc : 16, op = have_score ? 0.3 + 0.7 * sc : 0.9;
        double x0 = left + (double)(x->start - 1) * px, w = (double)(x->end - x->start + 1) * px;
        if (w < 2) w = 2;
        int y = ly0 + x->lane * lane_h + lane_h / 2;
        ksprintf(s, "<rect class=\"site\" data-type=\"%s\" data-mirna=\"", site_types[x->type]);
        put_xml(s, lane_name[x->lane]);
        ksprintf(s, "\" data-start=\"%ld\" data-end=\"%ld\"", x->start, x->end);
        if (x->score >= 0) ksprintf(s, " data-score=\"%.6g\"", x->score);
        ksprintf(s, " x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\" stroke=\"%s\">",
                 x0, y - h / 2, w, h, site_colours[x->type], op, site_colours[x->type]);
        kputs("<title>", s), put_xml(s, lane_name[x->lane]);
        ksprintf(s, ": %s %ld-%ld", site_types[x->type], x->start, x->end);
        if (x->score >= 0) ksprintf(s, ", score %.3f", x->score);
        kputs("</title></rect>\n", s);
    }
    kputs("</g>\n", s);

    /* legend: the site types present */
    int gy = ly0 + (nlane ? nlane : 1) * lane_h + 18, gx = left;
    kputs("<g class=\"legend\">\n", s);
    for (int t = 0; t < N_TYPES; t++) {
        if (!used[t]) continue;
        ksprintf(s, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                 gx, gy - 10, site_colours[t], gx + 16, gy, site_types[t]);
        gx += 30 + 8 * (int)strlen(site_types[t]);
    }
    kputs("</g>\n</svg>\n", s);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-plot");
    opt_t o = {.width = 900, .length = -1};
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_TITLE = 256 };
    static const struct option longopts[] = {
        {"mrna", required_argument, 0, 'r'},  {"mirna", required_argument, 0, 'M'},
        {"length", required_argument, 0, 'l'}, {"transcripts", required_argument, 0, 'f'},
        {"width", required_argument, 0, 'w'}, {"title", required_argument, 0, OPT_TITLE},
        TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "r:M:l:f:w:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'r': o.mrna = optarg; break;
        case 'M': o.mirna = optarg; break;
        case 'l': o.length = tfm_opt_long("--length", optarg, 1, 1000000000L); break;
        case 'f': o.transcripts = optarg; break;
        case 'w': o.width = (int)tfm_opt_long("--width", optarg, 300, 100000); break;
        case OPT_TITLE: o.title = optarg; break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    o.output = co.output;
    double t0 = tfm_seconds();
    if (argc - optind > 1) tfm_usage_error("expected at most one SITES.tsv");
    if (o.length > 0 && o.transcripts) tfm_usage_error("give --length or --transcripts, not both");

    tfm_tsv_t *t = tfm_tsv_open(argc > optind ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    int cm, cs, ce, ct;
    if ((cm = tfm_tsv_need(t, "mrna_id")) < 0 || (cs = tfm_tsv_need(t, "start")) < 0 ||
        (ce = tfm_tsv_need(t, "end")) < 0 || (ct = tfm_tsv_need(t, "site_type")) < 0)
        tfm_die_last();
    int cmi = tfm_tsv_col(t, "mirna_id"), csc = tfm_tsv_col(t, "score");
    if (o.mirna && cmi < 0) tfm_die("%s:1: missing column 'mirna_id' (needed by --mirna)", t->name);

    char *mrna = o.mrna ? tfm_strdup(o.mrna) : NULL;
    site_t *site = NULL;
    size_t n = 0, cap = 0;
    char **lane = NULL;
    int nlane = 0, seen = 0;
    long max_end = 0;
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        if (!mrna) mrna = tfm_strdup(t->f[cm]);
        if (strcmp(t->f[cm], mrna) != 0) continue;
        seen = 1;
        const char *mi = cmi >= 0 ? t->f[cmi] : "sites";
        if (o.mirna && strcmp(mi, o.mirna) != 0) continue;
        if (strcmp(t->f[ct], "none") == 0) continue;
        int type = site_type_index(t->f[ct]);
        if (type < 0) tfm_die("%s:%ld: unknown site_type '%s'", t->name, t->lineno, t->f[ct]);
        long s, e;
        if (tfm_parse_long(t->f[cs], 1, 1000000000L, &s) < 0 || tfm_parse_long(t->f[ce], 1, 1000000000L, &e) < 0 || e < s)
            tfm_die("%s:%ld: bad site coordinates start '%s' end '%s'", t->name, t->lineno, t->f[cs], t->f[ce]);
        double score = -1;
        if (csc >= 0 && t->flen[csc] > 0 && strcmp(t->f[csc], ".") != 0) {
            if (tfm_parse_double(t->f[csc], &score) < 0 || !(score >= 0 && score <= 1))
                tfm_die("%s:%ld: bad score '%s' (want a number in 0..1)", t->name, t->lineno, t->f[csc]);
        }
        /* lanes in order of first appearance; rows of a pair are contiguous, so the last lane
         * is nearly always the one */
        int l = nlane - 1;
        if (l < 0 || strcmp(lane[l], mi) != 0) {
            for (l = 0; l < nlane && strcmp(lane[l], mi) != 0; l++) {}
            if (l == nlane) {
                lane = tfm_realloc(lane, (nlane + 1) * sizeof *lane);
                lane[nlane++] = tfm_strdup(mi);
            }
        }
        TFM_GROW(site, cap, n + 1);
        site[n++] = (site_t){s, e, type, l, score};
        if (e > max_end) max_end = e;
    }
    if (r < 0) tfm_die_last();
    if (!mrna) tfm_die("%s: no rows", t->name);
    if (!seen) tfm_die("%s: transcript '%s' is not in the input", t->name, mrna);
    int have_score = csc >= 0;

    long len = o.length;
    if (o.transcripts) {
        len = fasta_length(o.transcripts, mrna);
        if (len < 0) tfm_die("%s: transcript '%s' is not in the FASTA", o.transcripts, mrna);
    }
    if (len < 0) {
        if (max_end == 0) tfm_die("%s: transcript '%s' has no sites: give --length or --transcripts", t->name, mrna);
        len = max_end;
    }
    if (max_end > len) tfm_die("%s: a site of '%s' ends at %ld, beyond its length %ld", t->name, mrna, max_end, len);

    kstring_t svg = {0};
    draw(&svg, &o, mrna, len, site, n, lane, nlane, have_score);
    tfm_out_t *out = tfm_out_open(o.output);
    tfm_out_write(out, svg.s, svg.l);
    tfm_out_close(out, 1);
    free(svg.s);
    for (int l = 0; l < nlane; l++) free(lane[l]);
    free(lane);
    free(site);
    if (co.verbose) tfm_summary(t0, "%s: %zu sites in %d lanes", mrna, n, nlane);
    free(mrna);
    tfm_tsv_close(t);
    return 0;
}
