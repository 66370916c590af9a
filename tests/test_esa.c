/* esa: Biopython's alignments (vectors from tests/vectors/make_esa_vectors.py); the fast score
 * and alignment against a naive DP and a literal port of pairwise2 on random inputs; the window
 * counts of a whole miRAW test set. */
#include <stdint.h>

#include "check.h"
#include "esa.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

static int pairs(char x, char y)
{
    return (x == 'A' && y == 'U') || (x == 'U' && y == 'A') || (x == 'G' && y == 'C') ||
           (x == 'C' && y == 'G') || (x == 'G' && y == 'U') || (x == 'U' && y == 'G');
}

/* Reference: longest common subsequence under complementarity, plain O(na*nb) DP. */
static int naive_lcs(const char *a, int na, const char *b, int nb)
{
    int d[TFM_ESA_LEN + 1][TFM_ESA_LEN + 1] = { { 0 } };
    for (int i = 1; i <= na; i++)
        for (int j = 1; j <= nb; j++) {
            int v = d[i - 1][j - 1] + pairs(a[i - 1], b[j - 1]);
            if (d[i - 1][j] > v) v = d[i - 1][j];
            if (d[i][j - 1] > v) v = d[i][j - 1];
            d[i][j] = v;
        }
    return d[na][nb];
}

/* ---- Reference: a literal port of Biopython 1.80 pairwise2 for globaldx with zero gap
 * penalties and one_alignment_only=True - the score/trace fill of _make_score_matrix_fast and
 * the stack-driven traceback of _recover_alignments / _find_gap_open, with its fallback on the
 * transposed matrices. Slow and direct; lib/esa.c's greedy walk must agree with it. ---- */

#define N1 (TFM_ESA_LEN + 1)


/* Trace bits as in pairwise2: 1 open gap in A (take a B letter), 2 pair, 4 open gap in B (take
 * an A letter), 8 extend gap in A, 16 extend gap in B. Borders (row or column 0) are 0, which
 * plays the role of Biopython's None. */
typedef struct {
    int lena, lenb;
    const char *sa, *sb;
    int s[N1][N1];
    uint8_t t[N1][N1];
} mat_t;

static void fill(mat_t *x, const char *a, int na, const char *b, int nb)
{
    x->lena = na, x->lenb = nb, x->sa = a, x->sb = b;
    for (int i = 0; i <= na; i++) x->s[i][0] = 0, x->t[i][0] = 0;
    for (int j = 0; j <= nb; j++) x->s[0][j] = 0, x->t[0][j] = 0;
    int col_score[N1] = { 0 };
    for (int r = 1; r <= na; r++) {
        int row_score = 0;
        for (int c = 1; c <= nb; c++) {
            int nogap = x->s[r - 1][c - 1] + pairs(a[r - 1], b[c - 1]);
            int row_open = x->s[r][c - 1], row_ext = row_score;
            row_score = row_open > row_ext ? row_open : row_ext;
            int col_open = x->s[r - 1][c], col_ext = col_score[c];
            col_score[c] = col_open > col_ext ? col_open : col_ext;
            int best = row_score > col_score[c] ? row_score : col_score[c];
            if (nogap > best) best = nogap;
            x->s[r][c] = best;
            int rt = (row_open == row_score) | (row_ext == row_score) << 3;
            int ct = (col_open == col_score[c]) << 2 | (col_ext == col_score[c]) << 4;
            int t = (nogap == best) << 1;
            if (row_score == best) t += rt;
            if (col_score[c] == best) t += ct;
            x->t[r][c] = (uint8_t)t;
        }
    }
}

/* One pending traceback: the alignment so far (built backwards), position, whether the last
 * step opened a gap in B, and the trace bits still to try at this cell. */
typedef struct {
    char a[TFM_ESA_MAXALN], b[TFM_ESA_MAXALN];
    uint8_t len, row, col, col_gap, trace;
} path_t;

