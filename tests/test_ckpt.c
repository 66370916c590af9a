/* test_ckpt: .pt and safetensors reading, safetensors round trip, hostile input.
 * Small checkpoints are built here byte by byte (pickle opcodes, a stored zip, the legacy
 * stream), so the expected values are known exactly. `test_ckpt --write-seeds DIR` writes them
 * as the fuzzer's seed corpus (tests/fuzz/corpus/ckpt). Real checkpoints are checked against
 * tests/vectors/ckpt_vectors.tsv, made by an independent reader (make_ckpt_vectors.py). */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "ckpt.h"
#include "util.h"

/* ------------------------------------------------------------------ byte builders */

typedef struct {
    unsigned char *b;
    size_t n, cap;
} buf_t;

static void put(buf_t *B, const void *p, size_t n)
{
    TFM_GROW(B->b, B->cap, B->n + n + 1);
    if (n) memcpy(B->b + B->n, p, n);
    B->n += n;
}
static void put1(buf_t *B, int c) { unsigned char x = (unsigned char)c; put(B, &x, 1); }
static void putle(buf_t *B, uint64_t v, int n)
{
    for (int k = 0; k < n; k++) put1(B, (int)(v >> (8 * k) & 0xff));
}
static void puts_(buf_t *B, const char *s) { put(B, s, strlen(s)); }

static void p_str(buf_t *B, const char *s)
{
    put1(B, 'X');
    putle(B, strlen(s), 4);
    puts_(B, s);
}
static void p_int(buf_t *B, long v)
{
    if (v >= 0 && v < 256) put1(B, 'K'), put1(B, (int)v);
    else if (v >= 0 && v < 65536) put1(B, 'M'), putle(B, (uint64_t)v, 2);
    else if (v >= INT32_MIN && v <= INT32_MAX) put1(B, 'J'), putle(B, (uint64_t)v, 4);
    else put1(B, 0x8a), put1(B, 8), putle(B, (uint64_t)v, 8);
}
static void p_global(buf_t *B, const char *mod, const char *name)
{
    put1(B, 'c');
    puts_(B, mod);
    put1(B, '\n');
    puts_(B, name);
    put1(B, '\n');
}

/* One tensor of a crafted checkpoint: a view of storage `key`. */
typedef struct {
    const char *name, *stype, *key;
    long numel, off;
    int ndim;
    long size[9], stride[9];
} spec_t;

/* storages: key, element size, raw bytes */
typedef struct {
    const char *key;
    int es;
    const void *data;
    long numel;
} store_t;

static void p_tensor(buf_t *B, const spec_t *t, int legacy)
{
    p_global(B, "torch._utils", "_rebuild_tensor_v2");
    put1(B, '(');
    put1(B, '(');
    p_str(B, "storage");
    p_global(B, "torch", t->stype);
    p_str(B, t->key);
    p_str(B, "cpu");
    p_int(B, t->numel);
    if (legacy) put1(B, 'N');
    put1(B, 't');
    put1(B, 'Q');
    p_int(B, t->off);
    put1(B, '(');
    for (int d = 0; d < t->ndim; d++) p_int(B, t->size[d]);
    put1(B, 't');
    put1(B, '(');
    for (int d = 0; d < t->ndim; d++) p_int(B, t->stride[d]);
    put1(B, 't');
    put1(B, 0x89);
    p_global(B, "collections", "OrderedDict");
    put1(B, ')');
    put1(B, 'R');
    put1(B, 't');
    put1(B, 'R');
}

/* The object pickle: an OrderedDict state dict, or a fairseq dict {"args": Namespace, "model": ...}. */
static void p_object(buf_t *B, const spec_t *t, int n, int legacy, int fairseq)
{
    put1(B, 0x80), put1(B, 2);
    if (fairseq) {
        put1(B, '}');
        put1(B, '(');
        p_str(B, "args");
        p_global(B, "argparse", "Namespace");
        put1(B, ')');
        put1(B, 0x81);
        put1(B, '}');
        put1(B, '(');
        p_str(B, "token_dropout"), put1(B, 0x88);
        p_str(B, "encoder_layers"), p_int(B, 2);
        p_str(B, "dropout"), put1(B, 'G'), puts_(B, "\x3f\xb9\x99\x99\x99\x99\x99\x9a");   /* 0.1 */
        p_str(B, "arch"), p_str(B, "roberta_large");
        p_str(B, "lr"), put1(B, ']'), put1(B, 'G'), puts_(B, "\x3f\x50\x62\x4d\xd2\xf1\xa9\xfc"), put1(B, 'a');
        put1(B, 'u');
        put1(B, 'b');
        p_str(B, "model");
    }
    p_global(B, "collections", "OrderedDict");
    put1(B, ')');
    put1(B, 'R');
    put1(B, 'q'), put1(B, 0);
    put1(B, '(');
    for (int k = 0; k < n; k++) {
        p_str(B, t[k].name);
        p_tensor(B, &t[k], legacy);
    }
    put1(B, 'u');
    put1(B, '}');   /* BUILD with _metadata, as torch does */
    p_str(B, "_metadata");
    put1(B, '}');
    put1(B, 's');
    put1(B, 'b');
    if (fairseq) {
        p_str(B, "extra_state");
        put1(B, '}');
        put1(B, 'u');
    }
    put1(B, '.');
}

