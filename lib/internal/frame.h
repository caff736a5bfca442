/* frame.h - Base45 building blocks for the QR framing (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_FRAME_H
#define NANSEN_INTERNAL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/error.h"

/* Characters Base45 gives for n bytes: 3 per pair, 2 for an odd last
 * byte. n must be at most NANSEN__BASE45_MAX_BYTES. */
#define NANSEN__BASE45_MAX_BYTES ((SIZE_MAX - 8) / 3 * 2)
size_t nansen__base45_encoded_len(size_t n);

/* Write the Base45 of in[0..n) to out (exactly
 * nansen__base45_encoded_len(n) characters, no NUL). */
void nansen__base45_encode_raw(char *out, const uint8_t *in, size_t n);

/* Check that in[0..n) is strict Base45 (RFC 9285) and give the number of
 * bytes it decodes to. NANSEN_ERR_BAD_LENGTH (n % 3 == 1) is found before
 * any character is looked at; then, group by group from the start,
 * NANSEN_ERR_BAD_ENCODING (a character outside the 45) or
 * NANSEN_ERR_OUT_OF_RANGE (a group past 65535, a final pair past 255). */
nansen_err nansen__base45_check(const char *in, size_t n, size_t *out_len);

/* Decode text nansen__base45_check accepted into out (which holds the
 * size it gave). */
void nansen__base45_decode_raw(uint8_t *out, const char *in, size_t n);

#endif /* NANSEN_INTERNAL_FRAME_H */
