/* ctx.c - library context and version.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <sodium.h>

#include "internal/internal.h"

nansen_ctx *nansen_ctx_create(unsigned int flags)
{
    unsigned char seed[32];
    nansen_ctx *ctx;

    if (flags != NANSEN_CTX_DEFAULT)
        return NULL;
    if (sodium_init() < 0 || (ctx = calloc(1, sizeof *ctx)) == NULL)
        return NULL;
    ctx->flags = flags;
    ctx->secp = secp256k1_context_create(SECP256K1_CONTEXT_SIGN |
                                         SECP256K1_CONTEXT_VERIFY);
    randombytes_buf(seed, sizeof seed);
    /* Blinding makes the signing code's timing independent of the secret
     * even against an attacker who can measure it. */
    if (ctx->secp == NULL || !secp256k1_context_randomize(ctx->secp, seed)) {
        nansen_ctx_destroy(ctx);
        ctx = NULL;
    }
    sodium_memzero(seed, sizeof seed);
    return ctx;
}

void nansen_ctx_destroy(nansen_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->secp != NULL)
        secp256k1_context_destroy(ctx->secp);
    sodium_memzero(ctx, sizeof *ctx);
    free(ctx);
}

const char *nansen_version_string(void)
{
    return NANSEN_VERSION_STRING;
}

unsigned int nansen_version_number(void)
{
    return NANSEN_VERSION_NUMBER;
}
