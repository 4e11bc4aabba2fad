"""Leadpoet's leadpoet_canonical.weight_authority_v2 (at 5fe22c16) over the C core: the
weight snapshot v2, the 14 weight input categories and their value documents, the
source-evidence policy of each input receipt, and validate_published_weight_bundle_v2
of the authoritative (receipt_graph) bundle (spec: leadpoet-weights-v2.md §6, §8.1).
Same names, keyword arguments and return values; where the reference raises, these
raise LeadpoetCanonicalError whose str() is the reference's message and whose `type` is
its class (WeightAuthorityV2Error, WeightComputationError, AttestedV2Error, ...).  A
boot_attestation_verifier callable cannot cross into C: giving one raises
LeadpoetCanonicalError (verify the boots' Nitro documents with verify_attestation)."""

from leadpoet_canonical import LeadpoetCanonicalError, _refcall

WeightAuthorityV2Error = LeadpoetCanonicalError
WEIGHT_SNAPSHOT_V2_SCHEMA_VERSION = "leadpoet.weight_snapshot.v2"
PUBLISHED_WEIGHT_BUNDLE_V2_SCHEMA_VERSION = "leadpoet.published_weight_bundle.v2"
WEIGHT_INPUT_VALUE_SCHEMA_VERSION = "leadpoet.weight_input_value.v2"
SUPABASE_WEIGHT_SOURCE_HOST = "qplwoislplkcegvdmbim.supabase.co"
WEIGHT_INPUT_PURPOSES = {
    "research_lab_allocation": ("gateway_coordinator", "research_lab.allocation.v2"),
    "champions": ("gateway_coordinator", "research_lab.champion_input.v2"),
    "reimbursements": ("gateway_coordinator", "research_lab.reimbursement_input.v2"),
    "source_add_rewards": ("gateway_coordinator", "research_lab.source_add_reward_input.v2"),
    "fulfillment_rewards": ("gateway_coordinator", "research_lab.fulfillment_input.v2"),
    "leaderboard": ("gateway_coordinator", "research_lab.leaderboard_input.v2"),
    "bans": ("gateway_coordinator", "research_lab.ban_input.v2"),
    "sourcing_history": ("gateway_coordinator", "research_lab.sourcing_input.v2"),
    "anomaly_adjustments": ("gateway_coordinator", "research_lab.anomaly_adjustment_input.v2"),
    "chain_state": ("validator_weights", "validator.chain_state.v2"),
    "metagraph_state": ("validator_weights", "validator.metagraph_state.v2"),
    "burn_ownership": ("validator_weights", "validator.burn_ownership.v2"),
    "feature_flags": ("validator_weights", "validator.feature_flags.v2"),
    "constants": ("validator_weights", "validator.constants.v2"),
}


def _listed(v):
    if isinstance(v, (str, bytes, dict, list)) or not hasattr(v, "__iter__"):
        return v
    return list(v)


def weight_input_value_documents_v2(*, calculation_snapshot, finalized_chain_state_root, gateway_authority_event_hash):
    return _refcall("weight_authority_v2.weight_input_value_documents_v2", [],
                    {"calculation_snapshot": calculation_snapshot,
                     "finalized_chain_state_root": finalized_chain_state_root,
                     "gateway_authority_event_hash": gateway_authority_event_hash})


def weight_input_output_roots_v2(*, calculation_snapshot, finalized_chain_state_root, gateway_authority_event_hash):
    return _refcall("weight_authority_v2.weight_input_output_roots_v2", [],
                    {"calculation_snapshot": calculation_snapshot,
                     "finalized_chain_state_root": finalized_chain_state_root,
                     "gateway_authority_event_hash": gateway_authority_event_hash})


def gateway_weight_input_value_documents_v2(*, calculation_snapshot, gateway_authority_event_hash):
    return _refcall("weight_authority_v2.gateway_weight_input_value_documents_v2", [],
                    {"calculation_snapshot": calculation_snapshot,
                     "gateway_authority_event_hash": gateway_authority_event_hash})


def weight_source_input_root(*, input_receipt_hashes, finalized_chain_state_root, gateway_authority_event_hash):
    return _refcall("weight_authority_v2.weight_source_input_root", [],
                    {"input_receipt_hashes": input_receipt_hashes,
                     "finalized_chain_state_root": finalized_chain_state_root,
                     "gateway_authority_event_hash": gateway_authority_event_hash})


def build_weight_snapshot_v2(*, validator_hotkey, calculation_snapshot, input_receipt_hashes,
                             finalized_chain_state_root, gateway_authority_event_hash):
    return _refcall("weight_authority_v2.build_weight_snapshot_v2", [],
                    {"validator_hotkey": validator_hotkey, "calculation_snapshot": calculation_snapshot,
                     "input_receipt_hashes": input_receipt_hashes,
                     "finalized_chain_state_root": finalized_chain_state_root,
                     "gateway_authority_event_hash": gateway_authority_event_hash})


def validate_weight_snapshot_v2(snapshot):
    return _refcall("weight_authority_v2.validate_weight_snapshot_v2", [snapshot], {})


def validate_weight_input_source_evidence_v2(*, category, receipt, document, transport_attempts):
    return _refcall("weight_authority_v2.validate_weight_input_source_evidence_v2", [],
                    {"category": category, "receipt": receipt, "document": document,
                     "transport_attempts": _listed(transport_attempts)})


def validate_published_weight_bundle_v2(bundle, *, boot_attestation_verifier=None,
                                        require_boot_attestation_verification=False):
    if boot_attestation_verifier is not None:
        raise LeadpoetCanonicalError(None, "UNSUPPORTED", "boot_attestation_verifier is not supported",
                                     message="boot_attestation_verifier is not supported", type="Unsupported")
    return _refcall("weight_authority_v2.validate_published_weight_bundle_v2", [bundle],
                    {"require_boot_attestation_verification": require_boot_attestation_verification})


def required_weight_input_purposes():
    return tuple(sorted(purpose for _, purpose in WEIGHT_INPUT_PURPOSES.values()))
