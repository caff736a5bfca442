/* test_trustlist.c - the trust list: building, signing, verifying, the
 * replacement rule, role checks, hostile lists signed by the governance
 * key itself, bounds, and the verifier's stored copy.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE                /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "testutil.h"
#include "internal/cbor.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define DAY 86400LL
#define ED NANSEN_KEY_ED25519
#define K1 NANSEN_KEY_SECP256K1
#define RB(r) NANSEN_ROLE_BIT(NANSEN_ROLE_##r)

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *gov, *gov2, *gov_k1;          /* governance keys */
    nansen_key *ngo, *clinic, *both_k1, *status, *stranger;
} fx;

static nansen_key *seed_key(nansen_ctx *ctx, nansen_key_type t, uint8_t b)
{
    uint8_t s[NANSEN_SECRET_BYTES];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, t, s), NANSEN_OK);
    return k;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->gov = seed_key(f->ctx, ED, 0x47);
    f->gov2 = seed_key(f->ctx, ED, 0x48);
    f->gov_k1 = seed_key(f->ctx, K1, 0x49);
    f->ngo = seed_key(f->ctx, ED, 0x11);
    f->clinic = seed_key(f->ctx, ED, 0x33);
    f->both_k1 = seed_key(f->ctx, K1, 0x22);
    f->status = seed_key(f->ctx, ED, 0x44);
    f->stranger = seed_key(f->ctx, ED, 0x55);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_key_free(f->gov);
    nansen_key_free(f->gov2);
    nansen_key_free(f->gov_k1);
    nansen_key_free(f->ngo);
    nansen_key_free(f->clinic);
    nansen_key_free(f->both_k1);
    nansen_key_free(f->status);
    nansen_key_free(f->stranger);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* The list of the examples: an NGO, a clinic, a secp256k1 party that is
 * both (listed for a window), and a status issuer. */
static nansen_trustlist *standard_list(fx *f, uint64_t seq)
{
    nansen_trustlist *tl = NULL;

    assert_int_equal(nansen_trustlist_create(f->ctx, &tl), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(tl, seq), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_issuer(tl, "Nansen Pilot Governance"),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "Helping Hands",
                                          RB(NGO), 0, 0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->clinic,
                                          "Clínica Santa María", RB(CLINIC),
                                          0, 0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->both_k1,
                                          "Δίκτυο Υγείας Αθηνά",
                                          RB(NGO) | RB(CLINIC), T0 - DAY,
                                          T0 + 30 * DAY), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->status,
                                          "Status Service",
                                          RB(STATUS_ISSUER), 0, 0),
                     NANSEN_OK);
    return tl;
}

/* Sign a list; the bytes are malloc'd. */
static uint8_t *sign_list(fx *f, const nansen_trustlist *tl,
                          const nansen_key *gov, int64_t iat, int64_t exp,
                          uint64_t prev, size_t *len)
{
    nansen_trustlist_sign_params p = {iat, exp, prev};
    uint8_t *out;
    size_t need = 0;

    assert_int_equal(nansen_trustlist_sign(f->ctx, NULL, &need, tl, gov, &p),
                     NANSEN_OK);
    assert_true(need > 0 && need <= NANSEN_TRUSTLIST_MAX_BYTES);
    out = malloc(need);
    assert_non_null(out);
    *len = need;
    assert_int_equal(nansen_trustlist_sign(f->ctx, out, len, tl, gov, &p),
                     NANSEN_OK);
    assert_int_equal(*len, need);
    return out;
}

static nansen_trustlist *verified(fx *f, const uint8_t *b, size_t n,
                                  const nansen_key *gov)
{
    nansen_trustlist *tl = NULL;

    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, n, gov),
                     NANSEN_OK);
    assert_non_null(tl);
    return tl;
}

/* A verified list of the standard entries with this sequence. */
static nansen_trustlist *standard_verified(fx *f, uint64_t seq,
                                           const nansen_key *gov)
{
    nansen_trustlist *draft = standard_list(f, seq), *tl;
    size_t len;
    uint8_t *b = sign_list(f, draft, gov, T0, T0 + 90 * DAY, 0, &len);

    tl = verified(f, b, len, gov);
    free(b);
    nansen_trustlist_free(draft);
    return tl;
}

/* ---- crafted payloads, signed with the real governance key ---- */

typedef struct tent {
    const nansen_key *key;          /* its canonical COSE_Key, unless raw */
    const uint8_t *raw_key;
    size_t raw_key_len;
    const char *name;               /* NULL: omitted */
    size_t name_len;                /* 0: strlen(name) */
    const int64_t *roles;           /* NULL: omitted */
    size_t nroles;
    int64_t nbf, exp;               /* 0: omitted */
    int64_t extra;                  /* != 0: another label, value 1 */
} tent;

typedef struct tpay {
    const char *iss;                /* NULL: omitted */
    int64_t iat, exp;               /* 0: omitted */
    int64_t profile, seq;           /* -1: omitted */
    const tent *entries;
    size_t n;
    int no_entries;
    int64_t extra_claim;            /* != 0: another claim, value 1 */
    int64_t extra_nansen;           /* != 0: another Nansen key, value 1 */
} tpay;

static const int64_t roles_ngo[] = {1};

static void write_tent(nansen__cbw *w, nansen_ctx *ctx, const tent *e)
{
    uint8_t ck[NANSEN_COSE_KEY_MAX_BYTES];
    size_t ck_len = sizeof ck, i;

    nansen__cbw_map(w, (e->key != NULL || e->raw_key != NULL) +
                           (e->name != NULL) + (e->roles != NULL) +
                           (e->nbf != 0) + (e->exp != 0) + (e->extra != 0));
    if (e->raw_key != NULL) {
        nansen__cbw_uint(w, 1);
        nansen__cbw_raw(w, e->raw_key, e->raw_key_len);
    } else if (e->key != NULL) {
        assert_int_equal(nansen_cose_key_encode(ctx, ck, &ck_len, e->key, 0),
                         NANSEN_OK);
        nansen__cbw_uint(w, 1);
        nansen__cbw_raw(w, ck, ck_len);
    }
    if (e->name != NULL) {
        nansen__cbw_uint(w, 2);
        nansen__cbw_text(w, e->name, e->name_len ? e->name_len
                                                 : strlen(e->name));
    }
    if (e->roles != NULL) {
        nansen__cbw_uint(w, 3);
        nansen__cbw_array(w, e->nroles);
        for (i = 0; i < e->nroles; i++)
            nansen__cbw_int(w, e->roles[i]);
    }
    if (e->nbf != 0) {
        nansen__cbw_uint(w, 4);
        nansen__cbw_int(w, e->nbf);
    }
    if (e->exp != 0) {
        nansen__cbw_uint(w, 5);
        nansen__cbw_int(w, e->exp);
    }
    if (e->extra != 0) {
        nansen__cbw_int(w, e->extra);
        nansen__cbw_uint(w, 1);
    }
    nansen__cbw_map_end(w);
}

static void write_tpay(nansen__cbw *w, nansen_ctx *ctx, const tpay *p)
{
    size_t i;

    nansen__cbw_map(w, (p->iss != NULL) + (p->iat != 0) + (p->exp != 0) +
                           1 + (p->extra_claim != 0));
    if (p->iss != NULL) {
        nansen__cbw_uint(w, 1);
        nansen__cbw_text(w, p->iss, strlen(p->iss));
    }
    if (p->exp != 0) {
        nansen__cbw_uint(w, 4);
        nansen__cbw_int(w, p->exp);
    }
    if (p->iat != 0) {
        nansen__cbw_uint(w, 6);
        nansen__cbw_int(w, p->iat);
    }
    if (p->extra_claim != 0) {
        nansen__cbw_int(w, p->extra_claim);
        nansen__cbw_uint(w, 1);
    }
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    nansen__cbw_map(w, (p->profile >= 0) + (p->seq >= 0) + !p->no_entries +
                           (p->extra_nansen != 0));
    if (p->profile >= 0) {
        nansen__cbw_uint(w, 0);
        nansen__cbw_int(w, p->profile);
    }
    if (p->seq >= 0) {
        nansen__cbw_uint(w, 1);
        nansen__cbw_int(w, p->seq);
    }
    if (!p->no_entries) {
        nansen__cbw_uint(w, 2);
        nansen__cbw_array(w, p->n);
        for (i = 0; i < p->n; i++)
            write_tent(w, ctx, &p->entries[i]);
    }
    if (p->extra_nansen != 0) {
        nansen__cbw_int(w, p->extra_nansen);
        nansen__cbw_uint(w, 1);
    }
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static uint8_t *craft_payload(nansen_ctx *ctx, const tpay *p, size_t *len)
{
    nansen__cbw w;
    uint8_t *out;
    size_t need = 0;

    nansen__cbw_init(&w, NULL, 0);
    write_tpay(&w, ctx, p);
    assert_int_equal(nansen__cbw_finish(&w, &need), NANSEN_OK);
    out = malloc(need);
    assert_non_null(out);
    nansen__cbw_init(&w, out, need);
    write_tpay(&w, ctx, p);
    assert_int_equal(nansen__cbw_finish(&w, len), NANSEN_OK);
    return out;
}

/* The COSE headers of a trust list, for changing one thing. */
static nansen_cose_sign1_params tl_params(uint8_t kid[NANSEN_KEY_ID_BYTES],
                                          const nansen_key *gov)
{
    nansen_cose_sign1_params cp;

    assert_int_equal(nansen_key_id(gov, kid), NANSEN_OK);
    memset(&cp, 0, sizeof cp);
    cp.kid = kid;
    cp.kid_len = NANSEN_KEY_ID_BYTES;
    cp.typ.present = 1;
    cp.typ.text = NANSEN_TRUSTLIST_TYP;
    cp.typ.text_len = strlen(NANSEN_TRUSTLIST_TYP);
    return cp;
}

static uint8_t *sign_raw(fx *f, const nansen_key *gov,
                         const nansen_cose_sign1_params *cp,
                         const uint8_t *payload, size_t plen, size_t *len)
{
    uint8_t *out;

    *len = 0;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, len, gov, cp,
                                            payload, plen, NULL, 0),
                     NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, out, len, gov, cp,
                                            payload, plen, NULL, 0),
                     NANSEN_OK);
    return out;
}

