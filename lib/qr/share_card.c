/* share_card.c - the printable card of a recovery share, for a guardian:
 * an A6 SVG with the share's QR code and what the guardian must know.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The layout follows the consent card (card.c): lengths in tenths of a
 * millimetre printed as integers, never through printf's %f. The text is
 * fixed English, broken into lines here, as an SVG 1.1 viewer does not
 * wrap.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/internal.h"
#include "internal/qr.h"
#include "internal/recovery.h"

#define PAGE_W     1050
#define PAGE_H     1480
#define EDGE       80
#define TITLE_Y    150
#define TITLE_SIZE 56
#define QR_SIZE    640
#define QR_X       ((PAGE_W - QR_SIZE) / 2)
#define QR_Y       200
#define QR_MARGIN  4
#define LINE1_Y    960            /* "Recovery share x of n" */
#define LINE1_SIZE 56
#define LINE2_Y    1040           /* "k needed" */
#define LINE2_SIZE 44
#define INFO_Y     1120           /* wallet and date */
#define INFO_SIZE  34
#define NOTE_Y     1220           /* the guardian's duty */
#define NOTE_SIZE  32
#define NOTE_LEAD  44

#define FONTS "'Noto Sans', sans-serif"

static const char *const NOTE[] = {
    "Keep this card safe and private. Do not copy",
    "it or show it to anyone. Give it back only to",
    "the person it belongs to, in person, when they",
    "ask for it to recover their wallet.",
};

struct share_card {
    char x[4], n[4], k[4];
    char wallet[9];               /* first 8 hex digits of the wallet id */
    char date[11];                /* YYYY-MM-DD, UTC */
    const QRcode *qr;
};

static void put_mm(nansen__text_sink *s, unsigned tenths)
{
    char frac[2];

    nansen__sink_putu(s, tenths / 10);
    if (tenths % 10 != 0) {
        frac[0] = '.';
        frac[1] = (char)('0' + tenths % 10);
        nansen__sink_put(s, frac, 2);
    }
}

static void open_text(nansen__text_sink *s, unsigned y, unsigned size,
                      const char *extra)
{
    nansen__sink_puts(s, "<text x=\"");
    put_mm(s, EDGE);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, y);
    nansen__sink_puts(s, "\" font-size=\"");
    put_mm(s, size);
    nansen__sink_puts(s, "\"");
    nansen__sink_puts(s, extra);
    nansen__sink_puts(s, ">");
}

static void put_card(nansen__text_sink *s, const struct share_card *c)
{
    unsigned long m = (unsigned long)(c->qr->width + 2 * QR_MARGIN);
    size_t i;

    nansen__sink_puts(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                         "version=\"1.1\" width=\"105mm\" height=\"148mm\" "
                         "viewBox=\"0 0 105 148\" font-family=\"" FONTS
                         "\" xml:lang=\"en\">\n<title>Nansen \xc2\xb7 "
                         "Recovery share ");
    nansen__sink_puts(s, c->x);
    nansen__sink_puts(s, " of ");
    nansen__sink_puts(s, c->n);
    nansen__sink_puts(s, "</title>\n<rect width=\"105\" height=\"148\" "
                         "fill=\"#fff\"/>\n");
    open_text(s, TITLE_Y, TITLE_SIZE, " font-weight=\"bold\"");
    nansen__sink_puts(s, "Nansen \xc2\xb7 Wallet recovery</text>\n");

    nansen__sink_puts(s, "<svg x=\"");
    put_mm(s, QR_X);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, QR_Y);
    nansen__sink_puts(s, "\" width=\"");
    put_mm(s, QR_SIZE);
    nansen__sink_puts(s, "\" height=\"");
    put_mm(s, QR_SIZE);
    nansen__sink_puts(s, "\" viewBox=\"0 0 ");
    nansen__sink_putu(s, m);
    nansen__sink_puts(s, " ");
    nansen__sink_putu(s, m);
    nansen__sink_puts(s, "\" shape-rendering=\"crispEdges\">\n<rect width=\"");
    nansen__sink_putu(s, m);
    nansen__sink_puts(s, "\" height=\"");
    nansen__sink_putu(s, m);
    nansen__sink_puts(s, "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"");
    nansen__qr_svg_path(s, c->qr, QR_MARGIN);
    nansen__sink_puts(s, "\"/>\n</svg>\n");

    open_text(s, LINE1_Y, LINE1_SIZE, " font-weight=\"bold\"");
    nansen__sink_puts(s, "Recovery share ");
    nansen__sink_puts(s, c->x);
    nansen__sink_puts(s, " of ");
    nansen__sink_puts(s, c->n);
    nansen__sink_puts(s, "</text>\n");
    open_text(s, LINE2_Y, LINE2_SIZE, "");
    nansen__sink_puts(s, c->k);
    nansen__sink_puts(s, " shares needed to recover the wallet</text>\n");
    open_text(s, INFO_Y, INFO_SIZE, "");
    nansen__sink_puts(s, "Wallet ");
    nansen__sink_puts(s, "<tspan font-family=\"monospace\">");
    nansen__sink_puts(s, c->wallet);
    nansen__sink_puts(s, "</tspan> \xc2\xb7 made ");
    nansen__sink_puts(s, c->date);
    nansen__sink_puts(s, "</text>\n");
    for (i = 0; i < sizeof NOTE / sizeof NOTE[0]; i++) {
        open_text(s, (unsigned)(NOTE_Y + i * NOTE_LEAD), NOTE_SIZE,
                  i == 0 ? " font-weight=\"bold\"" : "");
        nansen__sink_puts(s, NOTE[i]);
        nansen__sink_puts(s, "</text>\n");
    }
    nansen__sink_puts(s, "</svg>\n");
}

