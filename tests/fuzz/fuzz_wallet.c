/* fuzz_wallet.c - wallet files and wallet contents on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Each input is read three ways. Nothing may crash, leak or read out of
 * bounds, and:
 *  1. as a wallet file (nansen_wallet_header_decode): a header accepted
 *     says a sealed length that is exactly the rest of the file;
 *  2. as a wallet file whose checksum is then made right (the fuzzer
 *     cannot compute BLAKE2b), so that the checks after it are reached;
 *     when the header is accepted and its cost is small, it is opened
 *     with the seeds' passphrase: it opens (a seed) or is refused, and a
 *     failed open leaves no wallet;
 *  3. as the contents inside the seal (nansen__wallet_from_contents, the
 *     decoder no fuzzer could reach through the seal): contents accepted
 *     are in their one encoding (encoding the wallet gives the input
 *     back), and a wallet made of them seals and opens again to the same
 *     contents.
 *
 * The seeds (tests/fuzz/corpus/fuzz_wallet/) are wallet files sealed with
 * passphrase PASS at the least cost (empty, and holding a key, a referral,
 * a grant and its withdrawal), and the contents of the full one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen.h"
#include "internal/wallet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PASS "fuzz passphrase"

static nansen_ctx *ctx;

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_wallet: %s\n", why);
    abort();
}

static void as_file(const uint8_t *data, size_t size)
{
    nansen_wallet_header h;
    nansen_wallet *w = (nansen_wallet *)1;
    nansen_err err;
    uint8_t *copy;

    if (nansen_wallet_header_decode(&h, data, size) == NANSEN_OK &&
        h.sealed_len != size - NANSEN_WALLET_HEADER_BYTES - 32)
        fail("a header that says another length");
    if (size < NANSEN_WALLET_MIN_BYTES || size > NANSEN_WALLET_MAX_BYTES)
        return;
    if ((copy = malloc(size)) == NULL)
        return;
    memcpy(copy, data, size);
    crypto_generichash(copy + size - 32, 32, copy, size - 32, NULL, 0);
    if (nansen_wallet_header_decode(&h, copy, size) == NANSEN_OK &&
        h.kdf.memlimit <= 65536 && h.kdf.opslimit <= 2) {
        err = nansen_wallet_open_bytes(ctx, &w, copy, size, PASS,
                                       sizeof PASS - 1);
        if (err != NANSEN_OK && w != NULL)
            fail("a failed open left a wallet");
        nansen_wallet_free(w);
    }
    free(copy);
}

static void as_contents(const uint8_t *data, size_t size)
{
    static const nansen_wallet_kdf least = {1, 8192};
    nansen_wallet *w = NULL, *back = NULL;
    uint8_t *enc = NULL, *enc2 = NULL, *sealed = NULL;
    size_t enc_len = 0, enc2_len = 0, sealed_len = 0;

    if (nansen__wallet_from_contents(ctx, &w, data, size) != NANSEN_OK) {
        if (w != NULL)
            fail("failed contents left a wallet");
        return;
    }
    if (nansen__wallet_contents(w, &enc, &enc_len) != NANSEN_OK)
        fail("accepted contents do not encode");
    if (enc_len != size || memcmp(enc, data, size) != 0)
        fail("accepted contents are not in their one encoding");
    if (nansen_wallet_set_passphrase(w, PASS, sizeof PASS - 1, &least) !=
            NANSEN_OK ||
        nansen_wallet_seal(NULL, &sealed_len, w) != NANSEN_OK ||
        (sealed = malloc(sealed_len)) == NULL ||
        nansen_wallet_seal(sealed, &sealed_len, w) != NANSEN_OK)
        fail("accepted contents do not seal");
    if (nansen_wallet_open_bytes(ctx, &back, sealed, sealed_len, PASS,
                                 sizeof PASS - 1) != NANSEN_OK)
        fail("a sealed wallet does not open");
    if (nansen__wallet_contents(back, &enc2, &enc2_len) != NANSEN_OK ||
        enc2_len != enc_len || memcmp(enc, enc2, enc_len) != 0)
        fail("a wallet sealed and opened holds other contents");
    sodium_free(enc);
    sodium_free(enc2);
    free(sealed);
    nansen_wallet_free(back);
    nansen_wallet_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL && (ctx = nansen_ctx_create(0)) == NULL)
        abort();
    as_file(data, size);
    as_contents(data, size);
    return 0;
}
