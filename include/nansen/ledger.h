/* nansen/ledger.h - the holder's consent ledger: an append-only,
 * hash-chained record of every grant given and every withdrawal made.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The wallet keeps one ledger. Each entry records one act of the holder -
 * a consent grant given (what it says: audience, purpose, data categories,
 * validity window and the grant's digest) or a withdrawal made (which
 * grant, when) - with a sequence number, the time it was recorded and the
 * hash of the entry before it. The hash of the last entry and the number
 * of entries form the head. Decoding recomputes every hash: removing,
 * reordering, inserting, duplicating or altering any entry, or cutting
 * entries off the end, gives NANSEN_ERR_CHAIN_BROKEN.
 *
 * What the chain cannot do: whoever can write the wallet (holds its key)
 * can rewrite the whole chain consistently. Noting the head hash and count
 * elsewhere (a caseworker's file, a printed card) anchors it: a ledger
 * whose entry at that count no longer has that hash was rewritten or cut
 * short (nansen_ledger_check_anchor). The ledger records; it
 * does not verify grants or withdrawals (the wallet made them itself).
 *
 * The ledger lists, in the holder's language, who may see what and until
 * when (nansen_ledger_render). spec/ledger.md is normative.
 *
 * A ledger is not thread-safe: append from one thread at a time; reading
 * functions only read.
 */
#ifndef NANSEN_LEDGER_H
#define NANSEN_LEDGER_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most entries one ledger holds. */
#define NANSEN_LEDGER_MAX_ENTRIES 65536
/** Longest encoded entry (a grant with the longest audience, audience
 *  name and category list; see spec/ledger.md). */
#define NANSEN_LEDGER_ENTRY_MAX_BYTES 640
/** Longest encoded ledger: the frame and head, and every entry. */
#define NANSEN_LEDGER_MAX_BYTES                                             \
    (64 + (size_t)NANSEN_LEDGER_MAX_ENTRIES * NANSEN_LEDGER_ENTRY_MAX_BYTES)
/** The size of an entry hash and of the head hash (SHA-256). */
#define NANSEN_LEDGER_HASH_BYTES 32

NANSEN_API size_t nansen_ledger_max_entries(void);
NANSEN_API size_t nansen_ledger_entry_max_bytes(void);
NANSEN_API size_t nansen_ledger_max_bytes(void);
NANSEN_API size_t nansen_ledger_hash_bytes(void);

/** What an entry records. Values are the wire values; never renumbered.
 *  Values 3 and up are reserved (attendance receipts); a ledger holding
 *  one decodes as NANSEN_ERR_UNSUPPORTED_VERSION here. */
typedef enum nansen_ledger_kind {
    NANSEN_LEDGER_GRANT      = 1,   /* the holder gave a consent grant */
    NANSEN_LEDGER_WITHDRAWAL = 2    /* the holder withdrew a grant */
} nansen_ledger_kind;

/** The state of a grant at a time (nansen_ledger_grant_state). */
typedef enum nansen_ledger_state {
    NANSEN_LEDGER_UNRECORDED = 0,   /* no entry names this digest */
    NANSEN_LEDGER_ACTIVE     = 1,   /* from <= now < until, not withdrawn */
    NANSEN_LEDGER_NOT_YET    = 2,   /* now < from, not withdrawn */
    NANSEN_LEDGER_EXPIRED    = 3,   /* now >= until, not withdrawn */
    NANSEN_LEDGER_WITHDRAWN  = 4    /* a withdrawal of it is recorded */
} nansen_ledger_state;

typedef struct nansen_ledger nansen_ledger;   /* opaque */

/** Create an empty ledger.
 *
 *  ctx is used to decode the grants and withdrawals appended; it must
 *  outlive the ledger.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG, NANSEN_ERR_NOMEM.
 *  Out:     out: the ledger, freed with nansen_ledger_free; NULL on
 *                failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_create(
    nansen_ctx *ctx, nansen_ledger **out) NANSEN_NONNULL(1, 2);

/** Free a ledger (NULL is a no-op). */
NANSEN_API void nansen_ledger_free(nansen_ledger *ledger);

