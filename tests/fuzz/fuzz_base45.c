/* fuzz_base45.c - Base45 (RFC 9285) on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak or read out of bounds, and must stay consistent:
 *  - the input as text: the size query and the decode agree; a text that
 *    decodes re-encodes to itself (strict decoding makes Base45 a
 *    bijection); a failure leaves a zeroed buffer and length 0, and the
 *    status follows the rules (length 1 modulo 3 first);
 *  - the input as bytes: encodes to the RFC's length in the alphabet and
 *    decodes back to itself.
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"
#include "internal/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            abort();                                                        \
    } while (0)

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static int in_alphabet(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] == 0 || strchr(alphabet, p[i]) == NULL)
            return 0;
    return 1;
}

static void as_text(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t need = 12345, n, m, i;
    uint8_t *out;
    char *back;
    nansen_err err;

    err = nansen_base45_decode(NULL, &need, text, size);
    if (size % 3 == 1)
        CHECK(err == NANSEN_ERR_BAD_LENGTH);
    else if (!in_alphabet(data, size))
        CHECK(err == NANSEN_ERR_BAD_ENCODING ||
              err == NANSEN_ERR_OUT_OF_RANGE);
    else
        CHECK(err == NANSEN_OK || err == NANSEN_ERR_OUT_OF_RANGE);

    n = (err == NANSEN_OK ? need : 0) + 8;
    out = malloc(n);
    CHECK(out != NULL);
    memset(out, 0xa5, n);
    m = n;
    CHECK(nansen_base45_decode(out, &m, text, size) == err);
    if (err != NANSEN_OK) {
        CHECK(need == 0 && m == 0);
        for (i = 0; i < n; i++)
            CHECK(out[i] == 0);
        free(out);
        return;
    }
    CHECK(m == need && need == size / 3 * 2 + (size % 3 == 2));
    if (need > 0) {
        m = need - 1;
        CHECK(nansen_base45_decode(out, &m, text, size) ==
              NANSEN_ERR_BUFFER_TOO_SMALL && m == need);
        m = need;
        CHECK(nansen_base45_decode(out, &m, text, size) == NANSEN_OK);
    }
    /* re-encodes to the very same text */
    back = malloc(size + 1);
    CHECK(back != NULL);
    n = size + 1;
    CHECK(nansen_base45_encode(back, &n, out, m) == NANSEN_OK);
    CHECK(n == size + 1 && back[size] == '\0');
    CHECK(memcmp(back, text, size) == 0);
    free(back);
    free(out);
}

static void as_bytes(const uint8_t *data, size_t size)
{
    size_t need = 0, n, m;
    char *text;
    uint8_t *back;

    CHECK(nansen_base45_encode(NULL, &need, data, size) == NANSEN_OK);
    CHECK(need == size / 2 * 3 + size % 2 * 2 + 1);
    CHECK(need - 1 == nansen__base45_encoded_len(size));
    text = malloc(need);
    CHECK(text != NULL);
    n = need - 1;
    CHECK(nansen_base45_encode(text, &n, data, size) ==
          NANSEN_ERR_BUFFER_TOO_SMALL && n == need);
    CHECK(nansen_base45_encode(text, &n, data, size) == NANSEN_OK);
    CHECK(n == need && text[need - 1] == '\0');
    CHECK(in_alphabet((const uint8_t *)text, need - 1));
    back = malloc(size + 1);
    CHECK(back != NULL);
    m = size + 1;
    CHECK(nansen_base45_decode(back, &m, text, need - 1) == NANSEN_OK);
    CHECK(m == size && memcmp(back, data, size) == 0);
    free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_text(data, size);
    as_bytes(data, size);
    return 0;
}
