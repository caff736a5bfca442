/* image.c - PNG, JPEG, PGM and PPM files to 8-bit grey, from memory.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Every size is checked against NANSEN_QR_MAX_PIXELS before anything is
 * allocated for the pixels, so a tiny file declaring a huge image costs
 * nothing. libpng and libjpeg report errors through longjmp: each
 * setjmp sits in a function that keeps its state behind a pointer to the
 * caller's frame, so nothing it needs after the jump is a clobbered local.
 * Neither library may print: their warning and message hooks are silent.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>       /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "internal/internal.h"
#include "internal/image.h"

int nansen__image_size_ok(uint32_t width, uint32_t height)
{
    return width > 0 && height > 0 &&
           width <= NANSEN_QR_MAX_PIXELS / height;
}

/* ITU-R BT.601 luma, rounded; at most 255. */
static uint8_t luma(unsigned int r, unsigned int g, unsigned int b)
{
    return (uint8_t)((299u * r + 587u * g + 114u * b + 500u) / 1000u);
}

/* Grey y with coverage a (0 transparent .. 255 opaque) over white. */
static uint8_t on_white(unsigned int y, unsigned int a)
{
    return (uint8_t)((y * a + 255u * (255u - a) + 127u) / 255u);
}

/* ---- PNG ---- */

typedef struct pngd_job {
    const uint8_t *file;
    size_t len;
    size_t pos;
    uint8_t *pixels;      /* the result, width * height */
    uint8_t *rows;        /* one decoded row, or all of them if interlaced */
    uint32_t width;
    uint32_t height;
    nansen_err err;       /* a failure of ours, reported through png_error */
} pngd_job;

static void pngd_read(png_structp png, png_bytep out, size_t n)
{
    pngd_job *j = png_get_io_ptr(png);

    if (n > j->len - j->pos)
        png_error(png, "truncated");
    memcpy(out, j->file + j->pos, n);
    j->pos += n;
}

static void pngd_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void pngd_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void pngd_row_to_grey(uint8_t *out, const uint8_t *in, uint32_t w,
                            int channels)
{
    uint32_t x;

    switch (channels) {
    case 1:
        memcpy(out, in, w);
        break;
    case 2:
        for (x = 0; x < w; x++, in += 2)
            out[x] = on_white(in[0], in[1]);
        break;
    case 3:
        for (x = 0; x < w; x++, in += 3)
            out[x] = luma(in[0], in[1], in[2]);
        break;
    default:
        for (x = 0; x < w; x++, in += 4)
            out[x] = on_white(luma(in[0], in[1], in[2]), in[3]);
        break;
    }
}

/* Ancillary chunks that play no part in a grey rendering: not even
 * decompressed or checked beyond their CRC. */
static const png_byte pngd_ignored[] = {
    'i', 'C', 'C', 'P', '\0', 'i', 'T', 'X', 't', '\0',
    't', 'E', 'X', 't', '\0', 'z', 'T', 'X', 't', '\0',
    's', 'P', 'L', 'T', '\0', 'e', 'X', 'I', 'f', '\0',
    'h', 'I', 'S', 'T', '\0', 'p', 'C', 'A', 'L', '\0',
    's', 'C', 'A', 'L', '\0', 't', 'I', 'M', 'E', '\0'
};

