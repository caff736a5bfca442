#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of revocation, withdrawal and trust: nansen status,
# withdraw, withdrawals, trust, bundle, issue referral --status-list and
# verify --trust/--status-dir/--withdrawals, with real keys.
#   tests/cli/test_trust.sh PATH_TO_nansen
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

has() { grep -qF -- "$3" "$2" && ok || { bad "$1: '$3' not in $2"; sed 's/^/    /' "$2" >&2; }; }
lacks() { grep -qaF -- "$3" "$2" && bad "$1: '$3' in $2" || ok; }
jtop() { sed -n "s/^	\"$1\":	\(.*\)$/\1/p" out.txt | sed 's/,$//'; }
jin() {
    awk -v o="	\"$1\":	{" 'index($0, o) == 1 { f = 1; next }
        f && /^	}/ { f = 0 } f' out.txt |
        sed -n "s/^		\"$2\":	\(.*\)$/\1/p" | sed 's/,$//'
}
is() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', wanted '$3'"; }
reason_is() {
    is "$1: verdict" "$(jtop verdict)" '"reject"'
    is "$1: reason" "$(jtop reason)" "\"$2\""
}
same() { cmp -s "$2" "$3" && ok || bad "$1: $2 changed"; }

# --- the parties
gov=$(nansen keygen -o gov.key) || bad "keygen governance"
ngo=$(nansen keygen -o ngo.key) || bad "keygen ngo"
migrant=$(nansen keygen -o migrant.key) || bad "keygen migrant"
migrant2=$(nansen keygen --alg secp256k1 -o migrant2.key) || bad "keygen second migrant"
clinic=$(nansen keygen --alg secp256k1 -o clinic.key) || bad "keygen clinic"
other=$(nansen keygen -o other.key) || bad "keygen other"
uri=https://ngo.example/status/1

# --- status create / show
expect 0 "status create" -- nansen status create --uri "$uri" --size 1024 -o ngo.status
expect 2 "status create over an existing file" -- nansen status create --uri "$uri" -o ngo.status
has "existing list kept" err.txt "not replaced"
expect 0 "status show of a new file" -- nansen status show ngo.status
has "show uri" out.txt "uri:       $uri"
has "show bits" out.txt "bits:      2"
has "show size" out.txt "size:      1024"
has "show allocated" out.txt "allocated: 0"

# --- issue referrals with --status-list, grants
issue() { # OUT HOLDER
    nansen issue referral -k ngo.key --holder "$2" --service primary-care \
        --urgency routine --status-list ngo.status -o "$1"
}
expect 0 "issue referral --status-list" -- issue ref1.cbor "$migrant"
idx1=$(sed -n 's/.*status list index \([0-9]*\) of .*/\1/p' err.txt)
[ -n "$idx1" ] && ok || bad "issue says the index"
expect 0 "second referral" -- issue ref2.cbor "$migrant2"
idx2=$(sed -n 's/.*status list index \([0-9]*\) of .*/\1/p' err.txt)
[ -n "$idx2" ] && [ "$idx1" != "$idx2" ] && ok || bad "two distinct indices"
expect 0 "inspect the referral" -- nansen inspect ref1.cbor
has "referral names its index" out.txt "\"idx\":	$idx1"
expect 0 "status show counts allocations" -- nansen status show ngo.status
has "two allocated" out.txt "allocated: 2"

grant() { # REFERRAL HOLDER_KEY OUT
    nansen grant -k "$2" --referral "$1" --to "$clinic" --purpose treatment \
        --data language,health --yes -o "$3"
}
expect 0 "grant 1" -- grant ref1.cbor migrant.key grant1.cbor
expect 0 "grant 2" -- grant ref2.cbor migrant2.key grant2.cbor

