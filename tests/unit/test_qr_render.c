/* test_qr_render.c - QR rendering (PNG, SVG, terminal) and the printable
 * consent card: every output is read back to the module grid libqrencode
 * gives, the PNG and the card's code are scanned with zbar, and the card's
 * lines are put together again into the notice they wrap.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>
#include <zbar.h>

#include "testutil.h"
#include "internal/qr.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define DAY 86400LL

/* A framed-looking alphanumeric text. */
static const char *TEXT = "NS1:6BFOXN*TS0BI$ZDFRH%ZA+7UE-8$WT2S$+SC6SZKO:K"
                          "R0DQ7A1VC1$VL%F";

/* Alphanumeric with many digits, where libqrencode's own segments need
 * version 13 at level H and one alphanumeric segment version 12. */
static const char *DIGITS =
    "NS1:406C61L9I80X87*47899F28*2C5420 X599UI1.5716R3396888O9U933U*39940*6"
    "4R34U09O19704237833899U03193*L9X7L26RXU9863FC 7791F36*92R2909X11 24797"
    "842L0991599I6C5404X4I2C480650000299FX 838R49157669480U46396* 806*87R4X"
    "0L6390I3C202I2286";

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo, *holder, *clinic;
    char clinic_did[128];
    uint8_t *referral;
    size_t referral_len;
    uint8_t *grant;                /* to "Clinic of the Open Door" */
    size_t grant_len;
} fx;

/* ---- fixtures: a real referral and grant from fixed seeds ---- */

static nansen_key *seed_key(nansen_ctx *ctx, uint8_t b)
{
    uint8_t s[32];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    if (nansen_key_from_secret(ctx, &k, NANSEN_KEY_ED25519, s) != NANSEN_OK)
        return NULL;
    return k;
}

static uint8_t *issue(fx *f, size_t *len)
{
    static const uint8_t seed[32] = {42};
    static const uint8_t cti[NANSEN_CTI_BYTES] = {7};
    nansen_referral r;
    nansen_issue_params p;
    uint8_t *out;

    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Recurrent nightmares since the crossing";
    r.issuer_name = "Harbour Aid";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&p, 0, sizeof p);
    p.iat = T0;
    p.exp = T0 + 30 * DAY;
    p.cti = cti;
    p.salt_seed = seed;
    p.budget.max_version = -1;
    *len = 0;
    if (nansen_referral_issue(f->ctx, NULL, len, f->ngo, f->holder, &r,
                              &p) != NANSEN_OK ||
        (out = malloc(*len)) == NULL)
        return NULL;
    if (nansen_referral_issue(f->ctx, out, len, f->ngo, f->holder, &r,
                              &p) != NANSEN_OK) {
        free(out);
        return NULL;
    }
    return out;
}

/* A grant of the fixture referral to the clinic, shown under name. */
static uint8_t *make_grant(fx *f, const char *name, size_t *len)
{
    static const uint32_t cats[] = {2, 3};     /* language, health */
    nansen_credential *cred = NULL;
    nansen_grant_params g;
    uint8_t *out = NULL;

    memset(&g, 0, sizeof g);
    g.budget.max_version = -1;
    g.audience = f->clinic_did;
    g.audience_name = name;
    g.purpose = 1;
    g.categories = cats;
    g.category_count = 2;
    g.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                 NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES);
    g.iat = T0 + 3600;
    g.exp = T0 + 3600 + 7 * DAY;
    g.notice_lang = "en";
    *len = 0;
    if (nansen_credential_decode(f->ctx, &cred, f->referral,
                                 f->referral_len) != NANSEN_OK)
        return NULL;
    if (nansen_grant_sign(f->ctx, NULL, len, f->holder, cred, &g) ==
            NANSEN_OK &&
        (out = malloc(*len)) != NULL &&
        nansen_grant_sign(f->ctx, out, len, f->holder, cred, &g) !=
            NANSEN_OK) {
        free(out);
        out = NULL;
    }
    nansen_credential_free(cred);
    return out;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    size_t n = sizeof f->clinic_did;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    *state = f;
    f->ngo = seed_key(f->ctx, 1);
    f->holder = seed_key(f->ctx, 2);
    f->clinic = seed_key(f->ctx, 3);
    if (f->ngo == NULL || f->holder == NULL || f->clinic == NULL ||
        nansen_key_did(f->clinic, f->clinic_did, &n) != NANSEN_OK)
        return -1;
    f->referral = issue(f, &f->referral_len);
    if (f->referral == NULL)
        return -1;
    f->grant = make_grant(f, "Clinic of the Open Door", &f->grant_len);
    return f->grant != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    fx *f = *state;

    if (f == NULL)
        return 0;
    free(f->grant);
    free(f->referral);
    nansen_key_free(f->ngo);
    nansen_key_free(f->holder);
    nansen_key_free(f->clinic);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static const QRecLevel LEVEL[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q,
                                  QR_ECLEVEL_H};

/* The reference grid, straight from libqrencode: its own segmentation or
 * one segment, whichever needs the smaller version (one on a tie). */
