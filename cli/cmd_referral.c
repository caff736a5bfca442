/* cmd_referral.c - nansen issue referral, nansen grant, nansen verify.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The three roles of the referral flow (spec/credential.md): the NGO
 * issues a referral credential to a migrant's did:key; the migrant signs a
 * consent grant for one clinic, revealing chosen claims; the clinic
 * verifies the grant offline and gets ACCEPT or REJECT with one reason.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "cli.h"

/* Longest duration accepted by --valid and --max-age: 100 years. */

void help_issue(void)
{
    printf(
        "Usage: nansen issue referral -k KEYFILE --holder DID --service CODE\n"
        "                             --urgency LEVEL [--claim NAME=VALUE ...]\n"
        "                             [--disclosable NAME[,NAME...] | none]\n"
        "                             [--decoys N] [--issuer-name TEXT]\n"
        "                             [--valid DURATION] [--iss]\n"
        "                             [--qr-budget VERSION[L|M|Q|H] | none]\n"
        "                             [--print] [--status-list LIST_FILE]\n"
        "                             [-o OUT|-]\n"
        "\n"
        "Issue a referral credential (an SD-CWT, spec/credential.md) to the\n"
        "holder of a did:key, signed with the NGO's key. Selectively\n"
        "disclosable claims are hidden behind salted digests: the holder\n"
        "later reveals only the ones it chooses ('nansen grant').\n"
        "\n"
        "  -k, --key FILE          the issuing NGO's key file\n"
        "      --holder DID        the migrant's did:key (the key that will\n"
        "                          sign consent grants)\n"
        "      --service CODE      vocabulary service id, e.g.\n"
        "                          psychosocial-support, primary-care\n"
        "      --urgency LEVEL     routine, priority, urgent or emergency\n"
        "      --claim NAME=VALUE  another claim; NAME is one of target,\n"
        "                          language (a BCP 47 tag), interpreter\n"
        "                          (yes/no/true/false), notes, risk, contact,\n"
        "                          dependents, issuer-name (service and\n"
        "                          urgency too); each claim at most once\n"
        "      --issuer-name TEXT  the NGO's name as the consent notice shows\n"
        "                          it, at most %d bytes (same as --claim\n"
        "                          issuer-name=TEXT); never disclosable\n"
        "      --disclosable LIST  the claims to make selectively\n"
        "                          disclosable, comma-separated, or 'none'\n"
        "                          (default: language, interpreter, notes,\n"
        "                          risk, contact, dependents); names of\n"
        "                          claims not given are ignored\n"
        "      --decoys N          add N decoy digests (0-%d, default 0)\n"
        "      --valid DURATION    validity from now: Ny, Nw, Nd, Nh, Nm, Ns\n"
        "                          (default 30d)\n"
        "      --iss               add the issuer's did:key as iss (the\n"
        "                          protected kid names the issuer anyway)\n"
        "      --qr-budget BUDGET  the largest QR code the referral may need\n"
        "                          (framed, spec/qr.md): a version 1-40 and\n"
        "                          a level, e.g. 20M (the default: a phone\n"
        "                          screen) or 15Q; or none\n"
        "      --print             level Q, for codes printed on paper\n"
        "                          (alone: --qr-budget 20Q)\n"
        "      --status-list FILE  the NGO's status list working file ('nansen\n"
        "                          status create'): allocate a random index\n"
        "                          in it, save it, and name the list and the\n"
        "                          index in the referral (said on standard\n"
        "                          error), so that it can be revoked\n"
        "  -o, --out FILE          the credential, binary CBOR (default:\n"
        "                          standard output, not a terminal)\n"
        "\n"
        "Exit status: 0 done, 2 usage, input or I/O error, or over the QR\n"
        "budget (nothing is written).\n",
        NANSEN_NAME_MAX_BYTES, NANSEN_MAX_DECOYS);
}

void help_grant(void)
{
    printf(
        "Usage: nansen grant {-k KEYFILE --referral FILE | -w WALLET [--referral FILE]}\n"
        "                    --to DID --purpose CODE\n"
        "                    --data CAT[,CAT...] [--disclose NAME[,NAME...]]\n"
        "                    [--lang TAG] [--to-name TEXT] [--valid DURATION]\n"
        "                    [--nonce HEX] [--aud-did] [--yes] [-o OUT|-]\n"
        "                    [--qr OUT.png|OUT.svg|-]\n"
        "                    [--qr-budget VERSION[L|M|Q|H] | none] [--print]\n"
        "\n"
        "Sign a consent grant: the holder of a referral lets one clinic see\n"
        "the chosen claims, for one purpose and the listed data categories,\n"
        "for a limited time. The consent notice is shown on standard error\n"
        "in the chosen language, with the claims revealed, kept hidden and\n"
        "always visible, and the grant is signed only after confirmation.\n"
        "\n"
        "  -k, --key FILE          the holder's key file (the referral's\n"
        "                          --holder)\n"
        "  -w, --wallet FILE       the holder's wallet instead: the key the\n"
        "                          referral was issued to is taken from it,\n"
        "                          and the grant is recorded in its ledger\n"
        "                          (the passphrase is asked at the terminal,\n"
        "                          or --passphrase-file FILE, --passphrase-fd N)\n"
        "      --referral FILE     the referral credential ('nansen issue\n"
        "                          referral'); with -w, by default the newest\n"
        "                          one in the wallet\n"
        "      --to DID            the clinic: its did:key, or its short id\n"
        "                          kid:<16 hex digits>; the grant names it\n"
        "                          by its short id (smaller QR code)\n"
        "      --aud-did           name the clinic by its full did:key\n"
        "      --to-name TEXT      the clinic's name, shown in the notice\n"
        "      --purpose CODE      treatment, care-coordination, follow-up,\n"
        "                          interpretation-arrangement, emergency-care\n"
        "      --data LIST         data categories granted, in the order\n"
        "                          shown: referral, language, health, risk,\n"
        "                          contact, family\n"
        "      --disclose LIST     claims to reveal, e.g. language,notes; a\n"
        "                          claim's data category must be in --data\n"
        "                          (notes: health, risk: risk, contact:\n"
        "                          contact, dependents: family, language and\n"
        "                          interpreter: language)\n"
        "      --lang TAG          language of the consent notice: en\n"
        "                          (default), fr, es, ar, fa, uk, ti, so\n"
        "      --valid DURATION    validity from now: Ny, Nw, Nd, Nh, Nm, Ns\n"
        "                          (default 7d; never past the referral's end)\n"
        "      --nonce HEX         the clinic's nonce for this visit\n"
        "  -y, --yes               sign without asking (needed when standard\n"
        "                          input is not a terminal)\n"
        "  -o, --out FILE          the grant, binary CBOR (default: standard\n"
        "                          output, not a terminal; with --qr and no\n"
        "                          -o, only the QR code is written)\n"
        "      --qr OUT            the grant as a QR code too: a .png or .svg\n"
        "                          file, or - for the terminal; at the level\n"
        "                          of the budget\n"
        "      --qr-budget BUDGET  the largest QR code the grant may need: a\n"
        "                          version 1-40 and a level, e.g. 20M (the\n"
        "                          default: a phone screen) or 15Q; or none\n"
        "      --print             level Q, for a code printed on paper\n"
        "                          (alone: --qr-budget 20Q)\n"
        "\n"
        "Exit status: 0 signed, 1 declined at the prompt, 2 usage, input or\n"
        "I/O error, or over the QR budget (nothing is written).\n");
}

void help_verify(void)
{
    printf(
        "Usage: nansen verify --as DID --issuer DID [--issuer DID ...]\n"
        "                     [--trust FILE --governance DID]\n"
        "                     [--status-dir DIR] [--withdrawals STORE]\n"
        "                     [--accept-stale DURATION]\n"
        "                     [-i FILE|- | --image IMAGE] [--json | -q]\n"
        "                     [--lang TAG] [--purpose CODE ...]\n"
        "                     [--max-age DURATION] [--nonce HEX]\n"
        "                     [--at UNIX_SECONDS]\n"
        "\n"
        "Verify a consent grant offline, as the clinic: signatures, holder\n"
        "binding, disclosures, audience, validity, purpose and categories\n"
        "(spec/credential.md). The verdict is ACCEPT, or REJECT with exactly\n"
        "one reason. ACCEPT shows only what the holder revealed and the\n"
        "claims always visible; a rejected grant shows nothing of itself.\n"
        "\n"
        "      --as DID            this clinic's did:key\n"
        "      --issuer DID        an issuer (NGO) this clinic trusts;\n"
        "                          repeat for more (optional with --trust)\n"
        "      --trust FILE        a signed trust list ('nansen trust'): its\n"
        "                          ngo entries are trusted issuers\n"
        "      --governance DID    the governance body whose key must have\n"
        "                          signed the trust list\n"
        "      --status-dir DIR    the signed status lists (*.cwt) of the\n"
        "                          issuers: a referral that names a list is\n"
        "                          checked against it (revoked, suspended)\n"
        "      --withdrawals STORE the store of withdrawals ('nansen\n"
        "                          withdrawals add')\n"
        "      --accept-stale DUR  still use a status list up to DUR after\n"
        "                          it went stale (the verdict says so)\n"
        "  -i, --in FILE           the grant (default: standard input):\n"
        "                          binary CBOR, or its QR text (NS1:...)\n"
        "      --image IMAGE       read the grant from a QR code in a PNG,\n"
        "                          JPEG, PGM or PPM image (- for standard\n"
        "                          input); with several codes, the first\n"
        "                          Nansen one\n"
        "      --json              print the verdict as one JSON object\n"
        "  -q, --quiet             print nothing; report by exit status\n"
        "      --lang TAG          language of the verdict message and of\n"
        "                          the labels (default en)\n"
        "      --purpose CODE      accept only these purposes (repeat);\n"
        "                          default: every purpose\n"
        "      --max-age DURATION  reject grants signed longer ago: Nd, Nh,\n"
        "                          Nm or Ns\n"
        "      --nonce HEX         require this nonce in the grant\n"
        "      --at UNIX_SECONDS   verify as of this time instead of now\n"
        "\n"
        "ACCEPT of a referral with a status list says 'not revoked as of\n"
        "TIME, list age AGE'.\n"
        "\n"
        "Exit status: 0 ACCEPT, 1 REJECT (also: an image without a QR code,\n"
        "or without a Nansen one), 2 usage, input or I/O error.\n");
}

