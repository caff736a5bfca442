/* nansen/verify.h - the clinic's side: verify a consent grant offline.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A verifier holds what a clinic knows: its own identity, the issuer keys
 * it trusts, a clock with an allowed skew, and a policy. One call,
 * nansen_verify_grant, turns an encoded grant into a verdict: ACCEPT, or
 * REJECT with exactly one reason from nansen_reason. The checks run in the
 * fixed order of spec/credential.md, so a grant with several faults always
 * gets the same reason.
 *
 * A verdict owns copies of everything it returns. A rejected verdict
 * exposes only its reason and the status behind it: no claim, no time, no
 * key of a rejected grant is ever returned. An accepted verdict exposes
 * the always-visible claims and the disclosed ones; an undisclosed claim
 * is never exposed, as the verifier never sees it.
 */
#ifndef NANSEN_VERIFY_H
#define NANSEN_VERIFY_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/credential.h"
#include "nansen/trustlist.h"
#include "nansen/withdrawal.h"
#include "nansen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Verdict reasons. The values are the NANSEN_VOCAB_REASON codes, so
 *  nansen_vocab_label(NANSEN_VOCAB_REASON, reason, lang, ...) gives the
 *  speakable message and nansen_vocab_id its kebab-case id. Never
 *  renumbered; new reasons are appended. */
typedef enum nansen_reason {
    NANSEN_REASON_ACCEPT                 = 0,
    NANSEN_REASON_MALFORMED              = 1,
    NANSEN_REASON_UNSUPPORTED_VERSION    = 2,
    NANSEN_REASON_BAD_ISSUER_SIGNATURE   = 3,
    NANSEN_REASON_BAD_HOLDER_SIGNATURE   = 4,
    NANSEN_REASON_HOLDER_BINDING_BROKEN  = 5,
    NANSEN_REASON_UNTRUSTED_ISSUER       = 6,
    NANSEN_REASON_WRONG_AUDIENCE         = 7,
    NANSEN_REASON_NOT_YET_VALID          = 8,
    NANSEN_REASON_EXPIRED                = 9,
    NANSEN_REASON_GRANT_TOO_OLD          = 10,
    NANSEN_REASON_PURPOSE_NOT_ACCEPTED   = 11,
    NANSEN_REASON_CATEGORY_NOT_COVERED   = 12,
    NANSEN_REASON_DISCLOSURE_DIGEST_MISMATCH = 13,
    NANSEN_REASON_WITHDRAWN_BY_HOLDER    = 14,
    NANSEN_REASON_REVOKED                = 15,
    NANSEN_REASON_SUSPENDED              = 16,
    NANSEN_REASON_STATUS_STALE           = 17,
    NANSEN_REASON_STATUS_UNKNOWN         = 18,
    NANSEN_REASON_WRONG_ROLE             = 19,
    NANSEN_REASON_CLOCK_BEHIND           = 20,
    NANSEN_REASON_NONCE_MISMATCH         = 21
} nansen_reason;

#define NANSEN_REASON_LAST 21

/** The stable snake_case code of a reason ("wrong_audience"), as the CLI's
 *  JSON and the bindings give it; NULL for a value outside the enum. */
NANSEN_API const char *nansen_reason_code(nansen_reason reason);

typedef struct nansen_verifier nansen_verifier;   /* opaque */
typedef struct nansen_verdict nansen_verdict;     /* opaque */

/** Default allowed clock skew, in seconds. */
#define NANSEN_DEFAULT_SKEW 300
/** Most trusted issuer keys one verifier holds. */
#define NANSEN_VERIFIER_MAX_ISSUERS 256

/** Create a verifier for the clinic whose key is self (public is enough;
 *  a copy of the public part is kept). The verifier answers to the
 *  clinic's did:key and to its short id.
 *
 *  The verifier uses ctx for every verification: ctx must outlive it, and
 *  like ctx it serves one thread at a time (create one per thread, or
 *  lock). Verifying does not change the verifier.
 *
 *  Default policy: every purpose accepted, no maximum grant age, no nonce
 *  required, skew NANSEN_DEFAULT_SKEW, clock time(NULL); no trusted issuer
 *  (every grant is then REJECT untrusted_issuer).
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out: the verifier, freed with nansen_verifier_free.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_create(
    nansen_ctx *ctx, nansen_verifier **out, const nansen_key *self)
    NANSEN_NONNULL(1, 2, 3);

/** Free a verifier and its copies of keys and status lists (borrowed
 *  trust lists and stores are not freed). NULL is allowed. */
NANSEN_API void nansen_verifier_free(nansen_verifier *v);

