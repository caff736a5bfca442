/* wallet.c - the migrant's encrypted wallet file (spec/wallet.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "nansen/wallet.h"
#include "nansen/consent.h"
#include "nansen/cose.h"
#include "nansen/credential.h"
#include "nansen/withdrawal.h"
#include "nansen/cbor.h"
#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/key.h"
#include "internal/wallet.h"

/* ---- the file layout (all integers big-endian) ---- */
#define OFF_VERSION 8
#define OFF_VERSION_NOT 10
#define OFF_KDF_ALG 12
#define OFF_RESERVED 13
#define OFF_OPSLIMIT 16
#define OFF_MEMLIMIT 24
#define OFF_SALT 32
#define OFF_ID 48
#define OFF_WRAP_NONCE 64
#define OFF_WRAP 88              /* the sealed data key; AD: bytes [0, 88) */
#define OFF_BODY_NONCE 136
#define OFF_BODY_LEN 160
#define HEADER NANSEN_WALLET_HEADER_BYTES   /* 168; body AD: [0, 168) */
#define CHECK_BYTES 32
#define KEY_BYTES 32
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SALT_BYTES 16
#define WRAP_BYTES (KEY_BYTES + TAG_BYTES)
#define KDF_ARGON2ID13 1

static const uint8_t MAGIC[8] = {'N', 'A', 'N', 'S', 'E', 'N', 'W', 'L'};

/* ---- the contents (deterministic CBOR map) ---- */
#define C_PROFILE 0
#define C_KEYS 1
#define C_ITEMS_FIRST 2          /* 2..5: credentials, grants, withdrawals,
                                    receipts: kind + 1 */
#define C_LEDGER 6
#define CONTENTS_PROFILE 1

typedef struct item {
    uint8_t *p;
    size_t len;
} item;

typedef struct held_key {
    nansen_key *key;
    char *label;
    int64_t created;
} held_key;

struct nansen_wallet {
    nansen_ctx *ctx;
    uint8_t id[NANSEN_WALLET_ID_BYTES];
    nansen_wallet_kdf kdf;
    uint8_t salt[SALT_BYTES];
    uint8_t *dk;                 /* sodium_malloc: the data key */
    uint8_t *kek;                /* sodium_malloc: from the passphrase, or
                                    NULL for a recovered wallet */
    held_key keys[NANSEN_WALLET_MAX_KEYS];
    size_t nkeys;
    item *items[NANSEN_WALLET_KIND_LAST + 1];
    size_t nitems[NANSEN_WALLET_KIND_LAST + 1];
    nansen_ledger *ledger;
};

size_t nansen_wallet_header_bytes(void)
{
    return NANSEN_WALLET_HEADER_BYTES;
}

size_t nansen_wallet_max_bytes(void)
{
    return NANSEN_WALLET_MAX_BYTES;
}

size_t nansen_wallet_passphrase_max_bytes(void)
{
    return NANSEN_WALLET_PASSPHRASE_MAX_BYTES;
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
    while (n-- > 0) {
        p[n] = (uint8_t)v;
        v >>= 8;
    }
}

static int kdf_ok(const nansen_wallet_kdf *k)
{
    return k->opslimit >= NANSEN_WALLET_OPSLIMIT_MIN &&
           k->opslimit <= NANSEN_WALLET_OPSLIMIT_MAX &&
           k->memlimit >= NANSEN_WALLET_MEMLIMIT_MIN &&
           k->memlimit <= NANSEN_WALLET_MEMLIMIT_MAX;
}

/* ---- header ---- */

