/* bundle.c - the status directory and trust bundles (spec/bundle.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "nansen.h"
#include "internal/cbor.h"
#include "internal/internal.h"
#include "internal/token.h"

#define BK_PROFILE 0
#define BK_VOCAB 1
#define BK_TRUSTLIST 2
#define BK_STATUS 3
#define BK_WITHDRAWALS 4
#define BK_IAT 6

/* ---- the status directory ---- */

nansen_err nansen_status_dir_name(const char *uri,
                                  char name[NANSEN_STATUS_DIR_NAME_BYTES + 1])
{
    uint8_t h[crypto_hash_sha256_BYTES];

    ARG_CHECK(uri != NULL && name != NULL);
    crypto_hash_sha256(h, (const uint8_t *)uri, strlen(uri));
    nansen__hex_encode(name, h, sizeof h);
    memcpy(name + 2 * sizeof h, NANSEN_STATUS_DIR_SUFFIX,
           sizeof NANSEN_STATUS_DIR_SUFFIX);
    return NANSEN_OK;
}

/* dir "/" name, malloc'd. */
static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);

    if (p == NULL)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* The URI and iat of a token, unverified. */
static nansen_err token_uri_iat(nansen_ctx *ctx, const uint8_t *tok,
                                size_t len, char name[NANSEN_STATUS_DIR_NAME_BYTES + 1],
                                int64_t *iat)
{
    nansen_status_list *l = NULL;
    nansen_status_list_info info;
    nansen_err err;

    if ((err = nansen_status_list_parse(ctx, &l, tok, len, 0)) != NANSEN_OK)
        return err;
    err = nansen_status_list_get_info(l, &info);
    if (err == NANSEN_OK && info.uri == NULL)
        err = NANSEN_ERR_MALFORMED;
    if (err == NANSEN_OK) {
        if (name != NULL)
            err = nansen_status_dir_name(info.uri, name);
        if (iat != NULL)
            *iat = info.iat;
    }
    nansen_status_list_free(l);
    return err;
}

