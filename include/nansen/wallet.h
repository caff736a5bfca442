/* nansen/wallet.h - the migrant's wallet: an encrypted, crash-safe file
 * holding their keys, the referrals they received, the grants they gave,
 * the withdrawals they made and their receipts, with the consent ledger
 * (nansen/ledger.h) and k-of-n recovery (nansen/recovery.h).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The file format is spec/wallet.md. In short: a fixed header (magic,
 * version, Argon2id parameters and salt, the wallet id), the wallet's
 * random 32-byte data key sealed with a key derived from the passphrase
 * (crypto_pwhash Argon2id, XChaCha20-Poly1305), the contents sealed with
 * the data key (XChaCha20-Poly1305, a fresh nonce on every save), and a
 * BLAKE2b checksum of everything before it. The header is authenticated
 * with both seals.
 *
 * The data key never changes: a passphrase change seals the same data key
 * under the new passphrase, so recovery shares made before stay valid.
 *
 * Opening reads only; it never writes the file. Saving writes a temporary
 * file beside it, fsyncs it, renames it over the old one and fsyncs the
 * directory: a crash, a killed process or a power cut leaves the old
 * wallet or the new one, never a broken one.
 *
 * A wallet object holds the data key and the key derived from the
 * passphrase (both in sodium_malloc memory, wiped on free), so saving
 * needs no passphrase and runs no key derivation. Secret keys it holds
 * are guarded as nansen_key keys are. A wallet is used from one thread at
 * a time.
 */
#ifndef NANSEN_WALLET_H
#define NANSEN_WALLET_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/ledger.h"
#include "nansen/recovery.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The format version this library reads and writes. */
#define NANSEN_WALLET_VERSION 1
/** The random id of a wallet: stable for its life, named by its shares. */
#define NANSEN_WALLET_ID_BYTES 16
/** The fixed header, and the smallest possible file (an empty seal). */
#define NANSEN_WALLET_HEADER_BYTES 168
#define NANSEN_WALLET_MIN_BYTES (NANSEN_WALLET_HEADER_BYTES + 16 + 32)
/** Largest wallet file written or read: 16 MiB. */
#define NANSEN_WALLET_MAX_BYTES (16u << 20)
/** Longest passphrase, in bytes (any bytes; UTF-8 is expected). */
#define NANSEN_WALLET_PASSPHRASE_MAX_BYTES 1024
/** Most keys, and most items of each kind, in one wallet. */
#define NANSEN_WALLET_MAX_KEYS 64
#define NANSEN_WALLET_MAX_ITEMS 4096
/** Longest key label, in bytes of UTF-8. */
#define NANSEN_WALLET_LABEL_MAX_BYTES 128

/** The constants above, for bindings. */
NANSEN_API size_t nansen_wallet_header_bytes(void);
NANSEN_API size_t nansen_wallet_max_bytes(void);
NANSEN_API size_t nansen_wallet_passphrase_max_bytes(void);

/** Argon2id cost. A file names its own cost; these limits bound what is
 *  accepted from a file, so that a hostile file cannot ask for unbounded
 *  memory or time. */
typedef struct nansen_wallet_kdf {
    uint64_t opslimit;      /* passes: NANSEN_WALLET_OPSLIMIT_MIN..MAX */
    uint64_t memlimit;      /* bytes: NANSEN_WALLET_MEMLIMIT_MIN..MAX */
} nansen_wallet_kdf;

#define NANSEN_WALLET_OPSLIMIT_MIN 1u
#define NANSEN_WALLET_OPSLIMIT_MAX 16u
#define NANSEN_WALLET_MEMLIMIT_MIN 8192u              /* libsodium's floor */
#define NANSEN_WALLET_MEMLIMIT_MAX (1024u << 20)      /* 1 GiB */
/** The default (libsodium's INTERACTIVE: 2 passes, 64 MiB, well under a
 *  second on a phone). A stronger cost for a desktop: 3 passes, 256 MiB
 *  (MODERATE). The least cost (1 pass, 8 KiB) is for tests only. */
#define NANSEN_WALLET_OPSLIMIT_DEFAULT 2u
#define NANSEN_WALLET_MEMLIMIT_DEFAULT (64u << 20)

/** What the header says, readable without the passphrase. */
typedef struct nansen_wallet_header {
    unsigned int version;
    nansen_wallet_kdf kdf;
    uint8_t wallet_id[NANSEN_WALLET_ID_BYTES];
    size_t sealed_len;      /* bytes of the sealed contents, tag included */
} nansen_wallet_header;

