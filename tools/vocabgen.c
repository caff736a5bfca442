/* vocabgen.c - compile spec/vocab/vocab.json into C tables.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Usage: nansen_vocabgen VOCAB.json OUT.c OUT.h
 *
 * A build-time host program: the library never reads files at run time, so
 * the vocabulary is validated here (strictly; any doubt fails the build) and
 * written out as static const tables. Strings are emitted as ASCII-only C
 * literals with octal escapes so that the generated file does not depend on
 * the compiler's source character set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define MAX_LANGS 16
#define MAX_CODE  65535

static const char *const KINDS[] = {
    "purposes", "data_categories", "services", "urgency", "reasons"
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static const char *const PLACEHOLDERS[] = {
    "clinic", "issuer", "purpose", "categories", "from", "until"
};
#define NPH (sizeof PLACEHOLDERS / sizeof PLACEHOLDERS[0])

static const char *g_path;
static const char *g_langs[MAX_LANGS];
static int g_rtl[MAX_LANGS];
static const char *g_seps[MAX_LANGS];
static size_t g_nlangs;

static _Noreturn void fail(const char *what, const char *detail)
{
    fprintf(stderr, "vocabgen: %s: %s%s%s\n", g_path, what,
            detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, max U+10FFFF; and
 * no C0 controls or DEL, which have no place in labels or templates. */
static int utf8_ok(const char *s, int json_ws)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p, n, cp, min, i;

        if ((c < 0x20 || c == 0x7f) &&
            !(json_ws && (c == '\n' || c == '\r' || c == '\t')))
            return 0;
        if (c < 0x80) { p++; continue; }
        if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; min = 0x80; }
        else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; min = 0x800; }
        else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        for (i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        p += n + 1;
    }
    return 1;
}

static const char *need_string(const cJSON *obj, const char *key,
                               const char *ctx)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!cJSON_IsString(it) || it->valuestring == NULL)
        fail("missing or non-string member", key);
    if (it->valuestring[0] == '\0')
        fail("empty string", key);
    if (!utf8_ok(it->valuestring, 0))
        fail("invalid UTF-8 or control character in", ctx);
    return it->valuestring;
}

static int lang_index(const char *tag)
{
    size_t i;

    for (i = 0; i < g_nlangs; i++)
        if (strcmp(g_langs[i], tag) == 0)
            return (int)i;
    return -1;
}

static int kebab_ok(const char *id)
{
    const char *p;

    if (!(id[0] >= 'a' && id[0] <= 'z'))
        return 0;
    for (p = id; *p; p++) {
        if (*p == '-') {
            if (p[1] == '-' || p[1] == '\0')
                return 0;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return strlen(id) <= 48;
}

static void emit_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int col = 0;

    fputc('"', f);
    for (; *p; p++) {
        if (col > 60) {
            fputs("\"\n        \"", f);
            col = 0;
        }
        if (*p == '"' || *p == '\\' || *p == '?') {
            fprintf(f, "\\%c", *p);
            col += 2;
        } else if (*p < 0x20 || *p >= 0x7f) {
            fprintf(f, "\\%03o", *p);
            col += 4;
        } else {
            fputc(*p, f);
            col++;
        }
    }
    fputc('"', f);
}

/* Every '{' opens a known placeholder; each placeholder appears exactly
 * once; in right-to-left templates the inserts that are left-to-right
 * (names, dates) sit between U+2068 FSI and U+2069 PDI. */
static void check_template(const char *t, const char *lang, int rtl)
{
    size_t seen[NPH] = {0};
    const char *p = t, *q;
    size_t i;

    while ((p = strpbrk(p, "{}")) != NULL) {
        if (*p == '}')
            fail("stray '}' in template", lang);
        q = strchr(p, '}');
        if (q == NULL)
            fail("unterminated placeholder in template", lang);
        for (i = 0; i < NPH; i++)
            if ((size_t)(q - p - 1) == strlen(PLACEHOLDERS[i]) &&
                memcmp(p + 1, PLACEHOLDERS[i], strlen(PLACEHOLDERS[i])) == 0)
                break;
        if (i == NPH)
            fail("unknown placeholder in template", lang);
        seen[i]++;
        if (rtl && strcmp(PLACEHOLDERS[i], "purpose") != 0 &&
            strcmp(PLACEHOLDERS[i], "categories") != 0) {
            if (p - t < 3 || memcmp(p - 3, "\xe2\x81\xa8", 3) != 0 ||
                memcmp(q + 1, "\xe2\x81\xa9", 3) != 0)
                fail("RTL template: insert not wrapped in FSI/PDI", lang);
        }
        p = q + 1;
    }
    for (i = 0; i < NPH; i++)
        if (seen[i] != 1)
            fail("template must use each placeholder exactly once", lang);
}

static void do_languages(const cJSON *root)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "languages");
    const cJSON *it;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > MAX_LANGS)
        fail("\"languages\" must be a non-empty array", NULL);
    cJSON_ArrayForEach(it, arr) {
        const char *tag = need_string(it, "tag", "languages");
        const cJSON *rtl = cJSON_GetObjectItemCaseSensitive(it, "rtl");
        const char *p;

        (void)need_string(it, "name", tag);
        for (p = tag; *p; p++)
            if (!(*p >= 'a' && *p <= 'z'))
                fail("language tag must be a lowercase primary subtag", tag);
        if (strlen(tag) < 2 || strlen(tag) > 3)
            fail("language tag must be 2 or 3 letters", tag);
        if (lang_index(tag) >= 0)
            fail("duplicate language", tag);
        if (!cJSON_IsBool(rtl))
            fail("\"rtl\" must be true or false", tag);
        g_rtl[g_nlangs] = cJSON_IsTrue(rtl);
        g_seps[g_nlangs] = need_string(it, "list_separator", tag);
        g_langs[g_nlangs++] = tag;
    }
    if (strcmp(g_langs[0], "en") != 0)
        fail("the first language must be \"en\" (the fallback)", NULL);
}

