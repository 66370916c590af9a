#include "seqio.h"

#include <errno.h>
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/hts_log.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "util.h"

KHASH_SET_INIT_STR(idset)

struct tfm_fasta {
    BGZF *fp;
    char *name;
    enum tfm_alphabet alpha;
    kstring_t line;
    long lineno;
    int have_line; /* `line` holds a header read ahead */
    int resync;    /* the last record was bad: skip its remaining lines first */
    int eof;
    int faidx;     /* also check the line layout an htslib index needs */
    khash_t(idset) *ids;
    int64_t size;  /* of the file as stored, -1 for a pipe */
};

/* Letter table: normalised letter for each byte, 0 for bytes that are never a base. */
static unsigned char norm_table[256];
static void init_norm_table(void)
{
    static int done;
    if (done) return;
    const char *up = "ACGUN", *lo = "acgun";
    for (int i = 0; up[i]; i++) norm_table[(unsigned char)up[i]] = up[i], norm_table[(unsigned char)lo[i]] = up[i];
    norm_table['T'] = norm_table['t'] = 'U';
    done = 1;
}

long tfm_seq_normalise(char *s, size_t n, enum tfm_alphabet alpha)
{
    init_norm_table();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = norm_table[(unsigned char)s[i]];
        if (!c || (c == 'N' && alpha == TFM_ALPHA_ACGU)) return (long)i;
        s[i] = (char)c;
    }
    return -1;
}

long tfm_seq_check(const char *s, size_t n, enum tfm_alphabet alpha)
{
    init_norm_table();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = norm_table[(unsigned char)s[i]];
        if (!c || (c == 'N' && alpha == TFM_ALPHA_ACGU)) return (long)i;
    }
    return -1;
}

const char *tfm_byte_repr(int c, char buf[8])
{
    if (c > 32 && c < 127) snprintf(buf, 8, "'%c'", c);
    else snprintf(buf, 8, "\\x%02X", c & 0xff);
    return buf;
}

/* Take over fp; `name` is how messages show the file. */
static tfm_fasta_t *fasta_open(BGZF *fp, const char *name, int64_t size, enum tfm_alphabet alpha, int check_dup)
{
    init_norm_table();
    if (!fp) return NULL;
    tfm_fasta_t *f = tfm_calloc(1, sizeof *f);
    f->fp = fp;
    f->name = tfm_strdup(name);
    f->alpha = alpha;
    f->size = size;
    if (check_dup) f->ids = kh_init(idset);
    return f;
}

tfm_fasta_t *tfm_fasta_open(const char *path, enum tfm_alphabet alpha, int check_dup)
{
    return fasta_open(tfm_input_open(path), tfm_input_name(path), tfm_file_size(path), alpha, check_dup);
}

tfm_fasta_t *tfm_fasta_open_mem(const void *buf, size_t len, const char *name, enum tfm_alphabet alpha, int check_dup)
{
    return fasta_open(tfm_input_open_mem(buf, len), name, (int64_t)len, alpha, check_dup);
}

const char *tfm_fasta_name(const tfm_fasta_t *f) { return f->name; }

/* The position of the underlying file: compressed bytes, which are what the size counts. */
double tfm_fasta_fraction(const tfm_fasta_t *f)
{
    return f->size > 0 ? fmin(1, (double)htell(f->fp->fp) / (double)f->size) : -1;
}

/* Next line into f->line without its line end; 1 ok, 0 EOF, -1 error. rec: the record being
 * read, or NULL. */
static int next_line(tfm_fasta_t *f, const char *rec)
{
    return tfm_input_line(f->fp, &f->line, f->name, &f->lineno, rec);
}

static void set_str(char **dst, size_t *cap, const char *src, size_t n)
{
    TFM_GROW(*dst, *cap, n + 1);
    memcpy(*dst, src, n);
    (*dst)[n] = 0;
}

