/* Weighted consensus (spec §9) against Leadpoet's Python outputs in
 * vectors/leadpoet/consensus.json: every case under all four recorded
 * outputs, every field compared exactly (floats bit for bit).  Then the
 * order-dependence flags, checked against exhaustive reordering, and errors. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_consensus.h"
#include "canonical/lpc_json.h"
#include "tests/lp_test.h"

#define VEC "leadpoet/consensus.json"
#define MAXR 16

static lpc_value *parse_text(const char *s)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse((const uint8_t *)s, strlen(s), &v, &off);
    ck_assert_msg(e == LPC_OK, "parse '%s': %s at %zu", s, lpc_strerror(e), off);
    return v;
}

static int is_null_or_absent(const lpc_value *v) { return !v || v->type == LPC_NULL; }

/* Rows of a case.  prefilter: what the SQL WHERE decision IS NOT NULL AND
 * rep_score IS NOT NULL did before the db path saw the rows (the vector README:
 * "db paths receive pre-filtered rows"). */
static size_t load_rows(const lpc_value *c, int prefilter, lpc_cons_row *rows)
{
    const lpc_value *arr = lp_field(c, "evidence_rows_in_order");
    ck_assert_int_eq(arr->type, LPC_ARRAY);
    ck_assert_uint_le(arr->u.a.n, MAXR);
    size_t n = 0;
    for (size_t i = 0; i < arr->u.a.n; i++) {
        lpc_cons_row r;
        ck_assert_int_eq(lpc_cons_row_from_object(lpc_at(arr, i), NULL, &r), LPC_OK);
        if (prefilter && (is_null_or_absent(r.decision) || is_null_or_absent(r.rep_score))) continue;
        rows[n++] = r;
    }
    return n;
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static double want_float(const lpc_value *o, const char *k)
{
    const lpc_value *v = lp_field(o, k);
    ck_assert_msg(v->type == LPC_FLOAT, "vector %s is not a float", k);
    return v->u.f;
}

/* Compares every member of one recorded output with the result. */
static void check_output(const char *ctx, const lpc_value *want, const lpc_cons_result *got)
{
    unsigned seen = 0;
    for (size_t i = 0; i < want->u.o.n; i++) {
        const char *k = want->u.o.items[i].key;
        const lpc_value *v = want->u.o.items[i].val;
        if (!strcmp(k, "lead_id") || !strcmp(k, "epoch_id")) {
            continue;  /* echoed call arguments, not computed */
        } else if (!strcmp(k, "final_decision")) {
            ck_assert_msg(lpc_str_eq(v, got->final_decision), "%s final_decision %s", ctx, got->final_decision);
            ck_assert_int_eq(got->approve, lpc_str_eq(v, "approve"));
            seen |= 1;
        } else if (!strcmp(k, "final_rep_score")) {
            ck_assert_msg(same_bits(got->final_rep_score, want_float(want, k)), "%s rep %.17g", ctx,
                          got->final_rep_score);
            seen |= 2;
        } else if (!strcmp(k, "primary_rejection_reason")) {
            ck_assert_int_eq(v->type, LPC_STR);
            ck_assert_msg(got->primary_reason_len == v->u.s.len &&
                          memcmp(got->primary_reason, v->u.s.ptr, v->u.s.len) == 0,
                          "%s reason got '%.*s'", ctx, (int)got->primary_reason_len, got->primary_reason);
            seen |= 4;
        } else if (!strcmp(k, "validator_count")) {
            ck_assert_msg((int64_t)got->validator_count == lp_field_i64(want, k), "%s count", ctx);
            seen |= 8;
        } else if (!strcmp(k, "consensus_weight")) {
            ck_assert_msg(same_bits(got->consensus_weight, want_float(want, k)), "%s weight %.17g", ctx,
                          got->consensus_weight);
            seen |= 16;
        } else if (!strcmp(k, "approval_ratio")) {
            ck_assert_msg(same_bits(got->approval_ratio, want_float(want, k)), "%s ratio %.17g", ctx,
                          got->approval_ratio);
            seen |= 32;
        } else {
            ck_abort_msg("%s: unexpected output field %s", ctx, k);
        }
    }
    ck_assert_msg(seen == 63, "%s: output lacks a field (%u)", ctx, seen);
}

static const struct {
    const char *key;
    lpc_cons_rules rules;
    lpc_cons_path path;
    int prefilter;
} OUTPUTS[] = {
    {"current_evidence_data_path", LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, 0},
    {"current_db_path", LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, 1},
    {"v1_2025-12-15_weighted_db_8db521b0", LPC_CONS_RULES_2025_12_15, LPC_CONS_PATH_DB, 1},
    {"v1_2025-11-13_counter_mode_cc40ec19", LPC_CONS_RULES_2025_11_13, LPC_CONS_PATH_DB, 1},
};
#define N_OUTPUTS (sizeof OUTPUTS / sizeof OUTPUTS[0])

START_TEST(every_case_every_output)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cases = lp_field(doc, "cases");
    size_t checked = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        size_t outs = 0;
        for (size_t m = 0; m < c->u.o.n; m++) {
            const char *k = c->u.o.items[m].key;
            if (!strcmp(k, "name") || !strcmp(k, "evidence_rows_in_order")) continue;
            size_t j = 0;
            while (j < N_OUTPUTS && strcmp(OUTPUTS[j].key, k)) j++;
            ck_assert_msg(j < N_OUTPUTS, "%s: unknown output %s", name, k);
            lpc_cons_row rows[MAXR];
            size_t n = load_rows(c, OUTPUTS[j].prefilter, rows);
            lpc_cons_reason work[MAXR];
            lpc_cons_result res;
            char ctx[160];
            snprintf(ctx, sizeof ctx, "%s/%s", name, k);
            lpc_err e = lpc_consensus(rows, n, OUTPUTS[j].rules, OUTPUTS[j].path, work, MAXR, &res);
            ck_assert_msg(e == LPC_OK, "%s: %s", ctx, lpc_strerror(e));
            check_output(ctx, c->u.o.items[m].val, &res);
            /* The same with the internally allocated table. */
            lpc_cons_result res2;
            ck_assert_int_eq(lpc_consensus(rows, n, OUTPUTS[j].rules, OUTPUTS[j].path, NULL, 0, &res2), LPC_OK);
            check_output(ctx, c->u.o.items[m].val, &res2);
            outs++;
            checked++;
        }
        ck_assert_msg(outs == N_OUTPUTS, "%s has %zu outputs", name, outs);
    }
    ck_assert_uint_eq(cases->u.a.n, 16);
    ck_assert_uint_eq(checked, 64);
    lpc_free(doc);
}
END_TEST