static void small_number(char out[4], unsigned int v)
{
    if (v >= 10) {
        out[0] = (char)('0' + v / 10);
        out[1] = (char)('0' + v % 10);
        out[2] = '\0';
    } else {
        out[0] = (char)('0' + v);
        out[1] = '\0';
    }
}

static nansen_err fail(char *out, size_t cap, size_t *out_len,
                       nansen_err err)
{
    if (out != NULL)
        sodium_memzero(out, cap);
    *out_len = 0;
    return err;
}

nansen_err nansen_share_card_svg(nansen_ctx *ctx, char *out, size_t *out_len,
                                 const uint8_t *share, size_t share_len,
                                 nansen_qr_ecc ecc)
{
    nansen__text_sink s = {NULL, 0, 0};
    nansen_share_info info;
    struct share_card c;
    char text[NANSEN_SHARE_TEXT_MAX_BYTES], hex[2 * 4 + 1];
    size_t text_len = sizeof text, cap;
    QRcode *qr = NULL;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ecc == NANSEN_QR_ECC_DEFAULT)
        ecc = NANSEN_QR_PRINT_ECC;
    if (ctx == NULL || share == NULL || ecc < NANSEN_QR_ECC_L ||
        ecc > NANSEN_QR_ECC_H)
        return fail(out, cap, out_len, NANSEN_ERR_INVALID_ARG);
    if ((err = nansen_share_decode(ctx, &info, share, share_len)) !=
        NANSEN_OK)
        return fail(out, cap, out_len, err);
    if ((err = nansen_share_to_text(ctx, text, &text_len, share,
                                    share_len)) != NANSEN_OK)
        return fail(out, cap, out_len, err);
    err = nansen__qr_encode(&qr, text, text_len - 1, ecc);
    sodium_memzero(text, sizeof text);
    if (err != NANSEN_OK)
        return fail(out, cap, out_len, err);

    memset(&c, 0, sizeof c);
    small_number(c.x, info.x);
    small_number(c.n, info.n);
    small_number(c.k, info.k);
    nansen__hex_encode(hex, info.wallet_id, 4);
    memcpy(c.wallet, hex, sizeof c.wallet);
    nansen__civil_date(c.date, info.created);
    c.qr = qr;
    put_card(&s, &c);
    if (!nansen__size_query(&err, out, out_len, s.len + 1)) {
        s.buf = out;
        s.cap = *out_len;
        s.len = 0;
        put_card(&s, &c);
        out[s.len] = '\0';
        *out_len = s.len + 1;
    }
    /* The modules are the share: wipe them before they go back. */
    sodium_memzero(qr->data, (size_t)qr->width * (size_t)qr->width);
    QRcode_free(qr);
    return err;
}
