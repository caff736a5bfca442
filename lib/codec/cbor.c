/* cbor.c - deterministic CBOR writer, checker and zero-copy reader.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The checker walks the input iteratively with a fixed stack of
 * NANSEN_CBOR_MAX_DEPTH frames, so no input can exhaust the C stack; it
 * allocates only when map keys must be compared out of order (flags
 * ALLOW_UNSORTED or ALLOW_LONG_FORM), and then one array of key spans.
 */
#include <stdlib.h>
#include <string.h>
#include <cbor.h>
#include <sodium.h>

#include "internal/internal.h"
#include "internal/cbor.h"

#define ALL_FLAGS (NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM)

/* ---- shared helpers ---- */

/* One head: major type, additional information, argument, head size. */
typedef struct head {
    unsigned int major;
    unsigned int ai;
    uint64_t val;
    size_t len;
} head;

/* Reads a head at p (p <= end). Well-formedness only: reserved additional
 * information and break are MALFORMED, indefinite lengths INDEFINITE. */
static nansen_err read_head(head *h, const uint8_t *p, const uint8_t *end)
{
    size_t n, i;

    if (p >= end)
        return NANSEN_ERR_TRUNCATED;
    h->major = p[0] >> 5;
    h->ai = p[0] & 0x1fu;
    if (h->ai < 24) {
        h->val = h->ai;
        h->len = 1;
        return NANSEN_OK;
    }
    if (h->ai == 31) {
        if (h->major >= 2 && h->major <= 5)
            return NANSEN_ERR_CBOR_INDEFINITE;
        return NANSEN_ERR_MALFORMED;    /* break, or 31 on 0, 1, 6 */
    }
    if (h->ai > 27)
        return NANSEN_ERR_MALFORMED;    /* 28-30 reserved */
    n = (size_t)1 << (h->ai - 24);
    if ((size_t)(end - p) - 1 < n)
        return NANSEN_ERR_TRUNCATED;
    h->val = 0;
    for (i = 1; i <= n; i++)
        h->val = h->val << 8 | p[i];
    h->len = 1 + n;
    if (h->major == 7 && h->ai == 24 && h->val < 32)
        return NANSEN_ERR_MALFORMED;    /* RFC 8949 3.3: not well-formed */
    return NANSEN_OK;
}

/* Size of a head with argument v in its shortest form. */
static size_t head_size(uint64_t v)
{
    if (v < 24)
        return 1;
    if (v <= 0xffu)
        return 2;
    if (v <= 0xffffu)
        return 3;
    if (v <= 0xffffffffu)
        return 5;
    return 9;
}

/* RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF. */
int nansen__utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t c = s[i], lo = 0x80, hi = 0xbf;
        size_t k, more;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xc2) {
            return 0;               /* continuation, or overlong c0/c1 */
        } else if (c < 0xe0) {
            more = 1;
        } else if (c < 0xf0) {
            more = 2;
            if (c == 0xe0)
                lo = 0xa0;          /* overlong */
            else if (c == 0xed)
                hi = 0x9f;          /* surrogates */
        } else if (c < 0xf5) {
            more = 3;
            if (c == 0xf0)
                lo = 0x90;          /* overlong */
            else if (c == 0xf4)
                hi = 0x8f;          /* past U+10FFFF */
        } else {
            return 0;
        }
        if (n - i - 1 < more)
            return 0;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (k = 2; k <= more; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        i += more + 1;
    }
    return 1;
}

static uint64_t dbl_bits(double d)
{
    uint64_t b;

    memcpy(&b, &d, sizeof b);
    return b;
}

static double bits_dbl(uint64_t b)
{
    double d;

    memcpy(&d, &b, sizeof d);
    return d;
}

