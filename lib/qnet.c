#include "qnet.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QN_X86 1
#endif

#include "detmath.h"
#include "fastnet.h"
#include "util.h"

#define NCODE 3125 /* 5^5 five-letter codes */

/* An integer conv layer: weights (groups of 4 inputs, Cout, 4) as s8, and as int16 pairs of
 * bytes 0,2 (we) and 1,3 (wo) of each group; bias in accumulator units; mul: accumulator ->
 * next layer's u8 code (conv3 only). */
typedef struct {
    int groups;
    int8_t *w8;
    int16_t *we, *wo;
    int32_t *bias;
    float *mul;
} qlayer_t;

struct tfm_qnet_s {
    float *mir, *cts;   /* (NCODE, 16): conv2's bias + miRNA part, and CTS part, per 5-letter code */
    float *inv2;        /* (16) conv2 output -> u8 code */
    int c2s;            /* conv2's channels that can be nonzero (the first ones): its rows' stride */
    qlayer_t l3, l4;
    float *fd;          /* (24, 16) fc2 . fc1 times conv4's accumulator scale */
    float fdb;
    void *block;
    int isa;
};

enum { QN_SCALAR, QN_AVX2, QN_AVXVNNI, QN_AVX512VNNI };
static const char *const ISA_NAME[] = {"scalar", "avx2", "avxvnni", "avx512vnni"};

/* Per position l (0..27) of one half of a window (30 codes, 0-3 = A C G U, 4 = none), the
 * base-5 code of its letters l-1 .. l+3, positions outside 0..29 read as none. */
static inline void q_index5(const unsigned char *c, int *idx)
{
    unsigned char p[34]; /* the codes with one none before and three after */
    p[0] = 4, p[31] = p[32] = p[33] = 4;
    memcpy(p + 1, c, 30);
    for (int l = 0; l < 28; l++) idx[l] = p[l] * 625 + p[l + 1] * 125 + p[l + 2] * 25 + p[l + 3] * 5 + p[l + 4];
}

/* ------------------------------------------------------------------------- scalar build */

