/* card.c - the printable consent card: an A6 SVG with a grant's QR code
 * and its consent notice in the holder's language.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Text is wrapped here, by an estimate of each character's width, since
 * an SVG 1.1 viewer does not wrap: the card must read the same in any
 * viewer and print the same bytes on any machine. Lengths are kept in
 * tenths of a millimetre and printed as integers, never through printf's
 * %f, whose decimal point follows the locale.
 */
#include <stdlib.h>
#include <string.h>

#include "internal/internal.h"
#include "internal/qr.h"

/* The page, in tenths of a millimetre. */
#define PAGE_W      1050
#define PAGE_H      1480
#define EDGE        80            /* margin on every side */
#define TEXT_W      (PAGE_W - 2 * EDGE)
#define TITLE_Y     150           /* baselines */
#define TITLE_MAX   60            /* font sizes */
#define TITLE_MIN   30
#define QR_SIZE     640           /* the code with its quiet zone */
#define QR_X        ((PAGE_W - QR_SIZE) / 2)
#define QR_Y        200
#define QR_MARGIN   4             /* modules of quiet zone */
#define TEXT_TOP    900           /* first baseline of the notice */
#define TEXT_BOTTOM 1340          /* last baseline at most */
#define TEXT_MAX    36            /* notice font size, largest first */
#define TEXT_MIN    12
#define FOOT_Y      1410
#define FOOT_SIZE   28

#define FONTS "'Noto Sans', 'Noto Sans Ethiopic', 'Noto Naskh Arabic', " \
              "sans-serif"

/* Bidi isolates still open at a line break are closed at its end and
 * opened again on the next line, as each line is its own paragraph. */
#define MAX_ISOLATES 8

struct card {
    const char *lang;             /* xml:lang */
    int rtl;
    const char *label;            /* the purpose, in lang */
    const char *notice;           /* the rendered notice */
    size_t notice_len;
    unsigned title_size, text_size, lead;
    char from[11], until[11];
    char digest[20];              /* "xxxx xxxx xxxx xxxx" */
    const QRcode *qr;
};

/* ---- UTF-8 and widths ---- */

/* The code point at s[i] (i < n) and the length of its sequence; a byte
 * that does not start a whole sequence counts as one U+FFFD. */
static size_t utf8_next(const char *s, size_t i, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s + i;
    size_t len, k;
    uint32_t c = p[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
    } else {
        *cp = 0xfffd;
        return 1;
    }
    if (len > n - i) {
        *cp = 0xfffd;
        return 1;
    }
    for (k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        c = (c << 6) | (p[k] & 0x3fu);
    }
    *cp = c;
    return len;
}

/* Advance widths in quarter ems, roughly, for the fonts of FONTS: 0 for
 * combining marks and format characters (never a place to break), 3 for
 * Ethiopic syllables, 4 for wide characters, 2 for everything else. The
 * first range that holds a character counts (Ethiopic combining marks
 * lie inside the syllables' block). */
static const struct {
    uint32_t lo, hi;
    unsigned char width;
} widths[] = {
    {0x0300, 0x036f, 0}, {0x0483, 0x0489, 0}, {0x0591, 0x05c7, 0},
    {0x0610, 0x061a, 0}, {0x064b, 0x065f, 0}, {0x0670, 0x0670, 0},
    {0x06d6, 0x06ed, 0}, {0x1100, 0x115f, 4}, {0x135d, 0x135f, 0},
    {0x1200, 0x139f, 3}, {0x200b, 0x200f, 0}, {0x202a, 0x202e, 0},
    {0x2060, 0x206f, 0}, {0x2d80, 0x2ddf, 3}, {0x2e80, 0xa4cf, 4},
    {0xab00, 0xab2f, 3}, {0xac00, 0xd7a3, 4}, {0xf900, 0xfaff, 4},
    {0xfe00, 0xfe0f, 0}, {0xfe20, 0xfe2f, 0}, {0xfeff, 0xfeff, 0},
    {0xff00, 0xff60, 4}, {0xffe0, 0xffe6, 4}, {0x1f300, 0x1faff, 4},
    {0x20000, 0x3fffd, 4},
};

