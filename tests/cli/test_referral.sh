#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of nansen issue referral, grant, verify and inspect
# --lang: an NGO, a migrant and clinics with real keys.
#   tests/cli/test_referral.sh PATH_TO_nansen
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

# has DESCRIPTION FILE FIXED-STRING / lacks ...: grep -F on a file
has() { grep -qF -- "$3" "$2" && ok || { bad "$1: '$3' not in $2"; sed 's/^/    /' "$2" >&2; }; }
lacks() { grep -qaF -- "$3" "$2" && bad "$1: '$3' in $2" || ok; }

# JSON printed by cJSON: one member a line, indented by tabs.
# jtop NAME: the value of a top-level member of out.txt
jtop() { sed -n "s/^	\"$1\":	\(.*\)$/\1/p" out.txt | sed 's/,$//'; }
# jin OBJECT NAME: the value of a member of a top-level object of out.txt
jin() {
    awk -v o="	\"$1\":	{" 'index($0, o) == 1 { f = 1; next }
        f && /^	}/ { f = 0 } f' out.txt |
        sed -n "s/^		\"$2\":	\(.*\)$/\1/p" | sed 's/,$//'
}
# is DESCRIPTION GOT WANTED
is() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', wanted '$3'"; }

# the reason of a rejected grant, from verify --json
reason_is() {
    local what=$1 want=$2
    is "$what: verdict" "$(jtop verdict)" '"reject"'
    is "$what: reason" "$(jtop reason)" "\"$want\""
}

# --- the parties
ngo=$(nansen keygen -o ngo.key) || bad "keygen ngo"
migrant=$(nansen keygen -o migrant.key) || bad "keygen migrant"
clinic=$(nansen keygen --alg secp256k1 -o clinic.key) || bad "keygen clinic"
other=$(nansen keygen -o other.key) || bad "keygen other clinic"
ngo2=$(nansen keygen --alg secp256k1 -o ngo2.key) || bad "keygen second ngo"
migrant2=$(nansen keygen --alg secp256k1 -o migrant2.key) || bad "keygen second migrant"

notes='Trouble sleeping since the crossing; panic attacks at night'
risk='RISK-7f3a self-harm history'
contact='CONTACT-91c2 amina.caseworker@ngo.example'
now=$(date +%s)

# --- issue
expect 0 "issue referral" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service psychosocial-support --urgency priority --claim language=ti \
    --claim interpreter=yes --claim "notes=$notes" --claim "risk=$risk" \
    --claim "contact=$contact" --issuer-name "Helping Hands Athens" -o referral.cbor
[ ! -s out.txt ] && ok || bad "issue writes nothing to stdout with -o"
[ "$(head -c 1 referral.cbor | od -An -tx1 | tr -d ' ')" = d2 ] && ok || bad "referral is tagged 18"
expect 0 "issue to stdout (a pipe)" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service primary-care --urgency routine
[ -s out.txt ] && ok || bad "issue writes the referral to a pipe"

# --- inspect --lang
expect 0 "inspect referral" -- nansen inspect referral.cbor
cp out.txt plain.json
lacks "inspect without --lang" plain.json '"labels"'
expect 0 "inspect --lang fr" -- nansen inspect --lang fr -i referral.cbor
is "labels language" "$(jin labels lang)" '"fr"'
[ -n "$(jin labels service)" ] && ok || bad "labels has the service"
[ -n "$(jin labels urgency)" ] && ok || bad "labels has the urgency"
n=$(($(wc -l < plain.json) - 2))
[ "$(head -n $n plain.json)" = "$(head -n $n out.txt)" ] && ok \
    || bad "--lang leaves the rest of the JSON unchanged"
expect 0 "inspect --lang en" -- nansen inspect --lang en referral.cbor
is "English service label" "$(jin labels service)" '"Psychosocial support"'
expect 0 "inspect --lang of an unknown language" -- nansen inspect --lang de referral.cbor
is "label fallback" "$(jin labels lang)" '"en"'
printf 'payload' > payload.txt
nansen cose sign -k ngo.key -i payload.txt -o plain.cose || bad "cose sign"
expect 0 "inspect --lang of a plain COSE_Sign1" -- nansen inspect --lang fr plain.cose
lacks "no labels for other messages" out.txt '"labels"'
expect 2 "inspect --lang without a value" -- nansen inspect referral.cbor --lang
expect 2 "inspect --lang ''" -- nansen inspect --lang '' referral.cbor

