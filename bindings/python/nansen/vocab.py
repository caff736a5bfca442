# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""The shared vocabulary: purposes, data categories, services, urgency
levels and verdict reasons, with labels in eight languages
(include/nansen/vocab.h, spec/vocab/README.md).

A kind is named "purpose", "category", "service", "urgency" or "reason"
(plurals and "data-category" are accepted too). An entry is given by its
kebab-case id ("psychosocial-support") or its integer code.
"""

import ctypes

from . import _lib
from ._lib import lib, text
from .errors import CallerError, check

_KINDS = {
    "purpose": _lib.VOCAB_PURPOSE,
    "category": _lib.VOCAB_CATEGORY,
    "service": _lib.VOCAB_SERVICE,
    "urgency": _lib.VOCAB_URGENCY,
    "reason": _lib.VOCAB_REASON,
}
_ALIASES = {
    "purposes": "purpose", "categories": "category",
    "data-category": "category", "data_category": "category",
    "data-categories": "category", "data_categories": "category",
    "services": "service", "reasons": "reason",
}

def kind_number(kind):
    """The nansen_vocab_kind of a kind name (or number)."""
    if isinstance(kind, int) and not isinstance(kind, bool):
        if kind in _KINDS.values():
            return kind
    elif isinstance(kind, str):
        name = _ALIASES.get(kind, kind)
        if name in _KINDS:
            return _KINDS[name]
    raise CallerError(_lib.ERR_INVALID_ARG, "nansen.vocab",
                      "unknown vocabulary kind %r" % (kind,))


def code(kind, id_or_code):
    """The code of an entry given by id or code (checked to exist)."""
    k = kind_number(kind)
    if isinstance(id_or_code, int) and not isinstance(id_or_code, bool):
        if 0 <= id_or_code <= 0xFFFFFFFF and \
                lib.nansen_vocab_id(k, id_or_code) is not None:
            return id_or_code
        raise CallerError(_lib.ERR_INVALID_ARG, "nansen_vocab_id",
                          "unknown %s code %d" % (_name(k), id_or_code))
    if not isinstance(id_or_code, str):
        raise TypeError("a vocabulary entry is an id (str) or a code (int), "
                        "not %s" % type(id_or_code).__name__)
    raw = id_or_code.encode("utf-8")
    out = ctypes.c_uint32(0)
    check(lib.nansen_vocab_lookup_id(k, raw, len(raw), ctypes.byref(out)),
          "nansen_vocab_lookup_id",
          "unknown %s %r" % (_name(k), id_or_code))
    return out.value


def id_of(kind, code_):
    """The id of a code, or None if the vocabulary has no such code."""
    if not 0 <= code_ <= 0xFFFFFFFF:
        return None
    return text(lib.nansen_vocab_id(kind_number(kind), code_))


def label(kind, id_or_code, lang="en"):
    """The label of an entry in a language (BCP 47 tag), falling back to
    English for a language the vocabulary lacks. For kind "reason" it is
    the speakable one-line verdict message."""
    k = kind_number(kind)
    c = code(k, id_or_code)
    out = ctypes.c_char_p()
    check(lib.nansen_vocab_label(k, c, lang.encode("utf-8"),
                                 ctypes.byref(out), None),
          "nansen_vocab_label")
    return text(out.value)


def needs_review(kind, id_or_code, lang):
    """Whether the label for lang awaits a native speaker's review."""
    k = kind_number(kind)
    return lib.nansen_vocab_needs_review(k, code(k, id_or_code),
                                         lang.encode("utf-8")) == 1


def entries(kind):
    """Every (code, id) of a kind, in vocabulary order."""
    k = kind_number(kind)
    out = []
    for i in range(lib.nansen_vocab_count(k)):
        c = ctypes.c_uint32(0)
        check(lib.nansen_vocab_code_at(k, i, ctypes.byref(c)),
              "nansen_vocab_code_at")
        out.append((c.value, text(lib.nansen_vocab_id(k, c.value))))
    return out


def languages():
    """The vocabulary's language tags, English first."""
    return [text(lib.nansen_vocab_language(i))
            for i in range(lib.nansen_vocab_language_count())]


def is_rtl(lang):
    """True for languages whose Nansen text is right-to-left (ar, fa)."""
    return lib.nansen_vocab_is_rtl(lang.encode("utf-8")) == 1


def version():
    """The version of the compiled vocabulary."""
    return lib.nansen_vocab_version()


def _name(k):
    for name, number in _KINDS.items():
        if number == k:
            return name
    return "vocabulary"
