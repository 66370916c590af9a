/* test_train: (1) every backward pass of nn_grad.c against float64 central differences of an
 * independent float64 forward written here (random small shapes; the relative error printed
 * is max |analytic - numeric| / max |numeric| over all elements, tolerance 1e-4: the analytic
 * side is float32); each backward must add into its gradients. The TargetFM1 trainer's whole
 * backward likewise, against a float64 forward of the head. (2) One full training step of
 * TargetNet and of deepTarget (loss, every gradient, the weights after two Adam steps) against
 * PyTorch (tests/vectors/train_step_vectors.safetensors, made by make_train_vectors.py),
 * within 1e-4: loss, every gradient, the weights after one Adam step (TargetNet), the loss of a
 * second step and the weights after it (both); and of the TargetFM1 head at d = 4 (loss, every
 * gradient, the weights after one Adam step; train_targetfm_vectors.safetensors, made by
 * make_train_targetfm_vectors.py). (3) SGD with momentum against its formula. (4) Determinism:
 * the same seed gives the same model bytes, with 1 and 2 threads (TargetFM1: RNA-FM embedding
 * included). */
#include <cblas.h>
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "ckpt.h"
#include "nn.h"
#include "rnafm.h"
#include "train.h"
#include "util.h"

#define TOL 1e-4
#define H 1e-6


typedef struct {
    size_t n;
    float *f;
    double *d;
} vec_t;

static vec_t vnew(size_t n)
{
    vec_t v = {n, tfm_malloc(sizeof(float) * (n ? n : 1)), tfm_malloc(sizeof(double) * (n ? n : 1))};
    for (size_t i = 0; i < n; i++) v.d[i] = v.f[i] = check_rfloat();
    return v;
}
static void vfree(vec_t *v) { free(v->f), free(v->d); }

/* gradient buffer pre-filled with 0.25 so that "adds into" is checked too */
static float *gbuf(size_t n)
{
    float *g = tfm_malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) g[i] = 0.25f;
    return g;
}

typedef double (*objfn)(void *ctx);

/* max |a - fd| / max |fd| over var[0..n), analytic gradient a (minus the 0.25 prefill) */
static double fd_rel(objfn f, void *ctx, double *var, size_t n, const float *a)
{
    double md = 0, mf = 0;
    for (size_t i = 0; i < n; i++) {
        double s = var[i];
        var[i] = s + H;
        double lp = f(ctx);
        var[i] = s - H;
        double lm = f(ctx);
        var[i] = s;
        double fd = (lp - lm) / (2 * H), an = (double)a[i] - 0.25;
        if (fabs(an - fd) > md) md = fabs(an - fd);
        if (fabs(fd) > mf) mf = fabs(fd);
    }
    return mf > 0 ? md / mf : md;
}

static double worst[16];
static const char *wname[16];
static int nworst;
static void record(const char *name, double e)
{
    int i = 0;
    while (i < nworst && strcmp(wname[i], name)) i++;
    if (i == nworst) wname[nworst++] = name, worst[i] = 0;
    if (e > worst[i]) worst[i] = e;
}

/* ------------------------------------------------------------------------------- conv1d */

typedef struct {
    int B, Cin, L, Cout, K, pl, pr;
    vec_t in, w, b, r;
} conv_ctx_t;

static double conv_obj(void *vctx)
{
    conv_ctx_t *c = vctx;
    int Lo = c->L + c->pl + c->pr - c->K + 1;
    double s = 0;
    for (int o = 0; o < c->Cout; o++)
        for (int b = 0; b < c->B; b++)
            for (int l = 0; l < Lo; l++) {
                double acc = c->b.d[o];
                for (int i = 0; i < c->Cin; i++)
                    for (int k = 0; k < c->K; k++) {
                        int p = l + k - c->pl;
                        if (p >= 0 && p < c->L) acc += c->w.d[(o * c->Cin + i) * c->K + k] * c->in.d[(i * c->B + b) * c->L + p];
                    }
                s += acc * c->r.d[(o * c->B + b) * Lo + l];
            }
    return s;
}

static void test_conv(void)
{
    for (int rep = 0; rep < 12; rep++) {
        conv_ctx_t c = {.B = check_rint(1, 3), .Cin = check_rint(1, 5), .L = check_rint(3, 12), .Cout = check_rint(1, 5), .K = check_rint(1, 5),
                        .pl = check_rint(0, 2), .pr = check_rint(0, 2)};
        if (c.L + c.pl + c.pr - c.K + 1 < 1) c.L = c.K;
        int Lo = c.L + c.pl + c.pr - c.K + 1;
        c.in = vnew((size_t)c.Cin * c.B * c.L), c.w = vnew((size_t)c.Cout * c.Cin * c.K), c.b = vnew(c.Cout);
        c.r = vnew((size_t)c.Cout * c.B * Lo);
        float *din = gbuf(c.in.n), *dw = gbuf(c.w.n), *db = gbuf(c.b.n);
        float *col = tfm_malloc(sizeof(float) * tfm_nn_conv1d_col_size(c.B, c.Cin, c.L, c.K, c.pl, c.pr));
        tfm_nn_conv1d_backward(din, dw, db, col, c.r.f, c.in.f, c.w.f, c.B, c.Cin, c.L, c.Cout, c.K, c.pl, c.pr);
        double e1 = fd_rel(conv_obj, &c, c.in.d, c.in.n, din), e2 = fd_rel(conv_obj, &c, c.w.d, c.w.n, dw);
        double e3 = fd_rel(conv_obj, &c, c.b.d, c.b.n, db);
        CHECK(e1 < TOL && e2 < TOL && e3 < TOL, "conv1d B=%d Cin=%d L=%d Cout=%d K=%d pad=%d/%d: rel err in %.3g w %.3g b %.3g",
              c.B, c.Cin, c.L, c.Cout, c.K, c.pl, c.pr, e1, e2, e3);
        record("conv1d input", e1), record("conv1d weight", e2), record("conv1d bias", e3);
        vfree(&c.in), vfree(&c.w), vfree(&c.b), vfree(&c.r);
        free(din), free(dw), free(db), free(col);
    }
}

/* ------------------------------------------------------------------------------- linear */

typedef struct {
    int N, Din, Dout;
    vec_t in, w, b, r;
} lin_ctx_t;

static double lin_obj(void *vctx)
{
    lin_ctx_t *c = vctx;
    double s = 0;
    for (int n = 0; n < c->N; n++)
        for (int o = 0; o < c->Dout; o++) {
            double acc = c->b.d[o];
            for (int i = 0; i < c->Din; i++) acc += c->in.d[n * c->Din + i] * c->w.d[o * c->Din + i];
            s += acc * c->r.d[n * c->Dout + o];
        }
    return s;
}

