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
#include "ensemble.h"
#include "metrics.h"
#include "model.h"
#include "pool.h"
#include "prior.h"
#include "progress.h"
#include "qnet.h"
#include "rnafm.h"
#include "seed.h"
#include "siterow.h"
#include "tsv.h"
#include "util.h"

#define BATCH 8192 /* rows read before scoring */
#define CHUNK 256  /* windows per forward call (the unit of work of a thread) */

/* OpenBLAS's pthreads build starts its workers when loaded; idle, they spin in sched_yield for
 * ~0.1 s before they sleep. BLAS runs on one thread here, so they are ended (a weak symbol:
 * other builds of OpenBLAS lack it, and restart them themselves if ever needed). */
extern int blas_thread_shutdown_(void) __attribute__((weak));

static tfm_meter_t meter; /* rows scored, for both model paths */

static void usage(FILE *fp)
{
    fprintf(fp, "Usage: tfm-score [--model FILE] [options] [SITES.tsv]\n"
                "Append a `score` column (probability of target) to each site row of tfm-seed or\n"
                "tfm-encode (stdin if no file or '-'); a 'none' row gets an empty score.\n"
                "Models: TargetNet (needs tfm-seed --mode esa rows), deepTarget (fuzzy-mode rows), as\n"
                "published PyTorch .pt files or converted with tfm-convert (safetensors); the TargetFM1\n"
                "head (fuzzy-mode rows) with the RNA-FM encoder given by --rnafm.\n"
                "Rows are encoded from the enc_<scheme> column of tfm-encode when present, else from\n"
                "mirna_seq, site_seq (and mirna_aln, site_aln for TargetNet): a hand-made table of\n"
                "just mirna_seq and site_seq works too (no site_type: every row is a site).\n"
                "Without --model: tfm's default model (models/README.md; $TFM_MODEL overrides), a\n"
                "window model: it checks the rows' mode is its own (tfm-seed's default).\n"
                "The score depends on the sequences alone. A miRNA's identity or activity enters only\n"
                "through --prior, as a `mirna_prior` column that tfm-aggregate combines with the\n"
                "site scores.\n\n"
                "Options:\n"
                "      --model FILE    model checkpoint [tfm's default model]\n"
                "  -o, --output FILE   write to FILE instead of stdout\n"
                "      --prior SRC     add a `mirna_prior` column: 'model' = the prior of the model's\n"
                "                      training sites (empirical Bayes: (pos+a)/(n+a+b) of the miRNA's\n"
                "                      sites, a and b fitted to all miRNAs' tallies; an unseen miRNA\n"
                "                      gets a/(a+b); stderr counts such rows unless -q), or a TSV\n"
                "                      FILE with columns prior\n"
                "                      and mirna_id or mirna_seq (e.g. from miRNA expression; a miRNA\n"
                "                      missing from it is an error) [none]\n"
                "      --precision P   auto | int8 | float: int8 runs deepTarget-architecture models on\n"
                "                      integers (lib/qnet.h: about 4x faster, probabilities within\n"
                "                      ~0.003 of float on average, the same bytes on every CPU); auto =\n"
                "                      int8 for window models trained by tfm-train (tfm's default\n"
                "                      model), float for published checkpoints [auto]\n"
                "      --ensemble E    auto | off: a model that lists members (tfm-train --member; tfm's\n"
                "                      default model: 4 networks) scores with them, found beside the\n"
                "                      model file: a window the model gives p >= its cascade (0.8) gets\n"
                "                      the sigmoid of the mean logit of all networks, any other keeps\n"
                "                      the model's p; off = the model's network alone [auto]\n"
                "  -t, --threads INT   worker threads [1]\n"
                "  -q, --quiet         no progress on stderr (shown on a terminal: rows, rate, and\n"
                "                      ETA when SITES.tsv is a file)\n"
                "  -v, --verbose       a summary line on stderr at the end (rows, windows, seconds,\n"
                "                      windows/s, GMAC/s of the network, peak RSS; TargetFM1: sites/s;\n"
                "                      an ensemble: the windows its members scored; --prior model:\n"
                "                      the Beta fitted to the training tallies, at the start)\n"
                "      --rnafm FILE    RNA-FM checkpoint (fairseq .pt, e.g. RNA-FM_pretrained.pth, or its\n"
                "                      tfm-convert safetensors) for a TargetFM1 head; its miRNA\n"
                "                      embedding is computed once per miRNA\n"
                "      --rnafm-det TD  instead of --rnafm: the deterministic full-size RNA-FM of the test\n"
                "                      vectors (specs rna-fm.md 9), token_dropout TD (0 or 1); tests only\n"
                "      --compat targetfm  TargetFM input exactly as the original: no upper-casing and no\n"
                "                      T->U before tokenising [default: normalised; 'O' pre-padding kept]\n"
                "  -h, --help          this help\n"
                "  -V, --version       version\n"
                "  -m FILE             deprecated spelling of --model (-m is --mode in tfm-seed and\n"
                "                      tfm-train)\n");
}

