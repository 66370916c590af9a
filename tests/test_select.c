/* The lib modules of issue 14 (miRBase and GENCODE input, ranked tables): select, gencode
 * (headers and transcripts as searched), mirset, collapse, rank, bed, and seqio's resumable bad
 * records. */
#include <unistd.h>

#include "bed.h"
#include "check.h"
#include "collapse.h"
#include "gencode.h"
#include "mirset.h"
#include "rank.h"
#include "select.h"
#include "seqio.h"
#include "util.h"

static char tmpdir[] = "/tmp/tfm_test_select.XXXXXX";

static const char *write_file(const char *name, const char *content)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    fputs(content, f);
    fclose(f);
    return path;
}

static void test_select(void)
{
    tfm_select_t *s = tfm_select_new();
    CHECK(!tfm_select_active(s), "empty selection keeps all");
    CHECK(tfm_select_match(s, "anything"), "empty selection keeps all");
    tfm_select_add_prefixes(s, "hsa,mmu");
    CHECK(tfm_select_match(s, "hsa-miR-21-5p") && tfm_select_match(s, "mmu-let-7a-5p"), "prefixes");
    CHECK(!tfm_select_match(s, "cel-let-7-5p") && !tfm_select_match(s, "hsaX-1"), "prefix needs its '-'");
    tfm_select_add_ids(s, "hsa-miR-21-5p,,cel-lin-4-5p");
    CHECK(tfm_select_match(s, "hsa-miR-21-5p"), "id and prefix");
    CHECK(!tfm_select_match(s, "hsa-miR-155-5p"), "not an id");
    CHECK(!tfm_select_match(s, "cel-lin-4-5p"), "an id of another species");
    CHECK_STR(tfm_select_missing(s), "cel-lin-4-5p");
    const char *path = write_file("ids.txt", "# ids\n\n  a1 first word\nb2\r\n");
    CHECK_INT(tfm_select_add_file(s, path), 0);
    CHECK_INT(tfm_select_add_file(s, write_file("none.txt", "# nothing\n")), -1);
    tfm_select_free(s);
    s = tfm_select_new();
    tfm_select_add_ids(s, "G1,PDCD4");
    const char *names[] = {"ENSG1.5", "ENSG1", "PDCD4"};
    CHECK(tfm_select_match_any(s, names, 3), "any name");
    CHECK_STR(tfm_select_missing(s), "G1");
    tfm_select_free(s);
}

static void test_gencode(void)
{
    tfm_gencode_t h = {0};
    const char *g = "ENST00000331856.10|ENSG00000150593.18|OTTHUMG1|OTTHUMT1|PDCD4-201|PDCD4|3426|UTR5:1-60|"
                    "CDS:61-1470|UTR3:1471-3426|";
    CHECK_INT(tfm_gencode_parse(&h, g, 3426), 0);
    CHECK(h.gencode && h.annotated, "a GENCODE header");
    CHECK_STR(h.id, "ENST00000331856.10");
    CHECK_STR(h.gene_id, "ENSG00000150593.18");
    CHECK_STR(h.gene_name, "PDCD4");
    size_t a, b;
    tfm_gencode_span(&h, TFM_REGION_UTR3, 3426, &a, &b);
    CHECK(a == 1470 && b == 3426, "utr3 %zu %zu", a, b);
    tfm_gencode_span(&h, TFM_REGION_CDS, 3426, &a, &b);
    CHECK(a == 60 && b == 1470, "cds %zu %zu", a, b);
    tfm_gencode_span(&h, TFM_REGION_ALL, 3426, &a, &b);
    CHECK(a == 0 && b == 3426, "all");
    CHECK_INT(tfm_gencode_parse(&h, g, 3000), -1); /* UTR3 beyond the sequence */
    CHECK_INT(tfm_gencode_parse(&h, "T1|G1|-|-|X-201|X|300|UTR5:1-10|CDS:11-300|", 300), 0);
    tfm_gencode_span(&h, TFM_REGION_UTR3, 300, &a, &b);
    CHECK(a == b, "no 3'UTR: nothing searched");
    CHECK_INT(tfm_gencode_parse(&h, "T1|G1|-|-|X-201|X|300|UTR3:9-x|", 300), -1);
    CHECK_INT(tfm_gencode_parse(&h, "utr1", 100), 0);
    CHECK(!h.gencode && !h.annotated, "a plain id");
    CHECK_STR(h.id, "utr1");
    CHECK_STR(h.gene_id, ".");
    tfm_gencode_span(&h, TFM_REGION_UTR3, 100, &a, &b);
    CHECK(a == 0 && b == 100, "plain: all");
    CHECK_INT(tfm_gencode_parse(&h, "a|b|c|d|e|f|notalength|", 100), 0);
    CHECK(!h.gencode, "the seventh field is a length");
    tfm_gencode_free(&h);
    CHECK_INT(tfm_region_parse("cds"), TFM_REGION_CDS);
    CHECK_INT(tfm_region_parse("exon"), -1);
}

