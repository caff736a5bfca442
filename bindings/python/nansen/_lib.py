# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""The shared libnansen, its prototypes and structures, and the contexts.

Loading order: the file named by the environment variable NANSEN_LIBRARY,
else what ctypes.util.find_library("nansen") finds, else "libnansen.so"
(the dynamic loader's search path, LD_LIBRARY_PATH included).

Every function used is declared here with its argtypes and restype, so that
ctypes converts and checks arguments instead of guessing.
"""

import ctypes
import ctypes.util
import os
import threading
from ctypes import (POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint,
                    c_uint32, c_uint64, c_void_p)

# Status codes the binding handles by name (include/nansen/error.h).
OK = 0
ERR_INVALID_ARG = 1
ERR_BUFFER_TOO_SMALL = 2
ERR_EXISTS = 302
ERR_NOT_FOUND = 303
ERR_ABSENT = 7
ERR_INIT = 305
ERR_CHAIN_BROKEN = 213

KEY_ED25519 = 1
KEY_SECP256K1 = 2

CTX_DEFAULT = 0
SAVE_OVERWRITE = 1

VOCAB_PURPOSE = 1
VOCAB_CATEGORY = 2
VOCAB_SERVICE = 3
VOCAB_URGENCY = 4
VOCAB_REASON = 5

VALUE_UINT = 1
VALUE_TEXT = 2
VALUE_BOOL = 3

CLAIM_FIRST = 1
CLAIM_LAST = 10
CLAIM_SERVICE = 1
CLAIM_URGENCY = 2

KEY_ID_BYTES = 8
SHORT_ID_BYTES = 21
CTI_BYTES = 8
DIGEST_BYTES = 32
SALT_SEED_BYTES = 32
PUBLIC_KEY_MAX_BYTES = 33

WALLET_ID_BYTES = 16
WALLET_KIND_LAST = 4
LEDGER_HASH_BYTES = 32
RECOVERY_ID_BYTES = 16


class ClaimValue(ctypes.Structure):
    """struct nansen_claim_value"""
    _fields_ = [("type", c_int),
                ("uint", c_uint64),
                ("text", c_void_p),
                ("text_len", c_size_t)]


class Referral(ctypes.Structure):
    """struct nansen_referral"""
    _fields_ = [("service", c_uint32),
                ("urgency", c_uint32),
                ("target", c_char_p),
                ("language", c_char_p),
                ("interpreter", c_int),
                ("notes", c_char_p),
                ("risk", c_char_p),
                ("contact", c_char_p),
                ("dependents", c_char_p),
                ("issuer_name", c_char_p),
                ("disclosable", c_uint32),
                ("decoys", c_uint),
                ("status_uri", c_char_p),
                ("status_idx", c_uint64)]


class QRBudget(ctypes.Structure):
    """struct nansen_qr_budget"""
    _fields_ = [("max_version", c_int),
                ("ecc", c_int),
                ("needed", POINTER(c_int))]


class IssueParams(ctypes.Structure):
    """struct nansen_issue_params"""
    _fields_ = [("iat", c_int64),
                ("nbf", c_int64),
                ("exp", c_int64),
                ("cti", c_char_p),
                ("salt_seed", c_char_p),
                ("with_iss", c_int),
                ("budget", QRBudget)]


class GrantParams(ctypes.Structure):
    """struct nansen_grant_params"""
    _fields_ = [("audience", c_char_p),
                ("audience_name", c_char_p),
                ("purpose", c_uint32),
                ("categories", POINTER(c_uint32)),
                ("category_count", c_size_t),
                ("disclose", c_uint32),
                ("iat", c_int64),
                ("nbf", c_int64),
                ("exp", c_int64),
                ("notice_lang", c_char_p),
                ("cnonce", c_char_p),
                ("cnonce_len", c_size_t),
                ("cti", c_char_p),
                ("budget", QRBudget)]


class WalletKdf(ctypes.Structure):
    """struct nansen_wallet_kdf"""
    _fields_ = [("opslimit", c_uint64),
                ("memlimit", c_uint64)]


class WalletHeader(ctypes.Structure):
    """struct nansen_wallet_header"""
    _fields_ = [("version", c_uint),
                ("kdf", WalletKdf),
                ("wallet_id", ctypes.c_uint8 * WALLET_ID_BYTES),
                ("sealed_len", c_size_t)]


class WalletInfo(ctypes.Structure):
    """struct nansen_wallet_info"""
    _fields_ = [("wallet_id", ctypes.c_uint8 * WALLET_ID_BYTES),
                ("kdf", WalletKdf),
                ("has_passphrase", c_int),
                ("keys", c_size_t),
                ("items", c_size_t * (WALLET_KIND_LAST + 1)),
                ("ledger_entries", c_size_t)]


class LedgerEntry(ctypes.Structure):
    """struct nansen_ledger_entry"""
    _fields_ = [("seq", c_uint64),
                ("kind", c_int),
                ("at", c_int64),
                ("prev", ctypes.c_uint8 * LEDGER_HASH_BYTES),
                ("grant_digest", ctypes.c_uint8 * LEDGER_HASH_BYTES),
                ("audience", c_char_p),
                ("audience_name", c_char_p),
                ("purpose", c_uint32),
                ("categories", POINTER(c_uint32)),
                ("category_count", c_size_t),
                ("from_", c_int64),
                ("until", c_int64),
                ("withdrawn_at", c_int64),
                ("grant_recorded", c_int),
                ("hash", ctypes.c_uint8 * LEDGER_HASH_BYTES)]


class ShareInfo(ctypes.Structure):
    """struct nansen_share_info"""
    _fields_ = [("wallet_id", ctypes.c_uint8 * RECOVERY_ID_BYTES),
                ("split_id", ctypes.c_uint8 * RECOVERY_ID_BYTES),
                ("k", c_uint),
                ("n", c_uint),
                ("x", c_uint),
                ("created", c_int64)]


_P = c_void_p                  # any opaque object pointer or byte buffer
_PP = POINTER(c_void_p)        # nansen_xxx **out
_SZ = POINTER(c_size_t)        # size_t *out_len
_I64 = POINTER(c_int64)

# name: (restype, argtypes)
_PROTOTYPES = {
    # error.h, version.h
    "nansen_strerror": (c_char_p, [c_int]),
    "nansen_err_name": (c_char_p, [c_int]),
    "nansen_err_get_class": (c_int, [c_int]),
    "nansen_version_string": (c_char_p, []),
    # ctx.h
    "nansen_ctx_create": (c_void_p, [c_uint]),
    "nansen_ctx_destroy": (None, [_P]),
    # key.h
    "nansen_key_generate": (c_int, [_P, _PP, c_int]),
    "nansen_key_from_public": (c_int, [_P, _PP, c_int, _P, c_size_t]),
    "nansen_key_free": (None, [_P]),
    "nansen_key_get_type": (c_int, [_P]),
    "nansen_key_has_secret": (c_int, [_P]),
    "nansen_key_public_copy": (c_int, [_P, _PP, _P]),
    "nansen_key_public": (c_int, [_P, _P, _SZ]),
    "nansen_key_id": (c_int, [_P, _P]),
    "nansen_key_equal": (c_int, [_P, _P]),
    "nansen_key_save": (c_int, [_P, _P, c_char_p, c_uint]),
    "nansen_key_load": (c_int, [_P, _PP, c_char_p]),
    # did.h
    "nansen_key_did": (c_int, [_P, _P, _SZ]),
    "nansen_key_from_did": (c_int, [_P, _PP, c_char_p, c_size_t]),
    # vocab.h
    "nansen_vocab_version": (c_int, []),
    "nansen_vocab_lookup_id": (c_int, [c_int, c_char_p, c_size_t,
                                       POINTER(c_uint32)]),
    "nansen_vocab_id": (c_char_p, [c_int, c_uint32]),
    "nansen_vocab_count": (c_size_t, [c_int]),
    "nansen_vocab_code_at": (c_int, [c_int, c_size_t, POINTER(c_uint32)]),
    "nansen_vocab_language_count": (c_size_t, []),
    "nansen_vocab_language": (c_char_p, [c_size_t]),
    "nansen_vocab_label": (c_int, [c_int, c_uint32, c_char_p,
                                   POINTER(c_char_p), POINTER(c_char_p)]),
    "nansen_vocab_needs_review": (c_int, [c_int, c_uint32, c_char_p]),
    "nansen_vocab_is_rtl": (c_int, [c_char_p]),
    # credential.h
    "nansen_claim_name": (c_char_p, [c_int]),
    "nansen_claim_from_name": (c_int, [c_char_p, c_size_t, POINTER(c_int)]),
    "nansen_claim_type": (c_int, [c_int]),
    "nansen_claim_category": (c_uint32, [c_int]),
    "nansen_referral_issue": (c_int, [_P, _P, _SZ, _P, _P,
                                      POINTER(Referral),
                                      POINTER(IssueParams)]),
    "nansen_credential_decode": (c_int, [_P, _PP, _P, c_size_t]),
    "nansen_credential_free": (None, [_P]),
    "nansen_credential_verify_issuer": (c_int, [_P, _P, _P]),
    "nansen_credential_claim": (c_int, [_P, c_int, POINTER(ClaimValue),
                                        POINTER(c_int)]),
    "nansen_credential_times": (None, [_P, _I64, _I64, _I64]),
    "nansen_credential_issuer_kid": (c_void_p, [_P]),
    "nansen_credential_id": (c_void_p, [_P]),
    "nansen_credential_holder": (c_void_p, [_P]),
    "nansen_credential_issuer_label": (c_char_p, [_P]),
    "nansen_key_short_id": (c_int, [_P, _P]),
    # consent.h
    "nansen_grant_notice": (c_int, [_P, _SZ, _P, POINTER(GrantParams)]),
    "nansen_grant_sign": (c_int, [_P, _P, _SZ, _P, _P, POINTER(GrantParams)]),
    # verify.h
    "nansen_reason_code": (c_char_p, [c_int]),
    "nansen_verifier_create": (c_int, [_P, _PP, _P]),
    "nansen_verifier_free": (None, [_P]),
    "nansen_verifier_trust_issuer": (c_int, [_P, _P]),
    "nansen_verifier_set_clock": (None, [_P, c_void_p, c_void_p]),
    "nansen_verifier_set_time": (None, [_P, c_int64]),
    "nansen_verifier_set_skew": (c_int, [_P, c_int64]),
    "nansen_verifier_accept_purpose": (c_int, [_P, c_uint32]),
    "nansen_verifier_set_max_age": (c_int, [_P, c_int64]),
    "nansen_verifier_require_nonce": (c_int, [_P, _P, c_size_t]),
    "nansen_verify_grant": (c_int, [_P, _PP, _P, c_size_t]),
    "nansen_verdict_free": (None, [_P]),
    "nansen_verdict_reason": (c_int, [_P]),
    "nansen_verdict_status": (c_int, [_P]),
    "nansen_verdict_message": (c_char_p, [_P, c_char_p]),
    "nansen_verdict_claim": (c_int, [_P, c_int, POINTER(ClaimValue),
                                     POINTER(c_int)]),
    "nansen_verdict_consent": (c_int, [_P, POINTER(c_uint32),
                                       POINTER(POINTER(c_uint32)), _SZ]),
    "nansen_verdict_validity": (c_int, [_P, _I64, _I64, _I64]),
    "nansen_verdict_referral_validity": (c_int, [_P, _I64, _I64, _I64]),
    "nansen_verdict_parties": (c_int, [_P, POINTER(c_char_p),
                                       POINTER(c_char_p)]),
    "nansen_verdict_ids": (c_int, [_P, _PP, _PP, _PP]),
    "nansen_verdict_notice": (c_int, [_P, POINTER(c_char_p), _PP,
                                      POINTER(c_int)]),
    # withdrawal.h
    "nansen_withdrawal_sign": (c_int, [_P, _P, _SZ, _P, _P, c_size_t,
                                       c_int64]),
    # wallet.h
    "nansen_wallet_header_decode": (c_int, [POINTER(WalletHeader), _P,
                                            c_size_t]),
    "nansen_wallet_create": (c_int, [_P, _PP, _P, c_size_t,
                                     POINTER(WalletKdf)]),
    "nansen_wallet_free": (None, [_P]),
    "nansen_wallet_open_bytes": (c_int, [_P, _PP, _P, c_size_t, _P,
                                         c_size_t]),
    "nansen_wallet_open": (c_int, [_P, _PP, c_char_p, _P, c_size_t]),
    "nansen_wallet_seal": (c_int, [_P, _SZ, _P]),
    "nansen_wallet_save": (c_int, [_P, c_char_p, c_uint]),
    "nansen_wallet_set_passphrase": (c_int, [_P, _P, c_size_t,
                                             POINTER(WalletKdf)]),
    "nansen_wallet_get_info": (c_int, [_P, POINTER(WalletInfo)]),
    "nansen_wallet_key_add": (c_int, [_P, _P, c_char_p, c_int64, _SZ]),
    "nansen_wallet_key_generate": (c_int, [_P, c_int, c_char_p, c_int64,
                                           _SZ]),
    "nansen_wallet_key_count": (c_size_t, [_P]),
    "nansen_wallet_key_get": (c_int, [_P, c_size_t, _PP, POINTER(c_char_p),
                                      _I64]),
    "nansen_wallet_key_find": (c_int, [_P, _P, _SZ]),
    "nansen_wallet_key_remove": (c_int, [_P, c_size_t]),
    "nansen_wallet_add": (c_int, [_P, c_int, _P, c_size_t, c_int64]),
    "nansen_wallet_count": (c_size_t, [_P, c_int]),
    "nansen_wallet_get": (c_int, [_P, c_int, c_size_t, _PP, _SZ]),
    "nansen_wallet_remove": (c_int, [_P, c_int, c_size_t]),
    "nansen_wallet_ledger": (c_void_p, [_P]),
    "nansen_wallet_split": (c_int, [_P, _PP, c_uint, c_uint, c_int64]),
    "nansen_wallet_recover": (c_int, [_P, _PP, _P, c_size_t, _PP, _SZ,
                                      c_size_t]),
    # ledger.h
    "nansen_ledger_count": (c_size_t, [_P]),
    "nansen_ledger_entry_get": (c_int, [_P, c_size_t, POINTER(LedgerEntry)]),
    "nansen_ledger_head": (c_int, [_P, _P, POINTER(c_uint64)]),
    "nansen_ledger_encode": (c_int, [_P, _SZ, _P]),
    "nansen_ledger_grant_state": (c_int, [_P, _P, c_int64, POINTER(c_int)]),
    "nansen_ledger_check_anchor": (c_int, [_P, _P, c_uint64]),
    "nansen_ledger_render": (c_int, [_P, _SZ, _P, c_char_p, c_int64]),
    # recovery.h
    "nansen_share_set_count": (c_size_t, [_P]),
    "nansen_share_set_get": (c_int, [_P, c_size_t, _PP, _SZ]),
    "nansen_share_set_free": (None, [_P]),
    "nansen_share_decode": (c_int, [_P, POINTER(ShareInfo), _P, c_size_t]),
    "nansen_share_to_text": (c_int, [_P, _P, _SZ, _P, c_size_t]),
    "nansen_share_from_text": (c_int, [_P, _P, _SZ, _P, c_size_t]),
    "nansen_rotation_sign": (c_int, [_P, _P, _SZ, _P, _P, c_int64]),
    "nansen_rotation_verify": (c_int, [_P, _PP, _P, c_size_t, _P]),
    "nansen_rotation_new_key": (c_void_p, [_P]),
    "nansen_rotation_iat": (c_int64, [_P]),
    "nansen_rotation_old_key_id": (c_void_p, [_P]),
    "nansen_rotation_free": (None, [_P]),
}


def _load():
    path = os.environ.get("NANSEN_LIBRARY")
    if not path:
        path = ctypes.util.find_library("nansen") or "libnansen.so"
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "nansen: cannot load the shared library %r (%s); install "
            "libnansen or set NANSEN_LIBRARY to the path of libnansen.so"
            % (path, e)) from e
    missing = [name for name in _PROTOTYPES if not hasattr(lib, name)]
    if missing:
        raise ImportError(
            "nansen: %s lacks %s: this binding needs a libnansen with "
            "referrals, consent grants and the wallet" % (path, ", ".join(missing)))
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib, path


lib, path = _load()


def text(raw):
    """bytes from a const char * result (or None) as str (or None)."""
    return None if raw is None else raw.decode("utf-8")


class Context:
    """A nansen_ctx. Not safe for concurrent use: see context()."""

    __slots__ = ("ptr",)
    _destroy = lib.nansen_ctx_destroy

    def __init__(self):
        self.ptr = None
        ptr = lib.nansen_ctx_create(CTX_DEFAULT)
        if not ptr:
            # The one failure without a status code: report it as INIT.
            from .errors import raise_for
            raise_for(ERR_INIT, "nansen_ctx_create")
        self.ptr = ptr

    def __del__(self):
        ptr, self.ptr = self.ptr, None
        if ptr:
            type(self)._destroy(ptr)


_local = threading.local()


def context():
    """The calling thread's context, created on first use. Objects made
    with it keep a reference, so it lives as long as they do."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        ctx = _local.ctx = Context()
    return ctx


def fill(fn_name, call, as_text=False):
    """Run call(buf, byref(size)) by the size-query convention: first with
    buf None to learn the size, then with a buffer of that size. Returns
    bytes (or str without the NUL when as_text)."""
    from .errors import raise_for
    size = c_size_t(0)
    err = call(None, ctypes.byref(size))
    if err not in (OK, ERR_BUFFER_TOO_SMALL):
        raise_for(err, fn_name)
    for _ in range(3):
        buf = ctypes.create_string_buffer(max(size.value, 1))
        size.value = len(buf)
        err = call(buf, ctypes.byref(size))
        if err == OK:
            if as_text:
                return buf.value.decode("utf-8")
            return buf.raw[:size.value]
        if err != ERR_BUFFER_TOO_SMALL:
            raise_for(err, fn_name)
    raise_for(ERR_BUFFER_TOO_SMALL, fn_name)


class Owned:
    """Base of the objects that own a C pointer (self._ptr) freed by the
    class's _free: close() frees it now (wiping any secret), and so do
    the end of a with block and garbage collection. Later use raises."""

    _ptr = None

    def close(self):
        """Free the C object now. Later use raises."""
        ptr, self._ptr = self._ptr, None
        if ptr:
            type(self)._free(ptr)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
