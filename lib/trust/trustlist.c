/* trustlist.c - the trust list: build, sign, decode, verify, query, store.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * spec/trust-list.md is the format. Everything read is first checked as
 * deterministic CBOR and every key must be in its one canonical COSE_Key
 * form, so a list has exactly one encoding: decoding and signing again
 * gives the same payload bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"

#define TL_KEY_SEQUENCE 1
#define TL_KEY_ENTRIES 2
#define TL_KEY_PROFILE 0
#define ENTRY_KEY 1
#define ENTRY_NAME 2
#define ENTRY_ROLES 3
#define ENTRY_NBF 4
#define ENTRY_EXP 5
/* The canonical COSE_Key of a public key is at most 42 bytes (secp256k1:
 * kty, crv, x and the sign of y); anything longer is not canonical. */
#define CANON_KEY_MAX 64
#define REGISTERED_ROLES                                                    \
    (NANSEN_ROLE_BIT(NANSEN_ROLE_NGO) | NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC) | \
     NANSEN_ROLE_BIT(NANSEN_ROLE_STATUS_ISSUER) |                           \
     NANSEN_ROLE_BIT(NANSEN_ROLE_INTERPRETER))

typedef struct tl_entry {
    nansen_key *key;                   /* public only */
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char *name;                        /* NUL-terminated copy */
    size_t name_len;
    uint32_t roles;
    int64_t nbf, exp;                  /* 0: absent */
    uint8_t cose_key[CANON_KEY_MAX];   /* canonical COSE_Key */
    size_t cose_key_len;
} tl_entry;

struct nansen_trustlist {
    tl_entry *entries;                 /* ascending by kid */
    size_t count, cap;
    uint64_t sequence;
    char *issuer;                      /* NULL if none */
    size_t issuer_len;
    int64_t iat, exp;                  /* signed lists only; exp 0: none */
    uint8_t *bytes;                    /* the signed list; NULL: draft */
    size_t len;
    uint8_t gov_kid[NANSEN_KEY_ID_BYTES];
    nansen_key *governance;            /* verified with; NULL otherwise */
};

size_t nansen_trustlist_max_entries(void)
{
    return NANSEN_TRUSTLIST_MAX_ENTRIES;
}

size_t nansen_trustlist_name_max_bytes(void)
{
    return NANSEN_TRUSTLIST_NAME_MAX_BYTES;
}

size_t nansen_trustlist_max_bytes(void)
{
    return NANSEN_TRUSTLIST_MAX_BYTES;
}

/* ---- roles and results ---- */

static const char *const role_names[NANSEN_ROLE_LAST + 1] = {
    NULL, "ngo", "clinic", "status-issuer", "interpreter-service"};

const char *nansen_role_name(nansen_role role)
{
    if ((int)role < NANSEN_ROLE_FIRST || (int)role > NANSEN_ROLE_LAST)
        return NULL;
    return role_names[role];
}

nansen_err nansen_role_from_name(const char *name, size_t name_len,
                                 nansen_role *role)
{
    int r;

    ARG_CHECK(name != NULL && role != NULL);
    for (r = NANSEN_ROLE_FIRST; r <= NANSEN_ROLE_LAST; r++) {
        if (strlen(role_names[r]) == name_len &&
            memcmp(role_names[r], name, name_len) == 0) {
            *role = (nansen_role)r;
            return NANSEN_OK;
        }
    }
    return NANSEN_ERR_INVALID_ARG;
}

const char *nansen_trust_result_name(nansen_trust_result result)
{
    switch (result) {
    case NANSEN_TRUST_OK:            return "ok";
    case NANSEN_TRUST_NOT_LISTED:    return "not_listed";
    case NANSEN_TRUST_WRONG_ROLE:    return "wrong_role";
    case NANSEN_TRUST_NOT_YET_VALID: return "not_yet_valid";
    case NANSEN_TRUST_ENTRY_EXPIRED: return "entry_expired";
    case NANSEN_TRUST_LIST_EXPIRED:  return "list_expired";
    }
    return NULL;
}

/* ---- the object ---- */

static int name_ok(const void *s, size_t n)
{
    return n >= 1 && n <= NANSEN_TRUSTLIST_NAME_MAX_BYTES &&
           nansen__claim_text_ok((const uint8_t *)s, n);
}