typedef struct {
    path_t *p;
    size_t n, cap;
    path_t local[64];
} pstack_t;

static void push(pstack_t *st, const path_t *p)
{
    if (st->n == st->cap) {
        size_t cap = st->cap * 2;
        path_t *np = tfm_malloc(cap * sizeof *np);
        memcpy(np, st->p, st->n * sizeof *np);
        if (st->p != st->local) free(st->p);
        st->p = np, st->cap = cap;
    }
    st->p[st->n++] = *p;
}

static inline void put(path_t *p, char ca, char cb)
{
    p->a[p->len] = ca, p->b[p->len] = cb, p->len++;
}

/* _find_gap_open: walk an extended gap to every cell where it may have opened, pushing each
 * as an alternative start; the current path continues from the far end. dir_col: the gap is
 * in A (walk left along the row), else in B (walk up the column). Returns dead_end. */
static int find_gap_open(const mat_t *x, path_t *p, pstack_t *st, int dir_col)
{
    int dead_end = 0;
    int target_score = x->s[p->row][p->col];
    int target = dir_col ? p->col : p->row;
    for (int n = 0; n < target; n++) {
        if (dir_col) {
            p->col--;
            put(p, '-', x->sb[p->col]);
        } else {
            p->row--;
            put(p, x->sa[p->row], '-');
        }
        int tr = x->t[p->row][p->col];
        if (x->s[p->row][p->col] == target_score && n > 0) {
            if (!tr) break;
            path_t alt = *p;
            alt.trace = (uint8_t)tr;
            push(st, &alt);
        }
        if (!tr) dead_end = 1;
    }
    return dead_end;
}

/* _recover_alignments for the global start, one alignment only. Returns 1 with the finished
 * path in *res (strings backwards, not terminated), 0 if every path dead-ends. */
static int recover(const mat_t *x, path_t *res)
{
    pstack_t st;
    st.p = st.local, st.n = 0, st.cap = sizeof st.local / sizeof st.local[0];
    path_t start = { .len = 0, .row = (uint8_t)x->lena, .col = (uint8_t)x->lenb, .col_gap = 0,
                     .trace = x->t[x->lena][x->lenb] };
    push(&st, &start);
    int found = 0;
    while (st.n && !found) {
        path_t p = st.p[--st.n];
        int trace = p.trace, dead_end = 0;
        while ((p.row > 0 || p.col > 0) && !dead_end) {
            path_t cache = p;
            if (!trace) {
                if (p.col && p.col_gap) {
                    dead_end = 1;
                } else {
                    /* _finish_backtrace: the rest of both sequences, the shorter padded. */
                    int la = p.len, lb = p.len;
                    for (int r = p.row - 1; r >= 0; r--) p.a[la++] = x->sa[r];
                    for (int c = p.col - 1; c >= 0; c--) p.b[lb++] = x->sb[c];
                    while (lb < la) p.b[lb++] = '-';
                    while (la < lb) p.a[la++] = '-';
                    p.len = (uint8_t)la;
                }
                break;
            } else if (trace & 1) {
                trace -= 1;
                if (p.col_gap) {
                    dead_end = 1;
                } else {
                    p.col--;
                    put(&p, '-', x->sb[p.col]);
                    p.col_gap = 0;
                }
            } else if (trace & 2) {
                trace -= 2;
                p.row--, p.col--;
                put(&p, x->sa[p.row], x->sb[p.col]);
                p.col_gap = 0;
            } else if (trace & 4) {
                trace -= 4;
                p.row--;
                put(&p, x->sa[p.row], '-');
                p.col_gap = 1;
            } else if (trace & 8) {
                trace -= 8;
                if (p.col_gap) {
                    dead_end = 1;
                } else {
                    p.col_gap = 0;
                    dead_end = find_gap_open(x, &p, &st, 1);
                }
            } else { /* 16 */
                trace -= 16;
                p.col_gap = 1;
                dead_end = find_gap_open(x, &p, &st, 0);
            }
            if (trace) {
                cache.trace = (uint8_t)trace;
                push(&st, &cache);
            }
            trace = x->t[p.row][p.col];
        }
        if (!dead_end) {
            *res = p;
            found = 1;
        }
    }
    if (st.p != st.local) free(st.p);
    return found;
}