/* A stored zip as torch writes it (no alignment padding needed by the reader). */
static void zip_file(buf_t *Z, const char *prefix, const buf_t *pkl, const store_t *st, int nst, int method)
{
    struct { char name[128]; const void *d; size_t n; size_t loff; uint32_t crc; } e[16];
    int ne = 0;
    snprintf(e[ne].name, 128, "%s/data.pkl", prefix), e[ne].d = pkl->b, e[ne++].n = pkl->n;
    for (int k = 0; k < nst; k++)
        snprintf(e[ne].name, 128, "%s/data/%s", prefix, st[k].key), e[ne].d = st[k].data,
                                                                     e[ne++].n = (size_t)(st[k].numel * st[k].es);
    snprintf(e[ne].name, 128, "%s/version", prefix), e[ne].d = "3\n", e[ne++].n = 2;
    for (int k = 0; k < ne; k++) {
        e[k].loff = Z->n;
        e[k].crc = (uint32_t)crc32(0, e[k].d, (uInt)e[k].n);
        putle(Z, 0x04034b50, 4), putle(Z, 20, 2), putle(Z, 0, 2), putle(Z, (uint64_t)method, 2), putle(Z, 0, 4);
        putle(Z, e[k].crc, 4), putle(Z, e[k].n, 4), putle(Z, e[k].n, 4);
        putle(Z, strlen(e[k].name), 2), putle(Z, 0, 2);
        puts_(Z, e[k].name);
        put(Z, e[k].d, e[k].n);
    }
    size_t cd = Z->n, cdsize;
    for (int k = 0; k < ne; k++) {
        putle(Z, 0x02014b50, 4), putle(Z, 20, 2), putle(Z, 20, 2), putle(Z, 0, 2), putle(Z, (uint64_t)method, 2);
        putle(Z, 0, 4), putle(Z, e[k].crc, 4), putle(Z, e[k].n, 4), putle(Z, e[k].n, 4);
        putle(Z, strlen(e[k].name), 2), putle(Z, 0, 2), putle(Z, 0, 2), putle(Z, 0, 2), putle(Z, 0, 2), putle(Z, 0, 4);
        putle(Z, e[k].loff, 4);
        puts_(Z, e[k].name);
    }
    cdsize = Z->n - cd;
    putle(Z, 0x06054b50, 4), putle(Z, 0, 4), putle(Z, (uint64_t)ne, 2), putle(Z, (uint64_t)ne, 2);
    putle(Z, cdsize, 4), putle(Z, cd, 4), putle(Z, 0, 2);
}

static void legacy_file(buf_t *L, const buf_t *obj, const store_t *st, int nst)
{
    put(L, "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15);
    put(L, "\x80\x02M\xe9\x03.", 6);
    put1(L, 0x80), put1(L, 2), put1(L, '}'), put1(L, '(');
    p_str(L, "protocol_version"), p_int(L, 1001), p_str(L, "little_endian"), put1(L, 0x88);
    p_str(L, "type_sizes"), put1(L, '}'), put1(L, 'u'), put1(L, '.');
    put(L, obj->b, obj->n);
    put1(L, 0x80), put1(L, 2), put1(L, ']'), put1(L, '(');
    for (int k = 0; k < nst; k++) p_str(L, st[k].key);
    put1(L, 'e'), put1(L, '.');
    for (int k = 0; k < nst; k++) {
        putle(L, (uint64_t)st[k].numel, 8);
        put(L, st[k].data, (size_t)(st[k].numel * st[k].es));
    }
}

/* ------------------------------------------------------------------ the crafted sample */

static const float s0[6] = {-2.0f, -0.5f, 1.0f, 2.5f, 4.0f, 5.5f};
static const uint16_t s1[5] = {0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001};   /* 1, -2, 0.5, 65504, 2^-24 */
static const uint16_t s2[2] = {0x3f80, 0xc040};                           /* bf16 1, -3 */
static const double s3[2] = {0.25, -1e3};

static const store_t stores[] = {{"0", 4, s0, 6}, {"1", 2, s1, 5}, {"2", 2, s2, 2}, {"3", 8, s3, 2}};
static const spec_t specs[] = {
    {"a", "FloatStorage", "0", 6, 0, 2, {2, 3}, {3, 1}},
    {"a_t", "FloatStorage", "0", 6, 0, 2, {3, 2}, {1, 3}},   /* transposed view */
    {"half", "HalfStorage", "1", 5, 0, 1, {5}, {1}},
    {"bf", "BFloat16Storage", "2", 2, 0, 1, {2}, {1}},
    {"dbl", "DoubleStorage", "3", 2, 1, 1, {1}, {1}},        /* offset 1 */
    {"scalar", "FloatStorage", "0", 6, 5, 0, {0}, {0}},
};
#define NSPEC ((int)(sizeof specs / sizeof *specs))

static void check_sample(const tfm_ckpt_t *c, const char *what)
{
    CHECK(c != NULL, "%s: %s", what, tfm_last_error());
    if (!c) return;
    CHECK_INT(c->n, NSPEC);
    const tfm_tensor_t *t;
    if ((t = tfm_ckpt_get(c, "a"))) {
        CHECK(t->ndim == 2 && t->shape[0] == 2 && t->shape[1] == 3, "%s: a shape", what);
        CHECK(!memcmp(t->data, s0, sizeof s0), "%s: a values", what);
    } else CHECK(0, "%s: no a", what);
    if ((t = tfm_ckpt_get(c, "a_t"))) {
        CHECK(t->ndim == 2 && t->shape[0] == 3 && t->shape[1] == 2, "%s: a_t shape", what);
        int ok = 1;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) ok &= t->data[i * 2 + j] == s0[i + 3 * j];
        CHECK(ok, "%s: a_t values follow the strides", what);
    } else CHECK(0, "%s: no a_t", what);
    if ((t = tfm_ckpt_get(c, "half"))) {
        CHECK(t->data[0] == 1.0f && t->data[1] == -2.0f && t->data[2] == 0.5f && t->data[3] == 65504.0f &&
                  t->data[4] == ldexpf(1.0f, -24),
              "%s: fp16 values %g %g %g %g %g", what, t->data[0], t->data[1], t->data[2], t->data[3], t->data[4]);
    } else CHECK(0, "%s: no half", what);
    if ((t = tfm_ckpt_get(c, "bf"))) CHECK(t->data[0] == 1.0f && t->data[1] == -3.0f, "%s: bf16", what);
    else CHECK(0, "%s: no bf", what);
    if ((t = tfm_ckpt_get(c, "dbl"))) CHECK(t->numel == 1 && t->data[0] == -1000.0f, "%s: f64 with offset", what);
    else CHECK(0, "%s: no dbl", what);
    if ((t = tfm_ckpt_get(c, "scalar"))) CHECK(t->ndim == 0 && t->numel == 1 && t->data[0] == 5.5f, "%s: 0-d", what);
    else CHECK(0, "%s: no scalar", what);
}

