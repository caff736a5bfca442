/* cli.h - shared by the nansen command's subcommands.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The command is a thin shell over the public API: everything here could
 * be done by any program linking libnansen.
 */
#ifndef NANSEN_CLI_H
#define NANSEN_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "nansen.h"

/* Exit statuses (minisign's convention). */
#define EXIT_VALID    0
#define EXIT_INVALID  1   /* verified and found not valid */
#define EXIT_USAGE    2   /* usage, input or I/O error */

/* Largest input file read (a token, a payload). */
#define CLI_MAX_INPUT (16u * 1024u * 1024u)

typedef int (*cli_cmd_fn)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_cmd_fn run;
    const char *summary;
    void (*help)(void);
} cli_command;

int cmd_keygen(int argc, char **argv);
int cmd_did(int argc, char **argv);
int cmd_cose(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_verify(int argc, char **argv);
void help_keygen(void);
void help_did(void);
void help_cose(void);
void help_inspect(void);
void help_issue(void);
void help_grant(void);
void help_verify(void);

/* One-line diagnostic on stderr: "nansen CMD: message". */
void cli_err(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A usage error: the diagnostic and a pointer to --help; returns
 * EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Match argv[*i] against an option. Returns 0 if it is not this option;
 * 1 if it is (for value options *val gets the value, from "--opt=value"
 * or the next argument, and *i moves past it); -1 if the value is
 * missing (a usage error has been printed). short_name and long_name may
 * be NULL. */
int cli_opt(const char *cmd, int argc, char **argv, int *i,
            const char *short_name, const char *long_name, const char **val);

/* 1 if argv[i] is -h or --help. */
int cli_is_help(const char *arg);

/* Read a whole file, or stdin for "-", into a malloc'd buffer (NUL added
 * after the data, not counted). Returns 0, or prints why and returns -1. */
int cli_read(const char *cmd, const char *path, uint8_t **buf, size_t *len);

/* Write data to a file, or stdout for "-". Binary data is not written to
 * a terminal. Returns 0, or prints why and returns -1. */
int cli_write(const char *cmd, const char *path, const uint8_t *data,
              size_t len, int binary);

/* 0 if binary data may go to path: a file, or standard output when it is
 * not a terminal; else prints why not and returns -1. */
int cli_binary_ok(const char *cmd, const char *path);

/* Load a key file or report why not; returns NULL after printing. */
nansen_key *cli_load_key(const char *cmd, nansen_ctx *ctx, const char *path);

/* A context or a diagnostic. */
nansen_ctx *cli_ctx(const char *cmd);

#endif /* NANSEN_CLI_H */