/** Read and check a wallet file's header and checksum, without the
 *  passphrase (nothing is decrypted). The checks, in this order
 *  (spec/wallet.md, "Opening"):
 *
 *  Returns: NANSEN_OK;
 *           NANSEN_ERR_WRONG_TYPE     not a wallet file (magic);
 *           NANSEN_ERR_TRUNCATED      shorter than its version field, or
 *                                     than the header and checksum, or
 *                                     than its declared length;
 *           NANSEN_ERR_CHECKSUM       damaged: the version field and its
 *                                     complement disagree, or the BLAKE2b
 *                                     checksum does not match;
 *           NANSEN_ERR_UNSUPPORTED_VERSION  an intact file of another
 *                                     (newer) version: nothing else of it
 *                                     is read;
 *           NANSEN_ERR_UNSUPPORTED_ALG another key derivation;
 *           NANSEN_ERR_MALFORMED      reserved bytes not zero;
 *           NANSEN_ERR_OUT_OF_RANGE   Argon2id cost outside the limits;
 *           NANSEN_ERR_BAD_LENGTH     sealed length impossible, or the
 *                                     file longer than it says;
 *           NANSEN_ERR_CBOR_TOO_LARGE longer than NANSEN_WALLET_MAX_BYTES;
 *           NANSEN_ERR_INVALID_ARG.
 *  Out:     header: what the header says (zeroed on failure).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_header_decode(
    nansen_wallet_header *header, const uint8_t *in, size_t in_len)
    NANSEN_NONNULL(1);

typedef struct nansen_wallet nansen_wallet;   /* opaque */

/** Create a new, empty wallet with a fresh random data key and id, sealed
 *  under passphrase. Nothing is written: save it.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (passphrase empty or longer
 *           than NANSEN_WALLET_PASSPHRASE_MAX_BYTES, kdf out of range),
 *           NANSEN_ERR_NOMEM (the key derivation's memory too).
 *  Out:     out: the wallet, freed with nansen_wallet_free; NULL on
 *                failure.
 *  In:      passphrase, passphrase_len: the passphrase (copied nowhere;
 *                only the key derived from it is kept).
 *           kdf: the Argon2id cost, or NULL for the default.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_create(
    nansen_ctx *ctx, nansen_wallet **out, const char *passphrase,
    size_t passphrase_len, const nansen_wallet_kdf *kdf)
    NANSEN_NONNULL(1, 2, 3);

/** Free a wallet, wiping its keys and contents. NULL is allowed. */
NANSEN_API void nansen_wallet_free(nansen_wallet *wallet);

