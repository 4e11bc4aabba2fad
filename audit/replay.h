/* Replay of commit-reveal hashes and weighted consensus over one epoch's
 * published validation rows.  Spec: leadpoet-formats.md §8 (hashes), §9
 * (consensus, row order).  Formulas come from canonical/lpc_commit.h and
 * canonical/lpc_consensus.h; this file groups, compares and classifies.
 *
 * Input document (one JSON object):
 *   {"epoch_id": int (optional),
 *    "validations": [ {lead_id, validator_hotkey?, decision, rep_score,
 *                      rejection_reason (stored text or null), v_trust, stake,
 *                      salt?, decision_hash?, rep_score_hash?,
 *                      rejection_reason_hash?, evidence?, evidence_hash?}, ...],
 *    "consensus_results": [ {lead_id, epoch_id?, final_decision, final_rep_score,
 *                      primary_rejection_reason, validator_count,
 *                      consensus_weight, approval_ratio?}, ... ] (optional;
 *                      approval_ratio is compared when present: the signed
 *                      CONSENSUS_RESULT payload of §9 does not carry it)}
 *
 * Rows are used in file order.  Leads are replayed in first-seen order,
 * followed by leads that appear only in consensus_results (which replay with
 * no rows: "no_validations").  Rows whose decision or rep_score is null or
 * absent are dropped as the gateway's evidence path does (the earlier SQL
 * path excluded NULL columns, which is the same set).
 *
 * Commitments (§8): a row with any of decision_hash, rep_score_hash,
 * rejection_reason_hash needs "salt" (64 lowercase hex, used as text).  The
 * rejection_reason text is hashed as stored (DU-A text + salt, which is also
 * the legacy single-reveal string form); evidence_hash covers
 * DU-A(clean_result(evidence)) without salt.
 *
 * Order dependence: a lead is order_dependent when lpc_consensus reports that
 * another order of the same rows could change an output (§9).  A published
 * field that differs only where such a flag applies is an
 * order-dependent mismatch (cannot decide), never a certain one.
 *
 * Verification (lpau_replay_verify, replay_consensus's procedure) appends
 * these checks, in this order:
 *   "input"        the document parses and has the shape above; on failure
 *                  the only check, undecided, with the input error's code
 *                  (lpau_diag_code: the canonical cause's for JSON errors,
 *                  else MISSING_FIELD, BAD_TYPE, BAD_VALUE, DUPLICATE,
 *                  INPUT_TOO_LARGE, OUT_OF_MEMORY) and detail "field: why";
 *                  on success "<n> rows, <n> leads, <n> published results";
 *   "commitments"  every given hash opens to the revealed value
 *                  (COMMITMENT_MISMATCH; index = the first failing row of
 *                  "validations", detail "validations[i] (lead <id>): <hash>
 *                  does not open to the revealed value");
 *   "consensus"    no published field differs where row order cannot explain
 *                  it (CONSENSUS_MISMATCH; index = that lead in r->leads,
 *                  detail "lead <id>: <field> recomputed <ours>, published
 *                  <CS-A text>" for its first differing field);
 *   "row_order"    no published result differs only where the unrecorded row
 *                  order decides (ORDER_DEPENDENT, undecided; index and
 *                  detail as for consensus, then "; row order decides
 *                  (<flags>)").
 * Passing checks carry LP_NO_INDEX and counts.  lp_checks_verdict then gives
 * commitment > consensus > order.  Details quote lead ids and values raw,
 * cut by lpau_clip (the report layer escapes them), within
 * LP_CHECK_DETAIL_MAX.
 *
 * Memory: lpau_replay_run reads `doc` (caller-owned, must outlive the result:
 * lead ids and reasons point into it).  lpau_replay_bytes and
 * lpau_replay_verify parse a copy of the text (the _take forms the text itself) and
 * keep it and the kept part of the tree in r->doc, the rows' fields in r->pool: a
 * row's tree lives only while it is replayed, so an epoch costs its text, its
 * published results and ~200 bytes per row.  lpau_replay_free releases everything
 * the result owns.  No I/O, no globals. */
#ifndef LPAU_REPLAY_H
#define LPAU_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "audit/lpau_err.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_consensus.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"

/* Rows in one document.  An epoch has leads x validators rows; 1,000,000 is
 * the size the benchmark targets.  Our own cap (the spec names none). */
#define LPAU_REPLAY_MAX_ROWS ((size_t)4 << 20)
/* Largest replay input: an epoch of 1,000,000 rows with salts, the three hashes and
 * reason and evidence objects is about 823 MB of JSON (tests/bench/bench_json.c). */
#define LPAU_REPLAY_MAX_INPUT ((size_t)1 << 30)  /* = LPC_JSON_MAX_INPUT_HARD */
/* From text (lpau_replay_bytes*), the rows of "validations" are parsed and replayed
 * one at a time and only the document's other members are kept (lpc_parse_each): the
 * kept tree (the root, the published results, the row being read) may take from the
 * allocator the input's size plus this much, so that with the input itself a replay's
 * parse stays within twice its input (a hostile shape such as 1 GiB of [0,0,...] stops
 * here with INPUT_TOO_LARGE).  A realistic epoch's kept tree is a few percent of it. */
