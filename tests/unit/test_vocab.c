/* test_vocab.c - vocabulary look-ups, labels and the consent notice.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "testutil.h"

#define FSI "\xe2\x81\xa8"   /* U+2068 FIRST STRONG ISOLATE */
#define PDI "\xe2\x81\xa9"   /* U+2069 POP DIRECTIONAL ISOLATE */

static const char *const LANGS[] = {"en", "fr", "es", "ar", "fa", "uk",
                                    "ti", "so"};
#define NLANGS (sizeof LANGS / sizeof LANGS[0])

/* 2026-01-01T00:00:00Z and one second before 2026-01-08. */
#define T_FROM  INT64_C(1767225600)
#define T_UNTIL (T_FROM + 7 * 86400 - 1)

static const uint32_t CATS[] = {5, 3};   /* contact, health */

static nansen_notice_fields fields(const char *lang, const char *clinic,
                                   const char *issuer)
{
    nansen_notice_fields f;

    memset(&f, 0, sizeof f);
    f.lang = lang;
    f.clinic = clinic;
    f.issuer = issuer;
    f.purpose = 1;                        /* treatment */
    f.categories = CATS;
    f.category_count = 2;
    f.from = T_FROM;
    f.until = T_UNTIL;
    return f;
}

static const char EN[] =
    "I agree that Riverside Clinic may use this information from my "
    "referral by Open Doors: Contact details, Health information. Purpose: "
    "Treatment. Valid from 2026-01-01 until 2026-01-07. I can withdraw this "
    "consent at any time in my Nansen wallet; the clinic must then stop "
    "using this information.";

static const char FR[] =
    "J'accepte que Clinique du Port utilise ces informations de mon "
    "orientation délivrée par Portes Ouvertes : Coordonnées, Informations "
    "de santé. Finalité : Traitement. Valable du 2026-01-01 au "
    "2026-01-07. Je peux retirer ce consentement à tout moment dans mon "
    "portefeuille Nansen ; la clinique doit alors cesser d'utiliser ces "
    "informations.";

static const char AR[] =
    "أوافق على أن تستخدم " FSI "Riverside Clinic" PDI
    " هذه المعلومات من الإحالة الصادرة لي عن " FSI "Open Doors" PDI
    ": بيانات الاتصال، المعلومات الصحية. الغرض: العلاج. صالحة من "
    FSI "2026-01-01" PDI " حتى " FSI "2026-01-07" PDI
    ". يمكنني سحب هذه الموافقة في أي وقت من محفظة " FSI "Nansen" PDI
    " الخاصة بي، وعندها يجب على العيادة التوقف عن استخدام هذه المعلومات.";

static char *render_alloc(const nansen_notice_fields *f)
{
    size_t len = 0;
    char *buf;

    assert_int_equal(nansen_notice_render(NULL, &len, f), NANSEN_OK);
    buf = malloc(len);
    assert_non_null(buf);
    assert_int_equal(nansen_notice_render(buf, &len, f), NANSEN_OK);
    assert_int_equal(strlen(buf) + 1, len);
    return buf;
}

