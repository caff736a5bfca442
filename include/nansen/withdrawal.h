/* nansen/withdrawal.h - the holder's withdrawal of a consent grant, and the
 * verifier's store of withdrawals.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A withdrawal is a small COSE_Sign1 (typ NANSEN_WITHDRAWAL_TYP) signed by
 * the holder's key, the cnf key of the referral inside the grant, that
 * names the grant by its digest (the SHA-256 of the whole encoded grant)
 * and says when consent was withdrawn. It carries the holder's public key
 * (cnf), so that anyone can check its signature without the grant; it
 * counts against a grant only when that key is the grant's cnf key.
 *
 * It travels by QR code, file or any relay. A verifier keeps the
 * withdrawals it has seen in a withdrawal store: a set keyed by (grant
 * digest, holder key), which merges by set union, so that any order of
 * arrival gives the same store, byte for byte. A withdrawal signed by any
 * other key than the grant's holder never makes that grant withdrawn: it is
 * refused by nansen_withdrawal_verify (KEY_MISMATCH or BAD_SIGNATURE),
 * refused by the store when its signature does not verify, and when it is
 * self-consistent but from another key it is kept under that other key,
 * where nansen_withdrawal_store_check never finds it for this grant (and
 * it cannot displace the holder's own withdrawal).
 *
 * spec/withdrawal.md is normative.
 */
#ifndef NANSEN_WITHDRAWAL_H
#define NANSEN_WITHDRAWAL_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/consent.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The typ header (RFC 9596) of a withdrawal, a text string. */
#define NANSEN_WITHDRAWAL_TYP "application/vnd.nansen.withdrawal+cwt"

/** Longest withdrawal this library writes or reads (a withdrawal is at
 *  most 226 bytes; a QR code of version 11 at level M holds it framed). */
#define NANSEN_WITHDRAWAL_MAX_BYTES 256
/** Most withdrawals one store holds. */
#define NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES 50000
/** Longest store file: the frame, and each entry as a byte string. */
#define NANSEN_WITHDRAWAL_STORE_MAX_BYTES                                   \
    (64 + (size_t)NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES *                     \
              (3 + NANSEN_WITHDRAWAL_MAX_BYTES))

NANSEN_API size_t nansen_withdrawal_max_bytes(void);
NANSEN_API size_t nansen_withdrawal_store_max_bytes(void);

/** Sign the withdrawal of a grant, as its holder.
 *
 *  The withdrawal names the grant by its digest, carries the grant's exp
 *  (so that a store may forget it once the grant has expired) and the
 *  holder's public key, and is signed with holder_key.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG (NULL arguments, when <= 0),
 *           the errors of nansen_grant_decode for a grant that does not
 *           decode, NANSEN_ERR_KEY_MISMATCH (holder_key is not the
 *           grant's holder: the cnf key of its referral),
 *           NANSEN_ERR_NO_SECRET_KEY, NANSEN_ERR_NOMEM.
 *  Args:    ctx:        context from nansen_ctx_create.
 *  Out:     out:        buffer (NANSEN_WITHDRAWAL_MAX_BYTES is always
 *                       enough), or NULL for the size.
 *  In/Out:  out_len:    in: capacity; out: bytes written or needed.
 *  In:      holder_key: the holder's key, with its secret.
 *           grant, grant_len: the encoded grant being withdrawn (exactly
 *                       the bytes that were presented: its digest names
 *                       it).
 *           when:       the time of withdrawal, unix seconds (> 0).
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_key *holder_key, const uint8_t *grant, size_t grant_len,
    int64_t when) NANSEN_NONNULL(1, 3, 4, 5);

/** Verify a withdrawal against the grant it should withdraw.
 *
 *  Checks, in this order: the withdrawal's structure (as
 *  nansen_withdrawal_decode); the grant decodes (nansen_grant_decode); the
 *  withdrawal's holder key is the grant's cnf key; the signature verifies
 *  with that key; the withdrawal names this grant's digest. The grant's
 *  own signatures are not checked here: that is the verifier's work
 *  (nansen_verify_grant), and a withdrawal of a forged grant withdraws
 *  nothing that could be accepted.
 *
 *  Returns: NANSEN_OK only if the withdrawal is signed by the grant's
 *           holder and names this grant. Otherwise: the errors of
 *           nansen_withdrawal_decode; those of nansen_grant_decode;
 *           NANSEN_ERR_KEY_MISMATCH (the withdrawal's key is another key
 *           than the grant's holder); NANSEN_ERR_UNSUPPORTED_ALG,
 *           NANSEN_ERR_ALG_MISMATCH, NANSEN_ERR_BAD_SIGNATURE (not signed
 *           by its key);
 *           NANSEN_ERR_DIGEST_MISMATCH (signed by the holder, but for
 *           another grant); NANSEN_ERR_INVALID_ARG; NANSEN_ERR_NOMEM.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_verify(
    nansen_ctx *ctx, const uint8_t *withdrawal, size_t withdrawal_len,
    const uint8_t *grant, size_t grant_len) NANSEN_NONNULL(1, 2, 4);

/* ---- reading a withdrawal without its grant ---- */

