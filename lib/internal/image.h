/* image.h - image files to grey pixels, for the QR reader (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * PNG (libpng), JPEG (libjpeg), binary PGM (P5) and PPM (P6), told apart
 * by their first bytes, decoded from memory into 8-bit grey: colour by
 * ITU-R BT.601 luma (299 R + 587 G + 114 B) / 1000, alpha composited on
 * white, 16-bit and other maxvals scaled to 0..255. spec/qr.md says what
 * is refused.
 */
#ifndef NANSEN_INTERNAL_IMAGE_H
#define NANSEN_INTERNAL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/error.h"
#include "nansen/qr.h"

/* Largest file read (the pixel bound is NANSEN_QR_MAX_PIXELS). */
#define NANSEN__IMAGE_MAX_FILE_BYTES NANSEN_QR_MAX_FILE_BYTES

/* Most scans a progressive JPEG may have: past it decoding is refused, as
 * each scan walks the whole image again (a known way to make a tiny file
 * cost minutes). */
#define NANSEN__JPEG_MAX_SCANS 256

/* 1 if width x height is a size the reader accepts: both at least 1 and
 * the product at most NANSEN_QR_MAX_PIXELS (computed without overflow). */
int nansen__image_size_ok(uint32_t width, uint32_t height);

/* Decode an image file into grey pixels, width * height bytes row after
 * row, in a malloc'd buffer the caller frees.
 * Returns NANSEN_OK, NANSEN_ERR_BAD_IMAGE (unknown magic, corrupt or
 * truncated, size out of bounds) or NANSEN_ERR_NOMEM; on failure *pixels
 * is NULL and the sizes 0. */
nansen_err nansen__image_decode(const uint8_t *file, size_t file_len,
                                uint8_t **pixels, uint32_t *width,
                                uint32_t *height);

/* The decoders one by one (file starts with the right magic). */
nansen_err nansen__image_decode_png(const uint8_t *file, size_t file_len,
                                    uint8_t **pixels, uint32_t *width,
                                    uint32_t *height);
nansen_err nansen__image_decode_jpeg(const uint8_t *file, size_t file_len,
                                     uint8_t **pixels, uint32_t *width,
                                     uint32_t *height);
nansen_err nansen__image_decode_pnm(const uint8_t *file, size_t file_len,
                                    uint8_t **pixels, uint32_t *width,
                                    uint32_t *height);

#endif /* NANSEN_INTERNAL_IMAGE_H */
