/* test_bundle.c - the status directory and trust bundles: a round trip
 * into a clinic's files, and refused bundles that change nothing.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "testutil.h"

#define T0 1780000000LL
#define DAY 86400LL
#define GRANT_IAT (T0 + 3600)
#define NOW (T0 + 7200)
#define URI1 "https://status.example/ngo/1"
#define URI2 "https://status.example/ngo/2"

typedef struct fx {
    nansen_ctx *ctx;
    nansen_key *gov, *gov2, *ngo, *holder, *clinic, *stranger;
    char clinic_did[128];
} fx;

static nansen_key *seed_key(nansen_ctx *ctx, uint8_t b)
{
    uint8_t s[NANSEN_SECRET_BYTES];
    nansen_key *k = NULL;

    memset(s, b, sizeof s);
    assert_int_equal(nansen_key_from_secret(ctx, &k, NANSEN_KEY_ED25519, s),
                     NANSEN_OK);
    return k;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    size_t n = sizeof f->clinic_did;

    if (f == NULL || (f->ctx = nansen_ctx_create(0)) == NULL)
        return -1;
    f->gov = seed_key(f->ctx, 0x47);
    f->gov2 = seed_key(f->ctx, 0x48);
    f->ngo = seed_key(f->ctx, 1);
    f->holder = seed_key(f->ctx, 2);
    f->clinic = seed_key(f->ctx, 3);
    f->stranger = seed_key(f->ctx, 9);
    if (nansen_key_did(f->clinic, f->clinic_did, &n) != NANSEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    nansen_key_free(f->gov);
    nansen_key_free(f->gov2);
    nansen_key_free(f->ngo);
    nansen_key_free(f->holder);
    nansen_key_free(f->clinic);
    nansen_key_free(f->stranger);
    nansen_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* ---- builders ---- */

static uint8_t *trustlist(fx *f, const nansen_key *gov, uint64_t seq,
                          size_t *len)
{
    nansen_trustlist *tl = NULL;
    nansen_trustlist_sign_params p = {T0 + seq, 0, 0};
    uint8_t *out;

    assert_int_equal(nansen_trustlist_create(f->ctx, &tl), NANSEN_OK);
    assert_int_equal(nansen_trustlist_set_sequence(tl, seq), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->ngo, "Harbour Aid",
                                          NANSEN_ROLE_BIT(NANSEN_ROLE_NGO), 0,
                                          0), NANSEN_OK);
    assert_int_equal(nansen_trustlist_add(f->ctx, tl, f->clinic,
                                          "Riverside Clinic",
                                          NANSEN_ROLE_BIT(NANSEN_ROLE_CLINIC),
                                          0, 0), NANSEN_OK);
    *len = NANSEN_TRUSTLIST_MAX_BYTES;
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_trustlist_sign(f->ctx, out, len, tl, gov, &p),
                     NANSEN_OK);
    nansen_trustlist_free(tl);
    return out;
}

/* A status list token for uri at iat, signed by key; index 0 revoked when
 * revoke. */
static uint8_t *status_token(fx *f, const nansen_key *key, const char *uri,
                             int64_t iat, int revoke, size_t *len)
{
    nansen_status_list *l = NULL;
    nansen_status_sign_params p = {iat, 0, 0};
    uint8_t *out;

    assert_int_equal(nansen_status_list_create(f->ctx, &l, uri, 2, 64),
                     NANSEN_OK);
    if (revoke)
        assert_int_equal(nansen_status_list_set(l, 0, NANSEN_STATUS_INVALID),
                         NANSEN_OK);
    *len = 0;
    assert_int_equal(nansen_status_list_sign(f->ctx, NULL, len, l, key, &p),
                     NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_status_list_sign(f->ctx, out, len, l, key, &p),
                     NANSEN_OK);
    nansen_status_list_free(l);
    return out;
}

