/* replay_consensus's verification procedure (replay.h, "Verification"): which
 * checks a finished replay gives, in which order, with which codes and
 * details.  The replay itself (grouping, formulas, comparison) is replay.c. */
#include "audit/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "canonical/lpc_num.h"

#define ORDER_NAMES_ALL "decision,reason,rounding,nonfinite"
_Static_assert(sizeof ORDER_NAMES_ALL <= LPAU_ORDER_NAMES_MAX, "every order flag name fits");

void lpau_order_names(unsigned flags, char buf[LPAU_ORDER_NAMES_MAX])
{
    static const struct { unsigned bit; const char *name; } t[] = {
        { LPC_CONS_ORDER_DECISION, "decision" }, { LPC_CONS_ORDER_REASON, "reason" },
        { LPC_CONS_ORDER_ROUNDING, "rounding" }, { LPC_CONS_ORDER_NONFINITE, "nonfinite" },
    };
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!(flags & t[i].bit))
            continue;
        int k = snprintf(buf + len, LPAU_ORDER_NAMES_MAX - len, "%s%s", len ? "," : "", t[i].name);
        if (k < 0 || (size_t)k >= LPAU_ORDER_NAMES_MAX - len)
            break;   /* unreachable: the static assertion above */
        len += (size_t)k;
    }
}

/* Untrusted text quoted in a detail (lpau_clip): lead ids, and recomputed and
 * published values. */
#define ID_SHOW  90
#define VAL_SHOW 44
/* The widest detail: "lead " ID ": " key " recomputed " VAL ", published " VAL
 * "; row order decides (" every flag ")", each quote with its cut mark. */
#define KEY_MAX  sizeof "primary_rejection_reason"
_Static_assert(sizeof "lead : " + ID_SHOW + sizeof "..." + KEY_MAX + sizeof " recomputed , published " +
                   2 * (VAL_SHOW + sizeof "...") + sizeof "; row order decides ()" +
                   LPAU_ORDER_NAMES_MAX <= LP_CHECK_DETAIL_MAX,
               "a consensus detail fits an lp_check detail uncut");
_Static_assert(sizeof "validations[18446744073709551615] (lead ): rejection_reason_hash does not open "
                   "to the revealed value" + ID_SHOW + sizeof "..." <= LP_CHECK_DETAIL_MAX,
               "a commitment detail fits an lp_check detail uncut");

static unsigned first_bit(unsigned m)
{
    for (unsigned b = 1; b; b <<= 1)
        if (m & b)
            return b;
    return 0;
}

/* "<field> recomputed <ours>, published <theirs>" for the first field in m
 * (theirs as CS-A text of the published value). */
static void field_pair(const lpau_replay *r, const lpau_lead *L, unsigned m, char *buf, size_t n)
{
    unsigned bit = first_bit(m);
    const lpc_cons_result *c = &L->rec;
    const char *key = lpau_field_name(bit);
    char a[LPC_REPR_MAX + LPC_I64_DEC_MAX + sizeof " (epoch of file)"];
    const char *ours = a;
    size_t ours_len;
    switch (bit) {
    case LPAU_F_DECISION: ours = c->final_decision; ours_len = strlen(ours); break;
    case LPAU_F_REP_SCORE: ours_len = lpc_float_repr(c->final_rep_score, a); break;
    case LPAU_F_WEIGHT: ours_len = lpc_float_repr(c->consensus_weight, a); break;
    case LPAU_F_RATIO: ours_len = lpc_float_repr(c->approval_ratio, a); break;
    case LPAU_F_COUNT: ours_len = lpc_i64_to_dec((int64_t)c->validator_count, a); break;
    case LPAU_F_REASON: ours = c->primary_reason; ours_len = c->primary_reason_len; break;
    default:   /* LPAU_F_EPOCH: nothing is recomputed, the document's epoch_id is compared */
        ours_len = lpc_i64_to_dec(r->epoch_id, a);
        memcpy(a + ours_len, " (epoch of file)", sizeof " (epoch of file)");
        ours_len += sizeof " (epoch of file)" - 1;
        break;
    }
    lpc_buf pb = {0};
    const lpc_value *pv = lpc_get(L->published, key);
    const char *theirs = "?";
    size_t theirs_len = 1;
    if (pv && lpc_dump(pv, LPC_PROFILE_CS_A, &pb) == LPC_OK) {
        theirs = (const char *)pb.ptr;
        theirs_len = pb.len;
    }
    lpau_quote qa = lpau_clip(ours, ours_len, VAL_SHOW), qb = lpau_clip(theirs, theirs_len, VAL_SHOW);
    snprintf(buf, n, "%s recomputed %.*s%s, published %.*s%s", key, qa.n, ours, qa.more, qb.n, theirs,
             qb.more);
    lpc_buf_free(&pb);
}

/* The first lead whose mismatch is certain (want_uncertain 0) or explained by
 * row order alone (1); n_leads when none. */
static size_t first_mismatch(const lpau_replay *r, int want_uncertain)
{
    for (size_t l = 0; l < r->n_leads; l++) {
        const lpau_lead *L = &r->leads[l];
        if (L->mismatch && (L->uncertain != 0) == want_uncertain)
            return l;
    }
    return r->n_leads;
}

