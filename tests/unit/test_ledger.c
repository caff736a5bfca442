/* test_ledger.c - the consent ledger: real grants and withdrawals appended
 * and read back, one encoding per ledger, every removal, reordering,
 * insertion, duplication, alteration and truncation refused as a broken
 * chain, every bit flip refused, grant states at their boundaries, and
 * the listing byte for byte in three languages and any TZ.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "testutil.h"
#include "internal/cbor.h"
#include "nansen/ledger.h"

#define T0 1780000000LL            /* 2026-05-28T20:26:40Z */
#define DAY 86400LL
#define AT (T0 + 100)              /* recording times: AT + entry index */
#define MAX_TIME 253402300799LL    /* 9999-12-31T23:59:59Z */
#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define NONE (-1000)
/* A NULL the compiler cannot see, to reach the library's own checks of
 * arguments declared NANSEN_NONNULL. */
static void *volatile null_ptr;
#define NUL ((void *)null_ptr)               /* no extra or omitted key */
/* The head of the example ledger (spec/ledger.md). */
#define EXAMPLE_HEAD                                                        \
    "e92c8d90e70a6e09a02c20d0a68088280d8952e270e646b60866401237c0186a"

/* The functions called with NUL, through pointers without the nonnull
 * attribute (as test_withdrawal.c does), so that neither the compiler nor
 * UBSan stops the call before the library's own check. */
static nansen_err (*p_create)(nansen_ctx *, nansen_ledger **) =
    nansen_ledger_create;
static nansen_err (*p_append_grant)(nansen_ledger *, const uint8_t *, size_t,
                                    int64_t) = nansen_ledger_append_grant;
static nansen_err (*p_append_withdrawal)(nansen_ledger *, const uint8_t *,
                                         size_t, int64_t) =
    nansen_ledger_append_withdrawal;
static nansen_err (*p_entry_get)(const nansen_ledger *, size_t,
                                 nansen_ledger_entry *) =
    nansen_ledger_entry_get;
static nansen_err (*p_head)(const nansen_ledger *, uint8_t *, uint64_t *) =
    nansen_ledger_head;
static nansen_err (*p_encode)(uint8_t *, size_t *, const nansen_ledger *) =
    nansen_ledger_encode;
static nansen_err (*p_decode)(nansen_ctx *, nansen_ledger **,
                              const uint8_t *, size_t) = nansen_ledger_decode;
static nansen_err (*p_grant_state)(const nansen_ledger *, const uint8_t *,
                                   int64_t, int *) =
    nansen_ledger_grant_state;
static nansen_err (*p_check_anchor)(const nansen_ledger *, const uint8_t *,
                                    uint64_t) = nansen_ledger_check_anchor;
static nansen_err (*p_render)(char *, size_t *, const nansen_ledger *,
                              const char *, int64_t) = nansen_ledger_render;

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *ngo, *holder, *clinic, *other;
    char clinic_did[128];
    nansen_credential *cred;       /* the holder's referral */
} fx;

static nansen_key *seed_key(nansen_ctx *ctx, nansen_key_type t, uint8_t b)
{
    uint8_t s[32];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, t, s), NANSEN_OK);
    return k;
}

static int setup(void **state)
{
    static const uint8_t seed[32] = {42}, cti[NANSEN_CTI_BYTES] = {7};
    fx *f = calloc(1, sizeof *f);
    nansen_referral r;
    nansen_issue_params ip;
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t n, ref_len = sizeof ref;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->ngo = seed_key(f->ctx, NANSEN_KEY_ED25519, 1);
    f->holder = seed_key(f->ctx, NANSEN_KEY_ED25519, 2);
    f->clinic = seed_key(f->ctx, NANSEN_KEY_ED25519, 3);
    f->other = seed_key(f->ctx, NANSEN_KEY_ED25519, 6);
    n = sizeof f->clinic_did;
    if (nansen_key_did(f->clinic, f->clinic_did, &n) != NANSEN_OK)
        return -1;
    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.language = "ti";
    r.interpreter = 1;
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&ip, 0, sizeof ip);
    ip.iat = T0;
    ip.exp = T0 + 60 * DAY;
    ip.salt_seed = seed;
    ip.cti = cti;                  /* fixed: the example is a vector */
    ip.budget.max_version = -1;
    if (nansen_referral_issue(f->ctx, ref, &ref_len, f->ngo, f->holder, &r,
                              &ip) != NANSEN_OK ||
        nansen_credential_decode(f->ctx, &f->cred, ref, ref_len) !=
            NANSEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_credential_free(f->cred);
    nansen_key_free(f->ngo);
    nansen_key_free(f->holder);
    nansen_key_free(f->clinic);
    nansen_key_free(f->other);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- builders ---- */

typedef struct gspec {
    const char *name;              /* audience name or NULL */
    uint32_t purpose;
    uint32_t cats[4];
    size_t ncats;
    int64_t iat, exp;
} gspec;

/* The three grants of the examples (see test_render_english). */
static const gspec GA = {"Clinique Espoir", 1, {2, 3}, 2, T0 + 3600,
                         T0 + 3600 + 7 * DAY};
static const gspec GB = {NULL, 2, {3}, 1, T0 + 7200, T0 + 20 * DAY};
static const gspec GC = {"Centre Nour", 3, {2}, 1, T0 + 3 * DAY,
                         T0 + 5 * DAY};

static uint8_t *make_grant(fx *f, const gspec *g, size_t *len)
{
    nansen_grant_params gp;
    uint8_t *out;
    size_t i;

    memset(&gp, 0, sizeof gp);
    gp.budget.max_version = -1;
    gp.audience = f->clinic_did;
    gp.audience_name = g->name;
    gp.purpose = g->purpose;
    gp.categories = g->cats;
    gp.category_count = g->ncats;
    for (i = 0; i < g->ncats; i++)
        if (g->cats[i] == 2)
            gp.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE);
    gp.iat = g->iat;
    gp.exp = g->exp;
    gp.notice_lang = "en";
    *len = 0;
    assert_int_equal(nansen_grant_sign(f->ctx, NULL, len, f->holder, f->cred,
                                       &gp), NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_grant_sign(f->ctx, out, len, f->holder, f->cred,
                                       &gp), NANSEN_OK);
    return out;
}

static uint8_t *withdraw(fx *f, const uint8_t *g, size_t g_len, int64_t when,
                         size_t *len)
{
    uint8_t *out;

    *len = 0;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, NULL, len, f->holder, g,
                                            g_len, when), NANSEN_OK);
    assert_non_null(out = malloc(*len));
    assert_int_equal(nansen_withdrawal_sign(f->ctx, out, len, f->holder, g,
                                            g_len, when), NANSEN_OK);
    return out;
}

static void sha256(uint8_t out[32], const uint8_t *in, size_t len)
{
    crypto_hash_sha256(out, in, len);
}

static nansen_ledger *new_ledger(fx *f)
{
    nansen_ledger *l = NULL;

    assert_int_equal(nansen_ledger_create(f->ctx, &l), NANSEN_OK);
    assert_non_null(l);
    return l;
}

static void add_grant(fx *f, nansen_ledger *l, const gspec *g,
                      uint8_t digest[32])
{
    size_t len;
    uint8_t *b = make_grant(f, g, &len);

    assert_int_equal(nansen_ledger_append_grant(
                         l, b, len, AT + (int64_t)nansen_ledger_count(l)),
                     NANSEN_OK);
    if (digest != NULL)
        sha256(digest, b, len);
    free(b);
}

