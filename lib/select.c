#include "select.h"

#include <errno.h>
#include <htslib/bgzf.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

KHASH_MAP_INIT_STR(sel, int)

struct tfm_select {
    khash_t(sel) *ids; /* id -> its index in order[] */
    char **order;      /* ids in the order given */
    int *found;
    int n;
    size_t cap;
    char **prefix;     /* "hsa-" */
    int nprefix;
};

tfm_select_t *tfm_select_new(void)
{
    tfm_select_t *s = tfm_calloc(1, sizeof *s);
    s->ids = kh_init(sel);
    return s;
}

void tfm_select_free(tfm_select_t *s)
{
    if (!s) return;
    for (int i = 0; i < s->n; i++) free(s->order[i]);
    for (int i = 0; i < s->nprefix; i++) free(s->prefix[i]);
    free(s->order), free(s->found), free(s->prefix);
    kh_destroy(sel, s->ids);
    free(s);
}

static void add_id(tfm_select_t *s, const char *id, size_t n)
{
    if (n == 0) return;
    char *key = tfm_malloc(n + 1);
    memcpy(key, id, n), key[n] = 0;
    int absent;
    khint_t k = kh_put(sel, s->ids, key, &absent);
    if (!absent) {
        free(key);
        return;
    }
    size_t cap = s->cap;
    TFM_GROW(s->order, cap, (size_t)s->n + 1);
    s->found = tfm_realloc(s->found, cap * sizeof *s->found);
    s->cap = cap;
    s->order[s->n] = key, s->found[s->n] = 0;
    kh_val(s->ids, k) = s->n++;
}

/* Call add(s, item, len) for each item of a comma list. */
static void each_item(tfm_select_t *s, const char *list, void (*add)(tfm_select_t *, const char *, size_t))
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        add(s, p, n);
        p += n + (p[n] == ',');
    }
}

void tfm_select_add_ids(tfm_select_t *s, const char *list) { each_item(s, list, add_id); }

static void add_prefix(tfm_select_t *s, const char *p, size_t n)
{
    if (n == 0) return;
    s->prefix = tfm_realloc(s->prefix, (s->nprefix + 1) * sizeof *s->prefix);
    char *x = tfm_malloc(n + 2);
    memcpy(x, p, n), x[n] = '-', x[n + 1] = 0;
    s->prefix[s->nprefix++] = x;
}

void tfm_select_add_prefixes(tfm_select_t *s, const char *list) { each_item(s, list, add_prefix); }

int tfm_select_add_file(tfm_select_t *s, const char *path)
{
    BGZF *fp = bgzf_open(path, "r");
    if (!fp) return tfm_fail("cannot open '%s': %s", path, strerror(errno ? errno : ENOENT));
    kstring_t line = {0};
    int r, n0 = s->n;
    while ((r = bgzf_getline(fp, '\n', &line)) >= 0) {
        const char *p = line.s + strspn(line.s, " \t\r");
        if (!*p || *p == '#') continue;
        add_id(s, p, strcspn(p, " \t\r"));
    }
    bgzf_close(fp);
    free(line.s);
    if (r < -1) return tfm_fail("%s: read error (truncated or corrupt file?)", path);
    if (s->n == n0) return tfm_fail("%s: no id in the file", path);
    return 0;
}

int tfm_select_active(const tfm_select_t *s) { return s->n > 0 || s->nprefix > 0; }

static int mark(tfm_select_t *s, const char *name)
{
    khint_t k = kh_get(sel, s->ids, name);
    if (k == kh_end(s->ids)) return 0;
    s->found[kh_val(s->ids, k)] = 1;
    return 1;
}

int tfm_select_match(tfm_select_t *s, const char *name)
{
    if (s->nprefix) {
        int ok = 0;
        for (int i = 0; i < s->nprefix && !ok; i++) ok = strncmp(name, s->prefix[i], strlen(s->prefix[i])) == 0;
        if (!ok) return 0;
    }
    return s->n == 0 || mark(s, name);
}

int tfm_select_match_any(tfm_select_t *s, const char *const *names, int n)
{
    int hit = 0;
    for (int i = 0; i < n; i++)
        if (names[i] && mark(s, names[i])) hit = 1;
    return hit;
}

const char *tfm_select_missing(const tfm_select_t *s)
{
    for (int i = 0; i < s->n; i++)
        if (!s->found[i]) return s->order[i];
    return NULL;
}