/** Record a consent grant the holder gave.
 *
 *  The grant is decoded with nansen_grant_decode (nothing is verified:
 *  the wallet records what it signed); the entry keeps its digest (the
 *  SHA-256 of exactly these bytes), audience, audience name (if any),
 *  purpose, data categories in grant order, and window [nbf, exp).
 *  Recording a grant whose digest is already recorded changes nothing and
 *  returns NANSEN_OK (count and head unchanged), so a retry is harmless.
 *
 *  Returns: NANSEN_OK; the errors of nansen_grant_decode;
 *           NANSEN_ERR_OUT_OF_RANGE (a grant time past 9999-12-31, which
 *           the ledger cannot show as a date);
 *           NANSEN_ERR_CBOR_TOO_LARGE (the ledger already holds
 *           NANSEN_LEDGER_MAX_ENTRIES); NANSEN_ERR_INVALID_ARG (NULL
 *           arguments, at <= 0 or past 9999-12-31T23:59:59Z);
 *           NANSEN_ERR_NOMEM. On failure the ledger is unchanged.
 *  In:      grant, grant_len: the encoded grant, as signed.
 *           at: when it is recorded, unix seconds (the caller's clock;
 *               not required to grow from entry to entry).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_append_grant(
    nansen_ledger *ledger, const uint8_t *grant, size_t grant_len,
    int64_t at) NANSEN_NONNULL(1, 2);

/** Record a withdrawal the holder made.
 *
 *  The withdrawal is decoded with nansen_withdrawal_decode and its
 *  signature is checked with the key it carries (as a withdrawal store
 *  does); the entry keeps the withdrawn grant's digest and the withdrawal
 *  time (its iat).
 *
 *  A withdrawal naming a grant that is not recorded in this ledger is
 *  ACCEPTED and marked (nansen_ledger_entry.grant_recorded == 0): the
 *  holder's withdrawal must never be lost, and a ledger started after
 *  some grants were given, or restored from an older backup, lacks them.
 *  Such a withdrawal makes that digest NANSEN_LEDGER_WITHDRAWN, and
 *  nansen_ledger_render does not list it (it cannot say who or what).
 *  The ledger does not check that the withdrawal was signed by the
 *  grant's holder: nansen_withdrawal_verify, with the grant, does.
 *  A withdrawal already recorded (same grant digest and same time)
 *  changes nothing and returns NANSEN_OK.
 *
 *  Returns: NANSEN_OK; the errors of nansen_withdrawal_decode;
 *           NANSEN_ERR_UNSUPPORTED_ALG, NANSEN_ERR_ALG_MISMATCH,
 *           NANSEN_ERR_BAD_SIGNATURE (not signed by the key it carries);
 *           NANSEN_ERR_OUT_OF_RANGE (withdrawal time past 9999-12-31);
 *           NANSEN_ERR_CBOR_TOO_LARGE (ledger full);
 *           NANSEN_ERR_INVALID_ARG (as nansen_ledger_append_grant);
 *           NANSEN_ERR_NOMEM. On failure the ledger is unchanged.
 *  In:      withdrawal, len: the encoded withdrawal, as signed.
 *           at: when it is recorded, as for nansen_ledger_append_grant.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err
nansen_ledger_append_withdrawal(nansen_ledger *ledger,
                                const uint8_t *withdrawal, size_t len,
                                int64_t at) NANSEN_NONNULL(1, 2);

/** Number of entries (0 for NULL). */
NANSEN_API size_t nansen_ledger_count(const nansen_ledger *ledger);

/** One entry. Pointers are owned by the ledger and valid while it lives
 *  and is not appended to. */
