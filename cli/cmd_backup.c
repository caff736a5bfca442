/* cmd_backup.c - nansen backup split|recover: the wallet key in k-of-n
 * shares for guardians, printed as QR cards (spec/recovery.md), and a
 * wallet opened again from k of them; nansen rotation verify: the NGO's
 * check of a holder's key-rotation statement.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"

/* ---- backup split ---- */

/* Write share i as DIR/share-I-of-N.png (the code alone) and .svg (the
 * guardian's card). */
static int write_share(const char *cmd, nansen_ctx *ctx, const char *dir,
                       const uint8_t *share, size_t share_len, unsigned int i,
                       unsigned int n)
{
    char text[NANSEN_SHARE_TEXT_MAX_BYTES], path[4096];
    char *card = NULL;
    size_t text_len = sizeof text, card_len = 0;
    uint8_t *png = NULL;
    size_t png_len = 0;
    int version = 0, rc = -1;
    nansen_err err;

    if ((err = nansen_share_to_text(ctx, text, &text_len, share,
                                    share_len)) != NANSEN_OK) {
        cli_err(cmd, "cannot frame share %u: %s", i, nansen_strerror(err));
        return -1;
    }
    snprintf(path, sizeof path, "%s/share-%u-of-%u.png", dir, i, n);
    if (cli_render_qr(cmd, path, text, strlen(text), NANSEN_QR_ECC_Q, 0, -1,
                      &png, &png_len, &version) != 0 ||
        cli_write(cmd, path, png, png_len, 1) != 0)
        goto out;
    err = nansen_share_card_svg(ctx, NULL, &card_len, share, share_len,
                                NANSEN_QR_ECC_Q);
    if (err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL)
        err = (card = malloc(card_len)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_share_card_svg(ctx, card, &card_len, share,
                                          share_len, NANSEN_QR_ECC_Q);
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot draw the card of share %u: %s", i,
                nansen_strerror(err));
        goto out;
    }
    snprintf(path, sizeof path, "%s/share-%u-of-%u.svg", dir, i, n);
    if (cli_write(cmd, path, (const uint8_t *)card, strnlen(card, card_len),
                  0) != 0)
        goto out;
    rc = 0;
out:
    sodium_memzero(text, sizeof text);
    cli_wipe_free(png, png_len);
    cli_wipe_free(card, card_len);
    return rc;
}

static int backup_split(int argc, char **argv)
{
    const char *cmd = "backup split", *path = NULL, *dir = NULL;
    const char *ks = NULL, *ns = NULL;
    uint64_t k = 0, n = 0;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    nansen_share_set *set = NULL;
    struct stat st;
    size_t i;
    nansen_err err;
    int a, r, status = EXIT_USAGE;

    for (a = 1; a < argc; a++) {
        if (cli_is_help(argv[a])) {
            help_backup();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &a, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &a, "-k", NULL, &ks)) ||
            (r = cli_opt(cmd, argc, argv, &a, "-n", NULL, &ns)) ||
            (r = cli_opt(cmd, argc, argv, &a, "-o", "--out", &dir)) ||
            (r = cli_pass_opt(cmd, argc, argv, &a, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[a]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (ks == NULL || ns == NULL || cli_uint(ks, 16, &k) != 0 ||
        cli_uint(ns, 16, &n) != 0 || k < 2 || k > n)
        return cli_usage(cmd, "-k K -n N: any K of N shares recover the "
                              "wallet, 2 <= K <= N <= %d",
                         NANSEN_RECOVERY_MAX_SHARES);
    if (dir == NULL)
        return cli_usage(cmd, "missing -o DIR (where the shares go)");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_usage(cmd, "%s is not a directory", dir);
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    if ((err = nansen_wallet_split(w, &set, (unsigned int)k,
                                   (unsigned int)n, (int64_t)time(NULL))) !=
        NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    for (i = 0; i < nansen_share_set_count(set); i++) {
        const uint8_t *share;
        size_t share_len;

        if (nansen_share_set_get(set, i, &share, &share_len) != NANSEN_OK ||
            write_share(cmd, ctx, dir, share, share_len, (unsigned int)i + 1,
                        (unsigned int)n) != 0)
            goto out;
    }
    fprintf(stderr,
            "nansen %s: %u shares in %s (share-I-of-%u.svg to print, .png the "
            "code alone); any %u of them, with a copy of the wallet ('nansen "
            "wallet export'), open it without the passphrase. Give each to a "
            "different person.\n",
            cmd, (unsigned int)n, dir, (unsigned int)n, (unsigned int)k);
    status = EXIT_VALID;
out:
    nansen_share_set_free(set);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- backup recover ---- */

static int is_image(const char *path)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".pgm",
                                      ".ppm"};
    size_t n = strlen(path), i, e;

    for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        e = strlen(ext[i]);
        if (n > e) {
            size_t j;

            for (j = 0; j < e; j++)
                if ((path[n - e + j] | 0x20) != ext[i][j])
                    break;
            if (j == e)
                return 1;
        }
    }
    return 0;
}

/* One share from a picture of its card or code, its QR text, or its
 * binary form. */
static int read_share(const char *cmd, nansen_ctx *ctx, const char *path,
                      uint8_t *share, size_t *share_len)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = *share_len;
    nansen_err err;
    int framed = 0, st;

    st = cli_read_token(cmd, is_image(path) ? NULL : path,
                        is_image(path) ? path : NULL, CLI_TOKEN_NANSEN,
                        "a recovery share", 0, &buf, &len, &framed);
    if (st != EXIT_VALID)
        return -1;
    if (framed) {
        err = nansen_share_from_text(ctx, share, share_len, (const char *)buf,
                                     len);
    } else if (len <= cap) {
        nansen_share_info info;

        memcpy(share, buf, len);
        *share_len = len;
        err = nansen_share_decode(ctx, &info, share, len);
    } else {
        err = NANSEN_ERR_CBOR_TOO_LARGE;
    }
    cli_wipe_free(buf, len);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: not a recovery share: %s", path,
                nansen_strerror(err));
        return -1;
    }
    return 0;
}

