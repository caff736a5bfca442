/* ledger.c - the holder's hash-chained consent ledger (spec/ledger.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"
#include "nansen/ledger.h"

#define LEDGER_TAG 55799            /* self-described CBOR: d9 d9 f7 */
#define LEDGER_VERSION 1
static const char LEDGER_MAGIC[] = "nansen-ledger";
/* Every ledger begins with these bytes: the tag, an array of 4, the
 * magic text. */
static const uint8_t LEDGER_PREFIX[] = {
    0xd9, 0xd9, 0xf7, 0x84, 0x6d, 'n', 'a', 'n', 's', 'e', 'n', '-', 'l',
    'e', 'd', 'g', 'e', 'r'};
/* Hashed before each entry's CBOR, with its NUL: an entry hash can be
 * nothing else's hash. */
static const char ENTRY_DOMAIN[] = "nansen-ledger-entry-v1";

/* Entry map keys. */
enum {
    K_SEQ = 0, K_KIND = 1, K_AT = 2, K_PREV = 3, K_DIGEST = 4,
    K_AUDIENCE = 5, K_NAME = 6, K_PURPOSE = 7, K_CATEGORIES = 8,
    K_FROM = 9, K_UNTIL = 10, K_WITHDRAWN_AT = 11, K_LAST = 11
};
#define BIT(k) (1u << (k))
#define COMMON_KEYS (BIT(K_SEQ) | BIT(K_KIND) | BIT(K_AT) | BIT(K_PREV) |  \
                     BIT(K_DIGEST))
#define GRANT_KEYS (COMMON_KEYS | BIT(K_AUDIENCE) | BIT(K_PURPOSE) |        \
                    BIT(K_CATEGORIES) | BIT(K_FROM) | BIT(K_UNTIL))
#define WITHDRAWAL_KEYS (COMMON_KEYS | BIT(K_WITHDRAWN_AT))

/* 9999-12-31T23:59:59Z: every time can be shown as a four-digit year. */
#define MAX_TIME INT64_C(253402300799)
#define HASH_BYTES NANSEN_LEDGER_HASH_BYTES

size_t nansen_ledger_max_entries(void)
{
    return NANSEN_LEDGER_MAX_ENTRIES;
}

size_t nansen_ledger_entry_max_bytes(void)
{
    return NANSEN_LEDGER_ENTRY_MAX_BYTES;
}

size_t nansen_ledger_max_bytes(void)
{
    return NANSEN_LEDGER_MAX_BYTES;
}

size_t nansen_ledger_hash_bytes(void)
{
    return NANSEN_LEDGER_HASH_BYTES;
}

typedef struct lentry {
    uint64_t seq;
    int kind;
    int64_t at;
    uint8_t prev[HASH_BYTES];
    uint8_t digest[HASH_BYTES];
    char *audience;               /* owned; grants */
    char *name;                   /* owned or NULL */
    uint32_t purpose;
    uint32_t cats[NANSEN_GRANT_MAX_CATEGORIES];
    size_t ncats;
    int64_t from, until;
    int64_t withdrawn_at;         /* withdrawals */
    int grant_recorded;           /* withdrawals: grant in an earlier entry */
    uint8_t hash[HASH_BYTES];
} lentry;

/* An index key: entries sorted by (digest, t, entry index). t is the
 * withdrawal time for withdrawals, 0 for grants. */
typedef struct ix {
    uint8_t d[HASH_BYTES];
    int64_t t;
    size_t i;
} ix;

struct nansen_ledger {
    nansen_ctx *ctx;
    lentry *e;
    size_t n, cap;
    ix *grants;                   /* one per grant entry, sorted */
    size_t ng;
    ix *wds;                      /* one per withdrawal entry, sorted */
    size_t nw;
};

