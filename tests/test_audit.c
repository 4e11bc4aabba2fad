/* audit/: consensus replay and weight-bundle audit.  Expected values come
 * from the vectors (vectors/leadpoet/ and vectors/replay/, which only
 * rearranges them, see vectors/replay/README.md); the negative cases are the
 * vectors' _fail variants and malformed inputs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/lpau_err.h"
#include "audit/replay.h"
#include "audit/weights_audit.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_json.h"
#include "tests/lp_test.h"

static lpau_err replay_file(const char *rel, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    size_t n = 0;
    uint8_t *buf = lp_read_vector(rel, &n);
    lpau_err e = lpau_replay_bytes(buf, n, rules, r, d);
    free(buf);
    return e;
}

static lpau_err replay_text(const char *s, lpau_replay *r, lpau_diag *d)
{
    return lpau_replay_bytes((const uint8_t *)s, strlen(s), LPC_CONS_RULES_CURRENT, r, d);
}

static const lpau_lead *find_lead(const lpau_replay *r, const char *id)
{
    for (size_t i = 0; i < r->n_leads; i++)
        if (lpc_str_eq(r->leads[i].lead_id, id))
            return &r->leads[i];
    return NULL;
}

/* ---- consensus: every vector case, all three eras ---- */
static const struct { const char *file; lpc_cons_rules rules; } eras[] = {
    { "replay/consensus_current.json", LPC_CONS_RULES_CURRENT },
    { "replay/consensus_2025-12-15.json", LPC_CONS_RULES_2025_12_15 },
    { "replay/consensus_2025-11-13.json", LPC_CONS_RULES_2025_11_13 },
};

START_TEST(eras_match_published)
{
    lpau_replay r;
    lpau_diag d;
    ck_assert_msg(replay_file(eras[_i].file, eras[_i].rules, &r, &d) == LPAU_OK, "%s: %s %s", eras[_i].file, d.field,
                  d.detail);
    lpc_value *vec = lp_load_json_vector("leadpoet/consensus.json");
    size_t ncase = lp_field(vec, "cases")->u.a.n;
    ck_assert_uint_eq(r.n_leads, ncase);
    ck_assert_uint_eq(r.published, ncase);
    for (size_t i = 0; i < r.n_leads; i++)
        ck_assert_msg(r.leads[i].mismatch == 0, "%s: lead %s mismatch 0x%x", eras[_i].file,
                      r.leads[i].lead_id->u.s.ptr, r.leads[i].mismatch);
    ck_assert_uint_eq(r.certain_mismatches + r.order_mismatches, 0);
    lpc_free(vec);
    lpau_replay_free(&r);
}
END_TEST

/* Each era's published results under another era's rules: the count-vs-weight
 * case must differ (the vectors say the reasons differ), so replay is not a
 * tautology. */
START_TEST(wrong_era_detected)
{
    lpau_replay r;
    lpau_diag d;
    ck_assert_int_eq(replay_file("replay/consensus_2025-11-13.json", LPC_CONS_RULES_CURRENT, &r, &d), LPAU_OK);
    const lpau_lead *L = find_lead(&r, "lead-count_vs_weight_differ");
    ck_assert_ptr_nonnull(L);
    ck_assert_uint_eq(L->mismatch, LPAU_F_REASON);
    ck_assert_uint_eq(L->uncertain, 0);
    ck_assert_uint_ge(r.certain_mismatches, 1);
    lpau_replay_free(&r);
}
END_TEST

/* Epoch-sized interleaved input: every copy of a case gives the same result as
 * the single case (and the published one). */
START_TEST(epoch_interleaved_equals_single)
{
    lpau_replay one, ep;
    lpau_diag d;
    static const char *ef[] = { "replay/consensus_epoch_current.json", "replay/consensus_epoch_2025-12-15.json",
                                "replay/consensus_epoch_2025-11-13.json" };
    ck_assert_int_eq(replay_file(eras[_i].file, eras[_i].rules, &one, &d), LPAU_OK);
    ck_assert_int_eq(replay_file(ef[_i], eras[_i].rules, &ep, &d), LPAU_OK);
    ck_assert_uint_eq(ep.n_leads, 8 * one.n_leads);
    ck_assert_uint_eq(ep.certain_mismatches + ep.order_mismatches, 0);
    for (size_t i = 0; i < ep.n_leads; i++) {
        const lpau_lead *L = &ep.leads[i];
        const char *id = L->lead_id->u.s.ptr;          /* lead-K-<case> */
        const char *dash = strchr(id + 5, '-');
        ck_assert_ptr_nonnull(dash);
        char single[200];
        snprintf(single, sizeof single, "lead-%s", dash + 1);
        const lpau_lead *S = find_lead(&one, single);
        ck_assert_msg(S != NULL, "no single lead %s", single);
        ck_assert_str_eq(L->rec.final_decision, S->rec.final_decision);
        ck_assert(memcmp(&L->rec.final_rep_score, &S->rec.final_rep_score, sizeof(double)) == 0);
        ck_assert(memcmp(&L->rec.consensus_weight, &S->rec.consensus_weight, sizeof(double)) == 0);
        ck_assert(memcmp(&L->rec.approval_ratio, &S->rec.approval_ratio, sizeof(double)) == 0);
        ck_assert_uint_eq(L->rec.validator_count, S->rec.validator_count);
        ck_assert_uint_eq(L->rec.primary_reason_len, S->rec.primary_reason_len);
        ck_assert(memcmp(L->rec.primary_reason, S->rec.primary_reason, S->rec.primary_reason_len) == 0);
        ck_assert_int_eq(L->order_dependent, S->order_dependent);
    }
    lpau_replay_free(&one);
    lpau_replay_free(&ep);
}
END_TEST

START_TEST(grouping_first_seen_then_published_only)
{
    lpau_replay r;
    lpau_diag d;
    const char *doc =
        "{\"validations\":["
        "{\"lead_id\":\"B\",\"decision\":\"approve\",\"rep_score\":40,\"rejection_reason\":null,\"v_trust\":1,\"stake\":1},"
        "{\"lead_id\":\"A\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":\"x\",\"v_trust\":1,\"stake\":1},"
        "{\"lead_id\":\"B\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":\"y\",\"v_trust\":1,\"stake\":3}],"
        "\"consensus_results\":[{\"lead_id\":\"C\",\"final_decision\":\"deny\",\"final_rep_score\":0.0,"
        "\"primary_rejection_reason\":\"no_validations\",\"validator_count\":0,\"consensus_weight\":0.0,"
        "\"approval_ratio\":0.0}]}";
    ck_assert_int_eq(replay_text(doc, &r, &d), LPAU_OK);
    ck_assert_uint_eq(r.n_leads, 3);
    ck_assert(lpc_str_eq(r.leads[0].lead_id, "B"));
    ck_assert(lpc_str_eq(r.leads[1].lead_id, "A"));
    ck_assert(lpc_str_eq(r.leads[2].lead_id, "C"));
    ck_assert_uint_eq(r.leads[0].rec.validator_count, 2);
    ck_assert_str_eq(r.leads[0].rec.final_decision, "deny");   /* 1 of 4 approves */
    ck_assert_uint_eq(r.leads[2].rec.validator_count, 0);
    ck_assert_uint_eq(r.leads[2].mismatch, 0);
    ck_assert_ptr_null(r.leads[0].published);
    lpau_replay_free(&r);
}
END_TEST

START_TEST(tie_is_order_dependent)
{
    lpau_replay r;
    lpau_diag d;
    ck_assert_int_eq(replay_file("replay/tie_order_dependent.json", LPC_CONS_RULES_CURRENT, &r, &d), LPAU_OK);
    ck_assert_int_eq(r.leads[0].order_dependent, 1);
    ck_assert_uint_eq(r.leads[0].mismatch, 0);
    lpau_replay_free(&r);
    ck_assert_int_eq(replay_file("replay/tie_reversed_order_dependent.json", LPC_CONS_RULES_CURRENT, &r, &d), LPAU_OK);
    ck_assert_uint_eq(r.leads[0].mismatch, LPAU_F_REASON);
    ck_assert_uint_eq(r.leads[0].uncertain, LPAU_F_REASON);
    ck_assert_uint_eq(r.order_mismatches, 1);
    ck_assert_uint_eq(r.certain_mismatches, 0);
    lpau_replay_free(&r);
}
END_TEST

static const struct { const char *file; unsigned field; } cons_fail[] = {
    { "replay/consensus_fail_rep_score.json", LPAU_F_REP_SCORE },
    { "replay/consensus_fail_decision.json", LPAU_F_DECISION },
    { "replay/consensus_fail_count.json", LPAU_F_COUNT },
    { "replay/consensus_fail_weight.json", LPAU_F_WEIGHT },
    { "replay/consensus_fail_ratio.json", LPAU_F_RATIO },
    { "replay/consensus_fail_reason.json", LPAU_F_REASON },
    { "replay/consensus_fail_epoch.json", LPAU_F_EPOCH },
};

START_TEST(consensus_fail_variants)
{
    lpau_replay r;
    lpau_diag d;
    const char *f = cons_fail[_i].file;
    ck_assert_msg(replay_file(f, LPC_CONS_RULES_CURRENT, &r, &d) == LPAU_OK, "%s: %s %s", f, d.field, d.detail);
    ck_assert_msg(r.leads[0].mismatch == cons_fail[_i].field, "%s: mismatch 0x%x", f, r.leads[0].mismatch);
    ck_assert_msg(r.certain_mismatches == 1, "%s: %zu certain mismatches", f, r.certain_mismatches);
    lpau_replay_free(&r);
}
END_TEST

/* ---- commitments ---- */
START_TEST(commitments_all_match)
{
    lpau_replay r;
    lpau_diag d;
    ck_assert_int_eq(replay_file("replay/commitments.json", LPC_CONS_RULES_CURRENT, &r, &d), LPAU_OK);
    lpc_value *cr = lp_load_json_vector("leadpoet/commit_reveal.json");
    size_t want = lp_field(cr, "cases")->u.a.n + lp_field(cr, "legacy")->u.a.n +
                  lp_field(cr, "qualification_batch_v2_rows")->u.a.n;
    lpc_free(cr);
    ck_assert_uint_eq(r.n_commits, want);
    ck_assert_uint_eq(r.commit_failures, 0);
    size_t checked = 0;
    for (size_t i = 0; i < r.n_commits; i++)
        for (int k = 0; k < LPAU_CH_N; k++) {
            ck_assert_int_ne(r.commits[i].status[k], LPAU_HASH_MISMATCH);
            checked += r.commits[i].status[k] == LPAU_HASH_MATCH;
        }
    /* 7 cases x 4 + legacy 3 x 1 + qualification 3 x 4 */
    ck_assert_uint_eq(checked, 7 * 4 + 3 + 3 * 4);
    lpau_replay_free(&r);
}
END_TEST

static const struct { const char *file; int hash; } commit_fail[] = {
    { "replay/commit_fail_decision_hash.json", LPAU_CH_DECISION },
    { "replay/commit_fail_rep_score.json", LPAU_CH_REP_SCORE },
    { "replay/commit_fail_evidence.json", LPAU_CH_EVIDENCE },
    { "replay/commit_fail_reason_key_order.json", LPAU_CH_REASON },
    { "replay/commit_fail_salt.json", LPAU_CH_DECISION },
};

START_TEST(commitments_fail_variants)
{
    lpau_replay r;
    lpau_diag d;
    const char *f = commit_fail[_i].file;
    ck_assert_msg(replay_file(f, LPC_CONS_RULES_CURRENT, &r, &d) == LPAU_OK, "%s: %s %s", f, d.field, d.detail);
    ck_assert_msg(r.commit_failures == 1, "%s: %zu failing rows", f, r.commit_failures);
    ck_assert_msg(r.commits[0].status[commit_fail[_i].hash] == LPAU_HASH_MATCH, "%s: row 0", f);
    ck_assert_msg(r.commits[1].status[commit_fail[_i].hash] == LPAU_HASH_MISMATCH, "%s: row 1", f);
    lpau_replay_free(&r);
}
END_TEST

static const struct { const char *file; lpau_err err; const char *field; } malformed[] = {
    { "replay/malformed/missing_lead_id.json", LPAU_ERR_MISSING, "validations[0].lead_id" },
    { "replay/malformed/salt_not_hex.json", LPAU_ERR_VALUE, "validations[0].salt" },
    { "replay/malformed/salt_missing.json", LPAU_ERR_MISSING, "validations[0].salt" },
    { "replay/malformed/hash_uppercase.json", LPAU_ERR_VALUE, "validations[0].decision_hash" },
    { "replay/malformed/v_trust_not_float.json", LPAU_ERR_VALUE, "validations[0].v_trust" },
    { "replay/malformed/stake_missing.json", LPAU_ERR_MISSING, "validations[0].stake" },
    { "replay/malformed/stake_wrong_type.json", LPAU_ERR_TYPE, "validations[0].stake" },
    { "replay/malformed/decision_wrong_type.json", LPAU_ERR_TYPE, "validations[0].decision" },
    { "replay/malformed/reason_object.json", LPAU_ERR_TYPE, "validations[0].rejection_reason" },
    { "replay/malformed/validations_not_array.json", LPAU_ERR_TYPE, "validations" },
    { "replay/malformed/validations_missing.json", LPAU_ERR_MISSING, "validations" },
    { "replay/malformed/epoch_not_int.json", LPAU_ERR_TYPE, "epoch_id" },
    { "replay/malformed/not_object.json", LPAU_ERR_TYPE, "(document)" },
    { "replay/malformed/syntax.json", LPAU_ERR_CANONICAL, "" },
    { "replay/malformed/published_missing_field.json", LPAU_ERR_MISSING, "consensus_results[0].final_rep_score" },
    { "replay/malformed/published_duplicate.json", LPAU_ERR_DUPLICATE, "consensus_results[1].lead_id" },
    { "replay/malformed/published_count_float.json", LPAU_ERR_TYPE, "consensus_results[0].validator_count" },
};

