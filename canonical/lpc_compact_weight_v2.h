/* Leadpoet's compact weight submission (C3): its shape, its two commitments, the
 * gateway frontier and the ancestry lineage id, bit for bit with
 * leadpoet/leadpoet@5fe22c16 leadpoet_canonical/compact_weight_authority_v2.py
 * (:57-366) and ancestry_checkpoint_v2.py (derive_ancestry_lineage_id_v2, :249-285).
 * Spec: leadpoet-weights-v2.md §8.4, §10 (Python semantics: bool is not an int here,
 * str(x or "").strip().lower() before a pattern, == between values).
 *
 * Out of scope: the detached ancestry certificates (validate_compact_ancestry_proof_v2,
 * validate_local_delta_against_certificate_v2).  No function here authenticates
 * upstream_ancestry_proofs or validator_ancestry_proof; the proof and certificate hashes
 * that enter the ancestry commitment are taken as given.
 *
 * Errors: every function returns LP_CODE_OK, or the exception the reference raises:
 * LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR / "CompactWeightAuthorityV2Error" with its
 * exact message; LP_CODE_ATTESTED_V2_ERROR / "AttestedV2Error" where attested_v2's
 * sha256_json raises ("value is not canonical JSON: ..."); for the lineage id
 * LP_CODE_ANCESTRY_CHECKPOINT_V2_ERROR / "AncestryCheckpointV2Error".  Named refusals:
 * LP_CODE_NON_CANONICAL_INPUT where the reference would apply str() to a list or object
 * and accept the result (a list as validator_hotkey), LP_CODE_UNSUPPORTED with type
 * "AttributeError" or "TypeError" and Python's message where the reference crashes on
 * a value of the wrong type (proofs that are not objects) or for argument types the
 * Python binding does not reproduce, LP_CODE_INPUT_TOO_LARGE past the limits below.
 * err may be NULL.
 *
 * Memory: inputs are borrowed; every lpc_value ** output is a new tree the caller frees
 * with lpc_free() (NULL on error); every out[] is "sha256:<hex>" NUL-terminated.  Pure:
 * no I/O, no globals beyond constant tables. */
#ifndef LPC_COMPACT_WEIGHT_V2_H
#define LPC_COMPACT_WEIGHT_V2_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_CWV2_SUBMISSION_SCHEMA "leadpoet.compact_weight_submission.v2"
#define LPC_CWV2_DELTA_SCHEMA      "leadpoet.validator_weight_receipt_delta.v2"
#define LPC_CWV2_ANCESTRY_SCHEMA   "leadpoet.validator_weight_ancestry_commitment.v2"
#define LPC_CWV2_BUNDLE_SCHEMA     "leadpoet.compact_weight_bundle_commitment.v2"
#define LPC_CWV2_LINEAGE_DOMAIN    "leadpoet-ancestry-lineage-id-v2"
#define LPC_CWV2_REF_SIZE          72
#define LPC_CWV2_FIELDS            16   /* the 15 body fields + compact_submission_hash */
#define LPC_CWV2_MAX_NETUID        2147483647LL   /* ancestry_checkpoint_v2.MAX_NETUID */

/* Limits of this port (the reference has none): transport attempts of one commitment,
 * and claim roots plus parent authorities over all proofs of one frontier. */
#define LPC_CWV2_MAX_ATTEMPTS      ((size_t)1 << 14)
#define LPC_CWV2_MAX_PROOF_ROOTS   ((size_t)1 << 16)
/* boots, receipts and transport attempts of one validator delta, and the upstream
 * attempts of one submission (the lookups are linear: this bounds them) */
#define LPC_CWV2_MAX_DELTA_ITEMS   ((size_t)1024)
/* the chain a binding message must name (gateway/api/weights.py EXPECTED_CHAIN default) */
#define LPC_CWV2_EXPECTED_CHAIN    "wss://entrypoint-finney.opentensor.ai:443"

/* The 9 gateway input categories (GATEWAY_WEIGHT_INPUT_CATEGORIES) and all 14
 * (WEIGHT_INPUT_PURPOSES), each sorted; static, terminated by NULL. */
