/* fuzzy: regex.finditer("(P){e<=k}", T) semantics (heads.md 4.2) against the regex vectors, the
 * seed-candidate vectors, and a direct transcription of the 4.2 pseudocode on random cases. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "fuzzy.h"
#include "util.h"

/* ------------------------------------------------------------------ reference: 4.2 verbatim */

static const char *rP, *rT;
static int rm, rn, rk, ranchor;
static int rcnt[3];

static int ref_dfs(int p, int t, int used)
{
    if (p == rm) return t;
    if (t < rn && rT[t] == rP[p]) return ref_dfs(p + 1, t + 1, used);
    if (used == rk) return -1;
    int r;
    if (t < rn) {
        r = ref_dfs(p + 1, t + 1, used + 1);
        if (r >= 0) return rcnt[0]++, r;
    }
    if (t < rn && t != ranchor) {
        r = ref_dfs(p, t + 1, used + 1);
        if (r >= 0) return rcnt[1]++, r;
    }
    r = ref_dfs(p + 1, t, used + 1);
    if (r >= 0) rcnt[2]++;
    return r;
}

static size_t ref_scan(const char *P, int k, const char *T, int n, tfm_fuzzy_match_t *out)
{
    size_t nm = 0;
    rP = P, rT = T, rm = (int)strlen(P), rn = n, rk = k, ranchor = 0;
    while (ranchor <= n) {
        int found = 0;
        for (int s = ranchor; s <= n; s++) {
            memset(rcnt, 0, sizeof rcnt);
            int e = ref_dfs(0, s, 0);
            if (e >= 0) {
                out[nm++] = (tfm_fuzzy_match_t){s, e, (uint8_t)rcnt[0], (uint8_t)rcnt[1], (uint8_t)rcnt[2], 0};
                ranchor = e > s ? e : e + 1;
                found = 1;
                break;
            }
        }
        if (!found) break;
    }
    return nm;
}

/* ------------------------------------------------------------------ helpers */

static void fmt_matches(char *buf, size_t cap, const tfm_fuzzy_match_t *m, size_t nm)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < nm && o + 48 < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%d:%d:%d,%d,%d", i ? " " : "", m[i].start, m[i].end, m[i].sub, m[i].ins, m[i].del);
}

static int same_match(const tfm_fuzzy_match_t *a, const tfm_fuzzy_match_t *b)
{
    return a->start == b->start && a->end == b->end && a->sub == b->sub && a->ins == b->ins && a->del == b->del;
}

/* Scan once through a shared handle; NULL handle counts as a failed check. */
static size_t scan(const char *P, int k, const char *T, size_t n, tfm_fuzzy_match_t **out, size_t *cap)
{
    tfm_fuzzy_t *f = tfm_fuzzy_new(P, k);
    CHECK(f != NULL, "tfm_fuzzy_new(%s, %d): %s", P, k, tfm_last_error());
    if (!f) return 0;
    size_t nm = tfm_fuzzy_scan(f, T, n, out, cap);
    tfm_fuzzy_free(f);
    return nm;
}

/* Split line at tabs in place; returns the number of fields. */
static int split_tabs(char *line, char **f, int max)
{
    int nf = 0;
    line[strcspn(line, "\r\n")] = 0;
    f[nf++] = line;
    for (char *p = line; *p && nf < max; p++)
        if (*p == '\t') *p = 0, f[nf++] = p + 1;
    return nf;
}

/* ------------------------------------------------------------------ 1. regex vectors */

static void test_regex_vectors(const char *specs)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/vectors/fuzzy_regex_vectors.tsv", specs);
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL, "cannot open %s", path);
    if (!fp) return;
    char *line = NULL, got[65536];
    size_t lcap = 0, cap = 0, ncase = 0, bad = 0;
    tfm_fuzzy_match_t *m = NULL;
    while (getline(&line, &lcap, fp) > 0) {
        if (line[0] == '#') continue;
        char *f[8];
        int nf = split_tabs(line, f, 8);
        if (nf < 3) continue;
        const char *want = nf > 3 ? f[3] : "";
        size_t nm = scan(f[0], atoi(f[1]), f[2], strlen(f[2]), &m, &cap);
        fmt_matches(got, sizeof got, m, nm);
        ncase++;
        if (strcmp(got, want) != 0) {
            if (bad++ < 5) CHECK_STR(got, want);
        }
    }
    CHECK_INT(ncase, 400);
    CHECK(bad == 0, "%zu of %zu regex vectors differ", bad, ncase);
    printf("regex vectors: %zu cases, %zu differ\n", ncase, bad);
    free(line);
    free(m);
    fclose(fp);
}

