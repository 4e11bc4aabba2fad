/* libFuzzer target: replay_consensus's and verify_weights's procedures
 * (lpau_replay_verify under every rule set, lpau_weights_verify) on the same
 * bytes.  For verify_weights the input is the bundle document; its members
 * "against" (re-serialised), "expect_hash", "chain", "enclave_pubkey",
 * "code_hash", "binding_version" and "binding" (strings) become the options,
 * so one input also reaches the EPOCH_AUDIT and binding checks.
 * Build: make fuzz FUZZ_TARGETS=fuzz_replay (or replayed by make check).
 * Invariants checked, besides no crash, leak or sanitizer report:
 *   - the return value is lp_checks_verdict of the list, never OK with a
 *     failed enforced check, a failed input check is the only check and
 *     undecided, and details are NUL-terminated within LP_CHECK_DETAIL_MAX;
 *   - replay: input, commitments, consensus, row_order in that order; each
 *     fails exactly when the replay's totals say so, with the code of
 *     replay.h and an index naming a row or lead that has that failure; the
 *     verdict is commitment > consensus > order; per-lead flags agree with the
 *     totals and validator_count <= rows;
 *   - replay from text (a row at a time, lpc_parse_each) equals lpc_parse then
 *     lpau_replay_run on the tree: the same error, field and detail, or the same
 *     rows, commitments, leads, recomputed results and comparisons (only a parse
 *     over the text's tree budget may differ: INPUT_TOO_LARGE);
 *   - weights: the bundle and "input" check the whole tree's reading gives;
 *     checks in the order of weights_audit.h; hash_match is the
 *     exact comparison and expect_match the case-insensitive one, each
 *     recomputed here; the signature warning comes exactly when a binding
 *     check ran; equal compare hashes imply the tolerance holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/replay.h"
#include "audit/weights_audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* What every check list of one call must satisfy; returns its verdict. */
static lp_code list_invariants(const lp_checks *c, lp_code v)
{
    CHECK(v == lp_checks_verdict(c));
    if (c->lost)   /* an allocation failed: the list is incomplete, the verdict says so */
        return v;
    CHECK(c->n >= 1 && !strcmp(c->items[0].name, "input"));
    for (size_t i = 0; i < c->n; i++) {
        const lp_check *k = &c->items[i];
        CHECK(memchr(k->detail, 0, sizeof k->detail) != NULL);
        CHECK(k->ok == (k->code == LP_CODE_OK && !(k->flags & LP_CHECK_WARNING)));
        if (!k->ok && !(k->flags & LP_CHECK_WARNING))
            CHECK(v != LP_CODE_OK);
    }
    if (!c->items[0].ok) {
        CHECK(c->n == 1 && lp_code_exit(c->items[0].code) == LP_EXIT_UNDECIDED);
        CHECK(c->items[0].index == LP_NO_INDEX);
    }
    return v;
}

