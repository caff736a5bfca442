/* cmd_inspect.c - nansen inspect.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void help_inspect(void)
{
    printf(
        "Usage: nansen inspect [-i FILE|-]\n"
        "       nansen inspect FILE\n"
        "\n"
        "Show a COSE_Sign1 message (headers by name, payload decoded) or any\n"
        "other CBOR item as JSON on standard output. Nothing is verified:\n"
        "use 'nansen cose verify' for that.\n"
        "\n"
        "  -i, --in FILE   input (default: standard input)\n"
        "\n"
        "Exit status: 0 shown, 1 not valid CBOR, 2 usage or I/O error.\n");
}

int cmd_inspect(int argc, char **argv)
{
    const char *cmd = "inspect", *in = NULL;
    uint8_t *buf = NULL;
    char *json = NULL;
    size_t len = 0, json_len = 0;
    nansen_err err;
    int i, r, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_inspect();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage(cmd, "unknown option '%s'", argv[i]);
        if (in != NULL)
            return cli_usage(cmd, "more than one input");
        in = argv[i];
    }
    if (in == NULL)
        in = "-";
    if (cli_read(cmd, in, &buf, &len) != 0)
        return EXIT_USAGE;
    err = nansen_inspect_json(NULL, &json_len, buf, len);
    if (err == NANSEN_OK && (json = malloc(json_len)) == NULL)
        err = NANSEN_ERR_NOMEM;
    if (err == NANSEN_OK)
        err = nansen_inspect_json(json, &json_len, buf, len);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        status = nansen_err_get_class(err) == NANSEN_CLASS_MALFORMED
                     ? EXIT_INVALID : EXIT_USAGE;
    } else {
        printf("%s\n", json);
        status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_USAGE;
    }
    free(json);
    free(buf);
    return status;
}
