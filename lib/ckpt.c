/* ckpt: PyTorch .pt (zip and legacy) and safetensors readers, safetensors writer.
 *
 * Nothing in a checkpoint is executed: the pickle VM below knows only the opcodes of
 * specs/rna-fm.md 8.1, and a GLOBAL must name one of a few whitelisted callables, which are
 * interpreted, never imported. Every length read from the file is checked against the bytes
 * that are actually there before anything is allocated for it. Values live in a pool owned by
 * the loader, so shared references (BINGET) and cycles need no reference counting and nothing
 * is ever walked recursively. */
#define _POSIX_C_SOURCE 200809L
#include "ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"

/* A fuzzer could hardly ever make a zip entry whose CRC-32 matches, and would never get past it
 * into the pickle: fuzz builds compute the CRC but accept a mismatch. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define FUZZING 1
#else
#define FUZZING 0
#endif

#define MAX_STR (1u << 20)         /* longest pickle string */
#define MAX_MEMO 10000000u         /* largest memo index */
#define MAX_NEST 10000             /* MARK depth and container nesting */
#define MAX_VALS (1u << 21)        /* pickle values per file (RNA-FM needs ~10^4): bounds memory */
#define MAX_JSON_NODES (1u << 20)  /* safetensors header values */
#define MAX_JSON_DEPTH 64
#define MAX_HEADER (100u << 20)    /* safetensors header, as the reference implementation */

/* ------------------------------------------------------------------ little helpers */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

typedef struct {
    const char *name;      /* for messages */
    const uint8_t *buf;    /* the whole file */
    size_t len;
} src_t;

static int fail_at(const src_t *S, uint64_t off, const char *fmt, ...) TFM_PRINTF(3, 4);
static int fail_at(const src_t *S, uint64_t off, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tfm_fail("%s: offset %llu: %s", S->name, (unsigned long long)off, msg);
}

/* A pool of malloc'ed blocks freed together. */
typedef struct {
    void **p;
    size_t n, cap;
} pool_t;

static void *pool_add(pool_t *P, void *x)
{
    TFM_GROW(P->p, P->cap, P->n + 1);
    return P->p[P->n++] = x;
}

static void pool_free(pool_t *P)
{
    for (size_t i = 0; i < P->n; i++) free(P->p[i]);
    free(P->p);
    memset(P, 0, sizeof *P);
}

/* ------------------------------------------------------------------ element types */

enum { D_F32, D_F16, D_BF16, D_F64, D_I64, D_I32, D_I16, D_I8, D_U8, D_BOOL, D_N };
static const int dsize[D_N] = {4, 2, 2, 8, 8, 4, 2, 1, 1, 1};
static const char *const storage_name[D_N] = {"FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage",
                                              "LongStorage",  "IntStorage",  "ShortStorage",    "CharStorage",
                                              "ByteStorage",  "BoolStorage"};
static const char *const st_dtype[D_N] = {"F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL"};
#define STORAGE_TYPES "Float Half BFloat16 Double Long Int Short Char Byte Bool"
#define ST_DTYPES "F32 F16 BF16 F64 I64 I32 I16 I8 U8 BOOL"

/* "[2, 3]" ("[]" for a scalar) into buf of at least 22 * ndim + 3 bytes */
static void shape_str(char *buf, int ndim, const int64_t *shape)
{
    char *o = buf;
    *o++ = '[';
    for (int d = 0; d < ndim; d++) o += sprintf(o, d ? ", %lld" : "%lld", (long long)shape[d]);
    strcpy(o, "]");
}

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | man << 13;                  /* inf, nan */
    } else if (exp) {
        bits = sign | (exp + 112) << 23 | man << 13;            /* normal: rebias 15 -> 127 */
    } else if (man) {                                           /* subnormal: normalise */
        int e = 113;
        while (!(man & 0x400)) man <<= 1, e--;
        bits = sign | (uint32_t)e << 23 | (man & 0x3ff) << 13;
    } else {
        bits = sign;
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static float elem(const uint8_t *p, int d)
{
    uint32_t u;
    uint64_t v;
    float f;
    double x;
    switch (d) {
    case D_F32: u = rd32(p); memcpy(&f, &u, 4); return f;
    case D_F16: return half_to_float(rd16(p));
    case D_BF16: u = (uint32_t)rd16(p) << 16; memcpy(&f, &u, 4); return f;
    case D_F64: v = rd64(p); memcpy(&x, &v, 8); return (float)x;
    case D_I64: return (float)(int64_t)rd64(p);
    case D_I32: return (float)(int32_t)rd32(p);
    case D_I16: return (float)(int16_t)rd16(p);
    case D_I8: return (float)(int8_t)p[0];
    case D_U8: return (float)p[0];
    default: return p[0] ? 1.0f : 0.0f;
    }
}

/* numel of a shape; -1 on overflow past 2^62 */
static int64_t shape_numel(int ndim, const int64_t *shape)
{
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) return -1;
        if (shape[d] && n > ((int64_t)1 << 62) / shape[d]) return -1;
        n *= shape[d];
    }
    return n;
}

/* ------------------------------------------------------------------ pickle values */

enum { V_NONE, V_BOOL, V_INT, V_BIGINT, V_FLOAT, V_STR, V_TUPLE, V_LIST, V_DICT, V_NS, V_GLOBAL, V_STORAGE, V_TENSOR,
       V_OPAQUE };
static const char *const vname[] = {"None", "bool", "int", "long", "float", "str", "tuple", "list", "dict",
                                    "Namespace", "global", "storage", "tensor", "object"};

/* What a whitelisted GLOBAL stands for. */
enum { G_ODICT = 1, G_REBUILD, G_PARAM, G_STORAGE, G_NS, G_OPAQUE };

typedef struct {
    int ndim;
    int64_t off, size[TFM_MAX_DIMS], stride[TFM_MAX_DIMS];
} tview_t;

typedef struct val val_t;
struct val {
    int type, kind;        /* kind: global kind, or storage dtype */
    int depth;             /* container nesting */
    int64_t i;             /* int, bool; storage: numel */
    double f;
    char *s;               /* str (NUL-free), bigint bytes, global "module name", storage key */
    size_t slen;
    val_t **it;            /* tuple/list items; dict/Namespace: key, value, key, value ... */
    size_t n, cap;
    val_t *st;             /* tensor: its storage */
    tview_t *view;         /* tensor */
    uint64_t where;        /* file offset of the opcode that made it */
};

typedef struct {
    src_t S;               /* S.len: end of the current pickle */
    size_t file_len;       /* bounds storage sizes */
    val_t **vals;          /* every value made, freed together */
    size_t nvals, capvals;
    val_t **stor;          /* every storage made by BINPERSID */
    size_t nstor, capstor;
    pool_t pool;           /* strings and views the values point to */
    /* per pickle */
    val_t **stk;
    size_t nstk, capstk;
    size_t *marks;
    size_t nmarks, capmarks;
    val_t **memo;
    size_t nmemo, capmemo;
} vm_t;

static val_t *newval(vm_t *V, int type, uint64_t where)
{
    val_t *v = tfm_calloc(1, sizeof *v);
    TFM_GROW(V->vals, V->capvals, V->nvals + 1);
    V->vals[V->nvals++] = v;
    v->type = type;
    v->where = where;
    return v;
}

static void add_item(val_t *c, val_t *x)
{
    TFM_GROW(c->it, c->cap, c->n + 1);
    c->it[c->n++] = x;
    if (x->depth + 1 > c->depth) c->depth = x->depth + 1;
}

static const char *str_of(const val_t *v) { return v && v->type == V_STR ? v->s : NULL; }

/* Last value for a string key in a dict or Namespace, or NULL. */
static val_t *dict_get(const val_t *d, const char *key)
{
    if (!d || (d->type != V_DICT && d->type != V_NS)) return NULL;
    for (size_t k = d->n; k >= 2; k -= 2) {
        const char *s = str_of(d->it[k - 2]);
        if (s && strcmp(s, key) == 0) return d->it[k - 1];
    }
    return NULL;
}

static const struct {
    const char *mod, *name;
    int kind;
} whitelist[] = {
    {"collections", "OrderedDict", G_ODICT},
    {"torch._utils", "_rebuild_tensor_v2", G_REBUILD},
    {"torch._utils", "_rebuild_parameter", G_PARAM},
    {"argparse", "Namespace", G_NS},
    /* values a fairseq checkpoint may carry outside the state dict; they stay opaque */
    {"_codecs", "encode", G_OPAQUE},
    {"numpy.core.multiarray", "scalar", G_OPAQUE},
    {"numpy", "dtype", G_OPAQUE},
};

/* ------------------------------------------------------------------ the pickle VM */

static int vm_push(vm_t *V, val_t *v)
{
    TFM_GROW(V->stk, V->capstk, V->nstk + 1);
    V->stk[V->nstk++] = v;
    return 0;
}

static size_t fence(const vm_t *V) { return V->nmarks ? V->marks[V->nmarks - 1] : 0; }

static val_t *vm_pop(vm_t *V, uint64_t at)
{
    if (V->nstk <= fence(V)) {
        fail_at(&V->S, at, "pickle stack underflow");
        return NULL;
    }
    return V->stk[--V->nstk];
}

