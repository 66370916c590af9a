/* tfm-seed: candidate target sites of miRNAs on transcripts (3'UTRs).
 *
 *   tfm-seed [options] MIRNAS.fa TRANSCRIPTS.fa            all-vs-all, transcripts streamed
 *   tfm-seed [options] --pairs PAIRS.tsv [MIRNAS.fa TRANSCRIPTS.fa]
 *
 * Output: TSV, one row per site, rows of a pair contiguous and in input order; a pair without
 * sites gets one row with site_type "none". Work is cut into jobs (a pair, or a transcript with a
 * block of miRNAs) that run on a thread pool in waves; each job formats its own rows and the
 * rows are written in job order, so the output does not depend on --threads. */
#include <getopt.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pool.h"
#include "progress.h"
#include "recent.h"
#include "seed.h"
#include "seqcheck.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

KHASH_MAP_INIT_STR(str2int, int)

typedef struct {
    tfm_seed_opt_t seed;
    const char *pairs, *output;
    int bed, threads, verbose, no_header;
    long shard_k, shard_n;            /* --shard K/N: this run does block K of N (1-based) */
} opt_t;

/* miRNAs of a FASTA file, kept in memory (a few thousand at most). */
typedef struct {
    int n;
    char **id, **seq;
    tfm_seed_mirna_t *m;
    khash_t(str2int) *by_id;
} mirna_set_t;

/* One unit of work: a pair, or one transcript against miRNAs [m0, m1) of the set; or, for a
 * transcript too long for one job, one range of it against one miRNA (or for one pair). */
typedef struct {
    const char *mirna_id, *mirna_seq; /* pair jobs */
    tfm_seed_mirna_t mirna;           /* pair jobs: prepared from mirna_seq */
    int m0, m1;                       /* all-vs-all jobs */
    const char *mrna_id, *mrna_seq;
    size_t mrna_len;
    const char *extra;                /* pass-through columns, each preceded by a tab */
    size_t p0, p1;                    /* the range searched (tfm_seed_find_range); whole: 0, SIZE_MAX */
    int first, last;                  /* the first / last range of its pair (both for a whole job) */
    kstring_t store;                  /* owns the strings above when they are copies */
    kstring_t out;                    /* the job's formatted rows */
    long sites, empty;                /* statistics: sites found, pairs without a site */
    /* a range in a fuzzy mode, for the join with the range before (tfm_seed_join) */
    tfm_fuzzy_match_t *match;         /* the seed match of each site */
    size_t *row_end;                  /* where each site's row ends in out */
    size_t match_cap, row_cap;
    int32_t anchor;
} job_t;

typedef struct {
    const opt_t *opt;
    const mirna_set_t *mirnas;
    const tfm_seed_index_t *index;    /* canonical all-vs-all */
    job_t *job;
    size_t njob, cap;
    tfm_seed_scratch_t *scratch;      /* per thread */
    tfm_site_t **sites;
    size_t *site_cap;
    tfm_seed_hit_t **hits;
    size_t *hit_cap;
    tfm_seed_target_t *target;
    long nsites, nempty;              /* totals over the flushed waves */
    double nt;                        /* transcript nucleotides searched (per pair) */
    /* the writer's state across the ranges of a long transcript's pair */
    long pair_sites;
    int32_t carry;                    /* fuzzy: where the pair's last range ended (its anchor) */
    kstring_t joined;                 /* rows the writer formats: mended joins, 'none' rows */
} wave_t;

static void usage(FILE *fp, const opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-seed [options] MIRNAS.fa TRANSCRIPTS.fa\n"
            "       tfm-seed [options] --pairs PAIRS.tsv [MIRNAS.fa TRANSCRIPTS.fa]\n"
            "Find candidate target sites of miRNAs on transcripts (3'UTRs, 5'->3').\n"
            "FASTA and TSV inputs may be plain, gzip or BGZF; '-' reads stdin.\n\n"
            "Search:\n"
            "  -m, --mode MODE     canonical | offset-9-mer-m7 | 10-mer-m7 | 10-mer-m6 | esa [%s]\n"
            "      --compat NAME   targetfm: the original forward-complement seed search of\n"
            "                      TargetFM/deepTarget, to reproduce published numbers\n"
            "      --min-esa INT   esa: keep windows whose extended seed alignment scores >= INT [%d]\n"
            "Input:\n"
            "  -p, --pairs FILE    score only these pairs: a TSV with mirna_id and mrna_id columns and\n"
            "                      optionally mirna_seq and mrna_seq (e.g. a miRAW test set); ids\n"
            "                      without a sequence column are looked up in the FASTA files; other\n"
            "                      columns (label, ...) are carried through to the output\n"
            "Output:\n"
            "                      TRANSCRIPTS.fa with a faidx index (.fai, and .gzi when BGZF;\n"
            "                      see tfm-index) is read by id instead of being loaded whole\n"
            "Sharding:\n"
            "      --shard K/N     do block K of N: all-vs-all, contiguous blocks of transcripts of\n"
            "                      about equal length; --pairs, contiguous blocks of rows. Shards\n"
            "                      1..N cover every pair once, in the unsharded order\n"
            "      --no-header     no header line (use on shards 2..N: then `cat` of the shards in\n"
            "                      order is byte-identical to the unsharded run)\n"
            "  -o, --output FILE   write to FILE (.gz: BGZF) instead of stdout\n"
            "      --bed           BED6 of the sites (transcript id as chrom) instead of TSV\n"
            "  -t, --threads INT   worker threads [%d]\n"
            "  -q, --quiet         no progress on stderr (shown on a terminal: count, rate, and ETA\n"
            "                      when TRANSCRIPTS.fa or PAIRS.tsv is a file)\n"
            "  -v, --verbose       a summary line on stderr at the end (also shown on a terminal)\n"
            "  -h, --help          this help\n"
            "      --version       version\n\n"
            "Columns: mirna_id mrna_id start end mode site_type errors mirna_seq site_seq\n"
            "[esa_score mirna_aln site_aln (esa)] [pass-through columns]; start/end 1-based\n"
            "inclusive on the transcript. See tfm-seed(1).\n",
            tfm_mode_name(o->seed.mode), o->seed.min_esa, o->threads);
}

