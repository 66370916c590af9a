/* seqio and tsv: FASTA parsing, normalisation, line numbers in errors; TSV columns and rows;
 * truncated gzip input; copying and indexing a FASTA. */
#include <htslib/kstring.h>
#include <unistd.h>
#include <zlib.h>

#include <errno.h>
#include <limits.h>

#include "check.h"
#include "seqio.h"
#include "tsv.h"
#include "util.h"

static char tmpdir[] = "/tmp/tfm_test_io.XXXXXX";

static const char *write_file(const char *name, const char *content, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    fwrite(content, 1, n, f);
    fclose(f);
    return path;
}

#define WRITE(name, literal) write_file(name, literal, sizeof(literal) - 1)

/* Read every record; return the number read, or -1 with the error in tfm_last_error(). */
static int read_all(const char *path, enum tfm_alphabet a, int dup, char *first_seq, size_t cap)
{
    tfm_fasta_t *f = tfm_fasta_open(path, a, dup);
    if (!f) return -1;
    tfm_seq_t rec = {0};
    int n = 0, r;
    while ((r = tfm_fasta_read(f, &rec)) == 1) {
        if (n == 0 && first_seq) snprintf(first_seq, cap, "%s", rec.seq);
        n++;
    }
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    return r < 0 ? -1 : n;
}