int tfm_fasta_read(tfm_fasta_t *f, tfm_seq_t *rec)
{
    int r;
    if (f->eof) return 0;
    if (f->resync) { /* the rest of a bad record, up to the next header */
        f->resync = 0;
        while ((r = next_line(f, rec->id)) == 1 && !(f->line.l && f->line.s[0] == '>')) {}
        if (r < 0) return -1;
        if (r == 0) return f->eof = 1, 0;
        f->have_line = 1;
    }
    if (!f->have_line) { /* first call: skip blank lines, expect a header */
        do {
            if ((r = next_line(f, NULL)) <= 0) return r;
        } while (f->line.l == 0);
        if (f->line.s[0] != '>')
            return tfm_fail("%s:%ld: expected a FASTA header ('>') but found other text", f->name, f->lineno);
    }
    f->have_line = 0;
    /* header */
    const char *h = f->line.s + 1;
    size_t idn = strcspn(h, " \t");
    if (idn == 0) return tfm_fail("%s:%ld: FASTA header without an id", f->name, f->lineno);
    set_str(&rec->id, &rec->id_cap, h, idn);
    rec->line = f->lineno;
    rec->len = 0;
    TFM_GROW(rec->seq, rec->seq_cap, 1);
    /* sequence lines up to the next header or end of file */
    size_t width = 0, prev = 0; /* lengths of the record's first line and of the line before */
    for (long nl = 0; (r = next_line(f, rec->id)) == 1; nl++) {
        if (f->line.l && f->line.s[0] == '>') { f->have_line = 1; break; }
        if (f->faidx && f->line.l && nl && (prev < width || f->line.l > width))
            return tfm_fail("%s:%ld: line of %zu letters after one of %zu (record %s): an index needs every line of a "
                            "record but its last equally long: rewrap the sequence", f->name, f->lineno, f->line.l, prev,
                            rec->id);
        if (!nl) width = f->line.l;
        prev = f->line.l;
        long bad = tfm_seq_normalise(f->line.s, f->line.l, f->alpha);
        if (bad >= 0) {
            char b[8];
            f->resync = 1;
            tfm_fail("%s:%ld: invalid %s %s at column %ld (record %s)", f->name, f->lineno,
                            f->alpha == TFM_ALPHA_ACGU ? "miRNA letter" : "letter",
                            tfm_byte_repr((unsigned char)f->line.s[bad], b), bad + 1, rec->id);
            return TFM_FASTA_BAD;
        }
        TFM_GROW(rec->seq, rec->seq_cap, rec->len + f->line.l + 1);
        memcpy(rec->seq + rec->len, f->line.s, f->line.l);
        rec->len += f->line.l;
    }
    if (r < 0) return -1;
    if (r == 0) f->eof = 1;
    rec->seq[rec->len] = 0;
    if (rec->len == 0) {
        tfm_fail("%s:%ld: record without sequence (record %s)", f->name, rec->line, rec->id);
        return TFM_FASTA_BAD;
    }
    if (f->ids) {
        int absent;
        khint_t k = kh_put(idset, f->ids, rec->id, &absent);
        if (!absent) {
            tfm_fail("%s:%ld: duplicate record id (record %s)", f->name, rec->line, rec->id);
            return TFM_FASTA_BAD;
        }
        kh_key(f->ids, k) = tfm_strdup(rec->id);
    }
    return 1;
}

void tfm_fasta_close(tfm_fasta_t *f)
{
    if (!f) return;
    bgzf_close(f->fp);
    if (f->ids) {
        for (khint_t k = 0; k < kh_end(f->ids); k++)
            if (kh_exist(f->ids, k)) free((char *)kh_key(f->ids, k));
        kh_destroy(idset, f->ids);
    }
    free(f->line.s);
    free(f->name);
    free(f);
}

void tfm_seq_free(tfm_seq_t *rec)
{
    free(rec->id);
    free(rec->seq);
    memset(rec, 0, sizeof *rec);
}

/* tfm_fasta_count with messages naming the file as `shown` */
static int count_as(const char *path, const char *shown, enum tfm_alphabet alpha, int faidx, long *nrec, uint64_t *nt)
{
    tfm_fasta_t *f = fasta_open(tfm_input_open(path), shown, 0, alpha, 1);
    if (!f) return -1;
    f->faidx = faidx;
    tfm_seq_t rec = {0};
    int r;
    *nrec = 0, *nt = 0;
    while ((r = tfm_fasta_read(f, &rec)) == 1) ++*nrec, *nt += rec.len;
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    return r < 0 ? -1 : 0;
}

