/* tfm-convert: a published PyTorch checkpoint (.pt) to tfm's safetensors model format.
 * The architecture is recognised from the tensor names and shapes and recorded in the
 * metadata (architecture, encoding, source) that the scoring tools read back. An RNA-FM
 * checkpoint (fairseq: an "args" Namespace, sentence_encoder keys) is loaded as the encoder
 * and written with its renamed keys and the args that rebuild it (tfm_rnafm_save). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <htslib/kstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "model.h"
#include "rnafm.h"

/* Metadata names of each architecture: what tfm-score reads back. */
static const char *arch_key(tfm_arch_t a)
{
    return a == TFM_ARCH_TARGETNET ? "targetnet" : a == TFM_ARCH_DEEPTARGET ? "deeptarget" : "targetfm1";
}

static const char *arch_encoding(tfm_arch_t a)
{
    return a == TFM_ARCH_TARGETNET ? "targetnet-esa" : a == TFM_ARCH_DEEPTARGET ? "deeptarget-onehot30" : "rnafm-repr12";
}

static const tfm_tensor_t *ckpt_lookup(void *ctx, const char *name) { return tfm_ckpt_get(ctx, name); }

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: tfm-convert [options] IN.pt OUT.safetensors   (or IN.pt -o OUT.safetensors)\n"
            "       tfm-convert --list|--meta FILE\n"
            "Convert a PyTorch checkpoint (zip or legacy .pt; read, never executed) to a float32\n"
            "(or float16) safetensors model with metadata architecture, encoding and source. An RNA-FM\n"
            "checkpoint (fairseq .pt with 'args', e.g. RNA-FM_pretrained.pth) is written with\n"
            "architecture rnafm and its dimensions; --rnafm of tfm-score and tfm-encode reads it.\n"
            "\n"
            "Options:\n"
            "  -a, --arch NAME  targetnet, deeptarget, targetfm1 or rnafm [detected from the tensor\n"
            "                   names and the fairseq args]; the tensors must have that architecture's\n"
            "                   names and shapes\n"
            "  -d, --dtype T    f32 or f16 (IEEE half, round to nearest even) [f32]\n"
            "  -l, --list       print the tensors of FILE (.pt or .safetensors) as TSV: tensor, shape,\n"
            "                   numel, sum\n"
            "      --meta       print the metadata of FILE as TSV: key, value (safetensors __metadata__,\n"
            "                   or the scalar fields of a .pt file's \"args\")\n"
            "  -o, --output FILE  the model written (instead of OUT.safetensors), or the table of\n"
            "                   --list/--meta [stdout]\n"
            "  -t, --threads INT  accepted for a common command line; one thread [1]\n"
            "  -q, --quiet      no progress on stderr (it shows none)\n"
            "  -v, --verbose    a summary line on stderr at the end\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n"
            "  -m               deprecated spelling of --meta (-m is --mode in tfm-seed and tfm-train)\n");
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void put_shape(kstring_t *s, const tfm_tensor_t *t)
{
    if (!t->ndim) kputc('-', s);
    for (int d = 0; d < t->ndim; d++) ksprintf(s, "%s%lld", d ? "x" : "", (long long)t->shape[d]);
}

