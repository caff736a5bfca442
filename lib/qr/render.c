/* render.c - QR codes as PNG, SVG and terminal text.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * libqrencode builds the code (segments, version, mask); this file picks
 * the smaller of two segmentations and draws the module grid. Every
 * output is a function of the text and the parameters alone (no time, no
 * locale), so the same call gives the same bytes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "internal/internal.h"
#include "internal/qr.h"

/* The most characters any code holds (version 40-L, numeric mode): a
 * longer text is refused before libqrencode works on it. */
#define QR_MAX_CHARS 7089
#define MAX_SCALE 64
#define MAX_MARGIN 16

/* ---- shared pieces ---- */

void nansen__sink_put(nansen__text_sink *s, const char *p, size_t n)
{
    if (s->buf != NULL && s->len < s->cap) {
        size_t room = s->cap - s->len;

        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    s->len += n;
}

void nansen__sink_puts(nansen__text_sink *s, const char *p)
{
    nansen__sink_put(s, p, strlen(p));
}

void nansen__sink_putu(nansen__text_sink *s, unsigned long v)
{
    char digits[24];
    size_t i = sizeof digits;

    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    nansen__sink_put(s, digits + i, sizeof digits - i);
}

static int all_alnum(const char *text, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        char c = text[i];

        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
              (c != '\0' && strchr(" $%*+-./:", c) != NULL)))
            return 0;
    }
    return 1;
}

/* The text as one segment, as nansen_qr_version_needed counts it:
 * alphanumeric mode if it can be, byte mode otherwise. */
static QRcode *encode_one_segment(const char *text, size_t len,
                                  QRecLevel level, int *e)
{
    QRinput *input = QRinput_new2(0, level);
    QRcode *qr = NULL;

    errno = 0;
    if (input != NULL &&
        QRinput_append(input, all_alnum(text, len) ? QR_MODE_AN : QR_MODE_8,
                       (int)len, (const unsigned char *)text) == 0)
        qr = QRcode_encodeInput(input);
    *e = errno;
    if (input != NULL)
        QRinput_free(input);
    return qr;
}

/* libqrencode's own split into numeric, alphanumeric and byte segments
 * (it needs a NUL-terminated copy). */
static QRcode *encode_split(const char *text, size_t len, QRecLevel level,
                            int *e)
{
    char *copy = malloc(len + 1);
    QRcode *qr = NULL;

    if (copy == NULL) {
        *e = ENOMEM;
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    errno = 0;
    qr = QRcode_encodeString(copy, 0, level, QR_MODE_8, 1);
    *e = errno;
    free(copy);
    return qr;
}

nansen_err nansen__qr_encode(QRcode **qr, const char *text, size_t text_len,
                             nansen_qr_ecc ecc)
{
    static const QRecLevel level[] = {QR_ECLEVEL_L, QR_ECLEVEL_M,
                                      QR_ECLEVEL_Q, QR_ECLEVEL_H};
    QRcode *one, *split = NULL;
    int e1 = 0, e2 = 0;

    ARG_CHECK(qr != NULL);
    *qr = NULL;
    ARG_CHECK(text != NULL && text_len > 0);
    ARG_CHECK(ecc >= NANSEN_QR_ECC_L && ecc <= NANSEN_QR_ECC_H);
    if (text_len > QR_MAX_CHARS)
        return NANSEN_ERR_QR_BUDGET;
    /* libqrencode's split is often smaller than one segment, but its
     * heuristic is sometimes a version larger, which would break the
     * budget nansen_qr_version_needed promised: both are made, the
     * smaller kept (one segment on a tie). encodeString stops at a NUL,
     * so a text with one is one byte-mode segment only. */
    one = encode_one_segment(text, text_len, level[ecc - 1], &e1);
    if (memchr(text, '\0', text_len) == NULL)
        split = encode_split(text, text_len, level[ecc - 1], &e2);
    if (one != NULL && split != NULL) {
        if (split->version < one->version) {
            QRcode_free(one);
            one = NULL;
        } else {
            QRcode_free(split);
            split = NULL;
        }
    }
    *qr = one != NULL ? one : split;
    if (*qr != NULL)
        return NANSEN_OK;
    if (e1 == ENOMEM || e2 == ENOMEM)
        return NANSEN_ERR_NOMEM;
    if (e1 == ERANGE || e2 == ERANGE)
        return NANSEN_ERR_QR_BUDGET;
    return NANSEN_ERR_INVALID_ARG;
}

static int dark(const QRcode *qr, int x, int y)
{
    return qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1;
}

void nansen__qr_svg_path(nansen__text_sink *s, const QRcode *qr, int margin)
{
    int x, y, end;

    for (y = 0; y < qr->width; y++) {
        for (x = 0; x < qr->width; x = end) {
            if (!dark(qr, x, y)) {
                end = x + 1;
                continue;
            }
            for (end = x + 1; end < qr->width && dark(qr, end, y); end++)
                ;
            nansen__sink_puts(s, "M");
            nansen__sink_putu(s, (unsigned long)(x + margin));
            nansen__sink_puts(s, " ");
            nansen__sink_putu(s, (unsigned long)(y + margin));
            nansen__sink_puts(s, "h");
            nansen__sink_putu(s, (unsigned long)(end - x));
            nansen__sink_puts(s, "v1h-");
            nansen__sink_putu(s, (unsigned long)(end - x));
            nansen__sink_puts(s, "z");
        }
    }
}

/* ---- SVG ---- */

static void put_svg(nansen__text_sink *s, const QRcode *qr, int scale,
                    int margin)
{
    unsigned long n = (unsigned long)(qr->width + 2 * margin);
    unsigned long px = n * (unsigned long)scale;

    nansen__sink_puts(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                         "version=\"1.1\" width=\"");
    nansen__sink_putu(s, px);
    nansen__sink_puts(s, "\" height=\"");
    nansen__sink_putu(s, px);
    nansen__sink_puts(s, "\" viewBox=\"0 0 ");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, " ");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" shape-rendering=\"crispEdges\">\n"
                         "<rect width=\"");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" height=\"");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"");
    nansen__qr_svg_path(s, qr, margin);
    nansen__sink_puts(s, "\"/>\n</svg>\n");
}

