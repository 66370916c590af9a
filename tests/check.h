/* check.h: the unit-test harness. Each tests/test_<module>.c calls CHECK(...) and friends, one
 * line per failed check, and ends with `return check_summary();`, which prints
 * "# N passed, N failed" for tests/run.sh to add up. */
#ifndef TFM_CHECK_H
#define TFM_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (cond) {                                                                        \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            printf("not ok: %s:%d: %s: ", __FILE__, __LINE__, #cond);                      \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0, "'%s' != '%s'", (a), (b))
#define CHECK_INT(a, b) CHECK((long long)(a) == (long long)(b), "%lld != %lld", (long long)(a), (long long)(b))
#define CHECK_NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) <= (tol), "%.9g vs %.9g (tol %g)", (double)(a), (double)(b), (double)(tol))

/* Where the shared data lives; NULL (and one line saying so) when it is absent. */
static inline const char *check_data_dir(const char *what)
{
    const char *d = getenv("TFM_DATA");
    if (!d) d = "../shared/data";
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/README.md", d);
    FILE *f = fopen(probe, "r");
    if (!f) {
        printf("skip: %s: TFM_DATA (%s) not found\n", what, d);
        return NULL;
    }
    fclose(f);
    return d;
}

/* ../shared/specs, next to the data directory. */
static inline const char *check_specs_dir(const char *what)
{
    static char buf[4096];
    const char *d = getenv("TFM_SPECS");
    if (!d) {
        const char *data = getenv("TFM_DATA");
        snprintf(buf, sizeof buf, "%s/../specs", data ? data : "../shared/data");
        d = buf;
    }
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/heads.md", d);
    FILE *f = fopen(probe, "r");
    if (!f) {
        printf("skip: %s: specs (%s) not found\n", what, d);
        return NULL;
    }
    fclose(f);
    return d;
}

/* A fixed pseudo-random sequence (xorshift64) for the tests' random shapes and values; a test
 * program may reseed it with check_rng_seed(). */
static inline uint64_t *check_rng_state(void)
{
    static uint64_t s = 0x9E3779B97F4A7C15ull;
    return &s;
}
static inline void check_rng_seed(uint64_t seed) { *check_rng_state() = seed; }
static inline uint32_t check_rnd(void)
{
    uint64_t *s = check_rng_state();
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return (uint32_t)(*s >> 11);
}
/* uniform in lo .. hi */
static inline int check_rint(int lo, int hi) { return lo + (int)(check_rnd() % (uint32_t)(hi - lo + 1)); }
/* in [-1, 1), a float value, so that float and double code see exactly the same number */
static inline float check_rfloat(void) { return (float)((check_rnd() & 0xFFFFFF) / 16777216.0 * 2.0 - 1.0); }

static inline int check_summary(void)
{
    printf("# %d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
