/* cmd_qr.c - nansen qr encode|decode|scan, nansen card.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A token travels as a QR code holding its framed text (spec/qr.md):
 * "NS1:" and Base45. These commands put a token or a text in a code (PNG,
 * SVG or the terminal), read the codes of an image or of a camera, and
 * print a consent card for people without a smartphone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef NANSEN_CAMERA
#include <zbar.h>
#endif

#include "cli.h"

/* Longest wait of qr scan: an hour. */
#define MAX_SCAN_SECONDS 3600

void help_qr(void)
{
    printf(
        "Usage: nansen qr encode [-i FILE|-] [--text] -o OUT.png|OUT.svg|-\n"
        "                        [--ecc L|M|Q|H] [--scale N] [--margin N]\n"
        "       nansen qr decode IMAGE|-\n"
        "       nansen qr scan [--device DEVICE] [--timeout SECONDS]\n"
        "\n"
        "QR codes of tokens (spec/qr.md).\n"
        "\n"
        "encode puts the input in a QR code: a token (binary CBOR, such as\n"
        "a grant) is framed first (NS1: and Base45); a framed text (a file\n"
        "starting with NS1 or HC1:, one trailing line break dropped) goes in\n"
        "as it is; with --text, any text goes in as it is. The QR version\n"
        "and level used are said on standard error.\n"
        "\n"
        "  -i, --in FILE      the input (default: standard input)\n"
        "      --text         put the input in the code as it is (one\n"
        "                     trailing line break dropped), whatever it\n"
        "                     holds\n"
        "  -o, --out OUT      a .png or .svg file, or - for the terminal\n"
        "                     (text of half blocks, also on a pipe)\n"
        "      --ecc L|M|Q|H  error correction: L 7%%, M 15%% (default, for\n"
        "                     screens), Q 25%% (print), H 30%%\n"
        "      --scale N      pixels (PNG) or units (SVG) a module, 1-64\n"
        "                     (default %d)\n"
        "      --margin N     quiet zone in modules, 0-16 (default %d)\n"
        "\n"
        "decode prints the text of every QR code found in a PNG, JPEG, PGM\n"
        "or PPM image, one a line.\n"
        "\n"
        "scan reads QR codes from a camera and prints the text of the first\n"
        "one seen (of each code, when several are seen at once).\n"
        "\n"
        "      --device DEVICE    the video device (default /dev/video0)\n"
        "      --timeout SECONDS  give up after this long, 1-%d\n"
        "                         (default 30)\n"
        "\n"
        "Exit status: 0 done; 1 no QR code in the image or before the\n"
        "timeout; 2 usage, input or I/O error (and an image that cannot be\n"
        "read, a camera that cannot be opened).\n",
        NANSEN_QR_DEFAULT_SCALE, NANSEN_QR_DEFAULT_MARGIN, MAX_SCAN_SECONDS);
}

void help_card(void)
{
    printf(
        "Usage: nansen card [-i FILE|- | --image IMAGE] [--lang TAG]\n"
        "                   [--ecc L|M|Q|H] [-o OUT.svg|-]\n"
        "\n"
        "Make a printable consent card: an A6 SVG with the grant's QR code\n"
        "and, in the holder's language, what was consented to (issuer,\n"
        "clinic, purpose, data categories, validity) and how to withdraw,\n"
        "for people without a smartphone. The grant is decoded, not\n"
        "verified.\n"
        "\n"
        "  -i, --in FILE      the grant (default: standard input): binary\n"
        "                     CBOR, or its QR text (NS1:...)\n"
        "      --image IMAGE  read the grant from a QR code in an image\n"
        "      --lang TAG     the card's language: en, fr, es, ar, fa, uk,\n"
        "                     ti, so (default: the language of the notice\n"
        "                     the holder consented to)\n"
        "      --ecc L|M|Q|H  error correction of the code (default Q, for\n"
        "                     print)\n"
        "  -o, --out FILE     the card (default: standard output)\n"
        "\n"
        "Exit status: 0 written; 1 an image without a Nansen QR code; 2\n"
        "usage, input or I/O error.\n");
}