/* ---- order dependence ---- */

typedef struct {
    int approve;
    const char *reason;
    size_t rlen;
    double rep, weight, ratio;
    size_t count;
} outcome;

static outcome outcome_of(const lpc_cons_result *r)
{
    outcome o = {r->approve, r->primary_reason, r->primary_reason_len, r->final_rep_score,
                 r->consensus_weight, r->approval_ratio, r->validator_count};
    return o;
}

static int outcome_eq(const outcome *a, const outcome *b)
{
    return a->approve == b->approve && a->rlen == b->rlen && memcmp(a->reason, b->reason, a->rlen) == 0 &&
           same_bits(a->rep, b->rep) && same_bits(a->weight, b->weight) && same_bits(a->ratio, b->ratio) &&
           a->count == b->count;
}

/* Runs every permutation of rows (n <= 7).  Returns 1 when some order changes
 * the outcome; fails the test when that happens without the flags saying so. */
static int permutations_sound(const lpc_cons_row *rows, size_t n, lpc_cons_rules rules,
                              lpc_cons_path path, unsigned *base_flags)
{
    ck_assert_uint_le(n, 7);
    lpc_cons_result base;
    lpc_cons_reason work[MAXR];
    ck_assert_int_eq(lpc_consensus(rows, n, rules, path, work, MAXR, &base), LPC_OK);
    *base_flags = base.order_flags;
    outcome ob = outcome_of(&base);
    size_t idx[8], cnt[8] = {0};
    lpc_cons_row perm[8];
    for (size_t i = 0; i < n; i++) idx[i] = i;
    int differs = 0;
    /* Heap's algorithm, iterative. */
    size_t i = 1;
    while (i < n) {
        if (cnt[i] < i) {
            size_t j = (i % 2) ? cnt[i] : 0, t = idx[j];
            idx[j] = idx[i];
            idx[i] = t;
            for (size_t k = 0; k < n; k++) perm[k] = rows[idx[k]];
            lpc_cons_result r;
            ck_assert_int_eq(lpc_consensus(perm, n, rules, path, work, MAXR, &r), LPC_OK);
            outcome o = outcome_of(&r);
            if (!outcome_eq(&o, &ob)) {
                differs = 1;
                ck_assert_msg(base.order_flags & LPC_CONS_ORDER_MASK,
                              "outcome changes with row order but base flags are clear");
                ck_assert_msg(r.order_flags & LPC_CONS_ORDER_MASK,
                              "outcome changes with row order but permuted flags are clear");
            }
            cnt[i]++;
            i = 1;
        } else {
            cnt[i] = 0;
            i++;
        }
    }
    return differs;
}

