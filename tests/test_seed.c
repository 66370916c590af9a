/* seed: canonical sites against plain substring definitions written independently here, the
 * all-miRNA index against per-pair search, and the fuzzy-mode windows against
 * specs/vectors/seed_candidates.tsv (stops and reversed 30-nt CTS windows). */
#include "check.h"
#include "seed.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

/* ---- independent canonical reference: TargetScan definitions as substring tests ---- */

static void revcomp(const char *s, int n, char *out)
{
    for (int i = 0; i < n; i++) {
        char c = s[n - 1 - i];
        out[i] = c == 'A' ? 'U' : c == 'U' ? 'A' : c == 'C' ? 'G' : 'C';
    }
    out[n] = 0;
}

/* Does t[pos..pos+strlen(s)) equal s (inside the transcript)? */
static int at(const char *t, long n, long pos, const char *s)
{
    long k = (long)strlen(s);
    return pos >= 0 && pos + k <= n && strncmp(t + pos, s, k) == 0;
}

typedef struct {
    long start, end;
    const char *type;
} ref_site_t;

/* Every canonical site, one per position facing miRNA nt 1 (x), hierarchy 8mer > 7mer-m8 >
 * 7mer-A1 > 6mer > offset-6mer. Returns the count; sites in (start, end) order. */
static int reference_sites(const char *mir, const char *t, ref_site_t *out, int max)
{
    long n = (long)strlen(t);
    char s28[8], s27[7], s38[7];
    revcomp(mir + 1, 7, s28); /* nt 2-8 */
    revcomp(mir + 1, 6, s27); /* nt 2-7 */
    revcomp(mir + 2, 6, s38); /* nt 3-8 */
    int k = 0;
    for (long x = 0; x <= n + 1; x++) {
        int a1 = x < n && t[x] == 'A';
        ref_site_t s = {0, 0, NULL};
        if (at(t, n, x - 7, s28) && a1) s = (ref_site_t){x - 7, x, "8mer"};
        else if (at(t, n, x - 7, s28)) s = (ref_site_t){x - 7, x - 1, "7mer-m8"};
        else if (at(t, n, x - 6, s27) && a1) s = (ref_site_t){x - 6, x, "7mer-A1"};
        else if (at(t, n, x - 6, s27)) s = (ref_site_t){x - 6, x - 1, "6mer"};
        else if (at(t, n, x - 7, s38)) s = (ref_site_t){x - 7, x - 2, "offset-6mer"};
        if (s.type && k < max) out[k++] = (ref_site_t){s.start + 1, s.end + 1, s.type};
    }
    /* sort by (start, end): insertion sort, the list is nearly ordered */
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && (out[j].start < out[j - 1].start ||
                                  (out[j].start == out[j - 1].start && out[j].end < out[j - 1].end)); j--) {
            ref_site_t tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return k;
}

