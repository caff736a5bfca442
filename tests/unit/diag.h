/* diag.h - CBOR extended diagnostic notation for tests and test vectors.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Renders one CBOR data item in the diagnostic notation of RFC 8949
 * section 8 with the extensions of RFC 8610 appendix G: h'...' byte
 * strings, <<...>> for a byte string holding an encoded item, and
 * comments written / like this /. The output is a pure function of the
 * input bytes and of what the caller's rule answers, so it can be
 * compared byte for byte with a published file.
 *
 * Layout: every array element and map entry on its own line, indented by
 * two spaces per level; [] and {} when empty; a tag N(...) and an
 * embedded item <<...>> open on the line of the item that holds them.
 * Text strings are escaped as in JSON (\" \\ \b \f \n \r \t, \u00XX for
 * the other C0 controls and DEL); every other character, UTF-8 included,
 * is written as is. Integers are decimal; simple values are false, true,
 * null, undefined or simple(N); floats use the shortest decimal form that
 * reads back to the same double (NaN, Infinity, -Infinity).
 *
 * The caller decides, item by item, which byte strings to show as
 * embedded CBOR and which comments to write, through a rule function
 * called once for each item that is not a map key (map keys are rendered
 * plainly). Contexts are the caller's own small integers: the rule gives
 * each item a context, and receives its parent's with each child, so a
 * rule is a switch over (parent context, key or index).
 */
#ifndef NANSEN_TEST_DIAG_H
#define NANSEN_TEST_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "internal/cbor.h"

/* Where an item sits. */
typedef enum diag_kind {
    DIAG_ROOT = 0,       /* the item rendered */
    DIAG_ELEMENT = 1,    /* an array element: index */
    DIAG_VALUE = 2,      /* a map value: key, index (of the pair) */
    DIAG_TAGGED = 3,     /* the content of a tag */
    DIAG_EMBEDDED = 4    /* the item inside a byte string shown as << >> */
} diag_kind;

typedef struct diag_pos {
    diag_kind kind;
    int parent;                     /* the context the rule gave the
                                       enclosing item (0 at the root) */
    size_t index;                   /* DIAG_ELEMENT, DIAG_VALUE */
    const nansen__cbor_item *key;   /* DIAG_VALUE: the key's head (with
                                       its content for strings); else NULL */
    const nansen__cbor_item *item;  /* the item's head (with its content
                                       for strings) */
} diag_pos;

/* What the rule answers; all zero by default. Comments are non-empty and
 * contain no '/' (it would end them) and no line break; they are copied at
 * once, so a rule may return text from a static buffer. For a tag's
 * content and an embedded item, above and before are both written inline
 * before the item. */
typedef struct diag_hint {
    int ctx;                 /* the item's context, given to its children */
    int embed;               /* a byte string: show its content as <<...>>
                                if it is exactly one well-formed,
                                deterministic CBOR item (else h'...') */
    const char *above;       /* comment on its own line before the entry */
    const char *before;      /* comment before the entry (a map entry: before
                                its key) */
    const char *after;       /* comment after the entry (after its comma) */
} diag_hint;

typedef void (*diag_rule)(void *arg, const diag_pos *pos, diag_hint *hint);

/* Render cbor[0..len), exactly one deterministic CBOR item
 * (nansen_cbor_check with no flags), ending with a newline. rule may be
 * NULL (no comments, nothing embedded).
 * Returns a malloc'd NUL-terminated string, or NULL if the input is not
 * one deterministic item, a comment is invalid, nesting exceeds 64 levels
 * (embedded items included) or memory runs out. */
char *diag_render(const uint8_t *cbor, size_t len, diag_rule rule,
                  void *arg);

#endif /* NANSEN_TEST_DIAG_H */
