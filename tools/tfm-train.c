/* tfm-train: train TargetNet, deepTarget or the TargetFM1 head (on frozen RNA-FM embeddings) on
 * site-level rows (mirna_seq, site_seq, label,
 * optional split) and write the best epoch's weights as safetensors, with the architecture,
 * encoding, data checksum, options, seed and validation figures in its metadata. The model
 * scores with tfm-score. Same seed and options -> the same bytes, for any --threads. */
#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <htslib/hts.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ensemble.h"
#include "gemm.h"
#include "metrics.h"
#include "progress.h"
#include "train.h"
#include "version.h"

typedef enum { SEL_LOSS, SEL_AUC, SEL_ACC } select_t;
static const char *SEL_NAME[] = {"loss", "auc", "accuracy"};

static void usage(FILE *fp, const tfm_train_opt_t *o)
{
    fprintf(fp,
            "Usage: tfm-train --arch targetnet|deeptarget [options] SITES.tsv[.gz] -o MODEL.safetensors\n"
            "       tfm-train --arch targetfm --rnafm RNAFM.pt [options] SITES.tsv[.gz] -o MODEL.safetensors\n"
            "Train a site-level model on rows with columns mirna_seq (5'->3'), site_seq (5'->3' as on the\n"
            "mRNA), label (0/1) and optionally split; rows whose split is the --val-split name are the\n"
            "validation set, checked after every epoch. The best epoch is written.\n\n"
            "Model:\n"
            "  -a, --arch NAME          targetnet (ResNet, ESA encoding of the reversed 40-nt site),\n"
            "                           deeptarget (CNN, miRNA + first 30 nt of the reversed site) or\n"
            "                           targetfm (the TargetFM1 head: per-position linear maps of the RNA-FM\n"
            "                           representations of the same two inputs, then deepTarget's CNN; RNA-FM\n"
            "                           stays frozen; scores with tfm-score --rnafm and the same checkpoint)\n"
            "      --rnafm FILE         targetfm: the RNA-FM checkpoint (fairseq .pt or tfm-convert\n"
            "                           safetensors); its embed_dim d sets the head's input width\n"
            "      --rnafm-det TD       targetfm, instead of --rnafm: the deterministic full-size RNA-FM of\n"
            "                           the test vectors, token_dropout TD (0 or 1); tests and benchmarks\n"
            "                           targetfm embeds each distinct miRNA and CTS input once (RNA-FM's last\n"
            "                           layer; about 10 inputs/s per thread at full size) and keeps it once,\n"
            "                           not per row: n_distinct x 30 x d floats in memory, 76.8 KB per input\n"
            "                           at d = 640 (miRAW's 62,653 rows: 50,474 distinct inputs, 3.9 GB)\n"
            "  -o, --output FILE        model file (safetensors; required)\n"
            "Training:\n"
            "  -e, --epochs INT         epochs [%d]\n"
            "      --batch INT          mini-batch size [%d] (-b INT: deprecated spelling; -b is --by\n"
            "                           in tfm-acc and tfm-rank)\n"
            "  -l, --lr FLOAT           learning rate [%g]\n"
            "  -w, --weight-decay FLOAT weight decay (L2 for adam/sgd, decoupled for adamw) [%g]\n"
            "      --optimizer NAME     adam, adamw or sgd [%s]\n"
            "      --momentum FLOAT     SGD momentum [%g]\n"
            "      --class-weight W0,W1 loss weights of label 0 and 1 [%g,%g]\n"
            "  -s, --seed INT           initial weights and shuffling [%llu]\n"
            "      --val-split NAME     split value of validation rows [val]\n"
            "      --layout NAME        input layout: sites (header, columns by name) or mitar\n"
            "                           (miTAR's 5 columns, miRNA 3'->5'; val rows by the MD5 rule\n"
            "                           of sites.tsv.gz) [sites]\n"
            "      --skip-bad           leave out rows the encoding cannot take (letters other\n"
            "                           than ACGU/T, TargetNet sites outside 15-40 nt) and count them\n"
            "  -m, --mode MODE          deeptarget: train on the candidate windows that tfm-seed --mode MODE\n"
            "                           (offset-9-mer-m7, 10-mer-m7, 10-mer-m6) finds in each site, as\n"
            "                           scoring will see them; the model records MODE and the miRNA prior\n"
            "                           of the training rows, for tfm-score and tfm-aggregate [off];\n"
            "                           --site-mode MODE: deprecated spelling\n"
            "      --select WHAT        best epoch by val loss, auc or accuracy [loss]\n"
            "      --teacher FILE       distil: train on soft targets, alpha label + (1 - alpha) the\n"
            "                           probability of the teachers' mean logit (repeatable) [none]\n"
            "      --distill-alpha A    weight of the hard label in the soft target [0.5]\n"
            "      --member FILE        record FILE as a member of an ensemble with the model trained\n"
            "                           (repeatable; same architecture, encoding and windows): tfm-score\n"
            "                           then combines their window scores (models/README.md); the\n"
            "                           weights trained do not depend on it [none]\n"
            "      --cascade TAU        the members score only windows the model gives p >= TAU\n"
            "                           [0.8 with --member]\n"
            "      --average A          validate and write the moving average of the weights,\n"
            "                           avg = A avg + (1 - A) w after every step (e.g. 0.9999) [off]\n"
            "Identity control (the miRNA's identity alone predicts most miRAW labels):\n"
            "      --decoys K           pair each positive site K more times with the miRNA of another\n"
            "                           positive row whose seed (nt 2-8) differs, as negatives [0]\n"
            "      --decoy-shuffles K   pair each positive site K more times with its own miRNA's letters\n"
            "                           shuffled, as negatives (research: fakes the shuffle control) [0]\n"
            "      --balance WHAT       none, mirna or mirna-harmonic: weight each miRNA's positive and\n"
            "                           negative samples equally (per split), so that identity predicts\n"
            "                           nothing; mirna: positives 1 (a miRNA weighs 2P), mirna-harmonic:\n"
            "                           a miRNA weighs 2PN/(P+N) [none]\n"
            "      --decoy-negatives    leave the file's negative training rows out: decoys are the only\n"
            "                           negatives (validation keeps its real negatives)\n"
            "Other:\n"
            "  -t, --threads INT        worker threads (the result does not depend on it) [%d]\n"
            "  -q, --quiet              no progress or per-epoch lines on stderr\n"
            "  -v, --verbose            a summary line on stderr at the end\n"
            "  -h, --help               this help\n"
            "  -V, --version            version\n",
            o->epochs, o->batch, o->lr, o->weight_decay, tfm_train_optim_name(o->optimizer), o->momentum,
            o->class_weight[0], o->class_weight[1], (unsigned long long)o->seed, o->threads);
}

