/* nansen/trustlist.h - the trust list: who may act in which role.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A trust list is a COSE_Sign1 (typ "application/nansen-trustlist+cwt")
 * signed by a governance key that every verifier pins. Its payload names
 * the parties a verifier may trust: each entry holds a party's public key
 * (a COSE_Key), a display name, the roles it may act in (ngo, clinic,
 * ...) and an optional validity window. A sequence number that only grows
 * lets a verifier refuse an old list replayed over a newer one.
 * spec/trust-list.md is the normative description.
 *
 * One object type serves both sides:
 *  - the governance body builds a list (create, add, remove, set the
 *    sequence) and signs it (nansen_trustlist_sign);
 *  - a verifier checks a signed list against its pinned key
 *    (nansen_trustlist_verify, _load, _install), asks it whether a key may
 *    act in a role at a time (nansen_trustlist_check_role), and replaces it
 *    only with a newer list signed by the same key (nansen_trustlist_is_newer).
 *
 * A list is in one of three states:
 *   draft     made by nansen_trustlist_create, or a decoded list that was
 *             changed; it holds no signed bytes and trusts nobody.
 *   decoded   from nansen_trustlist_decode: the signed bytes, parsed but
 *             NOT verified; it trusts nobody.
 *   verified  from nansen_trustlist_verify, _load or _install: the signed
 *             bytes, verified with a governance key (a copy is kept).
 * Only a verified list answers nansen_trustlist_check_role. Changing a
 * decoded or verified list (add, remove, set_*) makes it a draft.
 *
 * Lists own copies of everything they return. A list is not changed by the
 * query functions and may then be read from several threads.
 */
#ifndef NANSEN_TRUSTLIST_H
#define NANSEN_TRUSTLIST_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The protected typ of every trust list. */
#define NANSEN_TRUSTLIST_TYP "application/nansen-trustlist+cwt"
/** The profile number (key 0 of the Nansen claim map) this library reads
 *  and writes. */
#define NANSEN_TRUSTLIST_PROFILE 1

/** Most entries in one list. */
#define NANSEN_TRUSTLIST_MAX_ENTRIES 2048
/** Longest display name of an entry or of the list's issuer, in bytes. */
#define NANSEN_TRUSTLIST_NAME_MAX_BYTES 256
/** Longest signed trust list this library writes or reads (1 MiB). A list
 *  of NANSEN_TRUSTLIST_MAX_ENTRIES entries with the longest names fits. */
#define NANSEN_TRUSTLIST_MAX_BYTES (1u << 20)

NANSEN_API size_t nansen_trustlist_max_entries(void);
NANSEN_API size_t nansen_trustlist_name_max_bytes(void);
NANSEN_API size_t nansen_trustlist_max_bytes(void);

/** The role registry (spec/trust-list.md). Codes are never renumbered or
 *  reused; new roles take new codes up to NANSEN_ROLE_CODE_MAX. */
typedef enum nansen_role {
    NANSEN_ROLE_NGO           = 1,  /* issues referrals */
    NANSEN_ROLE_CLINIC        = 2,  /* receives grants, signs receipts */
    NANSEN_ROLE_STATUS_ISSUER = 3,  /* signs status lists */
    NANSEN_ROLE_INTERPRETER   = 4   /* an interpreter service: receives
                                       grants like a clinic */
} nansen_role;

#define NANSEN_ROLE_FIRST 1
#define NANSEN_ROLE_LAST  4
/** Highest role code a list may carry: codes above NANSEN_ROLE_LAST are
 *  read (a later registry may define them) but grant nothing here. */
#define NANSEN_ROLE_CODE_MAX 31
/** A set of roles: bit (1u << role). */
#define NANSEN_ROLE_BIT(r) (1u << (unsigned)(r))

/** The stable name of a role ("ngo", "clinic", "status-issuer",
 *  "interpreter-service"), or NULL for a code outside the registry. */
NANSEN_API const char *nansen_role_name(nansen_role role);

