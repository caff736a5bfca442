/* test_cbor.c - deterministic CBOR checker, writer and reader.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Examples are from RFC 8949 Appendix A unless marked otherwise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal/cbor.h"

#define ALL_FLAGS_N 4   /* flag combinations 0..3 */

static nansen_err check_hex(const char *hex, unsigned int flags)
{
    size_t len;
    uint8_t *b = tu_hex(hex, &len);
    nansen_err err = nansen_cbor_check(b, len, flags);

    free(b);
    return err;
}

/* The writer's output equals hex, the size query agrees and the strict
 * checker accepts it. */
static void assert_written(const nansen__cbw *w, const uint8_t *buf,
                           const char *hex)
{
    nansen__cbw copy = *w;
    size_t len = 0, elen;
    uint8_t *exp = tu_hex(hex, &elen);

    assert_int_equal(nansen__cbw_finish(&copy, &len), NANSEN_OK);
    assert_int_equal(len, elen);
    assert_memory_equal(buf, exp, elen);
    assert_int_equal(nansen_cbor_check(buf, len, 0), NANSEN_OK);
    free(exp);
}

/* Writes one example; arg is the example's data (or NULL). */
typedef void (*write_fn)(nansen__cbw *w, const void *arg);

/* What fn writes equals hex byte for byte, in a buffer of exactly that
 * size (so that ASan sees any overrun); measuring (buf NULL) gives the
 * same size; every shorter buffer gives NANSEN_ERR_BUFFER_TOO_SMALL and
 * the size needed; the strict checker accepts the bytes. */
static void assert_writes(write_fn fn, const void *arg, const char *hex)
{
    size_t elen, need = 0, len = 0, cap;
    uint8_t *exp = tu_hex(hex, &elen), *buf;
    nansen__cbw w;

    nansen__cbw_init(&w, NULL, 0);
    fn(&w, arg);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    assert_int_equal(need, elen);

    buf = malloc(elen);
    assert_non_null(buf);
    nansen__cbw_init(&w, buf, elen);
    fn(&w, arg);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    assert_int_equal(len, elen);
    assert_memory_equal(buf, exp, elen);
    assert_int_equal(nansen_cbor_check(buf, len, 0), NANSEN_OK);

    for (cap = 0; cap < elen; cap++) {
        len = 0;
        nansen__cbw_init(&w, buf, cap);
        fn(&w, arg);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(len, elen);
    }
    free(buf);
    free(exp);
}

/* ---- Appendix A: integers ---- */

static const struct {
    const char *hex;
    nansen__cbor_type type;
    uint64_t u;
} ints[] = {
    {"00", NANSEN__CBOR_UINT, 0},
    {"01", NANSEN__CBOR_UINT, 1},
    {"0a", NANSEN__CBOR_UINT, 10},
    {"17", NANSEN__CBOR_UINT, 23},
    {"1818", NANSEN__CBOR_UINT, 24},
    {"1819", NANSEN__CBOR_UINT, 25},
    {"1864", NANSEN__CBOR_UINT, 100},
    {"1903e8", NANSEN__CBOR_UINT, 1000},
    {"1a000f4240", NANSEN__CBOR_UINT, 1000000},
    {"1b000000e8d4a51000", NANSEN__CBOR_UINT, 1000000000000ull},
    {"1bffffffffffffffff", NANSEN__CBOR_UINT, UINT64_MAX},
    {"20", NANSEN__CBOR_NINT, 0},                      /* -1 */
    {"29", NANSEN__CBOR_NINT, 9},                      /* -10 */
    {"3863", NANSEN__CBOR_NINT, 99},                   /* -100 */
    {"3903e7", NANSEN__CBOR_NINT, 999},                /* -1000 */
    {"3bffffffffffffffff", NANSEN__CBOR_NINT, UINT64_MAX},
};

static void write_int(nansen__cbw *w, const void *arg)
{
    nansen__cbw_int(w, *(const int64_t *)arg);
}

static void write_uint(nansen__cbw *w, const void *arg)
{
    nansen__cbw_uint(w, *(const uint64_t *)arg);
}

static void test_appendix_a_integers(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        size_t len, n;
        uint8_t *b = tu_hex(ints[i].hex, &len);
        nansen__cbor_item it;
        nansen__cbr r;
        int64_t v;
        nansen_err err;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
        assert_int_equal(it.type, ints[i].type);
        assert_true(it.v.u == ints[i].u);
        assert_ptr_equal(it.start, b);
        assert_true(nansen__cbr_done(&r));

        /* int64 view: the two extremes do not fit */
        nansen__cbr_init(&r, b, len);
        err = nansen__cbr_int(&r, &v);
        if (ints[i].u > (uint64_t)INT64_MAX) {
            assert_int_equal(err, NANSEN_ERR_MALFORMED);
        } else {
            assert_int_equal(err, NANSEN_OK);
            assert_true(v == (ints[i].type == NANSEN__CBOR_UINT
                              ? (int64_t)ints[i].u
                              : -1 - (int64_t)ints[i].u));
            /* writer, byte for byte, also measuring */
            assert_writes(write_int, &v, ints[i].hex);
        }
        if (ints[i].type == NANSEN__CBOR_UINT)
            assert_writes(write_uint, &ints[i].u, ints[i].hex);
        /* the generic skip spans the whole item */
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_skip(&r, NULL, &n), NANSEN_OK);
        assert_int_equal(n, len);
        free(b);
    }
}

static void test_int64_limits(void **state)
{
    static const struct { const char *hex; nansen_err err; int64_t v; }
    cases[] = {
        {"1b7fffffffffffffff", NANSEN_OK, INT64_MAX},
        {"3b7fffffffffffffff", NANSEN_OK, INT64_MIN},
        {"1b8000000000000000", NANSEN_ERR_MALFORMED, 0},
        {"3b8000000000000000", NANSEN_ERR_MALFORMED, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *b = tu_hex(cases[i].hex, &len);
        nansen__cbr r;
        int64_t v = 42;

        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_int(&r, &v), cases[i].err);
        assert_true(v == cases[i].v);
        if (cases[i].err != NANSEN_OK) {
            assert_ptr_equal(r.p, b);           /* nothing consumed */
        } else {
            assert_writes(write_int, &v, cases[i].hex);
        }
        free(b);
    }
}

/* ---- Appendix A: strings ---- */

typedef struct string_case {
    const char *hex;
    int text;
    const char *val;
    size_t len;
} string_case;

static void write_string_case(nansen__cbw *w, const void *arg)
{
    const string_case *c = arg;

    if (c->text)
        nansen__cbw_text(w, c->val, c->len);
    else
        nansen__cbw_bytes(w, (const uint8_t *)c->val, c->len);
}

static void test_appendix_a_strings(void **state)
{
    static const string_case cases[] = {
        {"40", 0, "", 0},
        {"4401020304", 0, "\x01\x02\x03\x04", 4},
        {"60", 1, "", 0},
        {"6161", 1, "a", 1},
        {"6449455446", 1, "IETF", 4},
        {"62225c", 1, "\"\\", 2},
        {"62c3bc", 1, "\xc3\xbc", 2},                 /* u+00fc */
        {"63e6b0b4", 1, "\xe6\xb0\xb4", 3},           /* u+6c34 */
        {"64f0908591", 1, "\xf0\x90\x85\x91", 4},     /* u+10151 */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len, n = 99;
        uint8_t *b = tu_hex(cases[i].hex, &len);
        nansen__cbor_item it;
        nansen__cbr r;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
        assert_int_equal(it.type, cases[i].text ? NANSEN__CBOR_TEXT
                                                : NANSEN__CBOR_BYTES);
        assert_int_equal(it.len, cases[i].len);
        assert_ptr_equal(it.str, b + 1);              /* zero copy */
        assert_memory_equal(it.str, cases[i].val, cases[i].len);

        nansen__cbr_init(&r, b, len);
        if (cases[i].text) {
            const char *p = NULL;

            assert_int_equal(nansen__cbr_text(&r, &p, &n), NANSEN_OK);
            assert_ptr_equal(p, (const char *)b + 1);
        } else {
            const uint8_t *p = NULL;

            assert_int_equal(nansen__cbr_bytes(&r, &p, &n), NANSEN_OK);
            assert_ptr_equal(p, b + 1);
        }
        assert_int_equal(n, cases[i].len);
        assert_true(nansen__cbr_done(&r));

        assert_writes(write_string_case, &cases[i], cases[i].hex);
        free(b);
    }
}

