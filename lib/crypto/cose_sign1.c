/* cose_sign1.c - COSE_Sign1 (RFC 9052 section 4.2) for EdDSA and ES256K.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The profile is in spec/cose-profile.md. Signing builds the protected
 * header, the Sig_structure and the message with the deterministic CBOR
 * writer; parsing checks the whole message first (nansen_cbor_check), then
 * walks it with the zero-copy reader, so the view it returns points into
 * the caller's buffer.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"

#define SIG1_CONTEXT "Signature1"

/* Most header parameters one bucket may hold when parsing. */
#define MAX_HEADERS 64

int64_t nansen_cose_alg_of_key(const nansen_key *key)
{
    if (key != NULL && nansen_key_get_type(key) == NANSEN_KEY_SECP256K1)
        return NANSEN_COSE_ALG_ES256K;
    return NANSEN_COSE_ALG_EDDSA;
}

static int is_core_label(int64_t label)
{
    return label == NANSEN_COSE_HDR_ALG || label == NANSEN_COSE_HDR_CRIT ||
           label == NANSEN_COSE_HDR_CONTENT_TYPE ||
           label == NANSEN_COSE_HDR_KID || label == NANSEN_COSE_HDR_TYP;
}

/* ---- signing ---- */

static int uot_valid(const nansen_cose_uint_or_text *v)
{
    if (!v->present)
        return 1;
    return v->text != NULL || v->text_len == 0;
}

static void write_uot(nansen__cbw *w, const nansen_cose_uint_or_text *v)
{
    if (v->text != NULL)
        nansen__cbw_text(w, v->text, v->text_len);
    else
        nansen__cbw_uint(w, v->uint);
}

static nansen_err check_extras(const nansen_cose_header *h, size_t n,
                               int is_protected)
{
    size_t i, j;

    if (n > NANSEN_COSE_EXTRA_HEADERS_MAX || (n > 0 && h == NULL))
        return NANSEN_ERR_INVALID_ARG;
    for (i = 0; i < n; i++) {
        /* crit may be added, in the protected bucket only; the other core
         * labels are set through the params fields. */
        if (is_core_label(h[i].label) &&
            !(is_protected && h[i].label == NANSEN_COSE_HDR_CRIT))
            return NANSEN_ERR_INVALID_ARG;
        if (h[i].value == NULL ||
            nansen_cbor_check(h[i].value, h[i].value_len, 0) != NANSEN_OK)
            return NANSEN_ERR_INVALID_ARG;
        for (j = 0; j < i; j++)
            if (h[j].label == h[i].label)
                return NANSEN_ERR_INVALID_ARG;
    }
    return NANSEN_OK;
}

static nansen_err check_params(const nansen_cose_sign1_params *p)
{
    size_t i, j;
    nansen_err err;

    if (p->kid_len > NANSEN_COSE_KID_MAX_BYTES ||
        (p->kid == NULL && p->kid_len != 0))
        return NANSEN_ERR_INVALID_ARG;
    if (!uot_valid(&p->typ) || !uot_valid(&p->content_type))
        return NANSEN_ERR_INVALID_ARG;
    if ((err = check_extras(p->protected_extra, p->protected_extra_count,
                            1)) != NANSEN_OK ||
        (err = check_extras(p->unprotected_extra,
                            p->unprotected_extra_count, 0)) != NANSEN_OK)
        return err;
    /* A label may not be in both buckets (RFC 9052 section 3). */
    for (i = 0; i < p->protected_extra_count; i++)
        for (j = 0; j < p->unprotected_extra_count; j++)
            if (p->protected_extra[i].label == p->unprotected_extra[j].label)
                return NANSEN_ERR_INVALID_ARG;
    return NANSEN_OK;
}

