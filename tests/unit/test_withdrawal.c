/* test_withdrawal.c - withdrawals of consent grants and the withdrawal
 * store: sign and verify with both key types, refusal of withdrawals by
 * any other key on every path, order-independent merging, store files that
 * survive a save and load and are refused when damaged.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "testutil.h"
#include "internal/cbor.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define DAY 86400LL
#define GRANT_IAT (T0 + 3600)
#define WHEN (T0 + 2 * DAY)        /* the holder withdraws */

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo, *holder, *clinic, *other, *secp_holder, *secp_other;
    nansen_key *holder_pub;        /* the holder's key without its secret */
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
    size_t n;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->ngo = seed_key(f->ctx, NANSEN_KEY_ED25519, 1);
    f->holder = seed_key(f->ctx, NANSEN_KEY_ED25519, 2);
    f->clinic = seed_key(f->ctx, NANSEN_KEY_ED25519, 3);
    f->other = seed_key(f->ctx, NANSEN_KEY_ED25519, 6);
    f->secp_holder = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 8);
    f->secp_other = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 9);
    if (nansen_key_public_copy(f->ctx, &f->holder_pub, f->holder) !=
        NANSEN_OK)
        return -1;
    n = sizeof f->clinic_did;
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
    nansen_key_free(f->other);
    nansen_key_free(f->secp_holder);
    nansen_key_free(f->secp_other);
    nansen_key_free(f->holder_pub);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- builders ---- */

/* A referral to holder and a grant signed by it; variant changes the
 * grant's signing time, so that each variant is another grant. */
static uint8_t *make_grant(fx *f, const nansen_key *holder, int variant,
                           size_t *len)
{
    static const uint8_t seed[32] = {42};
    static const uint32_t cats[] = {2, 3};   /* language, health */
    nansen_referral r;
    nansen_issue_params ip;
    nansen_grant_params gp;
    nansen_credential *cred = NULL;
    uint8_t *ref, *out;
    size_t ref_len = 0;

    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Nightmares since the crossing";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&ip, 0, sizeof ip);
    ip.iat = T0;
    ip.exp = T0 + 30 * DAY;
    ip.salt_seed = seed;
    ip.budget.max_version = -1;
    assert_int_equal(nansen_referral_issue(f->ctx, NULL, &ref_len, f->ngo,
                                           holder, &r, &ip), NANSEN_OK);
    assert_non_null(ref = malloc(ref_len));
    assert_int_equal(nansen_referral_issue(f->ctx, ref, &ref_len, f->ngo,
                                           holder, &r, &ip), NANSEN_OK);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);

    memset(&gp, 0, sizeof gp);
    gp.budget.max_version = -1;
    gp.audience = f->clinic_did;
    gp.purpose = 1;
    gp.categories = cats;
    gp.category_count = 2;
    gp.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE);
    gp.iat = GRANT_IAT + variant;
    gp.exp = GRANT_IAT + 7 * DAY;
    gp.notice_lang = "en";
    *len = 0;
    assert_int_equal(nansen_grant_sign(f->ctx, NULL, len, holder, cred, &gp),
                     NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_grant_sign(f->ctx, out, len, holder, cred, &gp),
                     NANSEN_OK);
    nansen_credential_free(cred);
    free(ref);
    return out;
}

static uint8_t *withdraw(fx *f, const nansen_key *holder, const uint8_t *g,
                         size_t g_len, int64_t when, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    assert_int_equal(nansen_withdrawal_sign(f->ctx, NULL, &need, holder, g,
                                            g_len, when), NANSEN_OK);
    assert_true(need > 0 && need <= NANSEN_WITHDRAWAL_MAX_BYTES);
    assert_non_null(out = malloc(need));
    *len = need;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, out, len, holder, g,
                                            g_len, when), NANSEN_OK);
    assert_int_equal(*len, need);
    return out;
}

static void sha256(uint8_t out[32], const uint8_t *in, size_t len)
{
    crypto_hash_sha256(out, in, len);
}

/* A withdrawal written by hand, to forge what the API refuses to make. */
typedef struct forge {
    const nansen_key *signer;      /* signs the message */
    const nansen_key *cnf;         /* the key in cnf */
    unsigned int cnf_flags;        /* COSE_Key flags (WITH_KID: not canonical) */
    uint8_t digest[40];
    size_t digest_len;
    int64_t iat, exp;
    int profile;
    int omit;                      /* a claim key to leave out, or 0 */
    int extra_claim;               /* 1: add claim 7 (cti) */
    int typ_uint;                  /* 1: typ 294 instead of the text */
    int with_kid;                  /* 1: a protected kid */
    int unprotected;               /* 1: an unprotected header label */
    int untagged;
} forge;

static void forge_defaults(forge *p, const nansen_key *key,
                           const uint8_t digest[32])
{
    memset(p, 0, sizeof *p);
    p->signer = p->cnf = key;
    memcpy(p->digest, digest, 32);
    p->digest_len = 32;
    p->iat = WHEN;
    p->exp = GRANT_IAT + 7 * DAY;
    p->profile = 1;
}

static uint8_t *forge_make(fx *f, const forge *p, size_t *len)
{
    uint8_t cnf[NANSEN_COSE_KEY_MAX_BYTES], payload[256], kid[8];
    uint8_t cti[8] = {1, 2, 3, 4, 5, 6, 7, 8}, *out;
    static const uint8_t hval[] = {0x41, 0x00};   /* h'00' */
    size_t cnf_len = sizeof cnf, payload_len = 0, n;
    nansen_cose_sign1_params cp;
    nansen_cose_header h;
    nansen__cbw w;

    assert_int_equal(nansen_cose_key_encode(f->ctx, cnf, &cnf_len, p->cnf,
                                            p->cnf_flags), NANSEN_OK);
    n = 4 - (p->omit != 0) + (size_t)p->extra_claim;
    nansen__cbw_init(&w, payload, sizeof payload);
    nansen__cbw_map(&w, n);
    if (p->omit != 4) {
        nansen__cbw_uint(&w, 4);
        nansen__cbw_int(&w, p->exp);
    }
    if (p->omit != 6) {
        nansen__cbw_uint(&w, 6);
        nansen__cbw_int(&w, p->iat);
    }
    if (p->extra_claim) {
        nansen__cbw_uint(&w, 7);
        nansen__cbw_bytes(&w, cti, sizeof cti);
    }
    if (p->omit != 8) {
        nansen__cbw_uint(&w, 8);
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_raw(&w, cnf, cnf_len);
        nansen__cbw_map_end(&w);
    }
    if (p->omit != -65537) {
        nansen__cbw_int(&w, -65537);
        nansen__cbw_map(&w, 2);
        nansen__cbw_uint(&w, 0);
        nansen__cbw_uint(&w, (uint64_t)p->profile);
        nansen__cbw_uint(&w, 1);
        nansen__cbw_bytes(&w, p->digest, p->digest_len);
        nansen__cbw_map_end(&w);
    }
    nansen__cbw_map_end(&w);
    assert_int_equal(nansen__cbw_finish(&w, &payload_len), NANSEN_OK);

    memset(&cp, 0, sizeof cp);
    cp.typ.present = 1;
    if (p->typ_uint) {
        cp.typ.uint = 294;
    } else {
        cp.typ.text = NANSEN_WITHDRAWAL_TYP;
        cp.typ.text_len = strlen(NANSEN_WITHDRAWAL_TYP);
    }
    if (p->with_kid) {
        assert_int_equal(nansen_key_id(p->signer, kid), NANSEN_OK);
        cp.kid = kid;
        cp.kid_len = sizeof kid;
    }
    if (p->unprotected) {
        h.label = 99;
        h.value = hval;
        h.value_len = sizeof hval;
        cp.unprotected_extra = &h;
        cp.unprotected_extra_count = 1;
    }
    cp.untagged = p->untagged;
    *len = 0;
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, NULL, len, p->signer, &cp,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_cose_sign1_sign(f->ctx, out, len, p->signer, &cp,
                                            payload, payload_len, NULL, 0),
                     NANSEN_OK);
    return out;
}

