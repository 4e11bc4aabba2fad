/* Weighted consensus per lead and epoch (gateway compute_weighted_consensus).
 * Spec: leadpoet-formats.md §9; rounding §1.2.  Rule sets read from
 * gateway/utils/consensus.py at 5fe22c16 (current), 8db521b0 and cc40ec19.
 *
 * For each kept row, in the given order and in binary64:
 *   w = float(v_trust) * float(stake); total += w; wrep += float(rep_score) * w;
 *   decision == "approve" (exact string) -> wapp += w, anything else is a deny.
 *   ratio = wapp/total, rep = wrep/total when total > 0, else both 0.0;
 *   final_decision = "approve" iff ratio > 0.5 (unrounded, strict).
 * Reason of a deny:
 *   LPC_CONS_RULES_CURRENT / _2025_12_15: reason text with the largest summed
 *     weight among deny rows, first inserted wins a tie; rows whose reason is
 *     null/absent/"" or one of '{}', '""', 'null', '{"message": "pass"}' are
 *     ignored; none left -> "unknown".  (8db521b0 computes exactly as 5fe22c16;
 *     it only lacked the pre-fetched evidence path.)
 *   LPC_CONS_RULES_2025_11_13 (cc40ec19 Counter mode): the most common reason
 *     text among deny rows, first seen wins a tie; an absent key counts as
 *     "unknown", null and "" are skipped, nothing else is filtered; none -> "unknown".
 * Outputs: final_rep_score = round(rep, 4), approval_ratio = round(ratio, 4),
 * consensus_weight = round(total, 2) (Python round), validator_count = kept rows.
 * No kept rows: deny, 0.0, "no_validations", 0, 0.0, 0.0.
 *
 * Python errors are errors here (the gateway call raised, no result):
 * v_trust/stake/rep_score absent -> LPC_ERR_MISSING; null, array or object ->
 * LPC_ERR_TYPE; a string float() rejects -> LPC_ERR_NOT_FLOAT; an int too large
 * for a double -> LPC_ERR_RANGE; a non-ASCII numeric string (Python's float()
 * accepts Unicode digits and spaces, not reproduced) -> LPC_ERR_UNSUPPORTED;
 * a rejection_reason that is not a string or null -> LPC_ERR_TYPE.
 * result.err_row names the offending input row.
 *
 * Floating point: needs IEEE binary64 with FLT_EVAL_METHOD 0 and no
 * contraction of a*b+c into FMA (separate statements; ISO C mode).
 *
 * Memory: rows and their values belong to the caller and must outlive the
 * result, whose primary_reason may point into a row's rejection_reason text
 * (or to a static string).  The reason table lives in caller-provided `work`
 * (or, when work is NULL, in a block allocated and freed inside the call).
 * No globals, no I/O. */
#ifndef LPC_CONSENSUS_H
#define LPC_CONSENSUS_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_json.h"

/* Rows accepted in one call.  Bittensor subnets have at most a few hundred
 * validator UIDs and each submits one row per lead; this is our own cap (the
 * spec names none) keeping the reason search well under a millisecond. */
#define LPC_CONS_MAX_ROWS 4096

typedef enum {
    LPC_CONS_RULES_CURRENT = 0,   /* 5fe22c16: weighted reason + invalid-reason filter */
    LPC_CONS_RULES_2025_12_15,    /* 8db521b0: same computation as current */
    LPC_CONS_RULES_2025_11_13     /* cc40ec19: Counter.most_common reason, no filter */
} lpc_cons_rules;

typedef enum {
    /* evidence_data given (d97599c6 onward): rows whose decision or rep_score
     * is null or absent are dropped (ev.get(k) is not None). */
    LPC_CONS_PATH_EVIDENCE = 0,
    /* Database query: the rows exactly as the SQL returned them (it already
     * excluded NULL decision / rep_score); nothing is dropped here, so an
     * absent decision is LPC_ERR_MISSING, a null rep_score LPC_ERR_TYPE and a
     * null decision a deny, as the Python loop would do with such a row. */
    LPC_CONS_PATH_DB
} lpc_cons_path;

/* One validation row.  A NULL pointer means the key is absent from the row
 * (not the same as a JSON null value).  Values as stored: numbers may be
 * LPC_INT, LPC_FLOAT, LPC_BOOL or numeric LPC_STR (Python float()). */
