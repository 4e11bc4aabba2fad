/* validate_weight_bundle_v2 against vectors/leadpoet-v2/weights_v2.json
 * `weight_bundles_v2_shadow` (5 valid bundles with the reference's return values, 19
 * tampered ones with its exceptions, every step of §4 failing at least once) and
 * `weight_bundle_v2` (the bundle of the older public file), directly and through the
 * binding's entry point. */
#include <stdio.h>
#include <string.h>

#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_weight_bundle_v2.h"
#include "tests/lp_test.h"

static lpc_value *g_vec;

static const lpc_value *section(const char *k)
{
    if (!g_vec) g_vec = lp_load_json_vector("leadpoet-v2/weights_v2.json");
    return lp_field(g_vec, k);
}

static int req(const lpc_value *c) { return lpc_py_truthy(lp_field(c, "require_allocation_ancestry")); }

START_TEST(valid_bundles)
{
    const lpc_value *v = lp_field(section("weight_bundles_v2_shadow"), "valid");
    ck_assert_uint_eq(v->u.a.n, 5);
    for (size_t i = 0; i < v->u.a.n; i++) {
        const lpc_value *c = v->u.a.items[i];
        lpc_value *r = NULL;
        lpc_referr e;
        lp_code rc = lpc_weight_bundle_v2_validate(lp_field(c, "bundle"), req(c), &r, &e);
        ck_assert_msg(rc == LP_CODE_OK, "%s: %s %s", lp_field_str(c, "name"), e.type, e.message);
        char path[128];
        ck_assert_msg(!lpc_py_first_difference(r, lp_field(c, "validate_result"), path, sizeof path), "%s: differs at %s",
                      lp_field_str(c, "name"), path);
        lpc_free(r);
    }
    const lpc_value *old = section("weight_bundle_v2");
    for (int want_req = 0; want_req < 2; want_req++) {
        lpc_value *r = NULL;
        lpc_referr e;
        ck_assert_int_eq(lpc_weight_bundle_v2_validate(lp_field(old, "bundle"), want_req, &r, &e), LP_CODE_OK);
        ck_assert(lpc_py_eq(r, lp_field(old, "validate_result")));
        lpc_free(r);
    }
}
END_TEST

static lp_code code_of(const char *type)
{
    if (!strcmp(type, "WeightBundleV2Error")) return LP_CODE_WEIGHT_BUNDLE_V2_ERROR;
    if (!strcmp(type, "WeightComputationError")) return LP_CODE_WEIGHT_COMPUTATION_ERROR;
    if (!strcmp(type, "ReceiptError")) return LP_CODE_RECEIPT_ERROR;
    return LP_CODE_INTERNAL;
}

START_TEST(tampered_bundles)
{
    const lpc_value *t = lp_field(section("weight_bundles_v2_shadow"), "tampered");
    ck_assert_uint_eq(t->u.a.n, 19);
    for (size_t i = 0; i < t->u.a.n; i++) {
        const lpc_value *c = t->u.a.items[i], *want = lp_field(c, "validate_error");
        lpc_value *r = NULL;
        lpc_referr e;
        lp_code rc = lpc_weight_bundle_v2_validate(lp_field(c, "bundle"), req(c), &r, &e);
        ck_assert_ptr_null(r);
        ck_assert_msg(rc == code_of(lp_field_str(want, "type")), "%s: %s (%s), want %s", lp_field_str(c, "name"),
                      lp_code_name(rc), e.message, lp_field_str(want, "type"));
        ck_assert_str_eq(e.type, lp_field_str(want, "type"));
        ck_assert_msg(strcmp(e.message, lp_field_str(want, "message")) == 0, "%s: '%s', want '%s'",
                      lp_field_str(c, "name"), e.message, lp_field_str(want, "message"));
    }
    /* the older file's tampered case, written "Type: message" */
    const lpc_value *old = section("weight_bundle_v2");
    for (size_t i = 0; i < t->u.a.n; i++) {
        const lpc_value *c = t->u.a.items[i];
        if (!lpc_str_eq(lp_field(c, "name"), "result_u16_plus_one")) continue;
        lpc_value *r = NULL;
        lpc_referr e;
        lpc_weight_bundle_v2_validate(lp_field(c, "bundle"), req(c), &r, &e);
        char line[320];
        snprintf(line, sizeof line, "%s: %s", e.type, e.message);
        ck_assert_str_eq(line, lp_field_str(old, "tampered_u16_error"));
    }
}
END_TEST

START_TEST(refcall_entry_point)
{
    lpc_refcall_fn f = lpc_refcall_find("weight_bundle_v2.validate_weight_bundle_v2");
    ck_assert_ptr_nonnull(f);
    const lpc_value *v = lp_field(section("weight_bundles_v2_shadow"), "valid");
    const lpc_value *t = lp_field(section("weight_bundles_v2_shadow"), "tampered");
    for (int k = 0; k < 2; k++) {
        const lpc_value *set = k ? t : v;
        for (size_t i = 0; i < set->u.a.n; i++) {
            const lpc_value *c = set->u.a.items[i];
            lpc_value *args = lpc_new_array(), *kw = lpc_new_object(), *b = NULL, *rq = NULL, *out = NULL;
            ck_assert_int_eq(lpc_clone(lp_field(c, "bundle"), &b), LPC_OK);
            ck_assert_int_eq(lpc_clone(lp_field(c, "require_allocation_ancestry"), &rq), LPC_OK);
            ck_assert_int_eq(lpc_array_append(args, b), LPC_OK);
            ck_assert_int_eq(lpc_object_set(kw, "require_allocation_ancestry", 27, rq), LPC_OK);
            lpc_referr e;
            lp_code rc = f(args, kw, &out, &e);
            if (k == 0) {
                ck_assert_int_eq(rc, LP_CODE_OK);
                ck_assert(lpc_py_eq(out, lp_field(c, "validate_result")));
            } else {
                ck_assert_str_eq(e.message, lp_field_str(lp_field(c, "validate_error"), "message"));
            }
            /* keyword-only and required, as in the reference */
            lpc_value *out2 = NULL;
            ck_assert_int_eq(f(args, NULL, &out2, &e), LP_CODE_BAD_ARGUMENT);
            ck_assert_str_eq(e.message, "validate_weight_bundle_v2() missing 1 required keyword-only argument: "
                                        "'require_allocation_ancestry'");
            lpc_free(out);
            lpc_free(args);
            lpc_free(kw);
        }
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("weight_bundle_v2");
    TCase *t = tcase_create("vectors");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, valid_bundles);
    tcase_add_test(t, tampered_bundles);
    tcase_add_test(t, refcall_entry_point);
    suite_add_tcase(s, t);
    return s;
}

LP_TEST_MAIN(suite)
