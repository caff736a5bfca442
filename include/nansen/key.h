/* nansen/key.h - signing keys, raw signatures and key files.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Two key types:
 *   NANSEN_KEY_ED25519    Ed25519 (RFC 8032) through libsodium; COSE alg
 *                         EdDSA (-8).
 *   NANSEN_KEY_SECP256K1  secp256k1 through libsecp256k1: ECDSA over the
 *                         SHA-256 of the message, signatures as raw r||s
 *                         with low S (COSE alg ES256K, -47); and BIP340
 *                         Schnorr signatures for the same secret.
 *
 * A nansen_key is opaque. It holds a public key and, for keys that can sign,
 * the 32-byte secret, in sodium_malloc memory that is wiped when the key is
 * freed. Keys are immutable after creation and may be shared between
 * threads for reading.
 *
 * Key files are text, self-describing and checksummed; the format is in
 * spec/key-file.md.
 */
#ifndef NANSEN_KEY_H
#define NANSEN_KEY_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nansen_key_type {
    NANSEN_KEY_ED25519   = 1,
    NANSEN_KEY_SECP256K1 = 2
} nansen_key_type;

typedef struct nansen_key nansen_key;    /* opaque */

#define NANSEN_SECRET_BYTES            32  /* Ed25519 seed, secp256k1 scalar */
#define NANSEN_ED25519_PUBLIC_BYTES    32
#define NANSEN_SECP256K1_PUBLIC_BYTES  33  /* compressed SEC1 point */
#define NANSEN_SECP256K1_UNCOMPRESSED_BYTES 65
#define NANSEN_PUBLIC_KEY_MAX_BYTES    33
#define NANSEN_SIGNATURE_BYTES         64  /* Ed25519, ES256K r||s, BIP340 */
#define NANSEN_KEY_ID_BYTES            8   /* short key id, see nansen_key_id */
#define NANSEN_KEY_FILE_MAX_BYTES      512 /* a key file is never longer */

NANSEN_API size_t nansen_secret_bytes(void);
NANSEN_API size_t nansen_public_key_max_bytes(void);
NANSEN_API size_t nansen_signature_bytes(void);
NANSEN_API size_t nansen_key_id_bytes(void);
NANSEN_API size_t nansen_key_file_max_bytes(void);

/** Generate a new key from the operating system's random source.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (unknown type), or
 *           NANSEN_ERR_NOMEM.
 *  Args:    ctx:  context from nansen_ctx_create.
 *  Out:     out:  the new key; the caller frees it with nansen_key_free().
 *                 Set to NULL on failure.
 *  In:      type: NANSEN_KEY_ED25519 or NANSEN_KEY_SECP256K1.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_generate(
    nansen_ctx *ctx, nansen_key **out, nansen_key_type type)
    NANSEN_NONNULL(1, 2);

/** Make a key from a 32-byte secret: the RFC 8032 seed for Ed25519, the
 *  secret scalar (big-endian, 1 <= s < n) for secp256k1.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_BAD_KEY (scalar
 *           zero or not below the group order), or NANSEN_ERR_NOMEM.
 *  Out:     out:    the new key, freed with nansen_key_free(); NULL on
 *                   failure.
 *  In:      type:   the key type.
 *           secret: NANSEN_SECRET_BYTES bytes. Not modified; the caller
 *                   wipes its copy.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_from_secret(
    nansen_ctx *ctx, nansen_key **out, nansen_key_type type,
    const uint8_t *secret) NANSEN_NONNULL(1, 2, 4);

/** Make a verification-only key from public key bytes.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_BAD_KEY (wrong
 *           length, not a point on the curve, or an Ed25519 key of small
 *           order), or NANSEN_ERR_NOMEM.
 *  Out:     out:     the new key, freed with nansen_key_free(); NULL on
 *                    failure.
 *  In:      type:    the key type.
 *           pub:     Ed25519: 32 bytes. secp256k1: 33 bytes compressed or
 *                    65 bytes uncompressed (stored compressed).
 *           pub_len: length of pub.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_from_public(
    nansen_ctx *ctx, nansen_key **out, nansen_key_type type,
    const uint8_t *pub, size_t pub_len) NANSEN_NONNULL(1, 2, 4);

/** Free a key, wiping its secret. NULL is a no-op. */
NANSEN_API void nansen_key_free(nansen_key *key);

