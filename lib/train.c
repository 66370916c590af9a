/* train: see train.h. Reads top to bottom: generator, options, data, parameters, the
 * per-chunk forward/backward of each architecture, the trainer (batch step, optimisers,
 * epochs, evaluation), the checkpoint. Activations are channel-major over a chunk, (C, B, L),
 * like the forward passes of model.c. */
#include "train.h"

#include <ctype.h>
#include <htslib/hts.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "decoy.h"
#include "esa.h"
#include "metrics.h"
#include "nn.h"
#include "pool.h"
#include "seqcheck.h"
#include "tsv.h"
#include "util.h"

/* ---------------------------------------------------------------- generator (xoshiro256**) */

typedef struct {
    uint64_t s[4];
} rng_t;

static void rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (int i = 0; i < 4; i++) r->s[i] = tfm_splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 45);
    return out;
}

static double rng_uniform(rng_t *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* uniform in [0, n) without modulo bias (Lemire's method would do too; rejection is simpler) */
static size_t rng_below(rng_t *r, size_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, v;
    do v = rng_next(r);
    while (v >= lim);
    return (size_t)(v % n);
}

/* ------------------------------------------------------------------------------ options */

void tfm_train_opt_init(tfm_train_opt_t *o)
{
    memset(o, 0, sizeof *o);
    o->arch = TFM_ARCH_TARGETNET;
    o->epochs = 10, o->batch = 32;
    o->optimizer = TFM_OPT_ADAM;
    o->lr = 1e-3, o->weight_decay = 0;
    o->beta1 = 0.9, o->beta2 = 0.999, o->eps = 1e-8;
    o->momentum = 0.9;
    o->class_weight[0] = o->class_weight[1] = 1.0f;
    o->seed = 1, o->threads = 1;
}

const char *tfm_train_optim_name(tfm_optim_t o)
{
    return o == TFM_OPT_ADAM ? "adam" : o == TFM_OPT_ADAMW ? "adamw" : o == TFM_OPT_SGD ? "sgd" : "?";
}

int tfm_train_optim_parse(const char *name, tfm_optim_t *o)
{
    if (!strcmp(name, "adam")) *o = TFM_OPT_ADAM;
    else if (!strcmp(name, "adamw")) *o = TFM_OPT_ADAMW;
    else if (!strcmp(name, "sgd")) *o = TFM_OPT_SGD;
    else return tfm_fail("unknown optimizer '%s' (adam, adamw, sgd)", name);
    return 0;
}

tfm_enc_t tfm_train_arch_encoding(tfm_arch_t arch)
{
    return arch == TFM_ARCH_TARGETNET ? TFM_ENC_TARGETNET : arch == TFM_ARCH_DEEPTARGET ? TFM_ENC_DEEPTARGET
         : arch == TFM_ARCH_TARGETFM1 ? TFM_ENC_RNAFM : 0;
}

/* --------------------------------------------------------------------------------- data */

tfm_train_data_t *tfm_train_data_new(tfm_enc_t enc)
{
    tfm_train_data_t *d = tfm_calloc(1, sizeof *d);
    d->enc = enc;
    d->insize = tfm_encode_size(enc);
    d->prior = tfm_metrics_prior_new();
    return d;
}

/* Upper case, T -> U; 0 if only A, C, G, U remain. */
static int norm_seq(char *dst, const char *src, size_t n)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        int c = toupper((unsigned char)src[i]);
        if (c == 'T') c = 'U';
        if (c != 'A' && c != 'C' && c != 'G' && c != 'U') ok = 0;
        dst[i] = (char)c;
    }
    dst[n] = 0;
    return ok;
}

/* A row's miRNA and site, by the rules every tool applies (lib/seqcheck.h). */
static int check_seqs(tfm_enc_t enc, const char *mirna, size_t ml, const char *site, size_t site_len)
{
    if (tfm_seq_validate(&tfm_rule_mirna, "mirna_seq", mirna, ml) < 0) return -1;
    return tfm_seq_validate(tfm_rule_site(enc), "site_seq", site, site_len);
}

static uint32_t fm_hash(const int *tok)
{
    uint32_t h = 2166136261u; /* FNV-1a over the token ids (each < 25) */
    for (int i = 0; i < TFM_RNAFM_TFM_LEN; i++) h = (h ^ (uint32_t)tok[i]) * 16777619u;
    return h;
}

/* Row of the RNA-FM input tok in d's table of distinct inputs, added if new. */
static int fm_row(tfm_train_data_t *d, const int *tok, int is_mirna)
{
    if (2 * (d->n_fm + 1) > d->fm_hcap) { /* keep the load at most 1/2: grow and rehash */
        size_t cap = d->fm_hcap ? 2 * d->fm_hcap : 1024;
        free(d->fm_hash);
        d->fm_hash = tfm_calloc(cap, sizeof *d->fm_hash);
        d->fm_hcap = cap;
        for (size_t r = 0; r < d->n_fm; r++) {
            size_t i = fm_hash(d->fm_tok + r * TFM_RNAFM_TFM_LEN) & (cap - 1);
            while (d->fm_hash[i]) i = (i + 1) & (cap - 1);
            d->fm_hash[i] = (uint32_t)r + 1;
        }
    }
    size_t i = fm_hash(tok) & (d->fm_hcap - 1);
    for (; d->fm_hash[i]; i = (i + 1) & (d->fm_hcap - 1))
        if (!memcmp(d->fm_tok + (size_t)(d->fm_hash[i] - 1) * TFM_RNAFM_TFM_LEN, tok, sizeof(int) * TFM_RNAFM_TFM_LEN))
            return (int)d->fm_hash[i] - 1;
    TFM_GROW(d->fm_tok, d->cap_fm, (d->n_fm + 1) * TFM_RNAFM_TFM_LEN);
    memcpy(d->fm_tok + d->n_fm * TFM_RNAFM_TFM_LEN, tok, sizeof(int) * TFM_RNAFM_TFM_LEN);
    d->fm_hash[i] = (uint32_t)d->n_fm + 1;
    d->n_fm_mirna += is_mirna != 0;
    return (int)d->n_fm++;
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Index of the (normalised) miRNA sequence mi in d's table of distinct miRNAs, added if new. */
static int mirna_index(tfm_train_data_t *d, const char *mi)
{
    if (2 * (d->n_mirna + 1) > d->mi_hcap) { /* load at most 1/2: grow and rehash */
        size_t cap = d->mi_hcap ? 2 * d->mi_hcap : 256;
        free(d->mi_hash);
        d->mi_hash = tfm_calloc(cap, sizeof *d->mi_hash);
        d->mi_hcap = cap;
        for (size_t r = 0; r < d->n_mirna; r++) {
            size_t i = str_hash(d->mirna_seq[r]) & (cap - 1);
            while (d->mi_hash[i]) i = (i + 1) & (cap - 1);
            d->mi_hash[i] = (uint32_t)r + 1;
        }
    }
    size_t i = str_hash(mi) & (d->mi_hcap - 1);
    for (; d->mi_hash[i]; i = (i + 1) & (d->mi_hcap - 1))
        if (!strcmp(d->mirna_seq[d->mi_hash[i] - 1], mi)) return (int)d->mi_hash[i] - 1;
    TFM_GROW(d->mirna_seq, d->cap_mirna, d->n_mirna + 1);
    d->mirna_seq[d->n_mirna] = tfm_strdup(mi);
    d->mi_hash[i] = (uint32_t)d->n_mirna + 1;
    return (int)d->n_mirna++;
}

/* tfm_train_data_add, the sample counted under the miRNA of index `group` (>= 0) instead of its own */
static int data_add(tfm_train_data_t *d, const char *mirna, const char *site, size_t site_len, int label, int is_val,
                    int group)
{
    char mi[64], st[64];
    size_t ml = strlen(mirna);
    float x[TFM_ENC_TARGETNET_C * TFM_ENC_TARGETNET_L];
    if (check_seqs(d->enc, mirna, ml, site, site_len) < 0) return -1; /* the lengths fit mi and st */
    norm_seq(mi, mirna, ml);
    norm_seq(st, site, site_len);
    if (d->enc == TFM_ENC_TARGETNET) {
        /* the window is the reversed site; ESA of miRNA nt 1-10 against window nt 6-15 */
        char win[64];
        for (size_t i = 0; i < site_len; i++) win[i] = st[site_len - 1 - i];
        win[site_len] = 0;
        tfm_esa_t aln;
        int na = ml < TFM_ESA_LEN ? (int)ml : TFM_ESA_LEN;
        tfm_esa_align(mi, na, win + 5, TFM_ESA_LEN, &aln);
        if (tfm_encode_targetnet(x, mi, win, aln.mirna, aln.site) < 0) return -1;
    } else if (d->enc != TFM_ENC_RNAFM && tfm_encode_site(x, d->enc, mi, st, site_len, NULL, NULL) < 0) {
        return -1;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 1024;
        if (d->enc == TFM_ENC_RNAFM) d->fm_pair = tfm_realloc(d->fm_pair, d->cap * 2 * sizeof *d->fm_pair);
        else d->x = tfm_realloc(d->x, d->cap * d->insize);
        d->label = tfm_realloc(d->label, d->cap);
        d->is_val = tfm_realloc(d->is_val, d->cap);
        d->mirna = tfm_realloc(d->mirna, d->cap * sizeof *d->mirna);
    }
    d->mirna[d->n] = group >= 0 ? group : mirna_index(d, mi);
    if (d->enc == TFM_ENC_RNAFM) {
        int tm[TFM_RNAFM_TFM_LEN], tc[TFM_RNAFM_TFM_LEN];
        tfm_rnafm_targetfm_pair(mi, ml, st, site_len, 0, tm, tc);
        d->fm_pair[2 * d->n] = fm_row(d, tm, 1);
        d->fm_pair[2 * d->n + 1] = fm_row(d, tc, 0);
    } else {
        unsigned char *dst = d->x + d->n * d->insize;
        for (size_t i = 0; i < d->insize; i++) dst[i] = x[i] != 0.0f;
    }
    d->label[d->n] = label ? 1 : 0;
    d->is_val[d->n] = is_val ? 1 : 0;
    d->n++;
    if (is_val) d->n_val++, d->pos_val += label != 0;
    else d->n_train++, d->pos_train += label != 0;
    return 0;
}

int tfm_train_data_add(tfm_train_data_t *d, const char *mirna, const char *site, size_t site_len, int label,
                       int is_val)
{
    return data_add(d, mirna, site, site_len, label, is_val, -1);
}

int tfm_train_site_windows(enum tfm_mode mode, const char *mirna, const char *site, size_t site_len, int label,
                           int *start, int *end, int max)
{
    tfm_seed_opt_t so;
    tfm_seed_opt_init(&so);
    so.mode = mode;
    tfm_seed_mirna_t m;
    if (tfm_seed_mirna_init(&m, mirna, (int)strlen(mirna), &so) < 0) return -1;
    tfm_seed_target_t t = {0};
    tfm_seed_target_set(&t, site, site_len, &so);
    tfm_seed_scratch_t scr = {0};
    tfm_site_t *x = NULL;
    size_t cap = 0, n = tfm_seed_find(&so, &m, &t, &scr, &x, &cap);
    int k = 0;
    if (!label) {
        for (size_t i = 0; i < n && k < max; i++) start[k] = x[i].start, end[k] = x[i].end, k++;
    } else if (n && max > 0) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++) {
            int de = x[i].errors - x[best].errors;
            int di = abs(x[i].end - TFM_TRAIN_ANCHOR) - abs(x[best].end - TFM_TRAIN_ANCHOR);
            if (de < 0 || (de == 0 && di < 0)) best = i;
        }
        start[0] = x[best].start, end[0] = x[best].end, k = 1;
    }
    free(x);
    tfm_seed_scratch_free(&scr);
    tfm_seed_target_free(&t);
    tfm_seed_mirna_free(&m);
    return k;
}

