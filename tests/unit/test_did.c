/* test_did.c - did:key and the base58btc codec under it.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal/base58.h"

#define ED NANSEN_KEY_ED25519
#define K1 NANSEN_KEY_SECP256K1

static int setup(void **state)
{
    *state = nansen_ctx_create(NANSEN_CTX_DEFAULT);
    return *state != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    nansen_ctx_destroy(*state);
    return 0;
}

/* ---- base58 ---- */

static void test_base58_vectors(void **state)
{
    /* Bitcoin Core's base58_encode_decode.json. */
    static const struct { const char *hex, *b58; } v[] = {
        {"", ""},
        {"61", "2g"},
        {"626262", "a3gV"},
        {"636363", "aPEr"},
        {"73696d706c792061206c6f6e6720737472696e67",
         "2cFupjhnEsSn59qHXstmK2ffpLv2"},
        {"00eb15231dfceb60925886b67d065299925915aeb172c06647",
         "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
        {"516b6fcd0f", "ABnLTmg"},
        {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
        {"572e4794", "3EFU7m"},
        {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
        {"10c8511e", "Rt5zm"},
        {"00000000000000000000", "1111111111"},
        {"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff48"
         "0d6dd43dc62a641155a5",
         "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t n, len, out_len;
        uint8_t *bin = tu_hex(v[i].hex, &n), back[128];
        char text[200];

        len = 0;
        assert_int_equal(nansen__base58_encode(NULL, &len, bin, n), NANSEN_OK);
        assert_int_equal(len, strlen(v[i].b58) + 1);
        len = sizeof text;
        assert_int_equal(nansen__base58_encode(text, &len, bin, n), NANSEN_OK);
        assert_string_equal(text, v[i].b58);
        out_len = sizeof back;
        assert_int_equal(nansen__base58_decode(back, &out_len, v[i].b58,
                                               strlen(v[i].b58)), NANSEN_OK);
        assert_int_equal(out_len, n);
        if (n > 0)
            assert_memory_equal(back, bin, n);
        if (n > 1) {
            out_len = n - 1;
            assert_int_equal(nansen__base58_decode(back, &out_len, v[i].b58,
                                                   strlen(v[i].b58)),
                             NANSEN_ERR_BUFFER_TOO_SMALL);
            assert_int_equal(out_len, n);
        }
        free(bin);
    }
}

static void test_base58_limits(void **state)
{
    static char many[2 * NANSEN__BASE58_MAX_BYTES + 2];
    uint8_t in[NANSEN__BASE58_MAX_BYTES + 1], out[2 * NANSEN__BASE58_MAX_BYTES];
    char text[400];
    size_t len, round;
    static const char bad[] = "0OIl+/ \n";

    (void)state;
    memset(in, 0xff, sizeof in);
    len = sizeof text;
    assert_int_equal(nansen__base58_encode(text, &len, in, sizeof in),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof text;
    assert_int_equal(nansen__base58_encode(text, &len, in, sizeof in - 1),
                     NANSEN_OK);
    round = sizeof out;
    assert_int_equal(nansen__base58_decode(out, &round, text, len - 1),
                     NANSEN_OK);
    assert_int_equal(round, NANSEN__BASE58_MAX_BYTES);
    assert_memory_equal(out, in, round);

    /* The longest accepted text, all highest digits, and one more. */
    memset(many, 'z', sizeof many);
    len = 0;
    assert_int_equal(nansen__base58_decode(NULL, &len, many, sizeof many - 2),
                     NANSEN_OK);
    assert_true(len > 0 && len <= sizeof out);
    len = sizeof out;
    assert_int_equal(nansen__base58_decode(out, &len, many, sizeof many - 1),
                     NANSEN_ERR_MALFORMED);
    memset(many, '1', sizeof many);
    len = sizeof out;
    assert_int_equal(nansen__base58_decode(out, &len, many, sizeof many - 2),
                     NANSEN_OK);
    assert_int_equal(len, sizeof many - 2);

    for (len = 0; bad[len] != '\0'; len++) {
        char s[4] = {'2', bad[len], 'z', '\0'};
        size_t n = sizeof out;

        assert_int_equal(nansen__base58_decode(out, &n, s, 3),
                         NANSEN_ERR_BAD_ENCODING);
    }
    {
        char s[3] = {'2', '\0', 'z'};      /* an embedded NUL */
        size_t n = sizeof out;

        assert_int_equal(nansen__base58_decode(out, &n, s, 3),
                         NANSEN_ERR_BAD_ENCODING);
    }
}

/* ---- published did:key vectors ---- */

static int b64url_val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

/* Unpadded base64url into out; returns the length. */
static size_t b64url(uint8_t *out, size_t cap, const char *s)
{
    unsigned int acc = 0;
    int bits = 0;
    size_t n = 0;

    for (; *s != '\0' && *s != '='; s++) {
        int v = b64url_val(*s);

        assert_true(v >= 0);
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            assert_true(n < cap);
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return n;
}

/* The key bytes a verification method carries (publicKeyBase58 or
 * publicKeyJwk), in our form: 32 bytes or 33 compressed. */
static size_t vm_key(uint8_t *out, size_t cap, const cJSON *vm)
{
    const cJSON *b58 = cJSON_GetObjectItem(vm, "publicKeyBase58");
    const cJSON *jwk = cJSON_GetObjectItem(vm, "publicKeyJwk");
    size_t n = cap;

    if (cJSON_IsString(b58)) {
        assert_int_equal(nansen__base58_decode(out, &n, b58->valuestring,
                                               strlen(b58->valuestring)),
                         NANSEN_OK);
        return n;
    }
    assert_non_null(jwk);
    if (strcmp(cJSON_GetObjectItem(jwk, "kty")->valuestring, "EC") == 0) {
        uint8_t y[32];

        assert_true(cap >= 33);
        assert_int_equal(b64url(out + 1, 32,
                                cJSON_GetObjectItem(jwk, "x")->valuestring),
                         32);
        assert_int_equal(b64url(y, 32,
                                cJSON_GetObjectItem(jwk, "y")->valuestring),
                         32);
        out[0] = (uint8_t)(0x02 | (y[31] & 1));
        return 33;
    }
    return b64url(out, cap, cJSON_GetObjectItem(jwk, "x")->valuestring);
}

/* Is this verification method the did's own signing key (not X25519)? */
static int vm_is_signing(const cJSON *vm, nansen_key_type type)
{
    const char *t = cJSON_GetObjectItem(vm, "type")->valuestring;
    const cJSON *jwk = cJSON_GetObjectItem(vm, "publicKeyJwk");

    if (strcmp(t, "JsonWebKey2020") == 0) {
        const char *crv = cJSON_GetObjectItem(jwk, "crv")->valuestring;

        return strcmp(crv, type == ED ? "Ed25519" : "secp256k1") == 0;
    }
    return strcmp(t, type == ED ? "Ed25519VerificationKey2018"
                                : "EcdsaSecp256k1VerificationKey2019") == 0;
}

static void did_vectors(nansen_ctx *ctx, const char *file,
                        nansen_key_type type)
{
    cJSON *json = tu_vector_json(file);
    const cJSON *e, *vm;
    int entries = 0, seeds = 0;

    if (json == NULL)
        skip();
    cJSON_ArrayForEach(e, json) {
        const char *did = e->string;
        const cJSON *doc = cJSON_GetObjectItem(e, "didDocument");
        const cJSON *seed = cJSON_GetObjectItem(e, "seed");
        uint8_t pub[64], want[64];
        size_t pub_len = sizeof pub, want_len = 0, len;
        char again[NANSEN_DID_MAX_BYTES];
        nansen_key_type got;
        nansen_key *k = NULL;
        int found = 0;

        if (strncmp(did, "did:key:", 8) != 0)
            continue;
        assert_string_equal(cJSON_GetObjectItem(doc, "id")->valuestring, did);
        cJSON_ArrayForEach(vm, cJSON_GetObjectItem(doc, "verificationMethod")) {
            if (!vm_is_signing(vm, type))
                continue;
            want_len = vm_key(want, sizeof want, vm);
            found++;
            /* The verification method id is the DID URL form. */
            assert_int_equal(nansen_did_key_decode(
                                 &got, pub, &pub_len,
                                 cJSON_GetObjectItem(vm, "id")->valuestring,
                                 strlen(cJSON_GetObjectItem(vm, "id")
                                            ->valuestring)),
                             NANSEN_OK);
        }
        assert_int_equal(found, 1);
        pub_len = sizeof pub;
        assert_int_equal(nansen_did_key_decode(&got, pub, &pub_len, did,
                                               strlen(did)), NANSEN_OK);
        assert_int_equal(got, type);
        assert_int_equal(pub_len, want_len);
        assert_memory_equal(pub, want, pub_len);
        len = sizeof again;
        assert_int_equal(nansen_did_key_encode(again, &len, type, pub,
                                               pub_len), NANSEN_OK);
        assert_string_equal(again, did);
        assert_int_equal(len, strlen(did) + 1);
        assert_int_equal(nansen_key_from_did(ctx, &k, did, strlen(did)),
                         NANSEN_OK);
        assert_int_equal(nansen_key_get_type(k), type);
        nansen_key_free(k);
        if (cJSON_IsString(seed)) {
            uint8_t s[32];

            tu_hex_into(s, sizeof s, seed->valuestring);
            assert_int_equal(nansen_key_from_secret(ctx, &k, type, s),
                             NANSEN_OK);
            len = sizeof again;
            assert_int_equal(nansen_key_did(k, again, &len), NANSEN_OK);
            assert_string_equal(again, did);
            nansen_key_free(k);
            seeds++;
        }
        entries++;
    }
    cJSON_Delete(json);
    print_message("%s: %d did:key entries, %d from their seed\n", file,
                  entries, seeds);
    assert_true(entries >= 5);
}

static void test_vectors_ed25519(void **state)
{
    did_vectors(*state, "did-key/ed25519-x25519.json", ED);
}

static void test_vectors_secp256k1(void **state)
{
    did_vectors(*state, "did-key/secp256k1.json", K1);
}

/* ---- own round trips and hostile input ---- */

static void test_roundtrip(void **state)
{
    nansen_ctx *ctx = *state;
    nansen_key_type types[2] = {ED, K1};
    size_t i;

    for (i = 0; i < 2; i++) {
        nansen_key *k = NULL, *p = NULL;
        char did[NANSEN_DID_MAX_BYTES], url[2 * NANSEN_DID_MAX_BYTES];
        size_t len = 0;

        assert_int_equal(nansen_key_generate(ctx, &k, types[i]), NANSEN_OK);
        assert_int_equal(nansen_key_did(k, NULL, &len), NANSEN_OK);
        assert_true(len > 9 && len <= NANSEN_DID_MAX_BYTES);
        len = 10;
        assert_int_equal(nansen_key_did(k, did, &len),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        len = sizeof did;
        assert_int_equal(nansen_key_did(k, did, &len), NANSEN_OK);
        assert_int_equal(strlen(did) + 1, len);
        assert_true(strncmp(did, types[i] == ED ? "did:key:z6Mk"
                                                : "did:key:zQ3s", 12) == 0);
        assert_int_equal(nansen_key_from_did(ctx, &p, did, strlen(did)),
                         NANSEN_OK);
        assert_int_equal(nansen_key_equal(k, p), 1);
        assert_int_equal(nansen_key_has_secret(p), 0);
        nansen_key_free(p);
        /* The DID URL form, with the fragment repeating the id. */
        snprintf(url, sizeof url, "%s#%s", did, did + 8);
        assert_int_equal(nansen_key_from_did(ctx, &p, url, strlen(url)),
                         NANSEN_OK);
        assert_int_equal(nansen_key_equal(k, p), 1);
        nansen_key_free(p);
        /* Not NUL-terminated: did_len is what counts. */
        assert_int_equal(nansen_key_from_did(ctx, &p, url, strlen(did)),
                         NANSEN_OK);
        nansen_key_free(p);
        nansen_key_free(k);
    }
}

/* "did:key:z" + base58(raw) into out. */
static void make_did(char *out, size_t cap, const uint8_t *raw, size_t n)
{
    size_t len = cap - 9;

    assert_true(cap > 9);
    memcpy(out, "did:key:z", 9);
    assert_int_equal(nansen__base58_encode(out + 9, &len, raw, n), NANSEN_OK);
}

static nansen_err decode_str(const char *did)
{
    uint8_t pub[64];
    size_t len = sizeof pub;
    nansen_key_type t;

    return nansen_did_key_decode(&t, pub, &len, did, strlen(did));
}

static nansen_err from_did_str(nansen_ctx *ctx, const char *did)
{
    nansen_key *k = (nansen_key *)1;
    nansen_err err = nansen_key_from_did(ctx, &k, did, strlen(did));

    if (err != NANSEN_OK)
        assert_null(k);
    nansen_key_free(k);
    return err;
}

static void test_hostile(void **state)
{
    nansen_ctx *ctx = *state;
    static const char good[] =
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    char d[256];
    uint8_t raw[64];
    size_t i;

    assert_int_equal(decode_str(good), NANSEN_OK);
    /* Method and multibase. */
    assert_int_equal(decode_str("did:web:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQ"
                                "R3djdX3mDooWp"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("DID:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQ"
                                "R3djdX3mDooWp"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("did:key:"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("did:key"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str(""), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("did:key:z"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("did:key:u7QFNq"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_str("did:key:Z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQ"
                                "R3djdX3mDooWp"), NANSEN_ERR_MALFORMED);
    /* Characters outside base58btc, anywhere in the id. */
    for (i = 0; i < 4; i++) {
        static const char c[4] = {'0', 'O', 'I', 'l'};

        strcpy(d, good);
        d[20] = c[i];
        assert_int_equal(decode_str(d), NANSEN_ERR_BAD_ENCODING);
        assert_int_equal(from_did_str(ctx, d), NANSEN_ERR_BAD_ENCODING);
    }
    strcpy(d, good);
    strcat(d, " ");
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_ENCODING);
    /* Fragments. */
    snprintf(d, sizeof d, "%s#%s", good, good + 8);
    assert_int_equal(decode_str(d), NANSEN_OK);
    snprintf(d, sizeof d, "%s#keys-1", good);
    assert_int_equal(decode_str(d), NANSEN_ERR_MALFORMED);
    snprintf(d, sizeof d, "%s#", good);
    assert_int_equal(decode_str(d), NANSEN_ERR_MALFORMED);
    snprintf(d, sizeof d, "%s#%s#", good, good + 8);
    assert_int_equal(decode_str(d), NANSEN_ERR_MALFORMED);
    snprintf(d, sizeof d, "%s#z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWk"
                          "ARMW", good);
    assert_int_equal(decode_str(d), NANSEN_ERR_MALFORMED);

    /* Multicodecs: x25519-pub (0xec 0x01), P-256 (0x1200), a one-byte
     * code, and nothing at all. */
    memset(raw, 0x42, sizeof raw);
    raw[0] = 0xec;
    raw[1] = 0x01;
    make_did(d, sizeof d, raw, 34);
    assert_int_equal(decode_str(d), NANSEN_ERR_UNSUPPORTED_ALG);
    raw[0] = 0x80;
    raw[1] = 0x24;
    raw[2] = 0x02;
    make_did(d, sizeof d, raw, 35);
    assert_int_equal(decode_str(d), NANSEN_ERR_UNSUPPORTED_ALG);
    raw[0] = 0xed;
    raw[1] = 0x02;
    make_did(d, sizeof d, raw, 34);
    assert_int_equal(decode_str(d), NANSEN_ERR_UNSUPPORTED_ALG);
    raw[0] = 0x12;
    make_did(d, sizeof d, raw, 34);
    assert_int_equal(decode_str(d), NANSEN_ERR_UNSUPPORTED_ALG);
    make_did(d, sizeof d, raw, 1);
    assert_int_equal(decode_str(d), NANSEN_ERR_MALFORMED);

    /* Lengths. */
    raw[0] = 0xed;
    raw[1] = 0x01;
    make_did(d, sizeof d, raw, 33);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    make_did(d, sizeof d, raw, 35);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    make_did(d, sizeof d, raw, 2);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    raw[0] = 0xe7;
    raw[2] = 0x02;
    make_did(d, sizeof d, raw, 34);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    make_did(d, sizeof d, raw, 36);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    /* Uncompressed (0x04) and other prefixes in 33 bytes. */
    raw[2] = 0x04;
    make_did(d, sizeof d, raw, 35);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    raw[2] = 0x00;
    make_did(d, sizeof d, raw, 35);
    assert_int_equal(decode_str(d), NANSEN_ERR_BAD_KEY);
    /* An x that is not on secp256k1: syntax fine, the key is not. */
    memset(raw + 2, 0, 33);
    raw[2] = 0x02;
    raw[34] = 5;
    make_did(d, sizeof d, raw, 35);
    assert_int_equal(decode_str(d), NANSEN_OK);
    assert_int_equal(from_did_str(ctx, d), NANSEN_ERR_BAD_KEY);
    /* A small-order Ed25519 point (the identity). */
    raw[0] = 0xed;
    raw[1] = 0x01;
    memset(raw + 2, 0, 32);
    raw[2] = 0x01;
    make_did(d, sizeof d, raw, 34);
    assert_int_equal(decode_str(d), NANSEN_OK);
    assert_int_equal(from_did_str(ctx, d), NANSEN_ERR_BAD_KEY);

    /* Input past the base58 bound is refused before any arithmetic. */
    {
        char longd[2 * NANSEN__BASE58_MAX_BYTES + 16];

        memcpy(longd, "did:key:z", 9);
        memset(longd + 9, 'z', sizeof longd - 10);
        longd[sizeof longd - 1] = '\0';
        assert_int_equal(decode_str(longd), NANSEN_ERR_MALFORMED);
    }
}

static void test_encode_args(void **state)
{
    uint8_t pub[33];
    char out[NANSEN_DID_MAX_BYTES];
    size_t len = sizeof out;
    nansen_key_type t;

    (void)state;
    assert_int_equal(nansen_did_max_bytes(), NANSEN_DID_MAX_BYTES);
    memset(pub, 0x02, sizeof pub);
    assert_int_equal(nansen_did_key_encode(out, &len, ED, pub, 33),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_did_key_encode(out, &len, K1, pub, 32),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_did_key_encode(out, &len, (nansen_key_type)7,
                                           pub, 32), NANSEN_ERR_INVALID_ARG);
    pub[0] = 0x04;
    assert_int_equal(nansen_did_key_encode(out, &len, K1, pub, 33),
                     NANSEN_ERR_INVALID_ARG);
    pub[0] = 0x03;
    assert_int_equal(nansen_did_key_encode(out, &len, K1, pub, 33),
                     NANSEN_OK);
    /* Size query on decode. */
    len = 0;
    assert_int_equal(nansen_did_key_decode(&t, NULL, &len, out, strlen(out)),
                     NANSEN_OK);
    assert_int_equal(len, 33);
    assert_int_equal(t, K1);
    len = 32;
    assert_int_equal(nansen_did_key_decode(&t, pub, &len, out, strlen(out)),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 33);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base58_vectors),
        cmocka_unit_test(test_base58_limits),
        cmocka_unit_test(test_vectors_ed25519),
        cmocka_unit_test(test_vectors_secp256k1),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_encode_args),
    };
    return cmocka_run_group_tests_name("did", tests, setup, teardown);
}
