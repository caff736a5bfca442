/* fuzz_withdrawal.c - withdrawals and withdrawal store files on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Each input is read as a withdrawal (nansen_withdrawal_decode), checked
 * against a fixed grant (nansen_withdrawal_verify), and added to an empty
 * store (nansen_withdrawal_store_add: one withdrawal or a whole store
 * file). Nothing may crash, leak or read out of bounds, and:
 *  - a failed call leaves no object, and a failed add leaves the store
 *    empty (all or nothing);
 *  - an input that is not a store file is added only if it decodes;
 *  - what a store accepts it holds: every entry is found by
 *    nansen_withdrawal_store_check under its own grant digest and key;
 *  - a store's file, added to a new store, gives the same bytes; adding it
 *    again adds nothing; an accepted store file is already in that one
 *    encoding (serialising the store gives the input back);
 *  - nansen_withdrawal_verify accepts only a withdrawal that the store also
 *    accepts and that makes the fixed grant withdrawn;
 *  - any other input, wrapped as the one entry of a well-made store file,
 *    is accepted in the file exactly when it is accepted alone, with the
 *    same status, and gives the same store.
 *
 * The seeds (tests/fuzz/corpus/fuzz_withdrawal/) are withdrawals of the
 * grant made below (Ed25519 and secp256k1 holders), a forged one by
 * another key, and store files holding them; keep both in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed secrets and times the seed corpus is made with. */
#define ISSUER_SECRET_BYTE 0x11
#define HOLDER_SECRET_BYTE 0x22
#define CLINIC_SECRET_BYTE 0x33
#define T0 1767225600             /* 2026-01-01T00:00:00Z */

static nansen_ctx *ctx;
static uint8_t grant[NANSEN_CREDENTIAL_MAX_BYTES];
static size_t grant_len;
static uint8_t grant_digest[NANSEN_DIGEST_BYTES];
static nansen_key *holder;

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

/* The grant every input is verified against: a referral from the fixed
 * issuer to the fixed Ed25519 holder, granted to the fixed clinic. */
static void init(void)
{
    static const uint8_t seed[32] = {7};
    static const uint32_t cats[] = {2, 3};
    nansen_key *issuer, *clinic;
    nansen_referral r;
    nansen_issue_params ip;
    nansen_grant_params gp;
    nansen_credential *cred = NULL;
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t ref_len = sizeof ref;
    char clinic_did[NANSEN_DID_MAX_BYTES];
    size_t n = sizeof clinic_did;

    must((ctx = nansen_ctx_create(0)) != NULL);
    issuer = fixed_key(NANSEN_KEY_ED25519, ISSUER_SECRET_BYTE);
    holder = fixed_key(NANSEN_KEY_ED25519, HOLDER_SECRET_BYTE);
    clinic = fixed_key(NANSEN_KEY_ED25519, CLINIC_SECRET_BYTE);
    must(nansen_key_did(clinic, clinic_did, &n) == NANSEN_OK);

    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.language = "ti";
    r.interpreter = 1;
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&ip, 0, sizeof ip);
    ip.iat = T0;
    ip.exp = T0 + 30 * 86400;
    ip.salt_seed = seed;
    ip.budget.max_version = -1;
    must(nansen_referral_issue(ctx, ref, &ref_len, issuer, holder, &r, &ip) ==
         NANSEN_OK);
    must(nansen_credential_decode(ctx, &cred, ref, ref_len) == NANSEN_OK);
    memset(&gp, 0, sizeof gp);
    gp.budget.max_version = -1;
    gp.audience = clinic_did;
    gp.purpose = 1;
    gp.categories = cats;
    gp.category_count = 2;
    gp.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE);
    gp.iat = T0 + 3600;
    gp.exp = T0 + 7 * 86400;
    gp.notice_lang = "en";
    grant_len = sizeof grant;
    must(nansen_grant_sign(ctx, grant, &grant_len, holder, cred, &gp) ==
         NANSEN_OK);
    crypto_hash_sha256(grant_digest, grant, grant_len);
    nansen_credential_free(cred);
    nansen_key_free(issuer);
    nansen_key_free(clinic);
}

/* A store file around one entry, with its check value: so that entries
 * reach the file's entry checks, past the checksum. */
static uint8_t *wrap(const uint8_t *entry, size_t n, size_t *len)
{
    static const uint8_t prefix[] = {
        0xd9, 0xd9, 0xf7, 0x84, 0x72, 'n', 'a', 'n', 's', 'e', 'n', '-', 'w',
        'i', 't', 'h', 'd', 'r', 'a', 'w', 'a', 'l', 's', 0x01, 0x81};
    uint8_t h[crypto_hash_sha256_BYTES], *out;
    size_t k = 0;

    must((out = malloc(sizeof prefix + 5 + n + 9)) != NULL);
    memcpy(out, prefix, sizeof prefix);
    k = sizeof prefix;
    if (n < 24) {
        out[k++] = (uint8_t)(0x40 + n);
    } else if (n < 0x100) {
        out[k++] = 0x58;
        out[k++] = (uint8_t)n;
    } else if (n < 0x10000) {
        out[k++] = 0x59;
        out[k++] = (uint8_t)(n >> 8);
        out[k++] = (uint8_t)n;
    } else {
        out[k++] = 0x5a;
        out[k++] = (uint8_t)(n >> 24);
        out[k++] = (uint8_t)(n >> 16);
        out[k++] = (uint8_t)(n >> 8);
        out[k++] = (uint8_t)n;
    }
    memcpy(out + k, entry, n);
    k += n;
    crypto_hash_sha256(h, out, k);
    out[k++] = 0x48;
    memcpy(out + k, h, 8);
    *len = k + 8;
    return out;
}