/* ------------------------------------------------------------------ 2. seed candidates */

#define NPAIRS 64

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void test_seed_candidates(const char *specs)
{
    char path[4200];
    char *pair_mi[NPAIRS] = {0}, *pair_mr[NPAIRS] = {0};
    char *line = NULL;
    size_t lcap = 0;
    snprintf(path, sizeof path, "%s/vectors/seed_pairs.tsv", specs);
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL, "cannot open %s", path);
    if (!fp) return;
    while (getline(&line, &lcap, fp) > 0) {
        if (line[0] == '#') continue;
        char *f[8];
        if (split_tabs(line, f, 8) < 5) continue;
        int id = atoi(f[0]);
        if (id < 0 || id >= NPAIRS) continue;
        pair_mi[id] = tfm_strdup(f[2]);
        pair_mr[id] = tfm_strdup(f[4]);
    }
    fclose(fp);

    snprintf(path, sizeof path, "%s/vectors/seed_candidates.tsv", specs);
    fp = fopen(path, "r");
    CHECK(fp != NULL, "cannot open %s", path);
    size_t rows = 0, cap = 0, scap = 0;
    tfm_fuzzy_match_t *m = NULL;
    int *stops = NULL;
    char *got = NULL, *want = NULL;
    size_t gcap = 0;
    while (fp && getline(&line, &lcap, fp) > 0) {
        if (line[0] == '#') continue;
        char *f[16];
        if (split_tabs(line, f, 16) < 11) continue;
        int id = atoi(f[0]);
        CHECK(id >= 0 && id < NPAIRS && pair_mr[id], "row for unknown pair %s", f[0]);
        if (id < 0 || id >= NPAIRS || !pair_mr[id]) continue;
        rows++;
        const char *mode = f[4], *pat = f[6], *mi = pair_mi[id], *mr = pair_mr[id];
        int k = atoi(f[7]), off = strcmp(mode, "offset-9-mer-m7") == 0 ? 1 : 0;
        int first = off ? 1 : 0, len = off ? 9 : 10;

        /* the row's pattern is the (reverse) complement of the seed (4.1, 5.1) */
        char exp[16];
        int rev = strncmp(f[5], "reverse", 7) == 0;
        for (int i = 0; i < len; i++) {
            char c = mi[first + i];
            char comp = c == 'A' ? 'U' : c == 'U' ? 'A' : c == 'G' ? 'C' : c == 'C' ? 'G' : '?';
            exp[rev ? len - 1 - i : i] = comp;
        }
        exp[len] = 0;
        CHECK_STR(pat, exp);
        CHECK_INT(k, len - (strcmp(mode, "10-mer-m6") == 0 ? 6 : 7));

        size_t n = strlen(mr), nm = scan(pat, k, mr, n, &m, &cap);
        if (gcap < 32 * nm + 64) {
            gcap = 32 * nm + 64;
            got = tfm_realloc(got, gcap);
            want = tfm_realloc(want, gcap + strlen(f[10]));
        }
        /* the vectors separate spans and counts both by ',': "s:e:a,b,c,s:e:a,b,c" */
        size_t o = 0;
        for (size_t i = 0; i < nm; i++)
            o += (size_t)snprintf(got + o, gcap - o, "%s%d:%d:%d,%d,%d", i ? "," : "", m[i].start, m[i].end, m[i].sub, m[i].ins, m[i].del);
        got[o] = 0;
        CHECK(strcmp(got, f[10]) == 0, "pair %d %s %s: spans differ:\n  got  %.200s\n  want %.200s", id, mode, f[5], got, f[10]);

        TFM_GROW(stops, scap, nm + 1);
        for (size_t i = 0; i < nm; i++) stops[i] = m[i].end + off;
        qsort(stops, nm, sizeof *stops, cmp_int);
        size_t nu = 0;
        for (size_t i = 0; i < nm; i++)
            if (nu == 0 || stops[nu - 1] != stops[i]) stops[nu++] = stops[i];
        o = 0;
        for (size_t i = 0; i < nu; i++) o += (size_t)snprintf(got + o, gcap - o, "%s%d", i ? "," : "", stops[i]);
        got[o] = 0;
        CHECK(strcmp(got, f[9]) == 0, "pair %d %s %s: stops differ:\n  got  %.200s\n  want %.200s", id, mode, f[5], got, f[9]);
        CHECK_INT(nu, atoi(f[8]));
    }
    CHECK_INT(rows, 72);
    printf("seed candidates: %zu rows\n", rows);
    if (fp) fclose(fp);
    for (int i = 0; i < NPAIRS; i++) free(pair_mi[i]), free(pair_mr[i]);
    free(line), free(m), free(stops), free(got), free(want);
}