/* ---- terminal ---- */

/* Whether the cell at (x, y) of the code with its quiet zone is drawn in
 * the terminal's foreground: light modules and the quiet zone are, dark
 * modules are not; rows past the bottom are not drawn at all. */
static int lit(const QRcode *qr, int margin, int x, int y)
{
    int total = qr->width + 2 * margin;

    if (y >= total)
        return 0;
    x -= margin;
    y -= margin;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 1;
    return !dark(qr, x, y);
}

static void put_terminal(nansen__text_sink *s, const QRcode *qr, int margin)
{
    /* index: 2 * top + bottom */
    static const char *const cell[4] = {
        " ", "\xe2\x96\x84" /* U+2584 lower half */,
        "\xe2\x96\x80" /* U+2580 upper half */, "\xe2\x96\x88" /* U+2588 */
    };
    int total = qr->width + 2 * margin, x, y;

    for (y = 0; y < total; y += 2) {
        for (x = 0; x < total; x++)
            nansen__sink_puts(s, cell[2 * lit(qr, margin, x, y) +
                                      lit(qr, margin, x, y + 1)]);
        nansen__sink_puts(s, "\n");
    }
}

/* ---- PNG ---- */

/* libpng writes into this growable buffer, never into a file. */
struct mem_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
};

static void mem_write(png_structp png, png_bytep data, size_t n)
{
    struct mem_buf *m = png_get_io_ptr(png);

    if (n > m->cap - m->len) {
        size_t cap = m->cap != 0 ? m->cap : 1024;
        uint8_t *p;

        while (n > cap - m->len) {
            if (cap > SIZE_MAX / 2)
                png_error(png, "too large");
            cap *= 2;
        }
        if ((p = realloc(m->p, cap)) == NULL)
            png_error(png, "out of memory");
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->len, data, n);
    m->len += n;
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* libpng's own handlers print to stderr: these are silent. */
static void on_png_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void fill_row(png_bytep row, const QRcode *qr, int y, int scale,
                     int margin)
{
    int total = qr->width + 2 * margin, x;

    for (x = 0; x < total; x++) {
        int mx = x - margin, my = y - margin;
        int black = mx >= 0 && my >= 0 && mx < qr->width &&
                    my < qr->width && dark(qr, mx, my);

        memset(row + (size_t)x * (size_t)scale, black ? 0 : 255,
               (size_t)scale);
    }
}

static void write_rows(png_structp png, png_infop info, const QRcode *qr,
                       int scale, int margin, png_bytep row)
{
    png_uint_32 size = (png_uint_32)((qr->width + 2 * margin) * scale);
    int y, k;

    png_set_IHDR(png, info, size, size, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    /* Fixed choices rather than libpng's defaults, so that the bytes do
     * not change with them: "up" makes every repeated pixel row zeros. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_level(png, 6);   /* 9 is several times slower for a few bytes less */
    png_write_info(png, info);
    for (y = 0; y < qr->width + 2 * margin; y++) {
        fill_row(row, qr, y, scale, margin);
        for (k = 0; k < scale; k++)
            png_write_row(png, row);
    }
    png_write_end(png, NULL);
}

/* The only function with a setjmp, and nothing local to it changes after
 * the setjmp (C11 7.13.2.1): the work is in write_rows. */
static int write_guarded(png_structp png, png_infop info, const QRcode *qr,
                         int scale, int margin, png_bytep row)
{
    if (setjmp(png_jmpbuf(png)))
        return -1;
    write_rows(png, info, qr, scale, margin, row);
    return 0;
}

/* The PNG of qr in a malloc'd buffer. Any libpng error while writing
 * valid pixels to memory is an allocation failure. */
static nansen_err render_png(uint8_t **out, size_t *out_len, const QRcode *qr,
                             int scale, int margin)
{
    struct mem_buf m = {NULL, 0, 0};
    size_t row_len = (size_t)(qr->width + 2 * margin) * (size_t)scale;
    png_structp png = NULL;
    png_infop info = NULL;
    png_bytep row;
    nansen_err err = NANSEN_ERR_NOMEM;

    *out = NULL;
    *out_len = 0;
    if ((row = malloc(row_len)) == NULL)
        return NANSEN_ERR_NOMEM;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_png_error,
                                  on_png_warning);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (info != NULL) {
        png_set_write_fn(png, &m, mem_write, mem_flush);
        if (write_guarded(png, info, qr, scale, margin, row) == 0) {
            *out = m.p;
            *out_len = m.len;
            m.p = NULL;
            err = NANSEN_OK;
        }
    }
    if (png != NULL)
        png_destroy_write_struct(&png, &info);
    free(m.p);
    free(row);
    return err;
}

/* ---- the public call ---- */

static nansen_err fail(uint8_t *out, size_t *out_len, nansen_err err)
{
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
    return err;
}

static void put_text(nansen__text_sink *s, const QRcode *qr,
                     nansen_qr_format format, int scale, int margin)
{
    if (format == NANSEN_QR_SVG)
        put_svg(s, qr, scale, margin);
    else
        put_terminal(s, qr, margin);
}

nansen_err nansen_qr_render(uint8_t *out, size_t *out_len, const char *text,
                            size_t text_len, nansen_qr_ecc ecc,
                            nansen_qr_format format, int scale, int margin)
{
    nansen__text_sink s = {NULL, 0, 0};
    QRcode *qr = NULL;
    uint8_t *png = NULL;
    size_t need = 0;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (text == NULL || text_len == 0 ||
        (format != NANSEN_QR_PNG && format != NANSEN_QR_SVG &&
         format != NANSEN_QR_TERMINAL) ||
        ecc < NANSEN_QR_ECC_L || ecc > NANSEN_QR_ECC_H ||
        scale < 0 || scale > MAX_SCALE || margin < -1 || margin > MAX_MARGIN)
        return fail(out, out_len, NANSEN_ERR_INVALID_ARG);
    if (scale == 0)
        scale = NANSEN_QR_DEFAULT_SCALE;
    if (margin == -1)
        margin = NANSEN_QR_DEFAULT_MARGIN;
    err = nansen__qr_encode(&qr, text, text_len, ecc);
    if (err != NANSEN_OK)
        return fail(out, out_len, err);
    if (format == NANSEN_QR_PNG) {
        /* The size of a PNG is known only once compressed: a size query
         * renders it too. */
        err = render_png(&png, &need, qr, scale, margin);
        if (err == NANSEN_OK &&
            !nansen__size_query(&err, out, out_len, need)) {
            memcpy(out, png, need);
            *out_len = need;
        }
    } else {
        put_text(&s, qr, format, scale, margin);
        need = s.len + 1;
        if (!nansen__size_query(&err, out, out_len, need)) {
            s.buf = (char *)out;
            s.cap = *out_len;
            s.len = 0;
            put_text(&s, qr, format, scale, margin);
            out[s.len] = '\0';
            *out_len = need;
        }
    }
    QRcode_free(qr);
    free(png);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL)
        return fail(out, out_len, err);
    return err;
}