static void replay_one(const uint8_t *data, size_t size, lpc_cons_rules rules)
{
    lpau_replay r;
    lp_checks c = {0};
    lp_code v = list_invariants(&c, lpau_replay_verify(data, size, rules, &r, &c));
    if (c.lost || !c.items[0].ok) {
        CHECK(c.lost || (r.doc == NULL && r.leads == NULL && r.commits == NULL));
        lpau_replay_free(&r);
        lp_checks_free(&c);
        return;
    }
    static const char *const name[4] = { "input", "commitments", "consensus", "row_order" };
    CHECK(c.n == 4);
    for (int i = 0; i < 4; i++)
        CHECK(!strcmp(c.items[i].name, name[i]) && !(c.items[i].flags & LP_CHECK_WARNING));
    size_t certain = 0, order = 0, failing_rows = 0;
    for (size_t i = 0; i < r.n_leads; i++) {
        const lpau_lead *L = &r.leads[i];
        CHECK(L->rec.validator_count <= L->n_rows);
        CHECK((L->uncertain & ~L->mismatch) == 0);
        certain += L->mismatch && !L->uncertain;
        order += L->mismatch && L->uncertain;
    }
    for (size_t i = 0; i < r.n_commits; i++) {
        int bad = 0;
        for (int k = 0; k < LPAU_CH_N; k++)
            bad |= r.commits[i].status[k] == LPAU_HASH_MISMATCH;
        failing_rows += (size_t)bad;
    }
    CHECK(certain == r.certain_mismatches && order == r.order_mismatches && failing_rows == r.commit_failures);
    const lp_check *cm = &c.items[1], *cs = &c.items[2], *ro = &c.items[3];
    CHECK(cm->ok == (r.commit_failures == 0) && cs->ok == (certain == 0) && ro->ok == (order == 0));
    if (!cm->ok) {
        CHECK(cm->code == LP_CODE_COMMITMENT_MISMATCH && cm->index < r.n_rows);
        int found = 0;   /* the index names a row with a failing hash */
        for (size_t i = 0; i < r.n_commits; i++)
            if (r.commits[i].index == cm->index)
                for (int k = 0; k < LPAU_CH_N; k++)
                    found |= r.commits[i].status[k] == LPAU_HASH_MISMATCH;
        CHECK(found);
    }
    if (!cs->ok)
        CHECK(cs->code == LP_CODE_CONSENSUS_MISMATCH && cs->index < r.n_leads &&
              r.leads[cs->index].mismatch && !r.leads[cs->index].uncertain);
    if (!ro->ok)
        CHECK(ro->code == LP_CODE_ORDER_DEPENDENT && ro->index < r.n_leads && r.leads[ro->index].uncertain);
    lp_code want = r.commit_failures ? LP_CODE_COMMITMENT_MISMATCH
                   : certain        ? LP_CODE_CONSENSUS_MISMATCH
                   : order          ? LP_CODE_ORDER_DEPENDENT
                                    : LP_CODE_OK;
    CHECK(c.lost || v == want);
    lpau_replay_free(&r);
    lp_checks_free(&c);
}

/* The string member key of doc, NUL-terminated (lpc strings are), or NULL. */
static const char *str_member(const lpc_value *doc, const char *key)
{
    const lpc_value *v = lpc_get(doc, key);
    return v && v->type == LPC_STR ? v->u.s.ptr : NULL;
}

static int hex_eq_nocase(const char *a, const char *lower)
{
    for (size_t i = 0; i < LPC_SHA256_HEX_LEN; i++) {
        char x = a[i];
        if (x >= 'A' && x <= 'F')
            x = (char)(x - 'A' + 'a');
        if (x != lower[i])
            return 0;
    }
    return 1;
}