/* ---- input ---- */

static void load_mirnas(const char *path, const tfm_seed_opt_t *sopt, mirna_set_t *set)
{
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGU, 1);
    if (!f) tfm_die_last();
    tfm_seq_t rec = {0};
    int r, cap = 0;
    memset(set, 0, sizeof *set);
    set->by_id = kh_init(str2int);
    while ((r = tfm_fasta_read(f, &rec)) == 1) {
        if (set->n == cap) {
            cap = cap ? 2 * cap : 256;
            set->id = tfm_realloc(set->id, cap * sizeof *set->id);
            set->seq = tfm_realloc(set->seq, cap * sizeof *set->seq);
        }
        set->id[set->n] = tfm_strdup(rec.id);
        set->seq[set->n] = tfm_strdup(rec.seq);
        int absent;
        khint_t k = kh_put(str2int, set->by_id, set->id[set->n], &absent);
        kh_val(set->by_id, k) = set->n;
        char name[96];
        snprintf(name, sizeof name, "record %s", rec.id);
        if (tfm_seq_validate(&tfm_rule_mirna, name, rec.seq, rec.len) < 0)
            tfm_die("%s:%ld: %s", tfm_fasta_name(f), rec.line, tfm_last_error());
        set->n++;
    }
    if (r < 0) tfm_die_last();
    if (set->n == 0) tfm_die("%s: no miRNA records", tfm_fasta_name(f));
    set->m = tfm_calloc(set->n, sizeof *set->m);
    for (int i = 0; i < set->n; i++)
        if (tfm_seed_mirna_init(&set->m[i], set->seq[i], (int)strlen(set->seq[i]), sopt) < 0) tfm_die_last();
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
}

static void free_mirnas(mirna_set_t *set)
{
    for (int i = 0; i < set->n; i++) {
        free(set->id[i]);
        free(set->seq[i]);
        if (set->m) tfm_seed_mirna_free(&set->m[i]);
    }
    free(set->id);
    free(set->seq);
    free(set->m);
    if (set->by_id) kh_destroy(str2int, set->by_id);
}

/* Transcripts looked up by id for an id-only pairs file: all held in memory. */
typedef struct {
    khash_t(str2int) *by_id;
    char **id, **seq;
    size_t *len;
    int n;
} transcript_set_t;

static void load_transcripts(const char *path, transcript_set_t *ts)
{
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGUN, 1);
    if (!f) tfm_die_last();
    tfm_seq_t rec = {0};
    int r, cap = 0;
    memset(ts, 0, sizeof *ts);
    ts->by_id = kh_init(str2int);
    while ((r = tfm_fasta_read(f, &rec)) == 1) {
        if (ts->n == cap) {
            cap = cap ? 2 * cap : 1024;
            ts->id = tfm_realloc(ts->id, cap * sizeof *ts->id);
            ts->seq = tfm_realloc(ts->seq, cap * sizeof *ts->seq);
            ts->len = tfm_realloc(ts->len, cap * sizeof *ts->len);
        }
        ts->id[ts->n] = tfm_strdup(rec.id);
        ts->seq[ts->n] = tfm_strdup(rec.seq);
        ts->len[ts->n] = rec.len;
        int absent;
        khint_t k = kh_put(str2int, ts->by_id, ts->id[ts->n], &absent);
        kh_val(ts->by_id, k) = ts->n++;
    }
    if (r < 0) tfm_die_last();
    if (ts->n == 0) tfm_warn("%s: no transcript records", tfm_fasta_name(f));
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
}

static void free_transcripts(transcript_set_t *ts)
{
    for (int i = 0; i < ts->n; i++) free(ts->id[i]), free(ts->seq[i]);
    free(ts->id);
    free(ts->seq);
    free(ts->len);
    if (ts->by_id) kh_destroy(str2int, ts->by_id);
}

static int lookup(khash_t(str2int) *h, const char *id)
{
    khint_t k = kh_get(str2int, h, id);
    return k == kh_end(h) ? -1 : kh_val(h, k);
}

/* --shard K/N: 1 <= K <= N <= 1000000, anything else is a usage error. */
static void parse_shard(const char *arg, long *k, long *n)
{
    const char *slash = strchr(arg, '/');
    char kb[16];
    if (!slash || slash == arg || slash - arg >= (long)sizeof kb || strchr(slash + 1, '/')) goto bad;
    memcpy(kb, arg, slash - arg);
    kb[slash - arg] = 0;
    if (!(kb[0] >= '0' && kb[0] <= '9') || !(slash[1] >= '0' && slash[1] <= '9')) goto bad;
    if (tfm_parse_long(kb, 1, 1000000, k) < 0 || tfm_parse_long(slash + 1, 1, 1000000, n) < 0 || *k > *n) goto bad;
    return;
bad:
    tfm_usage_error("invalid --shard '%s': expected K/N with 1 <= K <= N <= 1000000", arg);
}

/* Transcripts in a FASTA file with a faidx index (a total for the progress meter), else 0; an
 * index that cannot be used only costs the total. */
static long indexed_transcripts(const char *path)
{
    if (strcmp(path, "-") == 0) return 0;
    int err;
    tfm_faidx_t *fx = tfm_faidx_open(path, TFM_ALPHA_ACGUN, &err);
    long n = fx ? tfm_faidx_nseq(fx) : 0;
    tfm_faidx_close(fx);
    return n;
}

/* ---- output ---- */

