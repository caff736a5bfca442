#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of nansen keygen, did, cose sign/verify and inspect.
#   tests/cli/test_keys_cose.sh PATH_TO_nansen
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
    "$@" > out.txt 2> err.txt || rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, wanted $want"; sed 's/^/    /' err.txt >&2
    fi
}

# --- keygen and did
ed=$(nansen keygen -o ed.key) || bad "keygen ed25519"
secp=$(nansen keygen --alg secp256k1 -o secp.key) || bad "keygen secp256k1"
case $ed in did:key:z6Mk*) ok ;; *) bad "ed25519 did:key prefix: $ed" ;; esac
case $secp in did:key:zQ3s*) ok ;; *) bad "secp256k1 did:key prefix: $secp" ;; esac
[ "$(nansen did ed.key)" = "$ed" ] && ok || bad "did repeats keygen's did:key"
[ "$(nansen did secp.key)" = "$secp" ] && ok || bad "did of secp256k1 key"
[ "$(stat -c %a ed.key)" = 600 ] && ok || bad "key file mode is $(stat -c %a ed.key)"
kid=$(nansen did --kid ed.key)
[ ${#kid} -eq 16 ] && ok || bad "key id is 8 bytes of hex: $kid"
pub=$(nansen did --public ed.key)
[ ${#pub} -eq 64 ] && ok || bad "Ed25519 public key is 32 bytes of hex: $pub"
pub=$(nansen did --public secp.key)
case $pub in 02*|03*) [ ${#pub} -eq 66 ] && ok || bad "secp256k1 public key: $pub" ;;
*) bad "secp256k1 public key is compressed: $pub" ;; esac
expect 2 "did --kid --public" -- nansen did --kid --public ed.key

cp ed.key ed.key.before
expect 2 "keygen refuses to overwrite" -- nansen keygen -o ed.key
cmp -s ed.key ed.key.before && ok || bad "refused keygen changed the file"
grep -q "exists" err.txt && ok || bad "overwrite refusal says why"
expect 0 "keygen --force replaces" -- nansen keygen --force -o ed.key
cmp -s ed.key ed.key.before && bad "--force did not replace the key" || ok
ed=$(nansen did ed.key)
kid=$(nansen did --kid ed.key)
expect 2 "keygen unknown alg" -- nansen keygen --alg rsa -o x.key
expect 2 "keygen without -o" -- nansen keygen
expect 2 "did of a missing file" -- nansen did missing.key
printf 'not a key file\n' > junk.key
expect 2 "did of a junk file" -- nansen did junk.key
grep -q "malformed" err.txt && ok || bad "junk key file reason"

# --- sign and verify, both algorithms
printf 'referral: psychosocial support, priority' > payload.txt
for k in ed secp; do
    did=$(nansen did $k.key)
    expect 0 "$k sign" -- nansen cose sign -k $k.key -i payload.txt -o $k.cose
    expect 0 "$k verify" -- nansen cose verify --did "$did" -i $k.cose
    cmp -s out.txt payload.txt && ok || bad "$k verified payload differs"
    expect 0 "$k verify with key file" -- nansen cose verify -k $k.key -i $k.cose -o $k.out
    cmp -s $k.out payload.txt && ok || bad "$k payload written with -o"
    expect 0 "$k verify from stdin" -- sh -c "\"\$0\" cose verify --did '$did' < $k.cose" "$bin"
    cmp -s out.txt payload.txt && ok || bad "$k payload from stdin"
done
[ "$(head -c 1 ed.cose | od -An -tx1 | tr -d ' ')" = d2 ] && ok || bad "message is tagged 18"

expect 1 "verify against another signer" -- nansen cose verify --did "$secp" -i ed.cose
grep -q "algorithm does not match" err.txt && ok || bad "alg mismatch reason"
other=$(nansen keygen -o other.key)
expect 1 "verify against another ed25519 key" -- nansen cose verify --did "$other" -i ed.cose
grep -q "signature does not verify" err.txt && ok || bad "wrong signer reason"

# one byte changed anywhere in the payload region
size=$(stat -c %s ed.cose)
cp ed.cose t.cose
printf 'X' | dd of=t.cose bs=1 seek=$((size - 80)) conv=notrunc 2>/dev/null
expect 1 "tampered message" -- nansen cose verify --did "$ed" -i t.cose
[ -s err.txt ] && ok || bad "tampered message gives a reason"
[ ! -s out.txt ] && ok || bad "tampered message prints no payload"
head -c $((size - 1)) ed.cose > trunc.cose
expect 1 "truncated message" -- nansen cose verify --did "$ed" -i trunc.cose
grep -q "truncated" err.txt && ok || bad "truncation reason"
expect 1 "quiet rejection" -- nansen cose verify -q --did "$ed" -i t.cose
[ ! -s err.txt ] && ok || bad "-q prints nothing"
expect 2 "verify with a bad did" -- nansen cose verify --did did:key:zNOPE -i ed.cose
expect 2 "verify without a signer" -- nansen cose verify -i ed.cose
expect 2 "verify of a missing file" -- nansen cose verify --did "$ed" -i missing.cose

# headers and external data
expect 0 "sign with headers" -- nansen cose sign -k ed.key --kid-id --typ application/example+cwt \
    --content-type 60 --aad payload.txt -i payload.txt -o h.cose
expect 1 "aad is bound" -- nansen cose verify --did "$ed" -i h.cose
expect 0 "aad given" -- nansen cose verify --did "$ed" --aad payload.txt -i h.cose
expect 0 "untagged" -- nansen cose sign -k ed.key --untagged -i payload.txt -o u.cose
[ "$(head -c 1 u.cose | od -An -tx1 | tr -d ' ')" = 84 ] && ok || bad "untagged message"
expect 2 "bad --kid" -- nansen cose sign -k ed.key --kid xyz -i payload.txt -o k.cose
expect 2 "two kids" -- nansen cose sign -k ed.key --kid-did --kid 01 -i payload.txt -o k.cose
expect 0 "--kid HEX" -- nansen cose sign -k ed.key --kid "$kid" -i payload.txt -o kh.cose
expect 0 "verify with --kid HEX" -- nansen cose verify --did "$ed" -i kh.cose
expect 0 "--kid naming another key" -- nansen cose sign -k ed.key \
    --kid "$(nansen did --kid other.key)" -i payload.txt -o ko.cose
expect 1 "a kid naming another key is rejected" -- nansen cose verify --did "$ed" -i ko.cose
grep -q "key id" err.txt && ok || bad "kid mismatch reason"
expect 0 "--kid-did" -- nansen cose sign -k ed.key --kid-did --typ 61 -i payload.txt -o kd.cose
expect 0 "verify with --kid-did" -- nansen cose verify --did "$ed" -i kd.cose
cmp -s out.txt payload.txt && ok || bad "--kid-did payload"
expect 2 "sign without key" -- nansen cose sign -i payload.txt -o k.cose

# --- inspect
expect 0 "inspect" -- nansen inspect -i h.cose
grep -q '"COSE_Sign1"' out.txt && grep -q '"EdDSA"' out.txt && \
    grep -q '"application/example+cwt"' out.txt && grep -q "\"$kid\"" out.txt \
    && ok || bad "inspect shows the headers"
expect 0 "inspect --kid-did" -- nansen inspect kd.cose
grep -q "\"text\":.*\"$ed\"" out.txt && grep -q '"typ":.*61' out.txt && ok \
    || bad "inspect shows the did:key kid and typ"
expect 0 "inspect from stdin" -- sh -c "\"\$0\" inspect < kd.cose" "$bin"
grep -q '"COSE_Sign1"' out.txt && ok || bad "inspect reads stdin"
expect 0 "inspect secp256k1" -- nansen inspect secp.cose
grep -q '"ES256K"' out.txt && ok || bad "inspect names ES256K"
printf 'definitely not CBOR' > garbage
expect 1 "inspect garbage" -- nansen inspect -i garbage
expect 2 "inspect missing file" -- nansen inspect missing

# --- help and usage
for c in keygen did cose inspect; do
    expect 0 "$c --help" -- nansen $c --help
    grep -q "^Usage: nansen $c" out.txt && ok || bad "$c --help shows usage"
    expect 0 "help $c" -- nansen help $c
done
expect 0 "cose sign --help" -- nansen cose sign --help
expect 0 "nansen --help" -- nansen --help
expect 2 "no command" -- nansen
expect 2 "unknown command" -- nansen frobnicate
expect 2 "unknown option" -- nansen keygen --frobnicate -o x.key
grep -q "Try 'nansen keygen --help'" err.txt && ok || bad "usage error points to --help"
expect 0 "--version" -- nansen --version
grep -q '^nansen [0-9]*\.[0-9]*\.[0-9]*$' out.txt && ok || bad "version line"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
