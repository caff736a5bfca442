/* claims.c - the referral claim registry, short ids and reason codes.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "internal/internal.h"
#include "internal/cbor.h"
#include "internal/token.h"

static const struct {
    const char *name;
    nansen_value_type type;
    uint32_t category;          /* NANSEN_VOCAB_CATEGORY code */
} claims[NANSEN__NCLAIMS] = {
    {NULL, 0, 0},
    {"service", NANSEN_VALUE_UINT, 1},
    {"urgency", NANSEN_VALUE_UINT, 1},
    {"target", NANSEN_VALUE_TEXT, 1},
    {"language", NANSEN_VALUE_TEXT, 2},
    {"interpreter", NANSEN_VALUE_BOOL, 2},
    {"notes", NANSEN_VALUE_TEXT, 3},
    {"risk", NANSEN_VALUE_TEXT, 4},
    {"contact", NANSEN_VALUE_TEXT, 5},
    {"dependents", NANSEN_VALUE_TEXT, 6},
    {"issuer-name", NANSEN_VALUE_TEXT, 1},
};

static int claim_ok(nansen_claim c)
{
    return (int)c >= NANSEN_CLAIM_FIRST && (int)c <= NANSEN_CLAIM_LAST;
}

size_t nansen_credential_max_bytes(void)
{
    return NANSEN_CREDENTIAL_MAX_BYTES;
}

const char *nansen_claim_name(nansen_claim claim)
{
    return claim_ok(claim) ? claims[claim].name : NULL;
}

nansen_err nansen_claim_from_name(const char *name, size_t name_len,
                                  nansen_claim *claim)
{
    int i;

    ARG_CHECK(claim != NULL);
    *claim = (nansen_claim)0;
    ARG_CHECK(name != NULL);
    for (i = NANSEN_CLAIM_FIRST; i <= NANSEN_CLAIM_LAST; i++)
        if (strlen(claims[i].name) == name_len &&
            memcmp(claims[i].name, name, name_len) == 0) {
            *claim = (nansen_claim)i;
            return NANSEN_OK;
        }
    return NANSEN_ERR_INVALID_ARG;
}

nansen_value_type nansen_claim_type(nansen_claim claim)
{
    return claim_ok(claim) ? claims[claim].type : (nansen_value_type)0;
}

uint32_t nansen_claim_category(nansen_claim claim)
{
    return claim_ok(claim) ? claims[claim].category : 0;
}

const char *nansen_reason_code(nansen_reason reason)
{
    static const char *const codes[NANSEN_REASON_LAST + 1] = {
        "accept", "malformed", "unsupported_version",
        "bad_issuer_signature", "bad_holder_signature",
        "holder_binding_broken", "untrusted_issuer", "wrong_audience",
        "not_yet_valid", "expired", "grant_too_old", "purpose_not_accepted",
        "category_not_covered", "disclosure_digest_mismatch",
        "withdrawn_by_holder", "revoked", "suspended", "status_stale",
        "status_unknown", "wrong_role", "clock_behind", "nonce_mismatch",
    };

    if ((int)reason < 0 || (int)reason > NANSEN_REASON_LAST)
        return NULL;
    return codes[reason];
}

void nansen__short_id_of_kid(char out[NANSEN_SHORT_ID_BYTES],
                             const uint8_t kid[NANSEN_KEY_ID_BYTES])
{
    memcpy(out, "kid:", 4);
    nansen__hex_encode(out + 4, kid, NANSEN_KEY_ID_BYTES);
}

nansen_err nansen_key_short_id(const nansen_key *key,
                               char out[NANSEN_SHORT_ID_BYTES])
{
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    nansen_err err;

    ARG_CHECK(out != NULL);
    out[0] = '\0';
    ARG_CHECK(key != NULL);
    if ((err = nansen_key_id(key, kid)) != NANSEN_OK)
        return err;
    nansen__short_id_of_kid(out, kid);
    return NANSEN_OK;
}

static int is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(uint8_t c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

int nansen__lang_tag_ok(const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, run = 0, first = 1;

    if (s == NULL || n == 0 || n > 35)
        return 0;
    for (i = 0; i <= n; i++) {
        if (i == n || p[i] == '-') {
            if (run == 0 || run > 8 || (first && run < 2))
                return 0;
            first = 0;
            run = 0;
            continue;
        }
        if (first ? !is_alpha(p[i]) : !is_alnum(p[i]))
            return 0;
        run++;
    }
    return 1;
}

int nansen__claim_text_ok(const uint8_t *s, size_t n)
{
    size_t i;

    if (s == NULL || n == 0 || n > NANSEN_CLAIM_TEXT_MAX_BYTES ||
        !nansen__utf8_valid(s, n))
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] == 0x7f)
            return 0;
        /* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8 */
        if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
            return 0;
    }
    return 1;
}

nansen_err nansen__claim_value_check(nansen_claim claim,
                                     const nansen_claim_value *v)
{
    if (!claim_ok(claim) || v->type != claims[claim].type)
        return NANSEN_ERR_MALFORMED;
    switch (v->type) {
    case NANSEN_VALUE_UINT:
        if (v->uint > UINT32_MAX ||
            nansen_vocab_id(claim == NANSEN_CLAIM_SERVICE
                                ? NANSEN_VOCAB_SERVICE : NANSEN_VOCAB_URGENCY,
                            (uint32_t)v->uint) == NULL)
            return NANSEN_ERR_UNSUPPORTED_VERSION;
        return NANSEN_OK;
    case NANSEN_VALUE_BOOL:
        return v->uint <= 1 ? NANSEN_OK : NANSEN_ERR_MALFORMED;
    case NANSEN_VALUE_TEXT:
        if (!nansen__claim_text_ok((const uint8_t *)v->text, v->text_len))
            return NANSEN_ERR_MALFORMED;
        if (claim == NANSEN_CLAIM_LANGUAGE &&
            !nansen__lang_tag_ok(v->text, v->text_len))
            return NANSEN_ERR_MALFORMED;
        return NANSEN_OK;
    }
    return NANSEN_ERR_MALFORMED;
}