static unsigned char_width(uint32_t c)
{
    size_t i;

    for (i = 0; i < sizeof widths / sizeof widths[0]; i++)
        if (c >= widths[i].lo && c <= widths[i].hi)
            return widths[i].width;
    return 2;
}

static unsigned text_width(const char *s)
{
    size_t i = 0, n = strlen(s);
    unsigned w = 0;
    uint32_t cp;

    while (i < n) {
        i += utf8_next(s, i, n, &cp);
        w += char_width(cp);
    }
    return w;
}

/* Quarter ems that fit in width at a font size (both in tenths of a mm),
 * taking a quarter em as 0.275 em: a little wider than the average
 * letter, so that lines rarely come out longer than the estimate. */
static unsigned capacity(unsigned width, unsigned size)
{
    return (40u * width) / (11u * size);
}

/* ---- line breaking ---- */

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* The line starting at s[start] (not a space) holding at most cap
 * quarter ems: returns its end, without trailing spaces, and sets *next
 * to the start of the next line. Lines break at spaces (dropped) or
 * after an Ethiopic wordspace (kept); a word longer than a line breaks
 * before a character of non-zero width that does not follow a zero width
 * joiner, so never inside a UTF-8 sequence or before a combining mark. */
static size_t next_line(const char *s, size_t n, size_t start, unsigned cap,
                        size_t *next)
{
    size_t i = start, brk = start, brk_next = start, end;
    unsigned width = 0;
    uint32_t cp, prev = 0;

    while (i < n) {
        size_t len = utf8_next(s, i, n, &cp);
        unsigned w = char_width(cp);

        if (cp == ' ' && i > start) {
            brk = i;
            brk_next = skip_spaces(s, n, i);
        }
        if (w > 0 && width + w > cap && i > start && prev != 0x200d) {
            if (brk > start) {
                *next = brk_next;
                return brk;
            }
            *next = i;
            return i;
        }
        width += w;
        i += len;
        if (cp == 0x1361) {             /* ETHIOPIC WORDSPACE */
            brk = i;
            brk_next = skip_spaces(s, n, i);
        }
        prev = cp;
    }
    for (end = n; end > start && s[end - 1] == ' '; end--)
        ;
    *next = n;
    return end;
}

static size_t count_lines(const char *s, size_t n, unsigned cap)
{
    size_t at = skip_spaces(s, n, 0), lines = 0;

    while (at < n) {
        (void)next_line(s, n, at, cap, &at);
        lines++;
    }
    return lines;
}

/* ---- output ---- */

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

/* XML character data or attribute value: the five markup characters as
 * entities, and characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF)
 * as U+FFFD. */
static void put_escaped(nansen__text_sink *s, const char *p, size_t n)
{
    size_t i, run = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        const char *rep = NULL;
        size_t len = 1;

        switch (c) {
        case '&':  rep = "&amp;";  break;
        case '<':  rep = "&lt;";   break;
        case '>':  rep = "&gt;";   break;
        case '"':  rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default:
            if (c < 0x20) {
                rep = "\xef\xbf\xbd";
            } else if (c == 0xef && n - i >= 3 &&
                       (unsigned char)p[i + 1] == 0xbf &&
                       ((unsigned char)p[i + 2] & 0xfe) == 0xbe) {
                rep = "\xef\xbf\xbd";
                len = 3;
            }
        }
        if (rep != NULL) {
            nansen__sink_put(s, p + run, i - run);
            nansen__sink_puts(s, rep);
            i += len - 1;
            run = i + 1;
        }
    }
    nansen__sink_put(s, p + run, n - run);
}

