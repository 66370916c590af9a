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

#include "bed.h"
#include "cli.h"
#include "gencode.h"
#include "mirset.h"
#include "pairs.h"
#include "pool.h"
#include "progress.h"
#include "recent.h"
#include "seed.h"
#include "select.h"
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
    int skip_bad, family;
    enum tfm_region region;
    tfm_select_t *mirsel, *genesel;   /* --species/--mirna/--mirna-file; --gene */
} opt_t;

/* miRNAs of a FASTA file, kept in memory (a few thousand at most); n, id, seq alias set's. */
typedef struct {
    tfm_mirset_t set;
    int n;
    char **id, **seq;
    tfm_seed_mirna_t *m;
} mirna_set_t;

/* --skip-bad: records and rows left out, each with a warning; without it the first stops the run. */
typedef struct {
    int skip, silent;                 /* silent: a first pass (--shard) that will read them again */
    long mirnas, transcripts, rows;
} bad_t;

static void bad_record(bad_t *b, long *count, const char *msg)
{
    if (!b->skip) tfm_die("%s", msg);
    if (!b->silent) tfm_warn("%s: skipped (--skip-bad)", msg);
    ++*count;
}

static void bad_mirna(void *ctx, const char *msg)
{
    bad_t *b = ctx;
    bad_record(b, &b->mirnas, msg);
}

/* One unit of work: a pair, or one transcript against miRNAs [m0, m1) of the set; or, for a
 * transcript too long for one job, one range of it against one miRNA (or for one pair). */
typedef struct {
    const char *mirna_id, *mirna_seq; /* pair jobs */
    tfm_seed_mirna_t mirna;           /* pair jobs: prepared from mirna_seq */
    int m0, m1;                       /* all-vs-all jobs */
    const char *mrna_id, *mrna_seq;   /* mrna_seq: the part searched (--region) */
    size_t mrna_len, off;             /* its length; its start on the transcript (0-based) */
    const char *gene;                 /* gene columns ("\tID\tNAME") or NULL */
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
    const tfm_seed_index_t *index;    /* all-vs-all, but for esa */
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
    int gene_cols;                    /* the output has gene_id and gene_name */
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
            "                      columns (label, ...) are carried through to the output;\n"
            "                      TRANSCRIPTS.fa with a faidx index (.fai, and .gzi when BGZF;\n"
            "                      see tfm-index) is read by id instead of being loaded whole\n"
            "miRNAs (miRBase mature.fa as it comes: any species, U or T, any case):\n"
            "      --species LIST  only miRNAs whose id starts with one of these prefixes and '-'\n"
            "                      (hsa,mmu; repeatable) [all]\n"
            "      --mirna LIST    only these miRNA ids (comma list; repeatable); an id not in\n"
            "                      MIRNAS.fa is an error [all]\n"
            "      --mirna-file FILE  ids to keep, the first word of each line\n"
            "      --family        one miRNA per seed (nt 2-8): the first in the file; column\n"
            "                      family_members lists the family\n"
            "Transcripts (GENCODE pc_transcripts.fa as it comes, or any FASTA):\n"
            "      --region R      utr3 | cds | utr5 | all: the part searched of a transcript whose\n"
            "                      header has GENCODE's UTR5/CDS/UTR3 fields; coordinates stay on\n"
            "                      the transcript; a plain header: all of it [%s]\n"
            "      --gene LIST     only transcripts of these genes (GENCODE header: gene id, with or\n"
            "                      without version, or gene name; comma list; repeatable)\n"
            "                      GENCODE headers also give the mrna_id (ENST...) and add columns\n"
            "                      gene_id and gene_name\n"
            "      --skip-bad      leave out bad records (a miRNA or transcript with a letter out of\n"
            "                      place, a miRNA length outside %d..%d, an empty record, a repeated id;\n"
            "                      pair rows that cannot be searched) with one warning each and a\n"
            "                      count at the end; without it the first one stops the run\n"
            "Sharding and output:\n"
            "      --shard K/N     do block K of N: all-vs-all, contiguous blocks of transcripts of\n"
            "                      about equal length; --pairs, contiguous blocks of rows. Shards\n"
            "                      1..N cover every pair once, in the unsharded order\n"
            "      --no-header     no header line (use on shards 2..N: then `cat` of the shards in\n"
            "                      order is byte-identical to the unsharded run)\n"
            "  -o, --output FILE   write to FILE (.gz: BGZF) instead of stdout\n"
            "      --bed           BED6 of the sites (transcript id as chrom, name miRNA|gene|site_type,\n"
            "                      score 0; for scored sites use tfm-bed) instead of TSV\n"
            "  -t, --threads INT   worker threads [%d]\n"
            "  -q, --quiet         no progress on stderr (shown on a terminal: count, rate, and ETA\n"
            "                      when TRANSCRIPTS.fa or PAIRS.tsv is a file)\n"
            "  -v, --verbose       a summary line on stderr at the end (also shown on a terminal)\n"
            "  -h, --help          this help\n"
            "  -V, --version       version\n\n"
            "Columns: mirna_id mrna_id start end mode site_type errors mirna_seq site_seq\n"
            "[esa_score mirna_aln site_aln (esa)] [gene_id gene_name (GENCODE)] [family_members\n"
            "(--family)] [pass-through columns]; start/end 1-based inclusive on the transcript.\n"
            "See tfm-seed(1).\n",
            tfm_mode_name(o->seed.mode), o->seed.min_esa, tfm_region_name(o->region), TFM_MIRNA_MIN, TFM_MIRNA_MAX,
            o->threads);
}

