// sigv4-floor: the cryptography a SigV4 signature cannot do without, timed on its own.
//
//   cc -O2 -falign-functions=64 -falign-loops=64 -I Sources/CCrypto/include
//      Benchmarks/SigV4Floor/sigv4_floor.c Sources/CCrypto/shim.c -lcrypto -o sigv4-floor
//      (Benchmarks/sigv4_peers.py builds it so, with the flags in its FLOOR_CFLAGS)
//   sigv4-floor INPUTS [--runs N]
//
// INPUTS is what `sigv4-bench --dump-floor FILE` writes: per request, the body the signer hashes
// (empty when it hashes none), its canonical request, its string to sign, its signing key and
// the signature our signer gave it. Per request the floor does what the signer does once its
// signing key is cached, through the same CCrypto functions (compiled in from
// Sources/CCrypto/shim.c): SHA-256 of the body, SHA-256 of the canonical request, and
// HMAC-SHA256 of the string to sign resumed from the key's prepared pad states. Nothing else: no
// canonicalisation, no hex, no allocation.
//
// It is its own program, built by Benchmarks/sigv4_peers.py with fixed flags, because inside
// sigv4-bench the same floor code ran 5-25 % faster or slower from one build to the next as
// unrelated Swift changes moved it (Benchmarks/README.md). Here its layout depends only on this
// file, shim.c, the compiler and the flags.
//
// Before timing, one pass checks every request: SHA-256 of the canonical request must be the
// string to sign's last line, SHA-256 of the body the canonical request's last line, and the
// HMAC the signature. So the floor provably does the crypto of those very signatures.
// Then one warm-up pass and N timed passes, each timed by the thread's CPU clock and by the
// monotonic clock, as sigv4-bench times the signer. Prints one JSON line.

#define _POSIX_C_SOURCE 200809L
#include "CCrypto.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char magic[] = "sigv4-floor 1\n";

struct floor_request {
    uint8_t *body;  // NULL when the signer hashes no body
    size_t body_len;
    uint8_t *canonical;
    size_t canonical_len;
    uint8_t *string_to_sign;
    size_t string_to_sign_len;
    uint32_t key_state[16];
};

