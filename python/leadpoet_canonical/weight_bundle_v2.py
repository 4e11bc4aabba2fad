"""Leadpoet's leadpoet_canonical.weight_bundle_v2 (at 5fe22c16) over the C core:
validate_weight_bundle_v2 of the 2026-07-10 shadow bundles (spec:
leadpoet-weights-v2.md §4).  Same name, arguments and return value; where the
reference raises, this raises LeadpoetCanonicalError whose str() is the reference's
message and whose `type` is its class (WeightBundleV2Error, WeightComputationError,
ReceiptError)."""

from leadpoet_canonical import LeadpoetCanonicalError, _refcall

WEIGHT_BUNDLE_V2_SCHEMA_VERSION = "leadpoet.published_weight_bundle.v2"
ALLOCATION_PURPOSE = "research_lab.allocation.v1"
WeightBundleV2Error = LeadpoetCanonicalError


def validate_weight_bundle_v2(bundle, *, require_allocation_ancestry):
    return _refcall("weight_bundle_v2.validate_weight_bundle_v2", [bundle],
                    {"require_allocation_ancestry": require_allocation_ancestry})