/* A store file written by hand around the given entries, in the given
 * order, with its correct check value. */
static uint8_t *store_file(const uint8_t *const *entries, const size_t *lens,
                           size_t n, uint64_t version, size_t *len)
{
    uint8_t *out;
    size_t cap = 64, i;
    nansen__cbw w;

    for (i = 0; i < n; i++)
        cap += lens[i] + 3;
    assert_non_null(out = malloc(cap));
    nansen__cbw_init(&w, out, cap);
    nansen__cbw_tag(&w, 55799);
    nansen__cbw_array(&w, 4);
    nansen__cbw_text(&w, "nansen-withdrawals", 18);
    nansen__cbw_uint(&w, version);
    nansen__cbw_array(&w, n);
    for (i = 0; i < n; i++)
        nansen__cbw_bytes(&w, entries[i], lens[i]);
    assert_int_equal(w.err, NANSEN_OK);
    {
        uint8_t h[32];

        sha256(h, out, w.len);
        nansen__cbw_bytes(&w, h, 8);
    }
    assert_int_equal(nansen__cbw_finish(&w, len), NANSEN_OK);
    return out;
}

static uint8_t *serialize(const nansen_withdrawal_store *s, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    assert_int_equal(nansen_withdrawal_store_serialize(s, NULL, &need),
                     NANSEN_OK);
    assert_non_null(out = malloc(need));
    *len = need;
    assert_int_equal(nansen_withdrawal_store_serialize(s, out, len),
                     NANSEN_OK);
    assert_int_equal(*len, need);
    return out;
}

static nansen_withdrawal_store *new_store(fx *f)
{
    nansen_withdrawal_store *s = NULL;

    assert_int_equal(nansen_withdrawal_store_create(f->ctx, &s), NANSEN_OK);
    assert_non_null(s);
    return s;
}

/* The store's bytes equal want. */
static void assert_store_is(const nansen_withdrawal_store *s,
                            const uint8_t *want, size_t want_len)
{
    size_t len;
    uint8_t *got = serialize(s, &len);

    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, len);
    free(got);
}

static const nansen_key *grant_holder(const nansen_grant *g)
{
    return nansen_credential_holder(nansen_grant_credential(g));
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void assert_file_is(const char *path, const uint8_t *data, size_t len)
{
    size_t got_len = 0;
    char *got = tu_read_file(path, &got_len);

    assert_non_null(got);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, data, len);
    free(got);
}

/* A small deterministic generator for shuffles and splits. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static void shuffle(size_t *a, size_t n)
{
    size_t i;

    for (i = n; i > 1; i--) {
        size_t j = rng() % i, t = a[i - 1];

        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* ---- tests ---- */

static void round_trip(fx *f, const nansen_key *holder)
{
    uint8_t *g, *w, *w2;
    size_t g_len, w_len, w2_len;
    nansen_grant *grant = NULL;
    nansen_withdrawal *dec = NULL;
    int64_t iat = 0, exp = 0, gexp = 0;
    int version = 0;

    g = make_grant(f, holder, 0, &g_len);
    w = withdraw(f, holder, g, g_len, WHEN, &w_len);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, w, w_len, g, g_len),
                     NANSEN_OK);

    /* the decoded view names the grant, the time and the holder */
    assert_int_equal(nansen_grant_decode(f->ctx, &grant, g, g_len),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_decode(f->ctx, &dec, w, w_len),
                     NANSEN_OK);
    assert_memory_equal(nansen_withdrawal_grant_digest(dec),
                        nansen_grant_digest(grant), NANSEN_DIGEST_BYTES);
    nansen_withdrawal_times(dec, &iat, &exp);
    nansen_grant_times(grant, NULL, NULL, &gexp);
    assert_int_equal(iat, WHEN);
    assert_int_equal(exp, gexp);
    assert_true(nansen_key_equal(nansen_withdrawal_holder(dec), holder));
    assert_true(nansen_key_equal(nansen_withdrawal_holder(dec),
                                 grant_holder(grant)));
    assert_false(nansen_key_has_secret(nansen_withdrawal_holder(dec)));

    /* small: a QR code of version 11 at level M at most */
    assert_int_equal(nansen_qr_version_of_token(w, w_len, NANSEN_QR_ECC_M,
                                                &version), NANSEN_OK);
    assert_true(version <= 11);
    print_message("withdrawal (%s): %zu bytes, QR version %d at M\n",
                  nansen_key_get_type(holder) == NANSEN_KEY_ED25519
                      ? "Ed25519" : "secp256k1",
                  w_len, version);

    /* deterministic signatures: the same withdrawal twice */
    w2 = withdraw(f, holder, g, g_len, WHEN, &w2_len);
    assert_int_equal(w2_len, w_len);
    assert_memory_equal(w, w2, w_len);

    /* the public key alone verifies, and with the grant's own copy */
    assert_int_equal(nansen_withdrawal_verify(f->ctx, w, w_len, g, g_len),
                     NANSEN_OK);
    nansen_withdrawal_free(dec);
    nansen_grant_free(grant);
    free(w2);
    free(w);
    free(g);
}

static void test_round_trip_ed25519(void **state)
{
    round_trip(*state, ((fx *)*state)->holder);
}

static void test_round_trip_secp256k1(void **state)
{
    round_trip(*state, ((fx *)*state)->secp_holder);
}

static void test_sign_refusals(void **state)
{
    fx *f = *state;
    uint8_t *g, buf[NANSEN_WITHDRAWAL_MAX_BYTES];
    size_t g_len, len, need = 0;

    g = make_grant(f, f->holder, 0, &g_len);
    /* not the grant's holder */
    len = sizeof buf;
    memset(buf, 0xaa, sizeof buf);
    assert_int_equal(nansen_withdrawal_sign(f->ctx, buf, &len, f->other, g,
                                            g_len, WHEN),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);       /* zeroed */
    len = sizeof buf;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, buf, &len,
                                            f->secp_holder, g, g_len, WHEN),
                     NANSEN_ERR_KEY_MISMATCH);
    /* no secret */
    len = sizeof buf;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, buf, &len, f->holder_pub,
                                            g, g_len, WHEN),
                     NANSEN_ERR_NO_SECRET_KEY);
    /* bad time, bad arguments */
    len = sizeof buf;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, buf, &len, f->holder, g,
                                            g_len, 0),
                     NANSEN_ERR_INVALID_ARG);
    /* not a grant */
    len = sizeof buf;
    assert_int_not_equal(nansen_withdrawal_sign(f->ctx, buf, &len, f->holder,
                                                g, g_len - 1, WHEN),
                         NANSEN_OK);
    assert_int_equal(len, 0);
    /* a buffer too small says how much is needed */
    assert_int_equal(nansen_withdrawal_sign(f->ctx, NULL, &need, f->holder, g,
                                            g_len, WHEN), NANSEN_OK);
    len = need - 1;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, buf, &len, f->holder, g,
                                            g_len, WHEN),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    free(g);
}

/* A withdrawal signed by another key than the grant's holder never
 * withdraws the grant: not through verify, not through a store. */
