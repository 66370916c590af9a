#include "mirset.h"

#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed.h"
#include "seqcheck.h"
#include "seqio.h"
#include "util.h"

KHASH_MAP_INIT_STR(mirid, int)

static void index_ids(tfm_mirset_t *set)
{
    khash_t(mirid) *h = set->by_id ? set->by_id : kh_init(mirid);
    kh_clear(mirid, h);
    for (int i = 0; i < set->n; i++) {
        int absent;
        khint_t k = kh_put(mirid, h, set->id[i], &absent);
        kh_val(h, k) = i;
    }
    set->by_id = h;
}

int tfm_mirset_load(tfm_mirset_t *set, const char *path, tfm_select_t *sel, tfm_bad_fn on_bad, void *ctx)
{
    memset(set, 0, sizeof *set);
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGU, 1);
    if (!f) return -1;
    tfm_seq_t rec = {0};
    size_t cap = 0;
    int r;
    while ((r = tfm_fasta_read(f, &rec)) != 0) {
        if (r == -1) break;
        if (sel && !tfm_select_match(sel, rec.id)) continue; /* not asked for: not checked either */
        if (r == 1) { /* letters: the reader (ACGU); the length by the one rule (lib/seqcheck.h) */
            char name[96];
            snprintf(name, sizeof name, "record %s", rec.id);
            if (tfm_seq_validate(&tfm_rule_mirna, name, rec.seq, rec.len) < 0) {
                char msg[1024]; /* tfm_fail overwrites tfm_last_error() */
                snprintf(msg, sizeof msg, "%s", tfm_last_error());
                tfm_fail("%s:%ld: %s", tfm_fasta_name(f), rec.line, msg);
                r = TFM_FASTA_BAD;
            }
        }
        if (r == TFM_FASTA_BAD) {
            if (!on_bad) break;
            on_bad(ctx, tfm_last_error());
            continue;
        }
        size_t c = cap;
        TFM_GROW(set->id, c, (size_t)set->n + 1);
        set->seq = tfm_realloc(set->seq, c * sizeof *set->seq);
        cap = c;
        set->id[set->n] = tfm_strdup(rec.id);
        set->seq[set->n++] = tfm_strdup(rec.seq);
    }
    if (r == 0 && set->n == 0 && !(sel && tfm_select_active(sel)))
        r = tfm_fail("%s: no miRNA records", tfm_fasta_name(f));
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    index_ids(set);
    return r < 0 ? -1 : 0;
}

void tfm_mirset_family(tfm_mirset_t *set)
{
    khash_t(mirid) *seeds = kh_init(mirid); /* seed (nt 2-8) -> representative's new index */
    kstring_t *mem = tfm_calloc(set->n ? set->n : 1, sizeof *mem);
    int n = 0;
    for (int i = 0; i < set->n; i++) {
        char seed[8];
        memcpy(seed, set->seq[i] + 1, 7), seed[7] = 0;
        int absent;
        khint_t k = kh_put(mirid, seeds, seed, &absent);
        if (!absent) {
            kstring_t *m = &mem[kh_val(seeds, k)];
            kputc(',', m), kputs(set->id[i], m);
            free(set->id[i]), free(set->seq[i]);
            continue;
        }
        kh_key(seeds, k) = tfm_strdup(seed);
        kh_val(seeds, k) = n;
        kputs(set->id[i], &mem[n]);
        set->id[n] = set->id[i], set->seq[n] = set->seq[i];
        n++;
    }
    set->n = n;
    set->members = tfm_malloc((n ? n : 1) * sizeof *set->members);
    for (int i = 0; i < n; i++) set->members[i] = mem[i].s;
    free(mem);
    for (khint_t k = 0; k < kh_end(seeds); k++)
        if (kh_exist(seeds, k)) free((char *)kh_key(seeds, k));
    kh_destroy(mirid, seeds);
    index_ids(set);
}

int tfm_mirset_find(const tfm_mirset_t *set, const char *id)
{
    khash_t(mirid) *h = set->by_id;
    if (!h) return -1;
    khint_t k = kh_get(mirid, h, id);
    return k == kh_end(h) ? -1 : kh_val(h, k);
}

void tfm_mirset_free(tfm_mirset_t *set)
{
    for (int i = 0; i < set->n; i++) {
        free(set->id[i]), free(set->seq[i]);
        if (set->members) free(set->members[i]);
    }
    free(set->id), free(set->seq), free(set->members);
    if (set->by_id) kh_destroy(mirid, (khash_t(mirid) *)set->by_id);
    memset(set, 0, sizeof *set);
}
