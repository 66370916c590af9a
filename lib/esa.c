/* esa: TargetNet's extended seed alignment (see esa.h).
 *
 * With free gaps and 0/1 pair scores the score matrix S of Biopython's globaldx is the
 * longest-common-subsequence table under complementarity, so both entry points run Hyyro's
 * bit-parallel LCS over the <= 10 site positions: after miRNA letter r, bit j of v[r] is 0
 * exactly when S[r][j+1] = S[r][j] + 1.
 *
 * Traceback order. pairwise2 (_make_score_matrix_fast, _recover_alignments) marks at each cell
 * which moves reach the best score: 1 gap in the miRNA (left), 2 pair (diagonal), 4 gap in the
 * site (up), plus 8/16 for extending those gaps, and follows the lowest bit first, keeping the
 * others on a stack. Because S never decreases along a row or a column, bit 8 only occurs with
 * bit 1 and bit 16 only with bit 4, and the path taken first never reaches one of Biopython's
 * dead ends (a left move right after an up move from (r,c): S[r-1][c-1] = S[r-1][c] = S[r][c]
 * would give S[r][c-1] = S[r][c], so the walk would have gone left at (r,c) already). So the
 * first alignment is the greedy walk from the bottom-right corner:
 *   left      if S[r][c-1] == S[r][c]                        (bit c-1 of v[r] set)
 *   diagonal  else if a[r-1] pairs b[c-1] and S[r-1][c-1] == S[r][c] - 1
 *   up        otherwise (then S[r-1][c] == S[r][c]),
 * and on reaching row or column 0 the rest of the other sequence faces gaps. The test suite
 * checks this against a literal port of pairwise2's fill and stack traceback and against
 * Biopython's own output. */
#include "esa.h"

#include <stdint.h>

/* Letter codes: A C G U -> 0..3; anything else (N) -> 4, which pairs with nothing. The table
 * holds code + 1 so that unlisted bytes (0) wrap to 4. */
static const uint8_t code1[256] = { ['A'] = 1, ['C'] = 2, ['G'] = 3, ['U'] = 4 };

static inline int enc(char c)
{
    return (code1[(unsigned char)c] + 4) % 5;
}

/* For a site letter y, bit 16*x is set when a miRNA letter x pairs with y (A:U, G:C, G:U in
 * either order): shifting by the site position and OR-ing builds all four match masks at once. */
static const uint64_t site_bits[5] = {
    1ull << 48,              /* A: U */
    1ull << 32,              /* C: G */
    1ull << 16 | 1ull << 48, /* G: C, U */
    1ull << 0 | 1ull << 32,  /* U: A, G */
    0,                       /* N */
};

/* m[x]: site positions that miRNA letter x pairs with; m[4] (N) stays empty. */
static inline void match_masks(const char *b, int nb, uint32_t m[5])
{
    uint64_t acc = 0;
    for (int j = 0; j < nb; j++) acc |= site_bits[enc(b[j])] << j;
    m[0] = (uint32_t)(acc & 0xffff);
    m[1] = (uint32_t)(acc >> 16 & 0xffff);
    m[2] = (uint32_t)(acc >> 32 & 0xffff);
    m[3] = (uint32_t)(acc >> 48);
    m[4] = 0;
}

/* One LCS row step: the carry of v + u moves each used pairing to the next free one. */
static inline uint32_t lcs_step(uint32_t v, uint32_t match)
{
    uint32_t u = v & match;
    return (v + u) | (v - u);
}

/* S[r][n] from v[r]: the zero bits among the first n (<= 10) positions. */
static inline int zeros(uint32_t v, int n)
{
    uint32_t x = ~v & ((1u << n) - 1);
    x = x - (x >> 1 & 0x5555);
    x = (x & 0x3333) + (x >> 2 & 0x3333);
    x = (x + (x >> 4)) & 0x0f0f;
    return (int)((x + (x >> 8)) & 0x1f);
}

int tfm_esa_score(const char *a, int na, const char *b, int nb)
{
    uint32_t m[5];
    match_masks(b, nb, m);
    uint32_t v = ~0u;
    for (int i = 0; i < na; i++) v = lcs_step(v, m[enc(a[i])]);
    return zeros(v, nb);
}

int tfm_esa_align(const char *a, int na, const char *b, int nb, tfm_esa_t *out)
{
    uint32_t m[5], v[TFM_ESA_LEN + 1], am[TFM_ESA_LEN];
    match_masks(b, nb, m);
    v[0] = ~0u;
    for (int i = 0; i < na; i++) {
        am[i] = m[enc(a[i])];
        v[i + 1] = lcs_step(v[i], am[i]);
    }
    int score = zeros(v[na], nb);

    /* Walk back from (na, nb), writing both strings from their ends. */
    char ra[TFM_ESA_MAXALN], rb[TFM_ESA_MAXALN];
    int r = na, c = nb, k = 0, s = score; /* s = S[r][c] */
    while (r > 0 && c > 0) {
        uint32_t bit = 1u << (c - 1);
        if (v[r] & bit) {
            c--;
            ra[k] = '-', rb[k] = b[c];
        } else if ((am[r - 1] & bit) && zeros(v[r - 1], c - 1) == s - 1) {
            r--, c--, s--;
            ra[k] = a[r], rb[k] = b[c];
        } else {
            r--;
            ra[k] = a[r], rb[k] = '-';
        }
        k++;
    }
    for (; r > 0; k++) r--, ra[k] = a[r], rb[k] = '-';
    for (; c > 0; k++) c--, ra[k] = '-', rb[k] = b[c];

    out->score = score;
    out->len = k;
    for (int i = 0; i < k; i++) {
        out->mirna[i] = ra[k - 1 - i];
        out->site[i] = rb[k - 1 - i];
    }
    out->mirna[k] = out->site[k] = '\0';
    return score;
}