/* Craft, sign with the governance key, verify: the status. */
static nansen_err verify_crafted(fx *f, const tpay *p)
{
    uint8_t kid[NANSEN_KEY_ID_BYTES], *payload, *msg;
    nansen_cose_sign1_params cp = tl_params(kid, f->gov);
    nansen_trustlist *tl = (nansen_trustlist *)1;
    size_t plen, len;
    nansen_err err, err2;

    payload = craft_payload(f->ctx, p, &plen);
    msg = sign_raw(f, f->gov, &cp, payload, plen, &len);
    err = nansen_trustlist_verify(f->ctx, &tl, msg, len, f->gov);
    if (err != NANSEN_OK)
        assert_null(tl);
    nansen_trustlist_free(tl);
    /* decoding without the signature reaches the same verdict */
    tl = (nansen_trustlist *)1;
    err2 = nansen_trustlist_decode(f->ctx, &tl, msg, len);
    assert_int_equal(err2, err);
    nansen_trustlist_free(tl);
    free(payload);
    free(msg);
    return err;
}

static tpay base_pay(const tent *entries, size_t n)
{
    tpay p;

    memset(&p, 0, sizeof p);
    p.iat = T0;
    p.profile = 1;
    p.seq = 1;
    p.entries = entries;
    p.n = n;
    return p;
}

/* ---- tests ---- */

static void test_roles_and_names(void **state)
{
    nansen_role r;
    int i;

    (void)state;
    assert_string_equal(nansen_role_name(NANSEN_ROLE_NGO), "ngo");
    assert_string_equal(nansen_role_name(NANSEN_ROLE_CLINIC), "clinic");
    assert_string_equal(nansen_role_name(NANSEN_ROLE_STATUS_ISSUER),
                        "status-issuer");
    assert_string_equal(nansen_role_name(NANSEN_ROLE_INTERPRETER),
                        "interpreter-service");
    assert_null(nansen_role_name((nansen_role)0));
    assert_null(nansen_role_name((nansen_role)(NANSEN_ROLE_LAST + 1)));
    for (i = NANSEN_ROLE_FIRST; i <= NANSEN_ROLE_LAST; i++) {
        const char *n = nansen_role_name((nansen_role)i);

        assert_int_equal(nansen_role_from_name(n, strlen(n), &r), NANSEN_OK);
        assert_int_equal(r, i);
    }
    assert_int_equal(nansen_role_from_name("ngo", 2, &r),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_role_from_name("NGO", 3, &r),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_role_from_name("relay", 5, &r),
                     NANSEN_ERR_INVALID_ARG);
    assert_string_equal(nansen_trust_result_name(NANSEN_TRUST_NOT_LISTED),
                        "not_listed");
    assert_string_equal(nansen_trust_result_name(NANSEN_TRUST_WRONG_ROLE),
                        "wrong_role");
    assert_null(nansen_trust_result_name((nansen_trust_result)99));
    assert_int_equal(nansen_trustlist_max_entries(),
                     NANSEN_TRUSTLIST_MAX_ENTRIES);
    assert_int_equal(nansen_trustlist_max_bytes(), NANSEN_TRUSTLIST_MAX_BYTES);
    assert_int_equal(nansen_trustlist_name_max_bytes(),
                     NANSEN_TRUSTLIST_NAME_MAX_BYTES);
}

static void check_entry(const nansen_trustlist *tl, const nansen_key *key,
                        const char *name, uint32_t roles, int64_t nbf,
                        int64_t exp)
{
    nansen_trustlist_entry e;
    uint8_t kid[NANSEN_KEY_ID_BYTES];

    assert_int_equal(nansen_key_id(key, kid), NANSEN_OK);
    assert_int_equal(nansen_trustlist_find(tl, NULL, key, &e), NANSEN_OK);
    assert_memory_equal(e.kid, kid, sizeof kid);
    assert_int_equal(nansen_key_equal(e.key, key), 1);
    assert_int_equal(nansen_key_has_secret(e.key), 0);
    assert_string_equal(e.name, name);
    assert_int_equal(e.name_len, strlen(name));
    assert_int_equal(e.roles, roles);
    assert_int_equal(e.nbf, nbf);
    assert_int_equal(e.exp, exp);
    memset(&e, 0x5a, sizeof e);
    assert_int_equal(nansen_trustlist_find(tl, kid, NULL, &e), NANSEN_OK);
    assert_string_equal(e.name, name);
}

static void check_sorted(const nansen_trustlist *tl)
{
    nansen_trustlist_entry a, b;
    size_t i;

    for (i = 1; i < nansen_trustlist_count(tl); i++) {
        assert_int_equal(nansen_trustlist_entry_at(tl, i - 1, &a), NANSEN_OK);
        assert_int_equal(nansen_trustlist_entry_at(tl, i, &b), NANSEN_OK);
        assert_true(memcmp(a.kid, b.kid, NANSEN_KEY_ID_BYTES) < 0);
    }
}

