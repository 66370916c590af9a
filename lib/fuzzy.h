/* fuzzy: approximate pattern search with exactly the semantics of Python's `regex` module for
 * `regex.finditer("(" + P + "){e<=k}", T)` (specs/heads.md section 4.2): non-overlapping
 * matches left to right, leftmost start, first success in the order exact > substitution >
 * insertion > deletion, no insertion at the search anchor. Used by the TargetFM/deepTarget
 * seed modes. Patterns and texts are byte strings compared exactly (callers normalise). */
#ifndef TFM_FUZZY_H
#define TFM_FUZZY_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t start, end;         /* match span T[start..end), 0-based */
    uint8_t sub, ins, del;      /* errors used: substitutions, inserted text characters, deleted pattern characters */
    uint8_t lane;               /* tfm_fuzzy_group_scan: the pattern's place in its group (else 0) */
} tfm_fuzzy_match_t;

typedef struct tfm_fuzzy tfm_fuzzy_t;

/* Prepare pattern P (1..63 characters) with error budget k (0 <= k < m). NULL on bad
 * arguments (tfm_last_error() says why). The result is read-only and may be shared by threads. */
tfm_fuzzy_t *tfm_fuzzy_new(const char *pattern, int k);
void tfm_fuzzy_free(tfm_fuzzy_t *f);

/* All matches in t[0..n), in finditer order, written to *out from index 0 (capacity *cap,
 * grown with tfm_grow). Returns the number of matches; *out is reused between calls.
 * Thread-safe for a shared f (scratch lives on the stack, about 25 KB). n must be below
 * 2^31 - 2^11 (spans are int32); longer texts give 0 matches. */
size_t tfm_fuzzy_scan(const tfm_fuzzy_t *f, const char *t, size_t n, tfm_fuzzy_match_t **out, size_t *cap);

/* The same search over part of the text, for a caller that cuts a long text into ranges: the
 * matches whose start lies in [from, to) (to may exceed n + 1), found as finditer finds them when
 * its anchor - where the previous match ended, 0 at first - is *anchor on entry; *anchor is then
 * where the last match ended (unchanged without one). Matches may end past `to`. Scanning
 * consecutive ranges, each from the anchor the one before left, gives tfm_fuzzy_scan's matches;
 * tfm_fuzzy_scan(t, n) is the range [0, n + 1) from anchor 0. */
size_t tfm_fuzzy_scan_range(const tfm_fuzzy_t *f, const char *t, size_t n, size_t from, size_t to, int32_t *anchor,
                            tfm_fuzzy_match_t **out, size_t *cap);

/* Up to TFM_FUZZY_LANES patterns of one length and one error budget, searched side by side:
 * patterns of up to 16 characters share one pass over the text (one 16-bit lane each), so that
 * an all-vs-all search reads each transcript once per group instead of once per miRNA. */
#define TFM_FUZZY_LANES 16
typedef struct tfm_fuzzy_group tfm_fuzzy_group_t;

/* A group of f[0..n) (1 <= n <= TFM_FUZZY_LANES; not owned, they must outlive it). NULL with
 * tfm_last_error() when n is out of range or the patterns differ in length or budget. Read-only
 * once made, like tfm_fuzzy_t. */
tfm_fuzzy_group_t *tfm_fuzzy_group_new(const tfm_fuzzy_t *const *f, int n);
void tfm_fuzzy_group_free(tfm_fuzzy_group_t *g);

/* tfm_fuzzy_scan of t[0..n) for each pattern i of the group whose bit is set in `lanes`: its
 * matches, with lane = i, one pattern after the other in order of i, each pattern's in finditer
 * order, written to *out from index 0; count[i] is pattern i's number (0 for a lane not asked;
 * count holds TFM_FUZZY_LANES). Returns the total. Thread-safe for a shared g. */
size_t tfm_fuzzy_group_scan(const tfm_fuzzy_group_t *g, unsigned lanes, const char *t, size_t n,
                            tfm_fuzzy_match_t **out, size_t *cap, size_t *count);

#endif