static void fail(int status, const char *what, const char *detail) {
    fprintf(stderr, "sigv4-floor: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(status);
}

static uint32_t read_u32(FILE *in, const char *path) {
    uint8_t b[4];
    if (fread(b, 1, 4, in) != 4) fail(65, "truncated input (rerun sigv4-bench --dump-floor)", path);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint8_t *read_field(FILE *in, const char *path, size_t *len) {
    *len = read_u32(in, path);
    uint8_t *bytes = malloc(*len ? *len : 1);
    if (!bytes) fail(71, "out of memory", NULL);
    if (fread(bytes, 1, *len, in) != *len) fail(65, "truncated input (rerun sigv4-bench --dump-floor)", path);
    return bytes;
}

static void hex(const uint8_t digest[32], char out[65]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[64] = 0;
}

// 1 when the text's last line is the 64 hex digits of `digest`.
static int ends_with_hex(const uint8_t *text, size_t len, const uint8_t digest[32]) {
    char h[65];
    hex(digest, h);
    return len >= 65 && text[len - 65] == '\n' && memcmp(text + len - 64, h, 64) == 0;
}

static void check(const struct floor_request *r, size_t index, const uint8_t key[32], const char expected[64]) {
    uint8_t digest[32], mac[32], plain[32];
    char h[65], where[64];
    snprintf(where, sizeof where, "request %zu", index);
    if (r->body) {
        if (!cutover_sha256(r->body, r->body_len, digest)) fail(70, "SHA-256 failed", where);
        if (!ends_with_hex(r->canonical, r->canonical_len, digest))
            fail(70, "the body's SHA-256 is not the canonical request's last line", where);
    }
    if (!cutover_sha256(r->canonical, r->canonical_len, digest)) fail(70, "SHA-256 failed", where);
    if (!ends_with_hex(r->string_to_sign, r->string_to_sign_len, digest))
        fail(70, "the canonical request's SHA-256 is not the string to sign's last line", where);
    if (!cutover_hmac_sha256_prepared(r->key_state, r->string_to_sign, r->string_to_sign_len, mac))
        fail(70, "HMAC failed", where);
    if (!cutover_hmac_sha256(key, 32, r->string_to_sign, r->string_to_sign_len, plain) || memcmp(mac, plain, 32))
        fail(70, "the prepared HMAC differs from the plain one", where);
    hex(mac, h);
    if (memcmp(h, expected, 64)) fail(70, "the HMAC is not the signature sigv4-bench's signer gave", where);
}

static struct floor_request *load(const char *path, size_t *count, size_t *hashed_bodies) {
    FILE *in = fopen(path, "rb");
    if (!in) fail(66, strerror(errno), path);
    char head[sizeof magic - 1];
    if (fread(head, 1, sizeof head, in) != sizeof head || memcmp(head, magic, sizeof head))
        fail(65, "not a sigv4-bench --dump-floor file", path);
    *count = read_u32(in, path);
    if (*count == 0) fail(65, "the file holds no requests", path);
    struct floor_request *requests = calloc(*count, sizeof *requests);
    if (!requests) fail(71, "out of memory", NULL);
    *hashed_bodies = 0;
    for (size_t i = 0; i < *count; i++) {
        struct floor_request *r = &requests[i];
        size_t key_len, signature_len;
        r->body = read_field(in, path, &r->body_len);
        if (r->body_len == 0) {
            free(r->body);
            r->body = NULL;
        } else {
            ++*hashed_bodies;
        }
        r->canonical = read_field(in, path, &r->canonical_len);
        r->string_to_sign = read_field(in, path, &r->string_to_sign_len);
        uint8_t *key = read_field(in, path, &key_len);
        uint8_t *signature = read_field(in, path, &signature_len);
        if (key_len != 32 || signature_len != 64) fail(65, "a signing key is 32 bytes, a signature 64 hex digits", path);
        // As the signer's key cache does, once per key (here once per request: outside the timing).
        if (!cutover_hmac_sha256_prepare(key, 32, r->key_state)) fail(70, "HMAC key preparation failed", NULL);
        check(r, i, key, (const char *)signature);
        free(key);
        free(signature);
    }
    fclose(in);
    return requests;
}

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct pass_time {
    double wall, cpu;
};

// One pass over every request: the floor's work and nothing else, plus a checksum that keeps the
// digests observable.
static struct pass_time floor_pass(const struct floor_request *requests, size_t count, uint8_t *checksum) {
    uint8_t body_digest[32] = {0}, digest[32], mac[32];
    double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < count; i++) {
        const struct floor_request *r = &requests[i];
        if (r->body) cutover_sha256(r->body, r->body_len, body_digest);
        cutover_sha256(r->canonical, r->canonical_len, digest);
        cutover_hmac_sha256_prepared(r->key_state, r->string_to_sign, r->string_to_sign_len, mac);
        *checksum ^= body_digest[0] ^ digest[0] ^ mac[0];
    }
    return (struct pass_time){seconds(CLOCK_MONOTONIC) - wall, seconds(CLOCK_THREAD_CPUTIME_ID) - cpu};
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *values, int n) {
    double sorted[n];
    memcpy(sorted, values, sizeof sorted);
    qsort(sorted, n, sizeof *sorted, by_value);
    return sorted[n / 2];
}

static void print_rates(const char *name, const double *values, int n) {
    printf("\"%s\": [", name);
    for (int i = 0; i < n; i++) printf("%s%.0f", i ? ", " : "", values[i]);
    printf("], ");
}

int main(int argc, char **argv) {
    const char *path = NULL;
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fail(64, "usage: sigv4-floor INPUTS [--runs N] (INPUTS from sigv4-bench --dump-floor)", NULL);
        }
    }
    if (!path) fail(64, "usage: sigv4-floor INPUTS [--runs N] (INPUTS from sigv4-bench --dump-floor)", NULL);
    if (runs < 1 || runs > 1000) fail(64, "--runs takes a number from 1 to 1000", NULL);

    size_t count, hashed_bodies;
    struct floor_request *requests = load(path, &count, &hashed_bodies);
    uint8_t checksum = 0;
    floor_pass(requests, count, &checksum);  // warm-up

    double wall_rates[runs], cpu_rates[runs];
    for (int run = 0; run < runs; run++) {
        struct pass_time t = floor_pass(requests, count, &checksum);
        wall_rates[run] = (double)count / t.wall;
        cpu_rates[run] = (double)count / t.cpu;
    }
    printf("{\"requests\": %zu, \"runs\": %d, \"hashed_bodies\": %zu, ", count, runs, hashed_bodies);
    print_rates("floor_per_second_runs", wall_rates, runs);
    print_rates("floor_per_cpu_second_runs", cpu_rates, runs);
    printf("\"nanoseconds_per_request_cpu\": %.1f, \"checksum\": %u}\n", 1e9 / median(cpu_rates, runs), checksum);
    return 0;
}