static void test_linear(void)
{
    for (int rep = 0; rep < 10; rep++) {
        lin_ctx_t c = {.N = check_rint(1, 5), .Din = check_rint(1, 20), .Dout = check_rint(1, 6)};
        c.in = vnew((size_t)c.N * c.Din), c.w = vnew((size_t)c.Dout * c.Din), c.b = vnew(c.Dout), c.r = vnew((size_t)c.N * c.Dout);
        float *din = gbuf(c.in.n), *dw = gbuf(c.w.n), *db = gbuf(c.b.n);
        tfm_nn_linear_backward(din, dw, db, c.r.f, c.in.f, c.w.f, c.N, c.Din, c.Dout);
        double e1 = fd_rel(lin_obj, &c, c.in.d, c.in.n, din), e2 = fd_rel(lin_obj, &c, c.w.d, c.w.n, dw);
        double e3 = fd_rel(lin_obj, &c, c.b.d, c.b.n, db);
        CHECK(e1 < TOL && e2 < TOL && e3 < TOL, "linear N=%d in=%d out=%d: rel err %.3g %.3g %.3g", c.N, c.Din, c.Dout, e1, e2, e3);
        record("linear input", e1), record("linear weight", e2), record("linear bias", e3);
        vfree(&c.in), vfree(&c.w), vfree(&c.b), vfree(&c.r);
        free(din), free(dw), free(db);
    }
}

/* ------------------------------------------------- relu, maxpool, residual, concat */

typedef struct {
    int kind; /* 0 relu, 1 maxpool, 2 residual (skip), 3 concat */
    int C, B, L, W, Cout, Cb;
    vec_t x, x2, r;
} ew_ctx_t;

static double ew_obj(void *vctx)
{
    ew_ctx_t *c = vctx;
    double s = 0;
    size_t n = (size_t)c->B * c->L;
    switch (c->kind) {
    case 0:
        for (size_t i = 0; i < c->x.n; i++) s += (c->x.d[i] > 0 ? c->x.d[i] : 0) * c->r.d[i];
        break;
    case 1: {
        int Lo = c->L / c->W;
        for (int cb = 0; cb < c->C * c->B; cb++)
            for (int t = 0; t < Lo; t++) {
                double m = -INFINITY;
                for (int j = 0; j < c->W; j++) m = fmax(m, c->x.d[cb * c->L + t * c->W + j]);
                s += m * c->r.d[cb * Lo + t];
            }
        break;
    }
    case 2: /* out = branch (x2, Cout channels) + [skip (x, C channels); 0] */
        for (size_t i = 0; i < (size_t)c->Cout * n; i++)
            s += (c->x2.d[i] + (i < (size_t)c->C * n ? c->x.d[i] : 0)) * c->r.d[i];
        break;
    case 3: /* out = [a (x, C); b (x2, Cb)] */
        for (size_t i = 0; i < (size_t)c->C * n; i++) s += c->x.d[i] * c->r.d[i];
        for (size_t i = 0; i < (size_t)c->Cb * n; i++) s += c->x2.d[i] * c->r.d[(size_t)c->C * n + i];
        break;
    }
    return s;
}

static void test_elementwise(void)
{
    for (int rep = 0; rep < 8; rep++) {
        ew_ctx_t c = {.C = check_rint(1, 4), .B = check_rint(1, 3), .L = check_rint(1, 13), .W = check_rint(1, 4)};
        size_t n = (size_t)c.B * c.L;
        /* relu */
        c.kind = 0, c.x = vnew((size_t)c.C * n), c.r = vnew(c.x.n), c.x2 = vnew(1);
        float *dx = gbuf(c.x.n);
        tfm_nn_relu_backward(dx, c.r.f, c.x.f, c.x.n);
        double e = fd_rel(ew_obj, &c, c.x.d, c.x.n, dx);
        CHECK(e < TOL, "relu n=%zu: rel err %.3g", c.x.n, e);
        record("relu", e);
        free(dx), vfree(&c.r);
        /* maxpool */
        c.kind = 1;
        if (c.L < c.W) c.L = c.W, n = (size_t)c.B * c.L, vfree(&c.x), c.x = vnew((size_t)c.C * n);
        c.r = vnew((size_t)c.C * c.B * (c.L / c.W));
        dx = gbuf(c.x.n);
        tfm_nn_maxpool1d_backward(dx, c.r.f, c.x.f, c.C, c.B, c.L, c.W);
        e = fd_rel(ew_obj, &c, c.x.d, c.x.n, dx);
        CHECK(e < TOL, "maxpool C=%d B=%d L=%d W=%d: rel err %.3g", c.C, c.B, c.L, c.W, e);
        record("maxpool1d", e);
        free(dx), vfree(&c.r), vfree(&c.x2);
        /* residual with zero channel extension: gradient of the skip (C) inside Cout >= C */
        c.kind = 2, c.Cout = c.C + check_rint(0, 3);
        c.x2 = vnew((size_t)c.Cout * n), c.r = vnew(c.x2.n);
        dx = gbuf(c.x.n);
        tfm_nn_residual_backward(dx, c.r.f, c.Cout, c.C, n);
        e = fd_rel(ew_obj, &c, c.x.d, c.x.n, dx);
        CHECK(e < TOL, "residual C=%d->%d: rel err %.3g", c.C, c.Cout, e);
        record("residual (skip)", e);
        free(dx), vfree(&c.r), vfree(&c.x2);
        /* concat */
        c.kind = 3, c.Cb = check_rint(1, 4);
        c.x2 = vnew((size_t)c.Cb * n), c.r = vnew((size_t)(c.C + c.Cb) * n);
        float *da = gbuf(c.x.n), *db = gbuf(c.x2.n);
        tfm_nn_concat_backward(da, db, c.r.f, c.C, c.Cb, n);
        double e1 = fd_rel(ew_obj, &c, c.x.d, c.x.n, da), e2 = fd_rel(ew_obj, &c, c.x2.d, c.x2.n, db);
        CHECK(e1 < TOL && e2 < TOL, "concat %d+%d: rel err %.3g %.3g", c.C, c.Cb, e1, e2);
        record("concat", fmax(e1, e2));
        free(da), free(db), vfree(&c.r), vfree(&c.x2), vfree(&c.x);
    }
}

/* ------------------------------------------------------------------------------- losses */

typedef struct {
    int kind, N; /* 0 bce, 1 softmax2 */
    vec_t z;
    unsigned char y[16];
    double cw[2];
} loss_ctx_t;

/* written from the definitions: -log sigmoid / -log softmax, in float64 */
static double loss_obj(void *vctx)
{
    loss_ctx_t *c = vctx;
    double s = 0, ws = 0;
    for (int i = 0; i < c->N; i++) {
        double w = c->cw[c->y[i]], l;
        if (c->kind == 0) {
            double p = 1 / (1 + exp(-c->z.d[i]));
            l = c->y[i] ? -log(p) : -log(1 - p);
        } else {
            double e0 = exp(c->z.d[2 * i]), e1 = exp(c->z.d[2 * i + 1]);
            l = -log((c->y[i] ? e1 : e0) / (e0 + e1));
        }
        s += w * l, ws += w;
    }
    return s / ws;
}

