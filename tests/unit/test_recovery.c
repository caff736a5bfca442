/* test_recovery.c - recovery shares of the wallet key, share cards and
 * the key-rotation statement: GF(256) against known values, every k-subset
 * recovers and no (k-1)-subset does, shares of other splits or wallets and
 * altered or damaged shares are refused, shares survive QR text and a PNG,
 * and rotations are refused when signed by another key or tampered with.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "testutil.h"
#include "nansen/recovery.h"
#include "internal/cbor.h"
#include "internal/recovery.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define SECRET NANSEN_RECOVERY_SECRET_BYTES
#define ID NANSEN_RECOVERY_ID_BYTES

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ed_old, *ed_new, *ed_other, *secp_old, *secp_new, *secp_other;
    nansen_key *ed_old_pub;
    uint8_t secret[SECRET];
    uint8_t wallet[ID];
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
    size_t i;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->ed_old = seed_key(f->ctx, NANSEN_KEY_ED25519, 1);
    f->ed_new = seed_key(f->ctx, NANSEN_KEY_ED25519, 2);
    f->ed_other = seed_key(f->ctx, NANSEN_KEY_ED25519, 3);
    f->secp_old = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 4);
    f->secp_new = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 5);
    f->secp_other = seed_key(f->ctx, NANSEN_KEY_SECP256K1, 6);
    if (nansen_key_public_copy(f->ctx, &f->ed_old_pub, f->ed_old) !=
        NANSEN_OK)
        return -1;
    for (i = 0; i < SECRET; i++)
        f->secret[i] = (uint8_t)(0xa0 + i * 7);
    for (i = 0; i < ID; i++)
        f->wallet[i] = (uint8_t)(0x3c + i);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_key_free(f->ed_old);
    nansen_key_free(f->ed_new);
    nansen_key_free(f->ed_other);
    nansen_key_free(f->secp_old);
    nansen_key_free(f->secp_new);
    nansen_key_free(f->secp_other);
    nansen_key_free(f->ed_old_pub);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* NULLs where a prototype says non-null go through these plain function
 * pointers, which carry no nonnull attribute (as in test_key.c). */
static nansen_err (*split_fn)(nansen_ctx *, nansen_share_set **,
                              const uint8_t *, const uint8_t *, unsigned int,
                              unsigned int, int64_t) = nansen_recovery_split;
static nansen_err (*combine_fn)(nansen_ctx *, uint8_t *, uint8_t *,
                                const uint8_t *const *, const size_t *,
                                size_t) = nansen_recovery_combine;
static nansen_err (*decode_fn)(nansen_ctx *, nansen_share_info *,
                               const uint8_t *, size_t) = nansen_share_decode;
static nansen_err (*rotation_sign_fn)(nansen_ctx *, uint8_t *, size_t *,
                                      const nansen_key *, const nansen_key *,
                                      int64_t) = nansen_rotation_sign;

/* ---- helpers ---- */

static nansen_share_set *split(fx *f, const uint8_t *secret,
                               const uint8_t *wallet, unsigned k,
                               unsigned n)
{
    nansen_share_set *set = NULL;

    assert_int_equal(nansen_recovery_split(f->ctx, &set, secret, wallet, k,
                                           n, T0),
                     NANSEN_OK);
    assert_non_null(set);
    assert_int_equal(nansen_share_set_count(set), n);
    return set;
}

static const uint8_t *get(const nansen_share_set *set, size_t i, size_t *len)
{
    const uint8_t *p = NULL;

    assert_int_equal(nansen_share_set_get(set, i, &p, len), NANSEN_OK);
    assert_non_null(p);
    return p;
}

/* Combine the shares of set picked by idx[0..m); on NANSEN_OK the result
 * must be the secret and wallet given. */
static nansen_err combine_idx(fx *f, const nansen_share_set *set,
                              const unsigned *idx, size_t m,
                              const uint8_t *want_secret,
                              const uint8_t *want_wallet)
{
    const uint8_t *p[64];
    size_t lens[64], i;
    uint8_t got[SECRET], wal[ID];
    nansen_err err;

    assert_true(m <= 64);
    for (i = 0; i < m; i++)
        p[i] = get(set, idx[i], &lens[i]);
    memset(got, 0xee, sizeof got);
    memset(wal, 0xee, sizeof wal);
    err = nansen_recovery_combine(f->ctx, got, wal, p, lens, m);
    if (err == NANSEN_OK) {
        assert_memory_equal(got, want_secret, SECRET);
        assert_memory_equal(wal, want_wallet, ID);
    } else {
        uint8_t zero[SECRET] = {0};

        assert_memory_equal(got, zero, SECRET);
        assert_memory_equal(wal, zero, ID);
    }
    return err;
}

/* The check value of a share body (all but its last 9 bytes), rewritten:
 * to make altered shares that still decode. */
static void fix_check(uint8_t *s, size_t len)
{
    uint8_t h[32];

    crypto_hash_sha256(h, s, len - 9);
    s[len - 9] = 0x48;
    memcpy(s + len - 8, h, 8);
}

/* Offsets in an encoded share of this test's time (4-byte head). */
#define OFF_VERSION 14
#define OFF_WALLET 16                /* after the 0x50 head at 15 */
#define OFF_SPLIT 33
#define OFF_K 49
#define OFF_N 50
#define OFF_X 51
#define OFF_CREATED 52               /* 0x1a + 4 bytes */
#define OFF_COMMIT 58                /* after the 0x50 head at 57 */
#define OFF_Y 76                     /* after 0x58 0x20 at 74 */
#define SHARE_LEN 117

/* ---- GF(256) ---- */

/* Carry-less product then reduction, bit by bit: a second, plain
 * implementation to check the constant-time one against. */
static uint8_t slow_mul(uint8_t a, uint8_t b)
{
    unsigned p = 0, i;

    for (i = 0; i < 8; i++)
        if (b & (1u << i))
            p ^= (unsigned)a << i;
    for (i = 15; i >= 8; i--)
        if (p & (1u << i))
            p ^= 0x11bu << (i - 8);
    return (uint8_t)p;
}

static void test_gf256(void **state)
{
    unsigned a, b;

    (void)state;
    /* FIPS 197, section 4.2 and 4.2.1 */
    assert_int_equal(nansen__gf256_mul(0x57, 0x83), 0xc1);
    assert_int_equal(nansen__gf256_mul(0x57, 0x13), 0xfe);
    assert_int_equal(nansen__gf256_mul(0x57, 0x02), 0xae);
    assert_int_equal(nansen__gf256_mul(0x57, 0x04), 0x47);
    assert_int_equal(nansen__gf256_mul(0x57, 0x08), 0x8e);
    assert_int_equal(nansen__gf256_mul(0x57, 0x10), 0x07);
    /* the AES S-box is built on these inverses */
    assert_int_equal(nansen__gf256_inv(0x53), 0xca);
    assert_int_equal(nansen__gf256_inv(0xca), 0x53);
    assert_int_equal(nansen__gf256_inv(0x01), 0x01);
    assert_int_equal(nansen__gf256_inv(0x00), 0x00);
    for (a = 0; a < 256; a++) {
        for (b = 0; b < 256; b++)
            assert_int_equal(nansen__gf256_mul((uint8_t)a, (uint8_t)b),
                             slow_mul((uint8_t)a, (uint8_t)b));
        if (a != 0)
            assert_int_equal(
                nansen__gf256_mul((uint8_t)a, nansen__gf256_inv((uint8_t)a)),
                1);
    }
}