static int backup_recover(int argc, char **argv)
{
    const char *cmd = "backup recover", *in = NULL, *out = NULL;
    const char *kdf_name = NULL, *files[NANSEN_RECOVERY_MAX_SHARES];
    uint8_t shares[NANSEN_RECOVERY_MAX_SHARES][NANSEN_SHARE_MAX_BYTES];
    const uint8_t *ptrs[NANSEN_RECOVERY_MAX_SHARES];
    size_t lens[NANSEN_RECOVERY_MAX_SHARES], nfiles = 0, i;
    nansen_wallet_kdf kdf;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    uint8_t *sealed = NULL;
    size_t sealed_len = 0;
    char *pw = NULL;
    size_t pw_len = 0;
    nansen_err err;
    int a, r, status = EXIT_USAGE;

    for (a = 1; a < argc; a++) {
        if (cli_is_help(argv[a])) {
            help_backup();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &a, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &a, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &a, NULL, "--kdf", &kdf_name)) ||
            (r = cli_pass_opt(cmd, argc, argv, &a, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (argv[a][0] == '-' && argv[a][1] != '\0')
            return cli_usage(cmd, "unexpected argument '%s'", argv[a]);
        if (nfiles == NANSEN_RECOVERY_MAX_SHARES)
            return cli_usage(cmd, "at most %d shares",
                             NANSEN_RECOVERY_MAX_SHARES);
        files[nfiles++] = argv[a];
    }
    if (in == NULL)
        return cli_usage(cmd, "missing -i COPY (a copy of the wallet, "
                              "'nansen wallet export')");
    if (out == NULL || strcmp(out, "-") == 0)
        return cli_usage(cmd, "missing -o NEWWALLET (a new file)");
    if (nfiles == 0)
        return cli_usage(cmd, "missing SHARE files (pictures of the cards, "
                              "or their QR text)");
    if (kdf_name != NULL && cli_kdf_arg(cmd, kdf_name, &kdf) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    for (i = 0; i < nfiles; i++) {
        lens[i] = sizeof shares[i];
        if (read_share(cmd, ctx, files[i], shares[i], &lens[i]) != 0)
            goto out;
        ptrs[i] = shares[i];
    }
    if (cli_read(cmd, in, &sealed, &sealed_len) != 0)
        goto out;
    err = nansen_wallet_recover(ctx, &w, sealed, sealed_len, ptrs, lens,
                                nfiles);
    switch (err) {
    case NANSEN_OK:
        break;
    case NANSEN_ERR_NOT_ENOUGH_SHARES:
        cli_err(cmd, "not enough shares: the split needs more than these "
                     "%zu different ones", nfiles);
        status = EXIT_INVALID;
        goto out;
    case NANSEN_ERR_SHARE_MISMATCH:
        cli_err(cmd, "these shares do not belong together, or not to the "
                     "wallet in %s", in);
        status = EXIT_INVALID;
        goto out;
    default:
        cli_err(cmd, "%s: %s", in, nansen_strerror(err));
        status = EXIT_INVALID;
        goto out;
    }
    if (cli_pass_next(cmd, &pass, "New wallet passphrase: ", 1, &pw,
                      &pw_len) != 0)
        goto out;
    if ((err = nansen_wallet_set_passphrase(w, pw, pw_len,
                                            kdf_name != NULL ? &kdf
                                                             : NULL)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if (cli_wallet_save(cmd, w, out, 0) != 0)
        goto out;
    fprintf(stderr, "nansen %s: the wallet is recovered into %s, with a new "
                    "passphrase\n", cmd, out);
    status = EXIT_VALID;
out:
    sodium_memzero(shares, sizeof shares);
    sodium_free(pw);
    cli_wipe_free(sealed, sealed_len);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_backup(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"split", backup_split, NULL, NULL},
        {"recover", backup_recover, NULL, NULL},
    };

    return cli_subcommand("backup", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_backup);
}

void help_backup(void)
{
    printf(
        "Usage: nansen backup split   -w WALLET -k K -n N -o DIR\n"
        "       nansen backup recover -i COPY -o NEWWALLET SHARE...\n"
        "\n"
        "Recovery with the help of people the migrant trusts (spec/recovery.md).\n"
        "\n"
        "  split    split the wallet's key into N shares, any K of which\n"
        "           recover it; writes DIR/share-I-of-N.svg (a card to print\n"
        "           for guardian I) and DIR/share-I-of-N.png (its code). Keep a\n"
        "           copy of the wallet too ('nansen wallet export'): the shares\n"
        "           open it, they do not hold it\n"
        "  recover  open COPY with K shares (pictures of the cards or codes,\n"
        "           their QR text, or binary shares) and save it as NEWWALLET\n"
        "           under a new passphrase\n"
        "\n"
        "  -w, --wallet FILE       the wallet to split\n"
        "  -k K, -n N              2 <= K <= N <= 16\n"
        "  -o DIR | NEWWALLET      where the shares, or the recovered wallet, go\n"
        "  -i, --in COPY           the copy of the wallet to recover\n"
        "  --kdf COST              for the new passphrase, as 'nansen wallet'\n"
        "  --passphrase-file FILE, --passphrase-fd N  as for 'nansen wallet'\n"
        "\n"
        "A passphrase change does not invalidate shares. Fewer than K shares,\n"
        "or shares of two different splits, recover nothing.\n"
        "\n"
        "Exit status: 0 done, 1 the wallet does not open or the shares do not\n"
        "recover it, 2 usage or I/O error.\n");
}

/* ---- rotation verify ---- */

static int rotation_verify(int argc, char **argv)
{
    const char *cmd = "rotation verify", *old = NULL, *in = "-";
    nansen_ctx *ctx = NULL;
    nansen_key *old_key = NULL;
    nansen_rotation *rot = NULL;
    uint8_t *buf = NULL, *token = NULL;
    size_t len = 0, token_len = 0, n;
    char did[160], t[CLI_TIME_BYTES];
    nansen_err err;
    int a, r, framed = 0, status = EXIT_USAGE;

    for (a = 1; a < argc; a++) {
        if (cli_is_help(argv[a])) {
            help_rotation();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &a, NULL, "--old", &old)) ||
            (r = cli_opt(cmd, argc, argv, &a, "-i", "--in", &in))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[a]);
    }
    if (old == NULL)
        return cli_usage(cmd, "missing --old DID (the holder key the "
                              "referral was issued to)");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((old_key = cli_key_of_did(cmd, ctx, "--old", old)) == NULL)
        goto out;
    if (cli_read_token(cmd, in, NULL, CLI_TOKEN_NANSEN, "a rotation", 0,
                       &buf, &len, &framed) != EXIT_VALID)
        goto out;
    if (framed &&
        (err = cli_unframe(buf, len, 0, &token, &token_len, NULL)) !=
            NANSEN_OK) {
        cli_err(cmd, "%s: not a Nansen QR text: %s", in,
                nansen_strerror(err));
        goto out;
    }
    err = nansen_rotation_verify(ctx, &rot, framed ? token : buf,
                                 framed ? token_len : len, old_key);
    if (err != NANSEN_OK) {
        printf("REJECT: %s\n", nansen_strerror(err));
        status = EXIT_INVALID;
        goto out;
    }
    n = sizeof did;
    if (nansen_key_did(nansen_rotation_new_key(rot), did, &n) != NANSEN_OK)
        goto out;
    printf("ACCEPT: the holder of %s\nnow holds   %s\nsince       %s\n", old,
           did, cli_iso_time(nansen_rotation_iat(rot), t));
    status = EXIT_VALID;
out:
    nansen_rotation_free(rot);
    cli_wipe_free(buf, len);
    cli_wipe_free(token, token_len);
    nansen_key_free(old_key);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_rotation(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"verify", rotation_verify, NULL, NULL},
    };

    return cli_subcommand("rotation", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_rotation);
}

void help_rotation(void)
{
    printf(
        "Usage: nansen rotation verify --old DID [-i ROTATION|-]\n"
        "\n"
        "For the NGO: check a holder's key-rotation statement ('nansen wallet\n"
        "rotate'; spec/recovery.md): signed by the old holder key, the one its\n"
        "referrals were issued to, it names the new key. On ACCEPT, after\n"
        "meeting the person, re-issue their referrals to the new did:key and\n"
        "revoke the old ones in the status list.\n"
        "\n"
        "  --old DID        the did:key the referrals were issued to\n"
        "  -i, --in FILE    the statement, binary or QR text (default:\n"
        "                   standard input)\n"
        "\n"
        "Exit status: 0 ACCEPT, 1 REJECT, 2 usage, input or I/O error.\n");
}
