/* Canonical JSON: parser model and serializer profiles against Leadpoet's
 * Python outputs (vectors/leadpoet/canonical_json.json, misc_hashes.json) and
 * CPython's verdicts on malformed input (vectors/canonical/). */
#include <locale.h>
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

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Python float.hex() text (or "inf", "-inf", "nan") to its double, exactly: at most 14
 * hex digits (53 bits) scaled by a power of two.  Not strtod, which reads the radix
 * point of hex floats from LC_NUMERIC too, and this suite also runs under de_DE. */
static double from_float_hex(const char *hex)
{
    const char *s = hex;
    int neg = *s == '-';
    s += neg;
    if (!strcmp(s, "inf")) return neg ? -INFINITY : INFINITY;
    if (!strcmp(s, "nan")) return NAN;
    ck_assert_msg(s[0] == '0' && s[1] == 'x', "bad float hex %s", hex);
    uint64_t m = 0;
    int nd = 0, frac_bits = 0, dot = 0;
    for (s += 2; *s && *s != 'p'; s++) {
        if (*s == '.' && !dot) { dot = 1; continue; }
        int h = hex_digit(*s);
        ck_assert_msg(h >= 0 && ++nd <= 14, "bad float hex %s", hex);
        m = m * 16 + (uint64_t)h;
        frac_bits += dot ? 4 : 0;
    }
    ck_assert_msg(*s == 'p' && nd > 0, "bad float hex %s", hex);
    s++;
    int eneg = *s == '-';
    s += *s == '-' || *s == '+';
    int e = 0;
    ck_assert_msg(*s, "bad float hex %s", hex);
    for (; *s; s++) {
        ck_assert_msg(*s >= '0' && *s <= '9' && e < 100000, "bad float hex %s", hex);
        e = e * 10 + (*s - '0');
    }
    double d = ldexp((double)m, (eneg ? -e : e) - frac_bits);  /* exact: m < 2^53, no bits lost */
    return neg ? -d : d;
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
    /* the word-at-a-time scan: every byte value at every position of a 64-digit hash and
     * of a 13-digit text (a word and a tail), against the digit set itself */
    for (size_t len = 13; len <= 64; len += 51)
        for (size_t pos = 0; pos < len; pos++)
            for (int c = 0; c < 256; c++) {
                char h[64];
                memset(h, 'a' + (int)(pos % 6), sizeof h);
                h[pos] = (char)c;
                int want = c != 0 && strchr("0123456789abcdef", c) != NULL;
                ck_assert_int_eq(lpc_is_lower_hex(h, len), want);
            }

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
            double w = from_float_hex(want->u.s.ptr);
            ck_assert_msg(d == w && signbit(d) == signbit(w), "float('%s')", t->u.s.ptr);
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

/* Bytes glibc's allocator holds for the tree of text parsed under budget (mallinfo2:
 * in-use bytes of the heap and of mmap'd chunks, headers included). */
static size_t real_tree_bytes(const uint8_t *t, size_t n, size_t budget)
{
    struct mallinfo2 a = mallinfo2();
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse_budget(t, n, LPC_JSON_MAX_INPUT, budget, &v, NULL), LPC_OK);
    struct mallinfo2 b = mallinfo2();
    lpc_free(v);
    size_t x = a.uordblks + a.hblkhd, y = b.uordblks + b.hblkhd;
    return y > x ? y - x : 0;
}

/* The buffer's text, NUL-terminated (the NUL is not counted in len). */
static const char *lp_buf_cstr(lpc_buf *b)
{
    ck_assert_int_eq(lpc_buf_append(b, "", 1), LPC_OK);
    b->len--;
    return (const char *)b->ptr;
}

/* A parsed tree is one document (lpc_value.h): read-only, its inner nodes owned by the
 * root, and lpc_clone gives a mutable copy.  Expected texts are Python's
 * json.dumps(json.loads(t), sort_keys=True, separators=(",", ":")). */
START_TEST(parsed_tree_is_a_document)
{
    static const char t[] = "{\"b\":[1,-0,10,\"x\\u00e9\"],\"a\":{\"k\":null},\"b\":[2]}";
    lpc_value *doc = NULL, *c = NULL;
    ck_assert_int_eq(lpc_parse((const uint8_t *)t, sizeof t - 1, &doc, NULL), LPC_OK);
    ck_assert(doc->flags & LPC_VALUE_DOC_ROOT);
    lpc_value *arr = (lpc_value *)lpc_get(doc, "b"), *a = (lpc_value *)lpc_get(doc, "a");
    ck_assert_ptr_nonnull(arr);
    ck_assert_ptr_nonnull(a);
    /* refused, and the item or value given is released (ASan sees no leak) */
    ck_assert_int_eq(lpc_array_append(arr, lpc_new_int(3)), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_object_set(doc, "c", 1, lpc_new_null()), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_object_set(a, "k", 1, lpc_new_int(1)), LPC_ERR_ARG);
    /* releasing an inner node does nothing; the document stays whole */
    lpc_free(a);
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_dump(doc, LPC_PROFILE_CS_A, &out), LPC_OK);
    ck_assert_str_eq(lp_buf_cstr(&out), "{\"a\":{\"k\":null},\"b\":[2]}");
    /* the copy is mutable and independent */
    ck_assert_int_eq(lpc_clone(doc, &c), LPC_OK);
    ck_assert(!(c->flags & LPC_VALUE_IN_DOC));
    ck_assert_int_eq(lpc_object_set(c, "c", 1, lpc_new_int(7)), LPC_OK);
    ck_assert_int_eq(lpc_array_append((lpc_value *)lpc_get(c, "b"), lpc_new_str("y", 1)), LPC_OK);
    lpc_free(doc);
    out.len = 0;
    ck_assert_int_eq(lpc_dump(c, LPC_PROFILE_CS_A, &out), LPC_OK);
    ck_assert_str_eq(lp_buf_cstr(&out), "{\"a\":{\"k\":null},\"b\":[2,\"y\"],\"c\":7}");
    lpc_free(c);
    /* ints: "-0" is 0, digit texts are NUL-terminated, one digit or many */
    static const char u[] = "[1,-0,10,-12,\"x\\u00e9\"]";
    ck_assert_int_eq(lpc_parse((const uint8_t *)u, sizeof u - 1, &doc, NULL), LPC_OK);
    const char *want[] = {"1", "0", "10", "-12"};
    for (size_t i = 0; i < 4; i++) {
        const lpc_value *v = lpc_at(doc, i);
        ck_assert_int_eq(v->type, LPC_INT);
        ck_assert_uint_eq(v->u.i.len, strlen(want[i]));
        ck_assert_str_eq(v->u.i.digits, want[i]);
    }
    const lpc_value *sv = lpc_at(doc, 4);
    ck_assert_uint_eq(sv->u.s.len, 3);
    ck_assert_str_eq(sv->u.s.ptr, "x\xc3\xa9");
    out.len = 0;
    ck_assert_int_eq(lpc_dump(doc, LPC_PROFILE_CS_A, &out), LPC_OK);
    ck_assert_str_eq(lp_buf_cstr(&out), "[1,0,10,-12,\"x\\u00e9\"]");
    lpc_free(doc);
    lpc_buf_free(&out);
}
END_TEST

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
        /* The budget the tree needs bounds what the allocator holds for it once built
         * (up to the allocator's chunk headers; the budget also covered the parser's
         * stacks, freed by then), without being wild. */
        if (LP_MALLOC_MEASURABLE) {
            size_t real = real_tree_bytes(texts[i], lens[i], est);
            ck_assert_msg(real > 0 && real <= est + 4096 && est <= 3 * real,
                          "text %d: estimate %zu, allocator %zu", i, est, real);
        }
    }
    free(zeros);
    free(epoch);
}
END_TEST

/* ------------------------------------------------ lpc_csa_from_text */

static const char csa_prefix[] = "kept:";

/* Runs the fast path over text into a buffer holding csa_prefix; on OK returns the
 * bytes written after it (malloc'd, *n long), else NULL after checking that the buffer
 * and span are as before the call. */