static char *copy_text(const void *s, size_t n)
{
    char *t = malloc(n + 1);

    if (t != NULL) {
        memcpy(t, s, n);
        t[n] = '\0';
    }
    return t;
}

static void entry_clear(tl_entry *e)
{
    nansen_key_free(e->key);
    free(e->name);
    memset(e, 0, sizeof *e);
}

/* Forget the signature: a changed list is a draft again. */
static void make_draft(nansen_trustlist *tl)
{
    free(tl->bytes);
    tl->bytes = NULL;
    tl->len = 0;
    nansen_key_free(tl->governance);
    tl->governance = NULL;
    memset(tl->gov_kid, 0, sizeof tl->gov_kid);
    tl->iat = 0;
    tl->exp = 0;
}

void nansen_trustlist_free(nansen_trustlist *list)
{
    size_t i;

    if (list == NULL)
        return;
    /* Entries are cleared up to cap: a partly decoded entry is freed too. */
    for (i = 0; i < list->cap; i++)
        entry_clear(&list->entries[i]);
    free(list->entries);
    free(list->issuer);
    make_draft(list);
    free(list);
}

nansen_err nansen_trustlist_create(nansen_ctx *ctx, nansen_trustlist **out)
{
    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL);
    if ((*out = calloc(1, sizeof **out)) == NULL)
        return NANSEN_ERR_NOMEM;
    return NANSEN_OK;
}

