# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""The migrant's wallet, its consent ledger, k-of-n recovery and key
rotation (include/nansen/wallet.h, ledger.h, recovery.h; spec/wallet.md,
spec/ledger.md, spec/recovery.md).

    w = Wallet.create("correct horse", kdf="interactive")
    i = w.generate_key("ed25519", "phone 2026", created=now)
    w.add("referral", referral, at=now)
    w.add("grant", grant, at=now)         # also recorded in the ledger
    w.save("migrant.wallet")
    w = Wallet.open("migrant.wallet", "correct horse")
    print(w.ledger_text("ti", now=now))

    shares = w.split(2, 3, created=now)   # give one to each guardian
    backup = w.seal()                     # a sealed copy, kept anywhere
    w2 = Wallet.recover(backup, shares[:2])
    w2.set_passphrase("new passphrase")   # before saving a recovered one

A Wallet holds the data key and the key derived from the passphrase in
the C library's guarded memory; close() (or a with block, or garbage
collection) wipes them. Passphrases are copied into a ctypes buffer for
the call and wiped after it; the binding keeps no copy. Bytes returned to
Python (items, shares, sealed copies) are ordinary bytes objects, which
Python cannot wipe: keep shares out of long-lived objects.

Keys listed by keys() are verification-only copies: the wallet's secrets
never leave the C library through this binding.
"""

import ctypes
import dataclasses
import os
from typing import NamedTuple, Optional, Tuple

from . import _lib, vocab
from ._lib import Owned, context, lib, text
from .errors import CallerError, check
from .keys import Key, _alg_number, as_key
from .referral import _now

KDF = {
    "interactive": (2, 64 << 20),
    "moderate": (3, 256 << 20),
    "sensitive": (4, 1024 << 20),
    "minimal": (1, 8192),            # for tests only
}

KINDS = {"referral": 1, "grant": 2, "withdrawal": 3, "receipt": 4}
KIND_NAMES = {v: k for k, v in KINDS.items()}

LEDGER_KINDS = {1: "grant", 2: "withdrawal"}
GRANT_STATES = {0: "unrecorded", 1: "active", 2: "not_yet", 3: "expired",
                4: "withdrawn"}


def _kdf(kdf):
    """A WalletKdf (or None for the library's default) from a name or an
    (opslimit, memlimit) pair."""
    if kdf is None:
        return None
    if isinstance(kdf, str):
        if kdf not in KDF:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Wallet",
                              "unknown kdf %r (%s)"
                              % (kdf, ", ".join(sorted(KDF))))
        kdf = KDF[kdf]
    try:
        ops, mem = kdf
        return _lib.WalletKdf(int(ops), int(mem))
    except (TypeError, ValueError) as e:
        raise TypeError("kdf must be a name or an (opslimit, memlimit) "
                        "pair, not %r" % (kdf,)) from e


class _Secret:
    """A passphrase (str as UTF-8, or bytes) in a ctypes buffer, wiped on
    leaving the with block."""

    def __init__(self, passphrase):
        if isinstance(passphrase, str):
            passphrase = passphrase.encode("utf-8")
        elif not isinstance(passphrase, (bytes, bytearray, memoryview)):
            raise TypeError("a passphrase is a str or bytes, not %s"
                            % type(passphrase).__name__)
        self.len = len(passphrase)
        self.buf = ctypes.create_string_buffer(bytes(passphrase),
                                               self.len + 1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        ctypes.memset(self.buf, 0, len(self.buf))
        return False


def _label(label):
    if not isinstance(label, str):
        raise TypeError("a key label is a str, not %s"
                        % type(label).__name__)
    return label.encode("utf-8")


def _key(name, key):
    if not isinstance(key, Key):
        raise TypeError("%s must be a nansen.Key, not %s"
                        % (name, type(key).__name__))
    return key


def _kind(kind):
    if isinstance(kind, str) and kind in KINDS:
        return KINDS[kind]
    if isinstance(kind, str) and kind == "credential":
        return KINDS["referral"]
    if isinstance(kind, int) and not isinstance(kind, bool) and \
            kind in KIND_NAMES:
        return kind
    raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Wallet",
                      "unknown item kind %r (%s)"
                      % (kind, ", ".join(KINDS)))


def _share_arrays(shares):
    shares = [bytes(s) for s in shares]
    n = max(len(shares), 1)
    ptrs = (ctypes.c_void_p * n)()
    lens = (ctypes.c_size_t * n)()
    bufs = []
    for i, s in enumerate(shares):
        b = ctypes.create_string_buffer(s, max(len(s), 1))
        bufs.append(b)
        ptrs[i] = ctypes.cast(b, ctypes.c_void_p)
        lens[i] = len(s)
    return ptrs, lens, len(shares), bufs


def _wipe(bufs):
    for b in bufs:
        ctypes.memset(b, 0, len(b))


@dataclasses.dataclass(frozen=True)
class WalletHeader:
    """What a wallet file's header says, read without the passphrase."""
    version: int
    opslimit: int
    memlimit: int
    wallet_id: bytes       # NANSEN_WALLET_ID_BYTES
    sealed_len: int        # bytes of the sealed contents, tag included


@dataclasses.dataclass(frozen=True)
class WalletInfo:
    """What a wallet holds (counts), its id and Argon2id cost."""
    wallet_id: bytes
    opslimit: int
    memlimit: int
    has_passphrase: bool   # False: recovered; set a passphrase to save
    keys: int
    referrals: int
    grants: int
    withdrawals: int
    receipts: int
    ledger_entries: int


@dataclasses.dataclass(frozen=True, eq=False)
class WalletKey:
    """A key held by the wallet: a verification-only copy and its label."""
    index: int
    key: Key               # public copy (no secret)
    did: str
    label: str
    created: int           # unix seconds


@dataclasses.dataclass(frozen=True)
class LedgerEntry:
    """One entry of the consent ledger (struct nansen_ledger_entry)."""
    seq: int
    kind: str              # "grant" or "withdrawal"
    at: int                # when recorded, unix seconds
    prev: bytes            # the previous entry's hash (zeros for the first)
    grant_digest: bytes    # SHA-256 of the grant given or withdrawn
    hash: bytes            # this entry's hash
    # grant entries only (None / empty / 0 for a withdrawal):
    audience: Optional[str] = None
    audience_name: Optional[str] = None
    purpose: Optional[str] = None          # purpose id (or code, unknown)
    categories: Tuple[str, ...] = ()       # category ids, grant order
    valid_from: int = 0                    # the grant's window [from,
    valid_until: int = 0                   # until)
    # withdrawal entries only (0 / False for a grant):
    withdrawn_at: int = 0                  # the withdrawal's iat
    grant_recorded: bool = False           # the grant is in an earlier entry


@dataclasses.dataclass(frozen=True)
class ShareInfo:
    """The public parts of a recovery share (nansen_share_decode)."""
    wallet_id: bytes
    split_id: bytes
    k: int
    n: int
    x: int
    created: int


class Rotation(NamedTuple):
    """A verified key-rotation statement."""
    new_key: Key           # the new holder key (verification-only)
    iat: int               # when the key was rotated, unix seconds


def _vocab_id(kind, code):
    ident = vocab.id_of(kind, code)
    return ident if ident is not None else code


def wallet_header(data):
    """Read and check a wallet file's header and checksum (bytes of the
    file) without the passphrase: a WalletHeader. Raises as
    nansen_wallet_header_decode (MalformedError for a damaged file)."""
    data = bytes(data)
    h = _lib.WalletHeader()
    check(lib.nansen_wallet_header_decode(ctypes.byref(h), data, len(data)),
          "nansen_wallet_header_decode")
    return WalletHeader(version=h.version, opslimit=h.kdf.opslimit,
                        memlimit=h.kdf.memlimit,
                        wallet_id=bytes(h.wallet_id),
                        sealed_len=h.sealed_len)


class Wallet(Owned):
    """An open wallet. Make one with Wallet.create(), Wallet.open(),
    Wallet.from_bytes() or Wallet.recover(); the constructor is internal.
    Used from one thread at a time."""

    _free = lib.nansen_wallet_free

    def __init__(self, _ptr, _ctx):
        self._ptr = _ptr
        self._ctx = _ctx     # the context it was made with outlives it

    # ---- opening and creating ----

    @classmethod
    def _make(cls, fn_name, *args):
        ctx = context()
        out = ctypes.c_void_p()
        check(getattr(lib, fn_name)(ctx.ptr, ctypes.byref(out), *args),
              fn_name)
        return cls(out.value, ctx)

    @classmethod
    def create(cls, passphrase, kdf=None):
        """A new, empty wallet sealed under passphrase (str as UTF-8, or
        bytes). kdf: None for the default ("interactive"), a name of KDF
        or an (opslimit, memlimit) pair. Nothing is written: save() it."""
        k = _kdf(kdf)
        with _Secret(passphrase) as p:
            return cls._make("nansen_wallet_create", p.buf, p.len,
                             ctypes.byref(k) if k is not None else None)

    @classmethod
    def from_bytes(cls, data, passphrase):
        """Open a sealed wallet (the bytes of a wallet file). A wrong
        passphrase raises UntrustedError NANSEN_ERR_WRONG_PASSPHRASE; a
        damaged file MalformedError (NANSEN_ERR_CHECKSUM, ...)."""
        data = bytes(data)
        with _Secret(passphrase) as p:
            return cls._make("nansen_wallet_open_bytes", data, len(data),
                             p.buf, p.len)

    @classmethod
    def open(cls, path, passphrase):
        """Open a wallet file (only read, never written); raises as
        from_bytes, and EnvironmentFailure for a missing file."""
        with _Secret(passphrase) as p:
            return cls._make("nansen_wallet_open", os.fsencode(path),
                             p.buf, p.len)

    @classmethod
    def recover(cls, data, shares):
        """Open a sealed wallet (bytes) with k recovery shares instead of
        the passphrase. The wallet has no passphrase: set_passphrase()
        before seal() or save(). Raises CallerError
        NANSEN_ERR_NOT_ENOUGH_SHARES, UntrustedError
        NANSEN_ERR_SHARE_MISMATCH (shares of different splits or of
        another wallet), and as from_bytes."""
        data = bytes(data)
        ptrs, lens, count, bufs = _share_arrays(shares)
        try:
            return cls._make("nansen_wallet_recover", data, len(data), ptrs,
                             lens, count)
        finally:
            _wipe(bufs)

    @property
    def ptr(self):
        """The nansen_wallet * (for the other modules of this package)."""
        if not self._ptr:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Wallet",
                              "the wallet is closed")
        return self._ptr

    # ---- sealing and saving ----

    def seal(self):
        """The wallet-file bytes of the current contents (a fresh nonce):
        an export or a backup copy for recover()."""
        return _lib.fill("nansen_wallet_seal", lambda buf, n:
                         lib.nansen_wallet_seal(buf, n, self.ptr))

    def save(self, path, overwrite=False):
        """Write the wallet file atomically (mode 0600). An existing file
        is kept (EnvironmentFailure NANSEN_ERR_EXISTS) unless overwrite."""
        flags = _lib.SAVE_OVERWRITE if overwrite else 0
        check(lib.nansen_wallet_save(self.ptr, os.fsencode(path), flags),
              "nansen_wallet_save")

    def set_passphrase(self, passphrase, kdf=None):
        """Seal the data key under a new passphrase, with kdf (as create)
        or the current cost (None). In memory until the next save();
        recovery shares made before stay valid."""
        k = _kdf(kdf)
        with _Secret(passphrase) as p:
            check(lib.nansen_wallet_set_passphrase(
                self.ptr, p.buf, p.len,
                ctypes.byref(k) if k is not None else None),
                "nansen_wallet_set_passphrase")

    @property
    def info(self):
        """A WalletInfo: id, cost and counts."""
        i = _lib.WalletInfo()
        check(lib.nansen_wallet_get_info(self.ptr, ctypes.byref(i)),
              "nansen_wallet_get_info")
        return WalletInfo(wallet_id=bytes(i.wallet_id),
                          opslimit=i.kdf.opslimit, memlimit=i.kdf.memlimit,
                          has_passphrase=bool(i.has_passphrase),
                          keys=i.keys, referrals=i.items[1],
                          grants=i.items[2], withdrawals=i.items[3],
                          receipts=i.items[4],
                          ledger_entries=i.ledger_entries)

    @property
    def wallet_id(self):
        """The wallet's 16-byte random id."""
        return self.info.wallet_id

    # ---- keys ----

    def add_key(self, key, label, created):
        """Add a copy of a secret key (a Key that can sign) under label;
        the index. Raises CallerError NANSEN_ERR_NO_SECRET_KEY for a
        public key, EnvironmentFailure NANSEN_ERR_EXISTS if held."""
        key = _key("key", key)
        index = ctypes.c_size_t(0)
        check(lib.nansen_wallet_key_add(self.ptr, key.ptr, _label(label),
                                        int(created),
                                        ctypes.byref(index)),
              "nansen_wallet_key_add")
        return index.value

    def generate_key(self, alg, label, created):
        """Generate a key ("ed25519" or "secp256k1") into the wallet; its
        index. The secret is made and kept in the C library."""
        index = ctypes.c_size_t(0)
        check(lib.nansen_wallet_key_generate(self.ptr, _alg_number(alg),
                                             _label(label),
                                             int(created),
                                             ctypes.byref(index)),
              "nansen_wallet_key_generate")
        return index.value

    def key_count(self):
        """The number of keys held."""
        return lib.nansen_wallet_key_count(self.ptr)

    def key(self, i):
        """Key i (oldest first) as a WalletKey with a verification-only
        copy, so nothing borrowed from the wallet outlives the call."""
        ctx = context()
        borrowed = ctypes.c_void_p()
        label = ctypes.c_char_p()
        created = ctypes.c_int64(0)
        check(lib.nansen_wallet_key_get(self.ptr, int(i),
                                        ctypes.byref(borrowed),
                                        ctypes.byref(label),
                                        ctypes.byref(created)),
              "nansen_wallet_key_get")
        out = ctypes.c_void_p()
        check(lib.nansen_key_public_copy(ctx.ptr, ctypes.byref(out),
                                         borrowed), "nansen_key_public_copy")
        key = Key(out.value, ctx)
        return WalletKey(index=int(i), key=key, did=key.did,
                         label=text(label.value), created=created.value)

    def keys(self):
        """Every key held, oldest first: a list of WalletKey."""
        return [self.key(i) for i in range(self.key_count())]

    def find_key(self, key):
        """The index of the held key with this public key (a Key or a
        did:key), or None."""
        key = as_key(key)
        index = ctypes.c_size_t(0)
        err = lib.nansen_wallet_key_find(self.ptr, key.ptr,
                                         ctypes.byref(index))
        if err == _lib.ERR_NOT_FOUND:
            return None
        check(err, "nansen_wallet_key_find")
        return index.value

    def remove_key(self, i):
        """Remove key i (its secret is wiped)."""
        check(lib.nansen_wallet_key_remove(self.ptr, int(i)),
              "nansen_wallet_key_remove")

    # ---- items ----

    def add(self, kind, data, at):
        """Add an item of kind "referral", "grant", "withdrawal" or
        "receipt", checked by its decoder. A grant or a withdrawal is also
        recorded in the ledger at time at (unix seconds). Raises
        EnvironmentFailure NANSEN_ERR_EXISTS for bytes already held."""
        data = bytes(data)
        check(lib.nansen_wallet_add(self.ptr, _kind(kind), data, len(data),
                                    int(at)), "nansen_wallet_add")

    def count(self, kind):
        """The number of items of a kind."""
        return lib.nansen_wallet_count(self.ptr, _kind(kind))

    def items(self, kind):
        """The items of a kind, in the order added: a list of bytes."""
        k = _kind(kind)
        out = []
        for i in range(lib.nansen_wallet_count(self.ptr, k)):
            p = ctypes.c_void_p()
            n = ctypes.c_size_t(0)
            check(lib.nansen_wallet_get(self.ptr, k, i, ctypes.byref(p),
                                        ctypes.byref(n)), "nansen_wallet_get")
            out.append(ctypes.string_at(p, n.value))
        return out

    def remove(self, kind, i):
        """Remove item i of a kind. The ledger keeps its entries."""
        check(lib.nansen_wallet_remove(self.ptr, _kind(kind), int(i)),
              "nansen_wallet_remove")

    # ---- the ledger (borrowed from the wallet for each call only) ----

    def _ledger(self):
        return lib.nansen_wallet_ledger(self.ptr)

    def ledger_text(self, lang="en", now=None):
        """The grants given, in the holder's language: five lines each
        (who, purpose, categories, dates, state at now; default: the
        current time), as spec/ledger.md shows."""
        if now is None:
            now = _now()
        raw = (lang or "").encode("utf-8")
        return _lib.fill("nansen_ledger_render", lambda buf, n:
                         lib.nansen_ledger_render(buf, n, self._ledger(),
                                                  raw, int(now)),
                         as_text=True)

    def ledger_head(self):
        """(count, hash): the number of entries and the last entry's hash
        (32 zero bytes when empty), an anchor to note outside the
        wallet."""
        h = ctypes.create_string_buffer(_lib.LEDGER_HASH_BYTES)
        count = ctypes.c_uint64(0)
        check(lib.nansen_ledger_head(self._ledger(), h, ctypes.byref(count)),
              "nansen_ledger_head")
        return count.value, h.raw

    def ledger_entries(self):
        """Every ledger entry, oldest first: a list of LedgerEntry."""
        ledger = self._ledger()
        out = []
        for i in range(lib.nansen_ledger_count(ledger)):
            e = _lib.LedgerEntry()
            check(lib.nansen_ledger_entry_get(ledger, i, ctypes.byref(e)),
                  "nansen_ledger_entry_get")
            kind = LEDGER_KINDS.get(e.kind, e.kind)
            common = dict(seq=e.seq, kind=kind, at=e.at, prev=bytes(e.prev),
                          grant_digest=bytes(e.grant_digest),
                          hash=bytes(e.hash))
            if kind == "grant":
                out.append(LedgerEntry(
                    audience=text(e.audience),
                    audience_name=text(e.audience_name),
                    purpose=_vocab_id("purpose", e.purpose),
                    categories=tuple(_vocab_id("category", e.categories[j])
                                     for j in range(e.category_count)),
                    valid_from=e.from_, valid_until=e.until, **common))
            else:
                out.append(LedgerEntry(withdrawn_at=e.withdrawn_at,
                                       grant_recorded=bool(e.grant_recorded),
                                       **common))
        return out

    def check_anchor(self, count, hash):
        """True if the ledger anchored earlier by (count, hash) (as
        ledger_head gave) is a prefix of this one; False if entries were
        removed or rewritten since (NANSEN_ERR_CHAIN_BROKEN)."""
        hash = bytes(hash)
        if len(hash) != _lib.LEDGER_HASH_BYTES:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Wallet",
                              "an anchor hash is %d bytes, not %d"
                              % (_lib.LEDGER_HASH_BYTES, len(hash)))
        err = lib.nansen_ledger_check_anchor(self._ledger(), hash,
                                             int(count))
        if err == _lib.ERR_CHAIN_BROKEN:
            return False
        check(err, "nansen_ledger_check_anchor")
        return True

    def grant_state(self, digest, now):
        """The state of the grant with this SHA-256 at now: "active",
        "not_yet", "expired", "withdrawn" or "unrecorded"."""
        digest = bytes(digest)
        if len(digest) != _lib.LEDGER_HASH_BYTES:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Wallet",
                              "a grant digest is %d bytes, not %d"
                              % (_lib.LEDGER_HASH_BYTES, len(digest)))
        state = ctypes.c_int(0)
        check(lib.nansen_ledger_grant_state(self._ledger(), digest, int(now),
                                            ctypes.byref(state)),
              "nansen_ledger_grant_state")
        return GRANT_STATES.get(state.value, str(state.value))

    # ---- recovery ----

    def split(self, k, n, created):
        """Split the wallet's data key into n shares, any k of which open
        a sealed copy (seal()) without the passphrase: a list of bytes,
        share i with x = i + 1. Each share is sensitive."""
        out = ctypes.c_void_p()
        check(lib.nansen_wallet_split(self.ptr, ctypes.byref(out), int(k),
                                      int(n), int(created)),
              "nansen_wallet_split")
        try:
            shares = []
            for i in range(lib.nansen_share_set_count(out)):
                p = ctypes.c_void_p()
                size = ctypes.c_size_t(0)
                check(lib.nansen_share_set_get(out, i, ctypes.byref(p),
                                               ctypes.byref(size)),
                      "nansen_share_set_get")
                shares.append(ctypes.string_at(p, size.value))
            return shares
        finally:
            lib.nansen_share_set_free(out)

    def __repr__(self):
        if not self._ptr:
            return "<nansen.Wallet closed>"
        i = self.info
        return "<nansen.Wallet %s: %d keys, %d items, %d ledger entries>" % (
            i.wallet_id.hex()[:8], i.keys,
            i.referrals + i.grants + i.withdrawals + i.receipts,
            i.ledger_entries)


