#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: CC0-1.0
#
# The referral flow, offline, with the nansen command: an NGO, a migrant
# and two clinics make keys named by did:key; the NGO issues a referral
# credential to the migrant, with the sensitive claims hidden behind salted
# digests; the migrant consents that one clinic may see some of them, for
# one purpose and two data categories, for a week, and carries the grant
# as a QR code (a PNG, and a printable card); that clinic reads the image
# and verifies the grant (ACCEPT, showing only what was disclosed); the
# same code at another clinic, and a tampered code, are rejected with
# their reason. Then consent ends: the migrant withdraws the grant, and
# the NGO revokes a second referral in its status list; both are then
# rejected. The migrant keeps everything in an encrypted wallet, whose
# ledger lists who may see what until when; last, the phone is lost and
# the wallet comes back from two of three guardians' printed shares.
#
#   examples/demo.sh [PATH_TO_nansen]
#
# NANSEN_WRAPPER, if set, prefixes every nansen run (e.g. valgrind).
# NANSEN_DEMO_KDF, if set, is the wallet's passphrase cost (default
# interactive; minimal only for slow test runs, such as under valgrind).
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

kdf=${NANSEN_DEMO_KDF:-interactive}

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
# A phone asks for the passphrase without echo; a demo reads it from a file.
printf 'river stone lemon 1987\n' > passphrase.txt
pass=(--passphrase-file passphrase.txt)
migrant=$(nansen wallet init -w migrant.wallet --kdf "$kdf" "${pass[@]}" 2> /dev/null)
clinic=$(nansen keygen --alg secp256k1 -o clinic.key)
other=$(nansen keygen -o other-clinic.key)
echo "NGO           $ngo"
echo "migrant       $migrant"
echo "clinic        $clinic"
echo "other clinic  $other"
echo "The migrant's key lives in an encrypted wallet, migrant.wallet (Argon2id"
echo "and XChaCha20-Poly1305): it holds everything the migrant receives and gives."

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
nansen wallet import -w migrant.wallet "${pass[@]}" referral.cbor 2>&1 | indent

say "3. The migrant consents: this clinic, for treatment, language and health data, 7 days"
nansen grant -w migrant.wallet "${pass[@]}" --to "$clinic" \
    --to-name "Athens Community Clinic" --purpose treatment \
    --data language,health --disclose language,notes \
    --valid 7d --yes --qr grant.png 2> consent.txt
indent < consent.txt
echo
echo "grant.png: a QR code, $(wc -c < grant.png) bytes of PNG, signed with the migrant's"
echo "key; it carries the referral with two of its four hidden claims revealed,"
echo "and fits a phone screen (QR version 20 or less at level M, the default"
echo "budget). (A real wallet shows this notice and waits for the migrant's"
echo "yes; --lang ti, ar, fa, uk, so, fr or es show it in that language.)"

say "4. The code on the migrant's phone (here, the terminal)"
nansen qr decode grant.png > grant.txt
echo "It holds this text: $(cut -c 1-60 grant.txt)..."
echo "($(($(wc -c < grant.txt) - 1)) characters: NS1: and the grant in Base45)"
echo
nansen qr encode -i grant.txt -o - 2> /dev/null
echo
nansen card --image grant.png --lang ti -o card.svg
echo "card.svg: the same code on an A6 consent card in Tigrinya, for a migrant"
echo "without a smartphone: what was consented to, until when, and how to"
echo "withdraw."

say "5. The clinic reads the code and verifies it offline, trusting only the NGO's did:key"
if nansen verify --as "$clinic" --issuer "$ngo" --image grant.png > verdict.txt; then
    indent < verdict.txt
else
    echo "unexpected: the genuine grant was not accepted" >&2
    cat verdict.txt >&2
    exit 1
fi
nansen verify --as "$clinic" --issuer "$ngo" --image grant.png --json > verdict.json
if grep -qF -e "$risk" -e "$contact" verdict.txt verdict.json; then
    echo "unexpected: a withheld claim reached the clinic" >&2
    exit 1
fi
echo
echo "The risk flags and the caseworker's contact were withheld: the clinic"
echo "sees only salted digests. (An NGO can add decoy digests, --decoys N,"
echo "so that not even the number of hidden claims shows.)"

say "6. The same code presented at another clinic"
expect_rejected --as "$other" --issuer "$ngo" --image grant.png