/* ---- parsing helpers ---- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 1..cap bytes of hex. */
static int parse_hex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(hex), i;

    if (n == 0 || n % 2 != 0 || n / 2 > cap)
        return -1;
    for (i = 0; i < n / 2; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

/* The next item of a comma-separated list: *p moves past it. Returns 1
 * and the item (possibly empty), or 0 at the end. */
static int next_item(const char **p, const char **item, size_t *len)
{
    const char *s = *p, *comma;

    if (s == NULL)
        return 0;
    comma = strchr(s, ',');
    *item = s;
    *len = comma != NULL ? (size_t)(comma - s) : strlen(s);
    *p = comma != NULL ? comma + 1 : NULL;
    return 1;
}

/* The ids of a vocabulary list, comma-separated, for diagnostics. */
static void vocab_ids(nansen_vocab_kind kind, char *out, size_t cap)
{
    size_t used = 0, i, n = nansen_vocab_count(kind);
    uint32_t code;

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *id;
        int len;

        if (nansen_vocab_code_at(kind, i, &code) != NANSEN_OK ||
            (id = nansen_vocab_id(kind, code)) == NULL)
            continue;
        len = snprintf(out + used, cap - used, "%s%s", used > 0 ? ", " : "",
                       id);
        if (len < 0 || (size_t)len >= cap - used)
            break;
        used += (size_t)len;
    }
}

static const char *kind_name(nansen_vocab_kind kind)
{
    switch (kind) {
    case NANSEN_VOCAB_PURPOSE: return "purpose";
    case NANSEN_VOCAB_CATEGORY: return "data category";
    case NANSEN_VOCAB_SERVICE: return "service";
    case NANSEN_VOCAB_URGENCY: return "urgency level";
    default: return "reason";
    }
}

/* The code of a vocabulary id, or a usage error listing the ids. */
static int vocab_code(const char *cmd, nansen_vocab_kind kind,
                      const char *id, size_t len, uint32_t *code)
{
    char ids[512];

    if (nansen_vocab_lookup_id(kind, id, len, code) == NANSEN_OK)
        return 0;
    vocab_ids(kind, ids, sizeof ids);
    cli_usage(cmd, "unknown %s '%.*s' (one of: %s)", kind_name(kind),
              (int)len, id, ids);
    return -1;
}

/* The claim names, for diagnostics. */
static void claim_names(char *out, size_t cap)
{
    size_t used = 0;
    int c;

    out[0] = '\0';
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        int n = snprintf(out + used, cap - used, "%s%s", used > 0 ? ", " : "",
                         nansen_claim_name((nansen_claim)c));

        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
}

static int claim_by_name(const char *cmd, const char *name, size_t len,
                         nansen_claim *claim)
{
    char names[256];

    if (len > 0 && nansen_claim_from_name(name, len, claim) == NANSEN_OK)
        return 0;
    claim_names(names, sizeof names);
    cli_usage(cmd, "unknown claim '%.*s' (one of: %s)", (int)len, name,
              names);
    return -1;
}

/* Why a text cannot be a claim value (spec/credential.md: non-empty UTF-8
 * of at most max bytes without C0, DEL or C1 controls), or NULL. */
static const char *text_problem(const char *text, size_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;

    if (n == 0)
        return "is empty";
    if (n > max)
        return "is too long";
    while (i < n) {
        unsigned char c = s[i];
        size_t k, more;
        uint32_t cp;

        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return "has a control character";
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07u;
        } else {
            return "is not UTF-8";
        }
        for (k = 1; k <= more; k++) {
            if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
                return "is not UTF-8";
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return "is not UTF-8";
        if (cp >= 0x80 && cp <= 0x9f)
            return "has a control character";
        i += more + 1;
    }
    return NULL;
}

/* A BCP 47 tag, as far as its shape: a 2-8 letter primary subtag, then
 * subtags of 1-8 letters or digits. */
static int lang_tag_ok(const char *s)
{
    size_t i, run = 0, first = 1, n = strlen(s);

    if (n == 0 || n > 35)
        return 0;
    for (i = 0; i <= n; i++) {
        char c = s[i];

        if (i == n || c == '-') {
            if (run == 0 || run > 8 || (first && run < 2))
                return 0;
            first = 0;
            run = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (!first && c >= '0' && c <= '9')))
            return 0;
        run++;
    }
    return 1;
}

/* The label of a code in a language (English fallback), or its id. */
static const char *label_of(nansen_vocab_kind kind, uint32_t code,
                            const char *lang)
{
    const char *label = NULL;

    if (nansen_vocab_label(kind, code, lang, &label, NULL) != NANSEN_OK ||
        label == NULL)
        label = nansen_vocab_id(kind, code);
    return label != NULL ? label : "?";
}

/* ---- the QR budget: --qr-budget and --print ---- */

/* "20M", "15q", "20" (no level: NANSEN_QR_ECC_DEFAULT) or "none"
 * (*version -1). */
static int parse_budget(const char *s, int *version, nansen_qr_ecc *ecc)
{
    int v = 0;
    size_t i = 0;

    *ecc = NANSEN_QR_ECC_DEFAULT;
    if (strcmp(s, "none") == 0) {
        *version = -1;
        return 0;
    }
    while (i < 2 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i == 0 || v < 1 || v > 40)
        return -1;
    if (s[i] != '\0') {
        char letter[2] = {s[i], '\0'};

        if (s[i + 1] != '\0' || cli_parse_ecc(letter, ecc) != 0)
            return -1;
    }
    *version = v;
    return 0;
}

/* The budget of --qr-budget SPEC (NULL: the default) and --print, or a
 * usage error. */
static int budget_arg(const char *cmd, const char *spec, int print,
                      nansen_qr_budget *b)
{
    int version = 0;
    nansen_qr_ecc ecc = NANSEN_QR_ECC_DEFAULT;

    if (spec != NULL && parse_budget(spec, &version, &ecc) != 0) {
        cli_usage(cmd, "--qr-budget wants a QR version from 1 to 40 and "
                       "a level L, M, Q or H (e.g. 20M, 15Q), or none; not "
                       "'%s'", spec);
        return -1;
    }
    if (print) {
        if (ecc != NANSEN_QR_ECC_DEFAULT && ecc != NANSEN_QR_PRINT_ECC) {
            cli_usage(cmd, "--print means level Q, but --qr-budget %s asks "
                           "for level %c", spec, cli_ecc_letter(ecc));
            return -1;
        }
        ecc = NANSEN_QR_PRINT_ECC;
    }
    b->max_version = version;
    b->ecc = ecc;
    return 0;
}

static nansen_qr_ecc budget_ecc(const nansen_qr_budget *b)
{
    return b->ecc != NANSEN_QR_ECC_DEFAULT ? b->ecc : NANSEN_QR_DEFAULT_ECC;
}

/* Why a token was refused by its budget, and what to do. */
static void budget_refused(const char *cmd, const char *what,
                           const nansen_qr_budget *b, int needed,
                           const char *advice)
{
    int max = b->max_version > 0 ? b->max_version : NANSEN_QR_DEFAULT_VERSION;
    char level = cli_ecc_letter(budget_ecc(b));

    if (needed > 40)
        cli_err(cmd, "the %s does not fit any QR code at level %c (past "
                     "version 40); %s, or pass --qr-budget none to make it "
                     "anyway (it then travels only as a file)", what, level,
                advice);
    else
        cli_err(cmd, "the %s needs QR version %d at level %c, over the "
                     "budget of %d; %s, or pass --qr-budget %d%c", what,
                needed, level, max, advice, needed, level);
}

/* ---- nansen issue referral ---- */

