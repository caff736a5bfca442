/* fuzz_inspect.c - nansen_inspect_json on any input: never a crash, and
 * the output is always valid JSON of the size announced.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "nansen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[1 << 16];
    size_t need = 0, n = sizeof out;
    nansen_err err = nansen_inspect_json(NULL, &need, data, size);
    nansen_err err2 = nansen_inspect_json(out, &n, data, size);
    cJSON *j;

    if (err != NANSEN_OK) {
        if (err2 != err || n != 0)
            abort();
        return 0;
    }
    if (need > sizeof out) {
        if (err2 != NANSEN_ERR_BUFFER_TOO_SMALL || n != need)
            abort();
        return 0;
    }
    if (err2 != NANSEN_OK || n != need || strlen(out) + 1 != n)
        abort();
    if ((j = cJSON_Parse(out)) == NULL)
        abort();
    cJSON_Delete(j);
    return 0;
}
