/* fuzz_share.c - recovery shares, lists of shares and rotation statements
 * on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Each input is read three ways. Nothing may crash, leak or read out of
 * bounds, and:
 *  - as one share (nansen_share_decode): an accepted share has k, n, x
 *    and its time in range, and its QR text reads back to the same bytes;
 *  - as a list of shares for nansen_recovery_combine: byte 0 gives the
 *    count (0-19); then each share is either a byte with the top bit set,
 *    naming one of the five shares of a fixed 3-of-5 split, or a length
 *    byte (0-127) and that many bytes. If any share does not decode,
 *    combine fails with the status of the first that does not; a failed
 *    combine leaves the secret and wallet id zero; a combine that
 *    succeeds gives the fixed split's secret and wallet (no other
 *    consistent share list can be made without breaking SHA-256);
 *  - as a rotation statement (nansen_rotation_decode, and
 *    nansen_rotation_verify against two fixed old keys): a verified one
 *    decodes, names a new key other than the old one, carries the old
 *    key's id, and is exactly what nansen_rotation_sign makes for its
 *    contents (one encoding).
 *
 * The seeds (tests/fuzz/corpus/fuzz_share/) are made by this file built
 * with -DFUZZ_SHARE_MAKE_SEEDS (see the end): shares of the fixed split,
 * share lists, and rotations by the fixed keys. Keep both in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen.h"
#include "nansen/recovery.h"
#include "internal/recovery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1767225600             /* 2026-01-01T00:00:00Z */
#define K 3
#define N 5

static nansen_ctx *ctx;
static nansen_share_set *fixed;
static uint8_t secret[NANSEN_RECOVERY_SECRET_BYTES];
static uint8_t wallet[NANSEN_RECOVERY_ID_BYTES];
static nansen_key *old_ed, *old_secp, *new_ed, *new_secp;

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
    uint8_t s[NANSEN_SECRET_BYTES];
    nansen_key *k = NULL;

    memset(s, byte, sizeof s);
    must(nansen_key_from_secret(ctx, &k, type, s) == NANSEN_OK);
    return k;
}

static void init(void)
{
    uint8_t sid[NANSEN_RECOVERY_ID_BYTES];
    uint8_t coeffs[(K - 1) * NANSEN_RECOVERY_SECRET_BYTES];
    size_t i;

    must((ctx = nansen_ctx_create(0)) != NULL);
    for (i = 0; i < sizeof secret; i++)
        secret[i] = (uint8_t)(0x5e + 3 * i);
    memset(wallet, 0x77, sizeof wallet);
    memset(sid, 0x99, sizeof sid);
    for (i = 0; i < sizeof coeffs; i++)
        coeffs[i] = (uint8_t)(i * 29 + 1);
    must(nansen__recovery_split_with(ctx, &fixed, secret, wallet, K, N, T0,
                                     sid, coeffs) == NANSEN_OK);
    old_ed = fixed_key(NANSEN_KEY_ED25519, 0x22);
    new_ed = fixed_key(NANSEN_KEY_ED25519, 0x23);
    old_secp = fixed_key(NANSEN_KEY_SECP256K1, 0x24);
    new_secp = fixed_key(NANSEN_KEY_SECP256K1, 0x25);
}

static void one_share(const uint8_t *data, size_t size)
{
    nansen_share_info info;
    char text[NANSEN_SHARE_TEXT_MAX_BYTES];
    uint8_t back[NANSEN_SHARE_MAX_BYTES];
    size_t tlen = sizeof text, blen = sizeof back;
    nansen_err err = nansen_share_decode(ctx, &info, data, size);

    if (err != NANSEN_OK) {
        must(info.k == 0 && info.n == 0 && info.x == 0 && info.created == 0);
        must(nansen_share_to_text(ctx, text, &tlen, data, size) == err);
        must(tlen == 0);
        return;
    }
    must(size <= NANSEN_SHARE_MAX_BYTES);
    must(info.k >= 2 && info.k <= info.n &&
         info.n <= NANSEN_RECOVERY_MAX_SHARES);
    must(info.x >= 1 && info.x <= info.n && info.created > 0);
    must(nansen_share_to_text(ctx, text, &tlen, data, size) == NANSEN_OK);
    must(tlen <= sizeof text && memcmp(text, "NS1:", 4) == 0);
    must(nansen_share_from_text(ctx, back, &blen, text, tlen - 1) ==
         NANSEN_OK);
    must(blen == size && memcmp(back, data, size) == 0);
}

