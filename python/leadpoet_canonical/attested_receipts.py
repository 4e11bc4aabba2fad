"""Leadpoet's leadpoet_canonical.attested_receipts (at 5fe22c16) over the C core: the
shadow-era receipt schema leadpoet.attested_receipt.v1, its signed form, lineage and
the v1 artifact tree (spec: leadpoet-weights-v2.md §4).  Same names, arguments and
return values; where the reference raises, these raise LeadpoetCanonicalError whose
str() is the reference's message and whose `type` is its class ("ReceiptError")."""

from leadpoet_canonical import LeadpoetCanonicalError, _refcall

RECEIPT_SCHEMA_VERSION = "leadpoet.attested_receipt.v1"
ReceiptError = LeadpoetCanonicalError


def _listed(v):
    # an iterable argument crosses to C as a JSON list (the reference sorts and dedups it)
    if isinstance(v, (set, frozenset, tuple)) or (hasattr(v, "__iter__") and not isinstance(v, (str, bytes, dict, list))):
        return list(v)
    return v


def build_receipt_body(**kwargs):
    if "parent_receipt_hashes" in kwargs:
        kwargs["parent_receipt_hashes"] = _listed(kwargs["parent_receipt_hashes"])
    return _refcall("attested_receipts.build_receipt_body", [], kwargs)


def validate_receipt_body(body):
    return _refcall("attested_receipts.validate_receipt_body", [body], {})


def receipt_hash(body):
    return _refcall("attested_receipts.receipt_hash", [body], {})


def validate_signed_receipt(receipt, *, verify_signature=True):
    return _refcall("attested_receipts.validate_signed_receipt", [receipt], {"verify_signature": verify_signature})


def verify_receipt_lineage(receipt, parent_receipts):
    return tuple(_refcall("attested_receipts.verify_receipt_lineage", [receipt, parent_receipts], {}))


def artifact_merkle_root(artifacts):
    return _refcall("attested_receipts.artifact_merkle_root", [_listed(artifacts)], {})