static void test_round_trip(void **state)
{
    fx *f = *state;
    nansen_trustlist *draft = standard_list(f, 7), *tl, *dec = NULL;
    uint8_t gov_kid[NANSEN_KEY_ID_BYTES];
    const uint8_t *enc;
    size_t len, enc_len;
    int64_t iat, exp;
    uint8_t *b;

    /* a draft: entries readable, nothing signed, nobody trusted */
    assert_int_equal(nansen_trustlist_count(draft), 4);
    assert_int_equal(nansen_trustlist_is_verified(draft), 0);
    assert_null(nansen_trustlist_governance_kid(draft));
    assert_int_equal(nansen_trustlist_encoded(draft, &enc, &enc_len),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(enc);
    check_sorted(draft);

    b = sign_list(f, draft, f->gov, T0, T0 + 90 * DAY, 6, &len);
    tl = verified(f, b, len, f->gov);
    assert_int_equal(nansen_trustlist_is_verified(tl), 1);
    assert_int_equal(nansen_trustlist_sequence(tl), 7);
    nansen_trustlist_times(tl, &iat, &exp);
    assert_int_equal(iat, T0);
    assert_int_equal(exp, T0 + 90 * DAY);
    assert_string_equal(nansen_trustlist_issuer(tl), "Nansen Pilot Governance");
    assert_int_equal(nansen_key_id(f->gov, gov_kid), NANSEN_OK);
    assert_memory_equal(nansen_trustlist_governance_kid(tl), gov_kid, 8);
    assert_int_equal(nansen_trustlist_encoded(tl, &enc, &enc_len), NANSEN_OK);
    assert_int_equal(enc_len, len);
    assert_memory_equal(enc, b, len);
    assert_int_equal(nansen_trustlist_count(tl), 4);
    check_sorted(tl);
    check_entry(tl, f->ngo, "Helping Hands", RB(NGO), 0, 0);
    check_entry(tl, f->clinic, "Clínica Santa María", RB(CLINIC), 0, 0);
    check_entry(tl, f->both_k1, "Δίκτυο Υγείας Αθηνά", RB(NGO) | RB(CLINIC),
                T0 - DAY, T0 + 30 * DAY);
    check_entry(tl, f->status, "Status Service", RB(STATUS_ISSUER), 0, 0);
    assert_int_equal(nansen_trustlist_find(tl, NULL, f->stranger, NULL),
                     NANSEN_ERR_NOT_FOUND);

    /* decoded without the signature: the same content, trusting nobody */
    assert_int_equal(nansen_trustlist_decode(f->ctx, &dec, b, len),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_verified(dec), 0);
    assert_memory_equal(nansen_trustlist_governance_kid(dec), gov_kid, 8);
    assert_int_equal(nansen_trustlist_sequence(dec), 7);
    check_entry(dec, f->both_k1, "Δίκτυο Υγείας Αθηνά",
                RB(NGO) | RB(CLINIC), T0 - DAY, T0 + 30 * DAY);
    assert_int_equal(nansen_trustlist_check_role(dec, NULL, f->ngo,
                                                 NANSEN_ROLE_NGO, T0, NULL),
                     NANSEN_ERR_INVALID_ARG);

    nansen_trustlist_free(dec);
    nansen_trustlist_free(tl);
    nansen_trustlist_free(draft);
    free(b);
}

/* One encoding: re-signing a decoded list with the same times gives the
 * same bytes (Ed25519 is deterministic), in any order of additions. */
static void test_one_encoding(void **state)
{
    fx *f = *state;
    nansen_trustlist *a = standard_list(f, 3), *b = NULL, *dec = NULL;
    uint8_t *ba, *bb, *bc;
    size_t la, lb, lc;

    assert_int_equal(nansen_trustlist_create(f->ctx, &b), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, b, f->status,
                                          "Status Service",
                                          RB(STATUS_ISSUER), 0, 0),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, b, f->both_k1,
                                          "Δίκτυο Υγείας Αθηνά",
                                          RB(CLINIC) | RB(NGO), T0 - DAY,
                                          T0 + 30 * DAY), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, b, f->clinic,
                                          "Clínica Santa María", RB(CLINIC),
                                          0, 0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, b, f->ngo, "Helping Hands",
                                          RB(NGO), 0, 0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_issuer(b, "Nansen Pilot Governance"),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(b, 3), NANSEN_OK);
    ba = sign_list(f, a, f->gov, T0, 0, 0, &la);
    bb = sign_list(f, b, f->gov, T0, 0, 0, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);

    /* decoded, changed in place to the same content, signed again */
    assert_int_equal(nansen_trustlist_decode(f->ctx, &dec, ba, la),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(dec, 3), NANSEN_OK);
    bc = sign_list(f, dec, f->gov, T0, 0, 0, &lc);
    assert_int_equal(lc, la);
    assert_memory_equal(bc, ba, la);

    nansen_trustlist_free(dec);
    nansen_trustlist_free(a);
    nansen_trustlist_free(b);
    free(ba);
    free(bb);
    free(bc);
}

static void test_wrong_governance_key(void **state)
{
    fx *f = *state;
    nansen_trustlist *draft = standard_list(f, 1), *tl = NULL;
    size_t len, klen;
    uint8_t *b = sign_list(f, draft, f->gov, T0, 0, 0, &len), *k;

    tl = (nansen_trustlist *)1;
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, len, f->gov2),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_null(tl);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, len, f->gov_k1),
                     NANSEN_ERR_ALG_MISMATCH);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, len, f->ngo),
                     NANSEN_ERR_KEY_MISMATCH);
    /* a wrong signature under the right kid */
    b[len - 1] ^= 1;
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, len, f->gov),
                     NANSEN_ERR_BAD_SIGNATURE);
    assert_null(tl);
    /* ... still decodes without verification, and trusts nobody */
    assert_int_equal(nansen_trustlist_decode(f->ctx, &tl, b, len), NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_verified(tl), 0);
    nansen_trustlist_free(tl);
    free(b);

    /* a secp256k1 governance key works the same way */
    k = sign_list(f, draft, f->gov_k1, T0, 0, 0, &klen);
    tl = verified(f, k, klen, f->gov_k1);
    assert_int_equal(nansen_trustlist_count(tl), 4);
    nansen_trustlist_free(tl);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, k, klen, f->gov),
                     NANSEN_ERR_ALG_MISMATCH);
    free(k);
    nansen_trustlist_free(draft);
}

/* Every single-bit change of a signed list is refused. */
static void test_tampered(void **state)
{
    fx *f = *state;
    nansen_trustlist *draft = standard_list(f, 1), *tl;
    size_t len, i;
    unsigned bit;
    uint8_t *b = sign_list(f, draft, f->gov, T0, T0 + DAY, 0, &len);

    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            tl = (nansen_trustlist *)1;
            assert_int_not_equal(nansen_trustlist_verify(f->ctx, &tl, b, len,
                                                         f->gov),
                                 NANSEN_OK);
            assert_null(tl);
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    /* truncated, or with a byte more */
    for (i = 0; i < len; i++)
        assert_int_not_equal(nansen_trustlist_verify(f->ctx, &tl, b, i,
                                                     f->gov),
                             NANSEN_OK);
    b = realloc(b, len + 1);
    assert_non_null(b);
    b[len] = 0;
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, b, len + 1, f->gov),
                     NANSEN_ERR_TRAILING_DATA);
    tl = verified(f, b, len, f->gov);
    nansen_trustlist_free(tl);
    nansen_trustlist_free(draft);
    free(b);
}

static void test_rollback(void **state)
{
    fx *f = *state;
    nansen_trustlist *l5 = standard_verified(f, 5, f->gov);
    nansen_trustlist *l6 = standard_verified(f, 6, f->gov);
    nansen_trustlist *other6 = standard_verified(f, 6, f->gov2);
    nansen_trustlist *draft = standard_list(f, 9), *l5b, *dec = NULL;
    nansen_trustlist_sign_params p = {T0, 0, 5};
    const uint8_t *enc;
    uint8_t buf[4096];
    size_t len = sizeof buf, enc_len;

    /* a different list with an old sequence: refused all the same */
    assert_int_equal(nansen_trustlist_add(f->ctx, draft, f->stranger,
                                          "Stranger", RB(NGO), 0, 0),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(draft, 5), NANSEN_OK);
    p.previous_sequence = 0;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, draft, f->gov,
                                           &p), NANSEN_OK);
    l5b = verified(f, buf, len, f->gov);

    assert_int_equal(nansen_trustlist_is_newer(NULL, l5), NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_newer(l5, l6), NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_newer(l6, l5), NANSEN_ERR_ROLLBACK);
    assert_int_equal(nansen_trustlist_is_newer(l6, l6), NANSEN_ERR_ROLLBACK);
    assert_int_equal(nansen_trustlist_is_newer(l5, l5b), NANSEN_ERR_ROLLBACK);
    assert_int_equal(nansen_trustlist_is_newer(l6, l5b), NANSEN_ERR_ROLLBACK);
    /* another governance key never replaces the pinned one's list */
    assert_int_equal(nansen_trustlist_is_newer(l5, other6),
                     NANSEN_ERR_KEY_MISMATCH);
    /* unverified lists take no part */
    assert_int_equal(nansen_trustlist_encoded(l6, &enc, &enc_len), NANSEN_OK);
    assert_int_equal(nansen_trustlist_decode(f->ctx, &dec, enc, enc_len),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_newer(l5, dec),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_is_newer(dec, l6),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_is_newer(l5, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_is_newer(NULL, draft),
                     NANSEN_ERR_INVALID_ARG);

    /* the signer's check: a sequence not above the previous one */
    p.previous_sequence = 5;
    len = sizeof buf;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, draft, f->gov,
                                           &p), NANSEN_ERR_ROLLBACK);
    assert_int_equal(len, 0);
    p.previous_sequence = 6;
    len = sizeof buf;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, draft, f->gov,
                                           &p), NANSEN_ERR_ROLLBACK);
    assert_int_equal(nansen_trustlist_set_sequence(draft, 6), NANSEN_OK);
    p.previous_sequence = 5;
    len = sizeof buf;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, draft, f->gov,
                                           &p), NANSEN_OK);

    nansen_trustlist_free(dec);
    nansen_trustlist_free(l5b);
    nansen_trustlist_free(l5);
    nansen_trustlist_free(l6);
    nansen_trustlist_free(other6);
    nansen_trustlist_free(draft);
}

static void expect_role(const nansen_trustlist *tl, const nansen_key *key,
                        nansen_role role, int64_t now, nansen_err want,
                        nansen_trust_result want_res)
{
    nansen_trust_result res = (nansen_trust_result)77;
    uint8_t kid[NANSEN_KEY_ID_BYTES];

    assert_int_equal(nansen_trustlist_check_role(tl, NULL, key, role, now,
                                                 &res), want);
    assert_int_equal(res, want_res);
    /* by key id: the same answer */
    res = (nansen_trust_result)77;
    assert_int_equal(nansen_key_id(key, kid), NANSEN_OK);
    assert_int_equal(nansen_trustlist_check_role(tl, kid, NULL, role, now,
                                                 &res), want);
    assert_int_equal(res, want_res);
    assert_int_equal(nansen_trustlist_check_role(tl, kid, NULL, role, now,
                                                 NULL), want);
}