static void add_withdrawal(fx *f, nansen_ledger *l, const gspec *g,
                           int64_t when)
{
    size_t glen, wlen;
    uint8_t *gb = make_grant(f, g, &glen);
    uint8_t *wb = withdraw(f, gb, glen, when, &wlen);

    assert_int_equal(nansen_ledger_append_withdrawal(
                         l, wb, wlen, AT + (int64_t)nansen_ledger_count(l)),
                     NANSEN_OK);
    free(wb);
    free(gb);
}

/* The example ledger: grants A, B, C given, A withdrawn on day 2. */
static nansen_ledger *example(fx *f)
{
    nansen_ledger *l = new_ledger(f);

    add_grant(f, l, &GA, NULL);
    add_grant(f, l, &GB, NULL);
    add_withdrawal(f, l, &GA, T0 + 2 * DAY);
    add_grant(f, l, &GC, NULL);
    return l;
}

static uint8_t *encode(const nansen_ledger *l, size_t *len)
{
    uint8_t *out;
    size_t need = 0;

    assert_int_equal(nansen_ledger_encode(NULL, &need, l), NANSEN_OK);
    assert_non_null(out = malloc(need));
    *len = need;
    assert_int_equal(nansen_ledger_encode(out, len, l), NANSEN_OK);
    assert_int_equal(*len, need);
    return out;
}

static nansen_err decode_status(fx *f, const uint8_t *in, size_t len)
{
    nansen_ledger *l = (nansen_ledger *)f; /* not NULL */
    nansen_err err = nansen_ledger_decode(f->ctx, &l, in, len);

    if (err != NANSEN_OK)
        assert_null(l);
    nansen_ledger_free(l);
    return err;
}

/* ---- a ledger written by hand, to the letter of spec/ledger.md ---- */

typedef struct tentry {
    uint64_t seq;
    uint64_t kind;
    int64_t at;
    uint8_t prev[32], digest[32];
    char audience[200], name[700];
    int has_name;
    uint32_t purpose;
    uint32_t cats[20];
    size_t ncats;
    int64_t from, until, withdrawn_at;
    int64_t extra_key;             /* a key to add (value 0), or NONE */
    int omit_key;                  /* a key to leave out, or NONE */
} tentry;

static void tentry_from(tentry *t, const nansen_ledger_entry *e)
{
    memset(t, 0, sizeof *t);
    t->seq = e->seq;
    t->kind = e->kind;
    t->at = e->at;
    memcpy(t->prev, e->prev, 32);
    memcpy(t->digest, e->grant_digest, 32);
    if (e->kind == NANSEN_LEDGER_GRANT) {
        strcpy(t->audience, e->audience);
        if (e->audience_name != NULL) {
            strcpy(t->name, e->audience_name);
            t->has_name = 1;
        }
        t->purpose = e->purpose;
        memcpy(t->cats, e->categories, e->category_count * sizeof(uint32_t));
        t->ncats = e->category_count;
        t->from = e->from;
        t->until = e->until;
    } else {
        t->withdrawn_at = e->withdrawn_at;
    }
    t->extra_key = NONE;
    t->omit_key = NONE;
}

/* The entries of a ledger as tentries (n of them, malloc'd). */
static tentry *tentries(const nansen_ledger *l, size_t *n)
{
    tentry *t;
    size_t i;

    *n = nansen_ledger_count(l);
    assert_non_null(t = calloc(*n + 1, sizeof *t));
    for (i = 0; i < *n; i++) {
        nansen_ledger_entry e;

        assert_int_equal(nansen_ledger_entry_get(l, i, &e), NANSEN_OK);
        tentry_from(&t[i], &e);
    }
    return t;
}

static void put_entry(nansen__cbw *w, const tentry *t)
{
    int grant = t->kind == NANSEN_LEDGER_GRANT;
    size_t n = grant ? 10u + (size_t)t->has_name : 6u, i;

    n += t->extra_key != NONE;
    n -= t->omit_key != NONE;
    nansen__cbw_map(w, n);
#define KEY(k) if (t->omit_key != (k) && (nansen__cbw_uint(w, (k)), 1))
    KEY(0) nansen__cbw_uint(w, t->seq);
    KEY(1) nansen__cbw_uint(w, t->kind);
    KEY(2) nansen__cbw_int(w, t->at);
    KEY(3) nansen__cbw_bytes(w, t->prev, 32);
    KEY(4) nansen__cbw_bytes(w, t->digest, 32);
    if (grant) {
        KEY(5) nansen__cbw_text(w, t->audience, strlen(t->audience));
        if (t->has_name)
            KEY(6) nansen__cbw_text(w, t->name, strlen(t->name));
        KEY(7) nansen__cbw_uint(w, t->purpose);
        KEY(8) {
            nansen__cbw_array(w, t->ncats);
            for (i = 0; i < t->ncats; i++)
                nansen__cbw_uint(w, t->cats[i]);
        }
        KEY(9) nansen__cbw_int(w, t->from);
        KEY(10) nansen__cbw_int(w, t->until);
    } else {
        KEY(11) nansen__cbw_int(w, t->withdrawn_at);
    }
#undef KEY
    if (t->extra_key != NONE) {
        nansen__cbw_int(w, t->extra_key);
        nansen__cbw_uint(w, 0);
    }
    nansen__cbw_map_end(w);
}

/* SHA-256("nansen-ledger-entry-v1" NUL || entry CBOR). */
static void entry_hash(uint8_t out[32], const tentry *t)
{
    static const char dom[] = "nansen-ledger-entry-v1";
    uint8_t buf[4096], tmp[4096 + sizeof dom];
    nansen__cbw w;
    size_t len = 0;

    nansen__cbw_init(&w, buf, sizeof buf);
    put_entry(&w, t);
    assert_int_equal(nansen__cbw_finish(&w, &len), NANSEN_OK);
    memcpy(tmp, dom, sizeof dom);
    memcpy(tmp + sizeof dom, buf, len);
    sha256(out, tmp, sizeof dom + len);
}

enum { HEAD_GIVEN, HEAD_FIX, RECHAIN };

/* Encode entries t[0..n) as a ledger. HEAD_GIVEN: the head is (count,
 * hash); HEAD_FIX: the head is recomputed from the entries as they are;
 * RECHAIN: seq and prev are rewritten too, as a holder of the wallet key
 * could. */
static uint8_t *write_ledger(tentry *t, size_t n, int mode, uint64_t count,
                             const uint8_t *hash, uint64_t version,
                             size_t *len)
{
    uint8_t head[32] = {0}, *out;
    size_t cap = 200, i;
    nansen__cbw w;

    if (mode != HEAD_GIVEN)
        count = n;
    for (i = 0; i < n; i++) {
        cap += 600 + strlen(t[i].audience) + strlen(t[i].name);
        if (mode == RECHAIN) {
            t[i].seq = i;
            memcpy(t[i].prev, head, 32);
        }
        entry_hash(head, &t[i]);
    }
    if (mode == HEAD_GIVEN)
        memcpy(head, hash, 32);
    assert_non_null(out = malloc(cap));
    nansen__cbw_init(&w, out, cap);
    nansen__cbw_tag(&w, 55799);
    nansen__cbw_array(&w, 4);
    nansen__cbw_text(&w, "nansen-ledger", 13);
    nansen__cbw_uint(&w, version);
    nansen__cbw_array(&w, n);
    for (i = 0; i < n; i++)
        put_entry(&w, &t[i]);
    nansen__cbw_array(&w, 2);
    nansen__cbw_uint(&w, count);
    nansen__cbw_bytes(&w, head, 32);
    assert_int_equal(nansen__cbw_finish(&w, len), NANSEN_OK);
    return out;
}

