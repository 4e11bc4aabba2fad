/* replay_consensus: replay commit-reveal hashes and the weighted consensus of
 * one epoch from published rows, and compare with published results.
 * Spec: leadpoet-formats.md §8, §9.  Logic in audit/replay.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/replay.h"
#include "canonical/lpc_num.h"
#include "verify/cli_common.h"
#include "verify/cli_report.h"

#define TOOL "replay_consensus"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL " [--json] [--rules current|2025-12-15|2025-11-13] FILE\n"
            "  FILE: one JSON object {epoch_id, validations[], consensus_results[]} or - for stdin\n"
            "Checks each row's decision/rep_score/rejection_reason (and evidence) hashes against\n"
            "the revealed values and salt, recomputes the stake x trust weighted consensus per\n"
            "lead (rows in file order) and compares every published field exactly.\n"
            "Results: OK, COMMITMENT_MISMATCH, CONSENSUS_MISMATCH (exit 1); ORDER_DEPENDENT (a\n"
            "published result differs only where row order, which is not recorded, decides),\n"
            "input errors (exit 2).\n");
}

static const char *const ch_name[LPAU_CH_N] = {
    "decision_hash", "rep_score_hash", "rejection_reason_hash", "evidence_hash"
};

static void order_names(unsigned fl, char *buf, size_t n)
{
    buf[0] = 0;
    static const struct { unsigned bit; const char *name; } t[] = {
        { LPC_CONS_ORDER_DECISION, "decision" }, { LPC_CONS_ORDER_REASON, "reason" },
        { LPC_CONS_ORDER_ROUNDING, "rounding" }, { LPC_CONS_ORDER_NONFINITE, "nonfinite" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (fl & t[i].bit) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? "," : "", t[i].name);
        }
}

/* The --json report is written straight into one buffer (no tree per lead):
 * byte for byte what lpc_dump(CS_A) of the equivalent tree gives, i.e. keys
 * in sorted order at every level (written here in that order), leaf values
 * through lpc_dump.  The buffer is written only when complete, so a failure
 * never leaves half an object on stdout. */
typedef struct {
    lpc_buf b;
    lpc_err e;
} jw;

static void jw_raw(jw *w, const char *s)
{
    if (w->e == LPC_OK)
        w->e = lpc_buf_append(&w->b, s, strlen(s));
}

static void jw_str(jw *w, const char *s, size_t n)
{
    if (w->e == LPC_OK)
        w->e = lpc_dump_string(s, n, 1, &w->b);
}

static void jw_value(jw *w, const lpc_value *v)
{
    if (w->e == LPC_OK)
        w->e = lpc_dump(v, LPC_PROFILE_CS_A, &w->b);
}

static void jw_float(jw *w, double x)
{
    lpc_value v;
    memset(&v, 0, sizeof v);
    v.type = LPC_FLOAT;
    v.u.f = x;
    jw_value(w, &v);
}

static void jw_int(jw *w, int64_t x)
{
    char d[LPC_I64_DEC_MAX];
    size_t n = lpc_i64_to_dec(x, d);
    if (w->e == LPC_OK)
        w->e = lpc_buf_append(&w->b, d, n);
}

/* "key": with the separator before it unless first. */
static void jw_key(jw *w, const char *key, int first)
{
    jw_raw(w, first ? "\"" : ",\"");
    jw_raw(w, key);
    jw_raw(w, "\":");
}

static void jw_bool_or_null(jw *w, int v)
{
    jw_raw(w, v < 0 ? "null" : v ? "true" : "false");
}

