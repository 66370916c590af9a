#include "seqio.h"

#include <errno.h>
#include <htslib/bgzf.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_SET_INIT_STR(idset)

struct tfm_fasta {
    BGZF *fp;
    char *name;
    enum tfm_alphabet alpha;
    kstring_t line;
    long lineno;
    int have_line; /* `line` holds a header read ahead */
    int eof;
    khash_t(idset) *ids;
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

const char *tfm_byte_repr(int c, char buf[8])
{
    if (c > 32 && c < 127) snprintf(buf, 8, "'%c'", c);
    else snprintf(buf, 8, "\\x%02X", c & 0xff);
    return buf;
}

tfm_fasta_t *tfm_fasta_open(const char *path, enum tfm_alphabet alpha, int check_dup)
{
    init_norm_table();
    BGZF *fp = bgzf_open(path, "r");
    if (!fp) {
        tfm_fail("cannot open '%s': %s", path, strerror(errno ? errno : ENOENT));
        return NULL;
    }
    tfm_fasta_t *f = tfm_calloc(1, sizeof *f);
    f->fp = fp;
    f->name = tfm_strdup(strcmp(path, "-") == 0 ? "stdin" : path);
    f->alpha = alpha;
    if (check_dup) f->ids = kh_init(idset);
    return f;
}

const char *tfm_fasta_name(const tfm_fasta_t *f) { return f->name; }

/* Next line into f->line without its line end; 1 ok, 0 EOF, -1 error. */
static int next_line(tfm_fasta_t *f)
{
    int r = bgzf_getline(f->fp, '\n', &f->line);
    if (r == -1) return 0;
    if (r < -1) return tfm_fail("%s:%ld: read error after this line (truncated or corrupt file?)", f->name, f->lineno);
    f->lineno++;
    if (f->line.l && f->line.s[f->line.l - 1] == '\r') f->line.s[--f->line.l] = 0;
    if (memchr(f->line.s, 0, f->line.l)) return tfm_fail("%s:%ld: NUL byte in input", f->name, f->lineno);
    return 1;
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
    if (!f->have_line) { /* first call: skip blank lines, expect a header */
        do {
            if ((r = next_line(f)) <= 0) return r;
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
    while ((r = next_line(f)) == 1) {
        if (f->line.l && f->line.s[0] == '>') { f->have_line = 1; break; }
        long bad = tfm_seq_normalise(f->line.s, f->line.l, f->alpha);
        if (bad >= 0) {
            char b[8];
            return tfm_fail("%s:%ld: invalid %s %s at column %ld (record %s)", f->name, f->lineno,
                            f->alpha == TFM_ALPHA_ACGU ? "miRNA letter" : "letter",
                            tfm_byte_repr((unsigned char)f->line.s[bad], b), bad + 1, rec->id);
        }
        TFM_GROW(rec->seq, rec->seq_cap, rec->len + f->line.l + 1);
        memcpy(rec->seq + rec->len, f->line.s, f->line.l);
        rec->len += f->line.l;
    }
    if (r < 0) return -1;
    if (r == 0) f->eof = 1;
    rec->seq[rec->len] = 0;
    if (rec->len == 0) return tfm_fail("%s:%ld: record without sequence (record %s)", f->name, rec->line, rec->id);
    if (f->ids) {
        int absent;
        khint_t k = kh_put(idset, f->ids, rec->id, &absent);
        if (!absent) return tfm_fail("%s:%ld: duplicate record id (record %s)", f->name, rec->line, rec->id);
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
