/* grant.c - consent grants: the SD-CWT key-binding token with consent.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"

#define PROFILE_GRANT 1

nansen_err nansen__grant_notice_fields(nansen_notice_fields *f,
                                       const nansen__cred *c,
                                       const char *audience,
                                       const char *audience_name,
                                       uint32_t purpose,
                                       const uint32_t *categories,
                                       size_t category_count, int64_t from,
                                       int64_t until, const char *lang)
{
    memset(f, 0, sizeof *f);
    f->lang = lang;
    f->clinic = audience_name != NULL ? audience_name : audience;
    f->issuer = c->issuer_label;
    f->purpose = purpose;
    f->categories = categories;
    f->category_count = category_count;
    f->from = from;
    f->until = until;
    return NANSEN_OK;
}

/* strlen, but stops counting past max (the text may be long or hostile). */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;

    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

/* A short id: "kid:" and 16 lowercase hex digits. */
static int short_id_ok(const char *s)
{
    size_t i;

    if (strncmp(s, "kid:", 4) != 0 || strlen(s) != NANSEN_SHORT_ID_BYTES - 1)
        return 0;
    for (i = 4; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int audience_ok(const char *aud)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub, n;
    nansen_key_type type;

    n = bounded_len(aud, NANSEN__AUDIENCE_MAX_BYTES);
    if (n == 0 || n > NANSEN__AUDIENCE_MAX_BYTES)
        return 0;
    if (short_id_ok(aud))
        return 1;
    return nansen_did_key_decode(&type, pub, &pub_len, aud, n) == NANSEN_OK;
}

/* The caller's parameters alone. */
static nansen_err check_params(const nansen_grant_params *p)
{
    size_t i, j;

    if (p->audience == NULL || !audience_ok(p->audience))
        return NANSEN_ERR_INVALID_ARG;
    if (p->audience_name != NULL &&
        (bounded_len(p->audience_name, NANSEN_NAME_MAX_BYTES) >
             NANSEN_NAME_MAX_BYTES ||
         !nansen__claim_text_ok((const uint8_t *)p->audience_name,
                                strlen(p->audience_name))))
        return NANSEN_ERR_INVALID_ARG;
    if (nansen_vocab_id(NANSEN_VOCAB_PURPOSE, p->purpose) == NULL)
        return NANSEN_ERR_INVALID_ARG;
    if (p->categories == NULL || p->category_count == 0 ||
        p->category_count > NANSEN_GRANT_MAX_CATEGORIES)
        return NANSEN_ERR_INVALID_ARG;
    for (i = 0; i < p->category_count; i++) {
        if (nansen_vocab_id(NANSEN_VOCAB_CATEGORY, p->categories[i]) == NULL)
            return NANSEN_ERR_INVALID_ARG;
        for (j = 0; j < i; j++)
            if (p->categories[j] == p->categories[i])
                return NANSEN_ERR_INVALID_ARG;
    }
    if (p->disclose & ~(uint32_t)((2u << NANSEN_CLAIM_LAST) - 2u))
        return NANSEN_ERR_INVALID_ARG;
    /* SD-CWT: nbf <= iat < exp in the key-binding token */
    if (p->iat <= 0 || p->nbf < 0 || p->nbf > p->iat || p->exp <= p->iat)
        return NANSEN_ERR_INVALID_ARG;
    if (p->notice_lang == NULL ||
        !nansen__lang_tag_ok(p->notice_lang, strlen(p->notice_lang)) ||
        nansen_notice_needs_review(p->notice_lang) < 0)
        return NANSEN_ERR_INVALID_ARG;
    if (nansen__budget_valid(&p->budget) != NANSEN_OK)
        return NANSEN_ERR_INVALID_ARG;
    if (p->cnonce == NULL ? p->cnonce_len != 0
                          : (p->cnonce_len == 0 ||
                             p->cnonce_len > NANSEN_CNONCE_MAX_BYTES))
        return NANSEN_ERR_INVALID_ARG;
    return NANSEN_OK;
}

static int granted(const nansen_grant_params *p, uint32_t category)
{
    size_t i;

    for (i = 0; i < p->category_count; i++)
        if (p->categories[i] == category)
            return 1;
    return 0;
}

/* The parameters against the credential. */
static nansen_err check_against(const nansen__cred *c,
                                const nansen_grant_params *p)
{
    int64_t nbf = p->nbf ? p->nbf : p->iat;
    int i;

    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++) {
        if (!(p->disclose & NANSEN_CLAIM_BIT(i)))
            continue;
        if (!c->claims[i].present)
            return NANSEN_ERR_ABSENT;
        if (c->claims[i].disclosable &&
            !granted(p, nansen_claim_category((nansen_claim)i)))
            return NANSEN_ERR_CATEGORY_NOT_GRANTED;
    }
    if (p->iat < c->iat || p->iat < c->nbf || nbf < c->nbf ||
        p->exp > c->exp || p->iat >= c->exp)
        return NANSEN_ERR_OUTSIDE_VALIDITY;
    return NANSEN_OK;
}

