#include "recent.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
    uint64_t h1, h2;
    long value;
} entry_t;

struct tfm_recent {
    entry_t *ring;     /* the last n keys; ring[head] is the oldest once full */
    uint32_t *slot;    /* table of ring index + 1 (0: empty), 2n rounded up to a power of two */
    size_t n, count, head, mask;
};

static uint64_t mix(uint64_t x) /* splitmix64's finaliser */
{
    x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27, x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* 64 bits of key under `seed`: 8 bytes at a time, each folded in through the mixer. */
static uint64_t hash64(const char *key, size_t len, uint64_t seed)
{
    uint64_t h = mix(seed ^ (len * 0x9e3779b97f4a7c15ULL));
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, key + i, 8);
        h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
    }
    uint64_t w = 0;
    memcpy(&w, key + i, len - i);
    return mix(h ^ w ^ ((uint64_t)(len - i) << 56));
}

tfm_recent_t *tfm_recent_new(size_t n)
{
    tfm_recent_t *r = tfm_calloc(1, sizeof *r);
    r->n = n ? n : 1;
    size_t cap = 2;
    while (cap < 2 * r->n) cap <<= 1;
    r->mask = cap - 1;
    r->ring = tfm_calloc(r->n, sizeof *r->ring); /* calloc: pages are touched only as keys come */
    r->slot = tfm_calloc(cap, sizeof *r->slot);
    return r;
}

static size_t home(const tfm_recent_t *r, uint32_t s) { return (size_t)r->ring[s - 1].h1 & r->mask; }

/* Empty table slot j, shifting later entries of its probe run back (linear probing deletion). */
static void remove_slot(tfm_recent_t *r, size_t j)
{
    for (;;) {
        r->slot[j] = 0;
        size_t k = j;
        for (;;) {
            k = (k + 1) & r->mask;
            if (!r->slot[k]) return;
            size_t h = home(r, r->slot[k]);
            int stays = j < k ? (j < h && h <= k) : (j < h || h <= k); /* h cyclically in (j, k] */
            if (!stays) break;
        }
        r->slot[j] = r->slot[k];
        j = k;
    }
}

long tfm_recent_put(tfm_recent_t *r, const char *key, size_t len, long value)
{
    uint64_t h1 = hash64(key, len, 0x243f6a8885a308d3ULL), h2 = hash64(key, len, 0x13198a2e03707344ULL);
    size_t i = (size_t)h1 & r->mask;
    for (; r->slot[i]; i = (i + 1) & r->mask) {
        const entry_t *e = &r->ring[r->slot[i] - 1];
        if (e->h1 == h1 && e->h2 == h2) return e->value;
    }
    if (r->count == r->n) { /* forget the oldest key */
        size_t j = (size_t)r->ring[r->head].h1 & r->mask;
        while (r->slot[j] != r->head + 1) j = (j + 1) & r->mask;
        remove_slot(r, j);
        for (i = (size_t)h1 & r->mask; r->slot[i]; i = (i + 1) & r->mask) {} /* the run may have moved */
    } else {
        r->count++;
    }
    r->ring[r->head] = (entry_t){h1, h2, value};
    r->slot[i] = (uint32_t)(r->head + 1);
    r->head = (r->head + 1) % r->n;
    return -1;
}

void tfm_recent_free(tfm_recent_t *r)
{
    if (!r) return;
    free(r->ring);
    free(r->slot);
    free(r);
}
