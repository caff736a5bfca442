/* did.c - did:key identifiers for Ed25519 and secp256k1 keys.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "internal/internal.h"
#include "internal/base58.h"

static const char did_prefix[] = "did:key:";
#define DID_PREFIX_LEN (sizeof did_prefix - 1)

/* Multicodec varints: ed25519-pub 0xed, secp256k1-pub 0xe7. */
static const uint8_t mc_ed25519[2] = {0xed, 0x01};
static const uint8_t mc_secp256k1[2] = {0xe7, 0x01};

size_t nansen_did_max_bytes(void)
{
    return NANSEN_DID_MAX_BYTES;
}

nansen_err nansen_did_key_encode(char *out, size_t *out_len,
                                 nansen_key_type type, const uint8_t *pub,
                                 size_t pub_len)
{
    uint8_t raw[2 + NANSEN_PUBLIC_KEY_MAX_BYTES];
    char b58[NANSEN_DID_MAX_BYTES];
    size_t b58_len = sizeof b58, need;
    nansen_err err;

    ARG_CHECK(out_len != NULL && pub != NULL);
    if (type == NANSEN_KEY_ED25519) {
        ARG_CHECK(pub_len == NANSEN_ED25519_PUBLIC_BYTES);
        memcpy(raw, mc_ed25519, 2);
    } else if (type == NANSEN_KEY_SECP256K1) {
        ARG_CHECK(pub_len == NANSEN_SECP256K1_PUBLIC_BYTES &&
                  (pub[0] == 0x02 || pub[0] == 0x03));
        memcpy(raw, mc_secp256k1, 2);
    } else {
        return NANSEN_ERR_INVALID_ARG;
    }
    memcpy(raw + 2, pub, pub_len);
    if ((err = nansen__base58_encode(b58, &b58_len, raw, 2 + pub_len)) !=
        NANSEN_OK)
        return err;     /* cannot happen: 35 bytes fit */
    /* b58_len counts the NUL, which takes the place of the 'z'. */
    need = DID_PREFIX_LEN + b58_len + 1;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    memcpy(out, did_prefix, DID_PREFIX_LEN);
    out[DID_PREFIX_LEN] = 'z';
    memcpy(out + DID_PREFIX_LEN + 1, b58, b58_len);
    *out_len = need;
    return NANSEN_OK;
}

nansen_err nansen_did_key_decode(nansen_key_type *type, uint8_t *pub,
                                 size_t *pub_len, const char *did,
                                 size_t did_len)
{
    uint8_t raw[2 * NANSEN__BASE58_MAX_BYTES];
    size_t raw_len = sizeof raw, id_len, key_len;
    const char *id, *hash;
    nansen_key_type t;
    nansen_err err;

    ARG_CHECK(type != NULL && pub_len != NULL && did != NULL);
    if (did_len < DID_PREFIX_LEN ||
        memcmp(did, did_prefix, DID_PREFIX_LEN) != 0)
        return NANSEN_ERR_MALFORMED;
    id = did + DID_PREFIX_LEN;
    id_len = did_len - DID_PREFIX_LEN;
    /* The DID URL form names the key by its own identifier: accept
     * "did:key:X#X" and nothing else after a '#'. */
    if ((hash = memchr(id, '#', id_len)) != NULL) {
        size_t frag_len = id_len - (size_t)(hash - id) - 1;

        id_len = (size_t)(hash - id);
        if (frag_len != id_len || memcmp(hash + 1, id, id_len) != 0)
            return NANSEN_ERR_MALFORMED;
    }
    if (id_len < 1 || id[0] != 'z')
        return NANSEN_ERR_MALFORMED;
    if ((err = nansen__base58_decode(raw, &raw_len, id + 1, id_len - 1)) !=
        NANSEN_OK)
        return err == NANSEN_ERR_BUFFER_TOO_SMALL ? NANSEN_ERR_MALFORMED
                                                  : err;
    if (raw_len < 2)
        return NANSEN_ERR_MALFORMED;
    if (memcmp(raw, mc_ed25519, 2) == 0) {
        t = NANSEN_KEY_ED25519;
        key_len = NANSEN_ED25519_PUBLIC_BYTES;
    } else if (memcmp(raw, mc_secp256k1, 2) == 0) {
        t = NANSEN_KEY_SECP256K1;
        key_len = NANSEN_SECP256K1_PUBLIC_BYTES;
    } else {
        return NANSEN_ERR_UNSUPPORTED_ALG;
    }
    if (raw_len - 2 != key_len)
        return NANSEN_ERR_BAD_KEY;
    if (t == NANSEN_KEY_SECP256K1 && raw[2] != 0x02 && raw[2] != 0x03)
        return NANSEN_ERR_BAD_KEY;
    *type = t;
    if (nansen__size_query(&err, pub, pub_len, key_len))
        return err;
    memcpy(pub, raw + 2, key_len);
    *pub_len = key_len;
    return NANSEN_OK;
}

nansen_err nansen_key_did(const nansen_key *key, char *out, size_t *out_len)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub;
    nansen_err err;

    ARG_CHECK(key != NULL && out_len != NULL);
    if ((err = nansen_key_public(key, pub, &pub_len)) != NANSEN_OK)
        return err;
    return nansen_did_key_encode(out, out_len, nansen_key_get_type(key), pub,
                                 pub_len);
}

nansen_err nansen_key_from_did(nansen_ctx *ctx, nansen_key **out,
                               const char *did, size_t did_len)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub;
    nansen_key_type type;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && did != NULL);
    if ((err = nansen_did_key_decode(&type, pub, &pub_len, did, did_len)) !=
        NANSEN_OK)
        return err;
    return nansen_key_from_public(ctx, out, type, pub, pub_len);
}
