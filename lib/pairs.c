#include "pairs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recent.h"
#include "seqcheck.h"
#include "util.h"

int tfm_pairs_init(tfm_pairs_t *p, const tfm_tsv_t *t, size_t window)
{
    memset(p, 0, sizeof *p);
    if ((p->mirna_id = tfm_tsv_need(t, "mirna_id")) < 0 || (p->mrna_id = tfm_tsv_need(t, "mrna_id")) < 0) return -1;
    p->mirna_seq = tfm_tsv_col(t, "mirna_seq");
    p->mrna_seq = tfm_tsv_col(t, "mrna_seq");
    p->extra = tfm_malloc(t->ncols * sizeof *p->extra);
    for (int i = 0; i < t->ncols; i++)
        if (i != p->mirna_id && i != p->mrna_id && i != p->mirna_seq && i != p->mrna_seq) p->extra[p->nextra++] = i;
    p->seen = tfm_recent_new(window);
    return 0;
}

void tfm_pairs_free(tfm_pairs_t *p)
{
    free(p->extra);
    if (p->seen) tfm_recent_free(p->seen);
    free(p->key.s);
    memset(p, 0, sizeof *p);
}

int tfm_pairs_check_ids(const tfm_pairs_t *p, const tfm_tsv_t *t)
{
    const char *mi = t->f[p->mirna_id], *mr = t->f[p->mrna_id];
    if (*mi && *mr) return 0;
    return tfm_fail("%s:%ld: empty %s", t->name, t->lineno, *mi ? "mrna_id" : "mirna_id");
}

int tfm_pairs_check_repeat(tfm_pairs_t *p, const tfm_tsv_t *t)
{
    const char *mi = t->f[p->mirna_id], *mr = t->f[p->mrna_id];
    p->key.l = 0;
    ksprintf(&p->key, "%s\t%s", mi, mr);
    long first = tfm_recent_put(p->seen, p->key.s, p->key.l, t->lineno);
    if (first < 0) return 0;
    return tfm_fail("%s:%ld: pair %s/%s repeated (first on line %ld)", t->name, t->lineno, mi, mr, first);
}

/* Check a sequence column by its rule and normalise it in place; -1 with a message naming line,
 * pair and column. */
static int check_seq(const tfm_pairs_t *p, tfm_tsv_t *t, int col, const tfm_seqrule_t *rule)
{
    if (tfm_seq_validate(rule, t->cols[col], t->f[col], t->flen[col]) < 0) {
        char msg[1024]; /* tfm_fail overwrites tfm_last_error() */
        snprintf(msg, sizeof msg, "%s", tfm_last_error());
        return tfm_fail("%s:%ld: pair %s/%s: %s", t->name, t->lineno, t->f[p->mirna_id], t->f[p->mrna_id], msg);
    }
    tfm_seq_normalise(t->f[col], t->flen[col], rule->alpha);
    return 1;
}

int tfm_pairs_mirna_seq(const tfm_pairs_t *p, tfm_tsv_t *t, const char **seq)
{
    if (p->mirna_seq < 0) return 0;
    int r = check_seq(p, t, p->mirna_seq, &tfm_rule_mirna);
    if (r > 0) *seq = t->f[p->mirna_seq];
    return r;
}

int tfm_pairs_mrna_seq(const tfm_pairs_t *p, tfm_tsv_t *t, const char **seq, size_t *len)
{
    if (p->mrna_seq < 0) return 0;
    int r = check_seq(p, t, p->mrna_seq, &tfm_rule_transcript);
    if (r > 0) *seq = t->f[p->mrna_seq], *len = t->flen[p->mrna_seq];
    return r;
}

void tfm_pairs_put_extra(const tfm_pairs_t *p, const tfm_tsv_t *t, kstring_t *s)
{
    for (int e = 0; e < p->nextra; e++) kputc('\t', s), kputs(t->f[p->extra[e]], s);
}