/* ---- a fixed vector (spec/recovery.md) ---- */

/* Share 2 of the vector, computed by a separate Python implementation
 * (spec/recovery.md). */
static const char VECTOR_SHARE2[] =
    "8b6c6e616e73656e2d7368617265015000112233445566778899aabbccddeeff"
    "50f0e1d2c3b4a5968778695a4b3c2d1e0f0305021a6a27d6e0504a080fe64769"
    "ee0d16ea07f8e17e751f582000070e091c1b1215383f363124232a2d70777e79"
    "6c6b6265484f464154535a5d48ab1c9c5a1ac36916";

static void test_vector(void **state)
{
    fx *f = *state;
    uint8_t secret[SECRET], wallet[ID], sid[ID], coeffs[2 * SECRET];
    uint8_t got[SECRET], wal[ID], want_y[SECRET], commit[ID];
    nansen_share_set *set = NULL;
    const uint8_t *p[2];
    size_t lens[2], i, want_len;
    uint8_t *want;
    nansen_share_info info;

    for (i = 0; i < SECRET; i++) {
        secret[i] = (uint8_t)i;
        coeffs[i] = (uint8_t)(0x80 + i);           /* x^1 */
        coeffs[SECRET + i] = (uint8_t)(0x40 ^ i);  /* x^2 */
    }
    for (i = 0; i < ID; i++) {
        wallet[i] = (uint8_t)(0x11 * i);
        sid[i] = (uint8_t)(0xf0 - 0x0f * i);
    }
    assert_int_equal(nansen__recovery_split_with(f->ctx, &set, secret,
                                                 wallet, 3, 5, 1780995808,
                                                 sid, coeffs),
                     NANSEN_OK);
    p[0] = get(set, 1, &lens[0]);
    /* share 2, byte for byte */
    want = tu_hex(VECTOR_SHARE2, &want_len);
    assert_int_equal(lens[0], want_len);
    assert_int_equal(lens[0], SHARE_LEN);
    assert_memory_equal(p[0], want, want_len);
    free(want);
    /* y = s + a1 x + a2 x^2 at x = 2, byte by byte */
    for (i = 0; i < SECRET; i++)
        want_y[i] = (uint8_t)(secret[i] ^
                              nansen__gf256_mul(coeffs[i], 2) ^
                              nansen__gf256_mul(coeffs[SECRET + i], 4));
    assert_memory_equal(p[0] + OFF_Y, want_y, SECRET);
    nansen__recovery_commit(commit, wallet, sid, secret);
    assert_memory_equal(p[0] + OFF_COMMIT, commit, ID);
    assert_int_equal(nansen_share_decode(f->ctx, &info, p[0], lens[0]),
                     NANSEN_OK);
    assert_int_equal(info.k, 3);
    assert_int_equal(info.n, 5);
    assert_int_equal(info.x, 2);
    assert_int_equal(info.created, 1780995808);
    assert_memory_equal(info.wallet_id, wallet, ID);
    assert_memory_equal(info.split_id, sid, ID);
    /* the same inputs, the same shares */
    {
        nansen_share_set *again = NULL;
        const uint8_t *q;
        size_t qlen;

        assert_int_equal(nansen__recovery_split_with(f->ctx, &again, secret,
                                                     wallet, 3, 5,
                                                     1780995808, sid,
                                                     coeffs),
                         NANSEN_OK);
        for (i = 0; i < 5; i++) {
            const uint8_t *r = get(set, i, &lens[1]);

            q = get(again, i, &qlen);
            assert_int_equal(qlen, lens[1]);
            assert_memory_equal(q, r, qlen);
        }
        nansen_share_set_free(again);
    }
    /* and shares 1, 3, 5 give the secret back */
    {
        const uint8_t *three[3];
        size_t tl[3];

        three[0] = get(set, 0, &tl[0]);
        three[1] = get(set, 2, &tl[1]);
        three[2] = get(set, 4, &tl[2]);
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, three, tl,
                                                 3),
                         NANSEN_OK);
        assert_memory_equal(got, secret, SECRET);
        assert_memory_equal(wal, wallet, ID);
    }
    nansen_share_set_free(set);
}

/* ---- every subset ---- */

static unsigned popcount(unsigned v)
{
    unsigned c = 0;

    for (; v; v &= v - 1)
        c++;
    return c;
}

/* Every subset of the n shares: those of k or more recover the exact
 * secret, those of fewer are NOT_ENOUGH_SHARES. */
static void all_subsets(fx *f, unsigned k, unsigned n)
{
    nansen_share_set *set = split(f, f->secret, f->wallet, k, n);
    unsigned mask, idx[16], m, i, ok = 0, short_ = 0;

    for (mask = 1; mask < (1u << n); mask++) {
        m = 0;
        for (i = 0; i < n; i++)
            if (mask & (1u << i))
                idx[m++] = i;
        if (popcount(mask) >= k) {
            assert_int_equal(combine_idx(f, set, idx, m, f->secret,
                                         f->wallet),
                             NANSEN_OK);
            ok++;
        } else {
            assert_int_equal(combine_idx(f, set, idx, m, f->secret,
                                         f->wallet),
                             NANSEN_ERR_NOT_ENOUGH_SHARES);
            short_++;
        }
    }
    assert_true(ok > 0);
    assert_true(short_ > 0);
    nansen_share_set_free(set);
}

static void test_every_subset(void **state)
{
    fx *f = *state;

    all_subsets(f, 2, 2);
    all_subsets(f, 2, 3);
    all_subsets(f, 3, 5);
    all_subsets(f, 5, 5);
    all_subsets(f, 4, 7);
    all_subsets(f, 7, 8);
}

