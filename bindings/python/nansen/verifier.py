# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""The clinic's side: verify a consent grant offline
(include/nansen/verify.h; the checks of spec/credential.md).

    v = Verifier(clinic_key)            # a Key or the clinic's did:key
    v.trust_issuer(ngo_did)
    verdict = v.verify(grant_bytes)
    if verdict.accepted:
        print(verdict.disclosed)        # {"service": "psychosocial-support",
                                        #  "interpreter": True, ...}
    else:
        print(verdict.reason, verdict.message("fr"))

verify() never raises for a bad grant, however hostile: it returns a
REJECT verdict with one reason.
"""

import ctypes
import dataclasses
import threading
from typing import Dict, FrozenSet, Optional, Tuple, Union

from . import _lib, vocab
from ._lib import Context, Owned, lib, text
from .errors import CallerError, check
from .keys import as_key
from .referral import CLAIM_NAMES, claim_value

ClaimValue = Union[str, bool, int]


@dataclasses.dataclass(frozen=True)
class Notice:
    """The consent notice the holder saw, as the grant records it."""
    lang: str              # BCP 47 tag
    sha256: bytes          # SHA-256 of the notice text
    matches: bool          # this library renders the same text from the
                           # grant (False: another wording; not a reject)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The result of Verifier.verify, copied out of the C verdict.

    A rejected verdict carries its reason and status only: no claim, time
    or key of a rejected grant. An accepted one carries what the clinic may
    see: the always-visible claims and those the holder disclosed (never
    the withheld ones, which the verifier does not receive).
    """
    accepted: bool
    reason: str            # snake_case: "accept", "wrong_audience", ...
    reason_code: int       # the nansen_reason (a NANSEN_VOCAB_REASON code)
    status: str            # the status behind it: "NANSEN_ERR_EXPIRED"
    status_code: int
    # Every claim this clinic sees: name -> value (service, urgency as
    # vocabulary ids; interpreter as bool; the rest as str).
    disclosed: Dict[str, ClaimValue] = dataclasses.field(default_factory=dict)
    holder_disclosed: FrozenSet[str] = frozenset()  # revealed by the holder
    always_visible: FrozenSet[str] = frozenset()    # plain in every copy
    purpose: Optional[str] = None                   # purpose id
    categories: Tuple[str, ...] = ()                # category ids, in order
    valid_from: Optional[int] = None                # the grant's window,
    valid_until: Optional[int] = None               # [from, until), and
    signed_at: Optional[int] = None                 # when it was signed
    referral_valid_from: Optional[int] = None
    referral_valid_until: Optional[int] = None
    referral_issued_at: Optional[int] = None
    issuer: Optional[str] = None                    # did:key of the issuer
    holder: Optional[str] = None                    # did:key of the holder
    grant_id: Optional[bytes] = None                # cti of the grant
    referral_id: Optional[bytes] = None             # cti of the referral
    grant_digest: Optional[bytes] = None            # SHA-256 of the grant
    notice: Optional[Notice] = None

    def message(self, lang="en"):
        """The speakable one-line message of the verdict in a language
        (English for a language the vocabulary lacks)."""
        return vocab.label("reason", self.reason_code, lang)

    def __bool__(self):
        return self.accepted


def _vocab_id(kind, code):
    ident = vocab.id_of(kind, code)
    return ident if ident is not None else code


def _copy_verdict(vd):
    """Copy everything out of a nansen_verdict (which the caller frees)."""
    reason = lib.nansen_verdict_reason(vd)
    status = lib.nansen_verdict_status(vd)
    base = dict(
        accepted=reason == 0,
        reason=text(lib.nansen_reason_code(reason)) or str(reason),
        reason_code=reason,
        status=text(lib.nansen_err_name(status)),
        status_code=status)
    if reason != 0:
        return Verdict(**base)

    disclosed, by_holder, plain = {}, set(), set()
    for claim, name in CLAIM_NAMES.items():
        v = _lib.ClaimValue()
        was_disclosed = ctypes.c_int(0)
        err = lib.nansen_verdict_claim(vd, claim, ctypes.byref(v),
                                       ctypes.byref(was_disclosed))
        if err == _lib.ERR_ABSENT:
            continue
        check(err, "nansen_verdict_claim")
        disclosed[name] = claim_value(claim, v)
        (by_holder if was_disclosed.value else plain).add(name)

    purpose = ctypes.c_uint32(0)
    cats = ctypes.POINTER(ctypes.c_uint32)()
    count = ctypes.c_size_t(0)
    check(lib.nansen_verdict_consent(vd, ctypes.byref(purpose),
                                     ctypes.byref(cats), ctypes.byref(count)),
          "nansen_verdict_consent")
    categories = tuple(_vocab_id("category", cats[i])
                       for i in range(count.value))

    def times(fn_name):
        t = [ctypes.c_int64(0) for _ in range(3)]
        check(getattr(lib, fn_name)(vd, *[ctypes.byref(x) for x in t]),
              fn_name)
        return [x.value for x in t]

    g_from, g_until, g_signed = times("nansen_verdict_validity")
    r_from, r_until, r_issued = times("nansen_verdict_referral_validity")

    issuer, holder = ctypes.c_char_p(), ctypes.c_char_p()
    check(lib.nansen_verdict_parties(vd, ctypes.byref(issuer),
                                     ctypes.byref(holder)),
          "nansen_verdict_parties")

    ids = [ctypes.c_void_p() for _ in range(3)]
    check(lib.nansen_verdict_ids(vd, *[ctypes.byref(x) for x in ids]),
          "nansen_verdict_ids")
    sizes = (_lib.CTI_BYTES, _lib.CTI_BYTES, _lib.DIGEST_BYTES)
    grant_id, referral_id, grant_digest = (
        ctypes.string_at(p.value, n) if p.value else None
        for p, n in zip(ids, sizes))

    lang, digest = ctypes.c_char_p(), ctypes.c_void_p()
    matches = ctypes.c_int(0)
    check(lib.nansen_verdict_notice(vd, ctypes.byref(lang),
                                    ctypes.byref(digest),
                                    ctypes.byref(matches)),
          "nansen_verdict_notice")
    notice = Notice(lang=text(lang.value),
                    sha256=ctypes.string_at(digest.value, _lib.DIGEST_BYTES),
                    matches=matches.value == 1)

    return Verdict(
        disclosed=disclosed,
        holder_disclosed=frozenset(by_holder),
        always_visible=frozenset(plain),
        purpose=_vocab_id("purpose", purpose.value),
        categories=categories,
        valid_from=g_from, valid_until=g_until, signed_at=g_signed,
        referral_valid_from=r_from, referral_valid_until=r_until,
        referral_issued_at=r_issued,
        issuer=text(issuer.value), holder=text(holder.value),
        grant_id=grant_id, referral_id=referral_id,
        grant_digest=grant_digest, notice=notice, **base)


