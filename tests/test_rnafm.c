/* test_rnafm: the RNA-FM encoder against the reference vectors of specs/vectors (README there):
 * tokeniser (rnafm_tokenize.tsv), deterministic full-size model (rnafm_det_vectors.json and the
 * three in0 matrices), both tiny fairseq checkpoints (rnafm_tiny_vectors.json), TargetFM end to
 * end with the real head (targetfm_e2e_vectors.json), and hostile checkpoints built here.
 * Tolerance 1e-4 absolute on values, 1e-4 relative on sums (vectors/README.md). */
#include "check.h"
#include "vecjson.h"
#include "ckpt.h"
#include "model.h"
#include "rnafm.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------------ JSON, just enough here */





/* Start of the k-th occurrence (0-based) of "key": in [p, end), or end. */
static const char *jnth(const char *p, const char *end, const char *key, int k)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    for (const char *q = p;; q++) {
        q = strstr(q, pat);
        if (!q || q >= end) return end;
        if (k-- == 0) return q;
    }
}

static double logit_err; /* max abs error on logits, reported apart from representations */

static int close_rel(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(b)); }

static double sumf(const float *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s;
}

/* ------------------------------------------------------------------------------- tokenizer */

static void test_tokenize_basic(void)
{
    int tok[1100];
    CHECK_INT(tfm_rnafm_tokenize("ACGUT", 5, 0, tok), 5);
    CHECK(tok[0] == 4 && tok[3] == 7 && tok[4] == 3, "ACGUT -> 4 5 6 7 3");
    char *s = tfm_malloc(1024);
    memset(s, 'A', 1023);
    CHECK_INT(tfm_rnafm_tokenize(s, 1022, 1, tok), 1024);
    CHECK_INT(tfm_rnafm_tokenize(s, 1023, 1, tok), -1);
    CHECK(strstr(tfm_last_error(), "1022") != NULL, "clear error: %s", tfm_last_error());
    s[1023] = '\0';
    const char *b[] = {s};
    int T;
    CHECK_INT(tfm_rnafm_tokenize_batch(b, 1, tok, &T), -1);
    free(s);
    int t30[30];
    tfm_rnafm_targetfm_tokens("UGAGGUAGUAGGUUGUAUAGUU", 22, t30);
    CHECK(t30[0] == 3 && t30[7] == 3 && t30[8] == 7 && t30[29] == 7, "22 nt: 8 x <unk> then the miRNA");
    tfm_rnafm_targetfm_tokens("ACGUACGUACGUACGUACGUACGUACGUACGUAC", 34, t30);
    CHECK(t30[0] == 4 && t30[29] == 5, "34 nt: the first 30 kept");
}

static void test_tokenize_tsv(const char *specs)
{
    char path[4096], line[4096];
    snprintf(path, sizeof path, "%s/vectors/rnafm_tokenize.tsv", specs);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s", path);
    if (!f) return;
    int ncase = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        /* the quoted strings of the first field */
        char *str[8];
        int n = 0;
        for (char *p = line; (p = strchr(p, '"')) && n < 8;) {
            char *q = strchr(p + 1, '"');
            *q = '\0';
            str[n++] = p + 1;
            p = q + 1;
        }
        int want[256], nw = 0, got[256], T;
        for (char *p = tab + 1; *p;) {
            char *e;
            long v = strtol(p, &e, 10);
            if (e == p) {
                p++;
                continue;
            }
            want[nw++] = (int)v, p = e;
        }
        int ng;
        if (line[0] == '[') {
            ng = tfm_rnafm_tokenize_batch((const char *const *)str, n, got, &T) == 0 ? n * T : -1;
        } else {
            ng = tfm_rnafm_tokenize(str[0], strlen(str[0]), 1, got);
        }
        int ok = ng == nw;
        for (int i = 0; ok && i < nw; i++) ok = got[i] == want[i];
        CHECK(ok, "tokenize case %d (%s)", ncase + 1, str[0]);
        bad += !ok, ncase++;
    }
    fclose(f);
    CHECK(ncase == 9, "%d tokenizer cases", ncase);
    printf("tokenizer: %d cases from rnafm_tokenize.tsv, %d mismatches\n", ncase, bad);
}

/* ---------------------------------------------------------------- one model on one input */

typedef struct {
    int B, T, L, d;
    float *hidden, *rep, *logits; /* (L+1, B, T, d), (B, T, d), (B, T, 25) */
} run_t;