/* IEEE 754 binary16 to double, exactly; no libm needed. */
static double half_to_double(uint16_t h)
{
    uint64_t sign = (uint64_t)(h >> 15) << 63;
    int e = (h >> 10) & 0x1f;
    uint64_t m = h & 0x3ffu;

    if (e == 0) {
        if (m == 0)
            return bits_dbl(sign);
        e = -14;                    /* subnormal: normalise */
        while (!(m & 0x400u)) {
            m <<= 1;
            e--;
        }
        m &= 0x3ffu;
        return bits_dbl(sign | (uint64_t)(e + 1023) << 52 | m << 42);
    }
    if (e == 31)
        return bits_dbl(sign | (uint64_t)0x7ff << 52 | m << 42);
    return bits_dbl(sign | (uint64_t)(e - 15 + 1023) << 52 | m << 42);
}

static double single_to_double(uint32_t b)
{
    float f;

    memcpy(&f, &b, sizeof f);
    return (double)f;
}

static int is_nan_bits(uint64_t b)
{
    return ((b >> 52) & 0x7ff) == 0x7ff && (b & (((uint64_t)1 << 52) - 1));
}

/* Whether a finite or infinite double (not NaN) is exactly representable
 * in a binary format with normal exponents emin..emax and mbits fraction
 * bits (subnormals included). */
static int fits_format(uint64_t b, int emin, int emax, int mbits)
{
    int e = (int)((b >> 52) & 0x7ff), allowed;
    uint64_t m = b & (((uint64_t)1 << 52) - 1);

    if (e == 0x7ff)
        return 1;                   /* infinity */
    if (e == 0)
        return m == 0;              /* zero; double subnormals never fit */
    e -= 1023;
    if (e > emax)
        return 0;
    allowed = mbits;
    if (e < emin)
        allowed -= emin - e;
    if (allowed < 0)
        return 0;
    return (m & (((uint64_t)1 << (52 - allowed)) - 1)) == 0;
}

/* A float head (major 7, ai 25-27) decoded; *shortest says whether it is
 * the deterministic form (RFC 8949 4.2.1/4.2.2; NaN only as f97e00). */
static double float_value(const head *h, int *shortest)
{
    double d;
    uint64_t b;

    if (h->ai == 25) {
        d = half_to_double((uint16_t)h->val);
        *shortest = !is_nan_bits(dbl_bits(d)) || h->val == 0x7e00;
        return d;
    }
    d = h->ai == 26 ? single_to_double((uint32_t)h->val)
                    : bits_dbl(h->val);
    b = dbl_bits(d);
    if (is_nan_bits(b))
        *shortest = 0;
    else if (fits_format(b, -14, 15, 10))
        *shortest = 0;
    else if (h->ai == 27 && fits_format(b, -126, 127, 23))
        *shortest = 0;
    else
        *shortest = 1;
    return d;
}

/* Encoded-key order of RFC 8949 4.2.1: bytewise, shorter first on a tie. */
static int cmp_bytes(const uint8_t *a, size_t al, const uint8_t *b,
                     size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);

    if (c != 0)
        return c;
    return al < bl ? -1 : al > bl;
}

/* ---- checker ---- */

typedef struct key_span {
    const uint8_t *p;
    size_t len;
} key_span;

/* Keys compared by value for integers and strings (so that with
 * ALLOW_LONG_FORM 0x01 and 0x18 0x01 are the same key), by their bytes
 * otherwise. Keys have been checked, so their heads parse. */
static int cmp_key_value(const void *va, const void *vb)
{
    const key_span *a = va, *b = vb;
    head ha, hb;
    unsigned int ca, cb;

    if (read_head(&ha, a->p, a->p + a->len) != NANSEN_OK ||
        read_head(&hb, b->p, b->p + b->len) != NANSEN_OK)
        return cmp_bytes(a->p, a->len, b->p, b->len);
    ca = ha.major <= 3 ? ha.major : 4;
    cb = hb.major <= 3 ? hb.major : 4;
    if (ca != cb)
        return ca < cb ? -1 : 1;
    if (ca <= 1)
        return ha.val < hb.val ? -1 : ha.val > hb.val;
    if (ca <= 3)
        return cmp_bytes(a->p + ha.len, (size_t)ha.val, b->p + hb.len,
                         (size_t)hb.val);
    return cmp_bytes(a->p, a->len, b->p, b->len);
}

