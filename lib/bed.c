#include "bed.h"

#include <math.h>
#include <string.h>

static int known(const char *s) { return s && *s && strcmp(s, ".") != 0; }

const char *tfm_bed_gene(const char *gene_name, const char *gene_id, const char *mrna_id)
{
    return known(gene_name) ? gene_name : known(gene_id) ? gene_id : mrna_id;
}

int tfm_bed_score(double p)
{
    long v = lround(p * 1000);
    return v < 0 ? 0 : v > 1000 ? 1000 : (int)v;
}

void tfm_bed_put(kstring_t *s, const char *chrom, long start0, long end, const char *mirna, const char *gene,
                 const char *site_type, int score)
{
    kputs(chrom, s), kputc('\t', s), kputl(start0, s), kputc('\t', s), kputl(end, s), kputc('\t', s);
    kputs(mirna, s), kputc('|', s), kputs(gene, s), kputc('|', s), kputs(site_type, s), kputc('\t', s);
    kputw(score, s), kputs("\t+\n", s);
}
