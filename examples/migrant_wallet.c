/* migrant_wallet.c - the migrant's wallet from an app: keep the key and
 * the referral in an encrypted wallet, give and withdraw consent with it,
 * list who may see what, and recover the wallet from guardians' shares.
 *
 * SPDX-License-Identifier: CC0-1.0
 * To the extent possible under law, the Nansen Authors have waived all
 * copyright and related rights to this example program.
 *
 *   migrant_wallet                                  self-contained
 *   migrant_wallet WALLET PASSPHRASE_FILE [LANG]    list a wallet's ledger
 *
 * Without arguments, in a temporary folder removed at the end: a wallet
 * is created with a new key; a stand-in NGO issues a referral to that key;
 * the wallet keeps it, signs a grant to a clinic for treatment and then
 * withdraws it (both go into the ledger); the wallet is saved, opened
 * again and its ledger listed; its key is split into 3 shares, and 2 of
 * them open a sealed copy. With arguments, the wallet's ledger is listed
 * in LANG (default en); the passphrase is the first line of
 * PASSPHRASE_FILE (an app would ask for it without echo).
 *
 * Build: cc migrant_wallet.c $(pkg-config --cflags --libs nansen)
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nansen.h>

#define DAY 86400
#define PASSPHRASE "correct horse battery staple"

static int ok(nansen_err err, const char *what)
{
    if (err == NANSEN_OK)
        return 1;
    fprintf(stderr, "migrant_wallet: %s: %s (%s)\n", what,
            nansen_strerror(err), nansen_err_name(err));
    return 0;
}

/* Print the ledger in lang: who may see what, until when. */
static int print_ledger(const nansen_wallet *w, const char *lang)
{
    const nansen_ledger *ledger = nansen_wallet_ledger(w);
    size_t len = 0;
    char *text;
    int rc;

    if (!ok(nansen_ledger_render(NULL, &len, ledger, lang, time(NULL)),
            "size the ledger") ||
        (text = malloc(len)) == NULL)
        return 0;
    rc = ok(nansen_ledger_render(text, &len, ledger, lang, time(NULL)),
            "list the ledger");
    if (rc)
        fputs(text, stdout);
    free(text);
    return rc;
}

static int list_wallet(nansen_ctx *ctx, const char *path, const char *pfile,
                       const char *lang)
{
    char pass[1025];
    nansen_wallet *w = NULL;
    FILE *f = fopen(pfile, "r");
    int rc;

    if (f == NULL || fgets(pass, sizeof pass, f) == NULL) {
        fprintf(stderr, "migrant_wallet: cannot read %s\n", pfile);
        if (f != NULL)
            fclose(f);
        return 0;
    }
    fclose(f);
    pass[strcspn(pass, "\r\n")] = '\0';
    rc = ok(nansen_wallet_open(ctx, &w, path, pass, strlen(pass)),
            "open the wallet") &&
         print_ledger(w, lang);
    memset(pass, 0, sizeof pass);    /* an app would use sodium_memzero */
    nansen_wallet_free(w);
    return rc;
}

/* A stand-in NGO issues a referral to holder; the caller frees it. */
static uint8_t *issue(nansen_ctx *ctx, const nansen_key *holder,
                      size_t *len, int64_t now)
{
    nansen_key *ngo = NULL;
    nansen_referral r;
    nansen_issue_params p;
    uint8_t *out = NULL;

    memset(&r, 0, sizeof r);
    r.service = 1;              /* the vocabulary's codes */
    r.urgency = 1;
    r.language = "ti";
    r.interpreter = 1;
    r.disclosable = NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    memset(&p, 0, sizeof p);
    p.iat = now;
    p.exp = now + 30 * DAY;
    *len = 0;
    if (ok(nansen_key_generate(ctx, &ngo, NANSEN_KEY_ED25519), "NGO key") &&
        ok(nansen_referral_issue(ctx, NULL, len, ngo, holder, &r, &p),
           "size the referral") &&
        (out = malloc(*len)) != NULL &&
        !ok(nansen_referral_issue(ctx, out, len, ngo, holder, &r, &p),
            "issue the referral")) {
        free(out);
        out = NULL;
    }
    nansen_key_free(ngo);
    return out;
}

/* Sign a grant to clinic with the wallet's key and keep it in the wallet
 * (which records it in the ledger); then withdraw it. */
