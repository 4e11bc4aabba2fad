/* lpc_pyrandom against vectors/subnet46/pyrandom.json (spec subnet46-zipcode.md §6.4
 * tier 3, §6.7): CPython 3.11's own outputs for op streams on 31 seeds (genrand words,
 * getrandbits, _randbelow, random, uniform, sample interleaved on one state), every
 * getrandbits width 0..64 and randbelow around every power of two, sample(range(n), k)
 * across the pool/set boundary with the following genrand word (state after the call),
 * the k > n errors, sample's setsize for k <= 256, the §6.4 global-seed spot check; plus
 * the refusals (randbelow(0), k > LPC_PYRANDOM_SAMPLE_MAX, out-of-contract widths). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_pyrandom.h"
#include "canonical/lpc_value.h"
#include "tests/lp_test.h"

#define VEC "subnet46/pyrandom.json"

/* A non-negative JSON int up to 2^64 - 1. */
static uint64_t u64v(const lpc_value *v)
{
    ck_assert_msg(v && v->type == LPC_INT && v->u.i.digits[0] != '-', "not a non-negative int");
    errno = 0;
    char *end = NULL;
    unsigned long long x = strtoull(v->u.i.digits, &end, 10);
    ck_assert_msg(errno == 0 && end && *end == '\0', "int out of range: %s", v->u.i.digits);
    return (uint64_t)x;
}

static uint64_t u64f(const lpc_value *obj, const char *key) { return u64v(lp_field(obj, key)); }

static uint64_t hexbits(const char *h)
{
    ck_assert_uint_eq(strlen(h), 16);
    return (uint64_t)strtoull(h, NULL, 16);
}

static uint64_t dbits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double dfield(const lpc_value *obj, const char *key)
{
    const lpc_value *v = lp_field(obj, key);
    double d = 0;
    ck_assert(lpc_number_as_double(v, &d));
    return d;
}

static size_t arr_n(const lpc_value *v)
{
    ck_assert_msg(v && v->type == LPC_ARRAY, "not an array");
    return v->u.a.n;
}

static void check_sample(lpc_pyrandom *r, uint64_t n, size_t k, const lpc_value *want, const char *what)
{
    uint64_t out[LPC_PYRANDOM_SAMPLE_MAX + 1];
    ck_assert_uint_le(k, LPC_PYRANDOM_SAMPLE_MAX);
    ck_assert_int_eq(lpc_pyrandom_sample_range(r, n, k, out), LPC_PYRANDOM_SAMPLE_OK);
    ck_assert_uint_eq(arr_n(want), k);
    for (size_t i = 0; i < k; i++)
        ck_assert_msg(out[i] == u64v(lpc_at(want, i)), "%s: sample[%zu] got %llu", what, i,
                      (unsigned long long)out[i]);
}

static size_t g_checked;

START_TEST(streams)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *ss = lp_field(doc, "streams");
    ck_assert_uint_ge(arr_n(ss), 30);
    size_t nops = 0;
    for (size_t c = 0; c < arr_n(ss); c++) {
        const lpc_value *st = lpc_at(ss, c);
        lpc_pyrandom r;
        lpc_pyrandom_seed(&r, u64f(st, "seed"));
        const lpc_value *ops = lp_field(st, "ops");
        for (size_t i = 0; i < arr_n(ops); i++, nops++) {
            const lpc_value *op = lpc_at(ops, i);
            const char *kind = lp_field_str(op, "op");
            char what[96];
            snprintf(what, sizeof what, "seed %llu op %zu %s", (unsigned long long)u64f(st, "seed"), i, kind);
            if (!strcmp(kind, "genrand32")) {
                ck_assert_msg(lpc_pyrandom_genrand32(&r) == u64f(op, "out"), "%s", what);
            } else if (!strcmp(kind, "getrandbits")) {
                unsigned k = (unsigned)u64f(op, "k");
                ck_assert_msg(lpc_pyrandom_getrandbits(&r, k) == u64f(op, "out"), "%s", what);
            } else if (!strcmp(kind, "randbelow")) {
                ck_assert_msg(lpc_pyrandom_randbelow(&r, u64f(op, "n")) == u64f(op, "out"), "%s", what);
            } else if (!strcmp(kind, "random")) {
                double x = lpc_pyrandom_random(&r);
                ck_assert_msg(dbits(x) == hexbits(lp_field_str(op, "bits")), "%s", what);
                ck_assert_msg(dbits(x) == dbits(dfield(op, "out")), "%s (repr)", what);
            } else if (!strcmp(kind, "uniform")) {
                double x = lpc_pyrandom_uniform(&r, dfield(op, "a"), dfield(op, "b"));
                ck_assert_msg(dbits(x) == hexbits(lp_field_str(op, "bits")), "%s", what);
            } else if (!strcmp(kind, "sample")) {
                check_sample(&r, u64f(op, "n"), (size_t)u64f(op, "k"), lp_field(op, "out"), what);
            } else {
                ck_abort_msg("unknown op %s", kind);
            }
        }
    }
    ck_assert_uint_ge(nops, 1000);
    g_checked += nops;
    lpc_free(doc);
}
END_TEST