typedef struct {
    const tfm_model_t *model;
    const tfm_qnet_t *q; /* integer path (--precision int8), or NULL */
    tfm_model_ws_t **ws; /* per thread */
    const float *x;      /* encoded windows of the batch (float path) */
    const unsigned char *codes; /* their letter codes (integer path) */
    float *prob;
    size_t nwin, insize;
    int failed;
} score_job_t;

/* The batch's rows as read, each with its score appended (empty for a 'none' row), and the
 * miRNA prior of the model when it has one. */
static void write_scored(tfm_out_t *out, kstring_t *s, const kstring_t *rows, const size_t *end, const long *win,
                         const float *prob, const double *prior, size_t nrow)
{
    s->l = 0;
    for (size_t i = 0, start = 0; i < nrow; start = end[i++]) {
        kputsn(rows->s + start, end[i] - start, s);
        kputc('\t', s);
        if (win[i] >= 0) {
            char num[32];
            kputsn(num, tfm_fmt_g6(num, prob[win[i]]), s);
        }
        if (prior) ksprintf(s, "\t%.6g", prior[i]);
        kputc('\n', s);
    }
    tfm_out_write(out, s->s, s->l);
}

/* Keep the row just read (its original text) for write_scored; returns its end in `rows`. */
static size_t keep_row(tfm_tsv_t *t, kstring_t *rows)
{
    size_t n;
    const char *line = tfm_tsv_restore(t, &n);
    kputsn(line, n, rows);
    return rows->l;
}

static void score_chunk(void *ctx, size_t i, int thread)
{
    score_job_t *j = ctx;
    size_t b0 = i * CHUNK, n = j->nwin - b0 < CHUNK ? j->nwin - b0 : CHUNK;
    if (j->q) tfm_qnet_forward(j->q, j->codes + b0 * TFM_QNET_CODES, (int)n, j->prob + b0);
    else if (tfm_model_forward(j->model, j->x + b0 * j->insize, (int)n, j->prob + b0, j->ws[thread]) < 0) j->failed = 1;
}

/* What a model trained on candidate windows (tfm-train --site-mode) records beside its weights. */
typedef struct {
    int site_mode;                 /* -1: none recorded */
    tfm_metrics_prior_t *prior;    /* miRNA prior of its training rows, or NULL */
    char *encoding;                /* recorded encoding, or NULL */
    tfm_ens_meta_t ens;            /* its members (ens.n = 0: none, or --ensemble off) */
} model_info_t;

/* --prior SRC: the model's training-site prior ("model") or a user's TSV; NULL without it. */
static tfm_prior_t *open_prior(const char *src, const char *model_path, model_info_t *info)
{
    if (!src) return NULL;
    if (!strcmp(src, "model")) {
        if (!info->prior)
            tfm_die("--prior model: %s records no miRNA prior (models trained with tfm-train --site-mode do)",
                    model_path);
        tfm_prior_t *p = tfm_prior_from_counts(info->prior);
        info->prior = NULL;
        return p;
    }
    tfm_prior_t *p = tfm_prior_load(src);
    if (!p) tfm_die("--prior: %s", tfm_last_error());
    return p;
}

static tfm_model_t *load_model(const char *path, tfm_enc_t *enc, model_info_t *info, int ensemble)
{
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    if (!c) tfm_die_last();
    const char *encoding = tfm_ckpt_meta(c, "encoding");
    info->encoding = encoding ? tfm_strdup(encoding) : NULL;
    info->ens.n = 0;
    if (ensemble && tfm_ens_meta_read(c, path, &info->ens) < 0) tfm_die_last();
    tfm_arch_t arch = 0;
    const char *name = tfm_ckpt_meta(c, "architecture");
    if (name && tfm_model_arch_parse(name, &arch) < 0) tfm_die("%s: unknown architecture '%s' in metadata", path, name);
    tfm_model_t *m = tfm_model_from_ckpt(arch, c);
    if (!m) tfm_die("%s: %s", path, tfm_last_error());
    const char *mode = tfm_ckpt_meta(c, "site_mode"), *prior = tfm_ckpt_meta(c, "mirna_prior");
    info->site_mode = -1, info->prior = NULL;
    if (mode && (info->site_mode = tfm_mode_parse(mode)) < 0) tfm_die("%s: unknown site_mode '%s' in metadata", path, mode);
    if (prior && !(info->prior = tfm_metrics_prior_parse(prior))) tfm_die("%s: metadata: %s", path, tfm_last_error());
    tfm_ckpt_free(c);
    switch (m->arch) {
    case TFM_ARCH_TARGETNET: *enc = TFM_ENC_TARGETNET; break;
    case TFM_ARCH_DEEPTARGET: *enc = TFM_ENC_DEEPTARGET; break;
    default: *enc = 0; break; /* TargetFM1: RNA-FM embeddings, see score_targetfm */
    }
    return m;
}