static void test_check_role(void **state)
{
    fx *f = *state;
    nansen_trustlist *tl = standard_verified(f, 1, f->gov);
    nansen_trust_result res;
    nansen_key *pub = NULL;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    const int64_t now = T0 + DAY, list_exp = T0 + 90 * DAY;

    expect_role(tl, f->ngo, NANSEN_ROLE_NGO, now, NANSEN_OK,
                NANSEN_TRUST_OK);
    expect_role(tl, f->ngo, NANSEN_ROLE_CLINIC, now, NANSEN_ERR_POLICY,
                NANSEN_TRUST_WRONG_ROLE);
    expect_role(tl, f->clinic, NANSEN_ROLE_CLINIC, now, NANSEN_OK,
                NANSEN_TRUST_OK);
    expect_role(tl, f->clinic, NANSEN_ROLE_NGO, now, NANSEN_ERR_POLICY,
                NANSEN_TRUST_WRONG_ROLE);
    expect_role(tl, f->status, NANSEN_ROLE_STATUS_ISSUER, now, NANSEN_OK,
                NANSEN_TRUST_OK);
    expect_role(tl, f->status, NANSEN_ROLE_INTERPRETER, now,
                NANSEN_ERR_POLICY, NANSEN_TRUST_WRONG_ROLE);
    expect_role(tl, f->stranger, NANSEN_ROLE_NGO, now, NANSEN_ERR_POLICY,
                NANSEN_TRUST_NOT_LISTED);
    expect_role(tl, f->gov, NANSEN_ROLE_NGO, now, NANSEN_ERR_POLICY,
                NANSEN_TRUST_NOT_LISTED);
    /* the public part is enough */
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->ngo), NANSEN_OK);
    assert_int_equal(nansen_trustlist_check_role(tl, NULL, pub,
                                                 NANSEN_ROLE_NGO, now, &res),
                     NANSEN_OK);
    nansen_key_free(pub);

    /* the window [nbf, exp) of an entry */
    expect_role(tl, f->both_k1, NANSEN_ROLE_NGO, T0 - DAY, NANSEN_OK,
                NANSEN_TRUST_OK);
    expect_role(tl, f->both_k1, NANSEN_ROLE_CLINIC, T0 + 30 * DAY - 1,
                NANSEN_OK, NANSEN_TRUST_OK);
    expect_role(tl, f->both_k1, NANSEN_ROLE_NGO, T0 - DAY - 1,
                NANSEN_ERR_POLICY, NANSEN_TRUST_NOT_YET_VALID);
    expect_role(tl, f->both_k1, NANSEN_ROLE_NGO, T0 + 30 * DAY,
                NANSEN_ERR_POLICY, NANSEN_TRUST_ENTRY_EXPIRED);
    /* outside its window an entry is untrusted before its roles count */
    expect_role(tl, f->both_k1, NANSEN_ROLE_STATUS_ISSUER, T0 + 31 * DAY,
                NANSEN_ERR_POLICY, NANSEN_TRUST_ENTRY_EXPIRED);
    expect_role(tl, f->both_k1, NANSEN_ROLE_STATUS_ISSUER, now,
                NANSEN_ERR_POLICY, NANSEN_TRUST_WRONG_ROLE);

    /* the list's own exp: stale, for every party */
    expect_role(tl, f->ngo, NANSEN_ROLE_NGO, list_exp - 1, NANSEN_OK,
                NANSEN_TRUST_OK);
    expect_role(tl, f->ngo, NANSEN_ROLE_NGO, list_exp, NANSEN_ERR_STALE,
                NANSEN_TRUST_LIST_EXPIRED);
    expect_role(tl, f->stranger, NANSEN_ROLE_NGO, list_exp, NANSEN_ERR_STALE,
                NANSEN_TRUST_LIST_EXPIRED);

    /* caller mistakes */
    assert_int_equal(nansen_key_id(f->ngo, kid), NANSEN_OK);
    res = NANSEN_TRUST_OK;
    assert_int_equal(nansen_trustlist_check_role(tl, kid, f->ngo,
                                                 NANSEN_ROLE_NGO, now, &res),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(res, NANSEN_TRUST_NOT_LISTED);
    assert_int_equal(nansen_trustlist_check_role(tl, NULL, NULL,
                                                 NANSEN_ROLE_NGO, now, &res),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_check_role(tl, kid, NULL,
                                                 (nansen_role)0, now, &res),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_check_role(tl, kid, NULL,
                                                 (nansen_role)5, now, &res),
                     NANSEN_ERR_INVALID_ARG);

    /* changing a verified list makes it a draft that trusts nobody */
    assert_int_equal(nansen_trustlist_remove(tl, kid), NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_verified(tl), 0);
    assert_null(nansen_trustlist_governance_kid(tl));
    assert_int_equal(nansen_trustlist_check_role(tl, NULL, f->clinic,
                                                 NANSEN_ROLE_CLINIC, now,
                                                 &res),
                     NANSEN_ERR_INVALID_ARG);
    nansen_trustlist_free(tl);

    /* a list without exp is never stale by itself */
    {
        nansen_trustlist *d = standard_list(f, 2), *v;
        size_t len;
        uint8_t *b = sign_list(f, d, f->gov, T0, 0, 0, &len);

        v = verified(f, b, len, f->gov);
        expect_role(v, f->ngo, NANSEN_ROLE_NGO, INT64_MAX, NANSEN_OK,
                    NANSEN_TRUST_OK);
        nansen_trustlist_free(v);
        nansen_trustlist_free(d);
        free(b);
    }
}

static void test_sorted_and_unique(void **state)
{
    fx *f = *state;
    nansen_trustlist *tl = NULL;
    nansen_key *keys[40], *pub = NULL;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    size_t i;
    char name[32];

    assert_int_equal(nansen_trustlist_create(f->ctx, &tl), NANSEN_OK);
    for (i = 0; i < 40; i++) {
        keys[i] = seed_key(f->ctx, i % 3 ? ED : K1, (uint8_t)(0x80 + i));
        snprintf(name, sizeof name, "party %zu", i);
        assert_int_equal(nansen_trustlist_add(f->ctx, tl, keys[i], name,
                                              RB(CLINIC), 0, 0), NANSEN_OK);
        check_sorted(tl);
    }
    assert_int_equal(nansen_trustlist_count(tl), 40);
    /* the same key again, or its public copy: refused, nothing changed */
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, keys[7], "again",
                                          RB(NGO), 0, 0), NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, keys[8]),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, pub, "again",
                                          RB(NGO), 0, 0), NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_trustlist_count(tl), 40);
    /* remove, then the key may come back with another entry */
    assert_int_equal(nansen_key_id(keys[8], kid), NANSEN_OK);
    assert_int_equal(nansen_trustlist_remove(tl, kid), NANSEN_OK);
    assert_int_equal(nansen_trustlist_remove(tl, kid), NANSEN_ERR_NOT_FOUND);
    assert_int_equal(nansen_trustlist_find(tl, kid, NULL, NULL),
                     NANSEN_ERR_NOT_FOUND);
    assert_int_equal(nansen_trustlist_count(tl), 39);
    check_sorted(tl);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, pub, "back",
                                          RB(NGO), 0, 0), NANSEN_OK);
    check_sorted(tl);
    check_entry(tl, keys[8], "back", RB(NGO), 0, 0);
    for (i = 0; i < 40; i++) {
        assert_int_equal(nansen_key_id(keys[i], kid), NANSEN_OK);
        assert_int_equal(nansen_trustlist_remove(tl, kid), NANSEN_OK);
        check_sorted(tl);
        nansen_key_free(keys[i]);
    }
    assert_int_equal(nansen_trustlist_count(tl), 0);
    nansen_key_free(pub);
    nansen_trustlist_free(tl);
}

/* Lists that only the governance key could have made wrong: each is
 * signed by it, and each is refused with its own status. */