static void put_header(kstring_t *s, const opt_t *o, const tfm_tsv_t *pairs, const int *extra, int nextra)
{
    if (o->bed) return;
    kputs("mirna_id\tmrna_id\tstart\tend\tmode\tsite_type\terrors\tmirna_seq\tsite_seq", s);
    if (o->seed.mode == TFM_MODE_ESA) kputs("\tesa_score\tmirna_aln\tsite_aln", s);
    for (int i = 0; i < nextra; i++) kputc('\t', s), kputs(pairs->cols[extra[i]], s);
    kputc('\n', s);
}

/* Rows are formatted with kputs/kputw rather than printf: formatting is most of the run time
 * of the canonical all-vs-all search. */
static void put_rows(kstring_t *s, const opt_t *o, const char *mirna_id, const char *mirna_seq, const char *mrna_id,
                     const char *mrna_seq, const tfm_site_t *site, size_t nsite, const char *extra)
{
    const char *mode = tfm_mode_name(o->seed.mode);
    int esa = o->seed.mode == TFM_MODE_ESA;
    if (o->bed) {
        for (size_t i = 0; i < nsite; i++) {
            kputs(mrna_id, s), kputc('\t', s), kputw(site[i].start - 1, s), kputc('\t', s), kputw(site[i].end, s);
            kputc('\t', s), kputs(mirna_id, s), kputs("\t0\t+\n", s);
        }
        return;
    }
    if (nsite == 0) {
        kputs(mirna_id, s), kputc('\t', s), kputs(mrna_id, s), kputs("\t.\t.\t", s), kputs(mode, s);
        kputs("\tnone\t.\t", s), kputs(mirna_seq, s), kputs(esa ? "\t.\t.\t.\t." : "\t.", s);
        if (extra) kputs(extra, s);
        kputc('\n', s);
        return;
    }
    for (size_t i = 0; i < nsite; i++) {
        const tfm_site_t *x = &site[i];
        kputs(mirna_id, s), kputc('\t', s), kputs(mrna_id, s), kputc('\t', s);
        kputw(x->start, s), kputc('\t', s), kputw(x->end, s), kputc('\t', s), kputs(mode, s), kputc('\t', s);
        kputs(tfm_site_type_name(x->type), s), kputc('\t', s), kputw(x->errors, s), kputc('\t', s);
        kputs(mirna_seq, s), kputc('\t', s), kputsn(mrna_seq + x->start - 1, x->end - x->start + 1, s);
        if (esa) {
            kputc('\t', s), kputw(x->esa_score, s), kputc('\t', s), kputs(x->mirna_aln, s);
            kputc('\t', s), kputs(x->site_aln, s);
        }
        if (extra) kputs(extra, s);
        kputc('\n', s);
    }
}

/* ---- jobs ---- */

static int fuzzy_mode(enum tfm_mode m) { return m != TFM_MODE_CANONICAL && m != TFM_MODE_ESA; }

/* One miRNA against a range of a long transcript: its sites' rows, no 'none' row (the writer
 * adds it after the pair's last range); in a fuzzy mode also what the join needs. */
static void run_range(wave_t *w, job_t *j, const tfm_seed_mirna_t *m, const char *mid, const char *mseq,
                      const tfm_seed_target_t *t, int thread)
{
    const opt_t *o = w->opt;
    tfm_seed_scratch_t *sc = &w->scratch[thread];
    size_t n = tfm_seed_find_range(&o->seed, m, t, sc, j->p0, j->p1, &w->sites[thread], &w->site_cap[thread]);
    j->sites = (long)n;
    if (!fuzzy_mode(o->seed.mode)) {
        if (n) put_rows(&j->out, o, mid, mseq, j->mrna_id, j->mrna_seq, w->sites[thread], n, j->extra);
        return;
    }
    TFM_GROW(j->match, j->match_cap, n + 1);
    TFM_GROW(j->row_end, j->row_cap, n + 1);
    memcpy(j->match, sc->match, n * sizeof *j->match);
    j->anchor = sc->anchor;
    for (size_t i = 0; i < n; i++) {
        put_rows(&j->out, o, mid, mseq, j->mrna_id, j->mrna_seq, w->sites[thread] + i, 1, j->extra);
        j->row_end[i] = j->out.l;
    }
}

static void run_job(void *ctx, size_t i, int thread)
{
    wave_t *w = ctx;
    job_t *j = &w->job[i];
    const opt_t *o = w->opt;
    const mirna_set_t *ms = w->mirnas;
    j->sites = j->empty = 0;
    tfm_seed_target_t *t = &w->target[thread];
    tfm_seed_target_set(t, j->mrna_seq, j->mrna_len, &o->seed);
    j->out.l = 0;
    if (!(j->first && j->last)) {
        if (j->mirna_seq) run_range(w, j, &j->mirna, j->mirna_id, j->mirna_seq, t, thread);
        else run_range(w, j, &ms->m[j->m0], ms->id[j->m0], ms->seq[j->m0], t, thread);
        return;
    }
    if (j->mirna_seq) { /* a pair */
        size_t n = tfm_seed_find(&o->seed, &j->mirna, t, &w->scratch[thread], &w->sites[thread], &w->site_cap[thread]);
        put_rows(&j->out, o, j->mirna_id, j->mirna_seq, j->mrna_id, j->mrna_seq, w->sites[thread], n, j->extra);
        j->sites = (long)n, j->empty = n == 0;
        return;
    }
    if (w->index) { /* canonical, the block's miRNAs at once */
        size_t nh = tfm_seed_index_scan_block(w->index, j->mrna_seq, j->mrna_len, j->m0, j->m1, &w->hits[thread],
                                              &w->hit_cap[thread]);
        const tfm_seed_hit_t *h = w->hits[thread];
        size_t k = 0;
        for (int mi = j->m0; mi < j->m1; mi++) {
            size_t n = 0;
            for (; k < nh && h[k].mirna == mi; k++, n++) {
                TFM_GROW(w->sites[thread], w->site_cap[thread], n + 1);
                tfm_site_t *x = &w->sites[thread][n];
                memset(x, 0, sizeof *x);
                x->start = h[k].start, x->end = h[k].end, x->type = h[k].type;
            }
            put_rows(&j->out, o, ms->id[mi], ms->seq[mi], j->mrna_id, j->mrna_seq, w->sites[thread], n, NULL);
            j->sites += (long)n, j->empty += n == 0;
        }
        return;
    }
    for (int mi = j->m0; mi < j->m1; mi++) {
        size_t n = tfm_seed_find(&o->seed, &ms->m[mi], t, &w->scratch[thread], &w->sites[thread], &w->site_cap[thread]);
        put_rows(&j->out, o, ms->id[mi], ms->seq[mi], j->mrna_id, j->mrna_seq, w->sites[thread], n, NULL);
        j->sites += (long)n, j->empty += n == 0;
    }
}