static void test_other_key_refused_everywhere(void **state)
{
    fx *f = *state;
    nansen_withdrawal_store *s = new_store(f);
    nansen_grant *grant = NULL;
    uint8_t *g, *own, *self_signed, *wrong_sig, *wrong_alg, *file, *before;
    uint8_t digest[32];
    const uint8_t *entries[2];
    size_t g_len, own_len, ss_len, ws_len, wa_len, file_len, before_len;
    size_t lens[2], added = 7;
    int64_t at = -1;
    forge p;

    g = make_grant(f, f->holder, 0, &g_len);
    assert_int_equal(nansen_grant_decode(f->ctx, &grant, g, g_len),
                     NANSEN_OK);
    sha256(digest, g, g_len);
    assert_memory_equal(digest, nansen_grant_digest(grant), 32);

    /* 1. self-consistent, by another key, naming the grant (and earlier
     *    than the holder's own withdrawal, to try to displace it) */
    forge_defaults(&p, f->other, digest);
    p.iat = WHEN - DAY;
    self_signed = forge_make(f, &p, &ss_len);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, self_signed, ss_len, g,
                                              g_len),
                     NANSEN_ERR_KEY_MISMATCH);
    /* 2. the holder's key in cnf, signed by another key */
    forge_defaults(&p, f->holder, digest);
    p.signer = f->other;
    wrong_sig = forge_make(f, &p, &ws_len);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, wrong_sig, ws_len, g,
                                              g_len),
                     NANSEN_ERR_BAD_SIGNATURE);
    /* 3. the holder's key in cnf, signed by a secp256k1 key */
    p.signer = f->secp_other;
    wrong_alg = forge_make(f, &p, &wa_len);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, wrong_alg, wa_len, g,
                                              g_len),
                     NANSEN_ERR_ALG_MISMATCH);

    /* the store refuses what does not verify with its own key, and is
     * left as it was */
    assert_int_equal(nansen_withdrawal_store_add(s, wrong_sig, ws_len,
                                                 &added),
                     NANSEN_ERR_BAD_SIGNATURE);
    assert_int_equal(added, 0);
    assert_int_equal(nansen_withdrawal_store_add(s, wrong_alg, wa_len, NULL),
                     NANSEN_ERR_ALG_MISMATCH);
    assert_int_equal(nansen_withdrawal_store_count(s), 0);

    /* a self-consistent one is filed under its own key, where it never
     * matches this grant */
    assert_int_equal(nansen_withdrawal_store_add(s, self_signed, ss_len,
                                                 &added), NANSEN_OK);
    assert_int_equal(added, 1);
    assert_int_equal(nansen_withdrawal_store_check(s, digest, f->holder, &at),
                     NANSEN_OK);
    assert_int_equal(at, 0);
    assert_int_equal(nansen_withdrawal_store_check(s, digest, f->holder_pub,
                                                   NULL), NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_check_grant(s, grant, &at),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_check(s, digest, f->other, &at),
                     NANSEN_ERR_WITHDRAWN);   /* only for its own key */

    /* the holder's own withdrawal is not displaced by the earlier one */
    own = withdraw(f, f->holder, g, g_len, WHEN, &own_len);
    assert_int_equal(nansen_withdrawal_store_add(s, own, own_len, &added),
                     NANSEN_OK);
    assert_int_equal(added, 1);
    assert_int_equal(nansen_withdrawal_store_count(s), 2);
    assert_int_equal(nansen_withdrawal_store_check(s, digest, f->holder_pub,
                                                   &at),
                     NANSEN_ERR_WITHDRAWN);
    assert_int_equal(at, WHEN);
    assert_int_equal(nansen_withdrawal_store_check_grant(s, grant, &at),
                     NANSEN_ERR_WITHDRAWN);
    /* and not by the other key's in another order */
    {
        nansen_withdrawal_store *s2 = new_store(f);
        size_t a_len, b_len;
        uint8_t *a, *b;

        assert_int_equal(nansen_withdrawal_store_add(s2, own, own_len, NULL),
                         NANSEN_OK);
        assert_int_equal(nansen_withdrawal_store_add(s2, self_signed, ss_len,
                                                     NULL), NANSEN_OK);
        a = serialize(s, &a_len);
        b = serialize(s2, &b_len);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        free(a);
        free(b);
        nansen_withdrawal_store_free(s2);
    }

    /* a store file with a forged entry adds nothing, not even its good
     * entries */
    before = serialize(s, &before_len);
    {
        nansen_withdrawal_store *empty = new_store(f);

        entries[0] = own;
        lens[0] = own_len;
        entries[1] = wrong_sig;
        lens[1] = ws_len;
        /* (both have one identity; the bad signature is found first) */
        file = store_file(entries, lens, 2, 1, &file_len);
        assert_int_equal(nansen_withdrawal_store_add(empty, file, file_len,
                                                     &added),
                         NANSEN_ERR_BAD_SIGNATURE);
        assert_int_equal(added, 0);
        assert_int_equal(nansen_withdrawal_store_count(empty), 0);
        assert_int_equal(nansen_withdrawal_store_check(empty, digest,
                                                       f->holder, NULL),
                         NANSEN_OK);
        free(file);
        nansen_withdrawal_store_free(empty);
    }
    assert_store_is(s, before, before_len);

    free(before);
    free(own);
    free(self_signed);
    free(wrong_sig);
    free(wrong_alg);
    nansen_grant_free(grant);
    free(g);
    nansen_withdrawal_store_free(s);
}

static void test_other_grant_does_not_match(void **state)
{
    fx *f = *state;
    nansen_withdrawal_store *s = new_store(f);
    uint8_t *a, *b, *wa;
    uint8_t da[32], db[32];
    size_t a_len, b_len, wa_len;

    a = make_grant(f, f->holder, 0, &a_len);
    b = make_grant(f, f->holder, 1, &b_len);
    sha256(da, a, a_len);
    sha256(db, b, b_len);
    assert_memory_not_equal(da, db, 32);
    wa = withdraw(f, f->holder, a, a_len, WHEN, &wa_len);

    assert_int_equal(nansen_withdrawal_verify(f->ctx, wa, wa_len, a, a_len),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, wa, wa_len, b, b_len),
                     NANSEN_ERR_DIGEST_MISMATCH);
    assert_int_equal(nansen_withdrawal_store_add(s, wa, wa_len, NULL),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_check(s, da, f->holder, NULL),
                     NANSEN_ERR_WITHDRAWN);
    assert_int_equal(nansen_withdrawal_store_check(s, db, f->holder, NULL),
                     NANSEN_OK);
    /* the same grant digest under the other key type does not match */
    assert_int_equal(nansen_withdrawal_store_check(s, da, f->secp_holder,
                                                   NULL), NANSEN_OK);
    /* the grant's own bytes, one bit off, are another grant */
    a[a_len - 1] ^= 1;
    assert_int_not_equal(nansen_withdrawal_verify(f->ctx, wa, wa_len, a,
                                                  a_len), NANSEN_OK);
    free(wa);
    free(a);
    free(b);
    nansen_withdrawal_store_free(s);
}

/* The withdrawals of the order test: real ones, forged but valid ones
 * for other digests, several signers for one digest, two withdrawals by
 * one key for one grant at different times, and two at the same time
 * that differ only in their bytes. */
#define NW 16
static size_t make_set(fx *f, uint8_t *w[NW], size_t len[NW],
                       size_t *distinct)
{
    uint8_t *g1, *g2, d[32];
    size_t g1_len, g2_len, n = 0, i;
    forge p;

    g1 = make_grant(f, f->holder, 0, &g1_len);
    g2 = make_grant(f, f->secp_holder, 0, &g2_len);
    w[n] = withdraw(f, f->holder, g1, g1_len, WHEN, &len[n]);
    n++;
    w[n] = withdraw(f, f->holder, g1, g1_len, WHEN + 60, &len[n]); /* later */
    n++;
    w[n] = withdraw(f, f->secp_holder, g2, g2_len, WHEN, &len[n]);
    n++;
    w[n] = withdraw(f, f->secp_holder, g2, g2_len, WHEN - 60, &len[n]);
    n++;                                                   /* earlier */
    /* other signers for g1's digest */
    sha256(d, g1, g1_len);
    forge_defaults(&p, f->other, d);
    w[n] = forge_make(f, &p, &len[n]);
    n++;
    forge_defaults(&p, f->secp_other, d);
    w[n] = forge_make(f, &p, &len[n]);
    n++;
    /* same key, digest and time: differ in exp only (tie on bytes) */
    memset(d, 0x77, sizeof d);
    forge_defaults(&p, f->other, d);
    w[n] = forge_make(f, &p, &len[n]);
    n++;
    p.exp += 1;
    w[n] = forge_make(f, &p, &len[n]);
    n++;
    /* other grants */
    for (i = 0; n < NW; i++) {
        size_t k;

        for (k = 0; k < sizeof d; k++)
            d[k] = (uint8_t)rng();
        forge_defaults(&p, i % 2 ? f->secp_other : f->other, d);
        p.iat = WHEN + (int64_t)i;
        w[n] = forge_make(f, &p, &len[n]);
        n++;
    }
    *distinct = NW - 3;   /* three pairs share an identity */
    free(g1);
    free(g2);
    return n;
}

