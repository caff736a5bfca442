/* clinic_verifier.c - a clinic checks a consent grant offline and reads
 * only what the migrant chose to show.
 *
 * SPDX-License-Identifier: CC0-1.0
 * To the extent possible under law, the Nansen Authors have waived all
 * copyright and related rights to this example program.
 *
 *   clinic_verifier                                  self-contained
 *   clinic_verifier CLINIC GRANT ISSUER_DID...       act on files
 *
 * CLINIC is the clinic's key file or its did:key (the public key is
 * enough to verify), GRANT the grant the migrant shows (migrant writes
 * grant.cbor), ISSUER_DID the did:key of each NGO the clinic trusts (a
 * key file is read for its public key too).
 * Exit status: 0 accepted, 1 rejected, 2 usage or other error.
 *
 * Without arguments it makes an NGO, a migrant, a referral and a grant in
 * memory, verifies the grant (accepted), then a grant the same migrant made
 * for another clinic (rejected: wrong audience).
 *
 * Build: cc clinic_verifier.c $(pkg-config --cflags --libs nansen)
 */
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
    fprintf(stderr, "clinic_verifier: %s: %s (%s)\n", what,
            nansen_strerror(err), nansen_err_name(err));
    return 0;
}

/* A party by did:key, or by key file. */
static int party(nansen_ctx *ctx, const char *arg, nansen_key **key)
{
    if (strncmp(arg, "did:key:", 8) == 0)
        return ok(nansen_key_from_did(ctx, key, arg, strlen(arg)), arg);
    return ok(nansen_key_load(ctx, key, arg), arg);
}

static int read_file(const char *path, uint8_t *buf, size_t *len)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        fprintf(stderr, "clinic_verifier: cannot read %s\n", path);
        return 0;
    }
    *len = fread(buf, 1, NANSEN_CREDENTIAL_MAX_BYTES, f);
    if (ferror(f) || fgetc(f) != EOF) {
        fprintf(stderr, "clinic_verifier: %s: unreadable or too long\n",
                path);
        fclose(f);
        return 0;
    }
    fclose(f);
    return 1;
}

static const char *date(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm *tm = gmtime(&tt);

    if (tm == NULL || strftime(buf, size, "%Y-%m-%d %H:%M UTC", tm) == 0)
        snprintf(buf, size, "%lld", (long long)t);
    return buf;
}

static void show_value(nansen_claim c, const nansen_claim_value *v)
{
    const char *label = NULL;

    if (v->type == NANSEN_VALUE_TEXT) {
        printf("%s", v->text);
    } else if (v->type == NANSEN_VALUE_BOOL) {
        printf("%s", v->uint ? "yes" : "no");
    } else if (nansen_vocab_label(c == NANSEN_CLAIM_SERVICE
                                      ? NANSEN_VOCAB_SERVICE
                                      : NANSEN_VOCAB_URGENCY,
                                  (uint32_t)v->uint, "en", &label,
                                  NULL) == NANSEN_OK) {
        printf("%s", label);
    } else {
        printf("code %llu", (unsigned long long)v->uint);
    }
}

/* Verify one grant and print the verdict. Returns 0 if no verdict could
 * be reached (never for a bad grant: only for a bad call or no memory),
 * else 1 with the reason in *reason. */