static void test_losses(void)
{
    for (int rep = 0; rep < 10; rep++) {
        for (int kind = 0; kind < 2; kind++) {
            loss_ctx_t c = {.kind = kind, .N = check_rint(1, 16)};
            c.z = vnew((size_t)c.N * (kind ? 2 : 1));
            for (size_t i = 0; i < c.z.n; i++) c.z.d[i] = c.z.f[i] *= 4; /* exact in float */
            for (int i = 0; i < c.N; i++) c.y[i] = check_rnd() & 1;
            c.cw[0] = rep & 1 ? 1.0 : 0.5, c.cw[1] = rep & 1 ? 1.0 : 2.0;
            float cw[2] = {(float)c.cw[0], (float)c.cw[1]};
            float *dz = gbuf(c.z.n);
            double l = kind ? tfm_nn_softmax2_xent_forward(c.z.f, c.y, cw, c.N) : tfm_nn_bce_logits_forward(c.z.f, c.y, cw, c.N);
            if (kind) tfm_nn_softmax2_xent_backward(dz, c.z.f, c.y, cw, c.N);
            else tfm_nn_bce_logits_backward(dz, c.z.f, c.y, cw, c.N);
            double e = fd_rel(loss_obj, &c, c.z.d, c.z.n, dz), ref = loss_obj(&c);
            CHECK(e < TOL && fabs(l - ref) < 1e-6 * (1 + ref), "%s N=%d: grad rel err %.3g, loss %.9g vs %.9g",
                  kind ? "softmax2-xent" : "bce-logits", c.N, e, l, ref);
            record(kind ? "softmax2 cross-entropy" : "sigmoid + BCE", e);
            free(dz), vfree(&c.z);
        }
    }
    /* stability: huge logits give finite losses and gradients in [-1, 1] */
    float z[4] = {1000, -1000, 1000, -1000};
    unsigned char y[2] = {0, 1};
    double l1 = tfm_nn_bce_logits_forward(z, y, NULL, 2), l2 = tfm_nn_softmax2_xent_forward(z, y, NULL, 2);
    CHECK(fabs(l1 - 1000) < 1e-6 && fabs(l2 - 1000) < 1e-6, "extreme logits: bce %g (1000), softmax %g (1000)", l1, l2);
    float g[4] = {0};
    tfm_nn_bce_logits_backward(g, z, y, NULL, 2);
    CHECK(fabs(g[0] - 0.5) < 1e-7 && fabs(g[1] + 0.5) < 1e-7, "extreme logits: bce grads %g %g", g[0], g[1]);
}

/* ------------------------------------------------------------- whole model vs PyTorch */

static const tfm_tensor_t *vec_get(const tfm_ckpt_t *c, const char *fmt, const char *a, const char *b)
{
    char name[256];
    snprintf(name, sizeof name, fmt, a, b);
    const tfm_tensor_t *t = tfm_ckpt_get(c, name);
    CHECK(t != NULL, "vector '%s' missing", name);
    return t;
}

/* The initial weights of the vectors: element j of the whole block (state-dict order)
 * = ((j * 2654435761 + 12345) mod 2^32 / 2^32 * 2 - 1) / sqrt(fan_in-ish scale); the
 * script computes the same in float64 and rounds to float32. */
static void init_hash(tfm_model_t *m)
{
    int ndim, shape[3];
    size_t j = 0;
    for (int i = 0; tfm_train_param_info(m, i, &ndim, shape); i++) {
        size_t n = 1;
        for (int d = 0; d < ndim; d++) n *= (size_t)shape[d];
        size_t fan = ndim == 1 ? 16 : n / (size_t)shape[0];
        float *p = m->params + tfm_train_param_offset(m, i);
        for (size_t k = 0; k < n; k++, j++) {
            uint64_t h = ((uint64_t)j * 2654435761u + 12345u) & 0xFFFFFFFFu;
            p[k] = (float)(((double)h / 4294967296.0 * 2.0 - 1.0) / sqrt((double)fan));
        }
    }
}

/* The batch of the vectors (make_train_vectors.py onehot_batch): x[b][half*letters + v][l] = 1
 * with v = (hash(b*1000 + half*100 + l) >> 16) % (letters + 1); v = letters: empty column. */
static float *onehot_batch(int B, int C, int L, int letters)
{
    float *x = tfm_calloc((size_t)B * C * L, sizeof(float));
    for (int b = 0; b < B; b++)
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < L; l++) {
                uint64_t j = (uint64_t)b * 1000 + (uint64_t)h * 100 + (uint64_t)l;
                uint64_t v = (((j * 2654435761u + 12345u) & 0xFFFFFFFFu) >> 16) % (uint64_t)(letters + 1);
                if ((int)v < letters) x[((size_t)b * C + h * (C / 2) + (int)v) * L + l] = 1.0f;
            }
    return x;
}

