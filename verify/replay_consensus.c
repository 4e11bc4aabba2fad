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

static lpc_value *recomputed_obj(lp_report *rp, const lpau_replay *r, const lpau_lead *L)
{
    lpc_value *o = lpc_new_object();
    const lpc_cons_result *c = &L->rec;
    lp_put(rp, o, "lead_id", lp_strn(L->lead_id->u.s.ptr, L->lead_id->u.s.len));
    if (r->has_epoch)
        lp_put(rp, o, "epoch_id", lpc_new_int(r->epoch_id));
    lp_put(rp, o, "final_decision", lp_str(c->final_decision));
    lp_put(rp, o, "final_rep_score", lpc_new_float(c->final_rep_score));
    lp_put(rp, o, "primary_rejection_reason", lp_strn(c->primary_reason, c->primary_reason_len));
    lp_put(rp, o, "validator_count", lpc_new_int((int64_t)c->validator_count));
    lp_put(rp, o, "consensus_weight", lpc_new_float(c->consensus_weight));
    lp_put(rp, o, "approval_ratio", lpc_new_float(c->approval_ratio));
    return o;
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf(TOOL " " LP_VERSION_STRING "\n");
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--rules")) {
            if (++i >= argc) {
                lp_cli_error(TOOL, "USAGE", "--rules needs a value");
                return LP_EXIT_UNDECIDED;
            }
            rules_name = argv[i];
        } else if (!strncmp(a, "--rules=", 8)) {
            rules_name = a + 8;
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

    /* commitments */
    lpc_value *carr = lpc_new_array();
    char first_fail[400] = "";
    char sl[256];
    for (size_t i = 0; i < r.n_commits; i++) {
        const lpau_commit *c = &r.commits[i];
        lpc_value *o = lpc_new_object();
        lp_put(&rp, o, "index", lpc_new_int((int64_t)c->index));
        lp_put(&rp, o, "lead_id", lp_strn(c->lead_id->u.s.ptr, c->lead_id->u.s.len));
        lp_put(&rp, o, "validator_hotkey", c->hotkey && c->hotkey->type == LPC_STR
               ? lp_strn(c->hotkey->u.s.ptr, c->hotkey->u.s.len) : lpc_new_null());
        for (int k = 0; k < LPAU_CH_N; k++) {
            lp_put(&rp, o, ch_name[k], lp_bool_or_null(c->status[k] == LPAU_HASH_ABSENT ? -1
                                                      : c->status[k] == LPAU_HASH_MATCH));
            if (c->status[k] == LPAU_HASH_MISMATCH && !first_fail[0])
                snprintf(first_fail, sizeof first_fail, "validations[%zu] (lead %s): %s does not open to the revealed value",
                         c->index, lp_safe(c->lead_id->u.s.ptr, c->lead_id->u.s.len, sl, 100), ch_name[k]);
            if (!json && c->status[k] == LPAU_HASH_MISMATCH)
                printf("row %zu lead %s: %s MISMATCH\n", c->index,
                       lp_safe(c->lead_id->u.s.ptr, c->lead_id->u.s.len, sl, sizeof sl), ch_name[k]);
        }
        lp_push(&rp, carr, o);
    }
    lp_put(&rp, rp.root, "commitments", carr);
    lp_report_check(&rp, "commitments", r.commit_failures == 0,
                    "%zu rows with commitments, %zu with a mismatching hash", r.n_commits,
                    r.commit_failures);

    /* leads */
    lpc_value *larr = lpc_new_array();
    char first_cons[600] = "", first_order[600] = "";
    for (size_t l = 0; l < r.n_leads; l++) {
        const lpau_lead *L = &r.leads[l];
        char fl[64];
        order_names(L->rec.order_flags & LPC_CONS_ORDER_MASK, fl, sizeof fl);
        lpc_value *o = lpc_new_object();
        lp_put(&rp, o, "lead_id", lp_strn(L->lead_id->u.s.ptr, L->lead_id->u.s.len));
        lp_put(&rp, o, "recomputed", recomputed_obj(&rp, &r, L));
        lpc_value *pub = NULL;
        if (L->published && lpc_clone(L->published, &pub) != LPC_OK)
            pub = NULL, rp.oom = 1;
        lp_put(&rp, o, "published", L->published ? pub : lpc_new_null());
        lp_put(&rp, o, "match", lp_bool_or_null(L->published ? L->mismatch == 0 : -1));
        lp_put(&rp, o, "order_dependent", lpc_new_bool(L->order_dependent));
        lpc_value *fa = lpc_new_array();
        {
            char tmp[64];
            char *s = tmp;
            snprintf(tmp, sizeof tmp, "%s", fl);
            while (*s) {
                char *comma = strchr(s, ',');
                size_t n = comma ? (size_t)(comma - s) : strlen(s);
                lp_push(&rp, fa, lp_strn(s, n));
                s += n + (comma ? 1 : 0);
            }
        }
        lp_put(&rp, o, "order_flags", fa);
        lpc_value *ma = lpc_new_array();
        for (unsigned b = 1; b <= LPAU_F_EPOCH; b <<= 1)
            if (L->mismatch & b)
                lp_push(&rp, ma, lp_str(lpau_field_name(b)));
        lp_put(&rp, o, "mismatched_fields", ma);
        lp_push(&rp, larr, o);
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
    lp_put(&rp, rp.root, "leads", larr);
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
        if (lp_report_print(&rp, result, stdout) != 0) {
            lp_cli_error(TOOL, "OUTPUT", "cannot write the report");
            rc = LP_EXIT_UNDECIDED;
        }
    } else {
        lp_report_free(&rp);
        printf("commitments: %zu rows checked, %zu mismatched\n", r.n_commits, r.commit_failures);
        printf("leads: %zu (%zu published, %zu certain mismatches, %zu order-dependent)\n",
               r.n_leads, r.published, r.certain_mismatches, r.order_dependent);
        printf("result: %s\n", result);
        if (fflush(stdout) != 0)
            rc = LP_EXIT_UNDECIDED;
    }
    lpau_replay_free(&r);
    return rc;
}
