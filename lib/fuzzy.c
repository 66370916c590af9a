/* fuzzy: regex-compatible approximate search, `regex.finditer("(P){e<=k}", T)` (heads.md 4.2).
 *
 * Per chunk of CHUNK start positions:
 *
 * 1. Filter. A bit-parallel edit-distance scan (Myers 1999, Hyyro's formulation, pattern in one
 *    64-bit word) runs right to left over the text with the reversed pattern. Its column at
 *    text position t holds, for every p, R(p, t) = min over ends e of ed(P[p..m), T[t..e)):
 *    the cheapest way to finish the pattern from (p, t), whatever the DFS order. A start s is
 *    a candidate only if R(0, s) <= k.
 *
 * 2. Verify. The exact 4.2 depth-first search runs at the candidate starts (>= the current
 *    anchor, in increasing order) and nowhere else. Runs of exact characters are consumed eight
 *    at a time, so the recursion only branches at errors (depth <= k + 1), and a node (p, t)
 *    reached with `used` errors is abandoned when R(p, t) > k - used.
 *
 * Why neither the filter nor the pruning can lose a match: every DFS step is an edit operation
 * (exact, substitution, insertion of a text character, deletion of a pattern character) and
 * `used` counts the non-exact ones, so a DFS success from s ending at e is an alignment of P
 * with T[s..e) of cost <= k, and its tail from any node (p, t) on the path is an alignment of
 * P[p..m) with T[t..e) of cost <= k - used; hence R(0, s) <= k and R(p, t) <= k - used on the
 * whole successful path. Cutting a node with R(p, t) > k - used removes only subtrees without
 * a success, so the first success (and its error counts) is unchanged; a skipped start would
 * have failed in the pseudocode's `for s = anchor..n` loop too. The scan only sees ends
 * e <= hi = s0 + CHUNK - 1 + m + k (clipped to n), which can only raise R; every success from
 * a start of the chunk ends by then (e - s = m + ins - del <= m + k).
 */
#include "fuzzy.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FAIL (-1)
#define CHUNK 1024                  /* start positions per filter pass (columns live on the stack) */

struct tfm_fuzzy {
    int m, k;
    uint64_t peqr[256];             /* bit j set when P[m-1-j] == c (reversed pattern) */
    uint8_t pat[64 + 8];            /* zero padded so 8-byte loads stay inside */
};

tfm_fuzzy_t *tfm_fuzzy_new(const char *pattern, int k)
{
    if (!pattern) {
        tfm_fail("fuzzy: no pattern");
        return NULL;
    }
    size_t m = strlen(pattern);
    if (m < 1 || m > 63) {
        tfm_fail("fuzzy: pattern length %zu not in 1..63", m);
        return NULL;
    }
    if (k < 0 || (size_t)k >= m) {
        tfm_fail("fuzzy: error budget %d not in 0..%zu", k, m - 1);
        return NULL;
    }
    tfm_fuzzy_t *f = tfm_calloc(1, sizeof *f);
    f->m = (int)m;
    f->k = k;
    memcpy(f->pat, pattern, m);
    for (size_t j = 0; j < m; j++) f->peqr[f->pat[m - 1 - j]] |= (uint64_t)1 << j;
    return f;
}

void tfm_fuzzy_free(tfm_fuzzy_t *f) { free(f); }

/* ------------------------------------------------------------------ filter (reverse Myers scan) */

/* Vertical deltas of one column of the reverse scan: bit j of pv (mv) is set when
 * R(m-j-1, t) - R(m-j, t) is +1 (-1). */
typedef struct {
    uint64_t pv, mv;
} col_t;

/* R(p, t) from its column: the sum of the first m - p deltas. */
static inline int col_cost(col_t c, int j)
{
    uint64_t mask = j >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << j) - 1;
    return __builtin_popcountll(c.pv & mask) - __builtin_popcountll(c.mv & mask);
}

/* Columns for t = hi down to lo into col[t - lo], and start bits (R(0, t) <= k) for t in
 * [lo, min(hi, lo + CHUNK)) into cand[]. Text ends beyond hi are not seen. */