class Verifier(Owned):
    """A clinic's verifier (nansen_verifier): its own identity, the issuers
    it trusts, a clock with skew, and a policy.

    self_key: the clinic's Key (public is enough) or did:key. The keyword
    arguments are shortcuts for the methods of the same name.

    Default policy: every purpose accepted, no maximum age, no nonce, skew
    300 s, the system clock; no trusted issuer (every grant is then REJECT
    untrusted_issuer). A Verifier has its own library context and a lock:
    it may be shared between threads.
    """

    _free = lib.nansen_verifier_free

    def __init__(self, self_key, *, trusted_issuers=(), now=None, skew=None,
                 purposes=None, max_age=None, nonce=None):
        self._ptr = None
        self._lock = threading.Lock()
        self._ctx = Context()
        self._self = as_key(self_key)
        out = ctypes.c_void_p()
        check(lib.nansen_verifier_create(self._ctx.ptr, ctypes.byref(out),
                                         self._self.ptr),
              "nansen_verifier_create")
        self._ptr = out.value
        for issuer in trusted_issuers:
            self.trust_issuer(issuer)
        if now is not None:
            self.set_time(now)
        if skew is not None:
            self.set_skew(skew)
        for purpose in purposes or ():
            self.accept_purpose(purpose)
        if max_age is not None:
            self.set_max_age(max_age)
        if nonce is not None:
            self.require_nonce(nonce)

    @property
    def ptr(self):
        if not self._ptr:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Verifier",
                              "the verifier is closed")
        return self._ptr

    @property
    def did(self):
        """The clinic's did:key, to which grants must be addressed."""
        return self._self.did

    def trust_issuer(self, issuer):
        """Trust an issuer (Key or did:key). Trusting it again changes
        nothing."""
        issuer = as_key(issuer)
        with self._lock:
            err = lib.nansen_verifier_trust_issuer(self.ptr, issuer.ptr)
        check(err, "nansen_verifier_trust_issuer")

    def set_time(self, now):
        """Verify as at unix time now; None goes back to the system clock."""
        with self._lock:
            if now is None:
                lib.nansen_verifier_set_clock(self.ptr, None, None)
            else:
                lib.nansen_verifier_set_time(self.ptr, int(now))

    def set_skew(self, seconds):
        """Allowed clock skew in seconds (0..86400; default 300)."""
        with self._lock:
            check(lib.nansen_verifier_set_skew(self.ptr, int(seconds)),
                  "nansen_verifier_set_skew")

    def accept_purpose(self, purpose):
        """Accept a purpose (id or code). The first call replaces "every
        purpose" by the purposes accepted so far."""
        code = vocab.code("purpose", purpose)
        with self._lock:
            check(lib.nansen_verifier_accept_purpose(self.ptr, code),
                  "nansen_verifier_accept_purpose")

    def set_max_age(self, seconds):
        """Reject grants signed more than seconds ago; 0: no limit."""
        with self._lock:
            check(lib.nansen_verifier_set_max_age(self.ptr, int(seconds)),
                  "nansen_verifier_set_max_age")

    max_age = set_max_age

    def require_nonce(self, nonce):
        """Require this nonce (bytes, 1..64) in every grant; None clears."""
        with self._lock:
            if nonce is None:
                err = lib.nansen_verifier_require_nonce(self.ptr, None, 0)
            else:
                nonce = bytes(nonce)
                err = lib.nansen_verifier_require_nonce(self.ptr, nonce,
                                                        len(nonce))
        check(err, "nansen_verifier_require_nonce")

    def verify(self, grant):
        """Verify an encoded consent grant (bytes); returns a Verdict."""
        grant = bytes(grant)
        out = ctypes.c_void_p()
        with self._lock:
            check(lib.nansen_verify_grant(self.ptr, ctypes.byref(out), grant,
                                          len(grant)), "nansen_verify_grant")
            try:
                return _copy_verdict(out.value)
            finally:
                lib.nansen_verdict_free(out.value)

    def __repr__(self):
        if not self._ptr:
            return "<nansen.Verifier closed>"
        return "<nansen.Verifier for %s>" % self.did
