/* fastnet_kern.h: the window forwards of TargetNet and deepTarget, written once over a small
 * vector vocabulary and included by fastnet.c once per instruction set (AVX-512, AVX2+FMA,
 * portable scalar).
 *
 * The includer defines: SFX (name suffix), TGT (function attribute), vf (vector type), VW
 * (lanes), VZERO(), VLOAD(p), VSTORE(p, v), VBCAST(p) (broadcast *p), VFMA(a, b, c) = a*b + c
 * rounded once, VADD, VMAX(a, b) = a > b ? a : b, VRELU(v) = v > 0 ? v : 0, and the register
 * blocking, output positions per block of a layer: P16 / P32 / P32B for TargetNet's layers of
 * 16 / 32 output channels (P32B where P32 does not divide the length), DT2 / DT3 / DT4 for
 * deepTarget's conv2 / conv3 (per 32 channels) / conv4, and DT2B / DT3B for their remainders.
 *
 * Determinism: every output element is one FMA chain over j = k*Cin + i in increasing order,
 * started at +0 or at the bias, then the skip add; lanes are independent, so the blocking, the
 * vector width and the batch never change a sum. Only fused multiply-adds are used (fmaf() in
 * the scalar build), hence all three builds give the same bits. */

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)

#define MAXNV (32 / VW)
#define MAXP 32

/* Output rows l0 .. l0+P-1, channels c0 .. c0+NV*VW-1 of the conv c (fn_conv_t of fastnet.c). */
static inline __attribute__((always_inline)) TGT void F(conv_block)(const fn_conv_t *c, int c0, int NV, int P,
                                                                   int l0)
{
    const int Cout = c->Cout, KC = c->K * c->Cin;
    vf acc[MAXP][MAXNV];
#pragma GCC unroll 32
    for (int p = 0; p < P; p++)
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) acc[p][n] = c->bias ? VLOAD(c->bias + c0 + n * VW) : VZERO();
    const float *x = c->in + (size_t)l0 * c->Cin, *w = c->w + c0;
    for (int j = 0; j < KC; j++) {
        vf wv[MAXNV];
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) wv[n] = VLOAD(w + (size_t)j * Cout + n * VW);
#pragma GCC unroll 32
        for (int p = 0; p < P; p++) {
            vf b = VBCAST(x + (size_t)p * c->Cin + j);
#pragma GCC unroll 32
            for (int n = 0; n < NV; n++) acc[p][n] = VFMA(b, wv[n], acc[p][n]);
        }
    }
#pragma GCC unroll 32
    for (int p = 0; p < P; p++) {
        int l = l0 + p;
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) {
            vf v = acc[p][n];
            int o = c0 + n * VW;
            if (c->skip && o < c->Cskip) v = VADD(v, VLOAD(c->skip + (size_t)l * c->Cskip + o));
            if (c->raw) VSTORE(c->raw + (size_t)l * Cout + o, v);
            if (c->relu) VSTORE(c->relu + (size_t)l * Cout + o, VRELU(v));
        }
    }
}

/* The conv c over output positions 0 .. L-1, CB channels at a time: blocks of P positions, then
 * of PB, then single positions (P, PB: constants of the includer, so the blocks are unrolled). */
static inline __attribute__((always_inline)) TGT void F(conv_layer)(const fn_conv_t *c, int L, int CB, int P,
                                                                   int PB)
{
    for (int c0 = 0; c0 < c->Cout; c0 += CB) {
        int l0 = 0;
        for (; l0 + P <= L; l0 += P) F(conv_block)(c, c0, CB / VW, P, l0);
        for (; l0 + PB <= L; l0 += PB) F(conv_block)(c, c0, CB / VW, PB, l0);
        for (; l0 < L; l0++) F(conv_block)(c, c0, CB / VW, 1, l0);
    }
}

/* A conv with K taps and zero padding `pad` of a sparse input (fn_nonzeros: per column its
 * nonzero values and rows, stride Cin), w (K, Cin, NV*VW), chains started at bias (or +0):
 * ReLU of output position l (0 .. L-1) to out + l*ostride. Skipping the zeros leaves each
 * chain as the dense one (a multiply by an exact zero adds nothing). */
