/* cmd_inspect.c - nansen inspect.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

void help_inspect(void)
{
    printf(
        "Usage: nansen inspect [--lang TAG] [-i FILE|-]\n"
        "       nansen inspect [--lang TAG] FILE\n"
        "       nansen inspect [--lang TAG] --image IMAGE\n"
        "\n"
        "Show a COSE_Sign1 message (headers by name, payload decoded) or any\n"
        "other CBOR item as JSON on standard output. Nothing is verified:\n"
        "use 'nansen cose verify' or 'nansen verify' for that. The input\n"
        "may also be the text of a QR code: a Nansen token (NS1:, NS1Z:)\n"
        "or an EU Digital COVID Certificate (HC1:).\n"
        "\n"
        "  -i, --in FILE      input (default: standard input): CBOR, or a\n"
        "                     QR text\n"
        "      --image IMAGE  the first Nansen or EU DCC QR code in a PNG,\n"
        "                     JPEG, PGM or PPM image (- for standard input)\n"
        "      --lang TAG     for a Nansen referral or consent grant, add a\n"
        "                     \"labels\" object: the vocabulary labels of its\n"
        "                     service, urgency, purpose and data categories\n"
        "                     in this language (English when it has none)\n"
        "\n"
        "Exit status: 0 shown, 1 not valid CBOR (or a QR text that does not\n"
        "decode, an image without such a code), 2 usage or I/O error.\n");
}

/* ---- --lang: vocabulary labels of a referral or grant ---- */

/* The label of a code as a JSON string; NULL for a code the vocabulary
 * does not have (*oom stays 0) or when memory runs out (*oom = 1). */
static cJSON *label_json(nansen_vocab_kind kind, uint32_t code,
                         const char *lang, int *oom)
{
    const char *label = NULL;
    cJSON *s;

    if (nansen_vocab_label(kind, code, lang, &label, NULL) != NANSEN_OK)
        return NULL;
    if ((s = cJSON_CreateString(label)) == NULL)
        *oom = 1;
    return s;
}

static void add_item(cJSON *obj, const char *name, cJSON *item, int *oom)
{
    if (item != NULL && !cJSON_AddItemToObject(obj, name, item)) {
        cJSON_Delete(item);
        *oom = 1;
    }
}

/* Service and urgency of a referral (plain or disclosed). */
static void referral_labels(cJSON *labels, const nansen_credential *cred,
                            const char *lang, int *oom)
{
    nansen_claim_value v;

    if (nansen_credential_claim(cred, NANSEN_CLAIM_SERVICE, &v, NULL) ==
        NANSEN_OK && v.type == NANSEN_VALUE_UINT && v.uint <= 0xffff)
        add_item(labels, "service",
                 label_json(NANSEN_VOCAB_SERVICE, (uint32_t)v.uint, lang,
                            oom), oom);
    if (nansen_credential_claim(cred, NANSEN_CLAIM_URGENCY, &v, NULL) ==
        NANSEN_OK && v.type == NANSEN_VALUE_UINT && v.uint <= 0xffff)
        add_item(labels, "urgency",
                 label_json(NANSEN_VOCAB_URGENCY, (uint32_t)v.uint, lang,
                            oom), oom);
}

/* Purpose and data categories of a grant. */
static void grant_labels(cJSON *labels, const nansen_grant *grant,
                         const char *lang, int *oom)
{
    const uint32_t *cats;
    size_t n, i;
    uint32_t purpose;
    cJSON *arr;

    nansen_grant_consent(grant, &purpose, &cats, &n);
    add_item(labels, "purpose",
             label_json(NANSEN_VOCAB_PURPOSE, purpose, lang, oom), oom);
    if ((arr = cJSON_CreateArray()) == NULL) {
        *oom = 1;
        return;
    }
    for (i = 0; i < n; i++) {
        cJSON *s = label_json(NANSEN_VOCAB_CATEGORY, cats[i], lang, oom);

        if (s != NULL && !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            *oom = 1;
        }
    }
    add_item(labels, "categories", arr, oom);
}

/* The labels object of a Nansen referral or grant (decoded, not
 * verified); NULL for anything else. */
static cJSON *labels_of(nansen_ctx *ctx, const uint8_t *buf, size_t len,
                        const char *lang, int *oom)
{
    nansen_credential *cred = NULL;
    nansen_grant *grant = NULL;
    const char *used = NULL, *any = NULL;
    cJSON *labels;

    if (nansen_credential_decode(ctx, &cred, buf, len) != NANSEN_OK &&
        nansen_grant_decode(ctx, &grant, buf, len) != NANSEN_OK)
        return NULL;
    if ((labels = cJSON_CreateObject()) == NULL) {
        *oom = 1;
    } else {
        /* every label of a language falls back alike: ask once */
        if (nansen_vocab_label(NANSEN_VOCAB_REASON, NANSEN_REASON_ACCEPT,
                               lang, &any, &used) == NANSEN_OK)
            add_item(labels, "lang", cJSON_CreateString(used), oom);
        if (cred != NULL) {
            referral_labels(labels, cred, lang, oom);
        } else {
            referral_labels(labels, nansen_grant_credential(grant), lang, oom);
            grant_labels(labels, grant, lang, oom);
        }
    }
    nansen_credential_free(cred);
    nansen_grant_free(grant);
    return labels;
}

