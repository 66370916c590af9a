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
 *
 * All scratch (columns, start bits, a text copy; about 25 KB) is on the stack, so one handle
 * can be shared by any number of threads.
 */
#include "fuzzy.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util.h"

#define FAIL (-1)
#define CHUNK 1024                  /* start positions per filter pass (columns live on the stack) */

struct tfm_fuzzy {
    int m, k;
    uint64_t peqr[256];             /* bit j set when P[m-1-j] == c (reversed pattern) */
    uint16_t peqr16[256];           /* the same for m <= 16 (eight 16-bit lanes) */
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
    for (int c = 0; c < 256; c++) f->peqr16[c] = (uint16_t)f->peqr[c];
    return f;
}

void tfm_fuzzy_free(tfm_fuzzy_t *f) { free(f); }

/* ------------------------------------------------------------------ filter (reverse Myers scan) */

/* Vertical deltas of one column of the reverse scan: bit j of pv (mv) is set when
 * R(m-j-1, t) - R(m-j, t) is +1 (-1). */
typedef struct {
    uint64_t pv, mv;
} col_t;

/* Inline (without -mpopcnt the builtin is a libgcc call). */
static inline int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* R(p, t) from its column: the sum of the first j = m - p deltas. */
static inline int col_cost(uint64_t pv, uint64_t mv, int j)
{
    uint64_t mask = j >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << j) - 1;
    return popcount64(pv & mask) - popcount64(mv & mask);
}

/* The same for 16-bit columns (j <= 16): both counts at once, one per half of a 32-bit word. */
static inline int col_cost16(uint16_t pv, uint16_t mv, int j)
{
    uint32_t mask = ((uint32_t)1 << j) - 1;
    uint32_t x = (pv & mask) | (mv & mask) << 16;
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    x += x >> 8;                            /* bits 0-4: count of pv; bits 16-20: of mv */
    return (int)(x & 31) - (int)((x >> 16) & 31);
}

/* One column step of the reverse scan for text character class eq. */
#define MYERS_STEP(eq, pv, mv, score, top)                                                 \
    do {                                                                                   \
        uint64_t xv_ = (eq) | (mv), xh_ = ((((eq) & (pv)) + (pv)) ^ (pv)) | (eq);          \
        uint64_t ph_ = (mv) | ~(xh_ | (pv)), mh_ = (pv) & xh_;                             \
        (score) += (int)((ph_ & (top)) != 0) - (int)((mh_ & (top)) != 0);                  \
        ph_ <<= 1;                                                                         \
        mh_ <<= 1;                                                                         \
        (pv) = mh_ | ~(xv_ | ph_);                                                         \
        (mv) = ph_ & xv_;                                                                  \
    } while (0)

#define SET_BIT(v, i) ((v)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))

/* Columns for text positions t in [lo, hi] into col[t - lo], hi = the end of the longest
 * alignment from the last start lo + nstarts - 1 (clipped to n), and start bits (R(0, t) <= k)
 * for t in [lo, lo + nstarts) into cand[]. The scan is latency bound, so long chunks run as
 * four independent lanes of q starts each: lane j starts at its own a_j + q - 1 + m + k, which
 * sees every end a success from its starts can have. Where lanes overlap, the higher lane
 * writes last (its step for a position comes q steps later), and its column sees more ends,
 * so it is a valid lower bound for the lower lane's starts too. Lane 3 may begin past n: there
 * it reads a character that matches nothing, which never lowers a cost below m - p. */