typedef struct nansen_withdrawal nansen_withdrawal;   /* opaque */

/** Decode a withdrawal to show it or to file it, and check its structure:
 *  deterministic CBOR of at most NANSEN_WITHDRAWAL_MAX_BYTES, a tagged
 *  COSE_Sign1 with typ NANSEN_WITHDRAWAL_TYP, only alg and typ in the
 *  protected header and nothing unprotected, claims exp, iat, cnf (the
 *  holder's COSE_Key, exactly as Nansen encodes it) and the Nansen map
 *  with profile 1 and the grant digest. NOTHING is verified: see
 *  nansen_withdrawal_verify (with the grant) or the store (which checks
 *  the signature against the enclosed key).
 *
 *  Returns: NANSEN_OK; the CBOR and COSE parse errors;
 *           NANSEN_ERR_CBOR_TOO_LARGE (past NANSEN_WITHDRAWAL_MAX_BYTES);
 *           NANSEN_ERR_WRONG_TYPE (another typ: not a withdrawal);
 *           NANSEN_ERR_MALFORMED (a claim missing or of the wrong type, a
 *           time <= 0, a cnf COSE_Key not in Nansen's one encoding);
 *           NANSEN_ERR_UNSUPPORTED_VERSION (another header label, claim,
 *           Nansen map key or profile); NANSEN_ERR_UNSUPPORTED_ALG (a cnf
 *           key outside the profile); NANSEN_ERR_BAD_KEY (cnf not a valid
 *           key); NANSEN_ERR_NOMEM.
 *  Out:     out: the withdrawal, freed with nansen_withdrawal_free; NULL on
 *                failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_decode(
    nansen_ctx *ctx, nansen_withdrawal **out, const uint8_t *in,
    size_t in_len) NANSEN_NONNULL(1, 2, 3);

/** Free a decoded withdrawal and what it owns. NULL is allowed. */
NANSEN_API void nansen_withdrawal_free(nansen_withdrawal *w);

/** The digest of the grant it names (NANSEN_DIGEST_BYTES, owned by w). */
NANSEN_API const uint8_t *nansen_withdrawal_grant_digest(
    const nansen_withdrawal *w) NANSEN_NONNULL(1);

/** When consent was withdrawn (iat) and the grant's exp it states, unix
 *  seconds; either pointer may be NULL. */
NANSEN_API void nansen_withdrawal_times(const nansen_withdrawal *w,
                                        int64_t *iat, int64_t *grant_exp)
    NANSEN_NONNULL(1);

/** The key the withdrawal says signed it (public; owned by w). Unverified
 *  after nansen_withdrawal_decode. */
NANSEN_API const nansen_key *nansen_withdrawal_holder(
    const nansen_withdrawal *w) NANSEN_NONNULL(1);

/* ---- the verifier's withdrawal store ---- */

typedef struct nansen_withdrawal_store nansen_withdrawal_store; /* opaque */

