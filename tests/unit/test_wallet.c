/* test_wallet.c - the encrypted wallet file: round trips, every refusal
 * with the file left untouched, passphrase change, recovery from shares,
 * and saves that survive being killed at any moment.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "testutil.h"
#include "nansen/wallet.h"

#define T0 1780000000LL
#define DAY 86400LL
#define PASS "correct horse battery staple"
#define PASS2 "a new passphrase for a new phone"
#define LEN(s) (sizeof(s) - 1)

/* The least cost: tests run hundreds of key derivations. */
static const nansen_wallet_kdf FAST = {1, 8192};

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo, *holder, *clinic;
    char clinic_did[128];
    uint8_t *ref, *grant, *wd;
    size_t ref_len, grant_len, wd_len;
} fx;

static nansen_key *seed_key(nansen_ctx *ctx, uint8_t b)
{
    uint8_t s[32];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, NANSEN_KEY_ED25519, s),
                     NANSEN_OK);
    return k;
}

static uint8_t *grow(size_t n)
{
    uint8_t *p = malloc(n);

    assert_non_null(p);
    return p;
}

static int setup(void **state)
{
    static const uint8_t seed[32] = {42};
    static const uint32_t cats[] = {2, 3};
    fx *f = calloc(1, sizeof *f);
    nansen_referral r;
    nansen_issue_params ip;
    nansen_grant_params gp;
    nansen_credential *cred = NULL;
    size_t n;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->ngo = seed_key(f->ctx, 1);
    f->holder = seed_key(f->ctx, 2);
    f->clinic = seed_key(f->ctx, 3);
    n = sizeof f->clinic_did;
    assert_int_equal(nansen_key_did(f->clinic, f->clinic_did, &n), NANSEN_OK);

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
    assert_int_equal(nansen_referral_issue(f->ctx, NULL, &f->ref_len, f->ngo,
                                           f->holder, &r, &ip), NANSEN_OK);
    f->ref = grow(f->ref_len);
    assert_int_equal(nansen_referral_issue(f->ctx, f->ref, &f->ref_len,
                                           f->ngo, f->holder, &r, &ip),
                     NANSEN_OK);
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, f->ref,
                                              f->ref_len), NANSEN_OK);
    memset(&gp, 0, sizeof gp);
    gp.budget.max_version = -1;
    gp.audience = f->clinic_did;
    gp.purpose = 1;
    gp.categories = cats;
    gp.category_count = 2;
    gp.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE);
    gp.iat = T0 + 3600;
    gp.exp = T0 + 7 * DAY;
    gp.notice_lang = "en";
    assert_int_equal(nansen_grant_sign(f->ctx, NULL, &f->grant_len,
                                       f->holder, cred, &gp), NANSEN_OK);
    f->grant = grow(f->grant_len);
    assert_int_equal(nansen_grant_sign(f->ctx, f->grant, &f->grant_len,
                                       f->holder, cred, &gp), NANSEN_OK);
    nansen_credential_free(cred);
    assert_int_equal(nansen_withdrawal_sign(f->ctx, NULL, &f->wd_len,
                                            f->holder, f->grant,
                                            f->grant_len, T0 + 2 * DAY),
                     NANSEN_OK);
    f->wd = grow(f->wd_len);
    assert_int_equal(nansen_withdrawal_sign(f->ctx, f->wd, &f->wd_len,
                                            f->holder, f->grant,
                                            f->grant_len, T0 + 2 * DAY),
                     NANSEN_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_key_free(f->ngo);
    nansen_key_free(f->holder);
    nansen_key_free(f->clinic);
    free(f->ref);
    free(f->grant);
    free(f->wd);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static int contains(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return 1;
    return 0;
}

/* A wallet holding the holder's key, the referral, the grant and (when
 * with_wd) the withdrawal. */
static nansen_wallet *full_wallet(fx *f, const char *pass, int with_wd)
{
    nansen_wallet *w = NULL;

    assert_int_equal(nansen_wallet_create(f->ctx, &w, pass, strlen(pass),
                                          &FAST), NANSEN_OK);
    assert_int_equal(nansen_wallet_key_add(w, f->holder, "phone 2026", T0,
                                           NULL), NANSEN_OK);
    assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_CREDENTIAL, f->ref,
                                       f->ref_len, T0), NANSEN_OK);
    assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_GRANT, f->grant,
                                       f->grant_len, T0 + 3600), NANSEN_OK);
    if (with_wd)
        assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_WITHDRAWAL,
                                           f->wd, f->wd_len, T0 + 2 * DAY),
                         NANSEN_OK);
    return w;
}