static void test_crafted(void **state)
{
    fx *f = *state;
    static const int64_t r12[] = {1, 2}, r21[] = {2, 1}, r11[] = {1, 1},
                         r32[] = {32}, r0[] = {0}, r9[] = {1, 9},
                         rneg[] = {-1};
    uint8_t ngo_kid[NANSEN_KEY_ID_BYTES], cl_kid[NANSEN_KEY_ID_BYTES];
    const nansen_key *lo, *hi;
    char long_name[NANSEN_TRUSTLIST_NAME_MAX_BYTES + 2];
    tent e[3];
    tpay p;

    memset(long_name, 'a', sizeof long_name);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(nansen_key_id(f->ngo, ngo_kid), NANSEN_OK);
    assert_int_equal(nansen_key_id(f->clinic, cl_kid), NANSEN_OK);
    lo = memcmp(ngo_kid, cl_kid, 8) < 0 ? f->ngo : f->clinic;
    hi = lo == f->ngo ? f->clinic : f->ngo;

    memset(e, 0, sizeof e);
    e[0].key = lo;
    e[0].name = "Low";
    e[0].roles = roles_ngo;
    e[0].nroles = 1;
    e[1] = e[0];
    e[1].key = hi;
    e[1].name = "High";

    /* the crafting itself is right */
    p = base_pay(e, 2);
    assert_int_equal(verify_crafted(f, &p), NANSEN_OK);
    p.n = 0;
    assert_int_equal(verify_crafted(f, &p), NANSEN_OK);      /* empty list */

    /* entries out of order, or one key twice */
    e[2] = e[0];
    p = base_pay(e + 1, 2);                    /* high, low */
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    e[2].name = "Low again";
    {
        tent twice[2] = {e[0], e[2]};

        p = base_pay(twice, 2);
        assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    }

    /* the envelope's content: profile, sequence, claims */
    p = base_pay(e, 2);
    p.profile = 2;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    p = base_pay(e, 2);
    p.profile = -1;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p = base_pay(e, 2);
    p.seq = 0;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p.seq = -1;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p = base_pay(e, 2);
    p.no_entries = 1;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p = base_pay(e, 2);
    p.iat = 0;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p.iat = -5;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p = base_pay(e, 2);
    p.exp = T0;                                /* exp not after iat */
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p.exp = T0 + 1;
    assert_int_equal(verify_crafted(f, &p), NANSEN_OK);
    p = base_pay(e, 2);
    p.extra_claim = 2;                         /* sub */
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    p.extra_claim = -65538;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    p = base_pay(e, 2);
    p.extra_nansen = 3;
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    p = base_pay(e, 2);
    p.iss = "";
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p.iss = long_name + 1;                     /* 256 bytes: the bound */
    assert_int_equal(verify_crafted(f, &p), NANSEN_OK);
    p.iss = long_name;                         /* 257 */
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);
    p.iss = "Gov\nernance";
    assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_MALFORMED);

    /* entry fields */
#define ENTRY_CASE(field_change, want)                                      \
    do {                                                                    \
        tent one = e[0];                                                    \
        field_change;                                                       \
        p = base_pay(&one, 1);                                              \
        assert_int_equal(verify_crafted(f, &p), want);                      \
    } while (0)
    ENTRY_CASE((void)0, NANSEN_OK);
    ENTRY_CASE(one.key = NULL, NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.name = NULL, NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.roles = NULL, NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.extra = 6, NANSEN_ERR_UNSUPPORTED_VERSION);
    ENTRY_CASE(one.extra = -1, NANSEN_ERR_UNSUPPORTED_VERSION);
    ENTRY_CASE(one.name = "", NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.name = long_name + 1, NANSEN_OK);
    ENTRY_CASE(one.name = long_name, NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.name = "tab\there", NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.name = "nul\0inside", one.name_len = 10),
               NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = r12, one.nroles = 2), NANSEN_OK);
    ENTRY_CASE((one.roles = r21, one.nroles = 2), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = r11, one.nroles = 2), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = r12, one.nroles = 0), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = r32, one.nroles = 1), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = r0, one.nroles = 1), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.roles = rneg, one.nroles = 1), NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.nbf = T0, NANSEN_OK);
    ENTRY_CASE(one.exp = T0, NANSEN_OK);
    ENTRY_CASE((one.nbf = T0, one.exp = T0 + 1), NANSEN_OK);
    ENTRY_CASE((one.nbf = T0, one.exp = T0), NANSEN_ERR_MALFORMED);
    ENTRY_CASE((one.nbf = T0 + 1, one.exp = T0), NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.nbf = -1, NANSEN_ERR_MALFORMED);
    ENTRY_CASE(one.exp = -1, NANSEN_ERR_MALFORMED);
    {
        /* keys: only the one canonical COSE_Key form */
        static const uint8_t okp_hdr[] = {0xa3, 0x01, 0x01, 0x20, 0x06, 0x21,
                                          0x58, 0x20};
        uint8_t ck[NANSEN_COSE_KEY_MAX_BYTES], pub[32];
        size_t ck_len = sizeof ck, n = sizeof pub;

        assert_int_equal(nansen_key_public(lo, pub, &n), NANSEN_OK);
        /* with kid and alg: the same key, another encoding */
        assert_int_equal(nansen_cose_key_encode(f->ctx, ck, &ck_len, lo,
                                                NANSEN_COSE_KEY_WITH_KID),
                         NANSEN_OK);
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = ck_len),
                   NANSEN_ERR_MALFORMED);
        ck_len = sizeof ck;
        assert_int_equal(nansen_cose_key_encode(f->ctx, ck, &ck_len, lo,
                                                NANSEN_COSE_KEY_WITH_ALG),
                         NANSEN_OK);
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = ck_len),
                   NANSEN_ERR_MALFORMED);
        /* secp256k1 with y as bytes */
        ck_len = sizeof ck;
        assert_int_equal(nansen_cose_key_encode(f->ctx, ck, &ck_len,
                                                f->both_k1,
                                                NANSEN_COSE_KEY_UNCOMPRESSED),
                         NANSEN_OK);
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = ck_len),
                   NANSEN_ERR_MALFORMED);
        /* the canonical form written by hand is accepted */
        memcpy(ck, okp_hdr, sizeof okp_hdr);
        memcpy(ck + sizeof okp_hdr, pub, 32);
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = sizeof okp_hdr + 32),
                   NANSEN_OK);
        /* Ed448 (crv 7): outside the profile */
        ck[4] = 0x07;
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = sizeof okp_hdr + 32),
                   NANSEN_ERR_UNSUPPORTED_ALG);
        /* a small-order Ed25519 point: not a key */
        ck[4] = 0x06;
        memset(ck + sizeof okp_hdr, 0, 32);
        ck[sizeof okp_hdr] = 0x01;
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = sizeof okp_hdr + 32),
                   NANSEN_ERR_BAD_KEY);
        /* not a COSE_Key at all */
        ck[0] = 0x40;
        ENTRY_CASE((one.raw_key = ck, one.raw_key_len = 1),
                   NANSEN_ERR_MALFORMED);
    }
#undef ENTRY_CASE

    /* a name that is not UTF-8 (the writer refuses to make one: patch) */
    {
        uint8_t kid[NANSEN_KEY_ID_BYTES], *payload, *msg, *at;
        nansen_cose_sign1_params cp = tl_params(kid, f->gov);
        nansen_trustlist *tl = (nansen_trustlist *)1;
        tent one = e[0];
        size_t plen, len;

        one.name = "Z\xc3\xa9Z";
        p = base_pay(&one, 1);
        payload = craft_payload(f->ctx, &p, &plen);
        at = memmem(payload, plen, "Z\xc3\xa9Z", 4);
        assert_non_null(at);
        at[2] = 0x28;                          /* C3 28: a broken sequence */
        msg = sign_raw(f, f->gov, &cp, payload, plen, &len);
        assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, msg, len,
                                                 f->gov),
                         NANSEN_ERR_MALFORMED);
        assert_null(tl);
        free(payload);
        free(msg);
    }

    /* a later registry's role: read, kept, granting nothing it does not
     * name */
    {
        uint8_t kid[NANSEN_KEY_ID_BYTES], *payload, *msg;
        nansen_cose_sign1_params cp = tl_params(kid, f->gov);
        nansen_trustlist *tl;
        nansen_trustlist_entry ent;
        tent one = e[0];
        size_t plen, len;

        one.roles = r9;
        one.nroles = 2;
        p = base_pay(&one, 1);
        payload = craft_payload(f->ctx, &p, &plen);
        msg = sign_raw(f, f->gov, &cp, payload, plen, &len);
        tl = verified(f, msg, len, f->gov);
        assert_int_equal(nansen_trustlist_entry_at(tl, 0, &ent), NANSEN_OK);
        assert_int_equal(ent.roles, NANSEN_ROLE_BIT(1) | NANSEN_ROLE_BIT(9));
        assert_int_equal(nansen_trustlist_check_role(tl, ent.kid, NULL,
                                                     NANSEN_ROLE_NGO, T0,
                                                     NULL), NANSEN_OK);
        assert_int_equal(nansen_trustlist_check_role(tl, ent.kid, NULL,
                                                     NANSEN_ROLE_CLINIC, T0,
                                                     NULL),
                         NANSEN_ERR_POLICY);
        nansen_trustlist_free(tl);
        free(payload);
        free(msg);
    }
}