static void share_list(const uint8_t *data, size_t size)
{
    const uint8_t *p[20];
    size_t lens[20], count, i, at = 1;
    uint8_t got[NANSEN_RECOVERY_SECRET_BYTES], wal[NANSEN_RECOVERY_ID_BYTES];
    static const uint8_t zero[NANSEN_RECOVERY_SECRET_BYTES];
    nansen_err first = NANSEN_OK, err;

    if (size == 0)
        return;
    count = data[0] % 20;
    for (i = 0; i < count; i++) {
        uint8_t b = at < size ? data[at++] : 0x80;

        if (b & 0x80) {
            must(nansen_share_set_get(fixed, (b & 0x7f) % N, &p[i],
                                      &lens[i]) == NANSEN_OK);
        } else {
            size_t n = b <= size - at ? b : size - at;

            p[i] = data + at;
            lens[i] = n;
            at += n;
        }
        if (first == NANSEN_OK)
            first = nansen_share_decode(ctx, NULL, p[i], lens[i]);
    }
    memset(got, 0xaa, sizeof got);
    memset(wal, 0xaa, sizeof wal);
    err = nansen_recovery_combine(ctx, got, wal, p, lens, count);
    if (first != NANSEN_OK)
        must(err == first);
    if (err == NANSEN_OK) {
        must(memcmp(got, secret, sizeof got) == 0);
        must(memcmp(wal, wallet, sizeof wal) == 0);
    } else {
        must(memcmp(got, zero, sizeof got) == 0);
        must(memcmp(wal, zero, sizeof wal) == 0);
    }
}

static void rotation(const uint8_t *data, size_t size,
                     const nansen_key *old_key)
{
    nansen_rotation *dec = NULL, *ver = (nansen_rotation *)&ctx;
    nansen_err d = nansen_rotation_decode(ctx, &dec, data, size);
    nansen_err v = nansen_rotation_verify(ctx, &ver, data, size, old_key);
    uint8_t kid[NANSEN_KEY_ID_BYTES], again[NANSEN_ROTATION_MAX_BYTES];
    size_t again_len = sizeof again;

    must(d == NANSEN_OK ? dec != NULL : dec == NULL);
    if (d == NANSEN_OK) {
        must(size <= NANSEN_ROTATION_MAX_BYTES);
        must(nansen_rotation_iat(dec) > 0);
        must(nansen_rotation_new_key(dec) != NULL);
        must(nansen_rotation_old_key_id(dec) != NULL);
    }
    if (v != NANSEN_OK) {
        must(ver == NULL);
        nansen_rotation_free(dec);
        return;
    }
    must(d == NANSEN_OK && ver != NULL);
    must(!nansen_key_equal(nansen_rotation_new_key(ver), old_key));
    must(nansen_key_id(old_key, kid) == NANSEN_OK);
    must(memcmp(nansen_rotation_old_key_id(ver), kid, sizeof kid) == 0);
    must(nansen_rotation_sign(ctx, again, &again_len, old_key,
                              nansen_rotation_new_key(ver),
                              nansen_rotation_iat(ver)) == NANSEN_OK);
    must(again_len == size && memcmp(again, data, size) == 0);
    nansen_rotation_free(ver);
    nansen_rotation_free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL)
        init();
    one_share(data, size);
    share_list(data, size);
    rotation(data, size, old_ed);
    rotation(data, size, old_secp);
    return 0;
}

#ifdef FUZZ_SHARE_MAKE_SEEDS
/* From the top of the tree, after a build in build/:
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -DFUZZ_SHARE_MAKE_SEEDS -Ilib \
 *      -Iinclude -Ibuild/include tests/fuzz/fuzz_share.c build/libnansen.a \
 *      -lcjson -lsodium -lsecp256k1 -lcbor -lqrencode -lzbar -lpng16 -lz \
 *      -ljpeg -lm -o mkseeds
 * then run ./mkseeds in tests/fuzz/corpus/fuzz_share. */
static void put(const char *name, const uint8_t *p, size_t n)
{
    FILE *f = fopen(name, "wb");

    must(f != NULL && fwrite(p, 1, n, f) == n && fclose(f) == 0);
}

static void put_rotation(const char *name, const nansen_key *o,
                         const nansen_key *n)
{
    uint8_t buf[NANSEN_ROTATION_MAX_BYTES];
    size_t len = sizeof buf;

    must(nansen_rotation_sign(ctx, buf, &len, o, n, T0 + 86400) ==
         NANSEN_OK);
    put(name, buf, len);
}

int main(void)
{
    uint8_t list[512];
    const uint8_t *s;
    size_t len, at;
    char name[32];
    int i;

    init();
    for (i = 0; i < N; i++) {
        must(nansen_share_set_get(fixed, (size_t)i, &s, &len) == NANSEN_OK);
        snprintf(name, sizeof name, "share_%d", i + 1);
        put(name, s, len);
    }
    /* three named shares: recovers */
    list[0] = 3;
    list[1] = 0x80;
    list[2] = 0x82;
    list[3] = 0x84;
    put("list_three", list, 4);
    /* two named, one given in full, one duplicate */
    must(nansen_share_set_get(fixed, 3, &s, &len) == NANSEN_OK);
    list[0] = 4;
    list[1] = 0x80;
    list[2] = (uint8_t)len;
    memcpy(list + 3, s, len);
    at = 3 + len;
    list[at++] = 0x81;
    list[at++] = 0x80;
    put("list_mixed", list, at);
    /* too few */
    list[0] = 2;
    list[1] = 0x81;
    list[2] = 0x83;
    put("list_two", list, 3);
    put_rotation("rotation_ed25519", old_ed, new_ed);
    put_rotation("rotation_secp256k1", old_secp, new_secp);
    put_rotation("rotation_ed_to_secp", old_ed, new_secp);
    return 0;
}
#endif