static uint8_t *seal(const nansen_wallet *w, size_t *len)
{
    uint8_t *out;

    *len = 0;
    assert_int_equal(nansen_wallet_seal(NULL, len, w), NANSEN_OK);
    out = grow(*len);
    assert_int_equal(nansen_wallet_seal(out, len, w), NANSEN_OK);
    return out;
}

/* The same keys, items and ledger. */
static void assert_same_wallet(const nansen_wallet *a, const nansen_wallet *b)
{
    nansen_wallet_info ia, ib;
    uint8_t ha[32], hb[32];
    uint64_t ca, cb;
    size_t i;
    int k;

    assert_int_equal(nansen_wallet_get_info(a, &ia), NANSEN_OK);
    assert_int_equal(nansen_wallet_get_info(b, &ib), NANSEN_OK);
    assert_memory_equal(ia.wallet_id, ib.wallet_id, sizeof ia.wallet_id);
    assert_int_equal(ia.keys, ib.keys);
    for (i = 0; i < ia.keys; i++) {
        const nansen_key *ka, *kb;
        const char *la, *lb;
        int64_t ta, tb;

        assert_int_equal(nansen_wallet_key_get(a, i, &ka, &la, &ta),
                         NANSEN_OK);
        assert_int_equal(nansen_wallet_key_get(b, i, &kb, &lb, &tb),
                         NANSEN_OK);
        assert_true(nansen_key_equal(ka, kb));
        assert_true(nansen_key_has_secret(kb));
        assert_string_equal(la, lb);
        assert_int_equal(ta, tb);
    }
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++) {
        assert_int_equal(ia.items[k], ib.items[k]);
        for (i = 0; i < ia.items[k]; i++) {
            const uint8_t *pa, *pb;
            size_t la, lb;

            assert_int_equal(nansen_wallet_get(a, (nansen_wallet_kind)k, i,
                                               &pa, &la), NANSEN_OK);
            assert_int_equal(nansen_wallet_get(b, (nansen_wallet_kind)k, i,
                                               &pb, &lb), NANSEN_OK);
            assert_int_equal(la, lb);
            assert_memory_equal(pa, pb, la);
        }
    }
    assert_int_equal(nansen_ledger_head(nansen_wallet_ledger(a), ha, &ca),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_head(nansen_wallet_ledger(b), hb, &cb),
                     NANSEN_OK);
    assert_int_equal(ca, cb);
    assert_memory_equal(ha, hb, sizeof ha);
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void assert_file_is(const char *path, const uint8_t *p, size_t n)
{
    size_t len = 0;
    char *got = tu_read_file(path, &len);

    assert_non_null(got);
    assert_int_equal(len, n);
    assert_memory_equal(got, p, n);
    free(got);
}

/* Recompute the trailing BLAKE2b checksum after a deliberate change. */
static void fix_checksum(uint8_t *p, size_t n)
{
    crypto_generichash(p + n - 32, 32, p, n - 32, NULL, 0);
}