/* The status of entries t[0..n) written in a mode (head as the original
 * ledger's for HEAD_GIVEN). */
static nansen_err status_of(fx *f, tentry *t, size_t n, int mode,
                            const uint8_t head[32], uint64_t count)
{
    size_t len;
    uint8_t *b = write_ledger(t, n, mode, count, head, 1, &len);
    nansen_err err = decode_status(f, b, len);

    free(b);
    return err;
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f), *d = NULL;
    uint8_t heads[5][32], dg[3][32], zero[32] = {0}, *b1, *b2, *gb, *wb;
    uint64_t count = 99;
    size_t len1, len2, glen, wlen, i, j;
    nansen_ledger_entry e, e2;
    nansen_grant *g = NULL;
    int64_t nbf, exp;

    assert_int_equal(nansen_ledger_head(l, heads[0], &count), NANSEN_OK);
    assert_memory_equal(heads[0], zero, 32);
    assert_int_equal(count, 0);
    add_grant(f, l, &GA, dg[0]);
    assert_int_equal(nansen_ledger_head(l, heads[1], &count), NANSEN_OK);
    assert_int_equal(count, 1);
    add_grant(f, l, &GB, dg[1]);
    assert_int_equal(nansen_ledger_head(l, heads[2], &count), NANSEN_OK);
    add_withdrawal(f, l, &GA, T0 + 2 * DAY);
    assert_int_equal(nansen_ledger_head(l, heads[3], &count), NANSEN_OK);
    add_grant(f, l, &GC, dg[2]);
    assert_int_equal(nansen_ledger_head(l, heads[4], &count), NANSEN_OK);
    assert_int_equal(count, 4);
    assert_int_equal(nansen_ledger_count(l), 4);
    for (i = 0; i < 5; i++)
        for (j = 0; j < i; j++)
            assert_memory_not_equal(heads[i], heads[j], 32);

    /* the entries, field by field, against the grants themselves */
    gb = make_grant(f, &GA, &glen);
    assert_int_equal(nansen_grant_decode(f->ctx, &g, gb, glen), NANSEN_OK);
    nansen_grant_times(g, NULL, &nbf, &exp);
    assert_int_equal(nansen_ledger_entry_get(l, 0, &e), NANSEN_OK);
    assert_int_equal(e.seq, 0);
    assert_int_equal(e.kind, NANSEN_LEDGER_GRANT);
    assert_int_equal(e.at, AT);
    assert_memory_equal(e.prev, zero, 32);
    assert_memory_equal(e.grant_digest, dg[0], 32);
    assert_memory_equal(e.grant_digest, nansen_grant_digest(g), 32);
    assert_string_equal(e.audience, f->clinic_did);
    assert_string_equal(e.audience_name, "Clinique Espoir");
    assert_int_equal(e.purpose, 1);
    assert_int_equal(e.category_count, 2);
    assert_int_equal(e.categories[0], 2);
    assert_int_equal(e.categories[1], 3);
    assert_int_equal(e.from, GA.iat);
    assert_int_equal(e.from, nbf);
    assert_int_equal(e.until, exp);
    assert_int_equal(e.withdrawn_at, 0);
    assert_memory_equal(e.hash, heads[1], 32);
    nansen_grant_free(g);
    free(gb);

    assert_int_equal(nansen_ledger_entry_get(l, 1, &e), NANSEN_OK);
    assert_int_equal(e.seq, 1);
    assert_int_equal(e.at, AT + 1);
    assert_memory_equal(e.prev, heads[1], 32);
    assert_null(e.audience_name);
    assert_string_equal(e.audience, f->clinic_did);
    assert_int_equal(e.purpose, 2);
    assert_int_equal(e.category_count, 1);
    assert_int_equal(e.categories[0], 3);
    assert_int_equal(e.until, GB.exp);

    assert_int_equal(nansen_ledger_entry_get(l, 2, &e), NANSEN_OK);
    assert_int_equal(e.seq, 2);
    assert_int_equal(e.kind, NANSEN_LEDGER_WITHDRAWAL);
    assert_int_equal(e.at, AT + 2);
    assert_memory_equal(e.prev, heads[2], 32);
    assert_memory_equal(e.grant_digest, dg[0], 32);
    assert_int_equal(e.withdrawn_at, T0 + 2 * DAY);
    assert_int_equal(e.grant_recorded, 1);
    assert_null(e.audience);
    assert_null(e.categories);
    assert_int_equal(e.category_count, 0);
    assert_memory_equal(e.hash, heads[3], 32);

    assert_int_equal(nansen_ledger_entry_get(l, 3, &e), NANSEN_OK);
    assert_memory_equal(e.grant_digest, dg[2], 32);
    assert_memory_equal(e.hash, heads[4], 32);

    /* one encoding: decode, read back the same, encode the same */
    b1 = encode(l, &len1);
    assert_true(len1 <= NANSEN_LEDGER_MAX_BYTES);
    assert_int_equal(nansen_ledger_decode(f->ctx, &d, b1, len1), NANSEN_OK);
    b2 = encode(d, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(b1, b2, len1);
    assert_int_equal(nansen_ledger_count(d), 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(nansen_ledger_entry_get(l, i, &e), NANSEN_OK);
        assert_int_equal(nansen_ledger_entry_get(d, i, &e2), NANSEN_OK);
        assert_int_equal(e.seq, e2.seq);
        assert_int_equal(e.kind, e2.kind);
        assert_int_equal(e.at, e2.at);
        assert_memory_equal(e.prev, e2.prev, 32);
        assert_memory_equal(e.grant_digest, e2.grant_digest, 32);
        assert_memory_equal(e.hash, e2.hash, 32);
        assert_int_equal(e.purpose, e2.purpose);
        assert_int_equal(e.category_count, e2.category_count);
        if (e.category_count)
            assert_memory_equal(e.categories, e2.categories,
                                e.category_count * sizeof(uint32_t));
        if (e.audience)
            assert_string_equal(e.audience, e2.audience);
        else
            assert_null(e2.audience);
        if (e.audience_name)
            assert_string_equal(e.audience_name, e2.audience_name);
        else
            assert_null(e2.audience_name);
        assert_int_equal(e.from, e2.from);
        assert_int_equal(e.until, e2.until);
        assert_int_equal(e.withdrawn_at, e2.withdrawn_at);
        assert_int_equal(e.grant_recorded, e2.grant_recorded);
    }
    assert_int_equal(nansen_ledger_head(d, heads[0], &count), NANSEN_OK);
    assert_memory_equal(heads[0], heads[4], 32);

    /* a decoded ledger grows like the original */
    gb = make_grant(f, &GA, &glen);
    wb = withdraw(f, gb, glen, T0 + 4 * DAY, &wlen);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT + 4),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_append_withdrawal(d, wb, wlen, AT + 4),
                     NANSEN_OK);
    free(b1);
    free(b2);
    b1 = encode(l, &len1);
    b2 = encode(d, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(b1, b2, len1);
    free(b1);
    free(b2);
    free(wb);
    free(gb);
    nansen_ledger_free(d);
    nansen_ledger_free(l);
}

