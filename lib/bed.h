/* bed: site rows as BED lines a genome browser takes (tfm-bed, tfm-seed --bed): 0-based half-open
 * coordinates on the transcript (chrom = transcript id), name "miRNA|gene|site_type", score
 * 0..1000 from a probability, strand '+' (sites read 5'->3' on the transcript). */
#ifndef TFM_BED_H
#define TFM_BED_H

#include <htslib/kstring.h>

/* The gene part of a name: gene_name, else gene_id, else the transcript id ("." or NULL = none). */
const char *tfm_bed_gene(const char *gene_name, const char *gene_id, const char *mrna_id);
/* A probability in [0, 1] as a BED score: round(1000 p), clipped to 0..1000. */
int tfm_bed_score(double p);
/* One BED6 line onto s: chrom start0 end mirna|gene|site_type score +. */
void tfm_bed_put(kstring_t *s, const char *chrom, long start0, long end, const char *mirna, const char *gene,
                 const char *site_type, int score);

#endif
