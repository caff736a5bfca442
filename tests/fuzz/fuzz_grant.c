/* fuzz_grant.c - nansen_verify_grant on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Two verifiers for one fixed clinic, trusting the same fixed issuers
 * (Ed25519 and secp256k1) at a fixed time: one with the default policy,
 * one strict (a required nonce, a maximum age, one purpose). For every
 * input both must reach a verdict, never crash, leak or read out of
 * bounds, and:
 *  - NANSEN_OK comes with a verdict, any other status without one;
 *  - the verdict's status is NANSEN_OK exactly when its reason is ACCEPT;
 *  - a rejected verdict gives nothing through its accessors (they refuse
 *    and leave their outputs alone or cleared);
 *  - an accepted verdict gives what verify.h and spec/credential.md
 *    promise: claims of their types, disclosed ones in a granted category,
 *    windows inside each other and around the verifier's time, the
 *    trusted issuer's did:key, the SHA-256 of the input;
 *  - the checks run in the order of the spec, so the strict verifier
 *    rejects whatever the default one rejects, for the same reason (or,
 *    for category_not_covered, for an earlier policy check), and rejects
 *    an accepted grant only for age, purpose or nonce.
 *
 * The seeds (tests/fuzz/corpus/fuzz_grant/) are real grants made with the
 * keys and times below; keep both in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed secrets and time the seed corpora are made with
 * (fuzz_credential.c uses the same keys). */
#define ISSUER_SECRET_BYTE 0x11
#define CLINIC_SECRET_BYTE 0x33
#define NOW 1767225600            /* 2026-01-01T00:00:00Z */
#define STRICT_MAX_AGE 3600
#define STRICT_PURPOSE 1          /* treatment */
static const uint8_t strict_nonce[16] = {
    0x6e, 0x61, 0x6e, 0x73, 0x65, 0x6e, 0x2d, 0x66,
    0x75, 0x7a, 0x7a, 0x2d, 0x6e, 0x6f, 0x6e, 0x63}; /* "nansen-fuzz-nonc" */

static nansen_ctx *ctx;
static nansen_verifier *lenient, *strict;
static char issuer_did[2][NANSEN_DID_MAX_BYTES];

/* Abort, saying which promise broke. */
#define must(cond) must_at((cond), #cond, __LINE__)
static void must_at(int ok, const char *what, int line)
{
    if (!ok) {
        fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, line, what);
        abort();
    }
}

static nansen_key *fixed_key(nansen_key_type type, uint8_t byte)
{
    uint8_t secret[NANSEN_SECRET_BYTES];
    nansen_key *k = NULL;

    memset(secret, byte, sizeof secret);
    must(nansen_key_from_secret(ctx, &k, type, secret) == NANSEN_OK);
    return k;
}