/* Whether keys[0..n) holds two equal keys; sorts them. */
static int has_duplicate(key_span *keys, size_t n)
{
    size_t i;

    if (n < 2)
        return 0;
    qsort(keys, n, sizeof *keys, cmp_key_value);
    for (i = 1; i < n; i++)
        if (cmp_key_value(&keys[i - 1], &keys[i]) == 0)
            return 1;
    return 0;
}

typedef struct frame {
    size_t remaining;           /* items still to come, this one included */
    const uint8_t *key;         /* map: start of the current key */
    const uint8_t *prev;        /* map: previous key, for the order check */
    size_t prev_len;
    size_t keys_base;           /* map: its first entry in keys[] */
    int is_map;
} frame;

typedef struct checker {
    frame st[NANSEN_CBOR_MAX_DEPTH];
    size_t depth;
    key_span *keys;             /* keys of the open maps, when collecting */
    size_t nkeys, cap;
} checker;

static nansen_err push_key(checker *c, const uint8_t *p, size_t len)
{
    if (c->nkeys == c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 16;
        key_span *k = realloc(c->keys, ncap * sizeof *k);

        if (k == NULL)
            return NANSEN_ERR_NOMEM;
        c->keys = k;
        c->cap = ncap;
    }
    c->keys[c->nkeys].p = p;
    c->keys[c->nkeys].len = len;
    c->nkeys++;
    return NANSEN_OK;
}

/* An error at some position: a duplicate key already read in an open map
 * comes earlier in the input, and is reported instead. */
static nansen_err first_error(checker *c, nansen_err err)
{
    size_t i, j, end;

    if (err == NANSEN_ERR_NOMEM || c->nkeys < 2)
        return err;
    for (i = 0; i < c->depth; i++) {
        if (!c->st[i].is_map)
            continue;
        end = c->nkeys;
        for (j = i + 1; j < c->depth; j++)
            if (c->st[j].is_map) {
                end = c->st[j].keys_base;
                break;
            }
        if (has_duplicate(c->keys + c->st[i].keys_base,
                          end - c->st[i].keys_base))
            return NANSEN_ERR_CBOR_DUPLICATE_KEY;
    }
    return err;
}

/* A map key [f->key, end) is complete. A key out of order is reported
 * as such even if it also repeats an earlier key by value (as without
 * flags, where only neighbours are compared). */
static nansen_err key_done(checker *c, frame *f, const uint8_t *end,
                           unsigned int flags)
{
    size_t len = (size_t)(end - f->key);

    /* Relaxed keys are compared by value for numbers and strings, by
     * their bytes otherwise; bytes stand for the value only in the
     * deterministic encoding (two orders of one map are one key), so such
     * a key must be deterministic even where the rest need not be. */
    if ((flags & ALL_FLAGS) && (f->key[0] >> 5) > 3 &&
        nansen_cbor_check(f->key, len, 0) != NANSEN_OK)
        return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
    if (!(flags & NANSEN_CBOR_ALLOW_UNSORTED) && f->prev != NULL) {
        int d = cmp_bytes(f->prev, f->prev_len, f->key, len);

        if (d == 0)
            return NANSEN_ERR_CBOR_DUPLICATE_KEY;
        if (d > 0)
            return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
    }
    f->prev = f->key;
    f->prev_len = len;
    return (flags & ALL_FLAGS) ? push_key(c, f->key, len) : NANSEN_OK;
}

