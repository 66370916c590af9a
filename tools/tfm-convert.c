/* tfm-convert: a published PyTorch checkpoint (.pt) to tfm's safetensors model format.
 * The architecture is recognised from the tensor names and shapes and recorded in the
 * metadata (architecture, encoding, source) that the scoring tools read back. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"

typedef struct {
    const char *name;
    int ndim;
    int64_t shape[3];
} want_t;

/* Layouts of the three published checkpoints (specs: data/README.md TargetNet, heads.md 2.2, 3.1). */
static const want_t targetnet[] = {
    {"stem.0.conv.1.weight", 3, {16, 10, 5}},    {"stem.1.conv.1.weight", 3, {16, 16, 5}},
    {"stage1.0.conv1.1.weight", 3, {16, 16, 3}}, {"stage1.0.conv2.1.weight", 3, {16, 16, 3}},
    {"stage2.0.conv1.1.weight", 3, {32, 16, 3}}, {"stage2.0.conv2.1.weight", 3, {32, 32, 3}},
    {"linear.weight", 2, {1, 512}},              {"linear.bias", 1, {1}},
};
#define CNN_TAIL                                                                                                \
    {"embd1.weight", 3, {32, 4, 3}}, {"embd1.bias", 1, {32}}, {"conv2.weight", 3, {16, 64, 3}},                 \
        {"conv2.bias", 1, {16}}, {"conv3.weight", 3, {64, 16, 3}}, {"conv3.bias", 1, {64}},                     \
        {"conv4.weight", 3, {16, 64, 3}}, {"conv4.bias", 1, {16}}, {"fc1.weight", 2, {30, 384}},                \
        {"fc1.bias", 1, {30}}, {"fc2.weight", 2, {2, 30}}, {"fc2.bias", 1, {2}}
static const want_t deeptarget[] = {CNN_TAIL};
static const want_t targetfm1[] = {
    {"fc_mi.weight", 2, {32, 640}}, {"fc_mi.bias", 1, {32}}, {"fc_mr.weight", 2, {32, 640}}, {"fc_mr.bias", 1, {32}},
    CNN_TAIL};

static const struct {
    const char *arch, *encoding;
    const want_t *t;
    int n;
} layouts[] = {
    {"targetnet", "targetnet-esa", targetnet, sizeof targetnet / sizeof *targetnet},
    {"deeptarget", "deeptarget-onehot30", deeptarget, sizeof deeptarget / sizeof *deeptarget},
    {"targetfm1", "rnafm-repr12", targetfm1, sizeof targetfm1 / sizeof *targetfm1},
};
#define NLAYOUT ((int)(sizeof layouts / sizeof *layouts))

