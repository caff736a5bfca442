/* credential.c - referral credentials as SD-CWT: issue, parse, disclose.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * spec/credential.md is the format. Everything read here is first checked
 * as deterministic CBOR, so every token has one encoding and one digest.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/key.h"
#include "internal/token.h"

#define SIMPLE_REDACTED 59
#define PROFILE_REFERRAL 1
#define COSE_ALG_SHA256 (-16)
#define HDR_SD_AEAD_CLAIMS 171
#define HDR_SD_AEAD 172
#define MAX_DISCLOSURE_BYTES (NANSEN_CLAIM_TEXT_MAX_BYTES + 64)

struct nansen_credential {
    nansen__cred c;
};

/* ---- reading ---- */

/* A map key that is an integer, or simple(59) (*redacted = 1). */
static nansen_err read_key(nansen__cbr *r, int64_t *key, int *redacted)
{
    nansen__cbor_item it;
    nansen_err err;

    *redacted = 0;
    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    if (it.type == NANSEN__CBOR_SIMPLE && it.v.u == SIMPLE_REDACTED) {
        *redacted = 1;
        return NANSEN_OK;
    }
    if (it.type == NANSEN__CBOR_UINT && it.v.u <= INT64_MAX) {
        *key = (int64_t)it.v.u;
        return NANSEN_OK;
    }
    if (it.type == NANSEN__CBOR_NINT && it.v.u <= INT64_MAX) {
        *key = -1 - (int64_t)it.v.u;
        return NANSEN_OK;
    }
    return NANSEN_ERR_MALFORMED;
}

/* A claim value of the claim's type, checked. Text is copied. */
static nansen_err read_value(nansen__cbr *r, nansen_claim claim,
                             nansen__claim *out)
{
    nansen__cbor_item it;
    nansen_claim_value v;
    nansen_err err;

    memset(&v, 0, sizeof v);
    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    switch (nansen_claim_type(claim)) {
    case NANSEN_VALUE_UINT:
        if (it.type != NANSEN__CBOR_UINT)
            return NANSEN_ERR_MALFORMED;
        v.type = NANSEN_VALUE_UINT;
        v.uint = it.v.u;
        break;
    case NANSEN_VALUE_BOOL:
        if (it.type != NANSEN__CBOR_SIMPLE || (it.v.u != 20 && it.v.u != 21))
            return NANSEN_ERR_MALFORMED;
        v.type = NANSEN_VALUE_BOOL;
        v.uint = it.v.u == 21;
        break;
    case NANSEN_VALUE_TEXT:
        if (it.type != NANSEN__CBOR_TEXT)
            return NANSEN_ERR_MALFORMED;
        v.type = NANSEN_VALUE_TEXT;
        v.text = (const char *)it.str;
        v.text_len = it.len;
        break;
    default:
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    }
    if ((err = nansen__claim_value_check(claim, &v)) != NANSEN_OK)
        return err;
    if (v.type == NANSEN_VALUE_TEXT) {
        if ((out->text = malloc(v.text_len + 1)) == NULL)
            return NANSEN_ERR_NOMEM;
        memcpy(out->text, v.text, v.text_len);
        out->text[v.text_len] = '\0';
        v.text = out->text;
    }
    out->v = v;
    out->present = 1;
    return NANSEN_OK;
}

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || *t <= 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* simple(59): a non-empty array of 32-byte digests in ascending order. */
static nansen_err read_digests(nansen__cbr *r, nansen__cred *c)
{
    size_t n, i, len;
    const uint8_t *d;

    if (nansen__cbr_array(r, &n) != NANSEN_OK || n == 0)
        return NANSEN_ERR_MALFORMED;
    if (n > NANSEN__MAX_DIGESTS)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_bytes(r, &d, &len) != NANSEN_OK ||
            len != NANSEN_DIGEST_BYTES)
            return NANSEN_ERR_MALFORMED;
        /* sorted, hence also without repeats: the order says nothing */
        if (i > 0 && memcmp(c->digest[i - 1], d, NANSEN_DIGEST_BYTES) >= 0)
            return NANSEN_ERR_MALFORMED;
        c->digest[i] = d;
    }
    c->ndigests = n;
    return NANSEN_OK;
}

