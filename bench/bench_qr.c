/* bench_qr.c - the demo grant in a QR code: where its bytes go, and what
 * rendering, reading and scan-to-verdict cost against raw signatures.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * 1. Sizes. The grant of examples/demo.sh, made from fixed keys, salts,
 *    ids and times (its size is the CLI's: no length depends on them):
 *    its bytes, its framed text, the QR version it needs at each level,
 *    and every byte of it attributed to one of signatures, holder key,
 *    digests, disclosures, referral claims, consent claims and COSE
 *    structure, with a check that they add up to the size. The same for a
 *    grant that reveals nothing and one that reveals everything, and how
 *    far each is from QR version 15 at level M.
 * 2. nansen_qr_render (PNG) and nansen_qr_read_image against the length of
 *    the framed text, as ratios to one raw Ed25519 verification
 *    (libsodium crypto_sign_verify_detached over 600 bytes).
 * 3. Scan to verdict: reading the demo grant's PNG, unframing and
 *    verifying it, against two raw verifications (the issuer's and the
 *    holder's signatures are the floor of any verification).
 *
 * Ratios, not seconds, are the claim: they are measured in the same run
 * on the same machine. Each time is the fastest of ROUNDS interleaved
 * measurements of at least MIN_SECONDS each, so that a noisy neighbour
 * slows a ratio's two sides alike or not at all.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "nansen.h"

#define MIN_SECONDS 0.3
#define ROUNDS 3
#define T0 1767225600              /* the verifier's fixed time */
#define DAY 86400
#define RAW_MSG_BYTES 600
#define PNG_SCALE 4
#define PNG_MARGIN 4
#define AIM_VERSION 15             /* the size aim: version 15 at level M */
#define AIM_BYTES 370              /* ... about 370 bytes of CBOR */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*op_fn)(void *arg);

/* Seconds per call, running at least MIN_SECONDS; negative on failure.
 * Batches of 8: reading an image takes milliseconds, and a batch then
 * goes once through the 8 texts of a size (VARIANTS below). */
