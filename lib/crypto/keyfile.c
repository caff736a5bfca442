/* keyfile.c - secret key files (spec/key-file.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A key file is five LF-terminated lines:
 *   nansen-secret-key v1
 *   type: ed25519 | secp256k1
 *   did: did:key:z...
 *   secret: <64 lowercase hex digits>
 *   check: <16 lowercase hex: SHA-256 of every byte before this line>
 * Every buffer that holds the secret, in binary or in hex, is wiped on
 * every path.
 */
#include <string.h>
#include <sodium.h>

#include "internal/internal.h"
#include "internal/key.h"

#define KF_MAGIC      "nansen-secret-key v"
#define KF_VERSION    "1"
#define KF_CHECK_BYTES 8

static const char *type_name(nansen_key_type type)
{
    return type == NANSEN_KEY_ED25519 ? "ed25519" : "secp256k1";
}

/* Appends s (n bytes) at *pos; the caller sized buf for the longest file. */
static void put(char *buf, size_t *pos, const char *s, size_t n)
{
    memcpy(buf + *pos, s, n);
    *pos += n;
}

static void puts_(char *buf, size_t *pos, const char *s)
{
    put(buf, pos, s, strlen(s));
}

/* The file text into buf (NANSEN_KEY_FILE_MAX_BYTES); *len excludes the
 * NUL, which is written too. */
static nansen_err kf_build(char *buf, size_t *len, const nansen_key *key)
{
    char did[NANSEN_DID_MAX_BYTES];
    char hex[2 * NANSEN_SECRET_BYTES + 1];
    uint8_t h[crypto_hash_sha256_BYTES];
    size_t did_len = sizeof did, pos = 0;
    nansen_err err;

    if ((err = nansen_key_did(key, did, &did_len)) != NANSEN_OK)
        return err;
    puts_(buf, &pos, KF_MAGIC KF_VERSION "\ntype: ");
    puts_(buf, &pos, type_name(key->type));
    puts_(buf, &pos, "\ndid: ");
    put(buf, &pos, did, did_len - 1);
    puts_(buf, &pos, "\nsecret: ");
    nansen__hex_encode(hex, key->secret, NANSEN_SECRET_BYTES);
    put(buf, &pos, hex, 2 * NANSEN_SECRET_BYTES);
    sodium_memzero(hex, sizeof hex);
    puts_(buf, &pos, "\n");
    /* The check value covers the secret line, so a flipped digit is
     * reported as damage, not silently loaded as another key. */
    crypto_hash_sha256(h, (const uint8_t *)buf, pos);
    puts_(buf, &pos, "check: ");
    nansen__hex_encode(buf + pos, h, KF_CHECK_BYTES);
    pos += 2 * KF_CHECK_BYTES;
    puts_(buf, &pos, "\n");
    buf[pos] = '\0';
    *len = pos;
    return NANSEN_OK;
}

nansen_err nansen_key_export(nansen_ctx *ctx, char *out, size_t *out_len,
                             const nansen_key *key)
{
    char text[NANSEN_KEY_FILE_MAX_BYTES];
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(ctx != NULL && out_len != NULL && key != NULL);
    if (!nansen_key_has_secret(key))
        return NANSEN_ERR_NO_SECRET_KEY;
    if ((err = kf_build(text, &len, key)) == NANSEN_OK &&
        !nansen__size_query(&err, out, out_len, len + 1)) {
        memcpy(out, text, len + 1);
        *out_len = len + 1;
    }
    sodium_memzero(text, sizeof text);
    return err;
}

/* One line of the file: [*p, end) starts with "name: ", the value runs to
 * the LF, which is required unless last_may_end is set and the text ends
 * there. Returns 0 if the line is not there. */
static int field(const char **p, const char *end, const char *name,
                 int last_may_end, const char **val, size_t *val_len)
{
    size_t n = strlen(name), avail = (size_t)(end - *p);
    const char *lf;

    if (avail < n + 2 || memcmp(*p, name, n) != 0 || (*p)[n] != ':' ||
        (*p)[n + 1] != ' ')
        return 0;
    *val = *p + n + 2;
    lf = memchr(*val, '\n', (size_t)(end - *val));
    if (lf == NULL) {
        if (!last_may_end)
            return 0;
        lf = end;
    }
    *val_len = (size_t)(lf - *val);
    *p = lf == end ? end : lf + 1;
    return 1;
}

/* The first line: MALFORMED unless it is the magic, UNSUPPORTED_VERSION
 * for another version number. */
static nansen_err kf_magic(const char **p, const char *end)
{
    size_t n = sizeof KF_MAGIC - 1, i;
    const char *lf = memchr(*p, '\n', (size_t)(end - *p));
    size_t line_len;

    if (lf == NULL)
        return NANSEN_ERR_MALFORMED;
    line_len = (size_t)(lf - *p);
    if (line_len <= n || memcmp(*p, KF_MAGIC, n) != 0)
        return NANSEN_ERR_MALFORMED;
    for (i = n; i < line_len; i++)
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return NANSEN_ERR_MALFORMED;
    if (line_len != n + 1 || (*p)[n] != KF_VERSION[0])
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    *p = lf + 1;
    return NANSEN_OK;
}