static void test_canonical_sets(void)
{
    const char *data = check_data_dir("canonical site types on miRAW sets 0-4");
    if (!data) return;
    tfm_seed_opt_t opt;
    tfm_seed_opt_init(&opt);
    opt.mode = TFM_MODE_CANONICAL;
    tfm_seed_scratch_t scratch = {0};
    tfm_site_t *sites = NULL;
    size_t cap = 0, hcap = 0;
    tfm_seed_hit_t *hits = NULL;
    static ref_site_t ref[20000];
    long pairs = 0, nsites = 0, mismatched = 0, index_mismatched = 0;
    for (int set = 0; set < 5; set++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/miraw/test/miRAW_Test%d.txt.gz", data, set);
        tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
        CHECK(t != NULL, "%s", tfm_last_error());
        if (!t) return;
        int cm = tfm_tsv_col(t, "mirna_seq"), cr = tfm_tsv_col(t, "mrna_seq");
        while (tfm_tsv_read(t) == 1) {
            tfm_seq_normalise(t->f[cm], t->flen[cm], TFM_ALPHA_ACGU);
            tfm_seq_normalise(t->f[cr], t->flen[cr], TFM_ALPHA_ACGUN);
            tfm_seed_mirna_t m;
            if (tfm_seed_mirna_init(&m, t->f[cm], (int)t->flen[cm], &opt) < 0) continue;
            tfm_seed_target_t tg = {0};
            tfm_seed_target_set(&tg, t->f[cr], t->flen[cr], &opt);
            size_t n = tfm_seed_find(&opt, &m, &tg, &scratch, &sites, &cap);
            int k = reference_sites(t->f[cm], t->f[cr], ref, 20000);
            int same = (long)n == k;
            for (size_t i = 0; same && i < n; i++)
                same = sites[i].start == ref[i].start && sites[i].end == ref[i].end &&
                       strcmp(tfm_site_type_name(sites[i].type), ref[i].type) == 0;
            if (!same && mismatched++ < 3) printf("mismatch: set %d line %ld: %zu sites vs %d\n", set, t->lineno, n, k);
            /* the all-miRNA index (used all-vs-all) finds the same sites */
            tfm_seed_index_t *ix = tfm_seed_index_new(&opt, &m, 1);
            size_t nh = tfm_seed_index_scan(ix, t->f[cr], t->flen[cr], &hits, &hcap);
            int isame = nh == n;
            for (size_t i = 0; isame && i < n; i++)
                isame = hits[i].start == sites[i].start && hits[i].end == sites[i].end && hits[i].type == sites[i].type;
            index_mismatched += !isame;
            tfm_seed_index_free(ix);
            tfm_seed_target_free(&tg);
            tfm_seed_mirna_free(&m);
            pairs++;
            nsites += (long)n;
        }
        tfm_tsv_close(t);
    }
    printf("canonical: %ld pairs, %ld sites compared with the substring definitions\n", pairs, nsites);
    CHECK_INT(pairs, 5480);
    CHECK(nsites > 5000, "only %ld sites", nsites);
    CHECK_INT(mismatched, 0);
    CHECK_INT(index_mismatched, 0);
    free(sites);
    free(hits);
    tfm_seed_scratch_free(&scratch);
}

/* The index over many miRNAs gives each miRNA the sites a search of it alone gives, in every mode
 * that has one (fuzzy modes: groups of TFM_FUZZY_LANES, blocks that cut groups), errors too. */
