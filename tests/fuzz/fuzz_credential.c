/* fuzz_credential.c - referral credential decode and accessors on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * nansen_credential_decode must never crash, leak or read out of bounds.
 * When it succeeds, every accessor must give what credential.h promises:
 * values of each claim's type, NUL-terminated texts of the length given,
 * the issuer label built from issuer-name or the kid, and an issuer
 * signature that verifies under at most one of the fixed issuer keys, the
 * one its kid names.
 *
 * When the credential is bound to one of the fixed holder keys, the holder
 * also signs a grant from it (every disclosure it has, every category) and
 * a verifier that trusts the fixed issuers checks it: a grant this library
 * signs from a credential it decoded must be accepted exactly when the
 * issuer's signature verifies, and otherwise fail only on the issuer.
 *
 * The seeds (tests/fuzz/corpus/fuzz_credential/) are real referrals made
 * with the keys below; keep both in step.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed secrets the seed corpora are made with (fuzz_grant.c uses the
 * same ones). */
#define ISSUER_SECRET_BYTE 0x11
#define HOLDER_SECRET_BYTE 0x22
#define CLINIC_SECRET_BYTE 0x33

static nansen_ctx *ctx;
static nansen_key *issuer_ed, *issuer_secp, *holder_ed, *holder_secp;
static nansen_key *clinic;
static nansen_verifier *verifier;
static char clinic_short[NANSEN_SHORT_ID_BYTES];

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

static void init(void)
{
    must((ctx = nansen_ctx_create(0)) != NULL);
    issuer_ed = fixed_key(NANSEN_KEY_ED25519, ISSUER_SECRET_BYTE);
    issuer_secp = fixed_key(NANSEN_KEY_SECP256K1, ISSUER_SECRET_BYTE);
    holder_ed = fixed_key(NANSEN_KEY_ED25519, HOLDER_SECRET_BYTE);
    holder_secp = fixed_key(NANSEN_KEY_SECP256K1, HOLDER_SECRET_BYTE);
    clinic = fixed_key(NANSEN_KEY_ED25519, CLINIC_SECRET_BYTE);
    must(nansen_key_short_id(clinic, clinic_short) == NANSEN_OK);
    must(nansen_verifier_create(ctx, &verifier, clinic) == NANSEN_OK);
    must(nansen_verifier_trust_issuer(verifier, issuer_ed) == NANSEN_OK);
    must(nansen_verifier_trust_issuer(verifier, issuer_secp) == NANSEN_OK);
}

/* A text as the API returns it: present, NUL-terminated at its length,
 * no NUL inside. */
static void check_text(const char *text, size_t len)
{
    must(text != NULL);
    must(strlen(text) == len);
}

static void check_claims(const nansen_credential *cred, uint32_t *present,
                         uint32_t *disclosable_set,
                         const nansen_claim_value **issuer_name,
                         nansen_claim_value *values)
{
    int c;

    *present = 0;
    *disclosable_set = 0;
    *issuer_name = NULL;
    for (c = NANSEN_CLAIM_FIRST - 1; c <= NANSEN_CLAIM_LAST + 1; c++) {
        nansen_claim_value v, v2;
        int disclosable = -1;
        nansen_err err;

        memset(&v, 0xa5, sizeof v);
        err = nansen_credential_claim(cred, (nansen_claim)c, &v, &disclosable);
        if (c < NANSEN_CLAIM_FIRST || c > NANSEN_CLAIM_LAST) {
            must(err != NANSEN_OK);
            continue;
        }
        if (err != NANSEN_OK) {
            must(err == NANSEN_ERR_ABSENT);
            continue;
        }
        must(disclosable == 0 || disclosable == 1);
        must(v.type == nansen_claim_type((nansen_claim)c));
        switch (v.type) {
        case NANSEN_VALUE_TEXT:
            check_text(v.text, v.text_len);
            must(v.text_len >= 1 &&
                 v.text_len <= NANSEN_CLAIM_TEXT_MAX_BYTES);
            break;
        case NANSEN_VALUE_BOOL:
            must(v.uint <= 1 && v.text == NULL);
            break;
        case NANSEN_VALUE_UINT:
            must(v.text == NULL);
            break;
        default:
            abort();
        }
        /* Without the disclosable out, the same value. */
        must(nansen_credential_claim(cred, (nansen_claim)c, &v2, NULL) ==
             NANSEN_OK);
        must(v2.type == v.type && v2.uint == v.uint &&
             v2.text_len == v.text_len);
        must(v.type != NANSEN_VALUE_TEXT ||
             memcmp(v.text, v2.text, v.text_len) == 0);
        *present |= NANSEN_CLAIM_BIT(c);
        if (disclosable)
            *disclosable_set |= NANSEN_CLAIM_BIT(c);
        values[c] = v;
        if (c == NANSEN_CLAIM_ISSUER_NAME)
            *issuer_name = &values[c];
    }
}

