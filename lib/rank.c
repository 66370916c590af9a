#include "rank.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* < 0 when a ranks before b. */
static int cmp_rows(const tfm_rank_row_t *a, const tfm_rank_row_t *b)
{
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    int c = strcmp(a->tie, b->tie);
    if (c) return c;
    return (a->order > b->order) - (a->order < b->order);
}

static int cmp_qsort(const void *a, const void *b) { return cmp_rows(a, b); }

static void set_row(tfm_rank_row_t *r, double score, const char *tie, const char *line, size_t len, long order)
{
    r->line = tfm_realloc(r->line, len + 1);
    memcpy(r->line, line, len), r->line[len] = 0;
    r->len = len, r->score = score, r->order = order;
    free(r->tie);
    r->tie = tfm_strdup(tie);
}

void tfm_rank_add(tfm_rank_group_t *g, double score, const char *tie, const char *line, size_t len, long order)
{
    g->total++;
    if (!g->top) { /* all rows: sorted once at the end */
        size_t old = g->cap;
        TFM_GROW(g->row, g->cap, g->n + 1);
        memset(g->row + old, 0, (g->cap - old) * sizeof *g->row);
        set_row(&g->row[g->n++], score, tie, line, len, order);
        return;
    }
    /* top N: the kept rows stay sorted; a new row goes in at its place, the worst drops out */
    tfm_rank_row_t x = {NULL, len, score, (char *)tie, order};
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_rows(&g->row[mid], &x) < 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= (size_t)g->top) return;
    if (g->n < (size_t)g->top) {
        size_t old = g->cap;
        TFM_GROW(g->row, g->cap, g->n + 1);
        memset(g->row + old, 0, (g->cap - old) * sizeof *g->row);
        g->n++;
    }
    tfm_rank_row_t spare = g->row[g->n - 1]; /* the row that drops out (or an empty one): reused */
    memmove(g->row + lo + 1, g->row + lo, (g->n - 1 - lo) * sizeof *g->row);
    g->row[lo] = spare;
    set_row(&g->row[lo], score, tie, line, len, order);
}

void tfm_rank_sort(tfm_rank_group_t *g)
{
    if (!g->top) qsort(g->row, g->n, sizeof *g->row, cmp_qsort);
}

double tfm_rank_percentile(long r, long n) { return 100.0 * (double)(n - r + 1) / (double)n; }

void tfm_rank_clear(tfm_rank_group_t *g)
{
    for (size_t i = 0; i < g->cap; i++) free(g->row[i].line), free(g->row[i].tie);
    free(g->row);
    long top = g->top;
    memset(g, 0, sizeof *g);
    g->top = top;
}
