/* cmd_trust.c - nansen status, withdraw, withdrawals, trust (and bundle).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * What a verifier needs besides the grant, kept as files:
 *  - status lists (spec/status-list.md): the NGO's working file, in which
 *    it allocates an index per referral and marks revocations, and the
 *    signed lists it publishes from it;
 *  - withdrawals (spec/withdrawal.md): the holder's signed "I withdraw this
 *    grant", and the clinic's store of them;
 *  - the trust list (spec/trust-list.md): who may act in which role,
 *    signed by the governance body. It is edited as its signed file: each
 *    change loads and verifies it, changes it and signs it again with the
 *    next sequence number.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

/* Default size of a new status list: the draft's advice for herd privacy
 * (an index says little when most of 131072 are valid). */
#define STATUS_DEFAULT_SIZE 131072u
#define STATUS_DEFAULT_BITS 2u
/* Default validity of a signed status list. */
#define STATUS_DEFAULT_VALID (7 * 86400)
/* Longest duration: 100 years. */

/* ---- help ---- */

void help_status(void)
{
    printf(
        "Usage: nansen status create --uri URI [--bits 1|2|4|8] [--size N]\n"
        "                            -o LIST_FILE\n"
        "       nansen status set LIST_FILE INDEX valid|revoked|suspended|N\n"
        "       nansen status sign -k KEYFILE LIST_FILE [--valid DURATION]\n"
        "                          [--ttl DURATION] [-o OUT|-]\n"
        "       nansen status show FILE\n"
        "\n"
        "Token Status Lists (spec/status-list.md): the issuer keeps a working\n"
        "file (never published) in which 'nansen issue referral --status-list'\n"
        "allocates one random index per referral, and publishes signed lists\n"
        "made from it. A clinic keeps the signed lists in a directory\n"
        "('nansen verify --status-dir').\n"
        "\n"
        "create  a new working file, every entry valid and unallocated; an\n"
        "        existing file is never replaced\n"
        "      --uri URI       the list's URI (the sub of its tokens)\n"
        "      --bits B        bits per entry (default %u: valid, revoked,\n"
        "                      suspended)\n"
        "      --size N        entries (default %u)\n"
        "  -o, --out FILE      the working file (mode 0600)\n"
        "set     the status of one entry: valid (0), revoked (1), suspended\n"
        "        (2) or a number below 2^bits; the file is saved atomically\n"
        "sign    a Status List Token of the file, signed with the issuer's key\n"
        "  -k, --key FILE      the issuer's key file\n"
        "      --valid DUR     the token expires after DUR (default 7d):\n"
        "                      Ny, Nw, Nd, Nh, Nm or Ns\n"
        "      --ttl DUR       and its time to live (default none)\n"
        "  -o, --out FILE      the token (default: standard output, not a\n"
        "                      terminal)\n"
        "show    a working file or a token (its signature is not checked):\n"
        "        URI, bits, size, allocated indices, the entries not valid\n"
        "\n"
        "Exit status: 0 done, 2 usage, input or I/O error.\n",
        STATUS_DEFAULT_BITS, STATUS_DEFAULT_SIZE);
}

void help_withdraw(void)
{
    printf(
        "Usage: nansen withdraw {-k KEYFILE | -w WALLET} [-i GRANT|-] [-o OUT|-]\n"
        "\n"
        "Withdraw a consent grant, as its holder: a signed withdrawal naming\n"
        "the grant by its digest (spec/withdrawal.md). Give it to the clinic,\n"
        "which adds it to its store ('nansen withdrawals add'); from then on\n"
        "the grant gets REJECT withdrawn_by_holder.\n"
        "\n"
        "  -k, --key FILE  the holder's key file (the key the referral was\n"
        "                  issued to)\n"
        "  -w, --wallet FILE  the holder's wallet instead: its key that\n"
        "                  signed the grant signs the withdrawal, which is\n"
        "                  recorded in the wallet's ledger (passphrase at the\n"
        "                  terminal, or --passphrase-file FILE,\n"
        "                  --passphrase-fd N)\n"
        "  -i, --in FILE   the grant, binary CBOR or its QR text (default:\n"
        "                  standard input)\n"
        "  -o, --out FILE  the withdrawal (default: standard output, not a\n"
        "                  terminal)\n"
        "\n"
        "Exit status: 0 done, 2 usage, input or I/O error (also: the key is\n"
        "not the grant's holder).\n");
}

void help_withdrawals(void)
{
    printf(
        "Usage: nansen withdrawals add STORE WITHDRAWAL...\n"
        "       nansen withdrawals list STORE\n"
        "\n"
        "The clinic's withdrawal store ('nansen verify --withdrawals').\n"
        "\n"
        "add   add withdrawals (files from 'nansen withdraw', their QR text,\n"
        "      or another store file) to STORE, creating it if missing. Each\n"
        "      signature is checked; if any file is refused the store is not\n"
        "      changed. The store is saved atomically.\n"
        "list  one line per withdrawal: the grant's SHA-256, when it was\n"
        "      withdrawn, when the grant expires, the holder\n"
        "\n"
        "Exit status: 0 done, 1 a withdrawal whose signature does not verify\n"
        "(nothing added), 2 usage, input or I/O error.\n");
}