typedef struct {
    int epoch, epochs;
    double t0, last; /* start of the first epoch, last redraw */
} prog_t;

/* Counted in samples of the whole run (every epoch has the same), so the ETA is the run's. */
static void on_batch(void *ctx, size_t done, size_t total, double loss)
{
    prog_t *p = ctx;
    double now = tfm_seconds();
    if (now - p->last < 0.2 && done < total) return; /* a few updates per second are enough */
    p->last = now;
    char buf[160];
    tfm_progress("epoch %d/%d, loss %.4f, %s", p->epoch, p->epochs, loss,
                 tfm_meter_format(buf, sizeof buf, "samples", (double)total * (p->epoch - 1) + (double)done,
                                  (double)total * p->epochs, -1, now - p->t0));
}

static void parse_class_weight(const char *arg, float cw[2])
{
    char *end;
    double a = strtod(arg, &end), b = 0;
    int ok = end != arg && *end == ',';
    if (ok) {
        const char *q = end + 1;
        b = strtod(q, &end);
        ok = end != q && !*end;
    }
    if (!ok || !(a >= 0) || !(b >= 0) || !isfinite(a) || !isfinite(b) || a + b <= 0)
        tfm_usage_error("--class-weight wants two non-negative numbers W0,W1, not '%s'", arg);
    cw[0] = (float)a, cw[1] = (float)b;
}

/* metadata as (key, value) pairs; values are formatted into owned strings */
typedef struct {
    int n;
    const char *key[128];
    char *val[128];
} meta_t;

static void meta(meta_t *m, const char *key, const char *fmt, ...) TFM_PRINTF(3, 4);
static void meta(meta_t *m, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    m->key[m->n] = key;
    m->val[m->n++] = tfm_strdup(buf);
}

/* Appends to the value of the last entry (the options string grows as options are added). */
static void meta_append(meta_t *m, const char *fmt, ...) TFM_PRINTF(2, 3);
static void meta_append(meta_t *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *old = m->val[m->n - 1];
    m->val[m->n - 1] = tfm_malloc(strlen(old) + strlen(buf) + 1);
    strcpy(m->val[m->n - 1], old), strcat(m->val[m->n - 1], buf);
    free(old);
}

/* What the metadata records of the RNA-FM that made the embeddings. */
typedef struct {
    char name[512];     /* the checkpoint's base name, or the deterministic model's description */
    char md5[33];       /* of the checkpoint file ("" for --rnafm-det) */
    long long size;     /* bytes */
    int layer;          /* representations of this layer (the last) */
} fm_info_t;

