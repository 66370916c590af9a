/* tfm-index: a faidx index (.fai, and .gzi for BGZF) of a transcript FASTA, so that
 * `tfm-seed --pairs` fetches transcripts by id instead of loading the whole file.
 *
 *   tfm-index TRANSCRIPTS.fa[.gz]                 index in place (plain or BGZF)
 *   tfm-index -o OUT.fa.gz TRANSCRIPTS.fa[.gz]    recompress as BGZF (any input), then index
 *
 * Every record is checked first, as tfm-seed reads it (letters, empty records, duplicate ids). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "seqio.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: tfm-index [options] TRANSCRIPTS.fa\n"
            "Write the htslib faidx index of a transcript FASTA: FILE.fai, and FILE.gzi when FILE is\n"
            "BGZF-compressed. A gzip file that is not BGZF cannot be indexed in place: give -o.\n"
            "Every record is checked first (letters A C G T U N, empty records, duplicate ids).\n\n"
            "  -o, --output FILE   copy the input to FILE (BGZF when FILE ends in .gz, else plain;\n"
            "                      input may be plain, gzip, BGZF or '-') and index FILE\n"
            "  -v, --verbose       a summary line on stderr\n"
            "  -h, --help          this help\n"
            "      --version       version\n\n"
            "Then: tfm-seed --pairs PAIRS.tsv MIRNAS.fa FILE. See tfm-index(1).\n");
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-index");
    enum { OPT_VERSION = 256 };
    static const struct option longopts[] = {{"output", required_argument, 0, 'o'}, {"verbose", no_argument, 0, 'v'},
                                             {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, OPT_VERSION},
                                             {0, 0, 0, 0}};
    const char *output = NULL;
    int verbose = 0, c;
    while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: tfm_print_version(); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (argc - optind != 1) {
        if (argc == 1) {
            usage(stderr);
            return TFM_EXIT_USAGE;
        }
        tfm_usage_error("expected one TRANSCRIPTS.fa");
    }
    const char *in = argv[optind];
    if (!output && strcmp(in, "-") == 0) tfm_usage_error("stdin cannot be indexed in place: give -o FILE");
    double t0 = tfm_seconds();
    /* with -o the copy is checked before it replaces OUT, and messages name the input */
    const char *path = output ? output : in;
    if ((output ? tfm_fasta_copy_index(in, output, TFM_ALPHA_ACGUN) : tfm_fasta_index(in, TFM_ALPHA_ACGUN)) < 0)
        tfm_die_last();
    if (verbose) {
        int err;
        tfm_faidx_t *x = tfm_faidx_open(path, TFM_ALPHA_ACGUN, &err);
        if (!x) tfm_die_last();
        fprintf(stderr, "tfm-index: %s: %ld records indexed, %.2f s\n", path, tfm_faidx_nseq(x), tfm_seconds() - t0);
        tfm_faidx_close(x);
    }
    return 0;
}
