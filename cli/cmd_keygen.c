/* cmd_keygen.c - nansen keygen, nansen did.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

void help_keygen(void)
{
    printf(
        "Usage: nansen keygen [--alg ed25519|secp256k1] [--force] -o KEYFILE\n"
        "\n"
        "Make a new signing key, save it (mode 0600) and print its did:key.\n"
        "\n"
        "  -a, --alg ALG     ed25519 (default; COSE EdDSA) or secp256k1\n"
        "                    (COSE ES256K)\n"
        "  -o, --out FILE    where to write the secret key file\n"
        "  -f, --force       replace FILE if it exists (default: refuse)\n"
        "\n"
        "The key file holds the secret: keep it private. The did:key on\n"
        "stdout is public and names the key to others.\n"
        "\n"
        "Exit status: 0 done, 2 usage or I/O error.\n");
}

void help_did(void)
{
    printf(
        "Usage: nansen did [--kid | --public] KEYFILE\n"
        "\n"
        "Print the did:key of a key file.\n"
        "\n"
        "      --kid      print the 8-byte short key id (hex) instead\n"
        "      --public   print the public key bytes (hex) instead: 32\n"
        "                 (Ed25519) or 33 (secp256k1, compressed)\n"
        "\n"
        "Exit status: 0 done, 2 usage or I/O error.\n");
}

enum { SHOW_DID, SHOW_KID, SHOW_PUBLIC };

static void print_hex(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static int print_did(const nansen_key *key, int what)
{
    char did[NANSEN_DID_MAX_BYTES];
    uint8_t kid[NANSEN_KEY_ID_BYTES], pub[NANSEN_PUBLIC_KEY_MAX_BYTES];
    size_t n = sizeof did, pub_len = sizeof pub;

    if (what == SHOW_PUBLIC) {
        if (nansen_key_public(key, pub, &pub_len) != NANSEN_OK)
            return -1;
        print_hex(pub, pub_len);
        return 0;
    }
    if (what == SHOW_KID) {
        if (nansen_key_id(key, kid) != NANSEN_OK)
            return -1;
        print_hex(kid, sizeof kid);
        return 0;
    }
    if (nansen_key_did(key, did, &n) != NANSEN_OK)
        return -1;
    printf("%s\n", did);
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    const char *cmd = "keygen", *alg = "ed25519", *out = NULL;
    nansen_key_type type;
    nansen_key *key = NULL;
    nansen_ctx *ctx;
    unsigned int flags = 0;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_keygen();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-a", "--alg", &alg)) != 0 ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, "-f", "--force", NULL)) {
            flags |= NANSEN_SAVE_OVERWRITE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (cli_key_type(alg, &type) != 0)
        return cli_usage(cmd, "unknown algorithm '%s' (ed25519, secp256k1)",
                         alg);
    if (out == NULL)
        return cli_usage(cmd, "missing -o KEYFILE");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((err = nansen_key_generate(ctx, &key, type)) != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if ((err = nansen_key_save(ctx, key, out, flags)) != NANSEN_OK) {
        if (err == NANSEN_ERR_EXISTS)
            cli_err(cmd, "%s exists; refusing to overwrite (use --force)",
                    out);
        else
            cli_err(cmd, "%s: %s", out, nansen_strerror(err));
        goto out;
    }
    if (print_did(key, SHOW_DID) != 0) {
        cli_err(cmd, "cannot encode the did:key");
        goto out;
    }
    status = EXIT_VALID;
out:
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_did(int argc, char **argv)
{
    const char *cmd = "did", *path = NULL;
    nansen_key *key;
    nansen_ctx *ctx;
    int i, what = SHOW_DID, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_did();
            return EXIT_VALID;
        }
        if (strcmp(argv[i], "--kid") == 0 ||
            strcmp(argv[i], "--public") == 0) {
            if (what != SHOW_DID)
                return cli_usage(cmd, "give at most one of --kid and "
                                      "--public");
            what = argv[i][2] == 'k' ? SHOW_KID : SHOW_PUBLIC;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage(cmd, "unknown option '%s'", argv[i]);
        if (path != NULL)
            return cli_usage(cmd, "more than one key file");
        path = argv[i];
    }
    if (path == NULL)
        return cli_usage(cmd, "missing KEYFILE");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((key = cli_load_key(cmd, ctx, path)) != NULL) {
        if (print_did(key, what) == 0)
            status = EXIT_VALID;
        else
            cli_err(cmd, "cannot encode the did:key");
    }
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
    return status;
}
