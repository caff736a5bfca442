/* verify.c - the clinic's verifier: one grant in, one verdict out.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The checks run in the order of spec/credential.md ("Verification"), and
 * the first failure decides the reason. Nothing of a rejected grant leaves
 * this file except its reason and status.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"

#define DID_MAX 128
#define MAX_PURPOSES 64

typedef struct trusted {
    nansen_key *key;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char did[DID_MAX];             /* its did:key, for verdicts */
} trusted;

struct nansen_verifier {
    nansen_ctx *ctx;
    nansen_key *self;
    char self_did[DID_MAX];
    char self_short[NANSEN_SHORT_ID_BYTES];
    uint8_t self_kid[NANSEN_KEY_ID_BYTES];
    trusted issuers[NANSEN_VERIFIER_MAX_ISSUERS];
    size_t nissuers;
    int64_t (*clock)(void *);
    void *clock_arg;
    int fixed_time;
    int64_t now;
    int64_t skew;
    int purposes_set;
    uint32_t purposes[MAX_PURPOSES];
    size_t npurposes;
    int64_t max_age;
    uint8_t nonce[NANSEN_CNONCE_MAX_BYTES];
    size_t nonce_len;
    const nansen_trustlist *trustlist;        /* borrowed, or NULL */
    const nansen_withdrawal_store *withdrawals; /* borrowed, or NULL */
    struct {
        nansen_status_list *list;
        uint8_t signer[NANSEN_KEY_ID_BYTES];
        int64_t iat;
    } lists[NANSEN_VERIFIER_MAX_STATUS_LISTS];
    size_t nlists;
    int64_t status_max_age, accept_stale;
    int64_t floor;                            /* the clock floor */
};

typedef struct vclaim {
    int present;
    int disclosed;
    nansen_claim_value v;
    char *text;
} vclaim;

struct nansen_verdict {
    nansen_reason reason;
    nansen_err status;
    vclaim claims[NANSEN__NCLAIMS];
    uint32_t purpose;
    uint32_t categories[NANSEN_GRANT_MAX_CATEGORIES];
    size_t ncategories;
    int64_t from, until, signed_at;
    int64_t r_from, r_until, r_iat;
    int status_checked, stale_accepted;
    int64_t status_as_of, status_age;
    char issuer_did[DID_MAX];
    char holder_did[DID_MAX];
    uint8_t grant_id[NANSEN_CTI_BYTES];
    int has_grant_id;
    uint8_t referral_id[NANSEN_CTI_BYTES];
    uint8_t grant_digest[NANSEN_DIGEST_BYTES];
    char notice_lang[36];
    uint8_t notice_digest[NANSEN_DIGEST_BYTES];
    /* what the notice is rendered from, checked on request */
    char aud[NANSEN__AUDIENCE_MAX_BYTES + 1];
    char aud_name[NANSEN_NAME_MAX_BYTES + 1];
    int has_aud_name;
    char issuer_label[NANSEN_NAME_MAX_BYTES + 1];
};


/* ---- the verifier ---- */

nansen_err nansen_verifier_create(nansen_ctx *ctx, nansen_verifier **out,
                                  const nansen_key *self)
{
    nansen_verifier *v;
    size_t len;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && self != NULL);
    if ((v = calloc(1, sizeof *v)) == NULL)
        return NANSEN_ERR_NOMEM;
    v->ctx = ctx;
    v->skew = NANSEN_DEFAULT_SKEW;
    len = sizeof v->self_did;
    if ((err = nansen_key_public_copy(ctx, &v->self, self)) != NANSEN_OK ||
        (err = nansen_key_did(self, v->self_did, &len)) != NANSEN_OK ||
        (err = nansen_key_short_id(self, v->self_short)) != NANSEN_OK ||
        (err = nansen_key_id(self, v->self_kid)) != NANSEN_OK) {
        nansen_verifier_free(v);
        return err;
    }
    *out = v;
    return NANSEN_OK;
}

void nansen_verifier_free(nansen_verifier *v)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < v->nissuers; i++)
        nansen_key_free(v->issuers[i].key);
    for (i = 0; i < v->nlists; i++)
        nansen_status_list_free(v->lists[i].list);
    nansen_key_free(v->self);
    sodium_memzero(v, sizeof *v);
    free(v);
}