static void test_merge_any_order_same_bytes(void **state)
{
    fx *f = *state;
    uint8_t *w[NW], *ref, *got;
    size_t len[NW], order[NW], n, distinct, ref_len, got_len, i, round;
    nansen_withdrawal_store *s;

    n = make_set(f, w, len, &distinct);
    /* the reference: in the order made */
    s = new_store(f);
    for (i = 0; i < n; i++)
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], NULL),
                         NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_count(s), distinct);
    ref = serialize(s, &ref_len);
    /* the earlier of two by one key is kept */
    {
        nansen_withdrawal_entry e;
        size_t k, found = 0;

        for (k = 0; k < nansen_withdrawal_store_count(s); k++) {
            assert_int_equal(nansen_withdrawal_store_entry(s, k, &e),
                             NANSEN_OK);
            if (e.withdrawal_len == len[1] &&
                memcmp(e.withdrawal, w[1], len[1]) == 0)
                fail_msg("the later withdrawal was kept");
            if (e.withdrawal_len == len[3] &&
                memcmp(e.withdrawal, w[3], len[3]) == 0)
                found++;
            if (k > 0) {
                nansen_withdrawal_entry prev;

                assert_int_equal(nansen_withdrawal_store_entry(s, k - 1,
                                                               &prev),
                                 NANSEN_OK);
                assert_true(memcmp(prev.grant_digest, e.grant_digest, 32) <=
                            0);
            }
        }
        assert_int_equal(found, 1);
        /* of two at one time, the lower bytes */
        {
            int lower7 = len[7] < len[6] ||
                         (len[7] == len[6] &&
                          memcmp(w[7], w[6], len[6]) < 0);
            size_t keep = lower7 ? 7 : 6, drop = lower7 ? 6 : 7, seen = 0;

            for (k = 0; k < nansen_withdrawal_store_count(s); k++) {
                assert_int_equal(nansen_withdrawal_store_entry(s, k, &e),
                                 NANSEN_OK);
                if (e.withdrawal_len == len[drop] &&
                    memcmp(e.withdrawal, w[drop], len[drop]) == 0)
                    fail_msg("the higher bytes were kept");
                if (e.withdrawal_len == len[keep] &&
                    memcmp(e.withdrawal, w[keep], len[keep]) == 0)
                    seen++;
            }
            assert_int_equal(seen, 1);
        }
        assert_int_equal(nansen_withdrawal_store_entry(s, k, &e),
                         NANSEN_ERR_INVALID_ARG);
    }
    nansen_withdrawal_store_free(s);

    for (i = 0; i < n; i++)
        order[i] = i;
    for (round = 0; round < 50; round++) {
        nansen_withdrawal_store *parts[5];
        size_t nparts = 2 + rng() % 4, porder[5], k;

        /* one store, one by one */
        shuffle(order, n);
        s = new_store(f);
        for (i = 0; i < n; i++)
            assert_int_equal(nansen_withdrawal_store_add(s, w[order[i]],
                                                         len[order[i]], NULL),
                             NANSEN_OK);
        got = serialize(s, &got_len);
        assert_int_equal(got_len, ref_len);
        assert_memory_equal(got, ref, ref_len);
        free(got);
        nansen_withdrawal_store_free(s);

        /* split across stores (some withdrawals in several), merged in a
         * random order, some through their files */
        shuffle(order, n);
        for (k = 0; k < nparts; k++) {
            parts[k] = new_store(f);
            porder[k] = k;
        }
        for (i = 0; i < n; i++) {
            k = rng() % nparts;
            assert_int_equal(nansen_withdrawal_store_add(parts[k],
                                                         w[order[i]],
                                                         len[order[i]], NULL),
                             NANSEN_OK);
            if (rng() % 4 == 0)
                assert_int_equal(nansen_withdrawal_store_add(
                                     parts[(k + 1) % nparts], w[order[i]],
                                     len[order[i]], NULL),
                                 NANSEN_OK);
        }
        shuffle(porder, nparts);
        s = new_store(f);
        for (k = 0; k < nparts; k++) {
            if (rng() % 2) {
                assert_int_equal(nansen_withdrawal_store_merge(
                                     s, parts[porder[k]], NULL),
                                 NANSEN_OK);
            } else {
                uint8_t *file;
                size_t file_len;

                file = serialize(parts[porder[k]], &file_len);
                assert_int_equal(nansen_withdrawal_store_add(s, file,
                                                             file_len, NULL),
                                 NANSEN_OK);
                free(file);
            }
        }
        got = serialize(s, &got_len);
        assert_int_equal(got_len, ref_len);
        assert_memory_equal(got, ref, ref_len);
        free(got);
        /* merging the other way round gives the same too */
        {
            nansen_withdrawal_store *t = new_store(f);

            for (k = nparts; k-- > 0;)
                assert_int_equal(nansen_withdrawal_store_merge(
                                     t, parts[porder[k]], NULL),
                                 NANSEN_OK);
            assert_store_is(t, ref, ref_len);
            nansen_withdrawal_store_free(t);
        }
        for (k = 0; k < nparts; k++)
            nansen_withdrawal_store_free(parts[k]);
        nansen_withdrawal_store_free(s);
    }
    for (i = 0; i < n; i++)
        free(w[i]);
    free(ref);
}

static void test_duplicates_idempotent(void **state)
{
    fx *f = *state;
    uint8_t *w[NW], *ref, *file;
    size_t len[NW], n, distinct, ref_len, file_len, i, added = 9;
    nansen_withdrawal_store *s = new_store(f), *copy = new_store(f);

    n = make_set(f, w, len, &distinct);
    for (i = 0; i < n; i++)
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], NULL),
                         NANSEN_OK);
    ref = serialize(s, &ref_len);
    /* each withdrawal again: nothing changes */
    for (i = 0; i < n; i++) {
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], &added),
                         NANSEN_OK);
        assert_int_equal(added, 0);
    }
    assert_store_is(s, ref, ref_len);
    /* its own file, itself, a copy */
    file = serialize(s, &file_len);
    assert_int_equal(nansen_withdrawal_store_add(s, file, file_len, &added),
                     NANSEN_OK);
    assert_int_equal(added, 0);
    assert_int_equal(nansen_withdrawal_store_merge(s, s, &added), NANSEN_OK);
    assert_int_equal(added, 0);
    assert_int_equal(nansen_withdrawal_store_add(copy, file, file_len,
                                                 &added), NANSEN_OK);
    assert_int_equal(added, distinct);
    assert_int_equal(nansen_withdrawal_store_merge(s, copy, &added),
                     NANSEN_OK);
    assert_int_equal(added, 0);
    assert_store_is(s, ref, ref_len);
    assert_store_is(copy, ref, ref_len);
    free(file);
    for (i = 0; i < n; i++)
        free(w[i]);
    free(ref);
    nansen_withdrawal_store_free(s);
    nansen_withdrawal_store_free(copy);
}

