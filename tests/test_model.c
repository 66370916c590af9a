/* test_model: encodings, parameter binding, and the three architectures against reference
 * vectors: deepTarget (specs/vectors/deeptarget_vectors.json, real weights), the TargetFM1 head
 * (targetfm_head_vectors.json, real weights, detrand.py inputs regenerated here) and TargetNet
 * (tests/vectors/targetnet_vectors.tsv from make_targetnet_vectors.py, an independent numpy
 * reference). Also: batch == singles (bit for bit on TargetNet's fast path), BLAS == naive
 * layers, chunking and tracing. */
#include "check.h"
#include "vecjson.h"
#include "ckpt.h"
#include "encode.h"
#include "model.h"
#include "util.h"

#include <stdint.h>

/* ------------------------------------------------------------------------- small helpers */






static double sum(const float *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s;
}

static int close_rel(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(b)); }

static tfm_model_t *load(const char *dir, const char *file, tfm_arch_t arch)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s", dir, file);
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "load %s: %s", path, tfm_last_error());
    if (!c) return NULL;
    tfm_model_t *m = tfm_model_from_ckpt(0, c);
    CHECK(m != NULL && m->arch == arch, "bind %s: %s", file, tfm_last_error());
    tfm_ckpt_free(c);
    return m;
}

/* ---------------------------------------------------------------- binding with a fake lookup */

typedef struct {
    int n;
    tfm_tensor_t *t;
} fake_t;

static const tfm_tensor_t *fake_get(void *ctx, const char *name)
{
    fake_t *f = ctx;
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->t[i].name, name) == 0) return &f->t[i];
    return NULL;
}

static void test_bind(void)
{
    static float buf[32 * 32 * 3];
    static const struct { const char *name; int nd; int64_t s[3]; } tn[] = {
        {"stem.0.conv.1.weight", 3, {16, 10, 5}}, {"stem.1.conv.1.weight", 3, {16, 16, 5}},
        {"stage1.0.conv1.1.weight", 3, {16, 16, 3}}, {"stage1.0.conv2.1.weight", 3, {16, 16, 3}},
        {"stage2.0.conv1.1.weight", 3, {32, 16, 3}}, {"stage2.0.conv2.1.weight", 3, {32, 32, 3}},
        {"linear.weight", 2, {1, 512}}, {"linear.bias", 1, {1}},
    };
    tfm_tensor_t t[8];
    for (int i = 0; i < 8; i++) {
        t[i].name = (char *)tn[i].name;
        t[i].ndim = tn[i].nd;
        t[i].numel = 1;
        for (int d = 0; d < tn[i].nd; d++) t[i].shape[d] = tn[i].s[d], t[i].numel *= tn[i].s[d];
        t[i].data = buf;
    }
    fake_t f = {8, t};
    CHECK_INT(tfm_model_detect(fake_get, &f), TFM_ARCH_TARGETNET);
    tfm_model_t *m = tfm_model_bind(TFM_ARCH_TARGETNET, fake_get, &f);
    CHECK(m && m->n_params == 8737, "TargetNet binds from a fake lookup with 8737 parameters");
    tfm_model_free(m);
    t[6].shape[1] = 256;
    CHECK(!tfm_model_bind(TFM_ARCH_TARGETNET, fake_get, &f), "shape mismatch rejected");
    CHECK(strstr(tfm_last_error(), "'linear.weight' has shape [1, 256], expected [1, 512]") != NULL, "message: %s",
          tfm_last_error());
    t[6].shape[1] = 512;
    f.n = 7;
    CHECK(!tfm_model_bind(TFM_ARCH_TARGETNET, fake_get, &f), "missing tensor rejected");
    CHECK(strstr(tfm_last_error(), "missing tensor 'linear.bias'") != NULL, "message: %s", tfm_last_error());
    CHECK(!tfm_model_bind(TFM_ARCH_DEEPTARGET, fake_get, &f), "deepTarget does not bind TargetNet tensors");
    CHECK(strstr(tfm_last_error(), "deepTarget: missing tensor 'embd1.weight'") != NULL, "message: %s",
          tfm_last_error());
    tfm_arch_t a;
    CHECK(tfm_model_arch_parse("targetfm1", &a) == 0 && a == TFM_ARCH_TARGETFM1, "arch parse");
    CHECK(tfm_model_arch_parse("TargetNets", &a) == -1, "arch parse rejects junk");
}

