/* nansen.c - the nansen command: dispatch, --help, --version.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"keygen",  cmd_keygen,  "make a new signing key and print its did:key",
     help_keygen},
    {"did",     cmd_did,     "print the did:key of a key file", help_did},
    {"cose",    cmd_cose,    "sign or verify a COSE_Sign1 message",
     help_cose},
    {"issue",   cmd_issue,   "issue a referral credential to a holder's "
     "did:key", help_issue},
    {"grant",   cmd_grant,   "consent: let one clinic see chosen claims of "
     "a referral", help_grant},
    {"verify",  cmd_verify,  "check a consent grant as the clinic: ACCEPT "
     "or REJECT", help_verify},
    {"inspect", cmd_inspect, "show any COSE_Sign1 or CBOR item (or QR "
     "code) as JSON", help_inspect},
    {"qr",      cmd_qr,      "put a token in a QR code (PNG, SVG, "
     "terminal), or read codes", help_qr},
    {"card",    cmd_card,    "print a grant as an A6 consent card with its "
     "QR code", help_card},
    {"status",  cmd_status,  "status lists: create, revoke, sign, show",
     help_status},
    {"withdraw", cmd_withdraw, "withdraw a consent grant, as its holder",
     help_withdraw},
    {"withdrawals", cmd_withdrawals, "the clinic's store of withdrawals: "
     "add, list", help_withdrawals},
    {"trust",   cmd_trust,   "the trust list: init, add, remove, show",
     help_trust},
    {"bundle",  cmd_bundle,  "trust bundles for offline clinics: export, "
     "import", help_bundle},
    {"wallet",  cmd_wallet,  "the migrant's encrypted wallet: init, info, "
     "passwd, export, import", help_wallet},
    {"ledger",  cmd_ledger,  "who may see what, until when: the wallet's "
     "consent ledger", help_ledger},
    {"backup",  cmd_backup,  "recovery shares for guardians: split, recover",
     help_backup},
    {"rotation", cmd_rotation, "check a holder's key-rotation statement (for "
     "the NGO)", help_rotation},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    size_t i;

    fprintf(out,
            "Usage: nansen COMMAND [OPTIONS]\n"
            "\n"
            "Self-sovereign credentials and revocable consent: keys named by\n"
            "did:key, COSE_Sign1 messages over deterministic CBOR, referral\n"
            "credentials (SD-CWT) and consent grants checked offline.\n"
            "\n"
            "Commands:\n");
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "  %-11s %s\n"
            "\n"
            "  -h, --help     show this help; 'nansen COMMAND --help' for one\n"
            "  -V, --version  show the version\n"
            "\n"
            "Exit status: 0 valid, 1 not valid, 2 usage, input or I/O error.\n",
            "help", "show the help of a command");
}

static const cli_command *find(const char *name)
{
    size_t i;

    for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    const cli_command *c;

    if (argc < 2) {
        fprintf(stderr, "nansen: missing command (keygen, did, cose, "
                        "issue, grant, verify, inspect, qr, card, status, "
                        "withdraw, withdrawals, trust, bundle)\n"
                        "Try 'nansen --help'.\n");
        return EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        usage(stdout);
        return EXIT_VALID;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("nansen %s\n", nansen_version_string());
        return EXIT_VALID;
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_VALID;
        }
        if ((c = find(argv[2])) == NULL) {
            fprintf(stderr, "nansen: unknown command '%s'\n"
                            "Try 'nansen --help'.\n", argv[2]);
            return EXIT_USAGE;
        }
        c->help();
        return EXIT_VALID;
    }
    if ((c = find(argv[1])) == NULL) {
        fprintf(stderr, "nansen: unknown command '%s'\nTry 'nansen --help'.\n",
                argv[1]);
        return EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
