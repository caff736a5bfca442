# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""Tests of the Python binding against the shared library.

    NANSEN_LIBRARY=build/libnansen.so PYTHONPATH=bindings/python \
        python3 -m unittest discover -s bindings/python/tests -v

ctest runs them as the test python_binding.
"""

import dataclasses
import hashlib
import os
import stat
import tempfile
import unittest

import nansen

T0 = 1_800_000_000          # 2027-01-15, a fixed clock for every test
DAY = 86400

# Values the holder keeps to itself: they must never reach the clinic.
WITHHELD = {
    "risk": "withheld-risk-7f3a: self-harm history",
    "contact": "withheld-contact-91c2@ngo.example",
    "dependents": "withheld-dependents-5d08: two children",
}


def referral_claims(**extra):
    claims = dict(service="psychosocial-support", urgency="priority",
                  target="Al-Amal Community Clinic", language="ti",
                  interpreter=True, notes="Trouble sleeping since arrival.",
                  issuer_name="Helping Hands NGO",
                  iat=T0, exp=T0 + 90 * DAY,
                  qr_budget=False)       # TestQRBudget tests the budget
    claims.update(WITHHELD)
    claims.update(extra)
    return claims


class Parties(unittest.TestCase):
    """An NGO, a migrant and a clinic, and a referral from one to another."""

    @classmethod
    def setUpClass(cls):
        cls.ngo = nansen.Key.generate()
        cls.migrant = nansen.Key.generate()
        cls.clinic = nansen.Key.generate("secp256k1")
        cls.referral = nansen.issue_referral(cls.ngo, cls.migrant.did,
                                             **referral_claims())

    def grant_args(self, **extra):
        args = dict(audience=self.clinic.did, audience_name="Al-Amal Clinic",
                    purpose="treatment",
                    categories=["referral", "language", "health"],
                    disclose={"language", "interpreter", "notes"},
                    iat=T0 + 3600, exp=T0 + 8 * DAY,
                    cti=b"grant-01", qr_budget=False)
        args.update(extra)
        return args

    def grant(self, **extra):
        return nansen.sign_grant(self.migrant, self.referral,
                                 **self.grant_args(**extra))

    def verifier(self, **extra):
        args = dict(trusted_issuers=[self.ngo.did], now=T0 + 7200)
        args.update(extra)
        return nansen.Verifier(self.clinic.did, **args)


class TestRoundTrip(Parties):

    def test_accept_with_exact_disclosed_claims(self):
        grant = self.grant()
        verdict = self.verifier().verify(grant)
        self.assertIsInstance(verdict, nansen.Verdict)
        self.assertTrue(verdict.accepted)
        self.assertTrue(verdict)
        self.assertEqual(verdict.reason, "accept")
        self.assertEqual(verdict.reason_code, 0)
        self.assertEqual(verdict.status, "NANSEN_OK")
        self.assertEqual(verdict.disclosed, {
            "service": "psychosocial-support",
            "urgency": "priority",
            "target": "Al-Amal Community Clinic",
            "issuer-name": "Helping Hands NGO",
            "language": "ti",
            "interpreter": True,
            "notes": "Trouble sleeping since arrival.",
        })
        self.assertEqual(verdict.holder_disclosed, {"language", "notes"})
        self.assertEqual(verdict.always_visible,
                         {"service", "urgency", "target", "interpreter",
                          "issuer-name"})
        self.assertEqual(verdict.purpose, "treatment")
        self.assertEqual(verdict.categories,
                         ("referral", "language", "health"))
        self.assertEqual((verdict.valid_from, verdict.valid_until,
                          verdict.signed_at),
                         (T0 + 3600, T0 + 8 * DAY, T0 + 3600))
        self.assertEqual((verdict.referral_valid_from,
                          verdict.referral_valid_until,
                          verdict.referral_issued_at),
                         (T0, T0 + 90 * DAY, T0))
        self.assertEqual(verdict.issuer, self.ngo.did)
        self.assertEqual(verdict.holder, self.migrant.did)
        self.assertEqual(verdict.grant_id, b"grant-01")
        self.assertEqual(verdict.referral_id,
                         nansen.Credential(self.referral).id)
        self.assertEqual(verdict.grant_digest, hashlib.sha256(grant).digest())
        notice = nansen.grant_notice(self.referral, **self.grant_args())
        self.assertEqual(verdict.notice, nansen.Notice(
            lang="en", sha256=hashlib.sha256(notice.encode()).digest(),
            matches=True))
        self.assertEqual(verdict.message(), nansen.label("reason", "accept"))
        self.assertTrue(verdict.message("fr"))

    def test_short_id_audience_and_secp256k1_issuer(self):
        ngo = nansen.Key.generate("secp256k1")
        referral = nansen.issue_referral(ngo, self.migrant,
                                         **referral_claims(with_iss=True))
        grant = nansen.sign_grant(self.migrant, referral,
                                  **self.grant_args(
                                      audience=self.clinic.short_id,
                                      disclose=(), categories=["referral"]))
        verdict = self.verifier(trusted_issuers=[ngo]).verify(grant)
        self.assertEqual(verdict.reason, "accept")
        self.assertEqual(verdict.holder_disclosed, frozenset())
        self.assertEqual(set(verdict.disclosed),
                         {"service", "urgency", "target", "interpreter",
                          "issuer-name"})
        self.assertEqual(verdict.issuer, ngo.did)

    def test_decoys(self):
        referral = nansen.issue_referral(self.ngo, self.migrant,
                                         **referral_claims(decoys=4))
        grant = nansen.sign_grant(self.migrant, referral, **self.grant_args())
        self.assertEqual(self.verifier().verify(grant).reason, "accept")

    def test_reproducible_with_seed_and_ids(self):
        args = referral_claims(salt_seed=bytes(range(32)), cti=b"ref-0001")
        one = nansen.issue_referral(self.ngo, self.migrant, **args)
        two = nansen.issue_referral(self.ngo, self.migrant, **args)
        self.assertEqual(one, two)
        self.assertEqual(nansen.Credential(one).id, b"ref-0001")

    def test_nonce(self):
        v = self.verifier(nonce=b"visit-42")
        self.assertEqual(v.verify(self.grant(cnonce=b"visit-42")).reason,
                         "accept")
        self.assertEqual(v.verify(self.grant(cnonce=b"visit-41")).reason,
                         "nonce_mismatch")
        self.assertEqual(v.verify(self.grant()).reason, "nonce_mismatch")
        v.require_nonce(None)
        self.assertEqual(v.verify(self.grant()).reason, "accept")


class TestCredential(Parties):

    def test_holder_sees_every_claim(self):
        cred = nansen.Credential(self.referral)
        claims = referral_claims()
        for k in ("iat", "exp", "qr_budget"):
            del claims[k]
        claims["issuer-name"] = claims.pop("issuer_name")
        self.assertEqual(cred.claims(), claims)
        self.assertEqual(cred.disclosable,
                         {"language", "notes", "risk", "contact",
                          "dependents"})
        self.assertEqual(cred.claim("urgency"), "priority")
        self.assertEqual((cred.iat, cred.nbf, cred.exp),
                         (T0, T0, T0 + 90 * DAY))
        self.assertEqual(cred.issuer_kid, self.ngo.key_id)
        self.assertEqual(cred.issuer_label, "Helping Hands NGO")
        self.assertEqual(cred.holder, self.migrant)
        self.assertFalse(cred.holder.has_secret)
        cred.verify_issuer(self.ngo.did)
        with self.assertRaises(nansen.UntrustedError):
            cred.verify_issuer(self.clinic)

    def test_notice(self):
        text = nansen.Credential(self.referral).notice(**self.grant_args())
        self.assertIn("Al-Amal Clinic", text)
        self.assertIn("Helping Hands NGO", text)
        self.assertIn("2027-01-15", text)
        fr = nansen.grant_notice(self.referral,
                                 **self.grant_args(notice_lang="fr"))
        self.assertNotEqual(text, fr)

    def test_explicit_disclosable_set(self):
        referral = nansen.issue_referral(
            self.ngo, self.migrant,
            **referral_claims(disclosable={"notes", "service"}))
        cred = nansen.Credential(referral)
        self.assertEqual(cred.disclosable, {"notes", "service"})
        grant = nansen.sign_grant(self.migrant, cred, **self.grant_args(
            disclose={"service"}, categories=["referral"]))
        verdict = self.verifier().verify(grant)
        self.assertEqual(verdict.holder_disclosed, {"service"})
        self.assertEqual(verdict.disclosed["service"], "psychosocial-support")
        self.assertNotIn("notes", verdict.disclosed)
        # The notice names the issuer: its name is never hidden.
        with self.assertRaises(nansen.CallerError):
            nansen.issue_referral(
                self.ngo, self.migrant,
                **referral_claims(disclosable={"issuer-name"}))


class TestRejections(Parties):

    def assertRejected(self, verdict, reason):
        self.assertFalse(verdict.accepted)
        self.assertFalse(verdict)
        self.assertEqual(verdict.reason, reason)
        self.assertNotEqual(verdict.status, None)
        self.assertEqual(verdict.disclosed, {})
        self.assertIsNone(verdict.purpose)
        self.assertIsNone(verdict.issuer)
        self.assertIsNone(verdict.notice)
        self.assertEqual(verdict.message(), nansen.label("reason",
                                                         verdict.reason_code))

    def test_wrong_audience(self):
        other = nansen.Key.generate()
        verdict = self.verifier().verify(self.grant(audience=other.did))
        self.assertRejected(verdict, "wrong_audience")
        self.assertEqual(verdict.reason_code, 7)

    def test_untrusted_issuer(self):
        v = nansen.Verifier(self.clinic, now=T0 + 7200)
        self.assertRejected(v.verify(self.grant()), "untrusted_issuer")
        v.trust_issuer(nansen.Key.generate())
        self.assertRejected(v.verify(self.grant()), "untrusted_issuer")
        v.trust_issuer(self.ngo.did)
        v.trust_issuer(self.ngo)                        # again: no change
        self.assertEqual(v.verify(self.grant()).reason, "accept")

    def test_expired_and_not_yet_valid(self):
        grant = self.grant()
        v = self.verifier()
        v.set_time(T0 + 8 * DAY + 300)                  # exp + skew
        self.assertRejected(v.verify(grant), "expired")
        self.assertEqual(v.verify(grant).status, "NANSEN_ERR_EXPIRED")
        v.set_skew(0)
        v.set_time(T0 + 8 * DAY - 1)
        self.assertTrue(v.verify(grant).accepted)
        v.set_time(T0)
        self.assertRejected(v.verify(grant), "not_yet_valid")
        v.set_time(None)                                # the real clock:
        self.assertFalse(v.verify(grant).accepted)      # 2027 is not now

    def test_policy(self):
        grant = self.grant()
        v = self.verifier(purposes=["follow-up"])
        self.assertRejected(v.verify(grant), "purpose_not_accepted")
        v.accept_purpose("treatment")
        self.assertTrue(v.verify(grant).accepted)
        v.set_max_age(60)
        self.assertRejected(v.verify(grant), "grant_too_old")
        v.max_age(0)
        self.assertTrue(v.verify(grant).accepted)

    def test_tampered_bytes(self):
        grant = bytearray(self.grant())
        v = self.verifier()
        self.assertTrue(v.verify(bytes(grant)).accepted)
        for i in range(len(grant)):
            grant[i] ^= 0x01
            verdict = v.verify(bytes(grant))
            grant[i] ^= 0x01
            self.assertFalse(verdict.accepted, "byte %d flipped" % i)
            self.assertEqual(verdict.disclosed, {})
        for cut in (0, 1, len(grant) // 2, len(grant) - 1):
            self.assertRejected(v.verify(bytes(grant[:cut])), "malformed")
        self.assertRejected(v.verify(bytes(grant) + b"\x00"), "malformed")
        self.assertRejected(v.verify(self.referral), "malformed")

    def test_shared_between_threads(self):
        import threading
        v = self.verifier()
        results = []

        def work():
            holder = nansen.Key.generate()
            referral = nansen.issue_referral(self.ngo, holder,
                                             **referral_claims())
            for _ in range(20):
                grant = nansen.sign_grant(holder, referral,
                                          **self.grant_args(cti=None))
                results.append(v.verify(grant).reason)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, ["accept"] * 80)

    def test_withheld_values_never_reach_the_clinic(self):
        grant = self.grant()
        verdict = self.verifier().verify(grant)
        self.assertTrue(verdict.accepted)
        seen = repr(verdict) + str(verdict) + repr(
            [getattr(verdict, f.name) for f in dataclasses.fields(verdict)])
        for name, value in WITHHELD.items():
            self.assertNotIn(name, verdict.disclosed)
            self.assertNotIn(value, seen)
            self.assertNotIn(value.encode(), grant)
            self.assertIn(value.encode(), self.referral)  # the holder's copy


class TestQRBudget(Parties):
    def test_default_budget_refuses_a_large_referral(self):
        claims = referral_claims(qr_budget=None, decoys=4)
        with self.assertRaises(nansen.CallerError) as cm:
            nansen.issue_referral(self.ngo, self.migrant, **claims)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_QR_BUDGET")
        big = nansen.issue_referral(self.ngo, self.migrant,
                                    **referral_claims(qr_budget=(40, "L"),
                                                      decoys=4))
        self.assertGreater(len(big), 644)
        with self.assertRaises(nansen.CallerError):
            nansen.issue_referral(self.ngo, self.migrant,
                                  **referral_claims(qr_budget=(20, "X")))

    def test_default_budget_takes_a_small_grant(self):
        referral = nansen.issue_referral(
            self.ngo, self.migrant, service="primary-care",
            urgency="routine", language="so", notes="Asthma",
            iat=T0, exp=T0 + 90 * DAY)
        grant = nansen.sign_grant(
            self.migrant, referral, audience=self.clinic.short_id,
            purpose="treatment", categories=["language", "health"],
            disclose={"language", "notes"}, iat=T0 + 60, exp=T0 + DAY)
        self.assertLessEqual(len(grant), 644)


class TestErrors(Parties):

    def test_hierarchy(self):
        for cls in (nansen.CallerError, nansen.MalformedError,
                    nansen.UntrustedError, nansen.EnvironmentFailure):
            self.assertTrue(issubclass(cls, nansen.Error))
        self.assertIs(nansen.error_class(5), nansen.CallerError)
        self.assertIs(nansen.error_class(104), nansen.MalformedError)
        self.assertIs(nansen.error_class(203), nansen.UntrustedError)
        self.assertIs(nansen.error_class(301), nansen.EnvironmentFailure)
        self.assertIs(nansen.error_class(9999), nansen.EnvironmentFailure)

    def test_unknown_purpose(self):
        with self.assertRaises(nansen.CallerError) as cm:
            self.grant(purpose="sightseeing")
        e = cm.exception
        self.assertEqual(e.code, 1)
        self.assertEqual(e.name, "NANSEN_ERR_INVALID_ARG")
        self.assertEqual(e.message, nansen.strerror(1))
        self.assertIn("sightseeing", str(e))
        with self.assertRaises(nansen.CallerError):
            self.grant(purpose=999)

    def test_bad_arguments_from_the_library(self):
        with self.assertRaises(nansen.CallerError) as cm:
            self.grant(categories=["referral"])       # notes disclosed
        self.assertEqual(cm.exception.name, "NANSEN_ERR_CATEGORY_NOT_GRANTED")
        self.assertEqual(cm.exception.function, "nansen_grant_sign")
        with self.assertRaises(nansen.CallerError) as cm:
            self.grant(exp=T0 + 365 * DAY)            # outlives the referral
        self.assertEqual(cm.exception.name, "NANSEN_ERR_OUTSIDE_VALIDITY")
        with self.assertRaises(nansen.CallerError) as cm:
            nansen.sign_grant(self.migrant.public(), self.referral,
                              **self.grant_args())
        self.assertEqual(cm.exception.name, "NANSEN_ERR_NO_SECRET_KEY")
        with self.assertRaises(nansen.CallerError):
            nansen.issue_referral(self.ngo, self.migrant,
                                  **referral_claims(notes=""))
        with self.assertRaises(nansen.CallerError):
            self.grant(disclose={"blood-type"})
        with self.assertRaises(nansen.CallerError):
            nansen.label("colour", "red")

    def test_malformed_credential(self):
        for data in (b"", b"\x00", b"\xa1\x01", self.referral[:-3],
                     self.referral + b"\x00", self.grant()):
            with self.assertRaises(nansen.MalformedError) as cm:
                nansen.Credential(data)
            self.assertTrue(100 <= cm.exception.code <= 199)
            self.assertTrue(cm.exception.name.startswith("NANSEN_ERR_"))

    def test_bad_did(self):
        with self.assertRaises(nansen.MalformedError):
            nansen.Key.from_did("did:web:example.org")


class TestKeys(unittest.TestCase):

    def test_save_load_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            for alg in ("ed25519", "secp256k1"):
                path = os.path.join(d, alg + ".key")
                with nansen.Key.generate(alg) as key:
                    key.save(path)
                    self.assertEqual(stat.S_IMODE(os.stat(path).st_mode),
                                     0o600)
                    loaded = nansen.Key.load(path)
                    self.assertEqual(loaded, key)
                    self.assertEqual(loaded.did, key.did)
                    self.assertEqual(loaded.alg, alg)
                    self.assertTrue(loaded.has_secret)
                    self.assertEqual(loaded.key_id, key.key_id)
                    with self.assertRaises(nansen.EnvironmentFailure) as cm:
                        nansen.Key.generate(alg).save(path)
                    self.assertEqual(cm.exception.name, "NANSEN_ERR_EXISTS")
                    other = nansen.Key.generate(alg)
                    other.save(path, overwrite=True)
                    self.assertEqual(nansen.Key.load(path), other)
            with self.assertRaises(nansen.EnvironmentFailure) as cm:
                nansen.Key.load(os.path.join(d, "missing.key"))
            self.assertEqual(cm.exception.name, "NANSEN_ERR_NOT_FOUND")

    def test_identifiers(self):
        key = nansen.Key.generate()
        self.assertTrue(key.did.startswith("did:key:z6Mk"))
        self.assertEqual(len(key.key_id), 8)
        self.assertEqual(key.key_id,
                         hashlib.sha256(key.public_bytes).digest()[:8])
        self.assertEqual(key.short_id, "kid:" + key.key_id.hex())
        pub = nansen.Key.from_did(key.did)
        self.assertFalse(pub.has_secret)
        self.assertEqual(pub, key)
        self.assertEqual(hash(pub), hash(key))
        self.assertEqual(nansen.Key.from_public(key.public_bytes), key)
        k1 = nansen.Key.generate("secp256k1")
        self.assertTrue(k1.did.startswith("did:key:zQ3s"))
        self.assertEqual(len(k1.public_bytes), 33)
        self.assertNotIn("secret", repr(key).lower().replace("can sign", ""))

    def test_close(self):
        key = nansen.Key.generate()
        key.close()
        key.close()
        self.assertEqual(repr(key), "<nansen.Key closed>")
        with self.assertRaises(nansen.CallerError):
            key.did
        with nansen.Verifier(nansen.Key.generate()) as v:
            pass
        with self.assertRaises(nansen.CallerError):
            v.verify(b"")


class TestVocabulary(unittest.TestCase):

    def test_labels(self):
        self.assertEqual(nansen.label("urgency", "priority"),
                         nansen.label("urgency", 2, "en"))
        self.assertTrue(nansen.label("service", "psychosocial-support",
                                     "ar"))
        self.assertEqual(nansen.label("purpose", "treatment", "xx"),
                         nansen.label("purpose", "treatment", "en"))
        self.assertEqual(nansen.vocab.code("category", "health"), 3)
        self.assertEqual(nansen.vocab.id_of("service", 1),
                         "psychosocial-support")
        self.assertIsNone(nansen.vocab.id_of("service", 9999))
        self.assertIn((7, "wrong-audience"), nansen.vocab.entries("reason"))
        self.assertEqual([c for c, _ in nansen.vocab.entries("urgency")],
                         [1, 2, 3, 4])
        self.assertEqual(nansen.vocab.languages(),
                         ["en", "fr", "es", "ar", "fa", "uk", "ti", "so"])
        self.assertTrue(nansen.vocab.is_rtl("ar-SY"))
        self.assertFalse(nansen.vocab.is_rtl("ti"))
        self.assertEqual(nansen.reason_code(7), "wrong_audience")
        self.assertEqual(nansen.claim_category("notes"), "health")


if __name__ == "__main__":
    unittest.main()
