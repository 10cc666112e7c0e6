#include "CCrypto.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

int cutover_sha256(const void *data, size_t len, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int cutover_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[32]) {
    unsigned int n = 32;
    return HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &n) != NULL;
}

struct cutover_sha256_ctx { EVP_MD_CTX *md; };

cutover_sha256_ctx *cutover_sha256_new(void) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) return NULL;
    if (!EVP_DigestInit_ex(md, EVP_sha256(), NULL)) { EVP_MD_CTX_free(md); return NULL; }
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
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_md5(), NULL);
}