static void shuffle(unsigned *a, unsigned n)
{
    unsigned i;

    for (i = n; i > 1; i--) {
        unsigned j = randombytes_uniform(i), t = a[i - 1];

        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* n = 16: every k-subset for k = 16 and k = 15 and every (k-1)-subset,
 * and random subsets in random order otherwise. */
static void sampled_subsets(fx *f, unsigned k, unsigned rounds)
{
    nansen_share_set *set = split(f, f->secret, f->wallet, k, 16);
    unsigned idx[16], r, i;

    for (r = 0; r < rounds; r++) {
        for (i = 0; i < 16; i++)
            idx[i] = i;
        shuffle(idx, 16);
        assert_int_equal(combine_idx(f, set, idx, k, f->secret, f->wallet),
                         NANSEN_OK);
        assert_int_equal(combine_idx(f, set, idx, k - 1, f->secret,
                                     f->wallet),
                         NANSEN_ERR_NOT_ENOUGH_SHARES);
        /* all 16 are consistent too */
        assert_int_equal(combine_idx(f, set, idx, 16, f->secret, f->wallet),
                         NANSEN_OK);
    }
    /* k-1 distinct shares, one given k times over, are still too few */
    for (i = 0; i < 16; i++)
        idx[i] = i < k - 1 ? i : 0;
    assert_int_equal(combine_idx(f, set, idx, 16, f->secret, f->wallet),
                     NANSEN_ERR_NOT_ENOUGH_SHARES);
    nansen_share_set_free(set);
}

static void test_sixteen(void **state)
{
    fx *f = *state;
    nansen_share_set *set;
    unsigned idx[16], i, leave;

    sampled_subsets(f, 2, 40);
    sampled_subsets(f, 9, 40);
    sampled_subsets(f, 16, 10);
    /* (16, 16): each of the 16 subsets of 15 is too few */
    set = split(f, f->secret, f->wallet, 16, 16);
    for (leave = 0; leave < 16; leave++) {
        unsigned m = 0;

        for (i = 0; i < 16; i++)
            if (i != leave)
                idx[m++] = i;
        assert_int_equal(combine_idx(f, set, idx, m, f->secret, f->wallet),
                         NANSEN_ERR_NOT_ENOUGH_SHARES);
    }
    nansen_share_set_free(set);
    /* (15, 16): every 15-subset recovers */
    set = split(f, f->secret, f->wallet, 15, 16);
    for (leave = 0; leave < 16; leave++) {
        unsigned m = 0;

        for (i = 0; i < 16; i++)
            if (i != leave)
                idx[m++] = i;
        assert_int_equal(combine_idx(f, set, idx, m, f->secret, f->wallet),
                         NANSEN_OK);
    }
    nansen_share_set_free(set);
}

static void test_duplicates(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    static const unsigned twice[] = {1, 1, 4, 4};          /* 2 distinct */
    static const unsigned thrice[] = {0, 0, 0};
    static const unsigned dup_ok[] = {2, 0, 2, 4, 0};     /* 3 distinct */

    assert_int_equal(combine_idx(f, set, twice, 4, f->secret, f->wallet),
                     NANSEN_ERR_NOT_ENOUGH_SHARES);
    assert_int_equal(combine_idx(f, set, thrice, 3, f->secret, f->wallet),
                     NANSEN_ERR_NOT_ENOUGH_SHARES);
    assert_int_equal(combine_idx(f, set, dup_ok, 5, f->secret, f->wallet),
                     NANSEN_OK);
    nansen_share_set_free(set);
}

/* The set and what decode says of each share. */
static void test_split_info(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    nansen_share_set *other = split(f, f->secret, f->wallet, 3, 5);
    nansen_share_info info, first, o;
    const uint8_t *p;
    size_t i, len;

    for (i = 0; i < 5; i++) {
        p = get(set, i, &len);
        assert_int_equal(len, SHARE_LEN);
        assert_true(len <= NANSEN_SHARE_MAX_BYTES);
        memset(&info, 0xff, sizeof info);
        assert_int_equal(nansen_share_decode(f->ctx, &info, p, len),
                         NANSEN_OK);
        assert_memory_equal(info.wallet_id, f->wallet, ID);
        assert_int_equal(info.k, 3);
        assert_int_equal(info.n, 5);
        assert_int_equal(info.x, i + 1);
        assert_int_equal(info.created, T0);
        if (i == 0)
            first = info;
        assert_memory_equal(info.split_id, first.split_id, ID);
        /* the secret is nowhere in the share */
        {
            size_t at;

            for (at = 0; at + 8 <= len; at++)
                assert_memory_not_equal(p + at, f->secret, 8);
        }
    }
    /* another split: another split id */
    p = get(other, 0, &len);
    assert_int_equal(nansen_share_decode(f->ctx, &o, p, len), NANSEN_OK);
    assert_memory_not_equal(o.split_id, first.split_id, ID);
    assert_int_equal(nansen_share_decode(f->ctx, NULL, p, len), NANSEN_OK);
    /* out of range */
    assert_int_equal(nansen_share_set_get(set, 5, &p, &len),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(p);
    assert_int_equal(len, 0);
    assert_int_equal(nansen_share_set_count(NULL), 0);
    nansen_share_set_free(other);
    nansen_share_set_free(set);
    nansen_share_set_free(NULL);
}

static void test_split_args(void **state)
{
    fx *f = *state;
    static const unsigned bad[][2] = {{0, 3}, {1, 3}, {1, 1}, {4, 3},
                                      {2, 17}, {17, 17}, {2, 0}, {0, 0}};
    nansen_share_set *set;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        set = (nansen_share_set *)f;
        assert_int_equal(nansen_recovery_split(f->ctx, &set, f->secret,
                                               f->wallet, bad[i][0],
                                               bad[i][1], T0),
                         NANSEN_ERR_INVALID_ARG);
        assert_null(set);
    }
    set = (nansen_share_set *)f;
    assert_int_equal(nansen_recovery_split(f->ctx, &set, f->secret,
                                           f->wallet, 2, 3, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(set);
    assert_int_equal(nansen_recovery_split(f->ctx, &set, f->secret,
                                           f->wallet, 2, 3, -5),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_recovery_split(f->ctx, &set, f->secret,
                                           f->wallet, 2, 3,
                                           NANSEN__RECOVERY_TIME_MAX + 1),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(split_fn(NULL, &set, f->secret, f->wallet,
                                           2, 3, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(split_fn(f->ctx, &set, NULL, f->wallet, 2,
                                           3, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(split_fn(f->ctx, &set, f->secret, NULL, 2,
                                           3, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(split_fn(f->ctx, NULL, f->secret,
                                           f->wallet, 2, 3, T0),
                     NANSEN_ERR_INVALID_ARG);
    /* the bounds themselves are fine */
    assert_int_equal(nansen_recovery_split(f->ctx, &set, f->secret,
                                           f->wallet, 2, 2,
                                           NANSEN__RECOVERY_TIME_MAX),
                     NANSEN_OK);
    nansen_share_set_free(set);
}

static void test_combine_args(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 2, 3);
    const uint8_t *p[2];
    size_t lens[2];
    uint8_t got[SECRET], wal[ID], zero[SECRET] = {0};

    p[0] = get(set, 0, &lens[0]);
    p[1] = get(set, 1, &lens[1]);
    memset(got, 0xaa, sizeof got);
    memset(wal, 0xaa, sizeof wal);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 0),
                     NANSEN_ERR_NOT_ENOUGH_SHARES);
    assert_memory_equal(got, zero, SECRET);
    assert_memory_equal(wal, zero, ID);
    memset(got, 0xaa, sizeof got);
    assert_int_equal(combine_fn(NULL, got, wal, p, lens, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_memory_equal(got, zero, SECRET);
    assert_int_equal(combine_fn(f->ctx, got, NULL, p, lens, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(combine_fn(f->ctx, NULL, wal, p, lens, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, NULL, lens,
                                             2),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, NULL, 2),
                     NANSEN_ERR_INVALID_ARG);
    p[1] = NULL;
    memset(got, 0xaa, sizeof got);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 2),
                     NANSEN_ERR_INVALID_ARG);
    assert_memory_equal(got, zero, SECRET);
    /* a share that does not decode, anywhere in the list, gives its
     * status, even after a mismatch would have been seen */
    {
        nansen_share_set *other = split(f, f->secret, f->wallet, 2, 3);
        const uint8_t *q[3];
        size_t ql[3];

        q[0] = get(set, 0, &ql[0]);
        q[1] = get(other, 1, &ql[1]);
        q[2] = get(set, 1, &ql[2]);
        ql[2] -= 1;
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, q, ql, 3),
                         NANSEN_ERR_CHECKSUM);
        nansen_share_set_free(other);
    }
    nansen_share_set_free(set);
}

/* ---- shares that do not belong together ---- */

static nansen_err combine_two(fx *f, const uint8_t *a, size_t al,
                              const uint8_t *b, size_t bl)
{
    const uint8_t *p[2] = {a, b};
    size_t lens[2] = {al, bl};
    uint8_t got[SECRET], wal[ID], zero[SECRET] = {0};
    nansen_err err;

    memset(got, 0x77, sizeof got);
    err = nansen_recovery_combine(f->ctx, got, wal, p, lens, 2);
    if (err != NANSEN_OK)
        assert_memory_equal(got, zero, SECRET);
    return err;
}

static void test_mismatch(void **state)
{
    fx *f = *state;
    uint8_t wallet2[ID];
    nansen_share_set *a = split(f, f->secret, f->wallet, 2, 3);
    nansen_share_set *b = split(f, f->secret, f->wallet, 2, 3);
    nansen_share_set *c, *d;
    const uint8_t *p, *q;
    size_t pl, ql;

    memcpy(wallet2, f->wallet, ID);
    wallet2[ID - 1] ^= 1;
    c = split(f, f->secret, wallet2, 2, 3);
    d = split(f, f->secret, f->wallet, 2, 4);
    /* two splits of the same secret and wallet */
    p = get(a, 0, &pl);
    q = get(b, 1, &ql);
    assert_int_equal(combine_two(f, p, pl, q, ql), NANSEN_ERR_SHARE_MISMATCH);
    /* two wallets */
    q = get(c, 1, &ql);
    assert_int_equal(combine_two(f, p, pl, q, ql), NANSEN_ERR_SHARE_MISMATCH);
    /* another n */
    q = get(d, 1, &ql);
    assert_int_equal(combine_two(f, p, pl, q, ql), NANSEN_ERR_SHARE_MISMATCH);
    /* and each set alone still works */
    q = get(a, 2, &ql);
    assert_int_equal(combine_two(f, p, pl, q, ql), NANSEN_OK);
    nansen_share_set_free(a);
    nansen_share_set_free(b);
    nansen_share_set_free(c);
    nansen_share_set_free(d);
}

/* A share altered in its body, with its check value made right again:
 * it decodes, and combining finds it. */
static void test_altered(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    uint8_t s[SHARE_LEN];
    const uint8_t *p[4], *orig;
    size_t lens[4], len, i;
    uint8_t got[SECRET], wal[ID];

    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    assert_int_equal(len, SHARE_LEN);
    for (i = 1; i < 4; i++)
        p[i] = get(set, i, &lens[i]);
    p[0] = s;
    lens[0] = len;

    /* y: one bit */
    s[OFF_Y + 5] ^= 0x10;
    fix_check(s, len);
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len), NANSEN_OK);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_ERR_SHARE_MISMATCH);
    /* as the first of k, and as an extra share past k (off the
     * polynomial of the others) */
    p[0] = p[3];
    p[3] = s;
    {
        size_t t = lens[0];

        lens[0] = lens[3];
        lens[3] = t;
    }
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_OK);
    assert_memory_equal(got, f->secret, SECRET);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 4),
                     NANSEN_ERR_SHARE_MISMATCH);
    p[3] = p[0];
    lens[3] = lens[0];
    p[0] = s;
    lens[0] = len;

    /* the same x twice with different y */
    {
        const uint8_t *two[4];
        size_t tl[4];

        two[0] = get(set, 0, &tl[0]);
        two[1] = s;
        tl[1] = len;
        two[2] = p[1];
        tl[2] = lens[1];
        two[3] = p[2];
        tl[3] = lens[2];
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, two, tl,
                                                 4),
                         NANSEN_ERR_SHARE_MISMATCH);
    }

    /* the commitment */
    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    s[OFF_COMMIT] ^= 1;
    fix_check(s, len);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_ERR_SHARE_MISMATCH);
    /* in every share alike: the result does not match it */
    {
        uint8_t all[3][SHARE_LEN];
        const uint8_t *ap[3];
        size_t al[3];

        for (i = 0; i < 3; i++) {
            (void)get(set, i, &al[i]);
            memcpy(all[i], get(set, i, &al[i]), SHARE_LEN);
            all[i][OFF_COMMIT + 3] ^= 0x80;
            fix_check(all[i], SHARE_LEN);
            ap[i] = all[i];
        }
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, ap, al,
                                                 3),
                         NANSEN_ERR_SHARE_MISMATCH);
        /* the wallet id in every share alike */
        for (i = 0; i < 3; i++) {
            (void)get(set, i, &al[i]);
            memcpy(all[i], get(set, i, &al[i]), SHARE_LEN);
            all[i][OFF_WALLET] ^= 0x01;
            fix_check(all[i], SHARE_LEN);
        }
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, ap, al,
                                                 3),
                         NANSEN_ERR_SHARE_MISMATCH);
        /* the split id in every share alike */
        for (i = 0; i < 3; i++) {
            (void)get(set, i, &al[i]);
            memcpy(all[i], get(set, i, &al[i]), SHARE_LEN);
            all[i][OFF_SPLIT + 7] ^= 0x40;
            fix_check(all[i], SHARE_LEN);
        }
        assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, ap, al,
                                                 3),
                         NANSEN_ERR_SHARE_MISMATCH);
    }
    /* x moved to a free place (4 -> 5 is not among 1..3 given) */
    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    s[OFF_X] = 5;
    fix_check(s, len);
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len), NANSEN_OK);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_ERR_SHARE_MISMATCH);
    /* k in one share */
    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    s[OFF_K] = 2;
    fix_check(s, len);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_ERR_SHARE_MISMATCH);
    /* the time in one share */
    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    s[OFF_CREATED + 4] ^= 1;
    fix_check(s, len);
    assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p, lens, 3),
                     NANSEN_ERR_SHARE_MISMATCH);
    nansen_share_set_free(set);
}