static nansen_err open_buf(fx *f, const uint8_t *p, size_t n,
                           const char *pass)
{
    nansen_wallet *w = (nansen_wallet *)1;
    nansen_err err = nansen_wallet_open_bytes(f->ctx, &w, p, n, pass,
                                              strlen(pass));

    if (err != NANSEN_OK)
        assert_null(w);
    nansen_wallet_free(w);
    return err;
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
    fx *f = *state;
    nansen_wallet *w = full_wallet(f, PASS, 1), *back = NULL;
    nansen_wallet_header h;
    nansen_wallet_info info;
    uint8_t *s1, *s2;
    size_t n1, n2;
    char path[4200];
    struct stat st;

    s1 = seal(w, &n1);
    s2 = seal(w, &n2);
    assert_int_equal(n1, n2);                 /* exact size, fresh nonces */
    assert_memory_not_equal(s1, s2, n1);
    assert_memory_equal(s1, "NANSENWL", 8);
    assert_int_equal(nansen_wallet_header_decode(&h, s1, n1), NANSEN_OK);
    assert_int_equal(h.version, 1);
    assert_int_equal(h.kdf.opslimit, FAST.opslimit);
    assert_int_equal(h.kdf.memlimit, FAST.memlimit);
    assert_int_equal(h.sealed_len, n1 - NANSEN_WALLET_HEADER_BYTES - 32);
    assert_int_equal(nansen_wallet_get_info(w, &info), NANSEN_OK);
    assert_memory_equal(h.wallet_id, info.wallet_id, 16);
    assert_int_equal(info.keys, 1);
    assert_int_equal(info.items[NANSEN_WALLET_CREDENTIAL], 1);
    assert_int_equal(info.items[NANSEN_WALLET_GRANT], 1);
    assert_int_equal(info.items[NANSEN_WALLET_WITHDRAWAL], 1);
    assert_int_equal(info.items[NANSEN_WALLET_RECEIPT], 0);
    assert_int_equal(info.ledger_entries, 2);
    assert_true(info.has_passphrase);
    /* no plaintext in the file */
    assert_false(contains(s1, n1, "Nightmares"));
    assert_false(contains(s1, n1, "phone 2026"));

    assert_int_equal(nansen_wallet_open_bytes(f->ctx, &back, s1, n1, PASS,
                                              LEN(PASS)), NANSEN_OK);
    assert_same_wallet(w, back);
    nansen_wallet_free(back);

    snprintf(path, sizeof path, "%s/wallet.nsw", tu_tmpdir());
    (void)remove(path);
    assert_int_equal(nansen_wallet_save(w, path, 0), NANSEN_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(nansen_wallet_save(w, path, 0), NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_wallet_save(w, path, NANSEN_SAVE_OVERWRITE),
                     NANSEN_OK);
    back = NULL;
    assert_int_equal(nansen_wallet_open(f->ctx, &back, path, PASS,
                                        LEN(PASS)), NANSEN_OK);
    assert_same_wallet(w, back);
    nansen_wallet_free(back);
    (void)remove(path);
    free(s1);
    free(s2);
    nansen_wallet_free(w);
}

static void test_keys_and_items(void **state)
{
    fx *f = *state;
    nansen_wallet *w = NULL;
    nansen_key *pub = NULL;
    const nansen_key *k;
    const uint8_t *p;
    const char *label;
    size_t i, len;
    int64_t created;
    char long_label[NANSEN_WALLET_LABEL_MAX_BYTES + 2];

    assert_int_equal(nansen_wallet_create(f->ctx, &w, PASS, LEN(PASS),
                                          &FAST), NANSEN_OK);
    assert_int_equal(nansen_key_public_copy(f->ctx, &pub, f->holder),
                     NANSEN_OK);
    assert_int_equal(nansen_wallet_key_add(w, pub, "x", T0, NULL),
                     NANSEN_ERR_NO_SECRET_KEY);
    assert_int_equal(nansen_wallet_key_add(w, f->holder, "", T0, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_wallet_key_add(w, f->holder, "\xff", T0, NULL),
                     NANSEN_ERR_INVALID_ARG);
    memset(long_label, 'a', sizeof long_label - 1);
    long_label[sizeof long_label - 1] = '\0';
    assert_int_equal(nansen_wallet_key_add(w, f->holder, long_label, T0,
                                           NULL), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_wallet_key_add(w, f->holder, "phone", T0, &i),
                     NANSEN_OK);
    assert_int_equal(i, 0);
    assert_int_equal(nansen_wallet_key_add(w, f->holder, "again", T0, NULL),
                     NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_wallet_key_generate(w, NANSEN_KEY_SECP256K1,
                                                "spare", T0 + 1, &i),
                     NANSEN_OK);
    assert_int_equal(i, 1);
    assert_int_equal(nansen_wallet_key_count(w), 2);
    assert_int_equal(nansen_wallet_key_find(w, pub, &i), NANSEN_OK);
    assert_int_equal(i, 0);
    assert_int_equal(nansen_wallet_key_find(w, f->ngo, &i),
                     NANSEN_ERR_NOT_FOUND);
    assert_int_equal(nansen_wallet_key_get(w, 1, &k, &label, &created),
                     NANSEN_OK);
    assert_int_equal(nansen_key_get_type(k), NANSEN_KEY_SECP256K1);
    assert_string_equal(label, "spare");
    assert_int_equal(created, T0 + 1);
    assert_int_equal(nansen_wallet_key_get(w, 2, &k, NULL, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(k);
    assert_int_equal(nansen_wallet_key_remove(w, 0), NANSEN_OK);
    assert_int_equal(nansen_wallet_key_count(w), 1);
    assert_int_equal(nansen_wallet_key_find(w, pub, &i),
                     NANSEN_ERR_NOT_FOUND);

    /* each item is checked by its own decoder */
    assert_int_not_equal(nansen_wallet_add(w, NANSEN_WALLET_CREDENTIAL,
                                           f->grant, f->grant_len, T0),
                         NANSEN_OK);
    assert_int_not_equal(nansen_wallet_add(w, NANSEN_WALLET_GRANT, f->ref,
                                           f->ref_len, T0), NANSEN_OK);
    assert_int_not_equal(nansen_wallet_add(w, NANSEN_WALLET_WITHDRAWAL,
                                           f->grant, f->grant_len, T0),
                         NANSEN_OK);
    assert_int_not_equal(nansen_wallet_add(w, NANSEN_WALLET_RECEIPT,
                                           (const uint8_t *)"\x80", 1, T0),
                         NANSEN_OK);
    assert_int_equal(nansen_wallet_add(w, (nansen_wallet_kind)5, f->ref,
                                       f->ref_len, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_ledger_count(nansen_wallet_ledger(w)), 0);
    assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_GRANT, f->grant,
                                       f->grant_len, T0), NANSEN_OK);
    assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_GRANT, f->grant,
                                       f->grant_len, T0), NANSEN_ERR_EXISTS);
    assert_int_equal(nansen_ledger_count(nansen_wallet_ledger(w)), 1);
    /* a receipt: any tagged COSE_Sign1 (the withdrawal is one) */
    assert_int_equal(nansen_wallet_add(w, NANSEN_WALLET_RECEIPT, f->wd,
                                       f->wd_len, T0), NANSEN_OK);
    assert_int_equal(nansen_wallet_count(w, NANSEN_WALLET_RECEIPT), 1);
    assert_int_equal(nansen_wallet_get(w, NANSEN_WALLET_GRANT, 0, &p, &len),
                     NANSEN_OK);
    assert_int_equal(len, f->grant_len);
    assert_memory_equal(p, f->grant, len);
    assert_int_equal(nansen_wallet_get(w, NANSEN_WALLET_GRANT, 1, &p, &len),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(p);
    /* removing a grant keeps the record of having given it */
    assert_int_equal(nansen_wallet_remove(w, NANSEN_WALLET_GRANT, 0),
                     NANSEN_OK);
    assert_int_equal(nansen_wallet_count(w, NANSEN_WALLET_GRANT), 0);
    assert_int_equal(nansen_ledger_count(nansen_wallet_ledger(w)), 1);
    assert_int_equal(nansen_wallet_remove(w, NANSEN_WALLET_GRANT, 0),
                     NANSEN_ERR_INVALID_ARG);
    nansen_key_free(pub);
    nansen_wallet_free(w);
}

/* Every truncation and every single-bit flip is refused, with its status,
 * before any key derivation; the file on disk is never touched. */
static void test_damaged_files(void **state)
{
    fx *f = *state;
    nansen_wallet *w = full_wallet(f, PASS, 0);
    nansen_wallet_header h;
    uint8_t *good, *bad;
    size_t n, i, bit;
    char path[4200];

    good = seal(w, &n);
    bad = grow(n);
    for (i = 0; i < n; i++)
        assert_int_equal(nansen_wallet_header_decode(&h, good, i),
                         NANSEN_ERR_TRUNCATED);
    for (i = 0; i < n; i++)
        for (bit = 0; bit < 8; bit++) {
            nansen_err want, got;

            memcpy(bad, good, n);
            bad[i] ^= (uint8_t)(1u << bit);
            got = nansen_wallet_header_decode(&h, bad, n);
            if (i < 8)
                want = NANSEN_ERR_WRONG_TYPE;
            else if (i >= 160 && i < 168 && got == NANSEN_ERR_TRUNCATED)
                want = NANSEN_ERR_TRUNCATED;   /* says it is longer */
            else
                want = NANSEN_ERR_CHECKSUM;
            assert_int_equal(got, want);
        }
    /* with the passphrase too, and from a file that stays as it was */
    snprintf(path, sizeof path, "%s/damaged.nsw", tu_tmpdir());
    for (i = 0; i < n; i += 97) {
        nansen_wallet *o = (nansen_wallet *)1;

        memcpy(bad, good, n);
        bad[i] ^= 0x10;
        write_file(path, bad, n);
        assert_int_not_equal(nansen_wallet_open(f->ctx, &o, path, PASS,
                                                LEN(PASS)), NANSEN_OK);
        assert_null(o);
        assert_file_is(path, bad, n);
    }
    write_file(path, good, n - 1);
    assert_int_equal(open_buf(f, good, n - 1, PASS), NANSEN_ERR_TRUNCATED);
    (void)remove(path);
    assert_int_equal(open_buf(f, good, 0, PASS), NANSEN_ERR_TRUNCATED);
    assert_int_equal(open_buf(f, (const uint8_t *)"NANSENWX", 8, PASS),
                     NANSEN_ERR_WRONG_TYPE);
    /* a trailing byte */
    {
        uint8_t *longer = grow(n + 1);

        memcpy(longer, good, n);
        longer[n] = 0;
        assert_int_equal(open_buf(f, longer, n + 1, PASS),
                         NANSEN_ERR_CHECKSUM);
        fix_checksum(longer, n + 1);
        assert_int_equal(open_buf(f, longer, n + 1, PASS),
                         NANSEN_ERR_BAD_LENGTH);
        free(longer);
    }
    free(good);
    free(bad);
    nansen_wallet_free(w);
}

/* Changes made deliberately, with the checksum recomputed. */
static void test_altered_files(void **state)
{
    fx *f = *state;
    nansen_wallet *w = full_wallet(f, PASS, 0);
    uint8_t *good, *bad;
    size_t n;

    good = seal(w, &n);
    bad = grow(n);
    assert_int_equal(open_buf(f, good, n, PASS), NANSEN_OK);
    assert_int_equal(open_buf(f, good, n, "wrong"),
                     NANSEN_ERR_WRONG_PASSPHRASE);
    assert_int_equal(open_buf(f, good, n, PASS "x"),
                     NANSEN_ERR_WRONG_PASSPHRASE);
    /* a future version: nothing else is read */
    memcpy(bad, good, n);
    bad[9] = 2;
    bad[11] = 0xfd;
    assert_int_equal(open_buf(f, bad, n, PASS),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    bad[9] = 0xff;
    bad[11] = 0x00;
    assert_int_equal(open_buf(f, bad, 12, PASS),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    /* another key derivation, reserved bytes, costs out of range */
    memcpy(bad, good, n);
    bad[12] = 2;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_UNSUPPORTED_ALG);
    memcpy(bad, good, n);
    bad[14] = 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_MALFORMED);
    memcpy(bad, good, n);
    bad[23] = 0;                                  /* opslimit 0 */
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_OUT_OF_RANGE);
    memcpy(bad, good, n);
    bad[23] = 17;                                 /* opslimit 17 */
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_OUT_OF_RANGE);
    memcpy(bad, good, n);
    bad[24] = 1;                                  /* 2^56 bytes */
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_OUT_OF_RANGE);
    memcpy(bad, good, n);
    bad[167] ^= 1;                                /* sealed length */
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_BAD_LENGTH);
    /* the salt, the wallet id, the sealed key: the passphrase no longer
     * opens it (the header is authenticated by the key's seal) */
    memcpy(bad, good, n);
    bad[40] ^= 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_WRONG_PASSPHRASE);
    memcpy(bad, good, n);
    bad[50] ^= 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_WRONG_PASSPHRASE);
    memcpy(bad, good, n);
    bad[100] ^= 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_WRONG_PASSPHRASE);
    /* the contents or their nonce: they no longer authenticate */
    memcpy(bad, good, n);
    bad[140] ^= 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_CHECKSUM);
    memcpy(bad, good, n);
    bad[n - 40] ^= 1;
    fix_checksum(bad, n);
    assert_int_equal(open_buf(f, bad, n, PASS), NANSEN_ERR_CHECKSUM);
    /* a passphrase is needed and bounded */
    assert_int_equal(open_buf(f, good, n, ""), NANSEN_ERR_INVALID_ARG);
    free(good);
    free(bad);
    nansen_wallet_free(w);
}

