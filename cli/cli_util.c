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

#include <sodium.h>

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

void cli_wipe_free(void *p, size_t n)
{
    if (p != NULL) {
        sodium_memzero(p, n);
        free(p);
    }
}

void cli_languages(char *out, size_t cap)
{
    size_t used = 0, i, n = nansen_vocab_language_count();

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *tag = nansen_vocab_language(i);
        int len;

        if (tag == NULL)
            continue;
        len = snprintf(out + used, cap - used, "%s%s", used > 0 ? ", " : "",
                       tag);
        if (len < 0 || (size_t)len >= cap - used)
            break;
        used += (size_t)len;
    }
}

/* ---- QR codes ---- */

int cli_is_nansen(const uint8_t *buf, size_t len)
{
    return len >= 2 && buf[0] == 'N' && buf[1] == 'S';
}

int cli_is_framed(const uint8_t *buf, size_t len)
{
    return cli_is_nansen(buf, len) ||
           (len >= 4 && memcmp(buf, "HC1:", 4) == 0);
}

size_t cli_chomp(const uint8_t *buf, size_t len)
{
    if (len > 0 && buf[len - 1] == '\n') {
        len--;
        if (len > 0 && buf[len - 1] == '\r')
            len--;
    }
    return len;
}

nansen_err cli_frame(const uint8_t *token, size_t token_len, char **text,
                     size_t *len)
{
    size_t n = 0;
    char *t;
    nansen_err err;

    *text = NULL;
    *len = 0;
    if ((err = nansen_frame_encode(NULL, &n, token, token_len, 0)) !=
        NANSEN_OK)
        return err;
    if (n == 0)
        return NANSEN_ERR_INVALID_ARG;
    if ((t = malloc(n)) == NULL)
        return NANSEN_ERR_NOMEM;
    if ((err = nansen_frame_encode(t, &n, token, token_len, 0)) !=
        NANSEN_OK) {
        cli_wipe_free(t, n);
        return err;
    }
    *text = t;
    *len = strlen(t);
    return NANSEN_OK;
}

nansen_err cli_unframe(const uint8_t *text, size_t text_len,
                       unsigned int flags, uint8_t **out, size_t *out_len,
                       nansen_frame_kind *kind)
{
    size_t n = 0, cap;
    uint8_t *b;
    nansen_err err;

    *out = NULL;
    *out_len = 0;
    err = nansen_frame_decode(NULL, &n, kind, (const char *)text, text_len,
                              flags);
    if (err != NANSEN_OK)
        return err;
    cap = n > 0 ? n : 1;
    if ((b = malloc(cap)) == NULL)
        return NANSEN_ERR_NOMEM;
    err = nansen_frame_decode(b, &n, kind, (const char *)text, text_len,
                              flags);
    if (err != NANSEN_OK) {
        cli_wipe_free(b, cap);
        return err;
    }
    *out = b;
    *out_len = n;
    return NANSEN_OK;
}

int cli_parse_ecc(const char *s, nansen_qr_ecc *ecc)
{
    if (s[0] == '\0' || s[1] != '\0')
        return -1;
    switch (s[0]) {
    case 'L': case 'l': *ecc = NANSEN_QR_ECC_L; return 0;
    case 'M': case 'm': *ecc = NANSEN_QR_ECC_M; return 0;
    case 'Q': case 'q': *ecc = NANSEN_QR_ECC_Q; return 0;
    case 'H': case 'h': *ecc = NANSEN_QR_ECC_H; return 0;
    default: return -1;
    }
}

char cli_ecc_letter(nansen_qr_ecc ecc)
{
    switch (ecc) {
    case NANSEN_QR_ECC_L: return 'L';
    case NANSEN_QR_ECC_M: return 'M';
    case NANSEN_QR_ECC_Q: return 'Q';
    case NANSEN_QR_ECC_H: return 'H';
    case NANSEN_QR_ECC_DEFAULT: break;
    }
    return '?';
}

/* 1 if name ends in ext (".png"), ignoring ASCII case. */
static int ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext), i;

    if (n <= e)
        return 0;
    for (i = 0; i < e; i++) {
        char c = name[n - e + i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return 0;
    }
    return 1;
}