static uint8_t *csa_run_ex(lpc_csa_scratch *s, unsigned flags, const uint8_t *text, size_t len, const char *key,
                           size_t span[2], size_t *n, lpc_err *err)
{
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_buf_append(&out, csa_prefix, sizeof csa_prefix - 1), LPC_OK);
    size_t p = out.len;
    if (span) span[0] = span[1] = 99;
    lpc_err e = flags ? lpc_csa_from_text_ex(text, len, flags, s, key, span, &out)
                      : lpc_csa_from_text(text, len, s, key, span, &out);
    if (err) *err = e;
    uint8_t *r = NULL;
    ck_assert(out.len >= p && memcmp(out.ptr, csa_prefix, p) == 0);
    if (e == LPC_OK) {
        *n = out.len - p;
        r = malloc(*n + 1);
        ck_assert_ptr_nonnull(r);
        memcpy(r, out.ptr + p, *n);
        if (span && (span[0] || span[1])) {  /* span is relative to out, which holds the prefix */
            ck_assert(span[0] >= p && span[0] <= span[1] && span[1] <= out.len);
            span[0] -= p;
            span[1] -= p;
        }
    } else {
        ck_assert_msg(out.len == p && out.ptr[p] == 0, "declined (%s) but out changed", lpc_strerror(e));
        if (span) ck_assert(span[0] == 0 && span[1] == 0);
    }
    lpc_buf_free(&out);
    return r;
}

static uint8_t *csa_run(lpc_csa_scratch *s, const uint8_t *text, size_t len, const char *key, size_t span[2],
                        size_t *n, lpc_err *err)
{
    return csa_run_ex(s, 0, text, len, key, span, n, err);
}

/* The reference: lpc_dump(lpc_parse(text), CS-A); NULL when lpc_parse refuses. */
static uint8_t *csa_ref(const uint8_t *text, size_t len, size_t *n)
{
    lpc_value *v = NULL;
    if (lpc_parse(text, len, &v, NULL) != LPC_OK) return NULL;
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &out), LPC_OK);
    lpc_free(v);
    *n = out.len;
    return out.ptr;
}

/* Fast path on text: when OK it must equal the reference; returns 1 when accepted. */
static int csa_check_text_ex(lpc_csa_scratch *s, unsigned flags, const uint8_t *text, size_t len, const char *what)
{
    size_t fn = 0, rn = 0;
    lpc_err e;
    uint8_t *fast = csa_run_ex(s, flags, text, len, NULL, NULL, &fn, &e);
    uint8_t *ref = csa_ref(text, len, &rn);
    if (fast) {
        ck_assert_msg(ref != NULL, "%s: fast path accepts what lpc_parse refuses", what);
        ck_assert_msg(fn == rn && memcmp(fast, ref, fn) == 0, "%s:\n fast %.*s\n ref  %.*s", what, (int)fn,
                      (const char *)fast, (int)rn, (const char *)ref);
    } else {
        ck_assert_msg(e == LPC_ERR_UNSUPPORTED, "%s: %s", what, lpc_strerror(e));
    }
    free(fast);
    free(ref);
    return fast != NULL;
}

static int csa_check_text(lpc_csa_scratch *s, const uint8_t *text, size_t len, const char *what)
{
    return csa_check_text_ex(s, 0, text, len, what);
}

/* Every JSON text of the vectors the tests above use: Leadpoet's canonical_json cases
 * (fast output equal to Python's compact_sorted_ascii bytes too), CPython's parse
 * verdicts (a text CPython refuses is declined), and the vector files themselves. */
START_TEST(csa_vector_texts)
{
    lpc_csa_scratch s = {0};
    size_t acc = 0, dec = 0;
    lpc_value *doc = lp_load_json_vector("leadpoet/canonical_json.json");
    const lpc_value *cases = lp_field(doc, "cases");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const lpc_value *in = lp_field(c, "input_json");
        const uint8_t *t = (const uint8_t *)in->u.s.ptr;
        int ok = csa_check_text(&s, t, in->u.s.len, lp_field_str(c, "name"));
        if (ok) {
            size_t fn, wn;
            uint8_t *fast = csa_run(&s, t, in->u.s.len, NULL, NULL, &fn, NULL);
            uint8_t *want = lp_unhex(lp_field_str(lp_field(lp_field(c, "outputs"), "compact_sorted_ascii"), "utf8_hex"),
                                     &wn);
            ck_assert_msg(fn == wn && memcmp(fast, want, fn) == 0, "%s", lp_field_str(c, "name"));
            free(fast);
            free(want);
        }
        ok ? acc++ : dec++;
    }
    ck_assert_uint_ge(acc, 3);
    ck_assert_uint_ge(dec, 3);
    lpc_free(doc);

    doc = lp_load_json_vector("canonical/json_parse_cases.json");
    cases = lp_field(doc, "cases");
    size_t pacc = 0, prej = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        size_t n;
        uint8_t *bytes = lp_unhex(lp_field_str(c, "input_hex"), &n);
        const lpc_value *want = lpc_get(c, "compact_sorted_ascii");
        size_t fn = 0;
        lpc_err e;
        uint8_t *fast = csa_run(&s, bytes, n, NULL, NULL, &fn, &e);
        if (want && want->type == LPC_STR) {
            if (fast) {
                ck_assert_msg(fn == want->u.s.len && memcmp(fast, want->u.s.ptr, fn) == 0, "case %zu (%s)", i,
                              lp_field_str(c, "input_repr"));
                pacc++;
            }
        } else {
            ck_assert_msg(!fast && e == LPC_ERR_UNSUPPORTED, "case %zu (%s): CPython raises, fast path %s", i,
                          lp_field_str(c, "input_repr"), lpc_strerror(e));
            prej++;
        }
        csa_check_text(&s, bytes, n, lp_field_str(c, "input_repr"));
        free(fast);
        free(bytes);
    }
    ck_assert_uint_ge(pacc, 3);
    ck_assert_uint_gt(prej, 20);
    lpc_free(doc);

    static const char *files[] = {"leadpoet/canonical_json.json", "canonical/json_parse_cases.json",
                                  "canonical/float_repr_cases.json", "canonical/py_float_cases.json",
                                  "leadpoet/misc_hashes.json", "leadpoet/checkpoint_v1.json",
                                  "leadpoet/checkpoint_current.json", "leadpoet/checkpoint_v1.arweave_payload.json",
                                  "leadpoet/checkpoint_current.arweave_payload.json",
                                  "replay/consensus_epoch_current.json"};
    size_t facc = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        size_t n;
        uint8_t *t = lp_read_vector(files[i], &n);
        facc += (size_t)csa_check_text(&s, t, n, files[i]);
        free(t);
    }
    ck_assert_uint_ge(facc, 1);
    lpc_csa_scratch_free(&s);
}
END_TEST

/* The checkpoint event records (vectors/leadpoet/checkpoint_v1.json, checkpoint_current.json)
 * serialised by lpc_dump in DU-A, CS-A and indent-2 are plain: accepted, equal to lpc_dump
 * CS-A, hashing (SHA-256) to Leadpoet's Merkle leaf_hashes, "sequence" spanning the int. */
START_TEST(csa_checkpoint_records)
{
    static const char *files[] = {"leadpoet/checkpoint_v1.json", "leadpoet/checkpoint_current.json"};
    static const lpc_profile profs[] = {LPC_PROFILE_DU_A, LPC_PROFILE_CS_A, LPC_PROFILE_INDENT2, LPC_PROFILE_DS_A};
    lpc_csa_scratch s = {0};
    size_t records = 0;
    for (size_t f = 0; f < 2; f++) {
        lpc_value *doc = lp_load_json_vector(files[f]);
        const lpc_value *cps[2] = {doc, lp_field(doc, "second_checkpoint")};
        for (int k = 0; k < 2; k++) {
            const lpc_value *events = lp_field(lp_field(cps[k], "checkpoint_rpc_result"), "events");
            const lpc_value *leaves = lp_field(lp_field(cps[k], "verification_walk"), "leaf_hashes");
            ck_assert_uint_eq(events->u.a.n, leaves->u.a.n);
            ck_assert_uint_ge(events->u.a.n, 3);
            for (size_t i = 0; i < events->u.a.n; i++) {
                const lpc_value *ev = lpc_at(events, i);
                const lpc_value *seq = lp_field(ev, "sequence");
                ck_assert_int_eq(seq->type, LPC_INT);
                for (size_t p = 0; p < sizeof profs / sizeof *profs; p++) {
                    lpc_buf text = {0};
                    ck_assert_int_eq(lpc_dump(ev, profs[p], &text), LPC_OK);
                    size_t fn = 0, span[2];
                    lpc_err e;
                    uint8_t *fast = csa_run(&s, text.ptr, text.len, "sequence", span, &fn, &e);
                    ck_assert_msg(fast != NULL, "%s event %zu profile %d declined: %s", files[f], i, (int)p,
                                  lpc_strerror(e));
                    csa_check_text(&s, text.ptr, text.len, files[f]);
                    char hex[65];
                    ck_assert_int_eq(lpc_sha256_hex(fast, fn, hex), LPC_OK);
                    ck_assert_str_eq(hex, lpc_at(leaves, i)->u.s.ptr);
                    ck_assert_uint_eq(span[1] - span[0], seq->u.i.len);
                    ck_assert(memcmp(fast + span[0], seq->u.i.digits, seq->u.i.len) == 0);
                    ck_assert(memcmp(fast + span[0] - 11, "\"sequence\":", 11) == 0);
                    free(fast);
                    lpc_buf_free(&text);
                    records++;
                }
            }
        }
        /* The events list as Leadpoet stored it (events_json_uncompressed) */
        const lpc_value *ej = lp_field(doc, "events_json_uncompressed");
        csa_check_text(&s, (const uint8_t *)ej->u.s.ptr, ej->u.s.len, "events_json_uncompressed");
        lpc_free(doc);
    }
    ck_assert_uint_eq(records, 4 * (5 + 3) * 2);
    lpc_csa_scratch_free(&s);
}
END_TEST