static nansen_err pngd_run(pngd_job *j, png_structp png, png_infop info)
{
    png_uint_32 w, h, y;
    int depth, ctype, interlace, passes, pass, channels;
    size_t rowbytes;

    if (setjmp(png_jmpbuf(png)))
        return j->err != NANSEN_OK ? j->err : NANSEN_ERR_BAD_IMAGE;

    png_set_read_fn(png, j, pngd_read);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, pngd_ignored,
                                (int)(sizeof pngd_ignored / 5));
    png_read_info(png, info);
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if (!nansen__image_size_ok((uint32_t)w, (uint32_t)h))
        return NANSEN_ERR_BAD_IMAGE;

    /* palette to RGB, grey below 8 bits to 8, tRNS to alpha; 16 to 8 */
    png_set_expand(png);
    png_set_strip_16(png);
    passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    channels = png_get_channels(png, info);
    rowbytes = png_get_rowbytes(png, info);
    if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4 ||
        rowbytes != (size_t)w * (size_t)channels)
        return NANSEN_ERR_BAD_IMAGE;

    j->width = (uint32_t)w;
    j->height = (uint32_t)h;
    j->pixels = malloc((size_t)w * h);
    /* an interlaced image needs all its rows until the last pass; the
     * size fits: rowbytes * h <= 4 * NANSEN_QR_MAX_PIXELS */
    j->rows = malloc(passes > 1 ? rowbytes * h : rowbytes);
    if (j->pixels == NULL || j->rows == NULL) {
        j->err = NANSEN_ERR_NOMEM;
        return NANSEN_ERR_NOMEM;
    }
    if (passes > 1) {
        for (pass = 0; pass < passes; pass++)
            for (y = 0; y < h; y++)
                png_read_row(png, j->rows + (size_t)y * rowbytes, NULL);
        for (y = 0; y < h; y++)
            pngd_row_to_grey(j->pixels + (size_t)y * w,
                             j->rows + (size_t)y * rowbytes, (uint32_t)w,
                             channels);
    } else {
        for (y = 0; y < h; y++) {
            png_read_row(png, j->rows, NULL);
            pngd_row_to_grey(j->pixels + (size_t)y * w, j->rows,
                             (uint32_t)w, channels);
        }
    }
    /* up to IEND: a file cut after its pixels is still a corrupt file */
    png_read_end(png, NULL);
    return NANSEN_OK;
}

nansen_err nansen__image_decode_png(const uint8_t *file, size_t file_len,
                                    uint8_t **pixels, uint32_t *width,
                                    uint32_t *height)
{
    pngd_job j;
    png_structp png;
    png_infop info = NULL;
    nansen_err err;

    memset(&j, 0, sizeof j);
    j.file = file;
    j.len = file_len;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, pngd_fail,
                                 pngd_quiet);
    if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return NANSEN_ERR_NOMEM;
    }
    err = pngd_run(&j, png, info);
    png_destroy_read_struct(&png, &info, NULL);
    free(j.rows);
    if (err != NANSEN_OK) {
        free(j.pixels);
        return err;
    }
    *pixels = j.pixels;
    *width = j.width;
    *height = j.height;
    return NANSEN_OK;
}

/* ---- JPEG ---- */

/* Memory libjpeg may use: enough for a progressive 64-megapixel colour
 * image (its coefficients are held whole); past it libjpeg asks for a
 * backing store, which this build does not have, and fails. */
#define JPEG_MAX_MEMORY (768L * 1024L * 1024L)

typedef struct jpgd_job {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr jerr;
    struct jpeg_progress_mgr progress;
    jmp_buf jmp;
    int created;
    nansen_err err;       /* set before jumping, when not BAD_IMAGE */
    uint8_t *pixels;
    uint8_t *row;         /* CMYK scanline */
    uint32_t width;
    uint32_t height;
} jpgd_job;

static jpgd_job *jpgd_job_of(j_common_ptr c)
{
    /* jerr is reached from cinfo; the job holds both */
    return (jpgd_job *)((char *)c->err - offsetof(jpgd_job, jerr));
}

static void jpgd_fail(j_common_ptr c)
{
    jpgd_job *j = jpgd_job_of(c);

    if (c->err->msg_code == JERR_OUT_OF_MEMORY)
        j->err = NANSEN_ERR_NOMEM;
    longjmp(j->jmp, 1);
}

/* Level -1 is a warning. About the data (truncated, corrupt entropy
 * data, a bad progression...) libjpeg would go on with made-up pixels,
 * but a corrupt file is refused. Warnings about metadata only (an
 * unknown JFIF revision or Adobe transform code) are let pass. Other
 * levels are trace messages. */
static void jpgd_message(j_common_ptr c, int level)
{
    if (level < 0 && c->err->msg_code != JWRN_JFIF_MAJOR &&
        c->err->msg_code != JWRN_ADOBE_XFORM)
        jpgd_fail(c);
}

static void jpgd_quiet(j_common_ptr c)
{
    (void)c;
}

static void jpgd_monitor(j_common_ptr c)
{
    if (c->is_decompressor &&
        ((j_decompress_ptr)c)->input_scan_number > NANSEN__JPEG_MAX_SCANS)
        longjmp(jpgd_job_of(c)->jmp, 1);
}