/* ------------------------------------------------------------------------------- encodings */

static void test_encode(void)
{
    float x[500], y[500];
    char buf[TFM_ENC_TEXT_MAX];
    tfm_encode_deeptarget(x, "ugagNuT", "ACGUTX");
    CHECK(x[0 * 30 + 4] == 0 && x[1 * 30 + 4] == 0 && x[2 * 30 + 4] == 0 && x[3 * 30 + 4] == 0, "N is an empty column");
    CHECK(x[3 * 30 + 0] == 1 && x[2 * 30 + 1] == 1 && x[3 * 30 + 6] == 1, "lower case and T");
    int n = tfm_encode_to_text(buf, sizeof buf, TFM_ENC_DEEPTARGET, x);
    CHECK(n == 13 && strcmp(buf, "UGAG.UU,ACGUU") == 0, "deepTarget text '%s'", buf);
    CHECK(tfm_encode_from_text(y, TFM_ENC_DEEPTARGET, buf, (size_t)n) == 0 && memcmp(x, y, sizeof(float) * 240) == 0,
          "deepTarget text round trip");
    CHECK(tfm_encode_from_text(y, TFM_ENC_DEEPTARGET, "AC-G,A", 6) == -1, "gap rejected for deepTarget");
    CHECK(tfm_encode_from_text(y, TFM_ENC_DEEPTARGET, "ACG", 3) == -1, "missing comma rejected");
    CHECK(tfm_encode_from_text(y, TFM_ENC_TARGETNET, "A,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 56) == -1,
          "51 columns rejected: %s", tfm_last_error());
    const char *mi = "UGAGGUAGUAGGUUGUAUAGUU", *w = "ACUCCAUCAUCCAACAUAUCAAGGACUUAGAUCGAUCGAU";
    CHECK(tfm_encode_targetnet(x, mi, w, "UGAGGUAGUA", "AUCAUCCAAC") == 0, "TargetNet encode: %s", tfm_last_error());
    n = tfm_encode_to_text(buf, sizeof buf, TFM_ENC_TARGETNET, x);
    CHECK_STR(buf, ".....UGAGGUAGUAGGUUGUAUAGUU,ACUCCAUCAUCCAACAUAUCAAGGACUUAGAUCGAUCGAU");
    CHECK(tfm_encode_targetnet(x, mi, "ACUCCAUCAUCCAACAUAUCAAGGACUNAGAUCGAUCGAU", "UGAGGUAGUA", "AUCAUCCAAC") == -1 &&
          strstr(tfm_last_error(), "invalid letter 'N'"), "N rejected for TargetNet: %s", tfm_last_error());
    CHECK(tfm_encode_targetnet(x, mi, w, "UGAGGUAGUA", "AUCAUCCAAG") == -1, "window ESA must spell nt 6-15");
    CHECK(tfm_encode_targetnet(x, mi, w, "UGAGGUAGU-A", "AUCAUCCAAC") == -1, "ESA lengths must agree");
}

/* --------------------------------------------------------------------------------- deepTarget */

static void test_deeptarget(const char *data, const char *specs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/vectors/deeptarget_vectors.json", specs);
    char *js = slurp(path, NULL);
    CHECK(js != NULL, "read %s", path);
    tfm_model_t *m = js ? load(data, "deepTarget_weights.pt", TFM_ARCH_DEEPTARGET) : NULL;
    if (!m) {
        free(js);
        return;
    }
    float x[5][240], prob[5];
    double want_p[5], err = 0;
    const char *row[6];
    const char *p = js;
    for (int i = 0; i < 5; i++) row[i] = p = strstr(p, "\"desc\"") + 1;
    row[5] = js + strlen(js);
    for (int i = 0; i < 5; i++) {
        char mi[64], cts[64];
        double ch[2][30];
        jstr(row[i], row[i + 1], "mirna", mi, sizeof mi);
        jstr(row[i], row[i + 1], "cts", cts, sizeof cts);
        jarr(row[i], row[i + 1], "mirna_channel_per_pos", ch[0], 30, NULL);
        jarr(row[i], row[i + 1], "cts_channel_per_pos", ch[1], 30, NULL);
        tfm_encode_deeptarget(x[i], mi, cts);
        int same = 1;
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < 30; l++)
                for (int c = 0; c < 4; c++)
                    same &= x[i][(h * 4 + c) * 30 + l] == (ch[h][l] == c ? 1.0f : 0.0f);
        CHECK(same, "deepTarget pair %d: one-hot channels", i);
        want_p[i] = jnum(row[i], row[i + 1], "p_target");
    }
    tfm_model_trace_t tr = {0};
    tfm_model_ws_t *ws = tfm_model_ws_new(m, 2);  /* chunk 2: the trace spans three chunks */
    tfm_model_ws_set_trace(ws, &tr);
    CHECK(tfm_model_forward(m, &x[0][0], 5, prob, ws) == 0, "forward");
    static const char *sums[][2] = {{"embd1_mirna", "embd1_mirna_sum"}, {"embd1_cts", "embd1_cts_sum"},
                                    {"conv2", "conv2_sum"}, {"conv3", "conv3_sum"}, {"conv4", "conv4_sum"}};
    for (int i = 0; i < 5; i++) {
        for (int k = 0; k < 5; k++) {
            int C, L;
            const float *t = tfm_model_trace_get(&tr, sums[k][0], &C, &L);
            double s = sum(t + (size_t)i * C * L, (size_t)C * L), want = jnum(row[i], row[i + 1], sums[k][1]);
            CHECK(close_rel(s, want, 1e-5), "deepTarget pair %d %s: %.9g vs %.9g", i, sums[k][1], s, want);
        }
        double f8[8], fc1[30], lg[2];
        jarr(row[i], row[i + 1], "embd1_mirna_pos0_first8", f8, 8, NULL);
        jarr(row[i], row[i + 1], "fc1", fc1, 30, NULL);
        jarr(row[i], row[i + 1], "logits", lg, 2, NULL);
        const float *e = tfm_model_trace_get(&tr, "embd1_mirna", NULL, NULL) + (size_t)i * 32 * 30;
        const float *f = tfm_model_trace_get(&tr, "fc1", NULL, NULL) + (size_t)i * 30;
        const float *g = tfm_model_trace_get(&tr, "logits", NULL, NULL) + (size_t)i * 2;
        int ok = 1;
        for (int c = 0; c < 8; c++) ok &= close_rel(e[c * 30], f8[c], 1e-5), err = fmax(err, fabs(e[c * 30] - f8[c]));
        for (int c = 0; c < 30; c++) ok &= close_rel(f[c], fc1[c], 1e-5), err = fmax(err, fabs(f[c] - fc1[c]));
        for (int c = 0; c < 2; c++) ok &= close_rel(g[c], lg[c], 1e-5), err = fmax(err, fabs(g[c] - lg[c]));
        CHECK(ok, "deepTarget pair %d: embd1 pos 0, fc1, logits", i);
        CHECK_NEAR(prob[i], want_p[i], 1e-5);
        err = fmax(err, fabs(prob[i] - want_p[i]));
    }
    printf("deepTarget, 5 pairs: max abs err %.3g over embd1/fc1/logits/p_target\n", err);

    /* the fast path (fastnet.h, no trace) and the naive layer twins give the same probabilities */
    float prob2[5];
    CHECK(m->fast != NULL, "deepTarget has a fast path");
    tfm_model_ws_set_trace(ws, NULL);
    tfm_model_forward(m, &x[0][0], 5, prob2, ws);
    for (int i = 0; i < 5; i++) {
        CHECK_NEAR(prob2[i], want_p[i], 1e-5);
        CHECK_NEAR(prob2[i], prob[i], 1e-6);
    }
    tfm_model_ws_set_naive(ws, 1);
    tfm_model_forward(m, &x[0][0], 5, prob2, ws);
    for (int i = 0; i < 5; i++) CHECK_NEAR(prob2[i], prob[i], 1e-6);
    tfm_model_trace_free(&tr);
    tfm_model_ws_free(ws);
    tfm_model_free(m);
    free(js);
}