int cli_qr_format(const char *path, nansen_qr_format *format)
{
    if (strcmp(path, "-") == 0)
        *format = NANSEN_QR_TERMINAL;
    else if (ends_with(path, ".png"))
        *format = NANSEN_QR_PNG;
    else if (ends_with(path, ".svg"))
        *format = NANSEN_QR_SVG;
    else
        return -1;
    return 0;
}

/* The version of a rendered code, from its size (spec/qr.md: N x N
 * modules, N = 17 + 4 version + 2 margin); 0 if it cannot be told. The
 * renderer may segment a text more tightly than the one-segment count of
 * nansen_qr_version_needed, so the image is what says. */
static int rendered_version(const uint8_t *img, size_t len,
                            nansen_qr_format format, int scale, int margin)
{
    static const char view[] = "viewBox=\"0 0 ";
    unsigned long n = 0;
    size_t i;

    if (format == NANSEN_QR_PNG) {
        if (len < 24 || scale <= 0)
            return 0;
        n = ((unsigned long)img[16] << 24 | (unsigned long)img[17] << 16 |
             (unsigned long)img[18] << 8 | img[19]) / (unsigned long)scale;
    } else if (format == NANSEN_QR_SVG) {
        for (i = 0; i + sizeof view - 1 < len; i++)
            if (memcmp(img + i, view, sizeof view - 1) == 0)
                break;
        for (i += sizeof view - 1; i < len && img[i] >= '0' && img[i] <= '9' &&
                                   n < 1000; i++)
            n = n * 10 + (unsigned long)(img[i] - '0');
    } else {
        /* one character a module across: count UTF-8 lead bytes */
        for (i = 0; i < len && img[i] != '\n'; i++)
            n += (img[i] & 0xc0) != 0x80;
    }
    if (n < 21 + 2 * (unsigned long)margin ||
        (n - 17 - 2 * (unsigned long)margin) % 4 != 0 ||
        (n - 17 - 2 * (unsigned long)margin) / 4 > 40)
        return 0;
    return (int)((n - 17 - 2 * (unsigned long)margin) / 4);
}

