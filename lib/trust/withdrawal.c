/* withdrawal.c - the holder's withdrawals of consent grants, and the
 * verifier's withdrawal store (spec/withdrawal.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"

#define PROFILE_WITHDRAWAL 1
#define WD_PROFILE 0              /* Nansen map keys */
#define WD_GRANT 1
#define TYP_LEN (sizeof NANSEN_WITHDRAWAL_TYP - 1)
/* The payload: map, exp, iat, cnf, Nansen map; 109 bytes at most. */
#define PAYLOAD_MAX 128

#define STORE_TAG 55799           /* self-described CBOR: d9 d9 f7 */
#define STORE_VERSION 1
#define STORE_CHECK_BYTES 8
static const char STORE_MAGIC[] = "nansen-withdrawals";
/* Every store file begins with these bytes: the tag, an array of 4, the
 * magic text. */
static const uint8_t STORE_PREFIX[] = {
    0xd9, 0xd9, 0xf7, 0x84, 0x72, 'n', 'a', 'n', 's', 'e', 'n', '-', 'w',
    'i', 't', 'h', 'd', 'r', 'a', 'w', 'a', 'l', 's'};

size_t nansen_withdrawal_max_bytes(void)
{
    return NANSEN_WITHDRAWAL_MAX_BYTES;
}

size_t nansen_withdrawal_store_max_bytes(void)
{
    return NANSEN_WITHDRAWAL_STORE_MAX_BYTES;
}

/* ---- the token ---- */

/* A parsed withdrawal; the views point into the bytes it was parsed
 * from. */
typedef struct wd {
    nansen_cose_sign1 msg;
    uint8_t digest[NANSEN_DIGEST_BYTES];
    int64_t iat, exp;
    const uint8_t *cnf;           /* the holder's COSE_Key */
    size_t cnf_len;
    nansen_key *holder;
} wd;

static void wd_clear(wd *w)
{
    nansen_key_free(w->holder);
    memset(w, 0, sizeof *w);
}

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || *t <= 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* cnf: one key, one encoding, so one withdrawal has one set of bytes per
 * signature. */
static nansen_err read_cnf(nansen_ctx *ctx, nansen__cbr *r, wd *w)
{
    return nansen__cnf_read(ctx, r, &w->holder, &w->cnf, &w->cnf_len);
}

