/* error.c - status code names and messages.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include "internal/internal.h"

/* One case per code and no default, so that -Wswitch flags a code that was
 * added to the enum but not here. */
const char *nansen_strerror(nansen_err err)
{
    switch (err) {
    case NANSEN_OK:                     return "success";
    case NANSEN_ERR_INVALID_ARG:        return "invalid argument";
    case NANSEN_ERR_BUFFER_TOO_SMALL:   return "output buffer too small";
    case NANSEN_ERR_NO_SECRET_KEY:      return "key has no secret part and cannot sign";
    case NANSEN_ERR_WRONG_KEY_TYPE:     return "operation not possible with this key type";
    case NANSEN_ERR_CATEGORY_NOT_GRANTED: return "a disclosed claim's data category is not granted";
    case NANSEN_ERR_OUTSIDE_VALIDITY:   return "the grant is not inside the referral's validity";
    case NANSEN_ERR_ABSENT:             return "no such claim in this token, or not disclosed";
    case NANSEN_ERR_QR_BUDGET:          return "too large for the QR code budget";
    case NANSEN_ERR_NOT_ENOUGH_SHARES:  return "fewer recovery shares than the split needs";
    case NANSEN_ERR_MALFORMED:          return "malformed input";
    case NANSEN_ERR_TRUNCATED:          return "input is truncated";
    case NANSEN_ERR_TRAILING_DATA:      return "unexpected data after the end of the input";
    case NANSEN_ERR_CBOR_INDEFINITE:    return "indefinite-length CBOR is not allowed";
    case NANSEN_ERR_CBOR_NOT_DETERMINISTIC: return "CBOR is not in deterministic encoding";
    case NANSEN_ERR_CBOR_DUPLICATE_KEY: return "CBOR map has a duplicate key";
    case NANSEN_ERR_CBOR_TOO_DEEP:      return "CBOR nesting is too deep";
    case NANSEN_ERR_CBOR_TOO_LARGE:     return "CBOR input exceeds size limits";
    case NANSEN_ERR_BAD_ENCODING:       return "invalid character in encoded text";
    case NANSEN_ERR_UNSUPPORTED_ALG:    return "unsupported algorithm or key type";
    case NANSEN_ERR_UNSUPPORTED_VERSION: return "unsupported format version";
    case NANSEN_ERR_BAD_KEY:            return "invalid key";
    case NANSEN_ERR_BAD_HEADER:         return "invalid or missing COSE header parameter";
    case NANSEN_ERR_UNKNOWN_CRITICAL:   return "unknown critical COSE header parameter";
    case NANSEN_ERR_WRONG_TYPE:         return "wrong type of object";
    case NANSEN_ERR_CHECKSUM:           return "checksum mismatch: the data is damaged";
    case NANSEN_ERR_BAD_LENGTH:         return "impossible encoded length";
    case NANSEN_ERR_OUT_OF_RANGE:       return "encoded value out of range";
    case NANSEN_ERR_BAD_COMPRESSION:    return "corrupt compressed data";
    case NANSEN_ERR_BAD_IMAGE:          return "not a readable image";
    case NANSEN_ERR_NO_CODE:            return "no QR code found in the image";
    case NANSEN_ERR_BAD_SIGNATURE:      return "signature does not verify";
    case NANSEN_ERR_ALG_MISMATCH:       return "algorithm does not match the key";
    case NANSEN_ERR_KEY_MISMATCH:       return "key id does not match the key";
    case NANSEN_ERR_EXPIRED:            return "expired";
    case NANSEN_ERR_REVOKED:            return "revoked";
    case NANSEN_ERR_DIGEST_MISMATCH:    return "a disclosure matches no digest the issuer signed";
    case NANSEN_ERR_POLICY:             return "refused by the verifier's policy";
    case NANSEN_ERR_STALE:              return "out of date";
    case NANSEN_ERR_ROLLBACK:           return "older than the copy already held";
    case NANSEN_ERR_SUSPENDED:          return "suspended";
    case NANSEN_ERR_WITHDRAWN:          return "withdrawn by the holder";
    case NANSEN_ERR_WRONG_PASSPHRASE:   return "the passphrase does not open this wallet";
    case NANSEN_ERR_SHARE_MISMATCH:     return "recovery shares that do not belong together";
    case NANSEN_ERR_CHAIN_BROKEN:       return "ledger chain broken: an entry was removed or altered";
    case NANSEN_ERR_NOMEM:              return "out of memory";
    case NANSEN_ERR_IO:                 return "input/output error";
    case NANSEN_ERR_EXISTS:             return "file exists; refusing to overwrite";
    case NANSEN_ERR_NOT_FOUND:          return "not found";
    case NANSEN_ERR_PERMISSION:         return "permission denied";
    case NANSEN_ERR_INIT:               return "cryptographic library initialisation failed";
    }
    return "unknown nansen error";
}

