/* test_cose.c - COSE_Sign1 and COSE_Key.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "testutil.h"
#include "internal/cbor.h"

/* RFC 8032 section 7.1, TEST 1 */
static const char *ED_SECRET =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
#define X32 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define X31 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751"
#define SECPX "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
static const char *SECP_SECRET =
    "0000000000000000000000000000000000000000000000000000000000000003";

typedef struct fixture {
    nansen_ctx *ctx;
    nansen_key *ed;
    nansen_key *secp;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    uint8_t s[32];

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    tu_hex_into(s, 32, ED_SECRET);
    if (nansen_key_from_secret(f->ctx, &f->ed, NANSEN_KEY_ED25519, s))
        return -1;
    tu_hex_into(s, 32, SECP_SECRET);
    if (nansen_key_from_secret(f->ctx, &f->secp, NANSEN_KEY_SECP256K1, s))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    nansen_key_free(f->ed);
    nansen_key_free(f->secp);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* Sign into a malloc'd buffer through the size query. */
static uint8_t *sign(fixture *f, const nansen_key *key,
                     const nansen_cose_sign1_params *p, const char *payload,
                     const uint8_t *aad, size_t aad_len, size_t *len)
{
    uint8_t *out;
    size_t n = 0;

    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, &n, key, p,
                                            (const uint8_t *)payload,
                                            strlen(payload), aad, aad_len),
                     NANSEN_OK);
    assert_true(n > 0);
    out = malloc(n);
    assert_non_null(out);
    *len = n;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, out, len, key, p,
                                            (const uint8_t *)payload,
                                            strlen(payload), aad, aad_len),
                     NANSEN_OK);
    assert_int_equal(*len, n);
    return out;
}

/* ---- hand-built messages, for what a signer would never write ---- */

typedef struct raw_msg {
    int tag;                       /* -1: none */
    const uint8_t *prot; size_t prot_len;
    const uint8_t *unprot; size_t unprot_len;   /* encoded map */
    const uint8_t *payload; size_t payload_len; /* NULL: nil */
    const uint8_t *sig; size_t sig_len;
} raw_msg;

static size_t build(uint8_t *out, size_t cap, const raw_msg *m)
{
    nansen__cbw w;
    size_t len;

    nansen__cbw_init(&w, out, cap);
    if (m->tag >= 0)
        nansen__cbw_tag(&w, (uint64_t)m->tag);
    nansen__cbw_array(&w, 4);
    nansen__cbw_bytes(&w, m->prot, m->prot_len);
    nansen__cbw_raw(&w, m->unprot, m->unprot_len);
    if (m->payload != NULL)
        nansen__cbw_bytes(&w, m->payload, m->payload_len);
    else
        nansen__cbw_null(&w);
    nansen__cbw_bytes(&w, m->sig, m->sig_len);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    return len;
}

/* Re-sign a hand-built protected header with a key, so that only the
 * header rule under test is wrong. */
static size_t build_signed(fixture *f, const nansen_key *key, uint8_t *out,
                           size_t cap, const uint8_t *prot, size_t prot_len,
                           const uint8_t *unprot, size_t unprot_len)
{
    static const uint8_t payload[] = "hello";
    uint8_t tbs[512], sig[64];
    size_t tbs_len, sig_len = sizeof sig;
    nansen__cbw w;
    raw_msg m;

    nansen__cbw_init(&w, tbs, sizeof tbs);
    nansen__cbw_array(&w, 4);
    nansen__cbw_text(&w, "Signature1", 10);
    nansen__cbw_bytes(&w, prot, prot_len);
    nansen__cbw_bytes(&w, NULL, 0);
    nansen__cbw_bytes(&w, payload, 5);
    assert_int_equal(nansen__cbw_finish(&w, &tbs_len), NANSEN_OK);
    assert_int_equal(nansen_key_sign(f->ctx, sig, &sig_len, key, tbs,
                                     tbs_len), NANSEN_OK);
    m.tag = 18;
    m.prot = prot;
    m.prot_len = prot_len;
    m.unprot = unprot;
    m.unprot_len = unprot_len;
    m.payload = payload;
    m.payload_len = 5;
    m.sig = sig;
    m.sig_len = sig_len;
    return build(out, cap, &m);
}

static nansen_err verify(fixture *f, const nansen_key *key,
                         const uint8_t *msg, size_t len,
                         const nansen_cose_verify_opts *opts)
{
    nansen_cose_sign1 view;

    return nansen_cose_sign1_verify(f->ctx, &view, key, msg, len, NULL, 0,
                                    opts);
}

/* ---- round trips ---- */

