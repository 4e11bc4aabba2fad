/* Weights (spec §10) against vectors/leadpoet/weights.json, which Leadpoet's
 * own Python produced, plus negative cases whose expected values were computed
 * independently with python3 (json, hashlib, struct) as noted beside each. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"
#include "canonical/lpc_weights.h"
#include "tests/lp_test.h"

#define WEIGHTS_VEC "leadpoet/weights.json"

/* ---- vector helpers ---- */

static int64_t as_i64(const lpc_value *v)
{
    int64_t x = 0;
    ck_assert_msg(lpc_int_i64(v, &x), "vector value is not an int64");
    return x;
}

/* [[uid, w], ...] -> malloc'd pairs (at least one element allocated). */
static lpc_weight_pair *load_pairs(const lpc_value *arr, size_t *n)
{
    ck_assert_int_eq(arr->type, LPC_ARRAY);
    *n = arr->u.a.n;
    lpc_weight_pair *p = calloc(*n + 1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < *n; i++) {
        const lpc_value *pair = lpc_at(arr, i);
        ck_assert_msg(pair && pair->type == LPC_ARRAY && pair->u.a.n == 2, "bad pair");
        p[i].uid = as_i64(lpc_at(pair, 0));
        p[i].weight = as_i64(lpc_at(pair, 1));
    }
    return p;
}

static int64_t *load_i64s(const lpc_value *arr, size_t *n)
{
    ck_assert_int_eq(arr->type, LPC_ARRAY);
    *n = arr->u.a.n;
    int64_t *p = calloc(*n + 1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < *n; i++) p[i] = as_i64(lpc_at(arr, i));
    return p;
}

/* Python float.hex() text -> double (C99 strtod reads hex floats exactly). */
static double hexf(const lpc_value *v)
{
    ck_assert_int_eq(v->type, LPC_STR);
    char *end;
    double d = strtod(v->u.s.ptr, &end);
    ck_assert_msg(*end == '\0', "bad float hex %s", v->u.s.ptr);
    return d;
}

static void assert_same_bits(double got, double want, const char *what, size_t i)
{
    ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "%s[%zu]: got %a want %a",
                  what, i, got, want);
}

static void assert_pairs_eq(const lpc_weight_pair *got, size_t ng, const lpc_value *want,
                            const char *name)
{
    size_t nw;
    lpc_weight_pair *w = load_pairs(want, &nw);
    ck_assert_msg(ng == nw, "%s: %zu pairs, want %zu", name, ng, nw);
    for (size_t i = 0; i < nw; i++)
        ck_assert_msg(got[i].uid == w[i].uid && got[i].weight == w[i].weight,
                      "%s[%zu]: (%lld,%lld) want (%lld,%lld)", name, i,
                      (long long)got[i].uid, (long long)got[i].weight,
                      (long long)w[i].uid, (long long)w[i].weight);
    free(w);
}

static void assert_buf_str(const lpc_buf *b, const char *want, const char *name)
{
    size_t n = strlen(want);
    ck_assert_msg(b->len == n && memcmp(b->ptr, want, n) == 0,
                  "%s: preimage %.*s\n want %s", name, (int)b->len, (const char *)b->ptr, want);
}

/* ---- bundle_weights_hash / compare_weights_hash ---- */

START_TEST(bundle_and_compare_hashes)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "bundle_weights_hash");
    lpc_hash_ctx *ctx = lpc_hash_ctx_new(LPC_SHA256);
    ck_assert_ptr_nonnull(ctx);
    lpc_buf pre = {0};
    char hex[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        int64_t netuid = lp_field_i64(c, "netuid"), epoch = lp_field_i64(c, "epoch_id"),
                block = lp_field_i64(c, "block");
        size_t n;
        lpc_weight_pair *w = load_pairs(lp_field(c, "weights_input"), &n);
        lpc_weight_pair *copy = calloc(n + 1, sizeof *copy);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, w, n * sizeof *w);

        for (int use_ctx = 0; use_ctx < 2; use_ctx++) {
            lpc_hash_ctx *cx = use_ctx ? ctx : NULL;
            ck_assert_int_eq(lpc_bundle_weights_hash(netuid, epoch, block, w, n, cx, &pre, hex), LPC_OK);
            assert_buf_str(&pre, lp_field_str(c, "bundle_preimage"), name);
            ck_assert_str_eq(hex, lp_field_str(c, "bundle_weights_hash"));

            ck_assert_int_eq(lpc_compare_weights_hash(netuid, epoch, w, n, cx, &pre, hex), LPC_OK);
            assert_buf_str(&pre, lp_field_str(c, "compare_preimage"), name);
            ck_assert_str_eq(hex, lp_field_str(c, "compare_weights_hash"));
        }
        /* The input is const: sorting happens on a copy. */
        ck_assert(memcmp(copy, w, n * sizeof *w) == 0);
        free(copy);
        free(w);
    }
    lpc_buf_free(&pre);
    lpc_hash_ctx_free(ctx);
    lpc_free(doc);
}
END_TEST

