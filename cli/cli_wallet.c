/* cli_wallet.c - passphrases and wallets for the commands that act for the
 * migrant.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A passphrase never comes from the command line (argv is visible to
 * every user of the machine): it is read from the terminal without echo,
 * or from a file or an open file descriptor, one passphrase per line.
 * Passphrases live in guarded memory and are wiped after use.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

/* Most bytes read from a passphrase file or descriptor. */
#define PASS_SOURCE_MAX 8192

int cli_pass_opt(const char *cmd, int argc, char **argv, int *i,
                 cli_pass *p)
{
    int r;

    if ((r = cli_opt(cmd, argc, argv, i, NULL, "--passphrase-file",
                     &p->file)) == 0 &&
        (r = cli_opt(cmd, argc, argv, i, NULL, "--passphrase-fd",
                     &p->fd)) == 0)
        return 0;
    if (r > 0 && p->file != NULL && p->fd != NULL) {
        cli_usage(cmd, "give --passphrase-file or --passphrase-fd, not "
                       "both");
        return -1;
    }
    return r;
}

/* Read the whole source given by --passphrase-file or --passphrase-fd into
 * guarded memory. */
static int load_source(const char *cmd, cli_pass *p)
{
    uint64_t fdnum = 0;
    ssize_t r;
    int fd;

    if (p->fd != NULL) {
        if (cli_uint(p->fd, 1024, &fdnum) != 0) {
            cli_usage(cmd, "--passphrase-fd wants a file descriptor "
                           "number, not '%s'", p->fd);
            return -1;
        }
        fd = (int)fdnum;
    } else if ((fd = open(p->file, O_RDONLY | O_CLOEXEC)) < 0) {
        cli_err(cmd, "%s: %s", p->file, strerror(errno));
        return -1;
    }
    if ((p->buf = sodium_malloc(PASS_SOURCE_MAX)) == NULL) {
        cli_err(cmd, "out of memory");
        goto fail;
    }
    while (p->len < PASS_SOURCE_MAX) {
        r = read(fd, p->buf + p->len, PASS_SOURCE_MAX - p->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            cli_err(cmd, "%s: %s", p->file != NULL ? p->file
                                                   : "--passphrase-fd",
                    strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        p->len += (size_t)r;
    }
    if (p->file != NULL)
        (void)close(fd);
    p->loaded = 1;
    return 0;
fail:
    if (p->file != NULL && fd >= 0)
        (void)close(fd);
    return -1;
}

/* Ask at the terminal without echo: the prompt and the answer go through
 * /dev/tty, never through standard input or output. */
static int ask_tty(const char *cmd, const char *prompt, char *out,
                   size_t cap, size_t *len)
{
    struct termios old, quiet;
    FILE *tty = fopen("/dev/tty", "r+");
    int c, ok = 0;

    *len = 0;
    if (tty == NULL) {
        cli_usage(cmd, "no terminal to ask for the passphrase: use "
                       "--passphrase-file FILE or --passphrase-fd N");
        return -1;
    }
    fprintf(tty, "%s", prompt);
    fflush(tty);
    if (tcgetattr(fileno(tty), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        (void)tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
        ok = 1;
    }
    while ((c = fgetc(tty)) != EOF && c != '\n') {
        if (*len + 1 >= cap) {
            *len = cap;     /* too long: refused below */
            continue;
        }
        out[(*len)++] = (char)c;
    }
    if (ok)
        (void)tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    if (*len >= cap) {
        cli_err(cmd, "the passphrase is longer than %zu bytes", cap - 1);
        return -1;
    }
    return 0;
}

/* The next line of the loaded source. */
static int next_line(const char *cmd, cli_pass *p, char *out, size_t cap,
                     size_t *len)
{
    const char *nl;
    size_t n, consumed;

    if (p->pos >= p->len) {
        cli_err(cmd, "%s holds no %s passphrase",
                p->file != NULL ? p->file : "--passphrase-fd",
                p->pos == 0 ? "" : "further");
        return -1;
    }
    nl = memchr(p->buf + p->pos, '\n', p->len - p->pos);
    consumed = nl != NULL ? (size_t)(nl - (p->buf + p->pos)) + 1
                          : p->len - p->pos;
    n = nl != NULL ? consumed - 1 : consumed;
    if (n > 0 && p->buf[p->pos + n - 1] == '\r')
        n--;
    if (n + 1 > cap) {
        cli_err(cmd, "a passphrase is longer than %zu bytes", cap - 1);
        return -1;
    }
    memcpy(out, p->buf + p->pos, n);
    *len = n;
    p->pos += consumed;
    return 0;
}

int cli_pass_next(const char *cmd, cli_pass *p, const char *prompt,
                  int confirm, char **pass, size_t *len)
{
    const size_t cap = NANSEN_WALLET_PASSPHRASE_MAX_BYTES + 1;
    char *again = NULL;
    size_t again_len = 0;
    int tty = p->file == NULL && p->fd == NULL;

    *pass = NULL;
    *len = 0;
    if (!tty && !p->loaded && load_source(cmd, p) != 0)
        return -1;
    if ((*pass = sodium_malloc(cap)) == NULL) {
        cli_err(cmd, "out of memory");
        return -1;
    }
    if ((tty ? ask_tty(cmd, prompt, *pass, cap, len)
             : next_line(cmd, p, *pass, cap, len)) != 0)
        goto fail;
    if (*len == 0) {
        cli_err(cmd, "the passphrase is empty");
        goto fail;
    }
    if (tty && confirm) {
        if ((again = sodium_malloc(cap)) == NULL) {
            cli_err(cmd, "out of memory");
            goto fail;
        }
        if (ask_tty(cmd, "Type it again: ", again, cap, &again_len) != 0)
            goto fail;
        if (again_len != *len || sodium_memcmp(again, *pass, *len) != 0) {
            cli_err(cmd, "the two passphrases differ; nothing changed");
            goto fail;
        }
        sodium_free(again);
    }
    return 0;
fail:
    sodium_free(again);
    sodium_free(*pass);
    *pass = NULL;
    *len = 0;
    return -1;
}

void cli_pass_done(cli_pass *p)
{
    sodium_free(p->buf);
    p->buf = NULL;
    p->len = p->pos = 0;
    p->loaded = 0;
}

int cli_kdf_arg(const char *cmd, const char *name, nansen_wallet_kdf *kdf)
{
    static const struct {
        const char *name;
        nansen_wallet_kdf kdf;
    } costs[] = {
        {"interactive", {2, 64u << 20}},
        {"moderate", {3, 256u << 20}},
        {"sensitive", {4, 1024u << 20}},
        {"minimal", {1, 8192}},
    };
    size_t i;

    for (i = 0; i < sizeof costs / sizeof costs[0]; i++)
        if (strcmp(name, costs[i].name) == 0) {
            *kdf = costs[i].kdf;
            return 0;
        }
    cli_usage(cmd, "--kdf wants interactive, moderate, sensitive or minimal "
                   "(tests and demos only), not '%s'", name);
    return -1;
}

int cli_wallet_open(const char *cmd, nansen_ctx *ctx, const char *path,
                    cli_pass *p, nansen_wallet **out)
{
    char *pass = NULL;
    size_t len = 0;
    nansen_err err;

    *out = NULL;
    if (cli_pass_next(cmd, p, "Wallet passphrase: ", 0, &pass, &len) != 0)
        return EXIT_USAGE;
    err = nansen_wallet_open(ctx, out, path, pass, len);
    sodium_free(pass);
    switch (err) {
    case NANSEN_OK:
        return EXIT_VALID;
    case NANSEN_ERR_WRONG_PASSPHRASE:
        cli_err(cmd, "%s: wrong passphrase (the wallet is unchanged)", path);
        return EXIT_INVALID;
    case NANSEN_ERR_UNSUPPORTED_VERSION:
        cli_err(cmd, "%s: a wallet from a newer version of nansen; it is "
                     "left as it is", path);
        return EXIT_INVALID;
    case NANSEN_ERR_CHECKSUM:
    case NANSEN_ERR_TRUNCATED:
        cli_err(cmd, "%s: the wallet file is damaged (%s); it is left as it "
                     "is: open a backup copy or recover it from shares",
                path, nansen_strerror(err));
        return EXIT_INVALID;
    case NANSEN_ERR_WRONG_TYPE:
        cli_err(cmd, "%s: not a wallet file", path);
        return EXIT_INVALID;
    default:
        cli_err(cmd, "%s: %s", path, nansen_strerror(err));
        /* the file could not be read, or memory ran out */
        return nansen_err_get_class(err) == NANSEN_CLASS_ENVIRONMENT
                   ? EXIT_USAGE
                   : EXIT_INVALID;
    }
}

int cli_wallet_save(const char *cmd, const nansen_wallet *w,
                    const char *path, int overwrite)
{
    nansen_err err = nansen_wallet_save(w, path,
                                        overwrite ? NANSEN_SAVE_OVERWRITE : 0);

    if (err == NANSEN_OK)
        return 0;
    if (err == NANSEN_ERR_EXISTS)
        cli_err(cmd, "%s exists; not replaced", path);
    else
        cli_err(cmd, "cannot save %s: %s (the file on disk is unchanged)",
                path, nansen_strerror(err));
    return -1;
}