nansen_err nansen_verifier_trust_issuer(nansen_verifier *v,
                                        const nansen_key *issuer)
{
    trusted t;
    size_t i, n;
    nansen_err err;

    ARG_CHECK(v != NULL && issuer != NULL);
    for (i = 0; i < v->nissuers; i++)
        if (nansen_key_equal(v->issuers[i].key, issuer))
            return NANSEN_OK;                 /* trusting twice is trusting */
    ARG_CHECK(v->nissuers < NANSEN_VERIFIER_MAX_ISSUERS);
    if ((err = nansen_key_id(issuer, t.kid)) != NANSEN_OK)
        return err;
    n = sizeof t.did;
    if ((err = nansen_key_did(issuer, t.did, &n)) != NANSEN_OK)
        return err;
    if ((err = nansen_key_public_copy(v->ctx, &t.key, issuer)) != NANSEN_OK)
        return err;
    v->issuers[v->nissuers++] = t;
    return NANSEN_OK;
}

void nansen_verifier_set_clock(nansen_verifier *v, int64_t (*fn)(void *),
                               void *arg)
{
    if (v == NULL)
        return;
    v->clock = fn;
    v->clock_arg = arg;
    v->fixed_time = 0;
}

void nansen_verifier_set_time(nansen_verifier *v, int64_t now)
{
    if (v == NULL)
        return;
    v->fixed_time = 1;
    v->now = now;
}

nansen_err nansen_verifier_set_skew(nansen_verifier *v, int64_t seconds)
{
    ARG_CHECK(v != NULL && seconds >= 0 && seconds <= 86400);
    v->skew = seconds;
    return NANSEN_OK;
}

nansen_err nansen_verifier_accept_purpose(nansen_verifier *v,
                                          uint32_t purpose)
{
    size_t i;

    ARG_CHECK(v != NULL);
    ARG_CHECK(nansen_vocab_id(NANSEN_VOCAB_PURPOSE, purpose) != NULL);
    v->purposes_set = 1;
    for (i = 0; i < v->npurposes; i++)
        if (v->purposes[i] == purpose)
            return NANSEN_OK;
    ARG_CHECK(v->npurposes < MAX_PURPOSES);
    v->purposes[v->npurposes++] = purpose;
    return NANSEN_OK;
}

nansen_err nansen_verifier_set_max_age(nansen_verifier *v, int64_t seconds)
{
    ARG_CHECK(v != NULL && seconds >= 0);
    v->max_age = seconds;
    return NANSEN_OK;
}

nansen_err nansen_verifier_require_nonce(nansen_verifier *v,
                                         const uint8_t *nonce,
                                         size_t nonce_len)
{
    ARG_CHECK(v != NULL);
    if (nonce == NULL) {
        v->nonce_len = 0;
        return NANSEN_OK;
    }
    ARG_CHECK(nonce_len > 0 && nonce_len <= NANSEN_CNONCE_MAX_BYTES);
    memcpy(v->nonce, nonce, nonce_len);
    v->nonce_len = nonce_len;
    return NANSEN_OK;
}

nansen_err nansen_verifier_set_trustlist(nansen_verifier *v,
                                        const nansen_trustlist *list)
{
    ARG_CHECK(v != NULL);
    ARG_CHECK(list == NULL || nansen_trustlist_is_verified(list));
    v->trustlist = list;
    if (list != NULL) {
        int64_t iat = 0;

        nansen_trustlist_times(list, &iat, NULL);
        nansen_verifier_raise_clock_floor(v, iat);
    }
    return NANSEN_OK;
}

void nansen_verifier_set_withdrawals(nansen_verifier *v,
                                     const nansen_withdrawal_store *store)
{
    if (v != NULL)
        v->withdrawals = store;
}

/* The key behind a kid: trusted one by one, or a trust-list party with
 * one of the roles (bits). NULL if none. */
static const nansen_key *trusted_key(const nansen_verifier *v,
                                     const uint8_t *kid, uint32_t roles,
                                     int64_t now)
{
    nansen_trustlist_entry e;
    nansen_trust_result tr;
    size_t i;
    int r;

    for (i = 0; i < v->nissuers; i++)
        if (memcmp(v->issuers[i].kid, kid, NANSEN_KEY_ID_BYTES) == 0)
            return v->issuers[i].key;
    if (v->trustlist == NULL)
        return NULL;
    for (r = 1; r < 32; r++)
        if ((roles & (1u << r)) &&
            nansen_trustlist_check_role(v->trustlist, kid, NULL,
                                        (nansen_role)r, now, &tr) ==
                NANSEN_OK &&
            tr == NANSEN_TRUST_OK &&
            nansen_trustlist_find(v->trustlist, kid, NULL, &e) == NANSEN_OK)
            return e.key;
    return NULL;
}

