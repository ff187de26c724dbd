#include "marquee_rankers.h"
#include "marquee_kernels.h"
#include "vector.h"
#include <math.h>
#include <string.h>

MARQUEE_VECTOR_CLONES void marquee_cooccurrence(marquee_interactions rows, size_t items, double *out) {
    for (size_t r = 0; r < rows.rows; r++) {
        const int32_t *columns = rows.columns + rows.start[r];
        long count = rows.start[r + 1] - rows.start[r];
        for (long a = 0; a < count; a++) {
            double *row = out + (size_t)columns[a] * items;
            for (long b = 0; b < count; b++) row[columns[b]] += 1.0;
        }
    }
}

MARQUEE_VECTOR_CLONES void marquee_item_item_scores(
    const double *weights, size_t items, const int32_t *seen, size_t seen_count, double *out) {
    for (size_t i = 0; i < items; i++) {
        const double *row = weights + i * items;
        double sum = 0;
        for (size_t s = 0; s < seen_count; s++) sum += row[seen[s]];
        out[i] = sum;
    }
}

/// out = gram · v for a symmetric gram: the sum of its rows scaled by v, so every step is a
/// vector multiply-add along a row (no horizontal sums).
static inline __attribute__((always_inline)) void gram_times(const float *gram, const float *v, float *out, size_t factors) {
    for (size_t a = 0; a < factors; a++) out[a] = 0;
    for (size_t b = 0; b < factors; b++) {
        const float scale = v[b];
        const float *restrict row = gram + b * factors;
        float *restrict sum = out;
        for (size_t a = 0; a < factors; a++) sum[a] += scale * row[a];
    }
}

MARQUEE_VECTOR_CLONES void marquee_ials_half(
    marquee_interactions rows, float *solve, const float *fixed, const float *gram, size_t factors, float alpha,
    int cg_steps, float *scratch) {
    float *r = scratch, *p = scratch + factors, *ap = scratch + 2 * factors;
    for (size_t u = 0; u < rows.rows; u++) {
        float *x = solve + u * factors;
        const int32_t *columns = rows.columns + rows.start[u];
        long count = rows.start[u + 1] - rows.start[u];
        // r = b − A x with A = YᵀY + reg·I + Σ_j alpha y_j y_jᵀ and b = Σ_j (1 + alpha) y_j.
        gram_times(gram, x, r, factors);
        for (size_t f = 0; f < factors; f++) r[f] = -r[f];
        for (long k = 0; k < count; k++) {
            const float *y = fixed + (size_t)columns[k] * factors;
            float weight = (1 + alpha) - alpha * dotf(y, x, factors);
            for (size_t f = 0; f < factors; f++) r[f] += weight * y[f];
        }
        memcpy(p, r, factors * sizeof(float));
        float old = dotf(r, r, factors);
        for (int step = 0; step < cg_steps && old > 1e-20f; step++) {
            gram_times(gram, p, ap, factors);
            for (long k = 0; k < count; k++) {
                const float *y = fixed + (size_t)columns[k] * factors;
                float weight = alpha * dotf(y, p, factors);
                for (size_t f = 0; f < factors; f++) ap[f] += weight * y[f];
            }
            float curvature = dotf(p, ap, factors);
            if (!(curvature > 0)) break;
            float a = old / curvature;
            for (size_t f = 0; f < factors; f++) {
                x[f] += a * p[f];
                r[f] -= a * ap[f];
            }
            float next = dotf(r, r, factors);
            for (size_t f = 0; f < factors; f++) p[f] = r[f] + (next / old) * p[f];
            old = next;
        }
    }
}

static inline uint64_t split_mix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// A uniform integer below `bound` (Lemire's multiply-shift; the bias is below 2⁻³² here).
static inline size_t below(uint64_t *state, size_t bound) {
    return (size_t)(((__uint128_t)split_mix(state) * bound) >> 64);
}

static int contains(const int32_t *sorted, long count, int32_t value) {
    long low = 0, high = count;
    while (low < high) {
        long middle = (low + high) / 2;
        if (sorted[middle] < value) low = middle + 1;
        else high = middle;
    }
    return low < count && sorted[low] == value;
}

MARQUEE_VECTOR_CLONES double marquee_bpr_epoch(
    marquee_interactions users, const int32_t *user_of, size_t items, float *user_factors, float *item_factors,
    float *item_bias, size_t factors, float learning_rate, float reg, size_t samples, const uint64_t *seen,
    size_t words, uint64_t *state) {
    size_t total = (size_t)users.start[users.rows], correct = 0, taken = 0;
    if (total == 0 || items < 2) return 0;
    for (size_t s = 0; s < samples; s++) {
        // A random interaction, so users weigh by their activity (as implicit samples).
        size_t position = below(state, total);
        size_t u = (size_t)user_of[position];
        const int32_t *liked = users.columns + users.start[u];
        long count = users.start[u + 1] - users.start[u];
        if ((size_t)count >= items) continue;
        int32_t i = users.columns[position], j;
        if (seen) {
            const uint64_t *bits = seen + u * words;
            do { j = (int32_t)below(state, items); } while ((bits[j >> 6] >> (j & 63)) & 1);
        } else {
            do { j = (int32_t)below(state, items); } while (contains(liked, count, j));
        }
        float *restrict x = user_factors + u * factors;
        float *restrict yi = item_factors + (size_t)i * factors;
        float *restrict yj = item_factors + (size_t)j * factors;
        float score = (item_bias[i] - item_bias[j]) + (dotf(x, yi, factors) - dotf(x, yj, factors));
        taken++;
        if (score > 0) correct++;
        float z = 1.0f / (1.0f + expf(score));
        for (size_t f = 0; f < factors; f++) {
            float xf = x[f], yif = yi[f], yjf = yj[f];
            x[f] += learning_rate * (z * (yif - yjf) - reg * xf);
            yi[f] += learning_rate * (z * xf - reg * yif);
            yj[f] += learning_rate * (-z * xf - reg * yjf);
        }
        item_bias[i] += learning_rate * (z - reg * item_bias[i]);
        item_bias[j] += learning_rate * (-z - reg * item_bias[j]);
    }
    return taken ? (double)correct / (double)taken : 0;
}

