#ifndef CUTOVER_CCRYPTO_H
#define CUTOVER_CCRYPTO_H
#include <stddef.h>
#include <stdint.h>

// Thin, allocation-free wrappers over libcrypto so Swift sees plain functions with fixed types.
// Each returns 1 on success, 0 on failure (libcrypto's convention).

/// SHA-256 of `len` bytes into `out` (32 bytes).
int cutover_sha256(const void *data, size_t len, uint8_t out[32]);
/// HMAC-SHA256 of `len` bytes with `key` into `out` (32 bytes).
int cutover_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[32]);

/// HMAC-SHA256 under a key used for many messages: `prepare` hashes the key's two pad blocks once
/// into `state` (16 words, as secret as the key); `prepared` then gives the same MAC as
/// `cutover_hmac_sha256` with that key, hashing only the message and one outer block.
int cutover_hmac_sha256_prepare(const void *key, size_t key_len, uint32_t state[16]);
int cutover_hmac_sha256_prepared(const uint32_t state[16], const void *data, size_t len, uint8_t out[32]);

/// Incremental SHA-256, for bodies that arrive in pieces.
typedef struct cutover_sha256_ctx cutover_sha256_ctx;
cutover_sha256_ctx *cutover_sha256_new(void);
int cutover_sha256_update(cutover_sha256_ctx *ctx, const void *data, size_t len);
int cutover_sha256_final(cutover_sha256_ctx *ctx, uint8_t out[32]);
void cutover_sha256_free(cutover_sha256_ctx *ctx);

/// MD5 (S3's Content-MD5 on DeleteObjects; never used for security).
int cutover_md5(const void *data, size_t len, uint8_t out[16]);

/// Ed25519 (RFC 8032) through libcrypto's EVP_PKEY_ED25519. Keys travel as raw bytes: the 32-byte
/// private seed and the 32-byte public key; signatures are 64 bytes.
/// A fresh key pair from libcrypto's CSPRNG.
int cutover_ed25519_keygen(uint8_t seed[32], uint8_t public_key[32]);
/// The public key that belongs to a private seed.
int cutover_ed25519_public_key(const uint8_t seed[32], uint8_t public_key[32]);
/// Signs `len` bytes with the private seed (pure Ed25519, no pre-hash).
int cutover_ed25519_sign(const uint8_t seed[32], const void *data, size_t len, uint8_t signature[64]);
/// 1 when `signature` is a valid signature of the bytes under `public_key`, 0 otherwise.
int cutover_ed25519_verify(const uint8_t public_key[32], const void *data, size_t len, const uint8_t signature[64]);

#endif