/* Negative and extreme integers, duplicate uid, unsorted input.  Expected text
 * and hash from python3: json.dumps({...}, sort_keys=True, separators=(',',':'))
 * with sorted(weights, key=lambda x: x[0]) and hashlib.sha256. */
START_TEST(hash_extreme_integers)
{
    const lpc_weight_pair w[] = { {3, -5}, {-2, 0}, {3, 7} };
    lpc_buf pre = {0};
    char hex[LPC_SHA256_HEX_LEN + 1];
    ck_assert_int_eq(lpc_bundle_weights_hash(-1, INT64_MIN, INT64_MAX, w, 3, NULL, &pre, hex), LPC_OK);
    assert_buf_str(&pre, "{\"block\":9223372036854775807,\"epoch_id\":-9223372036854775808,"
                   "\"netuid\":-1,\"weights\":[[-2,0],[3,-5],[3,7]]}", "extreme bundle");
    ck_assert_str_eq(hex, "e81697c34cae5701366c106759e8b2eaee7b2d17c2308357b7398838eab86fdd");
    ck_assert_int_eq(lpc_compare_weights_hash(-1, INT64_MIN, w, 3, NULL, &pre, hex), LPC_OK);
    assert_buf_str(&pre, "{\"epoch_id\":-9223372036854775808,\"netuid\":-1,"
                   "\"weights\":[[-2,0],[3,-5],[3,7]]}", "extreme compare");
    ck_assert_str_eq(hex, "63f1afa8f77ea04b5713d33fdaaf714546b00a8ebdd13d9414978484975c57a2");
    lpc_buf_free(&pre);
}
END_TEST

START_TEST(hash_bad_arguments)
{
    lpc_buf pre = {0};
    char hex[LPC_SHA256_HEX_LEN + 1] = "x";
    const lpc_weight_pair w[1] = { {1, 1} };
    ck_assert_int_eq(lpc_bundle_weights_hash(71, 1, 1, NULL, 2, NULL, &pre, hex), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_bundle_weights_hash(71, 1, 1, w, 1, NULL, NULL, hex), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_compare_weights_hash(71, 1, w, 1, NULL, &pre, NULL), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_bundle_weights_hash(71, 1, 1, w, LPC_WEIGHTS_MAX_PAIRS + 1, NULL, &pre, hex),
                     LPC_ERR_TOO_LARGE);
    ck_assert_uint_eq(pre.len, 0);
    ck_assert_str_eq(hex, "");
    lpc_buf_free(&pre);
}
END_TEST

/* ---- normalize_to_u16 ---- */