static void test_passphrase_change(void **state)
{
    fx *f = *state;
    nansen_wallet *w = full_wallet(f, PASS, 1), *back = NULL;
    nansen_share_set *set = NULL;
    const uint8_t *sh[2];
    size_t shl[2];
    nansen_wallet_kdf other = {2, 16384};
    nansen_wallet_info info;
    uint8_t *old, *now;
    size_t n_old, n_now;

    assert_int_equal(nansen_wallet_split(w, &set, 2, 3, T0), NANSEN_OK);
    old = seal(w, &n_old);
    assert_int_equal(nansen_wallet_set_passphrase(w, PASS2, LEN(PASS2),
                                                  &other), NANSEN_OK);
    now = seal(w, &n_now);
    assert_int_equal(open_buf(f, old, n_old, PASS), NANSEN_OK);
    assert_int_equal(open_buf(f, now, n_now, PASS),
                     NANSEN_ERR_WRONG_PASSPHRASE);
    assert_int_equal(nansen_wallet_open_bytes(f->ctx, &back, now, n_now,
                                              PASS2, LEN(PASS2)), NANSEN_OK);
    assert_same_wallet(w, back);
    assert_int_equal(nansen_wallet_get_info(back, &info), NANSEN_OK);
    assert_int_equal(info.kdf.opslimit, 2);
    assert_int_equal(info.kdf.memlimit, 16384);
    nansen_wallet_free(back);
    /* shares made before the change still open the new file */
    assert_int_equal(nansen_share_set_get(set, 0, &sh[0], &shl[0]),
                     NANSEN_OK);
    assert_int_equal(nansen_share_set_get(set, 2, &sh[1], &shl[1]),
                     NANSEN_OK);
    back = NULL;
    assert_int_equal(nansen_wallet_recover(f->ctx, &back, now, n_now, sh,
                                           shl, 2), NANSEN_OK);
    assert_same_wallet(w, back);
    nansen_wallet_free(back);
    /* refused changes keep the old passphrase */
    assert_int_equal(nansen_wallet_set_passphrase(w, "", 0, NULL),
                     NANSEN_ERR_INVALID_ARG);
    other.memlimit = 1;
    assert_int_equal(nansen_wallet_set_passphrase(w, PASS, LEN(PASS),
                                                  &other),
                     NANSEN_ERR_INVALID_ARG);
    free(now);
    now = seal(w, &n_now);
    assert_int_equal(open_buf(f, now, n_now, PASS2), NANSEN_OK);
    nansen_share_set_free(set);
    free(old);
    free(now);
    nansen_wallet_free(w);
}

