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


PASSPHRASE = "correct horse battery staple"
HEADER_BYTES = 168          # NANSEN_WALLET_HEADER_BYTES
CHECKSUM_BYTES = 32


def read(path):
    with open(path, "rb") as f:
        return f.read()


class WalletParties(Parties):
    """Parties with a wallet of the migrant's: two keys, the referral, a
    grant and its withdrawal."""

    def withdrawal(self, grant, when=T0 + 2 * DAY):
        return nansen.sign_withdrawal(self.migrant, grant, when)

    def make_wallet(self, passphrase=PASSPHRASE):
        w = nansen.Wallet.create(passphrase, kdf="minimal")
        self.assertEqual(w.add_key(self.migrant, "phone 2026", T0), 0)
        self.assertEqual(w.generate_key("secp256k1", "spare", T0 + 1), 1)
        grant = self.grant()
        w.add("referral", self.referral, T0)
        w.add("grant", grant, T0 + 3600)
        w.add("withdrawal", self.withdrawal(grant), T0 + 2 * DAY)
        return w, grant

    def assertStatus(self, cm, cls, name):
        self.assertIs(type(cm.exception), cls)
        self.assertEqual(cm.exception.name, name)

    def assertSameContents(self, a, b):
        self.assertEqual(a.info.wallet_id, b.info.wallet_id)
        self.assertEqual([(k.did, k.label, k.created) for k in a.keys()],
                         [(k.did, k.label, k.created) for k in b.keys()])
        for kind in ("referral", "grant", "withdrawal", "receipt"):
            self.assertEqual(a.items(kind), b.items(kind))
        self.assertEqual(a.ledger_head(), b.ledger_head())
        self.assertEqual(a.ledger_entries(), b.ledger_entries())


