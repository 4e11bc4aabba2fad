/* compute_final_weights against vectors/leadpoet-v2/weights_v2.json `weight_computation`
 * (27 cases produced by Leadpoet's own functions, 10 of them raising): the config
 * document and hash, the result document byte for byte in CS-U, its hash and length,
 * the snapshot hash, every ordered sum of the trace (inputs and output bits), the
 * binary32 weights, and each error's class and message.  Then the binding entry
 * points (lpc_refcall) over the same cases, and hand-made refusals whose expected
 * messages come from the reference source (weight_computation.py at 5fe22c16). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_dump.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_weight_computation.h"
#include "tests/lp_test.h"

#define VEC "leadpoet-v2/weights_v2.json"

static lpc_value *g_vec;

static const lpc_value *cases(void)
{
    if (!g_vec) g_vec = lp_load_json_vector(VEC);
    const lpc_value *c = lp_field(g_vec, "weight_computation");
    ck_assert_int_eq(c->type, LPC_ARRAY);
    return c;
}

static char *csu(const lpc_value *v)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump_ex(v, LPC_PROFILE_CS_U, LPC_DUMP_SURROGATEPASS, &b), LPC_OK);
    if (!b.ptr) b.ptr = (uint8_t *)calloc(1, 1);
    return (char *)b.ptr;
}

/* Python float.hex() text -> double (C's strtod reads the same hexadecimal form). */
static double from_hex(const char *s)
{
    char *end;
    double d = strtod(s, &end);
    ck_assert_msg(*end == '\0', "bad float.hex %s", s);
    return d;
}