static void round_trip(fixture *f, const nansen_key *key, int64_t alg)
{
    static const uint8_t extra_val[] = {0x82, 0x01, 0x02};   /* [1, 2] */
    static const uint8_t unprot_val[] = {0x63, 'a', 'b', 'c'};
    nansen_cose_header pe = {-65537, extra_val, sizeof extra_val};
    nansen_cose_header ue = {-65538, unprot_val, sizeof unprot_val};
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    const uint8_t *v;
    size_t v_len, len;
    int prot;
    nansen_cose_sign1_params p;
    nansen_cose_sign1 view;
    uint8_t *msg;

    assert_int_equal(nansen_key_id(key, kid), NANSEN_OK);
    memset(&p, 0, sizeof p);
    p.kid = kid;
    p.kid_len = sizeof kid;
    p.typ.present = 1;
    p.typ.text = "application/example+cwt";
    p.typ.text_len = strlen(p.typ.text);
    p.content_type.present = 1;
    p.content_type.uint = 60;
    p.protected_extra = &pe;
    p.protected_extra_count = 1;
    p.unprotected_extra = &ue;
    p.unprotected_extra_count = 1;
    msg = sign(f, key, &p, "a referral", (const uint8_t *)"aad", 3, &len);
    assert_int_equal(msg[0], 0xd2);                     /* tag 18 */
    assert_int_equal(nansen_cbor_check(msg, len, 0), NANSEN_OK);

    assert_int_equal(nansen_cose_sign1_verify(f->ctx, &view, key, msg, len,
                                              (const uint8_t *)"aad", 3,
                                              NULL), NANSEN_OK);
    assert_int_equal(view.tagged, 1);
    assert_int_equal(view.alg, alg);
    assert_int_equal(view.kid_len, 8);
    assert_memory_equal(view.kid, kid, 8);
    assert_int_equal(view.kid_protected, 1);
    assert_int_equal(view.typ.present, 1);
    assert_int_equal(view.typ.text_len, strlen(p.typ.text));
    assert_memory_equal(view.typ.text, p.typ.text, view.typ.text_len);
    assert_int_equal(view.content_type.present, 1);
    assert_null(view.content_type.text);
    assert_int_equal(view.content_type.uint, 60);
    assert_int_equal(view.payload_len, 10);
    assert_memory_equal(view.payload, "a referral", 10);
    assert_int_equal(view.signature_len, 64);
    /* the view points into the message */
    assert_true(view.payload > msg && view.payload < msg + len);

    assert_int_equal(nansen_cose_sign1_header(&view, -65537, &v, &v_len,
                                              &prot), NANSEN_OK);
    assert_int_equal(prot, 1);
    assert_int_equal(v_len, sizeof extra_val);
    assert_memory_equal(v, extra_val, v_len);
    assert_int_equal(nansen_cose_sign1_header(&view, -65538, &v, &v_len,
                                              &prot), NANSEN_OK);
    assert_int_equal(prot, 0);
    assert_memory_equal(v, unprot_val, sizeof unprot_val);
    assert_int_equal(nansen_cose_sign1_header(&view, 99, &v, &v_len, NULL),
                     NANSEN_ERR_NOT_FOUND);

    /* external AAD is bound */
    assert_int_equal(verify(f, key, msg, len, NULL),
                     NANSEN_ERR_BAD_SIGNATURE);
    assert_int_equal(nansen_cose_sign1_verify(f->ctx, NULL, key, msg, len,
                                              (const uint8_t *)"aaD", 3,
                                              NULL),
                     NANSEN_ERR_BAD_SIGNATURE);
    free(msg);

    /* untagged, no params */
    memset(&p, 0, sizeof p);
    p.untagged = 1;
    msg = sign(f, key, &p, "", NULL, 0, &len);
    assert_int_equal(msg[0], 0x84);
    assert_int_equal(nansen_cose_sign1_verify(f->ctx, &view, key, msg, len,
                                              NULL, 0, NULL), NANSEN_OK);
    assert_int_equal(view.tagged, 0);
    assert_int_equal(view.payload_len, 0);
    {
        nansen_cose_verify_opts o = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};

        assert_int_equal(verify(f, key, msg, len, &o),
                         NANSEN_ERR_WRONG_TYPE);
    }
    free(msg);
}

static void test_round_trip_ed25519(void **state)
{
    fixture *f = *state;

    round_trip(f, f->ed, NANSEN_COSE_ALG_EDDSA);
}

static void test_round_trip_es256k(void **state)
{
    fixture *f = *state;

    round_trip(f, f->secp, NANSEN_COSE_ALG_ES256K);
}

/* Ed25519 is deterministic, so the message is fixed: this pins the whole
 * encoding (tag, header order, Sig_structure). */