static void test_save_load_round_trip(void **state)
{
    fx *f = *state;
    uint8_t *w[NW], *ref, *file;
    size_t len[NW], n, distinct, ref_len, file_len, i;
    nansen_withdrawal_store *s = new_store(f), *loaded = NULL;
    char path[4200], missing[4200];
    struct stat st;

    n = make_set(f, w, len, &distinct);
    for (i = 0; i < n; i++)
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], NULL),
                         NANSEN_OK);
    ref = serialize(s, &ref_len);
    snprintf(path, sizeof path, "%s/withdrawals.cbor", tu_tmpdir());
    snprintf(missing, sizeof missing, "%s/no-such-dir/w.cbor", tu_tmpdir());
    (void)remove(path);

    assert_int_equal(nansen_withdrawal_store_save(s, path, 0), NANSEN_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_file_is(path, ref, ref_len);
    /* no silent overwrite */
    assert_int_equal(nansen_withdrawal_store_save(s, path, 0),
                     NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_withdrawal_store_save(s, path, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_withdrawal_store_save(s, missing, 0),
                     NANSEN_ERR_NOT_FOUND);

    assert_int_equal(nansen_withdrawal_store_load(f->ctx, &loaded, path),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_count(loaded), distinct);
    assert_store_is(loaded, ref, ref_len);
    /* what was withdrawn still is */
    for (i = 0; i < n; i++) {
        nansen_withdrawal *d = NULL;

        assert_int_equal(nansen_withdrawal_decode(f->ctx, &d, w[i], len[i]),
                         NANSEN_OK);
        assert_int_equal(nansen_withdrawal_store_check(
                             loaded, nansen_withdrawal_grant_digest(d),
                             nansen_withdrawal_holder(d), NULL),
                         NANSEN_ERR_WITHDRAWN);
        nansen_withdrawal_free(d);
    }

    /* replace after a change; then load the new file */
    assert_int_equal(nansen_withdrawal_store_forget_expired(loaded, INT64_MAX,
                                                            &i), NANSEN_OK);
    assert_int_equal(i, distinct);
    assert_int_equal(nansen_withdrawal_store_save(loaded, path,
                                                  NANSEN_SAVE_OVERWRITE),
                     NANSEN_OK);
    nansen_withdrawal_store_free(loaded);
    loaded = NULL;
    assert_int_equal(nansen_withdrawal_store_load(f->ctx, &loaded, path),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_count(loaded), 0);
    file = serialize(loaded, &file_len);
    assert_file_is(path, file, file_len);
    free(file);
    nansen_withdrawal_store_free(loaded);
    loaded = (nansen_withdrawal_store *)1;
    assert_int_equal(nansen_withdrawal_store_load(f->ctx, &loaded, missing),
                     NANSEN_ERR_NOT_FOUND);
    assert_null(loaded);

    for (i = 0; i < n; i++)
        free(w[i]);
    free(ref);
    (void)remove(path);
    nansen_withdrawal_store_free(s);
}

/* ---- crash safety ---- */

typedef struct crash_fx {
    fx *f;
    const char *path;
    nansen_withdrawal_store *store[2];   /* old: 4 entries; new: all */
    uint8_t *bytes[2];
    size_t len[2];
} crash_fx;

static int crash_save(void *arg, int v)
{
    crash_fx *c = arg;

    return nansen_withdrawal_store_save(c->store[v], c->path,
                                        NANSEN_SAVE_OVERWRITE) == NANSEN_OK
               ? 0
               : -1;
}

static int crash_check(void *arg)
{
    crash_fx *c = arg;
    nansen_withdrawal_store *loaded = NULL;
    uint8_t *got;
    size_t got_len;
    int v;

    assert_int_equal(nansen_withdrawal_store_load(c->f->ctx, &loaded,
                                                  c->path), NANSEN_OK);
    got = serialize(loaded, &got_len);
    for (v = 0; v < 2; v++)
        if (got_len == c->len[v] && memcmp(got, c->bytes[v], got_len) == 0)
            break;
    assert_true(v < 2);              /* the old content or the new one */
    free(got);
    nansen_withdrawal_store_free(loaded);
    return v;
}

/* A verifier saving its store is killed at random moments, 300 times:
 * the store always loads, as the old or the new set of withdrawals. */
static void test_crash_during_save(void **state)
{
    fx *f = *state;
    uint8_t *w[NW];
    size_t len[NW], n, distinct, i;
    char path[4200];
    crash_fx c;
    int v;

    memset(&c, 0, sizeof c);
    c.f = f;
    c.path = path;
    snprintf(path, sizeof path, "%s/crash-withdrawals.cbor", tu_tmpdir());
    n = make_set(f, w, len, &distinct);
    for (v = 0; v < 2; v++) {
        c.store[v] = new_store(f);
        for (i = 0; i < (v == 0 ? 4 : n); i++)
            assert_int_equal(nansen_withdrawal_store_add(c.store[v], w[i],
                                                         len[i], NULL),
                             NANSEN_OK);
        c.bytes[v] = serialize(c.store[v], &c.len[v]);
    }
    assert_true(c.len[0] < c.len[1]);

    (void)tu_crash_rounds(path, 300, crash_save, crash_check, &c);

    for (v = 0; v < 2; v++) {
        nansen_withdrawal_store_free(c.store[v]);
        free(c.bytes[v]);
    }
    for (i = 0; i < n; i++)
        free(w[i]);
    (void)remove(path);
}

/* Load bytes written to path: must fail with a status, leave the file as
 * it was, and give no store; the same bytes added to a store change
 * nothing. Returns the status. */
static nansen_err load_refused(fx *f, const char *path, const uint8_t *data,
                               size_t len, nansen_withdrawal_store *victim,
                               const uint8_t *victim_bytes,
                               size_t victim_len)
{
    nansen_withdrawal_store *loaded = (nansen_withdrawal_store *)1;
    nansen_err err, err2;
    size_t added = 5;

    write_file(path, data, len);
    err = nansen_withdrawal_store_load(f->ctx, &loaded, path);
    assert_int_not_equal(err, NANSEN_OK);
    assert_null(loaded);
    assert_file_is(path, data, len);
    err2 = nansen_withdrawal_store_add(victim, data, len, &added);
    assert_int_not_equal(err2, NANSEN_OK);
    assert_int_equal(added, 0);
    assert_store_is(victim, victim_bytes, victim_len);
    return err;
}

static void test_damaged_files_refused(void **state)
{
    fx *f = *state;
    uint8_t *w[NW], *good, *bad, *victim_bytes;
    size_t len[NW], n, distinct, good_len, victim_len, i, bit;
    nansen_withdrawal_store *s = new_store(f), *victim = new_store(f);
    char path[4200];
    nansen_err err;

    n = make_set(f, w, len, &distinct);
    for (i = 0; i < 4; i++)
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], NULL),
                         NANSEN_OK);
    good = serialize(s, &good_len);
    /* the victim store holds something that must survive each refusal */
    assert_int_equal(nansen_withdrawal_store_add(victim, w[10], len[10],
                                                 NULL), NANSEN_OK);
    victim_bytes = serialize(victim, &victim_len);
    snprintf(path, sizeof path, "%s/damaged.cbor", tu_tmpdir());
    assert_non_null(bad = malloc(good_len));

    /* every truncation */
    for (i = 0; i < good_len; i++) {
        memcpy(bad, good, i);
        err = load_refused(f, path, bad, i, victim, victim_bytes, victim_len);
        assert_true(err == NANSEN_ERR_MALFORMED ||
                    err == NANSEN_ERR_CHECKSUM ||
                    err == NANSEN_ERR_TRUNCATED);
    }
    /* every bit flip */
    for (i = 0; i < good_len; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(bad, good, good_len);
            bad[i] ^= (uint8_t)(1u << bit);
            err = load_refused(f, path, bad, good_len, victim, victim_bytes,
                               victim_len);
            /* the magic (23 bytes), the version, then the check value */
            if (i < 23)
                assert_int_equal(err, NANSEN_ERR_MALFORMED);
            else if (i == 23)
                assert_true(err == NANSEN_ERR_MALFORMED ||
                            err == NANSEN_ERR_UNSUPPORTED_VERSION);
            else
                assert_int_equal(err, NANSEN_ERR_CHECKSUM);
        }
    }
    /* bytes after the file */
    memcpy(bad, good, good_len);
    {
        uint8_t *longer = malloc(good_len + 1);

        assert_non_null(longer);
        memcpy(longer, good, good_len);
        longer[good_len] = 0;
        assert_int_equal(load_refused(f, path, longer, good_len + 1, victim,
                                      victim_bytes, victim_len),
                         NANSEN_ERR_CHECKSUM);
        free(longer);
    }

    /* files with a correct check value but wrong content get the status
     * of their fault */
    {
        const uint8_t *e[3] = {NULL, NULL, NULL};
        size_t l[3] = {0, 0, 0}, fl;
        uint8_t *file;
        nansen_withdrawal_store *one = new_store(f);
        nansen_withdrawal_entry a, b;

        /* version 2 */
        file = store_file(e, l, 0, 2, &fl);
        assert_int_equal(load_refused(f, path, file, fl, victim, victim_bytes,
                                      victim_len),
                         NANSEN_ERR_UNSUPPORTED_VERSION);
        free(file);
        /* the two entries of a sorted store, swapped */
        assert_int_equal(nansen_withdrawal_store_entry(s, 0, &a), NANSEN_OK);
        assert_int_equal(nansen_withdrawal_store_entry(s, 1, &b), NANSEN_OK);
        e[0] = b.withdrawal;
        l[0] = b.withdrawal_len;
        e[1] = a.withdrawal;
        l[1] = a.withdrawal_len;
        file = store_file(e, l, 2, 1, &fl);
        assert_int_equal(load_refused(f, path, file, fl, victim, victim_bytes,
                                      victim_len),
                         NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
        free(file);
        /* one entry twice */
        e[1] = b.withdrawal;
        l[1] = b.withdrawal_len;
        file = store_file(e, l, 2, 1, &fl);
        assert_int_equal(load_refused(f, path, file, fl, victim, victim_bytes,
                                      victim_len),
                         NANSEN_ERR_MALFORMED);
        free(file);
        /* two withdrawals of one identity (w[0] and its later twin) */
        e[0] = w[0];
        l[0] = len[0];
        e[1] = w[1];
        l[1] = len[1];
        file = store_file(e, l, 2, 1, &fl);
        assert_int_equal(load_refused(f, path, file, fl, victim, victim_bytes,
                                      victim_len),
                         NANSEN_ERR_MALFORMED);
        free(file);
        /* an entry that is not a withdrawal */
        e[0] = (const uint8_t *)"\xa0";
        l[0] = 1;
        file = store_file(e, l, 1, 1, &fl);
        err = load_refused(f, path, file, fl, victim, victim_bytes,
                           victim_len);
        assert_int_equal(err, NANSEN_ERR_WRONG_TYPE);
        free(file);
        /* an entry with one signature bit off */
        {
            uint8_t copy[NANSEN_WITHDRAWAL_MAX_BYTES];

            memcpy(copy, w[10], len[10]);
            copy[len[10] - 1] ^= 0x01;
            e[0] = copy;
            l[0] = len[10];
            file = store_file(e, l, 1, 1, &fl);
            assert_int_equal(load_refused(f, path, file, fl, victim,
                                          victim_bytes, victim_len),
                             NANSEN_ERR_BAD_SIGNATURE);
            free(file);
        }
        /* more entries than a store holds: refused before any is read */
        {
            const uint8_t **many;
            size_t *ml, k, count = NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES + 1;

            assert_non_null(many = calloc(count, sizeof *many));
            assert_non_null(ml = calloc(count, sizeof *ml));
            for (k = 0; k < count; k++) {
                many[k] = (const uint8_t *)"\xa0";
                ml[k] = 1;
            }
            file = store_file(many, ml, count, 1, &fl);
            assert_int_equal(load_refused(f, path, file, fl, victim,
                                          victim_bytes, victim_len),
                             NANSEN_ERR_CBOR_TOO_LARGE);
            free(file);
            free(many);
            free(ml);
        }
        /* a file longer than any store file */
        write_file(path, (const uint8_t *)"", 0);
        assert_int_equal(truncate(path, (off_t)NANSEN_WITHDRAWAL_STORE_MAX_BYTES +
                                            1),
                         0);
        {
            nansen_withdrawal_store *x = (nansen_withdrawal_store *)1;

            assert_int_equal(nansen_withdrawal_store_load(f->ctx, &x, path),
                             NANSEN_ERR_CBOR_TOO_LARGE);
            assert_null(x);
        }
        /* an empty file, and a withdrawal where a store file is expected */
        write_file(path, (const uint8_t *)"", 0);
        {
            nansen_withdrawal_store *x = NULL;

            assert_int_equal(nansen_withdrawal_store_load(f->ctx, &x, path),
                             NANSEN_ERR_MALFORMED);
            write_file(path, w[0], len[0]);
            assert_int_equal(nansen_withdrawal_store_load(f->ctx, &x, path),
                             NANSEN_ERR_MALFORMED);
            assert_null(x);
        }
        /* the empty store's file loads */
        file = serialize(one, &fl);
        write_file(path, file, fl);
        {
            nansen_withdrawal_store *x = NULL;

            assert_int_equal(nansen_withdrawal_store_load(f->ctx, &x, path),
                             NANSEN_OK);
            assert_int_equal(nansen_withdrawal_store_count(x), 0);
            nansen_withdrawal_store_free(x);
        }
        free(file);
        nansen_withdrawal_store_free(one);
    }

    (void)remove(path);
    free(bad);
    free(good);
    free(victim_bytes);
    for (i = 0; i < n; i++)
        free(w[i]);
    nansen_withdrawal_store_free(s);
    nansen_withdrawal_store_free(victim);
}

