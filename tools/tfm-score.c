/* tfm-score: score each site row with a neural network and append a `score` column (the
 * probability that the site is a target). Rows are read in batches; the windows of a batch are
 * cut into fixed chunks that run on a thread pool, one model workspace per thread, so the
 * computation and the output bytes do not depend on --threads. */
#include <cblas.h>
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "encode.h"
#include "model.h"
#include "pool.h"
#include "siterow.h"
#include "tsv.h"

#define BATCH 8192 /* rows read before scoring */
#define CHUNK 256  /* windows per forward call (the unit of work of a thread) */

static void usage(FILE *fp)
{
    fprintf(fp, "Usage: tfm-score --model FILE [options] [SITES.tsv]\n"
                "Append a `score` column (probability of target) to each site row of tfm-seed or\n"
                "tfm-encode (stdin if no file or '-'); a 'none' row gets an empty score.\n"
                "Models: TargetNet (needs tfm-seed --mode esa rows), deepTarget (fuzzy-mode rows), as\n"
                "published PyTorch .pt files or converted with tfm-convert (safetensors).\n"
                "Rows are encoded from the enc_<scheme> column of tfm-encode when present, else from\n"
                "mirna_seq, site_seq (and mirna_aln, site_aln for TargetNet).\n\n"
                "Options:\n"
                "  -m, --model FILE    model checkpoint (required)\n"
                "  -o, --output FILE   write to FILE instead of stdout\n"
                "  -t, --threads INT   worker threads [1]\n"
                "  -v, --verbose       a summary line on stderr at the end (rows, windows, seconds,\n"
                "                      windows/s, GMAC/s of the network, peak RSS)\n"
                "  -h, --help          this help\n"
                "      --version       version\n");
}

typedef struct {
    const tfm_model_t *model;
    tfm_model_ws_t **ws; /* per thread */
    const float *x;      /* encoded windows of the batch */
    float *prob;
    size_t nwin, insize;
    int failed;
} score_job_t;

static void score_chunk(void *ctx, size_t i, int thread)
{
    score_job_t *j = ctx;
    size_t b0 = i * CHUNK, n = j->nwin - b0 < CHUNK ? j->nwin - b0 : CHUNK;
    if (tfm_model_forward(j->model, j->x + b0 * j->insize, (int)n, j->prob + b0, j->ws[thread]) < 0) j->failed = 1;
}

static tfm_model_t *load_model(const char *path, tfm_enc_t *enc)
{
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    if (!c) tfm_die_last();
    tfm_arch_t arch = 0;
    const char *name = tfm_ckpt_meta(c, "architecture");
    if (name && tfm_model_arch_parse(name, &arch) < 0) tfm_die("%s: unknown architecture '%s' in metadata", path, name);
    tfm_model_t *m = tfm_model_from_ckpt(arch, c);
    if (!m) tfm_die("%s: %s", path, tfm_last_error());
    tfm_ckpt_free(c);
    switch (m->arch) {
    case TFM_ARCH_TARGETNET: *enc = TFM_ENC_TARGETNET; break;
    case TFM_ARCH_DEEPTARGET: *enc = TFM_ENC_DEEPTARGET; break;
    default: tfm_die("%s: %s needs RNA-FM embeddings, which tfm-score cannot compute yet", path, tfm_model_arch_name(m->arch));
    }
    return m;
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-score");
    const char *model_path = NULL, *output = NULL;
    int threads = 1, verbose = 0;
    enum { OPT_VERSION = 256 };
    static const struct option longopts[] = {{"model", required_argument, 0, 'm'},   {"output", required_argument, 0, 'o'},
                                             {"threads", required_argument, 0, 't'}, {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},
                                             {"version", no_argument, 0, OPT_VERSION}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "m:o:t:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model_path = optarg; break;
        case 'o': output = optarg; break;
        case 't': threads = (int)tfm_opt_long("--threads", optarg, 1, 256); break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: tfm_print_version(); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    if (!model_path) tfm_usage_error("--model is required");
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    openblas_set_num_threads(1); /* parallel over chunks instead: small GEMMs scale badly inside BLAS */

    tfm_enc_t enc;
    tfm_model_t *model = load_model(model_path, &enc);
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    if (tfm_tsv_col(t, "score") >= 0) tfm_die("%s:1: already has a 'score' column", t->name);
    tfm_siterow_t r;
    if (tfm_siterow_init(&r, t, enc) < 0) tfm_die_last();

    tfm_pool_t *pool = tfm_pool_new(threads);
    score_job_t job = {model, tfm_calloc(threads, sizeof(tfm_model_ws_t *)), NULL, NULL, 0, tfm_encode_size(enc), 0};
    for (int i = 0; i < threads; i++)
        if (!(job.ws[i] = tfm_model_ws_new(model, CHUNK))) tfm_die_last();
    float *x = tfm_malloc((size_t)BATCH * job.insize * sizeof *x);
    float *prob = tfm_malloc(BATCH * sizeof *prob);
    long *win = tfm_malloc(BATCH * sizeof *win); /* row -> window index, -1 for a 'none' row */
    size_t *end = tfm_malloc(BATCH * sizeof *end); /* end of each row's text in `rows` */
    kstring_t rows = {0}, s = {0};

    tfm_out_t *out = tfm_out_open(output);
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs("score\n", &s);
    tfm_out_write(out, s.s, s.l);
    long total = 0, windows = 0;
    double t0 = tfm_seconds();
    int rc = 1;
    while (rc == 1) {
        size_t nrow = 0, nwin = 0;
        rows.l = 0;
        while (nrow < BATCH && (rc = tfm_tsv_read(t)) == 1) {
            win[nrow] = -1;
            if (!tfm_siterow_is_none(&r, t)) {
                if (tfm_siterow_encode(&r, t, x + nwin * job.insize) < 0) tfm_die_last();
                win[nrow] = (long)nwin++;
            }
            size_t n;
            const char *line = tfm_tsv_restore(t, &n);
            kputsn(line, n, &rows);
            end[nrow++] = rows.l;
        }
        if (rc < 0) tfm_die_last();
        job.x = x, job.prob = prob, job.nwin = nwin;
        tfm_pool_run(pool, (nwin + CHUNK - 1) / CHUNK, score_chunk, &job);
        if (job.failed) tfm_die("%s", tfm_last_error());
        s.l = 0;
        for (size_t i = 0, start = 0; i < nrow; start = end[i++]) {
            kputsn(rows.s + start, end[i] - start, &s);
            if (win[i] >= 0) ksprintf(&s, "\t%.6g\n", prob[win[i]]);
            else kputs("\t\n", &s);
        }
        tfm_out_write(out, s.s, s.l);
        total += (long)nrow;
        windows += (long)nwin;
    }
    tfm_out_close(out, 1);
    for (int i = 0; i < threads; i++) tfm_model_ws_free(job.ws[i]);
    free(job.ws), free(x), free(prob), free(win), free(end), free(rows.s), free(s.s);
    tfm_pool_free(pool);
    tfm_tsv_close(t);
    if (verbose) {
        double sec = tfm_seconds() - t0;
        fprintf(stderr,
                "tfm-score: %ld rows, %ld windows, %.2f s, %.2f CPU s, %.0f windows/s, %.1f GMAC/s, peak RSS %.1f MB\n",
                total, windows, sec, tfm_cpu_seconds(), windows / sec, windows * tfm_model_macs(model) / sec / 1e9,
                tfm_peak_rss() / 1e6);
    }
    tfm_model_free(model);
    return 0;
}