static void check_path(const char *name, const char *path, const lpc_value *want,
                       lpc_err e, const int64_t *ou, const uint16_t *ow, size_t on)
{
    const lpc_value *err = lpc_get(want, "error");
    if (err) {
        ck_assert_msg(e != LPC_OK, "%s: %s expects an error (%s), got OK", name, path, err->u.s.ptr);
        if (strstr(err->u.s.ptr, "negative weight"))
            ck_assert_msg(e == LPC_ERR_NEGATIVE_WEIGHT, "%s: %s", name, lpc_strerror(e));
        else
            ck_assert_msg(e == LPC_ERR_RANGE, "%s: %s", name, lpc_strerror(e));
        return;
    }
    ck_assert_msg(e == LPC_OK, "%s: %s", name, lpc_strerror(e));
    size_t nu, nw;
    int64_t *wu = load_i64s(lp_field(want, "uids"), &nu);
    int64_t *ww = load_i64s(lp_field(want, "weights_u16"), &nw);
    ck_assert_uint_eq(nu, nw);
    ck_assert_msg(on == nu, "%s/%s: %zu values, want %zu", name, path, on, nu);
    for (size_t i = 0; i < on; i++) {
        ck_assert_msg(ou[i] == wu[i], "%s/%s uid[%zu]", name, path, i);
        ck_assert_msg(ow[i] == ww[i], "%s/%s w[%zu]: %u want %lld", name, path, i,
                      (unsigned)ow[i], (long long)ww[i]);
    }
    free(wu);
    free(ww);
}

START_TEST(normalize_to_u16_vectors)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "normalize_to_u16");
    size_t errors_seen = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        size_t n, nh;
        int64_t *uids = load_i64s(lp_field(c, "uids"), &n);
        const lpc_value *wh = lp_field(c, "weights_hex"), *wr = lp_field(c, "weights_repr");
        nh = wh->u.a.n;
        ck_assert_uint_eq(nh, n);
        double *w = calloc(n + 1, sizeof *w);
        ck_assert_ptr_nonnull(w);
        for (size_t j = 0; j < n; j++) {
            w[j] = hexf(lpc_at(wh, j));
            /* weights_repr is the same value: repr(w) must print it. */
            char r[LPC_REPR_MAX];
            lpc_float_repr(w[j], r);
            ck_assert_str_eq(r, lpc_at(wr, j)->u.s.ptr);
        }
        /* binary32 quantisation, bit for bit. */
        const lpc_value *qh = lpc_get(c, "float32_quantized_hex");
        for (size_t j = 0; qh && j < qh->u.a.n; j++) {
            double q;
            ck_assert_int_eq(lpc_weights_quantize_f32(w[j], &q), LPC_OK);
            assert_same_bits(q, hexf(lpc_at(qh, j)), name, j);
        }
        if (lpc_get(c, "float32_quantized_error")) {
            int any = 0;
            for (size_t j = 0; j < n; j++) {
                double q;
                if (lpc_weights_quantize_f32(w[j], &q) == LPC_ERR_RANGE) any = 1;
            }
            ck_assert_msg(any, "%s: no weight overflowed binary32", name);
        }

        int64_t *ou = calloc(n + 1, sizeof *ou);
        uint16_t *ow = calloc(n + 1, sizeof *ow);
        ck_assert(ou && ow);
        size_t on = 99;
        lpc_err e = lpc_normalize_to_u16(uids, w, n, ou, ow, &on);
        check_path(name, "bittensor_path", lp_field(c, "bittensor_path"), e, ou, ow, on);
        check_path(name, "pure_path", lp_field(c, "pure_path"), e, ou, ow, on);
        if (e != LPC_OK) errors_seen++;
        free(ou); free(ow); free(uids); free(w);
    }
    ck_assert_uint_eq(errors_seen, 2);   /* negative_rejected, float32_overflow */
    lpc_free(doc);
}
END_TEST

