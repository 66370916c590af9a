/* test_fastnet: the TargetNet fast path (fastnet.h) against the naive layer twins, with the
 * real weights and with random ones, and its determinism: a window's probability is the same
 * bits alone, at any position of any batch, shuffled, with any chunk size or workspace, and
 * with every instruction-set build the CPU can run. */
#include "check.h"
#include "ckpt.h"
#include "fastnet.h"
#include "model.h"
#include "util.h"

static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}
static float frand(void) { return (float)(rnd() >> 8) / 16777216.0f * 2.0f - 1.0f; }

/* A TargetNet-like input: per column one of A C G U gap or nothing in each half, mostly in the
 * shape the encoder makes; `dense` windows get arbitrary values instead (the API takes floats). */
static void random_window(float *x, int dense)
{
    memset(x, 0, sizeof(float) * 500);
    if (dense) {
        for (int i = 0; i < 500; i++) x[i] = rnd() % 3 ? frand() : 0.0f;
        return;
    }
    int nm = 15 + (int)(rnd() % 30), nw = 30 + (int)(rnd() % 21);
    for (int c = 0; c < 50; c++) {
        if (c >= 5 && c < 5 + nm) x[(int)(rnd() % 5) * 50 + c] = 1.0f;
        if (c < nw) x[(5 + (int)(rnd() % 5)) * 50 + c] = 1.0f;
    }
}

/* Random TargetNet weights scaled so that the logits spread over a few units (not saturated):
 * stem.0, stem.1, stage1 (2), stage2 (2), linear weight and bias. */
static const float TARGETNET_GAIN[] = {0.6f, 0.35f, 0.45f, 0.45f, 0.45f, 0.3f, 0.05f, 0.5f};

/* fast path vs naive twins over n windows; returns the max abs difference */
static double vs_naive(const tfm_model_t *m, const float *x, int n, const char *what)
{
    float *pf = tfm_malloc(sizeof(float) * n), *pn = tfm_malloc(sizeof(float) * n);
    tfm_model_ws_t *ws = tfm_model_ws_new(m, 0), *wn = tfm_model_ws_new(m, 0);
    tfm_model_ws_set_naive(wn, 1);
    CHECK(tfm_model_forward(m, x, n, pf, ws) == 0, "fast forward");
    CHECK(tfm_model_forward(m, x, n, pn, wn) == 0, "naive forward");
    double err = 0;
    int bad = 0, mid = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs((double)pf[i] - pn[i]);
        err = fmax(err, d);
        bad += !(d <= 1e-5);
        mid += pn[i] > 0.02f && pn[i] < 0.98f;
    }
    CHECK(bad == 0, "%s: %d of %d probabilities off by more than 1e-5 (max %.3g)", what, bad, n, err);
    CHECK(mid >= n / 4, "%s: only %d of %d probabilities unsaturated, the comparison says little", what, mid, n);
    printf("%s, %d windows (%d unsaturated): fast vs naive max abs err %.3g\n", what, n, mid, err);
    tfm_model_ws_free(ws), tfm_model_ws_free(wn);
    free(pf), free(pn);
    return err;
}