static int file_md5(const char *path, char hex[33], long long *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return tfm_fail("cannot open '%s'", path);
    hts_md5_context *c = hts_md5_init();
    static unsigned char buf[1 << 20];
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) hts_md5_update(c, buf, (unsigned long)n), *size += (long long)n;
    int err = ferror(fp);
    fclose(fp);
    unsigned char dg[16];
    hts_md5_final(dg, c);
    hts_md5_hex(hex, dg);
    hts_md5_destroy(c);
    return err ? tfm_fail("cannot read '%s'", path) : 0;
}

static void on_embed(void *ctx, size_t done, size_t total, double loss)
{
    double *t0 = ctx, dt = tfm_seconds() - *t0;
    tfm_progress("RNA-FM embedding %zu/%zu inputs %.1f/s", done, total, dt > 0 ? done / dt : 0);
}

/* targetfm: every distinct miRNA and CTS input of d through the RNA-FM, once; the encoder is
 * freed afterwards (the head trains on the stored representations). */
/* A --teacher or --member FILE: its checkpoint, which must take the model's input (architecture,
 * encoding, windows); its recorded options go to *options (tests/model_retrain.sh rebuilds it). */
static tfm_ckpt_t *companion(const char *opt, const char *path, const tfm_train_load_opt_t *lo,
                             const tfm_train_opt_t *o, const char *who, char **options)
{
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    if (!c) tfm_die("%s: %s", opt, tfm_last_error());
    if (tfm_ens_check(c, path, o->arch, tfm_encode_name(tfm_train_arch_encoding(o->arch)),
                      lo->windows ? (int)lo->mode : -1, who) < 0)
        tfm_die("%s %s", opt, tfm_last_error());
    const char *opts = tfm_ckpt_meta(c, "options");
    *options = tfm_strdup(opts ? opts : "(not recorded)");
    return c;
}

/* --teacher: each teacher must be the student's architecture on the same windows. */
static void distill(tfm_train_data_t *d, const tfm_train_load_opt_t *lo, const tfm_train_opt_t *o,
                    const char *const *path, int k, double alpha, int quiet, char **options)
{
    tfm_model_t *t[16];
    for (int j = 0; j < k; j++) {
        tfm_ckpt_t *c = companion("--teacher", path[j], lo, o, "student", &options[j]);
        if (!(t[j] = tfm_model_from_ckpt(o->arch, c))) tfm_die("--teacher %s: %s", path[j], tfm_last_error());
        tfm_ckpt_free(c);
    }
    if (tfm_train_data_distill(d, t, k, alpha, o->threads) < 0) tfm_die("--teacher: %s", tfm_last_error());
    for (int j = 0; j < k; j++) tfm_model_free(t[j]);
    if (!quiet)
        fprintf(stderr, "tfm-train: soft targets from %d teacher%s (alpha %g): %zu training samples\n", k,
                k > 1 ? "s" : "", alpha, d->n_train);
}

/* --member: each member must take the model's input and be a single network; its options and the
 * MD5 of its weights are recorded (before training: a bad member fails at once). */
static void members(const tfm_train_load_opt_t *lo, const tfm_train_opt_t *o, const char *const *path, int k,
                    char **options, char (*md5)[33])
{
    for (int j = 0; j < k; j++) {
        tfm_ckpt_t *c = companion("--member", path[j], lo, o, "model", &options[j]);
        if (tfm_ens_check_single(c, path[j]) < 0) tfm_die("--member %s", tfm_last_error());
        tfm_ckpt_free(c);
        if (tfm_weights_md5(path[j], md5[j]) < 0) tfm_die("--member %s", tfm_last_error());
    }
}

/* NAME: its options, under key[j] (teacher_N, member_N), for each of k files. */
static void record_files(meta_t *md, const char *const *key, const char *const *path, char **options, int k)
{
    for (int j = 0; j < k; j++) {
        const char *b = strrchr(path[j], '/');
        meta(md, key[j], "%s: %s", b ? b + 1 : path[j], options[j]);
        free(options[j]);
    }
}