START_TEST(replay_malformed)
{
    lpau_replay r;
    lpau_diag d;
    const char *f = malformed[_i].file;
    lpau_err e = replay_file(f, LPC_CONS_RULES_CURRENT, &r, &d);
    ck_assert_msg(e == malformed[_i].err, "%s: %s", f, lpau_errname(e));
    ck_assert_msg(!strcmp(d.field, malformed[_i].field), "%s: field '%s'", f, d.field);
    ck_assert_ptr_null(r.leads);
    ck_assert_ptr_null(r.doc);
}
END_TEST

/* ---- from text a row at a time (lpau_replay_bytes) = from the tree (lpau_replay_run) ---- */
static void same_replay(const uint8_t *text, size_t len, lpc_cons_rules rules, const char *what)
{
    lpau_replay s, t;
    lpau_diag ds, dt;
    memset(&t, 0, sizeof t);
    memset(&dt, 0, sizeof dt);
    lpau_err es = lpau_replay_bytes(text, len, rules, &s, &ds);
    lpc_value *doc = NULL;
    size_t off = 0;
    if (lpc_parse_limit(text, len, LPAU_REPLAY_MAX_INPUT, &doc, &off) != LPC_OK) {
        ck_assert_msg(es == LPAU_ERR_CANONICAL, "%s: %s", what, lpau_errname(es));
        lpau_replay_free(&s);
        return;
    }
    lpau_err et = lpau_replay_run(doc, rules, &t, &dt);
    ck_assert_msg(es == et, "%s: text %s, tree %s", what, lpau_errname(es), lpau_errname(et));
    ck_assert_str_eq(ds.field, dt.field);
    ck_assert_str_eq(ds.detail, dt.detail);
    ck_assert_uint_eq(s.n_rows, t.n_rows);
    ck_assert_uint_eq(s.n_commits, t.n_commits);
    ck_assert_uint_eq(s.n_leads, t.n_leads);
    ck_assert_uint_eq(s.published, t.published);
    ck_assert_uint_eq(s.certain_mismatches + 2 * s.order_mismatches + 4 * s.commit_failures,
                      t.certain_mismatches + 2 * t.order_mismatches + 4 * t.commit_failures);
    for (size_t i = 0; i < s.n_commits; i++) {
        ck_assert_uint_eq(s.commits[i].index, t.commits[i].index);
        ck_assert(memcmp(s.commits[i].status, t.commits[i].status, sizeof s.commits[i].status) == 0);
        ck_assert(lpc_identical(s.commits[i].lead_id, t.commits[i].lead_id));
        ck_assert((s.commits[i].hotkey == NULL) == (t.commits[i].hotkey == NULL));
        ck_assert(!s.commits[i].hotkey || lpc_identical(s.commits[i].hotkey, t.commits[i].hotkey));
    }
    for (size_t i = 0; i < s.n_leads; i++) {
        const lpau_lead *a = &s.leads[i], *b = &t.leads[i];
        ck_assert(lpc_identical(a->lead_id, b->lead_id));
        ck_assert_uint_eq(a->n_rows, b->n_rows);
        ck_assert_uint_eq(a->mismatch, b->mismatch);
        ck_assert_uint_eq(a->uncertain, b->uncertain);
        ck_assert_uint_eq(a->rec.validator_count, b->rec.validator_count);
        ck_assert_uint_eq(a->rec.order_flags, b->rec.order_flags);
        ck_assert(memcmp(&a->rec.final_rep_score, &b->rec.final_rep_score, sizeof(double)) == 0);
        ck_assert(memcmp(&a->rec.consensus_weight, &b->rec.consensus_weight, sizeof(double)) == 0);
        ck_assert(memcmp(&a->rec.approval_ratio, &b->rec.approval_ratio, sizeof(double)) == 0);
        ck_assert_str_eq(a->rec.final_decision, b->rec.final_decision);
        ck_assert(a->rec.primary_reason_len == b->rec.primary_reason_len &&
                  memcmp(a->rec.primary_reason, b->rec.primary_reason, a->rec.primary_reason_len) == 0);
        ck_assert((a->published == NULL) == (b->published == NULL));
        ck_assert(!a->published || lpc_identical(a->published, b->published));
    }
    lpau_replay_free(&s);
    lpau_replay_free(&t);
    lpc_free(doc);
}

START_TEST(text_replay_equals_tree_replay)
{
    static const char *files[] = {
        "replay/commit_fail_decision_hash.json", "replay/commit_fail_evidence.json", "replay/commit_fail_reason_key_order.json",
        "replay/commit_fail_rep_score.json", "replay/commit_fail_salt.json", "replay/commitments.json",
        "replay/consensus_2025-11-13.json", "replay/consensus_2025-12-15.json", "replay/consensus_current.json",
        "replay/consensus_epoch_2025-11-13.json", "replay/consensus_epoch_2025-12-15.json",
        "replay/consensus_epoch_current.json", "replay/consensus_fail_count.json", "replay/consensus_fail_decision.json",
        "replay/consensus_fail_epoch.json", "replay/consensus_fail_ratio.json", "replay/consensus_fail_reason.json",
        "replay/consensus_fail_rep_score.json", "replay/consensus_fail_weight.json", "replay/consensus_fail_wrong_era.json",
        "replay/published_only.json", "replay/published_without_ratio.json", "replay/tie_order_dependent.json",
        "replay/tie_reversed_order_dependent.json"};
    static const lpc_cons_rules rules[3] = {LPC_CONS_RULES_CURRENT, LPC_CONS_RULES_2025_12_15, LPC_CONS_RULES_2025_11_13};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        for (int k = 0; k < 3; k++) {
            size_t n;
            uint8_t *b = lp_read_vector(files[i], &n);
            same_replay(b, n, rules[k], files[i]);
            free(b);
        }
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        size_t n;
        uint8_t *b = lp_read_vector(malformed[i].file, &n);
        same_replay(b, n, LPC_CONS_RULES_CURRENT, malformed[i].file);
        free(b);
    }
}
END_TEST

/* Members in any order and repeated (json.loads keeps the last of a key), read from text
 * a row at a time: the outcomes the format's rules give (replay.h), and those of the tree. */
#define ROW(id) "{\"lead_id\":\"" id "\",\"decision\":\"approve\",\"rep_score\":10,\"rejection_reason\":null,\"v_trust\":0.5,\"stake\":2}"
#define PUB(id) "{\"lead_id\":\"" id "\",\"final_decision\":\"approve\",\"final_rep_score\":10.0,\"primary_rejection_reason\":\"pass\"," \
                "\"validator_count\":1,\"consensus_weight\":1.0}"
START_TEST(text_replay_member_order)
{
    /* mis: leads whose published result differs (a lead published without rows replays
     * as "no_validations", a deny) */
    static const struct { const char *text; lpau_err err; const char *field; size_t rows, leads, published, mis; const char *first; } c[] = {
        {"{\"validations\":[{\"lead_id\":5}],\"validations\":[]}", LPAU_OK, "", 0, 0, 0, 0, NULL},
        {"{\"validations\":[],\"validations\":[{\"lead_id\":5}]}", LPAU_ERR_TYPE, "validations[0].lead_id", 0, 0, 0, 0, NULL},
        {"{\"validations\":[" ROW("a") "],\"validations\":{}}", LPAU_ERR_TYPE, "validations", 0, 0, 0, 0, NULL},
        {"{\"consensus_results\":[" PUB("p") "],\"validations\":[" ROW("r") "]}", LPAU_OK, "", 1, 2, 1, 1, "r"},
        {"{\"consensus_results\":[" PUB("p") "],\"validations\":[" ROW("p") "," ROW("q") "]}", LPAU_OK, "", 2, 2, 1, 0, "p"},
        {"{\"consensus_results\":[7],\"consensus_results\":[" PUB("p") "],\"validations\":[]}", LPAU_OK, "", 0, 1, 1, 1, "p"},
        {"{\"validations\":[{\"lead_id\":5}],\"epoch_id\":\"x\"}", LPAU_ERR_TYPE, "epoch_id", 0, 0, 0, 0, NULL},
        {"{\"validations\":[{\"lead_id\":5}],\"consensus_results\":{}}", LPAU_ERR_TYPE, "consensus_results", 0, 0, 0, 0, NULL},
        {"{\"validations\":[{\"lead_id\":5}],\"x\":[1,}", LPAU_ERR_CANONICAL, "", 0, 0, 0, 0, NULL},
        {"{\"validations\":[],\"consensus_results\":[" PUB("p") ",7," PUB("p") "]}", LPAU_ERR_TYPE, "consensus_results[1]", 0, 0, 0, 0, NULL},
        {"{\"validations\":[],\"consensus_results\":[" PUB("p") "," PUB("p") ",7]}", LPAU_ERR_DUPLICATE,
         "consensus_results[1].lead_id", 0, 0, 0, 0, NULL},
        {"{\"validations\":[],\"consensus_results\":[{\"lead_id\":3}]}", LPAU_ERR_TYPE, "consensus_results[0].lead_id", 0, 0, 0, 0, NULL},
        {"{\"junk\":[[0,0],{\"a\":[1]}],\"more\":{\"b\":[2]},\"validations\":[" ROW("a") "],\"consensus_results\":null}",
         LPAU_OK, "", 1, 1, 0, 0, "a"},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        lpau_replay r;
        lpau_diag d;
        lpau_err e = replay_text(c[i].text, &r, &d);
        ck_assert_msg(e == c[i].err, "%s: %s (%s: %s)", c[i].text, lpau_errname(e), d.field, d.detail);
        ck_assert_str_eq(d.field, c[i].field);
        if (e == LPAU_OK) {
            ck_assert_uint_eq(r.n_rows, c[i].rows);
            ck_assert_uint_eq(r.n_leads, c[i].leads);
            ck_assert_uint_eq(r.published, c[i].published);
            if (c[i].first) ck_assert(lpc_str_eq(r.leads[0].lead_id, c[i].first));
            ck_assert_uint_eq(r.certain_mismatches + r.order_mismatches, c[i].mis);
        } else {
            ck_assert_ptr_null(r.leads);
            ck_assert_ptr_null(r.doc);
        }
        lpau_replay_free(&r);
        same_replay((const uint8_t *)c[i].text, strlen(c[i].text), LPC_CONS_RULES_CURRENT, c[i].text);
    }
}
END_TEST
#undef ROW
#undef PUB

START_TEST(too_many_rows_for_one_lead)
{
    size_t n = LPC_CONS_MAX_ROWS + 1;
    const char *row = "{\"lead_id\":\"L\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,\"v_trust\":1,\"stake\":1},";
    size_t rl = strlen(row);
    char *buf = malloc(n * rl + 64);
    ck_assert_ptr_nonnull(buf);
    char *p = buf;
    p += sprintf(p, "{\"validations\":[");
    for (size_t i = 0; i < n; i++) {
        memcpy(p, row, rl);
        p += rl;
    }
    p[-1] = ']';
    strcpy(p, "}");
    lpau_replay r;
    lpau_diag d;
    ck_assert_int_eq(replay_text(buf, &r, &d), LPAU_ERR_TOO_LARGE);
    free(buf);
}
END_TEST

/* ---- weights ---- */
static lpc_value *parse(const char *s)
{
    lpc_value *v = NULL;
    ck_assert_int_eq(lpc_parse((const uint8_t *)s, strlen(s), &v, NULL), LPC_OK);
    return v;
}

START_TEST(bundle_hash_vectors)
{
    lpc_value *w = lp_load_json_vector("leadpoet/weights.json");
    const lpc_value *cases = lp_field(w, "bundle_weights_hash");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        char path[200];
        snprintf(path, sizeof path, "replay/weights/bundle_%s.json", lp_field_str(c, "name"));
        lpc_value *doc = lp_load_json_vector(path);
        lpau_bundle b;
        lpau_diag d;
        ck_assert_msg(lpau_bundle_from_doc(doc, &b, &d) == LPAU_OK, "%s: %s %s", path, d.field, d.detail);
        ck_assert_msg(!strcmp(b.bundle_hash, lp_field_str(c, "bundle_weights_hash")), "%s: bundle hash", path);
        ck_assert_msg(!strcmp(b.compare_hash, lp_field_str(c, "compare_weights_hash")), "%s: compare hash", path);
        lpau_bundle_free(&b);
        lpc_free(doc);
    }
    lpc_free(w);
}
END_TEST