/* A number from lo to hi, or -1. */
static int small_number(const char *s, int lo, int hi)
{
    int n = 0;
    size_t i;

    if (s[0] == '\0' || strlen(s) > 4)
        return -1;
    for (i = 0; s[i] != '\0'; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n >= lo && n <= hi ? n : -1;
}

/* ---- nansen qr encode ---- */

static int qr_encode(int argc, char **argv)
{
    const char *cmd = "qr encode", *in = "-", *out = NULL;
    const char *ecc_s = NULL, *scale_s = NULL, *margin_s = NULL;
    nansen_qr_ecc ecc = NANSEN_QR_DEFAULT_ECC;
    nansen_qr_format format;
    uint8_t *buf = NULL, *image = NULL, *token = NULL;
    size_t len = 0, image_len = 0, token_len = 0, text_len = 0;
    char *framed = NULL;
    const char *text;
    nansen_err err;
    int i, r, as_text = 0, scale = 0, margin = -1, version = 0;
    int status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_qr();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--ecc", &ecc_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--scale", &scale_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--margin", &margin_s))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--text", NULL)) {
            as_text = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (out == NULL)
        return cli_usage(cmd, "missing -o OUT.png, OUT.svg or - (the "
                              "terminal)");
    if (cli_qr_format(out, &format) != 0)
        return cli_usage(cmd, "-o wants a file name ending in .png or .svg, "
                              "or - for the terminal; not '%s'", out);
    if (ecc_s != NULL && cli_parse_ecc(ecc_s, &ecc) != 0)
        return cli_usage(cmd, "--ecc wants L, M, Q or H, not '%s'", ecc_s);
    if (scale_s != NULL && (scale = small_number(scale_s, 1, 64)) < 0)
        return cli_usage(cmd, "--scale wants a number from 1 to 64, not "
                              "'%s'", scale_s);
    if (margin_s != NULL && (margin = small_number(margin_s, 0, 16)) < 0)
        return cli_usage(cmd, "--margin wants a number from 0 to 16, not "
                              "'%s'", margin_s);

    if (cli_read(cmd, in, &buf, &len) != 0)
        return EXIT_USAGE;
    if (as_text || cli_is_framed(buf, len)) {
        len = cli_chomp(buf, len);
        text = (const char *)buf;
        text_len = len;
        if (text_len == 0) {
            cli_err(cmd, "nothing to encode: the input is empty");
            goto out;
        }
        /* a framed text goes in as it is; the reader will judge it */
        if (!as_text &&
            (err = cli_unframe(buf, len, NANSEN_FRAME_ALLOW_HC1, &token,
                               &token_len, NULL)) != NANSEN_OK)
            cli_err(cmd, "warning: the text does not decode (%s); it is "
                         "encoded as it is", nansen_strerror(err));
    } else {
        if (len == 0) {
            cli_err(cmd, "nothing to encode: the input is empty");
            goto out;
        }
        if (nansen_cbor_check(buf, len, NANSEN_CBOR_ALLOW_UNSORTED |
                                            NANSEN_CBOR_ALLOW_LONG_FORM) !=
            NANSEN_OK) {
            cli_err(cmd, "%s is neither a token (one CBOR item) nor a framed "
                         "text (NS1:, HC1:); pass --text to encode any text",
                    strcmp(in, "-") == 0 ? "the input" : in);
            goto out;
        }
        if ((err = cli_frame(buf, len, &framed, &text_len)) != NANSEN_OK) {
            cli_err(cmd, "cannot frame the token: %s", nansen_strerror(err));
            goto out;
        }
        text = framed;
    }
    if (cli_render_qr(cmd, out, text, text_len, ecc, scale, margin, &image,
                      &image_len, &version) != 0 ||
        cli_write_qr(cmd, out, image, image_len, version, ecc) != 0)
        goto out;
    status = EXIT_VALID;
out:
    cli_wipe_free(image, image_len);
    cli_wipe_free(framed, text_len);
    cli_wipe_free(token, token_len);
    cli_wipe_free(buf, len);
    return status;
}

/* ---- nansen qr decode ---- */

