/* nansen/recovery.h - k-of-n recovery shares of the wallet key, share
 * cards for guardians, and the key-rotation statement.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Migrants lose phones. The wallet's 32-byte data key is split with
 * Shamir's secret sharing over GF(256) into n shares, any k of which give
 * the key back and any k-1 of which say nothing about it. Each share is a
 * small deterministic-CBOR object, printed for a guardian as a card with a
 * QR code. Every share names its wallet (wallet id) and its split (a
 * random split id, fresh for each split), carries a commitment to the
 * secret so that a wrong or altered share is found when the shares are
 * combined, and a check value so that a damaged share is refused when it
 * is read.
 *
 * After recovery the migrant makes a new holder key and signs, with the
 * recovered old one, a rotation statement naming the new key, so that an
 * NGO can re-issue referrals to it (and revoke the old ones).
 *
 * spec/recovery.md is normative.
 */
#ifndef NANSEN_RECOVERY_H
#define NANSEN_RECOVERY_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The secret that is shared: the wallet's data key. */
#define NANSEN_RECOVERY_SECRET_BYTES 32
/** A wallet id and a split id. */
#define NANSEN_RECOVERY_ID_BYTES 16
/** Most shares one split makes (and so the largest threshold). */
#define NANSEN_RECOVERY_MAX_SHARES 16
/** Longest encoded share (a share is 117 bytes with a 4-byte time, and
 *  at most 121). */
#define NANSEN_SHARE_MAX_BYTES 128
/** Longest share text, framed for a QR code ("NS1:" + Base45, with the
 *  NUL). */
#define NANSEN_SHARE_TEXT_MAX_BYTES 200

NANSEN_API size_t nansen_recovery_secret_bytes(void);
NANSEN_API size_t nansen_recovery_id_bytes(void);
NANSEN_API size_t nansen_share_max_bytes(void);

/* ---- splitting and combining ---- */

typedef struct nansen_share_set nansen_share_set;   /* opaque; n shares */

/** Split a secret into n shares, any k of which recover it.
 *
 *  Draws a fresh random split id and, for each byte of the secret, k-1
 *  random polynomial coefficients (randombytes_buf, in sodium_malloc
 *  memory, wiped). Share i (0 <= i < n) has x = i + 1. The arithmetic is
 *  constant time with respect to the secret and the coefficients.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (NULL arguments, k < 2,
 *           k > n, n > NANSEN_RECOVERY_MAX_SHARES, created <= 0 or past
 *           9999-12-31T23:59:59Z), NANSEN_ERR_NOMEM.
 *  Args:    ctx:       context from nansen_ctx_create.
 *  Out:     out:       the shares, freed (and wiped) with
 *                      nansen_share_set_free; NULL on failure.
 *  In:      secret:    NANSEN_RECOVERY_SECRET_BYTES; not modified, the
 *                      caller wipes its copy.
 *           wallet_id: NANSEN_RECOVERY_ID_BYTES naming the wallet; shares
 *                      of different wallets never combine.
 *           k, n:      threshold and number of shares,
 *                      2 <= k <= n <= NANSEN_RECOVERY_MAX_SHARES.
 *           created:   the time of the split, unix seconds (> 0).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_recovery_split(
    nansen_ctx *ctx, nansen_share_set **out,
    const uint8_t secret[NANSEN_RECOVERY_SECRET_BYTES],
    const uint8_t wallet_id[NANSEN_RECOVERY_ID_BYTES], unsigned int k,
    unsigned int n, int64_t created) NANSEN_NONNULL(1, 2, 3, 4);

/** The number of shares in a set (n; 0 for NULL). */
NANSEN_API size_t nansen_share_set_count(const nansen_share_set *set);