#define LPAU_REPLAY_TREE_SLACK ((size_t)4 << 20)
/* Leads per document (each needs at least one row or published result). */
#define LPAU_REPLAY_MAX_LEADS LPAU_REPLAY_MAX_ROWS

/* Commitment outcome of one hash: */
#define LPAU_HASH_ABSENT   (-1)  /* not given in the row */
#define LPAU_HASH_MISMATCH 0
#define LPAU_HASH_MATCH    1

typedef enum {
    LPAU_CH_DECISION = 0, LPAU_CH_REP_SCORE, LPAU_CH_REASON, LPAU_CH_EVIDENCE, LPAU_CH_N
} lpau_commit_hash;

typedef struct {
    size_t index;                   /* row index in "validations" */
    const lpc_value *lead_id;       /* string */
    const lpc_value *hotkey;        /* string, or NULL when absent */
    int status[LPAU_CH_N];           /* LPAU_HASH_* */
} lpau_commit;

/* Published fields compared (bit mask of mismatches). */
#define LPAU_F_DECISION  0x01u
#define LPAU_F_REP_SCORE 0x02u
#define LPAU_F_REASON    0x04u
#define LPAU_F_COUNT     0x08u
#define LPAU_F_WEIGHT    0x10u
#define LPAU_F_RATIO     0x20u
#define LPAU_F_EPOCH     0x40u

typedef struct {
    const lpc_value *lead_id;       /* string, into doc */
    size_t n_rows;                  /* rows in the document for this lead */
    lpc_cons_result rec;            /* recomputed */
    const lpc_value *published;     /* object in consensus_results, or NULL */
    unsigned mismatch;              /* LPAU_F_* that differ (0 when no published) */
    unsigned uncertain;             /* subset of mismatch explained by order flags */
    int order_dependent;            /* (rec.order_flags & LPC_CONS_ORDER_MASK) != 0 */
} lpau_lead;

typedef struct {
    lpc_value *doc;                 /* owned only when made by lpau_replay_bytes */
    void *pool;                     /* the rows' kept fields, when replayed from text */
    int has_epoch;
    int64_t epoch_id;
    lpau_lead *leads;
    size_t n_leads;
    lpau_commit *commits;            /* rows that carry at least one hash */
    size_t n_commits;
    size_t n_rows;
    /* totals */
    size_t commit_failures;         /* rows with a mismatching hash */
    size_t certain_mismatches;      /* leads with a mismatch no order explains */
    size_t order_mismatches;        /* leads whose mismatches all may be row order */
    size_t order_dependent;         /* leads flagged order_dependent */
    size_t published;               /* leads with a published result */
} lpau_replay;

/* Names of the LPAU_F_* fields, e.g. "final_rep_score". */
const char *lpau_field_name(unsigned one_bit);

/* Replays doc under the rule set.  On error *r is freed and emptied and d
 * names the field.  Errors: LPAU_ERR_MISSING / _TYPE / _VALUE / _DUPLICATE /
 * _TOO_LARGE for bad input, LPAU_ERR_NOMEM. */
lpau_err lpau_replay_run(const lpc_value *doc, lpc_cons_rules rules,
                       lpau_replay *r, lpau_diag *d);

/* Parses buf (Python json.loads rules, LPAU_REPLAY_MAX_INPUT, LPAU_REPLAY_TREE_SLACK)
 * and replays it, with the same results and errors as lpc_parse then lpau_replay_run,
 * except that a tree beyond its budget is INPUT_TOO_LARGE.  A JSON syntax error is LPAU_ERR_CANONICAL with
 * d->cause set and d->field "" and the byte offset in d->detail. */
lpau_err lpau_replay_bytes(const uint8_t *buf, size_t len, lpc_cons_rules rules,
                         lpau_replay *r, lpau_diag *d);

/* As lpau_replay_bytes over a buffer the call takes (from malloc): the document is
 * parsed in place (lpc_parse_take) and keeps buf in r->doc, released by
 * lpau_replay_free; on a parse or argument error buf is freed before the call
 * returns.  Strings then cost no copy. */
lpau_err lpau_replay_bytes_take(uint8_t *buf, size_t len, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d);

void lpau_replay_free(lpau_replay *r);

/* replay_consensus's decision over in[0..len): lpau_replay_bytes, then the checks
 * listed at the top, appended to *out in run order.  Returns the verdict of
 * the checks this call appended (lp_checks_verdict; OUT_OF_MEMORY when an
 * append failed, BAD_ARGUMENT for NULL r or out).  *r keeps the replay for
 * the caller's report (emptied when the input check failed); release it with
 * lpau_replay_free in every case. */
lp_code lpau_replay_verify(const uint8_t *in, size_t len, lpc_cons_rules rules,
                           lpau_replay *r, lp_checks *out);
/* As lpau_replay_verify, taking in (from malloc) as lpau_replay_bytes_take does: after
 * the call the caller no longer owns it, whatever the result. */
lp_code lpau_replay_verify_take(uint8_t *in, size_t len, lpc_cons_rules rules, lpau_replay *r, lp_checks *out);

/* Room for every order flag name joined by commas, plus NUL. */
#define LPAU_ORDER_NAMES_MAX 40
/* The LPC_CONS_ORDER_* bits of flags as "decision,reason,rounding,nonfinite"
 * (in that order, only those set; "" for none). */
void lpau_order_names(unsigned flags, char buf[LPAU_ORDER_NAMES_MAX]);

#endif