static int64_t verifier_now(const nansen_verifier *v);

nansen_err nansen_verifier_add_status_list(nansen_verifier *v,
                                           const uint8_t *token,
                                           size_t token_len)
{
    nansen_cose_sign1 m;
    nansen_status_list *list = NULL;
    nansen_status_list_info info;
    const nansen_key *key;
    size_t i;
    nansen_err err;

    ARG_CHECK(v != NULL && token != NULL);
    if ((err = nansen_cose_sign1_parse(&m, token, token_len, NULL)) !=
        NANSEN_OK)
        return err;
    if (m.kid == NULL || m.kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_BAD_HEADER;
    key = trusted_key(v, m.kid,
                      NANSEN_ROLE_BIT(NANSEN_ROLE_NGO) |
                          NANSEN_ROLE_BIT(NANSEN_ROLE_STATUS_ISSUER),
                      verifier_now(v));
    if (key == NULL)
        return NANSEN_ERR_POLICY;
    if ((err = nansen_status_list_verify(v->ctx, &list, key, token,
                                         token_len)) != NANSEN_OK)
        return err;
    if ((err = nansen_status_list_get_info(list, &info)) != NANSEN_OK ||
        info.uri == NULL) {
        nansen_status_list_free(list);
        return err != NANSEN_OK ? err : NANSEN_ERR_MALFORMED;
    }
    for (i = 0; i < v->nlists; i++) {
        nansen_status_list_info held;

        if (nansen_status_list_get_info(v->lists[i].list, &held) !=
                NANSEN_OK ||
            strcmp(held.uri, info.uri) != 0)
            continue;
        if (info.iat <= v->lists[i].iat) {
            nansen_status_list_free(list);
            return info.iat == v->lists[i].iat ? NANSEN_OK
                                               : NANSEN_ERR_ROLLBACK;
        }
        nansen_status_list_free(v->lists[i].list);
        break;
    }
    if (i == v->nlists) {
        if (v->nlists == NANSEN_VERIFIER_MAX_STATUS_LISTS) {
            nansen_status_list_free(list);
            return NANSEN_ERR_INVALID_ARG;
        }
        v->nlists++;
    }
    v->lists[i].list = list;
    memcpy(v->lists[i].signer, m.kid, NANSEN_KEY_ID_BYTES);
    v->lists[i].iat = info.iat;
    nansen_verifier_raise_clock_floor(v, info.iat);
    return NANSEN_OK;
}

nansen_err nansen_verifier_set_status_policy(nansen_verifier *v,
                                             int64_t max_age,
                                             int64_t accept_stale)
{
    ARG_CHECK(v != NULL && max_age >= 0 && accept_stale >= 0);
    v->status_max_age = max_age;
    v->accept_stale = accept_stale;
    return NANSEN_OK;
}

int64_t nansen_verifier_clock_floor(const nansen_verifier *v)
{
    return v != NULL ? v->floor : 0;
}

void nansen_verifier_raise_clock_floor(nansen_verifier *v, int64_t t)
{
    if (v != NULL && t > v->floor)
        v->floor = t;
}

static int64_t verifier_now(const nansen_verifier *v)
{
    if (v->fixed_time)
        return v->now;
    if (v->clock != NULL)
        return v->clock(v->clock_arg);
    return (int64_t)time(NULL);
}

/* ---- the checks ---- */

typedef struct run {
    nansen_verifier *v;
    nansen_verdict *out;
    nansen_cose_sign1 kbt;
    nansen__cred cred;
    nansen__grant_claims g;
    const trusted *issuer;           /* trusted one by one, or NULL */
    const nansen_key *issuer_key;    /* the key that signed the referral */
    int digested;                    /* out->grant_digest already set */
} run;

#define REJECT(reason_, status_)                                            \
    do {                                                                    \
        out->reason = (reason_);                                            \
        out->status = (status_);                                            \
        return NANSEN_OK;                                                   \
    } while (0)

static nansen_reason structural_reason(nansen_err err)
{
    return err == NANSEN_ERR_UNSUPPORTED_VERSION ||
                   err == NANSEN_ERR_UNSUPPORTED_ALG
               ? NANSEN_REASON_UNSUPPORTED_VERSION
               : NANSEN_REASON_MALFORMED;
}

static int granted(const nansen__grant_claims *g, uint32_t category)
{
    size_t i;

    for (i = 0; i < g->ncategories; i++)
        if (g->categories[i] == category)
            return 1;
    return 0;
}

static nansen_err fill_accept(run *R, const uint8_t *grant, size_t len);

/* May this verifier receive grants under its trust list at now? */
static int self_may_receive(const nansen_verifier *v, int64_t now)
{
    static const nansen_role receivers[] = {NANSEN_ROLE_CLINIC,
                                            NANSEN_ROLE_INTERPRETER};
    nansen_trust_result tr;
    size_t i;

    for (i = 0; i < sizeof receivers / sizeof receivers[0]; i++)
        if (nansen_trustlist_check_role(v->trustlist, v->self_kid, NULL,
                                        receivers[i], now, &tr) ==
                NANSEN_OK &&
            tr == NANSEN_TRUST_OK)
            return 1;
    return 0;
}

/* Returns NANSEN_OK with out->reason set, or NANSEN_ERR_NOMEM. */
static nansen_err check(run *R, const uint8_t *grant, size_t grant_len)
{
    nansen_verifier *v = R->v;
    nansen_verdict *out = R->out;
    nansen__cred *c = &R->cred;
    nansen__grant_claims *g = &R->g;
    const uint8_t *kcwt;
    const nansen_key *issuer_key = NULL;
    size_t kcwt_len, i;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char sub[NANSEN_SHORT_ID_BYTES];
    int64_t now, s;
    nansen_err err;

    /* 1: the grant's structure */
    if ((err = nansen__grant_parse(&R->kbt, g, &kcwt, &kcwt_len, grant,
                                   grant_len)) != NANSEN_OK)
        REJECT(structural_reason(err), err);

    /* 2: the embedded referral's structure */
    if ((err = nansen__cred_parse(v->ctx, c, kcwt, kcwt_len, 1)) != NANSEN_OK) {
        if (err == NANSEN_ERR_NOMEM)
            return err;
        REJECT(structural_reason(err), err);
    }

    /* 3: codes this vocabulary knows */
    if (nansen_vocab_id(NANSEN_VOCAB_PURPOSE, g->purpose) == NULL)
        REJECT(NANSEN_REASON_UNSUPPORTED_VERSION,
               NANSEN_ERR_UNSUPPORTED_VERSION);
    for (i = 0; i < g->ncategories; i++)
        if (nansen_vocab_id(NANSEN_VOCAB_CATEGORY, g->categories[i]) == NULL)
            REJECT(NANSEN_REASON_UNSUPPORTED_VERSION,
                   NANSEN_ERR_UNSUPPORTED_VERSION);

    /* 4, 5: a trusted issuer signed the referral: one trusted by the
     * verifier itself, or an ngo on the trust list */
    now = verifier_now(v);
    for (i = 0; i < v->nissuers && R->issuer == NULL; i++)
        if (memcmp(v->issuers[i].kid, c->kid, NANSEN_KEY_ID_BYTES) == 0)
            R->issuer = &v->issuers[i];
    if (R->issuer != NULL) {
        issuer_key = R->issuer->key;
    } else if (v->trustlist != NULL) {
        nansen_trust_result tr = NANSEN_TRUST_NOT_LISTED;
        nansen_trustlist_entry e;

        err = nansen_trustlist_check_role(v->trustlist, c->kid, NULL,
                                          NANSEN_ROLE_NGO, now, &tr);
        if (tr == NANSEN_TRUST_WRONG_ROLE)
            REJECT(NANSEN_REASON_WRONG_ROLE, NANSEN_ERR_POLICY);
        if (err != NANSEN_OK || tr != NANSEN_TRUST_OK)
            REJECT(NANSEN_REASON_UNTRUSTED_ISSUER,
                   err == NANSEN_ERR_STALE ? err : NANSEN_ERR_POLICY);
        if (nansen_trustlist_find(v->trustlist, c->kid, NULL, &e) !=
            NANSEN_OK)
            REJECT(NANSEN_REASON_UNTRUSTED_ISSUER, NANSEN_ERR_POLICY);
        issuer_key = e.key;
    } else {
        REJECT(NANSEN_REASON_UNTRUSTED_ISSUER, NANSEN_ERR_POLICY);
    }
    R->issuer_key = issuer_key;
    if ((err = nansen__cose_sign1_verify_parsed(v->ctx, &c->msg,
                                                issuer_key, NULL, 0)) !=
        NANSEN_OK) {
        if (err == NANSEN_ERR_NOMEM)
            return err;
        REJECT(NANSEN_REASON_BAD_ISSUER_SIGNATURE, err);
    }

    /* 6: the holder the referral names is the key that signed the grant */
    if ((err = nansen_key_id(c->holder, kid)) != NANSEN_OK)
        return err;
    nansen__short_id_of_kid(sub, kid);
    if (strcmp(sub, c->sub) != 0)
        REJECT(NANSEN_REASON_HOLDER_BINDING_BROKEN, NANSEN_ERR_KEY_MISMATCH);
    if (R->kbt.alg != nansen_cose_alg_of_key(c->holder))
        REJECT(NANSEN_REASON_HOLDER_BINDING_BROKEN, NANSEN_ERR_ALG_MISMATCH);
    if (R->kbt.kid != NULL) {
        if (R->kbt.kid_len != NANSEN_KEY_ID_BYTES ||
            memcmp(kid, R->kbt.kid, sizeof kid) != 0)
            REJECT(NANSEN_REASON_HOLDER_BINDING_BROKEN,
                   NANSEN_ERR_KEY_MISMATCH);
    }

    /* 7: the holder's signature */
    if ((err = nansen__cose_sign1_verify_parsed(v->ctx, &R->kbt, c->holder,
                                                NULL, 0)) != NANSEN_OK) {
        if (err == NANSEN_ERR_NOMEM)
            return err;
        REJECT(NANSEN_REASON_BAD_HOLDER_SIGNATURE, err);
    }

    /* 8: the disclosures match the digests the issuer signed */
    if ((err = nansen__cred_disclose(c)) != NANSEN_OK) {
        if (err == NANSEN_ERR_NOMEM)
            return err;
        REJECT(err == NANSEN_ERR_DIGEST_MISMATCH
                   ? NANSEN_REASON_DISCLOSURE_DIGEST_MISMATCH
                   : structural_reason(err),
               err);
    }

    /* 9: time claims consistent (SD-CWT section 9, steps 3 and 6) */
    if (!(c->nbf <= c->iat && c->iat < c->exp && g->nbf <= g->iat &&
          g->iat < g->exp && g->exp <= c->exp && g->nbf >= c->nbf &&
          g->iat >= c->iat && g->iat < c->exp))
        REJECT(NANSEN_REASON_MALFORMED, NANSEN_ERR_MALFORMED);

    /* 9': the device clock is not behind the newest signed time seen */
    if (now + v->skew < v->floor)
        REJECT(NANSEN_REASON_CLOCK_BEHIND, NANSEN_ERR_POLICY);

    /* 9a: not withdrawn by its holder */
    if (v->withdrawals != NULL) {
        int64_t at = 0;

        crypto_hash_sha256(out->grant_digest, grant, grant_len);
        R->digested = 1;
        err = nansen_withdrawal_store_check(v->withdrawals, out->grant_digest,
                                            c->holder, &at);
        if (err == NANSEN_ERR_WITHDRAWN)
            REJECT(NANSEN_REASON_WITHDRAWN_BY_HOLDER, err);
        if (err != NANSEN_OK)
            return err;
    }

    /* 9b: not revoked or suspended in the referral's status list */
    if (c->status_uri != NULL) {
        nansen_status_list_info info;
        nansen_status_list *list = NULL;
        nansen_trust_result tr = NANSEN_TRUST_NOT_LISTED;
        int64_t age = 0, age2 = 0, max_age;
        uint8_t value = 0;

        for (i = 0; i < v->nlists && list == NULL; i++)
            if (nansen_status_list_get_info(v->lists[i].list, &info) ==
                    NANSEN_OK &&
                strcmp(info.uri, c->status_uri) == 0)
                list = v->lists[i].list;
        if (list == NULL)
            REJECT(NANSEN_REASON_STATUS_UNKNOWN, NANSEN_ERR_POLICY);
        i--;
        /* only the referral's issuer, or a status issuer it delegates to
         * through the trust list, speaks for its status */
        if (memcmp(v->lists[i].signer, c->kid, NANSEN_KEY_ID_BYTES) != 0 &&
            !(v->trustlist != NULL &&
              nansen_trustlist_check_role(v->trustlist, v->lists[i].signer,
                                          NULL, NANSEN_ROLE_STATUS_ISSUER,
                                          now, &tr) == NANSEN_OK &&
              tr == NANSEN_TRUST_OK))
            REJECT(NANSEN_REASON_STATUS_UNKNOWN, NANSEN_ERR_POLICY);
        max_age = v->status_max_age > 0 ? v->status_max_age : -1;
        err = nansen_status_list_check_fresh(list, now, max_age, &age);
        if (err == NANSEN_ERR_STALE) {
            if (v->accept_stale == 0 ||
                nansen_status_list_check_fresh(list, now - v->accept_stale,
                                               max_age, &age2) !=
                    NANSEN_OK)
                REJECT(NANSEN_REASON_STATUS_STALE, NANSEN_ERR_STALE);
            out->stale_accepted = 1;
        } else if (err != NANSEN_OK) {
            REJECT(NANSEN_REASON_STATUS_UNKNOWN, err);
        }
        if (nansen_status_list_get_info(list, &info) != NANSEN_OK ||
            c->status_idx >= info.count ||
            nansen_status_list_get(list, (uint32_t)c->status_idx, &value) !=
                NANSEN_OK)
            REJECT(NANSEN_REASON_STATUS_UNKNOWN, NANSEN_ERR_POLICY);
        if (value == 1)
            REJECT(NANSEN_REASON_REVOKED, NANSEN_ERR_REVOKED);
        if (value == 2)
            REJECT(NANSEN_REASON_SUSPENDED, NANSEN_ERR_SUSPENDED);
        if (value != 0)
            REJECT(NANSEN_REASON_STATUS_UNKNOWN, NANSEN_ERR_POLICY);
        out->status_checked = 1;
        out->status_as_of = info.iat;
        out->status_age = now - info.iat;
    }

    /* 10: addressed to this clinic */
    if (strcmp(g->aud, v->self_did) != 0 && strcmp(g->aud, v->self_short) != 0)
        REJECT(NANSEN_REASON_WRONG_AUDIENCE, NANSEN_ERR_POLICY);

    /* 10': under a trust list, the audience (this verifier) is listed now
     * as a clinic or an interpreter service */
    if (v->trustlist != NULL && !self_may_receive(v, now))
        REJECT(NANSEN_REASON_WRONG_ROLE, NANSEN_ERR_POLICY);

    /* 11-13: time, with the allowed skew on each comparison */
    s = v->skew;
    if (c->nbf > now + s || g->nbf > now + s || g->iat > now + s)
        REJECT(NANSEN_REASON_NOT_YET_VALID, NANSEN_ERR_POLICY);
    if (now - s >= c->exp || now - s >= g->exp)
        REJECT(NANSEN_REASON_EXPIRED, NANSEN_ERR_EXPIRED);
    if (v->max_age > 0 && now - s - g->iat > v->max_age)
        REJECT(NANSEN_REASON_GRANT_TOO_OLD, NANSEN_ERR_POLICY);

    /* 14: purpose */
    if (v->purposes_set) {
        int ok = 0;

        for (i = 0; i < v->npurposes; i++)
            ok |= v->purposes[i] == g->purpose;
        if (!ok)
            REJECT(NANSEN_REASON_PURPOSE_NOT_ACCEPTED, NANSEN_ERR_POLICY);
    }

    /* 15: every disclosed claim is in a granted category */
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
        if (c->claims[i].present && c->claims[i].disclosable &&
            !granted(g, nansen_claim_category((nansen_claim)i)))
            REJECT(NANSEN_REASON_CATEGORY_NOT_COVERED, NANSEN_ERR_POLICY);

    /* 16: the nonce this visit asked for */
    if (v->nonce_len > 0 &&
        (!g->has_cnonce || g->cnonce_len != v->nonce_len ||
         sodium_memcmp(g->cnonce, v->nonce, v->nonce_len) != 0))
        REJECT(NANSEN_REASON_NONCE_MISMATCH, NANSEN_ERR_POLICY);

    out->reason = NANSEN_REASON_ACCEPT;
    out->status = NANSEN_OK;
    return fill_accept(R, grant, grant_len);
}

static nansen_err fill_accept(run *R, const uint8_t *grant, size_t len)
{
    nansen_verdict *out = R->out;
    const nansen__cred *c = &R->cred;
    const nansen__grant_claims *g = &R->g;
    size_t i, n;
    nansen_err err;

    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++) {
        const nansen__claim *src = &c->claims[i];
        vclaim *dst = &out->claims[i];

        if (!src->present)
            continue;
        dst->present = 1;
        dst->disclosed = src->disclosable;
        dst->v = src->v;
        if (src->v.type == NANSEN_VALUE_TEXT) {
            if ((dst->text = malloc(src->v.text_len + 1)) == NULL)
                return NANSEN_ERR_NOMEM;
            memcpy(dst->text, src->text, src->v.text_len + 1);
            dst->v.text = dst->text;
        }
    }
    out->purpose = g->purpose;
    memcpy(out->categories, g->categories,
           g->ncategories * sizeof g->categories[0]);
    out->ncategories = g->ncategories;
    out->from = g->nbf;
    out->until = g->exp;
    out->signed_at = g->iat;
    out->r_from = c->nbf;
    out->r_until = c->exp;
    out->r_iat = c->iat;
    if (R->issuer != NULL) {
        memcpy(out->issuer_did, R->issuer->did, sizeof out->issuer_did);
    } else {
        n = sizeof out->issuer_did;
        if ((err = nansen_key_did(R->issuer_key, out->issuer_did, &n)) !=
            NANSEN_OK)
            return err;
    }
    n = sizeof out->holder_did;
    if ((err = nansen_key_did(c->holder, out->holder_did, &n)) != NANSEN_OK)
        return err;
    memcpy(out->grant_id, g->cti, sizeof out->grant_id);
    out->has_grant_id = g->has_cti;
    memcpy(out->referral_id, c->cti, sizeof out->referral_id);
    if (!R->digested)
        crypto_hash_sha256(out->grant_digest, grant, len);
    memcpy(out->notice_lang, g->lang, sizeof out->notice_lang);
    memcpy(out->notice_digest, g->digest, sizeof out->notice_digest);
    memcpy(out->aud, g->aud, sizeof out->aud);
    memcpy(out->aud_name, g->aud_name, sizeof out->aud_name);
    out->has_aud_name = g->has_aud_name;
    memcpy(out->issuer_label, c->issuer_label, sizeof out->issuer_label);
    return NANSEN_OK;
}