static int check_grant(nansen_verifier *v, const uint8_t *grant, size_t len,
                       nansen_reason *reason_out)
{
    nansen_verdict *verdict = NULL;
    nansen_reason reason;
    uint32_t purpose;
    const uint32_t *cats;
    size_t ncats, i;
    int64_t from, until, signed_at;
    const char *issuer, *holder, *lang, *label;
    const uint8_t *grant_id, *ref_id, *digest;
    int c, matches;
    char d1[32], d2[32];

    if (!ok(nansen_verify_grant(v, &verdict, grant, len), "verify"))
        return 0;
    *reason_out = reason = nansen_verdict_reason(verdict);
    printf("%s: %s\n  reason %s, status %s\n",
           reason == NANSEN_REASON_ACCEPT ? "ACCEPT" : "REJECT",
           nansen_verdict_message(verdict, "en"), nansen_reason_code(reason),
           nansen_err_name(nansen_verdict_status(verdict)));
    if (reason != NANSEN_REASON_ACCEPT) {
        /* A rejected verdict shows nothing of the grant. */
        nansen_verdict_free(verdict);
        return 1;
    }

    printf("  what the clinic may see:\n");
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value val;
        int disclosed = 0;

        if (nansen_verdict_claim(verdict, (nansen_claim)c, &val,
                                 &disclosed) != NANSEN_OK)
            continue;
        printf("    %-12s ", nansen_claim_name((nansen_claim)c));
        show_value((nansen_claim)c, &val);
        printf("%s\n", disclosed ? "   (disclosed by the migrant)" : "");
    }
    if (nansen_verdict_consent(verdict, &purpose, &cats, &ncats) ==
            NANSEN_OK &&
        nansen_vocab_label(NANSEN_VOCAB_PURPOSE, purpose, "en", &label,
                           NULL) == NANSEN_OK) {
        printf("  purpose: %s; categories:", label);
        for (i = 0; i < ncats; i++)
            printf("%s %s", i ? "," : "", nansen_vocab_id(
                                              NANSEN_VOCAB_CATEGORY, cats[i]));
        printf("\n");
    }
    if (nansen_verdict_validity(verdict, &from, &until, &signed_at) ==
        NANSEN_OK)
        printf("  consent valid from %s until %s\n",
               date(from, d1, sizeof d1), date(until, d2, sizeof d2));
    if (nansen_verdict_parties(verdict, &issuer, &holder) == NANSEN_OK)
        printf("  issuer %s\n  holder %s\n", issuer, holder);
    if (nansen_verdict_ids(verdict, &grant_id, &ref_id, &digest) ==
        NANSEN_OK) {
        printf("  grant sha256 ");     /* how withdrawals will name it */
        for (i = 0; i < NANSEN_DIGEST_BYTES; i++)
            printf("%02x", digest[i]);
        printf("\n");
        (void)grant_id;                 /* NULL: this grant carries no id */
    }
    if (nansen_verdict_notice(verdict, &lang, &digest, &matches) ==
        NANSEN_OK)
        printf("  notice shown in %s, %s\n", lang,
               matches ? "same wording as this library's"
                       : "another wording than this library's");
    nansen_verdict_free(verdict);
    return 1;
}

