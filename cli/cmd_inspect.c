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
        "\n"
        "Show a COSE_Sign1 message (headers by name, payload decoded) or any\n"
        "other CBOR item as JSON on standard output. Nothing is verified:\n"
        "use 'nansen cose verify' or 'nansen verify' for that.\n"
        "\n"
        "  -i, --in FILE   input (default: standard input)\n"
        "      --lang TAG  for a Nansen referral or consent grant, add a\n"
        "                  \"labels\" object: the vocabulary labels of its\n"
        "                  service, urgency, purpose and data categories in\n"
        "                  this language (English when it has none)\n"
        "\n"
        "Exit status: 0 shown, 1 not valid CBOR, 2 usage or I/O error.\n");
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

/* A JSON number that is a vocabulary code (0..65535). */
static int code_of(const cJSON *n, uint32_t *code)
{
    if (!cJSON_IsNumber(n) || n->valuedouble < 0 ||
        n->valuedouble > 65535 || n->valuedouble != (double)n->valueint)
        return 0;
    *code = (uint32_t)n->valueint;
    return 1;
}

/* Service and urgency of an encoded referral (plain or disclosed). */
static void referral_labels(cJSON *labels, nansen_ctx *ctx,
                            const uint8_t *p, size_t n, const char *lang,
                            int *oom)
{
    nansen_credential *cred = NULL;
    nansen_claim_value v;

    if (nansen_credential_decode(ctx, &cred, p, n) != NANSEN_OK)
        return;
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
    nansen_credential_free(cred);
}

/* Purpose and data categories of a grant, from its JSON view: the Nansen
 * consent map is payload.cbor["-65537"], purpose "1", categories "2". */
static void grant_labels(cJSON *labels, const cJSON *view, const char *lang,
                         int *oom)
{
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(view, "payload");
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive(payload, "cbor");
    const cJSON *consent = cJSON_GetObjectItemCaseSensitive(claims, "-65537");
    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(consent, "2"), *c;
    cJSON *arr;
    uint32_t code;

    if (code_of(cJSON_GetObjectItemCaseSensitive(consent, "1"), &code))
        add_item(labels, "purpose",
                 label_json(NANSEN_VOCAB_PURPOSE, code, lang, oom), oom);
    if (!cJSON_IsArray(cats))
        return;
    if ((arr = cJSON_CreateArray()) == NULL) {
        *oom = 1;
        return;
    }
    cJSON_ArrayForEach(c, cats) {
        cJSON *s = code_of(c, &code)
                       ? label_json(NANSEN_VOCAB_CATEGORY, code, lang, oom)
                       : NULL;

        if (s != NULL && !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            *oom = 1;
        }
    }
    add_item(labels, "categories", arr, oom);
}

/* The labels object of a Nansen referral (typ 293) or grant (typ 294, the
 * referral in protected header 13); NULL for anything else. */
static cJSON *labels_of(nansen_ctx *ctx, const uint8_t *buf, size_t len,
                        const char *json, const char *lang, int *oom)
{
    nansen_cose_sign1 m;
    const uint8_t *kcwt = NULL;
    const char *used = NULL, *any = NULL;
    size_t kcwt_len = 0;
    cJSON *labels, *view;

    if (nansen_cose_sign1_parse(&m, buf, len, NULL) != NANSEN_OK ||
        !m.typ.present || m.typ.text != NULL ||
        (m.typ.uint != NANSEN_TYP_SD_CWT && m.typ.uint != NANSEN_TYP_KB_CWT))
        return NULL;
    if ((labels = cJSON_CreateObject()) == NULL) {
        *oom = 1;
        return NULL;
    }
    /* every label of a language falls back alike: ask once */
    if (nansen_vocab_label(NANSEN_VOCAB_REASON, NANSEN_REASON_ACCEPT, lang,
                           &any, &used) == NANSEN_OK)
        add_item(labels, "lang", cJSON_CreateString(used), oom);
    if (m.typ.uint == NANSEN_TYP_SD_CWT) {
        referral_labels(labels, ctx, buf, len, lang, oom);
    } else {
        if (nansen_cose_sign1_header(&m, NANSEN_COSE_HDR_KCWT, &kcwt,
                                     &kcwt_len, NULL) == NANSEN_OK)
            referral_labels(labels, ctx, kcwt, kcwt_len, lang, oom);
        if ((view = cJSON_Parse(json)) == NULL) {
            *oom = 1;
        } else {
            grant_labels(labels, view, lang, oom);
            cJSON_Delete(view);
        }
    }
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
    const char *cmd = "inspect", *in = NULL, *lang = NULL;
    uint8_t *buf = NULL;
    char *json = NULL, *labelled = NULL;
    size_t len = 0, json_len = 0;
    nansen_ctx *ctx = NULL;
    cJSON *labels = NULL;
    nansen_err err;
    int i, r, oom = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_inspect();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) != 0 ||
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
        goto out;
    }
    if (lang != NULL) {
        if ((ctx = cli_ctx(cmd)) == NULL)
            goto out;
        labels = labels_of(ctx, buf, len, json, lang, &oom);
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
    free(buf);
    nansen_ctx_destroy(ctx);
    return status;
}