# --- grant: two categories, three claims revealed, risk and contact kept
# (long claims: past the default QR budget of version 20 at level M, so
# --qr-budget none; tests/cli/test_qr.sh tests the budget)
expect 0 "grant" -- nansen grant -k migrant.key --referral referral.cbor --to "$clinic" \
    --to-name "Athens Community Clinic" --purpose treatment --data language,health \
    --disclose language,interpreter,notes --qr-budget none --yes -o grant.cbor
has "notice shown" err.txt "Consent notice (en):"
has "notice names the clinic" err.txt "Athens Community Clinic"
has "notice names the issuer" err.txt "Helping Hands Athens"
has "revealed claims listed" err.txt "Revealed to the clinic: language, notes"
has "hidden claims listed" err.txt "risk, contact"
has "always-visible claims listed" err.txt "Always visible:         service, urgency, interpreter, issuer-name"
lacks "grant does not show the risk" err.txt "$risk"
clinic_kid=$(nansen did --kid clinic.key)
expect 0 "inspect the grant" -- nansen inspect -i grant.cbor
has "the grant names the clinic by its short id" out.txt "\"kid:$clinic_kid\""
lacks "... not by its did:key" out.txt "$clinic"
expect 0 "grant --aud-did" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language,health --aud-did --yes \
    -o grant-did.cbor
expect 0 "inspect that grant" -- nansen inspect -i grant-did.cbor
has "--aud-did names the clinic by its did:key" out.txt "\"$clinic\""
lacks "grant does not show the contact" err.txt "$contact"
lacks "the grant does not carry the risk" grant.cbor "$risk"
lacks "the grant does not carry the contact" grant.cbor "$contact"
[ "$(head -c 1 grant.cbor | od -An -tx1 | tr -d ' ')" = d2 ] && ok || bad "grant is tagged 18"

# --- verify at the clinic
expect 0 "verify --json at the clinic" -- nansen verify --as "$clinic" --issuer "$ngo" \
    -i grant.cbor --json
