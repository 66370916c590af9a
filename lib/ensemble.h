/* ensemble: a model that records other networks as its members, and how their window scores
 * combine (tfm-train --member, tfm-score). A model's metadata lists them:
 *   member_1 .. member_N   "BASENAME: OPTIONS" (the member file's base name and its own recorded
 *                          options, so that tests/model_retrain.sh can rebuild it)
 *   member_N_md5           MD5 of the member file's tensor bytes (after the 8-byte header length
 *                          and the JSON header, as tests/model_retrain.sh's weights() computes):
 *                          metadata edits leave it alone, any change of a weight does not
 *   cascade                TAU: the members score only windows the model itself gives p >= TAU
 * The model itself is the ensemble's first network; member_k of the metadata is its network k+1.
 * A member file is found beside the model file (its directory, else the directory of the file
 * a symbolic link points to). */
#ifndef TFM_ENSEMBLE_H
#define TFM_ENSEMBLE_H

#include "ckpt.h"
#include "model.h"

#define TFM_ENS_MAX 15 /* members besides the model itself */

typedef struct {
    int n;                      /* members recorded (0: a single network) */
    char *name[TFM_ENS_MAX];    /* base names */
    char *md5[TFM_ENS_MAX];     /* MD5 (hex) of their tensor bytes */
    double cascade;             /* TAU */
} tfm_ens_meta_t;

/* Metadata key of member k (1-based): "member_k"; with md5 set, "member_k_md5". Static strings. */
const char *tfm_ens_key(int k, int md5);
/* The members recorded in c (read from path). 0 (e->n = 0 without any), or -1 on a malformed
 * entry ("PATH: metadata: ..."). */
int tfm_ens_meta_read(const tfm_ckpt_t *c, const char *path, tfm_ens_meta_t *e);
void tfm_ens_meta_free(tfm_ens_meta_t *e);
/* The file of a member named `name` of the model at model_path (owned string; may not exist). */
char *tfm_ens_member_path(const char *model_path, const char *name);
/* MD5 (hex) of the tensor bytes of the safetensors file at path. 0 or -1 ("PATH: ..."). */
int tfm_weights_md5(const char *path, char hex[33]);
/* Whether checkpoint c (file path) takes the input of a model of architecture arch, encoding
 * `encoding` (NULL: not checked) on site_mode windows (-1: none), as a teacher or an ensemble
 * member must. `who` names that model in the message ("student", "model"). 0 or -1
 * ("PATH: architecture 'X', the student's is Y"). */
int tfm_ens_check(const tfm_ckpt_t *c, const char *path, tfm_arch_t arch, const char *encoding, int site_mode,
                  const char *who);
/* Whether checkpoint c (file path) is a single network, as an ensemble member must be: 0, or -1
 * ("PATH: it has members of its own (an ensemble cannot be a member)"). */
int tfm_ens_check_single(const tfm_ckpt_t *c, const char *path);
/* The ensemble's window score from its k networks' probabilities p[0..k-1]: the sigmoid of the
 * mean of logit(clip(p, 1e-7, 1 - 1e-7)), in double, summed in network order, with tfm_nn_log
 * and tfm_nn_sigmoid (basic operations only: the same bits on every CPU, which libm's log and
 * exp do not promise). */
float tfm_ens_combine(const float *p, int k);

#endif