START_TEST(raw_scores_normalised_and_sorted)
{
    lpc_value *w = lp_load_json_vector("leadpoet/weights.json");
    const lpc_value *c = NULL, *cases = lp_field(w, "normalize_to_u16");
    for (size_t i = 0; i < cases->u.a.n; i++)
        if (!strcmp(lp_field_str(lpc_at(cases, i), "name"), "uids_not_sorted_order_preserved"))
            c = lpc_at(cases, i);
    ck_assert_ptr_nonnull(c);
    /* vector: uids [9,2,5] -> pure_path [26214, 65535, 39321] in input order */
    lpc_value *doc = parse("{\"netuid\":71,\"epoch_id\":100,\"block\":36000,\"weights\":[[9,0.2],[2,0.5],[5,0.3]]}");
    lpau_bundle b;
    lpau_diag d;
    ck_assert_int_eq(lpau_bundle_from_doc(doc, &b, &d), LPAU_OK);
    const lpc_value *pp = lp_field(c, "pure_path");
    const lpc_value *pu = lp_field(pp, "uids"), *pw = lp_field(pp, "weights_u16");
    ck_assert_uint_eq(b.n, 3);
    ck_assert(b.invariants_ok);
    for (size_t i = 0; i < 3; i++) {   /* sorted by uid: find the vector's entry for b.uids[i] */
        int64_t u, wv;
        size_t k = 0;
        for (; k < 3; k++) {
            ck_assert(lpc_int_i64(lpc_at(pu, k), &u));
            if (u == b.uids[i])
                break;
        }
        ck_assert_uint_lt(k, 3);
        ck_assert(lpc_int_i64(lpc_at(pw, k), &wv));
        ck_assert_int_eq(b.w[i], wv);
        if (i)
            ck_assert_int_lt(b.uids[i - 1], b.uids[i]);
    }
    lpau_bundle_free(&b);
    lpc_free(doc);
    lpc_free(w);
}
END_TEST

START_TEST(invariant_messages)
{
    lpc_value *w = lp_load_json_vector("leadpoet/weights.json");
    const lpc_value *cases = lp_field(w, "validate_weights_invariants");
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        char path[200];
        snprintf(path, sizeof path, "replay/weights/inv_%s.json", lp_field_str(c, "name"));
        lpc_value *doc = lp_load_json_vector(path);
        lpau_bundle b;
        lpau_diag d;
        ck_assert_msg(lpau_bundle_from_doc(doc, &b, &d) == LPAU_OK, "%s: %s %s", path, d.field, d.detail);
        ck_assert_msg(b.invariants_ok == lp_field(c, "valid")->u.b, "%s: invariants_ok %d", path, b.invariants_ok);
        if (!b.invariants_ok)
            ck_assert_msg(!strcmp(b.inv_msg, lp_field_str(c, "error")), "%s: message '%s'", path, b.inv_msg);
        lpau_bundle_free(&b);
        lpc_free(doc);
    }
    lpc_free(w);
}
END_TEST

static const struct { const char *against; const char *status; int exact; int64_t max_diff; size_t n_diff; } drift[] = {
    { "replay/weights/drift_exact.against.json", "VERIFIED", 1, 0, 0 },
    { "replay/weights/drift_pm1.against.json", "VERIFIED", 0, 1, 2 },
    { "replay/weights/drift_fail_plus2.against.json", "AUDITOR_MISMATCH", 0, 2, 1 },
    { "replay/weights/drift_fail_minus2.against.json", "AUDITOR_MISMATCH", 0, 2, 1 },
    { "replay/weights/drift_fail_dropped_uid.against.json", "AUDITOR_MISMATCH", 0, 3000, 1 },
};

START_TEST(epoch_audit_drift)
{
    lpc_value *doc = lp_load_json_vector("replay/weights/drift_bundle.json");
    lpc_value *ag = lp_load_json_vector(drift[_i].against);
    lpau_bundle b;
    lpau_chain_cmp c;
    lpau_diag d;
    ck_assert_int_eq(lpau_bundle_from_doc(doc, &b, &d), LPAU_OK);
    const char *f = drift[_i].against;
    ck_assert_msg(lpau_chain_compare(&b, ag, &c, &d) == LPAU_OK, "%s: %s %s", f, d.field, d.detail);
    ck_assert_msg(!strcmp(c.status, drift[_i].status), "%s: status %s", f, c.status);
    ck_assert_msg(c.exact == drift[_i].exact, "%s: exact %d", f, c.exact);
    ck_assert_msg(c.max_diff == drift[_i].max_diff, "%s: max_diff %lld", f, (long long)c.max_diff);
    ck_assert_msg(c.n_diff == drift[_i].n_diff, "%s: n_diff %zu", f, c.n_diff);
    lpau_chain_free(&c);
    lpau_bundle_free(&b);
    lpc_free(doc);
    lpc_free(ag);
}
END_TEST

START_TEST(tolerance_vectors)
{
    lpc_value *w = lp_load_json_vector("leadpoet/weights.json");
    const lpc_value *cases = lp_field(w, "weights_within_tolerance");
    size_t ran = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        if (lp_field_i64(c, "tolerance") != 1)
            continue;
        char p1[200], p2[200];
        snprintf(p1, sizeof p1, "replay/weights/tol_%s.json", lp_field_str(c, "name"));
        snprintf(p2, sizeof p2, "replay/weights/tol_%s.against.json", lp_field_str(c, "name"));
        lpc_value *doc = lp_load_json_vector(p1), *ag = lp_load_json_vector(p2);
        lpau_bundle b;
        lpau_chain_cmp cc;
        lpau_diag d;
        ck_assert_msg(lpau_bundle_from_doc(doc, &b, &d) == LPAU_OK, "%s: %s %s", p1, d.field, d.detail);
        ck_assert_msg(lpau_chain_compare(&b, ag, &cc, &d) == LPAU_OK, "%s: %s %s", p2, d.field, d.detail);
        ck_assert_msg(cc.within == lp_field(c, "within_tolerance")->u.b, "%s: within %d", p1, cc.within);
        ck_assert_msg(!strcmp(cc.status, cc.within ? "VERIFIED" : "AUDITOR_MISMATCH"), "%s: status %s", p1, cc.status);
        ck_assert_msg((cc.n_beyond == 0) == cc.within, "%s: n_beyond %zu", p1, cc.n_beyond);
        lpau_chain_free(&cc);
        lpau_bundle_free(&b);
        lpc_free(doc);
        lpc_free(ag);
        ran++;
    }
    ck_assert_uint_ge(ran, 9);
    lpc_free(w);
}
END_TEST

static const struct { const char *doc; lpau_err err; const char *field; } wbad[] = {
    { "{\"epoch_id\":1,\"block\":1,\"weights\":[[0,1.0]]}", LPAU_ERR_MISSING, "netuid" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,0.5],[1,-0.1]]}", LPAU_ERR_VALUE, "weights[1]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,NaN]]}", LPAU_ERR_VALUE, "weights[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,Infinity]]}", LPAU_ERR_VALUE, "weights[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[3,0.5],[3,0.2]]}", LPAU_ERR_DUPLICATE, "weights" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[-1,0.5]]}", LPAU_ERR_VALUE, "weights[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[1,true]]}", LPAU_ERR_TYPE, "weights[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[1]]}", LPAU_ERR_TYPE, "weights[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1e39]]}", LPAU_ERR_VALUE, "weights" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[0]}", LPAU_ERR_MISSING, "weights_u16" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[0],\"weights_u16\":[\"1\"]}", LPAU_ERR_TYPE, "weights_u16[0]" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[0],\"weights_u16\":[1],\"weights_hash\":\"ab\"}", LPAU_ERR_VALUE, "weights_hash" },
    { "{\"netuid\":71,\"epoch_id\":1,\"block\":99999999999999999999,\"uids\":[0],\"weights_u16\":[1]}", LPAU_ERR_VALUE, "block" },
    { "[]", LPAU_ERR_TYPE, "(document)" },
};

START_TEST(weights_malformed)
{
    lpc_value *doc = parse(wbad[_i].doc);
    lpau_bundle b;
    lpau_diag d;
    lpau_err e = lpau_bundle_from_doc(doc, &b, &d);
    ck_assert_msg(e == wbad[_i].err, "%s: %s", wbad[_i].doc, lpau_errname(e));
    ck_assert_msg(!strcmp(d.field, wbad[_i].field), "%s: field '%s'", wbad[_i].doc, d.field);
    ck_assert_ptr_null(b.pairs);
    lpc_free(doc);
}
END_TEST

START_TEST(against_malformed)
{
    lpc_value *doc = lp_load_json_vector("replay/weights/drift_bundle.json");
    lpau_bundle b;
    lpau_chain_cmp c;
    lpau_diag d;
    ck_assert_int_eq(lpau_bundle_from_doc(doc, &b, &d), LPAU_OK);
    static const char *bad[] = { "[[1,1000],[1,999]]", "[[1,-5]]", "{\"x\":1}", "[[1,NaN]]", "5" };
    static const lpau_err want[] = { LPAU_ERR_DUPLICATE, LPAU_ERR_VALUE, LPAU_ERR_MISSING, LPAU_ERR_VALUE, LPAU_ERR_TYPE };
    for (size_t i = 0; i < 5; i++) {
        lpc_value *ag = parse(bad[i]);
        lpau_err e = lpau_chain_compare(&b, ag, &c, &d);
        ck_assert_msg(e == want[i], "against %s: %s", bad[i], lpau_errname(e));
        ck_assert_msg(c.chain == NULL, "against %s: result kept", bad[i]);
        lpc_free(ag);
    }
    lpau_bundle_free(&b);
    lpc_free(doc);
}
END_TEST

/* The shared names (canonical/lp_code.h) each audit error reports, as the
 * registry and the CLI manifest (vectors/replay/cases.tsv) spell them. */
START_TEST(error_names)
{
    static const struct { lpau_err e; const char *name; } names[] = {
        { LPAU_OK, "OK" }, { LPAU_ERR_NOMEM, "OUT_OF_MEMORY" }, { LPAU_ERR_ARG, "BAD_ARGUMENT" },
        { LPAU_ERR_MISSING, "MISSING_FIELD" }, { LPAU_ERR_TYPE, "BAD_TYPE" }, { LPAU_ERR_VALUE, "BAD_VALUE" },
        { LPAU_ERR_DUPLICATE, "DUPLICATE" }, { LPAU_ERR_TOO_LARGE, "INPUT_TOO_LARGE" },
        { LPAU_ERR_CANONICAL, "CANONICAL_ERROR" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ck_assert_str_eq(lpau_errname(names[i].e), names[i].name);
        ck_assert_int_eq(lp_code_exit(lpau_code(names[i].e)), i ? LP_EXIT_UNDECIDED : LP_EXIT_OK);
        ck_assert_str_ne(lpau_strerror(names[i].e), "unknown error");
    }
    ck_assert_str_eq(lpau_errname((lpau_err)999), "INTERNAL");
    ck_assert_str_eq(lpau_strerror((lpau_err)999), "unknown error");
    ck_assert_str_eq(lpau_field_name(LPAU_F_RATIO), "approval_ratio");
    /* a canonical cause reports its own name; an input error never decides */
    lpau_diag d = { "", "", LPC_ERR_SYNTAX };
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_CANONICAL, &d)), "JSON_SYNTAX");
    d.cause = LPC_ERR_CRYPTO;
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_CANONICAL, &d)), "CRYPTO_BACKEND");
    d.cause = LPC_ERR_WEIGHTS_INVARIANT;
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_CANONICAL, &d)), "CANONICAL_ERROR");
    d.cause = LPC_ERR_NOMEM;
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_CANONICAL, &d)), "OUT_OF_MEMORY");
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_VALUE, &d)), "BAD_VALUE");
    ck_assert_str_eq(lp_code_name(lpau_diag_code(LPAU_ERR_CANONICAL, NULL)), "CANONICAL_ERROR");
}
END_TEST

/* ---- verification entry points: checks, order, codes, indexes, verdicts ---- */

/* One expected check: name, code (LP_CODE_OK = passed), index, and whether it
 * is a warning. */
typedef struct { const char *name; lp_code code; size_t index; int warning; } want_check;
#define NOI LP_NO_INDEX

/* The checks c->items[from..] are exactly w[0..n), in that order. */
static void expect_checks(const char *cs, const lp_checks *c, size_t from, const want_check *w, size_t n)
{
    ck_assert_msg(!c->lost, "%s: a check was lost", cs);
    ck_assert_msg(c->n - from == n, "%s: %zu checks, want %zu", cs, c->n - from, n);
    for (size_t i = 0; i < n; i++) {
        const lp_check *k = &c->items[from + i];
        ck_assert_msg(!strcmp(k->name, w[i].name), "%s: check %zu is '%s', want '%s'", cs, i, k->name, w[i].name);
        ck_assert_msg(k->code == w[i].code, "%s: %s has code %s, want %s (%s)", cs, k->name, lp_code_name(k->code),
                      lp_code_name(w[i].code), k->detail);
        ck_assert_msg(k->ok == (w[i].code == LP_CODE_OK && !w[i].warning), "%s: %s ok=%d", cs, k->name, k->ok);
        ck_assert_msg(((k->flags & LP_CHECK_WARNING) != 0) == (w[i].warning != 0), "%s: %s warning flag", cs, k->name);
        ck_assert_msg(k->index == w[i].index, "%s: %s index %zu, want %zu", cs, k->name, k->index, w[i].index);
    }
}

