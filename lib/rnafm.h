/* rnafm: the RNA-FM encoder (rna_fm_t12, ESM-1b style pre-LN Transformer), inference only, float32
 * (specs/rna-fm.md). Tokeniser of the original BatchConverter (sections 1-2), TargetFM's input
 * construction (heads.md 3.2), a loader for the fairseq checkpoint (args Namespace + "model" state
 * dict, keys renamed per 7.3) and a constructor from the deterministic generator of section 9.
 *
 * Threads: a model is read-only after construction and may be shared; each thread runs
 * tfm_rnafm_forward with its own workspace. Each projection is one cblas_sgemm over all tokens of
 * a pass (the call's rows, up to TFM_RNAFM_PASS_TOKENS tokens), so the caller chooses the batch
 * (e.g. 32 sites x 30 tokens). */
#ifndef TFM_RNAFM_H
#define TFM_RNAFM_H

#include <stddef.h>

#include "ckpt.h"

/* Vocabulary (section 1). */
enum {
    TFM_RNAFM_CLS = 0, TFM_RNAFM_PAD = 1, TFM_RNAFM_EOS = 2, TFM_RNAFM_UNK = 3, TFM_RNAFM_MASK = 24,
    TFM_RNAFM_VOCAB = 25,
    TFM_RNAFM_MAX_NT = 1022,  /* longest sequence with <cls>/<eos>: 1024 learned positions */
    TFM_RNAFM_TFM_LEN = 30,   /* TargetFM's fixed input length */
    /* Most tokens one pass through the layers holds: longer batches go through in several, so a
     * workspace stays under 1024 (2d + max(ffn, 3d)) floats (26 MB for 640/5120) whatever the batch;
     * ~1000 tokens per GEMM already run near the BLAS peak. */
    TFM_RNAFM_PASS_TOKENS = 1024
};

/* One Transformer layer; q, k, v are stored as one (3d, d) matrix so one GEMM makes all three. */
typedef struct {
    float *ln1_w, *ln1_b;     /* self_attn_layer_norm (d) */
    float *wqkv, *bqkv;       /* q_proj, k_proj, v_proj weights stacked (3d, d); biases (3d) */
    float *wo, *bo;           /* out_proj (d, d), (d) */
    float *ln2_w, *ln2_b;     /* final_layer_norm (d) */
    float *w1, *b1;           /* fc1 (ffn, d), (ffn) */
    float *w2, *b2;           /* fc2 (d, ffn), (d) */
} tfm_rnafm_layer_t;

typedef struct {
    int n_layers, d, n_heads, ffn;
    int max_pos;              /* usable positions (1024); the table has max_pos + 2 rows */
    int token_dropout;        /* from the checkpoint args (absent = 0) */
    size_t n_params;          /* floats in params */
    float *params;            /* one block; the pointers below point into it */
    float *embed_tokens;      /* (25, d), row 24 (<mask>) zeroed as the official loader does */
    float *embed_positions;   /* (max_pos + 2, d) */
    float *ln_before_w, *ln_before_b;  /* emb_layer_norm_before (d) */
    float *ln_after_w, *ln_after_b;    /* emb_layer_norm_after (d) */
    float *lm_dense_w, *lm_dense_b;    /* lm_head.dense (d, d), (d) */
    float *lm_ln_w, *lm_ln_b;          /* lm_head.layer_norm (d) */
    float *lm_bias;                    /* lm_head.bias (25); lm_head.weight is tied to embed_tokens */
    tfm_rnafm_layer_t *layers;         /* n_layers */
} tfm_rnafm_t;

/* ---- tokens ---- */
/* Token id of one character, looked up exactly as written (no upper-casing, no T->U). */
int tfm_rnafm_token(int c);
/* s[0..len) -> tok: <cls> ids <eos> when bos_eos (len + 2 ids), else just the ids (len). Returns
 * the number of ids, or -1 with tfm_fail() when len > 1022 (bos_eos) or > 1024 (without). */
int tfm_rnafm_tokenize(const char *s, size_t len, int bos_eos, int *tok);
/* A batch as the BatchConverter makes it: n strings -> tok (n, T) with T = longest + 2, each row
 * <cls> ids <eos> then <pad> (1) on the right. tok needs n * (longest + 2) ints; *T receives T.
 * 0, or -1 with tfm_fail() for a string over 1022 nt. */
int tfm_rnafm_tokenize_batch(const char *const *s, int n, int *tok, int *T);
/* TargetFM's input (heads.md 3.2): keep the first 30 characters, pre-pad with 'O' (-> <unk>) to
 * 30, tokenise without <cls>/<eos>: always 30 ids. */
