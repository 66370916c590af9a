/* bench_fuzzy: throughput of tfm_fuzzy_scan for the three seed modes (9-mer k=2, 10-mer k=3,
 * 10-mer k=4) with patterns from real miRNAs, on real 3'UTRs ($TFM_DATA/miraw/test/miRAW_Test0,
 * unique mRNAs, upper case, T->U) or, without the data, a fixed pseudo-random 5 Mnt text.
 * Single thread: the figures are per core. Usage: bench_fuzzy [REPEATS (3)] [NPATTERNS (8)] [MODE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzzy.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

typedef struct {
    char **seq;
    size_t *len, n, cap, total;
    char **mirna;
    size_t nmirna;
} corpus_t;

static void add_seq(corpus_t *c, char *s, size_t len)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->seq = tfm_realloc(c->seq, c->cap * sizeof *c->seq);
        c->len = tfm_realloc(c->len, c->cap * sizeof *c->len);
    }
    c->seq[c->n] = s;
    c->len[c->n++] = len;
    c->total += len;
}

/* Unique mRNAs and miRNAs of a miRAW test file; 0 on success. */
static int load_miraw(corpus_t *c, const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) return -1;
    int cm = tfm_tsv_need(t, "mrna_id"), cs = tfm_tsv_need(t, "mrna_seq"), ci = tfm_tsv_need(t, "mirna_seq");
    if (cm < 0 || cs < 0 || ci < 0) {
        tfm_tsv_close(t);
        return -1;
    }
    char **ids = NULL;
    size_t nid = 0;
    while (tfm_tsv_read(t) == 1) {
        int dup = 0;
        for (size_t i = 0; i < nid && !dup; i++) dup = strcmp(ids[i], t->f[cm]) == 0;
        if (!dup) {
            ids = tfm_realloc(ids, (nid + 1) * sizeof *ids);
            ids[nid++] = tfm_strdup(t->f[cm]);
            char *s = tfm_strdup(t->f[cs]);
            tfm_seq_normalise(s, t->flen[cs], TFM_ALPHA_ACGUN);
            add_seq(c, s, t->flen[cs]);
        }
        dup = 0;
        for (size_t i = 0; i < c->nmirna && !dup; i++) dup = strcmp(c->mirna[i], t->f[ci]) == 0;
        if (!dup) {
            c->mirna = tfm_realloc(c->mirna, (c->nmirna + 1) * sizeof *c->mirna);
            char *s = tfm_strdup(t->f[ci]);
            tfm_seq_normalise(s, t->flen[ci], TFM_ALPHA_ACGUN);
            c->mirna[c->nmirna++] = s;
        }
    }
    for (size_t i = 0; i < nid; i++) free(ids[i]);
    free(ids);
    tfm_tsv_close(t);
    return 0;
}

/* CPU seconds of this thread: the machine is shared, so wall time overstates the cost. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 42;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Fallback: 5 Mnt in 2 kb "UTRs" of uniform ACGU, and a few human miRNAs. */
static void make_random(corpus_t *c)
{
    static const char *mirs[] = {"UGAGGUAGUAGGUUGUAUAGUU", "CAUUGCACUUGUCUCGGUCUGA", "GUGCAUUGUAGUUGCAUUGCA",
                                 "UAGCUUAUCAGACUGAUGUUGA", "UGGAAUGUAAAGAAGUAUGUAU", "UAAAGUGCUUAUAGUGCAGGUAG",
                                 "AGCAGCAUUGUACAGGGCUAUGA", "UCCCUGAGACCCUUUAACCUGUGA"};
    for (int r = 0; r < 2500; r++) {
        char *s = tfm_malloc(2001);
        for (int i = 0; i < 2000; i++) s[i] = "ACGU"[rng() & 3];
        s[2000] = 0;
        add_seq(c, s, 2000);
    }
    c->nmirna = sizeof mirs / sizeof *mirs;
    c->mirna = tfm_malloc(c->nmirna * sizeof *c->mirna);
    for (size_t i = 0; i < c->nmirna; i++) c->mirna[i] = tfm_strdup(mirs[i]);
}

