/* nansen/inspect.h - JSON views of CBOR and COSE for people and scripts.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The JSON is for reading, not for round trips. The mapping is in
 * spec/inspect-json.md: integers as JSON numbers (as strings beyond
 * +-2^53), text as strings, byte strings as {"hex": "..."} (and "text"
 * when they hold printable UTF-8), tags as {"tag": n, "value": ...},
 * maps as objects whose keys are the decimal or text form of the CBOR
 * key, simple values as true/false/null or {"simple": n}.
 */
#ifndef NANSEN_INSPECT_H
#define NANSEN_INSPECT_H

#include "nansen/common.h"
#include "nansen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Describe any CBOR item as JSON; COSE_Sign1 messages (tagged 18, or an
 *  untagged 4-element array that parses as one) are described with named
 *  headers, alg names, and the payload decoded as CBOR when it is CBOR:
 *    {"type": "COSE_Sign1", "tagged": true, "verified": false,
 *     "protected": {"alg": "EdDSA", "kid": {"hex": ...}, ...},
 *     "unprotected": {...}, "payload": ..., "signature": {"hex": ...}}
 *  Anything else is {"type": "CBOR", "value": ...}.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL, the errors of
 *           nansen_cbor_check (with NANSEN_CBOR_ALLOW_UNSORTED |
 *           NANSEN_CBOR_ALLOW_LONG_FORM: foreign tokens can be shown),
 *           NANSEN_ERR_NOMEM.
 *  Out:     out:     NUL-terminated pretty-printed JSON, or NULL for the
 *                    size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed (with NUL).
 *  In:      in, in_len: the CBOR bytes.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_inspect_json(
    char *out, size_t *out_len, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(2);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_INSPECT_H */