START_TEST(widths)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *ws = lp_field(doc, "widths");
    for (size_t c = 0; c < arr_n(ws); c++) {
        const lpc_value *w = lpc_at(ws, c);
        lpc_pyrandom r;
        lpc_pyrandom_seed(&r, u64f(w, "seed"));
        const lpc_value *g = lp_field(w, "getrandbits");
        ck_assert_uint_eq(arr_n(g), 65);
        for (size_t i = 0; i < arr_n(g); i++) {
            const lpc_value *e = lpc_at(g, i);
            unsigned k = (unsigned)u64v(lpc_at(e, 0));
            uint64_t got = lpc_pyrandom_getrandbits(&r, k);
            ck_assert_msg(got == u64v(lpc_at(e, 1)), "getrandbits(%u)", k);
            if (k < 64) ck_assert_uint_lt(got, (uint64_t)1 << k);
        }
        const lpc_value *b = lp_field(w, "randbelow");
        for (size_t i = 0; i < arr_n(b); i++) {
            const lpc_value *e = lpc_at(b, i);
            uint64_t n = u64v(lpc_at(e, 0)), got = lpc_pyrandom_randbelow(&r, n);
            ck_assert_msg(got == u64v(lpc_at(e, 1)), "randbelow(%llu)", (unsigned long long)n);
            ck_assert_uint_lt(got, n);
        }
    }
    lpc_free(doc);
}
END_TEST

START_TEST(samples)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *ss = lp_field(doc, "samples");
    size_t npool = 0, nset = 0, nerr = 0, nedge = 0;
    for (size_t c = 0; c < arr_n(ss); c++) {
        const lpc_value *s = lpc_at(ss, c);
        uint64_t n = u64f(s, "n");
        size_t k = (size_t)u64f(s, "k");
        ck_assert_uint_eq(lpc_pyrandom_setsize(k), u64f(s, "setsize"));
        if (n == u64f(s, "setsize") || n == u64f(s, "setsize") + 1) nedge++;
        lpc_pyrandom r;
        lpc_pyrandom_seed(&r, u64f(s, "seed"));
        char what[96];
        snprintf(what, sizeof what, "seed %llu sample(range(%llu), %zu)", (unsigned long long)u64f(s, "seed"),
                 (unsigned long long)n, k);
        const lpc_value *err = lp_field(s, "error");
        if (err->type == LPC_STR) {
            ck_assert_str_eq(err->u.s.ptr, "Sample larger than population or is negative");
            uint64_t out[1] = {12345};
            ck_assert_int_eq(lpc_pyrandom_sample_range(&r, n, k, out), LPC_PYRANDOM_SAMPLE_TOO_LARGE);
            ck_assert_uint_eq(out[0], 12345);
            nerr++;
        } else {
            check_sample(&r, n, k, lp_field(s, "out"), what);
            if (!strcmp(lp_field_str(s, "method"), "pool")) npool++;
            else nset++;
        }
        /* the state after the call (an error draws nothing) */
        ck_assert_msg(lpc_pyrandom_genrand32(&r) == u64f(s, "next_genrand32"), "%s: next word", what);
    }
    ck_assert_uint_gt(npool, 100);
    ck_assert_uint_gt(nset, 100);
    ck_assert_uint_gt(nerr, 100);
    ck_assert_uint_gt(nedge, 20);
    g_checked += arr_n(ss);
    lpc_free(doc);
}
END_TEST

START_TEST(setsizes_and_global)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *t = lp_field(doc, "setsizes");
    ck_assert_uint_eq(arr_n(t), LPC_PYRANDOM_SAMPLE_MAX + 1);
    uint64_t maxsize = 0;
    for (size_t i = 0; i < arr_n(t); i++) {
        const lpc_value *e = lpc_at(t, i);
        size_t k = (size_t)u64v(lpc_at(e, 0));
        ck_assert_uint_eq(lpc_pyrandom_setsize(k), u64v(lpc_at(e, 1)));
        if (u64v(lpc_at(e, 1)) > maxsize) maxsize = u64v(lpc_at(e, 1));
    }
    ck_assert_uint_eq(maxsize, LPC_PYRANDOM_POOL_MAX);
    ck_assert_uint_eq(lpc_pyrandom_setsize(LPC_PYRANDOM_SAMPLE_MAX + 1), 0);

    /* §6.4 tier 3 through the module-level functions: sorted(random.sample(range(n), k)) */
    const lpc_value *g = lp_field(doc, "global_spot_check");
    lpc_pyrandom r;
    lpc_pyrandom_seed(&r, u64f(g, "seed"));
    size_t k = (size_t)u64f(g, "k");
    uint64_t out[8];
    ck_assert_uint_le(k, 8);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, u64f(g, "n"), k, out), 0);
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            uint64_t x = out[j];
            out[j] = out[j - 1];
            out[j - 1] = x;
        }
    const lpc_value *want = lp_field(g, "sorted_sample");
    ck_assert_uint_eq(arr_n(want), k);
    for (size_t i = 0; i < k; i++) ck_assert_uint_eq(out[i], u64v(lpc_at(want, i)));
    lpc_free(doc);
}
END_TEST

