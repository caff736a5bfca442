/* cbor.c - deterministic CBOR: checker, writer and zero-copy reader.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The rules are in spec/cbor.md. The checker walks the input once, with
 * recursion bounded by NANSEN_CBOR_MAX_DEPTH and every declared length
 * compared with the bytes that remain before anything is trusted. The
 * writer takes its heads from libcbor's encoders, which choose the
 * shortest form, and sorts each map when it is closed.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cbor.h>

#include "internal/cbor.h"
#include "internal/internal.h"

/* ---- heads ---- */

typedef struct head {
    int major;
    int ai;             /* additional information, 0-31 */
    uint64_t arg;
    size_t len;         /* bytes of the head */
} head;

static nansen_err read_head(const uint8_t *p, const uint8_t *end, head *h)
{
    size_t n, i;

    if (p >= end)
        return NANSEN_ERR_TRUNCATED;
    h->major = p[0] >> 5;
    h->ai = p[0] & 0x1f;
    if (h->ai < 24) {
        h->arg = (uint64_t)h->ai;
        h->len = 1;
        return NANSEN_OK;
    }
    if (h->ai <= 27) {
        n = (size_t)1 << (h->ai - 24);
        if ((size_t)(end - p) < 1 + n)
            return NANSEN_ERR_TRUNCATED;
        h->arg = 0;
        for (i = 0; i < n; i++)
            h->arg = h->arg << 8 | p[1 + i];
        h->len = 1 + n;
        return NANSEN_OK;
    }
    if (h->ai == 31 && h->major >= 2 && h->major <= 5)
        return NANSEN_ERR_CBOR_INDEFINITE;
    /* 28-30 are reserved; 31 on majors 0, 1, 6 is invalid and on 7 is a
     * break with nothing to end. */
    return NANSEN_ERR_MALFORMED;
}

static size_t head_size(uint64_t arg)
{
    if (arg < 24)
        return 1;
    if (arg <= 0xff)
        return 2;
    if (arg <= 0xffff)
        return 3;
    if (arg <= 0xffffffffu)
        return 5;
    return 9;
}

/* For majors 0-6: is the argument in its shortest form? */
static int head_shortest(const head *h)
{
    return h->len == head_size(h->arg);
}

/* ---- floats ---- */

static double half_to_double(uint16_t h)
{
    int exp = (h >> 10) & 0x1f;
    double mant = h & 0x3ff, v;

    if (exp == 0)
        v = ldexp(mant, -24);
    else if (exp != 31)
        v = ldexp(mant + 1024, exp - 25);
    else
        v = mant == 0 ? INFINITY : NAN;
    return (h & 0x8000) ? -v : v;
}

static double single_to_double(uint32_t bits)
{
    float f;

    memcpy(&f, &bits, sizeof f);
    return (double)f;
}

static double double_from_bits(uint64_t bits)
{
    double d;

    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Can a half-precision float hold d exactly? */
static int half_exact(double d)
{
    double a = fabs(d), m;
    int e;

    if (isnan(d))
        return 0;
    if (a == 0 || isinf(d))
        return 1;
    if (a > 65504.0)
        return 0;
    m = frexp(a, &e);          /* a = m * 2^e, 0.5 <= m < 1 */
    if (e - 1 >= -14)          /* normal: 11 significant bits */
        return ldexp(m, 11) == floor(ldexp(m, 11));
    /* subnormal: a multiple of 2^-24 */
    return ldexp(a, 24) == floor(ldexp(a, 24));
}

static int single_exact(double d)
{
    if (isnan(d))
        return 0;
    if (isinf(d))
        return 1;
    if (fabs(d) > FLT_MAX)
        return 0;
    return (double)(float)d == d;
}

/* RFC 8949 section 4.2.1/4.2.2: the shortest form that keeps the value;
 * NaN only as the half 0x7e00. */
static int float_shortest(const head *h)
{
    double d;

    switch (h->ai) {
    case 25:
        if (isnan(half_to_double((uint16_t)h->arg)))
            return h->arg == 0x7e00;
        return 1;
    case 26:
        d = single_to_double((uint32_t)h->arg);
        return !isnan(d) && !half_exact(d);
    default:
        d = double_from_bits(h->arg);
        return !isnan(d) && !half_exact(d) && !single_exact(d);
    }
}

/* ---- UTF-8 (RFC 3629) ---- */

static int utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t c = s[i];
        size_t k, need;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= need)
            return 0;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* ---- checker ---- */