/* A bad record is reported and the reader goes on with the next one. */
static void test_resume(void)
{
    const char *p = write_file("bad.fa", ">a\nACGU\n>b\nACXU\nACGU\n>c\n>d\nGGCC\n>a\nAAAA\n>e\nUUUU\n");
    tfm_fasta_t *f = tfm_fasta_open(p, TFM_ALPHA_ACGUN, 1);
    tfm_seq_t rec = {0};
    int r[7], n = 0;
    char ids[7][8];
    while (n < 7 && (r[n] = tfm_fasta_read(f, &rec)) != 0) snprintf(ids[n], 8, "%s", rec.id), n++;
    CHECK_INT(n, 6);
    CHECK(r[0] == 1 && !strcmp(ids[0], "a"), "a");
    CHECK(r[1] == TFM_FASTA_BAD && !strcmp(ids[1], "b"), "b: bad letter");
    CHECK(r[2] == TFM_FASTA_BAD && !strcmp(ids[2], "c"), "c: no sequence");
    CHECK(r[3] == 1 && !strcmp(ids[3], "d"), "d after the bad ones");
    CHECK(r[4] == TFM_FASTA_BAD && !strcmp(ids[4], "a"), "a again: repeated id");
    CHECK(r[5] == 1 && !strcmp(ids[5], "e"), "e");
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
}

static int nbad;
static void on_bad(void *ctx, const char *msg)
{
    (void)ctx, (void)msg;
    nbad++;
}

static void test_mirset(void)
{
    const char *p = write_file("mature.fa", ">hsa-a M1 Homo sapiens a\nuagcttatcagactgatgttga\n>mmu-b M2 Mus b\nUAGCNUAUCAGACUGAUGUUGA\n"
                                            ">hsa-c M3 Homo sapiens c\nGAGCUUAUUCAUAAAAGUGCAG\n>hsa-d M4 x\nUAGC\n"
                                            ">hsa-e M5 x\nUGAGGUAGUAGGUUGUAUAGUU\n");
    tfm_mirset_t m;
    tfm_select_t *s = tfm_select_new();
    tfm_select_add_prefixes(s, "hsa");
    CHECK_INT(tfm_mirset_load(&m, p, s, NULL, NULL), -1); /* hsa-d is too short */
    CHECK(strstr(tfm_last_error(), "has 4 nt (miRNAs: 15-30 nt)") != NULL, "%s", tfm_last_error());
    tfm_mirset_free(&m);
    nbad = 0;
    CHECK_INT(tfm_mirset_load(&m, p, s, on_bad, NULL), 0);
    CHECK_INT(nbad, 1); /* mmu-b's N is not checked: not asked for */
    CHECK_INT(m.n, 3);
    CHECK_STR(m.seq[0], "UAGCUUAUCAGACUGAUGUUGA");
    tfm_mirset_family(&m);
    CHECK_INT(m.n, 2);
    CHECK_STR(m.members[0], "hsa-a,hsa-c");
    CHECK_STR(m.members[1], "hsa-e");
    CHECK_INT(tfm_mirset_find(&m, "hsa-e"), 1);
    CHECK_INT(tfm_mirset_find(&m, "hsa-c"), -1);
    tfm_mirset_free(&m);
    tfm_select_free(s);
}

/* Transcripts as searched: the 3'UTR of a GENCODE header, bad records of genes not asked for
 * passed over, bad records asked for handed to on_bad. */