static void reverse_scan(const tfm_fuzzy_t *f, const uint8_t *t, int32_t n, int32_t lo, int32_t nstarts, col_t *col,
                         uint64_t *cand)
{
    const int m = f->m, k = f->k;
    const uint64_t top = (uint64_t)1 << (m - 1);
    const int32_t q = (nstarts + 3) / 4, reach = m + k - 1;
    if (q < 32 || lo + 3 * q + reach > n) {     /* short: one lane */
        int32_t hi = lo + nstarts + reach;
        if (hi > n) hi = n;
        uint64_t pv = ~(uint64_t)0, mv = 0;
        int score = m;
        col[hi - lo] = (col_t){pv, mv};
        for (int32_t i = hi - 1; i >= lo; i--) {
            MYERS_STEP(f->peqr[t[i]], pv, mv, score, top);
            col[i - lo] = (col_t){pv, mv};
            if (score <= k) SET_BIT(cand, i - lo);
        }
        return;
    }
    int32_t steps = q + reach;                  /* lane j covers a_j + steps - 1 down to a_j */
    uint64_t pv0 = ~(uint64_t)0, pv1 = pv0, pv2 = pv0, pv3 = pv0, mv0 = 0, mv1 = 0, mv2 = 0, mv3 = 0;
    int s0 = m, s1 = m, s2 = m, s3 = m;
    int32_t top3 = lo + 3 * q + steps;
    if (top3 > n) top3 = n;
    col[top3 - lo] = (col_t){pv0, mv0};
    for (int32_t x = steps - 1; x >= 0; x--) {
        int32_t i0 = lo + x, i1 = i0 + q, i2 = i1 + q, i3 = i2 + q;
        uint64_t e0 = f->peqr[t[i0]], e1 = f->peqr[t[i1]], e2 = f->peqr[t[i2]];
        uint64_t e3 = f->peqr[i3 < n ? t[i3] : 0];
        MYERS_STEP(e0, pv0, mv0, s0, top);
        MYERS_STEP(e1, pv1, mv1, s1, top);
        MYERS_STEP(e2, pv2, mv2, s2, top);
        MYERS_STEP(e3, pv3, mv3, s3, top);
        col[i0 - lo] = (col_t){pv0, mv0};
        col[i1 - lo] = (col_t){pv1, mv1};
        col[i2 - lo] = (col_t){pv2, mv2};
        if (i3 < n) col[i3 - lo] = (col_t){pv3, mv3};
        if (s0 <= k) SET_BIT(cand, i0 - lo);
        if (s1 <= k) SET_BIT(cand, i1 - lo);
        if (s2 <= k) SET_BIT(cand, i2 - lo);
        if (s3 <= k && i3 < n) SET_BIT(cand, i3 - lo);
    }
}