/* Member k (1-based, metadata member_k) of the model at path: the file recorded, with the weights
 * recorded (MD5), taking the model's input, itself a single network. */
static tfm_model_t *load_member(const char *path, const tfm_model_t *model, const model_info_t *info, int k)
{
    char *mp = tfm_ens_member_path(path, info->ens.name[k - 1]), md5[33];
    const char *off = "(tfm-score --ensemble off scores with the model's own network alone)";
    if (tfm_weights_md5(mp, md5) < 0)
        tfm_die("member %d of %s: %s %s", k + 1, path, tfm_last_error(), off);
    if (strcmp(md5, info->ens.md5[k - 1]) != 0)
        tfm_die("%s: member %d of %s has changed: its weights have MD5 %s, the model records %s %s", mp, k + 1, path,
                md5, info->ens.md5[k - 1], off);
    tfm_ckpt_t *c = tfm_ckpt_load(mp);
    if (!c) tfm_die("member %d of %s: %s", k + 1, path, tfm_last_error());
    if (tfm_ens_check(c, mp, model->arch, info->encoding, info->site_mode, "model") < 0)
        tfm_die("member %d of %s: %s", k + 1, path, tfm_last_error());
    if (tfm_ens_check_single(c, mp) < 0) tfm_die("member %d of %s: %s", k + 1, path, tfm_last_error());
    tfm_model_t *m = tfm_model_from_ckpt(model->arch, c);
    if (!m) tfm_die("%s: %s", mp, tfm_last_error());
    tfm_ckpt_free(c);
    free(mp);
    return m;
}

/* ---- TargetFM1: RNA-FM representations[12] of the miRNA and of the CTS -> head ---- */

/* Memory beside the 398 MB of weights stays under 0.3x of them: the cache (it must hold the
 * miRNAs of one batch) 39 MB, per thread the RNA-FM workspace 12 MB and the chunk's buffers 3.7 MB
 * (at d = 640). GEMMs over 480 tokens run as fast as over 960. */
#define FM_BATCH 256   /* rows read before scoring */
#define FM_CHUNK 16    /* sites per RNA-FM forward (480 tokens per GEMM) */
#define FM_CACHE 512   /* miRNA embeddings kept (39 MB at d = 640); cleared when full */

typedef struct {
    const tfm_model_t *head;
    const tfm_rnafm_t *fm;
    tfm_rnafm_ws_t **fws;
    tfm_model_ws_t **hws;
    size_t emb;           /* floats per embedded input, 30 * d */
    float **x;            /* per thread (FM_CHUNK, 2, 30, d): head input */
    float **rep;          /* per thread (FM_CHUNK, 30, d): CTS embeddings */
    float *cache;         /* (FM_CACHE, 30, d) miRNA embeddings */
    int *key;             /* (FM_CACHE, 30) their tokens */
    int ncache;
    size_t new0, nnew;    /* cache entries to embed in this batch */
    const int *cts;       /* (nwin, 30) CTS tokens */
    const int *slot;      /* nwin: miRNA cache entry */
    float *prob;
    size_t nwin;
    int failed;
} fm_job_t;

static void fm_mirna_chunk(void *ctx, size_t i, int thread)
{
    fm_job_t *j = ctx;
    size_t b0 = j->new0 + i * FM_CHUNK, n = j->new0 + j->nnew - b0 < FM_CHUNK ? j->new0 + j->nnew - b0 : FM_CHUNK;
    tfm_rnafm_out_t out = {j->fm->n_layers, j->cache + b0 * j->emb, NULL, NULL};
    if (tfm_rnafm_forward(j->fm, j->key + b0 * TFM_RNAFM_TFM_LEN, (int)n, TFM_RNAFM_TFM_LEN, &out, j->fws[thread]) < 0)
        j->failed = 1;
}

static void fm_site_chunk(void *ctx, size_t i, int thread)
{
    fm_job_t *j = ctx;
    size_t b0 = i * FM_CHUNK, n = j->nwin - b0 < FM_CHUNK ? j->nwin - b0 : FM_CHUNK;
    float *rep = j->rep[thread], *x = j->x[thread];
    tfm_rnafm_out_t out = {j->fm->n_layers, rep, NULL, NULL};
    if (tfm_rnafm_forward(j->fm, j->cts + b0 * TFM_RNAFM_TFM_LEN, (int)n, TFM_RNAFM_TFM_LEN, &out, j->fws[thread]) < 0) {
        j->failed = 1;
        return;
    }
    for (size_t k = 0; k < n; k++) {
        memcpy(x + 2 * k * j->emb, j->cache + (size_t)j->slot[b0 + k] * j->emb, sizeof(float) * j->emb);
        memcpy(x + (2 * k + 1) * j->emb, rep + k * j->emb, sizeof(float) * j->emb);
    }
    if (tfm_model_forward(j->head, x, (int)n, j->prob + b0, j->hws[thread]) < 0) j->failed = 1;
}

