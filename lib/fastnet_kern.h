/* fastnet_kern.h: the TargetNet window forward, written once over a small vector vocabulary and
 * included by fastnet.c once per instruction set (AVX-512, AVX2+FMA, portable scalar).
 *
 * The includer defines: SFX (name suffix), TGT (function attribute), vf (vector type), VW
 * (lanes), VZERO(), VLOAD(p), VSTORE(p, v), VBCAST(p) (broadcast *p), VFMA(a, b, c) = a*b + c
 * rounded once, VADD, VMAX(a, b) = a > b ? a : b, VRELU(v) = v > 0 ? v : 0, and the register
 * blocking P16 / P32 / P32B: output positions per block for 16 / 32 output channels (P32B for
 * layers whose length P32 does not divide).
 *
 * Determinism: every output element is one FMA chain over j = k*Cin + i in increasing order,
 * started at +0, then the skip add; lanes are independent, so the blocking, the vector width and
 * the batch never change a sum. Only fused multiply-adds are used (fmaf() in the scalar
 * build), hence all three builds give the same bits. */

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)

#define MAXNV (32 / VW)
#define MAXP (P16 > P32 ? P16 : P32)

/* Output rows l0 .. l0+P-1 of a conv with NV*VW = Cout output channels. in: padded rows, row r
 * = input position r - pad, Cin floats each; row l0+p .. l0+p+K-1 are read, i.e. KC = K*Cin
 * consecutive floats from in + (l0+p)*Cin. w: (K*Cin, Cout). Epilogue per row: + skip (Cskip
 * first channels, stride Cskip) if given; the sum to raw (stride Cout) if given, its ReLU to
 * relu (stride Cout) if given. */
static inline __attribute__((always_inline)) TGT void F(conv_block)(const float *in, int Cin, int KC,
                                                                   const float *w, int P, int NV, int l0,
                                                                   const float *skip, int Cskip, float *raw,
                                                                   float *relu)
{
    const int Cout = NV * VW;
    vf acc[MAXP][MAXNV];
#pragma GCC unroll 32
    for (int p = 0; p < P; p++)
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) acc[p][n] = VZERO();
    const float *x = in + (size_t)l0 * Cin;
    for (int j = 0; j < KC; j++) {
        vf wv[MAXNV];
#pragma GCC unroll 32
        for (int n = 0; n < NV; n++) wv[n] = VLOAD(w + (size_t)j * Cout + n * VW);
#pragma GCC unroll 32
        for (int p = 0; p < P; p++) {
            vf b = VBCAST(x + (size_t)p * Cin + j);
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
            if (skip && n * VW < Cskip) v = VADD(v, VLOAD(skip + (size_t)l * Cskip + n * VW));
            if (raw) VSTORE(raw + (size_t)l * Cout + n * VW, v);
            if (relu) VSTORE(relu + (size_t)l * Cout + n * VW, VRELU(v));
        }
    }
}

/* A whole conv layer over output positions 0 .. L-1 (see conv_block). */
static inline __attribute__((always_inline)) TGT void F(conv_layer)(const float *in, int Cin, int K,
                                                                   const float *w, int Cout, int L,
                                                                   const float *skip, int Cskip, float *raw,
                                                                   float *relu)
{
    int l0 = 0, KC = K * Cin;
    if (Cout == 16) {
        for (; l0 + P16 <= L; l0 += P16) F(conv_block)(in, Cin, KC, w, P16, 16 / VW, l0, skip, Cskip, raw, relu);
        for (; l0 < L; l0++) F(conv_block)(in, Cin, KC, w, 1, 16 / VW, l0, skip, Cskip, raw, relu);
    } else if (L % P32 == 0) {
        for (; l0 < L; l0 += P32) F(conv_block)(in, Cin, KC, w, P32, 32 / VW, l0, skip, Cskip, raw, relu);
    } else {
        /* a second block size that divides the layer: no latency-bound one-position tail */
        for (; l0 + P32B <= L; l0 += P32B) F(conv_block)(in, Cin, KC, w, P32B, 32 / VW, l0, skip, Cskip, raw, relu);
        for (; l0 < L; l0++) F(conv_block)(in, Cin, KC, w, 1, 32 / VW, l0, skip, Cskip, raw, relu);
    }
}