static void weights_one(const uint8_t *data, size_t size)
{
    lpc_value *doc = NULL;
    lpau_weights_opts o;
    memset(&o, 0, sizeof o);
    lpc_buf ag = {0};
    if (lpc_parse(data, size, &doc, NULL) == LPC_OK && doc->type == LPC_OBJECT) {
        const lpc_value *a = lpc_get(doc, "against");
        if (a && lpc_dump(a, LPC_PROFILE_CS_A, &ag) == LPC_OK) {
            o.against = ag.ptr ? ag.ptr : (const uint8_t *)"";
            o.against_len = ag.len;
        }
        o.expect_hash = str_member(doc, "expect_hash");
        o.chain = str_member(doc, "chain");
        o.enclave_pubkey = str_member(doc, "enclave_pubkey");
        o.code_hash = str_member(doc, "code_hash");
        o.binding_version = str_member(doc, "binding_version");
        o.binding = str_member(doc, "binding");
        o.hotkey = str_member(doc, "hotkey");
        o.hotkey_signature = o.hotkey ? str_member(doc, "hotkey_signature") : NULL;
    }
    lpau_weights w;
    lp_checks c = {0};
    list_invariants(&c, lpau_weights_verify(data, size, &o, &w, &c));
    if (c.lost)
        c.n = 0;
    static const char *const order[] = { "input", "normalize_to_u16", "invariants", "weights_hash", "expect_hash",
                                         "epoch_audit", "binding_create", "binding_parse", "binding_fields",
                                         "binding_signature" };
    size_t at = 0, n_order = sizeof order / sizeof order[0];
    int binding_ran = 0, unbuilt = 0, signature = 0;
    for (size_t i = 0; i < c.n; i++) {
        const lp_check *k = &c.items[i];
        while (at < n_order && strcmp(order[at], k->name) != 0)
            at++;
        CHECK(at < n_order);   /* known name, in order, at most once */
        CHECK(k->index == LP_NO_INDEX);
        /* the signature check is a warning exactly when no signature was given */
        CHECK(((k->flags & LP_CHECK_WARNING) != 0) == (at == n_order - 1 && !o.hotkey_signature));
        binding_ran |= at >= 6 && at <= 8;
        unbuilt |= (at == 6 || at == 7) && !k->ok;
        signature |= at == n_order - 1;
        at++;
    }
    /* the signature is checked over a message that was built or parsed, never otherwise */
    CHECK(c.lost || signature == (binding_ran && !unbuilt));
    if (c.n && c.items[0].ok) {
        const lpau_bundle *b = &w.b;
        if (b->claimed_hash)
            CHECK(w.hash_match == (memcmp(b->claimed_hash->u.s.ptr, b->bundle_hash, LPC_SHA256_HEX_LEN) == 0));
        else
            CHECK(w.hash_match == -1);
        if (o.expect_hash)
            CHECK(w.expect_match == hex_eq_nocase(o.expect_hash, b->bundle_hash));
        if (w.has_against && w.cc.exact)
            CHECK(w.cc.within);   /* equal hashes imply equal pairs */
    }
    /* the bundle read from the whole tree gives the verification's "input" verdict,
     * detail and bundle (the verification streams "weights" a pair at a time) */
    if (doc && w.doc && !o.against && c.n && !strcmp(c.items[0].name, "input") &&
        c.items[0].code != LP_CODE_BAD_ARGUMENT && c.items[0].code != LP_CODE_OUT_OF_MEMORY) {
        lpau_bundle tb;
        lpau_diag d;
        lpau_err e = lpau_bundle_from_doc(doc, &tb, &d);
        if (e == LPAU_OK) {
            CHECK(c.items[0].ok);
            CHECK(tb.n == w.b.n && tb.n_raw == w.b.n_raw && tb.from_raw == w.b.from_raw);
            CHECK(tb.n == 0 || memcmp(tb.pairs, w.b.pairs, tb.n * sizeof *tb.pairs) == 0);
            CHECK(!strcmp(tb.bundle_hash, w.b.bundle_hash) && !strcmp(tb.compare_hash, w.b.compare_hash));
            CHECK(tb.invariants_ok == w.b.invariants_ok);
        } else if (e != LPAU_ERR_NOMEM) {
            char want[LPAU_FIELD_MAX + LPAU_DETAIL_MAX + 4];
            snprintf(want, sizeof want, "%s: %s", d.field, d.detail);
            size_t got = strlen(c.items[0].detail);   /* a check's detail is cut to fit */
            CHECK(c.items[0].code == lpau_diag_code(e, &d));
            CHECK(!strncmp(c.items[0].detail, want, got) && (want[got] == 0 || got + 8 >= LP_CHECK_DETAIL_MAX));
        }
        lpau_bundle_free(&tb);
    }
    lpau_weights_free(&w);
    lp_checks_free(&c);
    lpc_buf_free(&ag);
    lpc_free(doc);
}

static int same_str(const lpc_value *a, const lpc_value *b)
{
    if (!a || !b) return a == b;
    return a->type == b->type && (a->type != LPC_STR || (a->u.s.len == b->u.s.len && !memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len)));
}