static nansen_err jpgd_run(jpgd_job *j, const uint8_t *file, size_t len)
{
    struct jpeg_decompress_struct *ci = &j->cinfo;
    JSAMPROW row;
    uint32_t x;
    int cmyk, inverted;

    if (setjmp(j->jmp))
        return j->err != NANSEN_OK ? j->err : NANSEN_ERR_BAD_IMAGE;

    ci->err = jpeg_std_error(&j->jerr);
    j->jerr.error_exit = jpgd_fail;
    j->jerr.emit_message = jpgd_message;
    j->jerr.output_message = jpgd_quiet;
    jpeg_create_decompress(ci);
    j->created = 1;
    ci->mem->max_memory_to_use = JPEG_MAX_MEMORY;
    j->progress.progress_monitor = jpgd_monitor;
    ci->progress = &j->progress;
    jpeg_mem_src(ci, file, (unsigned long)len);
    if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK ||
        !nansen__image_size_ok(ci->image_width, ci->image_height))
        return NANSEN_ERR_BAD_IMAGE;

    /* libjpeg makes grey from YCbCr (Y is BT.601 luma) and from RGB, not
     * from CMYK: that is converted here */
    cmyk = ci->jpeg_color_space == JCS_CMYK ||
           ci->jpeg_color_space == JCS_YCCK;
    inverted = cmyk && ci->saw_Adobe_marker;   /* Adobe stores 255 - ink */
    ci->out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_start_decompress(ci);
    if (ci->output_width != ci->image_width ||
        ci->output_height != ci->image_height ||
        ci->output_components != (cmyk ? 4 : 1))
        return NANSEN_ERR_BAD_IMAGE;

    j->width = ci->output_width;
    j->height = ci->output_height;
    j->pixels = malloc((size_t)j->width * j->height);
    if (cmyk)
        j->row = malloc((size_t)j->width * 4);
    if (j->pixels == NULL || (cmyk && j->row == NULL)) {
        j->err = NANSEN_ERR_NOMEM;
        return NANSEN_ERR_NOMEM;
    }
    while (ci->output_scanline < ci->output_height) {
        uint8_t *out = j->pixels + (size_t)ci->output_scanline * j->width;

        row = cmyk ? j->row : out;
        if (jpeg_read_scanlines(ci, &row, 1) != 1)
            return NANSEN_ERR_BAD_IMAGE;
        if (!cmyk)
            continue;
        for (x = 0; x < j->width; x++) {
            const uint8_t *p = j->row + 4 * (size_t)x;
            unsigned int k = inverted ? p[3] : 255u - p[3];
            unsigned int c = inverted ? p[0] : 255u - p[0];
            unsigned int m = inverted ? p[1] : 255u - p[1];
            unsigned int yl = inverted ? p[2] : 255u - p[2];

            out[x] = luma(c * k / 255u, m * k / 255u, yl * k / 255u);
        }
    }
    jpeg_finish_decompress(ci);
    return NANSEN_OK;
}

nansen_err nansen__image_decode_jpeg(const uint8_t *file, size_t file_len,
                                     uint8_t **pixels, uint32_t *width,
                                     uint32_t *height)
{
    jpgd_job *j = calloc(1, sizeof *j);
    nansen_err err;

    if (j == NULL)
        return NANSEN_ERR_NOMEM;
    err = jpgd_run(j, file, file_len);
    if (j->created)
        jpeg_destroy_decompress(&j->cinfo);
    free(j->row);
    if (err == NANSEN_OK) {
        *pixels = j->pixels;
        *width = j->width;
        *height = j->height;
    } else {
        free(j->pixels);
    }
    free(j);
    return err;
}

/* ---- PGM (P5) and PPM (P6) ---- */

static int pnm_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* Skip whitespace and comments ('#' to the end of the line); 1 if at
 * least one byte was skipped, as tokens must be separated. */
static int pnm_skip(const uint8_t *p, size_t n, size_t *i)
{
    size_t start = *i;

    while (*i < n) {
        if (pnm_space(p[*i])) {
            (*i)++;
        } else if (p[*i] == '#') {
            while (*i < n && p[*i] != '\n' && p[*i] != '\r')
                (*i)++;
        } else {
            break;
        }
    }
    return *i > start;
}