/* Index of the layout whose tensors are exactly those of c, or -1. */
static int detect(const tfm_ckpt_t *c)
{
    for (int l = 0; l < NLAYOUT; l++) {
        int ok = c->n == layouts[l].n;
        for (int k = 0; ok && k < layouts[l].n; k++) {
            const want_t *w = &layouts[l].t[k];
            const tfm_tensor_t *t = tfm_ckpt_get(c, w->name);
            ok = t && t->ndim == w->ndim && !memcmp(t->shape, w->shape, (size_t)w->ndim * sizeof *w->shape);
        }
        if (ok) return l;
    }
    return -1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: tfm-convert [options] IN.pt OUT.safetensors\n"
            "       tfm-convert --list|--meta FILE\n"
            "Convert a PyTorch checkpoint (zip or legacy .pt; read, never executed) to a float32\n"
            "safetensors model with metadata architecture, encoding and source.\n"
            "\n"
            "Options:\n"
            "  -a, --arch NAME  architecture when the layout is not recognised:\n"
            "                   targetnet, deeptarget or targetfm1 [detected from tensor names and shapes]\n"
            "  -l, --list       print the tensors of FILE (.pt or .safetensors) as TSV: tensor, shape,\n"
            "                   numel, sum\n"
            "  -m, --meta       print the metadata of FILE as TSV: key, value (safetensors __metadata__,\n"
            "                   or the scalar fields of a .pt file's \"args\")\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n");
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void print_shape(const tfm_tensor_t *t)
{
    if (!t->ndim) fputs("-", stdout);
    for (int d = 0; d < t->ndim; d++) printf("%s%lld", d ? "x" : "", (long long)t->shape[d]);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {{"arch", required_argument, 0, 'a'}, {"list", no_argument, 0, 'l'},
                                       {"meta", no_argument, 0, 'm'},       {"help", no_argument, 0, 'h'},
                                       {"version", no_argument, 0, 'V'},    {0, 0, 0, 0}};
    const char *arch = NULL;
    int list = 0, meta = 0, c;
    tfm_cli_init("tfm-convert");
    while ((c = getopt_long(argc, argv, "a:lmhV", lo, NULL)) != -1) {
        switch (c) {
        case 'a': arch = optarg; break;
        case 'l': list = 1; break;
        case 'm': meta = 1; break;
        case 'h': usage(stdout); return TFM_EXIT_OK;
        case 'V': tfm_print_version(); return TFM_EXIT_OK;
        default: tfm_usage_error("unknown option");
        }
    }
    int want_args = list || meta ? 1 : 2;
    if (list && meta) tfm_usage_error("--list and --meta exclude each other");
    if (argc - optind != want_args)
        tfm_usage_error(want_args == 1 ? "expected one FILE" : "expected IN.pt and OUT.safetensors");
    int forced = -1;
    if (arch) {
        for (int l = 0; l < NLAYOUT; l++)
            if (!strcmp(arch, layouts[l].arch)) forced = l;
        if (forced < 0) tfm_usage_error("--arch: unknown architecture '%s' (targetnet, deeptarget, targetfm1)", arch);
    }

    const char *in = argv[optind];
    tfm_ckpt_t *ck = tfm_ckpt_load(in);
    if (!ck) tfm_die_last();
    if (list || meta) {
        if (list) {
            printf("tensor\tshape\tnumel\tsum\n");
            for (int k = 0; k < ck->n; k++) {
                const tfm_tensor_t *t = &ck->t[k];
                double s = 0;
                for (int64_t i = 0; i < t->numel; i++) s += t->data[i];
                printf("%s\t", t->name);
                print_shape(t);
                printf("\t%lld\t%.6g\n", (long long)t->numel, s);
            }
        } else {
            printf("key\tvalue\n");
            for (int k = 0; k < ck->n_meta; k++) printf("%s\t%s\n", ck->meta_key[k], ck->meta_val[k]);
            for (int k = 0; k < ck->n_args; k++) printf("args.%s\t%s\n", ck->arg_key[k], ck->arg_val[k]);
        }
        if (fflush(stdout) != 0 || ferror(stdout)) tfm_die("error writing to stdout");
        tfm_ckpt_free(ck);
        return TFM_EXIT_OK;
    }

    int l = detect(ck);
    if (forced >= 0 && l >= 0 && l != forced)
        tfm_die("%s: the tensors are a %s checkpoint, not --arch %s", in, layouts[l].arch, layouts[forced].arch);
    if (l < 0 && forced < 0)
        tfm_die("%s: unknown layout (%d tensors, first '%s'): not TargetNet, deepTarget or TargetFM1; "
                "give --arch to convert anyway",
                in, ck->n, ck->n ? ck->t[0].name : "-");
    if (l < 0) tfm_warn("%s: layout not recognised; writing it as --arch %s", in, layouts[forced].arch);
    if (l < 0) l = forced;
    const char *mk[] = {"architecture", "encoding", "source"};
    const char *mv[] = {layouts[l].arch, layouts[l].encoding, base_name(in)};
    if (tfm_safetensors_write(argv[optind + 1], ck->t, ck->n, mk, mv, 3) != 0) tfm_die_last();
    tfm_ckpt_free(ck);
    return TFM_EXIT_OK;
}
