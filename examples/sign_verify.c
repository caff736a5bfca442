/* sign_verify.c - an NGO signs a referral; a clinic verifies it offline.
 *
 * SPDX-License-Identifier: CC0-1.0
 * To the extent possible under law, the Nansen Authors have waived all
 * copyright and related rights to this example program.
 *
 * Build against an installed libnansen:
 *   cc sign_verify.c $(pkg-config --cflags --libs nansen)
 * or with CMake: find_package(nansen) and nansen::nansen (CMakeLists.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nansen.h>

static int check(nansen_err err, const char *what)
{
    if (err != NANSEN_OK) {
        fprintf(stderr, "%s: %s\n", what, nansen_strerror(err));
        return 0;
    }
    return 1;
}

int main(void)
{
    static const char referral[] =
        "{\"type\":\"referral\",\"service\":\"psychosocial-support\","
        "\"urgency\":\"priority\",\"interpreter\":\"ti\"}";
    nansen_ctx *ctx = nansen_ctx_create(NANSEN_CTX_DEFAULT);
    nansen_key *ngo = NULL, *ngo_public = NULL;
    nansen_cose_sign1_params params;
    nansen_cose_sign1 view;
    uint8_t kid[NANSEN_KEY_ID_BYTES];
    char did[NANSEN_DID_MAX_BYTES];
    size_t did_len = sizeof did, msg_len = 0;
    uint8_t *msg = NULL;
    nansen_err err;
    int status = EXIT_FAILURE;

    if (ctx == NULL) {
        fprintf(stderr, "cannot initialise libnansen\n");
        return EXIT_FAILURE;
    }
    printf("libnansen %s\n", nansen_version_string());

    /* The NGO's key, named by its did:key. */
    if (!check(nansen_key_generate(ctx, &ngo, NANSEN_KEY_ED25519), "keygen") ||
        !check(nansen_key_did(ngo, did, &did_len), "did") ||
        !check(nansen_key_id(ngo, kid), "key id"))
        goto out;
    printf("NGO: %s\n", did);

    /* Sign: ask for the size, then sign into a buffer of that size. */
    memset(&params, 0, sizeof params);
    params.kid = kid;
    params.kid_len = sizeof kid;
    if (!check(nansen_cose_sign1_sign(ctx, NULL, &msg_len, ngo, &params,
                                      (const uint8_t *)referral,
                                      strlen(referral), NULL, 0), "size"))
        goto out;
    if ((msg = malloc(msg_len)) == NULL ||
        !check(nansen_cose_sign1_sign(ctx, msg, &msg_len, ngo, &params,
                                      (const uint8_t *)referral,
                                      strlen(referral), NULL, 0), "sign"))
        goto out;
    printf("signed referral: %zu bytes\n", msg_len);

    /* The clinic knows only the did:key: it makes a public key from it. */
    if (!check(nansen_key_from_did(ctx, &ngo_public, did, strlen(did)),
               "key from did"))
        goto out;
    err = nansen_cose_sign1_verify(ctx, &view, ngo_public, msg, msg_len,
                                   NULL, 0, NULL);
    if (!check(err, "verify"))
        goto out;
    printf("verified: %.*s\n", (int)view.payload_len,
           (const char *)view.payload);

    /* Any change is caught. */
    msg[msg_len / 2] ^= 0x01;
    err = nansen_cose_sign1_verify(ctx, NULL, ngo_public, msg, msg_len, NULL,
                                   0, NULL);
    if (err == NANSEN_OK) {
        fprintf(stderr, "a tampered message verified\n");
        goto out;
    }
    printf("tampered copy rejected: %s\n", nansen_strerror(err));
    status = EXIT_SUCCESS;
out:
    free(msg);
    nansen_key_free(ngo_public);
    nansen_key_free(ngo);
    nansen_ctx_destroy(ctx);
    return status;
}