is "verdict" "$(jtop verdict)" '"accept"'
is "reason" "$(jtop reason)" '"accept"'
is "status" "$(jtop status)" '"NANSEN_OK"'
is "purpose" "$(jtop purpose)" '"treatment"'
is "categories" "$(jtop categories)" '["language", "health"]'
is "issuer" "$(jtop issuer)" "\"$ngo\""
is "holder" "$(jtop holder)" "\"$migrant\""
is "disclosed service" "$(jin disclosed service)" '"psychosocial-support"'
is "disclosed urgency" "$(jin disclosed urgency)" '"priority"'
is "disclosed language" "$(jin disclosed language)" '"ti"'
is "disclosed interpreter" "$(jin disclosed interpreter)" 'true'
is "disclosed notes" "$(jin disclosed notes)" "\"$notes\""
is "disclosed issuer-name" "$(jin disclosed issuer-name)" '"Helping Hands Athens"'
is "risk not disclosed" "$(jin disclosed risk)" ''
is "contact not disclosed" "$(jin disclosed contact)" ''
is "notice language" "$(jin notice lang)" '"en"'
is "notice matches" "$(jin notice matches)" 'true'
grant_sha=$(jtop grant_sha256)
[ ${#grant_sha} -eq 66 ] && ok || bad "grant_sha256 is 32 bytes of hex: $grant_sha"
lacks "a grant without cti has no grant_id" out.txt '"grant_id"'
from=$(jtop valid_from); until=$(jtop valid_until); signed=$(jtop signed_at)
[ "$from" -ge "$now" ] 2>/dev/null && [ $((until - from)) -eq $((7 * 86400)) ] && \
    [ "$signed" -eq "$from" ] && ok || bad "grant window: $from $until $signed"
cat out.txt err.txt > all.txt
lacks "withheld risk appears nowhere" all.txt "$risk"
lacks "withheld contact appears nowhere" all.txt "$contact"
lacks "no hidden member" out.txt '"hidden"'

expect 0 "verify, for people" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor
is "first line" "$(head -n 1 out.txt)" "ACCEPT"
has "notes shown" out.txt "  notes: $notes"
has "service shown as its id" out.txt "  service: psychosocial-support ("
has "interpreter shown" out.txt "  interpreter: yes"
has "UTC dates" out.txt "valid until: $(date -u -d @"$until" +%Y-%m-%dT%H:%M:%SZ)"
cat out.txt err.txt > all.txt
lacks "risk appears nowhere" all.txt "$risk"
lacks "contact appears nowhere" all.txt "$contact"

expect 0 "verify from standard input" -- nansen verify --as "$clinic" --issuer "$ngo" < grant.cbor
is "stdin verdict" "$(head -n 1 out.txt)" "ACCEPT"
expect 0 "verify -q" -- nansen verify -q --as "$clinic" --issuer "$ngo" -i grant.cbor
[ ! -s out.txt ] && [ ! -s err.txt ] && ok || bad "-q prints nothing"
expect 0 "verify with two trusted issuers" -- nansen verify --as "$clinic" \
    --issuer "$other" --issuer "$ngo" -i grant.cbor
expect 0 "verify --lang fr" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor \
    --json --lang fr
msg_fr=$(jtop message)
expect 0 "verify --lang en" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json
[ "$msg_fr" != "$(jtop message)" ] && ok || bad "--lang fr gives a French message"

# --- the same grant at another clinic
expect 1 "another clinic" -- nansen verify --as "$other" --issuer "$ngo" -i grant.cbor --json
reason_is "another clinic" wrong_audience
case $(jtop status) in '"NANSEN_'*) ok ;; *) bad "wrong audience status: $(jtop status)" ;; esac
is "message of wrong audience" "$(jtop message)" '"Rejected: this consent was given to another clinic"'
lacks "a rejection shows no claim" out.txt '"disclosed"'
lacks "a rejection shows no notes" out.txt "$notes"
lacks "a rejection shows no issuer" out.txt "$ngo"
expect 1 "another clinic, for people" -- nansen verify --as "$other" --issuer "$ngo" -i grant.cbor
is "reject line" "$(head -n 1 out.txt)" "REJECT wrong_audience"
[ "$(wc -l < out.txt)" -eq 2 ] && ok || bad "a rejection is two lines"
expect 1 "rejection -q" -- nansen verify -q --as "$other" --issuer "$ngo" -i grant.cbor
[ ! -s out.txt ] && [ ! -s err.txt ] && ok || bad "-q prints nothing on reject"

# --- wrong issuer, tampering, garbage
expect 1 "untrusted issuer" -- nansen verify --as "$clinic" --issuer "$ngo2" -i grant.cbor --json
reason_is "untrusted issuer" untrusted_issuer
size=$(stat -c %s grant.cbor)
cp grant.cbor t1.cbor
last=$(tail -c 1 t1.cbor | od -An -tu1 | tr -d ' ')
printf "\\$(printf %03o $(((last + 1) % 256)))" | dd of=t1.cbor bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
expect 1 "tampered holder signature" -- nansen verify --as "$clinic" --issuer "$ngo" -i t1.cbor --json
reason_is "tampered signature" bad_holder_signature
cp grant.cbor t2.cbor
offset=$(grep -abo 'Helping Hands Athens' t2.cbor | head -n 1 | cut -d: -f1)
printf 'h' | dd of=t2.cbor bs=1 seek="$offset" conv=notrunc 2>/dev/null
expect 1 "tampered referral claim" -- nansen verify --as "$clinic" --issuer "$ngo" -i t2.cbor --json
reason_is "tampered claim" bad_issuer_signature
head -c $((size - 1)) grant.cbor > t3.cbor
expect 1 "truncated grant" -- nansen verify --as "$clinic" --issuer "$ngo" -i t3.cbor --json
reason_is "truncated" malformed
printf 'definitely not a grant' > garbage
expect 1 "garbage" -- nansen verify --as "$clinic" --issuer "$ngo" -i garbage --json
reason_is "garbage" malformed
expect 1 "a referral is not a grant" -- nansen verify --as "$clinic" --issuer "$ngo" -i referral.cbor
case $(head -n 1 out.txt) in "REJECT "*) ok ;; *) bad "referral as grant: $(head -n 1 out.txt)" ;; esac