/* Own cases; expected values from python3 struct.pack("!f") and round(). */
START_TEST(normalize_to_u16_edges)
{
    int64_t uids[3] = {0, 1, 2}, ou[3];
    uint16_t ow[3];
    size_t on;
    /* -1e-50 quantises to -0.0, which is not < 0: accepted, then dropped. */
    double a[2] = {1.0, -1e-50};
    ck_assert_int_eq(lpc_normalize_to_u16(uids, a, 2, ou, ow, &on), LPC_OK);
    ck_assert_uint_eq(on, 1);
    ck_assert_int_eq(ou[0], 0);
    ck_assert_uint_eq(ow[0], 65535);
    double b[2] = {0.5, -0.1};
    ck_assert_int_eq(lpc_normalize_to_u16(uids, b, 2, ou, ow, &on), LPC_ERR_NEGATIVE_WEIGHT);
    ck_assert_uint_eq(on, 0);
    double c[2] = {1.0, NAN};
    ck_assert_int_eq(lpc_normalize_to_u16(uids, c, 2, ou, ow, &on), LPC_ERR_RANGE);
    double d[2] = {INFINITY, 1.0};
    ck_assert_int_eq(lpc_normalize_to_u16(uids, d, 2, ou, ow, &on), LPC_ERR_RANGE);
    /* Largest double that still packs as float: 0x1.fffffefffffffp+127 -> FLT_MAX;
     * 0x1.ffffffp+127 raises OverflowError (python3 struct). */
    double q;
    ck_assert_int_eq(lpc_weights_quantize_f32(0x1.fffffefffffffp+127, &q), LPC_OK);
    ck_assert(q == (double)FLT_MAX);
    ck_assert_int_eq(lpc_weights_quantize_f32(0x1.ffffffp+127, &q), LPC_ERR_RANGE);
    ck_assert_int_eq(lpc_weights_quantize_f32(-0x1.ffffffp+127, &q), LPC_ERR_RANGE);
    double e[2] = {0x1.fffffefffffffp+127, 0x1.fffffep+126};
    ck_assert_int_eq(lpc_normalize_to_u16(uids, e, 2, ou, ow, &on), LPC_OK);
    ck_assert_uint_eq(on, 2);
    ck_assert_uint_eq(ow[0], 65535);
    ck_assert_uint_eq(ow[1], 32768);     /* round(32767.5) == 32768 */
    /* Cases where the binary32 step changes the result (found with python3:
     * struct.pack("!f") then round(w / m * 65535); without it the last
     * values would be 7113, 44754 and 39278). */
    static const struct { double w[3]; uint16_t want[3]; } f32cases[] = {
        { {0x1.1eda1568db3cap-1, 0x1.0b5a193e066ddp-1, 0x1.f21c939ec4a30p-5}, {65535, 61080, 7112} },
        { {0x1.724170fecc1eep-2, 0x1.e276ec330094dp-1, 0x1.4978f2d7b049ep-1}, {25147, 65535, 44753} },
        { {0x1.1701321233d06p-1, 0x1.329ad234aa9bcp-1, 0x1.d182ccc17d638p-1}, {39279, 43164, 65535} },
    };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(lpc_normalize_to_u16(uids, f32cases[i].w, 3, ou, ow, &on), LPC_OK);
        ck_assert_uint_eq(on, 3);
        for (size_t j = 0; j < 3; j++) ck_assert_uint_eq(ow[j], f32cases[i].want[j]);
    }
    /* Negative uid: _int(uid, "uid") raises. */
    int64_t neg[2] = {0, -1};
    double f[2] = {1.0, 1.0};
    ck_assert_int_eq(lpc_normalize_to_u16(neg, f, 2, ou, ow, &on), LPC_ERR_RANGE);
    /* Bad arguments. */
    ck_assert_int_eq(lpc_normalize_to_u16(NULL, f, 2, ou, ow, &on), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_normalize_to_u16(uids, f, 2, ou, ow, NULL), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_normalize_to_u16(uids, f, LPC_WEIGHTS_MAX_PAIRS + 1, ou, ow, &on),
                     LPC_ERR_TOO_LARGE);
    ck_assert_int_eq(lpc_weights_quantize_f32(1.0, NULL), LPC_ERR_ARG);
}
END_TEST

/* ---- tolerance ---- */

START_TEST(tolerance_vectors)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "weights_within_tolerance");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        size_t ne, na;
        lpc_weight_pair *e = load_pairs(lp_field(c, "expected"), &ne);
        lpc_weight_pair *a = load_pairs(lp_field(c, "actual"), &na);
        const lpc_value *want = lp_field(c, "within_tolerance");
        ck_assert_int_eq(want->type, LPC_BOOL);
        int got = -1;
        ck_assert_int_eq(lpc_weights_within_tolerance(e, ne, a, na, lp_field_i64(c, "tolerance"), &got),
                         LPC_OK);
        ck_assert_msg(got == want->u.b, "%s: got %d", lp_field_str(c, "name"), got);
        /* The relation is symmetric. */
        ck_assert_int_eq(lpc_weights_within_tolerance(a, na, e, ne, lp_field_i64(c, "tolerance"), &got),
                         LPC_OK);
        ck_assert_msg(got == want->u.b, "%s (swapped): got %d", lp_field_str(c, "name"), got);
        free(e);
        free(a);
    }
    lpc_free(doc);
}
END_TEST