static void test_tx(void)
{
    const char *p = write_file("tx.fa", ">T1.1|G1.1|-|-|A-201|A|12|UTR5:1-2|CDS:3-8|UTR3:9-12|\nACGUACGUACGU\n"
                                        ">T2.1|G2.1|-|-|B-201|B|30|UTR3:9-30|\nACGU\n"
                                        ">T3.1|G3.1|-|-|C-201|C|8|UTR3:5-8|\nACXUACGU\n"
                                        ">T4.1|G1.1|-|-|A-202|A|8|UTR5:1-8|\nACGUACGU\n");
    tfm_select_t *genes = tfm_select_new();
    tfm_select_add_ids(genes, "A,G3");
    tfm_fasta_t *f = tfm_fasta_open(p, TFM_ALPHA_ACGUN, 1);
    tfm_seq_t rec = {0};
    tfm_tx_t tx = {0};
    nbad = 0;
    CHECK_INT(tfm_tx_next(f, &rec, &tx, TFM_REGION_UTR3, genes, on_bad, NULL), 1);
    CHECK(!strcmp(tx.h.id, "T1.1") && tx.from == 8 && tx.to == 12 && !strcmp(tx.gene.s, "\tG1.1\tA"), "T1");
    CHECK_INT(tfm_tx_next(f, &rec, &tx, TFM_REGION_UTR3, genes, on_bad, NULL), 1);
    CHECK(!strcmp(tx.h.id, "T4.1") && tx.from == tx.to, "T4: no 3'UTR");
    CHECK_INT(nbad, 1); /* T3 (gene G3 asked for, bad letter); T2 (region beyond, gene B) passed over */
    CHECK_INT(tfm_tx_next(f, &rec, &tx, TFM_REGION_UTR3, genes, on_bad, NULL), 0);
    tfm_fasta_close(f);
    f = tfm_fasta_open(p, TFM_ALPHA_ACGUN, 1);
    CHECK_INT(tfm_tx_next(f, &rec, &tx, TFM_REGION_ALL, NULL, NULL, NULL), 1);
    CHECK(tx.from == 0 && tx.to == 12, "all");
    CHECK_INT(tfm_tx_next(f, &rec, &tx, TFM_REGION_ALL, NULL, NULL, NULL), -1);
    CHECK(strstr(tfm_last_error(), "tx.fa:3: region 'UTR3:9-30' ends beyond the sequence (4 nt)") != NULL, "%s",
          tfm_last_error());
    CHECK(tfm_tx_first_is_gencode(p) && !tfm_tx_first_is_gencode("/nonexistent"), "first is GENCODE");
    tfm_fasta_close(f);
    tfm_seq_free(&rec);
    tfm_tx_free(&tx);
    tfm_select_free(genes);
}

static void test_rank(void)
{
    /* ties by tie key, then input order; top 2 keeps the 2 best of 4 */
    tfm_rank_group_t all = {0}, top = {.top = 2};
    const double sc[] = {0.5, 0.9, 0.5, 0.1};
    const char *tie[] = {"G2", "G1", "G1", "G3"};
    for (int i = 0; i < 4; i++) {
        char line[8];
        snprintf(line, sizeof line, "r%d", i);
        tfm_rank_add(&all, sc[i], tie[i], line, strlen(line), i);
        tfm_rank_add(&top, sc[i], tie[i], line, strlen(line), i);
    }
    tfm_rank_sort(&all), tfm_rank_sort(&top);
    CHECK(all.n == 4 && !strcmp(all.row[0].line, "r1") && !strcmp(all.row[1].line, "r2") &&
              !strcmp(all.row[2].line, "r0") && !strcmp(all.row[3].line, "r3"), "rank order");
    CHECK(top.n == 2 && top.total == 4 && !strcmp(top.row[0].line, "r1") && !strcmp(top.row[1].line, "r2"), "top 2");
    CHECK_NEAR(tfm_rank_percentile(1, 4), 100, 0);
    CHECK_NEAR(tfm_rank_percentile(4, 4), 25, 0);
    tfm_rank_clear(&all), tfm_rank_clear(&top);
}

static void test_collapse(void)
{
    tfm_collapse_t *c = tfm_collapse_new();
    kstring_t out = {0};
    CHECK_INT(tfm_collapse_add(c, "m1", "G1", 0.2, "m1 t1", 5, &out), 0);
    CHECK_INT(tfm_collapse_add(c, "m2", "G1", 0.5, "m2 t1", 5, &out), 0);
    CHECK_INT(tfm_collapse_add(c, "m1", "G1", 0.9, "m1 t2", 5, &out), 0);
    CHECK_INT(tfm_collapse_add(c, "m2", "G1", 0.5, "m2 t2", 5, &out), 0);
    CHECK_INT(out.l, 0);
    CHECK_INT(tfm_collapse_add(c, "m1", "G2", 0.1, "m1 t3", 5, &out), 0);
    CHECK_STR(out.s, "m1 t2\t2\nm2 t1\t2\n");
    out.l = 0;
    CHECK_INT(tfm_collapse_add(c, "m1", "G1", 0.1, "m1 t4", 5, &out), -1);
    CHECK_INT(out.l, 0);
    tfm_collapse_finish(c, &out);
    CHECK_STR(out.s, "m1 t3\t1\n");
    free(out.s);
    tfm_collapse_free(c);
}

static void test_bed(void)
{
    CHECK_INT(tfm_bed_score(0.4996), 500);
    CHECK_INT(tfm_bed_score(0.0004), 0);
    CHECK_INT(tfm_bed_score(1.2), 1000);
    CHECK_STR(tfm_bed_gene(".", "G1", "T1"), "G1");
    CHECK_STR(tfm_bed_gene(NULL, ".", "T1"), "T1");
    kstring_t s = {0};
    tfm_bed_put(&s, "T1", 4, 12, "m1", "PDCD4", "8mer", 995);
    CHECK_STR(s.s, "T1\t4\t12\tm1|PDCD4|8mer\t995\t+\n");
    free(s.s);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) return 1;
    test_select();
    test_gencode();
    test_resume();
    test_mirset();
    test_tx();
    test_rank();
    test_collapse();
    test_bed();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) return 1;
    return check_summary();
}