/* The COSE envelope: typ, headers, tag. */
static void test_envelope(void **state)
{
    fx *f = *state;
    static const uint8_t zero[] = {0x00};
    uint8_t kid[NANSEN_KEY_ID_BYTES], *payload, *msg, *tagged;
    nansen_cose_sign1_params cp;
    nansen_cose_header extra = {15, zero, 1};     /* CWT claims */
    static const uint8_t one[] = {0x01};
    nansen_cose_header unprot = {99, one, 1};
    nansen_trustlist *tl = NULL;
    tent e;
    tpay p;
    size_t plen, len;

    memset(&e, 0, sizeof e);
    e.key = f->ngo;
    e.name = "NGO";
    e.roles = roles_ngo;
    e.nroles = 1;
    p = base_pay(&e, 1);
    payload = craft_payload(f->ctx, &p, &plen);

#define ENVELOPE_CASE(change, want)                                         \
    do {                                                                    \
        cp = tl_params(kid, f->gov);                                        \
        change;                                                             \
        msg = sign_raw(f, f->gov, &cp, payload, plen, &len);                \
        assert_int_equal(nansen_trustlist_decode(f->ctx, &tl, msg, len),    \
                         want);                                             \
        nansen_trustlist_free(tl);                                          \
        if ((want) != NANSEN_OK)                                            \
            assert_int_not_equal(nansen_trustlist_verify(f->ctx, &tl, msg,  \
                                                         len, f->gov),      \
                                 NANSEN_OK);                                \
        free(msg);                                                          \
    } while (0)
    ENVELOPE_CASE((void)0, NANSEN_OK);
    ENVELOPE_CASE((cp.typ.text = "application/statuslist+cwt",
                   cp.typ.text_len = strlen(cp.typ.text)),
                  NANSEN_ERR_WRONG_TYPE);
    ENVELOPE_CASE(cp.typ.text_len = strlen(NANSEN_TRUSTLIST_TYP) - 1,
                  NANSEN_ERR_WRONG_TYPE);
    ENVELOPE_CASE((cp.typ.text = NULL, cp.typ.text_len = 0,
                   cp.typ.uint = 293), NANSEN_ERR_WRONG_TYPE);
    ENVELOPE_CASE(cp.typ.present = 0, NANSEN_ERR_WRONG_TYPE);
    ENVELOPE_CASE((cp.kid = NULL, cp.kid_len = 0), NANSEN_ERR_BAD_HEADER);
    ENVELOPE_CASE(cp.kid_len = 4, NANSEN_ERR_BAD_HEADER);
    ENVELOPE_CASE(cp.kid_unprotected = 1, NANSEN_ERR_UNSUPPORTED_VERSION);
    ENVELOPE_CASE((cp.content_type.present = 1, cp.content_type.uint = 60),
                  NANSEN_ERR_UNSUPPORTED_VERSION);
    ENVELOPE_CASE((cp.protected_extra = &extra,
                   cp.protected_extra_count = 1),
                  NANSEN_ERR_UNSUPPORTED_VERSION);
    ENVELOPE_CASE((cp.unprotected_extra = &unprot,
                   cp.unprotected_extra_count = 1),
                  NANSEN_ERR_UNSUPPORTED_VERSION);
    ENVELOPE_CASE(cp.untagged = 1, NANSEN_ERR_WRONG_TYPE);
#undef ENVELOPE_CASE

    /* a grant or referral is not a trust list, nor is random CBOR */
    cp = tl_params(kid, f->gov);
    msg = sign_raw(f, f->gov, &cp, payload, plen, &len);
    tagged = malloc(len + 2);
    assert_non_null(tagged);
    tagged[0] = 0xd8;                          /* tag 24 around it */
    tagged[1] = 0x18;
    memcpy(tagged + 2, msg, len);
    assert_int_equal(nansen_trustlist_decode(f->ctx, &tl, tagged, len + 2),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(nansen_trustlist_decode(f->ctx, &tl, payload, plen),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(nansen_trustlist_decode(f->ctx, &tl, msg, 0),
                     NANSEN_ERR_MALFORMED);
    assert_null(tl);
    free(tagged);
    free(msg);
    free(payload);
}

static void test_sign_args(void **state)
{
    fx *f = *state;
    nansen_trustlist *tl = NULL, *v;
    nansen_trustlist_sign_params p = {T0, T0 + DAY, 0};
    nansen_key *pub = NULL;
    uint8_t buf[2048];
    size_t len, need = 0;

    assert_int_equal(nansen_trustlist_create(f->ctx, &tl), NANSEN_OK);
    /* no sequence yet */
    len = sizeof buf;
    memset(buf, 0x77, sizeof buf);
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);                 /* zeroed on failure */
    assert_int_equal(nansen_trustlist_set_sequence(tl, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_set_sequence(tl, UINT64_MAX),
                     NANSEN_OK);
    /* an empty list signs, verifies, and trusts nobody */
    assert_int_equal(nansen_trustlist_sign(f->ctx, NULL, &need, tl, f->gov,
                                           &p), NANSEN_OK);
    len = need - 1;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, f->gov, &p),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, f->gov, &p),
                     NANSEN_OK);
    v = verified(f, buf, len, f->gov);
    assert_int_equal(nansen_trustlist_count(v), 0);
    assert_int_equal(nansen_trustlist_sequence(v), UINT64_MAX);
    assert_null(nansen_trustlist_issuer(v));
    assert_int_equal(nansen_trustlist_check_role(v, NULL, f->ngo,
                                                 NANSEN_ROLE_NGO, T0, NULL),
                     NANSEN_ERR_POLICY);
    nansen_trustlist_free(v);

    len = sizeof buf;
    p.iat = 0;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    p.iat = T0;
    p.exp = T0;
    len = sizeof buf;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    p.exp = 0;
    len = sizeof buf;
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->gov), NANSEN_OK);
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &len, tl, pub, &p),
                     NANSEN_ERR_NO_SECRET_KEY);
    assert_int_equal(len, 0);
    nansen_key_free(pub);

    /* set_issuer bounds; NULL clears */
    assert_int_equal(nansen_trustlist_set_issuer(tl, ""),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_set_issuer(tl, "a\x01"),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_set_issuer(tl, "Gov"), NANSEN_OK);
    assert_string_equal(nansen_trustlist_issuer(tl), "Gov");
    assert_int_equal(nansen_trustlist_set_issuer(tl, NULL), NANSEN_OK);
    assert_null(nansen_trustlist_issuer(tl));

    nansen_trustlist_free(tl);
}

/* NULL where the prototype says non-null: the library answers
 * INVALID_ARG instead of crashing. The calls go through plain function
 * pointers, which carry no nonnull attribute (as in test_key.c). */
