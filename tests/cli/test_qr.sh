#!/usr/bin/env bash
# Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of the QR codes of the nansen command: qr encode,
# decode and scan, grant --qr and the QR budget, verify, inspect and card
# from images and QR texts; EU DCC test images when NANSEN_VECTORS_DIR is
# set.
#   tests/cli/test_qr.sh PATH_TO_nansen
# NANSEN_WRAPPER, if set, prefixes every run (e.g. valgrind). python3, when
# present, checks the framing and makes test images.
set -u

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2

passed=0
failed=0
skipped=0
# shellcheck disable=SC2086
nansen() { ${NANSEN_WRAPPER:-} "$bin" "$@"; }

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
skip() { skipped=$((skipped + 1)); echo "skip: $*"; }

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
# is DESCRIPTION GOT WANTED
is() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', wanted '$3'"; }
# JSON printed by cJSON: the value of a top-level member of out.txt
jtop() { sed -n "s/^	\"$1\":	\(.*\)$/\1/p" out.txt | sed 's/,$//'; }

have_py=0
command -v python3 > /dev/null 2>&1 && have_py=1

# png_size FILE: the width of a PNG (big-endian at byte 16)
png_size() { od -An -tu1 -j16 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
# version_of FILE: "N" of "QR version N at level X" in err.txt
version_of() { sed -n 's/.*QR version \([0-9]*\) at level.*/\1/p' err.txt | head -n 1; }

# --- helpers in Python: Base45 and zlib of the framing, test images
cat > unframe.py <<'EOF'
# unframe.py TEXTFILE CBORFILE: the framed text decodes to the CBOR bytes
import sys, zlib
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
text = open(sys.argv[1]).read().rstrip("\n")
for prefix, z in (("NS1Z:", True), ("NS1:", False)):
    if text.startswith(prefix):
        body = text[len(prefix):]
        break
else:
    sys.exit("no NS1 prefix")
out = bytearray()
for i in range(0, len(body), 3):
    g = [A.index(c) for c in body[i:i + 3]]
    v = sum(d * 45 ** k for k, d in enumerate(g))
    out += v.to_bytes(2 if len(g) == 3 else 1, "big")
if z:
    out = zlib.decompress(bytes(out))
sys.exit(0 if bytes(out) == open(sys.argv[2], "rb").read() else "differs")
EOF
cat > tamper.py <<'EOF'
# tamper.py IN OUT: change the last Base45 character group's low digit by
# one (the last byte of the holder's signature): still valid Base45
import sys
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
t = open(sys.argv[1]).read().rstrip("\n")
body = t.index(":") + 1
n = len(t) - body
pos = body + n - (3 if n % 3 == 0 else 2)
i = A.index(t[pos])
t = t[:pos] + A[i + 1 if i == 0 else i - 1] + t[pos + 1:]
open(sys.argv[2], "w").write(t + "\n")
EOF
cat > blank.py <<'EOF'
# blank.py OUT: a 64 x 64 white 8-bit grey PNG
import struct, sys, zlib
def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c))
raw = b"".join(b"\0" + b"\xff" * 64 for _ in range(64))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
EOF
cat > side.py <<'EOF'
# side.py A.txt B.txt OUT.pgm: two codes drawn by 'nansen qr encode -o -'
# (half blocks: a block is two light modules, a space two dark ones) side
# by side in one binary PGM, 4 pixels a module
import sys
TOP = {"\u2588": (1, 1), " ": (0, 0), "\u2580": (1, 0), "\u2584": (0, 1)}
def modules(path):
    rows = []
    for line in open(path, encoding="utf-8").read().splitlines():
        top = [TOP[c][0] for c in line]
        bottom = [TOP[c][1] for c in line]
        rows += [top, bottom]
    return rows
a, b = modules(sys.argv[1]), modules(sys.argv[2])
h = max(len(a), len(b))
def row(m, y, w):
    return m[y] if y < len(m) else [1] * w
wa, wb = len(a[0]), len(b[0])
s = 4
pix = bytearray()
for y in range(h):
    line = row(a, y, wa) + row(b, y, wb)
    px = b"".join((b"\xff" if v else b"\x00") * s for v in line)
    pix += px * s
w = (wa + wb) * s
open(sys.argv[3], "wb").write(b"P5\n%d %d\n255\n" % (w, h * s) + bytes(pix))
EOF

