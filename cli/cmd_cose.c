/* cmd_cose.c - nansen cose sign | verify.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void help_cose(void)
{
    printf(
        "Usage: nansen cose sign -k KEYFILE [-i PAYLOAD|-] [-o OUT|-] [OPTIONS]\n"
        "       nansen cose verify (--did DID | -k KEYFILE) [-i FILE|-]\n"
        "                          [-o PAYLOAD|-] [--aad FILE] [-q]\n"
        "\n"
        "sign: write a tagged COSE_Sign1 (binary CBOR) over the payload bytes,\n"
        "signed with EdDSA or ES256K as the key's type fixes.\n"
        "\n"
        "  -k, --key FILE          the signer's key file\n"
        "  -i, --in FILE           payload (default: standard input)\n"
        "  -o, --out FILE          message (default: standard output, not a\n"
        "                          terminal)\n"
        "      --kid-did           put the signer's did:key (as text bytes)\n"
        "                          in the protected kid header\n"
        "      --kid-id            put the key's 8-byte short key id (see\n"
        "                          'nansen did --kid') in the kid header\n"
        "      --kid HEX           put these bytes in the kid header\n"
        "      --typ TYPE          typ header: a media type, or a number\n"
        "      --content-type CT   content type header: a media type, or a\n"
        "                          CoAP content-format number\n"
        "      --untagged          omit CBOR tag 18\n"
        "      --aad FILE          external additional data to bind\n"
        "\n"
        "verify: check a COSE_Sign1 against the signer's did:key or key\n"
        "file; print the payload when it is valid, the reason when not.\n"
        "\n"
        "      --did DID           the expected signer\n"
        "  -k, --key FILE          the expected signer, from a key file\n"
        "  -i, --in FILE           message (default: standard input)\n"
        "  -o, --out FILE          where to write the payload (default:\n"
        "                          standard output)\n"
        "      --aad FILE          external additional data given at signing\n"
        "  -q, --quiet             print nothing; report by exit status\n"
        "\n"
        "Exit status: 0 valid, 1 not valid, 2 usage, input or I/O error.\n");
}

/* A header value from the command line: digits make a number. */
static void uint_or_text(nansen_cose_uint_or_text *v, const char *s)
{
    char *end;
    unsigned long long n;

    v->present = 1;
    if (s[0] >= '0' && s[0] <= '9') {
        n = strtoull(s, &end, 10);
        if (*end == '\0') {
            v->uint = n;
            return;
        }
    }
    v->text = s;
    v->text_len = strlen(s);
}

static int parse_hex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(hex), i;

    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (i = 0; i < n / 2; i++) {
        unsigned int b;

        if (sscanf(hex + 2 * i, "%2x", &b) != 1 ||
            strchr("0123456789abcdefABCDEF", hex[2 * i]) == NULL ||
            strchr("0123456789abcdefABCDEF", hex[2 * i + 1]) == NULL)
            return -1;
        out[i] = (uint8_t)b;
    }
    *len = n / 2;
    return 0;
}