/* ---- input ---- */

static void load_mirnas(const char *path, const opt_t *o, bad_t *bad, mirna_set_t *set)
{
    memset(set, 0, sizeof *set);
    if (tfm_mirset_load(&set->set, path, o->mirsel, o->skip_bad ? bad_mirna : NULL, bad) < 0) tfm_die_last();
    const char *missing = tfm_select_missing(o->mirsel);
    if (missing) tfm_die("%s: no miRNA '%s' (--mirna)%s", path, missing, bad->mirnas ? " among the good records" : "");
    if (set->set.n == 0) tfm_die("%s: no miRNA record of the selection (--species, --mirna)", path);
    if (o->family) tfm_mirset_family(&set->set);
    set->n = set->set.n, set->id = set->set.id, set->seq = set->set.seq;
    set->m = tfm_calloc(set->n, sizeof *set->m);
    for (int i = 0; i < set->n; i++)
        if (tfm_seed_mirna_init(&set->m[i], set->seq[i], (int)strlen(set->seq[i]), &o->seed) < 0) tfm_die_last();
}

static void free_mirnas(mirna_set_t *set)
{
    for (int i = 0; i < set->n; i++)
        if (set->m) tfm_seed_mirna_free(&set->m[i]);
    free(set->m);
    tfm_mirset_free(&set->set);
}

static void bad_transcript(void *ctx, const char *msg)
{
    bad_t *b = ctx;
    bad_record(b, &b->transcripts, msg);
}

/* The next transcript that --gene keeps and that is good (--skip-bad leaves bad ones out);
 * 1, or 0 at the end of the file. */
static int next_transcript(tfm_fasta_t *f, tfm_seq_t *rec, tfm_tx_t *tx, const opt_t *o, bad_t *bad)
{
    int r = tfm_tx_next(f, rec, tx, o->region, o->genesel, bad_transcript, bad);
    if (r < 0) tfm_die_last();
    return r;
}

/* Transcripts looked up by id for an id-only pairs file: all held in memory, by their id
 * (GENCODE: the transcript id). */
typedef struct {
    khash_t(str2int) *by_id;
    char **id, **seq, **gene;
    size_t *len, *from, *to;
    int n, gencode;
} transcript_set_t;

static void load_transcripts(const char *path, const opt_t *o, bad_t *bad, transcript_set_t *ts)
{
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGUN, 1);
    if (!f) tfm_die_last();
    tfm_seq_t rec = {0};
    tfm_tx_t tx = {0};
    size_t cap = 0;
    memset(ts, 0, sizeof *ts);
    ts->by_id = kh_init(str2int);
    while (next_transcript(f, &rec, &tx, o, bad)) {
        size_t c = cap;
        TFM_GROW(ts->id, c, (size_t)ts->n + 1);
        ts->seq = tfm_realloc(ts->seq, c * sizeof *ts->seq);
        ts->gene = tfm_realloc(ts->gene, c * sizeof *ts->gene);
        ts->len = tfm_realloc(ts->len, c * sizeof *ts->len);
        ts->from = tfm_realloc(ts->from, c * sizeof *ts->from);
        ts->to = tfm_realloc(ts->to, c * sizeof *ts->to);
        cap = c;
        if (ts->n == 0) ts->gencode = tx.h.gencode;
        ts->id[ts->n] = tfm_strdup(tx.h.id);
        ts->seq[ts->n] = tfm_strdup(rec.seq);
        ts->gene[ts->n] = tfm_strdup(tx.gene.s);
        ts->len[ts->n] = rec.len, ts->from[ts->n] = tx.from, ts->to[ts->n] = tx.to;
        int absent;
        khint_t k = kh_put(str2int, ts->by_id, ts->id[ts->n], &absent);
        if (!absent) tfm_die("%s:%ld: transcript id '%s' repeated", tfm_fasta_name(f), rec.line, tx.h.id);
        kh_val(ts->by_id, k) = ts->n++;
    }
    if (ts->n == 0) tfm_warn("%s: no transcript records", tfm_fasta_name(f));
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    tfm_tx_free(&tx);
}

