/* fuzz_image.c - the image decoders and the QR reader on any bytes.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak, read out of bounds or allocate for a size the
 * file only claims, and must stay consistent:
 *  - the decoder gives NANSEN_OK with a size within NANSEN_QR_MAX_PIXELS
 *    and every pixel readable, or BAD_IMAGE / NOMEM with nothing;
 *  - nansen_qr_read_image fails exactly as the decoder does, and else
 *    gives codes (each NUL-terminated at its length) or NO_CODE.
 * Seeds (tests/fuzz/corpus/fuzz_image/) are tiny QR codes in every
 * format and variant read: PNG grey 1/8/16-bit, Adam7, palette with
 * tRNS, RGBA, grey+alpha; JPEG grey, colour progressive, CMYK; PGM and
 * PPM with 8- and 16-bit samples.
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"
#include "internal/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            abort();                                                        \
    } while (0)

/* Larger decoded images are checked through the decoder only: zbar is
 * not the code under test, and scanning megapixels would slow the run. */
#define SCAN_MAX_PIXELS (1u << 20)

static volatile uint32_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_qr_codes *codes = (nansen_qr_codes *)&codes;
    uint8_t *pixels = (uint8_t *)&pixels;
    uint32_t w = 1, h = 1, sum = 0;
    nansen_err derr, err;
    size_t i, n, len;

    derr = nansen__image_decode(data, size, &pixels, &w, &h);
    if (derr != NANSEN_OK) {
        CHECK(derr == NANSEN_ERR_BAD_IMAGE || derr == NANSEN_ERR_NOMEM);
        CHECK(pixels == NULL && w == 0 && h == 0);
    } else {
        CHECK(pixels != NULL && nansen__image_size_ok(w, h));
        for (i = 0; i < (size_t)w * h; i++)
            sum += pixels[i];          /* every pixel is there */
        free(pixels);
        sink = sum;
        if ((size_t)w * h > SCAN_MAX_PIXELS)
            return 0;
    }

    err = nansen_qr_read_image(&codes, data, size);
    if (derr != NANSEN_OK && derr != NANSEN_ERR_NOMEM)
        CHECK(err == derr);
    if (err != NANSEN_OK) {
        CHECK(err == NANSEN_ERR_NO_CODE || err == NANSEN_ERR_BAD_IMAGE ||
              err == NANSEN_ERR_NOMEM);
        CHECK(codes == NULL);
        return 0;
    }
    n = nansen_qr_codes_count(codes);
    CHECK(n >= 1);
    for (i = 0; i < n; i++) {
        const char *t = nansen_qr_codes_text(codes, i, &len);

        CHECK(t != NULL && t[len] == '\0');
    }
    CHECK(nansen_qr_codes_text(codes, n, &len) == NULL && len == 0);
    nansen_qr_codes_free(codes);
    return 0;
}
