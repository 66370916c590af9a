#include "seed.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const mode_names[TFM_MODE_COUNT] = {"canonical", "offset-9-mer-m7", "10-mer-m7", "10-mer-m6",
                                                       "esa"};
static const char *const site_names[] = {"none", "8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer", "noncanonical"};

/* Fuzzy modes (heads.md 4.1): seed = miRNA nt first..last, k = errors allowed, offset = SEED_OFFSET. */
static const struct {
    int first, last, k, offset;
} fuzzy_param[TFM_MODE_COUNT] = {
    [TFM_MODE_O9M7] = {2, 10, 2, 1},
    [TFM_MODE_10M7] = {1, 10, 3, 0},
    [TFM_MODE_10M6] = {1, 10, 4, 0},
};

const char *tfm_mode_name(enum tfm_mode m) { return (unsigned)m < TFM_MODE_COUNT ? mode_names[m] : "?"; }

int tfm_mode_parse(const char *s)
{
    for (int i = 0; i < TFM_MODE_COUNT; i++)
        if (strcmp(s, mode_names[i]) == 0) return i;
    return -1;
}

const char *tfm_site_type_name(enum tfm_site_type t)
{
    return (unsigned)t <= TFM_SITE_NONCANONICAL ? site_names[t] : "?";
}

void tfm_seed_opt_init(tfm_seed_opt_t *o)
{
    memset(o, 0, sizeof *o);
    o->mode = TFM_DEFAULT_MODE;
    o->min_esa = 6;
}

static int is_fuzzy(enum tfm_mode m) { return m == TFM_MODE_O9M7 || m == TFM_MODE_10M7 || m == TFM_MODE_10M6; }

static char complement(char c)
{
    switch (c) {
    case 'A': return 'U';
    case 'U': return 'A';
    case 'C': return 'G';
    case 'G': return 'C';
    default: return 'N';
    }
}

/* 2-bit code of a base, -1 for N (which never pairs, so no site contains it). */
static int base_code(char c)
{
    switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'U': return 3;
    default: return -1;
    }
}

static uint32_t code_of(const char *s, int n)
{
    uint32_t c = 0;
    for (int i = 0; i < n; i++) c = c << 2 | (uint32_t)base_code(s[i]);
    return c;
}

int tfm_seed_mirna_init(tfm_seed_mirna_t *m, const char *seq, int len, const tfm_seed_opt_t *opt)
{
    memset(m, 0, sizeof *m);
    if (len < TFM_MIRNA_MIN || len > TFM_MIRNA_MAX)
        return tfm_fail("miRNA length %d is outside %d..%d nt", len, TFM_MIRNA_MIN, TFM_MIRNA_MAX);
    m->seq = seq;
    m->len = len;
    for (int i = 0; i < 7; i++) m->rc28[i] = complement(seq[7 - i]); /* nt 8 .. nt 2 */
    m->code38 = code_of(m->rc28, 6);
    m->code27 = code_of(m->rc28 + 1, 6);
    if (is_fuzzy(opt->mode)) {
        int first = fuzzy_param[opt->mode].first, last = fuzzy_param[opt->mode].last;
        int n = last - first + 1;
        char pat[16];
        for (int i = 0; i < n; i++) {
            char c = complement(seq[first - 1 + i]);
            if (opt->compat_targetfm) pat[i] = c;   /* original: complement only (heads.md 5.1) */
            else pat[n - 1 - i] = c;                 /* antiparallel: reverse complement */
        }
        pat[n] = 0;
        m->seed_offset = fuzzy_param[opt->mode].offset;
        if (!(m->fuzzy = tfm_fuzzy_new(pat, fuzzy_param[opt->mode].k))) return -1;
    }
    return 0;
}

void tfm_seed_mirna_free(tfm_seed_mirna_t *m)
{
    tfm_fuzzy_free(m->fuzzy);
    m->fuzzy = NULL;
}

