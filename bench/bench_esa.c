/* bench_esa: TargetNet's window scan over miRAW_Test0 - the ESA score of every 40-nt window of
 * each reversed UTR, then the same with Biopython-order alignment of the kept windows (score
 * >= 6). Single-threaded; the best of several repetitions, since the machine is shared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esa.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

#define REPS 5

typedef struct {
    char mirna[TFM_ESA_LEN];
    char *rev;   /* reversed UTR */
    size_t len;
} pair_t;

static long load(const char *path, pair_t **out)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) return -1;
    int cm = tfm_tsv_need(t, "mirna_seq"), cu = tfm_tsv_need(t, "mrna_seq");
    if (cm < 0 || cu < 0) {
        tfm_tsv_close(t);
        return -1;
    }
    pair_t *p = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = tfm_tsv_read(t)) == 1) {
        size_t nm = t->flen[cm], nu = t->flen[cu];
        if (tfm_seq_normalise(t->f[cm], nm, TFM_ALPHA_ACGU) >= 0 ||
            tfm_seq_normalise(t->f[cu], nu, TFM_ALPHA_ACGUN) >= 0 || nm < TFM_ESA_LEN) {
            tfm_fail("%s:%ld: bad sequence", t->name, t->lineno);
            r = -1;
            break;
        }
        TFM_GROW(p, cap, n + 1);
        memcpy(p[n].mirna, t->f[cm], TFM_ESA_LEN);
        p[n].rev = tfm_malloc(nu + 1);
        for (size_t i = 0; i < nu; i++) p[n].rev[i] = t->f[cu][nu - 1 - i];
        p[n].len = nu;
        n++;
    }
    tfm_tsv_close(t);
    *out = p;
    return r < 0 ? -1 : (long)n;
}

int main(void)
{
    const char *dir = getenv("TFM_DATA");
    if (!dir) dir = "../shared/data";
    char path[4096];
    snprintf(path, sizeof path, "%s/miraw/test/miRAW_Test0.txt.gz", dir);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        printf("skip: bench_esa: %s not found (set TFM_DATA)\n", path);
        return 0;
    }
    fclose(probe);
    pair_t *p;
    long n = load(path, &p);
    if (n < 0) {
        fprintf(stderr, "bench_esa: %s\n", tfm_last_error());
        return 1;
    }
    double best_s = 1e30, best_a = 1e30;
    long windows = 0, kept = 0, check = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double t0 = tfm_seconds();
        windows = kept = 0;
        for (long k = 0; k < n; k++)
            for (size_t off = 0; off + 40 <= p[k].len; off++) {
                windows++;
                kept += tfm_esa_score(p[k].mirna, TFM_ESA_LEN, p[k].rev + off + 5, TFM_ESA_LEN) >= 6;
            }
        double t1 = tfm_seconds();
        check = 0;
        for (long k = 0; k < n; k++)
            for (size_t off = 0; off + 40 <= p[k].len; off++) {
                const char *b = p[k].rev + off + 5;
                if (tfm_esa_score(p[k].mirna, TFM_ESA_LEN, b, TFM_ESA_LEN) < 6) continue;
                tfm_esa_t e;
                tfm_esa_align(p[k].mirna, TFM_ESA_LEN, b, TFM_ESA_LEN, &e);
                check += e.len + (e.mirna[0] == '-');
            }
        double t2 = tfm_seconds();
        if (t1 - t0 < best_s) best_s = t1 - t0;
        if (t2 - t1 < best_a) best_a = t2 - t1;
    }
    printf("miRAW_Test0: %ld pairs, %ld windows, %ld kept (score >= 6), checksum %ld\n", n, windows, kept, check);
    printf("score only:    %.3f s  %.2f M windows/s  %.1f ns/window (best of %d)\n", best_s,
           windows / best_s / 1e6, best_s / windows * 1e9, REPS);
    printf("score + align: %.3f s  %.2f M windows/s  %.1f ns/kept window extra (best of %d)\n", best_a,
           windows / best_a / 1e6, (best_a - best_s) / kept * 1e9, REPS);
    for (long k = 0; k < n; k++) free(p[k].rev);
    free(p);
    return 0;
}