nansen_err nansen_wallet_header_decode(nansen_wallet_header *header,
                                       const uint8_t *in, size_t in_len)
{
    uint8_t check[CHECK_BYTES];
    uint64_t body_len;
    unsigned int version;
    size_t i;

    ARG_CHECK(header != NULL);
    memset(header, 0, sizeof *header);
    ARG_CHECK(in != NULL || in_len == 0);
    if (memcmp(in, MAGIC, in_len < sizeof MAGIC ? in_len : sizeof MAGIC) != 0)
        return NANSEN_ERR_WRONG_TYPE;
    if (in_len < OFF_KDF_ALG)
        return NANSEN_ERR_TRUNCATED;
    version = (unsigned int)get_be(in + OFF_VERSION, 2);
    if ((version ^ (unsigned int)get_be(in + OFF_VERSION_NOT, 2)) != 0xffffu)
        return NANSEN_ERR_CHECKSUM;
    if (version != NANSEN_WALLET_VERSION)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    if (in_len < NANSEN_WALLET_MIN_BYTES)
        return NANSEN_ERR_TRUNCATED;
    if (in_len > NANSEN_WALLET_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    body_len = get_be(in + OFF_BODY_LEN, 8);
    crypto_generichash(check, sizeof check, in, in_len - CHECK_BYTES, NULL,
                       0);
    if (sodium_memcmp(check, in + in_len - CHECK_BYTES, CHECK_BYTES) != 0)
        /* a file cut short is the likelier story when it says it is
         * longer than it is */
        return body_len > in_len - HEADER - CHECK_BYTES
                   ? NANSEN_ERR_TRUNCATED
                   : NANSEN_ERR_CHECKSUM;
    if (in[OFF_KDF_ALG] != KDF_ARGON2ID13)
        return NANSEN_ERR_UNSUPPORTED_ALG;
    for (i = OFF_RESERVED; i < OFF_OPSLIMIT; i++)
        if (in[i] != 0)
            return NANSEN_ERR_MALFORMED;
    header->kdf.opslimit = get_be(in + OFF_OPSLIMIT, 8);
    header->kdf.memlimit = get_be(in + OFF_MEMLIMIT, 8);
    if (!kdf_ok(&header->kdf)) {
        memset(header, 0, sizeof *header);
        return NANSEN_ERR_OUT_OF_RANGE;
    }
    if (body_len < TAG_BYTES || body_len != in_len - HEADER - CHECK_BYTES) {
        memset(header, 0, sizeof *header);
        return NANSEN_ERR_BAD_LENGTH;
    }
    header->version = version;
    memcpy(header->wallet_id, in + OFF_ID, NANSEN_WALLET_ID_BYTES);
    header->sealed_len = (size_t)body_len;
    return NANSEN_OK;
}

/* ---- life cycle ---- */

static nansen_err new_wallet(nansen_ctx *ctx, nansen_wallet **out)
{
    nansen_wallet *w;
    nansen_err err;

    *out = NULL;
    if ((w = calloc(1, sizeof *w)) == NULL)
        return NANSEN_ERR_NOMEM;
    w->ctx = ctx;
    if ((w->dk = sodium_malloc(KEY_BYTES)) == NULL) {
        free(w);
        return NANSEN_ERR_NOMEM;
    }
    if ((err = nansen_ledger_create(ctx, &w->ledger)) != NANSEN_OK) {
        nansen_wallet_free(w);
        return err;
    }
    *out = w;
    return NANSEN_OK;
}

static void free_items(nansen_wallet *w, nansen_wallet_kind kind)
{
    size_t i;

    for (i = 0; i < w->nitems[kind]; i++) {
        /* grants and withdrawals say who consented to what */
        sodium_memzero(w->items[kind][i].p, w->items[kind][i].len);
        free(w->items[kind][i].p);
    }
    free(w->items[kind]);
    w->items[kind] = NULL;
    w->nitems[kind] = 0;
}

void nansen_wallet_free(nansen_wallet *w)
{
    int k;
    size_t i;

    if (w == NULL)
        return;
    for (i = 0; i < w->nkeys; i++) {
        nansen_key_free(w->keys[i].key);
        free(w->keys[i].label);
    }
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++)
        free_items(w, (nansen_wallet_kind)k);
    nansen_ledger_free(w->ledger);
    sodium_free(w->dk);
    sodium_free(w->kek);
    sodium_memzero(w, sizeof *w);
    free(w);
}

/* A key-encryption key from the passphrase with salt and kdf, in a new
 * sodium_malloc buffer (*kek). */
static nansen_err derive(uint8_t **kek, const char *pass, size_t pass_len,
                         const uint8_t *salt, const nansen_wallet_kdf *kdf)
{
    if ((*kek = sodium_malloc(KEY_BYTES)) == NULL)
        return NANSEN_ERR_NOMEM;
    if (crypto_pwhash(*kek, KEY_BYTES, pass, pass_len, salt, kdf->opslimit,
                      (size_t)kdf->memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_free(*kek);
        *kek = NULL;
        return NANSEN_ERR_NOMEM;   /* libsodium fails only on memory */
    }
    return NANSEN_OK;
}

static int pass_ok(const char *pass, size_t len)
{
    return pass != NULL && len > 0 &&
           len <= NANSEN_WALLET_PASSPHRASE_MAX_BYTES;
}

nansen_err nansen_wallet_create(nansen_ctx *ctx, nansen_wallet **out,
                                const char *passphrase, size_t passphrase_len,
                                const nansen_wallet_kdf *kdf)
{
    static const nansen_wallet_kdf def = {NANSEN_WALLET_OPSLIMIT_DEFAULT,
                                          NANSEN_WALLET_MEMLIMIT_DEFAULT};
    nansen_wallet *w;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && pass_ok(passphrase, passphrase_len));
    ARG_CHECK(kdf == NULL || kdf_ok(kdf));
    if ((err = new_wallet(ctx, &w)) != NANSEN_OK)
        return err;
    w->kdf = kdf != NULL ? *kdf : def;
    randombytes_buf(w->id, sizeof w->id);
    randombytes_buf(w->salt, sizeof w->salt);
    crypto_aead_xchacha20poly1305_ietf_keygen(w->dk);
    if ((err = derive(&w->kek, passphrase, passphrase_len, w->salt,
                      &w->kdf)) != NANSEN_OK) {
        nansen_wallet_free(w);
        return err;
    }
    *out = w;
    return NANSEN_OK;
}

