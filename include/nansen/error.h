/* nansen/error.h - the closed list of status codes.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Every function that can fail returns a nansen_err. The numbers are stable:
 * a code is never renumbered or reused, new codes are only appended inside
 * their range. The range says who is at fault, so that a caller (the CLI, a
 * binding) can classify any code with one comparison:
 *
 *     1 -  99  the caller made a mistake (bad argument, buffer too small)
 *   100 - 199  the input is not a well-formed object of the expected kind
 *   200 - 299  the input is well-formed but must not be trusted
 *   300 - 399  the environment failed (memory, files, randomness)
 *
 * spec/status-codes.md lists every code with its meaning.
 */
#ifndef NANSEN_ERROR_H
#define NANSEN_ERROR_H

#include "nansen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nansen_err {
    NANSEN_OK                        = 0,

    /* 1-99: caller mistakes */
    NANSEN_ERR_INVALID_ARG           = 1,   /* NULL or out-of-range argument */
    NANSEN_ERR_BUFFER_TOO_SMALL      = 2,   /* *out_len now holds the need */
    NANSEN_ERR_NO_SECRET_KEY         = 3,   /* signing with a public key */
    NANSEN_ERR_WRONG_KEY_TYPE        = 4,   /* operation needs another type */
    NANSEN_ERR_CATEGORY_NOT_GRANTED  = 5,   /* disclosing outside the grant */
    NANSEN_ERR_OUTSIDE_VALIDITY      = 6,   /* grant outlives its referral */
    NANSEN_ERR_ABSENT                = 7,   /* claim absent or not disclosed */
    NANSEN_ERR_QR_BUDGET             = 8,   /* too large for the QR budget */
    NANSEN_ERR_NOT_ENOUGH_SHARES     = 9,   /* fewer than k recovery shares */

    /* 100-199: malformed input */
    NANSEN_ERR_MALFORMED             = 100, /* not the expected structure */
    NANSEN_ERR_TRUNCATED             = 101, /* input ends inside an item */
    NANSEN_ERR_TRAILING_DATA         = 102, /* bytes after the last item */
    NANSEN_ERR_CBOR_INDEFINITE       = 103, /* indefinite-length item */
    NANSEN_ERR_CBOR_NOT_DETERMINISTIC = 104,/* long head or unsorted keys */
    NANSEN_ERR_CBOR_DUPLICATE_KEY    = 105, /* a map key appears twice */
    NANSEN_ERR_CBOR_TOO_DEEP         = 106, /* nesting past the limit */
    NANSEN_ERR_CBOR_TOO_LARGE        = 107, /* a count or size past limits */
    NANSEN_ERR_BAD_ENCODING          = 108, /* bad text encoding (base58..) */
    NANSEN_ERR_UNSUPPORTED_ALG       = 109, /* algorithm or curve not here */
    NANSEN_ERR_UNSUPPORTED_VERSION   = 110, /* format version not known */
    NANSEN_ERR_BAD_KEY               = 111, /* key bytes are not a key */
    NANSEN_ERR_BAD_HEADER            = 112, /* COSE header wrong or missing */
    NANSEN_ERR_UNKNOWN_CRITICAL      = 113, /* crit names an unknown label */
    NANSEN_ERR_WRONG_TYPE            = 114, /* another kind of object */
    NANSEN_ERR_CHECKSUM              = 115, /* file check value mismatch */
    NANSEN_ERR_BAD_LENGTH            = 116, /* impossible encoded length */
    NANSEN_ERR_OUT_OF_RANGE          = 117, /* encoded value out of range */
    NANSEN_ERR_BAD_COMPRESSION       = 118, /* corrupt compressed data */
    NANSEN_ERR_BAD_IMAGE             = 119, /* not a readable image */
    NANSEN_ERR_NO_CODE               = 120, /* no QR code in the image */

    /* 200-299: well-formed but not trustworthy */
    NANSEN_ERR_BAD_SIGNATURE         = 200, /* signature does not verify */
    NANSEN_ERR_ALG_MISMATCH          = 201, /* alg header not the key's */
    NANSEN_ERR_KEY_MISMATCH          = 202, /* kid names another key */
    NANSEN_ERR_EXPIRED               = 203,
    NANSEN_ERR_REVOKED               = 204,
    NANSEN_ERR_DIGEST_MISMATCH       = 205, /* disclosure not in the digests */
    NANSEN_ERR_POLICY                = 206, /* refused by the verifier policy */
    NANSEN_ERR_STALE                 = 207, /* list past its ttl or exp */
    NANSEN_ERR_ROLLBACK              = 208, /* older than the one held */
    NANSEN_ERR_SUSPENDED             = 209, /* a status list suspends it */
    NANSEN_ERR_WITHDRAWN             = 210, /* the holder withdrew it */
    NANSEN_ERR_WRONG_PASSPHRASE      = 211, /* passphrase does not open it */
    NANSEN_ERR_SHARE_MISMATCH        = 212, /* shares do not belong together */
    NANSEN_ERR_CHAIN_BROKEN          = 213, /* ledger entry removed/altered */

    /* 300-399: environment failures */
    NANSEN_ERR_NOMEM                 = 300,
    NANSEN_ERR_IO                    = 301, /* read, write, fsync, rename */
    NANSEN_ERR_EXISTS                = 302, /* refusing to overwrite */
    NANSEN_ERR_NOT_FOUND             = 303, /* no such file */
    NANSEN_ERR_PERMISSION            = 304, /* access denied by the OS */
    NANSEN_ERR_INIT                  = 305  /* crypto libraries failed */
} nansen_err;

/** The four ranges of status codes. */
typedef enum nansen_err_class {
    NANSEN_CLASS_OK          = 0,
    NANSEN_CLASS_CALLER      = 1,   /* 1-99 */
    NANSEN_CLASS_MALFORMED   = 2,   /* 100-199 */
    NANSEN_CLASS_UNTRUSTED   = 3,   /* 200-299 */
    NANSEN_CLASS_ENVIRONMENT = 4    /* 300-399, and any unknown value */
} nansen_err_class;

/** A short English description of a status code.
 *
 *  Returns: a static NUL-terminated string; never NULL, also for values
 *           outside the enum ("unknown nansen error").
 */
NANSEN_API const char *nansen_strerror(nansen_err err);

/** The stable symbolic name of a status code, e.g. "NANSEN_ERR_EXPIRED".
 *
 *  Returns: a static string; never NULL ("NANSEN_ERR_UNKNOWN" for values
 *           outside the enum).
 */
NANSEN_API const char *nansen_err_name(nansen_err err);

/** The range a status code belongs to (see the top of this header). */
NANSEN_API nansen_err_class nansen_err_get_class(nansen_err err);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_ERROR_H */
