/* nansen/status.h - Token Status Lists: revocation and suspension.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The CBOR form of the IETF Token Status List, draft-ietf-oauth-status-list
 * revision 20 (spec/status-list.md is normative and gives every label):
 *
 *  - A Status List is a byte array of 1, 2, 4 or 8 bits per entry; entry i
 *    occupies bits i*bits .. i*bits+bits-1, counted from the least
 *    significant bit of byte 0. On the wire it is the map
 *    {"bits": 1|2|4|8, "lst": zlib(byte array)} (RFC 1950, level 9).
 *  - A Status List Token is a COSE_Sign1 (tag 18) with protected alg, kid
 *    (the issuer's 8-byte key id) and typ "application/statuslist+cwt",
 *    whose payload holds the claims sub (2: the list URI), iat (6),
 *    optionally exp (4) and ttl (65534), and status_list (65533).
 *  - A credential names its entry with the claim 65535:
 *    {"status_list": {"idx": n, "uri": u}}.
 *
 * Status values: 0 VALID, 1 INVALID (revoked), 2 SUSPENDED, 3 and
 * 0x0C-0x0F application specific; every other value is reserved.
 *
 * One opaque type, nansen_status_list, serves two roles:
 *  - the issuer's working copy (nansen_status_list_create / _load /
 *    _import): writable, with a URI and an allocation bitmap that says
 *    which indices have been handed out. It is saved to a file of its own
 *    (never published) and signed into tokens.
 *  - a decoded list (nansen_status_list_verify / _parse / _decode):
 *    read-only, with the token's URI and times, for verifiers.
 * A list is not safe for concurrent use; distinct lists are independent.
 */
#ifndef NANSEN_STATUS_H
#define NANSEN_STATUS_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- labels (draft-ietf-oauth-status-list-20, requested assignments) ---- */

#define NANSEN_CWT_STATUS_LIST  65533   /* status_list claim of a list token */
#define NANSEN_CWT_TTL          65534   /* ttl claim, seconds */
#define NANSEN_CWT_STATUS       65535   /* status claim of a credential */

/** The typ (COSE header 16) of a Status List Token. */
#define NANSEN_STATUS_LIST_TYP  "application/statuslist+cwt"

/** Status values (the OAuth Status Types registry). */
typedef enum nansen_status_value {
    NANSEN_STATUS_VALID                = 0x00,
    NANSEN_STATUS_INVALID              = 0x01,  /* revoked */
    NANSEN_STATUS_SUSPENDED            = 0x02,
    NANSEN_STATUS_APPLICATION_SPECIFIC = 0x03   /* also 0x0C-0x0F */
} nansen_status_value;

/* ---- limits ---- */

/** Most entries in one list: 2^24. */
#define NANSEN_STATUS_LIST_MAX_ENTRIES  16777216u
/** Largest uncompressed byte array: 2 MiB (2^24 entries of 1 bit, 2^23 of
 *  2 bits, 2^22 of 4 bits, 2^21 of 8 bits). Inflating stops here. */
#define NANSEN_STATUS_LIST_MAX_BYTES    2097152u
/** Longest list URI. */
#define NANSEN_STATUS_URI_MAX_BYTES     256u
/** Longest Status List Token accepted or written. */
#define NANSEN_STATUS_TOKEN_MAX_BYTES   (NANSEN_STATUS_LIST_MAX_BYTES + 4096u)
/** Longest issuer's list file (spec/status-list.md, "The issuer's file"). */
#define NANSEN_STATUS_FILE_MAX_BYTES    (2u * NANSEN_STATUS_LIST_MAX_BYTES + 4096u)
/** Longest encoded status claim (the value of claim 65535). */
#define NANSEN_STATUS_CLAIM_MAX_BYTES   (NANSEN_STATUS_URI_MAX_BYTES + 64u)

