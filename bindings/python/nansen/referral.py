# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""Referral credentials (the issuer's and the holder's side) and consent
grants (include/nansen/credential.h, consent.h; spec/credential.md).

Claims are named as in the claim registry: "service", "urgency", "target",
"language", "interpreter", "notes", "risk", "contact", "dependents",
"issuer-name" ("issuer_name" is accepted too). Values come back as Python
values: service and urgency as vocabulary ids ("psychosocial-support",
"priority"), interpreter as bool, the others as str.
"""

import ctypes
import time

from . import _lib, vocab
from ._lib import Owned, context, lib, text
from .errors import CallerError, check
from .keys import Key, as_key

# name <-> nansen_claim, from the library itself.
CLAIMS = {}
for _c in range(_lib.CLAIM_FIRST, _lib.CLAIM_LAST + 1):
    _n = text(lib.nansen_claim_name(_c))
    if _n is not None:
        CLAIMS[_n] = _c
CLAIM_NAMES = {v: k for k, v in CLAIMS.items()}
del _c, _n

_VOCAB_OF_CLAIM = {_lib.CLAIM_SERVICE: _lib.VOCAB_SERVICE,
                   _lib.CLAIM_URGENCY: _lib.VOCAB_URGENCY}


def claim_number(name):
    """The nansen_claim of a claim name."""
    if not isinstance(name, str):
        raise TypeError("a claim is named by a str, not %s"
                        % type(name).__name__)
    raw = name.replace("_", "-").encode("utf-8")
    out = ctypes.c_int(0)
    check(lib.nansen_claim_from_name(raw, len(raw), ctypes.byref(out)),
          "nansen_claim_from_name", "unknown claim %r" % (name,))
    return out.value


def claim_category(name):
    """The data category (vocabulary id) a claim belongs to."""
    return vocab.id_of("category", lib.nansen_claim_category(
        claim_number(name)))


def claim_set(names):
    """A NANSEN_CLAIM_BIT set from claim names."""
    if isinstance(names, str):
        names = (names,)
    bits = 0
    for name in names:
        bits |= 1 << claim_number(name)
    return bits


def claim_value(claim, v):
    """A nansen_claim_value as a Python value (copied)."""
    if v.type == _lib.VALUE_BOOL:
        return bool(v.uint)
    if v.type == _lib.VALUE_TEXT:
        return ctypes.string_at(v.text, v.text_len).decode("utf-8")
    if v.type == _lib.VALUE_UINT:
        kind = _VOCAB_OF_CLAIM.get(claim)
        ident = vocab.id_of(kind, v.uint) if kind is not None else None
        return ident if ident is not None else int(v.uint)
    raise CallerError(_lib.ERR_INVALID_ARG, "nansen_claim_value",
                      "unknown value type %d" % v.type)


def _text_arg(name, value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("%s must be a str, not %s"
                        % (name, type(value).__name__))
    return value.encode("utf-8")


def _bytes_arg(name, value, size=None):
    if value is None:
        return None
    value = bytes(value)
    if size is not None and len(value) != size:
        raise CallerError(_lib.ERR_INVALID_ARG, "nansen", "%s must be %d "
                          "bytes, not %d" % (name, size, len(value)))
    return value


def _now():
    return int(time.time())


def issue_referral(issuer, holder, *, service, urgency, exp,
                   target=None, language=None, interpreter=None, notes=None,
                   risk=None, contact=None, dependents=None, issuer_name=None,
                   disclosable=None, decoys=0, iat=None, nbf=0, cti=None,
                   salt_seed=None, with_iss=False, qr_budget=None):
    """Issue a referral credential (nansen_referral_issue); returns its
    bytes, to be given whole to the holder.

    issuer:      the NGO's Key, with its secret.
    holder:      the holder's Key or did:key.
    service, urgency: vocabulary ids ("psychosocial-support", "priority")
                 or codes.
    target, language, notes, risk, contact, dependents, issuer_name: text
                 claims, None for absent; interpreter: True, False or None.
    disclosable: claim names to make selectively disclosable; None for the
                 default (language, interpreter, notes, risk, contact,
                 dependents). Names of absent claims are ignored.
    decoys:      decoy digests to add (0..16).
    iat, nbf, exp: unix seconds; iat None is now, nbf 0 is iat.
    cti:         8-byte referral id, None for random.
    salt_seed:   32 secret bytes for reproducible salts (test vectors only).
    with_iss:    also name the issuer by did:key in the payload.
    qr_budget:   None for the default QR budget (version 20, level M),
                 False for none, or (max_version, "L"|"M"|"Q"|"H").
    """
    holder = as_key(holder)
    if disclosable is None:
        # NANSEN_CLAIMS_DEFAULT_DISCLOSABLE
        disclosable = ("language", "notes", "risk", "contact", "dependents")
    if interpreter is None:
        interp = -1
    elif isinstance(interpreter, bool):
        interp = int(interpreter)
    else:
        raise TypeError("interpreter must be True, False or None")
    r = _lib.Referral(
        service=vocab.code("service", service),
        urgency=vocab.code("urgency", urgency),
        target=_text_arg("target", target),
        language=_text_arg("language", language),
        interpreter=interp,
        notes=_text_arg("notes", notes),
        risk=_text_arg("risk", risk),
        contact=_text_arg("contact", contact),
        dependents=_text_arg("dependents", dependents),
        issuer_name=_text_arg("issuer_name", issuer_name),
        disclosable=claim_set(disclosable),
        decoys=int(decoys))
    p = _lib.IssueParams(
        iat=_now() if iat is None else int(iat),
        nbf=int(nbf), exp=int(exp),
        cti=_bytes_arg("cti", cti, _lib.CTI_BYTES),
        salt_seed=_bytes_arg("salt_seed", salt_seed, _lib.SALT_SEED_BYTES),
        with_iss=1 if with_iss else 0,
        budget=_budget(qr_budget))
    ctx = context()
    return _lib.fill("nansen_referral_issue", lambda buf, n:
                     lib.nansen_referral_issue(ctx.ptr, buf, n, issuer.ptr,
                                               holder.ptr, ctypes.byref(r),
                                               ctypes.byref(p)))


_ECC = {"L": 1, "M": 2, "Q": 3, "H": 4}


def _budget(qr_budget):
    """None: the default (version 20 at level M); False: no budget;
    (max_version, "L"|"M"|"Q"|"H"): that budget."""
    if qr_budget is None:
        return _lib.QRBudget()
    if qr_budget is False:
        return _lib.QRBudget(max_version=-1)
    version, ecc = qr_budget
    if ecc not in _ECC:
        raise CallerError(_lib.ERR_INVALID_ARG, "qr_budget",
                          "level must be L, M, Q or H, not %r" % (ecc,))
    return _lib.QRBudget(max_version=int(version), ecc=_ECC[ecc])


def _grant_params(audience, purpose, categories, exp, disclose=(),
                  notice_lang="en", audience_name=None, iat=None, nbf=0,
                  cnonce=None, cti=None, qr_budget=None):
    if isinstance(audience, Key):
        audience = audience.did
    if isinstance(categories, (str, int)):
        categories = (categories,)
    codes = [vocab.code("category", c) for c in categories]
    cats = (ctypes.c_uint32 * max(len(codes), 1))(*codes)
    cnonce = _bytes_arg("cnonce", cnonce)
    p = _lib.GrantParams(
        audience=_text_arg("audience", audience),
        audience_name=_text_arg("audience_name", audience_name),
        purpose=vocab.code("purpose", purpose),
        categories=ctypes.cast(cats, ctypes.POINTER(ctypes.c_uint32)),
        category_count=len(codes),
        disclose=claim_set(disclose),
        iat=_now() if iat is None else int(iat),
        nbf=int(nbf), exp=int(exp),
        notice_lang=_text_arg("notice_lang", notice_lang),
        cnonce=cnonce, cnonce_len=len(cnonce) if cnonce else 0,
        cti=_bytes_arg("cti", cti, _lib.CTI_BYTES),
        budget=_budget(qr_budget))
    p._keep = cats      # the array lives as long as the parameters
    return p


class Credential(Owned):
    """A decoded referral (nansen_credential_decode): the holder's view,
    or the view of anyone holding a copy. Structure is checked, the
    issuer's signature is not (see verify_issuer).

    The bytes are in .data; claims() gives what this copy shows.
    """

    _free = lib.nansen_credential_free

    def __init__(self, data):
        self._ptr = None
        self.data = bytes(data)
        self._ctx = context()
        out = ctypes.c_void_p()
        check(lib.nansen_credential_decode(self._ctx.ptr, ctypes.byref(out),
                                           self.data, len(self.data)),
              "nansen_credential_decode")
        self._ptr = out.value

    @classmethod
    def decode(cls, data):
        """The same as Credential(data)."""
        return cls(data)

    @property
    def ptr(self):
        if not self._ptr:
            raise CallerError(_lib.ERR_INVALID_ARG, "nansen.Credential",
                              "the credential is closed")
        return self._ptr

    # ---- claims ----

    def _claim(self, claim):
        v = _lib.ClaimValue()
        disclosable = ctypes.c_int(0)
        err = lib.nansen_credential_claim(self.ptr, claim, ctypes.byref(v),
                                          ctypes.byref(disclosable))
        if err == _lib.ERR_ABSENT:
            return None
        check(err, "nansen_credential_claim")
        return claim_value(claim, v), bool(disclosable.value)

    def claim(self, name):
        """A claim's value, or None if absent or not disclosed here."""
        got = self._claim(claim_number(name))
        return None if got is None else got[0]

    def claims(self):
        """Every claim this copy shows: {name: value}."""
        out = {}
        for claim, name in CLAIM_NAMES.items():
            got = self._claim(claim)
            if got is not None:
                out[name] = got[0]
        return out

    @property
    def disclosable(self):
        """Names of the claims here that are selectively disclosable."""
        out = set()
        for claim, name in CLAIM_NAMES.items():
            got = self._claim(claim)
            if got is not None and got[1]:
                out.add(name)
        return frozenset(out)

    # ---- the rest ----

    def _times(self):
        t = [ctypes.c_int64(0) for _ in range(3)]
        lib.nansen_credential_times(self.ptr, *[ctypes.byref(x) for x in t])
        return [x.value for x in t]

    @property
    def iat(self):
        return self._times()[0]

    @property
    def nbf(self):
        """Valid from (iat when the referral gives no nbf)."""
        return self._times()[1]

    @property
    def exp(self):
        """Valid until (exclusive)."""
        return self._times()[2]

    @property
    def id(self):
        """The 8-byte referral id (cti)."""
        return ctypes.string_at(lib.nansen_credential_id(self.ptr),
                                _lib.CTI_BYTES)

    @property
    def issuer_kid(self):
        """The issuer's 8-byte key id."""
        return ctypes.string_at(lib.nansen_credential_issuer_kid(self.ptr),
                                _lib.KEY_ID_BYTES)

    @property
    def issuer_label(self):
        """The issuer as the consent notice names it."""
        return text(lib.nansen_credential_issuer_label(self.ptr))

    @property
    def holder(self):
        """The holder's key (from cnf; a verification-only copy)."""
        ctx = context()
        out = ctypes.c_void_p()
        check(lib.nansen_key_public_copy(
            ctx.ptr, ctypes.byref(out),
            lib.nansen_credential_holder(self.ptr)), "nansen_key_public_copy")
        return Key(out.value, ctx)

    def verify_issuer(self, issuer):
        """Check the issuer's signature; raises UntrustedError (or another
        Error) if it is not issuer's (a Key or did:key)."""
        issuer = as_key(issuer)
        check(lib.nansen_credential_verify_issuer(context().ptr, self.ptr,
                                                  issuer.ptr),
              "nansen_credential_verify_issuer")

    def notice(self, **grant):
        """The consent notice the holder must see before signing the grant
        these keyword arguments describe (as for sign_grant)."""
        p = _grant_params(**grant)
        return _lib.fill("nansen_grant_notice", lambda buf, n:
                         lib.nansen_grant_notice(buf, n, self.ptr,
                                                 ctypes.byref(p)),
                         as_text=True)

    def sign_grant(self, holder, **grant):
        """Sign a consent grant with the holder's Key; returns its bytes.
        Keyword arguments as for nansen.sign_grant."""
        p = _grant_params(**grant)
        holder = as_key(holder)
        ctx = context()
        return _lib.fill("nansen_grant_sign", lambda buf, n:
                         lib.nansen_grant_sign(ctx.ptr, buf, n, holder.ptr,
                                               self.ptr, ctypes.byref(p)))

    # ---- lifetime ----

    def __repr__(self):
        if not self._ptr:
            return "<nansen.Credential closed>"
        return "<nansen.Credential id=%s issuer=kid:%s %d bytes>" % (
            self.id.hex(), self.issuer_kid.hex(), len(self.data))


