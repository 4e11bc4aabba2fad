/* The Subnet 46 zipcode-epoch replay (audit/sn46_replay.h) against
 * vectors/subnet46/cases: each of the 17 public epochs gives exactly its expected report
 * (Python == on the whole object, floats as exact doubles), and one mutation of a public
 * epoch per result code of §11.4, the expected code taken from the spec's rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sn46_replay.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"
#include "tests/lp_test.h"

static const char *const k_cases[] = {
    "p01-r1118-clean", "p02-r1118-participants", "p03-r1118-no-valid-miner", "p04-r1118-tier0",
    "p05-r1118-quantity-window", "p06-r1118-score-ulp", "p07-r1118-hash", "p08-r1118-weights",
    "p09-r1029-clean", "p10-r1029-sample", "p11-r1029-null-address", "p12-assign-tolerance",
    "p13-assign-cooldown", "p14-plan-95-5", "p15-plan-60-30-10-claim", "p16-r1118-lv-spotcheck",
    "p17-r1015-window"};

static lp_code replay_bytes(const uint8_t *b, size_t n, lpc_value **rep)
{
    lp_checks ck;
    lp_checks_init(&ck);
    lp_code c = lp_sn46_replay(b, n, NULL, &ck, rep);
    ck_assert_ptr_nonnull(*rep);
    /* the checks' verdict is the report's result (§11.4 precedence) */
    ck_assert_int_eq(lp_checks_verdict(&ck), c);
    lp_checks_free(&ck);
    return c;
}

START_TEST(public_epochs)
{
    for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
        char p[128];
        snprintf(p, sizeof p, "subnet46/cases/%s.input.json", k_cases[i]);
        size_t n;
        uint8_t *in = lp_read_vector(p, &n);
        snprintf(p, sizeof p, "subnet46/cases/%s.expected.json", k_cases[i]);
        lpc_value *want = lp_load_json_vector(p), *got = NULL;
        lp_code c = replay_bytes(in, n, &got);
        char path[256];
        ck_assert_msg(!lpc_py_first_difference(want, got, path, sizeof path), "%s: report differs at %s", k_cases[i], path);
        ck_assert_str_eq(lp_code_name(c), lp_field_str(want, "result"));
        lpc_free(want);
        lpc_free(got);
        free(in);
    }
}
END_TEST

/* ---- negatives: one mutation of a public epoch each -------------------------------- */

static lpc_value *load_case(const char *id)
{
    char p[128];
    snprintf(p, sizeof p, "subnet46/cases/%s.input.json", id);
    lpc_value *doc = lp_load_json_vector(p), *m = NULL;
    ck_assert_int_eq(lpc_clone(doc, &m), LPC_OK);
    lpc_free(doc);
    return m;
}

static lpc_value *mut(const lpc_value *v) { return (lpc_value *)(uintptr_t)v; }

static lpc_value *at(lpc_value *v, const char *path)
{
    /* "a.b.3.c": keys and array indices */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    lpc_value *cur = v;
    for (char *t = strtok(buf, "."); t; t = strtok(NULL, ".")) {
        cur = (t[0] >= '0' && t[0] <= '9') ? mut(lpc_at(cur, (size_t)atoi(t))) : mut(lpc_get(cur, t));
        ck_assert_msg(cur != NULL, "no %s in %s", t, path);
    }
    return cur;
}

static void set(lpc_value *root, const char *objpath, const char *key, lpc_value *v)
{
    lpc_value *o = objpath[0] ? at(root, objpath) : root;
    ck_assert_int_eq(lpc_object_set(o, key, strlen(key), v), LPC_OK);
}

static void del(lpc_value *root, const char *objpath, const char *key)
{
    lpc_value *o = objpath[0] ? at(root, objpath) : root;
    for (size_t i = 0; i < o->u.o.n; i++)
        if (strcmp(o->u.o.items[i].key, key) == 0) {
            lpc_free(o->u.o.items[i].val);
            free(o->u.o.items[i].key);
            memmove(&o->u.o.items[i], &o->u.o.items[i + 1], (o->u.o.n - i - 1) * sizeof o->u.o.items[0]);
            o->u.o.n--;
            return;
        }
    ck_abort_msg("no key %s", key);
}