START_TEST(vector_cases_reordered)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cases = lp_field(doc, "cases");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        for (size_t j = 0; j < N_OUTPUTS; j++) {
            lpc_cons_row rows[MAXR];
            size_t n = load_rows(c, OUTPUTS[j].prefilter, rows);
            unsigned fl;
            int differs = permutations_sound(rows, n, OUTPUTS[j].rules, OUTPUTS[j].path, &fl);
            const int tie_case = !strcmp(name, "reason_tie_first_seen_wins") ||
                                 !strcmp(name, "reason_tie_first_seen_wins_reversed");
            /* The two tie cases are the same rows in two orders with different
             * recorded reasons: the vectors themselves show the dependence. */
            if (tie_case) {
                ck_assert_msg(differs, "%s: reordering should change the reason", name);
                ck_assert_msg(fl & LPC_CONS_ORDER_REASON, "%s/%s: tie not flagged", name, OUTPUTS[j].key);
            }
            /* Integer-exact sums, clear majorities, distinct winners: no order matters. */
            /* (weighted_majority_deny in count mode is a 1-1 tie of two reasons.) */
            const int counter = OUTPUTS[j].rules == LPC_CONS_RULES_2025_11_13;
            if (!strcmp(name, "all_approve") || (!strcmp(name, "weighted_majority_deny") && !counter) ||
                !strcmp(name, "no_validations") || !strcmp(name, "tiny_majority") ||
                !strcmp(name, "null_decision_filtered") || !strcmp(name, "string_numeric_columns") ||
                !strcmp(name, "zero_total_weight"))
                ck_assert_msg((fl & LPC_CONS_ORDER_MASK) == 0, "%s/%s: flags %#x", name, OUTPUTS[j].key, fl);
            /* Ratio exactly 0.5 with exact sums: a tied vote, the same in every order. */
            if (!strcmp(name, "exact_half_is_deny")) {
                ck_assert(!differs);
                ck_assert_uint_eq(fl, LPC_CONS_INFO_EXACT_HALF);
            } else {
                ck_assert(!(fl & LPC_CONS_INFO_EXACT_HALF));
            }
            if (!strcmp(name, "weighted_majority_deny") && counter) {
                ck_assert(differs);
                ck_assert_uint_eq(fl, LPC_CONS_ORDER_REASON);
            }
            /* Count mode: two rows of one reason beat one row of another. */
            if (!strcmp(name, "count_vs_weight_differ"))
                ck_assert_uint_eq(fl & LPC_CONS_ORDER_MASK, 0);
        }
    }
    lpc_free(doc);
}
END_TEST

/* Rows built from doubles and strings for the crafted cases. */
typedef struct {
    lpc_value *v[MAXR][5];
    lpc_cons_row rows[MAXR];
    size_t n;
} rowset;

static void rs_add(rowset *s, const char *decision, double rep, const char *reason, double vt, double st)
{
    ck_assert_uint_lt(s->n, MAXR);
    lpc_value **v = s->v[s->n];
    v[0] = lpc_new_str(decision, strlen(decision));
    v[1] = lpc_new_int((int64_t)rep);
    v[2] = reason ? lpc_new_str(reason, strlen(reason)) : lpc_new_null();
    v[3] = lpc_new_float(vt);
    v[4] = lpc_new_float(st);
    lpc_cons_row r = {v[0], v[1], v[2], v[3], v[4]};
    s->rows[s->n++] = r;
}

static void rs_free(rowset *s)
{
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < 5; k++) lpc_free(s->v[i][k]);
    s->n = 0;
}

static lpc_cons_result run_rows(const lpc_cons_row *rows, size_t n, lpc_cons_rules rules)
{
    lpc_cons_result r;
    ck_assert_int_eq(lpc_consensus(rows, n, rules, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r), LPC_OK);
    return r;
}

