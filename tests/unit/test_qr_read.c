/* test_qr_read.c - reading QR codes from pixels and image files.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Codes are drawn here with libqrencode (not with nansen_qr_render, so
 * that the reader is checked against an independent writer), for short
 * text, a real framed grant, long texts and raw bytes, at every ECC
 * level; then degraded as a phone camera would see them (rotated,
 * scaled down, noisy, blurred, sheared) and read back exactly. The same
 * code is written as PNG, JPEG, PGM and PPM in their many variants, and
 * hostile files (truncated, wrong magic, lying headers) must give
 * NANSEN_ERR_BAD_IMAGE without a crash or a leak.
 *
 * What the degradations showed (zbar 0.23.92, codes drawn at 5 pixels a
 * module), and so what is asserted: every payload at every level is read
 * after each of rotation by 7, 30 and 90 degrees, area scaling down to
 * 3.2 pixels a module, noise of sigma 24 grey levels, a 3x3 box blur and
 * a shear of 0.15; a phone-like mix of rotation by 7 degrees, 3.5 pixels
 * a module, the blur and noise of sigma 12 is read in at least one of
 * three frames (about 2% of single frames are missed). Also measured,
 * not asserted: rotation by 13 and 45 degrees, 2.2 pixels a module and a
 * shear of 0.35 all pass; noise of sigma 32 misses about 1 code in 100;
 * and the 3x3 blur of a code drawn at exactly 4 pixels a module defeats
 * zbar for versions from about 15 up (9 of 28 cases), while the same
 * blur at 3.6 or 5 pixels a module does not.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <qrencode.h>
#include <zlib.h>

#include "testutil.h"
#include "internal/image.h"

/* ---- grey images ---- */

typedef struct img {
    uint8_t *px;
    uint32_t w, h;
} img;

static img img_new(uint32_t w, uint32_t h, uint8_t fill)
{
    img m;

    m.w = w;
    m.h = h;
    m.px = malloc((size_t)w * h);
    assert_non_null(m.px);
    memset(m.px, fill, (size_t)w * h);
    return m;
}

static void img_free(img *m)
{
    free(m->px);
    m->px = NULL;
}

/* Draw a libqrencode symbol: scale pixels a module, margin modules of
 * quiet zone. */
static img draw(const QRcode *qr, int scale, int margin)
{
    uint32_t side = (uint32_t)((qr->width + 2 * margin) * scale);
    img m = img_new(side, side, 255);
    int x, y, i, j;

    for (y = 0; y < qr->width; y++)
        for (x = 0; x < qr->width; x++) {
            if (!(qr->data[y * qr->width + x] & 1))
                continue;
            for (j = 0; j < scale; j++)
                for (i = 0; i < scale; i++)
                    m.px[(size_t)((y + margin) * scale + j) * side +
                         (size_t)((x + margin) * scale + i)] = 0;
        }
    return m;
}

/* Text through QRcode_encodeString (libqrencode picks alphanumeric or
 * byte segments); bytes with a NUL through QRcode_encodeData. */
static img render(const uint8_t *data, size_t len, QRecLevel level,
                  int scale, int margin)
{
    QRcode *qr;
    img m;

    if (memchr(data, 0, len) == NULL && data[len] == 0)
        qr = QRcode_encodeString((const char *)data, 0, level, QR_MODE_8,
                                 1);
    else
        qr = QRcode_encodeData((int)len, data, 0, level);
    assert_non_null(qr);
    m = draw(qr, scale, margin);
    QRcode_free(qr);
    return m;
}

static img render_text(const char *text, QRecLevel level, int scale)
{
    return render((const uint8_t *)text, strlen(text), level, scale, 4);
}

static double at(const img *m, long x, long y)
{
    if (x < 0 || y < 0 || x >= (long)m->w || y >= (long)m->h)
        return 255.0;              /* white outside the picture */
    return m->px[(size_t)y * m->w + (size_t)x];
}

static uint8_t bilinear(const img *m, double x, double y)
{
    long x0 = (long)floor(x), y0 = (long)floor(y);
    double fx = x - (double)x0, fy = y - (double)y0, v;

    v = (1 - fy) * ((1 - fx) * at(m, x0, y0) + fx * at(m, x0 + 1, y0)) +
        fy * ((1 - fx) * at(m, x0, y0 + 1) + fx * at(m, x0 + 1, y0 + 1));
    return (uint8_t)(v + 0.5);
}

#define PI 3.14159265358979323846

/* Rotate by deg about the centre, on a canvas that holds it all. */
static img rotate(const img *s, double deg)
{
    double a = deg * PI / 180.0, c = cos(a), sn = sin(a);
    uint32_t w = (uint32_t)ceil(fabs(s->w * c) + fabs(s->h * sn) - 1e-9);
    uint32_t h = (uint32_t)ceil(fabs(s->w * sn) + fabs(s->h * c) - 1e-9);
    img d = img_new(w, h, 255);
    uint32_t x, y;

    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            double dx = x + 0.5 - w / 2.0, dy = y + 0.5 - h / 2.0;
            double sx = c * dx + sn * dy + s->w / 2.0 - 0.5;
            double sy = -sn * dx + c * dy + s->h / 2.0 - 0.5;

            d.px[(size_t)y * w + x] = bilinear(s, sx, sy);
        }
    return d;
}

/* x' = x + k (y - h/2): a mild shear, no perspective. */
static img shear(const img *s, double k)
{
    uint32_t extra = (uint32_t)ceil(fabs(k) * s->h);
    img d = img_new(s->w + extra, s->h, 255);
    uint32_t x, y;

    for (y = 0; y < d.h; y++)
        for (x = 0; x < d.w; x++) {
            double sx = x - extra / 2.0 - k * (y + 0.5 - s->h / 2.0);

            d.px[(size_t)y * d.w + x] = bilinear(s, sx, y);
        }
    return d;
}

/* Area-averaging resize to w x h (each target pixel is the mean of the
 * source area it covers). */