static job_t *new_job(wave_t *w)
{
    size_t old = w->cap;
    TFM_GROW(w->job, w->cap, w->njob + 1);
    memset(w->job + old, 0, (w->cap - old) * sizeof *w->job);
    job_t *j = &w->job[w->njob++];
    job_t keep = *j; /* keep buffers of earlier waves */
    memset(j, 0, sizeof *j);
    j->store = keep.store, j->out = keep.out;
    j->match = keep.match, j->match_cap = keep.match_cap, j->row_end = keep.row_end, j->row_cap = keep.row_cap;
    j->store.l = 0;
    j->p1 = SIZE_MAX, j->first = j->last = 1; /* a whole job unless the caller cuts ranges */
    return j;
}

/* Jobs and waves are sized by the output they are expected to produce, so that memory stays a
 * few MB whatever the mode: a wave holds all its rows until it is written. Measured on miRAW
 * UTRs: bytes of output per (miRNA x transcript nt) in each mode. */
static double bytes_per_nt(enum tfm_mode m)
{
    switch (m) {
    case TFM_MODE_CANONICAL: return 0.15;
    case TFM_MODE_O9M7: return 0.6;
    case TFM_MODE_10M7: return 1.6;
    case TFM_MODE_10M6: return 5;
    default: return 120; /* esa: about 2 of 3 windows kept, 170 bytes each */
    }
}
#define JOB_BYTES (1L << 20)  /* expected output of one job */
#define WAVE_BYTES (4L << 20) /* expected output of one wave, per thread */
#define WAVE_JOBS 1024

typedef struct {
    long pairs, sites, empty;
    double nt;         /* pair-nucleotides searched */
    uint64_t windows;  /* esa windows scanned */
} stats_t;

static void collect_stats(const wave_t *w, int threads, long pairs, stats_t *st)
{
    st->pairs = pairs, st->sites = w->nsites, st->empty = w->nempty, st->nt = w->nt;
    for (int t = 0; t < threads; t++) st->windows += w->scratch[t].windows;
}

/* Write the rows of a range of a long transcript's pair: in a fuzzy mode first mend the join
 * with the range before (a seed match reaching across the cut), and after the pair's last range
 * its 'none' row when no range had a site. Runs in the calling thread, between waves. */
static void write_range(wave_t *w, job_t *j, tfm_out_t *out)
{
    const opt_t *o = w->opt;
    const mirna_set_t *ms = w->mirnas;
    const tfm_seed_mirna_t *m = j->mirna_seq ? &j->mirna : &ms->m[j->m0];
    const char *mid = j->mirna_seq ? j->mirna_id : ms->id[j->m0], *mseq = j->mirna_seq ? j->mirna_seq : ms->seq[j->m0];
    if (j->first) w->pair_sites = 0, w->carry = -1;
    tfm_seed_target_t t;
    tfm_seed_target_set(&t, j->mrna_seq, j->mrna_len, &o->seed);
    size_t skip, n = tfm_seed_join(&o->seed, m, &t, &w->scratch[0], j->p0, j->p1, w->carry, j->match,
                                   (size_t)j->sites, j->anchor, &skip, &w->carry, &w->sites[0], &w->site_cap[0]);
    w->joined.l = 0;
    if (n) put_rows(&w->joined, o, mid, mseq, j->mrna_id, j->mrna_seq, w->sites[0], n, j->extra);
    size_t from = skip ? j->row_end[skip - 1] : 0;
    long sites = (long)n + j->sites - (long)skip;
    w->pair_sites += sites, w->nsites += sites;
    if (j->last && w->pair_sites == 0) {
        put_rows(&w->joined, o, mid, mseq, j->mrna_id, j->mrna_seq, NULL, 0, j->extra);
        w->nempty++;
    }
    tfm_out_write(out, w->joined.s, w->joined.l);
    tfm_out_write(out, j->out.s + from, j->out.l - from);
}

/* Run the wave's jobs and write their rows in job order. */
static void flush_wave(wave_t *w, tfm_pool_t *pool, tfm_out_t *out)
{
    tfm_pool_run(pool, w->njob, run_job, w);
    for (size_t i = 0; i < w->njob; i++) {
        job_t *j = &w->job[i];
        if (j->first && j->last) {
            tfm_out_write(out, j->out.s, j->out.l);
            w->nsites += j->sites, w->nempty += j->empty;
            w->nt += (double)j->mrna_len * (j->mirna_seq ? 1 : j->m1 - j->m0);
        } else { /* the pair-nucleotides of its range */
            write_range(w, j, out);
            w->nt += (double)((j->p1 < j->mrna_len ? j->p1 : j->mrna_len) - (j->p0 < j->mrna_len ? j->p0 : j->mrna_len));
        }
        if (j->mirna_seq) tfm_seed_mirna_free(&j->mirna);
        if (j->out.m > JOB_BYTES / 4) { /* keep memory to what the next wave needs */
            free(j->out.s);
            j->out = (kstring_t){0, 0, NULL};
        }
    }
    w->njob = 0;
}