/* ---- damaged shares ---- */

static void test_bit_flips(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    uint8_t s[SHARE_LEN];
    const uint8_t *orig;
    size_t len, i;
    unsigned bit;
    nansen_err err;

    orig = get(set, 2, &len);
    assert_int_equal(len, SHARE_LEN);
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(s, orig, len);
            s[i] ^= (uint8_t)(1u << bit);
            err = nansen_share_decode(f->ctx, NULL, s, len);
            if (i == 0)          /* another array count passes the head */
                assert_true(err == NANSEN_ERR_WRONG_TYPE ||
                            err == NANSEN_ERR_TRUNCATED ||
                            err == NANSEN_ERR_CHECKSUM);
            else if (i < OFF_VERSION)
                assert_int_equal(err, NANSEN_ERR_WRONG_TYPE);
            else if (i == OFF_VERSION)
                assert_true(err == NANSEN_ERR_UNSUPPORTED_VERSION ||
                            err == NANSEN_ERR_MALFORMED);
            else
                assert_int_equal(err, NANSEN_ERR_CHECKSUM);
            /* and combining with it fails with the same status */
            {
                const uint8_t *p[3];
                size_t lens[3];
                uint8_t got[SECRET], wal[ID];

                p[0] = get(set, 0, &lens[0]);
                p[1] = get(set, 1, &lens[1]);
                p[2] = s;
                lens[2] = len;
                assert_int_equal(nansen_recovery_combine(f->ctx, got, wal, p,
                                                         lens, 3),
                                 err);
            }
        }
    }
    /* version 1 -> 0 and 2 exactly */
    memcpy(s, orig, len);
    s[OFF_VERSION] = 2;
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len),
                     NANSEN_ERR_UNSUPPORTED_VERSION);
    s[OFF_VERSION] = 0x41;
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len),
                     NANSEN_ERR_MALFORMED);
    nansen_share_set_free(set);
}

