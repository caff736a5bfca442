/* nansen/consent.h - consent grants: the holder's SD-CWT key-binding token.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A consent grant is the SD-KBT of draft-ietf-spice-sd-cwt-08: a COSE_Sign1
 * by the holder's cnf key with typ 294, the referral (with only the
 * disclosures the holder chose) in protected header 13 (kcwt), and a
 * payload with aud (the clinic), iat, cti (the grant id), an optional
 * cnonce, the validity window (nbf, exp) and Nansen's consent claims under
 * NANSEN_CWT_CLAIM_NANSEN: purpose, data categories, the language of the
 * consent notice shown and the SHA-256 of that exact notice text.
 * spec/credential.md is normative.
 */
#ifndef NANSEN_CONSENT_H
#define NANSEN_CONSENT_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/credential.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NANSEN_GRANT_MAX_CATEGORIES 16
#define NANSEN_CNONCE_MAX_BYTES     64

/** What the holder consents to. All pointers are borrowed. */
typedef struct nansen_grant_params {
    const char *audience;        /* the clinic: its did:key or its short id
                                    "kid:<hex>" (nansen_key_short_id);
                                    NUL-terminated */
    const char *audience_name;   /* the clinic's name as shown in the
                                    notice, or NULL (then the notice shows
                                    the audience) */
    uint32_t purpose;            /* NANSEN_VOCAB_PURPOSE code */
    const uint32_t *categories;  /* NANSEN_VOCAB_CATEGORY codes, 1.. */
    size_t category_count;       /* NANSEN_GRANT_MAX_CATEGORIES, no repeats */
    uint32_t disclose;           /* NANSEN_CLAIM_BIT set of the claims to
                                    reveal; naming an always-visible claim
                                    is allowed */
    int64_t iat;                 /* signed at, unix seconds (> 0) */
    int64_t nbf;                 /* valid from, not after iat (SD-CWT);
                                    0: same as iat (omitted) */
    int64_t exp;                 /* valid until (exclusive) */
    const char *notice_lang;     /* BCP 47 tag of the notice shown; needs a
                                    notice template (nansen/vocab.h) */
    const uint8_t *cnonce;       /* the verifier's nonce, or NULL */
    size_t cnonce_len;           /* 1..NANSEN_CNONCE_MAX_BYTES */
    const uint8_t *cti;          /* NANSEN_CTI_BYTES grant id, or NULL for
                                    none (iat and the grant's digest name
                                    it; saves 10 bytes of QR code) */
    nansen_qr_budget budget;     /* zeroed: version 20 at level M */
} nansen_grant_params;

/** Render the consent notice the holder must see before signing the grant
 *  these parameters describe: the text whose SHA-256 the grant records.
 *  Fields: clinic = audience_name or audience; issuer =
 *  nansen_credential_issuer_label; purpose, categories (in the given
 *  order), from = nbf or iat, until = exp; see spec/vocab/README.md.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed, with the NUL), NANSEN_ERR_INVALID_ARG.
 *  Out:     out: UTF-8 text with a NUL, or NULL for the size.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_grant_notice(
    char *out, size_t *out_len, const nansen_credential *cred,
    const nansen_grant_params *params) NANSEN_NONNULL(2, 3, 4);

/** Sign a consent grant.
 *
 *  The credential must be the holder's: its cnf key must be holder_key's.
 *  The grant embeds it with the disclosures of the claims in
 *  params->disclose only (the order of header 17 is the claim order).
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the
 *           size needed), NANSEN_ERR_INVALID_ARG (bad parameters: unknown
 *           purpose or category codes, repeated categories, no notice
 *           template for the language, audience not a did:key or short id,
 *           cnonce too long, exp <= nbf or iat),
 *           NANSEN_ERR_ABSENT (a claim to disclose is not in the
 *           credential, or this copy lacks its disclosure),
 *           NANSEN_ERR_CATEGORY_NOT_GRANTED (a claim to disclose belongs to
 *           a data category not in categories),
 *           NANSEN_ERR_OUTSIDE_VALIDITY (the grant's window or iat is
 *           not inside the credential's nbf..exp),
 *           NANSEN_ERR_KEY_MISMATCH (holder_key is not the credential's
 *           cnf key, or the credential's sub does not name it),
 *           NANSEN_ERR_QR_BUDGET (the framed grant needs a larger QR
 *           version than params->budget allows; budget.needed says which),
 *           NANSEN_ERR_NO_SECRET_KEY, NANSEN_ERR_NOMEM.
 *           The budget is checked when the grant is made, not on a size
 *           query.
 *  Out:     out:     buffer or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *  In:      holder_key: the holder's key with its secret.
 *           cred:       the referral, from nansen_credential_decode.
 *           params:     the consent.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_grant_sign(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_key *holder_key, const nansen_credential *cred,
    const nansen_grant_params *params) NANSEN_NONNULL(1, 3, 4, 5, 6);

/* ---- reading a grant without verifying it ---- */

