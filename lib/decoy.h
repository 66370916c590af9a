/* decoy: shuffled-miRNA controls. A decoy keeps a miRNA's length and composition (a
 * permutation of its letters) but not its seed: nt 2-7, and so nt 2-8, differ from the real
 * miRNA's. Scored on the same UTR or site as the real miRNA, it shows how much of a score comes
 * from pairing with this miRNA rather than from the UTR or the miRNA's composition.
 * Uses util only. Nothing here prints or exits. */
#ifndef TFM_DECOY_H
#define TFM_DECOY_H

#include <stddef.h>
#include <stdint.h>

/* Seed of tfm-decoy's default shuffle. */
#define TFM_DECOY_SEED 1

/* Shuffle seq (any letters; at least 8) into out (strlen(seq) + 1 bytes): a Fisher-Yates
 * permutation drawn from splitmix64 seeded by `seed` and the FNV-1a hash of the sequence
 * upper-cased with T->U, repeated until nt 2-7 differ from seq's (compared the same way). So the
 * same miRNA always gets the same decoy, whatever the row order, and DNA and RNA spellings get
 * the same permutation. Letters keep their case. -1 with tfm_fail() when seq is shorter than
 * 8 nt or no permutation changes nt 2-7 within 10,000 draws (e.g. a single repeated letter). */
int tfm_decoy_shuffle(const char *seq, uint64_t seed, char *out);

#endif