static void wave_init(wave_t *w, const opt_t *o, int threads)
{
    memset(w, 0, sizeof *w);
    w->opt = o;
    w->scratch = tfm_calloc(threads, sizeof *w->scratch);
    w->sites = tfm_calloc(threads, sizeof *w->sites);
    w->site_cap = tfm_calloc(threads, sizeof *w->site_cap);
    w->hits = tfm_calloc(threads, sizeof *w->hits);
    w->hit_cap = tfm_calloc(threads, sizeof *w->hit_cap);
    w->target = tfm_calloc(threads, sizeof *w->target);
}

static void wave_free(wave_t *w, int threads)
{
    for (int t = 0; t < threads; t++) {
        tfm_seed_scratch_free(&w->scratch[t]);
        free(w->sites[t]);
        free(w->hits[t]);
        tfm_seed_target_free(&w->target[t]);
    }
    for (size_t i = 0; i < w->cap; i++)
        free(w->job[i].store.s), free(w->job[i].out.s), free(w->job[i].match), free(w->job[i].row_end);
    free(w->joined.s);
    free(w->job), free(w->scratch), free(w->sites), free(w->site_cap), free(w->hits), free(w->hit_cap);
    free(w->target);
}

/* A transcript whose rows (for all the miRNAs) are expected above a wave's worth: its jobs run
 * now, in waves of a few per thread, so that memory stays bounded whatever the length and the
 * number of miRNAs, and the caller may reuse the record (it is not copied). Jobs of `block`
 * miRNAs over the whole transcript; or, when one miRNA's rows on it are expected above JOB_BYTES
 * (block < 1), jobs of one miRNA and a range of about JOB_BYTES of rows each, whose rows come out
 * in the order of a whole search (write_range joins the ranges). proto: the transcript, and for
 * a pair its miRNA (ids, sequence, pass-through columns); else miRNAs 0..nmirna-1 of the set. */
static void run_now(wave_t *w, tfm_pool_t *pool, tfm_out_t *out, const job_t *proto, int nmirna, long block)
{
    const opt_t *o = w->opt;
    size_t len = proto->mrna_len, step = (size_t)(JOB_BYTES / bytes_per_nt(o->seed.mode));
    size_t wave = (size_t)tfm_pool_threads(pool) * WAVE_BYTES / JOB_BYTES;
    flush_wave(w, pool, out);
    for (int m0 = 0; m0 < nmirna; m0 += block < 1 ? 1 : (int)block)
        for (size_t p0 = 0; p0 <= len; p0 += step) { /* fuzzy seed matches may start at len */
            job_t *j = new_job(w);
            j->mirna_id = proto->mirna_id, j->mirna_seq = proto->mirna_seq, j->extra = proto->extra;
            j->mrna_id = proto->mrna_id, j->mrna_seq = proto->mrna_seq, j->mrna_len = len;
            j->m0 = m0, j->m1 = block < 1 ? m0 + 1 : m0 + (int)block > nmirna ? nmirna : m0 + (int)block;
            if (block < 1) {
                j->p0 = p0, j->p1 = len - p0 < step ? SIZE_MAX : p0 + step;
                j->first = p0 == 0, j->last = j->p1 == SIZE_MAX;
            }
            if (j->mirna_seq && tfm_seed_mirna_init(&j->mirna, j->mirna_seq, (int)strlen(j->mirna_seq), &o->seed) < 0)
                tfm_die_last();
            if (w->njob >= wave) flush_wave(w, pool, out);
            if (j->last) break; /* whole jobs, or the pair's last range */
        }
    flush_wave(w, pool, out);
}

