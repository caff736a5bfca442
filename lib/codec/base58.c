/* base58.c - base58btc (Bitcoin alphabet) for did:key.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The schoolbook base conversion is quadratic in the input length, so both
 * directions refuse inputs past NANSEN__BASE58_MAX_BYTES (bytes) or twice
 * that (characters): at most a few tens of thousands of steps per call.
 * Only public keys pass through here, so no constant-time care is needed.
 */
#include <string.h>

#include "internal/internal.h"
#include "internal/base58.h"

static const char alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Longest outputs: log(256)/log(58) < 1.366 characters per byte and
 * log(58)/log(256) < 0.733 bytes per character. */
#define B58_TEXT_MAX  (NANSEN__BASE58_MAX_BYTES * 138 / 100 + 1)
#define B58_IN_MAX    (2 * NANSEN__BASE58_MAX_BYTES)
#define B58_BYTES_MAX (B58_IN_MAX * 733 / 1000 + 2)

static int digit_of(unsigned char c)
{
    const char *p;

    if (c == '\0' || (p = strchr(alphabet, (char)c)) == NULL)
        return -1;
    return (int)(p - alphabet);
}

nansen_err nansen__base58_encode(char *out, size_t *out_len,
                                 const uint8_t *in, size_t in_len)
{
    uint8_t digits[B58_TEXT_MAX];
    size_t zeros = 0, used = 0, i, j, need;
    nansen_err err;

    ARG_CHECK(out_len != NULL && (in != NULL || in_len == 0));
    ARG_CHECK(in_len <= NANSEN__BASE58_MAX_BYTES);
    while (zeros < in_len && in[zeros] == 0)
        zeros++;
    /* digits[0..used) holds the value, least significant digit first. */
    for (i = zeros; i < in_len; i++) {
        unsigned int carry = in[i];

        for (j = 0; j < used; j++) {
            carry += (unsigned int)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits[used++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    need = zeros + used + 1;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    memset(out, '1', zeros);
    for (j = 0; j < used; j++)
        out[zeros + j] = alphabet[digits[used - 1 - j]];
    out[need - 1] = '\0';
    *out_len = need;
    return NANSEN_OK;
}

nansen_err nansen__base58_decode(uint8_t *out, size_t *out_len,
                                 const char *in, size_t in_len)
{
    uint8_t bytes[B58_BYTES_MAX];
    size_t ones = 0, used = 0, i, j, need;
    nansen_err err;

    ARG_CHECK(out_len != NULL && (in != NULL || in_len == 0));
    if (in_len > B58_IN_MAX)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < in_len; i++)
        if (digit_of((unsigned char)in[i]) < 0)
            return NANSEN_ERR_BAD_ENCODING;
    while (ones < in_len && in[ones] == '1')
        ones++;
    /* bytes[0..used) holds the value, least significant byte first. */
    for (i = ones; i < in_len; i++) {
        unsigned int carry = (unsigned int)digit_of((unsigned char)in[i]);

        for (j = 0; j < used; j++) {
            carry += (unsigned int)bytes[j] * 58;
            bytes[j] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes[used++] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
    }
    need = ones + used;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    memset(out, 0, ones);
    for (j = 0; j < used; j++)
        out[ones + j] = bytes[used - 1 - j];
    *out_len = need;
    return NANSEN_OK;
}