void marquee_bitmap_rows(marquee_interactions rows, size_t words, uint64_t *out) {
    for (size_t r = 0; r < rows.rows; r++)
        for (long p = rows.start[r]; p < rows.start[r + 1]; p++) {
            int32_t c = rows.columns[p];
            out[r * words + ((size_t)c >> 6)] |= 1ULL << (c & 63);
        }
}

MARQUEE_VECTOR_CLONES void marquee_ease_weights(double *p, size_t items) {
    for (size_t i = 0; i < items; i++)
        for (size_t j = 0; j < i; j++) p[i * items + j] = p[j * items + i];
    for (size_t i = 0; i < items; i++) {
        double *row = p + i * items;
        double scale = -1.0 / row[i];
        for (size_t j = 0; j < items; j++) row[j] *= scale;
        row[i] = 0;
    }
}

/// Whether neighbour (a, va) ranks before (b, vb): the higher similarity, then the lower film.
static inline int ranks_before(double va, int32_t a, double vb, int32_t b) { return va > vb || (va == vb && a < b); }

/// Restores the heap below `at` (root: the neighbour that ranks last, the next to drop).
static void sift_down(int32_t *items, double *values, size_t count, size_t at) {
    for (;;) {
        size_t worst = at, left = 2 * at + 1, right = left + 1;
        if (left < count && ranks_before(values[worst], items[worst], values[left], items[left])) worst = left;
        if (right < count && ranks_before(values[worst], items[worst], values[right], items[right])) worst = right;
        if (worst == at) return;
        int32_t item = items[at];
        double value = values[at];
        items[at] = items[worst], values[at] = values[worst];
        items[worst] = item, values[worst] = value;
        at = worst;
    }
}

void marquee_itemknn_sparse(
    marquee_interactions films, marquee_interactions users, size_t first, size_t last, size_t k, double shrink,
    const double *norms, uint32_t *counts, int32_t *touched, int32_t *heap_items, double *heap_values, int32_t *kept,
    int32_t *sources, double *weights) {
    for (size_t i = first; i < last; i++) {
        size_t distinct = 0;
        for (long p = films.start[i]; p < films.start[i + 1]; p++) {
            size_t u = (size_t)films.columns[p];
            for (long q = users.start[u]; q < users.start[u + 1]; q++) {
                int32_t j = users.columns[q];
                touched[distinct] = j;
                distinct += counts[j] == 0;
                counts[j] += 1;
            }
        }
        size_t held = 0;
        for (size_t t = 0; t < distinct; t++) {
            int32_t j = touched[t];
            double together = (double)counts[j];
            counts[j] = 0;
            if ((size_t)j == i || k == 0) continue;
            double denominator = norms[i] * norms[j] + shrink;
            // A full heap takes only a neighbour that can beat its last: skip the division for the rest.
            if (held == k && together < heap_values[0] * denominator * (1 - 1e-12)) continue;
            double similarity = together / denominator;
            if (!(similarity > 0)) continue;
            if (held < k) {
                // Sift up: the heap's root is the neighbour that ranks last.
                size_t at = held++;
                heap_items[at] = j, heap_values[at] = similarity;
                while (at > 0) {
                    size_t parent = (at - 1) / 2;
                    if (!ranks_before(heap_values[parent], heap_items[parent], heap_values[at], heap_items[at])) break;
                    int32_t item = heap_items[at];
                    double value = heap_values[at];
                    heap_items[at] = heap_items[parent], heap_values[at] = heap_values[parent];
                    heap_items[parent] = item, heap_values[parent] = value;
                    at = parent;
                }
            } else if (ranks_before(similarity, j, heap_values[0], heap_items[0])) {
                heap_items[0] = j, heap_values[0] = similarity;
                sift_down(heap_items, heap_values, held, 0);
            }
        }
        size_t row = i - first;
        kept[row] = (int32_t)held;
        // Pop the last-ranked repeatedly: the row fills from its end, best first.
        for (size_t n = held; n > 0; n--) {
            sources[row * k + n - 1] = heap_items[0];
            weights[row * k + n - 1] = heap_values[0];
            heap_items[0] = heap_items[n - 1], heap_values[0] = heap_values[n - 1];
            sift_down(heap_items, heap_values, n - 1, 0);
        }
    }
}

void marquee_item_item_scatter(
    const long *start, const int32_t *targets, const double *weights, size_t items, const int32_t *seen,
    size_t seen_count, double *out) {
    for (size_t s = 0; s < seen_count; s++) {
        int32_t j = seen[s];
        if (j < 0 || (size_t)j >= items) continue;
        for (long e = start[j]; e < start[j + 1]; e++) out[targets[e]] += weights[e];
    }
}

MARQUEE_VECTOR_CLONES void marquee_gram_rows(
    const float *table, size_t first, size_t last, size_t factors, double *sums) {
    for (size_t r = first; r < last; r++) {
        const float *x = table + r * factors;
        for (size_t a = 0; a < factors; a++) {
            const double value = x[a];
            double *restrict line = sums + a * factors;
            for (size_t b = a; b < factors; b++) line[b] += value * (double)x[b];
        }
    }
}
