/* nansen/credential.h - referral credentials (SD-CWT) for issuers and holders.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A referral is an SD-CWT (draft-ietf-spice-sd-cwt-08): a COSE_Sign1 with
 * typ 293 signed by the issuing NGO, whose payload holds the standard CWT
 * claims (sub, iat, nbf, exp, cti, cnf) and Nansen's own claims in one map
 * under the private claim key NANSEN_CWT_CLAIM_NANSEN. Any Nansen claim can
 * be made selectively disclosable: it is then replaced by the SHA-256 of a
 * salted disclosure [salt, value, key] listed under simple(59), and the
 * disclosure travels in unprotected header 17. spec/credential.md is the
 * normative description, with the claim registry.
 *
 * The issuer gives the whole credential, with every disclosure, to the
 * holder. The holder keeps it and presents it inside a consent grant
 * (nansen/consent.h) with only the disclosures it chooses.
 *
 * Objects (nansen_credential) own copies of everything they return: text
 * values are NUL-terminated and live until the object is freed.
 */
#ifndef NANSEN_CREDENTIAL_H
#define NANSEN_CREDENTIAL_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CWT claim keys (RFC 8392, RFC 8747, draft-ietf-spice-sd-cwt). */
#define NANSEN_CWT_ISS     1
#define NANSEN_CWT_SUB     2
#define NANSEN_CWT_AUD     3
#define NANSEN_CWT_EXP     4
#define NANSEN_CWT_NBF     5
#define NANSEN_CWT_IAT     6
#define NANSEN_CWT_CTI     7
#define NANSEN_CWT_CNF     8
#define NANSEN_CWT_CNONCE  39
#define NANSEN_CWT_STATUS  65535   /* Token Status List reference */
/* The private-use claim key holding Nansen's claim map. */
#define NANSEN_CWT_CLAIM_NANSEN (-65537)

/* COSE / SD-CWT header labels and values. */
#define NANSEN_COSE_HDR_KCWT       13   /* RFC 9528: the issued SD-CWT */
#define NANSEN_COSE_HDR_SD_CLAIMS  17   /* disclosures */
#define NANSEN_COSE_HDR_SD_ALG     170  /* absent: SHA-256 */
#define NANSEN_TYP_SD_CWT          293  /* application/sd-cwt */
#define NANSEN_TYP_KB_CWT          294  /* application/kb+cwt */

#define NANSEN_SALT_BYTES          16   /* salt of each disclosure */
#define NANSEN_DIGEST_BYTES        32   /* SHA-256 */
#define NANSEN_CTI_BYTES           8    /* credential and grant ids */
#define NANSEN_MAX_DECOYS          16
/* Longest credential or grant this library writes or reads. */
#define NANSEN_CREDENTIAL_MAX_BYTES 8192
/* Longest text claim value, in bytes. */
#define NANSEN_CLAIM_TEXT_MAX_BYTES 1024
/* Longest issuer-name or audience name, in bytes. */
#define NANSEN_NAME_MAX_BYTES 256

NANSEN_API size_t nansen_credential_max_bytes(void);

/** The claims a referral can carry, with their key in the Nansen claim map.
 *  Values are stable (spec/credential.md); each belongs to one data
 *  category (nansen_claim_category). */
typedef enum nansen_claim {
    NANSEN_CLAIM_SERVICE     = 1,  /* uint: NANSEN_VOCAB_SERVICE code */
    NANSEN_CLAIM_URGENCY     = 2,  /* uint: NANSEN_VOCAB_URGENCY code */
    NANSEN_CLAIM_TARGET      = 3,  /* text: the clinic or service referred to */
    NANSEN_CLAIM_LANGUAGE    = 4,  /* text: BCP 47 tag of the person's language */
    NANSEN_CLAIM_INTERPRETER = 5,  /* bool: an interpreter is needed */
    NANSEN_CLAIM_NOTES       = 6,  /* text: referral notes */
    NANSEN_CLAIM_RISK        = 7,  /* text: risk flags, e.g. "self-harm" */
    NANSEN_CLAIM_CONTACT     = 8,  /* text: caseworker contact */
    NANSEN_CLAIM_DEPENDENTS  = 9,  /* text: dependents */
    NANSEN_CLAIM_ISSUER_NAME = 10  /* text: the issuing organisation's name,
                                      at most NANSEN_NAME_MAX_BYTES; never
                                      disclosable (the notice shows it) */
} nansen_claim;

