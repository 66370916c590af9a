/* metrics: binary-classification figures from scores and 0/1 labels (confusion counts at a
 * threshold, accuracy, precision, recall, specificity, F1, ROC-AUC, PR-AUC as average
 * precision), ROC and PR curve points, the miRNA-prior baseline, and a small SVG line plot.
 * Uses util only. Nothing here prints or exits.
 *
 * Conventions (kept identical in man/tfm-acc.1):
 *   - a row is predicted positive iff score >= threshold;
 *   - a rate whose denominator is zero is NaN (not 0): precision without predicted positives,
 *     recall without positives, specificity without negatives, F1 when 2tp+fp+fn = 0,
 *     ROC-AUC with one class only, PR-AUC without positives, everything with n = 0;
 *   - ROC-AUC is the Mann-Whitney statistic with average ranks (a tied positive/negative pair
 *     counts 1/2), equal to the trapezoidal area under the ROC curve;
 *   - PR-AUC is scikit-learn's average_precision_score: sum over distinct thresholds
 *     (descending) of (R_k - R_{k-1}) * P_k, tied scores forming one threshold. */
#ifndef TFM_METRICS_H
#define TFM_METRICS_H

#include <stddef.h>

typedef struct {
    long n, pos, neg;
    double threshold;
    long tp, fp, tn, fn;
    double accuracy, precision, recall, specificity, f1, roc_auc, pr_auc;
    double within_auc; /* tfm_metrics_grouped_auc by miRNA; filled by the caller (NaN if unknown) */
    double shuffle_win, shuffled_pos; /* tfm_metrics_paired; filled by the caller (NaN if unknown) */
} tfm_metrics_t;

/* Confusion counts at `threshold` into m->tp/fp/tn/fn (and n, pos, neg, threshold). */
void tfm_metrics_confusion(const double *score, const unsigned char *label, size_t n, double threshold,
                           tfm_metrics_t *m);
/* Every field of *m. Labels must be 0 or 1. Allocates a sort buffer (checked allocation). */
void tfm_metrics_compute(const double *score, const unsigned char *label, size_t n, double threshold,
                         tfm_metrics_t *m);
double tfm_metrics_roc_auc(const double *score, const unsigned char *label, size_t n);
/* ROC-AUC counting only positive-negative pairs inside the same group (e.g. the same miRNA),
 * ties 1/2: the sum over groups of the Mann-Whitney U over the sum of pos x neg. It separates
 * "which site" from "which miRNA", which a plain AUC mixes when miRNAs differ in their share of
 * positives. NaN when no group holds both classes. group[i] >= 0. */
double tfm_metrics_grouped_auc(const double *score, const unsigned char *label, const int *group, size_t n);
/* Paired shuffled-miRNA control: real[i] and shuf[i] score the same UTR (or site) with a real
 * miRNA and with its decoy (tfm-decoy). *win: over the rows with label 1, the fraction where the
 * real miRNA scores higher than its decoy, a tie counting 1/2 (NaN without positives).
 * *shuf_pos: over all rows, the fraction of decoys predicted positive (shuf >= threshold; NaN
 * when n = 0). */
void tfm_metrics_paired(const double *real, const double *shuf, const unsigned char *label, size_t n,
                        double threshold, double *win, double *shuf_pos);
/* Spearman's rank correlation: Pearson's r of the ranks, tied values sharing the mean of their
 * ranks. NaN when n < 2 or either side is constant. */
double tfm_metrics_spearman(const double *x, const double *y, size_t n);
double tfm_metrics_average_precision(const double *score, const unsigned char *label, size_t n);

/* Curve points, one per distinct score from the highest down, after a leading start point:
 * ROC: x = false-positive rate, y = true-positive rate, starting at (0,0) and ending at (1,1);
 * PR:  x = recall, y = precision, starting at (0,1) (scikit-learn's end point, put first).
 * *x and *y are allocated (free them); returns the number of points, 0 (and NULL) if the curve
 * is undefined (ROC: one class only; PR: no positives). */
size_t tfm_metrics_roc_curve(const double *score, const unsigned char *label, size_t n, double **x, double **y);
size_t tfm_metrics_pr_curve(const double *score, const unsigned char *label, size_t n, double **x, double **y);

/* miRNA-prior baseline (data README, "Leakage and bias"): a training site adds to the counts of
 * its miRNA sequence; score(seq) = (pos+1)/(n+2) over the training sites of that sequence, and
 * for an unseen sequence the positive rate of all training sites. Sequences are keyed after
 * upper-casing and T->U, so DNA and RNA spellings meet. */
typedef struct tfm_metrics_prior tfm_metrics_prior_t;
tfm_metrics_prior_t *tfm_metrics_prior_new(void);
void tfm_metrics_prior_add(tfm_metrics_prior_t *p, const char *mirna_seq, int label);
double tfm_metrics_prior_score(const tfm_metrics_prior_t *p, const char *mirna_seq);
/* Training sites of one sequence (0: unseen), and how many of them are positive in *pos. */
long tfm_metrics_prior_count(const tfm_metrics_prior_t *p, const char *mirna_seq, long *pos);
/* Number of training sites and of distinct sequences added. */
long tfm_metrics_prior_sites(const tfm_metrics_prior_t *p);
long tfm_metrics_prior_mirnas(const tfm_metrics_prior_t *p);
/* Each sequence's tallies in sequence order (as format writes them): pos[i] positive of n[i]
 * sites, for tfm_metrics_prior_mirnas(p) sequences. */
void tfm_metrics_prior_tallies(const tfm_metrics_prior_t *p, long *pos, long *n);
void tfm_metrics_prior_free(tfm_metrics_prior_t *p);
/* The table as text, to keep it inside a model file: "SEQ:pos:n" items joined by ',', sorted by
 * sequence (so equal tables give equal bytes); free() it. parse reads it back, NULL with
 * tfm_fail() naming the bad item. */
char *tfm_metrics_prior_format(const tfm_metrics_prior_t *p);
tfm_metrics_prior_t *tfm_metrics_prior_parse(const char *text);

/* A line plot in the unit square as a standalone SVG document: axes with ticks at 0, 0.2, ..,
 * 1, axis labels, a title, a legend with each series' name; `diagonal` adds the dashed chance
 * line y = x (for ROC). Series with dashed = 1 are drawn dashed; with step = 1 each point is
 * reached by a vertical then a horizontal segment, so that the area under a PR curve drawn
 * this way is its average precision. Returns a NUL-terminated allocated string (free it). */
typedef struct {
    const char *name;
    const double *x, *y;
    size_t n;
    int color; /* index into a fixed 10-colour palette (taken modulo 10) */
    int dashed;
    int step;
} tfm_metrics_series_t;
char *tfm_metrics_svg_plot(const tfm_metrics_series_t *s, int ns, const char *title, const char *xlabel,
                           const char *ylabel, int diagonal);

/* Printable form of a rate: "%.4f", or "nan" (never "-nan"). buf needs 16 bytes. */
const char *tfm_metrics_fmt(double v, char *buf);

#endif