static inline __attribute__((always_inline)) TGT void F(sparse_conv)(const float *nz_v, const unsigned char *nz_i,
                                                                    const int *cnt, int L, int K, int pad, int Cin,
                                                                    const float *w, const float *bias, int NV,
                                                                    float *out, int ostride)
{
    const int Cout = NV * VW;
    for (int l = 0; l < L; l++) {
        vf acc[MAXNV];
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) acc[n] = bias ? VLOAD(bias + n * VW) : VZERO();
        for (int k = 0; k < K; k++) {
            int c = l + k - pad;
            if (c < 0 || c >= L) continue;
            for (int e = 0; e < cnt[c]; e++) {
                vf b = VBCAST(&nz_v[c * Cin + e]);
                const float *wr = w + (size_t)(k * Cin + nz_i[c * Cin + e]) * Cout;
#pragma GCC unroll 32
                for (int n = 0; n < NV; n++) acc[n] = VFMA(b, VLOAD(wr + n * VW), acc[n]);
            }
        }
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) VSTORE(out + (size_t)l * ostride + n * VW, VRELU(acc[n]));
    }
}

/* The NV*VW lanes of acc summed one by one in lane order: the same reduction for every width. */
static inline __attribute__((always_inline)) TGT float F(lane_sum)(const vf *acc, int NV)
{
    float lane[32], s = 0.0f;
#pragma GCC unroll 32
    for (int n = 0; n < NV; n++) VSTORE(lane + n * VW, acc[n]);
    for (int c = 0; c < NV * VW; c++) s += lane[c];
    return s;
}

/* TargetNet: one window x (10, 50) -> probability. s: scratch laid out by fastnet.c (pad rows
 * zero). */
static TGT float F(tn_window)(const tfm_fastnet_t *f, const float *x, fn_scratch_t *s)
{
    const fn_targetnet_t *w = &f->tn;
    int cnt[50];
    fn_nonzeros(x, 10, 50, s->nz_v, s->nz_i, cnt);
    /* stem.0 (k5, pad 2) -> ReLU, rows 2.. of the padded buffer */
    F(sparse_conv)(s->nz_v, s->nz_i, cnt, 50, 5, 2, 10, w->w0, NULL, 16 / VW, s->a + 2 * 16, 16);
    /* stem.1 (k5, no activation) -> S (skip of stage1) and ReLU(S) padded for stage1.conv1 */
    F(conv_layer)(&(fn_conv_t){.in = s->a, .Cin = 16, .K = 5, .w = w->w1, .Cout = 16, .raw = s->skip1,
                               .relu = s->t + 16},
                  50, 16, P16, 1);
    /* stage1 */
    F(conv_layer)(&(fn_conv_t){.in = s->t, .Cin = 16, .K = 3, .w = w->w2, .Cout = 16, .relu = s->a2 + 16}, 50, 16,
                  P16, 1);
    F(conv_layer)(&(fn_conv_t){.in = s->a2, .Cin = 16, .K = 3, .w = w->w3, .Cout = 16, .skip = s->skip1,
                               .Cskip = 16, .raw = s->skip2, .relu = s->t + 16},
                  50, 16, P16, 1);
    /* stage2: 16 -> 32; the skip covers channels 0-15 only */
    F(conv_layer)(&(fn_conv_t){.in = s->t, .Cin = 16, .K = 3, .w = w->w4, .Cout = 32, .relu = s->v + 32}, 50, 32,
                  P32B, 1);
    /* positions 48-49 fall off the max-pool: not computed */
    F(conv_layer)(&(fn_conv_t){.in = s->v, .Cin = 32, .K = 3, .w = w->w5, .Cout = 32, .skip = s->skip2,
                               .Cskip = 16, .relu = s->out},
                  48, 32, P32, 1);
    /* max-pool 3/3, then the linear layer as 32 per-channel FMA chains over t, summed in
     * channel order */
    vf lacc[32 / VW];
#pragma GCC unroll 32
    for (int n = 0; n < 32 / VW; n++) lacc[n] = VZERO();
    for (int t = 0; t < 16; t++) {
#pragma GCC unroll 32
        for (int n = 0; n < 32 / VW; n++) {
            const float *o = s->out + (size_t)3 * t * 32 + n * VW;
            vf m = VLOAD(o);
            m = VMAX(VLOAD(o + 32), m);
            m = VMAX(VLOAD(o + 64), m);
            lacc[n] = VFMA(m, VLOAD(w->lw + t * 32 + n * VW), lacc[n]);
        }
    }
    float logit = F(lane_sum)(lacc, 32 / VW) + w->lb;
    return 1.0f / (1.0f + tfm_expf(-logit));
}

