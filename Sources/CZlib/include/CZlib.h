#ifndef CUTOVER_CZLIB_H
#define CUTOVER_CZLIB_H
#include <stddef.h>
#include <stdint.h>

// Thin wrappers over zlib's gzip format so Swift sees plain functions with fixed types: S3
// Inventory's CSV data files are gzip-compressed (`.csv.gz`).

/// Compresses `len` bytes as one gzip member into a buffer from malloc (`*out`, `*out_len`);
/// free it with `cutover_gzip_free`. Returns 1 on success, 0 on failure.
int cutover_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);
void cutover_gzip_free(uint8_t *buffer);

/// Incremental gunzip with a bounded output buffer: a stream of one or more gzip members.
typedef struct cutover_gunzip cutover_gunzip;
cutover_gunzip *cutover_gunzip_new(void);
/// Feeds up to `in_len` bytes and writes up to `out_cap` bytes; `*consumed` and `*produced` say
/// how many. Returns 1 while the stream goes on, 2 at the end of a member, 0 on corrupt data.
int cutover_gunzip_step(cutover_gunzip *state, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                        size_t *consumed, size_t *produced);
void cutover_gunzip_free(cutover_gunzip *state);

#endif