# ---- shares ----

def share_info(share):
    """The public parts of a share (checked strictly): a ShareInfo."""
    share = bytes(share)
    i = _lib.ShareInfo()
    check(lib.nansen_share_decode(context().ptr, ctypes.byref(i), share,
                                  len(share)), "nansen_share_decode")
    return ShareInfo(wallet_id=bytes(i.wallet_id),
                     split_id=bytes(i.split_id), k=i.k, n=i.n, x=i.x,
                     created=i.created)


def share_to_text(share):
    """A share as QR text ("NS1:" + Base45)."""
    share = bytes(share)
    ctx = context()
    return _lib.fill("nansen_share_to_text", lambda buf, n:
                     lib.nansen_share_to_text(ctx.ptr, buf, n, share,
                                              len(share)), as_text=True)


def share_from_text(text_):
    """A share (bytes) back from its QR text."""
    raw = text_.encode("utf-8")
    ctx = context()
    return _lib.fill("nansen_share_from_text", lambda buf, n:
                     lib.nansen_share_from_text(ctx.ptr, buf, n, raw,
                                                len(raw)))


# ---- withdrawals and key rotation ----

def sign_withdrawal(holder, grant, when):
    """Withdraw a grant, as its holder (a Key that can sign): the
    withdrawal's bytes, naming the grant by its digest."""
    holder = _key("holder", holder)
    grant = bytes(grant)
    ctx = context()
    return _lib.fill("nansen_withdrawal_sign", lambda buf, n:
                     lib.nansen_withdrawal_sign(ctx.ptr, buf, n, holder.ptr,
                                                grant, len(grant), int(when)))