/* reverse(complement(mi[first .. first+len))), the fixed pattern of heads.md 5.1 */
static void seed_pattern(const char *mi, int first, int len, char *out)
{
    for (int i = 0; i < len; i++) {
        char c = mi[first + i];
        out[len - 1 - i] = c == 'A' ? 'U' : c == 'U' ? 'A' : c == 'G' ? 'C' : 'G';
    }
    out[len] = 0;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 3, npat = argc > 2 ? atoi(argv[2]) : 8;
    const char *only = argc > 3 ? argv[3] : NULL;     /* one mode, e.g. for a profiler */
    if (reps < 1) reps = 1;
    if (npat < 1) npat = 1;
    corpus_t c = {0};
    const char *data = getenv("TFM_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/miraw/test/miRAW_Test0.txt.gz", data ? data : "../shared/data");
    const char *what = "miRAW_Test0 unique 3'UTRs";
    if (load_miraw(&c, path) != 0) {
        fprintf(stderr, "bench_fuzzy: %s; using a pseudo-random text\n", tfm_last_error());
        make_random(&c);
        what = "pseudo-random ACGU";
    }
    /* repeat the corpus to about 5 Mnt per pattern */
    int passes = (int)((5000000 + c.total - 1) / c.total);
    if ((size_t)npat > c.nmirna) npat = (int)c.nmirna;
    printf("bench_fuzzy: %s, %zu sequences, %.2f Mnt x %d passes; %d miRNA patterns; best of %d\n", what, c.n,
           c.total / 1e6, passes, npat, reps);

    static const struct { const char *mode; int first, len, k; } modes[] = {
        {"offset-9-mer-m7", 1, 9, 2}, {"10-mer-m7", 0, 10, 3}, {"10-mer-m6", 0, 10, 4}};
    tfm_fuzzy_match_t *out = NULL;
    size_t cap = 0;
    for (size_t mo = 0; mo < sizeof modes / sizeof *modes; mo++) {
        if (only && strcmp(only, modes[mo].mode) != 0) continue;
        double best = 1e30, best_wall = 1e30, nt = 0;
        size_t matches = 0;
        for (int r = 0; r < reps; r++) {
            double t0 = cpu_seconds(), w0 = tfm_seconds();
            size_t nm = 0;
            nt = 0;
            for (int p = 0; p < npat; p++) {
                char pat[16];
                seed_pattern(c.mirna[p], modes[mo].first, modes[mo].len, pat);
                tfm_fuzzy_t *f = tfm_fuzzy_new(pat, modes[mo].k);
                if (!f) {
                    fprintf(stderr, "bench_fuzzy: %s\n", tfm_last_error());
                    return 1;
                }
                for (int pass = 0; pass < passes; pass++)
                    for (size_t i = 0; i < c.n; i++) nm += tfm_fuzzy_scan(f, c.seq[i], c.len[i], &out, &cap);
                nt += (double)c.total * passes;
                tfm_fuzzy_free(f);
            }
            double dt = cpu_seconds() - t0, dw = tfm_seconds() - w0;
            if (dt < best) best = dt;
            if (dw < best_wall) best_wall = dw;
            matches = nm;
        }
        printf("%-16s m=%-2d k=%d  %7.1f Mnt/s per core (CPU time; wall %7.1f)  %7.1f matches/Mnt  (%.0f Mnt in %.3f s)\n",
               modes[mo].mode, modes[mo].len, modes[mo].k, nt / best / 1e6, nt / best_wall / 1e6, matches / (nt / 1e6),
               nt / 1e6, best);
    }
    free(out);
    for (size_t i = 0; i < c.n; i++) free(c.seq[i]);
    for (size_t i = 0; i < c.nmirna; i++) free(c.mirna[i]);
    free(c.seq), free(c.len), free(c.mirna);
    return 0;
}