static img resize(const img *s, uint32_t w, uint32_t h)
{
    double *tmp = calloc((size_t)w * s->h, sizeof *tmp);
    double fx = (double)s->w / w, fy = (double)s->h / h;
    img d = img_new(w, h, 255);
    uint32_t x, y, i;

    assert_non_null(tmp);
    for (y = 0; y < s->h; y++)
        for (x = 0; x < w; x++) {
            double a = x * fx, b = (x + 1) * fx, sum = 0;

            for (i = (uint32_t)a; i < s->w && i < b; i++) {
                double lo = i > a ? i : a, hi = i + 1 < b ? i + 1 : b;

                sum += (hi - lo) * s->px[(size_t)y * s->w + i];
            }
            tmp[(size_t)y * w + x] = sum / fx;
        }
    for (x = 0; x < w; x++)
        for (y = 0; y < h; y++) {
            double a = y * fy, b = (y + 1) * fy, sum = 0;

            for (i = (uint32_t)a; i < s->h && i < b; i++) {
                double lo = i > a ? i : a, hi = i + 1 < b ? i + 1 : b;

                sum += (hi - lo) * tmp[(size_t)i * w + x];
            }
            sum /= fy;
            d.px[(size_t)y * w + x] =
                (uint8_t)(sum < 0 ? 0 : sum > 255 ? 255 : sum + 0.5);
        }
    free(tmp);
    return d;
}

static img scale_to(const img *s, double factor)
{
    return resize(s, (uint32_t)(s->w * factor + 0.5),
                  (uint32_t)(s->h * factor + 0.5));
}

static img blur3(const img *s)
{
    img d = img_new(s->w, s->h, 255);
    long x, y, i, j;

    for (y = 0; y < (long)s->h; y++)
        for (x = 0; x < (long)s->w; x++) {
            double sum = 0;

            for (j = -1; j <= 1; j++)
                for (i = -1; i <= 1; i++)
                    sum += at(s, x + i, y + j);
            d.px[(size_t)y * s->w + (size_t)x] = (uint8_t)(sum / 9 + 0.5);
        }
    return d;
}

static uint32_t xorshift32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Add noise of about sigma grey levels (the sum of four uniforms,
 * scaled to unit variance: close enough to Gaussian). Deterministic. */
static img noise(const img *s, double sigma, uint32_t seed)
{
    img d = img_new(s->w, s->h, 255);
    uint32_t st = seed | 1;
    size_t i;

    for (i = 0; i < (size_t)s->w * s->h; i++) {
        double u = 0, v;
        int k;

        for (k = 0; k < 4; k++)
            u += (xorshift32(&st) >> 8) / 16777216.0;
        v = s->px[i] + (u - 2.0) * sqrt(3.0) * sigma;
        d.px[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5);
    }
    return d;
}

/* ---- reading helpers ---- */

/* Read pixels; 1 if exactly one code came out and it is want. */
static int reads_as(const img *m, const uint8_t *want, size_t want_len)
{
    nansen_qr_codes *codes = NULL;
    const char *text;
    size_t len = 0;
    int ok;

    if (nansen_qr_read_gray(&codes, m->px, m->w, m->h) != NANSEN_OK)
        return 0;
    text = nansen_qr_codes_text(codes, 0, &len);
    ok = nansen_qr_codes_count(codes) == 1 && text != NULL &&
         len == want_len && memcmp(text, want, len) == 0 && text[len] == 0;
    nansen_qr_codes_free(codes);
    return ok;
}

static void assert_file_reads_as(const uint8_t *file, size_t file_len,
                                 const char *want)
{
    nansen_qr_codes *codes = NULL;
    size_t len = 0;
    const char *text;

    assert_int_equal(nansen_qr_read_image(&codes, file, file_len),
                     NANSEN_OK);
    assert_int_equal(nansen_qr_codes_count(codes), 1);
    text = nansen_qr_codes_text(codes, 0, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(want));
    assert_string_equal(text, want);
    nansen_qr_codes_free(codes);
}

/* ---- payloads ---- */

#define T0 1780000000LL
#define DAY 86400LL

static nansen_key *seed_key(nansen_ctx *ctx, uint8_t b)
{
    uint8_t s[32];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, NANSEN_KEY_ED25519, s),
                     NANSEN_OK);
    return k;
}

/* A real consent grant from fixed seeds (as test_referral.c builds its
 * demo grant), framed for a QR code: a malloc'd NUL-terminated text. */
static char *framed_grant(void)
{
    static const uint8_t salt_seed[32] = {42};
    static const uint8_t cti[NANSEN_CTI_BYTES] = {9, 9, 9, 9, 9, 9, 9, 9};
    static const uint32_t cats[] = {2, 3};
    nansen_ctx *ctx = nansen_ctx_create(0);
    nansen_key *ngo, *holder, *clinic;
    nansen_credential *cred = NULL;
    nansen_referral r;
    nansen_issue_params p;
    nansen_grant_params g;
    uint8_t *ref, *grant;
    size_t ref_len = 0, grant_len = 0, text_len = 0, back_len;
    char did[128], *text;
    size_t did_len = sizeof did;
    uint8_t *back;

    assert_non_null(ctx);
    ngo = seed_key(ctx, 1);
    holder = seed_key(ctx, 2);
    clinic = seed_key(ctx, 3);
    assert_int_equal(nansen_key_did(clinic, did, &did_len), NANSEN_OK);

    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.target = "Clinic of the Open Door";
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Recurrent nightmares since the crossing";
    r.risk = "self-harm: disclosed thoughts last month";
    r.contact = "Caseworker Amina, +30 210 555 0101";
    r.dependents = "two children, 4 and 7";
    r.issuer_name = "Harbour Aid";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    r.decoys = 2;
    memset(&p, 0, sizeof p);
    p.iat = T0;
    p.exp = T0 + 30 * DAY;
    p.salt_seed = salt_seed;
    p.cti = cti;
    p.budget.max_version = -1;      /* any size: the reader is tested */
    assert_int_equal(nansen_referral_issue(ctx, NULL, &ref_len, ngo, holder,
                                           &r, &p), NANSEN_OK);
    ref = malloc(ref_len);
    assert_non_null(ref);
    assert_int_equal(nansen_referral_issue(ctx, ref, &ref_len, ngo, holder,
                                           &r, &p), NANSEN_OK);

    memset(&g, 0, sizeof g);
    g.audience = did;
    g.purpose = 1;
    g.categories = cats;
    g.category_count = 2;
    g.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                 NANSEN_CLAIM_BIT(NANSEN_CLAIM_INTERPRETER) |
                 NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES);
    g.iat = T0 + 3600;
    g.exp = T0 + 3600 + 7 * DAY;
    g.notice_lang = "en";
    g.cti = cti;
    g.budget.max_version = -1;
    assert_int_equal(nansen_credential_decode(ctx, &cred, ref, ref_len),
                     NANSEN_OK);
    assert_int_equal(nansen_grant_sign(ctx, NULL, &grant_len, holder, cred,
                                       &g), NANSEN_OK);
    grant = malloc(grant_len);
    assert_non_null(grant);
    assert_int_equal(nansen_grant_sign(ctx, grant, &grant_len, holder, cred,
                                       &g), NANSEN_OK);

    assert_int_equal(nansen_frame_encode(NULL, &text_len, grant, grant_len,
                                         0), NANSEN_OK);
    text = malloc(text_len);
    assert_non_null(text);
    assert_int_equal(nansen_frame_encode(text, &text_len, grant, grant_len,
                                         0), NANSEN_OK);
    /* the frame gives the grant back */
    back_len = grant_len;
    back = malloc(back_len);
    assert_non_null(back);
    assert_int_equal(nansen_frame_decode(back, &back_len, NULL, text,
                                         strlen(text), 0), NANSEN_OK);
    assert_int_equal(back_len, grant_len);
    assert_memory_equal(back, grant, grant_len);

    free(back);
    free(grant);
    free(ref);
    nansen_credential_free(cred);
    nansen_key_free(ngo);
    nansen_key_free(holder);
    nansen_key_free(clinic);
    nansen_ctx_destroy(ctx);
    return text;
}