/* recomputed: keys sorted. */
static void jw_recomputed(jw *w, const lpau_replay *r, const lpau_lead *L)
{
    const lpc_cons_result *c = &L->rec;
    jw_key(w, "approval_ratio", 1);
    jw_float(w, c->approval_ratio);
    jw_key(w, "consensus_weight", 0);
    jw_float(w, c->consensus_weight);
    if (r->has_epoch) {
        jw_key(w, "epoch_id", 0);
        jw_int(w, r->epoch_id);
    }
    jw_key(w, "final_decision", 0);
    jw_str(w, c->final_decision, strlen(c->final_decision));
    jw_key(w, "final_rep_score", 0);
    jw_float(w, c->final_rep_score);
    jw_key(w, "lead_id", 0);
    jw_str(w, L->lead_id->u.s.ptr, L->lead_id->u.s.len);
    jw_key(w, "primary_rejection_reason", 0);
    jw_str(w, c->primary_reason, c->primary_reason_len);
    jw_key(w, "validator_count", 0);
    jw_int(w, (int64_t)c->validator_count);
}

/* Published value of field bit as text, for the one-line reason. */
static void field_pair(const lpau_lead *L, unsigned bit, char *buf, size_t n)
{
    const lpc_cons_result *c = &L->rec;
    char a[64];
    lpc_buf pb = {0};
    static const char *const key[] = { "final_decision", "final_rep_score",
        "primary_rejection_reason", "validator_count", "consensus_weight", "approval_ratio",
        "epoch_id" };
    int k = 0;
    while (k < 7 && (1u << k) != bit)
        k++;
    const lpc_value *pv = lpc_get(L->published, key[k < 7 ? k : 0]);
    if (pv)
        lpc_dump(pv, LPC_PROFILE_CS_A, &pb);
    switch (bit) {
    case LPAU_F_DECISION: snprintf(a, sizeof a, "%s", c->final_decision); break;
    case LPAU_F_REP_SCORE: lpc_float_repr(c->final_rep_score, a); break;
    case LPAU_F_WEIGHT: lpc_float_repr(c->consensus_weight, a); break;
    case LPAU_F_RATIO: lpc_float_repr(c->approval_ratio, a); break;
    case LPAU_F_COUNT: snprintf(a, sizeof a, "%zu", c->validator_count); break;
    case LPAU_F_REASON: lp_safe(c->primary_reason, c->primary_reason_len, a, sizeof a); break;
    default: snprintf(a, sizeof a, "(epoch of file)"); break;
    }
    snprintf(buf, n, "%s recomputed %s, published %.*s", key[k < 7 ? k : 0], a,
             (int)(pb.len > 60 ? 60 : pb.len), pb.ptr ? (const char *)pb.ptr : "");
    lpc_buf_free(&pb);
}

