/* frame.c - QR text framing (NS1:, NS1Z:, HC1:) and the QR budget.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * spec/qr.md is normative. Decoding runs in a fixed order (prefix, Base45,
 * size, inflate, CBOR) so that a given text always gets the same status.
 * Inflating stops one byte past NANSEN_FRAME_MAX_PAYLOAD: a few bytes
 * of zlib that would expand to gigabytes cost at most 64 KiB.
 *
 * The budget follows ISO/IEC 18004:2015: a single segment in alphanumeric
 * or byte mode, and the number of data codewords of each version and
 * error-correction level (table 7).
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal/internal.h"
#include "internal/cbor.h"
#include "internal/frame.h"

#define MAX_PAYLOAD  ((size_t)NANSEN_FRAME_MAX_PAYLOAD)
#define CBOR_FLAGS   (NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM)

static const char prefix_plain[] = "NS1:";
static const char prefix_zlib[] = "NS1Z:";
static const char prefix_hc1[] = "HC1:";

/* ---- encoding ---- */

nansen_err nansen_frame_encode(char *out, size_t *out_len, const uint8_t *in,
                               size_t in_len, unsigned int flags)
{
    const char *prefix = prefix_plain;
    const uint8_t *body = in;
    size_t body_len = in_len, need, plen;
    uint8_t *z = NULL;
    uLongf zlen;
    nansen_err err = NANSEN_OK;

    ARG_CHECK(out_len != NULL && in != NULL);
    ARG_CHECK((flags & ~NANSEN_FRAME_NO_ZLIB) == 0);
    ARG_CHECK(in_len > 0 && in_len <= MAX_PAYLOAD);
    need = sizeof prefix_plain - 1 + nansen__base45_encoded_len(in_len);
    if (!(flags & NANSEN_FRAME_NO_ZLIB)) {
        /* Level 9 and zlib's defaults: the same bytes every time with a
         * given zlib. The plain text wins ties. */
        zlen = compressBound((uLong)in_len);
        if ((z = malloc(zlen)) == NULL) {
            err = NANSEN_ERR_NOMEM;
            goto fail;
        }
        if (compress2(z, &zlen, in, (uLong)in_len,
                      Z_BEST_COMPRESSION) != Z_OK) {
            err = NANSEN_ERR_NOMEM;     /* the only failure left */
            goto fail;
        }
        if (sizeof prefix_zlib - 1 + nansen__base45_encoded_len(zlen) < need) {
            prefix = prefix_zlib;
            body = z;
            body_len = zlen;
            need = sizeof prefix_zlib - 1 +
                   nansen__base45_encoded_len(zlen);
        }
    }
    need += 1;
    if (nansen__size_query(&err, out, out_len, need))
        goto done;
    plen = strlen(prefix);
    memcpy(out, prefix, plen);
    nansen__base45_encode_raw(out + plen, body, body_len);
    out[need - 1] = '\0';
    *out_len = need;
    goto done;
fail:
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
done:
    free(z);
    return err;
}

/* ---- decoding ---- */

/* Recognise the prefix; *skip is its length, *zipped whether the body is
 * zlib. */
static nansen_err read_prefix(const char *text, size_t text_len,
                              unsigned int flags, nansen_frame_kind *kind,
                              int *zipped, size_t *skip)
{
    if (text_len >= sizeof prefix_plain - 1 &&
        memcmp(text, prefix_plain, sizeof prefix_plain - 1) == 0) {
        *kind = NANSEN_FRAME_NANSEN;
        *zipped = 0;
        *skip = sizeof prefix_plain - 1;
        return NANSEN_OK;
    }
    if (text_len >= sizeof prefix_zlib - 1 &&
        memcmp(text, prefix_zlib, sizeof prefix_zlib - 1) == 0) {
        *kind = NANSEN_FRAME_NANSEN;
        *zipped = 1;
        *skip = sizeof prefix_zlib - 1;
        return NANSEN_OK;
    }
    if ((flags & NANSEN_FRAME_ALLOW_HC1) &&
        text_len >= sizeof prefix_hc1 - 1 &&
        memcmp(text, prefix_hc1, sizeof prefix_hc1 - 1) == 0) {
        *kind = NANSEN_FRAME_HC1;
        *zipped = 1;                    /* the DCC payload is always zlib */
        *skip = sizeof prefix_hc1 - 1;
        return NANSEN_OK;
    }
    /* "NS", then anything up to a colon: a later version or flag. */
    if (text_len >= 2 && text[0] == 'N' && text[1] == 'S' &&
        memchr(text + 2, ':', text_len - 2) != NULL)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    return NANSEN_ERR_WRONG_TYPE;
}