static double per_call(op_fn op, void *arg)
{
    double start = now(), t;
    long n = 0, batch = 8, i;

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

/* ---- a tiny CBOR reader, enough to walk a grant ---- */

/* Read one head at *pos: major type and argument (for major type 7 the
 * simple value). Definite lengths only, as Nansen's tokens are. */
static int rd_head(const uint8_t *b, size_t len, size_t *pos, int *mt,
                   uint64_t *arg)
{
    unsigned ai;
    size_t n, i;

    if (*pos >= len)
        return -1;
    *mt = b[*pos] >> 5;
    ai = b[*pos] & 31u;
    (*pos)++;
    if (ai < 24) {
        *arg = ai;
        return 0;
    }
    if (ai > 27)
        return -1;
    n = (size_t)1 << (ai - 24);
    if (len - *pos < n)
        return -1;
    for (*arg = 0, i = 0; i < n; i++)
        *arg = (*arg << 8) | b[(*pos)++];
    return 0;
}

/* Skip one whole item. */
static int skip(const uint8_t *b, size_t len, size_t *pos, int depth)
{
    int mt;
    uint64_t arg, i;

    if (depth > 16 || rd_head(b, len, pos, &mt, &arg))
        return -1;
    switch (mt) {
    case 2:
    case 3:
        if (arg > len - *pos)
            return -1;
        *pos += (size_t)arg;
        return 0;
    case 4:
    case 5:
        if (arg > len)
            return -1;
        for (i = 0; i < (mt == 5 ? 2 * arg : arg); i++)
            if (skip(b, len, pos, depth + 1))
                return -1;
        return 0;
    case 6:
        return skip(b, len, pos, depth + 1);
    default:
        return 0;
    }
}

/* Read an integer map key (major type 0 or 1). */
static int rd_int(const uint8_t *b, size_t len, size_t *pos, int64_t *v)
{
    int mt;
    uint64_t arg;

    if (rd_head(b, len, pos, &mt, &arg) || mt > 1 || arg > INT64_MAX)
        return -1;
    *v = mt == 0 ? (int64_t)arg : -1 - (int64_t)arg;
    return 0;
}

/* Read a head that must be of major type want; its argument in *arg. */
static int rd_want(const uint8_t *b, size_t len, size_t *pos, int want,
                   uint64_t *arg)
{
    int mt;

    return rd_head(b, len, pos, &mt, arg) || mt != want ? -1 : 0;
}

/* ---- where the bytes go ---- */

enum {
    G_SIG, G_KEY, G_DIG, G_DISC, G_REF, G_CON, G_COSE, G_N
};

static const char *const group_name[G_N] = {
    "signatures", "holder key (cnf COSE_Key)",
    "digests (simple(59) array)", "disclosures (header 17)",
    "referral claims", "consent claims", "COSE headers and structure"};

enum {
    I_SIG_ISSUER, I_SIG_HOLDER,
    I_KEY_BYTES, I_KEY_REST,
    I_DIG_BYTES, I_DIG_REST,
    I_DISC_SALTS, I_DISC_VALUES, I_DISC_REST,
    I_REF_SUB, I_REF_TIMES, I_REF_CTI, I_REF_ISSNAME, I_REF_PLAIN,
    I_REF_MAPS,
    I_CON_AUD, I_CON_TIMES, I_CON_NAME, I_CON_NOTICE, I_CON_TERMS,
    I_CON_IDS, I_CON_MAPS,
    I_COSE_TAGS, I_COSE_PARAMS, I_COSE_HEADS,
    I_N
};

static const struct {
    int group;
    const char *name;
} item[I_N] = {
    {G_SIG, "issuer's (64 + 2-byte head)"},
    {G_SIG, "holder's (64 + 2-byte head)"},
    {G_KEY, "the 32-byte public key"},
    {G_KEY, "label 8, {1: ...}, kty, crv, heads"},
    {G_DIG, "32 bytes each"},
    {G_DIG, "heads, key simple(59), array"},
    {G_DISC, "salts (16 bytes each)"},
    {G_DISC, "claim values"},
    {G_DISC, "label 17, arrays, heads, claim keys"},
    {G_REF, "sub (holder's short id), iss"},
    {G_REF, "iat, nbf, exp"},
    {G_REF, "cti (referral id)"},
    {G_REF, "issuer-name"},
    {G_REF, "profile, service, urgency, interpreter"},
    {G_REF, "claim map heads, key -65537"},
    {G_CON, "aud (clinic's short id)"},
    {G_CON, "iat, nbf, exp"},
    {G_CON, "audience name"},
    {G_CON, "notice language and SHA-256"},
    {G_CON, "profile, purpose, categories"},
    {G_CON, "cti, cnonce"},
    {G_CON, "claim map heads, key -65537"},
    {G_COSE, "tags 18, [4] arrays"},
    {G_COSE, "alg, kid, typ, label 13"},
    {G_COSE, "bstr heads, unprotected maps"},
};

typedef struct acct {
    size_t n[I_N];
    unsigned digests, disclosures;
} acct;

static void take(acct *a, int it, size_t from, size_t to)
{
    a->n[it] += to - from;
}

/* One disclosure (the content of a bstr in header 17): [salt, value, key]
 * or a decoy [salt]. */
static int walk_disclosure(const uint8_t *b, size_t end, size_t *pos,
                           acct *a)
{
    uint64_t n, salt;
    size_t s = *pos;

    if (rd_want(b, end, pos, 4, &n) || (n != 1 && n != 3) ||
        rd_want(b, end, pos, 2, &salt) || salt > end - *pos)
        return -1;
    take(a, I_DISC_REST, s, *pos);
    take(a, I_DISC_SALTS, *pos, *pos + (size_t)salt);
    *pos += (size_t)salt;
    if (n == 3) {
        s = *pos;
        if (skip(b, end, pos, 0))
            return -1;
        take(a, I_DISC_VALUES, s, *pos);
        s = *pos;
        if (skip(b, end, pos, 0))
            return -1;
        take(a, I_DISC_REST, s, *pos);
    }
    a->disclosures++;
    return 0;
}

/* The referral's claims: sub, times, cti, cnf, the Nansen claim map. */
static int walk_referral_claims(const uint8_t *b, size_t end, size_t *pos,
                                acct *a)
{
    uint64_t n, i, m, j, k;
    int64_t key, sub;
    size_t s = *pos;
    int it;

    if (rd_want(b, end, pos, 5, &n))
        return -1;
    take(a, I_REF_MAPS, s, *pos);
    for (i = 0; i < n; i++) {
        s = *pos;
        if (rd_int(b, end, pos, &key))
            return -1;
        if (key == NANSEN_CWT_CNF) {
            /* {1: COSE_Key}: only the x coordinate (-2) is the key */
            if (rd_want(b, end, pos, 5, &m) || m != 1 ||
                rd_int(b, end, pos, &sub) || sub != 1 ||
                rd_want(b, end, pos, 5, &m))
                return -1;
            for (j = 0; j < m; j++) {
                if (rd_int(b, end, pos, &sub))
                    return -1;
                if (sub == -2) {
                    if (rd_want(b, end, pos, 2, &k) || k > end - *pos)
                        return -1;
                    take(a, I_KEY_REST, s, *pos);
                    take(a, I_KEY_BYTES, *pos, *pos + (size_t)k);
                    *pos += (size_t)k;
                    s = *pos;
                } else if (skip(b, end, pos, 0)) {
                    return -1;
                }
            }
            take(a, I_KEY_REST, s, *pos);
            continue;
        }
        if (key == NANSEN_CWT_CLAIM_NANSEN) {
            if (rd_want(b, end, pos, 5, &m))
                return -1;
            take(a, I_REF_MAPS, s, *pos);
            for (j = 0; j < m; j++) {
                int mt;
                uint64_t arg;

                s = *pos;
                if (rd_head(b, end, pos, &mt, &arg))
                    return -1;
                if (mt == 7 && arg == 59) {
                    /* the digests of the redacted claims and decoys */
                    if (rd_want(b, end, pos, 4, &k))
                        return -1;
                    take(a, I_DIG_REST, s, *pos);
                    for (; k > 0; k--) {
                        uint64_t d;

                        s = *pos;
                        if (rd_want(b, end, pos, 2, &d) || d > end - *pos)
                            return -1;
                        take(a, I_DIG_REST, s, *pos);
                        take(a, I_DIG_BYTES, *pos, *pos + (size_t)d);
                        *pos += (size_t)d;
                        a->digests++;
                    }
                    continue;
                }
                if (mt != 0 || skip(b, end, pos, 0))
                    return -1;
                take(a, arg == NANSEN_CLAIM_ISSUER_NAME ? I_REF_ISSNAME
                                                        : I_REF_PLAIN,
                     s, *pos);
            }
            continue;
        }
        if (skip(b, end, pos, 0))
            return -1;
        switch (key) {
        case NANSEN_CWT_ISS:
        case NANSEN_CWT_SUB:
            it = I_REF_SUB;
            break;
        case NANSEN_CWT_IAT:
        case NANSEN_CWT_NBF:
        case NANSEN_CWT_EXP:
            it = I_REF_TIMES;
            break;
        case NANSEN_CWT_CTI:
            it = I_REF_CTI;
            break;
        default:
            return -1;
        }
        take(a, it, s, *pos);
    }
    return 0;
}

/* The grant's claims: aud, times, cti, cnonce, the consent map. */
static int walk_grant_claims(const uint8_t *b, size_t end, size_t *pos,
                             acct *a)
{
    uint64_t n, i, m, j;
    int64_t key, sub;
    size_t s = *pos;
    int it;

    if (rd_want(b, end, pos, 5, &n))
        return -1;
    take(a, I_CON_MAPS, s, *pos);
    for (i = 0; i < n; i++) {
        s = *pos;
        if (rd_int(b, end, pos, &key))
            return -1;
        if (key == NANSEN_CWT_CLAIM_NANSEN) {
            if (rd_want(b, end, pos, 5, &m))
                return -1;
            take(a, I_CON_MAPS, s, *pos);
            for (j = 0; j < m; j++) {
                s = *pos;
                if (rd_int(b, end, pos, &sub) || skip(b, end, pos, 0))
                    return -1;
                take(a, sub == 5 ? I_CON_NAME
                        : sub == 3 || sub == 4 ? I_CON_NOTICE
                                               : I_CON_TERMS,
                     s, *pos);
            }
            continue;
        }
        if (skip(b, end, pos, 0))
            return -1;
        switch (key) {
        case NANSEN_CWT_AUD:
            it = I_CON_AUD;
            break;
        case NANSEN_CWT_IAT:
        case NANSEN_CWT_NBF:
        case NANSEN_CWT_EXP:
            it = I_CON_TIMES;
            break;
        case NANSEN_CWT_CTI:
        case NANSEN_CWT_CNONCE:
            it = I_CON_IDS;
            break;
        default:
            return -1;
        }
        take(a, it, s, *pos);
    }
    return 0;
}

/* A tagged COSE_Sign1 at *pos: the referral (the grant's kcwt) when
 * is_grant is 0, else the grant, whose kcwt is walked in place. */
static int walk_sign1(const uint8_t *b, size_t end, size_t *pos, acct *a,
                      int is_grant)
{
    uint64_t arg, n, i;
    int64_t label;
    size_t s = *pos, stop;

    if (rd_want(b, end, pos, 6, &arg) || arg != NANSEN_COSE_TAG_SIGN1 ||
        rd_want(b, end, pos, 4, &arg) || arg != 4)
        return -1;
    take(a, I_COSE_TAGS, s, *pos);

    /* protected: bstr .cbor {alg, kid, typ, kcwt} */
    s = *pos;
    if (rd_want(b, end, pos, 2, &arg) || arg > end - *pos)
        return -1;
    take(a, I_COSE_HEADS, s, *pos);
    stop = *pos + (size_t)arg;
    s = *pos;
    if (rd_want(b, stop, pos, 5, &n))
        return -1;
    take(a, I_COSE_HEADS, s, *pos);
    for (i = 0; i < n; i++) {
        s = *pos;
        if (rd_int(b, stop, pos, &label))
            return -1;
        if (is_grant && label == NANSEN_COSE_HDR_KCWT) {
            take(a, I_COSE_PARAMS, s, *pos);
            if (walk_sign1(b, stop, pos, a, 0))
                return -1;
            continue;
        }
        if (skip(b, stop, pos, 0))
            return -1;
        take(a, I_COSE_PARAMS, s, *pos);
    }
    if (*pos != stop)
        return -1;

    /* unprotected: {} or {17: [+ bstr .cbor disclosure]} */
    s = *pos;
    if (rd_want(b, end, pos, 5, &n))
        return -1;
    take(a, I_COSE_HEADS, s, *pos);
    for (i = 0; i < n; i++) {
        s = *pos;
        if (rd_int(b, end, pos, &label))
            return -1;
        if (!is_grant && label == NANSEN_COSE_HDR_SD_CLAIMS) {
            uint64_t k, d;

            if (rd_want(b, end, pos, 4, &k))
                return -1;
            take(a, I_DISC_REST, s, *pos);
            for (; k > 0; k--) {
                s = *pos;
                if (rd_want(b, end, pos, 2, &d) || d > end - *pos)
                    return -1;
                take(a, I_DISC_REST, s, *pos);
                stop = *pos + (size_t)d;
                if (walk_disclosure(b, stop, pos, a) || *pos != stop)
                    return -1;
            }
            continue;
        }
        if (skip(b, end, pos, 0))
            return -1;
        take(a, I_COSE_PARAMS, s, *pos);
    }

    /* payload: bstr .cbor claims */
    s = *pos;
    if (rd_want(b, end, pos, 2, &arg) || arg > end - *pos)
        return -1;
    take(a, I_COSE_HEADS, s, *pos);
    stop = *pos + (size_t)arg;
    if ((is_grant ? walk_grant_claims(b, stop, pos, a)
                  : walk_referral_claims(b, stop, pos, a)) ||
        *pos != stop)
        return -1;

    /* signature */
    s = *pos;
    if (rd_want(b, end, pos, 2, &arg) || arg > end - *pos)
        return -1;
    *pos += (size_t)arg;
    take(a, is_grant ? I_SIG_HOLDER : I_SIG_ISSUER, s, *pos);
    return 0;
}

static int account(acct *a, const uint8_t *grant, size_t len)
{
    size_t pos = 0, sum = 0;
    int i;

    memset(a, 0, sizeof *a);
    if (walk_sign1(grant, len, &pos, a, 1) || pos != len)
        return -1;
    for (i = 0; i < I_N; i++)
        sum += a->n[i];
    return sum == len ? 0 : -1;
}

/* ---- the demo ---- */

enum { GR_DEMO, GR_NONE, GR_ALL, GR_N };

static const char *const grant_title[GR_N] = {
    "demo", "reveals nothing", "reveals everything"};

typedef struct grant_out {
    uint8_t bytes[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t len;
    char frame[2 * NANSEN_CREDENTIAL_MAX_BYTES];
    size_t frame_len;                  /* without the NUL */
    int version[4];                    /* L, M, Q, H */
    acct a;
} grant_out;

typedef struct state {
    nansen_ctx *ctx;
    nansen_key *issuer, *holder, *clinic;
    nansen_verifier *verifier;
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t ref_len;
    grant_out g[GR_N];
    /* raw */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    uint8_t msg[RAW_MSG_BYTES];
    uint8_t sig[crypto_sign_BYTES];
} state;

static int key_from_seed(nansen_ctx *ctx, nansen_key **k, nansen_key_type t,
                         uint8_t fill)
{
    uint8_t seed[32];
    nansen_err err;

    memset(seed, fill, sizeof seed);
    err = nansen_key_from_secret(ctx, k, t, seed);
    sodium_memzero(seed, sizeof seed);
    return err == NANSEN_OK ? 0 : -1;
}

static int vocab(nansen_vocab_kind kind, const char *id, uint32_t *code)
{
    return nansen_vocab_lookup_id(kind, id, strlen(id), code) == NANSEN_OK
               ? 0
               : -1;
}

/* The referral of examples/demo.sh step 2, at fixed times and salts. */
static int make_referral(state *s)
{
    static const uint8_t salt_seed[32] = {4, 4, 4, 4};
    static const uint8_t cti[NANSEN_CTI_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
    nansen_referral r;
    nansen_issue_params ip;
    nansen_err err;

    memset(&r, 0, sizeof r);
    if (vocab(NANSEN_VOCAB_SERVICE, "psychosocial-support", &r.service) ||
        vocab(NANSEN_VOCAB_URGENCY, "priority", &r.urgency))
        return -1;
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Nightmares, panic at night";
    r.risk = "Self-harm thoughts in the last month";
    r.contact = "Amina H., caseworker, +30 210 000 0000";
    r.issuer_name = "Helping Hands Athens";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    r.decoys = 0;

    memset(&ip, 0, sizeof ip);
    ip.iat = T0 - DAY;
    ip.exp = ip.iat + 30 * DAY;        /* --valid 30d */
    ip.cti = cti;
    ip.salt_seed = salt_seed;
    s->ref_len = sizeof s->ref;
    if ((err = nansen_referral_issue(s->ctx, s->ref, &s->ref_len, s->issuer,
                                     s->holder, &r, &ip)) != NANSEN_OK) {
        fprintf(stderr, "bench: issue: %s\n", nansen_err_name(err));
        return -1;
    }
    return 0;
}

/* A grant of examples/demo.sh step 3 (which = GR_DEMO), or the same
 * revealing nothing, or everything (then also granting the categories
 * of risk and contact). */
static int make_grant(state *s, int which, const char *audience)
{
    static const char *const cat_ids[] = {"language", "health", "risk",
                                          "contact"};
    uint32_t cats[4];
    nansen_grant_params gp;
    nansen_credential *cred = NULL;
    grant_out *g = &s->g[which];
    nansen_err err;
    size_t i, n;

    memset(&gp, 0, sizeof gp);
    gp.audience = audience;
    gp.audience_name = "Athens Community Clinic";
    if (vocab(NANSEN_VOCAB_PURPOSE, "treatment", &gp.purpose))
        return -1;
    for (i = 0; i < 4; i++)
        if (vocab(NANSEN_VOCAB_CATEGORY, cat_ids[i], &cats[i]))
            return -1;
    gp.categories = cats;
    gp.category_count = which == GR_ALL ? 4 : 2;
    gp.disclose = which == GR_NONE ? 0
                  : which == GR_DEMO
                      ? NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                            NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES)
                      : NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                            NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES) |
                            NANSEN_CLAIM_BIT(NANSEN_CLAIM_RISK) |
                            NANSEN_CLAIM_BIT(NANSEN_CLAIM_CONTACT);
    gp.iat = T0 - 60;
    gp.exp = gp.iat + 7 * DAY;         /* --valid 7d */
    gp.notice_lang = "en";
    gp.budget.max_version = -1;        /* sizes are reported, not refused */

    if ((err = nansen_credential_decode(s->ctx, &cred, s->ref, s->ref_len)) !=
        NANSEN_OK) {
        fprintf(stderr, "bench: decode: %s\n", nansen_err_name(err));
        return -1;
    }
    g->len = sizeof g->bytes;
    err = nansen_grant_sign(s->ctx, g->bytes, &g->len, s->holder, cred, &gp);
    nansen_credential_free(cred);
    if (err != NANSEN_OK) {
        fprintf(stderr, "bench: grant: %s\n", nansen_err_name(err));
        return -1;
    }
    n = sizeof g->frame;
    if (nansen_frame_encode(g->frame, &n, g->bytes, g->len, 0) != NANSEN_OK)
        return -1;
    g->frame_len = n - 1;
    for (i = 0; i < 4; i++)
        if (nansen_qr_version_needed(g->frame, g->frame_len,
                                     (nansen_qr_ecc)(NANSEN_QR_ECC_L + i),
                                     &g->version[i]) != NANSEN_OK)
            g->version[i] = 41;
    if (account(&g->a, g->bytes, g->len) != 0) {
        fprintf(stderr, "bench: cannot account for the %s grant's bytes\n",
                grant_title[which]);
        return -1;
    }
    return 0;
}

static size_t base45_len(size_t n)
{
    return 3 * (n / 2) + 2 * (n % 2);
}

/* The most CBOR bytes whose NS1: frame fits a version at a level (signed
 * CBOR does not compress, so NS1Z: is no help). */
static size_t cbor_capacity(int version, nansen_qr_ecc ecc)
{
    static char text[4 + 3 * 4000];
    size_t n, best = 0;
    int v;

    memset(text, 'A', sizeof text);
    for (n = 1; n < 4000; n++) {
        if (nansen_qr_version_needed(text, 4 + base45_len(n), ecc, &v) !=
                NANSEN_OK ||
            v > version)
            break;
        best = n;
    }
    return best;
}

static void print_sizes(const state *s)
{
    size_t group[GR_N][G_N], total[GR_N], cap15, cap20;
    int i, w, gi;
    const grant_out *d = &s->g[GR_DEMO];

    printf("\n1. Sizes: the demo grant of examples/demo.sh (Ed25519 NGO and "
           "migrant keys)\n");
    printf("  referral %zu bytes; grants to the clinic's short id, purpose "
           "treatment, notice en, no cti, no cnonce\n",
           s->ref_len);
    printf("  %-34s %6s %6s %5s %4s %4s %4s %4s\n", "grant", "bytes",
           "frame", "", "L", "M", "Q", "H");
    for (w = 0; w < GR_N; w++) {
        const grant_out *g = &s->g[w];
        char prefix[8];
        const char *c = strchr(g->frame, ':');
        size_t pl = c != NULL ? (size_t)(c - g->frame) + 1 : 0;
        char label[64];

        if (pl >= sizeof prefix)
            pl = 0;
        memcpy(prefix, g->frame, pl);
        prefix[pl] = '\0';
        snprintf(label, sizeof label, "%s (%u disclosed)", grant_title[w],
                 g->a.disclosures);
        printf("  %-34s %6zu %6zu %5s %4d %4d %4d %4d\n", label, g->len,
               g->frame_len, prefix, g->version[0], g->version[1],
               g->version[2], g->version[3]);
    }
    printf("  (frame: characters of the QR text; L M Q H: the QR version "
           "it needs at each level)\n");

    printf("\n  %-42s %5s %8s %8s %10s\n", "where the bytes go", "demo",
           "", "nothing", "everything");
    for (w = 0; w < GR_N; w++) {
        total[w] = 0;
        for (gi = 0; gi < G_N; gi++)
            group[w][gi] = 0;
        for (i = 0; i < I_N; i++) {
            group[w][item[i].group] += s->g[w].a.n[i];
            total[w] += s->g[w].a.n[i];
        }
    }
    for (gi = 0; gi < G_N; gi++) {
        printf("  %-42s %5zu %7.1f%% %8zu %10zu\n", group_name[gi],
               group[GR_DEMO][gi],
               100.0 * (double)group[GR_DEMO][gi] / (double)d->len,
               group[GR_NONE][gi], group[GR_ALL][gi]);
        for (i = 0; i < I_N; i++) {
            if (item[i].group != gi)
                continue;
            if (s->g[GR_DEMO].a.n[i] == 0 && s->g[GR_NONE].a.n[i] == 0 &&
                s->g[GR_ALL].a.n[i] == 0)
                continue;
            printf("    %-40s %5zu %8s %8zu %10zu\n", item[i].name,
                   s->g[GR_DEMO].a.n[i], "", s->g[GR_NONE].a.n[i],
                   s->g[GR_ALL].a.n[i]);
        }
    }
    printf("  %-42s %5zu %7.1f%% %8zu %10zu\n", "total", total[GR_DEMO],
           100.0 * (double)total[GR_DEMO] / (double)d->len, total[GR_NONE],
           total[GR_ALL]);
    printf("  check: the categories add up to each grant's size: %s "
           "(%zu, %zu, %zu); digests %u, %u, %u\n",
           total[GR_DEMO] == d->len && total[GR_NONE] == s->g[GR_NONE].len &&
                   total[GR_ALL] == s->g[GR_ALL].len
               ? "yes"
               : "NO",
           s->g[GR_DEMO].len, s->g[GR_NONE].len, s->g[GR_ALL].len,
           s->g[GR_DEMO].a.digests, s->g[GR_NONE].a.digests,
           s->g[GR_ALL].a.digests);

    cap15 = cbor_capacity(AIM_VERSION, NANSEN_QR_ECC_M);
    cap20 = cbor_capacity(NANSEN_QR_DEFAULT_VERSION, NANSEN_QR_ECC_M);
    printf("\n  version %d at level M holds an NS1: frame of %zu characters: "
           "%zu bytes of CBOR\n",
           AIM_VERSION, 4 + base45_len(cap15), cap15);
    printf("  (version %d-M, the default budget: %zu characters, %zu "
           "bytes); the aim is about %d bytes\n",
           NANSEN_QR_DEFAULT_VERSION, 4 + base45_len(cap20), cap20,
           AIM_BYTES);
    for (w = 0; w < GR_N; w++) {
        const grant_out *g = &s->g[w];

        if (g->len <= cap15)
            printf("  %-20s %4zu bytes: fits %d-M, %zu bytes to spare\n",
                   grant_title[w], g->len, AIM_VERSION, cap15 - g->len);
        else
            printf("  %-20s %4zu bytes: needs %zu bytes less for %d-M, "
                   "%zu less for the aim\n",
                   grant_title[w], g->len, g->len - cap15, AIM_VERSION,
                   g->len > AIM_BYTES ? g->len - AIM_BYTES : 0);
    }
    if (d->len > cap15) {
        size_t fixed = group[GR_DEMO][G_SIG] + group[GR_DEMO][G_KEY] +
                       group[GR_DEMO][G_DIG];

        printf("  to fit %d-M the demo grant must lose %zu bytes (%.0f%%); "
               "its referral and consent\n"
               "  claims together are %zu bytes, its disclosures %zu; the "
               "signatures, the holder key\n"
               "  and the %u digests alone are %zu bytes\n",
               AIM_VERSION, d->len - cap15,
               100.0 * (double)(d->len - cap15) / (double)d->len,
               group[GR_DEMO][G_REF] + group[GR_DEMO][G_CON],
               group[GR_DEMO][G_DISC], d->a.digests, fixed);
    }
}

/* ---- timed operations ---- */

enum { TX_100, TX_300, TX_600, TX_970, TX_DEMO, TX_N };

/* zbar's time for codes of one version varies up to threefold with their
 * content, so each random size is timed over VARIANTS texts in turn. */
#define VARIANTS 8
#define TEXT_MAX 2048

typedef struct text_case {
    char label[48];
    size_t count;                      /* VARIANTS, or 1 for the grant */
    char text[VARIANTS][TEXT_MAX];
    size_t text_len[VARIANTS];
    int version;                       /* at level M */
    uint8_t *png[VARIANTS];            /* rendered once, read in the loop */
    size_t png_len[VARIANTS];
    uint8_t *out;                      /* the render loop's buffer */
    size_t out_cap;
    size_t next_render, next_read;
} text_case;

typedef struct timing {
    state *s;
    text_case tc[TX_N];
    uint8_t cbor[NANSEN_CREDENTIAL_MAX_BYTES];
} timing;

typedef struct op_arg {
    timing *t;
    int tx;
} op_arg;

static int op_raw_verify(void *p)
{
    state *s = ((op_arg *)p)->t->s;

    return crypto_sign_verify_detached(s->sig, s->msg, sizeof s->msg, s->pk);
}

static int op_render(void *p)
{
    op_arg *o = p;
    text_case *c = &o->t->tc[o->tx];
    size_t i = c->next_render, n = c->out_cap;

    c->next_render = (i + 1) % c->count;
    return nansen_qr_render(c->out, &n, c->text[i], c->text_len[i],
                            NANSEN_QR_ECC_M, NANSEN_QR_PNG, PNG_SCALE,
                            PNG_MARGIN) != NANSEN_OK ||
           n != c->png_len[i];
}

static int op_read(void *p)
{
    op_arg *o = p;
    text_case *c = &o->t->tc[o->tx];
    nansen_qr_codes *codes = NULL;
    size_t i = c->next_read, n = 0;
    int rc = 1;

    c->next_read = (i + 1) % c->count;
    if (nansen_qr_read_image(&codes, c->png[i], c->png_len[i]) ==
            NANSEN_OK &&
        nansen_qr_codes_text(codes, 0, &n) != NULL && n == c->text_len[i])
        rc = 0;
    nansen_qr_codes_free(codes);
    return rc;
}

static int op_verify(void *p)
{
    op_arg *o = p;
    state *s = o->t->s;
    nansen_verdict *v = NULL;
    int rc;

    if (nansen_verify_grant(s->verifier, &v, s->g[GR_DEMO].bytes,
                            s->g[GR_DEMO].len) != NANSEN_OK)
        return 1;
    rc = nansen_verdict_reason(v) != NANSEN_REASON_ACCEPT;
    nansen_verdict_free(v);
    return rc;
}

/* What a clinic's phone or scanner does with a photo of the code. */
static int op_scan(void *p)
{
    op_arg *o = p;
    timing *t = o->t;
    text_case *c = &t->tc[TX_DEMO];
    nansen_qr_codes *codes = NULL;
    nansen_verdict *v = NULL;
    const char *text;
    size_t n = 0, cbor_len = sizeof t->cbor;
    int rc = 1;

    if (nansen_qr_read_image(&codes, c->png[0], c->png_len[0]) ==
            NANSEN_OK &&
        (text = nansen_qr_codes_text(codes, 0, &n)) != NULL &&
        nansen_frame_decode(t->cbor, &cbor_len, NULL, text, n, 0) ==
            NANSEN_OK &&
        nansen_verify_grant(t->s->verifier, &v, t->cbor, cbor_len) ==
            NANSEN_OK &&
        nansen_verdict_reason(v) == NANSEN_REASON_ACCEPT)
        rc = 0;
    nansen_verdict_free(v);
    nansen_qr_codes_free(codes);
    return rc;
}

/* Framed texts of random bytes: Base45 of random bytes looks like a
 * signed token's (keys, digests and signatures are random bytes). */
static int random_frames(text_case *c, size_t bytes)
{
    uint8_t seed[randombytes_SEEDBYTES] = {7};
    uint8_t buf[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t i, n;

    c->count = VARIANTS;
    for (i = 0; i < VARIANTS; i++) {
        seed[1] = (uint8_t)i;
        randombytes_buf_deterministic(buf, bytes, seed);
        n = sizeof c->text[i];
        if (nansen_frame_encode(c->text[i], &n, buf, bytes,
                                NANSEN_FRAME_NO_ZLIB) != NANSEN_OK)
            return -1;
        c->text_len[i] = n - 1;
    }
    snprintf(c->label, sizeof c->label, "random, %zu bytes", bytes);
    return 0;
}

static int prepare_text(text_case *c)
{
    size_t i, n;

    if (nansen_qr_version_needed(c->text[0], c->text_len[0], NANSEN_QR_ECC_M,
                                 &c->version) != NANSEN_OK)
        return -1;
    for (i = 0; i < c->count; i++) {
        n = 0;
        if (nansen_qr_render(NULL, &n, c->text[i], c->text_len[i],
                             NANSEN_QR_ECC_M, NANSEN_QR_PNG, PNG_SCALE,
                             PNG_MARGIN) != NANSEN_OK ||
            n == 0 || (c->png[i] = malloc(n)) == NULL)
            return -1;
        c->png_len[i] = n;
        if (nansen_qr_render(c->png[i], &c->png_len[i], c->text[i],
                             c->text_len[i], NANSEN_QR_ECC_M, NANSEN_QR_PNG,
                             PNG_SCALE, PNG_MARGIN) != NANSEN_OK)
            return -1;
        if (n > c->out_cap)
            c->out_cap = n;
    }
    return (c->out = malloc(c->out_cap)) == NULL ? -1 : 0;
}

enum {
    T_RAW, T_RENDER0, T_READ0 = T_RENDER0 + TX_N, T_VERIFY = T_READ0 + TX_N,
    T_SCAN, T_N
};

static int measure(timing *t, double out[T_N])
{
    op_arg args[T_N];
    op_fn ops[T_N];
    int r, i;

    for (i = 0; i < T_N; i++) {
        args[i].t = t;
        args[i].tx = 0;
        out[i] = 1e9;
    }
    ops[T_RAW] = op_raw_verify;
    for (i = 0; i < TX_N; i++) {
        ops[T_RENDER0 + i] = op_render;
        args[T_RENDER0 + i].tx = i;
        ops[T_READ0 + i] = op_read;
        args[T_READ0 + i].tx = i;
    }
    ops[T_VERIFY] = op_verify;
    ops[T_SCAN] = op_scan;
    for (r = 0; r < ROUNDS; r++)
        for (i = 0; i < T_N; i++) {
            double x = per_call(ops[i], &args[i]);

            if (x < 0)
                return -1;
            if (x < out[i])
                out[i] = x;
        }
    return 0;
}

static int run_timing(state *s)
{
    static timing t;
    static const size_t bytes[TX_DEMO] = {64, 197, 397, 644};
    double x[T_N], raw, raw2;
    int i, status = -1;
    unsigned w;

    memset(&t, 0, sizeof t);
    t.s = s;
    for (i = 0; i < TX_DEMO; i++)
        if (random_frames(&t.tc[i], bytes[i]) != 0)
            goto out;
    if (s->g[GR_DEMO].frame_len >= TEXT_MAX)
        goto out;
    t.tc[TX_DEMO].count = 1;
    memcpy(t.tc[TX_DEMO].text[0], s->g[GR_DEMO].frame,
           s->g[GR_DEMO].frame_len + 1);
    t.tc[TX_DEMO].text_len[0] = s->g[GR_DEMO].frame_len;
    snprintf(t.tc[TX_DEMO].label, sizeof t.tc[TX_DEMO].label,
             "demo grant, %zu bytes", s->g[GR_DEMO].len);
    for (i = 0; i < TX_N; i++)
        if (prepare_text(&t.tc[i]) != 0) {
            fprintf(stderr, "bench: cannot render %s\n", t.tc[i].label);
            goto out;
        }

    crypto_sign_keypair(s->pk, s->sk);
    randombytes_buf(s->msg, sizeof s->msg);
    crypto_sign_detached(s->sig, NULL, s->msg, sizeof s->msg, s->sk);
    if (measure(&t, x) != 0)
        goto out;
    raw = x[T_RAW];
    raw2 = 2 * raw;

    printf("\n2. Render (PNG, level M, scale %d, margin %d) and read "
           "(nansen_qr_read_image)\n",
           PNG_SCALE, PNG_MARGIN);
    printf("  raw verify: libsodium crypto_sign_verify_detached, %d-byte "
           "message: %.0f ops/s\n",
           RAW_MSG_BYTES, 1.0 / raw);
    printf("  %-24s %5s %4s %6s %10s %8s %10s %8s\n", "framed text",
           "chars", "ver", "pixels", "render/s", "x raw", "read/s",
           "x raw");
    for (i = 0; i < TX_N; i++) {
        const text_case *c = &t.tc[i];

        w = (unsigned)(17 + 4 * c->version + 2 * PNG_MARGIN) * PNG_SCALE;
        printf("  %-24s %5zu %2d-M %6u %10.0f %8.1f %10.0f %8.1f\n",
               c->label, c->text_len[0], c->version, w,
               1.0 / x[T_RENDER0 + i], x[T_RENDER0 + i] / raw,
               1.0 / x[T_READ0 + i], x[T_READ0 + i] / raw);
    }
    printf("  (pixels: the PNG's width and height; x raw: the time of one "
           "operation over one raw verify;\n"
           "  random: the mean over %d texts, whose read times differ up to "
           "threefold at one version)\n",
           VARIANTS);

    printf("\n3. Scan to verdict: the demo grant's PNG (%d-M, %u x %u "
           "pixels, %zu bytes), verifier ACCEPT\n",
           t.tc[TX_DEMO].version,
           (unsigned)(17 + 4 * t.tc[TX_DEMO].version + 2 * PNG_MARGIN) *
               PNG_SCALE,
           (unsigned)(17 + 4 * t.tc[TX_DEMO].version + 2 * PNG_MARGIN) *
               PNG_SCALE,
           t.tc[TX_DEMO].png_len[0]);
    printf("  %-52s %8s  %s\n", "operation", "ops/s", "ratio");
    printf("  %-52s %8.0f\n", "two raw verifies (600-byte messages)",
           1.0 / raw2);
    printf("  %-52s %8.0f  %6.1f x two raw verifies\n",
           "read the image (nansen_qr_read_image + free)",
           1.0 / x[T_READ0 + TX_DEMO], x[T_READ0 + TX_DEMO] / raw2);
    printf("  %-52s %8.0f  %6.2f x two raw verifies\n",
           "verify alone (nansen_verify_grant + free)", 1.0 / x[T_VERIFY],
           x[T_VERIFY] / raw2);
    printf("  %-52s %8.0f  %6.1f x two raw verifies\n",
           "scan to verdict (read + unframe + verify + frees)",
           1.0 / x[T_SCAN], x[T_SCAN] / raw2);
    printf("  reading the image is %.1f%% of scan to verdict, verifying "
           "%.1f%%, the signatures' floor %.1f%%\n",
           100.0 * x[T_READ0 + TX_DEMO] / x[T_SCAN],
           100.0 * x[T_VERIFY] / x[T_SCAN], 100.0 * raw2 / x[T_SCAN]);
    status = 0;
out:
    for (i = 0; i < TX_N; i++) {
        size_t k;

        for (k = 0; k < VARIANTS; k++)
            free(t.tc[i].png[k]);
        free(t.tc[i].out);
    }
    sodium_memzero(s->sk, sizeof s->sk);
    return status;
}

static int setup(state *s)
{
    char audience[NANSEN_SHORT_ID_BYTES];
    int w;

    /* demo.sh: Ed25519 NGO and migrant keys, a secp256k1 clinic key */
    if (key_from_seed(s->ctx, &s->issuer, NANSEN_KEY_ED25519, 0x11) ||
        key_from_seed(s->ctx, &s->holder, NANSEN_KEY_ED25519, 0x22) ||
        key_from_seed(s->ctx, &s->clinic, NANSEN_KEY_SECP256K1, 0x33) ||
        nansen_key_short_id(s->clinic, audience) != NANSEN_OK)
        return -1;
    if (make_referral(s) != 0)
        return -1;
    for (w = 0; w < GR_N; w++)
        if (make_grant(s, w, audience) != 0)
            return -1;
    if (nansen_verifier_create(s->ctx, &s->verifier, s->clinic) !=
            NANSEN_OK ||
        nansen_verifier_trust_issuer(s->verifier, s->issuer) != NANSEN_OK)
        return -1;
    nansen_verifier_set_time(s->verifier, T0);
    for (w = 0; w < GR_N; w++) {
        nansen_verdict *v = NULL;
        int ok = nansen_verify_grant(s->verifier, &v, s->g[w].bytes,
                                     s->g[w].len) == NANSEN_OK &&
                 nansen_verdict_reason(v) == NANSEN_REASON_ACCEPT;

        nansen_verdict_free(v);
        if (!ok) {
            fprintf(stderr, "bench: the %s grant is not accepted\n",
                    grant_title[w]);
            return -1;
        }
    }
    return 0;
}

int main(void)
{
    static state s;
    int status = 1;

    if ((s.ctx = nansen_ctx_create(0)) == NULL)
        return 1;
    if (setup(&s) != 0) {
        fprintf(stderr, "bench: setup failed\n");
        goto out;
    }
    printf("the demo grant in a QR code; each time the best of %d runs of "
           ">= %.1f s\n",
           ROUNDS, MIN_SECONDS);
    print_sizes(&s);
    fflush(stdout);
    if (run_timing(&s) != 0)
        goto out;
    status = 0;
out:
    nansen_verifier_free(s.verifier);
    nansen_key_free(s.issuer);
    nansen_key_free(s.holder);
    nansen_key_free(s.clinic);
    nansen_ctx_destroy(s.ctx);
    return status;
}
