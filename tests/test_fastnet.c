/* test_fastnet: the fast path (fastnet.h) of TargetNet and deepTarget against the naive layer
 * twins, with the published weights, tfm's default model and random ones, and its determinism: a window's probability is the same
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

/* An encoder-like input: TargetNet (10, 50), per column one of A C G U gap or nothing in each
 * half; deepTarget (8, 30), a post-padded one-hot miRNA and CTS with a few N (empty) columns.
 * `dense` windows get arbitrary values instead (the API takes floats). */
static void random_window(tfm_arch_t arch, float *x, int dense)
{
    int isz = arch == TFM_ARCH_DEEPTARGET ? 240 : 500;
    memset(x, 0, sizeof(float) * isz);
    if (dense) {
        for (int i = 0; i < isz; i++) x[i] = rnd() % 3 ? frand() : 0.0f;
        return;
    }
    if (arch == TFM_ARCH_DEEPTARGET) {
        int len[2] = {17 + (int)(rnd() % 8), 20 + (int)(rnd() % 11)};
        for (int h = 0; h < 2; h++)
            for (int c = 0; c < len[h]; c++)
                if (rnd() % 20) x[(h * 4 + (int)(rnd() % 4)) * 30 + c] = 1.0f;
        return;
    }
    int nm = 15 + (int)(rnd() % 30), nw = 30 + (int)(rnd() % 21);
    for (int c = 0; c < 50; c++) {
        if (c >= 5 && c < 5 + nm) x[(int)(rnd() % 5) * 50 + c] = 1.0f;
        if (c < nw) x[(5 + (int)(rnd() % 5)) * 50 + c] = 1.0f;
    }
}

/* Random weights scaled so that the logits spread over a few units (not saturated), per
 * parameter in state-dict order. TargetNet: stem.0, stem.1, stage1 (2), stage2 (2), linear
 * weight and bias; deepTarget: embd1, conv2, conv3, conv4, fc1, fc2, each weight then bias. */
static const float TARGETNET_GAIN[] = {0.6f, 0.35f, 0.45f, 0.45f, 0.45f, 0.3f, 0.05f, 0.5f};
static const float DEEPTARGET_GAIN[] = {0.6f, 0.2f, 0.15f, 0.1f, 0.3f, 0.1f, 0.15f, 0.1f, 0.2f, 0.1f, 1.5f, 0.5f};

static tfm_model_t *random_model(tfm_arch_t arch)
{
    return tfm_model_random(arch, 1, arch == TFM_ARCH_DEEPTARGET ? DEEPTARGET_GAIN : TARGETNET_GAIN);
}

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
    const size_t isz = tfm_model_input_size(m);
    float *xb = tfm_malloc(sizeof(float) * isz * n);
    tfm_model_ws_t *ws = tfm_model_ws_new(m, 0), *ws7 = tfm_model_ws_new(m, 7);
    for (int i = 0; i < n; i++) tfm_model_forward(m, x + (size_t)i * isz, 1, alone + i, ws);

    /* every batch size 1..97, windows at shifting positions; every entry against its single */
    int bad = 0;
    for (int B = 1; B <= 97; B++)
        for (int r = 0; r < (B == 97 ? 97 : 3); r++) {
            int base = B * 31 + r * 5;
            for (int j = 0; j < B; j++) memcpy(xb + (size_t)j * isz, x + (size_t)((base + j) % n) * isz, sizeof(float) * isz);
            tfm_model_forward(m, xb, B, p, (B + r) % 2 ? ws : ws7);
            for (int j = 0; j < B; j++) bad += memcmp(&p[j], &alone[(base + j) % n], sizeof(float)) != 0;
        }
    CHECK(bad == 0, "%d probabilities differ from the window scored alone (batch sizes 1..97)", bad);

    /* window 0 at every position of a batch of 97 */
    bad = 0;
    for (int pos = 0; pos < 97; pos++) {
        for (int j = 0; j < 97; j++) memcpy(xb + (size_t)j * isz, x + (size_t)((j - pos + n) % n) * isz, sizeof(float) * isz);
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
    for (int i = 0; i < n; i++) memcpy(xb + (size_t)i * isz, x + (size_t)perm[i] * isz, sizeof(float) * isz);
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
    printf("%s determinism over %d windows: batches 1..97, positions, shuffle, builds (default %s): ok; vs GEMM %.3g\n",
           tfm_model_arch_name(m->arch), n, dflt, err);
    tfm_model_ws_free(ws), tfm_model_ws_free(ws7);
    free(alone), free(p), free(xb), free(perm);
}

/* Fast vs naive and determinism for a real checkpoint: dir/file (dir NULL: file as given). */
static void test_real(const char *dir, const char *file, tfm_arch_t arch, float *x, int n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir ? dir : "", dir ? "/models/" : "", file);
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "load %s: %s", path, tfm_last_error());
    tfm_model_t *m = c ? tfm_model_from_ckpt(arch, c) : NULL;
    tfm_ckpt_free(c);
    CHECK(!c || (m && m->fast), "%s binds with a fast path", file);
    if (!m) return;
    for (int i = 0; i < n; i++) random_window(arch, x + (size_t)i * tfm_model_input_size(m), 0);
    vs_naive(m, x, n, file);
    test_determinism(m, x, 400);
    tfm_model_free(m);
}

int main(void)
{
    const int n = 2000;
    float *x = tfm_malloc(sizeof(float) * 500 * n);
    static const tfm_arch_t arch[2] = {TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET};
    for (int a = 0; a < 2; a++) {
        tfm_model_t *m = random_model(arch[a]);
        CHECK(m && m->fast, "random %s binds", tfm_model_arch_name(arch[a]));
        if (!m) continue;
        for (int i = 0; i < n; i++) random_window(arch[a], x + (size_t)i * tfm_model_input_size(m), i % 10 == 9);
        char what[64];
        snprintf(what, sizeof what, "%s, random weights", tfm_model_arch_name(arch[a]));
        vs_naive(m, x, n, what);
        test_determinism(m, x, 400);
        tfm_model_free(m);
    }

    const char *data = check_data_dir("TargetNet and deepTarget real weights");
    if (data) {
        test_real(data, "TargetNet.pt", TFM_ARCH_TARGETNET, x, n);
        test_real(data, "deepTarget_weights.pt", TFM_ARCH_DEEPTARGET, x, n);
    }
    test_real(NULL, "../models/tfm-default.safetensors", TFM_ARCH_DEEPTARGET, x, n); /* cwd: tests/ */
    free(x);
    return check_summary();
}
