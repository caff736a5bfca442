/* status.c - Token Status Lists (draft-ietf-oauth-status-list-20, CBOR).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * spec/status-list.md is normative. Decoders run their checks in the fixed
 * order written there, so a given input always gets the same status.
 * Inflating stops one byte past NANSEN_STATUS_LIST_MAX_BYTES: a few bytes
 * of zlib that would expand to gigabytes cost at most 2 MiB.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <sodium.h>

#include "internal/internal.h"
#include "internal/cbor.h"

#define MAX_BYTES    ((size_t)NANSEN_STATUS_LIST_MAX_BYTES)
#define MAX_ENTRIES  ((uint64_t)NANSEN_STATUS_LIST_MAX_ENTRIES)
#define URI_MAX      ((size_t)NANSEN_STATUS_URI_MAX_BYTES)
#define LENIENT_CBOR (NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM)

#define FILE_MAGIC   "nansen-status-list"
#define FILE_VERSION 1

/* Tries of plain rejection sampling before counting free indices. */
#define ALLOC_TRIES  32

struct nansen_status_list {
    uint8_t *data;         /* the byte array, len bytes */
    size_t len;
    unsigned int bits;
    uint32_t count;
    char *uri;             /* NULL for a bare decoded map */
    int writable;
    uint8_t *alloc;        /* writable: ceil(count / 8) bytes, LSB first */
    size_t alloc_len;
    uint32_t nalloc;
    int from_token;
    int64_t iat, exp;
    int has_exp, has_ttl;
    uint64_t ttl;
};

size_t nansen_status_list_max_entries(void) { return NANSEN_STATUS_LIST_MAX_ENTRIES; }
size_t nansen_status_list_max_bytes(void) { return NANSEN_STATUS_LIST_MAX_BYTES; }
size_t nansen_status_uri_max_bytes(void) { return NANSEN_STATUS_URI_MAX_BYTES; }
size_t nansen_status_token_max_bytes(void) { return NANSEN_STATUS_TOKEN_MAX_BYTES; }
size_t nansen_status_file_max_bytes(void) { return NANSEN_STATUS_FILE_MAX_BYTES; }
size_t nansen_status_claim_max_bytes(void) { return NANSEN_STATUS_CLAIM_MAX_BYTES; }

/* ---- small helpers ---- */

static int bits_ok(uint64_t bits)
{
    return bits == 1 || bits == 2 || bits == 4 || bits == 8;
}

/* Bytes of the array for count entries; 0 if past the limits. */
static size_t array_bytes(uint64_t count, unsigned int bits)
{
    uint64_t n;

    if (count == 0 || count > MAX_ENTRIES)
        return 0;
    n = (count * bits + 7) / 8;
    return n > MAX_BYTES ? 0 : (size_t)n;
}

/* A URI as spec/status-list.md narrows RFC 3986: 1..256 bytes of visible
 * ASCII (0x21-0x7E) starting with a scheme (ALPHA *(ALPHA / DIGIT / "+" /
 * "-" / ".")) and a colon. */
static int uri_ok(const char *s, size_t n)
{
    size_t i;

    if (s == NULL || n == 0 || n > URI_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (i = 1; i < n && s[i] != ':'; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
              s[i] == '.'))
            return 0;
    return i < n;
}

/* strlen, stopping after max + 1 bytes. */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;

    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

static int text_is(const char *p, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(p, lit, n) == 0;
}

static unsigned int entry_get(const uint8_t *data, unsigned int bits,
                              uint32_t i)
{
    uint64_t bit = (uint64_t)i * bits;

    return (data[bit / 8] >> (bit % 8)) & ((1u << bits) - 1u);
}

static void entry_set(uint8_t *data, unsigned int bits, uint32_t i,
                      unsigned int v)
{
    uint64_t bit = (uint64_t)i * bits;
    unsigned int mask = ((1u << bits) - 1u) << (bit % 8);

    data[bit / 8] = (uint8_t)((data[bit / 8] & ~mask) |
                              ((v << (bit % 8)) & mask));
}

static int popcount8(unsigned int b)
{
    int n = 0;

    for (; b != 0; b &= b - 1)
        n++;
    return n;
}

static int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (int)((x * 0x0101010101010101u) >> 56);
}

/* 1 if the bits of the last byte past nbits are all 0. */
static int padding_zero(const uint8_t *p, size_t len, uint64_t nbits)
{
    unsigned int used = (unsigned int)(nbits % 8);

    return used == 0 || len == 0 || (p[len - 1] >> used) == 0;
}

static nansen_status_list *list_new(void)
{
    return calloc(1, sizeof(nansen_status_list));
}

void nansen_status_list_free(nansen_status_list *list)
{
    if (list == NULL)
        return;
    free(list->data);
    free(list->alloc);
    free(list->uri);
    free(list);
}

