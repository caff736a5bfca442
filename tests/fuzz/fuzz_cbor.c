/* fuzz_cbor.c - the CBOR checker, reader and writer on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Must never crash, leak or read out of bounds, and must stay consistent:
 *  - the flags only relax: what the strict check accepts, all accept;
 *  - nansen_cbor_check and nansen__cbor_check_prefix agree;
 *  - on accepted input the reader's skip spans exactly the checked item,
 *    and next() walks it head by head without error;
 *  - an accepted item with shortest heads re-encodes through the writer
 *    (maps sorted on the way) to bytes the strict check accepts, of the
 *    same size; for strictly accepted input, to the very same bytes, also
 *    through nansen__cbw_raw.
 */
#include <stdlib.h>
#include <string.h>

#include "nansen.h"
#include "internal/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            abort();                                                        \
    } while (0)

/* Re-encode the item at r through the writer. Returns 0 on a reader error
 * (which must not happen on checked input). */
static int reencode(nansen__cbr *r, nansen__cbw *w, int depth)
{
    nansen__cbor_item it;
    size_t i;

    if (depth > NANSEN_CBOR_MAX_DEPTH ||
        nansen__cbr_next(r, &it) != NANSEN_OK)
        return 0;
    switch (it.type) {
    case NANSEN__CBOR_UINT:
        nansen__cbw_uint(w, it.v.u);
        return 1;
    case NANSEN__CBOR_NINT:
        if (it.v.u <= (uint64_t)INT64_MAX)
            nansen__cbw_int(w, -1 - (int64_t)it.v.u);
        else
            nansen__cbw_raw(w, it.start, (size_t)(r->p - it.start));
        return 1;
    case NANSEN__CBOR_BYTES:
        nansen__cbw_bytes(w, it.str, it.len);
        return 1;
    case NANSEN__CBOR_TEXT:
        nansen__cbw_text(w, (const char *)it.str, it.len);
        return 1;
    case NANSEN__CBOR_ARRAY:
        nansen__cbw_array(w, (size_t)it.v.u);
        for (i = 0; i < it.v.u; i++)
            if (!reencode(r, w, depth + 1))
                return 0;
        return 1;
    case NANSEN__CBOR_MAP:
        nansen__cbw_map(w, (size_t)it.v.u);
        for (i = 0; i < 2 * it.v.u; i++)
            if (!reencode(r, w, depth + 1))
                return 0;
        nansen__cbw_map_end(w);
        return 1;
    case NANSEN__CBOR_TAG:
        nansen__cbw_tag(w, it.v.u);
        return reencode(r, w, depth + 1);
    case NANSEN__CBOR_SIMPLE:
        if (it.v.u == 20 || it.v.u == 21)
            nansen__cbw_bool(w, it.v.u == 21);
        else if (it.v.u == 22)
            nansen__cbw_null(w);
        else if (it.v.u == 23)
            nansen__cbw_raw(w, it.start, 1);
        else
            nansen__cbw_simple(w, (uint8_t)it.v.u);
        return 1;
    case NANSEN__CBOR_FLOAT:
        /* no float writer: copy the (shortest) float as it is */
        nansen__cbw_raw(w, it.start, (size_t)(r->p - it.start));
        return 1;
    }
    return 0;
}