# --- the parties, a referral and a grant
ngo=$(nansen keygen -o ngo.key) || bad "keygen ngo"
migrant=$(nansen keygen -o migrant.key) || bad "keygen migrant"
clinic=$(nansen keygen --alg secp256k1 -o clinic.key) || bad "keygen clinic"
other=$(nansen keygen -o other.key) || bad "keygen other clinic"
notes='Trouble sleeping since the crossing'
risk='RISK-7f3a self-harm history'

expect 0 "issue referral" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service psychosocial-support --urgency priority --claim language=ti \
    --claim "notes=$notes" --claim "risk=$risk" --issuer-name "Helping Hands" \
    -o referral.cbor
expect 0 "grant --qr with -o" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language,health \
    --disclose language,notes --yes -o grant.cbor --qr grant.png
[ -s grant.cbor ] && [ -s grant.png ] && ok || bad "grant --qr writes the grant and the code"
[ ! -s out.txt ] && ok || bad "grant --qr -o writes nothing to stdout"
has "grant --qr says the version" err.txt "nansen grant: grant.png: QR version"
has "grant --qr at level M" err.txt "at level M"
v=$(version_of)
is "PNG size of the grant's code" "$(png_size grant.png)" "$(((4 * v + 17 + 8) * 8))"
is "a PNG" "$(head -c 4 grant.png | od -An -c | tr -d ' ')" '211PNG'

# --- qr decode gives the framed text, exactly
expect 0 "qr decode" -- nansen qr decode grant.png
cp out.txt grant.txt
is "one code" "$(wc -l < grant.txt)" 1
case $(head -c 4 grant.txt) in NS1:|NS1Z) ok ;; *) bad "framed text: $(head -c 8 grant.txt)" ;; esac
if [ "$have_py" -eq 1 ]; then
    python3 unframe.py grant.txt grant.cbor && ok || bad "the text is the grant, framed"
else
    skip "framing check (no python3)"
fi
expect 0 "qr decode from standard input" -- nansen qr decode - < grant.png
cmp -s out.txt grant.txt && ok || bad "decode - gives the same text"
expect 0 "qr decode -i" -- nansen qr decode -i grant.png
cmp -s out.txt grant.txt && ok || bad "decode -i gives the same text"

# --- qr encode: every level, PNG, SVG, terminal
expect 0 "qr encode of the grant" -- nansen qr encode -i grant.cbor -o again.png
is "the grant's code again" "$(version_of)" "$v"
cmp -s again.png grant.png && ok || bad "the same grant gives the same PNG"
last=0
for l in L M Q H; do
    expect 0 "qr encode --ecc $l PNG" -- nansen qr encode -i grant.cbor -o "g$l.png" --ecc "$l"
    has "level $l said" err.txt "g$l.png: QR version"
    has "level $l named" err.txt "at level $l"
    n=$(version_of)
    [ "$n" -ge "$last" ] 2>/dev/null && ok || bad "level $l needs version $n, less than $last"
    last=$n
    is "PNG size at $l" "$(png_size "g$l.png")" "$(((4 * n + 17 + 8) * 8))"
    expect 0 "decode level $l" -- nansen qr decode "g$l.png"
    cmp -s out.txt grant.txt && ok || bad "level $l decodes to the framed text"
    expect 0 "qr encode --ecc $l SVG" -- nansen qr encode -i grant.cbor -o "g$l.svg" --ecc "$l"
    has "SVG at $l" "g$l.svg" "<svg"
    has "SVG version at $l" err.txt "QR version $n at level $l"
    expect 0 "qr encode --ecc $l terminal" -- nansen qr encode -i grant.cbor -o - --ecc "$l"
    has "terminal at $l" out.txt "█"
    is "terminal lines at $l" "$(wc -l < out.txt)" "$(((4 * n + 17 + 8 + 1) / 2))"
    has "terminal version at $l" err.txt "standard output: QR version $n at level $l"