static void test_recovery(void **state)
{
    fx *f = *state;
    nansen_wallet *w = full_wallet(f, PASS, 1), *other = full_wallet(f, PASS, 0);
    nansen_wallet *back = NULL;
    nansen_share_set *set = NULL, *set2 = NULL, *oset = NULL;
    const uint8_t *sh[3];
    size_t shl[3], n, i, j;
    uint8_t *sealed, *resealed;
    size_t rn;

    sealed = seal(w, &n);
    assert_int_equal(nansen_wallet_split(w, &set, 2, 3, T0), NANSEN_OK);
    assert_int_equal(nansen_share_set_count(set), 3);
    for (i = 0; i < 3; i++)
        for (j = i + 1; j < 3; j++) {
            assert_int_equal(nansen_share_set_get(set, i, &sh[0], &shl[0]),
                             NANSEN_OK);
            assert_int_equal(nansen_share_set_get(set, j, &sh[1], &shl[1]),
                             NANSEN_OK);
            back = NULL;
            assert_int_equal(nansen_wallet_recover(f->ctx, &back, sealed, n,
                                                   sh, shl, 2), NANSEN_OK);
            assert_same_wallet(w, back);
            nansen_wallet_free(back);
        }
    /* one share is not enough */
    back = (nansen_wallet *)1;
    assert_int_equal(nansen_wallet_recover(f->ctx, &back, sealed, n, sh, shl,
                                           1), NANSEN_ERR_NOT_ENOUGH_SHARES);
    assert_null(back);
    /* a share of another split of the same wallet */
    assert_int_equal(nansen_wallet_split(w, &set2, 2, 3, T0), NANSEN_OK);
    assert_int_equal(nansen_share_set_get(set2, 1, &sh[1], &shl[1]),
                     NANSEN_OK);
    assert_int_equal(nansen_wallet_recover(f->ctx, &back, sealed, n, sh, shl,
                                           2), NANSEN_ERR_SHARE_MISMATCH);
    /* shares of another wallet do not open this one */
    assert_int_equal(nansen_wallet_split(other, &oset, 2, 2, T0), NANSEN_OK);
    assert_int_equal(nansen_share_set_get(oset, 0, &sh[0], &shl[0]),
                     NANSEN_OK);
    assert_int_equal(nansen_share_set_get(oset, 1, &sh[1], &shl[1]),
                     NANSEN_OK);
    assert_int_equal(nansen_wallet_recover(f->ctx, &back, sealed, n, sh, shl,
                                           2), NANSEN_ERR_SHARE_MISMATCH);

    /* a recovered wallet has no passphrase until it is given one */
    assert_int_equal(nansen_share_set_get(set, 0, &sh[0], &shl[0]),
                     NANSEN_OK);
    assert_int_equal(nansen_share_set_get(set, 1, &sh[1], &shl[1]),
                     NANSEN_OK);
    assert_int_equal(nansen_wallet_recover(f->ctx, &back, sealed, n, sh, shl,
                                           2), NANSEN_OK);
    rn = 0;
    assert_int_equal(nansen_wallet_seal(NULL, &rn, back),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_wallet_set_passphrase(back, PASS2, LEN(PASS2),
                                                  NULL), NANSEN_OK);
    resealed = seal(back, &rn);
    assert_int_equal(open_buf(f, resealed, rn, PASS2), NANSEN_OK);
    assert_int_equal(open_buf(f, resealed, rn, PASS),
                     NANSEN_ERR_WRONG_PASSPHRASE);
    free(resealed);
    nansen_wallet_free(back);
    nansen_share_set_free(set);
    nansen_share_set_free(set2);
    nansen_share_set_free(oset);
    nansen_wallet_free(w);
    nansen_wallet_free(other);
    free(sealed);
}

