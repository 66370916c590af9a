/* train: training of TargetNet, deepTarget and the TargetFM1 head on site-level data: data loading and encoding,
 * PyTorch-style initialisation, a forward pass that keeps its activations, the backward pass,
 * losses, optimisers (Adam, AdamW, SGD with momentum), shuffled mini-batches, validation and
 * the safetensors checkpoint. llm.c style: gradients and optimiser state are flat float arrays
 * with the layout of the model's parameter block.
 *
 * Losses: TargetNet emits one logit -> sigmoid + binary cross-entropy; deepTarget emits two
 * logits -> 2-class softmax cross-entropy (index 1 = target). Both are class-weighted means
 * sum_i cw[y_i] loss_i / sum_i cw[y_i].
 *
 * Determinism: a batch is cut into chunks of TFM_TRAIN_CHUNK samples; each chunk's gradient is
 * computed into its own buffer (by whichever thread) and the buffers are added in chunk order.
 * Every product is lib/gemm's (one summation order, no FMA: any CPU, SIMD width or -march gives
 * the same bits), and the losses, validation figures and Adam's bias correction use tfm_nn_exp
 * and tfm_nn_softplus (basic operations only) instead of libm, whose results vary by CPU. The
 * trained bytes therefore depend on the seed, the options and the data only: not on the thread
 * count, the BLAS kernel or the x86-64 CPU. TargetFM1's input is RNA-FM's output, which comes
 * from OpenBLAS: its head trains to the same bytes for the same embeddings.
 *
 * Encodings of a training row (mirna_seq 5'->3', site_seq 5'->3' as on the mRNA):
 *   targetnet   the window is the whole site reversed (3'->5', normally 40 nt; data README "For
 *               training pairs the mRNA is the 40-nt site itself"), with its extended seed
 *               alignment (tfm_esa_align of miRNA nt 1-10 against window nt 6-15);
 *   deeptarget  the miRNA and the first 30 nt of the reversed site (= the site's 3'-most 30 nt,
 *               the part that faces the miRNA seed), as tfm_encode_site does for scoring;
 *   rnafm       (TargetFM1) the same two sequences as TargetFM's 30-token RNA-FM inputs, built by
 *               tfm_rnafm_targetfm_pair as tfm-score builds them, and their representations of
 *               the RNA-FM's last layer (frozen: only the head trains). Each distinct input is
 *               embedded once (tfm_train_data_embed) and kept once, n_distinct x 30 x d floats;
 *               a sample is a pair of rows of that table. */
#ifndef TFM_TRAIN_H
#define TFM_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "metrics.h"
#include "model.h"
#include "rnafm.h"
#include "seed.h"
#include "tsv.h"

#define TFM_TRAIN_CHUNK 16 /* samples per unit of work (and per partial gradient) */

typedef enum { TFM_OPT_ADAM = 0, TFM_OPT_ADAMW = 1, TFM_OPT_SGD = 2 } tfm_optim_t;

typedef struct {
    tfm_arch_t arch;          /* TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET or TFM_ARCH_TARGETFM1 */
    int epochs, batch;
    tfm_optim_t optimizer;
    double lr, weight_decay;  /* Adam/SGD: L2 added to the gradient (PyTorch); AdamW: decoupled */
    double beta1, beta2, eps; /* Adam */
    double momentum;          /* SGD (0 = plain SGD) */
    float class_weight[2];    /* loss weight of label 0 and label 1 */
    uint64_t seed;            /* initial weights and shuffling */
    int threads;
    double average;           /* decay of the weights' moving average (0: none), see tfm_train_swap_average */
} tfm_train_opt_t;

/* Defaults: 10 epochs, batch 32, Adam lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay,
 * momentum 0.9 for SGD, class weights 1/1, seed 1, 1 thread. */
void tfm_train_opt_init(tfm_train_opt_t *o);
const char *tfm_train_optim_name(tfm_optim_t o);           /* "adam", "adamw", "sgd" */
int tfm_train_optim_parse(const char *name, tfm_optim_t *o); /* 0 or -1 */
tfm_enc_t tfm_train_arch_encoding(tfm_arch_t arch);       /* 0 if the architecture cannot train */

/* Called after each batch with samples done / total and the running mean loss. */
typedef void (*tfm_train_progress_fn)(void *ctx, size_t done, size_t total, double loss);

/* ---- data: every row encoded once, stored as bytes (the encodings are one-hot), or for
 * rnafm as two indices into the table of distinct RNA-FM inputs ---- */
