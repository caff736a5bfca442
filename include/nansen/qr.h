/* nansen/qr.h - QR codes on screen and on paper: render, read, print.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Rendering goes through libqrencode (PNG through libpng, SVG, and UTF-8
 * half blocks for a terminal); reading goes through zbar, from PNG, JPEG,
 * PGM and PPM files or from a grey-scale pixel buffer. A printable consent
 * card (A6, SVG) carries a grant's QR code and a summary in the holder's
 * language, for people without a smartphone. The text put in a code is
 * normally a framed token (nansen/frame.h).
 */
#ifndef NANSEN_QR_H
#define NANSEN_QR_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nansen_qr_format {
    NANSEN_QR_PNG      = 1,       /* 8-bit grey PNG */
    NANSEN_QR_SVG      = 2,       /* one path, black on white */
    NANSEN_QR_TERMINAL = 3        /* UTF-8 half blocks, two rows a line;
                                     light modules are drawn as blocks, so
                                     the code shows dark on light on the
                                     usual light-on-dark terminal, and
                                     inverted on a light theme */
} nansen_qr_format;

/* Defaults: 4 modules of quiet zone (ISO/IEC 18004), 8 pixels a module. */
#define NANSEN_QR_DEFAULT_MARGIN 4
#define NANSEN_QR_DEFAULT_SCALE  8

/** Render text as a QR code.
 *
 *  The text is encoded as one segment (as nansen_qr_version_needed
 *  counts) and with libqrencode's own segmentation; the smaller version
 *  is kept, so a code never needs more than the QR budget said.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG (empty text, unknown format or
 *           level, scale outside 1..64, margin outside 0..16),
 *           NANSEN_ERR_QR_BUDGET (the text does not fit version 40),
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: the PNG bytes, or the SVG or terminal text with a NUL
 *                (counted in *out_len); NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      text, text_len: what the code holds (bytes; framed tokens are
 *           alphanumeric).
 *           ecc: the error-correction level.
 *           format: PNG, SVG or terminal.
 *           scale: pixels (PNG) or user units (SVG) a module, 0 for the
 *           default; checked but not used for the terminal.
 *           margin: quiet zone in modules, -1 for the default.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_qr_render(
    uint8_t *out, size_t *out_len, const char *text, size_t text_len,
    nansen_qr_ecc ecc, nansen_qr_format format, int scale, int margin)
    NANSEN_NONNULL(2, 3);

/** A printable consent card: an A6 (105 x 148 mm) SVG with the grant's
 *  QR code (framed, level Q unless ecc says otherwise) and, in the
 *  language lang, the consent notice of the grant (issuer, clinic,
 *  purpose, data categories, validity, and how to withdraw) laid out for
 *  reading on paper; right-to-left languages are set right-aligned with
 *  direction="rtl". The grant is decoded, not verified.
 *
 *  Returns: NANSEN_OK (also for a size query), NANSEN_ERR_BUFFER_TOO_SMALL,
 *           NANSEN_ERR_INVALID_ARG (no notice template for lang, bad ecc,
 *           grant fields the notice refuses, e.g. dates past 9999),
 *           the errors of nansen_grant_decode, NANSEN_ERR_QR_BUDGET,
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: UTF-8 SVG with a NUL, or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, with NUL.
 *  In:      grant, grant_len: the encoded consent grant.
 *           lang: BCP 47 tag of a vocabulary language.
 *           ecc: NANSEN_QR_ECC_DEFAULT for NANSEN_QR_PRINT_ECC.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_card_svg(
    nansen_ctx *ctx, char *out, size_t *out_len, const uint8_t *grant,
    size_t grant_len, const char *lang, nansen_qr_ecc ecc)
    NANSEN_NONNULL(1, 3, 4, 6);

/* ---- reading ---- */

typedef struct nansen_qr_codes nansen_qr_codes;   /* opaque */

/* Largest image read: 64 megapixels, and files of at most 64 MiB. */
#define NANSEN_QR_MAX_PIXELS     (64u * 1024u * 1024u)
#define NANSEN_QR_MAX_FILE_BYTES (64u * 1024u * 1024u)

/** Find and decode every QR code in an image file's bytes: PNG, JPEG,
 *  binary PGM (P5) or PPM (P6), told apart by their first bytes. Colour
 *  is turned to grey.
 *
 *  Returns: NANSEN_OK (at least one code found), NANSEN_ERR_NO_CODE (a
 *           readable image without a QR code), NANSEN_ERR_BAD_IMAGE (not an
 *           image of these formats, or a corrupt one, or past
 *           NANSEN_QR_MAX_PIXELS), NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out: the codes, freed with nansen_qr_codes_free; NULL on
 *           failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_qr_read_image(
    nansen_qr_codes **out, const uint8_t *file, size_t file_len)
    NANSEN_NONNULL(1, 2);

/** The same from 8-bit grey pixels, row after row (width * height bytes,
 *  0 black, 255 white).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_NO_CODE, NANSEN_ERR_BAD_IMAGE (a width
 *           or height of 0, or past NANSEN_QR_MAX_PIXELS, refused before
 *           the pixels are read), NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_qr_read_gray(
    nansen_qr_codes **out, const uint8_t *pixels, uint32_t width,
    uint32_t height) NANSEN_NONNULL(1, 2);

NANSEN_API void nansen_qr_codes_free(nansen_qr_codes *codes);

/** The number of codes found: every code of the first scan that finds
 *  any (the image as it is, then inverted, then smaller), in zbar's
 *  order. */
NANSEN_API size_t nansen_qr_codes_count(const nansen_qr_codes *codes);

/** The bytes of the i-th code (NUL-terminated for convenience; a code may
 *  itself contain NUL bytes, so use *len; len may be NULL), owned by
 *  codes; NULL past the end (and *len 0). */
NANSEN_API const char *nansen_qr_codes_text(const nansen_qr_codes *codes,
                                            size_t i, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_QR_H */