/* The detail of the check named name in c. */
static const char *detail_of(const char *cs, const lp_checks *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->items[i].name, name))
            return c->items[i].detail;
    ck_abort_msg("%s: no check %s", cs, name);
    return NULL;
}

static lp_code verify_replay_file(const char *rel, lpc_cons_rules rules, lpau_replay *r, lp_checks *c)
{
    size_t n = 0;
    uint8_t *buf = lp_read_vector(rel, &n);
    lp_code v = lpau_replay_verify(buf, n, rules, r, c);
    free(buf);
    return v;
}

static lp_code verify_replay_text(const char *s, lpau_replay *r, lp_checks *c)
{
    return lpau_replay_verify((const uint8_t *)s, strlen(s), LPC_CONS_RULES_CURRENT, r, c);
}

/* Every era's file: four passing checks; the input check counts the rows
 * and cases of vectors/leadpoet/consensus.json. */
START_TEST(replay_verify_eras_ok)
{
    lpau_replay r;
    lp_checks c = {0};
    ck_assert_int_eq(verify_replay_file(eras[_i].file, eras[_i].rules, &r, &c), LP_CODE_OK);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
                                    { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_OK, NOI, 0 } };
    expect_checks(eras[_i].file, &c, 0, w, 4);
    ck_assert_int_eq(lp_checks_verdict(&c), LP_CODE_OK);
    ck_assert_ptr_null(lp_checks_culprit(&c));
    lpc_value *vec = lp_load_json_vector("leadpoet/consensus.json");
    const lpc_value *cases = lp_field(vec, "cases");
    size_t rows = 0;
    for (size_t i = 0; i < cases->u.a.n; i++)
        rows += lp_field(lpc_at(cases, i), "evidence_rows_in_order")->u.a.n;
    char want[128];
    snprintf(want, sizeof want, "%zu rows, %zu leads, %zu published results", rows, cases->u.a.n, cases->u.a.n);
    ck_assert_str_eq(detail_of(eras[_i].file, &c, "input"), want);
    ck_assert_uint_eq(r.n_leads, cases->u.a.n);   /* the replay stays for the report */
    lpc_free(vec);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* The passing files of vectors/replay/README.md beyond the eras. */
static const char *const replay_ok_files[] = {
    "replay/commitments.json", "replay/tie_order_dependent.json", "replay/published_without_ratio.json",
    "replay/published_only.json", "replay/consensus_epoch_current.json",
};

START_TEST(replay_verify_ok_files)
{
    lpau_replay r;
    lp_checks c = {0};
    const char *f = replay_ok_files[_i];
    ck_assert_msg(verify_replay_file(f, LPC_CONS_RULES_CURRENT, &r, &c) == LP_CODE_OK, "%s not OK", f);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
                                    { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_OK, NOI, 0 } };
    expect_checks(f, &c, 0, w, 4);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* A published field altered (README: +0.0001, "deny", +1, +0.01, 0.2084,
 * "unknown", epoch 101; the wrong era's reason): the consensus check fails
 * for lead 0 and names the field, our value and the published CS-A text
 * (values from vectors/leadpoet/consensus.json; quotes cut at 44 bytes). */
static const struct { const char *file; lpc_cons_rules rules; const char *detail; } cons_fail_detail[] = {
    { "replay/consensus_fail_rep_score.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: final_rep_score recomputed 8.3333, published 8.3334" },
    { "replay/consensus_fail_decision.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: final_decision recomputed approve, published \"deny\"" },
    { "replay/consensus_fail_count.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: validator_count recomputed 3, published 4" },
    { "replay/consensus_fail_weight.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: consensus_weight recomputed 240.0, published 240.01" },
    { "replay/consensus_fail_ratio.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: approval_ratio recomputed 0.2083, published 0.2084" },
    { "replay/consensus_fail_reason.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: primary_rejection_reason recomputed {\"stage\": \"Stage 1\", \"check_name\": \"check_em..., "
      "published \"unknown\"" },
    { "replay/consensus_fail_epoch.json", LPC_CONS_RULES_CURRENT,
      "lead lead-x: epoch_id recomputed 100 (epoch of file), published 101" },
    { "replay/consensus_fail_wrong_era.json", LPC_CONS_RULES_CURRENT,
      "lead lead-cvw: primary_rejection_reason recomputed {\"stage\": \"Stage 2\", \"check_name\": \"check_do..., "
      "published \"{\\\"stage\\\": \\\"Stage 1\\\", \\\"check_name\\\": \\\"..." },
};

START_TEST(replay_verify_consensus_mismatch)
{
    lpau_replay r;
    lp_checks c = {0};
    const char *f = cons_fail_detail[_i].file;
    ck_assert_msg(verify_replay_file(f, cons_fail_detail[_i].rules, &r, &c) == LP_CODE_CONSENSUS_MISMATCH, "%s", f);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
                                    { "consensus", LP_CODE_CONSENSUS_MISMATCH, 0, 0 },
                                    { "row_order", LP_CODE_OK, NOI, 0 } };
    expect_checks(f, &c, 0, w, 4);
    ck_assert_str_eq(detail_of(f, &c, "consensus"), cons_fail_detail[_i].detail);
    ck_assert_str_eq(lp_checks_culprit(&c)->name, "consensus");
    ck_assert_int_eq(lp_code_exit(lp_checks_verdict(&c)), LP_EXIT_FAIL);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* The wrong era's file replays under its own era. */
START_TEST(replay_verify_own_era_ok)
{
    lpau_replay r;
    lp_checks c = {0};
    ck_assert_int_eq(verify_replay_file("replay/consensus_fail_wrong_era.json", LPC_CONS_RULES_2025_11_13, &r, &c),
                     LP_CODE_OK);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* One hash of the second row altered (README): index 1, lead and hash named. */
static const struct { const char *file; const char *hash; } commit_fail_detail[] = {
    { "replay/commit_fail_decision_hash.json", "decision_hash" },
    { "replay/commit_fail_rep_score.json", "rep_score_hash" },
    { "replay/commit_fail_evidence.json", "evidence_hash" },
    { "replay/commit_fail_reason_key_order.json", "rejection_reason_hash" },
    { "replay/commit_fail_salt.json", "decision_hash" },   /* the salt opens none: the first hash is named */
};

START_TEST(replay_verify_commitment_mismatch)
{
    lpau_replay r;
    lp_checks c = {0};
    const char *f = commit_fail_detail[_i].file;
    ck_assert_msg(verify_replay_file(f, LPC_CONS_RULES_CURRENT, &r, &c) == LP_CODE_COMMITMENT_MISMATCH, "%s", f);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_COMMITMENT_MISMATCH, 1, 0 },
                                    { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_OK, NOI, 0 } };
    expect_checks(f, &c, 0, w, 4);
    char want[200];
    snprintf(want, sizeof want, "validations[1] (lead lead-deny_email): %s does not open to the revealed value",
             commit_fail_detail[_i].hash);
    ck_assert_str_eq(detail_of(f, &c, "commitments"), want);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* Rows in the other order than the published result's: undecided, the
 * row_order check names the lead, the field and the order flag. */
START_TEST(replay_verify_order_dependent)
{
    lpau_replay r;
    lp_checks c = {0};
    const char *f = "replay/tie_reversed_order_dependent.json";
    ck_assert_int_eq(verify_replay_file(f, LPC_CONS_RULES_CURRENT, &r, &c), LP_CODE_ORDER_DEPENDENT);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
                                    { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_ORDER_DEPENDENT, 0, 0 } };
    expect_checks(f, &c, 0, w, 4);
    ck_assert_str_eq(detail_of(f, &c, "row_order"),
                     "lead lead-tie: primary_rejection_reason recomputed {\"stage\": \"Stage 1\", \"check_name\": "
                     "\"check_em..., published \"{\\\"stage\\\": \\\"Stage 2\\\", \\\"check_name\\\": \\\"...; "
                     "row order decides (reason)");
    ck_assert_int_eq(lp_code_exit(lp_checks_verdict(&c)), LP_EXIT_UNDECIDED);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* The rows and published results of several vector files in one document
 * (insertion order kept: DU-A, so evidence hashes still open). */
static lpc_buf merged_doc(const char *const *rel, size_t n)
{
    lpc_value *doc = lpc_new_object(), *rows = lpc_new_array(), *pubs = lpc_new_array();
    ck_assert(doc && rows && pubs);
    for (size_t i = 0; i < n; i++) {
        lpc_value *v = lp_load_json_vector(rel[i]);
        static const char *const part[2] = { "validations", "consensus_results" };
        for (int k = 0; k < 2; k++) {
            const lpc_value *a = lpc_get(v, part[k]);
            for (size_t j = 0; a && j < a->u.a.n; j++) {
                lpc_value *item = NULL;
                ck_assert_int_eq(lpc_clone(a->u.a.items[j], &item), LPC_OK);
                ck_assert_int_eq(lpc_array_append(k ? pubs : rows, item), LPC_OK);
            }
        }
        lpc_free(v);
    }
    ck_assert_int_eq(lpc_object_set(doc, "epoch_id", 8, lpc_new_int(100)), LPC_OK);
    ck_assert_int_eq(lpc_object_set(doc, "validations", 11, rows), LPC_OK);
    ck_assert_int_eq(lpc_object_set(doc, "consensus_results", 17, pubs), LPC_OK);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(doc, LPC_PROFILE_DU_A, &b), LPC_OK);
    lpc_free(doc);
    return b;
}

/* commitment > consensus > row order, whatever else fails: the verdict is
 * lp_checks_verdict's and every failing check is reported with its index
 * (leads first-seen: lead-approve 0, lead-deny_email 1, lead-x 2, lead-tie 3). */
START_TEST(replay_verify_precedence)
{
    static const char *const all[] = { "replay/commit_fail_decision_hash.json", "replay/consensus_fail_decision.json",
                                       "replay/tie_reversed_order_dependent.json" };
    static const struct { size_t first; lp_code verdict; want_check w[4]; } cases[] = {
        { 0, LP_CODE_COMMITMENT_MISMATCH,
          { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_COMMITMENT_MISMATCH, 1, 0 },
            { "consensus", LP_CODE_CONSENSUS_MISMATCH, 2, 0 }, { "row_order", LP_CODE_ORDER_DEPENDENT, 3, 0 } } },
        { 1, LP_CODE_CONSENSUS_MISMATCH,
          { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
            { "consensus", LP_CODE_CONSENSUS_MISMATCH, 0, 0 }, { "row_order", LP_CODE_ORDER_DEPENDENT, 1, 0 } } },
        { 2, LP_CODE_ORDER_DEPENDENT,
          { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
            { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_ORDER_DEPENDENT, 0, 0 } } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lpc_buf doc = merged_doc(all + cases[i].first, 3 - cases[i].first);
        lpau_replay r;
        lp_checks c = {0};
        char cs[64];
        snprintf(cs, sizeof cs, "precedence from file %zu", cases[i].first);
        lp_code v = lpau_replay_verify(doc.ptr, doc.len, LPC_CONS_RULES_CURRENT, &r, &c);
        ck_assert_msg(v == cases[i].verdict, "%s: verdict %s", cs, lp_code_name(v));
        ck_assert_int_eq(lp_checks_verdict(&c), v);
        expect_checks(cs, &c, 0, cases[i].w, 4);
        lpau_replay_free(&r);
        lp_checks_free(&c);
        lpc_buf_free(&doc);
    }
}
END_TEST

/* Checks are appended after the caller's; the return value is this call's
 * verdict alone, the list's verdict still the earlier failure. */
