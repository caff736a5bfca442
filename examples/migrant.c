/* migrant.c - the holder reads the consent notice and signs a consent
 * grant that shows one clinic only the claims it chooses.
 *
 * SPDX-License-Identifier: CC0-1.0
 * To the extent possible under law, the Nansen Authors have waived all
 * copyright and related rights to this example program.
 *
 *   migrant                                             self-contained
 *   migrant HOLDER_KEY REFERRAL CLINIC_DID [OUT [LANG [CLINIC_NAME]]]
 *
 * HOLDER_KEY is the migrant's key file, REFERRAL the referral the NGO
 * issued to it (ngo_issuer writes referral.cbor), CLINIC_DID the clinic's
 * did:key (`nansen did clinic.key` prints it). The grant, for treatment,
 * valid 30 days (never past the referral), reveals the language and
 * interpreter claims and withholds the rest; it is written to OUT (default
 * grant.cbor). LANG is the language of the consent notice: en (default),
 * fr, es, ar, fa, uk, ti or so; CLINIC_NAME the name the notice gives the
 * clinic (default: its did:key).
 *
 * Without arguments a stand-in NGO first issues a referral to a fresh key,
 * and the files live in a temporary folder removed at the end.
 *
 * Build: cc migrant.c $(pkg-config --cflags --libs nansen)
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nansen.h>

#define DAY 86400

static int ok(nansen_err err, const char *what)
{
    if (err == NANSEN_OK)
        return 1;
    fprintf(stderr, "migrant: %s: %s (%s)\n", what, nansen_strerror(err),
            nansen_err_name(err));
    return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int good = f != NULL && fwrite(data, 1, len, f) == len;

    if (f != NULL && fclose(f) != 0)
        good = 0;
    if (!good)
        fprintf(stderr, "migrant: cannot write %s\n", path);
    return good;
}

/* A vocabulary code by its id (0, which no list uses, if unknown). */
static uint32_t vocab(nansen_vocab_kind kind, const char *id)
{
    uint32_t code = 0;

    if (nansen_vocab_lookup_id(kind, id, strlen(id), &code) != NANSEN_OK)
        fprintf(stderr, "migrant: %s is not in the vocabulary\n", id);
    return code;
}

/* Read a whole file of at most NANSEN_CREDENTIAL_MAX_BYTES. */
static int read_file(const char *path, uint8_t *buf, size_t *len)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        fprintf(stderr, "migrant: cannot read %s\n", path);
        return 0;
    }
    *len = fread(buf, 1, NANSEN_CREDENTIAL_MAX_BYTES, f);
    if (ferror(f) || fgetc(f) != EOF) {
        fprintf(stderr, "migrant: %s: unreadable or too long\n", path);
        fclose(f);
        return 0;
    }
    fclose(f);
    return 1;
}

/* Stand-ins for the other parties when run without arguments: an NGO
 * issues a referral to a fresh migrant key (saved), a clinic has a key. */
static int setup(nansen_ctx *ctx, const char *key_path, const char *ref_path,
                 char *clinic_did, size_t clinic_did_size)
{
    nansen_key *ngo = NULL, *migrant = NULL, *clinic = NULL;
    nansen_referral r;
    nansen_issue_params p;
    uint8_t cred[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t len = sizeof cred;
    int good = 0;

    memset(&r, 0, sizeof r);
    r.service = vocab(NANSEN_VOCAB_SERVICE, "psychosocial-support");
    r.urgency = vocab(NANSEN_VOCAB_URGENCY, "priority");
    r.target = "Al-Amal Community Clinic";
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Trouble sleeping since arrival; flashbacks.";
    r.risk = "history of self-harm";
    r.issuer_name = "Helping Hands NGO";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&p, 0, sizeof p);
    p.iat = (int64_t)time(NULL) - 60;
    p.exp = p.iat + 90 * DAY;
    if (ok(nansen_key_generate(ctx, &ngo, NANSEN_KEY_ED25519), "keygen") &&
        ok(nansen_key_generate(ctx, &migrant, NANSEN_KEY_ED25519), "keygen") &&
        ok(nansen_key_generate(ctx, &clinic, NANSEN_KEY_SECP256K1),
           "keygen") &&
        ok(nansen_key_save(ctx, migrant, key_path, 0), key_path) &&
        ok(nansen_key_did(clinic, clinic_did, &clinic_did_size), "did") &&
        ok(nansen_referral_issue(ctx, cred, &len, ngo, migrant, &r, &p),
           "issue") &&
        write_file(ref_path, cred, len)) {
        printf("(setup: an NGO issued %s to the key in %s)\n", ref_path,
               key_path);
        good = 1;
    }
    nansen_key_free(clinic);
    nansen_key_free(migrant);
    nansen_key_free(ngo);
    return good;
}