static void emit(const path_t *p, const char *rev_a, const char *rev_b, tfm_esa_t *out)
{
    /* Paths are built from the end backwards. */
    out->len = p->len;
    for (int k = 0; k < p->len; k++) {
        out->mirna[k] = rev_a[p->len - 1 - k];
        out->site[k] = rev_b[p->len - 1 - k];
    }
    out->mirna[p->len] = out->site[p->len] = '\0';
}

static int ref_align(const char *a, int na, const char *b, int nb, tfm_esa_t *out)
{
    mat_t x = { 0 };
    fill(&x, a, na, b, nb);
    int score = x.s[na][nb];
    out->score = score;
    path_t p;
    if (na == 0 || nb == 0) {
        /* Biopython returns no alignment for an empty input; give the other sequence against
         * gaps (the only global alignment). */
        p.len = 0;
        for (int i = 0; i < na; i++) put(&p, a[na - 1 - i], '-');
        for (int j = 0; j < nb; j++) put(&p, '-', b[nb - 1 - j]);
        emit(&p, p.a, p.b, out);
        return score;
    }
    if (recover(&x, &p)) {
        emit(&p, p.a, p.b, out);
        return score;
    }
    /* Every path dead-ended: Biopython retries with A and B (and the matrices) swapped. */
    mat_t y;
    y.lena = nb, y.lenb = na, y.sa = b, y.sb = a;
    for (int i = 0; i <= na; i++)
        for (int j = 0; j <= nb; j++) {
            y.s[j][i] = x.s[i][j];
            int t = x.t[i][j]; /* gap-in-A and gap-in-B bits trade places */
            y.t[j][i] = (uint8_t)((t & 2) | (t & 1) << 2 | (t & 4) >> 2 | (t & 8) << 1 | (t & 16) >> 1);
        }
    if (recover(&y, &p)) {
        emit(&p, p.b, p.a, out);
        return score;
    }
    /* Not reached for these scores (pairwise2 would return an empty list); keep a defined
     * result: no alignment strings. */
    out->len = 0;
    out->mirna[0] = out->site[0] = '\0';
    return score;
}

/* The gapped strings must spell the inputs and pair exactly `score` columns. */
static int valid_alignment(const char *a, int na, const char *b, int nb, const tfm_esa_t *e)
{
    if ((int)strlen(e->mirna) != e->len || (int)strlen(e->site) != e->len) return 0;
    int ia = 0, ib = 0, paired = 0;
    for (int k = 0; k < e->len; k++) {
        char x = e->mirna[k], y = e->site[k];
        if (x == '-' && y == '-') return 0;
        if (x != '-' && (ia >= na || a[ia++] != x)) return 0;
        if (y != '-' && (ib >= nb || b[ib++] != y)) return 0;
        paired += x != '-' && y != '-' && pairs(x, y);
    }
    return ia == na && ib == nb && paired == e->score;
}

