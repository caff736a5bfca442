#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of the migrant's wallet: nansen wallet, ledger, backup,
# and grant/withdraw -w, with real keys and files.
#   tests/cli/test_wallet.sh PATH_TO_nansen
# NANSEN_WRAPPER, if set, prefixes every run (e.g. valgrind).
set -u

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2

passed=0
failed=0
# shellcheck disable=SC2086
nansen() { ${NANSEN_WRAPPER:-} "$bin" "$@"; }

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect STATUS DESCRIPTION -- COMMAND...: the command's exit status
expect() {
    local want=$1 what=$2 rc=0
    shift 3
    "$@" > out.txt 2> err.txt < /dev/null || rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, wanted $want"; sed 's/^/    /' err.txt >&2
    fi
}

has() { grep -qF -- "$3" "$2" && ok || { bad "$1: '$3' not in $2"; sed 's/^/    /' "$2" >&2; }; }
lacks() { grep -qaF -- "$3" "$2" && bad "$1: '$3' in $2" || ok; }
same() { cmp -s "$2" "$3" && ok || bad "$1: $2 changed"; }

printf 'first passphrase\n' > pass1
printf 'second passphrase\n' > pass2
printf 'first passphrase\nsecond passphrase\n' > pass12
printf 'wrong passphrase\n' > wrong
: > empty
p1=(--passphrase-file pass1)
p2=(--passphrase-file pass2)

# --- the parties
ngo=$(nansen keygen -o ngo.key) || bad "keygen ngo"
clinic=$(nansen keygen --alg secp256k1 -o clinic.key) || bad "keygen clinic"
migrant=$(nansen keygen -o migrant.key) || bad "keygen migrant"

# --- wallet init
expect 2 "init without -w" -- nansen wallet init "${p1[@]}"
expect 2 "init with both -k and --generate" -- nansen wallet init -w w.nsw -k migrant.key --generate ed25519 "${p1[@]}"
expect 2 "init with a bad --kdf" -- nansen wallet init -w w.nsw --kdf strong "${p1[@]}"
expect 2 "init without a terminal or passphrase file" -- nansen wallet init -w w.nsw --kdf minimal
has "no terminal" err.txt "--passphrase-file"
[ ! -e w.nsw ] && ok || bad "nothing written without a passphrase"
expect 2 "init with an empty passphrase file" -- nansen wallet init -w w.nsw --kdf minimal --passphrase-file empty
expect 2 "passphrase on the command line is not an option" -- nansen wallet init -w w.nsw --passphrase secret
expect 0 "init with the migrant's key" -- nansen wallet init -w w.nsw -k migrant.key --label "phone 2026" --kdf minimal "${p1[@]}"
is_did=$(cat out.txt)
[ "$is_did" = "$migrant" ] && ok || bad "init prints the key's did:key"
[ "$(stat -c %a w.nsw)" = 600 ] && ok || bad "wallet mode 0600"
lacks "no secret in the file" w.nsw "phone 2026"
expect 2 "init over an existing wallet" -- nansen wallet init -w w.nsw --kdf minimal "${p1[@]}"
has "kept" err.txt "exists"
expect 0 "init of a second wallet with a new key" -- nansen wallet init -w other.nsw --generate secp256k1 --kdf minimal "${p2[@]}"
case $(cat out.txt) in did:key:zQ3s*) ok ;; *) bad "secp256k1 did:key" ;; esac

# --- wallet info
expect 0 "info" -- nansen wallet info -w w.nsw "${p1[@]}"
has "format" out.txt "wallet format 1"
has "kdf" out.txt "Argon2id, 1 pass, 8 KiB"
has "key listed" out.txt "$migrant  phone 2026 (ed25519"
has "ledger empty" out.txt "ledger:      0 entries"
cp w.nsw before.nsw
expect 1 "info with a wrong passphrase" -- nansen wallet info -w w.nsw --passphrase-file wrong
has "wrong passphrase said" err.txt "wrong passphrase"
has "header shown before" out.txt "wallet id:"
same "wrong passphrase leaves the file" w.nsw before.nsw
expect 2 "both passphrase sources" -- nansen wallet info -w w.nsw --passphrase-file pass1 --passphrase-fd 0
expect 0 "passphrase from a file descriptor" -- nansen wallet info -w w.nsw --passphrase-fd 3 3< pass1
# damaged, truncated, newer: each refused, the file untouched
cp w.nsw bad.nsw
printf '\x01' | dd of=bad.nsw bs=1 seek=200 conv=notrunc 2> /dev/null
cp bad.nsw bad-before.nsw
expect 1 "a flipped byte" -- nansen wallet info -w bad.nsw "${p1[@]}"
has "damaged" err.txt "damaged"
same "damaged file untouched" bad.nsw bad-before.nsw
head -c 300 w.nsw > short.nsw
expect 1 "a truncated file" -- nansen wallet info -w short.nsw "${p1[@]}"
has "truncated" err.txt "truncated"
cp w.nsw newer.nsw
printf '\x00\x02\xff\xfd' | dd of=newer.nsw bs=1 seek=8 conv=notrunc 2> /dev/null
expect 1 "a newer version" -- nansen wallet info -w newer.nsw "${p1[@]}"
has "newer version" err.txt "newer version"
expect 1 "not a wallet" -- nansen wallet info -w migrant.key "${p1[@]}"

