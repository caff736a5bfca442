/* fuzz_did.c - did:key decoding and key-file import on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak or read out of bounds. Both encodings are
 * canonical, so whatever is accepted must encode back to the same text:
 * a did:key to its identifier (without the fragment), a key file to
 * itself (give or take the final newline).
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nansen_ctx *ctx;

static void check_did(const char *text, size_t size)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub, out_len = NANSEN_DID_MAX_BYTES, id_len;
    char out[NANSEN_DID_MAX_BYTES];
    const char *hash;
    nansen_key_type type;
    nansen_key *k = NULL;
    nansen_err derr, kerr;

    derr = nansen_did_key_decode(&type, pub, &pub_len, text, size);
    if (derr == NANSEN_OK) {
        if (nansen_did_key_encode(out, &out_len, type, pub, pub_len) !=
            NANSEN_OK)
            abort();
        hash = memchr(text, '#', size);
        id_len = hash != NULL ? (size_t)(hash - text) : size;
        if (out_len != id_len + 1 || memcmp(out, text, id_len) != 0)
            abort();
    }
    kerr = nansen_key_from_did(ctx, &k, text, size);
    if (kerr == NANSEN_OK) {
        if (derr != NANSEN_OK || nansen_key_has_secret(k))
            abort();
        out_len = sizeof out;
        if (nansen_key_did(k, out, &out_len) != NANSEN_OK)
            abort();
        nansen_key_free(k);
    } else if (k != NULL) {
        abort();
    }
}

static void check_import(const char *text, size_t size)
{
    char out[NANSEN_KEY_FILE_MAX_BYTES];
    size_t out_len = sizeof out;
    nansen_key *k = NULL;

    if (nansen_key_import(ctx, &k, text, size) != NANSEN_OK) {
        if (k != NULL)
            abort();
        return;
    }
    if (nansen_key_export(ctx, out, &out_len, k) != NANSEN_OK)
        abort();
    /* out_len counts the NUL; the input may lack the final newline. */
    if (!(out_len - 1 == size || out_len - 2 == size) ||
        memcmp(out, text, size) != 0)
        abort();
    nansen_key_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL && (ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT)) == NULL)
        abort();
    check_did((const char *)data, size);
    check_import((const char *)data, size);
    return 0;
}