static void test_ed25519_exact(void **state)
{
    fixture *f = *state;
    nansen_cose_sign1_params p;
    size_t len;
    uint8_t *msg, *want;
    size_t want_len;

    memset(&p, 0, sizeof p);
    p.kid = (const uint8_t *)"11";
    p.kid_len = 2;
    p.kid_unprotected = 1;
    p.content_type.present = 1;
    p.content_type.uint = 0;
    msg = sign(f, f->ed, &p, "This is the content.", NULL, 0, &len);
    /* cose-wg/Examples eddsa-sig-01, which is public domain: the same key
     * (RFC 8032 TEST 1), headers and payload. */
    want = tu_hex(
        "D28445A201270300A10442313154546869732069732074686520636F6E74656E"
        "742E58407142FD2FF96D56DB85BEE905A76BA1D0B7321A95C8C4D3607C578193"
        "2B7AFB8711497DFA751BF40B58B3BCC32300B1487F3DB34085EEF013BF08F4A4"
        "4D6FEF0D", &want_len);
    assert_int_equal(len, want_len);
    assert_memory_equal(msg, want, len);
    free(want);
    free(msg);
}

static void test_size_query_and_args(void **state)
{
    fixture *f = *state;
    nansen_cose_sign1_params p;
    nansen_cose_header h;
    uint8_t buf[512], kid[80];
    size_t n = 0, small;
    nansen_key *pub = NULL;
    static const uint8_t one[] = {0x01}, two_items[] = {0x01, 0x02};

    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, &n, f->ed, NULL,
                                            (const uint8_t *)"x", 1, NULL, 0),
                     NANSEN_OK);
    assert_true(n > 64 && n < sizeof buf);
    small = n - 1;
    memset(buf, 0xaa, sizeof buf);
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &small, f->ed, NULL,
                                            (const uint8_t *)"x", 1, NULL, 0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(small, n);

    /* verification-only keys cannot sign */
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->ed), NANSEN_OK);
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, pub, NULL,
                                            (const uint8_t *)"x", 1, NULL, 0),
                     NANSEN_ERR_NO_SECRET_KEY);
    assert_int_equal(n, 0);
    nansen_key_free(pub);

    memset(&p, 0, sizeof p);
    memset(kid, 1, sizeof kid);
    p.kid = kid;
    p.kid_len = NANSEN_COSE_KID_MAX_BYTES + 1;            /* kid too long */
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, f->ed, &p,
                                            NULL, 0, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
    memset(&p, 0, sizeof p);
    h.label = NANSEN_COSE_HDR_ALG;                         /* core label */
    h.value = one;
    h.value_len = 1;
    p.protected_extra = &h;
    p.protected_extra_count = 1;
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, f->ed, &p,
                                            NULL, 0, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
    h.label = 100;                                   /* not one CBOR item */
    h.value = two_items;
    h.value_len = 2;
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, f->ed, &p,
                                            NULL, 0, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
    h.value_len = 1;                             /* same label in both */
    p.unprotected_extra = &h;
    p.unprotected_extra_count = 1;
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, f->ed, &p,
                                            NULL, 0, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
    n = sizeof buf;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, buf, &n, f->ed, NULL,
                                            NULL, 5, NULL, 0),
                     NANSEN_ERR_INVALID_ARG);
}

/* ---- every corruption is rejected ---- */

static void corrupt_all(fixture *f, const nansen_key *key)
{
    nansen_cose_sign1_params p;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    uint8_t *msg, *copy;
    size_t len, i;
    int bit;

    assert_int_equal(nansen_key_id(key, kid), NANSEN_OK);
    memset(&p, 0, sizeof p);
    p.kid = kid;
    p.kid_len = sizeof kid;
    p.typ.present = 1;
    p.typ.uint = 294;
    msg = sign(f, key, &p, "consent: clinic may see referral notes", NULL,
               0, &len);
    copy = malloc(len);
    assert_non_null(copy);
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(copy, msg, len);
            copy[i] ^= (uint8_t)(1u << bit);
            if (verify(f, key, copy, len, NULL) == NANSEN_OK)
                fail_msg("bit %d of byte %zu flipped and still valid", bit,
                         i);
        }
    }
    for (i = 0; i < len; i++)
        if (verify(f, key, msg, i, NULL) == NANSEN_OK)
            fail_msg("truncated to %zu bytes and still valid", i);
    assert_int_equal(verify(f, key, msg, len, NULL), NANSEN_OK);
    free(copy);
    free(msg);
}

static void test_bit_flips_and_truncation(void **state)
{
    fixture *f = *state;

    corrupt_all(f, f->ed);
    corrupt_all(f, f->secp);
}