/** Create an empty store.
 *
 *  The store uses ctx to check signatures when withdrawals are added: ctx
 *  must outlive it. Adding, merging and forgetting change the store; do
 *  them from one thread at a time. nansen_withdrawal_store_check only
 *  reads it.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out: the store, freed with nansen_withdrawal_store_free; NULL
 *                on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_create(
    nansen_ctx *ctx, nansen_withdrawal_store **out) NANSEN_NONNULL(1, 2);

/** Free a store and its entries. NULL is allowed. */
NANSEN_API void nansen_withdrawal_store_free(nansen_withdrawal_store *store);

/** Add withdrawals from bytes: one withdrawal (as signed, e.g. unframed
 *  from a QR code with nansen_frame_decode), or a whole store file (as
 *  nansen_withdrawal_store_serialize or _save write it: another verifier's
 *  store, a relay's bundle).
 *
 *  Every withdrawal must decode (nansen_withdrawal_decode) and its
 *  signature must verify with the key it carries; a store file must also
 *  pass the file checks of spec/withdrawal.md (magic, version, checksum,
 *  entries sorted and unique). All or nothing: on any failure the store
 *  is unchanged. A withdrawal already held (or one for the same grant and
 *  key that is kept instead, see spec/withdrawal.md) changes nothing, so
 *  adding the same bytes twice is harmless.
 *
 *  Returns: NANSEN_OK; the errors of nansen_withdrawal_decode for a
 *           withdrawal (or any entry of a file);
 *           NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_ALG_MISMATCH,
 *           NANSEN_ERR_BAD_SIGNATURE (a signature that does not verify
 *           with its own key); for a file: NANSEN_ERR_MALFORMED (not a
 *           store file, a duplicate entry), NANSEN_ERR_UNSUPPORTED_VERSION,
 *           NANSEN_ERR_CHECKSUM (damaged), NANSEN_ERR_CBOR_NOT_DETERMINISTIC
 *           (entries out of order), the CBOR errors;
 *           NANSEN_ERR_CBOR_TOO_LARGE (input too long, or the store would
 *           hold more than NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES);
 *           NANSEN_ERR_INVALID_ARG; NANSEN_ERR_NOMEM.
 *  Out:     added: if not NULL, how many withdrawals changed the store
 *                  (new, or kept in place of one held); 0 on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_add(
    nansen_withdrawal_store *store, const uint8_t *in, size_t in_len,
    size_t *added) NANSEN_NONNULL(1, 2);

/** Merge src into dst: dst becomes the union of both (src is unchanged).
 *  All or nothing, as nansen_withdrawal_store_add.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_CBOR_TOO_LARGE (the union would hold
 *           more than NANSEN_WITHDRAWAL_STORE_MAX_ENTRIES),
 *           NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     added: as nansen_withdrawal_store_add.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_merge(
    nansen_withdrawal_store *dst, const nansen_withdrawal_store *src,
    size_t *added) NANSEN_NONNULL(1, 2);

/** Is a grant withdrawn? Looks for a withdrawal that names grant_digest
 *  and was signed by holder_key, which must be the grant's holder (the
 *  cnf key of its referral: nansen_credential_holder of
 *  nansen_grant_credential). Withdrawals from other keys are never
 *  counted. A withdrawal counts whatever its time: once a verifier has
 *  seen it, the grant is refused.
 *
 *  Returns: NANSEN_ERR_WITHDRAWN (withdrawn), NANSEN_OK (no withdrawal
 *           of this grant by its holder is held), NANSEN_ERR_INVALID_ARG.
 *  Out:     withdrawn_at: if not NULL, the withdrawal's time (iat) when
 *                         withdrawn, else 0.
 *  In:      grant_digest: NANSEN_DIGEST_BYTES, the SHA-256 of the grant.
 *           holder_key:   the grant's cnf key (public is enough).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_check(
    const nansen_withdrawal_store *store, const uint8_t *grant_digest,
    const nansen_key *holder_key, int64_t *withdrawn_at)
    NANSEN_NONNULL(1, 2, 3);

/** nansen_withdrawal_store_check for a decoded grant: its digest and its
 *  referral's cnf key. Same results. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err
nansen_withdrawal_store_check_grant(const nansen_withdrawal_store *store,
                                    const nansen_grant *grant,
                                    int64_t *withdrawn_at)
    NANSEN_NONNULL(1, 2);

/** Forget the withdrawals of grants that expired: every entry whose
 *  grant exp is at most before. Pass now minus the largest clock skew of
 *  any verifier that uses the store (a grant is accepted until exp +
 *  skew), or earlier: a verifier checking a grant at a past time needs the
 *  withdrawals of that time. A merge with a store that still holds them
 *  brings them back, which is harmless.
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG.
 *  Out:     forgotten: if not NULL, how many were removed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err
nansen_withdrawal_store_forget_expired(nansen_withdrawal_store *store,
                                       int64_t before, size_t *forgotten)
    NANSEN_NONNULL(1);

/** Number of withdrawals in the store. */
NANSEN_API size_t nansen_withdrawal_store_count(
    const nansen_withdrawal_store *store) NANSEN_NONNULL(1);

