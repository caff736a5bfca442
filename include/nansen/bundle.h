/* nansen/bundle.h - the verifier's status cache on disk, and trust bundles.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Two pieces for clinics that work offline (spec/bundle.md is normative):
 *
 *  - The status directory: the verifier's cache of status list tokens, one
 *    file "<hex SHA-256 of the list URI>.cwt" per URI, holding the signed
 *    token exactly as received. nansen_status_dir_put adds a token to a
 *    verifier and then to the directory; nansen_status_dir_load reads the
 *    directory back into a verifier at start.
 *
 *  - The trust bundle: one file a clinic imports from a USB stick,
 *    signed by the governance key (typ NANSEN_BUNDLE_TYP). It carries a
 *    trust list, status list tokens and a withdrawal store.
 *    nansen_bundle_export makes one; nansen_bundle_import checks ALL of it
 *    before it writes anything, then replaces the trust list file, the
 *    status files and the withdrawal store file, each atomically.
 *
 * Nothing here reads the environment: every path is the caller's.
 */
#ifndef NANSEN_BUNDLE_H
#define NANSEN_BUNDLE_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the status directory ---- */

/** File name suffix of a cached status list token. */
#define NANSEN_STATUS_DIR_SUFFIX ".cwt"
/** Length of a cache file name: 64 hex digits and ".cwt" (no NUL). */
#define NANSEN_STATUS_DIR_NAME_BYTES 68

/** The cache file name of a list URI: the lowercase hex of the SHA-256 of
 *  the URI's bytes, then ".cwt".
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG.
 *  Out:     name: NANSEN_STATUS_DIR_NAME_BYTES + 1 chars, NUL-terminated. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_dir_name(
    const char *uri, char name[NANSEN_STATUS_DIR_NAME_BYTES + 1])
    NANSEN_NONNULL(1, 2);

/** Load every status list in a directory into a verifier.
 *
 *  Reads each regular file of dir whose name ends in ".cwt" (other names
 *  and other kinds of file are ignored), in ascending name order, and
 *  gives it to nansen_verifier_add_status_list. The verifier's trust list
 *  or trusted issuers must be set first. Fail closed: the first file that
 *  cannot be read or added stops the load with its status (lists added
 *  before it stay in the verifier; the files are never changed). A list
 *  whose issuer is no longer trusted therefore stops the load with
 *  NANSEN_ERR_POLICY: remove its file.
 *
 *  Returns: NANSEN_OK (also for an empty directory);
 *           NANSEN_ERR_NOT_FOUND (no such directory), NANSEN_ERR_PERMISSION,
 *           NANSEN_ERR_IO; NANSEN_ERR_MALFORMED (a file over
 *           NANSEN_STATUS_TOKEN_MAX_BYTES); the errors of
 *           nansen_verifier_add_status_list (NANSEN_ERR_POLICY,
 *           NANSEN_ERR_ROLLBACK when the verifier holds a newer list for
 *           the URI, the signature and decoding errors, ...);
 *           NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     loaded: if not NULL, how many files were added (also on
 *                   failure: those before the bad one).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_dir_load(
    nansen_ctx *ctx, nansen_verifier *v, const char *dir, size_t *loaded)
    NANSEN_NONNULL(1, 2, 3);

/** Add a status list token to a verifier and cache it in dir.
 *
 *  First nansen_verifier_add_status_list (so the token must verify with a
 *  trusted issuer and not be older than the list the verifier holds for
 *  its URI); then the cached file for its URI, if any, is read: the token
 *  is written (atomically, mode 0644, as dir/<nansen_status_dir_name>)
 *  only when there is no file or the file's list has a lower iat. A file
 *  with the same iat is kept as it is.
 *
 *  Returns: NANSEN_OK (added; *written says whether the file changed);
 *           the errors of nansen_verifier_add_status_list (nothing
 *           written); NANSEN_ERR_ROLLBACK (the cached file holds a newer
 *           list: nothing written); the errors of nansen_status_list_parse
 *           for a cached file that is not a status list token (it is kept
 *           for a person to look at); NANSEN_ERR_NOT_FOUND (no such
 *           directory), NANSEN_ERR_PERMISSION, NANSEN_ERR_IO,
 *           NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     written: if not NULL, 1 when the file was written, else 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_dir_put(
    nansen_ctx *ctx, nansen_verifier *v, const char *dir,
    const uint8_t *token, size_t token_len, int *written)
    NANSEN_NONNULL(1, 2, 3, 4);

/* ---- trust bundles ---- */

/** The protected typ of every trust bundle. */
#define NANSEN_BUNDLE_TYP "application/nansen-bundle+cwt"
/** The profile number (payload key 0) this library reads and writes. */
#define NANSEN_BUNDLE_PROFILE 1
/** Most status list tokens in one bundle. */
#define NANSEN_BUNDLE_MAX_STATUS_LISTS 64
/** Longest bundle this library writes or reads (16 MiB, the CBOR input
 *  limit of nansen/cbor.h). */
#define NANSEN_BUNDLE_MAX_BYTES (16u << 20)

/** A borrowed byte string. */
typedef struct nansen_bundle_bytes {
    const uint8_t *data;
    size_t len;
} nansen_bundle_bytes;