/* Index of the entry with this kid, or -1; *at gets where it would go. */
static long search(const nansen_trustlist *tl, const uint8_t *kid,
                   size_t *at)
{
    size_t lo = 0, hi = tl->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(tl->entries[mid].kid, kid, NANSEN_KEY_ID_BYTES);

        if (c == 0) {
            if (at != NULL)
                *at = mid;
            return (long)mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (at != NULL)
        *at = lo;
    return -1;
}

/* The entry named by kid or key (exactly one), or NULL. */
static const tl_entry *lookup(const nansen_trustlist *tl, const uint8_t *kid,
                              const nansen_key *key)
{
    uint8_t id[NANSEN_KEY_ID_BYTES];
    const tl_entry *e;
    long i;

    if (key != NULL) {
        if (nansen_key_id(key, id) != NANSEN_OK)
            return NULL;
        kid = id;
    }
    if ((i = search(tl, kid, NULL)) < 0)
        return NULL;
    e = &tl->entries[i];
    /* A key must be the listed key, not only share its 64-bit id. */
    if (key != NULL && !nansen_key_equal(e->key, key))
        return NULL;
    return e;
}

static void entry_view(nansen_trustlist_entry *v, const tl_entry *e)
{
    v->key = e->key;
    memcpy(v->kid, e->kid, sizeof v->kid);
    v->name = e->name;
    v->name_len = e->name_len;
    v->roles = e->roles;
    v->nbf = e->nbf;
    v->exp = e->exp;
}

/* ---- building ---- */

nansen_err nansen_trustlist_set_sequence(nansen_trustlist *list,
                                         uint64_t sequence)
{
    ARG_CHECK(list != NULL && sequence > 0);
    make_draft(list);
    list->sequence = sequence;
    return NANSEN_OK;
}

nansen_err nansen_trustlist_set_issuer(nansen_trustlist *list,
                                       const char *name)
{
    char *copy = NULL;
    size_t n = 0;

    ARG_CHECK(list != NULL);
    if (name != NULL) {
        n = strlen(name);
        ARG_CHECK(name_ok(name, n));
        if ((copy = copy_text(name, n)) == NULL)
            return NANSEN_ERR_NOMEM;
    }
    make_draft(list);
    free(list->issuer);
    list->issuer = copy;
    list->issuer_len = n;
    return NANSEN_OK;
}

nansen_err nansen_trustlist_add(nansen_ctx *ctx, nansen_trustlist *list,
                                const nansen_key *key, const char *name,
                                uint32_t roles, int64_t nbf, int64_t exp)
{
    tl_entry e;
    size_t at, n;
    nansen_err err;

    ARG_CHECK(ctx != NULL && list != NULL && key != NULL && name != NULL);
    n = strlen(name);
    ARG_CHECK(name_ok(name, n));
    ARG_CHECK(roles != 0 && (roles & ~(uint32_t)REGISTERED_ROLES) == 0);
    ARG_CHECK(nbf >= 0 && exp >= 0 && (nbf == 0 || exp == 0 || nbf < exp));
    ARG_CHECK(list->count < NANSEN_TRUSTLIST_MAX_ENTRIES);

    memset(&e, 0, sizeof e);
    if ((err = nansen_key_id(key, e.kid)) != NANSEN_OK)
        return err;
    if (search(list, e.kid, &at) >= 0)
        return NANSEN_ERR_EXISTS;
    if (list->count == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 16;
        tl_entry *grown;

        if (cap > NANSEN_TRUSTLIST_MAX_ENTRIES)
            cap = NANSEN_TRUSTLIST_MAX_ENTRIES;
        if ((grown = realloc(list->entries, cap * sizeof *grown)) == NULL)
            return NANSEN_ERR_NOMEM;
        memset(grown + list->cap, 0, (cap - list->cap) * sizeof *grown);
        list->entries = grown;
        list->cap = cap;
    }
    e.cose_key_len = sizeof e.cose_key;
    if ((err = nansen_cose_key_encode(ctx, e.cose_key, &e.cose_key_len, key,
                                      0)) != NANSEN_OK)
        return err;
    if ((err = nansen_key_public_copy(ctx, &e.key, key)) != NANSEN_OK)
        return err;
    if ((e.name = copy_text(name, n)) == NULL) {
        entry_clear(&e);
        return NANSEN_ERR_NOMEM;
    }
    e.name_len = n;
    e.roles = roles;
    e.nbf = nbf;
    e.exp = exp;
    memmove(&list->entries[at + 1], &list->entries[at],
            (list->count - at) * sizeof e);
    list->entries[at] = e;
    list->count++;
    make_draft(list);
    return NANSEN_OK;
}

nansen_err nansen_trustlist_remove(nansen_trustlist *list, const uint8_t *kid)
{
    long i;

    ARG_CHECK(list != NULL && kid != NULL);
    if ((i = search(list, kid, NULL)) < 0)
        return NANSEN_ERR_NOT_FOUND;
    entry_clear(&list->entries[i]);
    memmove(&list->entries[i], &list->entries[i + 1],
            (list->count - (size_t)i - 1) * sizeof list->entries[0]);
    list->count--;
    memset(&list->entries[list->count], 0, sizeof list->entries[0]);
    make_draft(list);
    return NANSEN_OK;
}

/* ---- signing ---- */

static void write_entry(nansen__cbw *w, const tl_entry *e)
{
    size_t nroles = 0;
    unsigned r;

    for (r = 1; r <= NANSEN_ROLE_CODE_MAX; r++)
        nroles += (e->roles >> r) & 1u;
    nansen__cbw_map(w, 3 + (e->nbf != 0) + (e->exp != 0));
    nansen__cbw_uint(w, ENTRY_KEY);
    nansen__cbw_raw(w, e->cose_key, e->cose_key_len);
    nansen__cbw_uint(w, ENTRY_NAME);
    nansen__cbw_text(w, e->name, e->name_len);
    nansen__cbw_uint(w, ENTRY_ROLES);
    nansen__cbw_array(w, nroles);
    for (r = 1; r <= NANSEN_ROLE_CODE_MAX; r++)
        if ((e->roles >> r) & 1u)
            nansen__cbw_uint(w, r);
    if (e->nbf != 0) {
        nansen__cbw_uint(w, ENTRY_NBF);
        nansen__cbw_int(w, e->nbf);
    }
    if (e->exp != 0) {
        nansen__cbw_uint(w, ENTRY_EXP);
        nansen__cbw_int(w, e->exp);
    }
    nansen__cbw_map_end(w);
}

static void write_payload(nansen__cbw *w, const nansen_trustlist *tl,
                          const nansen_trustlist_sign_params *p)
{
    size_t i;

    nansen__cbw_map(w, 2 + (tl->issuer != NULL) + (p->exp != 0));
    if (tl->issuer != NULL) {
        nansen__cbw_int(w, NANSEN_CWT_ISS);
        nansen__cbw_text(w, tl->issuer, tl->issuer_len);
    }
    if (p->exp != 0) {
        nansen__cbw_int(w, NANSEN_CWT_EXP);
        nansen__cbw_int(w, p->exp);
    }
    nansen__cbw_int(w, NANSEN_CWT_IAT);
    nansen__cbw_int(w, p->iat);
    nansen__cbw_int(w, NANSEN_CWT_CLAIM_NANSEN);
    nansen__cbw_map(w, 3);
    nansen__cbw_uint(w, TL_KEY_PROFILE);
    nansen__cbw_uint(w, NANSEN_TRUSTLIST_PROFILE);
    nansen__cbw_uint(w, TL_KEY_SEQUENCE);
    nansen__cbw_uint(w, tl->sequence);
    nansen__cbw_uint(w, TL_KEY_ENTRIES);
    nansen__cbw_array(w, tl->count);
    for (i = 0; i < tl->count; i++)
        write_entry(w, &tl->entries[i]);
    nansen__cbw_map_end(w);
    nansen__cbw_map_end(w);
}

static nansen_err encode_payload(const nansen_trustlist *tl,
                                 const nansen_trustlist_sign_params *p,
                                 uint8_t **out, size_t *out_len)
{
    nansen__cbw w;
    size_t need = 0;
    nansen_err err;

    nansen__cbw_init(&w, NULL, 0);
    write_payload(&w, tl, p);
    if ((err = nansen__cbw_finish(&w, &need)) != NANSEN_OK)
        return err;
    if (need > NANSEN_TRUSTLIST_MAX_BYTES)
        return NANSEN_ERR_INVALID_ARG;     /* not with the builder's bounds */
    if ((*out = malloc(need)) == NULL)
        return NANSEN_ERR_NOMEM;
    nansen__cbw_init(&w, *out, need);
    write_payload(&w, tl, p);
    return nansen__cbw_finish(&w, out_len);
}

nansen_err nansen_trustlist_sign(nansen_ctx *ctx, uint8_t *out,
                                 size_t *out_len, const nansen_trustlist *list,
                                 const nansen_key *governance,
                                 const nansen_trustlist_sign_params *params)
{
    nansen_cose_sign1_params cp;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    uint8_t *payload = NULL;
    size_t payload_len = 0, cap;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || list == NULL || governance == NULL || params == NULL ||
        list->sequence == 0 || params->iat <= 0 ||
        (params->exp != 0 && params->exp <= params->iat)) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    if (list->sequence <= params->previous_sequence) {
        err = NANSEN_ERR_ROLLBACK;
        goto fail;
    }
    if (!nansen_key_has_secret(governance)) {
        err = NANSEN_ERR_NO_SECRET_KEY;
        goto fail;
    }
    if ((err = nansen_key_id(governance, kid)) != NANSEN_OK ||
        (err = encode_payload(list, params, &payload, &payload_len)) !=
            NANSEN_OK)
        goto fail;
    memset(&cp, 0, sizeof cp);
    cp.kid = kid;
    cp.kid_len = sizeof kid;
    cp.typ.present = 1;
    cp.typ.text = NANSEN_TRUSTLIST_TYP;
    cp.typ.text_len = strlen(NANSEN_TRUSTLIST_TYP);
    err = nansen_cose_sign1_sign(ctx, out, out_len, governance, &cp, payload,
                                 payload_len, NULL, 0);
    free(payload);
    if (err == NANSEN_OK && *out_len > NANSEN_TRUSTLIST_MAX_BYTES) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    return err;

fail:
    free(payload);
    if (out != NULL)
        sodium_memzero(out, cap);
    *out_len = 0;
    return err;
}