static char *dup_text(const char *p, size_t n)
{
    char *s = malloc(n + 1);

    if (s != NULL) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* ---- the issuer's working copy ---- */

nansen_err nansen_status_list_create(nansen_ctx *ctx,
                                     nansen_status_list **out,
                                     const char *uri, unsigned int bits,
                                     uint32_t count)
{
    nansen_status_list *l;
    size_t len;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && uri != NULL && bits_ok(bits));
    ARG_CHECK(uri_ok(uri, bounded_len(uri, URI_MAX)));
    ARG_CHECK((len = array_bytes(count, bits)) != 0);
    if ((l = list_new()) == NULL)
        return NANSEN_ERR_NOMEM;
    l->bits = bits;
    l->count = count;
    l->len = len;
    l->writable = 1;
    l->alloc_len = ((size_t)count + 7) / 8;
    if ((l->data = calloc(1, len)) == NULL ||
        (l->alloc = calloc(1, l->alloc_len)) == NULL ||
        (l->uri = dup_text(uri, strlen(uri))) == NULL) {
        nansen_status_list_free(l);
        return NANSEN_ERR_NOMEM;
    }
    *out = l;
    return NANSEN_OK;
}

nansen_err nansen_status_list_get_info(const nansen_status_list *list,
                                       nansen_status_list_info *info)
{
    ARG_CHECK(info != NULL);
    memset(info, 0, sizeof *info);
    ARG_CHECK(list != NULL);
    info->uri = list->uri;
    info->bits = list->bits;
    info->count = list->count;
    info->bytes = list->len;
    info->writable = list->writable;
    info->allocated = list->nalloc;
    info->from_token = list->from_token;
    info->iat = list->iat;
    info->has_exp = list->has_exp;
    info->exp = list->exp;
    info->has_ttl = list->has_ttl;
    info->ttl = list->ttl;
    return NANSEN_OK;
}

nansen_err nansen_status_list_data(const nansen_status_list *list,
                                   const uint8_t **data, size_t *len)
{
    ARG_CHECK(data != NULL && len != NULL);
    *data = NULL;
    *len = 0;
    ARG_CHECK(list != NULL);
    *data = list->data;
    *len = list->len;
    return NANSEN_OK;
}

nansen_err nansen_status_list_get(const nansen_status_list *list,
                                  uint32_t index, uint8_t *value)
{
    ARG_CHECK(value != NULL);
    *value = 0;
    ARG_CHECK(list != NULL && index < list->count);
    *value = (uint8_t)entry_get(list->data, list->bits, index);
    return NANSEN_OK;
}

nansen_err nansen_status_list_set(nansen_status_list *list, uint32_t index,
                                  uint8_t value)
{
    ARG_CHECK(list != NULL && list->writable && index < list->count);
    ARG_CHECK((unsigned int)value < (1u << list->bits));
    entry_set(list->data, list->bits, index, value);
    return NANSEN_OK;
}

nansen_err nansen_status_list_is_allocated(const nansen_status_list *list,
                                           uint32_t index, int *allocated)
{
    ARG_CHECK(allocated != NULL);
    *allocated = 0;
    ARG_CHECK(list != NULL && list->writable && index < list->count);
    *allocated = (list->alloc[index / 8] >> (index % 8)) & 1;
    return NANSEN_OK;
}

/* The k-th (from 0) unallocated index; k < count - nalloc. Whole 64-bit
 * words of the bitmap are skipped by their population count. */
static uint32_t kth_free(const nansen_status_list *l, uint32_t k)
{
    size_t i = 0, words = l->alloc_len / 8;
    uint32_t idx;

    for (; i < words; i++) {
        uint64_t w;
        int nfree;

        memcpy(&w, l->alloc + 8 * i, 8);
        /* padding bits past count are 0 but not free: count them out */
        nfree = 64 - popcount64(w);
        if ((uint64_t)(i + 1) * 64 > l->count)
            nfree -= (int)((uint64_t)(i + 1) * 64 - l->count);
        if ((uint32_t)nfree > k)
            break;
        k -= (uint32_t)nfree;
    }
    for (i *= 8; i < l->alloc_len; i++) {
        unsigned int b = l->alloc[i];
        int nfree = 8 - popcount8(b), j;

        if ((uint64_t)(i + 1) * 8 > l->count)
            nfree -= (int)((uint64_t)(i + 1) * 8 - l->count);
        if ((uint32_t)nfree > k) {
            for (j = 0; j < 8; j++)
                if (!((b >> j) & 1u) && k-- == 0)
                    break;
            idx = (uint32_t)(i * 8 + (size_t)j);
            return idx;
        }
        k -= (uint32_t)nfree;
    }
    return l->count;    /* not reached when k is in range */
}