/* ---- Appendix A: arrays, maps, tags ---- */

static void write_empty_array(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_array(w, 0);
}

static void write_array_123(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_array(w, 3);
    nansen__cbw_uint(w, 1);
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 3);
}

static void write_array_nested(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_array(w, 3);
    nansen__cbw_uint(w, 1);
    nansen__cbw_array(w, 2);
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 3);
    nansen__cbw_array(w, 2);
    nansen__cbw_uint(w, 4);
    nansen__cbw_uint(w, 5);
}

static void write_array_25(nansen__cbw *w, const void *arg)
{
    uint64_t i;

    (void)arg;
    nansen__cbw_array(w, 25);
    for (i = 1; i <= 25; i++)
        nansen__cbw_uint(w, i);
}

static void write_empty_map(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_map(w, 0);
    nansen__cbw_map_end(w);
}

static void write_map_1234(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_map(w, 2);
    nansen__cbw_uint(w, 1);
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 3);
    nansen__cbw_uint(w, 4);
    nansen__cbw_map_end(w);
}

static void write_map_a1_b23(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_map(w, 2);
    nansen__cbw_text(w, "a", 1);
    nansen__cbw_uint(w, 1);
    nansen__cbw_text(w, "b", 1);
    nansen__cbw_array(w, 2);
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 3);
    nansen__cbw_map_end(w);
}

static void write_array_a_map(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_array(w, 2);
    nansen__cbw_text(w, "a", 1);
    nansen__cbw_map(w, 1);
    nansen__cbw_text(w, "b", 1);
    nansen__cbw_text(w, "c", 1);
    nansen__cbw_map_end(w);
}

/* {"a": "A", ..., "e": "E"}; arg non-NULL: pairs written e..a */
static void write_map_abcde(nansen__cbw *w, const void *arg)
{
    int i;

    nansen__cbw_map(w, 5);
    for (i = 0; i < 5; i++) {
        int j = arg != NULL ? 4 - i : i;
        char k = (char)('a' + j), v = (char)('A' + j);

        nansen__cbw_text(w, &k, 1);
        nansen__cbw_text(w, &v, 1);
    }
    nansen__cbw_map_end(w);
}

static void write_tag_1(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_tag(w, 1);
    nansen__cbw_uint(w, 1363896240);
}

static void write_tag_23(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_tag(w, 23);
    nansen__cbw_bytes(w, (const uint8_t *)"\x01\x02\x03\x04", 4);
}

static void write_tag_32(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_tag(w, 32);
    nansen__cbw_text(w, "http://www.example.com", 22);
}

static const struct {
    write_fn fn;
    const void *arg;
    const char *hex;
} containers[] = {
    {write_empty_array, NULL, "80"},
    {write_array_123, NULL, "83010203"},
    {write_array_nested, NULL, "8301820203820405"},
    {write_array_25, NULL,
     "98190102030405060708090a0b0c0d0e0f101112131415161718181819"},
    {write_empty_map, NULL, "a0"},
    {write_map_1234, NULL, "a201020304"},
    {write_map_a1_b23, NULL, "a26161016162820203"},
    {write_array_a_map, NULL, "826161a161626163"},
    {write_map_abcde, NULL, "a56161614161626142616361436164614461656145"},
    {write_map_abcde, "reversed",
     "a56161614161626142616361436164614461656145"},
    {write_tag_1, NULL, "c11a514b67b0"},
    {write_tag_23, NULL, "d74401020304"},
    {write_tag_32, NULL,
     "d82076687474703a2f2f7777772e6578616d706c652e636f6d"},
};

static void test_appendix_a_containers(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof containers / sizeof containers[0]; i++) {
        size_t len, n;
        uint8_t *b = tu_hex(containers[i].hex, &len);
        const uint8_t *start = NULL;
        nansen__cbr r;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_OK);
        assert_ptr_equal(start, b);
        assert_int_equal(n, len);
        assert_true(nansen__cbr_done(&r));
        assert_writes(containers[i].fn, containers[i].arg,
                      containers[i].hex);
        free(b);
    }
}

/* The Appendix A containers, read item by item. */
static void test_reader_appendix_a(void **state)
{
    size_t len, n, i;
    uint8_t *b;
    const uint8_t *p;
    const char *t;
    nansen__cbor_item it;
    nansen__cbr r;
    int64_t v;

    (void)state;
    /* [1, [2, 3], [4, 5]] */
    b = tu_hex("8301820203820405", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
    assert_true(v == 1);
    for (i = 0; i < 2; i++) {
        assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
        assert_int_equal(n, 2);
        assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
        assert_true(v == (int64_t)(2 * i + 2));
        assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
        assert_true(v == (int64_t)(2 * i + 3));
    }
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* the 25-element array */
    b = tu_hex("98190102030405060708090a0b0c0d0e0f101112131415161718181819",
               &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 25);
    for (i = 1; i <= 25; i++) {
        assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
        assert_true(v == (int64_t)i);
    }
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* {}, [] */
    b = tu_hex("a0", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    assert_int_equal(n, 0);
    assert_true(nansen__cbr_done(&r));
    free(b);
    b = tu_hex("80", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 0);
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* {1: 2, 3: 4} */
    b = tu_hex("a201020304", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    assert_int_equal(n, 2);
    for (i = 1; i <= 4; i++) {
        assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
        assert_true(v == (int64_t)i);
    }
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* ["a", {"b": "c"}] */
    b = tu_hex("826161a161626163", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(t, "a", 1);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
    assert_memory_equal(t, "b", 1);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
    assert_memory_equal(t, "c", 1);
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* {"a": "A", ..., "e": "E"} */
    b = tu_hex("a56161614161626142616361436164614461656145", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    assert_int_equal(n, 5);
    for (i = 0; i < 5; i++) {
        char k = (char)('a' + i), u = (char)('A' + i);

        assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
        assert_int_equal(n, 1);
        assert_int_equal(t[0], k);
        assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
        assert_int_equal(n, 1);
        assert_int_equal(t[0], u);
    }
    assert_true(nansen__cbr_done(&r));
    free(b);

    /* 1(1363896240), 23(h'01020304'), 32("http://www.example.com") */
    b = tu_hex("c11a514b67b0", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TAG);
    assert_true(it.v.u == 1);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
    assert_true(v == 1363896240);
    assert_true(nansen__cbr_done(&r));
    free(b);
    b = tu_hex("d74401020304", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TAG);
    assert_true(it.v.u == 23);
    assert_int_equal(nansen__cbr_bytes(&r, &p, &n), NANSEN_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(p, "\x01\x02\x03\x04", 4);
    assert_true(nansen__cbr_done(&r));
    free(b);
    b = tu_hex("d82076687474703a2f2f7777772e6578616d706c652e636f6d", &len);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TAG);
    assert_true(it.v.u == 32);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);
    assert_int_equal(n, 22);
    assert_memory_equal(t, "http://www.example.com", 22);
    assert_true(nansen__cbr_done(&r));
    free(b);
}

static void test_reader_containers(void **state)
{
    size_t len, n;
    /* 1({"a": 1, "b": ["", 0(3)]}) */
    uint8_t *b = tu_hex("c1a261610161628260c003", &len);
    nansen__cbor_item it;
    nansen__cbr r;

    (void)state;
    assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TAG);
    assert_true(it.v.u == 1);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TEXT);
    assert_memory_equal(it.str, "a", 1);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_UINT);
    assert_true(it.v.u == 1);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TEXT);
    assert_memory_equal(it.str, "b", 1);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TEXT);
    assert_int_equal(it.len, 0);
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_TAG);
    assert_true(it.v.u == 0);
    assert_false(nansen__cbr_done(&r));
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
    assert_int_equal(it.type, NANSEN__CBOR_UINT);
    assert_true(it.v.u == 3);
    assert_ptr_equal(it.start, b + len - 1);
    assert_true(nansen__cbr_done(&r));
    assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_ERR_TRUNCATED);
    free(b);
}