static inline int32_t dp_scalar(int32_t acc, int32_t a, const int8_t *w)
{
    uint32_t u = (uint32_t)a;
    for (int b = 0; b < 4; b++) acc += (int32_t)((u >> (8 * b)) & 0xFF) * w[b];
    return acc;
}
static inline int32_t bcast_scalar(const unsigned char *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

#define SFX scalar
#define TGT
#define vi int32_t
#define vf float
#define VW 1
#define VIZERO() 0
#define VILOAD(p) (*(p))
#define VBCAST32(p) bcast_scalar(p)
#define DP(acc, a, ly, off) dp_scalar((acc), (a), (ly)->w8 + (off) * 4)
#define VCVT(v) ((float)(v))
#define VFLOAD(p) (*(p))
#define VFSTORE(p, v) (*(p) = (v))
#define VADD(a, b) ((a) + (b))
#define VMUL(a, b) ((a) * (b))
#define VFMA(a, b, c) fmaf((a), (b), (c))
#define VMAXF(a, b) ((a) > (b) ? (a) : (b))
#define VMINF(a, b) ((a) < (b) ? (a) : (b))
#define VSET1F(x) (x)
#define VRELUI(v) ((v) > 0 ? (v) : 0)
#define VTOU8(p, v) (*(p) = (unsigned char)lrintf(v))
#define Q3 1
#define Q3B 1
#define Q3C 64
#define Q4 1
#include "qnet_kern.h"

#ifdef QN_X86
/* ------------------------------------------------------------------------- AVX2 */

/* u8 x s8 dot products of 4 without vpdpbusd: bytes 0,2 and 1,3 as int16 pairs, vpmaddwd each
 * (products <= 255 * 128, pair sums exact), added: the same integer. */
#define TGT __attribute__((target("avx2,fma")))
TGT static inline __m256i dp_avx2(__m256i acc, __m256i a, const int16_t *we, const int16_t *wo)
{
    __m256i ae = _mm256_and_si256(a, _mm256_set1_epi16(0xFF)), ao = _mm256_srli_epi16(a, 8);
    __m256i s = _mm256_add_epi32(_mm256_madd_epi16(ae, _mm256_loadu_si256((const __m256i *)we)),
                                 _mm256_madd_epi16(ao, _mm256_loadu_si256((const __m256i *)wo)));
    return _mm256_add_epi32(acc, s);
}
/* 8 integral floats in [0, 255] -> 8 bytes */
TGT static inline void tou8_avx2(unsigned char *p, __m256 v)
{
    __m256i i = _mm256_cvtps_epi32(v);
    __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    _mm_storel_epi64((__m128i *)p, _mm_packus_epi16(w, w));
}
#undef TGT

/* the 256-bit vocabulary, for the AVX2 and AVX-VNNI builds */
#define vi __m256i
#define vf __m256
#define VW 8
#define VIZERO() _mm256_setzero_si256()
#define VILOAD(p) _mm256_loadu_si256((const __m256i *)(p))
#define VBCAST32(p) _mm256_set1_epi32(bcast_scalar(p))
#define VCVT(v) _mm256_cvtepi32_ps(v)
#define VFLOAD(p) _mm256_loadu_ps(p)
#define VFSTORE(p, v) _mm256_storeu_ps((p), (v))
#define VADD(a, b) _mm256_add_ps((a), (b))
#define VMUL(a, b) _mm256_mul_ps((a), (b))
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define VMAXF(a, b) _mm256_max_ps((a), (b))
#define VMINF(a, b) _mm256_min_ps((a), (b))
#define VSET1F(x) _mm256_set1_ps(x)
#define VRELUI(v) _mm256_max_epi32((v), _mm256_setzero_si256())
#define VTOU8(p, v) tou8_avx2((p), (v))
#define Q3 3
#define Q3B 2
#define Q3C 16
#define Q4 6
#define SFX avx2
#define QN_KEEP_VOCAB /* for the AVX-VNNI build next */
#define TGT __attribute__((target("avx2,fma")))
#define DP(acc, a, ly, off) dp_avx2((acc), (a), (ly)->we + (off) * 2, (ly)->wo + (off) * 2)
#include "qnet_kern.h"

/* ------------------------------------------------------------------------- AVX-VNNI (VEX, 256 bit) */

#define Q3 4
#define Q3B 2
#define Q3C 16
#define Q4 8
#define SFX avxvnni
#define TGT __attribute__((target("avx2,fma,avxvnni")))
#define DP(acc, a, ly, off) _mm256_dpbusd_avx_epi32((acc), (a), _mm256_loadu_si256((const __m256i *)((ly)->w8 + (off) * 4)))
#include "qnet_kern.h"

/* ------------------------------------------------------------------------- AVX-512 VNNI */


#define SFX avx512vnni
#define TGT __attribute__((target("avx512f,avx512vnni")))
#define vi __m512i
#define vf __m512
#define VW 16
#define VIZERO() _mm512_setzero_si512()
#define VILOAD(p) _mm512_loadu_si512((const void *)(p))
#define VBCAST32(p) _mm512_set1_epi32(bcast_scalar(p))
#define DP(acc, a, ly, off) _mm512_dpbusd_epi32((acc), (a), _mm512_loadu_si512((const void *)((ly)->w8 + (off) * 4)))
#define VCVT(v) _mm512_cvtepi32_ps(v)
#define VFLOAD(p) _mm512_loadu_ps(p)
#define VFSTORE(p, v) _mm512_storeu_ps((p), (v))
#define VADD(a, b) _mm512_add_ps((a), (b))
#define VMUL(a, b) _mm512_mul_ps((a), (b))
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define VMAXF(a, b) _mm512_max_ps((a), (b))
#define VMINF(a, b) _mm512_min_ps((a), (b))
#define VSET1F(x) _mm512_set1_ps(x)
#define VRELUI(v) _mm512_max_epi32((v), _mm512_setzero_si512())
#define VTOU8(p, v) _mm_storeu_si128((__m128i *)(p), _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(v)))
#define Q3 6
#define Q3B 2
#define Q3C 32
#define Q4 12
#include "qnet_kern.h"
#endif

/* --------------------------------------------------------------------------- quantisation */

static int cpu_has(int isa)
{
#ifdef QN_X86
    __builtin_cpu_init();
    if (isa == QN_AVX512VNNI) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
    if (isa == QN_AVXVNNI)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avxvnni");
    if (isa == QN_AVX2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return isa == QN_SCALAR;
}

/* conv2's input-half part per five-letter code: for half h (0 miRNA, 1 CTS) and each code, the
 * sum over taps k and channels i of ReLU(embd1)(letters k..k+2) * conv2 weight, in double, in
 * that order. After tap k the running sum depends on letters 0..k+2 only, so it is kept per
 * prefix (125, 625, then 3125 of them) and continued: the same operations in the same order as
 * one sum per code, at 2/5 of the cost. The channels o are innermost (vectorised), each its own
 * sum. */
static void conv2_tables(const tfm_cnnhead_t *w, float *mir, float *cts)
{
    double ep[125][32]; /* ReLU(embd1) of a three-letter code */
    for (int t = 0; t < 125; t++)
        for (int c = 0; c < 32; c++) {
            double s = w->embd1_b[c];
            for (int k = 0; k < 3; k++) {
                int x = t / (k == 0 ? 25 : k == 1 ? 5 : 1) % 5;
                if (x < 4) s += w->embd1_w[(c * 4 + x) * 3 + k];
            }
            ep[t][c] = s > 0 ? s : 0;
        }
    double wt[3][64][16]; /* conv2 weight by tap, input (half h: 32h..32h+31), output */
    for (int o = 0; o < 16; o++)
        for (int i = 0; i < 64; i++)
            for (int k = 0; k < 3; k++) wt[k][i][o] = w->conv2_w[(o * 64 + i) * 3 + k];
    double *sum = tfm_malloc(sizeof(double) * (125 + 625 + 3125) * 32); /* per prefix, h, o */
    double *pre[3] = {sum, sum + 125 * 32, sum + (125 + 625) * 32};
    for (int k = 0; k < 3; k++) {
        int np = k == 0 ? 125 : k == 1 ? 625 : 3125;
        for (int v = 0; v < np; v++) {
            const double *e = ep[v % 125]; /* letters k..k+2: the prefix's last three */
            for (int h = 0; h < 2; h++) {
                double s[16];
                for (int o = 0; o < 16; o++) s[o] = k ? pre[k - 1][(v / 5 * 2 + h) * 16 + o] : h ? 0 : w->conv2_b[o];
                for (int i = 0; i < 32; i++)
                    for (int o = 0; o < 16; o++) s[o] += e[i] * wt[k][h * 32 + i][o];
                memcpy(pre[k] + (v * 2 + h) * 16, s, sizeof s);
            }
        }
    }
    for (int v = 0; v < NCODE; v++)
        for (int o = 0; o < 16; o++)
            mir[v * 16 + o] = (float)pre[2][v * 32 + o], cts[v * 16 + o] = (float)pre[2][v * 32 + 16 + o];
    free(sum);
}

/* Quantise conv weights w (Cout, Cin, K) whose inputs arrive as u8 codes of scale sin[Cin]:
 * per output channel the scale of the s8 weights (into sw). */
static void quant_layer(qlayer_t *q, const float *w, const float *b, int Cout, int Cin, int K, const float *sin,
                        double *sw)
{
    int G = K * Cin / 4;
    q->groups = G;
    for (int o = 0; o < Cout; o++) {
        double mx = 0;
        for (int i = 0; i < Cin; i++)
            for (int k = 0; k < K; k++) mx = fmax(mx, fabs((double)w[(o * Cin + i) * K + k] * sin[i]));
        sw[o] = mx > 0 ? mx / 127 : 1;
        double bq = nearbyint(b[o] / sw[o]);
        q->bias[o] = (int32_t)fmax(-1e9, fmin(1e9, bq));
        for (int k = 0; k < K; k++)
            for (int i = 0; i < Cin; i++) {
                int j = k * Cin + i, g = j / 4, r = j % 4; /* input j of an output: tap k, channel i */
                int8_t v = (int8_t)nearbyint((double)w[(o * Cin + i) * K + k] * sin[i] / sw[o]);
                q->w8[((size_t)g * Cout + o) * 4 + r] = v;
                (r % 2 ? q->wo : q->we)[((size_t)g * Cout + o) * 2 + r / 2] = v;
            }
    }
}

/* A site-like synthetic window (fixed generator): a random 22-nt miRNA and a CTS that pairs with
 * it often in nt 2-9 and sometimes elsewhere, as the candidate windows of tfm-seed do. */
static void synth_window(uint64_t *rng, unsigned char *codes)
{
    for (int i = 0; i < TFM_QNET_CODES; i++) codes[i] = 4;
    for (int i = 0; i < 30; i++) {
        *rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;
        unsigned r = (unsigned)(*rng >> 32);
        if (i < 22) codes[i] = r & 3;
        int pair = i < 22 && (r >> 8) % 100 < (i >= 1 && i <= 8 ? 85u : 40u);
        codes[30 + i] = (unsigned char)(pair ? 3 - codes[i] : (int)((r >> 16) & 3)); /* A-U, C-G: code 3 - x */
    }
}

/* mx[o] = max(mx[o], conv3's output channel o at each position l) over dequantised conv2 rows x
 * (28, 16), weights wt (3, 16, 64): each o's sum in tap k, input i order, o innermost
 * (vectorised; mul and add are IEEE operations: every clone gives the same bits). */
#if defined(QN_X86) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void calib_max(const double *x, const double *wt, const float *b, double *mx)
{
    for (int l = 0; l < 26; l++) {
        double s[64];
        for (int o = 0; o < 64; o++) s[o] = b[o];
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 16; i++)
                for (int o = 0; o < 64; o++) s[o] += x[(l + k) * 16 + i] * wt[(k * 16 + i) * 64 + o];
        for (int o = 0; o < 64; o++) mx[o] = s[o] > mx[o] ? s[o] : mx[o]; /* fmax: mx is never NaN */
    }
}

#define CALIB 256 /* synthetic windows that set conv3's output scale */

/* conv3's output scale per channel: the max over the calibration windows of ReLU(conv3) on the
 * dequantised u8 codes of conv2, over 255 (1 for a channel never positive). */
static void calibrate_conv3(const tfm_qnet_t *q, const tfm_cnnhead_t *w, const float *s2, float *s3)
{
    double mx[64] = {0}, wt[3][16][64]; /* conv3 weight by tap, input, output */
    for (int o = 0; o < 64; o++)
        for (int i = 0; i < 16; i++)
            for (int k = 0; k < 3; k++) wt[k][i][o] = w->conv3_w[(o * 16 + i) * 3 + k];
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    unsigned char codes[TFM_QNET_CODES], c2[28 * 16];
    double x[28 * 16];
    int im[28], ic[28];
    for (int n = 0; n < CALIB; n++) {
        synth_window(&rng, codes);
        q_index5(codes, im), q_index5(codes + 30, ic);
        for (int l = 0; l < 28; l++)
            for (int o = 0; o < 16; o++) q_store_scalar(c2 + l * 16 + o, (q->mir[im[l] * 16 + o] + q->cts[ic[l] * 16 + o]) * q->inv2[o]);
        for (int j = 0; j < 28 * 16; j++) x[j] = c2[j] * (double)s2[j % 16]; /* dequantised */
        calib_max(x, wt[0][0], w->conv3_b, mx);
    }
    /* a channel never positive here may still be elsewhere: it gets the mean scale of the others
     * (a scale far from theirs would squeeze conv4's weights of the others, which share its
     * per-output scale) */
    double mean = 0;
    int live = 0;
    for (int o = 0; o < 64; o++) mean += mx[o] > 0 ? mx[o] : 0, live += mx[o] > 0;
    mean = live ? mean / live : 255;
    for (int o = 0; o < 64; o++) s3[o] = (float)((mx[o] > 0 ? mx[o] : mean) / 255);
}

/* A channel of conv2 with inv2 = 0 (its bound is not positive) has code 0 on every input. Put
 * those last and let conv3 read conv2's rows at a stride of the others: conv3's input of 3 rows
 * is then 3 * c2s bytes, fewer groups of 4 (the products left out are all 0: the same sums). */
static void drop_dead_conv2(tfm_qnet_t *q)
{
    int perm[16], live = 0, n;
    for (int o = 0; o < 16; o++)
        if (q->inv2[o] > 0) perm[live++] = o;
    n = live;
    for (int o = 0; o < 16; o++)
        if (!(q->inv2[o] > 0)) perm[n++] = o;
    float *t = tfm_malloc(sizeof(float) * 16 * NCODE);
    for (int h = 0; h < 3; h++) {
        float *a = h == 0 ? q->mir : h == 1 ? q->cts : q->inv2;
        int nv = h < 2 ? NCODE : 1;
        memcpy(t, a, sizeof(float) * 16 * nv);
        for (int v = 0; v < nv; v++)
            for (int o = 0; o < 16; o++) a[v * 16 + o] = t[v * 16 + perm[o]];
    }
    free(t);
    qlayer_t *l = &q->l3;
    size_t nw = (size_t)l->groups * 64 * 4;
    int8_t *old = tfm_malloc(nw);
    memcpy(old, l->w8, nw);
    memset(l->w8, 0, nw), memset(l->we, 0, nw), memset(l->wo, 0, nw);
    for (int o = 0; o < 64; o++)
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < live; i++) {
                int j = k * live + i, jo = k * 16 + perm[i]; /* input of tap k, channel i: now, before */
                int8_t v = old[((size_t)(jo / 4) * 64 + o) * 4 + jo % 4];
                l->w8[((size_t)(j / 4) * 64 + o) * 4 + j % 4] = v;
                (j % 2 ? l->wo : l->we)[((size_t)(j / 4) * 64 + o) * 2 + j % 4 / 2] = v;
            }
    free(old);
    l->groups = (3 * live + 3) / 4;
    q->c2s = live;
}

