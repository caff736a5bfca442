# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""Python binding of libnansen: referral credentials, consent grants and
the migrant's wallet (with its consent ledger, recovery and key rotation).

Standard library only (ctypes); it loads the shared libnansen from
$NANSEN_LIBRARY, else wherever ctypes.util.find_library("nansen") finds it,
else "libnansen.so". Secret keys stay in the C library's memory.

    import nansen
    ngo, migrant = nansen.Key.generate(), nansen.Key.generate()
    clinic = nansen.Key.generate("secp256k1")

    referral = nansen.issue_referral(
        ngo, migrant.did, service="psychosocial-support",
        urgency="priority", language="ti", interpreter=True,
        notes="...", exp=now + 90 * 86400)

    cred = nansen.Credential(referral)            # the migrant's copy
    grant = dict(audience=clinic.did, purpose="treatment",
                 categories=["referral", "language"],
                 disclose={"language", "interpreter"}, exp=now + 86400)
    print(cred.notice(**grant))                   # shown before signing
    token = cred.sign_grant(migrant, **grant)

    verifier = nansen.Verifier(clinic.did, trusted_issuers=[ngo.did])
    verdict = verifier.verify(token)              # a Verdict dataclass
    verdict.accepted, verdict.reason, verdict.disclosed

    wallet = nansen.Wallet.create(passphrase, kdf="interactive")
    wallet.add_key(migrant, "phone 2026", created=now)
    wallet.add("referral", referral, at=now)
    wallet.add("grant", token, at=now)            # recorded in the ledger
    wallet.save("migrant.wallet")                 # atomic, mode 0600
    print(wallet.ledger_text("ti", now=now))
    shares = wallet.split(2, 3, created=now)      # one per guardian
    nansen.Wallet.recover(wallet.seal(), shares[:2])

Errors raise subclasses of nansen.Error, by status range: CallerError,
MalformedError, UntrustedError, EnvironmentFailure.
"""

from ._lib import lib as _clib, path as library_path, text as _text
from .errors import (CallerError, EnvironmentFailure, Error, MalformedError,
                     UntrustedError, error_class)
from .keys import Key
from .referral import (CLAIMS, Credential, claim_category, grant_notice,
                       issue_referral, sign_grant)
from .verifier import Notice, Verdict, Verifier
from .wallet import (KDF, LedgerEntry, Rotation, ShareInfo, Wallet,
                     WalletHeader, WalletInfo, WalletKey, share_from_text,
                     share_info, share_to_text, sign_rotation,
                     sign_withdrawal, verify_rotation, wallet_header)
from . import vocab
from .vocab import label


def library_version():
    """The version of the loaded libnansen ("0.1.0")."""
    return _text(_clib.nansen_version_string())


def reason_code(reason):
    """The snake_case code of a nansen_reason number ("wrong_audience")."""
    return _text(_clib.nansen_reason_code(int(reason)))


def err_name(code):
    """The symbolic name of a status code ("NANSEN_ERR_EXPIRED")."""
    return _text(_clib.nansen_err_name(int(code)))


def strerror(code):
    """The English description of a status code."""
    return _text(_clib.nansen_strerror(int(code)))


__all__ = [
    "CLAIMS", "CallerError", "Credential", "EnvironmentFailure", "Error",
    "KDF", "Key", "LedgerEntry", "MalformedError", "Notice", "Rotation",
    "ShareInfo", "UntrustedError", "Verdict", "Verifier", "Wallet",
    "WalletHeader", "WalletInfo", "WalletKey", "claim_category", "err_name",
    "error_class", "grant_notice", "issue_referral", "label",
    "library_path", "library_version", "reason_code", "share_from_text",
    "share_info", "share_to_text", "sign_grant", "sign_rotation",
    "sign_withdrawal", "strerror", "verify_rotation", "vocab",
    "wallet_header",
]