NANSEN_API size_t nansen_status_list_max_entries(void);
NANSEN_API size_t nansen_status_list_max_bytes(void);
NANSEN_API size_t nansen_status_uri_max_bytes(void);
NANSEN_API size_t nansen_status_token_max_bytes(void);
NANSEN_API size_t nansen_status_file_max_bytes(void);
NANSEN_API size_t nansen_status_claim_max_bytes(void);

typedef struct nansen_status_list nansen_status_list;   /* opaque */

/** What a list says about itself. Pointers stay valid while the list
 *  lives and is not changed. */
typedef struct nansen_status_list_info {
    const char *uri;       /* NUL-terminated; NULL for a bare decoded map */
    unsigned int bits;     /* 1, 2, 4 or 8 */
    uint32_t count;        /* entries: issuer lists as created; decoded
                              lists 8 * bytes / bits (padding included) */
    size_t bytes;          /* size of the uncompressed byte array */
    int writable;          /* 1: an issuer's working copy */
    uint32_t allocated;    /* issuer lists: indices handed out */
    int from_token;        /* 1: decoded from a token; the times are set */
    int64_t iat;           /* issued at */
    int has_exp;
    int64_t exp;           /* expiry (exclusive), when has_exp */
    int has_ttl;
    uint64_t ttl;          /* time to live in seconds, when has_ttl */
} nansen_status_list_info;

/* ---- the issuer's working copy ---- */

/** Create an issuer's list of count entries, all VALID and unallocated.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (bits not 1/2/4/8, count 0,
 *           above NANSEN_STATUS_LIST_MAX_ENTRIES or needing more than
 *           NANSEN_STATUS_LIST_MAX_BYTES, uri not a URI as
 *           spec/status-list.md defines), NANSEN_ERR_NOMEM.
 *  Args:    ctx:   context (libsodium must be ready: allocation draws
 *                  random numbers).
 *  Out:     out:   the list, freed with nansen_status_list_free(); NULL on
 *                  failure.
 *  In:      uri:   NUL-terminated list URI: the sub of its tokens.
 *           bits:  bits per entry.
 *           count: entries; the byte array is ceil(count * bits / 8)
 *                  bytes, its padding bits stay 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_create(
    nansen_ctx *ctx, nansen_status_list **out, const char *uri,
    unsigned int bits, uint32_t count) NANSEN_NONNULL(1, 2, 3);

/** Free a list. NULL is a no-op. */
NANSEN_API void nansen_status_list_free(nansen_status_list *list);

/** Describe a list.
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_get_info(
    const nansen_status_list *list, nansen_status_list_info *info)
    NANSEN_NONNULL(1, 2);

/** The uncompressed byte array (read-only view into the list).
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_data(
    const nansen_status_list *list, const uint8_t **data, size_t *len)
    NANSEN_NONNULL(1, 2, 3);

/** Read the status of one entry.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG (index >= count); then
 *           *value is 0.
 *  Out:     value: the status value (0 .. 2^bits - 1).
 *
 *  A verifier must treat an index outside the list as "status unknown"
 *  and reject (draft section 8.3): compare with info.count first.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_get(
    const nansen_status_list *list, uint32_t index, uint8_t *value)
    NANSEN_NONNULL(1, 3);

/** Set the status of one entry of an issuer's list.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG (read-only list, index >=
 *           count, value >= 2^bits). Any entry may be set, allocated or
 *           not.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_set(
    nansen_status_list *list, uint32_t index, uint8_t value)
    NANSEN_NONNULL(1);

/** Hand out an index that was never handed out, chosen uniformly at random
 *  among the unallocated ones (an index says nothing about when or in
 *  which order its credential was issued), and mark it allocated. Its
 *  status is left as it is (VALID unless set). Save the list before
 *  issuing the credential that carries the index, so that a crash can
 *  never hand the same index out twice.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG (read-only list, or every
 *           index is allocated: start a new list).
 *  Out:     index: the index; 0 on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_allocate(
    nansen_status_list *list, uint32_t *index) NANSEN_NONNULL(1, 2);

/** Whether an index of an issuer's list has been handed out.
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (read-only list, index >=
 *           count).
 *  Out:     allocated: 1 or 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_is_allocated(
    const nansen_status_list *list, uint32_t index, int *allocated)
    NANSEN_NONNULL(1, 3);

/* ---- the StatusList map and the Status List Token ---- */

