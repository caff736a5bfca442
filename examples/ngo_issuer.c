/* ngo_issuer.c - an NGO caseworker issues a referral credential.
 *
 * SPDX-License-Identifier: CC0-1.0
 * To the extent possible under law, the Nansen Authors have waived all
 * copyright and related rights to this example program.
 *
 *   ngo_issuer                          everything in a temporary folder
 *   ngo_issuer NGO_KEY HOLDER [OUT]     act on files
 *
 * NGO_KEY is the NGO's key file, created with a fresh Ed25519 key if it
 * does not exist. HOLDER is the migrant's did:key, or a key file (created
 * with a fresh key if it does not exist). OUT is where the referral is
 * written (default referral.cbor); give it to the migrant, whole.
 *
 * Build: cc ngo_issuer.c $(pkg-config --cflags --libs nansen)
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nansen.h>

#define DAY 86400
#define SERVICE "psychosocial-support"
#define URGENCY "priority"

static int ok(nansen_err err, const char *what)
{
    if (err == NANSEN_OK)
        return 1;
    fprintf(stderr, "ngo_issuer: %s: %s (%s)\n", what, nansen_strerror(err),
            nansen_err_name(err));
    return 0;
}

/* Load a key file, or make a fresh key and save it there. */
static int load_or_create(nansen_ctx *ctx, const char *path,
                          nansen_key **key, const char *who)
{
    nansen_err err = nansen_key_load(ctx, key, path);

    if (err == NANSEN_OK) {
        printf("%s key loaded from %s\n", who, path);
        return 1;
    }
    if (err != NANSEN_ERR_NOT_FOUND)
        return ok(err, path);
    if (!ok(nansen_key_generate(ctx, key, NANSEN_KEY_ED25519), "keygen") ||
        !ok(nansen_key_save(ctx, *key, path, 0), path))
        return 0;
    printf("%s key created in %s\n", who, path);
    return 1;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int good = f != NULL && fwrite(data, 1, len, f) == len;

    if (f != NULL && fclose(f) != 0)
        good = 0;
    if (!good)
        fprintf(stderr, "ngo_issuer: cannot write %s\n", path);
    return good;
}

static void show_did(const char *who, const nansen_key *key)
{
    char did[NANSEN_DID_MAX_BYTES], sid[NANSEN_SHORT_ID_BYTES];
    size_t len = sizeof did;

    if (nansen_key_did(key, did, &len) == NANSEN_OK &&
        nansen_key_short_id(key, sid) == NANSEN_OK)
        printf("%-8s %s (%s)\n", who, did, sid);
}

/* What the holder will see: every claim, and which ones it may withhold. */
static void show_claims(nansen_ctx *ctx, const uint8_t *cred_bytes,
                        size_t len, const nansen_key *ngo)
{
    nansen_credential *cred = NULL;
    nansen_err err;
    int c;

    if (!ok(nansen_credential_decode(ctx, &cred, cred_bytes, len), "decode"))
        return;
    err = nansen_credential_verify_issuer(ctx, cred, ngo);
    printf("issuer signature: %s\n",
           err == NANSEN_OK ? "valid" : nansen_strerror(err));
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;
        int disclosable = 0;

        if (nansen_credential_claim(cred, (nansen_claim)c, &v,
                                    &disclosable) != NANSEN_OK)
            continue;
        printf("  %-12s ", nansen_claim_name((nansen_claim)c));
        if (v.type == NANSEN_VALUE_TEXT)
            printf("%s", v.text);
        else if (v.type == NANSEN_VALUE_BOOL)
            printf("%s", v.uint ? "yes" : "no");
        else
            printf("%s", nansen_vocab_id(c == NANSEN_CLAIM_SERVICE
                                             ? NANSEN_VOCAB_SERVICE
                                             : NANSEN_VOCAB_URGENCY,
                                         (uint32_t)v.uint));
        printf("%s\n", disclosable ? "   [the migrant may withhold it]" : "");
    }
    nansen_credential_free(cred);
}