/* ---- crash safety ---- */

typedef struct crash_fx {
    fx *f;
    const char *path;
    nansen_wallet *w[2];
    const char *pass[2];
} crash_fx;

static int crash_save(void *arg, int v)
{
    crash_fx *c = arg;

    return nansen_wallet_save(c->w[v], c->path, NANSEN_SAVE_OVERWRITE) ==
                   NANSEN_OK
               ? 0
               : -1;
}

/* Which of the two the file holds: it must open with one of the
 * passphrases and hold exactly that wallet. */
static int crash_check(void *arg)
{
    crash_fx *c = arg;
    nansen_wallet *back = NULL;
    nansen_err err;
    int v;

    for (v = 0; v < 2; v++) {
        err = nansen_wallet_open(c->f->ctx, &back, c->path, c->pass[v],
                                 strlen(c->pass[v]));
        if (err == NANSEN_OK)
            break;
        assert_int_equal(err, NANSEN_ERR_WRONG_PASSPHRASE);
    }
    assert_true(v < 2);
    if (strcmp(c->pass[0], c->pass[1]) == 0 &&
        nansen_wallet_count(back, NANSEN_WALLET_WITHDRAWAL) == 1)
        v = 1;
    assert_same_wallet(c->w[v], back);
    nansen_wallet_free(back);
    return v;
}