tfm_qnet_t *tfm_qnet_new(const tfm_model_t *m)
{
    if (m->arch != TFM_ARCH_DEEPTARGET)
        return tfm_fail("integer inference is for deepTarget models, not %s", tfm_model_arch_name(m->arch)), NULL;
    const tfm_cnnhead_t *w = &m->w.head;
    tfm_qnet_t *q = tfm_calloc(1, sizeof *q);
    /* one block: tables, scales, then the layers' weights */
    size_t fl = 2 * NCODE * 16 + 16 + 24 * 16 + 64, w3 = 12 * 64 * 4, w4 = 48 * 16 * 4;
    size_t bytes = fl * 4 + (64 + 16) * 4 + (w3 + w4) + (w3 + w4) * 2 + 64 * 4;
    char *p = q->block = tfm_calloc(1, bytes);
    q->mir = (float *)p, q->cts = q->mir + NCODE * 16, q->inv2 = q->cts + NCODE * 16, q->fd = q->inv2 + 16;
    q->l3.mul = q->fd + 24 * 16;
    p += fl * 4;
    q->l3.bias = (int32_t *)p, q->l4.bias = q->l3.bias + 64, p += (64 + 16) * 4;
    q->l3.w8 = (int8_t *)p, q->l4.w8 = q->l3.w8 + w3, p += w3 + w4;
    q->l3.we = (int16_t *)p, q->l3.wo = q->l3.we + w3 / 2, q->l4.we = q->l3.wo + w3 / 2, q->l4.wo = q->l4.we + w4 / 2;

    /* conv2: tables, and the scale of its output: the max of each table bounds it */
    conv2_tables(w, q->mir, q->cts);
    float s2[16], s3[64];
    for (int o = 0; o < 16; o++) {
        float a = -INFINITY, b = -INFINITY;
        for (int v = 0; v < NCODE; v++) a = fmaxf(a, q->mir[v * 16 + o]), b = fmaxf(b, q->cts[v * 16 + o]);
        double hi = (double)a + b;
        s2[o] = hi > 0 ? (float)(hi / 255) : 0.0f; /* a channel never positive: its code is 0 */
        q->inv2[o] = hi > 0 ? 255.0f / (float)hi : 0.0f;
    }
    double sw3[64], sw4[16];
    quant_layer(&q->l3, w->conv3_w, w->conv3_b, 64, 16, 3, s2, sw3);
    calibrate_conv3(q, w, s2, s3);
    for (int o = 0; o < 64; o++) q->l3.mul[o] = (float)(sw3[o] / s3[o]);
    drop_dead_conv2(q);
    quant_layer(&q->l4, w->conv4_w, w->conv4_b, 16, 64, 3, s3, sw4);
    tfm_fastnet_dt_fc(w, q->fd, &q->fdb);
    for (int l = 0; l < 24; l++)
        for (int c = 0; c < 16; c++) q->fd[l * 16 + c] = (float)(q->fd[l * 16 + c] * sw4[c]);
    q->isa = cpu_has(QN_AVX512VNNI) ? QN_AVX512VNNI : cpu_has(QN_AVXVNNI) ? QN_AVXVNNI : cpu_has(QN_AVX2) ? QN_AVX2 : QN_SCALAR;
    return q;
}

void tfm_qnet_free(tfm_qnet_t *q)
{
    if (!q) return;
    free(q->block);
    free(q);
}

const char *tfm_qnet_isa(const tfm_qnet_t *q) { return ISA_NAME[q->isa]; }

int tfm_qnet_set_isa(tfm_qnet_t *q, const char *isa)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(isa, ISA_NAME[i]) == 0) {
            if (!cpu_has(i)) return tfm_fail("qnet: this CPU cannot run the %s build", isa);
            q->isa = i;
            return 0;
        }
    return tfm_fail("qnet: unknown instruction set '%s' (avx512vnni, avxvnni, avx2, scalar)", isa);
}

void tfm_qnet_forward(const tfm_qnet_t *q, const unsigned char *codes, int n, float *prob)
{
    switch (q->isa) {
#ifdef QN_X86
    case QN_AVX512VNNI: q_forward_avx512vnni(q, codes, n, prob); return;
    case QN_AVXVNNI: q_forward_avxvnni(q, codes, n, prob); return;
    case QN_AVX2: q_forward_avx2(q, codes, n, prob); return;
#endif
    default: q_forward_scalar(q, codes, n, prob); return;
    }
}
