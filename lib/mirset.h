/* mirset: the miRNAs of a FASTA file as a run uses them (miRBase's mature.fa as it comes: many
 * species, U or T, any case): the records a selection keeps (--species, --mirna), checked
 * (letters, length), optionally one per seed family (--family), held in memory and found by id. */
#ifndef TFM_MIRSET_H
#define TFM_MIRSET_H

#include "select.h"
#include "seqio.h"

typedef struct {
    int n;
    char **id, **seq;     /* seq: normalised (upper case, U) */
    char **members;       /* --family: the ids of the representative's family, comma-separated
                           * (itself first); NULL without families */
    void *by_id;          /* private: id -> index */
} tfm_mirset_t;

/* A bad record (a letter other than ACGU/T, a length outside TFM_MIRNA_MIN..TFM_MIRNA_MAX, no
 * sequence, a repeated id) among the kept ones: with on_bad NULL loading stops (-1, message
 * "FILE:LINE: what (record ID)"); else on_bad(ctx, that message) is called and the record left
 * out. Records the selection does not keep are never checked beyond their header. */

/* Load path into set (sel may be NULL: every record). 0 ok, -1 with tfm_last_error(); a file
 * without records is an error, a selection that keeps none is not (the caller says what). */
int tfm_mirset_load(tfm_mirset_t *set, const char *path, tfm_select_t *sel, tfm_bad_fn on_bad, void *ctx);
/* Keep one miRNA per distinct seed (nt 2-8): the first in file order, with the ids of all
 * members in set->members. */
void tfm_mirset_family(tfm_mirset_t *set);
/* Index of id, or -1. */
int tfm_mirset_find(const tfm_mirset_t *set, const char *id);
void tfm_mirset_free(tfm_mirset_t *set);

#endif