static int run(const tfm_rnafm_t *m, const int *tok, int B, int T, run_t *r, tfm_rnafm_ws_t *ws)
{
    r->B = B, r->T = T, r->L = m->n_layers, r->d = m->d;
    size_t plane = (size_t)B * T * m->d;
    r->hidden = tfm_malloc(sizeof(float) * plane * (m->n_layers + 1));
    r->rep = tfm_malloc(sizeof(float) * plane);
    r->logits = tfm_malloc(sizeof(float) * B * T * TFM_RNAFM_VOCAB);
    tfm_rnafm_out_t out = {m->n_layers, r->rep, r->hidden, r->logits};
    int rc = tfm_rnafm_forward(m, tok, B, T, &out, ws);
    CHECK(rc == 0, "forward: %s", tfm_last_error());
    return rc;
}

static void run_free(run_t *r) { free(r->hidden), free(r->rep), free(r->logits); }

/* Compare the fields present in one JSON row object [p, end) with row b of a run; returns max err. */
static double cmp_row(const run_t *r, int b, const char *p, const char *end, const char *what)
{
    double v[1100], err = 0;
    size_t tok = (size_t)r->T * r->d;
    const float *rep = r->rep + b * tok;
    int n = jarr(p, end, "hidden_sums", v, 64, NULL), ok = n == r->L + 1;
    for (int k = 0; ok && k < n; k++) {
        double s = sumf(r->hidden + ((size_t)k * r->B + b) * tok, tok);
        ok = close_rel(s, v[k], 1e-4);
        if (!ok) printf("  %s row %d hidden_sums[%d]: %.9g vs %.9g\n", what, b, k, s, v[k]);
    }
    CHECK(ok, "%s row %d: hidden_sums", what, b);
    int nonpad = r->T; /* the tiny vectors have no n_nonpad and need none */
    double want = jnum(p, end, "n_nonpad");
    if (!isnan(want)) nonpad = (int)want;
    static const char *first8[] = {"rep12_token0_first8", "rep12_token1_first8", "rep12_lastnonpad_first8"};
    for (int k = 0; k < 3; k++) {
        if (jarr(p, end, first8[k], v, 8, NULL) != 8) continue;
        int t = k == 2 ? nonpad - 1 : k;
        ok = 1;
        for (int c = 0; c < 8; c++) ok &= fabs(rep[(size_t)t * r->d + c] - v[c]) <= 1e-4, err = fmax(err, fabs(rep[(size_t)t * r->d + c] - v[c]));
        CHECK(ok, "%s row %d: %s", what, b, first8[k]);
    }
    n = jarr(p, end, "rep12_token_sums", v, 1100, NULL);
    if (n > 0) {
        ok = n == r->T || n == nonpad;
        for (int t = 0; ok && t < n; t++) ok = close_rel(sumf(rep + (size_t)t * r->d, r->d), v[t], 1e-4);
        CHECK(ok, "%s row %d: rep12_token_sums", what, b);
    }
    double s_all = sumf(rep, tok), s_np = sumf(rep, (size_t)nonpad * r->d), a_np = 0;
    for (size_t i = 0; i < (size_t)nonpad * r->d; i++) a_np += fabs(rep[i]);
    if (!isnan(want = jnum(p, end, "rep12_sum_all"))) CHECK(close_rel(s_all, want, 1e-4), "%s row %d: rep12_sum_all %.9g vs %.9g", what, b, s_all, want);
    if (!isnan(want = jnum(p, end, "rep12_sum_nonpad"))) CHECK(close_rel(s_np, want, 1e-4), "%s row %d: rep12_sum_nonpad %.9g vs %.9g", what, b, s_np, want);
    if (!isnan(want = jnum(p, end, "rep12_abssum_nonpad"))) CHECK(close_rel(a_np, want, 1e-4), "%s row %d: rep12_abssum_nonpad %.9g vs %.9g", what, b, a_np, want);
    if (jarr(p, end, "logits_token1_all25", v, 25, NULL) == 25) {
        const float *lg = r->logits + ((size_t)b * r->T + 1) * TFM_RNAFM_VOCAB;
        ok = 1;
        for (int c = 0; c < 25; c++) ok &= close_rel(lg[c], v[c], 1e-4), logit_err = fmax(logit_err, fabs(lg[c] - v[c]));
        CHECK(ok, "%s row %d: logits at token 1", what, b);
    }
    n = jarr(p, end, "logits_argmax_per_token", v, 1100, NULL);
    if (n > 0) {
        ok = 1;
        for (int t = 0; t < n && t < r->T; t++) {
            const float *lg = r->logits + ((size_t)b * r->T + t) * TFM_RNAFM_VOCAB;
            int am = 0;
            for (int c = 1; c < 25; c++)
                if (lg[c] > lg[am]) am = c;
            ok &= am == (int)v[t];
        }
        CHECK(ok, "%s row %d: logits argmax per token", what, b);
    }
    return err;
}

