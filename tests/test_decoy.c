/* decoy: the shuffled-miRNA control is deterministic, keeps the letters and changes the seed
 * (nt 2-7, so also nt 2-8); on every miRNA of the data pack when TFM_DATA is there. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>

#include "check.h"
#include "decoy.h"
#include "seqio.h"
#include "util.h"

static int cmp_char(const void *a, const void *b) { return *(const char *)a - *(const char *)b; }

/* Same multiset of letters? */
static int same_letters(const char *a, const char *b)
{
    char x[128], y[128];
    snprintf(x, sizeof x, "%s", a);
    snprintf(y, sizeof y, "%s", b);
    qsort(x, strlen(x), 1, cmp_char);
    qsort(y, strlen(y), 1, cmp_char);
    return strcmp(x, y) == 0;
}

/* Do nt from..to (1-based) differ, upper-cased with T as U? */
static int differs(const char *a, const char *b, int from, int to)
{
    for (int i = from - 1; i < to; i++) {
        int x = toupper((unsigned char)a[i]), y = toupper((unsigned char)b[i]);
        if ((x == 'T' ? 'U' : x) != (y == 'T' ? 'U' : y)) return 1;
    }
    return 0;
}

/* The properties every decoy has. */
static void check_decoy(const char *seq, uint64_t seed)
{
    char a[128], b[128];
    int ra = tfm_decoy_shuffle(seq, seed, a), rb = tfm_decoy_shuffle(seq, seed, b);
    CHECK(ra == 0 && rb == 0, "%s: %s", seq, tfm_last_error());
    if (ra || rb) return;
    CHECK(strcmp(a, b) == 0, "%s: not deterministic: %s vs %s", seq, a, b);
    CHECK(strlen(a) == strlen(seq) && same_letters(a, seq), "%s -> %s: letters differ", seq, a);
    CHECK(differs(a, seq, 2, 7), "%s -> %s: nt 2-7 kept", seq, a);
    CHECK(differs(a, seq, 2, 8), "%s -> %s: nt 2-8 kept", seq, a);
}

static void test_hand(void)
{
    const char *let7 = "UGAGGUAGUAGGUUGUAUAGUU";
    char out[64], dna[64], outdna[64], lower[64], outlow[64];
    check_decoy(let7, TFM_DECOY_SEED);
    check_decoy(let7, 2);
    check_decoy("ACGUACGU", 7);      /* 8 nt, the shortest allowed */
    check_decoy("AAAAAAAAAAAAAAAAAAAC", 1); /* one letter differs: it must land in nt 2-7 */
    /* The decoy of tfm-decoy's default seed is fixed: figures measured with it stay comparable.
     * Changing the shuffle changes this string; say so when you do. */
    CHECK(tfm_decoy_shuffle(let7, TFM_DECOY_SEED, out) == 0, "%s", tfm_last_error());
    CHECK_STR(out, "UUGGGAGGUAUUUGUAGUGUAA");
    /* another seed, another decoy */
    char other[64];
    tfm_decoy_shuffle(let7, 2, other);
    CHECK(strcmp(out, other) != 0, "seeds 1 and 2 gave the same decoy %s", out);
    /* DNA and lower-case spellings get the same permutation, letters as given */
    snprintf(dna, sizeof dna, "%s", let7);
    for (char *p = dna; *p; p++) if (*p == 'U') *p = 'T';
    snprintf(lower, sizeof lower, "%s", let7);
    for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
    tfm_decoy_shuffle(dna, TFM_DECOY_SEED, outdna);
    tfm_decoy_shuffle(lower, TFM_DECOY_SEED, outlow);
    for (char *p = outdna; *p; p++) if (*p == 'T') *p = 'U';
    CHECK_STR(outdna, out);
    for (char *p = outlow; *p; p++) *p = (char)toupper((unsigned char)*p);
    CHECK_STR(outlow, out);
    /* errors */
    CHECK(tfm_decoy_shuffle("ACGUACG", 1, out) == -1, "7 nt accepted");
    CHECK(strstr(tfm_last_error(), "shorter than 8 nt") != NULL, "%s", tfm_last_error());
    CHECK(tfm_decoy_shuffle("UUUUUUUUUUUUUUUUUUUU", 1, out) == -1, "a poly-U decoy");
    CHECK(strstr(tfm_last_error(), "no shuffle of its letters changes nt 2-7") != NULL, "%s", tfm_last_error());
}

/* Every human miRNA of the pack: each a valid decoy; no decoy shares its miRNA's 6mer seed. */
static void test_pack(void)
{
    const char *data = check_data_dir("decoys of mirna.fasta.gz");
    if (!data) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/mirna/mirna.fasta.gz", data);
    tfm_fasta_t *f = tfm_fasta_open(path, TFM_ALPHA_ACGU, 0);
    CHECK(f != NULL, "%s", tfm_last_error());
    if (!f) return;
    tfm_seq_t rec = {0};
    int n = 0, bad = 0, r;
    while ((r = tfm_fasta_read(f, &rec)) == 1) {
        char a[128];
        if (rec.len < 8 || rec.len >= sizeof a) continue;
        int before = check_failed;
        check_decoy(rec.seq, TFM_DECOY_SEED);
        bad += check_failed > before;
        n++;
    }
    CHECK(r == 0, "%s", tfm_last_error());
    CHECK(n == 2042 && bad == 0, "%d miRNAs, %d bad decoys", n, bad);
    tfm_seq_free(&rec);
    tfm_fasta_close(f);
}

int main(void)
{
    test_hand();
    test_pack();
    return check_summary();
}
