/* qnet_kern.h: the integer deepTarget window forward, written once over a small vector
 * vocabulary and included by qnet.c once per instruction set.
 *
 * The includer defines: SFX (name suffix), TGT (function attribute), vi / vf (vectors of VW
 * int32 / float lanes), VW, VIZERO(), VILOAD(p) (VW int32), VBCAST32(p) (the 4 bytes at p in
 * every lane), DP(acc, a, ly, off) = acc + per lane the dot product of the 4 u8 of a and the
 * 4 s8 weights of that lane, lanes from (group, output) entry `off` of layer ly (qlayer_t: w8,
 * or we / wo, the same weights as int16 pairs, for builds without a u8 x s8 instruction), VCVT(vi) -> vf (round to nearest even), VFLOAD,
 * VADD, VMUL, VFMA (one rounding), VMAXF, VMINF, VSET1F, VRELUI (int max with 0), VTOU8(p, vf)
 * (the lanes, integral and in [0, 255], as bytes at p), and the register blocking Q3 / Q3B
 * (conv3 positions per block and for the rest), Q3C (conv3 output channels per block), Q4.
 *
 * Determinism: the integer sums are exact; each float value is one operation on exact or
 * already-rounded inputs, per lane; the final chain runs over positions in increasing order for
 * every build; hence every build gives the same bits. */

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)
#define QMAXNV (64 / VW)
#define QMAXP 24

/* ReLU, clamp to 255 and round: the u8 code of float lanes v (already scaled) at p. */
static inline __attribute__((always_inline)) TGT void F(q_store)(unsigned char *p, vf v)
{
    v = VMAXF(v, VSET1F(0.0f));
    v = VMINF(v, VSET1F(255.0f));
    VTOU8(p, v);
}

/* Output positions l0 .. l0+P-1, channels c0 .. c0+NV*VW-1 of an integer conv over u8 rows
 * of Cin bytes (in), G = K*Cin/4 groups of 4 inputs. Epilogue: requantise to u8 rows of Cout
 * (out), or (out NULL) multiply-add ReLU(acc) by fc[l*Cout + c] into the per-lane chains fac. */
static inline __attribute__((always_inline)) TGT void F(q_block)(const qlayer_t *ly, const unsigned char *in,
                                                                int Cin, int Cout, int c0, int NV, int P, int l0,
                                                                unsigned char *out, const float *fc, vf *fac)
{
    vi acc[QMAXP][QMAXNV];
    const int G = ly->groups;
#pragma GCC unroll 24
    for (int p = 0; p < P; p++)
#pragma GCC unroll 16
        for (int n = 0; n < NV; n++) acc[p][n] = VILOAD(ly->bias + c0 + n * VW);
    for (int g = 0; g < G; g++) {
        const size_t off = (size_t)g * Cout + c0; /* of (group, output) */
#pragma GCC unroll 24
        for (int p = 0; p < P; p++) {
            vi a = VBCAST32(in + (size_t)(l0 + p) * Cin + 4 * g);
#pragma GCC unroll 16
            for (int n = 0; n < NV; n++)
                acc[p][n] = DP(acc[p][n], a, ly, off + (size_t)n * VW);
        }
    }
#pragma GCC unroll 24
    for (int p = 0; p < P; p++) {
        int l = l0 + p;
#pragma GCC unroll 16
        for (int n = 0; n < NV; n++) {
            int o = c0 + n * VW;
            if (out) {
                F(q_store)(out + (size_t)l * Cout + o, VMUL(VCVT(acc[p][n]), VFLOAD(ly->mul + o)));
            } else {
                fac[n] = VFMA(VCVT(VRELUI(acc[p][n])), VFLOAD(fc + (size_t)l * Cout + o), fac[n]);
            }
        }
    }
}

/* The conv over output positions 0 .. L-1, CB channels at a time, blocks of P, then PB, then 1. */
static inline __attribute__((always_inline)) TGT void F(q_layer)(const qlayer_t *ly, const unsigned char *in,
                                                                int Cin, int Cout, int L, int CB, int P, int PB,
                                                                unsigned char *out, const float *fc, vf *fac)
{
    for (int c0 = 0; c0 < Cout; c0 += CB) {
        int l0 = 0;
        for (; l0 + P <= L; l0 += P) F(q_block)(ly, in, Cin, Cout, c0, CB / VW, P, l0, out, fc, fac);
        for (; l0 + PB <= L; l0 += PB) F(q_block)(ly, in, Cin, Cout, c0, CB / VW, PB, l0, out, fc, fac);
        for (; l0 < L; l0++) F(q_block)(ly, in, Cin, Cout, c0, CB / VW, 1, l0, out, fc, fac);
    }
}

static TGT float F(q_window)(const tfm_qnet_t *q, const unsigned char *codes)
{
    _Alignas(64) unsigned char c2[28 * 16 + 64], c3[26 * 64 + 64];
    int im[28], ic[28];
    q_index5(codes, im), q_index5(codes + 30, ic);
    /* conv2 by table: ReLU(miRNA part + CTS part), to u8, rows of its c2s live channels (each
     * row's store runs into the next, which overwrites it: in increasing order) */
    const int cs = q->c2s;
    for (int l = 0; l < 28; l++)
#pragma GCC unroll 16
        for (int n = 0; n < 16 / VW; n++) {
            vf v = VADD(VFLOAD(q->mir + (size_t)im[l] * 16 + n * VW), VFLOAD(q->cts + (size_t)ic[l] * 16 + n * VW));
            F(q_store)(c2 + l * cs + n * VW, VMUL(v, VFLOAD(q->inv2 + n * VW)));
        }
    memset(c2 + 28 * cs, 0, 16); /* conv3's last group may read past the rows (weights 0) */
    F(q_layer)(&q->l3, c2, cs, 64, 26, Q3C, Q3, Q3B, c3, NULL, NULL);
    vf fac[16 / VW];
#pragma GCC unroll 16
    for (int n = 0; n < 16 / VW; n++) fac[n] = VSET1F(0.0f);
    F(q_layer)(&q->l4, c3, 64, 16, 24, 16, Q4, 1, NULL, q->fd, fac);
    float lane[16], d = 0.0f;
#pragma GCC unroll 16
    for (int n = 0; n < 16 / VW; n++) VFSTORE(lane + n * VW, fac[n]);
    for (int c = 0; c < 16; c++) d += lane[c];
    d += q->fdb;
    return 1.0f / (1.0f + tfm_expf(d)); /* softmax(l0, l1)[1], as fastnet */
}

static TGT void F(q_forward)(const tfm_qnet_t *q, const unsigned char *codes, int n, float *prob)
{
    for (int b = 0; b < n; b++) prob[b] = F(q_window)(q, codes + (size_t)b * TFM_QNET_CODES);
}

#undef QMAXNV
#undef QMAXP
#undef F
#undef CAT
#undef CAT_
/* the vocabulary too, unless the includer keeps it for the next build (QN_KEEP_VOCAB) */
#ifdef QN_KEEP_VOCAB
#undef QN_KEEP_VOCAB
#else
#undef vi
#undef vf
#undef VW
#undef VIZERO
#undef VILOAD
#undef VBCAST32
#undef VCVT
#undef VFLOAD
#undef VFSTORE
#undef VADD
#undef VMUL
#undef VFMA
#undef VMAXF
#undef VMINF
#undef VSET1F
#undef VRELUI
#undef VTOU8
#endif
#undef SFX
#undef TGT
#undef DP
#undef Q3
#undef Q3B
#undef Q3C
#undef Q4