static val_t *vm_top(vm_t *V, uint64_t at)
{
    if (V->nstk <= fence(V)) {
        fail_at(&V->S, at, "pickle stack underflow");
        return NULL;
    }
    return V->stk[V->nstk - 1];
}

/* Pop everything above the last mark into a fresh container of `type`. */
static val_t *pop_mark(vm_t *V, int type, uint64_t at)
{
    if (!V->nmarks) {
        fail_at(&V->S, at, "no MARK on the pickle stack");
        return NULL;
    }
    size_t m = V->marks[--V->nmarks];
    val_t *c = newval(V, type, at);
    for (size_t k = m; k < V->nstk; k++) add_item(c, V->stk[k]);
    V->nstk = m;
    return c;
}

static int check_depth(vm_t *V, const val_t *c, uint64_t at)
{
    return c->depth > MAX_NEST ? fail_at(&V->S, at, "containers nested deeper than %d", MAX_NEST) : 0;
}

static int get_int(const val_t *v, int64_t *out)
{
    if (!v || v->type != V_INT) return -1;
    *out = v->i;
    return 0;
}

/* torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) */
static val_t *rebuild_tensor(vm_t *V, val_t *args, uint64_t at)
{
    if (args->type != V_TUPLE || args->n < 4 || args->n > 7) {
        fail_at(&V->S, at, "_rebuild_tensor_v2: expected 6 or 7 arguments");
        return NULL;
    }
    val_t *st = args->it[0], *sz = args->it[2], *sd = args->it[3];
    int64_t off;
    if (st->type != V_STORAGE) {
        fail_at(&V->S, at, "_rebuild_tensor_v2: argument 1 is a %s, not a storage", vname[st->type]);
        return NULL;
    }
    if (get_int(args->it[1], &off) || off < 0 || sz->type != V_TUPLE || sd->type != V_TUPLE || sz->n != sd->n) {
        fail_at(&V->S, at, "_rebuild_tensor_v2: bad offset, size or stride");
        return NULL;
    }
    if (sz->n > TFM_MAX_DIMS) {
        fail_at(&V->S, at, "tensor has %zu dimensions (at most %d supported)", sz->n, TFM_MAX_DIMS);
        return NULL;
    }
    tview_t tv = {.ndim = (int)sz->n, .off = off};
    for (int d = 0; d < tv.ndim; d++) {
        if (get_int(sz->it[d], &tv.size[d]) || get_int(sd->it[d], &tv.stride[d]) || tv.size[d] < 0 ||
            tv.stride[d] < 0 || tv.size[d] > ((int64_t)1 << 48) || tv.stride[d] > ((int64_t)1 << 48)) {
            fail_at(&V->S, at, "_rebuild_tensor_v2: size or stride %d out of range", d);
            return NULL;
        }
    }
    int64_t numel = shape_numel(tv.ndim, tv.size);
    if (numel < 0) {
        fail_at(&V->S, at, "tensor size overflows");
        return NULL;
    }
    /* largest storage index the view touches must lie inside the storage */
    if (numel > 0) {
        int64_t last = off, step;
        int ovf = 0;
        for (int d = 0; d < tv.ndim; d++)
            if (__builtin_mul_overflow(tv.size[d] - 1, tv.stride[d], &step) || __builtin_add_overflow(last, step, &last))
                ovf = 1;
        if (ovf || last >= st->i) {
            fail_at(&V->S, at, "tensor view (offset %lld) reaches past its storage '%s' of %lld elements",
                    (long long)off, st->s, (long long)st->i);
            return NULL;
        }
    } else if (off > st->i) {
        fail_at(&V->S, at, "tensor offset %lld past its storage of %lld elements", (long long)off, (long long)st->i);
        return NULL;
    }
    val_t *t = newval(V, V_TENSOR, at);
    t->st = st;
    t->view = pool_add(&V->pool, tfm_malloc(sizeof tv));
    *t->view = tv;
    return t;
}

static val_t *do_reduce(vm_t *V, val_t *fn, val_t *args, uint64_t at)
{
    if (fn->type != V_GLOBAL) {
        fail_at(&V->S, at, "REDUCE on a %s", vname[fn->type]);
        return NULL;
    }
    if (args->type != V_TUPLE) {
        fail_at(&V->S, at, "REDUCE arguments are a %s, not a tuple", vname[args->type]);
        return NULL;
    }
    switch (fn->kind) {
    case G_ODICT:
        if (args->n) break;
        return newval(V, V_DICT, at);
    case G_REBUILD: return rebuild_tensor(V, args, at);
    case G_PARAM:
        if (args->n < 1 || args->it[0]->type != V_TENSOR) break;
        return args->it[0];
    case G_OPAQUE: return newval(V, V_OPAQUE, at);
    default: break;
    }
    fail_at(&V->S, at, "cannot call '%s' with these arguments", fn->s);
    return NULL;
}

static val_t *persistent_load(vm_t *V, val_t *pid, uint64_t at)
{
    /* ('storage', storage type, key, location, numel[, view_metadata]) */
    if (pid->type != V_TUPLE || pid->n < 5 || pid->n > 6 || !str_of(pid->it[0]) ||
        strcmp(pid->it[0]->s, "storage") != 0 || !str_of(pid->it[2])) {
        fail_at(&V->S, at, "persistent id is not ('storage', type, key, location, numel)");
        return NULL;
    }
    val_t *ty = pid->it[1];
    if (ty->type != V_GLOBAL || ty->kind != G_STORAGE) {
        fail_at(&V->S, at, "persistent id names an unsupported storage type");
        return NULL;
    }
    int64_t numel;
    if (get_int(pid->it[4], &numel) || numel < 0 || (uint64_t)numel > V->file_len / (uint64_t)dsize[ty->i]) {
        fail_at(&V->S, at, "storage '%s': element count out of range for a file of %zu bytes", pid->it[2]->s,
                V->file_len);
        return NULL;
    }
    val_t *s = newval(V, V_STORAGE, at);
    s->kind = (int)ty->i;
    s->i = numel;
    s->s = pid->it[2]->s;          /* owned by the pool through the key string */
    s->slen = pid->it[2]->slen;
    TFM_GROW(V->stor, V->capstor, V->nstor + 1);
    V->stor[V->nstor++] = s;
    return s;
}

static val_t *make_global(vm_t *V, const char *mod, size_t ml, const char *name, size_t nl, uint64_t at)
{
    int kind = 0, dtype = 0;
    for (size_t k = 0; k < sizeof whitelist / sizeof *whitelist && !kind; k++)
        if (strlen(whitelist[k].mod) == ml && !memcmp(whitelist[k].mod, mod, ml) &&
            strlen(whitelist[k].name) == nl && !memcmp(whitelist[k].name, name, nl))
            kind = whitelist[k].kind;
    if (!kind && ml == 5 && !memcmp(mod, "torch", 5))
        for (int d = 0; d < D_N && !kind; d++)
            if (strlen(storage_name[d]) == nl && !memcmp(storage_name[d], name, nl)) kind = G_STORAGE, dtype = d;
    if (!kind && ml == 5 && !memcmp(mod, "torch", 5) && nl > 7 && !memcmp(name + nl - 7, "Storage", 7)) {
        fail_at(&V->S, at, "unsupported tensor dtype: storage type 'torch.%.*s' (supported: %s)", (int)nl, name,
                STORAGE_TYPES);
        return NULL;
    }
    if (!kind) {
        fail_at(&V->S, at, "GLOBAL '%.*s %.*s' is not allowed", (int)ml, mod, (int)nl, name);
        return NULL;
    }
    val_t *g = newval(V, V_GLOBAL, at);
    g->kind = kind;
    g->i = dtype;
    g->slen = ml + 1 + nl;
    g->s = pool_add(&V->pool, tfm_malloc(g->slen + 1));
    memcpy(g->s, mod, ml);
    g->s[ml] = ' ';
    memcpy(g->s + ml + 1, name, nl);
    g->s[g->slen] = 0;
    return g;
}

/* Index of the '\n' ending a short printable line that starts at p (> 0), or 0 if there is none. */
static size_t short_line(const uint8_t *b, size_t p, size_t end)
{
    for (size_t q = p; q < end && q < p + 256; q++) {
        if (b[q] == '\n') return q;
        if (b[q] < 0x20 || b[q] > 0x7e) return 0;
    }
    return 0;
}

