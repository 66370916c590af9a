/* gencode: what a GENCODE transcript FASTA header says about its record, e.g.
 *   ENST00000331856.10|ENSG00000150593.18|OTTHUMG...|OTTHUMT...|PDCD4-201|PDCD4|3426|UTR5:1-60|CDS:61-1470|UTR3:1471-3426|
 * (gencode.vNN.pc_transcripts.fa): transcript id, gene id, gene name, and the UTR5/CDS/UTR3
 * regions, 1-based inclusive. Any other header is a plain id. Also the region of a transcript
 * a search covers (--region), and a transcript FASTA read as tfm-seed searches it. */
#ifndef TFM_GENCODE_H
#define TFM_GENCODE_H

#include <htslib/kstring.h>
#include <stddef.h>

#include "select.h"
#include "seqio.h"

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

/* A transcript record as searched: its header, the part --region covers, its gene columns. */
typedef struct {
    tfm_gencode_t h;
    size_t from, to;  /* 0-based [from, to) */
    kstring_t gene;   /* "\tGENE_ID\tGENE_NAME" ("\t.\t." for a plain header) */
} tfm_tx_t;

/* Read rec's header into tx; -1 (a bad record: "FILE:LINE: what (record ID)", without the
 * file part when file is NULL) when its regions are wrong. */
int tfm_tx_header(tfm_tx_t *tx, const tfm_seq_t *rec, const char *file, enum tfm_region region);
/* Does genes (NULL or empty: keep all) keep the transcript of h: its gene id, with or without
 * version, or its gene name? A plain header has no gene: kept only without a selection. */
int tfm_tx_gene_selected(tfm_select_t *genes, const tfm_gencode_t *h);
/* The next transcript of f that genes keeps and that is good, into rec and tx: 1, 0 at the end
 * of the file, -1 on an error of the file (tfm_last_error()). A bad record the selection keeps
 * goes to on_bad(ctx, message) and is left out; with on_bad NULL it is an error (-1). */
int tfm_tx_next(tfm_fasta_t *f, tfm_seq_t *rec, tfm_tx_t *tx, enum tfm_region region, tfm_select_t *genes,
                tfm_bad_fn on_bad, void *ctx);
/* Does the first record of a FASTA file have a GENCODE header? (No when it cannot be read.) */
int tfm_tx_first_is_gencode(const char *path);
void tfm_tx_free(tfm_tx_t *tx);

/* "utr3" | "cds" | "utr5" | "all"; -1 if unknown. */
int tfm_region_parse(const char *s);
const char *tfm_region_name(enum tfm_region r);

#endif
