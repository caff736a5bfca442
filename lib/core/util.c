/* util.c - hex and crash-safe file I/O shared by the modules.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "internal/internal.h"

/* libsodium's hex codecs run in constant time: key files hold secrets in
 * hex, and a table lookup indexed by secret nibbles would leak them
 * through the cache. */
void nansen__hex_encode(char *out, const uint8_t *in, size_t in_len)
{
    (void)sodium_bin2hex(out, 2 * in_len + 1, in, in_len);
}

nansen_err nansen__hex_decode(uint8_t *out, size_t out_len, const char *in,
                              size_t in_len)
{
    const char *end = NULL;
    size_t got = 0;

    if (in_len != 2 * out_len)
        return NANSEN_ERR_BAD_ENCODING;
    if (sodium_hex2bin(out, out_len, in, in_len, NULL, &got, &end) != 0 ||
        got != out_len || end != in + in_len) {
        sodium_memzero(out, out_len);
        return NANSEN_ERR_BAD_ENCODING;
    }
    return NANSEN_OK;
}

nansen_err nansen__errno_status(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return NANSEN_ERR_NOT_FOUND;
    case EACCES:
    case EPERM:
    case EROFS:
        return NANSEN_ERR_PERMISSION;
    case EEXIST:
        return NANSEN_ERR_EXISTS;
    case ENOMEM:
        return NANSEN_ERR_NOMEM;
    default:
        return NANSEN_ERR_IO;
    }
}

/* The directory part of path, for the temporary file and the directory
 * fsync. Returns 0 if it does not fit. */
static int dir_of(char *dir, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n;

    if (slash == NULL) {
        if (cap < 2)
            return 0;
        memcpy(dir, ".", 2);
        return 1;
    }
    n = slash == path ? 1 : (size_t)(slash - path);
    if (n + 1 > cap)
        return 0;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return 1;
}

static nansen_err write_all(int fd, const uint8_t *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return nansen__errno_status(errno);
        }
        data += w;
        len -= (size_t)w;
    }
    return NANSEN_OK;
}

nansen_err nansen__file_write_atomic(const char *path, const uint8_t *data,
                                     size_t len, unsigned int mode,
                                     int overwrite)
{
    char dir[PATH_MAX], tmp[PATH_MAX];
    unsigned char rnd[8];
    char rnd_hex[2 * sizeof rnd + 1];
    nansen_err err;
    int fd, dfd, n;

    ARG_CHECK(path != NULL && path[0] != '\0' && (data != NULL || len == 0));
    if (!dir_of(dir, sizeof dir, path))
        return NANSEN_ERR_INVALID_ARG;
    randombytes_buf(rnd, sizeof rnd);
    nansen__hex_encode(rnd_hex, rnd, sizeof rnd);
    n = snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rnd_hex);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return NANSEN_ERR_INVALID_ARG;

    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
    if (fd < 0)
        return nansen__errno_status(errno);
    /* open() applied the umask; the caller's mode is what it asked for. */
    if (fchmod(fd, (mode_t)mode) != 0) {
        err = nansen__errno_status(errno);
        goto fail_fd;
    }
    if ((err = write_all(fd, data, len)) != NANSEN_OK)
        goto fail_fd;
    if (fsync(fd) != 0) {
        err = NANSEN_ERR_IO;
        goto fail_fd;
    }
    if (close(fd) != 0) {
        err = NANSEN_ERR_IO;
        goto fail_tmp;
    }
    if (overwrite) {
        if (rename(tmp, path) != 0) {
            err = nansen__errno_status(errno);
            goto fail_tmp;
        }
    } else {
        /* link() fails with EEXIST if the name is taken: no check-then-act
         * window in which another file could be replaced. */
        if (link(tmp, path) != 0) {
            err = nansen__errno_status(errno);
            goto fail_tmp;
        }
        (void)unlink(tmp);
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        /* The new directory entry must survive a power cut too. */
        int rc = fsync(dfd);

        (void)close(dfd);
        if (rc != 0)
            return NANSEN_ERR_IO;
    }
    return NANSEN_OK;

fail_fd:
    (void)close(fd);
fail_tmp:
    (void)unlink(tmp);
    return err;
}

nansen_err nansen__file_read_secure(const char *path, size_t max,
                                    uint8_t **out, size_t *out_len)
{
    struct stat st;
    uint8_t *buf;
    size_t len = 0;
    int fd;

    ARG_CHECK(path != NULL && out != NULL && out_len != NULL && max > 0);
    *out = NULL;
    *out_len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nansen__errno_status(errno);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        (void)close(fd);
        return NANSEN_ERR_IO;
    }
    /* One byte more than allowed tells "too long" from "exactly max". */
    if ((buf = sodium_malloc(max + 1)) == NULL) {
        (void)close(fd);
        return NANSEN_ERR_NOMEM;
    }
    while (len <= max) {
        ssize_t r = read(fd, buf + len, max + 1 - len);

        if (r < 0) {
            if (errno == EINTR)
                continue;
            sodium_free(buf);
            (void)close(fd);
            return NANSEN_ERR_IO;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    (void)close(fd);
    if (len > max) {
        sodium_free(buf);
        return NANSEN_ERR_MALFORMED;
    }
    *out = buf;
    *out_len = len;
    return NANSEN_OK;
}

void nansen__civil_date(char out[11], int64_t t)
{
    int64_t z = t / 86400 + 719468;
    int64_t era = z / 146097;                      /* z >= 0 here */
    int64_t doe = z - era * 146097;                /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int i;

    if (m <= 2)
        y++;
    for (i = 3; i >= 0; i--, y /= 10)
        out[i] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int nansen__lang_primary(char prim[9], const char *tag)
{
    size_t n = 0;

    while (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_') {
        if (n == 8)
            return 0;
        prim[n] = (tag[n] >= 'A' && tag[n] <= 'Z') ? (char)(tag[n] + 32)
                                                   : tag[n];
        n++;
    }
    prim[n] = '\0';
    if (strcmp(prim, "prs") == 0 || strcmp(prim, "pes") == 0)
        strcpy(prim, "fa");
    return 1;
}
