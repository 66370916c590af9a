/* libFuzzer harness for the site-row reader of tfm-encode and tfm-score (lib/siterow.c over
 * lib/tsv.c and lib/encode.c): rows encoded for TargetNet and deepTarget, from the sequences or
 * from an enc_<scheme> text column. An encoding that has a text form must read back the same.
 * Build: make fuzz   Run: build/fuzz/fuzz_siterow -runs=10000000 WORKDIR tests/fuzz/corpus/siterow */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "siterow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tfm_enc_t enc[] = {TFM_ENC_TARGETNET, TFM_ENC_DEEPTARGET};
    float x[TFM_ENC_TARGETNET_C * TFM_ENC_TARGETNET_L], y[TFM_ENC_TARGETNET_C * TFM_ENC_TARGETNET_L];
    char text[TFM_ENC_TEXT_MAX];
    for (int k = 0; k < 2; k++) {
        tfm_tsv_t *t = tfm_tsv_open_mem(data, size, "fuzz.tsv", 1, 0, NULL);
        if (!t) return 0;
        tfm_siterow_t r;
        size_t n = tfm_encode_size(enc[k]);
        if (tfm_siterow_init(&r, t, enc[k]) == 0) {
            while (tfm_tsv_read(t) == 1) {
                if (tfm_siterow_is_none(&r, t) || tfm_siterow_encode(&r, t, x) < 0) continue;
                int len = tfm_encode_to_text(text, sizeof text, enc[k], x);
                if (len >= 0 && (tfm_encode_from_text(y, enc[k], text, (size_t)len) < 0 || memcmp(x, y, n * sizeof *x)))
                    abort();
            }
        }
        tfm_tsv_close(t);
    }
    return 0;
}