nansen_err nansen_wallet_set_passphrase(nansen_wallet *w,
                                        const char *passphrase,
                                        size_t passphrase_len,
                                        const nansen_wallet_kdf *kdf)
{
    nansen_wallet_kdf new_kdf;
    uint8_t salt[SALT_BYTES], *kek;
    nansen_err err;

    ARG_CHECK(w != NULL && pass_ok(passphrase, passphrase_len));
    ARG_CHECK(kdf == NULL || kdf_ok(kdf));
    new_kdf = kdf != NULL ? *kdf : w->kdf;
    randombytes_buf(salt, sizeof salt);
    /* nothing changes unless the new key is made */
    if ((err = derive(&kek, passphrase, passphrase_len, salt, &new_kdf)) !=
        NANSEN_OK)
        return err;
    sodium_free(w->kek);
    w->kek = kek;
    w->kdf = new_kdf;
    memcpy(w->salt, salt, sizeof salt);
    return NANSEN_OK;
}

/* ---- contents ---- */

static nansen_err check_item(nansen_ctx *ctx, nansen_wallet_kind kind,
                             const uint8_t *p, size_t len)
{
    nansen_err err = NANSEN_ERR_INVALID_ARG;

    switch (kind) {
    case NANSEN_WALLET_CREDENTIAL: {
        nansen_credential *c = NULL;

        err = nansen_credential_decode(ctx, &c, p, len);
        nansen_credential_free(c);
        break;
    }
    case NANSEN_WALLET_GRANT: {
        nansen_grant *g = NULL;

        err = nansen_grant_decode(ctx, &g, p, len);
        nansen_grant_free(g);
        break;
    }
    case NANSEN_WALLET_WITHDRAWAL: {
        nansen_withdrawal *d = NULL;

        err = nansen_withdrawal_decode(ctx, &d, p, len);
        nansen_withdrawal_free(d);
        break;
    }
    case NANSEN_WALLET_RECEIPT: {
        nansen_cose_sign1 m;
        nansen_cose_verify_opts o;

        memset(&o, 0, sizeof o);
        o.flags = NANSEN_COSE_REQUIRE_TAG;
        err = nansen_cose_sign1_parse(&m, p, len, &o);
        break;
    }
    }
    return err;
}

static int kind_ok(nansen_wallet_kind kind)
{
    return kind >= NANSEN_WALLET_KIND_FIRST && kind <= NANSEN_WALLET_KIND_LAST;
}