static nansen_err read_nansen_map(nansen__cbr *r, nansen__cred *c)
{
    size_t n, i;
    int have_profile = 0, have_digests = 0;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int64_t key = 0;
        int redacted;

        if ((err = read_key(r, &key, &redacted)) != NANSEN_OK)
            return err;
        if (redacted) {
            if ((err = read_digests(r, c)) != NANSEN_OK)
                return err;
            have_digests = 1;
        } else if (key == 0) {
            int64_t profile;

            if (nansen__cbr_int(r, &profile) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            if (profile != PROFILE_REFERRAL)
                return NANSEN_ERR_UNSUPPORTED_VERSION;
            have_profile = 1;
        } else if (key >= NANSEN_CLAIM_FIRST && key <= NANSEN_CLAIM_LAST) {
            if ((err = read_value(r, (nansen_claim)key,
                                  &c->claims[key])) != NANSEN_OK)
                return err;
        } else {
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
    }
    (void)have_digests;
    return have_profile ? NANSEN_OK : NANSEN_ERR_MALFORMED;
}

static nansen_err read_cnf(nansen_ctx *ctx, nansen__cbr *r, nansen__cred *c)
{
    const uint8_t *key;
    size_t n, key_len;
    int64_t label;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK || n != 1 ||
        nansen__cbr_int(r, &label) != NANSEN_OK || label != 1)
        return NANSEN_ERR_MALFORMED;
    if ((err = nansen__cbr_skip(r, &key, &key_len)) != NANSEN_OK)
        return err;
    err = c->cnf_to_verify
              ? nansen__cose_key_decode_to_verify(ctx, &c->holder, key,
                                                  key_len)
              : nansen_cose_key_decode(ctx, &c->holder, key, key_len);
    if (err == NANSEN_ERR_NOMEM || err == NANSEN_ERR_UNSUPPORTED_ALG)
        return err == NANSEN_ERR_NOMEM ? err : NANSEN_ERR_UNSUPPORTED_VERSION;
    return err == NANSEN_OK ? NANSEN_OK : NANSEN_ERR_MALFORMED;
}

