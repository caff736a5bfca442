/* diag.c - CBOR extended diagnostic notation for tests (see diag.h).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nansen/cbor.h"
#include "diag.h"

#define DIAG_MAX_DEPTH 64

typedef struct diag_state {
    char *buf;
    size_t len, cap;
    int err;
    int depth;
    diag_rule rule;
    void *arg;
} diag_state;

/* A rule's answer, with the comments copied. */
typedef struct diag_snap {
    int ctx;
    int embed;
    char *above, *before, *after;
} diag_snap;

static void put(diag_state *s, const char *p, size_t n)
{
    if (s->err)
        return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        char *b;

        while (s->len + n + 1 > cap)
            cap *= 2;
        if ((b = realloc(s->buf, cap)) == NULL) {
            s->err = 1;
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

static void puts_(diag_state *s, const char *p)
{
    put(s, p, strlen(p));
}

static void put_indent(diag_state *s, int level)
{
    int i;

    for (i = 0; i < level; i++)
        put(s, "  ", 2);
}

static void put_comment(diag_state *s, const char *c)
{
    puts_(s, "/ ");
    puts_(s, c);
    puts_(s, " /");
}

static char *copy_comment(diag_state *s, const char *c)
{
    char *out;
    size_t n;

    if (c == NULL)
        return NULL;
    n = strlen(c);
    if (n == 0 || strpbrk(c, "/\n\r") != NULL) {
        s->err = 1;
        return NULL;
    }
    if ((out = malloc(n + 1)) == NULL) {
        s->err = 1;
        return NULL;
    }
    memcpy(out, c, n + 1);
    return out;
}

static void ask(diag_state *s, const diag_pos *pos, diag_snap *snap)
{
    diag_hint h;

    memset(&h, 0, sizeof h);
    memset(snap, 0, sizeof *snap);
    if (s->rule != NULL)
        s->rule(s->arg, pos, &h);
    snap->ctx = h.ctx;
    snap->embed = h.embed;
    snap->above = copy_comment(s, h.above);
    snap->before = copy_comment(s, h.before);
    snap->after = copy_comment(s, h.after);
}

static void snap_free(diag_snap *snap)
{
    free(snap->above);
    free(snap->before);
    free(snap->after);
}

static void put_uint(diag_state *s, uint64_t v)
{
    char b[24];

    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    puts_(s, b);
}

/* -1 - u, which for u = 2^64 - 1 does not fit any C integer type. */
static void put_nint(diag_state *s, uint64_t u)
{
    if (u == UINT64_MAX) {
        puts_(s, "-18446744073709551616");
        return;
    }
    puts_(s, "-");
    put_uint(s, u + 1);
}

static void put_bytes_hex(diag_state *s, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    puts_(s, "h'");
    for (i = 0; i < n; i++) {
        char b[2];

        b[0] = hex[p[i] >> 4];
        b[1] = hex[p[i] & 15];
        put(s, b, 2);
    }
    puts_(s, "'");
}

static void put_text(diag_state *s, const uint8_t *p, size_t n)
{
    size_t i;

    puts_(s, "\"");
    for (i = 0; i < n; i++) {
        uint8_t c = p[i];
        char b[8];

        switch (c) {
        case '"':  puts_(s, "\\\""); break;
        case '\\': puts_(s, "\\\\"); break;
        case '\b': puts_(s, "\\b"); break;
        case '\f': puts_(s, "\\f"); break;
        case '\n': puts_(s, "\\n"); break;
        case '\r': puts_(s, "\\r"); break;
        case '\t': puts_(s, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(b, sizeof b, "\\u%04x", (unsigned)c);
                puts_(s, b);
            } else {
                put(s, (const char *)&c, 1);
            }
        }
    }
    puts_(s, "\"");
}

/* The shortest decimal that reads back as d: plain notation for decimal
 * exponents -4..20, else d.ddde+NN; always with a point. */
static void put_float(diag_state *s, double d)
{
    char b[64], m[40];
    int prec, exp10;
    char *e;

    if (isnan(d)) {
        puts_(s, "NaN");
        return;
    }
    if (isinf(d)) {
        puts_(s, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    for (prec = 1; prec < 17; prec++) {
        snprintf(m, sizeof m, "%.*e", prec - 1, d);
        if (strtod(m, NULL) == d)
            break;
    }
    snprintf(m, sizeof m, "%.*e", prec - 1, d);
    e = strchr(m, 'e');
    exp10 = atoi(e + 1);
    if (exp10 >= -4 && exp10 <= 20) {
        int decimals = prec - 1 - exp10;

        snprintf(b, sizeof b, "%.*f", decimals > 0 ? decimals : 0, d);
        if (strchr(b, '.') == NULL)
            strcat(b, ".0");
    } else {
        *e = '\0';
        snprintf(b, sizeof b, "%s%se%c%02d", m,
                 strchr(m, '.') == NULL ? ".0" : "", exp10 < 0 ? '-' : '+',
                 exp10 < 0 ? -exp10 : exp10);
    }
    puts_(s, b);
}

static void put_simple(diag_state *s, uint64_t v)
{
    char b[24];

    switch (v) {
    case 20: puts_(s, "false"); return;
    case 21: puts_(s, "true"); return;
    case 22: puts_(s, "null"); return;
    case 23: puts_(s, "undefined"); return;
    default:
        snprintf(b, sizeof b, "simple(%llu)", (unsigned long long)v);
        puts_(s, b);
    }
}

static void value(diag_state *s, nansen__cbr *r, const diag_snap *h,
                  int level);

/* The next item's head, without consuming it. */
static int peek(diag_state *s, const nansen__cbr *r, nansen__cbor_item *it)
{
    nansen__cbr p = *r;

    if (nansen__cbr_next(&p, it) != NANSEN_OK) {
        s->err = 1;
        return 0;
    }
    return 1;
}

/* One item held by another on the same line: a tag's content or the item
 * in an embedded byte string. */
static void inner(diag_state *s, nansen__cbr *r, diag_kind kind, int parent,
                  int level)
{
    nansen__cbor_item it;
    diag_pos pos;
    diag_snap h;

    if (!peek(s, r, &it))
        return;
    memset(&pos, 0, sizeof pos);
    pos.kind = kind;
    pos.parent = parent;
    pos.item = &it;
    ask(s, &pos, &h);
    if (h.above != NULL) {
        put_comment(s, h.above);
        puts_(s, " ");
    }
    if (h.before != NULL) {
        put_comment(s, h.before);
        puts_(s, " ");
    }
    value(s, r, &h, level);
    if (h.after != NULL) {
        puts_(s, " ");
        put_comment(s, h.after);
    }
    snap_free(&h);
}

static void entries(diag_state *s, nansen__cbr *r, const diag_snap *parent,
                    uint64_t n, int is_map, int level)
{
    uint64_t i;

    for (i = 0; i < n && !s->err; i++) {
        nansen__cbor_item key, it;
        const uint8_t *kstart = NULL;
        size_t klen = 0;
        diag_pos pos;
        diag_snap h;

        memset(&pos, 0, sizeof pos);
        if (is_map) {
            if (!peek(s, r, &key) ||
                nansen__cbr_skip(r, &kstart, &klen) != NANSEN_OK) {
                s->err = 1;
                return;
            }
            pos.kind = DIAG_VALUE;
            pos.key = &key;
        } else {
            pos.kind = DIAG_ELEMENT;
        }
        if (!peek(s, r, &it))
            return;
        pos.parent = parent->ctx;
        pos.index = (size_t)i;
        pos.item = &it;
        ask(s, &pos, &h);
        puts_(s, "\n");
        put_indent(s, level + 1);
        if (h.above != NULL) {
            put_comment(s, h.above);
            puts_(s, "\n");
            put_indent(s, level + 1);
        }
        if (h.before != NULL) {
            put_comment(s, h.before);
            puts_(s, " ");
        }
        if (is_map) {
            nansen__cbr kr;
            diag_snap plain;

            memset(&plain, 0, sizeof plain);
            nansen__cbr_init(&kr, kstart, klen);
            value(s, &kr, &plain, level + 1);
            puts_(s, ": ");
        }
        value(s, r, &h, level + 1);
        if (i + 1 < n)
            puts_(s, ",");
        if (h.after != NULL) {
            puts_(s, " ");
            put_comment(s, h.after);
        }
        snap_free(&h);
    }
    puts_(s, "\n");
    put_indent(s, level);
}

static void value(diag_state *s, nansen__cbr *r, const diag_snap *h,
                  int level)
{
    nansen__cbor_item it;

    if (s->err)
        return;
    if (++s->depth > DIAG_MAX_DEPTH ||
        nansen__cbr_next(r, &it) != NANSEN_OK) {
        s->err = 1;
        return;
    }
    switch (it.type) {
    case NANSEN__CBOR_UINT:
        put_uint(s, it.v.u);
        break;
    case NANSEN__CBOR_NINT:
        put_nint(s, it.v.u);
        break;
    case NANSEN__CBOR_BYTES:
        if (h->embed && it.len > 0 &&
            nansen_cbor_check(it.str, it.len, 0) == NANSEN_OK) {
            nansen__cbr er;

            nansen__cbr_init(&er, it.str, it.len);
            puts_(s, "<<");
            inner(s, &er, DIAG_EMBEDDED, h->ctx, level);
            puts_(s, ">>");
        } else {
            put_bytes_hex(s, it.str, it.len);
        }
        break;
    case NANSEN__CBOR_TEXT:
        put_text(s, it.str, it.len);
        break;
    case NANSEN__CBOR_ARRAY:
        if (it.v.u == 0) {
            puts_(s, "[]");
            break;
        }
        puts_(s, "[");
        entries(s, r, h, it.v.u, 0, level);
        puts_(s, "]");
        break;
    case NANSEN__CBOR_MAP:
        if (it.v.u == 0) {
            puts_(s, "{}");
            break;
        }
        puts_(s, "{");
        entries(s, r, h, it.v.u, 1, level);
        puts_(s, "}");
        break;
    case NANSEN__CBOR_TAG:
        put_uint(s, it.v.u);
        puts_(s, "(");
        inner(s, r, DIAG_TAGGED, h->ctx, level);
        puts_(s, ")");
        break;
    case NANSEN__CBOR_SIMPLE:
        put_simple(s, it.v.u);
        break;
    case NANSEN__CBOR_FLOAT:
        put_float(s, it.v.f);
        break;
    default:
        s->err = 1;
    }
    s->depth--;
}

char *diag_render(const uint8_t *cbor, size_t len, diag_rule rule,
                  void *arg)
{
    diag_state s;
    nansen__cbr r;

    if (cbor == NULL || len == 0 || nansen_cbor_check(cbor, len, 0) !=
                                        NANSEN_OK)
        return NULL;
    memset(&s, 0, sizeof s);
    s.rule = rule;
    s.arg = arg;
    nansen__cbr_init(&r, cbor, len);
    {
        nansen__cbor_item it;
        diag_pos pos;
        diag_snap h;

        if (peek(&s, &r, &it)) {
            memset(&pos, 0, sizeof pos);
            pos.kind = DIAG_ROOT;
            pos.item = &it;
            ask(&s, &pos, &h);
            if (h.above != NULL) {
                put_comment(&s, h.above);
                puts_(&s, "\n");
            }
            if (h.before != NULL) {
                put_comment(&s, h.before);
                puts_(&s, " ");
            }
            value(&s, &r, &h, 0);
            if (h.after != NULL) {
                puts_(&s, " ");
                put_comment(&s, h.after);
            }
            snap_free(&h);
        }
    }
    puts_(&s, "\n");
    if (s.err || !nansen__cbr_done(&r)) {
        free(s.buf);
        return NULL;
    }
    return s.buf;
}
