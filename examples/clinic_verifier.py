#!/usr/bin/env python3
# SPDX-License-Identifier: CC0-1.0
# To the extent possible under law, the Nansen Authors have waived all
# copyright and related rights to this example program.
"""clinic_verifier.py - a clinic checks a consent grant offline, with the
Python binding (bindings/python).

    clinic_verifier.py                              self-contained
    clinic_verifier.py CLINIC GRANT ISSUER_DID...   act on files

CLINIC is the clinic's key file or did:key (the public key is enough),
GRANT the grant the migrant shows (examples/migrant writes grant.cbor),
ISSUER_DID the did:key of each NGO the clinic trusts (or its key file).
Exit status: 0 accepted, 1 rejected, 2 usage or other error.

Without arguments it makes an NGO, a migrant, a referral and a grant in
memory, verifies the grant (accepted), then a grant the same migrant made
for another clinic (rejected: wrong audience).

The binding loads libnansen from $NANSEN_LIBRARY, else the system's. Run
from a checkout, this script finds the binding in ../bindings/python.
"""

import datetime
import os
import sys
import time

try:
    import nansen
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(
        __file__)), os.pardir, "bindings", "python"))
    import nansen

DAY = 86400


def party(arg):
    """A key by did:key or by key file."""
    if arg.startswith("did:key:"):
        return nansen.Key.from_did(arg)
    return nansen.Key.load(arg)


def date(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def show(verdict):
    """Print a verdict the way a clinic's screen might."""
    print("%s: %s" % ("ACCEPT" if verdict.accepted else "REJECT",
                      verdict.message("en")))
    print("  reason %s, status %s" % (verdict.reason, verdict.status))
    if not verdict.accepted:
        return                  # a rejected verdict shows nothing else
    print("  what the clinic may see:")
    for name, value in verdict.disclosed.items():
        if name in ("service", "urgency"):
            value = nansen.label(name, value, "en")
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        by = "   (disclosed by the migrant)" \
            if name in verdict.holder_disclosed else ""
        print("    %-12s %s%s" % (name, value, by))
    print("  purpose: %s; categories: %s" % (
        nansen.label("purpose", verdict.purpose, "en"),
        ", ".join(verdict.categories)))
    print("  consent valid from %s until %s" % (date(verdict.valid_from),
                                                date(verdict.valid_until)))
    print("  issuer %s\n  holder %s" % (verdict.issuer, verdict.holder))
    print("  grant sha256 %s" % verdict.grant_digest.hex())
    print("  notice shown in %s, %s" % (
        verdict.notice.lang, "same wording as this library's"
        if verdict.notice.matches else "another wording than this library's"))


def demo():
    """The other parties, in memory."""
    ngo, migrant = nansen.Key.generate(), nansen.Key.generate()
    clinic = nansen.Key.generate("secp256k1")
    now = int(time.time())
    referral = nansen.issue_referral(
        ngo, migrant.did, service="psychosocial-support", urgency="priority",
        language="ti", interpreter=True,
        notes="Flashbacks; poor sleep",
        risk="history of self-harm",
        contact="caseworker A. Haile, +30 210 000 0000",
        issuer_name="Helping Hands NGO", iat=now - 3600, exp=now + 90 * DAY)
    consent = dict(purpose="treatment",
                   categories=["referral", "language", "health"],
                   disclose={"language", "interpreter", "notes"},
                   iat=now - 3000, exp=now + 7 * DAY)
    grant = nansen.sign_grant(migrant, referral, audience=clinic.short_id,
                              audience_name="Al-Amal Community Clinic",
                              **consent)
    stray = nansen.sign_grant(migrant, referral,
                              audience=nansen.Key.generate().short_id,
                              audience_name="Another Clinic", **consent)
    print("(setup: an NGO referred a migrant, who granted this clinic "
          "consent to see\n language, interpreter and notes, and withheld "
          "risk and contact)\nclinic  %s\n" % clinic.did)

    verifier = nansen.Verifier(clinic.public(), trusted_issuers=[ngo.did])
    print("the grant, %d bytes:" % len(grant))
    verdict = verifier.verify(grant)
    show(verdict)
    print("\na grant the migrant made for another clinic:")
    rejected = verifier.verify(stray)
    show(rejected)
    return 0 if verdict.accepted and rejected.reason == "wrong_audience" \
        else 2


def main(argv):
    if len(argv) == 1:
        return demo()
    if len(argv) < 4:
        print("usage: clinic_verifier.py [CLINIC GRANT ISSUER_DID...]",
              file=sys.stderr)
        return 2
    try:
        verifier = nansen.Verifier(party(argv[1]))
        for issuer in argv[3:]:
            verifier.trust_issuer(party(issuer))
        with open(argv[2], "rb") as f:
            grant = f.read()
    except (nansen.Error, OSError) as e:
        print("clinic_verifier.py: %s" % e, file=sys.stderr)
        return 2
    verdict = verifier.verify(grant)
    show(verdict)
    return 0 if verdict.accepted else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