/* The text written by hand to spec/ledger.md is the library's. */
static void test_spec_conformance(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    size_t n, len, mine_len;
    tentry *t = tentries(l, &n);
    uint8_t head[32], *lib = encode(l, &len), *mine;
    uint64_t count;

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    mine = write_ledger(t, n, HEAD_GIVEN, count, head, 1, &mine_len);
    assert_int_equal(mine_len, len);
    assert_memory_equal(mine, lib, len);
    free(mine);
    mine = write_ledger(t, n, RECHAIN, 0, NULL, 1, &mine_len);
    assert_memory_equal(mine, lib, len);
    free(mine);
    free(lib);
    free(t);
    nansen_ledger_free(l);
}

/* The example of spec/ledger.md: the empty ledger's bytes and the head of
 * the example ledger (made from fixed keys; signing is deterministic). */
static void test_spec_example(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f);
    uint8_t *b, head[32], want[32];
    size_t len;
    uint64_t count;
    char hex[65];

    b = encode(l, &len);
    assert_int_equal(len, 56);
    {
        uint8_t w[56] = {0};

        tu_hex_into(w, 24, "d9d9f7846d6e616e73656e2d6c65646765720180820058"
                           "20");
        assert_memory_equal(w, b, len);
    }
    free(b);
    nansen_ledger_free(l);

    /* the one-entry vector: a withdrawal of a grant the ledger never saw */
    {
        static const char vec[] =
            "d9d9f7846d6e616e73656e2d6c65646765720181a600000102021a6a18"
            "a5640358200000000000000000000000000000000000000000000000000000"
            "0000000000000458201111111111111111111111111111111111111111111111"
            "1111111111111111110b1a6a1b4800820158203227348d0cc9df674c45b22e"
            "62d223a9ede111c99c69698b02e005b4229a6526";
        uint8_t *v = tu_hex(vec, &len), h1[32], d11[32];
        nansen_ledger_entry e;
        size_t len2;

        assert_int_equal(len, 143);
        assert_int_equal(nansen_ledger_decode(f->ctx, &l, v, len), NANSEN_OK);
        assert_int_equal(nansen_ledger_count(l), 1);
        assert_int_equal(nansen_ledger_entry_get(l, 0, &e), NANSEN_OK);
        assert_int_equal(e.kind, NANSEN_LEDGER_WITHDRAWAL);
        assert_int_equal(e.at, 1780000100);
        assert_int_equal(e.withdrawn_at, 1780172800);
        assert_int_equal(e.grant_recorded, 0);
        memset(d11, 0x11, sizeof d11);
        assert_memory_equal(e.grant_digest, d11, 32);
        tu_hex_into(h1, 32, "3227348d0cc9df674c45b22e62d223a9ede111c99c6969"
                            "8b02e005b4229a6526");
        assert_memory_equal(e.hash, h1, 32);
        b = encode(l, &len2);
        assert_int_equal(len2, len);
        assert_memory_equal(b, v, len);
        free(b);
        free(v);
        nansen_ledger_free(l);
    }

    l = example(f);
    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    assert_int_equal(count, 4);
    sodium_bin2hex(hex, sizeof hex, head, 32);
    print_message("example head: %s\n", hex);
    tu_hex_into(want, 32, EXAMPLE_HEAD);
    assert_memory_equal(head, want, 32);
    nansen_ledger_free(l);
}

static void test_idempotent_appends(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f);
    uint8_t *gb = NULL, *wb, h1[32], h2[32];
    size_t glen, wlen;

    gb = make_grant(f, &GA, &glen);
    wb = withdraw(f, gb, glen, T0 + DAY, &wlen);
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, AT), NANSEN_OK);
    assert_int_equal(nansen_ledger_head(l, h1, NULL), NANSEN_OK);
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, AT + 9),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_count(l), 1);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT + 1),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT + 2),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_count(l), 2);
    assert_int_equal(nansen_ledger_head(l, h2, NULL), NANSEN_OK);
    assert_memory_not_equal(h1, h2, 32);
    /* another withdrawal of the same grant, later: also the holder's act */
    free(wb);
    wb = withdraw(f, gb, glen, T0 + 2 * DAY, &wlen);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT + 3),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_count(l), 3);
    free(wb);
    free(gb);
    nansen_ledger_free(l);
}

/* A withdrawal of a grant the ledger never saw is kept and marked. */
static void test_withdrawal_of_unrecorded_grant(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f), *d = NULL;
    nansen_ledger_entry e;
    uint8_t *gb, *wb, dg[32], *b;
    size_t glen, wlen, len;
    int st = -1;
    char out[8];

    gb = make_grant(f, &GB, &glen);
    sha256(dg, gb, glen);
    wb = withdraw(f, gb, glen, T0 + DAY, &wlen);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT),
                     NANSEN_OK);
    assert_int_equal(nansen_ledger_entry_get(l, 0, &e), NANSEN_OK);
    assert_int_equal(e.grant_recorded, 0);
    assert_memory_equal(e.grant_digest, dg, 32);
    assert_int_equal(nansen_ledger_grant_state(l, dg, T0 + DAY, &st),
                     NANSEN_OK);
    assert_int_equal(st, NANSEN_LEDGER_WITHDRAWN);
    len = sizeof out;
    assert_int_equal(nansen_ledger_render(out, &len, l, "en", T0), NANSEN_OK);
    assert_int_equal(len, 1);
    assert_string_equal(out, "");
    /* the grant recorded afterwards: listed as withdrawn; the withdrawal
     * stays marked, before and after a round trip */
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, AT + 1),
                     NANSEN_OK);
    b = encode(l, &len);
    assert_int_equal(nansen_ledger_decode(f->ctx, &d, b, len), NANSEN_OK);
    assert_int_equal(nansen_ledger_entry_get(d, 0, &e), NANSEN_OK);
    assert_int_equal(e.grant_recorded, 0);
    assert_int_equal(nansen_ledger_grant_state(d, dg, T0 + DAY, &st),
                     NANSEN_OK);
    assert_int_equal(st, NANSEN_LEDGER_WITHDRAWN);
    free(b);
    free(wb);
    free(gb);
    nansen_ledger_free(d);
    nansen_ledger_free(l);
}

/* Remove any one entry, with the head kept or recomputed. */
static void test_removal(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f), *d = NULL;
    size_t n, i, len;
    tentry *t = tentries(l, &n), *u;
    uint8_t head[32], *b;
    uint64_t count;

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    assert_non_null(u = calloc(n, sizeof *u));
    for (i = 0; i < n; i++) {
        memcpy(u, t, i * sizeof *t);
        memcpy(u + i, t + i + 1, (n - i - 1) * sizeof *t);
        assert_int_equal(status_of(f, u, n - 1, HEAD_GIVEN, head, count),
                         NANSEN_ERR_CHAIN_BROKEN);
        assert_int_equal(status_of(f, u, n - 1, HEAD_GIVEN, head, n - 1),
                         NANSEN_ERR_CHAIN_BROKEN);
        if (i + 1 < n) {
            assert_int_equal(status_of(f, u, n - 1, HEAD_FIX, head, 0),
                             NANSEN_ERR_CHAIN_BROKEN);
            continue;
        }
        /* The last entry removed and the head recomputed is, byte for
         * byte, the ledger before that entry was appended: no keyless
         * chain can tell. The anchor does. */
        b = write_ledger(u, n - 1, HEAD_FIX, 0, NULL, 1, &len);
        assert_int_equal(nansen_ledger_decode(f->ctx, &d, b, len), NANSEN_OK);
        assert_int_equal(nansen_ledger_check_anchor(d, head, count),
                         NANSEN_ERR_CHAIN_BROKEN);
        assert_int_equal(nansen_ledger_check_anchor(l, head, count),
                         NANSEN_OK);
        assert_int_equal(nansen_ledger_check_anchor(d, t[n - 1].prev,
                                                    count - 1), NANSEN_OK);
        nansen_ledger_free(d);
        d = NULL;
        free(b);
    }
    free(u);
    free(t);
    nansen_ledger_free(l);
}