# --- sign a list; verify with --status-dir
mkdir statusdir
expect 0 "status sign" -- nansen status sign -k ngo.key ngo.status -o statusdir/ngo.cwt
expect 0 "status show of a token" -- nansen status show statusdir/ngo.cwt
has "token kind" out.txt "signature not checked"
has "token uri" out.txt "uri:       $uri"
has "token expiry" out.txt "expires:"
v=(--as "$clinic" --issuer "$ngo" --status-dir statusdir)
expect 0 "verify --status-dir ACCEPT" -- nansen verify "${v[@]}" -i grant1.cbor
has "not revoked" out.txt "not revoked as of"
has "list age" out.txt "list age"
expect 0 "verify --status-dir --json" -- nansen verify "${v[@]}" -i grant1.cbor --json
is "status_list checked" "$(jin status_list checked)" true
is "status_list not stale" "$(jin status_list stale_accepted)" false
[ -n "$(jin status_list as_of)" ] && ok || bad "status_list as_of"
expect 1 "verify without --status-dir" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant1.cbor --json
reason_is "a referral with a list, none held" status_unknown
expect 2 "a missing status dir" -- nansen verify --as "$clinic" --issuer "$ngo" \
    --status-dir empty-not-there -i grant1.cbor
mkdir emptydir
expect 1 "verify with an empty status dir" -- nansen verify --as "$clinic" --issuer "$ngo" \
    --status-dir emptydir -i grant1.cbor --json
reason_is "no list for the referral" status_unknown

# --- revoke referral 2, suspend and reinstate referral 1
expect 0 "status set revoked" -- nansen status set ngo.status "$idx2" revoked
expect 0 "status show lists the revocation" -- nansen status show ngo.status
has "revoked entry" out.txt "$idx2: revoked (1)"
sleep 1
expect 0 "sign a newer list" -- nansen status sign -k ngo.key ngo.status -o statusdir/ngo.cwt
expect 1 "revoked referral" -- nansen verify "${v[@]}" -i grant2.cbor --json
reason_is "revoked" revoked
expect 1 "revoked referral, human" -- nansen verify "${v[@]}" -i grant2.cbor
has "REJECT revoked" out.txt "REJECT revoked"
expect 0 "other referral still accepted" -- nansen verify "${v[@]}" -i grant1.cbor
expect 0 "suspend" -- nansen status set ngo.status "$idx1" suspended
cp statusdir/ngo.cwt revoked.cwt
sleep 1
expect 0 "sign" -- nansen status sign -k ngo.key ngo.status -o statusdir/ngo.cwt
expect 1 "suspended referral" -- nansen verify "${v[@]}" -i grant1.cbor --json
reason_is "suspended" suspended
expect 0 "reinstate" -- nansen status set ngo.status "$idx1" valid
sleep 1
expect 0 "sign" -- nansen status sign -k ngo.key ngo.status -o statusdir/ngo.cwt
expect 0 "reinstated referral" -- nansen verify "${v[@]}" -i grant1.cbor
expect 0 "set a number" -- nansen status set ngo.status 5 3
has "never allocated" err.txt "never allocated"

# --- stale lists and the clock
expect 0 "sign a short-lived list" -- nansen status sign -k ngo.key ngo.status --valid 1s -o short.cwt
mkdir shortdir
cp short.cwt shortdir/ngo.cwt
later=$(($(date +%s) + 3600))
expect 1 "stale list" -- nansen verify --as "$clinic" --issuer "$ngo" --status-dir shortdir \
    --at "$later" -i grant1.cbor --json
reason_is "stale" status_stale
expect 0 "--accept-stale" -- nansen verify --as "$clinic" --issuer "$ngo" --status-dir shortdir \
    --at "$later" --accept-stale 2h -i grant1.cbor --json
is "stale accepted" "$(jin status_list stale_accepted)" true
expect 0 "--accept-stale, human" -- nansen verify --as "$clinic" --issuer "$ngo" --status-dir shortdir \
    --at "$later" --accept-stale 2h -i grant1.cbor
has "stale said" out.txt "stale, accepted"
early=$(($(date +%s) - 7200))
expect 1 "clock behind the list" -- nansen verify "${v[@]}" --at "$early" -i grant1.cbor --json
reason_is "clock behind" clock_behind

