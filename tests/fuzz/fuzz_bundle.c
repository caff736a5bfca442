/* fuzz_bundle.c - nansen_bundle_import on any input.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The import runs against the fixed governance key below into an empty
 * temporary clinic (trust list file, status directory, withdrawal store).
 * For every input it must answer, never crash, leak or read out of
 * bounds, and:
 *  - a refused bundle writes nothing (all checks precede any write): the
 *    clinic stays empty;
 *  - an accepted one writes the trust list, one file per status list and
 *    the store file (absent before, so created even when empty), as its
 *    summary says.
 * The clinic is emptied after every input, so runs do not depend on each
 * other.
 *
 * The seeds (tests/fuzz/corpus/fuzz_bundle/) are bundles signed with the
 * governance key of fuzz_trustlist.c (all bytes 0x47).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GOV_ED_BYTE 0x47

static nansen_ctx *ctx;
static nansen_key *gov;
static char root[64], tl[96], st[96], wd[96];

#define must(cond) must_at((cond), #cond, __LINE__)
static void must_at(int ok, const char *what, int line)
{
    if (!ok) {
        fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, line, what);
        abort();
    }
}

static void init(void)
{
    uint8_t secret[NANSEN_SECRET_BYTES];

    must((ctx = nansen_ctx_create(0)) != NULL);
    memset(secret, GOV_ED_BYTE, sizeof secret);
    must(nansen_key_from_secret(ctx, &gov, NANSEN_KEY_ED25519, secret) ==
         NANSEN_OK);
    snprintf(root, sizeof root, "/tmp/nansen-fuzz-bundle-XXXXXX");
    must(mkdtemp(root) != NULL);
    snprintf(tl, sizeof tl, "%s/tl", root);
    snprintf(st, sizeof st, "%s/st", root);
    snprintf(wd, sizeof wd, "%s/wd", root);
    must(mkdir(st, 0700) == 0);
}

/* Remove every file in the status directory; return how many. */
static size_t empty_status_dir(void)
{
    DIR *d = opendir(st);
    struct dirent *de;
    char path[400];
    size_t n = 0;

    must(d != NULL);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", st, de->d_name);
        must(unlink(path) == 0);
        n++;
    }
    closedir(d);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nansen_bundle_paths paths;
    nansen_bundle_summary sum;
    nansen_err err;
    int had_tl, had_wd;

    if (ctx == NULL)
        init();
    paths.trustlist_file = tl;
    paths.status_dir = st;
    paths.withdrawals_file = wd;
    err = nansen_bundle_import(ctx, gov, data, size, &paths, &sum);
    had_tl = unlink(tl) == 0;
    had_wd = unlink(wd) == 0;
    if (err != NANSEN_OK) {
        must(!had_tl && !had_wd && empty_status_dir() == 0);
        must(sum.status_lists == 0 && sum.trustlist_written == 0);
    } else {
        must(had_tl && sum.trustlist_written == 1);
        must(had_wd);   /* absent before: created, even empty */
        must(sum.status_written == sum.status_lists);
        must(empty_status_dir() == sum.status_written);
        must(sum.iat > 0);
    }
    return 0;
}