/* Any prefix, with the head kept: a truncated list. */
static void test_truncation(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    size_t n, k;
    tentry *t = tentries(l, &n);
    uint8_t head[32];
    uint64_t count;

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    for (k = 0; k < n; k++) {
        assert_int_equal(status_of(f, t, k, HEAD_GIVEN, head, count),
                         NANSEN_ERR_CHAIN_BROKEN);
        assert_int_equal(status_of(f, t, k, HEAD_GIVEN, head, k),
                         NANSEN_ERR_CHAIN_BROKEN);
    }
    assert_int_equal(status_of(f, t, n, HEAD_GIVEN, head, count), NANSEN_OK);
    free(t);
    nansen_ledger_free(l);
}

/* Swap any two, duplicate any one, insert one from another ledger. */
static void test_reorder_duplicate_insert(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f), *other = new_ledger(f);
    size_t n, i, j, k, m;
    tentry *t = tentries(l, &n), *u, *o;
    uint8_t head[32];
    uint64_t count;
    static const gspec gd = {"Other", 1, {3}, 1, T0 + 4 * DAY, T0 + 9 * DAY};

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    assert_non_null(u = calloc(n + 1, sizeof *u));
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++) {
            memcpy(u, t, n * sizeof *t);
            u[i] = t[j];
            u[j] = t[i];
            assert_int_equal(status_of(f, u, n, HEAD_GIVEN, head, count),
                             NANSEN_ERR_CHAIN_BROKEN);
            assert_int_equal(status_of(f, u, n, HEAD_FIX, head, 0),
                             NANSEN_ERR_CHAIN_BROKEN);
        }
    for (i = 0; i < n; i++)
        for (k = 0; k <= n; k++) {   /* copy of entry i placed at k */
            memcpy(u, t, k * sizeof *t);
            u[k] = t[i];
            memcpy(u + k + 1, t + k, (n - k) * sizeof *t);
            assert_int_equal(status_of(f, u, n + 1, HEAD_GIVEN, head, count),
                             NANSEN_ERR_CHAIN_BROKEN);
            assert_int_equal(status_of(f, u, n + 1, HEAD_FIX, head, 0),
                             NANSEN_ERR_CHAIN_BROKEN);
        }
    /* an entry of another ledger (another grant), inserted anywhere */
    add_grant(f, other, &gd, NULL);
    add_grant(f, other, &GA, NULL);
    o = tentries(other, &m);
    for (k = 0; k <= n; k++)
        for (j = 0; j < m; j++) {
            memcpy(u, t, k * sizeof *t);
            u[k] = o[j];
            memcpy(u + k + 1, t + k, (n - k) * sizeof *t);
            assert_int_equal(status_of(f, u, n + 1, HEAD_GIVEN, head, count),
                             NANSEN_ERR_CHAIN_BROKEN);
            assert_int_equal(status_of(f, u, n + 1, HEAD_FIX, head, 0),
                             NANSEN_ERR_CHAIN_BROKEN);
        }
    free(o);
    free(u);
    free(t);
    nansen_ledger_free(other);
    nansen_ledger_free(l);
}

/* Change field `which` of an entry to another valid value; returns 0 when
 * the field does not exist in this kind of entry. */
static int alter(tentry *t, int which)
{
    int grant = t->kind == NANSEN_LEDGER_GRANT;

    switch (which) {
    case 0: t->seq += 1; return 1;
    case 1: t->at += 1; return 1;
    case 2: t->prev[31] ^= 1; return 1;
    case 3: t->digest[0] ^= 0x80; return 1;
    case 4:
        if (!grant)
            return 0;
        t->audience[strlen(t->audience) - 1] ^= 1;
        return 1;
    case 5:                        /* name changed, added or removed */
        if (!grant)
            return 0;
        if (t->has_name)
            t->name[0] = 'X';
        else
            strcpy(t->name, "Someone else");
        t->has_name = 1;
        return 1;
    case 6:
        if (!grant || !t->has_name)
            return 0;
        t->has_name = 0;
        return 1;
    case 7:
        if (!grant)
            return 0;
        t->purpose = t->purpose == 5 ? 4 : 5;
        return 1;
    case 8:                        /* one more category */
        if (!grant)
            return 0;
        t->cats[t->ncats++] = 6;
        return 1;
    case 9:                        /* one category changed */
        if (!grant)
            return 0;
        t->cats[0] = 4;
        return 1;
    case 10:                       /* categories reordered or one dropped */
        if (!grant)
            return 0;
        if (t->ncats > 1) {
            uint32_t c = t->cats[0];

            t->cats[0] = t->cats[1];
            t->cats[1] = c;
        } else {
            t->cats[t->ncats++] = 1;
        }
        return 1;
    case 11:
        if (!grant)
            return 0;
        t->from -= 1;
        return 1;
    case 12:
        if (!grant)
            return 0;
        t->until += DAY;
        return 1;
    case 13:
        if (grant)
            return 0;
        t->withdrawn_at -= 1;
        return 1;
    default:
        return -1;
    }
}

static void test_alteration(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f), *d = NULL;
    size_t n, i, len, tried = 0;
    tentry *t = tentries(l, &n), *u;
    uint8_t head[32], *b;
    uint64_t count;
    int which, r;

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    assert_non_null(u = calloc(n, sizeof *u));
    for (i = 0; i < n; i++)
        for (which = 0; (memcpy(u, t, n * sizeof *t),
                         r = alter(&u[i], which)) >= 0;
             which++) {
            if (r == 0)
                continue;
            tried++;
            /* the altered entry is itself well formed */
            b = write_ledger(u, n, HEAD_GIVEN, count, head, 1, &len);
            assert_int_equal(nansen_cbor_check(b, len, 0), NANSEN_OK);
            free(b);
            assert_int_equal(status_of(f, u, n, HEAD_GIVEN, head, count),
                             NANSEN_ERR_CHAIN_BROKEN);
            if (i + 1 < n || which == 0 || which == 2)
                assert_int_equal(status_of(f, u, n, HEAD_FIX, head, 0),
                                 NANSEN_ERR_CHAIN_BROKEN);
            if (which == 0 || which == 2)
                continue;          /* rechaining undoes these two */
            /* rewritten whole, as the wallet key's holder could: only an
             * anchor noted before shows it */
            b = write_ledger(u, n, RECHAIN, 0, NULL, 1, &len);
            assert_int_equal(nansen_ledger_decode(f->ctx, &d, b, len),
                             NANSEN_OK);
            assert_int_equal(nansen_ledger_check_anchor(d, head, count),
                             NANSEN_ERR_CHAIN_BROKEN);
            nansen_ledger_free(d);
            d = NULL;
            free(b);
        }
    assert_int_equal(tried, 13 + 12 + 13 + 5);
    free(u);
    free(t);
    nansen_ledger_free(l);
}