static int cose_sign(int argc, char **argv)
{
    const char *cmd = "cose sign", *keyfile = NULL, *in = "-", *out = "-";
    const char *typ = NULL, *ct = NULL, *kid_hex = NULL, *aad_file = NULL;
    uint8_t kid[NANSEN_COSE_KID_MAX_BYTES];
    char did[NANSEN_DID_MAX_BYTES];
    size_t did_len = sizeof did;
    uint8_t *payload = NULL, *aad = NULL, *msg = NULL;
    size_t payload_len = 0, aad_len = 0, msg_len = 0;
    nansen_cose_sign1_params p;
    nansen_key *key = NULL;
    nansen_ctx *ctx = NULL;
    nansen_err err;
    int i, r, kid_did = 0, kid_id = 0, status = EXIT_USAGE;

    memset(&p, 0, sizeof p);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_cose();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--typ", &typ)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--content-type", &ct)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--kid", &kid_hex)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--aad", &aad_file))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--kid-did") == 0) {
            kid_did = 1;
            continue;
        }
        if (strcmp(argv[i], "--kid-id") == 0) {
            kid_id = 1;
            continue;
        }
        if (strcmp(argv[i], "--untagged") == 0) {
            p.untagged = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL)
        return cli_usage(cmd, "missing -k KEYFILE");
    if (kid_did + kid_id + (kid_hex != NULL) > 1)
        return cli_usage(cmd, "give at most one of --kid, --kid-did and "
                              "--kid-id");
    if (kid_hex != NULL) {
        if (parse_hex(kid_hex, kid, sizeof kid, &p.kid_len) != 0 ||
            p.kid_len == 0)
            return cli_usage(cmd, "--kid wants 1 to %d bytes of hex",
                             NANSEN_COSE_KID_MAX_BYTES);
        p.kid = kid;
    }
    if (cli_binary_ok(cmd, out) != 0)     /* before waiting on stdin */
        return EXIT_USAGE;
    if (typ != NULL)
        uint_or_text(&p.typ, typ);
    if (ct != NULL)
        uint_or_text(&p.content_type, ct);

    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((key = cli_load_key(cmd, ctx, keyfile)) == NULL)
        goto out;
    if (kid_id) {
        if ((err = nansen_key_id(key, kid)) != NANSEN_OK) {
            cli_err(cmd, "key id: %s", nansen_strerror(err));
            goto out;
        }
        p.kid = kid;
        p.kid_len = NANSEN_KEY_ID_BYTES;
    }
    if (kid_did) {
        /* the did:key text without its NUL: at most 63 bytes, within
         * NANSEN_COSE_KID_MAX_BYTES */
        if ((err = nansen_key_did(key, did, &did_len)) != NANSEN_OK) {
            cli_err(cmd, "did:key: %s", nansen_strerror(err));
            goto out;
        }
        p.kid = (const uint8_t *)did;
        p.kid_len = did_len - 1;
    }
    if (cli_read(cmd, in, &payload, &payload_len) != 0)
        goto out;
    if (aad_file != NULL && cli_read(cmd, aad_file, &aad, &aad_len) != 0)
        goto out;
    err = nansen_cose_sign1_sign(ctx, NULL, &msg_len, key, &p, payload,
                                 payload_len, aad, aad_len);
    if (err == NANSEN_OK && (msg = malloc(msg_len)) == NULL)
        err = NANSEN_ERR_NOMEM;
    if (err == NANSEN_OK)
        err = nansen_cose_sign1_sign(ctx, msg, &msg_len, key, &p, payload,
                                     payload_len, aad, aad_len);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if (cli_write(cmd, out, msg, msg_len, 1) != 0)
        goto out;
    status = EXIT_VALID;
out:
    free(msg);
    free(payload);
    free(aad);
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
    return status;
}

static int cose_verify(int argc, char **argv)
{
    const char *cmd = "cose verify", *keyfile = NULL, *did = NULL;
    const char *in = "-", *out = "-", *aad_file = NULL;
    uint8_t *msg = NULL, *aad = NULL;
    size_t msg_len = 0, aad_len = 0;
    nansen_cose_sign1 view;
    nansen_key *key = NULL;
    nansen_ctx *ctx = NULL;
    nansen_err err;
    int i, r, quiet = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_cose();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--did", &did)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--aad", &aad_file))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, "-q", "--quiet", NULL)) {
            quiet = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if ((keyfile == NULL) == (did == NULL))
        return cli_usage(cmd, "give the signer with exactly one of --did "
                              "and -k");
    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (did != NULL) {
        err = nansen_key_from_did(ctx, &key, did, strlen(did));
        if (err != NANSEN_OK) {
            cli_err(cmd, "--did: %s", nansen_strerror(err));
            goto out;
        }
    } else if ((key = cli_load_key(cmd, ctx, keyfile)) == NULL) {
        goto out;
    }
    if (cli_read(cmd, in, &msg, &msg_len) != 0)
        goto out;
    if (aad_file != NULL && cli_read(cmd, aad_file, &aad, &aad_len) != 0)
        goto out;
    err = nansen_cose_sign1_verify(ctx, &view, key, msg, msg_len, aad,
                                   aad_len, NULL);
    if (err != NANSEN_OK) {
        /* A message that is malformed or untrusted is "not valid"; only a
         * failure of this machine is an error. */
        nansen_err_class c = nansen_err_get_class(err);

        if (!quiet)
            cli_err(cmd, "%s", nansen_strerror(err));
        status = c == NANSEN_CLASS_MALFORMED || c == NANSEN_CLASS_UNTRUSTED
                     ? EXIT_INVALID : EXIT_USAGE;
        goto out;
    }
    if (!quiet &&
        cli_write(cmd, out, view.payload, view.payload_len, 0) != 0)
        goto out;
    status = EXIT_VALID;
out:
    free(msg);
    free(aad);
    nansen_key_free(key);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_cose(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"sign", cose_sign, NULL, NULL},
        {"verify", cose_verify, NULL, NULL},
    };

    return cli_subcommand("cose", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_cose);
}