static void test_structure_refusals(void **state)
{
    fx *f = *state;
    uint8_t d[32], *w, *ok, big[NANSEN_WITHDRAWAL_MAX_BYTES + 1];
    size_t len, ok_len, i, bit;
    nansen_withdrawal *dec = (nansen_withdrawal *)1;
    nansen_withdrawal_store *s = new_store(f);
    uint8_t *g;
    size_t g_len;
    forge p;

    memset(d, 0x5a, sizeof d);
    forge_defaults(&p, f->holder, d);
    ok = forge_make(f, &p, &ok_len);
    assert_int_equal(nansen_withdrawal_store_add(s, ok, ok_len, NULL),
                     NANSEN_OK);

#define CASE(field, value, status)                                          \
    do {                                                                    \
        forge_defaults(&p, f->holder, d);                                   \
        p.field = value;                                                    \
        w = forge_make(f, &p, &len);                                        \
        assert_int_equal(nansen_withdrawal_decode(f->ctx, &dec, w, len),    \
                         status);                                           \
        assert_null(dec);                                                   \
        assert_int_equal(nansen_withdrawal_store_add(s, w, len, NULL),      \
                         status);                                           \
        free(w);                                                            \
    } while (0)

    CASE(typ_uint, 1, NANSEN_ERR_WRONG_TYPE);
    CASE(with_kid, 1, NANSEN_ERR_UNSUPPORTED_VERSION);
    CASE(unprotected, 1, NANSEN_ERR_UNSUPPORTED_VERSION);
    CASE(untagged, 1, NANSEN_ERR_WRONG_TYPE);
    CASE(extra_claim, 1, NANSEN_ERR_UNSUPPORTED_VERSION);
    CASE(profile, 2, NANSEN_ERR_UNSUPPORTED_VERSION);
    CASE(omit, 4, NANSEN_ERR_MALFORMED);
    CASE(omit, 6, NANSEN_ERR_MALFORMED);
    CASE(omit, 8, NANSEN_ERR_MALFORMED);
    CASE(omit, -65537, NANSEN_ERR_MALFORMED);
    CASE(iat, 0, NANSEN_ERR_MALFORMED);
    CASE(exp, -1, NANSEN_ERR_MALFORMED);
    CASE(digest_len, 31, NANSEN_ERR_MALFORMED);
    CASE(digest_len, 33, NANSEN_ERR_MALFORMED);
    CASE(cnf_flags, NANSEN_COSE_KEY_WITH_KID, NANSEN_ERR_MALFORMED);
    CASE(cnf_flags, NANSEN_COSE_KEY_WITH_ALG, NANSEN_ERR_MALFORMED);
#undef CASE
    /* the secp256k1 key's uncompressed form is another encoding */
    forge_defaults(&p, f->secp_holder, d);
    p.cnf_flags = NANSEN_COSE_KEY_UNCOMPRESSED;
    w = forge_make(f, &p, &len);
    assert_int_equal(nansen_withdrawal_decode(f->ctx, &dec, w, len),
                     NANSEN_ERR_MALFORMED);
    free(w);

    /* too long; not CBOR; a grant is not a withdrawal */
    memset(big, 0, sizeof big);
    assert_int_equal(nansen_withdrawal_decode(f->ctx, &dec, big, sizeof big),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    assert_int_equal(nansen_withdrawal_store_add(s, big, sizeof big, NULL),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    assert_int_not_equal(nansen_withdrawal_decode(f->ctx, &dec, big, 10),
                         NANSEN_OK);
    g = make_grant(f, f->holder, 0, &g_len);
    assert_int_not_equal(nansen_withdrawal_store_add(s, g, g_len, NULL),
                         NANSEN_OK);
    assert_int_not_equal(nansen_withdrawal_verify(f->ctx, g, g_len, g, g_len),
                         NANSEN_OK);
    free(g);
    assert_int_equal(nansen_withdrawal_store_count(s), 1);

    /* every bit flip and truncation of a valid withdrawal is refused by the
     * store and by verify */
    {
        uint8_t *real, *copy;
        size_t real_len;

        g = make_grant(f, f->holder, 0, &g_len);
        real = withdraw(f, f->holder, g, g_len, WHEN, &real_len);
        assert_non_null(copy = malloc(real_len));
        for (i = 0; i < real_len; i++) {
            for (bit = 0; bit < 8; bit++) {
                memcpy(copy, real, real_len);
                copy[i] ^= (uint8_t)(1u << bit);
                assert_int_not_equal(nansen_withdrawal_store_add(
                                         s, copy, real_len, NULL),
                                     NANSEN_OK);
                assert_int_not_equal(nansen_withdrawal_verify(
                                         f->ctx, copy, real_len, g, g_len),
                                     NANSEN_OK);
            }
            assert_int_not_equal(nansen_withdrawal_store_add(s, real, i,
                                                             NULL),
                                 NANSEN_OK);
        }
        assert_int_equal(nansen_withdrawal_store_count(s), 1);
        free(copy);
        free(real);
        free(g);
    }

    free(ok);
    nansen_withdrawal_store_free(s);
}

/* The largest withdrawal (9-byte times, a secp256k1 key) fits the
 * documented bound. */
static void test_largest_withdrawal(void **state)
{
    fx *f = *state;
    uint8_t d[32], *w;
    size_t len;
    int version = 0;
    forge p;

    memset(d, 0xff, sizeof d);
    forge_defaults(&p, f->secp_holder, d);
    p.iat = INT64_MAX;
    p.exp = INT64_MAX;
    w = forge_make(f, &p, &len);
    assert_int_equal(len, 226);
    assert_true(len <= NANSEN_WITHDRAWAL_MAX_BYTES);
    assert_int_equal(nansen_qr_version_of_token(w, len, NANSEN_QR_ECC_M,
                                                &version), NANSEN_OK);
    assert_true(version <= 11);
    {
        nansen_withdrawal_store *s = new_store(f);

        assert_int_equal(nansen_withdrawal_store_add(s, w, len, NULL),
                         NANSEN_OK);
        nansen_withdrawal_store_free(s);
    }
    free(w);
}

static void test_forget_expired_and_entries(void **state)
{
    fx *f = *state;
    nansen_withdrawal_store *s = new_store(f);
    uint8_t d[32], *w[3];
    size_t len[3], i, forgotten = 9;
    nansen_withdrawal_entry e;
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub;
    forge p;

    for (i = 0; i < 3; i++) {
        memset(d, (int)(0x10 * (i + 1)), sizeof d);
        forge_defaults(&p, f->holder, d);
        p.exp = T0 + (int64_t)i * DAY;
        w[i] = forge_make(f, &p, &len[i]);
        assert_int_equal(nansen_withdrawal_store_add(s, w[i], len[i], NULL),
                         NANSEN_OK);
    }
    assert_int_equal(nansen_withdrawal_store_entry(s, 0, &e), NANSEN_OK);
    assert_int_equal(e.iat, WHEN);
    assert_int_equal(e.grant_exp, T0);
    assert_int_equal(e.holder_type, NANSEN_KEY_ED25519);
    assert_int_equal(nansen_key_public(f->holder, pub, &pub_len), NANSEN_OK);
    assert_int_equal(e.holder_public_len, pub_len);
    assert_memory_equal(e.holder_public, pub, pub_len);
    assert_int_equal(e.withdrawal_len, len[0]);
    assert_memory_equal(e.withdrawal, w[0], len[0]);

    /* exp <= before goes */
    assert_int_equal(nansen_withdrawal_store_forget_expired(s, T0 + DAY,
                                                            &forgotten),
                     NANSEN_OK);
    assert_int_equal(forgotten, 2);
    assert_int_equal(nansen_withdrawal_store_count(s), 1);
    assert_int_equal(nansen_withdrawal_store_entry(s, 0, &e), NANSEN_OK);
    assert_int_equal(e.grant_exp, T0 + 2 * DAY);
    assert_int_equal(nansen_withdrawal_store_forget_expired(s, T0, &forgotten),
                     NANSEN_OK);
    assert_int_equal(forgotten, 0);
    for (i = 0; i < 3; i++)
        free(w[i]);
    nansen_withdrawal_store_free(s);
}

/* The example of spec/withdrawal.md: the holder of spec/vectors/grant.hex
 * withdraws it at 1780086400; the store holding only that withdrawal; the
 * empty store. Byte for byte. */
static const char VEC_WITHDRAWAL[] =
    "d284582ba201271078256170706c69636174696f6e2f766e642e6e616e73656e"
    "2e7769746864726177616c2b637774a05863a4041a6a21ed90061a6a19f68008"
    "a101a301012006215820a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97"
    "f864127ff9383455a4f03a00010000a200010158205c04d3f3f74dbc32fcd974"
    "c9e76bc86dc08e635b39c314e1cfe6305006ac1b7358401cac6f71ba734581ed"
    "174de30a536749f69288bd8ab76fce5106667f1ab43b5c7ac7bbc6fa7a493af2"
    "05668b25f3d51f97f35c1fd50faed9d1ffec5230af7e02";
static const char VEC_STORE[] =
    "d9d9f784726e616e73656e2d7769746864726177616c73018158d7d284582ba2"
    "01271078256170706c69636174696f6e2f766e642e6e616e73656e2e77697468"
    "64726177616c2b637774a05863a4041a6a21ed90061a6a19f68008a101a30101"
    "2006215820a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9"
    "383455a4f03a00010000a200010158205c04d3f3f74dbc32fcd974c9e76bc86d"
    "c08e635b39c314e1cfe6305006ac1b7358401cac6f71ba734581ed174de30a53"
    "6749f69288bd8ab76fce5106667f1ab43b5c7ac7bbc6fa7a493af205668b25f3"
    "d51f97f35c1fd50faed9d1ffec5230af7e02485e7ecfe2d96cba42";
static const char VEC_EMPTY_STORE[] =
    "d9d9f784726e616e73656e2d7769746864726177616c7301804869077cb38cf9"
    "dc20";

static void test_spec_example(void **state)
{
    fx *f = *state;
    char *hex, path[4200];
    uint8_t *g, *want, *got, *store_want, *empty_want, secret[32];
    size_t hex_len = 0, g_len, want_len, got_len, sw_len, ew_len;
    nansen_key *holder = NULL;
    nansen_withdrawal_store *s = new_store(f), *loaded = NULL;

    snprintf(path, sizeof path, "%s/spec/vectors/grant.hex",
             NANSEN_SOURCE_DIR);
    assert_non_null(hex = tu_read_file(path, &hex_len));
    while (hex_len > 0 && (hex[hex_len - 1] == '\n' || hex[hex_len - 1] == '\r'))
        hex[--hex_len] = '\0';
    g = tu_hex(hex, &g_len);
    free(hex);
    memset(secret, 0x22, sizeof secret);
    assert_int_equal(nansen_key_from_secret(f->ctx, &holder,
                                            NANSEN_KEY_ED25519, secret),
                     NANSEN_OK);
    want = tu_hex(VEC_WITHDRAWAL, &want_len);
    got = withdraw(f, holder, g, g_len, 1780086400, &got_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
    assert_int_equal(nansen_withdrawal_verify(f->ctx, want, want_len, g,
                                              g_len), NANSEN_OK);

    store_want = tu_hex(VEC_STORE, &sw_len);
    empty_want = tu_hex(VEC_EMPTY_STORE, &ew_len);
    assert_store_is(s, empty_want, ew_len);
    assert_int_equal(nansen_withdrawal_store_add(s, want, want_len, NULL),
                     NANSEN_OK);
    assert_store_is(s, store_want, sw_len);
    snprintf(path, sizeof path, "%s/example-store.cbor", tu_tmpdir());
    write_file(path, store_want, sw_len);
    assert_int_equal(nansen_withdrawal_store_load(f->ctx, &loaded, path),
                     NANSEN_OK);
    assert_store_is(loaded, store_want, sw_len);
    {
        nansen_grant *grant = NULL;
        int64_t at = 0;

        assert_int_equal(nansen_grant_decode(f->ctx, &grant, g, g_len),
                         NANSEN_OK);
        assert_int_equal(nansen_withdrawal_store_check_grant(loaded, grant,
                                                             &at),
                         NANSEN_ERR_WITHDRAWN);
        assert_int_equal(at, 1780086400);
        nansen_grant_free(grant);
    }
    (void)remove(path);
    nansen_withdrawal_store_free(loaded);
    nansen_withdrawal_store_free(s);
    nansen_key_free(holder);
    free(store_want);
    free(empty_want);
    free(got);
    free(want);
    free(g);
}

/* NULL where the prototype says non-null: INVALID_ARG, never a crash.
 * The calls go through plain function pointers, which carry no nonnull
 * attribute (as in test_key.c). */
static void test_null_args(void **state)
{
    fx *f = *state;
    nansen_err (*sign)(nansen_ctx *, uint8_t *, size_t *, const nansen_key *,
                       const uint8_t *, size_t, int64_t) =
        nansen_withdrawal_sign;
    nansen_err (*verify)(nansen_ctx *, const uint8_t *, size_t,
                         const uint8_t *, size_t) = nansen_withdrawal_verify;
    nansen_err (*decode)(nansen_ctx *, nansen_withdrawal **, const uint8_t *,
                         size_t) = nansen_withdrawal_decode;
    nansen_err (*create)(nansen_ctx *, nansen_withdrawal_store **) =
        nansen_withdrawal_store_create;
    nansen_err (*add)(nansen_withdrawal_store *, const uint8_t *, size_t,
                      size_t *) = nansen_withdrawal_store_add;
    nansen_err (*merge)(nansen_withdrawal_store *,
                        const nansen_withdrawal_store *, size_t *) =
        nansen_withdrawal_store_merge;
    nansen_err (*check)(const nansen_withdrawal_store *, const uint8_t *,
                        const nansen_key *, int64_t *) =
        nansen_withdrawal_store_check;
    nansen_err (*check_grant)(const nansen_withdrawal_store *,
                              const nansen_grant *, int64_t *) =
        nansen_withdrawal_store_check_grant;
    nansen_err (*entry)(const nansen_withdrawal_store *, size_t,
                        nansen_withdrawal_entry *) =
        nansen_withdrawal_store_entry;
    nansen_err (*ser)(const nansen_withdrawal_store *, uint8_t *, size_t *) =
        nansen_withdrawal_store_serialize;
    nansen_err (*save)(const nansen_withdrawal_store *, const char *,
                       unsigned int) = nansen_withdrawal_store_save;
    nansen_err (*load)(nansen_ctx *, nansen_withdrawal_store **,
                       const char *) = nansen_withdrawal_store_load;
    nansen_err (*forget)(nansen_withdrawal_store *, int64_t, size_t *) =
        nansen_withdrawal_store_forget_expired;
    size_t (*count)(const nansen_withdrawal_store *) =
        nansen_withdrawal_store_count;
    nansen_withdrawal_store *s = new_store(f), *x = (nansen_withdrawal_store *)1;
    nansen_withdrawal *w = (nansen_withdrawal *)1;
    uint8_t buf[NANSEN_WITHDRAWAL_MAX_BYTES], d[32] = {0};
    size_t len = sizeof buf;
    int64_t at = 5;

    assert_int_equal(sign(NULL, buf, &len, f->holder, buf, 1, WHEN),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_int_equal(sign(f->ctx, buf, NULL, f->holder, buf, 1, WHEN),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(sign(f->ctx, buf, &len, NULL, buf, 1, WHEN),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(sign(f->ctx, buf, &len, f->holder, NULL, 1, WHEN),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(verify(NULL, buf, 1, buf, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(verify(f->ctx, NULL, 1, buf, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(verify(f->ctx, buf, 1, NULL, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(decode(f->ctx, NULL, buf, 1), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(decode(NULL, &w, buf, 1), NANSEN_ERR_INVALID_ARG);
    assert_null(w);
    assert_int_equal(create(f->ctx, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(create(NULL, &x), NANSEN_ERR_INVALID_ARG);
    assert_null(x);
    assert_int_equal(add(NULL, buf, 1, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(add(s, NULL, 0, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(merge(NULL, s, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(merge(s, NULL, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(check(NULL, d, f->holder, &at), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(at, 0);
    assert_int_equal(check(s, NULL, f->holder, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(check(s, d, NULL, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(check_grant(s, NULL, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(check_grant(NULL, NULL, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(entry(s, 0, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(ser(NULL, buf, &len), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(ser(s, buf, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(save(NULL, "x", 0), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(save(s, NULL, 0), NANSEN_ERR_INVALID_ARG);
    x = (nansen_withdrawal_store *)1;
    assert_int_equal(load(f->ctx, &x, NULL), NANSEN_ERR_INVALID_ARG);
    assert_null(x);
    assert_int_equal(load(NULL, &x, "x"), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(load(f->ctx, NULL, "x"), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(forget(NULL, 0, NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(count(NULL), 0);
    nansen_withdrawal_free(NULL);
    nansen_withdrawal_store_free(NULL);
    assert_int_equal(nansen_withdrawal_max_bytes(),
                     NANSEN_WITHDRAWAL_MAX_BYTES);
    assert_int_equal(nansen_withdrawal_store_max_bytes(),
                     NANSEN_WITHDRAWAL_STORE_MAX_BYTES);
    nansen_withdrawal_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_ed25519),
        cmocka_unit_test(test_round_trip_secp256k1),
        cmocka_unit_test(test_sign_refusals),
        cmocka_unit_test(test_other_key_refused_everywhere),
        cmocka_unit_test(test_other_grant_does_not_match),
        cmocka_unit_test(test_merge_any_order_same_bytes),
        cmocka_unit_test(test_duplicates_idempotent),
        cmocka_unit_test(test_save_load_round_trip),
        cmocka_unit_test(test_damaged_files_refused),
        cmocka_unit_test(test_structure_refusals),
        cmocka_unit_test(test_largest_withdrawal),
        cmocka_unit_test(test_forget_expired_and_entries),
        cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_crash_during_save),
        cmocka_unit_test(test_null_args),
    };
    return cmocka_run_group_tests_name("withdrawal", tests, setup, teardown);
}