/* Every record checked before indexing; an index of nothing is an error too. */
static int check_all(const char *path, const char *shown, enum tfm_alphabet alpha)
{
    long n;
    uint64_t nt;
    if (count_as(path, shown, alpha, 1, &n, &nt) < 0) return -1;
    return n ? 0 : tfm_fail("%s: no FASTA records", shown);
}

int tfm_fasta_count(const char *path, enum tfm_alphabet alpha, long *nrec, uint64_t *nt)
{
    return count_as(path, tfm_input_name(path), alpha, 0, nrec, nt);
}

/* ---- indexed access (htslib faidx) ---- */

struct tfm_faidx {
    faidx_t *fai;
    char *name;
    enum tfm_alphabet alpha;
};

int tfm_fasta_compression(const char *path)
{
    BGZF *fp = bgzf_open(path, "r");
    if (!fp) return tfm_fail("cannot open '%s': %s", path, strerror(errno ? errno : ENOENT));
    int c = bgzf_compression(fp);
    bgzf_close(fp);
    return c == 2 ? 1 : c == 1 ? 2 : 0;
}

tfm_faidx_t *tfm_faidx_open(const char *path, enum tfm_alphabet alpha, int *err)
{
    *err = 0;
    if (strcmp(path, "-") == 0) return NULL;
    kstring_t fai = {0};
    ksprintf(&fai, "%s.fai", path);
    struct stat sf, si;
    int have = stat(fai.s, &si) == 0;
    if (!have) {
        free(fai.s);
        return NULL;
    }
    *err = -1;
    tfm_faidx_t *x = NULL;
    if (stat(path, &sf) != 0) {
        tfm_fail("cannot open '%s': %s", path, strerror(errno));
    } else if (si.st_mtime < sf.st_mtime) {
        tfm_fail("%s: the index %s is older than the file: rebuild it (tfm-index %s)", path, fai.s, path);
    } else {
        int c = tfm_fasta_compression(path);
        if (c == 2) {
            tfm_fail("%s: gzip but not BGZF, so %s cannot be used: recompress it (tfm-index -o OUT.fa.gz %s)", path,
                     fai.s, path);
        } else if (c >= 0) {
            int level = hts_get_log_level();
            hts_set_log_level(HTS_LOG_OFF); /* our message instead of htslib's */
            faidx_t *fx = fai_load3(path, NULL, NULL, 0);
            hts_set_log_level(level);
            if (!fx) {
                tfm_fail("%s: cannot load the index %s%s", path, fai.s, c == 1 ? " (and its .gzi)" : "");
            } else {
                x = tfm_calloc(1, sizeof *x);
                x->fai = fx;
                x->name = tfm_strdup(path);
                x->alpha = alpha;
                *err = 0;
            }
        }
    }
    free(fai.s);
    return x;
}

long tfm_faidx_nseq(const tfm_faidx_t *x) { return faidx_nseq(x->fai); }

int tfm_faidx_fetch(tfm_faidx_t *x, const char *id, tfm_seq_t *rec)
{
    if (!faidx_has_seq(x->fai, id)) return 0;
    hts_pos_t len = 0;
    int level = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    char *s = faidx_fetch_seq64(x->fai, id, 0, HTS_POS_MAX, &len);
    hts_set_log_level(level);
    if (!s || len < 0) {
        free(s);
        return tfm_fail("%s: read error fetching record %s (truncated file or stale index?)", x->name, id);
    }
    set_str(&rec->id, &rec->id_cap, id, strlen(id));
    set_str(&rec->seq, &rec->seq_cap, s, (size_t)len);
    free(s);
    rec->len = (size_t)len;
    rec->line = 0;
    if (len == 0) return tfm_fail("%s: record without sequence (record %s)", x->name, id);
    if (memchr(rec->seq, 0, rec->len)) return tfm_fail("%s: NUL byte in record %s", x->name, id);
    long bad = tfm_seq_normalise(rec->seq, rec->len, x->alpha);
    if (bad >= 0) {
        char b[8];
        return tfm_fail("%s: invalid %s %s at position %ld (record %s)", x->name,
                        x->alpha == TFM_ALPHA_ACGU ? "miRNA letter" : "letter",
                        tfm_byte_repr((unsigned char)rec->seq[bad], b), bad + 1, id);
    }
    return 1;
}