# --- time, policy and nonce
expect 1 "far future" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json --at 4102444800
reason_is "far future" expired
expect 1 "before the grant" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json --at 1000000000
reason_is "past" not_yet_valid
expect 0 "--at now" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --at "$((now + 60))"
expect 1 "purpose not accepted" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor \
    --json --purpose follow-up --purpose care-coordination
reason_is "purpose" purpose_not_accepted
expect 0 "purpose accepted" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor \
    --purpose follow-up --purpose treatment
expect 1 "grant too old" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --json \
    --max-age 1h --at "$((now + 86400))"
reason_is "max age" grant_too_old
expect 0 "max age kept" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --max-age 1d
expect 1 "nonce required, grant has none" -- nansen verify --as "$clinic" --issuer "$ngo" \
    -i grant.cbor --json --nonce 00112233
reason_is "no nonce" nonce_mismatch
expect 0 "grant with a nonce" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose follow-up --data language --disclose language \
    --nonce 00112233aabbccdd --yes -o nonce.cbor
expect 0 "nonce matches" -- nansen verify --as "$clinic" --issuer "$ngo" -i nonce.cbor \
    --nonce 00112233AABBCCDD
expect 1 "nonce differs" -- nansen verify --as "$clinic" --issuer "$ngo" -i nonce.cbor \
    --json --nonce 00112233aabbccde
reason_is "nonce" nonce_mismatch
expect 0 "nonce not required" -- nansen verify --as "$clinic" --issuer "$ngo" -i nonce.cbor --json
is "language only" "$(jin disclosed notes)" ''

# --- the grant cannot reveal what --data does not grant
expect 2 "notes without health" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --disclose language,notes \
    --yes -o nohealth.cbor
has "category message" err.txt \
    "claim 'notes' is in data category 'health', which --data does not grant"
[ ! -e nohealth.cbor ] && ok || bad "a refused grant writes no file"
lacks "refusal shows no notice" err.txt "Consent notice"
expect 2 "risk without risk" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language,health --disclose risk --yes -o x.cbor
has "risk category message" err.txt "claim 'risk' is in data category 'risk'"
expect 2 "a claim the referral lacks" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data family --disclose dependents --yes -o x.cbor
has "absent claim message" err.txt "claim 'dependents' is not in the referral"
expect 2 "someone else's key" -- nansen grant -k clinic.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes -o x.cbor
has "key mismatch message" err.txt "clinic.key is not the key the referral was issued to"
expect 0 "naming always-visible claims" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --disclose service,issuer-name,language \
    --yes -o visible.cbor
expect 0 "verify it" -- nansen verify --as "$clinic" --issuer "$ngo" -i visible.cbor --json
is "visible service" "$(jin disclosed service)" '"psychosocial-support"'
is "no notes" "$(jin disclosed notes)" ''

# --- a grant never outlives its referral
expect 0 "short referral" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service legal-aid --urgency routine --claim notes=short --valid 2d -o short.cbor
expect 0 "grant longer than the referral" -- nansen grant -k migrant.key --referral short.cbor \
    --to "$clinic" --purpose follow-up --data health --disclose notes --valid 30d --yes -o clamp.cbor
has "clamping said" err.txt "the consent ends then too"
expect 0 "verify the clamped grant" -- nansen verify --as "$clinic" --issuer "$ngo" -i clamp.cbor --json
is "grant ends with the referral" "$(jtop valid_until)" "$(jin referral valid_until)"

# --- French notice, short id audience, secp256k1 issuer and holder
expect 0 "grant --lang fr to a short id" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "kid:$(nansen did --kid clinic.key)" --purpose treatment --data language \
    --disclose language --lang fr --yes -o fr.cbor
has "French notice" err.txt "Consent notice (fr):"
expect 0 "verify the short-id grant" -- nansen verify --as "$clinic" --issuer "$ngo" -i fr.cbor --json
is "French notice language" "$(jin notice lang)" '"fr"'
is "French notice matches" "$(jin notice matches)" 'true'
expect 1 "short id of the clinic at another" -- nansen verify --as "$other" --issuer "$ngo" -i fr.cbor
expect 0 "inspect a grant --lang fr" -- nansen inspect --lang fr fr.cbor
[ -n "$(jin labels purpose)" ] && [ -n "$(jin labels service)" ] && ok || bad "grant labels"
case $(jin labels categories) in '["'*'"]') ok ;; *) bad "grant category labels" ;; esac
expect 0 "secp256k1 issuer and holder" -- nansen issue referral -k ngo2.key --holder "$migrant2" \
    --service maternal-health --urgency urgent --claim target=Maternity --claim "risk=$risk" \
    --disclosable risk --decoys 16 --iss --qr-budget none -o ref2.cbor