/* The samples of one input row: the site as given, or its candidate windows (lo->windows). */
static int add_samples(tfm_train_data_t *d, const tfm_train_load_opt_t *lo, const char *mirna, const char *site,
                       size_t site_len, int label, int is_val, int group)
{
    if (!lo->windows) return data_add(d, mirna, site, site_len, label, is_val, group);
    char mi[64], st[64];
    size_t ml = strlen(mirna);
    if (check_seqs(d->enc, mirna, ml, site, site_len) < 0) return -1; /* the lengths fit mi and st */
    norm_seq(mi, mirna, ml);
    norm_seq(st, site, site_len);
    int start[64], end[64];
    int n = tfm_train_site_windows(lo->mode, mi, st, site_len, label, start, end, 64);
    if (n < 0) return -1;
    if (n == 0) d->n_nosite++;
    for (int i = 0; i < n; i++)
        if (data_add(d, mi, st + start[i] - 1, (size_t)(end[i] - start[i] + 1), label, is_val, group) < 0) return -1;
    return 0;
}

/* One input row: its samples, and its counts (rows, the miRNA prior of the training rows). */
static int add_row(tfm_train_data_t *d, const tfm_train_load_opt_t *lo, const char *mirna, const char *site,
                   size_t site_len, int label, int is_val)
{
    if (add_samples(d, lo, mirna, site, site_len, label, is_val, -1) < 0) return -1;
    if (is_val) d->rows_val++;
    else d->rows_train++, tfm_metrics_prior_add(d->prior, mirna, label);
    return 0;
}

/* The split rule of sites.tsv.gz: MD5(miRNA TAB site) of the normalised sequences, first 8 hex
 * digits as an unsigned integer, divisible by 10 -> validation. */
static int md5_is_val(const char *mirna, const char *site, size_t site_len)
{
    char mi[64], st[64];
    size_t ml = strlen(mirna);
    if (ml >= sizeof mi || site_len >= sizeof st) return 0;
    norm_seq(mi, mirna, ml);
    norm_seq(st, site, site_len);
    hts_md5_context *c = hts_md5_init();
    hts_md5_update(c, mi, (unsigned long)ml);
    hts_md5_update(c, "\t", 1);
    hts_md5_update(c, st, (unsigned long)site_len);
    unsigned char dg[16];
    hts_md5_final(dg, c);
    hts_md5_destroy(c);
    uint32_t v = (uint32_t)dg[0] << 24 | (uint32_t)dg[1] << 16 | (uint32_t)dg[2] << 8 | dg[3];
    return v % 10 == 0;
}

/* The positive rows, kept for their decoys: normalised miRNA index, site and split. */
typedef struct {
    int *mirna;
    size_t *site_off;         /* offset into text; site i is text[site_off[i]..site_off[i+1]) */
    char *text;
    unsigned char *is_val;
    size_t n, cap, cap_off, len, cap_text;
} pos_rows_t;

static void pos_rows_add(pos_rows_t *p, int mirna, const char *site, size_t site_len, int is_val)
{
    TFM_GROW(p->mirna, p->cap, p->n + 1);
    p->is_val = tfm_realloc(p->is_val, p->cap);
    TFM_GROW(p->site_off, p->cap_off, p->n + 2);
    TFM_GROW(p->text, p->cap_text, p->len + site_len + 1);
    if (!p->n) p->site_off[0] = 0;
    memcpy(p->text + p->len, site, site_len);
    p->len += site_len;
    p->mirna[p->n] = mirna, p->is_val[p->n] = is_val ? 1 : 0;
    p->site_off[++p->n] = p->len;
}

static void pos_rows_free(pos_rows_t *p) { free(p->mirna), free(p->site_off), free(p->text), free(p->is_val); }

/* Positive row i's site paired with the decoy miRNA `mirna`: every window found is a negative,
 * counted under the miRNA of index `group` (-1: under `mirna`). */
static int add_decoy_row(tfm_train_data_t *d, const tfm_train_load_opt_t *lo, const pos_rows_t *p, size_t i,
                         const char *mirna, int group)
{
    size_t n0 = d->n, nosite = d->n_nosite; /* n_nosite counts the file's rows only */
    if (add_samples(d, lo, mirna, p->text + p->site_off[i], p->site_off[i + 1] - p->site_off[i], 0, p->is_val[i],
                    group) < 0)
        return -1;
    d->n_decoy += d->n - n0;
    d->rows_decoy++;
    d->n_nosite = nosite;
    return 0;
}

/* The decoys of tfm_train_load_opt_t (train.h): `decoys` rounds over the positive rows in input
 * order, each drawing another positive row's miRNA with a different seed (nt 2-8), then
 * `shuffles` rounds, each permuting the row's own miRNA. */
static int add_decoys(tfm_train_data_t *d, const tfm_train_load_opt_t *lo, const pos_rows_t *p)
{
    rng_t r;
    rng_seed(&r, lo->seed, 3);
    for (int k = 0; k < lo->decoys; k++)
        for (size_t i = 0; i < p->n; i++) {
            const char *own = d->mirna_seq[p->mirna[i]], *other = NULL;
            for (int tries = 0; tries < 64 && !other; tries++) {
                const char *c = d->mirna_seq[p->mirna[rng_below(&r, p->n)]];
                if (strlen(c) >= 8 && strlen(own) >= 8 && memcmp(c + 1, own + 1, 7)) other = c;
            }
            if (other && add_decoy_row(d, lo, p, i, other, -1) < 0) return -1;
        }
    for (int k = 0; k < lo->shuffles; k++) /* train.h, shuffles: a fresh permutation per draw */
        for (size_t i = 0; i < p->n; i++) {
            const char *own = d->mirna_seq[p->mirna[i]];
            char s[64];
            uint64_t draw = rng_next(&r);
            if (strlen(own) < 8 || strlen(own) >= sizeof s || tfm_decoy_shuffle(own, draw, s) < 0) continue; /* letters that cannot move */
            if (add_decoy_row(d, lo, p, i, s, p->mirna[i]) < 0) return -1;
        }
    return 0;
}

