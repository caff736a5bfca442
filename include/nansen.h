/* nansen.h - the whole public API of libnansen.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * Conventions shared by every module:
 *  - Functions return nansen_err (nansen/error.h); NANSEN_OK is 0.
 *  - Caller-owned output buffers come as (out, out_len): pass out == NULL to
 *    learn the size in *out_len; a buffer that is too small gives
 *    NANSEN_ERR_BUFFER_TOO_SMALL with the size needed in *out_len.
 *  - Objects the library allocates (nansen_ctx, nansen_key) come with their
 *    own free function; views such as nansen_cose_sign1 borrow the caller's
 *    input buffer and own nothing.
 *  - Nothing in the library prints, exits or reads the environment.
 */
#ifndef NANSEN_H
#define NANSEN_H

#include "nansen/common.h"
#include "nansen/error.h"
#include "nansen/version.h"
#include "nansen/ctx.h"
#include "nansen/key.h"
#include "nansen/did.h"
#include "nansen/cbor.h"
#include "nansen/cose.h"
#include "nansen/frame.h"
#include "nansen/inspect.h"
#include "nansen/vocab.h"
#include "nansen/credential.h"
#include "nansen/consent.h"
#include "nansen/verify.h"
#include "nansen/status.h"
#include "nansen/withdrawal.h"
#include "nansen/trustlist.h"
#include "nansen/qr.h"
#include "nansen/bundle.h"
#include "nansen/ledger.h"
#include "nansen/recovery.h"
#include "nansen/wallet.h"

#endif /* NANSEN_H */
