/* Canonical JSON: parser model and serializer profiles against Leadpoet's
 * Python outputs (vectors/leadpoet/canonical_json.json, misc_hashes.json) and
 * CPython's verdicts on malformed input (vectors/canonical/). */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"
#include "tests/lp_test.h"

static lpc_value *parse_text(const char *s, size_t n)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse((const uint8_t *)s, n, &v, &off);
    ck_assert_msg(e == LPC_OK, "parse failed: %s at %zu", lpc_strerror(e), off);
    return v;
}

static double from_float_hex(const char *hex)
{
    char *end;
    double d = strtod(hex, &end);
    ck_assert_msg(*end == 0, "bad float hex %s", hex);
    return d;
}

START_TEST(every_case_every_profile)
{
    lpc_value *doc = lp_load_json_vector("leadpoet/canonical_json.json");
    const lpc_value *cases = lp_field(doc, "cases");
    size_t checked = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        const lpc_value *in = lp_field(c, "input_json");
        lpc_value *v = parse_text(in->u.s.ptr, in->u.s.len);
        const lpc_value *outs = lp_field(c, "outputs");
        for (size_t j = 0; j < outs->u.o.n; j++) {
            const lpc_member *m = &outs->u.o.items[j];
            lpc_profile p;
            ck_assert_msg(lpc_profile_from_name(m->key, &p) == LPC_OK, "profile %s", m->key);
            lpc_buf out = {0};
            lpc_err e = lpc_dump(v, p, &out);
            const lpc_value *want_hex = lpc_get(m->val, "utf8_hex");
            if (want_hex) {
                ck_assert_msg(e == LPC_OK, "%s/%s: %s", name, m->key, lpc_strerror(e));
                char *got = malloc(out.len * 2 + 1);
                lpc_hex_encode(out.ptr, out.len, got);
                ck_assert_msg(strcmp(got, want_hex->u.s.ptr) == 0, "%s/%s:\n got %.*s", name, m->key,
                              (int)out.len, (const char *)out.ptr);
                char sha[65];
                lpc_sha256_hex(out.ptr, out.len, sha);
                ck_assert_str_eq(sha, lp_field_str(m->val, "sha256"));
                free(got);
            } else if (lpc_get(m->val, "error")) {
                const char *err = lp_field_str(m->val, "error");
                ck_assert_msg(e == LPC_ERR_NAN && strstr(err, "Out of range float"), "%s/%s: want %s, got %s",
                              name, m->key, err, lpc_strerror(e));
                ck_assert_uint_eq(out.len, 0);
            } else {
                /* UTF-8 profile over a lone surrogate: Python's .encode("utf-8") raises,
                 * surrogatepass gives the WTF-8 bytes. */
                ck_assert_msg(strstr(lp_field_str(m->val, "error_encoding_utf8"), "surrogates not allowed"),
                              "%s", name);
                ck_assert_int_eq(e, LPC_ERR_SURROGATE);
                ck_assert_int_eq(lpc_dump_ex(v, p, LPC_DUMP_SURROGATEPASS, &out), LPC_OK);
                char *got = malloc(out.len * 2 + 1);
                lpc_hex_encode(out.ptr, out.len, got);
                ck_assert_str_eq(got, lp_field_str(m->val, "utf8_surrogatepass_hex"));
                free(got);
            }
            lpc_buf_free(&out);
            checked++;
        }
        lpc_free(v);
    }
    ck_assert_uint_ge(checked, 19 * 6);
    lpc_free(doc);
}
END_TEST

START_TEST(float_repr_table)
{
    lpc_value *doc = lp_load_json_vector("leadpoet/canonical_json.json");
    const lpc_value *t = lp_field(doc, "float_repr_table");
    ck_assert_uint_gt(t->u.a.n, 10);
    for (size_t i = 0; i < t->u.a.n; i++) {
        const lpc_value *row = lpc_at(t, i);
        double x = from_float_hex(lp_field_str(row, "float_hex"));
        char buf[LPC_REPR_MAX];
        lpc_float_repr(x, buf);
        ck_assert_str_eq(buf, lp_field_str(row, "repr"));
        lpc_value *f = lpc_new_float(x);
        lpc_buf out = {0};
        ck_assert_int_eq(lpc_dump(f, LPC_PROFILE_CS_A, &out), LPC_OK);
        ck_assert_str_eq((const char *)out.ptr, lp_field_str(row, "json"));
        lpc_buf_free(&out);
        lpc_free(f);
    }
    lpc_free(doc);
}
END_TEST