def _credential(credential):
    if isinstance(credential, Credential):
        return credential
    return Credential(credential)


def grant_notice(credential, **grant):
    """The consent notice text for a grant (nansen_grant_notice).
    credential: a Credential or its bytes; keyword arguments as for
    sign_grant."""
    return _credential(credential).notice(**grant)


def sign_grant(holder, credential, *, audience, purpose, categories, exp,
               disclose=(), notice_lang="en", audience_name=None, iat=None,
               nbf=0, cnonce=None, cti=None, qr_budget=None):
    """Sign a consent grant (nansen_grant_sign); returns its bytes.

    holder:        the holder's Key, with its secret (the credential's cnf).
    credential:    the referral: a Credential or its bytes.
    audience:      the clinic: its did:key, its short id "kid:...", or Key.
    purpose:       a purpose id ("treatment") or code.
    categories:    data category ids or codes, in the order shown.
    disclose:      names of the claims to reveal; the others stay hidden.
    notice_lang:   language of the notice shown (needs a template).
    audience_name: the clinic's name as the notice shows it, or None.
    iat, nbf, exp: unix seconds; iat None is now, nbf 0 is iat.
    cnonce:        the verifier's nonce (bytes), or None.
    cti:           8-byte grant id, or None for none.
    qr_budget:     None for the default QR budget (version 20, level M),
                   False for none, or (max_version, "L"|"M"|"Q"|"H").
    """
    return _credential(credential).sign_grant(
        holder, audience=audience, purpose=purpose, categories=categories,
        exp=exp, disclose=disclose, notice_lang=notice_lang,
        audience_name=audience_name, iat=iat, nbf=nbf, cnonce=cnonce,
        cti=cti, qr_budget=qr_budget)