void help_trust(void)
{
    printf(
        "Usage: nansen trust init -k GOV_KEY -o LIST [--issuer-name TEXT]\n"
        "                         [--list-valid DURATION]\n"
        "       nansen trust add -k GOV_KEY --list LIST --did DID --name TEXT\n"
        "                        --role ROLE[,ROLE...] [--valid DURATION]\n"
        "                        [--list-valid DURATION]\n"
        "       nansen trust remove -k GOV_KEY --list LIST --did DID\n"
        "                           [--list-valid DURATION]\n"
        "       nansen trust show LIST --governance DID\n"
        "\n"
        "The trust list (spec/trust-list.md): the parties a governance body\n"
        "vouches for, each with its roles (ngo, clinic, status-issuer,\n"
        "interpreter). The list is edited as its signed file: add and remove\n"
        "load it, verify it with the governance key, change it and sign it\n"
        "again with the next sequence number, replacing the file atomically.\n"
        "A clinic uses it with 'nansen verify --trust LIST --governance DID'.\n"
        "\n"
        "init    an empty list, sequence 1 (an existing file is not replaced)\n"
        "add     add a party (a missing LIST is created); to change a party's\n"
        "        entry, remove it first\n"
        "remove  remove a party\n"
        "show    verify the list with the governance body's did:key and\n"
        "        print it\n"
        "\n"
        "  -k, --key FILE         the governance body's key file\n"
        "      --list FILE        the signed trust list\n"
        "      --did DID          the party's did:key\n"
        "      --name TEXT        the party's display name\n"
        "      --role LIST        its roles, comma-separated\n"
        "      --valid DURATION   the party is listed until then (default: no\n"
        "                         end): Ny, Nw, Nd, Nh, Nm or Ns\n"
        "      --list-valid DUR   the signed list goes stale after DUR\n"
        "                         (default: as the list it replaces; a new\n"
        "                         list: never)\n"
        "      --issuer-name TEXT the governance body's name\n"
        "      --governance DID   the governance body's did:key\n"
        "\n"
        "Exit status: 0 done, 1 a list whose signature does not verify with\n"
        "the governance key, 2 usage, input or I/O error.\n");
}

/* ---- helpers ---- */

static int bad_duration(const char *cmd, const char *opt, const char *val)
{
    return cli_usage(cmd, "%s wants a duration such as 1y, 7d, 12h, 90m or "
                          "3600s, not '%s'", opt, val);
}

/* An option-looking argument that no option matched. */
static int is_option(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

/* The did:key of a key into out ("?" if it cannot be made). */
static const char *key_did(const nansen_key *key,
                           char out[NANSEN_DID_MAX_BYTES + 1])
{
    size_t len = NANSEN_DID_MAX_BYTES + 1;

    if (nansen_key_did(key, out, &len) != NANSEN_OK)
        snprintf(out, NANSEN_DID_MAX_BYTES + 1, "?");
    return out;
}

/* Errors that mean "verified and found not valid" rather than "could not
 * read". */
static int is_invalid(nansen_err err)
{
    return err == NANSEN_ERR_BAD_SIGNATURE || err == NANSEN_ERR_KEY_MISMATCH ||
           err == NANSEN_ERR_ALG_MISMATCH;
}

/* ---- nansen status ---- */

static const char *status_name(unsigned int v)
{
    switch (v) {
    case NANSEN_STATUS_VALID: return "valid";
    case NANSEN_STATUS_INVALID: return "revoked";
    case NANSEN_STATUS_SUSPENDED: return "suspended";
    default: return "application specific";
    }
}

static int status_create(int argc, char **argv)
{
    const char *cmd = "status create", *uri = NULL, *out = NULL;
    const char *bits_s = NULL, *size_s = NULL;
    uint64_t bits = STATUS_DEFAULT_BITS, size = STATUS_DEFAULT_SIZE;
    nansen_status_list *list = NULL;
    nansen_ctx *ctx;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_status();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--uri", &uri)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--bits", &bits_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--size", &size_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (uri == NULL)
        return cli_usage(cmd, "missing --uri URI");
    if (out == NULL)
        return cli_usage(cmd, "missing -o LIST_FILE");
    if (strcmp(out, "-") == 0)
        return cli_usage(cmd, "the working file must be a file, not '-'");
    if (bits_s != NULL &&
        (cli_uint(bits_s, 8, &bits) != 0 ||
         (bits != 1 && bits != 2 && bits != 4 && bits != 8)))
        return cli_usage(cmd, "--bits wants 1, 2, 4 or 8, not '%s'", bits_s);
    if (size_s != NULL &&
        (cli_uint(size_s, NANSEN_STATUS_LIST_MAX_ENTRIES, &size) != 0 ||
         size == 0))
        return cli_usage(cmd, "--size wants a number from 1 to %u, not '%s'",
                         NANSEN_STATUS_LIST_MAX_ENTRIES, size_s);
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    err = nansen_status_list_create(ctx, &list, uri, (unsigned int)bits,
                                    (uint32_t)size);
    if (err == NANSEN_ERR_INVALID_ARG) {
        status = cli_usage(cmd, "cannot make a list of %llu entries of %llu "
                                "bits with URI '%s' (a URI such as "
                                "https://ngo.example/status/1)",
                           (unsigned long long)size, (unsigned long long)bits,
                           uri);
        goto out;
    }
    if (err == NANSEN_OK)
        err = nansen_status_list_save(list, out, 0);
    if (err == NANSEN_ERR_EXISTS) {
        cli_err(cmd, "%s exists: not replaced (it holds the allocated "
                     "indices)", out);
        goto out;
    }
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: %s", out, nansen_strerror(err));
        goto out;
    }
    status = EXIT_VALID;
out:
    nansen_status_list_free(list);
    nansen_ctx_destroy(ctx);
    return status;
}