/** Find a role by its name (exact).
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (unknown name). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_role_from_name(
    const char *name, size_t name_len, nansen_role *role)
    NANSEN_NONNULL(1, 3);

typedef struct nansen_trustlist nansen_trustlist;  /* opaque */

/** One entry, as the query functions give it. Every pointer is owned by
 *  the list and valid until it is freed or changed. */
typedef struct nansen_trustlist_entry {
    const nansen_key *key;              /* the party's key (public only) */
    uint8_t kid[NANSEN_KEY_ID_BYTES];   /* its short key id (nansen_key_id) */
    const char *name;                   /* display name, NUL-terminated */
    size_t name_len;                    /* its length in bytes */
    uint32_t roles;                     /* NANSEN_ROLE_BIT set; may hold
                                           codes above NANSEN_ROLE_LAST */
    int64_t nbf;                        /* listed from (unix s), 0: always */
    int64_t exp;                        /* listed until, exclusive; 0: no
                                           end */
} nansen_trustlist_entry;

/* ---- building and signing (the governance body) ---- */

/** Create an empty draft list: no entries, sequence 0 (to be set before
 *  signing), no issuer name.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out: the list, freed with nansen_trustlist_free; NULL on
 *                failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_create(
    nansen_ctx *ctx, nansen_trustlist **out) NANSEN_NONNULL(1, 2);

/** Free a list. NULL is a no-op. */
NANSEN_API void nansen_trustlist_free(nansen_trustlist *list);

/** Set the sequence number (1 or more). Each list a governance body
 *  publishes must have a greater one than the last.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (0). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_set_sequence(
    nansen_trustlist *list, uint64_t sequence) NANSEN_NONNULL(1);

/** Set the name of the governance body shown for the list (claim iss), or
 *  clear it with NULL.
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (empty, longer than
 *           NANSEN_TRUSTLIST_NAME_MAX_BYTES, not UTF-8, or with control
 *           characters), NANSEN_ERR_NOMEM. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_set_issuer(
    nansen_trustlist *list, const char *name) NANSEN_NONNULL(1);

/** Add a party. Entries are kept sorted by key id.
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_INVALID_ARG  name empty, longer than
 *                                   NANSEN_TRUSTLIST_NAME_MAX_BYTES, not
 *                                   UTF-8 or with control characters;
 *                                   roles empty or with a code outside
 *                                   the registry; nbf or exp negative, or
 *                                   both set and nbf >= exp; the list
 *                                   already has NANSEN_TRUSTLIST_MAX_ENTRIES;
 *           NANSEN_ERR_EXISTS       the key (or another key with the same
 *                                   key id) is already listed: remove it
 *                                   first to change its entry;
 *           NANSEN_ERR_NOMEM.
 *  In:      key:   the party's key (only the public part is kept).
 *           name:  display name, NUL-terminated UTF-8.
 *           roles: NANSEN_ROLE_BIT set of registered roles.
 *           nbf:   listed from this time (unix seconds), 0 for always.
 *           exp:   listed until this time (exclusive), 0 for no end.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_add(
    nansen_ctx *ctx, nansen_trustlist *list, const nansen_key *key,
    const char *name, uint32_t roles, int64_t nbf, int64_t exp)
    NANSEN_NONNULL(1, 2, 3, 4);

/** Remove the entry with this key id.
 *  Returns: NANSEN_OK, NANSEN_ERR_NOT_FOUND, NANSEN_ERR_INVALID_ARG. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_remove(
    nansen_trustlist *list, const uint8_t *kid) NANSEN_NONNULL(1, 2);

/** What to sign into a list besides its entries. */
typedef struct nansen_trustlist_sign_params {
    int64_t iat;                 /* signed at, unix seconds (> 0) */
    int64_t exp;                 /* the list is stale from then on; 0 for
                                    none (a verifier then keeps trusting it
                                    until a newer one arrives) */
    uint64_t previous_sequence;  /* the sequence of the list this one
                                    replaces, 0 for a first list: signing
                                    refuses a sequence not above it */
} nansen_trustlist_sign_params;