expect 0 "inspect --iss" -- nansen inspect ref2.cbor
has "iss claim" out.txt "\"1\":	\"$ngo2\""
expect 0 "secp256k1 grant" -- nansen grant -k migrant2.key --referral ref2.cbor --to "$other" \
    --purpose care-coordination --data referral --qr-budget none --yes -o grant2.cbor
expect 0 "secp256k1 verify" -- nansen verify --as "$other" --issuer "$ngo2" -i grant2.cbor --json
is "plain target" "$(jin disclosed target)" '"Maternity"'
is "risk stays hidden" "$(jin disclosed risk)" ''
cat out.txt err.txt > all.txt
lacks "hidden risk appears nowhere" all.txt "$risk"
expect 0 "--disclosable none" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service housing --urgency routine --claim notes=plain-notes --disclosable none -o plain.cbor
expect 0 "grant of a plain referral" -- nansen grant -k migrant.key --referral plain.cbor \
    --to "$clinic" --purpose follow-up --data referral --yes -o plain-grant.cbor
expect 0 "verify it" -- nansen verify --as "$clinic" --issuer "$ngo" -i plain-grant.cbor --json
is "plain notes always visible" "$(jin disclosed notes)" '"plain-notes"'

# --- confirmation
expect 2 "no --yes, stdin not a terminal" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language -o noyes.cbor < /dev/null
has "says to pass --yes" err.txt "--yes"
[ ! -e noyes.cbor ] && ok || bad "no file without confirmation"
expect 2 "referral from stdin needs --yes" -- nansen grant -k migrant.key --referral - \
    --to "$clinic" --purpose treatment --data language -o noyes.cbor < referral.cbor
expect 0 "referral from stdin with --yes" -- nansen grant -k migrant.key --referral - \
    --to "$clinic" --purpose treatment --data language --yes -o stdin.cbor < referral.cbor
# With a terminal (script(1) makes one), the answer decides.
if script -qec true /dev/null > /dev/null 2>&1; then
    prompt() {
        local rc=0
        printf '%s\n' "$1" | script -qec "${NANSEN_WRAPPER:-} '$bin' grant -k migrant.key \
            --referral referral.cbor --to '$clinic' --purpose treatment --data language \
            -o '$2'" /dev/null > out.txt 2>&1 || rc=$?
        return $rc
    }
    rc=0; prompt n asked-n.cbor || rc=$?
    [ "$rc" -eq 1 ] && [ ! -e asked-n.cbor ] && ok || bad "declined at the prompt: exit $rc"
    has "prompt shown" out.txt "Sign this consent? [y/N]"
    rc=0; prompt y asked-y.cbor || rc=$?
    [ "$rc" -eq 0 ] && [ -s asked-y.cbor ] && ok || bad "confirmed at the prompt: exit $rc"
fi