typedef struct nansen_ledger_entry {
    uint64_t seq;                 /* its index: 0, 1, 2, ... */
    nansen_ledger_kind kind;
    int64_t at;                   /* when recorded, unix seconds */
    uint8_t prev[NANSEN_LEDGER_HASH_BYTES];   /* previous entry's hash;
                                                 zeros for the first */
    uint8_t grant_digest[NANSEN_LEDGER_HASH_BYTES]; /* the grant (given or
                                                       withdrawn) */
    /* grant entries only (NULL / 0 for a withdrawal): */
    const char *audience;         /* did:key or "kid:<hex>", NUL-terminated */
    const char *audience_name;    /* or NULL when the grant has none */
    uint32_t purpose;             /* NANSEN_VOCAB_PURPOSE code */
    const uint32_t *categories;   /* NANSEN_VOCAB_CATEGORY codes, grant */
    size_t category_count;        /* order, 1..NANSEN_GRANT_MAX_CATEGORIES */
    int64_t from, until;          /* validity [nbf, exp) */
    /* withdrawal entries only (0 for a grant): */
    int64_t withdrawn_at;         /* the withdrawal's time (iat) */
    int grant_recorded;           /* 1 if the grant is recorded in an
                                     earlier entry, 0 if not */
    uint8_t hash[NANSEN_LEDGER_HASH_BYTES];   /* this entry's hash */
} nansen_ledger_entry;

