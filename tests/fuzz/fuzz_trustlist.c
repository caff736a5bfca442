/* fuzz_trustlist.c - nansen_trustlist_decode (no signature) on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * For every input the decoder must answer, never crash, leak or read out
 * of bounds, and:
 *  - NANSEN_OK comes with a list, any other status without one;
 *  - a decoded list is not verified and trusts nobody (check_role
 *    refuses it), and its signed bytes are the input;
 *  - everything it gives is what spec/trust-list.md allows: sequence >= 1,
 *    iat > 0, exp after iat, names of 1..256 bytes, roles in 1..31,
 *    windows with nbf < exp, entries strictly ascending by key id, each
 *    key id the SHA-256 prefix of its key, found again by id and by key;
 *  - one encoding: the decoded list signed again with the same sequence,
 *    issuer and times has exactly the input's payload bytes;
 *  - when the input also verifies with one of the two fixed governance
 *    keys, the verified list answers check_role as its entries say.
 *
 * The seeds (tests/fuzz/corpus/fuzz_trustlist/) are lists signed with
 * the governance keys below (the key of spec/trust-list.md's example and
 * a secp256k1 one); keep both in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GOV_ED_BYTE 0x47
#define GOV_K1_BYTE 0x49
#define RESIGN_BYTE 0x5a

static nansen_ctx *ctx;
static nansen_key *gov[2], *resigner;

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
    gov[0] = fixed_key(NANSEN_KEY_ED25519, GOV_ED_BYTE);
    gov[1] = fixed_key(NANSEN_KEY_SECP256K1, GOV_K1_BYTE);
    resigner = fixed_key(NANSEN_KEY_ED25519, RESIGN_BYTE);
}

static int text_ok(const char *s, size_t n)
{
    return s != NULL && n >= 1 && n <= NANSEN_TRUSTLIST_NAME_MAX_BYTES &&
           strlen(s) == n;
}

/* Everything a decoded (or verified) list gives is in spec. */
static void check_content(const nansen_trustlist *tl)
{
    nansen_trustlist_entry e, prev, found;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    size_t i, n = nansen_trustlist_count(tl);
    int64_t iat = -1, exp = -1;
    const char *iss = nansen_trustlist_issuer(tl);

    must(nansen_trustlist_sequence(tl) >= 1);
    nansen_trustlist_times(tl, &iat, &exp);
    must(iat > 0 && (exp == 0 || exp > iat));
    must(iss == NULL || text_ok(iss, strlen(iss)));
    must(nansen_trustlist_governance_kid(tl) != NULL);
    must(n <= NANSEN_TRUSTLIST_MAX_ENTRIES);
    memset(&prev, 0, sizeof prev);
    for (i = 0; i < n; i++) {
        must(nansen_trustlist_entry_at(tl, i, &e) == NANSEN_OK);
        must(e.key != NULL && !nansen_key_has_secret(e.key));
        must(nansen_key_id(e.key, kid) == NANSEN_OK);
        must(memcmp(kid, e.kid, sizeof kid) == 0);
        if (i > 0)
            must(memcmp(prev.kid, e.kid, sizeof kid) < 0);
        must(text_ok(e.name, e.name_len));
        must(e.roles != 0 && (e.roles & 1u) == 0);
        must(e.nbf >= 0 && e.exp >= 0);
        must(e.nbf == 0 || e.exp == 0 || e.nbf < e.exp);
        must(nansen_trustlist_find(tl, e.kid, NULL, &found) == NANSEN_OK);
        must(found.name == e.name && found.key == e.key);
        must(nansen_trustlist_find(tl, NULL, e.key, NULL) == NANSEN_OK);
        prev = e;
    }
    must(nansen_trustlist_entry_at(tl, n, &e) == NANSEN_ERR_INVALID_ARG);
}

/* The role answer an entry implies at a time. */
static nansen_trust_result expected(const nansen_trustlist_entry *e,
                                    nansen_role role, int64_t now)
{
    if (e->nbf != 0 && now < e->nbf)
        return NANSEN_TRUST_NOT_YET_VALID;
    if (e->exp != 0 && now >= e->exp)
        return NANSEN_TRUST_ENTRY_EXPIRED;
    if ((e->roles & NANSEN_ROLE_BIT(role)) == 0)
        return NANSEN_TRUST_WRONG_ROLE;
    return NANSEN_TRUST_OK;
}