static void test_truncations(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 2, 2);
    uint8_t s[NANSEN_SHARE_MAX_BYTES + 8];
    const uint8_t *orig;
    size_t len, i;
    nansen_err err;

    orig = get(set, 0, &len);
    memcpy(s, orig, len);
    for (i = 0; i < len; i++) {
        err = nansen_share_decode(f->ctx, NULL, s, i);
        if (i == 0 || i == 1 || (i > 1 && i < 14))
            assert_true(err == NANSEN_ERR_TRUNCATED ||
                        err == NANSEN_ERR_WRONG_TYPE);
        else if (i == 14)
            assert_int_equal(err, NANSEN_ERR_TRUNCATED);
        else
            assert_int_equal(err, NANSEN_ERR_CHECKSUM);
    }
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, 0),
                     NANSEN_ERR_TRUNCATED);
    /* a byte more */
    s[len] = 0;
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len + 1),
                     NANSEN_ERR_CHECKSUM);
    /* an item more before the check, with the check made right: the
     * array of 11 ends before the check, which trails */
    memcpy(s, orig, len);
    memmove(s + len + 1 - 9, s + len - 9, 9);
    s[len - 9] = 0x00;
    fix_check(s, len + 1);
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s, len + 1),
                     NANSEN_ERR_TRAILING_DATA);
    /* too long */
    memset(s, 0, sizeof s);
    assert_int_equal(nansen_share_decode(f->ctx, NULL, s,
                                         NANSEN_SHARE_MAX_BYTES + 1),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    /* NULL */
    assert_int_equal(decode_fn(f->ctx, NULL, NULL, 5),
                     NANSEN_ERR_INVALID_ARG);
    nansen_share_set_free(set);
}

/* A share written by hand, to reach every check past the check value. */
typedef struct forge {
    int items;                     /* 11, or another count */
    uint64_t version;
    size_t wallet_len;
    int64_t k, n, x;               /* negative: written as such */
    int64_t created;
    size_t y_len;
    int long_k;                    /* 1: k with a 1-byte head extension */
} forge;

static void forge_defaults(forge *p)
{
    memset(p, 0, sizeof *p);
    p->items = 11;
    p->version = 1;
    p->wallet_len = ID;
    p->k = 2;
    p->n = 3;
    p->x = 1;
    p->created = T0;
    p->y_len = SECRET;
}

static size_t forge_make(const forge *p, uint8_t *out, size_t cap)
{
    uint8_t zeros[64] = {0}, h[32];
    nansen__cbw w;
    size_t len;

    nansen__cbw_init(&w, out, cap);
    nansen__cbw_array(&w, (size_t)p->items);
    nansen__cbw_text(&w, "nansen-share", 12);
    nansen__cbw_uint(&w, p->version);
    nansen__cbw_bytes(&w, zeros, p->wallet_len);
    nansen__cbw_bytes(&w, zeros, ID);
    if (p->long_k) {
        static const uint8_t k2[] = {0x18, 0x02};

        assert_true(w.len + 2 <= cap);
        memcpy(out + w.len, k2, 2);
        w.len += 2;
    } else {
        nansen__cbw_int(&w, p->k);
    }
    nansen__cbw_int(&w, p->n);
    nansen__cbw_int(&w, p->x);
    nansen__cbw_int(&w, p->created);
    nansen__cbw_bytes(&w, zeros, ID);
    nansen__cbw_bytes(&w, zeros, p->y_len);
    if (p->items == 12)
        nansen__cbw_uint(&w, 0);
    assert_int_equal(w.err, NANSEN_OK);
    crypto_hash_sha256(h, out, w.len);
    nansen__cbw_bytes(&w, h, 8);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    return len;
}

static void test_forged_fields(void **state)
{
    fx *f = *state;
    uint8_t s[256];
    forge p;
    size_t len;
    nansen_share_info info;
    static const struct {
        int64_t k, n, x;
    } range[] = {{1, 3, 1}, {0, 3, 1}, {4, 3, 1}, {2, 17, 1}, {17, 17, 1},
                 {2, 3, 0}, {2, 3, 4}, {2, 16, 17}, {300, 300, 1}};
    size_t i;

#define DECODE() nansen_share_decode(f->ctx, &info, s, len)
    forge_defaults(&p);
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_OK);
    assert_int_equal(info.k, 2);
    for (i = 0; i < sizeof range / sizeof range[0]; i++) {
        forge_defaults(&p);
        p.k = range[i].k;
        p.n = range[i].n;
        p.x = range[i].x;
        len = forge_make(&p, s, sizeof s);
        assert_int_equal(DECODE(), NANSEN_ERR_OUT_OF_RANGE);
        assert_int_equal(info.k, 0);
    }
    forge_defaults(&p);
    p.created = 0;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_OUT_OF_RANGE);
    p.created = -1;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_OUT_OF_RANGE);
    p.created = NANSEN__RECOVERY_TIME_MAX + 1;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_OUT_OF_RANGE);
    p.created = NANSEN__RECOVERY_TIME_MAX;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_OK);
    /* negative k: not an unsigned integer */
    forge_defaults(&p);
    p.k = -2;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_MALFORMED);
    forge_defaults(&p);
    p.wallet_len = 15;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_MALFORMED);
    forge_defaults(&p);
    p.y_len = 33;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_MALFORMED);
    forge_defaults(&p);
    p.items = 12;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_MALFORMED);
    forge_defaults(&p);
    p.items = 10;             /* declares 10, holds 11 */
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_TRAILING_DATA);
    forge_defaults(&p);
    p.version = 2;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_UNSUPPORTED_VERSION);
    forge_defaults(&p);
    p.long_k = 1;
    len = forge_make(&p, s, sizeof s);
    assert_int_equal(DECODE(), NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    /* not a share at all */
    {
        static const uint8_t cose[] = {0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40};
        static const uint8_t other[] = {0x82, 0x63, 'a', 'b', 'c', 0x01};

        assert_int_equal(nansen_share_decode(f->ctx, NULL, cose, sizeof cose),
                         NANSEN_ERR_WRONG_TYPE);
        assert_int_equal(nansen_share_decode(f->ctx, NULL, other,
                                             sizeof other),
                         NANSEN_ERR_WRONG_TYPE);
    }
#undef DECODE
}

/* With k-1 shares known, the secret is free: for k = 2 and 3 and every
 * secret byte, the map from coefficients to the k-1 shares' y is one to
 * one, so each value of those shares is as likely under any secret. */