START_TEST(replay_verify_appends)
{
    lp_checks c = {0};
    ck_assert_ptr_nonnull(lp_check_add(&c, "earlier", LP_CODE_ROOT_MISMATCH, "from another procedure"));
    lpau_replay r;
    ck_assert_int_eq(verify_replay_file("replay/consensus_current.json", LPC_CONS_RULES_CURRENT, &r, &c), LP_CODE_OK);
    static const want_check w[] = { { "input", LP_CODE_OK, NOI, 0 }, { "commitments", LP_CODE_OK, NOI, 0 },
                                    { "consensus", LP_CODE_OK, NOI, 0 }, { "row_order", LP_CODE_OK, NOI, 0 } };
    expect_checks("appended", &c, 1, w, 4);
    ck_assert_int_eq(lp_checks_verdict(&c), LP_CODE_ROOT_MISMATCH);
    lpau_replay_free(&r);
    /* an order-dependent call after it: its own verdict, undecided */
    ck_assert_int_eq(verify_replay_file("replay/tie_reversed_order_dependent.json", LPC_CONS_RULES_CURRENT, &r, &c),
                     LP_CODE_ORDER_DEPENDENT);
    ck_assert_uint_eq(c.n, 9);
    lpau_replay_free(&r);
    /* a list that already lost a check makes every verdict OUT_OF_MEMORY */
    c.lost = 1;
    ck_assert_int_eq(verify_replay_file("replay/consensus_current.json", LPC_CONS_RULES_CURRENT, &r, &c),
                     LP_CODE_OUT_OF_MEMORY);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* Malformed input: one failing "input" check, undecided, with the input
 * error's code and the field; the replay emptied. */
static const struct { const char *name, *doc; lp_code code; const char *detail; } replay_bad_text[] = {
    { "empty input", "", LP_CODE_JSON_SYNTAX, " at byte 0" },
    { "truncated", "{\"validations\":[", LP_CODE_JSON_SYNTAX, "at byte" },
    { "bad UTF-8", "{\"validations\":[],\"x\":\"\xff\"}", LP_CODE_BAD_UTF8, "at byte" },
    { "lone surrogate id ok, bad salt",
      "{\"validations\":[{\"lead_id\":\"\\ud800\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,"
      "\"v_trust\":1,\"stake\":1,\"decision_hash\":\"" "0000000000000000000000000000000000000000000000000000000000000000"
      "\",\"salt\":\"X\"}]}", LP_CODE_BAD_VALUE, "validations[0].salt: " },
    { "document array", "[]", LP_CODE_BAD_TYPE, "(document): must be a JSON object" },
    { "epoch too big", "{\"epoch_id\":99999999999999999999,\"validations\":[]}", LP_CODE_BAD_VALUE, "epoch_id: " },
    { "consensus_results object", "{\"validations\":[],\"consensus_results\":{}}", LP_CODE_BAD_TYPE,
      "consensus_results: must be an array" },
    { "row not object", "{\"validations\":[1]}", LP_CODE_BAD_TYPE, "validations[0]: must be an object" },
    { "published lead_id int", "{\"validations\":[],\"consensus_results\":[{\"lead_id\":5}]}", LP_CODE_BAD_TYPE,
      "consensus_results[0].lead_id: " },
    { "hotkey int",
      "{\"validations\":[{\"lead_id\":\"a\",\"validator_hotkey\":1,\"decision\":\"deny\",\"rep_score\":0,"
      "\"rejection_reason\":null,\"v_trust\":1,\"stake\":1}]}", LP_CODE_BAD_TYPE, "validations[0].validator_hotkey: " },
    { "evidence not object",
      "{\"validations\":[{\"lead_id\":\"a\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,"
      "\"v_trust\":1,\"stake\":1,\"evidence\":[],\"evidence_hash\":\""
      "0000000000000000000000000000000000000000000000000000000000000000\"}]}", LP_CODE_BAD_TYPE,
      "validations[0].evidence: " },
};

START_TEST(replay_verify_malformed_text)
{
    lpau_replay r;
    lp_checks c = {0};
    lp_code v = verify_replay_text(replay_bad_text[_i].doc, &r, &c);
    const char *cs = replay_bad_text[_i].name;
    ck_assert_msg(v == replay_bad_text[_i].code, "%s: verdict %s", cs, lp_code_name(v));
    const want_check w[] = { { "input", replay_bad_text[_i].code, NOI, 0 } };
    expect_checks(cs, &c, 0, w, 1);
    ck_assert_msg(strstr(c.items[0].detail, replay_bad_text[_i].detail) != NULL, "%s: detail '%s'", cs,
                  c.items[0].detail);
    ck_assert_int_eq(lp_code_exit(v), LP_EXIT_UNDECIDED);
    ck_assert_ptr_null(r.doc);
    ck_assert_ptr_null(r.leads);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* Nesting past LPC_JSON_MAX_DEPTH and a lead over LPC_CONS_MAX_ROWS rows. */
START_TEST(replay_verify_limits)
{
    size_t depth = LPC_JSON_MAX_DEPTH + 1;
    char *deep = malloc(2 * depth + 1);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = 0;
    lpau_replay r;
    lp_checks c = {0};
    ck_assert_int_eq(verify_replay_text(deep, &r, &c), LP_CODE_JSON_TOO_DEEP);
    free(deep);
    lp_checks_free(&c);

    size_t n = LPC_CONS_MAX_ROWS + 1;
    const char *row = "{\"lead_id\":\"L\\u00e9\",\"decision\":\"deny\",\"rep_score\":0,\"rejection_reason\":null,\"v_trust\":1,\"stake\":1},";
    size_t rl = strlen(row);
    char *buf = malloc(n * rl + 64);
    ck_assert_ptr_nonnull(buf);
    char *p = buf + sprintf(buf, "{\"validations\":[");
    for (size_t i = 0; i < n; i++, p += rl)
        memcpy(p, row, rl);
    strcpy(p - 1, "]}");
    ck_assert_int_eq(verify_replay_text(buf, &r, &c), LP_CODE_INPUT_TOO_LARGE);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_msg(strncmp(c.items[0].detail, "validations (lead L\xc3\xa9): more than ", 33) == 0, "detail %s",
                  c.items[0].detail);
    free(buf);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}
END_TEST

/* Untrusted lead ids in details: a long one is cut at 90 bytes on a UTF-8
 * boundary with "...", one with a NUL is cut before it; the detail stays
 * within LP_CHECK_DETAIL_MAX uncut otherwise. */
START_TEST(replay_verify_quotes_lead_ids)
{
    char id[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(id, "\\u00e9");   /* 120 bytes of U+00E9 */
    static const char *tmpl =
        "{\"validations\":[{\"lead_id\":\"%s\",\"decision\":\"approve\",\"rep_score\":4,\"rejection_reason\":null,"
        "\"v_trust\":1,\"stake\":1}],\"consensus_results\":[{\"lead_id\":\"%s\",\"final_decision\":\"deny\","
        "\"final_rep_score\":4.0,\"primary_rejection_reason\":\"pass\",\"validator_count\":1,\"consensus_weight\":1.0}]}";
    for (int k = 0; k < 2; k++) {
        const char *lid = k ? "ab\\u0000cd" : id;
        char doc[2000];
        snprintf(doc, sizeof doc, tmpl, lid, lid);
        lpau_replay r;
        lp_checks c = {0};
        ck_assert_int_eq(verify_replay_text(doc, &r, &c), LP_CODE_CONSENSUS_MISMATCH);
        const char *d = detail_of("quote", &c, "consensus");
        char want[300] = "lead ";
        if (k)
            strcat(want, "ab");
        else
            for (int i = 0; i < 45; i++)   /* 90 bytes: 45 whole characters */
                strcat(want, "\xc3\xa9");
        strcat(want, "...: final_decision recomputed approve, published \"deny\"");
        ck_assert_str_eq(d, want);
        lpau_replay_free(&r);
        lp_checks_free(&c);
    }
}
END_TEST

START_TEST(replay_verify_arguments)
{
    lpau_replay r;
    lp_checks c = {0};
    ck_assert_int_eq(lpau_replay_verify((const uint8_t *)"{}", 2, LPC_CONS_RULES_CURRENT, &r, NULL),
                     LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpau_replay_verify((const uint8_t *)"{}", 2, LPC_CONS_RULES_CURRENT, NULL, &c),
                     LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpau_replay_verify(NULL, 5, LPC_CONS_RULES_CURRENT, &r, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_str_eq(c.items[0].name, "input");
    ck_assert_str_eq(c.items[1].name, "input");
    ck_assert_int_eq(lpau_replay_verify(NULL, 0, LPC_CONS_RULES_CURRENT, &r, &c), LP_CODE_JSON_SYNTAX);
    lpau_replay_free(&r);
    lp_checks_free(&c);
    /* the taking forms free what they were given on every refusal (the sanitizer pass's
     * leak checker would see a buffer left behind) */
    static const char *const texts[] = {"{}", "[1,", "{\"validations\":[],\"consensus_results\":[]}"};
    static const lp_code want[] = {LP_CODE_MISSING_FIELD, LP_CODE_JSON_SYNTAX, LP_CODE_OK};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(texts[i]);
        uint8_t *b = malloc(n);
        ck_assert_ptr_nonnull(b);
        memcpy(b, texts[i], n);
        lp_checks k = {0};
        lpau_replay r2;
        lp_code taken = lpau_replay_verify_take(b, n, LPC_CONS_RULES_CURRENT, &r2, &k);
        ck_assert_int_eq(taken, lpau_replay_verify((const uint8_t *)texts[i], n, LPC_CONS_RULES_CURRENT, &r, &c));
        ck_assert_msg(lp_checks_verdict(&k) == want[i], "%s: %s", texts[i], lp_code_name(lp_checks_verdict(&k)));
        lpau_replay_free(&r);
        lpau_replay_free(&r2);
        lp_checks_free(&k);
        lp_checks_free(&c);
    }
    uint8_t *b = malloc(2);
    ck_assert_ptr_nonnull(b);
    memcpy(b, "{}", 2);
    ck_assert_int_eq(lpau_replay_verify_take(b, 2, LPC_CONS_RULES_CURRENT, &r, NULL), LP_CODE_BAD_ARGUMENT);
    lpau_diag d;
    ck_assert_int_eq(lpau_replay_bytes_take(NULL, 5, LPC_CONS_RULES_CURRENT, &r, &d), LPAU_ERR_ARG);
}
END_TEST

/* ---- verify_weights ---- */
/* lpau_weights_verify, and the take form (verify_weights's) over its own copy, which
 * must append the same checks. */
static lp_code weights_both(const uint8_t *buf, size_t n, const lpau_weights_opts *o, lpau_weights *w, lp_checks *c)
{
    size_t n0 = c->n;
    lp_code v = lpau_weights_verify(buf, n, o, w, c);
    uint8_t *own = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(own);
    memcpy(own, buf, n);
    lpau_weights w2;
    lp_checks c2 = {0};
    ck_assert_int_eq(lpau_weights_verify_take(own, n, o, &w2, &c2), v);
    ck_assert_uint_eq(c2.n, c->n - n0);
    for (size_t i = 0; i < c2.n; i++) {
        ck_assert_str_eq(c2.items[i].name, c->items[n0 + i].name);
        ck_assert_int_eq(c2.items[i].code, c->items[n0 + i].code);
        ck_assert_str_eq(c2.items[i].detail, c->items[n0 + i].detail);
    }
    lpau_weights_free(&w2);
    lp_checks_free(&c2);
    /* The bundle read from the whole tree (lpau_bundle_from_doc, no streamed pairs)
     * gives the same "input" verdict, detail and bundle as the verification, which
     * streams "weights" a pair at a time. */
    lpc_value *t = NULL;
    size_t off = 0;
    if ((!o || !o->against) && w->doc && c->n > n0 && !strcmp(c->items[n0].name, "input") &&
        c->items[n0].code != LP_CODE_BAD_ARGUMENT && lpc_parse(buf, n, &t, &off) == LPC_OK) {
        lpau_bundle b;
        lpau_diag d;
        lpau_err e = lpau_bundle_from_doc(t, &b, &d);
        if (e == LPAU_OK) {
            ck_assert_int_eq(c->items[n0].code, LP_CODE_OK);
            ck_assert_uint_eq(b.n, w->b.n);
            ck_assert_uint_eq(b.n_raw, w->b.n_raw);
            ck_assert_int_eq(b.from_raw, w->b.from_raw);
            ck_assert(b.n == 0 || memcmp(b.pairs, w->b.pairs, b.n * sizeof *b.pairs) == 0);
            ck_assert_str_eq(b.bundle_hash, w->b.bundle_hash);
            ck_assert_str_eq(b.compare_hash, w->b.compare_hash);
            ck_assert_int_eq(b.invariants_ok, w->b.invariants_ok);
        } else {
            char want[LPAU_FIELD_MAX + LPAU_DETAIL_MAX + 4];
            snprintf(want, sizeof want, "%s: %s", d.field, d.detail);
            ck_assert_int_eq(c->items[n0].code, lpau_diag_code(e, &d));
            ck_assert_str_eq(c->items[n0].detail, want);
        }
        lpau_bundle_free(&b);
        lpc_free(t);
    }
    return v;
}

static lp_code verify_weights_file(const char *rel, const lpau_weights_opts *o, lpau_weights *w, lp_checks *c)
{
    size_t n = 0;
    uint8_t *buf = lp_read_vector(rel, &n);
    lp_code v = weights_both(buf, n, o, w, c);
    free(buf);
    return v;
}

static lp_code verify_weights_text(const char *doc, const lpau_weights_opts *o, lpau_weights *w, lp_checks *c)
{
    return weights_both((const uint8_t *)doc, strlen(doc), o, w, c);
}

#define CHAIN "wss://entrypoint-finney.opentensor.ai:443"
#define PUBKEY "abababababababababababababababababababababababababababababababab"
#define CODEHASH "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
/* spec §11 text for netuid 71 and the three values above */
#define BINDING "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=" CHAIN "|enclave_pubkey=" PUBKEY \
                "|validator_code_hash=" CODEHASH "|version=1"
/* weights.json#bundle_weights_hash docstring_example (drift_bundle's) */
#define DOCSTRING_HASH "7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8"

/* Every check in its place: a submitted bundle with its hash, the user's
 * expectation, the EPOCH_AUDIT comparison and a binding built and checked,
 * then the signature warning. */
START_TEST(weights_verify_every_check)
{
    lpau_weights_opts o = {0};
    size_t alen = 0;
    uint8_t *ag = lp_read_vector("replay/weights/drift_pm1.against.json", &alen);
    o.against = ag;
    o.against_len = alen;
    o.expect_hash = DOCSTRING_HASH;
    o.chain = CHAIN;
    o.enclave_pubkey = PUBKEY;
    o.code_hash = CODEHASH;
    o.binding = BINDING;
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c), LP_CODE_OK);
    static const want_check want[] = {
        { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 }, { "weights_hash", LP_CODE_OK, NOI, 0 },
        { "expect_hash", LP_CODE_OK, NOI, 0 }, { "epoch_audit", LP_CODE_OK, NOI, 0 },
        { "binding_create", LP_CODE_OK, NOI, 0 }, { "binding_parse", LP_CODE_OK, NOI, 0 },
        { "binding_fields", LP_CODE_OK, NOI, 0 }, { "binding_signature", LP_CODE_KEY_NOT_PINNED, NOI, 1 },
    };
    expect_checks("every check", &c, 0, want, sizeof want / sizeof want[0]);
    ck_assert_str_eq(detail_of("every check", &c, "input"), "netuid 71, epoch_id 100, block 12345, submitted bundle");
    ck_assert_str_eq(detail_of("every check", &c, "epoch_audit"), "VERIFIED: within +-1 of the bundle");
    ck_assert_int_eq(w.hash_match, 1);
    ck_assert_int_eq(w.expect_match, 1);
    ck_assert_int_eq(w.has_against, 1);
    ck_assert_int_eq(w.bcreate, 1);
    ck_assert_int_eq(w.bparse, 1);
    ck_assert_int_eq(w.bfields, 1);
    ck_assert_uint_eq(w.created.len, strlen(BINDING));
    ck_assert(memcmp(w.created.ptr, BINDING, strlen(BINDING)) == 0);
    ck_assert_str_eq(w.b.bundle_hash, DOCSTRING_HASH);
    lpau_weights_free(&w);
    lp_checks_free(&c);
    free(ag);
}
END_TEST

/* Raw scores: normalize_to_u16 after input; no hash given, none checked. */
START_TEST(weights_verify_raw)
{
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(verify_weights_file("replay/weights/raw_03_sdk_vector_test.json", NULL, &w, &c), LP_CODE_OK);
    static const want_check want[] = { { "input", LP_CODE_OK, NOI, 0 }, { "normalize_to_u16", LP_CODE_OK, NOI, 0 },
                                       { "invariants", LP_CODE_OK, NOI, 0 } };
    expect_checks("raw", &c, 0, want, 3);
    ck_assert_int_eq(w.hash_match, -1);
    ck_assert_int_eq(w.expect_match, -1);
    ck_assert_int_eq(w.bcreate, -1);
    lpau_weights_free(&w);
    lp_checks_free(&c);
}
END_TEST

/* Review small defect 10: the user's --expect-hash names a digest, so its hex
 * compares case-insensitively (the old tool compared bytes: the right hash
 * in uppercase gave WEIGHTS_HASH_MISMATCH).  The uppercase forms are made
 * here from the vector's lowercase hash. */
START_TEST(weights_verify_expect_hash_any_case)
{
    char upper[65], mixed[65], wrong[65];
    for (int i = 0; i < 64; i++) {
        char ch = DOCSTRING_HASH[i];
        upper[i] = (ch >= 'a' && ch <= 'f') ? (char)(ch - 'a' + 'A') : ch;
        mixed[i] = i % 2 ? upper[i] : ch;
    }
    upper[64] = mixed[64] = 0;
    memcpy(wrong, upper, sizeof wrong);
    wrong[63] = wrong[63] == '0' ? '1' : '0';
    static const struct { const char *name; int match; } exp_case[] = { { "uppercase", 1 }, { "mixed", 1 }, { "wrong", 0 } };
    const char *hex[3] = { upper, mixed, wrong };
    for (int k = 0; k < 3; k++) {
        lpau_weights_opts o = {0};
        o.expect_hash = hex[k];
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = verify_weights_file("replay/weights/bundle_docstring_example.json", &o, &w, &c);
        lp_code want_code = exp_case[k].match ? LP_CODE_OK : LP_CODE_WEIGHTS_HASH_MISMATCH;
        ck_assert_msg(v == want_code, "expect_hash %s: verdict %s", exp_case[k].name, lp_code_name(v));
        const want_check want[] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 },
                                    { "weights_hash", LP_CODE_OK, NOI, 0 }, { "expect_hash", want_code, NOI, 0 } };
        expect_checks(exp_case[k].name, &c, 0, want, 4);
        ck_assert_int_eq(w.expect_match, exp_case[k].match);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
}
END_TEST

/* The bundle's own weights_hash keeps the gateway's rule: exact string
 * comparison with hexdigest()'s lowercase (gateway/api/weights.py:
 * `if recomputed_hash != submission.weights_hash`), so the right digest in
 * uppercase is rejected there and a mismatch here. */
START_TEST(weights_verify_claimed_hash_exact)
{
    size_t n = 0;
    uint8_t *buf = lp_read_vector("replay/weights/bundle_docstring_example.json", &n);
    char *doc = malloc(n + 1);
    ck_assert_ptr_nonnull(doc);
    memcpy(doc, buf, n);
    doc[n] = 0;
    free(buf);
    char *h = strstr(doc, DOCSTRING_HASH);
    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < 64; i++)
        if (h[i] >= 'a' && h[i] <= 'f')
            h[i] = (char)(h[i] - 'a' + 'A');
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(verify_weights_text(doc, NULL, &w, &c), LP_CODE_WEIGHTS_HASH_MISMATCH);
    static const want_check want[] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 },
                                       { "weights_hash", LP_CODE_WEIGHTS_HASH_MISMATCH, NOI, 0 } };
    expect_checks("uppercase weights_hash", &c, 0, want, 3);
    ck_assert_int_eq(w.hash_match, 0);
    lpau_weights_free(&w);
    lp_checks_free(&c);
    free(doc);
}
END_TEST