/** Sign a list with the governance key.
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size);
 *           NANSEN_ERR_INVALID_ARG   sequence 0, iat <= 0, exp set and
 *                                    not after iat;
 *           NANSEN_ERR_ROLLBACK      sequence <= params->previous_sequence;
 *           NANSEN_ERR_NO_SECRET_KEY;
 *           NANSEN_ERR_NOMEM.
 *  Args:    ctx:        context from nansen_ctx_create.
 *  Out:     out:        buffer for the signed list, or NULL for the size.
 *  In/Out:  out_len:    in: capacity of out; out: bytes written or needed
 *                       (at most NANSEN_TRUSTLIST_MAX_BYTES).
 *  In:      list:       the entries, sequence and issuer name (any state).
 *           governance: the governance key, with its secret.
 *           params:     times and the previous sequence.
 *
 *  On other failures out is zeroed and *out_len is 0. The list itself is
 *  not changed: verify the bytes to get a verified list.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_trustlist *list, const nansen_key *governance,
    const nansen_trustlist_sign_params *params)
    NANSEN_NONNULL(1, 3, 4, 5, 6);

/* ---- reading and verifying (the verifier) ---- */

/** Parse a signed list WITHOUT verifying its signature, e.g. to show it
 *  or to find which governance key signed it. The result trusts nobody.
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_CBOR_TOO_LARGE  input over NANSEN_TRUSTLIST_MAX_BYTES
 *                                      or more entries than allowed;
 *           the errors of nansen_cose_sign1_parse (CBOR, structure);
 *           NANSEN_ERR_WRONG_TYPE      not typ NANSEN_TRUSTLIST_TYP;
 *           NANSEN_ERR_BAD_HEADER      no 8-byte protected kid;
 *           NANSEN_ERR_UNSUPPORTED_VERSION  another profile, or a header,
 *                                      claim or entry field this profile
 *                                      does not define;
 *           NANSEN_ERR_UNSUPPORTED_ALG a key of a type outside the COSE
 *                                      profile;
 *           NANSEN_ERR_BAD_KEY         a key that is not a valid point;
 *           NANSEN_ERR_MALFORMED       anything else out of spec: types,
 *                                      missing fields, names, roles,
 *                                      times, a key not in its one
 *                                      canonical COSE_Key form, entries
 *                                      not strictly ascending by key id
 *                                      (so also a key listed twice);
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: the list (state decoded), freed with
 *                nansen_trustlist_free; NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_decode(
    nansen_ctx *ctx, nansen_trustlist **out, const uint8_t *in,
    size_t in_len) NANSEN_NONNULL(1, 2, 3);

/** Parse and verify a signed list with the pinned governance key.
 *
 *  The envelope is checked first, then the signature, and only then is
 *  the payload read: nothing but the governance key's own bytes reaches
 *  the entry parser.
 *
 *  Returns: NANSEN_OK; the errors of nansen_trustlist_decode;
 *           NANSEN_ERR_ALG_MISMATCH   the alg is not the key's;
 *           NANSEN_ERR_KEY_MISMATCH   the kid names another key;
 *           NANSEN_ERR_BAD_SIGNATURE.
 *  Out:     out: the list (state verified), freed with
 *                nansen_trustlist_free; NULL on failure.
 *  In:      governance: the pinned key (public is enough; a copy is kept).
 *
 *  A list past its exp still verifies: staleness depends on the time of
 *  the question, so nansen_trustlist_check_role reports it.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_verify(
    nansen_ctx *ctx, nansen_trustlist **out, const uint8_t *in,
    size_t in_len, const nansen_key *governance) NANSEN_NONNULL(1, 2, 3, 5);

/** May candidate replace current? The replacement rule: an old list can
 *  never be replayed over a newer one.
 *
 *  Returns: NANSEN_OK               candidate is verified and either
 *                                   current is NULL (no list held yet) or
 *                                   both were verified with the same
 *                                   governance key and candidate's
 *                                   sequence is strictly greater;
 *           NANSEN_ERR_KEY_MISMATCH another governance key verified them;
 *           NANSEN_ERR_ROLLBACK     candidate's sequence is equal or lower
 *                                   (receiving the list already held
 *                                   again gives this too: keep current);
 *           NANSEN_ERR_INVALID_ARG  candidate NULL, or either list not
 *                                   verified.
 *  In:      current:   the list held, or NULL.
 *           candidate: the list received.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_is_newer(
    const nansen_trustlist *current, const nansen_trustlist *candidate);

/* ---- the verifier's stored list ---- */