static QRcode *reference(const char *text, nansen_qr_ecc ecc)
{
    static const char an[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    size_t len = strlen(text);
    QRinput *in = QRinput_new2(0, LEVEL[ecc - 1]);
    QRcode *one, *split;

    assert_non_null(in);
    assert_int_equal(QRinput_append(in, strspn(text, an) == len ? QR_MODE_AN
                                                                : QR_MODE_8,
                                    (int)len, (const unsigned char *)text),
                     0);
    one = QRcode_encodeInput(in);
    QRinput_free(in);
    split = QRcode_encodeString(text, 0, LEVEL[ecc - 1], QR_MODE_8, 1);
    assert_non_null(one);
    assert_non_null(split);
    if (split->version < one->version) {
        QRcode_free(one);
        return split;
    }
    QRcode_free(split);
    return one;
}

static int ref_dark(const QRcode *qr, int margin, int x, int y)
{
    x -= margin;
    y -= margin;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 0;
    return qr->data[y * qr->width + x] & 1;
}

static uint8_t *render(const char *text, size_t text_len, nansen_qr_ecc ecc,
                       nansen_qr_format format, int scale, int margin,
                       size_t *len)
{
    uint8_t *out;

    *len = 0;
    assert_int_equal(nansen_qr_render(NULL, len, text, text_len, ecc, format,
                                      scale, margin), NANSEN_OK);
    assert_true(*len > 0);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_qr_render(out, len, text, text_len, ecc, format,
                                      scale, margin), NANSEN_OK);
    return out;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Decode a PNG to grey pixels with libpng's simplified API. */
static uint8_t *png_gray(const uint8_t *png, size_t len, uint32_t *w,
                         uint32_t *h)
{
    png_image img;
    uint8_t *px;

    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&img, png, len));
    img.format = PNG_FORMAT_GRAY;
    px = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(px);
    assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
    *w = img.width;
    *h = img.height;
    return px;
}

/* The text of the one QR code zbar finds in grey pixels (malloc'd). */
static char *zbar_read(const uint8_t *px, uint32_t w, uint32_t h,
                       size_t *len)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    const zbar_symbol_t *sym;
    char *text;

    assert_non_null(sc);
    assert_non_null(img);
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, w, h);
    zbar_image_set_data(img, px, (unsigned long)w * h, NULL);
    assert_int_equal(zbar_scan_image(sc, img), 1);
    sym = zbar_image_first_symbol(img);
    assert_non_null(sym);
    *len = zbar_symbol_get_data_length(sym);
    text = malloc(*len + 1);
    assert_non_null(text);
    memcpy(text, zbar_symbol_get_data(sym), *len);
    text[*len] = '\0';
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    return text;
}

/* Fill an n x n grid (1 = dark) from SVG path data of "M x y h w v1 h-w z"
 * runs; the path ends at the closing quote. Returns the number of runs. */
static size_t path_grid(const char *d, uint8_t *grid, int n)
{
    size_t runs = 0;

    memset(grid, 0, (size_t)n * (size_t)n);
    while (*d == 'M') {
        int x, y, w, w2, used = 0, i;

        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2,
                                &used), 4);
        assert_true(used > 0);
        assert_int_equal(w, w2);
        assert_true(x >= 0 && y >= 0 && w > 0 && x + w <= n && y < n);
        for (i = 0; i < w; i++) {
            assert_int_equal(grid[y * n + x + i], 0);   /* no overlap */
            grid[y * n + x + i] = 1;
        }
        d += used;
        runs++;
    }
    assert_int_equal(*d, '"');
    return runs;
}

/* Horizontal runs of dark modules of a grid. */
static size_t count_runs(const QRcode *qr)
{
    size_t runs = 0;
    int x, y;

    for (y = 0; y < qr->width; y++)
        for (x = 0; x < qr->width; x++)
            if (ref_dark(qr, 0, x, y) &&
                (x == 0 || !ref_dark(qr, 0, x - 1, y)))
                runs++;
    return runs;
}

static size_t count_str(const char *s, const char *needle)
{
    size_t n = 0;

    while ((s = strstr(s, needle)) != NULL) {
        n++;
        s += strlen(needle);
    }
    return n;
}

/* ---- PNG ---- */

static void check_png(const char *text, nansen_qr_ecc ecc, int scale,
                      int margin)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                   '\n'};
    int s = scale == 0 ? NANSEN_QR_DEFAULT_SCALE : scale;
    int m = margin == -1 ? NANSEN_QR_DEFAULT_MARGIN : margin;
    QRcode *qr = reference(text, ecc);
    uint32_t side = (uint32_t)((qr->width + 2 * m) * s), w, h, x, y;
    size_t len, at;
    uint8_t *png = render(text, strlen(text), ecc, NANSEN_QR_PNG, scale,
                          margin, &len);
    uint8_t *px;

    assert_memory_equal(png, sig, 8);
    /* IHDR: width, height, depth 8, colour type 0 (grey) */
    assert_memory_equal(png + 12, "IHDR", 4);
    assert_int_equal(be32(png + 16), side);
    assert_int_equal(be32(png + 20), side);
    assert_int_equal(png[24], 8);
    assert_int_equal(png[25], 0);
    /* IHDR, IDAT... and IEND only: no time or text chunk */
    for (at = 8; at < len; at += 12 + be32(png + at)) {
        const uint8_t *type = png + at + 4;

        assert_true(at + 12 <= len);
        assert_true(memcmp(type, "IHDR", 4) == 0 ||
                    memcmp(type, "IDAT", 4) == 0 ||
                    memcmp(type, "IEND", 4) == 0);
    }
    assert_int_equal(at, len);
    assert_memory_equal(png + len - 8, "IEND", 4);

    px = png_gray(png, len, &w, &h);
    assert_int_equal(w, side);
    assert_int_equal(h, side);
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            assert_int_equal(px[y * w + x],
                             ref_dark(qr, m, (int)(x / (uint32_t)s),
                                      (int)(y / (uint32_t)s)) ? 0 : 255);
    free(px);
    free(png);
    QRcode_free(qr);
}

