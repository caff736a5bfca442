/* inspect.c - JSON views of CBOR and COSE_Sign1 (spec/inspect-json.md).
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * For people and scripts reading tokens; never for round trips and never
 * a verification. Input is checked (leniently: foreign tokens must be
 * showable) before it is walked, so the walk's recursion is bounded by
 * NANSEN_CBOR_MAX_DEPTH.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "internal/cbor.h"
#include "internal/internal.h"

#define LENIENT (NANSEN_CBOR_ALLOW_UNSORTED | NANSEN_CBOR_ALLOW_LONG_FORM)

/* Largest integer a JSON number (an IEEE double) holds exactly. */
#define JSON_SAFE_INT 9007199254740992.0   /* 2^53 */

typedef struct walk {
    nansen_err err;      /* first failure (NOMEM, or malformed input) */
} walk;

static cJSON *oom(walk *w, cJSON *partial)
{
    cJSON_Delete(partial);
    if (w->err == NANSEN_OK)
        w->err = NANSEN_ERR_NOMEM;
    return NULL;
}

static cJSON *bad(walk *w, nansen_err err)
{
    if (w->err == NANSEN_OK)
        w->err = err;
    return NULL;
}

/* A NUL-terminated copy of n bytes (cJSON wants C strings). */
static char *cstr(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);

    if (s != NULL) {
        if (n > 0)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

static int printable(const uint8_t *p, size_t n)
{
    size_t i;

    if (!nansen__utf8_valid(p, n))
        return 0;
    for (i = 0; i < n; i++)
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') ||
            p[i] == 0x7f)
            return 0;
    return 1;
}

static int add_string(cJSON *obj, const char *name, const uint8_t *p,
                      size_t n)
{
    char *s = cstr(p, n);
    cJSON *item = s != NULL ? cJSON_CreateString(s) : NULL;

    free(s);
    if (item == NULL)
        return 0;
    cJSON_AddItemToObject(obj, name, item);
    return 1;
}

/* {"hex": "...", "text": "..."}: text only when it is printable UTF-8. */
static cJSON *bytes_view(walk *w, const uint8_t *p, size_t n)
{
    cJSON *obj = cJSON_CreateObject();
    char *hex;

    if (obj == NULL || (hex = malloc(2 * n + 1)) == NULL)
        return oom(w, obj);
    nansen__hex_encode(hex, p, n);
    if (cJSON_AddStringToObject(obj, "hex", hex) == NULL) {
        free(hex);
        return oom(w, obj);
    }
    free(hex);
    if (n > 0 && printable(p, n) && !add_string(obj, "text", p, n))
        return oom(w, obj);
    return obj;
}

/* Decimal text of -1 - u, exact for every u (down to -2^64). */
static void nint_text(char *out, size_t cap, uint64_t u)
{
    char digits[24];
    int i;

    snprintf(digits, sizeof digits, "%llu", (unsigned long long)u);
    /* add one to the decimal digits */
    for (i = (int)strlen(digits) - 1; i >= 0; i--) {
        if (digits[i] != '9') {
            digits[i]++;
            break;
        }
        digits[i] = '0';
    }
    snprintf(out, cap, "-%s%s", i < 0 ? "1" : "", digits);
}

static cJSON *to_json(walk *w, nansen__cbr *r, unsigned depth);

static cJSON *number_or_text(walk *w, int negative, uint64_t u)
{
    char buf[32];
    cJSON *item;

    if (negative)
        nint_text(buf, sizeof buf, u);
    else
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
    /* cJSON prints doubles with 15 digits: write the exact decimal text
     * instead, as a number while a double holds it exactly. */
    if ((double)u < JSON_SAFE_INT)
        item = cJSON_CreateRaw(buf);
    else
        item = cJSON_CreateString(buf);
    return item != NULL ? item : oom(w, NULL);
}

/* The name of a map key: its decimal or text form; other keys (byte
 * strings, arrays...) are shown as their compact JSON. */
