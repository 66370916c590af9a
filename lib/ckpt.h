/* ckpt: model checkpoints. Reads PyTorch .pt files (zip container or the legacy pickle stream,
 * specs/rna-fm.md section 8) without executing anything: a safe pickle subset with whitelisted
 * GLOBALs, persistent-id storages, tensors with offset and strides. Reads and writes
 * safetensors, tfm's own format (JSON header with tensor names, dtypes, shapes and a
 * __metadata__ map of strings). All tensors are handed out as contiguous float32. */
#ifndef TFM_CKPT_H
#define TFM_CKPT_H

#include <stddef.h>
#include <stdint.h>

#define TFM_MAX_DIMS 8

typedef struct {
    char *name;                     /* state-dict key, e.g. "stem.0.conv.1.weight" */
    int ndim;
    int64_t shape[TFM_MAX_DIMS];
    int64_t numel;
    float *data;                    /* contiguous, row-major, float32 (fp16/bf16/fp64 converted) */
} tfm_tensor_t;

typedef struct {
    int n;                          /* tensors, in file order */
    tfm_tensor_t *t;
    int n_meta;                     /* safetensors __metadata__ (key, value) pairs; 0 for .pt */
    char **meta_key, **meta_val;
    char *format;                   /* "pt-zip", "pt-legacy" or "safetensors" */
    int n_args;                     /* .pt: scalar attributes of a top-level "args" Namespace (fairseq) */
    char **arg_key, **arg_val;      /* as text: "True", "12", "0.1", "roberta_large", "None" */
} tfm_ckpt_t;

/* Load a checkpoint, detecting the format from its first bytes. For a .pt file the state dict
 * is the top-level dict when its values are tensors, else the dict under key "model" or
 * "state_dict" (fairseq files such as RNA-FM: {"args": Namespace, "model": OrderedDict, ...}).
 * Refused, whatever the format: a NaN or infinite value (also an F64 beyond float32's range),
 * an integer value float32 cannot hold exactly, a zip entry whose CRC-32 does not match.
 * NULL on failure, with "FILE: offset N: what is wrong" in tfm_last_error(). */
tfm_ckpt_t *tfm_ckpt_load(const char *path);
/* Same, from memory (the fuzzer's entry point); `name` is used in messages. */
tfm_ckpt_t *tfm_ckpt_load_mem(const void *buf, size_t len, const char *name);
/* Tensor by name, or NULL. */
const tfm_tensor_t *tfm_ckpt_get(const tfm_ckpt_t *c, const char *name);
/* Metadata value by key, or NULL. */
const char *tfm_ckpt_meta(const tfm_ckpt_t *c, const char *key);
/* Scalar attribute of the fairseq "args" Namespace (e.g. "token_dropout", "encoder_layers") as
 * text, or NULL; parse numbers with tfm_parse_long/tfm_parse_double. RNA-FM needs these. */
const char *tfm_ckpt_arg(const tfm_ckpt_t *c, const char *key);
void tfm_ckpt_free(tfm_ckpt_t *c);

/* Write tensors as float32 safetensors with string metadata (n_meta pairs). 0 or -1; a
 * non-finite value is an error (nothing is written), as it would be for the reader. */
int tfm_safetensors_write(const char *path, const tfm_tensor_t *t, int n, const char *const *meta_key,
                          const char *const *meta_val, int n_meta);
/* Same with dtype F16 when f16 (values rounded to nearest even; one beyond +-65504 is an error). */
int tfm_safetensors_write_dtype(const char *path, const tfm_tensor_t *t, int n, const char *const *meta_key,
                                const char *const *meta_val, int n_meta, int f16);
/* float32 -> IEEE 754 half bits, round to nearest even. */
uint16_t tfm_float_to_half(float f);

#endif
