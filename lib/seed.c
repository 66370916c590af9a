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
    (void)opt;
    t->seq = seq;
    t->len = len;
}

void tfm_seed_target_free(tfm_seed_target_t *t) { memset(t, 0, sizeof *t); }

void tfm_seed_scratch_free(tfm_seed_scratch_t *s)
{
    free(s->match);
    free(s->rev);
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

/* Calls emit(ctx, q, type) for every canonical site whose 6-mer starts in [p0, p1] (which holds
 * every site starting in [p0, p1): a site starts at its 6-mer or one base before): 6-mer codes of
 * the transcript are rolled once and compared with the nt 2-7 and nt 3-8 site codes; a window
 * holding N has no code. */
typedef void (*site_fn)(void *ctx, long q, enum tfm_site_type type);

static void canonical_scan(const tfm_seed_mirna_t *m, const char *t, size_t len, size_t p0, size_t p1, site_fn emit,
                           void *ctx)
{
    uint32_t code = 0;
    int valid = 0; /* bases since the last N */
    size_t end = p1 < len ? p1 + 6 : len; /* the last 6-mer starts at p1 */
    if (end > len) end = len;
    for (size_t p = p0; p < end; p++) {
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
    size_t p0, p1; /* canonical: keep sites starting (0-based) in [p0, p1) */
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
    site_sink_t *sink = ctx;
    int32_t start, end;
    canonical_span(type, q, &start, &end);
    if ((size_t)start - 1 < sink->p0 || (size_t)start - 1 >= sink->p1) return;
    push_site(sink, start, end, type, 0);
}

/* Sites of one span in scan order (a 7mer-A1 and a 7mer-m8, or a 6mer and an offset-6mer, can
 * share one on a repeat): by q, the base facing miRNA nt 1, which is end + this. */
static int q_after_end(int type)
{
    return type == TFM_SITE_7MER_M8 || type == TFM_SITE_6MER ? 1 : type == TFM_SITE_OFFSET_6MER ? 2 : 0;
}

/* (start, end, q): a total order, so that the order does not depend on the sort */
static int cmp_site(const void *a, const void *b)
{
    const tfm_site_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return (q_after_end(x->type) > q_after_end(y->type)) - (q_after_end(x->type) < q_after_end(y->type));
}

/* Fuzzy modes (heads.md 4.1 steps 3-7): stop = match end + offset; window = the 30 nt before stop
 * (clipped at the 5' end; 29 nt when stop = len + 1); the base at stop - 1 faces miRNA nt 1.
 * The original collects the stops in a set; they cannot repeat: matches do not overlap, so a
 * match ends at least m - k >= 1 after the previous one. One site per match, then. */
static enum tfm_site_type fuzzy_window(const tfm_seed_mirna_t *m, const char *t, size_t len,
                                       const tfm_fuzzy_match_t *x, int32_t *start, int32_t *end)
{
    long stop = x->end + m->seed_offset;
    long a = stop - TFM_CTS_SIZE > 0 ? stop - TFM_CTS_SIZE : 0;
    long b = stop < (long)len ? stop : (long)len;
    *start = (int32_t)a + 1, *end = (int32_t)b;
    return tfm_seed_classify(m, t, len, stop - 1);
}

static void fuzzy_site(const tfm_seed_mirna_t *m, const tfm_seed_target_t *t, const tfm_fuzzy_match_t *x,
                       site_sink_t *sink)
{
    int32_t start, end;
    enum tfm_site_type type = fuzzy_window(m, t->seq, t->len, x, &start, &end);
    push_site(sink, start, end, type, x->sub + x->ins + x->del);
}

/* Matches starting in [p0, p1), searched as if no match came across p0 (anchor p0 - 1: every
 * start from p0 on is tried, insertions at p0 allowed); s->anchor: where the last one ended. */
static void fuzzy_sites(const tfm_seed_mirna_t *m, const tfm_seed_target_t *t, tfm_seed_scratch_t *s, size_t p0,
                        size_t p1, site_sink_t *sink)
{
    s->anchor = p0 > 0 ? (int32_t)p0 - 1 : 0;
    size_t nm = tfm_fuzzy_scan_range(m->fuzzy, t->seq, t->len, p0, p1, &s->anchor, &s->match, &s->match_cap);
    for (size_t i = 0; i < nm; i++) fuzzy_site(m, t, &s->match[i], sink);
}

/* esa (data/README.md "TargetNet"): windows w = the 40 nt of the transcript from start a, read
 * 3'->5'; miRNA nt 1-10 aligned to w[5..15); w[5] faces miRNA nt 1. Windows starting in [p0, p1),
 * 5'->3' on the transcript; only the stretch they cover is reversed (into s->rev). */
static void esa_sites(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                      tfm_seed_scratch_t *s, size_t p0, size_t p1, site_sink_t *sink)
{
    size_t L = t->len, W = TFM_ESA_WINDOW;
    if (L < W) return;
    if (p1 > L - W + 1) p1 = L - W + 1;
    if (p0 >= p1) return;
    size_t hi = p1 - 1 + W; /* t[p0, hi) holds every window of the range */
    TFM_GROW(s->rev, s->rev_cap, hi - p0 + 1);
    for (size_t i = 0; i < hi - p0; i++) s->rev[i] = t->seq[hi - 1 - i];
    s->rev[hi - p0] = 0;
    s->windows += p1 - p0;
    for (size_t a = p0; a < p1; a++) {
        const char *w = s->rev + (hi - a - W);
        if (tfm_esa_score(m->seq, TFM_ESA_LEN, w + 5, TFM_ESA_LEN) < opt->min_esa) continue;
        push_site(sink, (int32_t)a + 1, (int32_t)(a + W), tfm_seed_classify(m, t->seq, L, (long)(a + W - 1 - 5)), 0);
        tfm_site_t *x = &(*sink->out)[sink->n - 1];
        tfm_esa_t aln;
        x->esa_score = (int8_t)tfm_esa_align(m->seq, TFM_ESA_LEN, w + 5, TFM_ESA_LEN, &aln);
        x->errors = (int8_t)(TFM_ESA_LEN - x->esa_score);
        memcpy(x->mirna_aln, aln.mirna, sizeof x->mirna_aln);
        memcpy(x->site_aln, aln.site, sizeof x->site_aln);
    }
}

size_t tfm_seed_find_range(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                           tfm_seed_scratch_t *s, size_t p0, size_t p1, tfm_site_t **out, size_t *cap)
{
    site_sink_t sink = {out, cap, 0, p0, p1};
    switch (opt->mode) {
    case TFM_MODE_CANONICAL:
        canonical_scan(m, t->seq, t->len, p0, p1, emit_canonical, &sink);
        /* q only grows, but a site's start depends on its type: restore (start, end) order */
        if (sink.n > 1) qsort(*out, sink.n, sizeof **out, cmp_site);
        break;
    case TFM_MODE_ESA: esa_sites(opt, m, t, s, p0, p1, &sink); break;
    default: fuzzy_sites(m, t, s, p0, p1, &sink); break;
    }
    return sink.n;
}

size_t tfm_seed_find(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                     tfm_seed_scratch_t *s, tfm_site_t **out, size_t *cap)
{
    return tfm_seed_find_range(opt, m, t, s, 0, SIZE_MAX, out, cap);
}

#define JOIN_STEP 256 /* starts searched again at a time while joining */

static int same_match(const tfm_fuzzy_match_t *a, const tfm_fuzzy_match_t *b)
{
    return a->start == b->start && a->end == b->end && a->sub == b->sub && a->ins == b->ins && a->del == b->del;
}

size_t tfm_seed_join(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                     tfm_seed_scratch_t *s, size_t p0, size_t p1, int32_t carry, const tfm_fuzzy_match_t *own,
                     size_t n_own, int32_t own_anchor, size_t *skip, int32_t *anchor_out, tfm_site_t **out,
                     size_t *cap)
{
    *skip = 0, *anchor_out = own_anchor;
    if (!is_fuzzy(opt->mode) || p0 == 0 || carry < 0 || (size_t)carry < p0) return 0;
    site_sink_t sink = {out, cap, 0, 0, SIZE_MAX};
    int32_t anchor = carry;
    size_t i = 0;
    for (size_t from = p0; from < p1 && from <= t->len; from += JOIN_STEP) {
        size_t to = p1 - from > JOIN_STEP ? from + JOIN_STEP : p1;
        size_t nm = tfm_fuzzy_scan_range(m->fuzzy, t->seq, t->len, from, to, &anchor, &s->match, &s->match_cap);
        for (size_t k = 0; k < nm; k++) {
            const tfm_fuzzy_match_t *x = &s->match[k];
            while (i < n_own && own[i].start < x->start) i++;
            if (i < n_own && same_match(&own[i], x)) { /* the searches agree from here on */
                *skip = i;
                return sink.n;
            }
            fuzzy_site(m, t, x, &sink);
        }
    }
    *skip = n_own, *anchor_out = anchor;
    return sink.n;
}

/* ---- many miRNAs at once ---- */

struct tfm_seed_index {
    const tfm_seed_mirna_t *m;
    int n;
    /* canonical: entries of code c: ent[first[c] .. first[c+1]), each a miRNA index times 2, plus
     * 1 for an offset-6mer (nt 3-8) entry */
    int32_t first[4097];
    int32_t *ent;
    /* fuzzy modes: group g holds miRNAs g * TFM_FUZZY_LANES onwards */
    tfm_fuzzy_group_t **group;
    int ngroup;
};

tfm_seed_index_t *tfm_seed_index_new(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, int n)
{
    if (opt->mode == TFM_MODE_ESA) {
        tfm_fail("esa mode has no search of many miRNAs at once");
        return NULL;
    }
    tfm_seed_index_t *ix = tfm_calloc(1, sizeof *ix);
    ix->m = m;
    ix->n = n;
    if (is_fuzzy(opt->mode)) {
        ix->ngroup = (n + TFM_FUZZY_LANES - 1) / TFM_FUZZY_LANES;
        ix->group = tfm_calloc(ix->ngroup, sizeof *ix->group);
        for (int g = 0; g < ix->ngroup; g++) {
            const tfm_fuzzy_t *f[TFM_FUZZY_LANES];
            int k = 0;
            for (int i = g * TFM_FUZZY_LANES; i < n && k < TFM_FUZZY_LANES; i++) f[k++] = m[i].fuzzy;
            if (!(ix->group[g] = tfm_fuzzy_group_new(f, k))) {
                tfm_seed_index_free(ix);
                return NULL;
            }
        }
        return ix;
    }
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
    if (x->start != y->start) return x->start < y->start;
    return x->end != y->end ? x->end < y->end : q_after_end(x->type) < q_after_end(y->type);
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
    return tfm_seed_index_scan_block(ix, t, len, 0, ix->n, out, cap);
}

/* Fuzzy modes: the groups that hold miRNAs [m0, m1), each group's hits by miRNA already. */
static size_t fuzzy_index_scan(const tfm_seed_index_t *ix, const char *t, size_t len, int m0, int m1,
                               tfm_seed_hit_t **out, size_t *cap)
{
    size_t n = 0, mcap = 0, count[TFM_FUZZY_LANES];
    tfm_fuzzy_match_t *match = NULL;
    for (int g = m0 / TFM_FUZZY_LANES; g * TFM_FUZZY_LANES < m1; g++) {
        int base = g * TFM_FUZZY_LANES;
        unsigned lanes = 0;
        for (int i = 0; i < TFM_FUZZY_LANES; i++) lanes |= (unsigned)(base + i >= m0 && base + i < m1) << i;
        size_t nm = tfm_fuzzy_group_scan(ix->group[g], lanes, t, len, &match, &mcap, count);
        TFM_GROW(*out, *cap, n + nm);
        for (size_t i = 0; i < nm; i++) {
            const tfm_seed_mirna_t *m = &ix->m[base + match[i].lane];
            tfm_seed_hit_t *h = &(*out)[n++];
            h->mirna = base + match[i].lane;
            h->type = (int8_t)fuzzy_window(m, t, len, &match[i], &h->start, &h->end);
            h->errors = (int8_t)(match[i].sub + match[i].ins + match[i].del);
        }
    }
    free(match);
    return n;
}

size_t tfm_seed_index_scan_block(const tfm_seed_index_t *ix, const char *t, size_t len, int m0, int m1,
                                 tfm_seed_hit_t **out, size_t *cap)
{
    if (ix->group) return fuzzy_index_scan(ix, t, len, m0, m1, out, cap);
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
            if (mi < m0 || mi >= m1) continue;
            long q = (long)p - 5 + 6 + (ix->ent[e] & 1);
            enum tfm_site_type ty = tfm_seed_classify(&ix->m[mi], t, len, q);
            if ((ix->ent[e] & 1) && ty != TFM_SITE_OFFSET_6MER) continue;
            TFM_GROW(*out, *cap, n + 1);
            tfm_seed_hit_t *h = &(*out)[n++];
            h->mirna = mi;
            h->type = (int8_t)ty;
            h->errors = 0;
            canonical_span(ty, q, &h->start, &h->end);
        }
    }
    sort_hits(ix, *out, n);
    return n;
}

void tfm_seed_index_free(tfm_seed_index_t *ix)
{
    if (!ix) return;
    for (int g = 0; g < ix->ngroup; g++) tfm_fuzzy_group_free(ix->group[g]);
    free(ix->group);
    free(ix->ent);
    free(ix);
}
