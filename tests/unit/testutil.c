/* testutil.c - helpers shared by the cmocka tests.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The only place in the project that reads the environment (the tests'
 * vector folder and scratch directory); lib/ never does.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

#include "testutil.h"

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

uint8_t *tu_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex), i;
    uint8_t *out;

    assert_int_equal(n % 2, 0);
    out = malloc(n / 2 + 1);      /* +1: never malloc(0) */
    assert_non_null(out);
    for (i = 0; i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

        assert_true(hi >= 0 && lo >= 0);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return out;
}

void tu_hex_into(uint8_t *out, size_t n, const char *hex)
{
    size_t len;
    uint8_t *b = tu_hex(hex, &len);

    assert_int_equal(len, n);
    memcpy(out, b, n);
    free(b);
}

const char *tu_vectors_dir(void)
{
    const char *d = getenv("NANSEN_VECTORS_DIR");

    if (d == NULL || d[0] == '\0') {
        print_message("NANSEN_VECTORS_DIR is unset: skipping published "
                      "vector test\n");
        return NULL;
    }
    return d;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

cJSON *tu_vector_json(const char *rel)
{
    const char *dir = tu_vectors_dir();
    char path[4096];
    char *text;
    cJSON *json;

    if (dir == NULL)
        return NULL;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    text = tu_read_file(path, NULL);
    if (text == NULL)
        fail_msg("cannot read vector file %s", path);
    json = cJSON_Parse(text);
    free(text);
    if (json == NULL)
        fail_msg("vector file %s is not JSON", path);
    return json;
}

const char *tu_tmpdir(void)
{
    static char dir[4096];
    const char *base;

    if (dir[0] != '\0')
        return dir;
    base = getenv("NANSEN_TEST_TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    (void)mkdir(base, 0700);
    snprintf(dir, sizeof dir, "%s/nansen-test-%ld", base, (long)getpid());
    (void)mkdir(dir, 0700);
    return dir;
}

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Remove path.tmp-* (what a killed atomic writer leaves); returns how
 * many there were. */
static unsigned int remove_temp_files(const char *path)
{
    char dir[4096], prefix[512], full[4700];
    const char *slash = strrchr(path, '/');
    unsigned int n = 0;
    struct dirent *e;
    DIR *d;

    assert_non_null(slash);
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    snprintf(prefix, sizeof prefix, "%s.tmp-", slash + 1);
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        assert_int_equal(unlink(full), 0);
        n++;
    }
    closedir(d);
    return n;
}

unsigned int tu_crash_rounds(const char *path, unsigned int rounds,
                             int (*save)(void *arg, int v),
                             int (*check)(void *arg), void *arg)
{
    unsigned int seen[2] = {0, 0}, torn = 0, r, i;
    double t0, per_save;
    uint32_t max_delay;

    /* How long one save takes here (tmpfs, disk, a sanitizer...). */
    t0 = now_us();
    for (i = 0; i < 8; i++)
        assert_int_equal(save(arg, (int)(i % 2)), 0);
    per_save = (now_us() - t0) / 8;
    max_delay = (uint32_t)(per_save * 6) + 200;

    for (r = 0; r < rounds; r++) {
        struct timespec ts;
        uint32_t delay;
        int status, v;
        pid_t pid;

        assert_int_equal(save(arg, 0), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            for (i = 1;; i++)
                if (save(arg, (int)(i % 2)) != 0)
                    _exit(3);
        }
        delay = randombytes_uniform(max_delay);
        ts.tv_sec = delay / 1000000;
        ts.tv_nsec = (long)(delay % 1000000) * 1000;
        nanosleep(&ts, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* killed, not failed */
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        v = check(arg);
        assert_true(v == 0 || v == 1);
        seen[v]++;
        if (remove_temp_files(path) > 0)
            torn++;
    }
    print_message("    %u crashes: old content %u, new %u, "
                  "killed mid-write %u (max delay %u us)\n",
                  rounds, seen[0], seen[1], torn, (unsigned)max_delay);
    assert_true(seen[0] > 0 && seen[1] > 0);
    return torn;
}