/* Run one pickle starting at *pos (file offset); on success *pos is just past its STOP. */
static val_t *unpickle(vm_t *V, size_t *pos)
{
    const src_t *S = &V->S;
    const uint8_t *b = S->buf;
    size_t p = *pos, start = p;
    V->nstk = V->nmarks = V->nmemo = 0;
#define NEED(k)                                                                                        \
    do {                                                                                               \
        if (S->len - p < (size_t)(k)) {                                                                \
            fail_at(S, at, "pickle truncated (opcode 0x%02x needs %zu more bytes)", op, (size_t)(k)); \
            return NULL;                                                                               \
        }                                                                                              \
    } while (0)
#define POP(x) \
    if (!((x) = vm_pop(V, at))) return NULL
    for (;;) {
        size_t at = p;
        if (p >= S->len) {
            fail_at(S, at, "pickle truncated (no STOP)");
            return NULL;
        }
        if (V->nvals >= MAX_VALS) {   /* each opcode makes at most one value */
            fail_at(S, at, "more than %u pickle values", MAX_VALS);
            return NULL;
        }
        int op = b[p++];
        val_t *v = NULL, *a, *c;
        switch (op) {
        case 0x80: /* PROTO */
            NEED(1);
            if (b[p] > 5) {
                fail_at(S, at, "pickle protocol %d not supported", b[p]);
                return NULL;
            }
            p++;
            continue;
        case '.': /* STOP */
            POP(v);
            *pos = p;
            return v;
        case '(':
            if (V->nmarks >= MAX_NEST) {
                fail_at(S, at, "MARKs nested deeper than %d", MAX_NEST);
                return NULL;
            }
            TFM_GROW(V->marks, V->capmarks, V->nmarks + 1);
            V->marks[V->nmarks++] = V->nstk;
            continue;
        case ')': v = newval(V, V_TUPLE, at); break;
        case 't':
            if (!(v = pop_mark(V, V_TUPLE, at))) return NULL;
            break;
        case 0x85: case 0x86: case 0x87: {
            int k = op - 0x84;
            if (V->nstk < fence(V) + (size_t)k) {
                fail_at(S, at, "pickle stack underflow");
                return NULL;
            }
            v = newval(V, V_TUPLE, at);
            for (size_t j = V->nstk - (size_t)k; j < V->nstk; j++) add_item(v, V->stk[j]);
            V->nstk -= (size_t)k;
            break;
        }
        case ']': v = newval(V, V_LIST, at); break;
        case '}': v = newval(V, V_DICT, at); break;
        case 'a': case 'e':
            if (op == 'a') {
                POP(a);
            } else if (!(a = pop_mark(V, V_LIST, at))) {
                return NULL;
            }
            if (!(c = vm_top(V, at))) return NULL;
            if (c->type != V_LIST) {
                fail_at(S, at, "APPEND to a %s", vname[c->type]);
                return NULL;
            }
            if (op == 'a') add_item(c, a);
            else for (size_t j = 0; j < a->n; j++) add_item(c, a->it[j]);
            if (check_depth(V, c, at)) return NULL;
            continue;
        case 's': case 'u':
            if (op == 's') {
                val_t *val, *key;
                POP(val);
                POP(key);
                a = newval(V, V_LIST, at);
                add_item(a, key);
                add_item(a, val);
            } else if (!(a = pop_mark(V, V_LIST, at))) {
                return NULL;
            }
            if (!(c = vm_top(V, at))) return NULL;
            if (c->type != V_DICT) {
                fail_at(S, at, "SETITEM on a %s", vname[c->type]);
                return NULL;
            }
            if (a->n % 2) {
                fail_at(S, at, "SETITEMS with an odd number of items");
                return NULL;
            }
            for (size_t j = 0; j < a->n; j++) add_item(c, a->it[j]);
            if (check_depth(V, c, at)) return NULL;
            continue;
        case 'q': case 'r': case 'h': case 'j': {
            size_t idx;
            if (op == 'q' || op == 'h') {
                NEED(1);
                idx = b[p], p += 1;
            } else {
                NEED(4);
                idx = rd32(b + p), p += 4;
            }
            if (op == 'q' || op == 'r') {
                /* picklers number memo slots 0,1,2...: an index beyond the pickle's size is bogus */
                if (idx >= MAX_MEMO || idx > p - start) {
                    fail_at(S, at, "memo index %zu out of range", idx);
                    return NULL;
                }
                if (!(v = vm_top(V, at))) return NULL;
                if (idx >= V->nmemo) {
                    TFM_GROW(V->memo, V->capmemo, idx + 1);
                    memset(V->memo + V->nmemo, 0, (idx + 1 - V->nmemo) * sizeof *V->memo);
                    V->nmemo = idx + 1;
                }
                V->memo[idx] = v;
                continue;
            }
            if (idx >= V->nmemo || !V->memo[idx]) {
                fail_at(S, at, "memo index %zu not defined", idx);
                return NULL;
            }
            v = V->memo[idx];
            break;
        }
        case 'K': NEED(1); v = newval(V, V_INT, at); v->i = b[p]; p += 1; break;
        case 'M': NEED(2); v = newval(V, V_INT, at); v->i = rd16(b + p); p += 2; break;
        case 'J': NEED(4); v = newval(V, V_INT, at); v->i = (int32_t)rd32(b + p); p += 4; break;
        case 0x8a: { /* LONG1 */
            NEED(1);
            size_t n = b[p++];
            NEED(n);
            if (n <= 8) {
                uint64_t u = 0;
                for (size_t k = 0; k < n; k++) u |= (uint64_t)b[p + k] << (8 * k);
                if (n && n < 8 && (b[p + n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);   /* sign-extend */
                v = newval(V, V_INT, at);
                v->i = (int64_t)u;
            } else {   /* only the legacy magic number is this long: keep the bytes */
                v = newval(V, V_BIGINT, at);
                v->s = pool_add(&V->pool, tfm_malloc(n));
                memcpy(v->s, b + p, n);
                v->slen = n;
            }
            p += n;
            break;
        }
        case 'X': case 0x8c: { /* BINUNICODE, SHORT_BINUNICODE */
            size_t n;
            if (op == 'X') {
                NEED(4);
                n = rd32(b + p), p += 4;
            } else {
                NEED(1);
                n = b[p], p += 1;
            }
            if (n > MAX_STR) {
                fail_at(S, at, "string of %zu bytes (limit %u)", n, MAX_STR);
                return NULL;
            }
            NEED(n);
            if (memchr(b + p, 0, n)) {
                fail_at(S, at, "string contains a NUL byte");
                return NULL;
            }
            v = newval(V, V_STR, at);
            v->s = pool_add(&V->pool, tfm_malloc(n + 1));
            memcpy(v->s, b + p, n);
            v->s[n] = 0;
            v->slen = n;
            p += n;
            break;
        }
        case 'G': { /* BINFLOAT: big-endian */
            NEED(8);
            uint64_t u = 0;
            for (int k = 0; k < 8; k++) u = u << 8 | b[p + k];
            v = newval(V, V_FLOAT, at);
            memcpy(&v->f, &u, 8);
            p += 8;
            break;
        }
        case 'N': v = newval(V, V_NONE, at); break;
        case 0x88: case 0x89: v = newval(V, V_BOOL, at); v->i = op == 0x88; break;
        case 'c': { /* GLOBAL module\nname\n */
            size_t e1 = short_line(b, p, S->len), e2 = e1 ? short_line(b, e1 + 1, S->len) : 0;
            if (!e2) {
                fail_at(S, at, "GLOBAL without two short printable newline-terminated names");
                return NULL;
            }
            if (!(v = make_global(V, (const char *)b + p, e1 - p, (const char *)b + e1 + 1, e2 - e1 - 1, at)))
                return NULL;
            p = e2 + 1;
            break;
        }
        case 'R': case 0x81: { /* REDUCE, NEWOBJ */
            val_t *fn;
            POP(a);
            POP(fn);
            if (op == 'R') {
                if (!(v = do_reduce(V, fn, a, at))) return NULL;
            } else if (fn->type == V_GLOBAL && (fn->kind == G_NS || fn->kind == G_OPAQUE) && a->type == V_TUPLE) {
                v = newval(V, fn->kind == G_NS ? V_NS : V_OPAQUE, at);
            } else {
                fail_at(S, at, "NEWOBJ of a %s '%s'", vname[fn->type], fn->type == V_GLOBAL ? fn->s : "");
                return NULL;
            }
            break;
        }
        case 'b': { /* BUILD: Namespace attributes; OrderedDict _metadata and opaque state are ignored */
            POP(a);
            if (!(c = vm_top(V, at))) return NULL;
            if (c->type == V_NS) {
                if (a->type != V_DICT) {
                    fail_at(S, at, "Namespace state is a %s, not a dict", vname[a->type]);
                    return NULL;
                }
                for (size_t j = 0; j < a->n; j++) add_item(c, a->it[j]);
                if (check_depth(V, c, at)) return NULL;
            } else if (c->type != V_DICT && c->type != V_OPAQUE) {
                fail_at(S, at, "BUILD on a %s", vname[c->type]);
                return NULL;
            }
            continue;
        }
        case 'Q': /* BINPERSID */
            POP(a);
            if (!(v = persistent_load(V, a, at))) return NULL;
            break;
        default:
            fail_at(S, at, "unsupported pickle opcode 0x%02x", op);
            return NULL;
        }
        if (v->type == V_TUPLE && check_depth(V, v, at)) return NULL;
        vm_push(V, v);
    }
#undef NEED
#undef POP
}

/* ------------------------------------------------------------------ storages and tensors */

typedef struct {
    const char *key;
    const uint8_t *data;   /* raw little-endian bytes */
    uint64_t bytes;
    uint64_t off;          /* file offset of the data, for messages */
    int dtype;             /* legacy: from the storages that name this key; -1 unknown */
} blob_t;

static int blob_cmp(const void *a, const void *b)
{
    return strcmp(((const blob_t *)a)->key, ((const blob_t *)b)->key);
}

static const blob_t *find_blob(const blob_t *bl, size_t n, const char *key)
{
    blob_t k = {.key = key};
    return bsearch(&k, bl, n, sizeof *bl, blob_cmp);
}

static int sort_blobs(const src_t *S, blob_t *bl, size_t n)
{
    qsort(bl, n, sizeof *bl, blob_cmp);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(bl[k - 1].key, bl[k].key)) return fail_at(S, bl[k].off, "storage '%s' stored twice", bl[k].key);
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const tfm_tensor_t *)a)->name, ((const tfm_tensor_t *)b)->name);
}