/* Exactly out_len bytes from 2*out_len lowercase hex digits. The check
 * for lowercase re-encodes and compares in constant time, as the digits
 * may be the secret. */
static nansen_err hex_lower(uint8_t *out, size_t out_len, const char *in,
                            size_t in_len)
{
    char again[2 * NANSEN_SECRET_BYTES + 1];
    nansen_err err;

    if (out_len > NANSEN_SECRET_BYTES || in_len != 2 * out_len)
        return NANSEN_ERR_BAD_ENCODING;
    if ((err = nansen__hex_decode(out, out_len, in, in_len)) != NANSEN_OK)
        return err;
    nansen__hex_encode(again, out, out_len);
    if (sodium_memcmp(again, in, in_len) != 0) {
        sodium_memzero(out, out_len);
        err = NANSEN_ERR_BAD_ENCODING;
    }
    sodium_memzero(again, sizeof again);
    return err;
}

nansen_err nansen_key_import(nansen_ctx *ctx, nansen_key **out,
                             const char *text, size_t text_len)
{
    const char *p = text, *end, *type_v, *did_v, *secret_v, *check_v;
    const char *check_line;
    size_t type_len, did_len, secret_len, check_len;
    uint8_t h[crypto_hash_sha256_BYTES], check[KF_CHECK_BYTES];
    uint8_t secret[NANSEN_SECRET_BYTES];
    char did[NANSEN_DID_MAX_BYTES];
    size_t own_did_len = sizeof did;
    nansen_key_type type;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && text != NULL);
    if (text_len > NANSEN_KEY_FILE_MAX_BYTES)
        return NANSEN_ERR_MALFORMED;
    end = text + text_len;

    /* Structure first: a version we do not know may lay out the rest
     * differently, and a damaged file must not be half-read. */
    if ((err = kf_magic(&p, end)) != NANSEN_OK)
        return err;
    if (!field(&p, end, "type", 0, &type_v, &type_len) ||
        !field(&p, end, "did", 0, &did_v, &did_len) ||
        !field(&p, end, "secret", 0, &secret_v, &secret_len))
        return NANSEN_ERR_MALFORMED;
    check_line = p;
    if (!field(&p, end, "check", 1, &check_v, &check_len) || p != end ||
        check_len != 2 * KF_CHECK_BYTES)
        return NANSEN_ERR_MALFORMED;

    /* Integrity before meaning. */
    if ((err = hex_lower(check, sizeof check, check_v, check_len)) !=
        NANSEN_OK)
        return err;
    crypto_hash_sha256(h, (const uint8_t *)text, (size_t)(check_line - text));
    if (sodium_memcmp(h, check, sizeof check) != 0)
        return NANSEN_ERR_CHECKSUM;

    if (type_len == 7 && memcmp(type_v, "ed25519", 7) == 0)
        type = NANSEN_KEY_ED25519;
    else if (type_len == 9 && memcmp(type_v, "secp256k1", 9) == 0)
        type = NANSEN_KEY_SECP256K1;
    else
        return NANSEN_ERR_UNSUPPORTED_ALG;

    if ((err = hex_lower(secret, sizeof secret, secret_v, secret_len)) !=
        NANSEN_OK)
        goto done;
    if ((err = nansen_key_from_secret(ctx, out, type, secret)) != NANSEN_OK)
        goto done;
    /* The did line tells a person which key this is; a file whose did
     * names another key has been edited or mixed up. */
    if ((err = nansen_key_did(*out, did, &own_did_len)) != NANSEN_OK)
        goto done;
    if (own_did_len - 1 != did_len || memcmp(did, did_v, did_len) != 0)
        err = NANSEN_ERR_BAD_KEY;
done:
    sodium_memzero(secret, sizeof secret);
    if (err != NANSEN_OK) {
        nansen_key_free(*out);
        *out = NULL;
    }
    return err;
}

nansen_err nansen_key_save(nansen_ctx *ctx, const nansen_key *key,
                           const char *path, unsigned int flags)
{
    char text[NANSEN_KEY_FILE_MAX_BYTES];
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(ctx != NULL && key != NULL && path != NULL);
    ARG_CHECK((flags & ~NANSEN_SAVE_OVERWRITE) == 0);
    if (!nansen_key_has_secret(key))
        return NANSEN_ERR_NO_SECRET_KEY;
    if ((err = kf_build(text, &len, key)) == NANSEN_OK)
        err = nansen__file_write_atomic(path, (const uint8_t *)text, len,
                                        0600,
                                        (flags & NANSEN_SAVE_OVERWRITE) != 0);
    sodium_memzero(text, sizeof text);
    return err;
}

nansen_err nansen_key_load(nansen_ctx *ctx, nansen_key **out,
                           const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL);
    err = nansen__file_read_secure(path, NANSEN_KEY_FILE_MAX_BYTES, &buf,
                                   &len);
    if (err != NANSEN_OK)
        return err;
    err = nansen_key_import(ctx, out, (const char *)buf, len);
    sodium_memzero(buf, len);
    sodium_free(buf);
    return err;
}