# --- withdrawal
expect 0 "withdraw" -- nansen withdraw -k migrant.key -i grant1.cbor -o w1.cbor
expect 2 "withdraw with another key" -- nansen withdraw -k other.key -i grant1.cbor -o wx.cbor
has "not the holder" err.txt "not the key of this grant's holder"
[ ! -e wx.cbor ] && ok || bad "nothing written for another key"
expect 0 "withdrawals add (creates the store)" -- nansen withdrawals add clinic.wd w1.cbor
has "added" err.txt "1 added"
expect 0 "withdrawals add again" -- nansen withdrawals add clinic.wd w1.cbor
has "added nothing" err.txt "0 added"
expect 0 "withdrawals list" -- nansen withdrawals list clinic.wd
has "list names the holder" out.txt "holder $migrant"
[ "$(wc -l < out.txt)" -eq 1 ] && ok || bad "one withdrawal listed"
# a withdrawal whose signature is not its key's: flip the last byte
cp w1.cbor forged.cbor
last=$(($(wc -c < forged.cbor) - 1))
printf '\x00' | dd of=forged.cbor bs=1 seek="$last" conv=notrunc 2>/dev/null
cmp -s w1.cbor forged.cbor && printf '\x01' | dd of=forged.cbor bs=1 seek="$last" conv=notrunc 2>/dev/null
cp clinic.wd before.wd
expect 0 "withdraw grant 2" -- nansen withdraw -k migrant2.key -i grant2.cbor -o w2.cbor
rc=0; nansen withdrawals add clinic.wd w2.cbor forged.cbor > out.txt 2> err.txt || rc=$?
[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] && ok || bad "forged withdrawal refused: exit $rc"
has "store not changed said" err.txt "not changed"
same "a refused file" clinic.wd before.wd
printf 'junk' > junk.cbor
expect 2 "withdrawals add of junk" -- nansen withdrawals add clinic.wd junk.cbor
same "junk" clinic.wd before.wd
expect 2 "withdrawals list of a missing store" -- nansen withdrawals list nothere.wd
expect 1 "verify --withdrawals" -- nansen verify "${v[@]}" --withdrawals clinic.wd -i grant1.cbor --json
reason_is "withdrawn" withdrawn_by_holder
expect 1 "verify --withdrawals, human" -- nansen verify "${v[@]}" --withdrawals clinic.wd -i grant1.cbor
has "REJECT withdrawn" out.txt "REJECT withdrawn_by_holder"
expect 2 "verify with a missing store" -- nansen verify "${v[@]}" --withdrawals nothere.wd -i grant1.cbor

# --- trust list
expect 0 "trust init" -- nansen trust init -k gov.key --issuer-name "Athens Referral Network" -o trust.cwt
expect 2 "trust init over a file" -- nansen trust init -k gov.key -o trust.cwt
expect 0 "trust add the NGO" -- nansen trust add -k gov.key --list trust.cwt --did "$ngo" \
    --name "Helping Hands Athens" --role ngo,status-issuer --valid 1y
expect 2 "trust add twice" -- nansen trust add -k gov.key --list trust.cwt --did "$ngo" \
    --name "Helping Hands" --role ngo
has "already listed" err.txt "already listed"
expect 1 "a clinic not on the list may not receive grants" -- nansen verify --as "$clinic" \
    --trust trust.cwt --governance "$gov" --status-dir statusdir -i grant1.cbor --json
reason_is "audience not listed" wrong_role
expect 0 "trust add the clinic" -- nansen trust add -k gov.key --list trust.cwt --did "$clinic" \
    --name "Athens Community Clinic" --role clinic
expect 0 "trust show" -- nansen trust show trust.cwt --governance "$gov"
has "sequence" out.txt "sequence:   3"
has "issuer name" out.txt "Athens Referral Network"
has "ngo listed" out.txt "$ngo"
has "roles" out.txt "roles: ngo,status-issuer"
expect 1 "trust show with another governance key" -- nansen trust show trust.cwt --governance "$other"
expect 1 "trust add with another key" -- nansen trust add -k other.key --list trust.cwt \
    --did "$other" --name X --role ngo
t0=(--as "$clinic" --trust trust.cwt --governance "$gov")
t=("${t0[@]}" --status-dir statusdir)
expect 0 "verify --trust without --issuer" -- nansen verify "${t[@]}" -i grant1.cbor
expect 0 "verify --trust --status-dir" -- nansen verify "${t[@]}" -i grant1.cbor
has "not revoked" out.txt "not revoked as of"
expect 1 "verify --trust, revoked" -- nansen verify "${t[@]}" -i grant2.cbor --json
reason_is "revoked through the trust list" revoked
expect 2 "verify --trust with another governance key" -- nansen verify --as "$clinic" \
    --trust trust.cwt --governance "$other" -i grant1.cbor