/* -------------------------------------------------------------- full-size deterministic model */

static void test_generator(const tfm_rnafm_t *m, const char *js, const char *end)
{
    static const struct { const char *name; int which; } spots[] = {
        {"embed_tokens.weight", 0}, {"embed_positions.weight", 1}, {"layers.0.self_attn.q_proj.weight", 2},
        {"layers.0.self_attn.q_proj.bias", 3}, {"layers.0.self_attn_layer_norm.weight", 4},
        {"layers.11.fc2.weight", 5}, {"emb_layer_norm_after.bias", 6}};
    const char *g = jfind(js, end, "generator_spot_checks");
    CHECK(g != NULL, "generator_spot_checks present");
    if (!g) return;
    for (int i = 0; i < 7; i++) {
        const char *p = jfind(g, end, spots[i].name);
        double sh[2], f5[5];
        int nd = jarr(p, end, "shape", sh, 2, NULL);
        jarr(p, end, "first5", f5, 5, NULL);
        size_t n = (size_t)sh[0] * (nd == 2 ? (size_t)sh[1] : 1);
        const float *t = spots[i].which == 0 ? m->embed_tokens : spots[i].which == 1 ? m->embed_positions
                       : spots[i].which == 2 ? m->layers[0].wqkv : spots[i].which == 3 ? m->layers[0].bqkv
                       : spots[i].which == 4 ? m->layers[0].ln1_w : spots[i].which == 5 ? m->layers[11].w2
                       : m->ln_after_b;
        int ok = 1;
        for (int k = 0; k < 5; k++) ok &= t[k] == (float)f5[k];
        CHECK(ok, "generator %s: first5", spots[i].name);
        if (spots[i].which != 0) { /* embed_tokens' sum is before the <mask> row is zeroed */
            double s = sumf(t, n), want = jnum(p, end, "sum");
            CHECK(close_rel(s, want, 1e-6), "generator %s: sum %.9g vs %.9g", spots[i].name, s, want);
        }
    }
}

static double cmp_matrix(const char *specs, const char *file, const float *x, int rows, int cols)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/vectors/%s", specs, file);
    char *s = slurp(path, NULL);
    CHECK(s != NULL, "read %s", path);
    if (!s) return INFINITY;
    char *p = strchr(s, '\n') + 1, *e; /* skip the # line */
    double err = 0;
    int n = 0;
    for (; n < rows * cols; n++) {
        double v = strtod(p, &e);
        if (e == p) break;
        err = fmax(err, fabs(v - x[n]));
        p = e;
    }
    CHECK(n == rows * cols, "%s: %d values", file, n);
    CHECK(err <= 1e-4, "%s: max abs err %.3g", file, err);
    free(s);
    return err;
}

static void test_det(tfm_rnafm_t *m, const char *specs)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/vectors/rnafm_det_vectors.json", specs);
    char *js = slurp(path, &len);
    CHECK(js != NULL, "read %s", path);
    if (!js) return;
    const char *end = js + len;
    test_generator(m, js, end);
    tfm_rnafm_ws_t *ws = tfm_rnafm_ws_new();
    static const char *var[2] = {"token_dropout_True", "token_dropout_False"};
    double t0 = tfm_seconds(), err = 0;
    int ninp = 0;
    for (int v = 0; v < 2; v++) {
        m->token_dropout = v == 0;
        const char *vs = jfind(js, end, var[v]), *ve = v == 0 ? jfind(js, end, var[1]) : jfind(js, end, "generator_spot_checks_note");
        for (int i = 0; i < 5; i++) {
            const char *p = jnth(vs, ve, "name", i), *q = jnth(vs, ve, "name", i + 1);
            double tv[2200];
            int rows, n = jarr(p, q, "tokens", tv, 2200, &rows), tok[2200];
            for (int k = 0; k < n; k++) tok[k] = (int)tv[k];
            run_t r;
            if (run(m, tok, rows, n / rows, &r, ws) < 0) continue;
            const char *fp = jfind(p, q, "fp64_maxabs_diff");
            for (int b = 0; b < rows; b++) {
                char what[64];
                snprintf(what, sizeof what, "det %s input %d", var[v], i);
                err = fmax(err, cmp_row(&r, b, jnth(p, fp, "n_nonpad", b), jnth(p, fp, "n_nonpad", b + 1), what));
            }
            ninp++;
            if (v == 0 && i == 0) {
                double e = cmp_matrix(specs, "rnafm_det_td1_in0_hidden0.tsv", r.hidden, 24, m->d);
                e = fmax(e, cmp_matrix(specs, "rnafm_det_td1_in0_hidden1.tsv", r.hidden + 24 * m->d, 24, m->d));
                e = fmax(e, cmp_matrix(specs, "rnafm_det_td1_in0_rep12.tsv", r.rep, 24, m->d));
                printf("det in0 24x640 matrices (hidden0, hidden1, rep12): max abs err %.3g\n", e);
            }
            run_free(&r);
        }
    }
    printf("det full-size model, %d inputs x 2 token_dropout settings: max abs err %.3g on rep12 values, %.3g on logits"
           ", %.1f s\n", ninp / 2, err, logit_err, tfm_seconds() - t0);
    logit_err = 0;
    tfm_rnafm_ws_free(ws);
    free(js);
}

