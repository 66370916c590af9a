/* tfm-encode: add a model's input encoding to each site row of tfm-seed, as a compact text
 * column (enc_targetnet or enc_deeptarget; lib/encode.h describes the text form). tfm-score
 * reads that column, or encodes rows itself when it is absent. --scheme rnafm instead writes
 * RNA-FM representations of the TargetFM inputs to float32 .npy files and adds row indices. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "encode.h"
#include "pool.h"
#include "rnafm.h"
#include "siterow.h"
#include "tsv.h"

static void usage(FILE *fp)
{
    fprintf(fp, "Usage: tfm-encode --scheme targetnet|deeptarget [options] [SITES.tsv]\n"
                "       tfm-encode --scheme rnafm (--rnafm FILE | --rnafm-det 0|1) --npy OUT.npy [options]\n"
                "                  [SITES.tsv]\n"
                "Add the model input of each site row (from tfm-seed; stdin if no file or '-') as a\n"
                "text column enc_<scheme>; a 'none' row gets '.'.\n"
                "  targetnet   TargetNet's 10x50 one-hot from the esa windows and their alignment\n"
                "              (tfm-seed --mode esa)\n"
                "  deeptarget  deepTarget's 8x30 one-hot: miRNA and the reversed 30-nt window\n"
                "              (tfm-seed fuzzy modes)\n"
                "  rnafm       RNA-FM representations of TargetFM's CTS input (tfm-seed fuzzy modes):\n"
                "              a float32 .npy array (n_sites, 30, embed_dim) and a column rnafm_row\n"
                "              (its row; '.' for 'none')\n\n"
                "Options:\n"
                "  -s, --scheme NAME   encoding (required)\n"
                "  -o, --output FILE   write to FILE instead of stdout\n"
                "  -t, --threads INT   worker threads (rnafm; one thread otherwise) [1]\n"
                "  -q, --quiet         no progress on stderr\n"
                "  -v, --verbose       a summary line on stderr at the end\n"
                "rnafm:\n"
                "      --rnafm FILE    RNA-FM checkpoint (fairseq .pt or safetensors from tfm-convert)\n"
                "      --rnafm-det TD  the deterministic full-size RNA-FM of the test vectors,\n"
                "                      token_dropout TD (0 or 1)\n"
                "      --layer N       representation after layer N, 0..layers [last = 12]\n"
                "      --npy FILE      site embeddings (required)\n"
                "      --npy-mirna FILE  also one row per distinct miRNA input, column rnafm_mirna_row\n"
                "      --compat targetfm  inputs exactly as the original TargetFM (no upper-casing, no T->U)\n"
                "  -h, --help          this help\n"
                "  -V, --version       version\n");
}

/* ---- --scheme rnafm: RNA-FM representations into .npy files ---- */

#define RF_BATCH 256  /* rows read per round */
#define RF_CHUNK 32   /* sequences per RNA-FM forward */
#define NPY_HDR 128   /* fixed header size: the shape is patched in place at the end */

KHASH_MAP_INIT_STR(rf_str, int)

/* A float32 .npy file of shape (n, 30, d), written to PATH.tmp.PID, the row count patched into
 * the header at the end, then renamed into place (in place for a link or a device:
 * tfm_write_mode; the header patch needs a seekable file). */
typedef struct {
    char *path, *tmp;
    FILE *fp;
    long n;
    int d;
} npy_t;

static void npy_header(char *h, long n, int d)
{
    memset(h, ' ', NPY_HDR);
    memcpy(h, "\x93NUMPY\x01\x00", 8);
    h[8] = (char)((NPY_HDR - 10) & 0xff), h[9] = (char)((NPY_HDR - 10) >> 8);
    int k = snprintf(h + 10, NPY_HDR - 10, "{'descr': '<f4', 'fortran_order': False, 'shape': (%ld, %d, %d), }", n,
                     TFM_RNAFM_TFM_LEN, d);
    h[10 + k] = ' '; /* snprintf's NUL */
    h[NPY_HDR - 1] = '\n';
}

static npy_t *npy_live[2]; /* removed at exit when still open (a failed run leaves no .npy) */

static void npy_cleanup(void)
{
    for (int i = 0; i < 2; i++)
        if (npy_live[i] && npy_live[i]->fp) {
            fclose(npy_live[i]->fp);
            if (tfm_write_renames(npy_live[i]->tmp, npy_live[i]->path)) remove(npy_live[i]->tmp);
        }
}