static uint8_t *serialize(const nansen_withdrawal_store *s, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    must(nansen_withdrawal_store_serialize(s, NULL, &need) == NANSEN_OK);
    must((out = malloc(need)) != NULL);
    *len = need;
    must(nansen_withdrawal_store_serialize(s, out, len) == NANSEN_OK);
    must(*len == need);
    return out;
}

/* Every entry is what the store says, and found where it should be. */
static void check_entries(const nansen_withdrawal_store *s)
{
    size_t i, count = nansen_withdrawal_store_count(s);

    for (i = 0; i < count; i++) {
        nansen_withdrawal_entry e;
        nansen_withdrawal *w = NULL;
        int64_t at = -1, iat = 0, exp = 0;

        must(nansen_withdrawal_store_entry(s, i, &e) == NANSEN_OK);
        must(e.iat > 0 && e.grant_exp > 0);
        must(e.withdrawal_len <= NANSEN_WITHDRAWAL_MAX_BYTES);
        must(nansen_withdrawal_decode(ctx, &w, e.withdrawal,
                                      e.withdrawal_len) == NANSEN_OK);
        nansen_withdrawal_times(w, &iat, &exp);
        must(iat == e.iat && exp == e.grant_exp);
        must(memcmp(nansen_withdrawal_grant_digest(w), e.grant_digest,
                    NANSEN_DIGEST_BYTES) == 0);
        must(nansen_withdrawal_store_check(s, e.grant_digest,
                                           nansen_withdrawal_holder(w),
                                           &at) == NANSEN_ERR_WITHDRAWN);
        must(at == e.iat);
        nansen_withdrawal_free(w);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_withdrawal *w = (nansen_withdrawal *)&ctx; /* not NULL */
    nansen_withdrawal_store *s = NULL, *t = NULL;
    nansen_err dec, add, ver;
    size_t added = 99, again = 99, len, len2;
    uint8_t *file, *file2;
    int is_file = size >= 3 && data[0] == 0xd9 && data[1] == 0xd9 &&
                  data[2] == 0xf7;

    if (ctx == NULL)
        init();

    dec = nansen_withdrawal_decode(ctx, &w, data, size);
    if (dec != NANSEN_OK) {
        must(w == NULL);
    } else {
        int64_t iat = 0, exp = 0;

        must(w != NULL && size <= NANSEN_WITHDRAWAL_MAX_BYTES);
        nansen_withdrawal_times(w, &iat, &exp);
        must(iat > 0 && exp > 0);
        must(nansen_withdrawal_holder(w) != NULL);
        must(nansen_withdrawal_grant_digest(w) != NULL);
    }

    ver = nansen_withdrawal_verify(ctx, data, size, grant, grant_len);
    must(ver != NANSEN_OK || dec == NANSEN_OK);

    if (nansen_withdrawal_store_create(ctx, &s) != NANSEN_OK)
        abort();
    add = nansen_withdrawal_store_add(s, data, size, &added);
    if (!is_file && size <= 0xffffffffu) {
        size_t wlen, added2 = 99;
        uint8_t *wrapped = wrap(data, size, &wlen);
        nansen_err add2;

        must(nansen_withdrawal_store_create(ctx, &t) == NANSEN_OK);
        add2 = nansen_withdrawal_store_add(t, wrapped, wlen, &added2);
        must(add2 == add && added2 == added);
        if (add == NANSEN_OK) {
            size_t l1, l2;
            uint8_t *f1 = serialize(s, &l1), *f2 = serialize(t, &l2);

            must(l1 == l2 && memcmp(f1, f2, l1) == 0);
            free(f1);
            free(f2);
        }
        free(wrapped);
        nansen_withdrawal_store_free(t);
        t = NULL;
    }
    if (add != NANSEN_OK) {
        must(added == 0 && nansen_withdrawal_store_count(s) == 0);
        must(ver != NANSEN_OK);
        goto out;
    }
    must(added == nansen_withdrawal_store_count(s));
    if (!is_file)
        must(dec == NANSEN_OK && added == 1);
    if (ver == NANSEN_OK)
        must(nansen_withdrawal_store_check(s, grant_digest, holder, NULL) ==
             NANSEN_ERR_WITHDRAWN);
    check_entries(s);

    /* the store's file: the same bytes through another store; adding it
     * again adds nothing */
    file = serialize(s, &len);
    if (is_file)
        must(len == size && memcmp(file, data, size) == 0);
    must(nansen_withdrawal_store_add(s, file, len, &again) == NANSEN_OK);
    must(again == 0);
    must(nansen_withdrawal_store_create(ctx, &t) == NANSEN_OK);
    must(nansen_withdrawal_store_add(t, file, len, &again) == NANSEN_OK);
    must(again == added);
    must(nansen_withdrawal_store_merge(t, s, &again) == NANSEN_OK);
    must(again == 0);
    file2 = serialize(t, &len2);
    must(len2 == len && memcmp(file, file2, len) == 0);
    free(file2);
    free(file);
out:
    nansen_withdrawal_free(w);   /* NULL after a failed decode */
    nansen_withdrawal_store_free(t);
    nansen_withdrawal_store_free(s);
    return 0;
}