/** Encode the StatusList map {"bits": b, "lst": zlib(bytes)} in
 *  deterministic CBOR (so "lst" comes before "bits"), compressed with
 *  zlib level 9.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds
 *           the size needed), NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out:     buffer, or NULL to ask for the size.
 *  In/Out:  out_len: in: capacity of out; out: bytes written or needed.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_encode(
    uint8_t *out, size_t *out_len, const nansen_status_list *list)
    NANSEN_NONNULL(2, 3);

/** Decoding flags. */
/** Accept CBOR that is well-formed but not deterministic, a kid of any
 *  length or in the unprotected header, and any other header label: for
 *  reading foreign lists such as the draft's examples. Never for lists a
 *  verifier relies on (nansen_status_list_verify has no flags). */
#define NANSEN_STATUS_LENIENT 1u

/** Decode a bare StatusList map (no signature, no URI, no times), e.g. the
 *  draft's examples. The result is read-only.
 *
 *  Returns: NANSEN_OK, or the status of the first failure in the order of
 *           spec/status-list.md ("Decoding"): CBOR errors;
 *           NANSEN_ERR_CBOR_TOO_LARGE (input longer than
 *           NANSEN_STATUS_TOKEN_MAX_BYTES); NANSEN_ERR_MALFORMED;
 *           NANSEN_ERR_OUT_OF_RANGE (bits);
 *           NANSEN_ERR_BAD_COMPRESSION; NANSEN_ERR_BAD_LENGTH (empty
 *           array); NANSEN_ERR_CBOR_TOO_LARGE (more than
 *           NANSEN_STATUS_LIST_MAX_BYTES once inflated); NANSEN_ERR_NOMEM;
 *           NANSEN_ERR_INVALID_ARG (unknown flags).
 *  Out:     out: the list, freed with nansen_status_list_free(); NULL on
 *                failure.
 *  In:      flags: 0 or NANSEN_STATUS_LENIENT.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_decode(
    nansen_ctx *ctx, nansen_status_list **out, const uint8_t *in,
    size_t in_len, unsigned int flags) NANSEN_NONNULL(1, 2);

/** What goes into a token besides the list. */
typedef struct nansen_status_sign_params {
    int64_t iat;    /* issued at, > 0: the time the statuses are true at */
    int64_t exp;    /* expiry (exclusive), > iat; 0 for none */
    uint64_t ttl;   /* time to live in seconds; 0 for none */
} nansen_status_sign_params;