/* ------------------------------------------------------------------------------ tiny files */

static void test_tiny(const char *specs)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/vectors/rnafm_tiny_vectors.json", specs);
    char *js = slurp(path, &len);
    CHECK(js != NULL, "read %s", path);
    if (!js) return;
    const char *end = js + len, *keys = jfind(js, end, "renamed_keys_in_order");
    static const char *files[2] = {"rnafm_tiny_zip.pt", "rnafm_tiny_legacy.pt"};
    tfm_rnafm_ws_t *ws = tfm_rnafm_ws_new();
    for (int f = 0; f < 2; f++) {
        snprintf(path, sizeof path, "%s/vectors/%s", specs, files[f]);
        tfm_rnafm_t *m = tfm_rnafm_load(path);
        CHECK(m != NULL, "load %s: %s", files[f], tfm_last_error());
        if (!m) continue;
        CHECK(m->n_layers == 2 && m->d == 32 && m->n_heads == 4 && m->ffn == 64 && m->max_pos == 64 && m->token_dropout,
              "%s: args", files[f]);
        int ok = 1;
        for (int c = 0; c < 32; c++) ok &= m->embed_tokens[TFM_RNAFM_MASK * 32 + c] == 0;
        CHECK(ok, "%s: <mask> row zeroed", files[f]);
        double err = 0;
        for (int i = 0; i < 5; i++) {
            const char *p = jnth(js, keys, "tokens", i), *q = jnth(js, keys, "tokens", i + 1);
            double tv[256];
            int rows, n = jarr(p, q, "tokens", tv, 256, &rows), tok[256];
            for (int k = 0; k < n; k++) tok[k] = (int)tv[k];
            run_t r;
            if (run(m, tok, rows, n / rows, &r, ws) < 0) continue;
            char pat[64];
            snprintf(pat, sizeof pat, "%s", files[f]);
            const char *fs = jfind(p, q, pat), *fe = f == 0 ? jfind(p, q, files[1]) : q;
            for (int b = 0; b < rows; b++) {
                char what[96];
                snprintf(what, sizeof what, "tiny %s input %d", files[f], i);
                err = fmax(err, cmp_row(&r, b, jnth(fs, fe, "rep12_sum_all", b), jnth(fs, fe, "rep12_sum_all", b + 1), what));
            }
            run_free(&r);
        }
        printf("tiny %s: 5 inputs, max abs err %.3g on rep values, %.3g on logits\n", files[f], err, logit_err);
        logit_err = 0;
        tfm_rnafm_free(m);
    }
    tfm_rnafm_ws_free(ws);
    free(js);
}

/* ---------------------------------------------------------------------- TargetFM end to end */