#define NANSEN_CLAIM_FIRST 1
#define NANSEN_CLAIM_LAST  10
/* A set of claims: bit (1u << claim). */
#define NANSEN_CLAIM_BIT(c) (1u << (unsigned)(c))
/* The claims a referral makes selectively disclosable unless told
 * otherwise: language, notes, risk, contact, dependents. Interpreter need
 * stays plain: every clinic must arrange it, it says little on its own,
 * and hiding it would cost 33 bytes of QR code in every grant. */
#define NANSEN_CLAIMS_DEFAULT_DISCLOSABLE                                   \
    (NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |                              \
     NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES) |                                 \
     NANSEN_CLAIM_BIT(NANSEN_CLAIM_RISK) |                                  \
     NANSEN_CLAIM_BIT(NANSEN_CLAIM_CONTACT) |                               \
     NANSEN_CLAIM_BIT(NANSEN_CLAIM_DEPENDENTS))

typedef enum nansen_value_type {
    NANSEN_VALUE_UINT = 1,
    NANSEN_VALUE_TEXT = 2,
    NANSEN_VALUE_BOOL = 3
} nansen_value_type;

/** One claim value. In results, text is owned by the object it came from,
 *  NUL-terminated and valid UTF-8 (it may not contain NUL). */
typedef struct nansen_claim_value {
    nansen_value_type type;
    uint64_t uint;            /* UINT: the value; BOOL: 0 or 1 */
    const char *text;         /* TEXT: the text; otherwise NULL */
    size_t text_len;          /* TEXT: its length in bytes */
} nansen_claim_value;

/** The stable name of a claim ("service", "notes", "issuer-name"), or NULL
 *  for a value outside the enum. */
NANSEN_API const char *nansen_claim_name(nansen_claim claim);

/** Find a claim by name (exact, as nansen_claim_name gives).
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (unknown name). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_claim_from_name(
    const char *name, size_t name_len, nansen_claim *claim)
    NANSEN_NONNULL(1, 3);

/** The value type of a claim, or 0 for a value outside the enum. */
NANSEN_API nansen_value_type nansen_claim_type(nansen_claim claim);

/** The data category (NANSEN_VOCAB_CATEGORY code) a claim belongs to:
 *  service, urgency, target, issuer-name -> referral; language,
 *  interpreter -> language; notes -> health; risk -> risk; contact ->
 *  contact; dependents -> family. 0 for a value outside the enum. */
NANSEN_API uint32_t nansen_claim_category(nansen_claim claim);

/** The QR budget a token must fit when framed (nansen/frame.h): the
 *  largest QR version at an error-correction level. All zero means the
 *  default, NANSEN_QR_DEFAULT_VERSION at NANSEN_QR_DEFAULT_ECC (a phone
 *  screen); use NANSEN_QR_PRINT_ECC for print. */
typedef struct nansen_qr_budget {
    int max_version;             /* 1..40; 0: the default; -1: no budget */
    nansen_qr_ecc ecc;           /* 0: the default level */
    int *needed;                 /* if not NULL: receives the version the
                                    framed token needs (41 if more than 40),
                                    also when the budget refuses it */
} nansen_qr_budget;

