/* qnet: integer inference of the deepTarget CNN (tfm's default model's architecture), for
 * scoring at transcriptome scale. The float path (fastnet.h) stays the reference; this one is
 * about 4x cheaper per window and gives the same bits on every instruction set.
 *
 * How (heads.md 2.2 layer names):
 *   - embd1 + conv2 by table: embd1 (k3, pad 1) is shared by the miRNA and the CTS, so conv2's
 *     output at position l is a sum of a miRNA part and a CTS part that each depend on five
 *     letters only (positions l-1 .. l+3; A C G U or none = N, padding, past the end). Both
 *     parts are tabulated over the 5^5 = 3125 five-letter codes when the model is loaded
 *     (float, computed in double), conv2's bias in the miRNA table;
 *   - conv2's output: ReLU, then unsigned 8 bits at a per-channel scale that is an upper
 *     bound of that channel over every possible input (max of the miRNA table + max of the
 *     CTS table);
 *   - conv3 and conv4: signed 8-bit weights (per output channel scale; the input channel's
 *     scale folded in), 32-bit integer accumulation of u8 x s8 products (exact: no overflow, no
 *     saturation, so any order gives the same sum), the bias in accumulator units; conv3's
 *     output requantised to u8 by one float multiply, clamp to [0, 255] and round to nearest
 *     even, at a per-channel scale calibrated on a fixed set of synthetic site-like windows
 *     (seeded generator; it depends on the weights, never on data);
 *   - conv4's ReLU output times fc2 . fc1 collapsed into one vector (fastnet.h), as a fixed
 *     order float multiply-add chain per channel, summed in channel order, then the softmax of
 *     fastnet.
 * Everything that is not integer is one IEEE operation in a fixed order (no contraction:
 * -ffp-contract=off), so the AVX-512 VNNI, AVX-VNNI, AVX2 (products by vpmaddwd, exact) and
 * scalar builds give identical probabilities, and a window's probability depends on that window
 * only. The accuracy cost against the float path is measured by tests/test_qnet.c (random and
 * real weights) and on the val split (models/README.md). Weight-independent: any deepTarget
 * checkpoint is quantised at load. */
#ifndef TFM_QNET_H
#define TFM_QNET_H

#include "model.h"

#define TFM_QNET_CODES 60 /* bytes per window: miRNA nt 1-30, then CTS nt 1-30 (encode.h codes) */

typedef struct tfm_qnet_s tfm_qnet_t;

/* Quantise a bound deepTarget model; NULL with tfm_fail() for another architecture. The
 * instruction set is the best the CPU supports. Read-only afterwards: threads may share it. */
tfm_qnet_t *tfm_qnet_new(const tfm_model_t *m);
void tfm_qnet_free(tfm_qnet_t *q);

/* "avx512vnni", "avxvnni", "avx2" or "scalar": the build in use. */
const char *tfm_qnet_isa(const tfm_qnet_t *q);
/* Use another build (tests, benchmarks): 0, or -1 with tfm_fail() if the CPU lacks it. */
int tfm_qnet_set_isa(tfm_qnet_t *q, const char *isa);

/* codes: n windows of TFM_QNET_CODES bytes (tfm_encode_deeptarget_codes) -> prob: n
 * probabilities. */
void tfm_qnet_forward(const tfm_qnet_t *q, const unsigned char *codes, int n, float *prob);

#endif