/* One window x (10, 50) -> probability. s: scratch laid out by fastnet.c (pad rows zero). */
static TGT float F(window)(const tfm_fastnet_t *f, const float *x, fn_scratch_t *s)
{
    /* stem.0 on (mostly) one-hot input: per column, the nonzero rows in increasing order; the
     * chain over (k, i) then skips exact zeros, which leave a +0-started FMA chain unchanged. */
    int cnt[50];
    memset(cnt, 0, sizeof cnt);
    for (int i = 0; i < 10; i++)
        for (int c = 0; c < 50; c++) {
            float v = x[i * 50 + c];
            s->nz_i[c][cnt[c]] = (unsigned char)i;  /* written always, kept only if v != 0 */
            s->nz_v[c][cnt[c]] = v;
            cnt[c] += v != 0.0f;
        }
    for (int l = 0; l < 50; l++) {
        vf acc[16 / VW];
#pragma GCC unroll 16
        for (int n = 0; n < 16 / VW; n++) acc[n] = VZERO();
        for (int k = 0; k < 5; k++) {
            int c = l + k - 2;
            if (c < 0 || c >= 50) continue;
            for (int e = 0; e < cnt[c]; e++) {
                vf b = VBCAST(&s->nz_v[c][e]);
                const float *wr = f->w0 + (size_t)(k * 10 + s->nz_i[c][e]) * 16;
#pragma GCC unroll 16
                for (int n = 0; n < 16 / VW; n++) acc[n] = VFMA(b, VLOAD(wr + n * VW), acc[n]);
            }
        }
#pragma GCC unroll 16
        for (int n = 0; n < 16 / VW; n++) VSTORE(s->a + (size_t)(l + 2) * 16 + n * VW, VRELU(acc[n]));
    }
    /* stem.1 (k5, no activation) -> S (skip of stage1) and ReLU(S) padded for stage1.conv1 */
    F(conv_layer)(s->a, 16, 5, f->w1, 16, 50, NULL, 0, s->skip1, s->t + 16);
    /* stage1 */
    F(conv_layer)(s->t, 16, 3, f->w2, 16, 50, NULL, 0, NULL, s->a2 + 16);
    F(conv_layer)(s->a2, 16, 3, f->w3, 16, 50, s->skip1, 16, s->skip2, s->t + 16);
    /* stage2: 16 -> 32; the skip covers channels 0-15 only */
    F(conv_layer)(s->t, 16, 3, f->w4, 32, 50, NULL, 0, NULL, s->v + 32);
    /* positions 48-49 fall off the max-pool: not computed */
    F(conv_layer)(s->v, 32, 3, f->w5, 32, 48, s->skip2, 16, NULL, s->out);
    /* max-pool 3/3, then the linear layer as 32 per-channel FMA chains over t, summed in
     * channel order (scalar, so the reduction is the same for every vector width). */
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
            lacc[n] = VFMA(m, VLOAD(f->lw + t * 32 + n * VW), lacc[n]);
        }
    }
    float lane[32];
#pragma GCC unroll 32
    for (int n = 0; n < 32 / VW; n++) VSTORE(lane + n * VW, lacc[n]);
    float logit = 0.0f;
    for (int c = 0; c < 32; c++) logit += lane[c];
    logit += f->lb;
    return 1.0f / (1.0f + expf(-logit));
}

static TGT void F(forward)(const tfm_fastnet_t *f, const float *in, int n, float *prob, fn_scratch_t *s)
{
    for (int b = 0; b < n; b++) prob[b] = F(window)(f, in + (size_t)b * 500, s);
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