/* CPython's repr of doubles around lpc_float_repr's fast path and its ends
 * (vectors/canonical/float_repr_cases.json, tests/python/gen_float_repr_cases.py). */
START_TEST(float_repr_python_cases)
{
    lpc_value *doc = lp_load_json_vector("canonical/float_repr_cases.json");
    const lpc_value *t = lp_field(doc, "cases");
    ck_assert_uint_gt(t->u.a.n, 1000);
    for (size_t i = 0; i < t->u.a.n; i++) {
        const lpc_value *row = lpc_at(t, i);
        const lpc_value *hex = lpc_at(row, 0), *want = lpc_at(row, 1);
        ck_assert(hex && hex->type == LPC_STR && want && want->type == LPC_STR);
        double x = from_float_hex(hex->u.s.ptr);
        char buf[LPC_REPR_MAX];
        lpc_float_repr(x, buf);
        ck_assert_msg(!strcmp(buf, want->u.s.ptr), "repr(%s): got %s, want %s", hex->u.s.ptr, buf, want->u.s.ptr);
    }
    lpc_free(doc);
}
END_TEST

START_TEST(python_round_table)
{
    lpc_value *doc = lp_load_json_vector("leadpoet/misc_hashes.json");
    const lpc_value *t = lp_field(doc, "python_round");
    ck_assert_uint_gt(t->u.a.n, 10);
    for (size_t i = 0; i < t->u.a.n; i++) {
        const lpc_value *row = lpc_at(t, i);
        double x = from_float_hex(lp_field_str(row, "x_hex"));
        char buf[LPC_REPR_MAX];
        lpc_float_repr(x, buf);
        ck_assert_str_eq(buf, lp_field_str(row, "x_repr"));
        lpc_float_repr(lpc_py_round(x, 4), buf);
        ck_assert_msg(!strcmp(buf, lp_field_str(row, "round4_repr")), "round(%s,4)=%s", lp_field_str(row, "x_repr"), buf);
        lpc_float_repr(lpc_py_round(x, 2), buf);
        ck_assert_msg(!strcmp(buf, lp_field_str(row, "round2_repr")), "round(%s,2)=%s", lp_field_str(row, "x_repr"), buf);
        ck_assert_int_eq((int64_t)lpc_py_round0(x), lp_field_i64(row, "round0_int"));
    }
    lpc_free(doc);
}
END_TEST

/* CPython's verdicts on malformed and edge inputs (vectors/canonical/json_parse_cases.json). */
START_TEST(python_parse_verdicts)
{
    lpc_value *doc = lp_load_json_vector("canonical/json_parse_cases.json");
    const lpc_value *cases = lp_field(doc, "cases");
    size_t accept = 0, reject = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        size_t n;
        uint8_t *bytes = lp_unhex(lp_field_str(c, "input_hex"), &n);
        lpc_value *v = NULL;
        lpc_err e = lpc_parse(bytes, n, &v, NULL);
        const lpc_value *want = lpc_get(c, "compact_sorted_ascii");
        if (want && want->type == LPC_STR) {
            ck_assert_msg(e == LPC_OK, "case %zu (%s): python accepts, we say %s", i,
                          lp_field_str(c, "input_repr"), lpc_strerror(e));
            lpc_buf out = {0};
            ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &out), LPC_OK);
            ck_assert_msg(out.len == want->u.s.len && !memcmp(out.ptr, want->u.s.ptr, out.len),
                          "case %zu (%s): got %s", i, lp_field_str(c, "input_repr"), (const char *)out.ptr);
            lpc_buf_free(&out);
            accept++;
        } else {
            ck_assert_msg(e != LPC_OK && v == NULL, "case %zu (%s): python raises %s, we accept", i,
                          lp_field_str(c, "input_repr"), lp_field_str(c, "python_error"));
            reject++;
        }
        lpc_free(v);
        free(bytes);
    }
    ck_assert_uint_gt(accept, 5);
    ck_assert_uint_gt(reject, 20);
    lpc_free(doc);
}
END_TEST