static nansen_verifier *make_verifier(const nansen_key *clinic,
                                      nansen_key *const issuers[2])
{
    nansen_verifier *v = NULL;

    must(nansen_verifier_create(ctx, &v, clinic) == NANSEN_OK);
    must(nansen_verifier_trust_issuer(v, issuers[0]) == NANSEN_OK);
    must(nansen_verifier_trust_issuer(v, issuers[1]) == NANSEN_OK);
    /* Trusting a key again changes nothing. */
    must(nansen_verifier_trust_issuer(v, issuers[0]) == NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    return v;
}

static void init(void)
{
    nansen_key *clinic, *issuers[2];
    size_t i, n;

    must((ctx = nansen_ctx_create(0)) != NULL);
    clinic = fixed_key(NANSEN_KEY_ED25519, CLINIC_SECRET_BYTE);
    issuers[0] = fixed_key(NANSEN_KEY_ED25519, ISSUER_SECRET_BYTE);
    issuers[1] = fixed_key(NANSEN_KEY_SECP256K1, ISSUER_SECRET_BYTE);
    for (i = 0; i < 2; i++) {
        n = sizeof issuer_did[i];
        must(nansen_key_did(issuers[i], issuer_did[i], &n) == NANSEN_OK);
    }
    lenient = make_verifier(clinic, issuers);
    strict = make_verifier(clinic, issuers);
    must(nansen_verifier_set_max_age(strict, STRICT_MAX_AGE) == NANSEN_OK);
    must(nansen_verifier_accept_purpose(strict, STRICT_PURPOSE) ==
         NANSEN_OK);
    must(nansen_verifier_require_nonce(strict, strict_nonce,
                                       sizeof strict_nonce) == NANSEN_OK);
    /* The verifiers keep copies of the keys. */
    nansen_key_free(clinic);
    nansen_key_free(issuers[0]);
    nansen_key_free(issuers[1]);
}

/* Left as it was, or cleared: what an accessor may do to an output when
 * it refuses. */
#define UNTOUCHED_OR_CLEARED(x, before) ((x) == (before) || (x) == 0)

/* A rejected verdict: every accessor refuses and gives nothing of the
 * grant (its outputs are left alone or cleared). */
static void check_rejected(const nansen_verdict *vd)
{
    static const nansen_claim_value zero_value;
    static const uint32_t cat_sentinel[1] = {7};
    static const uint8_t byte_sentinel[1] = {7};
    nansen_claim_value value, poison;
    int disclosed, matches = 7;
    uint32_t purpose = 7;
    const uint32_t *cats = cat_sentinel;
    size_t count = 7;
    int64_t a = 7, b = 7, c = 7;
    const char *s1 = "x", *s2 = "x", *s3 = "x";
    const uint8_t *p1 = byte_sentinel, *p2 = p1, *p3 = p1, *p4 = p1;
    int claim;

    memset(&poison, 0x5a, sizeof poison);
    for (claim = NANSEN_CLAIM_FIRST; claim <= NANSEN_CLAIM_LAST; claim++) {
        value = poison;
        disclosed = 7;
        must(nansen_verdict_claim(vd, (nansen_claim)claim, &value,
                                  &disclosed) == NANSEN_ERR_INVALID_ARG);
        must(memcmp(&value, &poison, sizeof value) == 0 ||
             (value.type == zero_value.type && value.text == NULL &&
              value.uint == 0 && value.text_len == 0));
        must(UNTOUCHED_OR_CLEARED(disclosed, 7));
    }
    must(nansen_verdict_consent(vd, &purpose, &cats, &count) ==
         NANSEN_ERR_INVALID_ARG);
    must(UNTOUCHED_OR_CLEARED(purpose, 7u) &&
         (cats == cat_sentinel || cats == NULL) &&
         UNTOUCHED_OR_CLEARED(count, 7u));
    must(nansen_verdict_validity(vd, &a, &b, &c) == NANSEN_ERR_INVALID_ARG);
    must(UNTOUCHED_OR_CLEARED(a, 7) && UNTOUCHED_OR_CLEARED(b, 7) &&
         UNTOUCHED_OR_CLEARED(c, 7));
    a = b = c = 7;
    must(nansen_verdict_referral_validity(vd, &a, &b, &c) ==
         NANSEN_ERR_INVALID_ARG);
    must(UNTOUCHED_OR_CLEARED(a, 7) && UNTOUCHED_OR_CLEARED(b, 7) &&
         UNTOUCHED_OR_CLEARED(c, 7));
    must(nansen_verdict_parties(vd, &s1, &s2) == NANSEN_ERR_INVALID_ARG);
    must((s1 == NULL || s1[0] == 'x') && (s2 == NULL || s2[0] == 'x'));
    must(nansen_verdict_ids(vd, &p1, &p2, &p3) == NANSEN_ERR_INVALID_ARG);
    must((p1 == NULL || p1 == byte_sentinel) &&
         (p2 == NULL || p2 == byte_sentinel) &&
         (p3 == NULL || p3 == byte_sentinel));
    must(nansen_verdict_notice(vd, &s3, &p4, &matches) ==
         NANSEN_ERR_INVALID_ARG);
    must((s3 == NULL || s3[0] == 'x') &&
         (p4 == NULL || p4 == byte_sentinel) &&
         UNTOUCHED_OR_CLEARED(matches, 7));
}

static int has_category(const uint32_t *cats, size_t count, uint32_t cat)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (cats[i] == cat)
            return 1;
    return 0;
}