void tfm_train_data_balance(tfm_train_data_t *d, int mode)
{
    /* per split s and miRNA m: count[(m * 2 + s) * 2 + label] */
    size_t *count = tfm_calloc(d->n_mirna * 4 + 1, sizeof *count);
    for (size_t i = 0; i < d->n; i++) count[((size_t)d->mirna[i] * 2 + d->is_val[i]) * 2 + d->label[i]]++;
    free(d->weight);
    d->weight = tfm_malloc(sizeof(float) * (d->n ? d->n : 1));
    double sum[2] = {0, 0};
    size_t n[2] = {0, 0};
    for (size_t i = 0; i < d->n; i++) {
        const size_t *c = count + ((size_t)d->mirna[i] * 2 + d->is_val[i]) * 2;
        double w = !c[0] || !c[1]                        ? 0.0
                   : mode == TFM_BALANCE_MIRNA_HARMONIC ? (double)c[!d->label[i]] / (double)(c[0] + c[1])
                   : d->label[i]                        ? 1.0
                                                        : (double)c[1] / (double)c[0];
        d->weight[i] = (float)w;
        sum[d->is_val[i]] += w, n[d->is_val[i]]++;
    }
    for (size_t i = 0; i < d->n; i++) { /* a split where no miRNA has both classes stays unweighted */
        int v = d->is_val[i];
        d->weight[i] = sum[v] > 0 ? (float)(d->weight[i] * (double)n[v] / sum[v]) : 1.0f;
    }
    free(count);
}

static void gather(const tfm_train_data_t *d, const size_t *idx, int B, float *x, unsigned char *y, float *w);

int tfm_train_data_distill(tfm_train_data_t *d, tfm_model_t *const *teacher, int k, double alpha, int threads)
{
    if (d->enc == TFM_ENC_RNAFM) return tfm_fail("distillation takes one-hot encodings, not RNA-FM embeddings");
    if (k < 1) return tfm_fail("distillation needs a teacher");
    for (int j = 0; j < k; j++)
        if (tfm_model_input_size(teacher[j]) != d->insize)
            return tfm_fail("teacher %d takes %zu inputs per sample, the data have %zu", j + 1,
                            tfm_model_input_size(teacher[j]), d->insize);
    size_t n0 = d->n, *idx = tfm_malloc(sizeof *idx * TFM_TRAIN_CHUNK * 64);
    double *zsum = tfm_calloc(n0 ? n0 : 1, sizeof *zsum);
    float *x = tfm_malloc(sizeof(float) * d->insize * TFM_TRAIN_CHUNK * 64), *z = tfm_malloc(sizeof(float) * TFM_TRAIN_CHUNK * 64);
    unsigned char y[TFM_TRAIN_CHUNK * 64];
    float w[TFM_TRAIN_CHUNK * 64];
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.threads = threads;
    for (int j = 0; j < k; j++) { /* teachers in a fixed order, each sum in that order */
        o.arch = teacher[j]->arch;
        tfm_trainer_t *t = tfm_train_new(teacher[j], &o);
        if (!t) return free(idx), free(zsum), free(x), free(z), -1;
        for (size_t b0 = 0; b0 < n0; b0 += TFM_TRAIN_CHUNK * 64) {
            int B = n0 - b0 < TFM_TRAIN_CHUNK * 64 ? (int)(n0 - b0) : TFM_TRAIN_CHUNK * 64;
            for (int b = 0; b < B; b++) idx[b] = b0 + b;
            gather(d, idx, B, x, y, w);
            tfm_train_predict(t, x, B, z);
            for (int b = 0; b < B; b++) zsum[b0 + b] += z[b];
        }
        tfm_train_free(t);
    }
    size_t extra = d->n_train;
    if (d->n + extra > d->cap) {
        d->cap = d->n + extra;
        d->x = tfm_realloc(d->x, d->cap * d->insize);
        d->label = tfm_realloc(d->label, d->cap);
        d->is_val = tfm_realloc(d->is_val, d->cap);
        d->mirna = tfm_realloc(d->mirna, d->cap * sizeof *d->mirna);
    }
    int had_weight = d->weight != NULL;
    d->weight = tfm_realloc(d->weight, sizeof(float) * d->cap);
    for (size_t i = 0; i < n0; i++) {
        float wi = had_weight ? d->weight[i] : 1.0f;
        d->weight[i] = wi;
        if (d->is_val[i]) continue;
        double tch = tfm_nn_sigmoid(zsum[i] / k), s = alpha * d->label[i] + (1 - alpha) * tch;
        size_t c = d->n++;
        memcpy(d->x + c * d->insize, d->x + i * d->insize, d->insize);
        d->label[c] = !d->label[i], d->is_val[c] = 0, d->mirna[c] = d->mirna[i];
        d->weight[i] = (float)(wi * (d->label[i] ? s : 1 - s));
        d->weight[c] = (float)(wi * (d->label[c] ? s : 1 - s));
        d->n_train++, d->pos_train += d->label[c];
    }
    free(idx), free(zsum), free(x), free(z);
    return 0;
}

static void md5_line(hts_md5_context *md5, const char *s, size_t n)
{
    hts_md5_update(md5, s, (unsigned long)n);
    hts_md5_update(md5, "\n", 1);
}

const char *const tfm_train_mitar_cols[5] = {"mirna_id", "mirna_seq_rev", "mrna_id", "site_seq", "label"};

tfm_train_data_t *tfm_train_data_load(const char *path, tfm_enc_t enc, const tfm_train_load_opt_t *lo)
{
    tfm_tsv_t *t = lo->layout == TFM_LAYOUT_MITAR ? tfm_tsv_open(path, 0, 5, tfm_train_mitar_cols)
                                                  : tfm_tsv_open(path, 1, 0, NULL);
    if (!t) return NULL;
    tfm_train_data_t *d = tfm_train_data_read(t, enc, lo);
    tfm_tsv_close(t);
    return d;
}

tfm_train_data_t *tfm_train_data_read(tfm_tsv_t *t, tfm_enc_t enc, const tfm_train_load_opt_t *lo)
{
    int mitar = lo->layout == TFM_LAYOUT_MITAR;
    int cm = mitar ? 1 : tfm_tsv_need(t, "mirna_seq"), cs = cm < 0 ? -1 : mitar ? 3 : tfm_tsv_need(t, "site_seq");
    int cl = cs < 0 ? -1 : mitar ? 4 : tfm_tsv_need(t, "label"), cv = mitar ? -1 : tfm_tsv_col(t, "split");
    if (cl < 0) return NULL;
    tfm_train_data_t *d = tfm_train_data_new(enc);
    pos_rows_t pos = {0};
    hts_md5_context *md5 = hts_md5_init();
    if (!mitar)
        for (int i = 0; i < t->ncols; i++) {
            hts_md5_update(md5, t->cols[i], (unsigned long)strlen(t->cols[i]));
            hts_md5_update(md5, i + 1 < t->ncols ? "\t" : "\n", 1);
        }
    int rc;
    char rev[64];
    while ((rc = tfm_tsv_read(t)) == 1) {
        const char *lab = t->f[cl];
        if (strcmp(lab, "0") && strcmp(lab, "1")) {
            if (mitar && t->lineno == 1) { /* a header line (DeepMirTar's file) */
                size_t len;
                const char *line = tfm_tsv_restore(t, &len);
                md5_line(md5, line, len);
                continue;
            }
            tfm_fail("%s:%ld: label '%s' is not 0 or 1", t->name, t->lineno, lab);
            rc = -1;
            break;
        }
        const char *mi = t->f[cm];
        if (mitar) { /* miTAR stores the miRNA 3'->5' */
            size_t ml = t->flen[cm];
            if (ml >= sizeof rev) ml = sizeof rev - 1;
            for (size_t i = 0; i < ml; i++) rev[i] = mi[ml - 1 - i];
            rev[ml] = 0;
            mi = rev;
        }
        int is_val = mitar ? md5_is_val(mi, t->f[cs], t->flen[cs])
                           : cv >= 0 && lo->val_split && !strcmp(t->f[cv], lo->val_split);
        if (lo->decoy_negatives && lab[0] == '0' && !is_val) { /* val keeps its real negatives */
            d->n_dropped++;
            size_t len;
            const char *line = tfm_tsv_restore(t, &len);
            md5_line(md5, line, len);
            continue;
        }
        if (add_row(d, lo, mi, t->f[cs], t->flen[cs], lab[0] == '1', is_val) < 0) {
            if (lo->skip_bad) {
                d->n_skipped++;
            } else {
                char msg[512];
                snprintf(msg, sizeof msg, "%s", tfm_last_error());
                tfm_fail("%s:%ld: %s", t->name, t->lineno, msg);
                rc = -1;
                break;
            }
        }
        else if ((lo->decoys > 0 || lo->shuffles > 0) && lab[0] == '1') {
            char mn[64], sn[128];
            size_t ml = strlen(mi), sl = t->flen[cs];
            if (ml < sizeof mn && sl < sizeof sn && norm_seq(mn, mi, ml) && norm_seq(sn, t->f[cs], sl))
                pos_rows_add(&pos, mirna_index(d, mn), sn, sl, is_val);
        }
        size_t len;
        const char *line = tfm_tsv_restore(t, &len);
        md5_line(md5, line, len);
    }
    if (rc >= 0 && (lo->decoys > 0 || lo->shuffles > 0) && add_decoys(d, lo, &pos) < 0) {
        char msg[512]; /* tfm_fail writes where tfm_last_error points */
        snprintf(msg, sizeof msg, "%s", tfm_last_error());
        tfm_fail("%s: decoys: %s", t->name, msg);
        rc = -1;
    }
    pos_rows_free(&pos);
    if (rc >= 0 && lo->balance) tfm_train_data_balance(d, lo->balance);
    unsigned char digest[16];
    hts_md5_final(digest, md5);
    hts_md5_hex(d->md5, digest);
    hts_md5_destroy(md5);
    if (rc < 0) {
        tfm_train_data_free(d);
        return NULL;
    }
    return d;
}