/** One entry of the store, in the store's order. Pointers are owned by
 *  the store and valid until it next changes. */
typedef struct nansen_withdrawal_entry {
    const uint8_t *grant_digest;   /* NANSEN_DIGEST_BYTES */
    int64_t iat;                   /* when withdrawn */
    int64_t grant_exp;             /* the grant's exp, as stated */
    nansen_key_type holder_type;   /* the signer, whose signature the */
    const uint8_t *holder_public;  /* store checked: nansen_key_public */
    size_t holder_public_len;      /* bytes */
    const uint8_t *withdrawal;     /* the signed withdrawal */
    size_t withdrawal_len;
} nansen_withdrawal_entry;

/** Read entry i (0 <= i < count).
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (i out of range). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_entry(
    const nansen_withdrawal_store *store, size_t i,
    nansen_withdrawal_entry *out) NANSEN_NONNULL(1, 3);

/** Encode the store as a store file (spec/withdrawal.md): the same set
 *  of withdrawals always gives the same bytes, whatever the order in
 *  which they arrived.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG.
 *  Out:     out: buffer or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err
nansen_withdrawal_store_serialize(const nansen_withdrawal_store *store,
                                  uint8_t *out, size_t *out_len)
    NANSEN_NONNULL(1, 3);

/** Save the store file (mode 0600: a store tells which holders withdrew)
 *  atomically: a temporary file in the same directory, fsync, rename,
 *  fsync of the directory. A crash leaves the old file or the new one.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_EXISTS (path exists and flags lacks
 *           NANSEN_SAVE_OVERWRITE), NANSEN_ERR_NOT_FOUND (no such
 *           directory), NANSEN_ERR_PERMISSION, NANSEN_ERR_IO,
 *           NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  In:      flags: 0 or NANSEN_SAVE_OVERWRITE.
 *
 *  A program that updates a store file loads it first and saves only if
 *  the load succeeded: a file that does not load (damaged, from a newer
 *  version) must be kept for a person to look at, never replaced by a
 *  store that lacks its withdrawals.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_save(
    const nansen_withdrawal_store *store, const char *path,
    unsigned int flags) NANSEN_NONNULL(1, 2);

/** Load a store file into a new store (which uses ctx, as
 *  nansen_withdrawal_store_create). Every entry is checked as by
 *  nansen_withdrawal_store_add. The file is only read.
 *
 *  Returns: NANSEN_OK; the errors of nansen_withdrawal_store_add for a
 *           store file (NANSEN_ERR_MALFORMED for a file that is not a
 *           store file, NANSEN_ERR_CHECKSUM for a damaged one,
 *           NANSEN_ERR_CBOR_TOO_LARGE for one longer than
 *           NANSEN_WITHDRAWAL_STORE_MAX_BYTES, ...); NANSEN_ERR_NOT_FOUND,
 *           NANSEN_ERR_PERMISSION, NANSEN_ERR_IO.
 *  Out:     out: the store, freed with nansen_withdrawal_store_free; NULL
 *                on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_withdrawal_store_load(
    nansen_ctx *ctx, nansen_withdrawal_store **out, const char *path)
    NANSEN_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_WITHDRAWAL_H */