/* Append a copy of p to the kind's list (no checks). */
static nansen_err push_item(nansen_wallet *w, nansen_wallet_kind kind,
                            const uint8_t *p, size_t len)
{
    size_t n = w->nitems[kind];
    item *grown;
    uint8_t *copy;

    if (n >= NANSEN_WALLET_MAX_ITEMS)
        return NANSEN_ERR_INVALID_ARG;
    if ((copy = malloc(len > 0 ? len : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((grown = realloc(w->items[kind], (n + 1) * sizeof *grown)) == NULL) {
        free(copy);
        return NANSEN_ERR_NOMEM;
    }
    memcpy(copy, p, len);
    w->items[kind] = grown;
    grown[n].p = copy;
    grown[n].len = len;
    w->nitems[kind] = n + 1;
    return NANSEN_OK;
}

static int held(const nansen_wallet *w, nansen_wallet_kind kind,
                const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i < w->nitems[kind]; i++)
        if (w->items[kind][i].len == len &&
            memcmp(w->items[kind][i].p, p, len) == 0)
            return 1;
    return 0;
}

static nansen_err push_key(nansen_wallet *w, nansen_key_type type,
                           const uint8_t *secret, const char *label,
                           size_t label_len, int64_t created)
{
    held_key *h = &w->keys[w->nkeys];
    nansen_err err;
    size_t i;

    if (w->nkeys >= NANSEN_WALLET_MAX_KEYS)
        return NANSEN_ERR_INVALID_ARG;
    if (label_len == 0 || label_len > NANSEN_WALLET_LABEL_MAX_BYTES ||
        !nansen__utf8_valid((const uint8_t *)label, label_len) ||
        memchr(label, '\0', label_len) != NULL)
        return NANSEN_ERR_INVALID_ARG;
    if ((err = nansen_key_from_secret(w->ctx, &h->key, type, secret)) !=
        NANSEN_OK)
        return err;
    for (i = 0; i < w->nkeys; i++)
        if (nansen_key_equal(w->keys[i].key, h->key)) {
            nansen_key_free(h->key);
            h->key = NULL;
            return NANSEN_ERR_EXISTS;
        }
    if ((h->label = malloc(label_len + 1)) == NULL) {
        nansen_key_free(h->key);
        h->key = NULL;
        return NANSEN_ERR_NOMEM;
    }
    memcpy(h->label, label, label_len);
    h->label[label_len] = '\0';
    h->created = created;
    w->nkeys++;
    return NANSEN_OK;
}

/* Write the contents map. The CBOR writer may copy what it sorts into
 * ordinary memory; it wipes those copies. */
static void write_contents(nansen__cbw *c, const nansen_wallet *w,
                           const uint8_t *ledger, size_t ledger_len)
{
    size_t i;
    int k;

    nansen__cbw_map(c, 3 + NANSEN_WALLET_KIND_LAST);
    nansen__cbw_uint(c, C_PROFILE);
    nansen__cbw_uint(c, CONTENTS_PROFILE);
    nansen__cbw_uint(c, C_KEYS);
    nansen__cbw_array(c, w->nkeys);
    for (i = 0; i < w->nkeys; i++) {
        const nansen_key *key = w->keys[i].key;

        nansen__cbw_array(c, 4);
        nansen__cbw_uint(c, (uint64_t)key->type);
        nansen__cbw_bytes(c, key->secret, NANSEN_SECRET_BYTES);
        nansen__cbw_text(c, w->keys[i].label, strlen(w->keys[i].label));
        nansen__cbw_int(c, w->keys[i].created);
    }
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++) {
        nansen__cbw_uint(c, (uint64_t)(C_ITEMS_FIRST + k - 1));
        nansen__cbw_array(c, w->nitems[k]);
        for (i = 0; i < w->nitems[k]; i++)
            nansen__cbw_bytes(c, w->items[k][i].p, w->items[k][i].len);
    }
    nansen__cbw_uint(c, C_LEDGER);
    nansen__cbw_bytes(c, ledger, ledger_len);
    nansen__cbw_map_end(c);
}

/* The contents in a sodium_malloc buffer (*out, *out_len). */
static nansen_err encode_contents(const nansen_wallet *w, uint8_t **out,
                                  size_t *out_len)
{
    uint8_t *ledger = NULL, *buf;
    size_t ledger_len = 0, need = 0;
    nansen__cbw c;
    nansen_err err;

    *out = NULL;
    if ((err = nansen_ledger_encode(NULL, &ledger_len, w->ledger)) !=
        NANSEN_OK)
        return err;
    if ((ledger = malloc(ledger_len > 0 ? ledger_len : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = nansen_ledger_encode(ledger, &ledger_len, w->ledger)) !=
        NANSEN_OK)
        goto done;
    nansen__cbw_init(&c, NULL, 0);
    write_contents(&c, w, ledger, ledger_len);
    if ((err = nansen__cbw_finish(&c, &need)) != NANSEN_OK)
        goto done;
    if (need > NANSEN_WALLET_MAX_BYTES - NANSEN_WALLET_MIN_BYTES) {
        err = NANSEN_ERR_CBOR_TOO_LARGE;
        goto done;
    }
    if ((buf = sodium_malloc(need)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto done;
    }
    nansen__cbw_init(&c, buf, need);
    write_contents(&c, w, ledger, ledger_len);
    if ((err = nansen__cbw_finish(&c, out_len)) != NANSEN_OK) {
        sodium_free(buf);
        goto done;
    }
    *out = buf;
done:
    free(ledger);
    return err;
}

nansen_err nansen_wallet_seal(uint8_t *out, size_t *out_len,
                              const nansen_wallet *w)
{
    uint8_t *plain = NULL;
    size_t plain_len = 0, need;
    unsigned long long clen = 0;
    nansen_err err;

    ARG_CHECK(out_len != NULL && w != NULL && w->kek != NULL);
    if ((err = encode_contents(w, &plain, &plain_len)) != NANSEN_OK) {
        *out_len = 0;
        return err;
    }
    need = HEADER + plain_len + TAG_BYTES + CHECK_BYTES;
    if (nansen__size_query(&err, out, out_len, need))
        goto done;
    memset(out, 0, HEADER);
    memcpy(out, MAGIC, sizeof MAGIC);
    put_be(out + OFF_VERSION, NANSEN_WALLET_VERSION, 2);
    put_be(out + OFF_VERSION_NOT, 0xffffu ^ NANSEN_WALLET_VERSION, 2);
    out[OFF_KDF_ALG] = KDF_ARGON2ID13;
    put_be(out + OFF_OPSLIMIT, w->kdf.opslimit, 8);
    put_be(out + OFF_MEMLIMIT, w->kdf.memlimit, 8);
    memcpy(out + OFF_SALT, w->salt, SALT_BYTES);
    memcpy(out + OFF_ID, w->id, NANSEN_WALLET_ID_BYTES);
    randombytes_buf(out + OFF_WRAP_NONCE, NONCE_BYTES);
    (void)crypto_aead_xchacha20poly1305_ietf_encrypt(
        out + OFF_WRAP, &clen, w->dk, KEY_BYTES, out, OFF_WRAP, NULL,
        out + OFF_WRAP_NONCE, w->kek);
    randombytes_buf(out + OFF_BODY_NONCE, NONCE_BYTES);
    put_be(out + OFF_BODY_LEN, plain_len + TAG_BYTES, 8);
    (void)crypto_aead_xchacha20poly1305_ietf_encrypt(
        out + HEADER, &clen, plain, plain_len, out, HEADER, NULL,
        out + OFF_BODY_NONCE, w->dk);
    crypto_generichash(out + need - CHECK_BYTES, CHECK_BYTES, out,
                       need - CHECK_BYTES, NULL, 0);
    *out_len = need;
    err = NANSEN_OK;
done:
    sodium_free(plain);
    return err;
}

nansen_err nansen_wallet_save(const nansen_wallet *w, const char *path,
                              unsigned int flags)
{
    uint8_t *buf;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(w != NULL && path != NULL);
    ARG_CHECK((flags & ~NANSEN_SAVE_OVERWRITE) == 0);
    if ((err = nansen_wallet_seal(NULL, &len, w)) != NANSEN_OK)
        return err;
    if ((buf = malloc(len)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = nansen_wallet_seal(buf, &len, w)) == NANSEN_OK)
        err = nansen__file_write_atomic(path, buf, len, 0600,
                                        (flags & NANSEN_SAVE_OVERWRITE) != 0);
    free(buf);
    return err;
}

/* ---- opening ---- */

/* Read the items array of one kind into w. */
static nansen_err read_items(nansen_wallet *w, nansen__cbr *r,
                             nansen_wallet_kind kind)
{
    size_t n, i;
    nansen_err err;

    if ((err = nansen__cbr_array(r, &n)) != NANSEN_OK)
        return err;
    if (n > NANSEN_WALLET_MAX_ITEMS)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    for (i = 0; i < n; i++) {
        const uint8_t *p;
        size_t len;

        if ((err = nansen__cbr_bytes(r, &p, &len)) != NANSEN_OK)
            return err;
        if ((err = check_item(w->ctx, kind, p, len)) != NANSEN_OK)
            return err;
        if (held(w, kind, p, len))
            return NANSEN_ERR_MALFORMED;        /* a duplicate */
        if ((err = push_item(w, kind, p, len)) != NANSEN_OK)
            return err;
    }
    return NANSEN_OK;
}

static nansen_err read_keys(nansen_wallet *w, nansen__cbr *r)
{
    size_t n, i, m;
    nansen_err err;

    if ((err = nansen__cbr_array(r, &n)) != NANSEN_OK)
        return err;
    if (n > NANSEN_WALLET_MAX_KEYS)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    for (i = 0; i < n; i++) {
        const uint8_t *secret;
        const char *label;
        size_t slen, llen;
        int64_t type, created;

        if ((err = nansen__cbr_array(r, &m)) != NANSEN_OK)
            return err;
        if (m != 4)
            return NANSEN_ERR_MALFORMED;
        if ((err = nansen__cbr_int(r, &type)) != NANSEN_OK ||
            (err = nansen__cbr_bytes(r, &secret, &slen)) != NANSEN_OK ||
            (err = nansen__cbr_text(r, &label, &llen)) != NANSEN_OK ||
            (err = nansen__cbr_int(r, &created)) != NANSEN_OK)
            return err;
        if ((type != NANSEN_KEY_ED25519 && type != NANSEN_KEY_SECP256K1) ||
            slen != NANSEN_SECRET_BYTES)
            return NANSEN_ERR_MALFORMED;
        err = push_key(w, (nansen_key_type)type, secret, label, llen,
                       created);
        if (err == NANSEN_ERR_EXISTS || err == NANSEN_ERR_INVALID_ARG)
            return NANSEN_ERR_MALFORMED;
        if (err != NANSEN_OK)
            return err;
    }
    return NANSEN_OK;
}

/* Decode the contents into w (empty). */
static nansen_err decode_contents(nansen_wallet *w, const uint8_t *in,
                                  size_t len)
{
    nansen__cbr r;
    size_t n;
    int64_t key, v;
    const uint8_t *ledger;
    size_t ledger_len;
    nansen_err err;
    int k;

    if ((err = nansen_cbor_check(in, len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, in, len);
    if ((err = nansen__cbr_map(&r, &n)) != NANSEN_OK)
        return err;
    /* deterministic: the keys come in order; profile first */
    if (n < 1 || (err = nansen__cbr_int(&r, &key)) != NANSEN_OK ||
        key != C_PROFILE || (err = nansen__cbr_int(&r, &v)) != NANSEN_OK)
        return err != NANSEN_OK ? err : NANSEN_ERR_MALFORMED;
    if (v != CONTENTS_PROFILE)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    if (n != 3 + NANSEN_WALLET_KIND_LAST)
        return NANSEN_ERR_MALFORMED;
    if ((err = nansen__cbr_int(&r, &key)) != NANSEN_OK)
        return err;
    if (key != C_KEYS)
        return NANSEN_ERR_MALFORMED;
    if ((err = read_keys(w, &r)) != NANSEN_OK)
        return err;
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++) {
        if ((err = nansen__cbr_int(&r, &key)) != NANSEN_OK)
            return err;
        if (key != C_ITEMS_FIRST + k - 1)
            return NANSEN_ERR_MALFORMED;
        if ((err = read_items(w, &r, (nansen_wallet_kind)k)) != NANSEN_OK)
            return err;
    }
    if ((err = nansen__cbr_int(&r, &key)) != NANSEN_OK)
        return err;
    if (key != C_LEDGER)
        return NANSEN_ERR_MALFORMED;
    if ((err = nansen__cbr_bytes(&r, &ledger, &ledger_len)) != NANSEN_OK)
        return err;
    nansen_ledger_free(w->ledger);
    w->ledger = NULL;
    if ((err = nansen_ledger_decode(w->ctx, &w->ledger, ledger,
                                    ledger_len)) != NANSEN_OK)
        return err;
    return nansen__cbr_done(&r) ? NANSEN_OK : NANSEN_ERR_TRAILING_DATA;
}

/* Open the body of a checked file with the data key already in w->dk. A
 * failure to authenticate gives fail_status. */
static nansen_err open_body(nansen_wallet *w, const uint8_t *in,
                            const nansen_wallet_header *h,
                            nansen_err fail_status)
{
    uint8_t *plain;
    unsigned long long plain_len = 0;
    nansen_err err;

    if ((plain = sodium_malloc(h->sealed_len)) == NULL)
        return NANSEN_ERR_NOMEM;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain, &plain_len, NULL, in + HEADER, h->sealed_len, in, HEADER,
            in + OFF_BODY_NONCE, w->dk) != 0)
        err = fail_status;
    else
        err = decode_contents(w, plain, (size_t)plain_len);
    sodium_free(plain);
    return err;
}

/* A new wallet with the header's id, cost and salt. */
static nansen_err wallet_of_header(nansen_ctx *ctx, nansen_wallet **out,
                                   const uint8_t *in,
                                   const nansen_wallet_header *h)
{
    nansen_err err;

    if ((err = new_wallet(ctx, out)) != NANSEN_OK)
        return err;
    memcpy((*out)->id, h->wallet_id, sizeof (*out)->id);
    (*out)->kdf = h->kdf;
    memcpy((*out)->salt, in + OFF_SALT, SALT_BYTES);
    return NANSEN_OK;
}

nansen_err nansen_wallet_open_bytes(nansen_ctx *ctx, nansen_wallet **out,
                                    const uint8_t *in, size_t in_len,
                                    const char *passphrase,
                                    size_t passphrase_len)
{
    nansen_wallet_header h;
    nansen_wallet *w = NULL;
    unsigned long long dk_len = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL && pass_ok(passphrase,
                                                   passphrase_len));
    if ((err = nansen_wallet_header_decode(&h, in, in_len)) != NANSEN_OK)
        return err;
    if ((err = wallet_of_header(ctx, &w, in, &h)) != NANSEN_OK)
        return err;
    if ((err = derive(&w->kek, passphrase, passphrase_len, w->salt,
                      &w->kdf)) != NANSEN_OK)
        goto fail;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            w->dk, &dk_len, NULL, in + OFF_WRAP, WRAP_BYTES, in, OFF_WRAP,
            in + OFF_WRAP_NONCE, w->kek) != 0 ||
        dk_len != KEY_BYTES) {
        err = NANSEN_ERR_WRONG_PASSPHRASE;
        goto fail;
    }
    if ((err = open_body(w, in, &h, NANSEN_ERR_CHECKSUM)) != NANSEN_OK)
        goto fail;
    *out = w;
    return NANSEN_OK;