/* Texts outside the plain form (or refused by CPython) are declined with out and span as
 * they were, whatever CPython makes of them. */
/* Texts the plain path declines: strings and keys not in ensure_ascii form, repeated
 * keys, non-finite numbers, and texts json.loads refuses.  Those at csa_decodable are
 * value strings json.loads accepts (LPC_CSA_DECODE takes them). */
static const char *const csa_decline_texts[] = {
    "\"\\u00E9\"", "\"\\u00eA\"", "\"\\u0041\"", "\"\\u0020\"", "\"\\u007e\"", "\"\\u007F\"", "\"\\u001F\"",
    "\"\\u000a\"", "\"\\u0008\"", "\"\\u0009\"", "\"\\u000c\"", "\"\\u000d\"", "\"\\/\"", "\"\\x\"", "\"\\u12\"",
    "\"\\u12", "\"\\U0041\"", "\"\\", "\"caf\xc3\xa9\"", "\"\xf0\x9f\x98\x80\"", "\"\x7f\"", "\"\x01\"",
    "\"a\tb\"", "\"a\nb\"", "\"\xff\"", "{\"a\":1,\"a\":1}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"b\":1,\"a\":2,\"b\":3}",
    "{\"c\":1,\"b\":2,\"a\":3,\"b\":4}", "{\"z\":{\"y\":1,\"x\":2,\"y\":3}}", "[{\"k\":1,\"k\":2}]", "{\"\\u0061\":1}",
    "{\"a\\n\":1}", "{\"\\\"\":1}", "{\"\xc3\xa9\":1}", "{\"\x7f\":1}", "NaN", "Infinity", "-Infinity", "[NaN]",
    "{\"a\":-Infinity}", "1e400", "-1e400", "[1E400]", "1e99999999999999999999", "[1,]", "{\"a\":1,}", "[,1]",
    "[1 2]", "{\"a\" 1}", "{\"a\"}", "{1:2}", "{'a':1}", "[1", "{\"a\":1", "\"abc", "", "   ", "\xef\xbb\xbf{}",
    "\xef\xbb\xbf[1]", "[1]x", "[1] 2", "{}{}", "tru", "nul", "truex", "True", "01", "-01", "1.", ".5", "+1", "-",
    "1e", "1e+", "0x10", "1_0", "- 1", "\xc2\xa0[1]", "[1]\xc2\xa0", "[\x0c" "1]", "\v1", "{\"a\":1}}",
    "[]]", "{\"a\":[1,2}", "[{\"a\":1]}", "nulll", "[-]", "[1.e5]", "[1.5e]",
};
static const size_t csa_decodable[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 18, 19, 20};

START_TEST(csa_declines)
{
    const char *const *texts = csa_decline_texts;
    lpc_csa_scratch s = {0};
    for (size_t i = 0; i < sizeof csa_decline_texts / sizeof *csa_decline_texts; i++) {
        size_t n, span[2];
        lpc_err e;
        uint8_t *fast = csa_run(&s, (const uint8_t *)texts[i], strlen(texts[i]), "a", span, &n, &e);
        ck_assert_msg(fast == NULL && e == LPC_ERR_UNSUPPORTED, "text %zu <%s> accepted", i, texts[i]);
    }
    /* NUL inside a string, and at the end of a value */
    static const uint8_t nul1[] = {'"', 'a', 0, '"'}, nul2[] = {'1', 0};
    size_t n;
    ck_assert_ptr_null(csa_run(&s, nul1, sizeof nul1, NULL, NULL, &n, NULL));
    ck_assert_ptr_null(csa_run(&s, nul2, sizeof nul2, NULL, NULL, &n, NULL));
    lpc_csa_scratch_free(&s);
}
END_TEST

/* lpc_parse_take on a copy of text: the same verdict, error offset and tree as lpc_parse
 * (lpc_identical), and lpc_parse_each as each_check says; the taken buffer is released with the document or on error (the
 * leak checker of the sanitizer pass sees the rest). */
static lpc_each_mode by_length(void *ctx, const char *key, size_t klen, lpc_type type)
{
    (void)ctx, (void)key, (void)type;
    return (lpc_each_mode)(klen % 3);
}

static int count_item(void *ctx, size_t index, const lpc_value *v)
{
    (void)index, (void)v;
    ++*(size_t *)ctx;
    return 0;
}

/* lpc_parse_each on a copy of text, modes by key length: ref's verdict and offset (re,
 * roff); the same members, each identical or elided with its type. */
static void each_check(const uint8_t *text, size_t len, lpc_err re, size_t roff, const lpc_value *ref, const char *what)
{
    uint8_t *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    if (len) memcpy(copy, text, len);
    size_t items = 0, off = 0;
    lpc_each each = {by_length, count_item, &items, LPC_EACH_TREE};
    lpc_value *got = NULL;
    lpc_err e = lpc_parse_each(copy, len, LPC_JSON_MAX_INPUT, SIZE_MAX, &each, &got, &off);
    ck_assert_msg(e == re, "%s: parse %s, each %s", what, lpc_strerror(re), lpc_strerror(e));
    if (re != LPC_OK) {
        ck_assert_msg(off == roff && !got, "%s: error at %zu, each at %zu", what, roff, off);
        return;
    }
    if (ref->type != LPC_OBJECT) {
        ck_assert_msg(lpc_identical(ref, got), "%s: trees differ", what);
    } else {
        ck_assert_uint_eq(ref->u.o.n, got->u.o.n);
        for (size_t i = 0; i < ref->u.o.n; i++) {
            const lpc_member *a = &ref->u.o.items[i], *b = &got->u.o.items[i];
            ck_assert(a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0);
            if (b->val->flags & LPC_VALUE_ELIDED)
                ck_assert(b->val->type == a->val->type && (a->klen % 3 == LPC_EACH_DROP || a->val->type == LPC_ARRAY));
            else
                ck_assert_msg(lpc_identical(a->val, b->val), "%s: member %zu differs", what, i);
        }
    }
    lpc_free(got);
}

static void take_check(const uint8_t *text, size_t len, const char *what)
{
    lpc_value *ref = NULL, *got = NULL;
    size_t roff = 7, goff = 9;
    lpc_err re = lpc_parse_budget(text, len, LPC_JSON_MAX_INPUT, SIZE_MAX, &ref, &roff);
    uint8_t *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    if (len) memcpy(copy, text, len);
    lpc_err ge = lpc_parse_take(copy, len, LPC_JSON_MAX_INPUT, SIZE_MAX, &got, &goff);
    ck_assert_msg(re == ge, "%s: parse %s, take %s", what, lpc_strerror(re), lpc_strerror(ge));
    if (re == LPC_OK) ck_assert_msg(lpc_identical(ref, got), "%s: trees differ", what);
    else ck_assert_msg(roff == goff && !got, "%s: error at %zu, take at %zu", what, roff, goff);
    each_check(text, len, re, roff, ref, what);
    lpc_free(ref);
    lpc_free(got);
}

