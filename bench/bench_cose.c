/* bench_cose.c - the cost of COSE_Sign1 against raw libsodium Ed25519.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Prints, for a referral-sized payload, the time of each operation as a
 * ratio to raw crypto_sign_detached / crypto_sign_verify_detached measured
 * in the same run on the same machine. Ratios, not seconds, are the claim:
 * they say what the encoding, the header checks and the deterministic-CBOR
 * check cost on top of the signature itself.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "nansen.h"

#define PAYLOAD_BYTES 300
#define MIN_SECONDS 0.5

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*op_fn)(void *arg);

/* Seconds per call, running at least MIN_SECONDS. */
static double per_call(op_fn op, void *arg)
{
    double start = now(), t;
    long n = 0, batch = 64, i;

    do {
        for (i = 0; i < batch; i++)
            if (op(arg) != 0) {
                fprintf(stderr, "bench: operation failed\n");
                return -1;
            }
        n += batch;
        t = now() - start;
    } while (t < MIN_SECONDS);
    return t / (double)n;
}

typedef struct state {
    nansen_ctx *ctx;
    nansen_key *ed, *secp;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    uint8_t payload[PAYLOAD_BYTES];
    uint8_t sig[crypto_sign_BYTES];
    uint8_t msg_ed[PAYLOAD_BYTES + NANSEN_COSE_SIGN1_OVERHEAD_MAX];
    size_t msg_ed_len;
    uint8_t msg_secp[PAYLOAD_BYTES + NANSEN_COSE_SIGN1_OVERHEAD_MAX];
    size_t msg_secp_len;
} state;

static int raw_sign(void *a)
{
    state *s = a;

    return crypto_sign_detached(s->sig, NULL, s->payload, PAYLOAD_BYTES,
                                s->sk);
}

static int raw_verify(void *a)
{
    state *s = a;

    return crypto_sign_verify_detached(s->sig, s->payload, PAYLOAD_BYTES,
                                       s->pk);
}

static int cose_sign(state *s, const nansen_key *k, uint8_t *out,
                     size_t *len)
{
    *len = PAYLOAD_BYTES + NANSEN_COSE_SIGN1_OVERHEAD_MAX;
    return nansen_cose_sign1_sign(s->ctx, out, len, k, NULL, s->payload,
                                  PAYLOAD_BYTES, NULL, 0) != NANSEN_OK;
}

static int sign_ed(void *a)
{
    state *s = a;

    return cose_sign(s, s->ed, s->msg_ed, &s->msg_ed_len);
}

static int verify_ed(void *a)
{
    state *s = a;

    return nansen_cose_sign1_verify(s->ctx, NULL, s->ed, s->msg_ed,
                                    s->msg_ed_len, NULL, 0, NULL) != NANSEN_OK;
}

static int sign_secp(void *a)
{
    state *s = a;

    return cose_sign(s, s->secp, s->msg_secp, &s->msg_secp_len);
}

static int verify_secp(void *a)
{
    state *s = a;

    return nansen_cose_sign1_verify(s->ctx, NULL, s->secp, s->msg_secp,
                                    s->msg_secp_len, NULL, 0, NULL) !=
           NANSEN_OK;
}

static int check_only(void *a)
{
    state *s = a;

    return nansen_cbor_check(s->msg_ed, s->msg_ed_len, 0) != NANSEN_OK;
}

int main(void)
{
    static state s;
    double t_sign, t_verify;
    int status = 1;

    if ((s.ctx = nansen_ctx_create(0)) == NULL ||
        nansen_key_generate(s.ctx, &s.ed, NANSEN_KEY_ED25519) != NANSEN_OK ||
        nansen_key_generate(s.ctx, &s.secp, NANSEN_KEY_SECP256K1) !=
            NANSEN_OK)
        goto out;
    crypto_sign_keypair(s.pk, s.sk);
    randombytes_buf(s.payload, sizeof s.payload);
    if (raw_sign(&s) != 0 || sign_ed(&s) != 0 || sign_secp(&s) != 0)
        goto out;

    t_sign = per_call(raw_sign, &s);
    t_verify = per_call(raw_verify, &s);
    printf("payload %d bytes; COSE_Sign1 %zu bytes (EdDSA), %zu (ES256K)\n",
           PAYLOAD_BYTES, s.msg_ed_len, s.msg_secp_len);
    printf("ratio to raw libsodium Ed25519 of the same operation:\n");
    printf("  cose sign   EdDSA    %5.2f\n", per_call(sign_ed, &s) / t_sign);
    printf("  cose verify EdDSA    %5.2f\n",
           per_call(verify_ed, &s) / t_verify);
    printf("  cose sign   ES256K   %5.2f\n",
           per_call(sign_secp, &s) / t_sign);
    printf("  cose verify ES256K   %5.2f\n",
           per_call(verify_secp, &s) / t_verify);
    printf("  CBOR check of the message alone, to raw verify: %.4f\n",
           per_call(check_only, &s) / t_verify);
    status = 0;
out:
    sodium_memzero(s.sk, sizeof s.sk);
    nansen_key_free(s.ed);
    nansen_key_free(s.secp);
    nansen_ctx_destroy(s.ctx);
    return status;
}