typedef struct {
    tfm_enc_t enc;
    size_t insize;            /* floats per sample (rnafm: 2 * 30 * d, once embedded) */
    size_t n, cap;
    unsigned char *x;         /* (n, insize) 0/1; NULL for rnafm */
    unsigned char *label;     /* (n) 0/1 */
    unsigned char *is_val;    /* (n) 1 = validation row */
    size_t n_train, n_val, pos_train, pos_val;
    size_t n_skipped;         /* rows left out by skip_bad */
    size_t rows_train, rows_val; /* input rows (with windows: one row gives 0 or more samples) */
    size_t n_nosite;          /* windows: rows without a candidate window, not trained on */
    tfm_metrics_prior_t *prior; /* the miRNA prior of the training rows (split != val) */
    /* identity control (tfm_train_load_opt_t decoys, balance) */
    int *mirna;               /* (n) index of each sample's miRNA in mirna_seq */
    char **mirna_seq;         /* distinct miRNA sequences (normalised), n_mirna of them */
    size_t n_mirna, cap_mirna;
    uint32_t *mi_hash;        /* open addressing: index + 1, 0 = empty */
    size_t mi_hcap;
    float *weight;            /* (n) loss weight of each sample; NULL = 1 (no balancing) */
    size_t n_decoy, rows_decoy; /* decoy samples (label 0) and the decoy rows they came from */
    size_t n_dropped;         /* negative rows left out (decoy_negatives) */
    char md5[33];             /* MD5 of the decompressed input text (header and rows, LF ends) */
    /* rnafm: the distinct 30-token inputs (miRNAs and CTSs in one table: the embedding depends
     * on the tokens only) */
    int *fm_pair;             /* (n, 2) table rows of each sample's miRNA and CTS */
    int *fm_tok;              /* (n_fm, 30) tokens */
    size_t n_fm, cap_fm, n_fm_mirna; /* distinct inputs; of them first seen as a miRNA */
    uint32_t *fm_hash;        /* open addressing: table row + 1, 0 = empty */
    size_t fm_hcap;
    int fm_d;                 /* embedding dim (0 until embedded) */
    float *fm_emb;            /* (n_fm, 30, fm_d) */
} tfm_train_data_t;

/* Distillation: the training samples' hard labels y become soft targets s = alpha y + (1 - alpha) t,
 * t = sigmoid of the mean logit of the k teacher models (same architecture and input as the
 * student), by the identity CE(s) = s CE(1) + (1 - s) CE(0): every training sample is kept with
 * its label and weight w s (label 1) or w (1 - s) (label 0), and a copy with the other label
 * gets the rest. Validation samples stay as they are. One-hot encodings only (not rnafm).
 * 0, or -1 with the reason. */
int tfm_train_data_distill(tfm_train_data_t *d, tfm_model_t *const *teacher, int k, double alpha, int threads);

/* Input layouts (data README):
 *   sites  a header line with mirna_seq (5'->3'), site_seq (5'->3' as on the mRNA), label and
 *          optionally split, found by name (tfm's layout, that of sites.tsv.gz);
 *   mitar  miTAR's files: 5 columns miRNA id, miRNA (3'->5', reversed here), mRNA id, site
 *          (5'->3', DNA or RNA), label; no header, or a header line whose last field is not a
 *          label (DeepMirTar's file), which is skipped. No split column: a row is a validation
 *          row when the first 8 hex digits of MD5(miRNA 5'->3' TAB site, RNA upper case) are
 *          divisible by 10, the rule that made the split of sites.tsv.gz, so a miRAW row lands
 *          on the same side in both. */
typedef enum { TFM_LAYOUT_SITES = 0, TFM_LAYOUT_MITAR = 1 } tfm_train_layout_t;

typedef struct {
    tfm_train_layout_t layout;
    const char *val_split;    /* sites layout: split value of validation rows ("val") */
    int skip_bad;             /* 1: rows the encoding cannot take (letters, site length) are
                               * counted in n_skipped instead of failing; labels stay strict */
    int windows;              /* 1: train on the candidate windows that `mode` finds in each
                               * site (tfm_train_site_windows), not on the site as given */
    enum tfm_mode mode;       /* a fuzzy mode (offset-9-mer-m7, 10-mer-m7, 10-mer-m6) */
    int decoys;               /* K >= 0: decoy rows per positive row (below) */
    int shuffles;             /* K >= 0: shuffled-miRNA decoy rows per positive row (below) */
    int balance;              /* per-miRNA class balance weights (tfm_train_data_balance): 0 none,
                               * TFM_BALANCE_MIRNA or TFM_BALANCE_MIRNA_HARMONIC */
    int decoy_negatives;      /* 1: the negative rows of the file are left out (counted in
                               * n_dropped): decoys are the only negatives */
    uint64_t seed;            /* decoy draws */
} tfm_train_load_opt_t;

