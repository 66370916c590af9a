/* recent: "was this key among the last N distinct keys?" in fixed memory, whatever the input
 * size. Used by tfm-seed --pairs and tfm-aggregate to check that the rows of a (miRNA, mRNA)
 * pair are contiguous (a pair must not come back after other pairs) without keeping every pair
 * of a run: 10 M distinct pairs kept as strings cost about 700 MB.
 *
 * Each key is kept as a 128-bit hash with a caller's value (a line number) in a ring of the last
 * N keys, indexed by an open-addressing table: 32 bytes per key, 32 MB for N = 2^20. A key added
 * more than N keys ago is forgotten, so a repeat further apart goes unnoticed. A false alarm
 * would need another key among the N with the same 128-bit hash: probability N / 2^128 (below
 * 1e-32 for N = 2^20) per key. */
#ifndef TFM_RECENT_H
#define TFM_RECENT_H

#include <stddef.h>

#define TFM_RECENT_PAIRS (1 << 20) /* the window of the pair checks of tfm-seed and tfm-aggregate */

typedef struct tfm_recent tfm_recent_t;

/* A window of the last n keys (n >= 1). */
tfm_recent_t *tfm_recent_new(size_t n);
/* When key[0..len) is among the last n keys added: its value. Otherwise add it with `value`
 * (forgetting the oldest when n are kept) and return -1. Values should be >= 0. */
long tfm_recent_put(tfm_recent_t *r, const char *key, size_t len, long value);
void tfm_recent_free(tfm_recent_t *r);

#endif
