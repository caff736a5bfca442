/* test_dcc.c - the EU Digital COVID Certificate test QR codes, end to end.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Needs NANSEN_VECTORS_DIR (else skipped with a message). Every PNG in
 * dgc-testdata/<country>/png/ and dgc-testdata/<country>/2DCode/png/ is
 * read with nansen_qr_read_image and taken through the pipeline against
 * <country>/2DCode/raw/<same name>.json (and the PNG in that file's
 * 2DCODE field, base64, is read too):
 *
 *   picture decode   the QR text equals PREFIX        EXPECTEDPICTUREDECODE
 *   unframe          nansen_frame_decode(HC1) gives   EXPECTEDUNPREFIX,
 *                    the bytes of COSE                 EXPECTEDB45DECODE,
 *                                                      EXPECTEDCOMPRESSION
 *   COSE             nansen_cose_sign1_parse, lenient  EXPECTEDDECODE
 *                    CBOR; the payload is CBOR
 *   claim            the hcert claim (-260 -> 1) as    EXPECTEDVALIDJSON
 *                    JSON equals JSON
 *
 * A flag that is false means that step must fail (with the status that
 * belongs to it); a flag that is absent is not asserted. Steps Nansen does
 * not implement are counted as skipped with their reason: signature
 * verification (ES256/PS256 with X.509 signer certificates), expiry
 * against VALIDATIONCLOCK, and schema validation.
 *
 * The CBOR field is the CWT payload byte for byte in the German files;
 * the Austrian ones hold the hcert claim alone, re-encoded with
 * indefinite lengths, so there it is compared by meaning with the claim.
 * The CBOR-to-JSON conversion is this file's own (it accepts indefinite
 * lengths and drops tags, as DCC dates may be tagged): the library's
 * readers are strict by design.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "testutil.h"

typedef struct counts {
    int images, from_json, matched, payload_bytes, payload_meaning;
    int skipped_no_json, skipped_verify, skipped_expiry, skipped_schema;
    int expected_failures;
} counts;

/* ---- CBOR to cJSON, for comparison only ---- */

typedef struct rd {
    const uint8_t *p, *end;
    int ai;                  /* additional information of the last head */
} rd;

#define CJ_MAX_DEPTH 32

/* Read a head: major type and argument; 0 on error. *indef is set for
 * additional information 31; r->ai keeps the additional information. */
static int cj_head(rd *r, int *major, uint64_t *arg, int *indef)
{
    uint8_t b;
    int ai, n, i;

    if (r->p >= r->end)
        return 0;
    b = *r->p++;
    *major = b >> 5;
    ai = b & 31;
    r->ai = ai;
    *indef = 0;
    if (ai < 24) {
        *arg = (uint64_t)ai;
        return 1;
    }
    if (ai == 31) {
        *indef = 1;
        *arg = 0;
        return 1;
    }
    if (ai > 27)
        return 0;
    n = 1 << (ai - 24);
    if (r->end - r->p < n)
        return 0;
    *arg = 0;
    for (i = 0; i < n; i++)
        *arg = *arg << 8 | *r->p++;
    return 1;
}

static int cj_is_break(const rd *r)
{
    return r->p < r->end && *r->p == 0xff;
}

static double half_to_double(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY)
                                                : ldexp(m + 1024, e - 25);

    return (h & 0x8000) ? -v : v;
}

static cJSON *cj_item(rd *r, int depth);

/* A text or byte string, definite or in chunks; malloc'd, NUL-ended. */
static char *cj_string(rd *r, int major, uint64_t arg, int indef,
                       size_t *len)
{
    char *s = NULL;
    size_t n = 0;

    if (!indef) {
        if (arg > (uint64_t)(r->end - r->p))
            return NULL;
        s = malloc((size_t)arg + 1);
        assert_non_null(s);
        memcpy(s, r->p, (size_t)arg);
        r->p += arg;
        s[arg] = 0;
        *len = (size_t)arg;
        return s;
    }
    s = calloc(1, 1);
    assert_non_null(s);
    while (!cj_is_break(r)) {
        int m, ind;
        uint64_t a;

        if (!cj_head(r, &m, &a, &ind) || m != major || ind ||
            a > (uint64_t)(r->end - r->p)) {
            free(s);
            return NULL;
        }
        s = realloc(s, n + (size_t)a + 1);
        assert_non_null(s);
        memcpy(s + n, r->p, (size_t)a);
        r->p += a;
        n += (size_t)a;
        s[n] = 0;
    }
    if (r->p >= r->end) {
        free(s);
        return NULL;
    }
    r->p++;                         /* the break */
    *len = n;
    return s;
}