/* A decimal number (digits only), at most max. */
static int pnm_uint(const uint8_t *p, size_t n, size_t *i, uint32_t max,
                    uint32_t *v)
{
    uint32_t x = 0;
    size_t start = *i;

    while (*i < n && p[*i] >= '0' && p[*i] <= '9') {
        uint32_t d = (uint32_t)(p[*i] - '0');

        if (x > (max - d) / 10)
            return 0;
        x = x * 10 + d;
        (*i)++;
    }
    if (*i == start)
        return 0;
    *v = x;
    return 1;
}

nansen_err nansen__image_decode_pnm(const uint8_t *file, size_t file_len,
                                    uint8_t **pixels, uint32_t *width,
                                    uint32_t *height)
{
    uint32_t w, h, maxval, x, y, s[3];
    unsigned int channels, bps, c;
    size_t i = 2, need;
    const uint8_t *p;
    uint8_t *out;

    if (file_len < 3 || file[0] != 'P' || (file[1] != '5' && file[1] != '6'))
        return NANSEN_ERR_BAD_IMAGE;
    channels = file[1] == '5' ? 1 : 3;
    if (!pnm_skip(file, file_len, &i) ||
        !pnm_uint(file, file_len, &i, UINT32_MAX, &w) ||
        !pnm_skip(file, file_len, &i) ||
        !pnm_uint(file, file_len, &i, UINT32_MAX, &h) ||
        !pnm_skip(file, file_len, &i) ||
        !pnm_uint(file, file_len, &i, 65535, &maxval) || maxval == 0 ||
        i >= file_len)
        return NANSEN_ERR_BAD_IMAGE;
    /* one whitespace byte ends the header; a comment right after maxval
     * ends with the line break that then counts as it (as in Netpbm) */
    if (file[i] == '#') {
        while (i < file_len && file[i] != '\n' && file[i] != '\r')
            i++;
        if (i >= file_len)
            return NANSEN_ERR_BAD_IMAGE;
    } else if (!pnm_space(file[i])) {
        return NANSEN_ERR_BAD_IMAGE;
    }
    i++;
    if (!nansen__image_size_ok(w, h))
        return NANSEN_ERR_BAD_IMAGE;
    bps = maxval < 256 ? 1 : 2;
    /* <= 6 * NANSEN_QR_MAX_PIXELS: no overflow */
    need = (size_t)w * h * channels * bps;
    if (file_len - i != need)
        return NANSEN_ERR_BAD_IMAGE;

    out = malloc((size_t)w * h);
    if (out == NULL)
        return NANSEN_ERR_NOMEM;
    p = file + i;
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            uint32_t v;

            for (c = 0; c < channels; c++) {
                s[c] = bps == 1 ? p[0] : (uint32_t)p[0] << 8 | p[1];
                p += bps;
                if (s[c] > maxval) {
                    free(out);
                    return NANSEN_ERR_BAD_IMAGE;
                }
            }
            v = channels == 1 ? s[0]
                              : (299u * s[0] + 587u * s[1] + 114u * s[2] +
                                 500u) / 1000u;
            if (maxval != 255)
                v = (v * 255u + maxval / 2) / maxval;
            out[(size_t)y * w + x] = (uint8_t)v;
        }
    }
    *pixels = out;
    *width = w;
    *height = h;
    return NANSEN_OK;
}

/* ---- dispatch ---- */

nansen_err nansen__image_decode(const uint8_t *file, size_t file_len,
                                uint8_t **pixels, uint32_t *width,
                                uint32_t *height)
{
    static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G',
                                         '\r', '\n', 0x1a, '\n'};
    nansen_err err = NANSEN_ERR_BAD_IMAGE;

    *pixels = NULL;
    *width = 0;
    *height = 0;
    if (file_len > NANSEN__IMAGE_MAX_FILE_BYTES)
        return NANSEN_ERR_BAD_IMAGE;
    if (file_len >= 8 && memcmp(file, png_magic, 8) == 0)
        err = nansen__image_decode_png(file, file_len, pixels, width,
                                       height);
    else if (file_len >= 3 && file[0] == 0xff && file[1] == 0xd8 &&
             file[2] == 0xff)
        err = nansen__image_decode_jpeg(file, file_len, pixels, width,
                                        height);
    else if (file_len >= 2 && file[0] == 'P' &&
             (file[1] == '5' || file[1] == '6'))
        err = nansen__image_decode_pnm(file, file_len, pixels, width,
                                       height);
    if (err != NANSEN_OK) {
        *pixels = NULL;
        *width = 0;
        *height = 0;
    }
    return err;
}