START_TEST(parse_take_equals_parse)
{
    size_t n = 0;
    lpc_value *doc = lp_load_json_vector("leadpoet/canonical_json.json");
    const lpc_value *cases = lp_field(doc, "cases");
    for (size_t i = 0; i < cases->u.a.n; i++, n++) {
        const lpc_value *in = lp_field(lpc_at(cases, i), "input_json");
        take_check((const uint8_t *)in->u.s.ptr, in->u.s.len, lp_field_str(lpc_at(cases, i), "name"));
    }
    lpc_free(doc);
    doc = lp_load_json_vector("canonical/json_parse_cases.json");
    cases = lp_field(doc, "cases");
    for (size_t i = 0; i < cases->u.a.n; i++, n++) {
        size_t bl;
        uint8_t *bytes = lp_unhex(lp_field_str(lpc_at(cases, i), "input_hex"), &bl);
        take_check(bytes, bl, lp_field_str(lpc_at(cases, i), "input_repr"));
        free(bytes);
    }
    lpc_free(doc);
    for (size_t i = 0; i < sizeof csa_decline_texts / sizeof *csa_decline_texts; i++, n++)
        take_check((const uint8_t *)csa_decline_texts[i], strlen(csa_decline_texts[i]), csa_decline_texts[i]);
    static const char *files[] = {"leadpoet/canonical_json.json", "canonical/json_parse_cases.json",
                                  "leadpoet/checkpoint_current.json", "replay/consensus_epoch_current.json",
                                  "leadpoet/checkpoint_current.arweave_payload.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++, n++) {
        size_t fl;
        uint8_t *t = lp_read_vector(files[i], &fl);
        take_check(t, fl, files[i]);
        free(t);
    }
    /* in place: escapes that shrink (\\u pairs, \\n) before plain runs, keys among them,
     * repeated keys, a BOM, an empty input */
    static const char *texts[] = {"{\"\\u00e9k\":\"a\\ud83d\\ude00b\\nc\\/d\",\"k\":[\"\\\"\",\"x\"],\"\\u00e9k\":1}",
                                  "\xef\xbb\xbf[\"\\u0041\\u0042\", \"caf\xc3\xa9\\t\"]", "", "\"\\ud800\\u0041\""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++, n++)
        take_check((const uint8_t *)texts[i], strlen(texts[i]), texts[i]);
    ck_assert_uint_ge(n, 180);
    /* NULL with a length is refused */
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse_take(NULL, 3, LPC_JSON_MAX_INPUT, SIZE_MAX, &v, NULL), LPC_ERR_ARG);
}
END_TEST

/* lpc_parse_each: a log of the calls, "b:KEY" per begin() and "i:INDEX=DU-A" per item(),
 * with the mode of each key chosen by its first letter (k keep, d drop, else tree). */
typedef struct {
    char log[1024];
    size_t n;
    int stop_at;   /* item() returns 1 at this index (-1: never; -2: never, items not logged) */
} each_log;

static void each_say(each_log *l, const char *s, size_t n)
{
    ck_assert_uint_lt(l->n + n, sizeof l->log);
    memcpy(l->log + l->n, s, n);
    l->n += n;
    l->log[l->n] = 0;
}

static lpc_each_mode log_begin(void *ctx, const char *key, size_t klen, lpc_type type)
{
    each_log *l = ctx;
    each_say(l, type == LPC_ARRAY ? "b[:" : "b{:", 3);
    each_say(l, key, klen);
    each_say(l, " ", 1);
    return klen && key[0] == 'k' ? LPC_EACH_KEEP : klen && key[0] == 'd' ? LPC_EACH_DROP : LPC_EACH_TREE;
}

static int log_item(void *ctx, size_t index, const lpc_value *v)
{
    each_log *l = ctx;
    if (l->stop_at == -2) return 0;
    char head[32];
    int hn = snprintf(head, sizeof head, "i%zu=", index);
    each_say(l, head, (size_t)hn);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &b), LPC_OK);
    each_say(l, (const char *)b.ptr, b.len);
    each_say(l, " ", 1);
    lpc_buf_free(&b);
    return l->stop_at >= 0 && index == (size_t)l->stop_at;
}

/* Parses text with lpc_parse_each: its verdict, error offset, call log and (when OK) the
 * CS-A text of the tree. */
static lpc_err each_run_root(const char *text, size_t max_tree, int stop_at, lpc_each_mode root, each_log *l,
                             size_t *off, lpc_buf *tree, int *elided)
{
    memset(l, 0, sizeof *l);
    l->stop_at = stop_at;
    size_t n = strlen(text);
    uint8_t *copy = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, n);
    lpc_each each = {log_begin, log_item, l, root};
    lpc_value *v = NULL;
    *off = 0;
    lpc_err e = lpc_parse_each(copy, n, LPC_JSON_MAX_INPUT, max_tree, &each, &v, off);
    if (e == LPC_OK) ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, tree), LPC_OK);
    else ck_assert_ptr_null(v);
    if (elided) *elided = v && (v->flags & LPC_VALUE_ELIDED);
    lpc_free(v);
    return e;
}

static lpc_err each_run(const char *text, size_t max_tree, int stop_at, each_log *l, size_t *off, lpc_buf *tree)
{
    return each_run_root(text, max_tree, stop_at, LPC_EACH_TREE, l, off, tree, NULL);
}