/* Python: a dict keeps the last weight of a repeated uid; abs() on ints. */
START_TEST(tolerance_edges)
{
    int r = -1;
    const lpc_weight_pair dup[] = { {1, 5}, {1, 1000} }, one[] = { {1, 1000} };
    ck_assert_int_eq(lpc_weights_within_tolerance(dup, 2, one, 1, 1, &r), LPC_OK);
    ck_assert_int_eq(r, 1);
    const lpc_weight_pair dup2[] = { {1, 1000}, {1, 5} };
    ck_assert_int_eq(lpc_weights_within_tolerance(dup2, 2, one, 1, 1, &r), LPC_OK);
    ck_assert_int_eq(r, 0);
    /* |INT64_MAX - INT64_MIN| = 2^64 - 1 > INT64_MAX: no overflow, not within. */
    const lpc_weight_pair hi[] = { {0, INT64_MAX} }, lo[] = { {0, INT64_MIN} };
    ck_assert_int_eq(lpc_weights_within_tolerance(hi, 1, lo, 1, INT64_MAX, &r), LPC_OK);
    ck_assert_int_eq(r, 0);
    /* Negative tolerance: abs(x) > tol always, so any uid fails; empty passes. */
    ck_assert_int_eq(lpc_weights_within_tolerance(one, 1, one, 1, -1, &r), LPC_OK);
    ck_assert_int_eq(r, 0);
    ck_assert_int_eq(lpc_weights_within_tolerance(NULL, 0, NULL, 0, -1, &r), LPC_OK);
    ck_assert_int_eq(r, 1);
    /* A dropped weight of 2 is beyond ±1. */
    const lpc_weight_pair two[] = { {1, 2}, {5, 2000} }, rest[] = { {5, 2000} };
    ck_assert_int_eq(lpc_weights_within_tolerance(two, 2, rest, 1, LPC_AUDITOR_WEIGHT_TOLERANCE, &r),
                     LPC_OK);
    ck_assert_int_eq(r, 0);
    ck_assert_int_eq(lpc_weights_within_tolerance(NULL, 1, one, 1, 1, &r), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_weights_within_tolerance(one, 1, one, 1, 1, NULL), LPC_ERR_ARG);
}
END_TEST

/* ---- u16_to_emit_floats ---- */

START_TEST(emit_floats_vectors)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "u16_to_emit_floats");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        size_t n;
        int64_t *w64 = load_i64s(lp_field(c, "weights_u16"), &n);
        uint16_t *w = calloc(n + 1, sizeof *w);
        double *f = calloc(n + 1, sizeof *f);
        int64_t *uids = calloc(n + 1, sizeof *uids), *ou = calloc(n + 1, sizeof *ou);
        uint16_t *ow = calloc(n + 1, sizeof *ow);
        ck_assert(w && f && uids && ou && ow);
        for (size_t j = 0; j < n; j++) {
            ck_assert(w64[j] >= 0 && w64[j] <= 65535);
            w[j] = (uint16_t)w64[j];
            uids[j] = (int64_t)j;
        }
        ck_assert_int_eq(lpc_u16_to_emit_floats(w, n, f), LPC_OK);
        const lpc_value *fh = lp_field(c, "floats_hex"), *fr = lp_field(c, "floats_repr");
        ck_assert_uint_eq(fh->u.a.n, n);
        for (size_t j = 0; j < n; j++) {
            assert_same_bits(f[j], hexf(lpc_at(fh, j)), name, j);
            char r[LPC_REPR_MAX];
            lpc_float_repr(f[j], r);
            ck_assert_str_eq(r, lpc_at(fr, j)->u.s.ptr);
        }
        /* round_trip_u16 = normalize_to_u16 of those floats (weights only). */
        size_t on = 0, nr;
        ck_assert_int_eq(lpc_normalize_to_u16(uids, f, n, ou, ow, &on), LPC_OK);
        int64_t *rt = load_i64s(lp_field(c, "round_trip_u16"), &nr);
        ck_assert_msg(on == nr, "%s: round trip has %zu values, want %zu", name, on, nr);
        for (size_t j = 0; j < nr; j++) ck_assert_int_eq(ow[j], rt[j]);
        free(rt); free(w64); free(w); free(f); free(uids); free(ou); free(ow);
    }
    lpc_free(doc);
}
END_TEST