static int ix_cmp(const void *a, const void *b)
{
    const ix *x = a, *y = b;
    int c = memcmp(x->d, y->d, HASH_BYTES);

    if (c != 0)
        return c;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* First position whose digest is >= d (and, for the same digest, whose t
 * is >= t). */
static size_t ix_lower(const ix *a, size_t n, const uint8_t *d, int64_t t)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(a[mid].d, d, HASH_BYTES);

        if (c < 0 || (c == 0 && a[mid].t < t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int ix_has(const ix *a, size_t n, const uint8_t *d, int64_t t,
                  int match_t)
{
    size_t k = ix_lower(a, n, d, match_t ? t : INT64_MIN);

    return k < n && memcmp(a[k].d, d, HASH_BYTES) == 0 &&
           (!match_t || a[k].t == t);
}

/* Wiped, not only freed: who the holder consented to is personal data. */
static void free_str(char *s)
{
    if (s != NULL) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

static void lentry_clear(lentry *e)
{
    free_str(e->audience);
    free_str(e->name);
    sodium_memzero(e, sizeof *e);
}

nansen_err nansen_ledger_create(nansen_ctx *ctx, nansen_ledger **out)
{
    nansen_ledger *l;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL);
    if ((l = calloc(1, sizeof *l)) == NULL)
        return NANSEN_ERR_NOMEM;
    l->ctx = ctx;
    *out = l;
    return NANSEN_OK;
}

void nansen_ledger_free(nansen_ledger *ledger)
{
    size_t i;

    if (ledger == NULL)
        return;
    for (i = 0; i < ledger->n; i++)
        lentry_clear(&ledger->e[i]);
    if (ledger->grants != NULL)
        sodium_memzero(ledger->grants, ledger->cap * sizeof *ledger->grants);
    if (ledger->wds != NULL)
        sodium_memzero(ledger->wds, ledger->cap * sizeof *ledger->wds);
    free(ledger->e);
    free(ledger->grants);
    free(ledger->wds);
    free(ledger);
}

size_t nansen_ledger_count(const nansen_ledger *ledger)
{
    return ledger != NULL ? ledger->n : 0;
}

/* ---- entry encoding and hashing ---- */

static void write_entry(nansen__cbw *w, const lentry *e)
{
    size_t i;

    if (e->kind == NANSEN_LEDGER_GRANT) {
        nansen__cbw_map(w, 10 + (e->name != NULL));
    } else {
        nansen__cbw_map(w, 6);
    }
    nansen__cbw_uint(w, K_SEQ);
    nansen__cbw_uint(w, e->seq);
    nansen__cbw_uint(w, K_KIND);
    nansen__cbw_uint(w, (uint64_t)e->kind);
    nansen__cbw_uint(w, K_AT);
    nansen__cbw_int(w, e->at);
    nansen__cbw_uint(w, K_PREV);
    nansen__cbw_bytes(w, e->prev, HASH_BYTES);
    nansen__cbw_uint(w, K_DIGEST);
    nansen__cbw_bytes(w, e->digest, HASH_BYTES);
    if (e->kind == NANSEN_LEDGER_GRANT) {
        nansen__cbw_uint(w, K_AUDIENCE);
        nansen__cbw_text(w, e->audience, strlen(e->audience));
        if (e->name != NULL) {
            nansen__cbw_uint(w, K_NAME);
            nansen__cbw_text(w, e->name, strlen(e->name));
        }
        nansen__cbw_uint(w, K_PURPOSE);
        nansen__cbw_uint(w, e->purpose);
        nansen__cbw_uint(w, K_CATEGORIES);
        nansen__cbw_array(w, e->ncats);
        for (i = 0; i < e->ncats; i++)
            nansen__cbw_uint(w, e->cats[i]);
        nansen__cbw_uint(w, K_FROM);
        nansen__cbw_int(w, e->from);
        nansen__cbw_uint(w, K_UNTIL);
        nansen__cbw_int(w, e->until);
    } else {
        nansen__cbw_uint(w, K_WITHDRAWN_AT);
        nansen__cbw_int(w, e->withdrawn_at);
    }
    nansen__cbw_map_end(w);
}

static void hash_entry_bytes(uint8_t out[HASH_BYTES], const uint8_t *p,
                             size_t n)
{
    crypto_hash_sha256_state st;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)ENTRY_DOMAIN,
                              sizeof ENTRY_DOMAIN);
    crypto_hash_sha256_update(&st, p, n);
    crypto_hash_sha256_final(&st, out);
}

/* Sets e->hash from its fields. */
static nansen_err hash_entry(lentry *e)
{
    uint8_t buf[NANSEN_LEDGER_ENTRY_MAX_BYTES];
    nansen__cbw w;
    size_t len = 0;
    nansen_err err;

    nansen__cbw_init(&w, buf, sizeof buf);
    write_entry(&w, e);
    if ((err = nansen__cbw_finish(&w, &len)) != NANSEN_OK)
        return err == NANSEN_ERR_BUFFER_TOO_SMALL ? NANSEN_ERR_CBOR_TOO_LARGE
                                                  : err;
    hash_entry_bytes(e->hash, buf, len);
    return NANSEN_OK;
}

/* ---- appending ---- */

static int time_ok(int64_t t)
{
    return t > 0 && t <= MAX_TIME;
}

/* Room for one more entry and its index key. */
static nansen_err reserve(nansen_ledger *l)
{
    if (l->n >= NANSEN_LEDGER_MAX_ENTRIES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        lentry *e;
        ix *g, *w;

        if (cap > NANSEN_LEDGER_MAX_ENTRIES)
            cap = NANSEN_LEDGER_MAX_ENTRIES;
        if ((e = realloc(l->e, cap * sizeof *e)) == NULL)
            return NANSEN_ERR_NOMEM;
        l->e = e;
        if ((g = realloc(l->grants, cap * sizeof *g)) == NULL)
            return NANSEN_ERR_NOMEM;
        l->grants = g;
        if ((w = realloc(l->wds, cap * sizeof *w)) == NULL)
            return NANSEN_ERR_NOMEM;
        l->wds = w;
        l->cap = cap;
    }
    return NANSEN_OK;
}

static void ix_insert(ix *a, size_t *n, const uint8_t *d, int64_t t,
                      size_t i)
{
    size_t k = ix_lower(a, *n, d, t);

    memmove(a + k + 1, a + k, (*n - k) * sizeof *a);
    memcpy(a[k].d, d, HASH_BYTES);
    a[k].t = t;
    a[k].i = i;
    (*n)++;
}

/* Chain e (filled but for seq, prev and hash) onto the ledger; takes
 * ownership of its strings on success. */
static nansen_err push(nansen_ledger *l, lentry *e)
{
    nansen_err err;

    if ((err = reserve(l)) != NANSEN_OK)
        return err;
    e->seq = l->n;
    if (l->n > 0)
        memcpy(e->prev, l->e[l->n - 1].hash, HASH_BYTES);
    else
        memset(e->prev, 0, HASH_BYTES);
    if ((err = hash_entry(e)) != NANSEN_OK)
        return err;
    if (e->kind == NANSEN_LEDGER_GRANT)
        ix_insert(l->grants, &l->ng, e->digest, 0, l->n);
    else
        ix_insert(l->wds, &l->nw, e->digest, e->withdrawn_at, l->n);
    l->e[l->n++] = *e;
    return NANSEN_OK;
}

static int cats_unique(const uint32_t *c, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i++)
        for (j = 0; j < i; j++)
            if (c[j] == c[i])
                return 0;
    return 1;
}