static int status_set(int argc, char **argv)
{
    const char *cmd = "status set", *pos[3];
    size_t npos = 0;
    nansen_status_list *list = NULL;
    nansen_status_list_info info;
    nansen_ctx *ctx;
    uint64_t idx = 0, value = 0;
    int i, allocated = 0, status = EXIT_USAGE;
    nansen_err err;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_status();
            return EXIT_VALID;
        }
        if (is_option(argv[i]) || npos == 3)
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        pos[npos++] = argv[i];
    }
    if (npos < 3)
        return cli_usage(cmd, "want LIST_FILE INDEX "
                              "valid|revoked|suspended|N");
    if (cli_uint(pos[1], NANSEN_STATUS_LIST_MAX_ENTRIES - 1, &idx) != 0)
        return cli_usage(cmd, "INDEX wants a number, not '%s'", pos[1]);
    if (strcmp(pos[2], "valid") == 0)
        value = NANSEN_STATUS_VALID;
    else if (strcmp(pos[2], "revoked") == 0)
        value = NANSEN_STATUS_INVALID;
    else if (strcmp(pos[2], "suspended") == 0)
        value = NANSEN_STATUS_SUSPENDED;
    else if (cli_uint(pos[2], 255, &value) != 0)
        return cli_usage(cmd, "the status is valid, revoked, suspended or a "
                              "number, not '%s'", pos[2]);
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((err = nansen_status_list_load(ctx, &list, pos[0])) != NANSEN_OK) {
        cli_err(cmd, "%s: %s", pos[0], nansen_strerror(err));
        goto out;
    }
    if (nansen_status_list_get_info(list, &info) != NANSEN_OK)
        goto out;
    if (idx >= info.count) {
        status = cli_usage(cmd, "index %llu is outside the list (%lu "
                                "entries)", (unsigned long long)idx,
                           (unsigned long)info.count);
        goto out;
    }
    if (value >= (1u << info.bits)) {
        status = cli_usage(cmd, "status %llu does not fit in %u bits",
                           (unsigned long long)value, info.bits);
        goto out;
    }
    if (nansen_status_list_is_allocated(list, (uint32_t)idx, &allocated) ==
            NANSEN_OK && !allocated)
        fprintf(stderr, "nansen %s: note: index %llu was never allocated\n",
                cmd, (unsigned long long)idx);
    if ((err = nansen_status_list_set(list, (uint32_t)idx,
                                      (uint8_t)value)) != NANSEN_OK ||
        (err = nansen_status_list_save(list, pos[0],
                                       NANSEN_STATUS_SAVE_OVERWRITE)) !=
            NANSEN_OK) {
        cli_err(cmd, "%s: %s", pos[0], nansen_strerror(err));
        goto out;
    }
    status = EXIT_VALID;
out:
    nansen_status_list_free(list);
    nansen_ctx_destroy(ctx);
    return status;
}

static int status_sign(int argc, char **argv)
{
    const char *cmd = "status sign", *keyfile = NULL, *file = NULL;
    const char *out = "-", *valid_s = NULL, *ttl_s = NULL;
    int64_t valid = STATUS_DEFAULT_VALID, ttl = 0;
    nansen_status_list *list = NULL;
    nansen_status_sign_params sp;
    nansen_key *key = NULL;
    nansen_ctx *ctx;
    uint8_t *tok = NULL;
    size_t tok_len = 0;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_status();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--valid", &valid_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--ttl", &ttl_s))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (is_option(argv[i]) || file != NULL)
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        file = argv[i];
    }
    if (keyfile == NULL)
        return cli_usage(cmd, "missing -k KEYFILE (the issuer's key)");
    if (file == NULL)
        return cli_usage(cmd, "missing LIST_FILE");
    if (valid_s != NULL && cli_duration(valid_s, &valid) != 0)
        return bad_duration(cmd, "--valid", valid_s);
    if (ttl_s != NULL && cli_duration(ttl_s, &ttl) != 0)
        return bad_duration(cmd, "--ttl", ttl_s);
    if (cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((err = nansen_status_list_load(ctx, &list, file)) != NANSEN_OK) {
        cli_err(cmd, "%s: %s", file, nansen_strerror(err));
        goto out;
    }
    if ((key = cli_load_key(cmd, ctx, keyfile)) == NULL)
        goto out;
    memset(&sp, 0, sizeof sp);
    sp.iat = (int64_t)time(NULL);
    sp.exp = sp.iat + valid;
    sp.ttl = (uint64_t)ttl;
    tok_len = 0;
    err = nansen_status_list_sign(ctx, NULL, &tok_len, list, key, &sp);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) &&
        tok_len > 0) {
        err = (tok = malloc(tok_len)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_status_list_sign(ctx, tok, &tok_len, list, key,
                                            &sp);
    } else if (err == NANSEN_OK) {
        err = NANSEN_ERR_INVALID_ARG;
    }
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if (cli_write(cmd, out, tok, tok_len, 1) != 0)
        goto out;
    status = EXIT_VALID;
out:
    free(tok);
    nansen_key_free(key);
    nansen_status_list_free(list);
    nansen_ctx_destroy(ctx);
    return status;
}

static int status_show(int argc, char **argv)
{
    const char *cmd = "status show", *file = NULL;
    nansen_status_list *list = NULL;
    nansen_status_list_info info;
    nansen_ctx *ctx;
    uint8_t *buf = NULL, value;
    size_t len = 0;
    uint32_t k, allocated = 0, shown = 0;
    char t[CLI_TIME_BYTES];
    nansen_err err;
    int i, token, a, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_status();
            return EXIT_VALID;
        }
        if (is_option(argv[i]) || file != NULL)
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        file = argv[i];
    }
    if (file == NULL)
        return cli_usage(cmd, "missing FILE (a list file or a signed list)");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (cli_read(cmd, file, &buf, &len) != 0)
        goto out;
    /* A token is a COSE_Sign1 with tag 18 (0xd2). */
    token = len > 0 && buf[0] == 0xd2;
    err = token ? nansen_status_list_parse(ctx, &list, buf, len, 0)
                : nansen_status_list_import(ctx, &list, buf, len);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: not a %s: %s", file,
                token ? "signed status list" : "status list file",
                nansen_strerror(err));
        goto out;
    }
    if (nansen_status_list_get_info(list, &info) != NANSEN_OK)
        goto out;
    printf("kind:      %s\n", token ? "signed status list (signature not "
                                      "checked)"
                                    : "issuer's working file");
    printf("uri:       %s\n", info.uri != NULL ? info.uri : "");
    printf("bits:      %u\n", info.bits);
    printf("size:      %lu\n", (unsigned long)info.count);
    if (!token) {
        for (k = 0; k < info.count; k++)
            if (nansen_status_list_is_allocated(list, k, &a) == NANSEN_OK &&
                a)
                allocated++;
        printf("allocated: %lu\n", (unsigned long)allocated);
    } else {
        printf("signed at: %s\n", cli_iso_time(info.iat, t));
        if (info.has_exp)
            printf("expires:   %s\n", cli_iso_time(info.exp, t));
        if (info.has_ttl)
            printf("ttl:       %llus\n", (unsigned long long)info.ttl);
    }
    for (k = 0; k < info.count; k++) {
        if (nansen_status_list_get(list, k, &value) != NANSEN_OK ||
            value == 0)
            continue;
        if (shown++ == 0)
            printf("entries not valid:\n");
        printf("  %lu: %s (%u)\n", (unsigned long)k, status_name(value),
               value);
    }
    if (shown == 0)
        printf("entries not valid: none\n");
    if (fflush(stdout) != 0) {
        cli_err(cmd, "write error on standard output");
        goto out;
    }
    status = EXIT_VALID;
