"""Leadpoet's leadpoet_canonical.weight_computation (at 5fe22c16) over the C core:
compute_final_weights bit for bit, the configuration document and hash, sha256_json.
Same names, arguments and return values; where the reference raises, these raise
LeadpoetCanonicalError whose str() is the reference's message (spec:
leadpoet-weights-v2.md §5)."""

from leadpoet_canonical import _refcall

WEIGHT_SNAPSHOT_SCHEMA_VERSION = "leadpoet.weight_computation_request.v1"
WEIGHT_RESULT_SCHEMA_VERSION = "leadpoet.weight_computation_result.v1"


def compute_final_weights(snapshot):
    return _refcall("weight_computation.compute_final_weights", [snapshot], {})


def weight_config_document(snapshot):
    return _refcall("weight_computation.weight_config_document", [snapshot], {})


def weight_config_hash(snapshot):
    return _refcall("weight_computation.weight_config_hash", [snapshot], {})


def sha256_json(value):
    return _refcall("weight_computation.sha256_json", [value], {})