void tfm_seed_target_set(tfm_seed_target_t *t, const char *seq, size_t len, const tfm_seed_opt_t *opt)
{
    t->seq = seq;
    t->len = len;
    if (opt->mode == TFM_MODE_ESA) {
        TFM_GROW(t->rev, t->rev_cap, len + 1);
        for (size_t i = 0; i < len; i++) t->rev[i] = seq[len - 1 - i];
        t->rev[len] = 0;
    }
}

void tfm_seed_target_free(tfm_seed_target_t *t)
{
    free(t->rev);
    memset(t, 0, sizeof *t);
}

void tfm_seed_scratch_free(tfm_seed_scratch_t *s)
{
    free(s->match);
    memset(s, 0, sizeof *s);
}

/* t[pos..pos+n) == s, with positions outside the transcript never matching. */
static int match_at(const char *t, size_t len, long pos, const char *s, int n)
{
    return pos >= 0 && pos + n <= (long)len && memcmp(t + pos, s, n) == 0;
}

enum tfm_site_type tfm_seed_classify(const tfm_seed_mirna_t *m, const char *t, size_t len, long q)
{
    int a1 = q >= 0 && q < (long)len && t[q] == 'A';
    if (match_at(t, len, q - 6, m->rc28 + 1, 6)) { /* nt 2-7 pair */
        if (match_at(t, len, q - 7, m->rc28, 1)) return a1 ? TFM_SITE_8MER : TFM_SITE_7MER_M8;
        return a1 ? TFM_SITE_7MER_A1 : TFM_SITE_6MER;
    }
    if (match_at(t, len, q - 7, m->rc28, 6)) return TFM_SITE_OFFSET_6MER; /* nt 3-8 pair */
    return TFM_SITE_NONCANONICAL;
}

/* Span of a canonical site with the base facing nt 1 at q (TargetScan's definitions). */
static void canonical_span(enum tfm_site_type type, long q, int32_t *start, int32_t *end)
{
    long a, b;
    switch (type) {
    case TFM_SITE_8MER: a = q - 7, b = q; break;
    case TFM_SITE_7MER_M8: a = q - 7, b = q - 1; break;
    case TFM_SITE_7MER_A1: a = q - 6, b = q; break;
    case TFM_SITE_6MER: a = q - 6, b = q - 1; break;
    default: a = q - 7, b = q - 2; break; /* offset-6mer */
    }
    *start = (int32_t)a + 1;
    *end = (int32_t)b + 1;
}

/* Calls emit(ctx, q, type) for every canonical site: 6-mer codes of the transcript are rolled
 * once and compared with the nt 2-7 and nt 3-8 site codes; a window holding N has no code. */
typedef void (*site_fn)(void *ctx, long q, enum tfm_site_type type);

static void canonical_scan(const tfm_seed_mirna_t *m, const char *t, size_t len, site_fn emit, void *ctx)
{
    uint32_t code = 0;
    int valid = 0; /* bases since the last N */
    for (size_t p = 0; p < len; p++) {
        int c = base_code(t[p]);
        if (c < 0) { valid = 0; continue; }
        code = (code << 2 | (uint32_t)c) & 0xfff;
        if (++valid < 6) continue;
        long start6 = (long)p - 5; /* the 6-mer t[start6..p] */
        if (code == m->code27) emit(ctx, start6 + 6, tfm_seed_classify(m, t, len, start6 + 6));
        if (code == m->code38) {
            enum tfm_site_type ty = tfm_seed_classify(m, t, len, start6 + 7);
            if (ty == TFM_SITE_OFFSET_6MER) emit(ctx, start6 + 7, ty); /* else found as 6mer or better */
        }
    }
}

typedef struct {
    tfm_site_t **out;
    size_t *cap, n;
} site_sink_t;

static void push_site(site_sink_t *s, int32_t start, int32_t end, int type, int errors)
{
    TFM_GROW(*s->out, *s->cap, s->n + 1);
    tfm_site_t *x = &(*s->out)[s->n++];
    x->start = start;
    x->end = end;
    x->type = (int8_t)type;
    x->errors = (int8_t)errors;
    x->esa_score = 0;
    x->mirna_aln[0] = x->site_aln[0] = 0;
}