typedef struct checker {
    const uint8_t *end;
    unsigned int flags;
    size_t items;
} checker;

typedef struct span {
    const uint8_t *p;
    size_t n;
} span;

/* Order of two encoded keys: bytewise, a shorter prefix first. */
static int bytes_cmp(const uint8_t *a, size_t an, const uint8_t *b,
                     size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);

    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn;
}

/* Compare keys by value for integers and strings (two encodings of the
 * same number are the same key), by bytes otherwise. Keys here passed the
 * checker already. */
static int key_cmp(const void *va, const void *vb)
{
    const span *a = va, *b = vb;
    head ha, hb;

    if (read_head(a->p, a->p + a->n, &ha) == NANSEN_OK &&
        read_head(b->p, b->p + b->n, &hb) == NANSEN_OK &&
        ha.major <= 3 && hb.major <= 3) {
        if (ha.major != hb.major)
            return ha.major < hb.major ? -1 : 1;
        if (ha.major <= 1)
            return ha.arg < hb.arg ? -1 : ha.arg > hb.arg;
        return bytes_cmp(a->p + ha.len, a->n - ha.len, b->p + hb.len,
                         b->n - hb.len);
    }
    return bytes_cmp(a->p, a->n, b->p, b->n);
}

static nansen_err check_item(checker *c, const uint8_t *p, unsigned depth,
                             size_t *len);

static nansen_err check_map(checker *c, const uint8_t *q, uint64_t n,
                            unsigned depth, size_t *body)
{
    int by_value = (c->flags & (NANSEN_CBOR_ALLOW_UNSORTED |
                                NANSEN_CBOR_ALLOW_LONG_FORM)) != 0;
    const uint8_t *start = q, *prev = NULL;
    size_t prev_len = 0, klen, vlen;
    span *keys = NULL;
    uint64_t i;
    nansen_err err = NANSEN_OK;

    if (by_value && n > 1 &&
        (keys = malloc((size_t)n * sizeof *keys)) == NULL)
        return NANSEN_ERR_NOMEM;
    for (i = 0; i < n; i++) {
        if ((err = check_item(c, q, depth, &klen)) != NANSEN_OK)
            goto out;
        if (!(c->flags & NANSEN_CBOR_ALLOW_UNSORTED) && prev != NULL) {
            int cmp = bytes_cmp(prev, prev_len, q, klen);

            if (cmp == 0) {
                err = NANSEN_ERR_CBOR_DUPLICATE_KEY;
                goto out;
            }
            if (cmp > 0) {
                err = NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
                goto out;
            }
        }
        if (keys != NULL) {
            keys[i].p = q;
            keys[i].n = klen;
        }
        prev = q;
        prev_len = klen;
        q += klen;
        if ((err = check_item(c, q, depth, &vlen)) != NANSEN_OK)
            goto out;
        q += vlen;
    }
    if (keys != NULL) {
        qsort(keys, (size_t)n, sizeof *keys, key_cmp);
        for (i = 1; i < n; i++)
            if (key_cmp(&keys[i - 1], &keys[i]) == 0) {
                err = NANSEN_ERR_CBOR_DUPLICATE_KEY;
                goto out;
            }
    }
    *body = (size_t)(q - start);
out:
    free(keys);
    return err;
}