done
expect 0 "lowercase level" -- nansen qr encode -i grant.cbor -o q.png --ecc q
has "lowercase q is Q" err.txt "at level Q"
expect 0 "--scale 2 --margin 0" -- nansen qr encode -i grant.cbor -o small.png --scale 2 --margin 0
is "scale and margin" "$(png_size small.png)" "$(((4 * v + 17) * 2))"
expect 0 "decode it" -- nansen qr decode small.png
cmp -s out.txt grant.txt && ok || bad "a code without margin still reads"
expect 0 "--scale=3 --margin=16" -- nansen qr encode -i grant.cbor --out=big.png --scale=3 --margin=16
is "scale 3 margin 16" "$(png_size big.png)" "$(((4 * v + 17 + 32) * 3))"
expect 0 "upper-case extension" -- nansen qr encode -i grant.cbor -o UPPER.PNG
is "UPPER.PNG is a PNG" "$(head -c 4 UPPER.PNG | od -An -c | tr -d ' ')" '211PNG'
expect 0 "encode from standard input" -- nansen qr encode -o stdin.png < grant.cbor
cmp -s stdin.png grant.png && ok || bad "stdin gives the same code"

# framed text in: as it is, one trailing line break dropped
expect 0 "encode a framed text" -- nansen qr encode -i grant.txt -o text.png
cmp -s text.png grant.png && ok || bad "the framed text gives the grant's code"
lacks "no warning for a good text" err.txt "warning"
printf '%s' "$(cat grant.txt)" > bare.txt
expect 0 "encode a text without a line break" -- nansen qr encode -i bare.txt -o bare.png
cmp -s bare.png grant.png && ok || bad "without the line break too"
printf '%s\r\n' "$(cat grant.txt)" > crlf.txt
expect 0 "encode a text with CRLF" -- nansen qr encode -i crlf.txt -o crlf.png
cmp -s crlf.png grant.png && ok || bad "with CRLF too"

# --- verify from the image and from the text
expect 0 "verify --image" -- nansen verify --as "$clinic" --issuer "$ngo" --image grant.png
is "ACCEPT from the image" "$(head -n 1 out.txt)" "ACCEPT"
has "notes from the image" out.txt "  notes: $notes"
lacks "no risk from the image" out.txt "$risk"
expect 0 "verify --image --json" -- nansen verify --as "$clinic" --issuer "$ngo" --image grant.png --json
is "image verdict" "$(jtop verdict)" '"accept"'
expect 0 "verify with the text on stdin" -- nansen verify --as "$clinic" --issuer "$ngo" < grant.txt
is "ACCEPT from the text" "$(head -n 1 out.txt)" "ACCEPT"
expect 0 "verify -i text" -- nansen verify --as "$clinic" --issuer "$ngo" -i bare.txt --json
is "text verdict" "$(jtop verdict)" '"accept"'
expect 0 "verify -i CRLF text" -- nansen verify --as "$clinic" --issuer "$ngo" -i crlf.txt -q
nansen qr decode grant.png | nansen verify -q --as "$clinic" --issuer "$ngo" && ok \
    || bad "qr decode | verify"
expect 0 "verify --image - (stdin)" -- nansen verify --as "$clinic" --issuer "$ngo" --image - < grant.png
expect 1 "another clinic, same image" -- nansen verify --as "$other" --issuer "$ngo" --image grant.png --json
is "wrong audience from the image" "$(jtop reason)" '"wrong_audience"'
expect 1 "untrusted issuer, from the text" -- nansen verify --as "$clinic" --issuer "$other" -i grant.txt --json
is "untrusted from the text" "$(jtop reason)" '"untrusted_issuer"'

# --- tampered codes
if [ "$have_py" -eq 1 ]; then
    python3 tamper.py grant.txt tampered.txt
    cmp -s tampered.txt grant.txt && bad "tampering changed the text" || ok
    expect 0 "encode the tampered text" -- nansen qr encode -i tampered.txt -o tampered.png
    expect 1 "tampered image" -- nansen verify --as "$clinic" --issuer "$ngo" --image tampered.png --json
    is "tampered verdict" "$(jtop verdict)" '"reject"'
    is "tampered reason" "$(jtop reason)" '"bad_holder_signature"'
    expect 1 "tampered image, for people" -- nansen verify --as "$clinic" --issuer "$ngo" --image tampered.png
    is "tampered line" "$(head -n 1 out.txt)" "REJECT bad_holder_signature"
    lacks "a tampered grant shows nothing" out.txt "$notes"
else
    skip "tampered code (no python3)"