static void put_escaped_str(nansen__text_sink *s, const char *p)
{
    put_escaped(s, p, strlen(p));
}

/* <text ...> for a line of the card's language at baseline y: from the
 * left edge, or for right-to-left text from the right edge, where
 * "start" is with direction="rtl". */
static void open_text(nansen__text_sink *s, const struct card *c, unsigned y,
                      unsigned size, const char *extra)
{
    nansen__sink_puts(s, "<text x=\"");
    put_mm(s, c->rtl ? PAGE_W - EDGE : EDGE);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, y);
    nansen__sink_puts(s, "\" font-size=\"");
    put_mm(s, size);
    nansen__sink_puts(s, "\"");
    nansen__sink_puts(s, extra);
    if (c->rtl)
        nansen__sink_puts(s, " direction=\"rtl\" text-anchor=\"start\"");
    nansen__sink_puts(s, " xml:lang=\"");
    put_escaped_str(s, c->lang);
    nansen__sink_puts(s, "\">");
}

static void put_title(nansen__text_sink *s, const struct card *c)
{
    nansen__sink_puts(s, "Nansen \xc2\xb7 ");   /* U+00B7 MIDDLE DOT */
    put_escaped_str(s, c->label);
}

struct isolates {
    uint32_t open[MAX_ISOLATES];
    size_t depth;
    size_t untracked;             /* opened past MAX_ISOLATES */
};

static void put_cp(nansen__text_sink *s, uint32_t cp)
{
    char b[3];

    /* only the isolate controls, U+2066..U+2069 */
    b[0] = (char)(0xe0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    b[2] = (char)(0x80 | (cp & 0x3f));
    nansen__sink_put(s, b, 3);
}

/* One line of the notice, with the isolates the lines before left open
 * opened again first and those still open at its end closed. */
static void put_line(nansen__text_sink *s, const char *p, size_t n,
                     struct isolates *iso)
{
    size_t i, len;
    uint32_t cp;

    for (i = 0; i < iso->depth; i++)
        put_cp(s, iso->open[i]);
    put_escaped(s, p, n);
    for (i = 0; i < n; i += len) {
        len = utf8_next(p, i, n, &cp);
        if (cp >= 0x2066 && cp <= 0x2068) {
            if (iso->depth < MAX_ISOLATES)
                iso->open[iso->depth++] = cp;
            else
                iso->untracked++;
        } else if (cp == 0x2069) {
            if (iso->untracked > 0)
                iso->untracked--;
            else if (iso->depth > 0)
                iso->depth--;
        }
    }
    for (i = 0; i < iso->depth; i++)
        put_cp(s, 0x2069);
}

static void put_card(nansen__text_sink *s, const struct card *c)
{
    unsigned long n = (unsigned long)(c->qr->width + 2 * QR_MARGIN);
    unsigned cap = capacity(TEXT_W, c->text_size), y = TEXT_TOP;
    struct isolates iso;
    size_t at, end, next;

    nansen__sink_puts(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                         "version=\"1.1\" width=\"105mm\" height=\"148mm\" "
                         "viewBox=\"0 0 105 148\" font-family=\"" FONTS
                         "\" xml:lang=\"");
    put_escaped_str(s, c->lang);
    nansen__sink_puts(s, "\">\n<title>");
    put_title(s, c);
    nansen__sink_puts(s, "</title>\n<rect width=\"105\" height=\"148\" "
                         "fill=\"#fff\"/>\n");

    open_text(s, c, TITLE_Y, c->title_size, " font-weight=\"bold\"");
    put_title(s, c);
    nansen__sink_puts(s, "</text>\n<svg x=\"");
    put_mm(s, QR_X);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, QR_Y);
    nansen__sink_puts(s, "\" width=\"");
    put_mm(s, QR_SIZE);
    nansen__sink_puts(s, "\" height=\"");
    put_mm(s, QR_SIZE);
    nansen__sink_puts(s, "\" viewBox=\"0 0 ");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, " ");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" shape-rendering=\"crispEdges\">\n<rect width=\"");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" height=\"");
    nansen__sink_putu(s, n);
    nansen__sink_puts(s, "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"");
    nansen__qr_svg_path(s, c->qr, QR_MARGIN);
    nansen__sink_puts(s, "\"/>\n</svg>\n");

    iso.depth = 0;
    iso.untracked = 0;
    for (at = skip_spaces(c->notice, c->notice_len, 0);
         at < c->notice_len; at = next, y += c->lead) {
        end = next_line(c->notice, c->notice_len, at, cap, &next);
        open_text(s, c, y, c->text_size, "");
        put_line(s, c->notice + at, end - at, &iso);
        nansen__sink_puts(s, "</text>\n");
    }

    /* Dates and digest read left to right in every language. */
    nansen__sink_puts(s, "<text x=\"");
    put_mm(s, EDGE);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, FOOT_Y);
    nansen__sink_puts(s, "\" font-size=\"");
    put_mm(s, FOOT_SIZE);
    nansen__sink_puts(s, "\" direction=\"ltr\">");
    nansen__sink_puts(s, c->from);
    nansen__sink_puts(s, " \xe2\x80\x93 ");      /* U+2013 EN DASH */
    nansen__sink_puts(s, c->until);
    nansen__sink_puts(s, "</text>\n<text x=\"");
    put_mm(s, PAGE_W - EDGE);
    nansen__sink_puts(s, "\" y=\"");
    put_mm(s, FOOT_Y);
    nansen__sink_puts(s, "\" font-size=\"");
    put_mm(s, FOOT_SIZE);
    nansen__sink_puts(s, "\" direction=\"ltr\" text-anchor=\"end\" "
                         "font-family=\"monospace\">");
    nansen__sink_puts(s, c->digest);
    nansen__sink_puts(s, "</text>\n</svg>\n");
}