int cli_render_qr(const char *cmd, const char *path, const char *text,
                  size_t len, nansen_qr_ecc ecc, int scale, int margin,
                  uint8_t **out, size_t *out_len, int *version)
{
    nansen_qr_format format;
    uint8_t *b = NULL;
    size_t n = 0;
    nansen_err err;

    *out = NULL;
    *out_len = 0;
    *version = 0;
    if (cli_qr_format(path, &format) != 0) {
        cli_err(cmd, "%s: a QR code is written to a .png or .svg file, or "
                     "to the terminal (-)", path);
        return -1;
    }
    err = nansen_qr_render(NULL, &n, text, len, ecc, format, scale, margin);
    if (err == NANSEN_OK && n == 0)
        err = NANSEN_ERR_INVALID_ARG;
    if (err == NANSEN_OK)
        err = (b = malloc(n)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_qr_render(b, &n, text, len, ecc, format, scale,
                                     margin);
    if (err != NANSEN_OK) {
        free(b);
        if (err == NANSEN_ERR_QR_BUDGET)
            cli_err(cmd, "%zu characters do not fit a QR code at level %c "
                         "(past version 40)", len, cli_ecc_letter(ecc));
        else
            cli_err(cmd, "cannot render the QR code: %s",
                    nansen_strerror(err));
        return -1;
    }
    /* the text formats end with a NUL, which is not written */
    if (format != NANSEN_QR_PNG && n > 0 && b[n - 1] == '\0')
        n--;
    *version = rendered_version(b, n, format,
                                scale > 0 ? scale : NANSEN_QR_DEFAULT_SCALE,
                                margin >= 0 ? margin
                                            : NANSEN_QR_DEFAULT_MARGIN);
    if (*version == 0 &&
        nansen_qr_version_needed(text, len, ecc, version) != NANSEN_OK)
        *version = 0;
    *out = b;
    *out_len = n;
    return 0;
}

int cli_write_qr(const char *cmd, const char *path, const uint8_t *image,
                 size_t len, int version, nansen_qr_ecc ecc)
{
    nansen_qr_format format = NANSEN_QR_PNG;
    const char *where = strcmp(path, "-") == 0 ? "standard output" : path;

    (void)cli_qr_format(path, &format);
    if (cli_write(cmd, path, image, len, format == NANSEN_QR_PNG) != 0)
        return -1;
    if (version > 0)
        cli_err(cmd, "%s: QR version %d at level %c", where, version,
                cli_ecc_letter(ecc));
    else
        cli_err(cmd, "%s: QR code at level %c", where, cli_ecc_letter(ecc));
    return 0;
}

int cli_read_codes(const char *cmd, const char *path, int quiet,
                   nansen_qr_codes **codes)
{
    const char *where = strcmp(path, "-") == 0 ? "standard input" : path;
    uint8_t *file = NULL;
    size_t len = 0;
    nansen_err err;

    *codes = NULL;
    if (cli_read(cmd, path, &file, &len) != 0)
        return EXIT_USAGE;
    err = nansen_qr_read_image(codes, file, len);
    free(file);
    switch (err) {
    case NANSEN_OK:
        return EXIT_VALID;
    case NANSEN_ERR_NO_CODE:
        if (!quiet)
            cli_err(cmd, "%s: no QR code found in the image", where);
        return EXIT_INVALID;
    case NANSEN_ERR_BAD_IMAGE:
        cli_err(cmd, "%s: not a readable PNG, JPEG, PGM or PPM image",
                where);
        return EXIT_USAGE;
    default:
        cli_err(cmd, "%s: %s", where, nansen_strerror(err));
        return EXIT_USAGE;
    }
}

void cli_snippet(char out[CLI_SNIPPET_BYTES], const char *text, size_t len)
{
    size_t i, n = len < 40 ? len : 40;

    for (i = 0; i < n; i++)
        out[i] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
    out[n] = '\0';
    if (len > n)
        memcpy(out + n, "...", 4);
}

/* Whether cli_read_token takes a code's text. */
static int accepted(const char *text, size_t len, unsigned int accept)
{
    const uint8_t *t = (const uint8_t *)text;

    if ((accept & CLI_TOKEN_HC1) && cli_is_framed(t, len))
        return 1;
    return (accept & CLI_TOKEN_NANSEN) && cli_is_nansen(t, len);
}

int cli_read_token(const char *cmd, const char *path, const char *image,
                   unsigned int accept, const char *what, int quiet,
                   uint8_t **buf, size_t *len, int *framed)
{
    nansen_qr_codes *codes = NULL;
    char snippet[CLI_SNIPPET_BYTES];
    const char *text = NULL;
    size_t n, k, tlen = 0;
    uint8_t *b;
    int status;

    *buf = NULL;
    *len = 0;
    *framed = 0;
    if (image == NULL) {
        if (cli_read(cmd, path, buf, len) != 0)
            return EXIT_USAGE;
        if (cli_is_framed(*buf, *len)) {
            *framed = 1;
            *len = cli_chomp(*buf, *len);
            (*buf)[*len] = '\0';
        }
        return EXIT_VALID;
    }
    if ((status = cli_read_codes(cmd, image, quiet, &codes)) != EXIT_VALID)
        return status;
    n = nansen_qr_codes_count(codes);
    for (k = 0; k < n; k++)
        if ((text = nansen_qr_codes_text(codes, k, &tlen)) != NULL &&
            accepted(text, tlen, accept))
            break;
    if (k == n) {
        if (!quiet) {
            text = nansen_qr_codes_text(codes, 0, &tlen);
            cli_snippet(snippet, text != NULL ? text : "",
                        text != NULL ? tlen : 0);
            if (n == 1)
                cli_err(cmd, "the image holds a QR code that is not %s: %s",
                        what, snippet);
            else
                cli_err(cmd, "the image holds %zu QR codes, none of them "
                             "%s; the first: %s", n, what, snippet);
        }
        nansen_qr_codes_free(codes);
        return EXIT_INVALID;
    }
    if (n > 1 && !quiet)
        cli_err(cmd, "%s holds %zu QR codes: using code %zu, the first that "
                     "is %s", strcmp(image, "-") == 0 ? "standard input"
                                                      : image,
                n, k + 1, what);
    if ((b = malloc(tlen + 1)) == NULL) {
        nansen_qr_codes_free(codes);
        cli_err(cmd, "out of memory");
        return EXIT_USAGE;
    }
    memcpy(b, text, tlen);
    b[tlen] = '\0';
    nansen_qr_codes_free(codes);
    *buf = b;
    *len = tlen;
    *framed = 1;
    return EXIT_VALID;
}

/* ---- values of options ---- */


int cli_duration(const char *s, int64_t *out)
{
    int64_t n = 0, unit;
    size_t i = 0;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    while (s[i] >= '0' && s[i] <= '9') {
        if (n > CLI_MAX_DURATION)
            return -1;
        n = n * 10 + (s[i] - '0');
        i++;
    }
    switch (s[i]) {
    case 'y': unit = 365 * 86400; break;
    case 'w': unit = 7 * 86400; break;
    case 'd': unit = 86400; break;
    case 'h': unit = 3600; break;
    case 'm': unit = 60; break;
    case 's': unit = 1; break;
    default: return -1;
    }
    if (s[i + 1] != '\0' || n == 0 || n > CLI_MAX_DURATION / unit)
        return -1;
    *out = n * unit;
    return 0;
}

int cli_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t n = 0;
    size_t i;

    if (s[0] == '\0')
        return -1;
    for (i = 0; s[i] != '\0'; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if ((uint64_t)(s[i] - '0') > max ||
            n > (max - (uint64_t)(s[i] - '0')) / 10)
            return -1;
        n = n * 10 + (uint64_t)(s[i] - '0');
    }
    *out = n;
    return 0;
}