static void test_index_many(void)
{
    enum { NM = 37, LEN = 40000 };
    static const char *mirs[] = {"UGAGGUAGUAGGUUGUAUAGUU", "CAUUGCACUUGUCUCGGUCUGA", "UAGCUUAUCAGACUGAUGUUGA",
                                 "UGAGGUAGUAGGUUGUAUAGUU" /* a repeat */, "AAAAAAAAAAAAAAAAAAAAAA"};
    static char seqs[NM][23], t[LEN + 1];
    uint64_t x = 12345;
    for (int i = 0; i < NM; i++) {
        for (int j = 0; j < 22; j++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            seqs[i][j] = i < 5 ? mirs[i][j] : "ACGU"[(x >> 33) % 4];
        }
        seqs[i][22] = 0;
    }
    for (int i = 0; i < LEN; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        t[i] = "ACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUN"[(x >> 33) % 49];
    }
    t[LEN] = 0;
    static const struct { enum tfm_mode mode; int compat; } modes[] = {
        {TFM_MODE_CANONICAL, 0}, {TFM_MODE_O9M7, 0}, {TFM_MODE_10M7, 0}, {TFM_MODE_10M6, 0}, {TFM_MODE_10M7, 1}};
    static const int blocks[][2] = {{0, NM}, {3, 21}, {16, 32}, {36, 37}};
    tfm_seed_hit_t *h = NULL;
    tfm_site_t *s = NULL;
    tfm_seed_scratch_t scratch = {0};
    size_t hcap = 0, cap = 0;
    for (size_t mo = 0; mo < sizeof modes / sizeof *modes; mo++) {
        tfm_seed_opt_t opt;
        tfm_seed_opt_init(&opt);
        opt.mode = modes[mo].mode, opt.compat_targetfm = modes[mo].compat;
        tfm_seed_mirna_t m[NM];
        for (int i = 0; i < NM; i++) tfm_seed_mirna_init(&m[i], seqs[i], 22, &opt);
        tfm_seed_index_t *ix = tfm_seed_index_new(&opt, m, NM);
        CHECK(ix != NULL, "%s: %s", tfm_mode_name(opt.mode), tfm_last_error());
        for (size_t b = 0; ix && b < sizeof blocks / sizeof *blocks; b++) {
            int m0 = blocks[b][0], m1 = blocks[b][1];
            size_t nh = tfm_seed_index_scan_block(ix, t, LEN, m0, m1, &h, &hcap), k = 0, total = 0;
            int ok = 1;
            for (int i = m0; i < m1; i++) {
                tfm_seed_target_t tg = {0};
                tfm_seed_target_set(&tg, t, LEN, &opt);
                size_t n = tfm_seed_find(&opt, &m[i], &tg, &scratch, &s, &cap);
                for (size_t j = 0; j < n; j++, k++)
                    ok &= k < nh && h[k].mirna == i && h[k].start == s[j].start && h[k].end == s[j].end &&
                          h[k].type == s[j].type && h[k].errors == s[j].errors;
                total += n;
            }
            CHECK(ok && k == nh, "%s%s, miRNAs %d-%d: index hits differ from per-miRNA search (%zu vs %zu)",
                  tfm_mode_name(opt.mode), modes[mo].compat ? " (compat)" : "", m0, m1, nh, total);
            CHECK(total > 5, "%s: only %zu sites", tfm_mode_name(opt.mode), total);
        }
        for (int i = 0; i < NM; i++) tfm_seed_mirna_free(&m[i]);
        tfm_seed_index_free(ix);
    }
    tfm_seed_opt_t esa;
    tfm_seed_opt_init(&esa);
    esa.mode = TFM_MODE_ESA;
    CHECK(tfm_seed_index_new(&esa, NULL, 0) == NULL, "esa index made");
    tfm_seed_scratch_free(&scratch);
    free(h);
    free(s);
}

static int same_site(const tfm_site_t *a, const tfm_site_t *b)
{
    return a->start == b->start && a->end == b->end && a->type == b->type && a->errors == b->errors &&
           a->esa_score == b->esa_score && !strcmp(a->mirna_aln, b->mirna_aln) && !strcmp(a->site_aln, b->site_aln);
}

/* A transcript cut into ranges (tfm-seed's chunks of a long record), each searched alone and
 * joined to the one before by tfm_seed_join, gives exactly the sites of one search, in every
 * mode, for ranges of 1 nt up to longer than the transcript; the fuzzy joins that mend a match
 * reaching across a cut are exercised (low-complexity stretches make many). */