static int qr_decode(int argc, char **argv)
{
    const char *cmd = "qr decode", *in = NULL;
    nansen_qr_codes *codes = NULL;
    size_t n, k;
    int i, r, status;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_qr();
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
            return cli_usage(cmd, "more than one image");
        in = argv[i];
    }
    if (in == NULL)
        return cli_usage(cmd, "missing IMAGE (a PNG, JPEG, PGM or PPM file, "
                              "or - for standard input)");
    if ((status = cli_read_codes(cmd, in, 0, &codes)) != EXIT_VALID)
        return status;
    n = nansen_qr_codes_count(codes);
    for (k = 0; k < n; k++) {
        size_t len = 0;
        const char *text = nansen_qr_codes_text(codes, k, &len);

        if (text != NULL && len > 0 && fwrite(text, 1, len, stdout) != len)
            break;
        putchar('\n');
    }
    nansen_qr_codes_free(codes);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_err(cmd, "write error on standard output");
        return EXIT_USAGE;
    }
    return EXIT_VALID;
}

/* ---- nansen qr scan ---- */

#ifdef NANSEN_CAMERA
/* zbar's error text on one line, from its "system error: " part when it
 * has one (zbar's own header names its internal function). */
static const char *camera_error(const zbar_processor_t *proc, char *out,
                                size_t cap)
{
    const char *s = zbar_processor_error_string(proc, 0), *sys;
    size_t n = 0;
    int space = 0;

    if (s == NULL)
        s = "unknown error";
    if ((sys = strstr(s, "system error: ")) != NULL)
        s = sys + strlen("system error: ");
    for (; *s != '\0' && n + 1 < cap; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < cap)
            out[n++] = ' ';
        space = 0;
        out[n++] = *s;
    }
    out[n] = '\0';
    return out;
}
#endif

static int qr_scan(int argc, char **argv)
{
    const char *cmd = "qr scan", *device = "/dev/video0";
    const char *timeout_s = NULL;
    int i, r, timeout = 30;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_qr();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--device", &device)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--timeout",
                         &timeout_s))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (timeout_s != NULL &&
        (timeout = small_number(timeout_s, 1, MAX_SCAN_SECONDS)) < 0)
        return cli_usage(cmd, "--timeout wants seconds from 1 to %d, not "
                              "'%s'", MAX_SCAN_SECONDS, timeout_s);
    if (device[0] == '\0')
        return cli_usage(cmd, "--device wants a video device, e.g. "
                              "/dev/video0");
#ifdef NANSEN_CAMERA
    {
        zbar_processor_t *proc = zbar_processor_create(0);
        const zbar_symbol_set_t *results = NULL;
        const zbar_symbol_t *sym;
        char why[256];
        int found, status = EXIT_USAGE;

        if (proc == NULL) {
            cli_err(cmd, "%s", nansen_strerror(NANSEN_ERR_NOMEM));
            return EXIT_USAGE;
        }
        /* QR codes only: nothing else can hold a token */
        if (zbar_processor_set_config(proc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0) !=
                0 ||
            zbar_processor_set_config(proc, ZBAR_QRCODE, ZBAR_CFG_ENABLE,
                                      1) != 0) {
            cli_err(cmd, "cannot set up the QR reader");
            goto scan_out;
        }
        if (zbar_processor_init(proc, device, 0) != 0) {
            cli_err(cmd, "%s: cannot open the camera: %s", device,
                    camera_error(proc, why, sizeof why));
            goto scan_out;
        }
        (void)zbar_processor_set_visible(proc, 0);
        found = zbar_process_one(proc, timeout * 1000);
        if (found < 0) {
            cli_err(cmd, "%s: %s", device,
                    camera_error(proc, why, sizeof why));
            goto scan_out;
        }
        if (found == 0 || (results = zbar_processor_get_results(proc)) ==
                              NULL) {
            cli_err(cmd, "no QR code seen in %d s", timeout);
            status = EXIT_INVALID;
            goto scan_out;
        }
        status = EXIT_INVALID;
        for (sym = zbar_symbol_set_first_symbol(results); sym != NULL;
             sym = zbar_symbol_next(sym)) {
            const char *data = zbar_symbol_get_data(sym);
            size_t len = zbar_symbol_get_data_length(sym);

            if (zbar_symbol_get_type(sym) != ZBAR_QRCODE || data == NULL)
                continue;
            if ((len > 0 && fwrite(data, 1, len, stdout) != len) ||
                putchar('\n') == EOF)
                break;
            status = EXIT_VALID;
        }
        zbar_symbol_set_ref(results, -1);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_err(cmd, "write error on standard output");
            status = EXIT_USAGE;
        } else if (status == EXIT_INVALID) {
            cli_err(cmd, "no QR code seen in %d s", timeout);
        }