static void write_protected_map(nansen__cbw *w,
                                const nansen_cose_sign1_params *p,
                                int64_t alg)
{
    int kid_here = p->kid != NULL && !p->kid_unprotected;
    size_t i, n = 1 + (size_t)kid_here + (size_t)(p->typ.present != 0) +
                  (size_t)(p->content_type.present != 0) +
                  p->protected_extra_count;

    nansen__cbw_map(w, n);
    nansen__cbw_uint(w, NANSEN_COSE_HDR_ALG);
    nansen__cbw_int(w, alg);
    if (kid_here) {
        nansen__cbw_uint(w, NANSEN_COSE_HDR_KID);
        nansen__cbw_bytes(w, p->kid, p->kid_len);
    }
    if (p->typ.present) {
        nansen__cbw_uint(w, NANSEN_COSE_HDR_TYP);
        write_uot(w, &p->typ);
    }
    if (p->content_type.present) {
        nansen__cbw_uint(w, NANSEN_COSE_HDR_CONTENT_TYPE);
        write_uot(w, &p->content_type);
    }
    for (i = 0; i < p->protected_extra_count; i++) {
        nansen__cbw_int(w, p->protected_extra[i].label);
        nansen__cbw_raw(w, p->protected_extra[i].value,
                        p->protected_extra[i].value_len);
    }
    nansen__cbw_map_end(w);
}

/* Encode with a writer function into a fresh malloc'd buffer: measure,
 * allocate, write. */
typedef void (*encode_fn)(nansen__cbw *w, const void *arg);