static void test_required_ids(void **state)
{
    static const struct { nansen_vocab_kind k; const char *ids[24]; } req[] = {
        {NANSEN_VOCAB_PURPOSE, {"treatment", "care-coordination",
            "follow-up", "interpretation-arrangement",
            "emergency-care", NULL}},
        {NANSEN_VOCAB_CATEGORY, {"referral", "language", "health", "risk",
            "contact", "family", NULL}},
        {NANSEN_VOCAB_SERVICE, {"psychosocial-support", "psychiatry",
            "primary-care", "legal-aid", "housing", "maternal-health",
            "child-protection", "gbv-support", "substance-use", NULL}},
        {NANSEN_VOCAB_URGENCY, {"routine", "priority", "urgent", "emergency",
            NULL}},
        {NANSEN_VOCAB_REASON, {"accept", "malformed", "unsupported-version",
            "bad-issuer-signature", "bad-holder-signature",
            "holder-binding-broken", "untrusted-issuer", "wrong-audience",
            "not-yet-valid", "expired", "grant-too-old",
            "purpose-not-accepted", "category-not-covered",
            "disclosure-digest-mismatch", "withdrawn-by-holder", "revoked",
            "suspended", "status-stale", "status-unknown", "wrong-role",
            "clock-behind", NULL}},
    };
    size_t i, j, l;

    (void)state;
    assert_int_equal(nansen_vocab_version(), 1);
    for (i = 0; i < sizeof req / sizeof req[0]; i++) {
        for (j = 0; req[i].ids[j] != NULL; j++) {
            const char *id = req[i].ids[j];
            uint32_t code = 99;

            assert_int_equal(nansen_vocab_lookup_id(req[i].k, id, strlen(id),
                                                    &code), NANSEN_OK);
            assert_string_equal(nansen_vocab_id(req[i].k, code), id);
            for (l = 0; l < NLANGS; l++) {
                const char *label = NULL, *used = NULL;

                assert_int_equal(nansen_vocab_label(req[i].k, code, LANGS[l],
                                                    &label, &used),
                                 NANSEN_OK);
                assert_non_null(label);
                assert_true(strlen(label) > 0);
                assert_string_equal(used, LANGS[l]);
                assert_true(nansen_vocab_needs_review(req[i].k, code,
                                                      LANGS[l]) >= 0);
            }
        }
    }
}

static void test_urgency_scale(void **state)
{
    static const char *const ids[] = {"routine", "priority", "urgent",
                                      "emergency"};
    uint32_t c;

    (void)state;
    for (c = 1; c <= 4; c++)
        assert_string_equal(nansen_vocab_id(NANSEN_VOCAB_URGENCY, c),
                            ids[c - 1]);
    assert_null(nansen_vocab_id(NANSEN_VOCAB_URGENCY, 0));
    assert_null(nansen_vocab_id(NANSEN_VOCAB_URGENCY, 5));
}

static void test_labels_and_fallback(void **state)
{
    const char *label, *used;
    uint32_t code;

    (void)state;
    assert_int_equal(nansen_vocab_lookup_id(NANSEN_VOCAB_REASON,
                                            "wrong-audience", 14, &code),
                     NANSEN_OK);
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_REASON, code, "en",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(label,
                        "Rejected: this consent was given to another clinic");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_REASON, 0, "en",
                                        &label, NULL), NANSEN_OK);
    assert_string_equal(label, "Accepted: consent is valid");

    /* unknown languages fall back to English */
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_SERVICE, 1, "de",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(label, "Psychosocial support");
    assert_string_equal(used, "en");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_SERVICE, 1, "",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "en");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_SERVICE, 1, "farsi",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "en");

    /* BCP 47 matching by primary subtag */
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "fa-AF",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "fa");
    assert_string_equal(label, "درمان");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "prs",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "fa");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "prs-AF",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "fa");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "AR",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "ar");
    assert_string_equal(label, "العلاج");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "ar-SY",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(used, "ar");
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 1, "Fr_CA",
                                        &label, &used), NANSEN_OK);
    assert_string_equal(label, "Traitement");
}

static void test_rtl_and_review(void **state)
{
    (void)state;
    assert_int_equal(nansen_vocab_is_rtl("ar"), 1);
    assert_int_equal(nansen_vocab_is_rtl("ar-SY"), 1);
    assert_int_equal(nansen_vocab_is_rtl("fa-AF"), 1);
    assert_int_equal(nansen_vocab_is_rtl("prs"), 1);
    assert_int_equal(nansen_vocab_is_rtl("en"), 0);
    assert_int_equal(nansen_vocab_is_rtl("ti"), 0);
    assert_int_equal(nansen_vocab_is_rtl("he"), 0);   /* falls back to en */
    assert_int_equal(nansen_vocab_is_rtl(NULL), 0);

    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_PURPOSE, 1, "en"),
                     0);
    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_PURPOSE, 1, "ti"),
                     1);
    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_PURPOSE, 1,
                                               "fa-AF"), 1);
    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_REASON, 7, "so"),
                     1);
    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_PURPOSE, 1, "de"),
                     0);
    assert_int_equal(nansen_vocab_needs_review(NANSEN_VOCAB_PURPOSE, 999,
                                               "en"), -1);
    assert_int_equal(nansen_vocab_needs_review((nansen_vocab_kind)9, 1, "en"),
                     -1);
    assert_int_equal(nansen_notice_needs_review("en"), 0);
    assert_int_equal(nansen_notice_needs_review("ar"), 1);
    assert_int_equal(nansen_notice_needs_review("de"), -1);
}