/** Sign a list as a Status List Token: COSE_Sign1 with tag 18, protected
 *  alg (the key's), kid (its 8-byte key id) and typ
 *  "application/statuslist+cwt"; payload {2: uri, 4: exp, 6: iat,
 *  65533: StatusList, 65534: ttl} in deterministic CBOR.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds
 *           the size needed), NANSEN_ERR_INVALID_ARG (a list without URI,
 *           bad times), NANSEN_ERR_NO_SECRET_KEY, NANSEN_ERR_NOMEM.
 *  Args:    ctx:     context.
 *  Out:     out:     buffer (at most NANSEN_STATUS_TOKEN_MAX_BYTES are
 *                    ever needed), or NULL to ask for the size.
 *  In/Out:  out_len: in: capacity of out; out: bytes written or needed.
 *  In:      list:    the list (an issuer's, or one decoded from a token).
 *           key:     the issuer's signing key.
 *           params:  the times.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_status_list *list, const nansen_key *key,
    const nansen_status_sign_params *params) NANSEN_NONNULL(1, 3, 4, 5, 6);

/** Verify a Status List Token with the issuer's key and decode it.
 *
 *  Returns: NANSEN_OK, or the status of the first failure in the order of
 *           spec/status-list.md ("Decoding"): NANSEN_ERR_CBOR_TOO_LARGE
 *           (token too long); the errors of nansen_cose_sign1_parse with
 *           the tag required; NANSEN_ERR_WRONG_TYPE (typ missing or not
 *           "application/statuslist+cwt"); NANSEN_ERR_BAD_HEADER (kid
 *           missing, unprotected or not 8 bytes);
 *           NANSEN_ERR_UNSUPPORTED_VERSION (another header label);
 *           NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_ALG_MISMATCH,
 *           NANSEN_ERR_KEY_MISMATCH, NANSEN_ERR_BAD_SIGNATURE; then the
 *           payload's: CBOR errors, NANSEN_ERR_MALFORMED (claims missing or
 *           of the wrong type, bad URI, exp <= iat, ttl 0) and the errors
 *           of nansen_status_list_decode; NANSEN_ERR_NOMEM.
 *  Out:     out: the read-only list, freed with nansen_status_list_free();
 *                NULL on failure.
 *  In:      key: the issuer's key (public is enough).
 *
 *  Freshness is a separate step: nansen_status_list_check_fresh.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_verify(
    nansen_ctx *ctx, nansen_status_list **out, const nansen_key *key,
    const uint8_t *token, size_t token_len) NANSEN_NONNULL(1, 2, 3);

/** Decode a Status List Token WITHOUT verifying its signature, e.g. to show
 *  it or to find its URI. Nothing in the result is trustworthy.
 *
 *  Returns: as nansen_status_list_verify, without the signature checks;
 *           with NANSEN_STATUS_LENIENT also without the deterministic CBOR
 *           and header (kid, extra labels) rules.
 *  In:      flags: 0 or NANSEN_STATUS_LENIENT.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_parse(
    nansen_ctx *ctx, nansen_status_list **out, const uint8_t *token,
    size_t token_len, unsigned int flags) NANSEN_NONNULL(1, 2);

/** Freshness of a decoded token at time now.
 *
 *  The list is STALE when any of these holds:
 *    - it has exp and now >= exp            (at exp exactly: stale)
 *    - it has ttl and now >= iat + ttl      (at iat + ttl exactly: stale)
 *    - max_age >= 0 and now - iat > max_age (at iat + max_age: fresh)
 *  Otherwise its statuses are valid as of iat, and *age = now - iat.
 *  ttl is counted from iat, not from when the list was fetched: lists
 *  travel as files, and a copy's arrival says nothing about its age.
 *
 *  Returns: NANSEN_OK (fresh), NANSEN_ERR_STALE, or NANSEN_ERR_INVALID_ARG
 *           (a list not decoded from a token).
 *  Out:     age: now - iat in seconds (saturating), also when stale; it
 *                is negative when now is before iat: this check does not
 *                judge the clock, the verifier's clock floor does.
 *  In:      now:     the verifier's clock (seconds since the epoch).
 *           max_age: the verifier's own limit in seconds, or -1 for none.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_check_fresh(
    const nansen_status_list *list, int64_t now, int64_t max_age,
    int64_t *age) NANSEN_NONNULL(1);

/* ---- the issuer's file ---- */

/** nansen_status_list_save flag: replace an existing file (the working
 *  copy after a change). Without it an existing file is never replaced,
 *  so that a new list cannot wipe the allocations of an old one. */
#define NANSEN_STATUS_SAVE_OVERWRITE 1u