static buf_t make_pt(int zip, int fairseq)
{
    buf_t obj = {0}, out = {0};
    p_object(&obj, specs, NSPEC, !zip, fairseq);
    if (zip) zip_file(&out, "sample", &obj, stores, 4, 0);
    else legacy_file(&out, &obj, stores, 4);
    free(obj.b);
    return out;
}

/* A pt file whose object pickle is `obj` (taken as is) around the sample storages. */
static buf_t wrap_pickle(const buf_t *obj, int zip)
{
    buf_t out = {0};
    if (zip) zip_file(&out, "x", obj, stores, 4, 0);
    else legacy_file(&out, obj, stores, 4);
    return out;
}

/* safetensors with a hand-written header over `data` */
static buf_t make_st(const char *header, const void *data, size_t n)
{
    buf_t B = {0};
    putle(&B, strlen(header), 8);
    puts_(&B, header);
    put(&B, data, n);
    return B;
}

static int write_file(const char *path, const buf_t *B)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(B->b, 1, B->n, f) == B->n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long L = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = tfm_malloc((size_t)L + 1);
    *n = fread(b, 1, (size_t)L, f);
    fclose(f);
    return b;
}

/* ------------------------------------------------------------------ hostile inputs */

typedef struct {
    const char *what;
    buf_t b;
    const char *err;       /* substring of the message */
} bad_t;

static bad_t bads[128];
static int nbad;

static void add_bad(const char *what, buf_t b, const char *err) { bads[nbad++] = (bad_t){what, b, err}; }

/* a pickle: PROTO 2, then `body`, wrapped in a zip */
static void bad_pickle(const char *what, const void *body, size_t n, const char *err)
{
    buf_t p = {0};
    put1(&p, 0x80), put1(&p, 2);
    put(&p, body, n);
    add_bad(what, wrap_pickle(&p, 1), err);
    free(p.b);
}

static void bad_spec(const char *what, spec_t s, const char *err)
{
    buf_t p = {0};
    p_object(&p, &s, 1, 0, 0);
    add_bad(what, wrap_pickle(&p, 1), err);
    free(p.b);
}

/* safetensors of one tensor 't' over n bytes of data */
static void bad_st1(const char *what, const char *dtype, const char *shape, const void *data, size_t n, const char *err)
{
    char h[256];
    snprintf(h, sizeof h, "{\"t\":{\"dtype\":\"%s\",\"shape\":[%s],\"data_offsets\":[0,%zu]}}", dtype, shape, n);
    add_bad(what, make_st(h, data, n), err);
}