/* ---- layout ---- */

/* The largest notice size whose lines fit above the footer; at the
 * smallest the lines are squeezed together rather than run off it. */
static void fit_text(struct card *c)
{
    unsigned size = TEXT_MAX, lead = 0;
    size_t lines = 0;

    for (;; size -= 2) {
        lead = (size * 13 + 5) / 10;
        lines = count_lines(c->notice, c->notice_len,
                            capacity(TEXT_W, size));
        if (lines <= 1 ||
            (lines - 1) * lead <= (size_t)(TEXT_BOTTOM - TEXT_TOP))
            break;
        if (size - 2 < TEXT_MIN) {
            lead = (unsigned)((TEXT_BOTTOM - TEXT_TOP) / (lines - 1));
            break;
        }
    }
    c->text_size = size;
    c->lead = lead;
}

static void fit_title(struct card *c)
{
    unsigned w = text_width("Nansen \xc2\xb7 ") + text_width(c->label);
    unsigned size = (40u * TEXT_W) / (11u * w);

    c->title_size = size > TITLE_MAX ? TITLE_MAX
                  : size < TITLE_MIN ? TITLE_MIN : size;
}

/* The caller's tag when it is plain BCP 47 material, else the
 * vocabulary's. */
static const char *xml_lang(const char *lang, const char *vocab_tag)
{
    size_t i;

    for (i = 0; lang[i] != '\0'; i++) {
        char ch = lang[i];

        if (i == 35 ||
            !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-'))
            return vocab_tag;
    }
    return i > 0 ? lang : vocab_tag;
}

/* Everything the card shows, from the decoded grant. */
static nansen_err prepare(struct card *c, char **notice, char **framed,
                          QRcode **qr, const nansen_grant *gr,
                          const uint8_t *grant, size_t grant_len,
                          const char *lang, nansen_qr_ecc ecc)
{
    nansen_notice_fields f;
    const char *name = nansen_grant_audience_name(gr), *tag = NULL;
    const uint8_t *digest = nansen_grant_digest(gr);
    char hex[17];
    int64_t iat, nbf, exp;
    size_t n = 0, i;
    nansen_err err;

    memset(&f, 0, sizeof f);
    f.lang = lang;
    f.clinic = name != NULL ? name : nansen_grant_audience(gr);
    f.issuer = nansen_credential_issuer_label(nansen_grant_credential(gr));
    nansen_grant_consent(gr, &f.purpose, &f.categories, &f.category_count);
    nansen_grant_times(gr, &iat, &nbf, &exp);
    f.from = nbf;
    f.until = exp;
    if ((err = nansen_notice_render(NULL, &n, &f)) != NANSEN_OK)
        return err;
    if ((*notice = malloc(n)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = nansen_notice_render(*notice, &n, &f)) != NANSEN_OK)
        return err;
    /* the notice accepted the dates: both are in years 1970..9999 */
    nansen__civil_date(c->from, f.from);
    nansen__civil_date(c->until, f.until);
    c->notice = *notice;
    c->notice_len = n - 1;
    if ((err = nansen_vocab_label(NANSEN_VOCAB_PURPOSE, f.purpose, lang,
                                  &c->label, &tag)) != NANSEN_OK)
        return err;
    c->lang = xml_lang(lang, tag);
    c->rtl = nansen_vocab_is_rtl(lang);

    nansen__hex_encode(hex, digest, 8);
    for (i = 0; i < 4; i++) {
        memcpy(c->digest + 5 * i, hex + 4 * i, 4);
        c->digest[5 * i + 4] = i < 3 ? ' ' : '\0';
    }

    n = 0;
    if ((err = nansen_frame_encode(NULL, &n, grant, grant_len, 0)) !=
        NANSEN_OK)
        return err;
    if ((*framed = malloc(n)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = nansen_frame_encode(*framed, &n, grant, grant_len, 0)) !=
        NANSEN_OK)
        return err;
    if ((err = nansen__qr_encode(qr, *framed, n - 1, ecc)) != NANSEN_OK)
        return err;
    c->qr = *qr;
    fit_title(c);
    fit_text(c);
    return NANSEN_OK;
}

static nansen_err fail(char *out, size_t *out_len, nansen_err err)
{
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
    return err;
}

nansen_err nansen_card_svg(nansen_ctx *ctx, char *out, size_t *out_len,
                           const uint8_t *grant, size_t grant_len,
                           const char *lang, nansen_qr_ecc ecc)
{
    nansen__text_sink s = {NULL, 0, 0};
    nansen_grant *gr = NULL;
    struct card c;
    char *notice = NULL, *framed = NULL;
    QRcode *qr = NULL;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (ecc == 0)
        ecc = NANSEN_QR_PRINT_ECC;
    if (ctx == NULL || grant == NULL || lang == NULL ||
        ecc < NANSEN_QR_ECC_L || ecc > NANSEN_QR_ECC_H ||
        nansen_notice_needs_review(lang) < 0)
        return fail(out, out_len, NANSEN_ERR_INVALID_ARG);
    err = nansen_grant_decode(ctx, &gr, grant, grant_len);
    if (err == NANSEN_OK) {
        memset(&c, 0, sizeof c);
        err = prepare(&c, &notice, &framed, &qr, gr, grant, grant_len, lang,
                      ecc);
    }
    if (err == NANSEN_OK) {
        put_card(&s, &c);
        if (!nansen__size_query(&err, out, out_len, s.len + 1)) {
            s.buf = out;
            s.cap = *out_len;
            s.len = 0;
            put_card(&s, &c);
            out[s.len] = '\0';
            *out_len = s.len + 1;
        }
    }
    if (qr != NULL)
        QRcode_free(qr);
    free(framed);
    free(notice);
    nansen_grant_free(gr);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL)
        return fail(out, out_len, err);
    return err;
}