/* Checks one head (and string body) for everything but nesting. */
static nansen_err check_head(head *h, const uint8_t *p, const uint8_t *end,
                             unsigned int flags)
{
    nansen_err err;
    size_t rest;

    if ((err = read_head(h, p, end)) != NANSEN_OK)
        return err;
    rest = (size_t)(end - p) - h->len;
    if (h->major == 7) {
        if (h->ai >= 25 && h->ai <= 27) {
            int shortest;

            (void)float_value(h, &shortest);
            if (!shortest && !(flags & NANSEN_CBOR_ALLOW_LONG_FORM))
                return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
        }
        return NANSEN_OK;
    }
    switch (h->major) {
    case 2:
    case 3:
    case 4:
        if (h->val > rest)
            return NANSEN_ERR_TRUNCATED;
        break;
    case 5:
        if (h->val > rest / 2)
            return NANSEN_ERR_TRUNCATED;
        break;
    default:
        break;
    }
    if (h->len != head_size(h->val) &&
        !(flags & NANSEN_CBOR_ALLOW_LONG_FORM))
        return NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
    if (h->major == 3 && !nansen__utf8_valid(p + h->len, (size_t)h->val))
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

static nansen_err walk(checker *c, const uint8_t *in, size_t in_len,
                       unsigned int flags, size_t *item_len)
{
    const uint8_t *p = in, *end = in + in_len;
    size_t items = 0;
    nansen_err err;
    head h;

    for (;;) {
        frame *f = c->depth ? &c->st[c->depth - 1] : NULL;

        if (f != NULL && f->is_map && f->remaining % 2 == 0)
            f->key = p;
        if ((err = check_head(&h, p, end, flags)) != NANSEN_OK)
            return err;
        if (++items > NANSEN_CBOR_MAX_ITEMS)
            return NANSEN_ERR_CBOR_TOO_LARGE;
        p += h.len;
        if (h.major == 2 || h.major == 3)
            p += h.val;
        if (h.major >= 4 && h.major <= 6) {
            if (c->depth == NANSEN_CBOR_MAX_DEPTH)
                return NANSEN_ERR_CBOR_TOO_DEEP;
            if (h.major == 6 || h.val > 0) {
                f = &c->st[c->depth++];
                memset(f, 0, sizeof *f);
                f->remaining = h.major == 6 ? 1 : h.major == 4
                               ? (size_t)h.val : 2 * (size_t)h.val;
                f->is_map = h.major == 5;
                f->keys_base = c->nkeys;
                continue;
            }
        }
        /* An item ended at p: close every container it completes. */
        while (c->depth > 0) {
            f = &c->st[c->depth - 1];
            if (f->is_map && f->remaining % 2 == 0 &&
                (err = key_done(c, f, p, flags)) != NANSEN_OK)
                return err;
            if (--f->remaining > 0)
                break;
            if (f->is_map && (flags & ALL_FLAGS)) {
                if (has_duplicate(c->keys + f->keys_base,
                                  c->nkeys - f->keys_base))
                    return NANSEN_ERR_CBOR_DUPLICATE_KEY;
                c->nkeys = f->keys_base;
            }
            c->depth--;
        }
        if (c->depth == 0)
            break;
    }
    *item_len = (size_t)(p - in);
    return NANSEN_OK;
}

nansen_err nansen__cbor_check_prefix(const uint8_t *in, size_t in_len,
                                     unsigned int flags, size_t *item_len)
{
    checker c;
    size_t len = 0;
    nansen_err err;

    if (item_len != NULL)
        *item_len = 0;
    ARG_CHECK((flags & ~ALL_FLAGS) == 0 && (in != NULL || in_len == 0));
    if (in_len == 0)
        return NANSEN_ERR_MALFORMED;
    if (in_len > NANSEN_CBOR_MAX_INPUT_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    c.depth = 0;
    c.keys = NULL;
    c.nkeys = c.cap = 0;
    err = walk(&c, in, in_len, flags, &len);
    if (err != NANSEN_OK)
        err = first_error(&c, err);
    free(c.keys);
    if (err == NANSEN_OK && item_len != NULL)
        *item_len = len;
    return err;
}

nansen_err nansen_cbor_check(const uint8_t *in, size_t in_len,
                             unsigned int flags)
{
    size_t len;
    nansen_err err = nansen__cbor_check_prefix(in, in_len, flags, &len);

    if (err == NANSEN_OK && len != in_len)
        return NANSEN_ERR_TRAILING_DATA;
    return err;
}

/* ---- reader ---- */

void nansen__cbr_init(nansen__cbr *r, const uint8_t *in, size_t len)
{
    r->p = in;
    r->end = in == NULL ? in : in + len;
}

nansen_err nansen__cbr_next(nansen__cbr *r, nansen__cbor_item *it)
{
    nansen_err err;
    size_t rest;
    head h;

    memset(it, 0, sizeof *it);
    if ((err = read_head(&h, r->p, r->end)) != NANSEN_OK)
        return err;
    rest = (size_t)(r->end - r->p) - h.len;
    it->start = r->p;
    it->type = (nansen__cbor_type)h.major;
    it->v.u = h.val;
    switch (h.major) {
    case 2:
    case 3:
        if (h.val > rest)
            return NANSEN_ERR_TRUNCATED;
        it->str = r->p + h.len;
        it->len = (size_t)h.val;
        if (h.major == 3 && !nansen__utf8_valid(it->str, it->len))
            return NANSEN_ERR_MALFORMED;
        r->p += h.len + it->len;
        return NANSEN_OK;
    case 4:
        if (h.val > rest)
            return NANSEN_ERR_TRUNCATED;
        break;
    case 5:
        if (h.val > rest / 2)
            return NANSEN_ERR_TRUNCATED;
        break;
    case 7:
        if (h.ai >= 25 && h.ai <= 27) {
            int shortest;

            it->type = NANSEN__CBOR_FLOAT;
            it->v.f = float_value(&h, &shortest);
        } else {
            it->type = NANSEN__CBOR_SIMPLE;
        }
        break;
    default:
        break;
    }
    r->p += h.len;
    return NANSEN_OK;
}

nansen_err nansen__cbr_skip(nansen__cbr *r, const uint8_t **start,
                            size_t *len)
{
    size_t stack[NANSEN_CBOR_MAX_DEPTH], depth = 0;
    const uint8_t *from = r->p;
    nansen__cbor_item it;
    nansen_err err;

    if (start != NULL)
        *start = NULL;
    if (len != NULL)
        *len = 0;
    for (;;) {
        if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
            goto fail;
        if (it.type == NANSEN__CBOR_ARRAY || it.type == NANSEN__CBOR_MAP ||
            it.type == NANSEN__CBOR_TAG) {
            if (depth == NANSEN_CBOR_MAX_DEPTH) {
                err = NANSEN_ERR_CBOR_TOO_DEEP;
                goto fail;
            }
            if (it.type == NANSEN__CBOR_TAG || it.v.u > 0) {
                /* next() bounded the count by the bytes left */
                stack[depth++] = it.type == NANSEN__CBOR_TAG ? 1
                                 : it.type == NANSEN__CBOR_ARRAY
                                 ? (size_t)it.v.u : 2 * (size_t)it.v.u;
                continue;
            }
        }
        while (depth > 0 && --stack[depth - 1] == 0)
            depth--;
        if (depth == 0)
            break;
    }
    if (start != NULL)
        *start = from;
    if (len != NULL)
        *len = (size_t)(r->p - from);
    return NANSEN_OK;
fail:
    r->p = from;
    return err;
}

nansen_err nansen__cbr_int(nansen__cbr *r, int64_t *v)
{
    const uint8_t *from = r->p;
    nansen__cbor_item it;
    nansen_err err;

    *v = 0;
    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if ((it.type != NANSEN__CBOR_UINT && it.type != NANSEN__CBOR_NINT) ||
        it.v.u > (uint64_t)INT64_MAX) {
        r->p = from;
        return NANSEN_ERR_MALFORMED;
    }
    *v = it.type == NANSEN__CBOR_UINT ? (int64_t)it.v.u
                                      : -1 - (int64_t)it.v.u;
    return NANSEN_OK;
}

static nansen_err read_typed(nansen__cbr *r, nansen__cbor_type type,
                             nansen__cbor_item *it)
{
    const uint8_t *from = r->p;
    nansen_err err;

    if ((err = nansen__cbr_next(r, it)) != NANSEN_OK)
        return err;
    if (it->type != type) {
        r->p = from;
        return NANSEN_ERR_MALFORMED;
    }
    return NANSEN_OK;
}

nansen_err nansen__cbr_bytes(nansen__cbr *r, const uint8_t **p, size_t *n)
{
    nansen__cbor_item it;
    nansen_err err = read_typed(r, NANSEN__CBOR_BYTES, &it);

    *p = err == NANSEN_OK ? it.str : NULL;
    *n = err == NANSEN_OK ? it.len : 0;
    return err;
}

nansen_err nansen__cbr_text(nansen__cbr *r, const char **p, size_t *n)
{
    nansen__cbor_item it;
    nansen_err err = read_typed(r, NANSEN__CBOR_TEXT, &it);

    *p = err == NANSEN_OK ? (const char *)it.str : NULL;
    *n = err == NANSEN_OK ? it.len : 0;
    return err;
}

nansen_err nansen__cbr_array(nansen__cbr *r, size_t *n)
{
    nansen__cbor_item it;
    nansen_err err = read_typed(r, NANSEN__CBOR_ARRAY, &it);

    *n = err == NANSEN_OK ? (size_t)it.v.u : 0;
    return err;
}

nansen_err nansen__cbr_map(nansen__cbr *r, size_t *n)
{
    nansen__cbor_item it;
    nansen_err err = read_typed(r, NANSEN__CBOR_MAP, &it);

    *n = err == NANSEN_OK ? (size_t)it.v.u : 0;
    return err;
}

int nansen__cbr_done(const nansen__cbr *r)
{
    return r->p >= r->end;
}

/* ---- writer ---- */

/* While a map is open, maps[open - 1].count holds the number of data
 * items still owed to it (2n at the start; an array of k adds k, a tag
 * 1), so the pair count is checked in measure mode too. */

static int failed(const nansen__cbw *w)
{
    return w->err != NANSEN_OK && w->err != NANSEN_ERR_BUFFER_TOO_SMALL;
}

static void fail(nansen__cbw *w, nansen_err err)
{
    if (!failed(w))
        w->err = err;
}

/* One data item is about to be written, with `children` items nested
 * directly in it. Returns 0 if the writer has failed. */
static int count_item(nansen__cbw *w, size_t children)
{
    size_t *owed;

    if (failed(w))
        return 0;
    if (w->open == 0)
        return 1;
    owed = &w->maps[w->open - 1].count;
    if (*owed == 0 || children > SIZE_MAX - (*owed - 1)) {
        fail(w, NANSEN_ERR_INVALID_ARG);    /* more items than pairs */
        return 0;
    }
    *owed = *owed - 1 + children;
    return 1;
}

/* Room for need bytes: returns where to write them, or NULL when only
 * measuring (no buffer, or it was found too small). */
static uint8_t *reserve(nansen__cbw *w, size_t need)
{
    uint8_t *dst = NULL;

    if (need > SIZE_MAX - w->len) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return NULL;
    }
    if (w->buf != NULL && w->err == NANSEN_OK) {
        if (w->cap - w->len >= need)
            dst = w->buf + w->len;
        else
            w->err = NANSEN_ERR_BUFFER_TOO_SMALL;
    }
    w->len += need;
    return dst;
}

/* The head sizes are ours; the bytes come from libcbor. */
static void check_written(nansen__cbw *w, size_t got, size_t want)
{
    if (got != want)
        fail(w, NANSEN_ERR_INVALID_ARG);
}

void nansen__cbw_init(nansen__cbw *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf == NULL ? 0 : cap;
    w->err = NANSEN_OK;
}

void nansen__cbw_uint(nansen__cbw *w, uint64_t v)
{
    size_t need = head_size(v);
    uint8_t *dst;

    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_uint(v, dst, need), need);
}