static void emit_canonical(void *ctx, long q, enum tfm_site_type type)
{
    int32_t start, end;
    canonical_span(type, q, &start, &end);
    push_site(ctx, start, end, type, 0);
}

static int cmp_site(const void *a, const void *b)
{
    const tfm_site_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Fuzzy modes (heads.md 4.1 steps 3-7): stop = match end + offset; window = the 30 nt before stop
 * (clipped at the 5' end; 29 nt when stop = len + 1); the base at stop - 1 faces miRNA nt 1. */
static void fuzzy_sites(const tfm_seed_mirna_t *m, const tfm_seed_target_t *t, tfm_seed_scratch_t *s,
                        site_sink_t *sink)
{
    size_t nm = tfm_fuzzy_scan(m->fuzzy, t->seq, t->len, &s->match, &s->match_cap);
    long last_stop = -1;
    for (size_t i = 0; i < nm; i++) {
        const tfm_fuzzy_match_t *x = &s->match[i];
        long stop = x->end + m->seed_offset;
        if (stop == last_stop) continue; /* the original collects stops in a set */
        last_stop = stop;
        long a = stop - TFM_CTS_SIZE > 0 ? stop - TFM_CTS_SIZE : 0;
        long b = stop < (long)t->len ? stop : (long)t->len;
        push_site(sink, (int32_t)a + 1, (int32_t)b, tfm_seed_classify(m, t->seq, t->len, stop - 1),
                  x->sub + x->ins + x->del);
    }
}

/* esa (data/README.md "TargetNet"): windows w = rev[o..o+40) of the reversed transcript; miRNA
 * nt 1-10 aligned to w[5..15); w[5] faces miRNA nt 1. Emitted 5'->3' on the transcript, i.e.
 * from the largest offset down. */
static void esa_sites(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                      tfm_seed_scratch_t *s, site_sink_t *sink)
{
    size_t L = t->len;
    if (L < TFM_ESA_WINDOW) return;
    s->windows += L - TFM_ESA_WINDOW + 1;
    for (long o = (long)(L - TFM_ESA_WINDOW); o >= 0; o--) {
        const char *w = t->rev + o;
        if (tfm_esa_score(m->seq, TFM_ESA_LEN, w + 5, TFM_ESA_LEN) < opt->min_esa) continue;
        long start = (long)L - o - TFM_ESA_WINDOW + 1; /* 1-based */
        push_site(sink, (int32_t)start, (int32_t)(start + TFM_ESA_WINDOW - 1),
                  tfm_seed_classify(m, t->seq, L, (long)L - 1 - o - 5), 0);
        tfm_site_t *x = &(*sink->out)[sink->n - 1];
        tfm_esa_t aln;
        x->esa_score = (int8_t)tfm_esa_align(m->seq, TFM_ESA_LEN, w + 5, TFM_ESA_LEN, &aln);
        x->errors = (int8_t)(TFM_ESA_LEN - x->esa_score);
        memcpy(x->mirna_aln, aln.mirna, sizeof x->mirna_aln);
        memcpy(x->site_aln, aln.site, sizeof x->site_aln);
    }
}

size_t tfm_seed_find(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                     tfm_seed_scratch_t *s, tfm_site_t **out, size_t *cap)
{
    site_sink_t sink = {out, cap, 0};
    switch (opt->mode) {
    case TFM_MODE_CANONICAL:
        canonical_scan(m, t->seq, t->len, emit_canonical, &sink);
        /* q only grows, but a site's start depends on its type: restore (start, end) order */
        if (sink.n > 1) qsort(*out, sink.n, sizeof **out, cmp_site);
        break;
    case TFM_MODE_ESA: esa_sites(opt, m, t, s, &sink); break;
    default: fuzzy_sites(m, t, s, &sink); break;
    }
    return sink.n;
}

/* ---- many miRNAs at once (canonical) ---- */

struct tfm_seed_index {
    const tfm_seed_mirna_t *m;
    int n;
    /* entries of code c: ent[first[c] .. first[c+1]), each a miRNA index times 2, plus 1 for an
     * offset-6mer (nt 3-8) entry */
    int32_t first[4097];
    int32_t *ent;
};

tfm_seed_index_t *tfm_seed_index_new(const tfm_seed_mirna_t *m, int n)
{
    tfm_seed_index_t *ix = tfm_calloc(1, sizeof *ix);
    ix->m = m;
    ix->n = n;
    ix->ent = tfm_malloc(2 * (size_t)n * sizeof *ix->ent);
    int32_t count[4097] = {0};
    for (int i = 0; i < n; i++) count[m[i].code27 + 1]++, count[m[i].code38 + 1]++;
    for (int c = 0; c < 4096; c++) count[c + 1] += count[c];
    memcpy(ix->first, count, sizeof count);
    for (int i = 0; i < n; i++) { /* miRNA order within a code: stable */
        ix->ent[count[m[i].code27]++] = 2 * i;
        ix->ent[count[m[i].code38]++] = 2 * i + 1;
    }
    return ix;
}

static int hit_before(const tfm_seed_hit_t *x, const tfm_seed_hit_t *y)
{
    return x->start < y->start || (x->start == y->start && x->end < y->end);
}

/* Order hits by (mirna, start, end): a stable counting sort by miRNA keeps each miRNA's hits in
 * scan order, which is nearly (start, end) order already (only the type-dependent start can
 * swap neighbours), so an insertion sort finishes each run in linear time. */
static void sort_hits(const tfm_seed_index_t *ix, tfm_seed_hit_t *h, size_t n)
{
    if (n < 2) return;
    size_t *pos = tfm_calloc(ix->n + 1, sizeof *pos);
    tfm_seed_hit_t *tmp = tfm_malloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++) pos[h[i].mirna + 1]++;
    for (int m = 0; m < ix->n; m++) pos[m + 1] += pos[m];
    for (size_t i = 0; i < n; i++) tmp[pos[h[i].mirna]++] = h[i];
    for (size_t i = 1; i < n; i++) {
        tfm_seed_hit_t x = tmp[i];
        size_t j = i;
        for (; j > 0 && tmp[j - 1].mirna == x.mirna && hit_before(&x, &tmp[j - 1]); j--) tmp[j] = tmp[j - 1];
        tmp[j] = x;
    }
    memcpy(h, tmp, n * sizeof *h);
    free(tmp);
    free(pos);
}

size_t tfm_seed_index_scan(const tfm_seed_index_t *ix, const char *t, size_t len, tfm_seed_hit_t **out, size_t *cap)
{
    size_t n = 0;
    uint32_t code = 0;
    int valid = 0;
    for (size_t p = 0; p < len; p++) {
        int c = base_code(t[p]);
        if (c < 0) { valid = 0; continue; }
        code = (code << 2 | (uint32_t)c) & 0xfff;
        if (++valid < 6) continue;
        for (int32_t e = ix->first[code]; e < ix->first[code + 1]; e++) {
            int32_t mi = ix->ent[e] >> 1;
            long q = (long)p - 5 + 6 + (ix->ent[e] & 1);
            enum tfm_site_type ty = tfm_seed_classify(&ix->m[mi], t, len, q);
            if ((ix->ent[e] & 1) && ty != TFM_SITE_OFFSET_6MER) continue;
            TFM_GROW(*out, *cap, n + 1);
            tfm_seed_hit_t *h = &(*out)[n++];
            h->mirna = mi;
            h->type = (int8_t)ty;
            canonical_span(ty, q, &h->start, &h->end);
        }
    }
    sort_hits(ix, *out, n);
    return n;
}

void tfm_seed_index_free(tfm_seed_index_t *ix)
{
    if (!ix) return;
    free(ix->ent);
    free(ix);
}
