/* Certificate-path cases modelled on x509-limbo, each a Nitro-shaped attestation
 * document (vectors/nitro/x509/, README there), run through lpa_verify with the
 * case's own test root at the case's instant.  The expected result code comes from
 * index.json (limbo's verdict, or the Nitro profile where it is stricter or more
 * lenient, as the index says). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/nitro.h"
#include "tests/lp_test.h"

/* lpa_result is 44 KB: on the heap, one per test (fixture). */
static lpa_result *R;

static void result_new(void)
{
    R = calloc(1, sizeof *R);
    ck_assert_ptr_nonnull(R);
}

static void result_free(void)
{
    free(R);
    R = NULL;
}

static json_t *load_index(void)
{
    char path[512];
    const char *dir = getenv("LP_VECTORS") ? getenv("LP_VECTORS") : "vectors";
    snprintf(path, sizeof path, "%s/nitro/x509/index.json", dir);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    ck_assert_msg(j != NULL, "%s: %s", path, je.text);
    return j;
}

static const char *s_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    ck_assert_msg(json_is_string(v), "index field %s missing", k);
    return json_string_value(v);
}

START_TEST(limbo_cases)
{
    json_t *idx = load_index();
    json_t *cases = json_object_get(idx, "cases");
    ck_assert(json_is_array(cases));
    size_t i, n_ok = 0, n_fail = 0, n_limbo = 0, disagree = 0;
    json_t *c;
    json_array_foreach(cases, i, c) {
        const char *id = s_of(c, "id"), *file = s_of(c, "file"), *want = s_of(c, "expected_result");
        lpa_err want_code;
        ck_assert_msg(lpa_code_parse(want, &want_code) == 0, "%s: unknown code %s", id, want);
        /* file name says the verdict: <id>[_fail].cose */
        size_t fl = strlen(file);
        int named_fail = fl > 10 && !strcmp(file + fl - 10, "_fail.cose");
        ck_assert_msg(named_fail == (want_code != LPA_OK), "%s: file name and expected verdict disagree", id);
        if (json_is_string(json_object_get(c, "limbo_id"))) n_limbo++;
        size_t rl, dl;
        uint8_t *root = lp_unhex(s_of(c, "root_der_hex"), &rl);
        char rel[300];
        snprintf(rel, sizeof rel, "nitro/x509/%s", file);
        uint8_t *doc = lp_read_vector(rel, &dl);
        lpa_opts o = {LPA_AT_TIME, (int64_t)json_integer_value(json_object_get(c, "at")), root, rl};
        lpa_verify(doc, dl, &o, R);
        if (R->result != want_code) {
            disagree++;
            printf("x509: %s: got %s (%s), want %s\n", id, lpa_code(R->result), R->detail, want);
        }
        if (want_code == LPA_OK) n_ok++;
        else n_fail++;
        if (R->result == LPA_OK) ck_assert(!R->root_is_aws); /* reported as a test root */
        free(root);
        free(doc);
    }
    printf("x509: %zu cases (%zu from x509-limbo), %zu expected OK, %zu expected to fail, %zu disagree\n",
           n_ok + n_fail, n_limbo, n_ok, n_fail, disagree);
    ck_assert_uint_ge(n_ok + n_fail, 45);
    ck_assert_uint_ge(n_fail, n_ok);
    ck_assert_uint_eq(disagree, 0);
    json_decref(idx);
}
END_TEST

/* Under the pinned AWS root every case is UNTRUSTED_ROOT: a test root never
 * leaks into a default verification. */
START_TEST(limbo_cases_under_aws_root)
{
    json_t *idx = load_index();
    json_t *cases = json_object_get(idx, "cases");
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        size_t dl;
        char rel[300];
        snprintf(rel, sizeof rel, "nitro/x509/%s", s_of(c, "file"));
        uint8_t *doc = lp_read_vector(rel, &dl);
        lpa_opts o = {LPA_AT_TIME, (int64_t)json_integer_value(json_object_get(c, "at")), NULL, 0};
        lpa_verify(doc, dl, &o, R);
        ck_assert_msg(R->result == LPA_UNTRUSTED_ROOT, "%s: %s", s_of(c, "id"), lpa_code(R->result));
        free(doc);
    }
    json_decref(idx);
}
END_TEST

static Suite *x509_suite(void)
{
    Suite *s = suite_create("x509");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, result_new, result_free);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, limbo_cases);
    tcase_add_test(tc, limbo_cases_under_aws_root);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(x509_suite)
