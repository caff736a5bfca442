/* read.c - find and decode QR codes in images, through zbar.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * zbar is told to look for QR codes only and to hand back the raw bytes
 * of byte-mode segments (ZBAR_CFG_BINARY) rather than text it converted
 * with iconv, so that what comes out is exactly what was encoded. When a
 * scan finds nothing, the image is scanned again with its colours
 * inverted (light modules on a dark ground, as some screens show them),
 * then at half size, a quarter and so on while the sides stay at least
 * PYRAMID_MIN_SIDE pixels: zbar's finder misses the thick, blurred modules
 * of an out-of-focus close-up, which it finds once they are smaller. Each
 * retry runs only when the scans before it found nothing, so a good image
 * costs one scan, and an image without a code about 2.3 scans.
 */
#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "internal/internal.h"
#include "internal/image.h"

/* Smallest side of a downscaled image that is still scanned: a version 1
 * code with its quiet zone needs about 60 pixels. */
#define PYRAMID_MIN_SIDE 160u

typedef struct qr_code {
    char *text;           /* len bytes and a NUL */
    size_t len;
} qr_code;

struct nansen_qr_codes {
    qr_code *codes;
    size_t count;
    size_t cap;
};

void nansen_qr_codes_free(nansen_qr_codes *codes)
{
    size_t i;

    if (codes == NULL)
        return;
    for (i = 0; i < codes->count; i++)
        free(codes->codes[i].text);
    free(codes->codes);
    free(codes);
}

size_t nansen_qr_codes_count(const nansen_qr_codes *codes)
{
    return codes == NULL ? 0 : codes->count;
}

const char *nansen_qr_codes_text(const nansen_qr_codes *codes, size_t i,
                                 size_t *len)
{
    if (codes == NULL || i >= codes->count) {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = codes->codes[i].len;
    return codes->codes[i].text;
}

static nansen_err codes_add(nansen_qr_codes *codes, const char *data,
                            size_t len)
{
    char *text;

    if (codes->count == codes->cap) {
        size_t cap = codes->cap == 0 ? 4 : 2 * codes->cap;
        qr_code *grown = realloc(codes->codes, cap * sizeof *grown);

        if (grown == NULL)
            return NANSEN_ERR_NOMEM;
        codes->codes = grown;
        codes->cap = cap;
    }
    if (len == SIZE_MAX || (text = malloc(len + 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    if (len > 0)
        memcpy(text, data, len);
    text[len] = '\0';
    codes->codes[codes->count].text = text;
    codes->codes[codes->count].len = len;
    codes->count++;
    return NANSEN_OK;
}

static zbar_image_scanner_t *scanner_create(void)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();

    if (sc == NULL)
        return NULL;
    /* A failing set_config would only mean a zbar without that option:
     * QR stays enabled, and text may then come through iconv. */
    (void)zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    (void)zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    (void)zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    return sc;
}

/* Scan once; every QR symbol found is added to codes. */
static nansen_err scan(nansen_qr_codes *codes, zbar_image_scanner_t *sc,
                       const uint8_t *pixels, uint32_t width,
                       uint32_t height)
{
    const zbar_symbol_t *sym;
    zbar_image_t *img;
    nansen_err err = NANSEN_OK;

    if ((img = zbar_image_create()) == NULL)
        return NANSEN_ERR_NOMEM;
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, width, height);
    /* no cleanup handler: zbar must never free the caller's pixels */
    zbar_image_set_data(img, pixels, (unsigned long)width * height, NULL);
    if (zbar_scan_image(sc, img) < 0) {
        err = NANSEN_ERR_NOMEM;     /* zbar fails only to allocate here */
        goto out;
    }
    for (sym = zbar_image_first_symbol(img); sym != NULL;
         sym = zbar_symbol_next(sym)) {
        if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
            continue;
        err = codes_add(codes, zbar_symbol_get_data(sym),
                        zbar_symbol_get_data_length(sym));
        if (err != NANSEN_OK)
            goto out;
    }
out:
    zbar_image_destroy(img);
    return err;
}

/* dst = src with every pixel v turned to 255 - v. */
static void invert(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        dst[i] = (uint8_t)(255u - src[i]);
}

/* dst (w/2 x h/2) = src averaged over 2x2 blocks. dst may be src: each
 * output pixel is written after its block is read, and before any pixel
 * still to be read. */
static void half(uint8_t *dst, const uint8_t *src, uint32_t w, uint32_t h)
{
    uint32_t x, y, hw = w / 2, hh = h / 2;

    for (y = 0; y < hh; y++) {
        const uint8_t *a = src + (size_t)2 * y * w;
        const uint8_t *b = a + w;

        for (x = 0; x < hw; x++)
            dst[(size_t)y * hw + x] =
                (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] +
                           b[2 * x + 1] + 2u) / 4u);
    }
}

static nansen_err read_pixels(nansen_qr_codes **out, const uint8_t *pixels,
                              uint32_t width, uint32_t height)
{
    nansen_qr_codes *codes;
    zbar_image_scanner_t *sc;
    uint8_t *tmp = NULL;
    const uint8_t *src = pixels;
    size_t n = (size_t)width * height;
    nansen_err err;

    if ((codes = calloc(1, sizeof *codes)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((sc = scanner_create()) == NULL) {
        free(codes);
        return NANSEN_ERR_NOMEM;
    }
    err = scan(codes, sc, pixels, width, height);
    if (err == NANSEN_OK && codes->count == 0) {
        if ((tmp = malloc(n)) == NULL) {
            err = NANSEN_ERR_NOMEM;
        } else {
            invert(tmp, pixels, n);
            err = scan(codes, sc, tmp, width, height);
        }
    }
    while (err == NANSEN_OK && codes->count == 0 &&
           width / 2 >= PYRAMID_MIN_SIDE && height / 2 >= PYRAMID_MIN_SIDE) {
        half(tmp, src, width, height);
        src = tmp;
        width /= 2;
        height /= 2;
        err = scan(codes, sc, tmp, width, height);
    }
    free(tmp);
    zbar_image_scanner_destroy(sc);
    if (err == NANSEN_OK && codes->count == 0)
        err = NANSEN_ERR_NO_CODE;
    if (err != NANSEN_OK) {
        nansen_qr_codes_free(codes);
        return err;
    }
    *out = codes;
    return NANSEN_OK;
}

nansen_err nansen_qr_read_gray(nansen_qr_codes **out, const uint8_t *pixels,
                               uint32_t width, uint32_t height)
{
    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(pixels != NULL);
    if (!nansen__image_size_ok(width, height))
        return NANSEN_ERR_BAD_IMAGE;
    return read_pixels(out, pixels, width, height);
}

nansen_err nansen_qr_read_image(nansen_qr_codes **out, const uint8_t *file,
                                size_t file_len)
{
    uint8_t *pixels = NULL;
    uint32_t width = 0, height = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(file != NULL);
    err = nansen__image_decode(file, file_len, &pixels, &width, &height);
    if (err != NANSEN_OK)
        return err;
    err = read_pixels(out, pixels, width, height);
    free(pixels);
    return err;
}