START_TEST(int_digit_cap)
{
    /* CPython 3.11: int("9"*4300) works, 4301 digits raise ValueError. */
    size_t n = LPC_INT_MAX_DIGITS + 1;
    char *s = malloc(n + 2);
    memset(s, '7', n);
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse((uint8_t *)s, n, &v, NULL), LPC_ERR_INT_DIGITS);
    ck_assert_ptr_null(v);
    s[0] = '-';
    memset(s + 1, '7', n);
    ck_assert_int_eq(lpc_parse((uint8_t *)s, n, &v, NULL), LPC_OK); /* 4300 digits after '-' */
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &out), LPC_OK);
    ck_assert_uint_eq(out.len, n);
    ck_assert_int_eq(memcmp(out.ptr, s, n), 0);
    lpc_buf_free(&out);
    lpc_free(v);
    free(s);
}
END_TEST

START_TEST(depth_and_size_limits)
{
    size_t d = LPC_JSON_MAX_DEPTH + 1;
    char *s = malloc(2 * d);
    memset(s, '[', d);
    memset(s + d, ']', d);
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse((uint8_t *)s, 2 * d, &v, NULL), LPC_ERR_DEPTH);
    ck_assert_int_eq(lpc_parse((uint8_t *)s + 1, 2 * d - 2, &v, NULL), LPC_OK);
    lpc_free(v);
    free(s);
    /* Over the input cap: rejected before any allocation. */
    ck_assert_int_eq(lpc_parse((const uint8_t *)"", LPC_JSON_MAX_INPUT + 1, &v, NULL), LPC_ERR_TOO_LARGE);
}
END_TEST

START_TEST(duplicate_keys_many)
{
    /* 2000 distinct keys each repeated: first position, last value, O(n log n). */
    lpc_buf in = {0};
    lpc_buf_append(&in, "{", 1);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 2000; k++) {
            char item[48];
            int n = snprintf(item, sizeof item, "%s\"k%d\":%d", (r || k) ? "," : "", k, r * 10000 + k);
            lpc_buf_append(&in, item, (size_t)n);
        }
    lpc_buf_append(&in, "}", 1);
    lpc_value *v = parse_text((const char *)in.ptr, in.len);
    ck_assert_uint_eq(v->u.o.n, 2000);
    ck_assert_str_eq(v->u.o.items[0].key, "k0");
    ck_assert_str_eq(v->u.o.items[1999].key, "k1999");
    int64_t x;
    ck_assert(lpc_int_i64(lpc_get(v, "k7"), &x));
    ck_assert_int_eq(x, 20007);
    lpc_free(v);
    lpc_buf_free(&in);
}
END_TEST

START_TEST(object_set_python_dict)
{
    lpc_value *o = lpc_new_object();
    ck_assert_int_eq(lpc_object_set(o, "b", 1, lpc_new_int(1)), LPC_OK);
    ck_assert_int_eq(lpc_object_set(o, "a", 1, lpc_new_int(2)), LPC_OK);
    ck_assert_int_eq(lpc_object_set(o, "b", 1, lpc_new_str("x", 1)), LPC_OK);
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_dump(o, LPC_PROFILE_DU_A, &out), LPC_OK);
    ck_assert_str_eq((char *)out.ptr, "{\"b\": \"x\", \"a\": 2}");
    lpc_buf_free(&out);
    lpc_free(o);
}
END_TEST