/* Float addition is not associative, and the decision follows Python's order:
 * in Python 1e16 + 1.0 + 1.0 == 1e16 but 1.0 + 1.0 + 1e16 == 1.0000000000000002e16. */
START_TEST(crafted_decision_flip)
{
    rowset s = {0};
    rs_add(&s, "approve", 48, NULL, 1.0, 1e16);
    rs_add(&s, "approve", 48, NULL, 1.0, 1.0);
    rs_add(&s, "approve", 48, NULL, 1.0, 1.0);
    rs_add(&s, "deny", 0, "R", 1.0, 1e16);
    lpc_cons_result a = run_rows(s.rows, 4, LPC_CONS_RULES_CURRENT);
    /* wapp = 1e16, total = 2e16: ratio exactly 0.5, a deny. */
    ck_assert_int_eq(a.approve, 0);
    ck_assert(a.ratio_unrounded == 0.5);
    ck_assert(a.order_flags & LPC_CONS_ORDER_DECISION);
    lpc_cons_row r2[4] = {s.rows[1], s.rows[2], s.rows[0], s.rows[3]};
    lpc_cons_result b = run_rows(r2, 4, LPC_CONS_RULES_CURRENT);
    /* wapp = 1e16 + 2 > half of total: an approve. */
    ck_assert_int_eq(b.approve, 1);
    ck_assert(b.ratio_unrounded > 0.5);
    ck_assert(b.order_flags & LPC_CONS_ORDER_DECISION);
    unsigned fl;
    ck_assert(permutations_sound(s.rows, 4, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, &fl));
    rs_free(&s);
}
END_TEST

/* A tied vote from order-invariant sums is not order dependent, even when the
 * rep products round (3 * 0.1 == 0.30000000000000004 in Python). */
START_TEST(exact_half_inexact_products)
{
    rowset s = {0};
    rs_add(&s, "approve", 3, NULL, 1.0, 0.1);
    rs_add(&s, "deny", 7, "R", 1.0, 0.1);
    lpc_cons_result r = run_rows(s.rows, 2, LPC_CONS_RULES_CURRENT);
    ck_assert(!r.approve && r.ratio_unrounded == 0.5);
    ck_assert_uint_eq(r.order_flags, LPC_CONS_INFO_EXACT_HALF);
    /* A third row makes the total order dependent (0.1 + 0.05 + 0.05). */
    rs_free(&s);
    rs_add(&s, "approve", 3, NULL, 1.0, 0.1);
    rs_add(&s, "deny", 7, "R", 1.0, 0.05);
    rs_add(&s, "deny", 1, "R", 1.0, 0.05);
    r = run_rows(s.rows, 3, LPC_CONS_RULES_CURRENT);
    ck_assert(r.order_flags & LPC_CONS_ORDER_DECISION);
    unsigned fl;
    permutations_sound(s.rows, 3, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, &fl);
    rs_free(&s);
}
END_TEST