static void test_hiding(void **state)
{
    fx *f = *state;
    static const uint8_t secrets[] = {0x00, 0x5a, 0xff};
    uint8_t secret[SECRET], sid[ID] = {1}, coeffs[2 * SECRET];
    uint8_t seen[65536 / 8];
    nansen_share_set *set;
    const uint8_t *p;
    size_t len, si;
    unsigned a, b, base;

    /* k = 2: y2 = s + 2a over all a, for every s */
    for (si = 0; si < 256; si++) {
        memset(seen, 0, sizeof seen);
        memset(secret, (int)si, sizeof secret);
        for (base = 0; base < 256; base += SECRET) {
            for (b = 0; b < SECRET; b++)
                coeffs[b] = (uint8_t)(base + b);
            assert_int_equal(nansen__recovery_split_with(f->ctx, &set,
                                                         secret, f->wallet,
                                                         2, 2, T0, sid,
                                                         coeffs),
                             NANSEN_OK);
            p = get(set, 1, &len);      /* x = 2 */
            for (b = 0; b < SECRET; b++)
                seen[p[OFF_Y + b] / 8] |= (uint8_t)(1u << (p[OFF_Y + b] % 8));
            nansen_share_set_free(set);
        }
        for (a = 0; a < 32; a++)
            assert_int_equal(seen[a], 0xff);
    }
    /* k = 3: (y1, y2) over all (a1, a2), for a few s */
    for (si = 0; si < sizeof secrets; si++) {
        memset(seen, 0, sizeof seen);
        memset(secret, secrets[si], sizeof secret);
        for (base = 0; base < 65536; base += SECRET) {
            for (b = 0; b < SECRET; b++) {
                coeffs[b] = (uint8_t)((base + b) & 0xff);
                coeffs[SECRET + b] = (uint8_t)((base + b) >> 8);
            }
            assert_int_equal(nansen__recovery_split_with(f->ctx, &set,
                                                         secret, f->wallet,
                                                         3, 3, T0, sid,
                                                         coeffs),
                             NANSEN_OK);
            {
                const uint8_t *y1 = get(set, 0, &len) + OFF_Y;
                const uint8_t *y3 = get(set, 2, &len) + OFF_Y;

                for (b = 0; b < SECRET; b++) {
                    unsigned v = (unsigned)y1[b] << 8 | y3[b];

                    seen[v / 8] |= (uint8_t)(1u << (v % 8));
                }
            }
            nansen_share_set_free(set);
        }
        for (a = 0; a < sizeof seen; a++)
            assert_int_equal(seen[a], 0xff);
    }
}

/* ---- QR text, PNG and the card ---- */

