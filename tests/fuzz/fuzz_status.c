/* fuzz_status.c - Token Status Lists on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The input is tried as each thing lib/trust/status.c decodes. Must never
 * crash, leak, read out of bounds or inflate past the limit, and must stay
 * consistent:
 *  - as a Status List Token, parsed without verifying (strict and
 *    lenient) and verified with a fixed key: strict success implies
 *    lenient success with the same list, verification implies parsing;
 *    a decoded list is well-formed (count = 8 * bytes / bits, every index
 *    below count readable, none above), its map re-encodes and decodes
 *    strictly to the same bytes, and its freshness check answers.
 *  - as a bare StatusList map, strict and lenient, alike.
 *  - as the issuer's file: an imported list exports to exactly the input
 *    (the format is canonical) and allocates only fresh indices.
 *  - as the status claim: a decoded reference encodes and decodes back.
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            abort();                                                        \
    } while (0)

static nansen_ctx *ctx;
static nansen_key *ed;

static void init(void)
{
    uint8_t secret[32];

    ctx = nansen_ctx_create(0);
    CHECK(ctx != NULL);
    memset(secret, 7, sizeof secret);
    CHECK(nansen_key_from_secret(ctx, &ed, NANSEN_KEY_ED25519, secret) ==
          NANSEN_OK);
}

static void same_data(const nansen_status_list *a, const nansen_status_list *b)
{
    const uint8_t *da, *db;
    size_t na, nb;

    CHECK(nansen_status_list_data(a, &da, &na) == NANSEN_OK);
    CHECK(nansen_status_list_data(b, &db, &nb) == NANSEN_OK);
    CHECK(na == nb && memcmp(da, db, na) == 0);
}

/* Invariants of any decoded (read-only) list. */
static void check_decoded(const nansen_status_list *l, int token)
{
    nansen_status_list_info info;
    nansen_status_list *again = NULL;
    uint8_t v, *map;
    size_t len = 0;
    int64_t age;
    nansen_err err;

    CHECK(nansen_status_list_get_info(l, &info) == NANSEN_OK);
    CHECK(info.bits == 1 || info.bits == 2 || info.bits == 4 ||
          info.bits == 8);
    CHECK(info.bytes >= 1 && info.bytes <= NANSEN_STATUS_LIST_MAX_BYTES);
    CHECK(info.count == info.bytes * 8 / info.bits);
    CHECK(!info.writable && info.from_token == token);
    CHECK((info.uri != NULL) == token);
    if (token) {
        CHECK(strlen(info.uri) >= 2 &&
              strlen(info.uri) <= NANSEN_STATUS_URI_MAX_BYTES);
        CHECK(info.iat > 0 && (!info.has_exp || info.exp > info.iat));
        CHECK(!info.has_ttl || info.ttl > 0);
        err = nansen_status_list_check_fresh(l, info.iat, -1, &age);
        CHECK(err == NANSEN_OK && age == 0);
        err = nansen_status_list_check_fresh(l, INT64_MAX, 0, &age);
        CHECK(err == NANSEN_ERR_STALE);
    } else {
        CHECK(nansen_status_list_check_fresh(l, 0, -1, &age) ==
              NANSEN_ERR_INVALID_ARG);
    }
    CHECK(nansen_status_list_get(l, 0, &v) == NANSEN_OK);
    CHECK(v < (1u << info.bits));
    CHECK(nansen_status_list_get(l, info.count - 1, &v) == NANSEN_OK);
    CHECK(nansen_status_list_get(l, info.count, &v) ==
          NANSEN_ERR_INVALID_ARG);
    CHECK(nansen_status_list_set((nansen_status_list *)l, 0, 0) ==
          NANSEN_ERR_INVALID_ARG);

    /* the map round trip: only for small lists, deflate is slow */
    if (info.bytes > 65536)
        return;
    err = nansen_status_list_encode(NULL, &len, l);
    if (err == NANSEN_ERR_NOMEM)
        return;
    CHECK(err == NANSEN_OK && len > 0);
    map = malloc(len);
    CHECK(map != NULL);
    CHECK(nansen_status_list_encode(map, &len, l) == NANSEN_OK);
    err = nansen_status_list_decode(ctx, &again, map, len, 0);
    CHECK(err == NANSEN_OK || err == NANSEN_ERR_NOMEM);
    if (err == NANSEN_OK)
        same_data(l, again);
    nansen_status_list_free(again);
    free(map);
}