/* The iat of the cached file for name: *present 0 when there is none. */
static nansen_err cached_iat(nansen_ctx *ctx, const char *dir,
                             const char *name, int *present, int64_t *iat,
                             uint8_t hash[crypto_hash_sha256_BYTES])
{
    char *path = join(dir, name);
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    *present = 0;
    *iat = 0;
    if (path == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen__file_read_secure(path, NANSEN_STATUS_TOKEN_MAX_BYTES, &buf,
                                   &len);
    free(path);
    if (err == NANSEN_ERR_NOT_FOUND)
        return NANSEN_OK;
    if (err != NANSEN_OK)
        return err;
    err = token_uri_iat(ctx, buf, len, NULL, iat);
    if (hash != NULL)
        crypto_hash_sha256(hash, buf, len);
    sodium_free(buf);
    if (err == NANSEN_OK)
        *present = 1;
    return err;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_cache_name(const char *n)
{
    size_t l = strlen(n), s = sizeof NANSEN_STATUS_DIR_SUFFIX - 1;

    return l > s && n[0] != '.' &&
           memcmp(n + l - s, NANSEN_STATUS_DIR_SUFFIX, s) == 0;
}

nansen_err nansen_status_dir_load(nansen_ctx *ctx, nansen_verifier *v,
                                  const char *dir, size_t *loaded)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL, **tmp;
    size_t n = 0, cap = 0, i;
    nansen_err err = NANSEN_OK;

    if (loaded != NULL)
        *loaded = 0;
    ARG_CHECK(ctx != NULL && v != NULL && dir != NULL);
    if ((d = opendir(dir)) == NULL)
        return nansen__errno_status(errno);
    while ((de = readdir(d)) != NULL) {
        if (!is_cache_name(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            if ((tmp = realloc(names, cap * sizeof *names)) == NULL) {
                err = NANSEN_ERR_NOMEM;
                break;
            }
            names = tmp;
        }
        if ((names[n] = strdup(de->d_name)) == NULL) {
            err = NANSEN_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (err == NANSEN_OK && n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; err == NANSEN_OK && i < n; i++) {
        char *path = join(dir, names[i]);
        struct stat st;
        uint8_t *buf = NULL;
        size_t len = 0;

        if (path == NULL) {
            err = NANSEN_ERR_NOMEM;
            break;
        }
        if (lstat(path, &st) != 0) {
            err = nansen__errno_status(errno);
        } else if (S_ISREG(st.st_mode)) {
            err = nansen__file_read_secure(
                path, NANSEN_STATUS_TOKEN_MAX_BYTES, &buf, &len);
            if (err == NANSEN_OK) {
                err = nansen_verifier_add_status_list(v, buf, len);
                sodium_free(buf);
                if (err == NANSEN_OK && loaded != NULL)
                    (*loaded)++;
            }
        }
        free(path);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return err;
}

nansen_err nansen_status_dir_put(nansen_ctx *ctx, nansen_verifier *v,
                                 const char *dir, const uint8_t *token,
                                 size_t token_len, int *written)
{
    char name[NANSEN_STATUS_DIR_NAME_BYTES + 1];
    char *path;
    int64_t iat = 0, old_iat = 0;
    int present = 0;
    nansen_err err;

    if (written != NULL)
        *written = 0;
    ARG_CHECK(ctx != NULL && v != NULL && dir != NULL && token != NULL);
    if ((err = nansen_verifier_add_status_list(v, token, token_len)) !=
            NANSEN_OK ||
        (err = token_uri_iat(ctx, token, token_len, name, &iat)) !=
            NANSEN_OK ||
        (err = cached_iat(ctx, dir, name, &present, &old_iat, NULL)) !=
            NANSEN_OK)
        return err;
    if (present && old_iat > iat)
        return NANSEN_ERR_ROLLBACK;
    if (present && old_iat == iat)
        return NANSEN_OK;
    if ((path = join(dir, name)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen__file_write_atomic(path, token, token_len, 0644, 1);
    free(path);
    if (err == NANSEN_OK && written != NULL)
        *written = 1;
    return err;
}

/* ---- trust bundles ---- */

nansen_err nansen_bundle_export(nansen_ctx *ctx, uint8_t *out,
                                size_t *out_len, const nansen_key *governance,
                                const uint8_t *trustlist, size_t trustlist_len,
                                const nansen_bundle_bytes *status_lists,
                                size_t status_count,
                                const uint8_t *withdrawals,
                                size_t withdrawals_len, int64_t iat)
{
    nansen_trustlist *tl = NULL;
    nansen_withdrawal_store *store = NULL;
    nansen_cose_sign1_params cp;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char (*names)[NANSEN_STATUS_DIR_NAME_BYTES + 1] = NULL;
    uint8_t *wbuf = NULL, *payload = NULL;
    size_t wlen = 0, plen = 0, cap, i, j;
    nansen__cbw w;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    cap = *out_len;
    if (ctx == NULL || governance == NULL || trustlist == NULL || iat <= 0 ||
        status_count > NANSEN_BUNDLE_MAX_STATUS_LISTS ||
        (status_count > 0 && status_lists == NULL) ||
        (withdrawals == NULL && withdrawals_len != 0)) {
        err = NANSEN_ERR_INVALID_ARG;
        goto fail;
    }
    if (!nansen_key_has_secret(governance)) {
        err = NANSEN_ERR_NO_SECRET_KEY;
        goto fail;
    }
    if ((err = nansen_trustlist_verify(ctx, &tl, trustlist, trustlist_len,
                                       governance)) != NANSEN_OK)
        goto fail;
    if (status_count > 0 &&
        (names = calloc(status_count, sizeof *names)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto fail;
    }
    for (i = 0; i < status_count; i++) {
        if (status_lists[i].data == NULL) {
            err = NANSEN_ERR_INVALID_ARG;
            goto fail;
        }
        if ((err = token_uri_iat(ctx, status_lists[i].data,
                                 status_lists[i].len, names[i], NULL)) !=
            NANSEN_OK)
            goto fail;
        for (j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                err = NANSEN_ERR_INVALID_ARG;
                goto fail;
            }
    }
    if (withdrawals != NULL && withdrawals_len > 0) {
        if ((err = nansen_withdrawal_store_create(ctx, &store)) != NANSEN_OK ||
            (err = nansen_withdrawal_store_add(store, withdrawals,
                                               withdrawals_len, NULL)) !=
                NANSEN_OK ||
            (err = nansen_withdrawal_store_serialize(store, NULL, &wlen)) !=
                NANSEN_OK)
            goto fail;
        if ((wbuf = malloc(wlen)) == NULL) {
            err = NANSEN_ERR_NOMEM;
            goto fail;
        }
        if ((err = nansen_withdrawal_store_serialize(store, wbuf, &wlen)) !=
            NANSEN_OK)
            goto fail;
    }
    /* measure, then write the payload */
    for (j = 0; j < 2; j++) {
        nansen__cbw_init(&w, payload, plen);
        nansen__cbw_map(&w, wbuf != NULL ? 6 : 5);
        nansen__cbw_uint(&w, BK_PROFILE);
        nansen__cbw_uint(&w, NANSEN_BUNDLE_PROFILE);
        nansen__cbw_uint(&w, BK_VOCAB);
        nansen__cbw_uint(&w, (uint64_t)nansen_vocab_version());
        nansen__cbw_uint(&w, BK_TRUSTLIST);
        nansen__cbw_bytes(&w, trustlist, trustlist_len);
        nansen__cbw_uint(&w, BK_STATUS);
        nansen__cbw_array(&w, status_count);
        for (i = 0; i < status_count; i++)
            nansen__cbw_bytes(&w, status_lists[i].data, status_lists[i].len);
        if (wbuf != NULL) {
            nansen__cbw_uint(&w, BK_WITHDRAWALS);
            nansen__cbw_bytes(&w, wbuf, wlen);
        }
        nansen__cbw_uint(&w, BK_IAT);
        nansen__cbw_int(&w, iat);
        nansen__cbw_map_end(&w);
        if ((err = nansen__cbw_finish(&w, &plen)) != NANSEN_OK)
            goto fail;
        if (j == 0) {
            if (plen + NANSEN_COSE_SIGN1_OVERHEAD_MAX >
                NANSEN_BUNDLE_MAX_BYTES) {
                err = NANSEN_ERR_INVALID_ARG;
                goto fail;
            }
            if ((payload = malloc(plen)) == NULL) {
                err = NANSEN_ERR_NOMEM;
                goto fail;
            }
        }
    }
    if ((err = nansen_key_id(governance, kid)) != NANSEN_OK)
        goto fail;
    memset(&cp, 0, sizeof cp);
    cp.kid = kid;
    cp.kid_len = sizeof kid;
    cp.typ.present = 1;
    cp.typ.text = NANSEN_BUNDLE_TYP;
    cp.typ.text_len = sizeof NANSEN_BUNDLE_TYP - 1;
    err = nansen_cose_sign1_sign(ctx, out, out_len, governance, &cp, payload,
                                 plen, NULL, 0);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL)
        goto fail;
    free(payload);
    free(wbuf);
    free(names);
    nansen_withdrawal_store_free(store);
    nansen_trustlist_free(tl);
    return err;

fail:
    free(payload);
    free(wbuf);
    free(names);
    nansen_withdrawal_store_free(store);
    nansen_trustlist_free(tl);
    if (out != NULL)
        sodium_memzero(out, cap);
    *out_len = 0;
    return err;
}

typedef struct bundle_payload {
    int64_t iat;
    uint64_t vocab;
    const uint8_t *tl;
    size_t tl_len;
    nansen_bundle_bytes status[NANSEN_BUNDLE_MAX_STATUS_LISTS];
    size_t nstatus;
    const uint8_t *wd;           /* NULL: none */
    size_t wd_len;
} bundle_payload;

static nansen_err read_payload(bundle_payload *b, const uint8_t *p,
                               size_t len)
{
    nansen__cbr r;
    size_t n, i, k;
    int64_t key, prev = -1, v;
    unsigned seen = 0;
    nansen_err err;

    if ((err = nansen_cbor_check(p, len, 0)) != NANSEN_OK)
        return err;
    nansen__cbr_init(&r, p, len);
    if ((err = nansen__cbr_map(&r, &n)) != NANSEN_OK)
        return err;
    for (i = 0; i < n; i++) {
        if ((err = nansen__cbr_int(&r, &key)) != NANSEN_OK)
            return err;
        if (key <= prev)
            return NANSEN_ERR_MALFORMED;
        prev = key;
        switch (key) {
        case BK_PROFILE:
            if ((err = nansen__cbr_int(&r, &v)) != NANSEN_OK)
                return err;
            if (v != NANSEN_BUNDLE_PROFILE)
                return NANSEN_ERR_UNSUPPORTED_VERSION;
            break;
        case BK_VOCAB:
            if ((err = nansen__cbr_int(&r, &v)) != NANSEN_OK)
                return err;
            if (v < 0)
                return NANSEN_ERR_MALFORMED;
            b->vocab = (uint64_t)v;
            break;
        case BK_TRUSTLIST:
            if ((err = nansen__cbr_bytes(&r, &b->tl, &b->tl_len)) !=
                NANSEN_OK)
                return err;
            break;
        case BK_STATUS:
            if ((err = nansen__cbr_array(&r, &b->nstatus)) != NANSEN_OK)
                return err;
            if (b->nstatus > NANSEN_BUNDLE_MAX_STATUS_LISTS)
                return NANSEN_ERR_CBOR_TOO_LARGE;
            for (k = 0; k < b->nstatus; k++)
                if ((err = nansen__cbr_bytes(&r, &b->status[k].data,
                                             &b->status[k].len)) != NANSEN_OK)
                    return err;
            break;
        case BK_WITHDRAWALS:
            if ((err = nansen__cbr_bytes(&r, &b->wd, &b->wd_len)) !=
                NANSEN_OK)
                return err;
            if (b->wd == NULL)
                b->wd = p;     /* empty string: still "present" */
            break;
        case BK_IAT:
            if ((err = nansen__cbr_int(&r, &b->iat)) != NANSEN_OK)
                return err;
            if (b->iat <= 0)
                return NANSEN_ERR_MALFORMED;
            break;
        default:
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        }
        seen |= 1u << key;
    }
    if (!nansen__cbr_done(&r))
        return NANSEN_ERR_MALFORMED;
    if ((seen & ((1u << BK_PROFILE) | (1u << BK_VOCAB) | (1u << BK_TRUSTLIST) |
                 (1u << BK_STATUS) | (1u << BK_IAT))) !=
        ((1u << BK_PROFILE) | (1u << BK_VOCAB) | (1u << BK_TRUSTLIST) |
         (1u << BK_STATUS) | (1u << BK_IAT)))
        return NANSEN_ERR_MALFORMED;
    return NANSEN_OK;
}

/* Parse and verify the envelope; fill b from the payload. */
static nansen_err open_bundle(nansen_ctx *ctx, const nansen_key *governance,
                              const uint8_t *in, size_t len,
                              bundle_payload *b)
{
    static const int64_t prot[] = {NANSEN_COSE_HDR_ALG, NANSEN_COSE_HDR_KID,
                                   NANSEN_COSE_HDR_TYP};
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_REQUIRE_TAG};
    nansen_cose_sign1 m;
    const size_t typ_len = sizeof NANSEN_BUNDLE_TYP - 1;
    nansen_err err;

    if (len > NANSEN_BUNDLE_MAX_BYTES)
        return NANSEN_ERR_CBOR_TOO_LARGE;
    if ((err = nansen_cose_sign1_parse(&m, in, len, &opts)) != NANSEN_OK)
        return err;
    if (!m.typ.present || m.typ.text == NULL || m.typ.text_len != typ_len ||
        memcmp(m.typ.text, NANSEN_BUNDLE_TYP, typ_len) != 0)
        return NANSEN_ERR_WRONG_TYPE;
    if ((err = nansen__check_labels(m.protected_map, m.protected_map_len,
                                    prot, 3)) != NANSEN_OK ||
        (err = nansen__check_labels(m.unprotected_map, m.unprotected_map_len,
                                    NULL, 0)) != NANSEN_OK)
        return err;
    if (m.kid == NULL || !m.kid_protected || m.kid_len != NANSEN_KEY_ID_BYTES)
        return NANSEN_ERR_BAD_HEADER;
    if ((err = nansen__cose_sign1_verify_parsed(ctx, &m, governance, NULL,
                                                0)) != NANSEN_OK)
        return err;
    return read_payload(b, m.payload, m.payload_len);
}

typedef struct status_plan {
    char name[NANSEN_STATUS_DIR_NAME_BYTES + 1];
    int write;
} status_plan;

nansen_err nansen_bundle_import(nansen_ctx *ctx, const nansen_key *governance,
                                const uint8_t *bundle, size_t bundle_len,
                                const nansen_bundle_paths *paths,
                                nansen_bundle_summary *summary)
{
    bundle_payload *b = NULL;
    nansen_trustlist *tl = NULL, *cur = NULL;
    nansen_verifier *v = NULL;
    nansen_key *self = NULL;
    nansen_withdrawal_store *store = NULL;
    status_plan plan[NANSEN_BUNDLE_MAX_STATUS_LISTS];
    nansen_bundle_summary s;
    const uint8_t *cur_bytes;
    size_t cur_len, i, j, added = 0;
    int write_tl = 1, write_wd = 0;
    nansen_err err;

    if (summary != NULL)
        memset(summary, 0, sizeof *summary);
    ARG_CHECK(ctx != NULL && governance != NULL && bundle != NULL &&
              paths != NULL && paths->trustlist_file != NULL &&
              paths->status_dir != NULL);
    memset(&s, 0, sizeof s);
    if ((b = calloc(1, sizeof *b)) == NULL)
        return NANSEN_ERR_NOMEM;

    /* 1. the bundle */
    if ((err = open_bundle(ctx, governance, bundle, bundle_len, b)) !=
        NANSEN_OK)
        goto done;
    if (nansen_vocab_version() < 0 ||
        b->vocab > (uint64_t)nansen_vocab_version()) {
        err = NANSEN_ERR_UNSUPPORTED_VERSION;
        goto done;
    }
    s.iat = b->iat;
    s.vocab_version = (int)b->vocab;
    s.status_lists = b->nstatus;

    /* 2. the trust list */
    if ((err = nansen_trustlist_verify(ctx, &tl, b->tl, b->tl_len,
                                       governance)) != NANSEN_OK)
        goto done;
    s.trustlist_sequence = nansen_trustlist_sequence(tl);
    err = nansen_trustlist_load(ctx, &cur, paths->trustlist_file, governance);
    if (err == NANSEN_OK) {
        err = nansen_trustlist_is_newer(cur, tl);
        if (err == NANSEN_ERR_ROLLBACK &&
            nansen_trustlist_sequence(cur) == nansen_trustlist_sequence(tl) &&
            nansen_trustlist_encoded(cur, &cur_bytes, &cur_len) == NANSEN_OK &&
            cur_len == b->tl_len && memcmp(cur_bytes, b->tl, cur_len) == 0) {
            write_tl = 0;
            err = NANSEN_OK;
        }
        if (err != NANSEN_OK)
            goto done;
    } else if (err != NANSEN_ERR_NOT_FOUND) {
        goto done;
    }

    /* 3. the status lists, against the bundle's trust list */
    if ((err = nansen_key_generate(ctx, &self, NANSEN_KEY_ED25519)) !=
            NANSEN_OK ||
        (err = nansen_verifier_create(ctx, &v, self)) != NANSEN_OK ||
        (err = nansen_verifier_set_trustlist(v, tl)) != NANSEN_OK)
        goto done;
    nansen_verifier_set_time(v, b->iat);
    for (i = 0; i < b->nstatus; i++) {
        int present = 0;
        int64_t iat = 0, old_iat = 0;

        if ((err = nansen_verifier_add_status_list(v, b->status[i].data,
                                                   b->status[i].len)) !=
                NANSEN_OK ||
            (err = token_uri_iat(ctx, b->status[i].data, b->status[i].len,
                                 plan[i].name, &iat)) != NANSEN_OK)
            goto done;
        for (j = 0; j < i; j++)
            if (strcmp(plan[i].name, plan[j].name) == 0) {
                err = NANSEN_ERR_MALFORMED;    /* one URI twice */
                goto done;
            }
        if ((err = cached_iat(ctx, paths->status_dir, plan[i].name, &present,
                              &old_iat, NULL)) != NANSEN_OK)
            goto done;
        if (present && old_iat > iat) {
            err = NANSEN_ERR_ROLLBACK;
            goto done;
        }
        plan[i].write = !present || old_iat < iat;
    }

    /* 4. the withdrawals */
    if (paths->withdrawals_file != NULL) {
        err = nansen_withdrawal_store_load(ctx, &store,
                                           paths->withdrawals_file);
        if (err == NANSEN_ERR_NOT_FOUND) {
            write_wd = 1;
            err = nansen_withdrawal_store_create(ctx, &store);
        }
    } else {
        err = nansen_withdrawal_store_create(ctx, &store);
    }
    if (err != NANSEN_OK)
        goto done;
    if (b->wd != NULL && b->wd_len > 0) {
        if ((err = nansen_withdrawal_store_add(store, b->wd, b->wd_len,
                                               &added)) != NANSEN_OK)
            goto done;
        {
            nansen_withdrawal_store *only = NULL;
            if ((err = nansen_withdrawal_store_create(ctx, &only)) !=
                    NANSEN_OK ||
                (err = nansen_withdrawal_store_add(only, b->wd, b->wd_len,
                                                   NULL)) != NANSEN_OK) {
                nansen_withdrawal_store_free(only);
                goto done;
            }
            s.withdrawals = nansen_withdrawal_store_count(only);
            nansen_withdrawal_store_free(only);
        }
    }
    s.withdrawals_added = added;
    if (added > 0)
        write_wd = 1;

    /* every check passed: write */
    if (write_tl) {
        if ((err = nansen_trustlist_save(tl, paths->trustlist_file,
                                         NANSEN_SAVE_OVERWRITE)) != NANSEN_OK)
            goto done;
        s.trustlist_written = 1;
    }
    for (i = 0; i < b->nstatus; i++) {
        char *path;

        if (!plan[i].write)
            continue;
        if ((path = join(paths->status_dir, plan[i].name)) == NULL) {
            err = NANSEN_ERR_NOMEM;
            goto done;
        }
        err = nansen__file_write_atomic(path, b->status[i].data,
                                        b->status[i].len, 0644, 1);
        free(path);
        if (err != NANSEN_OK)
            goto done;
        s.status_written++;
    }
    if (write_wd && paths->withdrawals_file != NULL &&
        (err = nansen_withdrawal_store_save(store, paths->withdrawals_file,
                                            NANSEN_SAVE_OVERWRITE)) !=
            NANSEN_OK)
        goto done;
    if (summary != NULL)
        *summary = s;
    err = NANSEN_OK;

done:
    nansen_withdrawal_store_free(store);
    nansen_verifier_free(v);
    nansen_key_free(self);
    nansen_trustlist_free(cur);
    nansen_trustlist_free(tl);
    free(b);
    return err;
}