/* The first decided failure is the verdict: invariants before the hashes;
 * a decided failure outranks an undecided binding_create before or after it. */
START_TEST(weights_verify_precedence)
{
    /* uids out of order (invariants) and a claimed hash that is not the bundle's */
    const char *doc = "{\"netuid\":71,\"epoch_id\":100,\"block\":36000,\"uids\":[3,1],\"weights_u16\":[1,1],"
                      "\"weights_hash\":\"" DOCSTRING_HASH "\"}";
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(verify_weights_text(doc, NULL, &w, &c), LP_CODE_WEIGHTS_INVARIANT);
    static const want_check w1[] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_WEIGHTS_INVARIANT, NOI, 0 },
                                     { "weights_hash", LP_CODE_WEIGHTS_HASH_MISMATCH, NOI, 0 } };
    expect_checks("invariants and hash", &c, 0, w1, 3);
    ck_assert_str_eq(detail_of("invariants and hash", &c, "invariants"), "UIDs not strictly increasing: uids[0]=3, uids[1]=1");
    lpau_weights_free(&w);
    lp_checks_free(&c);

    /* a chain that is not UTF-8 cannot be made a message: undecided, the
     * binding message is not parsed and no signature is checked over nothing */
    lpau_weights_opts o = {0};
    o.chain = "wss://\xff";
    o.enclave_pubkey = PUBKEY;
    o.code_hash = CODEHASH;
    o.binding = BINDING;
    ck_assert_int_eq(verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c), LP_CODE_BAD_UTF8);
    static const want_check w2[] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 },
                                     { "weights_hash", LP_CODE_OK, NOI, 0 }, { "binding_create", LP_CODE_BAD_UTF8, NOI, 0 } };
    expect_checks("binding_create", &c, 0, w2, 4);
    ck_assert_int_eq(w.bcreate, 0);
    ck_assert_int_eq(w.bparse, -1);
    lpau_weights_free(&w);
    lp_checks_free(&c);

    /* the same with a tampered bundle hash: the decided failure wins */
    ck_assert_int_eq(verify_weights_file("replay/weights/fail_hash_tampered.json", &o, &w, &c),
                     LP_CODE_WEIGHTS_HASH_MISMATCH);
    ck_assert_str_eq(lp_checks_culprit(&c)->name, "weights_hash");
    lpau_weights_free(&w);
    lp_checks_free(&c);
}
END_TEST

/* Binding outcomes: Python's rejection (decided), a message over our own cap
 * (undecided: Python has none), a mismatch naming the field. */
START_TEST(weights_verify_binding_failures)
{
    static char big[LPC_BINDING_MAX_LEN + 100];
    snprintf(big, sizeof big, "%s", BINDING);
    memset(big + strlen(big), 'x', sizeof big - 1 - strlen(big));
    static const struct { const char *name; const char *chain; const char *binding; lp_code parse, fields; const char *detail; } bc[] = {
        { "trailing pipe", NULL, BINDING "|", LP_CODE_BINDING_REJECTED, LP_CODE_OK, NULL },
        { "over our cap", NULL, big, LP_CODE_INPUT_TOO_LARGE, LP_CODE_OK, NULL },
        { "not UTF-8", NULL, "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=\xff|enclave_pubkey=a|validator_code_hash=b",
          LP_CODE_BINDING_REJECTED, LP_CODE_OK, NULL },
        { "chain differs", CHAIN "x", BINDING, LP_CODE_OK, LP_CODE_BINDING_MISMATCH, "chain mismatch" },
        { "netuid differs", CHAIN, "LEADPOET_VALIDATOR_BINDING|netuid=72|chain=" CHAIN "|enclave_pubkey=" PUBKEY
          "|validator_code_hash=" CODEHASH, LP_CODE_OK, LP_CODE_BINDING_MISMATCH, "netuid mismatch: message has '72', expected 71" },
    };
    for (size_t i = 0; i < sizeof bc / sizeof bc[0]; i++) {
        lpau_weights_opts o = {0};
        o.binding = bc[i].binding;
        if (bc[i].chain) {
            o.chain = bc[i].chain;
            o.enclave_pubkey = PUBKEY;
            o.code_hash = CODEHASH;
        }
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c);
        lp_code want_v = bc[i].parse != LP_CODE_OK ? bc[i].parse : bc[i].fields;
        ck_assert_msg(v == want_v, "%s: verdict %s", bc[i].name, lp_code_name(v));
        want_check want[7] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 },
                               { "weights_hash", LP_CODE_OK, NOI, 0 } };
        size_t n = 3;
        if (bc[i].chain)
            want[n++] = (want_check){ "binding_create", LP_CODE_OK, NOI, 0 };
        want[n++] = (want_check){ "binding_parse", bc[i].parse, NOI, 0 };
        if (bc[i].chain && bc[i].parse == LP_CODE_OK)
            want[n++] = (want_check){ "binding_fields", bc[i].fields, NOI, 0 };
        if (bc[i].parse == LP_CODE_OK)   /* a message that does not parse is refused before */
            want[n++] = (want_check){ "binding_signature", LP_CODE_KEY_NOT_PINNED, NOI, 1 };
        expect_checks(bc[i].name, &c, 0, want, n);
        if (bc[i].detail)
            ck_assert_str_eq(detail_of(bc[i].name, &c, "binding_fields"), bc[i].detail);
        ck_assert_uint_lt(strlen(lp_checks_culprit(&c)->detail), LP_CHECK_DETAIL_MAX);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
}
END_TEST

/* EPOCH_AUDIT failure detail (the +2 drift of README: uid 5), and a long
 * list of differing uids cut with " ..." inside the detail. */
START_TEST(weights_verify_epoch_audit_detail)
{
    lpau_weights_opts o = {0};
    size_t alen = 0;
    uint8_t *ag = lp_read_vector("replay/weights/drift_fail_plus2.against.json", &alen);
    o.against = ag;
    o.against_len = alen;
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c), LP_CODE_AUDITOR_MISMATCH);
    static const want_check want[] = { { "input", LP_CODE_OK, NOI, 0 }, { "invariants", LP_CODE_OK, NOI, 0 },
                                       { "weights_hash", LP_CODE_OK, NOI, 0 }, { "epoch_audit", LP_CODE_AUDITOR_MISMATCH, NOI, 0 } };
    expect_checks("plus2", &c, 0, want, 4);
    ck_assert_str_eq(detail_of("plus2", &c, "epoch_audit"), "1 uids beyond +-1, largest difference 2 (uids 5)");
    lpau_weights_free(&w);
    lp_checks_free(&c);
    free(ag);

    /* 300 uids in the chain's weights, none in the bundle */
    char *big = malloc(300 * 24 + 8), *p = big;
    ck_assert_ptr_nonnull(big);
    *p++ = '[';
    for (int i = 0; i < 300; i++)
        p += sprintf(p, "%s[%d,1000]", i ? "," : "", 1000000 + i);
    strcpy(p, "]");
    o.against = (const uint8_t *)big;
    o.against_len = strlen(big);
    ck_assert_int_eq(verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c), LP_CODE_AUDITOR_MISMATCH);
    const char *d = detail_of("300 uids", &c, "epoch_audit");
    ck_assert_msg(strncmp(d, "303 uids beyond +-1, largest difference ", 40) == 0, "detail %s", d);
    ck_assert_msg(strlen(d) >= 5 && !strcmp(d + strlen(d) - 5, " ...)"), "detail %s", d);
    ck_assert_uint_lt(strlen(d), LP_CHECK_DETAIL_MAX - 1);
    lpau_weights_free(&w);
    lp_checks_free(&c);
    free(big);
}
END_TEST

/* The caller's options contradict each other: one failing "input" check,
 * BAD_ARGUMENT, before anything is parsed. */
