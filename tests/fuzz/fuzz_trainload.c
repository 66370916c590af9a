/* libFuzzer harness for the training files of tfm-train (lib/train.c's tfm_train_data_read over
 * lib/tsv.c): the sites layout (a header with mirna_seq, site_seq, label, split) or miTAR's five
 * columns, read with the options the first byte picks (layout, windows, decoys, shuffled decoys,
 * balance, --skip-bad).
 * Build: make fuzz   Run: build/fuzz/fuzz_trainload -dict=tests/fuzz/tsv.dict WORKDIR tests/fuzz/corpus/trainload
 * Aborts when a file accepted breaks what the loader promises - counts that add up (samples per
 * split, positives, decoys at the end and all negative), 0/1 labels, every sample's miRNA in the
 * table, one-hot encodings whose miRNA half starts with a base, balance weights finite, >= 0 and of
 * mean 1 per split - and when a refusal does not name the file. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned o = data[0];
    tfm_train_load_opt_t lo = {.layout = o & 1 ? TFM_LAYOUT_MITAR : TFM_LAYOUT_SITES,
                               .val_split = "val",
                               .windows = (o >> 1) & 1,
                               .mode = TFM_MODE_10M7,
                               .decoys = (int)((o >> 2) & 3),
                               .shuffles = (int)((o >> 4) & 1),
                               .balance = (int)((o >> 5) & 3) % 3,
                               .skip_bad = (o >> 7) & 1,
                               .seed = 1};
    tfm_tsv_t *t = lo.layout == TFM_LAYOUT_MITAR ? tfm_tsv_open_mem(data + 1, size - 1, "fuzz.tsv", 0, 5, tfm_train_mitar_cols)
                                                 : tfm_tsv_open_mem(data + 1, size - 1, "fuzz.tsv", 1, 0, NULL);
    if (!t) return 0;
    tfm_train_data_t *d = tfm_train_data_read(t, TFM_ENC_DEEPTARGET, &lo);
    tfm_tsv_close(t);
    if (!d) {
        if (strncmp(tfm_last_error(), "fuzz.tsv", 8) != 0) abort();
        return 0;
    }
    if (d->n != d->n_train + d->n_val || d->n_decoy > d->n || (!lo.decoys && !lo.shuffles && d->n_decoy)) abort();
    size_t pos[2] = {0, 0};
    float x[TFM_ENC_DEEPTARGET_C * TFM_ENC_DEEPTARGET_L];
    unsigned char codes[2 * TFM_ENC_DEEPTARGET_L];
    for (size_t i = 0; i < d->n; i++) {
        if (d->label[i] > 1 || d->is_val[i] > 1 || d->mirna[i] < 0 || (size_t)d->mirna[i] >= d->n_mirna) abort();
        if (i >= d->n - d->n_decoy && d->label[i]) abort(); /* decoys come last, all negatives */
        pos[d->is_val[i]] += d->label[i];
        for (size_t k = 0; k < d->insize; k++) x[k] = d->x[i * d->insize + k];
        if (tfm_encode_deeptarget_codes_x(codes, x) < 0) abort();
        if (codes[0] == 4) abort(); /* the miRNA's nt 1 is a base (a site may hold N, coded 4) */
    }
    if (pos[0] != d->pos_train || pos[1] != d->pos_val) abort();
    if (lo.balance && !d->weight) abort();
    for (int v = 0; d->weight && v < 2; v++) {
        double sum = 0;
        size_t n = 0;
        for (size_t i = 0; i < d->n; i++) {
            if (d->is_val[i] != v) continue;
            if (!isfinite(d->weight[i]) || d->weight[i] < 0) abort();
            sum += d->weight[i], n++;
        }
        if (n && fabs(sum / (double)n - 1.0) > 1e-3) abort();
    }
    tfm_train_data_free(d);
    return 0;
}