say "7. A tampered code: one character of its text changed"
# The last group of three Base45 characters carries the end of the
# migrant's signature; its first character counts ones: move it by one.
text=$(cat grant.txt)
base45='0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
body=${text#*:}
at=$((${#text} - ${#body} + ${#body} - (${#body} % 3 == 0 ? 3 : 2)))
char=${text:at:1}
before=${base45%%"$char"*}
if [ ${#before} -eq 0 ]; then new=1; else new=${base45:${#before}-1:1}; fi
printf '%s%s%s\n' "${text:0:at}" "$new" "${text:at+1}" > tampered.txt
nansen qr encode -i tampered.txt -o tampered.png 2> /dev/null
echo "tampered.png: '$char' became '$new' at character $((at + 1)) of ${#text}"
expect_rejected --as "$clinic" --issuer "$ngo" --image tampered.png

say "8. The verdict for programs (nansen verify --json), in French"
nansen verify --as "$clinic" --issuer "$ngo" --image grant.png --json --lang fr | indent

say "9. Consent ends: the migrant withdraws the grant"
nansen withdraw -w migrant.wallet "${pass[@]}" -i grant.txt -o withdrawal.cbor
echo "withdrawal.cbor: $(wc -c < withdrawal.cbor) bytes, signed with the migrant's key, naming"
echo "the grant by its digest (small enough for a QR code of its own)."
nansen withdrawals add clinic.withdrawals withdrawal.cbor 2>&1 | indent
echo "The clinic scans the same code again:"
expect_rejected --as "$clinic" --issuer "$ngo" --withdrawals clinic.withdrawals \
    --image grant.png

say "10. The NGO revokes a referral in its status list"
nansen status create --uri https://helping-hands.example/status/1 -o ngo.status
nansen issue referral -k ngo.key --holder "$migrant" \
    --service primary-care --urgency routine \
    --issuer-name "Helping Hands Athens" --status-list ngo.status \
    -o referral2.cbor 2> issued.txt
idx=$(sed -n 's/.*status list index \([0-9]*\) of .*/\1/p' issued.txt)
echo "A second referral, at a random index ($idx) of the NGO's status list."
nansen grant -w migrant.wallet "${pass[@]}" --referral referral2.cbor \
    --to "$clinic" --to-name "Athens Community Clinic" \
    --purpose follow-up --data health --yes -o grant2.cbor 2> /dev/null
mkdir status-lists
nansen status sign -k ngo.key ngo.status -o status-lists/helping-hands.cwt
echo "The NGO publishes its signed list; the clinic keeps a copy, offline:"
nansen verify --as "$clinic" --issuer "$ngo" --status-dir status-lists \
    -i grant2.cbor | grep -e ACCEPT -e 'status:' | indent
nansen status set ngo.status "$idx" revoked
nansen status sign -k ngo.key ngo.status -o status-lists/helping-hands.cwt
echo "The NGO revokes the referral and publishes a newer list:"
expect_rejected --as "$clinic" --issuer "$ngo" --status-dir status-lists \
    -i grant2.cbor

say "11. The migrant's ledger: who may see what, until when"
nansen ledger -w migrant.wallet "${pass[@]}" | indent
echo "Every grant and withdrawal is hash-chained: removing or changing an"
echo "entry makes the wallet refuse to open."

say "12. The phone is lost: the wallet comes back from 2 of 3 guardians' cards"
nansen wallet export -w migrant.wallet "${pass[@]}" -o wallet-copy.nsw 2> /dev/null
mkdir guardians
nansen backup split -w migrant.wallet "${pass[@]}" -k 2 -n 3 -o guardians 2> /dev/null
echo "Before: a sealed copy of the wallet with the caseworker (wallet-copy.nsw),"
echo "and three printed cards (guardians/share-1-of-3.svg ...) for a"
echo "caseworker, a cousin and a friend. Any two open the copy; one cannot."
printf 'a new phone, a new passphrase\n' > new-passphrase.txt
if nansen backup recover -i wallet-copy.nsw -o new-phone.wallet \
    guardians/share-2-of-3.png --passphrase-file new-passphrase.txt 2> err.txt; then
    echo "unexpected: one share recovered the wallet" >&2
    exit 1
fi
echo "With one card: $(sed 's/^nansen backup recover: //' err.txt)"
nansen backup recover -i wallet-copy.nsw -o new-phone.wallet --kdf "$kdf" \
    guardians/share-1-of-3.png guardians/share-3-of-3.png \
    --passphrase-file new-passphrase.txt 2>&1 | indent
echo "The new phone's ledger, under the new passphrase:"
nansen ledger -w new-phone.wallet --passphrase-file new-passphrase.txt | tail -n 2 | indent
nansen ledger -w migrant.wallet "${pass[@]}" | tail -n 1 > old-head.txt
nansen ledger -w new-phone.wallet --passphrase-file new-passphrase.txt | tail -n 1 > new-head.txt
if ! cmp -s old-head.txt new-head.txt; then
    echo "unexpected: the recovered ledger differs" >&2
    exit 1
fi
echo "The same ledger head: nothing was lost."

say "Done: one consent accepted where it was given, refused everywhere else,"
echo "and refused everywhere once withdrawn or revoked; the migrant's record of"
echo "it survives the loss of the phone."