START_TEST(hex_and_base64_strict)
{
    uint8_t b[8];
    size_t n;
    ck_assert_int_eq(lpc_hex_decode("0aFf", 4, b, sizeof b, &n), LPC_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(b[1], 0xff);
    ck_assert_int_eq(lpc_hex_decode("0a0", 3, b, sizeof b, &n), LPC_ERR_HEX);
    ck_assert_int_eq(lpc_hex_decode("0g", 2, b, sizeof b, &n), LPC_ERR_HEX);
    ck_assert_int_eq(lpc_hex_decode("000000000000000000", 18, b, sizeof b, &n), LPC_ERR_TOO_LARGE);
    ck_assert(lpc_is_lower_hex("09af", 4));
    ck_assert(!lpc_is_lower_hex("09aF", 4));

    /* RFC 4648 §10 test vectors */
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *std[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    static const char *url[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        lpc_buf o = {0};
        ck_assert_int_eq(lpc_b64_encode((const uint8_t *)plain[i], strlen(plain[i]), LPC_B64_STD, &o), LPC_OK);
        ck_assert_int_eq(lpc_buf_append(&o, "", 0), LPC_OK);
        ck_assert_uint_eq(o.len, strlen(std[i]));
        ck_assert(o.len == 0 || !memcmp(o.ptr, std[i], o.len));
        o.len = 0;
        ck_assert_int_eq(lpc_b64_decode(std[i], strlen(std[i]), LPC_B64_STD, &o), LPC_OK);
        ck_assert_uint_eq(o.len, strlen(plain[i]));
        ck_assert(o.len == 0 || !memcmp(o.ptr, plain[i], o.len));
        o.len = 0;
        ck_assert_int_eq(lpc_b64_decode(url[i], strlen(url[i]), LPC_B64_URL_NOPAD, &o), LPC_OK);
        ck_assert_uint_eq(o.len, strlen(plain[i]));
        o.len = 0;
        ck_assert_int_eq(lpc_b64_encode((const uint8_t *)plain[i], strlen(plain[i]), LPC_B64_URL_NOPAD, &o), LPC_OK);
        ck_assert_uint_eq(o.len, strlen(url[i]));
        lpc_buf_free(&o);
    }
    static const char *bad_std[] = {"Zg=", "Zg", "Zh==", "Z===", "Zm9v\n", "Zm-v", "=Zm9", "Zg==Zg==", "Zm8=="};
    for (size_t i = 0; i < sizeof bad_std / sizeof *bad_std; i++) {
        lpc_buf o = {0};
        ck_assert_msg(lpc_b64_decode(bad_std[i], strlen(bad_std[i]), LPC_B64_STD, &o) == LPC_ERR_BASE64, "%s", bad_std[i]);
        ck_assert_uint_eq(o.len, 0);
        lpc_buf_free(&o);
    }
    static const char *bad_url[] = {"Zg==", "Z", "Zh", "Zm+v", "Zm/v", "Zm9vY"};
    for (size_t i = 0; i < sizeof bad_url / sizeof *bad_url; i++) {
        lpc_buf o = {0};
        ck_assert_msg(lpc_b64_decode(bad_url[i], strlen(bad_url[i]), LPC_B64_URL_NOPAD, &o) == LPC_ERR_BASE64, "%s", bad_url[i]);
        lpc_buf_free(&o);
    }
}
END_TEST

START_TEST(sha_known_answers)
{
    /* FIPS 180-2 "abc" examples. */
    char hex[LPC_SHA384_LEN * 2 + 1];
    uint8_t d[LPC_SHA384_LEN];
    lpc_sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    lpc_sha384("abc", 3, d);
    lpc_hex_encode(d, sizeof d, hex);
    ck_assert_str_eq(hex, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                          "8086072ba1e7cc2358baeca134c825a7");
    /* A reused context gives the same answer on every round. */
    lpc_hash_ctx *c = lpc_hash_ctx_new(LPC_SHA256);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(lpc_hash_init(c), LPC_OK);
        lpc_hash_update(c, "a", 1);
        lpc_hash_update(c, "bc", 2);
        lpc_hash_final(c, d);
        lpc_hex_encode(d, 32, hex);
        ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
    lpc_hash_ctx_free(c);
}
END_TEST

/* Python float(str) verdicts (vectors/canonical/py_float_cases.json, from CPython). */
START_TEST(py_float_from_str)
{
    lpc_value *doc = lp_load_json_vector("canonical/py_float_cases.json");
    const lpc_value *cases = lp_field(doc, "cases");
    size_t ok = 0, bad = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const lpc_value *t = lp_field(c, "text");
        const lpc_value *want = lp_field(c, "float_hex");
        double d = 0;
        lpc_err e = lpc_py_float_from_str(t->u.s.ptr, t->u.s.len, &d);
        if (want->type == LPC_STR) {
            ck_assert_msg(e == LPC_OK, "float('%s'): %s", t->u.s.ptr, lpc_strerror(e));
            ck_assert_msg(d == strtod(want->u.s.ptr, NULL) && signbit(d) == signbit(strtod(want->u.s.ptr, NULL)),
                          "float('%s')", t->u.s.ptr);
            ok++;
        } else {
            ck_assert_msg(e == LPC_ERR_SYNTAX, "float('%s') should raise", t->u.s.ptr);
            bad++;
        }
    }
    ck_assert_uint_gt(ok, 10);
    ck_assert_uint_gt(bad, 10);
    lpc_free(doc);
}
END_TEST

/* The smallest budget lpc_parse_budget accepts text with (the parser's estimate). */
static size_t min_budget(const uint8_t *t, size_t n)
{
    size_t lo = 0, hi = (size_t)1 << 32;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        lpc_value *v = NULL;
        lpc_err e = lpc_parse_budget(t, n, LPC_JSON_MAX_INPUT, mid, &v, NULL);
        lpc_free(v);
        ck_assert_msg(e == LPC_OK || e == LPC_ERR_TOO_LARGE, "budget %zu: %s", mid, lpc_strerror(e));
        if (e == LPC_OK) hi = mid; else lo = mid + 1;
    }
    return lo;
}

