/* replay_consensus: replay commit-reveal hashes and the weighted consensus of
 * one epoch from published rows, and compare with published results.
 * Spec: leadpoet-formats.md §8, §9.  Logic: lpau_replay_verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/replay.h"
#include "canonical/lpc_num.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "replay_consensus"

static const char *const ch_name[LPAU_CH_N] = {"decision_hash", "rep_score_hash", "rejection_reason_hash",
                                               "evidence_hash"};

/* The "commitments" and "leads" members are written straight into one buffer
 * each (no tree per row: an epoch has a million): byte for byte lpc_dump(CS_A)
 * of the equivalent objects, keys written in sorted order. */
typedef struct {
    lpc_buf b;
    lpc_err e;
} jw;

static void raw(jw *w, const char *s)
{
    if (w->e == LPC_OK) w->e = lpc_buf_append(&w->b, s, strlen(s));
}

static void str(jw *w, const lpc_value *s)
{
    if (w->e == LPC_OK) w->e = s && s->type == LPC_STR ? lp_json_bytes(&w->b, s->u.s.ptr, s->u.s.len) : lpc_buf_append(&w->b, "null", 4);
}

static void cstr(jw *w, const char *s, size_t n)
{
    if (w->e == LPC_OK) w->e = lp_json_bytes(&w->b, s, n);
}

static void value(jw *w, const lpc_value *v)
{
    if (w->e == LPC_OK) w->e = v ? lpc_dump(v, LPC_PROFILE_CS_A, &w->b) : lpc_buf_append(&w->b, "null", 4);
}

/* A float as json.dumps writes it (repr, or NaN / Infinity / -Infinity). */
static void num(jw *w, double x)
{
    lpc_value v;
    memset(&v, 0, sizeof v);
    v.type = LPC_FLOAT;
    v.u.f = x;
    value(w, &v);
}

static void integer(jw *w, int64_t x)
{
    char d[LPC_I64_DEC_MAX];
    size_t n = lpc_i64_to_dec(x, d);
    if (w->e == LPC_OK) w->e = lpc_buf_append(&w->b, d, n);
}

static void key(jw *w, const char *k, int first)
{
    raw(w, first ? "\"" : ",\"");
    raw(w, k);
    raw(w, "\":");
}

static void tri(jw *w, int status)
{
    raw(w, status == LPAU_HASH_ABSENT ? "null" : status == LPAU_HASH_MATCH ? "true" : "false");
}

/* [{decision_hash, evidence_hash, index, lead_id, rejection_reason_hash, rep_score_hash, validator_hotkey}] */
static void commitments(lp_report *r, const lpau_replay *rp)
{
    jw w = {{0}, LPC_OK};
    raw(&w, "[");
    for (size_t i = 0; i < rp->n_commits; i++) {
        const lpau_commit *c = &rp->commits[i];
        raw(&w, i ? ",{" : "{");
        key(&w, "decision_hash", 1), tri(&w, c->status[LPAU_CH_DECISION]);
        key(&w, "evidence_hash", 0), tri(&w, c->status[LPAU_CH_EVIDENCE]);
        key(&w, "index", 0), integer(&w, (int64_t)c->index);
        key(&w, "lead_id", 0), str(&w, c->lead_id);
        key(&w, "rejection_reason_hash", 0), tri(&w, c->status[LPAU_CH_REASON]);
        key(&w, "rep_score_hash", 0), tri(&w, c->status[LPAU_CH_REP_SCORE]);
        key(&w, "validator_hotkey", 0), str(&w, c->hotkey);
        raw(&w, "}");
        for (int k = 0; k < LPAU_CH_N; k++)
            if (c->status[k] == LPAU_HASH_MISMATCH)
                lp_report_say(r, "row %zu lead %.*s: %s MISMATCH", c->index, (int)c->lead_id->u.s.len, c->lead_id->u.s.ptr,
                              ch_name[k]);
    }
    raw(&w, "]");
    if (w.e == LPC_OK) lp_report_put_json(r, "commitments", &w.b);
    else r->oom = 1;
    lpc_buf_free(&w.b);
}

/* One lead's human line. */
static void say_lead(lp_report *r, const lpau_lead *L, const char *flags)
{
    char rep[LPC_REPR_MAX], wt[LPC_REPR_MAX], ra[LPC_REPR_MAX], mis[160] = "";
    lpc_float_repr(L->rec.final_rep_score, rep);
    lpc_float_repr(L->rec.consensus_weight, wt);
    lpc_float_repr(L->rec.approval_ratio, ra);
    for (unsigned b = 1; b <= LPAU_F_EPOCH; b <<= 1)
        if (L->mismatch & b) snprintf(mis + strlen(mis), sizeof mis - strlen(mis), " %s", lpau_field_name(b));
    lp_report_say(r, "lead %.*s: %s rep=%s reason=%.*s validators=%zu weight=%s ratio=%s [%s%s%s]%s%s%s",
                  (int)L->lead_id->u.s.len, L->lead_id->u.s.ptr, L->rec.final_decision, rep, (int)L->rec.primary_reason_len,
                  L->rec.primary_reason, L->rec.validator_count, wt, ra,
                  !L->published ? "no published result" : !L->mismatch ? "published: match" : "published: MISMATCH", mis,
                  L->mismatch && L->uncertain ? " (row order decides)" : "", L->order_dependent ? " [ORDER_DEPENDENT: " : "",
                  L->order_dependent ? flags : "", L->order_dependent ? "]" : "");
}

