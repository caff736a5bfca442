/* rotation.c - the key-rotation statement: the old holder key names the
 * new one (spec/recovery.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"
#include "nansen/recovery.h"

#define PROFILE_ROTATION 1
#define RT_PROFILE 0              /* Nansen map key */
#define TYP_LEN (sizeof NANSEN_ROTATION_TYP - 1)
/* The payload: map, iat, cnf, Nansen map; 64 bytes at most. */
#define PAYLOAD_MAX 96

size_t nansen_rotation_max_bytes(void)
{
    return NANSEN_ROTATION_MAX_BYTES;
}

struct nansen_rotation {
    uint8_t *bytes;               /* own copy; msg points into it */
    size_t len;
    nansen_cose_sign1 msg;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    int64_t iat;
    nansen_key *new_key;
};

void nansen_rotation_free(nansen_rotation *r)
{
    if (r == NULL)
        return;
    nansen_key_free(r->new_key);
    free(r->bytes);
    free(r);
}


static nansen_err read_nansen(nansen__cbr *r)
{
    size_t n;
    int64_t key, x;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (n == 0)
        return NANSEN_ERR_MALFORMED;
    if (n != 1 || nansen__cbr_int(r, &key) != NANSEN_OK)
        return n != 1 ? NANSEN_ERR_UNSUPPORTED_VERSION : NANSEN_ERR_MALFORMED;
    if (key != RT_PROFILE)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    if (nansen__cbr_int(r, &x) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    return x == PROFILE_ROTATION ? NANSEN_OK : NANSEN_ERR_UNSUPPORTED_VERSION;
}

static nansen_err read_payload(nansen_ctx *ctx, nansen_rotation *rt)
{
    nansen__cbr r;
    size_t n, i;
    int have_iat = 0, have_cnf = 0, have_nansen = 0;
    int64_t key;
    nansen_err err;

    if ((err = nansen_cbor_check(rt->msg.payload, rt->msg.payload_len, 0)) !=
        NANSEN_OK)
        return err;
    nansen__cbr_init(&r, rt->msg.payload, rt->msg.payload_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (key) {
        case NANSEN_CWT_IAT:
            err = nansen__cbr_int(&r, &rt->iat) != NANSEN_OK || rt->iat <= 0
                      ? NANSEN_ERR_MALFORMED
                      : NANSEN_OK;
            have_iat = 1;
            break;
        case NANSEN_CWT_CNF:
            err = nansen__cnf_read(ctx, &r, &rt->new_key, NULL, NULL);
            have_cnf = 1;
            break;
        case NANSEN_CWT_CLAIM_NANSEN:
            err = read_nansen(&r);
            have_nansen = 1;
            break;
        default:
            /* a claim this version does not know may change the meaning */
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
        if (err != NANSEN_OK)
            return err;
    }
    if (!have_iat || !have_cnf || !have_nansen)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* Structure only: nothing verified. */
static nansen_err rt_parse(nansen_ctx *ctx, nansen_rotation *rt)
{
    static const int64_t prot[] = {NANSEN_COSE_HDR_ALG, NANSEN_COSE_HDR_KID,
                                   NANSEN_COSE_HDR_TYP};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    uint8_t new_id[NANSEN_KEY_ID_BYTES];
    nansen_err err;

    if ((err = nansen_cose_sign1_parse(&rt->msg, rt->bytes, rt->len,
                                       &opts)) != NANSEN_OK)
        return err;
    if (!rt->msg.typ.present || rt->msg.typ.text == NULL ||
        rt->msg.typ.text_len != TYP_LEN ||
        memcmp(rt->msg.typ.text, NANSEN_ROTATION_TYP, TYP_LEN) != 0)
        return NANSEN_ERR_WRONG_TYPE;
    /* Nothing unprotected: a relay cannot change a statement's bytes
     * without its signer. */
    if ((err = nansen__check_labels(rt->msg.protected_map,
                                    rt->msg.protected_map_len, prot, 3)) !=
            NANSEN_OK ||
        (err = nansen__check_labels(rt->msg.unprotected_map,
                                    rt->msg.unprotected_map_len, NULL, 0)) !=
            NANSEN_OK)
        return err;
    if (rt->msg.kid == NULL || !rt->msg.kid_protected ||
        rt->msg.kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_MALFORMED;
    memcpy(rt->kid, rt->msg.kid, NANSEN_KEY_ID_BYTES);
    if ((err = read_payload(ctx, rt)) != NANSEN_OK)
        return err;
    /* A key rotated to itself says nothing. */
    if (nansen_key_id(rt->new_key, new_id) != NANSEN_OK ||
        memcmp(new_id, rt->kid, sizeof new_id) == 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

nansen_err nansen_rotation_decode(nansen_ctx *ctx, nansen_rotation **out,
                                  const uint8_t *in, size_t in_len)
{
    nansen_rotation *rt;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if (in_len > NANSEN_ROTATION_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((rt = calloc(1, sizeof *rt)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((rt->bytes = malloc(in_len ? in_len : 1)) == NULL) {
        free(rt);
        return NANSEN_ERR_NOMEM;
    }
    memcpy(rt->bytes, in, in_len);
    rt->len = in_len;
    if ((err = rt_parse(ctx, rt)) != NANSEN_OK) {
        nansen_rotation_free(rt);
        return err;
    }
    *out = rt;
    return NANSEN_OK;
}

nansen_err nansen_rotation_verify(nansen_ctx *ctx, nansen_rotation **out,
                                  const uint8_t *in, size_t in_len,
                                  const nansen_key *old_key)
{
    nansen_rotation *rt = NULL;
    nansen_err err;

    if (out != NULL)
        *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL && old_key != NULL);
    if ((err = nansen_rotation_decode(ctx, &rt, in, in_len)) != NANSEN_OK)
        return err;
    /* alg, kid (KEY_MISMATCH for another key's id) and the signature */
    if ((err = nansen__cose_sign1_verify_parsed(ctx, &rt->msg, old_key, NULL,
                                                0)) != NANSEN_OK)
        goto fail;
    if (nansen_key_equal(rt->new_key, old_key)) {
        err = NANSEN_ERR_MALFORMED;
        goto fail;
    }
    if (out != NULL)
        *out = rt;
    else
        nansen_rotation_free(rt);
    return NANSEN_OK;
fail:
    nansen_rotation_free(rt);
    return err;
}

const nansen_key *nansen_rotation_new_key(const nansen_rotation *r)
{
    return r != NULL ? r->new_key : NULL;
}

int64_t nansen_rotation_iat(const nansen_rotation *r)
{
    return r != NULL ? r->iat : 0;
}

const uint8_t *nansen_rotation_old_key_id(const nansen_rotation *r)
{
    return r != NULL ? r->kid : NULL;
}

static void write_payload(nansen__cbw *w, int64_t iat, const uint8_t *cnf,
                          size_t cnf_len)
{
    nansen__cbw_map(w, 3);
    nansen__cbw_uint(w, NANSEN_CWT_IAT);
    nansen__cbw_int(w, iat);
    nansen__cbw_uint(w, NANSEN_CWT_CNF);
    nansen__cbw_map(w, 1);
    nansen__cbw_uint(w, 1);
    nansen__cbw_raw(w, cnf, cnf_len);
    nansen__cbw_map_end(w);
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    nansen__cbw_map(w, 1);
    nansen__cbw_uint(w, RT_PROFILE);
    nansen__cbw_uint(w, PROFILE_ROTATION);
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static nansen_err sign(nansen_ctx *ctx, uint8_t *out, size_t *out_len,
                       const nansen_key *old_key, const nansen_key *new_key,
                       int64_t iat)
{
    uint8_t cnf[NANSEN_COSE_KEY_MAX_BYTES], payload[PAYLOAD_MAX];
    uint8_t kid[NANSEN_KEY_ID_BYTES], new_id[NANSEN_KEY_ID_BYTES];
    size_t cnf_len = sizeof cnf, payload_len = 0;
    nansen_cose_sign1_params cp;
    nansen__cbw w;
    nansen_err err;

    if (!nansen_key_has_secret(old_key))
        return NANSEN_ERR_NO_SECRET_KEY;
    /* The same key, or one a reader could not tell from it by its id. */
    if ((err = nansen_key_id(old_key, kid)) != NANSEN_OK ||
        (err = nansen_key_id(new_key, new_id)) != NANSEN_OK)
        return err;
    if (nansen_key_equal(old_key, new_key) ||
        memcmp(kid, new_id, sizeof kid) == 0)
        return NANSEN_ERR_INVALID_ARG;
    if ((err = nansen_cose_key_encode(ctx, cnf, &cnf_len, new_key, 0)) !=
        NANSEN_OK)
        return err;
    nansen__cbw_init(&w, payload, sizeof payload);
    write_payload(&w, iat, cnf, cnf_len);
    if ((err = nansen__cbw_finish(&w, &payload_len)) != NANSEN_OK)
        return err;
    memset(&cp, 0, sizeof cp);
    cp.kid = kid;
    cp.kid_len = sizeof kid;
    cp.typ.present = 1;
    cp.typ.text = NANSEN_ROTATION_TYP;
    cp.typ.text_len = TYP_LEN;
    return nansen_cose_sign1_sign(ctx, out, out_len, old_key, &cp, payload,
                                  payload_len, NULL, 0);
}

nansen_err nansen_rotation_sign(nansen_ctx *ctx, uint8_t *out,
                                size_t *out_len, const nansen_key *old_key,
                                const nansen_key *new_key, int64_t iat)
{
    size_t cap;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || old_key == NULL || new_key == NULL || iat <= 0) {
        err = NANSEN_ERR_INVALID_ARG;
    } else {
        err = sign(ctx, out, out_len, old_key, new_key, iat);
        if (err == NANSEN_OK && *out_len > NANSEN_ROTATION_MAX_BYTES)
            err = NANSEN_ERR_INVALID_ARG;   /* never: the format is bounded */
    }
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}
