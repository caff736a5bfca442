#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: CC0-1.0
#
# The referral flow, offline, with the nansen command: an NGO, a migrant
# and two clinics make keys named by did:key; the NGO issues a referral
# credential to the migrant, with the sensitive claims hidden behind salted
# digests; the migrant consents that one clinic may see some of them, for
# one purpose and two data categories, for a week; that clinic verifies the
# grant (ACCEPT, showing only what was disclosed); the same grant at
# another clinic, and a tampered copy, are rejected with their reason.
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
indent() { sed 's/^./   &/'; }

# Verify a grant that must be refused (exit status 1, not a crash or an
# error) and show the verdict.
expect_rejected() {
    local rc=0
    nansen verify "$@" > verdict.txt 2> err.txt || rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "unexpected: exit status $rc, wanted 1 (REJECT)" >&2
        cat verdict.txt err.txt >&2
        exit 1
    fi
    indent < verdict.txt
}

notes='Nightmares, panic at night'
risk='Self-harm thoughts in the last month'
contact='Amina H., caseworker, +30 210 000 0000'

say "1. Four parties make their own keys (no registry, no server)"
ngo=$(nansen keygen -o ngo.key)
migrant=$(nansen keygen -o migrant.key)
clinic=$(nansen keygen --alg secp256k1 -o clinic.key)
other=$(nansen keygen -o other-clinic.key)
echo "NGO           $ngo"
echo "migrant       $migrant"
echo "clinic        $clinic"
echo "other clinic  $other"

say "2. The NGO issues a referral credential to the migrant's did:key"
nansen issue referral -k ngo.key --holder "$migrant" \
    --service psychosocial-support --urgency priority \
    --claim language=ti --claim interpreter=yes \
    --claim "notes=$notes" --claim "risk=$risk" --claim "contact=$contact" \
    --issuer-name "Helping Hands Athens" --valid 30d -o referral.cbor
echo "referral.cbor: $(wc -c < referral.cbor) bytes, an SD-CWT signed by the NGO, valid 30 days."
echo "Always visible: service, urgency, interpreter need, the NGO's name."
echo "Each of language, notes, risk and contact is hidden behind a salted"
echo "digest; only the migrant holds the values, and reveals them one by one."

say "3. The migrant consents: this clinic, for treatment, language and health data, 7 days"
nansen grant -k migrant.key --referral referral.cbor --to "$clinic" \
    --to-name "Athens Community Clinic" --purpose treatment \
    --data language,health --disclose language,notes \
    --valid 7d --yes -o grant.cbor 2> consent.txt
indent < consent.txt
echo
echo "grant.cbor: $(wc -c < grant.cbor) bytes, signed with the migrant's key; it"
echo "carries the referral with two of its four hidden claims revealed."
echo "(A real wallet shows this notice and waits for the migrant's yes;"
echo " --lang ti, ar, fa, uk, so, fr or es show it in that language.)"

say "4. The clinic verifies the grant offline, trusting only the NGO's did:key"
if nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor > verdict.txt; then
    indent < verdict.txt
else
    echo "unexpected: the genuine grant was not accepted" >&2
    cat verdict.txt >&2
    exit 1
fi
nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json > verdict.json
if grep -qF -e "$risk" -e "$contact" verdict.txt verdict.json; then
    echo "unexpected: a withheld claim reached the clinic" >&2
    exit 1
fi
echo
echo "The risk flags and the caseworker's contact were withheld: the clinic"
echo "sees only salted digests. (An NGO can add decoy digests, --decoys N,"
echo "so that not even the number of hidden claims shows.)"

say "5. The same grant presented at another clinic"
expect_rejected --as "$other" --issuer "$ngo" -i grant.cbor

say "6. A tampered copy: one letter of the NGO's name changed"
cp grant.cbor tampered.cbor
offset=$(grep -abo 'Helping Hands Athens' tampered.cbor | head -n 1 | cut -d: -f1)
printf 'h' | dd of=tampered.cbor bs=1 seek="$offset" conv=notrunc 2>/dev/null
expect_rejected --as "$clinic" --issuer "$ngo" -i tampered.cbor

say "7. The verdict for programs (nansen verify --json), in French"
nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json --lang fr | indent

say "Done: one consent accepted where it was given, refused everywhere else."
