/* internal/wallet.h - the wallet's contents without the seal, for the
 * fuzz target (tests/fuzz/fuzz_wallet.c): the contents decoder sits behind
 * an authenticated seal that no fuzzer can forge.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_WALLET_H
#define NANSEN_INTERNAL_WALLET_H

#include "nansen/wallet.h"

/* A wallet (random id and data key, no passphrase) holding the decoded
 * contents (spec/wallet.md, "Contents"). Errors as nansen_wallet_open_bytes
 * gives for contents that authenticate but do not decode. */
nansen_err nansen__wallet_from_contents(nansen_ctx *ctx, nansen_wallet **out,
                                        const uint8_t *in, size_t in_len);

/* The wallet's contents, encoded, in a sodium_malloc buffer (*out, to
 * sodium_free). */
nansen_err nansen__wallet_contents(const nansen_wallet *w, uint8_t **out,
                                   size_t *out_len);

#endif /* NANSEN_INTERNAL_WALLET_H */
