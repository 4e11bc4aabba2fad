/* Leadpoet's authoritative v2 weight bundle, bit for bit with leadpoet/leadpoet@5fe22c16
 * leadpoet_canonical/weight_authority_v2.py: the weight snapshot v2, the 14 input
 * categories and their value documents, the source-evidence policy of each input
 * receipt, and validate_published_weight_bundle_v2 (the receipt_graph format).
 * Spec: leadpoet-weights-v2.md §6 (6.1 snapshot, 6.2 categories, value documents and
 * source evidence), §8.1 (the 12 steps and the return value), §8.3 (Python == on the
 * claimed result), §10 (Python semantics).
 *
 * Errors: every function returns LP_CODE_OK, or the exception the reference raises with
 * err filled in, the first one in the reference's order:
 *   LP_CODE_WEIGHT_AUTHORITY_V2_ERROR  WeightAuthorityV2Error and its exact message
 *                                      (an AttestedV2Error of the receipt graph comes
 *                                      back as "invalid V2 receipt graph: <message>")
 *   the codes of lpc_compute_final_weights (WeightComputationError, raw ValueError /
 *   TypeError / OverflowError) and of lpc_av2_validate_receipt_graph where the
 *   reference lets them through
 *   LP_CODE_PYTHON_TYPE_ERROR / _VALUE_ERROR  Python's own TypeError, AttributeError,
 *                                      KeyError, ValueError, UnicodeEncodeError where the
 *                                      reference raises them (type names them)
 *   LP_CODE_NON_CANONICAL_INPUT        a Python coercion not reproduced here (an int
 *                                      beyond int64, str() of a list or dict given as
 *                                      validator_hotkey or binding_message)
 *   LP_CODE_UNSUPPORTED                checkpointed receipt graphs (v3/v4), and binding
 *                                      messages of the classifier branches not ported
 *                                      (lpc_wav2_binding_documents)
 *   LP_CODE_INPUT_TOO_LARGE            past the limits of lpc_attested_v2.h
 * Each refusal happens where the reference would compute with that value, so an earlier
 * reference exception still wins; a refusal is never an acceptance.  err may be NULL.
 *
 * Python == (§8.3): the claimed weight_result is compared as the reference compares it,
 * so 71.0 for 71 or another key order passes (bundle_hash then differs from the
 * canonical one); a caller wanting byte equality compares CS-U of weight_result with
 * the result of lpc_wav2_validate_weight_snapshot itself.
 *
 * Memory: inputs are borrowed.  Every lpc_value ** output is a new tree the caller
 * releases with lpc_free(); it is NULL on error.  Pure: no I/O, no globals beyond the
 * constant tables. */
#ifndef LPC_WEIGHT_AUTHORITY_V2_H
#define LPC_WEIGHT_AUTHORITY_V2_H

#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_WAV2_SNAPSHOT_SCHEMA      "leadpoet.weight_snapshot.v2"
#define LPC_WAV2_BUNDLE_SCHEMA        "leadpoet.published_weight_bundle.v2"
#define LPC_WAV2_INPUT_VALUE_SCHEMA   "leadpoet.weight_input_value.v2"
#define LPC_WAV2_SUPABASE_HOST        "qplwoislplkcegvdmbim.supabase.co"
#define LPC_WAV2_CHAIN_HOST           "entrypoint-finney.opentensor.ai"
#define LPC_WAV2_CHAIN_ARCHIVE_HOST   "archive.chain.opentensor.ai"
#define LPC_WAV2_BINDING_MESSAGE_MAX  4096   /* characters (§8.1 step 3) */
#define LPC_WAV2_HOTKEY_MAX           128    /* characters after strip (§6.1) */

/* The 14 categories in sorted order (§8.1 step 6) and their (role, purpose). */
#define LPC_WAV2_NCATEGORIES 14
typedef struct { const char *category, *role, *purpose; } lpc_wav2_category;
extern const lpc_wav2_category lpc_wav2_categories[LPC_WAV2_NCATEGORIES]; /* sorted by category */

/* weight_input_value_documents_v2(calculation_snapshot=, finalized_chain_state_root=,
 * gateway_authority_event_hash=) (§6.2): *documents = object keyed by category (the
 * reference's key order: the nine gateway categories, then the five validator ones). */
lp_code lpc_wav2_input_value_documents(const lpc_value *calculation_snapshot, const lpc_value *finalized_chain_state_root,
                                       const lpc_value *gateway_authority_event_hash, lpc_value **documents,
                                       lpc_referr *err);

/* gateway_weight_input_value_documents_v2(calculation_snapshot=, gateway_authority_event_hash=):
 * the nine gateway documents, without a chain block. */
lp_code lpc_wav2_gateway_input_value_documents(const lpc_value *calculation_snapshot,
                                               const lpc_value *gateway_authority_event_hash, lpc_value **documents,
                                               lpc_referr *err);