static lp_code run(lpc_value *doc, lpc_value **rep)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(doc, LPC_PROFILE_DU_A, &b), LPC_OK);
    lpc_free(doc);
    lp_code c = replay_bytes(b.ptr, b.len, rep);
    lpc_buf_free(&b);
    return c;
}

static void expect(lpc_value *doc, lp_code want, const char *what)
{
    lpc_value *rep = NULL;
    lp_code c = run(doc, &rep);
    ck_assert_msg(c == want, "%s: %s, expected %s", what, lp_code_name(c), lp_code_name(want));
    ck_assert_str_eq(lp_field_str(rep, "result"), lp_code_name(want));
    ck_assert_int_eq(lp_field_i64(rep, "exit"), (int64_t)lp_code_exit(want));
    lpc_free(rep);
}

START_TEST(input_codes)
{
    lpc_value *d = load_case("p01-r1118-clean");
    del(d, "", "submissions");
    expect(d, LP_CODE_INPUT_MALFORMED, "no submissions");

    lpc_value *rep = NULL;
    ck_assert_int_eq(replay_bytes((const uint8_t *)"{\"format\":", 10, &rep), LP_CODE_INPUT_MALFORMED);
    lpc_free(rep);

    /* §6.8.3: no NaN/Infinity literals */
    d = load_case("p01-r1118-clean");
    set(d, "submissions.1.file.listings.0", "price", lpc_new_float(1.0 / 0.0));
    expect(d, LP_CODE_INPUT_MALFORMED, "Infinity literal");

    d = load_case("p01-r1118-clean");
    set(d, "", "profile", lpc_new_str("resi-2099-01-01", 15));
    expect(d, LP_CODE_UNSUPPORTED_INPUT, "unknown profile");

    /* 4097 neurons: one more than the cap */
    d = load_case("p01-r1118-clean");
    lpc_value *ns = at(d, "metagraph.neurons");
    for (int i = 256; i < 4097; i++) {
        lpc_value *n = NULL;
        ck_assert_int_eq(lpc_clone(lpc_at(ns, 3), &n), LPC_OK);
        ck_assert_int_eq(lpc_array_append(ns, n), LPC_OK);
    }
    expect(d, LP_CODE_INPUT_TOO_LARGE, "4097 neurons");

    /* 100 001 listings in one file; 100 001 submissions (§9 caps) */
    d = load_case("p01-r1118-clean");
    {
        lpc_value *ls = lpc_new_array();
        for (int i = 0; i < 100001; i++) lpc_array_append(ls, lpc_new_int(0));
        set(d, "submissions.0.file", "listings", ls);
    }
    expect(d, LP_CODE_INPUT_TOO_LARGE, "100001 listings");
    d = load_case("p01-r1118-clean");
    {
        lpc_value *ss = at(d, "submissions");
        while (ss->u.a.n < 100001) lpc_array_append(ss, lpc_new_int(0));
    }
    expect(d, LP_CODE_INPUT_TOO_LARGE, "100001 submissions");
    d = load_case("p01-r1118-clean");
    {
        lpc_value *zs = at(d, "assignment.zipcodes");
        while (zs->u.a.n < 4097) {
            lpc_value *z = NULL;
            lpc_clone(lpc_at(zs, 0), &z);
            lpc_array_append(zs, z);
        }
    }
    expect(d, LP_CODE_INPUT_TOO_LARGE, "4097 zipcodes");

    /* a scraped_timestamp outside the portable subset (lower-case t), §6.8.4 */
    d = load_case("p01-r1118-clean");
    set(d, "submissions.1.file.listings.0", "scraped_timestamp", lpc_new_str("2025-11-05t07:52:09+00:00", 25));
    expect(d, LP_CODE_UNSUPPORTED_INPUT, "lower-case t");

    /* a missing record for a submission that reaches tier 3 (§9) */
    d = load_case("p01-r1118-clean");
    del(d, "", "spot_checks");
    expect(d, LP_CODE_INPUT_MALFORMED, "no spot_checks");
}
END_TEST