nansen_err nansen_status_list_allocate(nansen_status_list *list,
                                       uint32_t *index)
{
    uint32_t idx = 0, nfree;
    int t, found = 0;

    ARG_CHECK(index != NULL);
    *index = 0;
    ARG_CHECK(list != NULL && list->writable && list->nalloc < list->count);
    nfree = list->count - list->nalloc;
    /* Uniform over [0, count) until a free index comes up: uniform over
     * the free ones. When few are left, pick the k-th free one with k
     * uniform: uniform too, so the mixture is. */
    for (t = 0; t < ALLOC_TRIES && !found; t++) {
        idx = randombytes_uniform(list->count);
        found = !((list->alloc[idx / 8] >> (idx % 8)) & 1);
    }
    if (!found)
        idx = kth_free(list, randombytes_uniform(nfree));
    if (idx >= list->count)
        return NANSEN_ERR_INVALID_ARG;      /* bitmap inconsistent: never */
    list->alloc[idx / 8] |= (uint8_t)(1u << (idx % 8));
    list->nalloc++;
    *index = idx;
    return NANSEN_OK;
}

/* ---- compression ---- */

/* zlib level 9 with zlib's defaults: the same bytes every time with a
 * given zlib (spec/status-list.md says which versions match the draft). */
static nansen_err deflate_list(const nansen_status_list *l, uint8_t **z,
                               size_t *zlen)
{
    uLongf n = compressBound((uLong)l->len);

    *z = NULL;
    *zlen = 0;
    if ((*z = malloc(n)) == NULL)
        return NANSEN_ERR_NOMEM;
    if (compress2(*z, &n, l->data, (uLong)l->len, Z_BEST_COMPRESSION) !=
        Z_OK) {
        free(*z);
        *z = NULL;
        return NANSEN_ERR_NOMEM;        /* the only failure left */
    }
    *zlen = n;
    return NANSEN_OK;
}

/* Inflate one whole zlib stream (RFC 1950) of 1..MAX_BYTES bytes into a
 * new buffer. */