/* ------------------------------------------------------------------------------ TargetFM1 head */

/* detrand.py: FNV-1a-64 of the name seeds SplitMix64; u = 24-bit uniform; v = offset + scale(2u - 1). */
static void det_tensor(float *out, const char *name, size_t n, double scale)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 0x100000001B3ull;
    for (size_t i = 0; i < n; i++) {
        uint64_t z = h + (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        double u = (double)(z >> 40) / 16777216.0;
        out[i] = (float)(scale * (2.0 * u - 1.0));
    }
}

static void test_targetfm1(const char *data, const char *specs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/vectors/targetfm_head_vectors.json", specs);
    char *js = slurp(path, NULL);
    CHECK(js != NULL, "read %s", path);
    tfm_model_t *m = js ? load(data, "TargetFM1_head_weights.pt", TFM_ARCH_TARGETFM1) : NULL;
    if (!m) {
        free(js);
        return;
    }
    size_t isz = tfm_model_input_size(m);
    float *x = tfm_malloc(sizeof(float) * 5 * isz), prob[5];
    for (int b = 0; b < 5; b++) {
        char name[64];
        snprintf(name, sizeof name, "targetfm_head_input/mirna/%d", b);
        det_tensor(x + b * isz, name, 30 * 640, 1.5);
        snprintf(name, sizeof name, "targetfm_head_input/cts/%d", b);
        det_tensor(x + b * isz + 30 * 640, name, 30 * 640, 1.5);
    }
    double f5[5], g5[5];
    jarr(js, js + strlen(js), "x_mirna_b0_first5", f5, 5, NULL);
    jarr(js, js + strlen(js), "x_cts_b0_first5", g5, 5, NULL);
    int ok = 1;
    for (int i = 0; i < 5; i++) ok &= x[i] == (float)f5[i] && x[30 * 640 + i] == (float)g5[i];
    CHECK(ok, "detrand port reproduces the first inputs");

    tfm_model_trace_t tr = {0};
    tfm_model_ws_t *ws = tfm_model_ws_new(m, 0);
    tfm_model_ws_set_trace(ws, &tr);
    CHECK(tfm_model_forward(m, x, 5, prob, ws) == 0, "forward");
    const char *row[6], *p = js;
    for (int i = 0; i < 5; i++) row[i] = p = strstr(p, "\"b\":") + 1;
    row[5] = js + strlen(js);
    double err = 0;
    static const char *sums[][2] = {{"cat", "cat_sum"}, {"conv2", "conv2_sum"}, {"conv3", "conv3_sum"},
                                    {"conv4", "conv4_sum"}};
    for (int i = 0; i < 5; i++) {
        for (int k = 0; k < 4; k++) {
            int C, L;
            const float *t = tfm_model_trace_get(&tr, sums[k][0], &C, &L);
            double s = sum(t + (size_t)i * C * L, (size_t)C * L), want = jnum(row[i], row[i + 1], sums[k][1]);
            CHECK(close_rel(s, want, 1e-5), "TargetFM1 b=%d %s: %.9g vs %.9g", i, sums[k][1], s, want);
        }
        double fl[8], fc1[30], lg[2];
        jarr(row[i], row[i + 1], "flat_first8", fl, 8, NULL);
        jarr(row[i], row[i + 1], "fc1", fc1, 30, NULL);
        jarr(row[i], row[i + 1], "logits", lg, 2, NULL);
        const float *c4 = tfm_model_trace_get(&tr, "conv4", NULL, NULL) + (size_t)i * 384;
        const float *f = tfm_model_trace_get(&tr, "fc1", NULL, NULL) + (size_t)i * 30;
        const float *g = tfm_model_trace_get(&tr, "logits", NULL, NULL) + (size_t)i * 2;
        ok = 1;
        for (int c = 0; c < 8; c++) ok &= close_rel(c4[c], fl[c], 1e-5), err = fmax(err, fabs(c4[c] - fl[c]));
        for (int c = 0; c < 30; c++) ok &= close_rel(f[c], fc1[c], 1e-5), err = fmax(err, fabs(f[c] - fc1[c]));
        for (int c = 0; c < 2; c++) ok &= close_rel(g[c], lg[c], 1e-5), err = fmax(err, fabs(g[c] - lg[c]));
        CHECK(ok, "TargetFM1 b=%d: flat, fc1, logits", i);
        double want = jnum(row[i], row[i + 1], "p_target");
        CHECK_NEAR(prob[i], want, 1e-5);
        err = fmax(err, fabs(prob[i] - want));
    }
    printf("TargetFM1 head, 5 inputs: max abs err %.3g over flat/fc1/logits/p_target\n", err);
    tfm_model_trace_free(&tr);
    tfm_model_ws_free(ws);
    tfm_model_free(m);
    free(x);
    free(js);
}