/** The i-th encoded share (0 <= i < count; its x is i + 1).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (NULL, i out of range; then
 *           *share is NULL and *share_len 0).
 *  Out:     share, share_len: the share's bytes, owned by the set and
 *           valid until nansen_share_set_free. A share is sensitive: k of
 *           them give the secret. The caller wipes any copy it makes.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_share_set_get(
    const nansen_share_set *set, size_t i, const uint8_t **share,
    size_t *share_len) NANSEN_NONNULL(1, 3, 4);

/** Wipe and free a set. NULL is a no-op. */
NANSEN_API void nansen_share_set_free(nansen_share_set *set);

/** The public parts of a share. */
typedef struct nansen_share_info {
    uint8_t wallet_id[NANSEN_RECOVERY_ID_BYTES];
    uint8_t split_id[NANSEN_RECOVERY_ID_BYTES];
    unsigned int k, n, x;
    int64_t created;
} nansen_share_info;

/** Read a share's public parts, checking it strictly: the magic and the
 *  version, the check value (any damage), deterministic CBOR, the exact
 *  structure and the ranges of k, n, x and the time. The share's y and
 *  commitment are not given out.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_CBOR_TOO_LARGE (longer than
 *           NANSEN_SHARE_MAX_BYTES); NANSEN_ERR_WRONG_TYPE (not a share: no
 *           share magic); NANSEN_ERR_TRUNCATED (the input ends before the
 *           version); NANSEN_ERR_UNSUPPORTED_VERSION (another version);
 *           NANSEN_ERR_CHECKSUM (the check value does not match: damaged or
 *           truncated); the CBOR errors of nansen_cbor_check (a share that
 *           is not deterministic CBOR); NANSEN_ERR_MALFORMED (another
 *           structure: item count, types, lengths); NANSEN_ERR_OUT_OF_RANGE
 *           (k, n, x or the time out of range); NANSEN_ERR_INVALID_ARG.
 *  Out:     info: the public parts; zeroed on failure (may be NULL to
 *                 check only).
 *  In:      share, share_len: the encoded share.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_share_decode(
    nansen_ctx *ctx, nansen_share_info *info, const uint8_t *share,
    size_t share_len) NANSEN_NONNULL(1, 3);

/** Recover the secret from k or more shares.
 *
 *  Every share is decoded first (the first that fails gives its status).
 *  Then, in list order, every share must agree with the first on wallet
 *  id, split id, k, n, creation time and commitment; the same share given
 *  twice counts once, and two different shares with the same x are a
 *  mismatch. With fewer than k distinct shares nothing more is done. The
 *  secret is interpolated from the first k distinct shares; every further
 *  share must lie on the same polynomial, and the secret must match the
 *  commitment. Constant time with respect to the shares' y values.
 *
 *  Returns: NANSEN_OK; the errors of nansen_share_decode;
 *           NANSEN_ERR_SHARE_MISMATCH (shares of different splits or
 *           wallets, two shares with one x, an extra share off the
 *           polynomial, or a result that does not match the commitment:
 *           a wrong or altered share); NANSEN_ERR_NOT_ENOUGH_SHARES (fewer
 *           than k distinct shares, or count 0); NANSEN_ERR_INVALID_ARG;
 *           NANSEN_ERR_NOMEM.
 *  Out:     secret:    NANSEN_RECOVERY_SECRET_BYTES; zeroed on failure.
 *           wallet_id: NANSEN_RECOVERY_ID_BYTES, the wallet the shares
 *                      name; zeroed on failure.
 *  In:      shares, share_lens, count: the encoded shares, in any order.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_recovery_combine(
    nansen_ctx *ctx, uint8_t secret[NANSEN_RECOVERY_SECRET_BYTES],
    uint8_t wallet_id[NANSEN_RECOVERY_ID_BYTES],
    const uint8_t *const *shares, const size_t *share_lens, size_t count)
    NANSEN_NONNULL(1, 2, 3);

/* ---- shares on paper ---- */