/* Set one claim from its text value; each claim at most once. */
static int set_claim(const char *cmd, nansen_referral *ref, uint32_t *seen,
                     nansen_claim claim, const char *value)
{
    const char *name = nansen_claim_name(claim), *why;
    const char **text = NULL;
    size_t max;

    if (*seen & NANSEN_CLAIM_BIT(claim)) {
        cli_usage(cmd, "claim '%s' given more than once", name);
        return -1;
    }
    *seen |= NANSEN_CLAIM_BIT(claim);
    switch (claim) {
    case NANSEN_CLAIM_SERVICE:
        return vocab_code(cmd, NANSEN_VOCAB_SERVICE, value, strlen(value),
                          &ref->service);
    case NANSEN_CLAIM_URGENCY:
        return vocab_code(cmd, NANSEN_VOCAB_URGENCY, value, strlen(value),
                          &ref->urgency);
    case NANSEN_CLAIM_INTERPRETER:
        if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0) {
            ref->interpreter = 1;
        } else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0) {
            ref->interpreter = 0;
        } else {
            cli_usage(cmd, "interpreter wants yes, no, true or false, not "
                           "'%s'", value);
            return -1;
        }
        return 0;
    case NANSEN_CLAIM_TARGET: text = &ref->target; break;
    case NANSEN_CLAIM_LANGUAGE: text = &ref->language; break;
    case NANSEN_CLAIM_NOTES: text = &ref->notes; break;
    case NANSEN_CLAIM_RISK: text = &ref->risk; break;
    case NANSEN_CLAIM_CONTACT: text = &ref->contact; break;
    case NANSEN_CLAIM_DEPENDENTS: text = &ref->dependents; break;
    case NANSEN_CLAIM_ISSUER_NAME: text = &ref->issuer_name; break;
    default:
        cli_usage(cmd, "unknown claim");
        return -1;
    }
    /* the consent notice shows the issuer's name: it is shorter */
    max = claim == NANSEN_CLAIM_ISSUER_NAME ? NANSEN_NAME_MAX_BYTES
                                            : NANSEN_CLAIM_TEXT_MAX_BYTES;
    if ((why = text_problem(value, max)) != NULL) {
        cli_usage(cmd, "the value of claim '%s' %s (non-empty UTF-8 of at "
                       "most %u bytes, no control characters)",
                  name, why, (unsigned int)max);
        return -1;
    }
    if (claim == NANSEN_CLAIM_LANGUAGE && !lang_tag_ok(value)) {
        cli_usage(cmd, "language '%s' is not a BCP 47 language tag (e.g. "
                       "ti, fa-AF)", value);
        return -1;
    }
    *text = value;
    return 0;
}

/* --claim NAME=VALUE */
static int claim_arg(const char *cmd, nansen_referral *ref, uint32_t *seen,
                     const char *arg)
{
    const char *eq = strchr(arg, '=');
    nansen_claim claim;

    if (eq == NULL) {
        cli_usage(cmd, "--claim wants NAME=VALUE, not '%s'", arg);
        return -1;
    }
    if (claim_by_name(cmd, arg, (size_t)(eq - arg), &claim) != 0)
        return -1;
    return set_claim(cmd, ref, seen, claim, eq + 1);
}

/* --disclosable LIST: adds to *bits; "none" alone. */
static int disclosable_arg(const char *cmd, const char *list, uint32_t *bits,
                           int *none)
{
    const char *p = list, *item;
    size_t len;
    nansen_claim claim;

    if (strcmp(list, "none") == 0) {
        *none = 1;
        return 0;
    }
    while (next_item(&p, &item, &len)) {
        if (len == 0) {
            cli_usage(cmd, "empty name in --disclosable '%s'", list);
            return -1;
        }
        if (claim_by_name(cmd, item, len, &claim) != 0)
            return -1;
        *bits |= NANSEN_CLAIM_BIT(claim);
    }
    return 0;
}