static void test_vectors(void)
{
    tfm_tsv_t *t = tfm_tsv_open("vectors/esa_biopython.tsv.gz", 1, 0, NULL);
    CHECK(t != NULL, "%s", tfm_last_error());
    if (!t) return;
    int cm = tfm_tsv_need(t, "mirna"), cs = tfm_tsv_need(t, "site"), csc = tfm_tsv_need(t, "score");
    int cam = tfm_tsv_need(t, "aln_mirna"), cas = tfm_tsv_need(t, "aln_site");
    long rows = 0, bad = 0, short_rows = 0, with_n = 0;
    int per_score[TFM_ESA_LEN + 1] = { 0 };
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        const char *a = t->f[cm], *b = t->f[cs];
        int na = (int)t->flen[cm], nb = (int)t->flen[cs];
        long want;
        if (na > TFM_ESA_LEN || nb > TFM_ESA_LEN || tfm_parse_long(t->f[csc], 0, 10, &want)) {
            bad++;
            printf("not ok: vector line %ld malformed\n", t->lineno);
            continue;
        }
        rows++;
        per_score[want]++;
        short_rows += na < TFM_ESA_LEN || nb < TFM_ESA_LEN;
        with_n += strchr(a, 'N') || strchr(b, 'N');
        tfm_esa_t e;
        int s = tfm_esa_align(a, na, b, nb, &e);
        int fast = tfm_esa_score(a, na, b, nb);
        tfm_esa_t ref;
        ref_align(a, na, b, nb, &ref);
        if (s != want || e.score != want || fast != want || strcmp(e.mirna, t->f[cam]) ||
            strcmp(e.site, t->f[cas]) || e.len != (int)t->flen[cam] || strcmp(ref.mirna, t->f[cam]) ||
            strcmp(ref.site, t->f[cas])) {
            if (++bad <= 10)
                printf("not ok: vector line %ld: %s %s: want %ld %s %s, got %d/%d %s %s\n",
                       t->lineno, a, b, want, t->f[cam], t->f[cas], s, fast, e.mirna, e.site);
        }
    }
    CHECK_INT(r, 0);
    tfm_tsv_close(t);
    CHECK(rows >= 12000, "only %ld vector rows", rows);
    for (int k = 0; k <= TFM_ESA_LEN; k++) CHECK(per_score[k] > 0, "no vector with score %d", k);
    CHECK(short_rows > 0 && with_n > 0, "short %ld, with N %ld", short_rows, with_n);
    CHECK(bad == 0, "%ld of %ld vector rows differ from Biopython", bad, rows);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
    return (uint32_t)((rng_state >> 32) % n);
}

static void test_random(void)
{
    static const char *alphabets[] = { "ACGU", "ACGUN", "AU", "GU", "GC", "AGN", "N" };
    const int trials = 200000;
    long bad_score = 0, bad_aln = 0, bad_ref = 0;
    for (int k = 0; k < trials; k++) {
        const char *al = alphabets[rnd(7)], *bl = alphabets[rnd(7)];
        size_t nal = strlen(al), nbl = strlen(bl);
        int na = k % 4 ? 10 : (int)rnd(11), nb = k % 5 ? 10 : (int)rnd(11);
        char a[TFM_ESA_LEN + 1], b[TFM_ESA_LEN + 1];
        for (int i = 0; i < na; i++) a[i] = al[rnd((uint32_t)nal)];
        for (int j = 0; j < nb; j++) b[j] = bl[rnd((uint32_t)nbl)];
        a[na] = b[nb] = '\0';
        int want = naive_lcs(a, na, b, nb);
        tfm_esa_t e;
        int s = tfm_esa_align(a, na, b, nb, &e);
        int fast = tfm_esa_score(a, na, b, nb);
        tfm_esa_t ref;
        int rs = ref_align(a, na, b, nb, &ref);
        if (s != want || fast != want || e.score != want || rs != want) {
            if (++bad_score <= 5)
                printf("not ok: %s %s: naive %d, align %d, score %d, reference %d\n", a, b, want, s, fast, rs);
        } else if (!valid_alignment(a, na, b, nb, &e)) {
            if (++bad_aln <= 5) printf("not ok: %s %s: bad alignment %s / %s\n", a, b, e.mirna, e.site);
        } else if (strcmp(e.mirna, ref.mirna) || strcmp(e.site, ref.site) || e.len != ref.len) {
            if (++bad_ref <= 5)
                printf("not ok: %s %s: %s / %s, reference %s / %s\n", a, b, e.mirna, e.site, ref.mirna, ref.site);
        }
    }
    CHECK(bad_score == 0, "%ld of %d random inputs: score differs from the naive DP", bad_score, trials);
    CHECK(bad_aln == 0, "%ld of %d random inputs: alignment inconsistent", bad_aln, trials);
    CHECK(bad_ref == 0, "%ld of %d random inputs: alignment differs from the pairwise2 port", bad_ref, trials);
}

