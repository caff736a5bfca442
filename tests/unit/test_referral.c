/* test_referral.c - referrals (SD-CWT), consent grants (SD-KBT) and the
 * verifier: the accept path with every choice of disclosures, and every
 * REJECT reason produced by a real hostile input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "testutil.h"
#include "internal/cbor.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define DAY 86400LL
#define GRANT_IAT (T0 + 3600)
#define NOW (T0 + 7200)

static const char *NOTES = "Recurrent nightmares since the crossing";
static const char *RISK = "self-harm: disclosed thoughts last month";
static const char *CONTACT = "Caseworker Amina, +30 210 555 0101";
static const char *DEPENDENTS = "two children, 4 and 7";

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo, *holder, *clinic, *clinic2, *ngo2, *other;
    nansen_key *secp_ngo, *secp_holder;
    char clinic_did[128];
} fx;

static nansen_key *seed_key(nansen_ctx *ctx, nansen_key_type t, uint8_t b)
{
    uint8_t s[32];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, t, s), NANSEN_OK);
    return k;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    size_t n = sizeof f->clinic_did;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->ngo = seed_key(f->ctx, NANSEN_KEY_ED25519, 1);
    f->holder = seed_key(f->ctx, NANSEN_KEY_ED25519, 2);
    f->clinic = seed_key(f->ctx, NANSEN_KEY_ED25519, 3);
    f->clinic2 = seed_key(f->ctx, NANSEN_KEY_ED25519, 4);
    f->ngo2 = seed_key(f->ctx, NANSEN_KEY_ED25519, 5);
    f->other = seed_key(f->ctx, NANSEN_KEY_ED25519, 6);
    f->secp_ngo = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 7);
    f->secp_holder = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 8);
    if (nansen_key_did(f->clinic, f->clinic_did, &n) != NANSEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_key_free(f->ngo);
    nansen_key_free(f->holder);
    nansen_key_free(f->clinic);
    nansen_key_free(f->clinic2);
    nansen_key_free(f->ngo2);
    nansen_key_free(f->other);
    nansen_key_free(f->secp_ngo);
    nansen_key_free(f->secp_holder);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- builders ---- */

static void full_referral(nansen_referral *r)
{
    memset(r, 0, sizeof *r);
    r->service = 1;                 /* psychosocial-support */
    r->urgency = 2;                 /* priority */
    r->target = "Clinic of the Open Door";
    r->language = "ti";
    r->interpreter = 1;
    r->notes = NOTES;
    r->risk = RISK;
    r->contact = CONTACT;
    r->dependents = DEPENDENTS;
    r->issuer_name = "Harbour Aid";
    r->disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    r->decoys = 2;
}

static void issue_params(nansen_issue_params *p)
{
    static const uint8_t seed[32] = {42};

    memset(p, 0, sizeof *p);
    p->iat = T0;
    p->exp = T0 + 30 * DAY;
    p->salt_seed = seed;
    p->budget.max_version = -1;      /* test_qr_budget tests the budget */
}

static uint8_t *issue(fx *f, const nansen_key *ngo, const nansen_key *holder,
                      const nansen_referral *r, size_t *len)
{
    nansen_issue_params p;
    uint8_t *out;

    issue_params(&p);
    *len = 0;
    assert_int_equal(nansen_referral_issue(f->ctx, NULL, len, ngo, holder, r,
                                           &p), NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_referral_issue(f->ctx, out, len, ngo, holder, r,
                                           &p), NANSEN_OK);
    return out;
}

static const uint32_t ALL_CATS[] = {1, 2, 3, 4, 5, 6};

static void grant_params(nansen_grant_params *g, const char *aud)
{
    static const uint8_t cti[8] = {9, 9, 9, 9, 9, 9, 9, 9};

    memset(g, 0, sizeof *g);
    g->budget.max_version = -1;
    g->audience = aud;
    g->purpose = 1;                  /* treatment */
    g->categories = ALL_CATS + 1;    /* language, health */
    g->category_count = 2;
    g->disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                  NANSEN_CLAIM_BIT(NANSEN_CLAIM_INTERPRETER) |
                  NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES);
    g->iat = GRANT_IAT;
    g->exp = GRANT_IAT + 7 * DAY;
    g->notice_lang = "en";
    g->cti = cti;
}

static uint8_t *grant(fx *f, const nansen_key *holder, const uint8_t *ref,
                      size_t ref_len, const nansen_grant_params *g,
                      size_t *len)
{
    nansen_credential *cred = NULL;
    uint8_t *out;

    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);
    *len = 0;
    assert_int_equal(nansen_grant_sign(f->ctx, NULL, len, holder, cred, g),
                     NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_grant_sign(f->ctx, out, len, holder, cred, g),
                     NANSEN_OK);
    nansen_credential_free(cred);
    return out;
}

/* The demo grant: full referral, language+health, three disclosures. */
static uint8_t *demo_grant(fx *f, size_t *len)
{
    nansen_referral r;
    nansen_grant_params g;
    uint8_t *ref, *out;
    size_t ref_len;

    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    grant_params(&g, f->clinic_did);
    out = grant(f, f->holder, ref, ref_len, &g, len);
    free(ref);
    return out;
}

static nansen_verifier *verifier(fx *f, const nansen_key *self)
{
    nansen_verifier *v = NULL;

    assert_int_equal(nansen_verifier_create(f->ctx, &v, self), NANSEN_OK);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo), NANSEN_OK);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->secp_ngo), NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    return v;
}

static nansen_reason verify_with(nansen_verifier *v, const uint8_t *g,
                                 size_t len, nansen_err *status)
{
    nansen_verdict *d = NULL;
    nansen_reason reason;

    assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
    assert_non_null(d);
    reason = nansen_verdict_reason(d);
    if (status != NULL)
        *status = nansen_verdict_status(d);
    if (reason != NANSEN_REASON_ACCEPT) {
        nansen_claim_value cv;
        uint32_t purpose;
        const uint32_t *cats;
        size_t ncats;

        /* a rejected verdict exposes nothing */
        assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_SERVICE, &cv,
                                              NULL), NANSEN_ERR_INVALID_ARG);
        assert_int_equal(nansen_verdict_consent(d, &purpose, &cats, &ncats),
                         NANSEN_ERR_INVALID_ARG);
        assert_null(cats);
    }
    nansen_verdict_free(d);
    return reason;
}

static nansen_reason verify_at(fx *f, const nansen_key *self,
                               const uint8_t *g, size_t len)
{
    nansen_verifier *v = verifier(f, self);
    nansen_reason r = verify_with(v, g, len, NULL);

    nansen_verifier_free(v);
    return r;
}

/* Sign a key-binding token by hand: protected {alg, kid?, 13: kcwt,
 * 16: typ}, the given payload. */
static uint8_t *sign_kbt(fx *f, const nansen_key *signer, int with_kid,
                         uint64_t typ, const uint8_t *kcwt, size_t kcwt_len,
                         const uint8_t *payload, size_t payload_len,
                         size_t *len)
{
    nansen_cose_sign1_params p;
    nansen_cose_header h;
    uint8_t kid[8], *out;

    memset(&p, 0, sizeof p);
    assert_int_equal(nansen_key_id(signer, kid), NANSEN_OK);
    if (with_kid) {
        p.kid = kid;
        p.kid_len = 8;
    }
    p.typ.present = 1;
    p.typ.uint = typ;
    h.label = NANSEN_COSE_HDR_KCWT;
    h.value = kcwt;
    h.value_len = kcwt_len;
    p.protected_extra = &h;
    p.protected_extra_count = 1;
    *len = 0;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, len, signer, &p,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, out, len, signer, &p,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    return out;
}

/* The kcwt and payload of a grant (pointers into it). */
static void grant_parts(const uint8_t *g, size_t len, const uint8_t **kcwt,
                        size_t *kcwt_len, const uint8_t **payload,
                        size_t *payload_len)
{
    nansen_cose_sign1 m;
    int prot;

    assert_int_equal(nansen_cose_sign1_parse(&m, g, len, NULL), NANSEN_OK);
    assert_int_equal(nansen_cose_sign1_header(&m, NANSEN_COSE_HDR_KCWT, kcwt,
                                              kcwt_len, &prot), NANSEN_OK);
    assert_true(prot);
    *payload = m.payload;
    *payload_len = m.payload_len;
}

/* A grant payload written by hand. */
typedef struct gp {
    const char *aud;
    int64_t iat, exp;
    int profile;
    uint32_t purpose;
    const uint32_t *cats;
    size_t ncats;
    int with_sub;
} gp;

static uint8_t *grant_payload(const gp *p, size_t *len)
{
    uint8_t digest[32] = {0}, cti[8] = {1};
    uint8_t *out = NULL;
    nansen__cbw w;
    size_t need = 0, i;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        nansen__cbw_init(&w, out, need);
        nansen__cbw_map(&w, 5 + (size_t)p->with_sub);
        nansen__cbw_uint(&w, 3);
        nansen__cbw_text(&w, p->aud, strlen(p->aud));
        nansen__cbw_uint(&w, 4);
        nansen__cbw_int(&w, p->exp);
        nansen__cbw_uint(&w, 6);
        nansen__cbw_int(&w, p->iat);
        nansen__cbw_uint(&w, 7);
        nansen__cbw_bytes(&w, cti, 8);
        if (p->with_sub) {
            nansen__cbw_uint(&w, 2);
            nansen__cbw_text(&w, "me", 2);
        }
        nansen__cbw_int(&w, NANSEN_CWT_CLAIM_NANSEN);
        nansen__cbw_map(&w, 5);
        nansen__cbw_uint(&w, 0);
        nansen__cbw_uint(&w, (uint64_t)p->profile);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_uint(&w, p->purpose);
        nansen__cbw_uint(&w, 2);
        nansen__cbw_array(&w, p->ncats);
        for (i = 0; i < p->ncats; i++)
            nansen__cbw_uint(&w, p->cats[i]);
        nansen__cbw_uint(&w, 3);
        nansen__cbw_text(&w, "en", 2);
        nansen__cbw_uint(&w, 4);
        nansen__cbw_bytes(&w, digest, 32);
        nansen__cbw_map_end(&w);
        nansen__cbw_map_end(&w);
        assert_int_equal(nansen__cbw_finish(&w, pass ? len : &need),
                         NANSEN_OK);
        if (pass == 0)
            assert_non_null(out = malloc(need));
    }
    return out;
}