/* Patterns of up to 16 characters: eight lanes of 16 bits in one 128-bit vector (GCC/clang
 * vector extensions; plain SSE2 on x86-64). Lane j starts the starts j*q .. j*q + q - 1
 * (q = 2^qbits >= 16) and scans from lo + j*q + q + m + k - 1 down, as in reverse_scan; a
 * lane that begins past n reads characters that match nothing there. Columns are kept per lane
 * and step, pv16[x*8 + j] for position lo + j*q + x; a position is looked up in the highest
 * lane whose own starts reach it (see node_cost), which saw every end a success through that
 * position can have. Start bits are collected 16 steps at a time per lane. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TFM_FUZZY_NARROW 1
typedef uint16_t v8u16 __attribute__((vector_size(16)));
typedef int16_t v8i16 __attribute__((vector_size(16)));
typedef uint64_t v2u64 __attribute__((vector_size(16)));

static void narrow_scan(const tfm_fuzzy_t *f, const uint8_t *t, int32_t n, int32_t lo, int qbits, uint16_t *pv16,
                        uint16_t *mv16, uint64_t *cand)
{
    const int m = f->m, k = f->k;
    const int32_t q = (int32_t)1 << qbits, steps = q + m + k - 1;
    v8u16 pv = ~(v8u16){0}, mv = (v8u16){0}, acc = (v8u16){0};
    v8i16 score = (v8i16){0} + (int16_t)m, kv = (v8i16){0} + (int16_t)k;
    memcpy(pv16 + 8 * steps, &pv, sizeof pv);
    memcpy(mv16 + 8 * steps, &mv, sizeof mv);
    /* near the end of the text, a copy padded with zeros (zero matches nothing), so the
     * gather below needs no bounds checks */
    uint8_t pad[CHUNK + 8 * 16 + 64];
    const uint8_t *tb = t + lo;
    int32_t span = 8 * q + steps - q;
    if (n - lo < span) {
        memcpy(pad, tb, (size_t)(n - lo));
        memset(pad + (n - lo), 0, (size_t)(span - (n - lo)));
        tb = pad;
    }
    const uint16_t *pq = f->peqr16;
    for (int32_t x = steps - 1; x >= 0; x--) {
        const uint8_t *c = tb + x;
        uint64_t e0 = pq[c[0]] | (uint64_t)pq[c[q]] << 16 | (uint64_t)pq[c[2 * q]] << 32 | (uint64_t)pq[c[3 * q]] << 48;
        uint64_t e1 = pq[c[4 * q]] | (uint64_t)pq[c[5 * q]] << 16 | (uint64_t)pq[c[6 * q]] << 32 | (uint64_t)pq[c[7 * q]] << 48;
        v8u16 eq = (v8u16)(v2u64){e0, e1};
        v8u16 xv = eq | mv, xh = (((eq & pv) + pv) ^ pv) | eq;
        v8u16 ph = mv | ~(xh | pv), mh = pv & xh;
        score += (v8i16)((ph >> (m - 1)) & 1) - (v8i16)((mh >> (m - 1)) & 1);
        ph <<= 1;
        mh <<= 1;
        pv = mh | ~(xv | ph);
        mv = ph & xv;
        memcpy(pv16 + 8 * x, &pv, sizeof pv);
        memcpy(mv16 + 8 * x, &mv, sizeof mv);
        acc = (acc << 1) | ((v8u16)(score <= kv) & 1);
        if ((x & 15) == 0 && x < q) {           /* bit b of lane j: start lo + j*q + x + b */
            uint16_t w[8];
            memcpy(w, &acc, sizeof w);
            for (int j = 0; j < 8; j++) {
                int32_t pos = j * q + x;
                cand[pos >> 6] |= (uint64_t)w[j] << (pos & 63);
            }
        }
    }
}
#endif

/* ------------------------------------------------------------------ verification (4.2 DFS) */

typedef struct {
    const uint8_t *pat, *t;
    const col_t *col;               /* reverse-scan columns, col[t - lo] (wide scan) */
    const uint16_t *pv16, *mv16;    /* narrow scan columns, NULL when the wide scan ran */
    int32_t m, k, n, anchor, lo, qbits;
    int32_t lshift;                 /* narrow and group columns: log2 of the lanes per step */
    uint8_t sub, ins, del;          /* errors of the successful path */
} dfs_t;

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Length of the common prefix of P[p..m) and T[t..n). The first 16 characters in one compare
 * where the text has them (the pattern is padded): a seed pattern is no longer. */
static inline int32_t lcp(const dfs_t *d, int32_t p, int32_t t)
{
    int32_t max = d->m - p, l = 0;
    if (d->n - t < max) max = d->n - t;
#ifdef __SSE2__
    if (d->n - t >= 16 && p + 16 <= (int32_t)sizeof ((tfm_fuzzy_t *)0)->pat) {
        __m128i a = _mm_loadu_si128((const __m128i *)(d->pat + p)), b = _mm_loadu_si128((const __m128i *)(d->t + t));
        unsigned same = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, b));
        l = __builtin_ctz(~same);           /* 16 when all are */
        if (l < 16 || max <= 16) return l < max ? l : max;
    }
#endif
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

/* R(p, t) from whichever scan ran for this chunk. A group's lane reads as a narrow scan's lane 0
 * that covers all the chunk (qbits 31), with 2^lshift lanes a step and pv16/mv16 offset by the
 * lane. */
