/* fuzzy: regex-compatible approximate search, `regex.finditer("(P){e<=k}", T)` (heads.md 4.2).
 *
 * Two stages per chunk of candidate start positions:
 *
 * 1. Filter. A bit-parallel edit-distance scan (Myers 1999 in Hyyro's formulation, pattern in
 *    one 64-bit word) marks every text end e for which some substring T[x..e) is within k
 *    edits of P. A start s is a candidate only if such an end lies in [s+m-k, s+m+k].
 *
 * 2. Verify. The exact 4.2 depth-first search runs at the candidate starts (>= the current
 *    anchor, in increasing order) and nowhere else; runs of exact characters are consumed
 *    eight at a time, so the recursion only branches at errors (depth <= k + 1).
 *
 * Why the filter cannot lose a match: every step of the DFS is an edit operation (exact,
 * substitution, insertion of a text character, deletion of a pattern character) and `used`
 * counts the non-exact ones, so a DFS success from s ending at e is an alignment of P with
 * T[s..e) of cost used <= k; hence ed(P, T[s..e)) <= k, the Myers scan marks e, and because
 * e - s = m + ins - del with ins + del <= k, e lies in [s+m-k, s+m+k]. The filter depends
 * neither on the anchor nor on the search order, so skipping non-candidates changes nothing:
 * the pseudocode's `for s = anchor..n` would fail at every skipped start anyway.
 */
#include "fuzzy.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FAIL (-1)
#define CHUNK 4096                  /* candidate starts handled per filter pass */

struct tfm_fuzzy {
    int m, k;
    uint64_t peq[256];              /* bit i set when P[i] == c */
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
    for (size_t i = 0; i < m; i++) f->peq[f->pat[i]] |= (uint64_t)1 << i;
    return f;
}

void tfm_fuzzy_free(tfm_fuzzy_t *f) { free(f); }

/* ------------------------------------------------------------------ verification (4.2 DFS) */

typedef struct {
    const uint8_t *pat, *t;
    int32_t m, k, n, anchor;
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

/* ------------------------------------------------------------------ filter (Myers scan) */

/* Set bit (e - base) of hits[] for every end e in [lo, hi] (hi <= n) with min_x ed(P, T[x..e)) <= k.
 * The scan starts at lo - (m + k) (clipped at 0): an alignment of cost <= k spans at most
 * m + k text characters, so every such end in [lo, hi] is found from there; starting late can
 * only raise distances (no false hits). */
static void myers_hits(const tfm_fuzzy_t *f, const uint8_t *t, int32_t lo, int32_t hi, int32_t base, uint64_t *hits)
{
    const int m = f->m, k = f->k;
    const uint64_t top = (uint64_t)1 << (m - 1);
    uint64_t pv = ~(uint64_t)0, mv = 0;
    int score = m;
    int32_t x = lo - m - k;
    if (x < 0) x = 0;
    for (int32_t i = x; i < hi; i++) {
        uint64_t eq = f->peq[t[i]];
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
        int32_t e = i + 1;
        if (score <= k && e >= lo) hits[(e - base) >> 6] |= (uint64_t)1 << ((e - base) & 63);
    }
}

/* ------------------------------------------------------------------ scan */

size_t tfm_fuzzy_scan(const tfm_fuzzy_t *f, const char *text, size_t len, tfm_fuzzy_match_t **out, size_t *cap)
{
    const int32_t m = f->m, k = f->k, n = (int32_t)len;
    dfs_t d = {.pat = f->pat, .t = (const uint8_t *)text, .m = m, .k = k, .n = n, .anchor = 0};
    /* hits: bit i <-> end s0 + (m - k) + i, for starts s0 .. s0 + CHUNK - 1 plus the 2k ends
     * after the last; cand: bit i <-> start s0 + i. */
    enum { HW = (CHUNK + 2 * 64 + 63) / 64 + 1 };
    uint64_t hits[HW], cand[CHUNK / 64];
    size_t nm = 0;
    if ((size_t)n != len) return 0;             /* spans are int32 */

    for (int32_t s0 = 0; s0 <= n; s0 += CHUNK) {
        if (s0 + CHUNK <= d.anchor) continue;
        int32_t base = s0 + m - k;              /* end of the shortest alignment from s0 */
        if (base > n) break;                    /* no start >= s0 can end inside the text */
        int32_t hi = s0 + CHUNK - 1 + m + k;   /* end of the longest alignment from the last start */
        if (hi > n) hi = n;
        memset(hits, 0, sizeof hits);
        myers_hits(f, d.t, base, hi, base, hits);
        /* dilate: start s0+i is a candidate when any hit bit in [i, i+2k] is set */
        for (int w = 0; w < CHUNK / 64; w++) {
            uint64_t c = 0;
            for (int j = 0; j <= 2 * k; j++) {
                int q = w + (j >> 6), sh = j & 63;
                uint64_t v = hits[q] >> sh;
                if (sh) v |= hits[q + 1] << (64 - sh);
                c |= v;
            }
            cand[w] = c;
        }
        for (int w = 0; w < CHUNK / 64; w++) {
            uint64_t c = cand[w];
            while (c) {
                int32_t s = s0 + w * 64 + __builtin_ctzll(c);
                c &= c - 1;
                if (s < d.anchor) continue;
                if (s > n) break;
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