/* A failed lead check: "lead <id>: <field pair>[; row order decides (<flags>)]". */
static void lead_check(const lpau_replay *r, lp_checks *out, const char *name, lp_code code, size_t l)
{
    const lpau_lead *L = &r->leads[l];
    char pair[LP_CHECK_DETAIL_MAX], fl[LPAU_ORDER_NAMES_MAX];
    field_pair(r, L, L->mismatch, pair, sizeof pair);
    lpau_order_names(L->rec.order_flags & LPC_CONS_ORDER_MASK, fl);
    lpau_quote q = lpau_clip(L->lead_id->u.s.ptr, L->lead_id->u.s.len, ID_SHOW);
    if (L->uncertain)
        lp_check_addi(out, name, code, l, "lead %.*s%s: %s; row order decides (%s)", q.n,
                      L->lead_id->u.s.ptr, q.more, pair, fl);
    else
        lp_check_addi(out, name, code, l, "lead %.*s%s: %s", q.n, L->lead_id->u.s.ptr, q.more, pair);
}

/* The checks after a successful input check.  A check fails with its code
 * when a row or lead has that failure (the first is named); should the
 * replay's totals count failures that the search does not find, it fails
 * with INTERNAL rather than pass. */
static void replay_checks(const lpau_replay *r, lp_checks *out)
{
    static const char *const hash_name[LPAU_CH_N] = {
        "decision_hash", "rep_score_hash", "rejection_reason_hash", "evidence_hash"
    };
    lp_check_add(out, "input", LP_CODE_OK, "%zu rows, %zu leads, %zu published results", r->n_rows,
                 r->n_leads, r->published);

    const lpau_commit *bad = NULL;
    int bad_k = 0;
    for (size_t i = 0; i < r->n_commits && !bad; i++)
        for (int k = 0; k < LPAU_CH_N && !bad; k++)
            if (r->commits[i].status[k] == LPAU_HASH_MISMATCH) {
                bad = &r->commits[i];
                bad_k = k;
            }
    if (bad) {
        lpau_quote q = lpau_clip(bad->lead_id->u.s.ptr, bad->lead_id->u.s.len, ID_SHOW);
        lp_check_addi(out, "commitments", LP_CODE_COMMITMENT_MISMATCH, bad->index,
                      "validations[%zu] (lead %.*s%s): %s does not open to the revealed value", bad->index,
                      q.n, bad->lead_id->u.s.ptr, q.more, hash_name[bad_k]);
    } else {
        lp_check_add(out, "commitments", r->commit_failures ? LP_CODE_INTERNAL : LP_CODE_OK,
                     "%zu rows with commitments, %zu with a mismatching hash", r->n_commits,
                     r->commit_failures);
    }

    size_t l = first_mismatch(r, 0);
    if (l < r->n_leads)
        lead_check(r, out, "consensus", LP_CODE_CONSENSUS_MISMATCH, l);
    else
        lp_check_add(out, "consensus", r->certain_mismatches ? LP_CODE_INTERNAL : LP_CODE_OK,
                     "%zu leads replayed, %zu published, %zu certain mismatches", r->n_leads, r->published,
                     r->certain_mismatches);

    l = first_mismatch(r, 1);
    if (l < r->n_leads)
        lead_check(r, out, "row_order", LP_CODE_ORDER_DEPENDENT, l);
    else
        lp_check_add(out, "row_order", r->order_mismatches ? LP_CODE_INTERNAL : LP_CODE_OK,
                     "%zu leads order-dependent, %zu published results differ only where row order decides",
                     r->order_dependent, r->order_mismatches);
}

/* lpau_replay_verify, and lpau_replay_verify_take when take (== in) is set. */
static lp_code verify_text(const uint8_t *in, uint8_t *take, size_t len, lpc_cons_rules rules, lpau_replay *r,
                           lp_checks *out)
{
    if (r)
        memset(r, 0, sizeof *r);
    if (!out || !r)
        free(take);
    if (!out)
        return LP_CODE_BAD_ARGUMENT;
    size_t n0 = out->n;
    if (!r) {
        lp_check_add(out, "input", LP_CODE_BAD_ARGUMENT, "NULL argument");
    } else {
        lpau_diag d;
        lpau_err e = take ? lpau_replay_bytes_take(take, len, rules, r, &d) : lpau_replay_bytes(in, len, rules, r, &d);
        if (e != LPAU_OK)
            lp_check_add(out, "input", lpau_diag_code(e, &d), "%s%s%s", d.field, d.field[0] ? ": " : "",
                         d.detail);
        else
            replay_checks(r, out);
    }
    /* the verdict of this call's checks alone (a list already incomplete stays OUT_OF_MEMORY) */
    lp_checks mine = { out->items ? out->items + n0 : NULL, out->n - n0, out->n - n0, out->lost };
    return lp_checks_verdict(&mine);
}

lp_code lpau_replay_verify(const uint8_t *in, size_t len, lpc_cons_rules rules, lpau_replay *r, lp_checks *out)
{
    return verify_text(in, NULL, len, rules, r, out);
}

lp_code lpau_replay_verify_take(uint8_t *in, size_t len, lpc_cons_rules rules, lpau_replay *r, lp_checks *out)
{
    return verify_text(in, in, len, rules, r, out);
}