static void check_label(const nansen_credential *cred, const uint8_t *kid,
                        const nansen_claim_value *issuer_name)
{
    const char *label = nansen_credential_issuer_label(cred);
    char want[NANSEN_SHORT_ID_BYTES];
    size_t i;

    must(label != NULL);
    if (issuer_name != NULL) {
        must(strlen(label) == issuer_name->text_len &&
             memcmp(label, issuer_name->text, issuer_name->text_len) == 0);
        return;
    }
    memcpy(want, "kid:", 4);
    for (i = 0; i < NANSEN_KEY_ID_BYTES; i++)
        snprintf(want + 4 + 2 * i, 3, "%02x", kid[i]);
    must(strcmp(label, want) == 0);
}

static void check_holder(const nansen_key *holder)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    char short_id[NANSEN_SHORT_ID_BYTES];
    char did[NANSEN_DID_MAX_BYTES];
    size_t pub_len = sizeof pub, did_len = sizeof did;
    nansen_key_type type = nansen_key_get_type(holder);

    must(type == NANSEN_KEY_ED25519 || type == NANSEN_KEY_SECP256K1);
    must(nansen_key_has_secret(holder) == 0);
    must(nansen_key_public(holder, pub, &pub_len) == NANSEN_OK);
    must(pub_len == (type == NANSEN_KEY_ED25519
                         ? NANSEN_ED25519_PUBLIC_BYTES
                         : NANSEN_SECP256K1_PUBLIC_BYTES));
    must(nansen_key_short_id(holder, short_id) == NANSEN_OK);
    must(strlen(short_id) == NANSEN_SHORT_ID_BYTES - 1);
    must(nansen_key_did(holder, did, &did_len) == NANSEN_OK);
}

/* Sign a grant from the credential with the matching fixed holder key and
 * verify it. */
