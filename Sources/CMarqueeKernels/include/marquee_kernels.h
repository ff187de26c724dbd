#ifndef MARQUEE_KERNELS_H
#define MARQUEE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Asks the CPU to start loading `bytes` bytes at `address` into cache, without waiting for them
/// (Swift has no prefetch intrinsic). The SGD loops call it for the film row two ratings ahead:
/// they are otherwise bound by the latency of fetching that row.
static inline void marquee_prefetch(const void *address, size_t bytes) {
    const char *p = (const char *)address;
    for (size_t offset = 0; offset < bytes; offset += 64) {
        __builtin_prefetch(p + offset, 1, 3);
    }
}

/// Learning rates and regularisations of an SGD fit (Surprise's names).
typedef struct {
    double lr_bu, lr_bi, lr_pu, lr_qi, reg_bu, reg_bi, reg_pu, reg_qi;
} marquee_sgd_rates;

/// The ratings of a training set grouped by user: `user_start[u] ..< user_start[u + 1]` index
/// `items` (inner film numbers) and `ratings`.
typedef struct {
    size_t users;
    const long *user_start;
    const int32_t *items;
    const double *ratings;
} marquee_ratings;

/// Σ a[f]·b[f] over `count` entries, in eight partial sums (the order every kernel uses).
double marquee_dot(const double *a, const double *b, size_t count);

/// One epoch of Surprise's SVD: for each rating in order, the biases (when `biased`) then every
/// factor pair. `pu`/`qi` are row-major (`factors` per row). Returns the epoch's squared error.
double marquee_svd_epoch(
    marquee_ratings data, double *pu, double *qi, double *bu, double *bi, size_t factors, double mean, int biased,
    marquee_sgd_rates rates);

/// One epoch of SVD++ with the implicit factors `yj` updated lazily, once per user (see
/// `Trainer.fitSVDpp`). `sums`, `offset` and `implicit` are scratch rows of `factors`.
double marquee_svdpp_epoch(
    marquee_ratings data, double *pu, double *qi, double *yj, double *bu, double *bi, size_t factors, double mean,
    marquee_sgd_rates rates, double lr_y, double reg_y, double *sums, double *offset, double *implicit);

/// Film content for the hybrid: film `f`'s features are `index[start[f] ..< start[f + 1]]` with
/// values `value[…]`; `table_film[i]` is the film of inner film `i`.
typedef struct {
    const long *table_film;
    const long *start;
    const int32_t *index;
    const double *value;
} marquee_content;

/// One epoch of the hybrid (SVD with film terms tied to content weights `weights`, one row of
/// `factors` per feature, and `bias_weights`). `effective` and `previous` are scratch rows.
double marquee_hybrid_epoch(
    marquee_ratings data, marquee_content content, double *pu, double *qi, double *bu, double *bi, double *weights,
    double *bias_weights, size_t factors, double mean, marquee_sgd_rates rates, double lr_content,
    double reg_content, double *effective, double *previous);

/// `out[i] = base + item_bias[i] + item_factors[i]·p` for every film row `i < items`.
void marquee_scores(
    const double *item_factors, const double *item_bias, size_t items, const double *p, size_t factors, double base,
    double *out);

/// marquee_scores for `user_count` users at once, bit-identical: user `u`'s factors are
/// `users[u * factors ..]`, its base `bases[u]`, its scores `out[u * items ..< (u + 1) * items]`.
void marquee_scores_block(
    const double *item_factors, const double *item_bias, size_t items, const double *users, size_t user_count,
    size_t factors, const double *bases, double *out);

/// The `k` best of `scores[0 ..< count]` whose `excluded[i]` is 0, best first, ties to the lower
/// index: their indices go to `out_items`, their scores to `out_scores` (room for `k` each).
/// Returns how many were written (fewer than `k` for a short list).
size_t marquee_top_k(
    const double *scores, const uint8_t *excluded, size_t count, size_t k, int32_t *out_items, double *out_scores);

#include "marquee_rankers.h"

#endif
