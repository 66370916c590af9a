/* select: which records a run keeps, by name: a set of ids (--mirna, --gene; a comma list or a
 * file of one id a line) and a set of id prefixes (--species hsa: ids starting "hsa-"). Each id
 * remembers whether a record matched it, so a tool can report an id that matched nothing. */
#ifndef TFM_SELECT_H
#define TFM_SELECT_H

typedef struct tfm_select tfm_select_t;

tfm_select_t *tfm_select_new(void);
void tfm_select_free(tfm_select_t *s);
/* Add the ids of a comma-separated list ("a,b,c"); empty items are ignored. */
void tfm_select_add_ids(tfm_select_t *s, const char *list);
/* Add the ids of a file, the first word of each line; blank lines and lines starting with '#'
 * are skipped. 0 ok, -1 with tfm_last_error() (cannot open, no id). */
int tfm_select_add_file(tfm_select_t *s, const char *path);
/* Add species prefixes of a comma list: "hsa,mmu" keeps ids starting "hsa-" or "mmu-". */
void tfm_select_add_prefixes(tfm_select_t *s, const char *list);
/* Does the selection restrict anything (any id or prefix given)? */
int tfm_select_active(const tfm_select_t *s);
/* Is `name` kept: its prefix is one of the prefixes (if any were given) and it is one of the ids
 * (if any were given)? A kept id is marked as found. */
int tfm_select_match(tfm_select_t *s, const char *name);
/* Is any of names[0..n) (e.g. a gene's id, its id without version, its name) one of the ids?
 * Prefixes are not applied. Marks what matched. */
int tfm_select_match_any(tfm_select_t *s, const char *const *names, int n);
/* The first id (in the order given) that no record matched, or NULL. */
const char *tfm_select_missing(const tfm_select_t *s);

#endif