/* A referral (with a status reference when uri) and a grant of it. */
static uint8_t *make_grant(fx *f, const char *uri, uint8_t id, size_t *len)
{
    static const uint8_t seed[32] = {42};
    static const uint32_t cats[] = {2, 3};
    nansen_referral r;
    nansen_issue_params p;
    nansen_grant_params g;
    nansen_credential *cred = NULL;
    uint8_t cti[8];
    uint8_t *ref, *out;
    size_t ref_len = 0;

    memset(&r, 0, sizeof r);
    r.service = 1;
    r.urgency = 2;
    r.language = "ti";
    r.issuer_name = "Harbour Aid";
    memset(&p, 0, sizeof p);
    p.iat = T0;
    p.exp = T0 + 30 * DAY;
    p.salt_seed = seed;
    p.budget.max_version = -1;
    r.status_uri = uri;
    r.status_idx = 0;
    assert_int_equal(nansen_referral_issue(f->ctx, NULL, &ref_len, f->ngo,
                                           f->holder, &r, &p), NANSEN_OK);
    ref = malloc(ref_len);
    assert_non_null(ref);
    assert_int_equal(nansen_referral_issue(f->ctx, ref, &ref_len, f->ngo,
                                           f->holder, &r, &p), NANSEN_OK);
    memset(cti, id, sizeof cti);
    memset(&g, 0, sizeof g);
    g.budget.max_version = -1;
    g.audience = f->clinic_did;
    g.purpose = 1;
    g.categories = cats;
    g.category_count = 2;
    g.iat = GRANT_IAT;
    g.exp = GRANT_IAT + 7 * DAY;
    g.notice_lang = "en";
    g.cti = cti;
    assert_int_equal(nansen_credential_decode(f->ctx, &cred, ref, ref_len),
                     NANSEN_OK);
    *len = 0;
    assert_int_equal(nansen_grant_sign(f->ctx, NULL, len, f->holder, cred,
                                       &g), NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_grant_sign(f->ctx, out, len, f->holder, cred,
                                       &g), NANSEN_OK);
    nansen_credential_free(cred);
    free(ref);
    return out;
}

static uint8_t *export(fx *f, const nansen_key *gov, const uint8_t *tl,
                       size_t tl_len, const nansen_bundle_bytes *st,
                       size_t nst, const uint8_t *wd, size_t wd_len,
                       size_t *len)
{
    uint8_t *out;

    *len = 0;
    assert_int_equal(nansen_bundle_export(f->ctx, NULL, len, gov, tl, tl_len,
                                          st, nst, wd, wd_len, NOW),
                     NANSEN_OK);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(nansen_bundle_export(f->ctx, out, len, gov, tl, tl_len,
                                          st, nst, wd, wd_len, NOW),
                     NANSEN_OK);
    return out;
}

/* ---- the clinic's files ---- */

typedef struct clinic {
    char root[512], tl[600], dir[600], wd[600];
    nansen_bundle_paths paths;
} clinic;