static void test_png_grid(void **state)
{
    nansen_qr_ecc ecc;

    (void)state;
    for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++)
        check_png(TEXT, ecc, 0, -1);
    check_png(TEXT, NANSEN_QR_ECC_M, 1, 0);
    check_png(TEXT, NANSEN_QR_ECC_M, 3, 16);
    check_png("hello, world", NANSEN_QR_ECC_Q, 2, 2);
}

static void test_png_scans(void **state)
{
    size_t len, tlen;
    uint8_t *png = render(TEXT, strlen(TEXT), NANSEN_QR_ECC_M, NANSEN_QR_PNG,
                          4, -1, &len);
    uint32_t w, h;
    uint8_t *px = png_gray(png, len, &w, &h);
    char *text = zbar_read(px, w, h, &tlen);

    (void)state;
    assert_int_equal(tlen, strlen(TEXT));
    assert_string_equal(text, TEXT);
    free(text);
    free(px);
    free(png);
}

/* ---- SVG ---- */

static void check_svg(const char *text, nansen_qr_ecc ecc, int scale,
                      int margin)
{
    int s = scale == 0 ? NANSEN_QR_DEFAULT_SCALE : scale;
    int m = margin == -1 ? NANSEN_QR_DEFAULT_MARGIN : margin;
    QRcode *qr = reference(text, ecc);
    int n = qr->width + 2 * m, x, y;
    size_t len;
    char *svg = (char *)render(text, strlen(text), ecc, NANSEN_QR_SVG, scale,
                               margin, &len);
    char want[128];
    const char *d;
    uint8_t *grid = malloc((size_t)n * (size_t)n);

    assert_non_null(grid);
    assert_int_equal(strlen(svg) + 1, len);
    assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
                        39) == 0);
    assert_true(len > 8 && strcmp(svg + len - 8, "</svg>\n") == 0);
    snprintf(want, sizeof want, "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
             "%d\"", n * s, n * s, n, n);
    assert_non_null(strstr(svg, want));
    snprintf(want, sizeof want, "<rect width=\"%d\" height=\"%d\" "
             "fill=\"#fff\"/>", n, n);
    assert_non_null(strstr(svg, want));
    assert_int_equal(count_str(svg, "<svg"), 1);
    assert_int_equal(count_str(svg, "</svg>"), 1);
    assert_int_equal(count_str(svg, "<path"), 1);
    d = strstr(svg, " d=\"");
    assert_non_null(d);
    assert_int_equal(path_grid(d + 4, grid, n), count_runs(qr));
    for (y = 0; y < n; y++)
        for (x = 0; x < n; x++)
            assert_int_equal(grid[y * n + x], ref_dark(qr, m, x, y));
    free(grid);
    free(svg);
    QRcode_free(qr);
}

static void test_svg_grid(void **state)
{
    nansen_qr_ecc ecc;

    (void)state;
    for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++)
        check_svg(TEXT, ecc, 0, -1);
    check_svg(TEXT, NANSEN_QR_ECC_M, 1, 0);
    check_svg(TEXT, NANSEN_QR_ECC_M, 64, 16);
    check_svg("hello, world", NANSEN_QR_ECC_H, 5, 1);
    /* where libqrencode's segments win, and where one segment does */
    check_svg("order 12345678901234567890123456789012345678901234567890",
              NANSEN_QR_ECC_L, 1, 0);
    check_svg(DIGITS, NANSEN_QR_ECC_H, 1, 0);
    check_png(DIGITS, NANSEN_QR_ECC_H, 2, 1);
}

/* ---- terminal ---- */

/* Which of the four cells a UTF-8 sequence is: 2 * top + bottom lit. */
static int cell_of(const char *p, size_t *used)
{
    if (*p == ' ') {
        *used = 1;
        return 0;
    }
    *used = 3;
    if (memcmp(p, "\xe2\x96\x84", 3) == 0)
        return 1;
    if (memcmp(p, "\xe2\x96\x80", 3) == 0)
        return 2;
    if (memcmp(p, "\xe2\x96\x88", 3) == 0)
        return 3;
    fail_msg("unexpected character 0x%02x in terminal output",
             (unsigned)(unsigned char)*p);
    return -1;
}

static void check_terminal(const char *text, nansen_qr_ecc ecc, int margin)
{
    int m = margin == -1 ? NANSEN_QR_DEFAULT_MARGIN : margin;
    QRcode *qr = reference(text, ecc);
    int n = qr->width + 2 * m, x, line, lines = 0;
    size_t len, used;
    char *t = (char *)render(text, strlen(text), ecc, NANSEN_QR_TERMINAL, 0,
                             margin, &len);
    const char *p = t;

    assert_int_equal(strlen(t) + 1, len);
    for (line = 0; *p != '\0'; line++) {
        for (x = 0; x < n; x++) {
            int c = cell_of(p, &used);
            int y = 2 * line;

            /* light modules and the quiet zone are lit; dark are not;
             * the row under an odd bottom is not drawn */
            assert_int_equal(c >> 1, !ref_dark(qr, m, x, y));
            assert_int_equal(c & 1, y + 1 < n && !ref_dark(qr, m, x, y + 1));
            p += used;
        }
        assert_int_equal(*p, '\n');
        p++;
        lines++;
    }
    assert_int_equal(lines, (n + 1) / 2);
    free(t);
    QRcode_free(qr);
}