/* A map key as a JSON member name: text as is, integers in decimal. */
static char *cj_key(rd *r)
{
    int major, indef;
    uint64_t arg;
    size_t len;
    char buf[32], *s;

    if (!cj_head(r, &major, &arg, &indef))
        return NULL;
    if (major == 3)
        return cj_string(r, 3, arg, indef, &len);
    if ((major == 0 || major == 1) && !indef) {
        if (major == 0)
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)arg);
        else
            snprintf(buf, sizeof buf, "-%llu",
                     (unsigned long long)arg + 1ULL);
        len = strlen(buf) + 1;
        s = malloc(len);
        assert_non_null(s);
        return memcpy(s, buf, len);
    }
    return NULL;
}

static cJSON *cj_item(rd *r, int depth)
{
    int major, indef;
    uint64_t arg, i;
    cJSON *j = NULL;
    char *s;
    size_t len;

    if (depth > CJ_MAX_DEPTH || !cj_head(r, &major, &arg, &indef))
        return NULL;
    switch (major) {
    case 0:
        return indef ? NULL : cJSON_CreateNumber((double)arg);
    case 1:
        return indef ? NULL : cJSON_CreateNumber(-1.0 - (double)arg);
    case 2:
    case 3:
        if ((s = cj_string(r, major, arg, indef, &len)) == NULL)
            return NULL;
        if (major == 3) {
            j = cJSON_CreateString(s);
        } else {
            char *hex = malloc(2 * len + 1);

            assert_non_null(hex);
            sodium_bin2hex(hex, 2 * len + 1, (const uint8_t *)s, len);
            j = cJSON_CreateString(hex);
            free(hex);
        }
        free(s);
        return j;
    case 4:
        j = cJSON_CreateArray();
        for (i = 0; indef ? !cj_is_break(r) : i < arg; i++) {
            cJSON *v = cj_item(r, depth + 1);

            if (v == NULL) {
                cJSON_Delete(j);
                return NULL;
            }
            cJSON_AddItemToArray(j, v);
        }
        break;
    case 5:
        j = cJSON_CreateObject();
        for (i = 0; indef ? !cj_is_break(r) : i < arg; i++) {
            char *k = cj_key(r);
            cJSON *v = k == NULL ? NULL : cj_item(r, depth + 1);

            if (v == NULL || cJSON_GetObjectItemCaseSensitive(j, k)) {
                free(k);
                cJSON_Delete(v);
                cJSON_Delete(j);
                return NULL;
            }
            cJSON_AddItemToObject(j, k, v);
            free(k);
        }
        break;
    case 6:
        /* dates and other tags: the tagged value stands for itself */
        return indef ? NULL : cj_item(r, depth + 1);
    default:
        if (indef)
            return NULL;
        if (arg == 20 || arg == 21)
            return cJSON_CreateBool(arg == 21);
        if (arg == 22)
            return cJSON_CreateNull();
        /* floats: the head's argument holds the bits */
        if (r->ai == 25)
            return cJSON_CreateNumber(half_to_double((uint16_t)arg));
        if (r->ai == 26) {
            float f;
            uint32_t b32 = (uint32_t)arg;

            memcpy(&f, &b32, sizeof f);
            return cJSON_CreateNumber(f);
        }
        if (r->ai == 27) {
            double d;

            memcpy(&d, &arg, sizeof d);
            return cJSON_CreateNumber(d);
        }
        return NULL;
    }
    if (indef) {
        if (r->p >= r->end) {
            cJSON_Delete(j);
            return NULL;
        }
        r->p++;                     /* the break */
    }
    return j;
}