START_TEST(parse_each_keeps_what_it_is_told)
{
    each_log l;
    size_t off;
    /* expected logs and trees written by hand from the rules in lpc_parse.h */
    static const struct { const char *text; int stop; const char *log, *tree; } ok[] = {
        {"{\"d\":[1,{\"a\":[2]},\"x\"],\"t\":[3],\"k\":[[4],5]}", -1,
         "b[:d i0=1 i1={\"a\":[2]} i2=\"x\" b[:t b[:k i0=[4] i1=5 ", "{\"d\":[],\"k\":[],\"t\":[3]}"},
        /* a repeated key begins again; the tree keeps the last value */
        {"{\"d\":[1],\"d\":[2,3],\"d\":7}", -1, "b[:d i0=1 b[:d i0=2 i1=3 ", "{\"d\":7}"},
        {"{\"dd\":{\"a\":[1]},\"kk\":{\"b\":2}}", -1, "b{:dd b{:kk ", "{\"dd\":{},\"kk\":{\"b\":2}}"},
        /* nested containers are not members of the root: no calls */
        {"{\"t\":{\"d\":[1]}}", -1, "b{:t ", "{\"t\":{\"d\":[1]}}"},
        {"[{\"d\":[1]}]", -1, "", "[{\"d\":[1]}]"},
        /* item() returning nonzero: the rest is still seen */
        {"{\"k\":[10,11,12,13]}", 1, "b[:k i0=10 i1=11 i2=12 i3=13 ", "{\"k\":[]}"},
        {"{\"k\":[],\"d\":[ ]}", -1, "b[:k b[:d ", "{\"d\":[],\"k\":[]}"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        lpc_buf t = {0};
        ck_assert_int_eq(each_run(ok[i].text, SIZE_MAX, ok[i].stop, &l, &off, &t), LPC_OK);
        ck_assert_str_eq(l.log, ok[i].log);
        ck_assert_uint_eq(t.len, strlen(ok[i].tree));
        ck_assert(memcmp(t.ptr, ok[i].tree, t.len) == 0);
        lpc_buf_free(&t);
    }
    /* errors inside a kept or dropped member: lpc_parse's code and offset */
    static const char *bad[] = {"{\"d\":[1,2,]}", "{\"k\":[1,[2}", "{\"d\":{\"a\":1,}}", "{\"d\":[\"\\x\"]}",
                                "{\"k\":[1] \"d\":[]}", "{\"d\":[1", "{\"d\":[1]", "{\"d\":[01]}", "{\"k\":[\"\xff\"]}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lpc_value *ref = NULL;
        size_t roff = 0;
        lpc_err re = lpc_parse((const uint8_t *)bad[i], strlen(bad[i]), &ref, &roff);
        ck_assert_int_ne(re, LPC_OK);
        lpc_buf t = {0};
        ck_assert_int_eq(each_run(bad[i], SIZE_MAX, -1, &l, &off, &t), re);
        ck_assert_msg(off == roff, "%s: offset %zu, parse %zu", bad[i], off, roff);
    }
    /* depth counts as in the tree: 510 more levels inside a dropped member are refused */
    char deep[1200];
    size_t dn = (size_t)snprintf(deep, sizeof deep, "{\"d\":[");
    for (int k = 0; k < 511; k++) deep[dn++] = '[';
    deep[dn] = 0;
    ck_assert_int_eq(each_run(deep, SIZE_MAX, -1, &l, &off, &(lpc_buf){0}), LPC_ERR_DEPTH);
    /* the scratch document is charged to the same budget: a dropped element of 20,000
     * ints needs far more than 64 KiB and is refused; without a budget it is dropped */
    char *big = malloc(70000);
    ck_assert_ptr_nonnull(big);
    size_t bn = (size_t)snprintf(big, 70000, "{\"d\":[[");
    for (int k = 0; k < 20000; k++) bn += (size_t)snprintf(big + bn, 70000 - bn, "%s10", k ? "," : "");
    snprintf(big + bn, 70000 - bn, "]]}");
    ck_assert_int_eq(each_run(big, 64 << 10, -2, &l, &off, &(lpc_buf){0}), LPC_ERR_TOO_LARGE);
    lpc_buf t = {0};
    ck_assert_int_eq(each_run(big, SIZE_MAX, -2, &l, &off, &t), LPC_OK);
    ck_assert_uint_eq(t.len, strlen("{\"d\":[]}"));
    lpc_buf_free(&t);
    free(big);
    /* a dropped object is parsed a member at a time, and an array dropped without item()
     * an element at a time: 20,000 members or elements fit a 64 KiB budget that one
     * member of 20,000 ints does not; a kept member of the same size does not either */
    static const struct { const char *head, *unit, *tail; int item; lpc_err want; } drops[] = {
        {"{\"d\":{", "\"m%d\":10", "}}", 1, LPC_OK},
        {"{\"d\":[", "%.0d10", "]}", 0, LPC_OK},
        {"{\"d\":{\"x\":[", "%.0d10", "]}}", 1, LPC_ERR_TOO_LARGE},
        {"{\"t\":{", "\"m%d\":10", "}}", 1, LPC_ERR_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof drops / sizeof *drops; i++) {
        size_t cap = 300000;
        char *d = malloc(cap);
        ck_assert_ptr_nonnull(d);
        size_t dn2 = (size_t)snprintf(d, cap, "%s", drops[i].head);
        for (int k = 0; k < 20000; k++) {
            if (k) d[dn2++] = ',';
            dn2 += (size_t)snprintf(d + dn2, cap - dn2, drops[i].unit, k);
        }
        snprintf(d + dn2, cap - dn2, "%s", drops[i].tail);
        size_t n = strlen(d);
        memset(&l, 0, sizeof l);
        l.stop_at = -2;
        lpc_each each = {log_begin, drops[i].item ? log_item : NULL, &l, LPC_EACH_TREE};
        lpc_value *v = NULL;
        lpc_err de = lpc_parse_each((uint8_t *)d, n, LPC_JSON_MAX_INPUT, 64 << 10, &each, &v, &off);
        ck_assert_msg(de == drops[i].want, "drop case %zu: %d at %zu", i, de, off);
        if (drops[i].want == LPC_OK) {
            const lpc_value *m = lpc_get(v, "d");
            ck_assert(m && (m->flags & LPC_VALUE_ELIDED) && (m->type == LPC_OBJECT ? m->u.o.n : m->u.a.n) == 0);
        }
        lpc_free(v);   /* d belongs to the document, or was freed with the error */
    }
    /* NULL with a length is refused */
    lpc_value *v = NULL;
    lpc_each each = {log_begin, log_item, &l, LPC_EACH_TREE};
    ck_assert_int_eq(lpc_parse_each(NULL, 3, LPC_JSON_MAX_INPUT, SIZE_MAX, &each, &v, NULL), LPC_ERR_ARG);
}
END_TEST

/* A root array under each.root: KEEP and DROP give item() every element, the root is an
 * empty elided array; TREE (the default) keeps it; a root object ignores the member. */
START_TEST(parse_each_root_array)
{
    each_log l;
    size_t off;
    int el;
    /* expected logs and trees written by hand from the rules in lpc_parse.h */
    static const struct { const char *text; lpc_each_mode root; int stop; const char *log, *tree; int elided; } ok[] = {
        {"[1,{\"d\":[2]},\"x\"]", LPC_EACH_DROP, -1, "i0=1 i1={\"d\":[2]} i2=\"x\" ", "[]", 1},
        {" [[1],[2 ,3]] ", LPC_EACH_KEEP, -1, "i0=[1] i1=[2,3] ", "[]", 1},
        {"[10,11,12]", LPC_EACH_KEEP, 0, "i0=10 i1=11 i2=12 ", "[]", 1},
        {"[1,{\"d\":[2]}]", LPC_EACH_TREE, -1, "", "[1,{\"d\":[2]}]", 0},
        {"[]", LPC_EACH_DROP, -1, "", "[]", 1},
        {"[ ]", LPC_EACH_KEEP, -1, "", "[]", 1},
        {"{\"d\":[1],\"t\":[2]}", LPC_EACH_DROP, -1, "b[:d i0=1 b[:t ", "{\"d\":[],\"t\":[2]}", 0},
        {"\"a\"", LPC_EACH_DROP, -1, "", "\"a\"", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        lpc_buf t = {0};
        ck_assert_int_eq(each_run_root(ok[i].text, SIZE_MAX, ok[i].stop, ok[i].root, &l, &off, &t, &el), LPC_OK);
        ck_assert_str_eq(l.log, ok[i].log);
        ck_assert_uint_eq(t.len, strlen(ok[i].tree));
        ck_assert(memcmp(t.ptr, ok[i].tree, t.len) == 0);
        ck_assert_int_eq(el, ok[i].elided);
        lpc_buf_free(&t);
    }
    /* errors in or after a streamed root: lpc_parse's code and offset */
    static const char *bad[] = {"[1,2,]", "[1", "[", "[1]x", "[1] [2]", "[01]", "[\"\xff\"]", "[{\"a\":}]", "[1 2]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lpc_value *ref = NULL;
        size_t roff = 0;
        lpc_err re = lpc_parse((const uint8_t *)bad[i], strlen(bad[i]), &ref, &roff);
        ck_assert_int_ne(re, LPC_OK);
        for (int m = LPC_EACH_KEEP; m <= LPC_EACH_DROP; m++) {
            ck_assert_int_eq(each_run_root(bad[i], SIZE_MAX, -1, (lpc_each_mode)m, &l, &off, &(lpc_buf){0}, NULL), re);
            ck_assert_msg(off == roff, "%s: offset %zu, parse %zu", bad[i], off, roff);
        }
    }
    /* depth: the root counts as one level */
    char deep[1200];
    size_t dn = 0;
    for (int k = 0; k < 513; k++) deep[dn++] = '[';
    deep[dn] = 0;
    ck_assert_int_eq(each_run_root(deep, SIZE_MAX, -1, LPC_EACH_DROP, &l, &off, &(lpc_buf){0}, NULL), LPC_ERR_DEPTH);
    /* dropped, 20,000 elements fit a 64 KiB budget that the same array kept does not */
    size_t cap = 300000;
    char *d = malloc(cap);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    d[n++] = '[';
    for (int k = 0; k < 20000; k++) n += (size_t)snprintf(d + n, cap - n, "%s[%d]", k ? "," : "", k);
    snprintf(d + n, cap - n, "]");
    lpc_buf t = {0};
    ck_assert_int_eq(each_run_root(d, 64 << 10, -2, LPC_EACH_DROP, &l, &off, &t, &el), LPC_OK);
    ck_assert(el && t.len == 2);
    lpc_buf_free(&t);
    ck_assert_int_eq(each_run_root(d, 64 << 10, -2, LPC_EACH_TREE, &l, &off, &(lpc_buf){0}, NULL), LPC_ERR_TOO_LARGE);
    ck_assert_int_eq(each_run_root(d, 64 << 10, -2, LPC_EACH_KEEP, &l, &off, &(lpc_buf){0}, NULL), LPC_ERR_TOO_LARGE);
    free(d);
}
END_TEST

/* LPC_CSA_DECODE: value strings in any form json.loads accepts are taken (equal to
 * lpc_dump(lpc_parse()), whose CS-A bytes are Python's: every_case_every_profile); keys
 * not in the plain form, repeated keys, non-finite numbers and refused texts still
 * decline; a decoded string over LPC_CSA_MAX_DECODED declines, one at it is taken. */
START_TEST(csa_decode)
{
    lpc_csa_scratch s = {0};
    size_t nt = sizeof csa_decline_texts / sizeof *csa_decline_texts, k = 0;
    for (size_t i = 0; i < nt; i++) {
        const char *t = csa_decline_texts[i];
        int ok = csa_check_text_ex(&s, LPC_CSA_DECODE, (const uint8_t *)t, strlen(t), t);
        int want = k < sizeof csa_decodable / sizeof *csa_decodable && csa_decodable[k] == i;
        if (want) k++;
        ck_assert_msg(ok == want, "text %zu <%s>: %s", i, t, ok ? "accepted" : "declined");
    }
    /* inside records: raw UTF-8, a surrogate pair, a lone surrogate, DEL, escapes of
     * every kind, in unsorted objects; the expected bytes are json.dumps(json.loads(t),
     * sort_keys=True, separators=(",", ":")) */
    static const struct { const char *in, *out; } docs[] = {
        {"{\"z\":\"caf\xc3\xa9\",\"a\":[\"\\ud83d\\ude00\",\"\\ud800x\",\"\x7f\"]}",
         "{\"a\":[\"\\ud83d\\ude00\",\"\\ud800x\",\"\\u007f\"],\"z\":\"caf\\u00e9\"}"},
        {"[\"\\/\\u0041\\u00E9\\b\\u000A\",\"\xf0\x9f\x98\x80\",{\"k\":\"\\\"\\\\\\t\"}]",
         "[\"/A\\u00e9\\b\\n\",\"\\ud83d\\ude00\",{\"k\":\"\\\"\\\\\\t\"}]"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        size_t n;
        uint8_t *got = csa_run_ex(&s, LPC_CSA_DECODE, (const uint8_t *)docs[i].in, strlen(docs[i].in), NULL, NULL,
                                  &n, NULL);
        ck_assert_msg(got != NULL, "doc %zu declined", i);
        ck_assert_msg(n == strlen(docs[i].out) && memcmp(got, docs[i].out, n) == 0, "doc %zu: %.*s", i, (int)n,
                      (const char *)got);
        ck_assert(csa_check_text_ex(&s, LPC_CSA_DECODE, (const uint8_t *)docs[i].in, strlen(docs[i].in), "doc"));
        free(got);
    }
    /* the size cap: LPC_CSA_MAX_DECODED bytes of text between the quotes */
    for (size_t extra = 0; extra < 2; extra++) {
        size_t body = LPC_CSA_MAX_DECODED + extra, n = body + 4;
        uint8_t *t = malloc(n);
        ck_assert_ptr_nonnull(t);
        memcpy(t, "[\"\xc3\xa9", 4);
        memset(t + 4, 'x', body - 2);
        memcpy(t + body + 2, "\"]", 2);
        ck_assert_int_eq(csa_check_text_ex(&s, LPC_CSA_DECODE, t, n, "cap"), extra == 0);
        free(t);
    }
    /* flags the call does not know */
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_csa_from_text_ex((const uint8_t *)"1", 1, 2, &s, NULL, NULL, &out), LPC_ERR_ARG);
    lpc_buf_free(&out);
    lpc_csa_scratch_free(&s);
}
END_TEST

/* Objects put into key order where they lie: every permutation of four members (small
 * rotations through the scratch), 256 members in reverse order, and members larger than
 * LPC_CSA_MAX_ASIDE on both sides of a move (the in-place reversal), nested; each equal to
 * lpc_dump(lpc_parse()) with and without LPC_CSA_DECODE. */
START_TEST(csa_reorder_members)
{
    lpc_csa_scratch s = {0};
    static const char *keys[4] = {"a", "bb", "b", "ab"};
    int idx[4] = {0, 1, 2, 3}, perms = 0;
    /* Heap's algorithm over the 24 orders */
    int cnt[4] = {0}, i = 0;
    for (;;) {
        char t[128];
        int w = snprintf(t, sizeof t, "{\"%s\":1,\"%s\":[{\"y\":2,\"x\":3}],\"%s\":\"v\",\"%s\":{}}", keys[idx[0]],
                         keys[idx[1]], keys[idx[2]], keys[idx[3]]);
        ck_assert(w > 0 && (size_t)w < sizeof t);
        ck_assert(csa_check_text(&s, (const uint8_t *)t, (size_t)w, t));
        ck_assert(csa_check_text_ex(&s, LPC_CSA_DECODE, (const uint8_t *)t, (size_t)w, t));
        perms++;
        while (i < 4 && cnt[i] >= i) cnt[i++] = 0;
        if (i >= 4) break;
        int j = i % 2 ? cnt[i] : 0, x = idx[j];
        idx[j] = idx[i];
        idx[i] = x;
        cnt[i]++;
        i = 0;
    }
    ck_assert_int_eq(perms, 24);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_buf_append(&b, "{", 1), LPC_OK);
    for (int m = LPC_CSA_MAX_MEMBERS - 1; m >= 0; m--) {
        char t[48];
        int w = snprintf(t, sizeof t, "%s\"k%03d\":[%d,\"\\u00e9\"]", m == LPC_CSA_MAX_MEMBERS - 1 ? "" : ",", m, m);
        ck_assert_int_eq(lpc_buf_append(&b, t, (size_t)w), LPC_OK);
    }
    ck_assert_int_eq(lpc_buf_append(&b, "}", 1), LPC_OK);
    ck_assert(csa_check_text(&s, b.ptr, b.len, "256 reversed"));
    lpc_buf_free(&b);
    /* {"c": big, "b": big, "a": [small]} and nested inside a reversed outer object */
    size_t big = LPC_CSA_MAX_ASIDE + 1000;
    for (int nest = 0; nest < 2; nest++) {
        b = (lpc_buf){0};
        static const char outer[] = "{\"z\":1,\"y\":", tail[] = "\",\"a\":[1]}";
        if (nest) ck_assert_int_eq(lpc_buf_append(&b, outer, sizeof outer - 1), LPC_OK);
        static const char *const mk[2] = {"{\"c\":\"", "\",\"b\":\""};
        for (int m = 0; m < 2; m++) {
            ck_assert_int_eq(lpc_buf_append(&b, mk[m], strlen(mk[m])), LPC_OK);
            size_t at = b.len;
            ck_assert_int_eq(lpc_buf_reserve(&b, big), LPC_OK);
            memset(b.ptr + at, m ? 'q' : 'p', big);
            b.len += big;
        }
        ck_assert_int_eq(lpc_buf_append(&b, tail, sizeof tail - 1), LPC_OK);
        if (nest) ck_assert_int_eq(lpc_buf_append(&b, "}", 1), LPC_OK);
        ck_assert(csa_check_text(&s, b.ptr, b.len, "large members"));
        ck_assert(csa_check_text_ex(&s, LPC_CSA_DECODE, b.ptr, b.len, "large members"));
        lpc_buf_free(&b);
    }
    lpc_csa_scratch_free(&s);
}
END_TEST

static uint8_t *nested(const char *open, const char *mid, const char *close, int depth, size_t *n)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    uint8_t *t = malloc((size_t)depth * (lo + lc) + lm + 1);
    ck_assert_ptr_nonnull(t);
    size_t k = 0;
    for (int i = 0; i < depth; i++, k += lo) memcpy(t + k, open, lo);
    memcpy(t + k, mid, lm);
    k += lm;
    for (int i = 0; i < depth; i++, k += lc) memcpy(t + k, close, lc);
    *n = k;
    return t;
}

/* Limits: LPC_CSA_MAX_DEPTH, LPC_CSA_MAX_MEMBERS, the int digit cap and the input cap,
 * each accepted at the limit and declined one past it. */
START_TEST(csa_limits)
{
    lpc_csa_scratch s = {0};
    size_t n, fn;
    for (int d = LPC_CSA_MAX_DEPTH; d <= LPC_CSA_MAX_DEPTH + 1; d++) {
        uint8_t *a = nested("[", "", "]", d, &n), *o = nested("{\"b\":1,\"a\":", "1", "}", d, &n);
        size_t na = 2 * (size_t)d;
        ck_assert_int_eq(csa_check_text(&s, a, na, "nested arrays"), d <= LPC_CSA_MAX_DEPTH);
        ck_assert_int_eq(csa_check_text(&s, o, n, "nested objects"), d <= LPC_CSA_MAX_DEPTH);
        free(a);
        free(o);
    }
    for (int m = LPC_CSA_MAX_MEMBERS; m <= LPC_CSA_MAX_MEMBERS + 1; m++) {
        lpc_buf t = {0};
        char item[32];
        lpc_buf_append(&t, "{", 1);
        for (int i = m - 1; i >= 0; i--) {  /* descending: the sort runs over all of them */
            int k = snprintf(item, sizeof item, "%s\"k%04d\":%d", i == m - 1 ? "" : ",", i, i);
            lpc_buf_append(&t, item, (size_t)k);
        }
        lpc_buf_append(&t, "}", 1);
        ck_assert_int_eq(csa_check_text(&s, t.ptr, t.len, "members"), m <= LPC_CSA_MAX_MEMBERS);
        lpc_buf_free(&t);
    }
    for (size_t d = LPC_INT_MAX_DIGITS; d <= LPC_INT_MAX_DIGITS + 1; d++) {
        uint8_t *t = malloc(d + 3);
        t[0] = '[';
        t[1] = '-';
        memset(t + 2, '7', d);
        t[d + 2] = ']';
        ck_assert_int_eq(csa_check_text(&s, t, d + 3, "int digits"), d <= LPC_INT_MAX_DIGITS);
        ck_assert_int_eq(csa_check_text(&s, t + 2, d, "int digits"), d <= LPC_INT_MAX_DIGITS);
        free(t);
    }
    /* One byte over lpc_parse's input cap: "   ...   0" (spaces then a digit). */
    size_t big = LPC_JSON_MAX_INPUT + 1;
    uint8_t *t = malloc(big);
    ck_assert_ptr_nonnull(t);
    memset(t, ' ', big);
    t[big - 1] = '0';
    lpc_value *v = NULL;
    ck_assert_int_ne(lpc_parse(t, big, &v, NULL), LPC_OK);
    ck_assert_ptr_null(csa_run(&s, t, big, NULL, NULL, &fn, NULL));
    ck_assert_int_eq(csa_check_text(&s, t + 1, big - 1, "input at the cap"), 1);
    free(t);
    lpc_csa_scratch_free(&s);
}
END_TEST

/* Arguments: NULL scratch/out, NULL text with a length, key without span: ARG, out as
 * it was.  Empty text: declined.  A key that is absent or not top-level: span {0, 0}. */
START_TEST(csa_arguments)
{
    lpc_csa_scratch s = {0};
    lpc_buf out = {0};
    lpc_buf_append(&out, "x", 1);
    size_t span[2] = {5, 5};
    const uint8_t *t = (const uint8_t *)"{\"a\":{\"sequence\":1}}";
    size_t n = strlen((const char *)t);
    ck_assert_int_eq(lpc_csa_from_text(t, n, NULL, NULL, NULL, &out), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_csa_from_text(t, n, &s, NULL, NULL, NULL), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_csa_from_text(NULL, 3, &s, NULL, NULL, &out), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_csa_from_text(t, n, &s, "a", NULL, &out), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_csa_from_text(NULL, 0, &s, NULL, NULL, &out), LPC_ERR_UNSUPPORTED);
    ck_assert(out.len == 1 && memcmp(out.ptr, "x", 2) == 0);
    ck_assert_int_eq(lpc_csa_from_text(t, n, &s, "sequence", span, &out), LPC_OK);
    ck_assert(span[0] == 0 && span[1] == 0);  /* nested, not top-level */
    ck_assert_str_eq((const char *)out.ptr, "x{\"a\":{\"sequence\":1}}");
    out.len = 1;
    const uint8_t *t2 = (const uint8_t *)"[{\"sequence\":1}]";
    span[0] = span[1] = 5;
    ck_assert_int_eq(lpc_csa_from_text(t2, strlen((const char *)t2), &s, "sequence", span, &out), LPC_OK);
    ck_assert(span[0] == 0 && span[1] == 0);  /* top level is not an object */
    out.len = 1;
    const uint8_t *t3 = (const uint8_t *)"{ \"seq\" : 1 , \"sequencex\":2,\"sequence\" : -0, \"a\":[]}";
    ck_assert_int_eq(lpc_csa_from_text(t3, strlen((const char *)t3), &s, "sequence", span, &out), LPC_OK);
    ck_assert_str_eq((const char *)out.ptr, "x{\"a\":[],\"seq\":1,\"sequence\":0,\"sequencex\":2}");
    ck_assert(span[0] == 28 && span[1] == 29);
    lpc_buf_free(&out);
    lpc_csa_scratch_free(&s);
    lpc_csa_scratch_free(&s);  /* twice is harmless */
    lpc_csa_scratch_free(NULL);
}
END_TEST

/* One scratch across calls, declines in the middle of nested unsorted objects included,
 * gives what a fresh scratch gives. */
START_TEST(csa_scratch_reuse)
{
    static const char *seq[] = {
        "{\"z\":{\"y\":{\"x\":1,\"w\":2},\"v\":3},\"u\":4}",
        "{\"z\":{\"y\":{\"x\":1,\"w\":2,\"x\":5},\"v\":3},\"u\":4}",  /* declined deep inside */
        "{\"d\":[{\"c\":1,\"b\":2}],\"a\":{\"e\":\"\\u00e9\"}}",
        "{\"d\":[{\"c\":1,\"b\":2}],\"a\":{\"e\":\"\\u00E9\"}}",      /* declined */
        "{\"b\":[1,2,{\"q\":0,\"p\":-0}],\"a\":true}",
        "{\"z\":{\"y\":{\"x\":1,\"w\":2},\"v\":3},\"u\":4}",
    };
    lpc_csa_scratch shared = {0};
    size_t acc = 0;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
            const uint8_t *t = (const uint8_t *)seq[i];
            size_t len = strlen(seq[i]), n1 = 0, n2 = 0, span[2];
            lpc_csa_scratch fresh = {0};
            uint8_t *a = csa_run(&shared, t, len, "a", span, &n1, NULL);
            uint8_t *b = csa_run(&fresh, t, len, NULL, NULL, &n2, NULL);
            ck_assert((a == NULL) == (b == NULL));
            if (a) {
                ck_assert(n1 == n2 && memcmp(a, b, n1) == 0);
                csa_check_text(&shared, t, len, seq[i]);
                acc++;
            }
            free(a);
            free(b);
            lpc_csa_scratch_free(&fresh);
        }
    ck_assert_uint_eq(acc, 3 * 4);
    lpc_csa_scratch_free(&shared);
}
END_TEST