int main(int argc, char **argv)
{
    char tmp[512] = "", ngo_path[600] = "", holder_path[600] = "";
    char out_path[600] = "";
    int made_tmp = 0;
    const char *holder_arg;
    nansen_ctx *ctx = NULL;
    nansen_key *ngo = NULL, *holder = NULL;
    nansen_referral r;
    nansen_issue_params p;
    uint8_t *cred = NULL;
    size_t cred_len = 0;
    int status = EXIT_FAILURE;

    if (argc != 1 && argc != 3 && argc != 4) {
        fprintf(stderr, "usage: ngo_issuer [NGO_KEY HOLDER [OUT]]\n");
        return 2;
    }
    if ((ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT)) == NULL) {
        fprintf(stderr, "ngo_issuer: cannot initialise libnansen\n");
        return EXIT_FAILURE;
    }
    if (argc == 1) {
        /* Self-contained: both keys and the referral in a fresh folder. */
        const char *t = getenv("TMPDIR");

        snprintf(tmp, sizeof tmp, "%s/nansen-ngo-XXXXXX",
                 t != NULL && *t != '\0' ? t : "/tmp");
        if (mkdtemp(tmp) == NULL) {
            perror("ngo_issuer: mkdtemp");
            goto out;
        }
        made_tmp = 1;
        printf("working in %s (removed at the end)\n", tmp);
        snprintf(ngo_path, sizeof ngo_path, "%s/ngo.key", tmp);
        snprintf(holder_path, sizeof holder_path, "%s/migrant.key", tmp);
        snprintf(out_path, sizeof out_path, "%s/referral.cbor", tmp);
        holder_arg = holder_path;
    } else {
        snprintf(ngo_path, sizeof ngo_path, "%s", argv[1]);
        snprintf(out_path, sizeof out_path, "%s",
                 argc == 4 ? argv[3] : "referral.cbor");
        holder_arg = argv[2];
    }

    /* 1. The NGO's key; the holder, by did:key or by key file. */
    if (!load_or_create(ctx, ngo_path, &ngo, "NGO"))
        goto out;
    if (strncmp(holder_arg, "did:key:", 8) == 0) {
        if (!ok(nansen_key_from_did(ctx, &holder, holder_arg,
                                    strlen(holder_arg)), holder_arg))
            goto out;
    } else if (!load_or_create(ctx, holder_arg, &holder, "migrant")) {
        goto out;
    }
    show_did("NGO", ngo);
    show_did("migrant", holder);

    /* 2. The referral: what the caseworker fills in. Service and urgency
     *    are vocabulary codes, looked up by their ids. */
    memset(&r, 0, sizeof r);
    if (!ok(nansen_vocab_lookup_id(NANSEN_VOCAB_SERVICE, SERVICE,
                                   strlen(SERVICE), &r.service), SERVICE) ||
        !ok(nansen_vocab_lookup_id(NANSEN_VOCAB_URGENCY, URGENCY,
                                   strlen(URGENCY), &r.urgency), URGENCY))
        goto out;
    r.target = "Al-Amal Community Clinic";
    r.language = "ti";              /* Tigrinya */
    r.interpreter = 1;
    r.notes = "Trouble sleeping since arrival; flashbacks.";
    r.contact = "caseworker A. Haile, +30 210 000 0000";
    r.issuer_name = "Helping Hands NGO";
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    r.decoys = 0;

    /* 3. Valid from now for 90 days, random salts and id. */
    memset(&p, 0, sizeof p);
    p.iat = (int64_t)time(NULL);
    p.exp = p.iat + 90 * DAY;

    /* 4. Issue: ask for the size, then issue into a buffer of that size. */
    if (!ok(nansen_referral_issue(ctx, NULL, &cred_len, ngo, holder, &r, &p),
            "referral size"))
        goto out;
    if ((cred = malloc(cred_len)) == NULL ||
        !ok(nansen_referral_issue(ctx, cred, &cred_len, ngo, holder, &r, &p),
            "issue"))
        goto out;
    printf("\nreferral issued: %zu bytes, valid 90 days; the migrant sees:\n",
           cred_len);
    show_claims(ctx, cred, cred_len, ngo);

    if (!write_file(out_path, cred, cred_len))
        goto out;
    printf("\nwritten to %s: give it to the migrant (QR code, file, "
           "message)\n", out_path);
    status = EXIT_SUCCESS;
out:
    if (made_tmp) {
        remove(out_path);
        remove(holder_path);
        remove(ngo_path);
        remove(tmp);
    }
    free(cred);
    nansen_key_free(holder);
    nansen_key_free(ngo);
    nansen_ctx_destroy(ctx);
    return status;
}
