/* cli_util.c - argument, file and error helpers for the nansen command.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* "nansen CMD: message" on stderr, without the newline. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 0)))
#endif
static void vdiag(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "nansen %s: ", cmd);
    vfprintf(stderr, fmt, ap);
}

void cli_err(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(cmd, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'nansen %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_opt(const char *cmd, int argc, char **argv, int *i,
            const char *short_name, const char *long_name, const char **val)
{
    const char *a = argv[*i];
    size_t ln = long_name != NULL ? strlen(long_name) : 0;

    if (short_name != NULL && strcmp(a, short_name) == 0) {
        /* matched the short form */
    } else if (long_name != NULL && strncmp(a, long_name, ln) == 0 &&
               (a[ln] == '\0' || (a[ln] == '=' && val != NULL))) {
        if (a[ln] == '=') {
            *val = a + ln + 1;
            return 1;
        }
    } else {
        return 0;
    }
    if (val == NULL)
        return 1;
    if (*i + 1 >= argc) {
        cli_usage(cmd, "option %s needs a value", a);
        return -1;
    }
    *i += 1;
    *val = argv[*i];
    return 1;
}

int cli_read(const char *cmd, const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    uint8_t *b;

    *buf = NULL;
    *len = 0;
    if (f == NULL) {
        cli_err(cmd, "%s: %s", path, strerror(errno));
        return -1;
    }
    if ((b = malloc(cap + 1)) == NULL) {
        cli_err(cmd, "out of memory");
        goto fail;
    }
    for (;;) {
        size_t r = fread(b + n, 1, cap - n, f);

        n += r;
        if (n < cap) {
            if (ferror(f)) {
                cli_err(cmd, "%s: read error", path);
                goto fail;
            }
            break;
        }
        if (cap >= CLI_MAX_INPUT) {
            cli_err(cmd, "%s: larger than %u bytes", path, CLI_MAX_INPUT);
            goto fail;
        }
        cap *= 2;
        {
            uint8_t *nb = realloc(b, cap + 1);

            if (nb == NULL) {
                cli_err(cmd, "out of memory");
                goto fail;
            }
            b = nb;
        }
    }
    if (f != stdin)
        fclose(f);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
fail:
    free(b);
    if (f != stdin)
        fclose(f);
    return -1;
}

int cli_binary_ok(const char *cmd, const char *path)
{
    if (strcmp(path, "-") == 0 && isatty(STDOUT_FILENO)) {
        cli_err(cmd, "refusing to write binary data to a terminal; "
                     "use -o FILE or a pipe");
        return -1;
    }
    return 0;
}

int cli_write(const char *cmd, const char *path, const uint8_t *data,
              size_t len, int binary)
{
    int write_failed;
    FILE *f;

    if (strcmp(path, "-") == 0) {
        if (binary && cli_binary_ok(cmd, path) != 0)
            return -1;
        if (len > 0 && fwrite(data, 1, len, stdout) != len) {
            cli_err(cmd, "write error on standard output");
            return -1;
        }
        if (fflush(stdout) != 0) {
            cli_err(cmd, "write error on standard output");
            return -1;
        }
        return 0;
    }
    if ((f = fopen(path, "wb")) == NULL) {
        cli_err(cmd, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* fclose always runs: it flushes, and its failure is a write error. */
    write_failed = len > 0 && fwrite(data, 1, len, f) != len;
    if (fclose(f) != 0)
        write_failed = 1;
    if (write_failed) {
        cli_err(cmd, "%s: write error", path);
        return -1;
    }
    return 0;
}

nansen_key *cli_load_key(const char *cmd, nansen_ctx *ctx, const char *path)
{
    nansen_key *key = NULL;
    nansen_err err = nansen_key_load(ctx, &key, path);

    if (err != NANSEN_OK) {
        cli_err(cmd, "%s: %s", path, nansen_strerror(err));
        return NULL;
    }
    return key;
}

nansen_ctx *cli_ctx(const char *cmd)
{
    nansen_ctx *ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT);

    if (ctx == NULL)
        cli_err(cmd, "%s", nansen_strerror(NANSEN_ERR_INIT));
    return ctx;
}
