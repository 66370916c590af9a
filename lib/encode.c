#include "encode.h"

#include <string.h>

#include "util.h"

size_t tfm_encode_size(tfm_enc_t e)
{
    switch (e) {
    case TFM_ENC_TARGETNET: return TFM_ENC_TARGETNET_C * TFM_ENC_TARGETNET_L;
    case TFM_ENC_DEEPTARGET: return TFM_ENC_DEEPTARGET_C * TFM_ENC_DEEPTARGET_L;
    case TFM_ENC_RNAFM: return 0; /* per model: 2 * 30 * d */
    }
    return 0;
}

const unsigned char tfm_letter_code1[256] = {['A'] = 1, ['a'] = 1, ['C'] = 2, ['c'] = 2, ['G'] = 3, ['g'] = 3,
                                             ['U'] = 4, ['u'] = 4, ['T'] = 4, ['t'] = 4, ['N'] = 5, ['n'] = 5,
                                             ['-'] = 6};

/* A=0 C=1 G=2 U/T=3, '-'=4 (when gaps are allowed), -1 otherwise (N included). */
static inline int code(int c, int gap_ok)
{
    int v = tfm_letter_code1[c & 0xFF] - 1;
    return v < 4 ? v : v == 5 && gap_ok ? 4 : -1;
}

/* ---------------------------------------------------------------------------------- TargetNet */

/* Row block `r0` (0 = miRNA, 5 = window) of x gets the letters of s[0..n) from column col0. */
static int put(float *x, int r0, int col0, const char *s, int n, int gap_ok, const char *what)
{
    for (int i = 0; i < n; i++) {
        int c = code((unsigned char)s[i], gap_ok);
        if (c < 0) return tfm_fail("TargetNet encoding: invalid letter '%c' in %s", s[i], what);
        if (col0 + i >= TFM_ENC_TARGETNET_L)
            return tfm_fail("TargetNet encoding: %s does not fit in %d columns", what, TFM_ENC_TARGETNET_L);
        x[(r0 + c) * TFM_ENC_TARGETNET_L + col0 + i] = 1.0f;
    }
    return 0;
}

/* The gapped string esa, without its gaps, must equal s[0..n) (letters compared by code). */
static int spells(const char *esa, const char *s, int n)
{
    int j = 0;
    for (const char *p = esa; *p; p++) {
        if (*p == '-') continue;
        if (j >= n || code((unsigned char)*p, 0) != code((unsigned char)s[j], 0)) return 0;
        j++;
    }
    return j == n;
}

int tfm_encode_targetnet(float *x, const char *mirna, const char *window, const char *mirna_esa,
                         const char *window_esa)
{
    int nm = (int)strlen(mirna), nw = (int)strlen(window), E = (int)strlen(mirna_esa);
    memset(x, 0, sizeof(float) * TFM_ENC_TARGETNET_C * TFM_ENC_TARGETNET_L);
    if (nm < 10) return tfm_fail("TargetNet encoding: miRNA shorter than 10 nt");
    if (nw < 15 || nw > 40) return tfm_fail("TargetNet encoding: window of %d nt (want 15-40)", nw);
    if ((int)strlen(window_esa) != E || E < 10 || E > 20)
        return tfm_fail("TargetNet encoding: ESA strings of lengths %d and %d (want equal, 10-20)", E,
                        (int)strlen(window_esa));
    if (!spells(mirna_esa, mirna, 10)) return tfm_fail("TargetNet encoding: miRNA ESA '%s' is not miRNA nt 1-10", mirna_esa);
    if (!spells(window_esa, window + 5, 10))
        return tfm_fail("TargetNet encoding: window ESA '%s' is not window nt 6-15", window_esa);
    if (put(x, 0, 5, mirna_esa, E, 1, "miRNA ESA") || put(x, 0, 5 + E, mirna + 10, nm - 10, 0, "miRNA") ||
        put(x, 5, 0, window, 5, 0, "window") || put(x, 5, 5, window_esa, E, 1, "window ESA") ||
        put(x, 5, 5 + E, window + 15, nw - 15, 0, "window"))
        return -1;
    return 0;
}

/* --------------------------------------------------------------------------------- deepTarget */

static void put_dt(float *x, int r0, const char *s)
{
    for (int i = 0; i < TFM_ENC_DEEPTARGET_L && s[i]; i++) {
        int c = code((unsigned char)s[i], 0);
        if (c >= 0) x[(r0 + c) * TFM_ENC_DEEPTARGET_L + i] = 1.0f;
    }
}

void tfm_encode_deeptarget(float *x, const char *mirna, const char *cts)
{
    memset(x, 0, sizeof(float) * TFM_ENC_DEEPTARGET_C * TFM_ENC_DEEPTARGET_L);
    put_dt(x, 0, mirna);
    put_dt(x, 4, cts);
}

void tfm_encode_deeptarget_codes(unsigned char *codes, const char *mirna, const char *site_seq, size_t site_len)
{
    const int L = TFM_ENC_DEEPTARGET_L;
    int end = 0; /* put_dt: the miRNA's first 30 nt, up to its NUL */
    for (int i = 0; i < L; i++) {
        int c = end ? -1 : mirna[i] ? code((unsigned char)mirna[i], 0) : -1;
        end = end || !mirna[i];
        codes[i] = c < 0 ? 4 : (unsigned char)c;
    }
    for (int i = 0; i < L; i++) {
        int c = (size_t)i < site_len ? code((unsigned char)site_seq[site_len - 1 - i], 0) : -1;
        codes[L + i] = c < 0 ? 4 : (unsigned char)c;
    }
}