fi
# a character outside Base45: the text itself is broken
sed 's/^\(NS1Z*:.\)./\1a/' grant.txt > broken.txt
expect 0 "encode a broken text" -- nansen qr encode -i broken.txt -o broken.png
has "encode warns" err.txt "warning: the text does not decode"
expect 0 "decode it" -- nansen qr decode broken.png
cmp -s out.txt broken.txt && ok || bad "a broken text goes in as it is"
expect 1 "broken image" -- nansen verify --as "$clinic" --issuer "$ngo" --image broken.png --json
is "broken verdict" "$(jtop reason)" '"malformed"'
is "broken status" "$(jtop status)" '"NANSEN_ERR_BAD_ENCODING"'
has "broken message" out.txt '"message":'
expect 1 "broken text, for people" -- nansen verify --as "$clinic" --issuer "$ngo" -i broken.txt
is "broken line" "$(head -n 1 out.txt)" "REJECT malformed"
expect 1 "broken text -q" -- nansen verify -q --as "$clinic" --issuer "$ngo" -i broken.txt
[ ! -s out.txt ] && [ ! -s err.txt ] && ok || bad "-q prints nothing"
sed 's/^NS1Z*:/NS2:/' grant.txt > ns2.txt
expect 1 "a later version" -- nansen verify --as "$clinic" --issuer "$ngo" -i ns2.txt --json
is "NS2 reason" "$(jtop reason)" '"unsupported_version"'
head -c 40 grant.txt > cut.txt
expect 1 "a cut text" -- nansen verify --as "$clinic" --issuer "$ngo" -i cut.txt
is "cut line" "$(head -n 1 out.txt)" "REJECT malformed"

# --- a code that is not Nansen's
echo hello > hello.txt
expect 2 "encode plain text without --text" -- nansen qr encode -i hello.txt -o hello.png
has "plain text message" err.txt "pass --text"
[ ! -e hello.png ] && ok || bad "a refused encode writes nothing"
expect 0 "encode --text" -- nansen qr encode --text -i hello.txt -o hello.png
has "hello at version 1" err.txt "QR version 1 at level M"
expect 0 "decode hello" -- nansen qr decode hello.png
is "hello text" "$(cat out.txt)" "hello"
expect 1 "verify a non-Nansen code" -- nansen verify --as "$clinic" --issuer "$ngo" --image hello.png
has "not-Nansen message" err.txt "the image holds a QR code that is not a Nansen grant: hello"
[ ! -s out.txt ] && ok || bad "no verdict printed for a non-Nansen code"
expect 1 "verify -q a non-Nansen code" -- nansen verify -q --as "$clinic" --issuer "$ngo" --image hello.png
[ ! -s err.txt ] && ok || bad "-q: nothing said"
head -c 100 /dev/zero | tr '\0' 'x' > long.txt
expect 0 "encode a long text" -- nansen qr encode --text -i long.txt -o long.png
expect 1 "verify a long non-Nansen code" -- nansen verify --as "$clinic" --issuer "$ngo" --image long.png
has "40 characters, then ..." err.txt "not a Nansen grant: $(head -c 40 long.txt)..."
expect 1 "inspect a non-framed code" -- nansen inspect --image hello.png
has "inspect not-framed message" err.txt "that is not a Nansen token or an EU DCC: hello"
expect 1 "card of a non-Nansen code" -- nansen card --image hello.png -o x.svg
[ ! -e x.svg ] && ok || bad "no card without a grant"
expect 0 "encode --text of a framed text" -- nansen qr encode --text -i broken.txt -o broken2.png
lacks "--text does not judge" err.txt "warning"

# --- images without a code, and files that are not images
if [ "$have_py" -eq 1 ]; then
    python3 blank.py blank.png
    expect 1 "decode a blank image" -- nansen qr decode blank.png
    has "no code message" err.txt "blank.png: no QR code found in the image"
    expect 1 "verify a blank image" -- nansen verify --as "$clinic" --issuer "$ngo" --image blank.png
    has "verify: no code" err.txt "no QR code"
    expect 1 "inspect a blank image" -- nansen inspect --image blank.png
    expect 1 "card of a blank image" -- nansen card --image blank.png
else
    skip "blank image (no python3)"
fi
printf 'not an image at all' > junk.png
expect 2 "decode a non-image" -- nansen qr decode junk.png
has "not an image message" err.txt "junk.png: not a readable PNG, JPEG, PGM or PPM image"
expect 2 "verify --image a non-image" -- nansen verify --as "$clinic" --issuer "$ngo" --image junk.png
expect 2 "inspect --image a non-image" -- nansen inspect --image junk.png
head -c 200 grant.png > cut.png
expect 2 "decode a cut PNG" -- nansen qr decode cut.png
expect 2 "decode a missing file" -- nansen qr decode missing.png
expect 2 "verify --image a missing file" -- nansen verify --as "$clinic" --issuer "$ngo" --image missing.png