static void clinic_init(clinic *c, const char *name)
{
    snprintf(c->root, sizeof c->root, "%s/%s", tu_tmpdir(), name);
    assert_int_equal(mkdir(c->root, 0700), 0);
    snprintf(c->tl, sizeof c->tl, "%s/trustlist.cwt", c->root);
    snprintf(c->dir, sizeof c->dir, "%s/status", c->root);
    snprintf(c->wd, sizeof c->wd, "%s/withdrawals.bin", c->root);
    assert_int_equal(mkdir(c->dir, 0700), 0);
    c->paths.trustlist_file = c->tl;
    c->paths.status_dir = c->dir;
    c->paths.withdrawals_file = c->wd;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hash of every file name and content under a directory (one level of
 * subdirectories), to compare before and after. */
static void snap_dir(crypto_hash_sha256_state *st, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *names[64];
    size_t n = 0, i;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        assert_true(n < 64);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n; i++) {
        char path[1200];
        struct stat sb;

        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        crypto_hash_sha256_update(st, (const uint8_t *)path, strlen(path) + 1);
        assert_int_equal(lstat(path, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            snap_dir(st, path);
        } else {
            size_t len = 0;
            char *data = tu_read_file(path, &len);

            assert_non_null(data);
            crypto_hash_sha256_update(st, (const uint8_t *)data, len);
            free(data);
        }
        free(names[i]);
    }
}

static void snapshot(const clinic *c, uint8_t out[32])
{
    crypto_hash_sha256_state st;

    crypto_hash_sha256_init(&st);
    snap_dir(&st, c->root);
    crypto_hash_sha256_final(&st, out);
}

static nansen_reason verify_at_clinic(fx *f, const clinic *c,
                                      const uint8_t *g, size_t len)
{
    nansen_verifier *v = NULL;
    nansen_trustlist *tl = NULL;
    nansen_withdrawal_store *ws = NULL;
    nansen_verdict *d = NULL;
    nansen_reason reason;
    size_t loaded = 0;

    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    assert_int_equal(nansen_trustlist_load(f->ctx, &tl, c->tl, f->gov),
                     NANSEN_OK);
    assert_int_equal(nansen_verifier_set_trustlist(v, tl), NANSEN_OK);
    assert_int_equal(nansen_status_dir_load(f->ctx, v, c->dir, &loaded),
                     NANSEN_OK);
    assert_int_equal(loaded, 2);
    assert_int_equal(nansen_withdrawal_store_load(f->ctx, &ws, c->wd),
                     NANSEN_OK);
    nansen_verifier_set_withdrawals(v, ws);
    assert_int_equal(nansen_verify_grant(v, &d, g, len), NANSEN_OK);
    reason = nansen_verdict_reason(d);
    nansen_verdict_free(d);
    nansen_verifier_free(v);
    nansen_withdrawal_store_free(ws);
    nansen_trustlist_free(tl);
    return reason;
}

/* ---- tests ---- */

typedef struct world {
    uint8_t *tl2, *tl1, *tl3, *s1, *s2, *s1_old, *bad, *ws;
    size_t tl2_len, tl1_len, tl3_len, s1_len, s2_len, s1_old_len, bad_len,
        ws_len;
    uint8_t *g_rev, *g_w1, *g_w2, *g_ok;
    size_t g_rev_len, g_w1_len, g_w2_len, g_ok_len;
} world;

static void world_init(fx *f, world *w)
{
    nansen_withdrawal_store *store = NULL;
    uint8_t wd[NANSEN_WITHDRAWAL_MAX_BYTES];
    size_t wd_len;

    w->tl1 = trustlist(f, f->gov, 1, &w->tl1_len);
    w->tl2 = trustlist(f, f->gov, 2, &w->tl2_len);
    w->tl3 = trustlist(f, f->gov, 3, &w->tl3_len);
    w->s1 = status_token(f, f->ngo, URI1, T0 + 60, 1, &w->s1_len);
    w->s1_old = status_token(f, f->ngo, URI1, T0 + 30, 0, &w->s1_old_len);
    w->s2 = status_token(f, f->ngo, URI2, T0 + 60, 0, &w->s2_len);
    w->bad = status_token(f, f->stranger, URI2, T0 + 90, 0, &w->bad_len);
    w->g_rev = make_grant(f, URI1, 1, &w->g_rev_len);
    w->g_ok = make_grant(f, URI2, 2, &w->g_ok_len);
    w->g_w1 = make_grant(f, NULL, 3, &w->g_w1_len);
    w->g_w2 = make_grant(f, NULL, 4, &w->g_w2_len);
    assert_int_equal(nansen_withdrawal_store_create(f->ctx, &store),
                     NANSEN_OK);
    wd_len = sizeof wd;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, wd, &wd_len, f->holder,
                                            w->g_w1, w->g_w1_len, NOW - 60),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_add(store, wd, wd_len, NULL),
                     NANSEN_OK);
    wd_len = sizeof wd;
    assert_int_equal(nansen_withdrawal_sign(f->ctx, wd, &wd_len, f->holder,
                                            w->g_w2, w->g_w2_len, NOW - 30),
                     NANSEN_OK);
    assert_int_equal(nansen_withdrawal_store_add(store, wd, wd_len, NULL),
                     NANSEN_OK);
    w->ws_len = 0;
    assert_int_equal(nansen_withdrawal_store_serialize(store, NULL,
                                                       &w->ws_len), NANSEN_OK);
    w->ws = malloc(w->ws_len);
    assert_int_equal(nansen_withdrawal_store_serialize(store, w->ws,
                                                       &w->ws_len), NANSEN_OK);
    nansen_withdrawal_store_free(store);
}

static void world_free(world *w)
{
    free(w->tl1); free(w->tl2); free(w->tl3);
    free(w->s1); free(w->s1_old); free(w->s2); free(w->bad); free(w->ws);
    free(w->g_rev); free(w->g_ok); free(w->g_w1); free(w->g_w2);
}