static unsigned review_mask(const cJSON *arr, const char *ctx)
{
    const cJSON *it;
    unsigned mask = 0;

    if (!cJSON_IsArray(arr))
        fail("\"review\" must be an array of language tags", ctx);
    cJSON_ArrayForEach(it, arr) {
        int li;

        if (!cJSON_IsString(it))
            fail("\"review\" must be an array of language tags", ctx);
        li = lang_index(it->valuestring);
        if (li < 0)
            fail("\"review\" names an unknown language", ctx);
        if (mask & (1u << li))
            fail("\"review\" names a language twice", ctx);
        mask |= 1u << li;
    }
    return mask;
}

static void do_kind(FILE *c, const cJSON *root, size_t k)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, KINDS[k]);
    const cJSON *it, *jt;
    size_t n = 0;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1)
        fail("missing or empty list", KINDS[k]);
    fprintf(c, "static const struct nansen__vocab_entry %s_tab[] = {\n",
            KINDS[k]);
    cJSON_ArrayForEach(it, arr) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(it, "code");
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(it, "labels");
        const char *id = need_string(it, "id", KINDS[k]);
        double v;
        size_t li;
        unsigned mask;

        if (!kebab_ok(id))
            fail("id is not kebab-case ASCII", id);
        if (!cJSON_IsNumber(code))
            fail("missing numeric \"code\"", id);
        v = code->valuedouble;
        if (v < 0 || v > MAX_CODE || v != (double)(long)v)
            fail("code must be an integer in 0..65535", id);
        cJSON_ArrayForEach(jt, arr) {
            if (jt == it)
                break;
            if (cJSON_GetObjectItemCaseSensitive(jt, "code")->valuedouble == v)
                fail("duplicate code", id);
            if (strcmp(cJSON_GetObjectItemCaseSensitive(jt, "id")->valuestring,
                       id) == 0)
                fail("duplicate id", id);
        }
        if (!cJSON_IsObject(labels) ||
            (size_t)cJSON_GetArraySize(labels) != g_nlangs)
            fail("\"labels\" must have exactly one entry per language", id);
        mask = review_mask(cJSON_GetObjectItemCaseSensitive(it, "review"), id);
        if (mask & 1u)
            fail("English is the reference and cannot be under review", id);
        fprintf(c, "    { %ldu, ", (long)v);
        emit_str(c, id);
        fputs(", {\n", c);
        for (li = 0; li < g_nlangs; li++) {
            fputs("        ", c);
            emit_str(c, need_string(labels, g_langs[li], id));
            fputs(",\n", c);
        }
        fprintf(c, "    }, 0x%xu },\n", mask);
        n++;
    }
    fputs("};\n\n", c);
}