out:
    free(buf);
    nansen_status_list_free(list);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_status(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"create", status_create, NULL, NULL},
        {"set", status_set, NULL, NULL},
        {"sign", status_sign, NULL, NULL},
        {"show", status_show, NULL, NULL},
    };

    return cli_subcommand("status", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_status);
}

/* ---- nansen withdraw ---- */

/* Sign the withdrawal of grant with the key file, or with the wallet's
 * key that signed the grant (the wallet is opened into *wallet). */
static int wallet_path_sign(const char *cmd, nansen_ctx *ctx,
                            const char *wpath, cli_pass *pass,
                            nansen_wallet **wallet, const char *keyfile,
                            nansen_key **key, const uint8_t *grant,
                            size_t grant_len, int64_t now, uint8_t *w,
                            size_t *w_len)
{
    const size_t cap = *w_len;
    nansen_err err = NANSEN_ERR_KEY_MISMATCH;
    size_t i, n = 1;

    if (wpath != NULL) {
        if (cli_wallet_open(cmd, ctx, wpath, pass, wallet) != EXIT_VALID)
            return -1;
        n = nansen_wallet_key_count(*wallet);
    } else if ((*key = cli_load_key(cmd, ctx, keyfile)) == NULL) {
        return -1;
    }
    for (i = 0; i < n && err == NANSEN_ERR_KEY_MISMATCH; i++) {
        const nansen_key *k = *key;

        if (*wallet != NULL &&
            nansen_wallet_key_get(*wallet, i, &k, NULL, NULL) != NANSEN_OK)
            return -1;
        *w_len = cap;
        err = nansen_withdrawal_sign(ctx, w, w_len, k, grant, grant_len,
                                     now);
    }
    if (err == NANSEN_ERR_KEY_MISMATCH) {
        if (wpath != NULL)
            cli_err(cmd, "the wallet %s holds no key of this grant's holder",
                    wpath);
        else
            cli_err(cmd, "%s is not the key of this grant's holder",
                    keyfile);
        return -1;
    }
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        return -1;
    }
    return 0;
}

/* Record the withdrawal (and the grant, if the wallet lacks it) in the
 * wallet's ledger and save it. */
static int wallet_withdrawal(const char *cmd, nansen_wallet *wallet,
                             const char *wpath, const uint8_t *grant,
                             size_t grant_len, const uint8_t *w,
                             size_t w_len, int64_t now)
{
    nansen_err err;

    err = nansen_wallet_add(wallet, NANSEN_WALLET_GRANT, grant, grant_len,
                            now);
    if (err == NANSEN_OK || err == NANSEN_ERR_EXISTS)
        err = nansen_wallet_add(wallet, NANSEN_WALLET_WITHDRAWAL, w, w_len,
                                now);
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot record the withdrawal in %s: %s; nothing "
                     "written", wpath, nansen_strerror(err));
        return -1;
    }
    return cli_wallet_save(cmd, wallet, wpath, 1);
}

int cmd_withdraw(int argc, char **argv)
{
    const char *cmd = "withdraw", *keyfile = NULL, *in = "-", *out = "-";
    const char *wpath = NULL;
    nansen_key *key = NULL;
    nansen_wallet *wallet = NULL;
    cli_pass pass = {0};
    int64_t now = (int64_t)time(NULL);
    nansen_ctx *ctx;
    uint8_t *input = NULL, *grant = NULL;
    uint8_t w[NANSEN_WITHDRAWAL_MAX_BYTES];
    size_t input_len = 0, grant_len = 0, w_len = sizeof w;
    nansen_err err;
    int i, r, framed = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_withdraw();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &wpath)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL && wpath == NULL)
        return cli_usage(cmd, "missing -k KEYFILE or -w WALLET (the "
                              "holder's key)");
    if (keyfile != NULL && wpath != NULL)
        return cli_usage(cmd, "give -k KEYFILE or -w WALLET, not both");
    if (cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (cli_read_token(cmd, in, NULL, CLI_TOKEN_NANSEN, "a Nansen grant", 0,
                       &input, &input_len, &framed) != EXIT_VALID)
        goto out;
    if (framed) {
        err = cli_unframe(input, input_len, 0, &grant, &grant_len, NULL);
        if (err != NANSEN_OK) {
            cli_err(cmd, "%s: not a grant's QR text: %s", in,
                    nansen_strerror(err));
            goto out;
        }
        cli_wipe_free(input, input_len);
        input = grant;
        input_len = grant_len;
        grant = NULL;
        grant_len = 0;
    }
    if (wallet_path_sign(cmd, ctx, wpath, &pass, &wallet, keyfile, &key,
                         input, input_len, now, w, &w_len) != 0)
        goto out;
    /* the migrant's record comes first: a withdrawal made is in the
     * ledger */
    if (wallet != NULL &&
        wallet_withdrawal(cmd, wallet, wpath, input, input_len, w, w_len,
                          now) != 0)
        goto out;
    if (cli_write(cmd, out, w, w_len, 1) != 0)
        goto out;
    status = EXIT_VALID;
out:
    cli_wipe_free(input, input_len);
    cli_wipe_free(grant, grant_len);
    nansen_key_free(key);
    nansen_wallet_free(wallet);
    cli_pass_done(&pass);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- nansen withdrawals ---- */

/* Load a store, or a new empty one when the file does not exist. */
static int load_store(const char *cmd, nansen_ctx *ctx, const char *path,
                      int create, nansen_withdrawal_store **st)
{
    nansen_err err = nansen_withdrawal_store_load(ctx, st, path);

    if (err == NANSEN_ERR_NOT_FOUND && create)
        err = nansen_withdrawal_store_create(ctx, st);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: %s", path, nansen_strerror(err));
        return is_invalid(err) ? EXIT_INVALID : EXIT_USAGE;
    }
    return EXIT_VALID;
}