scan_out:
        zbar_processor_destroy(proc);
        return status;
    }
#else
    cli_err(cmd, "this nansen was built without camera support (cmake "
                 "-DNANSEN_CAMERA=ON); take a photo and use 'nansen qr "
                 "decode' or 'nansen verify --image'");
    return EXIT_USAGE;
#endif
}

int cmd_qr(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"encode", qr_encode, NULL, NULL},
        {"decode", qr_decode, NULL, NULL},
        {"scan", qr_scan, NULL, NULL},
    };

    return cli_subcommand("qr", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_qr);
}

/* ---- nansen card ---- */

int cmd_card(int argc, char **argv)
{
    const char *cmd = "card", *in = NULL, *image = NULL, *lang = NULL;
    const char *out = "-", *ecc_s = NULL, *recorded = NULL, *what;
    const uint8_t *digest = NULL;
    nansen_qr_ecc ecc = NANSEN_QR_PRINT_ECC;
    nansen_grant *decoded = NULL;
    nansen_ctx *ctx = NULL;
    uint8_t *input = NULL, *grant = NULL;
    size_t input_len = 0, grant_len = 0, svg_len = 0, svg_cap = 0;
    char *svg = NULL, tags[128];
    nansen_err err;
    int i, r, framed = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_card();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--image", &image)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--lang", &lang)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--ecc", &ecc_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (in != NULL && image != NULL)
        return cli_usage(cmd, "give at most one of -i and --image");
    if (in == NULL)
        in = "-";
    if (ecc_s != NULL && cli_parse_ecc(ecc_s, &ecc) != 0)
        return cli_usage(cmd, "--ecc wants L, M, Q or H, not '%s'", ecc_s);
    if (lang != NULL && nansen_notice_needs_review(lang) < 0) {
        cli_languages(tags, sizeof tags);
        return cli_usage(cmd, "no consent notice in language '%s' (one of: "
                              "%s)", lang, tags);
    }

    if ((r = cli_read_token(cmd, in, image, CLI_TOKEN_NANSEN,
                            "a Nansen grant", 0, &input, &input_len,
                            &framed)) != EXIT_VALID)
        return r;
    what = image != NULL ? "the QR code"
           : strcmp(in, "-") == 0 ? "the input" : in;
    if (!framed) {
        grant = input;
        grant_len = input_len;
        input = NULL;
    } else if ((err = cli_unframe(input, input_len, 0, &grant, &grant_len,
                                  NULL)) != NANSEN_OK) {
        cli_err(cmd, "%s: the QR text does not decode: %s", what,
                nansen_strerror(err));
        goto out;
    }
    if ((ctx = cli_ctx(cmd)) == NULL)
        goto out;
    if ((err = nansen_grant_decode(ctx, &decoded, grant, grant_len)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s: not a consent grant: %s", what,
                nansen_strerror(err));
        goto out;
    }
    /* by default, the language the holder read the notice in */
    if (lang == NULL) {
        nansen_grant_notice_recorded(decoded, &recorded, &digest);
        lang = recorded != NULL && nansen_notice_needs_review(recorded) >= 0
                   ? recorded : "en";
    }
    err = nansen_card_svg(ctx, NULL, &svg_len, grant, grant_len, lang, ecc);
    if (err == NANSEN_OK && svg_len == 0)
        err = NANSEN_ERR_INVALID_ARG;
    if (err == NANSEN_OK) {
        svg_cap = svg_len;
        err = (svg = malloc(svg_cap)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_card_svg(ctx, svg, &svg_len, grant, grant_len,
                                    lang, ecc);
    }
    if (err != NANSEN_OK) {
        if (err == NANSEN_ERR_QR_BUDGET)
            cli_err(cmd, "the grant does not fit a QR code at level %c",
                    cli_ecc_letter(ecc));
        else
            cli_err(cmd, "cannot make the card: %s", nansen_strerror(err));
        goto out;
    }
    if (cli_write(cmd, out, (const uint8_t *)svg, strlen(svg), 0) != 0)
        goto out;
    status = EXIT_VALID;
out:
    cli_wipe_free(svg, svg_cap);
    nansen_grant_free(decoded);
    cli_wipe_free(grant, grant_len);
    cli_wipe_free(input, input_len);
    nansen_ctx_destroy(ctx);
    return status;
}