fail:
    nansen_wallet_free(w);
    return err;
}

nansen_err nansen_wallet_open(nansen_ctx *ctx, nansen_wallet **out,
                              const char *path, const char *passphrase,
                              size_t passphrase_len)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL && passphrase != NULL);
    if ((err = nansen__file_read_secure(path, NANSEN_WALLET_MAX_BYTES, &buf,
                                        &len)) != NANSEN_OK)
        return err == NANSEN_ERR_MALFORMED ? NANSEN_ERR_CBOR_TOO_LARGE : err;
    err = nansen_wallet_open_bytes(ctx, out, buf, len, passphrase,
                                   passphrase_len);
    sodium_free(buf);
    return err;
}

nansen_err nansen_wallet_recover(nansen_ctx *ctx, nansen_wallet **out,
                                 const uint8_t *in, size_t in_len,
                                 const uint8_t *const *shares,
                                 const size_t *share_lens, size_t count)
{
    nansen_wallet_header h;
    nansen_wallet *w = NULL;
    uint8_t id[NANSEN_RECOVERY_ID_BYTES];
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL && shares != NULL &&
              share_lens != NULL);
    if ((err = nansen_wallet_header_decode(&h, in, in_len)) != NANSEN_OK)
        return err;
    if ((err = wallet_of_header(ctx, &w, in, &h)) != NANSEN_OK)
        return err;
    if ((err = nansen_recovery_combine(ctx, w->dk, id, shares, share_lens,
                                       count)) != NANSEN_OK)
        goto fail;
    if (sodium_memcmp(id, h.wallet_id, sizeof id) != 0) {
        err = NANSEN_ERR_SHARE_MISMATCH;
        goto fail;
    }
    if ((err = open_body(w, in, &h, NANSEN_ERR_SHARE_MISMATCH)) !=
        NANSEN_OK)
        goto fail;
    *out = w;
    return NANSEN_OK;
