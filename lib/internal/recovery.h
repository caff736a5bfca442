/* recovery.h - GF(256) arithmetic and the deterministic core of the
 * recovery split (internal; exposed for tests and vectors).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_RECOVERY_H
#define NANSEN_INTERNAL_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/recovery.h"

/* Products and inverses in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (the
 * AES field), in constant time: shift and mask, no tables. The inverse is
 * a^254, so the inverse of 0 comes out as 0. */
uint8_t nansen__gf256_mul(uint8_t a, uint8_t b);
uint8_t nansen__gf256_inv(uint8_t a);

/* nansen_recovery_split with its randomness given: split_id
 * (NANSEN_RECOVERY_ID_BYTES) and coeffs, (k-1) rows of
 * NANSEN_RECOVERY_SECRET_BYTES: row d-1 holds the coefficient of x^d for
 * each byte of the secret. The same inputs always give the same shares. */
nansen_err nansen__recovery_split_with(
    nansen_ctx *ctx, nansen_share_set **out, const uint8_t *secret,
    const uint8_t *wallet_id, unsigned int k, unsigned int n,
    int64_t created, const uint8_t *split_id, const uint8_t *coeffs);

/* The commitment a share carries: the first NANSEN_RECOVERY_ID_BYTES of
 * SHA-256("nansen-recovery-commit-v1" || wallet_id || split_id || secret). */
void nansen__recovery_commit(uint8_t out[NANSEN_RECOVERY_ID_BYTES],
                             const uint8_t *wallet_id,
                             const uint8_t *split_id, const uint8_t *secret);

/* 9999-12-31T23:59:59Z: the last time a share may carry. */
#define NANSEN__RECOVERY_TIME_MAX 253402300799LL

#endif /* NANSEN_INTERNAL_RECOVERY_H */
