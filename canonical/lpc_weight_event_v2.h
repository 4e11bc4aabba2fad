/* The payload of a WEIGHT_SUBMISSION_V2 transparency event checked against the bundle it
 * names and against the settlement-epoch cutover manifest.
 * Spec: leadpoet-weights-v2.md §9.1 (payload fields and eras), §9.2 (epoch_authority and
 * its offline checks); reference leadpoet/leadpoet@5fe22c16 gateway/api/weights.py
 * :579-708 (_verify_epoch_block_authority builds epoch_authority), :2268-2280 and
 * :2637-2649 (the payload, full and compact), Leadpoet/utils/subnet_epoch.py (cutover,
 * epoch_ref).  No reference function verifies a payload: these checks follow the
 * gateway's construction (vectors/leadpoet-v2/README.md, "derived" expectations).
 *
 * The signed envelope around the payload (signature, event_hash, hash chain) is the
 * merkle module's (merkle/lpm.h lpm_log_entry_verify, lpm_log_chain_check); this module
 * sees only the payload.  The manifest is data: the caller parses it and passes the
 * value (the shipped SN71 manifest is vectors/leadpoet-v2/stateful-epoch-cutover-sn71.json).
 *
 * Checks appended, in order (names as listed; a check's detail says what differed):
 *   payload.fields              EVENT_MISMATCH: not an object, or not the 8 keys (7 without
 *                               epoch_authority)
 *   ties.bundle_hash, ties.root_receipt_hash, ties.weights_hash, ties.actor_hotkey,
 *   ties.netuid, ties.epoch_id, ties.block
 *                               EVENT_MISMATCH: the payload value differs from the verified
 *                               bundle's (bundle_hash, root_receipt_hash, weights_hash,
 *                               validator_hotkey, netuid, epoch_id, block), compared as
 *                               canonical JSON (71 and 71.0 differ); BAD_ARGUMENT when the
 *                               verified object lacks the field
 *   epoch_authority.era         UNSUPPORTED (undecided, never OK) for a payload without
 *                               epoch_authority (2026-07-12..07-16) or with mode
 *                               "legacy_global_360_v1" (07-16..07-20): nothing offline
 *                               decides those; the remaining checks are then not run.
 *                               EPOCH_AUTHORITY_MISMATCH for any other mode or a non-object
 *   epoch_authority.fields      EPOCH_AUTHORITY_MISMATCH: not the 9 keys of the stateful form,
 *                               an integer field not a JSON int (bool excluded) within int64,
 *                               a string field not a string
 *   cutover_manifest            EPOCH_AUTHORITY_MISMATCH: the manifest fails
 *                               SubnetEpochCutover (its own mapping_hash included); the
 *                               detail is the reference's message
 *   epoch_authority.netuid      payload netuid == manifest netuid
 *   epoch_authority.workflow_epoch_id   workflow_epoch_id == payload epoch_id
 *   epoch_authority.settlement_mapping  epoch_id == first_settlement_epoch_id +
 *                               (official_subnet_epoch_id - first_subnet_epoch_index), the
 *                               official id not before the cutover
 *   epoch_authority.epoch_ref   epoch_ref == lpc_se_epoch_ref(manifest genesis, manifest
 *                               netuid, official_subnet_epoch_id)
 *   epoch_authority.cutover_mapping_hash  equal to the manifest's mapping_hash
 *   epoch_authority.block_drift |gateway_block - block| <= LPC_WEV2_MAX_BLOCK_DRIFT
 *   epoch_authority.blocks_remaining    0 < blocks_remaining <= blocks_remaining_max
 * (all the epoch_authority.* checks fail with EPOCH_AUTHORITY_MISMATCH).  block_hash and
 * epoch_block are checked for type only: their values need the chain.
 *
 * Memory: inputs are borrowed; checks are appended to the caller's lp_checks.  Pure: no
 * I/O, no globals. */
#ifndef LPC_WEIGHT_EVENT_V2_H
#define LPC_WEIGHT_EVENT_V2_H

#include <stdint.h>
#include "canonical/lp_check.h"
#include "canonical/lp_code.h"
#include "canonical/lpc_value.h"

#define LPC_WEV2_EVENT_TYPE        "WEIGHT_SUBMISSION_V2"
#define LPC_WEV2_MODE_STATEFUL     "stateful_v1"
#define LPC_WEV2_MODE_LEGACY       "legacy_global_360_v1"
#define LPC_WEV2_MAX_BLOCK_DRIFT   30   /* gateway MAX_BLOCK_DRIFT */
/* The gateway's upper bound on blocks_remaining (STATEFUL_FINALIZED_SUBMISSION_MAX_REMAINING),
 * by era (§9.2): 30 from 2026-07-16, 90 = 360 - 300 + 30 from 691ae345 (2026-07-21),
 * 150 = 360 - 240 + 30 from e2e31e4d (2026-07-31). */
#define LPC_WEV2_BLOCKS_REMAINING_MAX_0716 30
#define LPC_WEV2_BLOCKS_REMAINING_MAX_0721 90
#define LPC_WEV2_BLOCKS_REMAINING_MAX_0731 150

typedef enum {
    LPC_WEV2_ERA_UNKNOWN = 0,   /* not decided (payload malformed) */
    LPC_WEV2_ERA_NO_AUTHORITY,  /* no epoch_authority key: 2026-07-12..07-16 */
    LPC_WEV2_ERA_LEGACY,        /* mode legacy_global_360_v1: 2026-07-16..07-20 */
    LPC_WEV2_ERA_STATEFUL       /* mode stateful_v1: from 2026-07-20 (410d42b8) */
} lpc_wev2_era;

/* "unknown", "no_epoch_authority", "legacy_global_360_v1", "stateful_v1" (static). */
const char *lpc_wev2_era_name(lpc_wev2_era era);

/* The bound the gateway applied at an event's ISO-8601 UTC timestamp
 * ("2026-08-23T07:42:14Z"): the bound of the latest era that began on or before its
 * date (the change days themselves are taken as changed: a deploy time is not public).
 * 0 for a text that does not start with YYYY-MM-DD, or a date before 2026-07-16. */
int64_t lpc_wev2_blocks_remaining_bound(const char *timestamp);

/* Appends the checks above for payload (the event's signed_event.payload) against
 * verified (the verified bundle: the return value of validate_published_weight_bundle_v2
 * or verify_compact_weight_submission_v2) and the parsed cutover manifest, and returns
 * their verdict (lp_checks_verdict of the appended checks only).  *era (may be NULL)
 * receives the payload's era.  blocks_remaining_max <= 0 is BAD_ARGUMENT. */
lp_code lpc_wev2_check_payload(const lpc_value *payload, const lpc_value *verified, const lpc_value *cutover_manifest,
                               int64_t blocks_remaining_max, lp_checks *checks, lpc_wev2_era *era);

#endif