/** Trust an issuer key (a copy of its public part is kept). Trusting a
 *  key again changes nothing and returns NANSEN_OK.
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (more than
 *           NANSEN_VERIFIER_MAX_ISSUERS), NANSEN_ERR_NOMEM. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_trust_issuer(
    nansen_verifier *v, const nansen_key *issuer) NANSEN_NONNULL(1, 2);

/** The clock: fn(arg) returns unix seconds. NULL fn restores time(NULL). */
NANSEN_API void nansen_verifier_set_clock(nansen_verifier *v,
                                          int64_t (*fn)(void *arg),
                                          void *arg) NANSEN_NONNULL(1);

/** A fixed time instead of a clock (tests, re-checking a past scan). */
NANSEN_API void nansen_verifier_set_time(nansen_verifier *v, int64_t now)
    NANSEN_NONNULL(1);

/** Allowed clock skew in seconds (0..86400).
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_set_skew(
    nansen_verifier *v, int64_t seconds) NANSEN_NONNULL(1);

/** Accept a purpose. The first call replaces "every purpose" by the list
 *  of purposes accepted so far.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (not a vocabulary code). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_accept_purpose(
    nansen_verifier *v, uint32_t purpose) NANSEN_NONNULL(1);

/** Reject grants signed (iat) more than seconds ago; 0: no limit.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (negative). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_set_max_age(
    nansen_verifier *v, int64_t seconds) NANSEN_NONNULL(1);

/** Require this nonce (cnonce) in every grant, e.g. a fresh random one
 *  shown to the holder for this visit; NULL clears the requirement.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (length 0 or past
 *           NANSEN_CNONCE_MAX_BYTES with a non-NULL nonce). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_require_nonce(
    nansen_verifier *v, const uint8_t *nonce, size_t nonce_len)
    NANSEN_NONNULL(1);

/** Trust issuers through a verified trust list (nansen/trustlist.h)
 *  instead of, or besides, nansen_verifier_trust_issuer: a referral's kid
 *  must then name a listed party with the role ngo at the verifier's time
 *  (untrusted_issuer when it is not listed, not yet or no longer valid,
 *  or the list has expired; wrong_role when it is listed without the
 *  role). Issuers trusted one by one are still accepted. The list also
 *  speaks for the verifier itself: its own key must be listed at that
 *  time as a clinic or an interpreter service, or every grant gets
 *  wrong_role (a grant's audience must be one). The list is
 *  borrowed: it must outlive the verifier or be replaced first; NULL
 *  removes it.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (a list not verified). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_set_trustlist(
    nansen_verifier *v, const nansen_trustlist *list) NANSEN_NONNULL(1);

/** Reject grants their holder has withdrawn (nansen/withdrawal.h): a
 *  grant whose digest and holder key are in the store gets
 *  withdrawn_by_holder. The store is borrowed (as the trust list); NULL
 *  removes it. */
NANSEN_API void nansen_verifier_set_withdrawals(
    nansen_verifier *v, const nansen_withdrawal_store *store)
    NANSEN_NONNULL(1);

/** Most status lists one verifier holds. */
#define NANSEN_VERIFIER_MAX_STATUS_LISTS 256

/** Add a signed status list (spec/status-list.md). It must be signed by
 *  an issuer the verifier trusts (one by one, or an ngo or status-issuer
 *  of its trust list). One list is kept per URI, replaced only by a newer
 *  one (greater iat). Its iat raises the clock floor.
 *
 *  Returns: NANSEN_OK (also when the list is the one held),
 *           NANSEN_ERR_ROLLBACK (older than the list held for its URI),
 *           NANSEN_ERR_POLICY (signed by no issuer the verifier trusts),
 *           the errors of nansen_status_list_verify,
 *           NANSEN_ERR_INVALID_ARG (more than
 *           NANSEN_VERIFIER_MAX_STATUS_LISTS URIs), NANSEN_ERR_NOMEM.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_add_status_list(
    nansen_verifier *v, const uint8_t *token, size_t token_len)
    NANSEN_NONNULL(1, 2);

/** Status policy: a list older than max_age seconds (0: no limit besides
 *  the list's own exp and ttl) is stale; a stale list is still used for
 *  up to accept_stale seconds past the point it went stale (0: never),
 *  and the verdict says so. Both 0 by default.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (negative). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verifier_set_status_policy(
    nansen_verifier *v, int64_t max_age, int64_t accept_stale)
    NANSEN_NONNULL(1);

/** The clock floor: the newest signed time the verifier has seen (trust
 *  list, status lists). A clock earlier than floor - skew gives
 *  clock_behind. An application keeps it across runs by reading it after
 *  verifying and setting it at start; it only ever rises. */
NANSEN_API int64_t nansen_verifier_clock_floor(const nansen_verifier *v)
    NANSEN_NONNULL(1);
/** Raise the clock floor to t (an application restoring it at start, or
 *  a time it trusts); a t at or below the floor changes nothing. */