static unsigned first_bit(unsigned m)
{
    for (unsigned b = 1; b; b <<= 1)
        if (m & b)
            return b;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *rules_name = "current";
    int json = 0;
    for (int i = 1, r; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf(TOOL " " LP_VERSION_STRING "\n");
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if ((r = lp_cli_opt_value(TOOL, argc, argv, &i, "--rules", &rules_name)) != 0) {
            if (r < 0)
                return LP_EXIT_UNDECIDED;
        } else if (a[0] == '-' && a[1] != 0) {
            lp_cli_error(TOOL, "USAGE", "unknown option %s", a);
            return LP_EXIT_UNDECIDED;
        } else if (!path) {
            path = a;
        } else {
            lp_cli_error(TOOL, "USAGE", "only one FILE may be given");
            return LP_EXIT_UNDECIDED;
        }
    }
    lpc_cons_rules rules;
    if (!strcmp(rules_name, "current"))
        rules = LPC_CONS_RULES_CURRENT;
    else if (!strcmp(rules_name, "2025-12-15"))
        rules = LPC_CONS_RULES_2025_12_15;
    else if (!strcmp(rules_name, "2025-11-13"))
        rules = LPC_CONS_RULES_2025_11_13;
    else {
        lp_cli_error(TOOL, "USAGE", "unknown --rules '%s' (current, 2025-12-15, 2025-11-13)", rules_name);
        return LP_EXIT_UNDECIDED;
    }
    if (!path) {
        usage(stderr);
        lp_cli_error(TOOL, "USAGE", "FILE is required");
        return LP_EXIT_UNDECIDED;
    }

    lp_report rp;
    lp_report_init(&rp);
    lp_put(&rp, rp.root, "rules", lp_str(lpc_cons_rules_name(rules)));
    uint8_t *in = NULL;
    size_t len = 0;
    char err[512];
    lp_read_status rs = lp_read_input(path, LPAU_REPLAY_MAX_INPUT, &in, &len, err, sizeof err);
    if (rs != LP_READ_OK) {
        const char *code = rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : rs == LP_READ_NOMEM ? "NOMEM" : "IO_ERROR";
        lp_cli_error(TOOL, code, "%s", err);
        lp_report_check(&rp, "input", 0, "%s", err);
        if (json)
            lp_report_print(&rp, code, stdout);
        else
            lp_report_free(&rp);
        return LP_EXIT_UNDECIDED;
    }
    lpau_replay r;
    lpau_diag d;
    lpau_err ae = lpau_replay_bytes(in, len, rules, &r, &d);
    free(in);
    if (ae != LPAU_OK) {
        const char *code = ae == LPAU_ERR_CANONICAL ? lpc_errname(d.cause) : lpau_errname(ae);
        if (d.field[0])
            lp_cli_error(TOOL, code, "%s: %s", d.field, d.detail);
        else
            lp_cli_error(TOOL, code, "%s (%s)", d.detail, path);
        lp_report_check(&rp, "input", 0, "%s%s%s", d.field, d.field[0] ? ": " : "", d.detail);
        if (json)
            lp_report_print(&rp, code, stdout);
        else
            lp_report_free(&rp);
        return LP_EXIT_UNDECIDED;
    }
    lp_report_check(&rp, "input", 1, "%zu rows, %zu leads, %zu published results", r.n_rows,
                    r.n_leads, r.published);

    /* The report's "commitments" and "leads" arrays; the enclosing object is
     * assembled below once the checks are known. */
    jw cw = { {0}, LPC_OK }, lw = { {0}, LPC_OK };
    char first_fail[400] = "";
    char sl[256];
    jw_raw(&cw, "[");
    for (size_t i = 0; i < r.n_commits; i++) {
        const lpau_commit *c = &r.commits[i];
        if (json) {
            /* keys sorted: decision_hash, evidence_hash, index, lead_id,
             * rejection_reason_hash, rep_score_hash, validator_hotkey */
            static const int hash_order[2][2] = { { LPAU_CH_DECISION, LPAU_CH_EVIDENCE },
                                                  { LPAU_CH_REASON, LPAU_CH_REP_SCORE } };
            jw_raw(&cw, i ? ",{" : "{");
            for (int k = 0; k < 2; k++) {
                int h = hash_order[0][k];
                jw_key(&cw, ch_name[h], k == 0);
                jw_bool_or_null(&cw, c->status[h] == LPAU_HASH_ABSENT ? -1 : c->status[h] == LPAU_HASH_MATCH);
            }
            jw_key(&cw, "index", 0);
            jw_int(&cw, (int64_t)c->index);
            jw_key(&cw, "lead_id", 0);
            jw_str(&cw, c->lead_id->u.s.ptr, c->lead_id->u.s.len);
            for (int k = 0; k < 2; k++) {
                int h = hash_order[1][k];
                jw_key(&cw, ch_name[h], 0);
                jw_bool_or_null(&cw, c->status[h] == LPAU_HASH_ABSENT ? -1 : c->status[h] == LPAU_HASH_MATCH);
            }
            jw_key(&cw, "validator_hotkey", 0);
            if (c->hotkey && c->hotkey->type == LPC_STR)
                jw_str(&cw, c->hotkey->u.s.ptr, c->hotkey->u.s.len);
            else
                jw_raw(&cw, "null");
            jw_raw(&cw, "}");
        }
        for (int k = 0; k < LPAU_CH_N; k++) {
            if (c->status[k] == LPAU_HASH_MISMATCH && !first_fail[0])
                snprintf(first_fail, sizeof first_fail, "validations[%zu] (lead %s): %s does not open to the revealed value",
                         c->index, lp_safe(c->lead_id->u.s.ptr, c->lead_id->u.s.len, sl, 100), ch_name[k]);
            if (!json && c->status[k] == LPAU_HASH_MISMATCH)
                printf("row %zu lead %s: %s MISMATCH\n", c->index,
                       lp_safe(c->lead_id->u.s.ptr, c->lead_id->u.s.len, sl, sizeof sl), ch_name[k]);
        }
    }
    jw_raw(&cw, "]");
    lp_report_check(&rp, "commitments", r.commit_failures == 0,
                    "%zu rows with commitments, %zu with a mismatching hash", r.n_commits,
                    r.commit_failures);

    /* leads */
    char first_cons[600] = "", first_order[600] = "";
    jw_raw(&lw, "[");
    for (size_t l = 0; l < r.n_leads; l++) {
        const lpau_lead *L = &r.leads[l];
        char fl[64];
        order_names(L->rec.order_flags & LPC_CONS_ORDER_MASK, fl, sizeof fl);
        if (json) {
            /* keys sorted: lead_id, match, mismatched_fields, order_dependent,
             * order_flags, published, recomputed */
            jw_raw(&lw, l ? ",{" : "{");
            jw_key(&lw, "lead_id", 1);
            jw_str(&lw, L->lead_id->u.s.ptr, L->lead_id->u.s.len);
            jw_key(&lw, "match", 0);
            jw_bool_or_null(&lw, L->published ? L->mismatch == 0 : -1);
            jw_key(&lw, "mismatched_fields", 0);
            jw_raw(&lw, "[");
            int nf = 0;
            for (unsigned b = 1; b <= LPAU_F_EPOCH; b <<= 1)
                if (L->mismatch & b) {
                    if (nf++)
                        jw_raw(&lw, ",");
                    jw_str(&lw, lpau_field_name(b), strlen(lpau_field_name(b)));
                }
            jw_raw(&lw, "]");
            jw_key(&lw, "order_dependent", 0);
            jw_raw(&lw, L->order_dependent ? "true" : "false");
            jw_key(&lw, "order_flags", 0);
            jw_raw(&lw, "[");
            for (const char *s = fl; *s;) {
                const char *comma = strchr(s, ',');
                size_t n = comma ? (size_t)(comma - s) : strlen(s);
                if (s != fl)
                    jw_raw(&lw, ",");
                jw_str(&lw, s, n);
                s += n + (comma ? 1 : 0);
            }
            jw_raw(&lw, "]");
            jw_key(&lw, "published", 0);
            if (L->published)
                jw_value(&lw, L->published);
            else
                jw_raw(&lw, "null");
            jw_key(&lw, "recomputed", 0);
            jw_raw(&lw, "{");
            jw_recomputed(&lw, &r, L);
            jw_raw(&lw, "}}");
        }
        if (L->mismatch) {
            char pair[300];
            field_pair(L, first_bit(L->mismatch), pair, sizeof pair);
            char *dst = L->uncertain ? first_order : first_cons;
            if (!dst[0])
                snprintf(dst, 600, "lead %s: %s%s%s", lp_safe(L->lead_id->u.s.ptr, L->lead_id->u.s.len, sl, 100), pair,
                         L->uncertain ? "; row order decides (" : "", L->uncertain ? fl : "");
            if (L->uncertain && dst == first_order && strlen(dst) < 590)
                strcat(dst, ")");
        }
        if (!json) {
            char rep[LPC_REPR_MAX], w[LPC_REPR_MAX], ra[LPC_REPR_MAX];
            lpc_float_repr(L->rec.final_rep_score, rep);
            lpc_float_repr(L->rec.consensus_weight, w);
            lpc_float_repr(L->rec.approval_ratio, ra);
            char sr[256];
            printf("lead %s: %s rep=%s reason=%s validators=%zu weight=%s ratio=%s",
                   lp_safe(L->lead_id->u.s.ptr, L->lead_id->u.s.len, sl, sizeof sl), L->rec.final_decision, rep,
                   lp_safe(L->rec.primary_reason, L->rec.primary_reason_len, sr, sizeof sr),
                   L->rec.validator_count, w, ra);
            if (!L->published)
                printf(" [no published result]");
            else if (!L->mismatch)
                printf(" [published: match]");
            else {
                printf(" [published: MISMATCH");
                for (unsigned b = 1; b <= LPAU_F_EPOCH; b <<= 1)
                    if (L->mismatch & b)
                        printf(" %s", lpau_field_name(b));
                printf("%s]", L->uncertain ? " (row order decides)" : "");
            }
            if (L->order_dependent)
                printf(" [ORDER_DEPENDENT: %s]", fl);
            printf("\n");
        }
    }
    jw_raw(&lw, "]");
    lp_report_check(&rp, "consensus", r.certain_mismatches == 0,
                    "%zu leads replayed, %zu published, %zu certain mismatches",
                    r.n_leads, r.published, r.certain_mismatches);
    lp_report_check(&rp, "row_order", r.order_mismatches == 0,
                    "%zu leads order-dependent, %zu published results differ only where row order decides",
                    r.order_dependent, r.order_mismatches);

    const char *result = "OK";
    int rc = LP_EXIT_OK;
    if (r.commit_failures) {
        result = "COMMITMENT_MISMATCH";
        rc = LP_EXIT_FAIL;
        lp_cli_error(TOOL, result, "%s", first_fail);
    } else if (r.certain_mismatches) {
        result = "CONSENSUS_MISMATCH";
        rc = LP_EXIT_FAIL;
        lp_cli_error(TOOL, result, "%s", first_cons);
    } else if (r.order_mismatches) {
        result = "ORDER_DEPENDENT";
        rc = LP_EXIT_UNDECIDED;
        lp_cli_error(TOOL, result, "%s", first_order);
    }
    if (json) {
        /* Top level, keys sorted: checks, commitments, leads, result, rules. */
        jw out = { {0}, LPC_OK };
        jw_raw(&out, "{\"checks\":");
        if (rp.oom || !rp.checks)
            out.e = LPC_ERR_NOMEM;
        else
            jw_value(&out, rp.checks);
        jw_raw(&out, ",\"commitments\":");
        if (out.e == LPC_OK && cw.e == LPC_OK)
            out.e = lpc_buf_append(&out.b, cw.b.ptr, cw.b.len);
        jw_raw(&out, ",\"leads\":");
        if (out.e == LPC_OK && lw.e == LPC_OK)
            out.e = lpc_buf_append(&out.b, lw.b.ptr, lw.b.len);
        jw_key(&out, "result", 0);
        jw_str(&out, result, strlen(result));
        jw_key(&out, "rules", 0);
        jw_str(&out, lpc_cons_rules_name(rules), strlen(lpc_cons_rules_name(rules)));
        jw_raw(&out, "}\n");
        if (cw.e != LPC_OK || lw.e != LPC_OK || out.e != LPC_OK ||
            fwrite(out.b.ptr, 1, out.b.len, stdout) != out.b.len || fflush(stdout) != 0) {
            lp_cli_error(TOOL, "OUTPUT", "cannot write the report");
            rc = LP_EXIT_UNDECIDED;
        }
        lpc_buf_free(&out.b);
        lp_report_free(&rp);
    } else {
        lp_report_free(&rp);
        printf("commitments: %zu rows checked, %zu mismatched\n", r.n_commits, r.commit_failures);
        printf("leads: %zu (%zu published, %zu certain mismatches, %zu order-dependent)\n",
               r.n_leads, r.published, r.certain_mismatches, r.order_dependent);
        printf("result: %s\n", result);
        if (fflush(stdout) != 0)
            rc = LP_EXIT_UNDECIDED;
    }
    lpc_buf_free(&cw.b);
    lpc_buf_free(&lw.b);
    lpau_replay_free(&r);
    return rc;
}
