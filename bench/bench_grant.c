/* bench_grant.c - referral, consent grant and verification against raw
 * signatures.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * For a demo-like referral (service, urgency, language, interpreter,
 * notes, risk, contact; the default claims selectively disclosable, two
 * decoys) and a grant that reveals language, interpreter and notes under
 * the categories language and health, prints the operations per second of
 *   issue   nansen_referral_issue (random salts and id),
 *   grant   nansen_credential_decode + nansen_grant_sign + free,
 *   verify  nansen_verify_grant + nansen_verdict_free (ACCEPT),
 * and their ratios to the raw signature operations measured in the same
 * run on the same machine: issue and grant each make one signature;
 * verify checks two (the issuer's and the holder's), so its floor is two
 * raw verifications of messages as long as the two Sig_structures.
 *
 * Ed25519: raw is libsodium's crypto_sign_detached and
 * crypto_sign_verify_detached. secp256k1: raw is libsodium's SHA-256 of
 * the message plus libsecp256k1's compact-signature and public-key
 * parsing and ecdsa_sign / ecdsa_verify, the work a one-shot ES256K
 * operation on bytes cannot avoid. libsecp256k1 is reached with dlopen
 * (the benchmarks link libnansen and libsodium only); without it the
 * secp256k1 ratios are given against raw Ed25519 instead, and say so.
 *
 * Each time is the fastest of ROUNDS interleaved measurements of at least
 * MIN_SECONDS each, so that a noisy neighbour slows a ratio's two sides
 * alike or not at all.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <secp256k1.h>
#include <sodium.h>

#include "nansen.h"

#define MIN_SECONDS 0.3
#define ROUNDS 3
#define T0 1767225600              /* the verifier's fixed time */
#define DAY 86400
#define DECOYS 2
#define VERIFY_GOAL 1.10

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*op_fn)(void *arg);

/* Seconds per call, running at least MIN_SECONDS; negative on failure. */
static double per_call(op_fn op, void *arg)
{
    double start = now(), t;
    long n = 0, batch = 16, i;

    do {
        for (i = 0; i < batch; i++)
            if (op(arg) != 0) {
                fprintf(stderr, "bench: operation failed\n");
                return -1;
            }
        n += batch;
        t = now() - start;
    } while (t < MIN_SECONDS);
    return t / (double)n;
}

/* ---- libsecp256k1, through dlopen ---- */

typedef struct secp_api {
    void *lib;
    secp256k1_context *ctx;
    void (*context_destroy)(secp256k1_context *);
    int (*pubkey_parse)(const secp256k1_context *, secp256k1_pubkey *,
                        const unsigned char *, size_t);
    int (*pubkey_create)(const secp256k1_context *, secp256k1_pubkey *,
                         const unsigned char *);
    int (*pubkey_serialize)(const secp256k1_context *, unsigned char *,
                            size_t *, const secp256k1_pubkey *,
                            unsigned int);
    int (*sig_parse)(const secp256k1_context *, secp256k1_ecdsa_signature *,
                     const unsigned char *);
    int (*sig_serialize)(const secp256k1_context *, unsigned char *,
                         const secp256k1_ecdsa_signature *);
    int (*sign)(const secp256k1_context *, secp256k1_ecdsa_signature *,
                const unsigned char *, const unsigned char *,
                secp256k1_nonce_function, const void *);
    int (*verify)(const secp256k1_context *,
                  const secp256k1_ecdsa_signature *, const unsigned char *,
                  const secp256k1_pubkey *);
} secp_api;

/* dlsym into a function pointer without an object-to-function cast. */
static int sym(void *lib, const char *name, void *fn_ptr)
{
    void *p = dlsym(lib, name);

    if (p == NULL)
        return -1;
    memcpy(fn_ptr, &p, sizeof p);
    return 0;
}