/* 1..max bytes of claim text: UTF-8, no control characters (so no NUL). */
static int text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);

    return n > 0 && n <= max && nansen__claim_text_ok((const uint8_t *)s, n);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);

    if (d != NULL)
        memcpy(d, s, n + 1);
    return d;
}

nansen_err nansen_ledger_append_grant(nansen_ledger *ledger,
                                      const uint8_t *grant, size_t grant_len,
                                      int64_t at)
{
    nansen_grant *g = NULL;
    const uint32_t *cats;
    const char *name;
    lentry e;
    nansen_err err;

    ARG_CHECK(ledger != NULL && grant != NULL && time_ok(at));
    if ((err = nansen_grant_decode(ledger->ctx, &g, grant, grant_len)) !=
        NANSEN_OK)
        return err;
    memset(&e, 0, sizeof e);
    e.kind = NANSEN_LEDGER_GRANT;
    e.at = at;
    memcpy(e.digest, nansen_grant_digest(g), HASH_BYTES);
    if (ix_has(ledger->grants, ledger->ng, e.digest, 0, 0)) {
        err = NANSEN_OK;          /* already recorded: nothing to add */
        goto out;
    }
    nansen_grant_consent(g, &e.purpose, &cats, &e.ncats);
    nansen_grant_times(g, NULL, &e.from, &e.until);
    name = nansen_grant_audience_name(g);
    /* What the ledger records it must read back: the rules of
     * read_entry, which nansen_grant_decode already enforces. */
    if (e.ncats == 0 || e.ncats > NANSEN_GRANT_MAX_CATEGORIES ||
        !cats_unique(cats, e.ncats) || e.from >= e.until ||
        !text_ok(nansen_grant_audience(g), NANSEN__AUDIENCE_MAX_BYTES) ||
        (name != NULL && !text_ok(name, NANSEN_NAME_MAX_BYTES))) {
        err = NANSEN_ERR_MALFORMED;
        goto out;
    }
    if (!time_ok(e.from) || !time_ok(e.until)) {
        err = NANSEN_ERR_OUT_OF_RANGE;
        goto out;
    }
    memcpy(e.cats, cats, e.ncats * sizeof *cats);
    if ((e.audience = dup_str(nansen_grant_audience(g))) == NULL ||
        (name != NULL && (e.name = dup_str(name)) == NULL)) {
        err = NANSEN_ERR_NOMEM;
        goto out;
    }
    err = push(ledger, &e);
out:
    if (err != NANSEN_OK)
        lentry_clear(&e);         /* on success the ledger owns them */
    nansen_grant_free(g);
    return err;
}

nansen_err nansen_ledger_append_withdrawal(nansen_ledger *ledger,
                                           const uint8_t *withdrawal,
                                           size_t len, int64_t at)
{
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    nansen_withdrawal *w = NULL;
    nansen_cose_sign1 m;
    lentry e;
    nansen_err err;

    ARG_CHECK(ledger != NULL && withdrawal != NULL && time_ok(at));
    if ((err = nansen_withdrawal_decode(ledger->ctx, &w, withdrawal, len)) !=
        NANSEN_OK)
        return err;
    /* Its own signature: a damaged withdrawal is not the holder's act. */
    if ((err = nansen_cose_sign1_verify(ledger->ctx, &m,
                                        nansen_withdrawal_holder(w),
                                        withdrawal, len, NULL, 0, &opts)) !=
        NANSEN_OK)
        goto out;
    memset(&e, 0, sizeof e);
    e.kind = NANSEN_LEDGER_WITHDRAWAL;
    e.at = at;
    memcpy(e.digest, nansen_withdrawal_grant_digest(w), HASH_BYTES);
    nansen_withdrawal_times(w, &e.withdrawn_at, NULL);
    if (!time_ok(e.withdrawn_at)) {
        err = NANSEN_ERR_OUT_OF_RANGE;
        goto out;
    }
    if (ix_has(ledger->wds, ledger->nw, e.digest, e.withdrawn_at, 1))
        goto out;                 /* already recorded */
    e.grant_recorded = ix_has(ledger->grants, ledger->ng, e.digest, 0, 0);
    err = push(ledger, &e);
out:
    nansen_withdrawal_free(w);
    return err;
}

