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
int cmd_qr(int argc, char **argv);
int cmd_card(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_withdraw(int argc, char **argv);
int cmd_withdrawals(int argc, char **argv);
int cmd_trust(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_wallet(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_rotation(int argc, char **argv);
void help_keygen(void);
void help_did(void);
void help_cose(void);
void help_inspect(void);
void help_issue(void);
void help_grant(void);
void help_verify(void);
void help_qr(void);
void help_card(void);
void help_status(void);
void help_withdraw(void);
void help_withdrawals(void);
void help_trust(void);
void help_bundle(void);
void help_wallet(void);
void help_ledger(void);
void help_backup(void);
void help_rotation(void);

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

/* Run the subcommand argv[1] names, from subs (name and run only), with
 * argv[1] as its argv[0]; -h/--help calls help. A missing or unknown
 * subcommand is a usage error naming the ones there are. */
int cli_subcommand(const char *cmd, int argc, char **argv,
                   const cli_command *subs, size_t n, void (*help)(void));

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

/* Wipe and free a buffer that held personal data; NULL is a no-op. */
void cli_wipe_free(void *p, size_t n);

/* The vocabulary's languages, comma-separated, for diagnostics. */
void cli_languages(char *out, size_t cap);

/* ---- QR codes (nansen qr, card, grant --qr, verify and inspect
 * --image) ---- */

/* 1 if bytes are a framed QR text rather than CBOR: they start with "NS"
 * (NS1:, NS1Z:, or a later Nansen version) or with "HC1:" (EU DCC). */
int cli_is_framed(const uint8_t *buf, size_t len);

/* 1 if the bytes start with "NS": a Nansen code, of any version. */
int cli_is_nansen(const uint8_t *buf, size_t len);

/* The length of a text without one trailing "\n" or "\r\n". */
size_t cli_chomp(const uint8_t *buf, size_t len);

/* Frame a token (nansen_frame_encode) into a malloc'd text with a NUL,
 * *len not counting it. Returns the library's status. */
nansen_err cli_frame(const uint8_t *token, size_t token_len, char **text,
                     size_t *len);

/* Unframe a text (nansen_frame_decode) into a malloc'd buffer. Returns
 * the library's status; *out is NULL unless NANSEN_OK. */
nansen_err cli_unframe(const uint8_t *text, size_t text_len,
                       unsigned int flags, uint8_t **out, size_t *out_len,
                       nansen_frame_kind *kind);

/* "L", "M", "Q" or "H" (either case): 0, or -1 for anything else. */
int cli_parse_ecc(const char *s, nansen_qr_ecc *ecc);

/* The letter of a level ('?' outside the enum). */
char cli_ecc_letter(nansen_qr_ecc ecc);

/* The format a QR output path asks for: "-" the terminal, a name ending
 * in .png or .svg (any case) PNG or SVG. 0, or -1 for other names (no
 * diagnostic). */
int cli_qr_format(const char *path, nansen_qr_format *format);

/* Render text as a QR code in the format path asks for (cli_qr_format),
 * into a malloc'd buffer (*out_len without the NUL of the text formats);
 * *version is the QR version used. Returns 0, or prints why and returns
 * -1. */
int cli_render_qr(const char *cmd, const char *path, const char *text,
                  size_t len, nansen_qr_ecc ecc, int scale, int margin,
                  uint8_t **out, size_t *out_len, int *version);

/* Write a code rendered by cli_render_qr to path and say on standard
 * error which version and level it is. Returns 0, or prints why and
 * returns -1. */
int cli_write_qr(const char *cmd, const char *path, const uint8_t *image,
                 size_t len, int version, nansen_qr_ecc ecc);

/* Read the QR codes in an image file ("-": standard input). Returns
 * EXIT_VALID with *codes set; EXIT_INVALID when the image holds no code
 * (said on standard error unless quiet); EXIT_USAGE when the file cannot
 * be read or is not an image of a known format (said). */
int cli_read_codes(const char *cmd, const char *path, int quiet,
                   nansen_qr_codes **codes);

/* Up to 40 bytes of a code's text for a diagnostic: bytes outside
 * printable ASCII as '?', and "..." when there is more. */
#define CLI_SNIPPET_BYTES 48
void cli_snippet(char out[CLI_SNIPPET_BYTES], const char *text, size_t len);

/* What cli_read_token takes from an image. */
#define CLI_TOKEN_NANSEN 1u   /* codes starting with "NS" */
#define CLI_TOKEN_HC1    2u   /* and EU DCC codes ("HC1:") */

/* The token a command works on: from the first code in image that
 * `accept` takes (if image is not NULL), else from path ("-": standard
 * input), binary CBOR or a framed text (cli_is_framed, one trailing line
 * break dropped). *framed tells which; the buffer is malloc'd (free it
 * with cli_wipe_free). Several codes in the image: a note on standard
 * error says which is used (unless quiet). `what` names the token wanted
 * in the diagnostic for an image without one: "the image holds a QR code
 * that is not WHAT: <text>". Returns EXIT_VALID; EXIT_INVALID for an
 * image without a code or without one accepted (said unless quiet);
 * EXIT_USAGE (said). */
int cli_read_token(const char *cmd, const char *path, const char *image,
                   unsigned int accept, const char *what, int quiet,
                   uint8_t **buf, size_t *len, int *framed);

/* Option values. A positive duration "1y", "2w", "7d", "12h", "90m",
 * "3600s" of at most CLI_MAX_DURATION seconds; decimal digits of at most
 * max: each returns 0, or -1 for anything else (nothing printed). */
#define CLI_MAX_DURATION ((int64_t)36500 * 86400)
int cli_duration(const char *s, int64_t *out);
int cli_uint(const char *s, uint64_t max, uint64_t *out);

/* "ed25519" or "secp256k1": 0 with *type, or -1 (nothing printed). */
int cli_key_type(const char *name, nansen_key_type *type);

/* Lowercase hex of n bytes into out (2n + 1 chars with the NUL). */
void cli_hex(char *out, const uint8_t *p, size_t n);

/* Unix seconds as UTC ISO 8601 ("2026-11-23T08:00:00Z"), computed
 * arithmetically, independent of TZ and locale; returns out. */
#define CLI_TIME_BYTES 64
const char *cli_iso_time(int64_t t, char out[CLI_TIME_BYTES]);

/* A did:key (the value of option opt) as a verification key, or a usage
 * error printed and NULL. The key is the caller's to free. */
nansen_key *cli_key_of_did(const char *cmd, nansen_ctx *ctx, const char *opt,
                           const char *did);

/* ---- passphrases and wallets (cli_wallet.c) ---- */

/* Where passphrases come from: --passphrase-file F or --passphrase-fd N
 * (one passphrase per line), else the terminal, without echo. */
typedef struct cli_pass {
    const char *file;
    const char *fd;
    char *buf;          /* the source, in guarded memory */
    size_t len, pos;
    int loaded;
} cli_pass;

/* cli_opt for --passphrase-file and --passphrase-fd. */
int cli_pass_opt(const char *cmd, int argc, char **argv, int *i,
                 cli_pass *p);

/* The next passphrase: the next line of the file or descriptor, or asked
 * at the terminal with prompt (twice when confirm). Returns 0 with *pass
 * in guarded memory (free with sodium_free), or prints why and returns
 * -1. An empty passphrase is refused. */
int cli_pass_next(const char *cmd, cli_pass *p, const char *prompt,
                  int confirm, char **pass, size_t *len);

/* Wipe and free what cli_pass_next loaded. */
void cli_pass_done(cli_pass *p);

/* --kdf interactive|moderate|sensitive|minimal: 0, or -1 (said). */
int cli_kdf_arg(const char *cmd, const char *name, nansen_wallet_kdf *kdf);

/* Open a wallet with the next passphrase of p into *out. Returns
 * EXIT_VALID; EXIT_INVALID when the wallet does not open (wrong passphrase,
 * damaged, newer version, not a wallet); EXIT_USAGE when the passphrase or
 * the file cannot be read. Every failure is said, and the file is never
 * changed. */
int cli_wallet_open(const char *cmd, nansen_ctx *ctx, const char *path,
                    cli_pass *p, nansen_wallet **out);

/* Save a wallet atomically; 0, or -1 after saying why. */
int cli_wallet_save(const char *cmd, const nansen_wallet *w,
                    const char *path, int overwrite);

#endif /* NANSEN_CLI_H */