static inline __attribute__((always_inline)) int node_cost(const dfs_t *d, int32_t p, int32_t t)
{
    int32_t off = t - d->lo;
    if (d->pv16) {
        int32_t j = off >> d->qbits;
        if (j > 7) j = 7;
        int32_t at = ((off - (j << d->qbits)) << d->lshift) + j;
        return col_cost16(d->pv16[at], d->mv16[at], d->m - p);
    }
    return col_cost(d->col[off].pv, d->col[off].mv, d->m - p);
}

/* 4.2 dfs(p, t, used): end of the first success, or FAIL, for a node that passed the cost check
 * (R(p, t) <= k - used; a candidate start passes it by definition). The exact step is never
 * retried as an error, so a run of exact characters is one step; recursion happens only at
 * errors, and only into children that pass the check (most do not: checking before the call
 * saves the call). */
static int32_t dfs(dfs_t *d, int32_t p, int32_t t, int used)
{
    int32_t l = lcp(d, p, t);
    p += l;
    t += l;
    if (p == d->m) return t;
    if (used == d->k) return FAIL;
    int left = d->k - used - 1;
    int32_t r;
    if (t < d->n) {
        if (node_cost(d, p + 1, t + 1) <= left && (r = dfs(d, p + 1, t + 1, used + 1)) != FAIL) {
            d->sub++;
            return r;
        }
        if (t != d->anchor && node_cost(d, p, t + 1) <= left && (r = dfs(d, p, t + 1, used + 1)) != FAIL) {
            d->ins++;
            return r;
        }
    }
    if (node_cost(d, p + 1, t) <= left && (r = dfs(d, p + 1, t, used + 1)) != FAIL) {
        d->del++;
        return r;
    }
    return FAIL;
}

/* The DFS's first success from start s, found in a loop without calls when it lies on the
 * greedy path: from each node, the first child (substitution, insertion, deletion) that passes
 * the cost check. The DFS tries children in that order, so a success on that path is its first
 * success; nearly every match is one (a child that passes the check fails only through a greedy
 * exact step of the regex order). DEAD when the path ends without a success: then the DFS
 * decides. */
#define DEAD (-2)
static int32_t descend(dfs_t *d, int32_t s)
{
    int32_t p = 0, t = s, m = d->m, n = d->n;
    int used = 0, sub = 0, ins = 0, del = 0;
    for (;;) {
        int32_t l = lcp(d, p, t);
        p += l;
        t += l;
        if (p == m) break;
        if (used == d->k) return DEAD;
        int left = d->k - used - 1, more = t < n;
        int s_ok = more && node_cost(d, p + 1, t + 1) <= left;
        int i_ok = !s_ok && more && t != d->anchor && node_cost(d, p, t + 1) <= left;
        int d_ok = !s_ok && !i_ok && node_cost(d, p + 1, t) <= left;
        if (!(s_ok | i_ok | d_ok)) return DEAD;
        p += s_ok | d_ok, t += s_ok | i_ok;
        sub += s_ok, ins += i_ok, del += d_ok, used++;
    }
    d->sub = (uint8_t)sub, d->ins = (uint8_t)ins, d->del = (uint8_t)del;
    return t;
}

/* Bits of a candidate word from bit a on (all for a <= 0, none for a >= 64). */
static inline uint64_t from_anchor(int32_t a)
{
    return a <= 0 ? ~(uint64_t)0 : a >= 64 ? 0 : ~(uint64_t)0 << a;
}

/* The DFS at the candidate starts of one chunk (bit i of cand: start s0 + i) from d->anchor on,
 * in order; each match is appended to *out[nm..] with `lane` and moves the anchor. Returns nm. */
