/* nansen/vocab.h - the shared vocabulary and the consent notice.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Purposes, data categories, services, urgency levels and verdict reasons
 * travel in credentials and grants as small integer codes. Their stable
 * kebab-case ids and their labels in English, French, Spanish, Arabic,
 * Dari/Farsi, Ukrainian, Tigrinya and Somali come from spec/vocab/vocab.json,
 * compiled into the library (nothing is read at run time). A code is never
 * renumbered or reused; spec/vocab/README.md has the rules.
 *
 * Language tags are BCP 47; only the primary subtag counts, compared
 * case-insensitively ("fa-AF", "AR", "ar-SY" all match). "prs" (Dari) and
 * "pes" (Iranian Persian) map to "fa". Labels fall back to English for a
 * language the vocabulary does not have; the consent notice does not (its
 * hash is recorded in a grant, so its language must be exact).
 *
 * Arabic and Farsi text is stored in logical order without presentation
 * forms: displaying it needs the Unicode bidirectional algorithm. All
 * strings are static, NUL-terminated UTF-8 in NFC and must not be freed.
 * Everything here is thread-safe and independent of locale and TZ.
 */
#ifndef NANSEN_VOCAB_H
#define NANSEN_VOCAB_H

#include "nansen/common.h"
#include "nansen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nansen_vocab_kind {
    NANSEN_VOCAB_PURPOSE  = 1,  /* why data is used: treatment, ... */
    NANSEN_VOCAB_CATEGORY = 2,  /* data categories a grant covers */
    NANSEN_VOCAB_SERVICE  = 3,  /* referral services */
    NANSEN_VOCAB_URGENCY  = 4,  /* stepped care: routine=1 .. emergency=4 */
    NANSEN_VOCAB_REASON   = 5   /* verdict reasons; labels are speakable
                                   one-line messages; accept is 0 */
} nansen_vocab_kind;

/** The version of the compiled vocabulary ("version" in vocab.json). */
NANSEN_API int nansen_vocab_version(void);

/** Find the code of a vocabulary id.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG (unknown kind or id, NULL
 *           id). The match is exact (ids are lowercase ASCII).
 *  Out:     code:   the code; set to 0 on failure.
 *  In:      kind:   which list.
 *           id:     the id, e.g. "psychosocial-support"; need not be
 *                   NUL-terminated.
 *           id_len: its length in bytes.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_vocab_lookup_id(
    nansen_vocab_kind kind, const char *id, size_t id_len, uint32_t *code)
    NANSEN_NONNULL(2, 4);

/** The number of entries of a kind (0 for an unknown kind). */
NANSEN_API size_t nansen_vocab_count(nansen_vocab_kind kind);

/** The code of the index-th entry of a kind, in vocabulary order, for
 *  listing every code.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (unknown kind, index past
 *           nansen_vocab_count, NULL code). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_vocab_code_at(
    nansen_vocab_kind kind, size_t index, uint32_t *code) NANSEN_NONNULL(3);

/** The number of languages of the vocabulary, and the two-letter tag of
 *  the index-th (English first); NULL past the end. Every language has
 *  labels and a consent notice template. */
NANSEN_API size_t nansen_vocab_language_count(void);
NANSEN_API const char *nansen_vocab_language(size_t index);

/** The id of a code.
 *
 *  Returns: a static string, or NULL for an unknown kind or code.
 */
NANSEN_API const char *nansen_vocab_id(nansen_vocab_kind kind, uint32_t code);

/** The label of a code in a language, with English fallback.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_INVALID_ARG (unknown kind or code, NULL
 *           lang or label).
 *  Out:     label:     the static label; NULL on failure.
 *           lang_used: if not NULL, the static two-letter tag of the language
 *                      of *label ("en" after a fallback); NULL on failure.
 *  In:      kind, code: the entry.
 *           lang:      a BCP 47 tag; "" or an unknown language gives
 *                      English.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_vocab_label(
    nansen_vocab_kind kind, uint32_t code, const char *lang,
    const char **label, const char **lang_used) NANSEN_NONNULL(3, 4);

/** Whether the label nansen_vocab_label gives for (kind, code, lang) is a
 *  translation still waiting for a native speaker's review.
 *
 *  Returns: 1 if marked for review, 0 if not (English is never marked),
 *           -1 for an unknown kind or code or a NULL lang.
 */
NANSEN_API int nansen_vocab_needs_review(nansen_vocab_kind kind,
                                         uint32_t code, const char *lang);

/** Whether text Nansen gives for lang (labels after fallback, notices) is
 *  right-to-left: 1 for Arabic and Dari/Farsi, 0 otherwise (also for
 *  right-to-left languages the vocabulary does not have, as their labels
 *  fall back to English, and for NULL).
 */
NANSEN_API int nansen_vocab_is_rtl(const char *lang);

/** The fields a consent notice is rendered from; all borrowed. */
typedef struct nansen_notice_fields {
    const char *lang;             /* BCP 47 tag of a vocabulary language */
    const char *clinic;           /* the clinic's name, UTF-8, non-empty */
    const char *issuer;           /* the referring organisation, UTF-8 */
    uint32_t purpose;             /* NANSEN_VOCAB_PURPOSE code */
    const uint32_t *categories;   /* NANSEN_VOCAB_CATEGORY codes, listed */
    size_t category_count;        /* in this order; 1..64, no repeats */
    int64_t from, until;          /* unix seconds UTC, years 1970..9999;
                                     shown as YYYY-MM-DD; from <= until */
} nansen_notice_fields;

/** Render the consent notice shown to the holder before a grant is signed,
 *  by the algorithm of spec/vocab/README.md: the same fields give the same
 *  bytes everywhere.
 *
 *  Returns: NANSEN_OK, or NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds
 *           the size needed), or NANSEN_ERR_INVALID_ARG (NULL pointers,
 *           a language without a notice template, unknown or repeated
 *           codes, empty or invalid UTF-8 or control characters in clinic
 *           or issuer, dates out of range, until < from).
 *  Out:     out:     buffer for the UTF-8 text and a terminating NUL, or
 *                    NULL to ask for the size.
 *  In/Out:  out_len: in: capacity of out; out: bytes written or needed,
 *                    including the NUL.
 *  In:      f:       the fields.
 *
 *  On other failures out (if given) holds an empty string and *out_len is
 *  0. Whether the notice translation awaits review: see
 *  nansen_notice_needs_review.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_notice_render(
    char *out, size_t *out_len, const nansen_notice_fields *f)
    NANSEN_NONNULL(2, 3);

/** SHA-256 of the rendered notice (its UTF-8 bytes without the NUL): the
 *  value a consent grant records. Needs no buffer.
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (as nansen_notice_render).
 *  Out:     out: 32 bytes; zeroed on failure.
 *  In:      f:   the fields.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_notice_digest(
    uint8_t out[32], const nansen_notice_fields *f) NANSEN_NONNULL(1, 2);

/** Whether the notice template for lang awaits a native speaker's review.
 *
 *  Returns: 1 or 0; -1 for a language without a template or NULL.
 */
NANSEN_API int nansen_notice_needs_review(const char *lang);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_VOCAB_H */