const char *nansen_err_name(nansen_err err)
{
#define NAME(e) case e: return #e
    switch (err) {
    NAME(NANSEN_OK);
    NAME(NANSEN_ERR_INVALID_ARG);
    NAME(NANSEN_ERR_BUFFER_TOO_SMALL);
    NAME(NANSEN_ERR_NO_SECRET_KEY);
    NAME(NANSEN_ERR_WRONG_KEY_TYPE);
    NAME(NANSEN_ERR_CATEGORY_NOT_GRANTED);
    NAME(NANSEN_ERR_OUTSIDE_VALIDITY);
    NAME(NANSEN_ERR_ABSENT);
    NAME(NANSEN_ERR_QR_BUDGET);
    NAME(NANSEN_ERR_NOT_ENOUGH_SHARES);
    NAME(NANSEN_ERR_MALFORMED);
    NAME(NANSEN_ERR_TRUNCATED);
    NAME(NANSEN_ERR_TRAILING_DATA);
    NAME(NANSEN_ERR_CBOR_INDEFINITE);
    NAME(NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    NAME(NANSEN_ERR_CBOR_DUPLICATE_KEY);
    NAME(NANSEN_ERR_CBOR_TOO_DEEP);
    NAME(NANSEN_ERR_CBOR_TOO_LARGE);
    NAME(NANSEN_ERR_BAD_ENCODING);
    NAME(NANSEN_ERR_UNSUPPORTED_ALG);
    NAME(NANSEN_ERR_UNSUPPORTED_VERSION);
    NAME(NANSEN_ERR_BAD_KEY);
    NAME(NANSEN_ERR_BAD_HEADER);
    NAME(NANSEN_ERR_UNKNOWN_CRITICAL);
    NAME(NANSEN_ERR_WRONG_TYPE);
    NAME(NANSEN_ERR_CHECKSUM);
    NAME(NANSEN_ERR_BAD_LENGTH);
    NAME(NANSEN_ERR_OUT_OF_RANGE);
    NAME(NANSEN_ERR_BAD_COMPRESSION);
    NAME(NANSEN_ERR_BAD_IMAGE);
    NAME(NANSEN_ERR_NO_CODE);
    NAME(NANSEN_ERR_BAD_SIGNATURE);
    NAME(NANSEN_ERR_ALG_MISMATCH);
    NAME(NANSEN_ERR_KEY_MISMATCH);
    NAME(NANSEN_ERR_EXPIRED);
    NAME(NANSEN_ERR_REVOKED);
    NAME(NANSEN_ERR_DIGEST_MISMATCH);
    NAME(NANSEN_ERR_POLICY);
    NAME(NANSEN_ERR_STALE);
    NAME(NANSEN_ERR_ROLLBACK);
    NAME(NANSEN_ERR_SUSPENDED);
    NAME(NANSEN_ERR_WITHDRAWN);
    NAME(NANSEN_ERR_WRONG_PASSPHRASE);
    NAME(NANSEN_ERR_SHARE_MISMATCH);
    NAME(NANSEN_ERR_CHAIN_BROKEN);
    NAME(NANSEN_ERR_NOMEM);
    NAME(NANSEN_ERR_IO);
    NAME(NANSEN_ERR_EXISTS);
    NAME(NANSEN_ERR_NOT_FOUND);
    NAME(NANSEN_ERR_PERMISSION);
    NAME(NANSEN_ERR_INIT);
    }
#undef NAME
    return "NANSEN_ERR_UNKNOWN";
}

nansen_err_class nansen_err_get_class(nansen_err err)
{
    int v = (int)err;

    if (v == 0)
        return NANSEN_CLASS_OK;
    if (v >= 1 && v <= 99)
        return NANSEN_CLASS_CALLER;
    if (v >= 100 && v <= 199)
        return NANSEN_CLASS_MALFORMED;
    if (v >= 200 && v <= 299)
        return NANSEN_CLASS_UNTRUSTED;
    return NANSEN_CLASS_ENVIRONMENT;
}