static int withdrawals_add(int argc, char **argv)
{
    const char *cmd = "withdrawals add", *store_path = NULL;
    nansen_withdrawal_store *st = NULL;
    nansen_ctx *ctx;
    uint8_t *buf = NULL, *raw = NULL;
    size_t len = 0, raw_len = 0, added, total = 0;
    nansen_err err;
    int i, first = 0, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_withdrawals();
            return EXIT_VALID;
        }
        if (is_option(argv[i]))
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        if (store_path == NULL)
            store_path = argv[i];
        else if (first == 0)
            first = i;
    }
    if (store_path == NULL)
        return cli_usage(cmd, "missing STORE");
    if (first == 0)
        return cli_usage(cmd, "missing WITHDRAWAL (files to add)");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((r = load_store(cmd, ctx, store_path, 1, &st)) != EXIT_VALID) {
        status = r;
        goto out;
    }
    for (i = first; i < argc; i++) {
        const uint8_t *w;
        size_t w_len;

        if (argv[i] == store_path || is_option(argv[i]))
            continue;
        if (cli_read(cmd, argv[i], &buf, &len) != 0)
            goto out;
        w = buf;
        w_len = len;
        if (cli_is_framed(buf, len)) {
            err = cli_unframe(buf, cli_chomp(buf, len), 0, &raw, &raw_len,
                              NULL);
            if (err != NANSEN_OK) {
                cli_err(cmd, "%s: %s; the store is not changed", argv[i],
                        nansen_strerror(err));
                goto out;
            }
            w = raw;
            w_len = raw_len;
        }
        added = 0;
        err = nansen_withdrawal_store_add(st, w, w_len, &added);
        if (err != NANSEN_OK) {
            cli_err(cmd, "%s: %s; the store is not changed", argv[i],
                    nansen_strerror(err));
            status = err == NANSEN_ERR_BAD_SIGNATURE ||
                     err == NANSEN_ERR_ALG_MISMATCH ||
                     err == NANSEN_ERR_KEY_MISMATCH ? EXIT_INVALID
                                                    : EXIT_USAGE;
            goto out;
        }
        total += added;
        free(buf);
        free(raw);
        buf = raw = NULL;
        len = raw_len = 0;
    }
    if ((err = nansen_withdrawal_store_save(st, store_path,
                                            NANSEN_SAVE_OVERWRITE)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s: %s", store_path, nansen_strerror(err));
        goto out;
    }
    fprintf(stderr, "nansen %s: %lu added; %s holds %lu\n", cmd,
            (unsigned long)total, store_path,
            (unsigned long)nansen_withdrawal_store_count(st));
    status = EXIT_VALID;
out:
    free(buf);
    free(raw);
    nansen_withdrawal_store_free(st);
    nansen_ctx_destroy(ctx);
    return status;
}

static int withdrawals_list(int argc, char **argv)
{
    const char *cmd = "withdrawals list", *store_path = NULL;
    nansen_withdrawal_store *st = NULL;
    nansen_withdrawal_entry e;
    nansen_ctx *ctx;
    char hex[2 * NANSEN_DIGEST_BYTES + 1], t1[CLI_TIME_BYTES];
    char t2[CLI_TIME_BYTES], did[NANSEN_DID_MAX_BYTES + 1];
    size_t k, n;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_withdrawals();
            return EXIT_VALID;
        }
        if (is_option(argv[i]) || store_path != NULL)
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        store_path = argv[i];
    }
    if (store_path == NULL)
        return cli_usage(cmd, "missing STORE");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((r = load_store(cmd, ctx, store_path, 0, &st)) != EXIT_VALID) {
        status = r;
        goto out;
    }
    n = nansen_withdrawal_store_count(st);
    for (k = 0; k < n; k++) {
        nansen_key *holder = NULL;

        if (nansen_withdrawal_store_entry(st, k, &e) != NANSEN_OK)
            continue;
        cli_hex(hex, e.grant_digest, NANSEN_DIGEST_BYTES);
        if (nansen_key_from_public(ctx, &holder, e.holder_type,
                                   e.holder_public, e.holder_public_len) !=
            NANSEN_OK)
            snprintf(did, sizeof did, "?");
        else
            key_did(holder, did);
        nansen_key_free(holder);
        printf("%s  withdrawn %s  grant until %s  holder %s\n", hex,
               cli_iso_time(e.iat, t1), cli_iso_time(e.grant_exp, t2), did);
    }
    if (fflush(stdout) != 0) {
        cli_err(cmd, "write error on standard output");
        goto out;
    }
    status = EXIT_VALID;
out:
    nansen_withdrawal_store_free(st);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_withdrawals(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"add", withdrawals_add, NULL, NULL},
        {"list", withdrawals_list, NULL, NULL},
    };

    return cli_subcommand("withdrawals", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_withdrawals);
}

/* ---- nansen trust ---- */