# --- the NGO issues; the migrant imports and grants from the wallet
expect 0 "issue referral" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service psychosocial-support --urgency priority --claim language=ti \
    --claim interpreter=yes --claim "notes=Nightmares since the crossing" -o ref.cbor
expect 0 "wallet import the referral" -- nansen wallet import -w w.nsw ref.cbor "${p1[@]}"
has "referral added" err.txt "referral added"
expect 0 "import again" -- nansen wallet import -w w.nsw ref.cbor "${p1[@]}"
has "already in" err.txt "already in the wallet"
cp w.nsw before.nsw
expect 1 "import a file that is no token" -- nansen wallet import -w w.nsw ngo.key "${p1[@]}"
same "refused import leaves the wallet" w.nsw before.nsw
expect 2 "grant with -k and -w" -- nansen grant -k migrant.key -w w.nsw --to "$clinic" \
    --purpose treatment --data language,health --yes "${p1[@]}" -o g.cbor
expect 0 "grant from the wallet" -- nansen grant -w w.nsw "${p1[@]}" --to "$clinic" \
    --to-name "Athens Community Clinic" --purpose treatment --data language,health \
    --disclose language --yes -o grant.cbor
[ -s grant.cbor ] && ok || bad "grant written"
expect 0 "the grant verifies" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor
expect 2 "grant with a wrong passphrase" -- nansen grant -w w.nsw --passphrase-file wrong \
    --to "$clinic" --purpose treatment --data language --yes -o g2.cbor
[ ! -e g2.cbor ] && ok || bad "no grant without the wallet"
expect 2 "grant from a wallet without the holder's key" -- nansen grant -w other.nsw "${p2[@]}" \
    --referral ref.cbor --to "$clinic" --purpose treatment --data language --yes -o g3.cbor
has "no key" err.txt "holds no key"
expect 0 "ledger" -- nansen ledger -w w.nsw "${p1[@]}"
has "ledger names the clinic" out.txt "Athens Community Clinic"
has "ledger head" out.txt "ledger: 1 entry"
head1=$(sed -n 's/^head: //p' out.txt)

# --- withdraw from the wallet
expect 0 "withdraw from the wallet" -- nansen withdraw -w w.nsw "${p1[@]}" -i grant.cbor -o wd.cbor
[ -s wd.cbor ] && ok || bad "withdrawal written"
expect 0 "withdrawals add" -- nansen withdrawals add store.wd wd.cbor
expect 1 "the grant is now withdrawn" -- nansen verify --as "$clinic" --issuer "$ngo" \
    --withdrawals store.wd -i grant.cbor
expect 0 "ledger after the withdrawal" -- nansen ledger -w w.nsw "${p1[@]}"
has "two entries" out.txt "ledger: 2 entries"
expect 0 "ledger in French" -- nansen ledger -w w.nsw "${p1[@]}" --lang fr
expect 2 "withdraw with a wallet without the key" -- nansen withdraw -w other.nsw "${p2[@]}" -i grant.cbor -o wd2.cbor
expect 0 "info counts" -- nansen wallet info -w w.nsw "${p1[@]}"
has "one referral" out.txt "referrals:   1"
has "one grant" out.txt "grants:      1"
has "one withdrawal" out.txt "withdrawals: 1"
has "two ledger entries" out.txt "ledger:      2 entries"