/* python3: (1/3).hex() == 0x1.5555555555555p-2, (2/3).hex() == 0x1.5555555555555p-1 */
START_TEST(emit_floats_edges)
{
    const uint16_t w[2] = {1, 2};
    double f[2];
    ck_assert_int_eq(lpc_u16_to_emit_floats(w, 2, f), LPC_OK);
    assert_same_bits(f[0], 0x1.5555555555555p-2, "third", 0);
    assert_same_bits(f[1], 0x1.5555555555555p-1, "third", 1);
    ck_assert_int_eq(lpc_u16_to_emit_floats(NULL, 2, f), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_u16_to_emit_floats(w, 2, NULL), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_u16_to_emit_floats(NULL, 0, NULL), LPC_OK);
}
END_TEST

/* ---- normalize_chain_weights / filters ---- */

START_TEST(chain_weights_vectors)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "normalize_chain_weights");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        const lpc_value *raw = lp_field(c, "raw_pairs"), *types = lp_field(c, "raw_types");
        size_t n = raw->u.a.n, got_n = 99;
        lpc_chain_pair *in = calloc(n + 1, sizeof *in);
        lpc_weight_pair *out = calloc(n + 1, sizeof *out);
        ck_assert(in && out);
        ck_assert_int_eq(lpc_chain_pairs_from_json(raw, in, n, &got_n), LPC_OK);
        ck_assert_uint_eq(got_n, n);
        ck_assert_uint_eq(types->u.a.n, n);
        for (size_t j = 0; j < n; j++)   /* the lexical int/float type survives */
            ck_assert_int_eq(in[j].is_float, lpc_str_eq(lpc_at(types, j), "float"));
        size_t on = 99;
        ck_assert_int_eq(lpc_normalize_chain_weights(in, n, out, &on), LPC_OK);
        assert_pairs_eq(out, on, lp_field(c, "normalized"), name);
        ck_assert_int_eq(lpc_filter_nonzero(out, on, out, &on), LPC_OK);   /* in place */
        assert_pairs_eq(out, on, lp_field(c, "nonzero"), name);
        free(in);
        free(out);
    }
    lpc_free(doc);
}
END_TEST

/* chain.py zips the original uids with the zero-filtered weights.  Expected
 * values: python3 restatement of convert_weights_and_uids_for_emit (struct
 * float32, max-upscale, round) followed by sorted(zip(uids, w16)). */
START_TEST(chain_weights_zip_misalignment)
{
    const lpc_chain_pair a[] = { {0, 1, 0, 1.0}, {1, 1, 0, 0.0}, {2, 1, 0, 0.5} };
    const lpc_chain_pair b[] = { {5, 1, 0, 1.0}, {3, 1, 0, 0.0}, {1, 1, 0, 0.5} };
    const lpc_chain_pair c[] = { {2, 0, 1, 0}, {1, 1, 0, 1e-9}, {0, 0, 3, 0} };
    lpc_weight_pair out[3];
    size_t on;
    ck_assert_int_eq(lpc_normalize_chain_weights(a, 3, out, &on), LPC_OK);
    ck_assert_uint_eq(on, 2);
    ck_assert(out[0].uid == 0 && out[0].weight == 65535 && out[1].uid == 1 && out[1].weight == 32768);
    ck_assert_int_eq(lpc_normalize_chain_weights(b, 3, out, &on), LPC_OK);
    ck_assert_uint_eq(on, 2);
    ck_assert(out[0].uid == 3 && out[0].weight == 32768 && out[1].uid == 5 && out[1].weight == 65535);
    ck_assert_int_eq(lpc_normalize_chain_weights(c, 3, out, &on), LPC_OK);
    ck_assert_uint_eq(on, 2);
    ck_assert(out[0].uid == 1 && out[0].weight == 65535 && out[1].uid == 2 && out[1].weight == 21845);
    /* Float path errors: negative weight, negative uid. */
    const lpc_chain_pair d[] = { {0, 1, 0, 0.5}, {1, 1, 0, -0.5} };
    ck_assert_int_eq(lpc_normalize_chain_weights(d, 2, out, &on), LPC_ERR_NEGATIVE_WEIGHT);
    const lpc_chain_pair e[] = { {-1, 1, 0, 0.5} };
    ck_assert_int_eq(lpc_normalize_chain_weights(e, 1, out, &on), LPC_ERR_RANGE);
    /* Int path passes anything through (no check in Python). */
    const lpc_chain_pair f[] = { {4, 0, -7, 0}, {-1, 0, 70000, 0} };
    ck_assert_int_eq(lpc_normalize_chain_weights(f, 2, out, &on), LPC_OK);
    ck_assert_uint_eq(on, 2);
    ck_assert(out[0].uid == -1 && out[0].weight == 70000 && out[1].uid == 4 && out[1].weight == -7);
    ck_assert_int_eq(lpc_normalize_chain_weights(NULL, 2, out, &on), LPC_ERR_ARG);
}
END_TEST

