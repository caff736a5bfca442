/* fuzz_ledger.c - consent ledgers on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Each input is decoded as a ledger (nansen_ledger_decode). Nothing may
 * crash, leak or read out of bounds, and:
 *  - a failed decode leaves no object;
 *  - a decoded ledger re-encodes to the input, byte for byte (one ledger,
 *    one encoding), within the limits;
 *  - its entries are chained: entry i has seq i, the previous entry's
 *    hash as prev, and the head is the last hash and the count; the head
 *    is an anchor it passes, and any other count is not;
 *  - every recorded digest has a state, a grant one of its window's;
 *  - the listing renders in English and Arabic, the size query agrees
 *    with the text, and the text is valid UTF-8;
 *  - appending the fixed grant and its withdrawal gives a ledger that
 *    decodes again and still passes the old head as an anchor: appends
 *    only extend.
 * A mutated entry breaks the chain, so that the checks after it would
 * rarely run: each input is also "rechained" (every prev and the head
 * hash recomputed, as a holder of the wallet key could) and the result
 * goes through the same checks.
 *
 * The seeds (tests/fuzz/corpus/fuzz_ledger/) are ledgers made from the
 * grant and withdrawal below, with these recording times: empty; the
 * grant (T0 + 4000); the grant and its withdrawal (T0 + 90000); that one
 * with a head count of 1 (a broken chain); the withdrawal alone; the
 * withdrawal and then the grant (T0 + 95000). Keep them in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen.h"
#include "nansen/ledger.h"
#include "internal/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ISSUER_SECRET_BYTE 0x11
#define HOLDER_SECRET_BYTE 0x22
#define CLINIC_SECRET_BYTE 0x33
#define T0 1767225600             /* 2026-01-01T00:00:00Z */

static nansen_ctx *ctx;
static uint8_t grant[NANSEN_CREDENTIAL_MAX_BYTES];
static size_t grant_len;
static uint8_t withdrawal[NANSEN_WITHDRAWAL_MAX_BYTES];
static size_t withdrawal_len;

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

/* A grant from the fixed holder to the fixed clinic, and its withdrawal:
 * the same as fuzz_withdrawal's. */
static void init(void)
{
    static const uint8_t seed[32] = {7}, cti[NANSEN_CTI_BYTES] = {7};
    static const uint32_t cats[] = {2, 3};
    nansen_key *issuer, *holder, *clinic;
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
    ip.cti = cti;
    ip.budget.max_version = -1;
    must(nansen_referral_issue(ctx, ref, &ref_len, issuer, holder, &r, &ip) ==
         NANSEN_OK);
    must(nansen_credential_decode(ctx, &cred, ref, ref_len) == NANSEN_OK);
    memset(&gp, 0, sizeof gp);
    gp.budget.max_version = -1;
    gp.audience = clinic_did;
    gp.audience_name = "Clinique Espoir";
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
    withdrawal_len = sizeof withdrawal;
    must(nansen_withdrawal_sign(ctx, withdrawal, &withdrawal_len, holder,
                                grant, grant_len, T0 + 86400) == NANSEN_OK);
    nansen_credential_free(cred);
    nansen_key_free(issuer);
    nansen_key_free(holder);
    nansen_key_free(clinic);
}

static uint8_t *encode(const nansen_ledger *l, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    must(nansen_ledger_encode(NULL, &need, l) == NANSEN_OK);
    must((out = malloc(need)) != NULL);
    *len = need;
    must(nansen_ledger_encode(out, len, l) == NANSEN_OK);
    must(*len == need);
    return out;
}

/* A valid UTF-8 string without NUL before its end. */
static int utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i], k, cp, min;

        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1; cp = c & 0x1f; min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2; cp = c & 0x0f; min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return 0;
        }
        for (; k > 0; k--) {
            if (++i >= n || (p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i++;
    }
    return 1;
}

static void check_render(const nansen_ledger *l, const char *lang,
                         int64_t now)
{
    size_t need = 0, len;
    char *out;

    must(nansen_ledger_render(NULL, &need, l, lang, now) == NANSEN_OK);
    must(need >= 1);
    must((out = malloc(need)) != NULL);
    len = need;
    must(nansen_ledger_render(out, &len, l, lang, now) == NANSEN_OK);
    must(len == need && out[len - 1] == '\0' && strlen(out) == len - 1);
    must(utf8_ok(out, len - 1));
    free(out);
}

/* Recompute, in place, every prev (key 3, a 32-byte string) and the
 * head hash of a buffer laid out as a ledger, as far as it is one. */
static void rechain(uint8_t *buf, size_t size)
{
    static const char dom[] = "nansen-ledger-entry-v1";
    uint8_t prev[32] = {0};
    nansen__cbor_item it;
    nansen__cbr r;
    size_t n, i, item, pairs, k;

    if (size < 18)
        return;
    nansen__cbr_init(&r, buf + 18, size - 18);
    if (nansen__cbr_next(&r, &it) != NANSEN_OK ||
        nansen__cbr_array(&r, &n) != NANSEN_OK)
        return;
    for (i = 0; i < n; i++) {
        uint8_t *start = (uint8_t *)r.p;
        crypto_hash_sha256_state st;
        nansen__cbr e;
        int64_t key;

        if (nansen__cbor_check_prefix(r.p, (size_t)(r.end - r.p), 0,
                                      &item) != NANSEN_OK)
            return;
        nansen__cbr_init(&e, r.p, item);
        if (nansen__cbr_map(&e, &pairs) == NANSEN_OK)
            for (k = 0; k < pairs; k++) {
                const uint8_t *p;
                size_t len;

                if (nansen__cbr_int(&e, &key) != NANSEN_OK)
                    break;
                if (key == 3) {
                    if (nansen__cbr_bytes(&e, &p, &len) == NANSEN_OK &&
                        len == 32)
                        memcpy((uint8_t *)p, prev, 32);
                    break;
                }
                if (nansen__cbr_skip(&e, NULL, NULL) != NANSEN_OK)
                    break;
            }
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, (const uint8_t *)dom, sizeof dom);
        crypto_hash_sha256_update(&st, start, item);
        crypto_hash_sha256_final(&st, prev);
        r.p += item;
    }
    if (nansen__cbr_array(&r, &n) == NANSEN_OK && n == 2 &&
        nansen__cbr_next(&r, &it) == NANSEN_OK &&
        nansen__cbr_next(&r, &it) == NANSEN_OK &&
        it.type == NANSEN__CBOR_BYTES && it.len == 32)
        memcpy((uint8_t *)it.str, prev, 32);
}

