/* cmd_wallet.c - nansen wallet (init, info, passwd, export, import) and
 * nansen ledger: the migrant's encrypted wallet (spec/wallet.md) and its
 * consent ledger (spec/ledger.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"

static const char *kind_name(nansen_wallet_kind kind)
{
    switch (kind) {
    case NANSEN_WALLET_CREDENTIAL: return "referral";
    case NANSEN_WALLET_GRANT:      return "grant";
    case NANSEN_WALLET_WITHDRAWAL: return "withdrawal";
    case NANSEN_WALLET_RECEIPT:    return "receipt";
    }
    return "?";
}

static void print_id(const uint8_t id[NANSEN_WALLET_ID_BYTES])
{
    char hex[2 * NANSEN_WALLET_ID_BYTES + 1];

    cli_hex(hex, id, NANSEN_WALLET_ID_BYTES);
    printf("wallet id:   %s\n", hex);
}

static void print_kdf(const nansen_wallet_kdf *kdf)
{
    printf("passphrase:  Argon2id, %llu pass%s, %llu KiB\n",
           (unsigned long long)kdf->opslimit, kdf->opslimit == 1 ? "" : "es",
           (unsigned long long)(kdf->memlimit / 1024));
}

/* ---- wallet init ---- */

static int wallet_init(int argc, char **argv)
{
    const char *cmd = "wallet init", *path = NULL, *keyfile = NULL;
    const char *gen = NULL, *label = "holder key", *kdf_name = NULL;
    nansen_wallet_kdf kdf = {NANSEN_WALLET_OPSLIMIT_DEFAULT,
                             NANSEN_WALLET_MEMLIMIT_DEFAULT};
    nansen_key_type type = NANSEN_KEY_ED25519;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    nansen_key *key = NULL;
    const nansen_key *held;
    char *pw = NULL, did[160];
    size_t pw_len = 0, n = sizeof did, index = 0;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--generate", &gen)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--label", &label)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--kdf", &kdf_name)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (keyfile != NULL && gen != NULL)
        return cli_usage(cmd, "give -k KEYFILE or --generate TYPE, not both");
    if (gen != NULL && cli_key_type(gen, &type) != 0)
        return cli_usage(cmd, "--generate wants ed25519 or secp256k1, not "
                              "'%s'", gen);
    if (kdf_name != NULL && cli_kdf_arg(cmd, kdf_name, &kdf) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (keyfile != NULL && (key = cli_load_key(cmd, ctx, keyfile)) == NULL)
        goto out;
    if (cli_pass_next(cmd, &pass, "New wallet passphrase: ", 1, &pw,
                      &pw_len) != 0)
        goto out;
    if ((err = nansen_wallet_create(ctx, &w, pw, pw_len, &kdf)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    err = key != NULL
              ? nansen_wallet_key_add(w, key, label, (int64_t)time(NULL),
                                      &index)
              : nansen_wallet_key_generate(w, type, label,
                                           (int64_t)time(NULL), &index);
    if (err != NANSEN_OK) {
        if (err == NANSEN_ERR_NO_SECRET_KEY)
            cli_err(cmd, "%s holds no secret key", keyfile);
        else if (err == NANSEN_ERR_INVALID_ARG)
            cli_usage(cmd, "--label wants 1 to %d bytes of UTF-8",
                      NANSEN_WALLET_LABEL_MAX_BYTES);
        else
            cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if (cli_wallet_save(cmd, w, path, 0) != 0)
        goto out;
    if (nansen_wallet_key_get(w, index, &held, NULL, NULL) != NANSEN_OK ||
        nansen_key_did(held, did, &n) != NANSEN_OK)
        goto out;
    printf("%s\n", did);
    fprintf(stderr, "nansen %s: %s created, holding the key %s\n", cmd, path,
            label);
    status = EXIT_VALID;
out:
    sodium_free(pw);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- wallet info ---- */

static int wallet_info(int argc, char **argv)
{
    const char *cmd = "wallet info", *path = NULL;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    nansen_wallet_header h;
    nansen_wallet_info info;
    uint8_t *buf = NULL;
    size_t len = 0, i;
    nansen_err err;
    int a, k, r, status = EXIT_USAGE;

    for (a = 1; a < argc; a++) {
        if (cli_is_help(argv[a])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &a, "-w", "--wallet", &path)) ||
            (r = cli_pass_opt(cmd, argc, argv, &a, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[a]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    /* what the file is, before asking for anything */
    if (cli_read(cmd, path, &buf, &len) != 0)
        goto out;
    if ((err = nansen_wallet_header_decode(&h, buf, len)) != NANSEN_OK) {
        cli_err(cmd, "%s: %s%s", path, nansen_strerror(err),
                err == NANSEN_ERR_UNSUPPORTED_VERSION
                    ? " (a wallet from a newer version of nansen)"
                    : "");
        status = EXIT_INVALID;
        goto out;
    }
    printf("file:        %s, wallet format %u, %zu bytes\n", path, h.version,
           len);
    print_id(h.wallet_id);
    print_kdf(&h.kdf);
    fflush(stdout);
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    if (nansen_wallet_get_info(w, &info) != NANSEN_OK)
        goto out;
    printf("keys:        %zu\n", info.keys);
    for (i = 0; i < info.keys; i++) {
        const nansen_key *key;
        const char *label;
        int64_t created;
        char did[160], t[CLI_TIME_BYTES];
        size_t n = sizeof did;

        if (nansen_wallet_key_get(w, i, &key, &label, &created) !=
                NANSEN_OK ||
            nansen_key_did(key, did, &n) != NANSEN_OK)
            goto out;
        printf("  %s  %s (%s, %s)\n", did, label,
               nansen_key_get_type(key) == NANSEN_KEY_ED25519 ? "ed25519"
                                                             : "secp256k1",
               cli_iso_time(created, t));
    }
    for (k = NANSEN_WALLET_KIND_FIRST; k <= NANSEN_WALLET_KIND_LAST; k++)
        printf("%-12s %zu\n",
               k == NANSEN_WALLET_CREDENTIAL   ? "referrals:"
               : k == NANSEN_WALLET_GRANT      ? "grants:"
               : k == NANSEN_WALLET_WITHDRAWAL ? "withdrawals:"
                                               : "receipts:",
               info.items[k]);
    printf("ledger:      %zu entries\n", info.ledger_entries);
    status = EXIT_VALID;
out:
    cli_wipe_free(buf, len);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- wallet passwd ---- */

static int wallet_passwd(int argc, char **argv)
{
    const char *cmd = "wallet passwd", *path = NULL, *kdf_name = NULL;
    nansen_wallet_kdf kdf;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    char *pw = NULL;
    size_t pw_len = 0;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--kdf", &kdf_name)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (kdf_name != NULL && cli_kdf_arg(cmd, kdf_name, &kdf) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    if (cli_pass_next(cmd, &pass, "New passphrase: ", 1, &pw, &pw_len) != 0)
        goto out;
    if ((err = nansen_wallet_set_passphrase(w, pw, pw_len,
                                            kdf_name != NULL ? &kdf
                                                             : NULL)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    /* one rename: the file opens with the old passphrase or the new */
    if (cli_wallet_save(cmd, w, path, 1) != 0)
        goto out;
    fprintf(stderr, "nansen %s: passphrase changed; recovery shares made "
                    "before stay valid\n", cmd);
    status = EXIT_VALID;
out:
    sodium_free(pw);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- wallet export ---- */

static int wallet_export(int argc, char **argv)
{
    const char *cmd = "wallet export", *path = NULL, *out = NULL;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (out == NULL || strcmp(out, "-") == 0)
        return cli_usage(cmd, "missing -o COPY (a file: the copy is written "
                              "atomically, never over an existing file)");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    if (cli_wallet_save(cmd, w, out, 0) != 0)
        goto out;
    fprintf(stderr, "nansen %s: %s written: it opens with the same "
                    "passphrase, or with recovery shares\n", cmd, out);
    status = EXIT_VALID;
out:
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- wallet import ---- */

/* Which kind of item the bytes are: the first decoder that accepts them. */
static nansen_err add_any(nansen_wallet *w, const uint8_t *p, size_t len,
                          nansen_wallet_kind *kind)
{
    static const nansen_wallet_kind order[] = {
        NANSEN_WALLET_CREDENTIAL, NANSEN_WALLET_GRANT,
        NANSEN_WALLET_WITHDRAWAL, NANSEN_WALLET_RECEIPT};
    nansen_err err = NANSEN_ERR_MALFORMED;
    size_t i;

    for (i = 0; i < sizeof order / sizeof order[0]; i++) {
        *kind = order[i];
        err = nansen_wallet_add(w, order[i], p, len, (int64_t)time(NULL));
        if (err == NANSEN_OK || err == NANSEN_ERR_EXISTS ||
            err == NANSEN_ERR_CHAIN_BROKEN || err == NANSEN_ERR_NOMEM)
            return err;
    }
    return err;
}

static int wallet_import(int argc, char **argv)
{
    const char *cmd = "wallet import", *path = NULL;
    const char *files[64];
    size_t nfiles = 0, f;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    int i, r, added = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
        if (nfiles == sizeof files / sizeof files[0])
            return cli_usage(cmd, "at most %zu files at a time",
                             sizeof files / sizeof files[0]);
        files[nfiles++] = argv[i];
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (nfiles == 0)
        return cli_usage(cmd, "missing FILE (a referral, grant, withdrawal "
                              "or receipt)");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    /* all files are checked before the wallet is saved: all or nothing */
    for (f = 0; f < nfiles; f++) {
        uint8_t *in = NULL, *token = NULL;
        size_t in_len = 0, token_len = 0;
        nansen_wallet_kind kind;
        nansen_err err;
        int framed = 0;

        if (cli_read_token(cmd, files[f], NULL, CLI_TOKEN_NANSEN,
                           "a Nansen token", 0, &in, &in_len, &framed) !=
            EXIT_VALID)
            goto out;
        if (framed &&
            (err = cli_unframe(in, in_len, 0, &token, &token_len, NULL)) !=
                NANSEN_OK) {
            cli_err(cmd, "%s: not a Nansen QR text: %s", files[f],
                    nansen_strerror(err));
            cli_wipe_free(in, in_len);
            goto out;
        }
        err = add_any(w, framed ? token : in, framed ? token_len : in_len,
                      &kind);
        cli_wipe_free(in, in_len);
        cli_wipe_free(token, token_len);
        if (err == NANSEN_ERR_EXISTS) {
            fprintf(stderr, "nansen %s: %s: this %s is already in the "
                            "wallet\n", cmd, files[f], kind_name(kind));
            continue;
        }
        if (err != NANSEN_OK) {
            cli_err(cmd, "%s: not a referral, grant, withdrawal or receipt "
                         "(%s); nothing imported", files[f],
                    nansen_strerror(err));
            status = EXIT_INVALID;
            goto out;
        }
        fprintf(stderr, "nansen %s: %s: %s added\n", cmd, files[f],
                kind_name(kind));
        added++;
    }
    if (added > 0 && cli_wallet_save(cmd, w, path, 1) != 0)
        goto out;
    status = EXIT_VALID;
out:
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- wallet rotate ---- */

static int wallet_rotate(int argc, char **argv)
{
    const char *cmd = "wallet rotate", *path = NULL, *from = NULL;
    const char *gen = "ed25519", *label = "new holder key", *out = NULL;
    nansen_key_type type;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    nansen_key *from_key = NULL;
    const nansen_key *old_key, *new_key;
    uint8_t rot[NANSEN_ROTATION_MAX_BYTES];
    size_t rot_len = sizeof rot, old_i = 0, new_i = 0, n;
    char did[160];
    int64_t now = (int64_t)time(NULL);
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_wallet();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--from", &from)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--generate", &gen)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--label", &label)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (out == NULL)
        return cli_usage(cmd, "missing -o ROTATION (the statement for the "
                              "NGO)");
    if (cli_key_type(gen, &type) != 0)
        return cli_usage(cmd, "--generate wants ed25519 or secp256k1, not "
                              "'%s'", gen);
    if (cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (from != NULL &&
        (from_key = cli_key_of_did(cmd, ctx, "--from", from)) == NULL)
        goto out;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    if ((n = nansen_wallet_key_count(w)) == 0) {
        cli_err(cmd, "the wallet holds no key to rotate from");
        goto out;
    }
    old_i = n - 1;
    if (from_key != NULL &&
        nansen_wallet_key_find(w, from_key, &old_i) != NANSEN_OK) {
        cli_err(cmd, "the wallet holds no key %s", from);
        goto out;
    }
    if ((err = nansen_wallet_key_generate(w, type, label, now, &new_i)) !=
        NANSEN_OK) {
        cli_err(cmd, "cannot make the new key: %s", nansen_strerror(err));
        goto out;
    }
    if (nansen_wallet_key_get(w, old_i, &old_key, NULL, NULL) != NANSEN_OK ||
        nansen_wallet_key_get(w, new_i, &new_key, NULL, NULL) != NANSEN_OK)
        goto out;
    if ((err = nansen_rotation_sign(ctx, rot, &rot_len, old_key, new_key,
                                    now)) != NANSEN_OK) {
        cli_err(cmd, "cannot sign the rotation: %s", nansen_strerror(err));
        goto out;
    }
    /* the new key is kept before the statement naming it leaves */
    if (cli_wallet_save(cmd, w, path, 1) != 0 ||
        cli_write(cmd, out, rot, rot_len, 1) != 0)
        goto out;
    n = sizeof did;
    if (nansen_key_did(new_key, did, &n) != NANSEN_OK)
        goto out;
    printf("%s\n", did);
    fprintf(stderr, "nansen %s: a new key in the wallet; %s, signed with the "
                    "old key, asks the NGO to re-issue referrals to it\n",
            cmd, out);
    status = EXIT_VALID;
out:
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_key_free(from_key);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_wallet(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"init", wallet_init, NULL, NULL},
        {"info", wallet_info, NULL, NULL},
        {"passwd", wallet_passwd, NULL, NULL},
        {"export", wallet_export, NULL, NULL},
        {"import", wallet_import, NULL, NULL},
        {"rotate", wallet_rotate, NULL, NULL},
    };

    return cli_subcommand("wallet", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_wallet);
}

void help_wallet(void)
{
    printf(
        "Usage: nansen wallet init   -w WALLET [-k KEYFILE | --generate TYPE]\n"
        "                            [--label TEXT] [--kdf COST]\n"
        "       nansen wallet info   -w WALLET\n"
        "       nansen wallet passwd -w WALLET [--kdf COST]\n"
        "       nansen wallet export -w WALLET -o COPY\n"
        "       nansen wallet import -w WALLET FILE...\n"
        "       nansen wallet rotate -w WALLET [--from DID] [--generate TYPE]\n"
        "                            [--label TEXT] -o ROTATION\n"
        "\n"
        "The migrant's wallet (spec/wallet.md): their keys, the referrals\n"
        "they received, the grants they gave, the withdrawals they made and\n"
        "their receipts, with the consent ledger ('nansen ledger'), sealed\n"
        "with a key derived from a passphrase (Argon2id, XChaCha20-Poly1305).\n"
        "Every save replaces the file atomically; a file that does not open\n"
        "is never changed.\n"
        "\n"
        "  init    create a wallet holding a new key (--generate ed25519, the\n"
        "          default, or secp256k1) or the key of KEYFILE; prints its\n"
        "          did:key\n"
        "  info    what the file is (before asking the passphrase), then the\n"
        "          keys and how many items and ledger entries it holds\n"
        "  passwd  change the passphrase (the current one, then the new one);\n"
        "          recovery shares stay valid\n"
        "  export  write a sealed copy for safekeeping (same passphrase)\n"
        "  import  add referral, grant, withdrawal or receipt files (binary\n"
        "          or QR text); grants and withdrawals go into the ledger\n"
        "  rotate  after a recovery or a compromise: a new key in the wallet,\n"
        "          and a statement signed with the old key (--from, default\n"
        "          the newest) naming it, for the NGO ('nansen rotation\n"
        "          verify'), which re-issues referrals to the new key; prints\n"
        "          the new did:key\n"
        "\n"
        "  -w, --wallet FILE       the wallet file\n"
        "  --kdf COST              interactive (default: 2 passes, 64 MiB),\n"
        "                          moderate (3, 256 MiB), sensitive (4, 1 GiB),\n"
        "                          minimal (1 pass, 8 KiB: tests and demos only)\n"
        "  --passphrase-file FILE  read passphrases from FILE, one per line\n"
        "  --passphrase-fd N       read them from file descriptor N\n"
        "\n"
        "Without --passphrase-file or --passphrase-fd the passphrase is asked\n"
        "at the terminal, without echo (twice for a new one). It is never\n"
        "taken from the command line.\n"
        "\n"
        "Exit status: 0 done, 1 the wallet does not open (wrong passphrase,\n"
        "damaged, newer version) or an import is refused, 2 usage or I/O\n"
        "error.\n");
}

/* ---- ledger ---- */

/* COUNT:HEX (64 hex digits). */
static int parse_anchor(const char *s, uint64_t *count, uint8_t hash[32])
{
    const char *colon = strchr(s, ':');
    char num[24];
    size_t n, i;

    if (colon == NULL || (n = (size_t)(colon - s)) == 0 || n >= sizeof num ||
        strlen(colon + 1) != 64)
        return -1;
    memcpy(num, s, n);
    num[n] = '\0';
    if (cli_uint(num, NANSEN_LEDGER_MAX_ENTRIES, count) != 0)
        return -1;
    for (i = 0; i < 32; i++) {
        unsigned int v;
        char byte[3] = {colon[1 + 2 * i], colon[2 + 2 * i], '\0'};

        if (!isxdigit((unsigned char)byte[0]) ||
            !isxdigit((unsigned char)byte[1]) || sscanf(byte, "%x", &v) != 1)
            return -1;
        hash[i] = (uint8_t)v;
    }
    return 0;
}

int cmd_ledger(int argc, char **argv)
{
    const char *cmd = "ledger", *path = NULL, *lang = "en", *at = NULL;
    const char *anchor = NULL;
    uint8_t anchor_hash[32];
    uint64_t anchor_count = 0;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    nansen_wallet *w = NULL;
    const nansen_ledger *ledger;
    char *text = NULL, hex[65], t[CLI_TIME_BYTES];
    size_t text_len = 0;
    uint8_t head[32];
    uint64_t count = 0, secs;
    int64_t now = (int64_t)time(NULL);
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_ledger();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &path)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--lang", &lang)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--at", &at)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--anchor", &anchor)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (path == NULL)
        return cli_usage(cmd, "missing -w WALLET");
    if (at != NULL) {
        if (cli_uint(at, (uint64_t)INT64_MAX, &secs) != 0)
            return cli_usage(cmd, "--at wants unix seconds, not '%s'", at);
        now = (int64_t)secs;
    }
    if (anchor != NULL && parse_anchor(anchor, &anchor_count, anchor_hash) != 0)
        return cli_usage(cmd, "--anchor wants COUNT:HEX, the 'head:' line of "
                              "an earlier listing, not '%s'", anchor);
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((status = cli_wallet_open(cmd, ctx, path, &pass, &w)) !=
        EXIT_VALID)
        goto out;
    status = EXIT_USAGE;
    ledger = nansen_wallet_ledger(w);
    if (anchor != NULL &&
        (err = nansen_ledger_check_anchor(ledger, anchor_hash,
                                          anchor_count)) != NANSEN_OK) {
        cli_err(cmd, "the ledger does not continue the one anchored at %s: "
                     "entries were removed or rewritten since (%s)", anchor,
                nansen_strerror(err));
        status = EXIT_INVALID;
        goto out;
    }
    err = nansen_ledger_render(NULL, &text_len, ledger, lang, now);
    if (err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) {
        err = (text = malloc(text_len + 1)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_ledger_render(text, &text_len, ledger, lang, now);
    }
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot list the ledger in '%s': %s", lang,
                nansen_strerror(err));
        goto out;
    }
    fwrite(text, 1, strnlen(text, text_len), stdout);
    if (nansen_ledger_head(ledger, head, &count) != NANSEN_OK)
        goto out;
    cli_hex(hex, head, sizeof head);
    printf("\nledger: %llu entr%s, chain intact%s as of %s\nhead: %llu:%s\n",
           (unsigned long long)count, count == 1 ? "y" : "ies",
           anchor != NULL ? " and continuing the anchor" : "",
           cli_iso_time(now, t), (unsigned long long)count, hex);
    status = EXIT_VALID;
out:
    cli_wipe_free(text, text_len + 1);
    cli_pass_done(&pass);
    nansen_wallet_free(w);
    nansen_ctx_destroy(ctx);
    return status;
}

void help_ledger(void)
{
    printf(
        "Usage: nansen ledger -w WALLET [--lang LANG] [--at UNIXTIME]\n"
        "                     [--anchor COUNT:HEX]\n"
        "\n"
        "The consent ledger (spec/ledger.md): every grant the migrant gave and\n"
        "every withdrawal they made, in their language: who may see what,\n"
        "for which purpose, from when until when, and whether it still holds\n"
        "(at UNIXTIME, default now). The entries are hash-chained: a removed\n"
        "or altered entry makes the wallet refuse to open\n"
        "(NANSEN_ERR_CHAIN_BROKEN). The last line is the chain's head,\n"
        "COUNT:HEX, which a caseworker can note down: --anchor COUNT:HEX later\n"
        "checks that nothing recorded up to then was removed or rewritten, which\n"
        "the chain alone cannot show for entries cut off its end.\n"
        "\n"
        "  -w, --wallet FILE       the wallet\n"
        "  --lang LANG             the language (default en)\n"
        "  --anchor COUNT:HEX      a head noted earlier, to check against\n"
        "  --passphrase-file FILE, --passphrase-fd N  as for 'nansen wallet'\n"
        "\n"
        "Exit status: 0 listed, 1 the wallet does not open or does not\n"
        "continue the anchor, 2 usage or I/O\n"
        "error.\n");
}