static void test_text_and_png(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    const uint8_t *p;
    char text[NANSEN_SHARE_TEXT_MAX_BYTES], small[10];
    uint8_t back[NANSEN_SHARE_MAX_BYTES], *png;
    size_t len, tlen = 0, blen, png_len = 0, i;
    nansen_qr_codes *codes = NULL;
    const char *code;
    size_t code_len;

    for (i = 0; i < 5; i++) {
        p = get(set, i, &len);
        tlen = 0;
        assert_int_equal(nansen_share_to_text(f->ctx, NULL, &tlen, p, len),
                         NANSEN_OK);
        assert_true(tlen <= sizeof text);
        assert_int_equal(nansen_share_to_text(f->ctx, text, &tlen, p, len),
                         NANSEN_OK);
        assert_int_equal(strlen(text) + 1, tlen);
        assert_memory_equal(text, "NS1:", 4);
        blen = sizeof back;
        assert_int_equal(nansen_share_from_text(f->ctx, back, &blen, text,
                                                tlen - 1),
                         NANSEN_OK);
        assert_int_equal(blen, len);
        assert_memory_equal(back, p, len);
    }
    /* a small buffer */
    tlen = sizeof small;
    assert_int_equal(nansen_share_to_text(f->ctx, small, &tlen, p, len),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_true(tlen > sizeof small);

    /* PNG: render the text, read it back with the camera path */
    p = get(set, 3, &len);
    tlen = sizeof text;
    assert_int_equal(nansen_share_to_text(f->ctx, text, &tlen, p, len),
                     NANSEN_OK);
    assert_int_equal(nansen_qr_render(NULL, &png_len, text, tlen - 1,
                                      NANSEN_QR_ECC_Q, NANSEN_QR_PNG, 0, -1),
                     NANSEN_OK);
    assert_non_null(png = malloc(png_len));
    assert_int_equal(nansen_qr_render(png, &png_len, text, tlen - 1,
                                      NANSEN_QR_ECC_Q, NANSEN_QR_PNG, 0, -1),
                     NANSEN_OK);
    assert_int_equal(nansen_qr_read_image(&codes, png, png_len), NANSEN_OK);
    assert_int_equal(nansen_qr_codes_count(codes), 1);
    code = nansen_qr_codes_text(codes, 0, &code_len);
    assert_int_equal(code_len, tlen - 1);
    assert_memory_equal(code, text, code_len);
    blen = sizeof back;
    assert_int_equal(nansen_share_from_text(f->ctx, back, &blen, code,
                                            code_len),
                     NANSEN_OK);
    assert_int_equal(blen, len);
    assert_memory_equal(back, p, len);
    nansen_qr_codes_free(codes);
    free(png);

    /* text refused */
    blen = sizeof back;
    assert_int_equal(nansen_share_from_text(f->ctx, back, &blen, "HELLO", 5),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(blen, 0);
    {
        /* framed CBOR that is not a share */
        static const uint8_t notshare[] = {0x82, 0x01, 0x02};
        char t[32];
        size_t n = sizeof t;

        assert_int_equal(nansen_frame_encode(t, &n, notshare,
                                             sizeof notshare,
                                             NANSEN_FRAME_NO_ZLIB),
                         NANSEN_OK);
        blen = sizeof back;
        assert_int_equal(nansen_share_from_text(f->ctx, back, &blen, t,
                                                n - 1),
                         NANSEN_ERR_WRONG_TYPE);
    }
    {
        /* a damaged share in a good frame */
        uint8_t bad[NANSEN_SHARE_MAX_BYTES];
        char t[NANSEN_SHARE_TEXT_MAX_BYTES];
        size_t n = sizeof t;

        memcpy(bad, p, len);
        bad[OFF_Y] ^= 1;
        assert_int_equal(nansen_frame_encode(t, &n, bad, len,
                                             NANSEN_FRAME_NO_ZLIB),
                         NANSEN_OK);
        blen = sizeof back;
        assert_int_equal(nansen_share_from_text(f->ctx, back, &blen, t,
                                                n - 1),
                         NANSEN_ERR_CHECKSUM);
        n = sizeof t;
        assert_int_equal(nansen_share_to_text(f->ctx, t, &n, bad, len),
                         NANSEN_ERR_CHECKSUM);
        assert_int_equal(n, 0);
    }
    nansen_share_set_free(set);
}

static void test_card(void **state)
{
    fx *f = *state;
    nansen_share_set *set = split(f, f->secret, f->wallet, 3, 5);
    const uint8_t *p;
    char *svg;
    size_t len, svg_len = 0, again;
    uint8_t bad[NANSEN_SHARE_MAX_BYTES];

    p = get(set, 1, &len);
    assert_int_equal(nansen_share_card_svg(f->ctx, NULL, &svg_len, p, len,
                                           NANSEN_QR_ECC_DEFAULT),
                     NANSEN_OK);
    assert_non_null(svg = malloc(svg_len));
    again = svg_len;
    assert_int_equal(nansen_share_card_svg(f->ctx, svg, &again, p, len,
                                           NANSEN_QR_ECC_DEFAULT),
                     NANSEN_OK);
    assert_int_equal(again, svg_len);
    assert_int_equal(strlen(svg) + 1, svg_len);
    assert_non_null(strstr(svg, "<svg "));
    assert_non_null(strstr(svg, ">Recovery share 2 of 5</text>"));
    assert_non_null(strstr(svg, ">3 shares needed to recover the wallet<"));
    /* the wallet's short id: 3c3d3e3f; the date of T0 */
    assert_non_null(strstr(svg, ">3c3d3e3f</tspan>"));
    assert_non_null(strstr(svg, "made 2026-05-28<"));
    assert_non_null(strstr(svg, "Give it back only to"));
    assert_non_null(strstr(svg, "in person"));
    assert_non_null(strstr(svg, "<path fill=\"#000\" d=\"M"));
    assert_int_equal(svg[svg_len - 1], '\0');
    assert_int_equal(svg[svg_len - 2], '\n');
    /* too small */
    again = svg_len - 1;
    assert_int_equal(nansen_share_card_svg(f->ctx, svg, &again, p, len,
                                           NANSEN_QR_ECC_DEFAULT),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(again, svg_len);
    /* a damaged share makes no card, and the buffer is wiped */
    memcpy(bad, p, len);
    bad[len - 1] ^= 1;
    again = svg_len;
    assert_int_equal(nansen_share_card_svg(f->ctx, svg, &again, bad, len,
                                           NANSEN_QR_ECC_DEFAULT),
                     NANSEN_ERR_CHECKSUM);
    assert_int_equal(again, 0);
    assert_int_equal(svg[0], '\0');
    again = svg_len;
    assert_int_equal(nansen_share_card_svg(f->ctx, svg, &again, p, len,
                                           (nansen_qr_ecc)9),
                     NANSEN_ERR_INVALID_ARG);
    free(svg);
    nansen_share_set_free(set);
}

/* ---- the rotation statement ---- */

static uint8_t *rotate(fx *f, const nansen_key *old_key,
                       const nansen_key *new_key, int64_t iat, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    assert_int_equal(nansen_rotation_sign(f->ctx, NULL, &need, old_key,
                                          new_key, iat),
                     NANSEN_OK);
    assert_true(need > 0 && need <= NANSEN_ROTATION_MAX_BYTES);
    assert_non_null(out = malloc(need));
    *len = need;
    assert_int_equal(nansen_rotation_sign(f->ctx, out, len, old_key, new_key,
                                          iat),
                     NANSEN_OK);
    assert_int_equal(*len, need);
    return out;
}

static void round_trip(fx *f, const nansen_key *old_key,
                       const nansen_key *new_key, const nansen_key *other)
{
    uint8_t *r, kid[NANSEN_KEY_ID_BYTES];
    size_t len;
    nansen_rotation *rt = NULL;
    nansen_key *old_pub = NULL;

    r = rotate(f, old_key, new_key, T0 + 99, &len);
    assert_int_equal(nansen_key_public_copy(f->ctx, &old_pub, old_key),
                     NANSEN_OK);
    assert_int_equal(nansen_rotation_verify(f->ctx, &rt, r, len, old_pub),
                     NANSEN_OK);
    assert_non_null(rt);
    assert_true(nansen_key_equal(nansen_rotation_new_key(rt), new_key));
    assert_false(nansen_key_has_secret(nansen_rotation_new_key(rt)));
    assert_int_equal(nansen_rotation_iat(rt), T0 + 99);
    assert_int_equal(nansen_key_id(old_key, kid), NANSEN_OK);
    assert_memory_equal(nansen_rotation_old_key_id(rt), kid, sizeof kid);
    nansen_rotation_free(rt);
    assert_int_equal(nansen_rotation_verify(f->ctx, NULL, r, len, old_key),
                     NANSEN_OK);
    /* another key of the same type: its kid is not this one */
    rt = (nansen_rotation *)f;
    assert_int_equal(nansen_rotation_verify(f->ctx, &rt, r, len, other),
                     NANSEN_ERR_KEY_MISMATCH);
    assert_null(rt);
    assert_int_equal(nansen_rotation_verify(f->ctx, &rt, r, len, new_key),
                     nansen_key_get_type(new_key) ==
                             nansen_key_get_type(old_key)
                         ? NANSEN_ERR_KEY_MISMATCH
                         : NANSEN_ERR_ALG_MISMATCH);
    /* the decoded view */
    assert_int_equal(nansen_rotation_decode(f->ctx, &rt, r, len), NANSEN_OK);
    assert_memory_equal(nansen_rotation_old_key_id(rt), kid, sizeof kid);
    nansen_rotation_free(rt);
    nansen_key_free(old_pub);
    free(r);
}

static void test_rotation_round_trip(void **state)
{
    fx *f = *state;

    round_trip(f, f->ed_old, f->ed_new, f->ed_other);
    round_trip(f, f->secp_old, f->secp_new, f->secp_other);
    round_trip(f, f->ed_old, f->secp_new, f->ed_other);
    round_trip(f, f->secp_old, f->ed_new, f->secp_other);
}

/* The rotation of spec/recovery.md: Ed25519 seed 01.. to seed 02..,
 * iat 1780000000. */
static const char VECTOR_ROTATION[] =
    "d2845833a30127044834750f98bd59fcfc1078236170706c69636174696f6e2f"
    "766e642e6e616e73656e2e726f746174696f6e2b637774a0583aa3061a6a18a5"
    "0008a101a3010120062158208139770ea87d175f56a35466c34c7ecccb8d8a91"
    "b4ee37a25df60f5b8fc9b3943a00010000a10001584055a3c1662c27717fd2a2"
    "13ffba7d0362883559a08ff91e3b70fc56173580f5ad63e39fb88dad1a813fa0"
    "aa85bd4074e52e956ac2dfbb4877b88f0f6ae7b62f01";

static void test_rotation_vector(void **state)
{
    fx *f = *state;
    size_t len, want_len;
    uint8_t *r = rotate(f, f->ed_old, f->ed_new, T0, &len);
    uint8_t *want = tu_hex(VECTOR_ROTATION, &want_len);

    assert_int_equal(len, want_len);
    assert_int_equal(len, 182);
    assert_memory_equal(r, want, len);
    assert_int_equal(nansen_rotation_verify(f->ctx, NULL, want, want_len,
                                            f->ed_old_pub),
                     NANSEN_OK);
    free(want);
    free(r);
}

static void test_rotation_sign_refused(void **state)
{
    fx *f = *state;
    uint8_t buf[NANSEN_ROTATION_MAX_BYTES], zero[8] = {0};
    size_t len;

    len = sizeof buf;
    memset(buf, 0xaa, sizeof buf);
    assert_int_equal(nansen_rotation_sign(f->ctx, buf, &len, f->ed_old,
                                          f->ed_old, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_memory_equal(buf, zero, sizeof zero);
    len = sizeof buf;
    assert_int_equal(nansen_rotation_sign(f->ctx, buf, &len, f->ed_old,
                                          f->ed_old_pub, T0),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(nansen_rotation_sign(f->ctx, buf, &len, f->ed_old_pub,
                                          f->ed_new, T0),
                     NANSEN_ERR_NO_SECRET_KEY);
    len = sizeof buf;
    assert_int_equal(nansen_rotation_sign(f->ctx, buf, &len, f->ed_old,
                                          f->ed_new, 0),
                     NANSEN_ERR_INVALID_ARG);
    len = sizeof buf;
    assert_int_equal(rotation_sign_fn(f->ctx, buf, &len, NULL,
                                          f->ed_new, T0),
                     NANSEN_ERR_INVALID_ARG);
    len = 10;
    assert_int_equal(nansen_rotation_sign(f->ctx, buf, &len, f->ed_old,
                                          f->ed_new, T0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_true(len > 10 && len <= NANSEN_ROTATION_MAX_BYTES);
}

static void test_rotation_bit_flips(void **state)
{
    fx *f = *state;
    size_t len, i;
    unsigned bit;
    uint8_t *r = rotate(f, f->ed_old, f->ed_new, T0, &len);
    uint8_t *s = malloc(len);
    nansen_rotation *rt;

    assert_non_null(s);
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(s, r, len);
            s[i] ^= (uint8_t)(1u << bit);
            rt = (nansen_rotation *)f;
            assert_int_not_equal(nansen_rotation_verify(f->ctx, &rt, s, len,
                                                        f->ed_old_pub),
                                 NANSEN_OK);
            assert_null(rt);
        }
    }
    for (i = 0; i < len; i++)
        assert_int_not_equal(nansen_rotation_verify(f->ctx, NULL, r, i,
                                                     f->ed_old_pub),
                             NANSEN_OK);
    free(s);
    free(r);
}

/* A rotation written by hand. */
typedef struct rforge {
    const nansen_key *signer;
    const nansen_key *kid_of;      /* whose id goes in kid; NULL: none */
    const nansen_key *new_key;
    unsigned int cnf_flags;
    int64_t iat;
    int omit;                      /* claim to leave out, or 0 */
    int extra_claim;               /* add exp */
    int64_t profile;
    const char *typ;
    int unprotected;
    int untagged;
} rforge;

static void rforge_defaults(fx *f, rforge *p)
{
    memset(p, 0, sizeof *p);
    p->signer = p->kid_of = f->ed_old;
    p->new_key = f->ed_new;
    p->iat = T0;
    p->profile = 1;
    p->typ = NANSEN_ROTATION_TYP;
}

static uint8_t *rforge_make(fx *f, const rforge *p, size_t *len)
{
    uint8_t cnf[NANSEN_COSE_KEY_MAX_BYTES], payload[256], kid[8], *out;
    static const uint8_t hval[] = {0x41, 0x00};
    size_t cnf_len = sizeof cnf, payload_len = 0, n;
    nansen_cose_sign1_params cp;
    nansen_cose_header h;
    nansen__cbw w;

    assert_int_equal(nansen_cose_key_encode(f->ctx, cnf, &cnf_len,
                                            p->new_key, p->cnf_flags),
                     NANSEN_OK);
    n = 3 - (p->omit != 0) + (size_t)p->extra_claim;
    nansen__cbw_init(&w, payload, sizeof payload);
    nansen__cbw_map(&w, n);
    if (p->extra_claim) {
        nansen__cbw_uint(&w, 4);
        nansen__cbw_int(&w, p->iat + 1000);
    }
    if (p->omit != 6) {
        nansen__cbw_uint(&w, 6);
        nansen__cbw_int(&w, p->iat);
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
        nansen__cbw_map(&w, 1);
        nansen__cbw_uint(&w, 0);
        nansen__cbw_int(&w, p->profile);
        nansen__cbw_map_end(&w);
    }
    nansen__cbw_map_end(&w);
    assert_int_equal(nansen__cbw_finish(&w, &payload_len), NANSEN_OK);
    memset(&cp, 0, sizeof cp);
    cp.typ.present = 1;
    cp.typ.text = p->typ;
    cp.typ.text_len = strlen(p->typ);
    if (p->kid_of != NULL) {
        assert_int_equal(nansen_key_id(p->kid_of, kid), NANSEN_OK);
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

static nansen_err rforge_verify(fx *f, const rforge *p)
{
    size_t len;
    uint8_t *r = rforge_make(f, p, &len);
    nansen_rotation *rt = (nansen_rotation *)f;
    nansen_err err = nansen_rotation_verify(f->ctx, &rt, r, len,
                                            f->ed_old_pub);

    if (err != NANSEN_OK)
        assert_null(rt);
    nansen_rotation_free(rt);
    free(r);
    return err;
}

static void test_rotation_forged(void **state)
{
    fx *f = *state;
    rforge p;

    /* the forge makes what the library makes */
    rforge_defaults(f, &p);
    assert_int_equal(rforge_verify(f, &p), NANSEN_OK);
    {
        size_t a, b;
        uint8_t *x = rforge_make(f, &p, &a), *y = rotate(f, f->ed_old,
                                                          f->ed_new, T0, &b);

        assert_int_equal(a, b);
        assert_memory_equal(x, y, a);
        free(x);
        free(y);
    }
    /* signed by another key under the old key's kid */
    p.signer = f->ed_other;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_BAD_SIGNATURE);
    p.signer = f->secp_other;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_ALG_MISMATCH);
    /* under its own kid */
    rforge_defaults(f, &p);
    p.signer = p.kid_of = f->ed_other;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_KEY_MISMATCH);
    /* rotated to itself, by the old key */
    rforge_defaults(f, &p);
    p.new_key = f->ed_old;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    /* no kid */
    rforge_defaults(f, &p);
    p.kid_of = NULL;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    /* wrong typ */
    rforge_defaults(f, &p);
    p.typ = NANSEN_WITHDRAWAL_TYP;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_WRONG_TYPE);
    p.typ = "application/vnd.nansen.rotation+cwt2";
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_WRONG_TYPE);
    /* claims */
    rforge_defaults(f, &p);
    p.omit = 6;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    p.omit = 8;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    p.omit = -65537;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    rforge_defaults(f, &p);
    p.iat = 0;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    p.iat = -7;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    rforge_defaults(f, &p);
    p.extra_claim = 1;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    rforge_defaults(f, &p);
    p.profile = 2;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    rforge_defaults(f, &p);
    p.cnf_flags = NANSEN_COSE_KEY_WITH_KID;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    rforge_defaults(f, &p);
    p.new_key = f->secp_new;
    p.cnf_flags = NANSEN_COSE_KEY_UNCOMPRESSED;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_MALFORMED);
    p.cnf_flags = 0;
    assert_int_equal(rforge_verify(f, &p), NANSEN_OK);
    /* headers */
    rforge_defaults(f, &p);
    p.unprotected = 1;
    assert_int_equal(rforge_verify(f, &p), NANSEN_ERR_UNSUPPORTED_VERSION);
    rforge_defaults(f, &p);
    p.untagged = 1;
    assert_int_not_equal(rforge_verify(f, &p), NANSEN_OK);
    /* too long */
    {
        uint8_t big[NANSEN_ROTATION_MAX_BYTES + 1];
        nansen_rotation *rt = NULL;

        memset(big, 0, sizeof big);
        assert_int_equal(nansen_rotation_verify(f->ctx, &rt, big, sizeof big,
                                                f->ed_old_pub),
                         NANSEN_ERR_CBOR_TOO_LARGE);
        assert_int_equal(nansen_rotation_decode(f->ctx, &rt, big, sizeof big),
                         NANSEN_ERR_CBOR_TOO_LARGE);
        assert_null(rt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gf256),
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_every_subset),
        cmocka_unit_test(test_sixteen),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_split_info),
        cmocka_unit_test(test_split_args),
        cmocka_unit_test(test_combine_args),
        cmocka_unit_test(test_mismatch),
        cmocka_unit_test(test_altered),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_forged_fields),
        cmocka_unit_test(test_hiding),
        cmocka_unit_test(test_text_and_png),
        cmocka_unit_test(test_card),
        cmocka_unit_test(test_rotation_round_trip),
        cmocka_unit_test(test_rotation_vector),
        cmocka_unit_test(test_rotation_sign_refused),
        cmocka_unit_test(test_rotation_bit_flips),
        cmocka_unit_test(test_rotation_forged),
    };
    return cmocka_run_group_tests_name("recovery", tests, setup, teardown);
}
