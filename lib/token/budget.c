/* budget.c - the QR budget a referral or grant must fit.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * A token that will not scan is refused when it is made, with the QR
 * version it would need, rather than discovered at a clinic's door.
 */
#include "internal/internal.h"
#include "internal/token.h"

nansen_err nansen__budget_valid(const nansen_qr_budget *b)
{
    if (!(b->max_version == -1 ||
          (b->max_version >= 0 && b->max_version <= 40)))
        return NANSEN_ERR_INVALID_ARG;
    if (!(b->ecc == 0 || (b->ecc >= NANSEN_QR_ECC_L &&
                          b->ecc <= NANSEN_QR_ECC_H)))
        return NANSEN_ERR_INVALID_ARG;
    return NANSEN_OK;
}

nansen_err nansen__budget_check(const nansen_qr_budget *b,
                                const uint8_t *token, size_t len)
{
    int max = b->max_version == 0 ? NANSEN_QR_DEFAULT_VERSION
                                  : b->max_version;
    nansen_qr_ecc ecc = b->ecc == 0 ? NANSEN_QR_DEFAULT_ECC : b->ecc;
    int version = 41;
    nansen_err err;

    if (max == -1 && b->needed == NULL)
        return NANSEN_OK;
    err = nansen_qr_version_of_token(token, len, ecc, &version);
    if (err == NANSEN_ERR_QR_BUDGET)
        version = 41;
    else if (err != NANSEN_OK)
        return err;
    if (b->needed != NULL)
        *b->needed = version;
    return max != -1 && version > max ? NANSEN_ERR_QR_BUDGET : NANSEN_OK;
}