/* ---- Appendix A: simple values and floats ---- */

static void write_false(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_bool(w, 0);
}

static void write_true(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_bool(w, 1);
}

static void write_null(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_null(w);
}

/* undefined has no writer of its own; simple() refuses 20-31 */
static void write_undefined(nansen__cbw *w, const void *arg)
{
    (void)arg;
    nansen__cbw_raw(w, (const uint8_t *)"\xf7", 1);
}

static void write_simple(nansen__cbw *w, const void *arg)
{
    nansen__cbw_simple(w, *(const uint8_t *)arg);
}

static void test_appendix_a_simple(void **state)
{
    static const uint8_t s0 = 0, s16 = 16, s19 = 19, s32 = 32, s255 = 255;
    static const struct { const char *hex; uint64_t v; write_fn fn;
                          const void *arg; } cases[] = {
        {"f4", 20, write_false, NULL},
        {"f5", 21, write_true, NULL},
        {"f6", 22, write_null, NULL},
        {"f7", 23, write_undefined, NULL},
        {"f0", 16, write_simple, &s16},
        {"f8ff", 255, write_simple, &s255},
        {"e0", 0, write_simple, &s0},           /* not in Appendix A */
        {"f3", 19, write_simple, &s19},
        {"f820", 32, write_simple, &s32},
    };
    uint8_t out[4];
    nansen__cbw w;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *b = tu_hex(cases[i].hex, &len);
        nansen__cbor_item it;
        nansen__cbr r;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
        assert_int_equal(it.type, NANSEN__CBOR_SIMPLE);
        assert_true(it.v.u == cases[i].v);
        assert_ptr_equal(it.start, b);
        assert_true(nansen__cbr_done(&r));
        assert_writes(cases[i].fn, cases[i].arg, cases[i].hex);
        free(b);
    }
    for (i = 20; i < 32; i++) {             /* bool/null/undef/float/... */
        size_t len = 7, need = 7;

        nansen__cbw_init(&w, out, sizeof out);
        nansen__cbw_simple(&w, (uint8_t)i);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        assert_int_equal(len, 0);
        nansen__cbw_init(&w, NULL, 0);
        nansen__cbw_simple(&w, (uint8_t)i);
        assert_int_equal(nansen__cbw_finish(&w, &need),
                         NANSEN_ERR_INVALID_ARG);
        assert_int_equal(need, 0);
    }
}

static void test_appendix_a_floats(void **state)
{
    static const struct { const char *hex; double v; } cases[] = {
        {"f90000", 0.0}, {"f98000", -0.0}, {"f93c00", 1.0},
        {"fb3ff199999999999a", 1.1}, {"f93e00", 1.5}, {"f97bff", 65504.0},
        {"fa47c35000", 100000.0}, {"fa7f7fffff", 0x1.fffffep127},
        {"fb7e37e43c8800759c", 1.0e+300},
        {"f90001", 0x1p-24}, {"f90400", 0x1p-14},
        {"f9c400", -4.0}, {"fbc010666666666666", -4.1},
        {"f97c00", INFINITY}, {"f9fc00", -INFINITY},
        {"fa00000001", 0x1p-149},       /* smallest single subnormal */
        {"f903ff", 0x3ffp-24},          /* largest half subnormal */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *b = tu_hex(cases[i].hex, &len);
        nansen__cbor_item it;
        nansen__cbr r;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
        assert_int_equal(it.type, NANSEN__CBOR_FLOAT);
        assert_true(it.v.f == cases[i].v);
        assert_int_equal(signbit(it.v.f) != 0, signbit(cases[i].v) != 0);
        free(b);
    }
    {
        size_t len;
        uint8_t *b = tu_hex("f97e00", &len);
        nansen__cbor_item it;
        nansen__cbr r;

        assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_OK);
        assert_int_equal(it.type, NANSEN__CBOR_FLOAT);
        assert_true(isnan(it.v.f));
        free(b);
    }
}

