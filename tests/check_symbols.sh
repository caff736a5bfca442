#!/bin/sh
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
# Fails if the shared library exports any symbol without the nansen_ prefix,
# or an internal nansen__ one, or too few symbols to be the real library.
set -eu
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//')
bad=$(printf '%s\n' "$syms" | grep -v -E '^nansen_[a-z0-9]' || true)
internal=$(printf '%s\n' "$syms" | grep -E '^nansen__' || true)
count=$(printf '%s\n' "$syms" | grep -c -E '^nansen_[a-z0-9]' || true)
status=0
if [ -n "$bad" ]; then
    echo "exported symbols without the nansen_ prefix:"; printf '  %s\n' $bad; status=1
fi
if [ -n "$internal" ]; then
    echo "internal symbols exported:"; printf '  %s\n' $internal; status=1
fi
for required in nansen_strerror nansen_ctx_create nansen_key_generate \
                nansen_did_key_encode nansen_cose_sign1_sign nansen_cose_sign1_verify \
                nansen_cbor_check nansen_inspect_json; do
    if ! printf '%s\n' "$syms" | grep -qx "$required"; then
        echo "missing export: $required"; status=1
    fi
done
echo "$count nansen_* symbols exported"
exit $status