/** Serialise an issuer's list (URI, bits, count, statuses, allocation
 *  bitmap) in the versioned, checksummed file format of
 *  spec/status-list.md. The bytes are deterministic.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds
 *           the size needed), NANSEN_ERR_INVALID_ARG (a read-only list),
 *           NANSEN_ERR_NOMEM.
 *  Out:     out:     buffer, or NULL to ask for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_export(
    uint8_t *out, size_t *out_len, const nansen_status_list *list)
    NANSEN_NONNULL(2, 3);

/** Read an issuer's list from the bytes nansen_status_list_export wrote.
 *
 *  Returns: NANSEN_OK, or the status of the first failure in the order of
 *           spec/status-list.md ("The issuer's file"):
 *           NANSEN_ERR_CBOR_TOO_LARGE, CBOR errors, NANSEN_ERR_WRONG_TYPE,
 *           NANSEN_ERR_UNSUPPORTED_VERSION, NANSEN_ERR_MALFORMED,
 *           NANSEN_ERR_CHECKSUM, NANSEN_ERR_OUT_OF_RANGE,
 *           NANSEN_ERR_BAD_LENGTH, NANSEN_ERR_NOMEM.
 *  Out:     out: the writable list, freed with nansen_status_list_free();
 *                NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_import(
    nansen_ctx *ctx, nansen_status_list **out, const uint8_t *in,
    size_t in_len) NANSEN_NONNULL(1, 2);

/** Save an issuer's list to a file, atomically: a temporary file in the
 *  same directory (mode 0600), fsync, rename, fsync of the directory. A
 *  crash leaves the old file or the new one, never a mix.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_EXISTS (the file
 *           exists and flags lack NANSEN_STATUS_SAVE_OVERWRITE),
 *           NANSEN_ERR_IO, NANSEN_ERR_PERMISSION, NANSEN_ERR_NOT_FOUND (no
 *           such directory), NANSEN_ERR_NOMEM.
 *  In:      flags: 0 or NANSEN_STATUS_SAVE_OVERWRITE.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_save(
    const nansen_status_list *list, const char *path, unsigned int flags)
    NANSEN_NONNULL(1, 2);

/** Load an issuer's list saved by nansen_status_list_save.
 *
 *  Returns: as nansen_status_list_import (a file longer than
 *           NANSEN_STATUS_FILE_MAX_BYTES gives NANSEN_ERR_CBOR_TOO_LARGE),
 *           and NANSEN_ERR_NOT_FOUND, NANSEN_ERR_PERMISSION, NANSEN_ERR_IO.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_list_load(
    nansen_ctx *ctx, nansen_status_list **out, const char *path)
    NANSEN_NONNULL(1, 2, 3);

/* ---- the status claim of a credential (claim 65535) ---- */

/** A credential's reference to its entry. uri points into the decoded
 *  input and is not NUL-terminated. */
typedef struct nansen_status_ref {
    uint64_t idx;
    const char *uri;
    size_t uri_len;
} nansen_status_ref;

/** Encode the value of claim 65535, {"status_list": {"idx": idx, "uri":
 *  uri}}, in deterministic CBOR.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds
 *           the size needed; never more than NANSEN_STATUS_CLAIM_MAX_BYTES),
 *           NANSEN_ERR_INVALID_ARG (uri not a URI, idx >=
 *           NANSEN_STATUS_LIST_MAX_ENTRIES).
 *  Out:     out:     buffer, or NULL to ask for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_claim_encode(
    uint8_t *out, size_t *out_len, const char *uri, uint64_t idx)
    NANSEN_NONNULL(2, 3);

/** Decode the value of claim 65535 (one deterministic CBOR item).
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_CBOR_TOO_LARGE (longer than
 *           NANSEN_STATUS_CLAIM_MAX_BYTES); CBOR errors;
 *           NANSEN_ERR_MALFORMED (not a non-empty map with text keys,
 *           status_list not {"idx": uint, "uri": URI});
 *           NANSEN_ERR_UNSUPPORTED_VERSION (no status_list member: only
 *           status mechanisms this library does not know). Other members
 *           (other status mechanisms) are skipped.
 *  Out:     out: the reference (uri points into in); zeroed on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_status_claim_decode(
    nansen_status_ref *out, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_STATUS_H */
