#ifndef MARQUEE_CZLIB_SHIM_H
#define MARQUEE_CZLIB_SHIM_H

#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros over the *_ functions; typed wrappers for Swift.
/// windowBits 31 = a gzip member (16 + 15).
static inline int marquee_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
}

static inline int marquee_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 31);
}

#endif