/* Identity control. The miRAW sites are confounded by miRNA identity (a miRNA's positive rate
 * alone predicts most labels), so a model can learn "which miRNA" instead of "which site".
 *
 * Decoys (made by tfm_train_data_load): each positive row is paired again, K times, with the miRNA of another positive row
 * drawn at random (so a miRNA is drawn in proportion to its positive rows) whose seed (nt 2-8)
 * differs; every window the search finds for that miRNA in the site is a negative sample (the
 * whole site without windows). The same site is then a target of one miRNA and not of another:
 * only the pairing tells them apart. Decoy rows stay in their row's split and are not part of
 * the miRNA prior. A row that finds no other-seed miRNA in 64 draws gives no decoy.
 *
 * Shuffled decoys (shuffles, research; tfm-train --decoy-shuffles): each positive row is paired
 * again, K times, with its own miRNA's letters permuted by a fresh draw (nt 2-7 changed, as
 * tfm-decoy's control but not its permutation); every window found is a negative counted under
 * the row's miRNA. Not used by the default: the network learns what a real miRNA looks like
 * (models/README.md, "Shuffled-miRNA decoys").
 *
 * Balance: within each split, each miRNA's samples are weighted so that its positive and
 * negative samples weigh the same (P, N its positive and negative sample counts; all 0 when P or
 * N is 0: a miRNA with one class only teaches its identity): TFM_BALANCE_MIRNA positives 1,
 * negatives P/N (a miRNA weighs 2P in all); TFM_BALANCE_MIRNA_HARMONIC positives N/(P+N),
 * negatives P/(P+N) (a miRNA weighs 2PN/(P+N), about twice its smaller class). Then all weights
 * are scaled to mean 1 over the split (a split where no miRNA has both classes keeps weights 1).
 * The best predictor that knows only the miRNA then says 0.5 for every miRNA. */
enum { TFM_BALANCE_MIRNA = 1, TFM_BALANCE_MIRNA_HARMONIC = 2 };
void tfm_train_data_balance(tfm_train_data_t *d, int mode);

/* Training on what scoring sees: the model scores the 30-nt windows of a candidate-site search,
 * so a site-level training row becomes the windows the same search finds in its site. A
 * negative site gives all its windows (none of them is a target); a positive site gives one,
 * the window with the fewest seed errors, ties broken by the window whose base facing miRNA
 * nt 1 lies nearest TFM_TRAIN_ANCHOR of the site (the miRAW sites put the miRNA 5' end there:
 * data README, "Orientation evidence"), then the 5'-most. A row without a window gives none.
 * Window i is site[start[i]-1 .. end[i]-1] (1-based inclusive); returns the count (at most
 * max). Sequences normalised (ACGU). */
#define TFM_TRAIN_ANCHOR 37
int tfm_train_site_windows(enum tfm_mode mode, const char *mirna, const char *site, size_t site_len, int label,
                           int *start, int *end, int max);

tfm_train_data_t *tfm_train_data_new(tfm_enc_t enc);
/* Encode and append one row (sequences in any case, T = U). 0, or -1 with tfm_fail() naming
 * the problem (bad letters, site too short or long for TargetNet). */
int tfm_train_data_add(tfm_train_data_t *d, const char *mirna, const char *site, size_t site_len, int label,
                       int is_val);
/* Read a file in the given layout (labels 0 or 1; sites layout: rows whose split equals
 * val_split are validation rows, all others training rows). NULL with tfm_fail()
 * "FILE:LINE: problem" on failure. */
tfm_train_data_t *tfm_train_data_load(const char *path, tfm_enc_t enc, const tfm_train_load_opt_t *lo);
/* The same on a table opened by the caller (tfm_tsv_open or tfm_tsv_open_mem: the sites layout
 * with its header line, mitar without one and the 5 columns tfm_train_mitar_cols), who closes it. */
tfm_train_data_t *tfm_train_data_read(tfm_tsv_t *t, tfm_enc_t enc, const tfm_train_load_opt_t *lo);
extern const char *const tfm_train_mitar_cols[5];
void tfm_train_data_free(tfm_train_data_t *d);
/* rnafm: embed every distinct input with fm (representations of its last layer), in chunks of
 * TFM_TRAIN_EMBED_CHUNK inputs on `threads` threads; the chunks are fixed, so the bytes do not
 * depend on the thread count. progress (may be NULL) gets inputs done / total (loss 0). Sets
 * fm_d and insize. 0, or -1 with tfm_fail(). */