/* All-vs-all: stream the transcripts; each is cut into jobs of miRNA blocks (or ranges). */
static void run_all_vs_all(const opt_t *o, const char *tpath, const mirna_set_t *ms, tfm_pool_t *pool, tfm_out_t *out,
                           stats_t *st)
{
    tfm_fasta_t *f = tfm_fasta_open(tpath, TFM_ALPHA_ACGUN, 1);
    if (!f) tfm_die_last();
    int threads = tfm_pool_threads(pool);
    wave_t w;
    wave_init(&w, o, threads);
    w.mirnas = ms;
    tfm_seed_index_t *index = o->seed.mode == TFM_MODE_CANONICAL ? tfm_seed_index_new(ms->m, ms->n) : NULL;
    w.index = index;
    tfm_seq_t rec = {0};
    long ntx = 0;
    size_t wave_nt = 0;
    int r;
    /* --shard: transcript i goes to block floor(mid_i * N / L), mid_i the midpoint of its
     * bases in the concatenated transcriptome of L nt; blocks are contiguous and of about
     * equal length. A first pass (with all the checks of the reader) gives L. */
    uint64_t total = 0, cum = 0;
    if (o->shard_n > 1) {
        long n;
        if (tfm_fasta_count(tpath, TFM_ALPHA_ACGUN, &n, &total) < 0) tfm_die_last();
    }
    double done_frac = -1, shard_nt = (double)total / (double)o->shard_n, first_nt = -1;
    /* Progress: of the shard's nucleotides with --shard, else of the transcripts of an indexed
     * file, else of the bytes of a file; a pipe gets count and rate only. */
    tfm_meter_t pm;
    tfm_meter_start(&pm, "transcripts", o->shard_n == 1 && tfm_progress_on() ? (double)indexed_transcripts(tpath) : 0);
    long nrec = 0;
    while ((r = tfm_fasta_read(f, &rec)) == 1) {
        nrec++;
        if (o->shard_n > 1) {
            uint64_t mid2 = 2 * cum + rec.len;
            cum += rec.len;
            long s = (long)(mid2 * (uint64_t)o->shard_n / (2 * total));
            if (s < o->shard_k - 1) continue;
            if (s > o->shard_k - 1) break;
            if (first_nt < 0) first_nt = (double)(cum - rec.len);
            done_frac = ((double)cum - first_nt) / shard_nt; /* about: blocks are length-balanced */
        }
        ntx++;
        /* an index job reads the transcript once for all its miRNAs: it may write a wave's worth */
        long block = (long)((index ? WAVE_BYTES : JOB_BYTES) / bytes_per_nt(o->seed.mode) / (double)(rec.len + 1));
        if (block < 1 || (double)(rec.len + 1) * ms->n * bytes_per_nt(o->seed.mode) > (double)threads * WAVE_BYTES) {
            job_t proto = {.mrna_id = rec.id, .mrna_seq = rec.seq, .mrna_len = rec.len};
            run_now(&w, pool, out, &proto, ms->n, block);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)ntx, o->shard_n > 1 ? done_frac : tfm_fasta_fraction(f));
            continue;
        }
        if (block > ms->n) block = ms->n;
        for (int m0 = 0; m0 < ms->n; m0 += (int)block) {
            job_t *j = new_job(&w);
            /* the first job of a transcript owns its copy; the others point to it */
            if (m0 == 0) {
                kputs(rec.id, &j->store), kputc(0, &j->store);
                kputsn(rec.seq, rec.len, &j->store);
                j->mrna_id = j->store.s;
                j->mrna_seq = j->store.s + strlen(rec.id) + 1;
            } else {
                job_t *first = j - 1;
                j->mrna_id = first->mrna_id, j->mrna_seq = first->mrna_seq;
            }
            j->mrna_len = rec.len;
            j->m0 = m0;
            j->m1 = m0 + (int)block > ms->n ? ms->n : m0 + (int)block;
        }
        /* A transcript's jobs must stay in one wave (they share its copy). */
        wave_nt += rec.len;
        if (w.njob >= WAVE_JOBS || (double)wave_nt * ms->n * bytes_per_nt(o->seed.mode) >= (double)threads * WAVE_BYTES) {
            flush_wave(&w, pool, out);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)ntx, o->shard_n > 1 ? done_frac : tfm_fasta_fraction(f));
        }
    }
    if (r < 0) tfm_die_last();
    if (nrec == 0) tfm_warn("%s: no transcript records: no pairs to search", tfm_fasta_name(f));
    flush_wave(&w, pool, out);
    tfm_meter_set(&pm, (double)ntx, pm.frac);
    tfm_meter_end(&pm);
    tfm_seed_index_free(index);
    collect_stats(&w, threads, ntx * ms->n, st);
    wave_free(&w, threads);
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
}

/* Pairs: each row of the pairs TSV is a job. */
typedef struct {
    int mirna_id, mrna_id, mirna_seq, mrna_seq; /* column indices, -1 if absent */
    int *extra, nextra;
} pair_cols_t;

static void pair_columns(tfm_tsv_t *t, pair_cols_t *c)
{
    if ((c->mirna_id = tfm_tsv_need(t, "mirna_id")) < 0 || (c->mrna_id = tfm_tsv_need(t, "mrna_id")) < 0)
        tfm_die_last();
    c->mirna_seq = tfm_tsv_col(t, "mirna_seq");
    c->mrna_seq = tfm_tsv_col(t, "mrna_seq");
    c->extra = tfm_malloc(t->ncols * sizeof *c->extra);
    c->nextra = 0;
    for (int i = 0; i < t->ncols; i++)
        if (i != c->mirna_id && i != c->mrna_id && i != c->mirna_seq && i != c->mrna_seq) c->extra[c->nextra++] = i;
}

/* Check a sequence field of the pairs file by its rule (lib/seqcheck.h) and normalise it in
 * place, or die naming line, pair and column. */
static void check_field(tfm_tsv_t *t, int col, const tfm_seqrule_t *rule, const char *mi, const char *mr)
{
    if (tfm_seq_validate(rule, t->cols[col], t->f[col], t->flen[col]) < 0)
        tfm_die("%s:%ld: pair %s/%s: %s", t->name, t->lineno, mi, mr, tfm_last_error());
    tfm_seq_normalise(t->f[col], t->flen[col], rule->alpha);
}

/* Data rows of a pairs file (the first pass of --shard). */
static long count_rows(const char *path)
{
    tfm_tsv_t *t = tfm_tsv_open(path, 1, 0, NULL);
    if (!t) tfm_die_last();
    long n = 0;
    int r;
    while ((r = tfm_tsv_read(t)) == 1) n++;
    if (r < 0) tfm_die_last();
    tfm_tsv_close(t);
    return n;
}