static void test_e2e(tfm_rnafm_t *m, const char *data, const char *specs)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/vectors/targetfm_e2e_vectors.json", specs);
    char *js = slurp(path, &len);
    CHECK(js != NULL, "read %s", path);
    snprintf(path, sizeof path, "%s/models/TargetFM1_head_weights.pt", data);
    tfm_ckpt_t *c = js ? tfm_ckpt_load(path) : NULL;
    tfm_model_t *head = c ? tfm_model_from_ckpt(TFM_ARCH_TARGETFM1, c) : NULL;
    CHECK(head != NULL, "TargetFM1 head %s: %s", path, tfm_last_error());
    tfm_ckpt_free(c);
    if (!head) {
        free(js);
        return;
    }
    const char *end = js + len;
    static const char *var[2] = {"token_dropout_True", "token_dropout_False"};
    tfm_rnafm_ws_t *ws = tfm_rnafm_ws_new();
    tfm_model_ws_t *hws = tfm_model_ws_new(head, 0);
    tfm_model_trace_t tr = {0};
    tfm_model_ws_set_trace(hws, &tr);
    float *x = tfm_malloc(sizeof(float) * 5 * 2 * 30 * 640), prob[5];
    double err = 0;
    for (int v = 0; v < 2; v++) {
        m->token_dropout = v == 0;
        const char *vs = jfind(js, end, var[v]), *ve = v == 0 ? jfind(js, end, var[1]) : end;
        const char *row[6];
        for (int i = 0; i <= 5; i++) row[i] = jnth(vs, ve, "desc", i);
        /* tokens of all 5 pairs: miRNA rows then CTS rows; one RNA-FM call each, B = 5 */
        int tm[5 * 30], tc[5 * 30];
        for (int i = 0; i < 5; i++) {
            char s[256];
            const char *q = jfind(row[i], row[i + 1], "mirna");
            for (int w = 0; w < 2; w++) {
                q = jfind(row[i], row[i + 1], w ? "cts" : "mirna");
                q = strchr(q, '"') + 1;
                size_t n = strcspn(q, "\"");
                memcpy(s, q, n), s[n] = '\0';
                tfm_rnafm_targetfm_tokens(s, n, (w ? tc : tm) + i * 30);
            }
            double want[30];
            int ok = 1;
            jarr(row[i], row[i + 1], "mirna_tokens", want, 30, NULL);
            for (int k = 0; k < 30; k++) ok &= tm[i * 30 + k] == (int)want[k];
            jarr(row[i], row[i + 1], "cts_tokens", want, 30, NULL);
            for (int k = 0; k < 30; k++) ok &= tc[i * 30 + k] == (int)want[k];
            CHECK(ok, "e2e %s pair %d: O-pre-padded tokens", var[v], i);
        }
        float *rm = tfm_malloc(sizeof(float) * 5 * 30 * 640), *rc = tfm_malloc(sizeof(float) * 5 * 30 * 640);
        tfm_rnafm_out_t om = {12, rm, NULL, NULL}, oc = {12, rc, NULL, NULL};
        CHECK(tfm_rnafm_forward(m, tm, 5, 30, &om, ws) == 0 && tfm_rnafm_forward(m, tc, 5, 30, &oc, ws) == 0, "forward");
        for (int i = 0; i < 5; i++) {
            memcpy(x + (size_t)i * 2 * 30 * 640, rm + (size_t)i * 30 * 640, sizeof(float) * 30 * 640);
            memcpy(x + ((size_t)i * 2 + 1) * 30 * 640, rc + (size_t)i * 30 * 640, sizeof(float) * 30 * 640);
        }
        CHECK(tfm_model_forward(head, x, 5, prob, hws) == 0, "head forward: %s", tfm_last_error());
        for (int i = 0; i < 5; i++) {
            const char *p = row[i], *q = row[i + 1];
            double sm = sumf(rm + i * 30 * 640, 30 * 640), sc = sumf(rc + i * 30 * 640, 30 * 640);
            CHECK(close_rel(sm, jnum(p, q, "rep12_mirna_sum"), 1e-4), "e2e %s pair %d: miRNA rep sum %.9g", var[v], i, sm);
            CHECK(close_rel(sc, jnum(p, q, "rep12_cts_sum"), 1e-4), "e2e %s pair %d: CTS rep sum %.9g", var[v], i, sc);
            double f8[8], fc1[30], lg[2];
            jarr(p, q, "rep12_mirna_tok0_first8", f8, 8, NULL);
            jarr(p, q, "fc1", fc1, 30, NULL);
            jarr(p, q, "logits", lg, 2, NULL);
            int ok = 1;
            for (int k = 0; k < 8; k++) ok &= fabs(rm[i * 30 * 640 + k] - f8[k]) <= 1e-4, err = fmax(err, fabs(rm[i * 30 * 640 + k] - f8[k]));
            const float *f = tfm_model_trace_get(&tr, "fc1", NULL, NULL) + i * 30;
            const float *g = tfm_model_trace_get(&tr, "logits", NULL, NULL) + i * 2;
            for (int k = 0; k < 30; k++) ok &= close_rel(f[k], fc1[k], 1e-4), err = fmax(err, fabs(f[k] - fc1[k]));
            for (int k = 0; k < 2; k++) ok &= close_rel(g[k], lg[k], 1e-4), err = fmax(err, fabs(g[k] - lg[k]));
            CHECK(ok, "e2e %s pair %d: rep, fc1, logits", var[v], i);
            double want = jnum(p, q, "p_target");
            CHECK(fabs(prob[i] - want) <= 1e-4, "e2e %s pair %d: p_target %.9g vs %.9g", var[v], i, prob[i], want);
            err = fmax(err, fabs(prob[i] - want));
        }
        free(rm), free(rc);
    }
    printf("TargetFM end to end (det RNA-FM + real head), 5 pairs x 2 settings: max abs err %.3g (rep, fc1, logits, p_target)\n", err);
    m->token_dropout = 1;
    tfm_model_trace_free(&tr);
    tfm_model_ws_free(hws);
    tfm_rnafm_ws_free(ws);
    tfm_model_free(head);
    free(x);
    free(js);
}

