/* nansen/cose.h - COSE_Sign1 (RFC 9052) and COSE_Key.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The profile (spec/cose-profile.md):
 *  - algorithms: EdDSA (-8) with Ed25519 keys, ES256K (-47) with secp256k1
 *    keys (r||s, low S). The algorithm is fixed by the key: a message whose
 *    alg is not the key's is rejected (NANSEN_ERR_ALG_MISMATCH).
 *  - alg is required and must be in the protected header. A label may not
 *    be in both header buckets.
 *  - headers understood: alg (1), crit (2), content type (3), kid (4),
 *    typ (16). crit may only list labels the verifier understands: these
 *    and the ones the caller names in nansen_cose_verify_opts.
 *  - the protected header and the whole message must be deterministic CBOR
 *    (nansen/cbor.h); the unprotected header may hold any labels.
 *  - the Sig_structure is ["Signature1", protected, external_aad, payload];
 *    detached payloads (nil) are not supported.
 *  - messages with and without tag 18 are accepted.
 *
 * The decoded view (nansen_cose_sign1) borrows the message: its pointers
 * are valid as long as the caller keeps the message buffer.
 */
#ifndef NANSEN_COSE_H
#define NANSEN_COSE_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NANSEN_COSE_ALG_EDDSA   (-8)
#define NANSEN_COSE_ALG_ES256K  (-47)

#define NANSEN_COSE_TAG_SIGN1   18

#define NANSEN_COSE_HDR_ALG           1
#define NANSEN_COSE_HDR_CRIT          2
#define NANSEN_COSE_HDR_CONTENT_TYPE  3
#define NANSEN_COSE_HDR_KID           4
#define NANSEN_COSE_HDR_TYP           16

/** Bytes a COSE_Sign1 adds around its payload and extra headers, at most:
 *  tag, array, protected header with alg/kid(<=64)/typ(<=64)/content
 *  type(<=64), signature. */
#define NANSEN_COSE_SIGN1_OVERHEAD_MAX 320

/** Longest kid accepted in a header. */
#define NANSEN_COSE_KID_MAX_BYTES 64
/** Most extra header parameters in one bucket. */
#define NANSEN_COSE_EXTRA_HEADERS_MAX 16

/** A header value that is either an unsigned integer or a text string
 *  (typ, content type). */
typedef struct nansen_cose_uint_or_text {
    int present;          /* 0: absent */
    const char *text;     /* text string when not NULL (not NUL-terminated
                             in decoded views: use text_len) */
    size_t text_len;
    uint64_t uint;        /* the number when text is NULL */
} nansen_cose_uint_or_text;

/** One extra header parameter: an integer label and its value as one
 *  encoded CBOR data item (deterministic). */
typedef struct nansen_cose_header {
    int64_t label;
    const uint8_t *value;
    size_t value_len;
} nansen_cose_header;

/** What to put in the headers when signing. All fields are optional:
 *  zero-initialise and set what is needed. */
typedef struct nansen_cose_sign1_params {
    const uint8_t *kid;                  /* kid, NULL for none */
    size_t kid_len;
    int kid_unprotected;                 /* 1: kid in the unprotected map
                                            (not signed; RFC 9052 examples
                                            do this) */
    nansen_cose_uint_or_text typ;        /* protected typ (16) */
    nansen_cose_uint_or_text content_type; /* protected content type (3) */
    const nansen_cose_header *protected_extra;   /* more protected labels */
    size_t protected_extra_count;
    const nansen_cose_header *unprotected_extra; /* unprotected labels */
    size_t unprotected_extra_count;
    int untagged;                        /* 1: omit tag 18 */
} nansen_cose_sign1_params;

/** A parsed COSE_Sign1. Every pointer points into the message. */
typedef struct nansen_cose_sign1 {
    int tagged;                          /* had tag 18 */
    int64_t alg;                         /* protected alg */
    const uint8_t *kid;                  /* NULL if none */
    size_t kid_len;
    int kid_protected;                   /* kid came from the protected map */
    nansen_cose_uint_or_text typ;
    nansen_cose_uint_or_text content_type;
    const uint8_t *protected_map;        /* the encoded protected map (the
                                            content of the bstr) */
    size_t protected_map_len;
    const uint8_t *unprotected_map;      /* the encoded unprotected map */
    size_t unprotected_map_len;
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *signature;
    size_t signature_len;
} nansen_cose_sign1;

/** Options for verification; pass NULL for the defaults. */
typedef struct nansen_cose_verify_opts {
    const int64_t *known_crit;   /* labels the caller understands, so that */
    size_t known_crit_count;     /* crit may list them */
    unsigned int flags;          /* NANSEN_COSE_REQUIRE_* */
} nansen_cose_verify_opts;

#define NANSEN_COSE_REQUIRE_TAG  1u  /* reject messages without tag 18 */
/** Accept messages whose CBOR is well-formed but not deterministic (map
 *  keys in any order, long-form heads): for showing foreign messages, such
 *  as EU DCC certificates. Nansen's own tokens never need it: without it a
 *  message has exactly one encoding, so its bytes (and digest) cannot be
 *  changed without the signer. */
#define NANSEN_COSE_LENIENT_CBOR 2u