/* Reject duplicate names (a sorted copy keeps it O(n log n) on hostile input). */
static int check_unique(const src_t *S, const tfm_ckpt_t *c)
{
    if (c->n < 2) return 0;
    tfm_tensor_t *s = tfm_malloc((size_t)c->n * sizeof *s);
    memcpy(s, c->t, (size_t)c->n * sizeof *s);
    qsort(s, (size_t)c->n, sizeof *s, name_cmp);
    int rc = 0;
    for (int k = 1; k < c->n && !rc; k++)
        if (!strcmp(s[k - 1].name, s[k].name)) rc = fail_at(S, 0, "tensor '%s' appears twice", s[k].name);
    free(s);
    return rc;
}

/* What is wrong with element value f (converted from the raw element at p), or NULL when it is
 * a finite float32 that stands for the stored value exactly (integers) or as nearly as float32
 * can (floating point). A NaN or an infinity in a weight silently changes every score computed
 * with it, so no checkpoint holding one is accepted. */
static const char *bad_elem(float f, const uint8_t *p, int d, char *buf, size_t n)
{
    if (d == D_F64 && !isfinite(f)) {
        uint64_t v = rd64(p);
        double x;
        memcpy(&x, &v, 8);
        if (isfinite(x)) return snprintf(buf, n, "an F64 value (%g) beyond float32's range", x), buf;
    }
    if (isnan(f)) return "NaN (a checkpoint must hold finite numbers)";
    if (isinf(f)) return f > 0 ? "+inf (a checkpoint must hold finite numbers)" : "-inf (a checkpoint must hold finite numbers)";
    if (d == D_I64 || d == D_I32) {   /* float32 holds every integer up to 2^24 exactly, some beyond */
        int64_t v = d == D_I64 ? (int64_t)rd64(p) : (int32_t)rd32(p);
        if (fabsf(f) >= 0x1p62f || (int64_t)f != v)
            return snprintf(buf, n, "an %s value (%lld) that float32 cannot hold exactly", st_dtype[d], (long long)v), buf;
    }
    return NULL;
}

/* Copy a strided view of raw storage bytes into a new contiguous float32 tensor (t->name set);
 * every format's tensors come through here, and so through its value check. 0, or -1 with
 * the file offset of the first bad element. */
static int materialize(const src_t *S, tfm_tensor_t *t, const uint8_t *data, int dtype, const tview_t *tv)
{
    int es = dsize[dtype];
    t->data = tfm_malloc((size_t)(t->numel ? t->numel : 1) * sizeof(float));
    int64_t idx[TFM_MAX_DIMS] = {0}, pos = tv->off;
    char why[96];
    for (int64_t k = 0; k < t->numel; k++) {
        const uint8_t *p = data + (size_t)pos * (size_t)es;
        const char *bad = bad_elem(t->data[k] = elem(p, dtype), p, dtype, why, sizeof why);
        if (bad)
            return fail_at(S, (uint64_t)(p - S->buf), "tensor '%s': element %lld is %s", t->name, (long long)k, bad);
        for (int d = tv->ndim - 1; d >= 0; d--) {          /* odometer over the shape */
            pos += tv->stride[d];
            if (++idx[d] < tv->size[d]) break;
            pos -= tv->stride[d] * tv->size[d];
            idx[d] = 0;
        }
    }
    return 0;
}

static tfm_ckpt_t *new_ckpt(const char *format)
{
    tfm_ckpt_t *c = tfm_calloc(1, sizeof *c);
    c->format = tfm_strdup(format);
    return c;
}

static char *fmt_scalar(const val_t *v)
{
    char buf[64];
    switch (v->type) {
    case V_NONE: return tfm_strdup("None");
    case V_BOOL: return tfm_strdup(v->i ? "True" : "False");
    case V_INT: snprintf(buf, sizeof buf, "%lld", (long long)v->i); return tfm_strdup(buf);
    case V_FLOAT: /* shortest text that reads back the same, like Python's repr */
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v->f);
            if (strtod(buf, NULL) == v->f) break;
        }
        return tfm_strdup(buf);
    case V_STR: return tfm_strdup(v->s);
    default: return NULL;
    }
}

/* The state dict inside the unpickled object, then every tensor in it converted. */
static tfm_ckpt_t *build_pt(vm_t *V, val_t *root, const blob_t *bl, size_t nbl, const char *format)
{
    const src_t *S = &V->S;
    val_t *sd = NULL;
    if (root->type == V_DICT) {
        val_t *m = dict_get(root, "model"), *s = dict_get(root, "state_dict");
        if (s && s->type == V_DICT) sd = s;
        else if (m && m->type == V_DICT) sd = m;
        else sd = root;
    }
    int ntens = 0;
    if (sd)
        for (size_t k = 0; k + 1 < sd->n; k += 2)
            if (sd->it[k + 1]->type == V_TENSOR && str_of(sd->it[k])) ntens++;
    if (!ntens) {
        fail_at(S, root->where, "no state dict of tensors found (top-level %s)", vname[root->type]);
        return NULL;
    }
    tfm_ckpt_t *c = new_ckpt(format);
    c->t = tfm_calloc((size_t)ntens, sizeof *c->t);
    /* converted floats are bounded by the file: each element takes at least one byte there,
     * plus slack for views that share a storage (tied weights) */
    uint64_t budget = 2 * (uint64_t)S->len + (1u << 20);
    for (size_t k = 0; k + 1 < sd->n; k += 2) {
        val_t *tv = sd->it[k + 1];
        if (tv->type != V_TENSOR || !str_of(sd->it[k])) continue;
        const blob_t *blob = find_blob(bl, nbl, tv->st->s);
        tfm_tensor_t *t = &c->t[c->n];
        t->name = tfm_strdup(sd->it[k]->s);
        c->n++;
        if (!blob) {
            fail_at(S, tv->where, "tensor '%s': storage '%s' is missing", t->name, tv->st->s);
            goto fail;
        }
        uint64_t need = (uint64_t)tv->st->i * (uint64_t)dsize[tv->st->kind];
        if (blob->bytes < need) {
            fail_at(S, blob->off, "storage '%s' has %llu bytes, %s needs %llu", blob->key,
                    (unsigned long long)blob->bytes, t->name, (unsigned long long)need);
            goto fail;
        }
        t->ndim = tv->view->ndim;
        memcpy(t->shape, tv->view->size, sizeof t->shape);
        t->numel = shape_numel(t->ndim, t->shape);
        if ((uint64_t)t->numel > budget) {
            fail_at(S, tv->where, "tensor '%s': %lld elements is more than the file can hold", t->name,
                    (long long)t->numel);
            goto fail;
        }
        budget -= (uint64_t)t->numel;
        if (materialize(S, t, blob->data, tv->st->kind, tv->view)) goto fail;
    }
    if (check_unique(S, c)) goto fail;
    /* fairseq "args": keep its scalar attributes as strings for the RNA-FM loader */
    val_t *args = root->type == V_DICT ? dict_get(root, "args") : NULL;
    if (args && (args->type == V_NS || args->type == V_DICT)) {
        for (size_t k = 0; k + 1 < args->n; k += 2) {
            char *val = str_of(args->it[k]) ? fmt_scalar(args->it[k + 1]) : NULL;
            if (!val) continue;
            c->arg_key = tfm_realloc(c->arg_key, (size_t)(c->n_args + 1) * sizeof *c->arg_key);
            c->arg_val = tfm_realloc(c->arg_val, (size_t)(c->n_args + 1) * sizeof *c->arg_val);
            c->arg_key[c->n_args] = tfm_strdup(args->it[k]->s);
            c->arg_val[c->n_args++] = val;
        }
    }
    return c;
fail:
    tfm_ckpt_free(c);
    return NULL;
}

static void vm_free(vm_t *V)
{
    for (size_t k = 0; k < V->nvals; k++) {
        free(V->vals[k]->it);
        free(V->vals[k]);
    }
    free(V->vals);
    free(V->stor);
    pool_free(&V->pool);
    free(V->stk);
    free(V->marks);
    free(V->memo);
}

/* ------------------------------------------------------------------ zip container */

typedef struct {
    const char *name;      /* NUL-terminated copy */
    uint64_t off, size;    /* data */
} zent_t;