static void default_gp(gp *p, const char *aud)
{
    memset(p, 0, sizeof *p);
    p->aud = aud;
    p->iat = GRANT_IAT;
    p->exp = GRANT_IAT + DAY;
    p->profile = 1;
    p->purpose = 1;
    p->cats = ALL_CATS;
    p->ncats = 6;
}

/* ---- tests ---- */

static void test_accept_exposes_exactly_the_disclosed(void **state)
{
    fx *f = *state;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_verdict *d = NULL;
    nansen_claim_value cv;
    const uint32_t *cats;
    const char *lang, *iss, *hold;
    const uint8_t *nd, *gid, *rid, *gdig;
    uint8_t *g, expect[32];
    uint32_t purpose;
    size_t len, ncats;
    int64_t from, until, at;
    int disclosed, matches;
    char did[128];
    size_t n = sizeof did;

    g = demo_grant(f, &len);
    assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
    assert_int_equal(nansen_verdict_reason(d), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verdict_status(d), NANSEN_OK);
    assert_string_equal(nansen_verdict_message(d, "en"),
                        "Accepted: consent is valid");

    /* always visible */
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_SERVICE, &cv,
                                          &disclosed), NANSEN_OK);
    assert_int_equal(cv.type, NANSEN_VALUE_UINT);
    assert_int_equal(cv.uint, 1);
    assert_int_equal(disclosed, 0);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_URGENCY, &cv, NULL),
                     NANSEN_OK);
    assert_int_equal(cv.uint, 2);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_TARGET, &cv, NULL),
                     NANSEN_OK);
    assert_string_equal(cv.text, "Clinic of the Open Door");
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_ISSUER_NAME, &cv,
                                          NULL), NANSEN_OK);
    assert_string_equal(cv.text, "Harbour Aid");
    /* disclosed */
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_LANGUAGE, &cv,
                                          &disclosed), NANSEN_OK);
    assert_string_equal(cv.text, "ti");
    assert_int_equal(cv.text_len, 2);
    assert_int_equal(disclosed, 1);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_INTERPRETER, &cv,
                                          NULL), NANSEN_OK);
    assert_int_equal(cv.type, NANSEN_VALUE_BOOL);
    assert_int_equal(cv.uint, 1);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_NOTES, &cv, NULL),
                     NANSEN_OK);
    assert_string_equal(cv.text, NOTES);
    /* withheld */
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_RISK, &cv, NULL),
                     NANSEN_ERR_ABSENT);
    assert_null(cv.text);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_CONTACT, &cv, NULL),
                     NANSEN_ERR_ABSENT);
    assert_int_equal(nansen_verdict_claim(d, NANSEN_CLAIM_DEPENDENTS, &cv,
                                          NULL), NANSEN_ERR_ABSENT);

    assert_int_equal(nansen_verdict_consent(d, &purpose, &cats, &ncats),
                     NANSEN_OK);
    assert_int_equal(purpose, 1);
    assert_int_equal(ncats, 2);
    assert_int_equal(cats[0], 2);
    assert_int_equal(cats[1], 3);
    assert_int_equal(nansen_verdict_validity(d, &from, &until, &at),
                     NANSEN_OK);
    assert_int_equal(from, GRANT_IAT);
    assert_int_equal(at, GRANT_IAT);
    assert_int_equal(until, GRANT_IAT + 7 * DAY);
    assert_int_equal(nansen_verdict_referral_validity(d, &from, &until, &at),
                     NANSEN_OK);
    assert_int_equal(from, T0);
    assert_int_equal(at, T0);
    assert_int_equal(until, T0 + 30 * DAY);
    assert_int_equal(nansen_verdict_parties(d, &iss, &hold), NANSEN_OK);
    assert_int_equal(nansen_key_did(f->ngo, did, &n), NANSEN_OK);
    assert_string_equal(iss, did);
    n = sizeof did;
    assert_int_equal(nansen_key_did(f->holder, did, &n), NANSEN_OK);
    assert_string_equal(hold, did);
    assert_int_equal(nansen_verdict_ids(d, &gid, &rid, &gdig), NANSEN_OK);
    assert_memory_equal(gid, "\x09\x09\x09\x09\x09\x09\x09\x09", 8);
    crypto_hash_sha256(expect, g, len);
    assert_memory_equal(gdig, expect, 32);
    assert_int_equal(nansen_verdict_notice(d, &lang, &nd, &matches),
                     NANSEN_OK);
    assert_string_equal(lang, "en");
    assert_int_equal(matches, 1);
    nansen_verdict_free(d);
    nansen_verifier_free(v);
    free(g);
}

/* Every value a verdict can return, concatenated, for searching. */
static void verdict_outputs(const nansen_verdict *d, char *buf, size_t cap)
{
    size_t used = 0;
    int c;

    buf[0] = '\0';
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value cv;

        if (nansen_verdict_claim(d, (nansen_claim)c, &cv, NULL) ==
                NANSEN_OK &&
            cv.text != NULL) {
            assert_true(used + cv.text_len + 2 < cap);
            memcpy(buf + used, cv.text, cv.text_len);
            used += cv.text_len;
            buf[used++] = '|';
            buf[used] = '\0';
        }
    }
    {
        const char *iss, *hold, *lang;
        const uint8_t *nd;
        int m;

        assert_int_equal(nansen_verdict_parties(d, &iss, &hold), NANSEN_OK);
        assert_int_equal(nansen_verdict_notice(d, &lang, &nd, &m), NANSEN_OK);
        used += (size_t)snprintf(buf + used, cap - used, "%s|%s|%s|%s", iss,
                                 hold, lang, nansen_verdict_message(d, "en"));
    }
}

/* The accept path with each of the 2^6 choices of disclosures (every
 * claim disclosable); the verdict's outputs never contain a withheld
 * value. */
static void test_every_combination_of_disclosures(void **state)
{
    static const nansen_claim hideable[] = {
        NANSEN_CLAIM_LANGUAGE, NANSEN_CLAIM_INTERPRETER, NANSEN_CLAIM_NOTES,
        NANSEN_CLAIM_RISK, NANSEN_CLAIM_CONTACT, NANSEN_CLAIM_DEPENDENTS};
    static const char *values[] = {NULL, NULL, NULL, NULL, "ti", NULL,
                                   NULL, NULL, NULL, NULL};
    fx *f = *state;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_referral r;
    nansen_grant_params gpar;
    uint8_t *ref, *g;
    size_t ref_len, len;
    unsigned mask;
    char out[8192];
    const char *secret[NANSEN_CLAIM_LAST + 1] = {0};

    (void)values;
    secret[NANSEN_CLAIM_NOTES] = NOTES;
    secret[NANSEN_CLAIM_RISK] = RISK;
    secret[NANSEN_CLAIM_CONTACT] = CONTACT;
    secret[NANSEN_CLAIM_DEPENDENTS] = DEPENDENTS;
    full_referral(&r);
    r.disclosable |= NANSEN_CLAIM_BIT(NANSEN_CLAIM_INTERPRETER);
    r.language = "ti-ER";            /* findable in the output */
    secret[NANSEN_CLAIM_LANGUAGE] = "ti-ER";
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    for (mask = 0; mask < 64; mask++) {
        nansen_verdict *d = NULL;
        unsigned i;

        grant_params(&gpar, f->clinic_did);
        gpar.categories = ALL_CATS;
        gpar.category_count = 6;
        gpar.disclose = 0;
        for (i = 0; i < 6; i++)
            if (mask & (1u << i))
                gpar.disclose |= NANSEN_CLAIM_BIT(hideable[i]);
        g = grant(f, f->holder, ref, ref_len, &gpar, &len);
        assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
        assert_int_equal(nansen_verdict_reason(d), NANSEN_REASON_ACCEPT);
        verdict_outputs(d, out, sizeof out);
        for (i = 0; i < 6; i++) {
            nansen_claim_value cv;
            nansen_claim c = hideable[i];
            int shown = (mask & (1u << i)) != 0, disclosed = -1;
            nansen_err e = nansen_verdict_claim(d, c, &cv, &disclosed);

            assert_int_equal(e, shown ? NANSEN_OK : NANSEN_ERR_ABSENT);
            if (shown)
                assert_int_equal(disclosed, 1);
            if (secret[c] != NULL) {
                if (shown)
                    assert_non_null(strstr(out, secret[c]));
                else
                    assert_null(strstr(out, secret[c]));
            }
        }
        nansen_verdict_free(d);
        free(g);
    }
    nansen_verifier_free(v);
    free(ref);
}

static void test_secp256k1_round_trip(void **state)
{
    fx *f = *state;
    nansen_referral r;
    nansen_grant_params g;
    uint8_t *ref, *gr;
    size_t ref_len, len;

    full_referral(&r);
    ref = issue(f, f->secp_ngo, f->secp_holder, &r, &ref_len);
    grant_params(&g, f->clinic_did);
    gr = grant(f, f->secp_holder, ref, ref_len, &g, &len);
    assert_int_equal(verify_at(f, f->clinic, gr, len), NANSEN_REASON_ACCEPT);
    /* the Ed25519 holder cannot present the secp256k1 holder's referral */
    {
        nansen_credential *cred = NULL;
        size_t n = 0;

        assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref,
                                                  ref_len), NANSEN_OK);
        assert_int_equal(nansen_grant_sign(f->ctx, NULL, &n, f->holder, cred,
                                           &g), NANSEN_ERR_KEY_MISMATCH);
        assert_int_equal(n, 0);
        nansen_credential_free(cred);
    }
    free(gr);
    free(ref);
}

