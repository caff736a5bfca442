/* nansen/did.h - did:key identifiers.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A did:key is "did:key:" + multibase base58btc ('z') of the multicodec
 * varint of the key type followed by the public key bytes:
 *   Ed25519:   0xed 0x01 + 32 bytes          -> did:key:z6Mk...
 *   secp256k1: 0xe7 0x01 + 33 bytes (SEC1   -> did:key:zQ3s...
 *              compressed point)
 * No registry and no network: the identifier is the key.
 */
#ifndef NANSEN_DID_H
#define NANSEN_DID_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest did:key this library writes or reads, with the NUL. */
#define NANSEN_DID_MAX_BYTES 64
NANSEN_API size_t nansen_did_max_bytes(void);

/** Encode public key bytes as a did:key.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (unknown type or wrong
 *           public key length), or NANSEN_ERR_BUFFER_TOO_SMALL.
 *  Out:     out:     NUL-terminated did:key, or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, counting
 *                    the NUL.
 *  In:      type:    the key type.
 *           pub:     32 bytes (Ed25519) or 33 bytes compressed (secp256k1).
 *
 *  Only the syntax is produced; use nansen_key_did for a checked key.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_did_key_encode(
    char *out, size_t *out_len, nansen_key_type type, const uint8_t *pub,
    size_t pub_len) NANSEN_NONNULL(2, 4);

/** Decode a did:key into its key type and public key bytes.
 *
 *  Accepts "did:key:z..." and the DID URL form "did:key:z...#z..." whose
 *  fragment repeats the identifier.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_MALFORMED (not did:key, not multibase
 *           'z', fragment differs), NANSEN_ERR_BAD_ENCODING (character
 *           outside base58btc), NANSEN_ERR_UNSUPPORTED_ALG (a multicodec
 *           other than ed25519-pub and secp256k1-pub), NANSEN_ERR_BAD_KEY
 *           (wrong key length or not a compressed point prefix),
 *           NANSEN_ERR_BUFFER_TOO_SMALL.
 *  Out:     type:    the key type.
 *           pub:     buffer for the key bytes, or NULL for the size.
 *  In/Out:  pub_len: in: capacity; out: bytes written or needed.
 *  In:      did, did_len: the text (need not be NUL-terminated).
 *
 *  Decoding checks the syntax; nansen_key_from_did also checks the point.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_did_key_decode(
    nansen_key_type *type, uint8_t *pub, size_t *pub_len, const char *did,
    size_t did_len) NANSEN_NONNULL(1, 3, 4);

/** The did:key of a key (see nansen_did_key_encode for out/out_len). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_did(
    const nansen_key *key, char *out, size_t *out_len) NANSEN_NONNULL(1, 3);

/** A verification-only key from a did:key.
 *
 *  Returns: as nansen_did_key_decode, plus the errors of
 *           nansen_key_from_public.
 *  Out:     out: the key, freed with nansen_key_free(); NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_from_did(
    nansen_ctx *ctx, nansen_key **out, const char *did, size_t did_len)
    NANSEN_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_DID_H */
