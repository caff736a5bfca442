/* key.h - the layout of nansen_key (internal; other modules use the
 * public accessors in nansen/key.h).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_KEY_H
#define NANSEN_INTERNAL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/key.h"

/* The whole struct lives in sodium_malloc memory (guard pages, mlock, wiped
 * by sodium_free) and is made read-only once filled in: keys are immutable
 * and shared between threads for reading. */
struct nansen_key {
    nansen_key_type type;
    int has_secret;                           /* 0: verification only */
    size_t pub_len;                           /* 32 or 33 */
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];  /* Ed25519 or compressed SEC1 */
    uint8_t secret[NANSEN_SECRET_BYTES];      /* seed or scalar; 0 if none */
    uint8_t ed_sk[64];                        /* libsodium Ed25519 secret
                                               * key (seed || public) */
};

#endif /* NANSEN_INTERNAL_KEY_H */