nansen_err nansen_grant_notice(char *out, size_t *out_len,
                               const nansen_credential *cred,
                               const nansen_grant_params *params)
{
    nansen_notice_fields f;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (cred == NULL || params == NULL) {
        if (out != NULL && *out_len > 0)
            out[0] = '\0';
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    if ((err = check_params(params)) != NANSEN_OK) {
        if (out != NULL && *out_len > 0)
            out[0] = '\0';
        *out_len = 0;
        return err;
    }
    nansen__grant_notice_fields(&f, nansen__cred_of(cred), params->audience,
                                params->audience_name, params->purpose,
                                params->categories, params->category_count,
                                params->nbf ? params->nbf : params->iat,
                                params->exp, params->notice_lang);
    return nansen_notice_render(out, out_len, &f);
}

typedef struct grant_arg {
    const nansen_grant_params *p;
    const uint8_t *cti;
    const uint8_t *notice_digest;
} grant_arg;

static void write_grant_payload(nansen__cbw *w, const grant_arg *a)
{
    const nansen_grant_params *p = a->p;
    int has_nbf = p->nbf != 0 && p->nbf != p->iat;
    size_t i;

    nansen__cbw_map(w, 4 + (size_t)has_nbf + (p->cnonce != NULL) +
                           (a->cti != NULL));
    nansen__cbw_uint(w, NANSEN_CWT_AUD);
    nansen__cbw_text(w, p->audience, strlen(p->audience));
    nansen__cbw_uint(w, NANSEN_CWT_EXP);
    nansen__cbw_int(w, p->exp);
    if (has_nbf) {
        nansen__cbw_uint(w, NANSEN_CWT_NBF);
        nansen__cbw_int(w, p->nbf);
    }
    nansen__cbw_uint(w, NANSEN_CWT_IAT);
    nansen__cbw_int(w, p->iat);
    if (a->cti != NULL) {
        nansen__cbw_uint(w, NANSEN_CWT_CTI);
        nansen__cbw_bytes(w, a->cti, NANSEN_CTI_BYTES);
    }
    if (p->cnonce != NULL) {
        nansen__cbw_uint(w, NANSEN_CWT_CNONCE);
        nansen__cbw_bytes(w, p->cnonce, p->cnonce_len);
    }
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    nansen__cbw_map(w, 5 + (p->audience_name != NULL));
    nansen__cbw_uint(w, 0);
    nansen__cbw_uint(w, PROFILE_GRANT);
    nansen__cbw_uint(w, 1);
    nansen__cbw_uint(w, p->purpose);
    nansen__cbw_uint(w, 2);
    nansen__cbw_array(w, p->category_count);
    for (i = 0; i < p->category_count; i++)
        nansen__cbw_uint(w, p->categories[i]);
    nansen__cbw_uint(w, 3);
    nansen__cbw_text(w, p->notice_lang, strlen(p->notice_lang));
    nansen__cbw_uint(w, 4);
    nansen__cbw_bytes(w, a->notice_digest, NANSEN_DIGEST_BYTES);
    if (p->audience_name != NULL) {
        nansen__cbw_uint(w, 5);
        nansen__cbw_text(w, p->audience_name, strlen(p->audience_name));
    }
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static nansen_err sign(nansen_ctx *ctx, uint8_t *out, size_t *out_len,
                       const nansen_key *holder, const nansen__cred *c,
                       const nansen_grant_params *p, uint8_t **kcwt,
                       uint8_t **payload)
{
    uint8_t cti[NANSEN_CTI_BYTES], digest[NANSEN_DIGEST_BYTES];
    char sub[NANSEN_SHORT_ID_BYTES];
    nansen_notice_fields f;
    nansen_cose_sign1_params cp;
    nansen_cose_header kh;
    grant_arg a;
    nansen__cbw w;
    size_t kcwt_len = 0, need = 0, payload_len = 0;
    nansen_err err;

    if ((err = check_params(p)) != NANSEN_OK)
        return err;
    if (!nansen_key_has_secret(holder))
        return NANSEN_ERR_NO_SECRET_KEY;
    if ((err = nansen_key_short_id(holder, sub)) != NANSEN_OK)
        return err;
    if (!nansen_key_equal(holder, c->holder) || strcmp(sub, c->sub) != 0)
        return NANSEN_ERR_KEY_MISMATCH;
    if ((err = check_against(c, p)) != NANSEN_OK)
        return err;
    nansen__grant_notice_fields(&f, c, p->audience, p->audience_name,
                                p->purpose, p->categories, p->category_count,
                                p->nbf ? p->nbf : p->iat, p->exp,
                                p->notice_lang);
    if ((err = nansen_notice_digest(digest, &f)) != NANSEN_OK)
        return err;
    if (p->cti != NULL)
        memcpy(cti, p->cti, sizeof cti);
    if ((err = nansen__cred_present(c, p->disclose, kcwt, &kcwt_len)) !=
        NANSEN_OK)
        return err;

    a.p = p;
    a.cti = p->cti != NULL ? cti : NULL;   /* iat names the grant enough */
    a.notice_digest = digest;
    nansen__cbw_init(&w, NULL, 0);
    write_grant_payload(&w, &a);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if ((*payload = malloc(need)) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbw_init(&w, *payload, need);
    write_grant_payload(&w, &a);
    if ((err = nansen__cbw_finish(&w, &payload_len)) != NANSEN_OK)
        return err;

    /* no kid: the cnf key in the referral already names the signer */
    memset(&cp, 0, sizeof cp);
    cp.typ.present = 1;
    cp.typ.uint = NANSEN_TYP_KB_CWT;
    kh.label = NANSEN_COSE_HDR_KCWT;
    kh.value = *kcwt;
    kh.value_len = kcwt_len;
    cp.protected_extra = &kh;
    cp.protected_extra_count = 1;
    return nansen_cose_sign1_sign(ctx, out, out_len, holder, &cp, *payload,
                                  payload_len, NULL, 0);
}

nansen_err nansen_grant_sign(nansen_ctx *ctx, uint8_t *out, size_t *out_len,
                             const nansen_key *holder_key,
                             const nansen_credential *cred,
                             const nansen_grant_params *params)
{
    uint8_t *kcwt = NULL, *payload = NULL;
    size_t cap;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || holder_key == NULL || cred == NULL || params == NULL) {
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    err = sign(ctx, out, out_len, holder_key, nansen__cred_of(cred), params,
               &kcwt, &payload);
    if (err == NANSEN_OK && *out_len > NANSEN_CREDENTIAL_MAX_BYTES)
        err = NANSEN_ERR_INVALID_ARG;
    if (err == NANSEN_OK && out != NULL)
        err = nansen__budget_check(&params->budget, out, *out_len);
    free(kcwt);
    free(payload);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}

/* ---- reading a grant ---- */

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || *t <= 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

static nansen_err read_consent(nansen__cbr *r, nansen__grant_claims *g)
{
    size_t n, i, k, len, m;
    int have[6] = {0};
    const uint8_t *p;
    int64_t key, x;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (key < 0 || key > 5)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        have[key] = 1;
        switch (key) {
        case 0:
            if (nansen__cbr_int(r, &x) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            if (x != PROFILE_GRANT)
                return NANSEN_ERR_UNSUPPORTED_VERSION;
            break;
        case 1:
            if (nansen__cbr_int(r, &x) != NANSEN_OK || x < 0 ||
                x > UINT32_MAX)
                return NANSEN_ERR_MALFORMED;
            g->purpose = (uint32_t)x;
            break;
        case 2:
            if (nansen__cbr_array(r, &m) != NANSEN_OK || m == 0)
                return NANSEN_ERR_MALFORMED;
            if (m > NANSEN_GRANT_MAX_CATEGORIES)
                return NANSEN_ERR_CBOR_TOO_LARGE;
            for (k = 0; k < m; k++) {
                size_t j;

                if (nansen__cbr_int(r, &x) != NANSEN_OK || x < 0 ||
                    x > UINT32_MAX)
                    return NANSEN_ERR_MALFORMED;
                g->categories[k] = (uint32_t)x;
                for (j = 0; j < k; j++)
                    if (g->categories[j] == g->categories[k])
                        return NANSEN_ERR_MALFORMED;
            }
            g->ncategories = m;
            break;
        case 3:
            if (nansen__cbr_text(r, (const char **)&p, &len) != NANSEN_OK ||
                !nansen__lang_tag_ok((const char *)p, len))
                return NANSEN_ERR_MALFORMED;
            memcpy(g->lang, p, len);
            g->lang[len] = '\0';
            break;
        case 4:
            if (nansen__cbr_bytes(r, &p, &len) != NANSEN_OK ||
                len != NANSEN_DIGEST_BYTES)
                return NANSEN_ERR_MALFORMED;
            memcpy(g->digest, p, len);
            break;
        case 5:
            if (nansen__cbr_text(r, (const char **)&p, &len) != NANSEN_OK ||
                len > NANSEN_NAME_MAX_BYTES || !nansen__claim_text_ok(p, len))
                return NANSEN_ERR_MALFORMED;
            memcpy(g->aud_name, p, len);
            g->aud_name[len] = '\0';
            g->has_aud_name = 1;
            break;
        }
    }
    for (k = 0; k < 5; k++)
        if (!have[k])
            return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

static nansen_err read_grant_payload(const uint8_t *payload, size_t len_in,
                                     nansen__grant_claims *g)
{
    nansen__cbr r;
    size_t n, i, len;
    const uint8_t *p;
    int have_aud = 0, have_exp = 0, have_iat = 0;
    int have_nbf = 0, have_nansen = 0;
    int64_t key;
    nansen_err err;

    if ((err = nansen_cbor_check(payload, len_in, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, payload, len_in);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (key) {
        case NANSEN_CWT_AUD:
            if (nansen__cbr_text(&r, (const char **)&p, &len) != NANSEN_OK ||
                len == 0 || len > NANSEN__AUDIENCE_MAX_BYTES ||
                !nansen__claim_text_ok(p, len))
                return NANSEN_ERR_MALFORMED;
            memcpy(g->aud, p, len);
            g->aud[len] = '\0';
            have_aud = 1;
            break;
        case NANSEN_CWT_EXP:
            if ((err = read_time(&r, &g->exp)) != NANSEN_OK)
                return err;
            have_exp = 1;
            break;
        case NANSEN_CWT_NBF:
            if ((err = read_time(&r, &g->nbf)) != NANSEN_OK)
                return err;
            have_nbf = 1;
            break;
        case NANSEN_CWT_IAT:
            if ((err = read_time(&r, &g->iat)) != NANSEN_OK)
                return err;
            have_iat = 1;
            break;
        case NANSEN_CWT_CTI:
            if (nansen__cbr_bytes(&r, &p, &len) != NANSEN_OK ||
                len != NANSEN_CTI_BYTES)
                return NANSEN_ERR_MALFORMED;
            memcpy(g->cti, p, len);
            g->has_cti = 1;
            break;
        case NANSEN_CWT_CNONCE:
            if (nansen__cbr_bytes(&r, &p, &len) != NANSEN_OK || len == 0 ||
                len > NANSEN_CNONCE_MAX_BYTES)
                return NANSEN_ERR_MALFORMED;
            memcpy(g->cnonce, p, len);
            g->cnonce_len = len;
            g->has_cnonce = 1;
            break;
        case NANSEN_CWT_CLAIM_NANSEN:
            if ((err = read_consent(&r, g)) != NANSEN_OK)
                return err;
            have_nansen = 1;
            break;
        case NANSEN_CWT_ISS:      /* the holder is implied by cnf */
        case NANSEN_CWT_SUB:
            return NANSEN_ERR_MALFORMED;
        default:
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
    }
    if (!have_aud || !have_exp || !have_iat || !have_nansen)
        return NANSEN_ERR_MALFORMED;
    if (!have_nbf)
        g->nbf = g->iat;
    return NANSEN_OK;
}

nansen_err nansen__grant_parse(nansen_cose_sign1 *kbt,
                               nansen__grant_claims *g, const uint8_t **kcwt,
                               size_t *kcwt_len, const uint8_t *grant,
                               size_t grant_len)
{
    static const int64_t kbt_prot[] = {NANSEN_COSE_HDR_ALG,
                                       NANSEN_COSE_HDR_KID,
                                       NANSEN_COSE_HDR_KCWT,
                                       NANSEN_COSE_HDR_TYP};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    int prot = 0;
    nansen_err err;

    memset(g, 0, sizeof *g);
    *kcwt = NULL;
    *kcwt_len = 0;
    if (grant_len > NANSEN_CREDENTIAL_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cose_sign1_parse(kbt, grant, grant_len, &opts)) !=
        NANSEN_OK)
        return err;
    if (!kbt->typ.present || kbt->typ.text != NULL ||
        kbt->typ.uint != NANSEN_TYP_KB_CWT)
        return NANSEN_ERR_WRONG_TYPE;
    if ((err = nansen__check_labels(kbt->protected_map, kbt->protected_map_len,
                                    kbt_prot, 4)) != NANSEN_OK ||
        (err = nansen__check_labels(kbt->unprotected_map,
                                    kbt->unprotected_map_len, NULL, 0)) !=
            NANSEN_OK)
        return err;
    if (nansen_cose_sign1_header(kbt, NANSEN_COSE_HDR_KCWT, kcwt, kcwt_len,
                                 &prot) != NANSEN_OK || !prot)
        return NANSEN_ERR_BAD_HEADER;
    return read_grant_payload(kbt->payload, kbt->payload_len, g);
}

/* ---- the public unverified view ---- */

struct nansen_grant {
    uint8_t *bytes;
    size_t len;
    nansen__grant_claims g;
    nansen_credential *cred;
    uint8_t digest[NANSEN_DIGEST_BYTES];
};

nansen_err nansen_grant_decode(nansen_ctx *ctx, nansen_grant **out,
                               const uint8_t *in, size_t in_len)
{
    nansen_grant *gr;
    nansen_cose_sign1 kbt;
    const uint8_t *kcwt;
    size_t kcwt_len;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if (in_len > NANSEN_CREDENTIAL_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((gr = calloc(1, sizeof *gr)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((gr->bytes = malloc(in_len ? in_len : 1)) == NULL) {
        free(gr);
        return NANSEN_ERR_NOMEM;
    }
    memcpy(gr->bytes, in, in_len);
    gr->len = in_len;
    err = nansen__grant_parse(&kbt, &gr->g, &kcwt, &kcwt_len, gr->bytes,
                              gr->len);
    if (err == NANSEN_OK)
        err = nansen_credential_decode(ctx, &gr->cred, kcwt, kcwt_len);
    if (err != NANSEN_OK) {
        nansen_grant_free(gr);
        return err;
    }
    crypto_hash_sha256(gr->digest, gr->bytes, gr->len);
    *out = gr;
    return NANSEN_OK;
}

void nansen_grant_free(nansen_grant *grant)
{
    if (grant == NULL)
        return;
    nansen_credential_free(grant->cred);
    free(grant->bytes);
    sodium_memzero(grant, sizeof *grant);
    free(grant);
}

const char *nansen_grant_audience(const nansen_grant *grant)
{
    return grant != NULL ? grant->g.aud : NULL;
}

const char *nansen_grant_audience_name(const nansen_grant *grant)
{
    return grant != NULL && grant->g.has_aud_name ? grant->g.aud_name : NULL;
}

void nansen_grant_consent(const nansen_grant *grant, uint32_t *purpose,
                          const uint32_t **categories, size_t *category_count)
{
    if (purpose != NULL)
        *purpose = grant != NULL ? grant->g.purpose : 0;
    if (categories != NULL)
        *categories = grant != NULL ? grant->g.categories : NULL;
    if (category_count != NULL)
        *category_count = grant != NULL ? grant->g.ncategories : 0;
}

void nansen_grant_times(const nansen_grant *grant, int64_t *iat,
                        int64_t *nbf, int64_t *exp)
{
    if (iat != NULL)
        *iat = grant != NULL ? grant->g.iat : 0;
    if (nbf != NULL)
        *nbf = grant != NULL ? grant->g.nbf : 0;
    if (exp != NULL)
        *exp = grant != NULL ? grant->g.exp : 0;
}

const uint8_t *nansen_grant_id(const nansen_grant *grant)
{
    return grant != NULL && grant->g.has_cti ? grant->g.cti : NULL;
}

const uint8_t *nansen_grant_digest(const nansen_grant *grant)
{
    return grant != NULL ? grant->digest : NULL;
}

void nansen_grant_notice_recorded(const nansen_grant *grant,
                                  const char **lang, const uint8_t **digest)
{
    if (lang != NULL)
        *lang = grant != NULL ? grant->g.lang : NULL;
    if (digest != NULL)
        *digest = grant != NULL ? grant->g.digest : NULL;
}

const nansen_credential *nansen_grant_credential(const nansen_grant *grant)
{
    return grant != NULL ? grant->cred : NULL;
}
