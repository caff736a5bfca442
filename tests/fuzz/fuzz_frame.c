/* fuzz_frame.c - the QR framing and the QR budget on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak, read out of bounds or inflate past the limit,
 * and must stay consistent:
 *  - the input as text, with and without NANSEN_FRAME_ALLOW_HC1: the
 *    flag changes only what starts with "HC1:"; the size query and the
 *    decode agree; a failure leaves a zeroed buffer and length 0; what
 *    comes out is one CBOR item of at most NANSEN_FRAME_MAX_PAYLOAD bytes.
 *    An NS frame that decodes re-frames: NS1: texts are canonical (strict
 *    Base45), so framing the payload without zlib gives the text back,
 *    and so does the default framing whenever it picks NS1: too; NS1Z:
 *    texts are not (zlib streams are not unique), so only the payload is
 *    compared after a round trip.
 *  - the input as a payload: framed and unframed, it comes back exactly
 *    when it is one CBOR item, else with the checker's status.
 *  - the input as QR text: the version needed never shrinks from level L
 *    to H.
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"
#include "internal/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            abort();                                                        \
    } while (0)

#define CBOR_FLAGS (NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM)

/* Decode with flags; the payload (malloc'd) on NANSEN_OK. */
static nansen_err unframe(const char *text, size_t len, unsigned int flags,
                          uint8_t **out, size_t *out_len,
                          nansen_frame_kind *kind)
{
    size_t need = 777, n;
    uint8_t *buf, small[4];
    nansen_err err;

    *out = NULL;
    *out_len = 0;
    err = nansen_frame_decode(NULL, &need, kind, text, len, flags);
    if (err != NANSEN_OK) {
        CHECK(need == 0);
        memset(small, 0xa5, sizeof small);
        n = sizeof small;
        CHECK(nansen_frame_decode(small, &n, NULL, text, len, flags) == err);
        CHECK(n == 0 && small[0] == 0 && small[3] == 0);
        return err;
    }
    CHECK(need > 0 && need <= NANSEN_FRAME_MAX_PAYLOAD);
    buf = malloc(need);
    CHECK(buf != NULL);
    n = need - 1;
    CHECK(nansen_frame_decode(buf, &n, NULL, text, len, flags) ==
          NANSEN_ERR_BUFFER_TOO_SMALL && n == need);
    n = need;
    CHECK(nansen_frame_decode(buf, &n, NULL, text, len, flags) ==
          NANSEN_OK && n == need);
    CHECK(nansen_cbor_check(buf, n, CBOR_FLAGS) == NANSEN_OK);
    *out = buf;
    *out_len = n;
    return NANSEN_OK;
}

/* Frame with flags into a malloc'd NUL-terminated text. */
static char *frame(const uint8_t *p, size_t n, unsigned int flags,
                   size_t *len)
{
    size_t need = 0;
    char *t;
    nansen_err err = nansen_frame_encode(NULL, &need, p, n, flags);

    if (err == NANSEN_ERR_NOMEM)
        return NULL;
    CHECK(err == NANSEN_OK);
    t = malloc(need);
    CHECK(t != NULL);
    err = nansen_frame_encode(t, &need, p, n, flags);
    if (err == NANSEN_ERR_NOMEM) {
        free(t);
        return NULL;
    }
    CHECK(err == NANSEN_OK && strlen(t) == need - 1);
    *len = need - 1;
    return t;
}

static void as_text(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    uint8_t *p0, *p1, *p2;
    size_t n0, n1, n2, tlen;
    nansen_frame_kind k0 = (nansen_frame_kind)0, k1 = (nansen_frame_kind)0;
    nansen_err e0, e1;
    int hc1 = size >= 4 && memcmp(text, "HC1:", 4) == 0;
    int ns1 = size >= 4 && memcmp(text, "NS1:", 4) == 0;
    char *t;

    e0 = unframe(text, size, 0, &p0, &n0, &k0);
    e1 = unframe(text, size, NANSEN_FRAME_ALLOW_HC1, &p1, &n1, &k1);
    if (hc1) {
        CHECK(e0 == NANSEN_ERR_WRONG_TYPE);
        CHECK(e1 != NANSEN_OK || k1 == NANSEN_FRAME_HC1);
    } else {
        CHECK(e0 == e1);
        if (e0 == NANSEN_OK)
            CHECK(k0 == NANSEN_FRAME_NANSEN && k1 == NANSEN_FRAME_NANSEN &&
                  n0 == n1 && memcmp(p0, p1, n0) == 0);
    }
    if (e0 == NANSEN_OK) {
        /* without zlib: the same text for NS1:, the same payload always */
        t = frame(p0, n0, NANSEN_FRAME_NO_ZLIB, &tlen);
        if (t != NULL) {
            if (ns1)
                CHECK(tlen == size && memcmp(t, text, size) == 0);
            CHECK(unframe(t, tlen, 0, &p2, &n2, NULL) == NANSEN_OK);
            CHECK(n2 == n0 && memcmp(p2, p0, n0) == 0);
            free(p2);
            free(t);
        }
        /* the default framing */
        t = frame(p0, n0, 0, &tlen);
        if (t != NULL) {
            if (ns1 && memcmp(t, "NS1:", 4) == 0)
                CHECK(tlen == size && memcmp(t, text, size) == 0);
            CHECK(unframe(t, tlen, 0, &p2, &n2, NULL) == NANSEN_OK);
            CHECK(n2 == n0 && memcmp(p2, p0, n0) == 0);
            free(p2);
            free(t);
        }
    }
    free(p0);
    free(p1);
}

static void as_payload(const uint8_t *data, size_t size)
{
    size_t item = 0, tlen, n;
    nansen_err want;
    uint8_t *p;
    char *t;
    int flags;

    if (size == 0 || size > NANSEN_FRAME_MAX_PAYLOAD)
        return;
    want = nansen__cbor_check_prefix(data, size, CBOR_FLAGS, &item);
    if (want == NANSEN_OK && item != size)
        want = NANSEN_ERR_TRAILING_DATA;
    for (flags = 0; flags <= 1; flags++) {
        t = frame(data, size, (unsigned int)flags, &tlen);
        if (t == NULL)
            continue;
        CHECK(memcmp(t, flags ? "NS1:" : "NS1", flags ? 4 : 3) == 0);
        CHECK(unframe(t, tlen, 0, &p, &n, NULL) == want);
        if (want == NANSEN_OK)
            CHECK(n == size && memcmp(p, data, size) == 0);
        free(p);
        free(t);
    }
}

static void as_qr_text(const uint8_t *data, size_t size)
{
    int v, prev = 0, ecc;
    nansen_err err;

    if (size == 0)
        return;
    for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++) {
        v = 0;
        err = nansen_qr_version_needed((const char *)data, size,
                                       (nansen_qr_ecc)ecc, &v);
        CHECK(err == (v <= 40 ? NANSEN_OK : NANSEN_ERR_QR_BUDGET));
        CHECK(v >= 1 && v <= 41 && v >= prev);
        prev = v;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_text(data, size);
    as_payload(data, size);
    as_qr_text(data, size);
    return 0;
}