/* ---- reading ---- */

nansen_err nansen_ledger_entry_get(const nansen_ledger *ledger, size_t i,
                                   nansen_ledger_entry *out)
{
    const lentry *e;

    ARG_CHECK(out != NULL);
    memset(out, 0, sizeof *out);
    ARG_CHECK(ledger != NULL && i < ledger->n);
    e = &ledger->e[i];
    out->seq = e->seq;
    out->kind = (nansen_ledger_kind)e->kind;
    out->at = e->at;
    memcpy(out->prev, e->prev, HASH_BYTES);
    memcpy(out->grant_digest, e->digest, HASH_BYTES);
    if (e->kind == NANSEN_LEDGER_GRANT) {
        out->audience = e->audience;
        out->audience_name = e->name;
        out->purpose = e->purpose;
        out->categories = e->cats;
        out->category_count = e->ncats;
        out->from = e->from;
        out->until = e->until;
    } else {
        out->withdrawn_at = e->withdrawn_at;
        out->grant_recorded = e->grant_recorded;
    }
    memcpy(out->hash, e->hash, HASH_BYTES);
    return NANSEN_OK;
}

nansen_err nansen_ledger_head(const nansen_ledger *ledger, uint8_t *hash,
                              uint64_t *count)
{
    if (count != NULL)
        *count = 0;
    ARG_CHECK(hash != NULL);
    memset(hash, 0, HASH_BYTES);
    ARG_CHECK(ledger != NULL);
    if (ledger->n > 0)
        memcpy(hash, ledger->e[ledger->n - 1].hash, HASH_BYTES);
    if (count != NULL)
        *count = ledger->n;
    return NANSEN_OK;
}

nansen_err nansen_ledger_check_anchor(const nansen_ledger *ledger,
                                      const uint8_t *hash, uint64_t count)
{
    static const uint8_t zero[HASH_BYTES];

    ARG_CHECK(ledger != NULL && hash != NULL);
    if (count == 0)
        return sodium_memcmp(hash, zero, HASH_BYTES) == 0
                   ? NANSEN_OK
                   : NANSEN_ERR_CHAIN_BROKEN;
    if (count > ledger->n ||
        memcmp(ledger->e[count - 1].hash, hash, HASH_BYTES) != 0)
        return NANSEN_ERR_CHAIN_BROKEN;
    return NANSEN_OK;
}

/* State of a digest at now; *wat gets the earliest withdrawal time. */
static int state_of(const nansen_ledger *l, const uint8_t *d, int64_t now,
                    int64_t *wat)
{
    size_t k;

    *wat = 0;
    k = ix_lower(l->wds, l->nw, d, INT64_MIN);
    if (k < l->nw && memcmp(l->wds[k].d, d, HASH_BYTES) == 0) {
        *wat = l->wds[k].t;       /* sorted by time: the earliest */
        return NANSEN_LEDGER_WITHDRAWN;
    }
    k = ix_lower(l->grants, l->ng, d, INT64_MIN);
    if (k == l->ng || memcmp(l->grants[k].d, d, HASH_BYTES) != 0)
        return NANSEN_LEDGER_UNRECORDED;
    if (now < l->e[l->grants[k].i].from)
        return NANSEN_LEDGER_NOT_YET;
    if (now >= l->e[l->grants[k].i].until)
        return NANSEN_LEDGER_EXPIRED;
    return NANSEN_LEDGER_ACTIVE;
}

nansen_err nansen_ledger_grant_state(const nansen_ledger *ledger,
                                     const uint8_t *digest, int64_t now,
                                     int *state)
{
    int64_t wat;

    ARG_CHECK(state != NULL);
    *state = NANSEN_LEDGER_UNRECORDED;
    ARG_CHECK(ledger != NULL && digest != NULL);
    *state = state_of(ledger, digest, now, &wat);
    return NANSEN_OK;
}

/* ---- the encoded ledger ---- */

static nansen_err write_ledger(const nansen_ledger *l, uint8_t *buf,
                               size_t cap, size_t *len)
{
    static const uint8_t zero[HASH_BYTES];
    nansen__cbw w;
    size_t i;

    nansen__cbw_init(&w, buf, cap);
    nansen__cbw_tag(&w, LEDGER_TAG);
    nansen__cbw_array(&w, 4);
    nansen__cbw_text(&w, LEDGER_MAGIC, sizeof LEDGER_MAGIC - 1);
    nansen__cbw_uint(&w, LEDGER_VERSION);
    nansen__cbw_array(&w, l->n);
    for (i = 0; i < l->n; i++)
        write_entry(&w, &l->e[i]);
    nansen__cbw_array(&w, 2);
    nansen__cbw_uint(&w, l->n);
    nansen__cbw_bytes(&w, l->n ? l->e[l->n - 1].hash : zero, HASH_BYTES);
    return nansen__cbw_finish(&w, len);
}