fail:
    nansen_wallet_free(w);
    return err;
}

nansen_err nansen_wallet_split(const nansen_wallet *w, nansen_share_set **out,
                               unsigned int k, unsigned int n,
                               int64_t created)
{
    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(w != NULL);
    return nansen_recovery_split(w->ctx, out, w->dk, w->id, k, n, created);
}

nansen_err nansen__wallet_from_contents(nansen_ctx *ctx, nansen_wallet **out,
                                        const uint8_t *in, size_t in_len)
{
    nansen_wallet *w;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if ((err = new_wallet(ctx, &w)) != NANSEN_OK)
        return err;
    randombytes_buf(w->id, sizeof w->id);
    crypto_aead_xchacha20poly1305_ietf_keygen(w->dk);
    w->kdf.opslimit = NANSEN_WALLET_OPSLIMIT_MIN;
    w->kdf.memlimit = NANSEN_WALLET_MEMLIMIT_MIN;
    if ((err = decode_contents(w, in, in_len)) != NANSEN_OK) {
        nansen_wallet_free(w);
        return err;
    }
    *out = w;
    return NANSEN_OK;
}

nansen_err nansen__wallet_contents(const nansen_wallet *w, uint8_t **out,
                                   size_t *out_len)
{
    ARG_CHECK(w != NULL && out != NULL && out_len != NULL);
    return encode_contents(w, out, out_len);
}