/* TargetFM1's batch (B, 2, 30, d) of "RNA-FM representations" is stored in the vectors. */
static void test_pytorch(const char *arch_name, tfm_arch_t arch, const tfm_ckpt_t *v)
{
    const tfm_tensor_t *fx = arch == TFM_ARCH_TARGETFM1 ? vec_get(v, "%s.x", arch_name, "") : NULL;
    if (arch == TFM_ARCH_TARGETFM1 && !fx) return;
    tfm_model_t *m = tfm_train_model_new(arch, 1, fx ? (int)fx->shape[3] : 0);
    init_hash(m);
    const tfm_tensor_t *y = vec_get(v, "%s.y", arch_name, "");
    const tfm_tensor_t *loss = vec_get(v, "%s.loss", arch_name, ""), *cwt = vec_get(v, "%s.class_weight", arch_name, "");
    const tfm_tensor_t *hp = vec_get(v, "%s.hparams", arch_name, "");
    if (!y || !loss || !cwt || !hp) return;
    int B = (int)y->numel;
    float *x = arch == TFM_ARCH_TARGETNET ? onehot_batch(B, 10, 50, 5)
             : fx ? memcpy(tfm_malloc(sizeof(float) * fx->numel), fx->data, sizeof(float) * fx->numel)
                  : onehot_batch(B, 8, 30, 4);
    unsigned char lab[64];
    for (int i = 0; i < B; i++) lab[i] = y->data[i] != 0;
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = arch, o.batch = B, o.lr = hp->data[0], o.weight_decay = hp->data[1];
    o.class_weight[0] = cwt->data[0], o.class_weight[1] = cwt->data[1];
    tfm_trainer_t *t = tfm_train_new(m, &o);
    double l = tfm_train_backward(t, x, lab, B);
    CHECK_NEAR(l, loss->data[0], 1e-5);
    const float *g = tfm_train_grad(t);
    double eg = 0, ew = 0;
    int ndim, shape[3];
    const char *name;
    for (int i = 0; (name = tfm_train_param_info(m, i, &ndim, shape)); i++) {
        const tfm_tensor_t *tg = vec_get(v, "%s.grad.%s", arch_name, name);
        if (!tg) continue;
        const float *gi = g + tfm_train_param_offset(m, i);
        for (int64_t k = 0; k < tg->numel; k++) eg = fmax(eg, fabs(gi[k] - tg->data[k]));
    }
    tfm_train_update(t);
    double ew1 = -1;
    for (int i = 0; (name = tfm_train_param_info(m, i, &ndim, shape)); i++) {
        char key[256];
        snprintf(key, sizeof key, "%s.step1.%s", arch_name, name);
        const tfm_tensor_t *tw = tfm_ckpt_get(v, key); /* TargetNet and TargetFM1 only */
        if (!tw) continue;
        const float *wi = m->params + tfm_train_param_offset(m, i);
        for (int64_t k = 0; k < tw->numel; k++) ew1 = fmax(ew1, fabs(wi[k] - tw->data[k]));
    }
    if (arch != TFM_ARCH_DEEPTARGET) CHECK(ew1 >= 0 && ew1 < 1e-4, "%s weights after 1 Adam step differ by %.3g", arch_name, ew1);
    const tfm_tensor_t *loss2 = arch == TFM_ARCH_TARGETFM1 ? NULL : vec_get(v, "%s.loss2", arch_name, "");
    if (loss2) { /* a second step on the same batch */
        double l2 = tfm_train_backward(t, x, lab, B);
        tfm_train_update(t);
        CHECK_NEAR(l2, loss2->data[0], 1e-5);
        for (int i = 0; (name = tfm_train_param_info(m, i, &ndim, shape)); i++) {
            const tfm_tensor_t *tw = vec_get(v, "%s.step2.%s", arch_name, name);
            if (!tw) continue;
            const float *wi = m->params + tfm_train_param_offset(m, i);
            for (int64_t k = 0; k < tw->numel; k++) ew = fmax(ew, fabs(wi[k] - tw->data[k]));
        }
    }
    char dim[32] = "";
    if (fx) snprintf(dim, sizeof dim, ", d %d", m->d);
    printf("%s vs PyTorch (batch %d%s, Adam lr %g wd %g, class weights %g/%g): loss %.7f vs %.7f, "
           "max |grad diff| %.3g, weights after 1 step %s%.3g, after 2 steps %s%.3g (tol 1e-4)\n",
           arch_name, B, dim, o.lr, o.weight_decay, o.class_weight[0], o.class_weight[1], l, loss->data[0], eg,
           ew1 < 0 ? "(not stored) " : "max |diff| ", ew1 < 0 ? 0.0 : ew1, loss2 ? "max |diff| " : "(not stored) ", ew);
    CHECK(eg < 1e-4, "%s gradient differs from PyTorch by %.3g", arch_name, eg);
    CHECK(ew < 1e-4, "%s weights after 2 Adam steps differ from PyTorch by %.3g", arch_name, ew);
    free(x);
    tfm_train_free(t);
    tfm_model_free(m);
}

/* ------------------------------------------------- TargetFM1 trainer vs finite differences */

/* A float64 forward of the TargetFM1 head (heads.md 3.1) and its class-weighted softmax
 * cross-entropy, on the parameters pd (the layout of m->params) and the input x. */
typedef struct {
    const tfm_model_t *m;
    int B, d;
    vec_t x;
    double *pd;
    unsigned char y[8];
    double cw[2];
} fm_ctx_t;

/* out (Cout, Lin - 2) = relu(conv1d k3 no padding (in (Cin, Lin))) */
static void conv3_relu_d(double *out, const double *in, const double *w, const double *b, int Cin, int Lin, int Cout)
{
    int Lo = Lin - 2;
    for (int o = 0; o < Cout; o++)
        for (int l = 0; l < Lo; l++) {
            double acc = b[o];
            for (int i = 0; i < Cin; i++)
                for (int k = 0; k < 3; k++) acc += w[(o * Cin + i) * 3 + k] * in[i * Lin + l + k];
            out[o * Lo + l] = acc > 0 ? acc : 0;
        }
}

static double fm_obj(void *vctx)
{
    fm_ctx_t *c = vctx;
    const double *P[14];
    for (int i = 0; i < 14; i++) P[i] = c->pd + tfm_train_param_offset(c->m, i);
    double s = 0, ws = 0, h[64 * 30], c2[16 * 28], c3[64 * 26], c4[16 * 24], f1[30], z[2];
    for (int b = 0; b < c->B; b++) {
        for (int half = 0; half < 2; half++) /* fc_mi / fc_mr per position, relu */
            for (int o = 0; o < 32; o++)
                for (int l = 0; l < 30; l++) {
                    const double *e = c->x.d + (((size_t)b * 2 + half) * 30 + l) * c->d, *w = P[2 * half] + o * c->d;
                    double acc = P[2 * half + 1][o];
                    for (int k = 0; k < c->d; k++) acc += w[k] * e[k];
                    h[(half * 32 + o) * 30 + l] = acc > 0 ? acc : 0;
                }
        conv3_relu_d(c2, h, P[4], P[5], 64, 30, 16);
        conv3_relu_d(c3, c2, P[6], P[7], 16, 28, 64);
        conv3_relu_d(c4, c3, P[8], P[9], 64, 26, 16);
        for (int o = 0; o < 30; o++) {
            f1[o] = P[11][o];
            for (int i = 0; i < 384; i++) f1[o] += P[10][o * 384 + i] * c4[i];
        }
        for (int o = 0; o < 2; o++) {
            z[o] = P[13][o];
            for (int i = 0; i < 30; i++) z[o] += P[12][o * 30 + i] * f1[i];
        }
        double mx = fmax(z[0], z[1]), lse = mx + log(exp(z[0] - mx) + exp(z[1] - mx)), w = c->cw[c->y[b]];
        s += w * (lse - z[c->y[b]]), ws += w;
    }
    return s / ws;
}