/* "ngo,clinic" into a NANSEN_ROLE_BIT set. */
static int parse_roles(const char *cmd, const char *s, uint32_t *roles)
{
    const char *p = s;

    *roles = 0;
    for (;;) {
        size_t n = strcspn(p, ",");
        nansen_role role;

        if (n == 0 || nansen_role_from_name(p, n, &role) != NANSEN_OK)
            return cli_usage(cmd, "--role wants roles from ngo, clinic, "
                                  "status-issuer, interpreter, "
                                  "comma-separated, not '%s'", s);
        *roles |= NANSEN_ROLE_BIT(role);
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

static void print_roles(uint32_t roles)
{
    unsigned int r;
    int first = 1;

    for (r = 1; r <= NANSEN_ROLE_CODE_MAX; r++) {
        const char *name;

        if (!(roles & NANSEN_ROLE_BIT(r)))
            continue;
        name = nansen_role_name((nansen_role)r);
        if (name != NULL)
            printf("%s%s", first ? "" : ",", name);
        else
            printf("%srole-%u", first ? "" : ",", r);
        first = 0;
    }
}

/* Sign list as the successor of sequence prev and install it at path
 * (verified, not older than the file there, written atomically). */
static int sign_install(const char *cmd, nansen_ctx *ctx,
                        nansen_trustlist *list, const nansen_key *gov,
                        uint64_t prev, int64_t exp, const char *path)
{
    nansen_trustlist_sign_params sp;
    uint8_t *buf = NULL;
    size_t len = 0;
    nansen_err err;

    memset(&sp, 0, sizeof sp);
    sp.iat = (int64_t)time(NULL);
    sp.exp = exp;
    sp.previous_sequence = prev;
    if ((err = nansen_trustlist_set_sequence(list, prev + 1)) != NANSEN_OK)
        goto fail;
    err = nansen_trustlist_sign(ctx, NULL, &len, list, gov, &sp);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) && len > 0)
        err = (buf = malloc(len)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_trustlist_sign(ctx, buf, &len, list, gov, &sp);
    else if (err == NANSEN_OK)
        err = NANSEN_ERR_INVALID_ARG;
    if (err == NANSEN_OK)
        err = nansen_trustlist_install(ctx, NULL, path, gov, buf, len);
    free(buf);
    if (err == NANSEN_OK)
        return 0;
fail:
    cli_err(cmd, "%s: %s", path, nansen_strerror(err));
    return -1;
}

/* The list at path verified with gov, or (missing and create) a new one.
 * *exp_span: the old list's exp - iat, 0 for none. */
static int load_list(const char *cmd, nansen_ctx *ctx, const char *path,
                     const nansen_key *gov, int create,
                     nansen_trustlist **list, int64_t *exp_span)
{
    int64_t iat = 0, exp = 0;
    nansen_err err = nansen_trustlist_load(ctx, list, path, gov);

    *exp_span = 0;
    if (err == NANSEN_ERR_NOT_FOUND && create)
        return nansen_trustlist_create(ctx, list) == NANSEN_OK ? EXIT_VALID
                                                               : EXIT_USAGE;
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: %s", path, nansen_strerror(err));
        return is_invalid(err) ? EXIT_INVALID : EXIT_USAGE;
    }
    nansen_trustlist_times(*list, &iat, &exp);
    if (exp > iat)
        *exp_span = exp - iat;
    return EXIT_VALID;
}