/* Numbers through every conversion of the core, with CPython's answers: json.dumps of
 * json.loads, float(), round(), int.__float__ (review small defect 1: under de_DE the
 * first gave [0.0,1.0]).  Run again under a comma-decimal locale by test_locale.sh. */
START_TEST(numbers_whatever_the_locale)
{
    static const struct { const char *in, *csa; } docs[] = {
        {"[0.30000000000000004, 1.7976931348623157e308]", "[0.30000000000000004,1.7976931348623157e+308]"},
        {"[2.5, -0.0, 1e-07, 123456.789e3, 5e-324, 1E400]", "[2.5,-0.0,1e-07,123456789.0,5e-324,Infinity]"},
        {"{\"w\":0.1,\"v\":[1.5e300,9007199254740993.0]}", "{\"v\":[1.5e+300,9007199254740992.0],\"w\":0.1}"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        lpc_value *v = parse_text(docs[i].in, strlen(docs[i].in));
        lpc_buf out = {0};
        ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &out), LPC_OK);
        ck_assert_str_eq((const char *)out.ptr, docs[i].csa);
        lpc_free(v);
        /* the CS-A fast path reads the numbers itself */
        lpc_csa_scratch sc = {0};
        out.len = 0;
        lpc_err e = lpc_csa_from_text((const uint8_t *)docs[i].in, strlen(docs[i].in), &sc, NULL, NULL, &out);
        if (i == 1) {
            ck_assert_int_eq(e, LPC_ERR_UNSUPPORTED);  /* 1E400: not finite, declined */
        } else {
            ck_assert_int_eq(e, LPC_OK);
            ck_assert_str_eq((const char *)out.ptr, docs[i].csa);
        }
        lpc_csa_scratch_free(&sc);
        lpc_buf_free(&out);
    }
    double d;
    ck_assert_int_eq(lpc_py_float_from_str(" 1_000.25e-1_0 ", 15, &d), LPC_OK);
    ck_assert(d == from_float_hex("0x1.ad9aa68ba4cc4p-24"));                /* float('1_000.25e-1_0').hex() */
    ck_assert_int_eq(lpc_py_float_from_str("-.5", 3, &d), LPC_OK);
    ck_assert(d == -0.5);
    ck_assert_int_eq(lpc_py_float_from_str("1,5", 3, &d), LPC_ERR_SYNTAX);  /* float('1,5') raises */
    char buf[LPC_REPR_MAX];
    lpc_float_repr(lpc_py_round(2.675, 2), buf);
    ck_assert_str_eq(buf, "2.67");                                          /* round(2.675, 2) */
    lpc_float_repr(lpc_py_round(1234.5678, 3), buf);
    ck_assert_str_eq(buf, "1234.568");
    lpc_float_repr(from_float_hex("0x1.0000000000000p+0") + 0x1p-52, buf);
    ck_assert_str_eq(buf, "1.0000000000000002");
    /* the conversion itself: exponents past any int64, fractions moved into the exponent
     * (float() of the same texts: inf, -0.0, 0.1, 1.0, 1.23456), and what it refuses */
    static const char *huge = "1e99999999999999999999", *tiny = "-1e-99999999999999999999";
    ck_assert_int_eq(lpc_decimal_to_double(huge, strlen(huge), &d), LPC_OK);
    ck_assert(isinf(d) && d > 0);
    ck_assert_int_eq(lpc_decimal_to_double(tiny, strlen(tiny), &d), LPC_OK);
    ck_assert(d == 0 && signbit(d));
    char longtext[420];
    memcpy(longtext, "0.", 2);
    memset(longtext + 2, '0', 400);
    memcpy(longtext + 402, "1e400", 5);
    ck_assert_int_eq(lpc_decimal_to_double(longtext, 407, &d), LPC_OK);
    ck_assert(d == 0.1);
    longtext[0] = '1';
    memset(longtext + 1, '0', 400);
    memcpy(longtext + 401, "e-400", 5);
    ck_assert_int_eq(lpc_decimal_to_double(longtext, 406, &d), LPC_OK);
    ck_assert(d == 1.0);
    ck_assert_int_eq(lpc_decimal_to_double("123.456e-2", 10, &d), LPC_OK);
    ck_assert(d == 1.23456);
    static const char *bad[] = {"", "-", ".", "e5", "1e", "1e+", "1.5x", "1,5", "+1", "--1", "1e5.5", " 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(lpc_decimal_to_double(bad[i], strlen(bad[i]), &d) == LPC_ERR_SYNTAX, "'%s'", bad[i]);
    lpc_value *big = lpc_new_int_text("12345678901234567890123", 23);
    ck_assert(lpc_number_as_double(big, &d));
    ck_assert(d == 1.2345678901234568e22);                                   /* float(12345678901234567890123) */
    lpc_free(big);
}
END_TEST