static size_t verify(dfs_t *d, uint64_t *cand, int32_t s0, int32_t nstarts, uint8_t lane, tfm_fuzzy_match_t **out,
                     size_t *cap, size_t nm)
{
    cand[nstarts >> 6] &= ((uint64_t)1 << (nstarts & 63)) - 1;  /* starts of the next chunk */
    for (int w = 0; w <= (nstarts - 1) >> 6; w++) {
        int32_t base = s0 + w * 64;
        uint64_t c = cand[w] & from_anchor(d->anchor - base);
        while (c) {
            int32_t s = base + __builtin_ctzll(c);
            c &= c - 1;
            int32_t e = descend(d, s);
            if (e == DEAD) {
                d->sub = d->ins = d->del = 0;
                e = dfs(d, 0, s, 0);
            }
            if (e == FAIL) continue;
            if (nm + 1 > *cap) TFM_GROW(*out, *cap, nm + 1);
            (*out)[nm++] = (tfm_fuzzy_match_t){s, e, d->sub, d->ins, d->del, lane};
            d->anchor = e > s ? e : e + 1;
            c &= from_anchor(d->anchor - base); /* the starts a match covers, at once */
        }
    }
    return nm;
}

/* ------------------------------------------------------------------ scan */

size_t tfm_fuzzy_scan(const tfm_fuzzy_t *f, const char *text, size_t len, tfm_fuzzy_match_t **out, size_t *cap)
{
    int32_t anchor = 0;
    return tfm_fuzzy_scan_range(f, text, len, 0, len + 1, &anchor, out, cap);
}

size_t tfm_fuzzy_scan_range(const tfm_fuzzy_t *f, const char *text, size_t len, size_t from, size_t to, int32_t *anchor,
                            tfm_fuzzy_match_t **out, size_t *cap)
{
    const int32_t m = f->m, k = f->k, n = (int32_t)len;
    col_t col[CHUNK + 4 + 2 * 64];              /* t in [s0, s0 + CHUNK - 1 + m + k], lane slack */
    uint64_t cand[CHUNK / 64 + 4];              /* bit i: start s0 + i has R(0, s) <= k */
    dfs_t d = {.pat = f->pat, .t = (const uint8_t *)text, .col = col, .m = m, .k = k, .n = n, .anchor = *anchor};
#ifdef TFM_FUZZY_NARROW
    uint16_t pv16[8 * (CHUNK / 8 + 32 + 1)], mv16[8 * (CHUNK / 8 + 32 + 1)];  /* m + k <= 31 */
#endif
    size_t nm = 0;
    if (len > INT32_MAX - CHUNK - 2 * 64) return 0;   /* spans are int32 */
    int32_t end = to < len + 1 ? (int32_t)to : n + 1; /* starts s0.. < end */

    for (int32_t s0 = (int32_t)(from < len + 1 ? from : len + 1); s0 < end; s0 += CHUNK) {
        if (s0 + CHUNK <= d.anchor) continue;
        int32_t nstarts = end - s0 < CHUNK ? end - s0 : CHUNK;
        memset(cand, 0, sizeof cand);
        d.lo = s0;
#ifdef TFM_FUZZY_NARROW
        if (m <= 16) {
            int qbits = 4;                      /* q: a power of two >= 16, 8 q >= nstarts */
            while ((8 << qbits) < nstarts) qbits++;
            narrow_scan(f, d.t, n, s0, qbits, pv16, mv16, cand);
            d.pv16 = pv16, d.mv16 = mv16, d.qbits = qbits, d.lshift = 3;
        } else
#endif
            reverse_scan(f, d.t, n, s0, nstarts, col, cand);
        nm = verify(&d, cand, s0, nstarts, 0, out, cap, nm);
    }
    *anchor = d.anchor;
    return nm;
}

/* ------------------------------------------------------------------ groups */

struct tfm_fuzzy_group {
    int n, m, k;
    const tfm_fuzzy_t *f[TFM_FUZZY_LANES];
    uint16_t peq[256][TFM_FUZZY_LANES];     /* [c][i]: pattern i's peqr16[c] */
};

