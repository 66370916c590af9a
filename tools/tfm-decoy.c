/* tfm-decoy: pair every row with a shuffled-miRNA control. Each input row is written twice:
 * as it is (control `real`), then with its miRNA shuffled (control `shuffled`), both with the
 * same `twin` value so that tfm-acc can compare the two scores on the same UTR or site. */
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decoy.h"
#include "tsv.h"

/* Suffix of the decoy's mirna_id: the twins must be different pairs for tfm-seed and
 * tfm-aggregate, and the real id stays readable in it. */
#define SUFFIX "~shuffled"

typedef struct {
    long seed;
    const char *output;
} opt_t;

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-decoy [options] [FILE]\n"
            "Pair every row of a TSV with a `mirna_seq` column (a pairs TSV for tfm-seed --pairs,\n"
            "site rows, ...; stdin if no FILE or '-'; gzip ok) with a shuffled-miRNA control:\n"
            "the row as it is, then the same row with mirna_seq shuffled (same letters, nt 2-7\n"
            "and so nt 2-8 changed; the same miRNA always gets the same decoy) and `%s`\n"
            "appended to mirna_id. Two columns are added: control (real | shuffled) and twin\n"
            "(the input row number, shared by both rows). tfm-acc reports shuffle_win and\n"
            "shuffled_pos from them.\n"
            "\n"
            "Options:\n"
            "      --seed INT         seed of the shuffle [%ld]\n"
            "  -o, --output FILE      write to FILE (.gz: BGZF) instead of stdout\n"
            "  -t, --threads INT      accepted for a common command line; one thread [1]\n"
            "  -q, --quiet            no progress on stderr (it shows none)\n"
            "  -v, --verbose          a summary line on stderr at the end\n"
            "  -h, --help             this text\n"
            "  -V, --version          print the version\n"
            "\n"
            "Example: tfm-decoy miRAW_Test0.txt.gz | tfm-seed -p - | tfm-score | tfm-aggregate |\n"
            "tfm-acc. See tfm-decoy(1).\n",
            SUFFIX, o->seed);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-decoy");
    opt_t o = {TFM_DECOY_SEED, NULL};
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_SEED = 256 };
    static const struct option lo[] = {{"seed", required_argument, 0, OPT_SEED}, TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    double t0 = tfm_seconds();
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" TFM_COMMON_SHORT, lo, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case OPT_SEED: o.seed = tfm_opt_long("--seed", optarg, 0, 2147483647L); break;
        case 'h': usage(stdout, &o); return TFM_EXIT_OK;
        default: tfm_bad_option(c, argv);
        }
    }
    o.output = co.output;
    if (argc - optind > 1) tfm_usage_error("one input file at most (got %d)", argc - optind);
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    int cseq = tfm_tsv_need(t, "mirna_seq"), cid = tfm_tsv_col(t, "mirna_id");
    if (cseq < 0) tfm_die_last();
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], "control") == 0 || strcmp(t->cols[i], "twin") == 0)
            tfm_die("%s:1: the input already has a '%s' column", t->name, t->cols[i]);

    tfm_out_t *out = tfm_out_open(o.output);
    kstring_t s = {0}, dec = {0};
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs("control\ttwin\n", &s);
    long row = 0;
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        row++;
        if (!t->flen[cseq]) tfm_die("%s:%ld: empty mirna_seq", t->name, t->lineno);
        ks_resize(&dec, t->flen[cseq] + 1);
        if (tfm_decoy_shuffle(t->f[cseq], (uint64_t)o.seed, dec.s) < 0)
            tfm_die("%s:%ld: %s", t->name, t->lineno, tfm_last_error());
        for (int pass = 0; pass < 2; pass++) { /* 0: the real row, 1: its decoy */
            for (int i = 0; i < t->ncols; i++) {
                kputs(pass && i == cseq ? dec.s : t->f[i], &s);
                if (pass && i == cid) kputs(SUFFIX, &s);
                kputc('\t', &s);
            }
            ksprintf(&s, "%s\t%ld\n", pass ? "shuffled" : "real", row);
        }
        if (s.l > 1 << 16) {
            tfm_out_write(out, s.s, s.l);
            s.l = 0;
        }
    }
    if (r < 0) tfm_die_last();
    tfm_out_write(out, s.s, s.l);
    tfm_out_close(out, 1);
    tfm_tsv_close(t);
    free(s.s);
    free(dec.s);
    if (co.verbose) tfm_summary(t0, "%ld rows, %ld with their decoy written", row, row);
    return TFM_EXIT_OK;
}
