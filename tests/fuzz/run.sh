#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# Run every fuzz target for a bounded time on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>/), so that the tree is never changed.
#   tests/fuzz/run.sh BUILD_DIR_WITH_FUZZ_BINARIES
# FUZZ_SECONDS (default 30) bounds each target.
set -euo pipefail
bin_dir=$(cd "$1" && pwd)
seconds=${FUZZ_SECONDS:-30}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
for src in "$here"/fuzz_*.c; do
    name=$(basename "$src" .c)
    exe="$bin_dir/$name"
    if [ ! -x "$exe" ]; then
        echo "fuzz: $name was not built" >&2
        failed=$((failed + 1))
        continue
    fi
    mkdir -p "$work/$name"
    if [ -d "$here/corpus/$name" ]; then
        cp -r "$here/corpus/$name/." "$work/$name/"
    fi
    echo "== fuzz $name for ${seconds}s"
    if (cd "$work" && "$exe" -max_total_time="$seconds" -timeout=10 -max_len=10000 \
            -rss_limit_mb=2048 -print_final_stats=1 "$work/$name" \
            >"$work/$name.log" 2>&1); then
        grep -E '^(stat::number_of_executed_runs|Done )' "$work/$name.log" || true
        passed=$((passed + 1))
    else
        tail -n 60 "$work/$name.log"
        echo "fuzz: $name FAILED" >&2
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