static void embed(tfm_train_data_t *d, const char *path, int det, int threads, int quiet, fm_info_t *fi)
{
    tfm_rnafm_t *fm = path ? tfm_rnafm_load(path) : tfm_rnafm_new_det(12, 640, 20, 5120, 1024, det);
    if (!fm) tfm_die_last();
    if (path) {
        char *buf = tfm_strdup(path);
        snprintf(fi->name, sizeof fi->name, "%s", basename(buf));
        free(buf);
        if (file_md5(path, fi->md5, &fi->size) < 0) tfm_die_last();
    } else {
        snprintf(fi->name, sizeof fi->name, "deterministic full-size RNA-FM (specs rna-fm.md 9), token_dropout %d", det);
    }
    fi->layer = fm->n_layers;
    double t0 = tfm_seconds();
    if (tfm_train_data_embed(d, fm, threads, tfm_progress_on() ? on_embed : NULL, &t0) < 0) tfm_die_last();
    tfm_progress_done();
    double dt = tfm_seconds() - t0;
    if (!quiet)
        fprintf(stderr, "tfm-train: RNA-FM (d %d, %d layers) embedded %zu distinct inputs (%zu miRNA, %zu CTS) in %.1f s "
                        "(%.1f inputs/s), %.1f MB kept\n", fm->d, fm->n_layers, d->n_fm, d->n_fm_mirna,
                d->n_fm - d->n_fm_mirna, dt, dt > 0 ? d->n_fm / dt : 0,
                d->n_fm * (double)TFM_RNAFM_TFM_LEN * fm->d * sizeof(float) / 1e6);
    tfm_rnafm_free(fm);
}

/* --balance's values, indexed by lo.balance (0, TFM_BALANCE_MIRNA, TFM_BALANCE_MIRNA_HARMONIC) */
static const char *const balance_name[] = {"none", "mirna", "mirna-harmonic"};
enum { N_BALANCE = sizeof balance_name / sizeof *balance_name };