static void test_targetfm_fd(void)
{
    fm_ctx_t c = {.B = 3, .d = 6, .cw = {0.7, 1.3}};
    tfm_model_t *m = tfm_train_model_new(TFM_ARCH_TARGETFM1, 5, c.d);
    CHECK(m && m->d == c.d && tfm_model_input_size(m) == (size_t)2 * 30 * c.d, "TargetFM1 model of d %d", c.d);
    if (!m) return;
    c.m = m;
    c.x = vnew((size_t)c.B * 2 * 30 * c.d);
    for (int b = 0; b < c.B; b++) c.y[b] = b & 1;
    c.pd = tfm_malloc(sizeof(double) * m->n_params);
    for (size_t i = 0; i < m->n_params; i++) c.pd[i] = m->params[i];
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = TFM_ARCH_TARGETFM1, o.batch = c.B, o.class_weight[0] = 0.7f, o.class_weight[1] = 1.3f;
    tfm_trainer_t *t = tfm_train_new(m, &o);
    double l = tfm_train_backward(t, c.x.f, c.y, c.B), ref = fm_obj(&c);
    CHECK(fabs(l - ref) < 1e-5, "TargetFM1 loss %.9g vs float64 forward %.9g", l, ref);
    float *g = tfm_malloc(sizeof(float) * m->n_params); /* the 0.25 offset fd_rel expects */
    for (size_t i = 0; i < m->n_params; i++) g[i] = tfm_train_grad(t)[i] + 0.25f;
    /* every parameter of fc_mi and fc_mr; of the tail, the biases and fc2 (the float64 forward
     * is too slow to difference all 21,000 tail weights; the PyTorch step checks them all) */
    static const int which[] = {0, 1, 2, 3, 5, 7, 9, 11, 12, 13};
    int ndim, shape[3];
    for (size_t k = 0; k < sizeof which / sizeof *which; k++) {
        int i = which[k];
        const char *name = tfm_train_param_info(m, i, &ndim, shape);
        size_t off = tfm_train_param_offset(m, i), n = (size_t)shape[0] * (ndim > 1 ? (size_t)shape[1] : 1);
        double e = fd_rel(fm_obj, &c, c.pd + off, n, g + off);
        CHECK(e < TOL, "TargetFM1 %s: rel err %.3g", name, e);
        record(i < 4 ? "TargetFM1 fc_mi/fc_mr" : "TargetFM1 tail (part)", e);
    }
    tfm_train_free(t);
    tfm_model_free(m);
    free(g), free(c.pd), vfree(&c.x);
}

/* --------------------------------------------------------------------------- SGD formula */

/* --average: after steps w1, w2 from w0, avg = a (a w0 + (1-a) w1) + (1-a) w2; swapping shows the
 * average as the model's weights and swapping again restores the trained ones. */
static void test_average(void)
{
    tfm_model_t *m = tfm_train_model_new(TFM_ARCH_DEEPTARGET, 5, 0);
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = TFM_ARCH_DEEPTARGET, o.batch = 4, o.average = 0.75;
    tfm_trainer_t *t = tfm_train_new(m, &o);
    float x[4 * 240];
    unsigned char y[4] = {1, 0, 0, 1};
    for (int i = 0; i < 4 * 240; i++) x[i] = (check_rnd() & 3) == 0;
    size_t np = m->n_params;
    float *w[3];
    for (int s = 0; s < 3; s++) {
        w[s] = tfm_malloc(np * 4);
        memcpy(w[s], m->params, np * 4);
        if (s < 2) tfm_train_backward(t, x, y, 4), tfm_train_update(t);
    }
    tfm_train_swap_average(t);
    double e = 0, moved = 0;
    for (size_t i = 0; i < np; i++) {
        float a1 = 0.75f * w[0][i] + 0.25f * w[1][i], a2 = 0.75f * a1 + 0.25f * w[2][i];
        e = fmax(e, fabs(a2 - m->params[i])), moved = fmax(moved, fabs(w[2][i] - w[0][i]));
    }
    CHECK(e == 0 && moved > 0, "averaged weights: max err %.3g (weights moved %.3g)", e, moved);
    tfm_train_swap_average(t);
    CHECK(!memcmp(m->params, w[2], np * 4), "swapping twice restores the trained weights");
    for (int s = 0; s < 3; s++) free(w[s]);
    tfm_train_free(t);
    tfm_model_free(m);
}

static void test_sgd(void)
{
    tfm_model_t *m = tfm_train_model_new(TFM_ARCH_DEEPTARGET, 3, 0);
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = TFM_ARCH_DEEPTARGET, o.batch = 5, o.optimizer = TFM_OPT_SGD, o.lr = 0.1, o.momentum = 0.9,
    o.weight_decay = 0.01;
    tfm_trainer_t *t = tfm_train_new(m, &o);
    float x[5 * 240];
    unsigned char y[5] = {1, 0, 1, 1, 0};
    for (int i = 0; i < 5 * 240; i++) x[i] = (check_rnd() & 3) == 0;
    size_t np = m->n_params;
    float *p0 = tfm_malloc(np * 4), *g1 = tfm_malloc(np * 4), *p1 = tfm_malloc(np * 4);
    memcpy(p0, m->params, np * 4);
    tfm_train_backward(t, x, y, 5);
    memcpy(g1, tfm_train_grad(t), np * 4);
    tfm_train_update(t);
    memcpy(p1, m->params, np * 4);
    tfm_train_backward(t, x, y, 5);
    const float *g2 = tfm_train_grad(t);
    tfm_train_update(t);
    double e = 0;
    for (size_t i = 0; i < np; i++) {
        double b1 = g1[i] + 0.01 * p0[i], q1 = p0[i] - 0.1 * b1;
        double b2 = 0.9 * b1 + g2[i] + 0.01 * p1[i], q2 = p1[i] - 0.1 * b2;
        e = fmax(e, fmax(fabs(q1 - p1[i]), fabs(q2 - m->params[i])));
    }
    CHECK(e < 1e-6, "SGD with momentum and weight decay: max err %.3g", e);
    free(p0), free(g1), free(p1);
    tfm_train_free(t);
    tfm_model_free(m);
}

/* ------------------------------------------------------------------------ determinism */

static tfm_train_data_t *synth_data(tfm_enc_t enc, int n)
{
    tfm_train_data_t *d = tfm_train_data_new(enc);
    static const char nt[] = "ACGU";
    for (int i = 0; i < n; i++) {
        char mi[23], site[41];
        for (int k = 0; k < 22; k++) mi[k] = nt[check_rnd() & 3];
        for (int k = 0; k < 40; k++) site[k] = nt[check_rnd() & 3];
        mi[22] = site[40] = 0;
        int label = (int)(check_rnd() & 1);
        if (label) /* plant the seed match (reverse complement of miRNA nt 2-8) at offset 29 */
            for (int k = 0; k < 7; k++) {
                char b = mi[1 + k];
                site[35 - k] = b == 'A' ? 'U' : b == 'C' ? 'G' : b == 'G' ? 'C' : 'A';
            }
        int rc = tfm_train_data_add(d, mi, site, i == 3 ? 39 : 40, label, i % 5 == 0);
        CHECK(rc == 0, "synthetic row %d: %s", i, tfm_last_error());
    }
    return d;
}

/* --teacher: each training sample becomes itself and a copy of the other label, their weights
 * w s and w (1 - s) for the label 1 and 0 sides, s = alpha y + (1 - alpha) sigmoid(mean logit);
 * validation samples untouched. */