#define TFM_TRAIN_EMBED_CHUNK 32
int tfm_train_data_embed(tfm_train_data_t *d, const tfm_rnafm_t *fm, int threads,
                         tfm_train_progress_fn progress, void *ctx);

/* ---- parameters ---- */
/* Parameter i of m's architecture in state-dict order: name, shape; NULL past the end. */
const char *tfm_train_param_info(const tfm_model_t *m, int i, int *ndim, int shape[3]);
/* A model of `arch` initialised as PyTorch does by default (weights and biases uniform in
 * +-1/sqrt(fan_in)), drawn from `seed`; d is TargetFM1's embedding dim (the RNA-FM's, >= 1;
 * ignored by the others). NULL with tfm_fail() for an untrainable arch. */
tfm_model_t *tfm_train_model_new(tfm_arch_t arch, uint64_t seed, int d);
/* Offset of parameter i (state-dict order) inside m->params. */
size_t tfm_train_param_offset(const tfm_model_t *m, int i);
/* Write m as float32 safetensors, tensors in state-dict order, with metadata pairs. 0 or -1. */
int tfm_train_save(const char *path, const tfm_model_t *m, const char *const *key, const char *const *val, int n);

/* ---- the trainer: gradients, optimiser state, workspaces, thread pool ---- */
typedef struct tfm_trainer tfm_trainer_t;

/* The trainer updates m in place; m must outlive it. NULL with tfm_fail(). */
tfm_trainer_t *tfm_train_new(tfm_model_t *m, const tfm_train_opt_t *opt);
void tfm_train_free(tfm_trainer_t *t);

/* Forward and backward on one batch: x (B, C, L) floats per sample (TargetFM1: (B, 2, 30, d),
 * the model's input), label (B), B <= opt->batch
 * (larger batches are cut to opt->batch). Sets the gradient (tfm_train_grad) and returns the
 * class-weighted mean loss. */
double tfm_train_backward(tfm_trainer_t *t, const float *x, const unsigned char *label, int B);
/* The same with per-sample loss weights w (B; NULL = 1) on top of the class weights: the loss is
 * sum_i cw[y_i] w_i loss_i / sum_i cw[y_i], so weights of mean 1 keep the scale of the loss. */
double tfm_train_backward_w(tfm_trainer_t *t, const float *x, const unsigned char *label, const float *w, int B);
/* The gradient block of the last tfm_train_backward (layout of m->params). */
const float *tfm_train_grad(const tfm_trainer_t *t);
/* One optimiser step with the current gradient. */
void tfm_train_update(tfm_trainer_t *t);
/* With opt.average = a > 0, every update also moves a copy of the weights: avg = a avg + (1 - a) w
 * (exact float operations, so the bytes do not depend on the CPU). The average of the trajectory
 * behaves like an ensemble of its points at the cost of one model. Swapping exchanges the model's
 * weights and the average (call again to swap back); without an average it does nothing. */
void tfm_train_swap_average(tfm_trainer_t *t);

/* Forward only: out_logit gets per sample the logit (TargetNet) or logit1 - logit0
 * (deepTarget, TargetFM1), so that sigmoid(out_logit) is the probability of target in both cases. */
void tfm_train_predict(tfm_trainer_t *t, const float *x, int B, float *out_logit);

typedef struct {
    double loss;              /* mean training loss over the epoch's batches (sample-weighted) */
    size_t samples;
    double seconds;
} tfm_train_epoch_t;

/* One epoch over the training rows of d in a fresh shuffled order (drawn from the trainer's
 * own generator, seeded by opt->seed), in batches of opt->batch (the last may be smaller). */
void tfm_train_epoch(tfm_trainer_t *t, const tfm_train_data_t *d, tfm_train_epoch_t *st,
                     tfm_train_progress_fn progress, void *ctx);

typedef struct {
    size_t n;
    double loss;              /* mean cross-entropy (weighted by the sample weights, if any) */
    double accuracy;          /* at probability 0.5 */
    double roc_auc;
} tfm_train_eval_t;

/* Figures on the validation rows (val = 1) or the training rows (val = 0) of d. */
void tfm_train_evaluate(tfm_trainer_t *t, const tfm_train_data_t *d, int val, tfm_train_eval_t *ev);

#endif