/* A phone saving its wallet dies at a random moment, 300 times (adding a
 * withdrawal), then 300 times more (changing the passphrase): the wallet
 * always opens, with the old content or the new. */
static void test_crash_during_save(void **state)
{
    fx *f = *state;
    char path[4200];
    crash_fx c;

    snprintf(path, sizeof path, "%s/crash-wallet.nsw", tu_tmpdir());
    memset(&c, 0, sizeof c);
    c.f = f;
    c.path = path;
    c.w[0] = full_wallet(f, PASS, 0);
    c.w[1] = full_wallet(f, PASS, 0);
    /* the same wallet before and after a withdrawal */
    nansen_wallet_free(c.w[1]);
    {
        size_t n;
        uint8_t *s = seal(c.w[0], &n);

        assert_int_equal(nansen_wallet_open_bytes(f->ctx, &c.w[1], s, n,
                                                  PASS, LEN(PASS)),
                         NANSEN_OK);
        free(s);
    }
    assert_int_equal(nansen_wallet_add(c.w[1], NANSEN_WALLET_WITHDRAWAL,
                                       f->wd, f->wd_len, T0 + 2 * DAY),
                     NANSEN_OK);
    c.pass[0] = c.pass[1] = PASS;
    (void)tu_crash_rounds(path, 300, crash_save, crash_check, &c);

    /* the same wallet under the old and the new passphrase */
    assert_int_equal(nansen_wallet_set_passphrase(c.w[1], PASS2, LEN(PASS2),
                                                  NULL), NANSEN_OK);
    nansen_wallet_free(c.w[0]);
    {
        size_t n;
        uint8_t *s = seal(c.w[1], &n);

        assert_int_equal(nansen_wallet_open_bytes(f->ctx, &c.w[0], s, n,
                                                  PASS2, LEN(PASS2)),
                         NANSEN_OK);
        free(s);
    }
    assert_int_equal(nansen_wallet_set_passphrase(c.w[0], PASS, LEN(PASS),
                                                  NULL), NANSEN_OK);
    c.pass[1] = PASS2;
    (void)tu_crash_rounds(path, 300, crash_save, crash_check, &c);

    nansen_wallet_free(c.w[0]);
    nansen_wallet_free(c.w[1]);
    (void)remove(path);
}