/* n characters of the Base45 alphabet (what framed tokens look like). */
static char *alnum_text(size_t n, uint32_t seed)
{
    static const char a[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    char *t = malloc(n + 1);
    uint32_t st = seed;
    size_t i;

    assert_non_null(t);
    memcpy(t, "NS1:", 4);
    for (i = 4; i < n; i++)
        t[i] = a[xorshift32(&st) % 45];
    t[n] = 0;
    return t;
}

/* n characters of mixed-case prose (byte mode). */
static char *byte_text(size_t n)
{
    static const char words[] =
        "Consent is given for treatment only; the clinic may read the "
        "language and the notes, never the risk flag. ";
    char *t = malloc(n + 1);
    size_t i;

    assert_non_null(t);
    for (i = 0; i < n; i++)
        t[i] = words[i % (sizeof words - 1)];
    t[n] = 0;
    return t;
}

typedef struct payload {
    const char *name;
    uint8_t *data;       /* len bytes and a NUL */
    size_t len;
} payload;

#define NPAYLOADS 7

typedef struct fx {
    payload p[NPAYLOADS];
    char *grant;
} fx;

static char *text_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    assert_non_null(d);
    memcpy(d, s, n);
    return d;
}

static void set_payload(payload *p, const char *name, char *text)
{
    p->name = name;
    p->data = (uint8_t *)text;
    p->len = strlen(text);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    uint8_t *bin;
    size_t i;

    if (f == NULL)
        return -1;
    f->grant = framed_grant();
    set_payload(&f->p[0], "short", text_dup("hello"));
    set_payload(&f->p[1], "grant", text_dup(f->grant));
    set_payload(&f->p[2], "alnum-500", alnum_text(500, 7));
    set_payload(&f->p[3], "alnum-1500", alnum_text(1500, 11));
    set_payload(&f->p[4], "bytes-1000", byte_text(1000));
    /* UTF-8 text: must come back as the same bytes, not re-encoded */
    set_payload(&f->p[5], "utf8", text_dup("Tigrinya \xe1\x89\xb5\xe1\x8c\x8d"
                                         "\xe1\x88\xad\xe1\x8a\x9b, "
                                         "caf\xc3\xa9"));
    /* raw bytes with a NUL and bytes that are not UTF-8 */
    bin = malloc(65);
    if (bin == NULL)
        return -1;
    for (i = 0; i < 64; i++)
        bin[i] = (uint8_t)(i * 37 + 3);
    bin[10] = 0;
    bin[64] = 0;
    f->p[6].name = "binary";
    f->p[6].data = bin;
    f->p[6].len = 64;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    size_t i;

    for (i = 0; i < NPAYLOADS; i++)
        free(f->p[i].data);
    free(f->grant);
    free(f);
    return 0;
}

static const QRecLevel LEVELS[4] = {QR_ECLEVEL_L, QR_ECLEVEL_M,
                                    QR_ECLEVEL_Q, QR_ECLEVEL_H};
static const char LEVEL_NAMES[4] = {'L', 'M', 'Q', 'H'};

/* ---- degradations ---- */

enum {
    D_NONE, D_ROT7, D_ROT30, D_ROT90, D_SMALL, D_NOISE, D_BLUR, D_SHEAR,
    D_PHONE, D_COUNT
};

static const char *const D_NAMES[D_COUNT] = {
    "clean", "rotate-7", "rotate-30", "rotate-90", "3.2px/module",
    "noise-24", "blur-3x3", "shear-0.15", "phone-mix"
};

/* The clean image is drawn at BASE pixels a module. */
#define BASE 5
/* A phone-like frame: tilted, 3.5 pixels a module, out of focus, noisy. */
#define PHONE_PX 3.5
#define PHONE_FRAMES 3

static img degrade(const img *clean, int d, uint32_t seed)
{
    img a, b, c;

    switch (d) {
    case D_ROT7:
        return rotate(clean, 7);
    case D_ROT30:
        return rotate(clean, 30);
    case D_ROT90:
        return rotate(clean, 90);
    case D_SMALL:
        return scale_to(clean, 3.2 / BASE);
    case D_NOISE:
        return noise(clean, 24, seed);
    case D_BLUR:
        return blur3(clean);
    case D_SHEAR:
        return shear(clean, 0.15);
    case D_PHONE:
        a = rotate(clean, 7);
        b = scale_to(&a, PHONE_PX / BASE);
        img_free(&a);
        c = blur3(&b);
        img_free(&b);
        a = noise(&c, 12, seed);
        img_free(&c);
        return a;
    default:
        a = img_new(clean->w, clean->h, 255);
        memcpy(a.px, clean->px, (size_t)clean->w * clean->h);
        return a;
    }
}