#if defined(__SANITIZE_ADDRESS__)
#define LP_MALLOC_MEASURABLE 0   /* ASan's allocator does not feed mallinfo2 */
#else
#define LP_MALLOC_MEASURABLE 1
#endif

/* Bytes glibc's allocator holds for the tree of text (mallinfo2: in-use bytes). */
static size_t real_tree_bytes(const uint8_t *t, size_t n)
{
    struct mallinfo2 a = mallinfo2();
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse(t, n, &v, NULL), LPC_OK);
    struct mallinfo2 b = mallinfo2();
    lpc_free(v);
    return b.uordblks > a.uordblks ? b.uordblks - a.uordblks : 0;
}

START_TEST(tree_budget)
{
    /* Hostile shape: [0,0,...] costs the most tree per input byte. */
    size_t k = 100000, n = 2 * k + 1;
    uint8_t *zeros = malloc(n);
    ck_assert_ptr_nonnull(zeros);
    zeros[0] = '[';
    for (size_t i = 0; i < k; i++) { zeros[1 + 2 * i] = '0'; zeros[2 + 2 * i] = ','; }
    zeros[n - 1] = ']';
    size_t epoch_len = 0;
    uint8_t *epoch = lp_read_vector("replay/consensus_epoch_current.json", &epoch_len);
    ck_assert_ptr_nonnull(epoch);
    const uint8_t *texts[2] = {zeros, epoch};
    const size_t lens[2] = {n, epoch_len};
    for (int i = 0; i < 2; i++) {
        size_t est = min_budget(texts[i], lens[i]);
        /* Refused one byte under the estimate with TOO_LARGE, nothing built. */
        lpc_value *v = (lpc_value *)1;
        ck_assert_int_eq(lpc_parse_budget(texts[i], lens[i], LPC_JSON_MAX_INPUT, est - 1, &v, NULL),
                         LPC_ERR_TOO_LARGE);
        ck_assert_ptr_null(v);
        /* Accepted at it, and the same tree as without a budget. */
        lpc_value *a = NULL, *b = NULL;
        ck_assert_int_eq(lpc_parse_budget(texts[i], lens[i], LPC_JSON_MAX_INPUT, est, &a, NULL), LPC_OK);
        ck_assert_int_eq(lpc_parse(texts[i], lens[i], &b, NULL), LPC_OK);
        lpc_buf x = {0}, y = {0};
        ck_assert_int_eq(lpc_dump(a, LPC_PROFILE_CS_A, &x), LPC_OK);
        ck_assert_int_eq(lpc_dump(b, LPC_PROFILE_CS_A, &y), LPC_OK);
        ck_assert(x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0);
        lpc_buf_free(&x);
        lpc_buf_free(&y);
        lpc_free(a);
        lpc_free(b);
        /* The estimate bounds what the allocator really holds, without being wild. */
        if (LP_MALLOC_MEASURABLE) {
            size_t real = real_tree_bytes(texts[i], lens[i]);
            ck_assert_msg(real > 0 && real <= est && est <= 3 * real,
                          "text %d: estimate %zu, allocator %zu", i, est, real);
        }
    }
    free(zeros);
    free(epoch);
}
END_TEST

static Suite *canonical_suite(void)
{
    Suite *s = suite_create("canonical_json");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_case_every_profile);
    tcase_add_test(tc, float_repr_table);
    tcase_add_test(tc, float_repr_python_cases);
    tcase_add_test(tc, python_round_table);
    tcase_add_test(tc, python_parse_verdicts);
    tcase_add_test(tc, int_digit_cap);
    tcase_add_test(tc, depth_and_size_limits);
    tcase_add_test(tc, tree_budget);
    tcase_add_test(tc, duplicate_keys_many);
    tcase_add_test(tc, object_set_python_dict);
    tcase_add_test(tc, hex_and_base64_strict);
    tcase_add_test(tc, sha_known_answers);
    tcase_add_test(tc, py_float_from_str);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(canonical_suite)