static void test_null_args(void **state)
{
    fx *f = *state;
    nansen_wallet *w = (nansen_wallet *)1;
    nansen_wallet_header h;
    nansen_wallet_kdf bad = {0, 8192};
    size_t n = 0;
    /* NULL through variables the compiler cannot see through, to
     * functions called through pointers without the nonnull attribute,
     * so that neither the compiler nor UBSan stops the call before the
     * library's own check */
    nansen_wallet_header *volatile no_header = NULL;
    const uint8_t *volatile no_bytes = NULL;
    const nansen_wallet *volatile no_wallet = NULL;
    nansen_err (*header_decode)(nansen_wallet_header *, const uint8_t *,
                                size_t) = nansen_wallet_header_decode;
    nansen_err (*p_seal)(uint8_t *, size_t *, const nansen_wallet *) =
        nansen_wallet_seal;

    assert_int_equal(nansen_wallet_create(f->ctx, &w, "", 0, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(w);
    assert_int_equal(nansen_wallet_create(f->ctx, &w, PASS, LEN(PASS), &bad),
                     NANSEN_ERR_INVALID_ARG);
    bad.opslimit = 1;
    bad.memlimit = 4096;
    assert_int_equal(nansen_wallet_create(f->ctx, &w, PASS, LEN(PASS), &bad),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_wallet_create(f->ctx, &w, PASS,
                                          NANSEN_WALLET_PASSPHRASE_MAX_BYTES +
                                              1, NULL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(header_decode(no_header, no_bytes, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(header_decode(&h, no_bytes, 5), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_seal(NULL, &n, no_wallet), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_wallet_open(f->ctx, &w, "/nonexistent/w.nsw",
                                        PASS, LEN(PASS)),
                     NANSEN_ERR_NOT_FOUND);
    assert_null(w);
    nansen_wallet_free(NULL);
    assert_int_equal(nansen_wallet_header_bytes(), 168);
    assert_int_equal(nansen_wallet_max_bytes(), NANSEN_WALLET_MAX_BYTES);
    assert_int_equal(nansen_wallet_passphrase_max_bytes(), 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_keys_and_items),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_altered_files),
        cmocka_unit_test(test_passphrase_change),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_crash_during_save),
        cmocka_unit_test(test_null_args),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, setup, teardown);
}