static void check_verified(const nansen_trustlist *tl)
{
    nansen_trustlist_entry e;
    nansen_trust_result res;
    size_t i;
    int64_t iat, exp;
    int r, t;

    check_content(tl);
    must(nansen_trustlist_is_verified(tl));
    must(nansen_trustlist_is_newer(tl, tl) == NANSEN_ERR_ROLLBACK);
    must(nansen_trustlist_is_newer(NULL, tl) == NANSEN_OK);
    nansen_trustlist_times(tl, &iat, &exp);
    for (i = 0; i < nansen_trustlist_count(tl) && i < 16; i++) {
        must(nansen_trustlist_entry_at(tl, i, &e) == NANSEN_OK);
        for (t = 0; t < 4; t++) {
            int64_t now = t == 0 ? iat : t == 1 ? e.nbf - 1
                        : t == 2 ? e.exp : e.nbf;
            nansen_err err;

            for (r = NANSEN_ROLE_FIRST; r <= NANSEN_ROLE_LAST; r++) {
                nansen_trust_result want;

                err = nansen_trustlist_check_role(tl, e.kid, NULL,
                                                  (nansen_role)r, now, &res);
                if (exp != 0 && now >= exp) {
                    must(err == NANSEN_ERR_STALE &&
                         res == NANSEN_TRUST_LIST_EXPIRED);
                    continue;
                }
                want = expected(&e, (nansen_role)r, now);
                must(res == want);
                must(err == (want == NANSEN_TRUST_OK ? NANSEN_OK
                                                     : NANSEN_ERR_POLICY));
                must(nansen_trustlist_check_role(tl, NULL, e.key,
                                                 (nansen_role)r, now,
                                                 NULL) == err);
            }
        }
    }
}

/* Signed again from the decoded content, the payload is the input's. */
static void check_one_encoding(nansen_trustlist *tl, const uint8_t *data,
                               size_t size)
{
    nansen_trustlist_sign_params p = {0, 0, 0};
    nansen_cose_sign1 in, out;
    uint8_t *again;
    size_t len = 0;

    nansen_trustlist_times(tl, &p.iat, &p.exp);
    must(nansen_cose_sign1_parse(&in, data, size, NULL) == NANSEN_OK);
    /* setting the same sequence makes the list a draft */
    must(nansen_trustlist_set_sequence(tl, nansen_trustlist_sequence(tl)) ==
         NANSEN_OK);
    must(!nansen_trustlist_is_verified(tl));
    must(nansen_trustlist_sign(ctx, NULL, &len, tl, resigner, &p) ==
         NANSEN_OK);
    must((again = malloc(len)) != NULL);
    must(nansen_trustlist_sign(ctx, again, &len, tl, resigner, &p) ==
         NANSEN_OK);
    must(nansen_cose_sign1_parse(&out, again, len, NULL) == NANSEN_OK);
    if (out.payload_len != in.payload_len ||
        memcmp(out.payload, in.payload, in.payload_len) != 0) {
        fprintf(stderr, "decoded list encodes to another payload\n");
        abort();
    }
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_trustlist *tl = (nansen_trustlist *)&ctx, *v;
    nansen_trust_result res = NANSEN_TRUST_OK;
    const uint8_t *enc = NULL;
    size_t enc_len = 0, g;
    nansen_err err;

    if (ctx == NULL)
        init();
    err = nansen_trustlist_decode(ctx, &tl, data, size);
    if (err != NANSEN_OK) {
        must(tl == NULL);
        must(err != NANSEN_ERR_INVALID_ARG || size == 0);
        return 0;
    }
    must(tl != NULL);
    must(!nansen_trustlist_is_verified(tl));
    must(nansen_trustlist_check_role(tl, NULL, gov[0], NANSEN_ROLE_NGO, 1,
                                     &res) == NANSEN_ERR_INVALID_ARG);
    must(res == NANSEN_TRUST_NOT_LISTED);
    must(nansen_trustlist_encoded(tl, &enc, &enc_len) == NANSEN_OK);
    must(enc_len == size && memcmp(enc, data, size) == 0);
    check_content(tl);

    for (g = 0; g < 2; g++) {
        v = NULL;
        if (nansen_trustlist_verify(ctx, &v, data, size, gov[g]) ==
            NANSEN_OK) {
            must(nansen_trustlist_count(v) == nansen_trustlist_count(tl));
            must(nansen_trustlist_sequence(v) ==
                 nansen_trustlist_sequence(tl));
            check_verified(v);
        } else {
            must(v == NULL);
        }
        nansen_trustlist_free(v);
    }
    check_one_encoding(tl, data, size);
    nansen_trustlist_free(tl);
    return 0;
}