/* The audience may be the clinic's short id instead of its did:key. */
static void test_short_id_audience(void **state)
{
    fx *f = *state;
    char sid[NANSEN_SHORT_ID_BYTES];
    nansen_referral r;
    nansen_grant_params g;
    uint8_t *ref, *gr;
    size_t ref_len, len, len_did;

    assert_int_equal(nansen_key_short_id(f->clinic, sid), NANSEN_OK);
    assert_int_equal(strlen(sid), 20);
    assert_memory_equal(sid, "kid:", 4);
    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    grant_params(&g, sid);
    gr = grant(f, f->holder, ref, ref_len, &g, &len);
    assert_int_equal(verify_at(f, f->clinic, gr, len), NANSEN_REASON_ACCEPT);
    assert_int_equal(verify_at(f, f->clinic2, gr, len),
                     NANSEN_REASON_WRONG_AUDIENCE);
    free(gr);
    grant_params(&g, f->clinic_did);
    gr = grant(f, f->holder, ref, ref_len, &g, &len_did);
    assert_true(len < len_did);     /* the point of short ids */
    free(gr);
    free(ref);
}

static void test_reject_policy_reasons(void **state)
{
    fx *f = *state;
    nansen_verifier *v;
    nansen_err st;
    uint8_t *g;
    size_t len;
    static const uint8_t nonce[4] = {1, 2, 3, 4};

    g = demo_grant(f, &len);
    /* another clinic */
    assert_int_equal(verify_at(f, f->clinic2, g, len),
                     NANSEN_REASON_WRONG_AUDIENCE);
    /* an issuer this clinic does not trust */
    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    assert_int_equal(verify_with(v, g, len, &st),
                     NANSEN_REASON_UNTRUSTED_ISSUER);
    assert_int_equal(st, NANSEN_ERR_POLICY);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo2), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_UNTRUSTED_ISSUER);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo), NANSEN_OK);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);

    /* time: exactly at the skew boundaries */
    nansen_verifier_set_time(v, GRANT_IAT - NANSEN_DEFAULT_SKEW);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_set_time(v, GRANT_IAT - NANSEN_DEFAULT_SKEW - 1);
    assert_int_equal(verify_with(v, g, len, &st),
                     NANSEN_REASON_NOT_YET_VALID);
    nansen_verifier_set_time(v, GRANT_IAT + 7 * DAY + NANSEN_DEFAULT_SKEW - 1);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_set_time(v, GRANT_IAT + 7 * DAY + NANSEN_DEFAULT_SKEW);
    assert_int_equal(verify_with(v, g, len, &st), NANSEN_REASON_EXPIRED);
    assert_int_equal(st, NANSEN_ERR_EXPIRED);
    assert_int_equal(nansen_verifier_set_skew(v, 0), NANSEN_OK);
    nansen_verifier_set_time(v, GRANT_IAT - 1);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_NOT_YET_VALID);
    assert_int_equal(nansen_verifier_set_skew(v, -1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_verifier_set_skew(v, 86401),
                     NANSEN_ERR_INVALID_ARG);

    /* maximum age */
    nansen_verifier_set_time(v, GRANT_IAT + DAY);
    assert_int_equal(nansen_verifier_set_max_age(v, DAY), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_set_time(v, GRANT_IAT + DAY + 1);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_GRANT_TOO_OLD);
    assert_int_equal(nansen_verifier_set_max_age(v, 0), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);

    /* purpose */
    assert_int_equal(nansen_verifier_accept_purpose(v, 3), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_PURPOSE_NOT_ACCEPTED);
    assert_int_equal(nansen_verifier_accept_purpose(v, 1), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verifier_accept_purpose(v, 999),
                     NANSEN_ERR_INVALID_ARG);

    /* nonce: required and absent */
    assert_int_equal(nansen_verifier_require_nonce(v, nonce, 4), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_NONCE_MISMATCH);
    assert_int_equal(nansen_verifier_require_nonce(v, NULL, 0), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verifier_require_nonce(v, nonce, 0),
                     NANSEN_ERR_INVALID_ARG);
    nansen_verifier_free(v);
    free(g);
}

static void test_nonce(void **state)
{
    fx *f = *state;
    static const uint8_t n1[16] = {1, 2, 3}, n2[16] = {1, 2, 4};
    nansen_referral r;
    nansen_grant_params gpar;
    nansen_verifier *v = verifier(f, f->clinic);
    uint8_t *ref, *g;
    size_t ref_len, len;

    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    grant_params(&gpar, f->clinic_did);
    gpar.cnonce = n1;
    gpar.cnonce_len = sizeof n1;
    g = grant(f, f->holder, ref, ref_len, &gpar, &len);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verifier_require_nonce(v, n1, 16), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verifier_require_nonce(v, n2, 16), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_NONCE_MISMATCH);
    assert_int_equal(nansen_verifier_require_nonce(v, n1, 15), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_NONCE_MISMATCH);
    nansen_verifier_free(v);
    free(g);
    free(ref);
}

static void test_reject_signatures_and_binding(void **state)
{
    fx *f = *state;
    const uint8_t *kcwt, *payload;
    size_t len, kcwt_len, payload_len, l2;
    uint8_t *g, *bad, *kc;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_err st;

    g = demo_grant(f, &len);
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);

    /* the holder's signature broken */
    bad = malloc(len);
    memcpy(bad, g, len);
    bad[len - 1] ^= 1;
    assert_int_equal(verify_with(v, bad, len, &st),
                     NANSEN_REASON_BAD_HOLDER_SIGNATURE);
    assert_int_equal(st, NANSEN_ERR_BAD_SIGNATURE);
    free(bad);

    /* the issuer's signature broken, the grant re-signed by the holder */
    kc = malloc(kcwt_len);
    memcpy(kc, kcwt, kcwt_len);
    kc[kcwt_len - 1] ^= 0x80;
    bad = sign_kbt(f, f->holder, 1, 294, kc, kcwt_len, payload, payload_len,
                   &l2);
    assert_int_equal(verify_with(v, bad, l2, &st),
                     NANSEN_REASON_BAD_ISSUER_SIGNATURE);
    assert_int_equal(st, NANSEN_ERR_BAD_SIGNATURE);
    free(bad);
    free(kc);

    /* someone else signs the holder's referral: named by its kid */
    bad = sign_kbt(f, f->other, 1, 294, kcwt, kcwt_len, payload, payload_len,
                   &l2);
    assert_int_equal(verify_with(v, bad, l2, &st),
                     NANSEN_REASON_HOLDER_BINDING_BROKEN);
    assert_int_equal(st, NANSEN_ERR_KEY_MISMATCH);
    free(bad);
    /* ... without a kid: the signature does not verify with cnf */
    bad = sign_kbt(f, f->other, 0, 294, kcwt, kcwt_len, payload, payload_len,
                   &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL),
                     NANSEN_REASON_BAD_HOLDER_SIGNATURE);
    free(bad);
    /* ... with a key of another type */
    bad = sign_kbt(f, f->secp_holder, 0, 294, kcwt, kcwt_len, payload,
                   payload_len, &l2);
    assert_int_equal(verify_with(v, bad, l2, &st),
                     NANSEN_REASON_HOLDER_BINDING_BROKEN);
    assert_int_equal(st, NANSEN_ERR_ALG_MISMATCH);
    free(bad);

    /* the same parts signed as nansen_grant_sign does (no kid): the
     * builder is faithful */
    bad = sign_kbt(f, f->holder, 0, 294, kcwt, kcwt_len, payload, payload_len,
                   &l2);
    assert_int_equal(l2, len);
    assert_memory_equal(bad, g, len);
    free(bad);
    nansen_verifier_free(v);
    free(g);
}

/* Replace header 17 of a referral by the given disclosures. */
static uint8_t *with_disclosures(const uint8_t *cred, size_t cred_len,
                                 const uint8_t *const *disc,
                                 const size_t *disc_len, size_t n,
                                 size_t *out_len)
{
    nansen_cose_sign1 m;
    nansen__cbw w;
    uint8_t *out = NULL;
    size_t need = 0, i;
    int pass;

    assert_int_equal(nansen_cose_sign1_parse(&m, cred, cred_len, NULL),
                     NANSEN_OK);
    for (pass = 0; pass < 2; pass++) {
        nansen__cbw_init(&w, out, need);
        nansen__cbw_tag(&w, 18);
        nansen__cbw_array(&w, 4);
        nansen__cbw_bytes(&w, m.protected_map, m.protected_map_len);
        nansen__cbw_map(&w, n > 0);
        if (n > 0) {
            nansen__cbw_uint(&w, 17);
            nansen__cbw_array(&w, n);
            for (i = 0; i < n; i++)
                nansen__cbw_bytes(&w, disc[i], disc_len[i]);
        }
        nansen__cbw_map_end(&w);
        nansen__cbw_bytes(&w, m.payload, m.payload_len);
        nansen__cbw_bytes(&w, m.signature, m.signature_len);
        assert_int_equal(nansen__cbw_finish(&w, pass ? out_len : &need),
                         NANSEN_OK);
        if (pass == 0)
            assert_non_null(out = malloc(need));
    }
    return out;
}