/* The whole of in as one CBOR item in JSON, or NULL. */
static cJSON *cbor_to_json(const uint8_t *in, size_t len)
{
    rd r = {in, in + len, 0};
    cJSON *j = cj_item(&r, 0);

    if (j != NULL && r.p != r.end) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* ---- the pipeline ---- */

/* -1 when the flag is absent, else 0 or 1. */
static int expect(const cJSON *v, const char *flag)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(v, "EXPECTEDRESULTS");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(res, flag);

    if (!cJSON_IsBool(f))
        return -1;
    return cJSON_IsTrue(f) ? 1 : 0;
}

static const char *field(const cJSON *v, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(v, name);

    return cJSON_IsString(f) ? f->valuestring : NULL;
}

/* Run the pipeline on one image against its raw JSON. Returns 1 if every
 * step matched the expectations. */
static int check_image(const char *what, const uint8_t *png, size_t png_len,
                       const cJSON *v, counts *c)
{
    const char *prefix = field(v, "PREFIX"), *cose_hex = field(v, "COSE");
    const char *cbor_hex = field(v, "CBOR");
    int e_pic = expect(v, "EXPECTEDPICTUREDECODE");
    int e_unprefix = expect(v, "EXPECTEDUNPREFIX");
    int e_b45 = expect(v, "EXPECTEDB45DECODE");
    int e_zlib = expect(v, "EXPECTEDCOMPRESSION");
    int e_decode = expect(v, "EXPECTEDDECODE");
    int e_json = expect(v, "EXPECTEDVALIDJSON");
    nansen_qr_codes *codes = NULL;
    nansen_cose_verify_opts opts;
    nansen_cose_sign1 msg;
    nansen_frame_kind kind = 0;
    uint8_t *cose = NULL, *want = NULL, *cbor = NULL;
    size_t text_len = 0, cose_len = 0, want_len = 0, cbor_len = 0;
    const char *text;
    cJSON *payload = NULL, *claim, *hcert, *expected, *cbor_json = NULL;
    nansen_err err;
    int ok = 0;

    c->images++;
    /* picture decode */
    err = nansen_qr_read_image(&codes, png, png_len);
    if (e_pic == 0) {
        if (err != NANSEN_OK || prefix == NULL ||
            strcmp(nansen_qr_codes_text(codes, 0, NULL), prefix) != 0) {
            c->expected_failures++;
            ok = 1;
        }
        goto out;
    }
    if (err != NANSEN_OK)
        fail_msg("%s: %s", what, nansen_err_name(err));
    assert_int_equal(nansen_qr_codes_count(codes), 1);
    text = nansen_qr_codes_text(codes, 0, &text_len);
    assert_non_null(prefix);
    assert_int_equal(text_len, strlen(prefix));
    assert_string_equal(text, prefix);

    /* unframe: prefix, Base45, zlib */
    err = nansen_frame_decode(NULL, &cose_len, &kind, text, text_len,
                              NANSEN_FRAME_ALLOW_HC1);
    if (err == NANSEN_OK) {
        cose = malloc(cose_len + 1);
        assert_non_null(cose);
        err = nansen_frame_decode(cose, &cose_len, &kind, text, text_len,
                                  NANSEN_FRAME_ALLOW_HC1);
    }
    if (e_unprefix == 0 || e_b45 == 0 || e_zlib == 0) {
        assert_int_not_equal(err, NANSEN_OK);
        if (e_unprefix == 0)
            assert_int_equal(err, NANSEN_ERR_WRONG_TYPE);
        else if (e_b45 == 0)
            assert_true(err == NANSEN_ERR_BAD_ENCODING ||
                        err == NANSEN_ERR_BAD_LENGTH ||
                        err == NANSEN_ERR_OUT_OF_RANGE);
        else
            assert_int_equal(err, NANSEN_ERR_BAD_COMPRESSION);
        c->expected_failures++;
        ok = 1;
        goto out;
    }
    if (err != NANSEN_OK)
        fail_msg("%s: unframe: %s", what, nansen_err_name(err));
    assert_int_equal(kind, NANSEN_FRAME_HC1);
    assert_non_null(cose_hex);
    want = tu_hex(cose_hex, &want_len);
    assert_int_equal(cose_len, want_len);
    assert_memory_equal(cose, want, want_len);

    /* COSE_Sign1, not deterministic: lenient CBOR */
    memset(&opts, 0, sizeof opts);
    opts.flags = NANSEN_COSE_LENIENT_CBOR;
    err = nansen_cose_sign1_parse(&msg, cose, cose_len, &opts);
    if (e_decode == 0) {
        assert_int_not_equal(err, NANSEN_OK);
        c->expected_failures++;
        ok = 1;
        goto out;
    }
    if (err != NANSEN_OK)
        fail_msg("%s: COSE: %s", what, nansen_err_name(err));
    assert_true(msg.alg == -7 || msg.alg == -37);   /* ES256, PS256 */
    payload = cbor_to_json(msg.payload, msg.payload_len);
    assert_non_null(payload);

    /* the hcert claim: -260 -> 1 */
    claim = cJSON_GetObjectItemCaseSensitive(payload, "-260");
    hcert = cJSON_GetObjectItemCaseSensitive(claim, "1");
    assert_true(cJSON_IsObject(hcert));
    assert_non_null(cbor_hex);
    cbor = tu_hex(cbor_hex, &cbor_len);
    if (cbor_len == msg.payload_len &&
        memcmp(cbor, msg.payload, cbor_len) == 0) {
        c->payload_bytes++;
    } else {
        cbor_json = cbor_to_json(cbor, cbor_len);
        assert_non_null(cbor_json);
        if (!cJSON_Compare(cbor_json, hcert, 1))
            fail_msg("%s: CBOR is neither the payload nor its hcert claim",
                     what);
        c->payload_meaning++;
    }
    expected = cJSON_GetObjectItemCaseSensitive(v, "JSON");
    if (e_json == 0) {
        assert_false(cJSON_Compare(expected, hcert, 1));
        c->expected_failures++;
        ok = 1;
        goto out;
    }
    if (!cJSON_Compare(expected, hcert, 1)) {
        char *a = cJSON_PrintUnformatted(expected);
        char *b = cJSON_PrintUnformatted(hcert);

        print_message("%s: JSON\n  want %s\n  got  %s\n", what, a, b);
        free(a);
        free(b);
        fail();
    }

    /* what Nansen does not implement */
    if (expect(v, "EXPECTEDVERIFY") >= 0)
        c->skipped_verify++;
    if (expect(v, "EXPECTEDEXPIRATIONCHECK") >= 0)
        c->skipped_expiry++;
    if (expect(v, "EXPECTEDSCHEMAVALIDATION") >= 0 ||
        expect(v, "EXPECTEDVALIDOBJECT") >= 0)
        c->skipped_schema++;
    ok = 1;
out:
    if (ok)
        c->matched++;
    cJSON_Delete(payload);
    cJSON_Delete(cbor_json);
    free(cbor);
    free(want);
    free(cose);
    nansen_qr_codes_free(codes);
    return ok;
}