/** Open a sealed wallet (the bytes of a wallet file).
 *
 *  Returns: NANSEN_OK; the errors of nansen_wallet_header_decode;
 *           NANSEN_ERR_WRONG_PASSPHRASE (an intact file the passphrase
 *           does not open); NANSEN_ERR_CHECKSUM (the contents do not
 *           authenticate under the data key: altered after sealing);
 *           for contents that authenticate but do not decode (made by a
 *           program that holds the data key): CBOR errors,
 *           NANSEN_ERR_MALFORMED, NANSEN_ERR_UNSUPPORTED_VERSION, and the
 *           errors of the decoders of each item and of the ledger
 *           (NANSEN_ERR_CHAIN_BROKEN); NANSEN_ERR_NOMEM;
 *           NANSEN_ERR_INVALID_ARG.
 *  Out:     out: the wallet; NULL on failure.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_open_bytes(
    nansen_ctx *ctx, nansen_wallet **out, const uint8_t *in, size_t in_len,
    const char *passphrase, size_t passphrase_len)
    NANSEN_NONNULL(1, 2, 3, 5);

/** nansen_wallet_open_bytes on a file. The file is only read.
 *  Returns: as nansen_wallet_open_bytes; NANSEN_ERR_NOT_FOUND,
 *           NANSEN_ERR_PERMISSION, NANSEN_ERR_IO. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_open(
    nansen_ctx *ctx, nansen_wallet **out, const char *path,
    const char *passphrase, size_t passphrase_len)
    NANSEN_NONNULL(1, 2, 3, 4);

/** Seal the wallet into wallet-file bytes (an export or backup copy):
 *  the current contents, a fresh nonce.
 *
 *  Returns: NANSEN_OK (also for a size query, out == NULL: the size is
 *           exact), NANSEN_ERR_BUFFER_TOO_SMALL (*out_len holds the size
 *           needed), NANSEN_ERR_INVALID_ARG (a recovered wallet that has
 *           no passphrase yet: nansen_wallet_set_passphrase),
 *           NANSEN_ERR_CBOR_TOO_LARGE (over NANSEN_WALLET_MAX_BYTES),
 *           NANSEN_ERR_NOMEM.
 *  Out:     out: buffer or NULL.
 *  In/Out:  out_len: in: capacity; out: bytes written or needed.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_seal(
    uint8_t *out, size_t *out_len, const nansen_wallet *wallet)
    NANSEN_NONNULL(2, 3);

/** Save the wallet to path atomically (mode 0600): temporary file, fsync,
 *  rename, fsync of the directory.
 *
 *  Returns: NANSEN_OK; the errors of nansen_wallet_seal; NANSEN_ERR_EXISTS
 *           (path exists and flags lacks NANSEN_SAVE_OVERWRITE),
 *           NANSEN_ERR_NOT_FOUND (no such directory),
 *           NANSEN_ERR_PERMISSION, NANSEN_ERR_IO.
 *  In:      flags: 0 or NANSEN_SAVE_OVERWRITE.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_save(
    const nansen_wallet *wallet, const char *path, unsigned int flags)
    NANSEN_NONNULL(1, 2);

/** Seal the data key under a new passphrase (new salt), with kdf or the
 *  wallet's current cost (NULL). The change is in memory until the next
 *  save, which replaces the file atomically: at every moment the file
 *  opens with the old passphrase or with the new one.
 *
 *  Returns: NANSEN_OK, NANSEN_ERR_INVALID_ARG (as nansen_wallet_create),
 *           NANSEN_ERR_NOMEM. On failure nothing changes: the wallet
 *           keeps its passphrase and cost.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_set_passphrase(
    nansen_wallet *wallet, const char *passphrase, size_t passphrase_len,
    const nansen_wallet_kdf *kdf) NANSEN_NONNULL(1, 2);

/** What a wallet holds. */
typedef enum nansen_wallet_kind {
    NANSEN_WALLET_CREDENTIAL = 1,   /* a referral received (SD-CWT) */
    NANSEN_WALLET_GRANT      = 2,   /* a consent grant given */
    NANSEN_WALLET_WITHDRAWAL = 3,   /* a withdrawal made */
    NANSEN_WALLET_RECEIPT    = 4    /* a signed receipt (COSE_Sign1) */
} nansen_wallet_kind;
#define NANSEN_WALLET_KIND_FIRST 1
#define NANSEN_WALLET_KIND_LAST  4

typedef struct nansen_wallet_info {
    uint8_t wallet_id[NANSEN_WALLET_ID_BYTES];
    nansen_wallet_kdf kdf;
    int has_passphrase;     /* 0: recovered, set a passphrase to save */
    size_t keys;
    size_t items[NANSEN_WALLET_KIND_LAST + 1];   /* by kind; [0] unused */
    size_t ledger_entries;
} nansen_wallet_info;

/** What the wallet holds: its id and cost, whether it has a passphrase,
 *  and how many keys, items of each kind and ledger entries.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (then *info is zeroed).
 *  Out:     info: filled in; it owns nothing. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_get_info(
    const nansen_wallet *wallet, nansen_wallet_info *info)
    NANSEN_NONNULL(1, 2);

/* ---- keys ---- */

/** Add a copy of a secret key (its public part is not enough: a wallet
 *  holds the holder's own keys).
 *  Returns: NANSEN_OK, NANSEN_ERR_NO_SECRET_KEY, NANSEN_ERR_EXISTS (the
 *           same key is held), NANSEN_ERR_INVALID_ARG (label empty, too
 *           long or not UTF-8; NANSEN_WALLET_MAX_KEYS keys held),
 *           NANSEN_ERR_NOMEM.
 *  In:      label: NUL-terminated name for the person ("phone 2026").
 *           created: when it was made (unix seconds).
 *  Out:     index: where it is, or NULL. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_key_add(
    nansen_wallet *wallet, const nansen_key *key, const char *label,
    int64_t created, size_t *index) NANSEN_NONNULL(1, 2, 3);

/** Generate a new key of type into the wallet; as nansen_wallet_key_add. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_key_generate(
    nansen_wallet *wallet, nansen_key_type type, const char *label,
    int64_t created, size_t *index) NANSEN_NONNULL(1, 3);

/** How many keys the wallet holds (0 for NULL). */
NANSEN_API size_t nansen_wallet_key_count(const nansen_wallet *wallet)
    NANSEN_NONNULL(1);

