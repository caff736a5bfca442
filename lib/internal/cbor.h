/* cbor.h - deterministic CBOR writer and zero-copy reader (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The writer emits RFC 8949 section 4.2.1 core deterministic encoding:
 * heads come from libcbor's cbor_encode_* (which pick the shortest form),
 * and maps opened with nansen__cbw_map are sorted by the bytes of their
 * encoded keys when closed. Errors are sticky (QCBOR style): call the
 * writer functions in sequence and check nansen__cbw_finish once.
 *
 * With buf == NULL the writer only measures: nansen__cbw_finish then gives
 * the exact size the encoding needs.
 *
 * The reader walks input that nansen_cbor_check has accepted. It reads one
 * data item head at a time; strings are returned as pointers into the
 * input (no copies, no allocation).
 */
#ifndef NANSEN_INTERNAL_CBOR_H
#define NANSEN_INTERNAL_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include "nansen/error.h"
#include "nansen/cbor.h"

/* ---- writer ---- */

#define NANSEN__CBW_MAX_OPEN_MAPS 16

typedef struct nansen__cbw {
    uint8_t *buf;         /* NULL: measure only */
    size_t cap;
    size_t len;           /* bytes written (or that would be) */
    nansen_err err;       /* first error; sticky */
    size_t open;          /* number of maps awaiting nansen__cbw_map_end */
    struct {
        size_t start;     /* offset of the first key */
        size_t count;     /* declared number of pairs */
    } maps[NANSEN__CBW_MAX_OPEN_MAPS];
} nansen__cbw;

void nansen__cbw_init(nansen__cbw *w, uint8_t *buf, size_t cap);
void nansen__cbw_uint(nansen__cbw *w, uint64_t v);
void nansen__cbw_int(nansen__cbw *w, int64_t v);        /* major 0 or 1 */
void nansen__cbw_bytes(nansen__cbw *w, const uint8_t *p, size_t n);
void nansen__cbw_text(nansen__cbw *w, const char *p, size_t n);
void nansen__cbw_array(nansen__cbw *w, size_t n);       /* then n items */
void nansen__cbw_tag(nansen__cbw *w, uint64_t tag);     /* then 1 item */
void nansen__cbw_bool(nansen__cbw *w, int v);
void nansen__cbw_null(nansen__cbw *w);
void nansen__cbw_simple(nansen__cbw *w, uint8_t v);     /* 0-19, 32-255 */
/* Copy one already encoded, deterministic data item. */
void nansen__cbw_raw(nansen__cbw *w, const uint8_t *p, size_t n);
/* Open a map of n pairs: write n keys and values in any order, then
 * nansen__cbw_map_end sorts the pairs by encoded key and rejects
 * duplicates (NANSEN_ERR_CBOR_DUPLICATE_KEY) and a wrong pair count
 * (NANSEN_ERR_INVALID_ARG). Maps nest up to NANSEN__CBW_MAX_OPEN_MAPS. */
void nansen__cbw_map(nansen__cbw *w, size_t n);
void nansen__cbw_map_end(nansen__cbw *w);
/* Returns the sticky error, or NANSEN_ERR_INVALID_ARG if a map is still
 * open; on NANSEN_OK *len is the encoded size. A too-small buffer gives
 * NANSEN_ERR_BUFFER_TOO_SMALL and *len the size needed. */
nansen_err nansen__cbw_finish(nansen__cbw *w, size_t *len);

/* ---- checker ---- */

/* nansen_cbor_check on a prefix: check the one data item that starts at
 * in and report its length in *item_len; bytes after it are allowed. */
nansen_err nansen__cbor_check_prefix(const uint8_t *in, size_t in_len,
                                     unsigned int flags, size_t *item_len);

/* 1 if s[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). */
int nansen__utf8_valid(const uint8_t *s, size_t n);

/* ---- reader ---- */

typedef enum nansen__cbor_type {
    NANSEN__CBOR_UINT = 0,     /* v.u */
    NANSEN__CBOR_NINT = 1,     /* value is -1 - v.u */
    NANSEN__CBOR_BYTES = 2,    /* str, len */
    NANSEN__CBOR_TEXT = 3,     /* str, len */
    NANSEN__CBOR_ARRAY = 4,    /* v.u = number of items that follow */
    NANSEN__CBOR_MAP = 5,      /* v.u = number of pairs that follow */
    NANSEN__CBOR_TAG = 6,      /* v.u = tag number; one item follows */
    NANSEN__CBOR_SIMPLE = 7,   /* v.u = simple value (20 false, 21 true,
                                  22 null, 23 undefined, others) */
    NANSEN__CBOR_FLOAT = 8     /* v.f (half, single or double) */
} nansen__cbor_type;

typedef struct nansen__cbor_item {
    nansen__cbor_type type;
    union {
        uint64_t u;
        double f;
    } v;
    const uint8_t *str;        /* BYTES/TEXT content, into the input */
    size_t len;                /* BYTES/TEXT length */
    const uint8_t *start;      /* first byte of the head */
} nansen__cbor_item;

typedef struct nansen__cbr {
    const uint8_t *p;          /* next byte */
    const uint8_t *end;
} nansen__cbr;

void nansen__cbr_init(nansen__cbr *r, const uint8_t *in, size_t len);
/* Read the next head (and string body). Definite lengths only.
 * NANSEN_ERR_TRUNCATED / NANSEN_ERR_MALFORMED / NANSEN_ERR_CBOR_INDEFINITE
 * on bad input, so the reader is safe even on unchecked bytes. */
nansen_err nansen__cbr_next(nansen__cbr *r, nansen__cbor_item *it);
/* Skip one whole data item (with everything nested in it), at most
 * NANSEN_CBOR_MAX_DEPTH deep. start and len give its encoded bytes (either
 * may be NULL). */
nansen_err nansen__cbr_skip(nansen__cbr *r, const uint8_t **start,
                            size_t *len);
/* Read an integer (major 0 or 1) that fits int64_t, else
 * NANSEN_ERR_MALFORMED. */
nansen_err nansen__cbr_int(nansen__cbr *r, int64_t *v);
/* Read a byte string / text string, else NANSEN_ERR_MALFORMED. */
nansen_err nansen__cbr_bytes(nansen__cbr *r, const uint8_t **p, size_t *n);
nansen_err nansen__cbr_text(nansen__cbr *r, const char **p, size_t *n);
/* Read an array / map head, else NANSEN_ERR_MALFORMED. */
nansen_err nansen__cbr_array(nansen__cbr *r, size_t *n);
nansen_err nansen__cbr_map(nansen__cbr *r, size_t *n);
/* 1 if the reader has consumed all input. */
int nansen__cbr_done(const nansen__cbr *r);

#endif /* NANSEN_INTERNAL_CBOR_H */
