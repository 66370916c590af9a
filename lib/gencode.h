/* gencode: what a GENCODE transcript FASTA header says about its record, e.g.
 *   ENST00000331856.10|ENSG00000150593.18|OTTHUMG...|OTTHUMT...|PDCD4-201|PDCD4|3426|UTR5:1-60|CDS:61-1470|UTR3:1471-3426|
 * (gencode.vNN.pc_transcripts.fa): transcript id, gene id, gene name, and the UTR5/CDS/UTR3
 * regions, 1-based inclusive. Any other header is a plain id. Also the region of a transcript
 * a search covers (--region). */
#ifndef TFM_GENCODE_H
#define TFM_GENCODE_H

#include <stddef.h>

enum tfm_region { TFM_REGION_UTR3, TFM_REGION_CDS, TFM_REGION_UTR5, TFM_REGION_ALL };

typedef struct {
    int gencode;            /* the header has GENCODE's fields (7 or more, '|'-separated) */
    char *id, *gene_id, *gene_name; /* NUL-terminated copies (owned); gene_*: "." if unknown */
    long reg[3][2];         /* UTR3, CDS, UTR5 (enum order): start, end; 0 0 if absent */
    int annotated;          /* any region given */
    size_t id_cap, gid_cap, gname_cap;
} tfm_gencode_t;

/* Parse a header (the FASTA id: GENCODE headers have no white space); seq_len checks the
 * regions. 0 ok; -1 with tfm_last_error() "what" when a region is malformed or beyond seq_len. */
int tfm_gencode_parse(tfm_gencode_t *h, const char *header, size_t seq_len);
void tfm_gencode_free(tfm_gencode_t *h);

/* The part of the transcript a search covers, 0-based [*from, *to): the region of an annotated
 * header (empty when the header lacks it), the whole transcript otherwise or for ALL. */
void tfm_gencode_span(const tfm_gencode_t *h, enum tfm_region r, size_t seq_len, size_t *from, size_t *to);

/* "utr3" | "cds" | "utr5" | "all"; -1 if unknown. */
int tfm_region_parse(const char *s);
const char *tfm_region_name(enum tfm_region r);

#endif
