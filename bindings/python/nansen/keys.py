# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""Signing keys named by did:key (include/nansen/key.h, did.h).

A Key wraps a nansen_key: the secret, when there is one, stays in the C
library's guarded memory and never becomes a Python object. Free a key
early with close() or a with block; otherwise it is freed (and its secret
wiped) when garbage collected.
"""

import ctypes
import os

from . import _lib
from ._lib import Owned, context, lib
from .errors import CallerError, check

_ALGS = {"ed25519": _lib.KEY_ED25519, "secp256k1": _lib.KEY_SECP256K1}
_ALG_NAMES = {v: k for k, v in _ALGS.items()}


def _alg_number(alg):
    if isinstance(alg, int) and not isinstance(alg, bool) and \
            alg in _ALG_NAMES:
        return alg
    if isinstance(alg, str) and alg.lower() in _ALGS:
        return _ALGS[alg.lower()]
    raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Key",
                      "unknown key algorithm %r (ed25519 or secp256k1)"
                      % (alg,))


class Key(Owned):
    """An Ed25519 or secp256k1 key: public only, or able to sign.

    Make one with Key.generate(), Key.load(), Key.from_did() or
    Key.from_public(); the constructor is internal.
    """

    _free = lib.nansen_key_free

    def __init__(self, _ptr, _ctx):
        self._ptr = _ptr
        self._ctx = _ctx     # the context it was made with outlives it
        self._did = None

    # ---- making keys ----

    @classmethod
    def _make(cls, fn_name, *args):
        ctx = context()
        out = ctypes.c_void_p()
        check(getattr(lib, fn_name)(ctx.ptr, ctypes.byref(out), *args),
              fn_name)
        return cls(out.value, ctx)

    @classmethod
    def generate(cls, alg="ed25519"):
        """A new key from the system's random source."""
        return cls._make("nansen_key_generate", _alg_number(alg))

    @classmethod
    def load(cls, path):
        """Read a key file written by save() or `nansen keygen`."""
        return cls._make("nansen_key_load", os.fsencode(path))

    @classmethod
    def from_did(cls, did):
        """A verification-only key from a did:key."""
        raw = did.encode("utf-8")
        return cls._make("nansen_key_from_did", raw, len(raw))

    @classmethod
    def from_public(cls, public, alg="ed25519"):
        """A verification-only key from public key bytes (32 bytes
        Ed25519; 33 or 65 bytes secp256k1)."""
        public = bytes(public)
        return cls._make("nansen_key_from_public", _alg_number(alg), public,
                         len(public))

    def save(self, path, overwrite=False):
        """Write the key file (mode 0600, atomically). An existing file is
        kept (EnvironmentFailure NANSEN_ERR_EXISTS) unless overwrite."""
        flags = _lib.SAVE_OVERWRITE if overwrite else 0
        check(lib.nansen_key_save(context().ptr, self.ptr, os.fsencode(path),
                                  flags), "nansen_key_save")

    def public(self):
        """A verification-only copy (the secret is not copied)."""
        ctx = context()
        out = ctypes.c_void_p()
        check(lib.nansen_key_public_copy(ctx.ptr, ctypes.byref(out),
                                         self.ptr), "nansen_key_public_copy")
        return Key(out.value, ctx)

    # ---- what a key is ----

    @property
    def ptr(self):
        """The nansen_key * (for the other modules of this package)."""
        if not self._ptr:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Key",
                              "the key is closed")
        return self._ptr

    @property
    def alg(self):
        """"ed25519" or "secp256k1"."""
        return _ALG_NAMES[lib.nansen_key_get_type(self.ptr)]

    @property
    def has_secret(self):
        """True if the key can sign."""
        return lib.nansen_key_has_secret(self.ptr) == 1

    @property
    def public_bytes(self):
        """32 bytes (Ed25519) or 33 bytes compressed (secp256k1)."""
        return _lib.fill("nansen_key_public",
                         lambda buf, n: lib.nansen_key_public(self.ptr, buf,
                                                              n))

    @property
    def did(self):
        """The key's did:key."""
        if self._did is None:
            self._did = _lib.fill(
                "nansen_key_did",
                lambda buf, n: lib.nansen_key_did(self.ptr, buf, n),
                as_text=True)
        return self._did

    @property
    def key_id(self):
        """The 8-byte key id (first bytes of SHA-256 of the public key)."""
        buf = ctypes.create_string_buffer(_lib.KEY_ID_BYTES)
        check(lib.nansen_key_id(self.ptr, buf), "nansen_key_id")
        return buf.raw

    @property
    def short_id(self):
        """"kid:" and the key id in hex, as a grant's audience may be."""
        buf = ctypes.create_string_buffer(_lib.SHORT_ID_BYTES)
        check(lib.nansen_key_short_id(self.ptr, buf), "nansen_key_short_id")
        return buf.value.decode("ascii")

    # ---- lifetime ----

    def __eq__(self, other):
        if not isinstance(other, Key):
            return NotImplemented
        return lib.nansen_key_equal(self.ptr, other.ptr) == 1

    def __hash__(self):
        return hash((self.alg, self.public_bytes))

    def __repr__(self):
        if not self._ptr:
            return "<nansen.Key closed>"
        return "<nansen.Key %s %s%s>" % (
            self.alg, self.did, " (can sign)" if self.has_secret else "")


def as_key(key_or_did):
    """A Key as is; a did:key string as a verification-only Key."""
    if isinstance(key_or_did, Key):
        return key_or_did
    if isinstance(key_or_did, str):
        return Key.from_did(key_or_did)
    raise TypeError("expected a nansen.Key or a did:key string, not %s"
                    % type(key_or_did).__name__)
