/* test_qnet: the integer deepTarget path (qnet.h) against the float reference (fastnet.h):
 * codes equal the float encoding; every build the CPU runs gives the same bits, window by window
 * whatever the batch; the probabilities stay close to the float path's, with random weights,
 * tfm's default model and the published deepTarget. */
#include "check.h"
#include "ckpt.h"
#include "encode.h"
#include "fastnet.h"
#include "model.h"
#include "qnet.h"
#include "util.h"

static unsigned long long rng = 0x2545F4914F6CDD1Dull;
static unsigned rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

/* A miRNA (17-24 nt) and a site (6-40 nt, a few N) that pairs with it in part, as text. */
static void random_pair(char *mirna, char *site, size_t *site_len)
{
    static const char L[] = "ACGU", C[] = "UGCA";
    int nm = 17 + (int)(rnd() % 8), ns = rnd() % 8 ? 30 : 6 + (int)(rnd() % 35);
    for (int i = 0; i < nm; i++) mirna[i] = L[rnd() % 4];
    mirna[nm] = 0;
    for (int i = 0; i < ns; i++) site[i] = rnd() % 40 == 0 ? 'N' : L[rnd() % 4];
    /* CTS position i (site from its end) faces miRNA nt i */
    for (int i = 0; i < nm && i < ns; i++)
        if (rnd() % 100 < (i >= 1 && i <= 8 ? 80u : 35u)) site[ns - 1 - i] = C[strchr(L, mirna[i]) - L];
    site[ns] = 0;
    *site_len = (size_t)ns;
}

/* int8 vs float over n windows; the mean and max abs difference of the probabilities. */
static void vs_float(const tfm_model_t *m, int n, const char *what, double max_tol, double mean_tol)
{
    tfm_qnet_t *q = tfm_qnet_new(m);
    CHECK(q != NULL, "%s: qnet: %s", what, tfm_last_error());
    if (!q) return;
    float *x = tfm_malloc(sizeof(float) * 240 * n), *pf = tfm_malloc(sizeof(float) * n), *pq = tfm_malloc(sizeof(float) * n),
          *p1 = tfm_malloc(sizeof(float) * n);
    unsigned char *codes = tfm_malloc((size_t)TFM_QNET_CODES * n), cx[TFM_QNET_CODES];
    int bad_codes = 0;
    for (int i = 0; i < n; i++) {
        char mirna[32], site[64];
        size_t ns;
        random_pair(mirna, site, &ns);
        CHECK(tfm_encode_site(x + (size_t)i * 240, TFM_ENC_DEEPTARGET, mirna, site, ns, NULL, NULL) == 0, "encode");
        tfm_encode_deeptarget_codes(codes + (size_t)i * TFM_QNET_CODES, mirna, site, ns);
        bad_codes += tfm_encode_deeptarget_codes_x(cx, x + (size_t)i * 240) != 0 ||
                     memcmp(cx, codes + (size_t)i * TFM_QNET_CODES, TFM_QNET_CODES) != 0;
    }
    CHECK(bad_codes == 0, "%s: %d windows' codes differ from their float encoding", what, bad_codes);
    tfm_fastnet_scratch_t *s = tfm_fastnet_scratch_new();
    tfm_fastnet_forward(m->fast, x, n, pf, s);
    tfm_fastnet_scratch_free(s);
    tfm_qnet_forward(q, codes, n, pq);
    double mx = 0, mean = 0;
    int mid = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs((double)pq[i] - pf[i]);
        mx = fmax(mx, d), mean += d / n;
        mid += pf[i] > 0.02f && pf[i] < 0.98f;
    }
    CHECK(mx <= max_tol && mean <= mean_tol, "%s: int8 vs float: max abs diff %.4f (tol %g), mean %.5f (tol %g)", what,
          mx, max_tol, mean, mean_tol);
    CHECK(mid >= n / 10, "%s: only %d of %d float probabilities unsaturated", what, mid, n);
    printf("%s, %d windows (%d unsaturated): int8 vs float max abs diff %.4f, mean %.5f\n", what, n, mid, mx, mean);

    /* one window at a time, and every build this CPU runs: the same bits */
    int bad = 0;
    for (int i = 0; i < n; i++) {
        tfm_qnet_forward(q, codes + (size_t)i * TFM_QNET_CODES, 1, p1 + i);
        bad += memcmp(p1 + i, pq + i, sizeof(float)) != 0;
    }
    CHECK(bad == 0, "%s: %d windows scored alone differ from the batch", what, bad);
    static const char *isa[] = {"avx512vnni", "avxvnni", "avx2", "scalar"};
    const char *dflt = tfm_qnet_isa(q);
    for (int k = 0; k < 4; k++) {
        if (tfm_qnet_set_isa(q, isa[k])) {
            printf("skip: qnet %s build: %s\n", isa[k], tfm_last_error());
            continue;
        }
        tfm_qnet_forward(q, codes, n, p1);
        CHECK(memcmp(p1, pq, sizeof(float) * n) == 0, "%s: %s build differs from the default (%s)", what, isa[k], dflt);
    }
    CHECK(tfm_qnet_set_isa(q, dflt) == 0, "back to %s", dflt);
    CHECK(tfm_qnet_set_isa(q, "sse9") == -1, "unknown build refused");
    tfm_qnet_free(q);
    free(x), free(pf), free(pq), free(p1), free(codes);
}

static void test_file(const char *dir, const char *file, double max_tol, double mean_tol)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir ? dir : "", dir ? "/models/" : "", file);
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "load %s: %s", path, tfm_last_error());
    tfm_model_t *m = c ? tfm_model_from_ckpt(TFM_ARCH_DEEPTARGET, c) : NULL;
    tfm_ckpt_free(c);
    if (m) vs_float(m, 5000, file, max_tol, mean_tol);
    tfm_model_free(m);
}

int main(void)
{
    static const float gain[] = {0.6f, 0.2f, 0.15f, 0.1f, 0.3f, 0.1f, 0.15f, 0.1f, 0.2f, 0.1f, 1.5f, 0.5f};
    tfm_model_t *m = tfm_model_random(TFM_ARCH_DEEPTARGET, 1, gain);
    vs_float(m, 5000, "deepTarget, random weights", 0.1, 0.01);
    tfm_model_free(m);
    m = tfm_model_random(TFM_ARCH_TARGETNET, 1, NULL);
    CHECK(tfm_qnet_new(m) == NULL && strstr(tfm_last_error(), "deepTarget"), "TargetNet refused");
    tfm_model_free(m);

    unsigned char codes[TFM_QNET_CODES];
    tfm_encode_deeptarget_codes(codes, "ACGUt", "gNcaXU", 6);
    static const unsigned char want[10] = {0, 1, 2, 3, 3, 4, 4, 4, 4, 4}, want_cts[8] = {3, 4, 0, 1, 4, 2, 4, 4};
    CHECK(memcmp(codes, want, 10) == 0 && memcmp(codes + 30, want_cts, 8) == 0, "codes: letters, N, padding");

    test_file(NULL, "../models/tfm-default.safetensors", 0.1, 0.01); /* cwd: tests/ */
    const char *data = check_data_dir("deepTarget published weights");
    if (data) test_file(data, "deepTarget_weights.pt", 0.1, 0.01);
    return check_summary();
}