/* ------------------------------------------------------------------------ hostile checkpoints */

/* Recompute the CRC-32 of every entry of a stored zip (central directory and local header): a
 * patched checkpoint must reach the RNA-FM checks, not ckpt's check of a damaged entry. */
static void zip_fix_crc(unsigned char *b, size_t len)
{
#define RD16(q) ((uint32_t)(q)[0] | (uint32_t)(q)[1] << 8)
#define RD32(q) (RD16(q) | RD16((q) + 2) << 16)
    if (len < 22 || memcmp(b, "PK\3\4", 4)) return;
    size_t eocd = len - 22;
    while (eocd > 0 && RD32(b + eocd) != 0x06054b50) eocd--;
    size_t p = RD32(b + eocd + 16);
    for (uint32_t k = 0, n = RD16(b + eocd + 10); k < n; k++) {
        size_t loff = RD32(b + p + 42), data = loff + 30 + RD16(b + loff + 26) + RD16(b + loff + 28);
        uint32_t crc = (uint32_t)crc32(0, b + data, (uInt)RD32(b + p + 24));
        for (int i = 0; i < 4; i++) b[p + 16 + i] = b[loff + 14 + i] = (unsigned char)(crc >> (8 * i));
        p += 46 + RD16(b + p + 28) + RD16(b + p + 30) + RD16(b + p + 32);
    }
#undef RD16
#undef RD32
}

/* Write buf with `from` replaced by `to` (same length) to a temp file and load it as RNA-FM. */
static void expect_patched(const char *buf, size_t len, const char *from, const char *to, const char *msg)
{
    char *b = tfm_malloc(len);
    memcpy(b, buf, len);
    size_t n = strlen(from);
    char *p = NULL;
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(b + i, from, n) == 0) {
            p = b + i;
            break;
        }
    CHECK(p != NULL && strlen(to) == n, "patch '%s'", from);
    if (!p) {
        free(b);
        return;
    }
    memcpy(p, to, n);
    zip_fix_crc((unsigned char *)b, len);
    char path[] = "/tmp/test_rnafm_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, b, len) == (ssize_t)len, "write %s", path);
    close(fd);
    tfm_rnafm_t *m = tfm_rnafm_load(path);
    CHECK(m == NULL && strstr(tfm_last_error(), msg) && strstr(tfm_last_error(), path), "patched %s -> %s: '%s'", from,
          to, tfm_last_error());
    tfm_rnafm_free(m);
    unlink(path);
    free(b);
}

static int find_tensor(const tfm_ckpt_t *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->t[i].name, name) == 0) return i;
    return -1;
}

static void test_hostile(const char *specs)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/vectors/rnafm_tiny_zip.pt", specs);
    char *buf = slurp(path, &len);
    CHECK(buf != NULL, "read %s", path);
    if (!buf) return;
    /* in the file itself: an unexpected key, a missing key (its name now an ignored contact_head
     * entry), a wrong architecture */
    expect_patched(buf, len, "encoder.sentence_encoder.layers.0.fc1.bias", "encoder.sentence_encoder.layers.0.fc9.bias",
                   "unexpected key 'encoder.sentence_encoder.layers.0.fc9.bias'");
    expect_patched(buf, len, "encoder.sentence_encoder.layers.0.fc1.bias", "encoder.contact_head.regression.xxxxxxxxxx",
                   "missing key 'layers.0.fc1.bias'");
    expect_patched(buf, len, "roberta_large", "roberta_small", "args.arch is 'roberta_small'");
    free(buf);

    /* in memory: a wrong shape, a dropped tensor, a bad token, too many tokens */
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "load %s", path);
    if (!c) return;
    int i = find_tensor(c, "encoder.sentence_encoder.layers.1.fc1.weight");
    CHECK(i >= 0, "fc1.weight present");
    if (i < 0) return;
    c->t[i].shape[0] = 32, c->t[i].shape[1] = 64; /* same numel, transposed shape */
    tfm_rnafm_t *m = tfm_rnafm_from_ckpt(c, "hostile.pt");
    CHECK(m == NULL && strstr(tfm_last_error(), "hostile.pt: tensor 'encoder.sentence_encoder.layers.1.fc1.weight' has shape [32, 64], expected [64, 32]"),
          "wrong shape: '%s'", tfm_last_error());
    c->t[i].shape[0] = 64, c->t[i].shape[1] = 32;
    int j = find_tensor(c, "encoder.sentence_encoder.emb_layer_norm_before.bias");
    tfm_tensor_t tmp = c->t[j];
    c->t[j] = c->t[c->n - 1], c->t[c->n - 1] = tmp, c->n--;
    m = tfm_rnafm_from_ckpt(c, "hostile.pt");
    CHECK(m == NULL && strstr(tfm_last_error(), "hostile.pt: missing key 'emb_layer_norm_before.bias'"), "missing: '%s'",
          tfm_last_error());
    c->n++;
    m = tfm_rnafm_from_ckpt(c, "ok.pt");
    CHECK(m != NULL, "restored checkpoint loads: %s", tfm_last_error());
    tfm_ckpt_free(c);
    if (!m) return;
    int tok[80] = {0, 4, 25, 2}, B = 1;
    tfm_rnafm_ws_t *ws = tfm_rnafm_ws_new();
    float rep[80 * 32];
    tfm_rnafm_out_t out = {2, rep, NULL, NULL};
    CHECK(tfm_rnafm_forward(m, tok, B, 4, &out, ws) < 0 && strstr(tfm_last_error(), "token id 25"), "bad token: %s",
          tfm_last_error());
    for (int k = 0; k < 80; k++) tok[k] = 4;
    CHECK(tfm_rnafm_forward(m, tok, B, 80, &out, ws) < 0 && strstr(tfm_last_error(), "more than 64 tokens"),
          "too long for the position table: %s", tfm_last_error());
    CHECK(tfm_rnafm_forward(m, tok, B, 64, &out, ws) == 0, "64 tokens fit");
    out.layer = 3;
    CHECK(tfm_rnafm_forward(m, tok, B, 4, &out, ws) < 0, "layer 3 of 2 rejected");
    /* representations of an earlier layer = the hidden state; later layers are not computed */
    float hid[3 * 4 * 32];
    tfm_rnafm_out_t oh = {0, NULL, hid, NULL};
    out.layer = 1;
    tfm_rnafm_forward(m, tok, B, 4, &oh, ws);
    tfm_rnafm_forward(m, tok, B, 4, &out, ws);
    CHECK(memcmp(rep, hid + 4 * 32, sizeof(float) * 4 * 32) == 0, "representations[1] = hidden[1]");
    tfm_rnafm_ws_free(ws);
    tfm_rnafm_free(m);
}