static void test_float_not_shortest(void **state)
{
    static const char *longer[] = {
        "fa3f800000",           /* 1.0 as single */
        "fb3ff0000000000000",   /* 1.0 as double */
        "fa00000000",           /* 0.0 as single */
        "fa80000000",           /* -0.0 as single */
        "fa7f800000",           /* infinity as single */
        "fb40f86a0000000000",   /* 100000.0 as double */
        "fa33800000",           /* 2^-24 (half subnormal) as single */
        "fb36a0000000000000",   /* 2^-149 (single subnormal) as double */
        "fa7fc00000",           /* NaN as single */
        "fb7ff8000000000000",   /* NaN as double */
        "f97e01",               /* NaN, other payload */
        "f9fe00",               /* NaN, sign bit */
        "f97c01",               /* signalling NaN */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof longer / sizeof longer[0]; i++) {
        assert_int_equal(check_hex(longer[i], 0),
                         NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
        assert_int_equal(check_hex(longer[i], NANSEN_CBOR_ALLOW_UNSORTED),
                         NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
        assert_int_equal(check_hex(longer[i], NANSEN_CBOR_ALLOW_LONG_FORM),
                         NANSEN_OK);
    }
    /* needs all of a single's or a double's precision: shortest */
    assert_int_equal(check_hex("fa33000000", 0), NANSEN_OK);   /* 2^-25 */
    assert_int_equal(check_hex("fa3f800001", 0), NANSEN_OK);
    assert_int_equal(check_hex("fb3ff0000000000001", 0), NANSEN_OK);
    assert_int_equal(check_hex("fb3690000000000000", 0), NANSEN_OK);
    /* double subnormals fit nothing shorter */
    assert_int_equal(check_hex("fb0000000000000001", 0), NANSEN_OK);
    assert_int_equal(check_hex("fb8000000000000001", 0), NANSEN_OK);
    assert_int_equal(check_hex("fb000fffffffffffff", 0), NANSEN_OK);
    assert_int_equal(check_hex("fb0008000000000000", 0), NANSEN_OK);
}

/* ---- writer: maps ---- */

/* RFC 8949 4.2.1 example order, plus h'00'. */
static void write_keys_shuffled(nansen__cbw *w)
{
    nansen__cbw_map(w, 9);
    nansen__cbw_bool(w, 0);         /* false */
    nansen__cbw_uint(w, 8);
    nansen__cbw_text(w, "aa", 2);
    nansen__cbw_uint(w, 5);
    nansen__cbw_array(w, 1);        /* [-1] */
    nansen__cbw_int(w, -1);
    nansen__cbw_uint(w, 7);
    nansen__cbw_uint(w, 10);
    nansen__cbw_uint(w, 0);
    nansen__cbw_bytes(w, (const uint8_t *)"", 1);   /* h'00' */
    nansen__cbw_uint(w, 3);
    nansen__cbw_text(w, "z", 1);
    nansen__cbw_uint(w, 4);
    nansen__cbw_array(w, 1);        /* [100] */
    nansen__cbw_uint(w, 100);
    nansen__cbw_uint(w, 6);
    nansen__cbw_int(w, -1);
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 100);
    nansen__cbw_uint(w, 1);
    nansen__cbw_map_end(w);
}

static void test_writer_map_sorted(void **state)
{
    const char *hex = "a9" "0a00" "186401" "2002" "410003" "617a04"
                      "62616105" "81186406" "812007" "f408";
    uint8_t out[64];
    nansen__cbw w;
    size_t need = 0, len = 0;

    (void)state;
    nansen__cbw_init(&w, NULL, 0);
    write_keys_shuffled(&w);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    nansen__cbw_init(&w, out, sizeof out);
    write_keys_shuffled(&w);
    assert_written(&w, out, hex);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    assert_int_equal(need, len);
    assert_int_equal(check_hex(hex, 0), NANSEN_OK);
}

static void write_nested(nansen__cbw *w)
{
    nansen__cbw_array(w, 2);
    nansen__cbw_map(w, 2);
    nansen__cbw_text(w, "b", 1);
    nansen__cbw_map(w, 2);              /* nested, written unsorted */
    nansen__cbw_uint(w, 2);
    nansen__cbw_uint(w, 0);
    nansen__cbw_uint(w, 1);
    nansen__cbw_map(w, 1);              /* three deep */
    nansen__cbw_text(w, "y", 1);
    nansen__cbw_null(w);
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
    nansen__cbw_text(w, "a", 1);
    nansen__cbw_tag(w, 24);
    nansen__cbw_raw(w, (const uint8_t *)"\xa2\x01\x02\x03\x04", 5);
    nansen__cbw_map_end(w);
    nansen__cbw_bool(w, 1);
}

static void test_writer_map_nested(void **state)
{
    const char *hex = "82" "a2" "6161" "d818" "a201020304"
                      "6162" "a2" "01" "a16179f6" "02" "00" "f5";
    uint8_t out[64];
    nansen__cbw w;
    size_t need = 0;

    (void)state;
    nansen__cbw_init(&w, NULL, 0);
    write_nested(&w);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    nansen__cbw_init(&w, out, sizeof out);
    write_nested(&w);
    assert_written(&w, out, hex);
    assert_int_equal(need, strlen(hex) / 2);
}

static void test_writer_map_errors(void **state)
{
    uint8_t out[64];
    nansen__cbw w;
    size_t len;
    int measure;

    (void)state;
    /* a duplicate key, also behind other keys and in a nested map */
    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_map(&w, 3);
    nansen__cbw_text(&w, "k", 1);
    nansen__cbw_uint(&w, 1);
    nansen__cbw_uint(&w, 7);
    nansen__cbw_uint(&w, 2);
    nansen__cbw_text(&w, "k", 1);
    nansen__cbw_uint(&w, 3);
    nansen__cbw_map_end(&w);
    len = 9;
    assert_int_equal(nansen__cbw_finish(&w, &len),
                     NANSEN_ERR_CBOR_DUPLICATE_KEY);
    assert_int_equal(len, 0);

    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_array(&w, 1);
    nansen__cbw_map(&w, 1);
    nansen__cbw_uint(&w, 0);
    nansen__cbw_map(&w, 2);
    nansen__cbw_int(&w, -5);
    nansen__cbw_null(&w);
    nansen__cbw_int(&w, -5);
    nansen__cbw_bool(&w, 0);
    nansen__cbw_map_end(&w);
    nansen__cbw_map_end(&w);
    assert_int_equal(nansen__cbw_finish(&w, &len),
                     NANSEN_ERR_CBOR_DUPLICATE_KEY);

    for (measure = 0; measure < 2; measure++) {
        uint8_t *buf = measure ? NULL : out;

        /* too few pairs */
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map(&w, 2);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_uint(&w, 2);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        /* a key without a value */
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        /* too many pairs: refused at the first extra item */
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_uint(&w, 2);
        nansen__cbw_uint(&w, 3);
        assert_int_equal(w.len, 3);
        nansen__cbw_uint(&w, 4);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        /* an array in a map that is one item short */
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_array(&w, 2);
        nansen__cbw_uint(&w, 2);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        /* map_end without a map; finish with a map open */
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        nansen__cbw_init(&w, buf, sizeof out);
        nansen__cbw_map(&w, 0);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
    }
}

static void test_writer_map_depth(void **state)
{
    uint8_t out[64];
    nansen__cbw w;
    size_t i, len;

    (void)state;
    nansen__cbw_init(&w, out, sizeof out);
    for (i = 0; i < NANSEN__CBW_MAX_OPEN_MAPS; i++) {
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, i);
    }
    nansen__cbw_null(&w);
    for (i = 0; i < NANSEN__CBW_MAX_OPEN_MAPS; i++)
        nansen__cbw_map_end(&w);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    assert_int_equal(len, 2 * NANSEN__CBW_MAX_OPEN_MAPS + 1);
    assert_int_equal(nansen_cbor_check(out, len, 0), NANSEN_OK);

    nansen__cbw_init(&w, out, sizeof out);
    for (i = 0; i <= NANSEN__CBW_MAX_OPEN_MAPS; i++) {
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, i);
    }
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_ERR_INVALID_ARG);
}

static void test_writer_size_query(void **state)
{
    uint8_t out[64], small[64];
    nansen__cbw w;
    size_t need = 0, len = 0, cap;

    (void)state;
    nansen__cbw_init(&w, NULL, 0);
    write_keys_shuffled(&w);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    nansen__cbw_init(&w, out, sizeof out);
    write_keys_shuffled(&w);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    assert_int_equal(need, len);
    assert_int_equal(need, 27);

    /* every too-small buffer says how much is needed */
    for (cap = 0; cap < need; cap++) {
        size_t got = 0;

        nansen__cbw_init(&w, small, cap);
        write_keys_shuffled(&w);
        assert_int_equal(nansen__cbw_finish(&w, &got),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(got, need);
    }
    nansen__cbw_init(&w, small, need);
    write_keys_shuffled(&w);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    assert_memory_equal(small, out, need);

    /* nested maps with strings */
    nansen__cbw_init(&w, NULL, 0);
    write_nested(&w);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    for (cap = 0; cap < need; cap++) {
        size_t got = 0;

        nansen__cbw_init(&w, small, cap);
        write_nested(&w);
        assert_int_equal(nansen__cbw_finish(&w, &got),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(got, need);
    }
}

static void test_writer_rejects(void **state)
{
    static const char *bad_utf8[] = {
        "\xc0\x80", "\xed\xa0\x80", "\xf5\x80\x80\x80", "\x80", "\xc3",
        "\xe0\x9f\xbf", "\xf4\x90\x80\x80", "\xf0\x8f\xbf\xbf", "a\xff",
    };
    static const char *bad_raw[] = {
        "1805", "9fff", "a2020101 01", "0102", "", "82 01", "a201000100",
    };
    uint8_t out[16];
    nansen__cbw w;
    size_t i, len, n;

    (void)state;
    for (i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
        nansen__cbw_init(&w, out, sizeof out);
        nansen__cbw_text(&w, bad_utf8[i], strlen(bad_utf8[i]));
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
    }
    for (i = 0; i < sizeof bad_raw / sizeof bad_raw[0]; i++) {
        char hex[32];
        uint8_t *b;
        size_t j, k = 0;

        for (j = 0; bad_raw[i][j] != '\0'; j++)
            if (bad_raw[i][j] != ' ')
                hex[k++] = bad_raw[i][j];
        hex[k] = '\0';
        b = tu_hex(hex, &n);
        nansen__cbw_init(&w, out, sizeof out);
        nansen__cbw_raw(&w, b, n);
        assert_int_equal(nansen__cbw_finish(&w, &len),
                         NANSEN_ERR_INVALID_ARG);
        free(b);
    }
    /* NULL with a length */
    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_bytes(&w, NULL, 3);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_ERR_INVALID_ARG);
    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_bytes(&w, NULL, 0);
    assert_written(&w, out, "40");

    /* errors are sticky: later writes change nothing */
    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_uint(&w, 1);
    nansen__cbw_text(&w, "\xff", 1);
    nansen__cbw_uint(&w, 2);
    assert_int_equal(w.len, 1);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_ERR_INVALID_ARG);

    /* raw copies one checked item */
    nansen__cbw_init(&w, out, sizeof out);
    nansen__cbw_array(&w, 2);
    nansen__cbw_raw(&w, (const uint8_t *)"\x82\x01\x02", 3);
    nansen__cbw_raw(&w, (const uint8_t *)"\xf9\x7e\x00", 3);
    assert_written(&w, out, "82820102f97e00");
}