/** What an issuer puts in a referral. All pointers are borrowed. */
typedef struct nansen_referral {
    uint32_t service;            /* NANSEN_VOCAB_SERVICE code, required */
    uint32_t urgency;            /* NANSEN_VOCAB_URGENCY code, required */
    const char *target;          /* NUL-terminated UTF-8 text, or NULL for */
    const char *language;        /* absent. language is a BCP 47 tag. */
    int interpreter;             /* -1 absent, 0 no, 1 yes */
    const char *notes;
    const char *risk;
    const char *contact;
    const char *dependents;
    const char *issuer_name;
    uint32_t disclosable;        /* NANSEN_CLAIM_BIT set of the claims to
                                    make selectively disclosable, e.g.
                                    NANSEN_CLAIMS_DEFAULT_DISCLOSABLE; bits
                                    of absent claims are ignored */
    unsigned int decoys;         /* decoy digests to add, 0..NANSEN_MAX_DECOYS */
    const char *status_uri;      /* the issuer's status list (claim 65535,
                                    spec/status-list.md), or NULL for none */
    uint64_t status_idx;         /* the referral's index in that list, from
                                    nansen_status_list_allocate */
} nansen_referral;

/** How and when a referral is issued. */
typedef struct nansen_issue_params {
    int64_t iat;                 /* issued at, unix seconds (> 0) */
    int64_t nbf;                 /* valid from, not after iat (SD-CWT);
                                    0: same as iat (omitted) */
    int64_t exp;                 /* valid until (exclusive); > iat, > nbf */
    const uint8_t *cti;          /* NANSEN_CTI_BYTES id, NULL for random */
    const uint8_t *salt_seed;    /* 32 bytes: derive the salts from this
                                    secret seed (for reproducible test
                                    vectors); NULL: random salts. Never
                                    reuse a seed. */
    int with_iss;                /* 1: add iss, the issuer's did:key; 0:
                                    the protected kid names the issuer */
    nansen_qr_budget budget;     /* zeroed: version 20 at level M */
} nansen_issue_params;

/** Issue a referral to the holder of holder_key.
 *
 *  The credential is a tagged COSE_Sign1 by issuer_key with protected alg,
 *  kid (the issuer's 8-byte key id) and typ 293; payload claims sub (the
 *  holder's short id "kid:<16 hex digits>", see spec/credential.md), iat,
 *  nbf (when it differs from iat), exp, cti, cnf (the holder's COSE_Key)
 *  and the Nansen claim map; every disclosure in unprotected header 17, in
 *  claim key order, then the decoys.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the
 *           size needed), NANSEN_ERR_INVALID_ARG (unknown service or urgency
 *           code, a text that is empty, not UTF-8, longer than
 *           NANSEN_CLAIM_TEXT_MAX_BYTES or with control characters, a
 *           language that is not a BCP 47 tag, an issuer-name longer than
 *           NANSEN_NAME_MAX_BYTES or made disclosable, bad times, too many
 *           decoys, a bad budget),
 *           NANSEN_ERR_QR_BUDGET (the framed referral needs a larger QR
 *           version than params->budget allows; budget.needed says which),
 *           NANSEN_ERR_NO_SECRET_KEY, NANSEN_ERR_NOMEM.
 *
 *  The budget is checked when the referral is made, not on a size query.
 *  Args:    ctx:        context.
 *  Out:     out:        buffer or NULL for the size. With random salts the
 *                       size is exact too: salts do not change lengths.
 *  In/Out:  out_len:    in: capacity; out: bytes written or needed.
 *  In:      issuer_key: the NGO's key, with its secret.
 *           holder_key: the holder's key (public part used).
 *           referral:   the claims.
 *           params:     times and options.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_referral_issue(
    nansen_ctx *ctx, uint8_t *out, size_t *out_len,
    const nansen_key *issuer_key, const nansen_key *holder_key,
    const nansen_referral *referral, const nansen_issue_params *params)
    NANSEN_NONNULL(1, 3, 4, 5, 6, 7);

/* ---- the holder's view of a credential ---- */