/* Cache entry of miRNA tokens tm, adding it (to be embedded) if new. */
static int fm_slot(fm_job_t *j, const int *tm)
{
    for (int i = j->ncache - 1; i >= 0; i--) /* rows of one miRNA are usually adjacent: search back */
        if (memcmp(j->key + (size_t)i * TFM_RNAFM_TFM_LEN, tm, sizeof(int) * TFM_RNAFM_TFM_LEN) == 0) return i;
    memcpy(j->key + (size_t)j->ncache * TFM_RNAFM_TFM_LEN, tm, sizeof(int) * TFM_RNAFM_TFM_LEN);
    j->nnew++;
    return j->ncache++;
}

static void score_targetfm(const tfm_model_t *head, const tfm_rnafm_t *fm, int compat, tfm_tsv_t *t, tfm_out_t *out,
                           tfm_pool_t *pool, int threads, int verbose)
{
    long total = 0, sites = 0, mirnas = 0;
    double t0 = tfm_seconds();
    if (fm->d != head->d)
        tfm_die("RNA-FM embed_dim is %d but the TargetFM1 head needs %d (its fc_mi.weight input dim; the published "
                "head: 640, rna_fm_t12)", fm->d, head->d);
    int c_mirna = tfm_tsv_need(t, "mirna_seq"), c_site = tfm_tsv_need(t, "site_seq"),
        c_type = tfm_tsv_col(t, "site_type"); /* optional: a hand-made table is all sites */
    if (c_mirna < 0 || c_site < 0) tfm_die_last();
    fm_job_t j = {0};
    j.head = head, j.fm = fm, j.emb = (size_t)TFM_RNAFM_TFM_LEN * fm->d;
    j.fws = tfm_calloc(threads, sizeof *j.fws), j.hws = tfm_calloc(threads, sizeof *j.hws);
    j.x = tfm_calloc(threads, sizeof *j.x), j.rep = tfm_calloc(threads, sizeof *j.rep);
    for (int i = 0; i < threads; i++) {
        j.fws[i] = tfm_rnafm_ws_new();
        if (!(j.hws[i] = tfm_model_ws_new(head, FM_CHUNK))) tfm_die_last();
        j.x[i] = tfm_malloc(sizeof(float) * 2 * FM_CHUNK * j.emb);
        j.rep[i] = tfm_malloc(sizeof(float) * FM_CHUNK * j.emb);
    }
    j.cache = tfm_malloc(sizeof(float) * FM_CACHE * j.emb);
    j.key = tfm_malloc(sizeof(int) * FM_CACHE * TFM_RNAFM_TFM_LEN);
    int *cts = tfm_malloc(sizeof(int) * FM_BATCH * TFM_RNAFM_TFM_LEN), *slot = tfm_malloc(sizeof(int) * FM_BATCH);
    float *prob = tfm_malloc(sizeof(float) * FM_BATCH);
    long *win = tfm_malloc(FM_BATCH * sizeof *win);
    size_t *end = tfm_malloc(FM_BATCH * sizeof *end);
    kstring_t rows = {0}, s = {0};
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs("score\n", &s);
    tfm_out_write(out, s.s, s.l);
    int rc = 1;
    while (rc == 1) {
        size_t nrow = 0, nwin = 0;
        rows.l = 0;
        if (j.ncache + FM_BATCH > FM_CACHE) j.ncache = 0; /* full: start again (entries of this batch stay) */
        j.new0 = (size_t)j.ncache, j.nnew = 0;
        while (nrow < FM_BATCH && (rc = tfm_tsv_read(t)) == 1) {
            win[nrow] = -1;
            int none = c_type >= 0 && strcmp(t->f[c_type], "none") == 0;
            if (tfm_siterow_check_seqs(t, TFM_ENC_RNAFM, c_mirna, c_site, none) < 0) tfm_die_last();
            if (!none) {
                int tm[TFM_RNAFM_TFM_LEN];
                tfm_rnafm_targetfm_pair(t->f[c_mirna], t->flen[c_mirna], t->f[c_site], t->flen[c_site], compat, tm,
                                        cts + nwin * TFM_RNAFM_TFM_LEN);
                slot[nwin] = fm_slot(&j, tm);
                win[nrow] = (long)nwin++;
            }
            end[nrow++] = keep_row(t, &rows);
        }
        if (rc < 0) tfm_die_last();
        tfm_pool_run(pool, (j.nnew + FM_CHUNK - 1) / FM_CHUNK, fm_mirna_chunk, &j);
        if (j.failed) tfm_die("%s", tfm_last_error());
        j.cts = cts, j.slot = slot, j.prob = prob, j.nwin = nwin;
        tfm_pool_run(pool, (nwin + FM_CHUNK - 1) / FM_CHUNK, fm_site_chunk, &j);
        if (j.failed) tfm_die("%s", tfm_last_error());
        write_scored(out, &s, &rows, end, win, prob, NULL, nrow);
        total += (long)nrow, sites += (long)nwin, mirnas += (long)j.nnew;
        tfm_meter_add(&meter, (double)nrow, tfm_tsv_fraction(t));
    }
    if (verbose) {
        double sec = tfm_seconds() - t0;
        fprintf(stderr, "tfm-score: %ld rows, %ld sites, %ld miRNA rows embedded, %.2f s, %.2f CPU s, %.2f sites/s, "
                "peak RSS %.1f MB\n", total, sites, mirnas, sec, tfm_cpu_seconds(), sites / sec, tfm_peak_rss() / 1e6);
    }
    for (int i = 0; i < threads; i++) {
        tfm_rnafm_ws_free(j.fws[i]), tfm_model_ws_free(j.hws[i]);
        free(j.x[i]), free(j.rep[i]);
    }
    free(j.fws), free(j.hws), free(j.x), free(j.rep), free(j.cache), free(j.key);
    free(cts), free(slot), free(prob), free(win), free(end), free(rows.s), free(s.s);
}