/* A token signed with one algorithm and labelled with another. */
static void test_alg_confusion(void **state)
{
    fixture *f = *state;
    static const uint8_t prot_es256k[] = {0xa1, 0x01, 0x38, 0x2e}; /* -47 */
    static const uint8_t prot_eddsa[] = {0xa1, 0x01, 0x27};        /* -8 */
    static const uint8_t prot_es256[] = {0xa1, 0x01, 0x26};        /* -7 */
    static const uint8_t empty_map[] = {0xa0};
    uint8_t *good, out[512];
    size_t len, n;
    nansen_cose_sign1 view;
    raw_msg m;

    good = sign(f, f->ed, NULL, "hello", NULL, 0, &len);
    assert_int_equal(nansen_cose_sign1_parse(&view, good, len, NULL),
                     NANSEN_OK);
    /* same signature, header relabelled ES256K */
    m.tag = 18;
    m.prot = prot_es256k;
    m.prot_len = sizeof prot_es256k;
    m.unprot = empty_map;
    m.unprot_len = 1;
    m.payload = view.payload;
    m.payload_len = view.payload_len;
    m.sig = view.signature;
    m.sig_len = view.signature_len;
    n = build(out, sizeof out, &m);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_ALG_MISMATCH);
    assert_int_equal(verify(f, f->secp, out, n, NULL),
                     NANSEN_ERR_BAD_SIGNATURE);
    free(good);

    /* properly signed by the secp256k1 key, but labelled EdDSA */
    n = build_signed(f, f->secp, out, sizeof out, prot_eddsa,
                     sizeof prot_eddsa, empty_map, 1);
    assert_int_equal(verify(f, f->secp, out, n, NULL),
                     NANSEN_ERR_ALG_MISMATCH);
    /* an algorithm the profile does not have */
    n = build_signed(f, f->ed, out, sizeof out, prot_es256,
                     sizeof prot_es256, empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL),
                     NANSEN_ERR_UNSUPPORTED_ALG);
    /* the honest control: same construction, right label, verifies */
    n = build_signed(f, f->secp, out, sizeof out, prot_es256k,
                     sizeof prot_es256k, empty_map, 1);
    assert_int_equal(verify(f, f->secp, out, n, NULL), NANSEN_OK);
}

/* ES256K: the high-S twin of a valid signature is refused. */
static void test_high_s_rejected(void **state)
{
    static const char *N =
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    fixture *f = *state;
    nansen_cose_sign1 view;
    uint8_t n_bytes[32], *msg, sig[64], out[512];
    static const uint8_t empty_map[] = {0xa0};
    size_t len, olen;
    int i, borrow = 0;
    raw_msg m;

    tu_hex_into(n_bytes, 32, N);
    msg = sign(f, f->secp, NULL, "hello", NULL, 0, &len);
    assert_int_equal(nansen_cose_sign1_parse(&view, msg, len, NULL),
                     NANSEN_OK);
    memcpy(sig, view.signature, 64);
    for (i = 31; i >= 0; i--) {             /* s' = n - s */
        int d = n_bytes[i] - sig[32 + i] - borrow;

        borrow = d < 0;
        sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    /* the raw API with plain ECDSA semantics accepts the twin... */
    m.tag = 18;
    m.prot = view.protected_map;
    m.prot_len = view.protected_map_len;
    m.unprot = empty_map;
    m.unprot_len = 1;
    m.payload = view.payload;
    m.payload_len = view.payload_len;
    m.sig = sig;
    m.sig_len = 64;
    olen = build(out, sizeof out, &m);
    /* ...COSE verification does not */
    assert_int_equal(verify(f, f->secp, out, olen, NULL),
                     NANSEN_ERR_BAD_SIGNATURE);
    m.sig = view.signature;
    olen = build(out, sizeof out, &m);
    assert_int_equal(verify(f, f->secp, out, olen, NULL), NANSEN_OK);
    free(msg);
}

static void test_hostile_headers(void **state)
{
    fixture *f = *state;
    static const uint8_t empty_map[] = {0xa0};
    static const uint8_t prot_ok[] = {0xa1, 0x01, 0x27};
    static const uint8_t no_alg[] = {0xa1, 0x03, 0x00};
    static const uint8_t alg_text[] = {0xa1, 0x01, 0x65, 'E', 'd', 'D', 'S',
                                       'A'};
    static const uint8_t unprot_alg[] = {0xa1, 0x01, 0x27};
    static const uint8_t unprot_ct[] = {0xa1, 0x03, 0x00};
    static const uint8_t prot_ct[] = {0xa2, 0x01, 0x27, 0x03, 0x00};
    /* crit [-70000] with -70000 present / absent */
    static const uint8_t crit_known[] = {0xa3, 0x01, 0x27, 0x02, 0x81, 0x3a,
                                         0x00, 0x01, 0x11, 0x6f, 0x3a, 0x00,
                                         0x01, 0x11, 0x6f, 0x01};
    static const uint8_t crit_missing[] = {0xa2, 0x01, 0x27, 0x02, 0x81,
                                           0x3a, 0x00, 0x01, 0x11, 0x6f};
    static const uint8_t crit_empty[] = {0xa2, 0x01, 0x27, 0x02, 0x80};
    static const uint8_t crit_unprot[] = {0xa1, 0x02, 0x81, 0x01};
    static const uint8_t kid_int[] = {0xa2, 0x01, 0x27, 0x04, 0x01};
    static const uint8_t typ_bytes[] = {0xa2, 0x01, 0x27, 0x10, 0x41, 0x00};
    static const uint8_t label_float[] = {0xa2, 0x01, 0x27, 0xf9, 0x3c, 0x00,
                                          0x00};
    static const uint8_t kid_other[] = {0xa2, 0x01, 0x27, 0x04, 0x48, 1, 2,
                                        3, 4, 5, 6, 7, 8};
    static const uint8_t unsorted[] = {0xa2, 0x03, 0x00, 0x01, 0x27};
    const int64_t known[] = {-70000};
    nansen_cose_verify_opts opts = {known, 1, 0};
    uint8_t out[512];
    size_t n;

    n = build_signed(f, f->ed, out, sizeof out, prot_ok, sizeof prot_ok,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_OK);

    n = build_signed(f, f->ed, out, sizeof out, no_alg, sizeof no_alg,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, NULL, 0, unprot_alg,
                     sizeof unprot_alg);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, alg_text, sizeof alg_text,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, prot_ct, sizeof prot_ct,
                     unprot_ct, sizeof unprot_ct);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);

    n = build_signed(f, f->ed, out, sizeof out, crit_known,
                     sizeof crit_known, empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL),
                     NANSEN_ERR_UNKNOWN_CRITICAL);
    assert_int_equal(verify(f, f->ed, out, n, &opts), NANSEN_OK);
    n = build_signed(f, f->ed, out, sizeof out, crit_missing,
                     sizeof crit_missing, empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, &opts), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, crit_empty,
                     sizeof crit_empty, empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, prot_ok, sizeof prot_ok,
                     crit_unprot, sizeof crit_unprot);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);

    n = build_signed(f, f->ed, out, sizeof out, kid_int, sizeof kid_int,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, typ_bytes, sizeof typ_bytes,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    n = build_signed(f, f->ed, out, sizeof out, label_float,
                     sizeof label_float, empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_BAD_HEADER);
    /* an 8-byte kid names a key: it must be this key's id */
    n = build_signed(f, f->ed, out, sizeof out, kid_other, sizeof kid_other,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL),
                     NANSEN_ERR_KEY_MISMATCH);
    /* protected map not deterministic */
    n = build_signed(f, f->ed, out, sizeof out, unsorted, sizeof unsorted,
                     empty_map, 1);
    assert_int_equal(verify(f, f->ed, out, n, NULL),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    opts.flags = NANSEN_COSE_LENIENT_CBOR;
    assert_int_equal(verify(f, f->ed, out, n, &opts), NANSEN_OK);
    opts.flags = 0x80;
    assert_int_equal(verify(f, f->ed, out, n, &opts),
                     NANSEN_ERR_INVALID_ARG);
}

