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
            "  -t, --threads INT   accepted for a common command line; one thread [1]\n"
            "  -q, --quiet         no progress on stderr (it shows none)\n"
            "  -v, --verbose       a summary line on stderr\n"
            "  -h, --help          this help\n"
            "  -V, --version       version\n\n"
            "Then: tfm-seed --pairs PAIRS.tsv MIRNAS.fa FILE. See tfm-index(1).\n");
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-index");
    static const struct option longopts[] = {TFM_COMMON_LONG, {0, 0, 0, 0}};
    tfm_common_t co;
    tfm_common_init(&co);
    int c;
    while ((c = getopt_long(argc, argv, TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        if (c == 'h') return usage(stdout), 0;
        tfm_usage_error("invalid option");
    }
    const char *output = co.output;
    int verbose = co.verbose;
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