static void test_terminal_grid(void **state)
{
    nansen_qr_ecc ecc;

    (void)state;
    for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++)
        check_terminal(TEXT, ecc, -1);
    check_terminal(TEXT, NANSEN_QR_ECC_M, 0);
    check_terminal(TEXT, NANSEN_QR_ECC_M, 1);
    check_terminal(TEXT, NANSEN_QR_ECC_M, 2);
    check_terminal("hello, world", NANSEN_QR_ECC_L, 16);
}

/* ---- versions, sizes, arguments ---- */

/* The rendered version never exceeds what nansen_qr_version_needed
 * promised (the QR budget of tokens), and grows with the level. */
static void test_version_within_budget(void **state)
{
    fx *f = *state;
    char *framed;
    size_t n = 0, len;
    nansen_qr_ecc ecc;
    int prev = 0;

    assert_int_equal(nansen_frame_encode(NULL, &n, f->grant, f->grant_len,
                                         0), NANSEN_OK);
    framed = malloc(n);
    assert_non_null(framed);
    assert_int_equal(nansen_frame_encode(framed, &n, f->grant, f->grant_len,
                                         0), NANSEN_OK);
    for (ecc = NANSEN_QR_ECC_L; ecc <= NANSEN_QR_ECC_H; ecc++) {
        QRcode *qr = reference(framed, ecc);
        int needed = 0, version;
        char *svg = (char *)render(framed, n - 1, ecc, NANSEN_QR_SVG, 1, 0,
                                   &len);
        char want[64];

        assert_int_equal(nansen_qr_version_needed(framed, n - 1, ecc,
                                                  &needed), NANSEN_OK);
        version = (qr->width - 17) / 4;
        assert_true(version <= needed);
        assert_true(version >= prev);
        prev = version;
        snprintf(want, sizeof want, "viewBox=\"0 0 %d %d\"", qr->width,
                 qr->width);
        assert_non_null(strstr(svg, want));
        free(svg);
        QRcode_free(qr);
    }
    free(framed);
}

/* Texts rich in digits, where libqrencode's own segmentation sometimes
 * needs a version more than one alphanumeric segment: the encoder keeps
 * the smaller, so the budget always holds. */
static void test_version_never_over_budget(void **state)
{
    static const char an[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    static char text[1500];
    QRcode *qr = NULL;
    uint32_t seed = 1;
    size_t len, i;
    nansen_qr_ecc ecc;

    (void)state;
    assert_int_equal(strlen(DIGITS), 227);
    assert_int_equal(nansen__qr_encode(&qr, DIGITS, 227, NANSEN_QR_ECC_H),
                     NANSEN_OK);
    assert_int_equal(qr->version, 12);
    QRcode_free(qr);
    memcpy(text, "NS1:", 4);
    for (len = 200; len < sizeof text; len += 3) {
        for (i = 4; i < len; i++) {
            uint32_t r;

            seed = seed * 1103515245u + 12345u;
            r = seed >> 16;
            text[i] = r % 3 != 0 ? an[r % 10] : an[r % 45];
        }
        for (ecc = NANSEN_QR_ECC_Q; ecc <= NANSEN_QR_ECC_H; ecc++) {
            int needed = 0;

            assert_int_equal(nansen_qr_version_needed(text, len, ecc,
                                                      &needed), NANSEN_OK);
            assert_int_equal(nansen__qr_encode(&qr, text, len, ecc),
                             NANSEN_OK);
            if (qr->version > needed)
                fail_msg("%zu characters at level %d: version %d, budget "
                         "said %d", len, (int)ecc, qr->version, needed);
            QRcode_free(qr);
        }
    }
}

static void test_size_query_and_small_buffer(void **state)
{
    static const nansen_qr_format formats[] = {
        NANSEN_QR_PNG, NANSEN_QR_SVG, NANSEN_QR_TERMINAL
    };
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        size_t need = 0, len;
        uint8_t *out;

        assert_int_equal(nansen_qr_render(NULL, &need, TEXT, strlen(TEXT),
                                          NANSEN_QR_ECC_M, formats[i], 0, -1),
                         NANSEN_OK);
        out = malloc(need + 1);
        assert_non_null(out);
        memset(out, 0xa5, need + 1);
        len = need - 1;
        assert_int_equal(nansen_qr_render(out, &len, TEXT, strlen(TEXT),
                                          NANSEN_QR_ECC_M, formats[i], 0, -1),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(len, need);
        assert_int_equal(out[0], 0xa5);    /* nothing written */
        len = need + 1;
        assert_int_equal(nansen_qr_render(out, &len, TEXT, strlen(TEXT),
                                          NANSEN_QR_ECC_M, formats[i], 0, -1),
                         NANSEN_OK);
        assert_int_equal(len, need);
        if (formats[i] != NANSEN_QR_PNG)
            assert_int_equal(out[need - 1], '\0');
        free(out);
    }
}

/* NULL where the prototype says non-null goes through plain function
 * pointers, which carry no nonnull attribute (see test_key.c). */
typedef nansen_err (*render_fn)(uint8_t *, size_t *, const char *, size_t,
                                nansen_qr_ecc, nansen_qr_format, int, int);
typedef nansen_err (*card_fn)(nansen_ctx *, char *, size_t *,
                              const uint8_t *, size_t, const char *,
                              nansen_qr_ecc);

static void expect_invalid(const char *text, size_t text_len,
                           nansen_qr_ecc ecc, nansen_qr_format format,
                           int scale, int margin)
{
    render_fn r = nansen_qr_render;
    uint8_t out[64];
    size_t len = sizeof out, i;

    memset(out, 0xa5, sizeof out);
    assert_int_equal(r(out, &len, text, text_len, ecc, format, scale, margin),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    for (i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 0);
    len = 0;
    assert_int_equal(r(NULL, &len, text, text_len, ecc, format, scale,
                       margin), NANSEN_ERR_INVALID_ARG);
}

static void test_invalid_args(void **state)
{
    render_fn r = nansen_qr_render;
    size_t t = strlen(TEXT), len = 0;

    (void)state;
    expect_invalid(TEXT, 0, NANSEN_QR_ECC_M, NANSEN_QR_SVG, 0, -1);
    expect_invalid(NULL, t, NANSEN_QR_ECC_M, NANSEN_QR_SVG, 0, -1);
    expect_invalid(TEXT, t, (nansen_qr_ecc)0, NANSEN_QR_SVG, 0, -1);
    expect_invalid(TEXT, t, (nansen_qr_ecc)5, NANSEN_QR_SVG, 0, -1);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, (nansen_qr_format)0, 0, -1);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, (nansen_qr_format)4, 0, -1);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_PNG, -1, -1);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_PNG, 65, -1);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_SVG, 0, -2);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_SVG, 0, 17);
    expect_invalid(TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_TERMINAL, 65, -1);
    assert_int_equal(r(NULL, NULL, TEXT, t, NANSEN_QR_ECC_M, NANSEN_QR_SVG,
                       0, -1), NANSEN_ERR_INVALID_ARG);
    /* the bounds themselves are fine */
    assert_int_equal(nansen_qr_render(NULL, &len, TEXT, t, NANSEN_QR_ECC_M,
                                      NANSEN_QR_SVG, 64, 16), NANSEN_OK);
    assert_int_equal(nansen_qr_render(NULL, &len, TEXT, t, NANSEN_QR_ECC_M,
                                      NANSEN_QR_SVG, 1, 0), NANSEN_OK);
}