static void test_ranges(void)
{
    const char *mirs[] = {"UGAGGUAGUAGGUUGUAUAGUU", "CAUUGCACUUGUCUCGGUCUGA", "AAAAAAAAAAAAAAAAAAAAAA"};
    static char t[6001];
    uint64_t x = 99;
    for (int i = 0; i < 6000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int r = (int)((x >> 33) % 100);
        t[i] = (i / 500) % 3 == 1 ? "AAAAAAAAAU"[r % 10] : "ACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUN"[r % 49];
    }
    t[6000] = 0;
    const size_t sizes[] = {1, 2, 7, 50, 333, 1024, 2500, 7000};
    int bad = 0, mended = 0, compared = 0;
    tfm_seed_scratch_t s = {0};
    tfm_site_t *whole = NULL, *part = NULL, *join = NULL;
    size_t wcap = 0, pcap = 0, jcap = 0;
    for (int mode = 0; mode < TFM_MODE_COUNT; mode++)
        for (int mi = 0; mi < 3; mi++)
            for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
                tfm_seed_opt_t opt;
                tfm_seed_opt_init(&opt);
                opt.mode = mode;
                tfm_seed_mirna_t m;
                tfm_seed_mirna_init(&m, mirs[mi], 22, &opt);
                tfm_seed_target_t tg = {0};
                tfm_seed_target_set(&tg, t, 6000, &opt);
                size_t nw = tfm_seed_find(&opt, &m, &tg, &s, &whole, &wcap), k = 0;
                int32_t carry = -1;
                for (size_t p0 = 0; p0 <= 6000; p0 += sizes[si]) {
                    size_t p1 = p0 + sizes[si] > 6000 ? SIZE_MAX : p0 + sizes[si];
                    size_t np = tfm_seed_find_range(&opt, &m, &tg, &s, p0, p1, &part, &pcap), skip;
                    tfm_fuzzy_match_t *own = malloc((np + 1) * sizeof *own);
                    if (np && (mode == TFM_MODE_O9M7 || mode == TFM_MODE_10M7 || mode == TFM_MODE_10M6))
                        memcpy(own, s.match, np * sizeof *own);
                    size_t nj = tfm_seed_join(&opt, &m, &tg, &s, p0, p1, carry, own, np, s.anchor, &skip, &carry, &join, &jcap);
                    free(own);
                    mended += nj > 0 || skip > 0;
                    for (size_t i = 0; i < nj; i++, k++) bad += k >= nw || !same_site(&join[i], &whole[k]);
                    for (size_t i = skip; i < np; i++, k++) bad += k >= nw || !same_site(&part[i], &whole[k]);
                    if (p1 == SIZE_MAX) break;
                }
                bad += k != nw;
                compared += (int)nw;
                tfm_seed_target_free(&tg);
                tfm_seed_mirna_free(&m);
            }
    CHECK_INT(bad, 0);
    CHECK(compared > 10000, "only %d sites compared", compared);
    CHECK(mended > 100, "only %d joins mended a match across a cut", mended);
    free(whole), free(part), free(join);
    tfm_seed_scratch_free(&s);
}

/* Split a line (its newline removed) at tabs; returns the number of fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

/* ---- fuzzy-mode windows: specs/vectors/seed_candidates.tsv ---- */