/** Frame a share as QR text: "NS1:" + Base45 of the share
 *  (nansen_frame_encode without compression: a share is random bytes).
 *  The share is checked first (nansen_share_decode).
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), the errors of nansen_share_decode,
 *           NANSEN_ERR_INVALID_ARG.
 *  Out:     out: the text with a NUL (NANSEN_SHARE_TEXT_MAX_BYTES is
 *                always enough), or NULL for the size. It holds the share:
 *                the caller wipes it.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, with NUL.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_share_to_text(
    nansen_ctx *ctx, char *out, size_t *out_len, const uint8_t *share,
    size_t share_len) NANSEN_NONNULL(1, 3, 4);

/** Read a share back from QR text (as nansen_qr_read_image gives it):
 *  nansen_frame_decode, then nansen_share_decode.
 *
 *  Returns: NANSEN_OK (also for a size query), NANSEN_ERR_BUFFER_TOO_SMALL,
 *           the errors of nansen_frame_decode (NANSEN_ERR_WRONG_TYPE for
 *           text that is not a Nansen code) and of nansen_share_decode,
 *           NANSEN_ERR_INVALID_ARG.
 *  Out:     out: the share (NANSEN_SHARE_MAX_BYTES is always enough), or
 *                NULL for the size; the caller wipes it.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      text, text_len: the text.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_share_from_text(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len, const char *text,
    size_t text_len) NANSEN_NONNULL(1, 3, 4);

/** A printable card for a guardian: an A6 (105 x 148 mm) SVG with the
 *  share's QR code (its nansen_share_to_text, level Q unless ecc says
 *  otherwise), "Recovery share x of n", "k needed", the wallet's short id
 *  (the first 8 hex digits of its wallet id), the date of the split
 *  (UTC), and a line telling the guardian to keep it safe and to give it
 *  back only to its owner, in person. English only. The share is checked
 *  (nansen_share_decode), not verified: nothing in a single share can be.
 *
 *  Returns: NANSEN_OK (also for a size query), NANSEN_ERR_BUFFER_TOO_SMALL,
 *           the errors of nansen_share_decode, NANSEN_ERR_INVALID_ARG (bad
 *           ecc), NANSEN_ERR_QR_BUDGET, NANSEN_ERR_NOMEM.
 *  Out:     out: UTF-8 SVG with a NUL, or NULL for the size. It holds the
 *                share: the caller wipes it.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, with NUL.
 *  In:      share, share_len: the encoded share.
 *           ecc: NANSEN_QR_ECC_DEFAULT for NANSEN_QR_PRINT_ECC.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_share_card_svg(
    nansen_ctx *ctx, char *out, size_t *out_len, const uint8_t *share,
    size_t share_len, nansen_qr_ecc ecc) NANSEN_NONNULL(1, 3, 4);

/* ---- the key-rotation statement ---- */

/** The typ header (RFC 9596) of a rotation statement, a text string. */
#define NANSEN_ROTATION_TYP "application/vnd.nansen.rotation+cwt"
/** Longest rotation statement written or read (Ed25519 to Ed25519 is 182
 *  bytes with a 4-byte time; the largest possible, secp256k1 to
 *  secp256k1 with an 8-byte time, is 189). */
#define NANSEN_ROTATION_MAX_BYTES 256

NANSEN_API size_t nansen_rotation_max_bytes(void);

/** Sign a rotation statement: "the holder of old_key now holds new_key,
 *  since iat". A COSE_Sign1 (typ NANSEN_ROTATION_TYP) by old_key, with
 *  old_key's key id as a protected kid, and claims iat and cnf (new_key
 *  as a COSE_Key).
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG (NULL arguments, iat <= 0,
 *           new_key the same key as old_key), NANSEN_ERR_NO_SECRET_KEY
 *           (old_key cannot sign), NANSEN_ERR_NOMEM.
 *  Args:    ctx:     context from nansen_ctx_create.
 *  Out:     out:     buffer (NANSEN_ROTATION_MAX_BYTES is always enough),
 *                    or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      old_key: the old holder key, with its secret (the one the
 *                    referrals' cnf names, recovered from the wallet).
 *           new_key: the new holder key (public is enough), of either
 *                    type.
 *           iat:     the time of the rotation, unix seconds (> 0).
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_rotation_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_key *old_key, const nansen_key *new_key, int64_t iat)
    NANSEN_NONNULL(1, 3, 4, 5);

typedef struct nansen_rotation nansen_rotation;       /* opaque */

