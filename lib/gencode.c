#include "gencode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const region_names[] = {"utr3", "cds", "utr5", "all"};
static const char *const region_tags[] = {"UTR3:", "CDS:", "UTR5:"};

int tfm_region_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, region_names[i]) == 0) return i;
    return -1;
}

const char *tfm_region_name(enum tfm_region r) { return region_names[r]; }

static void set(char **dst, size_t *cap, const char *s, size_t n)
{
    TFM_GROW(*dst, *cap, n + 1);
    memcpy(*dst, s, n);
    (*dst)[n] = 0;
}

/* "a-b" of n bytes: 1 <= a <= b; 0 ok, -1 malformed. */
static int parse_range(const char *s, size_t n, long r[2])
{
    char buf[48];
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n), buf[n] = 0;
    char *dash = strchr(buf, '-');
    if (!dash) return -1;
    *dash = 0;
    long a, b;
    if (tfm_parse_long(buf, 1, 1L << 40, &a) < 0 || tfm_parse_long(dash + 1, 1, 1L << 40, &b) < 0 || b < a) return -1;
    r[0] = a, r[1] = b;
    return 0;
}

int tfm_gencode_parse(tfm_gencode_t *h, const char *header, size_t seq_len)
{
    const char *f[64];
    size_t fl[64];
    int n = 0;
    for (const char *p = header; n < 64;) {
        size_t k = strcspn(p, "|");
        f[n] = p, fl[n++] = k;
        if (!p[k]) break;
        p += k + 1;
    }
    memset(h->reg, 0, sizeof h->reg);
    h->annotated = 0;
    /* GENCODE: id|gene|havana gene|havana transcript|transcript name|gene name|length|regions...| */
    h->gencode = n >= 7 && fl[0] > 0 && fl[1] > 0 && fl[6] > 0 && strspn(f[6], "0123456789") == fl[6];
    if (!h->gencode) {
        set(&h->id, &h->id_cap, header, strlen(header));
        set(&h->gene_id, &h->gid_cap, ".", 1);
        set(&h->gene_name, &h->gname_cap, ".", 1);
        return 0;
    }
    set(&h->id, &h->id_cap, f[0], fl[0]);
    set(&h->gene_id, &h->gid_cap, f[1], fl[1]);
    if (fl[5]) set(&h->gene_name, &h->gname_cap, f[5], fl[5]);
    else set(&h->gene_name, &h->gname_cap, ".", 1);
    for (int i = 7; i < n; i++) {
        for (int r = 0; r < 3; r++) {
            size_t tl = strlen(region_tags[r]);
            if (fl[i] <= tl || strncmp(f[i], region_tags[r], tl) != 0) continue;
            long x[2];
            if (parse_range(f[i] + tl, fl[i] - tl, x) < 0)
                return tfm_fail("malformed region '%.*s' in the header", (int)fl[i], f[i]);
            if ((size_t)x[1] > seq_len)
                return tfm_fail("region '%.*s' ends beyond the sequence (%zu nt)", (int)fl[i], f[i], seq_len);
            if (h->reg[r][1] == 0) h->reg[r][0] = x[0]; /* a region in pieces: first start to last end */
            h->reg[r][1] = x[1];
            h->annotated = 1;
        }
    }
    return 0;
}

void tfm_gencode_free(tfm_gencode_t *h)
{
    free(h->id), free(h->gene_id), free(h->gene_name);
    memset(h, 0, sizeof *h);
}

void tfm_gencode_span(const tfm_gencode_t *h, enum tfm_region r, size_t seq_len, size_t *from, size_t *to)
{
    *from = 0, *to = seq_len;
    if (r == TFM_REGION_ALL || !h->annotated) return;
    if (h->reg[r][1] == 0) *to = 0; /* the transcript has no such region */
    else *from = (size_t)h->reg[r][0] - 1, *to = (size_t)h->reg[r][1];
}

/* ---- transcripts as searched ---- */

int tfm_tx_header(tfm_tx_t *tx, const tfm_seq_t *rec, const char *file, enum tfm_region region)
{
    if (tfm_gencode_parse(&tx->h, rec->id, rec->len) < 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", tfm_last_error());
        if (!file) return tfm_fail("%s (record %s)", msg, rec->id);
        return tfm_fail("%s:%ld: %s (record %s)", file, rec->line, msg, rec->id);
    }
    tfm_gencode_span(&tx->h, region, rec->len, &tx->from, &tx->to);
    tx->gene.l = 0;
    kputc('\t', &tx->gene), kputs(tx->h.gene_id, &tx->gene), kputc('\t', &tx->gene), kputs(tx->h.gene_name, &tx->gene);
    return 0;
}

int tfm_tx_gene_selected(tfm_select_t *genes, const tfm_gencode_t *h)
{
    if (!genes || !tfm_select_active(genes)) return 1;
    if (!h->gencode) return 0;
    char nover[256]; /* the gene id without its version */
    snprintf(nover, sizeof nover, "%.*s", (int)strcspn(h->gene_id, "."), h->gene_id);
    const char *names[] = {h->gene_id, nover, h->gene_name};
    return tfm_select_match_any(genes, names, 3);
}

int tfm_tx_next(tfm_fasta_t *f, tfm_seq_t *rec, tfm_tx_t *tx, enum tfm_region region, tfm_select_t *genes,
                tfm_bad_fn on_bad, void *ctx)
{
    int r;
    while ((r = tfm_fasta_read(f, rec)) != 0) {
        if (r == -1) return -1;
        if (r == 1 && tfm_tx_header(tx, rec, tfm_fasta_name(f), region) < 0) r = TFM_FASTA_BAD;
        if (r == TFM_FASTA_BAD) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", tfm_last_error());
            tfm_gencode_parse(&tx->h, rec->id, (size_t)-1); /* a record not asked for is no error */
            if (!tfm_tx_gene_selected(genes, &tx->h)) continue;
            if (!on_bad) return tfm_fail("%s", msg);
            on_bad(ctx, msg);
            continue;
        }
        if (tfm_tx_gene_selected(genes, &tx->h)) return 1;
    }
    return 0;
}

int tfm_tx_first_is_gencode(const char *path)
{
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGUN, 0);
    if (!f) return 0;
    tfm_seq_t rec = {0};
    tfm_gencode_t h = {0};
    int yes = tfm_fasta_read(f, &rec) != -1 && rec.id && tfm_gencode_parse(&h, rec.id, (size_t)-1) == 0 && h.gencode;
    tfm_gencode_free(&h);
    tfm_seq_free(&rec);
    tfm_fasta_close(f);
    return yes;
}

void tfm_tx_free(tfm_tx_t *tx)
{
    tfm_gencode_free(&tx->h);
    free(tx->gene.s);
    memset(tx, 0, sizeof *tx);
}