static void write_negint(nansen__cbw *w, uint64_t v)   /* -1 - v */
{
    size_t need = head_size(v);
    uint8_t *dst;

    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_negint(v, dst, need), need);
}

void nansen__cbw_int(nansen__cbw *w, int64_t v)
{
    if (v >= 0)
        nansen__cbw_uint(w, (uint64_t)v);
    else
        write_negint(w, (uint64_t)(-1 - v));
}

static void write_string(nansen__cbw *w, int text, const uint8_t *p,
                         size_t n)
{
    size_t hs = head_size(n);
    uint8_t *dst;

    if (failed(w))
        return;
    if (p == NULL && n > 0) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    if (text && !nansen__utf8_valid(p, n)) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    if (!count_item(w, 0) || n > SIZE_MAX - hs) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    if ((dst = reserve(w, hs + n)) == NULL)
        return;
    check_written(w, text ? cbor_encode_string_start(n, dst, hs)
                          : cbor_encode_bytestring_start(n, dst, hs), hs);
    if (n > 0)
        memcpy(dst + hs, p, n);
}

void nansen__cbw_bytes(nansen__cbw *w, const uint8_t *p, size_t n)
{
    write_string(w, 0, p, n);
}

void nansen__cbw_text(nansen__cbw *w, const char *p, size_t n)
{
    write_string(w, 1, (const uint8_t *)p, n);
}