static void build_bads(void)
{
    buf_t p = {0};
    p_global(&p, "os", "system");
    p_str(&p, "echo pwned");
    put1(&p, 0x85), put1(&p, 'R'), put1(&p, '.');
    bad_pickle("forbidden GLOBAL", p.b, p.n, "GLOBAL 'os system' is not allowed");
    p.n = 0;
    p_global(&p, "torch", "load");
    bad_pickle("torch.load GLOBAL", p.b, p.n, "is not allowed");
    bad_pickle("unknown opcode", "\x94", 1, "unsupported pickle opcode 0x94");
    bad_pickle("protocol 4 FRAME", "\x95\x08\0\0\0\0\0\0\0", 9, "unsupported pickle opcode 0x95");
    bad_pickle("huge BINUNICODE", "X\xf0\xff\xff\xff", 5, "string of");
    bad_pickle("truncated BINUNICODE", "X\x10\0\0\0abc", 8, "truncated");
    bad_pickle("huge memo index", ")r\xff\xff\xff\x7f.", 7, "memo index");
    bad_pickle("undefined memo", "h\x05.", 3, "not defined");
    bad_pickle("stack underflow", ".", 1, "underflow");
    bad_pickle("no STOP", "K\x01", 2, "truncated");
    bad_pickle("APPEND to a tuple", ")K\x01" "a.", 5, "APPEND to a tuple");
    bad_pickle("SETITEM on a list", "]K\x01K\x02s.", 7, "SETITEM on a list");
    bad_pickle("odd SETITEMS", "}(K\x01u.", 6, "odd");
    bad_pickle("empty dict", "}.", 2, "no state dict");
    bad_pickle("REDUCE on an int", "K\x01)R.", 5, "REDUCE on a int");
    bad_pickle("bad persistent id", "K\x01Q.", 4, "persistent id");
    bad_pickle("protocol 9", "\x80\x09.", 3, "protocol 9");
    p.n = 0;
    for (int k = 0; k < 10001; k++) put1(&p, '(');
    bad_pickle("deep MARK nesting", p.b, p.n, "nested deeper");
    p.n = 0;
    put1(&p, ')');
    for (int k = 0; k < 10001; k++) put1(&p, 0x85);
    put1(&p, '.');
    bad_pickle("deep tuple nesting", p.b, p.n, "nested deeper");
    p.n = 0;
    put1(&p, ']');
    for (int k = 0; k < 10001; k++) put1(&p, ']'), put1(&p, 'a');
    put1(&p, '.');
    bad_pickle("long flat list (not deep)", p.b, p.n, "no state dict");   /* depth 2 only: must not trip */
    p.n = 0;
    for (int k = 0; k < (1 << 21) + 8; k++) put1(&p, 'N');
    bad_pickle("too many values", p.b, p.n, "more than 2097152 pickle values");
    free(p.b);

    spec_t s = specs[0];
    s.numel = 1L << 40;
    bad_spec("huge storage", s, "element count out of range");
    s = specs[0];
    s.off = 1;
    bad_spec("view past storage", s, "reaches past its storage");
    s = specs[0];
    s.stride[0] = 1 << 30;
    bad_spec("huge stride", s, "reaches past its storage");
    s = specs[0];
    s.off = 7, s.size[0] = 0;
    bad_spec("empty view, offset past storage", s, "offset 7 past");
    s = specs[0];
    s.ndim = 9;
    for (int d = 0; d < 9; d++) s.size[d] = 1, s.stride[d] = 1;
    bad_spec("nine dimensions", s, "9 dimensions");
    s = specs[0];
    s.key = "9";
    bad_spec("missing storage", s, "storage '9' is missing");
    s = specs[0];
    s.stype = "UntypedStorage";
    bad_spec("unknown storage type", s, "unsupported tensor dtype: storage type 'torch.UntypedStorage'");

    /* containers */
    buf_t obj = {0};
    p_object(&obj, specs, NSPEC, 0, 0);
    buf_t z = {0};
    zip_file(&z, "x", &obj, stores, 4, 8);
    add_bad("deflated zip entry", z, "compressed");
    z = (buf_t){0};
    zip_file(&z, "x", &obj, stores, 3, 0);
    add_bad("zip without storage 3", z, "storage '3' is missing");
    z = (buf_t){0};
    zip_file(&z, "x", &obj, stores, 4, 0);
    z.n -= 1;
    add_bad("zip without EOCD", z, "no end-of-central-directory");
    z = (buf_t){0};
    zip_file(&z, "x", &obj, stores, 4, 0);
    z.b[z.n - 3] = 0x7f;   /* high byte of the central directory offset */
    add_bad("zip CD offset out of range", z, "out of range");
    free(obj.b);
    obj = (buf_t){0};
    p_object(&obj, specs, NSPEC, 1, 0);
    buf_t L = {0};
    legacy_file(&L, &obj, stores, 4);
    put1(&L, 0);
    add_bad("legacy trailing byte", L, "unexpected bytes after the last storage");
    L = (buf_t){0};
    legacy_file(&L, &obj, stores, 4);
    L.b[4] ^= 1;
    add_bad("legacy bad magic", L, "bad magic");
    L = (buf_t){0};
    legacy_file(&L, &obj, stores, 4);
    L.b[L.n - 16 - 8] = 0xff;   /* element count of the last storage (2 doubles) */
    add_bad("legacy huge storage count", L, "only");
    L = (buf_t){0};
    legacy_file(&L, &obj, stores, 3);
    add_bad("legacy key list without 3", L, "not in the legacy key list");
    free(obj.b);

    /* safetensors */
    float f4[4] = {1, 2, 3, 4};
    add_bad("st header size past EOF", make_st("{}", NULL, 0), "");
    bads[nbad - 1].b.b[0] = 0xff, bads[nbad - 1].b.b[5] = 0x7f, bads[nbad - 1].err = "exceeds the file";
    add_bad("st overlap",
            make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", f4, 16),
            "gap or overlap");
    add_bad("st out of bounds", make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", f4, 16),
            "data_offsets [8, 24] outside the 16 data bytes");
    add_bad("st shape mismatch", make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", f4, 16),
            "dtype F32 (4-byte elements) of shape [3] takes 12 bytes, but data_offsets [0, 16] hold 16");
    add_bad("st gap at end", make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", f4, 16),
            "not covered");
    add_bad("st bad dtype", make_st("{\"a\":{\"dtype\":\"F8\",\"shape\":[4],\"data_offsets\":[0,16]}}", f4, 16),
            "unsupported dtype 'F8' (supported: F32 F16");
    add_bad("st huge shape",
            make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,16]}}", f4, 16),
            "bad dimension");
    add_bad("st duplicate key",
            make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"a\":{}}", f4, 16),
            "duplicate key");
    add_bad("st trailing text", make_st("{} x", NULL, 0), "trailing characters");
    add_bad("st bad UTF-8", make_st("{\"\xff\":1}", NULL, 0), "invalid UTF-8");
    add_bad("st lone surrogate", make_st("{\"\\ud800\":1}", NULL, 0), "surrogate");
    add_bad("st control char", make_st("{\"a\nb\":1}", NULL, 0), "control character");
    add_bad("st metadata not string", make_st("{\"__metadata__\":{\"a\":1}}", NULL, 0), "not a string");
    add_bad("st not a tensor", make_st("{\"a\":[1]}", NULL, 0), "expected {");
    add_bad("st extra field",
            make_st("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],\"x\":1}}", f4, 16), "expected");
    char deep[300] = "{\"a\":";
    memset(deep + 5, '[', 200), deep[205] = 0;
    add_bad("st deep nesting", make_st(deep, NULL, 0), "nested too deeply");
    add_bad("unknown format", make_st("xx", NULL, 0), "unknown format");
    char *many = tfm_malloc(2 * (1 << 20) + 64);
    strcpy(many, "{\"a\":[");
    size_t m = strlen(many);
    for (int k = 0; k < (1 << 20) + 8; k++) many[m++] = '0', many[m++] = ',';
    strcpy(many + m, "0]}");
    add_bad("st too many values", make_st(many, NULL, 0), "too many values");
    free(many);

    /* values no model may hold, in every format: each names the tensor, the element and its offset */
    static const float nan6[6] = {-2.0f, -0.5f, 1.0f, 2.5f, NAN, 5.5f};
    static const double big2[2] = {0.25, 1e300};
    store_t st[4];
    memcpy(st, stores, sizeof st);
    st[0].data = nan6;
    for (int zip = 0; zip < 2; zip++) {
        obj = (buf_t){0}, z = (buf_t){0};
        p_object(&obj, specs, NSPEC, !zip, 0);
        if (zip) zip_file(&z, "x", &obj, st, 4, 0);
        else legacy_file(&z, &obj, st, 4);
        add_bad(zip ? "NaN in a zip .pt" : "NaN in a legacy .pt", z, "tensor 'a': element 4 is NaN");
        free(obj.b);
    }
    memcpy(st, stores, sizeof st);
    st[3].data = big2;
    obj = (buf_t){0}, z = (buf_t){0};
    p_object(&obj, specs, NSPEC, 1, 0);
    legacy_file(&z, &obj, st, 4);
    add_bad("F64 beyond float32", z, "tensor 'dbl': element 0 is an F64 value (1e+300) beyond float32's range");
    free(obj.b);
    float fb[4] = {1, 2, INFINITY, 4};
    bad_st1("st F32 inf", "F32", "2,2", fb, 16, "offset 73: tensor 't': element 2 is +inf");
    fb[2] = -NAN;
    bad_st1("st F32 -NaN", "F32", "2,2", fb, 16, "tensor 't': element 2 is NaN");
    bad_st1("st F16 -inf", "F16", "3", (uint16_t[]){0x3c00, 0xfc00, 0}, 6, "tensor 't': element 1 is -inf");
    bad_st1("st BF16 NaN", "BF16", "2", (uint16_t[]){0x3f80, 0x7fc0}, 4, "tensor 't': element 1 is NaN");
    bad_st1("st I64 not exact", "I64", "2", (int64_t[]){3, ((int64_t)1 << 60) + 1}, 16,
            "tensor 't': element 1 is an I64 value (1152921504606846977) that float32 cannot hold exactly");
    /* the dtype named when its element size does not fit the bytes (I64 data of 4-byte elements) */
    bad_st1("st I64 size", "I64", "4", f4, 16,
            "tensor 't': dtype I64 (8-byte elements) of shape [4] takes 32 bytes, but data_offsets [0, 16] hold 16");
    bad_st1("st U16", "U16", "8", f4, 16, "tensor 't': unsupported dtype 'U16'");
    s = specs[0];
    s.stype = "ComplexFloatStorage";
    bad_spec("complex storage", s, "unsupported tensor dtype: storage type 'torch.ComplexFloatStorage'");

    /* a flipped byte in a stored zip entry: the storage, and the pickle */
    obj = (buf_t){0}, z = (buf_t){0};
    p_object(&obj, specs, NSPEC, 0, 0);
    zip_file(&z, "x", &obj, stores, 4, 0);
    size_t data0 = 30 + strlen("x/data.pkl") + obj.n + 30 + strlen("x/data/0");   /* storage '0' */
    z.b[data0 + 2] ^= 0x10;
    add_bad("zip storage byte flipped", z, "zip: entry 'x/data/0': CRC-32");
    z = (buf_t){0};
    zip_file(&z, "x", &obj, stores, 4, 0);
    z.b[30 + strlen("x/data.pkl") + 3] ^= 1;
    add_bad("zip pickle byte flipped", z, "zip: entry 'x/data.pkl': CRC-32");
    free(obj.b);
}