typedef struct nansen_credential nansen_credential;   /* opaque */

/** Decode a referral credential (as issued, or as presented with fewer
 *  disclosures) and check its structure: deterministic CBOR, typ 293,
 *  claims of the right types, every disclosure matched by a digest in the
 *  payload. The issuer's signature is NOT checked here: see
 *  nansen_credential_verify_issuer.
 *
 *  Returns: NANSEN_OK; the CBOR and COSE parse errors; NANSEN_ERR_WRONG_TYPE
 *           (not an SD-CWT referral); NANSEN_ERR_MALFORMED (a claim
 *           missing or of the wrong type, a disclosure without its digest,
 *           a claim both plain and disclosed); NANSEN_ERR_UNSUPPORTED_VERSION
 *           (another profile or sd_alg); NANSEN_ERR_NOMEM.
 *  Out:     out: the credential, freed with nansen_credential_free; NULL on
 *                failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_credential_decode(
    nansen_ctx *ctx, nansen_credential **out, const uint8_t *in,
    size_t in_len) NANSEN_NONNULL(1, 2, 3);

NANSEN_API void nansen_credential_free(nansen_credential *cred);

/** Check the issuer's signature with the issuer's key.
 *  Returns: NANSEN_OK, or the errors of nansen_cose_sign1_verify
 *           (NANSEN_ERR_KEY_MISMATCH when the kid names another key). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_credential_verify_issuer(
    nansen_ctx *ctx, const nansen_credential *cred,
    const nansen_key *issuer_key) NANSEN_NONNULL(1, 2, 3);

/** A claim of the credential, plain or with its disclosure at hand.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_ABSENT (absent, or redacted and not
 *           disclosed in this copy), NANSEN_ERR_INVALID_ARG.
 *  Out:     value:       the value (owned by cred).
 *           disclosable: if not NULL, 1 if the claim is selectively
 *                        disclosable, 0 if it is always visible.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_credential_claim(
    const nansen_credential *cred, nansen_claim claim,
    nansen_claim_value *value, int *disclosable) NANSEN_NONNULL(1, 3);

/** Times of the credential (unix seconds); nbf is iat when absent. */
NANSEN_API void nansen_credential_times(const nansen_credential *cred,
                                        int64_t *iat, int64_t *nbf,
                                        int64_t *exp);

/** The status list reference (claim 65535), if the referral has one.
 *  Returns: NANSEN_OK (uri owned by cred, NUL-terminated) or
 *           NANSEN_ERR_ABSENT. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_credential_status(
    const nansen_credential *cred, const char **uri, uint64_t *idx)
    NANSEN_NONNULL(1, 2, 3);

/** The issuer's 8-byte key id from the protected header. */
NANSEN_API const uint8_t *nansen_credential_issuer_kid(
    const nansen_credential *cred) NANSEN_NONNULL(1);

/** The credential id (cti), NANSEN_CTI_BYTES long. */
NANSEN_API const uint8_t *nansen_credential_id(const nansen_credential *cred)
    NANSEN_NONNULL(1);

/** The holder's key from cnf (public only; owned by cred). */
NANSEN_API const nansen_key *nansen_credential_holder(
    const nansen_credential *cred) NANSEN_NONNULL(1);

/** The text the consent notice uses for the issuer: the issuer-name claim
 *  when present, else "kid:" and the issuer's key id in hex. */
NANSEN_API const char *nansen_credential_issuer_label(
    const nansen_credential *cred) NANSEN_NONNULL(1);

/** The short id of a key: "kid:" followed by the 16 lowercase hex digits
 *  of its key id (nansen_key_id). 21 bytes with the NUL. */
#define NANSEN_SHORT_ID_BYTES 21
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_key_short_id(
    const nansen_key *key, char out[NANSEN_SHORT_ID_BYTES])
    NANSEN_NONNULL(1, 2);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_CREDENTIAL_H */
