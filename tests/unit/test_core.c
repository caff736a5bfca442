/* test_core.c - status codes, version, context.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "testutil.h"

static void test_strerror_never_null(void **state)
{
    int v;

    (void)state;
    for (v = -5; v < 1000; v++) {
        const char *s = nansen_strerror((nansen_err)v);
        const char *n = nansen_err_name((nansen_err)v);

        assert_non_null(s);
        assert_non_null(n);
        assert_true(strlen(s) > 0);
    }
    assert_string_equal(nansen_strerror(NANSEN_OK), "success");
    assert_string_equal(nansen_strerror((nansen_err)999),
                        "unknown nansen error");
    assert_string_equal(nansen_err_name(NANSEN_ERR_BAD_SIGNATURE),
                        "NANSEN_ERR_BAD_SIGNATURE");
}

/* Every named code has its own message, and the numbers are the published
 * ones (spec/status-codes.md): renumbering would break every binding. */
static void test_codes_stable_and_distinct(void **state)
{
    static const struct { nansen_err e; int v; } codes[] = {
        {NANSEN_OK, 0}, {NANSEN_ERR_INVALID_ARG, 1},
        {NANSEN_ERR_BUFFER_TOO_SMALL, 2}, {NANSEN_ERR_NO_SECRET_KEY, 3},
        {NANSEN_ERR_WRONG_KEY_TYPE, 4},
        {NANSEN_ERR_CATEGORY_NOT_GRANTED, 5}, {NANSEN_ERR_OUTSIDE_VALIDITY, 6},
        {NANSEN_ERR_ABSENT, 7}, {NANSEN_ERR_QR_BUDGET, 8},
        {NANSEN_ERR_NOT_ENOUGH_SHARES, 9},
        {NANSEN_ERR_MALFORMED, 100},
        {NANSEN_ERR_TRUNCATED, 101}, {NANSEN_ERR_TRAILING_DATA, 102},
        {NANSEN_ERR_CBOR_INDEFINITE, 103},
        {NANSEN_ERR_CBOR_NOT_DETERMINISTIC, 104},
        {NANSEN_ERR_CBOR_DUPLICATE_KEY, 105}, {NANSEN_ERR_CBOR_TOO_DEEP, 106},
        {NANSEN_ERR_CBOR_TOO_LARGE, 107}, {NANSEN_ERR_BAD_ENCODING, 108},
        {NANSEN_ERR_UNSUPPORTED_ALG, 109},
        {NANSEN_ERR_UNSUPPORTED_VERSION, 110}, {NANSEN_ERR_BAD_KEY, 111},
        {NANSEN_ERR_BAD_HEADER, 112}, {NANSEN_ERR_UNKNOWN_CRITICAL, 113},
        {NANSEN_ERR_WRONG_TYPE, 114}, {NANSEN_ERR_CHECKSUM, 115},
        {NANSEN_ERR_BAD_LENGTH, 116}, {NANSEN_ERR_OUT_OF_RANGE, 117},
        {NANSEN_ERR_BAD_COMPRESSION, 118}, {NANSEN_ERR_BAD_IMAGE, 119},
        {NANSEN_ERR_NO_CODE, 120},
        {NANSEN_ERR_BAD_SIGNATURE, 200}, {NANSEN_ERR_ALG_MISMATCH, 201},
        {NANSEN_ERR_KEY_MISMATCH, 202}, {NANSEN_ERR_EXPIRED, 203},
        {NANSEN_ERR_REVOKED, 204},
        {NANSEN_ERR_DIGEST_MISMATCH, 205},
        {NANSEN_ERR_POLICY, 206},
        {NANSEN_ERR_STALE, 207}, {NANSEN_ERR_ROLLBACK, 208},
        {NANSEN_ERR_SUSPENDED, 209}, {NANSEN_ERR_WITHDRAWN, 210},
        {NANSEN_ERR_WRONG_PASSPHRASE, 211}, {NANSEN_ERR_SHARE_MISMATCH, 212},
        {NANSEN_ERR_CHAIN_BROKEN, 213}, {NANSEN_ERR_NOMEM, 300},
        {NANSEN_ERR_IO, 301}, {NANSEN_ERR_EXISTS, 302},
        {NANSEN_ERR_NOT_FOUND, 303}, {NANSEN_ERR_PERMISSION, 304},
        {NANSEN_ERR_INIT, 305},
    };
    size_t i, j, n = sizeof codes / sizeof codes[0];

    (void)state;
    for (i = 0; i < n; i++) {
        assert_int_equal((int)codes[i].e, codes[i].v);
        assert_string_not_equal(nansen_strerror(codes[i].e),
                                "unknown nansen error");
        assert_string_not_equal(nansen_err_name(codes[i].e),
                                "NANSEN_ERR_UNKNOWN");
        for (j = 0; j < i; j++)
            assert_string_not_equal(nansen_strerror(codes[i].e),
                                    nansen_strerror(codes[j].e));
    }
}

static void test_classes(void **state)
{
    (void)state;
    assert_int_equal(nansen_err_get_class(NANSEN_OK), NANSEN_CLASS_OK);
    assert_int_equal(nansen_err_get_class(NANSEN_ERR_BUFFER_TOO_SMALL),
                     NANSEN_CLASS_CALLER);
    assert_int_equal(nansen_err_get_class(NANSEN_ERR_TRUNCATED),
                     NANSEN_CLASS_MALFORMED);
    assert_int_equal(nansen_err_get_class(NANSEN_ERR_BAD_SIGNATURE),
                     NANSEN_CLASS_UNTRUSTED);
    assert_int_equal(nansen_err_get_class(NANSEN_ERR_IO),
                     NANSEN_CLASS_ENVIRONMENT);
    assert_int_equal(nansen_err_get_class((nansen_err)-1),
                     NANSEN_CLASS_ENVIRONMENT);
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(nansen_version_string(), NANSEN_VERSION_STRING);
    assert_int_equal(nansen_version_number(), NANSEN_VERSION_NUMBER);
}

static void test_ctx(void **state)
{
    nansen_ctx *ctx;

    (void)state;
    assert_null(nansen_ctx_create(0x80));        /* unknown flag */
    ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT);
    assert_non_null(ctx);
    nansen_ctx_destroy(ctx);
    nansen_ctx_destroy(NULL);                    /* no-op */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_never_null),
        cmocka_unit_test(test_codes_stable_and_distinct),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_ctx),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