START_TEST(weights_verify_option_misuse)
{
    static const struct { const char *name; lpau_weights_opts o; const char *detail; } bad[] = {
        { "expect_hash short", { .expect_hash = "abc" }, "expect_hash must be 64 hex characters" },
        { "expect_hash not hex", { .expect_hash = "gd77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8" },
          "expect_hash must be 64 hex characters" },
        { "expect_hash 65", { .expect_hash = DOCSTRING_HASH "0" }, "expect_hash must be 64 hex characters" },
        { "chain alone", { .chain = CHAIN }, "chain, enclave_pubkey and code_hash go together" },
        { "pubkey and code hash", { .enclave_pubkey = PUBKEY, .code_hash = CODEHASH },
          "chain, enclave_pubkey and code_hash go together" },
        { "version alone", { .binding_version = "1", .binding = BINDING },
          "binding_version needs chain, enclave_pubkey and code_hash" },
        { "against length, no bytes", { .against_len = 5 }, "against is NULL with a length" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = verify_weights_file("replay/weights/drift_bundle.json", &bad[i].o, &w, &c);
        ck_assert_msg(v == LP_CODE_BAD_ARGUMENT, "%s: verdict %s", bad[i].name, lp_code_name(v));
        const want_check want[] = { { "input", LP_CODE_BAD_ARGUMENT, NOI, 0 } };
        expect_checks(bad[i].name, &c, 0, want, 1);
        ck_assert_str_eq(c.items[0].detail, bad[i].detail);
        ck_assert_ptr_null(w.doc);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
    /* NULL arguments */
    lpau_weights w;
    lp_checks c = {0};
    ck_assert_int_eq(lpau_weights_verify((const uint8_t *)"{}", 2, NULL, &w, NULL), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpau_weights_verify((const uint8_t *)"{}", 2, NULL, NULL, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpau_weights_verify(NULL, 3, NULL, &w, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_int_eq(lpau_weights_verify(NULL, 0, NULL, &w, &c), LP_CODE_JSON_SYNTAX);
    lpau_weights_free(&w);
    lp_checks_free(&c);
}
END_TEST

/* Malformed documents and against weights: one failing "input" check with
 * the input error's code; the against file's errors say "against". */
START_TEST(weights_verify_malformed)
{
    static const struct { const char *name, *doc, *against; lp_code code; const char *detail; } bad[] = {
        { "syntax", "{\"netuid\":", NULL, LP_CODE_JSON_SYNTAX, " at byte 10" },
        { "bad utf-8", "{\"netuid\":\"\xc3\"}", NULL, LP_CODE_BAD_UTF8, "at byte" },
        { "netuid missing", "{\"epoch_id\":1,\"block\":1,\"weights\":[[0,1.0]]}", NULL, LP_CODE_MISSING_FIELD, "netuid: required" },
        { "negative weight", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,0.5],[1,-0.1]]}", NULL,
          LP_CODE_BAD_VALUE, "weights[1]: negative weight" },
        { "duplicate uid", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[3,0.5],[3,0.2]]}", NULL,
          LP_CODE_DUPLICATE, "weights: uid 3 appears twice" },
        { "weights_hash int", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[1],\"weights_u16\":[1],\"weights_hash\":5}",
          NULL, LP_CODE_BAD_TYPE, "weights_hash: must be a string" },
        { "against syntax", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[1],\"weights_u16\":[1]}", "[[1,",
          LP_CODE_JSON_SYNTAX, "against: " },
        { "against missing weights", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[1],\"weights_u16\":[1]}",
          "{\"w\":[]}", LP_CODE_MISSING_FIELD, "against.weights: required" },
        { "against duplicate", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[1],\"weights_u16\":[1]}",
          "[[1,1000],[1,999]]", LP_CODE_DUPLICATE, "against: uid 1 appears twice" },
        { "against NaN", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[1],\"weights_u16\":[1]}", "[[1,NaN]]",
          LP_CODE_BAD_VALUE, "against[0]: weight must be finite" },
        /* "weights" is read a pair at a time while parsing; json.loads keeps a repeated
         * key's last value, so the last occurrence is the one judged */
        { "weights twice, the last bad", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1.0]],\"weights\":[[0,\"x\"]]}",
          NULL, LP_CODE_BAD_TYPE, "weights[0]: weight must be a number" },
        { "weights twice, the last a number", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1.0]],\"weights\":5}",
          NULL, LP_CODE_BAD_TYPE, "weights: must be an array of [uid, weight] pairs" },
        { "weights twice, the last an object", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1.0]],\"weights\":{\"0\":1}}",
          NULL, LP_CODE_BAD_TYPE, "weights: must be an array of [uid, weight] pairs" },
        { "a short pair after good ones", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1],[1,2],[2]]}",
          NULL, LP_CODE_BAD_TYPE, "weights[2]: must be a [uid, weight] pair" },
        { "a float uid", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1],[1.0,2]]}",
          NULL, LP_CODE_BAD_TYPE, "weights[1]: uid must be an integer" },
        { "the first failure, not a later one", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,1],[-1,2],[2,NaN]]}",
          NULL, LP_CODE_BAD_VALUE, "weights[1]: uid must be a non-negative int64" },
        { "a bad pair, but netuid first", "{\"weights\":[[0,\"x\"]],\"netuid\":\"71\",\"epoch_id\":1,\"block\":1}",
          NULL, LP_CODE_BAD_TYPE, "netuid: must be an integer" },
        { "a bad pair, but both forms given", "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,\"x\"]],\"uids\":[0],\"weights_u16\":[1]}",
          NULL, LP_CODE_BAD_VALUE, "weights: give either weights or uids + weights_u16, not both" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lpau_weights_opts o = {0};
        if (bad[i].against) {
            o.against = (const uint8_t *)bad[i].against;
            o.against_len = strlen(bad[i].against);
        }
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = verify_weights_text(bad[i].doc, &o, &w, &c);
        ck_assert_msg(v == bad[i].code, "%s: verdict %s", bad[i].name, lp_code_name(v));
        const want_check want[] = { { "input", bad[i].code, NOI, 0 } };
        expect_checks(bad[i].name, &c, 0, want, 1);
        ck_assert_msg(strstr(c.items[0].detail, bad[i].detail) != NULL, "%s: detail '%s'", bad[i].name, c.items[0].detail);
        ck_assert_int_eq(w.has_against, 0);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
    /* nesting past LPC_JSON_MAX_DEPTH, as the document and as the against weights */
    size_t depth = LPC_JSON_MAX_DEPTH + 1;
    char *deep = malloc(2 * depth + 1);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = 0;
    for (int k = 0; k < 2; k++) {
        lpau_weights_opts o = {0};
        o.against = (const uint8_t *)deep;
        o.against_len = k ? strlen(deep) : 0;
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = k ? verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c)
                      : verify_weights_text(deep, NULL, &w, &c);
        ck_assert_msg(v == LP_CODE_JSON_TOO_DEEP, "deep %d: verdict %s", k, lp_code_name(v));
        ck_assert_uint_eq(c.n, 1);
        ck_assert_int_eq(strncmp(c.items[0].detail, "against: ", 9) == 0, k);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
    free(deep);
}
END_TEST

static lpc_each_mode drop_every(void *ctx, const char *key, size_t klen, lpc_type type)
{
    (void)ctx;
    (void)key;
    (void)klen;
    (void)type;
    return LPC_EACH_DROP;
}

/* A bundle's "weights" read a pair at a time: the last of repeated keys, the count
 * before any element's failure (as the tree's reading), and a tree whose "weights"
 * the parse elided refused by the tree's reader rather than read as empty. */
START_TEST(weights_verify_streamed)
{
    lpau_weights w;
    lp_checks c = {0};
    const char *last_good = "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,\"x\"]],\"weights\":[[4,0.25],[2,0.75]]}";
    ck_assert_int_eq(verify_weights_text(last_good, NULL, &w, &c), LP_CODE_OK);
    ck_assert_uint_eq(w.b.n_raw, 2);
    ck_assert_uint_eq(w.b.n, 2);
    ck_assert_int_eq(w.b.pairs[0].uid, 2);   /* sorted by uid (spec section 10.2) */
    ck_assert_int_eq(w.b.pairs[1].uid, 4);
    lpau_weights_free(&w);
    lp_checks_free(&c);

    /* LPC_WEIGHTS_MAX_PAIRS + 1 pairs, the first of them bad: the count decides */
    size_t cap = 32 * (LPC_WEIGHTS_MAX_PAIRS + 2) + 128, n = 0;
    char *t = malloc(cap);
    ck_assert_ptr_nonnull(t);
    n += (size_t)snprintf(t + n, cap - n, "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[0,\"x\"]");
    for (size_t i = 1; i <= LPC_WEIGHTS_MAX_PAIRS; i++)
        n += (size_t)snprintf(t + n, cap - n, ",[%zu,1]", i);
    n += (size_t)snprintf(t + n, cap - n, "]}");
    ck_assert_int_eq(weights_both((const uint8_t *)t, n, NULL, &w, &c), LP_CODE_INPUT_TOO_LARGE);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.items[0].detail, "weights: more than 65536 pairs");
    lpau_weights_free(&w);
    lp_checks_free(&c);
    /* exactly LPC_WEIGHTS_MAX_PAIRS, the first bad: that element's failure */
    char *last = strrchr(t, '[');
    ck_assert_ptr_nonnull(last);
    strcpy(last - 1, "]}");
    ck_assert_int_eq(weights_both((const uint8_t *)t, strlen(t), NULL, &w, &c), LP_CODE_BAD_TYPE);
    ck_assert_str_eq(c.items[0].detail, "weights[0]: weight must be a number");
    lpau_weights_free(&w);
    lp_checks_free(&c);
    free(t);

    /* the tree's reader given an elided "weights" */
    static const char doc[] = "{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[1,1]]}";
    uint8_t *own = malloc(sizeof doc);
    ck_assert_ptr_nonnull(own);
    memcpy(own, doc, sizeof doc);
    static const lpc_each drop_all = {drop_every, NULL, NULL, LPC_EACH_TREE};
    lpc_value *v = NULL;
    size_t off = 0;
    ck_assert_int_eq(lpc_parse_each(own, sizeof doc - 1, LPC_JSON_MAX_INPUT, SIZE_MAX, &drop_all, &v, &off), LPC_OK);
    lpau_bundle b;
    lpau_diag d;
    ck_assert_int_eq(lpau_bundle_from_doc(v, &b, &d), LPAU_ERR_ARG);
    ck_assert_str_eq(d.field, "weights");
    lpau_pairs none = {0};
    ck_assert_int_eq(lpau_bundle_from_doc_pairs(v, &none, &b, &d), LPAU_ERR_ARG);
    lpc_free(v);
}
END_TEST

/* The tree budget (LPAU_WEIGHTS_TREE_SLACK): a member the bundle is not read by is
 * dropped a member (an element) at a time, so 1,000,000 small members of "x" (48 bytes
 * of tree each, 46 MiB, over the text plus the slack) pass; as many strings kept in
 * "weights" or "uids", or objects in a root array, are refused with INPUT_TOO_LARGE
 * in "input". */
START_TEST(weights_verify_tree_budget)
{
    static const struct { const char *head, *unit, *tail; lp_code want; } cases[] = {
        {"{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[[1,1]],\"x\":{", "\"%07zx\":1", "}}", LP_CODE_OK},
        {"{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"x\":[", "[%zu]", "],\"weights\":[[1,1]]}", LP_CODE_OK},
        {"{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"weights\":[", "\"%zx\"", "]}", LP_CODE_INPUT_TOO_LARGE},
        {"{\"netuid\":71,\"epoch_id\":1,\"block\":1,\"uids\":[", "\"%zx\"", "],\"weights_u16\":[]}", LP_CODE_INPUT_TOO_LARGE},
        {"[", "{\"%07zx\":1}", "]", LP_CODE_INPUT_TOO_LARGE},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t cap = (size_t)20 << 20, n = 0;
        char *t = malloc(cap);
        ck_assert_ptr_nonnull(t);
        n += (size_t)snprintf(t + n, cap - n, "%s", cases[k].head);
        for (size_t i = 0; i < 1000000; i++) {
            if (i) t[n++] = ',';
            n += (size_t)snprintf(t + n, cap - n, cases[k].unit, i);
        }
        n += (size_t)snprintf(t + n, cap - n, "%s", cases[k].tail);
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = weights_both((const uint8_t *)t, n, NULL, &w, &c);
        ck_assert_msg(v == cases[k].want, "case %zu: %s (%s)", k, lp_code_name(v), c.n ? c.items[0].detail : "");
        if (v == LP_CODE_INPUT_TOO_LARGE) {
            const want_check want[] = { { "input", LP_CODE_INPUT_TOO_LARGE, NOI, 0 } };
            expect_checks("over the tree budget", &c, 0, want, 1);
        }
        lpau_weights_free(&w);
        lp_checks_free(&c);
        free(t);
    }
}
END_TEST

/* Inputs over LPC_JSON_MAX_INPUT (the bundle, then the against weights):
 * undecided INPUT_TOO_LARGE before any parsing. */
