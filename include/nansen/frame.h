/* nansen/frame.h - QR text: Base45 (RFC 9285) and the NS1: framing.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A token travels in a QR code as text in the QR alphanumeric alphabet:
 * "NS1:" and the Base45 of its CBOR, or "NS1Z:" and the Base45 of the
 * zlib-compressed CBOR when that is shorter (signed CBOR rarely
 * compresses). spec/qr.md is normative. Decoding is strict: every fault
 * has its own status, and nothing but one whole CBOR item comes out.
 *
 * The EU Digital COVID Certificate's "HC1:" framing (Base45 of zlib of a
 * COSE_Sign1) is read too when asked, so that the same pipeline shows the
 * world's most widely used offline QR credential.
 *
 * Also here: which QR version a text needs at each error-correction level
 * (the QR budget), computed from the tables of ISO/IEC 18004.
 */
#ifndef NANSEN_FRAME_H
#define NANSEN_FRAME_H

#include "nansen/common.h"
#include "nansen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest CBOR a frame carries (also after inflating). */
#define NANSEN_FRAME_MAX_PAYLOAD 65535

/** Base45-encode bytes (RFC 9285).
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG.
 *  Out:     out:     the text and a terminating NUL, or NULL for the size.
 *  In/Out:  out_len: in: capacity of out; out: bytes written or needed,
 *                    with the NUL.
 *  In:      in, in_len: the bytes (in may be NULL when in_len is 0).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_base45_encode(
    char *out, size_t *out_len, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(2);

/** Base45-decode text (RFC 9285), strictly.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL, NANSEN_ERR_INVALID_ARG,
 *           NANSEN_ERR_BAD_ENCODING (a character outside the 45, lowercase
 *           included), NANSEN_ERR_BAD_LENGTH (length 1 modulo 3),
 *           NANSEN_ERR_OUT_OF_RANGE (a group worth more than 65535, or a
 *           final pair more than 255).
 *  Out:     out: the bytes, or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      in, in_len: the text (no NUL needed; a NUL inside is a bad
 *           character).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_base45_decode(
    uint8_t *out, size_t *out_len, const char *in, size_t in_len)
    NANSEN_NONNULL(2);

/* nansen_frame_encode flags */
#define NANSEN_FRAME_NO_ZLIB 1u   /* never compress */

/** Frame CBOR for a QR code: "NS1:" + Base45(cbor), or "NS1Z:" +
 *  Base45(zlib(cbor)) when that text is shorter and NANSEN_FRAME_NO_ZLIB
 *  is not given. The same input always gives the same text.
 *
 *  Returns: NANSEN_OK (also for a size query), NANSEN_ERR_BUFFER_TOO_SMALL,
 *           NANSEN_ERR_INVALID_ARG (unknown flags, in_len 0 or past
 *           NANSEN_FRAME_MAX_PAYLOAD), NANSEN_ERR_NOMEM.
 *  Out:     out: the text and a NUL, or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, with NUL.
 *  In:      in, in_len: the CBOR (not checked: framing carries bytes).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_frame_encode(
    char *out, size_t *out_len, const uint8_t *in, size_t in_len,
    unsigned int flags) NANSEN_NONNULL(2, 3);

/** What a framed text was. */
typedef enum nansen_frame_kind {
    NANSEN_FRAME_NANSEN = 1,      /* NS1: or NS1Z: */
    NANSEN_FRAME_HC1    = 2       /* EU DCC HC1: (with NANSEN_FRAME_ALLOW_HC1) */
} nansen_frame_kind;

/* nansen_frame_decode flags */
#define NANSEN_FRAME_ALLOW_HC1 1u /* also read EU DCC "HC1:" texts */

/** Unframe a QR text into the CBOR it carries.
 *
 *  The text must be exactly a prefix and Base45: no whitespace, no line
 *  break, nothing after. The result must be one CBOR data item (well
 *  formed; Nansen's tokens are checked for deterministic encoding by
 *  their own decoders, DCC certificates are not deterministic).
 *
 *  Returns: NANSEN_OK (also for a size query: the size is exact only after
 *           inflating, so a size query inflates too),
 *           NANSEN_ERR_BUFFER_TOO_SMALL, NANSEN_ERR_INVALID_ARG,
 *           NANSEN_ERR_WRONG_TYPE (no known prefix: not a Nansen code),
 *           NANSEN_ERR_UNSUPPORTED_VERSION ("NS" and another version or
 *           flag, e.g. "NS2:"), the Base45 errors, NANSEN_ERR_BAD_COMPRESSION
 *           (a zlib stream that is corrupt, truncated or followed by bytes),
 *           NANSEN_ERR_CBOR_TOO_LARGE (more than NANSEN_FRAME_MAX_PAYLOAD
 *           bytes, before or after inflating), NANSEN_ERR_TRUNCATED /
 *           NANSEN_ERR_MALFORMED (not one well-formed CBOR item),
 *           NANSEN_ERR_CBOR_INDEFINITE / NANSEN_ERR_CBOR_DUPLICATE_KEY /
 *           NANSEN_ERR_CBOR_TOO_DEEP (nansen_cbor_check's rules that hold
 *           here too), NANSEN_ERR_TRAILING_DATA (bytes after the item),
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: the CBOR, or NULL for the size.
 *           kind: if not NULL, which framing it was.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      text, text_len: the text as read from the code.
 *           flags: 0 or NANSEN_FRAME_ALLOW_HC1.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_frame_decode(
    uint8_t *out, size_t *out_len, nansen_frame_kind *kind,
    const char *text, size_t text_len, unsigned int flags)
    NANSEN_NONNULL(2, 4);

/** QR error-correction levels. */
typedef enum nansen_qr_ecc {
    NANSEN_QR_ECC_DEFAULT = 0,    /* where allowed: the function's default */
    NANSEN_QR_ECC_L = 1,          /* ~7% of the code may be lost */
    NANSEN_QR_ECC_M = 2,          /* ~15%: the default for screens */
    NANSEN_QR_ECC_Q = 3,          /* ~25%: the default for print */
    NANSEN_QR_ECC_H = 4           /* ~30% */
} nansen_qr_ecc;

/* The default budget: what a phone camera reads from a screen. */
#define NANSEN_QR_DEFAULT_VERSION 20
#define NANSEN_QR_DEFAULT_ECC     NANSEN_QR_ECC_M
#define NANSEN_QR_PRINT_ECC       NANSEN_QR_ECC_Q

/** The smallest QR version (1-40) that holds text at an error-correction
 *  level, as a single segment: alphanumeric mode when every character is
 *  in the QR alphanumeric set (as framed tokens are), byte mode otherwise.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (empty text, unknown level),
 *           NANSEN_ERR_QR_BUDGET (does not fit version 40; *version is
 *           then 41).
 *  Out:     version: the version needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_qr_version_needed(
    const char *text, size_t text_len, nansen_qr_ecc ecc, int *version)
    NANSEN_NONNULL(1, 4);

/** The version the framed form of a token needs (nansen_frame_encode,
 *  then nansen_qr_version_needed).
 *  Returns: as those two. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_qr_version_of_token(
    const uint8_t *token, size_t token_len, nansen_qr_ecc ecc, int *version)
    NANSEN_NONNULL(1, 4);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_FRAME_H */
