// The training loops of MarqueeML, in C so that they run at C speed in every build configuration
// without unsafe compiler flags on a Swift target (a package with unsafe flags cannot be a
// versioned dependency). Each mirrors the Swift description in Trainer.swift line for line.
#include "marquee_kernels.h"

#include "vector.h"

double marquee_dot(const double *a, const double *b, size_t count) { return dot(a, b, count); }

/// y ← keep·y + step·x.
static inline void decay_add(double *restrict y, double keep, const double *restrict x, double step, size_t count) {
    for (size_t f = 0; f < count; f++) y[f] = keep * y[f] + step * x[f];
}

MARQUEE_VECTOR_CLONES double marquee_svd_epoch(
    marquee_ratings data, double *pu, double *qi, double *bu, double *bi, size_t factors, double mean, int biased,
    marquee_sgd_rates r) {
    const double keep_p = 1 - r.lr_pu * r.reg_pu, keep_q = 1 - r.lr_qi * r.reg_qi;
    const size_t total = (size_t)data.user_start[data.users];
    double squared = 0;
    size_t user = 0;
    for (size_t position = 0; position < total; position++) {
        while ((long)position >= data.user_start[user + 1]) user++;
        if (position + 2 < total) marquee_prefetch(qi + (size_t)data.items[position + 2] * factors, factors * 8);
        double *restrict p = pu + user * factors;
        const size_t item = (size_t)data.items[position];
        double *restrict q = qi + item * factors;
        const double err = data.ratings[position] - (mean + bu[user] + bi[item] + dot(q, p, factors));
        squared += err * err;
        if (biased) {
            bu[user] += r.lr_bu * (err - r.reg_bu * bu[user]);
            bi[item] += r.lr_bi * (err - r.reg_bi * bi[item]);
        }
        const double step_p = r.lr_pu * err, step_q = r.lr_qi * err;
        for (size_t f = 0; f < factors; f++) {
            const double puf = p[f], qif = q[f];
            p[f] = keep_p * puf + step_p * qif;
            q[f] = keep_q * qif + step_q * puf;
        }
    }
    return squared;
}

MARQUEE_VECTOR_CLONES double marquee_svdpp_epoch(
    marquee_ratings data, double *pu, double *qi, double *yj, double *bu, double *bi, size_t factors, double mean,
    marquee_sgd_rates r, double lr_y, double reg_y, double *sums, double *offset, double *implicit) {
    double squared = 0;
    const double decay = 1 - lr_y * reg_y;
    for (size_t user = 0; user < data.users; user++) {
        const long first = data.user_start[user], end = data.user_start[user + 1];
        const double count = (double)(end - first);
        const double root = __builtin_sqrt(count);
        for (size_t f = 0; f < factors; f++) sums[f] = 0;
        for (long position = first; position < end; position++) {
            const double *y = yj + (size_t)data.items[position] * factors;
            for (size_t f = 0; f < factors; f++) sums[f] += y[f];
        }
        for (size_t f = 0; f < factors; f++) offset[f] = 0;
        double scale = 1;
        double *p = pu + user * factors;
        for (long position = first; position < end; position++) {
            const size_t item = (size_t)data.items[position];
            double *q = qi + item * factors;
            double dot = 0;
            for (size_t f = 0; f < factors; f++) {
                implicit[f] = (scale * sums[f] + count * offset[f]) / root;
                dot += q[f] * (p[f] + implicit[f]);
            }
            const double err = data.ratings[position] - (mean + bu[user] + bi[item] + dot);
            squared += err * err;
            bu[user] += r.lr_bu * (err - r.reg_bu * bu[user]);
            bi[item] += r.lr_bi * (err - r.reg_bi * bi[item]);
            scale *= decay;
            for (size_t f = 0; f < factors; f++) {
                const double puf = p[f], qif = q[f];
                p[f] += r.lr_pu * (err * qif - r.reg_pu * puf);
                q[f] += r.lr_qi * (err * (puf + implicit[f]) - r.reg_qi * qif);
                offset[f] = decay * offset[f] + lr_y * err * qif / root;
            }
        }
        for (long position = first; position < end; position++) {
            double *y = yj + (size_t)data.items[position] * factors;
            for (size_t f = 0; f < factors; f++) y[f] = scale * y[f] + offset[f];
        }
    }
    return squared;
}