static void npy_open(npy_t *f, const char *path, int d)
{
    if (!npy_live[0] && !npy_live[1]) atexit(npy_cleanup);
    npy_live[npy_live[0] ? 1 : 0] = f;
    f->path = tfm_strdup(path), f->n = 0, f->d = d;
    if (!(f->tmp = tfm_write_path(path))) tfm_die_last();
    if (!(f->fp = fopen(f->tmp, "wb"))) tfm_die("%s: %s", f->tmp, strerror(errno));
    char h[NPY_HDR];
    npy_header(h, 0, d);
    if (fwrite(h, 1, NPY_HDR, f->fp) != NPY_HDR) tfm_die("%s: %s", f->tmp, strerror(errno));
}

static void npy_write(npy_t *f, const float *x, size_t rows)
{
    size_t n = rows * TFM_RNAFM_TFM_LEN * (size_t)f->d;
    if (n && fwrite(x, sizeof(float), n, f->fp) != n) tfm_die("%s: %s", f->tmp, strerror(errno));
    f->n += (long)rows;
}

static void npy_close(npy_t *f, int commit)
{
    if (!f->fp) return;
    if (commit) {
        char h[NPY_HDR];
        npy_header(h, f->n, f->d);
        if (fseek(f->fp, 0, SEEK_SET) != 0 || fwrite(h, 1, NPY_HDR, f->fp) != NPY_HDR || fclose(f->fp) != 0)
            tfm_die("%s: %s", f->tmp, strerror(errno));
        if (tfm_write_renames(f->tmp, f->path) && rename(f->tmp, f->path) != 0)
            tfm_die("%s: %s", f->path, strerror(errno));
    } else {
        fclose(f->fp);
        if (tfm_write_renames(f->tmp, f->path)) remove(f->tmp);
    }
    f->fp = NULL;
    free(f->path), free(f->tmp);
}

typedef struct {
    const tfm_rnafm_t *fm;
    tfm_rnafm_ws_t **ws;
    int layer;
    const int *tok;   /* (n, 30) */
    float *rep;       /* (n, 30, d) */
    size_t n;
    int failed;
} rf_job_t;

static void rf_chunk(void *ctx, size_t i, int thread)
{
    rf_job_t *j = ctx;
    size_t b0 = i * RF_CHUNK, n = j->n - b0 < RF_CHUNK ? j->n - b0 : RF_CHUNK;
    size_t emb = (size_t)TFM_RNAFM_TFM_LEN * j->fm->d;
    tfm_rnafm_out_t out = {j->layer, j->rep + b0 * emb, NULL, NULL};
    if (tfm_rnafm_forward(j->fm, j->tok + b0 * TFM_RNAFM_TFM_LEN, (int)n, TFM_RNAFM_TFM_LEN, &out, j->ws[thread]) < 0)
        j->failed = 1;
}

static void rf_run(rf_job_t *j, tfm_pool_t *pool, const int *tok, float *rep, size_t n)
{
    j->tok = tok, j->rep = rep, j->n = n;
    tfm_pool_run(pool, (n + RF_CHUNK - 1) / RF_CHUNK, rf_chunk, j);
    if (j->failed) tfm_die("%s", tfm_last_error());
}

