"""Leadpoet's leadpoet_canonical.attested_v2 (at 5fe22c16) over the C core: the
domain-separated Merkle root, signed execution receipts, boot identities and the NSM
user_data a boot expects, transport attempts and the legacy receipt graph
leadpoet.attested_receipt_graph.v2 (spec: leadpoet-weights-v2.md §3, §7).  Same names,
arguments and return values; where the reference raises, these raise
LeadpoetCanonicalError whose str() is the reference's message and whose `type` is its
class ("AttestedV2Error").  A boot_attestation_verifier callable cannot cross into C:
giving one raises LeadpoetCanonicalError (verify the boots' Nitro documents with
verify_attestation instead)."""

from leadpoet_canonical import LeadpoetCanonicalError, _refcall

AttestedV2Error = LeadpoetCanonicalError
BOOT_IDENTITY_SCHEMA_VERSION = "leadpoet.attested_boot_identity.v2"
TRANSPORT_ATTEMPT_SCHEMA_VERSION = "leadpoet.attested_transport_attempt.v2"
EXECUTION_RECEIPT_SCHEMA_VERSION = "leadpoet.attested_execution_receipt.v2"
RECEIPT_GRAPH_SCHEMA_VERSION = "leadpoet.attested_receipt_graph.v2"
BOOT_ATTESTATION_CLAIM_SCHEMA_VERSION = "leadpoet.attested_boot_claim.v2"
BOOT_ATTESTATION_PURPOSE = "leadpoet.boot_identity.v2"


def _listed(v):
    if isinstance(v, (str, bytes, dict, list)) or not hasattr(v, "__iter__"):
        return v
    return list(v)


def merkle_root(hashes, *, domain):
    return _refcall("attested_v2.merkle_root", [_listed(hashes)], {"domain": domain})


def validate_signed_execution_receipt(receipt, *, verify_signature=True):
    return _refcall("attested_v2.validate_signed_execution_receipt", [receipt], {"verify_signature": verify_signature})


def validate_boot_identity(identity):
    return _refcall("attested_v2.validate_boot_identity", [identity], {})


def build_boot_attestation_claim(identity):
    return _refcall("attested_v2.build_boot_attestation_claim", [identity], {})


def build_boot_attestation_user_data(identity):
    return _refcall("attested_v2.build_boot_attestation_user_data", [identity], {})


def validate_transport_attempt(attempt):
    return _refcall("attested_v2.validate_transport_attempt", [attempt], {})


def validate_receipt_graph(graph, *, required_purposes=(), require_success=True, allowed_failed_receipt_hashes=(),
                           boot_attestation_verifier=None, require_boot_attestation_verification=False):
    if boot_attestation_verifier is not None:
        raise LeadpoetCanonicalError(None, "UNSUPPORTED", "boot_attestation_verifier is not supported",
                                     message="boot_attestation_verifier is not supported", type="Unsupported")
    kw = {"required_purposes": _listed(required_purposes), "require_success": require_success,
          "allowed_failed_receipt_hashes": _listed(allowed_failed_receipt_hashes),
          "require_boot_attestation_verification": require_boot_attestation_verification}
    return tuple(_refcall("attested_v2.validate_receipt_graph", [graph], kw))


EMPTY_TRANSPORT_ROOT = merkle_root((), domain="leadpoet-transport-v2")
EMPTY_ARTIFACT_ROOT = merkle_root((), domain="leadpoet-artifact-v2")
EMPTY_HOST_OPERATION_ROOT = merkle_root((), domain="leadpoet-host-operation-v2")