static void test_determinism(tfm_model_t *m, const float *x, int n)
{
    float *alone = tfm_malloc(sizeof(float) * n), *p = tfm_malloc(sizeof(float) * n);
    float *xb = tfm_malloc(sizeof(float) * 500 * n);
    tfm_model_ws_t *ws = tfm_model_ws_new(m, 0), *ws7 = tfm_model_ws_new(m, 7);
    for (int i = 0; i < n; i++) tfm_model_forward(m, x + (size_t)i * 500, 1, alone + i, ws);

    /* every batch size 1..97, windows at shifting positions; every entry against its single */
    int bad = 0;
    for (int B = 1; B <= 97; B++)
        for (int r = 0; r < (B == 97 ? 97 : 3); r++) {
            int base = B * 31 + r * 5;
            for (int j = 0; j < B; j++) memcpy(xb + (size_t)j * 500, x + (size_t)((base + j) % n) * 500, sizeof(float) * 500);
            tfm_model_forward(m, xb, B, p, (B + r) % 2 ? ws : ws7);
            for (int j = 0; j < B; j++) bad += memcmp(&p[j], &alone[(base + j) % n], sizeof(float)) != 0;
        }
    CHECK(bad == 0, "%d probabilities differ from the window scored alone (batch sizes 1..97)", bad);

    /* window 0 at every position of a batch of 97 */
    bad = 0;
    for (int pos = 0; pos < 97; pos++) {
        for (int j = 0; j < 97; j++) memcpy(xb + (size_t)j * 500, x + (size_t)((j - pos + n) % n) * 500, sizeof(float) * 500);
        tfm_model_forward(m, xb, 97, p, ws);
        bad += memcmp(&p[pos], &alone[0], sizeof(float)) != 0;
    }
    CHECK(bad == 0, "window 0 differs at %d of 97 positions", bad);

    /* the whole set shuffled, one batch, other workspace */
    int *perm = tfm_malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(rnd() % (unsigned)(i + 1)), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
    for (int i = 0; i < n; i++) memcpy(xb + (size_t)i * 500, x + (size_t)perm[i] * 500, sizeof(float) * 500);
    tfm_model_forward(m, xb, n, p, ws7);
    bad = 0;
    for (int i = 0; i < n; i++) bad += memcmp(&p[i], &alone[perm[i]], sizeof(float)) != 0;
    CHECK(bad == 0, "shuffled batch of %d: %d probabilities differ", n, bad);

    /* every build this CPU runs gives the same bits */
    static const char *isa[] = {"avx512", "avx2", "scalar"};
    const char *dflt = tfm_fastnet_isa(m->fast);
    tfm_fastnet_scratch_t *s = tfm_fastnet_scratch_new();
    for (int k = 0; k < 3; k++) {
        if (tfm_fastnet_set_isa(m->fast, isa[k])) {
            printf("skip: fastnet %s build: %s\n", isa[k], tfm_last_error());
            continue;
        }
        tfm_fastnet_forward(m->fast, x, n, p, s);
        CHECK(memcmp(p, alone, sizeof(float) * n) == 0, "%s build differs from the default (%s)", isa[k], dflt);
    }
    tfm_fastnet_scratch_free(s);
    CHECK(tfm_fastnet_set_isa(m->fast, dflt) == 0, "back to %s", dflt);
    CHECK(tfm_fastnet_set_isa(m->fast, "sse9") == -1, "unknown build refused");

    /* the layer-by-layer GEMM path agrees closely */
    tfm_model_ws_set_gemm(ws, 1);
    tfm_model_forward(m, x, n, p, ws);
    double err = 0;
    for (int i = 0; i < n; i++) err = fmax(err, fabs((double)p[i] - alone[i]));
    CHECK(err <= 1e-6, "fast vs GEMM path: max abs diff %.3g", err);
    printf("determinism over %d windows: batches 1..97, positions, shuffle, builds (default %s): ok; vs GEMM %.3g\n", n,
           dflt, err);
    tfm_model_ws_free(ws), tfm_model_ws_free(ws7);
    free(alone), free(p), free(xb), free(perm);
}

int main(void)
{
    const int n = 2000;
    float *x = tfm_malloc(sizeof(float) * 500 * n);
    for (int i = 0; i < n; i++) random_window(x + (size_t)i * 500, i % 10 == 9);

    tfm_model_t *m = tfm_model_random(TFM_ARCH_TARGETNET, 1, TARGETNET_GAIN);
    CHECK(m && m->fast, "random TargetNet binds");
    vs_naive(m, x, n, "random weights");
    test_determinism(m, x, 400);
    tfm_model_free(m);

    const char *data = check_data_dir("TargetNet real weights");
    if (data) {
        char path[4096];
        snprintf(path, sizeof path, "%s/models/TargetNet.pt", data);
        tfm_ckpt_t *c = tfm_ckpt_load(path);
        CHECK(c != NULL, "load %s: %s", path, tfm_last_error());
        m = c ? tfm_model_from_ckpt(TFM_ARCH_TARGETNET, c) : NULL;
        tfm_ckpt_free(c);
        if (m) {
            for (int i = 0; i < n; i++) random_window(x + (size_t)i * 500, 0);
            vs_naive(m, x, n, "TargetNet.pt");
            test_determinism(m, x, 400);
        }
        tfm_model_free(m);
    }
    free(x);
    return check_summary();
}