static void test_null_args(void **state)
{
    fx *f = *state;
    nansen_err (*create)(nansen_ctx *, nansen_trustlist **) =
        nansen_trustlist_create;
    nansen_err (*sign)(nansen_ctx *, uint8_t *, size_t *,
                       const nansen_trustlist *, const nansen_key *,
                       const nansen_trustlist_sign_params *) =
        nansen_trustlist_sign;
    nansen_err (*decode)(nansen_ctx *, nansen_trustlist **, const uint8_t *,
                         size_t) = nansen_trustlist_decode;
    nansen_err (*verify)(nansen_ctx *, nansen_trustlist **, const uint8_t *,
                         size_t, const nansen_key *) = nansen_trustlist_verify;
    nansen_err (*add)(nansen_ctx *, nansen_trustlist *, const nansen_key *,
                      const char *, uint32_t, int64_t, int64_t) =
        nansen_trustlist_add;
    nansen_err (*rm)(nansen_trustlist *, const uint8_t *) =
        nansen_trustlist_remove;
    nansen_err (*check)(const nansen_trustlist *, const uint8_t *,
                        const nansen_key *, nansen_role, int64_t,
                        nansen_trust_result *) = nansen_trustlist_check_role;
    nansen_err (*save)(const nansen_trustlist *, const char *, unsigned int) =
        nansen_trustlist_save;
    nansen_err (*load)(nansen_ctx *, nansen_trustlist **, const char *,
                       const nansen_key *) = nansen_trustlist_load;
    nansen_err (*install)(nansen_ctx *, nansen_trustlist **, const char *,
                          const nansen_key *, const uint8_t *, size_t) =
        nansen_trustlist_install;
    nansen_err (*entry_at)(const nansen_trustlist *, size_t,
                           nansen_trustlist_entry *) =
        nansen_trustlist_entry_at;
    nansen_err (*encoded)(const nansen_trustlist *, const uint8_t **,
                          size_t *) = nansen_trustlist_encoded;
    nansen_err (*from_name)(const char *, size_t, nansen_role *) =
        nansen_role_from_name;
    void (*times)(const nansen_trustlist *, int64_t *, int64_t *) =
        nansen_trustlist_times;
    nansen_trustlist_sign_params p = {T0, 0, 0};
    nansen_trustlist *tl = standard_verified(f, 1, f->gov), *v;
    nansen_trust_result res = NANSEN_TRUST_OK;
    nansen_trustlist_entry e;
    nansen_role role;
    const uint8_t *bytes;
    uint8_t buf[64] = {0};
    size_t len = sizeof buf;
    int64_t iat = 1, exp = 1;

    assert_int_equal(create(f->ctx, NULL), NANSEN_ERR_INVALID_ARG);
    v = (nansen_trustlist *)1;
    assert_int_equal(create(NULL, &v), NANSEN_ERR_INVALID_ARG);
    assert_null(v);
    assert_int_equal(sign(f->ctx, buf, &len, tl, f->gov, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_int_equal(sign(f->ctx, buf, NULL, tl, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(sign(NULL, buf, &len, tl, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(sign(f->ctx, buf, &len, NULL, f->gov, &p),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(sign(f->ctx, buf, &len, tl, NULL, &p),
                     NANSEN_ERR_INVALID_ARG);
    v = (nansen_trustlist *)1;
    assert_int_equal(decode(f->ctx, &v, NULL, 10), NANSEN_ERR_INVALID_ARG);
    assert_null(v);
    assert_int_equal(decode(NULL, &v, buf, 10), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(decode(f->ctx, NULL, buf, 10), NANSEN_ERR_INVALID_ARG);
    v = (nansen_trustlist *)1;
    assert_int_equal(verify(f->ctx, &v, buf, 10, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(v);
    assert_int_equal(add(f->ctx, tl, NULL, "x", RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(add(f->ctx, tl, f->ngo, NULL, RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(add(NULL, tl, f->stranger, "x", RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(add(f->ctx, NULL, f->stranger, "x", RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(rm(tl, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(rm(NULL, buf), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_is_verified(tl), 1);  /* unchanged */
    assert_int_equal(check(NULL, NULL, f->ngo, NANSEN_ROLE_NGO, T0, &res),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(res, NANSEN_TRUST_NOT_LISTED);
    assert_int_equal(save(NULL, "x", 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(save(tl, NULL, 0), NANSEN_ERR_INVALID_ARG);
    v = (nansen_trustlist *)1;
    assert_int_equal(load(f->ctx, &v, NULL, f->gov), NANSEN_ERR_INVALID_ARG);
    assert_null(v);
    assert_int_equal(load(f->ctx, &v, "x", NULL), NANSEN_ERR_INVALID_ARG);
    v = (nansen_trustlist *)1;
    assert_int_equal(install(f->ctx, &v, "x", f->gov, NULL, 1),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(v);
    assert_int_equal(install(f->ctx, NULL, NULL, f->gov, buf, 1),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(entry_at(tl, 0, NULL), NANSEN_ERR_INVALID_ARG);
    memset(&e, 0x5a, sizeof e);
    assert_int_equal(entry_at(NULL, 0, &e), NANSEN_ERR_INVALID_ARG);
    assert_null(e.key);
    assert_int_equal(entry_at(tl, 4, &e), NANSEN_ERR_INVALID_ARG);
    assert_null(e.name);
    bytes = buf;
    len = 5;
    assert_int_equal(encoded(NULL, &bytes, &len), NANSEN_ERR_INVALID_ARG);
    assert_null(bytes);
    assert_int_equal(len, 0);
    assert_int_equal(encoded(tl, NULL, &len), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(from_name(NULL, 0, &role), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(from_name("ngo", 3, NULL), NANSEN_ERR_INVALID_ARG);
    times(NULL, &iat, &exp);
    assert_int_equal(iat, 0);
    assert_int_equal(exp, 0);
    times(tl, NULL, NULL);
    nansen_trustlist_free(NULL);
    nansen_trustlist_free(tl);
}

static void test_bounds(void **state)
{
    fx *f = *state;
    nansen_trustlist *tl = NULL, *v;
    char name[NANSEN_TRUSTLIST_NAME_MAX_BYTES + 2];
    uint8_t *b, *huge;
    size_t len, i;

    memset(name, 'n', sizeof name);
    name[sizeof name - 1] = '\0';               /* 257 bytes */
    assert_int_equal(nansen_trustlist_create(f->ctx, &tl), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, name, RB(NGO),
                                          0, 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_set_issuer(tl, name),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "", RB(NGO), 0,
                                          0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "a\x7f",
                                          RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "\xff",
                                          RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x", 0, 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x",
                                          NANSEN_ROLE_BIT(0), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x",
                                          NANSEN_ROLE_BIT(5), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x", RB(NGO),
                                          T0, T0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x", RB(NGO),
                                          -1, 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "x", RB(NGO),
                                          0, -1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_trustlist_count(tl), 0);

    /* the largest list: every entry at its longest, all roles, a window */
    assert_int_equal(nansen_trustlist_set_issuer(tl, name + 1), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(tl, UINT64_MAX),
                     NANSEN_OK);
    for (i = 0; i < NANSEN_TRUSTLIST_MAX_ENTRIES; i++) {
        uint8_t s[NANSEN_SECRET_BYTES];
        nansen_key *k = NULL;

        memset(s, 0, sizeof s);
        s[0] = 0xa5;
        s[1] = (uint8_t)(i >> 8);
        s[2] = (uint8_t)i;
        assert_int_equal(nansen_key_from_secret(f->ctx, &k, i % 2 ? ED : K1,
                                                s), NANSEN_OK);
        assert_int_equal(nansen_trustlist_add(f->ctx, tl, k, name + 1,
                                              RB(NGO) | RB(CLINIC) |
                                                  RB(STATUS_ISSUER) |
                                                  RB(INTERPRETER),
                                              INT64_MAX - 1, INT64_MAX),
                         NANSEN_OK);
        nansen_key_free(k);
    }
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "one more",
                                          RB(NGO), 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    b = sign_list(f, tl, f->gov, INT64_MAX - 1, INT64_MAX, 0, &len);
    assert_true(len <= NANSEN_TRUSTLIST_MAX_BYTES);
    v = verified(f, b, len, f->gov);
    assert_int_equal(nansen_trustlist_count(v), NANSEN_TRUSTLIST_MAX_ENTRIES);
    check_sorted(v);
    nansen_trustlist_free(v);
    free(b);
    nansen_trustlist_free(tl);

    /* input over the limit is refused before it is read */
    huge = calloc(1, NANSEN_TRUSTLIST_MAX_BYTES + 1);
    assert_non_null(huge);
    v = (nansen_trustlist *)1;
    assert_int_equal(nansen_trustlist_decode(f->ctx, &v, huge,
                                             NANSEN_TRUSTLIST_MAX_BYTES + 1),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    assert_null(v);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &v, huge,
                                             NANSEN_TRUSTLIST_MAX_BYTES + 1,
                                             f->gov),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    free(huge);

    /* more entries than allowed, signed by the governance key */
    {
        tent *many = calloc(NANSEN_TRUSTLIST_MAX_ENTRIES + 1, sizeof *many);
        tpay p;

        assert_non_null(many);
        for (i = 0; i <= NANSEN_TRUSTLIST_MAX_ENTRIES; i++) {
            many[i].key = f->ngo;
            many[i].name = "x";
            many[i].roles = roles_ngo;
            many[i].nroles = 1;
        }
        p = base_pay(many, NANSEN_TRUSTLIST_MAX_ENTRIES + 1);
        assert_int_equal(verify_crafted(f, &p), NANSEN_ERR_CBOR_TOO_LARGE);
        free(many);
    }
}

/* ---- the stored list ---- */

static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* The file's bytes must be exactly these. */
static void file_is(const char *path, const uint8_t *b, size_t n)
{
    size_t got = 0;
    char *data = tu_read_file(path, &got);

    assert_non_null(data);
    assert_int_equal(got, n);
    assert_memory_equal(data, b, n);
    free(data);
}

static void test_save_load(void **state)
{
    fx *f = *state;
    char dir[4096], path[4200], other[4200];
    nansen_trustlist *tl = standard_verified(f, 4, f->gov), *l = NULL, *dec;
    const uint8_t *enc;
    uint8_t *bad;
    size_t enc_len, i;
    struct stat st;

    snprintf(dir, sizeof dir, "%s/trustlist", tu_tmpdir());
    (void)mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/current.tl", dir);
    snprintf(other, sizeof other, "%s/other.tl", dir);
    (void)remove(path);
    (void)remove(other);
    assert_int_equal(nansen_trustlist_encoded(tl, &enc, &enc_len), NANSEN_OK);

    assert_int_equal(nansen_trustlist_save(tl, path, 0), NANSEN_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    file_is(path, enc, enc_len);                 /* the signed bytes */
    assert_int_equal(nansen_trustlist_save(tl, path, 0), NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_trustlist_save(tl, path, NANSEN_SAVE_OVERWRITE),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_save(tl, path, 0x10),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(dir_entries(dir), 1);       /* no temporary left */

    assert_int_equal(nansen_trustlist_load(f->ctx, &l, path, f->gov),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_is_verified(l), 1);
    assert_int_equal(nansen_trustlist_sequence(l), 4);
    assert_int_equal(nansen_trustlist_check_role(l, NULL, f->ngo,
                                                 NANSEN_ROLE_NGO, T0, NULL),
                     NANSEN_OK);
    nansen_trustlist_free(l);
    l = (nansen_trustlist *)1;
    assert_int_equal(nansen_trustlist_load(f->ctx, &l, path, f->gov2),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_null(l);
    assert_int_equal(nansen_trustlist_load(f->ctx, &l, other, f->gov),
                     NANSEN_ERR_NOT_FOUND);

    /* only verified lists are saved */
    assert_int_equal(nansen_trustlist_decode(f->ctx, &dec, enc, enc_len),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_save(dec, other, 0),
                     NANSEN_ERR_INVALID_ARG);
    nansen_trustlist_free(dec);

    /* a damaged file is refused and left exactly as it is */
    bad = malloc(enc_len);
    assert_non_null(bad);
    for (i = 0; i < enc_len; i += 37) {
        struct stat before, after;

        memcpy(bad, enc, enc_len);
        bad[i] ^= 0x20;
        write_file(other, bad, enc_len);
        assert_int_equal(stat(other, &before), 0);
        assert_int_not_equal(nansen_trustlist_load(f->ctx, &l, other, f->gov),
                             NANSEN_OK);
        assert_null(l);
        assert_int_equal(stat(other, &after), 0);
        assert_int_equal(before.st_mtime, after.st_mtime);
        assert_int_equal(before.st_ino, after.st_ino);
        file_is(other, bad, enc_len);
    }
    write_file(other, enc, enc_len / 2);         /* cut short */
    assert_int_equal(nansen_trustlist_load(f->ctx, &l, other, f->gov),
                     NANSEN_ERR_TRUNCATED);
    file_is(other, enc, enc_len / 2);
    free(bad);
    /* a file over the limit is not read whole */
    {
        uint8_t *big = calloc(1, NANSEN_TRUSTLIST_MAX_BYTES + 1);

        assert_non_null(big);
        write_file(other, big, NANSEN_TRUSTLIST_MAX_BYTES + 1);
        assert_int_equal(nansen_trustlist_load(f->ctx, &l, other, f->gov),
                         NANSEN_ERR_MALFORMED);
        free(big);
    }
    assert_int_equal(nansen_trustlist_load(f->ctx, &l, dir, f->gov),
                     NANSEN_ERR_IO);               /* a directory */
    (void)remove(other);
    (void)remove(path);
    nansen_trustlist_free(tl);
}

static void test_install(void **state)
{
    fx *f = *state;
    char dir[4096], path[4200];
    nansen_trustlist *d5 = standard_list(f, 5), *d6 = standard_list(f, 6);
    nansen_trustlist *d4 = standard_list(f, 4), *d7 = standard_list(f, 7);
    nansen_trustlist *out = NULL;
    uint8_t *b5, *b6, *b4, *b7, *o7, *junk;
    size_t l5, l6, l4, l7, lo7;

    snprintf(dir, sizeof dir, "%s/install", tu_tmpdir());
    (void)mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/trust.tl", dir);
    (void)remove(path);
    b5 = sign_list(f, d5, f->gov, T0, 0, 0, &l5);
    b6 = sign_list(f, d6, f->gov, T0 + 10, 0, 5, &l6);
    b4 = sign_list(f, d4, f->gov, T0 + 20, 0, 0, &l4);
    b7 = sign_list(f, d7, f->gov, T0 + 30, 0, 6, &l7);
    o7 = sign_list(f, d7, f->gov2, T0 + 30, 0, 0, &lo7);

    /* the first list */
    assert_int_equal(nansen_trustlist_install(f->ctx, &out, path, f->gov, b5,
                                              l5), NANSEN_OK);
    assert_non_null(out);
    assert_int_equal(nansen_trustlist_sequence(out), 5);
    nansen_trustlist_free(out);
    file_is(path, b5, l5);
    /* the same again, or an older one: refused, file kept */
    out = (nansen_trustlist *)1;
    assert_int_equal(nansen_trustlist_install(f->ctx, &out, path, f->gov, b5,
                                              l5), NANSEN_ERR_ROLLBACK);
    assert_null(out);
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov, b4,
                                              l4), NANSEN_ERR_ROLLBACK);
    file_is(path, b5, l5);
    /* another governance key's list, a forged one: refused, file kept */
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov, o7,
                                              lo7), NANSEN_ERR_KEY_MISMATCH);
    b7[l7 - 3] ^= 4;
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov, b7,
                                              l7), NANSEN_ERR_BAD_SIGNATURE);
    b7[l7 - 3] ^= 4;
    file_is(path, b5, l5);
    /* newer: replaces */
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov, b6,
                                              l6), NANSEN_OK);
    file_is(path, b6, l6);
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov, b5,
                                              l5), NANSEN_ERR_ROLLBACK);
    file_is(path, b6, l6);
    assert_int_equal(dir_entries(dir), 1);

    /* a stored file that no longer verifies is not overwritten */
    junk = malloc(l6);
    assert_non_null(junk);
    memcpy(junk, b6, l6);
    junk[l6 / 2] ^= 1;
    write_file(path, junk, l6);
    assert_int_not_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov,
                                                  b7, l7), NANSEN_OK);
    file_is(path, junk, l6);
    /* ... nor one that the pinned key did not sign (a key change is the
     * operator's deliberate act: remove the file, then install) */
    write_file(path, b6, l6);
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov2,
                                              o7, lo7),
                     NANSEN_ERR_KEY_MISMATCH);
    file_is(path, b6, l6);
    assert_int_equal(remove(path), 0);
    assert_int_equal(nansen_trustlist_install(f->ctx, NULL, path, f->gov2,
                                              o7, lo7), NANSEN_OK);
    file_is(path, o7, lo7);

    (void)remove(path);
    free(junk);
    free(b4);
    free(b5);
    free(b6);
    free(b7);
    free(o7);
    nansen_trustlist_free(d4);
    nansen_trustlist_free(d5);
    nansen_trustlist_free(d6);
    nansen_trustlist_free(d7);
}

/* The example of spec/trust-list.md, rebuilt byte for byte. */
static const char *const vector_hex =
    "d2845830a30127044863ed95d660e07cb91078206170706c69636174696f6e2f"
    "6e616e73656e2d74727573746c6973742b637774a0590152a401774e616e7365"
    "6e2050696c6f7420476f7665726e616e6365041a6a8f4c00061a6a18a5003a00"
    "010000a3000101010284a301a301012006215820d04ab232742bb4ab3a1368bd"
    "4615e4e6d0224ab71a016baf8520a332c9778737026d48656c70696e67204861"
    "6e6473038101a501a401022008215820466d7fcae563e5cb09a0d1870bb58034"
    "4804617879a14949cf22285f1bae3f2722f4027824ce94ceafcebacf84cf85ce"
    "bf20cea5ceb3ceb5ceafceb1cf8220ce91ceb8ceb7cebdceac03820102041a6a"
    "175380051a6a403200a301a30101200621582017cb79fb2b4120f2b1ec65e419"
    "8d6e08b28e813feb01e4a400839b85e18080ce0275436cc3ad6e696361205361"
    "6e7461204d6172c3ad61038102a301a301012006215820d759793bbc13a2819a"
    "827c76adb6fba8a49aee007f49f2d0992d99b825ad2c48026e53746174757320"
    "536572766963650381035840181a2d56199e577c98ff586b60f158f196ad9e9e"
    "1c600dfd5cd7c13adf92644b669788df9d2284da073b1ac4d028bad5ae81fb05"
    "ce33640c19fc80e4acf12609";

static void test_vector(void **state)
{
    fx *f = *state;
    nansen_trustlist *d = standard_list(f, 1), *v;
    size_t len, want_len;
    uint8_t *b, *want;

    b = sign_list(f, d, f->gov, T0, T0 + 90 * DAY, 0, &len);
    want = tu_hex(vector_hex, &want_len);
    assert_int_equal(len, want_len);
    assert_memory_equal(b, want, len);
    v = verified(f, want, want_len, f->gov);
    assert_int_equal(nansen_trustlist_count(v), 4);
    nansen_trustlist_free(v);
    free(want);
    free(b);
    nansen_trustlist_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_and_names),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_one_encoding),
        cmocka_unit_test(test_wrong_governance_key),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_check_role),
        cmocka_unit_test(test_sorted_and_unique),
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_sign_args),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_install),
        cmocka_unit_test(test_vector),
    };
    return cmocka_run_group_tests_name("trustlist", tests, setup, teardown);
}