class TestWallet(WalletParties):

    def test_create_save_open_round_trip(self):
        w, grant = self.make_wallet()
        info = w.info
        self.assertIsInstance(info, nansen.WalletInfo)
        self.assertEqual(len(info.wallet_id), 16)
        self.assertEqual((info.opslimit, info.memlimit), (1, 8192))
        self.assertTrue(info.has_passphrase)
        self.assertEqual((info.keys, info.referrals, info.grants,
                          info.withdrawals, info.receipts,
                          info.ledger_entries), (2, 1, 1, 1, 0, 2))
        keys = w.keys()
        self.assertEqual([(k.index, k.did, k.label, k.created)
                          for k in keys],
                         [(0, self.migrant.did, "phone 2026", T0),
                          (1, keys[1].key.did, "spare", T0 + 1)])
        self.assertEqual(keys[0].key, self.migrant)
        self.assertEqual(keys[1].key.alg, "secp256k1")
        self.assertFalse(any(k.key.has_secret for k in keys))
        self.assertEqual(w.find_key(self.migrant.did), 0)
        self.assertIsNone(w.find_key(self.clinic))
        self.assertEqual(w.items("referral"), [self.referral])
        self.assertEqual(w.items("grant"), [grant])
        self.assertEqual(w.items(3), [self.withdrawal(grant)])
        self.assertEqual(w.items("receipt"), [])

        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "migrant.wallet")
            w.save(path)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            data = read(path)
            header = nansen.wallet_header(data)
            self.assertEqual(header, nansen.WalletHeader(
                version=1, opslimit=1, memlimit=8192,
                wallet_id=info.wallet_id,
                sealed_len=len(data) - HEADER_BYTES - CHECKSUM_BYTES))
            for opened in (nansen.Wallet.open(path, PASSPHRASE),
                           nansen.Wallet.from_bytes(data,
                                                    PASSPHRASE.encode())):
                self.assertSameContents(opened, w)
                self.assertEqual(opened.info, info)
            with self.assertRaises(nansen.EnvironmentFailure) as cm:
                nansen.Wallet.create(PASSPHRASE, kdf="minimal").save(path)
            self.assertStatus(cm, nansen.EnvironmentFailure,
                              "NANSEN_ERR_EXISTS")
            self.assertEqual(read(path), data)

            w.remove_key(1)
            w.remove("referral", 0)
            w.save(path, overwrite=True)
            opened = nansen.Wallet.open(path, PASSPHRASE)
            self.assertEqual([k.did for k in opened.keys()],
                             [self.migrant.did])
            self.assertEqual(opened.items("referral"), [])
            self.assertEqual(opened.info.ledger_entries, 2)  # ledger kept

            with self.assertRaises(nansen.EnvironmentFailure) as cm:
                nansen.Wallet.open(os.path.join(d, "missing"), PASSPHRASE)
            self.assertStatus(cm, nansen.EnvironmentFailure,
                              "NANSEN_ERR_NOT_FOUND")

    def test_seal_is_fresh_each_time(self):
        w, _ = self.make_wallet()
        a, b = w.seal(), w.seal()
        self.assertNotEqual(a, b)                       # fresh nonce
        self.assertEqual(len(a), len(b))
        self.assertSameContents(nansen.Wallet.from_bytes(a, PASSPHRASE),
                                nansen.Wallet.from_bytes(b, PASSPHRASE))

    def test_wrong_passphrase_leaves_the_file(self):
        w, _ = self.make_wallet()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w")
            w.save(path)
            before, mtime = read(path), os.stat(path).st_mtime_ns
            for wrong in ("correct horse battery stapler", b"\x00", "x"):
                with self.assertRaises(nansen.UntrustedError) as cm:
                    nansen.Wallet.open(path, wrong)
                self.assertStatus(cm, nansen.UntrustedError,
                                  "NANSEN_ERR_WRONG_PASSPHRASE")
                self.assertEqual(cm.exception.function, "nansen_wallet_open")
            self.assertEqual(read(path), before)
            self.assertEqual(os.stat(path).st_mtime_ns, mtime)
            self.assertEqual(os.listdir(d), ["w"])

    def test_damaged_file(self):
        w, _ = self.make_wallet()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w")
            w.save(path)
            good = read(path)
            for at in (HEADER_BYTES + 10, len(good) // 2, len(good) - 1):
                bad = bytearray(good)
                bad[at] ^= 0x01
                with open(path, "wb") as f:
                    f.write(bad)
                with self.assertRaises(nansen.MalformedError) as cm:
                    nansen.Wallet.open(path, PASSPHRASE)
                self.assertStatus(cm, nansen.MalformedError,
                                  "NANSEN_ERR_CHECKSUM")
                with self.assertRaises(nansen.MalformedError):
                    nansen.wallet_header(bad)
                self.assertEqual(read(path), bytes(bad))
            for cut in (len(good) - 1, HEADER_BYTES, 10):
                with open(path, "wb") as f:
                    f.write(good[:cut])
                with self.assertRaises(nansen.MalformedError) as cm:
                    nansen.Wallet.open(path, PASSPHRASE)
                self.assertStatus(cm, nansen.MalformedError,
                                  "NANSEN_ERR_TRUNCATED")
                self.assertEqual(read(path), good[:cut])
            with self.assertRaises(nansen.MalformedError) as cm:
                nansen.Wallet.from_bytes(b"not a wallet file" * 20,
                                         PASSPHRASE)
            self.assertStatus(cm, nansen.MalformedError,
                              "NANSEN_ERR_WRONG_TYPE")

    def test_ledger(self):
        w, grant = self.make_wallet()
        other = self.grant(audience=self.clinic.short_id, audience_name=None,
                           cti=b"grant-02", iat=T0 + 4 * DAY)
        w.add("grant", other, T0 + 4 * DAY)

        count, head = w.ledger_head()
        self.assertEqual(count, 3)
        entries = w.ledger_entries()
        self.assertEqual([(e.seq, e.kind) for e in entries],
                         [(0, "grant"), (1, "withdrawal"), (2, "grant")])
        self.assertEqual(head, entries[-1].hash)
        self.assertEqual(entries[0].prev, bytes(32))
        self.assertEqual(entries[1].prev, entries[0].hash)
        self.assertEqual(entries[2].prev, entries[1].hash)
        first, withdrawal, second = entries
        self.assertEqual(first.grant_digest, hashlib.sha256(grant).digest())
        self.assertEqual((first.audience, first.audience_name),
                         (self.clinic.did, "Al-Amal Clinic"))
        self.assertEqual(first.purpose, "treatment")
        self.assertEqual(first.categories, ("referral", "language", "health"))
        self.assertEqual((first.at, first.valid_from, first.valid_until),
                         (T0 + 3600, T0 + 3600, T0 + 8 * DAY))
        self.assertEqual((first.withdrawn_at, first.grant_recorded),
                         (0, False))
        self.assertEqual(withdrawal.grant_digest, first.grant_digest)
        self.assertEqual((withdrawal.withdrawn_at, withdrawal.grant_recorded,
                          withdrawal.audience, withdrawal.categories),
                         (T0 + 2 * DAY, True, None, ()))
        self.assertEqual((second.audience, second.audience_name,
                          second.valid_from),
                         (self.clinic.short_id, None, T0 + 4 * DAY))

        text = w.ledger_text("en", now=T0 + 3 * DAY)
        blocks = text.strip().split("\n\n")
        self.assertEqual(len(blocks), 2)
        self.assertIn("Al-Amal Clinic", blocks[0])
        self.assertIn("withdrawn on 2027-01-17", blocks[0])
        self.assertIn(self.clinic.short_id, blocks[1])
        self.assertIn("not yet valid", blocks[1])
        self.assertNotIn("withdrawn", blocks[1])
        self.assertNotEqual(w.ledger_text("fr", now=T0 + 3 * DAY), text)

        digest2 = hashlib.sha256(other).digest()
        self.assertEqual(w.grant_state(first.grant_digest, T0 + 3600),
                         "withdrawn")
        self.assertEqual(w.grant_state(digest2, T0 + 3 * DAY), "not_yet")
        self.assertEqual(w.grant_state(digest2, T0 + 5 * DAY), "active")
        self.assertEqual(w.grant_state(digest2, T0 + 8 * DAY), "expired")
        self.assertEqual(w.grant_state(bytes(32), T0), "unrecorded")

        self.assertTrue(w.check_anchor(count, head))
        self.assertTrue(w.check_anchor(1, first.hash))
        self.assertTrue(w.check_anchor(0, bytes(32)))
        self.assertFalse(w.check_anchor(1, withdrawal.hash))
        self.assertFalse(w.check_anchor(4, head))
        with self.assertRaises(nansen.CallerError):
            w.check_anchor(1, b"short")

        empty = nansen.Wallet.create(PASSPHRASE, kdf="minimal")
        self.assertEqual(empty.ledger_head(), (0, bytes(32)))
        self.assertEqual(empty.ledger_entries(), [])
        self.assertEqual(empty.ledger_text(now=T0), "")

    def test_passphrase_change(self):
        w, _ = self.make_wallet()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w")
            w.save(path)
            w.set_passphrase("nouvelle phrase secrète", kdf=(2, 16384))
            self.assertEqual((w.info.opslimit, w.info.memlimit), (2, 16384))
            nansen.Wallet.open(path, PASSPHRASE)       # the file: old one
            w.save(path, overwrite=True)
            self.assertEqual(nansen.wallet_header(read(path)).opslimit, 2)
            with self.assertRaises(nansen.UntrustedError) as cm:
                nansen.Wallet.open(path, PASSPHRASE)
            self.assertEqual(cm.exception.name, "NANSEN_ERR_WRONG_PASSPHRASE")
            opened = nansen.Wallet.open(
                path, "nouvelle phrase secrète".encode("utf-8"))
            self.assertSameContents(opened, w)
            opened.set_passphrase(b"third")            # keeps the cost
            self.assertEqual((opened.info.opslimit, opened.info.memlimit),
                             (2, 16384))
            nansen.Wallet.from_bytes(opened.seal(), "third")

    def test_bad_arguments(self):
        for kdf in ("fast", (0, 8192), (1, 1024)):
            with self.assertRaises(nansen.CallerError):
                nansen.Wallet.create(PASSPHRASE, kdf=kdf)
        with self.assertRaises(nansen.CallerError):
            nansen.Wallet.create("")
        with self.assertRaises(TypeError):
            nansen.Wallet.create(1234)
        w, grant = self.make_wallet()
        with self.assertRaises(nansen.CallerError) as cm:
            w.add_key(nansen.Key.generate().public(), "public", T0)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_NO_SECRET_KEY")
        with self.assertRaises(nansen.EnvironmentFailure) as cm:
            w.add_key(self.migrant, "again", T0)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_EXISTS")
        with self.assertRaises(nansen.EnvironmentFailure) as cm:
            w.add("grant", grant, T0)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_EXISTS")
        with self.assertRaises(nansen.MalformedError):
            w.add("grant", self.referral, T0)
        with self.assertRaises(nansen.CallerError):
            w.add("diary", b"x", T0)
        with self.assertRaises(TypeError):
            w.generate_key("ed25519", None, T0)       # never a NULL label
        with self.assertRaises(TypeError):
            nansen.sign_withdrawal(self.migrant.did, grant, T0)
        with self.assertRaises(nansen.CallerError):
            w.remove_key(2)
        with self.assertRaises(nansen.CallerError):
            w.key(5)
        self.assertEqual((w.info.grants, w.info.ledger_entries), (1, 2))

    def test_passphrase_not_kept(self):
        w = nansen.Wallet.create(PASSPHRASE, kdf="minimal")
        self.assertEqual(set(vars(w)), {"_ptr", "_ctx"})
        with nansen.wallet._Secret(PASSPHRASE) as p:
            self.assertEqual(p.buf.value, PASSPHRASE.encode())
        self.assertEqual(p.buf.raw, bytes(len(PASSPHRASE) + 1))

    def test_close(self):
        w = nansen.Wallet.create(PASSPHRASE, kdf="minimal")
        self.assertIn("0 keys", repr(w))
        w.close()
        w.close()
        self.assertEqual(repr(w), "<nansen.Wallet closed>")
        with self.assertRaises(nansen.CallerError):
            w.info
        with nansen.Wallet.create(PASSPHRASE, kdf="minimal") as w:
            pass
        with self.assertRaises(nansen.CallerError):
            w.seal()


class TestRecovery(WalletParties):

    def test_every_pair_recovers(self):
        w, _ = self.make_wallet()
        sealed = w.seal()
        shares = w.split(2, 3, T0 + 5)
        self.assertEqual(len(shares), 3)
        infos = [nansen.share_info(s) for s in shares]
        self.assertEqual([(i.k, i.n, i.x, i.created) for i in infos],
                         [(2, 3, x, T0 + 5) for x in (1, 2, 3)])
        self.assertEqual({i.wallet_id for i in infos}, {w.info.wallet_id})
        self.assertEqual(len({i.split_id for i in infos}), 1)
        for pair in ((0, 1), (0, 2), (1, 2), (2, 0)):
            r = nansen.Wallet.recover(sealed, [shares[i] for i in pair])
            self.assertSameContents(r, w)
            self.assertFalse(r.info.has_passphrase)
        r = nansen.Wallet.recover(sealed, shares)
        self.assertSameContents(r, w)

        with self.assertRaises(nansen.CallerError) as cm:
            r.seal()                   # no passphrase yet
        self.assertEqual(cm.exception.name, "NANSEN_ERR_INVALID_ARG")
        r.set_passphrase("chosen after recovery", kdf="minimal")
        self.assertTrue(r.info.has_passphrase)
        reopened = nansen.Wallet.from_bytes(r.seal(), "chosen after recovery")
        self.assertSameContents(reopened, w)

    def test_shares_survive_a_passphrase_change(self):
        w, _ = self.make_wallet()
        shares = w.split(2, 2, T0)
        w.set_passphrase("another one")
        r = nansen.Wallet.recover(w.seal(), shares)
        self.assertSameContents(r, w)

    def test_not_enough_and_mismatched_shares(self):
        w, _ = self.make_wallet()
        sealed = w.seal()
        a, b = w.split(2, 3, T0), w.split(2, 3, T0)
        for few in ([a[0]], [a[1], a[1]], []):
            with self.assertRaises(nansen.CallerError) as cm:
                nansen.Wallet.recover(sealed, few)
            self.assertStatus(cm, nansen.CallerError,
                              "NANSEN_ERR_NOT_ENOUGH_SHARES")
        with self.assertRaises(nansen.UntrustedError) as cm:
            nansen.Wallet.recover(sealed, [a[0], b[1]])
        self.assertStatus(cm, nansen.UntrustedError,
                          "NANSEN_ERR_SHARE_MISMATCH")
        other = nansen.Wallet.create(PASSPHRASE, kdf="minimal")
        with self.assertRaises(nansen.UntrustedError) as cm:
            nansen.Wallet.recover(other.seal(), a[:2])
        self.assertStatus(cm, nansen.UntrustedError,
                          "NANSEN_ERR_SHARE_MISMATCH")
        damaged = bytearray(a[1])
        damaged[len(damaged) // 2] ^= 0x40
        with self.assertRaises(nansen.MalformedError):
            nansen.Wallet.recover(sealed, [a[0], bytes(damaged)])
        with self.assertRaises(nansen.MalformedError):
            nansen.share_info(bytes(damaged))
        with self.assertRaises(nansen.CallerError):
            w.split(1, 3, T0)

    def test_share_text(self):
        w, _ = self.make_wallet()
        shares = w.split(3, 5, T0)
        texts = [nansen.share_to_text(s) for s in shares]
        self.assertTrue(all(t.startswith("NS1:") for t in texts))
        self.assertEqual(len(set(texts)), 5)
        self.assertEqual([nansen.share_from_text(t) for t in texts], shares)
        r = nansen.Wallet.recover(
            w.seal(), [nansen.share_from_text(t) for t in texts[2:]])
        self.assertSameContents(r, w)
        with self.assertRaises(nansen.MalformedError):
            nansen.share_from_text("NS1:" + texts[0][4:-2])
        with self.assertRaises(nansen.MalformedError):
            nansen.share_from_text("hello")

    def test_rotation(self):
        new = nansen.Key.generate("secp256k1")
        statement = nansen.sign_rotation(self.migrant, new, T0 + 9)
        rotation = nansen.verify_rotation(statement, self.migrant.did)
        self.assertIsInstance(rotation, nansen.Rotation)
        new_key, iat = rotation
        self.assertEqual(new_key, new)
        self.assertEqual(new_key.did, new.did)
        self.assertFalse(new_key.has_secret)
        self.assertEqual(iat, T0 + 9)
        with self.assertRaises(nansen.UntrustedError) as cm:
            nansen.verify_rotation(statement, self.ngo)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_KEY_MISMATCH")
        forged = nansen.sign_rotation(self.ngo, new, T0 + 9)
        with self.assertRaises(nansen.UntrustedError):
            nansen.verify_rotation(forged, self.migrant)
        with self.assertRaises(nansen.CallerError) as cm:
            nansen.sign_rotation(self.migrant.public(), new, T0)
        self.assertEqual(cm.exception.name, "NANSEN_ERR_NO_SECRET_KEY")
        with self.assertRaises(nansen.MalformedError):
            nansen.verify_rotation(statement[:-5], self.migrant)


if __name__ == "__main__":
    unittest.main()