MARQUEE_VECTOR_CLONES double marquee_hybrid_epoch(
    marquee_ratings data, marquee_content content, double *pu, double *qi, double *bu, double *bi, double *weights,
    double *bias_weights, size_t factors, double mean, marquee_sgd_rates r, double lr_c, double reg_c,
    double *effective, double *previous) {
    double squared = 0;
    const double keep_c = 1 - lr_c * reg_c;
    const double keep_p = 1 - r.lr_pu * r.reg_pu, keep_q = 1 - r.lr_qi * r.reg_qi;
    for (size_t user = 0; user < data.users; user++) {
        double *p = pu + user * factors;
        for (long position = data.user_start[user]; position < data.user_start[user + 1]; position++) {
            const size_t item = (size_t)data.items[position];
            double *q = qi + item * factors;
            const long film = content.table_film[item];
            const long from = content.start[film], to = content.start[film + 1];
            double bias = bi[item];
            for (size_t f = 0; f < factors; f++) effective[f] = q[f];
            for (long k = from; k < to; k++) {
                const double x = content.value[k];
                const size_t w = (size_t)content.index[k];
                bias += x * bias_weights[w];
                decay_add(effective, 1, weights + w * factors, x, factors);
            }
            const double err = data.ratings[position] - (mean + bu[user] + bias + dot(effective, p, factors));
            squared += err * err;
            bu[user] += r.lr_bu * (err - r.reg_bu * bu[user]);
            bi[item] += r.lr_bi * (err - r.reg_bi * bi[item]);
            for (size_t f = 0; f < factors; f++) previous[f] = p[f];
            decay_add(p, keep_p, effective, r.lr_pu * err, factors);
            decay_add(q, keep_q, previous, r.lr_qi * err, factors);
            for (long k = from; k < to; k++) {
                const size_t w = (size_t)content.index[k];
                const double x = content.value[k];
                bias_weights[w] += lr_c * (err * x - reg_c * bias_weights[w]);
                decay_add(weights + w * factors, keep_c, previous, lr_c * err * x, factors);
            }
        }
    }
    return squared;
}

MARQUEE_VECTOR_CLONES void marquee_scores(
    const double *item_factors, const double *item_bias, size_t items, const double *p, size_t factors, double base,
    double *out) {
    for (size_t item = 0; item < items; item++) {
        out[item] = base + item_bias[item] + dot(item_factors + item * factors, p, factors);
    }
}

MARQUEE_VECTOR_CLONES void marquee_scores_block(
    const double *item_factors, const double *item_bias, size_t items, const double *users, size_t user_count,
    size_t factors, const double *bases, double *out) {
    // Films in the outer loop: each film's factors are read from memory once per block of users
    // instead of once per user (the factor table is larger than the caches). Each score is the
    // same expression as in marquee_scores, so the values are bit-identical.
    for (size_t item = 0; item < items; item++) {
        const double *q = item_factors + item * factors;
        for (size_t u = 0; u < user_count; u++) {
            out[u * items + item] = bases[u] + item_bias[item] + dot(q, users + u * factors, factors);
        }
    }
}

size_t marquee_top_k(
    const double *scores, const uint8_t *excluded, size_t count, size_t k, int32_t *out_items, double *out_scores) {
    size_t filled = 0;
    if (k == 0) return 0;
    for (size_t item = 0; item < count; item++) {
        if (excluded && excluded[item]) continue;
        const double score = scores[item];
        if (filled == k && score <= out_scores[k - 1]) continue;
        // Insert keeping the list sorted by score descending, earlier indices first on ties.
        size_t position = filled < k ? filled : k - 1;
        while (position > 0 && out_scores[position - 1] < score) {
            out_scores[position] = out_scores[position - 1];
            out_items[position] = out_items[position - 1];
            position--;
        }
        out_scores[position] = score;
        out_items[position] = (int32_t)item;
        if (filled < k) filled++;
    }
    return filled;
}
