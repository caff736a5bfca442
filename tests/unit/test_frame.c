/* test_frame.c - Base45, the NS1:/NS1Z:/HC1: framing and the QR budget.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Base45 examples are from RFC 9285 section 4.3 and 4.4. The QR budget is
 * checked against libqrencode, which encodes real symbols: at every
 * capacity boundary of every version and level, in both modes, and on a
 * sample of lengths.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>
#include <zlib.h>

#include "testutil.h"
#include "internal/frame.h"

#define MAXP NANSEN_FRAME_MAX_PAYLOAD

/* ---- helpers ---- */

static uint32_t rng_state = 2463534242u;

static uint8_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (uint8_t)(rng_state >> 24);
}

/* A CBOR byte string whose encoding is exactly len bytes (len >= 1): the
 * shortest head when one fits, else a two-byte length in long form
 * (accepted by the frame decoder). compressible: a repeated pattern. */
static uint8_t *bstr_of_len(size_t len, int compressible)
{
    uint8_t *b = malloc(len);
    size_t h, i;

    assert_non_null(b);
    if (len - 1 <= 23) {
        b[0] = (uint8_t)(0x40 + len - 1);
        h = 1;
    } else if (len - 2 >= 24 && len - 2 <= 255) {
        b[0] = 0x58;
        b[1] = (uint8_t)(len - 2);
        h = 2;
    } else {
        b[0] = 0x59;
        b[1] = (uint8_t)((len - 3) >> 8);
        b[2] = (uint8_t)(len - 3);
        h = 3;
    }
    for (i = h; i < len; i++)
        b[i] = compressible ? (uint8_t)("nansen referral "[i % 16]) : rnd();
    return b;
}

/* zlib of in at a level; malloc'd, *zlen its size. */
static uint8_t *zlib_of(const uint8_t *in, size_t len, int level,
                        size_t *zlen)
{
    uLongf n = compressBound((uLong)len);
    uint8_t *z = malloc(n);

    assert_non_null(z);
    assert_int_equal(compress2(z, &n, in, (uLong)len, level), Z_OK);
    *zlen = n;
    return z;
}

/* prefix + Base45(body): malloc'd and NUL-terminated; *len without NUL. */
static char *framed(const char *prefix, const uint8_t *body, size_t n,
                    size_t *len)
{
    size_t p = strlen(prefix), m = 0;
    char *t;

    assert_int_equal(nansen_base45_encode(NULL, &m, body, n), NANSEN_OK);
    t = malloc(p + m);
    assert_non_null(t);
    memcpy(t, prefix, p);
    assert_int_equal(nansen_base45_encode(t + p, &m, body, n), NANSEN_OK);
    if (len != NULL)
        *len = p + m - 1;
    return t;
}

/* Decode text; returns the status, and the payload in *out (malloc'd,
 * NULL on failure). Checks the size query and the buffer convention. */