/** Sign a payload as a COSE_Sign1 message.
 *
 *  The alg header is the key's (EdDSA or ES256K).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the
 *           size needed), NANSEN_ERR_INVALID_ARG (bad params: kid too
 *           long, extra label reserved or duplicated, extra value not one
 *           deterministic CBOR item), NANSEN_ERR_NO_SECRET_KEY,
 *           NANSEN_ERR_NOMEM.
 *  Args:    ctx:      context from nansen_ctx_create.
 *  Out:     out:      buffer for the message, or NULL to ask for the size.
 *  In/Out:  out_len:  in: capacity of out; out: bytes written or needed.
 *  In:      key:      signing key (with secret).
 *           params:   headers, or NULL for alg only and tag 18.
 *           payload, payload_len: the payload bytes (NULL if len 0).
 *           aad, aad_len: external additional data, NULL/0 for none.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_sign1_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len, const nansen_key *key,
    const nansen_cose_sign1_params *params, const uint8_t *payload,
    size_t payload_len, const uint8_t *aad, size_t aad_len)
    NANSEN_NONNULL(1, 3, 4);

/** Parse a COSE_Sign1 without verifying it, e.g. to find its kid or to
 *  show it. Nothing in the result is trustworthy.
 *
 *  Returns: NANSEN_OK; the CBOR errors of nansen_cbor_check;
 *           NANSEN_ERR_WRONG_TYPE (another tag, or not a 4-element array);
 *           NANSEN_ERR_MALFORMED (elements of the wrong type, detached
 *           payload); NANSEN_ERR_BAD_HEADER (alg missing or not in the
 *           protected map, a label in both maps, a known label with a
 *           value of the wrong type); NANSEN_ERR_UNKNOWN_CRITICAL (a crit
 *           label other than the known ones).
 *  Out:     out: the view into msg.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_sign1_parse(
    nansen_cose_sign1 *out, const uint8_t *msg, size_t msg_len,
    const nansen_cose_verify_opts *opts) NANSEN_NONNULL(1);

/** Verify a COSE_Sign1 against a key.
 *
 *  Returns: NANSEN_OK only if the message parses, its alg is the key's,
 *           a kid (if any) of NANSEN_KEY_ID_BYTES bytes equals the key's
 *           id, and the signature verifies over the Sig_structure with aad.
 *           Otherwise: the errors of nansen_cose_sign1_parse,
 *           NANSEN_ERR_UNSUPPORTED_ALG (an alg this library does not
 *           implement), NANSEN_ERR_ALG_MISMATCH, NANSEN_ERR_KEY_MISMATCH,
 *           NANSEN_ERR_BAD_SIGNATURE, NANSEN_ERR_NOMEM.
 *  Out:     out: the view into msg when NANSEN_OK (may be NULL); zeroed on
 *                failure.
 *  In:      key: the expected signer's key (public is enough).
 *           msg, msg_len: the message. aad, aad_len: as when signed.
 *           opts: NULL or options.
 *
 *  A kid of another length than NANSEN_KEY_ID_BYTES is not compared: it
 *  is the caller's name for the key, and the caller chose the key.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_sign1_verify(
    nansen_ctx *ctx, nansen_cose_sign1 *out, const nansen_key *key,
    const uint8_t *msg, size_t msg_len, const uint8_t *aad, size_t aad_len,
    const nansen_cose_verify_opts *opts) NANSEN_NONNULL(1, 3);

/** Find a header parameter in a parsed message.
 *
 *  Returns: NANSEN_OK and the encoded value, or NANSEN_ERR_NOT_FOUND.
 *  Out:     value, value_len: the encoded CBOR item (points into the msg).
 *           is_protected: 1 if found in the protected map (may be NULL).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_sign1_header(
    const nansen_cose_sign1 *msg, int64_t label, const uint8_t **value,
    size_t *value_len, int *is_protected) NANSEN_NONNULL(1, 3, 4);

/** The COSE alg a key signs with: NANSEN_COSE_ALG_EDDSA or
 *  NANSEN_COSE_ALG_ES256K. */
NANSEN_API int64_t nansen_cose_alg_of_key(const nansen_key *key)
    NANSEN_NONNULL(1);

/** COSE_Key flags. */
#define NANSEN_COSE_KEY_WITH_KID  1u  /* add kid (2): the short key id */
#define NANSEN_COSE_KEY_WITH_ALG  2u  /* add alg (3) */
#define NANSEN_COSE_KEY_UNCOMPRESSED 4u /* secp256k1: y as bytes, not bool */

/** Longest COSE_Key this library writes. */
#define NANSEN_COSE_KEY_MAX_BYTES 128

/** Encode the public part of a key as a COSE_Key (RFC 9053):
 *    Ed25519:   {1: 1 (OKP), -1: 6 (Ed25519), -2: x}
 *    secp256k1: {1: 2 (EC2), -1: 8 (secp256k1), -2: x, -3: y sign bit as
 *               a bool, or y as bytes with NANSEN_COSE_KEY_UNCOMPRESSED}
 *  in deterministic CBOR. The secret is never encoded.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_BUFFER_TOO_SMALL.
 *  Out:     out: buffer or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_key_encode(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len, const nansen_key *key,
    unsigned int flags) NANSEN_NONNULL(1, 3, 4);

/** Decode a COSE_Key into a verification-only key.
 *
 *  Accepts the forms nansen_cose_key_encode writes and any other valid
 *  encoding of them (map keys in any order, y as bytes or bool, kid and
 *  alg present or not, any extra labels ignored). A d (-4) parameter is
 *  refused: secrets never travel as COSE_Key.
 *
 *  Returns: NANSEN_OK; CBOR errors; NANSEN_ERR_MALFORMED (kty/crv/x
 *           missing or of the wrong type, d present);
 *           NANSEN_ERR_UNSUPPORTED_ALG (another kty or crv, e.g. Ed448,
 *           P-256); NANSEN_ERR_ALG_MISMATCH (alg present and not the
 *           curve's); NANSEN_ERR_BAD_KEY (not a point); NANSEN_ERR_NOMEM.
 *  Out:     out: the key, freed with nansen_key_free(); NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cose_key_decode(
    nansen_ctx *ctx, nansen_key **out, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_COSE_H */