void tfm_train_data_free(tfm_train_data_t *d)
{
    if (!d) return;
    tfm_metrics_prior_free(d->prior);
    free(d->fm_pair), free(d->fm_tok), free(d->fm_hash), free(d->fm_emb);
    for (size_t i = 0; i < d->n_mirna; i++) free(d->mirna_seq[i]);
    free(d->mirna_seq), free(d->mi_hash), free(d->mirna), free(d->weight);
    free(d->x), free(d->label), free(d->is_val), free(d);
}

typedef struct {
    const tfm_rnafm_t *fm;
    tfm_rnafm_ws_t **ws;
    tfm_train_data_t *d;
    size_t c0;                /* first chunk of the round */
    int failed;
} embed_job_t;

static void embed_chunk(void *ctx, size_t c, int thread)
{
    embed_job_t *j = ctx;
    tfm_train_data_t *d = j->d;
    size_t r0 = (j->c0 + c) * TFM_TRAIN_EMBED_CHUNK, n = d->n_fm - r0;
    if (n > TFM_TRAIN_EMBED_CHUNK) n = TFM_TRAIN_EMBED_CHUNK;
    tfm_rnafm_out_t out = {j->fm->n_layers, d->fm_emb + r0 * TFM_RNAFM_TFM_LEN * (size_t)d->fm_d, NULL, NULL};
    if (tfm_rnafm_forward(j->fm, d->fm_tok + r0 * TFM_RNAFM_TFM_LEN, (int)n, TFM_RNAFM_TFM_LEN, &out, j->ws[thread]) < 0)
        j->failed = 1;
}

int tfm_train_data_embed(tfm_train_data_t *d, const tfm_rnafm_t *fm, int threads, tfm_train_progress_fn progress,
                         void *ctx)
{
    if (d->enc != TFM_ENC_RNAFM) return tfm_fail("%s samples have no RNA-FM inputs", tfm_encode_name(d->enc));
    if (threads < 1) threads = 1;
    free(d->fm_emb);
    d->fm_d = fm->d;
    d->insize = 2 * (size_t)TFM_RNAFM_TFM_LEN * (size_t)fm->d;
    d->fm_emb = tfm_malloc(sizeof(float) * (d->n_fm ? d->n_fm : 1) * TFM_RNAFM_TFM_LEN * (size_t)fm->d);
    embed_job_t j = {fm, tfm_calloc((size_t)threads, sizeof *j.ws), d, 0, 0};
    for (int i = 0; i < threads; i++) j.ws[i] = tfm_rnafm_ws_new();
    tfm_pool_t *pool = tfm_pool_new(threads);
    /* rounds of a few chunks per thread, so that progress can be reported between them */
    size_t nc = (d->n_fm + TFM_TRAIN_EMBED_CHUNK - 1) / TFM_TRAIN_EMBED_CHUNK, round = 2 * (size_t)threads;
    for (j.c0 = 0; j.c0 < nc && !j.failed; j.c0 += round) {
        tfm_pool_run(pool, nc - j.c0 < round ? nc - j.c0 : round, embed_chunk, &j);
        size_t done = (j.c0 + round) * TFM_TRAIN_EMBED_CHUNK;
        if (progress) progress(ctx, done < d->n_fm ? done : d->n_fm, d->n_fm, 0);
    }
    tfm_pool_free(pool);
    for (int i = 0; i < threads; i++) tfm_rnafm_ws_free(j.ws[i]);
    free(j.ws);
    return j.failed ? -1 : 0;
}

/* ---------------------------------------------------------------------------- parameters */

typedef struct {
    const char *name;
    int ndim, shape[3];
    size_t field; /* offsetof the pointer in the architecture's struct of tfm_model_t.w */
    int fan_in;
} param_t;

/* A shape entry or fan_in of DIM_D is TargetFM1's embedding dim d (that of the RNA-FM). */
#define DIM_D 0

#define TN(f) offsetof(tfm_targetnet_t, f)
#define HD(f) offsetof(tfm_cnnhead_t, f)

/* state-dict order (= the order of model.c's tables) */
static const param_t TARGETNET_P[] = {
    {"stem.0.conv.1.weight", 3, {16, 10, 5}, TN(stem0_w), 50},
    {"stem.1.conv.1.weight", 3, {16, 16, 5}, TN(stem1_w), 80},
    {"stage1.0.conv1.1.weight", 3, {16, 16, 3}, TN(s1c1_w), 48},
    {"stage1.0.conv2.1.weight", 3, {16, 16, 3}, TN(s1c2_w), 48},
    {"stage2.0.conv1.1.weight", 3, {32, 16, 3}, TN(s2c1_w), 48},
    {"stage2.0.conv2.1.weight", 3, {32, 32, 3}, TN(s2c2_w), 96},
    {"linear.weight", 2, {1, 512}, TN(lin_w), 512},
    {"linear.bias", 1, {1}, TN(lin_b), 512},
};

#define CNN_TAIL_P                                                                                       \
    {"conv2.weight", 3, {16, 64, 3}, HD(conv2_w), 192}, {"conv2.bias", 1, {16}, HD(conv2_b), 192},         \
    {"conv3.weight", 3, {64, 16, 3}, HD(conv3_w), 48}, {"conv3.bias", 1, {64}, HD(conv3_b), 48},           \
    {"conv4.weight", 3, {16, 64, 3}, HD(conv4_w), 192}, {"conv4.bias", 1, {16}, HD(conv4_b), 192},         \
    {"fc1.weight", 2, {30, 384}, HD(fc1_w), 384}, {"fc1.bias", 1, {30}, HD(fc1_b), 384},                   \
    {"fc2.weight", 2, {2, 30}, HD(fc2_w), 30}, {"fc2.bias", 1, {2}, HD(fc2_b), 30}

static const param_t DEEPTARGET_P[] = {
    {"embd1.weight", 3, {32, 4, 3}, HD(embd1_w), 12}, {"embd1.bias", 1, {32}, HD(embd1_b), 12},
    CNN_TAIL_P,
};

/* TargetFM1 without the unused embd1 (model.c accepts its absence) */
static const param_t TARGETFM_P[] = {
    {"fc_mi.weight", 2, {32, DIM_D}, HD(fc_mi_w), DIM_D}, {"fc_mi.bias", 1, {32}, HD(fc_mi_b), DIM_D},
    {"fc_mr.weight", 2, {32, DIM_D}, HD(fc_mr_w), DIM_D}, {"fc_mr.bias", 1, {32}, HD(fc_mr_b), DIM_D},
    CNN_TAIL_P,
};

static const param_t *ptable(tfm_arch_t arch, int *n)
{
    if (arch == TFM_ARCH_TARGETNET) return *n = (int)(sizeof TARGETNET_P / sizeof *TARGETNET_P), TARGETNET_P;
    if (arch == TFM_ARCH_DEEPTARGET) return *n = (int)(sizeof DEEPTARGET_P / sizeof *DEEPTARGET_P), DEEPTARGET_P;
    if (arch == TFM_ARCH_TARGETFM1) return *n = (int)(sizeof TARGETFM_P / sizeof *TARGETFM_P), TARGETFM_P;
    *n = 0;
    return NULL;
}

static int pdim(const param_t *p, int k, int d) { return p->shape[k] == DIM_D ? d : p->shape[k]; }

static size_t pnumel(const param_t *p, int d)
{
    size_t n = 1;
    for (int k = 0; k < p->ndim; k++) n *= (size_t)pdim(p, k, d);
    return n;
}

const char *tfm_train_param_info(const tfm_model_t *m, int i, int *ndim, int shape[3])
{
    int n;
    const param_t *p = ptable(m->arch, &n);
    if (!p || i < 0 || i >= n) return NULL;
    if (ndim) *ndim = p[i].ndim;
    if (shape)
        for (int k = 0; k < 3; k++) shape[k] = k < p[i].ndim ? pdim(&p[i], k, m->d) : 0;
    return p[i].name;
}

static float *field_ptr(const tfm_model_t *m, const param_t *p) { return *(float *const *)((const char *)&m->w + p->field); }

/* A tensor view of parameter p (name and shape from the table, embedding dim d) over data. */
static void param_tensor(tfm_tensor_t *t, const param_t *p, int d, float *data)
{
    memset(t, 0, sizeof *t);
    t->name = (char *)p->name;
    t->ndim = p->ndim;
    for (int k = 0; k < p->ndim; k++) t->shape[k] = pdim(p, k, d);
    t->numel = (int64_t)pnumel(p, d);
    t->data = data;
}

size_t tfm_train_param_offset(const tfm_model_t *m, int i)
{
    int n;
    const param_t *p = ptable(m->arch, &n);
    return (size_t)(field_ptr(m, &p[i]) - m->params);
}

typedef struct {
    const param_t *p;
    int n;
    tfm_tensor_t *t;
} init_ctx_t;

