/* test_nn: every GEMM-backed layer against its naive twin on random shapes (max abs error
 * printed, tolerance 1e-5 relative), the plain layers on hand-made values, and the loss
 * functions' own exp / softplus / sigmoid against libm. */
#include "check.h"
#include "nn.h"
#include "util.h"

#include <stdint.h>

static float *rvec(size_t n)
{
    float *v = tfm_malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) v[i] = check_rfloat();
    return v;
}

/* max |a - b| and whether every element is within tol * (1 + |b|) */
static double max_err(const float *a, const float *b, size_t n, double tol, int *ok)
{
    double m = 0;
    *ok = 1;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (d > m) m = d;
        if (!(d <= tol * (1 + fabs((double)b[i])))) *ok = 0;
    }
    return m;
}

static void test_conv1d(void)
{
    double worst = 0;
    for (int rep = 0; rep < 40; rep++) {
        int B = check_rint(1, 9), Cin = check_rint(1, 40), L = check_rint(1, 60), Cout = check_rint(1, 40), K = check_rint(1, 7);
        int pl = check_rint(0, 3), pr = check_rint(0, 3);
        if (rep == 0) B = 64, Cin = 32, L = 50, Cout = 32, K = 3, pl = pr = 1;  /* a TargetNet layer */
        if (L + pl + pr - K + 1 < 1) L = K;
        int Lo = L + pl + pr - K + 1;
        float *in = rvec((size_t)Cin * B * L), *w = rvec((size_t)Cout * Cin * K), *b = check_rint(0, 1) ? rvec(Cout) : NULL;
        float *o1 = rvec((size_t)Cout * B * Lo), *o2 = rvec((size_t)Cout * B * Lo);
        float *col = rvec(tfm_nn_conv1d_col_size(B, Cin, L, K, pl, pr));
        tfm_nn_conv1d_forward(o1, col, in, w, b, B, Cin, L, Cout, K, pl, pr);
        tfm_nn_conv1d_forward_naive(o2, in, w, b, B, Cin, L, Cout, K, pl, pr);
        int ok;
        double e = max_err(o1, o2, (size_t)Cout * B * Lo, 1e-5, &ok);
        if (e > worst) worst = e;
        CHECK(ok, "conv1d B=%d Cin=%d L=%d Cout=%d K=%d pad=%d/%d: max abs err %.3g", B, Cin, L, Cout, K, pl, pr, e);
        free(in), free(w), free(b), free(o1), free(o2), free(col);
    }
    printf("conv1d vs naive, 40 random shapes: max abs err %.3g\n", worst);
}

static void test_linear(void)
{
    double worst = 0, worst_t = 0;
    for (int rep = 0; rep < 40; rep++) {
        int N = check_rint(1, 70), I = check_rint(1, 700), O = check_rint(1, 40);
        float *in = rvec((size_t)N * I), *w = rvec((size_t)O * I), *b = check_rint(0, 1) ? rvec(O) : NULL;
        float *o1 = rvec((size_t)N * O), *o2 = rvec((size_t)N * O);
        int ok;
        tfm_nn_linear_forward(o1, in, w, b, N, I, O);
        tfm_nn_linear_forward_naive(o2, in, w, b, N, I, O);
        double e = max_err(o1, o2, (size_t)N * O, 1e-5, &ok);
        if (e > worst) worst = e;
        CHECK(ok, "linear N=%d I=%d O=%d: max abs err %.3g", N, I, O, e);
        tfm_nn_linear_forward_t(o1, in, w, b, N, I, O);
        tfm_nn_linear_forward_t_naive(o2, in, w, b, N, I, O);
        e = max_err(o1, o2, (size_t)N * O, 1e-5, &ok);
        if (e > worst_t) worst_t = e;
        CHECK(ok, "linear_t N=%d I=%d O=%d: max abs err %.3g", N, I, O, e);
        free(in), free(w), free(b), free(o1), free(o2);
    }
    printf("linear vs naive, 40 random shapes: max abs err %.3g (transposed output: %.3g)\n", worst, worst_t);
}