static int secp_open(secp_api *api)
{
    static const char *names[] = {"libsecp256k1.so", "libsecp256k1.so.2",
                                  "libsecp256k1.so.1", "libsecp256k1.so.0",
                                  "libsecp256k1.dylib"};
    secp256k1_context *(*create)(unsigned int) = NULL;
    size_t i;

    memset(api, 0, sizeof *api);
    for (i = 0; i < sizeof names / sizeof names[0] && api->lib == NULL; i++)
        api->lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (api->lib == NULL)
        return -1;
    if (sym(api->lib, "secp256k1_context_create", &create) ||
        sym(api->lib, "secp256k1_context_destroy", &api->context_destroy) ||
        sym(api->lib, "secp256k1_ec_pubkey_parse", &api->pubkey_parse) ||
        sym(api->lib, "secp256k1_ec_pubkey_create", &api->pubkey_create) ||
        sym(api->lib, "secp256k1_ec_pubkey_serialize",
            &api->pubkey_serialize) ||
        sym(api->lib, "secp256k1_ecdsa_signature_parse_compact",
            &api->sig_parse) ||
        sym(api->lib, "secp256k1_ecdsa_signature_serialize_compact",
            &api->sig_serialize) ||
        sym(api->lib, "secp256k1_ecdsa_sign", &api->sign) ||
        sym(api->lib, "secp256k1_ecdsa_verify", &api->verify) ||
        (api->ctx = create(SECP256K1_CONTEXT_SIGN |
                           SECP256K1_CONTEXT_VERIFY)) == NULL) {
        dlclose(api->lib);
        api->lib = NULL;
        return -1;
    }
    return 0;
}

static void secp_close(secp_api *api)
{
    if (api->ctx != NULL)
        api->context_destroy(api->ctx);
    if (api->lib != NULL)
        dlclose(api->lib);
}

/* ---- the state of one run (one key type) ---- */

typedef struct raw_msg {
    uint8_t msg[NANSEN_CREDENTIAL_MAX_BYTES + 64];
    size_t len;
    uint8_t sig[64];
} raw_msg;