static void test_round_trip_and_refusals(void **state)
{
    fx *f = *state;
    world w;
    clinic c;
    nansen_bundle_bytes st[2];
    nansen_bundle_summary sum;
    uint8_t *b, before[32], after[32];
    size_t len;

    world_init(f, &w);
    clinic_init(&c, "bundle-rt");

    st[0].data = w.s1; st[0].len = w.s1_len;
    st[1].data = w.s2; st[1].len = w.s2_len;
    b = export(f, f->gov, w.tl2, w.tl2_len, st, 2, w.ws, w.ws_len, &len);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_OK);
    assert_int_equal(sum.iat, NOW);
    assert_int_equal(sum.vocab_version, nansen_vocab_version());
    assert_int_equal(sum.trustlist_sequence, 2);
    assert_int_equal(sum.trustlist_written, 1);
    assert_int_equal(sum.status_lists, 2);
    assert_int_equal(sum.status_written, 2);
    assert_int_equal(sum.withdrawals, 2);
    assert_int_equal(sum.withdrawals_added, 2);

    assert_int_equal(verify_at_clinic(f, &c, w.g_rev, w.g_rev_len),
                     NANSEN_REASON_REVOKED);
    assert_int_equal(verify_at_clinic(f, &c, w.g_w1, w.g_w1_len),
                     NANSEN_REASON_WITHDRAWN_BY_HOLDER);
    assert_int_equal(verify_at_clinic(f, &c, w.g_w2, w.g_w2_len),
                     NANSEN_REASON_WITHDRAWN_BY_HOLDER);
    assert_int_equal(verify_at_clinic(f, &c, w.g_ok, w.g_ok_len),
                     NANSEN_REASON_ACCEPT);

    /* the same bundle again: accepted, nothing changes */
    snapshot(&c, before);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_OK);
    assert_int_equal(sum.trustlist_written, 0);
    assert_int_equal(sum.status_written, 0);
    assert_int_equal(sum.withdrawals_added, 0);
    snapshot(&c, after);
    assert_memory_equal(before, after, 32);
    free(b);

    /* signed by another governance key: refused, nothing written */
    {
        uint8_t *tlx;
        size_t tlx_len;

        tlx = trustlist(f, f->gov2, 3, &tlx_len);
        b = export(f, f->gov2, tlx, tlx_len, st, 2, w.ws, w.ws_len, &len);
        assert_int_not_equal(nansen_bundle_import(f->ctx, f->gov, b, len,
                                                  &c.paths, &sum), NANSEN_OK);
        assert_int_equal(sum.status_lists, 0);
        snapshot(&c, after);
        assert_memory_equal(before, after, 32);
        free(b);
        free(tlx);
    }

    /* an older trust list: ROLLBACK, nothing written */
    b = export(f, f->gov, w.tl1, w.tl1_len, NULL, 0, NULL, 0, &len);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_ERR_ROLLBACK);
    snapshot(&c, after);
    assert_memory_equal(before, after, 32);
    free(b);

    /* an older status list: ROLLBACK, nothing written */
    st[0].data = w.s1_old; st[0].len = w.s1_old_len;
    b = export(f, f->gov, w.tl3, w.tl3_len, st, 1, NULL, 0, &len);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_ERR_ROLLBACK);
    snapshot(&c, after);
    assert_memory_equal(before, after, 32);
    free(b);

    /* one status list by an untrusted signer: POLICY, nothing written */
    st[0].data = w.s1; st[0].len = w.s1_len;
    st[1].data = w.bad; st[1].len = w.bad_len;
    b = export(f, f->gov, w.tl3, w.tl3_len, st, 2, w.ws, w.ws_len, &len);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_ERR_POLICY);
    snapshot(&c, after);
    assert_memory_equal(before, after, 32);
    /* damaged: refused, nothing written */
    b[len / 2] ^= 1;
    assert_int_not_equal(nansen_bundle_import(f->ctx, f->gov, b, len,
                                              &c.paths, &sum), NANSEN_OK);
    snapshot(&c, after);
    assert_memory_equal(before, after, 32);
    free(b);

    /* a newer trust list alone is installed */
    b = export(f, f->gov, w.tl3, w.tl3_len, NULL, 0, NULL, 0, &len);
    assert_int_equal(nansen_bundle_import(f->ctx, f->gov, b, len, &c.paths,
                                          &sum), NANSEN_OK);
    assert_int_equal(sum.trustlist_written, 1);
    assert_int_equal(sum.trustlist_sequence, 3);
    free(b);

    world_free(&w);
}

static void test_export_refusals(void **state)
{
    fx *f = *state;
    world w;
    nansen_bundle_bytes st[2];
    size_t len = 0;

    world_init(f, &w);
    st[0].data = w.s1; st[0].len = w.s1_len;
    st[1].data = w.s1_old; st[1].len = w.s1_old_len;
    /* two lists for one URI */
    assert_int_equal(nansen_bundle_export(f->ctx, NULL, &len, f->gov, w.tl2,
                                          w.tl2_len, st, 2, NULL, 0, NOW),
                     NANSEN_ERR_INVALID_ARG);
    /* a trust list of another governance key */
    assert_int_not_equal(nansen_bundle_export(f->ctx, NULL, &len, f->gov2,
                                              w.tl2, w.tl2_len, NULL, 0, NULL,
                                              0, NOW), NANSEN_OK);
    /* no time */
    assert_int_equal(nansen_bundle_export(f->ctx, NULL, &len, f->gov, w.tl2,
                                          w.tl2_len, NULL, 0, NULL, 0, 0),
                     NANSEN_ERR_INVALID_ARG);
    world_free(&w);
}