/** Make a trust bundle, signed with the governance key.
 *
 *  The parts are checked before signing: the trust list must verify with
 *  governance; each status token must decode (nansen_status_list_parse,
 *  its signature is the importer's check) and name a distinct URI; the
 *  withdrawals must load as nansen_withdrawal_store_add accepts them (a
 *  store file, or one withdrawal) and are written as the serialised store
 *  (spec/withdrawal.md). The vocabulary version written is
 *  nansen_vocab_version().
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL);
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size);
 *           NANSEN_ERR_INVALID_ARG (iat <= 0, more than
 *           NANSEN_BUNDLE_MAX_STATUS_LISTS tokens, two tokens for one URI,
 *           a result over NANSEN_BUNDLE_MAX_BYTES); the errors of
 *           nansen_trustlist_verify, nansen_status_list_parse,
 *           nansen_withdrawal_store_add; NANSEN_ERR_NO_SECRET_KEY;
 *           NANSEN_ERR_NOMEM.
 *  Args:    ctx:        context.
 *  Out:     out:        buffer, or NULL for the size.
 *  In/Out:  out_len:    in: capacity; out: bytes written or needed.
 *  In:      governance: the governance key, with its secret.
 *           trustlist, trustlist_len: the signed trust list.
 *           status_lists, status_count: status list tokens (NULL, 0 for
 *                       none).
 *           withdrawals, withdrawals_len: a withdrawal store file (or one
 *                       withdrawal), or NULL, 0 for none.
 *           iat:        signing time, unix seconds.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_bundle_export(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_key *governance, const uint8_t *trustlist,
    size_t trustlist_len, const nansen_bundle_bytes *status_lists,
    size_t status_count, const uint8_t *withdrawals, size_t withdrawals_len,
    int64_t iat) NANSEN_NONNULL(1, 3, 4, 5);

/** Where an import writes. trustlist_file and status_dir are required;
 *  withdrawals_file may be NULL (the bundle's withdrawals are then still
 *  verified, but not stored). */
typedef struct nansen_bundle_paths {
    const char *trustlist_file;    /* nansen_trustlist_save / _load file */
    const char *status_dir;        /* the status directory (must exist) */
    const char *withdrawals_file;  /* nansen_withdrawal_store file, or NULL */
} nansen_bundle_paths;

/** What an import did (all zero on failure). */
typedef struct nansen_bundle_summary {
    int64_t iat;                   /* the bundle's signing time: raise the
                                      verifier's clock floor with it */
    int vocab_version;             /* the bundle's vocabulary version */
    uint64_t trustlist_sequence;   /* the bundle's trust list sequence */
    int trustlist_written;         /* 1: newer than the file, written */
    size_t status_lists;           /* tokens in the bundle */
    size_t status_written;         /* files written (newer than cached) */
    size_t withdrawals;            /* withdrawals in the bundle */
    size_t withdrawals_added;      /* new to the store file */
} nansen_bundle_summary;

/** Verify a trust bundle and install its parts. All checks precede any
 *  write, so a refused bundle changes no file.
 *
 *  Checks, in order (the first failure is returned):
 *   1. the bundle: at most NANSEN_BUNDLE_MAX_BYTES, tag 18, typ
 *      NANSEN_BUNDLE_TYP, signature by governance, the payload of
 *      spec/bundle.md; a vocabulary version above nansen_vocab_version()
 *      gives NANSEN_ERR_UNSUPPORTED_VERSION;
 *   2. the trust list verifies with governance; if trustlist_file holds a
 *      list (it must load with governance), the bundle's must be newer
 *      (nansen_trustlist_is_newer) or byte for byte the same (then it is
 *      not written), else NANSEN_ERR_ROLLBACK;
 *   3. each status token verifies with an ngo or status-issuer of the
 *      bundle's trust list at the bundle's iat (NANSEN_ERR_POLICY if
 *      none), and is not older than the file cached for its URI in
 *      status_dir (NANSEN_ERR_ROLLBACK); only newer ones are written;
 *   4. the withdrawals are added to a copy of the store loaded from
 *      withdrawals_file (an absent file is an empty store; one that does
 *      not load is an error, and is kept). The store file is written when
 *      it was absent (then even empty) or withdrawals were added.
 *  Then it writes, each file atomically (temporary file, fsync, rename):
 *  the trust list, the status files, the withdrawal store. A crash
 *  between two renames leaves every file valid, some old and some new:
 *  import the same bundle again to finish.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_CBOR_TOO_LARGE; the COSE and CBOR
 *           errors; NANSEN_ERR_WRONG_TYPE; NANSEN_ERR_BAD_HEADER;
 *           NANSEN_ERR_ALG_MISMATCH, NANSEN_ERR_KEY_MISMATCH,
 *           NANSEN_ERR_BAD_SIGNATURE (not the governance key's);
 *           NANSEN_ERR_MALFORMED; NANSEN_ERR_UNSUPPORTED_VERSION;
 *           NANSEN_ERR_ROLLBACK; NANSEN_ERR_POLICY; the errors of
 *           nansen_trustlist_verify/_load, nansen_status_list_verify,
 *           nansen_withdrawal_store_add/_load; the write errors
 *           (NANSEN_ERR_NOT_FOUND for a missing directory,
 *           NANSEN_ERR_PERMISSION, NANSEN_ERR_IO); NANSEN_ERR_INVALID_ARG;
 *           NANSEN_ERR_NOMEM.
 *  Out:     summary: if not NULL, what was done.
 *  In:      governance: the pinned governance key (public is enough).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_bundle_import(
    nansen_ctx *ctx, const nansen_key *governance, const uint8_t *bundle,
    size_t bundle_len, const nansen_bundle_paths *paths,
    nansen_bundle_summary *summary) NANSEN_NONNULL(1, 2, 3, 5);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_BUNDLE_H */