/* Every payload at every level through every degradation, each of which
 * must read back exactly. The phone-like mix must be read in at least
 * one of PHONE_FRAMES frames that differ in their noise, as a phone
 * scanning video would: measured with zbar 0.23.92, about 2% of single
 * frames at this strength are missed (which frame varies with the noise),
 * never three in a row here. A failure is reported with its coordinates
 * before the test fails. */
static void test_degraded(void **state)
{
    fx *f = *state;
    size_t p, failures = 0, runs = 0, missed_frames = 0;
    int l, d, k, read;

    for (p = 0; p < NPAYLOADS; p++)
        for (l = 0; l < 4; l++) {
            img clean = render(f->p[p].data, f->p[p].len, LEVELS[l], BASE, 4);

            for (d = 0; d < D_COUNT; d++) {
                uint32_t seed = (uint32_t)(p * 131 + (size_t)l * 17 +
                                           (size_t)d);

                read = 0;
                for (k = 0; k < (d == D_PHONE ? PHONE_FRAMES : 1) && !read;
                     k++) {
                    img m = degrade(&clean, d, seed + 1000u * (uint32_t)k);

                    read = reads_as(&m, f->p[p].data, f->p[p].len);
                    if (!read && d == D_PHONE)
                        missed_frames++;
                    if (!read && (d != D_PHONE || k + 1 == PHONE_FRAMES))
                        print_message("not read: %s at %c, %s (%ux%u)\n",
                                      f->p[p].name, LEVEL_NAMES[l],
                                      D_NAMES[d], m.w, m.h);
                    img_free(&m);
                }
                runs++;
                failures += !read;
            }
            img_free(&clean);
        }
    print_message("degraded reads: %zu of %zu (%zu phone frames missed "
                  "and read in a later frame)\n", runs - failures, runs,
                  missed_frames);
    assert_int_equal(failures, 0);
}

/* ---- several codes, other content ---- */

static void paste(img *dst, const img *src, uint32_t x0, uint32_t y0)
{
    uint32_t y;

    for (y = 0; y < src->h; y++)
        memcpy(dst->px + (size_t)(y0 + y) * dst->w + x0,
               src->px + (size_t)y * src->w, src->w);
}

static void test_two_codes(void **state)
{
    fx *f = *state;
    img a = render_text("hello world", QR_ECLEVEL_M, 6);
    img b = render_text(f->grant, QR_ECLEVEL_M, 4);
    img both = img_new(a.w + b.w + 40, (a.h > b.h ? a.h : b.h) + 40, 255);
    nansen_qr_codes *codes = NULL;
    int seen_a = 0, seen_b = 0;
    size_t i, len;

    paste(&both, &a, 10, 20);
    paste(&both, &b, a.w + 30, 20);
    assert_int_equal(nansen_qr_read_gray(&codes, both.px, both.w, both.h),
                     NANSEN_OK);
    assert_int_equal(nansen_qr_codes_count(codes), 2);
    for (i = 0; i < 2; i++) {
        const char *t = nansen_qr_codes_text(codes, i, &len);

        assert_non_null(t);
        if (len == strlen("hello world") && strcmp(t, "hello world") == 0)
            seen_a++;
        else if (len == strlen(f->grant) && strcmp(t, f->grant) == 0)
            seen_b++;
    }
    assert_int_equal(seen_a, 1);
    assert_int_equal(seen_b, 1);
    assert_null(nansen_qr_codes_text(codes, 2, &len));
    assert_int_equal(len, 0);
    nansen_qr_codes_free(codes);
    img_free(&a);
    img_free(&b);
    img_free(&both);
}

/* Codes that are not Nansen's are read like any other; the frame decoder
 * then tells what they are not. */
static void test_foreign_text(void **state)
{
    static const char *const texts[] = {
        "hello world", "https://example.org/clinic?id=42&lang=ti",
        "HC2:NOT A CERTIFICATE", "ns1:lowercase prefix"
    };
    uint8_t cbor[64];
    size_t i, len;

    (void)state;
    for (i = 0; i < sizeof texts / sizeof *texts; i++) {
        img m = render_text(texts[i], QR_ECLEVEL_M, 4);

        assert_true(reads_as(&m, (const uint8_t *)texts[i],
                             strlen(texts[i])));
        len = sizeof cbor;
        assert_int_equal(nansen_frame_decode(cbor, &len, NULL, texts[i],
                                             strlen(texts[i]),
                                             NANSEN_FRAME_ALLOW_HC1),
                         NANSEN_ERR_WRONG_TYPE);
        img_free(&m);
    }
}

/* The framed grant read from an image unframes to the grant. */
static void test_grant_round_trip(void **state)
{
    fx *f = *state;
    img m = render_text(f->grant, QR_ECLEVEL_Q, 3);
    nansen_qr_codes *codes = NULL;
    nansen_frame_kind kind = 0;
    const char *t;
    size_t len = 0, cbor_len = 0;

    assert_int_equal(nansen_qr_read_gray(&codes, m.px, m.w, m.h), NANSEN_OK);
    t = nansen_qr_codes_text(codes, 0, &len);
    assert_non_null(t);
    assert_int_equal(nansen_frame_decode(NULL, &cbor_len, &kind, t, len, 0),
                     NANSEN_OK);
    assert_int_equal(kind, NANSEN_FRAME_NANSEN);
    assert_true(cbor_len > 100);
    nansen_qr_codes_free(codes);
    img_free(&m);
}

/* Light modules on a dark ground (a dark-mode screen) are read too. */
static void test_inverted(void **state)
{
    fx *f = *state;
    img m = render_text(f->grant, QR_ECLEVEL_M, 4);
    size_t i;

    for (i = 0; i < (size_t)m.w * m.h; i++)
        m.px[i] = (uint8_t)(255 - m.px[i]);
    assert_true(reads_as(&m, (const uint8_t *)f->grant, strlen(f->grant)));
    img_free(&m);
}