static nansen_err check_item(checker *c, const uint8_t *p, unsigned depth,
                             size_t *len)
{
    int strict = !(c->flags & NANSEN_CBOR_ALLOW_LONG_FORM);
    const uint8_t *q;
    size_t remain, sub, body;
    uint64_t i;
    head h;
    nansen_err err;

    if ((err = read_head(p, c->end, &h)) != NANSEN_OK)
        return err;
    if (++c->items > NANSEN_CBOR_MAX_ITEMS)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    q = p + h.len;
    remain = (size_t)(c->end - q);
    if (h.major != 7 && strict && !head_shortest(&h))
        return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;

    switch (h.major) {
    case 0:
    case 1:
        *len = h.len;
        return NANSEN_OK;
    case 2:
    case 3:
        if (h.arg > remain)
            return NANSEN_ERR_TRUNCATED;
        if (h.major == 3 && !utf8_valid(q, (size_t)h.arg))
            return NANSEN_ERR_MALFORMED;
        *len = h.len + (size_t)h.arg;
        return NANSEN_OK;
    case 4:
    case 5:
    case 6:
        if (depth >= NANSEN_CBOR_MAX_DEPTH)
            return NANSEN_ERR_CBOR_TOO_DEEP;
        break;
    default:
        if (h.ai == 24 && h.arg < 32)      /* simple 0-31 take one byte */
            return NANSEN_ERR_MALFORMED;
        if (h.ai >= 25 && strict && !float_shortest(&h))
            return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
        *len = h.len;
        return NANSEN_OK;
    }

    if (h.major == 6) {
        if ((err = check_item(c, q, depth + 1, &sub)) != NANSEN_OK)
            return err;
        *len = h.len + sub;
        return NANSEN_OK;
    }
    if (h.major == 4) {
        /* every item takes at least one byte */
        if (h.arg > remain)
            return NANSEN_ERR_TRUNCATED;
        for (i = 0, body = 0; i < h.arg; i++) {
            if ((err = check_item(c, q + body, depth + 1, &sub)) != NANSEN_OK)
                return err;
            body += sub;
        }
        *len = h.len + body;
        return NANSEN_OK;
    }
    if (h.arg > remain / 2)
        return NANSEN_ERR_TRUNCATED;
    if ((err = check_map(c, q, h.arg, depth + 1, &body)) != NANSEN_OK)
        return err;
    *len = h.len + body;
    return NANSEN_OK;
}