tfm_fuzzy_group_t *tfm_fuzzy_group_new(const tfm_fuzzy_t *const *f, int n)
{
    if (n < 1 || n > TFM_FUZZY_LANES) {
        tfm_fail("fuzzy: %d patterns in a group (1..%d)", n, TFM_FUZZY_LANES);
        return NULL;
    }
    for (int i = 1; i < n; i++)
        if (f[i]->m != f[0]->m || f[i]->k != f[0]->k) {
            tfm_fail("fuzzy: the patterns of a group differ in length or error budget");
            return NULL;
        }
    tfm_fuzzy_group_t *g = tfm_calloc(1, sizeof *g);
    g->n = n, g->m = f[0]->m, g->k = f[0]->k;
    for (int i = 0; i < n; i++) {
        g->f[i] = f[i];
        for (int c = 0; c < 256; c++) g->peq[c][i] = f[i]->peqr16[c];
    }
    return g;
}

void tfm_fuzzy_group_free(tfm_fuzzy_group_t *g) { free(g); }

/* Order matches by lane, each lane's in the order found (a stable counting sort). */
static void by_lane(tfm_fuzzy_match_t **out, size_t *cap, size_t nm, size_t *count)
{
    size_t at[TFM_FUZZY_LANES], sum = 0;
    if (nm == 0) return;
    for (int i = 0; i < TFM_FUZZY_LANES; i++) at[i] = nm + sum, sum += count[i];
    TFM_GROW(*out, *cap, 2 * nm);
    tfm_fuzzy_match_t *m = *out;
    for (size_t i = 0; i < nm; i++) m[at[m[i].lane]++] = m[i];
    memcpy(m, m + nm, nm * sizeof *m);
}

#ifdef TFM_FUZZY_NARROW
#define GROUP_CHUNK 512             /* starts per pass: the columns of all lanes stay in L1 */
#define GROUP_LSHIFT 4              /* 1 << GROUP_LSHIFT == TFM_FUZZY_LANES: two halves of 8 */
_Static_assert(1 << GROUP_LSHIFT == TFM_FUZZY_LANES, "group lanes");

/* One Myers step of 8 lanes (as in narrow_scan); score counts R(0, t) per lane. */
#define LANES_STEP(eq, pv, mv, score, m)                                                   \
    do {                                                                                   \
        v8u16 xv_ = (eq) | (mv), xh_ = ((((eq) & (pv)) + (pv)) ^ (pv)) | (eq);             \
        v8u16 ph_ = (mv) | ~(xh_ | (pv)), mh_ = (pv) & xh_;                                \
        (score) += (v8i16)((ph_ >> ((m) - 1)) & 1) - (v8i16)((mh_ >> ((m) - 1)) & 1);      \
        ph_ <<= 1;                                                                         \
        mh_ <<= 1;                                                                         \
        (pv) = mh_ | ~(xv_ | ph_);                                                         \
        (mv) = ph_ & xv_;                                                                  \
    } while (0)

/* One chunk of a group's scan: as narrow_scan, but lane i runs pattern i over all the chunk's
 * positions (from lo + nstarts - 1 + m + k, clipped to n, down to lo), so one character load
 * feeds all the lanes; the two halves of 8 lanes are independent chains, which hides the
 * latency of a step. Columns pv16[x*16 + i] for position lo + x; start bits of lane i into
 * cand[i]. */