static void test_plain(void)
{
    float x[6] = {-1, 0.5f, 2, -3, 0, 4}, y[6];
    tfm_nn_relu_forward(y, x, 6);
    CHECK(y[0] == 0 && y[1] == 0.5f && y[3] == 0 && y[5] == 4, "relu");
    tfm_nn_sigmoid_forward(y, x, 6);
    CHECK_NEAR(y[0], 1 / (1 + exp(1.0)), 1e-7);
    CHECK_NEAR(y[4], 0.5, 0);
    float lg[4] = {-3.46674323f, 2.48894048f, 1000, -1000}, p[4];
    tfm_nn_softmax2_forward(p, lg, 2);
    CHECK_NEAR(p[1], 0.997415662, 1e-7);
    CHECK_NEAR(p[0] + p[1], 1.0, 1e-7);
    CHECK(p[2] == 1.0f && p[3] == 0.0f, "softmax2 saturates without NaN: %g %g", p[2], p[3]);

    /* maxpool (C=1, B=2, L=7, W=3): the last position of each sample is dropped */
    float pin[14] = {1, 5, 2, 0, -1, -2, 99, 3, 3, 4, 7, 8, 6, 99}, pout[4];
    tfm_nn_maxpool1d_forward(pout, pin, 1, 2, 7, 3);
    CHECK(pout[0] == 5 && pout[1] == 0 && pout[2] == 4 && pout[3] == 8, "maxpool %g %g %g %g", pout[0], pout[1],
          pout[2], pout[3]);

    /* residual with zero channel extension: (3, n=2) += (2, n=2) */
    float r[6] = {1, 1, 1, 1, 1, 1}, s[4] = {1, 2, 3, 4};
    tfm_nn_residual_forward(r, s, 3, 2, 2);
    CHECK(r[0] == 2 && r[3] == 5 && r[4] == 1 && r[5] == 1, "residual");

    float a[2] = {1, 2}, b[4] = {3, 4, 5, 6}, c[6];
    tfm_nn_concat_forward(c, a, b, 1, 2, 2);
    CHECK(c[0] == 1 && c[1] == 2 && c[2] == 3 && c[5] == 6, "concat");

    /* layout round trip (B=3, C=4, L=5) */
    float *v = rvec(60), *t = rvec(60), *u = rvec(60);
    tfm_nn_bcl_to_cbl(t, v, 3, 4, 5);
    CHECK(t[(2 * 3 + 1) * 5 + 4] == v[(1 * 4 + 2) * 5 + 4], "bcl_to_cbl element");
    tfm_nn_cbl_to_bcl(u, t, 3, 4, 5);
    CHECK(memcmp(u, v, sizeof(float) * 60) == 0, "layout round trip");
    free(v), free(t), free(u);
}

/* tfm_nn_exp, _softplus, _sigmoid, _log (basic operations only) against libm within 1e-15 relative,
 * over the whole range, and at the edges: overflow, underflow, NaN, large |z|. */
static void test_scalar(void)
{
    double we = 0, ws = 0, wg = 0;
    for (double x = -708; x < 709.7; x += 0.00731) {
        double e = exp(x), sp = x > 30 ? x + log1p(exp(-x)) : log1p(exp(x)), sg = 1 / (1 + exp(-x));
        we = fmax(we, fabs(tfm_nn_exp(x) - e) / e);
        ws = fmax(ws, fabs(tfm_nn_softplus(x) - sp) / sp);
        wg = fmax(wg, fabs(tfm_nn_sigmoid(x) - sg) / sg);
    }
    CHECK(we <= 1e-15 && ws <= 1e-15 && wg <= 1e-15, "exp %.3g softplus %.3g sigmoid %.3g", we, ws, wg);
    printf("exp, softplus, sigmoid vs libm over [-708, 709.7]: max rel err %.3g, %.3g, %.3g\n", we, ws, wg);
    CHECK(tfm_nn_exp(0) == 1 && tfm_nn_exp(710) == HUGE_VAL && tfm_nn_exp(-746) == 0 && isnan(tfm_nn_exp(NAN)),
          "exp edges: %g %g %g", tfm_nn_exp(0), tfm_nn_exp(710), tfm_nn_exp(-746));
    double wl = 0; /* log: relative error over many binades, absolute near 1 (where log is ~0) */
    for (double x = 1e-300; x < 1e300; x *= 1.0123)
        wl = fmax(wl, fabs(tfm_nn_log(x) - log(x)) / fmax(fabs(log(x)), 1));
    for (double x = 0.5; x < 2; x += 1e-5) wl = fmax(wl, fabs(tfm_nn_log(x) - log(x)) / fmax(fabs(log(x)), 1e-300));
    CHECK(wl <= 1e-15, "log: max rel err %.3g", wl);
    printf("log vs libm over [1e-300, 1e300]: max rel err %.3g\n", wl);
    CHECK(tfm_nn_log(1) == 0 && tfm_nn_log(0) == -HUGE_VAL && isnan(tfm_nn_log(-1)) && isnan(tfm_nn_log(NAN)) &&
              tfm_nn_log(HUGE_VAL) == HUGE_VAL,
          "log edges");
    CHECK(tfm_nn_softplus(-800) == 0 && tfm_nn_softplus(800) == 800 && tfm_nn_sigmoid(-800) == 0 &&
              tfm_nn_sigmoid(800) == 1 && tfm_nn_sigmoid(0) == 0.5,
          "softplus/sigmoid edges");
}

int main(void)
{
    test_scalar();
    test_conv1d();
    test_linear();
    test_plain();
    return check_summary();
}