static tfm_ckpt_t *load_zip(const src_t *S)
{
    const uint8_t *b = S->buf;
    size_t len = S->len, eocd = 0;
    int found = 0;
    /* EOCD: last record with the signature, allowing for a trailing comment */
    for (size_t k = len >= 22 ? len - 22 + 1 : 0; k-- > 0 && len - k <= 22 + 65535;)
        if (rd32(b + k) == 0x06054b50 && k + 22 + rd16(b + k + 20) == len) { eocd = k, found = 1; break; }
    if (!found) {
        fail_at(S, len, "zip: no end-of-central-directory record");
        return NULL;
    }
    uint64_t nent = rd16(b + eocd + 10), cdsize = rd32(b + eocd + 12), cdoff = rd32(b + eocd + 16);
    if (nent == 0xffff || cdsize == 0xffffffffu || cdoff == 0xffffffffu) {
        fail_at(S, eocd, "zip: zip64 archives (over 4 GiB or 65535 entries) are not supported");
        return NULL;
    }
    if (cdoff > eocd || cdsize > eocd - cdoff || nent > cdsize / 46) {
        fail_at(S, eocd, "zip: central directory (%llu entries at %llu, %llu bytes) out of range",
                (unsigned long long)nent, (unsigned long long)cdoff, (unsigned long long)cdsize);
        return NULL;
    }
    pool_t names = {0};
    zent_t *ent = tfm_calloc(nent ? nent : 1, sizeof *ent);
    blob_t *bl = tfm_calloc(nent ? nent : 1, sizeof *bl);
    tfm_ckpt_t *c = NULL;
    vm_t V = {.S = *S, .file_len = S->len};
    size_t nbl = 0, p = cdoff, cdend = cdoff + cdsize;
    const zent_t *pkl = NULL;
    for (uint64_t k = 0; k < nent; k++) {
        if (cdend - p < 46 || rd32(b + p) != 0x02014b50) {
            fail_at(S, p, "zip: bad central directory entry %llu", (unsigned long long)k);
            goto out;
        }
        unsigned flags = rd16(b + p + 8), method = rd16(b + p + 10);
        uint64_t csize = rd32(b + p + 20), usize = rd32(b + p + 24), loff = rd32(b + p + 42);
        size_t nl = rd16(b + p + 28), xl = rd16(b + p + 30), cl = rd16(b + p + 32);
        if (cdend - p - 46 < nl + xl + cl) {
            fail_at(S, p, "zip: central directory entry %llu runs past the directory", (unsigned long long)k);
            goto out;
        }
        char *nm = pool_add(&names, tfm_malloc(nl + 1));
        memcpy(nm, b + p + 46, nl);
        nm[nl] = 0;
        if (strlen(nm) != nl) {
            fail_at(S, p, "zip: entry name contains a NUL byte");
            goto out;
        }
        if (flags & 1) {
            fail_at(S, p, "zip: entry '%s' is encrypted", nm);
            goto out;
        }
        if (method != 0 || csize != usize) {
            fail_at(S, p, "zip: entry '%s' is compressed (method %u); only stored entries are supported", nm, method);
            goto out;
        }
        if (csize == 0xffffffffu || loff == 0xffffffffu) {
            fail_at(S, p, "zip: entry '%s' needs zip64, not supported", nm);
            goto out;
        }
        /* data starts after the LOCAL header, whose extra field (PyTorch's alignment padding) may differ */
        if (loff > cdoff || cdoff - loff < 30 || rd32(b + loff) != 0x04034b50) {
            fail_at(S, p, "zip: entry '%s': bad local header offset %llu", nm, (unsigned long long)loff);
            goto out;
        }
        uint64_t data = loff + 30 + rd16(b + loff + 26) + rd16(b + loff + 28);
        if (data > cdoff || usize > cdoff - data) {
            fail_at(S, loff, "zip: entry '%s' (%llu bytes) runs past the central directory", nm,
                    (unsigned long long)usize);
            goto out;
        }
        /* a flipped byte in a stored entry would otherwise convert silently */
        uint32_t want = rd32(b + p + 16), got = (uint32_t)crc32(0, b + data, (uInt)usize);
        if (got != want && !FUZZING) {
            fail_at(S, data, "zip: entry '%s': CRC-32 %08x, but the directory says %08x (corrupt file)", nm, got, want);
            goto out;
        }
        ent[k] = (zent_t){nm, data, usize};
        size_t L = strlen(nm);
        if (L >= 9 && !strcmp(nm + L - 9, "/data.pkl")) {
            if (pkl) {
                fail_at(S, p, "zip: two pickles ('%s' and '%s')", pkl->name, nm);
                goto out;
            }
            pkl = &ent[k];
        }
        p += 46 + nl + xl + cl;
    }
    if (!pkl) {
        fail_at(S, cdoff, "zip: no '<prefix>/data.pkl' entry (not a PyTorch checkpoint)");
        goto out;
    }
    /* storages are "<prefix>/data/<key>" */
    size_t plen = strlen(pkl->name) - 8;
    for (uint64_t k = 0; k < nent; k++) {
        const char *nm = ent[k].name;
        if (strncmp(nm, pkl->name, plen) || strncmp(nm + plen, "data/", 5) || !nm[plen + 5]) continue;
        bl[nbl++] = (blob_t){nm + plen + 5, b + ent[k].off, ent[k].size, ent[k].off, -1};
    }
    if (sort_blobs(S, bl, nbl)) goto out;
    /* the pickle runs over a view that ends where the entry ends */
    V.S.len = (size_t)(pkl->off + pkl->size);
    size_t pos = (size_t)pkl->off;
    val_t *root = unpickle(&V, &pos);
    if (!root) goto out;
    V.S.len = S->len;
    c = build_pt(&V, root, bl, nbl, "pt-zip");
out:
    vm_free(&V);
    free(ent);
    free(bl);
    pool_free(&names);
    return c;
}

/* ------------------------------------------------------------------ legacy container */

static const uint8_t legacy_magic[10] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

static tfm_ckpt_t *load_legacy(const src_t *S)
{
    vm_t V = {.S = *S, .file_len = S->len};
    tfm_ckpt_t *c = NULL;
    blob_t *bl = NULL;
    size_t pos = 0, at;
    val_t *v, *root, *keys;
    if (!(v = unpickle(&V, &pos))) goto out;
    if (v->type != V_BIGINT || v->slen != 10 || memcmp(v->s, legacy_magic, 10)) {
        fail_at(S, 0, "not a PyTorch legacy checkpoint (bad magic number)");
        goto out;
    }
    at = pos;
    if (!(v = unpickle(&V, &pos))) goto out;
    if (v->type != V_INT || v->i != 1001) {
        fail_at(S, at, "legacy protocol version is not 1001");
        goto out;
    }
    at = pos;
    if (!(v = unpickle(&V, &pos))) goto out;
    val_t *le = dict_get(v, "little_endian");
    if (v->type != V_DICT || !le || le->type != V_BOOL || !le->i) {
        fail_at(S, at, "legacy sys_info does not say little_endian=True (big-endian files are not supported)");
        goto out;
    }
    /* the storages of the object pickle must survive the storage-key pickle: one pool for both */
    if (!(root = unpickle(&V, &pos))) goto out;
    at = pos;
    if (!(keys = unpickle(&V, &pos))) goto out;
    if (keys->type != V_LIST) {
        fail_at(S, at, "legacy storage key list is a %s", vname[keys->type]);
        goto out;
    }
    size_t nk = keys->n;
    bl = tfm_calloc(nk ? nk : 1, sizeof *bl);
    for (size_t k = 0; k < nk; k++) {
        if (!str_of(keys->it[k])) {
            fail_at(S, at, "legacy storage key %zu is not a string", k);
            goto out;
        }
        bl[k] = (blob_t){.key = keys->it[k]->s, .dtype = -1};
    }
    if (sort_blobs(S, bl, nk)) goto out;
    /* element size of each key comes from the storages that name it */
    for (size_t k = 0; k < V.nstor; k++) {
        val_t *s = V.stor[k];
        blob_t *e = (blob_t *)find_blob(bl, nk, s->s);
        if (!e) {
            fail_at(S, s->where, "storage '%s' is not in the legacy key list", s->s);
            goto out;
        }
        if (e->dtype >= 0 && e->dtype != s->kind) {
            fail_at(S, s->where, "storage '%s' used with two element types", s->s);
            goto out;
        }
        e->dtype = s->kind;
    }
    /* raw data: per key in list order, int64 element count then the elements */
    for (size_t k = 0; k < nk; k++) {
        const char *key = keys->it[k]->s;
        blob_t *e = (blob_t *)find_blob(bl, nk, key);
        if (e->data) {
            fail_at(S, pos, "storage '%s' listed twice", key);
            goto out;
        }
        if (e->dtype < 0) {
            fail_at(S, pos, "storage '%s' is not used by any tensor (element size unknown)", key);
            goto out;
        }
        if (S->len - pos < 8) {
            fail_at(S, pos, "truncated: storage '%s' has no element count", key);
            goto out;
        }
        uint64_t n = rd64(S->buf + pos), es = (uint64_t)dsize[e->dtype];
        if (n > (S->len - pos - 8) / es) {
            fail_at(S, pos, "storage '%s': %llu elements of %d bytes but only %zu bytes left", key,
                    (unsigned long long)n, (int)es, S->len - pos - 8);
            goto out;
        }
        e->data = S->buf + pos + 8;
        e->off = pos + 8;
        e->bytes = n * es;
        pos += 8 + (size_t)e->bytes;
    }
    if (pos != S->len) {
        fail_at(S, pos, "%zu unexpected bytes after the last storage", S->len - pos);
        goto out;
    }
    c = build_pt(&V, root, bl, nk, "pt-legacy");
out:
    vm_free(&V);
    free(bl);
    return c;
}

