/* libFuzzer harness for the checkpoint readers (.pt zip, .pt legacy, safetensors).
 * Build: make fuzz   Run: build/fuzz/fuzz_ckpt -workers=1 WORKDIR tests/fuzz/corpus/ckpt */
#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"

static volatile float sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfm_ckpt_t *c = tfm_ckpt_load_mem(data, size, "fuzz");
    if (c) {
        /* touch every converted value so ASan sees any bad copy */
        for (int k = 0; k < c->n; k++)
            for (int64_t i = 0; i < c->t[k].numel; i++) sink += c->t[k].data[i];
        (void)tfm_ckpt_get(c, "a");
        (void)tfm_ckpt_meta(c, "architecture");
        (void)tfm_ckpt_arg(c, "token_dropout");
        tfm_ckpt_free(c);
    }
    return 0;
}