static void test_status_dir(void **state)
{
    fx *f = *state;
    world w;
    clinic c;
    nansen_verifier *v = NULL, *v2 = NULL;
    nansen_trustlist *tl = NULL;
    uint8_t *s1_new;
    size_t s1_new_len, loaded = 0;
    int written = -1;
    char name[NANSEN_STATUS_DIR_NAME_BYTES + 1];

    world_init(f, &w);
    clinic_init(&c, "statusdir");
    s1_new = status_token(f, f->ngo, URI1, T0 + 90, 0, &s1_new_len);
    assert_int_equal(nansen_trustlist_verify(f->ctx, &tl, w.tl2, w.tl2_len,
                                             f->gov), NANSEN_OK);
    assert_int_equal(nansen_status_dir_name(URI1, name), NANSEN_OK);
    assert_int_equal(strlen(name), NANSEN_STATUS_DIR_NAME_BYTES);
    assert_string_equal(name + 64, ".cwt");

    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    /* not trusted yet: refused, nothing written */
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, w.s1, w.s1_len,
                                           &written), NANSEN_ERR_POLICY);
    assert_int_equal(written, 0);
    assert_int_equal(nansen_verifier_set_trustlist(v, tl), NANSEN_OK);
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, w.s1, w.s1_len,
                                           &written), NANSEN_OK);
    assert_int_equal(written, 1);
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, w.s2, w.s2_len,
                                           &written), NANSEN_OK);
    assert_int_equal(written, 1);
    /* the same again: nothing written */
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, w.s1, w.s1_len,
                                           &written), NANSEN_OK);
    assert_int_equal(written, 0);
    /* older than the verifier's */
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, w.s1_old,
                                           w.s1_old_len, &written),
                     NANSEN_ERR_ROLLBACK);
    assert_int_equal(written, 0);
    /* a fresh verifier takes the older list, the directory does not */
    assert_int_equal(nansen_verifier_create(f->ctx, &v2, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v2, NOW);
    assert_int_equal(nansen_verifier_set_trustlist(v2, tl), NANSEN_OK);
    assert_int_equal(nansen_status_dir_put(f->ctx, v2, c.dir, w.s1_old,
                                           w.s1_old_len, &written),
                     NANSEN_ERR_ROLLBACK);
    assert_int_equal(written, 0);
    nansen_verifier_free(v2);
    /* a newer one replaces the file */
    assert_int_equal(nansen_status_dir_put(f->ctx, v, c.dir, s1_new,
                                           s1_new_len, &written), NANSEN_OK);
    assert_int_equal(written, 1);
    {
        char path[800];
        size_t n = 0;
        char *data;

        snprintf(path, sizeof path, "%s/%s", c.dir, name);
        data = tu_read_file(path, &n);
        assert_non_null(data);
        assert_int_equal(n, s1_new_len);
        assert_memory_equal(data, s1_new, n);
        free(data);
    }
    nansen_verifier_free(v);

    /* load them back; other files are ignored */
    {
        char path[800];
        FILE *fp;

        snprintf(path, sizeof path, "%s/README", c.dir);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs("not a list\n", fp);
        fclose(fp);
    }
    v = NULL;
    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    nansen_verifier_set_time(v, NOW);
    assert_int_equal(nansen_verifier_set_trustlist(v, tl), NANSEN_OK);
    assert_int_equal(nansen_status_dir_load(f->ctx, v, c.dir, &loaded),
                     NANSEN_OK);
    assert_int_equal(loaded, 2);
    assert_true(nansen_verifier_clock_floor(v) >= T0 + 90);
    nansen_verifier_free(v);

    /* a bad file stops the load */
    {
        char path[800];
        FILE *fp;

        snprintf(path, sizeof path, "%s/zz.cwt", c.dir);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs("junk", fp);
        fclose(fp);
    }
    v = NULL;
    assert_int_equal(nansen_verifier_create(f->ctx, &v, f->clinic),
                     NANSEN_OK);
    assert_int_equal(nansen_verifier_set_trustlist(v, tl), NANSEN_OK);
    assert_int_not_equal(nansen_status_dir_load(f->ctx, v, c.dir, &loaded),
                         NANSEN_OK);
    assert_int_equal(loaded, 2);
    assert_int_equal(nansen_status_dir_load(f->ctx, v, "/nonexistent/x",
                                            &loaded), NANSEN_ERR_NOT_FOUND);
    nansen_verifier_free(v);

    nansen_trustlist_free(tl);
    free(s1_new);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_refusals),
        cmocka_unit_test(test_export_refusals),
        cmocka_unit_test(test_status_dir),
    };
    return cmocka_run_group_tests_name("bundle", tests, setup, teardown);
}