/* ------------------------------------------------------------------ a small strict JSON parser
 * Only for safetensors headers: RFC 8259 syntax, UTF-8 checked, no duplicate object keys,
 * nesting limited. A DOM of nodes kept in one pool. */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv jv_t;
struct jv {
    int type, is_uint;     /* is_uint: a non-negative integer that fits in u */
    uint64_t u;
    char *s;               /* string (NUL-free) */
    jv_t **it;             /* array items; object: key, value, key, value ... */
    size_t n, cap;
    uint64_t off;          /* file offset */
};

typedef struct {
    const src_t *S;
    const uint8_t *b;
    size_t p, end, base;   /* base: file offset of b[0] */
    jv_t **nodes;
    size_t nnodes, capnodes;
    pool_t strs;
} jp_t;

static jv_t *jnew(jp_t *J, int type)
{
    jv_t *v = tfm_calloc(1, sizeof *v);
    TFM_GROW(J->nodes, J->capnodes, J->nnodes + 1);
    J->nodes[J->nnodes++] = v;
    v->type = type;
    v->off = J->base + J->p;
    return v;
}

static void jfree(jp_t *J)
{
    for (size_t k = 0; k < J->nnodes; k++) {
        free(J->nodes[k]->it);
        free(J->nodes[k]);
    }
    free(J->nodes);
    pool_free(&J->strs);
}

static void jadd(jv_t *c, jv_t *x)
{
    TFM_GROW(c->it, c->cap, c->n + 1);
    c->it[c->n++] = x;
}

static int jerr(jp_t *J, const char *what)
{
    return fail_at(J->S, J->base + J->p, "safetensors header: %s", what);
}