int main(int argc, char **argv)
{
    FILE *in, *c, *h;
    char *text;
    long size = 0;
    cJSON *root;
    const cJSON *ver, *tpls;
    size_t k, li;
    unsigned tmask;

    if (argc != 4) {
        fprintf(stderr, "usage: nansen_vocabgen VOCAB.json OUT.c OUT.h\n");
        return 2;
    }
    g_path = argv[1];
    in = fopen(argv[1], "rb");
    if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) < 0 ||
        fseek(in, 0, SEEK_SET) != 0)
        fail("cannot read", NULL);
    text = malloc((size_t)size + 1);
    if (text == NULL || fread(text, 1, (size_t)size, in) != (size_t)size)
        fail("cannot read", NULL);
    text[size] = '\0';
    fclose(in);
    if (strlen(text) != (size_t)size)
        fail("NUL byte in file", NULL);
    /* cJSON does not check UTF-8; escapes (\\uXXXX) are checked again on
     * every decoded string. */
    if (!utf8_ok(text, 1))
        fail("file is not valid UTF-8", NULL);
    root = cJSON_Parse(text);
    if (root == NULL || !cJSON_IsObject(root))
        fail("not a JSON object", NULL);

    ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
        fail("\"version\" must be 1", NULL);
    do_languages(root);

    c = fopen(argv[2], "w");
    h = fopen(argv[3], "w");
    if (c == NULL || h == NULL)
        fail("cannot write output", NULL);

    fputs("/* Generated by nansen_vocabgen from spec/vocab/vocab.json. "
          "Do not edit. */\n#ifndef NANSEN_VOCAB_DATA_H\n"
          "#define NANSEN_VOCAB_DATA_H\n\n#include <stddef.h>\n"
          "#include <stdint.h>\n\n", h);
    fprintf(h, "#define NANSEN__VOCAB_VERSION %d\n", (int)ver->valuedouble);
    fprintf(h, "#define NANSEN__VOCAB_NLANGS %u\n", (unsigned)g_nlangs);
    fprintf(h, "#define NANSEN__VOCAB_NKINDS %u\n\n", (unsigned)NKINDS);
    fputs("struct nansen__vocab_entry {\n    uint32_t code;\n"
          "    const char *id;\n"
          "    const char *label[NANSEN__VOCAB_NLANGS];\n"
          "    unsigned review;   /* bit i: label[i] needs review */\n};\n\n"
          "struct nansen__vocab_list {\n"
          "    const struct nansen__vocab_entry *entries;\n"
          "    size_t count;\n};\n\n"
          "struct nansen__vocab_lang {\n    const char *tag;\n"
          "    int rtl;\n    const char *list_separator;\n"
          "    const char *notice_template;\n"
          "    int notice_review;\n};\n\n"
          "/* Indexed by nansen_vocab_kind - 1. */\n"
          "extern const struct nansen__vocab_list "
          "nansen__vocab_lists[NANSEN__VOCAB_NKINDS];\n"
          "/* Index 0 is English, the fallback. */\n"
          "extern const struct nansen__vocab_lang "
          "nansen__vocab_langs[NANSEN__VOCAB_NLANGS];\n\n"
          "#endif\n", h);

    fputs("/* Generated by nansen_vocabgen from spec/vocab/vocab.json. "
          "Do not edit. */\n#include \"vocab_data.h\"\n\n", c);
    for (k = 0; k < NKINDS; k++)
        do_kind(c, root, k);
    fputs("const struct nansen__vocab_list "
          "nansen__vocab_lists[NANSEN__VOCAB_NKINDS] = {\n", c);
    for (k = 0; k < NKINDS; k++)
        fprintf(c, "    { %s_tab, sizeof %s_tab / sizeof %s_tab[0] },\n",
                KINDS[k], KINDS[k], KINDS[k]);
    fputs("};\n\n", c);

    tpls = cJSON_GetObjectItemCaseSensitive(root, "notice_templates");
    if (!cJSON_IsObject(tpls) || (size_t)cJSON_GetArraySize(tpls) != g_nlangs)
        fail("\"notice_templates\" needs exactly one template per language",
             NULL);
    tmask = review_mask(cJSON_GetObjectItemCaseSensitive(root,
                                                         "notice_review"),
                        "notice_review");
    if (tmask & 1u)
        fail("English is the reference and cannot be under review",
             "notice_review");
    fputs("const struct nansen__vocab_lang "
          "nansen__vocab_langs[NANSEN__VOCAB_NLANGS] = {\n", c);
    for (li = 0; li < g_nlangs; li++) {
        const char *t = need_string(tpls, g_langs[li], "notice_templates");

        check_template(t, g_langs[li], g_rtl[li]);
        fputs("    { ", c);
        emit_str(c, g_langs[li]);
        fprintf(c, ", %d, ", g_rtl[li]);
        emit_str(c, g_seps[li]);
        fputs(",\n      ", c);
        emit_str(c, t);
        fprintf(c, ",\n      %d },\n", (tmask >> li) & 1u ? 1 : 0);
    }
    fputs("};\n", c);

    cJSON_Delete(root);
    free(text);
    if (fclose(c) != 0 || fclose(h) != 0)
        fail("cannot write output", NULL);
    return 0;
}
