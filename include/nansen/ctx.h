/* nansen/ctx.h - the library context.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A context initialises libsodium and holds a randomised secp256k1 context
 * (blinding against side channels). Create one per application or thread,
 * not one per call; a context is not safe for concurrent use from several
 * threads, but distinct contexts are independent.
 */
#ifndef NANSEN_CTX_H
#define NANSEN_CTX_H

#include "nansen/common.h"
#include "nansen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nansen_ctx nansen_ctx;    /* opaque */

/** No flags are defined yet; pass 0. */
#define NANSEN_CTX_DEFAULT 0u

/** Create a library context.
 *
 *  Returns: a new context, or NULL if memory ran out, flags has unknown
 *           bits, or libsodium/libsecp256k1 could not be initialised.
 *  In:      flags: NANSEN_CTX_DEFAULT.
 *
 *  The caller owns the context and frees it with nansen_ctx_destroy().
 */
NANSEN_API nansen_ctx *nansen_ctx_create(unsigned int flags);

/** Destroy a context and wipe it. NULL is a no-op. */
NANSEN_API void nansen_ctx_destroy(nansen_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_CTX_H */