static void show_claims(const nansen_credential *cred)
{
    int c;

    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;
        int disclosable = 0;

        if (nansen_credential_claim(cred, (nansen_claim)c, &v,
                                    &disclosable) != NANSEN_OK)
            continue;
        printf("  %-12s %-8s ", nansen_claim_name((nansen_claim)c),
               disclosable ? "private" : "visible");
        if (v.type == NANSEN_VALUE_TEXT)
            printf("%s\n", v.text);
        else if (v.type == NANSEN_VALUE_BOOL)
            printf("%s\n", v.uint ? "yes" : "no");
        else
            printf("%s\n", nansen_vocab_id(c == NANSEN_CLAIM_SERVICE
                                               ? NANSEN_VOCAB_SERVICE
                                               : NANSEN_VOCAB_URGENCY,
                                           (uint32_t)v.uint));
    }
}

int main(int argc, char **argv)
{
    uint32_t categories[2];
    char tmp[512] = "", key_path[600] = "", ref_path[600] = "";
    char out_path[600] = "", clinic[NANSEN_DID_MAX_BYTES] = "";
    char did[NANSEN_DID_MAX_BYTES];
    const char *lang = "en", *clinic_name = NULL;
    nansen_ctx *ctx = NULL;
    nansen_key *holder = NULL;
    nansen_credential *cred = NULL;
    nansen_grant_params g;
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES], *grant = NULL;
    size_t ref_len = 0, grant_len = 0, notice_len = 0, did_len = sizeof did;
    char *notice = NULL;
    int64_t now, iat, nbf, exp;
    int made_tmp = 0, status = EXIT_FAILURE, c;

    if (argc != 1 && (argc < 4 || argc > 7)) {
        fprintf(stderr, "usage: migrant [HOLDER_KEY REFERRAL CLINIC_DID "
                        "[OUT [LANG [CLINIC_NAME]]]]\n");
        return 2;
    }
    if ((ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT)) == NULL) {
        fprintf(stderr, "migrant: cannot initialise libnansen\n");
        return EXIT_FAILURE;
    }
    if (argc == 1) {
        const char *t = getenv("TMPDIR");

        snprintf(tmp, sizeof tmp, "%s/nansen-migrant-XXXXXX",
                 t != NULL && *t != '\0' ? t : "/tmp");
        if (mkdtemp(tmp) == NULL) {
            perror("migrant: mkdtemp");
            goto out;
        }
        made_tmp = 1;
        printf("working in %s (removed at the end)\n", tmp);
        snprintf(key_path, sizeof key_path, "%s/migrant.key", tmp);
        snprintf(ref_path, sizeof ref_path, "%s/referral.cbor", tmp);
        snprintf(out_path, sizeof out_path, "%s/grant.cbor", tmp);
        if (!setup(ctx, key_path, ref_path, clinic, sizeof clinic))
            goto out;
        clinic_name = "Al-Amal Community Clinic";
    } else {
        snprintf(key_path, sizeof key_path, "%s", argv[1]);
        snprintf(ref_path, sizeof ref_path, "%s", argv[2]);
        snprintf(clinic, sizeof clinic, "%s", argv[3]);
        snprintf(out_path, sizeof out_path, "%s",
                 argc >= 5 ? argv[4] : "grant.cbor");
        if (argc >= 6)
            lang = argv[5];
        if (argc == 7)
            clinic_name = argv[6];
    }

    /* 1. The migrant's key and the referral it holds. */
    if (!ok(nansen_key_load(ctx, &holder, key_path), key_path) ||
        !ok(nansen_key_did(holder, did, &did_len), "did"))
        goto out;
    printf("migrant  %s\n", did);
    if (!read_file(ref_path, ref, &ref_len) ||
        !ok(nansen_credential_decode(ctx, &cred, ref, ref_len), ref_path))
        goto out;
    if (!nansen_key_equal(nansen_credential_holder(cred), holder)) {
        fprintf(stderr, "migrant: %s was issued to another key\n", ref_path);
        goto out;
    }
    nansen_credential_times(cred, &iat, &nbf, &exp);
    printf("referral from %s, %zu bytes:\n",
           nansen_credential_issuer_label(cred), ref_len);
    show_claims(cred);

    /* The grant names a did:key clinic by its short id: 36 bytes fewer in
     * the QR code, and the clinic's verifier answers to both. */
    if (strncmp(clinic, "did:key:", 8) == 0) {
        nansen_key *ck = NULL;
        int good = ok(nansen_key_from_did(ctx, &ck, clinic, strlen(clinic)),
                      clinic) &&
                   ok(nansen_key_short_id(ck, clinic), "short id");

        nansen_key_free(ck);
        if (!good)
            goto out;
    }

    /* 2. The consent: to this clinic, for treatment, the referral and
     *    language categories; reveal language and interpreter (those the
     *    referral has), for 30 days at most. */
    memset(&g, 0, sizeof g);
    g.audience = clinic;
    g.audience_name = clinic_name;
    g.purpose = vocab(NANSEN_VOCAB_PURPOSE, "treatment");
    categories[0] = vocab(NANSEN_VOCAB_CATEGORY, "referral");
    categories[1] = vocab(NANSEN_VOCAB_CATEGORY, "language");
    g.categories = categories;
    g.category_count = sizeof categories / sizeof categories[0];
    for (c = NANSEN_CLAIM_LANGUAGE; c <= NANSEN_CLAIM_INTERPRETER; c++) {
        nansen_claim_value v;

        if (nansen_credential_claim(cred, (nansen_claim)c, &v, NULL) ==
            NANSEN_OK)
            g.disclose |= NANSEN_CLAIM_BIT(c);
    }
    now = (int64_t)time(NULL);
    g.iat = now;
    g.exp = now + 30 * DAY < exp ? now + 30 * DAY : exp;
    g.notice_lang = lang;

    /* 3. The notice the migrant reads before agreeing: its SHA-256 goes
     *    into the grant. */
    if (!ok(nansen_grant_notice(NULL, &notice_len, cred, &g), "notice") ||
        (notice = malloc(notice_len)) == NULL ||
        !ok(nansen_grant_notice(notice, &notice_len, cred, &g), "notice"))
        goto out;
    printf("\nconsent notice (%s) shown to the migrant:\n\n  %s\n\n", lang,
           notice);

    /* 4. The migrant agrees: sign the grant. */
    if (!ok(nansen_grant_sign(ctx, NULL, &grant_len, holder, cred, &g),
            "grant size"))
        goto out;
    if ((grant = malloc(grant_len)) == NULL ||
        !ok(nansen_grant_sign(ctx, grant, &grant_len, holder, cred, &g),
            "sign grant"))
        goto out;
    printf("grant signed for %s: %zu bytes\n", clinic, grant_len);
    printf("revealed:");
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++)
        if (g.disclose & NANSEN_CLAIM_BIT(c))
            printf(" %s", nansen_claim_name((nansen_claim)c));
    printf("%s; every other private claim is withheld\n",
           g.disclose ? "" : " nothing");
    if (!write_file(out_path, grant, grant_len))
        goto out;
    printf("written to %s: show it to the clinic\n", out_path);
    status = EXIT_SUCCESS;
out:
    if (made_tmp) {
        remove(out_path);
        remove(ref_path);
        remove(key_path);
        remove(tmp);
    }
    free(grant);
    free(notice);
    nansen_credential_free(cred);
    nansen_key_free(holder);
    nansen_ctx_destroy(ctx);
    return status;
}