void nansen__cbw_array(nansen__cbw *w, size_t n)
{
    size_t need = head_size(n);
    uint8_t *dst;

    if (!count_item(w, n))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_array_start(n, dst, need), need);
}

void nansen__cbw_tag(nansen__cbw *w, uint64_t tag)
{
    size_t need = head_size(tag);
    uint8_t *dst;

    if (!count_item(w, 1))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_tag(tag, dst, need), need);
}

void nansen__cbw_bool(nansen__cbw *w, int v)
{
    uint8_t *dst;

    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, 1)) != NULL)
        check_written(w, cbor_encode_bool(v != 0, dst, 1), 1);
}

void nansen__cbw_null(nansen__cbw *w)
{
    uint8_t *dst;

    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, 1)) != NULL)
        check_written(w, cbor_encode_null(dst, 1), 1);
}

void nansen__cbw_simple(nansen__cbw *w, uint8_t v)
{
    size_t need = v < 24 ? 1 : 2;
    uint8_t *dst;

    if (failed(w))
        return;
    if (v >= 20 && v < 32) {
        fail(w, NANSEN_ERR_INVALID_ARG);    /* bool, null, undefined, float */
        return;
    }
    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_ctrl(v, dst, need), need);
}

void nansen__cbw_raw(nansen__cbw *w, const uint8_t *p, size_t n)
{
    uint8_t *dst;

    if (failed(w))
        return;
    if (p == NULL || nansen_cbor_check(p, n, 0) != NANSEN_OK) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, n)) != NULL)
        memcpy(dst, p, n);
}

