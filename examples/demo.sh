#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: CC0-1.0
#
# The referral flow as far as it goes today: an NGO, a migrant and a clinic
# get keys named by did:key; the NGO signs a referral credential as a
# COSE_Sign1; the clinic verifies it offline with nothing but the NGO's
# did:key; a tampered copy and a wrong signer are both rejected with their
# reason.
#
#   examples/demo.sh [PATH_TO_nansen]
#
# NANSEN_WRAPPER, if set, prefixes every nansen run (e.g. valgrind).
set -euo pipefail

nansen_bin=${1:-nansen}
# A path given relative to the caller stays valid after the cd below.
case $nansen_bin in
*/*) nansen_bin=$(cd "$(dirname "$nansen_bin")" && pwd)/$(basename "$nansen_bin") ;;
esac
# shellcheck disable=SC2086
nansen() { ${NANSEN_WRAPPER:-} "$nansen_bin" "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

say() { printf '\n== %s\n' "$*"; }

# Run a verification that must be refused as "not valid" (exit status 1,
# not a crash or an error) and show the reason it gives.
expect_rejected() {
    local rc=0
    nansen cose verify "$@" 2> reason.txt >/dev/null || rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "unexpected: exit status $rc, wanted 1 (not valid)" >&2
        cat reason.txt >&2
        exit 1
    fi
    echo "REJECTED: $(cat reason.txt)"
}

say "1. Three parties make their own keys (no registry, no server)"
ngo=$(nansen keygen -o ngo.key)
migrant=$(nansen keygen -o migrant.key)
clinic=$(nansen keygen --alg secp256k1 -o clinic.key)
echo "NGO      $ngo"
echo "migrant  $migrant"
echo "clinic   $clinic"

say "2. The NGO caseworker signs a referral for the migrant"
cat > referral.json <<JSON
{"type":"referral","service":"psychosocial-support","urgency":"priority","interpreter":"ti","subject":"$migrant","audience":"$clinic"}
JSON
# --kid-did names the signer inside the token; --typ says what it is.
nansen cose sign -k ngo.key --kid-did --typ application/vnd.nansen.referral+json \
    --content-type application/json -i referral.json -o referral.cose
echo "referral.cose: $(wc -c < referral.cose) bytes, a COSE_Sign1 signed with EdDSA"

say "3. The clinic verifies it offline, knowing only the NGO's did:key"
if payload=$(nansen cose verify --did "$ngo" -i referral.cose); then
    echo "VALID: $payload"
else
    echo "unexpected: the genuine referral did not verify" >&2
    exit 1
fi

say "4. What the token holds (nothing here is trusted until verified)"
nansen inspect -i referral.cose

say "5. A tampered copy: one byte of the payload changed"
cp referral.cose tampered.cose
# The payload text sits in the middle of the message: change one letter.
offset=$(grep -abo 'priority' tampered.cose | head -n 1 | cut -d: -f1)
printf 'P' | dd of=tampered.cose bs=1 seek="$offset" conv=notrunc 2>/dev/null
expect_rejected --did "$ngo" -i tampered.cose

say "6. The same referral checked against another signer (the migrant)"
expect_rejected --did "$migrant" -i referral.cose

say "Done: one genuine referral accepted, two forgeries rejected."
