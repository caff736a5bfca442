/* test_inspect.c - JSON views of CBOR and COSE_Sign1.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The JSON of some CBOR (hex), minified for comparison (the text itself,
 * not a re-print, so that number digits are compared exactly). */
static char *view(const char *hex, nansen_err *err)
{
    uint8_t *in;
    size_t in_len, n = 0;
    char *out = NULL;
    cJSON *j;

    in = tu_hex(hex, &in_len);
    *err = nansen_inspect_json(NULL, &n, in, in_len);
    if (*err == NANSEN_OK) {
        out = malloc(n);
        assert_non_null(out);
        assert_int_equal(nansen_inspect_json(out, &n, in, in_len), NANSEN_OK);
        assert_int_equal(strlen(out) + 1, n);
    } else {
        assert_int_equal(n, 0);
    }
    free(in);
    if (out == NULL)
        return NULL;
    j = cJSON_Parse(out);
    assert_non_null(j);
    cJSON_Delete(j);
    cJSON_Minify(out);
    return out;
}

static void expect_json(const char *hex, const char *want)
{
    nansen_err err;
    char *got = view(hex, &err);

    assert_int_equal(err, NANSEN_OK);
    assert_string_equal(got, want);
    free(got);
}

static void test_scalars(void **state)
{
    (void)state;
    expect_json("00", "{\"type\":\"CBOR\",\"value\":0}");
    expect_json("1bffffffffffffffff",
                "{\"type\":\"CBOR\",\"value\":\"18446744073709551615\"}");
    expect_json("3bffffffffffffffff",
                "{\"type\":\"CBOR\",\"value\":\"-18446744073709551616\"}");
    expect_json("1b001fffffffffffff",
                "{\"type\":\"CBOR\",\"value\":9007199254740991}");
    expect_json("3863", "{\"type\":\"CBOR\",\"value\":-100}");
    expect_json("4401020304",
                "{\"type\":\"CBOR\",\"value\":{\"hex\":\"01020304\"}}");
    expect_json("43616263",
                "{\"type\":\"CBOR\",\"value\":{\"hex\":\"616263\","
                "\"text\":\"abc\"}}");
    expect_json("6449455446", "{\"type\":\"CBOR\",\"value\":\"IETF\"}");
    expect_json("f4", "{\"type\":\"CBOR\",\"value\":false}");
    expect_json("f5", "{\"type\":\"CBOR\",\"value\":true}");
    expect_json("f6", "{\"type\":\"CBOR\",\"value\":null}");
    expect_json("f7", "{\"type\":\"CBOR\",\"value\":{\"simple\":23}}");
    expect_json("f93e00", "{\"type\":\"CBOR\",\"value\":1.5}");
    expect_json("f97e00", "{\"type\":\"CBOR\",\"value\":\"NaN\"}");
    expect_json("f9fc00", "{\"type\":\"CBOR\",\"value\":\"-Infinity\"}");
}

static void test_structures(void **state)
{
    (void)state;
    expect_json("c11a514b67b0",
                "{\"type\":\"CBOR\",\"value\":{\"tag\":1,"
                "\"value\":1363896240}}");
    expect_json("8301820203820405",
                "{\"type\":\"CBOR\",\"value\":[1,[2,3],[4,5]]}");
    /* int, negative, text and byte string keys */
    expect_json("a4010220036161f44101f6",
                "{\"type\":\"CBOR\",\"value\":{\"1\":2,\"-1\":3,\"a\":false,"
                "\"{\\\"hex\\\":\\\"01\\\"}\":null}}");
    /* foreign data in another key order is shown, not refused */
    expect_json("a202010101",
                "{\"type\":\"CBOR\",\"value\":{\"2\":1,\"1\":1}}");
}

