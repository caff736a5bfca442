/* bench_status.c - a status list of 1,000,000 entries with 1% revoked at
 * random: its size next to the entropy bound, and the cost of using it.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * For lists of N = 1,000,000 entries with 1 and with 2 bits per entry, of
 * which exactly K = 10,000 distinct entries chosen uniformly at random are
 * revoked (value 1), prints
 *   - the size of the zlib-compressed "lst" (level 9, as the library
 *     writes it) and of the signed Status List Token, next to the entropy
 *     bound log2(C(N, K)) / 8 bytes: the fewest bytes any encoding could
 *     use for "which K of N" (the 2-bit list carries the same information,
 *     so its bound is the same);
 *   - lookups per second (nansen_status_list_get at random indices) and
 *     how many lookups cost as much as one raw Ed25519 verification;
 *   - verifying the token (signature, zlib inflate, decoding) against a
 *     raw Ed25519 verification of a message as long as the token: the
 *     ratio is what a clinic pays, per list update, above the signature;
 *   - signing the token (encoding, deflate, signature) against a raw
 *     Ed25519 signature of a message as long as the token.
 * Raw is libsodium's crypto_sign_detached / crypto_sign_verify_detached,
 * measured in the same run. Each time is the fastest of ROUNDS
 * interleaved measurements of at least MIN_SECONDS each.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "nansen.h"

#define N 1000000u
#define K 10000u                    /* 1% */
#define LOOKUPS 4096u               /* random indices per lookup batch */
#define MIN_SECONDS 0.3
#define ROUNDS 3
#define T0 1767225600
#define URI "https://ngo.example/status/1"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*op_fn)(void *arg);

/* Seconds per call, running at least MIN_SECONDS; negative on failure. */
static double per_call(op_fn op, void *arg)
{
    double start = now(), t;
    long n = 0;

    do {
        if (op(arg) != 0) {
            fprintf(stderr, "bench: operation failed\n");
            return -1;
        }
        n++;
        t = now() - start;
    } while (t < MIN_SECONDS);
    return t / (double)n;
}

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo;
    nansen_status_list *issuer;     /* the NGO's working copy */
    nansen_status_list *held;       /* the clinic's verified copy */
    uint8_t *token;
    size_t token_len, token_cap;
    uint32_t idx[LOOKUPS];
    unsigned long revoked_seen;
    /* raw libsodium */
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    uint8_t sig[crypto_sign_BYTES];
} fx;

static int op_raw_sign(void *arg)
{
    fx *f = arg;

    return crypto_sign_detached(f->sig, NULL, f->token, f->token_len, f->sk);
}

static int op_raw_verify(void *arg)
{
    fx *f = arg;

    return crypto_sign_verify_detached(f->sig, f->token, f->token_len,
                                       f->pk);
}

static int op_sign(void *arg)
{
    fx *f = arg;
    nansen_status_sign_params p = {T0, T0 + 86400, 3600};
    size_t n = f->token_cap;

    return nansen_status_list_sign(f->ctx, f->token, &n, f->issuer, f->ngo,
                                   &p) == NANSEN_OK && n == f->token_len
               ? 0
               : -1;
}

static int op_verify(void *arg)
{
    fx *f = arg;
    nansen_status_list *l = NULL;

    if (nansen_status_list_verify(f->ctx, &l, f->ngo, f->token,
                                  f->token_len) != NANSEN_OK)
        return -1;
    nansen_status_list_free(l);
    return 0;
}

/* LOOKUPS lookups at random indices. */
static int op_lookups(void *arg)
{
    fx *f = arg;
    uint8_t v;
    size_t i;

    for (i = 0; i < LOOKUPS; i++) {
        if (nansen_status_list_get(f->held, f->idx[i], &v) != NANSEN_OK)
            return -1;
        f->revoked_seen += v;
    }
    return 0;
}

/* log2 of the binomial coefficient C(n, k), in bits. */
static double log2_binomial(double n, double k)
{
    return (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) / log(2.0);
}

/* The length of "lst" in a StatusList map of map_len bytes: the map is
 * {"lst": bstr, "bits": uint < 24} in deterministic CBOR, 11 bytes besides
 * the byte string and its head. 0 if no head length fits. */
static size_t lst_length(size_t map_len)
{
    static const struct {
        size_t head, min, max;
    } heads[] = {{1, 0, 23}, {2, 24, 255}, {3, 256, 65535},
                 {5, 65536, 0xffffffffu}};
    size_t i;

    for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        size_t lst;

        if (map_len < 11 + heads[i].head)
            return 0;
        lst = map_len - 11 - heads[i].head;
        if (lst >= heads[i].min && lst <= heads[i].max)
            return lst;
    }
    return 0;
}