extern const char *const lpc_cwv2_gateway_categories[];
extern const char *const lpc_cwv2_all_categories[];

/* sha256_json({field: submission[field] for the 15 body fields}) (the check of
 * validate_compact_weight_submission_shape_v2; a missing field is refused as the
 * field-set rule would: "compact weight submission fields are invalid"). */
lp_code lpc_cwv2_submission_hash(const lpc_value *submission, char out[LPC_CWV2_REF_SIZE], lpc_referr *err);

/* validate_compact_weight_submission_shape_v2 (:241-325): object, the 16 fields, schema,
 * compact_submission_hash, hotkey (1..128 characters, no whitespace), binding message
 * (1..4096 characters), the two signatures (128 hex after lower()), ancestry_commitment,
 * snapshot/result objects, the 9 proof categories, attempts list, the delta (6 fields,
 * schema, four lists), binding receipt object whose parent_receipt_hashes ==
 * [normalised delta root], validator_ancestry_proof object, epoch_authority and
 * epoch_boundary each null or an object, both null or both objects. */
lp_code lpc_cwv2_validate_shape(const lpc_value *submission, lpc_referr *err);

/* compact_weight_bundle_hash_v2(submission) (:328-366): the shape, then netuid (a JSON
 * int, not bool, > 0), epoch_id (a JSON int, not bool, >= 0), weights_hash (lower(),
 * 64 hex), binding_receipt.receipt_hash (strip/lower sha256 ref).  preimage (may be
 * NULL) receives the committed object whose sha256_json is out. */
lp_code lpc_cwv2_bundle_hash(const lpc_value *submission, char out[LPC_CWV2_REF_SIZE], lpc_value **preimage,
                             lpc_referr *err);

/* compact_gateway_frontier_receipt_hashes_v2(proofs) (:136-160): *out is the sorted
 * array of claim output roots that no claim's parent authority names. */
lp_code lpc_cwv2_gateway_frontier(const lpc_value *proofs, lpc_value **out, lpc_referr *err);

/* build_weight_ancestry_commitment_v2(lineage_id=, input_receipt_hashes=,
 * upstream_ancestry_proofs=, upstream_transport_attempts=) (:163-238).  The two
 * mappings must be objects and the attempts an array (other Python iterables are
 * refused with LP_CODE_UNSUPPORTED).  preimage (may be NULL) receives the committed
 * object. */
lp_code lpc_cwv2_ancestry_commitment(const lpc_value *lineage_id, const lpc_value *input_receipt_hashes,
                                     const lpc_value *upstream_ancestry_proofs,
                                     const lpc_value *upstream_transport_attempts, char out[LPC_CWV2_REF_SIZE],
                                     lpc_value **preimage, lpc_referr *err);

/* derive_ancestry_lineage_id_v2(cutover_mapping_hash=, network_genesis_hash=, netuid=):
 * "sha256:" + hex(SHA-256(0x00 || domain || 0x00 || CS-U({cutover_mapping_hash,
 * network_genesis_hash, netuid}))).  netuid a JSON int (not bool) in 0..2^31-1
 * ("lineage netuid is outside the canonical bound"); the mapping hash canonical
 * ("cutover mapping hash is invalid" / "... is not canonical"); the genesis hash
 * ^0x[0-9a-f]{64}$ ("network genesis hash is invalid").  preimage (may be NULL)
 * receives the hashed bytes (replacing its content). */
lp_code lpc_cwv2_lineage_id(const lpc_value *cutover_mapping_hash, const lpc_value *network_genesis_hash,
                            const lpc_value *netuid, char out[LPC_CWV2_REF_SIZE], lpc_buf *preimage,
                            lpc_referr *err);

/* The lineage id the gateway derives for a cutover manifest (gateway/api/weights.py:
 * 1573-1577): SubnetEpochCutover.from_mapping(manifest) (lpc_subnet_epoch.h; its
 * SubnetEpochError comes first), then lpc_cwv2_lineage_id(str(mapping_hash),
 * str(network_genesis_hash), int(netuid)). */