static void test_fasta(void)
{
    char seq[256];
    const char *p = WRITE("a.fa", ">x desc\r\nacgt\r\nNNtu\r\n\n>y\nGGG");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, seq, sizeof seq), 2);
    CHECK_STR(seq, "ACGUNNUU");

    p = WRITE("b.fa", ">x\nACGX\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "b.fa:2: invalid letter 'X' at column 4 (record x)") != NULL, "%s", tfm_last_error());

    p = WRITE("c.fa", ">m\nACGN\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGU, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "c.fa:2: invalid miRNA letter 'N'") != NULL, "%s", tfm_last_error());

    p = WRITE("d.fa", ">x\n>y\nAC\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "d.fa:1: record without sequence (record x)") != NULL, "%s", tfm_last_error());

    p = WRITE("e.fa", ">\nAC\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "e.fa:1: FASTA header without an id") != NULL, "%s", tfm_last_error());

    p = WRITE("f.fa", ">x\nAC\n>x\nGG\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "f.fa:3: duplicate record id (record x)") != NULL, "%s", tfm_last_error());
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 0, NULL, 0), 2);

    p = WRITE("g.fa", ">x\nA\0C\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "g.fa:2: NUL byte") != NULL, "%s", tfm_last_error());

    p = WRITE("h.fa", "ACGT\n");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "h.fa:1: expected a FASTA header") != NULL, "%s", tfm_last_error());

    p = WRITE("empty.fa", "");
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), 0);

    CHECK_INT(read_all("/nonexistent/x.fa", TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    CHECK(strstr(tfm_last_error(), "cannot open '/nonexistent/x.fa'") != NULL, "%s", tfm_last_error());
}

static void test_tsv(void)
{
    const char *p = WRITE("a.tsv", "a\tb\tc\r\n1\t2\t3\n\n4\t\t6\n7\t8\n");
    tfm_tsv_t *t = tfm_tsv_open(p, 1, 0, NULL);
    CHECK(t != NULL, "open");
    if (!t) return;
    CHECK_INT(t->ncols, 3);
    CHECK_INT(tfm_tsv_col(t, "c"), 2);
    CHECK_INT(tfm_tsv_col(t, "zz"), -1);
    CHECK_INT(tfm_tsv_need(t, "zz"), -1);
    CHECK(strstr(tfm_last_error(), "a.tsv:1: missing column 'zz'") != NULL, "%s", tfm_last_error());
    CHECK_INT(tfm_tsv_read(t), 1);
    CHECK_STR(t->f[2], "3");
    CHECK_INT(tfm_tsv_read(t), 1);
    CHECK_INT(t->lineno, 4);
    CHECK_INT(t->flen[1], 0);
    CHECK_INT(tfm_tsv_read(t), -1);
    CHECK(strstr(tfm_last_error(), "a.tsv:5: 2 fields, but the header has 3 columns") != NULL, "%s", tfm_last_error());
    tfm_tsv_close(t);
}

static void test_parse(void)
{
    long v;
    double d;
    CHECK_INT(tfm_parse_long("12", 0, 100, &v), 0);
    CHECK_INT(v, 12);
    CHECK_INT(tfm_parse_long("12x", 0, 100, &v), -1);
    CHECK_INT(tfm_parse_long("", 0, 100, &v), -1);
    CHECK_INT(tfm_parse_long("101", 0, 100, &v), -1);
    /* 18 digits take the fast path, more go through strtol (fuzz_prior found the fast path
     * multiplying a 19th digit into an overflow, undefined behaviour) */
    CHECK_INT(tfm_parse_long("999999999999999999", 0, LONG_MAX, &v), 0);
    CHECK(v == 999999999999999999L, "18 digits: %ld", v);
    CHECK_INT(tfm_parse_long("9223372036854775807", 0, LONG_MAX, &v), 0);
    CHECK(v == LONG_MAX, "LONG_MAX: %ld", v);
    CHECK_INT(tfm_parse_long("9223372036854775808", 0, LONG_MAX, &v), -1);
    CHECK_INT(tfm_parse_long("9999999999999999999", 0, LONG_MAX, &v), -1);
    CHECK_INT(tfm_parse_long("96666666666666666667", 0, LONG_MAX, &v), -1);
    CHECK_INT(tfm_parse_long("0000000000000000000000012", 0, 100, &v), 0);
    CHECK_INT(v, 12);
    CHECK_INT(tfm_parse_double("0.5", &d), 0);
    CHECK_INT(tfm_parse_double("nan", &d), -1);
    CHECK_INT(tfm_parse_double("abc", &d), -1);
}

/* tfm_fasta_count, tfm_fasta_copy, tfm_fasta_index and lookups through tfm_faidx_* */
/* One value through a tfm_fmt_* function against snprintf with fmt; counts a difference in *bad
 * (the first few shown). */
static void check_fmt(const char *name, int (*fmt_fn)(char *, double), const char *fmt, double v, int *bad)
{
    char a[TFM_FMT_F6_SIZE], b[TFM_FMT_F6_SIZE];
    int len = fmt_fn(a, v);
    snprintf(b, sizeof b, fmt, v);
    if ((strcmp(a, b) != 0 || len != (int)strlen(b)) && (*bad)++ < 5)
        printf("not ok: %s(%.17g) = '%s', printf '%s'\n", name, v, a, b);
}

/* tfm_fmt_g6 writes what printf's "%.6g" writes, tfm_fmt_f6 what "%.6f" writes: special values
 * (ties and their neighbours, rounding up to the next power of ten, signs, zeros, the ends of the
 * fast ranges) and 4 M random floats, doubles, log odds and near-ties. */
static void test_fmt_g6(void)
{
    static const double special[] = {1e-4, 0.0001f, 0.00010001f, 0.9999995f, 0.99999946f, 0.99999955f, 1, 0.5, 0.1f,
                                     0.123456789f, 999999.5f, 999999.0f, 9.9999995f, 0.0009999995f, 0, 3e-5f, 1e6,
                                     12345.65f, 0.125, 1.5, -0.5f, 0.3, 1e300, -0.0, 0.5e-6, -0.5e-6, 1.5e-6, 2.5e-6,
                                     -2.221840, 999.9999995, -999.9999995, 1000, -1000, 999.4, 1e-7, -1e-7, 0.1234565,
                                     0.1234575, 3.0000005, 0.7, 1.0 / 3, 2.0 / 3, 0.00012345650000000001,
                                     0.99999949999999995, 0.9999995, 0.99999950000000005, 0.000099999999999999991,
                                     999999.49999999988, HUGE_VAL, -HUGE_VAL, NAN};
    int bad = 0, n = 0;
    uint64_t st = 42;
    for (size_t i = 0; i < sizeof special / sizeof *special + 4000000; i++) {
        double v;
        if (i < sizeof special / sizeof *special) v = special[i];
        else {
            uint64_t r = tfm_splitmix64(&st);
            uint32_t u = (uint32_t)(r >> 32) % (i % 3 ? 0x3F800001u : 0x49742400u); /* floats in [0, 1] / [0, 1e6) */
            float f;
            memcpy(&f, &u, 4);
            double d = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
            switch (i % 8) {
            case 0: v = d; break;
            case 1: v = (d - 0.5) * 80; break; /* log odds */
            case 2: v = d * 1e-3; break;
            case 3: v = nextafter(round(d * 1e6) / 1e6 + 5e-7, r & 1 ? 0 : 2); break; /* near a tie */
            default: v = f;
            }
        }
        check_fmt("tfm_fmt_g6", tfm_fmt_g6, "%.6g", v, &bad);
        check_fmt("tfm_fmt_f6", tfm_fmt_f6, "%.6f", v, &bad);
        n += 2;
    }
    CHECK(bad == 0, "tfm_fmt_g6, tfm_fmt_f6: %d of %d values differ from printf", bad, n);
}

/* tfm_parse_double's and tfm_parse_long's fast paths give strtod's and strtol's values; the
 * strings tfm writes (%.6g, positions) and some that leave the fast path. */
static void test_parse_fast(void)
{
    static const char *odd[] = {"1.", ".5", "-.5", "0.1234567890123456", "1234567890123456", "-0", "5e-05", "1e+06",
                                "+3", " 3", "3 ", "0x10", "00012", "-", ".", "-1.5", "999999999999999", NULL};
    int bad = 0, n = 0, nodd = 0;
    char buf[64];
    uint64_t st = 7;
    while (odd[nodd]) nodd++;
    for (int i = 0; i < nodd + 1000000; i++, n++) {
        const char *s = i < nodd ? odd[i] : buf;
        if (i >= nodd) {
            uint64_t r = tfm_splitmix64(&st);
            uint32_t u = (uint32_t)(r >> 32) % 0x49742400u;
            float f;
            memcpy(&f, &u, 4);
            if (i % 3) tfm_fmt_g6(buf, f);
            else snprintf(buf, sizeof buf, "%.*f", (int)(r % 12), (double)(r >> 40) / 1000.0);
        }
        double a = 0, b;
        char *end;
        errno = 0;
        b = strtod(s, &end);
        int want = errno || *end || !*s || isnan(b) ? -1 : 0;
        int got = tfm_parse_double(s, &a);
        if (got != want || (got == 0 && memcmp(&a, &b, sizeof a) != 0)) {
            if (bad++ < 5) printf("not ok: tfm_parse_double('%s') = %d %.17g, strtod %d %.17g\n", s, got, a, want, b);
        }
        errno = 0;
        long la = 0, lb = strtol(s, &end, 10);
        int lwant = !*s || *end || errno ? -1 : 0, lgot = tfm_parse_long(s, LONG_MIN, LONG_MAX, &la);
        if (lgot != lwant || (lgot == 0 && la != lb)) {
            if (bad++ < 5) printf("not ok: tfm_parse_long('%s') = %d %ld, strtol %d %ld\n", s, lgot, la, lwant, lb);
        }
    }
    CHECK(bad == 0, "tfm_parse_double/long fast paths: %d of %d strings differ from strtod/strtol", bad, n);
}

static void test_faidx(void)
{
    char path[600], bgz[600];
    snprintf(path, sizeof path, "%s", WRITE("ix.fa", ">x one\nacgt\nNNtu\n>y\nGGG\n>z\nACGUACGUAC\nGU\n"));
    long n;
    uint64_t nt;
    CHECK_INT(tfm_fasta_count(path, TFM_ALPHA_ACGUN, &n, &nt), 0);
    CHECK_INT(n, 3);
    CHECK_INT(nt, 23);
    int err;
    CHECK(tfm_faidx_open(path, TFM_ALPHA_ACGUN, &err) == NULL && err == 0, "no .fai: NULL, no error");
    snprintf(bgz, sizeof bgz, "%s/ix.fa.gz", tmpdir);
    CHECK_INT(tfm_fasta_copy(path, bgz), 0);
    CHECK_INT(tfm_fasta_compression(bgz), 1);
    CHECK_INT(tfm_fasta_compression(path), 0);
    const char *files[] = {path, bgz};
    for (int i = 0; i < 2; i++) {
        CHECK_INT(tfm_fasta_index(files[i], TFM_ALPHA_ACGUN), 0);
        tfm_faidx_t *x = tfm_faidx_open(files[i], TFM_ALPHA_ACGUN, &err);
        CHECK(x != NULL && err == 0, "%s", tfm_last_error());
        if (!x) continue;
        CHECK_INT(tfm_faidx_nseq(x), 3);
        tfm_seq_t rec = {0};
        CHECK_INT(tfm_faidx_fetch(x, "x", &rec), 1);
        CHECK_STR(rec.seq, "ACGUNNUU");
        CHECK_INT(tfm_faidx_fetch(x, "z", &rec), 1);
        CHECK_STR(rec.seq, "ACGUACGUACGU");
        CHECK_INT(rec.len, 12);
        CHECK_INT(tfm_faidx_fetch(x, "y", &rec), 1);
        CHECK_STR(rec.seq, "GGG");
        CHECK_INT(tfm_faidx_fetch(x, "nope", &rec), 0);
        tfm_seq_free(&rec);
        tfm_faidx_close(x);
    }
    /* a miRNA alphabet rejects the N of record x, naming file and record */
    tfm_faidx_t *x = tfm_faidx_open(path, TFM_ALPHA_ACGU, &err);
    tfm_seq_t rec = {0};
    CHECK(x && tfm_faidx_fetch(x, "x", &rec) == -1 && strstr(tfm_last_error(), "invalid miRNA letter 'N' at position 5 (record x)"),
          "%s", tfm_last_error());
    tfm_seq_free(&rec);
    tfm_faidx_close(x);
    /* a plain gzip file is not BGZF: no index */
    char cmd[1400], gz[600];
    snprintf(gz, sizeof gz, "%s/plain.fa.gz", tmpdir);
    snprintf(cmd, sizeof cmd, "gzip -c %s > %s", path, gz);
    CHECK_INT(system(cmd), 0);
    CHECK_INT(tfm_fasta_compression(gz), 2);
    CHECK(tfm_fasta_index(gz, TFM_ALPHA_ACGUN) == -1 && strstr(tfm_last_error(), "gzip but not BGZF"), "%s", tfm_last_error());
    /* a bad record anywhere: count and index fail with the reader's message */
    const char *bad = WRITE("bad.fa", ">a\nACGU\n>b\nACXU\n");
    CHECK(tfm_fasta_count(bad, TFM_ALPHA_ACGUN, &n, &nt) == -1 && strstr(tfm_last_error(), ":4: invalid letter 'X'"), "%s",
          tfm_last_error());
    CHECK(tfm_fasta_index(bad, TFM_ALPHA_ACGUN) == -1, "bad file indexed");
}

/* Half of a gzip file of `text`: it breaks off inside the stream (past the first 64 KB block). */
static const char *write_truncated_gz(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    gzFile g = gzopen(path, "wb");
    gzwrite(g, text, (unsigned)strlen(text));
    gzclose(g);
    FILE *f = fopen(path, "rb");
    char *buf = tfm_malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    const char *p = write_file(name, buf, n / 2);
    free(buf);
    return p;
}

/* A truncated gzip input: one message naming the file and the last complete line (the piece of
 * the next line that htslib hands out is not a line); tsv, FASTA and the copy agree. */
static void test_truncated(void)
{
    kstring_t ks = {0};
    ksprintf(&ks, "mirna_id\tscore\n");
    for (int i = 0; i < 20000; i++) ksprintf(&ks, "m%d\t%.6f\n", i, (i * 7919 % 10007) / 10007.0);
    const char *p = write_truncated_gz("t.tsv.gz", ks.s);
    tfm_tsv_t *t = tfm_tsv_open(p, 1, 0, NULL);
    int r, rows = 0, whole = 1;
    while (t && (r = tfm_tsv_read(t)) == 1) rows++, whole &= t->flen[1] == 8;
    CHECK(t && r == -1 && rows > 3000 && rows < 19000 && whole, "%d rows, all whole: %d", rows, whole);
    char want[600];
    snprintf(want, sizeof want, "%s: truncated or corrupt gzip after line %d", p, rows + 1);
    CHECK_STR(tfm_last_error(), want);
    tfm_tsv_close(t);

    ks.l = 0;
    for (int i = 0; i < 2000; i++) ksprintf(&ks, ">r%d\nACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUACGUAC\nACGUACGU\n", i);
    p = write_truncated_gz("t.fa.gz", ks.s);
    CHECK_INT(read_all(p, TFM_ALPHA_ACGUN, 1, NULL, 0), -1);
    char fasta_err[600], out[600];
    snprintf(fasta_err, sizeof fasta_err, "%s", tfm_last_error());
    CHECK(strstr(fasta_err, ": truncated or corrupt gzip after line ") && strstr(fasta_err, " (record r"), "%s", fasta_err);
    snprintf(out, sizeof out, "%s/copy.fa", tmpdir);
    CHECK_INT(tfm_fasta_copy(p, out), -1);
    CHECK(!strncmp(fasta_err, tfm_last_error(), strlen(tfm_last_error())) && access(out, F_OK) != 0, "copy: %s",
          tfm_last_error());
    /* the same bytes from memory */
    FILE *f = fopen(p, "rb");
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    tfm_fasta_t *m = tfm_fasta_open_mem(buf, n, p, TFM_ALPHA_ACGUN, 1);
    tfm_seq_t rec = {0};
    while (m && (r = tfm_fasta_read(m, &rec)) == 1) continue;
    CHECK(m && r == -1 && !strcmp(tfm_last_error(), fasta_err), "from memory: %s", tfm_last_error());
    tfm_fasta_close(m);
    tfm_seq_free(&rec);
    /* cut inside the 18-byte gzip header: htslib would read it as plain text */
    t = tfm_tsv_open_mem("\x1f\x8b\x08\x00\x00", 5, "short.gz", 1, 0, NULL);
    CHECK(!t && !strcmp(tfm_last_error(), "short.gz: truncated or corrupt gzip in its first line"), "%s", tfm_last_error());
    t = tfm_tsv_open_mem("a\tb\n1\t2\n", 8, "mem", 1, 0, NULL);
    CHECK(t && tfm_tsv_read(t) == 1 && !strcmp(t->f[1], "2") && tfm_tsv_read(t) == 0, "tsv from memory");
    tfm_tsv_close(t);
    free(ks.s);
}

/* tfm_fasta_copy_index: every record checked before the copy replaces OUT, messages naming the
 * input; the line layout an index needs (equal lines but a record's last) is checked too */
static void test_copy_index(void)
{
    char out[600], in[600];
    snprintf(out, sizeof out, "%s/ci.fa.gz", tmpdir);
    snprintf(in, sizeof in, "%s", WRITE("ci.fa", ">a\nACGU\nAC\n>b\nGGGG\n\n"));
    CHECK_INT(tfm_fasta_copy_index(in, out, TFM_ALPHA_ACGUN), 0);
    char fai[700];
    snprintf(fai, sizeof fai, "%s.fai", out);
    CHECK(access(fai, F_OK) == 0, "index written");
    const char *bad[][2] = {
        {">a\nACGU\n>b\nACXU\n", ":4: invalid letter 'X' at column 3 (record b)"},
        {">a\nACGU\nACGUA\n", ":3: line of 5 letters after one of 4 (record a): an index needs"},
        {">a\nACGU\nAC\nACGU\n", ":4: line of 4 letters after one of 2 (record a)"},
        {">a\nACGU\n\nAC\n", ":4: line of 2 letters after one of 0 (record a)"},
        {"", ": no FASTA records"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(in, sizeof in, "%s", write_file("cb.fa", bad[k][0], strlen(bad[k][0])));
        char want[800];
        snprintf(want, sizeof want, "%s%s", in, bad[k][1]);
        CHECK(tfm_fasta_copy_index(in, out, TFM_ALPHA_ACGUN) == -1 && !strncmp(tfm_last_error(), want, strlen(want)),
              "%s: %s", bad[k][1], tfm_last_error());
        tfm_faidx_t *x;
        int err;
        CHECK((x = tfm_faidx_open(out, TFM_ALPHA_ACGUN, &err)) && tfm_faidx_nseq(x) == 2, "the earlier OUT is intact");
        tfm_faidx_close(x);
    }
    CHECK(tfm_fasta_index(in, TFM_ALPHA_ACGUN) == -1 && strstr(tfm_last_error(), ": no FASTA records"), "%s", tfm_last_error());
}

int main(void)
{
    test_fmt_g6();
    test_parse_fast();
    if (!mkdtemp(tmpdir)) return 1;
    test_fasta();
    test_tsv();
    test_parse();
    test_faidx();
    test_truncated();
    test_copy_index();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) return 1;
    return check_summary();
}