static lpc_value *parse_str(const char *s)
{
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse((const uint8_t *)s, strlen(s), &v, NULL), LPC_OK);
    return v;
}

START_TEST(chain_pairs_from_json_rejects)
{
    static const struct { const char *json; lpc_err want; } cases[] = {
        { "[[0,true]]", LPC_ERR_TYPE },
        { "[[\"0\",1]]", LPC_ERR_TYPE },
        { "[[0.0,1]]", LPC_ERR_TYPE },
        { "[[0,1,2]]", LPC_ERR_TYPE },
        { "[[0]]", LPC_ERR_TYPE },
        { "[0]", LPC_ERR_TYPE },
        { "{}", LPC_ERR_TYPE },
        { "[[18446744073709551616,1]]", LPC_ERR_RANGE },
        { "[[0,-9223372036854775809]]", LPC_ERR_RANGE },
        { "[[0,null]]", LPC_ERR_TYPE },
    };
    lpc_chain_pair out[4];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lpc_value *v = parse_str(cases[i].json);
        size_t n = 7;
        ck_assert_msg(lpc_chain_pairs_from_json(v, out, 4, &n) == cases[i].want, "%s", cases[i].json);
        ck_assert_uint_eq(n, 0);
        lpc_free(v);
    }
    lpc_value *v = parse_str("[[0,1],[1,2.5]]");
    size_t n;
    ck_assert_int_eq(lpc_chain_pairs_from_json(v, out, 1, &n), LPC_ERR_ARG);   /* no room */
    ck_assert_int_eq(lpc_chain_pairs_from_json(v, out, 2, &n), LPC_OK);
    ck_assert(!out[0].is_float && out[0].i == 1 && out[1].is_float && out[1].f == 2.5);
    lpc_free(v);
}
END_TEST

START_TEST(filter_sparse_vector)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *c = lp_field(doc, "filter_sparse_weights");
    size_t n, on = 99;
    lpc_weight_pair *in = load_pairs(lp_field(c, "input"), &n);
    lpc_weight_pair *out = calloc(n + 1, sizeof *out);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(lpc_filter_sparse_weights(in, n, out, &on), LPC_OK);
    assert_pairs_eq(out, on, lp_field(c, "output"), "filter_sparse_weights");
    /* In place gives the same. */
    ck_assert_int_eq(lpc_filter_sparse_weights(in, n, in, &on), LPC_OK);
    assert_pairs_eq(in, on, lp_field(c, "output"), "filter_sparse_weights in place");
    /* Negative weights are dropped too (w > 0); stable for duplicate uids. */
    lpc_weight_pair p[] = { {2, 3}, {1, -4}, {2, 1}, {0, 9} };
    ck_assert_int_eq(lpc_filter_sparse_weights(p, 4, p, &on), LPC_OK);
    ck_assert_uint_eq(on, 3);
    ck_assert(p[0].uid == 0 && p[1].uid == 2 && p[1].weight == 3 && p[2].uid == 2 && p[2].weight == 1);
    ck_assert_int_eq(lpc_filter_sparse_weights(NULL, 1, p, &on), LPC_ERR_ARG);
    free(in);
    free(out);
    lpc_free(doc);
}
END_TEST