static nansen_err decode(const char *text, size_t len, unsigned int flags,
                         uint8_t **out, size_t *out_len,
                         nansen_frame_kind *kind)
{
    size_t need = 0, n, i;
    uint8_t *buf;
    nansen_err err, err2;

    *out = NULL;
    *out_len = 0;
    err = nansen_frame_decode(NULL, &need, kind, text, len, flags);
    if (err != NANSEN_OK) {
        assert_int_equal(need, 0);
        /* a buffer given is zeroed */
        buf = malloc(16);
        assert_non_null(buf);
        memset(buf, 0xa5, 16);
        n = 16;
        err2 = nansen_frame_decode(buf, &n, NULL, text, len, flags);
        assert_int_equal(err2, err);
        assert_int_equal(n, 0);
        for (i = 0; i < 16; i++)
            assert_int_equal(buf[i], 0);
        free(buf);
        return err;
    }
    assert_true(need > 0 && need <= MAXP);
    buf = malloc(need);
    assert_non_null(buf);
    if (need > 1) {
        n = need - 1;
        assert_int_equal(nansen_frame_decode(buf, &n, NULL, text, len, flags),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(n, need);
    }
    n = need;
    assert_int_equal(nansen_frame_decode(buf, &n, NULL, text, len, flags),
                     NANSEN_OK);
    assert_int_equal(n, need);
    *out = buf;
    *out_len = n;
    return NANSEN_OK;
}

static nansen_err decode_status(const char *text, size_t len,
                                unsigned int flags)
{
    uint8_t *out;
    size_t n;
    nansen_err err = decode(text, len, flags, &out, &n, NULL);

    free(out);
    return err;
}

static nansen_err decode_str(const char *text, unsigned int flags)
{
    return decode_status(text, strlen(text), flags);
}

/* Encode with flags: malloc'd NUL-terminated text, *len without NUL. */
static char *encode(const uint8_t *in, size_t n, unsigned int flags,
                    size_t *len)
{
    size_t need = 0, m;
    char *t;

    assert_int_equal(nansen_frame_encode(NULL, &need, in, n, flags),
                     NANSEN_OK);
    t = malloc(need);
    assert_non_null(t);
    m = need - 1;
    assert_int_equal(nansen_frame_encode(t, &m, in, n, flags),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(m, need);
    assert_int_equal(nansen_frame_encode(t, &m, in, n, flags), NANSEN_OK);
    assert_int_equal(m, need);
    assert_int_equal(strlen(t), need - 1);
    *len = need - 1;
    return t;
}

/* ---- Base45 ---- */

static void assert_b45_encodes(const char *bytes, const char *text)
{
    char out[64];
    size_t n = sizeof out, need = 0;

    assert_int_equal(nansen_base45_encode(NULL, &need,
                                          (const uint8_t *)bytes,
                                          strlen(bytes)), NANSEN_OK);
    assert_int_equal(need, strlen(text) + 1);
    assert_int_equal(nansen_base45_encode(out, &n, (const uint8_t *)bytes,
                                          strlen(bytes)), NANSEN_OK);
    assert_int_equal(n, strlen(text) + 1);
    assert_string_equal(out, text);
}

static void assert_b45_decodes(const char *text, const char *bytes)
{
    uint8_t out[64];
    size_t n = sizeof out, need = 0;

    assert_int_equal(nansen_base45_decode(NULL, &need, text, strlen(text)),
                     NANSEN_OK);
    assert_int_equal(need, strlen(bytes));
    assert_int_equal(nansen_base45_decode(out, &n, text, strlen(text)),
                     NANSEN_OK);
    assert_int_equal(n, strlen(bytes));
    assert_memory_equal(out, bytes, n);
}

static nansen_err b45_status(const char *text, size_t len)
{
    uint8_t out[64];
    size_t n = sizeof out, need = 99, i;
    nansen_err err = nansen_base45_decode(NULL, &need, text, len);

    memset(out, 0xa5, sizeof out);
    assert_int_equal(nansen_base45_decode(out, &n, text, len), err);
    if (err != NANSEN_OK) {
        assert_int_equal(need, 0);
        assert_int_equal(n, 0);
        for (i = 0; i < sizeof out; i++)
            assert_int_equal(out[i], 0);
    }
    return err;
}

static void test_base45_rfc9285(void **state)
{
    (void)state;
    /* section 4.3: encoding */
    assert_b45_encodes("AB", "BB8");
    assert_b45_encodes("Hello!!", "%69 VD92EX0");
    assert_b45_encodes("base-45", "UJCLQE7W581");
    /* section 4.4: decoding */
    assert_b45_decodes("QED8WEX0", "ietf!");
    assert_b45_decodes("BB8", "AB");
    assert_b45_decodes("%69 VD92EX0", "Hello!!");
    assert_b45_decodes("UJCLQE7W581", "base-45");
    assert_b45_encodes("ietf!", "QED8WEX0");
    assert_b45_encodes("", "");
    assert_b45_decodes("", "");
    /* the extremes of a group and of a final pair */
    {
        static const uint8_t ffff[2] = { 0xff, 0xff }, ff = 0xff;
        static const uint8_t zero[3] = { 0, 0, 0 };
        char t[8];
        size_t n = sizeof t;

        assert_int_equal(nansen_base45_encode(t, &n, ffff, 2), NANSEN_OK);
        assert_string_equal(t, "FGW");
        n = sizeof t;
        assert_int_equal(nansen_base45_encode(t, &n, &ff, 1), NANSEN_OK);
        assert_string_equal(t, "U5");
        n = sizeof t;
        assert_int_equal(nansen_base45_encode(t, &n, zero, 3), NANSEN_OK);
        assert_string_equal(t, "00000");
    }
}

static void test_base45_malformed(void **state)
{
    (void)state;
    /* length 1 modulo 3, found before any character is looked at */
    assert_int_equal(b45_status("B", 1), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(b45_status("b", 1), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(b45_status("BB8B", 4), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(b45_status("QED8WEX", 7), NANSEN_ERR_BAD_LENGTH);
    /* characters outside the 45 */
    assert_int_equal(b45_status("bb8", 3), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("qed8wex0", 8), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("BB8\n\n", 5), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("BB\t", 3), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("B\0" "8", 3), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("BB8\0\0", 5), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("BB8=", 4), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(b45_status("BB8==", 5), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("#B8", 3), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("\xc3\x89" "8", 3), NANSEN_ERR_BAD_ENCODING);
    /* values out of range: RFC 9285 section 6 ("GGW" is 65536) */
    assert_int_equal(b45_status("GGW", 3), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status(":::", 3), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status("BB8GGW", 6), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status("V5", 2), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status("::", 2), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status("BB8V5", 5), NANSEN_ERR_OUT_OF_RANGE);
    /* the first bad group decides */
    assert_int_equal(b45_status("GGWbb8", 6), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(b45_status("bb8GGW", 6), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(b45_status("FGWU5", 5), NANSEN_OK);
}

static void test_base45_buffers(void **state)
{
    static const uint8_t ab[2] = { 'A', 'B' };
    char t[4];
    uint8_t b[2];
    size_t n;

    (void)state;
    n = 3;
    assert_int_equal(nansen_base45_encode(t, &n, ab, 2),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 4);
    n = 0;
    assert_int_equal(nansen_base45_encode(t, &n, ab, 2),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 4);
    n = 1;
    assert_int_equal(nansen_base45_decode(b, &n, "BB8", 3),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
    /* empty input: a size query and a zero-capacity write */
    n = 7;
    assert_int_equal(nansen_base45_decode(NULL, &n, NULL, 0), NANSEN_OK);
    assert_int_equal(n, 0);
    n = 0;
    assert_int_equal(nansen_base45_decode(b, &n, "", 0), NANSEN_OK);
    assert_int_equal(n, 0);
    n = 1;
    assert_int_equal(nansen_base45_encode(t, &n, NULL, 0), NANSEN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0], '\0');
    /* bad arguments */
    n = sizeof t;
    assert_int_equal(nansen_base45_encode(t, &n, NULL, 2),
                     NANSEN_ERR_INVALID_ARG);
    n = sizeof b;
    assert_int_equal(nansen_base45_decode(b, &n, NULL, 3),
                     NANSEN_ERR_INVALID_ARG);
}

/* Every length 0..2000: encode, decode, and the strictness makes the text
 * unique (what decodes re-encodes to the same text). */
static void test_base45_round_trip(void **state)
{
    uint8_t in[2000], back[2000];
    char text[3001];
    size_t len, i, n, m;

    (void)state;
    for (len = 0; len <= sizeof in; len++) {
        for (i = 0; i < len; i++)
            in[i] = rnd();
        if (len % 5 == 0)
            memset(in, len % 2 ? 0xff : 0, len);
        n = sizeof text;
        assert_int_equal(nansen_base45_encode(text, &n, in, len), NANSEN_OK);
        assert_int_equal(n, len / 2 * 3 + len % 2 * 2 + 1);
        assert_int_equal(nansen__base45_encoded_len(len), n - 1);
        for (i = 0; i + 1 < n; i++)
            assert_non_null(strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ "
                                   "$%*+-./:", text[i]));
        m = 0;
        assert_int_equal(nansen_base45_decode(NULL, &m, text, n - 1),
                         NANSEN_OK);
        assert_int_equal(m, len);
        m = sizeof back;
        assert_int_equal(nansen_base45_decode(back, &m, text, n - 1),
                         NANSEN_OK);
        assert_int_equal(m, len);
        assert_memory_equal(back, in, len);
    }
}

/* Every 2- and 3-character text: decodes exactly when in range, and then
 * re-encodes to itself. */
static void test_base45_all_groups(void **state)
{
    static const char a[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    char t[4], back[4];
    uint8_t b[2];
    size_t i, j, k, n;
    long v;
    nansen_err err;

    (void)state;
    for (i = 0; i < 45; i++)
        for (j = 0; j < 45; j++) {
            t[0] = a[i];
            t[1] = a[j];
            v = (long)(i + 45 * j);
            n = sizeof b;
            err = nansen_base45_decode(b, &n, t, 2);
            if (v > 255) {
                assert_int_equal(err, NANSEN_ERR_OUT_OF_RANGE);
                continue;
            }
            assert_int_equal(err, NANSEN_OK);
            assert_int_equal(n, 1);
            assert_int_equal(b[0], v);
            n = sizeof back;
            assert_int_equal(nansen_base45_encode(back, &n, b, 1),
                             NANSEN_OK);
            assert_memory_equal(back, t, 2);
            for (k = 0; k < 45; k++) {
                t[2] = a[k];
                v = (long)(i + 45 * j + 2025 * k);
                n = sizeof b;
                err = nansen_base45_decode(b, &n, t, 3);
                if (v > 65535) {
                    assert_int_equal(err, NANSEN_ERR_OUT_OF_RANGE);
                    continue;
                }
                assert_int_equal(err, NANSEN_OK);
                assert_int_equal(n, 2);
                assert_int_equal(b[0] << 8 | b[1], v);
            }
        }
}

/* ---- framing ---- */

static void check_round_trip(const uint8_t *p, size_t len)
{
    char *dflt, *plain;
    size_t dlen, plen, zlen, out_len;
    uint8_t *z, *out;
    nansen_frame_kind kind = (nansen_frame_kind)0;
    int shorter;

    dflt = encode(p, len, 0, &dlen);
    plain = encode(p, len, NANSEN_FRAME_NO_ZLIB, &plen);
    assert_int_equal(plen, 4 + len / 2 * 3 + len % 2 * 2);
    assert_memory_equal(plain, "NS1:", 4);
    /* NS1Z: exactly when the zlib text is strictly shorter */
    z = zlib_of(p, len, 9, &zlen);
    shorter = 5 + nansen__base45_encoded_len(zlen) < plen;
    free(z);
    if (shorter) {
        assert_memory_equal(dflt, "NS1Z:", 5);
        assert_true(dlen < plen);
    } else {
        assert_string_equal(dflt, plain);
    }
    /* the same input gives the same text */
    {
        size_t again_len;
        char *again = encode(p, len, 0, &again_len);

        assert_string_equal(again, dflt);
        free(again);
    }
    assert_int_equal(decode(dflt, dlen, 0, &out, &out_len, &kind),
                     NANSEN_OK);
    assert_int_equal(kind, NANSEN_FRAME_NANSEN);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, p, len);
    free(out);
    assert_int_equal(decode(plain, plen, NANSEN_FRAME_ALLOW_HC1, &out,
                            &out_len, NULL), NANSEN_OK);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, p, len);
    free(out);
    free(dflt);
    free(plain);
}

static void test_frame_round_trip(void **state)
{
    size_t len;
    uint8_t *p;
    int zipped_random = 0, zipped_pattern = 0;

    (void)state;
    for (len = 1; len <= 2000; len++) {
        p = bstr_of_len(len, 0);
        check_round_trip(p, len);
        free(p);
        p = bstr_of_len(len, 1);
        check_round_trip(p, len);
        {
            size_t n;
            char *t = encode(p, len, 0, &n);

            zipped_pattern += t[3] == 'Z';
            free(t);
        }
        free(p);
    }
    /* random bytes never shrink; the pattern does from a few bytes on */
    for (len = 100; len <= 2000; len += 100) {
        size_t n;
        char *t;

        p = bstr_of_len(len, 0);
        t = encode(p, len, 0, &n);
        zipped_random += t[3] == 'Z';
        free(t);
        free(p);
    }
    print_message("framing: %d of 2000 patterned payloads compressed\n",
                  zipped_pattern);
    assert_int_equal(zipped_random, 0);
    assert_true(zipped_pattern > 1900);
}

static void test_frame_encode_args(void **state)
{
    static const uint8_t one = 0x00;
    uint8_t *big = calloc(MAXP + 1, 1);
    char t[16];
    size_t n = sizeof t;

    (void)state;
    assert_non_null(big);
    assert_int_equal(nansen_frame_encode(t, &n, &one, 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_frame_encode(t, &n, &one, 1, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_frame_encode(NULL, &n, big, MAXP + 1, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(n, sizeof t);
    /* the largest payload is framed (and compressed: all zeros) */
    n = 0;
    assert_int_equal(nansen_frame_encode(NULL, &n, big, MAXP, 0), NANSEN_OK);
    assert_true(n > 5 && n < 1000);
    n = 0;
    assert_int_equal(nansen_frame_encode(NULL, &n, big, MAXP,
                                         NANSEN_FRAME_NO_ZLIB), NANSEN_OK);
    assert_int_equal(n, 4 + 98302 + 1 + 1);
    /* a zero byte is CBOR 0: "NS1:00" */
    n = sizeof t;
    assert_int_equal(nansen_frame_encode(t, &n, &one, 1, 0), NANSEN_OK);
    assert_string_equal(t, "NS1:00");
    assert_int_equal(n, 7);
    assert_int_equal(decode_str("NS1:00", 0), NANSEN_OK);
    free(big);
}

static void test_frame_prefixes(void **state)
{
    static const uint8_t item[3] = { 0x82, 0x01, 0x02 };  /* [1, 2] */
    uint8_t *z, *out;
    size_t zlen, len, out_len;
    char *t;
    nansen_frame_kind kind = (nansen_frame_kind)0;

    (void)state;
    /* NS1: [1, 2] */
    t = framed("NS1:", item, 3, &len);
    assert_int_equal(decode(t, len, 0, &out, &out_len, &kind), NANSEN_OK);
    assert_int_equal(kind, NANSEN_FRAME_NANSEN);
    assert_int_equal(out_len, 3);
    assert_memory_equal(out, item, 3);
    free(out);
    free(t);

    /* later versions and flags */
    assert_int_equal(decode_str("NS2:X.0", 0),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(decode_str("NS1X:X.0", 0),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(decode_str("NS10:X.0", 0),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(decode_str("NS:X.0", 0),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(decode_str("NS1ZZ:X.0", NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(decode_str("NS1", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("NS1Z", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("NSX.0", 0), NANSEN_ERR_WRONG_TYPE);
    /* not ours */
    assert_int_equal(decode_str("ns1:X.0", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("Ns1:X.0", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str(" NS1:X.0", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("https://example.org/", 0),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("", 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("HC2:X.0", NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode_str("hc1:X.0", NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_WRONG_TYPE);

    /* HC1: zlib of the item, only when asked for */
    z = zlib_of(item, 3, 9, &zlen);
    t = framed("HC1:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(decode(t, len, NANSEN_FRAME_ALLOW_HC1, &out, &out_len,
                            &kind), NANSEN_OK);
    assert_int_equal(kind, NANSEN_FRAME_HC1);
    assert_int_equal(out_len, 3);
    assert_memory_equal(out, item, 3);
    free(out);
    free(t);
    /* NS1Z: of the same zlib, at any level */
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode(t, len, 0, &out, &out_len, &kind), NANSEN_OK);
    assert_int_equal(kind, NANSEN_FRAME_NANSEN);
    assert_memory_equal(out, item, 3);
    free(out);
    free(t);
    free(z);
    z = zlib_of(item, 3, 0, &zlen);
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_OK);
    free(t);
    free(z);

    /* HC1: is always zlib; the bare item is corrupt zlib */
    t = framed("HC1:", item, 3, &len);
    assert_int_equal(decode_status(t, len, NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    t = framed("NS1Z:", item, 3, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
}

static void test_frame_bad_text(void **state)
{
    (void)state;
    /* [1, 2] is "NS1:QJG20", 0 is "NS1:00" */
    assert_int_equal(decode_str("NS1:QJG20", 0), NANSEN_OK);
    assert_int_equal(decode_str("NS1:00", 0), NANSEN_OK);
    assert_int_equal(decode_str("NS1:qjg20", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:QJg20", 0), NANSEN_ERR_BAD_ENCODING);
    /* whitespace: a space is a Base45 digit, the rest are not */
    assert_int_equal(decode_str("NS1:QJG20 ", 0), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(decode_str("NS1:00 ", 0), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(decode_str("NS1:00  ", 0), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(decode_str("NS1:00\n", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:00\r\n", 0), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(decode_str("NS1:QJG20\r\n", 0),
                     NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(decode_str("NS1:\tQJG20", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:QJG\t20", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:QJ\tG20", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:QJ\t20", 0), NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:QJG\n0", 0), NANSEN_ERR_BAD_ENCODING);
    /* a NUL inside, or after */
    assert_int_equal(decode_status("NS1:QJG2\0", 9, 0),
                     NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_status("NS1:QJG20\0", 10, 0),
                     NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_status("NS1:QJG20\0\0", 11, 0),
                     NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(decode_status("NS1:\0" "0", 6, 0),
                     NANSEN_ERR_BAD_ENCODING);
    /* out of range */
    assert_int_equal(decode_str("NS1:GGW", 0), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(decode_str("NS1:QJGV5", 0), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(decode_str("NS1Z:GGW", 0), NANSEN_ERR_OUT_OF_RANGE);
    assert_int_equal(decode_str("NS1Z:QJG2", 0), NANSEN_ERR_BAD_LENGTH);
    assert_int_equal(decode_str("HC1:qjg20", NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_BAD_ENCODING);
    assert_int_equal(decode_str("NS1:000", 0), NANSEN_ERR_TRAILING_DATA);
    /* an empty body holds no item */
    assert_int_equal(decode_str("NS1:", 0), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("NS1Z:", 0), NANSEN_ERR_BAD_COMPRESSION);
    assert_int_equal(decode_str("HC1:", NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_BAD_COMPRESSION);
}

/* The payload must be one CBOR item, checked without the deterministic
 * rules. */
static void test_frame_cbor(void **state)
{
    static const struct {
        const char *hex;
        nansen_err want;
    } cases[] = {
        { "00", NANSEN_OK },
        { "a2020001f6", NANSEN_OK },              /* unsorted map */
        { "1900ff", NANSEN_OK },                  /* long form */
        { "d28440a0f640", NANSEN_OK },            /* a tag-18 array */
        { "0000", NANSEN_ERR_TRAILING_DATA },
        { "8201020304", NANSEN_ERR_TRAILING_DATA },
        { "590100", NANSEN_ERR_TRUNCATED },
        { "8201", NANSEN_ERR_TRUNCATED },
        { "1c", NANSEN_ERR_MALFORMED },
        { "ff", NANSEN_ERR_MALFORMED },
        { "62c328", NANSEN_ERR_MALFORMED },       /* bad UTF-8 */
        { "5f40ff", NANSEN_ERR_CBOR_INDEFINITE },
        { "a201000100", NANSEN_ERR_CBOR_DUPLICATE_KEY },
        { "818181818181818181818181818181818100", NANSEN_ERR_CBOR_TOO_DEEP },
    };
    size_t i, n, len, zlen;
    uint8_t *b, *z;
    char *t;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b = tu_hex(cases[i].hex, &n);
        t = framed("NS1:", b, n, &len);
        assert_int_equal(decode_status(t, len, 0), cases[i].want);
        free(t);
        z = zlib_of(b, n, 9, &zlen);
        t = framed("NS1Z:", z, zlen, &len);
        assert_int_equal(decode_status(t, len, 0), cases[i].want);
        free(t);
        t = framed("HC1:", z, zlen, &len);
        assert_int_equal(decode_status(t, len, NANSEN_FRAME_ALLOW_HC1),
                         cases[i].want);
        free(t);
        free(z);
        free(b);
    }
}

static void test_frame_zlib_faults(void **state)
{
    uint8_t *p, *z, *zz;
    size_t plen = 300, zlen, len, cut, flips_ok = 0;
    char *t;

    (void)state;
    p = bstr_of_len(plen, 1);
    z = zlib_of(p, plen, 9, &zlen);
    zz = malloc(zlen + 8);
    assert_non_null(zz);

    /* every truncation */
    for (cut = 0; cut < zlen; cut++) {
        t = framed("NS1Z:", z, cut, &len);
        assert_int_equal(decode_status(t, len, 0),
                         NANSEN_ERR_BAD_COMPRESSION);
        free(t);
    }
    /* a byte after the stream, and several */
    memcpy(zz, z, zlen);
    zz[zlen] = 0;
    t = framed("NS1Z:", zz, zlen + 1, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    memcpy(zz + zlen, z, 8);
    t = framed("NS1Z:", zz, zlen + 8, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    /* a wrong Adler-32 */
    memcpy(zz, z, zlen);
    zz[zlen - 1] ^= 1;
    t = framed("NS1Z:", zz, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    /* a bad header check, a preset dictionary, another method */
    memcpy(zz, z, zlen);
    zz[1] ^= 1;
    t = framed("NS1Z:", zz, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    zz[0] = 0x78;
    zz[1] = 0xbb;                   /* FDICT set, level 2, valid check */
    t = framed("NS1Z:", zz, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    /* raw deflate (no zlib header) and gzip are not zlib */
    t = framed("NS1Z:", z + 2, zlen - 6, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_COMPRESSION);
    free(t);
    {
        static const uint8_t gz[] = {   /* gzip of "a" */
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
            0x4b, 0x04, 0x00, 0x43, 0xbe, 0xb7, 0xe8, 0x01, 0x00, 0x00,
            0x00
        };

        t = framed("NS1Z:", gz, sizeof gz, &len);
        assert_int_equal(decode_status(t, len, 0),
                         NANSEN_ERR_BAD_COMPRESSION);
        free(t);
    }
    /* every single-bit flip fails, or (in the padding bits of the last
     * block, which inflate ignores) gives the same payload */
    for (cut = 0; cut < zlen * 8; cut++) {
        uint8_t *out = NULL;
        size_t out_len;
        nansen_err err;

        memcpy(zz, z, zlen);
        zz[cut / 8] ^= (uint8_t)(1u << (cut % 8));
        t = framed("NS1Z:", zz, zlen, &len);
        err = decode(t, len, 0, &out, &out_len, NULL);
        if (err == NANSEN_OK) {
            assert_int_equal(out_len, plen);
            assert_memory_equal(out, p, plen);
            flips_ok++;
        }
        free(out);
        free(t);
    }
    assert_true(flips_ok < 8);
    free(zz);
    free(z);
    free(p);
}

static void test_frame_limits(void **state)
{
    uint8_t *big = calloc(10u * 1024 * 1024, 1), *z, *out;
    size_t zlen, len, out_len;
    char *t;

    (void)state;
    assert_non_null(big);
    /* exactly the limit: a byte string of 65532 bytes (head 59 ff fc) */
    big[0] = 0x59;
    big[1] = 0xff;
    big[2] = 0xfc;
    z = zlib_of(big, MAXP, 9, &zlen);
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode(t, len, 0, &out, &out_len, NULL), NANSEN_OK);
    assert_int_equal(out_len, MAXP);
    assert_memory_equal(out, big, MAXP);
    free(out);
    free(t);
    free(z);
    /* one byte more inflates past the limit */
    big[2] = 0xfd;
    z = zlib_of(big, MAXP + 1, 9, &zlen);
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    /* ...and so does it with junk after the stream */
    z = realloc(z, zlen + 3);
    assert_non_null(z);
    memcpy(z + zlen, "abc", 3);
    t = framed("NS1Z:", z, zlen + 3, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    free(z);
    /* a bomb: 10 MiB of zeros in about 10 KiB; also as HC1: */
    big[0] = big[1] = big[2] = 0;
    z = zlib_of(big, 10u * 1024 * 1024, 9, &zlen);
    assert_true(zlen < 20000);
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    t = framed("HC1:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, NANSEN_FRAME_ALLOW_HC1),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    /* the bomb truncated: too large is seen first */
    t = framed("NS1Z:", z, zlen - 10, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    free(z);
    /* a zlib stream itself past the limit (stored blocks) */
    z = zlib_of(big, MAXP, 0, &zlen);
    assert_true(zlen > MAXP);
    t = framed("NS1Z:", z, zlen, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    free(z);
    /* plain: 65535 bytes pass, 65536 do not */
    big[0] = 0x59;
    big[1] = 0xff;
    big[2] = 0xfc;
    t = framed("NS1:", big, MAXP, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_OK);
    free(t);
    t = framed("NS1:", big, MAXP + 1, &len);
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(t);
    /* Base45 faults come before the size */
    t = framed("NS1:", big, MAXP + 1, &len);
    t[len - 1] = 'a';
    assert_int_equal(decode_status(t, len, 0), NANSEN_ERR_BAD_ENCODING);
    free(t);
    free(big);
}

static void test_frame_buffers(void **state)
{
    uint8_t out[8];
    size_t n;
    nansen_frame_kind kind = (nansen_frame_kind)0;

    (void)state;
    /* size query: OK, the size, and the kind */
    n = 0;
    assert_int_equal(nansen_frame_decode(NULL, &n, &kind, "NS1:QJG20", 9, 0),
                     NANSEN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(kind, NANSEN_FRAME_NANSEN);
    n = 2;
    assert_int_equal(nansen_frame_decode(out, &n, NULL, "NS1:QJG20", 9, 0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 3);
    n = sizeof out;
    assert_int_equal(nansen_frame_decode(out, &n, NULL, "NS1:QJG20", 9, 0),
                     NANSEN_OK);
    assert_int_equal(n, 3);
    /* a failure zeroes the buffer and the length */
    memset(out, 0xa5, sizeof out);
    n = sizeof out;
    assert_int_equal(nansen_frame_decode(out, &n, NULL, "NS2:QJG20", 9, 0),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(n, 0);
    assert_int_equal(out[0] | out[7], 0);
    /* bad arguments */
    n = sizeof out;
    assert_int_equal(nansen_frame_decode(out, &n, NULL, "NS1:QJG20", 9, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(n, sizeof out);
}

/* ---- the QR budget ---- */

static const QRecLevel qr_level[5] = {
    QR_ECLEVEL_L, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H
};

/* The version libqrencode picks for text as one segment (alphanumeric or
 * 8-bit); 41 when it does not fit. */
static int qrencode_version(const char *text, size_t len, int alnum,
                            nansen_qr_ecc ecc)
{
    QRinput *in = QRinput_new2(0, qr_level[ecc]);
    QRcode *code;
    int v;

    assert_non_null(in);
    assert_int_equal(QRinput_append(in, alnum ? QR_MODE_AN : QR_MODE_8,
                                    (int)len, (const unsigned char *)text),
                     0);
    code = QRcode_encodeInput(in);
    QRinput_free(in);
    if (code == NULL)
        return 41;
    v = code->version;
    QRcode_free(code);
    return v;
}

static int our_version(const char *text, size_t len, nansen_qr_ecc ecc)
{
    int v = 0;
    nansen_err err = nansen_qr_version_needed(text, len, ecc, &v);

    if (err == NANSEN_ERR_QR_BUDGET)
        assert_int_equal(v, 41);
    else
        assert_int_equal(err, NANSEN_OK);
    return v;
}

/* Texts of n characters: alphanumeric without digits (so that no
 * encoder is tempted into numeric mode), or lowercase (byte mode). */
static void fill_text(char *t, size_t n, int alnum)
{
    static const char an[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    size_t i;

    for (i = 0; i < n; i++)
        t[i] = alnum ? an[rnd() % 35] : (char)('a' + rnd() % 26);
}

#define QR_TEXT_MAX 4400

/* At every version and level, in both modes: the longest text we say
 * fits a version is put in that very version by libqrencode, and one
 * character more goes to the next. */
static void test_qr_capacity_boundaries(void **state)
{
    char *t = malloc(QR_TEXT_MAX);
    int ecc, alnum, v, ours;
    size_t lo, hi, mid;

    (void)state;
    assert_non_null(t);
    fill_text(t, QR_TEXT_MAX, 1);
    for (alnum = 0; alnum <= 1; alnum++) {
        fill_text(t, QR_TEXT_MAX, alnum);
        for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++) {
            size_t prev = 0;

            for (v = 1; v <= 40; v++) {
                /* the longest n with our version <= v */
                lo = 1;
                hi = QR_TEXT_MAX;
                while (lo < hi) {
                    mid = (lo + hi + 1) / 2;
                    if (our_version(t, mid, (nansen_qr_ecc)ecc) <= v)
                        lo = mid;
                    else
                        hi = mid - 1;
                }
                assert_true(lo > prev);
                prev = lo;
                ours = our_version(t, lo, (nansen_qr_ecc)ecc);
                assert_int_equal(ours,
                                 qrencode_version(t, lo, alnum,
                                                  (nansen_qr_ecc)ecc));
                assert_int_equal(our_version(t, lo + 1, (nansen_qr_ecc)ecc),
                                 qrencode_version(t, lo + 1, alnum,
                                                  (nansen_qr_ecc)ecc));
                assert_true(our_version(t, lo + 1, (nansen_qr_ecc)ecc) > v);
            }
        }
    }
    free(t);
}

/* Every length to 500 and every 7th after, at every level, in both
 * modes; also through QRcode_encodeString, which picks the modes itself
 * (one segment for these texts). */
static void test_qr_version_sampled(void **state)
{
    char *t = malloc(QR_TEXT_MAX + 1);
    int ecc, alnum;
    size_t n, checked = 0;

    (void)state;
    assert_non_null(t);
    for (alnum = 0; alnum <= 1; alnum++) {
        fill_text(t, QR_TEXT_MAX, alnum);
        for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++)
            for (n = 1; n <= (alnum ? 4300u : 2960u);
                 n += n < 500 ? 1 : 7) {
                int ours = our_version(t, n, (nansen_qr_ecc)ecc);

                assert_int_equal(ours, qrencode_version(t, n, alnum,
                                                        (nansen_qr_ecc)ecc));
                if (n % 97 == 0 && ours <= 40) {
                    QRcode *code;
                    char c = t[n];

                    t[n] = '\0';
                    code = QRcode_encodeString(t, 0, qr_level[ecc],
                                               QR_MODE_8, 1);
                    t[n] = c;
                    assert_non_null(code);
                    assert_int_equal(code->version, ours);
                    QRcode_free(code);
                }
                checked++;
            }
    }
    print_message("QR budget: %zu lengths agree with libqrencode\n",
                  checked);
    free(t);
}

static void test_qr_version_edges(void **state)
{
    char *t = malloc(8000);
    int v;

    (void)state;
    assert_non_null(t);
    memset(t, 'A', 8000);
    /* ISO/IEC 18004 table 7: 1-L holds 25 alphanumeric characters or 17
     * bytes, 40-L 4296 or 2953, 40-H 1852 or 1273. */
    assert_int_equal(our_version(t, 25, NANSEN_QR_ECC_L), 1);
    assert_int_equal(our_version(t, 26, NANSEN_QR_ECC_L), 2);
    assert_int_equal(our_version(t, 4296, NANSEN_QR_ECC_L), 40);
    assert_int_equal(our_version(t, 4297, NANSEN_QR_ECC_L), 41);
    assert_int_equal(our_version(t, 1852, NANSEN_QR_ECC_H), 40);
    assert_int_equal(our_version(t, 1853, NANSEN_QR_ECC_H), 41);
    memset(t, 'a', 8000);
    assert_int_equal(our_version(t, 17, NANSEN_QR_ECC_L), 1);
    assert_int_equal(our_version(t, 18, NANSEN_QR_ECC_L), 2);
    assert_int_equal(our_version(t, 2953, NANSEN_QR_ECC_L), 40);
    assert_int_equal(our_version(t, 2954, NANSEN_QR_ECC_L), 41);
    assert_int_equal(our_version(t, 1273, NANSEN_QR_ECC_H), 40);
    assert_int_equal(our_version(t, 1274, NANSEN_QR_ECC_H), 41);
    /* one character outside the set turns the whole text to bytes */
    memset(t, 'A', 8000);
    assert_int_equal(our_version(t, 25, NANSEN_QR_ECC_L), 1);
    t[24] = 'a';
    assert_int_equal(our_version(t, 25, NANSEN_QR_ECC_L), 2);
    t[24] = '\0';
    assert_int_equal(our_version(t, 25, NANSEN_QR_ECC_L), 2);
    /* past any code */
    v = 0;
    assert_int_equal(nansen_qr_version_needed(t, 7090, NANSEN_QR_ECC_L, &v),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(v, 41);
    v = 0;
    assert_int_equal(nansen_qr_version_needed(t, (size_t)-1,
                                              NANSEN_QR_ECC_L, &v),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(v, 41);
    /* bad arguments leave *version alone */
    v = 7;
    assert_int_equal(nansen_qr_version_needed(t, 0, NANSEN_QR_ECC_L, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_qr_version_needed(t, 5, (nansen_qr_ecc)0, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_qr_version_needed(t, 5, (nansen_qr_ecc)5, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(v, 7);
    free(t);
}

static void test_qr_version_of_token(void **state)
{
    size_t len, n;
    uint8_t *p;
    char *t;
    int v, w, ecc;

    (void)state;
    for (len = 1; len <= 3000; len += len < 300 ? 1 : 37)
        for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++) {
            p = bstr_of_len(len, (int)(len % 2));
            t = encode(p, len, 0, &n);
            w = our_version(t, n, (nansen_qr_ecc)ecc);
            v = 0;
            assert_int_equal(nansen_qr_version_of_token(p, len,
                                                        (nansen_qr_ecc)ecc,
                                                        &v),
                             w <= 40 ? NANSEN_OK : NANSEN_ERR_QR_BUDGET);
            assert_int_equal(v, w);
            /* a framed token is all alphanumeric */
            assert_int_equal(w, qrencode_version(t, n, 1,
                                                 (nansen_qr_ecc)ecc));
            free(t);
            free(p);
        }
    /* spec/qr.md: incompressible tokens of 644 bytes fit 20-M, of 465
     * bytes 20-Q */
    {
        static const struct {
            size_t len;
            nansen_qr_ecc ecc;
            int v;
        } fit[] = {
            { 644, NANSEN_QR_ECC_M, 20 }, { 645, NANSEN_QR_ECC_M, 21 },
            { 465, NANSEN_QR_ECC_Q, 20 }, { 466, NANSEN_QR_ECC_Q, 21 },
        };
        size_t i;

        for (i = 0; i < sizeof fit / sizeof fit[0]; i++) {
            p = bstr_of_len(fit[i].len, 0);
            assert_int_equal(nansen_qr_version_of_token(p, fit[i].len,
                                                        fit[i].ecc, &v),
                             NANSEN_OK);
            assert_int_equal(v, fit[i].v);
            free(p);
        }
    }
    p = bstr_of_len(10, 0);
    assert_int_equal(nansen_qr_version_of_token(p, 0, NANSEN_QR_ECC_M, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_qr_version_of_token(p, 10, (nansen_qr_ecc)9,
                                                &v),
                     NANSEN_ERR_INVALID_ARG);
    free(p);
}

/* NULL where the prototype says non-null: INVALID_ARG, not a crash. The
 * calls go through plain function pointers, which carry no nonnull
 * attribute (as in test_key.c). */
static void test_null_args(void **state)
{
    nansen_err (*b45e)(char *, size_t *, const uint8_t *, size_t) =
        nansen_base45_encode;
    nansen_err (*b45d)(uint8_t *, size_t *, const char *, size_t) =
        nansen_base45_decode;
    nansen_err (*fenc)(char *, size_t *, const uint8_t *, size_t,
                       unsigned int) = nansen_frame_encode;
    nansen_err (*fdec)(uint8_t *, size_t *, nansen_frame_kind *,
                       const char *, size_t, unsigned int) =
        nansen_frame_decode;
    nansen_err (*need)(const char *, size_t, nansen_qr_ecc, int *) =
        nansen_qr_version_needed;
    nansen_err (*tok)(const uint8_t *, size_t, nansen_qr_ecc, int *) =
        nansen_qr_version_of_token;
    static const uint8_t ab[2] = { 'A', 'B' };
    char t[8];
    uint8_t b[8];
    size_t n = sizeof b;
    int v = 7;

    (void)state;
    assert_int_equal(b45e(t, NULL, ab, 2), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(b45d(b, NULL, "BB8", 3), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(fenc(t, NULL, ab, 2, 0), NANSEN_ERR_INVALID_ARG);
    n = sizeof t;
    assert_int_equal(fenc(t, &n, NULL, 2, 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(n, sizeof t);
    assert_int_equal(fdec(b, NULL, NULL, "NS1:00", 6, 0),
                     NANSEN_ERR_INVALID_ARG);
    n = sizeof b;
    assert_int_equal(fdec(b, &n, NULL, NULL, 6, 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(n, sizeof b);
    /* no text at all: no prefix */
    assert_int_equal(fdec(b, &n, NULL, NULL, 0, 0), NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(n, 0);
    assert_int_equal(need(NULL, 5, NANSEN_QR_ECC_L, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(need("ABCDE", 5, NANSEN_QR_ECC_L, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(tok(NULL, 1, NANSEN_QR_ECC_L, &v),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(tok(ab, 1, NANSEN_QR_ECC_L, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(v, 7);
}

/* ---- EU DCC test vectors ---- */

static int json_true(const cJSON *results, const char *name)
{
    const cJSON *b = cJSON_GetObjectItem(results, name);

    return b == NULL || !cJSON_IsFalse(b);
}

/* One dgc-testdata 2DCode/raw/N.json: 1 when it decoded to the published
 * COSE, 2 when it failed as its EXPECTEDRESULTS say it must, 0 when it
 * has no PREFIX to read. Anything else fails the test. */
static int check_dcc(const char *rel)
{
    cJSON *j = tu_vector_json(rel), *res;
    const char *prefix, *cose_hex, *zhex;
    uint8_t *out = NULL, *cose, *zexp, *zgot;
    size_t out_len, cose_len, zlen, zgot_len;
    int should_pass;
    nansen_frame_kind kind = (nansen_frame_kind)0;
    nansen_err err;

    assert_non_null(j);
    res = cJSON_GetObjectItem(j, "EXPECTEDRESULTS");
    prefix = cJSON_GetStringValue(cJSON_GetObjectItem(j, "PREFIX"));
    cose_hex = cJSON_GetStringValue(cJSON_GetObjectItem(j, "COSE"));
    zhex = cJSON_GetStringValue(cJSON_GetObjectItem(j, "COMPRESSED"));
    if (prefix == NULL) {
        print_message("%s: no PREFIX, skipped\n", rel);
        cJSON_Delete(j);
        return 0;
    }
    should_pass = json_true(res, "EXPECTEDUNPREFIX") &&
                  json_true(res, "EXPECTEDB45DECODE") &&
                  json_true(res, "EXPECTEDCOMPRESSION") &&
                  json_true(res, "EXPECTEDDECOMPRESSION") &&
                  json_true(res, "EXPECTEDDECODE");
    err = decode(prefix, strlen(prefix), NANSEN_FRAME_ALLOW_HC1, &out,
                 &out_len, &kind);
    if (!should_pass) {
        print_message("%s: expected to fail, got %s\n", rel,
                      nansen_err_name(err));
        assert_int_not_equal(err, NANSEN_OK);
        cJSON_Delete(j);
        return 2;
    }
    if (err != NANSEN_OK)
        fail_msg("%s: %s", rel, nansen_err_name(err));
    assert_int_equal(kind, NANSEN_FRAME_HC1);
    /* without the flag it is not ours */
    assert_int_equal(decode_status(prefix, strlen(prefix), 0),
                     NANSEN_ERR_WRONG_TYPE);
    if (cose_hex != NULL) {
        cose = tu_hex(cose_hex, &cose_len);
        assert_int_equal(out_len, cose_len);
        assert_memory_equal(out, cose, cose_len);
        free(cose);
    }
    if (zhex != NULL) {
        /* the Base45 step alone gives the published zlib bytes */
        zexp = tu_hex(zhex, &zlen);
        zgot_len = strlen(prefix);
        zgot = malloc(zgot_len);
        assert_non_null(zgot);
        assert_int_equal(nansen_base45_decode(zgot, &zgot_len, prefix + 4,
                                              strlen(prefix) - 4),
                         NANSEN_OK);
        assert_int_equal(zgot_len, zlen);
        assert_memory_equal(zgot, zexp, zlen);
        free(zgot);
        free(zexp);
    }
    free(out);
    cJSON_Delete(j);
    return 1;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in a directory (sorted, malloc'd); *n their number. */
static char **list_dir(const char *path, size_t *n)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t cap = 0;

    *n = 0;
    if (d == NULL)
        return NULL;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            names = realloc(names, cap * sizeof *names);
            assert_non_null(names);
        }
        names[*n] = malloc(strlen(e->d_name) + 1);
        assert_non_null(names[*n]);
        strcpy(names[(*n)++], e->d_name);
    }
    closedir(d);
    if (*n > 0)
        qsort(names, *n, sizeof *names, name_cmp);
    return names;
}

static void test_dcc_vectors(void **state)
{
    const char *dir;
    char path[4096], rel[512];
    char **countries, **files;
    size_t nc, nf, i, k, counts[3] = { 0, 0, 0 };

    (void)state;
    TU_REQUIRE_VECTORS(dir);
    snprintf(path, sizeof path, "%s/dgc-testdata", dir);
    countries = list_dir(path, &nc);
    assert_true(nc > 0);
    for (i = 0; i < nc; i++) {
        snprintf(path, sizeof path, "%s/dgc-testdata/%s/2DCode/raw", dir,
                 countries[i]);
        files = list_dir(path, &nf);
        for (k = 0; k < nf; k++) {
            size_t l = strlen(files[k]);

            if (l > 5 && strcmp(files[k] + l - 5, ".json") == 0) {
                snprintf(rel, sizeof rel, "dgc-testdata/%s/2DCode/raw/%s",
                         countries[i], files[k]);
                counts[check_dcc(rel)]++;
            }
            free(files[k]);
        }
        free(files);
        free(countries[i]);
    }
    free(countries);
    print_message("EU DCC: %zu HC1 vectors decoded to their COSE, %zu failed "
                  "as expected, %zu skipped\n", counts[1], counts[2],
                  counts[0]);
    assert_true(counts[1] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base45_rfc9285),
        cmocka_unit_test(test_base45_malformed),
        cmocka_unit_test(test_base45_buffers),
        cmocka_unit_test(test_base45_round_trip),
        cmocka_unit_test(test_base45_all_groups),
        cmocka_unit_test(test_frame_round_trip),
        cmocka_unit_test(test_frame_encode_args),
        cmocka_unit_test(test_frame_prefixes),
        cmocka_unit_test(test_frame_bad_text),
        cmocka_unit_test(test_frame_cbor),
        cmocka_unit_test(test_frame_zlib_faults),
        cmocka_unit_test(test_frame_limits),
        cmocka_unit_test(test_frame_buffers),
        cmocka_unit_test(test_qr_capacity_boundaries),
        cmocka_unit_test(test_qr_version_sampled),
        cmocka_unit_test(test_qr_version_edges),
        cmocka_unit_test(test_qr_version_of_token),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_dcc_vectors),
    };
    return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
