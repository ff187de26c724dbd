#ifndef MARQUEE_KERNELS_H
#define MARQUEE_KERNELS_H

#include <stddef.h>

/// Asks the CPU to start loading `bytes` bytes at `address` into cache, without waiting for them
/// (Swift has no prefetch intrinsic). The SGD loops call it for the film row two ratings ahead:
/// they are otherwise bound by the latency of fetching that row.
static inline void marquee_prefetch(const void *address, size_t bytes) {
    const char *p = (const char *)address;
    for (size_t offset = 0; offset < bytes; offset += 64) {
        __builtin_prefetch(p + offset, 1, 3);
    }
}

#endif