/* json with a last member "labels" added, in the same layout as
 * nansen_inspect_json's (tabs, one member a line), so that the rest of
 * the text stays byte for byte what it is without --lang. */
static char *splice(const char *json, const cJSON *labels)
{
    const char *end = strrchr(json, '}'), *head = ",\n\t\"labels\":\t", *s;
    char *text, *out, *o;
    size_t keep, lines = 0;

    if (end == NULL || (text = cJSON_Print(labels)) == NULL)
        return NULL;
    keep = (size_t)(end - json);
    while (keep > 0 && (json[keep - 1] == '\n' || json[keep - 1] == '\t' ||
                        json[keep - 1] == ' ' || json[keep - 1] == '\r'))
        keep--;
    for (s = text; *s != '\0'; s++)
        lines += *s == '\n';
    if ((out = malloc(keep + strlen(head) + strlen(text) + lines + 3)) ==
        NULL) {
        cJSON_free(text);
        return NULL;
    }
    memcpy(out, json, keep);
    o = out + keep;
    if (keep > 0 && json[keep - 1] == '{')
        head++;                             /* an empty object: no comma */
    memcpy(o, head, strlen(head));
    o += strlen(head);
    for (s = text; *s != '\0'; s++) {
        *o++ = *s;
        if (*s == '\n')
            *o++ = '\t';
    }
    memcpy(o, "\n}", 3);
    cJSON_free(text);
    return out;
}

int cmd_inspect(int argc, char **argv)
{
    const char *cmd = "inspect", *in = NULL, *lang = NULL, *image = NULL;
    uint8_t *buf = NULL, *input = NULL;
    char *json = NULL, *labelled = NULL;
    size_t len = 0, input_len = 0, json_len = 0;
    nansen_ctx *ctx = NULL;
    cJSON *labels = NULL;
    nansen_err err;
    int i, r, oom = 0, framed = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_inspect();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) != 0 ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--image", &image)) != 0 ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--lang", &lang)) != 0) {
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
    if (lang != NULL && lang[0] == '\0')
        return cli_usage(cmd, "--lang wants a language tag, e.g. fr");
    if (in != NULL && image != NULL)
        return cli_usage(cmd, "give at most one of an input file and "
                              "--image");
    if (in == NULL)
        in = "-";
    if ((r = cli_read_token(cmd, in, image, CLI_TOKEN_NANSEN | CLI_TOKEN_HC1,
                            "a Nansen token or an EU DCC", 0, &input,
                            &input_len, &framed)) != EXIT_VALID)
        return r;
    if (!framed) {
        buf = input;
        len = input_len;
        input = NULL;
    } else if ((err = cli_unframe(input, input_len, NANSEN_FRAME_ALLOW_HC1,
                                  &buf, &len, NULL)) != NANSEN_OK) {
        cli_err(cmd, "the QR text does not decode: %s", nansen_strerror(err));
        status = nansen_err_get_class(err) == NANSEN_CLASS_MALFORMED
                     ? EXIT_INVALID : EXIT_USAGE;
        goto out;
    }
    err = nansen_inspect_json(NULL, &json_len, buf, len);
    if (err == NANSEN_OK && (json = malloc(json_len)) == NULL)
        err = NANSEN_ERR_NOMEM;
    if (err == NANSEN_OK)
        err = nansen_inspect_json(json, &json_len, buf, len);
    if (err != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        status = nansen_err_get_class(err) == NANSEN_CLASS_MALFORMED
                     ? EXIT_INVALID : EXIT_USAGE;
        goto out;
    }
    if (lang != NULL) {
        if ((ctx = cli_ctx(cmd)) == NULL)
            goto out;
        labels = labels_of(ctx, buf, len, lang, &oom);
        if (!oom && labels != NULL && (labelled = splice(json, labels)) ==
                                          NULL)
            oom = 1;
        if (oom) {
            cli_err(cmd, "%s", nansen_strerror(NANSEN_ERR_NOMEM));
            goto out;
        }
    }
    printf("%s\n", labelled != NULL ? labelled : json);
    status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_USAGE;
out:
    cJSON_Delete(labels);
    free(labelled);
    free(json);
    free(input);
    free(buf);
    nansen_ctx_destroy(ctx);
    return status;
}