void tfm_rnafm_targetfm_tokens(const char *s, size_t len, int *tok30);

/* TargetFM's two inputs for a site row (heads.md 3.2): the miRNA (5'->3') and site_seq, the window
 * as it reads on the transcript 5'->3', reversed here into the CTS (3'->5'; the first 30 nt of the
 * CTS = the last 30 of the site). Both go through tfm_rnafm_targetfm_tokens. Unless `compat`, the
 * sequences are first upper-cased with T -> U (the original feeds them raw, so 'T' and lower case
 * become <unk>; compat reproduces that). The 'O' pre-padding is kept either way: the published
 * head was trained with it. */
void tfm_rnafm_targetfm_pair(const char *mirna, size_t mirna_len, const char *site, size_t site_len, int compat,
                             int *mirna_tok30, int *cts_tok30);

/* ---- construction ---- */
/* Load a fairseq RNA-FM checkpoint (.pt zip or legacy; fp32/fp16 storages), or a safetensors file
 * of tfm_rnafm_save (metadata architecture "rnafm" and the dimensions; F32 or F16). Checks args (arch
 * "roberta_large", dimensions) and every state-dict key after renaming: a missing key (other
 * than contact_head.*), a wrong shape or an unexpected key fails with a message naming the key
 * and the file. NULL on failure (a file that cannot be read: the message says an RNA-FM checkpoint
 * was expected). */
tfm_rnafm_t *tfm_rnafm_load(const char *path);
/* Same from a loaded checkpoint; `name` is used in messages. */
tfm_rnafm_t *tfm_rnafm_from_ckpt(const tfm_ckpt_t *c, const char *name);
/* Deterministic weights of rna-fm.md section 9 (the test vectors' model); the full-size model is
 * (12, 640, 20, 5120, 1024). NULL with tfm_fail() on bad dimensions. */
tfm_rnafm_t *tfm_rnafm_new_det(int n_layers, int d, int n_heads, int ffn, int max_pos, int token_dropout);
void tfm_rnafm_free(tfm_rnafm_t *m);
/* Write m as safetensors: the renamed state-dict keys of 7.3 (plus lm_head.weight, tied to
 * embed_tokens), F32 or F16 (f16), metadata architecture=rnafm, encoding, source and the args that
 * rebuild it: layers, embed_dim, attention_heads, ffn_embed_dim, max_positions, token_dropout (0/1).
 * 0, or -1 with tfm_fail(). */
int tfm_rnafm_save(const tfm_rnafm_t *m, const char *path, int f16, const char *source);

/* Multiply-adds per token of the encoder at sequence length T (projections, FFN, attention). */
double tfm_rnafm_macs_per_token(const tfm_rnafm_t *m, int T);

/* ---- forward ---- */
typedef struct tfm_rnafm_ws_s tfm_rnafm_ws_t;
/* Workspace of one thread; it grows to the largest pass seen (at most TFM_RNAFM_PASS_TOKENS
 * tokens, or one row when a row is longer). */
tfm_rnafm_ws_t *tfm_rnafm_ws_new(void);
void tfm_rnafm_ws_free(tfm_rnafm_ws_t *ws);

/* Where the forward calls of a workspace spent their time, summed since it was made or last
 * zeroed (by the caller, e.g. *prof = (tfm_rnafm_prof_t){0}): seconds inside the encoder layers'
 * cblas_sgemm calls and their flops (2 per multiply-add), against the whole calls' seconds. */
typedef struct {
    double gemm_s, gemm_flop;
    double total_s, tokens;
} tfm_rnafm_prof_t;
tfm_rnafm_prof_t *tfm_rnafm_ws_prof(tfm_rnafm_ws_t *ws);

/* What to return; every pointer may be NULL. */
typedef struct {
    int layer;        /* representation wanted in rep: 0..n_layers (n_layers = after emb_layer_norm_after) */
    float *rep;       /* (B, T, d) representations[layer] */
    float *hidden;    /* (n_layers + 1, B, T, d) residual stream after each layer (0 = embeddings;
                         n_layers = before emb_layer_norm_after), for tests */
    float *logits;    /* (B, T, 25) LM head */
} tfm_rnafm_out_t;

/* tok (B, T) -> outputs. 0, or -1 with tfm_fail() for a bad token id, a row with more non-pad
 * tokens than positions, or a bad layer. */
int tfm_rnafm_forward(const tfm_rnafm_t *m, const int *tok, int B, int T, const tfm_rnafm_out_t *out,
                      tfm_rnafm_ws_t *ws);

/* The erf of the encoder's GELU (|error| <= 1e-6; exposed for its test). */
float tfm_rnafm_erf(float z);

#endif
