/* tfm-encode: add a model's input encoding to each site row of tfm-seed, as a compact text
 * column (enc_targetnet or enc_deeptarget; lib/encode.h describes the text form). tfm-score
 * reads that column, or encodes rows itself when it is absent. */
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "encode.h"
#include "siterow.h"
#include "tsv.h"

static void usage(FILE *fp)
{
    fprintf(fp, "Usage: tfm-encode --scheme targetnet|deeptarget [options] [SITES.tsv]\n"
                "Add the model input of each site row (from tfm-seed; stdin if no file or '-') as a\n"
                "text column enc_<scheme>; a 'none' row gets '.'.\n"
                "  targetnet   TargetNet's 10x50 one-hot from the esa windows and their alignment\n"
                "              (tfm-seed --mode esa)\n"
                "  deeptarget  deepTarget's 8x30 one-hot: miRNA and the reversed 30-nt window\n"
                "              (tfm-seed fuzzy modes)\n\n"
                "Options:\n"
                "  -s, --scheme NAME   encoding (required)\n"
                "  -o, --output FILE   write to FILE instead of stdout\n"
                "  -h, --help          this help\n"
                "      --version       version\n");
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-encode");
    const char *output = NULL;
    tfm_enc_t enc = 0;
    enum { OPT_VERSION = 256 };
    static const struct option longopts[] = {{"scheme", required_argument, 0, 's'}, {"output", required_argument, 0, 'o'},
                                             {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, OPT_VERSION},
                                             {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "s:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (tfm_encode_parse(optarg, &enc) < 0) tfm_usage_error("unknown scheme '%s' (targetnet, deeptarget)", optarg);
            break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: tfm_print_version(); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (!enc) tfm_usage_error("--scheme is required");
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    tfm_siterow_t r;
    if (tfm_siterow_init(&r, t, enc) < 0) tfm_die_last();
    if (r.enc_text >= 0) tfm_die("%s:1: already has a column '%s'", t->name, tfm_siterow_enc_column(enc));
    tfm_out_t *out = tfm_out_open(output);
    kstring_t s = {0};
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs(tfm_siterow_enc_column(enc), &s), kputc('\n', &s);
    float *x = tfm_malloc(tfm_encode_size(enc) * sizeof *x);
    char text[TFM_ENC_TEXT_MAX];
    int rc;
    while ((rc = tfm_tsv_read(t)) == 1) {
        const char *val = ".";
        if (!tfm_siterow_is_none(&r, t)) {
            if (tfm_siterow_encode(&r, t, x) < 0 || tfm_encode_to_text(text, sizeof text, enc, x) < 0) tfm_die_last();
            val = text;
        }
        size_t n;
        const char *line = tfm_tsv_restore(t, &n);
        kputsn(line, n, &s), kputc('\t', &s), kputs(val, &s), kputc('\n', &s);
        if (s.l > (1 << 20)) tfm_out_write(out, s.s, s.l), s.l = 0;
    }
    if (rc < 0) tfm_die_last();
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    free(s.s);
    free(x);
    tfm_tsv_close(t);
    return 0;
}