/* Reason weights equal or within reordering error: first seen decides. */
START_TEST(crafted_reason_ties)
{
    rowset s = {0};
    /* Python: 0.1 + 0.2 + 0.3 == 0.6000000000000001 but 0.3 + 0.2 + 0.1 == 0.6,
     * R2's single weight.  Which reason wins depends on the row order. */
    rs_add(&s, "deny", 0, "R1", 1.0, 0.1);
    rs_add(&s, "deny", 0, "R1", 1.0, 0.2);
    rs_add(&s, "deny", 0, "R1", 1.0, 0.3);
    rs_add(&s, "deny", 0, "R2", 1.0, 0.6);
    lpc_cons_result r = run_rows(s.rows, 4, LPC_CONS_RULES_CURRENT);
    ck_assert(r.order_flags & LPC_CONS_ORDER_REASON);
    ck_assert_uint_eq(r.primary_reason_len, 2);
    ck_assert(memcmp(r.primary_reason, "R1", 2) == 0);      /* 0.6000000000000001 > 0.6 */
    lpc_cons_row r2[4] = {s.rows[3], s.rows[2], s.rows[1], s.rows[0]};
    r = run_rows(r2, 4, LPC_CONS_RULES_CURRENT);
    ck_assert(memcmp(r.primary_reason, "R2", 2) == 0);      /* 0.6 == 0.6, R2 seen first */
    ck_assert(r.order_flags & LPC_CONS_ORDER_REASON);
    unsigned fl;
    ck_assert(permutations_sound(s.rows, 4, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, &fl));
    /* Count mode: R1 has three rows, R2 one: no tie. */
    r = run_rows(s.rows, 4, LPC_CONS_RULES_2025_11_13);
    ck_assert_uint_eq(r.order_flags & LPC_CONS_ORDER_MASK, 0);
    ck_assert(memcmp(r.primary_reason, "R1", 2) == 0);
    rs_free(&s);
    /* Two terms are summed alike in every order: 0.1 + 0.2 against 0.3 is no tie. */
    rs_add(&s, "deny", 0, "R1", 1.0, 0.1);
    rs_add(&s, "deny", 0, "R1", 1.0, 0.2);
    rs_add(&s, "deny", 0, "R2", 1.0, 0.3);
    r = run_rows(s.rows, 3, LPC_CONS_RULES_CURRENT);
    ck_assert_uint_eq(r.order_flags & LPC_CONS_ORDER_MASK, 0);
    ck_assert(!permutations_sound(s.rows, 3, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, &fl));
    rs_free(&s);
    /* Exact equal weights (integers): a true tie in weighted mode. */
    rs_add(&s, "deny", 0, "X", 2.0, 50.0);
    rs_add(&s, "deny", 0, "Y", 1.0, 100.0);
    rs_add(&s, "deny", 0, "Z", 1.0, 1.0);
    r = run_rows(s.rows, 3, LPC_CONS_RULES_CURRENT);
    ck_assert(r.order_flags & LPC_CONS_ORDER_REASON);
    ck_assert(memcmp(r.primary_reason, "X", 1) == 0);
    /* Count mode: three reasons, one row each. */
    r = run_rows(s.rows, 3, LPC_CONS_RULES_2025_11_13);
    ck_assert(r.order_flags & LPC_CONS_ORDER_REASON);
    /* Clear winner by weight (Y 100 vs Z 1) without X: not flagged. */
    r = run_rows(s.rows + 1, 2, LPC_CONS_RULES_CURRENT);
    ck_assert_uint_eq(r.order_flags & LPC_CONS_ORDER_MASK, 0);
    ck_assert(memcmp(r.primary_reason, "Y", 1) == 0);
    rs_free(&s);
}
END_TEST

/* Exhaustive reorderings of pseudo-random row sets built from values whose
 * sums round (0.1, 0.2, 0.3, 1e16, 0.005 ...): whenever any order changes
 * any output, the flags must have said so. */