NANSEN_API void nansen_verifier_raise_clock_floor(nansen_verifier *v,
                                                  int64_t t)
    NANSEN_NONNULL(1);

/** Verify an encoded consent grant.
 *
 *  Returns: NANSEN_OK when a verdict was reached (ACCEPT or REJECT: read it
 *           with nansen_verdict_reason); NANSEN_ERR_INVALID_ARG or
 *           NANSEN_ERR_NOMEM when none could be (then *out is NULL). Any
 *           input, however hostile, gives a verdict.
 *  Out:     out: the verdict, freed with nansen_verdict_free.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verify_grant(
    nansen_verifier *v, nansen_verdict **out, const uint8_t *grant,
    size_t grant_len) NANSEN_NONNULL(1, 2);

/** Free a verdict and every copy it returned. NULL is allowed. */
NANSEN_API void nansen_verdict_free(nansen_verdict *verdict);

/** NANSEN_REASON_ACCEPT or the one reason for rejecting. */
NANSEN_API nansen_reason nansen_verdict_reason(const nansen_verdict *verdict)
    NANSEN_NONNULL(1);

/** The status behind the reason (for logs): e.g. NANSEN_ERR_CBOR_DUPLICATE_KEY
 *  under malformed, NANSEN_ERR_BAD_SIGNATURE under bad_holder_signature,
 *  NANSEN_ERR_EXPIRED under expired; NANSEN_OK when accepted. */
NANSEN_API nansen_err nansen_verdict_status(const nansen_verdict *verdict)
    NANSEN_NONNULL(1);

/** The speakable one-line message of the verdict in a language (English
 *  fallback); static, never NULL. */
NANSEN_API const char *nansen_verdict_message(const nansen_verdict *verdict,
                                              const char *lang)
    NANSEN_NONNULL(1);

/* The accessors below return NANSEN_ERR_INVALID_ARG for a rejected verdict;
 * their outputs are then zero or NULL. */

/** A claim visible to this clinic: always-visible or disclosed.
 *  Returns: NANSEN_OK; NANSEN_ERR_ABSENT (absent or not disclosed);
 *           NANSEN_ERR_INVALID_ARG.
 *  Out:     value: owned by the verdict. disclosed: if not NULL, 1 if the
 *           holder disclosed it, 0 if it is always visible. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_claim(
    const nansen_verdict *verdict, nansen_claim claim,
    nansen_claim_value *value, int *disclosed) NANSEN_NONNULL(1, 3);

/** The purpose code and the granted data categories (owned by the verdict,
 *  in grant order). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_consent(
    const nansen_verdict *verdict, uint32_t *purpose,
    const uint32_t **categories, size_t *category_count)
    NANSEN_NONNULL(1, 2, 3, 4);

/** The grant's validity window [from, until) and when it was signed. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_validity(
    const nansen_verdict *verdict, int64_t *from, int64_t *until,
    int64_t *signed_at) NANSEN_NONNULL(1, 2, 3, 4);

/** The referral's own window and issue time. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_referral_validity(
    const nansen_verdict *verdict, int64_t *from, int64_t *until,
    int64_t *issued_at) NANSEN_NONNULL(1, 2, 3, 4);

/** The did:key of the issuer (the trusted key that signed the referral)
 *  and of the holder (the cnf key that signed the grant), NUL-terminated,
 *  owned by the verdict. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_parties(
    const nansen_verdict *verdict, const char **issuer_did,
    const char **holder_did) NANSEN_NONNULL(1, 2, 3);

/** The grant id (cti of the grant; NULL when it has none) and the
 *  referral id (cti of the credential), NANSEN_CTI_BYTES each, and the
 *  SHA-256 of the whole encoded grant (how withdrawals name it). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_ids(
    const nansen_verdict *verdict, const uint8_t **grant_id,
    const uint8_t **referral_id, const uint8_t **grant_digest)
    NANSEN_NONNULL(1, 2, 3, 4);

/** What the referral's status list said, for a referral that has one:
 *  *checked 1, not revoked as of *as_of (the list's iat), *age seconds
 *  before the verifier's time; *stale_accepted 1 when the list was stale
 *  and the policy accepted it. For a referral without a status claim
 *  *checked is 0.
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG for a rejected verdict. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_status_list(
    const nansen_verdict *verdict, int *checked, int64_t *as_of,
    int64_t *age, int *stale_accepted) NANSEN_NONNULL(1, 2, 3, 4, 5);

/** The consent notice the holder saw: its language tag and SHA-256, and
 *  whether this library's vocabulary renders the same text from the
 *  grant's fields (1), another text (0: e.g. a grant made with an older
 *  or newer wording; not a reason to reject). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_verdict_notice(
    const nansen_verdict *verdict, const char **lang,
    const uint8_t **digest, int *matches) NANSEN_NONNULL(1, 2, 3, 4);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_VERIFY_H */
