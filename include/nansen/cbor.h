/* nansen/cbor.h - checking CBOR against the library's decoding rules.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Everything Nansen signs is CBOR in the core deterministic encoding of
 * RFC 8949 section 4.2.1: integers, lengths and tags in their shortest
 * form, definite lengths only, map keys sorted by the bytewise order of
 * their encodings, no duplicate keys. Floating-point values are accepted
 * only in their shortest exact form (RFC 8949 section 4.2.1 / 4.2.2).
 *
 * Every decoder in the library first checks its input with the rules
 * below, so that no input can exhaust memory or stack:
 *   nesting depth    at most NANSEN_CBOR_MAX_DEPTH arrays/maps/tags deep
 *   item count       at most NANSEN_CBOR_MAX_ITEMS data items in total
 *   input size       at most NANSEN_CBOR_MAX_INPUT_BYTES
 * and every declared length must fit in the bytes that remain.
 */
#ifndef NANSEN_CBOR_H
#define NANSEN_CBOR_H

#include "nansen/common.h"
#include "nansen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NANSEN_CBOR_MAX_DEPTH        16
#define NANSEN_CBOR_MAX_ITEMS        65536
#define NANSEN_CBOR_MAX_INPUT_BYTES  (1u << 24)   /* 16 MiB */

/** Check flags. With no flag the full deterministic rules apply. */
/** Accept map keys in any order (still no duplicates). For foreign
 *  inputs such as EU DCC payloads, never for what Nansen signs. */
#define NANSEN_CBOR_ALLOW_UNSORTED   1u
/** Accept integers, lengths, tags and floats that are not in their
 *  shortest form (still definite lengths, no duplicates). */
#define NANSEN_CBOR_ALLOW_LONG_FORM  2u

/** Check that a buffer holds exactly one CBOR data item that obeys the
 *  rules above.
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_TRUNCATED        input ends inside an item;
 *           NANSEN_ERR_TRAILING_DATA    bytes after the item;
 *           NANSEN_ERR_MALFORMED        not well-formed (reserved
 *                                       additional information, bad
 *                                       simple value, invalid UTF-8 in a
 *                                       text string, break outside an
 *                                       indefinite item, empty input);
 *           NANSEN_ERR_CBOR_INDEFINITE  an indefinite length;
 *           NANSEN_ERR_CBOR_NOT_DETERMINISTIC  a long form or unsorted map;
 *           NANSEN_ERR_CBOR_DUPLICATE_KEY;
 *           NANSEN_ERR_CBOR_TOO_DEEP;
 *           NANSEN_ERR_CBOR_TOO_LARGE   a limit above exceeded;
 *           NANSEN_ERR_INVALID_ARG      unknown flags, NULL with len > 0.
 *  In:      in, in_len: the bytes; flags: NANSEN_CBOR_ALLOW_* or 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_cbor_check(
    const uint8_t *in, size_t in_len, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_CBOR_H */