static int issue_referral(int argc, char **argv)
{
    const char *cmd = "issue referral", *keyfile = NULL, *holder = NULL;
    const char *out = "-", *val = NULL, *budget = NULL, *slist = NULL;
    nansen_status_list *status_list = NULL;
    nansen_status_list_info sinfo;
    uint32_t sidx = 0;
    nansen_referral ref;
    nansen_issue_params ip;
    uint32_t seen = 0, disclosable = 0;
    int disclosable_given = 0, none = 0;
    int64_t valid = 30 * 86400;
    uint64_t decoys = 0;
    nansen_key *key = NULL, *holder_key = NULL;
    nansen_ctx *ctx = NULL;
    uint8_t *cred = NULL;
    size_t cred_len = 0, cap = 0;
    nansen_err err;
    int i, r, print = 0, needed = 0, status = EXIT_USAGE;

    memset(&ref, 0, sizeof ref);
    memset(&ip, 0, sizeof ip);
    ref.interpreter = -1;
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_issue();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--holder", &holder)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--status-list",
                         &slist)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--qr-budget",
                         &budget))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--service", &val))) {
            if (r < 0 || set_claim(cmd, &ref, &seen, NANSEN_CLAIM_SERVICE,
                                   val) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--urgency", &val))) {
            if (r < 0 || set_claim(cmd, &ref, &seen, NANSEN_CLAIM_URGENCY,
                                   val) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--issuer-name", &val))) {
            if (r < 0 || set_claim(cmd, &ref, &seen,
                                   NANSEN_CLAIM_ISSUER_NAME, val) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--claim", &val))) {
            if (r < 0 || claim_arg(cmd, &ref, &seen, val) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--disclosable", &val))) {
            if (r < 0 || disclosable_arg(cmd, val, &disclosable, &none) != 0)
                return EXIT_USAGE;
            disclosable_given = 1;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--decoys", &val))) {
            if (r < 0)
                return EXIT_USAGE;
            if (cli_uint(val, NANSEN_MAX_DECOYS, &decoys) != 0)
                return cli_usage(cmd, "--decoys wants a number from 0 to %d, "
                                      "not '%s'", NANSEN_MAX_DECOYS, val);
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--valid", &val))) {
            if (r < 0)
                return EXIT_USAGE;
            if (cli_duration(val, &valid) != 0)
                return cli_usage(cmd, "--valid wants a duration such as 30d, "
                                      "12h, 90m or 3600s, not '%s'", val);
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--iss", NULL)) {
            ip.with_iss = 1;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--print", NULL)) {
            print = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL)
        return cli_usage(cmd, "missing -k KEYFILE (the issuer's key)");
    if (holder == NULL)
        return cli_usage(cmd, "missing --holder DID");
    if (!(seen & NANSEN_CLAIM_BIT(NANSEN_CLAIM_SERVICE)))
        return cli_usage(cmd, "missing --service CODE");
    if (!(seen & NANSEN_CLAIM_BIT(NANSEN_CLAIM_URGENCY)))
        return cli_usage(cmd, "missing --urgency LEVEL");
    if (none && disclosable != 0)
        return cli_usage(cmd, "--disclosable none with claim names");
    if (disclosable & NANSEN_CLAIM_BIT(NANSEN_CLAIM_ISSUER_NAME))
        return cli_usage(cmd, "issuer-name cannot be disclosable: the "
                              "consent notice shows it");
    ref.disclosable = disclosable_given ? disclosable
                                        : NANSEN_CLAIMS_DEFAULT_DISCLOSABLE;
    ref.decoys = (unsigned int)decoys;
    if (budget_arg(cmd, budget, print, &ip.budget) != 0)
        return EXIT_USAGE;
    ip.budget.needed = &needed;
    if (cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;

    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((holder_key = cli_key_of_did(cmd, ctx, "--holder", holder)) == NULL)
        goto out;
    if ((key = cli_load_key(cmd, ctx, keyfile)) == NULL)
        goto out;
    if (slist != NULL) {
        /* Allocate and save before issuing: a crash can then waste an
         * index, never hand it out twice. */
        if ((err = nansen_status_list_load(ctx, &status_list, slist)) !=
                NANSEN_OK ||
            (err = nansen_status_list_get_info(status_list, &sinfo)) !=
                NANSEN_OK) {
            cli_err(cmd, "--status-list %s: %s", slist, nansen_strerror(err));
            goto out;
        }
        if ((err = nansen_status_list_allocate(status_list, &sidx)) !=
            NANSEN_OK) {
            cli_err(cmd, "--status-list %s: every index is allocated: start "
                         "a new list", slist);
            goto out;
        }
        if ((err = nansen_status_list_save(status_list, slist,
                                           NANSEN_STATUS_SAVE_OVERWRITE)) !=
            NANSEN_OK) {
            cli_err(cmd, "--status-list %s: %s", slist, nansen_strerror(err));
            goto out;
        }
        ref.status_uri = sinfo.uri;
        ref.status_idx = sidx;
    }
    ip.iat = (int64_t)time(NULL);
    ip.exp = ip.iat + valid;

    err = nansen_referral_issue(ctx, NULL, &cred_len, key, holder_key, &ref,
                                &ip);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) &&
        cred_len > 0) {
        cap = cred_len;
        err = (cred = malloc(cap)) == NULL ? NANSEN_ERR_NOMEM
              : nansen_referral_issue(ctx, cred, &cred_len, key, holder_key,
                                      &ref, &ip);
    } else if (err == NANSEN_OK) {
        err = NANSEN_ERR_INVALID_ARG;
    }
    if (err != NANSEN_OK) {
        if (err == NANSEN_ERR_QR_BUDGET)
            budget_refused(cmd, "referral", &ip.budget, needed,
                           "shorten its claims or add fewer decoys");
        else if (err == NANSEN_ERR_INVALID_ARG)
            cli_err(cmd, "cannot issue this referral: %s (check the claim "
                         "values)", nansen_strerror(err));
        else if (err == NANSEN_ERR_NO_SECRET_KEY)
            cli_err(cmd, "%s: %s", keyfile, nansen_strerror(err));
        else
            cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    if (cli_write(cmd, out, cred, cred_len, 1) != 0)
        goto out;
    if (slist != NULL)
        fprintf(stderr, "nansen %s: status list index %lu of %s\n", cmd,
                (unsigned long)sidx, sinfo.uri);
    status = EXIT_VALID;
out:
    cli_wipe_free(cred, cap);
    nansen_status_list_free(status_list);
    nansen_key_free(key);
    nansen_key_free(holder_key);
    nansen_ctx_destroy(ctx);
    return status;
}

int cmd_issue(int argc, char **argv)
{
    static const cli_command subs[] = {
        {"referral", issue_referral, NULL, NULL},
    };

    return cli_subcommand("issue", argc, argv, subs,
                          sizeof subs / sizeof subs[0], help_issue);
}

/* ---- nansen grant ---- */

/* --data LIST: appends categories in order, no repeats. */
static int data_arg(const char *cmd, const char *list, uint32_t *cats,
                    size_t *n)
{
    const char *p = list, *item;
    size_t len, k;
    uint32_t code;

    while (next_item(&p, &item, &len)) {
        if (len == 0) {
            cli_usage(cmd, "empty name in --data '%s'", list);
            return -1;
        }
        if (vocab_code(cmd, NANSEN_VOCAB_CATEGORY, item, len, &code) != 0)
            return -1;
        for (k = 0; k < *n; k++)
            if (cats[k] == code) {
                cli_usage(cmd, "data category '%.*s' given more than once",
                          (int)len, item);
                return -1;
            }
        if (*n >= NANSEN_GRANT_MAX_CATEGORIES) {
            cli_usage(cmd, "more than %d data categories",
                      NANSEN_GRANT_MAX_CATEGORIES);
            return -1;
        }
        cats[(*n)++] = code;
    }
    return 0;
}

/* --disclose LIST: adds to *bits. */
static int disclose_arg(const char *cmd, const char *list, uint32_t *bits)
{
    const char *p = list, *item;
    size_t len;
    nansen_claim claim;

    while (next_item(&p, &item, &len)) {
        if (len == 0) {
            cli_usage(cmd, "empty name in --disclose '%s'", list);
            return -1;
        }
        if (claim_by_name(cmd, item, len, &claim) != 0)
            return -1;
        *bits |= NANSEN_CLAIM_BIT(claim);
    }
    return 0;
}

/* "kid:" and 16 lowercase hex digits. */
static int short_id_ok(const char *s)
{
    size_t i;

    if (strncmp(s, "kid:", 4) != 0 || strlen(s) != NANSEN_SHORT_ID_BYTES - 1)
        return 0;
    for (i = 4; s[i] != '\0'; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int has_category(const uint32_t *cats, size_t n, uint32_t code)
{
    size_t k;

    for (k = 0; k < n; k++)
        if (cats[k] == code)
            return 1;
    return 0;
}

/* Append a name to a comma-separated list in a fixed buffer. */
static void list_add(char *list, size_t cap, const char *name)
{
    size_t used = strlen(list);

    snprintf(list + used, cap - used, "%s%s", used > 0 ? ", " : "", name);
}

/* Ask on the terminal; 1 for yes. */
static int confirm(void)
{
    char line[64];
    size_t n;

    fprintf(stderr, "Sign this consent? [y/N] ");
    fflush(stderr);
    if (fgets(line, sizeof line, stdin) == NULL)
        return 0;
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
           strcmp(line, "yes") == 0 || strcmp(line, "Yes") == 0 ||
           strcmp(line, "YES") == 0;
}

/* Show the notice and what the grant reveals, on stderr. */
static void show_consent(const char *notice, const char *lang,
                         const nansen_credential *cred, uint32_t disclose)
{
    char revealed[256] = "", hidden[256] = "", visible[256] = "";
    int c, review = nansen_notice_needs_review(lang);

    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;
        int disclosable = 0;
        const char *name = nansen_claim_name((nansen_claim)c);

        if (nansen_credential_claim(cred, (nansen_claim)c, &v,
                                    &disclosable) != NANSEN_OK)
            continue;
        if (!disclosable)
            list_add(visible, sizeof visible, name);
        else if (disclose & NANSEN_CLAIM_BIT(c))
            list_add(revealed, sizeof revealed, name);
        else
            list_add(hidden, sizeof hidden, name);
    }
    fprintf(stderr, "Consent notice (%s):\n\n%s\n\n", lang, notice);
    if (review == 1)
        fprintf(stderr, "(This translation still awaits review by a native "
                        "speaker.)\n\n");
    fprintf(stderr, "Revealed to the clinic: %s\n",
            revealed[0] != '\0' ? revealed : "(none)");
    fprintf(stderr, "Kept hidden:            %s\n",
            hidden[0] != '\0' ? hidden : "(none)");
    fprintf(stderr, "Always visible:         %s\n",
            visible[0] != '\0' ? visible : "(none)");
}

/* 1 if the grant reveals a claim that was hidden (always-visible claims
 * named in --disclose change nothing). */
static int reveals_any(const nansen_credential *cred, uint32_t disclose)
{
    int c;

    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;
        int disclosable = 0;

        if ((disclose & NANSEN_CLAIM_BIT(c)) &&
            nansen_credential_claim(cred, (nansen_claim)c, &v,
                                    &disclosable) == NANSEN_OK &&
            disclosable)
            return 1;
    }
    return 0;
}

/* Before showing anything: every claim to reveal is in the referral and
 * in a granted category. */
static int check_disclose(const char *cmd, const nansen_credential *cred,
                          uint32_t disclose, const uint32_t *cats, size_t n)
{
    int c;

    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;
        int disclosable = 0;
        const char *name = nansen_claim_name((nansen_claim)c);
        uint32_t cat = nansen_claim_category((nansen_claim)c);

        if (!(disclose & NANSEN_CLAIM_BIT(c)))
            continue;
        if (nansen_credential_claim(cred, (nansen_claim)c, &v,
                                    &disclosable) != NANSEN_OK) {
            cli_err(cmd, "claim '%s' is not in the referral (or this copy "
                         "lacks its disclosure)", name);
            return -1;
        }
        if (disclosable && !has_category(cats, n, cat)) {
            cli_err(cmd, "claim '%s' is in data category '%s', which --data "
                         "does not grant", name,
                    nansen_vocab_id(NANSEN_VOCAB_CATEGORY, cat));
            return -1;
        }
    }
    return 0;
}

/* The newest referral in the wallet issued to one of its keys, copied. */
static int wallet_referral(const char *cmd, nansen_ctx *ctx,
                           const nansen_wallet *w, const char *wpath,
                           uint8_t **ref, size_t *ref_len)
{
    size_t n = nansen_wallet_count(w, NANSEN_WALLET_CREDENTIAL), i, k;

    for (i = n; i-- > 0;) {
        const uint8_t *p;
        size_t len;
        nansen_credential *c = NULL;
        int mine;

        if (nansen_wallet_get(w, NANSEN_WALLET_CREDENTIAL, i, &p, &len) !=
                NANSEN_OK ||
            nansen_credential_decode(ctx, &c, p, len) != NANSEN_OK)
            continue;
        mine = nansen_wallet_key_find(w, nansen_credential_holder(c), &k) ==
               NANSEN_OK;
        nansen_credential_free(c);
        if (!mine)
            continue;
        if ((*ref = malloc(len + 1)) == NULL) {
            cli_err(cmd, "out of memory");
            return -1;
        }
        memcpy(*ref, p, len);
        *ref_len = len;
        return 0;
    }
    cli_err(cmd, "the wallet %s holds no referral issued to its keys: give "
                 "--referral FILE, or 'nansen wallet import' it", wpath);
    return -1;
}

/* Keep the referral (if new) and the grant in the wallet, which records
 * the grant in its ledger, and save it. */
static int wallet_record(const char *cmd, nansen_wallet *w, const char *wpath,
                         const uint8_t *ref, size_t ref_len,
                         const uint8_t *grant, size_t grant_len, int64_t now)
{
    nansen_err err;

    err = nansen_wallet_add(w, NANSEN_WALLET_CREDENTIAL, ref, ref_len, now);
    if (err == NANSEN_OK || err == NANSEN_ERR_EXISTS)
        err = nansen_wallet_add(w, NANSEN_WALLET_GRANT, grant, grant_len,
                                now);
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot record the grant in %s: %s; nothing written",
                wpath, nansen_strerror(err));
        return -1;
    }
    return cli_wallet_save(cmd, w, wpath, 1);
}