int main(int argc, char **argv)
{
    enum { OPT_META = 256 };
    static const struct option lo[] = {{"arch", required_argument, 0, 'a'}, {"list", no_argument, 0, 'l'},
                                       {"dtype", required_argument, 0, 'd'}, {"meta", no_argument, 0, OPT_META},
                                       TFM_COMMON_LONG, {0, 0, 0, 0}};
    const char *arch = NULL;
    int list = 0, meta = 0, f16 = 0, c;
    tfm_cli_init("tfm-convert");
    tfm_common_t co;
    tfm_common_init(&co);
    while ((c = getopt_long(argc, argv, "a:d:lm" TFM_COMMON_SHORT, lo, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'a': arch = optarg; break;
        case 'd':
            if (strcmp(optarg, "f16") == 0) f16 = 1;
            else if (strcmp(optarg, "f32") == 0) f16 = 0;
            else tfm_usage_error("--dtype: unknown type '%s' (f32, f16)", optarg);
            break;
        case 'l': list = 1; break;
        case 'm': tfm_deprecated("-m", "--meta"); /* fall through */
        case OPT_META: meta = 1; break;
        case 'h': usage(stdout); return TFM_EXIT_OK;
        default: tfm_usage_error("unknown option");
        }
    }
    double t0 = tfm_seconds();
    int want_args = list || meta || co.output ? 1 : 2;
    if (list && meta) tfm_usage_error("--list and --meta exclude each other");
    if (argc - optind != want_args)
        tfm_usage_error(want_args == 1 ? "expected one FILE" : "expected IN.pt and OUT.safetensors (or -o OUT)");
    const char *outpath = list || meta ? co.output : co.output ? co.output : argv[optind + 1];
    tfm_arch_t forced = 0;
    int want_rnafm = arch && strcmp(arch, "rnafm") == 0;
    if (arch && !want_rnafm && tfm_model_arch_parse(arch, &forced) < 0)
        tfm_usage_error("--arch: unknown architecture '%s' (targetnet, deeptarget, targetfm1, rnafm)", arch);

    const char *in = argv[optind];
    tfm_ckpt_t *ck = tfm_ckpt_load(in);
    if (!ck) tfm_die_last();
    if (list || meta) {
        kstring_t s = {0};
        if (list) {
            kputs("tensor\tshape\tnumel\tsum\n", &s);
            for (int k = 0; k < ck->n; k++) {
                const tfm_tensor_t *t = &ck->t[k];
                double sum = 0;
                for (int64_t i = 0; i < t->numel; i++) sum += t->data[i];
                kputs(t->name, &s), kputc('\t', &s);
                put_shape(&s, t);
                ksprintf(&s, "\t%lld\t%.6g\n", (long long)t->numel, sum);
            }
        } else {
            kputs("key\tvalue\n", &s);
            for (int k = 0; k < ck->n_meta; k++) ksprintf(&s, "%s\t%s\n", ck->meta_key[k], ck->meta_val[k]);
            for (int k = 0; k < ck->n_args; k++) ksprintf(&s, "args.%s\t%s\n", ck->arg_key[k], ck->arg_val[k]);
        }
        tfm_out_t *out = tfm_out_open(outpath);
        tfm_out_write(out, s.s, s.l);
        tfm_out_close(out, 1);
        free(s.s);
        if (co.verbose) tfm_summary(t0, "%s: %d tensors, %d metadata keys", in, ck->n, ck->n_meta + ck->n_args);
        tfm_ckpt_free(ck);
        return TFM_EXIT_OK;
    }

    /* RNA-FM: fairseq args, or a safetensors file of an earlier conversion (to change the dtype) */
    const char *st_arch = tfm_ckpt_meta(ck, "architecture");
    int is_rnafm = ck->n_args > 0 || (st_arch && strcmp(st_arch, "rnafm") == 0);
    if (want_rnafm || is_rnafm) {
        if (forced) tfm_die("%s: an RNA-FM checkpoint (fairseq args), not --arch %s", in, arch);
        tfm_rnafm_t *fm = tfm_rnafm_from_ckpt(ck, in);
        if (!fm) tfm_die_last();
        tfm_ckpt_free(ck);
        if (tfm_rnafm_save(fm, outpath, f16, base_name(in)) != 0) tfm_die_last();
        if (co.verbose) tfm_summary(t0, "%s -> %s (rnafm)", in, outpath);
        tfm_rnafm_free(fm);
        return TFM_EXIT_OK;
    }

    /* binding checks every tensor's name and shape against the architecture's layout */
    tfm_arch_t detected = tfm_model_detect(ckpt_lookup, ck);
    if (forced && detected && detected != forced)
        tfm_die("%s: the tensors are a %s checkpoint, not --arch %s", in, arch_key(detected), arch_key(forced));
    tfm_model_t *m = tfm_model_from_ckpt(forced ? forced : detected, ck);
    if (!m) tfm_die("%s: %s", in, tfm_last_error());
    tfm_arch_t a = m->arch;
    tfm_model_free(m);
    const char *mk[] = {"architecture", "encoding", "source"};
    const char *mv[] = {arch_key(a), arch_encoding(a), base_name(in)};
    if (tfm_safetensors_write_dtype(outpath, ck->t, ck->n, mk, mv, 3, f16) != 0) tfm_die_last();
    if (co.verbose) tfm_summary(t0, "%s -> %s (%s)", in, outpath, arch_key(a));
    tfm_ckpt_free(ck);
    return TFM_EXIT_OK;
}
