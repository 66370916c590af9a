/* collapse: the pair rows of a gene's transcripts -> one row per (miRNA, gene) (tfm-aggregate
 * --collapse gene). The row kept is the best transcript's: the highest score, and of equal
 * scores the transcript that came first; an n_transcripts column counts the transcripts the
 * gene had for that miRNA. Rows of a gene must come together (as tfm-seed writes a GENCODE
 * file, whose transcripts of a gene are adjacent); memory holds one gene's rows. */
#ifndef TFM_COLLAPSE_H
#define TFM_COLLAPSE_H

#include <htslib/kstring.h>

typedef struct tfm_collapse tfm_collapse_t;

tfm_collapse_t *tfm_collapse_new(void);
void tfm_collapse_free(tfm_collapse_t *c);
/* Add one pair row (line: its text without the line end). When gene differs from the previous
 * row's, the finished gene's rows are appended to out (each with "\tN\n"). 0 ok, -1 when gene
 * came before and other genes followed (message names the gene). */
int tfm_collapse_add(tfm_collapse_t *c, const char *mirna, const char *gene, double score, const char *line,
                     size_t len, kstring_t *out);
/* Append the last gene's rows to out. */
void tfm_collapse_finish(tfm_collapse_t *c, kstring_t *out);

#endif