void nansen__cbw_map(nansen__cbw *w, size_t n)
{
    size_t need = head_size(n);
    uint8_t *dst;

    if (failed(w))
        return;
    if (w->open == NANSEN__CBW_MAX_OPEN_MAPS || n > SIZE_MAX / 2) {
        fail(w, NANSEN_ERR_INVALID_ARG);
        return;
    }
    if (!count_item(w, 0))
        return;
    if ((dst = reserve(w, need)) != NULL)
        check_written(w, cbor_encode_map_start(n, dst, need), need);
    if (failed(w))
        return;
    w->maps[w->open].start = w->len;
    w->maps[w->open].count = 2 * n;
    w->open++;
}

/* Length of the item at p (written by us, so well-formed); iterative and
 * without a depth limit: a count of items still to read is enough. */
static size_t item_span(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *from = p;
    size_t owed = 1;
    head h;

    while (owed > 0) {
        if (read_head(&h, p, end) != NANSEN_OK)
            return 0;
        owed--;
        p += h.len;
        if (h.major == 2 || h.major == 3) {
            if (h.val > (uint64_t)(end - p))
                return 0;
            p += h.val;
        } else if (h.major == 4 || h.major == 5 || h.major == 6) {
            uint64_t add = h.major == 6 ? 1 : h.major == 4 ? h.val
                                                            : 2 * h.val;

            if ((h.major != 6 && h.val > (uint64_t)(end - p)) ||
                add > SIZE_MAX - owed)
                return 0;
            owed += (size_t)add;
        }
    }
    return (size_t)(p - from);
}