lp_code lpc_cwv2_lineage_id_from_manifest(const lpc_value *manifest, char out[LPC_CWV2_REF_SIZE], lpc_buf *preimage,
                                          lpc_referr *err);

/* verify_compact_weight_submission_v2(compact, expected_lineage_id=lineage of the
 * manifest, expected_chain=LPC_CWV2_EXPECTED_CHAIN, identity_cache=None, boot_verifier)
 * (compact_auditor_authority_v2.py:224-310) as far as it runs without the detached
 * ancestry certificates, in the reference's order:
 *   1. the lineage id of cutover_manifest (SubnetEpochError / AncestryCheckpointV2Error
 *      first); NULL: no lineage, and the ancestry commitment is not recomputed (step 3e);
 *   2. validate_compact_weight_submission_shape_v2;
 *   3. validate_compact_weight_ancestry_v2 without certificates: the 14 snapshot inputs,
 *      for each gateway category the one disclosed receipt equal to the snapshot's
 *      input hash (none or several: "compact ancestry failed for <c>", as the proof
 *      validation's missing-receipt and duplicate rules raise it), its role, purpose and epoch
 *      ("compact direct receipt differs for <c>"); the upstream attempts (valid, inside
 *      the direct scopes, unique); (e) the ancestry commitment recomputed with the
 *      manifest's lineage and compared ("compact ancestry commitment differs");
 *   4. validate_weight_snapshot_v2 (lpc_weight_authority_v2.h) and claimed result ==
 *      computed; the delta (_validate_receipt_delta: boots, receipts with their boots,
 *      attempts and transport roots, no host operations); the 14 input receipts (from
 *      the delta, else the one disclosed in the category's proof): scope, epoch, value
 *      document, source evidence over [*upstream attempts, *delta attempts]; computed,
 *      snapshot and binding receipts; the snapshot receipt's artifact root
 *      merkle_root([calculation_snapshot_hash, ancestry_commitment]); the binding
 *      message (parse, then verify_binding_message's field checks: netuid, chain
 *      LPC_CWV2_EXPECTED_CHAIN, enclave_pubkey of the computed receipt, code hash =
 *      the computing boot's build_manifest_hash); the binding receipt's input and
 *      output roots; the Ed25519 weights signature.
 * *verified = the reference's return value, every field of it: {validator_hotkey,
 * netuid, epoch_id, block, uids, weights_u16, weights_hash, root_receipt_hash (the
 * binding receipt), weight_receipt_hash (the computed receipt), snapshot_hash,
 * validator_enclave_pubkey, validator_boot_identity_hash, compact_submission_hash,
 * bundle_hash}; none of them needs the certificates.
 *
 * NOT checked here (a caller that stops here has not verified the submission):
 *   - the detached certificates: validate_compact_ancestry_proof_v2 of each of the nine
 *     upstream_ancestry_proofs and of validator_ancestry_proof, the validator proof's
 *     root and disclosed binding receipt, validate_local_delta_against_certificate_v2.
 *     In their place each direct disclosed receipt is checked as the certificate check
 *     would require it (signed body, a disclosed boot it matches); a failure is
 *     reported with the reference's wrapper message "compact ancestry failed for <c>";
 *   - the sr25519 hotkey signature of the binding message (verify_binding_message's
 *     last step): the caller verifies it (lpc_sr25519.h) over utf8(binding_message)
 *     with validator_hotkey;
 *   - the boots' Nitro attestation documents (the boot_verifier): boots are validated
 *     structurally (lpc_av2_validate_boot_identity).
 * Errors as above, plus LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR /
 * "CompactAuditorAuthorityV2Error", the codes of lpc_weight_authority_v2.h and
 * lpc_attested_v2.h where the reference lets them through, LP_CODE_UNSUPPORTED
 * ("HotkeyAuthorityV2Error") where build_application_signature_request_v2 raises (its
 * message is not ported), LP_CODE_INPUT_TOO_LARGE past LPC_CWV2_MAX_DELTA_ITEMS. */
lp_code lpc_cwv2_verify_local(const lpc_value *submission, const lpc_value *cutover_manifest_or_NULL,
                              lpc_value **verified, lpc_referr *err);

#endif