/* tfm_rnafm_save -> tfm_rnafm_load: F32 gives the same parameters and dimensions; F16 rounds them
 * (within half precision); a safetensors file of another architecture is rejected. */
static void test_save(void)
{
    tfm_rnafm_t *m = tfm_rnafm_new_det(2, 32, 4, 48, 40, 1);
    char path[64];
    snprintf(path, sizeof path, "/tmp/tfm_test_rnafm_%ld.safetensors", (long)getpid());
    for (int f16 = 0; f16 < 2; f16++) {
        CHECK(tfm_rnafm_save(m, path, f16, "det") == 0, "save: %s", tfm_last_error());
        tfm_rnafm_t *r = tfm_rnafm_load(path);
        CHECK(r != NULL, "load saved (f16 %d): %s", f16, r ? "" : tfm_last_error());
        if (!r) continue;
        CHECK(r->n_layers == 2 && r->d == 32 && r->n_heads == 4 && r->ffn == 48 && r->max_pos == 40 &&
                  r->token_dropout == 1 && r->n_params == m->n_params,
              "dimensions (f16 %d)", f16);
        double err = 0;
        for (size_t i = 0; r->n_params == m->n_params && i < m->n_params; i++)
            err = fmax(err, fabs((double)r->params[i] - m->params[i]) / fmax(1.0, fabs((double)m->params[i])));
        if (f16) CHECK(err > 0 && err < 1e-3, "f16 params within half precision: %.3g", err);
        else CHECK(err == 0, "f32 params identical: %.3g", err);
        tfm_rnafm_free(r);
    }
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "reload");
    if (c) {
        CHECK_STR(tfm_ckpt_meta(c, "architecture"), "rnafm");
        CHECK_STR(tfm_ckpt_meta(c, "source"), "det");
        for (int k = 0; k < c->n_meta; k++)
            if (!strcmp(c->meta_key[k], "architecture")) c->meta_val[k][0] = 'X'; /* "Xnafm" */
        tfm_rnafm_t *r = tfm_rnafm_from_ckpt(c, "x.safetensors");
        CHECK(r == NULL && strstr(tfm_last_error(), "x.safetensors: metadata architecture is 'Xnafm'"), "wrong arch: %s",
              tfm_last_error());
        tfm_ckpt_free(c);
    }
    m->token_dropout = 0;
    CHECK(tfm_rnafm_save(m, path, 0, NULL) == 0, "save td 0");
    tfm_rnafm_t *r = tfm_rnafm_load(path);
    CHECK(r && r->token_dropout == 0, "token_dropout 0 kept");
    tfm_rnafm_free(r);
    remove(path);
    tfm_rnafm_free(m);
}

