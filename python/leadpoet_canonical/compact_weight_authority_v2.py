"""Leadpoet's leadpoet_canonical.compact_weight_authority_v2 (at 5fe22c16) over the C
core: the compact weight submission's bundle identity, its ancestry commitment and the
gateway frontier (spec: leadpoet-weights-v2.md §8.4).  Same names, arguments and return
values; where the reference raises, these raise LeadpoetCanonicalError whose str() is
the reference's message and whose `type` is its class (CompactWeightAuthorityV2Error,
or AttestedV2Error from sha256_json).  Where the reference would take str() of a list
or dict as a hotkey, or crash on a proof that is not a dict, the C core refuses
(`name` NON_CANONICAL_INPUT / UNSUPPORTED) instead of guessing.  The detached ancestry
certificates are not verified by anything here."""

from leadpoet_canonical import LeadpoetCanonicalError, _refcall

CompactWeightAuthorityV2Error = LeadpoetCanonicalError
COMPACT_WEIGHT_SUBMISSION_SCHEMA_VERSION = "leadpoet.compact_weight_submission.v2"
VALIDATOR_WEIGHT_RECEIPT_DELTA_SCHEMA_VERSION = "leadpoet.validator_weight_receipt_delta.v2"
WEIGHT_ANCESTRY_COMMITMENT_SCHEMA_VERSION = "leadpoet.validator_weight_ancestry_commitment.v2"
COMPACT_WEIGHT_BUNDLE_COMMITMENT_SCHEMA_VERSION = "leadpoet.compact_weight_bundle_commitment.v2"


def _listed(v):
    if isinstance(v, (str, bytes, dict, list)) or not hasattr(v, "__iter__"):
        return v
    return list(v)


def compact_weight_bundle_hash_v2(value):
    return _refcall("compact_weight_authority_v2.compact_weight_bundle_hash_v2", [value], {})


def compact_gateway_frontier_receipt_hashes_v2(proofs):
    return _refcall("compact_weight_authority_v2.compact_gateway_frontier_receipt_hashes_v2", [proofs], {})


def build_weight_ancestry_commitment_v2(*, lineage_id, input_receipt_hashes, upstream_ancestry_proofs,
                                        upstream_transport_attempts):
    return _refcall("compact_weight_authority_v2.build_weight_ancestry_commitment_v2", [],
                    {"lineage_id": lineage_id, "input_receipt_hashes": input_receipt_hashes,
                     "upstream_ancestry_proofs": upstream_ancestry_proofs,
                     "upstream_transport_attempts": _listed(upstream_transport_attempts)})