static nansen_err read_payload(nansen_ctx *ctx, nansen__cred *c)
{
    nansen__cbr r;
    size_t n, i, len;
    const uint8_t *p;
    int have[9] = {0}, have_nansen = 0;
    nansen_err err;

    if ((err = nansen_cbor_check(c->msg.payload, c->msg.payload_len, 0)) !=
        NANSEN_OK)
        return err;
    nansen__cbr_init(&r, c->msg.payload, c->msg.payload_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int64_t key = 0;
        int redacted;

        if ((err = read_key(&r, &key, &redacted)) != NANSEN_OK)
            return err;
        if (redacted)     /* redacted standard claims: not in profile 1 */
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        if (key == NANSEN_CWT_CLAIM_NANSEN) {
            if ((err = read_nansen_map(&r, c)) != NANSEN_OK)
                return err;
            have_nansen = 1;
            continue;
        }
        if (key == NANSEN_CWT_STATUS) {
            const uint8_t *v;
            size_t vlen;
            nansen_status_ref ref;

            if ((err = nansen__cbr_skip(&r, &v, &vlen)) != NANSEN_OK)
                return err;
            if (nansen_status_claim_decode(&ref, v, vlen) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            if ((c->status_uri = malloc(ref.uri_len + 1)) == NULL)
                return NANSEN_ERR_NOMEM;
            memcpy(c->status_uri, ref.uri, ref.uri_len);
            c->status_uri[ref.uri_len] = '\0';
            c->status_idx = ref.idx;
            continue;
        }
        if (key < 1 || key > 8 || key == NANSEN_CWT_AUD)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        have[key] = 1;
        switch (key) {
        case NANSEN_CWT_ISS:
            if (nansen__cbr_text(&r, (const char **)&p, &len) != NANSEN_OK ||
                !nansen__claim_text_ok(p, len))
                return NANSEN_ERR_MALFORMED;
            if ((c->iss = malloc(len + 1)) == NULL)
                return NANSEN_ERR_NOMEM;
            memcpy(c->iss, p, len);
            c->iss[len] = '\0';
            break;
        case NANSEN_CWT_SUB:
            if (nansen__cbr_text(&r, (const char **)&p, &len) != NANSEN_OK ||
                len != NANSEN_SHORT_ID_BYTES - 1)
                return NANSEN_ERR_MALFORMED;
            memcpy(c->sub, p, len);
            c->sub[len] = '\0';
            break;
        case NANSEN_CWT_EXP:
            if ((err = read_time(&r, &c->exp)) != NANSEN_OK)
                return err;
            break;
        case NANSEN_CWT_NBF:
            if ((err = read_time(&r, &c->nbf)) != NANSEN_OK)
                return err;
            c->has_nbf = 1;
            break;
        case NANSEN_CWT_IAT:
            if ((err = read_time(&r, &c->iat)) != NANSEN_OK)
                return err;
            break;
        case NANSEN_CWT_CTI:
            if (nansen__cbr_bytes(&r, &p, &len) != NANSEN_OK ||
                len != NANSEN_CTI_BYTES)
                return NANSEN_ERR_MALFORMED;
            memcpy(c->cti, p, len);
            break;
        case NANSEN_CWT_CNF:
            if ((err = read_cnf(ctx, &r, c)) != NANSEN_OK)
                return err;
            break;
        }
    }
    if (!have_nansen || !have[NANSEN_CWT_SUB] || !have[NANSEN_CWT_EXP] ||
        !have[NANSEN_CWT_IAT] || !have[NANSEN_CWT_CTI] ||
        !have[NANSEN_CWT_CNF])
        return NANSEN_ERR_MALFORMED;
    if (!c->has_nbf)
        c->nbf = c->iat;
    /* the issuer-name is what the notice shows: never hidden */
    return NANSEN_OK;
}

/* Header labels: protected {1, 4, 16, 170}, unprotected {17}. */
nansen_err nansen__check_labels(const uint8_t *map, size_t len,
                                const int64_t *allowed, size_t nallowed)
{
    nansen__cbr r;
    size_t n, i, k;
    int64_t label;

    if (len == 0)
        return NANSEN_OK;
    nansen__cbr_init(&r, map, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int ok = 0;

        if (nansen__cbr_int(&r, &label) != NANSEN_OK)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        for (k = 0; k < nallowed; k++)
            ok |= allowed[k] == label;
        if (!ok)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
    }
    return NANSEN_OK;
}

nansen_err nansen__cred_parse(nansen_ctx *ctx, nansen__cred *c,
                              const uint8_t *in, size_t in_len,
                              int cnf_to_verify)
{
    static const int64_t prot_labels[] = {
        NANSEN_COSE_HDR_ALG, NANSEN_COSE_HDR_KID, NANSEN_COSE_HDR_TYP,
        NANSEN_COSE_HDR_SD_ALG};
    static const int64_t unprot_labels[] = {NANSEN_COSE_HDR_SD_CLAIMS};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    const uint8_t *v;
    size_t vlen;
    int prot;
    nansen_err err;

    memset(c, 0, sizeof *c);
    c->cnf_to_verify = cnf_to_verify;
    if (in_len > NANSEN_CREDENTIAL_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((c->bytes = malloc(in_len ? in_len : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    memcpy(c->bytes, in, in_len);
    c->len = in_len;
    if ((err = nansen_cose_sign1_parse(&c->msg, c->bytes, c->len, &opts)) !=
        NANSEN_OK)
        return err;
    if (!c->msg.typ.present || c->msg.typ.text != NULL ||
        c->msg.typ.uint != NANSEN_TYP_SD_CWT)
        return NANSEN_ERR_WRONG_TYPE;
    if ((err = nansen__check_labels(c->msg.protected_map, c->msg.protected_map_len,
                            prot_labels, 4)) != NANSEN_OK ||
        (err = nansen__check_labels(c->msg.unprotected_map,
                            c->msg.unprotected_map_len, unprot_labels, 1)) !=
            NANSEN_OK)
        return err;
    if (c->msg.kid == NULL || !c->msg.kid_protected ||
        c->msg.kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_BAD_HEADER;
    memcpy(c->kid, c->msg.kid, NANSEN_KEY_ID_BYTES);
    if (nansen_cose_sign1_header(&c->msg, NANSEN_COSE_HDR_SD_ALG, &v, &vlen,
                                 &prot) == NANSEN_OK) {
        nansen__cbr r;
        int64_t alg;

        nansen__cbr_init(&r, v, vlen);
        if (nansen__cbr_int(&r, &alg) != NANSEN_OK)
            return NANSEN_ERR_BAD_HEADER;
        if (alg != COSE_ALG_SHA256)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
    }
    if (nansen_cose_sign1_header(&c->msg, NANSEN_COSE_HDR_SD_CLAIMS, &v,
                                 &vlen, &prot) == NANSEN_OK) {
        c->disc_array = v;
        c->disc_array_len = vlen;
    }
    if ((err = read_payload(ctx, c)) != NANSEN_OK)
        return err;
    if (c->claims[NANSEN_CLAIM_ISSUER_NAME].present) {
        const nansen__claim *n = &c->claims[NANSEN_CLAIM_ISSUER_NAME];

        if (n->v.text_len > NANSEN_NAME_MAX_BYTES)
            return NANSEN_ERR_MALFORMED;
        memcpy(c->issuer_label, n->text, n->v.text_len + 1);
    } else {
        nansen__short_id_of_kid(c->issuer_label, c->kid);
    }
    return NANSEN_OK;
}

nansen_err nansen__cred_disclose(nansen__cred *c)
{
    nansen__cbr r;
    size_t n, i;
    nansen_err err;

    if (c->disc_array == NULL)
        return NANSEN_OK;
    nansen__cbr_init(&r, c->disc_array, c->disc_array_len);
    /* an empty sd_claims must be omitted, not sent (SD-CWT section 9) */
    if (nansen__cbr_array(&r, &n) != NANSEN_OK || n == 0)
        return NANSEN_ERR_MALFORMED;
    if (n > NANSEN__MAX_DISCLOSURES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    for (i = 0; i < n; i++) {
        uint8_t h[NANSEN_DIGEST_BYTES];
        const uint8_t *d, *salt;
        size_t dlen, m, salt_len, k;
        nansen__cbr dr;
        int64_t key;
        int found = -1;

        if (nansen__cbr_bytes(&r, &d, &dlen) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (dlen > MAX_DISCLOSURE_BYTES ||
            nansen_cbor_check(d, dlen, 0) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        nansen__cbr_init(&dr, d, dlen);
        if (nansen__cbr_array(&dr, &m) != NANSEN_OK || (m != 1 && m != 3) ||
            nansen__cbr_bytes(&dr, &salt, &salt_len) != NANSEN_OK ||
            salt_len != NANSEN_SALT_BYTES)
            return NANSEN_ERR_MALFORMED;
        crypto_hash_sha256(h, d, dlen);
        for (k = 0; k < c->ndigests; k++)
            if (memcmp(c->digest[k], h, sizeof h) == 0)
                found = (int)k;
        if (found < 0)
            return NANSEN_ERR_DIGEST_MISMATCH;
        if (c->digest_used[found])
            return NANSEN_ERR_MALFORMED;       /* the same disclosure twice */
        c->digest_used[found] = 1;
        if (m == 1)                            /* a decoy: nothing to show */
            continue;
        /* [salt, value, key]: the key comes last, so read the value after */
        {
            const uint8_t *vstart;
            size_t vlen;
            nansen__cbr vr;

            if (nansen__cbr_skip(&dr, &vstart, &vlen) != NANSEN_OK ||
                nansen__cbr_int(&dr, &key) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            if (key < NANSEN_CLAIM_FIRST || key > NANSEN_CLAIM_LAST)
                return key == 0 ? NANSEN_ERR_MALFORMED
                                : NANSEN_ERR_UNSUPPORTED_VERSION;
            if (key == NANSEN_CLAIM_ISSUER_NAME ||
                c->claims[key].present)
                return NANSEN_ERR_MALFORMED;
            nansen__cbr_init(&vr, vstart, vlen);
            if ((err = read_value(&vr, (nansen_claim)key,
                                  &c->claims[key])) != NANSEN_OK)
                return err;
            c->claims[key].disclosable = 1;
            c->claims[key].disc = d;
            c->claims[key].disc_len = dlen;
        }
    }
    return NANSEN_OK;
}

void nansen__cred_clear(nansen__cred *c)
{
    size_t i;

    if (c == NULL)
        return;
    for (i = 0; i < NANSEN__NCLAIMS; i++)
        free(c->claims[i].text);
    free(c->iss);
    free(c->status_uri);
    free(c->bytes);
    nansen_key_free(c->holder);
    memset(c, 0, sizeof *c);
}

static void write_presented(nansen__cbw *w, const nansen__cred *c,
                            uint32_t disclose)
{
    size_t i, n = 0;

    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
        if ((disclose & NANSEN_CLAIM_BIT(i)) && c->claims[i].disc != NULL)
            n++;
    nansen__cbw_tag(w, NANSEN_COSE_TAG_SIGN1);
    nansen__cbw_array(w, 4);
    nansen__cbw_bytes(w, c->msg.protected_map, c->msg.protected_map_len);
    if (n == 0) {
        nansen__cbw_map(w, 0);
    } else {
        nansen__cbw_map(w, 1);
        nansen__cbw_uint(w, NANSEN_COSE_HDR_SD_CLAIMS);
        nansen__cbw_array(w, n);
        for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
            if ((disclose & NANSEN_CLAIM_BIT(i)) && c->claims[i].disc != NULL)
                nansen__cbw_bytes(w, c->claims[i].disc, c->claims[i].disc_len);
    }
    nansen__cbw_map_end(w);
    nansen__cbw_bytes(w, c->msg.payload, c->msg.payload_len);
    nansen__cbw_bytes(w, c->msg.signature, c->msg.signature_len);
}

nansen_err nansen__cred_present(const nansen__cred *c, uint32_t disclose,
                                uint8_t **out, size_t *out_len)
{
    nansen__cbw w;
    size_t need = 0;
    nansen_err err;

    *out = NULL;
    *out_len = 0;
    nansen__cbw_init(&w, NULL, 0);
    write_presented(&w, c, disclose);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if ((*out = malloc(need)) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbw_init(&w, *out, need);
    write_presented(&w, c, disclose);
    if ((err = nansen__cbw_finish(&w, out_len)) != NANSEN_OK) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return err;
}

/* ---- issuing ---- */

typedef struct issue_state {
    nansen_claim_value values[NANSEN__NCLAIMS];
    int present[NANSEN__NCLAIMS];
    int hidden[NANSEN__NCLAIMS];
    uint8_t salt[NANSEN__NCLAIMS + NANSEN_MAX_DECOYS][NANSEN_SALT_BYTES];
    uint8_t *disc[NANSEN__NCLAIMS + NANSEN_MAX_DECOYS];
    size_t disc_len[NANSEN__NCLAIMS + NANSEN_MAX_DECOYS];
    uint8_t digest[NANSEN__NCLAIMS + NANSEN_MAX_DECOYS][NANSEN_DIGEST_BYTES];
    size_t ndisc;
    size_t nclaims_hidden;
    uint8_t cnf[NANSEN_COSE_KEY_MAX_BYTES];
    size_t cnf_len;
    char sub[NANSEN_SHORT_ID_BYTES];
    char iss[128];
    uint8_t cti[NANSEN_CTI_BYTES];
    uint8_t status[512];             /* encoded claim 65535, or none */
    size_t status_len;
} issue_state;

static void set_text(issue_state *s, nansen_claim c, const char *t)
{
    if (t == NULL)
        return;
    s->present[c] = 1;
    s->values[c].type = NANSEN_VALUE_TEXT;
    s->values[c].text = t;
    s->values[c].text_len = strlen(t);
}

static void write_value(nansen__cbw *w, const nansen_claim_value *v)
{
    switch (v->type) {
    case NANSEN_VALUE_UINT:
        nansen__cbw_uint(w, v->uint);
        break;
    case NANSEN_VALUE_BOOL:
        nansen__cbw_bool(w, v->uint != 0);
        break;
    case NANSEN_VALUE_TEXT:
        nansen__cbw_text(w, v->text, v->text_len);
        break;
    }
}

static void derive_salt(uint8_t out[NANSEN_SALT_BYTES], const uint8_t *seed,
                        uint32_t i)
{
    uint8_t msg[15];

    memcpy(msg, "nansen salt", 11);
    msg[11] = (uint8_t)(i >> 24);
    msg[12] = (uint8_t)(i >> 16);
    msg[13] = (uint8_t)(i >> 8);
    msg[14] = (uint8_t)i;
    crypto_generichash(out, NANSEN_SALT_BYTES, msg, sizeof msg, seed, 32);
}

static nansen_err encode_disclosure(issue_state *s, size_t i,
                                    nansen_claim claim)
{
    nansen__cbw w;
    size_t need = 0, len = 0;
    int k;

    for (k = 0; k < 2; k++) {
        nansen__cbw_init(&w, k ? s->disc[i] : NULL, need);
        nansen__cbw_array(&w, claim ? 3 : 1);
        nansen__cbw_bytes(&w, s->salt[i], NANSEN_SALT_BYTES);
        if (claim) {
            write_value(&w, &s->values[claim]);
            nansen__cbw_uint(&w, (uint64_t)claim);
        }
        if (nansen__cbw_finish(&w, k ? &len : &need) != NANSEN_OK)
            return NANSEN_ERR_INVALID_ARG;
        if (k == 0 && (s->disc[i] = malloc(need)) == NULL)
            return NANSEN_ERR_NOMEM;
    }
    s->disc_len[i] = len;
    crypto_hash_sha256(s->digest[i], s->disc[i], len);
    return NANSEN_OK;
}

static int cmp_digest(const void *a, const void *b)
{
    return memcmp(a, b, NANSEN_DIGEST_BYTES);
}

static void write_payload(nansen__cbw *w, const issue_state *s,
                          const nansen_issue_params *p)
{
    uint8_t sorted[NANSEN__NCLAIMS + NANSEN_MAX_DECOYS][NANSEN_DIGEST_BYTES];
    size_t n = 6 + (p->with_iss != 0) + (p->nbf != 0 && p->nbf != p->iat) +
               (s->status_len != 0);
    size_t nn = 1, i;

    nansen__cbw_map(w, n);
    if (p->with_iss) {
        nansen__cbw_uint(w, NANSEN_CWT_ISS);
        nansen__cbw_text(w, s->iss, strlen(s->iss));
    }
    nansen__cbw_uint(w, NANSEN_CWT_SUB);
    nansen__cbw_text(w, s->sub, strlen(s->sub));
    nansen__cbw_uint(w, NANSEN_CWT_EXP);
    nansen__cbw_int(w, p->exp);
    if (p->nbf != 0 && p->nbf != p->iat) {
        nansen__cbw_uint(w, NANSEN_CWT_NBF);
        nansen__cbw_int(w, p->nbf);
    }
    nansen__cbw_uint(w, NANSEN_CWT_IAT);
    nansen__cbw_int(w, p->iat);
    nansen__cbw_uint(w, NANSEN_CWT_CTI);
    nansen__cbw_bytes(w, s->cti, sizeof s->cti);
    nansen__cbw_uint(w, NANSEN_CWT_CNF);
    nansen__cbw_map(w, 1);
    nansen__cbw_uint(w, 1);
    nansen__cbw_raw(w, s->cnf, s->cnf_len);
    nansen__cbw_map_end(w);

    if (s->status_len != 0) {
        nansen__cbw_uint(w, NANSEN_CWT_STATUS);
        nansen__cbw_raw(w, s->status, s->status_len);
    }
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
        nn += s->present[i] && !s->hidden[i];
    nn += s->ndisc > 0;
    nansen__cbw_map(w, nn);
    nansen__cbw_uint(w, 0);
    nansen__cbw_uint(w, PROFILE_REFERRAL);
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
        if (s->present[i] && !s->hidden[i]) {
            nansen__cbw_uint(w, i);
            write_value(w, &s->values[i]);
        }
    if (s->ndisc > 0) {
        memcpy(sorted, s->digest, s->ndisc * NANSEN_DIGEST_BYTES);
        qsort(sorted, s->ndisc, NANSEN_DIGEST_BYTES, cmp_digest);
        nansen__cbw_simple(w, SIMPLE_REDACTED);
        nansen__cbw_array(w, s->ndisc);
        for (i = 0; i < s->ndisc; i++)
            nansen__cbw_bytes(w, sorted[i], NANSEN_DIGEST_BYTES);
    }
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static void write_disc_array(nansen__cbw *w, const issue_state *s)
{
    size_t i;

    nansen__cbw_array(w, s->ndisc);
    for (i = 0; i < s->ndisc; i++)
        nansen__cbw_bytes(w, s->disc[i], s->disc_len[i]);
}

typedef void (*writer_fn)(nansen__cbw *w, const issue_state *s,
                          const nansen_issue_params *p);

static nansen_err encode(writer_fn fn, const issue_state *s,
                         const nansen_issue_params *p, uint8_t **out,
                         size_t *out_len)
{
    nansen__cbw w;
    size_t need = 0;
    nansen_err err;

    nansen__cbw_init(&w, NULL, 0);
    fn(&w, s, p);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if ((*out = malloc(need)) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbw_init(&w, *out, need);
    fn(&w, s, p);
    return nansen__cbw_finish(&w, out_len);
}

static void disc_array_fn(nansen__cbw *w, const issue_state *s,
                          const nansen_issue_params *p)
{
    (void)p;
    write_disc_array(w, s);
}

static nansen_err check_referral(const nansen_referral *r, issue_state *s)
{
    size_t i;

    if (nansen_vocab_id(NANSEN_VOCAB_SERVICE, r->service) == NULL ||
        nansen_vocab_id(NANSEN_VOCAB_URGENCY, r->urgency) == NULL)
        return NANSEN_ERR_INVALID_ARG;
    if (r->interpreter < -1 || r->interpreter > 1 ||
        r->decoys > NANSEN_MAX_DECOYS)
        return NANSEN_ERR_INVALID_ARG;
    if (r->disclosable & ~(uint32_t)((2u << NANSEN_CLAIM_LAST) - 2u))
        return NANSEN_ERR_INVALID_ARG;
    s->present[NANSEN_CLAIM_SERVICE] = 1;
    s->values[NANSEN_CLAIM_SERVICE].type = NANSEN_VALUE_UINT;
    s->values[NANSEN_CLAIM_SERVICE].uint = r->service;
    s->present[NANSEN_CLAIM_URGENCY] = 1;
    s->values[NANSEN_CLAIM_URGENCY].type = NANSEN_VALUE_UINT;
    s->values[NANSEN_CLAIM_URGENCY].uint = r->urgency;
    set_text(s, NANSEN_CLAIM_TARGET, r->target);
    set_text(s, NANSEN_CLAIM_LANGUAGE, r->language);
    if (r->interpreter >= 0) {
        s->present[NANSEN_CLAIM_INTERPRETER] = 1;
        s->values[NANSEN_CLAIM_INTERPRETER].type = NANSEN_VALUE_BOOL;
        s->values[NANSEN_CLAIM_INTERPRETER].uint = (uint64_t)r->interpreter;
    }
    set_text(s, NANSEN_CLAIM_NOTES, r->notes);
    set_text(s, NANSEN_CLAIM_RISK, r->risk);
    set_text(s, NANSEN_CLAIM_CONTACT, r->contact);
    set_text(s, NANSEN_CLAIM_DEPENDENTS, r->dependents);
    set_text(s, NANSEN_CLAIM_ISSUER_NAME, r->issuer_name);
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++) {
        if (!s->present[i])
            continue;
        if (nansen__claim_value_check((nansen_claim)i, &s->values[i]) !=
            NANSEN_OK)
            return NANSEN_ERR_INVALID_ARG;
        s->hidden[i] = (r->disclosable & NANSEN_CLAIM_BIT(i)) != 0;
    }
    /* The notice shows the issuer's name: it must never be hidden. */
    if (s->hidden[NANSEN_CLAIM_ISSUER_NAME] ||
        (r->issuer_name != NULL &&
         strlen(r->issuer_name) > NANSEN_NAME_MAX_BYTES))
        return NANSEN_ERR_INVALID_ARG;
    return NANSEN_OK;
}

static nansen_err issue(nansen_ctx *ctx, uint8_t *out, size_t *out_len,
                        const nansen_key *issuer, const nansen_key *holder,
                        const nansen_referral *r,
                        const nansen_issue_params *p, issue_state *s,
                        uint8_t **payload, uint8_t **discs)
{
    nansen_cose_sign1_params cp;
    nansen_cose_header unprot;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    size_t payload_len = 0, discs_len = 0, i, len;
    uint32_t seq = 0;
    nansen_err err;

    /* SD-CWT: nbf <= iat < exp */
    if (p->iat <= 0 || p->nbf < 0 || p->nbf > p->iat || p->exp <= p->iat)
        return NANSEN_ERR_INVALID_ARG;
    if ((err = nansen__budget_valid(&p->budget)) != NANSEN_OK)
        return err;
    if (!nansen_key_has_secret(issuer))
        return NANSEN_ERR_NO_SECRET_KEY;
    if ((err = check_referral(r, s)) != NANSEN_OK)
        return err;
    if ((err = nansen_key_short_id(holder, s->sub)) != NANSEN_OK)
        return err;
    if (p->with_iss) {
        len = sizeof s->iss;
        if ((err = nansen_key_did(issuer, s->iss, &len)) != NANSEN_OK)
            return err;
    }
    s->cnf_len = sizeof s->cnf;
    if ((err = nansen_cose_key_encode(ctx, s->cnf, &s->cnf_len, holder, 0)) !=
        NANSEN_OK)
        return err;
    if (p->cti != NULL)
        memcpy(s->cti, p->cti, sizeof s->cti);
    else
        randombytes_buf(s->cti, sizeof s->cti);
    if (r->status_uri != NULL) {
        s->status_len = sizeof s->status;
        if (nansen_status_claim_encode(s->status, &s->status_len,
                                       r->status_uri, r->status_idx) !=
            NANSEN_OK)
            return NANSEN_ERR_INVALID_ARG;
    }

    /* disclosures in claim key order, then the decoys */
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++) {
        if (!s->present[i] || !s->hidden[i])
            continue;
        if (p->salt_seed != NULL)
            derive_salt(s->salt[s->ndisc], p->salt_seed, seq++);
        else
            randombytes_buf(s->salt[s->ndisc], NANSEN_SALT_BYTES);
        if ((err = encode_disclosure(s, s->ndisc, (nansen_claim)i)) !=
            NANSEN_OK)
            return err;
        s->ndisc++;
    }
    s->nclaims_hidden = s->ndisc;
    for (i = 0; i < r->decoys; i++) {
        if (p->salt_seed != NULL)
            derive_salt(s->salt[s->ndisc], p->salt_seed, seq++);
        else
            randombytes_buf(s->salt[s->ndisc], NANSEN_SALT_BYTES);
        if ((err = encode_disclosure(s, s->ndisc, (nansen_claim)0)) !=
            NANSEN_OK)
            return err;
        s->ndisc++;
    }

    if ((err = encode(write_payload, s, p, payload, &payload_len)) !=
        NANSEN_OK)
        return err;
    memset(&cp, 0, sizeof cp);
    if ((err = nansen_key_id(issuer, kid)) != NANSEN_OK)
        return err;
    cp.kid = kid;
    cp.kid_len = sizeof kid;
    cp.typ.present = 1;
    cp.typ.uint = NANSEN_TYP_SD_CWT;
    if (s->ndisc > 0) {
        if ((err = encode(disc_array_fn, s, p, discs, &discs_len)) !=
            NANSEN_OK)
            return err;
        unprot.label = NANSEN_COSE_HDR_SD_CLAIMS;
        unprot.value = *discs;
        unprot.value_len = discs_len;
        cp.unprotected_extra = &unprot;
        cp.unprotected_extra_count = 1;
    }
    if (payload_len > NANSEN_CREDENTIAL_MAX_BYTES)
        return NANSEN_ERR_INVALID_ARG;
    return nansen_cose_sign1_sign(ctx, out, out_len, issuer, &cp, *payload,
                                  payload_len, NULL, 0);
}

nansen_err nansen_referral_issue(nansen_ctx *ctx, uint8_t *out,
                                 size_t *out_len, const nansen_key *issuer_key,
                                 const nansen_key *holder_key,
                                 const nansen_referral *referral,
                                 const nansen_issue_params *params)
{
    issue_state *s;
    uint8_t *payload = NULL, *discs = NULL;
    size_t cap, i;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || issuer_key == NULL || holder_key == NULL ||
        referral == NULL || params == NULL) {
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    if ((s = sodium_malloc(sizeof *s)) == NULL)
        return NANSEN_ERR_NOMEM;
    memset(s, 0, sizeof *s);
    err = issue(ctx, out, out_len, issuer_key, holder_key, referral, params,
                s, &payload, &discs);
    if (err == NANSEN_OK && *out_len > NANSEN_CREDENTIAL_MAX_BYTES)
        err = NANSEN_ERR_INVALID_ARG;
    if (err == NANSEN_OK && out != NULL)
        err = nansen__budget_check(&params->budget, out, *out_len);
    for (i = 0; i < s->ndisc; i++)
        free(s->disc[i]);
    free(payload);
    free(discs);
    sodium_free(s);                 /* salts are secrets until shown */
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}

/* ---- public holder view ---- */

nansen_err nansen_credential_decode(nansen_ctx *ctx, nansen_credential **out,
                                    const uint8_t *in, size_t in_len)
{
    nansen_credential *cred;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if ((cred = calloc(1, sizeof *cred)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen__cred_parse(ctx, &cred->c, in, in_len, 0);
    if (err == NANSEN_OK)
        err = nansen__cred_disclose(&cred->c);
    if (err != NANSEN_OK) {
        nansen_credential_free(cred);
        return err;
    }
    *out = cred;
    return NANSEN_OK;
}

void nansen_credential_free(nansen_credential *cred)
{
    if (cred == NULL)
        return;
    nansen__cred_clear(&cred->c);
    free(cred);
}

nansen_err nansen_credential_verify_issuer(nansen_ctx *ctx,
                                           const nansen_credential *cred,
                                           const nansen_key *issuer_key)
{
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};

    ARG_CHECK(ctx != NULL && cred != NULL && issuer_key != NULL);
    return nansen_cose_sign1_verify(ctx, NULL, issuer_key, cred->c.bytes,
                                    cred->c.len, NULL, 0, &opts);
}

nansen_err nansen_credential_claim(const nansen_credential *cred,
                                   nansen_claim claim,
                                   nansen_claim_value *value, int *disclosable)
{
    const nansen__claim *c;

    if (value != NULL)
        memset(value, 0, sizeof *value);
    if (disclosable != NULL)
        *disclosable = 0;
    ARG_CHECK(cred != NULL && value != NULL);
    ARG_CHECK((int)claim >= NANSEN_CLAIM_FIRST &&
              (int)claim <= NANSEN_CLAIM_LAST);
    c = &cred->c.claims[claim];
    if (!c->present)
        return NANSEN_ERR_ABSENT;
    *value = c->v;
    if (disclosable != NULL)
        *disclosable = c->disclosable;
    return NANSEN_OK;
}

void nansen_credential_times(const nansen_credential *cred, int64_t *iat,
                             int64_t *nbf, int64_t *exp)
{
    if (iat != NULL)
        *iat = cred != NULL ? cred->c.iat : 0;
    if (nbf != NULL)
        *nbf = cred != NULL ? cred->c.nbf : 0;
    if (exp != NULL)
        *exp = cred != NULL ? cred->c.exp : 0;
}

nansen_err nansen_credential_status(const nansen_credential *cred,
                                   const char **uri, uint64_t *idx)
{
    ARG_CHECK(uri != NULL && idx != NULL);
    *uri = NULL;
    *idx = 0;
    ARG_CHECK(cred != NULL);
    if (cred->c.status_uri == NULL)
        return NANSEN_ERR_ABSENT;
    *uri = cred->c.status_uri;
    *idx = cred->c.status_idx;
    return NANSEN_OK;
}

const uint8_t *nansen_credential_issuer_kid(const nansen_credential *cred)
{
    return cred != NULL ? cred->c.kid : NULL;
}

const uint8_t *nansen_credential_id(const nansen_credential *cred)
{
    return cred != NULL ? cred->c.cti : NULL;
}

const nansen_key *nansen_credential_holder(const nansen_credential *cred)
{
    return cred != NULL ? cred->c.holder : NULL;
}

const char *nansen_credential_issuer_label(const nansen_credential *cred)
{
    return cred != NULL ? cred->c.issuer_label : NULL;
}

const nansen__cred *nansen__cred_of(const nansen_credential *cred)
{
    return &cred->c;
}