# --- several codes in one image
if [ "$have_py" -eq 1 ]; then
    nansen qr encode --text -i hello.txt -o - > hello.term 2> /dev/null
    nansen qr encode -i grant.cbor -o - --ecc L > grant.term 2> /dev/null
    python3 side.py hello.term grant.term two.pgm
    expect 0 "decode two codes" -- nansen qr decode two.pgm
    is "two lines" "$(wc -l < out.txt)" 2
    has "hello among them" out.txt "hello"
    grep -qxF -- "$(cat grant.txt)" out.txt && ok || bad "the grant among them"
    expect 0 "verify the Nansen one of two" -- nansen verify --as "$clinic" --issuer "$ngo" --image two.pgm
    is "ACCEPT of two" "$(head -n 1 out.txt)" "ACCEPT"
    has "says which code" err.txt "two.pgm holds 2 QR codes: using code"
    has "... the first Nansen one" err.txt "the first that is a Nansen grant"
    expect 0 "verify -q of two" -- nansen verify -q --as "$clinic" --issuer "$ngo" --image two.pgm
    [ ! -s err.txt ] && ok || bad "-q: no note"
    python3 side.py hello.term hello.term hellos.pgm
    expect 1 "two non-Nansen codes" -- nansen verify --as "$clinic" --issuer "$ngo" --image hellos.pgm
    has "none of them" err.txt "the image holds 2 QR codes, none of them a Nansen grant; the first: hello"
else
    skip "several codes (no python3)"
fi

# --- inspect
expect 0 "inspect the grant" -- nansen inspect grant.cbor
cp out.txt grant.json
expect 0 "inspect --image" -- nansen inspect --image grant.png
cmp -s out.txt grant.json && ok || bad "inspect --image shows the grant"
expect 0 "inspect -i text" -- nansen inspect -i grant.txt
cmp -s out.txt grant.json && ok || bad "inspect of the text shows the grant"
expect 0 "inspect text on stdin" -- nansen inspect < bare.txt
cmp -s out.txt grant.json && ok || bad "inspect of stdin text shows the grant"
expect 0 "inspect --lang fr --image" -- nansen inspect --lang fr --image grant.png
has "labels from an image" out.txt '"labels":'
expect 1 "inspect a broken text" -- nansen inspect broken.txt
has "inspect broken message" err.txt "the QR text does not decode"

