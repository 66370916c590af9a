/* seqio and tsv: FASTA parsing, normalisation, line numbers in errors; TSV columns and rows. */
#include <unistd.h>

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
    CHECK_INT(tfm_parse_double("0.5", &d), 0);
    CHECK_INT(tfm_parse_double("nan", &d), -1);
    CHECK_INT(tfm_parse_double("abc", &d), -1);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) return 1;
    test_fasta();
    test_tsv();
    test_parse();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) return 1;
    return check_summary();
}
