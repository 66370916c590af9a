/* encode: model input layouts built from sequences (float32, per sample channels-first (C, L),
 * the layout the published models were trained on), and a compact text form of each.
 *
 * TargetNet (10 x 50, data README "Input encoding"): rows 0-4 = miRNA A, C, G, U, gap; rows 5-9
 * = window A, C, G, U, gap. The window is the 40-nt candidate read 3'->5' on the mRNA (the
 * reversed UTR slice). miRNA row: the gapped miRNA nt 1-10 (E columns) at columns 5..4+E, then
 * miRNA nt 11.. from column 5+E. Window row: nt 1-5 at columns 0-4, the gapped window nt 6-15 at
 * 5..4+E, then nt 16-40 from column 5+E. Columns past a sequence's end stay zero.
 *
 * deepTarget (8 x 30, heads.md 2.1): rows 0-3 = miRNA A, C, G, U; rows 4-7 = CTS A, C, G, U; the
 * first 30 nt of each, upper-cased, T = U, post-padded; N, padding and any other letter are an
 * all-zero column.
 *
 * Text form (tfm-encode writes it into a TSV column, tfm-score reads it back): both encodings
 * are one-hot or empty per column and per half, so a sample is two strings, one character per
 * column, joined by a comma: "<miRNA half>,<site half>". Characters: A C G U, '-' (gap, TargetNet
 * only) and '.' for an all-zero column; trailing '.' are dropped. The two halves line up column
 * for column, so the text also shows the alignment. At most 2 * 50 + 1 characters. Example
 * (TargetNet, a 22-nt miRNA, no gap):
 *   .....UGAGGUAGUAGGUUGUAUAGUU,ACUCCAUCAUCCAACAUAUCAAGGACUUAGAUCGAUCGAU */
#ifndef TFM_ENCODE_H
#define TFM_ENCODE_H

#include <stddef.h>

/* Letter codes by byte, plus 1 (0: no letter any sequence may hold): A C G U/T in either case
 * 1-4, N/n 5, the gap '-' 6. The one table behind the encodings here and lib/siterow's fused
 * check-and-code of deepTarget rows. */
extern const unsigned char tfm_letter_code1[256];

/* TFM_ENC_RNAFM names TargetFM's input, RNA-FM representations (rnafm.h): no one-hot layout here
 * (size 0, no text form); tfm-train records it. */
typedef enum { TFM_ENC_TARGETNET = 1, TFM_ENC_DEEPTARGET = 2, TFM_ENC_RNAFM = 3 } tfm_enc_t;

#define TFM_ENC_TARGETNET_C 10
#define TFM_ENC_TARGETNET_L 50
#define TFM_ENC_DEEPTARGET_C 8
#define TFM_ENC_DEEPTARGET_L 30
#define TFM_ENC_TEXT_MAX (2 * 50 + 2)  /* buffer size for any text form, NUL included */

/* Floats per sample (C * L), 0 for an unknown encoding. */
size_t tfm_encode_size(tfm_enc_t e);

/* TargetNet input x (10, 50) from the miRNA (5'->3'), the window (3'->5', 15-40 nt; normally 40)
 * and the extended seed alignment: mirna_esa = gapped miRNA nt 1-10, window_esa = gapped window
 * nt 6-15, equal lengths (10-20). Letters A C G U T in either case (T = U); TargetNet has no code
 * for N or others, so they are an error, as is an ESA string that does not spell those slices or
 * a miRNA too long for 50 columns. 0, or -1 with tfm_fail(). */
int tfm_encode_targetnet(float *x, const char *mirna, const char *window, const char *mirna_esa,
                         const char *window_esa);

/* deepTarget input x (8, 30) from the miRNA (5'->3') and the CTS (3'->5'). Never fails. */
void tfm_encode_deeptarget(float *x, const char *mirna, const char *cts);

/* deepTarget input as letter codes (qnet.h): codes[0..29] the miRNA nt 1-30, codes[30..59] the
 * CTS nt 1-30 (site_seq reversed, as tfm_encode_site), 0-3 = A C G U/T, 4 = N, padding or any
 * other letter (the all-zero column of the float input). Never fails. */
void tfm_encode_deeptarget_codes(unsigned char *codes, const char *mirna, const char *site_seq, size_t site_len);
/* The same codes from a float deepTarget input x (8, 30); -1 with tfm_fail() if a column of x
 * is not one-hot or empty. */
int tfm_encode_deeptarget_codes_x(unsigned char *codes, const float *x);

/* Scheme names: "targetnet", "deeptarget" ("rnafm" is named, not parsed: tfm-encode --scheme
 * rnafm writes no encoded column); parse returns 0, or -1 for an unknown name. */
const char *tfm_encode_name(tfm_enc_t e);
int tfm_encode_parse(const char *name, tfm_enc_t *e);

/* Encode a site row of tfm-seed: mirna 5'->3'; site_seq as it reads on the transcript 5'->3'
 * (site_len nt, reversed here into the 3'->5' window/CTS the models read); for TargetNet the
 * esa columns mirna_aln and site_aln (ignored for deepTarget, may be NULL). 0, or -1 with
 * tfm_fail(). */
int tfm_encode_site(float *x, tfm_enc_t e, const char *mirna, const char *site_seq, size_t site_len,
                    const char *mirna_aln, const char *site_aln);

/* Text form of x into buf (size >= TFM_ENC_TEXT_MAX suffices); the length, or -1 with
 * tfm_fail() if buf is too small or x is not a one-hot layout of that encoding. */
int tfm_encode_to_text(char *buf, size_t size, tfm_enc_t e, const float *x);
/* x (tfm_encode_size(e) floats) from the text form s (len characters, not necessarily
 * NUL-terminated). 0, or -1 with tfm_fail() naming the problem. */
int tfm_encode_from_text(float *x, tfm_enc_t e, const char *s, size_t len);

#endif