/* Inflate a whole zlib stream (RFC 1950) of at most MAX_PAYLOAD bytes of
 * output into out (MAX_PAYLOAD + 1 bytes: the extra byte tells a stream
 * that ends at the limit from one that goes past it). */
static nansen_err inflate_all(uint8_t *out, size_t *out_len,
                              const uint8_t *in, size_t in_len)
{
    z_stream s;
    nansen_err err;
    int ret;

    *out_len = 0;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK)
        return NANSEN_ERR_NOMEM;
    s.next_in = (Bytef *)(uintptr_t)in;     /* zlib does not write it */
    s.avail_in = (uInt)in_len;
    s.next_out = out;
    s.avail_out = (uInt)(MAX_PAYLOAD + 1);
    do
        ret = inflate(&s, Z_NO_FLUSH);
    while (ret == Z_OK);
    if (s.total_out > MAX_PAYLOAD)
        err = NANSEN_ERR_CBOR_TOO_LARGE;    /* whatever follows */
    else if (ret == Z_STREAM_END)
        err = s.avail_in == 0 ? NANSEN_OK : NANSEN_ERR_BAD_COMPRESSION;
    else if (ret == Z_MEM_ERROR)
        err = NANSEN_ERR_NOMEM;
    else    /* truncated (Z_BUF_ERROR), corrupt, or wants a dictionary */
        err = NANSEN_ERR_BAD_COMPRESSION;
    *out_len = (size_t)s.total_out;
    inflateEnd(&s);
    return err;
}

nansen_err nansen_frame_decode(uint8_t *out, size_t *out_len,
                               nansen_frame_kind *kind, const char *text,
                               size_t text_len, unsigned int flags)
{
    nansen_frame_kind k = NANSEN_FRAME_NANSEN;
    uint8_t *raw = NULL, *inflated = NULL;
    const uint8_t *payload;
    size_t skip = 0, raw_len = 0, len = 0, item = 0;
    int zipped = 0;
    nansen_err err;

    ARG_CHECK(out_len != NULL && (text != NULL || text_len == 0));
    ARG_CHECK((flags & ~NANSEN_FRAME_ALLOW_HC1) == 0);
    err = read_prefix(text, text_len, flags, &k, &zipped, &skip);
    if (err == NANSEN_OK)
        err = nansen__base45_check(text + skip, text_len - skip, &raw_len);
    if (err == NANSEN_OK && raw_len > MAX_PAYLOAD)
        err = NANSEN_ERR_CBOR_TOO_LARGE;
    if (err != NANSEN_OK)
        goto fail;
    if ((raw = malloc(raw_len > 0 ? raw_len : 1)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto fail;
    }
    nansen__base45_decode_raw(raw, text + skip, text_len - skip);
    payload = raw;
    len = raw_len;
    if (zipped) {
        if ((inflated = malloc(MAX_PAYLOAD + 1)) == NULL) {
            err = NANSEN_ERR_NOMEM;
            goto fail;
        }
        if ((err = inflate_all(inflated, &len, raw, raw_len)) != NANSEN_OK)
            goto fail;
        payload = inflated;
    }
    err = nansen__cbor_check_prefix(payload, len, CBOR_FLAGS, &item);
    if (err == NANSEN_OK && item != len)
        err = NANSEN_ERR_TRAILING_DATA;
    if (err != NANSEN_OK)
        goto fail;
    if (kind != NULL)
        *kind = k;
    if (nansen__size_query(&err, out, out_len, len))
        goto done;
    memcpy(out, payload, len);
    *out_len = len;
    goto done;
fail:
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
done:
    free(raw);
    free(inflated);
    return err;
}

/* ---- the QR budget ---- */

/* Data codewords (total codewords less error-correction codewords) of
 * versions 1-40 at levels L, M, Q, H: ISO/IEC 18004:2015 table 7. */
static const uint16_t data_codewords[40][4] = {
    {   19,   16,   13,    9 }, {   34,   28,   22,   16 },
    {   55,   44,   34,   26 }, {   80,   64,   48,   36 },
    {  108,   86,   62,   46 }, {  136,  108,   76,   60 },
    {  156,  124,   88,   66 }, {  194,  154,  110,   86 },
    {  232,  182,  132,  100 }, {  274,  216,  154,  122 },
    {  324,  254,  180,  140 }, {  370,  290,  206,  158 },
    {  428,  334,  244,  180 }, {  461,  365,  261,  197 },
    {  523,  415,  295,  223 }, {  589,  453,  325,  253 },
    {  647,  507,  367,  283 }, {  721,  563,  397,  313 },
    {  795,  627,  445,  341 }, {  861,  669,  485,  385 },
    {  932,  714,  512,  406 }, { 1006,  782,  568,  442 },
    { 1094,  860,  614,  464 }, { 1174,  914,  664,  514 },
    { 1276, 1000,  718,  538 }, { 1370, 1062,  754,  596 },
    { 1468, 1128,  808,  628 }, { 1531, 1193,  871,  661 },
    { 1631, 1267,  911,  701 }, { 1735, 1373,  985,  745 },
    { 1843, 1455, 1033,  793 }, { 1955, 1541, 1115,  845 },
    { 2071, 1631, 1171,  901 }, { 2191, 1725, 1231,  961 },
    { 2306, 1812, 1286,  986 }, { 2434, 1914, 1354, 1054 },
    { 2566, 1992, 1426, 1096 }, { 2702, 2102, 1502, 1142 },
    { 2812, 2216, 1582, 1222 }, { 2956, 2334, 1666, 1276 }
};

/* The most characters any code holds (version 40-L, numeric mode); a
 * longer text is refused before any arithmetic. */
#define QR_MAX_CHARS 7089

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr(" $%*+-./:", c) != NULL);
}