expect 0 "trust remove" -- nansen trust remove -k gov.key --list trust.cwt --did "$ngo"
expect 2 "trust remove twice" -- nansen trust remove -k gov.key --list trust.cwt --did "$ngo"
has "not listed" err.txt "not listed"
expect 1 "NGO not listed" -- nansen verify "${t0[@]}" -i grant1.cbor --json
reason_is "not listed" untrusted_issuer
# the status dir holds a list of an issuer no longer trusted: fail closed
expect 2 "status list of an untrusted issuer" -- nansen verify "${t[@]}" -i grant1.cbor
has "policy said" err.txt "--status-dir statusdir"
expect 0 "trust add the NGO as clinic only" -- nansen trust add -k gov.key --list trust.cwt \
    --did "$ngo" --name "Helping Hands Athens" --role clinic
expect 1 "NGO listed only as clinic" -- nansen verify "${t0[@]}" -i grant1.cbor --json
reason_is "wrong role" wrong_role
expect 0 "trust add to a new file" -- nansen trust add -k gov.key --list new.cwt --did "$ngo" \
    --name "Helping Hands" --role ngo --list-valid 30d
expect 0 "trust show of it" -- nansen trust show new.cwt --governance "$gov"
has "sequence 1" out.txt "sequence:   1"
lacks "stale date" out.txt "stale from: never"

