/* The one UTF-8 decoder (canonical/lpc_utf8.h) and the one RFC 3339 parser and printer
 * (canonical/lpc_time.h) against CPython: bytes.decode("utf-8") strict and
 * "surrogatepass", datetime.fromisoformat and datetime.fromtimestamp
 * (vectors/canonical/utf8_cases.json, rfc3339_parse_cases.json, rfc3339_format_cases.json,
 * made by vectors/canonical/gen_text_vectors.py). */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_json.h"
#include "canonical/lpc_time.h"
#include "canonical/lpc_utf8.h"
#include "tests/lp_test.h"

static const lpc_value *cases_of(const lpc_value *doc)
{
    const lpc_value *c = lp_field(doc, "cases");
    ck_assert_msg(c->type == LPC_ARRAY && c->u.a.n > 0, "no cases");
    return c;
}

static int field_true(const lpc_value *obj, const char *key)
{
    const lpc_value *v = lp_field(obj, key);
    ck_assert_msg(v->type == LPC_BOOL, "field %s not a bool", key);
    return v->u.b;
}

/* One case under one flag set: validity, the first bad offset, the code points, and
 * lpc_utf8_put giving the bytes back. */
static void check_utf8(const char *hex, const uint8_t *b, size_t n, unsigned flags, const lpc_value *want)
{
    size_t bad = (size_t)-1;
    int valid = lpc_utf8_valid(b, n, flags, &bad);
    ck_assert_msg(valid == field_true(want, "valid"), "%s flags %u: valid %d", hex, flags, valid);
    size_t i = 0, k = 0;
    uint8_t again[4];
    if (valid) {
        const lpc_value *cps = lp_field(want, "code_points");
        for (; i < n; k++) {
            uint32_t cp = 0xFFFFFFFFu;
            size_t len = lpc_utf8_next(b + i, n - i, flags, &cp);
            ck_assert_msg(len > 0 && k < cps->u.a.n, "%s flags %u: stopped at %zu", hex, flags, i);
            int64_t w;
            ck_assert(lpc_int_i64(lpc_at(cps, k), &w));
            ck_assert_msg((int64_t)cp == w, "%s flags %u: code point %zu is %x, want %llx", hex, flags, k, cp,
                          (unsigned long long)w);
            ck_assert_uint_eq(lpc_utf8_put(cp, again), len);
            ck_assert_msg(!memcmp(again, b + i, len), "%s: U+%04X re-encodes differently", hex, cp);
            i += len;
        }
        ck_assert_uint_eq(k, cps->u.a.n);
        ck_assert_uint_eq(bad, (size_t)-1);  /* untouched when valid */
        return;
    }
    size_t want_bad = (size_t)lp_field_i64(want, "bad");
    ck_assert_msg(bad == want_bad, "%s flags %u: bad at %zu, want %zu", hex, flags, bad, want_bad);
    /* everything before it decodes, nothing at it does */
    while (i < bad) {
        size_t len = lpc_utf8_next(b + i, n - i, flags, NULL);
        ck_assert_msg(len > 0, "%s flags %u: prefix stops at %zu", hex, flags, i);
        i += len;
    }
    ck_assert_uint_eq(i, bad);
    uint32_t cp = 0x12345678u;
    ck_assert_uint_eq(lpc_utf8_next(b + bad, n - bad, flags, &cp), 0);
    ck_assert_uint_eq(cp, 0x12345678u);  /* untouched when invalid */
}

START_TEST(utf8_against_cpython)
{
    lpc_value *doc = lp_load_json_vector("canonical/utf8_cases.json");
    const lpc_value *cases = cases_of(doc);
    size_t neg = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *hex = lp_field_str(c, "hex");
        size_t n;
        uint8_t *b = lp_unhex(hex, &n);
        check_utf8(hex, b, n, 0, lp_field(c, "strict"));
        check_utf8(hex, b, n, LPC_UTF8_SURROGATES, lp_field(c, "surrogatepass"));
        neg += !field_true(lp_field(c, "strict"), "valid");
        free(b);
    }
    ck_assert_uint_gt(cases->u.a.n, 2000);
    ck_assert_uint_gt(2 * neg, cases->u.a.n);  /* at least half refused */
    lpc_free(doc);
}
END_TEST