/* NULLs where the prototypes say non-null go through plain function
 * pointers, which carry no nonnull attribute (see test_key.c). */
static nansen_err (*const label_fn)(nansen_vocab_kind, uint32_t, const char *,
                                    const char **, const char **) =
    nansen_vocab_label;
static nansen_err (*const lookup_fn)(nansen_vocab_kind, const char *, size_t,
                                     uint32_t *) = nansen_vocab_lookup_id;
static nansen_err (*const render_fn)(char *, size_t *,
                                     const nansen_notice_fields *) =
    nansen_notice_render;

static void test_unknown(void **state)
{
    const char *label = "x", *used = "x";
    uint32_t code = 7;

    (void)state;
    assert_int_equal(nansen_vocab_label(NANSEN_VOCAB_PURPOSE, 999, "en",
                                        &label, &used),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(label);
    assert_null(used);
    assert_int_equal(nansen_vocab_label((nansen_vocab_kind)0, 1, "en",
                                        &label, &used),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_vocab_label((nansen_vocab_kind)6, 1, "en",
                                        &label, &used),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(label_fn(NANSEN_VOCAB_PURPOSE, 1, NULL, &label, &used),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(label_fn(NANSEN_VOCAB_PURPOSE, 1, "en", NULL, &used),
                     NANSEN_ERR_INVALID_ARG);
    assert_null(nansen_vocab_id(NANSEN_VOCAB_PURPOSE, 999));
    assert_null(nansen_vocab_id((nansen_vocab_kind)42, 1));
    assert_int_equal(nansen_vocab_lookup_id(NANSEN_VOCAB_PURPOSE, "nope", 4,
                                            &code), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(code, 0);
    /* id_len bounds the id; a prefix or an overlong length does not match */
    assert_int_equal(nansen_vocab_lookup_id(NANSEN_VOCAB_PURPOSE,
                                            "treatmentX", 9, &code),
                     NANSEN_OK);
    assert_int_equal(code, 1);
    assert_int_equal(nansen_vocab_lookup_id(NANSEN_VOCAB_PURPOSE, "treat", 5,
                                            &code), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_vocab_lookup_id(NANSEN_VOCAB_PURPOSE, "treatment",
                                            10, &code),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_vocab_lookup_id((nansen_vocab_kind)0, "treatment",
                                            9, &code),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(lookup_fn(NANSEN_VOCAB_PURPOSE, NULL, 0, &code),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(lookup_fn(NANSEN_VOCAB_PURPOSE, "x", 1, NULL),
                     NANSEN_ERR_INVALID_ARG);
}

static void test_notice_exact(void **state)
{
    nansen_notice_fields f;
    char *s;

    (void)state;
    f = fields("en", "Riverside Clinic", "Open Doors");
    s = render_alloc(&f);
    assert_string_equal(s, EN);
    free(s);

    f = fields("fr-FR", "Clinique du Port", "Portes Ouvertes");
    s = render_alloc(&f);
    assert_string_equal(s, FR);
    free(s);

    f = fields("ar", "Riverside Clinic", "Open Doors");
    s = render_alloc(&f);
    assert_string_equal(s, AR);
    assert_int_equal(memcmp(s, AR, sizeof AR), 0);
    free(s);

    /* every language renders, with no trailing newline */
    {
        size_t l;

        for (l = 0; l < NLANGS; l++) {
            f = fields(LANGS[l], "Riverside Clinic", "Open Doors");
            s = render_alloc(&f);
            assert_true(strlen(s) > 0);
            assert_true(s[strlen(s) - 1] != '\n');
            assert_non_null(strstr(s, "2026-01-07"));
            assert_null(strchr(s, '{'));
            free(s);
        }
    }
}

static void test_notice_dates(void **state)
{
    static const struct { int64_t t; const char *d; } cases[] = {
        {0, "1970-01-01"}, {86399, "1970-01-01"}, {86400, "1970-01-02"},
        {951782400, "2000-02-29"}, {951868800, "2000-03-01"},
        {4107542400, "2100-03-01"}, {1767225599, "2025-12-31"},
        {INT64_C(253402300799), "9999-12-31"},
    };
    nansen_notice_fields f;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s;

        f = fields("en", "C", "I");
        f.from = cases[i].t;
        f.until = cases[i].t;
        s = render_alloc(&f);
        assert_non_null(strstr(s, cases[i].d));
        free(s);
    }
}

static void test_notice_digest(void **state)
{
    static const char *const hexes[] = {
        "fce8df608d0f0e6b3cc459eab6c5f6c5b6ab747ca8b2cb8b60266705ae9ca36b",
        "04d2b8d937abdaa4fb211eac51ee5c051e339a7b954c4ade19f82406c7f226d2",
    };
    static const char *const langs[] = {"en", "ar"};
    nansen_notice_fields f;
    uint8_t d[32], want[32], exp[32];
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        char *s;

        f = fields(langs[i], "Riverside Clinic", "Open Doors");
        s = render_alloc(&f);
        assert_int_equal(nansen_notice_digest(d, &f), NANSEN_OK);
        crypto_hash_sha256(want, (const unsigned char *)s, strlen(s));
        assert_memory_equal(d, want, 32);
        tu_hex_into(exp, 32, hexes[i]);
        assert_memory_equal(d, exp, 32);
        free(s);
    }
    f = fields("en", "Riverside Clinic", "Open Doors");
    f.until = f.from - 1;
    memset(d, 0xaa, sizeof d);
    assert_int_equal(nansen_notice_digest(d, &f), NANSEN_ERR_INVALID_ARG);
    memset(want, 0, sizeof want);
    assert_memory_equal(d, want, 32);
}

static void test_notice_env_independent(void **state)
{
    nansen_notice_fields f = fields("en", "Riverside Clinic", "Open Doors");
    char *a, *b, *c;

    (void)state;
    a = render_alloc(&f);
    b = render_alloc(&f);
    assert_string_equal(a, b);
    setenv("TZ", "Pacific/Kiritimati", 1);   /* UTC+14 */
    tzset();
    setlocale(LC_ALL, "");
    c = render_alloc(&f);
    assert_string_equal(a, c);
    free(c);
    setenv("TZ", "America/Adak", 1);         /* UTC-10 */
    tzset();
    c = render_alloc(&f);
    assert_string_equal(a, EN);
    assert_string_equal(c, EN);
    setlocale(LC_ALL, "C");
    unsetenv("TZ");
    tzset();
    free(a);
    free(b);
    free(c);
}

static void test_notice_buffer(void **state)
{
    nansen_notice_fields f = fields("en", "Riverside Clinic", "Open Doors");
    char buf[512];
    size_t len = 0, need;

    (void)state;
    assert_int_equal(nansen_notice_render(NULL, &len, &f), NANSEN_OK);
    assert_int_equal(len, sizeof EN);
    need = len;
    len = need - 1;
    assert_int_equal(nansen_notice_render(buf, &len, &f),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    len = 0;
    assert_int_equal(nansen_notice_render(buf, &len, &f),
                     NANSEN_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    len = need;
    assert_int_equal(nansen_notice_render(buf, &len, &f), NANSEN_OK);
    assert_int_equal(len, need);
    assert_string_equal(buf, EN);
    len = sizeof buf;
    assert_int_equal(nansen_notice_render(buf, &len, &f), NANSEN_OK);
    assert_int_equal(len, need);
}

static void expect_bad(const nansen_notice_fields *f)
{
    char buf[1024];
    size_t len = sizeof buf;
    uint8_t d[32];

    buf[0] = 'x';
    assert_int_equal(nansen_notice_render(buf, &len, f),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], '\0');
    len = 0;
    assert_int_equal(nansen_notice_render(NULL, &len, f),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_notice_digest(d, f), NANSEN_ERR_INVALID_ARG);
}

static void test_notice_invalid(void **state)
{
    static const uint32_t dup[] = {2, 2};
    static const uint32_t unknown[] = {2, 999};
    nansen_notice_fields f;
    size_t len = 100;

    (void)state;
    f = fields("de", "C", "I");             expect_bad(&f); /* no template */
    f = fields("", "C", "I");               expect_bad(&f);
    f = fields(NULL, "C", "I");             expect_bad(&f);
    f = fields("en", NULL, "I");            expect_bad(&f);
    f = fields("en", "C", NULL);            expect_bad(&f);
    f = fields("en", "", "I");              expect_bad(&f);
    f = fields("en", "C\xff", "I");         expect_bad(&f); /* bad UTF-8 */
    f = fields("en", "C", "\xc0\xaf");      expect_bad(&f); /* overlong */
    f = fields("en", "C", "\xed\xa0\x80");  expect_bad(&f); /* surrogate */
    f = fields("en", "C\nD", "I");          expect_bad(&f); /* control */
    f = fields("en", "C", "I"); f.purpose = 999;             expect_bad(&f);
    f = fields("en", "C", "I"); f.categories = unknown;      expect_bad(&f);
    f = fields("en", "C", "I"); f.categories = dup;          expect_bad(&f);
    f = fields("en", "C", "I"); f.categories = NULL;         expect_bad(&f);
    f = fields("en", "C", "I"); f.category_count = 0;        expect_bad(&f);
    f = fields("en", "C", "I"); f.until = f.from - 1;        expect_bad(&f);
    f = fields("en", "C", "I"); f.from = -1;                 expect_bad(&f);
    f = fields("en", "C", "I");
    f.until = INT64_C(253402300800);                         expect_bad(&f);
    assert_int_equal(render_fn(NULL, NULL, &f), NANSEN_ERR_INVALID_ARG);
    assert_int_equal(render_fn(NULL, &len, NULL), NANSEN_ERR_INVALID_ARG);
    /* a valid multi-byte name is fine */
    f = fields("fa-AF", "کلینیک امید", "Ärzte für Flüchtlinge");
    assert_int_equal(nansen_notice_render(NULL, &len, &f), NANSEN_OK);
}

/* Listing: every code once, in vocabulary order, each with an id; every
 * language has a notice template. */
static void test_listing(void **state)
{
    static const struct { nansen_vocab_kind k; size_t n; } kinds[] = {
        {NANSEN_VOCAB_PURPOSE, 5}, {NANSEN_VOCAB_CATEGORY, 6},
        {NANSEN_VOCAB_SERVICE, 10}, {NANSEN_VOCAB_URGENCY, 4},
        {NANSEN_VOCAB_REASON, 22}};
    static const char *langs[] = {"en", "fr", "es", "ar", "fa", "uk", "ti",
                                  "so"};
    size_t i, j, k;
    uint32_t code, prev;

    (void)state;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        assert_int_equal(nansen_vocab_count(kinds[k].k), kinds[k].n);
        for (i = 0; i < kinds[k].n; i++) {
            assert_int_equal(nansen_vocab_code_at(kinds[k].k, i, &code),
                             NANSEN_OK);
            assert_non_null(nansen_vocab_id(kinds[k].k, code));
            for (j = 0; j < i; j++) {
                assert_int_equal(nansen_vocab_code_at(kinds[k].k, j, &prev),
                                 NANSEN_OK);
                assert_int_not_equal(prev, code);
            }
        }
        assert_int_equal(nansen_vocab_code_at(kinds[k].k, kinds[k].n, &code),
                         NANSEN_ERR_INVALID_ARG);
        assert_int_equal(code, 0);
    }
    assert_int_equal(nansen_vocab_count((nansen_vocab_kind)9), 0);
    assert_int_equal(nansen_vocab_code_at((nansen_vocab_kind)9, 0, &code),
                     NANSEN_ERR_INVALID_ARG);
    assert_int_equal(nansen_vocab_language_count(), 8);
    for (i = 0; i < 8; i++) {
        assert_string_equal(nansen_vocab_language(i), langs[i]);
        assert_true(nansen_notice_needs_review(langs[i]) >= 0);
    }
    assert_null(nansen_vocab_language(8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_ids),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_urgency_scale),
        cmocka_unit_test(test_labels_and_fallback),
        cmocka_unit_test(test_rtl_and_review),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_notice_exact),
        cmocka_unit_test(test_notice_dates),
        cmocka_unit_test(test_notice_digest),
        cmocka_unit_test(test_notice_env_independent),
        cmocka_unit_test(test_notice_buffer),
        cmocka_unit_test(test_notice_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
