/* recovery.c - k-of-n recovery shares of the wallet key: Shamir's secret
 * sharing over GF(256), the share encoding and its QR text
 * (spec/recovery.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/recovery.h"

#define SHARE_VERSION 1
#define SHARE_ITEMS 11
#define CHECK_BYTES 8
#define SECRET NANSEN_RECOVERY_SECRET_BYTES
#define ID NANSEN_RECOVERY_ID_BYTES
#define MAX_SHARES NANSEN_RECOVERY_MAX_SHARES

static const char MAGIC[] = "nansen-share";
static const char COMMIT_TAG[] = "nansen-recovery-commit-v1";

size_t nansen_recovery_secret_bytes(void)
{
    return NANSEN_RECOVERY_SECRET_BYTES;
}

size_t nansen_recovery_id_bytes(void)
{
    return NANSEN_RECOVERY_ID_BYTES;
}

size_t nansen_share_max_bytes(void)
{
    return NANSEN_SHARE_MAX_BYTES;
}

/* ---- GF(256) ---- */

/* Every step runs whatever the bits: the masks are all-ones or zero. */
uint8_t nansen__gf256_mul(uint8_t a, uint8_t b)
{
    unsigned int r = 0, x = a, y = b;
    int i;

    for (i = 0; i < 8; i++) {
        r ^= (0u - (y & 1u)) & x;
        y >>= 1;
        x = ((x << 1) ^ ((0u - (x >> 7)) & 0x11bu)) & 0xffu;
    }
    return (uint8_t)r;
}

/* a^254 = a^-1 (and 0 for 0): a^2 * a^4 * ... * a^128. */
uint8_t nansen__gf256_inv(uint8_t a)
{
    uint8_t p = nansen__gf256_mul(a, a), r = p;
    int i;

    for (i = 0; i < 6; i++) {
        p = nansen__gf256_mul(p, p);
        r = nansen__gf256_mul(r, p);
    }
    return r;
}

/* ---- the share ---- */

/* A decoded share. y is secret: a share kept for longer than a call lives
 * in sodium_malloc memory. */
typedef struct share {
    nansen_share_info info;
    uint8_t commit[ID];
    uint8_t y[SECRET];
} share;

void nansen__recovery_commit(uint8_t out[ID], const uint8_t *wallet_id,
                             const uint8_t *split_id, const uint8_t *secret)
{
    crypto_hash_sha256_state st;
    uint8_t h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)COMMIT_TAG,
                              sizeof COMMIT_TAG - 1);
    crypto_hash_sha256_update(&st, wallet_id, ID);
    crypto_hash_sha256_update(&st, split_id, ID);
    crypto_hash_sha256_update(&st, secret, SECRET);
    crypto_hash_sha256_final(&st, h);
    memcpy(out, h, ID);
    sodium_memzero(h, sizeof h);
    sodium_memzero(&st, sizeof st);
}

/* Encode a share; with buf == NULL only measures. */
static nansen_err share_write(const share *s, uint8_t *buf, size_t cap,
                              size_t *len)
{
    uint8_t h[crypto_hash_sha256_BYTES];
    nansen__cbw w;
    nansen_err err;

    nansen__cbw_init(&w, buf, cap);
    nansen__cbw_array(&w, SHARE_ITEMS);
    nansen__cbw_text(&w, MAGIC, sizeof MAGIC - 1);
    nansen__cbw_uint(&w, SHARE_VERSION);
    nansen__cbw_bytes(&w, s->info.wallet_id, ID);
    nansen__cbw_bytes(&w, s->info.split_id, ID);
    nansen__cbw_uint(&w, s->info.k);
    nansen__cbw_uint(&w, s->info.n);
    nansen__cbw_uint(&w, s->info.x);
    nansen__cbw_int(&w, s->info.created);
    nansen__cbw_bytes(&w, s->commit, ID);
    nansen__cbw_bytes(&w, s->y, SECRET);
    memset(h, 0, sizeof h);
    if (buf != NULL && w.err == NANSEN_OK && w.len + 1 + CHECK_BYTES <= cap)
        crypto_hash_sha256(h, buf, w.len);
    nansen__cbw_bytes(&w, h, CHECK_BYTES);
    err = nansen__cbw_finish(&w, len);
    sodium_memzero(h, sizeof h);
    return err;
}

