#ifndef MARQUEE_VECTOR_H
#define MARQUEE_VECTOR_H
// Shared by the kernels' C files (not part of the module's interface).
#include <stddef.h>

// Wider vectors where the CPU has them, chosen once at load time (an ifunc; no compiler flag).
// Contraction into fused multiply-adds stays off, and the dot product keeps its eight partial sums
// in the same order, so every build and every CPU computes bit-identical results.
#pragma clang fp contract(off)
#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define MARQUEE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MARQUEE_VECTOR_CLONES
#endif

/// Eight doubles: the eight partial sums of `dot`, one per lane (the compiler maps it onto one
/// AVX-512 register, two AVX2 ones or four SSE2 ones).
typedef double marquee_lanes __attribute__((vector_size(64)));

/// The dot product with eight partial sums (lane `j` sums the products at `f ≡ j mod 8`), added
/// as ((s0+s4)+(s1+s5))+((s2+s6)+(s3+s7)), then the tail: the same arithmetic in every build.
/// Inlined into each vector clone below (a call would run the baseline version).
static inline __attribute__((always_inline)) double dot(const double *a, const double *b, size_t count) {
    marquee_lanes s = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t f = 0;
    for (; f + 8 <= count; f += 8) {
        marquee_lanes x, y;
        __builtin_memcpy(&x, a + f, sizeof x);
        __builtin_memcpy(&y, b + f, sizeof y);
        s += x * y;
    }
    double sum = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; f < count; f++) sum += a[f] * b[f];
    return sum;
}

/// Sixteen floats: `dotf`'s partial sums, as `marquee_lanes` are `dot`'s.
typedef float marquee_float_lanes __attribute__((vector_size(64)));
/// Eight and four floats: the halves `dotf` folds its partial sums through.
typedef float marquee_float_half __attribute__((vector_size(32)));
typedef float marquee_float_quarter __attribute__((vector_size(16)));

/// `dot` in float32 (BPR's and iALS's factors): sixteen partial sums folded in halves, then the tail.
static inline __attribute__((always_inline)) float dotf(const float *a, const float *b, size_t count) {
    marquee_float_lanes s = {0};
    size_t f = 0;
    for (; f + 16 <= count; f += 16) {
        marquee_float_lanes x, y;
        __builtin_memcpy(&x, a + f, sizeof x);
        __builtin_memcpy(&y, b + f, sizeof y);
        s += x * y;
    }
    // Halves added lane-wise (16 → 8 → 4 → 2 → 1): four vector adds rather than sixteen
    // dependent scalar ones, in a fixed order.
    marquee_float_half h = __builtin_shufflevector(s, s, 0, 1, 2, 3, 4, 5, 6, 7)
        + __builtin_shufflevector(s, s, 8, 9, 10, 11, 12, 13, 14, 15);
    marquee_float_quarter q = __builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7);
    float sum = (q[0] + q[2]) + (q[1] + q[3]);
    for (; f < count; f++) sum += a[f] * b[f];
    return sum;
}

#endif