static void test_every_bit_flip(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    size_t len, i, chain = 0;
    uint8_t *b = encode(l, &len);
    int bit;

    for (i = 0; i < len; i++)
        for (bit = 0; bit < 8; bit++) {
            nansen_err err;

            b[i] ^= (uint8_t)(1u << bit);
            err = decode_status(f, b, len);
            b[i] ^= (uint8_t)(1u << bit);
            assert_int_not_equal(err, NANSEN_OK);
            chain += err == NANSEN_ERR_CHAIN_BROKEN;
        }
    assert_true(chain > len);   /* most flips inside entries are caught by
                                   the chain, not the parser */
    for (i = 0; i < len; i++)
        assert_int_not_equal(decode_status(f, b, i), NANSEN_OK);
    free(b);
    nansen_ledger_free(l);
}

static void test_structure(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    size_t n, len;
    tentry *t = tentries(l, &n), u[8];
    uint8_t head[32], *b, *big;
    uint64_t count;

#define RECHAINED(status)                                                   \
    do {                                                                    \
        assert_int_equal(status_of(f, u, n, RECHAIN, NULL, 0), (status));   \
        memcpy(u, t, n * sizeof *t);                                        \
    } while (0)

    assert_int_equal(nansen_ledger_head(l, head, &count), NANSEN_OK);
    memcpy(u, t, n * sizeof *t);
    RECHAINED(NANSEN_OK);
    /* the version first */
    b = write_ledger(u, n, HEAD_GIVEN, count, head, 2, &len);
    assert_int_equal(decode_status(f, b, len), NANSEN_ERR_UNSUPPORTED_VERSION);
    free(b);
    /* a receipt (kind 3), an unknown key: a newer profile */
    u[1].kind = 3;
    RECHAINED(NANSEN_ERR_UNSUPPORTED_VERSION);
    u[2].extra_key = 12;
    RECHAINED(NANSEN_ERR_UNSUPPORTED_VERSION);
    u[2].extra_key = -6;           /* a negative key */
    RECHAINED(NANSEN_ERR_UNSUPPORTED_VERSION);
    /* fields missing, from the other kind, out of range */
    u[0].omit_key = 8;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].omit_key = 1;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[2].omit_key = 11;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].extra_key = 11;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[2].extra_key = 7;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[1].kind = 0;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[1].at = 0;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[1].at = MAX_TIME + 1;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[1].until = u[1].from;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[2].withdrawn_at = -5;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].ncats = 0;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].cats[1] = u[0].cats[0];
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].ncats = 17;
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].purpose = 0;              /* a code need not be known */
    RECHAINED(NANSEN_OK);
    strcpy(u[0].audience, "kid:\x01");
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[0].audience[0] = '\0';
    RECHAINED(NANSEN_ERR_MALFORMED);
    memset(u[0].audience, 'a', 129);
    RECHAINED(NANSEN_ERR_MALFORMED);
    memset(u[0].audience, 'a', 128);
    RECHAINED(NANSEN_OK);
    memset(u[0].name, 'n', 257);
    RECHAINED(NANSEN_ERR_MALFORMED);
    /* a grant or a withdrawal recorded twice, chained correctly */
    u[3] = t[0];
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[3] = t[2];
    RECHAINED(NANSEN_ERR_MALFORMED);
    u[3] = t[2];
    u[3].withdrawn_at += 1;
    RECHAINED(NANSEN_OK);

    b = encode(l, &len);
    /* bad magic, trailing bytes, long forms, head of the wrong shape */
    b[6] ^= 0x20;
    assert_int_equal(decode_status(f, b, len), NANSEN_ERR_MALFORMED);
    b[6] ^= 0x20;
    assert_non_null(big = malloc(len + 8));
    memcpy(big, b, len);
    big[len] = 0x00;
    assert_int_equal(decode_status(f, big, len + 1),
                     NANSEN_ERR_TRAILING_DATA);
    /* the version as 0x18 0x01 */
    memcpy(big, b, 18);
    big[18] = 0x18;
    memcpy(big + 19, b + 18, len - 18);
    assert_int_equal(decode_status(f, big, len + 1),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    /* the entry array as 0x98 0x04 */
    assert_int_equal(b[19], 0x84);
    memcpy(big, b, 19);
    big[19] = 0x98;
    big[20] = 0x04;
    memcpy(big + 21, b + 20, len - 20);
    assert_int_equal(decode_status(f, big, len + 1),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    /* the head: [4, hash] with 4 as 0x18 0x04 */
    assert_int_equal(b[len - 36], 0x82);
    memcpy(big, b, len - 35);
    big[len - 35] = 0x18;
    memcpy(big + len - 34, b + len - 35, 35);
    assert_int_equal(decode_status(f, big, len + 1),
                     NANSEN_ERR_CBOR_NOT_DETERMINISTIC);
    b[len - 36] = 0x83;
    assert_int_equal(decode_status(f, b, len), NANSEN_ERR_MALFORMED);
    b[len - 36] = 0x82;
    b[len - 33] = 0x1f;            /* a hash of 31 bytes */
    assert_int_equal(decode_status(f, b, len - 1), NANSEN_ERR_MALFORMED);
    free(big);
    free(b);
    /* an indefinite entry map */
    {
        static const uint8_t indef[] = {
            0xd9, 0xd9, 0xf7, 0x84, 0x6d, 'n', 'a', 'n', 's', 'e', 'n', '-',
            'l', 'e', 'd', 'g', 'e', 'r', 0x01, 0x81, 0xbf, 0xff};
        assert_int_equal(decode_status(f, indef, sizeof indef),
                         NANSEN_ERR_CBOR_INDEFINITE);
        assert_int_equal(decode_status(f, indef, 3), NANSEN_ERR_MALFORMED);
        assert_int_equal(decode_status(f, indef, 19), NANSEN_ERR_TRUNCATED);
    }
    free(t);
    nansen_ledger_free(l);
#undef RECHAINED
}

static void test_grant_state(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f);
    uint8_t da[32], db[32], other[32] = {1};
    int st = -1;
    static const struct {
        int64_t now;
        int state;
    } cases[] = {
        {INT64_MIN, NANSEN_LEDGER_NOT_YET},
        {GA.iat - 1, NANSEN_LEDGER_NOT_YET},
        {GA.iat, NANSEN_LEDGER_ACTIVE},
        {GA.exp - 1, NANSEN_LEDGER_ACTIVE},
        {GA.exp, NANSEN_LEDGER_EXPIRED},
        {INT64_MAX, NANSEN_LEDGER_EXPIRED},
    };
    size_t i;

    add_grant(f, l, &GA, da);
    add_grant(f, l, &GB, db);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(nansen_ledger_grant_state(l, da, cases[i].now, &st),
                         NANSEN_OK);
        assert_int_equal(st, cases[i].state);
    }
    assert_int_equal(nansen_ledger_grant_state(l, other, GA.iat, &st),
                     NANSEN_OK);
    assert_int_equal(st, NANSEN_LEDGER_UNRECORDED);
    /* withdrawn on day 2: withdrawn at every time, as for a verifier; the
     * other grant untouched */
    add_withdrawal(f, l, &GA, T0 + 2 * DAY);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(nansen_ledger_grant_state(l, da, cases[i].now, &st),
                         NANSEN_OK);
        assert_int_equal(st, NANSEN_LEDGER_WITHDRAWN);
    }
    assert_int_equal(nansen_ledger_grant_state(l, db, GB.exp - 1, &st),
                     NANSEN_OK);
    assert_int_equal(st, NANSEN_LEDGER_ACTIVE);
    assert_int_equal(nansen_ledger_grant_state(l, db, GB.exp, &st),
                     NANSEN_OK);
    assert_int_equal(st, NANSEN_LEDGER_EXPIRED);
    assert_int_equal(p_grant_state(NUL, db, 0, &st),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(st, NANSEN_LEDGER_UNRECORDED);
    assert_int_equal(p_grant_state(l, NUL, 0, &st),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_grant_state(l, db, 0, NUL),
                     NANSEN_ERR_INVALID_ARG);
    nansen_ledger_free(l);
}

