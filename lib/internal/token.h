/* token.h - the parsed form of referrals and grants (internal).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Parsing a credential happens in two steps so that the verifier can give
 * each failure its own reason in the order of spec/credential.md:
 * nansen__cred_parse checks the structure (COSE, headers, claims, digest
 * list) and nansen__cred_disclose matches the disclosures of header 17
 * against the digests.
 */
#ifndef NANSEN_INTERNAL_TOKEN_H
#define NANSEN_INTERNAL_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "nansen.h"
#include "internal/cbor.h"

#define NANSEN__MAX_DIGESTS 64       /* simple(59) entries in one referral */
#define NANSEN__MAX_DISCLOSURES 64   /* entries of header 17 */
#define NANSEN__NCLAIMS (NANSEN_CLAIM_LAST + 1)

typedef struct nansen__claim {
    int present;                 /* plain, or disclosed in this copy */
    int disclosable;             /* came from a disclosure */
    nansen_claim_value v;        /* text points into text below */
    char *text;                  /* malloc'd NUL-terminated copy */
    const uint8_t *disc;         /* the disclosure bytes (bstr content) */
    size_t disc_len;
} nansen__claim;

typedef struct nansen__cred {
    uint8_t *bytes;              /* own copy of the encoded credential */
    size_t len;
    nansen_cose_sign1 msg;       /* views into bytes */
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char *iss;                   /* NULL if absent */
    char *status_uri;            /* claim 65535, NULL if absent */
    uint64_t status_idx;
    char sub[NANSEN_SHORT_ID_BYTES];
    int64_t iat, nbf, exp;
    int has_nbf;
    uint8_t cti[NANSEN_CTI_BYTES];
    nansen_key *holder;          /* from cnf */
    int cnf_to_verify;           /* see nansen__cred_parse */
    const uint8_t *digest[NANSEN__MAX_DIGESTS]; /* simple(59) entries, */
    size_t ndigests;                            /* 32 bytes each */
    uint8_t digest_used[NANSEN__MAX_DIGESTS];
    const uint8_t *disc_array;   /* header 17 value, or NULL */
    size_t disc_array_len;
    nansen__claim claims[NANSEN__NCLAIMS];
    char issuer_label[NANSEN_NAME_MAX_BYTES + 1];
} nansen__cred;

/* Structure checks; with cnf_to_verify the cnf key is built with
 * nansen__cose_key_decode_to_verify (the verifier checks its signature
 * at once). Returns NANSEN_OK, a CBOR/COSE parse error,
 * NANSEN_ERR_MALFORMED, NANSEN_ERR_WRONG_TYPE (not typ 293),
 * NANSEN_ERR_UNSUPPORTED_VERSION, NANSEN_ERR_BAD_KEY (cnf),
 * NANSEN_ERR_NOMEM. c is always safe to pass to nansen__cred_clear. */
nansen_err nansen__cred_parse(nansen_ctx *ctx, nansen__cred *c,
                              const uint8_t *in, size_t in_len,
                              int cnf_to_verify);

/* Match header 17 against the digests: NANSEN_OK, NANSEN_ERR_MALFORMED
 * (shape, duplicates), NANSEN_ERR_UNSUPPORTED_VERSION (unknown claim key),
 * NANSEN_ERR_DIGEST_MISMATCH, NANSEN_ERR_NOMEM. */
nansen_err nansen__cred_disclose(nansen__cred *c);

void nansen__cred_clear(nansen__cred *c);

/* Check a claim value for its claim (type, vocabulary code, text rules). */
nansen_err nansen__claim_value_check(nansen_claim claim,
                                     const nansen_claim_value *v);

/* 1 if s[0..n) is a syntactically valid BCP 47 tag (letters, digits and
 * hyphens, primary subtag 2-8 letters, at most 35 characters). */
int nansen__lang_tag_ok(const char *s, size_t n);

/* 1 if text claim bytes are acceptable: non-empty, at most
 * NANSEN_CLAIM_TEXT_MAX_BYTES, UTF-8, no C0/DEL/C1 controls. */