/** Read entry i (0 <= i < count).
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (NULL, i out of range;
 *           then *out is zeroed).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_entry_get(
    const nansen_ledger *ledger, size_t i, nansen_ledger_entry *out)
    NANSEN_NONNULL(1, 3);

/** The head: the hash of the last entry (32 zero bytes for an empty
 *  ledger) and the number of entries. Changes with every append; a
 *  caseworker may note it as an anchor (spec/ledger.md).
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG.
 *  Out:     hash:  NANSEN_LEDGER_HASH_BYTES.
 *           count: the number of entries (may be NULL).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_head(
    const nansen_ledger *ledger, uint8_t *hash, uint64_t *count)
    NANSEN_NONNULL(1, 2);

/** Encode the ledger (spec/ledger.md), for the wallet to keep (the wallet
 *  encrypts it). One ledger has exactly one encoding.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG.
 *  Out:     out: buffer or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 *
 *  On other failures out is zeroed and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_encode(
    uint8_t *out, size_t *out_len, const nansen_ledger *ledger)
    NANSEN_NONNULL(2, 3);

/** Decode a ledger and check it whole: the structure, then every entry's
 *  sequence number, previous hash and hash, and the head. Re-encoding a
 *  decoded ledger gives the input back, byte for byte.
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_CHAIN_BROKEN (an entry removed, reordered,
 *           inserted, duplicated or altered; the head's count or hash not
 *           the chain's);
 *           NANSEN_ERR_UNSUPPORTED_VERSION (another format version, an
 *           entry kind or key this version does not know);
 *           NANSEN_ERR_MALFORMED (not a ledger, a field missing or of the
 *           wrong type or out of its range, a grant recorded twice, a
 *           withdrawal recorded twice);
 *           the CBOR errors (NANSEN_ERR_TRUNCATED,
 *           NANSEN_ERR_TRAILING_DATA, NANSEN_ERR_CBOR_NOT_DETERMINISTIC,
 *           NANSEN_ERR_CBOR_DUPLICATE_KEY, NANSEN_ERR_CBOR_INDEFINITE,
 *           ...); NANSEN_ERR_CBOR_TOO_LARGE (input past
 *           NANSEN_LEDGER_MAX_BYTES, more than NANSEN_LEDGER_MAX_ENTRIES
 *           entries, an entry past NANSEN_LEDGER_ENTRY_MAX_BYTES);
 *           NANSEN_ERR_INVALID_ARG; NANSEN_ERR_NOMEM.
 *  Out:     out: the ledger (using ctx, as nansen_ledger_create), freed
 *                with nansen_ledger_free; NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_decode(
    nansen_ctx *ctx, nansen_ledger **out, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1, 2, 3);

/** The state of a grant at a time.
 *
 *  A recorded withdrawal makes the grant NANSEN_LEDGER_WITHDRAWN whatever
 *  its time (as for a verifier that has seen it); otherwise the grant's
 *  window decides: NOT_YET before from, ACTIVE in [from, until), EXPIRED
 *  from until on. A digest with no entry is NANSEN_LEDGER_UNRECORDED.
 *
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (then *state is
 *           NANSEN_LEDGER_UNRECORDED).
 *  Out:     state:  a nansen_ledger_state value. The time of the
 *                   withdrawal is in its entry (nansen_ledger_entry_get).
 *  In:      digest: NANSEN_LEDGER_HASH_BYTES, the grant's SHA-256.
 *           now:    unix seconds.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_grant_state(
    const nansen_ledger *ledger, const uint8_t *digest, int64_t now,
    int *state) NANSEN_NONNULL(1, 2, 4);

/** Check the ledger against an anchor: a head (hash and count) noted
 *  earlier, outside the wallet. The chain alone cannot show that entries
 *  were cut off the end and the head recomputed (that ledger is exactly
 *  the earlier one); an anchor can: this ledger must hold at least count
 *  entries, and entry count - 1 must have that hash (count 0: the hash is
 *  32 zero bytes).
 *
 *  Returns: NANSEN_OK (the anchored ledger is a prefix of this one),
 *           NANSEN_ERR_CHAIN_BROKEN (it is not: entries were removed or
 *           rewritten since the anchor was noted), NANSEN_ERR_INVALID_ARG.
 *  In:      hash:  NANSEN_LEDGER_HASH_BYTES, as nansen_ledger_head gave.
 *           count: the count nansen_ledger_head gave with it.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_check_anchor(
    const nansen_ledger *ledger, const uint8_t *hash, uint64_t count)
    NANSEN_NONNULL(1, 2);

/** List the grants in the holder's language: one block per recorded
 *  grant, in the order given, each of five lines - who (the audience name,
 *  else the audience), the purpose, the data categories, the validity
 *  dates, and the state at now (active, not yet valid, expired, withdrawn
 *  on DATE) - with an empty line between blocks. Labels come from the
 *  vocabulary (nansen_vocab_label, English fallback); an unknown code
 *  shows as "#<code>". Dates are UTC YYYY-MM-DD computed arithmetically,
 *  so the text never depends on locale or TZ. In right-to-left languages
 *  the audience and the dates sit between U+2068 FIRST STRONG ISOLATE and
 *  U+2069 POP DIRECTIONAL ISOLATE, as in the consent notice. Withdrawals
 *  of unrecorded grants are not listed. An empty ledger gives "".
 *  The exact text is in spec/ledger.md.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL),
 *           NANSEN_ERR_BUFFER_TOO_SMALL (then *out_len holds the size
 *           needed, with the NUL), NANSEN_ERR_INVALID_ARG.
 *  Out:     out: UTF-8 text with a NUL, or NULL for the size.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed, with the
 *                    NUL.
 *  In:      lang: a BCP 47 tag ("" or unknown: English).
 *           now:  unix seconds, for the states.
 *
 *  On other failures out (if given) holds "" and *out_len is 0.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_ledger_render(
    char *out, size_t *out_len, const nansen_ledger *ledger,
    const char *lang, int64_t now) NANSEN_NONNULL(2, 3, 4);

/** Whether the frame words of nansen_ledger_render for lang ("Purpose:",
 *  "withdrawn on", ...) are a translation awaiting a native speaker's
 *  review: 1 for every language but English (after fallback), 0 for
 *  English, -1 for NULL. */
NANSEN_API int nansen_ledger_render_needs_review(const char *lang);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_LEDGER_H */