static char *render(const nansen_ledger *l, const char *lang, int64_t now)
{
    char *out;
    size_t need = 0, len;

    assert_int_equal(nansen_ledger_render(NULL, &need, l, lang, now),
                     NANSEN_OK);
    assert_non_null(out = malloc(need));
    len = need;
    assert_int_equal(nansen_ledger_render(out, &len, l, lang, now),
                     NANSEN_OK);
    assert_int_equal(len, need);
    assert_int_equal(strlen(out) + 1, len);
    return out;
}

static void test_render_english(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    char want[2048], *got;

    snprintf(want, sizeof want,
             "Clinique Espoir\n"
             "Purpose: Treatment\n"
             "Data: Language needs, Health information\n"
             "Valid from 2026-05-28 until 2026-06-04\n"
             "Status: withdrawn on 2026-05-30\n"
             "\n"
             "%s\n"
             "Purpose: Care coordination\n"
             "Data: Health information\n"
             "Valid from 2026-05-28 until 2026-06-17\n"
             "Status: active\n"
             "\n"
             "Centre Nour\n"
             "Purpose: Referral follow-up\n"
             "Data: Language needs\n"
             "Valid from 2026-05-31 until 2026-06-02\n"
             "Status: expired\n",
             f->clinic_did);
    got = render(l, "en", T0 + 10 * DAY);
    assert_string_equal(got, want);
    free(got);
    /* unknown languages and "" fall back to English */
    got = render(l, "de-CH", T0 + 10 * DAY);
    assert_string_equal(got, want);
    free(got);
    got = render(l, "", T0 + 10 * DAY);
    assert_string_equal(got, want);
    free(got);
    /* before every window: not yet valid */
    got = render(l, "EN-gb", T0);
    assert_non_null(strstr(got, "Status: withdrawn on 2026-05-30\n\n"));
    assert_non_null(strstr(got, "2026-06-17\nStatus: not yet valid\n\n"));
    assert_non_null(strstr(got, "2026-06-02\nStatus: not yet valid\n"));
    free(got);
    nansen_ledger_free(l);
}

static void test_render_french_arabic(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    char want[4096], *got;

    snprintf(want, sizeof want,
             "Clinique Espoir\n"
             "Finalité : Traitement\n"
             "Données : Besoins linguistiques, Informations de santé\n"
             "Valable du 2026-05-28 au 2026-06-04\n"
             "État : retiré le 2026-05-30\n"
             "\n"
             "%s\n"
             "Finalité : Coordination des soins\n"
             "Données : Informations de santé\n"
             "Valable du 2026-05-28 au 2026-06-17\n"
             "État : actif\n"
             "\n"
             "Centre Nour\n"
             "Finalité : Suivi de l'orientation\n"
             "Données : Besoins linguistiques\n"
             "Valable du 2026-05-31 au 2026-06-02\n"
             "État : expiré\n",
             f->clinic_did);
    got = render(l, "fr-FR", T0 + 10 * DAY);
    assert_string_equal(got, want);
    free(got);

    snprintf(want, sizeof want,
             FSI "Clinique Espoir" PDI "\n"
             "الغرض: العلاج\n"
             "البيانات: الاحتياجات اللغوية، المعلومات الصحية\n"
             "صالحة من " FSI "2026-05-28" PDI " حتى " FSI "2026-06-04" PDI
             "\n"
             "الحالة: سحبت في " FSI "2026-05-30" PDI "\n"
             "\n"
             FSI "%s" PDI "\n"
             "الغرض: تنسيق الرعاية\n"
             "البيانات: المعلومات الصحية\n"
             "صالحة من " FSI "2026-05-28" PDI " حتى " FSI "2026-06-17" PDI
             "\n"
             "الحالة: ليست صالحة بعد\n"
             "\n"
             FSI "Centre Nour" PDI "\n"
             "الغرض: متابعة الإحالة\n"
             "البيانات: الاحتياجات اللغوية\n"
             "صالحة من " FSI "2026-05-31" PDI " حتى " FSI "2026-06-02" PDI
             "\n"
             "الحالة: ليست صالحة بعد\n",
             f->clinic_did);
    got = render(l, "ar-SY", T0);
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(nansen_ledger_render_needs_review("ar"), 1);
    assert_int_equal(nansen_ledger_render_needs_review("prs"), 1);
    assert_int_equal(nansen_ledger_render_needs_review("en-US"), 0);
    assert_int_equal(nansen_ledger_render_needs_review("xx"), 0);
    assert_int_equal(nansen_ledger_render_needs_review(NULL), -1);
    nansen_ledger_free(l);
}

/* Every language renders, in valid UTF-8, and Farsi as Dari. */
static void test_render_all_languages(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    size_t i;
    char *fa, *prs;

    for (i = 0; i < nansen_vocab_language_count(); i++) {
        char *got = render(l, nansen_vocab_language(i), T0 + 10 * DAY);

        assert_true(nansen__utf8_valid((const uint8_t *)got, strlen(got)));
        assert_non_null(strstr(got, "2026-06-17"));
        assert_int_equal(strstr(got, FSI) != NULL,
                         nansen_vocab_is_rtl(nansen_vocab_language(i)));
        free(got);
    }
    fa = render(l, "fa", T0);
    prs = render(l, "prs-AF", T0);
    assert_string_equal(fa, prs);
    free(fa);
    free(prs);
    nansen_ledger_free(l);
}

static void test_render_independent_of_tz(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    static const char *const zones[] = {"UTC", "Pacific/Kiritimati",
                                        "America/Adak", "Asia/Kabul",
                                        "UTC-14", "UTC+12"};
    char *ref, *got;
    size_t i;

    setenv("TZ", "UTC", 1);
    tzset();
    ref = render(l, "en", T0 + 10 * DAY);
    for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        got = render(l, "en", T0 + 10 * DAY);
        assert_string_equal(got, ref);
        free(got);
    }
    unsetenv("TZ");
    tzset();
    free(ref);
    nansen_ledger_free(l);
}