/* Without arguments: the other parties, in memory. */
static int demo(nansen_ctx *ctx)
{
    nansen_key *ngo = NULL, *migrant = NULL, *clinic = NULL, *other = NULL;
    nansen_credential *cred = NULL;
    nansen_verifier *v = NULL;
    nansen_referral r;
    nansen_issue_params p;
    nansen_grant_params g;
    uint8_t ref[NANSEN_CREDENTIAL_MAX_BYTES];
    uint8_t grant[NANSEN_CREDENTIAL_MAX_BYTES];
    uint8_t stray[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t ref_len = sizeof ref, grant_len = sizeof grant;
    size_t stray_len = sizeof stray;
    /* grants name clinics by short id: smaller QR codes */
    char clinic_id[NANSEN_SHORT_ID_BYTES], other_id[NANSEN_SHORT_ID_BYTES];
    const uint32_t categories[] = {1, 2, 3}; /* referral, language, health */
    nansen_reason reason;
    int good = 0;

    memset(&r, 0, sizeof r);
    r.service = 1;                           /* psychosocial-support */
    r.urgency = 2;                           /* priority */
    r.language = "ti";
    r.interpreter = 1;
    r.notes = "Flashbacks; poor sleep";
    r.risk = "history of self-harm";
    r.contact = "caseworker A. Haile, +30 210 000 0000";
    r.issuer_name = "Helping Hands NGO";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&p, 0, sizeof p);
    p.iat = (int64_t)time(NULL) - 3600;
    p.exp = p.iat + 90 * DAY;

    memset(&g, 0, sizeof g);
    g.audience = clinic_id;
    g.audience_name = "Al-Amal Community Clinic";
    g.purpose = 1;                           /* treatment */
    g.categories = categories;
    g.category_count = 3;
    g.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE) |
                 NANSEN_CLAIM_BIT(NANSEN_CLAIM_INTERPRETER) |
                 NANSEN_CLAIM_BIT(NANSEN_CLAIM_NOTES);
    g.iat = p.iat + 60;
    g.exp = g.iat + 7 * DAY;
    g.notice_lang = "en";

    if (!ok(nansen_key_generate(ctx, &ngo, NANSEN_KEY_ED25519), "keygen") ||
        !ok(nansen_key_generate(ctx, &migrant, NANSEN_KEY_ED25519),
            "keygen") ||
        !ok(nansen_key_generate(ctx, &clinic, NANSEN_KEY_SECP256K1),
            "keygen") ||
        !ok(nansen_key_generate(ctx, &other, NANSEN_KEY_ED25519), "keygen") ||
        !ok(nansen_key_short_id(clinic, clinic_id), "short id") ||
        !ok(nansen_key_short_id(other, other_id), "short id") ||
        !ok(nansen_referral_issue(ctx, ref, &ref_len, ngo, migrant, &r, &p),
            "issue") ||
        !ok(nansen_credential_decode(ctx, &cred, ref, ref_len), "decode") ||
        !ok(nansen_grant_sign(ctx, grant, &grant_len, migrant, cred, &g),
            "grant"))
        goto out;
    g.audience = other_id;
    g.audience_name = "Another Clinic";
    if (!ok(nansen_grant_sign(ctx, stray, &stray_len, migrant, cred, &g),
            "grant"))
        goto out;
    printf("(setup: an NGO referred a migrant, who granted this clinic "
           "consent to see\n language, interpreter and notes, and withheld "
           "risk and contact)\nclinic  %s\n\n", clinic_id);

    /* The clinic: its own key (public is enough) and the NGO it trusts. */
    if (!ok(nansen_verifier_create(ctx, &v, clinic), "verifier") ||
        !ok(nansen_verifier_trust_issuer(v, ngo), "trust"))
        goto out;
    printf("the grant, %zu bytes:\n", grant_len);
    if (!check_grant(v, grant, grant_len, &reason) ||
        reason != NANSEN_REASON_ACCEPT)
        goto out;
    printf("\na grant the migrant made for another clinic:\n");
    if (!check_grant(v, stray, stray_len, &reason) ||
        reason != NANSEN_REASON_WRONG_AUDIENCE)
        goto out;
    good = 1;
out:
    nansen_verifier_free(v);
    nansen_credential_free(cred);
    nansen_key_free(other);
    nansen_key_free(clinic);
    nansen_key_free(migrant);
    nansen_key_free(ngo);
    return good;
}

int main(int argc, char **argv)
{
    nansen_ctx *ctx;
    nansen_key *clinic = NULL, *issuer = NULL;
    nansen_verifier *v = NULL;
    nansen_reason reason;
    uint8_t grant[NANSEN_CREDENTIAL_MAX_BYTES];
    size_t grant_len = 0;
    int i, status = 2;

    if (argc == 2 || argc == 3) {
        fprintf(stderr, "usage: clinic_verifier [CLINIC GRANT ISSUER_DID...]"
                        "\n");
        return 2;
    }
    if ((ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT)) == NULL) {
        fprintf(stderr, "clinic_verifier: cannot initialise libnansen\n");
        return 2;
    }
    if (argc == 1) {
        status = demo(ctx) ? EXIT_SUCCESS : 2;
        nansen_ctx_destroy(ctx);
        return status;
    }

    if (!party(ctx, argv[1], &clinic) ||
        !ok(nansen_verifier_create(ctx, &v, clinic), "verifier"))
        goto out;
    for (i = 3; i < argc; i++) {
        if (!party(ctx, argv[i], &issuer) ||
            !ok(nansen_verifier_trust_issuer(v, issuer), argv[i]))
            goto out;
        nansen_key_free(issuer);
        issuer = NULL;
    }
    if (!read_file(argv[2], grant, &grant_len) ||
        !check_grant(v, grant, grant_len, &reason))
        goto out;
    status = reason == NANSEN_REASON_ACCEPT ? 0 : 1;
out:
    nansen_key_free(issuer);
    nansen_verifier_free(v);
    nansen_key_free(clinic);
    nansen_ctx_destroy(ctx);
    return status;
}