/* ------------------------------------------------------------------ real checkpoints vs vectors */

static void check_real(const char *dir, const char *file, int want_n, long want_params, const char *format)
{
    char path[4096], line[8192];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    CHECK(c != NULL, "%s", tfm_last_error());
    if (!c) return;
    CHECK_STR(c->format, format);
    CHECK_INT(c->n, want_n);
    long params = 0;
    for (int k = 0; k < c->n; k++) params += (long)c->t[k].numel;
    if (want_params) CHECK_INT(params, want_params);
    FILE *f = fopen("vectors/ckpt_vectors.tsv", "r");
    CHECK(f != NULL, "vectors/ckpt_vectors.tsv missing");
    int row = 0, nargs = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *fld[7] = {0}, *s = line;
        for (int k = 0; k < 7; k++) fld[k] = strsep(&s, "\t");
        if (!fld[6] || strcmp(fld[0], file)) continue;
        if (!strncmp(fld[1], "args.", 5)) {
            const char *v = tfm_ckpt_arg(c, fld[1] + 5);
            if (v) CHECK_STR(v, fld[2]);
            else CHECK(0, "%s: arg %s missing", file, fld[1]);
            nargs++;
            continue;
        }
        if (row >= c->n) {
            CHECK(0, "%s: more tensors in the vectors than loaded", file);
            break;
        }
        const tfm_tensor_t *t = &c->t[row++];
        CHECK_STR(t->name, fld[1]);
        char shape[256] = "";
        for (int d = 0; d < t->ndim; d++)
            snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%lld", d ? "x" : "", (long long)t->shape[d]);
        CHECK_STR(t->ndim ? shape : "-", fld[2]);
        CHECK_INT(t->numel, atol(fld[3]));
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < t->numel; i++) sum += t->data[i], sq += (double)t->data[i] * t->data[i];
        CHECK_NEAR(sum, atof(fld[4]), 1e-9 * (1 + fabs(atof(fld[4]))));
        CHECK_NEAR(sq, atof(fld[5]), 1e-9 * (1 + atof(fld[5])));
        char *q = fld[6];
        for (int i = 0; i < 5 && i < t->numel; i++) {
            float want = strtof(q, &q);
            CHECK(t->data[i] == want, "%s %s[%d]: %.9g != %.9g", file, t->name, i, t->data[i], want);
        }
    }
    if (f) fclose(f);
    CHECK_INT(row, c->n);
    if (nargs) CHECK(tfm_ckpt_arg(c, "token_dropout") && !strcmp(tfm_ckpt_arg(c, "token_dropout"), "True"), "token_dropout");

    /* safetensors round trip: bit-exact */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/test_ckpt.%ld.safetensors", (long)getpid());
    const char *mk[] = {"architecture", "source", "odd \"key\"\\"}, *mv[] = {"x", file, "line\nbreak \x01 \xc3\xa9"};
    CHECK(tfm_safetensors_write(tmp, c->t, c->n, mk, mv, 3) == 0, "%s", tfm_last_error());
    tfm_ckpt_t *r = tfm_ckpt_load(tmp);
    CHECK(r != NULL, "%s", tfm_last_error());
    if (r) {
        CHECK_STR(r->format, "safetensors");
        CHECK_INT(r->n, c->n);
        int same = r->n == c->n;
        for (int k = 0; same && k < c->n; k++)
            same = !strcmp(r->t[k].name, c->t[k].name) && r->t[k].ndim == c->t[k].ndim &&
                   !memcmp(r->t[k].shape, c->t[k].shape, sizeof c->t[k].shape) && r->t[k].numel == c->t[k].numel &&
                   !memcmp(r->t[k].data, c->t[k].data, (size_t)c->t[k].numel * 4);
        CHECK(same, "%s: round trip differs", file);
        CHECK_INT(r->n_meta, 3);
        for (int k = 0; k < 3; k++) CHECK(tfm_ckpt_meta(r, mk[k]) && !strcmp(tfm_ckpt_meta(r, mk[k]), mv[k]), "meta %s", mk[k]);
        tfm_ckpt_free(r);
    }
    remove(tmp);

    /* truncations and byte flips of the real file: an error or a load, never a crash */
    size_t n;
    char *raw = read_file(path, &n);
    int fails = 0, tries = 0;
    for (size_t cut = 0; raw && cut < n; cut += cut < 2048 ? 1 : 61) {
        tfm_ckpt_t *x = tfm_ckpt_load_mem(raw, cut, file);
        tries++;
        if (!x && strstr(tfm_last_error(), "offset ")) fails++;
        tfm_ckpt_free(x);
    }
    CHECK_INT(fails, tries);
    uint64_t rng = 0x9e3779b97f4a7c15u;
    int loads = 0;
    for (int k = 0; raw && k < 1000; k++) {
        rng = rng * 6364136223846793005u + 1442695040888963407u;
        size_t at = (size_t)(rng >> 33) % n;
        unsigned char old = (unsigned char)raw[at];
        raw[at] = (char)(old ^ (1u << (rng >> 29 & 7)));
        tfm_ckpt_t *x = tfm_ckpt_load_mem(raw, n, file);
        if (x) loads++;
        else CHECK(strstr(tfm_last_error(), "offset ") != NULL, "flip at %zu: message '%s'", at, tfm_last_error());
        tfm_ckpt_free(x);
        raw[at] = (char)old;
    }
    CHECK(loads > 0, "some byte flips (in the float data) still load");
    free(raw);
    tfm_ckpt_free(c);
}

