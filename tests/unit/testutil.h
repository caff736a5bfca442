/* testutil.h - helpers shared by the cmocka tests.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_TESTUTIL_H
#define NANSEN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "nansen.h"

/* Decode hex (either case, even length) into a malloc'd buffer; *len gets
 * its size. Fails the test on bad hex. Free with free(). */
uint8_t *tu_hex(const char *hex, size_t *len);

/* Decode hex into a fixed buffer of exactly n bytes; fails the test if the
 * hex is not exactly 2n digits. */
void tu_hex_into(uint8_t *out, size_t n, const char *hex);

/* The published vectors folder from NANSEN_VECTORS_DIR, or NULL (after
 * printing why the test is skipped). */
const char *tu_vectors_dir(void);

/* Read a whole file into a malloc'd NUL-terminated buffer; NULL if it
 * cannot be read. */
char *tu_read_file(const char *path, size_t *len);

/* Parse <NANSEN_VECTORS_DIR>/<rel> as JSON; NULL (test skipped) when the
 * variable is unset; fails the test if the file is missing or bad. */
cJSON *tu_vector_json(const char *rel);

/* A scratch directory for files: NANSEN_TEST_TMPDIR or /tmp, plus a unique
 * subdirectory made for this process. */
const char *tu_tmpdir(void);

/* Crash safety of a file writer. save(arg, v) writes content v (0 or 1)
 * of one file, completely and atomically, and returns 0 on success; it
 * runs in a child process, so it must not use cmocka's asserts.
 * check(arg) runs in the test process after each crash and returns which
 * content the file holds (0 or 1), failing the test itself if it holds
 * neither.
 *
 * Each of `rounds` rounds writes content 0, forks a child that writes 1,
 * 0, 1, ... until it is killed with SIGKILL after a random delay (scaled
 * to the measured time of one save, so that kills land before, during and
 * after writes), then calls check. Temporary files that a killed writer
 * left beside path (path.tmp-*) are removed and counted. Fails the test
 * unless both contents were seen. Returns how many rounds left a
 * temporary file: kills that landed in the middle of a write. */
unsigned int tu_crash_rounds(const char *path, unsigned int rounds,
                             int (*save)(void *arg, int v),
                             int (*check)(void *arg), void *arg);

/* Skip the current test with a message when no vectors are available. */
#define TU_REQUIRE_VECTORS(dir)                                             \
    do {                                                                    \
        if (((dir) = tu_vectors_dir()) == NULL)                             \
            skip();                                                         \
    } while (0)

#endif /* NANSEN_TESTUTIL_H */