/* An accepted verdict: everything there, consistent, and the input's. */
static void check_accepted(const nansen_verdict *vd, const uint8_t *data,
                           size_t size)
{
    const uint32_t *cats = NULL;
    const char *idid = NULL, *hdid = NULL, *lang = NULL;
    const uint8_t *grant_id = NULL, *ref_id = NULL, *digest = NULL;
    const uint8_t *notice = NULL;
    uint8_t want[crypto_hash_sha256_BYTES];
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t count = 0, i, j, pub_len = sizeof pub;
    uint32_t purpose = 0;
    int64_t from, until, iat, rfrom, runtil, riat;
    nansen_key_type type;
    int claim, matches = -1;
    volatile uint8_t sink = 0;

    must(nansen_verdict_status(vd) == NANSEN_OK);

    must(nansen_verdict_consent(vd, &purpose, &cats, &count) == NANSEN_OK);
    must(nansen_vocab_id(NANSEN_VOCAB_PURPOSE, purpose) != NULL);
    must(cats != NULL && count >= 1 && count <= NANSEN_GRANT_MAX_CATEGORIES);
    for (i = 0; i < count; i++) {
        must(nansen_vocab_id(NANSEN_VOCAB_CATEGORY, cats[i]) != NULL);
        for (j = 0; j < i; j++)
            must(cats[j] != cats[i]);
    }

    for (claim = NANSEN_CLAIM_FIRST; claim <= NANSEN_CLAIM_LAST; claim++) {
        nansen_claim_value v;
        int disclosed = -1;
        nansen_err err;

        err = nansen_verdict_claim(vd, (nansen_claim)claim, &v, &disclosed);
        if (err != NANSEN_OK) {
            must(err == NANSEN_ERR_ABSENT);
            continue;
        }
        must(disclosed == 0 || disclosed == 1);
        must(v.type == nansen_claim_type((nansen_claim)claim));
        if (v.type == NANSEN_VALUE_TEXT) {
            must(v.text != NULL && strlen(v.text) == v.text_len);
            must(v.text_len >= 1 &&
                 v.text_len <= NANSEN_CLAIM_TEXT_MAX_BYTES);
        } else {
            must(v.text == NULL);
            must(v.type != NANSEN_VALUE_BOOL || v.uint <= 1);
        }
        /* Step 15: a disclosed claim's category is granted. */
        if (disclosed)
            must(has_category(cats, count,
                              nansen_claim_category((nansen_claim)claim)));
        must(nansen_verdict_claim(vd, (nansen_claim)claim, &v, NULL) ==
             NANSEN_OK);
    }
    must(nansen_verdict_claim(vd, (nansen_claim)0, &(nansen_claim_value){0},
                              NULL) != NANSEN_OK);
    must(nansen_verdict_claim(vd, (nansen_claim)(NANSEN_CLAIM_LAST + 1),
                              &(nansen_claim_value){0}, NULL) != NANSEN_OK);

    /* Steps 9, 11, 12: the grant inside the referral, both around now. */
    must(nansen_verdict_validity(vd, &from, &until, &iat) == NANSEN_OK);
    must(nansen_verdict_referral_validity(vd, &rfrom, &runtil, &riat) ==
         NANSEN_OK);
    must(iat < until && riat < runtil);
    must(rfrom <= iat && from >= rfrom && until <= runtil);
    must(from <= NOW + NANSEN_DEFAULT_SKEW && iat <= NOW + NANSEN_DEFAULT_SKEW);
    must(rfrom <= NOW + NANSEN_DEFAULT_SKEW);
    must(NOW - NANSEN_DEFAULT_SKEW < until &&
         NOW - NANSEN_DEFAULT_SKEW < runtil);

    must(nansen_verdict_parties(vd, &idid, &hdid) == NANSEN_OK);
    must(idid != NULL && hdid != NULL);
    must(strcmp(idid, issuer_did[0]) == 0 || strcmp(idid, issuer_did[1]) == 0);
    must(nansen_did_key_decode(&type, pub, &pub_len, hdid, strlen(hdid)) ==
         NANSEN_OK);

    must(nansen_verdict_ids(vd, &grant_id, &ref_id, &digest) == NANSEN_OK);
    must(grant_id != NULL && ref_id != NULL && digest != NULL);
    for (i = 0; i < NANSEN_CTI_BYTES; i++)
        sink ^= (uint8_t)(grant_id[i] ^ ref_id[i]);
    (void)sink;
    crypto_hash_sha256(want, data, size);
    must(memcmp(digest, want, sizeof want) == 0);

    must(nansen_verdict_notice(vd, &lang, &notice, &matches) == NANSEN_OK);
    must(lang != NULL && notice != NULL && (matches == 0 || matches == 1));
    for (i = 0; i < 32; i++)
        sink ^= notice[i];
    (void)strlen(lang);
}