/* Each lpc_err under its registry name (lp_code.h): the names reports and the ABI have
 * always printed, but for NOMEM, now the shared OUT_OF_MEMORY (one name per condition). */
START_TEST(error_codes)
{
    static const struct { lpc_err e; const char *name; lp_exit exit; } T[] = {
        {LPC_OK, "OK", LP_EXIT_OK},
        {LPC_ERR_NOMEM, "OUT_OF_MEMORY", LP_EXIT_UNDECIDED},
        {LPC_ERR_ARG, "BAD_ARGUMENT", LP_EXIT_UNDECIDED},
        {LPC_ERR_TOO_LARGE, "INPUT_TOO_LARGE", LP_EXIT_UNDECIDED},
        {LPC_ERR_SYNTAX, "JSON_SYNTAX", LP_EXIT_UNDECIDED},
        {LPC_ERR_DEPTH, "JSON_TOO_DEEP", LP_EXIT_UNDECIDED},
        {LPC_ERR_UTF8, "BAD_UTF8", LP_EXIT_UNDECIDED},
        {LPC_ERR_INT_DIGITS, "INT_TOO_LONG", LP_EXIT_UNDECIDED},
        {LPC_ERR_NAN, "NAN_NOT_ALLOWED", LP_EXIT_UNDECIDED},
        {LPC_ERR_SURROGATE, "LONE_SURROGATE", LP_EXIT_UNDECIDED},
        {LPC_ERR_TYPE, "BAD_TYPE", LP_EXIT_UNDECIDED},
        {LPC_ERR_RANGE, "OUT_OF_RANGE", LP_EXIT_UNDECIDED},
        {LPC_ERR_HEX, "BAD_HEX", LP_EXIT_UNDECIDED},
        {LPC_ERR_BASE64, "BAD_BASE64", LP_EXIT_UNDECIDED},
        {LPC_ERR_CRYPTO, "CRYPTO_BACKEND", LP_EXIT_UNDECIDED},
        {LPC_ERR_NEGATIVE_WEIGHT, "NEGATIVE_WEIGHT", LP_EXIT_UNDECIDED},
        {LPC_ERR_WEIGHTS_INVARIANT, "WEIGHTS_INVARIANT", LP_EXIT_FAIL},
        {LPC_ERR_BINDING, "BAD_BINDING", LP_EXIT_UNDECIDED},
        {LPC_ERR_NOT_FLOAT, "NOT_A_FLOAT", LP_EXIT_UNDECIDED},
        {LPC_ERR_MISSING, "MISSING_FIELD", LP_EXIT_UNDECIDED},
        {LPC_ERR_UNSUPPORTED, "UNSUPPORTED", LP_EXIT_UNDECIDED},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        ck_assert_int_eq(T[i].e, (lpc_err)i);  /* every code, in order */
        ck_assert_str_eq(lpc_errname(T[i].e), T[i].name);
        lp_code c;
        ck_assert_int_eq(lp_code_from_name(T[i].name, strlen(T[i].name), &c), 0);
        ck_assert_int_eq(lpc_code(T[i].e), c);
        ck_assert_int_eq(lp_code_exit(c), T[i].exit);
        ck_assert_str_ne(lpc_strerror(T[i].e), "unknown error");
    }
    /* past the enum: the registry's INTERNAL, never OK */
    ck_assert_int_eq(lpc_code((lpc_err)(LPC_ERR_UNSUPPORTED + 1)), LP_CODE_INTERNAL);
    ck_assert_str_eq(lpc_errname((lpc_err)-1), "INTERNAL");
    ck_assert_str_eq(lpc_strerror((lpc_err)999), "unknown error");
}
END_TEST

