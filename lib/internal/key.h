/* key.h - the layout of nansen_key (internal; other modules use the
 * public accessors in nansen/key.h).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_KEY_H
#define NANSEN_INTERNAL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <secp256k1.h>

#include "nansen/key.h"

/* A key with a secret lives in sodium_malloc memory (guard pages, mlock,
 * wiped by sodium_free) and is made read-only once filled in. A key
 * without one holds nothing secret: it lives in ordinary memory, so that
 * verifying (which makes a key from every grant's cnf) pays no guard-page
 * mapping. Keys are immutable and shared between threads for reading. */
struct nansen_key {
    int guarded;                              /* 1: from sodium_malloc */
    nansen_key_type type;
    int has_secret;                           /* 0: verification only */
    size_t pub_len;                           /* 32 or 33 */
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];  /* Ed25519 or compressed SEC1 */
    uint8_t secret[NANSEN_SECRET_BYTES];      /* seed or scalar; 0 if none */
    secp256k1_pubkey secp_pk;                 /* secp256k1: parsed once */
    uint8_t ed_sk[64];                        /* libsodium Ed25519 secret
                                               * key (seed || public) */
};

/* nansen_key_from_public for a key whose only use is to verify one
 * signature right away (a grant's cnf key): an Ed25519 key is not checked
 * for a torsion component here. libsodium's verify still refuses
 * non-canonical, small-order and off-curve keys, so a bad key fails as a
 * bad signature; a key with a torsion component can be made only by its
 * own holder and lets no one else sign. It saves a full scalar
 * multiplication, almost the cost of one more verify, per grant. */
nansen_err nansen__key_from_public_to_verify(nansen_ctx *ctx,
                                             nansen_key **out,
                                             nansen_key_type type,
                                             const uint8_t *pub,
                                             size_t pub_len);

/* nansen_cose_key_decode building the key with the function above. */
nansen_err nansen__cose_key_decode_to_verify(nansen_ctx *ctx,
                                             nansen_key **out,
                                             const uint8_t *in,
                                             size_t in_len);

#endif /* NANSEN_INTERNAL_KEY_H */