static void test_distill(void)
{
    tfm_train_data_t *d = synth_data(TFM_ENC_DEEPTARGET, 60);
    size_t n0 = d->n, nt0 = d->n_train;
    tfm_model_t *t[2] = {tfm_train_model_new(TFM_ARCH_DEEPTARGET, 11, 0), tfm_train_model_new(TFM_ARCH_DEEPTARGET, 12, 0)};
    float *x = tfm_malloc(sizeof(float) * d->insize * n0), z[2][64];
    for (size_t i = 0; i < n0 * d->insize; i++) x[i] = d->x[i];
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = TFM_ARCH_DEEPTARGET;
    for (int j = 0; j < 2; j++) {
        tfm_trainer_t *tr = tfm_train_new(t[j], &o);
        tfm_train_predict(tr, x, (int)n0, z[j]);
        tfm_train_free(tr);
    }
    unsigned char lab0[64];
    memcpy(lab0, d->label, n0);
    CHECK(tfm_train_data_distill(d, t, 2, 0.25, 2) == 0, "distill: %s", tfm_last_error());
    CHECK(d->n == n0 + nt0 && d->n_train == 2 * nt0, "distill: %zu samples (%zu + %zu)", d->n, n0, nt0);
    double e = 0;
    size_t c = n0;
    int copies_ok = 1;
    for (size_t i = 0; i < n0; i++) {
        if (d->is_val[i]) {
            e = fmax(e, fabs(d->weight[i] - 1.0));
            continue;
        }
        double s = 0.25 * lab0[i] + 0.75 * tfm_nn_sigmoid(((double)z[0][i] + z[1][i]) / 2);
        e = fmax(e, fabs(d->weight[i] - (lab0[i] ? s : 1 - s)));
        e = fmax(e, fabs(d->weight[c] - (lab0[i] ? 1 - s : s)));
        copies_ok &= d->label[c] == !lab0[i] && !memcmp(d->x + c * d->insize, d->x + i * d->insize, d->insize);
        c++;
    }
    CHECK(e < 1e-6 && copies_ok, "distill: soft-target weights off by %.3g, copies %s", e, copies_ok ? "ok" : "wrong");
    tfm_model_free(t[0]), tfm_model_free(t[1]), free(x);
    tfm_train_data_free(d);
}

static int file_eq(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb) eq = 0;
        if (ca == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return eq;
}

static void train_once(tfm_arch_t arch, int threads, const char *path, tfm_train_eval_t *ev0, tfm_train_eval_t *ev)
{
    tfm_train_data_t *d = synth_data(tfm_train_arch_encoding(arch), 200);
    if (arch == TFM_ARCH_TARGETFM1) { /* a small deterministic RNA-FM (d 16), same thread count */
        tfm_rnafm_t *fm = tfm_rnafm_new_det(2, 16, 4, 32, 64, 1);
        CHECK(fm && tfm_train_data_embed(d, fm, threads, NULL, NULL) == 0, "embed: %s", tfm_last_error());
        CHECK(d->n_fm > 0 && d->n_fm <= 400 && d->fm_d == 16 && d->insize == 2 * 30 * 16, "%zu distinct inputs", d->n_fm);
        tfm_rnafm_free(fm);
    }
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.arch = arch, o.epochs = 3, o.batch = 20, o.seed = 7, o.threads = threads, o.lr = arch == TFM_ARCH_TARGETNET ? 3e-3 : 1e-2;
    tfm_model_t *m = tfm_train_model_new(arch, o.seed, d->fm_d);
    tfm_trainer_t *t = tfm_train_new(m, &o);
    tfm_train_epoch_t st;
    tfm_train_evaluate(t, d, 0, ev0);
    for (int e = 0; e < o.epochs; e++) tfm_train_epoch(t, d, &st, NULL, NULL);
    tfm_train_evaluate(t, d, 0, ev);
    const char *k[] = {"architecture"}, *v[] = {tfm_model_arch_name(arch)};
    CHECK(tfm_train_save(path, m, k, v, 1) == 0, "save: %s", tfm_last_error());
    tfm_train_free(t);
    tfm_model_free(m);
    tfm_train_data_free(d);
}

/* The checkpoint's tensors, with fc_mr.weight claiming 5 input columns. */
static const tfm_tensor_t *narrow_fc_mr(void *ctx, const char *name)
{
    static tfm_tensor_t t;
    const tfm_tensor_t *x = tfm_ckpt_get(ctx, name);
    if (!x || strcmp(name, "fc_mr.weight")) return x;
    t = *x, t.shape[1] = 5, t.numel = 32 * 5;
    return &t;
}

static void test_determinism(void)
{
    char p[3][64];
    static const tfm_arch_t archs[] = {TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET, TFM_ARCH_TARGETFM1};
    for (int a = 0; a < 3; a++) {
        tfm_arch_t arch = archs[a];
        tfm_train_eval_t ev[3], ev0;
        for (int r = 0; r < 3; r++) {
            snprintf(p[r], sizeof p[r], "/tmp/tfm_test_train_%d_%d.safetensors", (int)getpid(), r);
            uint64_t keep = *check_rng_state(); /* the same synthetic data each time */
            train_once(arch, r == 2 ? 2 : 1, p[r], &ev0, &ev[r]);
            check_rng_seed(keep);
        }
        CHECK(file_eq(p[0], p[1]), "%s: two runs with the same seed differ", tfm_model_arch_name(arch));
        CHECK(file_eq(p[0], p[2]), "%s: 1 and 2 threads differ", tfm_model_arch_name(arch));
        /* a planted seed match: TargetNet's alignment encoding makes it easy (accuracy well above
         * chance after 3 epochs); deepTarget must first learn complementarity: its loss falls */
        printf("%s synthetic seed-match task, 3 epochs: train loss %.4f -> %.4f, accuracy %.3f\n",
               tfm_model_arch_name(arch), ev0.loss, ev[0].loss, ev[0].accuracy);
        if (arch == TFM_ARCH_TARGETNET)
            CHECK(ev[0].accuracy > 0.8, "TargetNet did not learn the synthetic task (accuracy %.3f)", ev[0].accuracy);
        CHECK(ev[0].loss < ev0.loss, "%s: training loss did not fall (%.4f -> %.4f)", tfm_model_arch_name(arch),
              ev0.loss, ev[0].loss);
        /* the written model loads back and binds (TargetFM1 at the RNA-FM's width, fc_mr's
         * width checked against fc_mi's) */
        tfm_ckpt_t *c = tfm_ckpt_load(p[0]);
        tfm_model_t *m = c ? tfm_model_from_ckpt(0, c) : NULL;
        CHECK(m && m->arch == arch && m->d == (arch == TFM_ARCH_TARGETFM1 ? 16 : 0), "reload of %s", p[0]);
        tfm_model_free(m);
        if (c && arch == TFM_ARCH_TARGETFM1) {
            m = tfm_model_bind(arch, narrow_fc_mr, c);
            CHECK(!m && strstr(tfm_last_error(), "'fc_mr.weight' has shape [32, 5], expected [32, 16]"), "%s",
                  tfm_last_error());
            tfm_model_free(m);
        }
        tfm_ckpt_free(c);
        for (int r = 0; r < 3; r++) unlink(p[r]);
    }
}