# --- passwd
expect 0 "passwd" -- nansen wallet passwd -w w.nsw --passphrase-file pass12
expect 1 "old passphrase no longer opens" -- nansen wallet info -w w.nsw "${p1[@]}"
expect 0 "new passphrase opens" -- nansen wallet info -w w.nsw "${p2[@]}"
has "still two entries" out.txt "ledger:      2 entries"
cp w.nsw before.nsw
expect 1 "passwd with a wrong current passphrase" -- nansen wallet passwd -w w.nsw --passphrase-file pass12
same "refused passwd leaves the wallet" w.nsw before.nsw
expect 2 "passwd without a new passphrase" -- nansen wallet passwd -w w.nsw "${p2[@]}"
same "passwd without new leaves the wallet" w.nsw before.nsw

# --- export, backup split, recover
expect 0 "export" -- nansen wallet export -w w.nsw -o copy.nsw "${p2[@]}"
expect 0 "the copy opens" -- nansen wallet info -w copy.nsw "${p2[@]}"
expect 2 "export over a file" -- nansen wallet export -w w.nsw -o copy.nsw "${p2[@]}"
mkdir shares
expect 2 "split with k > n" -- nansen backup split -w w.nsw -k 4 -n 3 -o shares "${p2[@]}"
expect 2 "split with k = 1" -- nansen backup split -w w.nsw -k 1 -n 3 -o shares "${p2[@]}"
expect 0 "split 2 of 3" -- nansen backup split -w w.nsw -k 2 -n 3 -o shares "${p2[@]}"
for i in 1 2 3; do
    [ -s "shares/share-$i-of-3.svg" ] && [ -s "shares/share-$i-of-3.png" ] && ok ||
        bad "share $i written"
done
has "card text" shares/share-1-of-3.svg "of 3"
expect 0 "recover from two cards' pictures" -- nansen backup recover -i copy.nsw -o rec.nsw \
    shares/share-1-of-3.png shares/share-3-of-3.png --kdf minimal --passphrase-file pass1
expect 0 "the recovered wallet opens with its new passphrase" -- nansen ledger -w rec.nsw "${p1[@]}"
has "recovered ledger" out.txt "ledger: 2 entries"
expect 1 "one share is not enough" -- nansen backup recover -i copy.nsw -o rec2.nsw \
    shares/share-2-of-3.png "${p1[@]}"
has "not enough" err.txt "not enough shares"
[ ! -e rec2.nsw ] && ok || bad "nothing written without enough shares"
mkdir shares2
expect 0 "a second split" -- nansen backup split -w w.nsw -k 2 -n 3 -o shares2 "${p2[@]}"
expect 1 "shares of two splits do not combine" -- nansen backup recover -i copy.nsw -o rec3.nsw \
    shares/share-1-of-3.png shares2/share-2-of-3.png "${p1[@]}"
has "do not belong" err.txt "do not belong together"
expect 0 "the second split recovers too" -- nansen backup recover -i copy.nsw -o rec4.nsw \
    shares2/share-1-of-3.png shares2/share-2-of-3.png --kdf minimal "${p1[@]}"
expect 2 "recover over an existing wallet" -- nansen backup recover -i copy.nsw -o w.nsw \
    shares/share-1-of-3.png shares/share-2-of-3.png --kdf minimal "${p1[@]}"
expect 2 "recover a share that is not one" -- nansen backup recover -i copy.nsw -o rec5.nsw \
    ngo.key shares/share-2-of-3.png "${p1[@]}"

# --- the ledger's anchor
expect 0 "ledger prints its head" -- nansen ledger -w rec.nsw "${p1[@]}"
head_line=$(sed -n 's/^head: //p' out.txt)
case $head_line in 2:????????????????????????????????????????????????????????????????) ok ;;
*) bad "head is COUNT:HEX, got '$head_line'" ;; esac
expect 0 "the ledger continues its own head" -- nansen ledger -w rec.nsw "${p1[@]}" --anchor "$head_line"
has "anchor said" out.txt "continuing the anchor"
expect 0 "the recovered ledger continues the head noted after the grant" -- \
    nansen ledger -w rec.nsw "${p1[@]}" --anchor "$head1"
expect 1 "an anchor the ledger does not continue" -- nansen ledger -w rec.nsw "${p1[@]}" \
    --anchor "3:${head_line#2:}"
has "anchor refused" err.txt "does not continue"
expect 2 "a malformed anchor" -- nansen ledger -w rec.nsw "${p1[@]}" --anchor "2:zz"