/* A batch longer than one pass (TFM_RNAFM_PASS_TOKENS) goes through in several: every output
 * (hidden states, representations, logits) equals that of each row run on its own, pads
 * included; the workspace's profile counts the tokens and GEMM flops of the calls. */
static void test_passes(void)
{
    tfm_rnafm_t *m = tfm_rnafm_new_det(2, 32, 4, 48, 400, 1);
    int T = 300, B = 7; /* 3 rows per pass: passes of 3, 3, 1 rows */
    int *tok = tfm_malloc(sizeof(int) * B * T);
    unsigned s = 1;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            s = s * 1664525u + 1013904223u;
            tok[b * T + t] = t == 0 ? TFM_RNAFM_CLS : t >= T - 10 * b ? TFM_RNAFM_PAD : 4 + (int)(s >> 28) % 21;
        }
    tfm_rnafm_ws_t *ws = tfm_rnafm_ws_new();
    run_t all, one;
    if (run(m, tok, B, T, &all, ws) == 0) {
        double err = 0;
        size_t row = (size_t)T * m->d;
        for (int b = 0; b < B; b++) {
            if (run(m, tok + b * T, 1, T, &one, ws) < 0) break;
            for (int l = 0; l <= m->n_layers; l++)
                for (size_t i = 0; i < row; i++)
                    err = fmax(err, fabs(all.hidden[(l * B + b) * row + i] - one.hidden[l * row + i]));
            for (size_t i = 0; i < row; i++) err = fmax(err, fabs(all.rep[b * row + i] - one.rep[i]));
            for (int i = 0; i < T * TFM_RNAFM_VOCAB; i++)
                err = fmax(err, fabs(all.logits[b * T * TFM_RNAFM_VOCAB + i] - one.logits[i]));
            run_free(&one);
        }
        CHECK(err < 1e-5, "batch in several passes = rows one by one: max abs diff %.3g", err);
        run_free(&all);
    }
    tfm_rnafm_prof_t *p = tfm_rnafm_ws_prof(ws);
    double flop = 2.0 * T * 2 * (4 * 32 * 32 + 2 * 32 * 48); /* per row: the 4 projections of 2 layers */
    CHECK(p->tokens == 2.0 * B * T && fabs(p->gemm_flop - 2 * B * flop) < 1, "profile: %.0f tokens, %.0f GEMM flop",
          p->tokens, p->gemm_flop);
    CHECK(p->gemm_s > 0 && p->gemm_s <= p->total_s, "profile: GEMM %.3g s within %.3g s", p->gemm_s, p->total_s);
    tfm_rnafm_ws_free(ws);
    tfm_rnafm_free(m);
    free(tok);
}

/* The GELU's erf against libm's double erf over the range where it is not 0/1 in float, and at
 * the edges. */
static void test_erf(void)
{
    double worst = 0;
    for (int i = -1200000; i <= 1200000; i++) {
        float z = (float)i * 1e-5f;
        double e = fabs((double)tfm_rnafm_erf(z) - erf((double)z));
        if (e > worst) worst = e;
    }
    CHECK(worst <= 1e-6, "erf max abs error %.3g over [-12, 12]", worst);
    CHECK(tfm_rnafm_erf(0.0f) == 0.0f, "erf(0) = %g", tfm_rnafm_erf(0.0f));
    CHECK(tfm_rnafm_erf(100.0f) == 1.0f && tfm_rnafm_erf(-100.0f) == -1.0f, "erf(+-100) = +-1");
    CHECK(tfm_rnafm_erf(INFINITY) == 1.0f && tfm_rnafm_erf(-INFINITY) == -1.0f, "erf(+-inf) = +-1");
    printf("# erf of the GELU: max abs error %.3g\n", worst);
}

int main(void)
{
    test_erf();
    test_tokenize_basic();
    test_save();
    test_passes();
    const char *specs = check_specs_dir("RNA-FM vectors");
    if (specs) {
        test_tokenize_tsv(specs);
        test_tiny(specs);
        test_hostile(specs);
        double t0 = tfm_seconds();
        tfm_rnafm_t *m = tfm_rnafm_new_det(12, 640, 20, 5120, 1024, 1);
        CHECK(m != NULL && m->n_params > 99000000, "full-size deterministic model");
        printf("deterministic 12x640 model: %zu floats (%.0f MB), built in %.2f s\n", m->n_params,
               m->n_params * 4.0 / 1e6, tfm_seconds() - t0);
        test_det(m, specs);
        const char *data = check_data_dir("TargetFM end to end");
        if (data) test_e2e(m, data, specs);
        tfm_rnafm_free(m);
    }
    return check_summary();
}