/* [{lead_id, match, mismatched_fields, order_dependent, order_flags, published, recomputed}] */
static void leads(lp_report *r, const lpau_replay *rp)
{
    jw w = {{0}, LPC_OK};
    raw(&w, "[");
    for (size_t l = 0; l < rp->n_leads; l++) {
        const lpau_lead *L = &rp->leads[l];
        const lpc_cons_result *c = &L->rec;
        char fl[LPAU_ORDER_NAMES_MAX];
        lpau_order_names(c->order_flags & LPC_CONS_ORDER_MASK, fl);
        raw(&w, l ? ",{" : "{");
        key(&w, "lead_id", 1), str(&w, L->lead_id);
        key(&w, "match", 0), raw(&w, !L->published ? "null" : L->mismatch ? "false" : "true");
        key(&w, "mismatched_fields", 0), raw(&w, "[");
        int nf = 0;
        for (unsigned b = 1; b <= LPAU_F_EPOCH; b <<= 1)
            if (L->mismatch & b) {
                if (nf++) raw(&w, ",");
                cstr(&w, lpau_field_name(b), strlen(lpau_field_name(b)));
            }
        raw(&w, "]");
        key(&w, "order_dependent", 0), raw(&w, L->order_dependent ? "true" : "false");
        key(&w, "order_flags", 0), raw(&w, "[");
        for (const char *s = fl; *s;) {
            size_t n = strcspn(s, ",");
            if (s != fl) raw(&w, ",");
            cstr(&w, s, n);
            s += n + (s[n] == ',');
        }
        raw(&w, "]");
        key(&w, "published", 0), value(&w, L->published);
        key(&w, "recomputed", 0), raw(&w, "{");
        key(&w, "approval_ratio", 1), num(&w, c->approval_ratio);
        key(&w, "consensus_weight", 0), num(&w, c->consensus_weight);
        if (rp->has_epoch) key(&w, "epoch_id", 0), integer(&w, rp->epoch_id);
        key(&w, "final_decision", 0), cstr(&w, c->final_decision, strlen(c->final_decision));
        key(&w, "final_rep_score", 0), num(&w, c->final_rep_score);
        key(&w, "lead_id", 0), str(&w, L->lead_id);
        key(&w, "primary_rejection_reason", 0), cstr(&w, c->primary_reason, c->primary_reason_len);
        key(&w, "validator_count", 0), integer(&w, (int64_t)c->validator_count);
        raw(&w, "}}");
        if (lp_report_says(r)) say_lead(r, L, fl);
    }
    raw(&w, "]");
    if (w.e == LPC_OK) lp_report_put_json(r, "leads", &w.b);
    else r->oom = 1;
    lpc_buf_free(&w.b);
}

int main(int argc, char **argv)
{
    const char *rules_name = NULL, *args[1];
    const lp_opt opts[] = {
        {"--rules", "ERA", "consensus rules: current (default), 2025-12-15 or 2025-11-13", NULL, &rules_name, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--rules current|2025-12-15|2025-11-13] FILE",
                        "FILE: one JSON object {epoch_id, validations[], consensus_results[]}, or - for stdin.\n"
                        "Checks each row's commitments against its revealed values and salt, recomputes the\n"
                        "stake x trust weighted consensus per lead (rows in file order) and compares every\n"
                        "published field exactly; ORDER_DEPENDENT (exit 2) where only row order, which is not\n"
                        "recorded, could explain a difference.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    static const struct { const char *name; lpc_cons_rules rules; } eras[] = {
        {"current", LPC_CONS_RULES_CURRENT}, {"2025-12-15", LPC_CONS_RULES_2025_12_15}, {"2025-11-13", LPC_CONS_RULES_2025_11_13}};
    size_t era = 0;
    while (rules_name && era < 3 && strcmp(rules_name, eras[era].name) != 0) era++;
    if (era == 3) return lp_cli_usage_error(&r, "unknown --rules \"%.40s\" (current, 2025-12-15, 2025-11-13)", rules_name);
    lp_report_put_cstr(&r, "rules", lpc_cons_rules_name(eras[era].rules));
    uint8_t *in = NULL;
    size_t len = 0;
    char err[512];
    lp_code c = lp_read_input(args[0], LPAU_REPLAY_MAX_INPUT, &in, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    lpau_replay rp;
    lpau_replay_verify_take(in, len, eras[era].rules, &rp, lp_report_checks(&r));  /* in is the document's now */
    commitments(&r, &rp);
    leads(&r, &rp);
    lp_report_say(&r, "commitments: %zu rows checked, %zu mismatched", rp.n_commits, rp.commit_failures);
    lp_report_say(&r, "leads: %zu (%zu published, %zu certain mismatches, %zu order-dependent)", rp.n_leads, rp.published,
                  rp.certain_mismatches, rp.order_dependent);
    lpau_replay_free(&rp);
    return lp_report_finish(&r, "OK: every commitment opens and every published result replays exactly");
}