# --- usage errors: issue
r=(-k ngo.key --holder "$migrant" --service psychosocial-support --urgency priority -o u.cbor)
expect 2 "issue without subcommand" -- nansen issue
expect 2 "issue unknown credential" -- nansen issue passport
expect 2 "issue without -k" -- nansen issue referral --holder "$migrant" --service housing --urgency routine -o u.cbor
expect 2 "issue without --holder" -- nansen issue referral -k ngo.key --service housing --urgency routine -o u.cbor
expect 2 "issue without --service" -- nansen issue referral -k ngo.key --holder "$migrant" --urgency routine -o u.cbor
expect 2 "issue without --urgency" -- nansen issue referral -k ngo.key --holder "$migrant" --service housing -o u.cbor
expect 2 "unknown service" -- nansen issue referral -k ngo.key --holder "$migrant" --service massage --urgency routine -o u.cbor
has "service list" err.txt "psychosocial-support"
expect 2 "unknown urgency" -- nansen issue referral -k ngo.key --holder "$migrant" --service housing --urgency whenever -o u.cbor
expect 2 "--claim without =" -- nansen issue referral "${r[@]}" --claim notes
expect 2 "unknown claim" -- nansen issue referral "${r[@]}" --claim shoe-size=42
has "claim names listed" err.txt "issuer-name"
expect 2 "repeated claim" -- nansen issue referral "${r[@]}" --claim notes=a --claim notes=b
has "repeat message" err.txt "claim 'notes' given more than once"
expect 2 "service twice" -- nansen issue referral "${r[@]}" --claim service=housing
expect 2 "issuer name twice" -- nansen issue referral "${r[@]}" --issuer-name A --claim issuer-name=B
expect 2 "bad interpreter" -- nansen issue referral "${r[@]}" --claim interpreter=maybe
expect 2 "empty value" -- nansen issue referral "${r[@]}" --claim notes=
expect 2 "control character" -- nansen issue referral "${r[@]}" --claim "notes=a$(printf '\t')b"
expect 2 "not UTF-8" -- nansen issue referral "${r[@]}" --claim "notes=$(printf 'caf\351')"
expect 2 "too long" -- nansen issue referral "${r[@]}" --claim "notes=$(head -c 1025 /dev/zero | tr '\0' x)"
expect 0 "longest text" -- nansen issue referral "${r[@]}" --claim "notes=$(head -c 1024 /dev/zero | tr '\0' x)"
rm -f u.cbor
expect 2 "issuer name too long" -- nansen issue referral "${r[@]}" --issuer-name "$(head -c 257 /dev/zero | tr '\0' x)"
expect 0 "longest issuer name" -- nansen issue referral "${r[@]}" --issuer-name "$(head -c 256 /dev/zero | tr '\0' x)"
rm -f u.cbor
expect 2 "issuer name disclosable" -- nansen issue referral "${r[@]}" --issuer-name NGO --disclosable notes,issuer-name
has "issuer name message" err.txt "issuer-name cannot be disclosable"
expect 2 "bad language tag" -- nansen issue referral "${r[@]}" --claim language=t_i
expect 2 "unknown disclosable" -- nansen issue referral "${r[@]}" --disclosable notes,shoe-size
expect 2 "empty disclosable item" -- nansen issue referral "${r[@]}" --disclosable notes,
expect 2 "none and names" -- nansen issue referral "${r[@]}" --disclosable none --disclosable notes
expect 2 "too many decoys" -- nansen issue referral "${r[@]}" --decoys 17
expect 2 "decoys not a number" -- nansen issue referral "${r[@]}" --decoys two
for v in 0d 5x d 30 -1d 1000000d; do
    expect 2 "issue --valid $v" -- nansen issue referral "${r[@]}" --valid "$v"
done
expect 2 "holder not a did:key" -- nansen issue referral -k ngo.key --holder did:key:zNOPE \
    --service housing --urgency routine -o u.cbor
expect 2 "--holder without a value" -- nansen issue referral -k ngo.key --service housing --urgency routine --holder
expect 2 "issue unexpected argument" -- nansen issue referral "${r[@]}" extra
expect 2 "issue with a missing key file" -- nansen issue referral -k missing.key --holder "$migrant" \
    --service housing --urgency routine -o u.cbor
[ ! -e u.cbor ] && ok || bad "failed issues write no file"

