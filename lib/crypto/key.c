/* key.c - Ed25519 and secp256k1 keys, raw signatures, BIP340.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include "internal/internal.h"
#include "internal/key.h"

size_t nansen_secret_bytes(void) { return NANSEN_SECRET_BYTES; }
size_t nansen_public_key_max_bytes(void) { return NANSEN_PUBLIC_KEY_MAX_BYTES; }
size_t nansen_signature_bytes(void) { return NANSEN_SIGNATURE_BYTES; }
size_t nansen_key_id_bytes(void) { return NANSEN_KEY_ID_BYTES; }
size_t nansen_key_file_max_bytes(void) { return NANSEN_KEY_FILE_MAX_BYTES; }

/* libsodium and libsecp256k1 take (NULL, 0) for an empty message, but some
 * paths memcpy from it; a real address keeps that defined. */
static const uint8_t empty_msg[1];

static const uint8_t *msg_ptr(const uint8_t *msg)
{
    return msg != NULL ? msg : empty_msg;
}

static nansen_key *key_alloc(int secret)
{
    nansen_key *k = secret ? sodium_malloc(sizeof *k) : malloc(sizeof *k);

    if (k != NULL) {
        memset(k, 0, sizeof *k);
        k->guarded = secret;
    }
    return k;
}

/* Filled in: from now on the key is never written until it is freed. */
static nansen_key *key_seal(nansen_key *k)
{
    if (k->guarded)
        (void)sodium_mprotect_readonly(k);
    return k;
}

void nansen_key_free(nansen_key *key)
{
    if (key == NULL)
        return;
    if (key->guarded) {
        sodium_free(key);   /* makes it writable, wipes, unmaps */
    } else {
        sodium_memzero(key, sizeof *key);
        free(key);
    }
}

static int type_ok(nansen_key_type type)
{
    return type == NANSEN_KEY_ED25519 || type == NANSEN_KEY_SECP256K1;
}

/* The compressed public key of a secp256k1 scalar already checked by
 * secp256k1_ec_seckey_verify. */
static int secp_public(const secp256k1_context *secp, uint8_t pub[33],
                       secp256k1_pubkey *pk, const uint8_t secret[32])
{
    size_t len = 33;

    if (!secp256k1_ec_pubkey_create(secp, pk, secret))
        return 0;
    return secp256k1_ec_pubkey_serialize(secp, pub, &len, pk,
                                         SECP256K1_EC_COMPRESSED) &&
           len == 33;
}

nansen_err nansen_key_from_secret(nansen_ctx *ctx, nansen_key **out,
                                  nansen_key_type type, const uint8_t *secret)
{
    nansen_key *k;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && secret != NULL && type_ok(type));
    if (type == NANSEN_KEY_SECP256K1 &&
        !secp256k1_ec_seckey_verify(ctx->secp, secret))
        return NANSEN_ERR_BAD_KEY;
    if ((k = key_alloc(1)) == NULL)
        return NANSEN_ERR_NOMEM;
    k->type = type;
    k->has_secret = 1;
    memcpy(k->secret, secret, NANSEN_SECRET_BYTES);
    if (type == NANSEN_KEY_ED25519) {
        k->pub_len = NANSEN_ED25519_PUBLIC_BYTES;
        if (crypto_sign_seed_keypair(k->pub, k->ed_sk, k->secret) != 0) {
            sodium_free(k);
            return NANSEN_ERR_INIT;
        }
    } else {
        k->pub_len = NANSEN_SECP256K1_PUBLIC_BYTES;
        if (!secp_public(ctx->secp, k->pub, &k->secp_pk, k->secret)) {
            sodium_free(k);
            return NANSEN_ERR_BAD_KEY;
        }
    }
    *out = key_seal(k);
    return NANSEN_OK;
}

nansen_err nansen_key_generate(nansen_ctx *ctx, nansen_key **out,
                               nansen_key_type type)
{
    uint8_t secret[NANSEN_SECRET_BYTES];
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && type_ok(type));
    /* A random 256-bit value is a valid secp256k1 scalar except with
     * probability about 2^-128; loop anyway rather than assume. */
    do {
        randombytes_buf(secret, sizeof secret);
        err = nansen_key_from_secret(ctx, out, type, secret);
    } while (err == NANSEN_ERR_BAD_KEY);
    sodium_memzero(secret, sizeof secret);
    return err;
}