static void test_version_40_overflow(void **state)
{
    char *big = malloc(8000);
    uint8_t out[16];
    size_t len;

    (void)state;
    assert_non_null(big);
    /* 4296 alphanumeric characters fill 40-L; one more does not fit */
    memset(big, 'A', 8000);
    len = 0;
    assert_int_equal(nansen_qr_render(NULL, &len, big, 4296, NANSEN_QR_ECC_L,
                                      NANSEN_QR_SVG, 1, 0), NANSEN_OK);
    len = sizeof out;
    memset(out, 0xa5, sizeof out);
    assert_int_equal(nansen_qr_render(out, &len, big, 4297, NANSEN_QR_ECC_L,
                                      NANSEN_QR_SVG, 1, 0),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(len, 0);
    assert_int_equal(out[0], 0);
    len = 0;
    assert_int_equal(nansen_qr_render(NULL, &len, big, 4297, NANSEN_QR_ECC_L,
                                      NANSEN_QR_PNG, 0, -1),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(nansen_qr_render(NULL, &len, big, 1853, NANSEN_QR_ECC_H,
                                      NANSEN_QR_TERMINAL, 0, -1),
                     NANSEN_ERR_QR_BUDGET);
    /* past any capacity: refused before encoding */
    assert_int_equal(nansen_qr_render(NULL, &len, big, 8000, NANSEN_QR_ECC_L,
                                      NANSEN_QR_SVG, 0, -1),
                     NANSEN_ERR_QR_BUDGET);
    /* byte mode: 2953 bytes fill 40-L */
    memset(big, 'a', 8000);
    assert_int_equal(nansen_qr_render(NULL, &len, big, 2953, NANSEN_QR_ECC_L,
                                      NANSEN_QR_TERMINAL, 0, -1), NANSEN_OK);
    assert_int_equal(nansen_qr_render(NULL, &len, big, 2954, NANSEN_QR_ECC_L,
                                      NANSEN_QR_TERMINAL, 0, -1),
                     NANSEN_ERR_QR_BUDGET);
    free(big);
}

/* A NUL inside the text goes in byte mode, whole. */
static void test_nul_inside(void **state)
{
    static const char bin[] = {'a', 0, 'b', 0, 'c'};
    size_t len;
    uint8_t *png = render(bin, sizeof bin, NANSEN_QR_ECC_L, NANSEN_QR_PNG, 4,
                          -1, &len);
    uint32_t w, h;
    uint8_t *px = png_gray(png, len, &w, &h);

    (void)state;
    assert_int_equal(w, (21 + 8) * 4);      /* version 1 */
    free(px);
    free(png);
}

static void test_deterministic(void **state)
{
    static const nansen_qr_format formats[] = {
        NANSEN_QR_PNG, NANSEN_QR_SVG, NANSEN_QR_TERMINAL
    };
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        size_t a_len, b_len;
        uint8_t *a = render(TEXT, strlen(TEXT), NANSEN_QR_ECC_Q, formats[i],
                            3, 2, &a_len);
        uint8_t *b = render(TEXT, strlen(TEXT), NANSEN_QR_ECC_Q, formats[i],
                            3, 2, &b_len);

        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        free(a);
        free(b);
    }
}

/* ---- the card ---- */

static char *card(fx *f, const uint8_t *grant, size_t grant_len,
                  const char *lang, nansen_qr_ecc ecc)
{
    size_t len = 0;
    char *out;

    assert_int_equal(nansen_card_svg(f->ctx, NULL, &len, grant, grant_len,
                                     lang, ecc), NANSEN_OK);
    out = malloc(len);
    assert_non_null(out);
    assert_int_equal(nansen_card_svg(f->ctx, out, &len, grant, grant_len,
                                     lang, ecc), NANSEN_OK);
    assert_int_equal(strlen(out) + 1, len);
    return out;
}

/* The notice nansen_notice_render gives for the grant in lang. */
static char *notice_of(fx *f, const uint8_t *grant, size_t grant_len,
                       const char *lang)
{
    nansen_grant *g = NULL;
    nansen_notice_fields nf;
    int64_t iat, nbf, exp;
    size_t n = 0;
    char *out;

    assert_int_equal(nansen_grant_decode(f->ctx, &g, grant, grant_len),
                     NANSEN_OK);
    memset(&nf, 0, sizeof nf);
    nf.lang = lang;
    nf.clinic = nansen_grant_audience_name(g) != NULL
                    ? nansen_grant_audience_name(g)
                    : nansen_grant_audience(g);
    nf.issuer = nansen_credential_issuer_label(nansen_grant_credential(g));
    nansen_grant_consent(g, &nf.purpose, &nf.categories, &nf.category_count);
    nansen_grant_times(g, &iat, &nbf, &exp);
    nf.from = nbf;
    nf.until = exp;
    assert_int_equal(nansen_notice_render(NULL, &n, &nf), NANSEN_OK);
    out = malloc(n);
    assert_non_null(out);
    assert_int_equal(nansen_notice_render(out, &n, &nf), NANSEN_OK);
    nansen_grant_free(g);
    return out;
}

static int is_isolate(const char *p)
{
    return (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x81 &&
           (unsigned char)p[2] >= 0xa6 && (unsigned char)p[2] <= 0xa9;
}

/* Text without bidi isolates and (if drop_spaces) spaces, and with markup
 * entities replaced if unescape, appended to out. */
static void append_plain(char *out, const char *p, size_t n, int drop_spaces,
                         int unescape)
{
    static const struct { const char *e; char c; } ent[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
        {"&apos;", '\''}
    };
    size_t o = strlen(out), i = 0, k;

    while (i < n) {
        if (p[i] == '&' && unescape) {
            for (k = 0; k < 5; k++)
                if (strncmp(p + i, ent[k].e, strlen(ent[k].e)) == 0)
                    break;
            assert_true(k < 5);
            out[o++] = ent[k].c;
            i += strlen(ent[k].e);
        } else if (n - i >= 3 && is_isolate(p + i)) {
            i += 3;
        } else if (p[i] == ' ' && drop_spaces) {
            i++;
        } else {
            out[o++] = p[i++];
        }
    }
    out[o] = '\0';
}

/* Whether the start tag [p, gt) says direction="ltr" (the footer). */
static int has_ltr(const char *p, const char *gt)
{
    const char *a = strstr(p, "direction=\"ltr\"");

    return a != NULL && a < gt;
}

/* The notice lines of a card joined with spaces (or with nothing, and
 * every space dropped); each line must keep its bidi isolates balanced. */
static char *card_lines(const char *svg, int drop_spaces, size_t *lines)
{
    char *out = calloc(1, strlen(svg) + 1);
    const char *p = strstr(svg, "</svg>");     /* end of the QR code */

    assert_non_null(out);
    assert_non_null(p);
    *lines = 0;
    while ((p = strstr(p, "<text ")) != NULL) {
        const char *gt = strchr(p, '>'), *end;
        size_t i;
        int depth = 0;

        assert_non_null(gt);
        end = strstr(gt, "</text>");
        assert_non_null(end);
        if (!has_ltr(p, gt)) {
            for (i = 1; gt + i < end; i++) {
                if (end - (gt + i) >= 3 && is_isolate(gt + i)) {
                    depth += (unsigned char)gt[i + 2] == 0xa9 ? -1 : 1;
                    assert_true(depth >= 0);
                }
            }
            assert_int_equal(depth, 0);
            if (*lines > 0 && !drop_spaces)
                strcat(out, " ");
            append_plain(out, gt + 1, (size_t)(end - gt - 1), drop_spaces,
                         1);
            (*lines)++;
        }
        p = end;
    }
    return out;
}

static char *without(const char *s, int drop_spaces)
{
    char *out = calloc(1, strlen(s) + 1);

    assert_non_null(out);
    append_plain(out, s, strlen(s), drop_spaces, 0);
    return out;
}

/* Scan the card's QR code: it must give the framed grant. */
static void check_card_code(fx *f, const char *svg, const uint8_t *grant,
                            size_t grant_len)
{
    const char *q = strstr(svg, "<svg x=\""), *d;
    int n = 0, x, y, k;
    uint8_t *grid, *px;
    uint8_t cbor[4096];
    size_t cbor_len = sizeof cbor, tlen;
    const int scale = 4;
    char *text;

    (void)f;
    assert_non_null(q);
    q = strstr(q, "viewBox=\"0 0 ");
    assert_non_null(q);
    assert_int_equal(sscanf(q, "viewBox=\"0 0 %d", &n), 1);
    assert_true(n >= 21 + 8);
    d = strstr(q, " d=\"");
    assert_non_null(d);
    grid = malloc((size_t)n * (size_t)n);
    px = malloc((size_t)n * n * scale * scale);
    assert_non_null(grid);
    assert_non_null(px);
    (void)path_grid(d + 4, grid, n);
    for (y = 0; y < n * scale; y++)
        for (x = 0; x < n * scale; x++)
            px[y * n * scale + x] = grid[(y / scale) * n + x / scale] ? 0
                                                                      : 255;
    text = zbar_read(px, (uint32_t)(n * scale), (uint32_t)(n * scale),
                     &tlen);
    assert_int_equal(nansen_frame_decode(cbor, &cbor_len, NULL, text, tlen,
                                         0), NANSEN_OK);
    assert_int_equal(cbor_len, grant_len);
    assert_memory_equal(cbor, grant, grant_len);
    for (k = 0; k < 4; k++)             /* quiet zone kept */
        for (x = 0; x < n; x++)
            assert_int_equal(grid[k * n + x], 0);
    free(text);
    free(px);
    free(grid);
}

static void check_card(fx *f, const uint8_t *grant, size_t grant_len,
                       const char *lang)
{
    char *svg = card(f, grant, grant_len, lang, 0);
    char *notice = notice_of(f, grant, grant_len, lang);
    char *joined, *want, hex[17], digest[20], attr[64];
    nansen_grant *g = NULL;
    int rtl = nansen_vocab_is_rtl(lang);
    size_t lines, i;

    assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
                        39) == 0);
    assert_non_null(strstr(svg, "width=\"105mm\" height=\"148mm\" "
                                "viewBox=\"0 0 105 148\""));
    assert_true(strcmp(svg + strlen(svg) - 7, "</svg>\n") == 0);
    assert_int_equal(count_str(svg, "<svg"), 2);
    assert_int_equal(count_str(svg, "</svg>"), 2);
    assert_int_equal(count_str(svg, "<text"), count_str(svg, "</text>"));
    assert_non_null(strstr(svg, "Noto Sans Ethiopic"));

    /* xml:lang on every text of the language; direction for RTL only */
    snprintf(attr, sizeof attr, "xml:lang=\"%s\"", lang);
    assert_non_null(strstr(svg, attr));
    joined = card_lines(svg, 0, &lines);
    assert_true(lines >= 3);
    assert_int_equal(count_str(svg, attr), lines + 2);   /* root, title */
    if (rtl) {
        assert_int_equal(count_str(svg, "direction=\"rtl\" "
                                        "text-anchor=\"start\""), lines + 1);
        assert_non_null(strstr(svg, "<text x=\"97\""));
    } else {
        assert_null(strstr(svg, "direction=\"rtl\""));
    }

    /* the lines are the notice, broken at spaces */
    want = without(notice, 0);
    assert_string_equal(joined, want);
    free(joined);
    free(want);

    /* footer: the dates and the short digest */
    assert_int_equal(nansen_grant_decode(f->ctx, &g, grant, grant_len),
                     NANSEN_OK);
    for (i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", nansen_grant_digest(g)[i]);
    snprintf(digest, sizeof digest, "%.4s %.4s %.4s %.4s", hex, hex + 4,
             hex + 8, hex + 12);
    assert_non_null(strstr(svg, digest));
    assert_non_null(strstr(svg, "2026-05-28 \xe2\x80\x93 2026-06-04"));
    nansen_grant_free(g);

    check_card_code(f, svg, grant, grant_len);
    free(notice);
    free(svg);
}

static void test_card_languages(void **state)
{
    fx *f = *state;
    size_t i;

    check_card(f, f->grant, f->grant_len, "en");
    check_card(f, f->grant, f->grant_len, "ar");
    check_card(f, f->grant, f->grant_len, "ti");
    check_card(f, f->grant, f->grant_len, "fa");
    check_card(f, f->grant, f->grant_len, "fa-AF");
    for (i = 0; i < nansen_vocab_language_count(); i++)
        check_card(f, f->grant, f->grant_len, nansen_vocab_language(i));
}

static void test_card_lang_tag(void **state)
{
    fx *f = *state;
    char *svg = card(f, f->grant, f->grant_len, "ar_SY", 0);

    /* not a BCP 47 tag: xml:lang says the vocabulary's */
    assert_null(strstr(svg, "ar_SY"));
    assert_non_null(strstr(svg, "xml:lang=\"ar\""));
    assert_non_null(strstr(svg, "direction=\"rtl\""));
    free(svg);
}

static void test_card_escaping(void **state)
{
    fx *f = *state;
    size_t len;
    uint8_t *g = make_grant(f, "Clinic <&> \"Quote\" 'Apos'", &len);
    char *svg;

    assert_non_null(g);
    svg = card(f, g, len, "en", 0);
    assert_non_null(strstr(svg, "Clinic &lt;&amp;&gt; &quot;Quote&quot; "
                                "&apos;Apos&apos;"));
    assert_null(strstr(svg, "<&>"));
    check_card(f, g, len, "en");
    check_card(f, g, len, "ar");
    free(svg);
    free(g);
}

/* A long name and a word longer than a line: smaller type, and the words
 * broken only where there is no space. */
static void test_card_long_text(void **state)
{
    fx *f = *state;
    char name[257];
    size_t len, lines, i;
    uint8_t *g;
    char *svg, *joined, *notice, *want;

    for (i = 0; i < 256; i++)
        name[i] = i < 120 ? "Clinic of the Open Door "[i % 24]
                          : (char)('a' + i % 26);
    name[256] = '\0';
    g = make_grant(f, name, &len);
    assert_non_null(g);
    svg = card(f, g, len, "ti", 0);
    joined = card_lines(svg, 1, &lines);
    notice = notice_of(f, g, len, "ti");
    want = without(notice, 1);
    assert_string_equal(joined, want);
    check_card_code(f, svg, g, len);
    free(want);
    free(notice);
    free(joined);
    free(svg);
    free(g);
}

static void test_card_invalid_grant(void **state)
{
    fx *f = *state;
    nansen_grant *g = NULL;
    char out[64];
    size_t len = sizeof out, i;
    uint8_t *bad = malloc(f->grant_len);
    nansen_err want;

    assert_non_null(bad);
    /* truncated */
    want = nansen_grant_decode(f->ctx, &g, f->grant, f->grant_len - 1);
    assert_int_not_equal(want, NANSEN_OK);
    memset(out, 0x5a, sizeof out);
    assert_int_equal(nansen_card_svg(f->ctx, out, &len, f->grant,
                                     f->grant_len - 1, "en", 0), want);
    assert_int_equal(len, 0);
    for (i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 0);
    /* a referral is not a grant */
    want = nansen_grant_decode(f->ctx, &g, f->referral, f->referral_len);
    assert_int_not_equal(want, NANSEN_OK);
    len = 0;
    assert_int_equal(nansen_card_svg(f->ctx, NULL, &len, f->referral,
                                     f->referral_len, "en", 0), want);
    /* one byte changed in the middle */
    memcpy(bad, f->grant, f->grant_len);
    bad[f->grant_len / 2] ^= 0xff;
    want = nansen_grant_decode(f->ctx, &g, bad, f->grant_len);
    nansen_grant_free(g);
    g = NULL;
    len = 0;
    if (want != NANSEN_OK)
        assert_int_equal(nansen_card_svg(f->ctx, NULL, &len, bad,
                                         f->grant_len, "en", 0), want);
    free(bad);
}

static void test_card_args(void **state)
{
    card_fn c = nansen_card_svg;
    fx *f = *state;
    char out[32];
    size_t len = sizeof out, need = 0;
    char *buf;

    assert_int_equal(nansen_card_svg(f->ctx, out, &len, f->grant,
                                     f->grant_len, "xx", 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    len = 0;
    assert_int_equal(nansen_card_svg(f->ctx, NULL, &len, f->grant,
                                     f->grant_len, "en", (nansen_qr_ecc)5),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(c(f->ctx, NULL, &len, f->grant, f->grant_len, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(c(NULL, NULL, &len, f->grant, f->grant_len, "en", 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(c(f->ctx, NULL, NULL, f->grant, f->grant_len, "en", 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(c(f->ctx, NULL, &len, NULL, 10, "en", 0),
                     NANSEN_ERR_INVALID_ARG);

    /* size query, too small, exact */
    assert_int_equal(nansen_card_svg(f->ctx, NULL, &need, f->grant,
                                     f->grant_len, "en", 0), NANSEN_OK);
    buf = malloc(need);
    assert_non_null(buf);
    memset(buf, 'x', need);
    len = need - 1;
    assert_int_equal(nansen_card_svg(f->ctx, buf, &len, f->grant,
                                     f->grant_len, "en", 0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    assert_int_equal(buf[0], 'x');
    assert_int_equal(nansen_card_svg(f->ctx, buf, &len, f->grant,
                                     f->grant_len, "en", 0), NANSEN_OK);
    assert_int_equal(len, need);
    assert_int_equal(buf[need - 1], '\0');
    free(buf);
}

static void test_card_deterministic_and_ecc(void **state)
{
    fx *f = *state;
    char *a = card(f, f->grant, f->grant_len, "ar", 0);
    char *b = card(f, f->grant, f->grant_len, "ar", 0);
    char *q = card(f, f->grant, f->grant_len, "ar", NANSEN_QR_ECC_Q);
    char *l = card(f, f->grant, f->grant_len, "ar", NANSEN_QR_ECC_L);

    assert_string_equal(a, b);
    assert_string_equal(a, q);          /* 0 is level Q */
    assert_string_not_equal(a, l);
    check_card_code(f, l, f->grant, f->grant_len);
    free(a);
    free(b);
    free(q);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_grid),
        cmocka_unit_test(test_png_scans),
        cmocka_unit_test(test_svg_grid),
        cmocka_unit_test(test_terminal_grid),
        cmocka_unit_test(test_version_within_budget),
        cmocka_unit_test(test_version_never_over_budget),
        cmocka_unit_test(test_size_query_and_small_buffer),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_version_40_overflow),
        cmocka_unit_test(test_nul_inside),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_card_languages),
        cmocka_unit_test(test_card_lang_tag),
        cmocka_unit_test(test_card_escaping),
        cmocka_unit_test(test_card_long_text),
        cmocka_unit_test(test_card_invalid_grant),
        cmocka_unit_test(test_card_args),
        cmocka_unit_test(test_card_deterministic_and_ecc),
    };
    return cmocka_run_group_tests_name("qr_render", tests, setup, teardown);
}