static nansen_err read_id(nansen__cbr *r, uint8_t *out, size_t want)
{
    const uint8_t *p;
    size_t n;

    if (nansen__cbr_bytes(r, &p, &n) != NANSEN_OK || n != want)
        return NANSEN_ERR_MALFORMED;
    memcpy(out, p, n);
    return NANSEN_OK;
}

static nansen_err read_small(nansen__cbr *r, uint64_t *v)
{
    nansen__cbor_item it;

    if (nansen__cbr_next(r, &it) != NANSEN_OK || it.type != NANSEN__CBOR_UINT)
        return NANSEN_ERR_MALFORMED;
    *v = it.v.u;
    return NANSEN_OK;
}

/* Check and read a share, in the order of spec/recovery.md: what it is,
 * its version, its check value, its CBOR, its structure, its ranges. On
 * failure s is zeroed. */
static nansen_err share_parse(share *s, const uint8_t *in, size_t len)
{
    uint8_t h[crypto_hash_sha256_BYTES];
    nansen__cbor_item it;
    nansen__cbr r;
    uint64_t k, n, x;
    size_t items;
    nansen_err err;

    sodium_memzero(s, sizeof *s);
    if (len > NANSEN_SHARE_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    /* The magic first: a share is told from any other object by it. */
    nansen__cbr_init(&r, in, len);
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err == NANSEN_ERR_TRUNCATED ? err : NANSEN_ERR_WRONG_TYPE;
    if (it.type != NANSEN__CBOR_ARRAY)
        return NANSEN_ERR_WRONG_TYPE;
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err == NANSEN_ERR_TRUNCATED ? err : NANSEN_ERR_WRONG_TYPE;
    if (it.type != NANSEN__CBOR_TEXT || it.len != sizeof MAGIC - 1 ||
        memcmp(it.str, MAGIC, it.len) != 0)
        return NANSEN_ERR_WRONG_TYPE;
    /* The version before anything else: another one may differ in all
     * that follows. */
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err == NANSEN_ERR_TRUNCATED ? err : NANSEN_ERR_MALFORMED;
    if (it.type != NANSEN__CBOR_UINT)
        return NANSEN_ERR_MALFORMED;
    if (it.v.u != SHARE_VERSION)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    /* Integrity before meaning: the last 9 bytes are the check, a byte
     * string of 8 bytes, over everything before it. */
    if (len < (size_t)(r.p - in) + 1 + CHECK_BYTES)
        return NANSEN_ERR_CHECKSUM;
    crypto_hash_sha256(h, in, len - 1 - CHECK_BYTES);
    if (in[len - 1 - CHECK_BYTES] != 0x40 + CHECK_BYTES ||
        sodium_memcmp(h, in + len - CHECK_BYTES, CHECK_BYTES) != 0)
        return NANSEN_ERR_CHECKSUM;
    if ((err = nansen_cbor_check(in, len, 0)) != NANSEN_OK)
        return err;

    nansen__cbr_init(&r, in, len);
    if (nansen__cbr_array(&r, &items) != NANSEN_OK || items != SHARE_ITEMS)
        return NANSEN_ERR_MALFORMED;
    (void)nansen__cbr_next(&r, &it);     /* magic and version, read above */
    (void)nansen__cbr_next(&r, &it);
    if ((err = read_id(&r, s->info.wallet_id, ID)) != NANSEN_OK ||
        (err = read_id(&r, s->info.split_id, ID)) != NANSEN_OK ||
        (err = read_small(&r, &k)) != NANSEN_OK ||
        (err = read_small(&r, &n)) != NANSEN_OK ||
        (err = read_small(&r, &x)) != NANSEN_OK)
        goto fail;
    if (nansen__cbr_int(&r, &s->info.created) != NANSEN_OK ||
        (err = read_id(&r, s->commit, ID)) != NANSEN_OK ||
        (err = read_id(&r, s->y, SECRET)) != NANSEN_OK ||
        (err = read_id(&r, h, CHECK_BYTES)) != NANSEN_OK ||
        !nansen__cbr_done(&r)) {
        err = NANSEN_ERR_MALFORMED;
        goto fail;
    }
    if (k < 2 || k > n || n > MAX_SHARES || x < 1 || x > n ||
        s->info.created <= 0 ||
        s->info.created > NANSEN__RECOVERY_TIME_MAX) {
        err = NANSEN_ERR_OUT_OF_RANGE;
        goto fail;
    }
    s->info.k = (unsigned int)k;
    s->info.n = (unsigned int)n;
    s->info.x = (unsigned int)x;
    return NANSEN_OK;
fail:
    sodium_memzero(s, sizeof *s);
    return err;
}

nansen_err nansen_share_decode(nansen_ctx *ctx, nansen_share_info *info,
                               const uint8_t *share_bytes, size_t share_len)
{
    share *s;
    nansen_err err;

    if (info != NULL)
        memset(info, 0, sizeof *info);
    ARG_CHECK(ctx != NULL && share_bytes != NULL);
    if ((s = sodium_malloc(sizeof *s)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = share_parse(s, share_bytes, share_len);
    if (err == NANSEN_OK && info != NULL)
        *info = s->info;
    sodium_free(s);           /* wipes */
    return err;
}

/* ---- splitting ---- */

struct nansen_share_set {
    size_t n;
    uint8_t *mem;                 /* sodium_malloc, n * SHARE_MAX_BYTES */
    size_t len[MAX_SHARES];
};

size_t nansen_share_set_count(const nansen_share_set *set)
{
    return set != NULL ? set->n : 0;
}

nansen_err nansen_share_set_get(const nansen_share_set *set, size_t i,
                                const uint8_t **share_bytes,
                                size_t *share_len)
{
    if (share_bytes != NULL)
        *share_bytes = NULL;
    if (share_len != NULL)
        *share_len = 0;
    ARG_CHECK(set != NULL && share_bytes != NULL && share_len != NULL);
    ARG_CHECK(i < set->n);
    *share_bytes = set->mem + i * NANSEN_SHARE_MAX_BYTES;
    *share_len = set->len[i];
    return NANSEN_OK;
}

void nansen_share_set_free(nansen_share_set *set)
{
    if (set == NULL)
        return;
    if (set->mem != NULL)
        sodium_free(set->mem);    /* wipes */
    sodium_memzero(set, sizeof *set);
    free(set);
}

static int split_args_ok(unsigned int k, unsigned int n, int64_t created)
{
    return k >= 2 && k <= n && n <= MAX_SHARES && created > 0 &&
           created <= NANSEN__RECOVERY_TIME_MAX;
}

nansen_err nansen__recovery_split_with(
    nansen_ctx *ctx, nansen_share_set **out, const uint8_t *secret,
    const uint8_t *wallet_id, unsigned int k, unsigned int n,
    int64_t created, const uint8_t *split_id, const uint8_t *coeffs)
{
    nansen_share_set *set;
    share *s;
    unsigned int i, d, b;
    nansen_err err = NANSEN_OK;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && secret != NULL && wallet_id != NULL &&
              split_id != NULL && coeffs != NULL);
    ARG_CHECK(split_args_ok(k, n, created));
    if ((set = calloc(1, sizeof *set)) == NULL)
        return NANSEN_ERR_NOMEM;
    set->mem = sodium_malloc((size_t)n * NANSEN_SHARE_MAX_BYTES);
    s = sodium_malloc(sizeof *s);
    if (set->mem == NULL || s == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto out;
    }
    memset(set->mem, 0, (size_t)n * NANSEN_SHARE_MAX_BYTES);
    memset(s, 0, sizeof *s);
    memcpy(s->info.wallet_id, wallet_id, ID);
    memcpy(s->info.split_id, split_id, ID);
    s->info.k = k;
    s->info.n = n;
    s->info.created = created;
    nansen__recovery_commit(s->commit, wallet_id, split_id, secret);
    for (i = 1; i <= n; i++) {
        uint8_t x = (uint8_t)i;

        /* y = f(x) byte by byte, by Horner's rule from the top
         * coefficient down to the secret. */
        for (b = 0; b < SECRET; b++) {
            uint8_t acc = coeffs[(size_t)(k - 2) * SECRET + b];

            for (d = k - 1; d-- > 1;)
                acc = nansen__gf256_mul(acc, x) ^
                      coeffs[(size_t)(d - 1) * SECRET + b];
            s->y[b] = nansen__gf256_mul(acc, x) ^ secret[b];
        }
        s->info.x = i;
        if ((err = share_write(s, set->mem + (size_t)(i - 1) *
                                                  NANSEN_SHARE_MAX_BYTES,
                               NANSEN_SHARE_MAX_BYTES,
                               &set->len[i - 1])) != NANSEN_OK)
            goto out;             /* never: the format is bounded */
    }
    set->n = n;
out:
    if (s != NULL)
        sodium_free(s);
    if (err != NANSEN_OK) {
        nansen_share_set_free(set);
        return err;
    }
    *out = set;
    return NANSEN_OK;
}

nansen_err nansen_recovery_split(nansen_ctx *ctx, nansen_share_set **out,
                                 const uint8_t secret[SECRET],
                                 const uint8_t wallet_id[ID], unsigned int k,
                                 unsigned int n, int64_t created)
{
    uint8_t split_id[ID], *coeffs;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && secret != NULL && wallet_id != NULL);
    ARG_CHECK(split_args_ok(k, n, created));
    if ((coeffs = sodium_malloc((size_t)(k - 1) * SECRET)) == NULL)
        return NANSEN_ERR_NOMEM;
    /* Uniform coefficients, zero included: any k-1 shares are then
     * uniformly distributed whatever the secret. */
    randombytes_buf(coeffs, (size_t)(k - 1) * SECRET);
    randombytes_buf(split_id, sizeof split_id);
    err = nansen__recovery_split_with(ctx, out, secret, wallet_id, k, n,
                                      created, split_id, coeffs);
    sodium_free(coeffs);          /* wipes */
    return err;
}

/* ---- combining ---- */

/* f(t) from k points on f, by Lagrange: sum of y_i * prod_{j != i}
 * (t - x_j) / (x_i - x_j), where - is + (xor). The x are public; the y
 * go only through constant-time products. */
static void interpolate(uint8_t out[SECRET], const share *s, unsigned int k,
                        uint8_t t)
{
    unsigned int i, j, b;

    memset(out, 0, SECRET);
    for (i = 0; i < k; i++) {
        uint8_t xi = (uint8_t)s[i].info.x, num = 1, den = 1, l;

        for (j = 0; j < k; j++) {
            uint8_t xj = (uint8_t)s[j].info.x;

            if (j == i)
                continue;
            num = nansen__gf256_mul(num, (uint8_t)(t ^ xj));
            den = nansen__gf256_mul(den, (uint8_t)(xi ^ xj));
        }
        l = nansen__gf256_mul(num, nansen__gf256_inv(den));
        for (b = 0; b < SECRET; b++)
            out[b] ^= nansen__gf256_mul(l, s[i].y[b]);
    }
}

static int same_split(const share *a, const share *b)
{
    return memcmp(a->info.wallet_id, b->info.wallet_id, ID) == 0 &&
           memcmp(a->info.split_id, b->info.split_id, ID) == 0 &&
           a->info.k == b->info.k && a->info.n == b->info.n &&
           a->info.created == b->info.created &&
           memcmp(a->commit, b->commit, ID) == 0;
}

/* The distinct shares (at most MAX_SHARES: x is 1..n) and the scratch
 * space, all secret. */
typedef struct work {
    share s[MAX_SHARES];
    share tmp;
    uint8_t v[SECRET];
    uint8_t commit[ID];
} work;

static nansen_err combine(work *w, uint8_t *secret, uint8_t *wallet_id,
                          const uint8_t *const *shares,
                          const size_t *share_lens, size_t count)
{
    unsigned int m = 0, j, k;
    size_t i;
    nansen_err err;

    /* Every share must decode before any is compared. */
    for (i = 0; i < count; i++) {
        if (shares[i] == NULL)
            return NANSEN_ERR_INVALID_ARG;
        if ((err = share_parse(&w->tmp, shares[i], share_lens[i])) !=
            NANSEN_OK)
            return err;
    }
    for (i = 0; i < count; i++) {
        (void)share_parse(&w->tmp, shares[i], share_lens[i]);
        if (i > 0 && !same_split(&w->s[0], &w->tmp))
            return NANSEN_ERR_SHARE_MISMATCH;
        for (j = 0; j < m; j++)
            if (w->s[j].info.x == w->tmp.info.x)
                break;
        if (j < m) {
            /* the same share again counts once; another with its x is
             * not of this split */
            if (sodium_memcmp(w->s[j].y, w->tmp.y, SECRET) != 0)
                return NANSEN_ERR_SHARE_MISMATCH;
            continue;
        }
        w->s[m++] = w->tmp;       /* m <= n <= MAX_SHARES: x is 1..n */
    }
    k = w->s[0].info.k;
    if (m < k)
        return NANSEN_ERR_NOT_ENOUGH_SHARES;
    interpolate(secret, w->s, k, 0);
    /* Shares past k must lie on the same polynomial. */
    for (j = k; j < m; j++) {
        interpolate(w->v, w->s, k, (uint8_t)w->s[j].info.x);
        if (sodium_memcmp(w->v, w->s[j].y, SECRET) != 0)
            return NANSEN_ERR_SHARE_MISMATCH;
    }
    nansen__recovery_commit(w->commit, w->s[0].info.wallet_id,
                            w->s[0].info.split_id, secret);
    if (sodium_memcmp(w->commit, w->s[0].commit, ID) != 0)
        return NANSEN_ERR_SHARE_MISMATCH;
    memcpy(wallet_id, w->s[0].info.wallet_id, ID);
    return NANSEN_OK;
}

nansen_err nansen_recovery_combine(nansen_ctx *ctx, uint8_t secret[SECRET],
                                   uint8_t wallet_id[ID],
                                   const uint8_t *const *shares,
                                   const size_t *share_lens, size_t count)
{
    work *w;
    nansen_err err;

    if (secret != NULL)
        sodium_memzero(secret, SECRET);
    if (wallet_id != NULL)
        sodium_memzero(wallet_id, ID);
    ARG_CHECK(ctx != NULL && secret != NULL && wallet_id != NULL);
    ARG_CHECK(count == 0 || (shares != NULL && share_lens != NULL));
    if (count == 0)
        return NANSEN_ERR_NOT_ENOUGH_SHARES;
    if ((w = sodium_malloc(sizeof *w)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = combine(w, secret, wallet_id, shares, share_lens, count);
    sodium_free(w);               /* wipes */
    if (err != NANSEN_OK) {
        sodium_memzero(secret, SECRET);
        sodium_memzero(wallet_id, ID);
    }
    return err;
}

/* ---- QR text ---- */

nansen_err nansen_share_to_text(nansen_ctx *ctx, char *out, size_t *out_len,
                                const uint8_t *share_bytes, size_t share_len)
{
    size_t cap;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || share_bytes == NULL)
        err = NANSEN_ERR_INVALID_ARG;
    else if ((err = nansen_share_decode(ctx, NULL, share_bytes,
                                        share_len)) == NANSEN_OK)
        err = nansen_frame_encode(out, out_len, share_bytes, share_len,
                                  NANSEN_FRAME_NO_ZLIB);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}

nansen_err nansen_share_from_text(nansen_ctx *ctx, uint8_t *out,
                                  size_t *out_len, const char *text,
                                  size_t text_len)
{
    uint8_t buf[NANSEN_SHARE_MAX_BYTES];
    size_t cap, len = 0;
    nansen_frame_kind kind;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || text == NULL) {
        err = NANSEN_ERR_INVALID_ARG;
        goto out;
    }
    /* Size it first: a frame may hold much more than a share. */
    err = nansen_frame_decode(NULL, &len, &kind, text, text_len, 0);
    if (err == NANSEN_OK && len > sizeof buf)
        err = NANSEN_ERR_CBOR_TOO_LARGE;
    if (err == NANSEN_OK)
        err = nansen_frame_decode(buf, &len, &kind, text, text_len, 0);
    if (err == NANSEN_OK)
        err = nansen_share_decode(ctx, NULL, buf, len);
    if (err == NANSEN_OK && !nansen__size_query(&err, out, out_len, len)) {
        memcpy(out, buf, len);
        *out_len = len;
    }
out:
    sodium_memzero(buf, sizeof buf);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}