/* One list of N entries with `bits` bits, K revoked at random. */
static int run(fx *f, unsigned int bits)
{
    double bound = log2_binomial(N, K) / 8, t[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
    nansen_status_list_info info;
    uint8_t *map;
    size_t map_len = 0, i, lst_len;
    uint32_t revoked = 0;
    int r;

    if (nansen_status_list_create(f->ctx, &f->issuer, URI, bits, N) !=
        NANSEN_OK)
        return -1;
    while (revoked < K) {
        uint32_t at = randombytes_uniform(N);
        uint8_t v;

        if (nansen_status_list_get(f->issuer, at, &v) != NANSEN_OK)
            return -1;
        if (v == 0) {
            if (nansen_status_list_set(f->issuer, at, 1) != NANSEN_OK)
                return -1;
            revoked++;
        }
    }
    if (nansen_status_list_encode(NULL, &map_len, f->issuer) != NANSEN_OK ||
        (map = malloc(map_len)) == NULL ||
        nansen_status_list_encode(map, &map_len, f->issuer) != NANSEN_OK)
        return -1;
    free(map);
    if (nansen_status_list_get_info(f->issuer, &info) != NANSEN_OK ||
        (lst_len = lst_length(map_len)) == 0)
        return -1;

    f->token_cap = nansen_status_token_max_bytes();
    if ((f->token = malloc(f->token_cap)) == NULL)
        return -1;
    f->token_len = f->token_cap;
    {
        nansen_status_sign_params p = {T0, T0 + 86400, 3600};

        if (nansen_status_list_sign(f->ctx, f->token, &f->token_len,
                                    f->issuer, f->ngo, &p) != NANSEN_OK)
            return -1;
    }
    if (nansen_status_list_verify(f->ctx, &f->held, f->ngo, f->token,
                                  f->token_len) != NANSEN_OK)
        return -1;
    for (i = 0; i < LOOKUPS; i++)
        f->idx[i] = randombytes_uniform(N);
    if (crypto_sign_detached(f->sig, NULL, f->token, f->token_len, f->sk) !=
        0)
        return -1;

    for (r = 0; r < ROUNDS; r++) {
        double x[5];

        x[0] = per_call(op_raw_sign, f);
        x[1] = per_call(op_raw_verify, f);
        x[2] = per_call(op_sign, f);
        x[3] = per_call(op_verify, f);
        x[4] = per_call(op_lookups, f) / LOOKUPS;
        for (i = 0; i < 5; i++) {
            if (x[i] < 0)
                return -1;
            if (x[i] < t[i])
                t[i] = x[i];
        }
    }

    printf("%u entries of %u bit%s, %u revoked at random (%.1f%%)\n", N,
           bits, bits == 1 ? "" : "s", K, 100.0 * K / N);
    printf("  uncompressed            %8zu bytes\n", info.bytes);
    printf("  entropy bound           %8.0f bytes  (log2 C(N,K) / 8)\n",
           bound);
    printf("  zlib lst                %8zu bytes  %.2fx the bound\n",
           lst_len, (double)lst_len / bound);
    printf("  signed token            %8zu bytes  %.2fx the bound\n",
           f->token_len, (double)f->token_len / bound);
    printf("  lookup                  %8.0f per second  "
           "(%.0f lookups = 1 raw verify)\n", 1.0 / t[4], t[1] / t[4]);
    printf("  verify token            %8.2f ms  %.1fx raw verify of %zu "
           "bytes (%.3f ms)\n", t[3] * 1e3, t[3] / t[1], f->token_len,
           t[1] * 1e3);
    printf("  sign token              %8.2f ms  %.1fx raw sign of %zu "
           "bytes (%.3f ms)\n", t[2] * 1e3, t[2] / t[0], f->token_len,
           t[0] * 1e3);

    nansen_status_list_free(f->held);
    nansen_status_list_free(f->issuer);
    free(f->token);
    f->held = f->issuer = NULL;
    f->token = NULL;
    return 0;
}

int main(void)
{
    static const uint8_t seed[32] = {7};
    fx f;
    int rc = 0;

    memset(&f, 0, sizeof f);
    if (sodium_init() < 0 || (f.ctx = nansen_ctx_create(0)) == NULL ||
        nansen_key_from_secret(f.ctx, &f.ngo, NANSEN_KEY_ED25519, seed) !=
            NANSEN_OK ||
        crypto_sign_seed_keypair(f.pk, f.sk, seed) != 0) {
        fprintf(stderr, "bench_status: setup failed\n");
        return 1;
    }
    if (run(&f, 1) != 0 || run(&f, 2) != 0) {
        fprintf(stderr, "bench_status: failed\n");
        rc = 1;
    }
    nansen_key_free(f.ngo);
    nansen_ctx_destroy(f.ctx);
    return rc;
}