/* ------------------------------------------------------------------ 3. random vs reference */

static uint64_t rng_state = 0x5eed2026f022aULL;

static uint64_t rng(void) /* SplitMix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rnd(int n) { return (int)(rng() % (uint64_t)n); }

static char rbase(void) { return "ACGU"[rnd(4)]; }

/* Random text: ACGU, some N, runs of one letter, and copies of P with a few random edits. */
static int make_text(char *t, int n, const char *P, int m, int k)
{
    int i = 0, style = rnd(4);
    while (i < n) {
        int r = rnd(100);
        if (style >= 2 && r < 6) { /* plant P with up to k+1 edits */
            for (int j = 0; j < m && i < n; j++) {
                int e = rnd(m * 2 + 2) < k + 1 ? rnd(3) : 3;
                if (e == 0) t[i++] = rbase();                       /* substitution (maybe same) */
                else if (e == 1) { t[i++] = rbase(); if (i < n) t[i++] = P[j]; } /* insertion */
                else if (e == 2) continue;                          /* deletion */
                else t[i++] = P[j];
            }
        } else if (style >= 1 && r < 10) { /* run of one letter */
            char c = rnd(5) ? rbase() : 'N';
            for (int j = rnd(12) + 2; j > 0 && i < n; j--) t[i++] = c;
        } else {
            t[i++] = rnd(40) ? rbase() : 'N';
        }
    }
    t[n] = 0;
    return n;
}

static void test_random(void)
{
    enum { CASES = 200000 };
    char P[64], T[400], a[8192], b[8192];
    tfm_fuzzy_match_t *m = NULL, want[400];
    size_t cap = 0, done = 0, bad = 0, total_matches = 0;
    for (int c = 0; c < CASES; c++) {
        int m_len = rnd(3) ? 6 + rnd(7) : 20 + rnd(44);
        int k = rnd(5);
        if (k >= m_len) k = m_len - 1;
        for (int i = 0; i < m_len; i++) P[i] = rnd(60) ? rbase() : 'N';
        P[m_len] = 0;
        int n = rnd(8) ? rnd(301) : rnd(m_len + 3);
        make_text(T, n, P, m_len, k);
        tfm_fuzzy_t *f = tfm_fuzzy_new(P, k);
        size_t nm = tfm_fuzzy_scan(f, T, (size_t)n, &m, &cap);
        tfm_fuzzy_free(f);
        size_t nw = ref_scan(P, k, T, n, want);
        total_matches += nw;
        done++;
        int same = nm == nw;
        for (size_t i = 0; same && i < nm; i++) same = same_match(&m[i], &want[i]);
        if (!same && bad++ < 5) {
            fmt_matches(a, sizeof a, m, nm);
            fmt_matches(b, sizeof b, want, nw);
            CHECK(0, "P=%s k=%d T=%s\n  got  %s\n  want %s", P, k, T, a, b);
        }
    }
    CHECK(bad == 0, "%zu of %zu random cases differ from the reference", bad, done);
    CHECK_INT(done, CASES);
    CHECK(total_matches > done / 2, "only %zu matches in %zu cases: generator too weak", total_matches, done);
    printf("random vs reference: %zu cases compared, %zu matches, %zu differ\n", done, total_matches, bad);
    free(m);
}

/* ------------------------------------------------------------------ groups */

/* A group's scan gives each lane asked for what tfm_fuzzy_scan gives its pattern alone: random
 * groups of 1..TFM_FUZZY_LANES patterns (16 characters or fewer: one pass; longer: one pattern at
 * a time), texts of up to 3 chunks with copies of the patterns, random lane masks. */