/* ------------------------------------------------------------------ main */

static int write_seeds(const char *dir)
{
    char path[4096];
    struct { const char *name; buf_t b; } s[] = {
        {"sample_zip.pt", make_pt(1, 0)},
        {"sample_legacy.pt", make_pt(0, 0)},
        {"fairseq_zip.pt", make_pt(1, 1)},
        {"fairseq_legacy.pt", make_pt(0, 1)},
    };
    for (size_t k = 0; k < sizeof s / sizeof *s; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, s[k].name);
        if (write_file(path, &s[k].b)) return 1;
        free(s[k].b.b);
    }
    buf_t zb = make_pt(1, 0);
    tfm_ckpt_t *c = tfm_ckpt_load_mem(zb.b, zb.n, "x");
    const char *mk[] = {"architecture", "encoding"}, *mv[] = {"deeptarget", "deeptarget-onehot30"};
    snprintf(path, sizeof path, "%s/sample.safetensors", dir);
    if (!c || tfm_safetensors_write(path, c->t, c->n, mk, mv, 2)) return 1;
    uint16_t h[3] = {0x3c00, 0x8001, 0x7bff};
    buf_t st = make_st("{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                       "\"__metadata__\":{\"k\":\"\\u00e9\\ud83d\\ude00\"}}", h, 6);
    snprintf(path, sizeof path, "%s/f16.safetensors", dir);
    if (write_file(path, &st)) return 1;
    build_bads();
    for (int k = 0; k < nbad; k++) {
        if (bads[k].b.n > 4096) continue;   /* keep the corpus small */
        snprintf(path, sizeof path, "%s/bad_%02d", dir, k);
        if (write_file(path, &bads[k].b)) return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--write-seeds")) return write_seeds(argv[2]);

    /* crafted files: every container, dtype, view */
    const char *names[] = {"legacy", "zip", "legacy fairseq", "zip fairseq"};
    for (int k = 0; k < 4; k++) {
        buf_t b = make_pt(k & 1, k >> 1);
        tfm_ckpt_t *c = tfm_ckpt_load_mem(b.b, b.n, names[k]);
        check_sample(c, names[k]);
        if (c) {
            CHECK_STR(c->format, k & 1 ? "pt-zip" : "pt-legacy");
            if (k >> 1) {
                CHECK(tfm_ckpt_arg(c, "token_dropout") && !strcmp(tfm_ckpt_arg(c, "token_dropout"), "True"), "arg");
                CHECK(tfm_ckpt_arg(c, "encoder_layers") && !strcmp(tfm_ckpt_arg(c, "encoder_layers"), "2"), "arg");
                CHECK(tfm_ckpt_arg(c, "dropout") && !strcmp(tfm_ckpt_arg(c, "dropout"), "0.1"), "arg");
                CHECK(tfm_ckpt_arg(c, "lr") == NULL, "list arg is not a scalar");
                CHECK(tfm_ckpt_arg(c, "arch") && !strcmp(tfm_ckpt_arg(c, "arch"), "roberta_large"), "arg");
            } else {
                CHECK_INT(c->n_args, 0);
            }
        }
        tfm_ckpt_free(c);
        free(b.b);
    }
    /* safetensors: F16 and escapes */
    uint16_t h[3] = {0x3c00, 0x8001, 0x7bff};
    buf_t st = make_st("{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                       "\"__metadata__\":{\"k\":\"\\u00e9\\ud83d\\ude00\\n\"}}", h, 6);
    tfm_ckpt_t *c = tfm_ckpt_load_mem(st.b, st.n, "f16.safetensors");
    CHECK(c != NULL, "%s", tfm_last_error());
    if (c) {
        CHECK(c->n == 1 && c->t[0].data[0] == 1.0f && c->t[0].data[1] == -ldexpf(1, -24) && c->t[0].data[2] == 65504.0f,
              "f16 safetensors");
        CHECK(tfm_ckpt_meta(c, "k") && !strcmp(tfm_ckpt_meta(c, "k"), "\xc3\xa9\xf0\x9f\x98\x80\n"), "unicode escapes");
    }
    tfm_ckpt_free(c);
    free(st.b);
    /* a header of 0x80 + 256 bytes: first byte 0x80 like a pickle, still safetensors */
    char hdr[400] = "{\"__metadata__\":{\"pad\":\"";
    memset(hdr + strlen(hdr), 'x', 0x180 - strlen(hdr) - 3);
    strcpy(hdr + 0x180 - 3, "\"}}");
    st = make_st(hdr, NULL, 0);
    c = tfm_ckpt_load_mem(st.b, st.n, "x80.safetensors");
    CHECK(st.b[0] == 0x80 && c && c->n_meta == 1, "0x80 header size: %s", tfm_last_error());
    tfm_ckpt_free(c);
    free(st.b);
    st = make_st("{}      ", NULL, 0);
    c = tfm_ckpt_load_mem(st.b, st.n, "empty.safetensors");
    CHECK(c && c->n == 0, "empty safetensors: %s", tfm_last_error());
    tfm_ckpt_free(c);
    free(st.b);
    CHECK(tfm_safetensors_write("/nonexistent/dir/x.safetensors", NULL, 0, NULL, NULL, 0) == -1 &&
              strstr(tfm_last_error(), "cannot create"),
          "unwritable path");
    tfm_tensor_t dup[2] = {{.name = "x", .ndim = 1, .shape = {1}, .numel = 1, .data = (float[]){1}},
                           {.name = "x", .ndim = 1, .shape = {1}, .numel = 1, .data = (float[]){1}}};
    CHECK(tfm_safetensors_write("/tmp/never", dup, 2, NULL, NULL, 0) == -1 && strstr(tfm_last_error(), "twice"), "dup");
    tfm_tensor_t nan1 = {.name = "w", .ndim = 1, .shape = {2}, .numel = 2, .data = (float[]){1, NAN}};
    char never[64];
    snprintf(never, sizeof never, "/tmp/tfm_test_nan_%ld.safetensors", (long)getpid());
    CHECK(tfm_safetensors_write(never, &nan1, 1, NULL, NULL, 0) == -1 &&
              strstr(tfm_last_error(), "tensor 'w': element 1 is nan (not a finite number)") && access(never, F_OK) != 0,
          "NaN not written: %s", tfm_last_error());
    /* F16 writer: round to nearest even, subnormals, overflow; read back through the F16 reader */
    {
        static const float in[] = {1.0f, -2.5f, 65504.0f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 0x1p-24f, 0x1.8p-25f,
                                   0x1p-26f, 1e6f, -70000.0f, 0x1.ffep-15f, 0.1f, 0.0f};
        static const uint16_t want[] = {0x3c00, 0xc100, 0x7bff, 0x3c00, 0x3c02, 0x0001, 0x0001,
                                        0x0000, 0x7c00, 0xfc00, 0x0400, 0x2e66, 0x0000};
        int nv = (int)(sizeof in / sizeof *in), ok = 1;
        for (int k = 0; k < nv; k++)
            if (tfm_float_to_half(in[k]) != want[k]) ok = 0, printf("# half(%a) = 0x%04x, want 0x%04x\n", in[k], tfm_float_to_half(in[k]), want[k]);
        CHECK(ok, "float -> half");
        float nanv = NAN;
        CHECK((tfm_float_to_half(nanv) & 0x7c00) == 0x7c00 && (tfm_float_to_half(nanv) & 0x3ff), "NaN stays NaN");
        tfm_tensor_t ht = {.name = "h", .ndim = 2, .shape = {1, 13}, .numel = 13, .data = (float *)in};
        const char *mk[] = {"a"}, *mv[] = {"b"};
        char tmp[64];
        snprintf(tmp, sizeof tmp, "/tmp/tfm_test_f16_%ld.safetensors", (long)getpid());
        /* values beyond F16 (1e6, -70000) are an error, not infinities the reader would refuse */
        CHECK(tfm_safetensors_write_dtype(tmp, &ht, 1, mk, mv, 1, 1) == -1 &&
                  strstr(tfm_last_error(), "tensor 'h': element 8 is 1e+06, beyond F16's range") && access(tmp, F_OK) != 0,
              "f16 overflow: %s", tfm_last_error());
        float fin[13];
        memcpy(fin, in, sizeof fin);
        fin[8] = 60000.0f, fin[9] = -60000.0f;
        ht.data = fin;
        CHECK(tfm_safetensors_write_dtype(tmp, &ht, 1, mk, mv, 1, 1) == 0, "%s", tfm_last_error());
        tfm_ckpt_t *r = tfm_ckpt_load(tmp);
        CHECK(r && r->n == 1 && r->t[0].numel == 13 && r->t[0].ndim == 2, "f16 read back: %s", r ? "" : tfm_last_error());
        if (r && r->n == 1 && r->t[0].numel == 13) {
            CHECK(r->t[0].data[0] == 1.0f && r->t[0].data[1] == -2.5f && r->t[0].data[2] == 65504.0f &&
                      r->t[0].data[4] == 1.0f + 0x1p-9f && r->t[0].data[5] == 0x1p-24f && r->t[0].data[8] == 60000.0f &&
                      fabsf(r->t[0].data[11] - 0.1f) < 1e-4f && !strcmp(tfm_ckpt_meta(r, "a"), "b"),
                  "f16 values");
        }
        tfm_ckpt_free(r);
        FILE *fp = fopen(tmp, "rb");
        char hb[200] = {0};
        CHECK(fp && fread(hb, 1, sizeof hb - 1, fp) > 8 && strstr(hb + 8, "\"dtype\":\"F16\""), "F16 in the header");
        if (fp) fclose(fp);
        remove(tmp);
    }
    CHECK(tfm_ckpt_load("/nonexistent.pt") == NULL && strstr(tfm_last_error(), "cannot open"), "missing file");

    /* hostile crafted files: each an error with the expected message */
    build_bads();
    for (int k = 0; k < nbad; k++) {
        tfm_ckpt_t *x = tfm_ckpt_load_mem(bads[k].b.b, bads[k].b.n, "bad.pt");
        CHECK(x == NULL && strstr(tfm_last_error(), bads[k].err) && !strncmp(tfm_last_error(), "bad.pt: offset ", 15),
              "%s: got '%s'", bads[k].what, x ? "(loaded)" : tfm_last_error());
        tfm_ckpt_free(x);
        /* and every truncation of it */
        for (size_t cut = 0; cut < bads[k].b.n && cut < 600; cut++) tfm_ckpt_free(tfm_ckpt_load_mem(bads[k].b.b, cut, "t"));
        free(bads[k].b.b);
    }

    const char *data = check_data_dir("real checkpoints");
    if (data) {
        char dir[8192];
        snprintf(dir, sizeof dir, "%s/models", data);
        check_real(dir, "TargetNet.pt", 8, 8737, "pt-legacy");
        check_real(dir, "deepTarget_weights.pt", 12, 21340, "pt-legacy");
        check_real(dir, "TargetFM1_head_weights.pt", 16, 62364, "pt-zip");
    }
    const char *specs_dir = check_specs_dir("tiny RNA-FM checkpoints");
    if (specs_dir) {
        char dir[8192];
        snprintf(dir, sizeof dir, "%s/vectors", specs_dir);
        check_real(dir, "rnafm_tiny_zip.pt", 46, 0, "pt-zip");
        check_real(dir, "rnafm_tiny_legacy.pt", 46, 0, "pt-legacy");
    }
    return check_summary();
}
