/* base58.h - base58btc (Bitcoin alphabet) for did:key (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_BASE58_H
#define NANSEN_INTERNAL_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/error.h"

/* Longest input either function takes (did:key needs 35 bytes). */
#define NANSEN__BASE58_MAX_BYTES 128

/* Encode in (at most NANSEN__BASE58_MAX_BYTES) as NUL-terminated text;
 * buffer convention on out/out_len (counting the NUL). */
nansen_err nansen__base58_encode(char *out, size_t *out_len,
                                 const uint8_t *in, size_t in_len);

/* Decode text (at most 2 * NANSEN__BASE58_MAX_BYTES characters) into out;
 * buffer convention on out/out_len. NANSEN_ERR_BAD_ENCODING for a
 * character outside the alphabet, NANSEN_ERR_CBOR_TOO_LARGE never;
 * too long input gives NANSEN_ERR_MALFORMED. */
nansen_err nansen__base58_decode(uint8_t *out, size_t *out_len,
                                 const char *in, size_t in_len);

#endif /* NANSEN_INTERNAL_BASE58_H */
