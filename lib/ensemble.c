/* ensemble: see ensemble.h */
#include "ensemble.h"

#include <errno.h>
#include <htslib/hts.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn.h"
#include "seed.h"
#include "util.h"

const char *tfm_ens_key(int k, int md5)
{
    static char key[2][TFM_ENS_MAX][24];
    static int init;
    if (k < 1 || k > TFM_ENS_MAX) return NULL;
    if (!init) { /* filled once, before any thread could ask (the tools call it from main) */
        for (int i = 0; i < TFM_ENS_MAX; i++) {
            snprintf(key[0][i], sizeof key[0][i], "member_%d", i + 1);
            snprintf(key[1][i], sizeof key[1][i], "member_%d_md5", i + 1);
        }
        init = 1;
    }
    return key[md5 != 0][k - 1];
}

void tfm_ens_meta_free(tfm_ens_meta_t *e)
{
    for (int i = 0; i < e->n; i++) free(e->name[i]), free(e->md5[i]);
    e->n = 0;
}

int tfm_ens_meta_read(const tfm_ckpt_t *c, const char *path, tfm_ens_meta_t *e)
{
    memset(e, 0, sizeof *e);
    e->cascade = 0;
    while (e->n < TFM_ENS_MAX && tfm_ckpt_meta(c, tfm_ens_key(e->n + 1, 0))) {
        int k = e->n + 1;
        const char *v = tfm_ckpt_meta(c, tfm_ens_key(k, 0)), *md5 = tfm_ckpt_meta(c, tfm_ens_key(k, 1));
        const char *colon = strstr(v, ": ");
        size_t len = colon ? (size_t)(colon - v) : strlen(v);
        if (len == 0 || memchr(v, '/', len)) {
            tfm_ens_meta_free(e);
            return tfm_fail("%s: metadata: %s is not 'BASENAME: OPTIONS': '%s'", path, tfm_ens_key(k, 0), v);
        }
        if (!md5 || strlen(md5) != 32) {
            tfm_ens_meta_free(e);
            return tfm_fail("%s: metadata: %s has no MD5 (%s)", path, tfm_ens_key(k, 0), tfm_ens_key(k, 1));
        }
        e->name[e->n] = tfm_malloc(len + 1);
        memcpy(e->name[e->n], v, len), e->name[e->n][len] = 0;
        e->md5[e->n++] = tfm_strdup(md5);
    }
    if (e->n) {
        const char *tau = tfm_ckpt_meta(c, "cascade");
        if (!tau || tfm_parse_double(tau, &e->cascade) < 0 || !(e->cascade >= 0 && e->cascade <= 1)) {
            tfm_ens_meta_free(e);
            return tfm_fail("%s: metadata: members without a cascade between 0 and 1 ('%s')", path, tau ? tau : "");
        }
    }
    return 0;
}

static char *in_dir_of(const char *file, const char *name)
{
    const char *slash = strrchr(file, '/');
    size_t d = slash ? (size_t)(slash - file + 1) : 0;
    char *p = tfm_malloc(d + strlen(name) + 1);
    memcpy(p, file, d), strcpy(p + d, name);
    return p;
}

char *tfm_ens_member_path(const char *model_path, const char *name)
{
    char *p = in_dir_of(model_path, name);
    if (access(p, F_OK) == 0) return p;
    char *real = realpath(model_path, NULL); /* a link to the model (a workflow's staged input) */
    if (!real) return p;
    char *q = in_dir_of(real, name);
    free(real);
    if (access(q, F_OK) == 0) return free(p), q;
    free(q);
    return p;
}

int tfm_weights_md5(const char *path, char hex[33])
{
    FILE *f = fopen(path, "rb");
    if (!f) return tfm_fail("%s: %s", path, strerror(errno));
    unsigned char h[8], buf[65536];
    int rc = -1;
    hts_md5_context *md5 = hts_md5_init();
    if (!md5) {
        fclose(f);
        return tfm_fail("%s: out of memory", path);
    }
    if (fread(h, 1, 8, f) != 8) {
        tfm_fail("%s: not a safetensors file (shorter than 8 bytes)", path);
        goto done;
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--) n = n << 8 | h[i];
    if (n > (uint64_t)LONG_MAX - 8 || fseek(f, (long)(8 + n), SEEK_SET) != 0) {
        tfm_fail("%s: not a safetensors file (header length %llu)", path, (unsigned long long)n);
        goto done;
    }
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) hts_md5_update(md5, buf, (unsigned long)got);
    if (ferror(f)) {
        tfm_fail("%s: %s", path, strerror(errno));
        goto done;
    }
    unsigned char digest[16];
    hts_md5_final(digest, md5);
    hts_md5_hex(hex, digest);
    rc = 0;
done:
    hts_md5_destroy(md5);
    fclose(f);
    return rc;
}

int tfm_ens_check(const tfm_ckpt_t *c, const char *path, tfm_arch_t arch, const char *encoding, int site_mode,
                  const char *who)
{
    const char *name = tfm_ckpt_meta(c, "architecture"), *mode = tfm_ckpt_meta(c, "site_mode");
    const char *enc = tfm_ckpt_meta(c, "encoding");
    tfm_arch_t a = 0;
    if (!name || tfm_model_arch_parse(name, &a) < 0 || a != arch)
        return tfm_fail("%s: architecture '%s', the %s's is %s", path, name ? name : "(none)", who,
                        tfm_model_arch_name(arch));
    if ((site_mode >= 0) != (mode != NULL) || (mode && tfm_mode_parse(mode) != site_mode))
        return tfm_fail("%s: trained on %s windows, the %s on %s", path, mode ? mode : "no", who,
                        site_mode >= 0 ? tfm_mode_name((enum tfm_mode)site_mode) : "no");
    if (encoding && (!enc || strcmp(enc, encoding) != 0))
        return tfm_fail("%s: encoding '%s', the %s's is %s", path, enc ? enc : "(none)", who, encoding);
    return 0;
}

int tfm_ens_check_single(const tfm_ckpt_t *c, const char *path)
{
    if (tfm_ckpt_meta(c, tfm_ens_key(1, 0)))
        return tfm_fail("%s: it has members of its own (an ensemble cannot be a member)", path);
    return 0;
}

float tfm_ens_combine(const float *p, int k)
{
    double s = 0;
    for (int i = 0; i < k; i++) {
        double q = p[i];
        q = q < 1e-7 ? 1e-7 : q > 1 - 1e-7 ? 1 - 1e-7 : q;
        s += tfm_nn_log(q / (1 - q));
    }
    return (float)tfm_nn_sigmoid(s / k);
}