/* ---- queries and changes ---- */

nansen_err nansen_wallet_get_info(const nansen_wallet *w,
                                  nansen_wallet_info *info)
{
    int k;

    ARG_CHECK(info != NULL);
    memset(info, 0, sizeof *info);
    ARG_CHECK(w != NULL);
    memcpy(info->wallet_id, w->id, sizeof info->wallet_id);
    info->kdf = w->kdf;
    info->has_passphrase = w->kek != NULL;
    info->keys = w->nkeys;
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++)
        info->items[k] = w->nitems[k];
    info->ledger_entries = nansen_ledger_count(w->ledger);
    return NANSEN_OK;
}

nansen_err nansen_wallet_key_add(nansen_wallet *w, const nansen_key *key,
                                 const char *label, int64_t created,
                                 size_t *index)
{
    nansen_err err;

    ARG_CHECK(w != NULL && key != NULL && label != NULL);
    if (!key->has_secret)
        return NANSEN_ERR_NO_SECRET_KEY;
    if ((err = push_key(w, key->type, key->secret, label, strlen(label),
                        created)) != NANSEN_OK)
        return err;
    if (index != NULL)
        *index = w->nkeys - 1;
    return NANSEN_OK;
}

nansen_err nansen_wallet_key_generate(nansen_wallet *w, nansen_key_type type,
                                      const char *label, int64_t created,
                                      size_t *index)
{
    nansen_key *key = NULL;
    nansen_err err;

    ARG_CHECK(w != NULL && label != NULL);
    if ((err = nansen_key_generate(w->ctx, &key, type)) != NANSEN_OK)
        return err;
    err = nansen_wallet_key_add(w, key, label, created, index);
    nansen_key_free(key);
    return err;
}