/* float.hex() writes every NaN as "nan": NaNs match whatever their sign and payload. */
static int same_bits(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

typedef struct {
    const lpc_value *want;   /* the case's trace[] */
    size_t next;
    const char *name;
    char fail[256];
} trace_check;

static void on_sum(void *ctx, lpc_wcomp_sum which, const double *in, size_t n, double out)
{
    trace_check *t = ctx;
    if (t->fail[0]) return;
    const lpc_value *e = lpc_at(t->want, t->next++);
    if (!e) {
        snprintf(t->fail, sizeof t->fail, "%s: extra sum %s", t->name, lpc_wcomp_sum_label(which));
        return;
    }
    if (!lpc_str_eq(lpc_get(e, "label"), lpc_wcomp_sum_label(which))) {
        snprintf(t->fail, sizeof t->fail, "%s: sum %zu is %s, want %s", t->name, t->next - 1,
                 lpc_wcomp_sum_label(which), lp_field_str(e, "label"));
        return;
    }
    const lpc_value *ins = lp_field(e, "inputs_hex");
    if (ins->u.a.n != n) {
        snprintf(t->fail, sizeof t->fail, "%s: %s has %zu inputs, want %zu", t->name, lpc_wcomp_sum_label(which), n,
                 ins->u.a.n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!same_bits(in[i], from_hex(ins->u.a.items[i]->u.s.ptr))) {
            snprintf(t->fail, sizeof t->fail, "%s: %s input %zu is %a, want %s", t->name, lpc_wcomp_sum_label(which), i,
                     in[i], ins->u.a.items[i]->u.s.ptr);
            return;
        }
    if (!same_bits(out, from_hex(lp_field_str(e, "output_hex"))))
        snprintf(t->fail, sizeof t->fail, "%s: %s output %a, want %s", t->name, lpc_wcomp_sum_label(which), out,
                 lp_field_str(e, "output_hex"));
}

static int is_exotic(const lpc_value *c)
{
    const lpc_value *tags = lp_field(c, "tags");
    for (size_t i = 0; i < tags->u.a.n; i++)
        if (lpc_str_eq(tags->u.a.items[i], "exotic")) return 1;
    return 0;
}

static lp_code code_of_type(const char *type)
{
    if (strcmp(type, "WeightComputationError") == 0) return LP_CODE_WEIGHT_COMPUTATION_ERROR;
    if (strcmp(type, "ValueError") == 0) return LP_CODE_PYTHON_VALUE_ERROR;
    if (strcmp(type, "TypeError") == 0) return LP_CODE_PYTHON_TYPE_ERROR;
    return LP_CODE_INTERNAL;
}

START_TEST(config_document_and_hash)
{
    const lpc_value *cs = cases();
    ck_assert_uint_eq(cs->u.a.n, 27);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = cs->u.a.items[i];
        const char *name = lp_field_str(c, "name");
        lpc_value *doc = NULL;
        lpc_referr e;
        ck_assert_int_eq(lpc_weight_config_document(lp_field(c, "snapshot"), &doc, &e), LP_CODE_OK);
        char *got = csu(doc), *want = csu(lp_field(c, "config_document"));
        ck_assert_msg(strcmp(got, want) == 0, "%s: config document %s, want %s", name, got, want);
        free(got);
        free(want);
        lpc_free(doc);
        char h[LPC_SHA256_REF_SIZE];
        const lpc_value *hr = lp_field(c, "config_hash_recomputed");
        lp_code rc = lpc_weight_config_hash(lp_field(c, "snapshot"), h, &e);
        if (hr->type == LPC_NULL) {
            ck_assert_msg(rc != LP_CODE_OK, "%s: config hash computed where the reference raised", name);
        } else {
            ck_assert_int_eq(rc, LP_CODE_OK);
            ck_assert_msg(lpc_str_eq(hr, h), "%s: config hash %s, want %s", name, h, hr->u.s.ptr);
        }
    }
}
END_TEST

START_TEST(results_and_errors)
{
    const lpc_value *cs = cases();
    size_t passed = 0, raised = 0, exotic_refused = 0;
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = cs->u.a.items[i];
        const char *name = lp_field_str(c, "name");
        trace_check tc = {lp_field(c, "trace"), 0, name, ""};
        lpc_wcomp_trace tr = {on_sum, &tc};
        lpc_value *res = NULL;
        lpc_referr e;
        lp_code rc = lpc_compute_final_weights(lp_field(c, "snapshot"), &tr, &res, &e);
        const lpc_value *err = lp_field(c, "error");
        if (rc == LP_CODE_NON_CANONICAL_INPUT && is_exotic(c)) {
            /* allowed: refused with a clear message, never a different result */
            ck_assert_ptr_null(res);
            ck_assert_msg(e.message[0], "%s: refused without a message", name);
            exotic_refused++;
            continue;
        }
        ck_assert_msg(tc.fail[0] == '\0', "%s", tc.fail);
        ck_assert_msg(tc.next == lp_field(c, "trace")->u.a.n, "%s: %zu sums, want %zu", name, tc.next,
                      lp_field(c, "trace")->u.a.n);
        if (err->type != LPC_NULL) {
            const char *type = lp_field_str(err, "type"), *msg = lp_field_str(err, "message");
            ck_assert_msg(rc == code_of_type(type), "%s: code %s (%s), want %s", name, lp_code_name(rc), e.message, type);
            ck_assert_str_eq(e.type, type);
            ck_assert_msg(strcmp(e.message, msg) == 0, "%s: message '%s', want '%s'", name, e.message, msg);
            ck_assert_ptr_null(res);
            raised++;
            continue;
        }
        ck_assert_msg(rc == LP_CODE_OK, "%s: %s %s", name, lp_code_name(rc), e.message);
        char *got = csu(res), *want = csu(lp_field(c, "result"));
        ck_assert_msg(strcmp(got, want) == 0, "%s: result\n%.600s\nwant\n%.600s", name, got, want);
        ck_assert_uint_eq(strlen(got), (size_t)lp_field_i64(c, "result_canonical_json_length"));
        free(got);
        free(want);
        ck_assert(lpc_py_eq(res, lp_field(c, "result")));
        char h[LPC_SHA256_REF_SIZE];
        ck_assert_int_eq(lpc_wcomp_sha256_json(res, h, &e), LP_CODE_OK);
        ck_assert_str_eq(h, lp_field_str(c, "result_hash"));
        ck_assert_str_eq(lp_field_str(res, "snapshot_hash"), lp_field_str(c, "snapshot_hash"));
        ck_assert_int_eq(lpc_wcomp_sha256_json(lp_field(c, "snapshot"), h, &e), LP_CODE_OK);
        ck_assert_str_eq(h, lp_field_str(c, "snapshot_hash"));
        ck_assert_int_eq(lpc_weight_config_hash(lp_field(c, "snapshot"), h, &e), LP_CODE_OK);
        ck_assert_str_eq(h, lp_field_str(c, "config_hash"));
        /* the binary32 weights of the positive entries, in uid order */
        const lpc_value *q = lp_field(c, "trace_float32_quantized_hex");
        const lpc_value *tr5 = lpc_at(lp_field(c, "trace"), 4);
        if (tr5) {
            const lpc_value *ins = lp_field(tr5, "inputs_hex");
            ck_assert_uint_eq(ins->u.a.n, q->u.a.n);
            for (size_t k = 0; k < q->u.a.n; k++)
                ck_assert(same_bits(from_hex(q->u.a.items[k]->u.s.ptr), from_hex(ins->u.a.items[k]->u.s.ptr)));
        }
        lpc_free(res);
        passed++;
    }
    ck_assert_uint_eq(passed + exotic_refused, 17);
    ck_assert_uint_eq(raised, 10);
    ck_assert_uint_le(exotic_refused, 1);
}
END_TEST