/** Save a verified list: its signed bytes are the file (mode 0644),
 *  written to a temporary file, fsynced and renamed, so a crash leaves the
 *  old file or the new one.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_INVALID_ARG (list not verified, unknown
 *           flags); NANSEN_ERR_EXISTS (path exists without
 *           NANSEN_SAVE_OVERWRITE); NANSEN_ERR_NOT_FOUND (no such
 *           directory); NANSEN_ERR_PERMISSION; NANSEN_ERR_IO.
 *  In:      flags: 0 or NANSEN_SAVE_OVERWRITE (nansen/key.h).
 *
 *  Saving does not compare sequences: nansen_trustlist_install does.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_save(
    const nansen_trustlist *list, const char *path, unsigned int flags)
    NANSEN_NONNULL(1, 2);

/** Load a saved list and verify it again with the pinned key. The file is
 *  only read, never changed, also when it is refused.
 *
 *  Returns: as nansen_trustlist_verify (a file over
 *           NANSEN_TRUSTLIST_MAX_BYTES is NANSEN_ERR_MALFORMED), plus
 *           NANSEN_ERR_NOT_FOUND, NANSEN_ERR_PERMISSION, NANSEN_ERR_IO.
 *  Out:     out: the list (state verified); NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_load(
    nansen_ctx *ctx, nansen_trustlist **out, const char *path,
    const nansen_key *governance) NANSEN_NONNULL(1, 2, 3, 4);

/** Replace the list stored at path by a received one, if the rule allows:
 *  verify in with the pinned key; if path holds a list, load it (verified
 *  with the same key) and require nansen_trustlist_is_newer; then save
 *  atomically over it.
 *
 *  Returns: NANSEN_OK (the new list is in the file); the errors of
 *           nansen_trustlist_verify for the received list;
 *           NANSEN_ERR_ROLLBACK (not newer than the stored list); the
 *           errors of nansen_trustlist_load for a stored list that cannot
 *           be read or verified (the file is then left as it is: after a
 *           change of governance key the operator removes it by hand);
 *           the errors of nansen_trustlist_save.
 *  Out:     out: if not NULL, the new list (state verified) on NANSEN_OK,
 *                else NULL.
 *
 *  One process should install at a time: two concurrent installs are each
 *  atomic, but the later rename wins.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_install(
    nansen_ctx *ctx, nansen_trustlist **out, const char *path,
    const nansen_key *governance, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1, 3, 4, 5);

/* ---- queries ---- */

/** The result of nansen_trustlist_check_role, for the verifier's reason:
 *  NOT_LISTED, NOT_YET_VALID and ENTRY_EXPIRED mean "not a trusted party
 *  now" (untrusted issuer), WRONG_ROLE "trusted, but not for this",
 *  LIST_EXPIRED "the list itself is out of date". */
typedef enum nansen_trust_result {
    NANSEN_TRUST_OK            = 0,
    NANSEN_TRUST_NOT_LISTED    = 1,  /* no entry with this key (id) */
    NANSEN_TRUST_WRONG_ROLE    = 2,  /* listed, without this role */
    NANSEN_TRUST_NOT_YET_VALID = 3,  /* listed from a later time */
    NANSEN_TRUST_ENTRY_EXPIRED = 4,  /* listed until an earlier time */
    NANSEN_TRUST_LIST_EXPIRED  = 5   /* the list is past its exp */
} nansen_trust_result;

/** The stable snake_case name of a result ("not_listed"), or NULL for a
 *  value outside the enum. */
NANSEN_API const char *nansen_trust_result_name(nansen_trust_result result);