/** The type of a key. */
NANSEN_API nansen_key_type nansen_key_get_type(const nansen_key *key)
    NANSEN_NONNULL(1);

/** 1 if the key holds a secret and can sign, 0 if it only verifies. */
NANSEN_API int nansen_key_has_secret(const nansen_key *key) NANSEN_NONNULL(1);

/** A verification-only copy of a key (the secret is not copied).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG or NANSEN_ERR_NOMEM.
 *  Out:     out: the copy, freed with nansen_key_free(); NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_public_copy(
    nansen_ctx *ctx, nansen_key **out, const nansen_key *key)
    NANSEN_NONNULL(1, 2, 3);

/** The public key bytes: 32 bytes for Ed25519, 33 (compressed) for
 *  secp256k1.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, or
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size).
 *  Out:     out:     buffer, or NULL to ask for the size in *out_len.
 *  In/Out:  out_len: in: capacity of out; out: bytes written or needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_public(
    const nansen_key *key, uint8_t *out, size_t *out_len)
    NANSEN_NONNULL(1, 3);

/** The short key id: the first NANSEN_KEY_ID_BYTES bytes of the SHA-256
 *  of the public key bytes as nansen_key_public() gives them. Used as the
 *  COSE kid of trusted issuers and audiences.
 *
 *  Out:     out: NANSEN_KEY_ID_BYTES bytes.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_id(
    const nansen_key *key, uint8_t *out) NANSEN_NONNULL(1, 2);

/** 1 if two keys have the same type and public key, else 0. */
NANSEN_API int nansen_key_equal(const nansen_key *a, const nansen_key *b)
    NANSEN_NONNULL(1, 2);

/** Sign a message with the key's native algorithm: Ed25519 (pure EdDSA),
 *  or for secp256k1 deterministic ECDSA (RFC 6979) over SHA-256(msg) with
 *  low S, as 64 bytes r||s. This is the signature COSE carries.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NO_SECRET_KEY,
 *           NANSEN_ERR_BUFFER_TOO_SMALL, or NANSEN_ERR_INIT if the
 *           underlying library fails (never expected).
 *  Out:     sig:     NANSEN_SIGNATURE_BYTES bytes, or NULL for the size.
 *  In/Out:  sig_len: in: capacity of sig; out: bytes written or needed.
 *  In:      msg, msg_len: the message (msg may be NULL if msg_len is 0).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_sign(
    nansen_ctx *ctx, uint8_t *sig, size_t *sig_len, const nansen_key *key,
    const uint8_t *msg, size_t msg_len) NANSEN_NONNULL(1, 3, 4);

/** For nansen_key_verify: accept a secp256k1 ECDSA signature with high S
 *  (plain ECDSA semantics). Never used by COSE verification, where a second
 *  valid encoding of the same signature would let a token change its bytes
 *  (and its digest) without the signer. */
#define NANSEN_VERIFY_ALLOW_HIGH_S 1u

