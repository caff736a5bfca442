# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
"""Exceptions: one class per range of status codes (spec/status-codes.md).

    Error                    any nansen status other than NANSEN_OK
      CallerError            1-99:    a mistake in the call (bad argument)
      MalformedError         100-199: the input is not a well-formed object
      UntrustedError         200-299: well-formed, but must not be trusted
      EnvironmentFailure     300-399: memory, files, randomness (and any
                                      code this binding does not know)

Each carries .code (the int), .name ("NANSEN_ERR_EXPIRED"), .message (the
library's English description), .function (the C function that failed)
and .detail (what the binding adds, or None).

A verifier never raises for a bad grant: it returns a REJECT verdict.
"""

from ._lib import lib, text

_CLASS_CALLER = 1
_CLASS_MALFORMED = 2
_CLASS_UNTRUSTED = 3


class Error(Exception):
    """A libnansen status other than NANSEN_OK."""

    def __init__(self, code, function=None, detail=None):
        self.code = int(code)
        self.name = text(lib.nansen_err_name(self.code))
        self.message = text(lib.nansen_strerror(self.code))
        self.function = function
        self.detail = detail
        super().__init__(self.code, function, detail)

    def __str__(self):
        where = self.function + ": " if self.function else ""
        extra = " (%s)" % self.detail if self.detail else ""
        return "%s%s: %s%s" % (where, self.name, self.message, extra)

    def __repr__(self):
        return "%s(%d, %r)" % (type(self).__name__, self.code, str(self))


class CallerError(Error):
    """Status 1-99: the caller made a mistake (bad argument, no secret)."""


class MalformedError(Error):
    """Status 100-199: the input is not a well-formed object of its kind."""


class UntrustedError(Error):
    """Status 200-299: the input is well-formed but must not be trusted."""


class EnvironmentFailure(Error):
    """Status 300-399: the environment failed (memory, files, randomness).

    Not named EnvironmentError, which is Python's alias of OSError."""


def error_class(code):
    """The exception class for a status code."""
    cls = lib.nansen_err_get_class(int(code))
    if cls == _CLASS_CALLER:
        return CallerError
    if cls == _CLASS_MALFORMED:
        return MalformedError
    if cls == _CLASS_UNTRUSTED:
        return UntrustedError
    return EnvironmentFailure


def raise_for(code, function=None, detail=None):
    raise error_class(code)(code, function, detail)


def check(code, function, detail=None):
    """Raise the matching Error for a status other than NANSEN_OK."""
    if code != 0:
        raise_for(code, function, detail)