int main(int argc, char **argv)
{
    tfm_cli_init("tfm-train");
    tfm_train_opt_t o;
    tfm_train_opt_init(&o);
    const char *val_split = "val", *arch_arg = NULL;
    select_t sel = SEL_LOSS;
    enum { MAX_TEACHERS = 16 };
    const char *teacher_path[MAX_TEACHERS], *member_path[TFM_ENS_MAX];
    int n_teacher = 0, n_member = 0;
    double cascade = -1;
    double alpha = 0.5;
    tfm_train_load_opt_t lo = {.layout = TFM_LAYOUT_SITES};
    const char *rnafm_path = NULL;
    tfm_common_t co;
    tfm_common_init(&co);
    co.threads = o.threads;
    int rnafm_det = -1;
    enum { OPT_BATCH = 256, OPT_OPTIM, OPT_MOMENTUM, OPT_CW, OPT_VAL, OPT_SELECT, OPT_LAYOUT, OPT_SKIP, OPT_SITE_MODE, OPT_DECOYS, OPT_SHUFFLES, OPT_BALANCE, OPT_DECOY_NEG, OPT_AVERAGE, OPT_TEACHER, OPT_ALPHA,
           OPT_MEMBER, OPT_CASCADE,
           OPT_RNAFM, OPT_RNAFM_DET };
    static const struct option longopts[] = {
        {"arch", required_argument, 0, 'a'},
        {"epochs", required_argument, 0, 'e'},      {"batch", required_argument, 0, OPT_BATCH},
        {"lr", required_argument, 0, 'l'},          {"weight-decay", required_argument, 0, 'w'},
        {"optimizer", required_argument, 0, OPT_OPTIM}, {"momentum", required_argument, 0, OPT_MOMENTUM},
        {"class-weight", required_argument, 0, OPT_CW}, {"seed", required_argument, 0, 's'},
        {"val-split", required_argument, 0, OPT_VAL}, {"select", required_argument, 0, OPT_SELECT},
        {"layout", required_argument, 0, OPT_LAYOUT}, {"skip-bad", no_argument, 0, OPT_SKIP},
        {"mode", required_argument, 0, 'm'},        {"site-mode", required_argument, 0, OPT_SITE_MODE},
        {"decoys", required_argument, 0, OPT_DECOYS}, {"decoy-shuffles", required_argument, 0, OPT_SHUFFLES}, {"balance", required_argument, 0, OPT_BALANCE},
        {"decoy-negatives", no_argument, 0, OPT_DECOY_NEG},
        {"average", required_argument, 0, OPT_AVERAGE},
        {"teacher", required_argument, 0, OPT_TEACHER}, {"distill-alpha", required_argument, 0, OPT_ALPHA},
        {"member", required_argument, 0, OPT_MEMBER}, {"cascade", required_argument, 0, OPT_CASCADE},
        {"rnafm", required_argument, 0, OPT_RNAFM}, {"rnafm-det", required_argument, 0, OPT_RNAFM_DET},
        TFM_COMMON_LONG, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "a:e:b:l:w:s:m:" TFM_COMMON_SHORT, longopts, NULL)) != -1) {
        if (tfm_common_opt(&co, c, optarg)) continue;
        switch (c) {
        case 'a': arch_arg = optarg; break;
        case 'e': o.epochs = (int)tfm_opt_long("--epochs", optarg, 1, 100000); break;
        case 'b': tfm_deprecated("-b", "--batch"); /* fall through */
        case OPT_BATCH: o.batch = (int)tfm_opt_long("--batch", optarg, 1, 1 << 20); break;
        case 'l': o.lr = tfm_opt_double("--lr", optarg, 0, 1e3); break;
        case 'w': o.weight_decay = tfm_opt_double("--weight-decay", optarg, 0, 1e3); break;
        case OPT_OPTIM:
            if (tfm_train_optim_parse(optarg, &o.optimizer) < 0) tfm_usage_error("%s", tfm_last_error());
            break;
        case OPT_MOMENTUM: o.momentum = tfm_opt_double("--momentum", optarg, 0, 1); break;
        case OPT_CW: parse_class_weight(optarg, o.class_weight); break;
        case 's': o.seed = (uint64_t)tfm_opt_long("--seed", optarg, 0, 0x7FFFFFFFFFFFFFFFL); break;
        case OPT_VAL: val_split = optarg; break;
        case OPT_SELECT:
            if (!strcmp(optarg, "loss")) sel = SEL_LOSS;
            else if (!strcmp(optarg, "auc")) sel = SEL_AUC;
            else if (!strcmp(optarg, "accuracy") || !strcmp(optarg, "acc")) sel = SEL_ACC;
            else tfm_usage_error("--select wants loss, auc or accuracy, not '%s'", optarg);
            break;
        case OPT_LAYOUT:
            if (!strcmp(optarg, "sites")) lo.layout = TFM_LAYOUT_SITES;
            else if (!strcmp(optarg, "mitar")) lo.layout = TFM_LAYOUT_MITAR;
            else tfm_usage_error("--layout wants sites or mitar, not '%s'", optarg);
            break;
        case OPT_SKIP: lo.skip_bad = 1; break;
        case OPT_DECOYS: lo.decoys = (int)tfm_opt_long("--decoys", optarg, 0, 100); break;
        case OPT_SHUFFLES: lo.shuffles = (int)tfm_opt_long("--decoy-shuffles", optarg, 0, 100); break;
        case OPT_DECOY_NEG: lo.decoy_negatives = 1; break;
        case OPT_AVERAGE: o.average = tfm_opt_double("--average", optarg, 0, 0.999999); break;
        case OPT_TEACHER:
            if (n_teacher == MAX_TEACHERS) tfm_usage_error("at most %d --teacher models", MAX_TEACHERS);
            teacher_path[n_teacher++] = optarg;
            break;
        case OPT_MEMBER:
            if (n_member == TFM_ENS_MAX) tfm_usage_error("at most %d --member models", TFM_ENS_MAX);
            member_path[n_member++] = optarg;
            break;
        case OPT_CASCADE: cascade = tfm_opt_double("--cascade", optarg, 0, 1); break;
        case OPT_ALPHA: alpha = tfm_opt_double("--distill-alpha", optarg, 0, 1); break;
        case OPT_BALANCE:
            for (lo.balance = 0; lo.balance < N_BALANCE && strcmp(optarg, balance_name[lo.balance]); lo.balance++) {}
            if (lo.balance == N_BALANCE) tfm_usage_error("--balance wants none, mirna or mirna-harmonic, not '%s'", optarg);
            break;
        case OPT_SITE_MODE: tfm_deprecated("--site-mode", "--mode"); /* fall through */
        case 'm':
            if ((c = tfm_mode_parse(optarg)) < 0 || c == TFM_MODE_CANONICAL || c == TFM_MODE_ESA)
                tfm_usage_error("--mode wants offset-9-mer-m7, 10-mer-m7 or 10-mer-m6, not '%s'", optarg);
            lo.windows = 1, lo.mode = (enum tfm_mode)c;
            break;
        case OPT_RNAFM: rnafm_path = optarg; break;
        case OPT_RNAFM_DET: rnafm_det = (int)tfm_opt_long("--rnafm-det", optarg, 0, 1); break;
        case 'h': usage(stdout, &o); return 0;
        default: tfm_usage_error("invalid option");
        }
    }
    const char *output = co.output;
    int quiet = co.quiet;
    o.threads = co.threads;
    if (!arch_arg) tfm_usage_error("--arch is required (targetnet, deeptarget or targetfm)");
    if (!strcmp(arch_arg, "targetnet")) o.arch = TFM_ARCH_TARGETNET;
    else if (!strcmp(arch_arg, "deeptarget")) o.arch = TFM_ARCH_DEEPTARGET;
    else if (!strcmp(arch_arg, "targetfm")) o.arch = TFM_ARCH_TARGETFM1;
    else tfm_usage_error("unknown architecture '%s' (targetnet, deeptarget, targetfm)", arch_arg);
    int fm_arch = o.arch == TFM_ARCH_TARGETFM1;
    if (rnafm_path && rnafm_det >= 0) tfm_usage_error("--rnafm and --rnafm-det exclude each other");
    if (fm_arch && !rnafm_path && rnafm_det < 0)
        tfm_usage_error("--arch targetfm needs the RNA-FM checkpoint: --rnafm FILE (or --rnafm-det 0|1)");
    if (!fm_arch && (rnafm_path || rnafm_det >= 0)) tfm_usage_error("--rnafm and --rnafm-det need --arch targetfm");
    if (!output) tfm_usage_error("--output is required");
    if (cascade >= 0 && !n_member) tfm_usage_error("--cascade needs --member");
    if (n_member && cascade < 0) cascade = 0.8;
    if (n_member && fm_arch) tfm_usage_error("--member: not for --arch targetfm");
    char *written = tfm_write_path(output); /* before hours of training: -o must be writable as a file */
    if (!written) tfm_die_last();
    if (lo.windows && o.arch != TFM_ARCH_DEEPTARGET)
        tfm_usage_error("--mode needs --arch deeptarget (TargetNet reads 40-nt esa windows)");
    if (argc - optind != 1) tfm_usage_error("expected one input file");
    const char *input = argv[optind];
    tfm_progress_set_quiet(quiet);
    openblas_set_num_threads(1); /* RNA-FM embedding (targetfm): parallel over inputs instead */
    /* training's GEMMs: the widest build the CPU runs, or the one named (tests: the bytes do not
     * depend on it) */
    const char *isa = getenv("TFM_GEMM_ISA");
    if (isa && *isa && tfm_gemm_set_isa(isa)) tfm_die_last();

    double t_start = tfm_seconds();
    tfm_enc_t enc = tfm_train_arch_encoding(o.arch);
    lo.val_split = val_split;
    lo.seed = o.seed;
    tfm_train_data_t *d = tfm_train_data_load(input, enc, &lo);
    if (!d) tfm_die_last();
    if (d->n_skipped && !quiet) tfm_warn("%s: %zu rows left out (--skip-bad)", input, d->n_skipped);
    if (d->n_train == 0) tfm_die("%s: no training rows", input);
    if (d->n_val == 0 && !quiet)
        tfm_warn("%s: no validation rows (split '%s'): the last epoch is written", input, val_split);
    if (!quiet && lo.windows)
        fprintf(stderr, "tfm-train: %s: %s windows of %zu training and %zu validation rows (%zu rows without one)\n",
                input, tfm_mode_name(lo.mode), d->rows_train, d->rows_val, d->n_nosite);
    if (!quiet && (lo.decoys || lo.shuffles))
        fprintf(stderr, "tfm-train: %s: %zu decoy samples (label 0) from %zu decoy rows\n", input, d->n_decoy,
                d->rows_decoy);
    if (!quiet)
        fprintf(stderr, "tfm-train: %s: %zu training samples (%zu positive), %zu validation samples (%zu positive), md5 %s\n",
                input, d->n_train, d->pos_train, d->n_val, d->pos_val, d->md5);

    char *member_opts[TFM_ENS_MAX], member_md5[TFM_ENS_MAX][33];
    if (n_member) members(&lo, &o, member_path, n_member, member_opts, member_md5);
    char *teacher_opts[MAX_TEACHERS];
    if (n_teacher) distill(d, &lo, &o, teacher_path, n_teacher, alpha, quiet, teacher_opts);

    fm_info_t fi = {0};
    if (fm_arch) embed(d, rnafm_path, rnafm_det, o.threads, quiet, &fi);

    tfm_model_t *m = tfm_train_model_new(o.arch, o.seed, d->fm_d);
    if (!m) tfm_die_last();
    tfm_trainer_t *tr = tfm_train_new(m, &o);
    if (!tr) tfm_die_last();
    float *best = tfm_malloc(sizeof(float) * m->n_params);
    tfm_train_eval_t best_ev = {0};
    tfm_train_epoch_t best_st = {0};
    int best_epoch = 0;
    double train_seconds = 0;
    size_t train_samples = 0;
    double t_train = tfm_seconds();
    for (int e = 1; e <= o.epochs; e++) {
        prog_t p = {e, o.epochs, t_train, 0};
        tfm_train_epoch_t st;
        tfm_train_epoch(tr, d, &st, tfm_progress_on() ? on_batch : NULL, &p);
        tfm_progress_done();
        train_seconds += st.seconds, train_samples += st.samples;
        tfm_train_eval_t ev;
        tfm_train_swap_average(tr); /* validate (and keep) the averaged weights */
        tfm_train_evaluate(tr, d, 1, &ev);
        int better = best_epoch == 0 || d->n_val == 0;
        if (!better && sel == SEL_LOSS) better = ev.loss < best_ev.loss;
        if (!better && sel == SEL_AUC) better = ev.roc_auc > best_ev.roc_auc;
        if (!better && sel == SEL_ACC) better = ev.accuracy > best_ev.accuracy;
        if (better) {
            memcpy(best, m->params, sizeof(float) * m->n_params);
            best_ev = ev, best_st = st, best_epoch = e;
        }
        tfm_train_swap_average(tr);
        if (!quiet) {
            char b1[16], b2[16];
            fprintf(stderr, "tfm-train: epoch %d/%d train loss %.4f (%.1f s, %.0f samples/s)", e, o.epochs, st.loss,
                    st.seconds, st.seconds > 0 ? st.samples / st.seconds : 0);
            if (d->n_val)
                fprintf(stderr, " val loss %.4f accuracy %s roc-auc %s%s", ev.loss, tfm_metrics_fmt(ev.accuracy, b1),
                        tfm_metrics_fmt(ev.roc_auc, b2), better ? " *" : "");
            fputc('\n', stderr);
        }
    }
    memcpy(m->params, best, sizeof(float) * m->n_params);

    /* metadata: everything needed to reproduce and judge the model; no times, no paths beyond
     * the input's base name, no thread count (the bytes do not depend on it) */
    meta_t md = {0};
    char *inbuf = tfm_strdup(input);
    meta(&md, "architecture", "%s", tfm_model_arch_name(o.arch));
    meta(&md, "encoding", "%s", tfm_encode_name(enc));
    meta(&md, "encoding_input", "%s",
         o.arch == TFM_ARCH_TARGETNET ? "window = site_seq reversed (3'->5'), extended seed alignment of miRNA nt 1-10"
         : lo.windows ? "miRNA 5'->3' and a candidate window of the site (site_mode) reversed (3'->5')"
         : fm_arch    ? "miRNA 5'->3' and the first 30 nt of site_seq reversed (3'->5'), each as TargetFM's 30-token "
                        "RNA-FM input ('O' pre-padding), representations of the RNA-FM's last layer (frozen)"
                      : "miRNA 5'->3' and the first 30 nt of site_seq reversed (3'->5')");
    if (fm_arch) { /* the encoder the head needs at scoring time, and how to recognise it */
        meta(&md, "rnafm", "%s", fi.name);
        if (fi.md5[0]) meta(&md, "rnafm_md5", "%s", fi.md5), meta(&md, "rnafm_size", "%lld", fi.size);
        meta(&md, "rnafm_embed_dim", "%d", d->fm_d);
        meta(&md, "rnafm_layer", "%d", fi.layer);
        meta(&md, "rnafm_inputs", "%zu distinct (%zu first seen as a miRNA), embedded once", d->n_fm, d->n_fm_mirna);
    }
    if (lo.windows) {
        /* what tfm-seed, tfm-score and tfm-aggregate need to use the model as trained */
        meta(&md, "site_mode", "%s", tfm_mode_name(lo.mode));
        meta(&md, "site_windows", "negative sites: every window; positive sites: the window with the fewest seed "
                                  "errors, then nearest site nt %d, then 5'-most; %zu rows without a window left out",
             TFM_TRAIN_ANCHOR, d->n_nosite);
        md.key[md.n] = "mirna_prior";
        md.val[md.n++] = tfm_metrics_prior_format(d->prior);
        meta(&md, "aggregate", "any-site");
    }
    meta(&md, "loss", "%s", o.arch == TFM_ARCH_TARGETNET ? "sigmoid binary cross-entropy" : "2-class softmax cross-entropy");
    meta(&md, "trainer", "tfm-train %s", TFM_VERSION);
    meta(&md, "data", "%s", basename(inbuf));
    meta(&md, "data_md5", "%s", d->md5);
    if (lo.windows)
        meta(&md, "data_site_rows", "train %zu, val %zu, without a window %zu", d->rows_train, d->rows_val, d->n_nosite);
    meta(&md, "data_rows", "train %zu (%zu positive), val %zu (%zu positive), skipped %zu", d->n_train, d->pos_train,
         d->n_val, d->pos_val, d->n_skipped);
    char mom[64] = "";
    if (o.optimizer == TFM_OPT_SGD) snprintf(mom, sizeof mom, " --momentum %g", o.momentum);
    meta(&md, "options",
         "--arch %s --epochs %d --batch %d --lr %g --weight-decay %g --optimizer %s%s --class-weight %g,%g "
         "--seed %llu --val-split %s --select %s --layout %s%s",
         arch_arg, o.epochs, o.batch, o.lr, o.weight_decay, tfm_train_optim_name(o.optimizer), mom,
         o.class_weight[0], o.class_weight[1], (unsigned long long)o.seed, val_split, SEL_NAME[sel],
         lo.layout == TFM_LAYOUT_MITAR ? "mitar" : "sites", lo.skip_bad ? " --skip-bad" : "");
    if (lo.windows || fm_arch) { /* appended so that models trained without them keep their option string */
        if (lo.windows) meta_append(&md, " --mode %s", tfm_mode_name(lo.mode));
        else if (rnafm_det >= 0) meta_append(&md, " --rnafm-det %d", rnafm_det);
        else meta_append(&md, " --rnafm %s", fi.name);
    }
    if (o.average > 0) meta_append(&md, " --average %g", o.average);
    for (int j = 0; j < n_teacher; j++) { /* base names, like the data's */
        const char *b = strrchr(teacher_path[j], '/');
        meta_append(&md, " --teacher %s", b ? b + 1 : teacher_path[j]);
    }
    if (n_teacher) meta_append(&md, " --distill-alpha %g", alpha);
    for (int j = 0; j < n_member; j++) {
        const char *b = strrchr(member_path[j], '/');
        meta_append(&md, " --member %s", b ? b + 1 : member_path[j]);
    }
    if (n_member) meta_append(&md, " --cascade %g", cascade);
    if (lo.decoys || lo.shuffles || lo.balance || lo.decoy_negatives) {
        meta_append(&md, " --decoys %d --balance %s%s", lo.decoys, balance_name[lo.balance],
                    lo.decoy_negatives ? " --decoy-negatives" : "");
        if (lo.shuffles) meta_append(&md, " --decoy-shuffles %d", lo.shuffles);
        meta(&md, "identity_control", "%zu decoy samples from %zu decoy rows (positive sites paired with another "
                                      "positive row's miRNA of a different seed); per-miRNA class balance: %s",
             d->n_decoy, d->rows_decoy, lo.balance == TFM_BALANCE_MIRNA_HARMONIC ? "yes, harmonic" : lo.balance ? "yes" : "no");
    }
    static const char *const teacher_key[MAX_TEACHERS] = {
        "teacher_1", "teacher_2",  "teacher_3",  "teacher_4",  "teacher_5",  "teacher_6",  "teacher_7",  "teacher_8",
        "teacher_9", "teacher_10", "teacher_11", "teacher_12", "teacher_13", "teacher_14", "teacher_15", "teacher_16"};
    record_files(&md, teacher_key, teacher_path, teacher_opts, n_teacher); /* tests/model_retrain.sh rebuilds them */
    const char *member_key[TFM_ENS_MAX] = {0};
    for (int j = 0; j < n_member; j++) member_key[j] = tfm_ens_key(j + 1, 0);
    record_files(&md, member_key, member_path, member_opts, n_member);
    for (int j = 0; j < n_member; j++) meta(&md, tfm_ens_key(j + 1, 1), "%s", member_md5[j]);
    if (n_member) meta(&md, "cascade", "%g", cascade);
    meta(&md, "seed", "%llu", (unsigned long long)o.seed);
    meta(&md, "epoch", "%d", best_epoch);
    meta(&md, "epochs", "%d", o.epochs);
    meta(&md, "train_loss", "%.6g", best_st.loss);
    if (d->n_val) {
        char b[16];
        meta(&md, "val_loss", "%.6g", best_ev.loss);
        meta(&md, "val_accuracy", "%s", tfm_metrics_fmt(best_ev.accuracy, b));
        meta(&md, "val_roc_auc", "%s", tfm_metrics_fmt(best_ev.roc_auc, b));
    }
    if (tfm_train_save(written, m, md.key, (const char *const *)md.val, md.n) < 0) {
        if (tfm_write_renames(written, output)) unlink(written);
        tfm_die_last();
    }
    if (tfm_write_renames(written, output) && rename(written, output) < 0) {
        int e = errno;
        unlink(written);
        tfm_die("cannot rename '%s' to '%s': %s", written, output, strerror(e));
    }
    free(written);
    if (!quiet || co.verbose) /* the summary line of -v; shown by default too */
        tfm_summary(t_start, "wrote %s (epoch %d); %zu samples trained in %.1f s (%.0f samples/s, GEMM build %s)",
                    output, best_epoch, train_samples, train_seconds,
                    train_seconds > 0 ? train_samples / train_seconds : 0, tfm_gemm_isa());
    for (int i = 0; i < md.n; i++) free(md.val[i]);
    free(inbuf), free(best);
    tfm_train_free(tr);
    tfm_model_free(m);
    tfm_train_data_free(d);
    return 0;
}