/* ---- reading ---- */

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || *t <= 0)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* The key: a COSE_Key in the one form nansen_cose_key_encode writes (no
 * kid, no alg, secp256k1 compressed), so that a key has one encoding. */
static nansen_err read_key(nansen_ctx *ctx, nansen__cbr *r, tl_entry *e)
{
    uint8_t canon[CANON_KEY_MAX];
    size_t canon_len = sizeof canon, len;
    const uint8_t *p;
    nansen_err err;

    if ((err = nansen__cbr_skip(r, &p, &len)) != NANSEN_OK)
        return err;
    if (len > sizeof e->cose_key)
        return NANSEN_ERR_MALFORMED;
    err = nansen_cose_key_decode(ctx, &e->key, p, len);
    if (err == NANSEN_ERR_NOMEM || err == NANSEN_ERR_UNSUPPORTED_ALG ||
        err == NANSEN_ERR_BAD_KEY)
        return err;
    if (err != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (nansen_cose_key_encode(ctx, canon, &canon_len, e->key, 0) !=
            NANSEN_OK ||
        canon_len != len || memcmp(canon, p, len) != 0)
        return NANSEN_ERR_MALFORMED;
    memcpy(e->cose_key, p, len);
    e->cose_key_len = len;
    return nansen_key_id(e->key, e->kid);
}

/* Roles: a non-empty array of codes 1..NANSEN_ROLE_CODE_MAX, strictly
 * ascending (so no repeats and one encoding per set). */
static nansen_err read_roles(nansen__cbr *r, uint32_t *roles)
{
    size_t n, i;
    int64_t code, last = 0;

    if (nansen__cbr_array(r, &n) != NANSEN_OK || n == 0 ||
        n > NANSEN_ROLE_CODE_MAX)
        return NANSEN_ERR_MALFORMED;
    *roles = 0;
    for (i = 0; i < n; i++) {
        if (nansen__cbr_int(r, &code) != NANSEN_OK || code <= last ||
            code > NANSEN_ROLE_CODE_MAX)
            return NANSEN_ERR_MALFORMED;
        *roles |= NANSEN_ROLE_BIT(code);
        last = code;
    }
    return NANSEN_OK;
}

static nansen_err read_entry(nansen_ctx *ctx, nansen__cbr *r, tl_entry *e)
{
    size_t n, i, len;
    const char *s;
    int have_key = 0, have_name = 0, have_roles = 0;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int64_t label;

        if (nansen__cbr_int(r, &label) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (label) {
        case ENTRY_KEY:
            if ((err = read_key(ctx, r, e)) != NANSEN_OK)
                return err;
            have_key = 1;
            break;
        case ENTRY_NAME:
            if (nansen__cbr_text(r, &s, &len) != NANSEN_OK ||
                !name_ok(s, len))
                return NANSEN_ERR_MALFORMED;
            if ((e->name = copy_text(s, len)) == NULL)
                return NANSEN_ERR_NOMEM;
            e->name_len = len;
            have_name = 1;
            break;
        case ENTRY_ROLES:
            if ((err = read_roles(r, &e->roles)) != NANSEN_OK)
                return err;
            have_roles = 1;
            break;
        case ENTRY_NBF:
            if ((err = read_time(r, &e->nbf)) != NANSEN_OK)
                return err;
            break;
        case ENTRY_EXP:
            if ((err = read_time(r, &e->exp)) != NANSEN_OK)
                return err;
            break;
        default:
            /* An unknown field may restrict the entry: not ignorable. */
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
    }
    if (!have_key || !have_name || !have_roles)
        return NANSEN_ERR_MALFORMED;
    if (e->nbf != 0 && e->exp != 0 && e->nbf >= e->exp)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

static nansen_err read_entries(nansen_ctx *ctx, nansen__cbr *r,
                               nansen_trustlist *tl)
{
    size_t n, i;
    nansen_err err;

    if (nansen__cbr_array(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    if (n > NANSEN_TRUSTLIST_MAX_ENTRIES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (n > 0) {
        if ((tl->entries = calloc(n, sizeof *tl->entries)) == NULL)
            return NANSEN_ERR_NOMEM;
        tl->cap = n;
    }
    for (i = 0; i < n; i++) {
        tl_entry *e = &tl->entries[i];

        if ((err = read_entry(ctx, r, e)) != NANSEN_OK)
            return err;
        /* Strictly ascending key ids: sorted, and no key listed twice. */
        if (i > 0 && memcmp(tl->entries[i - 1].kid, e->kid,
                            NANSEN_KEY_ID_BYTES) >= 0)
            return NANSEN_ERR_MALFORMED;
        tl->count = i + 1;
    }
    return NANSEN_OK;
}

static nansen_err read_nansen_map(nansen_ctx *ctx, nansen__cbr *r,
                                  nansen_trustlist *tl)
{
    size_t n, i;
    int have_profile = 0, have_seq = 0, have_entries = 0;
    nansen_err err;

    if (nansen__cbr_map(r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        nansen__cbor_item it;
        int64_t key;

        if (nansen__cbr_int(r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (key) {
        case TL_KEY_PROFILE:
            /* first in key order: nothing else is read under another
             * profile */
            if (nansen__cbr_next(r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT)
                return NANSEN_ERR_MALFORMED;
            if (it.v.u != NANSEN_TRUSTLIST_PROFILE)
                return NANSEN_ERR_UNSUPPORTED_VERSION;
            have_profile = 1;
            break;
        case TL_KEY_SEQUENCE:
            if (!have_profile)
                return NANSEN_ERR_MALFORMED;
            if (nansen__cbr_next(r, &it) != NANSEN_OK ||
                it.type != NANSEN__CBOR_UINT || it.v.u == 0)
                return NANSEN_ERR_MALFORMED;
            tl->sequence = it.v.u;
            have_seq = 1;
            break;
        case TL_KEY_ENTRIES:
            if (!have_profile)
                return NANSEN_ERR_MALFORMED;
            if ((err = read_entries(ctx, r, tl)) != NANSEN_OK)
                return err;
            have_entries = 1;
            break;
        default:
            return have_profile ? NANSEN_ERR_UNSUPPORTED_VERSION
                                : NANSEN_ERR_MALFORMED;
        }
    }
    return have_profile && have_seq && have_entries ? NANSEN_OK
                                                    : NANSEN_ERR_MALFORMED;
}

static nansen_err read_payload(nansen_ctx *ctx, nansen_trustlist *tl,
                               const uint8_t *p, size_t len)
{
    nansen__cbr r;
    size_t n, i, slen;
    const char *s;
    int have_iat = 0, have_nansen = 0;
    nansen_err err;

    if ((err = nansen_cbor_check(p, len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, p, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++) {
        int64_t key;

        if (nansen__cbr_int(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        switch (key) {
        case NANSEN_CWT_ISS:
            if (nansen__cbr_text(&r, &s, &slen) != NANSEN_OK ||
                !name_ok(s, slen))
                return NANSEN_ERR_MALFORMED;
            if ((tl->issuer = copy_text(s, slen)) == NULL)
                return NANSEN_ERR_NOMEM;
            tl->issuer_len = slen;
            break;
        case NANSEN_CWT_EXP:
            if ((err = read_time(&r, &tl->exp)) != NANSEN_OK)
                return err;
            break;
        case NANSEN_CWT_IAT:
            if ((err = read_time(&r, &tl->iat)) != NANSEN_OK)
                return err;
            have_iat = 1;
            break;
        case NANSEN_CWT_CLAIM_NANSEN:
            if ((err = read_nansen_map(ctx, &r, tl)) != NANSEN_OK)
                return err;
            have_nansen = 1;
            break;
        default:
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
    }
    if (!have_iat || !have_nansen)
        return NANSEN_ERR_MALFORMED;
    if (tl->exp != 0 && tl->exp <= tl->iat)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* Copy the input and check the COSE envelope: tag 18, typ, the header
 * labels of the profile, an 8-byte protected kid. */
static nansen_err parse_envelope(nansen_trustlist *tl, nansen_cose_sign1 *m,
                                 const uint8_t *in, size_t in_len)
{
    static const int64_t prot_labels[] = {
        NANSEN_COSE_HDR_ALG, NANSEN_COSE_HDR_KID, NANSEN_COSE_HDR_TYP};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    const size_t typ_len = sizeof NANSEN_TRUSTLIST_TYP - 1;
    nansen_err err;

    if (in_len > NANSEN_TRUSTLIST_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((tl->bytes = malloc(in_len ? in_len : 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    memcpy(tl->bytes, in, in_len);
    tl->len = in_len;
    if ((err = nansen_cose_sign1_parse(m, tl->bytes, tl->len, &opts)) !=
        NANSEN_OK)
        return err;
    if (!m->typ.present || m->typ.text == NULL || m->typ.text_len != typ_len ||
        memcmp(m->typ.text, NANSEN_TRUSTLIST_TYP, typ_len) != 0)
        return NANSEN_ERR_WRONG_TYPE;
    if ((err = nansen__check_labels(m->protected_map, m->protected_map_len,
                                    prot_labels, 3)) != NANSEN_OK ||
        (err = nansen__check_labels(m->unprotected_map,
                                    m->unprotected_map_len, NULL, 0)) !=
            NANSEN_OK)
        return err;
    if (m->kid == NULL || !m->kid_protected ||
        m->kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_BAD_HEADER;
    memcpy(tl->gov_kid, m->kid, NANSEN_KEY_ID_BYTES);
    return NANSEN_OK;
}

/* Decode, and verify with governance when it is not NULL: the signature
 * is checked before the payload is read. */
static nansen_err decode(nansen_ctx *ctx, nansen_trustlist **out,
                         const uint8_t *in, size_t in_len,
                         const nansen_key *governance)
{
    nansen_trustlist *tl;
    nansen_cose_sign1 m;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && (in != NULL || in_len == 0));
    if ((tl = calloc(1, sizeof *tl)) == NULL)
        return NANSEN_ERR_NOMEM;
    memset(&m, 0, sizeof m);
    err = parse_envelope(tl, &m, in, in_len);
    if (err == NANSEN_OK && governance != NULL)
        err = nansen__cose_sign1_verify_parsed(ctx, &m, governance, NULL, 0);
    if (err == NANSEN_OK)
        err = read_payload(ctx, tl, m.payload, m.payload_len);
    if (err == NANSEN_OK && governance != NULL)
        err = nansen_key_public_copy(ctx, &tl->governance, governance);
    if (err != NANSEN_OK) {
        nansen_trustlist_free(tl);
        return err;
    }
    *out = tl;
    return NANSEN_OK;
}

nansen_err nansen_trustlist_decode(nansen_ctx *ctx, nansen_trustlist **out,
                                   const uint8_t *in, size_t in_len)
{
    return decode(ctx, out, in, in_len, NULL);
}

nansen_err nansen_trustlist_verify(nansen_ctx *ctx, nansen_trustlist **out,
                                   const uint8_t *in, size_t in_len,
                                   const nansen_key *governance)
{
    if (governance == NULL) {
        if (out != NULL)
            *out = NULL;
        return NANSEN_ERR_INVALID_ARG;
    }
    return decode(ctx, out, in, in_len, governance);
}

nansen_err nansen_trustlist_is_newer(const nansen_trustlist *current,
                                     const nansen_trustlist *candidate)
{
    ARG_CHECK(candidate != NULL && candidate->governance != NULL);
    if (current == NULL)
        return NANSEN_OK;
    ARG_CHECK(current->governance != NULL);
    if (!nansen_key_equal(current->governance, candidate->governance))
        return NANSEN_ERR_KEY_MISMATCH;
    if (candidate->sequence <= current->sequence)
        return NANSEN_ERR_ROLLBACK;
    return NANSEN_OK;
}

/* ---- storage ---- */

nansen_err nansen_trustlist_save(const nansen_trustlist *list,
                                 const char *path, unsigned int flags)
{
    ARG_CHECK(list != NULL && path != NULL);
    ARG_CHECK((flags & ~NANSEN_SAVE_OVERWRITE) == 0);
    ARG_CHECK(list->governance != NULL && list->bytes != NULL);
    /* A trust list is public: readable by all, like a certificate. */
    return nansen__file_write_atomic(path, list->bytes, list->len, 0644,
                                     (flags & NANSEN_SAVE_OVERWRITE) != 0);
}

nansen_err nansen_trustlist_load(nansen_ctx *ctx, nansen_trustlist **out,
                                 const char *path,
                                 const nansen_key *governance)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL && governance != NULL);
    if ((err = nansen__file_read_secure(path, NANSEN_TRUSTLIST_MAX_BYTES,
                                        &buf, &len)) != NANSEN_OK)
        return err;
    err = nansen_trustlist_verify(ctx, out, buf, len, governance);
    sodium_free(buf);
    return err;
}

nansen_err nansen_trustlist_install(nansen_ctx *ctx, nansen_trustlist **out,
                                    const char *path,
                                    const nansen_key *governance,
                                    const uint8_t *in, size_t in_len)
{
    nansen_trustlist *cand = NULL, *cur = NULL;
    nansen_err err;

    if (out != NULL)
        *out = NULL;
    ARG_CHECK(ctx != NULL && path != NULL && governance != NULL &&
              in != NULL);
    if ((err = nansen_trustlist_verify(ctx, &cand, in, in_len,
                                       governance)) != NANSEN_OK)
        return err;
    err = nansen_trustlist_load(ctx, &cur, path, governance);
    if (err == NANSEN_ERR_NOT_FOUND)
        err = NANSEN_OK;                 /* nothing held yet */
    if (err == NANSEN_OK)
        err = nansen_trustlist_is_newer(cur, cand);
    if (err == NANSEN_OK)
        err = nansen_trustlist_save(cand, path, NANSEN_SAVE_OVERWRITE);
    nansen_trustlist_free(cur);
    if (err == NANSEN_OK && out != NULL)
        *out = cand;
    else
        nansen_trustlist_free(cand);
    return err;
}

/* ---- queries ---- */

nansen_err nansen_trustlist_check_role(const nansen_trustlist *list,
                                       const uint8_t *kid,
                                       const nansen_key *key,
                                       nansen_role role, int64_t now,
                                       nansen_trust_result *result)
{
    nansen_trust_result res = NANSEN_TRUST_NOT_LISTED;
    const tl_entry *e;

    if (result != NULL)
        *result = res;
    ARG_CHECK(list != NULL && list->governance != NULL);
    ARG_CHECK((kid == NULL) != (key == NULL));
    ARG_CHECK((int)role >= NANSEN_ROLE_FIRST && (int)role <= NANSEN_ROLE_LAST);
    if (list->exp != 0 && now >= list->exp) {
        if (result != NULL)
            *result = NANSEN_TRUST_LIST_EXPIRED;
        return NANSEN_ERR_STALE;
    }
    if ((e = lookup(list, kid, key)) == NULL)
        res = NANSEN_TRUST_NOT_LISTED;
    else if (e->nbf != 0 && now < e->nbf)
        res = NANSEN_TRUST_NOT_YET_VALID;
    else if (e->exp != 0 && now >= e->exp)
        res = NANSEN_TRUST_ENTRY_EXPIRED;
    else if ((e->roles & NANSEN_ROLE_BIT(role)) == 0)
        res = NANSEN_TRUST_WRONG_ROLE;
    else
        res = NANSEN_TRUST_OK;
    if (result != NULL)
        *result = res;
    return res == NANSEN_TRUST_OK ? NANSEN_OK : NANSEN_ERR_POLICY;
}

nansen_err nansen_trustlist_find(const nansen_trustlist *list,
                                 const uint8_t *kid, const nansen_key *key,
                                 nansen_trustlist_entry *entry)
{
    const tl_entry *e;

    if (entry != NULL)
        memset(entry, 0, sizeof *entry);
    ARG_CHECK(list != NULL && (kid == NULL) != (key == NULL));
    if ((e = lookup(list, kid, key)) == NULL)
        return NANSEN_ERR_NOT_FOUND;
    if (entry != NULL)
        entry_view(entry, e);
    return NANSEN_OK;
}

size_t nansen_trustlist_count(const nansen_trustlist *list)
{
    return list != NULL ? list->count : 0;
}

nansen_err nansen_trustlist_entry_at(const nansen_trustlist *list,
                                     size_t index,
                                     nansen_trustlist_entry *entry)
{
    ARG_CHECK(entry != NULL);
    memset(entry, 0, sizeof *entry);
    ARG_CHECK(list != NULL && index < list->count);
    entry_view(entry, &list->entries[index]);
    return NANSEN_OK;
}

uint64_t nansen_trustlist_sequence(const nansen_trustlist *list)
{
    return list != NULL ? list->sequence : 0;
}

void nansen_trustlist_times(const nansen_trustlist *list, int64_t *iat,
                            int64_t *exp)
{
    if (iat != NULL)
        *iat = list != NULL ? list->iat : 0;
    if (exp != NULL)
        *exp = list != NULL ? list->exp : 0;
}

const char *nansen_trustlist_issuer(const nansen_trustlist *list)
{
    return list != NULL ? list->issuer : NULL;
}

int nansen_trustlist_is_verified(const nansen_trustlist *list)
{
    return list != NULL && list->governance != NULL;
}

const uint8_t *nansen_trustlist_governance_kid(const nansen_trustlist *list)
{
    return list != NULL && list->bytes != NULL ? list->gov_kid : NULL;
}

nansen_err nansen_trustlist_encoded(const nansen_trustlist *list,
                                    const uint8_t **bytes, size_t *len)
{
    if (bytes != NULL)
        *bytes = NULL;
    if (len != NULL)
        *len = 0;
    ARG_CHECK(list != NULL && bytes != NULL && len != NULL);
    ARG_CHECK(list->bytes != NULL);
    *bytes = list->bytes;
    *len = list->len;
    return NANSEN_OK;
}