int cmd_grant(int argc, char **argv)
{
    const char *cmd = "grant", *keyfile = NULL, *refpath = NULL, *to = NULL;
    const char *purpose = NULL, *lang = "en", *to_name = NULL;
    const char *nonce_hex = NULL, *out = NULL, *val = NULL, *why;
    const char *qr = NULL, *budget = NULL, *wpath = NULL;
    uint32_t cats[NANSEN_GRANT_MAX_CATEGORIES], disclose = 0;
    size_t ncat = 0;
    uint8_t nonce[NANSEN_CNONCE_MAX_BYTES];
    size_t nonce_len = 0;
    int64_t valid = 7 * 86400, now, r_iat, r_nbf, r_exp;
    char t1[CLI_TIME_BYTES], t2[CLI_TIME_BYTES];
    char short_aud[NANSEN_SHORT_ID_BYTES];
    int aud_did = 0;
    nansen_grant_params gp;
    nansen_credential *cred = NULL;
    nansen_key *key = NULL, *aud_key = NULL;
    const nansen_key *signer = NULL;
    nansen_wallet *wallet = NULL;
    cli_pass pass = {0};
    nansen_ctx *ctx = NULL;
    uint8_t *ref = NULL, *grant = NULL;
    size_t ref_len = 0, grant_len = 0, grant_cap = 0;
    char *notice = NULL, *text = NULL;
    size_t notice_len = 0, notice_cap = 0, text_len = 0;
    uint8_t *image = NULL;
    size_t image_len = 0;
    nansen_qr_format qr_format;
    nansen_err err;
    int i, r, yes = 0, print = 0, needed = 0, version = 0;
    int status = EXIT_USAGE;

    memset(&gp, 0, sizeof gp);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_grant();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, "-k", "--key", &keyfile)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-w", "--wallet", &wpath)) ||
            (r = cli_pass_opt(cmd, argc, argv, &i, &pass)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--referral", &refpath)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--to", &to)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--to-name", &to_name)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--purpose", &purpose)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--lang", &lang)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--nonce", &nonce_hex)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-o", "--out", &out)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--qr", &qr)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--qr-budget",
                         &budget))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--data", &val))) {
            if (r < 0 || data_arg(cmd, val, cats, &ncat) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--disclose", &val))) {
            if (r < 0 || disclose_arg(cmd, val, &disclose) != 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--valid", &val))) {
            if (r < 0)
                return EXIT_USAGE;
            if (cli_duration(val, &valid) != 0)
                return cli_usage(cmd, "--valid wants a duration such as 7d, "
                                      "12h, 90m or 3600s, not '%s'", val);
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, "-y", "--yes", NULL)) {
            yes = 1;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--aud-did", NULL)) {
            aud_did = 1;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--print", NULL)) {
            print = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (keyfile == NULL && wpath == NULL)
        return cli_usage(cmd, "missing -k KEYFILE or -w WALLET (the "
                              "holder's key)");
    if (keyfile != NULL && wpath != NULL)
        return cli_usage(cmd, "give -k KEYFILE or -w WALLET, not both");
    if (refpath == NULL && wpath == NULL)
        return cli_usage(cmd, "missing --referral FILE");
    if (to == NULL)
        return cli_usage(cmd, "missing --to DID (the clinic)");
    if (purpose == NULL)
        return cli_usage(cmd, "missing --purpose CODE");
    if (ncat == 0)
        return cli_usage(cmd, "missing --data CAT[,CAT...]");
    if (vocab_code(cmd, NANSEN_VOCAB_PURPOSE, purpose, strlen(purpose),
                   &gp.purpose) != 0)
        return EXIT_USAGE;
    if (nansen_notice_needs_review(lang) < 0) {
        char tags[128];

        cli_languages(tags, sizeof tags);
        return cli_usage(cmd, "no consent notice in language '%s' (one of: "
                              "%s)", lang, tags);
    }
    if (to_name != NULL &&
        (why = text_problem(to_name, NANSEN_NAME_MAX_BYTES)) != NULL)
        return cli_usage(cmd, "--to-name %s (non-empty UTF-8 of at most %d "
                              "bytes, no control characters)", why,
                         NANSEN_NAME_MAX_BYTES);
    if (nonce_hex != NULL &&
        parse_hex(nonce_hex, nonce, sizeof nonce, &nonce_len) != 0)
        return cli_usage(cmd, "--nonce wants 1 to %d bytes of hex",
                         NANSEN_CNONCE_MAX_BYTES);
    if (!yes && ((refpath != NULL && strcmp(refpath, "-") == 0) ||
                 !isatty(STDIN_FILENO)))
        return cli_usage(cmd, "cannot ask for confirmation: standard input "
                              "is not a terminal; pass --yes to sign after "
                              "the notice is shown");
    if (budget_arg(cmd, budget, print, &gp.budget) != 0)
        return EXIT_USAGE;
    gp.budget.needed = &needed;
    if (qr != NULL && cli_qr_format(qr, &qr_format) != 0)
        return cli_usage(cmd, "--qr wants a file name ending in .png or "
                              ".svg, or - for the terminal; not '%s'", qr);
    /* with --qr alone, the code is the output */
    if (out == NULL && qr == NULL)
        out = "-";
    if (out != NULL && qr != NULL && strcmp(out, "-") == 0 &&
        strcmp(qr, "-") == 0)
        return cli_usage(cmd, "-o - and --qr - both want standard output");
    if (out != NULL && cli_binary_ok(cmd, out) != 0)
        return EXIT_USAGE;

    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if (!short_id_ok(to)) {
        if (strncmp(to, "did:key:", 8) != 0) {
            status = cli_usage(cmd, "--to wants the clinic's did:key or its "
                                    "short id kid:<16 hex digits>, not '%s'",
                               to);
            goto out;
        }
        if ((aud_key = cli_key_of_did(cmd, ctx, "--to", to)) == NULL)
            goto out;
        /* the short id names the same key in 36 fewer bytes of QR code */
        if (!aud_did) {
            if (nansen_key_short_id(aud_key, short_aud) != NANSEN_OK)
                goto out;
            to = short_aud;
        }
    }
    if (wpath != NULL) {
        if (cli_wallet_open(cmd, ctx, wpath, &pass, &wallet) != EXIT_VALID)
            goto out;
        if (refpath == NULL) {
            if (wallet_referral(cmd, ctx, wallet, wpath, &ref, &ref_len) !=
                0)
                goto out;
        } else if (cli_read(cmd, refpath, &ref, &ref_len) != 0) {
            goto out;
        }
    } else {
        if ((key = cli_load_key(cmd, ctx, keyfile)) == NULL)
            goto out;
        if (cli_read(cmd, refpath, &ref, &ref_len) != 0)
            goto out;
        signer = key;
    }
    if ((err = nansen_credential_decode(ctx, &cred, ref, ref_len)) !=
        NANSEN_OK) {
        cli_err(cmd, "%s: not a referral credential: %s",
                refpath != NULL ? refpath : wpath, nansen_strerror(err));
        goto out;
    }
    if (wallet != NULL) {
        size_t k;

        if (nansen_wallet_key_find(wallet, nansen_credential_holder(cred),
                                   &k) != NANSEN_OK ||
            nansen_wallet_key_get(wallet, k, &signer, NULL, NULL) !=
                NANSEN_OK) {
            cli_err(cmd, "the wallet %s holds no key the referral was "
                         "issued to", wpath);
            goto out;
        }
    } else if (!nansen_key_equal(nansen_credential_holder(cred), key)) {
        cli_err(cmd, "%s is not the key the referral was issued to", keyfile);
        goto out;
    }
    if (check_disclose(cmd, cred, disclose, cats, ncat) != 0)
        goto out;

    now = (int64_t)time(NULL);
    nansen_credential_times(cred, &r_iat, &r_nbf, &r_exp);
    if (now < r_nbf) {
        cli_iso_time(r_nbf, t1);
        cli_err(cmd, "the referral is valid from %s: no consent can be "
                     "signed before then", t1);
        goto out;
    }
    if (now >= r_exp) {
        cli_iso_time(r_exp, t1);
        cli_err(cmd, "the referral expired at %s", t1);
        goto out;
    }
    gp.audience = to;
    gp.audience_name = to_name;
    gp.categories = cats;
    gp.category_count = ncat;
    gp.disclose = disclose;
    gp.iat = now;
    gp.exp = now + valid;
    gp.notice_lang = lang;
    gp.cnonce = nonce_len > 0 ? nonce : NULL;
    gp.cnonce_len = nonce_len;
    if (gp.exp > r_exp) {
        gp.exp = r_exp;
        cli_iso_time(r_exp, t1);
        cli_err(cmd, "the referral ends at %s: the consent ends then too",
                t1);
    }

    err = nansen_grant_notice(NULL, &notice_len, cred, &gp);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) &&
        notice_len > 0) {
        notice_cap = notice_len;
        err = (notice = malloc(notice_cap)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_grant_notice(notice, &notice_len, cred, &gp);
    } else if (err == NANSEN_OK) {
        err = NANSEN_ERR_INVALID_ARG;
    }
    if (err != NANSEN_OK) {
        cli_err(cmd, "cannot render the consent notice: %s",
                nansen_strerror(err));
        goto out;
    }
    show_consent(notice, lang, cred, disclose);
    if (!yes && !confirm()) {
        cli_err(cmd, "not signed; nothing written");
        status = EXIT_INVALID;
        goto out;
    }

    err = nansen_grant_sign(ctx, NULL, &grant_len, signer, cred, &gp);
    if ((err == NANSEN_OK || err == NANSEN_ERR_BUFFER_TOO_SMALL) &&
        grant_len > 0) {
        grant_cap = grant_len;
        err = (grant = malloc(grant_cap)) == NULL
                  ? NANSEN_ERR_NOMEM
                  : nansen_grant_sign(ctx, grant, &grant_len, signer, cred,
                                      &gp);
    } else if (err == NANSEN_OK) {
        err = NANSEN_ERR_INVALID_ARG;
    }
    switch (err) {
    case NANSEN_OK:
        break;
    case NANSEN_ERR_CATEGORY_NOT_GRANTED:
        cli_err(cmd, "a claim to reveal is in a data category which --data "
                     "does not grant");
        goto out;
    case NANSEN_ERR_ABSENT:
        cli_err(cmd, "a claim to reveal is not in the referral (or this copy "
                     "lacks its disclosure)");
        goto out;
    case NANSEN_ERR_OUTSIDE_VALIDITY:
        cli_iso_time(r_nbf, t1);
        cli_iso_time(r_exp, t2);
        cli_err(cmd, "the consent is not inside the referral's validity, "
                     "%s to %s", t1, t2);
        goto out;
    case NANSEN_ERR_KEY_MISMATCH:
        cli_err(cmd, "%s is not the key the referral was issued to",
                keyfile != NULL ? keyfile : wpath);
        goto out;
    case NANSEN_ERR_QR_BUDGET:
        budget_refused(cmd, "grant", &gp.budget, needed,
                       reveals_any(cred, disclose)
                           ? "reveal fewer claims"
                           : "it reveals no claim: ask the issuer for a "
                             "smaller referral");
        goto out;
    default:
        cli_err(cmd, "cannot sign the grant: %s", nansen_strerror(err));
        goto out;
    }
    /* the code is made before anything is written: all or nothing */
    if (qr != NULL) {
        if ((err = cli_frame(grant, grant_len, &text, &text_len)) !=
            NANSEN_OK) {
            cli_err(cmd, "cannot frame the grant for a QR code: %s",
                    nansen_strerror(err));
            goto out;
        }
        if (cli_render_qr(cmd, qr, text, text_len, budget_ecc(&gp.budget), 0,
                          -1, &image, &image_len, &version) != 0)
            goto out;
    }
    /* the migrant's record comes first: a grant given is in the ledger */
    if (wallet != NULL &&
        wallet_record(cmd, wallet, wpath, ref, ref_len, grant, grant_len,
                      now) != 0)
        goto out;
    if (out != NULL && cli_write(cmd, out, grant, grant_len, 1) != 0)
        goto out;
    if (qr != NULL && cli_write_qr(cmd, qr, image, image_len, version,
                                   budget_ecc(&gp.budget)) != 0)
        goto out;
    status = EXIT_VALID;
out:
    cli_wipe_free(image, image_len);
    cli_wipe_free(text, text_len);
    cli_wipe_free(grant, grant_cap);
    cli_wipe_free(notice, notice_cap);
    nansen_credential_free(cred);
    cli_wipe_free(ref, ref_len);
    nansen_key_free(key);
    nansen_key_free(aud_key);
    nansen_wallet_free(wallet);
    cli_pass_done(&pass);
    nansen_ctx_destroy(ctx);
    return status;
}

