#include "seqcheck.h"

#include <stdint.h>

#include "seed.h"
#include "util.h"

const tfm_seqrule_t tfm_rule_mirna = {"miRNAs", TFM_ALPHA_ACGU, TFM_MIRNA_MIN, TFM_MIRNA_MAX};
const tfm_seqrule_t tfm_rule_transcript = {"transcripts", TFM_ALPHA_ACGUN, 1, SIZE_MAX};

static const tfm_seqrule_t rule_targetnet = {"TargetNet sites", TFM_ALPHA_ACGU, 15, TFM_ESA_WINDOW};
static const tfm_seqrule_t rule_deeptarget = {"deepTarget sites", TFM_ALPHA_ACGUN, 6, 63};
static const tfm_seqrule_t rule_rnafm = {"RNA-FM sites", TFM_ALPHA_ACGUN, 6, 63};

const tfm_seqrule_t *tfm_rule_site(tfm_enc_t e)
{
    return e == TFM_ENC_TARGETNET ? &rule_targetnet : e == TFM_ENC_RNAFM ? &rule_rnafm : &rule_deeptarget;
}

int tfm_seq_validate(const tfm_seqrule_t *r, const char *name, const char *s, size_t n)
{
    if (n < r->min || n > r->max) {
        if (r->max == SIZE_MAX) return tfm_fail("%s has %zu nt (%s: at least %zu nt)", name, n, r->what, r->min);
        return tfm_fail("%s has %zu nt (%s: %zu-%zu nt)", name, n, r->what, r->min, r->max);
    }
    long bad = tfm_seq_check(s, n, r->alpha);
    if (bad >= 0) {
        char b[8];
        return tfm_fail("invalid letter %s at position %ld of %s (%s: A, C, G, U/T%s)",
                        tfm_byte_repr((unsigned char)s[bad], b), bad + 1, name, r->what,
                        r->alpha == TFM_ALPHA_ACGUN ? ", N" : "");
    }
    return 0;
}