# --- usage errors: grant
g=(-k migrant.key --referral referral.cbor --to "$clinic" --purpose treatment --yes -o u.cbor)
expect 2 "grant without -k" -- nansen grant --referral referral.cbor --to "$clinic" --purpose treatment --data language --yes -o u.cbor
expect 2 "grant without --referral" -- nansen grant -k migrant.key --to "$clinic" --purpose treatment --data language --yes -o u.cbor
expect 2 "grant without --to" -- nansen grant -k migrant.key --referral referral.cbor --purpose treatment --data language --yes -o u.cbor
expect 2 "grant without --purpose" -- nansen grant -k migrant.key --referral referral.cbor --to "$clinic" --data language --yes -o u.cbor
expect 2 "grant without --data" -- nansen grant "${g[@]}"
expect 2 "unknown purpose" -- nansen grant -k migrant.key --referral referral.cbor --to "$clinic" --purpose marketing --data language --yes -o u.cbor
has "purpose list" err.txt "treatment"
expect 2 "unknown category" -- nansen grant "${g[@]}" --data language,shoes
expect 2 "repeated category" -- nansen grant "${g[@]}" --data language,health --data language
has "repeated category message" err.txt "data category 'language' given more than once"
expect 2 "empty category" -- nansen grant "${g[@]}" --data language,
expect 2 "unknown claim to disclose" -- nansen grant "${g[@]}" --data language --disclose shoe-size
expect 2 "no notice language" -- nansen grant "${g[@]}" --data language --lang de
has "notice language message" err.txt "no consent notice in language 'de'"
expect 2 "odd nonce" -- nansen grant "${g[@]}" --data language --nonce abc
expect 2 "nonce not hex" -- nansen grant "${g[@]}" --data language --nonce zz
expect 2 "nonce too long" -- nansen grant "${g[@]}" --data language --nonce "$(head -c 130 /dev/zero | tr '\0' a)"
expect 2 "--to neither did nor short id" -- nansen grant -k migrant.key --referral referral.cbor --to clinic --purpose treatment --data language --yes -o u.cbor
expect 2 "--to bad did:key" -- nansen grant -k migrant.key --referral referral.cbor --to did:key:zNOPE --purpose treatment --data language --yes -o u.cbor
expect 2 "--to bad short id" -- nansen grant -k migrant.key --referral referral.cbor --to kid:XYZ --purpose treatment --data language --yes -o u.cbor
expect 2 "grant --valid bad" -- nansen grant "${g[@]}" --data language --valid forever
expect 2 "--to-name too long" -- nansen grant "${g[@]}" --data language --to-name "$(head -c 257 /dev/zero | tr '\0' x)"
expect 2 "empty --to-name" -- nansen grant "${g[@]}" --data language --to-name ''
expect 2 "missing referral" -- nansen grant -k migrant.key --referral missing.cbor --to "$clinic" --purpose treatment --data language --yes -o u.cbor
expect 2 "referral not a referral" -- nansen grant -k migrant.key --referral garbage --to "$clinic" --purpose treatment --data language --yes -o u.cbor
has "not a referral message" err.txt "not a referral credential"
expect 2 "a grant is not a referral" -- nansen grant -k migrant.key --referral grant.cbor --to "$clinic" --purpose treatment --data language --yes -o u.cbor
expect 2 "grant unexpected argument" -- nansen grant "${g[@]}" --data language extra
[ ! -e u.cbor ] && ok || bad "failed grants write no file"

# --- usage errors: verify
v=(--as "$clinic" --issuer "$ngo" -i grant.cbor)
expect 2 "verify without --as" -- nansen verify --issuer "$ngo" -i grant.cbor
expect 2 "verify without --issuer" -- nansen verify --as "$clinic" -i grant.cbor
expect 2 "--json and -q" -- nansen verify "${v[@]}" --json -q
expect 2 "bad --as" -- nansen verify --as did:key:zNOPE --issuer "$ngo" -i grant.cbor
expect 2 "bad --issuer" -- nansen verify --as "$clinic" --issuer nobody -i grant.cbor
expect 2 "unknown --purpose" -- nansen verify "${v[@]}" --purpose marketing
expect 2 "bad --max-age" -- nansen verify "${v[@]}" --max-age 0s
expect 2 "bad verify --nonce" -- nansen verify "${v[@]}" --nonce 0
for a in -5 abc 12x ''; do
    expect 2 "verify --at '$a'" -- nansen verify "${v[@]}" --at "$a"
done
expect 2 "verify missing file" -- nansen verify --as "$clinic" --issuer "$ngo" -i missing.cbor
expect 2 "verify unexpected argument" -- nansen verify "${v[@]}" extra
expect 2 "verify --issuer without a value" -- nansen verify --as "$clinic" -i grant.cbor --issuer

# --- help
for c in issue grant verify; do
    expect 0 "$c --help" -- nansen $c --help
    grep -q "^Usage: nansen $c" out.txt && ok || bad "$c --help shows usage"
    expect 0 "help $c" -- nansen help $c
done
expect 0 "issue referral --help" -- nansen issue referral --help
expect 0 "nansen --help" -- nansen --help
for c in issue grant verify; do has "--help lists $c" out.txt "  $c "; done

echo "cli referral: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