/* ---- nansen verify ---- */

/* A claim value as text for people: vocabulary claims as "id (label)". */
static void print_claim(nansen_claim claim, const nansen_claim_value *v,
                        const char *lang)
{
    const char *name = nansen_claim_name(claim);
    nansen_vocab_kind kind = claim == NANSEN_CLAIM_SERVICE
                                 ? NANSEN_VOCAB_SERVICE : NANSEN_VOCAB_URGENCY;
    const char *id;

    switch (v->type) {
    case NANSEN_VALUE_UINT:
        id = nansen_vocab_id(kind, (uint32_t)v->uint);
        if (id != NULL)
            printf("  %s: %s (%s)\n", name, id,
                   label_of(kind, (uint32_t)v->uint, lang));
        else
            printf("  %s: %llu\n", name, (unsigned long long)v->uint);
        break;
    case NANSEN_VALUE_BOOL:
        printf("  %s: %s\n", name, v->uint ? "yes" : "no");
        break;
    default:
        printf("  %s: %s\n", name, v->text != NULL ? v->text : "");
        break;
    }
}

/* The message of a reason in a language (English fallback). */
static const char *reason_message(nansen_reason reason, const char *lang)
{
    const char *label = NULL;

    if (nansen_vocab_label(NANSEN_VOCAB_REASON, (uint32_t)reason, lang,
                           &label, NULL) != NANSEN_OK || label == NULL)
        return "Rejected";
    return label;
}

/* A grant that never reached the verifier: its QR text does not unframe
 * (e.g. a character changed in the code), so it is rejected here. */
static nansen_reason unframe_reason(nansen_err err)
{
    return err == NANSEN_ERR_UNSUPPORTED_VERSION
               ? NANSEN_REASON_UNSUPPORTED_VERSION : NANSEN_REASON_MALFORMED;
}

static void print_rejection(nansen_reason reason, const char *lang)
{
    printf("REJECT %s\n%s\n", nansen_reason_code(reason),
           reason_message(reason, lang));
}

/* An age in seconds, roughly: "45s", "12m 5s", "3h 20m", "2d 4h". */
#define AGE_BYTES 48
static const char *age_text(int64_t s, char out[AGE_BYTES])
{
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(out, AGE_BYTES, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(out, AGE_BYTES, "%lldm %llds", (long long)(s / 60),
                 (long long)(s % 60));
    else if (s < 86400)
        snprintf(out, AGE_BYTES, "%lldh %lldm", (long long)(s / 3600),
                 (long long)(s / 60 % 60));
    else
        snprintf(out, AGE_BYTES, "%lldd %lldh", (long long)(s / 86400),
                 (long long)(s / 3600 % 24));
    return out;
}

static void print_human(const nansen_verdict *vd, const char *lang)
{
    nansen_reason reason = nansen_verdict_reason(vd);
    const uint32_t *cats = NULL;
    const uint8_t *grant_id = NULL, *ref_id = NULL, *digest = NULL;
    const uint8_t *notice_digest = NULL;
    const char *issuer = NULL, *holder = NULL, *notice_lang = NULL;
    char t1[CLI_TIME_BYTES], t2[CLI_TIME_BYTES], t3[CLI_TIME_BYTES];
    char hex[2 * NANSEN_DIGEST_BYTES + 1], age[AGE_BYTES];
    int64_t from = 0, until = 0, signed_at = 0, as_of = 0, list_age = 0;
    uint32_t purpose = 0;
    size_t ncat = 0, k;
    int c, matches = 0, checked = 0, stale_accepted = 0;

    if (reason != NANSEN_REASON_ACCEPT) {
        print_rejection(reason, lang);
        return;
    }
    printf("ACCEPT\n%s\n", nansen_verdict_message(vd, lang));
    if (nansen_verdict_consent(vd, &purpose, &cats, &ncat) == NANSEN_OK) {
        printf("purpose:     %s (%s)\n",
               nansen_vocab_id(NANSEN_VOCAB_PURPOSE, purpose),
               label_of(NANSEN_VOCAB_PURPOSE, purpose, lang));
        printf("categories: ");
        for (k = 0; k < ncat; k++)
            printf(" %s (%s)%s",
                   nansen_vocab_id(NANSEN_VOCAB_CATEGORY, cats[k]),
                   label_of(NANSEN_VOCAB_CATEGORY, cats[k], lang),
                   k + 1 < ncat ? "," : "");
        printf("\n");
    }
    if (nansen_verdict_validity(vd, &from, &until, &signed_at) ==
        NANSEN_OK) {
        cli_iso_time(from, t1);
        cli_iso_time(until, t2);
        cli_iso_time(signed_at, t3);
        printf("valid from:  %s\nvalid until: %s\nsigned at:   %s\n", t1, t2,
               t3);
    }
    if (nansen_verdict_parties(vd, &issuer, &holder) == NANSEN_OK)
        printf("issuer:      %s\nholder:      %s\n", issuer, holder);
    if (nansen_verdict_ids(vd, &grant_id, &ref_id, &digest) == NANSEN_OK) {
        if (grant_id != NULL) {
            cli_hex(hex, grant_id, NANSEN_CTI_BYTES);
            printf("grant id:    %s\n", hex);
        }
        cli_hex(hex, digest, 8);
        printf("grant sha256: %s...\n", hex);
    }
    if (nansen_verdict_notice(vd, &notice_lang, &notice_digest, &matches) ==
        NANSEN_OK)
        printf("notice:      %s, %s\n", notice_lang,
               matches ? "the text this library renders"
                       : "a wording other than this library's");
    if (nansen_verdict_status_list(vd, &checked, &as_of, &list_age,
                                   &stale_accepted) == NANSEN_OK &&
        checked) {
        cli_iso_time(as_of, t1);
        printf("status:      not revoked as of %s, list age %s%s\n", t1,
               age_text(list_age, age),
               stale_accepted ? " (stale, accepted by --accept-stale)" : "");
    }
    printf("claims:\n");
    for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
        nansen_claim_value v;

        if (nansen_verdict_claim(vd, (nansen_claim)c, &v, NULL) == NANSEN_OK)
            print_claim((nansen_claim)c, &v, lang);
    }
}

