// SHA256_Init/Update/Final are deprecated in OpenSSL 3 but are the only way to resume a hash from
// a saved state without allocating (cutover_hmac_sha256_prepared below).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "CCrypto.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <string.h>

// OpenSSL 3 resolves EVP_sha256() through the provider registry on every use (a lock and reference
// counting per call). Signing hashes two or three small inputs per request, so that lookup was a
// fifth of the signer's time. The digest is fetched once, and each thread keeps one reusable
// context, which also makes HMAC two plain digests instead of OpenSSL's generic MAC machinery.

static EVP_MD *sha256_md;
static EVP_MD *md5_md;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_digests(void) {
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    md5_md = EVP_MD_fetch(NULL, "MD5", NULL);
}

static const EVP_MD *sha256(void) {
    pthread_once(&fetch_once, fetch_digests);
    return sha256_md;
}

static pthread_key_t ctx_key;
static pthread_once_t ctx_key_once = PTHREAD_ONCE_INIT;

static void free_thread_ctx(void *ctx) { EVP_MD_CTX_free((EVP_MD_CTX *)ctx); }
static void make_ctx_key(void) { pthread_key_create(&ctx_key, free_thread_ctx); }

static EVP_MD_CTX *thread_ctx(void) {
    pthread_once(&ctx_key_once, make_ctx_key);
    EVP_MD_CTX *ctx = pthread_getspecific(ctx_key);
    if (!ctx) {
        ctx = EVP_MD_CTX_new();
        if (ctx) pthread_setspecific(ctx_key, ctx);
    }
    return ctx;
}

static int digest_parts(const EVP_MD *md, const void *a, size_t alen, const void *b, size_t blen, uint8_t *out) {
    EVP_MD_CTX *ctx = thread_ctx();
    unsigned int n = 0;
    if (!ctx || !md) return 0;
    if (!EVP_DigestInit_ex(ctx, md, NULL)) return 0;
    if (alen && !EVP_DigestUpdate(ctx, a, alen)) return 0;
    if (blen && !EVP_DigestUpdate(ctx, b, blen)) return 0;
    return EVP_DigestFinal_ex(ctx, out, &n);
}

int cutover_sha256(const void *data, size_t len, uint8_t out[32]) {
    return digest_parts(sha256(), data, len, NULL, 0, out);
}

// HMAC's key as one 64-byte block: hashed when longer, zero-padded when shorter (RFC 2104 §2).
static int hmac_key_block(const void *key, size_t key_len, uint8_t k[64]) {
    memset(k, 0, 64);
    if (key_len > 64) return cutover_sha256(key, key_len, k);
    if (key_len) memcpy(k, key, key_len);
    return 1;
}

// HMAC (RFC 2104) over SHA-256: H((K ^ opad) || H((K ^ ipad) || m)), block size 64.
int cutover_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[32]) {
    uint8_t k[64], pad[64], inner[32];
    if (!hmac_key_block(key, key_len, k)) return 0;
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    if (!digest_parts(sha256(), pad, 64, data, len, inner)) return 0;
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    return digest_parts(sha256(), pad, 64, inner, 32, out);
}

// HMAC-SHA256 under a key used many times (a cached SigV4 signing key). HMAC's first block of
// each of its two hashes is the key XOR a pad, so it is the same for every message: hashing those
// two blocks once per key and resuming from the saved SHA-256 state leaves, per message, the
// message's blocks and one outer block (RFC 2104 §4 suggests exactly this). The EVP interface
// cannot resume from a saved state without allocating a context copy, so this uses the plain
// SHA256_CTX functions (deprecated in OpenSSL 3 in favour of EVP, still exported, and they use
// the same SHA-NI/AVX2 block code).
static void resume_sha256(SHA256_CTX *c, const uint32_t chaining[8]) {
    SHA256_Init(c);
    memcpy(c->h, chaining, 32);
    c->Nl = 512;  // bits already hashed: the one pad block
    c->Nh = 0;
}

int cutover_hmac_sha256_prepare(const void *key, size_t key_len, uint32_t state[16]) {
    uint8_t k[64], pad[64];
    SHA256_CTX c;
    if (!hmac_key_block(key, key_len, k)) return 0;
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    if (!SHA256_Init(&c) || !SHA256_Update(&c, pad, 64)) return 0;
    memcpy(state, c.h, 32);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    if (!SHA256_Init(&c) || !SHA256_Update(&c, pad, 64)) return 0;
    memcpy(state + 8, c.h, 32);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(&c, sizeof c);
    return 1;
}

int cutover_hmac_sha256_prepared(const uint32_t state[16], const void *data, size_t len, uint8_t out[32]) {
    SHA256_CTX c;
    uint8_t inner[32];
    resume_sha256(&c, state);
    if (!SHA256_Update(&c, data, len) || !SHA256_Final(inner, &c)) return 0;
    resume_sha256(&c, state + 8);
    if (!SHA256_Update(&c, inner, 32) || !SHA256_Final(out, &c)) return 0;
    return 1;
}

struct cutover_sha256_ctx { EVP_MD_CTX *md; };

cutover_sha256_ctx *cutover_sha256_new(void) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) return NULL;
    if (!EVP_DigestInit_ex(md, sha256(), NULL)) { EVP_MD_CTX_free(md); return NULL; }
    cutover_sha256_ctx *ctx = OPENSSL_malloc(sizeof *ctx);
    if (!ctx) { EVP_MD_CTX_free(md); return NULL; }
    ctx->md = md;
    return ctx;
}
int cutover_sha256_update(cutover_sha256_ctx *ctx, const void *data, size_t len) {
    return EVP_DigestUpdate(ctx->md, data, len);
}
int cutover_sha256_final(cutover_sha256_ctx *ctx, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_DigestFinal_ex(ctx->md, out, &n);
}
void cutover_sha256_free(cutover_sha256_ctx *ctx) {
    if (!ctx) return;
    EVP_MD_CTX_free(ctx->md);
    OPENSSL_free(ctx);
}
int cutover_md5(const void *data, size_t len, uint8_t out[16]) {
    pthread_once(&fetch_once, fetch_digests);
    return digest_parts(md5_md, data, len, NULL, 0, out);
}

// Ed25519. One-shot EVP_DigestSign/Verify with a NULL digest is how OpenSSL 3 does pure Ed25519.

int cutover_ed25519_keygen(uint8_t seed[32], uint8_t public_key[32]) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    EVP_PKEY *pkey = NULL;
    size_t seed_len = 32, public_len = 32;
    int ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1
        && EVP_PKEY_get_raw_private_key(pkey, seed, &seed_len) == 1 && seed_len == 32
        && EVP_PKEY_get_raw_public_key(pkey, public_key, &public_len) == 1 && public_len == 32;
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

int cutover_ed25519_public_key(const uint8_t seed[32], uint8_t public_key[32]) {
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    size_t public_len = 32;
    int ok = pkey && EVP_PKEY_get_raw_public_key(pkey, public_key, &public_len) == 1 && public_len == 32;
    EVP_PKEY_free(pkey);
    return ok;
}

int cutover_ed25519_sign(const uint8_t seed[32], const void *data, size_t len, uint8_t signature[64]) {
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t signature_len = 64;
    int ok = pkey && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) == 1
        && EVP_DigestSign(ctx, signature, &signature_len, data, len) == 1 && signature_len == 64;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

int cutover_ed25519_verify(const uint8_t public_key[32], const void *data, size_t len, const uint8_t signature[64]) {
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public_key, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = pkey && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1
        && EVP_DigestVerify(ctx, signature, 64, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}