# --- bundle
if nansen bundle --help > /dev/null 2>&1; then
    mkdir clinicdir
    expect 0 "bundle export" -- nansen bundle export -k gov.key --trust new.cwt \
        --status statusdir/ngo.cwt --withdrawals clinic.wd -o bundle.cwt
    expect 0 "bundle import" -- nansen bundle import --governance "$gov" -i bundle.cwt \
        --trust clinic-trust.cwt --status-dir clinicdir --withdrawals clinic-store.wd
    [ -s clinic-trust.cwt ] && ok || bad "bundle import writes the trust list"
    [ -s clinic-store.wd ] && ok || bad "bundle import writes the store"
    ls clinicdir/*.cwt > /dev/null 2>&1 && ok || bad "bundle import writes the status list"
    b=(--as "$clinic" --trust clinic-trust.cwt --governance "$gov" --status-dir clinicdir
       --withdrawals clinic-store.wd)
    expect 1 "after import: withdrawn" -- nansen verify "${b[@]}" -i grant1.cbor --json
    reason_is "imported withdrawal" withdrawn_by_holder
    expect 1 "after import: revoked" -- nansen verify "${b[@]}" -i grant2.cbor --json
    reason_is "imported status list" revoked
    expect 0 "bundle import again" -- nansen bundle import --governance "$gov" -i bundle.cwt \
        --trust clinic-trust.cwt --status-dir clinicdir --withdrawals clinic-store.wd
    cp clinic-trust.cwt before-trust.cwt
    expect 1 "bundle import with another governance key" -- nansen bundle import \
        --governance "$other" -i bundle.cwt --trust clinic-trust.cwt \
        --status-dir clinicdir --withdrawals clinic-store.wd
    same "refused bundle" clinic-trust.cwt before-trust.cwt
    expect 2 "bundle export without --trust" -- nansen bundle export -k gov.key -o b.cwt
    expect 2 "bundle import without --governance" -- nansen bundle import -i bundle.cwt \
        --trust x --status-dir clinicdir
    expect 2 "bundle without action" -- nansen bundle
fi

# --- usage errors
expect 2 "status without action" -- nansen status
expect 2 "status unknown action" -- nansen status frob
expect 2 "status create without --uri" -- nansen status create -o x.status
expect 2 "status create without -o" -- nansen status create --uri "$uri"
expect 2 "status create bad --bits" -- nansen status create --uri "$uri" --bits 3 -o x.status
expect 2 "status create bad --size" -- nansen status create --uri "$uri" --size 0 -o x.status
expect 2 "status create bad uri" -- nansen status create --uri 'not a uri' -o x.status
[ ! -e x.status ] && ok || bad "no file after usage errors"
expect 2 "status set too few" -- nansen status set ngo.status 1
expect 2 "status set bad value" -- nansen status set ngo.status 1 gone
expect 2 "status set value too big" -- nansen status set ngo.status 1 4
expect 2 "status set index outside" -- nansen status set ngo.status 1024 revoked
expect 2 "status set missing file" -- nansen status set nothere.status 1 revoked
expect 2 "status sign without -k" -- nansen status sign ngo.status -o y.cwt
expect 2 "status sign without file" -- nansen status sign -k ngo.key -o y.cwt
expect 2 "status sign bad --valid" -- nansen status sign -k ngo.key ngo.status --valid 7 -o y.cwt
expect 2 "status sign bad --ttl" -- nansen status sign -k ngo.key ngo.status --ttl x -o y.cwt
expect 2 "status show junk" -- nansen status show junk.cbor
expect 2 "status show nothing" -- nansen status show
expect 2 "withdraw without -k" -- nansen withdraw -i grant1.cbor -o w.cbor
expect 2 "withdraw of junk" -- nansen withdraw -k migrant.key -i junk.cbor -o w.cbor
expect 2 "withdraw extra" -- nansen withdraw -k migrant.key -i grant1.cbor extra
expect 2 "withdrawals without action" -- nansen withdrawals
expect 2 "withdrawals add without files" -- nansen withdrawals add clinic.wd
expect 2 "withdrawals add nothing" -- nansen withdrawals add
expect 2 "withdrawals add unknown option" -- nansen withdrawals add clinic.wd --frob w1.cbor
expect 2 "withdrawals list extra" -- nansen withdrawals list clinic.wd extra
expect 2 "trust without action" -- nansen trust
expect 2 "trust unknown action" -- nansen trust frob
expect 2 "trust init without -o" -- nansen trust init -k gov.key
expect 2 "trust init without -k" -- nansen trust init -o t2.cwt
expect 2 "trust add without --role" -- nansen trust add -k gov.key --list trust.cwt --did "$other" --name X
expect 2 "trust add bad --role" -- nansen trust add -k gov.key --list trust.cwt --did "$other" --name X --role boss
expect 2 "trust add without --name" -- nansen trust add -k gov.key --list trust.cwt --did "$other" --role ngo
expect 2 "trust add without --did" -- nansen trust add -k gov.key --list trust.cwt --name X --role ngo
expect 2 "trust add bad --did" -- nansen trust add -k gov.key --list trust.cwt --did did:key:zzz --name X --role ngo
expect 2 "trust add bad --valid" -- nansen trust add -k gov.key --list trust.cwt --did "$other" --name X --role ngo --valid forever
expect 2 "trust remove without --list" -- nansen trust remove -k gov.key --did "$ngo"
expect 2 "trust show without --governance" -- nansen trust show trust.cwt
expect 2 "trust show of a missing file" -- nansen trust show nothere.cwt --governance "$gov"
expect 2 "verify --trust without --governance" -- nansen verify --as "$clinic" --trust trust.cwt -i grant1.cbor
expect 2 "verify --governance without --trust" -- nansen verify --as "$clinic" --issuer "$ngo" --governance "$gov" -i grant1.cbor
expect 2 "verify without --issuer or --trust" -- nansen verify --as "$clinic" -i grant1.cbor
expect 2 "verify bad --accept-stale" -- nansen verify "${v[@]}" --accept-stale soon -i grant1.cbor
expect 2 "verify --status-dir without a value" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant1.cbor --status-dir
expect 2 "verify --trust of a missing file" -- nansen verify --as "$clinic" --trust nothere.cwt --governance "$gov" -i grant1.cbor
expect 2 "issue --status-list of a missing file" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service primary-care --urgency routine --status-list nothere.status -o r.cbor
[ ! -e r.cbor ] && ok || bad "no referral without its list"

# --- help
for c in status withdraw withdrawals trust bundle; do
    expect 0 "$c --help" -- nansen $c --help
    grep -q "^Usage: nansen $c" out.txt && ok || bad "$c --help shows usage"
    expect 0 "help $c" -- nansen help $c
done
expect 0 "nansen --help" -- nansen --help
for c in status withdraw withdrawals trust bundle; do has "--help lists $c" out.txt "  $c "; done

echo "cli trust: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