/* LP_TEST_LOCALE=1 (tests/cli/test_locale.sh): the suite runs under the environment's
 * locale, which must have a decimal point other than "." or the run would prove nothing. */
static void use_environment_locale(void)
{
    const char *want = getenv("LP_TEST_LOCALE");
    if (!want || strcmp(want, "1") != 0) return;
    if (!setlocale(LC_ALL, "")) {
        fprintf(stderr, "test_canonical: LP_TEST_LOCALE=1 but setlocale(LC_ALL, \"\") failed (LC_ALL=%s)\n",
                getenv("LC_ALL") ? getenv("LC_ALL") : "");
        exit(1);
    }
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    if (!strcmp(localeconv()->decimal_point, ".") || !strcmp(probe, "1.5")) {
        fprintf(stderr, "test_canonical: LP_TEST_LOCALE=1 but locale %s has decimal point \"%s\"\n",
                setlocale(LC_NUMERIC, NULL), localeconv()->decimal_point);
        exit(1);
    }
    printf("test_canonical: under locale %s (decimal point \"%s\")\n", setlocale(LC_NUMERIC, NULL),
           localeconv()->decimal_point);
}

static Suite *canonical_suite(void)
{
    use_environment_locale();
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
    tcase_add_test(tc, parsed_tree_is_a_document);
    tcase_add_test(tc, duplicate_keys_many);
    tcase_add_test(tc, object_set_python_dict);
    tcase_add_test(tc, hex_and_base64_strict);
    tcase_add_test(tc, sha_known_answers);
    tcase_add_test(tc, py_float_from_str);
    tcase_add_test(tc, numbers_whatever_the_locale);
    tcase_add_test(tc, error_codes);
    tcase_add_test(tc, csa_vector_texts);
    tcase_add_test(tc, csa_checkpoint_records);
    tcase_add_test(tc, csa_declines);
    tcase_add_test(tc, csa_decode);
    tcase_add_test(tc, parse_take_equals_parse);
    tcase_add_test(tc, parse_each_keeps_what_it_is_told);
    tcase_add_test(tc, parse_each_root_array);
    tcase_add_test(tc, csa_reorder_members);
    tcase_add_test(tc, csa_limits);
    tcase_add_test(tc, csa_arguments);
    tcase_add_test(tc, csa_scratch_reuse);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(canonical_suite)