/* weight_source_input_root(input_receipt_hashes=, finalized_chain_state_root=,
 * gateway_authority_event_hash=) (§6.1): out receives "sha256:<hex>" and a NUL. */
lp_code lpc_wav2_source_input_root(const lpc_value *input_receipt_hashes, const lpc_value *finalized_chain_state_root,
                                   const lpc_value *gateway_authority_event_hash, char out[72], lpc_referr *err);

/* weight_input_output_roots_v2(...) (§6.2): *roots = {category: sha256_json(document)}
 * with the categories sorted. */
lp_code lpc_wav2_input_output_roots(const lpc_value *calculation_snapshot, const lpc_value *finalized_chain_state_root,
                                    const lpc_value *gateway_authority_event_hash, lpc_value **roots, lpc_referr *err);

/* build_weight_snapshot_v2(**kwargs) with kwargs an object of its keyword arguments
 * (validator_hotkey, calculation_snapshot, input_receipt_hashes,
 * finalized_chain_state_root, gateway_authority_event_hash; an absent one is a
 * TypeError as Python's call would raise).  §6.1. */
lp_code lpc_wav2_build_weight_snapshot(const lpc_value *kwargs, lpc_value **snapshot, lpc_referr *err);

/* validate_weight_snapshot_v2(snapshot) (§6.1): *computed = the compute_final_weights
 * result it returns. */
lp_code lpc_wav2_validate_weight_snapshot(const lpc_value *snapshot, lpc_value **computed, lpc_referr *err);

/* validate_weight_input_source_evidence_v2(category=, receipt=, document=,
 * transport_attempts=) (§6.2).  category NULL stands for None. */
lp_code lpc_wav2_validate_input_source_evidence(const char *category, const lpc_value *receipt,
                                                const lpc_value *document, const lpc_value *transport_attempts,
                                                lpc_referr *err);

/* The two documents of §8.1 step 11: *request = build_application_signature_request_v2(
 * message=binding_message.encode("utf-8"), validator_hotkey=, boot_identity_hash=) with
 * its request_hash, and *output = {schema_version
 * "leadpoet.application_signature_result.v2", request_hash, purpose
 * "validator.gateway_binding.v2", validator_hotkey, signature} whose sha256_json the
 * binding receipt's output_root must be.  binding_message and validator_hotkey are the
 * bundle's normalised texts (strings), signature the normalised hotkey signature.
 * Errors: UnicodeEncodeError (LP_CODE_PYTHON_VALUE_ERROR) for a lone surrogate in the
 * message; WeightAuthorityV2Error "hotkey binding receipt input is invalid" where the
 * reference's HotkeyAuthorityV2Error is re-raised so.  The request's purpose is
 * classify_application_message_v2's (hotkey_authority_v2.py:1131-1266): the validator
 * binding, the exact-pattern domains, qualification, dendrite and axon are ported; the
 * three prefixed request formats (LEADPOET_WEIGHT_INPUTS_V2|, LEADPOET_WEIGHT_TRANSPORT_V2|,
 * LEADPOET_SUBNET_EPOCH_BOUNDARY_CANDIDATE_V1|) and the ten-digit curation documents
 * (and texts whose str.isdigit() would need Unicode digits) are LP_CODE_UNSUPPORTED:
 * refused, never accepted. */
lp_code lpc_wav2_binding_documents(const lpc_value *binding_message, const lpc_value *validator_hotkey,
                                   const lpc_value *boot_identity_hash, const lpc_value *signature,
                                   lpc_value **request, lpc_value **output, lpc_referr *err);

/* A boot attestation verifier the caller plugs in (the reference's
 * boot_attestation_verifier): called for every boot where the reference calls it;
 * returns LP_CODE_OK or a code with err set (its message is what the reference would
 * re-raise). */
typedef lp_code (*lpc_wav2_boot_verifier)(void *ctx, const lpc_value *boot_identity, lpc_referr *err);
typedef struct {
    lpc_wav2_boot_verifier boot_verifier;   /* NULL: boots validated structurally (the reference default) */
    void *boot_verifier_ctx;
    int require_boot_attestation_verification;
} lpc_wav2_opts;

/* validate_published_weight_bundle_v2(bundle, ...) (§8.1).  LP_CODE_OK and *verified =
 * the reference return value; else *verified NULL, err = the first exception in the
 * reference order, and *step (may be NULL) = the step name as the vectors name it:
 * "envelope", "snapshot", "result", "hotkey", "graph", "root", "inputs",
 * "validator_chain", "binding", "weights_signature" (static strings).  opts NULL =
 * reference defaults. */
lp_code lpc_wav2_validate_published_bundle(const lpc_value *bundle, const lpc_wav2_opts *opts, lpc_value **verified,
                                           const char **step, lpc_referr *err);

#endif