/* Candidate windows of a training site (10-mer-m6; windows listed by tfm-seed -m 10-mer-m6 on
 * the 40-nt site as a transcript): negatives give all, positives the best one. */
static void test_site_windows(void)
{
    int st[8], en[8];
    /* let-7c-5p: windows 1-8, 1-23, 1-29, 9-38, all with 4 seed errors -> the one ending
     * nearest nt 37 */
    const char *mi = "UGAGGUAGUAGGUUGUAUGGUU", *site = "UUAUGCCAGGUCUGUGCUGGCCACUCUCAUAUACCUCUUC";
    int n = tfm_train_site_windows(TFM_MODE_10M6, mi, site, 40, 0, st, en, 8);
    CHECK_INT(n, 4);
    if (n == 4) {
        const int ws[] = {1, 1, 1, 9}, we[] = {8, 23, 29, 38};
        for (int i = 0; i < 4; i++) CHECK(st[i] == ws[i] && en[i] == we[i], "negative window %d: %d-%d", i, st[i], en[i]);
    }
    CHECK_INT(tfm_train_site_windows(TFM_MODE_10M6, mi, site, 40, 0, st, en, 2), 2); /* at most max */
    n = tfm_train_site_windows(TFM_MODE_10M6, mi, site, 40, 1, st, en, 8);
    CHECK(n == 1 && st[0] == 9 && en[0] == 38, "positive: nearest the anchor (%d: %d-%d)", n, st[0], en[0]);
    /* miR-200c-3p: 1-14 and 1-27 with 4 errors, 8-37 with 1 -> fewest errors first */
    mi = "UAAUACUGCCGGGUAAUGAUGGA", site = "AGUAGGCACUCUUUACCAGGGAAAUAAGGCAGUAUUUGAA";
    n = tfm_train_site_windows(TFM_MODE_10M6, mi, site, 40, 1, st, en, 8);
    CHECK(n == 1 && st[0] == 8 && en[0] == 37, "positive: fewest errors (%d: %d-%d)", n, st[0], en[0]);
    CHECK_INT(tfm_train_site_windows(TFM_MODE_10M6, mi, site, 40, 0, st, en, 8), 3);
    /* no window */
    CHECK_INT(tfm_train_site_windows(TFM_MODE_O9M7, mi, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 40, 1, st, en, 8), 0);
}

/* Decoys and per-miRNA balance (train.h, "Identity control") on the 60 rows of tiny.tsv. */
static void test_identity_control(void)
{
    tfm_train_load_opt_t lo = {.layout = TFM_LAYOUT_SITES, .val_split = "val", .decoys = 2, .balance = 1, .seed = 5};
    tfm_train_data_t *d = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo);
    CHECK(d != NULL, "%s", tfm_last_error());
    if (!d) return;
    size_t pos_rows = 0, n_file = d->n - d->n_decoy;
    for (size_t i = 0; i < n_file; i++) pos_rows += d->label[i];
    /* whole sites (no windows): one decoy sample per positive row and round, each a negative
     * whose miRNA's seed (nt 2-8) differs from the row's own */
    CHECK_INT(d->rows_decoy, 2 * pos_rows);
    CHECK_INT(d->n_decoy, 2 * pos_rows);
    size_t k = n_file;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < n_file; i++) {
            if (!d->label[i]) continue;
            const char *own = d->mirna_seq[d->mirna[i]], *dec = d->mirna_seq[d->mirna[k]];
            CHECK(d->label[k] == 0 && d->is_val[k] == d->is_val[i] && memcmp(own + 1, dec + 1, 7) != 0 &&
                      !memcmp(d->x + k * d->insize + 30 * 4 * 0, d->x + k * d->insize, 1),
                  "decoy %zu of row %zu", k, i);
            /* the decoy keeps the row's site: the site half of the encoding is the row's */
            size_t half = d->insize / 2;
            CHECK(!memcmp(d->x + k * d->insize + half, d->x + i * d->insize + half, half), "decoy %zu site", k);
            k++;
        }
    /* balance: per split and miRNA, positive and negative weights add up to the same; weights
     * have mean 1 per split; a miRNA without positives weighs 0 */
    CHECK(d->weight != NULL, "no weights");
    for (int v = 0; v < 2 && d->weight; v++) {
        double mean = 0;
        size_t n = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->is_val[i] == v) mean += d->weight[i], n++;
        CHECK_NEAR(mean / n, 1.0, 1e-5);
        for (size_t m = 0; m < d->n_mirna; m++) {
            double w[2] = {0, 0};
            for (size_t i = 0; i < d->n; i++)
                if (d->is_val[i] == v && (size_t)d->mirna[i] == m) w[d->label[i]] += d->weight[i];
            int all_one = 1; /* a split without a miRNA of both classes keeps weights 1 */
            for (size_t i = 0; i < d->n; i++)
                if (d->is_val[i] == v && d->weight[i] != 1.0f) all_one = 0;
            CHECK(all_one || fabs(w[0] - w[1]) <= 1e-4 * fmax(w[1], 1e-30) + (w[0] == 0 && w[1] == 0),
                  "split %d miRNA %zu: %g vs %g", v, m, w[0], w[1]);
        }
    }
    /* the same options give the same samples; another seed draws other decoys */
    tfm_train_data_t *e = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo);
    lo.seed = 6;
    tfm_train_data_t *f = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo);
    CHECK(e && e->n == d->n && !memcmp(e->x, d->x, d->n * d->insize), "same seed, other decoys");
    CHECK(f && f->n == d->n && memcmp(f->x, d->x, d->n * d->insize), "other seed, same decoys");
    tfm_train_data_free(d), tfm_train_data_free(e), tfm_train_data_free(f);
    /* harmonic balance: classes equal per miRNA, a positive weighs N/P times a negative, and a
     * miRNA weighs 2PN/(P+N) in all (one scale per split) */
    lo.seed = 5, lo.balance = TFM_BALANCE_MIRNA_HARMONIC;
    d = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo);
    CHECK(d != NULL && d->weight != NULL, "%s", tfm_last_error());
    for (int v = 0; v < 2 && d && d->weight; v++) {
        double scale = 0;
        int tested = 0;
        for (size_t m = 0; m < d->n_mirna; m++) {
            double w[2] = {0, 0}, one[2] = {0, 0};
            size_t c[2] = {0, 0};
            for (size_t i = 0; i < d->n; i++)
                if (d->is_val[i] == v && (size_t)d->mirna[i] == m) w[d->label[i]] += d->weight[i], c[d->label[i]]++, one[d->label[i]] = d->weight[i];
            if (!c[0] || !c[1]) continue;
            double P = (double)c[1], N = (double)c[0], s = (w[0] + w[1]) / (2 * P * N / (P + N));
            if (!scale) scale = s;
            CHECK_NEAR(w[0], w[1], 1e-4 * w[1]);
            CHECK_NEAR(one[1] / one[0], N / P, 1e-4 * N / P);
            CHECK_NEAR(s, scale, 1e-4 * scale);
            tested++;
        }
        CHECK(v == 1 || tested > 1, "split %d: %d miRNAs with both classes", v, tested);
    }
    tfm_train_data_free(d);
    /* shuffled decoys: per positive row and round one negative sample (whole sites) of the row's
     * site with its miRNA's letters permuted (same letter counts, other nt 2-7), counted under the
     * row's miRNA; a fresh permutation per draw */
    tfm_train_load_opt_t lo3 = {.layout = TFM_LAYOUT_SITES, .val_split = "val", .shuffles = 2, .seed = 5};
    d = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo3);
    CHECK(d != NULL, "%s", tfm_last_error());
    if (d) {
        size_t nf = d->n - d->n_decoy, kk = nf, pr = 0, fresh = 0;
        const size_t L = TFM_ENC_DEEPTARGET_L, half = d->insize / 2;
        for (size_t i = 0; i < nf; i++) pr += d->label[i];
        CHECK_INT(d->n_decoy, 2 * pr);
        for (int round = 0; round < 2; round++)
            for (size_t i = 0; i < nf && kk < d->n; i++) {
                if (!d->label[i]) continue;
                const unsigned char *xi = d->x + i * d->insize, *xk = d->x + kk * d->insize;
                int same_counts = 1, seed_differs = 0;
                for (size_t c = 0; c < 4; c++) {
                    int ni = 0, nk = 0;
                    for (size_t l = 0; l < L; l++) ni += xi[c * L + l], nk += xk[c * L + l];
                    same_counts &= ni == nk;
                    for (size_t l = 1; l < 7; l++) seed_differs |= xi[c * L + l] != xk[c * L + l];
                }
                CHECK(d->label[kk] == 0 && d->is_val[kk] == d->is_val[i] && d->mirna[kk] == d->mirna[i] &&
                          same_counts && seed_differs && !memcmp(xk + half, xi + half, half),
                      "shuffled decoy %zu of row %zu", kk, i);
                if (round && memcmp(xk, d->x + (kk - pr) * d->insize, half)) fresh++;
                kk++;
            }
        CHECK(fresh > pr / 2, "%zu of %zu second-round shuffles differ from the first", fresh, pr);
        tfm_train_data_free(d);
    }
    /* decoy negatives: the file's negative training rows are left out, validation keeps its own */
    tfm_train_load_opt_t lo2 = {.layout = TFM_LAYOUT_SITES, .val_split = "val", .decoy_negatives = 1, .decoys = 1, .seed = 5};
    d = tfm_train_data_load("data/train/tiny.tsv", TFM_ENC_DEEPTARGET, &lo2);
    CHECK(d != NULL, "%s", tfm_last_error());
    if (d) {
        size_t neg_train_file = 0;
        for (size_t i = 0; i < d->n - d->n_decoy; i++) neg_train_file += !d->label[i] && !d->is_val[i];
        CHECK(d->n_dropped > 0 && neg_train_file == 0, "dropped %zu, left %zu", d->n_dropped, neg_train_file);
        tfm_train_data_free(d);
    }
}

