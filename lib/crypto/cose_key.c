/* cose_key.c - COSE_Key (RFC 9052 section 7, RFC 9053) for the public
 * keys Nansen uses: OKP/Ed25519 and EC2/secp256k1 (RFC 8812).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>
#include <secp256k1.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/key.h"
#include "internal/token.h"

#define KTY_OKP 1
#define KTY_EC2 2
#define CRV_ED25519 6
#define CRV_SECP256K1 8

#define LBL_KTY 1
#define LBL_KID 2
#define LBL_ALG 3
#define LBL_CRV (-1)
#define LBL_X (-2)
#define LBL_Y (-3)
#define LBL_D (-4)

static void write_key(nansen__cbw *w, nansen_key_type type,
                      const uint8_t *pub, const uint8_t *y_full,
                      const uint8_t *kid, unsigned int flags)
{
    size_t n = 3 + (type == NANSEN_KEY_SECP256K1) +
               ((flags & NANSEN_COSE_KEY_WITH_KID) != 0) +
               ((flags & NANSEN_COSE_KEY_WITH_ALG) != 0);

    nansen__cbw_map(w, n);
    nansen__cbw_int(w, LBL_KTY);
    if (type == NANSEN_KEY_ED25519) {
        nansen__cbw_int(w, KTY_OKP);
        nansen__cbw_int(w, LBL_CRV);
        nansen__cbw_int(w, CRV_ED25519);
        nansen__cbw_int(w, LBL_X);
        nansen__cbw_bytes(w, pub, NANSEN_ED25519_PUBLIC_BYTES);
    } else {
        nansen__cbw_int(w, KTY_EC2);
        nansen__cbw_int(w, LBL_CRV);
        nansen__cbw_int(w, CRV_SECP256K1);
        nansen__cbw_int(w, LBL_X);
        nansen__cbw_bytes(w, pub + 1, 32);
        nansen__cbw_int(w, LBL_Y);
        if (y_full != NULL)
            nansen__cbw_bytes(w, y_full, 32);
        else
            nansen__cbw_bool(w, pub[0] == 0x03);   /* sign bit: y odd */
    }
    if (flags & NANSEN_COSE_KEY_WITH_KID) {
        nansen__cbw_int(w, LBL_KID);
        nansen__cbw_bytes(w, kid, NANSEN_KEY_ID_BYTES);
    }
    if (flags & NANSEN_COSE_KEY_WITH_ALG) {
        nansen__cbw_int(w, LBL_ALG);
        nansen__cbw_int(w, type == NANSEN_KEY_ED25519 ? NANSEN_COSE_ALG_EDDSA
                                                      : NANSEN_COSE_ALG_ES256K);
    }
    nansen__cbw_map_end(w);
}

nansen_err nansen_cose_key_encode(nansen_ctx *ctx, uint8_t *out,
                                  size_t *out_len, const nansen_key *key,
                                  unsigned int flags)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    uint8_t full[NANSEN_SECP256K1_UNCOMPRESSED_BYTES];
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    const uint8_t *y_full = NULL;
    size_t pub_len = sizeof pub, need, len;
    nansen_key_type type;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(ctx != NULL && out_len != NULL && key != NULL);
    ARG_CHECK((flags & ~(NANSEN_COSE_KEY_WITH_KID | NANSEN_COSE_KEY_WITH_ALG |
                         NANSEN_COSE_KEY_UNCOMPRESSED)) == 0);
    type = nansen_key_get_type(key);
    if ((err = nansen_key_public(key, pub, &pub_len)) != NANSEN_OK ||
        (err = nansen_key_id(key, kid)) != NANSEN_OK)
        return err;
    if (type == NANSEN_KEY_SECP256K1 &&
        (flags & NANSEN_COSE_KEY_UNCOMPRESSED)) {
        secp256k1_pubkey pk;
        size_t full_len = sizeof full;

        if (!secp256k1_ec_pubkey_parse(ctx->secp, &pk, pub, pub_len) ||
            !secp256k1_ec_pubkey_serialize(ctx->secp, full, &full_len, &pk,
                                           SECP256K1_EC_UNCOMPRESSED))
            return NANSEN_ERR_BAD_KEY;
        y_full = full + 33;
    }

    nansen__cbw_init(&w, NULL, 0);
    write_key(&w, type, pub, y_full, kid, flags);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    nansen__cbw_init(&w, out, *out_len);
    write_key(&w, type, pub, y_full, kid, flags);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK) {
        *out_len = 0;
        return err;
    }
    *out_len = len;
    return NANSEN_OK;
}

