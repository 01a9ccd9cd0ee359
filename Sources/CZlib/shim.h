#include <zlib.h>

// inflateInit2 is a macro (it passes the library version and the stream's size), which Swift does not
// import: this function is that macro. 15 + 32: the largest window, with gzip/zlib header detection.
static inline int aurora_inflate_init(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