/** Key i (oldest first). key and label are borrowed from the wallet and
 *  valid until it changes its keys or is freed.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG (i out of range). */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_key_get(
    const nansen_wallet *wallet, size_t i, const nansen_key **key,
    const char **label, int64_t *created) NANSEN_NONNULL(1, 3);

/** The index of the held key with this public key (or a secret key's
 *  public part). Returns NANSEN_OK or NANSEN_ERR_NOT_FOUND. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_key_find(
    const nansen_wallet *wallet, const nansen_key *key, size_t *index)
    NANSEN_NONNULL(1, 2, 3);

/** Remove key i (its secret is wiped). Returns NANSEN_OK or
 *  NANSEN_ERR_INVALID_ARG. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_key_remove(
    nansen_wallet *wallet, size_t i) NANSEN_NONNULL(1);

/* ---- items ---- */

/** Add an item, checked by its decoder (nansen_credential_decode,
 *  nansen_grant_decode, nansen_withdrawal_decode, nansen_cose_sign1_parse
 *  with the tag for a receipt). A grant or a withdrawal is also appended
 *  to the ledger, recorded at time at; nothing changes if either fails.
 *
 *  Returns: NANSEN_OK; NANSEN_ERR_EXISTS (the same bytes are held);
 *           the decoder's errors; the ledger's
 *           (nansen_ledger_append_grant, _append_withdrawal);
 *           NANSEN_ERR_INVALID_ARG (kind unknown, NANSEN_WALLET_MAX_ITEMS
 *           held); NANSEN_ERR_NOMEM.
 *  In:      at: unix seconds, for the ledger (grants and withdrawals).
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_add(
    nansen_wallet *wallet, nansen_wallet_kind kind, const uint8_t *item,
    size_t item_len, int64_t at) NANSEN_NONNULL(1, 3);

/** How many items of a kind the wallet holds (0 for NULL or an unknown
 *  kind). */
NANSEN_API size_t nansen_wallet_count(const nansen_wallet *wallet,
                                      nansen_wallet_kind kind)
    NANSEN_NONNULL(1);

/** Item i of a kind (in the order added). The bytes are borrowed from the
 *  wallet, valid until it changes that kind or is freed.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_get(
    const nansen_wallet *wallet, nansen_wallet_kind kind, size_t i,
    const uint8_t **item, size_t *item_len) NANSEN_NONNULL(1, 4, 5);

/** Remove item i of a kind. The ledger keeps its entries: it is the
 *  record of what was done, and only grows.
 *  Returns: NANSEN_OK or NANSEN_ERR_INVALID_ARG. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_remove(
    nansen_wallet *wallet, nansen_wallet_kind kind, size_t i)
    NANSEN_NONNULL(1);

/** The consent ledger (nansen/ledger.h), borrowed from the wallet. */
NANSEN_API const nansen_ledger *nansen_wallet_ledger(
    const nansen_wallet *wallet) NANSEN_NONNULL(1);

/* ---- recovery ---- */

/** Split the wallet's data key into n shares, any k of which recover it
 *  (nansen_recovery_split with the wallet's id). Together with a sealed
 *  copy of the wallet (nansen_wallet_seal, a file), k shares open it
 *  without the passphrase.
 *  Returns: the errors of nansen_recovery_split.
 *  Out:     out: the shares, freed with nansen_share_set_free. */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_split(
    const nansen_wallet *wallet, nansen_share_set **out, unsigned int k,
    unsigned int n, int64_t created) NANSEN_NONNULL(1, 2);

/** Open a sealed wallet with recovery shares instead of the passphrase.
 *  The wallet has no passphrase: set one (nansen_wallet_set_passphrase)
 *  before sealing or saving it.
 *
 *  Returns: NANSEN_OK; the errors of nansen_wallet_header_decode; the
 *           errors of nansen_recovery_combine (NANSEN_ERR_NOT_ENOUGH_SHARES,
 *           NANSEN_ERR_SHARE_MISMATCH, ...); NANSEN_ERR_SHARE_MISMATCH
 *           (shares of another wallet, or a key that does not open this
 *           file); then as nansen_wallet_open_bytes.
 *  In:      shares, share_lens, count: the encoded shares.
 */
NANSEN_API NANSEN_WARN_UNUSED_RESULT nansen_err nansen_wallet_recover(
    nansen_ctx *ctx, nansen_wallet **out, const uint8_t *in, size_t in_len,
    const uint8_t *const *shares, const size_t *share_lens, size_t count)
    NANSEN_NONNULL(1, 2, 3, 5, 6);

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_WALLET_H */