static void test_hostile_structure(void **state)
{
    fixture *f = *state;
    static const uint8_t prot_ok[] = {0xa1, 0x01, 0x27};
    static const uint8_t empty_map[] = {0xa0};
    static const uint8_t three[] = {0xd2, 0x83, 0x40, 0xa0, 0x40};
    static const uint8_t not_array[] = {0xd2, 0xa0};
    static const uint8_t unprot_array[] = {0x84, 0x43, 0xa1, 0x01, 0x27,
                                           0x80, 0x40, 0x40};
    static const uint8_t prot_not_map[] = {0x84, 0x41, 0x01, 0xa0, 0x40,
                                           0x40};
    static const uint8_t long_head[] = {0xd2, 0x98, 0x04, 0x43, 0xa1, 0x01,
                                        0x27, 0xa0, 0x40, 0x40};
    uint8_t *good, out[512];
    size_t len, n;
    nansen_cose_sign1 view;
    raw_msg m;

    good = sign(f, f->ed, NULL, "hello", NULL, 0, &len);
    assert_int_equal(nansen_cose_sign1_parse(&view, good, len, NULL),
                     NANSEN_OK);
    m.tag = 17;                                      /* COSE_Mac0's tag */
    m.prot = prot_ok;
    m.prot_len = sizeof prot_ok;
    m.unprot = empty_map;
    m.unprot_len = 1;
    m.payload = view.payload;
    m.payload_len = view.payload_len;
    m.sig = view.signature;
    m.sig_len = view.signature_len;
    n = build(out, sizeof out, &m);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_WRONG_TYPE);
    m.tag = 18;                                      /* detached payload */
    m.payload = NULL;
    n = build(out, sizeof out, &m);
    assert_int_equal(verify(f, f->ed, out, n, NULL), NANSEN_ERR_MALFORMED);
    m.payload = view.payload;                        /* short signature */
    m.sig_len = 63;
    n = build(out, sizeof out, &m);
    assert_int_equal(verify(f, f->ed, out, n, NULL),
                     NANSEN_ERR_BAD_SIGNATURE);
    free(good);

    assert_int_equal(verify(f, f->ed, three, sizeof three, NULL),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(verify(f, f->ed, not_array, sizeof not_array, NULL),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(verify(f, f->ed, unprot_array, sizeof unprot_array,
                            NULL), NANSEN_ERR_MALFORMED);
    assert_int_equal(verify(f, f->ed, prot_not_map, sizeof prot_not_map,
                            NULL), NANSEN_ERR_BAD_HEADER);
    assert_int_equal(verify(f, f->ed, long_head, sizeof long_head, NULL),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    assert_int_equal(verify(f, f->ed, NULL, 0, NULL), NANSEN_ERR_MALFORMED);
    assert_int_equal(nansen_cose_sign1_verify(f->ctx, NULL, f->ed, NULL, 3,
                                              NULL, 0, NULL),
                     NANSEN_ERR_INVALID_ARG);
}

/* ---- COSE_Key ---- */

static void test_cose_key(void **state)
{
    fixture *f = *state;
    uint8_t buf[NANSEN_COSE_KEY_MAX_BYTES], *want;
    size_t n, want_len;
    nansen_key *k = NULL;

    /* {1: 1, -1: 6, -2: x} for the RFC 8032 TEST 1 key */
    n = sizeof buf;
    assert_int_equal(nansen_cose_key_encode(f->ctx, buf, &n, f->ed, 0),
                     NANSEN_OK);
    want = tu_hex("a30101200621" "5820" X32, &want_len);
    assert_int_equal(n, want_len);
    assert_memory_equal(buf, want, n);
    free(want);
    assert_int_equal(nansen_cose_key_decode(f->ctx, &k, buf, n), NANSEN_OK);
    assert_true(nansen_key_equal(k, f->ed));
    assert_false(nansen_key_has_secret(k));
    nansen_key_free(k);

    /* secp256k1 key 3 (x = f9308a01...): compressed with sign bit, and
     * uncompressed; kid and alg */
    n = sizeof buf;
    assert_int_equal(nansen_cose_key_encode(f->ctx, buf, &n, f->secp,
                                            NANSEN_COSE_KEY_WITH_KID |
                                            NANSEN_COSE_KEY_WITH_ALG),
                     NANSEN_OK);
    assert_int_equal(buf[0], 0xa6);
    assert_int_equal(nansen_cbor_check(buf, n, 0), NANSEN_OK);
    assert_int_equal(nansen_cose_key_decode(f->ctx, &k, buf, n), NANSEN_OK);
    assert_true(nansen_key_equal(k, f->secp));
    nansen_key_free(k);
    n = sizeof buf;
    assert_int_equal(nansen_cose_key_encode(f->ctx, buf, &n, f->secp,
                                            NANSEN_COSE_KEY_UNCOMPRESSED),
                     NANSEN_OK);
    assert_int_equal(n, 1 + 2 + 2 + 35 + 35);   /* map, kty, crv, x, y */
    assert_int_equal(nansen_cose_key_decode(f->ctx, &k, buf, n), NANSEN_OK);
    assert_true(nansen_key_equal(k, f->secp));
    nansen_key_free(k);
    n = 3;
    assert_int_equal(nansen_cose_key_encode(f->ctx, buf, &n, f->secp, 0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 1 + 2 + 2 + 35 + 2);    /* y as a bool */
    n = sizeof buf;
    assert_int_equal(nansen_cose_key_encode(f->ctx, buf, &n, f->secp, 0x40),
                     NANSEN_ERR_INVALID_ARG);
}

static nansen_err decode_hex(fixture *f, const char *hex)
{
    nansen_key *k = (nansen_key *)1;
    uint8_t *b;
    size_t n;
    nansen_err err;

    b = tu_hex(hex, &n);
    err = nansen_cose_key_decode(f->ctx, &k, b, n);
    free(b);
    if (err != NANSEN_OK)
        assert_null(k);
    nansen_key_free(k);
    return err;
}


static void test_cose_key_hostile(void **state)
{
    fixture *f = *state;

    /* map keys in another order are fine for a foreign COSE_Key */
    assert_int_equal(decode_hex(f, "a32006215820" "0101"), NANSEN_ERR_TRUNCATED);
    assert_int_equal(decode_hex(f, "a32158" "20" X32 "01012006"), NANSEN_OK);
    /* d present: secrets never travel as COSE_Key */
    assert_int_equal(decode_hex(f, "a4010120062158" "20" X32 "235820" X32),
                     NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_hex(f, "a201012006"), NANSEN_ERR_MALFORMED);
    assert_int_equal(decode_hex(f, "a220062158" "20" X32),
                     NANSEN_ERR_MALFORMED);                 /* no kty */
    assert_int_equal(decode_hex(f, "a3010120072158" "20" X32),
                     NANSEN_ERR_UNSUPPORTED_ALG);           /* Ed448 */
    assert_int_equal(decode_hex(f, "a4010220012158" "20" X32 "22f5"),
                     NANSEN_ERR_UNSUPPORTED_ALG);           /* P-256 */
    assert_int_equal(decode_hex(f, "a2010320" "00"),
                     NANSEN_ERR_UNSUPPORTED_ALG);           /* RSA */
    assert_int_equal(decode_hex(f, "a401012006215820" X32 "0326"),
                     NANSEN_ERR_ALG_MISMATCH);              /* alg ES256 */
    assert_int_equal(decode_hex(f, "a401012006215820" X32 "0327"),
                     NANSEN_OK);                            /* alg EdDSA */
    assert_int_equal(decode_hex(f, "a3010120062158" "1f" X31),
                     NANSEN_ERR_BAD_KEY);                   /* 31 bytes */
    assert_int_equal(decode_hex(f, "a301012006215821" X32 "00"),
                     NANSEN_ERR_BAD_KEY);                   /* 33 bytes */
    assert_int_equal(decode_hex(f, "a4010220082158" "20" SECPX "22f4"),
                     NANSEN_OK);
    /* x = 5 is not on secp256k1 (5^3 + 7 = 132 is not a square mod p) */
    assert_int_equal(decode_hex(f, "a4010220082158" "20"
                     "0000000000000000000000000000000000000000000000000000000000000005"
                     "22f4"), NANSEN_ERR_BAD_KEY);
    assert_int_equal(decode_hex(f, "a3010220082158" "20" SECPX),
                     NANSEN_ERR_MALFORMED);                 /* no y */
    assert_int_equal(decode_hex(f, "a301012006215820" X32 "ff"),
                     NANSEN_ERR_TRAILING_DATA);
    assert_int_equal(decode_hex(f, "80"), NANSEN_ERR_MALFORMED);
}

/* ---- published COSE WG examples ---- */

/* A key coordinate given as "<name>_hex" or base64url "<name>". */
static uint8_t *coord(const cJSON *key, const char *name, size_t *len)
{
    char hexname[16];
    const char *hex, *b64;
    uint8_t *out;

    snprintf(hexname, sizeof hexname, "%s_hex", name);
    hex = cJSON_GetStringValue(cJSON_GetObjectItem(key, hexname));
    if (hex != NULL)
        return tu_hex(hex, len);
    b64 = cJSON_GetStringValue(cJSON_GetObjectItem(key, name));
    if (b64 == NULL)
        return NULL;
    out = malloc(strlen(b64));
    assert_non_null(out);
    assert_int_equal(sodium_base642bin(out, strlen(b64), b64, strlen(b64),
                                       NULL, len, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    return out;
}

/* Build a COSE_Key from an example's JSON key description. */
static nansen_err key_from_json(fixture *f, const cJSON *key, nansen_key **out)
{
    const char *kty = cJSON_GetStringValue(cJSON_GetObjectItem(key, "kty"));
    const char *crv = cJSON_GetStringValue(cJSON_GetObjectItem(key, "crv"));
    static const struct { const char *name; int kty, crv; } curves[] = {
        {"P-256", 2, 1}, {"P-384", 2, 2}, {"P-521", 2, 3},
        {"Ed25519", 1, 6}, {"Ed448", 1, 7}, {"secp256k1", 2, 8},
    };
    uint8_t buf[512], *xb = NULL, *yb = NULL;
    size_t xl = 0, yl = 0, n, i;
    int kty_num = -1, crv_num = -1;
    nansen__cbw w;
    nansen_err err;

    for (i = 0; crv != NULL && i < sizeof curves / sizeof curves[0]; i++)
        if (strcmp(crv, curves[i].name) == 0) {
            kty_num = curves[i].kty;
            crv_num = curves[i].crv;
        }
    assert_true(kty_num > 0 && kty != NULL);
    xb = coord(key, "x", &xl);
    yb = coord(key, "y", &yl);
    assert_non_null(xb);
    nansen__cbw_init(&w, buf, sizeof buf);
    nansen__cbw_map(&w, yb != NULL ? 4 : 3);
    nansen__cbw_int(&w, 1);
    nansen__cbw_int(&w, kty_num);
    nansen__cbw_int(&w, -1);
    nansen__cbw_int(&w, crv_num);
    nansen__cbw_int(&w, -2);
    nansen__cbw_bytes(&w, xb, xl);
    if (yb != NULL) {
        nansen__cbw_int(&w, -3);
        nansen__cbw_bytes(&w, yb, yl);
    }
    nansen__cbw_map_end(&w);
    assert_int_equal(nansen__cbw_finish(&w, &n), NANSEN_OK);
    free(xb);
    free(yb);
    err = nansen_cose_key_decode(f->ctx, out, buf, n);
    return err;
}

static void test_cose_wg_examples(void **state)
{
    static const char *files[] = {
        "eddsa-examples/eddsa-sig-01.json", "eddsa-examples/eddsa-sig-02.json",
        "eddsa-examples/eddsa-01.json", "eddsa-examples/eddsa-02.json",
        "ecdsa-examples/ecdsa-sig-01.json", "ecdsa-examples/ecdsa-sig-02.json",
        "ecdsa-examples/ecdsa-sig-03.json", "ecdsa-examples/ecdsa-sig-04.json",
        "ecdsa-examples/ecdsa-01.json", "ecdsa-examples/ecdsa-02.json",
        "ecdsa-examples/ecdsa-03.json", "ecdsa-examples/ecdsa-04.json",
        "sign1-tests/sign-pass-01.json", "sign1-tests/sign-pass-02.json",
        "sign1-tests/sign-pass-03.json", "sign1-tests/sign-fail-01.json",
        "sign1-tests/sign-fail-02.json", "sign1-tests/sign-fail-03.json",
        "sign1-tests/sign-fail-04.json", "sign1-tests/sign-fail-06.json",
        "sign1-tests/sign-fail-07.json", "CWT/A_3.json", "CWT/A_4.json",
        "CWT/A_5.json", "CWT/A_6.json", "CWT/A_7.json",
    };
    fixture *f = *state;
    const char *dir;
    size_t i, verified = 0, unsupported = 0, other_type = 0;

    TU_REQUIRE_VECTORS(dir);
    (void)dir;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char rel[256];
        cJSON *j, *input, *sign0, *out;
        const char *hex;
        uint8_t *msg;
        size_t len;
        int must_fail;
        nansen_cose_sign1 view;
        nansen_key *key = NULL;
        nansen_err err;

        snprintf(rel, sizeof rel, "cose-wg-examples/%s", files[i]);
        j = tu_vector_json(rel);
        assert_non_null(j);
        input = cJSON_GetObjectItem(j, "input");
        sign0 = cJSON_GetObjectItem(input, "sign0");
        out = cJSON_GetObjectItem(j, "output");
        hex = cJSON_GetStringValue(cJSON_GetObjectItem(out, "cbor"));
        assert_non_null(hex);
        msg = tu_hex(hex, &len);
        must_fail = cJSON_IsTrue(cJSON_GetObjectItem(j, "fail"));

        if (sign0 == NULL) {
            /* COSE_Sign, COSE_Mac0, COSE_Encrypt0...: not a COSE_Sign1 */
            assert_int_equal(nansen_cose_sign1_parse(&view, msg, len, NULL),
                             NANSEN_ERR_WRONG_TYPE);
            assert_int_equal(verify(f, f->ed, msg, len, NULL),
                             NANSEN_ERR_WRONG_TYPE);
            other_type++;
        } else {
            err = key_from_json(f, cJSON_GetObjectItem(sign0, "key"), &key);
            if (err == NANSEN_OK) {
                err = nansen_cose_sign1_verify(f->ctx, &view, key, msg, len,
                                               NULL, 0, NULL);
                if (must_fail)
                    assert_int_not_equal(err, NANSEN_OK);
                else
                    assert_int_equal(err, NANSEN_OK);
                nansen_key_free(key);
                verified++;
            } else {
                /* P-256/384/521 and Ed448 keys are not in the profile */
                assert_int_equal(err, NANSEN_ERR_UNSUPPORTED_ALG);
                err = verify(f, f->ed, msg, len, NULL);
                if (strstr(files[i], "eddsa-sig-02") != NULL)
                    /* alg is EdDSA, but an Ed448 signature is not an
                     * Ed25519 one */
                    assert_int_equal(err, NANSEN_ERR_BAD_SIGNATURE);
                else if (strstr(files[i], "sign-pass-01") != NULL)
                    /* alg only in the unprotected map: RFC 9052 requires
                     * it to be authenticated where it can be, and the
                     * profile refuses it before looking at the alg */
                    assert_int_equal(err, NANSEN_ERR_BAD_HEADER);
                else if (must_fail)
                    assert_int_not_equal(err, NANSEN_OK);
                else
                    assert_int_equal(err, NANSEN_ERR_UNSUPPORTED_ALG);
                unsupported++;
            }
        }
        free(msg);
        cJSON_Delete(j);
    }
    print_message("COSE WG examples: %zu verified, %zu unsupported curve "
                  "rejected, %zu other message types rejected\n", verified,
                  unsupported, other_type);
    assert_int_equal(verified, 1);
    assert_true(unsupported >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_ed25519),
        cmocka_unit_test(test_round_trip_es256k),
        cmocka_unit_test(test_ed25519_exact),
        cmocka_unit_test(test_size_query_and_args),
        cmocka_unit_test(test_bit_flips_and_truncation),
        cmocka_unit_test(test_alg_confusion),
        cmocka_unit_test(test_high_s_rejected),
        cmocka_unit_test(test_hostile_headers),
        cmocka_unit_test(test_hostile_structure),
        cmocka_unit_test(test_cose_key),
        cmocka_unit_test(test_cose_key_hostile),
        cmocka_unit_test(test_cose_wg_examples),
    };
    return cmocka_run_group_tests_name("cose", tests, setup, teardown);
}