nansen_err nansen_qr_version_needed(const char *text, size_t text_len,
                                    nansen_qr_ecc ecc, int *version)
{
    size_t i, bits, count_bits;
    int alnum = 1, v;

    ARG_CHECK(text != NULL && version != NULL);
    ARG_CHECK(ecc >= NANSEN_QR_ECC_L && ecc <= NANSEN_QR_ECC_H);
    ARG_CHECK(text_len > 0);
    *version = 41;
    if (text_len > QR_MAX_CHARS)
        return NANSEN_ERR_QR_BUDGET;
    for (i = 0; i < text_len && alnum; i++)
        alnum = is_alnum((unsigned char)text[i]);
    for (v = 1; v <= 40; v++) {
        /* Character count indicator: table 3. */
        if (alnum)
            count_bits = v <= 9 ? 9 : v <= 26 ? 11 : 13;
        else
            count_bits = v <= 9 ? 8 : 16;
        if (text_len >= (size_t)1 << count_bits)
            continue;
        bits = 4 + count_bits;
        if (alnum)
            bits += text_len / 2 * 11 + text_len % 2 * 6;
        else
            bits += text_len * 8;
        if (bits <= (size_t)data_codewords[v - 1][ecc - 1] * 8) {
            *version = v;
            return NANSEN_OK;
        }
    }
    return NANSEN_ERR_QR_BUDGET;
}

nansen_err nansen_qr_version_of_token(const uint8_t *token,
                                      size_t token_len, nansen_qr_ecc ecc,
                                      int *version)
{
    char *text;
    size_t len;
    nansen_err err;

    ARG_CHECK(token != NULL && version != NULL);
    ARG_CHECK(ecc >= NANSEN_QR_ECC_L && ecc <= NANSEN_QR_ECC_H);
    ARG_CHECK(token_len > 0 && token_len <= MAX_PAYLOAD);
    /* The plain frame is the longest the encoder gives. */
    len = sizeof prefix_plain + nansen__base45_encoded_len(token_len);
    if ((text = malloc(len)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen_frame_encode(text, &len, token, token_len, 0);
    if (err == NANSEN_OK)
        err = nansen_qr_version_needed(text, len - 1, ecc, version);
    free(text);
    return err;
}