/* A (2r+1) x (2r+1) box blur, separable, white outside. */
static img box_blur(const img *s, int r)
{
    double *tmp = malloc((size_t)s->w * s->h * sizeof *tmp);
    img d = img_new(s->w, s->h, 255);
    long x, y, k, w = (long)s->w, h = (long)s->h;

    assert_non_null(tmp);
    for (y = 0; y < h; y++) {
        double sum = 0;

        for (k = -r; k <= r; k++)
            sum += at(s, k, y);
        for (x = 0; x < w; x++) {
            tmp[y * w + x] = sum;
            sum += at(s, x + r + 1, y) - at(s, x - r, y);
        }
    }
    for (x = 0; x < w; x++) {
        double sum = 0;

        for (k = -r; k <= r; k++)
            sum += k < 0 || k >= h ? 255.0 * (2 * r + 1) : tmp[k * w + x];
        for (y = 0; y < h; y++) {
            long in = y + r + 1, outr = y - r;

            d.px[y * w + x] =
                (uint8_t)(sum / ((2.0 * r + 1) * (2 * r + 1)) + 0.5);
            sum += (in < h ? tmp[in * w + x] : 255.0 * (2 * r + 1)) -
                   (outr >= 0 ? tmp[outr * w + x] : 255.0 * (2 * r + 1));
        }
    }
    free(tmp);
    return d;
}

/* Out-of-focus close-ups: thick, soft modules. At 80 pixels a module
 * (a 2960 x 2960 picture) under a 91 x 91 box blur, zbar 0.23.92 finds
 * the code only in the quarter-size copy of the reader's pyramid: without
 * the pyramid this case is not read. */
static void test_blurred_close_up(void **state)
{
    static const char text[] = "https://example.org/a-large-code";
    static const struct {
        int scale, r;
    } cases[] = {{40, 15}, {80, 45}, {80, 0}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        img m = render_text(text, QR_ECLEVEL_M, cases[i].scale);
        img b = box_blur(&m, cases[i].r);

        if (!reads_as(&b, (const uint8_t *)text, strlen(text)))
            fail_msg("%d pixels a module, blur %d: not read",
                     cases[i].scale, cases[i].r);
        img_free(&m);
        img_free(&b);
    }
}

/* NULLs go through plain function pointers, which carry no nonnull
 * attribute (see test_key.c). */