typedef struct state {
    nansen_ctx *ctx;
    nansen_key_type type;
    nansen_key *issuer, *holder, *clinic;
    nansen_verifier *verifier;
    nansen_referral referral;
    nansen_issue_params issue;
    nansen_grant_params grant;
    char audience[NANSEN_DID_MAX_BYTES];
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t ref_len;
    uint8_t gr[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t gr_len;
    uint8_t scratch[NANSEN_CREDENTIAL_MAX_BYTES];
    /* raw */
    secp_api *secp;            /* NULL: raw Ed25519 */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char secp_sk[32];
    unsigned char secp_pk[33];
    raw_msg m_ref, m_gr;       /* as long as the two Sig_structures */
} state;

static int op_issue(void *a)
{
    state *s = a;
    size_t n = sizeof s->scratch;

    return nansen_referral_issue(s->ctx, s->scratch, &n, s->issuer,
                                 s->holder, &s->referral, &s->issue) !=
           NANSEN_OK;
}

static int op_grant(void *a)
{
    state *s = a;
    nansen_credential *cred = NULL;
    size_t n = sizeof s->scratch;
    int rc = 1;

    if (nansen_credential_decode(s->ctx, &cred, s->ref, s->ref_len) ==
            NANSEN_OK &&
        nansen_grant_sign(s->ctx, s->scratch, &n, s->holder, cred,
                          &s->grant) == NANSEN_OK)
        rc = 0;
    nansen_credential_free(cred);
    return rc;
}

static int op_verify(void *a)
{
    state *s = a;
    nansen_verdict *v = NULL;
    int rc;

    if (nansen_verify_grant(s->verifier, &v, s->gr, s->gr_len) != NANSEN_OK)
        return 1;
    rc = nansen_verdict_reason(v) != NANSEN_REASON_ACCEPT;
    nansen_verdict_free(v);
    return rc;
}

static int raw_sign_msg(state *s, raw_msg *m)
{
    if (s->secp == NULL)
        return crypto_sign_detached(m->sig, NULL, m->msg, m->len, s->sk);
    {
        secp256k1_ecdsa_signature sig;
        unsigned char h[crypto_hash_sha256_BYTES];

        crypto_hash_sha256(h, m->msg, m->len);
        if (!s->secp->sign(s->secp->ctx, &sig, h, s->secp_sk, NULL, NULL) ||
            !s->secp->sig_serialize(s->secp->ctx, m->sig, &sig))
            return 1;
        return 0;
    }
}

static int raw_verify_msg(state *s, const raw_msg *m)
{
    if (s->secp == NULL)
        return crypto_sign_verify_detached(m->sig, m->msg, m->len, s->pk);
    {
        secp256k1_ecdsa_signature sig;
        secp256k1_pubkey pub;
        unsigned char h[crypto_hash_sha256_BYTES];

        crypto_hash_sha256(h, m->msg, m->len);
        if (!s->secp->sig_parse(s->secp->ctx, &sig, m->sig) ||
            !s->secp->pubkey_parse(s->secp->ctx, &pub, s->secp_pk,
                                   sizeof s->secp_pk) ||
            !s->secp->verify(s->secp->ctx, &sig, h, &pub))
            return 1;
        return 0;
    }
}

static int op_raw_sign(void *a)
{
    state *s = a;

    return raw_sign_msg(s, &s->m_ref);
}

static int op_raw_verify_ref(void *a)
{
    state *s = a;

    return raw_verify_msg(s, &s->m_ref);
}

static int op_raw_verify_grant(void *a)
{
    state *s = a;

    return raw_verify_msg(s, &s->m_gr);
}

/* Length of a CBOR head for a byte string of n bytes. */
static size_t head_len(size_t n)
{
    return n < 24 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5;
}

/* Length of the Sig_structure ["Signature1", protected, h'', payload] a
 * COSE_Sign1 signs: the message each raw operation works on. */
static int sig_structure_len(const uint8_t *msg, size_t len, size_t *out)
{
    nansen_cose_sign1 v;

    if (nansen_cose_sign1_parse(&v, msg, len, NULL) != NANSEN_OK)
        return -1;
    *out = 1 + 11 + head_len(v.protected_map_len) + v.protected_map_len +
           1 + head_len(v.payload_len) + v.payload_len;
    return 0;
}

static int setup_raw(state *s)
{
    if (sig_structure_len(s->ref, s->ref_len, &s->m_ref.len) ||
        sig_structure_len(s->gr, s->gr_len, &s->m_gr.len) ||
        s->m_ref.len > sizeof s->m_ref.msg || s->m_gr.len > sizeof s->m_gr.msg)
        return -1;
    randombytes_buf(s->m_ref.msg, s->m_ref.len);
    randombytes_buf(s->m_gr.msg, s->m_gr.len);
    if (s->secp == NULL) {
        crypto_sign_keypair(s->pk, s->sk);
    } else {
        secp256k1_pubkey pub;
        size_t n = sizeof s->secp_pk;

        do
            randombytes_buf(s->secp_sk, sizeof s->secp_sk);
        while (!s->secp->pubkey_create(s->secp->ctx, &pub, s->secp_sk));
        if (!s->secp->pubkey_serialize(s->secp->ctx, s->secp_pk, &n, &pub,
                                       SECP256K1_EC_COMPRESSED))
            return -1;
    }
    if (raw_sign_msg(s, &s->m_ref) || raw_sign_msg(s, &s->m_gr) ||
        raw_verify_msg(s, &s->m_ref) || raw_verify_msg(s, &s->m_gr))
        return -1;
    return 0;
}

static int setup(state *s, nansen_key_type type)
{
    static const uint32_t categories[2] = {2, 3}; /* language, health */
    nansen_credential *cred = NULL;
    size_t n;
    nansen_err err;

    s->type = type;
    if (nansen_key_generate(s->ctx, &s->issuer, type) != NANSEN_OK ||
        nansen_key_generate(s->ctx, &s->holder, type) != NANSEN_OK ||
        nansen_key_generate(s->ctx, &s->clinic, type) != NANSEN_OK)
        return -1;
    n = sizeof s->audience;
    if (nansen_key_did(s->clinic, s->audience, &n) != NANSEN_OK)
        return -1;

    memset(&s->referral, 0, sizeof s->referral);
    if (nansen_vocab_lookup_id(NANSEN_VOCAB_SERVICE, "psychosocial-support",
                               20, &s->referral.service) != NANSEN_OK ||
        nansen_vocab_lookup_id(NANSEN_VOCAB_URGENCY, "priority", 8,
                               &s->referral.urgency) != NANSEN_OK)
        return -1;
    s->referral.language = "ti";
    s->referral.interpreter = 1;
    s->referral.notes = "Sleep problems and panic attacks since arrival; "
                        "prefers a female clinician.";
    s->referral.risk = "none known";
    s->referral.contact = "caseworker@ngo.example";
    s->referral.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    s->referral.decoys = DECOYS;

    memset(&s->issue, 0, sizeof s->issue);
    s->issue.iat = T0 - DAY;
    s->issue.exp = T0 + 90 * DAY;
    /* the QR budget (framing and a table look-up) is left out here */
    s->issue.budget.max_version = -1;

    memset(&s->grant, 0, sizeof s->grant);
    s->grant.audience = s->audience;
    s->grant.purpose = 1; /* treatment */
    s->grant.categories = categories;
    s->grant.category_count = 2;
    s->grant.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                        NANSEN_CLAIM_BIT(NANSEN_CLAIM_INTERPRETER) |
                        NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES);
    s->grant.iat = T0 - 60;
    s->grant.exp = T0 + 7 * DAY;
    s->grant.notice_lang = "en";
    s->grant.budget.max_version = -1;

    s->ref_len = sizeof s->ref;
    if ((err = nansen_referral_issue(s->ctx, s->ref, &s->ref_len, s->issuer,
                                     s->holder, &s->referral, &s->issue)) !=
        NANSEN_OK) {
        fprintf(stderr, "bench: issue: %s\n", nansen_err_name(err));
        return -1;
    }
    if ((err = nansen_credential_decode(s->ctx, &cred, s->ref, s->ref_len)) !=
        NANSEN_OK) {
        fprintf(stderr, "bench: decode: %s\n", nansen_err_name(err));
        return -1;
    }
    s->gr_len = sizeof s->gr;
    err = nansen_grant_sign(s->ctx, s->gr, &s->gr_len, s->holder, cred,
                            &s->grant);
    nansen_credential_free(cred);
    if (err != NANSEN_OK) {
        fprintf(stderr, "bench: grant: %s\n", nansen_err_name(err));
        return -1;
    }

    if (nansen_verifier_create(s->ctx, &s->verifier, s->clinic) !=
            NANSEN_OK ||
        nansen_verifier_trust_issuer(s->verifier, s->issuer) != NANSEN_OK)
        return -1;
    nansen_verifier_set_time(s->verifier, T0);
    if (op_verify(s) != 0) {
        fprintf(stderr, "bench: the demo grant is not accepted\n");
        return -1;
    }
    return setup_raw(s);
}