static char *key_name(walk *w, nansen__cbr *r, unsigned depth)
{
    nansen__cbr peek = *r;
    nansen__cbor_item it;
    char buf[32];
    cJSON *k;
    char *s;

    if (nansen__cbr_next(&peek, &it) != NANSEN_OK) {
        bad(w, NANSEN_ERR_MALFORMED);
        return NULL;
    }
    if (it.type == NANSEN__CBOR_TEXT) {
        *r = peek;
        if ((s = cstr(it.str, it.len)) == NULL)
            oom(w, NULL);
        return s;
    }
    if (it.type == NANSEN__CBOR_UINT || it.type == NANSEN__CBOR_NINT) {
        *r = peek;
        if (it.type == NANSEN__CBOR_UINT)
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)it.v.u);
        else
            nint_text(buf, sizeof buf, it.v.u);
        if ((s = cstr((const uint8_t *)buf, strlen(buf))) == NULL)
            oom(w, NULL);
        return s;
    }
    if ((k = to_json(w, r, depth)) == NULL)
        return NULL;
    s = cJSON_PrintUnformatted(k);
    cJSON_Delete(k);
    if (s == NULL)
        oom(w, NULL);
    return s;
}

static cJSON *to_json(walk *w, nansen__cbr *r, unsigned depth)
{
    nansen__cbor_item it;
    cJSON *out = NULL, *sub;
    uint64_t i;
    char *s;

    if (depth > NANSEN_CBOR_MAX_DEPTH)
        return bad(w, NANSEN_ERR_CBOR_TOO_DEEP);
    if (nansen__cbr_next(r, &it) != NANSEN_OK)
        return bad(w, NANSEN_ERR_MALFORMED);
    switch (it.type) {
    case NANSEN__CBOR_UINT:
        return number_or_text(w, 0, it.v.u);
    case NANSEN__CBOR_NINT:
        return number_or_text(w, 1, it.v.u);
    case NANSEN__CBOR_BYTES:
        return bytes_view(w, it.str, it.len);
    case NANSEN__CBOR_TEXT:
        if (memchr(it.str, 0, it.len) != NULL)   /* not a C string */
            return bytes_view(w, it.str, it.len);
        if ((s = cstr(it.str, it.len)) == NULL)
            return oom(w, NULL);
        out = cJSON_CreateString(s);
        free(s);
        return out != NULL ? out : oom(w, NULL);
    case NANSEN__CBOR_ARRAY:
        if ((out = cJSON_CreateArray()) == NULL)
            return oom(w, NULL);
        for (i = 0; i < it.v.u; i++) {
            if ((sub = to_json(w, r, depth + 1)) == NULL) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToArray(out, sub);
        }
        return out;
    case NANSEN__CBOR_MAP:
        if ((out = cJSON_CreateObject()) == NULL)
            return oom(w, NULL);
        for (i = 0; i < it.v.u; i++) {
            if ((s = key_name(w, r, depth + 1)) == NULL) {
                cJSON_Delete(out);
                return NULL;
            }
            if ((sub = to_json(w, r, depth + 1)) == NULL) {
                free(s);
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToObject(out, s, sub);
            free(s);
        }
        return out;
    case NANSEN__CBOR_TAG:
        if ((out = cJSON_CreateObject()) == NULL)
            return oom(w, NULL);
        if ((sub = number_or_text(w, 0, it.v.u)) == NULL) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToObject(out, "tag", sub);
        if ((sub = to_json(w, r, depth + 1)) == NULL) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToObject(out, "value", sub);
        return out;
    case NANSEN__CBOR_SIMPLE:
        if (it.v.u == 20 || it.v.u == 21)
            out = cJSON_CreateBool(it.v.u == 21);
        else if (it.v.u == 22)
            out = cJSON_CreateNull();
        else if ((out = cJSON_CreateObject()) != NULL &&
                 cJSON_AddNumberToObject(out, "simple", (double)it.v.u) ==
                     NULL)
            return oom(w, out);
        return out != NULL ? out : oom(w, NULL);
    case NANSEN__CBOR_FLOAT:
        /* JSON has no NaN or infinities */
        if (isnan(it.v.f))
            out = cJSON_CreateString("NaN");
        else if (isinf(it.v.f))
            out = cJSON_CreateString(it.v.f > 0 ? "Infinity" : "-Infinity");
        else
            out = cJSON_CreateNumber(it.v.f);
        return out != NULL ? out : oom(w, NULL);
    }
    return bad(w, NANSEN_ERR_MALFORMED);
}

/* Any complete CBOR item in [p, p+n) as JSON. */
static cJSON *item_json(walk *w, const uint8_t *p, size_t n)
{
    nansen__cbr r;

    nansen__cbr_init(&r, p, n);
    return to_json(w, &r, 0);
}

static const char *alg_name(int64_t alg)
{
    switch (alg) {
    case NANSEN_COSE_ALG_EDDSA:  return "EdDSA";
    case NANSEN_COSE_ALG_ES256K: return "ES256K";
    case -7:                     return "ES256";
    case -35:                    return "ES384";
    case -36:                    return "ES512";
    case -37:                    return "PS256";
    case -38:                    return "PS384";
    case -39:                    return "PS512";
    default:                     return NULL;
    }
}

static const char *label_name(int64_t label)
{
    switch (label) {
    case NANSEN_COSE_HDR_ALG:          return "alg";
    case NANSEN_COSE_HDR_CRIT:         return "crit";
    case NANSEN_COSE_HDR_CONTENT_TYPE: return "content_type";
    case NANSEN_COSE_HDR_KID:          return "kid";
    case NANSEN_COSE_HDR_TYP:          return "typ";
    default:                           return NULL;
    }
}

/* A header map with the known labels named. */
static cJSON *headers_json(walk *w, const uint8_t *map, size_t len)
{
    nansen__cbr r;
    size_t n, i;
    cJSON *obj = cJSON_CreateObject(), *v;

    if (obj == NULL)
        return oom(w, NULL);
    if (len == 0)
        return obj;                          /* empty protected header */
    nansen__cbr_init(&r, map, len);
    if (nansen__cbr_map(&r, &n) != NANSEN_OK) {
        cJSON_Delete(obj);
        return bad(w, NANSEN_ERR_MALFORMED);
    }
    for (i = 0; i < n; i++) {
        nansen__cbr peek = r;
        const char *name = NULL;
        int64_t label = 0;
        char *key;

        if (nansen__cbr_int(&peek, &label) == NANSEN_OK &&
            (name = label_name(label)) != NULL)
            r = peek;
        if (name != NULL) {
            int64_t alg;
            const char *an;

            peek = r;
            if (label == NANSEN_COSE_HDR_ALG &&
                nansen__cbr_int(&peek, &alg) == NANSEN_OK &&
                (an = alg_name(alg)) != NULL) {
                r = peek;
                v = cJSON_CreateString(an);
                if (v == NULL)
                    return oom(w, obj);
            } else if ((v = to_json(w, &r, 1)) == NULL) {
                cJSON_Delete(obj);
                return NULL;
            }
            cJSON_AddItemToObject(obj, name, v);
            continue;
        }
        if ((key = key_name(w, &r, 1)) == NULL) {
            cJSON_Delete(obj);
            return NULL;
        }
        if ((v = to_json(w, &r, 1)) == NULL) {
            free(key);
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, key, v);
        free(key);
    }
    return obj;
}

/* The payload as parsed JSON, only when it is exactly one JSON text that
 * cJSON prints back the same (whitespace aside): no trailing text hidden,
 * no number rounded, no escape rewritten. Else NULL, and the bytes are
 * shown instead. Failures here only choose the other view. */
static cJSON *faithful_json(const uint8_t *p, size_t n)
{
    char *src = cstr(p, n), *again = NULL;
    cJSON *v;
    int same = 0;

    if (src == NULL)
        return NULL;
    v = cJSON_ParseWithLengthOpts(src, n, NULL, 0);
    if (v != NULL && (again = cJSON_PrintUnformatted(v)) != NULL) {
        cJSON_Minify(src);                   /* drops whitespace only */
        same = strcmp(src, again) == 0;
    }
    free(again);
    free(src);
    if (!same) {
        cJSON_Delete(v);
        v = NULL;
    }
    return v;
}

/* The payload: decoded CBOR if it is one CBOR item, parsed JSON if it is
 * JSON text (faithfully shown), else its bytes. */
static cJSON *payload_json(walk *w, const uint8_t *p, size_t n)
{
    cJSON *obj = cJSON_CreateObject(), *v;

    if (obj == NULL || cJSON_AddNumberToObject(obj, "size", (double)n) == NULL)
        return oom(w, obj);
    if (n > 0 && nansen_cbor_check(p, n, LENIENT) == NANSEN_OK) {
        if ((v = item_json(w, p, n)) == NULL) {
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, "cbor", v);
        return obj;
    }
    if (n > 0 && printable(p, n) && (v = faithful_json(p, n)) != NULL) {
        cJSON_AddItemToObject(obj, "json", v);
        return obj;
    }
    if ((v = bytes_view(w, p, n)) == NULL) {
        cJSON_Delete(obj);
        return NULL;
    }
    cJSON_AddItemToObject(obj, "bytes", v);
    return obj;
}

static cJSON *cose_json(walk *w, const nansen_cose_sign1 *m)
{
    cJSON *obj = cJSON_CreateObject(), *v;

    if (obj == NULL ||
        cJSON_AddStringToObject(obj, "type", "COSE_Sign1") == NULL ||
        cJSON_AddBoolToObject(obj, "tagged", m->tagged) == NULL ||
        cJSON_AddBoolToObject(obj, "verified", 0) == NULL)
        return oom(w, obj);
    if ((v = headers_json(w, m->protected_map, m->protected_map_len)) == NULL)
        goto fail;
    cJSON_AddItemToObject(obj, "protected", v);
    if ((v = headers_json(w, m->unprotected_map, m->unprotected_map_len)) ==
        NULL)
        goto fail;
    cJSON_AddItemToObject(obj, "unprotected", v);
    if ((v = payload_json(w, m->payload, m->payload_len)) == NULL)
        goto fail;
    cJSON_AddItemToObject(obj, "payload", v);
    if ((v = bytes_view(w, m->signature, m->signature_len)) == NULL)
        goto fail;
    cJSON_AddItemToObject(obj, "signature", v);
    return obj;
fail:
    cJSON_Delete(obj);
    return NULL;
}

nansen_err nansen_inspect_json(char *out, size_t *out_len,
                               const uint8_t *in, size_t in_len)
{
    nansen_cose_verify_opts opts = {NULL, 0, NANSEN_COSE_LENIENT_CBOR};
    nansen_cose_sign1 m;
    walk w = {NANSEN_OK};
    cJSON *root = NULL, *v;
    char *text = NULL;
    size_t need;
    nansen_err err;

    ARG_CHECK(out_len != NULL);
    ARG_CHECK(in != NULL || in_len == 0);
    if ((err = nansen_cbor_check(in, in_len, LENIENT)) != NANSEN_OK)
        goto done;
    if (nansen_cose_sign1_parse(&m, in, in_len, &opts) == NANSEN_OK) {
        root = cose_json(&w, &m);
    } else if ((root = cJSON_CreateObject()) == NULL ||
               cJSON_AddStringToObject(root, "type", "CBOR") == NULL) {
        root = oom(&w, root);
    } else if ((v = item_json(&w, in, in_len)) == NULL) {
        cJSON_Delete(root);
        root = NULL;
    } else {
        cJSON_AddItemToObject(root, "value", v);
    }
    if (root == NULL) {
        err = w.err != NANSEN_OK ? w.err : NANSEN_ERR_NOMEM;
        goto done;
    }
    if ((text = cJSON_Print(root)) == NULL) {
        err = NANSEN_ERR_NOMEM;
        goto done;
    }
    need = strlen(text) + 1;
    if (!nansen__size_query(&err, out, out_len, need)) {
        memcpy(out, text, need);
        *out_len = need;
        err = NANSEN_OK;
    }
done:
    cJSON_Delete(root);
    free(text);
    if (err != NANSEN_OK && err != NANSEN_ERR_BUFFER_TOO_SMALL)
        *out_len = 0;
    return err;
}