static nansen_err ed25519_public_ok(const uint8_t *pub, size_t pub_len)
{
    /* libsodium 1.0.18: canonical encoding, on the curve, in the prime
     * order subgroup and not of small order. */
    if (pub_len != NANSEN_ED25519_PUBLIC_BYTES ||
        !crypto_core_ed25519_is_valid_point(pub))
        return NANSEN_ERR_BAD_KEY;
    return NANSEN_OK;
}

static nansen_err secp_public_parse(const secp256k1_context *secp,
                                    uint8_t out[33], secp256k1_pubkey *pk,
                                    const uint8_t *pub, size_t pub_len)
{
    size_t len = 33;

    /* secp256k1_ec_pubkey_parse also takes the "hybrid" 0x06/0x07 form,
     * which nobody else writes: only 0x02/0x03 and 0x04 are keys here. */
    if (!(pub_len == NANSEN_SECP256K1_PUBLIC_BYTES &&
          (pub[0] == 0x02 || pub[0] == 0x03)) &&
        !(pub_len == NANSEN_SECP256K1_UNCOMPRESSED_BYTES && pub[0] == 0x04))
        return NANSEN_ERR_BAD_KEY;
    if (!secp256k1_ec_pubkey_parse(secp, pk, pub, pub_len) ||
        !secp256k1_ec_pubkey_serialize(secp, out, &len, pk,
                                       SECP256K1_EC_COMPRESSED) ||
        len != 33)
        return NANSEN_ERR_BAD_KEY;
    return NANSEN_OK;
}

static nansen_err from_public(nansen_ctx *ctx, nansen_key **out,
                              nansen_key_type type, const uint8_t *pub,
                              size_t pub_len, int subgroup_check);

nansen_err nansen_key_from_public(nansen_ctx *ctx, nansen_key **out,
                                  nansen_key_type type, const uint8_t *pub,
                                  size_t pub_len)
{
    return from_public(ctx, out, type, pub, pub_len, 1);
}

nansen_err nansen__key_from_public_to_verify(nansen_ctx *ctx,
                                             nansen_key **out,
                                             nansen_key_type type,
                                             const uint8_t *pub,
                                             size_t pub_len)
{
    return from_public(ctx, out, type, pub, pub_len, 0);
}

static nansen_err from_public(nansen_ctx *ctx, nansen_key **out,
                              nansen_key_type type, const uint8_t *pub,
                              size_t pub_len, int subgroup_check)
{
    uint8_t buf[NANSEN_PUBLIC_KEY_MAX_BYTES];
    secp256k1_pubkey pk;
    size_t len;
    nansen_key *k;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && pub != NULL && type_ok(type));
    memset(&pk, 0, sizeof pk);
    if (type == NANSEN_KEY_ED25519) {
        if (pub_len != NANSEN_ED25519_PUBLIC_BYTES)
            return NANSEN_ERR_BAD_KEY;
        if (subgroup_check && (err = ed25519_public_ok(pub, pub_len)) !=
                                  NANSEN_OK)
            return err;
        memcpy(buf, pub, NANSEN_ED25519_PUBLIC_BYTES);
        len = NANSEN_ED25519_PUBLIC_BYTES;
    } else {
        if ((err = secp_public_parse(ctx->secp, buf, &pk, pub, pub_len)) !=
            NANSEN_OK)
            return err;
        len = NANSEN_SECP256K1_PUBLIC_BYTES;
    }
    if ((k = key_alloc(0)) == NULL)
        return NANSEN_ERR_NOMEM;
    k->type = type;
    k->pub_len = len;
    memcpy(k->pub, buf, len);
    k->secp_pk = pk;
    *out = key_seal(k);
    return NANSEN_OK;
}

nansen_err nansen_key_public_copy(nansen_ctx *ctx, nansen_key **out,
                                  const nansen_key *key)
{
    nansen_key *k;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && key != NULL);
    if ((k = key_alloc(0)) == NULL)
        return NANSEN_ERR_NOMEM;
    k->type = key->type;
    k->pub_len = key->pub_len;
    memcpy(k->pub, key->pub, key->pub_len);
    k->secp_pk = key->secp_pk;
    *out = key_seal(k);
    return NANSEN_OK;
}