/* The members of an ensemble (lib/ensemble.h) and their windows of a batch. */
typedef struct {
    int n;                 /* members besides the model */
    tfm_model_t *m[TFM_ENS_MAX];
    tfm_qnet_t *q[TFM_ENS_MAX];
    score_job_t job[TFM_ENS_MAX];
    size_t *sel;           /* batch window of each gathered window */
    float *x, *prob;       /* gathered input (float path), (n, BATCH) member probabilities */
    unsigned char *codes;  /* gathered input (integer path) */
} ens_t;

static void ens_open(ens_t *e, const char *path, const tfm_model_t *model, const model_info_t *info, int integer,
                     int per_call, int threads, size_t insize)
{
    e->n = info->ens.n;
    e->sel = tfm_malloc(BATCH * sizeof *e->sel);
    e->prob = tfm_malloc((size_t)e->n * BATCH * sizeof *e->prob);
    if (integer) e->codes = tfm_malloc((size_t)BATCH * TFM_QNET_CODES);
    else e->x = tfm_malloc((size_t)BATCH * insize * sizeof *e->x);
    for (int k = 0; k < e->n; k++) {
        e->m[k] = load_member(path, model, info, k + 1);
        if (integer && !(e->q[k] = tfm_qnet_new(e->m[k]))) tfm_die_last();
        score_job_t *j = &e->job[k];
        *j = (score_job_t){.model = e->m[k], .q = e->q[k], .ws = tfm_calloc(threads, sizeof(tfm_model_ws_t *)),
                           .x = e->x, .codes = e->codes, .prob = e->prob + (size_t)k * BATCH, .insize = insize};
        for (int i = 0; i < threads; i++)
            if (!(j->ws[i] = tfm_model_ws_new(e->m[k], per_call))) tfm_die_last();
    }
}

/* The cascade over the batch of j (its windows scored by the model): the windows with p >= tau
 * through every member, then each one's combined score in place of the model's. A window's
 * score depends on that window only (the members' forward is per window, like the model's).
 * Returns the windows the members scored. */
static size_t ens_score(ens_t *e, tfm_pool_t *pool, const score_job_t *j, double tau)
{
    size_t ns = 0;
    for (size_t i = 0; i < j->nwin; i++) {
        if (!((double)j->prob[i] >= tau)) continue;
        if (e->codes) memcpy(e->codes + ns * TFM_QNET_CODES, j->codes + i * TFM_QNET_CODES, TFM_QNET_CODES);
        else memcpy(e->x + ns * j->insize, j->x + i * j->insize, j->insize * sizeof *e->x);
        e->sel[ns++] = i;
    }
    if (!ns) return 0;
    for (int k = 0; k < e->n; k++) {
        e->job[k].nwin = ns;
        tfm_pool_run(pool, (ns + CHUNK - 1) / CHUNK, score_chunk, &e->job[k]);
        if (e->job[k].failed) tfm_die("%s", tfm_last_error());
    }
    for (size_t s = 0; s < ns; s++) {
        float p[TFM_ENS_MAX + 1];
        p[0] = j->prob[e->sel[s]];
        for (int k = 0; k < e->n; k++) p[k + 1] = e->prob[(size_t)k * BATCH + s];
        j->prob[e->sel[s]] = tfm_ens_combine(p, e->n + 1);
    }
    return ns;
}

