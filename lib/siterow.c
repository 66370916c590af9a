#include "siterow.h"

#include <stdio.h>
#include <string.h>

#include "seqcheck.h"
#include "util.h"

const char *tfm_siterow_enc_column(tfm_enc_t e)
{
    return e == TFM_ENC_TARGETNET ? "enc_targetnet" : "enc_deeptarget";
}

int tfm_siterow_init(tfm_siterow_t *r, const tfm_tsv_t *t, tfm_enc_t e)
{
    r->enc = e;
    r->enc_text = tfm_tsv_col(t, tfm_siterow_enc_column(e));
    r->mirna_seq = tfm_tsv_col(t, "mirna_seq");
    r->site_seq = tfm_tsv_col(t, "site_seq");
    r->site_type = tfm_tsv_col(t, "site_type");
    r->mirna_aln = tfm_tsv_col(t, "mirna_aln");
    r->site_aln = tfm_tsv_col(t, "site_aln");
    if (r->enc_text >= 0) return 0; /* site_type is optional: without it every row is a site */
    if (r->mirna_seq < 0) return tfm_tsv_need(t, "mirna_seq");
    if (r->site_seq < 0) return tfm_tsv_need(t, "site_seq");
    if (e == TFM_ENC_TARGETNET && (r->mirna_aln < 0 || r->site_aln < 0))
        return tfm_fail("%s:1: missing column '%s': TargetNet needs the windows of tfm-seed --mode esa", t->name,
                        r->mirna_aln < 0 ? "mirna_aln" : "site_aln");
    return 0;
}

int tfm_siterow_is_none(const tfm_siterow_t *r, const tfm_tsv_t *t)
{
    return r->site_type >= 0 && strcmp(t->f[r->site_type], "none") == 0;
}

/* Prefix the last message with "FILE:LINE: " and return -1. */
static int at_line(const tfm_tsv_t *t)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", tfm_last_error());
    return tfm_fail("%s:%ld: %s", t->name, t->lineno, msg);
}

int tfm_siterow_check_seqs(const tfm_tsv_t *t, tfm_enc_t e, int cm, int cs, int is_none)
{
    if (cm >= 0 && tfm_seq_validate(&tfm_rule_mirna, t->cols[cm], t->f[cm], t->flen[cm]) < 0) return at_line(t);
    if (cs >= 0 && !is_none && tfm_seq_validate(tfm_rule_site(e), t->cols[cs], t->f[cs], t->flen[cs]) < 0)
        return at_line(t);
    return 0;
}

int tfm_siterow_check(const tfm_siterow_t *r, const tfm_tsv_t *t)
{
    return tfm_siterow_check_seqs(t, r->enc, r->mirna_seq, r->site_seq, tfm_siterow_is_none(r, t));
}

int tfm_siterow_encode(const tfm_siterow_t *r, const tfm_tsv_t *t, float *x)
{
    int rc;
    if (r->enc_text >= 0)
        rc = tfm_encode_from_text(x, r->enc, t->f[r->enc_text], t->flen[r->enc_text]);
    else
        rc = tfm_encode_site(x, r->enc, t->f[r->mirna_seq], t->f[r->site_seq], t->flen[r->site_seq],
                             r->mirna_aln >= 0 ? t->f[r->mirna_aln] : NULL,
                             r->site_aln >= 0 ? t->f[r->site_aln] : NULL);
    return rc < 0 ? at_line(t) : 0;
}

int tfm_siterow_codes(const tfm_siterow_t *r, const tfm_tsv_t *t, unsigned char *codes)
{
    if (r->enc != TFM_ENC_DEEPTARGET) return tfm_fail("%s: letter codes are for deepTarget input only", t->name);
    if (r->enc_text < 0) {
        tfm_encode_deeptarget_codes(codes, t->f[r->mirna_seq], t->f[r->site_seq], t->flen[r->site_seq]);
        return 0;
    }
    float x[TFM_ENC_DEEPTARGET_C * TFM_ENC_DEEPTARGET_L];
    if (tfm_siterow_encode(r, t, x) < 0) return -1;
    return tfm_encode_deeptarget_codes_x(codes, x) < 0 ? at_line(t) : 0;
}

int tfm_siterow_check_codes(const tfm_siterow_t *r, const tfm_tsv_t *t, unsigned char *codes)
{
    const int L = TFM_ENC_DEEPTARGET_L;
    int none = tfm_siterow_is_none(r, t);
    if (r->enc != TFM_ENC_DEEPTARGET || r->enc_text >= 0 || r->mirna_seq < 0 || r->site_seq < 0) {
        if (tfm_siterow_check(r, t) < 0) return -1;
        return none ? 0 : tfm_siterow_codes(r, t, codes);
    }
    const tfm_seqrule_t *rm = &tfm_rule_mirna, *rs = tfm_rule_site(r->enc);
    const char *m = t->f[r->mirna_seq], *s = t->f[r->site_seq];
    size_t nm = t->flen[r->mirna_seq], ns = t->flen[r->site_seq];
    /* bad: a length out of bounds or a letter outside the alphabet (tfm_letter_code1 - 1: A C G U
     * 0-3, N 4, the rest above; so code > 3 for ACGU, > 4 with N); then the check proper gives the
     * message */
    unsigned bad = nm < rm->min || nm > rm->max || (size_t)L < rm->max;
    unsigned mlim = rm->alpha == TFM_ALPHA_ACGUN ? 4 : 3, slim = rs->alpha == TFM_ALPHA_ACGUN ? 4 : 3;
    for (size_t i = 0; i < nm && i < (size_t)L; i++) {
        unsigned c = tfm_letter_code1[(unsigned char)m[i]] - 1u; /* not a letter: UINT_MAX */
        bad |= c > mlim;
        codes[i] = (unsigned char)(c > 3 ? 4 : c);
    }
    for (size_t i = nm; i < (size_t)L; i++) codes[i] = 4;
    if (!none) {
        bad |= ns < rs->min || ns > rs->max;
        for (size_t i = 0; i < ns; i++) {
            unsigned c = tfm_letter_code1[(unsigned char)s[ns - 1 - i]] - 1u;
            bad |= c > slim;
            if (i < (size_t)L) codes[L + i] = (unsigned char)(c > 3 ? 4 : c);
        }
        for (size_t i = ns; i < (size_t)L; i++) codes[L + i] = 4;
    }
    if (!bad) return 0;
    if (tfm_siterow_check(r, t) < 0) return -1;
    return none ? 0 : tfm_siterow_codes(r, t, codes); /* not reached: the check fails */
}