static void reverse_scan(const tfm_fuzzy_t *f, const uint8_t *t, int32_t lo, int32_t hi, col_t *col, uint64_t *cand)
{
    const int m = f->m, k = f->k;
    const uint64_t top = (uint64_t)1 << (m - 1);
    uint64_t pv = ~(uint64_t)0, mv = 0;
    int score = m;
    col[hi - lo] = (col_t){pv, mv};
    if (hi - lo < CHUNK && score <= k) cand[(hi - lo) >> 6] |= (uint64_t)1 << ((hi - lo) & 63);
    for (int32_t i = hi - 1; i >= lo; i--) {
        uint64_t eq = f->peqr[t[i]];
        uint64_t xv = eq | mv;
        uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
        uint64_t ph = mv | ~(xh | pv);
        uint64_t mh = pv & xh;
        score += (ph & top) != 0;
        score -= (mh & top) != 0;
        ph <<= 1;
        mh <<= 1;
        pv = mh | ~(xv | ph);
        mv = ph & xv;
        col[i - lo] = (col_t){pv, mv};
        if (score <= k && i - lo < CHUNK) cand[(i - lo) >> 6] |= (uint64_t)1 << ((i - lo) & 63);
    }
}

/* ------------------------------------------------------------------ verification (4.2 DFS) */

typedef struct {
    const uint8_t *pat, *t;
    const col_t *col;               /* reverse-scan columns, col[t - lo] */
    int32_t m, k, n, anchor, lo;
    uint8_t sub, ins, del;          /* errors of the successful path */
} dfs_t;

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Length of the common prefix of P[p..m) and T[t..n). */
static inline int32_t lcp(const dfs_t *d, int32_t p, int32_t t)
{
    int32_t max = d->m - p, l = 0;
    if (d->n - t < max) max = d->n - t;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    while (l + 8 <= max) {
        uint64_t x = load64(d->pat + p + l) ^ load64(d->t + t + l);
        if (x) return l + (__builtin_ctzll(x) >> 3);
        l += 8;
    }
#endif
    while (l < max && d->pat[p + l] == d->t[t + l]) l++;
    return l;
}

/* 4.2 dfs(p, t, used): end of the first success, or FAIL. The exact step is never retried as
 * an error, so a run of exact characters is one step; recursion happens only at errors. */
static int32_t dfs(dfs_t *d, int32_t p, int32_t t, int used)
{
    if (col_cost(d->col[t - d->lo], d->m - p) > d->k - used) return FAIL;
    int32_t l = lcp(d, p, t);
    p += l;
    t += l;
    if (p == d->m) return t;
    if (used == d->k) return FAIL;
    int32_t r;
    if (t < d->n) {
        if ((r = dfs(d, p + 1, t + 1, used + 1)) != FAIL) {
            d->sub++;
            return r;
        }
        if (t != d->anchor && (r = dfs(d, p, t + 1, used + 1)) != FAIL) {
            d->ins++;
            return r;
        }
    }
    if ((r = dfs(d, p + 1, t, used + 1)) != FAIL) d->del++;
    return r;
}

/* ------------------------------------------------------------------ scan */

size_t tfm_fuzzy_scan(const tfm_fuzzy_t *f, const char *text, size_t len, tfm_fuzzy_match_t **out, size_t *cap)
{
    const int32_t m = f->m, k = f->k, n = (int32_t)len;
    col_t col[CHUNK + 2 * 64];                  /* t in [s0, s0 + CHUNK - 1 + m + k] */
    uint64_t cand[CHUNK / 64];                  /* bit i: start s0 + i has R(0, s) <= k */
    dfs_t d = {.pat = f->pat, .t = (const uint8_t *)text, .col = col, .m = m, .k = k, .n = n};
    size_t nm = 0;
    if (len > INT32_MAX - CHUNK - 2 * 64) return 0;   /* spans are int32 */

    for (int32_t s0 = 0; s0 <= n; s0 += CHUNK) {
        if (s0 + CHUNK <= d.anchor) continue;
        int32_t hi = s0 + CHUNK - 1 + m + k;    /* last end of a success from this chunk */
        if (hi > n) hi = n;
        memset(cand, 0, sizeof cand);
        d.lo = s0;
        reverse_scan(f, d.t, s0, hi, col, cand);
        for (int w = 0; w < CHUNK / 64; w++) {
            uint64_t c = cand[w];
            while (c) {
                int32_t s = s0 + w * 64 + __builtin_ctzll(c);
                c &= c - 1;
                if (s < d.anchor) continue;
                d.sub = d.ins = d.del = 0;
                int32_t e = dfs(&d, 0, s, 0);
                if (e == FAIL) continue;
                TFM_GROW(*out, *cap, nm + 1);
                (*out)[nm++] = (tfm_fuzzy_match_t){s, e, d.sub, d.ins, d.del};
                d.anchor = e > s ? e : e + 1;
            }
        }
    }
    return nm;
}