/* The first disclosure of header 17 of a referral (pointer into it). */
static void first_disclosure(const uint8_t *cred, size_t len,
                             const uint8_t **d, size_t *dlen)
{
    nansen_cose_sign1 m;
    const uint8_t *v;
    size_t vlen, n;
    int prot;
    nansen__cbr r;

    assert_int_equal(nansen_cose_sign1_parse(&m, cred, len, NULL), NANSEN_OK);
    assert_int_equal(nansen_cose_sign1_header(&m, 17, &v, &vlen, &prot),
                     NANSEN_OK);
    nansen__cbr_init(&r, v, vlen);
    assert_int_equal(nansen__cbr_array(&r, &n), NANSEN_OK);
    assert_int_equal(nansen__cbr_bytes(&r, d, dlen), NANSEN_OK);
}

static uint8_t *disclosure(const uint8_t salt[16], const char *text,
                           int key, size_t *len)
{
    uint8_t *out = NULL;
    nansen__cbw w;
    size_t need = 0;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        nansen__cbw_init(&w, out, need);
        nansen__cbw_array(&w, 3);
        nansen__cbw_bytes(&w, salt, 16);
        nansen__cbw_text(&w, text, strlen(text));
        nansen__cbw_uint(&w, (uint64_t)key);
        assert_int_equal(nansen__cbw_finish(&w, pass ? len : &need),
                         NANSEN_OK);
        if (pass == 0)
            assert_non_null(out = malloc(need));
    }
    return out;
}

static void test_reject_disclosures(void **state)
{
    fx *f = *state;
    static const uint8_t salt[16] = {7};
    nansen_verifier *v = verifier(f, f->clinic);
    const uint8_t *kcwt, *payload, *d0;
    const uint8_t *discs[2];
    size_t dlens[2];
    size_t len, kcwt_len, payload_len, l2, kl, d0_len, fl;
    uint8_t *g, *kc, *bad, *fake;
    nansen_err st;

    g = demo_grant(f, &len);
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);
    first_disclosure(kcwt, kcwt_len, &d0, &d0_len);

    /* a fabricated claim the issuer never signed, re-signed by the holder */
    fake = disclosure(salt, "no risk at all", NANSEN_CLAIM_RISK, &fl);
    discs[0] = d0;
    dlens[0] = d0_len;
    discs[1] = fake;
    dlens[1] = fl;
    kc = with_disclosures(kcwt, kcwt_len, discs, dlens, 2, &kl);
    bad = sign_kbt(f, f->holder, 1, 294, kc, kl, payload, payload_len, &l2);
    assert_int_equal(verify_with(v, bad, l2, &st),
                     NANSEN_REASON_DISCLOSURE_DIGEST_MISMATCH);
    assert_int_equal(st, NANSEN_ERR_DIGEST_MISMATCH);
    free(bad);
    free(kc);
    free(fake);

    /* the same disclosure twice */
    discs[1] = d0;
    dlens[1] = d0_len;
    kc = with_disclosures(kcwt, kcwt_len, discs, dlens, 2, &kl);
    bad = sign_kbt(f, f->holder, 1, 294, kc, kl, payload, payload_len, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL), NANSEN_REASON_MALFORMED);
    free(bad);
    free(kc);

    /* an empty sd_claims array is invalid (SD-CWT section 9 step 2) */
    {
        nansen_cose_sign1 m;
        nansen__cbw w;
        uint8_t buf[4096];
        size_t n;

        assert_int_equal(nansen_cose_sign1_parse(&m, kcwt, kcwt_len, NULL),
                         NANSEN_OK);
        nansen__cbw_init(&w, buf, sizeof buf);
        nansen__cbw_tag(&w, 18);
        nansen__cbw_array(&w, 4);
        nansen__cbw_bytes(&w, m.protected_map, m.protected_map_len);
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 17);
        nansen__cbw_array(&w, 0);
        nansen__cbw_map_end(&w);
        nansen__cbw_bytes(&w, m.payload, m.payload_len);
        nansen__cbw_bytes(&w, m.signature, m.signature_len);
        assert_int_equal(nansen__cbw_finish(&w, &n), NANSEN_OK);
        bad = sign_kbt(f, f->holder, 1, 294, buf, n, payload, payload_len,
                       &l2);
        assert_int_equal(verify_with(v, bad, l2, NULL),
                         NANSEN_REASON_MALFORMED);
        free(bad);
    }
    nansen_verifier_free(v);
    free(g);
}

/* Sign a credential by hand: protected {alg, kid, typ 293}, the given
 * header 17 value (or none) and payload. */
static uint8_t *sign_cred(fx *f, const nansen_key *signer,
                          const uint8_t kid[8], const uint8_t *discs,
                          size_t discs_len, const uint8_t *payload,
                          size_t payload_len, size_t *len)
{
    nansen_cose_sign1_params p;
    nansen_cose_header h;
    uint8_t *out;

    memset(&p, 0, sizeof p);
    p.kid = kid;
    p.kid_len = 8;
    p.typ.present = 1;
    p.typ.uint = 293;
    if (discs != NULL) {
        h.label = 17;
        h.value = discs;
        h.value_len = discs_len;
        p.unprotected_extra = &h;
        p.unprotected_extra_count = 1;
    }
    *len = 0;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, len, signer, &p,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, out, len, signer, &p,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    return out;
}

/* Credentials not (or no longer) the issuer's, inside grants the holder
 * signs properly. */
static void test_reject_forged_credentials(void **state)
{
    fx *f = *state;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_referral r;
    nansen_cose_sign1 m;
    const uint8_t *kcwt, *payload, *discs;
    size_t len, kcwt_len, payload_len, discs_len, l2, l3, ref_len;
    uint8_t *g, *cred, *bad, *ref, ngo_kid[8], *pl;
    char sid_holder[NANSEN_SHORT_ID_BYTES], sid_other[NANSEN_SHORT_ID_BYTES];
    nansen_err st;
    char *at;
    int prot;

    g = demo_grant(f, &len);
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);
    assert_int_equal(nansen_key_id(f->ngo, ngo_kid), NANSEN_OK);

    /* the holder issues itself a referral with an invented risk flag and
     * presents it: under its own kid, untrusted; under the NGO's kid, the
     * NGO's key does not verify it */
    full_referral(&r);
    r.risk = "none";
    ref = issue(f, f->holder, f->holder, &r, &ref_len);
    {
        nansen_grant_params gpar;
        uint8_t *g2 = NULL;
        size_t g2_len;

        grant_params(&gpar, f->clinic_did);
        gpar.categories = ALL_CATS;
        gpar.category_count = 6;
        gpar.disclose |= NANSEN_CLAIM_BIT(NANSEN_CLAIM_RISK);
        g2 = grant(f, f->holder, ref, ref_len, &gpar, &g2_len);
        assert_int_equal(verify_with(v, g2, g2_len, NULL),
                         NANSEN_REASON_UNTRUSTED_ISSUER);
        free(g2);
    }
    assert_int_equal(nansen_cose_sign1_parse(&m, ref, ref_len, NULL),
                     NANSEN_OK);
    assert_int_equal(nansen_cose_sign1_header(&m, 17, &discs, &discs_len,
                                              &prot), NANSEN_OK);
    cred = sign_cred(f, f->holder, ngo_kid, discs, discs_len, m.payload,
                     m.payload_len, &l2);
    bad = sign_kbt(f, f->holder, 1, 294, cred, l2, payload, payload_len, &l3);
    assert_int_equal(verify_with(v, bad, l3, &st),
                     NANSEN_REASON_BAD_ISSUER_SIGNATURE);
    assert_int_equal(st, NANSEN_ERR_BAD_SIGNATURE);
    free(bad);
    free(cred);
    free(ref);

    /* the issuer names another subject than the cnf key (sub changed,
     * signed by the NGO itself): the holder binding is broken */
    assert_int_equal(nansen_cose_sign1_parse(&m, kcwt, kcwt_len, NULL),
                     NANSEN_OK);
    assert_int_equal(nansen_cose_sign1_header(&m, 17, &discs, &discs_len,
                                              &prot), NANSEN_OK);
    assert_int_equal(nansen_key_short_id(f->holder, sid_holder), NANSEN_OK);
    assert_int_equal(nansen_key_short_id(f->other, sid_other), NANSEN_OK);
    pl = malloc(m.payload_len);
    memcpy(pl, m.payload, m.payload_len);
    at = NULL;
    for (l2 = 0; l2 + 20 <= m.payload_len && at == NULL; l2++)
        if (memcmp(pl + l2, sid_holder, 20) == 0)
            at = (char *)pl + l2;
    assert_non_null(at);
    memcpy(at, sid_other, 20);
    cred = sign_cred(f, f->ngo, ngo_kid, discs, discs_len, pl, m.payload_len,
                     &l2);
    bad = sign_kbt(f, f->holder, 1, 294, cred, l2, payload, payload_len, &l3);
    assert_int_equal(verify_with(v, bad, l3, &st),
                     NANSEN_REASON_HOLDER_BINDING_BROKEN);
    assert_int_equal(st, NANSEN_ERR_KEY_MISMATCH);
    free(bad);
    free(cred);
    /* the same bytes with the true sub, re-signed by the NGO: accepted */
    memcpy(at, sid_holder, 20);
    cred = sign_cred(f, f->ngo, ngo_kid, discs, discs_len, pl, m.payload_len,
                     &l2);
    bad = sign_kbt(f, f->holder, 1, 294, cred, l2, payload, payload_len, &l3);
    assert_int_equal(verify_with(v, bad, l3, NULL), NANSEN_REASON_ACCEPT);
    free(bad);
    free(cred);
    free(pl);
    nansen_verifier_free(v);
    free(g);
}

/* A grant that reveals a claim outside its categories, made by hand since
 * nansen_grant_sign refuses to. */