static int trust_edit(int argc, char **argv, int action)
{
    /* action: 0 init, 1 add, 2 remove */
    static const char *const names[] = {"trust init", "trust add",
                                        "trust remove"};
    const char *cmd = names[action], *keyfile = NULL, *path = NULL;
    const char *did = NULL, *name = NULL, *roles_s = NULL, *valid_s = NULL;
    const char *list_valid_s = NULL, *issuer_name = NULL, *out = NULL;
    int64_t valid = 0, list_valid = 0, span = 0, now;
    uint32_t roles = 0;
    nansen_trustlist *list = NULL;
    nansen_key *gov = NULL, *party = NULL;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    nansen_ctx *ctx;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_trust();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--list-valid",
                         &list_valid_s))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (action == 0 &&
            ((r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
             (r = cli_opt(cmd, argc, argv, &i, NULL, "--issuer-name",
                          &issuer_name)))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (action != 0 &&
            ((r = cli_opt(cmd, argc, argv, &i, NULL, "--list", &path)) ||
             (r = cli_opt(cmd, argc, argv, &i, NULL, "--did", &did)))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (action == 1 &&
            ((r = cli_opt(cmd, argc, argv, &i, NULL, "--name", &name)) ||
             (r = cli_opt(cmd, argc, argv, &i, NULL, "--role", &roles_s)) ||
             (r = cli_opt(cmd, argc, argv, &i, NULL, "--valid",
                          &valid_s)))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL)
        return cli_usage(cmd, "missing -k KEYFILE (the governance key)");
    if (action == 0) {
        if (out == NULL)
            return cli_usage(cmd, "missing -o LIST");
        if (strcmp(out, "-") == 0)
            return cli_usage(cmd, "the list must be a file, not '-'");
        path = out;
    } else {
        if (path == NULL)
            return cli_usage(cmd, "missing --list LIST");
        if (did == NULL)
            return cli_usage(cmd, "missing --did DID");
    }
    if (action == 1) {
        if (name == NULL)
            return cli_usage(cmd, "missing --name TEXT");
        if (roles_s == NULL)
            return cli_usage(cmd, "missing --role ROLE[,ROLE...]");
        if (parse_roles(cmd, roles_s, &roles) != 0)
            return EXIT_USAGE;
        if (valid_s != NULL && cli_duration(valid_s, &valid) != 0)
            return bad_duration(cmd, "--valid", valid_s);
    }
    if (list_valid_s != NULL && cli_duration(list_valid_s, &list_valid) != 0)
        return bad_duration(cmd, "--list-valid", list_valid_s);
    if (action == 0 && access(path, F_OK) == 0) {
        cli_err(cmd, "%s exists: not replaced", path);
        return EXIT_USAGE;
    }

    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (did != NULL &&
        (party = cli_key_of_did(cmd, ctx, "--did", did)) == NULL)
        goto out;
    if ((gov = cli_load_key(cmd, ctx, keyfile)) == NULL)
        goto out;
    if (!nansen_key_has_secret(gov)) {
        cli_err(cmd, "%s: %s", keyfile,
                nansen_strerror(NANSEN_ERR_NO_SECRET_KEY));
        goto out;
    }
    if (action == 0) {
        if (nansen_trustlist_create(ctx, &list) != NANSEN_OK)
            goto out;
    } else if ((r = load_list(cmd, ctx, path, gov, action == 1, &list,
                              &span)) != EXIT_VALID) {
        status = r;
        goto out;
    }
    now = (int64_t)time(NULL);
    if (issuer_name != NULL &&
        (err = nansen_trustlist_set_issuer(list, issuer_name)) !=
            NANSEN_OK) {
        status = cli_usage(cmd, "--issuer-name: %s", nansen_strerror(err));
        goto out;
    }
    if (action == 1) {
        err = nansen_trustlist_add(ctx, list, party, name, roles, 0,
                                   valid > 0 ? now + valid : 0);
        if (err == NANSEN_ERR_EXISTS) {
            cli_err(cmd, "%s is already listed: remove it first to change "
                         "its entry", did);
            goto out;
        }
        if (err != NANSEN_OK) {
            cli_err(cmd, "cannot add %s: %s", did, nansen_strerror(err));
            goto out;
        }
    } else if (action == 2) {
        if (nansen_key_id(party, kid) != NANSEN_OK)
            goto out;
        if ((err = nansen_trustlist_remove(list, kid)) != NANSEN_OK) {
            cli_err(cmd, "%s: %s", did, err == NANSEN_ERR_NOT_FOUND
                                            ? "not listed"
                                            : nansen_strerror(err));
            goto out;
        }
    }
    if (list_valid > 0)
        span = list_valid;
    if (sign_install(cmd, ctx, list, gov, nansen_trustlist_sequence(list),
                     span > 0 ? now + span : 0, path) != 0)
        goto out;
    status = EXIT_VALID;
out:
    nansen_trustlist_free(list);
    nansen_key_free(gov);
    nansen_key_free(party);
    nansen_ctx_destroy(ctx);
    return status;
}

static int trust_show(int argc, char **argv)
{
    const char *cmd = "trust show", *path = NULL, *gov_did = NULL, *iss;
    nansen_trustlist *list = NULL;
    nansen_trustlist_entry e;
    nansen_key *gov = NULL;
    nansen_ctx *ctx;
    char t[CLI_TIME_BYTES], did[NANSEN_DID_MAX_BYTES + 1];
    int64_t iat = 0, exp = 0, span;
    size_t k, n;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_trust();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--governance",
                         &gov_did))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (is_option(argv[i]) || path != NULL)
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        path = argv[i];
    }
    if (path == NULL)
        return cli_usage(cmd, "missing LIST");
    if (gov_did == NULL)
        return cli_usage(cmd, "missing --governance DID");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((gov = cli_key_of_did(cmd, ctx, "--governance", gov_did)) == NULL)
        goto out;
    if ((r = load_list(cmd, ctx, path, gov, 0, &list, &span)) !=
        EXIT_VALID) {
        status = r;
        goto out;
    }
    nansen_trustlist_times(list, &iat, &exp);
    iss = nansen_trustlist_issuer(list);
    printf("governance: %s%s%s%s\n", gov_did, iss != NULL ? " (" : "",
           iss != NULL ? iss : "", iss != NULL ? ")" : "");
    printf("sequence:   %llu\n",
           (unsigned long long)nansen_trustlist_sequence(list));
    printf("signed at:  %s\n", cli_iso_time(iat, t));
    printf("stale from: %s\n", exp != 0 ? cli_iso_time(exp, t) : "never");
    n = nansen_trustlist_count(list);
    printf("entries:    %lu\n", (unsigned long)n);
    for (k = 0; k < n; k++) {
        if (nansen_trustlist_entry_at(list, k, &e) != NANSEN_OK)
            continue;
        printf("  %s\n    name:  %s\n    roles: ", key_did(e.key, did),
               e.name);
        print_roles(e.roles);
        printf("\n");
        if (e.nbf != 0)
            printf("    from:  %s\n", cli_iso_time(e.nbf, t));
        if (e.exp != 0)
            printf("    until: %s\n", cli_iso_time(e.exp, t));
    }
    if (fflush(stdout) != 0) {
        cli_err(cmd, "write error on standard output");
        goto out;
    }
    status = EXIT_VALID;
out:
    nansen_trustlist_free(list);
    nansen_key_free(gov);
    nansen_ctx_destroy(ctx);
    return status;
}

static int trust_init(int argc, char **argv)
{
    return trust_edit(argc, argv, 0);
}

static int trust_add(int argc, char **argv)
{
    return trust_edit(argc, argv, 1);
}

static int trust_remove(int argc, char **argv)
{
    return trust_edit(argc, argv, 2);
}

int cmd_trust(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"init", trust_init, NULL, NULL},
        {"add", trust_add, NULL, NULL},
        {"remove", trust_remove, NULL, NULL},
        {"show", trust_show, NULL, NULL},
    };

    return cli_subcommand("trust", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_trust);
}

/* ---- nansen bundle ---- */

void help_bundle(void)
{
    printf(
        "Usage: nansen bundle export -k GOV_KEY --trust FILE\n"
        "                            [--status TOKEN ...] [--withdrawals STORE]\n"
        "                            [-o OUT|-]\n"
        "       nansen bundle import --governance DID [-i BUNDLE|-]\n"
        "                            --trust FILE --status-dir DIR\n"
        "                            [--withdrawals STORE]\n"
        "\n"
        "Trust bundles (spec/bundle.md): one file, signed by the governance\n"
        "body, carrying the trust list, status lists and withdrawals, for a\n"
        "clinic that works offline (a USB stick).\n"
        "\n"
        "export  make a bundle\n"
        "  -k, --key FILE         the governance body's key file\n"
        "      --trust FILE       the signed trust list ('nansen trust')\n"
        "      --status TOKEN     a signed status list (repeat, at most %d)\n"
        "      --withdrawals FILE a withdrawal store or one withdrawal\n"
        "  -o, --out FILE         the bundle (default: standard output, not a\n"
        "                         terminal)\n"
        "import  check all of a bundle, then install it: the trust list if\n"
        "        newer, each status list newer than the one in DIR, the new\n"
        "        withdrawals; a refused bundle changes no file\n"
        "      --governance DID   the governance body's did:key\n"
        "  -i, --in FILE          the bundle (default: standard input)\n"
        "      --trust FILE       the clinic's trust list file\n"
        "      --status-dir DIR   the clinic's status directory (must exist)\n"
        "      --withdrawals FILE the clinic's withdrawal store\n"
        "\n"
        "Exit status: 0 done, 1 a bundle that does not verify (signature,\n"
        "an older trust list or status list, an untrusted status issuer),\n"
        "2 usage, input or I/O error.\n",
        NANSEN_BUNDLE_MAX_STATUS_LISTS);
}