static nansen_err read_nansen(nansen__cbr *r, wd *w)
{
    size_t n, i, len;
    int have_profile = 0, have_digest = 0;
    const uint8_t *p;
    int64_t key, x;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (key == WD_PROFILE) {
            if (nansen__cbr_int(r, &x) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            if (x != PROFILE_WITHDRAWAL)
                return NANSEN_ERR_UNSUPPORTED_VERSION;
            have_profile = 1;
        } else if (key == WD_GRANT) {
            if (nansen__cbr_bytes(r, &p, &len) != NANSEN_OK ||
                len != NANSEN_DIGEST_BYTES)
                return NANSEN_ERR_MALFORMED;
            memcpy(w->digest, p, len);
            have_digest = 1;
        } else {
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
    }
    return have_profile && have_digest ? NANSEN_OK : NANSEN_ERR_MALFORMED;
}

static nansen_err read_payload(nansen_ctx *ctx, wd *w)
{
    nansen__cbr r;
    size_t n, i;
    int have_exp = 0, have_iat = 0, have_cnf = 0, have_nansen = 0;
    int64_t key;
    nansen_err err;

    if ((err = nansen_cbor_check(w->msg.payload, w->msg.payload_len, 0)) !=
        NANSEN_OK)
        return err;
    nansen__cbr_init(&r, w->msg.payload, w->msg.payload_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (key) {
        case NANSEN_CWT_EXP:
            err = read_time(&r, &w->exp);
            have_exp = 1;
            break;
        case NANSEN_CWT_IAT:
            err = read_time(&r, &w->iat);
            have_iat = 1;
            break;
        case NANSEN_CWT_CNF:
            err = read_cnf(ctx, &r, w);
            have_cnf = 1;
            break;
        case NANSEN_CWT_CLAIM_NANSEN:
            err = read_nansen(&r, w);
            have_nansen = 1;
            break;
        default:
            /* a claim this version does not know may change the meaning */
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
        if (err != NANSEN_OK)
            return err;
    }
    if (!have_exp || !have_iat || !have_cnf || !have_nansen)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* Structure only: nothing verified. On failure w is cleared. */
static nansen_err wd_parse(nansen_ctx *ctx, wd *w, const uint8_t *in,
                           size_t in_len)
{
    static const int64_t prot[] = {NANSEN_COSE_HDR_ALG, NANSEN_COSE_HDR_TYP};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    nansen_err err;

    memset(w, 0, sizeof *w);
    if (in_len > NANSEN_WITHDRAWAL_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cose_sign1_parse(&w->msg, in, in_len, &opts)) !=
        NANSEN_OK)
        goto fail;
    if (!w->msg.typ.present || w->msg.typ.text == NULL ||
        w->msg.typ.text_len != TYP_LEN ||
        memcmp(w->msg.typ.text, NANSEN_WITHDRAWAL_TYP, TYP_LEN) != 0) {
        err = NANSEN_ERR_WRONG_TYPE;
        goto fail;
    }
    /* No kid (cnf names the signer), nothing unprotected: a relay cannot
     * change a withdrawal's bytes without its signer. */
    if ((err = nansen__check_labels(w->msg.protected_map,
                                    w->msg.protected_map_len, prot, 2)) !=
            NANSEN_OK ||
        (err = nansen__check_labels(w->msg.unprotected_map,
                                    w->msg.unprotected_map_len, NULL, 0)) !=
            NANSEN_OK)
        goto fail;
    if ((err = read_payload(ctx, w)) != NANSEN_OK)
        goto fail;
    return NANSEN_OK;
fail:
    wd_clear(w);
    return err;
}

/* The signature, with the key the withdrawal carries. */
static nansen_err wd_verify_self(nansen_ctx *ctx, const wd *w)
{
    return nansen__cose_sign1_verify_parsed(ctx, &w->msg, w->holder, NULL,
                                            0);
}

static void write_payload(nansen__cbw *w, const uint8_t *digest,
                          int64_t iat, int64_t exp, const uint8_t *cnf,
                          size_t cnf_len)
{
    nansen__cbw_map(w, 4);
    nansen__cbw_uint(w, NANSEN_CWT_EXP);
    nansen__cbw_int(w, exp);
    nansen__cbw_uint(w, NANSEN_CWT_IAT);
    nansen__cbw_int(w, iat);
    nansen__cbw_uint(w, NANSEN_CWT_CNF);
    nansen__cbw_map(w, 1);
    nansen__cbw_uint(w, 1);
    nansen__cbw_raw(w, cnf, cnf_len);
    nansen__cbw_map_end(w);
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    nansen__cbw_map(w, 2);
    nansen__cbw_uint(w, WD_PROFILE);
    nansen__cbw_uint(w, PROFILE_WITHDRAWAL);
    nansen__cbw_uint(w, WD_GRANT);
    nansen__cbw_bytes(w, digest, NANSEN_DIGEST_BYTES);
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static nansen_err sign(nansen_ctx *ctx, uint8_t *out, size_t *out_len,
                       const nansen_key *holder_key, const uint8_t *grant,
                       size_t grant_len, int64_t when)
{
    uint8_t cnf[NANSEN_COSE_KEY_MAX_BYTES], payload[PAYLOAD_MAX];
    size_t cnf_len = sizeof cnf, payload_len = 0;
    nansen_cose_sign1_params cp;
    nansen_grant *g = NULL;
    int64_t exp;
    nansen__cbw w;
    nansen_err err;

    if ((err = nansen_grant_decode(ctx, &g, grant, grant_len)) != NANSEN_OK)
        return err;
    if (!nansen_key_has_secret(holder_key)) {
        err = NANSEN_ERR_NO_SECRET_KEY;
        goto out;
    }
    if (!nansen_key_equal(holder_key,
                          nansen_credential_holder(
                              nansen_grant_credential(g)))) {
        err = NANSEN_ERR_KEY_MISMATCH;
        goto out;
    }
    if ((err = nansen_cose_key_encode(ctx, cnf, &cnf_len, holder_key, 0)) !=
        NANSEN_OK)
        goto out;
    nansen_grant_times(g, NULL, NULL, &exp);
    nansen__cbw_init(&w, payload, sizeof payload);
    write_payload(&w, nansen_grant_digest(g), when, exp, cnf, cnf_len);
    if ((err = nansen__cbw_finish(&w, &payload_len)) != NANSEN_OK)
        goto out;

    memset(&cp, 0, sizeof cp);
    cp.typ.present = 1;
    cp.typ.text = NANSEN_WITHDRAWAL_TYP;
    cp.typ.text_len = TYP_LEN;
    err = nansen_cose_sign1_sign(ctx, out, out_len, holder_key, &cp, payload,
                                 payload_len, NULL, 0);
out:
    nansen_grant_free(g);
    return err;
}

nansen_err nansen_withdrawal_sign(nansen_ctx *ctx, uint8_t *out,
                                  size_t *out_len,
                                  const nansen_key *holder_key,
                                  const uint8_t *grant, size_t grant_len,
                                  int64_t when)
{
    size_t cap;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || holder_key == NULL || grant == NULL || when <= 0) {
        err = NANSEN_ERR_INVALID_ARG;
    } else {
        err = sign(ctx, out, out_len, holder_key, grant, grant_len, when);
        if (err == NANSEN_OK && *out_len > NANSEN_WITHDRAWAL_MAX_BYTES)
            err = NANSEN_ERR_INVALID_ARG;   /* never: the format is bounded */
    }
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL) {
        if (out != NULL)
            sodium_memzero(out, cap);
        *out_len = 0;
    }
    return err;
}

nansen_err nansen_withdrawal_verify(nansen_ctx *ctx,
                                    const uint8_t *withdrawal,
                                    size_t withdrawal_len,
                                    const uint8_t *grant, size_t grant_len)
{
    nansen_grant *g = NULL;
    wd w;
    nansen_err err;

    ARG_CHECK(ctx != NULL && withdrawal != NULL && grant != NULL);
    if ((err = wd_parse(ctx, &w, withdrawal, withdrawal_len)) != NANSEN_OK)
        return err;
    if ((err = nansen_grant_decode(ctx, &g, grant, grant_len)) != NANSEN_OK)
        goto out;
    /* The key first: a withdrawal by anyone but the grant's holder is
     * refused as such, whether or not its own signature holds. */
    if (!nansen_key_equal(w.holder,
                          nansen_credential_holder(
                              nansen_grant_credential(g)))) {
        err = NANSEN_ERR_KEY_MISMATCH;
        goto out;
    }
    if ((err = wd_verify_self(ctx, &w)) != NANSEN_OK)
        goto out;
    if (memcmp(w.digest, nansen_grant_digest(g), NANSEN_DIGEST_BYTES) != 0)
        err = NANSEN_ERR_DIGEST_MISMATCH;
out:
    nansen_grant_free(g);
    wd_clear(&w);
    return err;
}

/* ---- the decoded view ---- */

struct nansen_withdrawal {
    uint8_t *bytes;
    size_t len;
    wd w;
};

nansen_err nansen_withdrawal_decode(nansen_ctx *ctx, nansen_withdrawal **out,
                                    const uint8_t *in, size_t in_len)
{
    nansen_withdrawal *x;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if (in_len > NANSEN_WITHDRAWAL_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((x = calloc(1, sizeof *x)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((x->bytes = malloc(in_len ? in_len : 1)) == NULL) {
        free(x);
        return NANSEN_ERR_NOMEM;
    }
    memcpy(x->bytes, in, in_len);
    x->len = in_len;
    if ((err = wd_parse(ctx, &x->w, x->bytes, x->len)) != NANSEN_OK) {
        nansen_withdrawal_free(x);
        return err;
    }
    *out = x;
    return NANSEN_OK;
}

void nansen_withdrawal_free(nansen_withdrawal *w)
{
    if (w == NULL)
        return;
    wd_clear(&w->w);
    free(w->bytes);
    free(w);
}

const uint8_t *nansen_withdrawal_grant_digest(const nansen_withdrawal *w)
{
    return w != NULL ? w->w.digest : NULL;
}

void nansen_withdrawal_times(const nansen_withdrawal *w, int64_t *iat,
                             int64_t *grant_exp)
{
    if (iat != NULL)
        *iat = w != NULL ? w->w.iat : 0;
    if (grant_exp != NULL)
        *grant_exp = w != NULL ? w->w.exp : 0;
}

const nansen_key *nansen_withdrawal_holder(const nansen_withdrawal *w)
{
    return w != NULL ? w->w.holder : NULL;
}

/* ---- the store ---- */

/* One verified withdrawal. Its identity is (digest, cnf bytes): the
 * store holds at most one withdrawal per grant and signer. */
typedef struct entry {
    uint8_t *bytes;               /* owned */
    size_t len;
    uint8_t digest[NANSEN_DIGEST_BYTES];
    const uint8_t *cnf;           /* into bytes */
    size_t cnf_len;
    int64_t iat, exp;
    nansen_key_type type;
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len;
} entry;

struct nansen_withdrawal_store {
    nansen_ctx *ctx;
    entry *e;                     /* sorted by identity, unique */
    size_t n;
};

static void entries_free(entry *e, size_t n)
{
    size_t i;

    if (e == NULL)
        return;
    for (i = 0; i < n; i++)
        free(e[i].bytes);
    free(e);
}

/* Bytewise lexicographic; a proper prefix comes first. */
static int lex_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);

    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

static int id_cmp(const entry *a, const entry *b)
{
    int c = memcmp(a->digest, b->digest, NANSEN_DIGEST_BYTES);

    return c != 0 ? c : lex_cmp(a->cnf, a->cnf_len, b->cnf, b->cnf_len);
}

/* Of two withdrawals with one identity the store keeps the earlier, and
 * of two at the same time the lower bytes: a choice that depends on the
 * two alone, so the union is the same in any order. */
static int preferred(const entry *a, const entry *b)
{
    if (a->iat != b->iat)
        return a->iat < b->iat;
    return lex_cmp(a->bytes, a->len, b->bytes, b->len) < 0;
}

/* Parse and verify one withdrawal into an entry that owns a copy. */
static nansen_err entry_make(nansen_ctx *ctx, entry *e, const uint8_t *in,
                             size_t in_len)
{
    wd w;
    nansen_err err;

    memset(e, 0, sizeof *e);
    if ((err = wd_parse(ctx, &w, in, in_len)) != NANSEN_OK)
        return err;
    if ((err = wd_verify_self(ctx, &w)) != NANSEN_OK)
        goto out;
    e->pub_len = sizeof e->pub;
    if ((err = nansen_key_public(w.holder, e->pub, &e->pub_len)) !=
        NANSEN_OK)
        goto out;
    if ((e->bytes = malloc(in_len)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto out;
    }
    memcpy(e->bytes, in, in_len);
    e->len = in_len;
    memcpy(e->digest, w.digest, sizeof e->digest);
    e->cnf = e->bytes + (w.cnf - in);
    e->cnf_len = w.cnf_len;
    e->iat = w.iat;
    e->exp = w.exp;
    e->type = nansen_key_get_type(w.holder);
out:
    wd_clear(&w);
    return err;
}

/* Union of the store and m incoming entries (sorted, unique). The
 * incoming entries are consumed: each ends in the store or is freed. On
 * failure nothing has changed and the caller still owns them. */
static nansen_err merge_owned(nansen_withdrawal_store *s, entry *in,
                              size_t m, size_t *added)
{
    size_t i = 0, j = 0, k = 0, total = 0, count = 0;
    entry *out;

    /* The size of the union first: refuse before touching anything. */
    while (i < s->n || j < m) {
        int c = i == s->n ? 1 : j == m ? -1 : id_cmp(&s->e[i], &in[j]);

        i += c <= 0;
        j += c >= 0;
        total++;
    }
    if (total > NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((out = malloc((total ? total : 1) * sizeof *out)) == NULL)
        return NANSEN_ERR_NOMEM;
    i = j = 0;
    while (i < s->n || j < m) {
        int c = i == s->n ? 1 : j == m ? -1 : id_cmp(&s->e[i], &in[j]);

        if (c < 0) {
            out[k++] = s->e[i++];
        } else if (c > 0) {
            out[k++] = in[j++];
            count++;
        } else if (preferred(&in[j], &s->e[i])) {
            free(s->e[i++].bytes);
            out[k++] = in[j++];
            count++;
        } else {
            free(in[j++].bytes);
            out[k++] = s->e[i++];
        }
    }
    free(s->e);
    s->e = out;
    s->n = k;
    if (added != NULL)
        *added = count;
    return NANSEN_OK;
}

nansen_err nansen_withdrawal_store_create(nansen_ctx *ctx,
                                          nansen_withdrawal_store **out)
{
    nansen_withdrawal_store *s;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL);
    if ((s = calloc(1, sizeof *s)) == NULL)
        return NANSEN_ERR_NOMEM;
    s->ctx = ctx;
    *out = s;
    return NANSEN_OK;
}

void nansen_withdrawal_store_free(nansen_withdrawal_store *store)
{
    if (store == NULL)
        return;
    entries_free(store->e, store->n);
    free(store);
}

/* A store file's entries, parsed and verified, sorted and unique. */
static nansen_err parse_store_file(nansen_ctx *ctx, const uint8_t *in,
                                   size_t len, entry **out, size_t *out_n)
{
    uint8_t check[crypto_hash_sha256_BYTES];
    nansen__cbor_item it;
    nansen__cbr r;
    const uint8_t *p;
    size_t n, i, plen;
    entry *e = NULL;
    nansen_err err;

    *out = NULL;
    *out_n = 0;
    if (len > NANSEN_WITHDRAWAL_STORE_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (len < sizeof STORE_PREFIX ||
        memcmp(in, STORE_PREFIX, sizeof STORE_PREFIX) != 0)
        return NANSEN_ERR_MALFORMED;
    /* The version before anything else: another one may differ in all
     * that follows. */
    nansen__cbr_init(&r, in + sizeof STORE_PREFIX, len - sizeof STORE_PREFIX);
    if (nansen__cbr_next(&r, &it) != NANSEN_OK || it.type != NANSEN__CBOR_UINT)
        return NANSEN_ERR_MALFORMED;
    if (it.v.u != STORE_VERSION)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    /* Integrity before meaning: the last 9 bytes are the check, a byte
     * string of 8 bytes, over everything before it. */
    if (len < sizeof STORE_PREFIX + 2 + 1 + STORE_CHECK_BYTES)
        return NANSEN_ERR_CHECKSUM;
    crypto_hash_sha256(check, in, len - 1 - STORE_CHECK_BYTES);
    if (in[len - 1 - STORE_CHECK_BYTES] != 0x40 + STORE_CHECK_BYTES ||
        memcmp(check, in + len - STORE_CHECK_BYTES, STORE_CHECK_BYTES) != 0)
        return NANSEN_ERR_CHECKSUM;
    if ((err = nansen_cbor_check(in, len, 0)) != NANSEN_OK)
        return err;

    nansen__cbr_init(&r, in, len);
    if (nansen__cbr_next(&r, &it) != NANSEN_OK ||
        it.type != NANSEN__CBOR_TAG || it.v.u != STORE_TAG ||
        nansen__cbr_array(&r, &n) != NANSEN_OK || n != 4 ||
        nansen__cbr_text(&r, (const char **)&p, &plen) != NANSEN_OK ||
        plen != sizeof STORE_MAGIC - 1 ||
        nansen__cbr_next(&r, &it) != NANSEN_OK ||
        nansen__cbr_array(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (n > NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (n > 0 && (e = calloc(n, sizeof *e)) == NULL)
        return NANSEN_ERR_NOMEM;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_bytes(&r, &p, &plen) != NANSEN_OK) {
            err = NANSEN_ERR_MALFORMED;
            goto fail;
        }
        if ((err = entry_make(ctx, &e[i], p, plen)) != NANSEN_OK)
            goto fail;
        if (i > 0) {
            int c = id_cmp(&e[i - 1], &e[i]);

            if (c >= 0) {
                /* one withdrawal per grant and key, in order */
                err = c == 0 ? NANSEN_ERR_MALFORMED
                             : NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
                i++;
                goto fail;
            }
        }
    }
    if (nansen__cbr_bytes(&r, &p, &plen) != NANSEN_OK ||
        plen != STORE_CHECK_BYTES || !nansen__cbr_done(&r)) {
        err = NANSEN_ERR_MALFORMED;
        goto fail;
    }
    *out = e;
    *out_n = n;
    return NANSEN_OK;
fail:
    entries_free(e, i);
    return err;
}

nansen_err nansen_withdrawal_store_add(nansen_withdrawal_store *store,
                                       const uint8_t *in, size_t in_len,
                                       size_t *added)
{
    entry *e = NULL, one;
    size_t n = 0;
    nansen_err err;

    if (added != NULL)
        *added = 0;
    ARG_CHECK(store != NULL && in != NULL);
    if (in_len >= 3 && memcmp(in, STORE_PREFIX, 3) == 0) {
        if ((err = parse_store_file(store->ctx, in, in_len, &e, &n)) !=
            NANSEN_OK)
            return err;
        if ((err = merge_owned(store, e, n, added)) != NANSEN_OK) {
            entries_free(e, n);
            return err;
        }
        free(e);
        return NANSEN_OK;
    }
    if ((err = entry_make(store->ctx, &one, in, in_len)) != NANSEN_OK)
        return err;
    if ((err = merge_owned(store, &one, 1, added)) != NANSEN_OK)
        free(one.bytes);
    return err;
}

nansen_err nansen_withdrawal_store_merge(nansen_withdrawal_store *dst,
                                         const nansen_withdrawal_store *src,
                                         size_t *added)
{
    entry *copy;
    size_t i;
    nansen_err err;

    if (added != NULL)
        *added = 0;
    ARG_CHECK(dst != NULL && src != NULL);
    if (dst == src || src->n == 0)
        return NANSEN_OK;
    if ((copy = calloc(src->n, sizeof *copy)) == NULL)
        return NANSEN_ERR_NOMEM;
    for (i = 0; i < src->n; i++) {
        copy[i] = src->e[i];
        if ((copy[i].bytes = malloc(src->e[i].len)) == NULL) {
            entries_free(copy, i);
            return NANSEN_ERR_NOMEM;
        }
        memcpy(copy[i].bytes, src->e[i].bytes, src->e[i].len);
        copy[i].cnf = copy[i].bytes + (src->e[i].cnf - src->e[i].bytes);
    }
    if ((err = merge_owned(dst, copy, src->n, added)) != NANSEN_OK) {
        entries_free(copy, src->n);
        return err;
    }
    free(copy);
    return NANSEN_OK;
}

nansen_err nansen_withdrawal_store_check(const nansen_withdrawal_store *store,
                                         const uint8_t *grant_digest,
                                         const nansen_key *holder_key,
                                         int64_t *withdrawn_at)
{
    uint8_t pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t pub_len = sizeof pub, lo = 0, hi;
    nansen_key_type type;

    if (withdrawn_at != NULL)
        *withdrawn_at = 0;
    ARG_CHECK(store != NULL && grant_digest != NULL && holder_key != NULL);
    if (nansen_key_public(holder_key, pub, &pub_len) != NANSEN_OK)
        return NANSEN_ERR_INVALID_ARG;
    type = nansen_key_get_type(holder_key);
    /* The first entry for this digest; the few after it are its other
     * signers. */
    hi = store->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (memcmp(store->e[mid].digest, grant_digest, NANSEN_DIGEST_BYTES) <
            0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < store->n && memcmp(store->e[lo].digest, grant_digest,
                                   NANSEN_DIGEST_BYTES) == 0;
         lo++) {
        const entry *e = &store->e[lo];

        if (e->type == type && e->pub_len == pub_len &&
            memcmp(e->pub, pub, pub_len) == 0) {
            if (withdrawn_at != NULL)
                *withdrawn_at = e->iat;
            return NANSEN_ERR_WITHDRAWN;
        }
    }
    return NANSEN_OK;
}

nansen_err nansen_withdrawal_store_check_grant(
    const nansen_withdrawal_store *store, const nansen_grant *grant,
    int64_t *withdrawn_at)
{
    const nansen_credential *cred;

    if (withdrawn_at != NULL)
        *withdrawn_at = 0;
    ARG_CHECK(store != NULL && grant != NULL);
    if ((cred = nansen_grant_credential(grant)) == NULL)
        return NANSEN_ERR_INVALID_ARG;
    return nansen_withdrawal_store_check(store, nansen_grant_digest(grant),
                                         nansen_credential_holder(cred),
                                         withdrawn_at);
}

nansen_err nansen_withdrawal_store_forget_expired(
    nansen_withdrawal_store *store, int64_t before, size_t *forgotten)
{
    size_t i, k = 0;

    if (forgotten != NULL)
        *forgotten = 0;
    ARG_CHECK(store != NULL);
    for (i = 0; i < store->n; i++) {
        if (store->e[i].exp <= before)
            free(store->e[i].bytes);
        else
            store->e[k++] = store->e[i];
    }
    if (forgotten != NULL)
        *forgotten = store->n - k;
    store->n = k;
    return NANSEN_OK;
}

size_t nansen_withdrawal_store_count(const nansen_withdrawal_store *store)
{
    return store != NULL ? store->n : 0;
}

nansen_err nansen_withdrawal_store_entry(const nansen_withdrawal_store *store,
                                         size_t i,
                                         nansen_withdrawal_entry *out)
{
    const entry *e;

    ARG_CHECK(out != NULL);
    memset(out, 0, sizeof *out);
    ARG_CHECK(store != NULL && i < store->n);
    e = &store->e[i];
    out->grant_digest = e->digest;
    out->iat = e->iat;
    out->grant_exp = e->exp;
    out->holder_type = e->type;
    out->holder_public = e->pub;
    out->holder_public_len = e->pub_len;
    out->withdrawal = e->bytes;
    out->withdrawal_len = e->len;
    return NANSEN_OK;
}

/* The store file; with buf == NULL only measures. */
static nansen_err write_store(const nansen_withdrawal_store *s, uint8_t *buf,
                              size_t cap, size_t *len)
{
    uint8_t check[crypto_hash_sha256_BYTES];
    nansen__cbw w;
    size_t i;

    nansen__cbw_init(&w, buf, cap);
    nansen__cbw_tag(&w, STORE_TAG);
    nansen__cbw_array(&w, 4);
    nansen__cbw_text(&w, STORE_MAGIC, sizeof STORE_MAGIC - 1);
    nansen__cbw_uint(&w, STORE_VERSION);
    nansen__cbw_array(&w, s->n);
    for (i = 0; i < s->n; i++)
        nansen__cbw_bytes(&w, s->e[i].bytes, s->e[i].len);
    memset(check, 0, sizeof check);
    if (buf != NULL && w.err == NANSEN_OK && w.len + 1 + STORE_CHECK_BYTES <=
                                                 cap)
        crypto_hash_sha256(check, buf, w.len);
    nansen__cbw_bytes(&w, check, STORE_CHECK_BYTES);
    return nansen__cbw_finish(&w, len);
}

nansen_err nansen_withdrawal_store_serialize(
    const nansen_withdrawal_store *store, uint8_t *out, size_t *out_len)
{
    size_t need = 0, len = 0;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (store == NULL) {
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    if ((err = write_store(store, NULL, 0, &need)) != NANSEN_OK) {
        *out_len = 0;
        return err;
    }
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    if ((err = write_store(store, out, *out_len, &len)) != NANSEN_OK) {
        sodium_memzero(out, *out_len);
        len = 0;
    }
    *out_len = len;
    return err;
}

nansen_err nansen_withdrawal_store_save(const nansen_withdrawal_store *store,
                                        const char *path, unsigned int flags)
{
    uint8_t *buf;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(store != NULL && path != NULL);
    ARG_CHECK((flags & ~(unsigned int)NANSEN_SAVE_OVERWRITE) == 0);
    if ((err = nansen_withdrawal_store_serialize(store, NULL, &len)) !=
        NANSEN_OK)
        return err;
    if ((buf = malloc(len)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen_withdrawal_store_serialize(store, buf, &len);
    if (err == NANSEN_OK)
        err = nansen__file_write_atomic(
            path, buf, len, 0600, (flags & NANSEN_SAVE_OVERWRITE) != 0);
    free(buf);
    return err;
}

/* The reading limit for a file: its size and one byte (to see it grow),
 * so that a small store does not cost a buffer of the largest. */
static size_t read_limit(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (unsigned long long)st.st_size >= NANSEN_WITHDRAWAL_STORE_MAX_BYTES)
        return NANSEN_WITHDRAWAL_STORE_MAX_BYTES;
    return (size_t)st.st_size + 1;
}

nansen_err nansen_withdrawal_store_load(nansen_ctx *ctx,
                                        nansen_withdrawal_store **out,
                                        const char *path)
{
    nansen_withdrawal_store *s = NULL;
    uint8_t *buf = NULL;
    entry *e = NULL;
    size_t len = 0, n = 0, limit;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL);
    limit = read_limit(path);
    err = nansen__file_read_secure(path, limit, &buf, &len);
    /* MALFORMED has one cause here: too long. The file may have grown
     * since it was measured; the real limit decides. */
    if (err == NANSEN_ERR_MALFORMED && limit < NANSEN_WITHDRAWAL_STORE_MAX_BYTES)
        err = nansen__file_read_secure(
            path, NANSEN_WITHDRAWAL_STORE_MAX_BYTES, &buf, &len);
    if (err == NANSEN_ERR_MALFORMED)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (err != NANSEN_OK)
        return err;
    err = parse_store_file(ctx, buf, len, &e, &n);
    sodium_free(buf);
    if (err != NANSEN_OK)
        return err;
    if ((err = nansen_withdrawal_store_create(ctx, &s)) != NANSEN_OK) {
        entries_free(e, n);
        return err;
    }
    /* A file is a sorted, unique set: it becomes the store as it is. */
    s->e = e;
    s->n = n;
    *out = s;
    return NANSEN_OK;
}