static const tfm_tensor_t *init_lookup(void *ctx, const char *name)
{
    init_ctx_t *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->p[i].name, name)) return &c->t[i];
    return NULL;
}

tfm_model_t *tfm_train_model_new(tfm_arch_t arch, uint64_t seed, int d)
{
    int n;
    const param_t *p = ptable(arch, &n);
    if (!p) {
        tfm_fail("%s cannot be trained by tfm-train (targetnet, deeptarget, targetfm)", tfm_model_arch_name(arch));
        return NULL;
    }
    if (arch != TFM_ARCH_TARGETFM1) d = 0;
    else if (d < 1) {
        tfm_fail("TargetFM1 needs the RNA-FM embedding dim (got %d)", d);
        return NULL;
    }
    rng_t r;
    rng_seed(&r, seed, 1);
    tfm_tensor_t t[16];
    for (int i = 0; i < n; i++) {
        size_t ne = pnumel(&p[i], d);
        param_tensor(&t[i], &p[i], d, tfm_malloc(sizeof(float) * ne));
        /* kaiming_uniform(a=sqrt(5)) and bias init */
        double bound = 1.0 / sqrt((double)(p[i].fan_in == DIM_D ? d : p[i].fan_in));
        for (size_t j = 0; j < ne; j++) t[i].data[j] = (float)((2.0 * rng_uniform(&r) - 1.0) * bound);
    }
    init_ctx_t c = {p, n, t};
    tfm_model_t *m = tfm_model_bind(arch, init_lookup, &c); /* shapes checked against model.c */
    for (int i = 0; i < n; i++) free(t[i].data);
    return m;
}

int tfm_train_save(const char *path, const tfm_model_t *m, const char *const *key, const char *const *val, int nmeta)
{
    int n;
    const param_t *p = ptable(m->arch, &n);
    if (!p) return tfm_fail("cannot save %s", tfm_model_arch_name(m->arch));
    tfm_tensor_t t[16];
    for (int i = 0; i < n; i++) param_tensor(&t[i], &p[i], m->d, field_ptr(m, &p[i]));
    return tfm_safetensors_write(path, t, n, key, val, nmeta);
}

/* -------------------------------------------------------------- chunk workspace (per thread) */

/* Activations and their gradients for up to TFM_TRAIN_CHUNK samples; named per architecture. */
typedef struct {
    float *block, *col;
    float *a[16]; /* activations */
    float *g[16]; /* gradients of activations */
    float *logit; /* (Bc) TargetNet logit or (Bc, 2) deepTarget logits */
    float *dlogit;
} chunk_ws_t;

/* floats per sample of each activation, per architecture (the gradient twin has the same) */
static const int TN_SIZES[] = {10 * 50, 16 * 50, 16 * 50, 16 * 50, 16 * 50, 16 * 50, 16 * 50,
                               32 * 50, 32 * 50, 32 * 50, 512, 512, 0};
enum { TN_X, TN_A0, TN_S, TN_T1, TN_A1, TN_U, TN_T2, TN_A2, TN_W, TN_T3, TN_P, TN_FLAT };
static const int DT_SIZES[] = {8 * 30, 64 * 30, 16 * 28, 64 * 26, 16 * 24, 384, 30, 0};
enum { DT_X, DT_H, DT_C2, DT_C3, DT_C4, DT_FLAT, DT_F1 };

static chunk_ws_t *chunk_ws_new(tfm_arch_t arch)
{
    const int *sz = arch == TFM_ARCH_TARGETNET ? TN_SIZES : DT_SIZES;
    size_t per = 0, col = (size_t)64 * 3 * 50; /* >= Cin*K*Lout of every conv */
    int na = 0;
    while (sz[na]) per += 2 * (size_t)sz[na++];
    per += col + 4;
    chunk_ws_t *w = tfm_calloc(1, sizeof *w);
    w->block = tfm_calloc(per * TFM_TRAIN_CHUNK, sizeof(float));
    float *q = w->block;
    w->col = q, q += col * TFM_TRAIN_CHUNK;
    for (int i = 0; i < na; i++) {
        w->a[i] = q, q += (size_t)sz[i] * TFM_TRAIN_CHUNK;
        w->g[i] = q, q += (size_t)sz[i] * TFM_TRAIN_CHUNK;
    }
    w->logit = q, q += 2 * TFM_TRAIN_CHUNK;
    w->dlogit = q;
    return w;
}

static void chunk_ws_free(chunk_ws_t *w)
{
    if (!w) return;
    free(w->block), free(w);
}

/* ------------------------------------------------------------------ TargetNet, one chunk */

static void conv_f(float *out, chunk_ws_t *ws, const float *in, const float *w, const float *b, int B, int Cin, int L,
                   int Cout, int K, int pad)
{
    tfm_nn_conv1d_forward(out, ws->col, in, w, b, B, Cin, L, Cout, K, pad, pad);
}

/* in (Bc, 10, 50) -> ws->logit (Bc); keeps every activation (names as in the data README):
 * A0 = relu(stem0 x), S = stem1 A0, T1 = relu S, A1 = relu(s1c1 T1), U = s1c2 A1 + S,
 * T2 = relu U, A2 = relu(s2c1 T2), W = s2c2 A2 + [U; 0], T3 = relu W, P = pool T3. */
static void targetnet_fwd(const tfm_targetnet_t *p, const float *in, int Bc, chunk_ws_t *ws)
{
    const int L = 50;
    size_t n = (size_t)Bc * L;
    float **a = ws->a;
    tfm_nn_bcl_to_cbl(a[TN_X], in, Bc, 10, L);
    conv_f(a[TN_A0], ws, a[TN_X], p->stem0_w, NULL, Bc, 10, L, 16, 5, 2);
    tfm_nn_relu_forward(a[TN_A0], a[TN_A0], 16 * n);
    conv_f(a[TN_S], ws, a[TN_A0], p->stem1_w, NULL, Bc, 16, L, 16, 5, 2);
    tfm_nn_relu_forward(a[TN_T1], a[TN_S], 16 * n);
    conv_f(a[TN_A1], ws, a[TN_T1], p->s1c1_w, NULL, Bc, 16, L, 16, 3, 1);
    tfm_nn_relu_forward(a[TN_A1], a[TN_A1], 16 * n);
    conv_f(a[TN_U], ws, a[TN_A1], p->s1c2_w, NULL, Bc, 16, L, 16, 3, 1);
    tfm_nn_residual_forward(a[TN_U], a[TN_S], 16, 16, n);
    tfm_nn_relu_forward(a[TN_T2], a[TN_U], 16 * n);
    conv_f(a[TN_A2], ws, a[TN_T2], p->s2c1_w, NULL, Bc, 16, L, 32, 3, 1);
    tfm_nn_relu_forward(a[TN_A2], a[TN_A2], 32 * n);
    conv_f(a[TN_W], ws, a[TN_A2], p->s2c2_w, NULL, Bc, 32, L, 32, 3, 1);
    tfm_nn_residual_forward(a[TN_W], a[TN_U], 32, 16, n);
    tfm_nn_relu_forward(a[TN_T3], a[TN_W], 32 * n);
    tfm_nn_maxpool1d_forward(a[TN_P], a[TN_T3], 32, Bc, L, 3);    /* (32, Bc, 16) */
    tfm_nn_cbl_to_bcl(a[TN_FLAT], a[TN_P], Bc, 32, 16);          /* (Bc, 512) */
    tfm_nn_linear_forward(ws->logit, a[TN_FLAT], p->lin_w, p->lin_b, Bc, 512, 1);
}

static void zero(float *x, size_t n) { memset(x, 0, sizeof(float) * n); }

/* g = 0 where the ReLU output a is not positive (ReLU applied in place: the gradient of the
 * output becomes that of the input). Branch-free, as in tfm_nn_relu_backward. */
static void relu_mask(float *g, const float *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t ab;
        uint32_t gb;
        memcpy(&ab, &a[i], sizeof ab);
        memcpy(&gb, &g[i], sizeof gb);
        gb &= 0u - (uint32_t)(ab > 0);
        memcpy(&g[i], &gb, sizeof gb);
    }
}