def sign_rotation(old_key, new_key, iat):
    """A rotation statement signed by old_key (which must be able to
    sign): "the holder of old_key now holds new_key, since iat". new_key
    is a Key or a did:key."""
    old_key = _key("old_key", old_key)
    new_key = as_key(new_key)
    ctx = context()
    return _lib.fill("nansen_rotation_sign", lambda buf, n:
                     lib.nansen_rotation_sign(ctx.ptr, buf, n, old_key.ptr,
                                              new_key.ptr, int(iat)))


def verify_rotation(data, old_key):
    """Verify a rotation statement against the old holder key (a Key or a
    did:key): a Rotation(new_key, iat). Raises UntrustedError
    (NANSEN_ERR_KEY_MISMATCH, NANSEN_ERR_BAD_SIGNATURE, ...) unless
    old_key signed it."""
    data = bytes(data)
    old_key = as_key(old_key)
    ctx = context()
    out = ctypes.c_void_p()
    check(lib.nansen_rotation_verify(ctx.ptr, ctypes.byref(out), data,
                                     len(data), old_key.ptr),
          "nansen_rotation_verify")
    try:
        copy = ctypes.c_void_p()
        check(lib.nansen_key_public_copy(
            ctx.ptr, ctypes.byref(copy), lib.nansen_rotation_new_key(out)),
            "nansen_key_public_copy")
        return Rotation(new_key=Key(copy.value, ctx),
                        iat=lib.nansen_rotation_iat(out))
    finally:
        lib.nansen_rotation_free(out)