nansen_key_type nansen_key_get_type(const nansen_key *key)
{
    return key != NULL ? key->type : (nansen_key_type)0;
}

int nansen_key_has_secret(const nansen_key *key)
{
    return key != NULL && key->has_secret;
}

nansen_err nansen_key_public(const nansen_key *key, uint8_t *out,
                             size_t *out_len)
{
    nansen_err err;

    ARG_CHECK(key != NULL && out_len != NULL);
    if (nansen__size_query(&err, out, out_len, key->pub_len))
        return err;
    memcpy(out, key->pub, key->pub_len);
    *out_len = key->pub_len;
    return NANSEN_OK;
}

nansen_err nansen_key_id(const nansen_key *key, uint8_t *out)
{
    uint8_t h[crypto_hash_sha256_BYTES];

    ARG_CHECK(key != NULL && out != NULL);
    crypto_hash_sha256(h, key->pub, key->pub_len);
    memcpy(out, h, NANSEN_KEY_ID_BYTES);
    return NANSEN_OK;
}

int nansen_key_equal(const nansen_key *a, const nansen_key *b)
{
    if (a == NULL || b == NULL)
        return 0;
    return a->type == b->type && a->pub_len == b->pub_len &&
           memcmp(a->pub, b->pub, a->pub_len) == 0;
}

nansen_err nansen_key_sign(nansen_ctx *ctx, uint8_t *sig, size_t *sig_len,
                           const nansen_key *key, const uint8_t *msg,
                           size_t msg_len)
{
    uint8_t h[crypto_hash_sha256_BYTES];
    secp256k1_ecdsa_signature s;
    nansen_err err;

    ARG_CHECK(ctx != NULL && sig_len != NULL && key != NULL);
    ARG_CHECK(msg != NULL || msg_len == 0);
    if (!key->has_secret)
        return NANSEN_ERR_NO_SECRET_KEY;
    if (nansen__size_query(&err, sig, sig_len, NANSEN_SIGNATURE_BYTES))
        return err;
    msg = msg_ptr(msg);
    if (key->type == NANSEN_KEY_ED25519) {
        if (crypto_sign_detached(sig, NULL, msg, msg_len, key->ed_sk) != 0)
            goto fail;
    } else {
        /* RFC 6979 nonces; libsecp256k1 always produces low S. */
        crypto_hash_sha256(h, msg, msg_len);
        if (!secp256k1_ecdsa_sign(ctx->secp, &s, h, key->secret, NULL,
                                  NULL) ||
            !secp256k1_ecdsa_signature_serialize_compact(ctx->secp, sig, &s))
            goto fail;
    }
    *sig_len = NANSEN_SIGNATURE_BYTES;
    return NANSEN_OK;
fail:
    sodium_memzero(sig, *sig_len);
    *sig_len = 0;
    return NANSEN_ERR_INIT;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    while (n-- > 0)
        acc |= *p++;
    return acc == 0;
}

static nansen_err verify_ecdsa(const nansen_ctx *ctx, const nansen_key *key,
                               const uint8_t *msg, size_t msg_len,
                               const uint8_t *sig, unsigned int flags)
{
    uint8_t h[crypto_hash_sha256_BYTES];
    secp256k1_ecdsa_signature s, low;

    /* parse_compact refuses r or s >= n; r or s == 0 parse but can never
     * verify, refused here so that the rule is visible. */
    if (all_zero(sig, 32) || all_zero(sig + 32, 32) ||
        !secp256k1_ecdsa_signature_parse_compact(ctx->secp, &s, sig))
        return NANSEN_ERR_BAD_SIGNATURE;
    /* secp256k1_ecdsa_verify refuses high S; plain ECDSA semantics need
     * the signature normalised first. */
    low = s;
    if (flags & NANSEN_VERIFY_ALLOW_HIGH_S)
        (void)secp256k1_ecdsa_signature_normalize(ctx->secp, &low, &s);
    crypto_hash_sha256(h, msg, msg_len);
    /* the point was parsed (and checked) when the key was made */
    if (!secp256k1_ecdsa_verify(ctx->secp, &low, h, &key->secp_pk))
        return NANSEN_ERR_BAD_SIGNATURE;
    return NANSEN_OK;
}

