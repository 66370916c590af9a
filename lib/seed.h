/* seed: candidate target sites of a miRNA on a transcript.
 *
 * Modes (specs/heads.md sections 4-5, data/README.md "TargetNet"):
 *   canonical        TargetScan site types of miRNA nt 2-8: 8mer, 7mer-m8, 7mer-A1, 6mer,
 *                    offset-6mer; the site itself is reported.
 *   offset-9-mer-m7, 10-mer-m7, 10-mer-m6
 *                    the fuzzy seed search of TargetFM/deepTarget (regex semantics, lib/fuzzy.h)
 *                    on the reverse complement of the seed (correct antiparallel pairing; the
 *                    original forward complement with compat_targetfm); the 30-nt window that
 *                    ends where the base facing miRNA nt 1 lies is reported.
 *   esa              TargetNet: every 40-nt window of the reversed transcript whose extended seed
 *                    alignment (lib/esa.h) scores >= min_esa.
 * Sequences are normalised RNA (A, C, G, U; N in transcripts never pairs).
 * Coordinates are 1-based inclusive on the transcript 5'->3'. */
#ifndef TFM_SEED_H
#define TFM_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "esa.h"
#include "fuzzy.h"

enum tfm_mode { TFM_MODE_CANONICAL, TFM_MODE_O9M7, TFM_MODE_10M7, TFM_MODE_10M6, TFM_MODE_ESA, TFM_MODE_COUNT };

enum tfm_site_type {
    TFM_SITE_NONE,         /* the row of a pair without any site */
    TFM_SITE_8MER,
    TFM_SITE_7MER_M8,
    TFM_SITE_7MER_A1,
    TFM_SITE_6MER,
    TFM_SITE_OFFSET_6MER,
    TFM_SITE_NONCANONICAL, /* a window whose seed region is none of the canonical types */
};

#define TFM_MIRNA_MIN 15
#define TFM_MIRNA_MAX 30
#define TFM_CTS_SIZE 30    /* window of the fuzzy modes */
#define TFM_ESA_WINDOW 40  /* window of the esa mode */

/* The search of tfm's default model (models/README.md: trained on 10-mer-m7 windows, chosen on
 * the validation split for scores that measure targeting: with a quarter of 10-mer-m6's
 * windows, a background UTR stays low). tests/model.tst checks the model file records it. */
#define TFM_DEFAULT_MODE TFM_MODE_10M7

const char *tfm_mode_name(enum tfm_mode m);
int tfm_mode_parse(const char *s); /* -1 if unknown */
const char *tfm_site_type_name(enum tfm_site_type t);

typedef struct {
    enum tfm_mode mode;
    int compat_targetfm; /* fuzzy modes: search the forward complement as the original did */
    int min_esa;         /* esa: keep windows scoring >= min_esa (default 6) */
} tfm_seed_opt_t;

void tfm_seed_opt_init(tfm_seed_opt_t *o);

typedef struct {
    int32_t start, end;   /* 1-based inclusive */
    int8_t type;          /* enum tfm_site_type */
    int8_t errors;        /* fuzzy: edits of the seed match; esa: 10 - score; canonical: 0 */
    int8_t esa_score;     /* esa only */
    char mirna_aln[TFM_ESA_MAXALN + 1], site_aln[TFM_ESA_MAXALN + 1]; /* esa only */
} tfm_site_t;

/* A miRNA prepared for searching. */
typedef struct {
    const char *seq;      /* not owned */
    int len;
    char rc28[8];         /* reverse complement of nt 2-8: what a 7mer-m8 site reads */
    uint32_t code27, code38; /* 2-bit codes of the 6mer (nt 2-7) and offset-6mer (nt 3-8) sites */
    int seed_offset;      /* fuzzy: stop = match end + seed_offset */
    tfm_fuzzy_t *fuzzy;
} tfm_seed_mirna_t;

/* Prepare; -1 (with a message) if the length is outside TFM_MIRNA_MIN..TFM_MIRNA_MAX. */
int tfm_seed_mirna_init(tfm_seed_mirna_t *m, const char *seq, int len, const tfm_seed_opt_t *opt);
void tfm_seed_mirna_free(tfm_seed_mirna_t *m);

/* A transcript to search. */
typedef struct {
    const char *seq;      /* not owned */
    size_t len;
} tfm_seed_target_t;

void tfm_seed_target_set(tfm_seed_target_t *t, const char *seq, size_t len, const tfm_seed_opt_t *opt);
void tfm_seed_target_free(tfm_seed_target_t *t);

