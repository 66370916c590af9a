#include "decoy.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DRAWS 10000

static char norm(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    return c == 'T' ? 'U' : c;
}

/* Do nt 2-7 (1-based) of a and b differ, compared upper-case with T as U? */
static int seed_differs(const char *a, const char *b)
{
    for (int i = 1; i < 7; i++)
        if (norm(a[i]) != norm(b[i])) return 1;
    return 0;
}

int tfm_decoy_shuffle(const char *seq, uint64_t seed, char *out)
{
    size_t n = strlen(seq);
    if (n < 8) return tfm_fail("miRNA '%s' is shorter than 8 nt: no seed to shuffle", seq);
    char *key = tfm_strdup(seq);
    for (char *p = key; *p; p++) *p = norm(*p);
    uint64_t state = seed ^ tfm_fnv1a64(key);
    free(key);
    memcpy(out, seq, n + 1);
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
        for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates on the previous draw: still uniform */
            size_t j = (size_t)(tfm_splitmix64(&state) % (i + 1)), t = (size_t)out[i];
            out[i] = out[j];
            out[j] = (char)t;
        }
        if (seed_differs(out, seq)) return 0;
    }
    return tfm_fail("miRNA '%s': no shuffle of its letters changes nt 2-7", seq);
}
