#include "CZlib.h"
#include <stdlib.h>
#include <zlib.h>

int cutover_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len) {
    z_stream stream = {0};
    // 15 window bits + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    size_t capacity = deflateBound(&stream, (uLong)len) + 32;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { deflateEnd(&stream); return 0; }
    stream.next_in = (Bytef *)in;
    stream.avail_in = (uInt)len;
    stream.next_out = buffer;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    if (status != Z_STREAM_END) { free(buffer); deflateEnd(&stream); return 0; }
    *out = buffer;
    *out_len = capacity - stream.avail_out;
    deflateEnd(&stream);
    return 1;
}

void cutover_gzip_free(uint8_t *buffer) { free(buffer); }

struct cutover_gunzip { z_stream stream; };

cutover_gunzip *cutover_gunzip_new(void) {
    cutover_gunzip *state = calloc(1, sizeof(cutover_gunzip));
    if (!state) return NULL;
    if (inflateInit2(&state->stream, 15 + 16) != Z_OK) { free(state); return NULL; }
    return state;
}

int cutover_gunzip_step(cutover_gunzip *state, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                        size_t *consumed, size_t *produced) {
    state->stream.next_in = (Bytef *)in;
    state->stream.avail_in = (uInt)in_len;
    state->stream.next_out = out;
    state->stream.avail_out = (uInt)out_cap;
    int status = inflate(&state->stream, Z_NO_FLUSH);
    *consumed = in_len - state->stream.avail_in;
    *produced = out_cap - state->stream.avail_out;
    if (status == Z_STREAM_END) {
        inflateReset(&state->stream);
        return 2;
    }
    if (status == Z_OK || status == Z_BUF_ERROR) return 1;
    return 0;
}

void cutover_gunzip_free(cutover_gunzip *state) {
    if (!state) return;
    inflateEnd(&state->stream);
    free(state);
}