static void group_chunk(const tfm_fuzzy_group_t *g, const uint8_t *t, int32_t n, int32_t lo, int32_t nstarts,
                        uint16_t *pv16, uint16_t *mv16, uint64_t (*cand)[GROUP_CHUNK / 64 + 1])
{
    const int m = g->m;
    int32_t hi = lo + nstarts - 1 + m + g->k;
    if (hi > n) hi = n;
    v8u16 pa = ~(v8u16){0}, ma = (v8u16){0}, pb = pa, mb = ma, acca = ma, accb = ma;
    v8i16 sa = (v8i16){0} + (int16_t)m, sb = sa, kv = (v8i16){0} + (int16_t)g->k;
    uint16_t *pc = pv16 + 16 * (hi - lo), *mc = mv16 + 16 * (hi - lo);
    memcpy(pc, &pa, 16), memcpy(pc + 8, &pb, 16), memcpy(mc, &ma, 16), memcpy(mc + 8, &mb, 16);
    for (int32_t x = hi - lo - 1; x >= 0; x--) {
        const uint16_t *e = g->peq[t[lo + x]];
        v8u16 ea, eb;
        memcpy(&ea, e, 16), memcpy(&eb, e + 8, 16);
        LANES_STEP(ea, pa, ma, sa, m);
        LANES_STEP(eb, pb, mb, sb, m);
        pc = pv16 + 16 * x, mc = mv16 + 16 * x;
        memcpy(pc, &pa, 16), memcpy(pc + 8, &pb, 16), memcpy(mc, &ma, 16), memcpy(mc + 8, &mb, 16);
        acca = (acca << 1) | ((v8u16)(sa <= kv) & 1);
        accb = (accb << 1) | ((v8u16)(sb <= kv) & 1);
        if ((x & 15) == 0 && x < nstarts) {     /* bit b of lane i: start lo + x + b */
            uint16_t w[16];
            memcpy(w, &acca, 16), memcpy(w + 8, &accb, 16);
            for (int i = 0; i < 16; i++) cand[i][x >> 6] |= (uint64_t)w[i] << (x & 63);
        }
    }
}
#endif

size_t tfm_fuzzy_group_scan(const tfm_fuzzy_group_t *g, unsigned lanes, const char *text, size_t len,
                            tfm_fuzzy_match_t **out, size_t *cap, size_t *count)
{
    size_t nm = 0;
    lanes &= (1u << g->n) - 1;
    memset(count, 0, TFM_FUZZY_LANES * sizeof *count);
#ifdef TFM_FUZZY_NARROW
    if (g->m <= 16) {
        const int32_t n = (int32_t)len;
        if (len > INT32_MAX - CHUNK - 2 * 64) return 0;   /* spans are int32 */
        uint16_t pv16[TFM_FUZZY_LANES * (GROUP_CHUNK + 32 + 1)], mv16[TFM_FUZZY_LANES * (GROUP_CHUNK + 32 + 1)];
        uint64_t cand[TFM_FUZZY_LANES][GROUP_CHUNK / 64 + 1];
        int32_t anchor[TFM_FUZZY_LANES] = {0};
        dfs_t d = {.t = (const uint8_t *)text, .m = g->m, .k = g->k, .n = n, .qbits = 31, .lshift = GROUP_LSHIFT};
        for (int32_t s0 = 0; s0 <= n; s0 += GROUP_CHUNK) {
            int32_t nstarts = n + 1 - s0 < GROUP_CHUNK ? n + 1 - s0 : GROUP_CHUNK;
            memset(cand, 0, sizeof cand);
            group_chunk(g, d.t, n, s0, nstarts, pv16, mv16, cand);
            d.lo = s0;
            for (int i = 0; i < g->n; i++) {
                if (!(lanes >> i & 1)) continue;
                d.pat = g->f[i]->pat, d.pv16 = pv16 + i, d.mv16 = mv16 + i, d.anchor = anchor[i];
                size_t before = nm;
                nm = verify(&d, cand[i], s0, nstarts, (uint8_t)i, out, cap, nm);
                count[i] += nm - before;
                anchor[i] = d.anchor;
            }
        }
        by_lane(out, cap, nm, count);
        return nm;
    }
#endif
    tfm_fuzzy_match_t *one = NULL;          /* one pattern at a time */
    size_t one_cap = 0;
    for (int i = 0; i < g->n; i++) {
        if (!(lanes >> i & 1)) continue;
        count[i] = tfm_fuzzy_scan(g->f[i], text, len, &one, &one_cap);
        TFM_GROW(*out, *cap, nm + count[i] + 1);
        for (size_t j = 0; j < count[i]; j++) one[j].lane = (uint8_t)i, (*out)[nm++] = one[j];
    }
    free(one);
    return nm;
}