/* Add to obj, or remember that memory ran out. */
static void add(cJSON *obj, const char *name, cJSON *item, int *oom)
{
    if (item == NULL || !cJSON_AddItemToObject(obj, name, item)) {
        cJSON_Delete(item);
        *oom = 1;
    }
}

static cJSON *hex_json(const uint8_t *p, size_t n)
{
    char hex[2 * NANSEN_DIGEST_BYTES + 1];

    if (n > NANSEN_DIGEST_BYTES)
        return NULL;
    cli_hex(hex, p, n);
    return cJSON_CreateString(hex);
}

static cJSON *id_json(nansen_vocab_kind kind, uint32_t code)
{
    const char *id = nansen_vocab_id(kind, code);

    return id != NULL ? cJSON_CreateString(id) : cJSON_CreateNumber(code);
}

static cJSON *claim_json(nansen_claim claim, const nansen_claim_value *v)
{
    switch (v->type) {
    case NANSEN_VALUE_UINT:
        return id_json(claim == NANSEN_CLAIM_SERVICE ? NANSEN_VOCAB_SERVICE
                                                     : NANSEN_VOCAB_URGENCY,
                       (uint32_t)v->uint);
    case NANSEN_VALUE_BOOL:
        return cJSON_CreateBool(v->uint != 0);
    default:
        return cJSON_CreateString(v->text != NULL ? v->text : "");
    }
}

/* The accepted parts of the verdict. */
static void accept_json(cJSON *root, const nansen_verdict *vd, int *oom)
{
    const uint32_t *cats = NULL;
    const uint8_t *grant_id = NULL, *ref_id = NULL, *digest = NULL;
    const uint8_t *notice_digest = NULL;
    const char *issuer = NULL, *holder = NULL, *notice_lang = NULL;
    int64_t from = 0, until = 0, at = 0, as_of = 0, age = 0;
    uint32_t purpose = 0;
    size_t ncat = 0, k;
    int c, matches = 0, checked = 0, stale_accepted = 0;
    cJSON *obj, *arr;

    if ((obj = cJSON_CreateObject()) != NULL)
        for (c = NANSEN_CLAIM_FIRST; c <= NANSEN_CLAIM_LAST; c++) {
            nansen_claim_value v;

            if (nansen_verdict_claim(vd, (nansen_claim)c, &v, NULL) ==
                NANSEN_OK)
                add(obj, nansen_claim_name((nansen_claim)c),
                    claim_json((nansen_claim)c, &v), oom);
        }
    add(root, "disclosed", obj, oom);
    if (nansen_verdict_consent(vd, &purpose, &cats, &ncat) == NANSEN_OK) {
        add(root, "purpose", id_json(NANSEN_VOCAB_PURPOSE, purpose), oom);
        if ((arr = cJSON_CreateArray()) != NULL)
            for (k = 0; k < ncat; k++) {
                cJSON *it = id_json(NANSEN_VOCAB_CATEGORY, cats[k]);

                if (it == NULL || !cJSON_AddItemToArray(arr, it)) {
                    cJSON_Delete(it);
                    *oom = 1;
                }
            }
        add(root, "categories", arr, oom);
    }
    if (nansen_verdict_validity(vd, &from, &until, &at) == NANSEN_OK) {
        add(root, "valid_from", cJSON_CreateNumber((double)from), oom);
        add(root, "valid_until", cJSON_CreateNumber((double)until), oom);
        add(root, "signed_at", cJSON_CreateNumber((double)at), oom);
    }
    if (nansen_verdict_parties(vd, &issuer, &holder) == NANSEN_OK) {
        add(root, "issuer", cJSON_CreateString(issuer), oom);
        add(root, "holder", cJSON_CreateString(holder), oom);
    }
    if (nansen_verdict_ids(vd, &grant_id, &ref_id, &digest) == NANSEN_OK) {
        if (grant_id != NULL)
            add(root, "grant_id", hex_json(grant_id, NANSEN_CTI_BYTES), oom);
        add(root, "grant_sha256", hex_json(digest, NANSEN_DIGEST_BYTES), oom);
    }
    if ((obj = cJSON_CreateObject()) != NULL) {
        if (ref_id != NULL)
            add(obj, "id", hex_json(ref_id, NANSEN_CTI_BYTES), oom);
        if (nansen_verdict_referral_validity(vd, &from, &until, &at) ==
            NANSEN_OK) {
            add(obj, "valid_from", cJSON_CreateNumber((double)from), oom);
            add(obj, "valid_until", cJSON_CreateNumber((double)until), oom);
            add(obj, "issued_at", cJSON_CreateNumber((double)at), oom);
        }
    }
    add(root, "referral", obj, oom);
    if (nansen_verdict_notice(vd, &notice_lang, &notice_digest, &matches) ==
        NANSEN_OK) {
        if ((obj = cJSON_CreateObject()) != NULL) {
            add(obj, "lang", cJSON_CreateString(notice_lang), oom);
            add(obj, "sha256", hex_json(notice_digest, NANSEN_DIGEST_BYTES),
                oom);
            add(obj, "matches", cJSON_CreateBool(matches), oom);
        }
        add(root, "notice", obj, oom);
    }
    if (nansen_verdict_status_list(vd, &checked, &as_of, &age,
                                   &stale_accepted) == NANSEN_OK) {
        if ((obj = cJSON_CreateObject()) != NULL) {
            add(obj, "checked", cJSON_CreateBool(checked), oom);
            if (checked) {
                add(obj, "as_of", cJSON_CreateNumber((double)as_of), oom);
                add(obj, "age", cJSON_CreateNumber((double)age), oom);
                add(obj, "stale_accepted", cJSON_CreateBool(stale_accepted),
                    oom);
            }
        }
        add(root, "status_list", obj, oom);
    }
}