START_TEST(early_stop_codes)
{
    /* §6.2: a missing submission_timestamp raises */
    lpc_value *d = load_case("p01-r1118-clean");
    del(d, "submissions.0.file", "submission_timestamp");
    expect(d, LP_CODE_SCORER_WOULD_RAISE, "missing submission_timestamp");

    /* §6.2: a string and a number among the values raise */
    d = load_case("p01-r1118-clean");
    set(d, "submissions.0.file", "submission_timestamp", lpc_new_int(0));
    expect(d, LP_CODE_SCORER_WOULD_RAISE, "mixed timestamp types");

    /* §6.4: a null address raises in the 2025-10-29 duplicate loop */
    d = load_case("p09-r1029-clean");
    set(d, "submissions.0.file.listings.0", "address", lpc_new_null());
    expect(d, LP_CODE_SCORER_WOULD_RAISE, "null address");

    /* §6.7: a record with one result for two indices */
    d = load_case("p01-r1118-clean");
    lpc_value *res = at(d, "spot_checks.0.results");
    lpc_free(res->u.a.items[1]);
    res->u.a.n = 1;
    expect(d, LP_CODE_SPOT_CHECK_RECORD_INVALID, "one result");

    /* an index beyond the entities */
    d = load_case("p01-r1118-clean");
    {
        lpc_value *a = lpc_new_array();
        lpc_array_append(a, lpc_new_int(1));
        lpc_array_append(a, lpc_new_int(9999));
        set(d, "spot_checks.0", "listing_indices", a);
    }
    expect(d, LP_CODE_SPOT_CHECK_RECORD_INVALID, "index out of range");

    /* §8: an lv-spotcheck-v1 record naming other listings */
    d = load_case("p16-r1118-lv-spotcheck");
    {
        lpc_value *a = lpc_new_array();
        lpc_array_append(a, lpc_new_int(0));
        lpc_array_append(a, lpc_new_int(1));
        set(d, "spot_checks.0", "listing_indices", a);
    }
    expect(d, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, "lv sample");

    /* §6.4 tier 3: a 2025-10-29 record off the seeded sample */
    d = load_case("p09-r1029-clean");
    {
        lpc_value *rec = at(d, "spot_checks.0");
        const lpc_value *li = lpc_get(rec, "listing_indices");
        int64_t a0, a1;
        lpc_int_i64(lpc_at(li, 0), &a0);
        lpc_int_i64(lpc_at(li, 1), &a1);
        lpc_value *a = lpc_new_array();
        int64_t alt = 0;
        while (alt == a0 || alt == a1) alt++;
        lpc_array_append(a, lpc_new_int(alt));
        lpc_array_append(a, lpc_new_int(a1));
        set(d, "spot_checks.0", "listing_indices", a);
    }
    expect(d, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, "seeded sample");
}
END_TEST