static void as_token(const uint8_t *data, size_t size)
{
    nansen_status_list *strict = NULL, *lenient = NULL, *verified = NULL;
    nansen_err e0, e1, e2;

    e0 = nansen_status_list_parse(ctx, &strict, data, size, 0);
    e1 = nansen_status_list_parse(ctx, &lenient, data, size,
                                  NANSEN_STATUS_LENIENT);
    e2 = nansen_status_list_verify(ctx, &verified, ed, data, size);
    CHECK((e0 == NANSEN_OK) == (strict != NULL));
    CHECK((e1 == NANSEN_OK) == (lenient != NULL));
    CHECK((e2 == NANSEN_OK) == (verified != NULL));
    if (e0 == NANSEN_OK) {
        CHECK(e1 == NANSEN_OK || e1 == NANSEN_ERR_NOMEM);
        check_decoded(strict, 1);
        if (lenient != NULL)
            same_data(strict, lenient);
    }
    if (e1 == NANSEN_OK)
        check_decoded(lenient, 1);
    if (e2 == NANSEN_OK) {
        CHECK(e0 == NANSEN_OK);
        same_data(strict, verified);
    }
    nansen_status_list_free(strict);
    nansen_status_list_free(lenient);
    nansen_status_list_free(verified);
}

static void as_map(const uint8_t *data, size_t size)
{
    nansen_status_list *strict = NULL, *lenient = NULL;
    nansen_err e0, e1;

    e0 = nansen_status_list_decode(ctx, &strict, data, size, 0);
    e1 = nansen_status_list_decode(ctx, &lenient, data, size,
                                   NANSEN_STATUS_LENIENT);
    CHECK((e0 == NANSEN_OK) == (strict != NULL));
    CHECK((e1 == NANSEN_OK) == (lenient != NULL));
    if (e0 == NANSEN_OK) {
        CHECK(e1 == NANSEN_OK || e1 == NANSEN_ERR_NOMEM);
        check_decoded(strict, 0);
        if (lenient != NULL)
            same_data(strict, lenient);
    }
    if (e1 == NANSEN_OK)
        check_decoded(lenient, 0);
    nansen_status_list_free(strict);
    nansen_status_list_free(lenient);
}

static void as_file(const uint8_t *data, size_t size)
{
    nansen_status_list *l = NULL;
    nansen_status_list_info info;
    uint8_t *out;
    size_t len = 0;
    uint32_t idx;
    int used;
    nansen_err err;

    err = nansen_status_list_import(ctx, &l, data, size);
    CHECK((err == NANSEN_OK) == (l != NULL));
    if (err != NANSEN_OK)
        return;
    CHECK(nansen_status_list_get_info(l, &info) == NANSEN_OK);
    CHECK(info.writable && !info.from_token && info.uri != NULL);
    CHECK(info.count >= 1 && info.allocated <= info.count);
    CHECK(info.bytes == ((size_t)info.count * info.bits + 7) / 8);
    CHECK(nansen_status_list_export(NULL, &len, l) == NANSEN_OK);
    CHECK(len == size);
    out = malloc(len);
    CHECK(out != NULL);
    CHECK(nansen_status_list_export(out, &len, l) == NANSEN_OK);
    CHECK(len == size && memcmp(out, data, size) == 0);
    free(out);
    err = nansen_status_list_allocate(l, &idx);
    if (info.allocated == info.count) {
        CHECK(err == NANSEN_ERR_INVALID_ARG);
    } else {
        CHECK(err == NANSEN_OK && idx < info.count);
        CHECK(nansen_status_list_is_allocated(l, idx, &used) == NANSEN_OK &&
              used == 1);
    }
    nansen_status_list_free(l);
}

static void as_claim(const uint8_t *data, size_t size)
{
    uint8_t buf[NANSEN_STATUS_CLAIM_MAX_BYTES];
    char uri[NANSEN_STATUS_URI_MAX_BYTES + 1];
    nansen_status_ref ref, back;
    size_t len = sizeof buf;
    nansen_err err;

    err = nansen_status_claim_decode(&ref, data, size);
    if (err != NANSEN_OK) {
        CHECK(ref.uri == NULL && ref.idx == 0);
        return;
    }
    CHECK(ref.uri >= (const char *)data &&
          ref.uri + ref.uri_len <= (const char *)data + size);
    CHECK(ref.uri_len >= 2 && ref.uri_len <= NANSEN_STATUS_URI_MAX_BYTES);
    memcpy(uri, ref.uri, ref.uri_len);
    uri[ref.uri_len] = '\0';
    err = nansen_status_claim_encode(buf, &len, uri, ref.idx);
    if (ref.idx >= NANSEN_STATUS_LIST_MAX_ENTRIES) {
        CHECK(err == NANSEN_ERR_INVALID_ARG);
        return;
    }
    CHECK(err == NANSEN_OK && len <= size);
    CHECK(nansen_status_claim_decode(&back, buf, len) == NANSEN_OK);
    CHECK(back.idx == ref.idx && back.uri_len == ref.uri_len &&
          memcmp(back.uri, ref.uri, ref.uri_len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL)
        init();
    as_token(data, size);
    as_map(data, size);
    as_file(data, size);
    as_claim(data, size);
    return 0;
}
