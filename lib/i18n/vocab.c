/* vocab.c - vocabulary look-ups and the consent notice.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The tables come from vocab_data.c, generated at build time from
 * spec/vocab/vocab.json by tools/vocabgen.c, which has already checked
 * them (every language present, placeholders known and used once).
 */
#include <string.h>

#include <sodium.h>

#include "internal/internal.h"
#include "vocab_data.h"

#define MAX_CATEGORIES 64
/* 9999-12-31T23:59:59Z: dates keep four digits. */
#define MAX_TIME INT64_C(253402300799)

int nansen_vocab_version(void)
{
    return NANSEN__VOCAB_VERSION;
}

static const struct nansen__vocab_list *list_of(nansen_vocab_kind kind)
{
    int k = (int)kind;

    if (k < 1 || k > NANSEN__VOCAB_NKINDS)
        return NULL;
    return &nansen__vocab_lists[k - 1];
}

static const struct nansen__vocab_entry *entry_of(nansen_vocab_kind kind,
                                                  uint32_t code)
{
    const struct nansen__vocab_list *l = list_of(kind);
    size_t i;

    if (l == NULL)
        return NULL;
    for (i = 0; i < l->count; i++)
        if (l->entries[i].code == code)
            return &l->entries[i];
    return NULL;
}

size_t nansen_vocab_count(nansen_vocab_kind kind)
{
    const struct nansen__vocab_list *l = list_of(kind);

    return l != NULL ? l->count : 0;
}

nansen_err nansen_vocab_code_at(nansen_vocab_kind kind, size_t index,
                                uint32_t *code)
{
    const struct nansen__vocab_list *l = list_of(kind);

    ARG_CHECK(code != NULL);
    *code = 0;
    ARG_CHECK(l != NULL && index < l->count);
    *code = l->entries[index].code;
    return NANSEN_OK;
}

size_t nansen_vocab_language_count(void)
{
    return NANSEN__VOCAB_NLANGS;
}

const char *nansen_vocab_language(size_t index)
{
    return index < NANSEN__VOCAB_NLANGS ? nansen__vocab_langs[index].tag
                                        : NULL;
}

/* Index of the vocabulary language for a BCP 47 tag, or -1. Only the
 * primary subtag counts; Dari (prs) and Iranian Persian (pes) are fa. */
static int lang_index(const char *tag)
{
    char prim[9];
    size_t i;

    if (!nansen__lang_primary(prim, tag))
        return -1;
    for (i = 0; i < NANSEN__VOCAB_NLANGS; i++)
        if (strcmp(prim, nansen__vocab_langs[i].tag) == 0)
            return (int)i;
    return -1;
}

nansen_err nansen_vocab_lookup_id(nansen_vocab_kind kind, const char *id,
                                  size_t id_len, uint32_t *code)
{
    const struct nansen__vocab_list *l;
    size_t i;

    ARG_CHECK(code != NULL);
    *code = 0;
    ARG_CHECK(id != NULL);
    l = list_of(kind);
    ARG_CHECK(l != NULL);
    for (i = 0; i < l->count; i++) {
        const char *e = l->entries[i].id;

        if (strlen(e) == id_len && memcmp(e, id, id_len) == 0) {
            *code = l->entries[i].code;
            return NANSEN_OK;
        }
    }
    return NANSEN_ERR_INVALID_ARG;
}

const char *nansen_vocab_id(nansen_vocab_kind kind, uint32_t code)
{
    const struct nansen__vocab_entry *e = entry_of(kind, code);

    return e == NULL ? NULL : e->id;
}

nansen_err nansen_vocab_label(nansen_vocab_kind kind, uint32_t code,
                              const char *lang, const char **label,
                              const char **lang_used)
{
    const struct nansen__vocab_entry *e;
    int li;

    if (lang_used != NULL)
        *lang_used = NULL;
    ARG_CHECK(label != NULL);
    *label = NULL;
    ARG_CHECK(lang != NULL);
    e = entry_of(kind, code);
    ARG_CHECK(e != NULL);
    li = lang_index(lang);
    if (li < 0)
        li = 0;
    *label = e->label[li];
    if (lang_used != NULL)
        *lang_used = nansen__vocab_langs[li].tag;
    return NANSEN_OK;
}

int nansen_vocab_needs_review(nansen_vocab_kind kind, uint32_t code,
                              const char *lang)
{
    const struct nansen__vocab_entry *e = entry_of(kind, code);
    int li;

    if (e == NULL || lang == NULL)
        return -1;
    li = lang_index(lang);
    if (li < 0)
        li = 0;
    return (int)((e->review >> li) & 1u);
}

int nansen_vocab_is_rtl(const char *lang)
{
    int li;

    if (lang == NULL)
        return 0;
    li = lang_index(lang);
    return li < 0 ? 0 : nansen__vocab_langs[li].rtl;
}

int nansen_notice_needs_review(const char *lang)
{
    int li;

    if (lang == NULL)
        return -1;
    li = lang_index(lang);
    return li < 0 ? -1 : nansen__vocab_langs[li].notice_review;
}

/* ---- rendering ---- */

