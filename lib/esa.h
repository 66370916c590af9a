/* esa: TargetNet's extended seed alignment. miRNA nt 1-10 (5'->3') is aligned globally against
 * nt 6-15 of a candidate window read 3'->5' on the mRNA; A:U, G:C and G:U wobble pairs score 1,
 * anything else (N included) 0, gaps are free. The score equals Biopython's
 * pairwise2.align.globaldx and the gapped strings are the alignment that Biopython returns
 * first (its traceback order), so encodings match TargetNet bit for bit. */
#ifndef TFM_ESA_H
#define TFM_ESA_H

#define TFM_ESA_LEN 10           /* residues aligned on each side */
#define TFM_ESA_MAXALN (2 * TFM_ESA_LEN)

typedef struct {
    int score;                     /* 0..10 */
    int len;                       /* length E of both gapped strings, 10..20 */
    char mirna[TFM_ESA_MAXALN + 1];  /* gapped miRNA nt 1-10, '-' for gaps, NUL-terminated */
    char site[TFM_ESA_MAXALN + 1];   /* gapped window nt 6-15 */
} tfm_esa_t;

/* Score only (fast path used to select windows). a: miRNA nt 1..na, b: window nt 6..15
 * (nb residues); na, nb <= 10. Letters are normalised RNA (A, C, G, U, N). */
int tfm_esa_score(const char *a, int na, const char *b, int nb);
/* Score and Biopython's first alignment. Returns the score. An empty side (na or nb 0, for
 * which Biopython returns no alignment) gives the other sequence against gaps. */
int tfm_esa_align(const char *a, int na, const char *b, int nb, tfm_esa_t *out);

#endif