static void test_reject_category_not_covered(void **state)
{
    fx *f = *state;
    static const uint32_t only_language[] = {2};
    nansen_verifier *v = verifier(f, f->clinic);
    const uint8_t *kcwt, *payload;
    size_t len, kcwt_len, payload_len, l2, pl;
    uint8_t *g, *p, *bad;
    gp q;

    g = demo_grant(f, &len);                       /* reveals notes */
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);
    default_gp(&q, f->clinic_did);
    q.cats = only_language;
    q.ncats = 1;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL),
                     NANSEN_REASON_CATEGORY_NOT_COVERED);
    free(bad);
    free(p);
    /* all categories: the hand-made grant is accepted (the builder works) */
    default_gp(&q, f->clinic_did);
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL), NANSEN_REASON_ACCEPT);
    free(bad);
    free(p);
    nansen_verifier_free(v);
    free(g);
}

static void test_reject_structure(void **state)
{
    fx *f = *state;
    static const uint32_t unknown_cat[] = {2, 3, 999};
    nansen_verifier *v = verifier(f, f->clinic);
    const uint8_t *kcwt, *payload;
    size_t len, kcwt_len, payload_len, l2, pl, i;
    uint8_t *g, *p, *bad;
    nansen_err st;
    gp q;

    g = demo_grant(f, &len);
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);

    /* nothing, garbage, trailing bytes, every truncation */
    assert_int_equal(verify_with(v, NULL, 0, NULL), NANSEN_REASON_MALFORMED);
    assert_int_equal(verify_with(v, (const uint8_t *)"hello", 5, NULL),
                     NANSEN_REASON_MALFORMED);
    bad = malloc(len + 1);
    memcpy(bad, g, len);
    bad[len] = 0;
    assert_int_equal(verify_with(v, bad, len + 1, &st),
                     NANSEN_REASON_MALFORMED);
    assert_int_equal(st, NANSEN_ERR_TRAILING_DATA);
    for (i = 0; i < len; i++)
        assert_int_equal(verify_with(v, bad, i, NULL),
                         NANSEN_REASON_MALFORMED);
    free(bad);

    /* the referral presented on its own is not a grant */
    assert_int_equal(verify_with(v, kcwt, kcwt_len, &st),
                     NANSEN_REASON_MALFORMED);
    assert_int_equal(st, NANSEN_ERR_WRONG_TYPE);
    /* typ 293 on the grant */
    bad = sign_kbt(f, f->holder, 1, 293, kcwt, kcwt_len, payload, payload_len,
                   &l2);
    assert_int_equal(verify_with(v, bad, l2, &st), NANSEN_REASON_MALFORMED);
    assert_int_equal(st, NANSEN_ERR_WRONG_TYPE);
    free(bad);
    /* a grant nested as the kcwt of a grant */
    bad = sign_kbt(f, f->holder, 1, 294, g, len, payload, payload_len, &l2);
    assert_int_equal(verify_with(v, bad, l2, &st), NANSEN_REASON_MALFORMED);
    assert_int_equal(st, NANSEN_ERR_WRONG_TYPE);
    free(bad);

    /* a grant profile from the future */
    default_gp(&q, f->clinic_did);
    q.profile = 2;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL),
                     NANSEN_REASON_UNSUPPORTED_VERSION);
    free(bad);
    free(p);
    /* a category code this vocabulary does not know */
    default_gp(&q, f->clinic_did);
    q.cats = unknown_cat;
    q.ncats = 3;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL),
                     NANSEN_REASON_UNSUPPORTED_VERSION);
    free(bad);
    free(p);
    /* sub in a key-binding token (SD-CWT: MUST NOT) */
    default_gp(&q, f->clinic_did);
    q.with_sub = 1;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL), NANSEN_REASON_MALFORMED);
    free(bad);
    free(p);
    /* the grant outlives its referral */
    default_gp(&q, f->clinic_did);
    q.exp = T0 + 30 * DAY + 1;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL), NANSEN_REASON_MALFORMED);
    free(bad);
    free(p);
    /* signed before the referral was issued */
    default_gp(&q, f->clinic_did);
    q.iat = T0 - 1;
    p = grant_payload(&q, &pl);
    bad = sign_kbt(f, f->holder, 1, 294, kcwt, kcwt_len, p, pl, &l2);
    assert_int_equal(verify_with(v, bad, l2, NULL), NANSEN_REASON_MALFORMED);
    free(bad);
    free(p);
    nansen_verifier_free(v);
    free(g);
}

/* No single flipped bit anywhere in a grant is ever accepted. */
static void test_every_bit_flip_rejected(void **state)
{
    fx *f = *state;
    nansen_verifier *v = verifier(f, f->clinic);
    uint8_t *g;
    size_t len, i;
    int b;

    g = demo_grant(f, &len);
    for (i = 0; i < len; i++)
        for (b = 0; b < 8; b++) {
            g[i] ^= (uint8_t)(1u << b);
            assert_int_not_equal(verify_with(v, g, len, NULL),
                                 NANSEN_REASON_ACCEPT);
            g[i] ^= (uint8_t)(1u << b);
        }
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_free(v);
    free(g);
}

static void test_grant_sign_refusals(void **state)
{
    fx *f = *state;
    static const uint32_t rep[] = {2, 2}, bad_cat[] = {77};
    nansen_referral r;
    nansen_grant_params g;
    nansen_credential *cred = NULL;
    uint8_t *ref, buf[4096];
    size_t ref_len, n;

    full_referral(&r);
    r.dependents = NULL;
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);
#define SIGN_IS(e)                                                          \
    do {                                                                    \
        n = sizeof buf;                                                     \
        assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, f->holder, cred, \
                                           &g), (e));                       \
        grant_params(&g, f->clinic_did);                                    \
    } while (0)

    grant_params(&g, f->clinic_did);
    SIGN_IS(NANSEN_OK);
    n = 10;
    assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, f->holder, cred, &g),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_true(n > 10);
    /* notes is health; grant only language */
    g.category_count = 1;
    SIGN_IS(NANSEN_ERR_CATEGORY_NOT_GRANTED);
    /* naming an always-visible claim is fine, an absent one is not */
    g.disclose |= NANSEN_CLAIM_BIT(NANSEN_CLAIM_SERVICE);
    SIGN_IS(NANSEN_OK);
    g.disclose |= NANSEN_CLAIM_BIT(NANSEN_CLAIM_DEPENDENTS);
    SIGN_IS(NANSEN_ERR_ABSENT);
    g.disclose |= 1u;                     /* bit 0 is no claim */
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    /* windows */
    g.exp = T0 + 30 * DAY + 1;
    SIGN_IS(NANSEN_ERR_OUTSIDE_VALIDITY);
    g.iat = T0 - 10;
    g.exp = T0 + 10;
    SIGN_IS(NANSEN_ERR_OUTSIDE_VALIDITY);
    g.exp = g.iat;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.nbf = g.iat + 1;                    /* nbf after iat: SD-CWT forbids */
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    /* codes and texts */
    g.purpose = 0;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.categories = rep;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.categories = bad_cat;
    g.category_count = 1;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.category_count = 0;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.notice_lang = "de";                 /* no template */
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.notice_lang = "not a tag";
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.audience = "did:key:zNOPE";
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.audience = "kid:0123456789ABCDEF";  /* uppercase */
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.audience_name = "bad\nname";
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    g.cnonce = buf;
    g.cnonce_len = 65;
    SIGN_IS(NANSEN_ERR_INVALID_ARG);
    /* the wrong holder, and a holder without its secret */
    n = sizeof buf;
    assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, f->other, cred, &g),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_int_equal(n, 0);
    {
        nansen_key *pub = NULL;

        assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->holder),
                         NANSEN_OK);
        n = sizeof buf;
        assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, pub, cred, &g),
                         NANSEN_ERR_NO_SECRET_KEY);
        nansen_key_free(pub);
    }
#undef SIGN_IS
    nansen_credential_free(cred);
    free(ref);
}

static void test_issue_refusals(void **state)
{
    fx *f = *state;
    nansen_referral r;
    nansen_issue_params p;
    uint8_t buf[4096];
    size_t n;
    nansen_key *pub = NULL;

#define ISSUE_IS(e)                                                         \
    do {                                                                    \
        n = sizeof buf;                                                     \
        assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,      \
                                               f->holder, &r, &p), (e));    \
        if ((e) != NANSEN_OK)                                               \
            assert_int_equal(n, 0);                                         \
        full_referral(&r);                                                  \
        issue_params(&p);                                                   \
    } while (0)

    full_referral(&r);
    issue_params(&p);
    ISSUE_IS(NANSEN_OK);
    r.service = 0;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.urgency = 5;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.notes = "";
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.notes = "line\nbreak";
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.notes = "\xc2\x85 next line (C1)";
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.contact = "\xff\xfe";
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.language = "tigrinya language";
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.interpreter = 2;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.decoys = NANSEN_MAX_DECOYS + 1;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.disclosable |= NANSEN_CLAIM_BIT(NANSEN_CLAIM_ISSUER_NAME);
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    r.disclosable |= 1u << 20;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    p.exp = p.iat;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    p.nbf = p.iat + 1;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    p.iat = 0;
    ISSUE_IS(NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->ngo), NANSEN_OK);
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, pub, f->holder,
                                           &r, &p), NANSEN_ERR_NO_SECRET_KEY);
    nansen_key_free(pub);
    n = 16;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo, f->holder,
                                           &r, &p),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_true(n > 16);
#undef ISSUE_IS
}

/* The holder sees everything the issuer signed, knows what is hidden, and
 * the decoys show as nothing. */