/* Per-thread scratch space. Zero-initialise; free with tfm_seed_scratch_free. */
typedef struct {
    tfm_fuzzy_match_t *match; /* fuzzy: the seed matches of the last search, one per site */
    size_t match_cap;
    int32_t anchor;           /* fuzzy: where the last search's last match ended (tfm_seed_join) */
    char *rev;                /* esa: the reversed stretch of transcript being searched */
    size_t rev_cap;
    uint64_t windows;         /* esa: windows scanned so far (statistics) */
} tfm_seed_scratch_t;
void tfm_seed_scratch_free(tfm_seed_scratch_t *s);

/* Sites of one miRNA on one transcript, sorted by (start, end), then in scan order, into *out
 * (grown as needed). Returns their number (0: no site). */
size_t tfm_seed_find(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                     tfm_seed_scratch_t *s, tfm_site_t **out, size_t *cap);

/* A long transcript in ranges, so that the sites of a 50 Mnt record need not be held at once:
 * the sites whose key lies in [p0, p1) (0-based transcript positions; p1 may exceed the length).
 * The key is the site's start in canonical and esa mode and the start of its seed match in the
 * fuzzy modes; either way sites come in key order, so consecutive ranges give tfm_seed_find's
 * sites in order, with one exception. Fuzzy seed matches do not overlap (regex finditer): a match
 * that starts before p0 and ends after it hides or changes the matches after it. Each range is
 * searched as if no match came across p0, and s->anchor tells where its last match ended;
 * tfm_seed_join mends the join with the range before. */
size_t tfm_seed_find_range(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                           tfm_seed_scratch_t *s, size_t p0, size_t p1, tfm_site_t **out, size_t *cap);

/* Join range [p0, p1) (p0 > 0), searched by tfm_seed_find_range into n_own sites whose matches
 * are own[0..n_own) (s->match then) and whose anchor was own_anchor, to the range before it,
 * whose search ended at anchor `carry`. When no match came across p0 (carry < p0, or not a fuzzy
 * mode) the range's sites stand: 0 is returned, *skip = 0, *anchor_out = own_anchor. Otherwise
 * the range is searched again from `carry` until it meets one of its own matches (from there on
 * the two searches agree): the sites found until then go to *out, their number is returned, and
 * the first *skip of the range's own sites are to be dropped; *anchor_out is where the range
 * really ended (the carry of the next range). */
size_t tfm_seed_join(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, const tfm_seed_target_t *t,
                     tfm_seed_scratch_t *s, size_t p0, size_t p1, int32_t carry, const tfm_fuzzy_match_t *own,
                     size_t n_own, int32_t own_anchor, size_t *skip, int32_t *anchor_out, tfm_site_t **out,
                     size_t *cap);

/* Canonical site type with the transcript base at 0-based position q facing miRNA nt 1
 * (q may be len or len + 1 near the 3' end); TFM_SITE_NONCANONICAL if none. */
enum tfm_site_type tfm_seed_classify(const tfm_seed_mirna_t *m, const char *t, size_t len, long q);

/* Search of many miRNAs at once (all-vs-all), so that a transcript is read once for many of
 * them: canonical, a table from seed 6-mer codes to miRNAs; fuzzy modes, groups of
 * TFM_FUZZY_LANES miRNAs searched side by side (lib/fuzzy.h). Each miRNA gets exactly the sites
 * tfm_seed_find gives it. */
typedef struct tfm_seed_index tfm_seed_index_t;
typedef struct {
    int32_t mirna;        /* index into the array given to tfm_seed_index_new */
    int32_t start, end;
    int8_t type;
    int8_t errors;        /* as tfm_site_t's */
} tfm_seed_hit_t;
/* For miRNAs m[0..n) prepared with opt (which the index reads, so it must outlive it); NULL with
 * tfm_last_error() in esa mode, which has no such search. */
tfm_seed_index_t *tfm_seed_index_new(const tfm_seed_opt_t *opt, const tfm_seed_mirna_t *m, int n);
/* Every site of every miRNA, sorted by (mirna, start, end) (then in scan order). */
size_t tfm_seed_index_scan(const tfm_seed_index_t *ix, const char *t, size_t len, tfm_seed_hit_t **out, size_t *cap);
/* The same for miRNAs m0 <= i < m1 only (a block of them, so that a job's output stays bounded). */
size_t tfm_seed_index_scan_block(const tfm_seed_index_t *ix, const char *t, size_t len, int m0, int m1,
                                 tfm_seed_hit_t **out, size_t *cap);
void tfm_seed_index_free(tfm_seed_index_t *ix);

#endif