static nansen_err inflate_list(uint8_t **out, size_t *out_len,
                               const uint8_t *in, size_t in_len)
{
    z_stream s;
    uint8_t *buf, *shrunk;
    nansen_err err;
    int ret;

    *out = NULL;
    *out_len = 0;
    if (in_len == 0 || in_len > UINT32_MAX)
        return NANSEN_ERR_BAD_COMPRESSION;
    if ((buf = malloc(MAX_BYTES + 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) {
        free(buf);
        return NANSEN_ERR_NOMEM;
    }
    s.next_in = (Bytef *)(uintptr_t)in;     /* zlib does not write it */
    s.avail_in = (uInt)in_len;
    s.next_out = buf;
    s.avail_out = (uInt)(MAX_BYTES + 1);
    do
        ret = inflate(&s, Z_NO_FLUSH);
    while (ret == Z_OK);
    if (s.total_out > MAX_BYTES)
        err = NANSEN_ERR_CBOR_TOO_LARGE;    /* whatever follows */
    else if (ret == Z_STREAM_END)
        err = s.avail_in == 0 ? NANSEN_OK : NANSEN_ERR_BAD_COMPRESSION;
    else if (ret == Z_MEM_ERROR)
        err = NANSEN_ERR_NOMEM;
    else    /* truncated (Z_BUF_ERROR), corrupt, or wants a dictionary */
        err = NANSEN_ERR_BAD_COMPRESSION;
    if (err == NANSEN_OK && s.total_out == 0)
        err = NANSEN_ERR_BAD_LENGTH;
    if (err == NANSEN_OK) {
        *out_len = (size_t)s.total_out;
        shrunk = realloc(buf, *out_len);
        *out = shrunk != NULL ? shrunk : buf;
    } else {
        free(buf);
    }
    inflateEnd(&s);
    return err;
}

/* ---- the StatusList map ---- */

static void write_map(nansen__cbw *w, unsigned int bits, const uint8_t *z,
                      size_t zlen)
{
    nansen__cbw_map(w, 2);
    nansen__cbw_text(w, "bits", 4);
    nansen__cbw_uint(w, bits);
    nansen__cbw_text(w, "lst", 3);
    nansen__cbw_bytes(w, z, zlen);
    nansen__cbw_map_end(w);
}

nansen_err nansen_status_list_encode(uint8_t *out, size_t *out_len,
                                     const nansen_status_list *list)
{
    uint8_t *z = NULL;
    size_t zlen = 0, need = 0, len;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (list == NULL) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    if ((err = deflate_list(list, &z, &zlen)) != NANSEN_OK)
        goto fail;
    nansen__cbw_init(&w, NULL, 0);
    write_map(&w, list->bits, z, zlen);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        goto fail;
    if (nansen__size_query(&err, out, out_len, need))
        goto done;
    nansen__cbw_init(&w, out, *out_len);
    write_map(&w, list->bits, z, zlen);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK)
        goto fail;
    *out_len = len;
    goto done;
fail:
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
done:
    free(z);
    return err;
}

/* Read a StatusList map at r into l (data, len, bits, count). The map
 * has "bits" and "lst", and "aggregation_uri" (text, ignored) at most. */
static nansen_err read_status_list(nansen__cbr *r, nansen_status_list *l)
{
    const uint8_t *lst = NULL;
    size_t n, i, lst_len = 0;
    uint64_t bits = 0;
    int have_bits = 0;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        const char *k, *t;
        size_t klen, tlen;
        nansen__cbor_item it;

        if (nansen__cbr_text(r, &k, &klen) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (text_is(k, klen, "bits")) {
            if (nansen__cbr_next(r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT)
                return NANSEN_ERR_MALFORMED;
            bits = it.v.u;
            have_bits = 1;
        } else if (text_is(k, klen, "lst")) {
            if (nansen__cbr_bytes(r, &lst, &lst_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        } else if (text_is(k, klen, "aggregation_uri")) {
            if (nansen__cbr_text(r, &t, &tlen) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        } else {
            return NANSEN_ERR_MALFORMED;
        }
    }
    if (!have_bits || lst == NULL)
        return NANSEN_ERR_MALFORMED;
    if (!bits_ok(bits))
        return NANSEN_ERR_OUT_OF_RANGE;
    if ((err = inflate_list(&l->data, &l->len, lst, lst_len)) != NANSEN_OK)
        return err;
    l->bits = (unsigned int)bits;
    l->count = (uint32_t)(l->len * 8 / l->bits);
    return NANSEN_OK;
}

nansen_err nansen_status_list_decode(nansen_ctx *ctx,
                                     nansen_status_list **out,
                                     const uint8_t *in, size_t in_len,
                                     unsigned int flags)
{
    nansen_status_list *l;
    nansen__cbr r;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && (in != NULL || in_len == 0));
    ARG_CHECK((flags & ~NANSEN_STATUS_LENIENT) == 0);
    if (in_len > NANSEN_STATUS_TOKEN_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cbor_check(in, in_len,
                                 (flags & NANSEN_STATUS_LENIENT)
                                     ? LENIENT_CBOR : 0)) != NANSEN_OK)
        return err;
    if ((l = list_new()) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbr_init(&r, in, in_len);
    if ((err = read_status_list(&r, l)) != NANSEN_OK) {
        nansen_status_list_free(l);
        return err;
    }
    *out = l;
    return NANSEN_OK;
}

/* ---- the Status List Token ---- */

static void write_claims(nansen__cbw *w, const nansen_status_list *l,
                         const nansen_status_sign_params *p,
                         const uint8_t *z, size_t zlen)
{
    nansen__cbw_map(w, 3 + (p->exp != 0) + (p->ttl != 0));
    nansen__cbw_uint(w, 2);                     /* sub */
    nansen__cbw_text(w, l->uri, strlen(l->uri));
    nansen__cbw_uint(w, 6);                     /* iat */
    nansen__cbw_int(w, p->iat);
    if (p->exp != 0) {
        nansen__cbw_uint(w, 4);                 /* exp */
        nansen__cbw_int(w, p->exp);
    }
    if (p->ttl != 0) {
        nansen__cbw_uint(w, NANSEN_CWT_TTL);
        nansen__cbw_uint(w, p->ttl);
    }
    nansen__cbw_uint(w, NANSEN_CWT_STATUS_LIST);
    write_map(w, l->bits, z, zlen);
    nansen__cbw_map_end(w);
}

nansen_err nansen_status_list_sign(nansen_ctx *ctx, uint8_t *out,
                                   size_t *out_len,
                                   const nansen_status_list *list,
                                   const nansen_key *key,
                                   const nansen_status_sign_params *params)
{
    static const char typ[] = NANSEN_STATUS_LIST_TYP;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    uint8_t *z = NULL, *payload = NULL;
    size_t zlen = 0, plen = 0, cap;
    nansen_cose_sign1_params cp;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || list == NULL || key == NULL || params == NULL ||
        list->uri == NULL || params->iat <= 0 ||
        (params->exp != 0 && params->exp <= params->iat)) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    if (!nansen_key_has_secret(key)) {
        err = NANSEN_ERR_NO_SECRET_KEY;
        goto fail;
    }
    if ((err = deflate_list(list, &z, &zlen)) != NANSEN_OK)
        goto fail;
    nansen__cbw_init(&w, NULL, 0);
    write_claims(&w, list, params, z, zlen);
    if ((err = nansen__cbw_finish(&w, &plen)) != NANSEN_OK)
        goto fail;
    if ((payload = malloc(plen)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto fail;
    }
    nansen__cbw_init(&w, payload, plen);
    write_claims(&w, list, params, z, zlen);
    if ((err = nansen__cbw_finish(&w, &plen)) != NANSEN_OK)
        goto fail;
    if ((err = nansen_key_id(key, kid)) != NANSEN_OK)
        goto fail;
    memset(&cp, 0, sizeof cp);
    cp.kid = kid;
    cp.kid_len = sizeof kid;
    cp.typ.present = 1;
    cp.typ.text = typ;
    cp.typ.text_len = sizeof typ - 1;
    err = nansen_cose_sign1_sign(ctx, out, out_len, key, &cp, payload, plen,
                                 NULL, 0);
    free(z);
    free(payload);
    return err;     /* nansen_cose_sign1_sign kept the buffer rules */
fail:
    free(z);
    free(payload);
    if (out != NULL)
        sodium_memzero(out, cap);
    *out_len = 0;
    return err;
}

/* Header labels a Nansen list token may carry: all protected. */
static nansen_err check_headers(const nansen_cose_sign1 *m)
{
    nansen__cbr r;
    size_t n, i;
    int64_t label;

    if (m->kid == NULL || !m->kid_protected ||
        m->kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_BAD_HEADER;
    if (m->unprotected_map_len > 1)     /* anything but the empty map */
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    nansen__cbr_init(&r, m->protected_map, m->protected_map_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(&r, &label) != NANSEN_OK ||
            (label != NANSEN_COSE_HDR_ALG && label != NANSEN_COSE_HDR_KID &&
             label != NANSEN_COSE_HDR_TYP))
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
    }
    return NANSEN_OK;
}

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || *t <= 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* The claims: sub, iat, status_list required; exp, ttl optional; any other
 * claim is skipped (the draft allows them; none can make a listed status
 * better). */
static nansen_err read_claims(nansen_status_list *l, const uint8_t *p,
                              size_t len, unsigned int flags)
{
    const uint8_t *sl = NULL;
    const char *sub = NULL;
    size_t n, i, sub_len = 0, sl_len = 0;
    int have_iat = 0;
    nansen__cbr r;
    nansen_err err;

    if ((err = nansen_cbor_check(p, len, (flags & NANSEN_STATUS_LENIENT)
                                             ? LENIENT_CBOR : 0)) !=
        NANSEN_OK)
        return err;
    nansen__cbr_init(&r, p, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        nansen__cbor_item key;

        if (nansen__cbr_next(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (key.type != NANSEN__CBOR_UINT) {
            if (key.type != NANSEN__CBOR_NINT && key.type != NANSEN__CBOR_TEXT)
                return NANSEN_ERR_MALFORMED;    /* claim keys: int / tstr */
            if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            continue;
        }
        switch (key.v.u) {
        case 2:
            if (nansen__cbr_text(&r, &sub, &sub_len) != NANSEN_OK ||
                !uri_ok(sub, sub_len))
                return NANSEN_ERR_MALFORMED;
            break;
        case 4:
            if ((err = read_time(&r, &l->exp)) != NANSEN_OK)
                return err;
            l->has_exp = 1;
            break;
        case 6:
            if ((err = read_time(&r, &l->iat)) != NANSEN_OK)
                return err;
            have_iat = 1;
            break;
        case NANSEN_CWT_TTL: {
            nansen__cbor_item it;

            if (nansen__cbr_next(&r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT || it.v.u == 0)
                return NANSEN_ERR_MALFORMED;
            l->ttl = it.v.u;
            l->has_ttl = 1;
            break;
        }
        case NANSEN_CWT_STATUS_LIST:
            if (nansen__cbr_skip(&r, &sl, &sl_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
            break;
        default:
            if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        }
    }
    if (sub == NULL || !have_iat || sl == NULL)
        return NANSEN_ERR_MALFORMED;
    if (l->has_exp && l->exp <= l->iat)
        return NANSEN_ERR_MALFORMED;
    /* the list last: inflating is the costly step */
    nansen__cbr_init(&r, sl, sl_len);
    if ((err = read_status_list(&r, l)) != NANSEN_OK)
        return err;
    if ((l->uri = dup_text(sub, sub_len)) == NULL)
        return NANSEN_ERR_NOMEM;
    l->from_token = 1;
    return NANSEN_OK;
}

static nansen_err token_decode(nansen_ctx *ctx, nansen_status_list **out,
                               const nansen_key *key, const uint8_t *token,
                               size_t token_len, unsigned int flags)
{
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    nansen_cose_sign1 m;
    nansen_status_list *l;
    nansen_err err;

    if (token_len > NANSEN_STATUS_TOKEN_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (flags & NANSEN_STATUS_LENIENT)
        opts.flags |= NANSEN_COSE_LENIENT_CBOR;
    if ((err = nansen_cose_sign1_parse(&m, token, token_len, &opts)) !=
        NANSEN_OK)
        return err;
    if (!m.typ.present || m.typ.text == NULL ||
        !text_is(m.typ.text, m.typ.text_len, NANSEN_STATUS_LIST_TYP))
        return NANSEN_ERR_WRONG_TYPE;
    if (!(flags & NANSEN_STATUS_LENIENT) &&
        (err = check_headers(&m)) != NANSEN_OK)
        return err;
    /* the signature before the payload: only a trusted issuer's bytes
     * are inflated */
    if (key != NULL &&
        (err = nansen__cose_sign1_verify_parsed(ctx, &m, key, NULL, 0)) !=
            NANSEN_OK)
        return err;
    if ((l = list_new()) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = read_claims(l, m.payload, m.payload_len, flags)) !=
        NANSEN_OK) {
        nansen_status_list_free(l);
        return err;
    }
    *out = l;
    return NANSEN_OK;
}

nansen_err nansen_status_list_verify(nansen_ctx *ctx,
                                     nansen_status_list **out,
                                     const nansen_key *key,
                                     const uint8_t *token, size_t token_len)
{
    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && key != NULL && (token != NULL || token_len == 0));
    return token_decode(ctx, out, key, token, token_len, 0);
}

nansen_err nansen_status_list_parse(nansen_ctx *ctx,
                                    nansen_status_list **out,
                                    const uint8_t *token, size_t token_len,
                                    unsigned int flags)
{
    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && (token != NULL || token_len == 0));
    ARG_CHECK((flags & ~NANSEN_STATUS_LENIENT) == 0);
    return token_decode(ctx, out, NULL, token, token_len, flags);
}

/* ---- freshness ---- */

static int64_t sat_sub(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

nansen_err nansen_status_list_check_fresh(const nansen_status_list *list,
                                          int64_t now, int64_t max_age,
                                          int64_t *age)
{
    int64_t a;
    int stale = 0;

    if (age != NULL)
        *age = 0;
    ARG_CHECK(list != NULL && list->from_token);
    a = sat_sub(now, list->iat);
    if (list->has_exp && now >= list->exp)
        stale = 1;
    /* now >= iat + ttl, without computing iat + ttl (it may not fit) */
    if (list->has_ttl && a >= 0 && (uint64_t)a >= list->ttl)
        stale = 1;
    if (max_age >= 0 && a > max_age)
        stale = 1;
    if (age != NULL)
        *age = a;
    return stale ? NANSEN_ERR_STALE : NANSEN_OK;
}

/* ---- the issuer's file ---- */

static void write_body(nansen__cbw *w, const nansen_status_list *l)
{
    nansen__cbw_map(w, 5);
    nansen__cbw_text(w, "uri", 3);
    nansen__cbw_text(w, l->uri, strlen(l->uri));
    nansen__cbw_text(w, "bits", 4);
    nansen__cbw_uint(w, l->bits);
    nansen__cbw_text(w, "n", 1);
    nansen__cbw_uint(w, l->count);
    nansen__cbw_text(w, "status", 6);
    nansen__cbw_bytes(w, l->data, l->len);
    nansen__cbw_text(w, "allocated", 9);
    nansen__cbw_bytes(w, l->alloc, l->alloc_len);
    nansen__cbw_map_end(w);
}

static void write_file(nansen__cbw *w, const uint8_t *body, size_t body_len,
                       const uint8_t check[crypto_hash_sha256_BYTES])
{
    nansen__cbw_array(w, 4);
    nansen__cbw_text(w, FILE_MAGIC, sizeof FILE_MAGIC - 1);
    nansen__cbw_uint(w, FILE_VERSION);
    nansen__cbw_bytes(w, body, body_len);
    nansen__cbw_bytes(w, check, crypto_hash_sha256_BYTES);
}

nansen_err nansen_status_list_export(uint8_t *out, size_t *out_len,
                                     const nansen_status_list *list)
{
    uint8_t check[crypto_hash_sha256_BYTES], *body = NULL;
    size_t body_len = 0, need = 0, len;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (list == NULL || !list->writable) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    nansen__cbw_init(&w, NULL, 0);
    write_body(&w, list);
    if ((err = nansen__cbw_finish(&w, &body_len)) != NANSEN_OK)
        goto fail;
    if ((body = malloc(body_len)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto fail;
    }
    nansen__cbw_init(&w, body, body_len);
    write_body(&w, list);
    if ((err = nansen__cbw_finish(&w, &body_len)) != NANSEN_OK)
        goto fail;
    crypto_hash_sha256(check, body, body_len);
    nansen__cbw_init(&w, NULL, 0);
    write_file(&w, body, body_len, check);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        goto fail;
    if (nansen__size_query(&err, out, out_len, need))
        goto done;
    nansen__cbw_init(&w, out, *out_len);
    write_file(&w, body, body_len, check);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK)
        goto fail;
    *out_len = len;
    goto done;
fail:
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
done:
    free(body);
    return err;
}

/* The body map: exactly uri, bits, n, status, allocated. */
static nansen_err read_body(nansen_status_list *l, const uint8_t *p,
                            size_t len)
{
    const uint8_t *status = NULL, *alloc = NULL;
    const char *uri = NULL;
    size_t n, i, status_len = 0, alloc_len = 0, uri_len = 0, k;
    uint64_t bits = 0, count = 0;
    int have_bits = 0, have_n = 0;
    nansen__cbr r;
    nansen_err err;

    if ((err = nansen_cbor_check(p, len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, p, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK || n != 5)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        nansen__cbor_item it;

        if (nansen__cbr_text(&r, &key, &klen) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (text_is(key, klen, "uri")) {
            if (nansen__cbr_text(&r, &uri, &uri_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        } else if (text_is(key, klen, "bits") || text_is(key, klen, "n")) {
            if (nansen__cbr_next(&r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT)
                return NANSEN_ERR_MALFORMED;
            if (klen == 1) {
                count = it.v.u;
                have_n = 1;
            } else {
                bits = it.v.u;
                have_bits = 1;
            }
        } else if (text_is(key, klen, "status")) {
            if (nansen__cbr_bytes(&r, &status, &status_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        } else if (text_is(key, klen, "allocated")) {
            if (nansen__cbr_bytes(&r, &alloc, &alloc_len) != NANSEN_OK)
                return NANSEN_ERR_MALFORMED;
        } else {
            return NANSEN_ERR_MALFORMED;
        }
    }
    if (uri == NULL || !have_bits || !have_n || status == NULL ||
        alloc == NULL)
        return NANSEN_ERR_MALFORMED;    /* five keys, no repeats: never */
    if (!bits_ok(bits) || array_bytes(count, (unsigned int)bits) == 0)
        return NANSEN_ERR_OUT_OF_RANGE;
    if (status_len != array_bytes(count, (unsigned int)bits) ||
        alloc_len != (size_t)((count + 7) / 8))
        return NANSEN_ERR_BAD_LENGTH;
    if (!padding_zero(status, status_len, count * bits) ||
        !padding_zero(alloc, alloc_len, count) || !uri_ok(uri, uri_len))
        return NANSEN_ERR_MALFORMED;
    l->bits = (unsigned int)bits;
    l->count = (uint32_t)count;
    l->len = status_len;
    l->alloc_len = alloc_len;
    l->writable = 1;
    if ((l->data = malloc(status_len)) == NULL ||
        (l->alloc = malloc(alloc_len)) == NULL ||
        (l->uri = dup_text(uri, uri_len)) == NULL)
        return NANSEN_ERR_NOMEM;
    memcpy(l->data, status, status_len);
    memcpy(l->alloc, alloc, alloc_len);
    for (k = 0; k < alloc_len; k++)
        l->nalloc += (uint32_t)popcount8(alloc[k]);
    return NANSEN_OK;
}

nansen_err nansen_status_list_import(nansen_ctx *ctx,
                                     nansen_status_list **out,
                                     const uint8_t *in, size_t in_len)
{
    uint8_t check[crypto_hash_sha256_BYTES];
    const uint8_t *body, *sum;
    const char *magic;
    size_t n, body_len, sum_len, magic_len;
    nansen_status_list *l;
    nansen__cbor_item it;
    nansen__cbr r;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && (in != NULL || in_len == 0));
    if (in_len > NANSEN_STATUS_FILE_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cbor_check(in, in_len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, in, in_len);
    if (nansen__cbr_array(&r, &n) != NANSEN_OK || n != 4 ||
        nansen__cbr_text(&r, &magic, &magic_len) != NANSEN_OK ||
        !text_is(magic, magic_len, FILE_MAGIC))
        return NANSEN_ERR_WRONG_TYPE;
    if (nansen__cbr_next(&r, &it) != NANSEN_OK || it.type != NANSEN__CBOR_UINT)
        return NANSEN_ERR_MALFORMED;
    if (it.v.u != FILE_VERSION)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    if (nansen__cbr_bytes(&r, &body, &body_len) != NANSEN_OK ||
        nansen__cbr_bytes(&r, &sum, &sum_len) != NANSEN_OK ||
        sum_len != sizeof check)
        return NANSEN_ERR_MALFORMED;
    /* integrity before meaning */
    crypto_hash_sha256(check, body, body_len);
    if (memcmp(check, sum, sizeof check) != 0)
        return NANSEN_ERR_CHECKSUM;
    if ((l = list_new()) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = read_body(l, body, body_len)) != NANSEN_OK) {
        nansen_status_list_free(l);
        return err;
    }
    *out = l;
    return NANSEN_OK;
}

nansen_err nansen_status_list_save(const nansen_status_list *list,
                                   const char *path, unsigned int flags)
{
    uint8_t *buf;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(list != NULL && list->writable && path != NULL);
    ARG_CHECK((flags & ~NANSEN_STATUS_SAVE_OVERWRITE) == 0);
    if ((err = nansen_status_list_export(NULL, &len, list)) != NANSEN_OK)
        return err;
    if ((buf = malloc(len)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen_status_list_export(buf, &len, list);
    if (err == NANSEN_OK)
        err = nansen__file_write_atomic(
            path, buf, len, 0600, (flags & NANSEN_STATUS_SAVE_OVERWRITE) != 0);
    free(buf);
    return err;
}

nansen_err nansen_status_list_load(nansen_ctx *ctx, nansen_status_list **out,
                                   const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL);
    err = nansen__file_read_secure(path, NANSEN_STATUS_FILE_MAX_BYTES, &buf,
                                   &len);
    if (err == NANSEN_ERR_MALFORMED)    /* its only meaning: too long */
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (err != NANSEN_OK)
        return err;
    err = nansen_status_list_import(ctx, out, buf, len);
    sodium_free(buf);
    return err;
}

/* ---- the status claim (65535) ---- */

static void write_claim(nansen__cbw *w, const char *uri, size_t uri_len,
                        uint64_t idx)
{
    nansen__cbw_map(w, 1);
    nansen__cbw_text(w, "status_list", 11);
    nansen__cbw_map(w, 2);
    nansen__cbw_text(w, "idx", 3);
    nansen__cbw_uint(w, idx);
    nansen__cbw_text(w, "uri", 3);
    nansen__cbw_text(w, uri, uri_len);
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

nansen_err nansen_status_claim_encode(uint8_t *out, size_t *out_len,
                                      const char *uri, uint64_t idx)
{
    size_t uri_len, need = 0, len;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (uri == NULL || idx >= MAX_ENTRIES ||
        !uri_ok(uri, uri_len = bounded_len(uri, URI_MAX))) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    nansen__cbw_init(&w, NULL, 0);
    write_claim(&w, uri, uri_len, idx);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        goto fail;
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    nansen__cbw_init(&w, out, *out_len);
    write_claim(&w, uri, uri_len, idx);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK)
        goto fail;
    *out_len = len;
    return NANSEN_OK;
fail:
    if (out != NULL)
        memset(out, 0, *out_len);
    *out_len = 0;
    return err;
}

static nansen_err read_status_list_info(nansen__cbr *r, nansen_status_ref *ref)
{
    size_t n, i;
    int have_idx = 0;

    if (nansen__cbr_map(r, &n) != NANSEN_OK || n != 2)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        const char *k;
        size_t klen;
        nansen__cbor_item it;

        if (nansen__cbr_text(r, &k, &klen) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (text_is(k, klen, "idx")) {
            if (nansen__cbr_next(r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT)
                return NANSEN_ERR_MALFORMED;
            ref->idx = it.v.u;
            have_idx = 1;
        } else if (text_is(k, klen, "uri")) {
            if (nansen__cbr_text(r, &ref->uri, &ref->uri_len) != NANSEN_OK ||
                !uri_ok(ref->uri, ref->uri_len))
                return NANSEN_ERR_MALFORMED;
        } else {
            return NANSEN_ERR_MALFORMED;
        }
    }
    return have_idx && ref->uri != NULL ? NANSEN_OK : NANSEN_ERR_MALFORMED;
}

nansen_err nansen_status_claim_decode(nansen_status_ref *out,
                                      const uint8_t *in, size_t in_len)
{
    nansen__cbr r;
    size_t n, i;
    int found = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    memset(out, 0, sizeof *out);
    ARG_CHECK(in != NULL || in_len == 0);
    if (in_len > NANSEN_STATUS_CLAIM_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cbor_check(in, in_len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, in, in_len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK || n == 0)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n && err == NANSEN_OK; i++) {
        const char *k;
        size_t klen;

        if (nansen__cbr_text(&r, &k, &klen) != NANSEN_OK)
            err = NANSEN_ERR_MALFORMED;
        else if (text_is(k, klen, "status_list")) {
            err = read_status_list_info(&r, out);
            found = 1;
        } else if (nansen__cbr_skip(&r, NULL, NULL) != NANSEN_OK) {
            err = NANSEN_ERR_MALFORMED;     /* another mechanism: skipped */
        }
    }
    if (err == NANSEN_OK && !found)
        err = NANSEN_ERR_UNSUPPORTED_VERSION;
    if (err != NANSEN_OK)
        memset(out, 0, sizeof *out);
    return err;
}