static void test_rejections(void **state)
{
    nansen_err err;
    char small[4];
    size_t n = sizeof small;
    static const uint8_t one[] = {0x01};

    (void)state;
    assert_null(view("83010203ff", &err));
    assert_int_equal(err, NANSEN_ERR_TRAILING_DATA);
    assert_null(view("830102", &err));
    assert_int_equal(err, NANSEN_ERR_TRUNCATED);
    assert_null(view("9f01ff", &err));
    assert_int_equal(err, NANSEN_ERR_CBOR_INDEFINITE);
    assert_null(view("a201000100", &err));
    assert_int_equal(err, NANSEN_ERR_CBOR_DUPLICATE_KEY);
    assert_null(view("", &err));
    assert_int_equal(err, NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen_inspect_json(small, &n, one, 1),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_true(n > sizeof small);
    assert_int_equal(nansen_inspect_json(NULL, &n, NULL, 1),
                     NANSEN_ERR_INVALID_ARG);
}

static void test_cose_view(void **state)
{
    static const char *payload = "\xa2\x01\x63" "ngo" "\x06\x1a\x65\x00\x00\x00";
    nansen_ctx *ctx = nansen_ctx_create(0);
    nansen_key *key = NULL;
    nansen_cose_sign1_params p;
    uint8_t kid[NANSEN_KEY_ID_BYTES], msg[512];
    size_t len = sizeof msg, n = 0;
    char *json;
    cJSON *j, *prot, *pl;

    (void)state;
    assert_non_null(ctx);
    assert_int_equal(nansen_key_generate(ctx, &key, NANSEN_KEY_ED25519),
                     NANSEN_OK);
    assert_int_equal(nansen_key_id(key, kid), NANSEN_OK);
    memset(&p, 0, sizeof p);
    p.kid = kid;
    p.kid_len = sizeof kid;
    p.typ.present = 1;
    p.typ.uint = 61;
    assert_int_equal(nansen_cose_sign1_sign(ctx, msg, &len, key, &p,
                                            (const uint8_t *)payload, 12,
                                            NULL, 0), NANSEN_OK);
    assert_int_equal(nansen_inspect_json(NULL, &n, msg, len), NANSEN_OK);
    json = malloc(n);
    assert_non_null(json);
    assert_int_equal(nansen_inspect_json(json, &n, msg, len), NANSEN_OK);
    j = cJSON_Parse(json);
    assert_non_null(j);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "type")),
                        "COSE_Sign1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "tagged")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "verified")));
    prot = cJSON_GetObjectItem(j, "protected");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(prot, "alg")),
                        "EdDSA");
    assert_int_equal(cJSON_GetObjectItem(prot, "typ")->valueint, 61);
    assert_int_equal(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(
                         cJSON_GetObjectItem(prot, "kid"), "hex"))), 16);
    pl = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "payload"), "cbor");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(pl, "1")),
                        "ngo");
    assert_int_equal(cJSON_GetObjectItem(pl, "6")->valuedouble, 1694498816.0);
    assert_int_equal(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(
                         cJSON_GetObjectItem(j, "signature"), "hex"))), 128);
    cJSON_Delete(j);
    free(json);
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
}

/* Sign payload (with a text kid) and return the minified "payload" and
 * "protected" views of its inspection, for exact comparison. */
static void signed_view(const char *payload, char **prot_out,
                        char **payload_out)
{
    static const char kid[] = "did:key:z6MkExample";
    nansen_ctx *ctx = nansen_ctx_create(0);
    nansen_key *key = NULL;
    nansen_cose_sign1_params p;
    uint8_t msg[1024];
    size_t len = sizeof msg, n = 0;
    char *json;
    cJSON *j;

    assert_non_null(ctx);
    assert_int_equal(nansen_key_generate(ctx, &key, NANSEN_KEY_ED25519),
                     NANSEN_OK);
    memset(&p, 0, sizeof p);
    p.kid = (const uint8_t *)kid;
    p.kid_len = sizeof kid - 1;
    assert_int_equal(nansen_cose_sign1_sign(ctx, msg, &len, key, &p,
                                            (const uint8_t *)payload,
                                            strlen(payload), NULL, 0),
                     NANSEN_OK);
    assert_int_equal(nansen_inspect_json(NULL, &n, msg, len), NANSEN_OK);
    json = malloc(n);
    assert_non_null(json);
    assert_int_equal(nansen_inspect_json(json, &n, msg, len), NANSEN_OK);
    j = cJSON_Parse(json);
    assert_non_null(j);
    *prot_out = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "protected"));
    *payload_out = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "payload"));
    assert_non_null(*prot_out);
    assert_non_null(*payload_out);
    cJSON_Delete(j);
    free(json);
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
}

static void expect_payload(const char *payload, const char *want)
{
    char *prot, *got;

    signed_view(payload, &prot, &got);
    assert_string_equal(prot, "{\"alg\":\"EdDSA\",\"kid\":{\"hex\":"
                              "\"6469643a6b65793a7a364d6b4578616d706c65\","
                              "\"text\":\"did:key:z6MkExample\"}}");
    assert_string_equal(got, want);
    cJSON_free(prot);
    cJSON_free(got);
}

static void test_payload_views(void **state)
{
    (void)state;
    /* JSON text that prints back the same (whitespace aside) is parsed */
    expect_payload("{\"type\": \"referral\",\n \"urgency\": \"priority\"}",
                   "{\"size\":44,\"json\":{\"type\":\"referral\","
                   "\"urgency\":\"priority\"}}");
    /* JSON followed by more text is not hidden: shown as text */
    expect_payload("{\"a\":1} trailing",
                   "{\"size\":16,\"bytes\":{\"hex\":"
                   "\"7b2261223a317d20747261696c696e67\","
                   "\"text\":\"{\\\"a\\\":1} trailing\"}}");
    /* a number a double cannot hold exactly is not rounded: text */
    expect_payload("[18446744073709551615]",
                   "{\"size\":22,\"bytes\":{\"hex\":"
                   "\"5b31383434363734343037333730393535313631355d\","
                   "\"text\":\"[18446744073709551615]\"}}");
    /* not text at all */
    expect_payload("\x01\x02", "{\"size\":2,\"bytes\":{\"hex\":\"0102\"}}");
    /* one CBOR item ("a" is text(1)) */
    expect_payload("\x61" "a", "{\"size\":2,\"cbor\":\"a\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_structures),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_cose_view),
        cmocka_unit_test(test_payload_views),
    };
    return cmocka_run_group_tests_name("inspect", tests, NULL, NULL);
}