size_t nansen_wallet_key_count(const nansen_wallet *w)
{
    return w != NULL ? w->nkeys : 0;
}

nansen_err nansen_wallet_key_get(const nansen_wallet *w, size_t i,
                                 const nansen_key **key, const char **label,
                                 int64_t *created)
{
    ARG_CHECK(key != NULL);
    *key = NULL;
    if (label != NULL)
        *label = NULL;
    if (created != NULL)
        *created = 0;
    ARG_CHECK(w != NULL && i < w->nkeys);
    *key = w->keys[i].key;
    if (label != NULL)
        *label = w->keys[i].label;
    if (created != NULL)
        *created = w->keys[i].created;
    return NANSEN_OK;
}

nansen_err nansen_wallet_key_find(const nansen_wallet *w,
                                  const nansen_key *key, size_t *index)
{
    size_t i;

    ARG_CHECK(w != NULL && key != NULL && index != NULL);
    for (i = 0; i < w->nkeys; i++)
        if (nansen_key_equal(w->keys[i].key, key)) {
            *index = i;
            return NANSEN_OK;
        }
    return NANSEN_ERR_NOT_FOUND;
}

nansen_err nansen_wallet_key_remove(nansen_wallet *w, size_t i)
{
    ARG_CHECK(w != NULL && i < w->nkeys);
    nansen_key_free(w->keys[i].key);
    free(w->keys[i].label);
    memmove(&w->keys[i], &w->keys[i + 1],
            (w->nkeys - i - 1) * sizeof w->keys[0]);
    w->nkeys--;
    memset(&w->keys[w->nkeys], 0, sizeof w->keys[0]);
    return NANSEN_OK;
}

nansen_err nansen_wallet_add(nansen_wallet *w, nansen_wallet_kind kind,
                             const uint8_t *p, size_t len, int64_t at)
{
    size_t n;
    uint8_t *copy;
    item *grown;
    nansen_err err = NANSEN_OK;

    ARG_CHECK(w != NULL && p != NULL && kind_ok(kind));
    if ((err = check_item(w->ctx, kind, p, len)) != NANSEN_OK)
        return err;
    if (held(w, kind, p, len))
        return NANSEN_ERR_EXISTS;
    n = w->nitems[kind];
    if (n >= NANSEN_WALLET_MAX_ITEMS)
        return NANSEN_ERR_INVALID_ARG;
    /* everything that can fail comes before the ledger grows: all or
     * nothing */
    if ((copy = malloc(len > 0 ? len : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((grown = realloc(w->items[kind], (n + 1) * sizeof *grown)) == NULL) {
        free(copy);
        return NANSEN_ERR_NOMEM;
    }
    w->items[kind] = grown;
    if (kind == NANSEN_WALLET_GRANT)
        err = nansen_ledger_append_grant(w->ledger, p, len, at);
    else if (kind == NANSEN_WALLET_WITHDRAWAL)
        err = nansen_ledger_append_withdrawal(w->ledger, p, len, at);
    if (err != NANSEN_OK) {
        free(copy);
        return err;
    }
    memcpy(copy, p, len);
    grown[n].p = copy;
    grown[n].len = len;
    w->nitems[kind] = n + 1;
    return NANSEN_OK;
}

size_t nansen_wallet_count(const nansen_wallet *w, nansen_wallet_kind kind)
{
    return w != NULL && kind_ok(kind) ? w->nitems[kind] : 0;
}

nansen_err nansen_wallet_get(const nansen_wallet *w, nansen_wallet_kind kind,
                             size_t i, const uint8_t **p, size_t *len)
{
    ARG_CHECK(p != NULL && len != NULL);
    *p = NULL;
    *len = 0;
    ARG_CHECK(w != NULL && kind_ok(kind) && i < w->nitems[kind]);
    *p = w->items[kind][i].p;
    *len = w->items[kind][i].len;
    return NANSEN_OK;
}

nansen_err nansen_wallet_remove(nansen_wallet *w, nansen_wallet_kind kind,
                                size_t i)
{
    item *it;

    ARG_CHECK(w != NULL && kind_ok(kind) && i < w->nitems[kind]);
    it = w->items[kind];
    sodium_memzero(it[i].p, it[i].len);
    free(it[i].p);
    memmove(&it[i], &it[i + 1], (w->nitems[kind] - i - 1) * sizeof it[0]);
    w->nitems[kind]--;
    return NANSEN_OK;
}

const nansen_ledger *nansen_wallet_ledger(const nansen_wallet *w)
{
    return w != NULL ? w->ledger : NULL;
}
