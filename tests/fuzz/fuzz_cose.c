/* fuzz_cose.c - COSE_Sign1 parse and verify, COSE_Key decode, on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak or read out of bounds; a parse that succeeds must
 * give a view inside the input; verification with fixed keys must agree
 * with parsing (never OK where parsing fails).
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nansen_ctx *ctx;
static nansen_key *ed, *secp;

static void init(void)
{
    uint8_t secret[32];

    ctx = nansen_ctx_create(0);
    if (ctx == NULL)
        abort();
    memset(secret, 7, sizeof secret);
    if (nansen_key_from_secret(ctx, &ed, NANSEN_KEY_ED25519, secret) ||
        nansen_key_from_secret(ctx, &secp, NANSEN_KEY_SECP256K1, secret))
        abort();
}

static int inside(const uint8_t *p, size_t n, const uint8_t *data,
                  size_t size)
{
    return n == 0 || (p >= data && p + n <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t known[] = {-65537};
    nansen_cose_verify_opts lenient = {known, 1, NANSEN_COSE_LENIENT_CBOR};
    nansen_cose_sign1 view;
    nansen_key *k = NULL;
    nansen_err perr, err;
    const uint8_t *v;
    size_t vl;

    if (ctx == NULL)
        init();
    perr = nansen_cose_sign1_parse(&view, data, size, NULL);
    if (perr == NANSEN_OK) {
        if (!inside(view.payload, view.payload_len, data, size) ||
            !inside(view.signature, view.signature_len, data, size) ||
            !inside(view.protected_map, view.protected_map_len, data, size) ||
            !inside(view.kid, view.kid_len, data, size))
            abort();
        (void)nansen_cose_sign1_header(&view, 4, &v, &vl, NULL);
    }
    err = nansen_cose_sign1_verify(ctx, &view, ed, data, size, NULL, 0, NULL);
    if (err == NANSEN_OK && perr != NANSEN_OK)
        abort();
    (void)nansen_cose_sign1_verify(ctx, NULL, secp, data, size, NULL, 0,
                                   &lenient);
    (void)nansen_cose_sign1_parse(&view, data, size, &lenient);
    if (nansen_cose_key_decode(ctx, &k, data, size) == NANSEN_OK) {
        uint8_t out[NANSEN_COSE_KEY_MAX_BYTES];
        size_t n = sizeof out;

        if (nansen_cose_key_encode(ctx, out, &n, k, 0) != NANSEN_OK)
            abort();
        nansen_key_free(k);
    } else if (k != NULL) {
        abort();
    }
    return 0;
}
