/* qr.h - QR encoding and text output shared by the renderers (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_INTERNAL_QR_H
#define NANSEN_INTERNAL_QR_H

#include <stddef.h>
#include <stdint.h>

#include <qrencode.h>

#include "nansen/error.h"
#include "nansen/frame.h"

/* Text written into a caller's buffer of cap bytes, or only measured when
 * buf is NULL: len counts every byte put, written or not, so one pass
 * with buf NULL gives the size and a second one writes. */
typedef struct nansen__text_sink {
    char *buf;
    size_t cap;
    size_t len;
} nansen__text_sink;

void nansen__sink_put(nansen__text_sink *s, const char *p, size_t n);
void nansen__sink_puts(nansen__text_sink *s, const char *p);
/* Decimal, no sign, no locale. */
void nansen__sink_putu(nansen__text_sink *s, unsigned long v);

/* Encode text at the smallest version (1-40) that holds it at ecc, with
 * libqrencode's mode optimisation (numeric, alphanumeric and byte
 * segments); a text with a NUL inside goes in byte mode whole.
 * Returns NANSEN_OK (*qr freed with QRcode_free), NANSEN_ERR_INVALID_ARG
 * (empty text, unknown ecc), NANSEN_ERR_QR_BUDGET (more than version 40
 * holds), NANSEN_ERR_NOMEM; *qr is NULL on failure. */
nansen_err nansen__qr_encode(QRcode **qr, const char *text, size_t text_len,
                             nansen_qr_ecc ecc);

/* SVG path data of the dark modules, in module units, shifted by margin
 * modules: one "M x y h n v 1 h -n z" rectangle per horizontal run. */
void nansen__qr_svg_path(nansen__text_sink *s, const QRcode *qr, int margin);

#endif /* NANSEN_INTERNAL_QR_H */