typedef struct nansen_grant nansen_grant;   /* opaque */

/** Decode a consent grant to show it or keep it (a wallet listing what
 *  it gave, a tool inspecting a file). Checks the structure only, as
 *  nansen_credential_decode does for its embedded referral: NOTHING here is
 *  verified. A clinic deciding whether to act uses nansen_verify_grant.
 *
 *  Returns: NANSEN_OK; the CBOR and COSE parse errors;
 *           NANSEN_ERR_WRONG_TYPE (not typ 294, or the kcwt not a
 *           referral); NANSEN_ERR_MALFORMED; NANSEN_ERR_BAD_HEADER;
 *           NANSEN_ERR_UNSUPPORTED_VERSION; NANSEN_ERR_DIGEST_MISMATCH;
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: the grant, freed with nansen_grant_free; NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_grant_decode(
    nansen_ctx *ctx, nansen_grant **out, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1, 2, 3);

NANSEN_API void nansen_grant_free(nansen_grant *grant);

/** The audience text (a did:key or short id) and, or NULL, the audience
 *  name shown in the notice; owned by the grant. */
NANSEN_API const char *nansen_grant_audience(const nansen_grant *grant)
    NANSEN_NONNULL(1);
NANSEN_API const char *nansen_grant_audience_name(const nansen_grant *grant)
    NANSEN_NONNULL(1);

/** Purpose and data categories (owned by the grant, in grant order). */
NANSEN_API void nansen_grant_consent(const nansen_grant *grant,
                                     uint32_t *purpose,
                                     const uint32_t **categories,
                                     size_t *category_count)
    NANSEN_NONNULL(1, 2, 3, 4);

/** Signing time and validity window [nbf, exp); nbf is iat when absent. */
NANSEN_API void nansen_grant_times(const nansen_grant *grant, int64_t *iat,
                                   int64_t *nbf, int64_t *exp)
    NANSEN_NONNULL(1);

/** The grant id (cti, NANSEN_CTI_BYTES; NULL when the grant has none)
 *  and the SHA-256 of the whole encoded grant (NANSEN_DIGEST_BYTES), owned
 *  by the grant. */
NANSEN_API const uint8_t *nansen_grant_id(const nansen_grant *grant)
    NANSEN_NONNULL(1);
NANSEN_API const uint8_t *nansen_grant_digest(const nansen_grant *grant)
    NANSEN_NONNULL(1);

/** The notice language and its recorded SHA-256 (owned by the grant). */
NANSEN_API void nansen_grant_notice_recorded(const nansen_grant *grant,
                                             const char **lang,
                                             const uint8_t **digest)
    NANSEN_NONNULL(1, 2, 3);

/** The referral embedded in the grant, with the disclosures the holder
 *  revealed (owned by the grant). */
NANSEN_API const nansen_credential *nansen_grant_credential(
    const nansen_grant *grant) NANSEN_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_CONSENT_H */