typedef struct pair_span {
    const uint8_t *p;           /* key, then value, in the copy */
    size_t key_len;
    size_t len;                 /* key and value */
} pair_span;

static int cmp_pair(const void *va, const void *vb)
{
    const pair_span *a = va, *b = vb;

    return cmp_bytes(a->p, a->key_len, b->p, b->key_len);
}

/* Sorts the pairs written in buf[start, w->len). */
static nansen_err sort_pairs(nansen__cbw *w, size_t start)
{
    uint8_t *region = w->buf + start, *copy;
    const uint8_t *end, *p;
    size_t rlen = w->len - start, npairs = 0, i, k, v;
    pair_span *pairs;
    nansen_err err = NANSEN_OK;

    end = region + rlen;
    for (p = region; p < end; npairs++) {
        if ((k = item_span(p, end)) == 0 || (v = item_span(p + k, end)) == 0)
            return NANSEN_ERR_INVALID_ARG;
        p += k + v;
    }
    if (npairs < 2)
        return NANSEN_OK;
    copy = malloc(rlen);
    pairs = malloc(npairs * sizeof *pairs);
    if (copy == NULL || pairs == NULL) {
        free(copy);
        free(pairs);
        return NANSEN_ERR_NOMEM;
    }
    memcpy(copy, region, rlen);
    end = copy + rlen;
    for (p = copy, i = 0; i < npairs; i++) {
        k = item_span(p, end);
        v = item_span(p + k, end);
        pairs[i].p = p;
        pairs[i].key_len = k;
        pairs[i].len = k + v;
        p += k + v;
    }
    qsort(pairs, npairs, sizeof *pairs, cmp_pair);
    for (i = 1; i < npairs; i++)
        if (cmp_pair(&pairs[i - 1], &pairs[i]) == 0)
            err = NANSEN_ERR_CBOR_DUPLICATE_KEY;
    if (err == NANSEN_OK) {
        for (i = 0; i < npairs; i++) {
            memcpy(region, pairs[i].p, pairs[i].len);
            region += pairs[i].len;
        }
    }
    /* maps may hold secrets (a wallet's keys): leave no copy behind */
    sodium_memzero(copy, rlen);
    free(copy);
    free(pairs);
    return err;
}

void nansen__cbw_map_end(nansen__cbw *w)
{
    size_t start;
    nansen_err err;

    if (failed(w))
        return;
    if (w->open == 0 || w->maps[w->open - 1].count != 0) {
        fail(w, NANSEN_ERR_INVALID_ARG);    /* not open, or pairs missing */
        return;
    }
    start = w->maps[--w->open].start;
    if (w->buf == NULL || w->err != NANSEN_OK)
        return;                             /* measuring: nothing to sort */
    if ((err = sort_pairs(w, start)) != NANSEN_OK)
        fail(w, err);
}

nansen_err nansen__cbw_finish(nansen__cbw *w, size_t *len)
{
    ARG_CHECK(w != NULL && len != NULL);
    *len = 0;
    if (failed(w))
        return w->err;
    if (w->open != 0)
        return NANSEN_ERR_INVALID_ARG;
    *len = w->len;
    return w->err;
}