/* ws->dlogit (Bc) -> parameter gradients added into gp (same layout as p). */
static void targetnet_bwd(const tfm_targetnet_t *p, const tfm_targetnet_t *gp, int Bc, chunk_ws_t *ws)
{
    const int L = 50;
    size_t n = (size_t)Bc * L;
    float **a = ws->a, **g = ws->g, *col = ws->col;
    for (int i = 0; i <= TN_FLAT; i++) zero(g[i], (size_t)TN_SIZES[i] * Bc);
    tfm_nn_linear_backward(g[TN_FLAT], gp->lin_w, gp->lin_b, ws->dlogit, a[TN_FLAT], p->lin_w, Bc, 512, 1);
    tfm_nn_bcl_to_cbl(g[TN_P], g[TN_FLAT], Bc, 32, 16);
    tfm_nn_maxpool1d_backward(g[TN_T3], g[TN_P], a[TN_T3], 32, Bc, L, 3);
    tfm_nn_relu_backward(g[TN_W], g[TN_T3], a[TN_W], 32 * n);
    /* W = s2c2 A2 + [U; 0] */
    tfm_nn_residual_backward(g[TN_U], g[TN_W], 32, 16, n);
    tfm_nn_conv1d_backward(g[TN_A2], gp->s2c2_w, NULL, col, g[TN_W], a[TN_A2], p->s2c2_w, Bc, 32, L, 32, 3, 1, 1);
    /* A2 = relu(s2c1 T2); the pre-activation gradient needs a buffer of its own: T3's
     * gradient is spent, reuse it (also for the later ReLUs) */
    float *dz = g[TN_T3];
    zero(dz, 32 * n);
    tfm_nn_relu_backward(dz, g[TN_A2], a[TN_A2], 32 * n);
    tfm_nn_conv1d_backward(g[TN_T2], gp->s2c1_w, NULL, col, dz, a[TN_T2], p->s2c1_w, Bc, 16, L, 32, 3, 1, 1);
    tfm_nn_relu_backward(g[TN_U], g[TN_T2], a[TN_U], 16 * n);
    /* U = s1c2 A1 + S */
    tfm_nn_residual_backward(g[TN_S], g[TN_U], 16, 16, n);
    tfm_nn_conv1d_backward(g[TN_A1], gp->s1c2_w, NULL, col, g[TN_U], a[TN_A1], p->s1c2_w, Bc, 16, L, 16, 3, 1, 1);
    zero(dz, 16 * n);
    tfm_nn_relu_backward(dz, g[TN_A1], a[TN_A1], 16 * n);
    tfm_nn_conv1d_backward(g[TN_T1], gp->s1c1_w, NULL, col, dz, a[TN_T1], p->s1c1_w, Bc, 16, L, 16, 3, 1, 1);
    tfm_nn_relu_backward(g[TN_S], g[TN_T1], a[TN_S], 16 * n);
    /* S = stem1 A0, A0 = relu(stem0 x) */
    tfm_nn_conv1d_backward(g[TN_A0], gp->stem1_w, NULL, col, g[TN_S], a[TN_A0], p->stem1_w, Bc, 16, L, 16, 5, 2, 2);
    zero(dz, 16 * n);
    tfm_nn_relu_backward(dz, g[TN_A0], a[TN_A0], 16 * n);
    tfm_nn_conv1d_backward(NULL, gp->stem0_w, NULL, col, dz, a[TN_X], p->stem0_w, Bc, 10, L, 16, 5, 2, 2);
}

/* ------------------------------------------------------- deepTarget and TargetFM1, one chunk */

/* The tail both share, from H = a[DT_H] (64, Bc, 30) to ws->logit (Bc, 2): C2 = relu(conv2 H),
 * C3 = relu(conv3 C2), C4 = relu(conv4 C3), F1 = fc1 flat, logits = fc2 F1. */
static void cnn_tail_fwd(const tfm_cnnhead_t *p, int Bc, chunk_ws_t *ws)
{
    float **a = ws->a;
    conv_f(a[DT_C2], ws, a[DT_H], p->conv2_w, p->conv2_b, Bc, 64, 30, 16, 3, 0);
    tfm_nn_relu_forward(a[DT_C2], a[DT_C2], (size_t)16 * Bc * 28);
    conv_f(a[DT_C3], ws, a[DT_C2], p->conv3_w, p->conv3_b, Bc, 16, 28, 64, 3, 0);
    tfm_nn_relu_forward(a[DT_C3], a[DT_C3], (size_t)64 * Bc * 26);
    conv_f(a[DT_C4], ws, a[DT_C3], p->conv4_w, p->conv4_b, Bc, 64, 26, 16, 3, 0);
    tfm_nn_relu_forward(a[DT_C4], a[DT_C4], (size_t)16 * Bc * 24);
    tfm_nn_cbl_to_bcl(a[DT_FLAT], a[DT_C4], Bc, 16, 24);
    tfm_nn_linear_forward(a[DT_F1], a[DT_FLAT], p->fc1_w, p->fc1_b, Bc, 384, 30);
    tfm_nn_linear_forward(ws->logit, a[DT_F1], p->fc2_w, p->fc2_b, Bc, 30, 2);
}

/* ws->dlogit -> the tail's parameter gradients, and g[DT_H] = the gradient of H before its
 * ReLU (H is relu(embedding), so the head's backward starts from there). */
static void cnn_tail_bwd(const tfm_cnnhead_t *p, const tfm_cnnhead_t *gp, int Bc, chunk_ws_t *ws)
{
    float **a = ws->a, **g = ws->g, *col = ws->col;
    for (int i = DT_H; i <= DT_F1; i++) zero(g[i], (size_t)DT_SIZES[i] * Bc);
    tfm_nn_linear_backward(g[DT_F1], gp->fc2_w, gp->fc2_b, ws->dlogit, a[DT_F1], p->fc2_w, Bc, 30, 2);
    tfm_nn_linear_backward(g[DT_FLAT], gp->fc1_w, gp->fc1_b, g[DT_F1], a[DT_FLAT], p->fc1_w, Bc, 384, 30);
    /* the gradient of C4 (after ReLU) in channel-major form goes through the im2col scratch,
     * which is free until the next conv backward */
    float *t = col;
    tfm_nn_bcl_to_cbl(t, g[DT_FLAT], Bc, 16, 24);
    tfm_nn_relu_backward(g[DT_C4], t, a[DT_C4], (size_t)16 * Bc * 24);
    tfm_nn_conv1d_backward(g[DT_C3], gp->conv4_w, gp->conv4_b, col, g[DT_C4], a[DT_C3], p->conv4_w, Bc, 64, 26, 16,
                           3, 0, 0);
    /* ReLU in place on C3: the pre-activation gradient replaces the post-activation one */
    relu_mask(g[DT_C3], a[DT_C3], (size_t)64 * Bc * 26);
    tfm_nn_conv1d_backward(g[DT_C2], gp->conv3_w, gp->conv3_b, col, g[DT_C3], a[DT_C2], p->conv3_w, Bc, 16, 28, 64,
                           3, 0, 0);
    relu_mask(g[DT_C2], a[DT_C2], (size_t)16 * Bc * 28);
    tfm_nn_conv1d_backward(g[DT_H], gp->conv2_w, gp->conv2_b, col, g[DT_C2], a[DT_H], p->conv2_w, Bc, 64, 30, 16, 3,
                           0, 0);
    relu_mask(g[DT_H], a[DT_H], (size_t)64 * Bc * 30);
}

/* deepTarget, in (Bc, 8, 30): H = relu(embd1 miRNA ; embd1 CTS) (64, Bc, 30), then the tail. */
static void deeptarget_fwd(const tfm_cnnhead_t *p, const float *in, int Bc, chunk_ws_t *ws)
{
    size_t n = (size_t)Bc * 30;
    float **a = ws->a;
    tfm_nn_bcl_to_cbl(a[DT_X], in, Bc, 8, 30); /* rows 0-3 miRNA, 4-7 CTS */
    conv_f(a[DT_H], ws, a[DT_X], p->embd1_w, p->embd1_b, Bc, 4, 30, 32, 3, 1);
    conv_f(a[DT_H] + 32 * n, ws, a[DT_X] + 4 * n, p->embd1_w, p->embd1_b, Bc, 4, 30, 32, 3, 1);
    tfm_nn_relu_forward(a[DT_H], a[DT_H], 64 * n);
    cnn_tail_fwd(p, Bc, ws);
}

static void deeptarget_bwd(const tfm_cnnhead_t *p, const tfm_cnnhead_t *gp, int Bc, chunk_ws_t *ws)
{
    size_t n = (size_t)Bc * 30;
    float **a = ws->a, **g = ws->g, *col = ws->col;
    cnn_tail_bwd(p, gp, Bc, ws);
    /* the shared embd1 gets both halves' contributions */
    tfm_nn_conv1d_backward(NULL, gp->embd1_w, gp->embd1_b, col, g[DT_H], a[DT_X], p->embd1_w, Bc, 4, 30, 32, 3, 1, 1);
    tfm_nn_conv1d_backward(NULL, gp->embd1_w, gp->embd1_b, col, g[DT_H] + 32 * n, a[DT_X] + 4 * n, p->embd1_w, Bc, 4,
                           30, 32, 3, 1, 1);
}

/* TargetFM1, in (Bc, 2, 30, d) (the RNA-FM representations stay frozen, so the input is kept
 * as given): H = relu(fc_mi E_mi ; fc_mr E_cts), the linear maps applied per position, each
 * sample's (32, 30) result landing in its slot of the channel-major halves; then the tail. */
static void targetfm_fwd(const tfm_cnnhead_t *p, int d, const float *in, int Bc, chunk_ws_t *ws)
{
    size_t n = (size_t)Bc * 30;
    float *H = ws->a[DT_H], *tmp = ws->col;
    for (int b = 0; b < Bc; b++)
        for (int s = 0; s < 2; s++) {
            tfm_nn_linear_forward_t(tmp, in + ((size_t)b * 2 + s) * 30 * d, s ? p->fc_mr_w : p->fc_mi_w,
                                    s ? p->fc_mr_b : p->fc_mi_b, 30, d, 32);
            for (int c = 0; c < 32; c++) memcpy(H + (s * 32 + c) * n + (size_t)b * 30, tmp + c * 30, sizeof(float) * 30);
        }
    tfm_nn_relu_forward(H, H, 64 * n);
    cnn_tail_fwd(p, Bc, ws);
}

