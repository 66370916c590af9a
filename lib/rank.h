/* rank: the rows of one group (a miRNA's targets, a gene's miRNAs) in rank order, the order
 * tfm-rank documents: score from high to low; of equal scores, the tie key (what is ranked: the
 * gene or transcript id, or the miRNA id) in byte order; then input order. Ranks are 1..n with
 * no two equal, so a rank is complete and the same for the same rows in any run. With a top N
 * only the N best rows are kept (the count of all rows stays, for percentiles). */
#ifndef TFM_RANK_H
#define TFM_RANK_H

#include <stddef.h>

typedef struct {
    char *line;   /* the row's text (owned), without line end */
    size_t len;
    double score;
    char *tie;    /* tie key (owned) */
    long order;   /* input order */
} tfm_rank_row_t;

typedef struct {
    tfm_rank_row_t *row;
    size_t n, cap;
    long total;   /* rows added, kept or not */
    long top;     /* keep at most this many (0: all) */
} tfm_rank_group_t;

void tfm_rank_add(tfm_rank_group_t *g, double score, const char *tie, const char *line, size_t len, long order);
/* Put the kept rows in rank order: row[i] has rank i + 1. */
void tfm_rank_sort(tfm_rank_group_t *g);
/* Percentile of rank r among n rows: 100 * (n - r + 1) / n (the best row 100, the last 100/n). */
double tfm_rank_percentile(long r, long n);
/* Drop the rows (the group can be reused). */
void tfm_rank_clear(tfm_rank_group_t *g);

#endif