static void jws(jp_t *J)
{
    while (J->p < J->end && (J->b[J->p] == ' ' || J->b[J->p] == '\t' || J->b[J->p] == '\n' || J->b[J->p] == '\r'))
        J->p++;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int read_u4(jp_t *J, unsigned *out)
{
    if (J->end - J->p < 4) return jerr(J, "truncated \\u escape");
    unsigned u = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(J->b[J->p + (size_t)k]);
        if (h < 0) return jerr(J, "bad \\u escape");
        u = u << 4 | (unsigned)h;
    }
    J->p += 4;
    *out = u;
    return 0;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
    uint32_t c = s[0], min;
    size_t L;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) L = 2, c &= 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0) L = 3, c &= 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0) L = 4, c &= 0x07, min = 0x10000;
    else return 0;
    if (L > n) return 0;
    for (size_t k = 1; k < L; k++) {
        if ((s[k] & 0xc0) != 0x80) return 0;
        c = c << 6 | (s[k] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    return L;
}

static jv_t *jstring(jp_t *J)
{
    J->p++;   /* opening quote */
    /* the decoded string is never longer than its source */
    size_t q = J->p;
    while (q < J->end && J->b[q] != '"') q += J->b[q] == '\\' ? 2 : 1;
    if (q >= J->end) {
        jerr(J, "unterminated string");
        return NULL;
    }
    jv_t *v = jnew(J, J_STR);
    char *o = v->s = pool_add(&J->strs, tfm_malloc(q - J->p + 1));
    while (J->b[J->p] != '"') {
        uint8_t ch = J->b[J->p];
        if (ch < 0x20) {
            jerr(J, "control character in string");
            return NULL;
        }
        if (ch != '\\') {
            size_t L = utf8_len(J->b + J->p, J->end - J->p);
            if (!L) {
                jerr(J, "invalid UTF-8 in string");
                return NULL;
            }
            memcpy(o, J->b + J->p, L);
            o += L;
            J->p += L;
            continue;
        }
        J->p++;
        ch = J->b[J->p++];
        const char *esc = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", ch);
        if (ch && esc && (esc - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0) {
            *o++ = esc[1];
            continue;
        }
        if (ch != 'u') {
            J->p--;
            jerr(J, "bad escape in string");
            return NULL;
        }
        unsigned u, lo;
        if (read_u4(J, &u)) return NULL;
        if (u >= 0xd800 && u <= 0xdbff) {   /* surrogate pair */
            if (J->end - J->p < 2 || J->b[J->p] != '\\' || J->b[J->p + 1] != 'u') {
                jerr(J, "lone surrogate in \\u escape");
                return NULL;
            }
            J->p += 2;
            if (read_u4(J, &lo)) return NULL;
            if (lo < 0xdc00 || lo > 0xdfff) {
                jerr(J, "bad surrogate pair in \\u escape");
                return NULL;
            }
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        } else if ((u >= 0xdc00 && u <= 0xdfff) || u == 0) {
            jerr(J, u ? "lone surrogate in \\u escape" : "\\u0000 in string");
            return NULL;
        }
        if (u < 0x80) *o++ = (char)u;
        else if (u < 0x800) *o++ = (char)(0xc0 | u >> 6), *o++ = (char)(0x80 | (u & 0x3f));
        else if (u < 0x10000)
            *o++ = (char)(0xe0 | u >> 12), *o++ = (char)(0x80 | (u >> 6 & 0x3f)), *o++ = (char)(0x80 | (u & 0x3f));
        else
            *o++ = (char)(0xf0 | u >> 18), *o++ = (char)(0x80 | (u >> 12 & 0x3f)),
            *o++ = (char)(0x80 | (u >> 6 & 0x3f)), *o++ = (char)(0x80 | (u & 0x3f));
    }
    *o = 0;
    J->p++;
    return v;
}

static int isdig(int c) { return c >= '0' && c <= '9'; }

static jv_t *jnumber(jp_t *J)
{
    jv_t *v = jnew(J, J_NUM);
    size_t s = J->p;
    int neg = 0, integral = 1;
    if (J->b[J->p] == '-') neg = 1, J->p++;
    if (J->p >= J->end || !isdig(J->b[J->p])) goto bad;
    if (J->b[J->p] == '0') J->p++;
    else while (J->p < J->end && isdig(J->b[J->p])) J->p++;
    if (J->p < J->end && J->b[J->p] == '.') {
        integral = 0;
        J->p++;
        if (J->p >= J->end || !isdig(J->b[J->p])) goto bad;
        while (J->p < J->end && isdig(J->b[J->p])) J->p++;
    }
    if (J->p < J->end && (J->b[J->p] == 'e' || J->b[J->p] == 'E')) {
        integral = 0;
        J->p++;
        if (J->p < J->end && (J->b[J->p] == '+' || J->b[J->p] == '-')) J->p++;
        if (J->p >= J->end || !isdig(J->b[J->p])) goto bad;
        while (J->p < J->end && isdig(J->b[J->p])) J->p++;
    }
    if (integral && !neg) {
        uint64_t u = 0;
        int ovf = 0;
        for (size_t k = s; k < J->p && !ovf; k++)
            if (__builtin_mul_overflow(u, 10, &u) || __builtin_add_overflow(u, (uint64_t)(J->b[k] - '0'), &u)) ovf = 1;
        v->is_uint = !ovf;
        v->u = u;
    }
    return v;
bad:
    jerr(J, "bad number");
    return NULL;
}

static int jkey_cmp(const void *a, const void *b)
{
    return strcmp((*(const jv_t *const *)a)->s, (*(const jv_t *const *)b)->s);
}

/* Duplicate keys are ambiguous: refuse them (sorted, so a huge hostile header stays O(n log n)). */
static int jdup(jp_t *J, const jv_t *o)
{
    size_t nk = o->n / 2;
    if (nk < 2) return 0;
    jv_t **k = tfm_malloc(nk * sizeof *k);
    for (size_t j = 0; j < nk; j++) k[j] = o->it[2 * j];
    qsort(k, nk, sizeof *k, jkey_cmp);
    int rc = 0;
    for (size_t j = 1; j < nk && !rc; j++)
        if (!strcmp(k[j - 1]->s, k[j]->s)) rc = fail_at(J->S, k[j]->off, "safetensors header: duplicate key '%s'", k[j]->s);
    free(k);
    return rc;
}

static jv_t *jvalue(jp_t *J, int depth)
{
    jws(J);
    if (J->p >= J->end) {
        jerr(J, "unexpected end");
        return NULL;
    }
    if (depth > MAX_JSON_DEPTH) {
        jerr(J, "nested too deeply");
        return NULL;
    }
    if (J->nnodes >= MAX_JSON_NODES) {   /* each call makes at most two nodes (key, value) */
        jerr(J, "too many values");
        return NULL;
    }
    uint8_t ch = J->b[J->p];
    if (ch == '"') return jstring(J);
    if (ch == '-' || isdig(ch)) return jnumber(J);
    static const struct { const char *w; int type, val; } lit[] = {{"true", J_BOOL, 1}, {"false", J_BOOL, 0}, {"null", J_NULL, 0}};
    for (int k = 0; k < 3; k++) {
        size_t L = strlen(lit[k].w);
        if (J->end - J->p >= L && !memcmp(J->b + J->p, lit[k].w, L)) {
            jv_t *v = jnew(J, lit[k].type);
            v->u = (uint64_t)lit[k].val;
            J->p += L;
            return v;
        }
    }
    if (ch != '[' && ch != '{') {
        jerr(J, "unexpected character");
        return NULL;
    }
    int obj = ch == '{';
    jv_t *c = jnew(J, obj ? J_OBJ : J_ARR);
    J->p++;
    jws(J);
    if (J->p < J->end && J->b[J->p] == (obj ? '}' : ']')) {
        J->p++;
        return c;
    }
    for (;;) {
        jws(J);
        if (obj) {
            if (J->p >= J->end || J->b[J->p] != '"') {
                jerr(J, "expected a string key");
                return NULL;
            }
            jv_t *k = jstring(J);
            if (!k) return NULL;
            jadd(c, k);
            jws(J);
            if (J->p >= J->end || J->b[J->p] != ':') {
                jerr(J, "expected ':'");
                return NULL;
            }
            J->p++;
        }
        jv_t *v = jvalue(J, depth + 1);
        if (!v) return NULL;
        jadd(c, v);
        jws(J);
        if (J->p < J->end && J->b[J->p] == ',') {
            J->p++;
            continue;
        }
        if (J->p < J->end && J->b[J->p] == (obj ? '}' : ']')) {
            J->p++;
            return obj && jdup(J, c) ? NULL : c;
        }
        jerr(J, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        return NULL;
    }
}

static const jv_t *jget(const jv_t *o, const char *key)
{
    for (size_t j = 0; j < o->n; j += 2)
        if (!strcmp(o->it[j]->s, key)) return o->it[j + 1];
    return NULL;
}

/* ------------------------------------------------------------------ safetensors */

typedef struct {
    const char *name;
    int dtype, ndim;
    int64_t shape[TFM_MAX_DIMS];
    uint64_t begin, end, off;
} stinfo_t;

static int st_cmp(const void *a, const void *b)
{
    const stinfo_t *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static tfm_ckpt_t *load_safetensors(const src_t *S)
{
    uint64_t hs = rd64(S->buf);
    if (hs > S->len - 8) {
        fail_at(S, 0, "safetensors header size %llu exceeds the file (%zu bytes)", (unsigned long long)hs, S->len);
        return NULL;
    }
    if (hs > MAX_HEADER) {
        fail_at(S, 0, "safetensors header size %llu over the %u-byte limit", (unsigned long long)hs, MAX_HEADER);
        return NULL;
    }
    jp_t J = {.S = S, .b = S->buf + 8, .end = (size_t)hs, .base = 8};
    tfm_ckpt_t *c = NULL;
    stinfo_t *ti = NULL;
    size_t nti = 0;
    const uint8_t *data = S->buf + 8 + hs;
    uint64_t dlen = S->len - 8 - hs;
    jv_t *root = jvalue(&J, 0);
    if (!root) goto out;
    jws(&J);
    if (J.p != J.end) {
        jerr(&J, "trailing characters after the header object");
        goto out;
    }
    if (root->type != J_OBJ) {
        fail_at(S, 8, "safetensors header is not a JSON object");
        goto out;
    }
    c = new_ckpt("safetensors");
    ti = tfm_calloc(root->n / 2 + 1, sizeof *ti);
    for (size_t j = 0; j < root->n; j += 2) {
        const jv_t *k = root->it[j], *v = root->it[j + 1];
        if (!strcmp(k->s, "__metadata__")) {
            if (v->type != J_OBJ) {
                fail_at(S, v->off, "__metadata__ is not an object");
                goto fail;
            }
            c->meta_key = tfm_calloc(v->n / 2 + 1, sizeof *c->meta_key);
            c->meta_val = tfm_calloc(v->n / 2 + 1, sizeof *c->meta_val);
            for (size_t m = 0; m < v->n; m += 2) {
                if (v->it[m + 1]->type != J_STR) {
                    fail_at(S, v->it[m + 1]->off, "__metadata__ value of '%s' is not a string", v->it[m]->s);
                    goto fail;
                }
                c->meta_key[c->n_meta] = tfm_strdup(v->it[m]->s);
                c->meta_val[c->n_meta++] = tfm_strdup(v->it[m + 1]->s);
            }
            continue;
        }
        stinfo_t *t = &ti[nti++];
        t->name = k->s;
        t->off = v->off;
        const jv_t *dt = v->type == J_OBJ ? jget(v, "dtype") : NULL, *sh = v->type == J_OBJ ? jget(v, "shape") : NULL,
                   *of = v->type == J_OBJ ? jget(v, "data_offsets") : NULL;
        if (!dt || !sh || !of || v->n != 6 || dt->type != J_STR || sh->type != J_ARR || of->type != J_ARR || of->n != 2 ||
            !of->it[0]->is_uint || !of->it[1]->is_uint) {
            fail_at(S, v->off, "tensor '%s': expected {\"dtype\", \"shape\", \"data_offsets\": [begin, end]}", k->s);
            goto fail;
        }
        t->dtype = -1;
        for (int d = 0; d < D_N; d++)
            if (!strcmp(dt->s, st_dtype[d])) t->dtype = d;
        if (t->dtype < 0) {
            fail_at(S, dt->off, "tensor '%s': unsupported dtype '%s' (supported: %s)", k->s, dt->s, ST_DTYPES);
            goto fail;
        }
        if (sh->n > TFM_MAX_DIMS) {
            fail_at(S, sh->off, "tensor '%s': %zu dimensions (at most %d)", k->s, sh->n, TFM_MAX_DIMS);
            goto fail;
        }
        t->ndim = (int)sh->n;
        for (int d = 0; d < t->ndim; d++) {
            if (!sh->it[d]->is_uint || sh->it[d]->u > ((uint64_t)1 << 48)) {
                fail_at(S, sh->it[d]->off, "tensor '%s': bad dimension %d", k->s, d);
                goto fail;
            }
            t->shape[d] = (int64_t)sh->it[d]->u;
        }
        int64_t numel = shape_numel(t->ndim, t->shape);
        t->begin = of->it[0]->u;
        t->end = of->it[1]->u;
        if (t->begin > t->end || t->end > dlen) {
            fail_at(S, of->off, "tensor '%s': data_offsets [%llu, %llu] outside the %llu data bytes", k->s,
                    (unsigned long long)t->begin, (unsigned long long)t->end, (unsigned long long)dlen);
            goto fail;
        }
        uint64_t es = (uint64_t)dsize[t->dtype];
        if (numel < 0 || (uint64_t)numel > UINT64_MAX / es || (uint64_t)numel * es != t->end - t->begin) {
            char shape[TFM_MAX_DIMS * 22 + 3], need[32] = "too many";
            shape_str(shape, t->ndim, t->shape);
            if (numel >= 0 && (uint64_t)numel <= UINT64_MAX / es)
                snprintf(need, sizeof need, "%llu", (unsigned long long)((uint64_t)numel * es));
            fail_at(S, of->off, "tensor '%s': dtype %s (%d-byte elements) of shape %s takes %s bytes, but data_offsets "
                    "[%llu, %llu] hold %llu", k->s, st_dtype[t->dtype], (int)es, shape, need,
                    (unsigned long long)t->begin, (unsigned long long)t->end, (unsigned long long)(t->end - t->begin));
            goto fail;
        }
    }
    /* the data must be covered exactly once, in order: no gaps, no overlaps */
    qsort(ti, nti, sizeof *ti, st_cmp);
    uint64_t at = 0;
    for (size_t k = 0; k < nti; k++) {
        if (ti[k].begin != at) {
            fail_at(S, ti[k].off, "tensor '%s': data_offsets start at %llu, expected %llu (gap or overlap)", ti[k].name,
                    (unsigned long long)ti[k].begin, (unsigned long long)at);
            goto fail;
        }
        at = ti[k].end;
    }
    if (at != dlen) {
        fail_at(S, 8 + hs + at, "%llu data bytes not covered by any tensor", (unsigned long long)(dlen - at));
        goto fail;
    }
    c->t = tfm_calloc(nti + 1, sizeof *c->t);
    for (size_t k = 0; k < nti; k++) {
        tfm_tensor_t *t = &c->t[c->n++];
        t->name = tfm_strdup(ti[k].name);
        t->ndim = ti[k].ndim;
        memcpy(t->shape, ti[k].shape, sizeof t->shape);
        t->numel = shape_numel(t->ndim, t->shape);
        tview_t tv = {.ndim = 1, .off = 0, .size = {t->numel}, .stride = {1}};
        if (materialize(S, t, data + ti[k].begin, ti[k].dtype, &tv)) goto fail;
    }
    goto out;
fail:
    tfm_ckpt_free(c);
    c = NULL;
out:
    free(ti);
    jfree(&J);
    return c;
}

/* Append a JSON string literal. */
static void json_str(char **b, size_t *n, size_t *cap, const char *s)
{
    TFM_GROW(*b, *cap, *n + 6 * strlen(s) + 3);
    char *o = *b + *n;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') *o++ = '\\', *o++ = (char)*p;
        else if (*p < 0x20) o += sprintf(o, "\\u%04x", *p);
        else *o++ = (char)*p;
    }
    *o++ = '"';
    *n = (size_t)(o - *b);
}

static void json_raw(char **b, size_t *n, size_t *cap, const char *s)
{
    size_t L = strlen(s);
    TFM_GROW(*b, *cap, *n + L + 1);
    memcpy(*b + *n, s, L);
    *n += L;
}

/* float32 -> IEEE half, round to nearest even; overflow -> inf, NaN stays NaN. */
uint16_t tfm_float_to_half(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t e = (x >> 23) & 0xff, m = x & 0x7fffff;
    if (e == 0xff) return (uint16_t)(sign | 0x7c00 | (m ? 0x200 | (m >> 13) : 0));
    int E = (int)e - 127 + 15;
    if (E >= 31) return (uint16_t)(sign | 0x7c00);
    if (E <= 0) { /* subnormal half (or zero): value = h * 2^-24 */
        if (E < -10) return sign;
        m |= 0x800000;
        int shift = 14 - E;
        uint32_t h = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (h & 1))) h++;
        return (uint16_t)(sign | h);
    }
    uint32_t h = ((uint32_t)E << 10) | (m >> 13), rem = m & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h++; /* a carry into the exponent is right, up to inf */
    return (uint16_t)(sign | h);
}

int tfm_safetensors_write(const char *path, const tfm_tensor_t *t, int n, const char *const *meta_key,
                          const char *const *meta_val, int n_meta)
{
    return tfm_safetensors_write_dtype(path, t, n, meta_key, meta_val, n_meta, 0);
}

int tfm_safetensors_write_dtype(const char *path, const tfm_tensor_t *t, int n, const char *const *meta_key,
                                const char *const *meta_val, int n_meta, int f16)
{
    const int esize = f16 ? 2 : 4;
    char *h = NULL, num[96];
    size_t hn = 0, hcap = 0;
    uint64_t off = 0;
    for (int k = 0; k < n; k++) {
        if (!t[k].name || !*t[k].name || !strcmp(t[k].name, "__metadata__"))
            return tfm_fail("%s: tensor %d has no usable name", path, k);
        if (t[k].ndim < 0 || t[k].ndim > TFM_MAX_DIMS || shape_numel(t[k].ndim, t[k].shape) != t[k].numel)
            return tfm_fail("%s: tensor '%s': shape does not match its %lld elements", path, t[k].name,
                            (long long)t[k].numel);
        for (int j = 0; j < k; j++)
            if (!strcmp(t[j].name, t[k].name)) return tfm_fail("%s: tensor '%s' given twice", path, t[k].name);
        /* what the reader would refuse is not written */
        for (int64_t i = 0; i < t[k].numel; i++)
            if (!isfinite(t[k].data[i]) || (f16 && (tfm_float_to_half(t[k].data[i]) & 0x7c00) == 0x7c00))
                return tfm_fail("%s: tensor '%s': element %lld is %g%s", path, t[k].name, (long long)i, t[k].data[i],
                                isfinite(t[k].data[i]) ? ", beyond F16's range (+-65504)" : " (not a finite number)");
    }
    json_raw(&h, &hn, &hcap, "{");
    if (n_meta > 0) {
        json_raw(&h, &hn, &hcap, "\"__metadata__\":{");
        for (int k = 0; k < n_meta; k++) {
            if (k) json_raw(&h, &hn, &hcap, ",");
            json_str(&h, &hn, &hcap, meta_key[k]);
            json_raw(&h, &hn, &hcap, ":");
            json_str(&h, &hn, &hcap, meta_val[k]);
        }
        json_raw(&h, &hn, &hcap, "}");
    }
    for (int k = 0; k < n; k++) {
        if (k || n_meta > 0) json_raw(&h, &hn, &hcap, ",");
        json_str(&h, &hn, &hcap, t[k].name);
        json_raw(&h, &hn, &hcap, f16 ? ":{\"dtype\":\"F16\",\"shape\":[" : ":{\"dtype\":\"F32\",\"shape\":[");
        for (int d = 0; d < t[k].ndim; d++) {
            snprintf(num, sizeof num, "%s%lld", d ? "," : "", (long long)t[k].shape[d]);
            json_raw(&h, &hn, &hcap, num);
        }
        uint64_t bytes = (uint64_t)t[k].numel * (uint64_t)esize;
        snprintf(num, sizeof num, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)off,
                 (unsigned long long)(off + bytes));
        json_raw(&h, &hn, &hcap, num);
        off += bytes;
    }
    json_raw(&h, &hn, &hcap, "}");
    while (hn % 8) json_raw(&h, &hn, &hcap, " ");   /* align the data, as other writers do */

    /* write beside the target and rename, so a failed write never leaves a complete-looking file */
    size_t pl = strlen(path) + 32;
    char *tmp = tfm_malloc(pl);
    snprintf(tmp, pl, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        tfm_fail("cannot create '%s': %s", tmp, strerror(errno));
        free(h);
        free(tmp);
        return -1;
    }
    uint8_t len8[8], buf[4096];
    for (int k = 0; k < 8; k++) len8[k] = (uint8_t)((uint64_t)hn >> (8 * k));
    int ok = fwrite(len8, 1, 8, f) == 8 && fwrite(h, 1, hn, f) == hn;
    for (int k = 0; k < n && ok; k++) {
        for (int64_t i = 0; i < t[k].numel && ok;) {
            size_t m = 0;
            for (; m < sizeof buf && i < t[k].numel; i++, m += (size_t)esize) {
                uint32_t u;
                if (f16) {
                    u = tfm_float_to_half(t[k].data[i]);
                    buf[m] = (uint8_t)u, buf[m + 1] = (uint8_t)(u >> 8);
                    continue;
                }
                memcpy(&u, &t[k].data[i], 4);
                buf[m] = (uint8_t)u, buf[m + 1] = (uint8_t)(u >> 8), buf[m + 2] = (uint8_t)(u >> 16), buf[m + 3] = (uint8_t)(u >> 24);
            }
            ok = fwrite(buf, 1, m, f) == m;
        }
    }
    int err = errno;
    if (fclose(f) != 0 && ok) ok = 0, err = errno;
    if (ok && rename(tmp, path) != 0) ok = 0, err = errno;
    if (!ok) {
        tfm_fail("cannot write '%s': %s", path, strerror(err));
        remove(tmp);
    }
    free(h);
    free(tmp);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------------ public API */

tfm_ckpt_t *tfm_ckpt_load_mem(const void *buf, size_t len, const char *name)
{
    src_t S = {name ? name : "(memory)", buf, len};
    const uint8_t *b = buf;
    /* safetensors first: its header size may well start with byte 0x80 */
    if (len >= 9 && b[8] == '{') return load_safetensors(&S);
    if (len >= 4 && !memcmp(b, "PK\3\4", 4)) return load_zip(&S);
    if (len >= 2 && b[0] == 0x80) return load_legacy(&S);
    fail_at(&S, 0, "unknown format (not a PyTorch zip or legacy file, nor safetensors)");
    return NULL;
}

tfm_ckpt_t *tfm_ckpt_load(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        tfm_fail("cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        tfm_fail("%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    if (!len) {
        close(fd);
        tfm_fail("%s: offset 0: empty file", path);
        return NULL;
    }
    /* mapped, not read: a 1 GB RNA-FM file needs no second copy besides its floats */
    void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        tfm_fail("cannot map '%s': %s", path, strerror(errno));
        return NULL;
    }
    tfm_ckpt_t *c = tfm_ckpt_load_mem(m, len, path);
    munmap(m, len);
    return c;
}

const tfm_tensor_t *tfm_ckpt_get(const tfm_ckpt_t *c, const char *name)
{
    for (int k = 0; c && k < c->n; k++)
        if (!strcmp(c->t[k].name, name)) return &c->t[k];
    return NULL;
}

const char *tfm_ckpt_meta(const tfm_ckpt_t *c, const char *key)
{
    for (int k = 0; c && k < c->n_meta; k++)
        if (!strcmp(c->meta_key[k], key)) return c->meta_val[k];
    return NULL;
}

const char *tfm_ckpt_arg(const tfm_ckpt_t *c, const char *key)
{
    for (int k = 0; c && k < c->n_args; k++)
        if (!strcmp(c->arg_key[k], key)) return c->arg_val[k];
    return NULL;
}

void tfm_ckpt_free(tfm_ckpt_t *c)
{
    if (!c) return;
    for (int k = 0; k < c->n; k++) {
        free(c->t[k].name);
        free(c->t[k].data);
    }
    free(c->t);
    for (int k = 0; k < c->n_meta; k++) free(c->meta_key[k]), free(c->meta_val[k]);
    free(c->meta_key);
    free(c->meta_val);
    for (int k = 0; k < c->n_args; k++) free(c->arg_key[k]), free(c->arg_val[k]);
    free(c->arg_key);
    free(c->arg_val);
    free(c->format);
    free(c);
}