static void one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy;

    if (ctx == NULL)
        init();
    one(data, size);
    if (size >= 18 && (copy = malloc(size)) != NULL) {
        memcpy(copy, data, size);
        rechain(copy, size);
        if (memcmp(copy, data, size) != 0)
            one(copy, size);
        free(copy);
    }
    return 0;
}

static void one(const uint8_t *data, size_t size)
{
    nansen_ledger *l = (nansen_ledger *)&ctx, *m = NULL;
    uint8_t head[NANSEN_LEDGER_HASH_BYTES], zero[32] = {0}, *b, *b2;
    uint64_t count = 0;
    size_t i, n, len, len2;
    nansen_err err;

    err = nansen_ledger_decode(ctx, &l, data, size);
    if (err != NANSEN_OK) {
        must(l == NULL);
        return;
    }
    must(l != NULL && size <= NANSEN_LEDGER_MAX_BYTES);
    b = encode(l, &len);
    must(len == size && memcmp(b, data, size) == 0);
    free(b);

    n = nansen_ledger_count(l);
    must(n <= NANSEN_LEDGER_MAX_ENTRIES);
    must(nansen_ledger_head(l, head, &count) == NANSEN_OK && count == n);
    for (i = 0; i < n; i++) {
        nansen_ledger_entry e, p;
        int st = -1;

        must(nansen_ledger_entry_get(l, i, &e) == NANSEN_OK);
        must(e.seq == i);
        if (i == 0) {
            must(memcmp(e.prev, zero, 32) == 0);
        } else {
            must(nansen_ledger_entry_get(l, i - 1, &p) == NANSEN_OK);
            must(memcmp(e.prev, p.hash, 32) == 0);
        }
        if (i + 1 == n)
            must(memcmp(e.hash, head, 32) == 0);
        must(nansen_ledger_grant_state(l, e.grant_digest, e.at, &st) ==
             NANSEN_OK);
        if (e.kind == NANSEN_LEDGER_GRANT) {
            must(e.audience != NULL && e.category_count >= 1 &&
                 e.from < e.until);
            must(st >= NANSEN_LEDGER_ACTIVE && st <= NANSEN_LEDGER_WITHDRAWN);
        } else {
            must(e.kind == NANSEN_LEDGER_WITHDRAWAL && e.audience == NULL);
            must(st == NANSEN_LEDGER_WITHDRAWN);
        }
    }
    must(nansen_ledger_check_anchor(l, head, count) == NANSEN_OK);
    must(nansen_ledger_check_anchor(l, head, count + 1) ==
         NANSEN_ERR_CHAIN_BROKEN);
    check_render(l, "en", T0);
    check_render(l, "ar", T0 + 3 * 86400);
    if (n > 0 && size < 4096)
        check_render(l, "ti", INT64_MAX);

    /* appends extend: the old head stays an anchor */
    err = nansen_ledger_append_grant(l, grant, grant_len, T0 + 4000);
    must(err == NANSEN_OK || err == NANSEN_ERR_CBOR_TOO_LARGE);
    err = nansen_ledger_append_withdrawal(l, withdrawal, withdrawal_len,
                                          T0 + 90000);
    must(err == NANSEN_OK || err == NANSEN_ERR_CBOR_TOO_LARGE);
    must(nansen_ledger_count(l) >= n && nansen_ledger_count(l) <= n + 2);
    must(nansen_ledger_check_anchor(l, head, count) == NANSEN_OK);
    b = encode(l, &len);
    must(nansen_ledger_decode(ctx, &m, b, len) == NANSEN_OK);
    b2 = encode(m, &len2);
    must(len2 == len && memcmp(b, b2, len) == 0);
    must(nansen_ledger_check_anchor(m, head, count) == NANSEN_OK);
    free(b2);
    free(b);
    nansen_ledger_free(m);
    nansen_ledger_free(l);
}