/* Re-encode data (accepted with flags) twice: measuring, then writing. */
static void check_reencode(const uint8_t *data, size_t size,
                           unsigned int flags)
{
    nansen__cbr r;
    nansen__cbw w;
    size_t need = 0, len = 0;
    uint8_t *out;
    nansen_err err;

    nansen__cbr_init(&r, data, size);
    nansen__cbw_init(&w, NULL, 0);
    CHECK(reencode(&r, &w, 0) && nansen__cbr_done(&r));
    err = nansen__cbw_finish(&w, &need);
    if (err == NANSEN_ERR_NOMEM)
        return;
    CHECK(err == NANSEN_OK && need == size);

    out = malloc(need);
    CHECK(out != NULL);
    nansen__cbr_init(&r, data, size);
    nansen__cbw_init(&w, out, need);
    CHECK(reencode(&r, &w, 0));
    err = nansen__cbw_finish(&w, &len);
    if (err != NANSEN_ERR_NOMEM) {
        /* a key repeated by value would have been refused */
        CHECK(err == NANSEN_OK && len == size);
        CHECK(nansen_cbor_check(out, len, 0) == NANSEN_OK);
        if (flags == 0)
            CHECK(memcmp(out, data, size) == 0);
    }
    free(out);

    /* one byte short: the size needed comes back */
    if (size > 1) {
        out = malloc(size - 1);
        CHECK(out != NULL);
        nansen__cbr_init(&r, data, size);
        nansen__cbw_init(&w, out, size - 1);
        CHECK(reencode(&r, &w, 0));
        err = nansen__cbw_finish(&w, &len);
        CHECK(err == NANSEN_ERR_NOMEM ||
              (err == NANSEN_ERR_BUFFER_TOO_SMALL && len == size));
        free(out);
    }
}

static void check_reader(const uint8_t *data, size_t size)
{
    nansen__cbor_item it;
    const uint8_t *start = NULL;
    nansen__cbr r;
    size_t len = 0, heads = 0;

    nansen__cbr_init(&r, data, size);
    CHECK(nansen__cbr_skip(&r, &start, &len) == NANSEN_OK);
    CHECK(start == data && len == size && nansen__cbr_done(&r));

    nansen__cbr_init(&r, data, size);
    while (!nansen__cbr_done(&r)) {
        const uint8_t *before = r.p;

        CHECK(nansen__cbr_next(&r, &it) == NANSEN_OK);
        CHECK(it.start == before && r.p > before && r.p <= data + size);
        if (it.type == NANSEN__CBOR_BYTES || it.type == NANSEN__CBOR_TEXT)
            CHECK(it.str + it.len == r.p);
        CHECK(++heads <= NANSEN_CBOR_MAX_ITEMS);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_err err[4], perr;
    unsigned int f;
    size_t item_len;

    for (f = 0; f < 4; f++) {
        err[f] = nansen_cbor_check(data, size, f);
        perr = nansen__cbor_check_prefix(data, size, f, &item_len);
        if (perr == NANSEN_OK) {
            CHECK(item_len > 0 && item_len <= size);
            CHECK(err[f] == (item_len == size ? NANSEN_OK
                                              : NANSEN_ERR_TRAILING_DATA));
            /* the item alone passes */
            CHECK(nansen_cbor_check(data, item_len, f) == NANSEN_OK);
        } else {
            CHECK(item_len == 0 && err[f] == perr);
        }
        if (err[f] == NANSEN_OK)
            check_reader(data, size);
    }
    /* relaxing never rejects more */
    if (err[0] == NANSEN_OK)
        CHECK(err[1] == NANSEN_OK && err[2] == NANSEN_OK &&
              err[3] == NANSEN_OK);
    if (err[1] == NANSEN_OK || err[2] == NANSEN_OK)
        CHECK(err[3] == NANSEN_OK);
    /* Up to the first strict error there is nothing a flag could relax,
     * so any other strict error is the error under every flag. */
    for (f = 1; f < 4; f++)
        if (err[0] != NANSEN_ERR_CBOR_NOT_DETERMINISTIC)
            CHECK(err[f] == err[0]);

    if (err[0] == NANSEN_OK) {
        nansen__cbw w;
        uint8_t *out = malloc(size);
        size_t len = 0;

        CHECK(out != NULL);
        nansen__cbw_init(&w, out, size);
        nansen__cbw_raw(&w, data, size);
        CHECK(nansen__cbw_finish(&w, &len) == NANSEN_OK && len == size);
        CHECK(memcmp(out, data, size) == 0);
        free(out);
        check_reencode(data, size, 0);
    } else if (err[1] == NANSEN_OK) {
        check_reencode(data, size, NANSEN_CBOR_ALLOW_UNSORTED);
    }
    return 0;
}