static void test_holder_view(void **state)
{
    fx *f = *state;
    nansen_referral r;
    nansen_credential *cred = NULL;
    nansen_claim_value cv;
    uint8_t *ref, kid[8];
    size_t len;
    int disclosable, c;
    int64_t iat, nbf, exp;

    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, len),
                     NANSEN_OK);
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        assert_int_equal(nansen_credential_claim(cred, (nansen_claim)c, &cv,
                                                 &disclosable), NANSEN_OK);
        assert_int_equal(disclosable,
                         (NANSEN_CLAIMS_DEFAULT_DISCLOSABLE &
                          NANSEN_CLAIM_BIT(c)) != 0);
        assert_int_equal(cv.type, nansen_claim_type((nansen_claim)c));
    }
    assert_int_equal(nansen_credential_claim(cred, NANSEN_CLAIM_RISK, &cv,
                                             NULL), NANSEN_OK);
    assert_string_equal(cv.text, RISK);
    assert_string_equal(nansen_credential_issuer_label(cred), "Harbour Aid");
    nansen_credential_times(cred, &iat, &nbf, &exp);
    assert_int_equal(iat, T0);
    assert_int_equal(nbf, T0);
    assert_int_equal(exp, T0 + 30 * DAY);
    assert_int_equal(nansen_key_id(f->ngo, kid), NANSEN_OK);
    assert_memory_equal(nansen_credential_issuer_kid(cred), kid, 8);
    assert_true(nansen_key_equal(nansen_credential_holder(cred), f->holder));
    assert_int_equal(nansen_credential_verify_issuer(f->ctx, cred, f->ngo),
                     NANSEN_OK);
    assert_int_equal(nansen_credential_verify_issuer(f->ctx, cred, f->ngo2),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_int_equal(nansen_credential_claim(cred, (nansen_claim)11, &cv,
                                             NULL), NANSEN_ERR_INVALID_ARG);
    nansen_credential_free(cred);

    /* without an issuer name the notice names the issuer's short id */
    free(ref);
    full_referral(&r);
    r.issuer_name = NULL;
    r.disclosable = 0;
    r.decoys = 0;
    ref = issue(f, f->ngo, f->holder, &r, &len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, len),
                     NANSEN_OK);
    {
        char sid[NANSEN_SHORT_ID_BYTES];

        assert_int_equal(nansen_key_short_id(f->ngo, sid), NANSEN_OK);
        assert_string_equal(nansen_credential_issuer_label(cred), sid);
    }
    assert_int_equal(nansen_credential_claim(cred, NANSEN_CLAIM_NOTES, &cv,
                                             &disclosable), NANSEN_OK);
    assert_int_equal(disclosable, 0);
    nansen_credential_free(cred);
    free(ref);
}

static void test_notice_matches_grant(void **state)
{
    fx *f = *state;
    nansen_referral r;
    nansen_grant_params g;
    nansen_credential *cred = NULL;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_verdict *d = NULL;
    char text[2048];
    size_t n = sizeof text, len;
    uint8_t *ref, *gr, h[32];
    const char *lang;
    const uint8_t *digest;
    int matches;

    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, len),
                     NANSEN_OK);
    grant_params(&g, f->clinic_did);
    g.notice_lang = "ar";
    g.audience_name = "Open Door Clinic";
    assert_int_equal(nansen_grant_notice(text, &n, cred, &g), NANSEN_OK);
    assert_int_equal(strlen(text) + 1, n);
    assert_non_null(strstr(text, "Open Door Clinic"));
    assert_non_null(strstr(text, "Harbour Aid"));
    nansen_credential_free(cred);
    gr = grant(f, f->holder, ref, len, &g, &n);
    assert_int_equal(nansen_verify_grant(v, &d, gr, n), NANSEN_OK);
    assert_int_equal(nansen_verdict_reason(d), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verdict_notice(d, &lang, &digest, &matches),
                     NANSEN_OK);
    assert_string_equal(lang, "ar");
    assert_int_equal(matches, 1);
    crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
    assert_memory_equal(digest, h, 32);
    /* the speakable message in the holder's language */
    assert_string_not_equal(nansen_verdict_message(d, "ar"),
                            nansen_verdict_message(d, "en"));
    nansen_verdict_free(d);
    nansen_verifier_free(v);
    free(gr);
    free(ref);
}

/* The unverified view of a grant shows what the holder signed. */
static void test_grant_decode(void **state)
{
    fx *f = *state;
    nansen_grant *gr = NULL;
    const nansen_credential *cred;
    nansen_claim_value cv;
    const uint32_t *cats;
    const char *lang;
    const uint8_t *nd, *kcwt, *payload;
    uint8_t *g, h[32];
    size_t len, ncats, i, kcwt_len, payload_len;
    uint32_t purpose;
    int64_t iat, nbf, exp;

    g = demo_grant(f, &len);
    assert_int_equal(nansen_grant_decode(f->ctx, &gr, g, len), NANSEN_OK);
    assert_string_equal(nansen_grant_audience(gr), f->clinic_did);
    assert_null(nansen_grant_audience_name(gr));
    nansen_grant_consent(gr, &purpose, &cats, &ncats);
    assert_int_equal(purpose, 1);
    assert_int_equal(ncats, 2);
    assert_int_equal(cats[0], 2);
    assert_int_equal(cats[1], 3);
    nansen_grant_times(gr, &iat, &nbf, &exp);
    assert_int_equal(iat, GRANT_IAT);
    assert_int_equal(nbf, GRANT_IAT);
    assert_int_equal(exp, GRANT_IAT + 7 * DAY);
    assert_memory_equal(nansen_grant_id(gr), "\x09\x09\x09\x09\x09\x09\x09\x09",
                        8);
    crypto_hash_sha256(h, g, len);
    assert_memory_equal(nansen_grant_digest(gr), h, 32);
    nansen_grant_notice_recorded(gr, &lang, &nd);
    assert_string_equal(lang, "en");
    cred = nansen_grant_credential(gr);
    assert_int_equal(nansen_credential_claim(cred, NANSEN_CLAIM_NOTES, &cv,
                                             NULL), NANSEN_OK);
    assert_string_equal(cv.text, NOTES);
    assert_int_equal(nansen_credential_claim(cred, NANSEN_CLAIM_RISK, &cv,
                                             NULL), NANSEN_ERR_ABSENT);
    nansen_grant_free(gr);

    /* not a grant, cut short, or carrying a fabricated disclosure */
    grant_parts(g, len, &kcwt, &kcwt_len, &payload, &payload_len);
    assert_int_equal(nansen_grant_decode(f->ctx, &gr, kcwt, kcwt_len),
                     NANSEN_ERR_WRONG_TYPE);
    assert_null(gr);
    for (i = 0; i < len; i++)
        assert_int_not_equal(nansen_grant_decode(f->ctx, &gr, g, i),
                             NANSEN_OK);
    {
        static const uint8_t salt[16] = {3};
        const uint8_t *discs[1];
        size_t dlens[1], kl, fl, l2;
        uint8_t *fake = disclosure(salt, "invented", NANSEN_CLAIM_NOTES, &fl);
        uint8_t *kc, *bad;

        discs[0] = fake;
        dlens[0] = fl;
        kc = with_disclosures(kcwt, kcwt_len, discs, dlens, 1, &kl);
        bad = sign_kbt(f, f->holder, 1, 294, kc, kl, payload, payload_len,
                       &l2);
        assert_int_equal(nansen_grant_decode(f->ctx, &gr, bad, l2),
                         NANSEN_ERR_DIGEST_MISMATCH);
        free(bad);
        free(kc);
        free(fake);
    }
    nansen_grant_free(NULL);
    free(g);
}

/* Referrals and grants are refused when their QR code would be too big,
 * with the version they would need. */
static void test_qr_budget(void **state)
{
    fx *f = *state;
    nansen_referral r;
    nansen_issue_params p;
    nansen_grant_params g;
    nansen_credential *cred = NULL;
    uint8_t buf[4096], *ref;
    size_t n, ref_len;
    int needed = 0, v = 0;

    full_referral(&r);                  /* 2 decoys and long texts */
    issue_params(&p);
    p.budget.max_version = 0;           /* the default: 20 at M */
    p.budget.needed = &needed;
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,
                                           f->holder, &r, &p),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(n, 0);
    assert_true(needed > 20 && needed <= 40);
    /* a size query does not sign, so it does not check */
    n = 0;
    assert_int_equal(nansen_referral_issue(f->ctx, NULL, &n, f->ngo,
                                           f->holder, &r, &p), NANSEN_OK);
    assert_true(n > 0);
    /* the budget it asked for is met exactly */
    p.budget.max_version = needed;
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,
                                           f->holder, &r, &p), NANSEN_OK);
    assert_int_equal(nansen_qr_version_of_token(buf, n, NANSEN_QR_ECC_M, &v),
                     NANSEN_OK);
    assert_int_equal(v, needed);
    /* print: level Q needs more */
    p.budget.ecc = NANSEN_QR_ECC_Q;
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,
                                           f->holder, &r, &p),
                     NANSEN_ERR_QR_BUDGET);
    assert_true(needed > v);
    /* bad budgets */
    p.budget.max_version = 41;
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,
                                           f->holder, &r, &p),
                     NANSEN_ERR_INVALID_ARG);
    p.budget.max_version = 20;
    p.budget.ecc = (nansen_qr_ecc)5;
    n = sizeof buf;
    assert_int_equal(nansen_referral_issue(f->ctx, buf, &n, f->ngo,
                                           f->holder, &r, &p),
                     NANSEN_ERR_INVALID_ARG);

    /* a small referral and grant fit the default budget */
    full_referral(&r);
    r.decoys = 0;
    r.target = NULL;
    r.dependents = NULL;
    r.notes = "Nightmares";
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);
    grant_params(&g, "kid:0123456789abcdef");
    g.budget.max_version = 0;
    g.budget.needed = &needed;
    g.cti = NULL;
    n = sizeof buf;
    assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, f->holder, cred, &g),
                     NANSEN_OK);
    assert_true(needed >= 1 && needed <= 20);
    g.budget.max_version = needed - 1;
    n = sizeof buf;
    assert_int_equal(nansen_grant_sign(f->ctx, buf, &n, f->holder, cred, &g),
                     NANSEN_ERR_QR_BUDGET);
    assert_int_equal(n, 0);
    nansen_credential_free(cred);
    free(ref);
}