static uint64_t xs(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

START_TEST(random_reorderings_sound)
{
    static const double pool[] = {0.1, 0.2, 0.3, 0.7, 1.0, 1e16, 3.0, 0.005, 0.5, 100.0000001, 2.0, 1e-3};
    static const char *reasons[] = {"A", "B", "{}", NULL, "unknown"};
    const size_t np = sizeof pool / sizeof pool[0];
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    size_t flips = 0, flagged = 0, sets = 0;
    for (int t = 0; t < 150; t++) {
        rowset s = {0};
        size_t n = 2 + xs(&seed) % 5;
        for (size_t i = 0; i < n; i++) {
            int ap = xs(&seed) % 2;
            rs_add(&s, ap ? "approve" : "deny", (double)(xs(&seed) % 49), reasons[xs(&seed) % 5],
                   pool[xs(&seed) % np], pool[xs(&seed) % np]);
        }
        for (int rules = 0; rules < 3; rules++) {
            unsigned fl;
            flips += (size_t)permutations_sound(s.rows, n, (lpc_cons_rules)rules, LPC_CONS_PATH_EVIDENCE, &fl);
            flagged += (fl & LPC_CONS_ORDER_MASK) != 0;
            sets++;
        }
        rs_free(&s);
    }
    /* The generator must actually produce order-dependent sets, and the flags
     * must not fire on everything. */
    ck_assert_uint_gt(flips, 20);
    ck_assert_uint_lt(flagged, sets);
}
END_TEST

START_TEST(counter_mode_missing_key_is_unknown)
{
    /* cc40ec19: v.get("rejection_reason", "unknown"); a null is skipped. */
    lpc_value *doc = parse_text(
        "[{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1.0,\"stake\":1.0},"
        " {\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1.0,\"stake\":1.0},"
        " {\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":\"X\",\"v_trust\":1.0,\"stake\":5.0},"
        " {\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,\"v_trust\":1.0,\"stake\":1.0},"
        " {\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,\"v_trust\":1.0,\"stake\":1.0},"
        " {\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":\"\",\"v_trust\":1.0,\"stake\":1.0}]");
    lpc_cons_row rows[6];
    for (size_t i = 0; i < 6; i++) ck_assert_int_eq(lpc_cons_row_from_object(lpc_at(doc, i), NULL, &rows[i]), LPC_OK);
    lpc_cons_result r;
    ck_assert_int_eq(lpc_consensus(rows, 6, LPC_CONS_RULES_2025_11_13, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_OK);
    ck_assert_uint_eq(r.primary_reason_len, 7);
    ck_assert(memcmp(r.primary_reason, "unknown", 7) == 0);
    ck_assert_uint_eq(r.n_reasons, 2);
    /* Weighted rules: absent means None, filtered; X wins. */
    ck_assert_int_eq(lpc_consensus(rows, 6, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_OK);
    ck_assert_uint_eq(r.primary_reason_len, 1);
    ck_assert(memcmp(r.primary_reason, "X", 1) == 0);
    ck_assert_uint_eq(r.n_reasons, 1);
    lpc_free(doc);
}
END_TEST

START_TEST(v_score_column)
{
    /* Before cc40ec19 the column was v_score. */
    lpc_value *o = parse_text("{\"decision\":\"approve\",\"rep_score\":7,\"v_score\":\"0.5\",\"stake\":4}");
    lpc_cons_row r;
    ck_assert_int_eq(lpc_cons_row_from_object(o, "v_score", &r), LPC_OK);
    lpc_cons_result res;
    ck_assert_int_eq(lpc_consensus(&r, 1, LPC_CONS_RULES_2025_11_13, LPC_CONS_PATH_DB, NULL, 0, &res), LPC_OK);
    ck_assert(res.consensus_weight == 2.0 && res.final_rep_score == 7.0 && res.approve);
    ck_assert_int_eq(lpc_cons_row_from_object(o, NULL, &r), LPC_OK);
    ck_assert_ptr_null(r.v_trust);
    ck_assert_int_eq(lpc_consensus(&r, 1, LPC_CONS_RULES_2025_11_13, LPC_CONS_PATH_DB, NULL, 0, &res),
                     LPC_ERR_MISSING);
    lpc_value *arr = parse_text("[]");
    ck_assert_int_eq(lpc_cons_row_from_object(arr, NULL, &r), LPC_ERR_TYPE);
    lpc_free(arr);
    lpc_free(o);
}
END_TEST

/* Rows on which the Python function raises must give an error, naming the row. */
START_TEST(python_errors)
{
    static const struct {
        const char *row;
        lpc_cons_path path;
        lpc_err want;
    } bad[] = {
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":null,\"stake\":1}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_TYPE},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"stake\":1}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_MISSING},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_MISSING},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":\"abc\"}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_NOT_FLOAT},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":\"1,5\"}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_NOT_FLOAT},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":\"\"}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_NOT_FLOAT},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":\"\\uff11\"}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_UNSUPPORTED},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":[1]}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_TYPE},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":{}}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_TYPE},
        {"{\"decision\":\"deny\",\"rep_score\":\"x\",\"v_trust\":1,\"stake\":1}", LPC_CONS_PATH_EVIDENCE, LPC_ERR_NOT_FLOAT},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"v_trust\":1,\"stake\":1"
         "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}",
         LPC_CONS_PATH_EVIDENCE, LPC_ERR_RANGE},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":{\"m\":1},\"v_trust\":1,\"stake\":1}",
         LPC_CONS_PATH_EVIDENCE, LPC_ERR_TYPE},
        {"{\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":5,\"v_trust\":1,\"stake\":1}",
         LPC_CONS_PATH_DB, LPC_ERR_TYPE},
        /* db path: the SQL filter is not repeated here */
        {"{\"rep_score\":0,\"v_trust\":1,\"stake\":1}", LPC_CONS_PATH_DB, LPC_ERR_MISSING},
        {"{\"decision\":\"deny\",\"rep_score\":null,\"v_trust\":1,\"stake\":1}", LPC_CONS_PATH_DB, LPC_ERR_TYPE},
        {"{\"decision\":\"deny\",\"v_trust\":1,\"stake\":1}", LPC_CONS_PATH_DB, LPC_ERR_MISSING},
    };
    lpc_value *good = parse_text("{\"decision\":\"approve\",\"rep_score\":1,\"v_trust\":1,\"stake\":1}");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lpc_value *b = parse_text(bad[i].row);
        lpc_cons_row rows[2];
        lpc_cons_row_from_object(good, NULL, &rows[0]);
        lpc_cons_row_from_object(b, NULL, &rows[1]);
        for (int rules = 0; rules < 3; rules++) {
            lpc_cons_result r;
            lpc_err e = lpc_consensus(rows, 2, (lpc_cons_rules)rules, bad[i].path, NULL, 0, &r);
            ck_assert_msg(e == bad[i].want, "case %zu rules %d: got %s want %s", i, rules, lpc_errname(e),
                          lpc_errname(bad[i].want));
            ck_assert_uint_eq(r.err_row, 1);
            ck_assert_uint_eq(r.validator_count, 0);
        }
        lpc_free(b);
    }
    lpc_free(good);
}
END_TEST