static int bundle_export(int argc, char **argv)
{
    const char *cmd = "bundle export", *keyfile = NULL, *trust = NULL;
    const char *wd = NULL, *out = "-", *val;
    const char *status_files[NANSEN_BUNDLE_MAX_STATUS_LISTS];
    nansen_bundle_bytes parts[NANSEN_BUNDLE_MAX_STATUS_LISTS];
    uint8_t *sbuf[NANSEN_BUNDLE_MAX_STATUS_LISTS];
    uint8_t *tbuf = NULL, *wbuf = NULL, *b = NULL;
    size_t nstatus = 0, k, tlen = 0, wlen = 0, blen = 0;
    nansen_key *gov = NULL;
    nansen_ctx *ctx;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    memset(sbuf, 0, sizeof sbuf);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_bundle();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--trust", &trust)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--withdrawals", &wd)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--status", &val))) {
            if (r < 0)
                return EXIT_USAGE;
            if (nstatus >= NANSEN_BUNDLE_MAX_STATUS_LISTS)
                return cli_usage(cmd, "more than %d --status",
                                 NANSEN_BUNDLE_MAX_STATUS_LISTS);
            status_files[nstatus++] = val;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL)
        return cli_usage(cmd, "missing -k KEYFILE (the governance key)");
    if (trust == NULL)
        return cli_usage(cmd, "missing --trust FILE");
    if (cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((gov = cli_load_key(cmd, ctx, keyfile)) == NULL ||
        cli_read(cmd, trust, &tbuf, &tlen) != 0 ||
        (wd != NULL && cli_read(cmd, wd, &wbuf, &wlen) != 0))
        goto out;
    for (k = 0; k < nstatus; k++) {
        if (cli_read(cmd, status_files[k], &sbuf[k], &parts[k].len) != 0)
            goto out;
        parts[k].data = sbuf[k];
    }
    err = nansen_bundle_export(ctx, NULL, &blen, gov, tbuf, tlen,
                               nstatus > 0 ? parts : NULL, nstatus, wbuf,
                               wlen, (int64_t)time(NULL));
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) && blen > 0)
        err = (b = malloc(blen)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_bundle_export(ctx, b, &blen, gov, tbuf, tlen,
                                         nstatus > 0 ? parts : NULL, nstatus,
                                         wbuf, wlen, (int64_t)time(NULL));
    else if (err == NANSEN_OK)
        err = NANSEN_ERR_INVALID_ARG;
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot make the bundle: %s", nansen_strerror(err));
        goto out;
    }
    if (cli_write(cmd, out, b, blen, 1) != 0)
        goto out;
    status = EXIT_VALID;
out:
    for (k = 0; k < nstatus; k++)
        free(sbuf[k]);
    free(tbuf);
    free(wbuf);
    free(b);
    nansen_key_free(gov);
    nansen_ctx_destroy(ctx);
    return status;
}

static int bundle_import(int argc, char **argv)
{
    const char *cmd = "bundle import", *gov_did = NULL, *in = "-";
    const char *trust = NULL, *dir = NULL, *wd = NULL;
    nansen_bundle_paths paths;
    nansen_bundle_summary sum;
    nansen_key *gov = NULL;
    nansen_ctx *ctx;
    uint8_t *buf = NULL;
    size_t len = 0;
    char t[CLI_TIME_BYTES];
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_bundle();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--governance",
                         &gov_did)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--trust", &trust)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--status-dir", &dir)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--withdrawals", &wd))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (gov_did == NULL)
        return cli_usage(cmd, "missing --governance DID");
    if (trust == NULL)
        return cli_usage(cmd, "missing --trust FILE");
    if (dir == NULL)
        return cli_usage(cmd, "missing --status-dir DIR");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((gov = cli_key_of_did(cmd, ctx, "--governance", gov_did)) == NULL ||
        cli_read(cmd, in, &buf, &len) != 0)
        goto out;
    memset(&paths, 0, sizeof paths);
    paths.trustlist_file = trust;
    paths.status_dir = dir;
    paths.withdrawals_file = wd;
    memset(&sum, 0, sizeof sum);
    err = nansen_bundle_import(ctx, gov, buf, len, &paths, &sum);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: %s; nothing changed", in, nansen_strerror(err));
        status = is_invalid(err) || err == NANSEN_ERR_ROLLBACK ||
                 err == NANSEN_ERR_POLICY ? EXIT_INVALID : EXIT_USAGE;
        goto out;
    }
    fprintf(stderr,
            "nansen %s: bundle of %s: trust list %llu %s; %lu of %lu status "
            "list%s written; %lu of %lu withdrawal%s new\n",
            cmd, cli_iso_time(sum.iat, t),
            (unsigned long long)sum.trustlist_sequence,
            sum.trustlist_written ? "installed" : "already held",
            (unsigned long)sum.status_written,
            (unsigned long)sum.status_lists, sum.status_lists == 1 ? "" : "s",
            (unsigned long)sum.withdrawals_added,
            (unsigned long)sum.withdrawals, sum.withdrawals == 1 ? "" : "s");
    status = EXIT_VALID;
out:
    free(buf);
    nansen_key_free(gov);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_bundle(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"export", bundle_export, NULL, NULL},
        {"import", bundle_import, NULL, NULL},
    };

    return cli_subcommand("bundle", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_bundle);
}