static void test_cases(void)
{
    tfm_esa_t e;
    /* A perfect seed match: every column pairs, no gaps. */
    CHECK_INT(tfm_esa_align("UGAGGUAGUA", 10, "ACUCCAUCAU", 10, &e), 10);
    CHECK_STR(e.mirna, "UGAGGUAGUA");
    CHECK_STR(e.site, "ACUCCAUCAU");
    CHECK_INT(e.len, 10);
    /* Nothing pairs: Biopython's first alignment puts all of A before all of B (checked with
     * pairwise2), not the gap-free diagonal. */
    CHECK_INT(tfm_esa_align("AAAAAAAAAA", 10, "AAAAAAAAAA", 10, &e), 0);
    CHECK_STR(e.mirna, "AAAAAAAAAA----------");
    CHECK_STR(e.site, "----------AAAAAAAAAA");
    CHECK_INT(tfm_esa_align("ACG", 3, "A", 1, &e), 0);
    CHECK_STR(e.mirna, "ACG-");
    CHECK_STR(e.site, "---A");
    CHECK_INT(tfm_esa_score("NNNNNNNNNN", 10, "UUUUUUUUUU", 10), 0);
    /* Empty input (Biopython gives no alignment): the other side against gaps. */
    CHECK_INT(tfm_esa_align("ACG", 3, "", 0, &e), 0);
    CHECK_STR(e.mirna, "ACG");
    CHECK_STR(e.site, "---");
    CHECK_INT(tfm_esa_score("", 0, "ACG", 3), 0);
}

/* Every 40-nt window of each reversed UTR of miRAW_Test0, TargetNet's selection (score >= 6). */
static void test_scan(void)
{
    const char *dir = check_data_dir("esa scan of miRAW_Test0");
    if (!dir) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/miraw/test/miRAW_Test0.txt.gz", dir);
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    CHECK(t != NULL, "%s", tfm_last_error());
    if (!t) return;
    int cm = tfm_tsv_need(t, "mirna_seq"), cu = tfm_tsv_need(t, "mrna_seq"), cl = tfm_tsv_need(t, "label");
    long windows = 0, kept = 0, none[2] = { 0, 0 }, bad = 0;
    char *rev = NULL;
    size_t cap = 0;
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        char *m = t->f[cm], *u = t->f[cu];
        size_t nm = t->flen[cm], nu = t->flen[cu];
        if (tfm_seq_normalise(m, nm, TFM_ALPHA_ACGU) >= 0 || tfm_seq_normalise(u, nu, TFM_ALPHA_ACGUN) >= 0 ||
            nm < TFM_ESA_LEN) {
            bad++;
            continue;
        }
        TFM_GROW(rev, cap, nu + 1);
        for (size_t i = 0; i < nu; i++) rev[i] = u[nu - 1 - i];
        long pair_kept = 0;
        for (size_t off = 0; off + 40 <= nu; off++) {
            windows++;
            pair_kept += tfm_esa_score(m, TFM_ESA_LEN, rev + off + 5, TFM_ESA_LEN) >= 6;
        }
        kept += pair_kept;
        if (!pair_kept) none[t->f[cl][0] == '1']++;
    }
    CHECK_INT(r, 0);
    free(rev);
    tfm_tsv_close(t);
    CHECK_INT(bad, 0);
    CHECK_INT(windows, 2245288);
    CHECK_INT(kept, 1500688);
    CHECK_INT(none[1], 10);
    CHECK_INT(none[0], 2);
}

int main(void)
{
    test_cases();
    test_vectors();
    test_random();
    test_scan();
    return check_summary();
}