/* vd, or (vd NULL) a rejection for reason with status. */
static int print_json(const char *cmd, const nansen_verdict *vd,
                      nansen_reason reason, nansen_err status,
                      const char *lang)
{
    const char *code;
    cJSON *root = cJSON_CreateObject();
    char *text = NULL;
    int oom = root == NULL;

    if (vd != NULL) {
        reason = nansen_verdict_reason(vd);
        status = nansen_verdict_status(vd);
    }
    code = nansen_reason_code(reason);
    if (root != NULL) {
        add(root, "verdict", cJSON_CreateString(reason == NANSEN_REASON_ACCEPT
                                                    ? "accept" : "reject"),
            &oom);
        add(root, "reason", cJSON_CreateString(code != NULL ? code : "?"),
            &oom);
        add(root, "message",
            cJSON_CreateString(vd != NULL ? nansen_verdict_message(vd, lang)
                                          : reason_message(reason, lang)),
            &oom);
        add(root, "status", cJSON_CreateString(nansen_err_name(status)),
            &oom);
        if (vd != NULL && reason == NANSEN_REASON_ACCEPT)
            accept_json(root, vd, &oom);
    }
    if (!oom)
        text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL) {
        cli_err(cmd, "%s", nansen_strerror(NANSEN_ERR_NOMEM));
        return -1;
    }
    printf("%s\n", text);
    sodium_memzero(text, strlen(text));
    cJSON_free(text);
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    const char *cmd = "verify", *as = NULL, *in = NULL, *lang = "en";
    const char *image = NULL;
    const char *max_age_s = NULL, *nonce_hex = NULL, *at_s = NULL, *val;
    const char *trust_file = NULL, *gov_did = NULL, *status_dir = NULL;
    const char *wd_file = NULL, *stale_s = NULL;
    int64_t accept_stale = 0;
    nansen_trustlist *trustlist = NULL;
    nansen_withdrawal_store *wstore = NULL;
    nansen_key *gov = NULL;
    const char *issuers[NANSEN_VERIFIER_MAX_ISSUERS];
    uint32_t purposes[64];
    size_t nissuers = 0, npurposes = 0, k;
    uint8_t nonce[NANSEN_CNONCE_MAX_BYTES];
    size_t nonce_len = 0, grant_len = 0;
    int64_t max_age = 0;
    uint64_t at = 0;
    nansen_verifier *v = NULL;
    nansen_verdict *vd = NULL;
    nansen_key *self = NULL, *issuer = NULL;
    nansen_ctx *ctx = NULL;
    uint8_t *grant = NULL, *input = NULL;
    size_t input_len = 0;
    nansen_err err, unframed = NANSEN_OK;
    int i, r, json = 0, quiet = 0, framed = 0, status = EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_verify();
            return EXIT_VALID;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--as", &as)) ||
            (r = cli_opt(cmd, argc, argv, &i, "-i", "--in", &in)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--image", &image)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--lang", &lang)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--max-age",
                         &max_age_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--nonce", &nonce_hex)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--at", &at_s)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--trust",
                         &trust_file)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--governance",
                         &gov_did)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--status-dir",
                         &status_dir)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--withdrawals",
                         &wd_file)) ||
            (r = cli_opt(cmd, argc, argv, &i, NULL, "--accept-stale",
                         &stale_s))) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--issuer", &val))) {
            if (r < 0)
                return EXIT_USAGE;
            if (nissuers >= NANSEN_VERIFIER_MAX_ISSUERS)
                return cli_usage(cmd, "more than %d --issuer",
                                 NANSEN_VERIFIER_MAX_ISSUERS);
            issuers[nissuers++] = val;
            continue;
        }
        if ((r = cli_opt(cmd, argc, argv, &i, NULL, "--purpose", &val))) {
            uint32_t code;

            if (r < 0 || vocab_code(cmd, NANSEN_VOCAB_PURPOSE, val,
                                    strlen(val), &code) != 0)
                return EXIT_USAGE;
            for (k = 0; k < npurposes && purposes[k] != code; k++)
                ;
            if (k == npurposes) {
                if (npurposes >= sizeof purposes / sizeof purposes[0])
                    return cli_usage(cmd, "too many --purpose");
                purposes[npurposes++] = code;
            }
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, NULL, "--json", NULL)) {
            json = 1;
            continue;
        }
        if (cli_opt(cmd, argc, argv, &i, "-q", "--quiet", NULL)) {
            quiet = 1;
            continue;
        }
        return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
    }
    if (as == NULL)
        return cli_usage(cmd, "missing --as DID (this clinic)");
    if (trust_file != NULL && gov_did == NULL)
        return cli_usage(cmd, "--trust wants --governance DID (who signs the "
                              "trust list)");
    if (gov_did != NULL && trust_file == NULL)
        return cli_usage(cmd, "--governance without --trust FILE");
    if (nissuers == 0 && trust_file == NULL)
        return cli_usage(cmd, "missing --issuer DID (an NGO this clinic "
                              "trusts) or --trust FILE");
    if (stale_s != NULL && cli_duration(stale_s, &accept_stale) != 0)
        return cli_usage(cmd, "--accept-stale wants a duration such as 1d, "
                              "12h, 90m or 3600s, not '%s'", stale_s);
    if (json && quiet)
        return cli_usage(cmd, "give at most one of --json and -q");
    if (in != NULL && image != NULL)
        return cli_usage(cmd, "give at most one of -i and --image");
    if (in == NULL)
        in = "-";
    if (max_age_s != NULL && cli_duration(max_age_s, &max_age) != 0)
        return cli_usage(cmd, "--max-age wants a duration such as 1d, 12h, "
                              "90m or 3600s, not '%s'", max_age_s);
    if (nonce_hex != NULL &&
        parse_hex(nonce_hex, nonce, sizeof nonce, &nonce_len) != 0)
        return cli_usage(cmd, "--nonce wants 1 to %d bytes of hex",
                         NANSEN_CNONCE_MAX_BYTES);
    if (at_s != NULL && cli_uint(at_s, (uint64_t)INT64_MAX / 2, &at) != 0)
        return cli_usage(cmd, "--at wants unix seconds, not '%s'", at_s);

    if ((ctx = cli_ctx(cmd)) == NULL)
        return EXIT_USAGE;
    if ((self = cli_key_of_did(cmd, ctx, "--as", as)) == NULL)
        goto out;
    if ((err = nansen_verifier_create(ctx, &v, self)) != NANSEN_OK) {
        cli_err(cmd, "%s", nansen_strerror(err));
        goto out;
    }
    for (k = 0; k < nissuers; k++) {
        if ((issuer = cli_key_of_did(cmd, ctx, "--issuer", issuers[k])) == NULL)
            goto out;
        err = nansen_verifier_trust_issuer(v, issuer);
        nansen_key_free(issuer);
        issuer = NULL;
        if (err != NANSEN_OK) {
            cli_err(cmd, "--issuer %s: %s", issuers[k], nansen_strerror(err));
            goto out;
        }
    }
    if (trust_file != NULL) {
        if ((gov = cli_key_of_did(cmd, ctx, "--governance", gov_did)) == NULL)
            goto out;
        err = nansen_trustlist_load(ctx, &trustlist, trust_file, gov);
        if (err == NANSEN_OK)
            err = nansen_verifier_set_trustlist(v, trustlist);
        if (err != NANSEN_OK) {
            cli_err(cmd, "--trust %s: %s", trust_file, nansen_strerror(err));
            goto out;
        }
    }
    if (at_s != NULL)
        nansen_verifier_set_time(v, (int64_t)at);
    if (status_dir != NULL) {
        size_t loaded = 0;

        if ((err = nansen_status_dir_load(ctx, v, status_dir, &loaded)) !=
            NANSEN_OK) {
            cli_err(cmd, "--status-dir %s: %s (after %lu list%s)",
                    status_dir, nansen_strerror(err), (unsigned long)loaded,
                    loaded == 1 ? "" : "s");
            goto out;
        }
    }
    if (wd_file != NULL) {
        if ((err = nansen_withdrawal_store_load(ctx, &wstore, wd_file)) !=
            NANSEN_OK) {
            cli_err(cmd, "--withdrawals %s: %s", wd_file,
                    nansen_strerror(err));
            goto out;
        }
        nansen_verifier_set_withdrawals(v, wstore);
    }
    if (stale_s != NULL &&
        (err = nansen_verifier_set_status_policy(v, 0, accept_stale)) !=
            NANSEN_OK) {
        cli_err(cmd, "--accept-stale: %s", nansen_strerror(err));
        goto out;
    }
    for (k = 0; k < npurposes; k++)
        if ((err = nansen_verifier_accept_purpose(v, purposes[k])) !=
            NANSEN_OK) {
            cli_err(cmd, "--purpose: %s", nansen_strerror(err));
            goto out;
        }
    if (max_age_s != NULL &&
        (err = nansen_verifier_set_max_age(v, max_age)) != NANSEN_OK) {
        cli_err(cmd, "--max-age: %s", nansen_strerror(err));
        goto out;
    }
    if (nonce_len > 0 &&
        (err = nansen_verifier_require_nonce(v, nonce, nonce_len)) !=
            NANSEN_OK) {
        cli_err(cmd, "--nonce: %s", nansen_strerror(err));
        goto out;
    }
    if ((r = cli_read_token(cmd, in, image, CLI_TOKEN_NANSEN,
                            "a Nansen grant", quiet, &input, &input_len,
                            &framed)) != EXIT_VALID) {
        status = r;
        goto out;
    }
    if (!framed) {
        grant = input;
        grant_len = input_len;
        input = NULL;
    } else {
        unframed = cli_unframe(input, input_len, 0, &grant, &grant_len, NULL);
        if (unframed == NANSEN_ERR_NOMEM ||
            unframed == NANSEN_ERR_INVALID_ARG) {
            cli_err(cmd, "%s", nansen_strerror(unframed));
            goto out;
        }
    }
    if (unframed == NANSEN_OK &&
        (err = nansen_verify_grant(v, &vd, grant, grant_len)) != NANSEN_OK) {
        cli_err(cmd, "no verdict: %s", nansen_strerror(err));
        goto out;
    }
    if (!quiet) {
        if (json) {
            if (print_json(cmd, vd, unframe_reason(unframed), unframed,
                           lang) != 0)
                goto out;
        } else if (vd != NULL) {
            print_human(vd, lang);
        } else {
            print_rejection(unframe_reason(unframed), lang);
        }
        if (fflush(stdout) != 0) {
            cli_err(cmd, "write error on standard output");
            goto out;
        }
    }
    status = vd != NULL && nansen_verdict_reason(vd) == NANSEN_REASON_ACCEPT
                 ? EXIT_VALID : EXIT_INVALID;
out:
    nansen_verdict_free(vd);
    cli_wipe_free(input, input_len);
    cli_wipe_free(grant, grant_len);
    nansen_verifier_free(v);
    nansen_trustlist_free(trustlist);
    nansen_withdrawal_store_free(wstore);
    nansen_key_free(gov);
    nansen_key_free(self);
    nansen_ctx_destroy(ctx);
    return status;
}