START_TEST(weights_verify_input_cap)
{
    size_t n = LPC_JSON_MAX_INPUT + 1;
    uint8_t *big = malloc(n);
    ck_assert_ptr_nonnull(big);
    memset(big, ' ', n);
    big[0] = '[';
    big[n - 1] = ']';
    for (int k = 0; k < 2; k++) {
        lpau_weights_opts o = {0};
        if (k) {
            o.against = big;
            o.against_len = n;
        }
        lpau_weights w;
        lp_checks c = {0};
        lp_code v = k ? verify_weights_file("replay/weights/drift_bundle.json", &o, &w, &c)
                      : lpau_weights_verify(big, n, NULL, &w, &c);
        ck_assert_msg(v == LP_CODE_INPUT_TOO_LARGE, "cap %d: verdict %s", k, lp_code_name(v));
        const want_check want[] = { { "input", LP_CODE_INPUT_TOO_LARGE, NOI, 0 } };
        expect_checks(k ? "against over the cap" : "bundle over the cap", &c, 0, want, 1);
        lpau_weights_free(&w);
        lp_checks_free(&c);
    }
    free(big);
}
END_TEST

/* ---- the CLI manifest (vectors/replay/cases.tsv, from the vectors) through
 * the library: every row's verdict, exit class, culprit check and, for input
 * errors, the field named ---- */

/* The check a verdict code comes from. */
static const char *culprit_for(lp_code v)
{
    switch (v) {
    case LP_CODE_COMMITMENT_MISMATCH: return "commitments";
    case LP_CODE_CONSENSUS_MISMATCH: return "consensus";
    case LP_CODE_ORDER_DEPENDENT: return "row_order";
    case LP_CODE_WEIGHTS_INVARIANT: return "invariants";
    case LP_CODE_WEIGHTS_HASH_MISMATCH: return "weights_hash";   /* or expect_hash */
    case LP_CODE_AUDITOR_MISMATCH: return "epoch_audit";
    case LP_CODE_BINDING_REJECTED: return "binding_parse";
    case LP_CODE_BINDING_MISMATCH: return "binding_fields";
    default: return "input";
    }
}

/* Splits s at sep in place: fields into f[0..max), returns the count. */
static size_t split(char *s, char sep, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = s;
        char *e = strchr(s, sep);
        if (!e)
            break;
        *e = 0;
        s = e + 1;
    }
    return n;
}

static uint8_t *read_repo_file(const char *path, size_t *n)
{
    ck_assert_msg(strncmp(path, "vectors/", 8) == 0, "manifest path %s", path);
    return lp_read_vector(path + 8, n);
}

static void run_manifest_row(char **f, size_t nf)
{
    const char *name = f[0], *tool = f[1];
    int want_exit = atoi(f[3]);
    const char *want_result = f[4];
    char *arg[40];
    size_t na = split(f[2], '\x1f', arg, 40);
    const char *file = NULL;
    lpc_cons_rules rules = LPC_CONS_RULES_CURRENT;
    lpau_weights_opts o = {0};
    const char *against = NULL;
    for (size_t i = 0; i < na; i++) {
        const char *a = arg[i], *val = i + 1 < na ? arg[i + 1] : NULL;
        if (!strcmp(a, "--json"))
            continue;
        if (!strncmp(a, "--rules", 7)) {
            const char *r = a[7] == '=' ? a + 8 : (i++, val);
            ck_assert_msg(r != NULL, "%s: --rules without value", name);
            static const lpc_cons_rules all[3] = { LPC_CONS_RULES_CURRENT, LPC_CONS_RULES_2025_12_15,
                                                   LPC_CONS_RULES_2025_11_13 };
            size_t k = 0;
            while (k < 3 && strcmp(lpc_cons_rules_name(all[k]), r) != 0)
                k++;
            ck_assert_msg(k < 3, "%s: rules %s", name, r);
            rules = all[k];
            continue;
        }
        const char **slot = !strcmp(a, "--expect-hash") ? &o.expect_hash : !strcmp(a, "--against") ? &against
                            : !strcmp(a, "--chain") ? &o.chain : !strcmp(a, "--enclave-pubkey") ? &o.enclave_pubkey
                            : !strcmp(a, "--code-hash") ? &o.code_hash : !strcmp(a, "--binding-version") ? &o.binding_version
                            : !strcmp(a, "--binding") ? &o.binding : NULL;
        if (slot || !strcmp(a, "--hotkey")) {
            ck_assert_msg(val != NULL, "%s: %s without value", name, a);
            if (slot)
                *slot = val;
            i++;
            continue;
        }
        ck_assert_msg(a[0] != '-' && !file, "%s: unexpected argument %s", name, a);
        file = a;
    }
    ck_assert_msg(file != NULL, "%s: no FILE", name);
    size_t n = 0, an = 0;
    uint8_t *buf = read_repo_file(file, &n), *ag = against ? read_repo_file(against, &an) : NULL;
    lp_checks c = {0};
    lp_code v;
    if (!strcmp(tool, "replay_consensus")) {
        lpau_replay r;
        v = lpau_replay_verify(buf, n, rules, &r, &c);
        lpau_replay_free(&r);
        /* in place on a copy the call takes: the same verdict and checks */
        uint8_t *copy = malloc(n ? n : 1);
        ck_assert_ptr_nonnull(copy);
        if (n) memcpy(copy, buf, n);
        lp_checks c2 = {0};
        ck_assert_int_eq(lpau_replay_verify_take(copy, n, rules, &r, &c2), v);
        lpau_replay_free(&r);
        ck_assert_uint_eq(c2.n, c.n);
        for (size_t i = 0; i < c.n; i++)
            ck_assert_msg(!strcmp(c.items[i].name, c2.items[i].name) && c.items[i].code == c2.items[i].code &&
                              c.items[i].ok == c2.items[i].ok && !strcmp(c.items[i].detail, c2.items[i].detail),
                          "%s: check %zu differs in place", name, i);
        lp_checks_free(&c2);
    } else {
        ck_assert_str_eq(tool, "verify_weights");
        o.against = ag;
        o.against_len = an;
        lpau_weights w;
        v = lpau_weights_verify(buf, n, &o, &w, &c);
        lpau_weights_free(&w);
    }
    ck_assert_msg(!strcmp(lp_code_name(v), want_result), "%s: verdict %s, manifest %s", name, lp_code_name(v),
                  want_result);
    ck_assert_msg((int)lp_code_exit(v) == want_exit, "%s: exit class %d, manifest %d", name, (int)lp_code_exit(v),
                  want_exit);
    ck_assert_int_eq(lp_checks_verdict(&c), v);
    const lp_check *k = lp_checks_culprit(&c);
    if (v == LP_CODE_OK) {
        ck_assert_msg(k == NULL, "%s: OK with a culprit", name);
    } else {
        const char *want_name = culprit_for(v);
        ck_assert_msg(!strcmp(k->name, want_name) || (v == LP_CODE_WEIGHTS_HASH_MISMATCH && !strcmp(k->name, "expect_hash")),
                      "%s: culprit %s, want %s", name, k->name, want_name);
        /* an input error names the field the manifest expects on stderr */
        if (!strcmp(want_name, "input") && nf > 5 && f[5][0] != '"')
            ck_assert_msg(strstr(k->detail, f[5]) != NULL, "%s: input detail '%s' lacks '%s'", name, k->detail, f[5]);
    }
    lp_checks_free(&c);
    free(buf);
    free(ag);
}

START_TEST(manifest_through_library)
{
    size_t n = 0;
    uint8_t *raw = lp_read_vector("replay/cases.tsv", &n);
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, raw, n);
    text[n] = 0;
    free(raw);
    size_t ran[2] = { 0, 0 }, negative = 0;
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (line[0] != '#' && line[0]) {
            char *f[16];
            size_t nf = split(line, '\t', f, 16);
            ck_assert_msg(nf >= 5, "manifest line '%.60s'", line);
            run_manifest_row(f, nf);
            ran[strcmp(f[1], "replay_consensus") != 0]++;
            negative += strcmp(f[4], "OK") != 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    /* the manifest's rows at this commit: 49 replay_consensus, 128 verify_weights */
    ck_assert_uint_ge(ran[0], 49);
    ck_assert_uint_ge(ran[1], 128);
    ck_assert_uint_ge(2 * negative, ran[0] + ran[1]);
    free(text);
}
END_TEST

/* Quotes of untrusted text in details: whole when short, else cut before a
 * NUL or on a UTF-8 boundary with "..." (bytes by hand from RFC 3629). */
START_TEST(clip_quotes)
{
    static const struct { const char *s; size_t n, show; int want; const char *more; } q[] = {
        { "abc", 3, 10, 3, "" },
        { "abc", 3, 3, 3, "" },
        { "abcdef", 6, 3, 3, "..." },
        { "a\xc3\xa9", 3, 2, 1, "..." },             /* "a" then U+00E9 cut after its lead byte */
        { "a\xc3\xa9", 3, 3, 3, "" },
        { "\xf0\x9f\x98\x80z", 5, 3, 0, "..." },    /* U+1F600 cut inside: nothing of it */
        { "\xf0\x9f\x98\x80z", 5, 4, 4, "..." },
        { "a\0b", 3, 10, 1, "..." },                  /* a NUL ends the quote */
        { "", 0, 5, 0, "" },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        lpau_quote c = lpau_clip(q[i].s, q[i].n, q[i].show);
        ck_assert_msg(c.n == q[i].want && !strcmp(c.more, q[i].more), "clip case %zu: n %d more '%s'", i, c.n,
                      c.more);
    }
    lpau_quote c = lpau_clip(NULL, 5, 5);
    ck_assert_int_eq(c.n, 0);
    ck_assert_str_eq(c.more, "");
}
END_TEST

static Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *t = tcase_create("replay");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, eras_match_published, 0, 3);
    tcase_add_test(t, wrong_era_detected);
    tcase_add_loop_test(t, epoch_interleaved_equals_single, 0, 3);
    tcase_add_test(t, grouping_first_seen_then_published_only);
    tcase_add_test(t, tie_is_order_dependent);
    tcase_add_loop_test(t, consensus_fail_variants, 0, sizeof cons_fail / sizeof cons_fail[0]);
    tcase_add_test(t, commitments_all_match);
    tcase_add_loop_test(t, commitments_fail_variants, 0, sizeof commit_fail / sizeof commit_fail[0]);
    tcase_add_test(t, text_replay_equals_tree_replay);
    tcase_add_test(t, text_replay_member_order);
    tcase_add_loop_test(t, replay_malformed, 0, sizeof malformed / sizeof malformed[0]);
    tcase_add_test(t, too_many_rows_for_one_lead);
    suite_add_tcase(s, t);
    TCase *rv = tcase_create("replay_verify");
    tcase_set_timeout(rv, 60);
    tcase_add_loop_test(rv, replay_verify_eras_ok, 0, 3);
    tcase_add_loop_test(rv, replay_verify_ok_files, 0, sizeof replay_ok_files / sizeof replay_ok_files[0]);
    tcase_add_loop_test(rv, replay_verify_consensus_mismatch, 0, sizeof cons_fail_detail / sizeof cons_fail_detail[0]);
    tcase_add_test(rv, replay_verify_own_era_ok);
    tcase_add_loop_test(rv, replay_verify_commitment_mismatch, 0, sizeof commit_fail_detail / sizeof commit_fail_detail[0]);
    tcase_add_test(rv, replay_verify_order_dependent);
    tcase_add_test(rv, replay_verify_precedence);
    tcase_add_test(rv, replay_verify_appends);
    tcase_add_loop_test(rv, replay_verify_malformed_text, 0, sizeof replay_bad_text / sizeof replay_bad_text[0]);
    tcase_add_test(rv, replay_verify_limits);
    tcase_add_test(rv, replay_verify_quotes_lead_ids);
    tcase_add_test(rv, replay_verify_arguments);
    suite_add_tcase(s, rv);
    TCase *w = tcase_create("weights");
    tcase_add_test(w, bundle_hash_vectors);
    tcase_add_test(w, raw_scores_normalised_and_sorted);
    tcase_add_test(w, invariant_messages);
    tcase_add_loop_test(w, epoch_audit_drift, 0, sizeof drift / sizeof drift[0]);
    tcase_add_test(w, tolerance_vectors);
    tcase_add_loop_test(w, weights_malformed, 0, sizeof wbad / sizeof wbad[0]);
    tcase_add_test(w, against_malformed);
    tcase_add_test(w, error_names);
    tcase_add_test(w, clip_quotes);
    suite_add_tcase(s, w);
    TCase *wv = tcase_create("weights_verify");
    tcase_add_test(wv, weights_verify_every_check);
    tcase_add_test(wv, weights_verify_raw);
    tcase_add_test(wv, weights_verify_expect_hash_any_case);
    tcase_add_test(wv, weights_verify_claimed_hash_exact);
    tcase_add_test(wv, weights_verify_precedence);
    tcase_add_test(wv, weights_verify_binding_failures);
    tcase_add_test(wv, weights_verify_epoch_audit_detail);
    tcase_add_test(wv, weights_verify_option_misuse);
    tcase_add_test(wv, weights_verify_malformed);
    tcase_add_test(wv, weights_verify_input_cap);
    tcase_add_test(wv, weights_verify_tree_budget);
    tcase_add_test(wv, weights_verify_streamed);
    suite_add_tcase(s, wv);
    TCase *mf = tcase_create("manifest");
    tcase_set_timeout(mf, 60);
    tcase_add_test(mf, manifest_through_library);
    suite_add_tcase(s, mf);
    return s;
}

LP_TEST_MAIN(audit_suite)