static nansen_err encode_alloc(encode_fn fn, const void *arg, uint8_t **out,
                               size_t *out_len)
{
    nansen__cbw w;
    size_t need, len;
    nansen_err err;

    *out = NULL;
    nansen__cbw_init(&w, NULL, 0);
    fn(&w, arg);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if ((*out = malloc(need ? need : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbw_init(&w, *out, need);
    fn(&w, arg);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK || len != need) {
        free(*out);
        *out = NULL;
        return err != NANSEN_OK ? err : NANSEN_ERR_INVALID_ARG;
    }
    *out_len = len;
    return NANSEN_OK;
}

struct protected_arg {
    const nansen_cose_sign1_params *params;
    int64_t alg;
};

static void encode_protected(nansen__cbw *w, const void *arg)
{
    const struct protected_arg *a = arg;

    write_protected_map(w, a->params, a->alg);
}

struct tbs_arg {
    const uint8_t *protected_map;
    size_t protected_len;
    const uint8_t *aad;
    size_t aad_len;
    const uint8_t *payload;
    size_t payload_len;
};

/* Sig_structure = ["Signature1", body_protected, external_aad, payload] */
static void encode_tbs(nansen__cbw *w, const void *arg)
{
    const struct tbs_arg *a = arg;

    nansen__cbw_array(w, 4);
    nansen__cbw_text(w, SIG1_CONTEXT, sizeof SIG1_CONTEXT - 1);
    nansen__cbw_bytes(w, a->protected_map, a->protected_len);
    nansen__cbw_bytes(w, a->aad, a->aad_len);
    nansen__cbw_bytes(w, a->payload, a->payload_len);
}

static void write_message(nansen__cbw *w, const nansen_cose_sign1_params *p,
                          const uint8_t *protected_map, size_t protected_len,
                          const uint8_t *payload, size_t payload_len,
                          const uint8_t *sig, size_t sig_len)
{
    int kid_here = p->kid != NULL && p->kid_unprotected;
    size_t i;

    if (!p->untagged)
        nansen__cbw_tag(w, NANSEN_COSE_TAG_SIGN1);
    nansen__cbw_array(w, 4);
    nansen__cbw_bytes(w, protected_map, protected_len);
    nansen__cbw_map(w, p->unprotected_extra_count + (size_t)kid_here);
    if (kid_here) {
        nansen__cbw_uint(w, NANSEN_COSE_HDR_KID);
        nansen__cbw_bytes(w, p->kid, p->kid_len);
    }
    for (i = 0; i < p->unprotected_extra_count; i++) {
        nansen__cbw_int(w, p->unprotected_extra[i].label);
        nansen__cbw_raw(w, p->unprotected_extra[i].value,
                        p->unprotected_extra[i].value_len);
    }
    nansen__cbw_map_end(w);
    nansen__cbw_bytes(w, payload, payload_len);
    nansen__cbw_bytes(w, sig, sig_len);
}

nansen_err nansen_cose_sign1_sign(nansen_ctx *ctx, uint8_t *out,
                                  size_t *out_len, const nansen_key *key,
                                  const nansen_cose_sign1_params *params,
                                  const uint8_t *payload, size_t payload_len,
                                  const uint8_t *aad, size_t aad_len)
{
    static const nansen_cose_sign1_params no_params;
    static const uint8_t empty[1];
    uint8_t sig[NANSEN_SIGNATURE_BYTES];
    uint8_t *prot = NULL, *tbs = NULL;
    size_t prot_len = 0, tbs_len = 0, sig_len = sizeof sig, need, len;
    struct protected_arg pa;
    struct tbs_arg ta;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(ctx != NULL && out_len != NULL && key != NULL);
    ARG_CHECK(payload != NULL || payload_len == 0);
    ARG_CHECK(aad != NULL || aad_len == 0);
    if (params == NULL)
        params = &no_params;
    if (payload == NULL)
        payload = empty;
    if (aad == NULL)
        aad = empty;
    if ((err = check_params(params)) != NANSEN_OK)
        goto fail;
    if (!nansen_key_has_secret(key)) {
        err = NANSEN_ERR_NO_SECRET_KEY;
        goto fail;
    }

    pa.params = params;
    pa.alg = nansen_cose_alg_of_key(key);
    if ((err = encode_alloc(encode_protected, &pa, &prot, &prot_len)) !=
        NANSEN_OK)
        goto fail;

    /* The size does not depend on the signature's value: answer a size
     * query before doing any signing work. */
    memset(sig, 0, sizeof sig);
    nansen__cbw_init(&w, NULL, 0);
    write_message(&w, params, prot, prot_len, payload, payload_len, sig,
                  sizeof sig);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        goto fail;
    if (nansen__size_query(&err, out, out_len, need)) {
        free(prot);
        return err;
    }

    ta.protected_map = prot;
    ta.protected_len = prot_len;
    ta.aad = aad;
    ta.aad_len = aad_len;
    ta.payload = payload;
    ta.payload_len = payload_len;
    if ((err = encode_alloc(encode_tbs, &ta, &tbs, &tbs_len)) != NANSEN_OK)
        goto fail;
    if ((err = nansen_key_sign(ctx, sig, &sig_len, key, tbs, tbs_len)) !=
        NANSEN_OK)
        goto fail;

    nansen__cbw_init(&w, out, *out_len);
    write_message(&w, params, prot, prot_len, payload, payload_len, sig,
                  sig_len);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK)
        goto fail;
    free(prot);
    free(tbs);
    *out_len = len;
    return NANSEN_OK;

fail:
    free(prot);
    free(tbs);
    if (out != NULL)
        sodium_memzero(out, *out_len);
    *out_len = 0;
    return err;
}

/* ---- parsing ---- */

/* A header label: an integer, or a text string (kept as its bytes). */
typedef struct label {
    int is_text;
    int64_t num;
    const uint8_t *text;
    size_t text_len;
} label;

static int label_equal(const label *a, const label *b)
{
    if (a->is_text != b->is_text)
        return 0;
    if (!a->is_text)
        return a->num == b->num;
    return a->text_len == b->text_len &&
           memcmp(a->text, b->text, a->text_len) == 0;
}

static nansen_err read_label(nansen__cbr *r, label *l)
{
    nansen__cbor_item it;
    nansen_err err;

    memset(l, 0, sizeof *l);
    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    switch (it.type) {
    case NANSEN__CBOR_UINT:
        if (it.v.u > (uint64_t)INT64_MAX)
            return NANSEN_ERR_BAD_HEADER;
        l->num = (int64_t)it.v.u;
        return NANSEN_OK;
    case NANSEN__CBOR_NINT:
        if (it.v.u > (uint64_t)INT64_MAX)
            return NANSEN_ERR_BAD_HEADER;
        l->num = -1 - (int64_t)it.v.u;
        return NANSEN_OK;
    case NANSEN__CBOR_TEXT:
        l->is_text = 1;
        l->text = it.str;
        l->text_len = it.len;
        return NANSEN_OK;
    default:
        return NANSEN_ERR_BAD_HEADER;  /* labels are int / tstr */
    }
}

static nansen_err read_uot(nansen__cbr *r, nansen_cose_uint_or_text *v)
{
    nansen__cbor_item it;
    nansen_err err;

    if ((err = nansen__cbr_next(r, &it)) != NANSEN_OK)
        return err;
    memset(v, 0, sizeof *v);
    v->present = 1;
    if (it.type == NANSEN__CBOR_UINT) {
        v->uint = it.v.u;
        return NANSEN_OK;
    }
    if (it.type == NANSEN__CBOR_TEXT) {
        v->text = (const char *)it.str;
        v->text_len = it.len;
        return NANSEN_OK;
    }
    return NANSEN_ERR_BAD_HEADER;
}

/* The labels found in one bucket, for the "not in both" and crit rules. */
typedef struct bucket {
    label labels[MAX_HEADERS];
    size_t count;
    const uint8_t *crit;       /* encoded crit array, if present */
    size_t crit_len;
} bucket;

static int bucket_has(const bucket *b, const label *l)
{
    size_t i;

    for (i = 0; i < b->count; i++)
        if (label_equal(&b->labels[i], l))
            return 1;
    return 0;
}

/* Walk one header map, record its labels, and decode the known ones. */
static nansen_err parse_bucket(const uint8_t *map, size_t map_len,
                               int is_protected, nansen_cose_sign1 *m,
                               bucket *b, int *have_alg)
{
    nansen__cbr r;
    size_t n, i;
    nansen_err err;

    nansen__cbr_init(&r, map, map_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_BAD_HEADER;
    if (n > MAX_HEADERS)
        return NANSEN_ERR_BAD_HEADER;
    for (i = 0; i < n; i++) {
        label l;
        const uint8_t *vstart;
        size_t vlen;

        if ((err = read_label(&r, &l)) != NANSEN_OK)
            return err;
        b->labels[b->count++] = l;
        if (l.is_text) {
            if ((err = nansen__cbr_skip(&r, NULL, NULL)) != NANSEN_OK)
                return err;
            continue;
        }
        switch (l.num) {
        case NANSEN_COSE_HDR_ALG: {
            int64_t alg;

            /* alg must be integrity protected (RFC 9052 section 3.1):
             * an attacker could change an unprotected one. */
            if (!is_protected || nansen__cbr_int(&r, &alg) != NANSEN_OK)
                return NANSEN_ERR_BAD_HEADER;
            m->alg = alg;
            *have_alg = 1;
            break;
        }
        case NANSEN_COSE_HDR_CRIT: {
            nansen__cbr cr;
            size_t cn, k;

            if (!is_protected ||
                nansen__cbr_skip(&r, &vstart, &vlen) != NANSEN_OK)
                return NANSEN_ERR_BAD_HEADER;
            nansen__cbr_init(&cr, vstart, vlen);
            if (nansen__cbr_array(&cr, &cn) != NANSEN_OK || cn == 0)
                return NANSEN_ERR_BAD_HEADER;
            for (k = 0; k < cn; k++) {
                label cl;

                if (read_label(&cr, &cl) != NANSEN_OK)
                    return NANSEN_ERR_BAD_HEADER;
            }
            b->crit = vstart;
            b->crit_len = vlen;
            break;
        }
        case NANSEN_COSE_HDR_CONTENT_TYPE:
            if ((err = read_uot(&r, &m->content_type)) != NANSEN_OK)
                return err;
            break;
        case NANSEN_COSE_HDR_KID:
            if (nansen__cbr_bytes(&r, &m->kid, &m->kid_len) != NANSEN_OK)
                return NANSEN_ERR_BAD_HEADER;
            m->kid_protected = is_protected;
            break;
        case NANSEN_COSE_HDR_TYP:
            if ((err = read_uot(&r, &m->typ)) != NANSEN_OK)
                return err;
            break;
        default:
            if ((err = nansen__cbr_skip(&r, NULL, NULL)) != NANSEN_OK)
                return err;
            break;
        }
    }
    return nansen__cbr_done(&r) ? NANSEN_OK : NANSEN_ERR_MALFORMED;
}

/* Every label in crit must be present in the protected bucket and be one
 * the verifier understands (RFC 9052 section 3.1). The core labels need no
 * crit; listing one is allowed only if the caller names it too. */
static nansen_err check_crit(const bucket *prot,
                             const nansen_cose_verify_opts *opts)
{
    nansen__cbr r;
    size_t n, i, k;

    if (prot->crit == NULL)
        return NANSEN_OK;
    nansen__cbr_init(&r, prot->crit, prot->crit_len);
    if (nansen__cbr_array(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_BAD_HEADER;
    for (i = 0; i < n; i++) {
        label l;
        int known = 0;

        if (read_label(&r, &l) != NANSEN_OK)
            return NANSEN_ERR_BAD_HEADER;
        if (!bucket_has(prot, &l))
            return NANSEN_ERR_BAD_HEADER;
        if (!l.is_text && opts != NULL)
            for (k = 0; k < opts->known_crit_count; k++)
                if (opts->known_crit[k] == l.num)
                    known = 1;
        if (!known)
            return NANSEN_ERR_UNKNOWN_CRITICAL;
    }
    return NANSEN_OK;
}

static nansen_err parse(nansen_cose_sign1 *m, const uint8_t *msg,
                        size_t msg_len, const nansen_cose_verify_opts *opts)
{
    unsigned int flags = opts != NULL ? opts->flags : 0;
    unsigned int cbor_flags = (flags & NANSEN_COSE_LENIENT_CBOR)
        ? NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM : 0;
    bucket prot, unprot;
    nansen__cbor_item it;
    nansen__cbr r;
    size_t i, j;
    int have_alg = 0;
    nansen_err err;

    if (opts != NULL &&
        ((flags & ~(NANSEN_COSE_REQUIRE_TAG | NANSEN_COSE_LENIENT_CBOR)) ||
         (opts->known_crit == NULL && opts->known_crit_count != 0)))
        return NANSEN_ERR_INVALID_ARG;
    if ((err = nansen_cbor_check(msg, msg_len, cbor_flags)) != NANSEN_OK)
        return err;

    nansen__cbr_init(&r, msg, msg_len);
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err;
    if (it.type == NANSEN__CBOR_TAG) {
        if (it.v.u != NANSEN_COSE_TAG_SIGN1)
            return NANSEN_ERR_WRONG_TYPE;
        m->tagged = 1;
        if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
            return err;
    } else if (flags & NANSEN_COSE_REQUIRE_TAG) {
        return NANSEN_ERR_WRONG_TYPE;
    }
    if (it.type != NANSEN__CBOR_ARRAY || it.v.u != 4)
        return NANSEN_ERR_WRONG_TYPE;

    /* protected: bstr .cbor header_map (empty bstr for no headers) */
    if (nansen__cbr_bytes(&r, &m->protected_map, &m->protected_map_len) !=
        NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    /* unprotected: header_map */
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err;
    if (it.type != NANSEN__CBOR_MAP)
        return NANSEN_ERR_MALFORMED;
    nansen__cbr_init(&r, it.start, (size_t)(msg + msg_len - it.start));
    if ((err = nansen__cbr_skip(&r, &m->unprotected_map,
                                &m->unprotected_map_len)) != NANSEN_OK)
        return err;
    /* payload: bstr; nil (detached) is not in the profile */
    if (nansen__cbr_bytes(&r, &m->payload, &m->payload_len) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (nansen__cbr_bytes(&r, &m->signature, &m->signature_len) !=
        NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (!nansen__cbr_done(&r))
        return NANSEN_ERR_TRAILING_DATA;

    memset(&prot, 0, sizeof prot);
    memset(&unprot, 0, sizeof unprot);
    if (m->protected_map_len > 0) {
        if ((err = nansen_cbor_check(m->protected_map, m->protected_map_len,
                                     cbor_flags)) != NANSEN_OK)
            return err;
        if ((err = parse_bucket(m->protected_map, m->protected_map_len, 1, m,
                                &prot, &have_alg)) != NANSEN_OK)
            return err;
    }
    if ((err = parse_bucket(m->unprotected_map, m->unprotected_map_len, 0, m,
                            &unprot, &have_alg)) != NANSEN_OK)
        return err;
    if (!have_alg)
        return NANSEN_ERR_BAD_HEADER;
    for (i = 0; i < unprot.count; i++)
        for (j = 0; j < prot.count; j++)
            if (label_equal(&unprot.labels[i], &prot.labels[j]))
                return NANSEN_ERR_BAD_HEADER;
    return check_crit(&prot, opts);
}

nansen_err nansen_cose_sign1_parse(nansen_cose_sign1 *out,
                                   const uint8_t *msg, size_t msg_len,
                                   const nansen_cose_verify_opts *opts)
{
    nansen_err err;

    ARG_CHECK(out != NULL);
    memset(out, 0, sizeof *out);
    ARG_CHECK(msg != NULL || msg_len == 0);
    if ((err = parse(out, msg, msg_len, opts)) != NANSEN_OK)
        memset(out, 0, sizeof *out);
    return err;
}

nansen_err nansen_cose_sign1_verify(nansen_ctx *ctx, nansen_cose_sign1 *out,
                                    const nansen_key *key, const uint8_t *msg,
                                    size_t msg_len, const uint8_t *aad,
                                    size_t aad_len,
                                    const nansen_cose_verify_opts *opts)
{
    nansen_cose_sign1 m;
    nansen_err err;

    if (out != NULL)
        memset(out, 0, sizeof *out);
    ARG_CHECK(ctx != NULL && key != NULL);
    ARG_CHECK(msg != NULL || msg_len == 0);
    ARG_CHECK(aad != NULL || aad_len == 0);
    memset(&m, 0, sizeof m);
    if ((err = parse(&m, msg, msg_len, opts)) != NANSEN_OK)
        return err;
    if ((err = nansen__cose_sign1_verify_parsed(ctx, &m, key, aad,
                                                aad_len)) != NANSEN_OK)
        return err;
    if (out != NULL)
        *out = m;
    return NANSEN_OK;
}

nansen_err nansen__cose_sign1_verify_parsed(nansen_ctx *ctx,
                                            const nansen_cose_sign1 *mp,
                                            const nansen_key *key,
                                            const uint8_t *aad,
                                            size_t aad_len)
{
    static const uint8_t empty[1];
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    nansen_cose_sign1 m = *mp;
    struct tbs_arg ta;
    uint8_t *tbs = NULL;
    size_t tbs_len = 0;
    nansen_err err;

    ARG_CHECK(aad != NULL || aad_len == 0);

    if (m.alg != NANSEN_COSE_ALG_EDDSA && m.alg != NANSEN_COSE_ALG_ES256K)
        return NANSEN_ERR_UNSUPPORTED_ALG;
    /* The key decides the algorithm, never the message. */
    if (m.alg != nansen_cose_alg_of_key(key))
        return NANSEN_ERR_ALG_MISMATCH;
    if (m.kid != NULL && m.kid_len == NANSEN_KEY_ID_BYTES) {
        if ((err = nansen_key_id(key, kid)) != NANSEN_OK)
            return err;
        if (sodium_memcmp(kid, m.kid, sizeof kid) != 0)
            return NANSEN_ERR_KEY_MISMATCH;
    }
    if (m.signature_len != NANSEN_SIGNATURE_BYTES)
        return NANSEN_ERR_BAD_SIGNATURE;

    ta.protected_map = m.protected_map_len ? m.protected_map : empty;
    ta.protected_len = m.protected_map_len;
    ta.aad = aad != NULL ? aad : empty;
    ta.aad_len = aad_len;
    ta.payload = m.payload_len ? m.payload : empty;
    ta.payload_len = m.payload_len;
    if ((err = encode_alloc(encode_tbs, &ta, &tbs, &tbs_len)) != NANSEN_OK)
        return err;
    /* Strict: a high-S ES256K signature is a second encoding of the same
     * signature, which would give the token a second digest. */
    err = nansen_key_verify(ctx, key, tbs, tbs_len, m.signature,
                            m.signature_len, 0);
    free(tbs);
    return err != NANSEN_OK ? NANSEN_ERR_BAD_SIGNATURE : NANSEN_OK;
}

static nansen_err find_in(const uint8_t *map, size_t map_len, int64_t want,
                          const uint8_t **value, size_t *value_len)
{
    nansen__cbr r;
    size_t n, i;

    if (map == NULL || map_len == 0)
        return NANSEN_ERR_NOT_FOUND;
    nansen__cbr_init(&r, map, map_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        label l;

        if (read_label(&r, &l) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (!l.is_text && l.num == want)
            return nansen__cbr_skip(&r, value, value_len);
        if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
    }
    return NANSEN_ERR_NOT_FOUND;
}

nansen_err nansen_cose_sign1_header(const nansen_cose_sign1 *msg,
                                    int64_t label_num, const uint8_t **value,
                                    size_t *value_len, int *is_protected)
{
    nansen_err err;

    ARG_CHECK(msg != NULL && value != NULL && value_len != NULL);
    *value = NULL;
    *value_len = 0;
    err = find_in(msg->protected_map, msg->protected_map_len, label_num,
                  value, value_len);
    if (err == NANSEN_OK) {
        if (is_protected != NULL)
            *is_protected = 1;
        return NANSEN_OK;
    }
    if (err != NANSEN_ERR_NOT_FOUND)
        return err;
    err = find_in(msg->unprotected_map, msg->unprotected_map_len, label_num,
                  value, value_len);
    if (err == NANSEN_OK && is_protected != NULL)
        *is_protected = 0;
    return err;
}