/* A verifier that trusts issuers through a signed trust list, and knows
 * the holder's withdrawals. */
static nansen_trustlist *signed_trustlist_for(fx *f, const nansen_key *gov,
                                              int64_t exp,
                                              uint32_t clinic_roles,
                                              int64_t clinic_until)
{
    nansen_trustlist *draft = NULL, *list = NULL;
    nansen_trustlist_sign_params sp;
    uint8_t buf[4096];
    size_t n = sizeof buf;

    assert_int_equal(nansen_trustlist_create(f->ctx, &draft), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(draft, 3), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, draft, f->ngo,
                                          "Harbour Aid",
                                          NANSEN_ROLE_BIT(NANSEN_ROLE_NGO),
                                          0, 0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, draft, f->ngo2,
                                          "A clinic, not an NGO",
                                          NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC),
                                          0, 0), NANSEN_OK);
    if (clinic_roles != 0)
        assert_int_equal(nansen_trustlist_add(f->ctx, draft, f->clinic,
                                              "Riverside Clinic", clinic_roles,
                                              0, clinic_until), NANSEN_OK);
    memset(&sp, 0, sizeof sp);
    sp.iat = T0;
    sp.exp = exp;
    assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &n, draft, gov, &sp),
                     NANSEN_OK);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &list, buf, n, gov),
                     NANSEN_OK);
    nansen_trustlist_free(draft);
    return list;
}

/* The usual list: the NGO, a clinic-only party, and this clinic. */
static nansen_trustlist *signed_trustlist(fx *f, const nansen_key *gov,
                                          int64_t exp)
{
    return signed_trustlist_for(f, gov, exp,
                                NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC), 0);
}

/* Under a trust list, a grant's audience must be listed, now, as a clinic
 * or an interpreter service. */
static void test_audience_role(void **state)
{
    static const struct {
        uint32_t roles;        /* the clinic's entry; 0: not listed */
        int64_t until;
        nansen_reason want;
    } cases[] = {
        {NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC), 0, NANSEN_REASON_ACCEPT},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_INTERPRETER), 0, NANSEN_REASON_ACCEPT},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC) |
             NANSEN_ROLE_BIT(NANSEN_ROLE_NGO), 0, NANSEN_REASON_ACCEPT},
        {0, 0, NANSEN_REASON_WRONG_ROLE},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_NGO), 0, NANSEN_REASON_WRONG_ROLE},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_STATUS_ISSUER), 0,
         NANSEN_REASON_WRONG_ROLE},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC), NOW, NANSEN_REASON_WRONG_ROLE},
        {NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC), NOW + 1, NANSEN_REASON_ACCEPT},
    };
    fx *f = *state;
    nansen_key *gov = seed_key(f->ctx, NANSEN_KEY_ED25519, 9);
    nansen_verifier *v = NULL;
    uint8_t *g;
    size_t len, i;
    nansen_err st;

    g = demo_grant(f, &len);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nansen_trustlist *list =
            signed_trustlist_for(f, gov, 0, cases[i].roles, cases[i].until);

        assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                         NANSEN_OK);
        nansen_verifier_set_time(v, NOW);
        assert_int_equal(nansen_verifier_set_trustlist(v, list), NANSEN_OK);
        assert_int_equal(verify_with(v, g, len, &st), cases[i].want);
        assert_int_equal(st, cases[i].want == NANSEN_REASON_ACCEPT
                                 ? NANSEN_OK
                                 : NANSEN_ERR_POLICY);
        /* an issuer trusted one by one does not lift the audience rule */
        assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo), NANSEN_OK);
        assert_int_equal(verify_with(v, g, len, NULL), cases[i].want);
        nansen_verifier_free(v);
        nansen_trustlist_free(list);
    }
    /* without a trust list there are no roles to check */
    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    assert_int_equal(nansen_verifier_trust_issuer(v, f->ngo), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_free(v);
    nansen_key_free(gov);
    free(g);
}

static void test_trustlist_and_withdrawals(void **state)
{
    fx *f = *state;
    nansen_key *gov = seed_key(f->ctx, NANSEN_KEY_ED25519, 9);
    nansen_trustlist *list = signed_trustlist(f, gov, 0);
    nansen_trustlist *old = signed_trustlist(f, gov, T0 + 60);
    nansen_withdrawal_store *store = NULL;
    nansen_verifier *v = NULL;
    nansen_referral r;
    nansen_grant_params gpar;
    uint8_t *g, *g2, *ref, w[512];
    size_t len, len2, ref_len, wn = sizeof w, added = 0;
    nansen_err st;

    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    g = demo_grant(f, &len);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_UNTRUSTED_ISSUER);
    assert_int_equal(nansen_verifier_set_trustlist(v, list), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    {
        nansen_verdict *d = NULL;
        const char *iss, *hold;
        char did[128];
        size_t n = sizeof did;

        assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
        assert_int_equal(nansen_verdict_parties(d, &iss, &hold), NANSEN_OK);
        assert_int_equal(nansen_key_did(f->ngo, did, &n), NANSEN_OK);
        assert_string_equal(iss, did);
        nansen_verdict_free(d);
    }

    /* a listed party without the ngo role */
    full_referral(&r);
    ref = issue(f, f->ngo2, f->holder, &r, &ref_len);
    grant_params(&gpar, f->clinic_did);
    g2 = grant(f, f->holder, ref, ref_len, &gpar, &len2);
    assert_int_equal(verify_with(v, g2, len2, &st), NANSEN_REASON_WRONG_ROLE);
    assert_int_equal(st, NANSEN_ERR_POLICY);
    free(g2);
    free(ref);
    /* an issuer not on the list */
    ref = issue(f, f->other, f->holder, &r, &ref_len);
    g2 = grant(f, f->holder, ref, ref_len, &gpar, &len2);
    assert_int_equal(verify_with(v, g2, len2, NULL),
                     NANSEN_REASON_UNTRUSTED_ISSUER);
    free(g2);
    free(ref);
    /* an NGO whose listing ended: its referrals are no longer trusted */
    {
        nansen_trustlist *draft = NULL, *lapsed = NULL;
        nansen_trustlist_sign_params sp;
        uint8_t buf[4096];
        size_t n = sizeof buf;

        assert_int_equal(nansen_trustlist_create(f->ctx, &draft), NANSEN_OK);
        assert_int_equal(nansen_trustlist_set_sequence(draft, 4), NANSEN_OK);
        assert_int_equal(nansen_trustlist_add(
                             f->ctx, draft, f->ngo, "Harbour Aid",
                             NANSEN_ROLE_BIT(NANSEN_ROLE_NGO), 0, NOW),
                         NANSEN_OK);
        assert_int_equal(nansen_trustlist_add(
                             f->ctx, draft, f->clinic, "Riverside Clinic",
                             NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC), 0, 0),
                         NANSEN_OK);
        memset(&sp, 0, sizeof sp);
        sp.iat = T0;
        assert_int_equal(nansen_trustlist_sign(f->ctx, buf, &n, draft, gov,
                                               &sp), NANSEN_OK);
        assert_int_equal(nansen_trustlist_verify(f->ctx, &lapsed, buf, n,
                                                 gov), NANSEN_OK);
        assert_int_equal(nansen_verifier_set_trustlist(v, lapsed),
                         NANSEN_OK);
        nansen_verifier_set_time(v, NOW - 1);
        assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
        nansen_verifier_set_time(v, NOW);
        assert_int_equal(verify_with(v, g, len, &st),
                         NANSEN_REASON_UNTRUSTED_ISSUER);
        assert_int_equal(st, NANSEN_ERR_POLICY);
        assert_int_equal(nansen_verifier_set_trustlist(v, list), NANSEN_OK);
        nansen_trustlist_free(lapsed);
        nansen_trustlist_free(draft);
    }

    /* a list past its exp trusts nobody */
    assert_int_equal(nansen_verifier_set_trustlist(v, old), NANSEN_OK);
    assert_int_equal(verify_with(v, g, len, &st),
                     NANSEN_REASON_UNTRUSTED_ISSUER);
    assert_int_equal(st, NANSEN_ERR_STALE);
    assert_int_equal(nansen_verifier_set_trustlist(v, list), NANSEN_OK);

    /* the holder withdraws: the same grant is now refused */
    assert_int_equal(nansen_withdrawal_sign(f->ctx, w, &wn, f->holder, g, len,
                                            NOW - 60), NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_create(f->ctx, &store),
                     NANSEN_OK);
    nansen_verifier_set_withdrawals(v, store);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_withdrawal_store_add(store, w, wn, &added),
                     NANSEN_OK);
    assert_int_equal(added, 1);
    assert_int_equal(verify_with(v, g, len, &st),
                     NANSEN_REASON_WITHDRAWN_BY_HOLDER);
    assert_int_equal(st, NANSEN_ERR_WITHDRAWN);
    /* another grant of the same referral is not withdrawn */
    full_referral(&r);
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    grant_params(&gpar, f->clinic_did);
    gpar.exp -= 1;
    g2 = grant(f, f->holder, ref, ref_len, &gpar, &len2);
    assert_int_equal(verify_with(v, g2, len2, NULL), NANSEN_REASON_ACCEPT);
    free(g2);
    free(ref);
    nansen_verifier_set_withdrawals(v, NULL);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);

    nansen_verifier_free(v);
    nansen_withdrawal_store_free(store);
    nansen_trustlist_free(list);
    nansen_trustlist_free(old);
    nansen_key_free(gov);
    free(g);
}