static void round_trip(const nansen_credential *cred, const nansen_key *holder,
                       uint32_t disclose, int issuer_ok)
{
    static const uint32_t all_categories[] = {1, 2, 3, 4, 5, 6};
    static uint8_t grant[NANSEN_CREDENTIAL_MAX_BYTES];
    static const uint8_t cti[NANSEN_CTI_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t nonce[4] = {0xde, 0xad, 0xbe, 0xef};
    nansen_grant_params p;
    nansen_verdict *verdict = NULL;
    nansen_reason reason;
    int64_t iat, nbf, exp;
    size_t len = sizeof grant, need = 0;
    char *notice;
    nansen_err err;

    nansen_credential_times(cred, &iat, &nbf, &exp);
    memset(&p, 0, sizeof p);
    p.budget.max_version = -1;      /* fuzzed referrals may be large */
    p.audience = clinic_short;
    p.audience_name = "Clinic";
    p.purpose = 1;
    p.categories = all_categories;
    p.category_count = sizeof all_categories / sizeof all_categories[0];
    p.disclose = disclose;
    p.iat = nbf > iat ? nbf : iat;
    /* An hour, or less to stay inside the referral (times are any int64
     * here: no overflow). */
    p.exp = p.iat <= INT64_MAX - 3600 && exp > p.iat + 3600 ? p.iat + 3600
                                                              : exp;
    p.notice_lang = "en";
    p.cnonce = nonce;
    p.cnonce_len = sizeof nonce;
    p.cti = cti;

    /* The notice: size, then the text of exactly that size. */
    err = nansen_grant_notice(NULL, &need, cred, &p);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) &&
        need > 0 && need <= 1 << 16) {
        size_t n = need;

        must((notice = malloc(need)) != NULL);
        must(nansen_grant_notice(notice, &n, cred, &p) == NANSEN_OK);
        must(n == need && strlen(notice) + 1 == n);
        free(notice);
    }

    err = nansen_grant_sign(ctx, grant, &len, holder, cred, &p);
    if (err != NANSEN_OK) {
        /* Every claim disclosed has its disclosure at hand and every
         * category is granted. The key is the cnf key, but sub may name
         * another (KEY_MISMATCH); the times, or a grant past the longest
         * the library writes, can make signing fail too. */
        if (err == NANSEN_ERR_ABSENT ||
            err == NANSEN_ERR_CATEGORY_NOT_GRANTED) {
            fprintf(stderr, "round trip: signing disclose=0x%x gave %s\n",
                    (unsigned)disclose, nansen_err_name(err));
            abort();
        }
        must(err != NANSEN_ERR_BUFFER_TOO_SMALL || len > sizeof grant);
        return;
    }
    must(len > 0 && len <= sizeof grant);
    nansen_verifier_set_time(verifier, p.iat);
    must(nansen_verify_grant(verifier, &verdict, grant, len) == NANSEN_OK);
    must(verdict != NULL);
    reason = nansen_verdict_reason(verdict);
    if (issuer_ok) {
        if (reason != NANSEN_REASON_ACCEPT) {
            fprintf(stderr, "round trip: own grant rejected: %s (%s)\n",
                    nansen_reason_code(reason) ? nansen_reason_code(reason)
                                               : "?",
                    nansen_err_name(nansen_verdict_status(verdict)));
            abort();
        }
    } else if (reason != NANSEN_REASON_BAD_ISSUER_SIGNATURE &&
               reason != NANSEN_REASON_UNTRUSTED_ISSUER) {
        fprintf(stderr, "round trip: own grant, bad issuer, gave %s (%s)\n",
                nansen_reason_code(reason) ? nansen_reason_code(reason) : "?",
                nansen_err_name(nansen_verdict_status(verdict)));
        abort();
    }
    nansen_verdict_free(verdict);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_claim_value values[NANSEN_CLAIM_LAST + 2];
    const nansen_claim_value *issuer_name;
    static char sentinel;
    nansen_credential *cred = (nansen_credential *)(void *)&sentinel;
    const nansen_key *holder;
    const uint8_t *kid, *id;
    uint8_t want_kid[NANSEN_KEY_ID_BYTES];
    uint32_t present, disclosable;
    int64_t iat = 0, nbf = 0, exp = 0;
    volatile uint8_t sink = 0;
    nansen_err err, e_ed, e_secp;
    size_t i;

    if (ctx == NULL)
        init();
    err = nansen_credential_decode(ctx, &cred, data, size);
    if (err != NANSEN_OK) {
        must(cred == NULL);
        return 0;
    }
    must(cred != NULL);

    check_claims(cred, &present, &disclosable, &issuer_name, values);
    nansen_credential_times(cred, &iat, &nbf, &exp);
    kid = nansen_credential_issuer_kid(cred);
    id = nansen_credential_id(cred);
    must(kid != NULL && id != NULL);
    for (i = 0; i < NANSEN_KEY_ID_BYTES; i++)
        sink ^= kid[i];
    for (i = 0; i < NANSEN_CTI_BYTES; i++)
        sink ^= id[i];
    sink ^= (uint8_t)(iat ^ nbf ^ exp);
    (void)sink;
    holder = nansen_credential_holder(cred);
    must(holder != NULL);
    check_holder(holder);
    check_label(cred, kid, issuer_name);

    /* The issuer's signature verifies under at most one fixed key, the one
     * the kid names. */
    e_ed = nansen_credential_verify_issuer(ctx, cred, issuer_ed);
    e_secp = nansen_credential_verify_issuer(ctx, cred, issuer_secp);
    must(e_ed != NANSEN_OK || e_secp != NANSEN_OK);
    if (e_ed == NANSEN_OK) {
        must(nansen_key_id(issuer_ed, want_kid) == NANSEN_OK);
        must(memcmp(kid, want_kid, sizeof want_kid) == 0);
    }
    if (e_secp == NANSEN_OK) {
        must(nansen_key_id(issuer_secp, want_kid) == NANSEN_OK);
        must(memcmp(kid, want_kid, sizeof want_kid) == 0);
    }

    if (nansen_key_equal(holder, holder_ed))
        round_trip(cred, holder_ed, disclosable,
                   e_ed == NANSEN_OK || e_secp == NANSEN_OK);
    else if (nansen_key_equal(holder, holder_secp))
        round_trip(cred, holder_secp, disclosable,
                   e_ed == NANSEN_OK || e_secp == NANSEN_OK);

    nansen_credential_free(cred);
    return 0;
}