void cli_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

const char *cli_iso_time(int64_t t, char out[CLI_TIME_BYTES])
{
    int64_t days = t / 86400, secs = t % 86400;
    int64_t z, era, doe, yoe, y, doy, mp, d, m;

    if (secs < 0) {
        secs += 86400;
        days--;
    }
    /* H. Hinnant's civil_from_days */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    snprintf(out, CLI_TIME_BYTES, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
             (long long)y, (long long)m, (long long)d,
             (long long)(secs / 3600), (long long)(secs / 60 % 60),
             (long long)(secs % 60));
    return out;
}

nansen_key *cli_key_of_did(const char *cmd, nansen_ctx *ctx, const char *opt,
                           const char *did)
{
    nansen_key *key = NULL;
    nansen_err err = nansen_key_from_did(ctx, &key, did, strlen(did));

    if (err != NANSEN_OK) {
        cli_usage(cmd, "%s '%s' is not a did:key: %s", opt, did,
                  nansen_strerror(err));
        return NULL;
    }
    return key;
}

int cli_subcommand(const char *cmd, int argc, char **argv,
                   const cli_command *subs, size_t n, void (*help)(void))
{
    char names[256];
    size_t i, len = 0;

    names[0] = '\0';
    for (i = 0; i < n; i++) {
        int w = snprintf(names + len, sizeof names - len, "%s%s",
                         i > 0 ? ", " : "", subs[i].name);

        if (w < 0 || (size_t)w >= sizeof names - len)
            break;
        len += (size_t)w;
    }
    if (argc < 2)
        return cli_usage(cmd, "missing what to do (%s)", names);
    if (cli_is_help(argv[1])) {
        help();
        return EXIT_VALID;
    }
    for (i = 0; i < n; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage(cmd, "unknown subcommand '%s' (%s)", argv[1], names);
}

int cli_key_type(const char *name, nansen_key_type *type)
{
    if (strcmp(name, "ed25519") == 0)
        *type = NANSEN_KEY_ED25519;
    else if (strcmp(name, "secp256k1") == 0)
        *type = NANSEN_KEY_SECP256K1;
    else
        return -1;
    return 0;
}