void tfm_faidx_close(tfm_faidx_t *x)
{
    if (!x) return;
    fai_destroy(x->fai);
    free(x->name);
    free(x);
}

/* PATH.fai (and .gzi) of a checked file whose compression c (tfm_fasta_compression) allows it */
static int build_fai(const char *path, int c)
{
    int level = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    int r = fai_build3(path, NULL, NULL);
    hts_set_log_level(level);
    if (r != 0) return tfm_fail("%s: cannot write the index %s.fai%s: %s", path, path, c == 1 ? " and .gzi" : "",
                                strerror(errno ? errno : EIO));
    return 0;
}

int tfm_fasta_index(const char *path, enum tfm_alphabet alpha)
{
    int c = tfm_fasta_compression(path);
    if (c < 0) return -1;
    if (c == 2) return tfm_fail("%s: gzip but not BGZF: recompress it to index it (tfm-index -o OUT.fa.gz %s)", path, path);
    if (check_all(path, path, alpha) < 0) return -1;
    return build_fai(path, c);
}

/* Copy in to tmp (BGZF when gz); read errors name `in` and its last good line. */
static int copy_bytes(const char *in, const char *tmp, const char *out, int gz)
{
    BGZF *src = tfm_input_open(in);
    if (!src) return -1;
    BGZF *dst = bgzf_open(tmp, gz ? "w" : "wu");
    int r = 0;
    if (!dst) {
        r = tfm_fail("cannot create '%s': %s", tmp, strerror(errno ? errno : EIO));
    } else {
        char buf[1 << 16];
        ssize_t got;
        long lines = 0;
        int level = hts_get_log_level();
        hts_set_log_level(HTS_LOG_OFF); /* our message for a truncated input, not htslib's */
        /* no read spans two blocks: when the next one is broken, no line of this one is lost */
        size_t left;
        while ((left = (size_t)(src->block_length - src->block_offset)),
               (got = bgzf_read(src, buf, left ? (left < sizeof buf ? left : sizeof buf) : 1)) > 0) {
            for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + got - p))); p++) lines++;
            if (bgzf_write(dst, buf, (size_t)got) != got) {
                r = tfm_fail("%s: write error: %s", out, strerror(errno ? errno : EIO));
                break;
            }
        }
        hts_set_log_level(level);
        if (r == 0 && got < 0) r = tfm_input_fail(src, tfm_input_name(in), lines, NULL);
        if (bgzf_close(dst) != 0 && r == 0) r = tfm_fail("%s: write error: %s", out, strerror(errno ? errno : EIO));
    }
    bgzf_close(src);
    return r;
}

/* Copy in to out through OUT.tmp.PID; with check, every record of the copy is checked first
 * (messages name `in`: the copy has its lines) and out is indexed. */
static int copy(const char *in, const char *out, int check, enum tfm_alphabet alpha)
{
    size_t n = strlen(out);
    int gz = n > 3 && strcmp(out + n - 3, ".gz") == 0;
    kstring_t tmp = {0};
    ksprintf(&tmp, "%s.tmp.%ld", out, (long)getpid());
    int r = copy_bytes(in, tmp.s, out, gz);
    if (r == 0 && check) r = check_all(tmp.s, tfm_input_name(in), alpha);
    if (r == 0 && rename(tmp.s, out) != 0) r = tfm_fail("cannot rename '%s' to '%s': %s", tmp.s, out, strerror(errno));
    if (r != 0) unlink(tmp.s);
    if (r == 0 && check && build_fai(out, gz) != 0) r = -1, unlink(out);
    free(tmp.s);
    return r;
}

int tfm_fasta_copy(const char *in, const char *out) { return copy(in, out, 0, TFM_ALPHA_ACGUN); }

int tfm_fasta_copy_index(const char *in, const char *out, enum tfm_alphabet alpha) { return copy(in, out, 1, alpha); }