/* Output goes to a bounded buffer and/or a running SHA-256, so the digest
 * needs no allocation; len counts every byte, written or not. */
struct sink {
    char *buf;
    size_t cap;
    size_t len;
    crypto_hash_sha256_state *hash;
};

static void put(struct sink *s, const char *p, size_t n)
{
    if (s->buf != NULL && s->len < s->cap) {
        size_t room = s->cap - s->len;

        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    if (s->hash != NULL)
        crypto_hash_sha256_update(s->hash, (const unsigned char *)p, n);
    s->len += n;
}

static void put_str(struct sink *s, const char *p)
{
    put(s, p, strlen(p));
}

/* Strict UTF-8, no C0 controls or DEL, non-empty. */
static int text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (*p == '\0')
        return 0;
    while (*p) {
        unsigned c = *p, n, cp, min, i;

        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1; cp = c & 0x1f; min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2; cp = c & 0x0f; min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return 0;
        }
        for (i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        p += n + 1;
    }
    return 1;
}

static nansen_err check_fields(const nansen_notice_fields *f, int *li)
{
    size_t i, j;

    ARG_CHECK(f != NULL);
    ARG_CHECK(f->lang != NULL && f->clinic != NULL && f->issuer != NULL);
    *li = lang_index(f->lang);
    ARG_CHECK(*li >= 0);
    ARG_CHECK(text_ok(f->clinic) && text_ok(f->issuer));
    ARG_CHECK(entry_of(NANSEN_VOCAB_PURPOSE, f->purpose) != NULL);
    ARG_CHECK(f->categories != NULL);
    ARG_CHECK(f->category_count >= 1 && f->category_count <= MAX_CATEGORIES);
    for (i = 0; i < f->category_count; i++) {
        ARG_CHECK(entry_of(NANSEN_VOCAB_CATEGORY, f->categories[i]) != NULL);
        for (j = 0; j < i; j++)
            ARG_CHECK(f->categories[j] != f->categories[i]);
    }
    ARG_CHECK(f->from >= 0 && f->from <= MAX_TIME);
    ARG_CHECK(f->until >= f->from && f->until <= MAX_TIME);
    return NANSEN_OK;
}

/* Placeholders replaced left to right; everything else copied as is. */
static void render(struct sink *s, const nansen_notice_fields *f, int li)
{
    const struct nansen__vocab_lang *L = &nansen__vocab_langs[li];
    const char *p = L->notice_template;
    char date[11];
    size_t i;

    while (*p != '\0') {
        const char *open = strchr(p, '{'), *close;
        size_t n;

        if (open == NULL) {
            put_str(s, p);
            break;
        }
        put(s, p, (size_t)(open - p));
        close = strchr(open, '}');    /* vocabgen guarantees one */
        n = (size_t)(close - open - 1);
        open++;
        if (n == 6 && memcmp(open, "clinic", 6) == 0) {
            put_str(s, f->clinic);
        } else if (n == 6 && memcmp(open, "issuer", 6) == 0) {
            put_str(s, f->issuer);
        } else if (n == 7 && memcmp(open, "purpose", 7) == 0) {
            put_str(s, entry_of(NANSEN_VOCAB_PURPOSE, f->purpose)->label[li]);
        } else if (n == 10 && memcmp(open, "categories", 10) == 0) {
            for (i = 0; i < f->category_count; i++) {
                if (i > 0)
                    put_str(s, L->list_separator);
                put_str(s, entry_of(NANSEN_VOCAB_CATEGORY,
                                    f->categories[i])->label[li]);
            }
        } else if (n == 4 && memcmp(open, "from", 4) == 0) {
            nansen__civil_date(date, f->from);
            put_str(s, date);
        } else if (n == 5 && memcmp(open, "until", 5) == 0) {
            nansen__civil_date(date, f->until);
            put_str(s, date);
        }
        p = close + 1;
    }
}

nansen_err nansen_notice_render(char *out, size_t *out_len,
                                const nansen_notice_fields *f)
{
    struct sink s = {NULL, 0, 0, NULL};
    nansen_err err;
    int li = 0;

    ARG_CHECK(out_len != NULL);
    err = check_fields(f, &li);
    if (err != NANSEN_OK) {
        if (out != NULL && *out_len > 0)
            out[0] = '\0';
        *out_len = 0;
        return err;
    }
    render(&s, f, li);
    if (nansen__size_query(&err, out, out_len, s.len + 1))
        return err;
    s.buf = out;
    s.cap = *out_len;
    s.len = 0;
    render(&s, f, li);
    out[s.len] = '\0';
    *out_len = s.len + 1;
    return NANSEN_OK;
}

nansen_err nansen_notice_digest(uint8_t out[32], const nansen_notice_fields *f)
{
    crypto_hash_sha256_state st;
    struct sink s = {NULL, 0, 0, NULL};
    nansen_err err;
    int li = 0;

    ARG_CHECK(out != NULL);
    memset(out, 0, 32);
    err = check_fields(f, &li);
    if (err != NANSEN_OK)
        return err;
    crypto_hash_sha256_init(&st);
    s.hash = &st;
    render(&s, f, li);
    crypto_hash_sha256_final(&st, out);
    return NANSEN_OK;
}