/** May this party act in this role at this time?
 *
 *  The party is named by its key id or by its key (exactly one of kid and
 *  key). With a key, the listed key must be that key, not only share its
 *  id. Checks, in order: the list's exp (now >= exp: stale), the entry,
 *  the entry's window (nbf <= now < exp), the role. No clock skew is
 *  applied and the list's iat is not compared with now: the verifier's
 *  clock floor and skew are its own.
 *
 *  Returns: NANSEN_OK               result NANSEN_TRUST_OK;
 *           NANSEN_ERR_STALE        result NANSEN_TRUST_LIST_EXPIRED;
 *           NANSEN_ERR_POLICY       result NOT_LISTED, NOT_YET_VALID,
 *                                   ENTRY_EXPIRED or WRONG_ROLE;
 *           NANSEN_ERR_INVALID_ARG  list not verified (a draft or a list
 *                                   decoded without its signature trusts
 *                                   nobody), not exactly one of kid and
 *                                   key, role outside the registry.
 *  Out:     result: the detail (may be NULL); NOT_LISTED on
 *                   NANSEN_ERR_INVALID_ARG.
 *  In:      kid:  NANSEN_KEY_ID_BYTES bytes, or NULL.
 *           key:  the party's key, or NULL.
 *           role: the role asked for.
 *           now:  the time of the question, unix seconds.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_check_role(
    const nansen_trustlist *list, const uint8_t *kid, const nansen_key *key,
    nansen_role role, int64_t now, nansen_trust_result *result)
    NANSEN_NONNULL(1);

/** Find an entry by key id or by key (exactly one of kid and key; with a
 *  key, the listed key must be that key). Works in every state, with no
 *  time or role check: use nansen_trustlist_check_role to decide trust.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_NOT_FOUND, NANSEN_ERR_INVALID_ARG.
 *  Out:     entry: the entry (may be NULL to test presence); zeroed when
 *                  not found.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_find(
    const nansen_trustlist *list, const uint8_t *kid, const nansen_key *key,
    nansen_trustlist_entry *entry) NANSEN_NONNULL(1);

/** The number of entries. */
NANSEN_API size_t nansen_trustlist_count(const nansen_trustlist *list)
    NANSEN_NONNULL(1);

/** The entry at index (0 .. count-1), in ascending key id order.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (then entry is zeroed). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_entry_at(
    const nansen_trustlist *list, size_t index, nansen_trustlist_entry *entry)
    NANSEN_NONNULL(1, 3);

/** The sequence number (0 for a draft whose sequence was never set). */
NANSEN_API uint64_t nansen_trustlist_sequence(const nansen_trustlist *list)
    NANSEN_NONNULL(1);

/** When the list was signed and when it goes stale (0: no exp). Both 0
 *  for a draft. A verifier counts iat toward its clock floor: a device
 *  clock behind the iat of a verified list is wrong. */
NANSEN_API void nansen_trustlist_times(const nansen_trustlist *list,
                                       int64_t *iat, int64_t *exp)
    NANSEN_NONNULL(1);

/** The governance body's name (claim iss), NUL-terminated, or NULL. */
NANSEN_API const char *nansen_trustlist_issuer(const nansen_trustlist *list)
    NANSEN_NONNULL(1);

/** 1 if the list was verified with a governance key, else 0. */
NANSEN_API int nansen_trustlist_is_verified(const nansen_trustlist *list)
    NANSEN_NONNULL(1);

/** The key id in the signed list's protected header (the governance
 *  key's, NANSEN_KEY_ID_BYTES bytes), or NULL for a draft. For a list
 *  decoded without verification it is only a claim. */
NANSEN_API const uint8_t *nansen_trustlist_governance_kid(
    const nansen_trustlist *list) NANSEN_NONNULL(1);

/** The signed bytes of a decoded or verified list (owned by the list).
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG for a draft (then
 *           *bytes is NULL and *len 0). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_trustlist_encoded(
    const nansen_trustlist *list, const uint8_t **bytes, size_t *len)
    NANSEN_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_TRUSTLIST_H */