/* Verify with one verifier; the verdict's reason, its status checked. */
static nansen_reason verify(nansen_verifier *v, const uint8_t *data,
                            size_t size)
{
    nansen_verdict *vd = (nansen_verdict *)(void *)&ctx; /* not NULL */
    nansen_reason reason;
    nansen_err err;
    const char *code;

    err = nansen_verify_grant(v, &vd, data, size);
    if (err != NANSEN_OK) {
        /* Only running out of memory leaves no verdict. */
        must(err == NANSEN_ERR_NOMEM && vd == NULL);
        return (nansen_reason)-1;
    }
    must(vd != NULL);
    reason = nansen_verdict_reason(vd);
    must((int)reason >= 0 && (int)reason <= NANSEN_REASON_LAST);
    code = nansen_reason_code(reason);
    must(code != NULL && code[0] != '\0');
    must(nansen_verdict_message(vd, "en") != NULL);
    must(nansen_verdict_message(vd, "ar-SY") != NULL);
    must(nansen_verdict_message(vd, "zz") != NULL);
    if (reason == NANSEN_REASON_ACCEPT) {
        check_accepted(vd, data, size);
    } else {
        /* A rejection always says why, in a status of its own. */
        if (nansen_verdict_status(vd) == NANSEN_OK) {
            fprintf(stderr, "rejected (%s) with status OK\n", code);
            abort();
        }
        check_rejected(vd);
    }
    nansen_verdict_free(vd);
    return reason;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_reason r1, r2;

    if (ctx == NULL)
        init();
    r1 = verify(lenient, data, size);
    r2 = verify(strict, data, size);
    if ((int)r1 < 0 || (int)r2 < 0)
        return 0;
    if (r1 == NANSEN_REASON_CATEGORY_NOT_COVERED) {
        /* Step 15 comes after the age (13) and purpose (14) checks. */
        if (r2 != r1 && r2 != NANSEN_REASON_GRANT_TOO_OLD &&
            r2 != NANSEN_REASON_PURPOSE_NOT_ACCEPTED) {
            fprintf(stderr, "default policy: %s, strict policy: %s\n",
                    nansen_reason_code(r1), nansen_reason_code(r2));
            abort();
        }
    } else if (r1 != NANSEN_REASON_ACCEPT) {
        if (r2 != r1) {
            fprintf(stderr, "default policy: %s, strict policy: %s\n",
                    nansen_reason_code(r1), nansen_reason_code(r2));
            abort();
        }
    } else if (r2 != NANSEN_REASON_ACCEPT &&
               r2 != NANSEN_REASON_GRANT_TOO_OLD &&
               r2 != NANSEN_REASON_PURPOSE_NOT_ACCEPTED &&
               r2 != NANSEN_REASON_NONCE_MISMATCH) {
        fprintf(stderr, "accepted by default, strict says %s\n",
                nansen_reason_code(r2));
        abort();
    }
    return 0;
}
