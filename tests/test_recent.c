/* recent: the window of the last N keys (pair checks of tfm-seed and tfm-aggregate), against a
 * plain reference (an array of the last N keys searched linearly), through many evictions. */
#include "check.h"
#include <stdint.h>

#include "recent.h"

#define N 64
#define KEYS 300 /* distinct keys drawn from: repeats near and far */

static long ref_find(char ref[][16], const long *val, int count, int head, const char *k)
{
    for (int i = 0; i < count; i++)
        if (strcmp(ref[(head + N - 1 - i) % N], k) == 0) return val[(head + N - 1 - i) % N];
    return -1;
}

int main(void)
{
    tfm_recent_t *r = tfm_recent_new(N);
    char ref[N][16];
    long val[N];
    int count = 0, head = 0, hits = 0, bad = 0;
    uint64_t x = 7;
    for (long step = 0; step < 200000; step++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        char k[16];
        snprintf(k, sizeof k, "m%d\tg%d", (int)((x >> 33) % KEYS), (int)((x >> 45) % 3));
        long want = ref_find(ref, val, count, head, k), got = tfm_recent_put(r, k, strlen(k), step);
        if (got != want) bad++;
        if (want >= 0) { hits++; continue; }
        snprintf(ref[head], sizeof ref[head], "%s", k), val[head] = step;
        head = (head + 1) % N;
        if (count < N) count++;
    }
    CHECK_INT(bad, 0);
    CHECK(hits > 10000 && hits < 190000, "hits %d: both repeats and new keys", hits);
    tfm_recent_free(r);
    /* a window of 1: only the key just added is remembered */
    r = tfm_recent_new(1);
    CHECK_INT(tfm_recent_put(r, "a", 1, 1), -1);
    CHECK_INT(tfm_recent_put(r, "a", 1, 2), 1);
    CHECK_INT(tfm_recent_put(r, "b", 1, 3), -1);
    CHECK_INT(tfm_recent_put(r, "a", 1, 4), -1);
    CHECK_INT(tfm_recent_put(r, "", 0, 5), -1);
    CHECK_INT(tfm_recent_put(r, "", 0, 6), 5);
    tfm_recent_free(r);
    return check_summary();
}