START_TEST(assignment_codes)
{
    lpc_value *d = load_case("p01-r1118-clean");
    set(d, "assignment", "nonce", lpc_new_str("42914F2CEE7D1D24", 16));
    expect(d, LP_CODE_ASSIGNMENT_INCONSISTENT, "upper-case nonce");

    d = load_case("p01-r1118-clean");
    set(d, "assignment", "epochId", lpc_new_str("2025-11-05T12-00-00", 19));
    expect(d, LP_CODE_ASSIGNMENT_INCONSISTENT, "epochId");

    d = load_case("p01-r1118-clean");
    set(d, "assignment", "targetListings", lpc_new_int(1000));
    expect(d, LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE, "target 1000");

    d = load_case("p01-r1118-clean");
    set(d, "selection_policy", "maxZipcodeListings", lpc_new_int(20));
    expect(d, LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS, "max 20");

    /* A4: a history epoch 4 h earlier with one of the zipcodes */
    d = load_case("p01-r1118-clean");
    {
        lpc_value *h = lpc_new_object(), *zs = lpc_new_array(), *z = lpc_new_object();
        lpc_object_set(h, "epochId", 7, lpc_new_str("2025-11-05T04-00-00", 19));
        lpc_object_set(h, "epochStart", 10, lpc_new_str("2025-11-05T04:00:00.000Z", 24));
        lpc_object_set(h, "nonce", 5, lpc_new_str("0123456789abcdef", 16));
        lpc_object_set(z, "zipcode", 7, lpc_new_str("21201", 5));
        lpc_object_set(z, "expectedListings", 16, lpc_new_int(20));
        lpc_array_append(zs, z);
        lpc_object_set(h, "zipcodes", 8, zs);
        lpc_array_append(at(d, "assignment_history"), h);
    }
    expect(d, LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION, "cooldown");

    /* exactly 24 h earlier is allowed */
    d = load_case("p01-r1118-clean");
    {
        lpc_value *h = lpc_new_object(), *zs = lpc_new_array();
        lpc_object_set(h, "epochId", 7, lpc_new_str("2025-11-04T08-00-00", 19));
        lpc_object_set(h, "epochStart", 10, lpc_new_str("2025-11-04T08:00:00.000Z", 24));
        lpc_object_set(h, "nonce", 5, lpc_new_str("0123456789abcdef", 16));
        lpc_array_append(zs, lpc_new_str("21201", 5));
        lpc_object_set(h, "zipcodes", 8, zs);
        lpc_array_append(at(d, "assignment_history"), h);
    }
    expect(d, LP_CODE_OK, "24 h earlier");

    /* an assignment code wins over a claim mismatch (§11.4) */
    d = load_case("p01-r1118-clean");
    set(d, "assignment", "targetListings", lpc_new_int(1000));
    set(d, "claimed.validation_result", "consensus_hash", lpc_new_str("00", 2));
    expect(d, LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE, "tolerance before hash");
}
END_TEST

START_TEST(claim_codes)
{
    lpc_value *d = load_case("p01-r1118-clean");
    expect(d, LP_CODE_OK, "unchanged");

    d = load_case("p01-r1118-clean");
    set(d, "claimed.validation_result.zipcode_results.0.winners.0", "rank", lpc_new_int(2));
    expect(d, LP_CODE_SCORE_MISMATCH, "winner rank");

    d = load_case("p01-r1118-clean");
    set(d, "claimed.validation_result", "epoch_nonce", lpc_new_str("0000000000000000", 16));
    expect(d, LP_CODE_SCORE_MISMATCH, "epoch_nonce");

    d = load_case("p01-r1118-clean");
    set(d, "claimed.validation_result", "consensus_hash",
        lpc_new_str("0000000000000000000000000000000000000000000000000000000000000000", 64));
    expect(d, LP_CODE_CONSENSUS_HASH_MISMATCH, "hash");

    /* weights: +1 is tolerated, +2 is not; a duplicate uid or unequal lengths fail */
    d = load_case("p01-r1118-clean");
    {
        lpc_value *w = at(d, "claimed.weights.weights_u16");
        int64_t x;
        lpc_int_i64(w->u.a.items[1], &x);
        lpc_free(w->u.a.items[1]);
        w->u.a.items[1] = lpc_new_int(x + 1);
    }
    lpc_value *rep = NULL;
    ck_assert_int_eq(run(d, &rep), LP_CODE_OK);
    ck_assert_str_eq(lp_field_str(lpc_at(lp_field(rep, "checks"), 6), "detail"), "within 1");
    lpc_free(rep);

    d = load_case("p01-r1118-clean");
    {
        lpc_value *w = at(d, "claimed.weights.weights_u16");
        int64_t x;
        lpc_int_i64(w->u.a.items[1], &x);
        lpc_free(w->u.a.items[1]);
        w->u.a.items[1] = lpc_new_int(x - 2);
    }
    expect(d, LP_CODE_WEIGHTS_MISMATCH, "u16 off by 2");

    d = load_case("p01-r1118-clean");
    {
        lpc_value *u = at(d, "claimed.weights.uids");
        lpc_free(u->u.a.items[2]);
        u->u.a.items[2] = lpc_new_int(41);
    }
    expect(d, LP_CODE_WEIGHTS_MISMATCH, "duplicate uid");

    /* plan: two claimed scores swapped */
    d = load_case("p14-plan-95-5");
    {
        lpc_value *ps = at(d, "claimed.plan_scores");
        lpc_value *t = ps->u.o.items[0].val;
        ps->u.o.items[0].val = ps->u.o.items[1].val;
        ps->u.o.items[1].val = t;
    }
    expect(d, LP_CODE_SCORE_MISMATCH, "plan swap");

    /* plan: a miner without nonce in a counted file is zeroed; a validator that paid it shows */
    d = load_case("p14-plan-95-5");
    set(d, "claimed.plan_scores", "5smqfVjEWXsht23cUfcyD1aiXJaXkCu4PXvshFhfX3Sg7cFU", lpc_new_float(0.05));
    expect(d, LP_CODE_SCORE_MISMATCH, "plan zeroed miner paid");
}
END_TEST