nansen_err nansen_ledger_encode(uint8_t *out, size_t *out_len,
                                const nansen_ledger *ledger)
{
    size_t need = 0, len = 0;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (ledger == NULL) {
        if (out != NULL)
            sodium_memzero(out, *out_len);
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    if ((err = write_ledger(ledger, NULL, 0, &need)) != NANSEN_OK) {
        if (out != NULL)
            sodium_memzero(out, *out_len);
        *out_len = 0;
        return err;
    }
    if (nansen__size_query(&err, out, out_len, need))
        return err;
    if ((err = write_ledger(ledger, out, *out_len, &len)) != NANSEN_OK) {
        sodium_memzero(out, *out_len);
        len = 0;
    }
    *out_len = len;
    return err;
}

static nansen_err read_time(nansen__cbr *r, int64_t *t)
{
    if (nansen__cbr_int(r, t) != NANSEN_OK || !time_ok(*t))
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

static nansen_err read_digest(nansen__cbr *r, uint8_t out[HASH_BYTES])
{
    const uint8_t *p;
    size_t n;

    if (nansen__cbr_bytes(r, &p, &n) != NANSEN_OK || n != HASH_BYTES)
        return NANSEN_ERR_MALFORMED;
    memcpy(out, p, HASH_BYTES);
    return NANSEN_OK;
}

static nansen_err read_uint32(nansen__cbr *r, uint32_t *v)
{
    int64_t x;

    if (nansen__cbr_int(r, &x) != NANSEN_OK || x < 0 || x > UINT32_MAX)
        return NANSEN_ERR_MALFORMED;
    *v = (uint32_t)x;
    return NANSEN_OK;
}

/* A text field: 1..max bytes of claim text (UTF-8, no controls, so no
 * NUL), copied with a NUL. */
static nansen_err read_string(nansen__cbr *r, size_t max, char **out)
{
    const char *p;
    size_t n;

    if (nansen__cbr_text(r, &p, &n) != NANSEN_OK || n == 0 || n > max ||
        !nansen__claim_text_ok((const uint8_t *)p, n))
        return NANSEN_ERR_MALFORMED;
    if ((*out = malloc(n + 1)) == NULL)
        return NANSEN_ERR_NOMEM;
    memcpy(*out, p, n);
    (*out)[n] = '\0';
    return NANSEN_OK;
}

static nansen_err read_categories(nansen__cbr *r, lentry *e)
{
    size_t n, i;

    if (nansen__cbr_array(r, &n) != NANSEN_OK || n == 0 ||
        n > NANSEN_GRANT_MAX_CATEGORIES)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n; i++)
        if (read_uint32(r, &e->cats[i]) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
    if (!cats_unique(e->cats, n))
        return NANSEN_ERR_MALFORMED;
    e->ncats = n;
    return NANSEN_OK;
}

/* One entry's fields, from bytes nansen__cbor_check_prefix accepted. The
 * chain is checked by the caller. */
static nansen_err read_entry(const uint8_t *p, size_t len, lentry *e)
{
    nansen__cbr r;
    size_t n, i;
    unsigned int seen = 0, want;
    int64_t key, x;
    nansen_err err = NANSEN_OK;

    memset(e, 0, sizeof *e);
    nansen__cbr_init(&r, p, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK)
        return NANSEN_ERR_MALFORMED;
    for (i = 0; i < n && err == NANSEN_OK; i++) {
        if (nansen__cbr_int(&r, &key) != NANSEN_OK)
            return NANSEN_ERR_MALFORMED;
        if (key < 0 || key > K_LAST)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        seen |= BIT(key);
        switch (key) {
        case K_SEQ:
            if (nansen__cbr_int(&r, &x) != NANSEN_OK || x < 0)
                return NANSEN_ERR_MALFORMED;
            e->seq = (uint64_t)x;
            break;
        case K_KIND:
            if (nansen__cbr_int(&r, &x) != NANSEN_OK || x < 1)
                return NANSEN_ERR_MALFORMED;
            if (x > NANSEN_LEDGER_WITHDRAWAL)
                return NANSEN_ERR_UNSUPPORTED_VERSION;  /* a receipt, ... */
            e->kind = (int)x;
            break;
        case K_AT:
            err = read_time(&r, &e->at);
            break;
        case K_PREV:
            err = read_digest(&r, e->prev);
            break;
        case K_DIGEST:
            err = read_digest(&r, e->digest);
            break;
        case K_AUDIENCE:
            err = read_string(&r, NANSEN__AUDIENCE_MAX_BYTES, &e->audience);
            break;
        case K_NAME:
            err = read_string(&r, NANSEN_NAME_MAX_BYTES, &e->name);
            break;
        case K_PURPOSE:
            err = read_uint32(&r, &e->purpose);
            break;
        case K_CATEGORIES:
            err = read_categories(&r, e);
            break;
        case K_FROM:
            err = read_time(&r, &e->from);
            break;
        case K_UNTIL:
            err = read_time(&r, &e->until);
            break;
        default: /* K_WITHDRAWN_AT */
            err = read_time(&r, &e->withdrawn_at);
            break;
        }
    }
    if (err != NANSEN_OK)
        return err;
    if (!nansen__cbr_done(&r))
        return NANSEN_ERR_MALFORMED;   /* never after check_prefix */
    if (!(seen & BIT(K_KIND)))
        return NANSEN_ERR_MALFORMED;
    want = e->kind == NANSEN_LEDGER_GRANT ? GRANT_KEYS : WITHDRAWAL_KEYS;
    seen &= ~(e->kind == NANSEN_LEDGER_GRANT ? BIT(K_NAME) : 0u);
    if (seen != want)
        return NANSEN_ERR_MALFORMED;
    if (e->kind == NANSEN_LEDGER_GRANT && e->from >= e->until)
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* The indexes of a decoded chain, and what they say: each grant and each
 * (grant, withdrawal time) once; which withdrawals follow their grant. */
static nansen_err build_indexes(nansen_ledger *l)
{
    size_t i, k;

    l->ng = l->nw = 0;
    for (i = 0; i < l->n; i++) {
        ix *x = l->e[i].kind == NANSEN_LEDGER_GRANT ? &l->grants[l->ng++]
                                                    : &l->wds[l->nw++];

        memcpy(x->d, l->e[i].digest, HASH_BYTES);
        x->t = l->e[i].kind == NANSEN_LEDGER_GRANT ? 0 : l->e[i].withdrawn_at;
        x->i = i;
    }
    if (l->ng > 1)
        qsort(l->grants, l->ng, sizeof *l->grants, ix_cmp);
    if (l->nw > 1)
        qsort(l->wds, l->nw, sizeof *l->wds, ix_cmp);
    for (k = 1; k < l->ng; k++)
        if (memcmp(l->grants[k - 1].d, l->grants[k].d, HASH_BYTES) == 0)
            return NANSEN_ERR_MALFORMED;
    for (k = 1; k < l->nw; k++)
        if (memcmp(l->wds[k - 1].d, l->wds[k].d, HASH_BYTES) == 0 &&
            l->wds[k - 1].t == l->wds[k].t)
            return NANSEN_ERR_MALFORMED;
    for (k = 0; k < l->nw; k++) {
        size_t g = ix_lower(l->grants, l->ng, l->wds[k].d, INT64_MIN);

        l->e[l->wds[k].i].grant_recorded =
            g < l->ng &&
            memcmp(l->grants[g].d, l->wds[k].d, HASH_BYTES) == 0 &&
            l->grants[g].i < l->wds[k].i;
    }
    return NANSEN_OK;
}

static nansen_err parse_ledger(nansen_ledger *l, const uint8_t *in,
                               size_t in_len)
{
    static const uint8_t zero[HASH_BYTES];
    nansen__cbor_item it;
    nansen__cbr r;
    const uint8_t *hp;
    size_t n, i, hn;
    int64_t count;
    nansen_err err;

    if (in_len > NANSEN_LEDGER_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if (in_len < sizeof LEDGER_PREFIX ||
        memcmp(in, LEDGER_PREFIX, sizeof LEDGER_PREFIX) != 0)
        return NANSEN_ERR_MALFORMED;
    nansen__cbr_init(&r, in + sizeof LEDGER_PREFIX,
                     in_len - sizeof LEDGER_PREFIX);
    /* The version before anything else: another may differ in all that
     * follows. */
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err;
    if (it.type != NANSEN__CBOR_UINT)
        return NANSEN_ERR_MALFORMED;
    if (it.v.u != LEDGER_VERSION)
        return NANSEN_ERR_UNSUPPORTED_VERSION;
    if ((err = nansen__cbr_next(&r, &it)) != NANSEN_OK)
        return err;
    if (it.type != NANSEN__CBOR_ARRAY)
        return NANSEN_ERR_MALFORMED;
    if (it.v.u > NANSEN_LEDGER_MAX_ENTRIES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    n = (size_t)it.v.u;
    if (n > 0) {
        if ((l->e = calloc(n, sizeof *l->e)) == NULL ||
            (l->grants = calloc(n, sizeof *l->grants)) == NULL ||
            (l->wds = calloc(n, sizeof *l->wds)) == NULL)
            return NANSEN_ERR_NOMEM;
        l->cap = n;
    }
    for (i = 0; i < n; i++) {
        size_t rest = (size_t)(r.end - r.p), item = 0;
        lentry *e = &l->e[i];

        if (rest > NANSEN_CBOR_MAX_INPUT_BYTES)
            rest = NANSEN_CBOR_MAX_INPUT_BYTES;
        if ((err = nansen__cbor_check_prefix(r.p, rest, 0, &item)) !=
            NANSEN_OK)
            return err;
        if (item > NANSEN_LEDGER_ENTRY_MAX_BYTES)
            return NANSEN_ERR_CBOR_TOO_LARGE;
        err = read_entry(r.p, item, e);
        l->n = i + 1;             /* its strings are freed with l */
        if (err != NANSEN_OK)
            return err;
        if (e->seq != i ||
            memcmp(e->prev, i ? l->e[i - 1].hash : zero, HASH_BYTES) != 0)
            return NANSEN_ERR_CHAIN_BROKEN;
        hash_entry_bytes(e->hash, r.p, item);
        r.p += item;
    }
    if (nansen__cbr_array(&r, &hn) != NANSEN_OK || hn != 2 ||
        nansen__cbr_int(&r, &count) != NANSEN_OK || count < 0 ||
        nansen__cbr_bytes(&r, &hp, &hn) != NANSEN_OK || hn != HASH_BYTES)
        return NANSEN_ERR_MALFORMED;
    if (!nansen__cbr_done(&r))
        return NANSEN_ERR_TRAILING_DATA;
    if ((uint64_t)count != n ||
        memcmp(hp, n ? l->e[n - 1].hash : zero, HASH_BYTES) != 0)
        return NANSEN_ERR_CHAIN_BROKEN;
    return build_indexes(l);
}

nansen_err nansen_ledger_decode(nansen_ctx *ctx, nansen_ledger **out,
                                const uint8_t *in, size_t in_len)
{
    nansen_ledger *l = NULL;
    uint8_t *again = NULL;          /* in_len bytes when not NULL */
    size_t len = 0, got = 0;
    nansen_err err;

    ARG_CHECK(out != NULL);
    *out = NULL;
    ARG_CHECK(ctx != NULL && in != NULL);
    if ((err = nansen_ledger_create(ctx, &l)) != NANSEN_OK)
        return err;
    if ((err = parse_ledger(l, in, in_len)) != NANSEN_OK)
        goto fail;
    /* One ledger, one encoding: entries were checked as deterministic;
     * this catches a long-form head around them. */
    if ((err = write_ledger(l, NULL, 0, &len)) != NANSEN_OK)
        goto fail;
    if (len != in_len) {
        err = NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
        goto fail;
    }
    if ((again = malloc(len)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto fail;
    }
    if ((err = write_ledger(l, again, in_len, &got)) != NANSEN_OK)
        goto fail;
    if (got != in_len || memcmp(again, in, in_len) != 0) {
        err = NANSEN_ERR_CBOR_NOT_DETERMINISTIC;
        goto fail;
    }
    sodium_memzero(again, in_len);
    free(again);
    *out = l;
    return NANSEN_OK;
fail:
    if (again != NULL)
        sodium_memzero(again, in_len);
    free(again);
    nansen_ledger_free(l);
    return err;
}

/* ---- the listing ---- */

/* The frame words of the listing. %1 and %2 are replaced by dates. They
 * live here rather than in spec/vocab/vocab.json because the vocabulary
 * has no place for interface strings yet; every language but English
 * awaits review (nansen_ledger_render_needs_review). */
typedef struct words {
    const char *tag;
    int rtl;
    const char *sep;              /* the vocabulary's list separator */
    const char *purpose, *data, *valid, *status;
    const char *active, *not_yet, *expired, *withdrawn;
} words;

#define FSI "\xe2\x81\xa8"        /* U+2068 FIRST STRONG ISOLATE */
#define PDI "\xe2\x81\xa9"        /* U+2069 POP DIRECTIONAL ISOLATE */
#define ZWNJ "\xe2\x80\x8c"       /* U+200C ZERO WIDTH NON-JOINER */

static const words WORDS[] = {
    {"en", 0, ", ", "Purpose: ", "Data: ", "Valid from %1 until %2",
     "Status: ", "active", "not yet valid", "expired", "withdrawn on %1"},
    {"fr", 0, ", ", "Finalité : ", "Données : ", "Valable du %1 au %2",
     "État : ", "actif", "pas encore valable", "expiré", "retiré le %1"},
    {"es", 0, ", ", "Finalidad: ", "Datos: ", "Válido del %1 al %2",
     "Estado: ", "activo", "aún no válido", "caducado", "retirado el %1"},
    {"ar", 1, "، ", "الغرض: ", "البيانات: ", "صالحة من %1 حتى %2",
     "الحالة: ", "سارية", "ليست صالحة بعد", "منتهية الصلاحية",
     "سحبت في %1"},
    {"fa", 1, "، ", "هدف: ", "داده" ZWNJ "ها: ", "معتبر از %1 تا %2",
     "وضعیت: ", "فعال", "هنوز معتبر نیست", "منقضی شده",
     "پس گرفته شده در %1"},
    {"uk", 0, ", ", "Мета: ", "Дані: ", "Чинна з %1 до %2", "Стан: ",
     "чинна", "ще не чинна", "строк дії минув", "відкликана %1"},
    {"ti", 0, "፣ ", "ዕላማ፦ ", "ሓበሬታ፦ ", "ካብ %1 ክሳብ %2 ቅቡል እዩ",
     "ኩነታት፦ ", "ቅቡል እዩ", "ገና ቅቡል ኣይኮነን", "ግዜኡ ኣኺሉ",
     "ብ %1 ተሰሒቡ"},
    {"so", 0, ", ", "Ujeedada: ", "Xogta: ",
     "Wuxuu ansax yahay laga bilaabo %1 ilaa %2", "Xaaladda: ", "waa ansax",
     "weli ma ansaxin", "wuu dhacay", "waa laga noqday %1"},
};

/* The words for a BCP 47 tag, matched as the vocabulary matches: the
 * primary subtag, any case; prs and pes are fa; English otherwise. */
static const words *words_for(const char *tag)
{
    char prim[9];
    size_t i;

    if (!nansen__lang_primary(prim, tag))
        return &WORDS[0];
    for (i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (strcmp(prim, WORDS[i].tag) == 0)
            return &WORDS[i];
    return &WORDS[0];
}

int nansen_ledger_render_needs_review(const char *lang)
{
    if (lang == NULL)
        return -1;
    return words_for(lang) != &WORDS[0];
}

struct sink {
    char *buf;
    size_t cap;
    size_t len;                   /* every byte, written or not */
};

static void put(struct sink *s, const char *p, size_t n)
{
    if (s->buf != NULL && s->len < s->cap) {
        size_t room = s->cap - s->len;

        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    s->len += n;
}

static void put_str(struct sink *s, const char *p)
{
    put(s, p, strlen(p));
}

/* Left-to-right text inside right-to-left text is isolated. */
static void put_ltr(struct sink *s, const words *w, const char *p)
{
    if (w->rtl)
        put_str(s, FSI);
    put_str(s, p);
    if (w->rtl)
        put_str(s, PDI);
}

static void put_date(struct sink *s, const words *w, int64_t t)
{
    char date[11];

    nansen__civil_date(date, t);
    put_ltr(s, w, date);
}

/* A template with %1 and %2 replaced by the dates t1 and t2. */
static void put_template(struct sink *s, const words *w, const char *tpl,
                         int64_t t1, int64_t t2)
{
    const char *p = tpl, *q;

    while ((q = strchr(p, '%')) != NULL) {
        put(s, p, (size_t)(q - p));
        put_date(s, w, q[1] == '1' ? t1 : t2);
        p = q + 2;
    }
    put_str(s, p);
}

static void put_label(struct sink *s, nansen_vocab_kind kind, uint32_t code,
                      const char *lang)
{
    const char *label = NULL;
    char num[16];
    size_t n = sizeof num;

    if (nansen_vocab_label(kind, code, lang, &label, NULL) == NANSEN_OK) {
        put_str(s, label);
        return;
    }
    num[--n] = '\0';
    do {
        num[--n] = (char)('0' + code % 10);
        code /= 10;
    } while (code != 0);
    num[--n] = '#';
    put_str(s, num + n);
}

static void render(struct sink *s, const nansen_ledger *l, const char *lang,
                   int64_t now)
{
    const words *w = words_for(lang);
    size_t i, j, blocks = 0;

    for (i = 0; i < l->n; i++) {
        const lentry *e = &l->e[i];
        int64_t wat;
        int st;

        if (e->kind != NANSEN_LEDGER_GRANT)
            continue;
        if (blocks++ > 0)
            put_str(s, "\n");
        put_ltr(s, w, e->name != NULL ? e->name : e->audience);
        put_str(s, "\n");
        put_str(s, w->purpose);
        put_label(s, NANSEN_VOCAB_PURPOSE, e->purpose, lang);
        put_str(s, "\n");
        put_str(s, w->data);
        for (j = 0; j < e->ncats; j++) {
            if (j > 0)
                put_str(s, w->sep);
            put_label(s, NANSEN_VOCAB_CATEGORY, e->cats[j], lang);
        }
        put_str(s, "\n");
        put_template(s, w, w->valid, e->from, e->until);
        put_str(s, "\n");
        put_str(s, w->status);
        st = state_of(l, e->digest, now, &wat);
        if (st == NANSEN_LEDGER_WITHDRAWN)
            put_template(s, w, w->withdrawn, wat, wat);
        else
            put_str(s, st == NANSEN_LEDGER_NOT_YET   ? w->not_yet
                       : st == NANSEN_LEDGER_EXPIRED ? w->expired
                                                     : w->active);
        put_str(s, "\n");
    }
}

nansen_err nansen_ledger_render(char *out, size_t *out_len,
                                const nansen_ledger *ledger,
                                const char *lang, int64_t now)
{
    struct sink s = {NULL, 0, 0};
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    if (ledger == NULL || lang == NULL) {
        if (out != NULL && *out_len > 0)
            out[0] = '\0';
        *out_len = 0;
        return NANSEN_ERR_INVALID_ARG;
    }
    render(&s, ledger, lang, now);
    if (nansen__size_query(&err, out, out_len, s.len + 1))
        return err;
    s.buf = out;
    s.cap = *out_len;
    s.len = 0;
    render(&s, ledger, lang, now);
    out[s.len] = '\0';
    *out_len = s.len + 1;
    return NANSEN_OK;
}