static void run_pairs(const opt_t *o, tfm_tsv_t *t, const pair_cols_t *c, const mirna_set_t *ms,
                      const transcript_set_t *ts, tfm_faidx_t *fx, tfm_pool_t *pool, tfm_out_t *out, stats_t *st)
{
    /* --shard: row i (0-based) goes to block floor(i * N / rows) */
    long nrows = o->shard_n > 1 ? count_rows(o->pairs) : 0, row = 0;
    /* Progress: of the shard's rows (rows i with i * N / rows in [K-1, K)), else of the bytes of
     * the pairs file; a pipe gets count and rate only. */
    tfm_meter_t pm;
    tfm_meter_start(&pm, "pairs", o->shard_n > 1 ? (double)((o->shard_k * nrows + o->shard_n - 1) / o->shard_n -
                                                            ((o->shard_k - 1) * nrows + o->shard_n - 1) / o->shard_n)
                                                 : 0);
    tfm_seq_t trec = {0}; /* a transcript fetched through the index */
    wave_t w;
    int threads = tfm_pool_threads(pool);
    wave_init(&w, o, threads);
    /* pairs already read: a repeat would split a pair's rows (checked among the last TFM_RECENT_PAIRS) */
    tfm_recent_t *seen = tfm_recent_new(TFM_RECENT_PAIRS);
    long npairs = 0;
    size_t wave_nt = 0;
    int r;
    kstring_t key = {0}, extra = {0};
    while ((r = tfm_tsv_read(t)) == 1) {
        const char *mi = t->f[c->mirna_id], *mr = t->f[c->mrna_id];
        if (!*mi || !*mr) tfm_die("%s:%ld: empty %s", t->name, t->lineno, *mi ? "mrna_id" : "mirna_id");
        key.l = 0;
        ksprintf(&key, "%s\t%s", mi, mr);
        long first = tfm_recent_put(seen, key.s, key.l, t->lineno);
        if (first >= 0) tfm_die("%s:%ld: pair %s/%s repeated (first on line %ld)", t->name, t->lineno, mi, mr, first);
        if (o->shard_n > 1) {
            long s = (long)((double)row++ * (double)o->shard_n / (double)nrows);
            if (s < o->shard_k - 1) continue;
            if (s > o->shard_k - 1) break;
        }

        const char *mseq, *rseq;
        size_t rlen;
        if (c->mirna_seq >= 0) {
            check_field(t, c->mirna_seq, &tfm_rule_mirna, mi, mr);
            mseq = t->f[c->mirna_seq];
        } else {
            int i = lookup(ms->by_id, mi);
            if (i < 0) tfm_die("%s:%ld: miRNA '%s' is not in the miRNA FASTA", t->name, t->lineno, mi);
            mseq = ms->seq[i];
        }
        if (c->mrna_seq >= 0) {
            check_field(t, c->mrna_seq, &tfm_rule_transcript, mi, mr);
            rseq = t->f[c->mrna_seq];
            rlen = t->flen[c->mrna_seq];
        } else if (fx) {
            if (!trec.id || strcmp(trec.id, mr) != 0) {
                int f = tfm_faidx_fetch(fx, mr, &trec);
                if (f == 0) tfm_die("%s:%ld: transcript '%s' is not in the transcript FASTA", t->name, t->lineno, mr);
                if (f < 0) {
                    if (trec.id) trec.id[0] = 0; /* no reuse of a bad record */
                    tfm_die("%s:%ld: %s", t->name, t->lineno, tfm_last_error());
                }
            }
            rseq = trec.seq;
            rlen = trec.len;
        } else {
            int i = lookup(ts->by_id, mr);
            if (i < 0) tfm_die("%s:%ld: transcript '%s' is not in the transcript FASTA", t->name, t->lineno, mr);
            rseq = ts->seq[i];
            rlen = ts->len[i];
        }
        size_t mlen = strlen(mseq); /* checked: in check_field or when the FASTA was loaded */
        npairs++;
        if (JOB_BYTES / bytes_per_nt(o->seed.mode) / (double)(rlen + 1) < 1) {
            /* a long transcript: ranges of it, run now, from the row as read (not copied) */
            extra.l = 0;
            for (int e = 0; e < c->nextra; e++) kputc('\t', &extra), kputs(t->f[c->extra[e]], &extra);
            job_t proto = {.mirna_id = mi, .mirna_seq = mseq, .mrna_id = mr, .mrna_seq = rseq, .mrna_len = rlen,
                           .extra = extra.s ? extra.s : ""};
            run_now(&w, pool, out, &proto, 1, 0);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)npairs, o->shard_n > 1 ? -1 : tfm_tsv_fraction(t));
            continue;
        }

        /* copy what the job needs: ids, sequences, pass-through columns */
        job_t *j = new_job(&w);
        size_t off[5];
        off[0] = j->store.l, kputs(mi, &j->store), kputc(0, &j->store);
        off[1] = j->store.l, kputs(mr, &j->store), kputc(0, &j->store);
        off[2] = j->store.l, kputs(mseq, &j->store), kputc(0, &j->store);
        off[3] = j->store.l, kputsn(rseq, rlen, &j->store), kputc(0, &j->store);
        off[4] = j->store.l;
        for (int e = 0; e < c->nextra; e++) kputc('\t', &j->store), kputs(t->f[c->extra[e]], &j->store);
        kputc(0, &j->store);
        j->mirna_id = j->store.s + off[0];
        j->mrna_id = j->store.s + off[1];
        j->mirna_seq = j->store.s + off[2];
        j->mrna_seq = j->store.s + off[3];
        j->mrna_len = rlen;
        j->extra = j->store.s + off[4];
        if (tfm_seed_mirna_init(&j->mirna, j->mirna_seq, (int)mlen, &o->seed) < 0) tfm_die_last();
        wave_nt += rlen;
        if (w.njob >= WAVE_JOBS || (double)wave_nt * bytes_per_nt(o->seed.mode) >= (double)threads * WAVE_BYTES) {
            flush_wave(&w, pool, out);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)npairs, o->shard_n > 1 ? -1 : tfm_tsv_fraction(t));
        }
    }
    if (r < 0) tfm_die_last();
    flush_wave(&w, pool, out);
    tfm_meter_set(&pm, (double)npairs, pm.frac);
    tfm_meter_end(&pm);
    tfm_recent_free(seen);
    free(key.s), free(extra.s);
    tfm_seq_free(&trec);
    collect_stats(&w, threads, npairs, st);
    wave_free(&w, threads);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-seed");
    opt_t o = {.threads = 1, .shard_k = 1, .shard_n = 1};
    tfm_seed_opt_init(&o.seed);
    enum { OPT_COMPAT = 256, OPT_MIN_ESA, OPT_BED, OPT_VERSION, OPT_SHARD, OPT_NO_HEADER };
    static const struct option longopts[] = {
        {"mode", required_argument, 0, 'm'},     {"compat", required_argument, 0, OPT_COMPAT},
        {"min-esa", required_argument, 0, OPT_MIN_ESA}, {"pairs", required_argument, 0, 'p'},
        {"output", required_argument, 0, 'o'},   {"bed", no_argument, 0, OPT_BED},
        {"threads", required_argument, 0, 't'},  {"quiet", no_argument, 0, 'q'}, {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, OPT_VERSION},
        {"shard", required_argument, 0, OPT_SHARD}, {"no-header", no_argument, 0, OPT_NO_HEADER},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "m:p:o:t:qvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if ((c = tfm_mode_parse(optarg)) < 0) tfm_usage_error("unknown mode '%s'", optarg);
            o.seed.mode = c;
            break;
        case OPT_COMPAT:
            if (strcmp(optarg, "targetfm") != 0) tfm_usage_error("unknown --compat '%s' (known: targetfm)", optarg);
            o.seed.compat_targetfm = 1;
            break;
        case OPT_MIN_ESA: o.seed.min_esa = (int)tfm_opt_long("--min-esa", optarg, 0, TFM_ESA_LEN); break;
        case 'p': o.pairs = optarg; break;
        case 'o': o.output = optarg; break;
        case OPT_BED: o.bed = 1; break;
        case OPT_SHARD: parse_shard(optarg, &o.shard_k, &o.shard_n); break;
        case OPT_NO_HEADER: o.no_header = 1; break;
        case 't': o.threads = (int)tfm_opt_long("--threads", optarg, 1, 256); break;
        case 'q': tfm_progress_set_quiet(1); break;
        case 'v': o.verbose = 1; break;
        case 'h': usage(stdout, &o); return 0;
        case OPT_VERSION: tfm_print_version(); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    int nargs = argc - optind;
    if (o.seed.compat_targetfm && (o.seed.mode == TFM_MODE_CANONICAL || o.seed.mode == TFM_MODE_ESA))
        tfm_usage_error("--compat targetfm applies to the fuzzy modes only");
    if (o.pairs ? (nargs != 0 && nargs != 2) : nargs != 2) {
        if (argc == 1) {
            usage(stderr, &o);
            return TFM_EXIT_USAGE;
        }
        tfm_usage_error(o.pairs ? "expected no FASTA or both MIRNAS.fa and TRANSCRIPTS.fa after --pairs"
                                : "expected MIRNAS.fa and TRANSCRIPTS.fa");
    }
    const char *mpath = nargs ? argv[optind] : NULL, *tpath = nargs ? argv[optind + 1] : NULL;
    if (mpath && strcmp(mpath, "-") == 0 && strcmp(tpath, "-") == 0) tfm_usage_error("only one input can be stdin");
    if (o.shard_n > 1 && strcmp(o.pairs ? o.pairs : tpath, "-") == 0)
        tfm_usage_error("--shard reads %s twice: it cannot be stdin", o.pairs ? "PAIRS.tsv" : "TRANSCRIPTS.fa");

    double t0 = tfm_seconds();
    tfm_pool_t *pool = tfm_pool_new(o.threads);
    tfm_out_t *out = tfm_out_open(o.output);
    kstring_t head = {0};
    mirna_set_t ms = {0};
    transcript_set_t ts = {0};
    stats_t st = {0};
    if (!o.pairs) {
        load_mirnas(mpath, &o.seed, &ms);
        if (!o.no_header) put_header(&head, &o, NULL, NULL, 0);
        tfm_out_write(out, head.s, head.l);
        run_all_vs_all(&o, tpath, &ms, pool, out, &st);
    } else {
        tfm_tsv_t *t = tfm_tsv_open(o.pairs, 1, 0, NULL);
        if (!t) tfm_die_last();
        pair_cols_t pc;
        pair_columns(t, &pc);
        if ((pc.mirna_seq < 0 || pc.mrna_seq < 0) && !mpath)
            tfm_usage_error("%s has no %s column: give MIRNAS.fa and TRANSCRIPTS.fa to look ids up", t->name,
                            pc.mirna_seq < 0 ? "mirna_seq" : "mrna_seq");
        if (mpath && pc.mirna_seq < 0) load_mirnas(mpath, &o.seed, &ms);
        tfm_faidx_t *fx = NULL;
        if (tpath && pc.mrna_seq < 0) {
            int err;
            fx = tfm_faidx_open(tpath, TFM_ALPHA_ACGUN, &err);
            if (err) tfm_die_last();
            if (!fx) load_transcripts(tpath, &ts); /* no index: the whole FASTA in memory */
        }
        if (!o.no_header) put_header(&head, &o, t, pc.extra, pc.nextra);
        tfm_out_write(out, head.s, head.l);
        run_pairs(&o, t, &pc, &ms, &ts, fx, pool, out, &st);
        tfm_faidx_close(fx);
        free(pc.extra);
        tfm_tsv_close(t);
    }
    tfm_out_close(out, 1);
    tfm_progress_done();
    if (o.verbose || tfm_progress_on()) {
        fprintf(stderr, "tfm-seed: %ld pairs, %ld sites, %ld pairs without a site, %.2f Mnt searched", st.pairs,
                st.sites, st.empty, st.nt / 1e6);
        if (o.seed.mode == TFM_MODE_ESA) fprintf(stderr, ", %llu windows scanned", (unsigned long long)st.windows);
        fprintf(stderr, ", %.2f s, %.2f CPU s, peak RSS %.1f MB\n", tfm_seconds() - t0, tfm_cpu_seconds(),
                tfm_peak_rss() / 1e6);
    }
    free(head.s);
    free_mirnas(&ms);
    free_transcripts(&ts);
    tfm_pool_free(pool);
    return 0;
}