/** Verify a signature made by nansen_key_sign (or any conforming Ed25519
 *  or ES256K signer).
 *
 *  Returns: NANSEN_OK if the signature is valid, NANSEN_ERR_BAD_SIGNATURE
 *           if not (including wrong length, non-canonical or high-S
 *           encodings), NANSEN_ERR_INVALID_ARG for unknown flags.
 *  In:      flags: 0 or NANSEN_VERIFY_ALLOW_HIGH_S.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_verify(
    nansen_ctx *ctx, const nansen_key *key, const uint8_t *msg,
    size_t msg_len, const uint8_t *sig, size_t sig_len, unsigned int flags)
    NANSEN_NONNULL(1, 2, 5);

/** BIP340 Schnorr signature with a secp256k1 key.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_WRONG_KEY_TYPE,
 *           NANSEN_ERR_NO_SECRET_KEY, or NANSEN_ERR_INIT if the underlying
 *           library fails (never expected).
 *  Out:     sig:      NANSEN_SIGNATURE_BYTES bytes.
 *  In:      msg:      the message, any length (BIP340 signs it as is).
 *           aux_rand: 32 bytes of auxiliary randomness, or NULL to draw
 *                     fresh random bytes (the recommended use; fixed values
 *                     are for reproducing test vectors).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_schnorr_sign(
    nansen_ctx *ctx, uint8_t *sig, const nansen_key *key,
    const uint8_t *msg, size_t msg_len, const uint8_t *aux_rand)
    NANSEN_NONNULL(1, 2, 3);

/** Verify a BIP340 signature against a 32-byte x-only public key.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BAD_SIGNATURE, or NANSEN_ERR_BAD_KEY if
 *           xonly_pub is not the x coordinate of a curve point.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_schnorr_verify(
    nansen_ctx *ctx, const uint8_t *xonly_pub, const uint8_t *msg,
    size_t msg_len, const uint8_t *sig) NANSEN_NONNULL(1, 2, 5);

/** The 32-byte x-only BIP340 public key of a secp256k1 key. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_schnorr_public(
    nansen_ctx *ctx, uint8_t *xonly_pub, const nansen_key *key)
    NANSEN_NONNULL(1, 2, 3);

/** Write a key as the text of a secret key file (spec/key-file.md).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NO_SECRET_KEY,
 *           or NANSEN_ERR_BUFFER_TOO_SMALL.
 *  Out:     out:     NUL-terminated text, or NULL for the size. The text
 *                    holds the secret: the caller wipes it
 *                    (sodium_memzero) when done.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, counting
 *                    the terminating NUL.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_export(
    nansen_ctx *ctx, char *out, size_t *out_len, const nansen_key *key)
    NANSEN_NONNULL(1, 3, 4);

/** Read the text of a key file.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_MALFORMED (not a key file, missing or
 *           repeated field), NANSEN_ERR_UNSUPPORTED_VERSION,
 *           NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_BAD_ENCODING (bad hex),
 *           NANSEN_ERR_CHECKSUM (damaged), NANSEN_ERR_BAD_KEY (secret not
 *           a valid key, or the did line names another key), NOMEM.
 *  Out:     out: the key, freed with nansen_key_free(); NULL on failure.
 *  In:      text, text_len: the file contents (need not be NUL-terminated).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_import(
    nansen_ctx *ctx, nansen_key **out, const char *text, size_t text_len)
    NANSEN_NONNULL(1, 2, 3);

/** For nansen_key_save: replace an existing file (atomically). */
#define NANSEN_SAVE_OVERWRITE 1u

/** Save a key file with mode 0600. The file is written to a temporary
 *  file in the same directory, fsynced, then renamed into place, so a crash
 *  leaves either no file or the complete file.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_EXISTS (path exists and flags lacks
 *           NANSEN_SAVE_OVERWRITE), NANSEN_ERR_NO_SECRET_KEY,
 *           NANSEN_ERR_NOT_FOUND (no such directory),
 *           NANSEN_ERR_PERMISSION, NANSEN_ERR_IO.
 *  In:      path:  file name.
 *           flags: 0 or NANSEN_SAVE_OVERWRITE.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_save(
    nansen_ctx *ctx, const nansen_key *key, const char *path,
    unsigned int flags) NANSEN_NONNULL(1, 2, 3);

/** Load a key file written by nansen_key_save.
 *
 *  Returns: as nansen_key_import, plus NANSEN_ERR_NOT_FOUND,
 *           NANSEN_ERR_PERMISSION and NANSEN_ERR_IO.
 *  Out:     out: the key, freed with nansen_key_free(); NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_load(
    nansen_ctx *ctx, nansen_key **out, const char *path)
    NANSEN_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_KEY_H */
