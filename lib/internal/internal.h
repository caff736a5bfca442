/* internal.h - shared by lib/ only; not installed.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Internal functions that are not static carry the prefix nansen__ (two
 * underscores): they are hidden in the shared library and cannot collide
 * with a user's symbols in the static one.
 */
#ifndef NANSEN_INTERNAL_H
#define NANSEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <secp256k1.h>

#include "nansen.h"

struct nansen_ctx {
    secp256k1_context *secp;
    unsigned int flags;
};

/* Caller mistakes are answered, not crashed on. */
#define ARG_CHECK(cond)                                                     \
    do {                                                                    \
        if (!(cond))                                                        \
            return NANSEN_ERR_INVALID_ARG;                                  \
    } while (0)

/* The size-query step of the buffer convention: returns 1 when the caller
 * must return *err now (size query answered, or buffer too small). */
static inline int nansen__size_query(nansen_err *err, const void *out,
                                     size_t *out_len, size_t need)
{
    if (out == NULL || *out_len < need) {
        *err = out == NULL ? NANSEN_OK : NANSEN_ERR_BUFFER_TOO_SMALL;
        *out_len = need;
        return 1;
    }
    return 0;
}

/* Lowercase hex of in into out (2*in_len chars + NUL). */
void nansen__hex_encode(char *out, const uint8_t *in, size_t in_len);

/* Decode exactly out_len bytes from 2*out_len hex digits (either case).
 * Returns NANSEN_OK or NANSEN_ERR_BAD_ENCODING. */
nansen_err nansen__hex_decode(uint8_t *out, size_t out_len, const char *in,
                              size_t in_len);

/* Write data to path atomically: a temporary file in the same directory
 * with the given mode, fsync, rename, fsync of the directory. Without
 * overwrite the final link() refuses an existing path (NANSEN_ERR_EXISTS)
 * with no window in which another file could be replaced. */
nansen_err nansen__file_write_atomic(const char *path, const uint8_t *data,
                                     size_t len, unsigned int mode,
                                     int overwrite);

/* Read a whole regular file of at most max bytes into a sodium_malloc
 * buffer (*out, freed by the caller with sodium_free after wiping, as it
 * may hold secrets). NANSEN_ERR_CBOR_TOO_LARGE is never used here: a file
 * over max gives NANSEN_ERR_MALFORMED. */
nansen_err nansen__file_read_secure(const char *path, size_t max,
                                    uint8_t **out, size_t *out_len);

/* nansen_cose_sign1_verify on a message nansen_cose_sign1_parse already
 * accepted (the view must still point into the message): the checks
 * after parsing, without parsing again. */
nansen_err nansen__cose_sign1_verify_parsed(nansen_ctx *ctx,
                                            const nansen_cose_sign1 *m,
                                            const nansen_key *key,
                                            const uint8_t *aad,
                                            size_t aad_len);

/* The primary subtag of a BCP 47 tag, lowercase, into prim (Dari prs and
 * Iranian Persian pes read as fa): 1, or 0 if it is longer than 8
 * letters. How the vocabulary and the ledger pick a language. */
int nansen__lang_primary(char prim[9], const char *tag);

/* YYYY-MM-DD of a unix time (UTC), by H. Hinnant's civil_from_days, so
 * that neither the locale nor TZ can change what is shown (notices, cards,
 * the ledger). t is in years 1970..9999. */
void nansen__civil_date(char out[11], int64_t t);

/* errno to status. */
nansen_err nansen__errno_status(int e);

#endif /* NANSEN_INTERNAL_H */