# --- the EU Digital COVID Certificate test images
dgc=${NANSEN_VECTORS_DIR:-}/dgc-testdata
if [ -n "${NANSEN_VECTORS_DIR:-}" ] && [ -d "$dgc" ]; then
    n=0
    for png in "$dgc"/*/png/*.png "$dgc"/*/2DCode/png/*.png; do
        [ -e "$png" ] || continue
        country=$(basename "$(dirname "$(dirname "$png")")")
        [ "$country" = 2DCode ] && country=$(basename "$(dirname "$(dirname "$(dirname "$png")")")")
        raw=$dgc/$country/2DCode/raw/$(basename "$png" .png).json
        n=$((n + 1))
        expect 0 "decode $country $(basename "$png")" -- nansen qr decode "$png"
        case $(head -c 4 out.txt) in HC1:) ok ;; *) bad "$png: not HC1: $(head -c 8 out.txt)" ;; esac
        if [ "$have_py" -eq 1 ] && [ -f "$raw" ]; then
            python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["PREFIX"])' \
                "$raw" > prefix.txt
            cmp -s out.txt prefix.txt && ok || bad "$png: the text is the vector's PREFIX"
        fi
        cp out.txt hc1.txt
        expect 0 "inspect --image $country $(basename "$png")" -- nansen inspect --image "$png"
        has "$png: a COSE_Sign1" out.txt '"type":	"COSE_Sign1"'
        has "$png: the health certificate claim" out.txt '"-260":'
        expect 0 "inspect -i HC1 text" -- nansen inspect -i hc1.txt
        has "HC1 text: the health certificate claim" out.txt '"-260":'
        expect 1 "verify a DCC" -- nansen verify --as "$clinic" --issuer "$ngo" --image "$png"
        has "$png: not a Nansen grant" err.txt "the image holds a QR code that is not a Nansen grant: HC1:"
        expect 0 "encode the HC1 text" -- nansen qr encode -i hc1.txt -o hc1.png
        lacks "an HC1 text decodes" err.txt "warning"
        expect 0 "decode it again" -- nansen qr decode hc1.png
        cmp -s out.txt hc1.txt && ok || bad "$png: HC1 text round trip"
    done
    [ "$n" -gt 0 ] && ok || bad "no DCC test image in $dgc"
else
    skip "EU DCC images (NANSEN_VECTORS_DIR unset)"
fi

# --- the consent card
expect 0 "card" -- nansen card -i grant.cbor -o card.svg
has "an SVG" card.svg "<svg"
has "A6" card.svg 'width="105mm" height="148mm"'
has "in the notice's language" card.svg 'xml:lang="en"'
lacks "English is left to right" card.svg 'direction="rtl"'
expect 0 "card --lang ar" -- nansen card -i grant.cbor --lang ar -o card-ar.svg
has "Arabic is right to left" card-ar.svg 'direction="rtl"'
has "Arabic card" card-ar.svg 'xml:lang="ar"'
expect 0 "card to stdout" -- nansen card -i grant.cbor
cmp -s out.txt card.svg && ok || bad "card to stdout is the same card"
expect 0 "card from the image" -- nansen card --image grant.png -o card-img.svg
cmp -s card-img.svg card.svg && ok || bad "card from the image is the same"
expect 0 "card from the text" -- nansen card -i grant.txt -o card-txt.svg
cmp -s card-txt.svg card.svg && ok || bad "card from the text is the same"
expect 0 "card from stdin" -- nansen card -o card-stdin.svg < grant.cbor
cmp -s card-stdin.svg card.svg && ok || bad "card from stdin is the same"
expect 0 "card --ecc H" -- nansen card -i grant.cbor --ecc H -o card-h.svg
cmp -s card-h.svg card.svg && bad "--ecc H changes the code" || ok
expect 0 "grant with a French notice" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose follow-up --data language --disclose language --lang fr \
    --yes -o grant-fr.cbor
expect 0 "card of the French grant" -- nansen card -i grant-fr.cbor -o card-fr.svg
has "a French card by default" card-fr.svg 'xml:lang="fr"'
expect 0 "card --lang en of it" -- nansen card -i grant-fr.cbor --lang en -o card-fr-en.svg
has "English when asked" card-fr-en.svg 'xml:lang="en"'
expect 2 "card of a referral" -- nansen card -i referral.cbor -o x.svg
has "not a grant message" err.txt "not a consent grant"
expect 2 "card of a broken text" -- nansen card -i broken.txt -o x.svg
has "broken card message" err.txt "the QR text does not decode"
expect 2 "card --lang de" -- nansen card -i grant.cbor --lang de -o x.svg
has "card language message" err.txt "no consent notice in language 'de'"
expect 2 "card --ecc X" -- nansen card -i grant.cbor --ecc X -o x.svg
expect 2 "card -i and --image" -- nansen card -i grant.cbor --image grant.png -o x.svg
expect 2 "card missing file" -- nansen card -i missing.cbor -o x.svg
expect 2 "card unexpected argument" -- nansen card -i grant.cbor extra
expect 2 "card --lang without a value" -- nansen card -i grant.cbor --lang
[ ! -e x.svg ] && ok || bad "failed cards write nothing"

# --- grant --qr: the outputs
expect 0 "grant --qr alone" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes --qr only.svg
[ -s only.svg ] && [ ! -s out.txt ] && ok || bad "--qr alone writes only the code"
has "--qr alone: an SVG" only.svg "<svg"
expect 0 "grant --qr - (the terminal)" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes --qr -
has "terminal code on stdout" out.txt "█"
has "the notice still on stderr" err.txt "Consent notice (en):"
has "version on stderr" err.txt "standard output: QR version"
expect 0 "grant -o - --qr FILE" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes -o - --qr both.png
[ -s out.txt ] && [ -s both.png ] && ok || bad "-o - and --qr FILE write both"
cp out.txt piped.cbor
expect 0 "the pipe holds the grant" -- nansen verify -q --as "$clinic" --issuer "$ngo" -i piped.cbor
expect 0 "... and the code too" -- nansen verify -q --as "$clinic" --issuer "$ngo" --image both.png
expect 2 "-o - and --qr -" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes -o - --qr -
expect 2 "--qr of another format" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes --qr code.gif
has "--qr format message" err.txt "--qr wants a file name ending in .png or .svg"
expect 2 "--qr without a value" -- nansen grant -k migrant.key --referral referral.cbor \
    --to "$clinic" --purpose treatment --data language --yes --qr

# --- the QR budget
g=(-k migrant.key --referral referral.cbor --to "$clinic" --purpose treatment
   --data language,health --disclose language,notes --yes)
small=$((v - 2))
expect 2 "grant over its budget" -- nansen grant "${g[@]}" --qr-budget "${small}M" -o over.cbor --qr over.png
has "budget message" err.txt "the grant needs QR version $v at level M, over the budget of $small; reveal fewer claims, or pass --qr-budget ${v}M"
[ ! -e over.cbor ] && [ ! -e over.png ] && ok || bad "a refused grant writes nothing"
expect 0 "grant at exactly its budget" -- nansen grant "${g[@]}" --qr-budget "${v}M" -o exact.cbor
expect 0 "grant --qr-budget none" -- nansen grant "${g[@]}" --qr-budget none -o none.cbor
expect 0 "grant --qr-budget 40L" -- nansen grant "${g[@]}" --qr-budget 40L --qr l.png
has "the code at the budget's level" err.txt "at level L"
nansen qr encode -i grant.cbor -o qlevel.png --ecc Q 2> err.txt
vq=$(version_of)
if [ "$vq" -gt 20 ]; then
    expect 2 "--print refuses a grant past 20Q" -- nansen grant "${g[@]}" --print -o p.cbor
    has "print budget message" err.txt "the grant needs QR version $vq at level Q, over the budget of 20; reveal fewer claims, or pass --qr-budget ${vq}Q"
fi
expect 0 "--print with a larger version" -- nansen grant "${g[@]}" --print --qr-budget 40 --qr print.png
has "--print is level Q" err.txt "at level Q"
expect 0 "--print with a Q budget" -- nansen grant "${g[@]}" --print --qr-budget 40Q -o p.cbor
expect 2 "--print with an M budget" -- nansen grant "${g[@]}" --print --qr-budget 40M -o p.cbor
has "print conflict message" err.txt "--print means level Q"
for b in 0M 41M 20X 20MM M abc '' -1 100 none5; do
    expect 2 "grant --qr-budget '$b'" -- nansen grant "${g[@]}" --qr-budget "$b" -o u.cbor
done
has "budget usage message" err.txt "--qr-budget wants a QR version from 1 to 40"
[ ! -e u.cbor ] && ok || bad "usage errors write nothing"

# a small referral fits a printed code
expect 0 "small referral --print" -- nansen issue referral -k ngo.key --holder "$migrant" \
    --service primary-care --urgency routine --print -o small.cbor
expect 0 "its grant --print --qr" -- nansen grant -k migrant.key --referral small.cbor \
    --to "$clinic" --purpose treatment --data referral --yes --print --qr printed.png
has "printed at level Q" err.txt "printed.png: QR version"
has "... Q" err.txt "at level Q"
expect 0 "verify the printed code" -- nansen verify --as "$clinic" --issuer "$ngo" --image printed.png

# the referral's own budget
r=(-k ngo.key --holder "$migrant" --service psychosocial-support --urgency priority
   --claim language=ti --claim "notes=$notes" --claim "risk=$risk" -o big.cbor)
expect 2 "referral over its budget" -- nansen issue referral "${r[@]}" --qr-budget 5M
has "referral budget message" err.txt "the referral needs QR version"
has "... over 5" err.txt "over the budget of 5; shorten its claims or add fewer decoys, or pass --qr-budget"
[ ! -e big.cbor ] && ok || bad "a refused referral writes nothing"
expect 0 "referral --qr-budget none" -- nansen issue referral "${r[@]}" --qr-budget none
expect 2 "referral --qr-budget bad" -- nansen issue referral "${r[@]}" --qr-budget 20Z
expect 2 "referral --print --qr-budget 5H" -- nansen issue referral "${r[@]}" --print --qr-budget 5H
if [ "$have_py" -eq 1 ]; then
    noise() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(700)).decode()[:1000])'; }
    expect 2 "a referral no QR code holds" -- nansen issue referral -k ngo.key --holder "$migrant" \
        --service housing --urgency routine --claim "notes=$(noise)" --claim "risk=$(noise)" \
        --claim "contact=$(noise)" --qr-budget 40H -o huge.cbor
    has "past version 40" err.txt "the referral does not fit any QR code at level H (past version 40)"
    expect 0 "... made with --qr-budget none" -- nansen issue referral -k ngo.key --holder "$migrant" \
        --service housing --urgency routine --claim "notes=$(noise)" --claim "risk=$(noise)" \
        --claim "contact=$(noise)" --qr-budget none -o huge.cbor
    expect 2 "... but not as a code" -- nansen qr encode -i huge.cbor -o huge.png --ecc H
    has "too large for a code" err.txt "do not fit a QR code at level H (past version 40)"
    [ ! -e huge.png ] && ok || bad "no code for a token past version 40"
else
    skip "tokens past version 40 (no python3)"
fi

# --- qr scan: a camera that is not there
expect 2 "qr scan without a camera" -- nansen qr scan --device "$work/no-camera" --timeout 1
case $(cat err.txt) in
*"built without camera support"*|*"cannot open the camera"*) ok ;;
*) bad "qr scan without a camera: $(cat err.txt)" ;;
esac
for t in 0 3601 x ''; do
    expect 2 "qr scan --timeout '$t'" -- nansen qr scan --timeout "$t"
done
expect 2 "qr scan --device ''" -- nansen qr scan --device ''
expect 2 "qr scan unexpected argument" -- nansen qr scan extra

# --- usage errors: qr
expect 2 "qr without subcommand" -- nansen qr
expect 2 "qr unknown subcommand" -- nansen qr print
expect 2 "encode without -o" -- nansen qr encode -i grant.cbor
has "missing -o message" err.txt "missing -o"
expect 2 "encode to a .jpg" -- nansen qr encode -i grant.cbor -o code.jpg
expect 2 "encode to a name without extension" -- nansen qr encode -i grant.cbor -o png
for e in X 1 MM ''; do
    expect 2 "encode --ecc '$e'" -- nansen qr encode -i grant.cbor -o u.png --ecc "$e"
done
for s in 0 65 x -1 ''; do
    expect 2 "encode --scale '$s'" -- nansen qr encode -i grant.cbor -o u.png --scale "$s"
done
for m in 17 -1 x ''; do
    expect 2 "encode --margin '$m'" -- nansen qr encode -i grant.cbor -o u.png --margin "$m"
done
expect 2 "encode a missing file" -- nansen qr encode -i missing.cbor -o u.png
: > empty.txt
expect 2 "encode an empty input" -- nansen qr encode -i empty.txt -o u.png
expect 2 "encode --text of an empty input" -- nansen qr encode --text -i empty.txt -o u.png
expect 2 "encode a cut token" -- nansen qr encode -i cut.png -o u.png
expect 2 "encode unexpected argument" -- nansen qr encode -i grant.cbor -o u.png extra
expect 2 "encode -o without a value" -- nansen qr encode -i grant.cbor -o
[ ! -e u.png ] && ok || bad "failed encodes write nothing"
expect 2 "decode without an image" -- nansen qr decode
expect 2 "decode two images" -- nansen qr decode grant.png hello.png
expect 2 "decode unknown option" -- nansen qr decode --fast grant.png

# --- usage errors: verify and inspect with images
expect 2 "verify -i and --image" -- nansen verify --as "$clinic" --issuer "$ngo" -i grant.cbor --image grant.png
expect 2 "verify --image without a value" -- nansen verify --as "$clinic" --issuer "$ngo" --image
expect 2 "inspect FILE and --image" -- nansen inspect grant.cbor --image grant.png
expect 2 "inspect --image without a value" -- nansen inspect --image

# --- help
for c in qr card; do
    expect 0 "$c --help" -- nansen $c --help
    grep -q "^Usage: nansen $c" out.txt && ok || bad "$c --help shows usage"
    expect 0 "help $c" -- nansen help $c
done
for c in encode decode scan; do
    expect 0 "qr $c --help" -- nansen qr $c --help
done
expect 0 "nansen --help" -- nansen --help
for c in qr card; do has "--help lists $c" out.txt "  $c "; done
expect 0 "verify --help" -- nansen verify --help
has "verify --help names --image" out.txt "--image IMAGE"
expect 0 "grant --help" -- nansen grant --help
has "grant --help names --qr" out.txt "--qr OUT"
has "grant --help names --qr-budget" out.txt "--qr-budget"
expect 0 "issue referral --help" -- nansen issue referral --help
has "issue --help names --print" out.txt "--print"
expect 0 "inspect --help" -- nansen inspect --help
has "inspect --help names --image" out.txt "--image IMAGE"

echo "cli qr: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