/** Read a rotation statement without verifying it (to show it, or to find
 *  by its old key id which referral's holder it claims to be): at most
 *  NANSEN_ROTATION_MAX_BYTES of deterministic CBOR, a tagged COSE_Sign1
 *  with typ NANSEN_ROTATION_TYP, exactly alg, kid (8 bytes) and typ in
 *  the protected header and nothing unprotected, claims iat (> 0), cnf
 *  (a COSE_Key exactly as Nansen encodes it) and the Nansen map with
 *  profile 1, and nothing else; the new key's id is not the kid.
 *
 *  Returns: NANSEN_OK; the CBOR and COSE parse errors;
 *           NANSEN_ERR_CBOR_TOO_LARGE; NANSEN_ERR_WRONG_TYPE (another
 *           typ); NANSEN_ERR_UNSUPPORTED_VERSION (another header label,
 *           claim, Nansen map key or profile); NANSEN_ERR_MALFORMED (a
 *           claim missing or of the wrong type, iat <= 0, a kid that is
 *           not 8 bytes, a cnf not in Nansen's one encoding, a new key
 *           whose id is the kid); NANSEN_ERR_UNSUPPORTED_ALG,
 *           NANSEN_ERR_BAD_KEY (cnf); NANSEN_ERR_INVALID_ARG;
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: the statement, freed with nansen_rotation_free; NULL on
 *                failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_rotation_decode(
    nansen_ctx *ctx, nansen_rotation **out, const uint8_t *in,
    size_t in_len) NANSEN_NONNULL(1, 2, 3);

/** Verify a rotation statement against the old holder key (for an NGO:
 *  the cnf key of the referral it issued to that person).
 *
 *  Checks the structure (nansen_rotation_decode), then that the kid is
 *  old_key's id, that alg is old_key's and the signature verifies with
 *  it, and that the new key is not old_key.
 *
 *  Returns: NANSEN_OK only for a statement signed by old_key naming
 *           another key. Otherwise: the errors of nansen_rotation_decode;
 *           NANSEN_ERR_KEY_MISMATCH (the kid names another key);
 *           NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_ALG_MISMATCH,
 *           NANSEN_ERR_BAD_SIGNATURE (not signed by old_key);
 *           NANSEN_ERR_MALFORMED (the new key is old_key);
 *           NANSEN_ERR_INVALID_ARG; NANSEN_ERR_NOMEM.
 *  Out:     out: the verified statement, freed with nansen_rotation_free;
 *                NULL on failure. May be NULL to check only.
 *  In:      in, in_len: the statement.
 *           old_key: the old holder key (public is enough).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_rotation_verify(
    nansen_ctx *ctx, nansen_rotation **out, const uint8_t *in,
    size_t in_len, const nansen_key *old_key) NANSEN_NONNULL(1, 3, 5);

/** The new holder key the statement names (public; owned by r). */
NANSEN_API const nansen_key *nansen_rotation_new_key(
    const nansen_rotation *r) NANSEN_NONNULL(1);

/** When the key was rotated (iat), unix seconds. */
NANSEN_API int64_t nansen_rotation_iat(const nansen_rotation *r)
    NANSEN_NONNULL(1);

/** The old key's id (the kid, NANSEN_KEY_ID_BYTES, owned by r): the
 *  first 8 bytes of the SHA-256 of its public key (nansen_key_id). */
NANSEN_API const uint8_t *nansen_rotation_old_key_id(
    const nansen_rotation *r) NANSEN_NONNULL(1);

/** Free a statement. NULL is a no-op. */
NANSEN_API void nansen_rotation_free(nansen_rotation *r);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_RECOVERY_H */