static void targetfm_bwd(const tfm_cnnhead_t *p, const tfm_cnnhead_t *gp, int d, const float *in, int Bc,
                         chunk_ws_t *ws)
{
    size_t n = (size_t)Bc * 30;
    float *gH = ws->g[DT_H], *dy = ws->col; /* dy: one sample's (30, 32) output gradient */
    cnn_tail_bwd(p, gp, Bc, ws);
    for (int b = 0; b < Bc; b++)
        for (int s = 0; s < 2; s++) {
            for (int c = 0; c < 32; c++)
                for (int l = 0; l < 30; l++) dy[l * 32 + c] = gH[(s * 32 + c) * n + (size_t)b * 30 + l];
            tfm_nn_linear_backward(NULL, s ? gp->fc_mr_w : gp->fc_mi_w, s ? gp->fc_mr_b : gp->fc_mi_b, dy,
                                   in + ((size_t)b * 2 + s) * 30 * d, s ? p->fc_mr_w : p->fc_mi_w, 30, d, 32);
        }
}

/* ------------------------------------------------------------------------------- trainer */

struct tfm_trainer {
    tfm_model_t *m;
    tfm_train_opt_t opt;
    size_t np;
    float *grad, *m1, *m2;     /* gradient, Adam moments / SGD momentum buffer */
    float *avg;                /* moving average of the weights (opt.average > 0), else NULL */
    float *pgrad;              /* per-chunk partial gradients (max_chunks, np) */
    int max_chunks;
    long step;
    double beta1_pow, beta2_pow; /* beta1^step, beta2^step of Adam */
    tfm_model_t gview;         /* a model whose pointers point into grad (same layout) */
    tfm_pool_t *pool;
    chunk_ws_t **ws;           /* per thread */
    rng_t rng;                 /* shuffling */
    /* the current batch, for the pool callbacks */
    const float *x;
    const unsigned char *label;
    const float *w;            /* per-sample weights of the batch, or NULL */
    int B;
    double wsum;               /* sum of class weights over the batch */
    double *closs;             /* per-chunk weighted loss sums */
    float *out_logit;
};

tfm_trainer_t *tfm_train_new(tfm_model_t *m, const tfm_train_opt_t *opt)
{
    int n;
    const param_t *p = ptable(m->arch, &n);
    if (!p) {
        tfm_fail("%s cannot be trained", tfm_model_arch_name(m->arch));
        return NULL;
    }
    if (opt->batch < 1) {
        tfm_fail("batch size must be at least 1");
        return NULL;
    }
    tfm_trainer_t *t = tfm_calloc(1, sizeof *t);
    t->m = m;
    t->opt = *opt;
    if (t->opt.threads < 1) t->opt.threads = 1;
    t->np = m->n_params;
    t->beta1_pow = t->beta2_pow = 1.0;
    t->grad = tfm_calloc(t->np, sizeof(float));
    t->m1 = tfm_calloc(t->np, sizeof(float));
    t->m2 = tfm_calloc(t->np, sizeof(float));
    if (opt->average > 0) {
        t->avg = tfm_malloc(sizeof(float) * t->np);
        memcpy(t->avg, m->params, sizeof(float) * t->np);
    }
    t->max_chunks = (opt->batch + TFM_TRAIN_CHUNK - 1) / TFM_TRAIN_CHUNK;
    t->pgrad = tfm_calloc((size_t)t->max_chunks * t->np, sizeof(float));
    t->closs = tfm_calloc((size_t)t->max_chunks, sizeof(double));
    t->gview = *m;
    t->gview.params = t->grad;
    for (int i = 0; i < n; i++)
        *(float **)((char *)&t->gview.w + p[i].field) = t->grad + (field_ptr(m, &p[i]) - m->params);
    t->pool = tfm_pool_new(t->opt.threads);
    t->ws = tfm_calloc((size_t)t->opt.threads, sizeof *t->ws);
    for (int i = 0; i < t->opt.threads; i++) t->ws[i] = chunk_ws_new(m->arch);
    rng_seed(&t->rng, opt->seed, 2);
    return t;
}

void tfm_train_free(tfm_trainer_t *t)
{
    if (!t) return;
    for (int i = 0; i < t->opt.threads; i++) chunk_ws_free(t->ws[i]);
    free(t->ws);
    tfm_pool_free(t->pool);
    free(t->grad), free(t->m1), free(t->m2), free(t->avg), free(t->pgrad), free(t->closs), free(t);
}

const float *tfm_train_grad(const tfm_trainer_t *t) { return t->grad; }

static void chunk_forward(tfm_trainer_t *t, chunk_ws_t *ws, size_t b0, int Bc)
{
    const float *in = t->x + b0 * tfm_model_input_size(t->m);
    switch (t->m->arch) {
    case TFM_ARCH_TARGETNET: targetnet_fwd(&t->m->w.tn, in, Bc, ws); break;
    case TFM_ARCH_DEEPTARGET: deeptarget_fwd(&t->m->w.head, in, Bc, ws); break;
    case TFM_ARCH_TARGETFM1: targetfm_fwd(&t->m->w.head, t->m->d, in, Bc, ws); break;
    }
}

/* Pool item c: chunk c of the batch, forward, loss, backward into its own partial gradient. */
static void grad_chunk(void *ctx, size_t c, int thread)
{
    tfm_trainer_t *t = ctx;
    chunk_ws_t *ws = t->ws[thread];
    size_t b0 = c * TFM_TRAIN_CHUNK;
    int Bc = t->B - (int)b0 < TFM_TRAIN_CHUNK ? t->B - (int)b0 : TFM_TRAIN_CHUNK;
    const unsigned char *y = t->label + b0;
    const float *cw = t->opt.class_weight;
    chunk_forward(t, ws, b0, Bc);
    int tn = t->m->arch == TFM_ARCH_TARGETNET;
    int nl = tn ? Bc : 2 * Bc;
    zero(ws->dlogit, (size_t)nl);
    if (t->w) { /* per-sample weights: each sample's loss and gradient, weighted, over the batch's sum */
        double loss = 0;
        for (int i = 0; i < Bc; i++) {
            double wi = cw[y[i] ? 1 : 0] * (double)t->w[b0 + i] / t->wsum;
            float g[2] = {0, 0};
            if (tn) {
                loss += wi * tfm_nn_bce_logits_forward(ws->logit + i, y + i, NULL, 1);
                tfm_nn_bce_logits_backward(g, ws->logit + i, y + i, NULL, 1);
                ws->dlogit[i] = (float)(g[0] * wi);
            } else {
                loss += wi * tfm_nn_softmax2_xent_forward(ws->logit + 2 * i, y + i, NULL, 1);
                tfm_nn_softmax2_xent_backward(g, ws->logit + 2 * i, y + i, NULL, 1);
                ws->dlogit[2 * i] = (float)(g[0] * wi), ws->dlogit[2 * i + 1] = (float)(g[1] * wi);
            }
        }
        t->closs[c] = loss;
    } else {
        double cws = 0;
        for (int i = 0; i < Bc; i++) cws += cw[y[i] ? 1 : 0];
        /* the chunk's loss and logit gradient are normalised by the chunk's weight sum; rescale
         * to the batch's so the partial gradients add up to the batch mean */
        double scale = cws / t->wsum;
        if (tn) {
            t->closs[c] = tfm_nn_bce_logits_forward(ws->logit, y, cw, Bc) * scale;
            tfm_nn_bce_logits_backward(ws->dlogit, ws->logit, y, cw, Bc);
        } else {
            t->closs[c] = tfm_nn_softmax2_xent_forward(ws->logit, y, cw, Bc) * scale;
            tfm_nn_softmax2_xent_backward(ws->dlogit, ws->logit, y, cw, Bc);
        }
        for (int i = 0; i < nl; i++) ws->dlogit[i] = (float)(ws->dlogit[i] * scale);
    }
    float *pg = t->pgrad + c * t->np;
    zero(pg, t->np);
    tfm_model_t gv = t->gview; /* retarget the gradient view at this chunk's partial buffer */
    int n;
    const param_t *p = ptable(t->m->arch, &n);
    for (int i = 0; i < n; i++)
        *(float **)((char *)&gv.w + p[i].field) = pg + (field_ptr(t->m, &p[i]) - t->m->params);
    if (tn) targetnet_bwd(&t->m->w.tn, &gv.w.tn, Bc, ws);
    else if (t->m->arch == TFM_ARCH_DEEPTARGET) deeptarget_bwd(&t->m->w.head, &gv.w.head, Bc, ws);
    else targetfm_bwd(&t->m->w.head, &gv.w.head, t->m->d, t->x + b0 * tfm_model_input_size(t->m), Bc, ws);
}

double tfm_train_backward(tfm_trainer_t *t, const float *x, const unsigned char *label, int B)
{
    return tfm_train_backward_w(t, x, label, NULL, B);
}