typedef struct cose_key_fields {
    int have_kty, have_crv, have_alg, y_is_bool, y_sign;
    int64_t kty, crv, alg;
    const uint8_t *x, *y;
    size_t x_len, y_len;
} cose_key_fields;

/* A kty or crv value: a registered number. A text value is a private
 * name this profile cannot know (unsupported, not malformed). */
static nansen_err read_code(nansen__cbr *r, int64_t *out)
{
    nansen__cbor_item it;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if (it.type == NANSEN__CBOR_TEXT)
        return NANSEN_ERR_UNSUPPORTED_ALG;
    if (it.type != NANSEN__CBOR_UINT || it.v.u > 1000)
        return NANSEN_ERR_MALFORMED;
    *out = (int64_t)it.v.u;
    return NANSEN_OK;
}

static nansen_err read_fields(cose_key_fields *f, const uint8_t *in,
                              size_t in_len)
{
    nansen__cbr r;
    nansen__cbor_item it;
    size_t n, i;
    nansen_err err;

    nansen__cbr_init(&r, in, in_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int64_t label;

        if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
            return err;
        if (it.type == NANSEN__CBOR_TEXT) {
            /* text labels are other parameters: ignored */
            if ((err = nansen__cbr_skip(&r, NULL, NULL)) != NANSEN_OK)
                return err;
            continue;
        }
        if ((it.type != NANSEN__CBOR_UINT && it.type != NANSEN__CBOR_NINT) ||
            it.v.u > (uint64_t)INT64_MAX)
            return NANSEN_ERR_MALFORMED;
        label = it.type == NANSEN__CBOR_UINT ? (int64_t)it.v.u
                                             : -1 - (int64_t)it.v.u;
        switch (label) {
        case LBL_KTY:
            if ((err = read_code(&r, &f->kty)) != NANSEN_OK)
                return err;
            f->have_kty = 1;
            break;
        case LBL_ALG:
            if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
                return err;
            if (it.type == NANSEN__CBOR_TEXT)
                return NANSEN_ERR_ALG_MISMATCH;
            if ((it.type != NANSEN__CBOR_UINT &&
                 it.type != NANSEN__CBOR_NINT) || it.v.u > 0xffffffffu)
                return NANSEN_ERR_MALFORMED;
            f->alg = it.type == NANSEN__CBOR_UINT ? (int64_t)it.v.u
                                                  : -1 - (int64_t)it.v.u;
            f->have_alg = 1;
            break;
        case LBL_CRV:
            if ((err = read_code(&r, &f->crv)) != NANSEN_OK)
                return err;
            f->have_crv = 1;
            break;
        case LBL_X:
            if (nansen__cbr_bytes(&r, &f->x, &f->x_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            break;
        case LBL_Y:
            if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
                return err;
            if (it.type == NANSEN__CBOR_BYTES) {
                f->y = it.str;
                f->y_len = it.len;
            } else if (it.type == NANSEN__CBOR_SIMPLE &&
                       (it.v.u == 20 || it.v.u == 21)) {
                f->y_is_bool = 1;
                f->y_sign = it.v.u == 21;
            } else {
                return NANSEN_ERR_MALFORMED;
            }
            break;
        case LBL_D:
            /* secrets never travel as COSE_Key */
            return NANSEN_ERR_MALFORMED;
        default:
            if ((err = nansen__cbr_skip(&r, NULL, NULL)) != NANSEN_OK)
                return err;
            break;
        }
    }
    return nansen__cbr_done(&r) ? NANSEN_OK : NANSEN_ERR_TRAILING_DATA;
}

static nansen_err decode(nansen_ctx *ctx, nansen_key **out,
                         const uint8_t *in, size_t in_len, int full_check);

nansen_err nansen_cose_key_decode(nansen_ctx *ctx, nansen_key **out,
                                  const uint8_t *in, size_t in_len)
{
    return decode(ctx, out, in, in_len, 1);
}

nansen_err nansen__cose_key_decode_to_verify(nansen_ctx *ctx,
                                             nansen_key **out,
                                             const uint8_t *in, size_t in_len)
{
    return decode(ctx, out, in, in_len, 0);
}

static nansen_err decode(nansen_ctx *ctx, nansen_key **out,
                         const uint8_t *in, size_t in_len, int full_check)
{
    uint8_t pub[NANSEN_SECP256K1_UNCOMPRESSED_BYTES];
    cose_key_fields f;
    nansen_key_type type;
    size_t pub_len;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    /* Any valid encoding: a COSE_Key from elsewhere need not be
     * deterministic. Duplicates and indefinite lengths stay refused. */
    if ((err = nansen_cbor_check(in, in_len, NANSEN_CBOR_ALLOW_UNSORTED |
                                 NANSEN_CBOR_ALLOW_LONG_FORM)) != NANSEN_OK)
        return err;
    memset(&f, 0, sizeof f);
    if ((err = read_fields(&f, in, in_len)) != NANSEN_OK)
        return err;
    if (!f.have_kty)
        return NANSEN_ERR_MALFORMED;
    if (f.kty != KTY_OKP && f.kty != KTY_EC2)
        return NANSEN_ERR_UNSUPPORTED_ALG;     /* RSA, symmetric, ... */
    if (!f.have_crv || f.x == NULL)
        return NANSEN_ERR_MALFORMED;

    if (f.kty == KTY_OKP && f.crv == CRV_ED25519) {
        if (f.x_len != NANSEN_ED25519_PUBLIC_BYTES || f.y != NULL ||
            f.y_is_bool)
            return NANSEN_ERR_BAD_KEY;
        type = NANSEN_KEY_ED25519;
        memcpy(pub, f.x, f.x_len);
        pub_len = f.x_len;
    } else if (f.kty == KTY_EC2 && f.crv == CRV_SECP256K1) {
        if (f.x_len != 32)
            return NANSEN_ERR_BAD_KEY;
        type = NANSEN_KEY_SECP256K1;
        if (f.y_is_bool) {
            pub[0] = f.y_sign ? 0x03 : 0x02;
            memcpy(pub + 1, f.x, 32);
            pub_len = 33;
        } else if (f.y != NULL && f.y_len == 32) {
            pub[0] = 0x04;
            memcpy(pub + 1, f.x, 32);
            memcpy(pub + 33, f.y, 32);
            pub_len = 65;
        } else if (f.y == NULL) {
            return NANSEN_ERR_MALFORMED;
        } else {
            return NANSEN_ERR_BAD_KEY;
        }
    } else {
        /* Other curves (P-256, Ed448, X25519, ...) are real, just not in
         * this profile. */
        return NANSEN_ERR_UNSUPPORTED_ALG;
    }
    if (f.have_alg &&
        f.alg != (type == NANSEN_KEY_ED25519 ? NANSEN_COSE_ALG_EDDSA
                                             : NANSEN_COSE_ALG_ES256K))
        return NANSEN_ERR_ALG_MISMATCH;
    return full_check
               ? nansen_key_from_public(ctx, out, type, pub, pub_len)
               : nansen__key_from_public_to_verify(ctx, out, type, pub,
                                                   pub_len);
}

nansen_err nansen__cnf_read(nansen_ctx *ctx, nansen__cbr *r, nansen_key **key,
                            const uint8_t **cose_key, size_t *cose_key_len)
{
    uint8_t canon[NANSEN_COSE_KEY_MAX_BYTES];
    const uint8_t *p;
    size_t n, p_len, canon_len = sizeof canon;
    int64_t label;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK || n != 1 ||
        nansen__cbr_int(r, &label) != NANSEN_OK || label != 1 ||
        nansen__cbr_skip(r, &p, &p_len) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    err = nansen_cose_key_decode(ctx, key, p, p_len);
    if (err == NANSEN_ERR_NOMEM || err == NANSEN_ERR_UNSUPPORTED_ALG ||
        err == NANSEN_ERR_BAD_KEY)
        return err;
    if (err != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (nansen_cose_key_encode(ctx, canon, &canon_len, *key, 0) !=
            NANSEN_OK ||
        canon_len != p_len || memcmp(canon, p, p_len) != 0)
        return NANSEN_ERR_MALFORMED;
    if (cose_key != NULL)
        *cose_key = p;
    if (cose_key_len != NULL)
        *cose_key_len = p_len;
    return NANSEN_OK;
}