/* Values Python accepts, checked against Python's own semantics. */
START_TEST(python_accepts)
{
    /* Approve rows are never asked for a reason, so any type passes there;
     * bool and numeric-string columns go through float(). */
    lpc_value *doc = parse_text(
        "[{\"decision\":\"approve\",\"rep_score\":true,\"rejection_reason\":{\"x\":[1]},\"v_trust\":true,\"stake\":\" 1_0 \"},"
        " {\"decision\":null,\"rep_score\":3,\"v_trust\":1,\"stake\":1},"
        " {\"decision\":\"deny\",\"v_trust\":1,\"stake\":1}]");
    lpc_cons_row rows[3];
    for (size_t i = 0; i < 3; i++) lpc_cons_row_from_object(lpc_at(doc, i), NULL, &rows[i]);
    lpc_cons_result r;
    /* evidence path: rows 1 and 2 are dropped (decision null / rep_score absent). */
    ck_assert_int_eq(lpc_consensus(rows, 3, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r), LPC_OK);
    ck_assert_uint_eq(r.validator_count, 1);
    ck_assert(r.approve && r.consensus_weight == 10.0 && r.final_rep_score == 1.0);
    /* db path with a null decision: None != "approve", so a deny (no reason). */
    ck_assert_int_eq(lpc_consensus(rows, 2, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_OK);
    ck_assert_uint_eq(r.validator_count, 2);
    ck_assert(r.approve);                                   /* 10 / 11 */
    ck_assert(r.approval_ratio == 0.9091);
    lpc_free(doc);
    /* Every decision other than exactly "approve" is a deny; a number too. */
    doc = parse_text("[{\"decision\":1,\"rep_score\":0,\"rejection_reason\":\"R\",\"v_trust\":1,\"stake\":1}]");
    lpc_cons_row_from_object(lpc_at(doc, 0), NULL, &rows[0]);
    ck_assert_int_eq(lpc_consensus(rows, 1, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r), LPC_OK);
    ck_assert(!r.approve && r.primary_reason_len == 1 && r.primary_reason[0] == 'R');
    lpc_free(doc);
}
END_TEST

START_TEST(limits_and_arguments)
{
    lpc_cons_result r;
    lpc_cons_reason work[2];
    ck_assert_int_eq(lpc_consensus(NULL, 0, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_OK);
    ck_assert(r.primary_reason_len == 14 && memcmp(r.primary_reason, "no_validations", 14) == 0);
    ck_assert(!r.approve && r.validator_count == 0 && r.order_flags == 0);
    ck_assert_int_eq(lpc_consensus(NULL, 1, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_consensus(NULL, 0, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, NULL), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_consensus(NULL, 0, (lpc_cons_rules)7, LPC_CONS_PATH_DB, NULL, 0, &r), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_consensus(NULL, 0, LPC_CONS_RULES_CURRENT, (lpc_cons_path)9, NULL, 0, &r), LPC_ERR_ARG);
    lpc_cons_row rows[3] = {{0}};
    ck_assert_int_eq(lpc_consensus(rows, 3, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, work, 2, &r), LPC_ERR_ARG);
    lpc_cons_row *many = calloc(LPC_CONS_MAX_ROWS + 1, sizeof *many);
    ck_assert_ptr_nonnull(many);
    ck_assert_int_eq(lpc_consensus(many, LPC_CONS_MAX_ROWS + 1, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_DB, NULL, 0, &r),
                     LPC_ERR_TOO_LARGE);
    /* At the cap: all rows absent-decision on the evidence path are dropped. */
    ck_assert_int_eq(lpc_consensus(many, LPC_CONS_MAX_ROWS, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r),
                     LPC_OK);
    ck_assert_uint_eq(r.validator_count, 0);
    free(many);
    ck_assert_str_eq(lpc_cons_rules_name(LPC_CONS_RULES_2025_11_13), "2025-11-13");
    ck_assert_str_eq(lpc_cons_path_name(LPC_CONS_PATH_DB), "db");
}
END_TEST

/* Many distinct reasons at the row cap: the table holds them all, the first
 * of the heaviest wins, and a tie at the top is flagged. */
START_TEST(many_reasons)
{
    enum { N = LPC_CONS_MAX_ROWS };
    lpc_value **vals = calloc(N * 4, sizeof *vals);
    lpc_cons_row *rows = calloc(N, sizeof *rows);
    ck_assert(vals && rows);
    lpc_value *deny = lpc_new_str("deny", 4), *zero = lpc_new_int(0), *one = lpc_new_float(1.0);
    for (size_t i = 0; i < N; i++) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "reason-%zu", i % (N / 2));
        vals[i] = lpc_new_str(buf, (size_t)len);
        vals[N + i] = lpc_new_float(i == 7 || i == 7 + N / 2 ? 3.0 : 1.0);   /* reason-7 twice, 3.0 each */
        lpc_cons_row r = {deny, zero, vals[i], one, vals[N + i]};
        rows[i] = r;
    }
    lpc_cons_result r;
    ck_assert_int_eq(lpc_consensus(rows, N, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r), LPC_OK);
    ck_assert_uint_eq(r.n_reasons, N / 2);
    ck_assert_uint_eq(r.primary_reason_len, 8);
    ck_assert(memcmp(r.primary_reason, "reason-7", 8) == 0);
    ck_assert_uint_eq(r.order_flags & LPC_CONS_ORDER_MASK, 0);
    /* Counter mode: every reason has 2 rows: a tie, first seen "reason-0" wins. */
    ck_assert_int_eq(lpc_consensus(rows, N, LPC_CONS_RULES_2025_11_13, LPC_CONS_PATH_EVIDENCE, NULL, 0, &r), LPC_OK);
    ck_assert(memcmp(r.primary_reason, "reason-0", 8) == 0 && r.primary_reason_len == 8);
    ck_assert(r.order_flags & LPC_CONS_ORDER_REASON);
    for (size_t i = 0; i < 2 * N; i++) lpc_free(vals[i]);
    lpc_free(deny);
    lpc_free(zero);
    lpc_free(one);
    free(vals);
    free(rows);
}
END_TEST

/* Non-finite inputs: Python keeps going with inf/nan; we follow and flag. */
START_TEST(nonfinite_flagged)
{
    rowset s = {0};
    rs_add(&s, "deny", 0, "A", 1.0, INFINITY);
    rs_add(&s, "approve", 1, NULL, 1.0, 1.0);
    lpc_cons_result r = run_rows(s.rows, 2, LPC_CONS_RULES_CURRENT);
    ck_assert(r.order_flags & LPC_CONS_ORDER_NONFINITE);
    ck_assert(isnan(r.final_rep_score));                   /* 0*inf = nan in wrep */
    rs_free(&s);
    /* Finite weights whose sum can overflow in some order. */
    rs_add(&s, "approve", 1, NULL, 1.0, 1.5e308);
    rs_add(&s, "approve", 1, NULL, 1.0, 1.5e308);
    r = run_rows(s.rows, 2, LPC_CONS_RULES_CURRENT);
    ck_assert(r.order_flags & LPC_CONS_ORDER_NONFINITE);
    rs_free(&s);
}
END_TEST

static Suite *consensus_suite(void)
{
    Suite *s = suite_create("consensus");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_case_every_output);
    tcase_add_test(tc, vector_cases_reordered);
    tcase_add_test(tc, crafted_decision_flip);
    tcase_add_test(tc, exact_half_inexact_products);
    tcase_add_test(tc, crafted_reason_ties);
    tcase_add_test(tc, random_reorderings_sound);
    tcase_add_test(tc, counter_mode_missing_key_is_unknown);
    tcase_add_test(tc, v_score_column);
    tcase_add_test(tc, python_errors);
    tcase_add_test(tc, python_accepts);
    tcase_add_test(tc, limits_and_arguments);
    tcase_add_test(tc, many_reasons);
    tcase_add_test(tc, nonfinite_flagged);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(consensus_suite)