/* ---- validate_weights_invariants ---- */

START_TEST(invariants_vectors)
{
    lpc_value *doc = lp_load_json_vector(WEIGHTS_VEC);
    const lpc_value *cases = lp_field(doc, "validate_weights_invariants");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        size_t nu, nw;
        int64_t *u = load_i64s(lp_field(c, "uids"), &nu);
        int64_t *w = load_i64s(lp_field(c, "weights_u16"), &nw);
        char msg[LPC_WEIGHTS_MSG_MAX];
        lpc_err e = lpc_validate_weights_invariants(u, nu, w, nw, msg);
        const lpc_value *valid = lp_field(c, "valid"), *err = lp_field(c, "error");
        if (valid->u.b) {
            ck_assert_msg(e == LPC_OK, "%s: %s", name, msg);
            ck_assert_int_eq(err->type, LPC_NULL);
            ck_assert_str_eq(msg, "");
        } else {
            ck_assert_msg(e == LPC_ERR_WEIGHTS_INVARIANT, "%s: %s", name, lpc_strerror(e));
            ck_assert_str_eq(msg, err->u.s.ptr);
        }
        free(u);
        free(w);
    }
    lpc_free(doc);
}
END_TEST

/* Python f-strings of the same messages (checked with python3). */
START_TEST(invariants_edges)
{
    char msg[LPC_WEIGHTS_MSG_MAX];
    const int64_t u[] = {INT64_MIN, 5}, w[] = {1, -1};
    ck_assert_int_eq(lpc_validate_weights_invariants(u, 2, w, 2, msg), LPC_ERR_WEIGHTS_INVARIANT);
    ck_assert_str_eq(msg, "Weight out of range [1, 65535]: weights[1]=-1 (uid=5)");
    const int64_t u2[] = {1, 2, INT64_MIN}, w2[] = {1, 1, 1};
    ck_assert_int_eq(lpc_validate_weights_invariants(u2, 3, w2, 3, msg), LPC_ERR_WEIGHTS_INVARIANT);
    ck_assert_str_eq(msg, "UIDs not strictly increasing: uids[1]=2, uids[2]=-9223372036854775808");
    const int64_t w3[] = {INT64_MAX};
    ck_assert_int_eq(lpc_validate_weights_invariants(u, 1, w3, 1, msg), LPC_ERR_WEIGHTS_INVARIANT);
    ck_assert_str_eq(msg, "Weight out of range [1, 65535]: weights[0]=9223372036854775807 "
                          "(uid=-9223372036854775808)");
    const int64_t ok_u[] = {0, 65535}, ok_w[] = {65535, 1};
    ck_assert_int_eq(lpc_validate_weights_invariants(ok_u, 2, ok_w, 2, NULL), LPC_OK);
    ck_assert_int_eq(lpc_validate_weights_invariants(NULL, 2, ok_w, 2, msg), LPC_ERR_ARG);
}
END_TEST

static Suite *weights_suite(void)
{
    Suite *s = suite_create("weights");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bundle_and_compare_hashes);
    tcase_add_test(tc, hash_extreme_integers);
    tcase_add_test(tc, hash_bad_arguments);
    tcase_add_test(tc, normalize_to_u16_vectors);
    tcase_add_test(tc, normalize_to_u16_edges);
    tcase_add_test(tc, tolerance_vectors);
    tcase_add_test(tc, tolerance_edges);
    tcase_add_test(tc, emit_floats_vectors);
    tcase_add_test(tc, emit_floats_edges);
    tcase_add_test(tc, chain_weights_vectors);
    tcase_add_test(tc, chain_weights_zip_misalignment);
    tcase_add_test(tc, chain_pairs_from_json_rejects);
    tcase_add_test(tc, filter_sparse_vector);
    tcase_add_test(tc, invariants_vectors);
    tcase_add_test(tc, invariants_edges);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(weights_suite)