/* ---- checker: rejections ---- */

static void test_rejections(void **state)
{
    static const struct { const char *hex; unsigned int flags;
                          nansen_err err; } cases[] = {
        /* indefinite lengths, with every flag */
        {"9fff", 3, NANSEN_ERR_CBOR_INDEFINITE},
        {"5f4101ff", 3, NANSEN_ERR_CBOR_INDEFINITE},
        {"7f6161ff", 3, NANSEN_ERR_CBOR_INDEFINITE},
        {"bfff", 3, NANSEN_ERR_CBOR_INDEFINITE},
        {"9f", 0, NANSEN_ERR_CBOR_INDEFINITE},
        /* 31 on majors 0, 1, 6 and a lone break: not well-formed */
        {"1f", 3, NANSEN_ERR_MALFORMED},
        {"3f", 3, NANSEN_ERR_MALFORMED},
        {"df", 3, NANSEN_ERR_MALFORMED},
        {"ff", 3, NANSEN_ERR_MALFORMED},
        {"8101ff", 3, NANSEN_ERR_TRAILING_DATA},
        {"82ff01", 3, NANSEN_ERR_MALFORMED},
        /* reserved additional information */
        {"1c", 3, NANSEN_ERR_MALFORMED},
        {"1d", 3, NANSEN_ERR_MALFORMED},
        {"1e", 3, NANSEN_ERR_MALFORMED},
        {"5c", 3, NANSEN_ERR_MALFORMED},
        {"fc", 3, NANSEN_ERR_MALFORMED},
        {"fd", 3, NANSEN_ERR_MALFORMED},
        {"fe", 3, NANSEN_ERR_MALFORMED},
        {"81dc", 3, NANSEN_ERR_MALFORMED},
        {"3c", 3, NANSEN_ERR_MALFORMED},
        {"3d", 3, NANSEN_ERR_MALFORMED},
        {"3e", 3, NANSEN_ERR_MALFORMED},
        {"5d", 3, NANSEN_ERR_MALFORMED},
        {"7e", 3, NANSEN_ERR_MALFORMED},
        {"9c", 3, NANSEN_ERR_MALFORMED},
        {"bd", 3, NANSEN_ERR_MALFORMED},
        {"de", 3, NANSEN_ERR_MALFORMED},
        {"a1001d", 3, NANSEN_ERR_MALFORMED},
        /* two-byte simple values below 32 */
        {"f800", 3, NANSEN_ERR_MALFORMED},
        {"f814", 3, NANSEN_ERR_MALFORMED},
        {"f818", 3, NANSEN_ERR_MALFORMED},
        {"f81f", 3, NANSEN_ERR_MALFORMED},
        /* long forms */
        {"1805", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1817", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"190005", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1900ff", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1a00000005", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1a0000ffff", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1b0000000000000005", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1b00000000ffffffff", 1, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"3817", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"580100", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"78016161", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"980101", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"b8010101", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"d80101", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"5801ff", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"9800", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"b800", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"d9000101", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"5900024142", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"1805", 1, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"d81801", 0, NANSEN_OK},       /* 24(1): 24 needs the d8 form */
        {"d7d81801", 0, NANSEN_OK},
        {"1805", 2, NANSEN_OK},
        {"190005", 2, NANSEN_OK},
        {"1a00000005", 2, NANSEN_OK},
        {"1b0000000000000005", 2, NANSEN_OK},
        {"3817", 2, NANSEN_OK},
        {"580100", 2, NANSEN_OK},
        {"d80101", 3, NANSEN_OK},
        {"d80101", 2, NANSEN_OK},
        {"1817", 2, NANSEN_OK},
        {"1900ff", 2, NANSEN_OK},
        {"1a0000ffff", 2, NANSEN_OK},
        {"1b00000000ffffffff", 2, NANSEN_OK},
        {"1b00000000ffffffff", 3, NANSEN_OK},
        {"5801ff", 2, NANSEN_OK},
        {"5801ff", 3, NANSEN_OK},
        {"780161", 2, NANSEN_OK},
        {"9800", 2, NANSEN_OK},
        {"980101", 2, NANSEN_OK},
        {"b800", 2, NANSEN_OK},
        {"b800", 3, NANSEN_OK},
        {"b8010101", 2, NANSEN_OK},
        {"d9000101", 2, NANSEN_OK},
        {"5900024142", 2, NANSEN_OK},
        {"9a00000001 1b0000000000000000", 2, NANSEN_OK},
        /* map order */
        {"a202010101", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a202010101", 2, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a202010101", 1, NANSEN_OK},
        {"a2616101 0a01", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a2186400 0a00", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        /* duplicates: always */
        {"a201010102", 0, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a201010102", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a201010102", 2, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a201010102", 3, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a3010002000100", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        /* out of order and a repeat at once: out of order, as with 0 */
        {"a30100180200 1801 00", 2, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a3010018020001 00", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        /* an earlier repeat comes first */
        {"a30100180100 00 00", 2, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a20100180100", 2, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a20100180100", 3, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        /* keys that are maps: {0: true, 18: 3} in two orders is one key
         * twice; such keys must be deterministic even when relaxed */
        {"a2a200f5120300a2120300f500", 1,
         NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a2a200f5120300a2120300f500", 3,
         NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a2a200f5120300a200f5120301", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a2a200f5120300a200f5120401", 1, NANSEN_OK},
        {"a2f93c0000fa3f80000001", 2, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a20100180100", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"a2180100 0100", 3, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a2616100 78016100", 3, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a2200039000000", 3, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a24100006100 00", 3, NANSEN_OK},      /* h'00' and "\0" differ */
        {"a282010200820102", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a282010200820102", 0, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a282010200820102 01", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        /* a duplicate comes first in input order */
        {"a3010001001c00", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a301000100", 1, NANSEN_ERR_TRUNCATED},    /* 6 > 4 bytes */
        {"a3010001001c00", 0, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        {"a3010002001c00", 1, NANSEN_ERR_MALFORMED},
        {"a30200010001", 1, NANSEN_ERR_TRUNCATED},
        /* keys compared only within their own map */
        {"a201a1010002a10100", 0, NANSEN_OK},
        {"a201a1010002a10100", 3, NANSEN_OK},
        {"a2a10100 00 a10101 00", 1, NANSEN_OK},
        {"a2a10100 00 a10100 00", 1, NANSEN_ERR_CBOR_DUPLICATE_KEY},
        /* invalid UTF-8 in text, also as a map key */
        {"62c080", 3, NANSEN_ERR_MALFORMED},
        {"63eda080", 3, NANSEN_ERR_MALFORMED},
        {"64f4908080", 3, NANSEN_ERR_MALFORMED},
        {"64f5808080", 3, NANSEN_ERR_MALFORMED},
        {"61ff", 3, NANSEN_ERR_MALFORMED},
        {"6180", 3, NANSEN_ERR_MALFORMED},
        {"62c361", 3, NANSEN_ERR_MALFORMED},
        {"61c3", 3, NANSEN_ERR_MALFORMED},
        {"63e09f80", 3, NANSEN_ERR_MALFORMED},
        {"63e08080", 3, NANSEN_ERR_MALFORMED},
        {"62e282", 3, NANSEN_ERR_MALFORMED},
        {"63e282ac", 3, NANSEN_OK},             /* the euro sign */
        {"63e282", 3, NANSEN_ERR_TRUNCATED},
        {"63edbfbf", 3, NANSEN_ERR_MALFORMED},  /* U+DFFF */
        {"63ee8080", 3, NANSEN_OK},             /* U+E000 */
        {"64f7bfbfbf", 3, NANSEN_ERR_MALFORMED},
        {"62c280", 3, NANSEN_OK},               /* U+0080 */
        {"62c1bf", 3, NANSEN_ERR_MALFORMED},
        {"780280c2", 2, NANSEN_ERR_MALFORMED},  /* also in a long form */
        {"64f08f8080", 3, NANSEN_ERR_MALFORMED},
        {"a161ff00", 3, NANSEN_ERR_MALFORMED},
        {"63ed9fbf", 3, NANSEN_OK},             /* U+D7FF */
        {"64f48fbfbf", 3, NANSEN_OK},           /* U+10FFFF */
        {"62c080", 0, NANSEN_ERR_MALFORMED},
        {"42c080", 0, NANSEN_OK},               /* bytes: anything */
        /* huge declared lengths */
        {"9bffffffffffffffff", 3, NANSEN_ERR_TRUNCATED},
        {"5b00000000ffffffff", 3, NANSEN_ERR_TRUNCATED},
        {"7bffffffffffffffff", 3, NANSEN_ERR_TRUNCATED},
        {"7affffffff", 3, NANSEN_ERR_TRUNCATED},
        {"bb7fffffffffffffff", 3, NANSEN_ERR_TRUNCATED},
        {"5affffffff00", 3, NANSEN_ERR_TRUNCATED},
        {"830000", 0, NANSEN_ERR_TRUNCATED},      /* 3 items, 2 bytes */
        {"83000000", 0, NANSEN_OK},
        {"a2000000", 3, NANSEN_ERR_TRUNCATED},    /* 2 pairs, 3 bytes */
        {"c1", 3, NANSEN_ERR_TRUNCATED},
        {"81c1", 3, NANSEN_ERR_TRUNCATED},
        {"bbffffffffffffffff", 3, NANSEN_ERR_TRUNCATED},
        {"bb8000000000000000", 3, NANSEN_ERR_TRUNCATED},
        {"9a7fffffff00", 3, NANSEN_ERR_TRUNCATED},
        {"8200", 0, NANSEN_ERR_TRUNCATED},
        {"a1000000", 0, NANSEN_ERR_TRAILING_DATA},
        {"a2000100", 0, NANSEN_ERR_TRUNCATED},    /* 2n = 4 > 3 left */
        {"a2000000", 0, NANSEN_ERR_TRUNCATED},
        {"a10000", 0, NANSEN_OK},
        {"4201", 0, NANSEN_ERR_TRUNCATED},
        /* trailing data */
        {"0000", 3, NANSEN_ERR_TRAILING_DATA},
        {"8001", 0, NANSEN_ERR_TRAILING_DATA},
        {"a0ff", 0, NANSEN_ERR_TRAILING_DATA},
        {"6161 1c", 0, NANSEN_ERR_TRAILING_DATA},
        /* first problem in input order */
        {"821805 1c", 0, NANSEN_ERR_CBOR_NOT_DETERMINISTIC},
        {"821c 1805", 0, NANSEN_ERR_MALFORMED},
        {"82 9f 1805", 0, NANSEN_ERR_CBOR_INDEFINITE},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char hex[64];
        size_t j, k = 0;
        unsigned int f;

        for (j = 0; cases[i].hex[j] != '\0'; j++)
            if (cases[i].hex[j] != ' ')
                hex[k++] = cases[i].hex[j];
        hex[k] = '\0';
        assert_int_equal(k % 2, 0);
        if (check_hex(hex, cases[i].flags) != cases[i].err)
            print_error("case %zu: %s flags %u: got %d, want %d\n", i, hex,
                        cases[i].flags, (int)check_hex(hex, cases[i].flags),
                        (int)cases[i].err);
        assert_int_equal(check_hex(hex, cases[i].flags), cases[i].err);
        /* well-formedness, truncation and trailing data do not depend on
         * the flags */
        if (cases[i].err != NANSEN_OK &&
            cases[i].err != NANSEN_ERR_CBOR_NOT_DETERMINISTIC &&
            cases[i].err != NANSEN_ERR_CBOR_DUPLICATE_KEY &&
            cases[i].flags == 3)
            for (f = 0; f < ALL_FLAGS_N; f++)
                assert_int_equal(check_hex(hex, f), cases[i].err);
    }
}

/* f8 00 .. f8 1f are not well-formed (RFC 8949 3.3), f8 20 .. f8 ff are */
static void test_simple_two_byte(void **state)
{
    unsigned int v, f;

    (void)state;
    for (v = 0; v < 256; v++) {
        uint8_t b[2] = {0xf8, (uint8_t)v};
        nansen__cbor_item it;
        nansen__cbr r;

        for (f = 0; f < ALL_FLAGS_N; f++)
            assert_int_equal(nansen_cbor_check(b, 2, f),
                             v < 32 ? NANSEN_ERR_MALFORMED : NANSEN_OK);
        nansen__cbr_init(&r, b, 2);
        assert_int_equal(nansen__cbr_next(&r, &it),
                         v < 32 ? NANSEN_ERR_MALFORMED : NANSEN_OK);
    }
}

static void test_arguments(void **state)
{
    uint8_t b[2] = {0x00, 0x01};
    size_t len = 9;

    (void)state;
    assert_int_equal(nansen_cbor_check(b, 1, 4), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_cbor_check(b, 1, ~0u), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_cbor_check(NULL, 1, 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_cbor_check(NULL, 0, 0), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen_cbor_check(b, 0, 0), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen_cbor_check(b, 2, 0), NANSEN_ERR_TRAILING_DATA);
    assert_int_equal(nansen__cbor_check_prefix(b, 2, 0, &len), NANSEN_OK);
    assert_int_equal(len, 1);
    assert_int_equal(nansen__cbor_check_prefix(b, 0, 0, &len),
                     NANSEN_ERR_MALFORMED);
    assert_int_equal(len, 0);
}

static void test_prefix(void **state)
{
    size_t n, len = 0;
    uint8_t *b = tu_hex("a26161016162820203" "1c1c", &n);

    (void)state;
    assert_int_equal(nansen__cbor_check_prefix(b, n, 0, &len), NANSEN_OK);
    assert_int_equal(len, 9);
    assert_int_equal(nansen_cbor_check(b, n, 0), NANSEN_ERR_TRAILING_DATA);
    assert_int_equal(nansen__cbor_check_prefix(b, 8, 0, &len),
                     NANSEN_ERR_TRUNCATED);
    free(b);
}

/* Every proper prefix of a valid item is TRUNCATED, whatever the flags. */
static void test_truncated(void **state)
{
    static const char *valid[] = {
        "1819", "1903e8", "1a000f4240", "1b000000e8d4a51000",
        "3bffffffffffffffff", "4401020304", "6449455446", "64f0908591",
        "8301820203820405",
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
        "a26161016162820203", "826161a161626163", "c11a514b67b0",
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d", "f8ff",
        "f93e00", "fa47c35000", "fb3ff199999999999a",
        /* a small COSE_Sign1: 18([h'a10127', {4: h'01'}, h'', h'00..']) */
        "d28443a10127a10441014040",
    };
    size_t i, cut;
    unsigned int f;

    (void)state;
    for (i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        size_t len;
        uint8_t *b = tu_hex(valid[i], &len);

        for (f = 0; f < ALL_FLAGS_N; f++) {
            assert_int_equal(nansen_cbor_check(b, len, f), NANSEN_OK);
            for (cut = 1; cut < len; cut++) {
                uint8_t *p = malloc(cut);     /* exact size for ASan */

                assert_non_null(p);
                memcpy(p, b, cut);
                assert_int_equal(nansen_cbor_check(p, cut, f),
                                 NANSEN_ERR_TRUNCATED);
                free(p);
            }
        }
        free(b);
    }
}

/* ---- limits ---- */

static uint8_t *nest(size_t depth, uint8_t open, const uint8_t *leaf,
                     size_t leaf_len, size_t *len)
{
    uint8_t *b = malloc(depth + leaf_len);

    assert_non_null(b);
    memset(b, open, depth);
    memcpy(b + depth, leaf, leaf_len);
    *len = depth + leaf_len;
    return b;
}

static void test_depth(void **state)
{
    static const struct { uint8_t open, leaf; size_t levels; } kinds[] = {
        {0x81, 0x00, NANSEN_CBOR_MAX_DEPTH},        /* [[[...0]]] */
        {0x81, 0x80, NANSEN_CBOR_MAX_DEPTH - 1},    /* innermost [] counts */
        {0xc1, 0x00, NANSEN_CBOR_MAX_DEPTH},        /* 1(1(...0)) */
    };
    uint8_t b[3 * NANSEN_CBOR_MAX_DEPTH + 8];
    size_t i, len, d;

    (void)state;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        uint8_t *p;

        p = nest(kinds[i].levels, kinds[i].open, &kinds[i].leaf, 1, &len);
        assert_int_equal(nansen_cbor_check(p, len, 0), NANSEN_OK);
        free(p);
        p = nest(kinds[i].levels + 1, kinds[i].open, &kinds[i].leaf, 1,
                 &len);
        for (d = 0; d < ALL_FLAGS_N; d++)
            assert_int_equal(nansen_cbor_check(p, len, (unsigned int)d),
                             NANSEN_ERR_CBOR_TOO_DEEP);
        free(p);
    }
    /* maps: {0: {0: ... {0: 0}}} */
    for (d = 0; d < NANSEN_CBOR_MAX_DEPTH; d++) {
        b[2 * d] = 0xa1;
        b[2 * d + 1] = 0x00;
    }
    b[2 * d] = 0x00;
    assert_int_equal(nansen_cbor_check(b, 2 * d + 1, 0), NANSEN_OK);
    b[2 * d] = 0xa1;
    b[2 * d + 1] = 0x00;
    b[2 * d + 2] = 0x00;
    assert_int_equal(nansen_cbor_check(b, 2 * d + 3, 0),
                     NANSEN_ERR_CBOR_TOO_DEEP);
    /* arrays, tags and maps (as values) mixed */
    len = 0;
    for (d = 0; d < NANSEN_CBOR_MAX_DEPTH; d++) {
        uint8_t op = d % 3 == 0 ? 0x81 : d % 3 == 1 ? 0xc6 : 0xa1;

        b[len++] = op;
        if (op == 0xa1)
            b[len++] = 0x00;
    }
    b[len++] = 0xf6;
    assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
    memmove(b + 1, b, len);
    b[0] = 0xc6;
    assert_int_equal(nansen_cbor_check(b, len + 1, 0),
                     NANSEN_ERR_CBOR_TOO_DEEP);
    /* {{{...[]: null}: null}: null}, one level too deep */
    len = 0;
    for (d = 0; d <= NANSEN_CBOR_MAX_DEPTH; d++)
        b[len++] = 0xa1;
    b[len++] = 0x80;
    for (d = 0; d <= NANSEN_CBOR_MAX_DEPTH; d++)
        b[len++] = 0xf6;
    assert_int_equal(nansen_cbor_check(b, len, NANSEN_CBOR_ALLOW_UNSORTED),
                     NANSEN_ERR_CBOR_TOO_DEEP);
}

static void test_items_and_size(void **state)
{
    size_t n = 1 + 2 + NANSEN_CBOR_MAX_ITEMS;
    uint8_t *b = calloc(n + 1, 1);

    (void)state;
    assert_non_null(b);
    /* an array of 65535 zeros: 65536 items in all */
    b[0] = 0x99;
    b[1] = 0xff;
    b[2] = 0xff;
    assert_int_equal(nansen_cbor_check(b, 3 + 65535, 0), NANSEN_OK);
    /* an array of 65536 zeros: one too many */
    b[0] = 0x9a;
    b[1] = 0x00;
    b[2] = 0x01;
    b[3] = 0x00;
    b[4] = 0x00;
    assert_int_equal(nansen_cbor_check(b, 5 + 65536 - 4, 0),
                     NANSEN_ERR_TRUNCATED);
    free(b);
    b = calloc(5 + 65536, 1);
    assert_non_null(b);
    b[0] = 0x9a;
    b[2] = 0x01;
    assert_int_equal(nansen_cbor_check(b, 5 + 65536, 0),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    free(b);

    /* input size */
    n = (size_t)NANSEN_CBOR_MAX_INPUT_BYTES + 1;
    b = calloc(n, 1);
    assert_non_null(b);
    b[0] = 0x5a;                  /* bytes of 16 MiB - 4 */
    b[1] = 0x00;
    b[2] = 0xff;
    b[3] = 0xff;
    b[4] = 0xfb;
    assert_int_equal(nansen_cbor_check(b, n - 1, 0), NANSEN_OK);
    b[4] = 0xfc;
    assert_int_equal(nansen_cbor_check(b, n, 0), NANSEN_ERR_CBOR_TOO_LARGE);
    free(b);
}

/* A map of n uint keys, in order or reversed, with an optional duplicate
 * at the end. */
static uint8_t *big_map(size_t n, int reversed, int dup, size_t *len)
{
    uint8_t *b = malloc(3 + n * 4);
    size_t i, o = 0;

    assert_non_null(b);
    assert_true(n > 255 && n <= 0xffff);
    b[o++] = 0xb9;
    b[o++] = (uint8_t)(n >> 8);
    b[o++] = (uint8_t)n;
    for (i = 0; i < n; i++) {
        size_t k = reversed ? n - 1 - i : i;

        if (dup && i == n - 1)
            k = reversed ? 7 : 300;
        b[o++] = 0x19;          /* keys 1000.. so all heads are 3 bytes */
        b[o++] = (uint8_t)((k + 1000) >> 8);
        b[o++] = (uint8_t)(k + 1000);
        b[o++] = 0xf6;
    }
    *len = o;
    return b;
}

static void test_big_maps(void **state)
{
    size_t len, n = 30000;
    uint8_t *b;

    (void)state;
    b = big_map(n, 0, 0, &len);
    assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
    assert_int_equal(nansen_cbor_check(b, len, 3), NANSEN_OK);
    free(b);
    b = big_map(n, 1, 0, &len);
    assert_int_equal(nansen_cbor_check(b, len, 0),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    assert_int_equal(nansen_cbor_check(b, len, NANSEN_CBOR_ALLOW_UNSORTED),
                     NANSEN_OK);
    assert_int_equal(nansen_cbor_check(b, len, 3), NANSEN_OK);
    free(b);
    b = big_map(n, 1, 1, &len);
    assert_int_equal(nansen_cbor_check(b, len, NANSEN_CBOR_ALLOW_UNSORTED),
                     NANSEN_ERR_CBOR_DUPLICATE_KEY);
    free(b);
    b = big_map(n, 0, 1, &len);
    assert_int_equal(nansen_cbor_check(b, len, 0),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    assert_int_equal(nansen_cbor_check(b, len, NANSEN_CBOR_ALLOW_LONG_FORM),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    assert_int_equal(nansen_cbor_check(b, len, 3),
                     NANSEN_ERR_CBOR_DUPLICATE_KEY);
    free(b);
}

/* ---- reader ---- */

static void test_reader_skip(void **state)
{
    /* [1, {"a": [2, 1(h'00')], "b": {}}, "x"] then 7 */
    size_t len, n;
    uint8_t *b = tu_hex("8301" "a2616182" "02c14100" "6162a0" "6178" "07",
                        &len);
    const uint8_t *start = NULL;
    nansen__cbr r;
    int64_t v;

    (void)state;
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_OK);
    assert_ptr_equal(start, b);
    assert_int_equal(n, len - 1);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
    assert_true(v == 7);
    assert_true(nansen__cbr_done(&r));

    /* inner spans */
    nansen__cbr_init(&r, b, len);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_OK);
    assert_ptr_equal(start, b + 1);
    assert_int_equal(n, 1);
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_OK);
    assert_ptr_equal(start, b + 2);
    assert_int_equal(n, 11);        /* a2 6161 82 02 c1 4100 6162 a0 */
    assert_int_equal(nansen__cbr_skip(&r, NULL, NULL), NANSEN_OK);
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_OK);
    assert_int_equal(n, 1);
    assert_true(nansen__cbr_done(&r));
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_ERR_TRUNCATED);
    assert_null(start);
    assert_int_equal(n, 0);

    /* a truncated nested item: error, and the reader stays put */
    nansen__cbr_init(&r, b, len - 3);
    assert_int_equal(nansen__cbr_skip(&r, &start, &n), NANSEN_ERR_TRUNCATED);
    assert_ptr_equal(r.p, b);
    free(b);
}

static void test_reader_skip_depth(void **state)
{
    uint8_t b[NANSEN_CBOR_MAX_DEPTH + 2];
    nansen__cbr r;
    size_t n;

    (void)state;
    memset(b, 0x81, sizeof b);
    b[NANSEN_CBOR_MAX_DEPTH] = 0x00;
    nansen__cbr_init(&r, b, NANSEN_CBOR_MAX_DEPTH + 1);
    assert_int_equal(nansen__cbr_skip(&r, NULL, &n), NANSEN_OK);
    assert_int_equal(n, NANSEN_CBOR_MAX_DEPTH + 1);
    b[NANSEN_CBOR_MAX_DEPTH] = 0x81;
    b[NANSEN_CBOR_MAX_DEPTH + 1] = 0x00;
    nansen__cbr_init(&r, b, sizeof b);
    assert_int_equal(nansen__cbr_skip(&r, NULL, &n),
                     NANSEN_ERR_CBOR_TOO_DEEP);
}

static void test_reader_mismatch(void **state)
{
    static const uint8_t text[] = {0x61, 0x61}, bytes[] = {0x41, 0x61},
        arr[] = {0x80}, map[] = {0xa0}, neg[] = {0x20}, flt[] = {0xf9,
        0x3c, 0x00}, tag[] = {0xc1, 0x00};
    const uint8_t *p;
    const char *t;
    nansen__cbr r;
    size_t n;
    int64_t v;

    (void)state;
    nansen__cbr_init(&r, text, sizeof text);
    assert_int_equal(nansen__cbr_bytes(&r, &p, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_ERR_MALFORMED);
    assert_ptr_equal(r.p, text);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_OK);

    nansen__cbr_init(&r, bytes, sizeof bytes);
    assert_int_equal(nansen__cbr_text(&r, &t, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_bytes(&r, &p, &n), NANSEN_OK);
    nansen__cbr_init(&r, arr, sizeof arr);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(n, 0);
    nansen__cbr_init(&r, map, sizeof map);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_map(&r, &n), NANSEN_OK);
    nansen__cbr_init(&r, neg, sizeof neg);
    assert_int_equal(nansen__cbr_bytes(&r, &p, &n), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_OK);
    assert_true(v == -1);
    nansen__cbr_init(&r, flt, sizeof flt);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_ERR_MALFORMED);
    nansen__cbr_init(&r, tag, sizeof tag);
    assert_int_equal(nansen__cbr_int(&r, &v), NANSEN_ERR_MALFORMED);
}

/* The reader is safe on bytes nobody checked. */
static void test_reader_unchecked(void **state)
{
    static const struct { const char *hex; nansen_err err; } cases[] = {
        {"9f", NANSEN_ERR_CBOR_INDEFINITE}, {"5f", NANSEN_ERR_CBOR_INDEFINITE},
        {"1c", NANSEN_ERR_MALFORMED}, {"ff", NANSEN_ERR_MALFORMED},
        {"f810", NANSEN_ERR_MALFORMED}, {"19", NANSEN_ERR_TRUNCATED},
        {"1a0000", NANSEN_ERR_TRUNCATED}, {"4201", NANSEN_ERR_TRUNCATED},
        {"5b00000000ffffffff00", NANSEN_ERR_TRUNCATED},
        {"9bffffffffffffffff", NANSEN_ERR_TRUNCATED},
        {"a2000000", NANSEN_ERR_TRUNCATED}, {"62c080", NANSEN_ERR_MALFORMED},
        {"1805", NANSEN_OK}, {"fa3f800000", NANSEN_OK},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *b = tu_hex(cases[i].hex, &len);
        nansen__cbor_item it;
        nansen__cbr r;

        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_next(&r, &it), cases[i].err);
        if (cases[i].err != NANSEN_OK)
            assert_ptr_equal(r.p, b);
        nansen__cbr_init(&r, b, len);
        assert_int_equal(nansen__cbr_skip(&r, NULL, NULL), cases[i].err);
        free(b);
    }
    {
        nansen__cbor_item it;
        nansen__cbr r;

        nansen__cbr_init(&r, NULL, 0);
        assert_true(nansen__cbr_done(&r));
        assert_int_equal(nansen__cbr_next(&r, &it), NANSEN_ERR_TRUNCATED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a_integers),
        cmocka_unit_test(test_int64_limits),
        cmocka_unit_test(test_appendix_a_strings),
        cmocka_unit_test(test_appendix_a_containers),
        cmocka_unit_test(test_reader_appendix_a),
        cmocka_unit_test(test_reader_containers),
        cmocka_unit_test(test_appendix_a_simple),
        cmocka_unit_test(test_appendix_a_floats),
        cmocka_unit_test(test_float_not_shortest),
        cmocka_unit_test(test_writer_map_sorted),
        cmocka_unit_test(test_writer_map_nested),
        cmocka_unit_test(test_writer_map_errors),
        cmocka_unit_test(test_writer_map_depth),
        cmocka_unit_test(test_writer_size_query),
        cmocka_unit_test(test_writer_rejects),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_simple_two_byte),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_items_and_size),
        cmocka_unit_test(test_big_maps),
        cmocka_unit_test(test_reader_skip),
        cmocka_unit_test(test_reader_skip_depth),
        cmocka_unit_test(test_reader_mismatch),
        cmocka_unit_test(test_reader_unchecked),
    };
    return cmocka_run_group_tests_name("cbor", tests, NULL, NULL);
}