/* The PNG in the JSON's 2DCODE field (base64), if any. */
static void check_embedded(const char *what, const cJSON *v, counts *c)
{
    const char *b64 = field(v, "2DCODE");
    uint8_t *png;
    size_t png_len = 0, cap;
    char name[4400];

    if (b64 == NULL)
        return;
    cap = strlen(b64) / 4 * 3 + 3;
    png = malloc(cap);
    assert_non_null(png);
    assert_int_equal(sodium_base642bin(png, cap, b64, strlen(b64), "\n\r ",
                                       &png_len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    snprintf(name, sizeof name, "%s (2DCODE)", what);
    c->from_json++;
    assert_true(check_image(name, png, png_len, v, c));
    free(png);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Every PNG in dgc-testdata/<country>/<sub>. */
static void check_folder(const char *vectors, const char *country,
                         const char *sub, counts *c)
{
    char dir[4096], path[4096 + 256], rel[1024], json_path[4096 + 1024];
    struct dirent *e;
    DIR *d;

    snprintf(dir, sizeof dir, "%s/dgc-testdata/%s/%s", vectors, country, sub);
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char base[256];
        uint8_t *png;
        size_t png_len = 0;
        cJSON *v;
        FILE *f;

        if (!has_suffix(e->d_name, ".png") ||
            strlen(e->d_name) >= sizeof base)
            continue;
        memcpy(base, e->d_name, strlen(e->d_name) - 4);
        base[strlen(e->d_name) - 4] = 0;
        snprintf(rel, sizeof rel, "dgc-testdata/%s/2DCode/raw/%s.json",
                 country, base);
        snprintf(json_path, sizeof json_path, "%s/%s", vectors, rel);
        if ((f = fopen(json_path, "rb")) == NULL) {
            print_message("skipped %s/%s/%s: no %s\n", country, sub,
                          e->d_name, rel);
            c->skipped_no_json++;
            continue;
        }
        fclose(f);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        png = (uint8_t *)tu_read_file(path, &png_len);
        assert_non_null(png);
        v = tu_vector_json(rel);
        snprintf(path, sizeof path, "%s/%s/%s", country, sub, e->d_name);
        assert_true(check_image(path, png, png_len, v, c));
        check_embedded(path, v, c);
        cJSON_Delete(v);
        free(png);
    }
    closedir(d);
}

static void test_dcc_pipeline(void **state)
{
    const char *vectors;
    char dir[4096];
    struct dirent *e;
    counts c;
    DIR *d;

    (void)state;
    TU_REQUIRE_VECTORS(vectors);
    memset(&c, 0, sizeof c);
    snprintf(dir, sizeof dir, "%s/dgc-testdata", vectors);
    d = opendir(dir);
    if (d == NULL) {
        print_message("no %s: skipping the DCC vectors\n", dir);
        skip();
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        check_folder(vectors, e->d_name, "png", &c);
        check_folder(vectors, e->d_name, "2DCode/png", &c);
    }
    closedir(d);
    print_message("DCC: %d images read (%d of them from 2DCODE fields), "
                  "%d matched every step (%d by expected failure); CBOR "
                  "field = payload bytes in %d, = hcert claim by meaning in "
                  "%d\n", c.images, c.from_json, c.matched,
                  c.expected_failures, c.payload_bytes, c.payload_meaning);
    print_message("DCC skipped: %d images without raw JSON; steps not "
                  "implemented: signature verification (ES256/PS256 with "
                  "X.509) %d, expiry check %d, schema validation %d\n",
                  c.skipped_no_json, c.skipped_verify, c.skipped_expiry,
                  c.skipped_schema);
    assert_true(c.images > 0);
    assert_int_equal(c.matched, c.images);
}

/* The converter itself, on RFC 8949 examples (appendix A). */
static void test_cbor_to_json(void **state)
{
    static const struct {
        const char *hex, *json;
    } cases[] = {
        {"00", "0"}, {"1903e8", "1000"}, {"20", "-1"}, {"3903e7", "-1000"},
        {"f93c00", "1"}, {"f9c400", "-4"}, {"fa47c35000", "100000"},
        {"fb3ff199999999999a", "1.1"}, {"f4", "false"}, {"f6", "null"},
        {"6449455446", "\"IETF\""}, {"c074323031332d30332d32315432303a30"
                                    "343a30305a",
                                    "\"2013-03-21T20:04:00Z\""},
        {"83010203", "[1,2,3]"}, {"9f018202039f0405ffff", "[1,[2,3],[4,5]]"},
        {"a201020304", "{\"1\":2,\"3\":4}"},
        {"bf61610161629f0203ffff", "{\"a\":1,\"b\":[2,3]}"},
        {"7f657374726561646d696e67ff", "\"streaming\""},
        {"a1390103a10102", "{\"-260\":{\"1\":2}}"},
        {"4401020304", "\"01020304\""},
    };
    static const char *const bad[] = {"", "18", "5f41", "9f01", "a10102ff",
                                      "a2616101616102", "1c", "ff"};
    size_t i, len;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t *b = tu_hex(cases[i].hex, &len);
        cJSON *got = cbor_to_json(b, len), *want = cJSON_Parse(cases[i].json);

        assert_non_null(want);
        if (got == NULL || !cJSON_Compare(got, want, 1))
            fail_msg("case %s", cases[i].hex);
        cJSON_Delete(got);
        cJSON_Delete(want);
        free(b);
    }
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint8_t *b = tu_hex(bad[i], &len);
        cJSON *got = cbor_to_json(b, len);

        if (got != NULL)
            fail_msg("accepted %s", bad[i]);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cbor_to_json),
        cmocka_unit_test(test_dcc_pipeline),
    };
    return cmocka_run_group_tests_name("dcc", tests, NULL, NULL);
}