/* §10.3: process_weights' other branches on p01's scores */
START_TEST(weight_branches)
{
    /* below_min_allowed: positions, not uids, so the burn lands on uid 0 */
    lpc_value *d = load_case("p01-r1118-clean");
    set(d, "chain", "min_allowed_weights", lpc_new_int(10));
    del(d, "claimed", "weights");
    lpc_value *rep = NULL;
    ck_assert_int_eq(run(d, &rep), LP_CODE_OK);
    const lpc_value *w = lp_field(rep, "weights");
    ck_assert_str_eq(lp_field_str(w, "process_branch"), "below_min_allowed");
    ck_assert_uint_eq(lp_field(w, "processed_uids")->u.a.n, 256);
    int64_t u0, w0;
    lpc_int_i64(lpc_at(lp_field(w, "uids"), 0), &u0);
    lpc_int_i64(lpc_at(lp_field(w, "weights_u16"), 0), &w0);
    ck_assert_int_eq(u0, 0);
    ck_assert_int_eq(w0, 65535);
    ck_assert_uint_eq(lp_field(w, "uids")->u.a.n, 256); /* every uid keeps 1e-5 */
    lpc_free(rep);

    /* all_ones: n < min_allowed_weights gives every uid 65535 */
    d = load_case("p01-r1118-clean");
    set(d, "chain", "min_allowed_weights", lpc_new_int(300));
    del(d, "claimed", "weights");
    ck_assert_int_eq(run(d, &rep), LP_CODE_OK);
    w = lp_field(rep, "weights");
    ck_assert_str_eq(lp_field_str(w, "process_branch"), "all_ones");
    const lpc_value *wu = lp_field(w, "weights_u16");
    ck_assert_uint_eq(wu->u.a.n, 256);
    for (size_t i = 0; i < wu->u.a.n; i++) {
        int64_t x;
        lpc_int_i64(wu->u.a.items[i], &x);
        ck_assert_int_eq(x, 65535);
    }
    lpc_free(rep);

    /* a weight limit below 1.0 needs normalize_max_weight's capping path: refused */
    d = load_case("p01-r1118-clean");
    set(d, "chain", "max_weights_limit_u16", lpc_new_int(30000));
    expect(d, LP_CODE_UNSUPPORTED_INPUT, "max weight limit 30000");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sn46");
    TCase *t = tcase_create("vectors");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, public_epochs);
    tcase_add_test(t, input_codes);
    tcase_add_test(t, early_stop_codes);
    tcase_add_test(t, assignment_codes);
    tcase_add_test(t, claim_codes);
    tcase_add_test(t, weight_branches);
    suite_add_tcase(s, t);
    return s;
}

LP_TEST_MAIN(suite)
