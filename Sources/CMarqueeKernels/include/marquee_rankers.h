#ifndef MARQUEE_RANKERS_H
#define MARQUEE_RANKERS_H

#include <stddef.h>
#include <stdint.h>

/// Interactions grouped by row (a user, or a film): `start[r] ..< start[r + 1]` index `columns`.
typedef struct {
    size_t rows;
    const long *start;
    const int32_t *columns;
} marquee_interactions;

/// Adds 1 to `out[a * items + b]` for every pair (a, b) of columns two rows share, a == b
/// included: the co-occurrence (Gram) matrix XᵀX of a binary matrix X. `out` is items × items.
void marquee_cooccurrence(marquee_interactions rows, size_t items, double *out);

/// Scores of every film for a user of an item-item model: `out[i] = Σ_{j ∈ seen} weights[i * items + j]`.
void marquee_item_item_scores(
    const double *weights, size_t items, const int32_t *seen, size_t seen_count, double *out);

/// One half-step of implicit ALS (Hu, Koren & Volinsky 2008) with conjugate gradient, as the
/// `implicit` library solves it: every row x of `solve` (rows × factors) minimises
/// Σ_j c_j (p_j − x·y_j)² + reg ‖x‖² over the rows y_j of `fixed`, where p_j = 1 and
/// c_j = 1 + alpha for the row's interactions and p_j = 0, c_j = 1 elsewhere, by `cg_steps` steps
/// of conjugate gradient started from the current x. `gram` is YᵀY + reg·I (factors × factors);
/// `scratch` holds 4 × factors floats. Float32 throughout, as `implicit` fits: half the memory
/// traffic and twice the lanes of double.
void marquee_ials_half(
    marquee_interactions rows, float *solve, const float *fixed, const float *gram, size_t factors, float alpha,
    int cg_steps, float *scratch);

/// One epoch of BPR-MF (Rendle et al. 2009) by SGD, as `implicit` samples it: `samples` times, a
/// random (user, film) interaction and a random film the user has not interacted with (each
/// row's `columns` sorted ascending for the check), then the gradient step on
/// ln σ(x_u·(y_i − y_j) + b_i − b_j) with L2 `reg`. `state` is a SplitMix64 state. Returns the
/// share of sampled pairs already ordered right (x_uij > 0) before their step. `user_of[p]` is
/// the row of interaction `p`. Factors and biases are float32, as `implicit` keeps them: half the
/// memory traffic and twice the lanes of double.
/// `seen`, when not NULL, is a bitmap of every row's films (`words` 64-bit words a row, see
/// `marquee_bitmap_rows`): one load per sampled negative instead of a binary search.
double marquee_bpr_epoch(
    marquee_interactions users, const int32_t *user_of, size_t items, float *user_factors, float *item_factors,
    float *item_bias, size_t factors, float learning_rate, float reg, size_t samples, const uint64_t *seen,
    size_t words, uint64_t *state);

/// Sets bit `c` of row `r` (`words` 64-bit words a row, zeroed by the caller) for every
/// interaction (r, c).
void marquee_bitmap_rows(marquee_interactions rows, size_t words, uint64_t *out);

/// EASE's weights from P = (XᵀX + λI)⁻¹ whose row-major upper triangle LAPACK's dpotri filled:
/// in place, `p[i * items + j]` becomes B[j][i] = −P[i][j] / P[i][i], with a zero diagonal.
void marquee_ease_weights(double *p, size_t items);

/// ItemKNN's neighbours of the target films `first ..< last`, without a films × films matrix:
/// for film i, the co-occurrences C[i][j] = |U_i ∩ U_j| are counted through i's users (`films`:
/// film → users, `users`: user → films), and i keeps its `k` most similar films j ≠ i by
/// C[i][j] / (norms[i] norms[j] + shrink), norms[i] = √|U_i| (ties: the lower j; similarities
/// ≤ 0 dropped), best first. Film `first + r`'s neighbours go to
/// `sources[r * k ..< r * k + kept[r]]` and `weights` alike. `counts` holds `items` zeros (left
/// zero), `touched` `items` + 1 ints, `heap_items` and `heap_values` `k` each — every caller its own.
void marquee_itemknn_sparse(
    marquee_interactions films, marquee_interactions users, size_t first, size_t last, size_t k, double shrink,
    const double *norms, uint32_t *counts, int32_t *touched, int32_t *heap_items, double *heap_values, int32_t *kept,
    int32_t *sources, double *weights);

/// Scores of every film for a user of a sparse item-item model, added to `out`: for each film j
/// in `seen`, `out[targets[e]] += weights[e]` over `e` in `start[j] ..< start[j + 1]` (the weights
/// grouped by source film). Films outside `0 ..< items` in `seen` are ignored.
void marquee_item_item_scatter(
    const long *start, const int32_t *targets, const double *weights, size_t items, const int32_t *seen,
    size_t seen_count, double *out);

/// Adds x xᵀ of the rows `first ..< last` of a row-major `factors`-wide float table to `sums`
/// (factors × factors doubles), upper triangle only (b ≥ a): a share of YᵀY.
void marquee_gram_rows(const float *table, size_t first, size_t last, size_t factors, double *sums);

/// Inverts the symmetric positive definite `n × n` matrix `a` in place (row-major or
/// column-major alike) with LAPACK's Cholesky routines (dpotrf, dpotri) from OpenBLAS, loaded at
/// the first call (libopenblas.so.0, Debian's libopenblas0). Returns 0 on success, LAPACK's
/// `info` (> 0: not positive definite), or −1000 when OpenBLAS cannot be loaded (then
/// `marquee_lapack_error()` says why).
///
/// Before loading, when OPENBLAS_CORETYPE is unset, it is set from the CPU's features (SkylakeX
/// with AVX-512, Haswell with AVX2 and FMA): an OpenBLAS older than the CPU (Debian 12's 0.3.21 on
/// Sapphire Rapids) otherwise falls back to its generic SSE3 kernels, several times slower.
int marquee_cholesky_inverse(double *a, int n);

/// Why OpenBLAS could not be loaded (empty when it was).
const char *marquee_lapack_error(void);

#endif