static int consent_and_withdraw(nansen_ctx *ctx, nansen_wallet *w,
                                const uint8_t *ref, size_t ref_len,
                                const char *clinic_did, int64_t now)
{
    static const uint32_t cats[] = {2};   /* language */
    nansen_credential *cred = NULL;
    nansen_grant_params gp;
    const nansen_key *key;
    uint8_t grant[4096], wd[NANSEN_WITHDRAWAL_MAX_BYTES];
    size_t grant_len = sizeof grant, wd_len = sizeof wd, i;
    int rc = 0;

    if (!ok(nansen_credential_decode(ctx, &cred, ref, ref_len), "decode") ||
        !ok(nansen_wallet_key_find(w, nansen_credential_holder(cred), &i),
            "find the referral's key") ||
        !ok(nansen_wallet_key_get(w, i, &key, NULL, NULL), "get the key"))
        goto out;
    memset(&gp, 0, sizeof gp);
    gp.audience = clinic_did;
    gp.audience_name = "Athens Community Clinic";
    gp.purpose = 1;                       /* treatment */
    gp.categories = cats;
    gp.category_count = 1;
    gp.disclose = NANSEN_CLAIM_BIT(NANSEN_CLAIM_LANGUAGE);
    gp.iat = now;
    gp.exp = now + 7 * DAY;
    gp.notice_lang = "en";
    rc = ok(nansen_grant_sign(ctx, grant, &grant_len, key, cred, &gp),
            "sign the grant") &&
         ok(nansen_wallet_add(w, NANSEN_WALLET_GRANT, grant, grant_len, now),
            "keep the grant") &&
         ok(nansen_withdrawal_sign(ctx, wd, &wd_len, key, grant, grant_len,
                                   now + 60), "withdraw") &&
         ok(nansen_wallet_add(w, NANSEN_WALLET_WITHDRAWAL, wd, wd_len,
                              now + 60), "keep the withdrawal");
out:
    nansen_credential_free(cred);
    return rc;
}

/* Split the wallet's key 2 of 3 and open a sealed copy with shares 1, 3. */
static int recover(nansen_ctx *ctx, const nansen_wallet *w, int64_t now)
{
    nansen_share_set *set = NULL;
    nansen_wallet *back = NULL;
    const uint8_t *shares[2];
    size_t lens[2], copy_len = 0;
    uint8_t *copy = NULL;
    int rc = 0;

    if (!ok(nansen_wallet_split(w, &set, 2, 3, now), "split") ||
        !ok(nansen_share_set_get(set, 0, &shares[0], &lens[0]), "share 1") ||
        !ok(nansen_share_set_get(set, 2, &shares[1], &lens[1]), "share 3") ||
        !ok(nansen_wallet_seal(NULL, &copy_len, w), "size the copy") ||
        (copy = malloc(copy_len)) == NULL ||
        !ok(nansen_wallet_seal(copy, &copy_len, w), "seal a copy") ||
        !ok(nansen_wallet_recover(ctx, &back, copy, copy_len, shares, lens,
                                  2), "recover"))
        goto out;
    printf("recovered from 2 of 3 shares: %zu ledger entries\n",
           nansen_ledger_count(nansen_wallet_ledger(back)));
    rc = 1;
out:
    nansen_wallet_free(back);
    nansen_share_set_free(set);
    free(copy);
    return rc;
}

static int self_contained(nansen_ctx *ctx)
{
    char dir[] = "/tmp/nansen-wallet-XXXXXX", path[64], did[128];
    nansen_wallet *w = NULL, *again = NULL;
    nansen_key *clinic = NULL;
    const nansen_key *holder;
    uint8_t *ref = NULL;
    size_t ref_len = 0, n = sizeof did, i;
    int64_t now = (int64_t)time(NULL);
    int rc = 0;

    if (mkdtemp(dir) == NULL)
        return 0;
    snprintf(path, sizeof path, "%s/migrant.wallet", dir);
    /* NULL cost: the default, Argon2id with 64 MiB */
    if (!ok(nansen_wallet_create(ctx, &w, PASSPHRASE, strlen(PASSPHRASE),
                                 NULL), "create") ||
        !ok(nansen_wallet_key_generate(w, NANSEN_KEY_ED25519, "phone", now,
                                       &i), "new key") ||
        !ok(nansen_wallet_key_get(w, i, &holder, NULL, NULL), "key") ||
        (ref = issue(ctx, holder, &ref_len, now)) == NULL ||
        !ok(nansen_wallet_add(w, NANSEN_WALLET_CREDENTIAL, ref, ref_len,
                              now), "keep the referral") ||
        !ok(nansen_key_generate(ctx, &clinic, NANSEN_KEY_ED25519),
            "clinic key") ||
        !ok(nansen_key_did(clinic, did, &n), "clinic did") ||
        !consent_and_withdraw(ctx, w, ref, ref_len, did, now) ||
        /* saved atomically: a crash leaves the old or the new file */
        !ok(nansen_wallet_save(w, path, 0), "save") ||
        !ok(nansen_wallet_open(ctx, &again, path, PASSPHRASE,
                               strlen(PASSPHRASE)), "open again") ||
        !print_ledger(again, "en") || !recover(ctx, again, now))
        goto out;
    rc = 1;
out:
    nansen_wallet_free(w);
    nansen_wallet_free(again);
    nansen_key_free(clinic);
    free(ref);
    remove(path);
    rmdir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    nansen_ctx *ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT);
    int rc;

    if (ctx == NULL) {
        fprintf(stderr, "migrant_wallet: cannot start the library\n");
        return 1;
    }
    if (argc == 1)
        rc = self_contained(ctx);
    else if (argc == 3 || argc == 4)
        rc = list_wallet(ctx, argv[1], argv[2], argc == 4 ? argv[3] : "en");
    else {
        fprintf(stderr, "usage: migrant_wallet [WALLET PASSPHRASE_FILE "
                        "[LANG]]\n");
        rc = 0;
    }
    nansen_ctx_destroy(ctx);
    return rc ? 0 : 1;
}