/* Per-sample weights: a batch with weights w gives the gradient of sum_i w_i l_i / sum_i 1, the
 * same as the batch with each sample repeated w_i times (integer weights), scaled by B / B'. */
static void test_sample_weights(void)
{
    tfm_model_t *m = tfm_train_model_new(TFM_ARCH_DEEPTARGET, 3, 0);
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    o.batch = 64;
    tfm_trainer_t *t = tfm_train_new(m, &o);
    size_t in = tfm_model_input_size(m);
    float *x = malloc(sizeof(float) * in * 8), *w = malloc(sizeof(float) * 4);
    unsigned char y[8] = {1, 0, 1, 0, 1, 0, 0, 1}, y2[8];
    uint64_t r = 9;
    for (size_t i = 0; i < in * 4; i++) r = r * 6364136223846793005ULL + 1, x[i] = (r >> 40) & 1;
    /* weights 2, 0, 1, 1 (mean 1) against samples 0, 0, 2, 3 (sample 1 dropped) */
    w[0] = 2, w[1] = 0, w[2] = 1, w[3] = 1;
    double l1 = tfm_train_backward_w(t, x, y, w, 4);
    float *g1 = malloc(sizeof(float) * m->n_params);
    memcpy(g1, tfm_train_grad(t), sizeof(float) * m->n_params);
    float *x2 = x + in * 4;
    memcpy(x2, x, sizeof(float) * in), memcpy(x2 + in, x, sizeof(float) * in);
    memcpy(x2 + 2 * in, x + 2 * in, sizeof(float) * in * 2);
    y2[0] = y2[1] = y[0], y2[2] = y[2], y2[3] = y[3];
    double l2 = tfm_train_backward(t, x2, y2, 4);
    const float *g2 = tfm_train_grad(t);
    double worst = 0, big = 0;
    for (size_t i = 0; i < m->n_params; i++) {
        worst = fmax(worst, fabs(g1[i] - g2[i]));
        big = fmax(big, fabs(g2[i]));
    }
    CHECK_NEAR(l1, l2, 1e-6);
    CHECK(worst <= 1e-5 * big, "weighted gradient differs by %g (max %g)", worst, big);
    free(x), free(w), free(g1);
    tfm_train_free(t);
    tfm_model_free(m);
}

int main(void)
{
    check_rng_seed(0x243F6A8885A308D3ull);
    openblas_set_num_threads(1);
    test_site_windows();
    test_identity_control();
    test_sample_weights();
    test_conv();
    test_linear();
    test_elementwise();
    test_losses();
    test_targetfm_fd();
    printf("finite differences (float64 central, h = %g; max |analytic - numeric| / max |numeric|, tol %g):\n", H, TOL);
    for (int i = 0; i < nworst; i++) printf("  %-24s %.3g\n", wname[i], worst[i]);
    test_sgd();
    test_average();
    tfm_ckpt_t *v = tfm_ckpt_load("vectors/train_step_vectors.safetensors");
    CHECK(v != NULL, "cannot load vectors: %s", tfm_last_error());
    if (v) {
        test_pytorch("targetnet", TFM_ARCH_TARGETNET, v);
        test_pytorch("deeptarget", TFM_ARCH_DEEPTARGET, v);
        tfm_ckpt_free(v);
    }
    v = tfm_ckpt_load("vectors/train_targetfm_vectors.safetensors");
    CHECK(v != NULL, "cannot load vectors: %s", tfm_last_error());
    if (v) {
        test_pytorch("targetfm", TFM_ARCH_TARGETFM1, v);
        tfm_ckpt_free(v);
    }
    test_determinism();
    test_distill(); /* last: the synthetic rows it draws would change the earlier tests' */
    return check_summary();
}
