/* Leadpoet's shadow-era weight bundle (2026-07-10..12): validate_weight_bundle_v2 of
 * leadpoet_canonical/weight_bundle_v2.py at 5fe22c16.  The bundle's weights are
 * recomputed with compute_final_weights and compared under Python ==, its weight
 * receipt (attested_receipt.v1) and every ancestry receipt are validated and walked,
 * the enclave's Ed25519 signature over the weights hash is checked, and the Research
 * Lab allocation parent is tied to the snapshot.  Spec: leadpoet-weights-v2.md §4
 * (the step list), §5, §10.
 *
 * PCR0 of the attestation and the hotkey's authorisation stay the caller's (the
 * reference leaves them to its callers too); the attestation document is not read.
 *
 * Pure: no I/O, no globals.  *result is a new tree the caller frees with lpc_free(). */
#ifndef LPC_WEIGHT_BUNDLE_V2_H
#define LPC_WEIGHT_BUNDLE_V2_H

#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_WEIGHT_BUNDLE_V2_SCHEMA "leadpoet.published_weight_bundle.v2"
#define LPC_WEIGHT_BUNDLE_V2_FIELDS 9                              /* §4 step 1 */
#define LPC_ALLOCATION_PURPOSE      "research_lab.allocation.v1"   /* §4 step 6 */
/* Most ancestry receipts accepted (LP_CODE_INPUT_TOO_LARGE beyond; a bound on one
 * call's work, not a reference outcome: a real bundle carries a handful). */
#define LPC_WEIGHT_BUNDLE_V2_MAX_PARENTS 4096

/* validate_weight_bundle_v2(bundle, require_allocation_ancestry=...).  LP_CODE_OK and
 * *result, the reference's return value ({netuid, epoch_id, block, uids, weights_u16,
 * weights_hash, validator_enclave_pubkey, validator_attestation_b64,
 * weight_receipt_hash, weight_snapshot_hash, validator_hotkey, binding_message,
 * validator_hotkey_signature}); otherwise *result is NULL and err holds the first
 * exception in the reference's order:
 *   LP_CODE_WEIGHT_BUNDLE_V2_ERROR   WeightBundleV2Error and its message
 *   the codes of lpc_compute_final_weights (WeightComputationError, ...) and of
 *   lpc_receipt_v1_validate_signed / _verify_lineage (ReceiptError, ...), as raised
 *   LP_CODE_NON_CANONICAL_INPUT      str() of a list or object in a returned field
 *   LP_CODE_INPUT_TOO_LARGE          more than LPC_WEIGHT_BUNDLE_V2_MAX_PARENTS parents */
lp_code lpc_weight_bundle_v2_validate(const lpc_value *bundle, int require_allocation_ancestry,
                                      lpc_value **result, lpc_referr *err);

#endif
