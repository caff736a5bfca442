/* base45.c - Base45 (RFC 9285), the QR alphanumeric text encoding.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Two bytes become three characters (c + 45 d + 2025 e = 256 a + b),
 * an odd last byte two. Decoding is strict, so every byte string has
 * exactly one text: lowercase, whitespace, a group worth more than 65535
 * and a final pair worth more than 255 are all refused.
 */
#include <string.h>

#include "internal/internal.h"
#include "internal/frame.h"

static const char alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of a Base45 character, or -1. A table rather than strchr: the
 * alphabet has no NUL, and a NUL in the text must be refused. */
static int digit_of(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    switch (c) {
    case ' ': return 36;
    case '$': return 37;
    case '%': return 38;
    case '*': return 39;
    case '+': return 40;
    case '-': return 41;
    case '.': return 42;
    case '/': return 43;
    case ':': return 44;
    default:  return -1;
    }
}

size_t nansen__base45_encoded_len(size_t n)
{
    return n / 2 * 3 + n % 2 * 2;
}

void nansen__base45_encode_raw(char *out, const uint8_t *in, size_t n)
{
    size_t i;
    unsigned int v;

    for (i = 0; i + 1 < n; i += 2) {
        v = (unsigned int)in[i] << 8 | in[i + 1];
        *out++ = alphabet[v % 45];
        *out++ = alphabet[v / 45 % 45];
        *out++ = alphabet[v / 2025];
    }
    if (i < n) {
        v = in[i];
        *out++ = alphabet[v % 45];
        *out = alphabet[v / 45];
    }
}

/* Value of the group in[0..k) (k = 2 or 3), least significant first;
 * -1 if a character is outside the alphabet. */
static long group_value(const char *in, size_t k)
{
    long v = 0;
    size_t j = k;
    int d;

    while (j-- > 0) {
        if ((d = digit_of((unsigned char)in[j])) < 0)
            return -1;
        v = v * 45 + d;
    }
    return v;
}

nansen_err nansen__base45_check(const char *in, size_t n, size_t *out_len)
{
    size_t i;
    long v;

    *out_len = 0;
    if (n % 3 == 1)
        return NANSEN_ERR_BAD_LENGTH;
    for (i = 0; i < n; i += 3) {
        size_t k = n - i >= 3 ? 3 : 2;

        if ((v = group_value(in + i, k)) < 0)
            return NANSEN_ERR_BAD_ENCODING;
        if (v > (k == 3 ? 65535 : 255))
            return NANSEN_ERR_OUT_OF_RANGE;
    }
    *out_len = n / 3 * 2 + (n % 3 == 2);
    return NANSEN_OK;
}

void nansen__base45_decode_raw(uint8_t *out, const char *in, size_t n)
{
    size_t i;
    long v;

    for (i = 0; i + 3 <= n; i += 3) {
        v = group_value(in + i, 3);
        *out++ = (uint8_t)(v >> 8);
        *out++ = (uint8_t)(v & 0xff);
    }
    if (i < n)
        *out = (uint8_t)group_value(in + i, 2);
}

nansen_err nansen_base45_encode(char *out, size_t *out_len,
                                const uint8_t *in, size_t in_len)
{
    size_t need;
    nansen_err err;

    ARG_CHECK(out_len != NULL && (in != NULL || in_len == 0));
    ARG_CHECK(in_len <= NANSEN__BASE45_MAX_BYTES);
    need = nansen__base45_encoded_len(in_len) + 1;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    nansen__base45_encode_raw(out, in, in_len);
    out[need - 1] = '\0';
    *out_len = need;
    return NANSEN_OK;
}

nansen_err nansen_base45_decode(uint8_t *out, size_t *out_len,
                                const char *in, size_t in_len)
{
    size_t need;
    nansen_err err;

    ARG_CHECK(out_len != NULL && (in != NULL || in_len == 0));
    err = nansen__base45_check(in, in_len, &need);
    if (err != NANSEN_OK) {
        if (out != NULL)
            memset(out, 0, *out_len);
        *out_len = 0;
        return err;
    }
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    nansen__base45_decode_raw(out, in, in_len);
    *out_len = need;
    return NANSEN_OK;
}