static void verdict_clear_claims(nansen_verdict *verdict)
{
    size_t i;

    for (i = 0; i < NANSEN__NCLAIMS; i++)
        free(verdict->claims[i].text);
}

nansen_err nansen_verify_grant(nansen_verifier *v, nansen_verdict **out,
                               const uint8_t *grant, size_t grant_len)
{
    nansen_verdict *verdict;
    run *R;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(v != NULL && (grant != NULL || grant_len == 0));
    if ((verdict = calloc(1, sizeof *verdict)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((R = calloc(1, sizeof *R)) == NULL) {
        free(verdict);
        return NANSEN_ERR_NOMEM;
    }
    R->v = v;
    R->out = verdict;
    err = check(R, grant, grant_len);
    nansen__cred_clear(&R->cred);
    sodium_memzero(R, sizeof *R);
    free(R);
    if (err == NANSEN_OK && verdict->reason != NANSEN_REASON_ACCEPT) {
        /* nothing of a rejected grant is kept */
        verdict_clear_claims(verdict);
        memset(verdict->claims, 0, sizeof verdict->claims);
    }
    if (err != NANSEN_OK) {
        nansen_verdict_free(verdict);
        return err;
    }
    *out = verdict;
    return NANSEN_OK;
}

void nansen_verdict_free(nansen_verdict *verdict)
{
    if (verdict == NULL)
        return;
    verdict_clear_claims(verdict);
    sodium_memzero(verdict, sizeof *verdict);
    free(verdict);
}

nansen_reason nansen_verdict_reason(const nansen_verdict *verdict)
{
    return verdict != NULL ? verdict->reason : NANSEN_REASON_MALFORMED;
}

nansen_err nansen_verdict_status(const nansen_verdict *verdict)
{
    return verdict != NULL ? verdict->status : NANSEN_ERR_INVALID_ARG;
}

const char *nansen_verdict_message(const nansen_verdict *verdict,
                                   const char *lang)
{
    const char *label = NULL;

    if (nansen_vocab_label(NANSEN_VOCAB_REASON,
                           verdict != NULL ? (uint32_t)verdict->reason : 1u,
                           lang != NULL ? lang : "", &label,
                           NULL) != NANSEN_OK || label == NULL)
        return "Rejected";
    return label;
}

#define ACCEPTED_OR_FAIL(v)                                                 \
    do {                                                                    \
        if ((v) == NULL || (v)->reason != NANSEN_REASON_ACCEPT)             \
            return NANSEN_ERR_INVALID_ARG;                                  \
    } while (0)

nansen_err nansen_verdict_claim(const nansen_verdict *verdict,
                                nansen_claim claim, nansen_claim_value *value,
                                int *disclosed)
{
    if (value != NULL)
        memset(value, 0, sizeof *value);
    if (disclosed != NULL)
        *disclosed = 0;
    ARG_CHECK(value != NULL);
    ACCEPTED_OR_FAIL(verdict);
    ARG_CHECK((int)claim >= NANSEN_CLAIM_FIRST &&
              (int)claim <= NANSEN_CLAIM_LAST);
    if (!verdict->claims[claim].present)
        return NANSEN_ERR_ABSENT;
    *value = verdict->claims[claim].v;
    if (disclosed != NULL)
        *disclosed = verdict->claims[claim].disclosed;
    return NANSEN_OK;
}

nansen_err nansen_verdict_consent(const nansen_verdict *verdict,
                                  uint32_t *purpose,
                                  const uint32_t **categories,
                                  size_t *category_count)
{
    ARG_CHECK(purpose != NULL && categories != NULL &&
              category_count != NULL);
    *purpose = 0;
    *categories = NULL;
    *category_count = 0;
    ACCEPTED_OR_FAIL(verdict);
    *purpose = verdict->purpose;
    *categories = verdict->categories;
    *category_count = verdict->ncategories;
    return NANSEN_OK;
}

nansen_err nansen_verdict_validity(const nansen_verdict *verdict,
                                   int64_t *from, int64_t *until,
                                   int64_t *signed_at)
{
    ARG_CHECK(from != NULL && until != NULL && signed_at != NULL);
    *from = *until = *signed_at = 0;
    ACCEPTED_OR_FAIL(verdict);
    *from = verdict->from;
    *until = verdict->until;
    *signed_at = verdict->signed_at;
    return NANSEN_OK;
}

nansen_err nansen_verdict_referral_validity(const nansen_verdict *verdict,
                                            int64_t *from, int64_t *until,
                                            int64_t *issued_at)
{
    ARG_CHECK(from != NULL && until != NULL && issued_at != NULL);
    *from = *until = *issued_at = 0;
    ACCEPTED_OR_FAIL(verdict);
    *from = verdict->r_from;
    *until = verdict->r_until;
    *issued_at = verdict->r_iat;
    return NANSEN_OK;
}

nansen_err nansen_verdict_parties(const nansen_verdict *verdict,
                                  const char **issuer_did,
                                  const char **holder_did)
{
    ARG_CHECK(issuer_did != NULL && holder_did != NULL);
    *issuer_did = *holder_did = NULL;
    ACCEPTED_OR_FAIL(verdict);
    *issuer_did = verdict->issuer_did;
    *holder_did = verdict->holder_did;
    return NANSEN_OK;
}

nansen_err nansen_verdict_ids(const nansen_verdict *verdict,
                              const uint8_t **grant_id,
                              const uint8_t **referral_id,
                              const uint8_t **grant_digest)
{
    ARG_CHECK(grant_id != NULL && referral_id != NULL &&
              grant_digest != NULL);
    *grant_id = *referral_id = *grant_digest = NULL;
    ACCEPTED_OR_FAIL(verdict);
    *grant_id = verdict->has_grant_id ? verdict->grant_id : NULL;
    *referral_id = verdict->referral_id;
    *grant_digest = verdict->grant_digest;
    return NANSEN_OK;
}

nansen_err nansen_verdict_status_list(const nansen_verdict *verdict,
                                      int *checked, int64_t *as_of,
                                      int64_t *age, int *stale_accepted)
{
    ARG_CHECK(checked != NULL && as_of != NULL && age != NULL &&
              stale_accepted != NULL);
    *checked = *stale_accepted = 0;
    *as_of = *age = 0;
    ACCEPTED_OR_FAIL(verdict);
    *checked = verdict->status_checked;
    *as_of = verdict->status_as_of;
    *age = verdict->status_age;
    *stale_accepted = verdict->stale_accepted;
    return NANSEN_OK;
}

nansen_err nansen_verdict_notice(const nansen_verdict *verdict,
                                 const char **lang, const uint8_t **digest,
                                 int *matches)
{
    nansen_notice_fields f;
    uint8_t expect[NANSEN_DIGEST_BYTES];

    ARG_CHECK(lang != NULL && digest != NULL && matches != NULL);
    *lang = NULL;
    *digest = NULL;
    *matches = 0;
    ACCEPTED_OR_FAIL(verdict);
    *lang = verdict->notice_lang;
    *digest = verdict->notice_digest;
    /* rendered now rather than in every verification: few callers ask */
    memset(&f, 0, sizeof f);
    f.lang = verdict->notice_lang;
    f.clinic = verdict->has_aud_name ? verdict->aud_name : verdict->aud;
    f.issuer = verdict->issuer_label;
    f.purpose = verdict->purpose;
    f.categories = verdict->categories;
    f.category_count = verdict->ncategories;
    f.from = verdict->from;
    f.until = verdict->until;
    *matches = nansen_notice_digest(expect, &f) == NANSEN_OK &&
               memcmp(expect, verdict->notice_digest, sizeof expect) == 0;
    return NANSEN_OK;
}