nansen_err nansen__cbor_check_prefix(const uint8_t *in, size_t in_len,
                                     unsigned int flags, size_t *item_len)
{
    checker c;

    ARG_CHECK(item_len != NULL);
    *item_len = 0;
    ARG_CHECK(in != NULL || in_len == 0);
    ARG_CHECK((flags & ~(NANSEN_CBOR_ALLOW_UNSORTED |
                         NANSEN_CBOR_ALLOW_LONG_FORM)) == 0);
    if (in_len == 0)
        return NANSEN_ERR_MALFORMED;
    if (in_len > NANSEN_CBOR_MAX_INPUT_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    c.end = in + in_len;
    c.flags = flags;
    c.items = 0;
    return check_item(&c, in, 0, item_len);
}

nansen_err nansen_cbor_check(const uint8_t *in, size_t in_len,
                             unsigned int flags)
{
    size_t n;
    nansen_err err = nansen__cbor_check_prefix(in, in_len, flags, &n);

    if (err == NANSEN_OK && n != in_len)
        return NANSEN_ERR_TRAILING_DATA;
    return err;
}

/* ---- writer ---- */

void nansen__cbw_init(nansen__cbw *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->err = NANSEN_OK;
}

static void fail(nansen__cbw *w, nansen_err err)
{
    if (w->err == NANSEN_OK)
        w->err = err;
}

/* The buffer ran out: keep counting so that finish can tell the size
 * needed, but write nothing more. */
static void overflow(nansen__cbw *w)
{
    fail(w, NANSEN_ERR_BUFFER_TOO_SMALL);
    w->buf = NULL;
}

static int writing(const nansen__cbw *w)
{
    return w->buf != NULL &&
           (w->err == NANSEN_OK || w->err == NANSEN_ERR_BUFFER_TOO_SMALL);
}

typedef size_t (*head_fn)(uint64_t, unsigned char *, size_t);

static size_t enc_uint(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_uint(v, b, n);
}
static size_t enc_negint(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_negint(v, b, n);
}
static size_t enc_bytes(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_bytestring_start((size_t)v, b, n);
}
static size_t enc_text(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_string_start((size_t)v, b, n);
}
static size_t enc_array(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_array_start((size_t)v, b, n);
}
static size_t enc_map(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_map_start((size_t)v, b, n);
}
static size_t enc_tag(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_tag(v, b, n);
}
static size_t enc_simple(uint64_t v, unsigned char *b, size_t n)
{
    return cbor_encode_ctrl((uint8_t)v, b, n);
}

static void put_head(nansen__cbw *w, head_fn fn, uint64_t arg)
{
    size_t need = head_size(arg), got;

    if (writing(w)) {
        got = w->len <= w->cap ? fn(arg, w->buf + w->len, w->cap - w->len)
                               : 0;
        if (got == 0)
            overflow(w);
        else if (got != need)
            fail(w, NANSEN_ERR_INVALID_ARG);  /* libcbor disagreed */
    }
    w->len += need;
}

static void put_bytes(nansen__cbw *w, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (writing(w)) {
        if (w->cap - w->len < n || w->len > w->cap)
            overflow(w);
        else
            memcpy(w->buf + w->len, p, n);
    }
    w->len += n;
}

void nansen__cbw_uint(nansen__cbw *w, uint64_t v)
{
    put_head(w, enc_uint, v);
}

void nansen__cbw_int(nansen__cbw *w, int64_t v)
{
    if (v >= 0)
        put_head(w, enc_uint, (uint64_t)v);
    else
        put_head(w, enc_negint, (uint64_t)(-1 - v));
}

void nansen__cbw_bytes(nansen__cbw *w, const uint8_t *p, size_t n)
{
    if (p == NULL && n != 0) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    put_head(w, enc_bytes, n);
    put_bytes(w, p, n);
}

void nansen__cbw_text(nansen__cbw *w, const char *p, size_t n)
{
    if ((p == NULL && n != 0) ||
        (n != 0 && !utf8_valid((const uint8_t *)p, n))) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    put_head(w, enc_text, n);
    put_bytes(w, (const uint8_t *)p, n);
}

void nansen__cbw_array(nansen__cbw *w, size_t n)
{
    put_head(w, enc_array, n);
}

void nansen__cbw_tag(nansen__cbw *w, uint64_t tag)
{
    put_head(w, enc_tag, tag);
}

void nansen__cbw_bool(nansen__cbw *w, int v)
{
    put_head(w, enc_simple, v ? 21 : 20);
}

void nansen__cbw_null(nansen__cbw *w)
{
    put_head(w, enc_simple, 22);
}

void nansen__cbw_simple(nansen__cbw *w, uint8_t v)
{
    if (v >= 24 && v < 32) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    put_head(w, enc_simple, v);
}

void nansen__cbw_raw(nansen__cbw *w, const uint8_t *p, size_t n)
{
    if (p == NULL || nansen_cbor_check(p, n, 0) != NANSEN_OK) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    put_bytes(w, p, n);
}

void nansen__cbw_map(nansen__cbw *w, size_t n)
{
    put_head(w, enc_map, n);
    if (w->open >= NANSEN__CBW_MAX_OPEN_MAPS) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    w->maps[w->open].start = w->len;
    w->maps[w->open].count = n;
    w->open++;
}

typedef struct pair {
    size_t key, key_len, len;    /* offsets into the map body */
} pair;

static int pair_cmp(const uint8_t *base, const pair *a, const pair *b)
{
    return bytes_cmp(base + a->key, a->key_len, base + b->key, b->key_len);
}

/* Insertion sort: maps the library writes (headers, claims, keys) have a
 * handful of pairs, and C11's qsort has no context argument. */
static void sort_pairs(const uint8_t *base, pair *pairs, size_t count)
{
    size_t i, j;

    for (i = 1; i < count; i++) {
        pair x = pairs[i];

        for (j = i; j > 0 && pair_cmp(base, &pairs[j - 1], &x) > 0; j--)
            pairs[j] = pairs[j - 1];
        pairs[j] = x;
    }
}

/* Sort the pairs of the map that starts at body: parse them back, sort
 * their spans by encoded key, and lay them out again in order. */
static nansen_err sort_map(uint8_t *body, size_t body_len, size_t count)
{
    nansen__cbr r;
    pair *pairs;
    uint8_t *tmp;
    size_t i, off;
    nansen_err err = NANSEN_OK;

    if (count == 0)
        return body_len == 0 ? NANSEN_OK : NANSEN_ERR_INVALID_ARG;
    pairs = calloc(count, sizeof *pairs);
    tmp = malloc(body_len);
    if (pairs == NULL || tmp == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto out;
    }
    nansen__cbr_init(&r, body, body_len);
    for (i = 0; i < count; i++) {
        const uint8_t *ks, *vs;
        size_t kl, vl;

        if (nansen__cbr_skip(&r, &ks, &kl) != NANSEN_OK ||
            nansen__cbr_skip(&r, &vs, &vl) != NANSEN_OK) {
            err = NANSEN_ERR_INVALID_ARG;     /* fewer pairs than declared */
            goto out;
        }
        pairs[i].key = (size_t)(ks - body);
        pairs[i].key_len = kl;
        pairs[i].len = kl + vl;
    }
    if (!nansen__cbr_done(&r)) {
        err = NANSEN_ERR_INVALID_ARG;         /* more pairs than declared */
        goto out;
    }
    memcpy(tmp, body, body_len);
    sort_pairs(tmp, pairs, count);
    for (i = 1; i < count; i++)
        if (pair_cmp(tmp, &pairs[i - 1], &pairs[i]) == 0) {
            err = NANSEN_ERR_CBOR_DUPLICATE_KEY;
            goto out;
        }
    for (i = 0, off = 0; i < count; i++) {
        memcpy(body + off, tmp + pairs[i].key, pairs[i].len);
        off += pairs[i].len;
    }
out:
    free(pairs);
    free(tmp);
    return err;
}

void nansen__cbw_map_end(nansen__cbw *w)
{
    size_t start, count;
    nansen_err err;

    if (w->open == 0) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    w->open--;
    start = w->maps[w->open].start;
    count = w->maps[w->open].count;
    if (!writing(w) || w->err != NANSEN_OK)
        return;                   /* measuring: nothing to sort */
    err = sort_map(w->buf + start, w->len - start, count);
    if (err != NANSEN_OK)
        fail(w, err);
}

nansen_err nansen__cbw_finish(nansen__cbw *w, size_t *len)
{
    if (w->open != 0)
        fail(w, NANSEN_ERR_INVALID_ARG);
    *len = w->err == NANSEN_OK || w->err == NANSEN_ERR_BUFFER_TOO_SMALL
               ? w->len : 0;
    return w->err;
}

/* ---- reader ---- */

void nansen__cbr_init(nansen__cbr *r, const uint8_t *in, size_t len)
{
    r->p = in;
    r->end = in != NULL ? in + len : in;
}

nansen_err nansen__cbr_next(nansen__cbr *r, nansen__cbor_item *it)
{
    head h;
    nansen_err err;

    memset(it, 0, sizeof *it);
    if ((err = read_head(r->p, r->end, &h)) != NANSEN_OK)
        return err;
    it->start = r->p;
    switch (h.major) {
    case 2:
    case 3:
        if (h.arg > (uint64_t)(r->end - r->p - (ptrdiff_t)h.len))
            return NANSEN_ERR_TRUNCATED;
        it->type = h.major == 2 ? NANSEN__CBOR_BYTES : NANSEN__CBOR_TEXT;
        it->str = r->p + h.len;
        it->len = (size_t)h.arg;
        r->p += h.len + (size_t)h.arg;
        return NANSEN_OK;
    case 7:
        if (h.ai == 24 && h.arg < 32)
            return NANSEN_ERR_MALFORMED;
        if (h.ai <= 24) {
            it->type = NANSEN__CBOR_SIMPLE;
            it->v.u = h.arg;
        } else {
            it->type = NANSEN__CBOR_FLOAT;
            it->v.f = h.ai == 25 ? half_to_double((uint16_t)h.arg)
                    : h.ai == 26 ? single_to_double((uint32_t)h.arg)
                                 : double_from_bits(h.arg);
        }
        break;
    default:
        it->type = (nansen__cbor_type)h.major;
        it->v.u = h.arg;
        break;
    }
    r->p += h.len;
    return NANSEN_OK;
}

static nansen_err skip(nansen__cbr *r, unsigned depth)
{
    nansen__cbor_item it;
    uint64_t n, i;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    switch (it.type) {
    case NANSEN__CBOR_ARRAY:
        n = it.v.u;
        break;
    case NANSEN__CBOR_MAP:
        if (it.v.u > UINT64_MAX / 2)
            return NANSEN_ERR_TRUNCATED;
        n = 2 * it.v.u;
        break;
    case NANSEN__CBOR_TAG:
        n = 1;
        break;
    default:
        return NANSEN_OK;
    }
    if (depth >= NANSEN_CBOR_MAX_DEPTH)
        return NANSEN_ERR_CBOR_TOO_DEEP;
    if (n > (uint64_t)(r->end - r->p))
        return NANSEN_ERR_TRUNCATED;
    for (i = 0; i < n; i++)
        if ((err = skip(r, depth + 1)) != NANSEN_OK)
            return err;
    return NANSEN_OK;
}

nansen_err nansen__cbr_skip(nansen__cbr *r, const uint8_t **start,
                            size_t *len)
{
    const uint8_t *s = r->p;
    nansen_err err = skip(r, 0);

    if (err != NANSEN_OK)
        return err;
    if (start != NULL)
        *start = s;
    if (len != NULL)
        *len = (size_t)(r->p - s);
    return NANSEN_OK;
}

nansen_err nansen__cbr_int(nansen__cbr *r, int64_t *v)
{
    nansen__cbor_item it;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if ((it.type != NANSEN__CBOR_UINT && it.type != NANSEN__CBOR_NINT) ||
        it.v.u > (uint64_t)INT64_MAX)
        return NANSEN_ERR_MALFORMED;
    *v = it.type == NANSEN__CBOR_UINT ? (int64_t)it.v.u
                                      : -1 - (int64_t)it.v.u;
    return NANSEN_OK;
}

static nansen_err read_string(nansen__cbr *r, nansen__cbor_type want,
                              const uint8_t **p, size_t *n)
{
    nansen__cbor_item it;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if (it.type != want)
        return NANSEN_ERR_MALFORMED;
    *p = it.str;
    *n = it.len;
    return NANSEN_OK;
}

nansen_err nansen__cbr_bytes(nansen__cbr *r, const uint8_t **p, size_t *n)
{
    return read_string(r, NANSEN__CBOR_BYTES, p, n);
}

nansen_err nansen__cbr_text(nansen__cbr *r, const char **p, size_t *n)
{
    const uint8_t *s;
    nansen_err err = read_string(r, NANSEN__CBOR_TEXT, &s, n);

    if (err == NANSEN_OK)
        *p = (const char *)s;
    return err;
}

static nansen_err read_count(nansen__cbr *r, nansen__cbor_type want,
                             size_t *n)
{
    nansen__cbor_item it;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if (it.type != want || it.v.u > (uint64_t)(r->end - r->p))
        return NANSEN_ERR_MALFORMED;
    *n = (size_t)it.v.u;
    return NANSEN_OK;
}

nansen_err nansen__cbr_array(nansen__cbr *r, size_t *n)
{
    return read_count(r, NANSEN__CBOR_ARRAY, n);
}

nansen_err nansen__cbr_map(nansen__cbr *r, size_t *n)
{
    return read_count(r, NANSEN__CBOR_MAP, n);
}

int nansen__cbr_done(const nansen__cbr *r)
{
    return r->p == r->end;
}