static void test_groups(void)
{
    enum { CASES = 3000, N = 1400 };
    char P[TFM_FUZZY_LANES][64], *T = tfm_malloc(N + 1);
    tfm_fuzzy_match_t *got = NULL, *one = NULL;
    size_t gcap = 0, ocap = 0, bad = 0, total = 0, count[TFM_FUZZY_LANES];
    for (int c = 0; c < CASES; c++) {
        int np = 1 + rnd(TFM_FUZZY_LANES), m_len = rnd(6) ? 6 + rnd(11) : 17 + rnd(10), k = rnd(5);
        if (k >= m_len) k = m_len - 1;
        tfm_fuzzy_t *f[TFM_FUZZY_LANES];
        for (int i = 0; i < np; i++) {
            for (int j = 0; j < m_len; j++) P[i][j] = rbase();
            P[i][m_len] = 0;
            f[i] = tfm_fuzzy_new(P[i], k);
        }
        int n = rnd(10) ? rnd(N + 1) : rnd(m_len + 3);
        make_text(T, n, P[rnd(np)], m_len, k);
        unsigned lanes = rnd(4) ? (unsigned)rng() : ~0u;
        tfm_fuzzy_group_t *g = tfm_fuzzy_group_new((const tfm_fuzzy_t *const *)f, np);
        size_t nm = tfm_fuzzy_group_scan(g, lanes, T, (size_t)n, &got, &gcap, count), at = 0;
        int same = 1;
        for (int i = 0; i < np; i++) {
            size_t nw = lanes >> i & 1 ? tfm_fuzzy_scan(f[i], T, (size_t)n, &one, &ocap) : 0;
            same &= count[i] == nw;
            for (size_t j = 0; same && j < nw; j++) same = at + j < nm && same_match(&got[at + j], &one[j]) && got[at + j].lane == i;
            at += nw, total += nw;
        }
        same &= at == nm;
        if (!same && bad++ < 3) CHECK(0, "group of %d patterns of %d, k=%d, %d nt, lanes %x: differs", np, m_len, k, n, lanes);
        tfm_fuzzy_group_free(g);
        for (int i = 0; i < np; i++) tfm_fuzzy_free(f[i]);
    }
    CHECK(bad == 0, "%zu of %d groups differ from their patterns' own scans", bad, CASES);
    CHECK(total > CASES, "only %zu matches in %d groups", total, CASES);
    tfm_fuzzy_t *a = tfm_fuzzy_new("ACGUAC", 1), *b = tfm_fuzzy_new("ACGUACG", 1), *c = tfm_fuzzy_new("ACGUAC", 2);
    const tfm_fuzzy_t *ab[] = {a, b}, *ac[] = {a, c};
    CHECK(tfm_fuzzy_group_new(ab, 2) == NULL, "patterns of two lengths grouped");
    CHECK(tfm_fuzzy_group_new(ac, 2) == NULL, "patterns of two budgets grouped");
    CHECK(tfm_fuzzy_group_new(ab, 0) == NULL, "an empty group made");
    tfm_fuzzy_free(a), tfm_fuzzy_free(b), tfm_fuzzy_free(c);
    printf("groups vs single scans: %d groups, %zu matches\n", CASES, total);
    free(T), free(got), free(one);
}

/* ------------------------------------------------------------------ edge cases */