static void test_seed_candidates(void)
{
    const char *specs = check_specs_dir("seed_candidates.tsv");
    if (!specs) return;
    char path[8192];
    static char *pair_mir[16], *pair_mr[16];
    char *f[16];
    int np = 0;
    snprintf(path, sizeof path, "%s/vectors/seed_pairs.tsv", specs);
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t lcap = 0;
    while (fp && getline(&line, &lcap, fp) > 0 && np < 16)
        if (line[0] != '#' && split_tabs(line, f, 16) == 5) {
            pair_mir[np] = tfm_strdup(f[2]);
            pair_mr[np++] = tfm_strdup(f[4]);
        }
    if (fp) fclose(fp);
    CHECK_INT(np, 12);
    if (np != 12) return;

    snprintf(path, sizeof path, "%s/vectors/seed_candidates.tsv", specs);
    fp = fopen(path, "r");
    int rows = 0, windows = 0;
    tfm_site_t *sites = NULL;
    size_t cap = 0;
    tfm_seed_scratch_t scratch = {0};
    long lineno = 0;
    while (fp && getline(&line, &lcap, fp) > 0) {
        lineno++;
        if (line[0] == '#' || split_tabs(line, f, 16) != 12) continue;
        int pi = atoi(f[0]);
        tfm_seed_opt_t opt;
        tfm_seed_opt_init(&opt);
        opt.mode = tfm_mode_parse(f[4]);
        opt.compat_targetfm = strncmp(f[5], "complement", 10) == 0;
        tfm_seed_mirna_t m;
        CHECK(tfm_seed_mirna_init(&m, pair_mir[pi], (int)strlen(pair_mir[pi]), &opt) == 0, "%s", tfm_last_error());
        tfm_seed_target_t tg = {0};
        size_t len = strlen(pair_mr[pi]);
        tfm_seed_target_set(&tg, pair_mr[pi], len, &opt);
        size_t n = tfm_seed_find(&opt, &m, &tg, &scratch, &sites, &cap);
        CHECK_INT(n, atoi(f[8]));
        /* stops and windows, in the same order */
        char *stops = f[9], *cts = f[11];
        for (size_t i = 0; i < n; i++) {
            long stop = strtol(stops, &stops, 10);
            if (*stops == ',') stops++;
            size_t wl = strcspn(cts, ";");
            long end = stop < (long)len ? stop : (long)len;
            int ok = sites[i].end == end && (size_t)(sites[i].end - sites[i].start + 1) == wl;
            for (size_t j = 0; ok && j < wl; j++) ok = pair_mr[pi][sites[i].end - 1 - j] == cts[j];
            CHECK(ok, "line %ld site %zu: window %d-%d, expected stop %ld", lineno, i, sites[i].start, sites[i].end, stop);
            cts += wl + (cts[wl] == ';');
            windows++;
        }
        tfm_seed_target_free(&tg);
        tfm_seed_mirna_free(&m);
        rows++;
    }
    if (fp) fclose(fp);
    free(line);
    printf("seed_candidates: %d rows, %d windows\n", rows, windows);
    CHECK_INT(rows, 72);
    for (int i = 0; i < np; i++) free(pair_mir[i]), free(pair_mr[i]);
    free(sites);
    tfm_seed_scratch_free(&scratch);
}

static void test_lengths(void)
{
    tfm_seed_opt_t opt;
    tfm_seed_opt_init(&opt);
    tfm_seed_mirna_t m;
    CHECK_INT(tfm_seed_mirna_init(&m, "ACGUACGUACGUAC", 14, &opt), -1);
    CHECK(strstr(tfm_last_error(), "outside 15..30") != NULL, "%s", tfm_last_error());
    CHECK_INT(tfm_seed_mirna_init(&m, "ACGUACGUACGUACG", 15, &opt), 0);
    tfm_seed_mirna_free(&m);
    /* transcripts shorter than a window: esa gives nothing, fuzzy windows are clipped */
    opt.mode = TFM_MODE_ESA;
    tfm_seed_mirna_init(&m, "UGAGGUAGUAGGUUGUAUAGUU", 22, &opt);
    tfm_seed_target_t tg = {0};
    tfm_seed_target_set(&tg, "CUACCUCA", 8, &opt);
    tfm_seed_scratch_t s = {0};
    tfm_site_t *sites = NULL;
    size_t cap = 0;
    CHECK_INT(tfm_seed_find(&opt, &m, &tg, &s, &sites, &cap), 0);
    tfm_seed_mirna_free(&m);
    opt.mode = TFM_MODE_O9M7;
    tfm_seed_mirna_init(&m, "UGAGGUAGUAGGUUGUAUAGUU", 22, &opt);
    tfm_seed_target_set(&tg, "CUACCUCA", 8, &opt);
    size_t n = tfm_seed_find(&opt, &m, &tg, &s, &sites, &cap);
    CHECK(n >= 1 && sites[0].start == 1 && sites[n - 1].end <= 8, "n=%zu", n);
    tfm_seed_mirna_free(&m);
    tfm_seed_target_free(&tg);
    tfm_seed_scratch_free(&s);
    free(sites);
}

int main(void)
{
    test_lengths();
    test_index_many();
    test_ranges();
    test_seed_candidates();
    test_canonical_sets();
    return check_summary();
}