static void ens_close(ens_t *e, int threads)
{
    for (int k = 0; k < e->n; k++) {
        for (int i = 0; i < threads; i++) tfm_model_ws_free(e->job[k].ws[i]);
        free(e->job[k].ws);
        tfm_qnet_free(e->q[k]);
        tfm_model_free(e->m[k]);
    }
    free(e->sel), free(e->prob), free(e->x), free(e->codes);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-score");
    const char *model_path = NULL, *rnafm_path = NULL, *prior_src = NULL;
    int rnafm_det = -1, compat = 0;
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_MODEL = 256, OPT_RNAFM, OPT_RNAFM_DET, OPT_COMPAT, OPT_PRIOR, OPT_PRECISION, OPT_ENSEMBLE };
    int ensemble = 1;
    enum { PREC_AUTO, PREC_INT8, PREC_FLOAT } precision = PREC_AUTO;
    static const struct option longopts[] = {{"model", required_argument, 0, OPT_MODEL},
                                             {"rnafm", required_argument, 0, OPT_RNAFM},
                                             {"rnafm-det", required_argument, 0, OPT_RNAFM_DET},
                                             {"compat", required_argument, 0, OPT_COMPAT},
                                             {"prior", required_argument, 0, OPT_PRIOR},
                                             {"precision", required_argument, 0, OPT_PRECISION},
                                             {"ensemble", required_argument, 0, OPT_ENSEMBLE}, TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "m:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'm': tfm_deprecated("-m FILE", "--model FILE"); /* fall through */
        case OPT_MODEL: model_path = optarg; break;
        case 'h': usage(stdout); return 0;
        case OPT_RNAFM: rnafm_path = optarg; break;
        case OPT_PRIOR: prior_src = optarg; break;
        case OPT_PRECISION:
            if (!strcmp(optarg, "auto")) precision = PREC_AUTO;
            else if (!strcmp(optarg, "int8")) precision = PREC_INT8;
            else if (!strcmp(optarg, "float")) precision = PREC_FLOAT;
            else tfm_usage_error("--precision: unknown value '%s' (auto, int8, float)", optarg);
            break;
        case OPT_ENSEMBLE:
            if (!strcmp(optarg, "auto")) ensemble = 1;
            else if (!strcmp(optarg, "off")) ensemble = 0;
            else tfm_usage_error("--ensemble: unknown value '%s' (auto, off)", optarg);
            break;
        case OPT_RNAFM_DET: rnafm_det = (int)tfm_opt_long("--rnafm-det", optarg, 0, 1); break;
        case OPT_COMPAT:
            if (strcmp(optarg, "targetfm") != 0) tfm_usage_error("--compat: unknown value '%s' (expected 'targetfm')", optarg);
            compat = 1;
            break;
        default: tfm_usage_error("invalid option");
        }
    }
    const char *output = co.output;
    int threads = co.threads, verbose = co.verbose;
    if (!model_path && !(model_path = tfm_default_model())) tfm_die_last();
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    openblas_set_num_threads(1); /* parallel over chunks instead: small GEMMs scale badly inside BLAS */
    if (blas_thread_shutdown_) blas_thread_shutdown_(); /* its idle workers would spin ~0.1 CPU s */

    tfm_enc_t enc;
    if (rnafm_path && rnafm_det >= 0) tfm_usage_error("--rnafm and --rnafm-det exclude each other");
    model_info_t info;
    tfm_model_t *model = load_model(model_path, &enc, &info, ensemble);
    tfm_rnafm_t *fm = NULL;
    if (model->arch == TFM_ARCH_TARGETFM1) {
        if (info.ens.n) tfm_die("%s: TargetFM1 ensembles are not supported (--ensemble off)", model_path);
        if (!rnafm_path && rnafm_det < 0)
            tfm_die("%s: TargetFM1 needs RNA-FM embeddings: give the RNA-FM checkpoint with --rnafm FILE "
                    "(RNA-FM_pretrained.pth of ml4bio/RNA-FM, not shipped with tfm)", model_path);
        fm = rnafm_path ? tfm_rnafm_load(rnafm_path) : tfm_rnafm_new_det(12, 640, 20, 5120, 1024, rnafm_det);
        if (!fm) tfm_die_last();
    } else if (rnafm_path || rnafm_det >= 0 || compat) {
        tfm_warn("--rnafm, --rnafm-det and --compat only apply to TargetFM heads; ignored for %s",
                 tfm_model_arch_name(model->arch));
    }
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    tfm_meter_start(&meter, "rows", 0);
    if (fm) {
        if (prior_src) tfm_die("--prior is not available for TargetFM1 heads");
        if (tfm_tsv_col(t, "score") >= 0) tfm_die("%s:1: already has a 'score' column", t->name);
        tfm_pool_t *pool = tfm_pool_new(threads);
        tfm_out_t *out = tfm_out_open(output);
        score_targetfm(model, fm, compat, t, out, pool, threads, verbose);
        tfm_meter_end(&meter);
        tfm_out_close(out, 1);
        tfm_pool_free(pool);
        tfm_tsv_close(t);
        tfm_rnafm_free(fm);
        tfm_model_free(model);
        return 0;
    }
    if (tfm_tsv_col(t, "score") >= 0) tfm_die("%s:1: already has a 'score' column", t->name);
    tfm_siterow_t r;
    if (tfm_siterow_init(&r, t, enc) < 0) tfm_die_last();
    /* a windows model scores the windows of its own search only */
    int c_mode = info.site_mode >= 0 ? tfm_tsv_col(t, "mode") : -1, c_mirna = -1, c_id = -1;
    const char *want_mode = info.site_mode >= 0 ? tfm_mode_name(info.site_mode) : NULL;
    /* the prior goes to tfm-aggregate as a column, only when asked for */
    tfm_prior_t *pr = open_prior(prior_src, model_path, &info);
    double beta_a, beta_b;
    if (verbose && pr && tfm_prior_beta(pr, &beta_a, &beta_b) == 0)
        fprintf(stderr, "tfm-score: --prior model: Beta(%.4g, %.4g) fitted to the training tallies; an unseen miRNA gets %.4g\n",
                beta_a, beta_b, beta_a / (beta_a + beta_b));
    if (pr) {
        if (tfm_tsv_col(t, "mirna_prior") >= 0) tfm_die("%s:1: already has a 'mirna_prior' column", t->name);
        if ((c_mirna = tfm_tsv_col(t, "mirna_seq")) < 0 && !strcmp(tfm_prior_key(pr), "mirna_seq"))
            tfm_die("%s:1: missing column 'mirna_seq' (the key of --prior %s)", t->name, prior_src);
        if ((c_id = tfm_tsv_col(t, "mirna_id")) < 0 && !strcmp(tfm_prior_key(pr), "mirna_id"))
            tfm_die("%s:1: missing column 'mirna_id' (the key of --prior %s)", t->name, prior_src);
    }
    double *prior = pr ? tfm_malloc(BATCH * sizeof *prior) : NULL, last_prior = 0, unseen_prior = 0;
    int last_unseen = 0;
    long unseen_rows = 0; /* rows whose miRNA the model's prior has no training site of */
    int c_key = pr && !strcmp(tfm_prior_key(pr), "mirna_id") ? c_id : c_mirna;
    kstring_t last_mirna = {0};

    tfm_pool_t *pool = tfm_pool_new(threads);
    score_job_t job = {.model = model, .ws = tfm_calloc(threads, sizeof(tfm_model_ws_t *)), .insize = tfm_encode_size(enc)};
    /* A window's score must not depend on the other windows of its forward call, or a sharded
     * run (other batch boundaries) would differ from the unsharded one in the last bits: OpenBLAS
     * rounds a GEMM column differently with its position. TargetNet's and deepTarget's kernel
     * is per window (lib/fastnet); the GEMM models go one window per call (measured: 1.5x the
     * CPU time of 256). */
    int per_call = model->fast ? CHUNK : 1;
    if (precision == PREC_INT8 && model->arch != TFM_ARCH_DEEPTARGET)
        tfm_die("--precision int8: %s has no integer path (deepTarget-architecture models only)",
                tfm_model_arch_name(model->arch));
    tfm_qnet_t *qnet = NULL;
    if (precision == PREC_INT8 || (precision == PREC_AUTO && model->arch == TFM_ARCH_DEEPTARGET && info.site_mode >= 0))
        if (!(job.q = qnet = tfm_qnet_new(model))) tfm_die_last();
    unsigned char *codes = qnet ? tfm_malloc((size_t)BATCH * TFM_QNET_CODES) : NULL;
    for (int i = 0; i < threads; i++)
        if (!(job.ws[i] = tfm_model_ws_new(model, per_call))) tfm_die_last();
    float *x = qnet ? NULL : tfm_malloc((size_t)BATCH * job.insize * sizeof *x);
    float *prob = tfm_malloc(BATCH * sizeof *prob);
    /* the ensemble's members: on the same path (integer or float), over the windows at or above
     * the cascade, gathered in window order */
    int nm = info.ens.n;
    ens_t ens = {0};
    if (nm) ens_open(&ens, model_path, model, &info, qnet != NULL, per_call, threads, job.insize);
    long *win = tfm_malloc(BATCH * sizeof *win); /* row -> window index, -1 for a 'none' row */
    size_t *end = tfm_malloc(BATCH * sizeof *end); /* end of each row's text in `rows` */
    kstring_t rows = {0}, s = {0};

    tfm_out_t *out = tfm_out_open(output);
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs(prior ? "score\tmirna_prior\n" : "score\n", &s);
    tfm_out_write(out, s.s, s.l);
    long total = 0, windows = 0, ens_windows = 0;
    double t0 = tfm_seconds();
    int rc = 1;
    /* rows encoded from their sequences as they are checked (codes cannot fail after the check) */
    int fused = qnet && r.enc_text < 0;
    while (rc == 1) {
        size_t nrow = 0, nwin = 0;
        rows.l = 0;
        while (nrow < BATCH && (rc = tfm_tsv_read(t)) == 1) {
            win[nrow] = -1;
            if ((fused ? tfm_siterow_check_codes(&r, t, codes + nwin * TFM_QNET_CODES) : tfm_siterow_check(&r, t)) < 0)
                tfm_die_last();
            if (c_mode >= 0 && strcmp(t->f[c_mode], want_mode) != 0)
                tfm_die("%s:%ld: mode '%s', but %s was trained on %s windows (tfm-seed -m %s)", t->name, t->lineno,
                        t->f[c_mode], model_path, want_mode, want_mode);
            if (prior) { /* rows of a miRNA come together: look its prior up once per run of rows */
                if (!last_mirna.s || strcmp(last_mirna.s, t->f[c_key]) != 0) {
                    last_mirna.l = 0, kputs(t->f[c_key], &last_mirna);
                    last_unseen = tfm_prior_lookup(pr, c_id >= 0 ? t->f[c_id] : "", c_mirna >= 0 ? t->f[c_mirna] : "",
                                                   &last_prior);
                    if (last_unseen < 0) tfm_die("%s:%ld: %s", t->name, t->lineno, tfm_last_error());
                    if (last_unseen) unseen_prior = last_prior;
                }
                prior[nrow] = last_prior;
                unseen_rows += last_unseen;
            }
            if (!tfm_siterow_is_none(&r, t)) {
                if (!fused && (qnet ? tfm_siterow_codes(&r, t, codes + nwin * TFM_QNET_CODES)
                                    : tfm_siterow_encode(&r, t, x + nwin * job.insize)))
                    tfm_die_last();
                win[nrow] = (long)nwin++;
            }
            end[nrow++] = keep_row(t, &rows);
        }
        if (rc < 0) tfm_die_last();
        job.x = x, job.codes = codes, job.prob = prob, job.nwin = nwin;
        tfm_pool_run(pool, (nwin + CHUNK - 1) / CHUNK, score_chunk, &job);
        if (job.failed) tfm_die("%s", tfm_last_error());
        if (nm) ens_windows += ens_score(&ens, pool, &job, info.ens.cascade);
        write_scored(out, &s, &rows, end, win, prob, prior, nrow);
        tfm_meter_add(&meter, (double)nrow, tfm_tsv_fraction(t));
        total += (long)nrow;
        windows += (long)nwin;
    }
    tfm_meter_end(&meter);
    tfm_out_close(out, 1);
    for (int i = 0; i < threads; i++) tfm_model_ws_free(job.ws[i]);
    tfm_qnet_free(qnet);
    ens_close(&ens, threads);
    free(info.encoding);
    free(job.ws), free(x), free(codes), free(prob), free(win), free(end), free(rows.s), free(s.s), free(prior), free(last_mirna.s);
    tfm_metrics_prior_free(info.prior);
    tfm_prior_free(pr);
    tfm_pool_free(pool);
    tfm_tsv_close(t);
    if (unseen_rows && !co.quiet)
        fprintf(stderr,
                "tfm-score: --prior model: %ld of %ld rows are of miRNAs without training sites in the model; they got "
                "an unseen miRNA's prior, %.4g (--prior FILE gives their activity)\n",
                unseen_rows, total, unseen_prior);
    if (verbose) {
        double sec = tfm_seconds() - t0;
        fprintf(stderr,
                "tfm-score: %ld rows, %ld windows, %.2f s, %.2f CPU s, %.0f windows/s, %.1f GMAC/s, peak RSS %.1f MB\n",
                total, windows, sec, tfm_cpu_seconds(), windows / sec, windows * tfm_model_macs(model) / sec / 1e9,
                tfm_peak_rss() / 1e6);
        if (nm)
            fprintf(stderr, "tfm-score: ensemble of %d networks: members 2-%d scored %ld windows (%.1f%%, p >= %g)\n",
                    nm + 1, nm + 1, ens_windows, windows ? 100.0 * ens_windows / windows : 0, info.ens.cascade);
    }
    tfm_ens_meta_free(&info.ens);
    tfm_model_free(model);
    return 0;
}