double tfm_train_backward_w(tfm_trainer_t *t, const float *x, const unsigned char *label, const float *w, int B)
{
    if (B > t->opt.batch) B = t->opt.batch; /* the partial buffers are sized for opt.batch */
    t->x = x, t->label = label, t->w = w, t->B = B;
    t->wsum = 0;
    for (int i = 0; i < B; i++) t->wsum += t->opt.class_weight[label[i] ? 1 : 0];
    if (!(t->wsum > 0)) t->wsum = 1; /* all weights zero: zero gradient */
    size_t nc = ((size_t)B + TFM_TRAIN_CHUNK - 1) / TFM_TRAIN_CHUNK;
    tfm_pool_run(t->pool, nc, grad_chunk, t);
    /* fixed-order reduction: bytes independent of which thread ran which chunk */
    memcpy(t->grad, t->pgrad, sizeof(float) * t->np);
    double loss = t->closs[0];
    for (size_t c = 1; c < nc; c++) {
        const float *pg = t->pgrad + c * t->np;
        for (size_t i = 0; i < t->np; i++) t->grad[i] += pg[i];
        loss += t->closs[c];
    }
    return loss;
}

static void update_average(tfm_trainer_t *t)
{
    float a = (float)t->opt.average, b = 1.0f - a;
    const float *p = t->m->params;
    for (size_t i = 0; i < t->np; i++) t->avg[i] = a * t->avg[i] + b * p[i];
}

void tfm_train_swap_average(tfm_trainer_t *t)
{
    float *p = t->m->params;
    if (!t->avg) return;
    for (size_t i = 0; i < t->np; i++) {
        float x = p[i];
        p[i] = t->avg[i], t->avg[i] = x;
    }
}

static void optimizer_step(tfm_trainer_t *t);

void tfm_train_update(tfm_trainer_t *t)
{
    optimizer_step(t);
    if (t->avg) update_average(t);
}

static void optimizer_step(tfm_trainer_t *t)
{
    const tfm_train_opt_t *o = &t->opt;
    float *p = t->m->params, *g = t->grad, *m = t->m1, *v = t->m2;
    float lr = (float)o->lr, wd = (float)o->weight_decay;
    t->step++;
    if (o->optimizer == TFM_OPT_SGD) {
        /* PyTorch SGD: g += wd p; buf = mu buf + g (buf = g at the first step); p -= lr buf */
        float mu = (float)o->momentum;
        for (size_t i = 0; i < t->np; i++) {
            float gi = g[i] + wd * p[i];
            if (mu != 0.0f) gi = m[i] = t->step == 1 ? gi : mu * m[i] + gi;
            p[i] -= lr * gi;
        }
        return;
    }
    /* PyTorch Adam (L2 in the gradient) / AdamW (decoupled decay), same operation order */
    float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;
    /* beta^step by one multiplication per step: exact IEEE operations (libm's pow can differ in
     * the last bit between CPUs, see tfm_nn_exp) */
    t->beta1_pow *= o->beta1, t->beta2_pow *= o->beta2;
    double bc1 = 1.0 - t->beta1_pow, bc2 = 1.0 - t->beta2_pow;
    float step_size = (float)(o->lr / bc1), bc2_sqrt = (float)sqrt(bc2);
    int adamw = o->optimizer == TFM_OPT_ADAMW;
    for (size_t i = 0; i < t->np; i++) {
        float gi = g[i];
        if (adamw) p[i] *= 1.0f - lr * wd;
        else gi += wd * p[i];
        m[i] = m[i] * b1 + (1.0f - b1) * gi;
        v[i] = v[i] * b2 + (1.0f - b2) * gi * gi;
        float denom = sqrtf(v[i]) / bc2_sqrt + eps;
        p[i] -= step_size * (m[i] / denom);
    }
}

static void predict_chunk(void *ctx, size_t c, int thread)
{
    tfm_trainer_t *t = ctx;
    chunk_ws_t *ws = t->ws[thread];
    size_t b0 = c * TFM_TRAIN_CHUNK;
    int Bc = t->B - (int)b0 < TFM_TRAIN_CHUNK ? t->B - (int)b0 : TFM_TRAIN_CHUNK;
    chunk_forward(t, ws, b0, Bc);
    for (int i = 0; i < Bc; i++)
        t->out_logit[b0 + i] = t->m->arch == TFM_ARCH_TARGETNET ? ws->logit[i] : ws->logit[2 * i + 1] - ws->logit[2 * i];
}

void tfm_train_predict(tfm_trainer_t *t, const float *x, int B, float *out_logit)
{
    t->x = x, t->B = B, t->out_logit = out_logit;
    tfm_pool_run(t->pool, ((size_t)B + TFM_TRAIN_CHUNK - 1) / TFM_TRAIN_CHUNK, predict_chunk, t);
}

/* Samples idx[0..B) of d as floats (B, insize), labels into y, weights into w (when d has them). */
static void gather(const tfm_train_data_t *d, const size_t *idx, int B, float *x, unsigned char *y, float *w)
{
    if (d->weight)
        for (int b = 0; b < B; b++) w[b] = d->weight[idx[b]];
    if (d->enc == TFM_ENC_RNAFM) { /* two rows of the embedding table per sample */
        size_t e = d->insize / 2;
        for (int b = 0; b < B; b++) {
            for (int s = 0; s < 2; s++)
                memcpy(x + (2 * (size_t)b + s) * e, d->fm_emb + (size_t)d->fm_pair[2 * idx[b] + s] * e, sizeof(float) * e);
            y[b] = d->label[idx[b]];
        }
        return;
    }
    for (int b = 0; b < B; b++) {
        const unsigned char *src = d->x + idx[b] * d->insize;
        float *dst = x + (size_t)b * d->insize;
        for (size_t i = 0; i < d->insize; i++) dst[i] = src[i];
        y[b] = d->label[idx[b]];
    }
}

void tfm_train_epoch(tfm_trainer_t *t, const tfm_train_data_t *d, tfm_train_epoch_t *st,
                     tfm_train_progress_fn progress, void *ctx)
{
    double t0 = tfm_seconds();
    size_t n = 0;
    size_t *idx = tfm_malloc(sizeof(size_t) * (d->n_train ? d->n_train : 1));
    for (size_t i = 0; i < d->n; i++)
        if (!d->is_val[i]) idx[n++] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
        size_t j = rng_below(&t->rng, i), tmp = idx[i - 1];
        idx[i - 1] = idx[j], idx[j] = tmp;
    }
    int B = t->opt.batch;
    float *x = tfm_malloc(sizeof(float) * (size_t)B * d->insize);
    unsigned char *y = tfm_malloc((size_t)B);
    float *w = tfm_malloc(sizeof(float) * (size_t)B);
    double sum = 0;
    for (size_t b0 = 0; b0 < n; b0 += (size_t)B) {
        int Bc = n - b0 < (size_t)B ? (int)(n - b0) : B;
        gather(d, idx + b0, Bc, x, y, w);
        sum += tfm_train_backward_w(t, x, y, d->weight ? w : NULL, Bc) * Bc;
        tfm_train_update(t);
        if (progress) progress(ctx, b0 + (size_t)Bc, n, sum / (double)(b0 + (size_t)Bc));
    }
    free(idx), free(x), free(y), free(w);
    st->loss = n ? sum / (double)n : 0;
    st->samples = n;
    st->seconds = tfm_seconds() - t0;
}

void tfm_train_evaluate(tfm_trainer_t *t, const tfm_train_data_t *d, int val, tfm_train_eval_t *ev)
{
    memset(ev, 0, sizeof *ev);
    size_t n = 0, cap = val ? d->n_val : d->n_train;
    if (!cap) {
        ev->loss = ev->accuracy = ev->roc_auc = NAN;
        return;
    }
    size_t *idx = tfm_malloc(sizeof(size_t) * cap);
    for (size_t i = 0; i < d->n; i++)
        if (d->is_val[i] == (val != 0)) idx[n++] = i;
    double *score = tfm_malloc(sizeof(double) * n);
    unsigned char *lab = tfm_malloc(n);
    /* 1024 one-hot samples, fewer RNA-FM ones (each 154 KB at d = 640): about 16 MB of input */
    const int B = d->insize * sizeof(float) * 1024 > (16u << 20) ? 64 : 1024;
    float *x = tfm_malloc(sizeof(float) * (size_t)B * d->insize), *logit = tfm_malloc(sizeof(float) * B);
    float *w = tfm_malloc(sizeof(float) * B);
    double loss = 0, wsum = 0;
    for (size_t b0 = 0; b0 < n; b0 += B) {
        int Bc = n - b0 < (size_t)B ? (int)(n - b0) : B;
        gather(d, idx + b0, Bc, x, lab + b0, w);
        tfm_train_predict(t, x, Bc, logit);
        for (int i = 0; i < Bc; i++) {
            double z = logit[i], y = lab[b0 + i], wi = d->weight ? w[i] : 1.0;
            loss += wi * (tfm_nn_softplus(z) - y * z);
            wsum += wi;
            score[b0 + i] = tfm_nn_sigmoid(z);
        }
    }
    tfm_metrics_t m;
    tfm_metrics_compute(score, lab, n, 0.5, &m);
    ev->n = n;
    ev->loss = wsum > 0 ? loss / wsum : NAN;
    ev->accuracy = m.accuracy;
    ev->roc_auc = m.roc_auc;
    free(idx), free(score), free(lab), free(x), free(logit), free(w);
}