/* deepTarget: one window x (8, 30) -> probability (heads.md 2.2). */
static TGT float F(dt_window)(const tfm_fastnet_t *f, const float *x, fn_scratch_t *s)
{
    const fn_deeptarget_t *w = &f->dt;
    int cnt[30];
    /* the shared embd1 (k3, pad 1) on the miRNA rows, then on the CTS rows: each half of the
     * (30, 64) concat */
    for (int h = 0; h < 2; h++) {
        fn_nonzeros(x + h * 4 * 30, 4, 30, s->nz_v, s->nz_i, cnt);
        F(sparse_conv)(s->nz_v, s->nz_i, cnt, 30, 3, 1, 4, w->e1, w->e1b, 32 / VW, s->cat + h * 32, 64);
    }
    F(conv_layer)(&(fn_conv_t){.in = s->cat, .Cin = 64, .K = 3, .w = w->c2, .bias = w->c2b, .Cout = 16,
                               .relu = s->c2},
                  28, 16, DT2, DT2B);
    F(conv_layer)(&(fn_conv_t){.in = s->c2, .Cin = 16, .K = 3, .w = w->c3, .bias = w->c3b, .Cout = 64,
                               .relu = s->c3},
                  26, 32, DT3, DT3B);
    F(conv_layer)(&(fn_conv_t){.in = s->c3, .Cin = 64, .K = 3, .w = w->c4, .bias = w->c4b, .Cout = 16,
                               .relu = s->c4},
                  24, 16, DT4, 1);
    /* fc2 . fc1 as one vector (fastnet.c): 16 per-channel FMA chains over l, summed in channel
     * order, give l0 - l1 */
    vf acc[16 / VW];
#pragma GCC unroll 16
    for (int n = 0; n < 16 / VW; n++) acc[n] = VZERO();
    for (int l = 0; l < 24; l++)
#pragma GCC unroll 16
        for (int n = 0; n < 16 / VW; n++)
            acc[n] = VFMA(VLOAD(s->c4 + l * 16 + n * VW), VLOAD(w->fd + l * 16 + n * VW), acc[n]);
    float d = F(lane_sum)(acc, 16 / VW) + w->fdb;
    return 1.0f / (1.0f + tfm_expf(d)); /* softmax(l0, l1)[1] as tfm_nn_softmax2_forward */
}

static TGT void F(forward)(const tfm_fastnet_t *f, const float *in, int n, float *prob, fn_scratch_t *s)
{
    if (f->arch == TFM_ARCH_DEEPTARGET)
        for (int b = 0; b < n; b++) prob[b] = F(dt_window)(f, in + (size_t)b * 240, s);
    else
        for (int b = 0; b < n; b++) prob[b] = F(tn_window)(f, in + (size_t)b * 500, s);
}

#undef MAXNV
#undef MAXP
#undef F
#undef CAT
#undef CAT_

/* The parameters are per instantiation: undefine them for the next one. */
#undef SFX
#undef TGT
#undef vf
#undef VW
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VBCAST
#undef VFMA
#undef VADD
#undef VMAX
#undef VRELU
#undef P16
#undef P32
#undef P32B
#undef DT2
#undef DT2B
#undef DT3
#undef DT3B
#undef DT4