static void teardown(state *s)
{
    sodium_memzero(s->sk, sizeof s->sk);
    sodium_memzero(s->secp_sk, sizeof s->secp_sk);
    nansen_verifier_free(s->verifier);
    nansen_key_free(s->issuer);
    nansen_key_free(s->holder);
    nansen_key_free(s->clinic);
    s->verifier = NULL;
    s->issuer = s->holder = s->clinic = NULL;
}

enum { T_RAW_SIGN, T_RAW_VREF, T_RAW_VGR, T_ISSUE, T_GRANT, T_VERIFY, T_N };

static int measure(state *s, double t[T_N])
{
    static const op_fn ops[T_N] = {op_raw_sign, op_raw_verify_ref,
                                   op_raw_verify_grant, op_issue, op_grant,
                                   op_verify};
    int r, i;

    for (i = 0; i < T_N; i++)
        t[i] = 1e9;
    for (r = 0; r < ROUNDS; r++)
        for (i = 0; i < T_N; i++) {
            double x = per_call(ops[i], s);

            if (x < 0)
                return -1;
            if (x < t[i])
                t[i] = x;
        }
    return 0;
}

static int run(nansen_ctx *ctx, nansen_key_type type, secp_api *secp)
{
    static state s;
    const char *alg = type == NANSEN_KEY_ED25519 ? "Ed25519 (EdDSA)"
                                                 : "secp256k1 (ES256K)";
    const char *raw_sign, *raw_verify;
    double t[T_N], floor2;
    int status = -1;

    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.secp = secp;
    if (type == NANSEN_KEY_ED25519) {
        raw_sign = "libsodium crypto_sign_detached";
        raw_verify = "libsodium crypto_sign_verify_detached";
    } else if (secp != NULL) {
        raw_sign = "SHA-256 + libsecp256k1 ecdsa_sign";
        raw_verify = "SHA-256 + libsecp256k1 ecdsa_verify";
    } else {
        raw_sign = "libsodium crypto_sign_detached (Ed25519: "
                   "libsecp256k1 not found)";
        raw_verify = "libsodium crypto_sign_verify_detached (Ed25519: "
                     "libsecp256k1 not found)";
    }
    if (setup(&s, type) != 0 || measure(&s, t) != 0)
        goto out;
    floor2 = t[T_RAW_VREF] + t[T_RAW_VGR];

    printf("\n%s issuer, holder and clinic keys\n", alg);
    printf("  referral %zu bytes (7 claims, 5 disclosable, %d decoys); "
           "grant %zu bytes (3 disclosed)\n",
           s.ref_len, DECOYS, s.gr_len);
    printf("  raw sign:   %s\n", raw_sign);
    printf("  raw verify: %s\n", raw_verify);
    printf("  signed messages: %zu bytes (referral), %zu bytes (grant)\n",
           s.m_ref.len, s.m_gr.len);
    printf("  %-38s %10s  %s\n", "operation", "ops/s", "ratio");
    printf("  %-38s %10.0f\n", "raw sign (referral-sized)",
           1.0 / t[T_RAW_SIGN]);
    printf("  %-38s %10.0f\n", "raw verify (referral-sized)",
           1.0 / t[T_RAW_VREF]);
    printf("  %-38s %10.0f\n", "raw verify (grant-sized)",
           1.0 / t[T_RAW_VGR]);
    printf("  %-38s %10.0f  %5.2f x one raw sign\n",
           "issue  (nansen_referral_issue)", 1.0 / t[T_ISSUE],
           t[T_ISSUE] / t[T_RAW_SIGN]);
    printf("  %-38s %10.0f  %5.2f x one raw sign\n",
           "grant  (decode + nansen_grant_sign)", 1.0 / t[T_GRANT],
           t[T_GRANT] / t[T_RAW_SIGN]);
    printf("  %-38s %10.0f  %5.2f x two raw verifies",
           "verify (nansen_verify_grant + free)", 1.0 / t[T_VERIFY],
           t[T_VERIFY] / floor2);
    if (type == NANSEN_KEY_ED25519 || secp != NULL)
        printf(" (goal <= %.2f)\n", VERIFY_GOAL);
    else
        printf(" (of Ed25519: no goal)\n");
    status = 0;
out:
    if (status != 0)
        fprintf(stderr, "bench: %s run failed\n", alg);
    teardown(&s);
    return status;
}

int main(void)
{
    secp_api secp;
    nansen_ctx *ctx;
    int have_secp, status = 1;

    if ((ctx = nansen_ctx_create(0)) == NULL)
        return 1;
    have_secp = secp_open(&secp) == 0;
    printf("demo referral and grant; each time the best of %d runs of "
           ">= %.1f s\n",
           ROUNDS, MIN_SECONDS);
    if (run(ctx, NANSEN_KEY_ED25519, NULL) == 0 &&
        run(ctx, NANSEN_KEY_SECP256K1, have_secp ? &secp : NULL) == 0)
        status = 0;
    if (have_secp)
        secp_close(&secp);
    nansen_ctx_destroy(ctx);
    return status;
}