static void encode_rnafm(tfm_tsv_t *t, tfm_out_t *out, const tfm_rnafm_t *fm, int layer, int compat, const char *npy_path,
                         const char *npy_mirna_path, int threads)
{
    int c_mirna = tfm_tsv_need(t, "mirna_seq"), c_site = tfm_tsv_need(t, "site_seq"), c_type = tfm_tsv_need(t, "site_type");
    if (c_mirna < 0 || c_site < 0 || c_type < 0) tfm_die_last();
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], "rnafm_row") == 0 || (npy_mirna_path && strcmp(t->cols[i], "rnafm_mirna_row") == 0))
            tfm_die("%s:1: already has a column '%s'", t->name, t->cols[i]);
    if (layer < 0) layer = fm->n_layers;
    if (layer > fm->n_layers) tfm_die("--layer %d: the model has %d layers (0..%d)", layer, fm->n_layers, fm->n_layers);
    size_t emb = (size_t)TFM_RNAFM_TFM_LEN * fm->d;
    tfm_pool_t *pool = tfm_pool_new(threads);
    rf_job_t j = {fm, tfm_calloc(threads, sizeof *j.ws), layer, NULL, NULL, 0, 0};
    for (int i = 0; i < threads; i++) j.ws[i] = tfm_rnafm_ws_new();
    npy_t sites = {0}, mirnas = {0};
    npy_open(&sites, npy_path, fm->d);
    if (npy_mirna_path) npy_open(&mirnas, npy_mirna_path, fm->d);
    khash_t(rf_str) *seen = kh_init(rf_str);
    int *cts = tfm_malloc(sizeof(int) * RF_BATCH * TFM_RNAFM_TFM_LEN), *mtok = tfm_malloc(sizeof(int) * RF_BATCH * TFM_RNAFM_TFM_LEN);
    long *row = tfm_malloc(RF_BATCH * sizeof *row), *mrow = tfm_malloc(RF_BATCH * sizeof *mrow);
    size_t *end = tfm_malloc(RF_BATCH * sizeof *end);
    float *rep = tfm_malloc(sizeof(float) * RF_BATCH * emb);
    kstring_t rows = {0}, s = {0};
    for (int i = 0; i < t->ncols; i++) kputs(t->cols[i], &s), kputc('\t', &s);
    kputs(npy_mirna_path ? "rnafm_row\trnafm_mirna_row\n" : "rnafm_row\n", &s);
    tfm_out_write(out, s.s, s.l);
    int rc = 1;
    long nmirna = 0;
    while (rc == 1) {
        size_t nrow = 0, nwin = 0, nnew = 0;
        rows.l = 0;
        while (nrow < RF_BATCH && (rc = tfm_tsv_read(t)) == 1) {
            row[nrow] = mrow[nrow] = -1;
            int none = strcmp(t->f[c_type], "none") == 0;
            if (tfm_siterow_check_seqs(t, TFM_ENC_RNAFM, c_mirna, c_site, none) < 0) tfm_die_last();
            if (!none) {
                int tm[TFM_RNAFM_TFM_LEN];
                tfm_rnafm_targetfm_pair(t->f[c_mirna], t->flen[c_mirna], t->f[c_site], t->flen[c_site], compat, tm,
                                        cts + nwin * TFM_RNAFM_TFM_LEN);
                row[nrow] = sites.n + (long)nwin++;
                if (npy_mirna_path) { /* key: the 30 token ids as letters */
                    char key[TFM_RNAFM_TFM_LEN + 1];
                    for (int k = 0; k < TFM_RNAFM_TFM_LEN; k++) key[k] = (char)('A' + tm[k]);
                    key[TFM_RNAFM_TFM_LEN] = '\0';
                    int absent;
                    khiter_t it = kh_put(rf_str, seen, key, &absent);
                    if (absent) {
                        kh_key(seen, it) = tfm_strdup(key);
                        kh_val(seen, it) = (int)nmirna++;
                        memcpy(mtok + nnew++ * TFM_RNAFM_TFM_LEN, tm, sizeof tm);
                    }
                    mrow[nrow] = kh_val(seen, it);
                }
            }
            size_t n;
            const char *line = tfm_tsv_restore(t, &n);
            kputsn(line, n, &rows);
            end[nrow++] = rows.l;
        }
        if (rc < 0) tfm_die_last();
        if (nnew) rf_run(&j, pool, mtok, rep, nnew), npy_write(&mirnas, rep, nnew);
        if (nwin) rf_run(&j, pool, cts, rep, nwin), npy_write(&sites, rep, nwin);
        s.l = 0;
        for (size_t i = 0, start = 0; i < nrow; start = end[i++]) {
            kputsn(rows.s + start, end[i] - start, &s);
            if (row[i] >= 0) ksprintf(&s, "\t%ld", row[i]);
            else kputs("\t.", &s);
            if (npy_mirna_path) {
                if (mrow[i] >= 0) ksprintf(&s, "\t%ld", mrow[i]);
                else kputs("\t.", &s);
            }
            kputc('\n', &s);
        }
        tfm_out_write(out, s.s, s.l);
    }
    npy_close(&sites, 1);
    if (npy_mirna_path) npy_close(&mirnas, 1);
    for (khiter_t it = kh_begin(seen); it != kh_end(seen); it++)
        if (kh_exist(seen, it)) free((char *)kh_key(seen, it));
    kh_destroy(rf_str, seen);
    for (int i = 0; i < threads; i++) tfm_rnafm_ws_free(j.ws[i]);
    free(j.ws), free(cts), free(mtok), free(row), free(mrow), free(end), free(rep), free(rows.s), free(s.s);
    tfm_pool_free(pool);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-encode");
    const char *rnafm_path = NULL, *npy = NULL, *npy_mirna = NULL;
    tfm_enc_t enc = 0;
    int rnafm = 0, rnafm_det = -1, layer = -1, compat = 0;
    tfm_common_t co;
    tfm_common_init(&co);
    enum { OPT_RNAFM = 256, OPT_RNAFM_DET, OPT_LAYER, OPT_NPY, OPT_NPY_MIRNA, OPT_COMPAT };
    static const struct option longopts[] = {{"scheme", required_argument, 0, 's'},
                                             {"rnafm", required_argument, 0, OPT_RNAFM},
                                             {"rnafm-det", required_argument, 0, OPT_RNAFM_DET},
                                             {"layer", required_argument, 0, OPT_LAYER},
                                             {"npy", required_argument, 0, OPT_NPY},
                                             {"npy-mirna", required_argument, 0, OPT_NPY_MIRNA},
                                             {"compat", required_argument, 0, OPT_COMPAT},
                                             TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "s:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 's':
            if (strcmp(optarg, "rnafm") == 0) rnafm = 1, enc = 0;
            else if (tfm_encode_parse(optarg, &enc) < 0)
                tfm_usage_error("unknown scheme '%s' (targetnet, deeptarget, rnafm)", optarg);
            else rnafm = 0;
            break;
        case OPT_RNAFM: rnafm_path = optarg; break;
        case OPT_RNAFM_DET: rnafm_det = (int)tfm_opt_long("--rnafm-det", optarg, 0, 1); break;
        case OPT_LAYER: layer = (int)tfm_opt_long("--layer", optarg, 0, 1024); break;
        case OPT_NPY: npy = optarg; break;
        case OPT_NPY_MIRNA: npy_mirna = optarg; break;
        case OPT_COMPAT:
            if (strcmp(optarg, "targetfm") != 0) tfm_usage_error("--compat: unknown value '%s' (expected 'targetfm')", optarg);
            compat = 1;
            break;
        case 'h': usage(stdout); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    const char *output = co.output;
    int threads = co.threads;
    double t0 = tfm_seconds();
    if (!enc && !rnafm) tfm_usage_error("--scheme is required");
    if (argc - optind > 1) tfm_usage_error("expected at most one input file");
    if (!rnafm && (rnafm_path || rnafm_det >= 0 || layer >= 0 || npy || npy_mirna || compat))
        tfm_usage_error("--rnafm, --rnafm-det, --layer, --npy, --npy-mirna and --compat need --scheme rnafm");
    if (rnafm) {
        if (rnafm_path && rnafm_det >= 0) tfm_usage_error("--rnafm and --rnafm-det exclude each other");
        if (!rnafm_path && rnafm_det < 0) tfm_usage_error("--scheme rnafm needs --rnafm FILE or --rnafm-det 0|1");
        if (!npy) tfm_usage_error("--scheme rnafm needs --npy FILE");
        if (npy_mirna && strcmp(npy, npy_mirna) == 0) tfm_usage_error("--npy and --npy-mirna name the same file");
    }
    tfm_tsv_t *t = tfm_tsv_open(optind < argc ? argv[optind] : "-", 1, 0, NULL);
    if (!t) tfm_die_last();
    if (rnafm) {
        tfm_rnafm_t *fm = rnafm_path ? tfm_rnafm_load(rnafm_path) : tfm_rnafm_new_det(12, 640, 20, 5120, 1024, rnafm_det);
        if (!fm) tfm_die_last();
        tfm_out_t *out = tfm_out_open(output);
        encode_rnafm(t, out, fm, layer, compat, npy, npy_mirna, threads);
        tfm_out_close(out, 1);
        tfm_rnafm_free(fm);
        if (co.verbose) tfm_summary(t0, "%ld rows", t->lineno - 1);
        tfm_tsv_close(t);
        return 0;
    }
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
        if (tfm_siterow_check(&r, t) < 0) tfm_die_last();
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
    if (co.verbose) tfm_summary(t0, "%ld rows", t->lineno - 1);
    tfm_tsv_close(t);
    return 0;
}