static void test_no_code_and_arguments(void **state)
{
    nansen_err (*read_gray)(nansen_qr_codes **, const uint8_t *, uint32_t,
                            uint32_t) = nansen_qr_read_gray;
    nansen_err (*read_image)(nansen_qr_codes **, const uint8_t *, size_t) =
        nansen_qr_read_image;
    img white = img_new(200, 150, 255), grey = img_new(64, 64, 128);
    nansen_qr_codes *codes = (nansen_qr_codes *)&white;
    uint8_t one = 0;
    size_t len = 7;

    (void)state;
    assert_int_equal(nansen_qr_read_gray(&codes, white.px, white.w, white.h),
                     NANSEN_ERR_NO_CODE);
    assert_null(codes);
    assert_int_equal(nansen_qr_read_gray(&codes, grey.px, grey.w, grey.h),
                     NANSEN_ERR_NO_CODE);
    assert_int_equal(nansen_qr_read_gray(&codes, &one, 1, 1),
                     NANSEN_ERR_NO_CODE);
    /* sizes: zero, and past NANSEN_QR_MAX_PIXELS (refused before the
     * pixels are touched, so a one-byte buffer is safe here) */
    assert_int_equal(nansen_qr_read_gray(&codes, &one, 0, 10),
                     NANSEN_ERR_BAD_IMAGE);
    assert_int_equal(nansen_qr_read_gray(&codes, &one, 10, 0),
                     NANSEN_ERR_BAD_IMAGE);
    assert_int_equal(nansen_qr_read_gray(&codes, &one, 8192, 8193),
                     NANSEN_ERR_BAD_IMAGE);
    assert_int_equal(nansen_qr_read_gray(&codes, &one, UINT32_MAX,
                                         UINT32_MAX), NANSEN_ERR_BAD_IMAGE);
    assert_int_equal(nansen_qr_read_gray(&codes, &one, 65536, 65536),
                     NANSEN_ERR_BAD_IMAGE);
    assert_null(codes);
    assert_true(nansen__image_size_ok(8192, 8192));
    assert_true(nansen__image_size_ok(65536, 1024));
    assert_true(nansen__image_size_ok(1, NANSEN_QR_MAX_PIXELS));
    assert_false(nansen__image_size_ok(1, NANSEN_QR_MAX_PIXELS + 1));
    assert_false(nansen__image_size_ok(65537, 1024));
    assert_false(nansen__image_size_ok(0, 0));
    /* NULLs */
    assert_int_equal(read_gray(NULL, white.px, 1, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(read_gray(&codes, NULL, 1, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(read_image(NULL, &one, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(read_image(&codes, NULL, 1), NANSEN_ERR_INVALID_ARG);
    assert_null(codes);
    /* the accessors on nothing */
    assert_int_equal(nansen_qr_codes_count(NULL), 0);
    assert_null(nansen_qr_codes_text(NULL, 0, &len));
    assert_int_equal(len, 0);
    assert_null(nansen_qr_codes_text(NULL, 0, NULL));
    nansen_qr_codes_free(NULL);
    img_free(&white);
    img_free(&grey);
}

/* ---- image files ---- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void pngw_write(png_structp png, png_bytep p, size_t n)
{
    buf_put(png_get_io_ptr(png), p, n);
}

static void pngw_flush(png_structp png)
{
    (void)png;
}

/* The colours used for colour files: dark blue ink on cream paper. */
static const uint8_t INK[3] = {20, 30, 90}, PAPER[3] = {250, 245, 230};

enum png_variant {
    PNG_GREY8, PNG_GREY1, PNG_GREY16, PNG_GREY_ALPHA, PNG_RGB, PNG_RGBA,
    PNG_RGB16, PNG_PALETTE, PNG_PALETTE_TRNS, PNG_INTERLACED
};

/* Write a black-and-white image as a PNG of the given kind. Light pixels
 * are made transparent in the alpha kinds (with black colour under them:
 * only compositing on white makes them light again). */
static buf write_png(const img *m, enum png_variant kind)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png_create_info_struct(png);
    int ctype = PNG_COLOR_TYPE_GRAY, depth = 8, interlace = 0, passes, pass;
    size_t rowbytes, x;
    uint8_t *row;
    uint32_t y;
    buf b = {0};

    assert_non_null(png);
    assert_non_null(info);
    switch (kind) {
    case PNG_GREY1: depth = 1; break;
    case PNG_GREY16: depth = 16; break;
    case PNG_GREY_ALPHA: ctype = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case PNG_RGB: ctype = PNG_COLOR_TYPE_RGB; break;
    case PNG_RGBA: ctype = PNG_COLOR_TYPE_RGB_ALPHA; break;
    case PNG_RGB16: ctype = PNG_COLOR_TYPE_RGB; depth = 16; break;
    case PNG_PALETTE: case PNG_PALETTE_TRNS:
        ctype = PNG_COLOR_TYPE_PALETTE; depth = 4; break;
    case PNG_INTERLACED: interlace = PNG_INTERLACE_ADAM7; break;
    default: break;
    }
    png_set_write_fn(png, &b, pngw_write, pngw_flush);
    png_set_IHDR(png, info, m->w, m->h, depth, ctype, interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (ctype == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[2] = {{250, 245, 230}, {20, 30, 90}};
        png_byte trns[2] = {0, 255};

        png_set_PLTE(png, info, pal, 2);
        if (kind == PNG_PALETTE_TRNS)
            png_set_tRNS(png, info, trns, 2, NULL);
    }
    png_write_info(png, info);
    passes = png_set_interlace_handling(png);
    rowbytes = png_get_rowbytes(png, info);
    row = calloc(1, rowbytes);
    assert_non_null(row);
    for (pass = 0; pass < passes; pass++)
        for (y = 0; y < m->h; y++) {
            memset(row, 0, rowbytes);
            for (x = 0; x < m->w; x++) {
                uint8_t v = m->px[(size_t)y * m->w + x];
                int dark = v < 128;

                switch (kind) {
                case PNG_GREY1:
                    if (!dark)
                        row[x / 8] |= (uint8_t)(0x80 >> (x % 8));
                    break;
                case PNG_GREY16:
                    row[2 * x] = v;
                    row[2 * x + 1] = v;
                    break;
                case PNG_GREY_ALPHA:
                    row[2 * x] = 0;
                    row[2 * x + 1] = dark ? 255 : 0;
                    break;
                case PNG_RGB:
                    memcpy(row + 3 * x, dark ? INK : PAPER, 3);
                    break;
                case PNG_RGBA:
                    row[4 * x + 3] = dark ? 255 : 0;
                    break;
                case PNG_RGB16:
                    for (int c = 0; c < 3; c++) {
                        row[6 * x + 2 * c] = (dark ? INK : PAPER)[c];
                        row[6 * x + 2 * c + 1] = 0x5a;
                    }
                    break;
                case PNG_PALETTE: case PNG_PALETTE_TRNS:
                    if (dark)
                        row[x / 2] |= (uint8_t)(x % 2 ? 1 : 0x10);
                    break;
                default:
                    row[x] = v;
                    break;
                }
            }
            png_write_row(png, row);
        }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return b;
}

enum jpeg_mode { JPEG_GREY, JPEG_COLOUR, JPEG_CMYK };

/* A JPEG of the image: grey, colour (ink on paper, YCbCr) or CMYK (Adobe
 * style, 255 meaning no ink), baseline or progressive. */
static buf write_jpeg(const img *m, enum jpeg_mode mode, int progressive,
                      int quality)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *out = NULL;
    unsigned long out_len = 0;
    uint8_t *row = malloc((size_t)m->w * 4);
    buf b = {0};
    uint32_t x;

    assert_non_null(row);
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &out_len);
    c.image_width = m->w;
    c.image_height = m->h;
    c.input_components = mode == JPEG_GREY ? 1 : mode == JPEG_COLOUR ? 3 : 4;
    c.in_color_space = mode == JPEG_GREY     ? JCS_GRAYSCALE
                       : mode == JPEG_COLOUR ? JCS_RGB
                                             : JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    if (progressive)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        const uint8_t *src = m->px + (size_t)c.next_scanline * m->w;
        JSAMPROW r = row;

        for (x = 0; x < m->w; x++) {
            if (mode == JPEG_GREY) {
                row[x] = src[x];
            } else if (mode == JPEG_COLOUR) {
                memcpy(row + 3 * x, src[x] < 128 ? INK : PAPER, 3);
            } else {
                /* cyan ink on paper: C, M, Y, K inverted */
                row[4 * x] = src[x] < 128 ? 0 : 255;
                row[4 * x + 1] = 255;
                row[4 * x + 2] = 255;
                row[4 * x + 3] = src[x] < 128 ? 60 : 255;
            }
        }
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    buf_put(&b, out, out_len);
    free(out);
    free(row);
    return b;
}

/* A PGM (channels 1) or PPM (3) with the given maxval; colour is ink on
 * paper, scaled to maxval. A comment sits in the header. */
static buf write_pnm(const img *m, int channels, unsigned int maxval)
{
    char head[96];
    buf b = {0};
    size_t i;
    int n, c;

    n = snprintf(head, sizeof head, "P%c\n# nansen test\n%u %u\n%u\n",
                 channels == 1 ? '5' : '6', m->w, m->h, maxval);
    buf_put(&b, head, (size_t)n);
    for (i = 0; i < (size_t)m->w * m->h; i++)
        for (c = 0; c < channels; c++) {
            unsigned int v8 = channels == 1 ? m->px[i]
                              : (m->px[i] < 128 ? INK : PAPER)[c];
            unsigned int v = (v8 * maxval + 127) / 255;
            uint8_t two[2] = {(uint8_t)(v >> 8), (uint8_t)v};

            if (maxval < 256)
                buf_put(&b, two + 1, 1);
            else
                buf_put(&b, two, 2);
        }
    return b;
}

static void test_file_formats(void **state)
{
    fx *f = *state;
    img m = render_text(f->grant, QR_ECLEVEL_M, 3);
    buf b;
    int k;

    for (k = PNG_GREY8; k <= PNG_INTERLACED; k++) {
        b = write_png(&m, (enum png_variant)k);
        assert_file_reads_as(b.p, b.len, f->grant);
        free(b.p);
    }
    for (k = 0; k < 6; k++) {
        b = write_jpeg(&m, (enum jpeg_mode)(k % 3), k / 3, 90);
        assert_file_reads_as(b.p, b.len, f->grant);
        free(b.p);
    }
    b = write_pnm(&m, 1, 255);
    assert_file_reads_as(b.p, b.len, f->grant);
    free(b.p);
    b = write_pnm(&m, 1, 1);
    assert_file_reads_as(b.p, b.len, f->grant);
    free(b.p);
    b = write_pnm(&m, 1, 1000);
    assert_file_reads_as(b.p, b.len, f->grant);
    free(b.p);
    b = write_pnm(&m, 3, 255);
    assert_file_reads_as(b.p, b.len, f->grant);
    free(b.p);
    b = write_pnm(&m, 3, 65535);
    assert_file_reads_as(b.p, b.len, f->grant);
    free(b.p);
    img_free(&m);
}

/* Decode through the internal decoder and check exact grey values. */
static img decoded(const uint8_t *file, size_t len)
{
    img m;

    assert_int_equal(nansen__image_decode(file, len, &m.px, &m.w, &m.h),
                     NANSEN_OK);
    return m;
}

static void test_grey_conversion(void **state)
{
    /* 2x1 PPM: pure red and pure blue; BT.601: 76 and 29 */
    static const uint8_t ppm[] = "P6 2 1 255\n\xff\x00\x00\x00\x00\xff";
    /* 16-bit PGM: 0x8080 of 65535, and 1000 of 1000 */
    static const uint8_t pgm16[] = "P5 1 1 65535\n\x80\x80";
    static const uint8_t pgm1000[] = "P5\t1\r1\f1000#c\n\x03\xe8";
    /* comments everywhere a space may be, CR LF line ends */
    static const uint8_t pgm_c[] =
        "P5#a\r\n#b\r\n3 #w\r\n1 #h\r\n255\r\x00\x80\xff";
    img m;
    img a = img_new(2, 2, 0);
    buf b;

    (void)state;
    m = decoded(ppm, sizeof ppm - 1);
    assert_int_equal(m.w, 2);
    assert_int_equal(m.h, 1);
    assert_int_equal(m.px[0], 76);
    assert_int_equal(m.px[1], 29);
    img_free(&m);
    m = decoded(pgm16, sizeof pgm16 - 1);
    assert_int_equal(m.px[0], (0x8080u * 255 + 32767) / 65535);
    img_free(&m);
    m = decoded(pgm1000, sizeof pgm1000 - 1);
    assert_int_equal(m.px[0], 255);
    img_free(&m);
    m = decoded(pgm_c, sizeof pgm_c - 1);
    assert_int_equal(m.w, 3);
    assert_int_equal(m.px[0], 0);
    assert_int_equal(m.px[1], 128);
    assert_int_equal(m.px[2], 255);
    img_free(&m);

    /* alpha: transparent pixels become white, opaque black stays black */
    a.px[0] = 0;
    a.px[1] = 255;
    a.px[2] = 0;
    a.px[3] = 255;
    b = write_png(&a, PNG_RGBA);
    m = decoded(b.p, b.len);
    assert_int_equal(m.px[0], 0);
    assert_int_equal(m.px[1], 255);
    img_free(&m);
    free(b.p);
    /* a palette with ink and paper */
    b = write_png(&a, PNG_PALETTE);
    m = decoded(b.p, b.len);
    assert_int_equal(m.px[0], (299 * 20 + 587 * 30 + 114 * 90 + 500) / 1000);
    assert_int_equal(m.px[1], (299 * 250 + 587 * 245 + 114 * 230 + 500) /
                                  1000);
    img_free(&m);
    free(b.p);
    b = write_png(&a, PNG_PALETTE_TRNS);     /* paper is transparent */
    m = decoded(b.p, b.len);
    assert_int_equal(m.px[1], 255);
    img_free(&m);
    free(b.p);
    img_free(&a);
}

/* Every PGM/PPM here breaks one rule; each must give BAD_IMAGE. */
static void test_hostile_pnm(void **state)
{
    static const struct {
        const char *text;
        size_t len;
    } bad[] = {
#define B(s) {s, sizeof s - 1}
        B("P5 4 1 255\n\x01\x02\x03"),          /* short body */
        B("P5 4 1 255\n\x01\x02\x03\x04\x05"),  /* bytes after it */
        B("P5 1 1 0\n\x00"),                    /* maxval 0 */
        B("P5 1 1 65536\n\x00\x00"),            /* maxval too large */
        B("P5 0 1 255\n"),                      /* no width */
        B("P5 1 0 255\n"),                      /* no height */
        B("P5 1 1 255"),                        /* no end of header */
        B("P5 1 1 255x\x00"),                   /* not whitespace */
        B("P51 1 255\n\x00"),                   /* no space after magic */
        B("P5 -1 1 255\n\x00"),                 /* sign */
        B("P5 +1 1 255\n\x00"),
        B("P5 1.0 1 255\n\x00"),
        B("P5 4294967296 1 255\n\x00"),         /* past 32 bits */
        B("P5 99999999999999999999 1 255\n\x00"),
        B("P5 100000 100000 255\n\x00"),        /* huge in a tiny file */
        B("P5 8192 8193 255\n\x00"),            /* just past the limit */
        B("P6 65536 1025 255\n\x00"),
        B("P5 1 1 100\n\xc8"),                  /* sample above maxval */
        B("P5 1 1 1000\n\x03\xe9"),
        B("P5 2 1 1000\n\x00\x01\x00"),         /* odd 16-bit body */
        B("P6 2 1 255\n\x00\x00"),              /* P5 body in a P6 */
        B("P5 1 1 255 #comment\n\x00"),         /* two bytes end header */
        B("P5 1 1 255#no end"),
        B("P5"),
        B("P5\n"),
        B("P2 1 1 255\n0\n"),                   /* plain (ASCII) PGM */
        B("P3 1 1 255\n0 0 0\n"),
        B("P4 8 1\n\x00"),                      /* PBM */
        B("P7\nWIDTH 1\n"),                     /* PAM */
        B("GIF89a\x01\x00\x01\x00"),
        B("BM"),
        B("\x89PNG"),                           /* short magic */
        B("\xff\xd8"),
        B(""),
#undef B
    };
    static const uint8_t ok_pgm[] = "P5\t2 #x\n1\n255\n\x00\xff";
    nansen_qr_codes *codes = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        nansen_err err = nansen_qr_read_image(
            &codes, (const uint8_t *)bad[i].text, bad[i].len);

        if (err != NANSEN_ERR_BAD_IMAGE)
            print_message("case %zu: %s\n", i, nansen_err_name(err));
        assert_int_equal(err, NANSEN_ERR_BAD_IMAGE);
        assert_null(codes);
    }
    /* a valid tiny header (comments, tabs) parses: no code, not bad */
    assert_int_equal(nansen_qr_read_image(&codes, ok_pgm, sizeof ok_pgm - 1),
                     NANSEN_ERR_NO_CODE);
}

/* Every prefix of a good file is a bad one. */
static void check_truncations(const buf *b, size_t step_after)
{
    nansen_qr_codes *codes = NULL;
    size_t n;

    for (n = 0; n < b->len; n += n < step_after ? 1 : 7) {
        nansen_err err = nansen_qr_read_image(&codes, b->p, n);

        if (err != NANSEN_ERR_BAD_IMAGE)
            print_message("length %zu of %zu: %s\n", n, b->len,
                          nansen_err_name(err));
        assert_int_equal(err, NANSEN_ERR_BAD_IMAGE);
        assert_null(codes);
    }
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void test_hostile_png(void **state)
{
    img m = render_text("truncate me", QR_ECLEVEL_L, 2);
    nansen_qr_codes *codes = NULL;
    buf b = write_png(&m, PNG_GREY8), i = write_png(&m, PNG_INTERLACED);
    uint8_t *c;
    size_t k;
    nansen_err err;

    (void)state;
    assert_file_reads_as(b.p, b.len, "truncate me");
    check_truncations(&b, b.len);
    check_truncations(&i, i.len);

    /* IHDR (at byte 16) claiming 100000 x 100000, with a good CRC */
    c = malloc(b.len);
    assert_non_null(c);
    memcpy(c, b.p, b.len);
    put_be32(c + 16, 100000);
    put_be32(c + 20, 100000);
    put_be32(c + 29, (uint32_t)crc32(0, c + 12, 17));
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    /* just past the pixel limit */
    put_be32(c + 16, 8192);
    put_be32(c + 20, 8193);
    put_be32(c + 29, (uint32_t)crc32(0, c + 12, 17));
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    /* within it, but the data is far too short */
    put_be32(c + 16, 8192);
    put_be32(c + 20, 8192);
    put_be32(c + 29, (uint32_t)crc32(0, c + 12, 17));
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    /* a bad CRC in IHDR */
    memcpy(c, b.p, b.len);
    c[29] ^= 1;
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    /* every single-byte flip: never a crash; a code, no code or bad */
    for (k = 8; k < b.len; k++) {
        memcpy(c, b.p, b.len);
        c[k] ^= 0x55;
        err = nansen_qr_read_image(&codes, c, b.len);
        assert_true(err == NANSEN_OK || err == NANSEN_ERR_NO_CODE ||
                    err == NANSEN_ERR_BAD_IMAGE);
        nansen_qr_codes_free(codes);
        codes = NULL;
    }
    assert_int_equal(be32(b.p + 8), 13);      /* IHDR length, as assumed */
    free(c);
    free(b.p);
    free(i.p);
    img_free(&m);
}

static void test_hostile_jpeg(void **state)
{
    img m = render_text("truncate me", QR_ECLEVEL_L, 3);
    nansen_qr_codes *codes = NULL;
    buf b = write_jpeg(&m, JPEG_GREY, 0, 90);
    buf p = write_jpeg(&m, JPEG_COLOUR, 1, 90);
    uint8_t *c;
    size_t k, sof = 0;
    nansen_err err;

    (void)state;
    assert_file_reads_as(b.p, b.len, "truncate me");
    assert_file_reads_as(p.p, p.len, "truncate me");
    check_truncations(&b, 2048);
    check_truncations(&p, 2048);

    /* SOF0 claiming 60000 x 60000 in a tiny file */
    c = malloc(b.len);
    assert_non_null(c);
    memcpy(c, b.p, b.len);
    for (k = 2; k + 9 < b.len; k++)
        if (c[k] == 0xff && c[k + 1] == 0xc0) {
            sof = k;
            break;
        }
    assert_true(sof > 0);
    c[sof + 5] = 0xea;      /* height 0xea60 = 60000 */
    c[sof + 6] = 0x60;
    c[sof + 7] = 0xea;      /* width */
    c[sof + 8] = 0x60;
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    c[sof + 5] = 0x20;      /* 8193 x 8192 */
    c[sof + 6] = 0x01;
    c[sof + 7] = 0x20;
    c[sof + 8] = 0x00;
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    c[sof + 5] = 0x00;      /* height 0 (defined by a DNL: unsupported) */
    c[sof + 6] = 0x00;
    assert_int_equal(nansen_qr_read_image(&codes, c, b.len),
                     NANSEN_ERR_BAD_IMAGE);
    /* byte flips in the headers and data: never a crash */
    for (k = 2; k < b.len; k += 3) {
        memcpy(c, b.p, b.len);
        c[k] ^= 0x55;
        err = nansen_qr_read_image(&codes, c, b.len);
        assert_true(err == NANSEN_OK || err == NANSEN_ERR_NO_CODE ||
                    err == NANSEN_ERR_BAD_IMAGE);
        nansen_qr_codes_free(codes);
        codes = NULL;
    }
    free(c);
    free(b.p);
    free(p.p);
    img_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_code_and_arguments),
        cmocka_unit_test(test_foreign_text),
        cmocka_unit_test(test_grant_round_trip),
        cmocka_unit_test(test_two_codes),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_blurred_close_up),
        cmocka_unit_test(test_grey_conversion),
        cmocka_unit_test(test_file_formats),
        cmocka_unit_test(test_hostile_pnm),
        cmocka_unit_test(test_hostile_png),
        cmocka_unit_test(test_hostile_jpeg),
        cmocka_unit_test(test_degraded),
    };
    return cmocka_run_group_tests_name("qr_read", tests, setup, teardown);
}