static void test_edges(void)
{
    CHECK(tfm_fuzzy_new("", 0) == NULL, "empty pattern accepted");
    CHECK(tfm_fuzzy_new("ACG", 3) == NULL, "k = m accepted");
    CHECK(tfm_fuzzy_new("ACG", -1) == NULL, "k < 0 accepted");
    char big[80];
    memset(big, 'A', 64), big[64] = 0;
    CHECK(tfm_fuzzy_new(big, 1) == NULL, "64-nt pattern accepted");
    big[63] = 0;
    tfm_fuzzy_t *f = tfm_fuzzy_new(big, 0);
    CHECK(f != NULL, "63-nt pattern rejected: %s", tfm_last_error());
    tfm_fuzzy_free(f);

    tfm_fuzzy_match_t *m = NULL;
    size_t cap = 0;
    CHECK_INT(scan("ACGU", 1, "", 0, &m, &cap), 0);
    /* exact matches, non-overlapping, then the text end: last one by trailing deletion */
    size_t nm = scan("ACGU", 1, "ACGUACGUACG", 11, &m, &cap);
    CHECK_INT(nm, 3);
    if (nm == 3) {
        CHECK_INT(m[2].start, 8);
        CHECK_INT(m[2].end, 11);
        CHECK_INT(m[2].del, 1);
    }
    /* no insertion at the anchor: "XACGU" must not match from 0 with an inserted X */
    nm = scan("ACGU", 1, "XACGU", 5, &m, &cap);
    CHECK(nm == 1 && m[0].start == 1 && m[0].end == 5, "first match %d:%d", nm ? m[0].start : -1, nm ? m[0].end : -1);
    /* but later it may: the second match begins with an inserted X */
    nm = scan("ACGU", 1, "ACGUUUXACGU", 11, &m, &cap);
    CHECK(nm == 2 && m[1].start == 6 && m[1].end == 11 && m[1].ins == 1, "second match %d:%d", nm > 1 ? m[1].start : -1, nm > 1 ? m[1].end : -1);

    /* long texts (several filter chunks, all lanes) against the reference */
    enum { N = 6000 };
    char *t = tfm_malloc(N + 1), P[64];
    tfm_fuzzy_match_t *want = tfm_malloc((N + 1) * sizeof *want);
    size_t bad = 0, cases = 0;
    for (int c = 0; c < 300; c++) {
        int m_len = c % 3 ? 6 + rnd(7) : 17 + rnd(47), k = rnd(5), n = 900 + rnd(N - 900);
        if (k >= m_len) k = m_len - 1;
        for (int i = 0; i < m_len; i++) P[i] = rbase();
        P[m_len] = 0;
        make_text(t, n, P, m_len, k);
        nm = scan(P, k, t, (size_t)n, &m, &cap);
        size_t nw = ref_scan(P, k, t, n, want);
        int same = nm == nw;
        for (size_t j = 0; same && j < nm; j++) same = same_match(&m[j], &want[j]);
        cases++;
        if (!same && bad++ < 3) CHECK(0, "%s k=%d on %d nt: %zu vs %zu matches", P, k, n, nm, nw);
    }
    CHECK(bad == 0, "%zu of %zu long texts differ", bad, cases);
    printf("long texts vs reference: %zu cases compared\n", cases);
    free(t), free(want), free(m);
}

/* ------------------------------------------------------------------ threads */

typedef struct {
    const tfm_fuzzy_t *f;
    const char *t;
    size_t n, nm;
    tfm_fuzzy_match_t *m;
    size_t cap;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    for (int r = 0; r < 20; r++) j->nm = tfm_fuzzy_scan(j->f, j->t, j->n, &j->m, &j->cap);
    return NULL;
}

/* One shared handle, four threads, each must get the single-threaded answer. */
static void test_threads(void)
{
    enum { N = 50000, T = 4 };
    char *t = tfm_malloc(N + 1);
    make_text(t, N, "AAGUGCAAU", 9, 2);
    tfm_fuzzy_t *f = tfm_fuzzy_new("AAGUGCAAU", 2);
    tfm_fuzzy_match_t *want = NULL;
    size_t wcap = 0, nw = tfm_fuzzy_scan(f, t, N, &want, &wcap);
    job_t jobs[T];
    pthread_t th[T];
    for (int i = 0; i < T; i++) {
        jobs[i] = (job_t){f, t, N, 0, NULL, 0};
        pthread_create(&th[i], NULL, run_job, &jobs[i]);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        int same = jobs[i].nm == nw;
        for (size_t j = 0; same && j < nw; j++) same = same_match(&jobs[i].m[j], &want[j]);
        CHECK(same, "thread %d: %zu matches, want %zu", i, jobs[i].nm, nw);
        free(jobs[i].m);
    }
    CHECK(nw > 100, "only %zu matches in %d nt", nw, N);
    tfm_fuzzy_free(f);
    free(want), free(t);
}

int main(void)
{
    test_edges();
    test_threads();
    test_random();
    test_groups();
    const char *specs = check_specs_dir("fuzzy vectors");
    if (specs) {
        test_regex_vectors(specs);
        test_seed_candidates(specs);
    }
    return check_summary();
}