/* A refusal must never be silent or look like a result: an altered copy of the first
 * passing case, changed one field at a time, and the reference's message for each. */
static lpc_value *base_snapshot(void)
{
    lpc_value *s = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(cases(), 0), "snapshot"), &s), LPC_OK);
    return s;
}

static void expect(lpc_value *snap, lp_code code, const char *type, const char *msg)
{
    lpc_value *res = NULL;
    lpc_referr e;
    lp_code rc = lpc_compute_final_weights(snap, NULL, &res, &e);
    ck_assert_msg(rc == code, "code %s (%s), want %s", lp_code_name(rc), e.message, lp_code_name(code));
    ck_assert_ptr_null(res);
    ck_assert_str_eq(e.type, type);
    ck_assert_str_eq(e.message, msg);
    lpc_free(snap);
}

static lpc_value *with(lpc_value *s, const char *key, const char *json)
{
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse((const uint8_t *)json, strlen(json), &v, NULL), LPC_OK);
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    lpc_free(v);
    ck_assert_int_eq(lpc_object_set(s, key, strlen(key), c), LPC_OK);
    return s;
}

START_TEST(refusals_outside_the_vectors)
{
    /* fields after the config hash check, so the hash stays valid */
    expect(with(base_snapshot(), "rolling_lead_count", "1e999"), LP_CODE_PYTHON_OVERFLOW_ERROR, "OverflowError",
           "cannot convert float infinity to integer");
    expect(with(base_snapshot(), "rolling_lead_count", "NaN"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "rolling_lead_count must be an integer");
    expect(with(base_snapshot(), "rolling_lead_count", "123456789012345678901234567890"), LP_CODE_NON_CANONICAL_INPUT,
           "NonCanonicalInput", "rolling_lead_count: an integer beyond int64 is not reproduced");
    expect(with(base_snapshot(), "fulfillment_share", "\"x\""), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "fulfillment_share must be numeric");
    expect(with(base_snapshot(), "fulfillment_share", "-0.5"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "fulfillment_share must be non-negative");
    expect(with(base_snapshot(), "fulfillment_share", "\"inf\""), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "fulfillment_share must be finite");
    expect(with(base_snapshot(), "banned_hotkeys", "7"), LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
           "'int' object is not iterable");
    expect(with(base_snapshot(), "rolling_scores", "{}"), LP_CODE_WEIGHT_COMPUTATION_ERROR, "WeightComputationError",
           "rolling_scores must be a list");
    expect(with(base_snapshot(), "rolling_scores", "[{\"hotkey\":\"a\",\"score\":1},{\"hotkey\":\"a\",\"score\":2}]"),
           LP_CODE_WEIGHT_COMPUTATION_ERROR, "WeightComputationError", "rolling score hotkey is duplicated");
    expect(with(base_snapshot(), "rolling_scores", "[{\"hotkey\":[1],\"score\":1}]"), LP_CODE_NON_CANONICAL_INPUT,
           "NonCanonicalInput", "rolling score hotkey: str() of a list or object is not reproduced");
    expect(with(base_snapshot(), "leaderboard_entries", "7"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "leaderboard inputs must be lists");
    expect(with(base_snapshot(), "research_lab_allocation_doc", "{\"lab_cap_percent\":[5]}"), LP_CODE_PYTHON_TYPE_ERROR,
           "TypeError", "float() argument must be a string or a real number, not 'list'");
    expect(with(base_snapshot(), "research_lab_allocation_doc", "{\"lab_cap_percent\":\"it's\"}"),
           LP_CODE_PYTHON_VALUE_ERROR, "ValueError", "could not convert string to float: \"it's\"");
    expect(with(base_snapshot(), "research_lab_allocation_doc", "{\"source_add_allocations\":3}"),
           LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "'int' object is not iterable");
    expect(with(base_snapshot(), "research_lab_receipt_unknown", "1"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "weight snapshot fields do not match the canonical schema");
    expect(with(base_snapshot(), "commit_sha", "\"ABCDEF0123456789abcdef0123456789abcdef01\""),
           LP_CODE_WEIGHT_COMPUTATION_ERROR, "WeightComputationError", "commit_sha must be a full Git object id");
    expect(with(base_snapshot(), "parent_receipt_hashes", "[\"SHA256:00\"]"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "parent_receipt_hashes are invalid");
    expect(with(base_snapshot(), "metagraph_hotkeys", "[\"a\", 1]"), LP_CODE_WEIGHT_COMPUTATION_ERROR,
           "WeightComputationError", "metagraph_hotkeys must be a list of strings");
    /* NaN outside the configuration: json.dumps(allow_nan=False) fails only at snapshot_hash */
    expect(with(base_snapshot(), "banned_lookup_ok", "NaN"), LP_CODE_WEIGHT_COMPUTATION_ERROR, "WeightComputationError",
           "weight value is not canonical JSON");
    expect(with(base_snapshot(), "banned_lookup_ok", "\"ab\\ud800\""), LP_CODE_PYTHON_VALUE_ERROR,
           "UnicodeEncodeError", "'utf-8' codec can't encode character '\\ud800' in position 43: surrogates not allowed");
    expect(with(base_snapshot(), "banned_lookup_ok", "\"ab\\udc00\\ud800\""), LP_CODE_PYTHON_VALUE_ERROR,
           "UnicodeEncodeError", "'utf-8' codec can't encode characters in position 43-44: surrogates not allowed");
    lpc_value *res = NULL;
    lpc_referr e;
    ck_assert_int_eq(lpc_compute_final_weights(NULL, NULL, &res, &e), LP_CODE_BAD_ARGUMENT);
    expect(with(lpc_new_object(), "x", "1"), LP_CODE_WEIGHT_COMPUTATION_ERROR, "WeightComputationError",
           "weight snapshot fields do not match the canonical schema");
}
END_TEST

/* The binding's entry points return what the reference returns. */
START_TEST(refcall_entry_points)
{
    lpc_refcall_fn cfw = lpc_refcall_find("weight_computation.compute_final_weights");
    lpc_refcall_fn doc = lpc_refcall_find("weight_computation.weight_config_document");
    lpc_refcall_fn hash = lpc_refcall_find("weight_computation.weight_config_hash");
    lpc_refcall_fn sj = lpc_refcall_find("weight_computation.sha256_json");
    ck_assert(cfw && doc && hash && sj);
    ck_assert_ptr_null(lpc_refcall_find("weight_computation.no_such_function"));
    const lpc_value *cs = cases();
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = cs->u.a.items[i];
        lpc_value *args = lpc_new_array(), *snap = NULL, *out = NULL;
        ck_assert_int_eq(lpc_clone(lp_field(c, "snapshot"), &snap), LPC_OK);
        ck_assert_int_eq(lpc_array_append(args, snap), LPC_OK);
        lpc_referr e;
        lp_code rc = cfw(args, NULL, &out, &e);
        const lpc_value *err = lp_field(c, "error");
        if (err->type != LPC_NULL) {
            ck_assert_str_eq(e.message, lp_field_str(err, "message"));
        } else if (rc == LP_CODE_OK) {
            ck_assert(lpc_py_eq(out, lp_field(c, "result")));
        } else {
            ck_assert(is_exotic(c) && rc == LP_CODE_NON_CANONICAL_INPUT);
        }
        lpc_free(out);
        out = NULL;
        ck_assert_int_eq(doc(args, NULL, &out, &e), LP_CODE_OK);
        ck_assert(lpc_py_eq(out, lp_field(c, "config_document")));
        lpc_free(out);
        out = NULL;
        rc = hash(args, NULL, &out, &e);
        if (lp_field(c, "config_hash_recomputed")->type == LPC_NULL) ck_assert_int_ne(rc, LP_CODE_OK);
        else ck_assert(lpc_py_eq(out, lp_field(c, "config_hash_recomputed")));
        lpc_free(out);
        out = NULL;
        if (err->type == LPC_NULL) {
            ck_assert_int_eq(sj(args, NULL, &out, &e), LP_CODE_OK);
            ck_assert(lpc_str_eq(out, lp_field_str(c, "snapshot_hash")));
            lpc_free(out);
            out = NULL;
        }
        lpc_free(args);
    }
    /* a call without its argument is Python's TypeError */
    lpc_value *none = lpc_new_array(), *out = NULL;
    lpc_referr e;
    ck_assert_int_eq(cfw(none, NULL, &out, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.type, "TypeError");
    ck_assert_ptr_null(out);
    lpc_free(none);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("weight_computation");
    TCase *t = tcase_create("vectors");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, config_document_and_hash);
    tcase_add_test(t, results_and_errors);
    tcase_add_test(t, refusals_outside_the_vectors);
    tcase_add_test(t, refcall_entry_points);
    suite_add_tcase(s, t);
    return s;
}

LP_TEST_MAIN(suite)