int tfm_encode_deeptarget_codes_x(unsigned char *codes, const float *x)
{
    const int L = TFM_ENC_DEEPTARGET_L;
    for (int h = 0; h < 2; h++)
        for (int l = 0; l < L; l++) {
            int hot = 4;
            for (int r = 0; r < 4; r++) {
                float v = x[(h * 4 + r) * L + l];
                if (v == 0.0f) continue;
                if (v != 1.0f || hot != 4) return tfm_fail("deepTarget input column %d is not one-hot", l);
                hot = r;
            }
            codes[h * L + l] = (unsigned char)hot;
        }
    return 0;
}

/* --------------------------------------------------------------------------------- text form */

static const char LETTERS[] = "ACGU-";

/* Rows per half (5 with the gap row, 4 without) and columns. */
static int geometry(tfm_enc_t e, int *rows, int *cols)
{
    if (e == TFM_ENC_TARGETNET) *rows = 5, *cols = TFM_ENC_TARGETNET_L;
    else if (e == TFM_ENC_DEEPTARGET) *rows = 4, *cols = TFM_ENC_DEEPTARGET_L;
    else return tfm_fail("unknown encoding %d", (int)e);
    return 0;
}

int tfm_encode_to_text(char *buf, size_t size, tfm_enc_t e, const float *x)
{
    int R = 0, L = 0;
    if (geometry(e, &R, &L)) return -1;
    if (size < (size_t)(2 * L + 2)) return tfm_fail("text buffer of %zu bytes is too small", size);
    size_t n = 0;
    for (int h = 0; h < 2; h++) {
        size_t end = n;  /* length without trailing empty columns */
        for (int l = 0; l < L; l++) {
            int hot = -1;
            for (int r = 0; r < R; r++) {
                float v = x[(h * R + r) * L + l];
                if (v == 0.0f) continue;
                if (v != 1.0f || hot >= 0) return tfm_fail("column %d is not one-hot", l);
                hot = r;
            }
            buf[n++] = hot < 0 ? '.' : LETTERS[hot];
            if (hot >= 0) end = n;
        }
        n = end;
        if (h == 0) buf[n++] = ',';
    }
    buf[n] = '\0';
    return (int)n;
}

int tfm_encode_from_text(float *x, tfm_enc_t e, const char *s, size_t len)
{
    int R = 0, L = 0;
    if (geometry(e, &R, &L)) return -1;
    memset(x, 0, sizeof(float) * 2 * R * L);
    const char *comma = memchr(s, ',', len);
    if (!comma) return tfm_fail("encoded input lacks the ',' between miRNA and site");
    size_t n[2] = {(size_t)(comma - s), len - (size_t)(comma - s) - 1};
    const char *p[2] = {s, comma + 1};
    for (int h = 0; h < 2; h++) {
        if (n[h] > (size_t)L) return tfm_fail("encoded input has more than %d columns", L);
        for (size_t l = 0; l < n[h]; l++) {
            int c = p[h][l];
            if (c == '.') continue;
            const char *q = c ? memchr(LETTERS, c, (size_t)R) : NULL;
            if (!q) return tfm_fail("invalid character '%c' in encoded input", c);
            x[(h * R + (int)(q - LETTERS)) * L + (int)l] = 1.0f;
        }
    }
    return 0;
}

const char *tfm_encode_name(tfm_enc_t e)
{
    return e == TFM_ENC_TARGETNET ? "targetnet" : e == TFM_ENC_DEEPTARGET ? "deeptarget" : e == TFM_ENC_RNAFM ? "rnafm" : "?";
}

int tfm_encode_parse(const char *name, tfm_enc_t *e)
{
    if (strcmp(name, "targetnet") == 0) *e = TFM_ENC_TARGETNET;
    else if (strcmp(name, "deeptarget") == 0) *e = TFM_ENC_DEEPTARGET;
    else return -1;
    return 0;
}

int tfm_encode_site(float *x, tfm_enc_t e, const char *mirna, const char *site_seq, size_t site_len,
                    const char *mirna_aln, const char *site_aln)
{
    char rev[64];
    /* deepTarget reads only the first 30 nt of the CTS, i.e. the last 30 of the site */
    size_t n = e == TFM_ENC_DEEPTARGET && site_len > TFM_ENC_DEEPTARGET_L ? TFM_ENC_DEEPTARGET_L : site_len;
    if (n >= sizeof rev) return tfm_fail("site of %zu nt is too long for a %s window", site_len, tfm_encode_name(e));
    for (size_t i = 0; i < n; i++) rev[i] = site_seq[site_len - 1 - i];
    rev[n] = 0;
    if (e == TFM_ENC_DEEPTARGET) {
        tfm_encode_deeptarget(x, mirna, rev);
        return 0;
    }
    if (!mirna_aln || !site_aln || !*mirna_aln || !*site_aln)
        return tfm_fail("TargetNet needs the extended seed alignment (tfm-seed --mode esa)");
    return tfm_encode_targetnet(x, mirna, rev, mirna_aln, site_aln);
}