nansen_err nansen_key_verify(nansen_ctx *ctx, const nansen_key *key,
                             const uint8_t *msg, size_t msg_len,
                             const uint8_t *sig, size_t sig_len,
                             unsigned int flags)
{
    ARG_CHECK(ctx != NULL && key != NULL && sig != NULL);
    ARG_CHECK(msg != NULL || msg_len == 0);
    ARG_CHECK((flags & ~NANSEN_VERIFY_ALLOW_HIGH_S) == 0);
    if (sig_len != NANSEN_SIGNATURE_BYTES)
        return NANSEN_ERR_BAD_SIGNATURE;
    msg = msg_ptr(msg);
    if (key->type == NANSEN_KEY_ED25519) {
        /* libsodium refuses non-canonical S and small-order R or A. */
        if (crypto_sign_verify_detached(sig, msg, msg_len, key->pub) != 0)
            return NANSEN_ERR_BAD_SIGNATURE;
        return NANSEN_OK;
    }
    return verify_ecdsa(ctx, key, msg, msg_len, sig, flags);
}

nansen_err nansen_schnorr_sign(nansen_ctx *ctx, uint8_t *sig,
                               const nansen_key *key, const uint8_t *msg,
                               size_t msg_len, const uint8_t *aux_rand)
{
    secp256k1_schnorrsig_extraparams extra =
        SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
    secp256k1_keypair kp;
    uint8_t aux[32];
    nansen_err err = NANSEN_OK;

    ARG_CHECK(ctx != NULL && sig != NULL && key != NULL);
    ARG_CHECK(msg != NULL || msg_len == 0);
    if (key->type != NANSEN_KEY_SECP256K1)
        return NANSEN_ERR_WRONG_KEY_TYPE;
    if (!key->has_secret)
        return NANSEN_ERR_NO_SECRET_KEY;
    if (aux_rand != NULL)
        memcpy(aux, aux_rand, sizeof aux);
    else
        randombytes_buf(aux, sizeof aux);
    extra.ndata = aux;
    if (!secp256k1_keypair_create(ctx->secp, &kp, key->secret) ||
        !secp256k1_schnorrsig_sign_custom(ctx->secp, sig, msg_ptr(msg),
                                          msg_len, &kp, &extra)) {
        sodium_memzero(sig, NANSEN_SIGNATURE_BYTES);
        err = NANSEN_ERR_INIT;
    }
    sodium_memzero(&kp, sizeof kp);
    sodium_memzero(aux, sizeof aux);
    return err;
}

nansen_err nansen_schnorr_verify(nansen_ctx *ctx, const uint8_t *xonly_pub,
                                 const uint8_t *msg, size_t msg_len,
                                 const uint8_t *sig)
{
    secp256k1_xonly_pubkey pk;

    ARG_CHECK(ctx != NULL && xonly_pub != NULL && sig != NULL);
    ARG_CHECK(msg != NULL || msg_len == 0);
    if (!secp256k1_xonly_pubkey_parse(ctx->secp, &pk, xonly_pub))
        return NANSEN_ERR_BAD_KEY;
    if (!secp256k1_schnorrsig_verify(ctx->secp, sig, msg_ptr(msg), msg_len,
                                     &pk))
        return NANSEN_ERR_BAD_SIGNATURE;
    return NANSEN_OK;
}

nansen_err nansen_schnorr_public(nansen_ctx *ctx, uint8_t *xonly_pub,
                                 const nansen_key *key)
{
    ARG_CHECK(ctx != NULL && xonly_pub != NULL && key != NULL);
    if (key->type != NANSEN_KEY_SECP256K1)
        return NANSEN_ERR_WRONG_KEY_TYPE;
    /* BIP340's x-only key is the x coordinate: the compressed point
     * without its parity byte. */
    memcpy(xonly_pub, key->pub + 1, 32);
    return NANSEN_OK;
}