static void test_render_buffers(void **state)
{
    fx *f = *state;
    nansen_ledger *l = example(f);
    char *full = render(l, "en", T0), small[16];
    size_t need = strlen(full) + 1, len;

    len = sizeof small;
    assert_int_equal(nansen_ledger_render(small, &len, l, "en", T0),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    len = need - 1;
    {
        char *b = malloc(need);

        assert_non_null(b);
        assert_int_equal(nansen_ledger_render(b, &len, l, "en", T0),
                         NANSEN_ERR_BUFFER_TOO_SMALL);
        len = need;
        assert_int_equal(nansen_ledger_render(b, &len, l, "en", T0),
                         NANSEN_OK);
        assert_string_equal(b, full);
        free(b);
    }
    len = sizeof small;
    assert_int_equal(p_render(small, &len, NUL, "en", T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_string_equal(small, "");
    len = sizeof small;
    assert_int_equal(p_render(small, &len, l, NUL, T0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_render(small, NUL, l, "en", T0),
                     NANSEN_ERR_INVALID_ARG);
    free(full);
    nansen_ledger_free(l);
}

static void test_refusals(void **state)
{
    fx *f = *state;
    nansen_ledger *l = new_ledger(f), *d = (nansen_ledger *)f;
    uint8_t *gb, *wb, h[32], *b;
    size_t glen, wlen, len = 0;
    uint64_t count = 9;
    nansen_ledger_entry e;

    gb = make_grant(f, &GA, &glen);
    wb = withdraw(f, gb, glen, T0 + DAY, &wlen);
    /* what does not decode is refused, as its decoder says */
    assert_int_equal(nansen_ledger_append_grant(l, wb, wlen, AT),
                     NANSEN_ERR_WRONG_TYPE);
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen - 1, AT),
                     NANSEN_ERR_TRUNCATED);
    assert_int_equal(nansen_ledger_append_withdrawal(l, gb, glen, AT),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen - 1, AT),
                     NANSEN_ERR_TRUNCATED);
    /* a withdrawal whose signature does not verify */
    wb[wlen - 1] ^= 1;
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, AT),
                     NANSEN_ERR_BAD_SIGNATURE);
    wb[wlen - 1] ^= 1;
    /* times */
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, MAX_TIME + 1),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_ledger_append_withdrawal(l, wb, wlen, -1),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_ledger_count(l), 0);
    /* NULLs */
    assert_int_equal(p_create(NUL, &d), NANSEN_ERR_INVALID_ARG);
    assert_null(d);
    assert_int_equal(p_create(f->ctx, NUL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_append_grant(NUL, gb, glen, AT),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_append_grant(l, NUL, glen, AT),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_append_withdrawal(NUL, wb, wlen, AT),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_append_withdrawal(l, NUL, wlen, AT),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_ledger_count(NULL), 0);
    assert_int_equal(nansen_ledger_entry_get(l, 0, &e),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_entry_get(NUL, 0, &e),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_entry_get(l, 0, NUL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_head(NUL, h, &count),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(count, 0);
    assert_int_equal(p_head(l, NUL, &count),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_encode(NUL, NUL, l),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_encode(NUL, &len, NUL),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    b = encode(l, &len);
    assert_int_equal(p_decode(NUL, &d, b, len),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_decode(f->ctx, NUL, b, len),
                     NANSEN_ERR_INVALID_ARG);
    d = (nansen_ledger *)f;
    assert_int_equal(p_decode(f->ctx, &d, NUL, len),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(d);
    assert_int_equal(nansen_ledger_decode(f->ctx, &d, b, 0),
                     NANSEN_ERR_MALFORMED);
    assert_int_equal(p_check_anchor(NUL, h, 0),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(p_check_anchor(l, NUL, 0),
                     NANSEN_ERR_INVALID_ARG);
    /* a buffer too small for the ledger */
    len -= 1;
    assert_int_equal(nansen_ledger_encode(b, &len, l),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 56);
    nansen_ledger_free(NULL);
    free(b);
    free(wb);
    free(gb);
    nansen_ledger_free(l);
}

/* NANSEN_LEDGER_MAX_ENTRIES entries decode; one more is refused, by decode
 * and by append. */
static void test_limits(void **state)
{
    fx *f = *state;
    size_t n = NANSEN_LEDGER_MAX_ENTRIES, i, len, glen;
    tentry *t;
    uint8_t *b, *gb;
    nansen_ledger *l = NULL;

    assert_int_equal(nansen_ledger_max_entries(), n);
    assert_int_equal(nansen_ledger_entry_max_bytes(),
                     NANSEN_LEDGER_ENTRY_MAX_BYTES);
    assert_int_equal(nansen_ledger_max_bytes(), NANSEN_LEDGER_MAX_BYTES);
    assert_int_equal(nansen_ledger_hash_bytes(), 32);
    assert_non_null(t = calloc(n + 1, sizeof *t));
    for (i = 0; i <= n; i++) {
        t[i].kind = NANSEN_LEDGER_WITHDRAWAL;
        t[i].at = AT;
        t[i].digest[0] = (uint8_t)(i >> 16);
        t[i].digest[1] = (uint8_t)(i >> 8);
        t[i].digest[2] = (uint8_t)i;
        t[i].withdrawn_at = T0;
        t[i].extra_key = NONE;
        t[i].omit_key = NONE;
    }
    b = write_ledger(t, n, RECHAIN, 0, NULL, 1, &len);
    assert_true(len <= NANSEN_LEDGER_MAX_BYTES);
    assert_int_equal(nansen_ledger_decode(f->ctx, &l, b, len), NANSEN_OK);
    free(b);
    gb = make_grant(f, &GA, &glen);
    assert_int_equal(nansen_ledger_append_grant(l, gb, glen, AT),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    assert_int_equal(nansen_ledger_count(l), n);
    nansen_ledger_free(l);
    free(gb);
    b = write_ledger(t, n + 1, RECHAIN, 0, NULL, 1, &len);
    assert_int_equal(decode_status(f, b, len), NANSEN_ERR_CBOR_TOO_LARGE);
    free(b);
    /* an entry past NANSEN_LEDGER_ENTRY_MAX_BYTES */
    t[0].kind = NANSEN_LEDGER_GRANT;
    t[0].ncats = 1;
    t[0].cats[0] = 1;
    t[0].from = T0;
    t[0].until = T0 + 1;
    memset(t[0].audience, 'a', 128);
    memset(t[0].name, 'n', 256);
    t[0].has_name = 1;
    b = write_ledger(t, 1, RECHAIN, 0, NULL, 1, &len);
    assert_int_equal(decode_status(f, b, len), NANSEN_OK);
    free(b);
    memset(t[0].name, 'n', 600);
    b = write_ledger(t, 1, RECHAIN, 0, NULL, 1, &len);
    assert_int_equal(decode_status(f, b, len), NANSEN_ERR_CBOR_TOO_LARGE);
    free(b);
    /* input past NANSEN_LEDGER_MAX_BYTES is not read at all */
    assert_non_null(b = calloc(1, NANSEN_LEDGER_MAX_BYTES + 1));
    assert_int_equal(decode_status(f, b, NANSEN_LEDGER_MAX_BYTES + 1),
                     NANSEN_ERR_CBOR_TOO_LARGE);
    free(b);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_spec_conformance),
        cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_idempotent_appends),
        cmocka_unit_test(test_withdrawal_of_unrecorded_grant),
        cmocka_unit_test(test_removal),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_reorder_duplicate_insert),
        cmocka_unit_test(test_alteration),
        cmocka_unit_test(test_every_bit_flip),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_grant_state),
        cmocka_unit_test(test_render_english),
        cmocka_unit_test(test_render_french_arabic),
        cmocka_unit_test(test_render_all_languages),
        cmocka_unit_test(test_render_independent_of_tz),
        cmocka_unit_test(test_render_buffers),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests_name("ledger", tests, setup, teardown);
}