# --- key rotation: the recovered wallet gets a new key; the NGO checks it
expect 2 "rotate without -o" -- nansen wallet rotate -w rec.nsw "${p1[@]}"
expect 0 "rotate" -- nansen wallet rotate -w rec.nsw "${p1[@]}" -o rotation.cbor
newdid=$(cat out.txt)
case $newdid in did:key:z6Mk*) ok ;; *) bad "rotate prints the new did:key" ;; esac
[ "$newdid" != "$migrant" ] && ok || bad "a new key"
expect 0 "the wallet holds both keys" -- nansen wallet info -w rec.nsw "${p1[@]}"
has "new key listed" out.txt "$newdid  new holder key"
has "old key kept" out.txt "$migrant  phone 2026"
expect 0 "the NGO accepts the rotation" -- nansen rotation verify --old "$migrant" -i rotation.cbor
has "names the new key" out.txt "now holds   $newdid"
expect 1 "a rotation checked against another key" -- nansen rotation verify --old "$ngo" -i rotation.cbor
has "reject" out.txt "REJECT"
cp rotation.cbor bad-rotation.cbor
printf '\x00' | dd of=bad-rotation.cbor bs=1 seek=$(( $(wc -c < rotation.cbor) - 3 )) conv=notrunc 2> /dev/null
expect 1 "a damaged rotation" -- nansen rotation verify --old "$migrant" -i bad-rotation.cbor
expect 2 "rotation verify without --old" -- nansen rotation verify -i rotation.cbor
expect 0 "the NGO re-issues to the new key" -- nansen issue referral -k ngo.key --holder "$newdid" \
    --service primary-care --urgency routine -o ref-new.cbor
expect 0 "the new referral goes into the wallet" -- nansen wallet import -w rec.nsw ref-new.cbor "${p1[@]}"
expect 0 "a grant with the new key, from the wallet" -- nansen grant -w rec.nsw "${p1[@]}" \
    --to "$clinic" --purpose treatment --data referral --yes -o grant-new.cbor
expect 0 "it verifies" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant-new.cbor
expect 0 "rotate from a named key" -- nansen wallet rotate -w rec.nsw "${p1[@]}" --from "$migrant" \
    --generate secp256k1 -o rotation2.cbor
expect 0 "checked against that key" -- nansen rotation verify --old "$migrant" -i rotation2.cbor
expect 2 "rotate from a key not in the wallet" -- nansen wallet rotate -w rec.nsw "${p1[@]}" \
    --from "$ngo" -o rotation3.cbor

# --- usage errors, each refused before anything is read or written
expect 2 "init with an unknown key type" -- nansen wallet init -w u.nsw --generate rsa --kdf minimal "${p1[@]}"
expect 2 "rotate to an unknown key type" -- nansen wallet rotate -w rec.nsw --generate rsa -o r.cbor "${p1[@]}"
[ ! -e u.nsw ] && [ ! -e r.cbor ] && ok || bad "nothing written on a usage error"
expect 2 "info of a missing file" -- nansen wallet info -w nothere.nsw "${p1[@]}"
expect 2 "ledger of a missing file" -- nansen ledger -w nothere.nsw "${p1[@]}"
expect 2 "a missing passphrase file" -- nansen wallet info -w w.nsw --passphrase-file nothere
expect 2 "a bad --passphrase-fd" -- nansen wallet info -w w.nsw --passphrase-fd x
expect 2 "export without -o" -- nansen wallet export -w w.nsw "${p2[@]}"
expect 2 "import without files" -- nansen wallet import -w w.nsw "${p2[@]}"
expect 2 "split into a file, not a directory" -- nansen backup split -w w.nsw -k 2 -n 3 -o w.nsw "${p2[@]}"
expect 2 "recover without -i" -- nansen backup recover -o x.nsw shares/share-1-of-3.png "${p1[@]}"
expect 2 "recover without shares" -- nansen backup recover -i copy.nsw -o x.nsw "${p1[@]}"
expect 2 "ledger with a bad --at" -- nansen ledger -w w.nsw "${p2[@]}" --at yesterday
expect 2 "passwd with a bad --kdf" -- nansen wallet passwd -w w.nsw --kdf fast --passphrase-file pass12

# --- help
expect 0 "wallet --help" -- nansen wallet --help
has "help names passwd" out.txt "passwd"
expect 0 "ledger --help" -- nansen ledger --help
expect 0 "backup --help" -- nansen backup --help
expect 2 "wallet without a subcommand" -- nansen wallet
expect 2 "backup with an unknown subcommand" -- nansen backup explode

echo "cli wallet: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