typedef struct {
    const lpc_value *decision;
    const lpc_value *rep_score;
    const lpc_value *rejection_reason;  /* text (DU-A of the reason dict) or null */
    const lpc_value *v_trust;           /* column v_score before cc40ec19 */
    const lpc_value *stake;
} lpc_cons_row;

/* One distinct reason, in first-insertion order.  Filled by the call. */
typedef struct {
    const char *text;   /* into the row's string, or static "unknown" */
    size_t len;
    uint64_t h;         /* internal: hash of text */
    double weight;      /* weighted rules: summed weight, Python's order */
    double abs_weight;  /* internal: sum of |w| for the reordering bound */
    int qmin;           /* internal: lowest set-bit exponent of its terms */
    size_t count;       /* rows carrying this reason (Counter count) */
} lpc_cons_reason;

/* ---- order dependence (spec §9: production row order is not recorded) ----
 * result.order_flags says whether ANOTHER order of the same rows could give a
 * different published outcome.  The flags are conservative: never clear when
 * some order changes an output, possibly set when none does.  Sums are
 * bounded by |fl(sum) - sum| <= (k-1)u/(1-(k-1)u) * sum|terms| for any order
 * (u = 2^-53); a sum is the same in every order when it has at most two
 * terms, or when all its terms are multiples of 2^q and sum|terms| < 2^(q+53).
 * Report ORDER_DEPENDENT when (order_flags & LPC_CONS_ORDER_MASK) != 0. */
#define LPC_CONS_ORDER_DECISION  0x01u /* wapp/total within reordering error of 0.5
                                          (or total of 0): the decision may flip */
#define LPC_CONS_ORDER_REASON    0x02u /* deny whose reason ties another (count
                                          mode: equal count; weighted: equal or within
                                          reordering error): first-seen order decides */
#define LPC_CONS_ORDER_ROUNDING  0x04u /* final_rep_score, approval_ratio or
                                          consensus_weight may round differently */
#define LPC_CONS_ORDER_NONFINITE 0x08u /* inf/nan weight or product, or sums that
                                          may overflow in some order */
#define LPC_CONS_ORDER_MASK      0x0Fu
/* Information only, not an order dependence: the ratio is exactly 0.5 (a tied
 * vote, decided "deny" by the strict > rule). */
#define LPC_CONS_INFO_EXACT_HALF 0x100u

typedef struct {
    int approve;                 /* 1: final_decision "approve", 0: "deny" */
    const char *final_decision;  /* static "approve" or "deny" */
    double final_rep_score;      /* round(rep, 4) */
    const char *primary_reason;  /* see Memory above; not NUL-terminated when it
                                    points into a row: use primary_reason_len */
    size_t primary_reason_len;
    size_t validator_count;
    double consensus_weight;     /* round(total, 2) */
    double approval_ratio;       /* round(ratio, 4) */
    /* unrounded intermediate values, for reports */
    double total_weight, rep_unrounded, ratio_unrounded;
    size_t n_reasons;            /* entries written to work */
    unsigned order_flags;
    size_t err_row;              /* on error: index of the offending input row */
} lpc_cons_result;

/* Computes the consensus of rows[0..n_rows).  work: NULL, or an array of
 * work_cap >= n_rows entries receiving the distinct reasons (in first-seen
 * order, n_reasons of them).  n_rows > LPC_CONS_MAX_ROWS: LPC_ERR_TOO_LARGE.
 * On error *out holds only err_row. */
lpc_err lpc_consensus(const lpc_cons_row *rows, size_t n_rows,
                      lpc_cons_rules rules, lpc_cons_path path,
                      lpc_cons_reason *work, size_t work_cap,
                      lpc_cons_result *out);

/* Fills a row from an object holding the keys decision, rep_score,
 * rejection_reason, v_trust (or v_score_key when non-NULL) and stake; absent
 * keys give NULL members.  LPC_ERR_TYPE when obj is not an object. */
lpc_err lpc_cons_row_from_object(const lpc_value *obj, const char *v_score_key,
                                 lpc_cons_row *row);

/* Python float() of a row value, as the consensus uses it (errors above). */
lpc_err lpc_cons_py_float(const lpc_value *v, double *out);

/* Names for reports: "current", "2025-12-15", "2025-11-13"; "evidence", "db". */
const char *lpc_cons_rules_name(lpc_cons_rules r);
const char *lpc_cons_path_name(lpc_cons_path p);

#endif