/* ---------------------------------------------------------------------------------- TargetNet */

static void test_targetnet(const char *data)
{
    const char *path = "vectors/targetnet_vectors.tsv";
    char *tsv = slurp(path, NULL);
    CHECK(tsv != NULL, "read %s", path);
    tfm_model_t *m = tsv ? load(data, "TargetNet.pt", TFM_ARCH_TARGETNET) : NULL;
    if (!m) {
        free(tsv);
        return;
    }
    int cap = 512, n = 0;
    float *x = tfm_malloc(sizeof(float) * 500 * cap), *prob = tfm_malloc(sizeof(float) * cap);
    double *want = tfm_malloc(sizeof(double) * cap);
    char *save = NULL, *line = strtok_r(tsv, "\n", &save);  /* header */
    int enc_ok = 1, text_ok = 1;
    while ((line = strtok_r(NULL, "\n", &save)) && n < cap) {
        char *f[12], *s2 = NULL;
        int k = 0;
        for (char *t = strtok_r(line, "\t", &s2); t && k < 12; t = strtok_r(NULL, "\t", &s2)) f[k++] = t;
        if (k != 12) continue;
        float *xi = x + (size_t)n * 500;
        if (tfm_encode_targetnet(xi, f[4], f[5], f[6], f[7])) {
            enc_ok = 0;
            printf("not ok: row %d: %s\n", n + 1, tfm_last_error());
        }
        char buf[TFM_ENC_TEXT_MAX];
        float y[500];
        tfm_encode_to_text(buf, sizeof buf, TFM_ENC_TARGETNET, xi);
        if (strcmp(buf, f[9]) != 0 || tfm_encode_from_text(y, TFM_ENC_TARGETNET, f[9], strlen(f[9])) ||
            memcmp(y, xi, sizeof y) != 0) {
            text_ok = 0;
            printf("not ok: row %d: encoding %s, reference %s\n", n + 1, buf, f[9]);
        }
        want[n++] = strtod(f[11], NULL);
    }
    CHECK(n >= 300, "%d TargetNet windows read", n);
    CHECK(enc_ok, "every window encodes");
    CHECK(text_ok, "every encoding equals the reference matrix (text form, both ways)");

    tfm_model_ws_t *ws = tfm_model_ws_new(m, 64);
    CHECK(tfm_model_forward(m, x, n, prob, ws) == 0, "forward");
    double err = 0;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs(prob[i] - want[i]);
        err = fmax(err, d);
        if (d > 1e-5) bad++;
    }
    CHECK(bad == 0, "%d of %d TargetNet probabilities off by more than 1e-5", bad, n);
    printf("TargetNet, %d windows: max abs err %.3g on the probability\n", n, err);

    /* batch of n vs n single forwards, and another chunk size: the fast path (the default)
     * scores each window on its own, so these are bit-identical (test_fastnet checks more). */
    float *p1 = tfm_malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++) tfm_model_forward(m, x + (size_t)i * 500, 1, p1 + i, ws);
    CHECK(memcmp(p1, prob, sizeof(float) * n) == 0, "batch of %d vs %d single forwards: not bit-identical", n, n);
    tfm_model_ws_t *ws2 = tfm_model_ws_new(m, 0);
    tfm_model_forward(m, x, n, p1, ws2);
    CHECK(memcmp(p1, prob, sizeof(float) * n) == 0, "default chunk vs chunk 64: not bit-identical");
    /* The layer-by-layer GEMM path is not bit-identical: OpenBLAS rounds a GEMM column
     * differently depending on where it falls in the matrix (kernel edge tiles, thread split),
     * so the tolerance is a few float32 ulps. */
    tfm_model_ws_set_gemm(ws2, 1);
    tfm_model_forward(m, x, n, p1, ws2);
    err = 0;
    for (int i = 0; i < n; i++) err = fmax(err, fabs(p1[i] - prob[i]));
    CHECK(err <= 1e-6, "GEMM path vs fast path: max abs diff %.3g", err);
    printf("TargetNet GEMM vs fast path, %d windows: max abs diff %.3g\n", n, err);
    float *p2 = tfm_malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++) tfm_model_forward(m, x + (size_t)i * 500, 1, p2 + i, ws2);
    err = 0;
    for (int i = 0; i < n; i++) err = fmax(err, fabs(p2[i] - p1[i]));
    CHECK(err <= 1e-6, "GEMM path, batch of %d vs single forwards: max abs diff %.3g", n, err);
    free(p2);
    tfm_model_ws_set_naive(ws2, 1);
    tfm_model_forward(m, x, n, p1, ws2);
    err = 0;
    for (int i = 0; i < n; i++) err = fmax(err, fabs(p1[i] - prob[i]));
    CHECK(err <= 1e-6, "naive layers vs fast path: max abs err %.3g", err);

    /* trace of TargetNet: shapes */
    tfm_model_trace_t tr = {0};
    tfm_model_ws_set_naive(ws2, 0);
    tfm_model_ws_set_gemm(ws2, 0);  /* a trace runs the layer-by-layer path anyway */
    tfm_model_ws_set_trace(ws2, &tr);
    tfm_model_forward(m, x, 3, p1, ws2);
    int C = 0, L = 0;
    CHECK(tfm_model_trace_get(&tr, "pool", &C, &L) && C == 32 && L == 16, "pool trace (%d, %d)", C, L);
    const float *lg = tfm_model_trace_get(&tr, "logit", NULL, NULL);
    CHECK(lg && fabs(1 / (1 + exp(-lg[2])) - p1[2]) < 1e-7, "logit trace");
    tfm_model_trace_free(&tr);

    /* a workspace of another architecture is refused */
    tfm_model_t fake = *m;
    fake.arch = TFM_ARCH_DEEPTARGET;
    CHECK(tfm_model_forward(&fake, x, 1, p1, ws2) == -1, "workspace/model mismatch refused");

    tfm_model_ws_free(ws);
    tfm_model_ws_free(ws2);
    tfm_model_free(m);
    free(p1), free(x), free(prob), free(want), free(tsv);
}

int main(void)
{
    test_bind();
    test_encode();
    const char *data = check_data_dir("real-weight vectors");
    const char *specs = data ? check_specs_dir("deepTarget/TargetFM vectors") : NULL;
    if (data) test_targetnet(data);
    if (specs) {
        test_deeptarget(data, specs);
        test_targetfm1(data, specs);
    }
    return check_summary();
}