int nansen__claim_text_ok(const uint8_t *s, size_t n);

/* "kid:" + hex of an 8-byte key id. */
void nansen__short_id_of_kid(char out[NANSEN_SHORT_ID_BYTES],
                             const uint8_t kid[NANSEN_KEY_ID_BYTES]);

/* Build the credential bytes with another header 17: the disclosures of
 * the claims in `disclose` (bit set), in claim order. *out is malloc'd. */
nansen_err nansen__cred_present(const nansen__cred *c, uint32_t disclose,
                                uint8_t **out, size_t *out_len);

/* Every label of an encoded header map (integer labels only) is in
 * allowed: else NANSEN_ERR_UNSUPPORTED_VERSION. */
nansen_err nansen__check_labels(const uint8_t *map, size_t len,
                                const int64_t *allowed, size_t nallowed);

/* The QR budget of nansen/credential.h: _valid checks the fields (before
 * any work), _check frames the finished token and compares (and fills
 * b->needed). NANSEN_ERR_QR_BUDGET when it does not fit. */
nansen_err nansen__budget_valid(const nansen_qr_budget *b);
nansen_err nansen__budget_check(const nansen_qr_budget *b,
                                const uint8_t *token, size_t len);

/* The parsed form behind a public nansen_credential. */
const nansen__cred *nansen__cred_of(const nansen_credential *cred);

/* The notice fields of a grant: clinic = audience name or audience,
 * issuer = the credential's issuer label. */
nansen_err nansen__grant_notice_fields(nansen_notice_fields *f,
                                       const nansen__cred *c,
                                       const char *audience,
                                       const char *audience_name,
                                       uint32_t purpose,
                                       const uint32_t *categories,
                                       size_t category_count, int64_t from,
                                       int64_t until, const char *lang);

#define NANSEN__AUDIENCE_MAX_BYTES 128

/* The grant's own claims. */
typedef struct nansen__grant_claims {
    char aud[NANSEN__AUDIENCE_MAX_BYTES + 1];
    int64_t exp, nbf, iat;
    uint8_t cti[NANSEN_CTI_BYTES];
    int has_cti;
    uint8_t cnonce[NANSEN_CNONCE_MAX_BYTES];
    size_t cnonce_len;
    int has_cnonce;
    uint32_t purpose;
    uint32_t categories[NANSEN_GRANT_MAX_CATEGORIES];
    size_t ncategories;
    char lang[36];
    uint8_t digest[NANSEN_DIGEST_BYTES];
    char aud_name[NANSEN_NAME_MAX_BYTES + 1];
    int has_aud_name;
} nansen__grant_claims;

/* Step 1 of spec/credential.md: the grant's COSE structure, headers and
 * claims (nothing verified). kbt and *kcwt point into grant. Returns
 * NANSEN_OK or the structural status (MALFORMED, WRONG_TYPE,
 * UNSUPPORTED_VERSION, CBOR errors, ...). */
nansen_err nansen__grant_parse(nansen_cose_sign1 *kbt,
                               nansen__grant_claims *g, const uint8_t **kcwt,
                               size_t *kcwt_len, const uint8_t *grant,
                               size_t grant_len);

/* Read a cnf claim's value {1: COSE_Key} whose key is exactly as
 * nansen_cose_key_encode writes it without flags (one key, one encoding:
 * so one statement has one set of bytes per signature). *key is the key
 * (the caller frees it, also on failure); cose_key and cose_key_len, if
 * not NULL, point at the COSE_Key's bytes in the input. Returns NANSEN_OK,
 * NANSEN_ERR_NOMEM, NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_BAD_KEY, or
 * NANSEN_ERR_MALFORMED for anything else. */
nansen_err nansen__cnf_read(nansen_ctx *ctx, nansen__cbr *r, nansen_key **key,
                            const uint8_t **cose_key, size_t *cose_key_len);

#endif /* NANSEN_INTERNAL_TOKEN_H */