static uint8_t *sign_status(fx *f, const nansen_status_list *l,
                            const nansen_key *key, int64_t iat,
                            int64_t exp, uint64_t ttl, size_t *len)
{
    nansen_status_sign_params sp;
    uint8_t *out;

    sp.iat = iat;
    sp.exp = exp;
    sp.ttl = ttl;
    *len = 0;
    assert_int_equal(nansen_status_list_sign(f->ctx, NULL, len, l, key, &sp),
                     NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_status_list_sign(f->ctx, out, len, l, key, &sp),
                     NANSEN_OK);
    return out;
}

/* Revoked, suspended, stale, unknown and accepted-as-of, through the
 * issuer's status list; and the clock floor. */
static void test_status_lists_and_clock_floor(void **state)
{
    static const char *URI = "https://ngo.example/status/1";
    fx *f = *state;
    nansen_status_list *l = NULL;
    nansen_verifier *v = verifier(f, f->clinic);
    nansen_referral r;
    nansen_grant_params gpar;
    nansen_credential *cred = NULL;
    nansen_verdict *d = NULL;
    uint8_t *ref, *g, *tok;
    size_t ref_len, len, tok_len;
    uint32_t idx = 0;
    const char *uri;
    uint64_t ridx;
    int checked, stale_ok;
    int64_t as_of, age;
    nansen_err st;

    assert_int_equal(nansen_status_list_create(f->ctx, &l, URI, 2, 1024),
                     NANSEN_OK);
    assert_int_equal(nansen_status_list_allocate(l, &idx), NANSEN_OK);
    full_referral(&r);
    r.status_uri = URI;
    r.status_idx = idx;
    ref = issue(f, f->ngo, f->holder, &r, &ref_len);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);
    assert_int_equal(nansen_credential_status(cred, &uri, &ridx), NANSEN_OK);
    assert_string_equal(uri, URI);
    assert_int_equal(ridx, idx);
    nansen_credential_free(cred);
    grant_params(&gpar, f->clinic_did);
    g = grant(f, f->holder, ref, ref_len, &gpar, &len);

    /* no list for its URI: status unknown */
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_STATUS_UNKNOWN);
    /* a list signed by an untrusted key is refused */
    tok = sign_status(f, l, f->other, NOW - 100, 0, 0, &tok_len);
    assert_int_equal(nansen_verifier_add_status_list(v, tok, tok_len),
                     NANSEN_ERR_POLICY);
    free(tok);
    /* valid as of the list's iat */
    tok = sign_status(f, l, f->ngo, NOW - 100, NOW + DAY, 3600, &tok_len);
    assert_int_equal(nansen_verifier_add_status_list(v, tok, tok_len),
                     NANSEN_OK);
    free(tok);
    assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
    assert_int_equal(nansen_verdict_reason(d), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verdict_status_list(d, &checked, &as_of, &age,
                                                &stale_ok), NANSEN_OK);
    assert_int_equal(checked, 1);
    assert_int_equal(as_of, NOW - 100);
    assert_int_equal(age, 100);
    assert_int_equal(stale_ok, 0);
    nansen_verdict_free(d);
    assert_int_equal(nansen_verifier_clock_floor(v), NOW - 100);

    /* stale exactly at iat + ttl; accepted within the policy's grace */
    nansen_verifier_set_time(v, NOW - 100 + 3600 - 1);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_ACCEPT);
    nansen_verifier_set_time(v, NOW - 100 + 3600);
    assert_int_equal(verify_with(v, g, len, &st), NANSEN_REASON_STATUS_STALE);
    assert_int_equal(st, NANSEN_ERR_STALE);
    assert_int_equal(nansen_verifier_set_status_policy(v, 0, 600), NANSEN_OK);
    assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
    assert_int_equal(nansen_verdict_reason(d), NANSEN_REASON_ACCEPT);
    assert_int_equal(nansen_verdict_status_list(d, &checked, &as_of, &age,
                                                &stale_ok), NANSEN_OK);
    assert_int_equal(stale_ok, 1);
    nansen_verdict_free(d);
    nansen_verifier_set_time(v, NOW - 100 + 3600 + 600);
    assert_int_equal(verify_with(v, g, len, NULL),
                     NANSEN_REASON_STATUS_STALE);
    assert_int_equal(nansen_verifier_set_status_policy(v, 0, 0), NANSEN_OK);
    nansen_verifier_set_time(v, NOW);

    /* suspended, then revoked, in newer lists; an older one is refused */
    assert_int_equal(nansen_status_list_set(l, idx, 2), NANSEN_OK);
    tok = sign_status(f, l, f->ngo, NOW - 50, 0, 0, &tok_len);
    assert_int_equal(nansen_verifier_add_status_list(v, tok, tok_len),
                     NANSEN_OK);
    free(tok);
    assert_int_equal(verify_with(v, g, len, &st), NANSEN_REASON_SUSPENDED);
    assert_int_equal(st, NANSEN_ERR_SUSPENDED);
    assert_int_equal(nansen_status_list_set(l, idx, 1), NANSEN_OK);
    tok = sign_status(f, l, f->ngo, NOW - 10, 0, 0, &tok_len);
    assert_int_equal(nansen_verifier_add_status_list(v, tok, tok_len),
                     NANSEN_OK);
    free(tok);
    assert_int_equal(verify_with(v, g, len, &st), NANSEN_REASON_REVOKED);
    assert_int_equal(st, NANSEN_ERR_REVOKED);
    assert_int_equal(nansen_status_list_set(l, idx, 0), NANSEN_OK);
    tok = sign_status(f, l, f->ngo, NOW - 20, 0, 0, &tok_len);
    assert_int_equal(nansen_verifier_add_status_list(v, tok, tok_len),
                     NANSEN_ERR_ROLLBACK);
    free(tok);
    assert_int_equal(verify_with(v, g, len, NULL), NANSEN_REASON_REVOKED);

    /* the clock floor: a device clock behind the newest list's iat */
    assert_int_equal(nansen_verifier_clock_floor(v), NOW - 10);
    nansen_verifier_raise_clock_floor(v, NOW + 1000);
    nansen_verifier_raise_clock_floor(v, NOW - 5000);     /* never lowers */
    assert_int_equal(nansen_verifier_clock_floor(v), NOW + 1000);
    assert_int_equal(verify_with(v, g, len, &st), NANSEN_REASON_CLOCK_BEHIND);
    nansen_verifier_set_time(v, NOW + 1000 - NANSEN_DEFAULT_SKEW);
    assert_int_not_equal(verify_with(v, g, len, NULL),
                         NANSEN_REASON_CLOCK_BEHIND);

    nansen_verifier_free(v);
    nansen_status_list_free(l);
    free(g);
    free(ref);
}

static void test_names_and_codes(void **state)
{
    nansen_claim c;
    int i;

    (void)state;
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++) {
        const char *name = nansen_claim_name((nansen_claim)i);

        assert_non_null(name);
        assert_int_equal(nansen_claim_from_name(name, strlen(name), &c),
                         NANSEN_OK);
        assert_int_equal(c, i);
        assert_true(nansen_claim_category((nansen_claim)i) >= 1);
    }
    assert_null(nansen_claim_name((nansen_claim)0));
    assert_null(nansen_claim_name((nansen_claim)11));
    assert_int_equal(nansen_claim_from_name("note", 4, &c),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_claim_category(NANSEN_CLAIM_NOTES), 3);
    assert_int_equal(nansen_claim_category(NANSEN_CLAIM_DEPENDENTS), 6);
    assert_int_equal(nansen_claim_category(NANSEN_CLAIM_INTERPRETER), 2);
    /* reason codes are the vocabulary ids with underscores */
    for (i = 0; i <= NANSEN_REASON_LAST; i++) {
        const char *code = nansen_reason_code((nansen_reason)i);
        const char *id = nansen_vocab_id(NANSEN_VOCAB_REASON, (uint32_t)i);
        size_t k;

        assert_non_null(code);
        assert_non_null(id);
        assert_int_equal(strlen(code), strlen(id));
        for (k = 0; id[k]; k++)
            assert_int_equal(code[k], id[k] == '-' ? '_' : id[k]);
    }
    assert_null(nansen_reason_code((nansen_reason)(NANSEN_REASON_LAST + 1)));
    assert_int_equal(nansen_credential_max_bytes(),
                     NANSEN_CREDENTIAL_MAX_BYTES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_codes),
        cmocka_unit_test(test_accept_exposes_exactly_the_disclosed),
        cmocka_unit_test(test_every_combination_of_disclosures),
        cmocka_unit_test(test_secp256k1_round_trip),
        cmocka_unit_test(test_short_id_audience),
        cmocka_unit_test(test_reject_policy_reasons),
        cmocka_unit_test(test_nonce),
        cmocka_unit_test(test_reject_signatures_and_binding),
        cmocka_unit_test(test_reject_disclosures),
        cmocka_unit_test(test_reject_category_not_covered),
        cmocka_unit_test(test_reject_forged_credentials),
        cmocka_unit_test(test_reject_structure),
        cmocka_unit_test(test_every_bit_flip_rejected),
        cmocka_unit_test(test_grant_sign_refusals),
        cmocka_unit_test(test_issue_refusals),
        cmocka_unit_test(test_holder_view),
        cmocka_unit_test(test_notice_matches_grant),
        cmocka_unit_test(test_grant_decode),
        cmocka_unit_test(test_qr_budget),
        cmocka_unit_test(test_audience_role),
        cmocka_unit_test(test_trustlist_and_withdrawals),
        cmocka_unit_test(test_status_lists_and_clock_floor),
    };
    return cmocka_run_group_tests_name("referral", tests, setup, teardown);
}