START_TEST(utf8_edges)
{
    uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};
    ck_assert_uint_eq(lpc_utf8_put(0x110000, out), 0);
    ck_assert_uint_eq(lpc_utf8_put(0xFFFFFFFFu, out), 0);
    ck_assert_uint_eq(out[0], 0xAA);
    ck_assert_uint_eq(lpc_utf8_put(0x10FFFF, out), 4);
    ck_assert(out[0] == 0xF4 && out[1] == 0x8F && out[2] == 0xBF && out[3] == 0xBF);
    ck_assert_uint_eq(lpc_utf8_put(0xDC00, out), 3);  /* WTF-8 */
    ck_assert(out[0] == 0xED && out[1] == 0xB0 && out[2] == 0x80);
    ck_assert_uint_eq(lpc_utf8_next(out, 0, LPC_UTF8_SURROGATES, NULL), 0);  /* nothing to read */
    ck_assert_int_eq(lpc_utf8_valid(NULL, 0, 0, NULL), 1);
    /* a valid sequence cut by avail */
    static const uint8_t euro[3] = {0xE2, 0x82, 0xAC};
    ck_assert_uint_eq(lpc_utf8_next(euro, 2, 0, NULL), 0);
    ck_assert_uint_eq(lpc_utf8_next(euro, 3, 0, NULL), 3);
}
END_TEST

START_TEST(rfc3339_parse_against_cpython)
{
    lpc_value *doc = lp_load_json_vector("canonical/rfc3339_parse_cases.json");
    const lpc_value *cases = cases_of(doc);
    size_t neg = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const lpc_value *t = lp_field(c, "text");
        ck_assert(t->type == LPC_STR);
        unsigned flags = lp_field_i64(c, "flags") ? LPC_TIME_ZONE_OPTIONAL : 0;
        int64_t us = INT64_MIN;
        int r = lpc_time_parse(t->u.s.ptr, t->u.s.len, flags, &us);
        if (field_true(c, "accept")) {
            ck_assert_msg(r == 0, "\"%s\" flags %u: refused", t->u.s.ptr, flags);
            ck_assert_msg(us == lp_field_i64(c, "us"), "\"%s\" flags %u: %lld us, want %lld", t->u.s.ptr, flags,
                          (long long)us, (long long)lp_field_i64(c, "us"));
        } else {
            ck_assert_msg(r == -1, "\"%s\" flags %u: accepted (%s)", t->u.s.ptr, flags, lp_field_str(c, "why"));
            neg++;
        }
    }
    ck_assert_uint_gt(cases->u.a.n, 1000);
    ck_assert_uint_ge(2 * neg, cases->u.a.n);
    /* no text, or a NULL pointer with a length */
    int64_t us;
    ck_assert_int_eq(lpc_time_parse(NULL, 20, 0, &us), -1);
    ck_assert_int_eq(lpc_time_parse("", 0, LPC_TIME_ZONE_OPTIONAL, &us), -1);
    lpc_free(doc);
}
END_TEST

START_TEST(rfc3339_format_against_cpython)
{
    lpc_value *doc = lp_load_json_vector("canonical/rfc3339_format_cases.json");
    const lpc_value *cases = cases_of(doc);
    size_t neg = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        int64_t t = lp_field_i64(c, "t");
        char out[LPC_RFC3339_LEN];
        memset(out, 'x', sizeof out);
        int r = lpc_time_format(t, out);
        int ok = field_true(c, "ok");
        ck_assert_msg(r == (ok ? 0 : -1), "t=%lld: returned %d", (long long)t, r);
        ck_assert_msg(memchr(out, 0, sizeof out) != NULL, "t=%lld: no NUL", (long long)t);
        ck_assert_msg(!strcmp(out, lp_field_str(c, "text")), "t=%lld: \"%s\", want \"%s\"", (long long)t, out,
                      lp_field_str(c, "text"));
        if (ok) {  /* and back, to the second */
            int64_t us;
            ck_assert_int_eq(lpc_time_parse(out, strlen(out), 0, &us), 0);
            ck_assert_int_eq(us, t * 1000000);
        } else {
            neg++;
        }
    }
    ck_assert_uint_ge(2 * neg, cases->u.a.n);
    lpc_free(doc);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, utf8_against_cpython);
    tcase_add_test(tc, utf8_edges);
    tcase_add_test(tc, rfc3339_parse_against_cpython);
    tcase_add_test(tc, rfc3339_format_against_cpython);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(text_suite)