static void free_transcripts(transcript_set_t *ts)
{
    for (int i = 0; i < ts->n; i++) free(ts->id[i]), free(ts->seq[i]), free(ts->gene[i]);
    free(ts->id), free(ts->seq), free(ts->gene), free(ts->len), free(ts->from), free(ts->to);
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

static void put_header(kstring_t *s, const opt_t *o, int gene_cols, const tfm_tsv_t *pairs, const int *extra,
                       int nextra)
{
    if (o->bed || o->no_header) return;
    kputs("mirna_id\tmrna_id\tstart\tend\tmode\tsite_type\terrors\tmirna_seq\tsite_seq", s);
    if (o->seed.mode == TFM_MODE_ESA) kputs("\tesa_score\tmirna_aln\tsite_aln", s);
    if (gene_cols) kputs("\tgene_id\tgene_name", s);
    if (o->family) kputs("\tfamily_members", s);
    for (int i = 0; i < nextra; i++) kputc('\t', s), kputs(pairs->cols[extra[i]], s);
    kputc('\n', s);
}

/* The columns after the site's own: gene, family members, pass-through. */
static void put_tail(kstring_t *s, const job_t *j, const char *family)
{
    if (j->gene) kputs(j->gene, s);
    if (family) kputc('\t', s), kputs(family, s);
    if (j->extra) kputs(j->extra, s);
    kputc('\n', s);
}

/* Decimal digits of v at p, as kputw writes them; returns the end. Two digits a step. */
static char *put_int(char *p, long v)
{
    static const char two[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                              "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                              "8081828384858687888990919293949596979899";
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    if (v < 0) *p++ = '-';
    int n = u < 10 ? 1 : u < 100 ? 2 : u < 1000 ? 3 : u < 10000 ? 4 : 5; /* positions: mostly < 10^5 */
    for (unsigned long x = u / 100000; x; x /= 10) n++;
    char *e = p + n;
    for (; u >= 100; u /= 100) e -= 2, memcpy(e, two + 2 * (u % 100), 2);
    if (u >= 10) memcpy(e - 2, two + 2 * u, 2);
    else e[-1] = (char)('0' + u);
    return p + n;
}

static char *put_str(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Rows are written straight into s, its room reserved once a row, the strings that repeat on
 * every row of the call measured once: formatting field by field (kputs, kputw) was a quarter
 * of tfm-seed's run time in the default mode. Site positions are on j->mrna_seq (the part
 * searched); the output adds j->off to give transcript coordinates. */
static void put_rows(kstring_t *s, const opt_t *o, const char *mirna_id, const char *mirna_seq, const char *family,
                     const job_t *j, const tfm_site_t *site, size_t nsite)
{
    const char *mode = tfm_mode_name(o->seed.mode), *mrna_id = j->mrna_id;
    int esa = o->seed.mode == TFM_MODE_ESA;
    long off = (long)j->off;
    if (o->bed) {
        const char *gene = tfm_bed_gene(j->gene ? strrchr(j->gene, '\t') + 1 : NULL, NULL, mrna_id);
        for (size_t i = 0; i < nsite; i++)
            tfm_bed_put(s, mrna_id, site[i].start - 1 + off, site[i].end + off, mirna_id, gene,
                        tfm_site_type_name(site[i].type), 0);
        return;
    }
    if (nsite == 0) {
        kputs(mirna_id, s), kputc('\t', s), kputs(mrna_id, s), kputs("\t.\t.\t", s), kputs(mode, s);
        kputs("\tnone\t.\t", s), kputs(mirna_seq, s), kputs(esa ? "\t.\t.\t.\t." : "\t.", s);
        put_tail(s, j, family);
        return;
    }
    /* "MODE\tTYPE\t" of each site type, so a row copies it at once */
    char mt[TFM_SITE_NONCANONICAL + 1][48];
    size_t lmt[TFM_SITE_NONCANONICAL + 1];
    size_t lm = strlen(mode); /* mode and type names: a few characters (printf here cost 10%) */
    for (int ty = 0; ty <= TFM_SITE_NONCANONICAL; ty++) {
        const char *name = tfm_site_type_name(ty);
        size_t ln = strlen(name);
        memcpy(mt[ty], mode, lm), mt[ty][lm] = '\t';
        memcpy(mt[ty] + lm + 1, name, ln), mt[ty][lm + 1 + ln] = '\t';
        lmt[ty] = lm + ln + 2;
    }
    size_t lmi = strlen(mirna_id), lmr = strlen(mrna_id), lmode = sizeof mt[0], lseq = strlen(mirna_seq);
    size_t lgene = j->gene ? strlen(j->gene) : 0, lfam = family ? strlen(family) : 0;
    size_t lextra = j->extra ? strlen(j->extra) : 0;
    /* all but the site's own text, its numbers (11 characters each at most) and alignments */
    size_t fixed = lmi + lmr + lmode + lseq + lgene + lfam + lextra + 16 + 4 * 12 + 2 * TFM_ESA_MAXALN + 16;
    for (size_t i = 0; i < nsite; i++) {
        const tfm_site_t *x = &site[i];
        size_t lsite = (size_t)(x->end - x->start + 1);
        ks_resize(s, s->l + fixed + lsite);
        char *p = s->s + s->l;
        p = put_str(p, mirna_id, lmi), *p++ = '\t';
        p = put_str(p, mrna_id, lmr), *p++ = '\t';
        p = put_int(p, x->start + off), *p++ = '\t';
        p = put_int(p, x->end + off), *p++ = '\t';
        int ty = (unsigned)x->type <= TFM_SITE_NONCANONICAL ? x->type : TFM_SITE_NONCANONICAL;
        p = put_str(p, mt[ty], lmt[ty]);
        p = put_int(p, x->errors), *p++ = '\t';
        p = put_str(p, mirna_seq, lseq), *p++ = '\t';
        p = put_str(p, j->mrna_seq + x->start - 1, lsite);
        if (esa) {
            *p++ = '\t', p = put_int(p, x->esa_score);
            *p++ = '\t', p = put_str(p, x->mirna_aln, strlen(x->mirna_aln));
            *p++ = '\t', p = put_str(p, x->site_aln, strlen(x->site_aln));
        }
        if (j->gene) p = put_str(p, j->gene, lgene); /* put_tail's columns */
        if (family) *p++ = '\t', p = put_str(p, family, lfam);
        if (j->extra) p = put_str(p, j->extra, lextra);
        *p++ = '\n';
        s->l = (size_t)(p - s->s);
        s->s[s->l] = 0;
    }
}

/* ---- jobs ---- */

static const char *family(const mirna_set_t *ms, int i) { return ms->set.members ? ms->set.members[i] : NULL; }
static int fuzzy_mode(enum tfm_mode m) { return m != TFM_MODE_CANONICAL && m != TFM_MODE_ESA; }

/* One miRNA against a range of a long transcript: its sites' rows, no 'none' row (the writer
 * adds it after the pair's last range); in a fuzzy mode also what the join needs. */
static void run_range(wave_t *w, job_t *j, const tfm_seed_mirna_t *m, const char *mid, const char *mseq,
                      const char *fam, const tfm_seed_target_t *t, int thread)
{
    const opt_t *o = w->opt;
    tfm_seed_scratch_t *sc = &w->scratch[thread];
    size_t n = tfm_seed_find_range(&o->seed, m, t, sc, j->p0, j->p1, &w->sites[thread], &w->site_cap[thread]);
    j->sites = (long)n;
    if (!fuzzy_mode(o->seed.mode)) {
        if (n) put_rows(&j->out, o, mid, mseq, fam, j, w->sites[thread], n);
        return;
    }
    TFM_GROW(j->match, j->match_cap, n + 1);
    TFM_GROW(j->row_end, j->row_cap, n + 1);
    if (n) memcpy(j->match, sc->match, n * sizeof *j->match);
    j->anchor = sc->anchor;
    for (size_t i = 0; i < n; i++) {
        put_rows(&j->out, o, mid, mseq, fam, j, w->sites[thread] + i, 1);
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
        if (j->mirna_seq) run_range(w, j, &j->mirna, j->mirna_id, j->mirna_seq, NULL, t, thread);
        else run_range(w, j, &ms->m[j->m0], ms->id[j->m0], ms->seq[j->m0], family(ms, j->m0), t, thread);
        return;
    }
    if (j->mirna_seq) { /* a pair */
        size_t n = tfm_seed_find(&o->seed, &j->mirna, t, &w->scratch[thread], &w->sites[thread], &w->site_cap[thread]);
        put_rows(&j->out, o, j->mirna_id, j->mirna_seq, NULL, j, w->sites[thread], n);
        j->sites = (long)n, j->empty = n == 0;
        return;
    }
    if (w->index) { /* the block's miRNAs at once */
        size_t nh = tfm_seed_index_scan_block(w->index, j->mrna_seq, j->mrna_len, j->m0, j->m1, &w->hits[thread],
                                              &w->hit_cap[thread]);
        const tfm_seed_hit_t *h = w->hits[thread];
        size_t k = 0;
        for (int mi = j->m0; mi < j->m1; mi++) {
            size_t n = 0;
            for (; k < nh && h[k].mirna == mi; k++, n++) {
                if (n + 1 > w->site_cap[thread]) TFM_GROW(w->sites[thread], w->site_cap[thread], n + 1);
                tfm_site_t *x = &w->sites[thread][n];
                memset(x, 0, sizeof *x);
                x->start = h[k].start, x->end = h[k].end, x->type = h[k].type, x->errors = h[k].errors;
            }
            put_rows(&j->out, o, ms->id[mi], ms->seq[mi], family(ms, mi), j, w->sites[thread], n);
            j->sites += (long)n, j->empty += n == 0;
        }
        return;
    }
    for (int mi = j->m0; mi < j->m1; mi++) {
        size_t n = tfm_seed_find(&o->seed, &ms->m[mi], t, &w->scratch[thread], &w->sites[thread], &w->site_cap[thread]);
        put_rows(&j->out, o, ms->id[mi], ms->seq[mi], family(ms, mi), j, w->sites[thread], n);
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
    const char *fam = j->mirna_seq ? NULL : family(ms, j->m0);
    if (j->first) w->pair_sites = 0, w->carry = -1;
    tfm_seed_target_t t;
    tfm_seed_target_set(&t, j->mrna_seq, j->mrna_len, &o->seed);
    size_t skip, n = tfm_seed_join(&o->seed, m, &t, &w->scratch[0], j->p0, j->p1, w->carry, j->match,
                                   (size_t)j->sites, j->anchor, &skip, &w->carry, &w->sites[0], &w->site_cap[0]);
    w->joined.l = 0;
    if (n) put_rows(&w->joined, o, mid, mseq, fam, j, w->sites[0], n);
    size_t from = skip ? j->row_end[skip - 1] : 0;
    long sites = (long)n + j->sites - (long)skip;
    w->pair_sites += sites, w->nsites += sites;
    if (j->last && w->pair_sites == 0) {
        put_rows(&w->joined, o, mid, mseq, fam, j, NULL, 0);
        w->nempty++;
    }
    tfm_out_write(out, w->joined.s, w->joined.l);
    tfm_out_write(out, j->out.s + from, j->out.l - from);
}

/* Run the wave's jobs and write their rows in job order. */
static void flush_wave(wave_t *w, tfm_pool_t *pool, tfm_out_t *out)
{
    tfm_pool_run(pool, w->njob, run_job, w);
    size_t kept = 0; /* bytes of row buffers kept for the next wave */
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
        /* keep memory to what the next wave needs: a job's buffer up to twice a job's expected
         * output, all of them up to twice a wave's (freeing every buffer of a typical job made
         * the next wave grow it again: realloc copies and page faults were 40% of tfm-seed's
         * CPU time in the default mode) */
        if (j->out.m > 2 * JOB_BYTES || kept + j->out.m > 2 * WAVE_BYTES * (size_t)tfm_pool_threads(pool)) {
            free(j->out.s);
            j->out = (kstring_t){0, 0, NULL};
        }
        kept += j->out.m;
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

/* --shard: nucleotides searched over the whole file, read with the same selection and checks. */
static uint64_t count_nt(const char *tpath, const opt_t *o, const bad_t *bad)
{
    tfm_fasta_t *f = tfm_fasta_open(tpath, TFM_ALPHA_ACGUN, 1);
    if (!f) tfm_die_last();
    tfm_seq_t rec = {0};
    tfm_tx_t tx = {0};
    bad_t quiet = *bad;
    quiet.silent = 1;
    uint64_t total = 0;
    while (next_transcript(f, &rec, &tx, o, &quiet)) total += tx.to - tx.from;
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    tfm_tx_free(&tx);
    return total;
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
            j->off = proto->off, j->gene = proto->gene;
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

/* All-vs-all: stream the transcripts; each is cut into jobs of miRNA blocks (or ranges). The
 * header is written once the first transcript shows whether the file has GENCODE headers (gene
 * columns). */
static void run_all_vs_all(const opt_t *o, const char *tpath, const mirna_set_t *ms, tfm_pool_t *pool, tfm_out_t *out,
                           bad_t *bad, stats_t *st)
{
    tfm_fasta_t *f = tfm_fasta_open(tpath, TFM_ALPHA_ACGUN, 1);
    if (!f) tfm_die_last();
    int threads = tfm_pool_threads(pool);
    wave_t w;
    wave_init(&w, o, threads);
    w.mirnas = ms;
    tfm_seed_index_t *index = NULL;
    if (o->seed.mode != TFM_MODE_ESA && !(index = tfm_seed_index_new(&o->seed, ms->m, ms->n))) tfm_die_last();
    w.index = index;
    tfm_seq_t rec = {0};
    tfm_tx_t tx = {0};
    long ntx = 0;
    size_t wave_nt = 0;
    int more = next_transcript(f, &rec, &tx, o, bad);
    kstring_t head = {0};
    w.gene_cols = more && tx.h.gencode;
    put_header(&head, o, w.gene_cols, NULL, NULL, 0);
    tfm_out_write(out, head.s, head.l);
    free(head.s);
    /* --shard: transcript i goes to block floor(mid_i * N / L), mid_i the midpoint of its
     * bases (of the part searched) in the concatenated transcriptome of L nt; blocks are
     * contiguous and of about equal length. A first pass (with all the checks of the reader)
     * gives L. */
    uint64_t total = o->shard_n > 1 ? count_nt(tpath, o, bad) : 0, cum = 0;
    if (o->shard_n > 1 && total == 0) total = 1;
    double done_frac = -1, shard_nt = (double)total / (double)o->shard_n, first_nt = -1;
    /* Progress: of the shard's nucleotides with --shard, else of the transcripts of an indexed
     * file, else of the bytes of a file; a pipe gets count and rate only. */
    tfm_meter_t pm;
    tfm_meter_start(&pm, "transcripts", o->shard_n == 1 && tfm_progress_on() ? (double)indexed_transcripts(tpath) : 0);
    long nrec = 0;
    for (; more; more = next_transcript(f, &rec, &tx, o, bad)) {
        size_t len = tx.to - tx.from;
        nrec++;
        if (o->shard_n > 1) {
            uint64_t mid2 = 2 * cum + len;
            cum += len;
            long s = (long)(mid2 * (uint64_t)o->shard_n / (2 * total));
            if (s < o->shard_k - 1) continue;
            if (s > o->shard_k - 1) break;
            if (first_nt < 0) first_nt = (double)(cum - len);
            done_frac = ((double)cum - first_nt) / shard_nt; /* about: blocks are length-balanced */
        }
        ntx++;
        /* a canonical index job reads the transcript once for all its miRNAs: it may write a
         * wave's worth; a fuzzy one once per group of miRNAs, so blocks are whole groups */
        int canonical = o->seed.mode == TFM_MODE_CANONICAL;
        long block = (long)((canonical ? WAVE_BYTES : JOB_BYTES) / bytes_per_nt(o->seed.mode) / (double)(len + 1));
        if (fuzzy_mode(o->seed.mode) && block >= TFM_FUZZY_LANES) block -= block % TFM_FUZZY_LANES;
        if (block < 1 || (double)(len + 1) * ms->n * bytes_per_nt(o->seed.mode) > (double)threads * WAVE_BYTES) {
            job_t proto = {.mrna_id = tx.h.id, .mrna_seq = rec.seq + tx.from, .mrna_len = len, .off = tx.from,
                           .gene = w.gene_cols ? tx.gene.s : NULL};
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
                size_t o1, o2;
                kputs(tx.h.id, &j->store), kputc(0, &j->store);
                o1 = j->store.l, kputs(tx.gene.s, &j->store), kputc(0, &j->store);
                o2 = j->store.l, kputsn(rec.seq + tx.from, len, &j->store);
                j->mrna_id = j->store.s;
                j->gene = w.gene_cols ? j->store.s + o1 : NULL;
                j->mrna_seq = j->store.s + o2;
            } else {
                job_t *first = j - 1;
                j->mrna_id = first->mrna_id, j->mrna_seq = first->mrna_seq, j->gene = first->gene;
            }
            j->mrna_len = len, j->off = tx.from;
            j->m0 = m0;
            j->m1 = m0 + (int)block > ms->n ? ms->n : m0 + (int)block;
        }
        /* A transcript's jobs must stay in one wave (they share its copy). */
        wave_nt += len;
        if (w.njob >= WAVE_JOBS || (double)wave_nt * ms->n * bytes_per_nt(o->seed.mode) >= (double)threads * WAVE_BYTES) {
            flush_wave(&w, pool, out);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)ntx, o->shard_n > 1 ? done_frac : tfm_fasta_fraction(f));
        }
    }
    if (nrec == 0) tfm_warn("%s: no transcript records: no pairs to search", tfm_fasta_name(f));
    flush_wave(&w, pool, out);
    tfm_meter_set(&pm, (double)ntx, pm.frac);
    tfm_meter_end(&pm);
    tfm_seed_index_free(index);
    collect_stats(&w, threads, ntx * ms->n, st);
    wave_free(&w, threads);
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    tfm_tx_free(&tx);
}

/* Pairs: each row of the pairs TSV (lib/pairs.h) is a job. */

/* The sequences of the current pair row: the miRNA's, the transcript's with the part searched
 * [from, to) and its gene columns (or NULL); -1 (a message naming the line) when the row cannot
 * be searched. */
static int pair_sequences(const opt_t *o, tfm_tsv_t *t, const tfm_pairs_t *c, const mirna_set_t *ms,
                          const transcript_set_t *ts, tfm_faidx_t *fx, tfm_seq_t *trec, tfm_tx_t *tx, const char **mseq,
                          const char **rseq, size_t *from, size_t *to, const char **gene)
{
    const char *mi = t->f[c->mirna_id], *mr = t->f[c->mrna_id];
    int has = tfm_pairs_mirna_seq(c, t, mseq);
    if (has < 0) return -1;
    if (!has) {
        int i = tfm_mirset_find(&ms->set, mi);
        if (i < 0) return tfm_fail("%s:%ld: miRNA '%s' is not in the miRNA FASTA", t->name, t->lineno, mi);
        *mseq = ms->seq[i];
    }
    size_t mlen = strlen(*mseq);
    if (mlen < TFM_MIRNA_MIN || mlen > TFM_MIRNA_MAX)
        return tfm_fail("%s:%ld: miRNA length %zu is outside %d..%d nt (pair %s/%s)", t->name, t->lineno, mlen,
                        TFM_MIRNA_MIN, TFM_MIRNA_MAX, mi, mr);
    if ((has = tfm_pairs_mrna_seq(c, t, rseq, to)) != 0) return has < 0 ? -1 : 0;
    if (fx) { /* an indexed FASTA: ids are whole headers */
        if (!trec->id || strcmp(trec->id, mr) != 0) {
            int f = tfm_faidx_fetch(fx, mr, trec);
            if (f == 0) return tfm_fail("%s:%ld: transcript '%s' is not in the transcript FASTA", t->name, t->lineno, mr);
            if (f < 0 || tfm_tx_header(tx, trec, NULL, o->region) < 0) {
                char msg[1024];
                snprintf(msg, sizeof msg, "%s", tfm_last_error());
                if (trec->id) trec->id[0] = 0; /* no reuse of a bad record */
                return tfm_fail("%s:%ld: %s", t->name, t->lineno, msg);
            }
        }
        *rseq = trec->seq;
        *from = tx->from, *to = tx->to, *gene = tx->gene.s;
    } else {
        int i = lookup(ts->by_id, mr);
        if (i < 0) return tfm_fail("%s:%ld: transcript '%s' is not in the transcript FASTA", t->name, t->lineno, mr);
        *rseq = ts->seq[i];
        *from = ts->from[i], *to = ts->to[i], *gene = ts->gene[i];
    }
    return 0;
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

static void run_pairs(const opt_t *o, tfm_tsv_t *t, tfm_pairs_t *c, const mirna_set_t *ms,
                      const transcript_set_t *ts, tfm_faidx_t *fx, int gene_cols, tfm_pool_t *pool, tfm_out_t *out,
                      bad_t *bad, stats_t *st)
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
    tfm_tx_t tx = {0};        /* its header */
    wave_t w;
    int threads = tfm_pool_threads(pool);
    wave_init(&w, o, threads);
    long npairs = 0;
    size_t wave_nt = 0;
    int r;
    kstring_t extra = {0};
    while ((r = tfm_tsv_read(t)) == 1) {
        const char *mi = t->f[c->mirna_id], *mr = t->f[c->mrna_id];
        if (!tfm_select_match(o->mirsel, mi)) continue;
        if (tfm_pairs_check_ids(c, t) < 0) {
            bad_record(bad, &bad->rows, tfm_last_error());
            continue;
        }
        /* a repeat would split a pair's rows (checked among the last TFM_RECENT_PAIRS) */
        if (tfm_pairs_check_repeat(c, t) < 0) tfm_die_last();
        if (o->shard_n > 1) {
            long s = (long)((double)row++ * (double)o->shard_n / (double)nrows);
            if (s < o->shard_k - 1) continue;
            if (s > o->shard_k - 1) break;
        }

        const char *mseq = NULL, *rseq = NULL, *gene = NULL;
        size_t from = 0, to = 0;
        if (pair_sequences(o, t, c, ms, ts, fx, &trec, &tx, &mseq, &rseq, &from, &to, &gene) < 0) {
            bad_record(bad, &bad->rows, tfm_last_error());
            continue;
        }
        size_t mlen = strlen(mseq);
        npairs++;
        if (JOB_BYTES / bytes_per_nt(o->seed.mode) / (double)(to - from + 1) < 1) {
            /* a long transcript: ranges of it, run now, from the row as read (not copied) */
            extra.l = 0;
            tfm_pairs_put_extra(c, t, &extra);
            job_t proto = {.mirna_id = mi, .mirna_seq = mseq, .mrna_id = mr, .mrna_seq = rseq + from,
                           .mrna_len = to - from, .off = from, .gene = gene_cols ? (gene ? gene : "\t.\t.") : NULL,
                           .extra = extra.s ? extra.s : ""};
            run_now(&w, pool, out, &proto, 1, 0);
            wave_nt = 0;
            tfm_meter_set(&pm, (double)npairs, o->shard_n > 1 ? -1 : tfm_tsv_fraction(t));
            continue;
        }

        /* copy what the job needs: ids, sequences, pass-through columns */
        job_t *j = new_job(&w);
        size_t off[6];
        off[0] = j->store.l, kputs(mi, &j->store), kputc(0, &j->store);
        off[1] = j->store.l, kputs(mr, &j->store), kputc(0, &j->store);
        off[2] = j->store.l, kputs(mseq, &j->store), kputc(0, &j->store);
        off[3] = j->store.l, kputsn(rseq + from, to - from, &j->store), kputc(0, &j->store);
        off[4] = j->store.l;
        tfm_pairs_put_extra(c, t, &j->store);
        kputc(0, &j->store);
        off[5] = j->store.l, kputs(gene ? gene : "\t.\t.", &j->store), kputc(0, &j->store);
        j->mirna_id = j->store.s + off[0];
        j->mrna_id = j->store.s + off[1];
        j->mirna_seq = j->store.s + off[2];
        j->mrna_seq = j->store.s + off[3];
        j->mrna_len = to - from, j->off = from;
        j->extra = j->store.s + off[4];
        j->gene = gene_cols ? j->store.s + off[5] : NULL;
        if (tfm_seed_mirna_init(&j->mirna, j->mirna_seq, (int)mlen, &o->seed) < 0) tfm_die_last();
        wave_nt += to - from;
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
    free(extra.s);
    tfm_seq_free(&trec);
    tfm_tx_free(&tx);
    collect_stats(&w, threads, npairs, st);
    wave_free(&w, threads);
}

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-seed");
    opt_t o = {.threads = 1, .shard_k = 1, .shard_n = 1, .region = TFM_REGION_UTR3};
    tfm_seed_opt_init(&o.seed);
    tfm_common_t co;
    tfm_common_init(&co);
    o.mirsel = tfm_select_new(), o.genesel = tfm_select_new();
    enum { OPT_COMPAT = 256, OPT_MIN_ESA, OPT_BED, OPT_SHARD, OPT_NO_HEADER, OPT_SPECIES, OPT_MIRNA, OPT_MIRNA_FILE,
           OPT_FAMILY, OPT_REGION, OPT_GENE, OPT_SKIP_BAD };
    static const struct option longopts[] = {
        {"mode", required_argument, 0, 'm'},     {"compat", required_argument, 0, OPT_COMPAT},
        {"min-esa", required_argument, 0, OPT_MIN_ESA}, {"pairs", required_argument, 0, 'p'},
        {"bed", no_argument, 0, OPT_BED},
        {"shard", required_argument, 0, OPT_SHARD}, {"no-header", no_argument, 0, OPT_NO_HEADER},
        {"species", required_argument, 0, OPT_SPECIES}, {"mirna", required_argument, 0, OPT_MIRNA},
        {"mirna-file", required_argument, 0, OPT_MIRNA_FILE}, {"family", no_argument, 0, OPT_FAMILY},
        {"region", required_argument, 0, OPT_REGION}, {"gene", required_argument, 0, OPT_GENE},
        {"skip-bad", no_argument, 0, OPT_SKIP_BAD},
        TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "m:p:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
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
        case OPT_BED: o.bed = 1; break;
        case OPT_SHARD: parse_shard(optarg, &o.shard_k, &o.shard_n); break;
        case OPT_NO_HEADER: o.no_header = 1; break;
        case OPT_SPECIES: tfm_select_add_prefixes(o.mirsel, optarg); break;
        case OPT_MIRNA: tfm_select_add_ids(o.mirsel, optarg); break;
        case OPT_MIRNA_FILE:
            if (tfm_select_add_file(o.mirsel, optarg) < 0) tfm_die_last();
            break;
        case OPT_FAMILY: o.family = 1; break;
        case OPT_REGION:
            if ((c = tfm_region_parse(optarg)) < 0) tfm_usage_error("unknown --region '%s' (utr3, cds, utr5, all)", optarg);
            o.region = c;
            break;
        case OPT_GENE: tfm_select_add_ids(o.genesel, optarg); break;
        case OPT_SKIP_BAD: o.skip_bad = 1; break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    o.threads = co.threads, o.output = co.output, o.verbose = co.verbose;
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
    if (o.pairs && o.family) tfm_usage_error("--family applies to MIRNAS.fa x TRANSCRIPTS.fa, not to --pairs");
    const char *mpath = nargs ? argv[optind] : NULL, *tpath = nargs ? argv[optind + 1] : NULL;
    if (mpath && strcmp(mpath, "-") == 0 && strcmp(tpath, "-") == 0) tfm_usage_error("only one input can be stdin");
    if (o.shard_n > 1 && strcmp(o.pairs ? o.pairs : tpath, "-") == 0)
        tfm_usage_error("--shard reads %s twice: it cannot be stdin", o.pairs ? "PAIRS.tsv" : "TRANSCRIPTS.fa");

    double t0 = tfm_seconds();
    tfm_pool_t *pool = tfm_pool_new(o.threads);
    tfm_out_t *out = tfm_out_open(o.output);
    mirna_set_t ms = {0};
    transcript_set_t ts = {0};
    stats_t st = {0};
    bad_t bad = {.skip = o.skip_bad};
    if (!o.pairs) {
        load_mirnas(mpath, &o, &bad, &ms);
        run_all_vs_all(&o, tpath, &ms, pool, out, &bad, &st);
    } else {
        tfm_tsv_t *t = tfm_tsv_open(o.pairs, 1, 0, NULL);
        if (!t) tfm_die_last();
        tfm_pairs_t pc;
        if (tfm_pairs_init(&pc, t, TFM_RECENT_PAIRS) < 0) tfm_die_last();
        if ((pc.mirna_seq < 0 || pc.mrna_seq < 0) && !mpath)
            tfm_usage_error("%s has no %s column: give MIRNAS.fa and TRANSCRIPTS.fa to look ids up", t->name,
                            pc.mirna_seq < 0 ? "mirna_seq" : "mrna_seq");
        if (mpath && pc.mirna_seq < 0) load_mirnas(mpath, &o, &bad, &ms);
        tfm_faidx_t *fx = NULL;
        int gene_cols = 0;
        if (tpath && pc.mrna_seq < 0) {
            int err;
            fx = tfm_faidx_open(tpath, TFM_ALPHA_ACGUN, &err);
            if (err) tfm_die_last();
            if (!fx) load_transcripts(tpath, &o, &bad, &ts); /* no index: the whole FASTA in memory */
            gene_cols = (fx ? tfm_tx_first_is_gencode(tpath) : ts.gencode) && tfm_tsv_col(t, "gene_id") < 0;
        }
        kstring_t head = {0};
        put_header(&head, &o, gene_cols, t, pc.extra, pc.nextra);
        tfm_out_write(out, head.s, head.l);
        free(head.s);
        run_pairs(&o, t, &pc, &ms, &ts, fx, gene_cols, pool, out, &bad, &st);
        tfm_faidx_close(fx);
        tfm_pairs_free(&pc);
        tfm_tsv_close(t);
    }
    const char *missing = tfm_select_missing(o.genesel);
    if (missing) tfm_die("%s: no transcript of gene '%s' (--gene)", tpath ? tpath : o.pairs, missing);
    if (o.pairs && (missing = tfm_select_missing(o.mirsel)))
        tfm_warn("%s: no pair of miRNA '%s' (--mirna)", o.pairs, missing);
    tfm_out_close(out, 1);
    if (bad.mirnas + bad.transcripts + bad.rows)
        tfm_warn("--skip-bad: left out %ld miRNA records, %ld transcript records, %ld pair rows", bad.mirnas,
                 bad.transcripts, bad.rows);
    if (o.verbose || tfm_progress_on()) {
        tfm_progress_done();
        char win[64] = "";
        if (o.seed.mode == TFM_MODE_ESA) snprintf(win, sizeof win, ", %llu windows scanned", (unsigned long long)st.windows);
        tfm_summary(t0, "%ld pairs, %ld sites, %ld pairs without a site, %.2f Mnt searched%s", st.pairs, st.sites,
                    st.empty, st.nt / 1e6, win);
    }
    free_mirnas(&ms);
    free_transcripts(&ts);
    tfm_pool_free(pool);
    tfm_select_free(o.mirsel), tfm_select_free(o.genesel);
    return 0;
}