/* Refusals and out-of-contract inputs: no draw, no write. */
START_TEST(refusals)
{
    lpc_pyrandom r, ref;
    lpc_pyrandom_seed(&r, 42);
    ref = r;
    ck_assert_uint_eq(lpc_pyrandom_randbelow(&r, 0), LPC_PYRANDOM_REFUSED);
    ck_assert_uint_eq(lpc_pyrandom_getrandbits(&r, 0), 0);
    ck_assert_uint_eq(lpc_pyrandom_getrandbits(&r, 65), 0);
    ck_assert_uint_eq(lpc_pyrandom_getrandbits(&r, 1000), 0);
    ck_assert(memcmp(&r, &ref, sizeof r) == 0);

    uint64_t out[LPC_PYRANDOM_SAMPLE_MAX + 2];
    for (size_t i = 0; i < LPC_PYRANDOM_SAMPLE_MAX + 2; i++) out[i] = 7;
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, 0, 1, out), LPC_PYRANDOM_SAMPLE_TOO_LARGE);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, 5, 6, out), LPC_PYRANDOM_SAMPLE_TOO_LARGE);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, 3, SIZE_MAX, out), LPC_PYRANDOM_SAMPLE_TOO_LARGE);
    /* k > n is checked before the size cap, as CPython raises before allocating */
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, 100, LPC_PYRANDOM_SAMPLE_MAX + 1, out),
                     LPC_PYRANDOM_SAMPLE_TOO_LARGE);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, 1000, LPC_PYRANDOM_SAMPLE_MAX + 1, out),
                     LPC_PYRANDOM_SAMPLE_REFUSED);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, UINT64_MAX, SIZE_MAX, out), LPC_PYRANDOM_SAMPLE_REFUSED);
    for (size_t i = 0; i < LPC_PYRANDOM_SAMPLE_MAX + 2; i++) ck_assert_uint_eq(out[i], 7);
    ck_assert(memcmp(&r, &ref, sizeof r) == 0);

    /* the largest accepted k, both methods, stays in bounds and yields distinct indices */
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, LPC_PYRANDOM_POOL_MAX, LPC_PYRANDOM_SAMPLE_MAX, out), 0);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, LPC_PYRANDOM_SAMPLE_MAX, LPC_PYRANDOM_SAMPLE_MAX, out), 0);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, LPC_PYRANDOM_POOL_MAX + 1, LPC_PYRANDOM_SAMPLE_MAX, out), 0);
    for (size_t i = 0; i < LPC_PYRANDOM_SAMPLE_MAX; i++) {
        ck_assert_uint_le(out[i], LPC_PYRANDOM_POOL_MAX);
        for (size_t j = 0; j < i; j++) ck_assert_uint_ne(out[i], out[j]);
    }
    ck_assert_uint_eq(out[LPC_PYRANDOM_SAMPLE_MAX], 7);
    /* k == 0 draws nothing */
    lpc_pyrandom_seed(&r, 42);
    ck_assert_int_eq(lpc_pyrandom_sample_range(&r, UINT64_MAX, 0, NULL), 0);
    ck_assert(memcmp(&r, &ref, sizeof r) == 0);
    /* randbelow(1) is 0 but draws one getrandbits(1) (CPython: k = bit_length(1) = 1) */
    ck_assert_uint_eq(lpc_pyrandom_randbelow(&r, 1), 0);
    ck_assert(memcmp(&r, &ref, sizeof r) != 0);
    /* randbelow(2^64 - 1) stays below n */
    ck_assert_uint_lt(lpc_pyrandom_randbelow(&r, UINT64_MAX), UINT64_MAX);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pyrandom");
    TCase *tc = tcase_create("vectors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, streams);
    tcase_add_test(tc, widths);
    tcase_add_test(tc, samples);
    tcase_add_test(tc, setsizes_and_global);
    tcase_add_test(tc, refusals);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(suite)