static void stream_vs_tree(const uint8_t *data, size_t size, lpc_cons_rules rules)
{
    lpau_replay s, t;
    lpau_diag ds, dt;
    memset(&t, 0, sizeof t);
    memset(&dt, 0, sizeof dt);
    lpau_err es = lpau_replay_bytes(data, size, rules, &s, &ds);
    lpc_value *doc = NULL;
    size_t off = 0;
    lpc_err pe = lpc_parse_limit(data, size, LPAU_REPLAY_MAX_INPUT, &doc, &off);
    lpau_err et;
    if (pe != LPC_OK) {
        et = LPAU_ERR_CANONICAL;
        CHECK(es == et && !strcmp(ds.field, ""));
        if (ds.cause != LPC_ERR_TOO_LARGE || pe == LPC_ERR_TOO_LARGE) {   /* else the budget came first */
            char want[LPAU_DETAIL_MAX];
            snprintf(want, sizeof want, "%s at byte %zu", lpc_strerror(pe), off);
            CHECK(ds.cause == pe && !strcmp(ds.detail, want));
        }
    } else {
        et = lpau_replay_run(doc, rules, &t, &dt);
        if (es == LPAU_ERR_CANONICAL && ds.cause == LPC_ERR_TOO_LARGE) goto out;   /* the budget */
        CHECK(es == et);
        if (et != LPAU_OK) {
            CHECK(!strcmp(ds.field, dt.field) && !strcmp(ds.detail, dt.detail) && ds.cause == dt.cause);
        } else {
            CHECK(s.n_rows == t.n_rows && s.n_leads == t.n_leads && s.n_commits == t.n_commits &&
                  s.has_epoch == t.has_epoch && s.epoch_id == t.epoch_id && s.published == t.published &&
                  s.commit_failures == t.commit_failures && s.certain_mismatches == t.certain_mismatches &&
                  s.order_mismatches == t.order_mismatches && s.order_dependent == t.order_dependent);
            for (size_t i = 0; i < s.n_commits; i++) {
                const lpau_commit *a = &s.commits[i], *b = &t.commits[i];
                CHECK(a->index == b->index && same_str(a->lead_id, b->lead_id) && same_str(a->hotkey, b->hotkey) &&
                      !memcmp(a->status, b->status, sizeof a->status));
            }
            for (size_t i = 0; i < s.n_leads; i++) {
                const lpau_lead *a = &s.leads[i], *b = &t.leads[i];
                const lpc_cons_result *x = &a->rec, *y = &b->rec;
                CHECK(same_str(a->lead_id, b->lead_id) && a->n_rows == b->n_rows && a->mismatch == b->mismatch &&
                      a->uncertain == b->uncertain && a->order_dependent == b->order_dependent &&
                      (a->published == NULL) == (b->published == NULL) &&
                      (!a->published || lpc_identical(a->published, b->published)));
                CHECK(x->approve == y->approve && !strcmp(x->final_decision, y->final_decision) &&
                      !memcmp(&x->final_rep_score, &y->final_rep_score, sizeof(double)) &&
                      !memcmp(&x->consensus_weight, &y->consensus_weight, sizeof(double)) &&
                      !memcmp(&x->approval_ratio, &y->approval_ratio, sizeof(double)) &&
                      x->validator_count == y->validator_count && x->order_flags == y->order_flags &&
                      x->primary_reason_len == y->primary_reason_len &&
                      !memcmp(x->primary_reason, y->primary_reason, x->primary_reason_len));
            }
        }
    }
out:
    lpau_replay_free(&s);
    lpau_replay_free(&t);
    lpc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const lpc_cons_rules rules[3] = { LPC_CONS_RULES_CURRENT, LPC_CONS_RULES_2025_12_15,
                                             LPC_CONS_RULES_2025_11_13 };
    for (int k = 0; k < 3; k++)
        replay_one(data, size, rules[k]);
    stream_vs_tree(data, size, rules[size % 3]);
    weights_one(data, size);
    return 0;
}
