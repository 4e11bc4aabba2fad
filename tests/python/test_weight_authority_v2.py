#!/usr/bin/env python3
"""leadpoet_canonical.weight_authority_v2 as a drop-in for Leadpoet's own module, on
vectors/leadpoet-v2/weights_v2.json `published_weight_bundles_v2` (6 valid bundles with
their `verified` return values, input value documents and output roots; 37 tampered
bundles with their exceptions), `attested_v2_primitives.weight_snapshot_v2`, and on
vectors/leadpoet-v2/weight_authority_v2_cases.json (negatives the public vectors do not
reach, and a few accepted variants, each with the outcome of the reference at 5fe22c16;
see tests/python/gen_weight_authority_v2_cases.py): bundles, the value documents, the
snapshot builder, the source root and the source-evidence policy."""
import copy

import lp_check as t
import leadpoet_canonical as lc
from leadpoet_canonical import weight_authority_v2 as w

# Cases whose reference outcome the C port refuses by name instead (never accepts):
# a binding_message in a branch of classify_application_message_v2 that is not ported.
REFUSED = {"binding_message_weight_inputs_prefix": "UNSUPPORTED", "binding_message_curation": "UNSUPPORTED"}

v = t.vectors("leadpoet-v2/weights_v2.json")
pub = v["published_weight_bundles_v2"]
t.check("valid count", len(pub["valid"]), 6)
t.check("tampered count", len(pub["tampered"]), 37)
for c in pub["valid"]:
    b = c["bundle"]
    t.check(c["name"] + ": verified", w.validate_published_weight_bundle_v2(b), c["verified"])
    s = b["weight_snapshot"]
    kw = {"calculation_snapshot": s["calculation_snapshot"], "finalized_chain_state_root": s["finalized_chain_state_root"],
          "gateway_authority_event_hash": s["gateway_authority_event_hash"]}
    if "input_value_documents" in c:
        docs = w.weight_input_value_documents_v2(**kw)
        t.check(c["name"] + ": documents", docs, c["input_value_documents"])
        t.check(c["name"] + ": output roots", w.weight_input_output_roots_v2(**kw), c["input_output_roots"])
    rebuilt = w.build_weight_snapshot_v2(validator_hotkey=s["validator_hotkey"], input_receipt_hashes=s["input_receipt_hashes"], **kw)
    t.check(c["name"] + ": rebuilt snapshot", rebuilt, s)
    t.check(c["name"] + ": validate_weight_snapshot_v2", w.validate_weight_snapshot_v2(s), b["weight_result"])
for c in pub["tampered"]:
    e = c["validate_error"]
    t.raises(c["name"], lambda: w.validate_published_weight_bundle_v2(c["bundle"]), e["message"], e["type"])

p = v["attested_v2_primitives"]["weight_snapshot_v2"]
t.check("primitive snapshot", w.validate_weight_snapshot_v2(p["snapshot"])["schema_version"],
        "leadpoet.weight_computation_result.v1")
s = p["snapshot"]
r = w.build_weight_snapshot_v2(validator_hotkey=s["validator_hotkey"], calculation_snapshot=s["calculation_snapshot"],
                               input_receipt_hashes=s["input_receipt_hashes"],
                               finalized_chain_state_root=s["finalized_chain_state_root"],
                               gateway_authority_event_hash=s["gateway_authority_event_hash"])
for k in ("snapshot_hash", "source_input_root", "calculation_snapshot_hash"):
    t.check("primitive " + k, r[k], p[k])

t.raises("callable verifier refused", lambda: w.validate_published_weight_bundle_v2(pub["valid"][0]["bundle"],
                                                                                      boot_attestation_verifier=print),
         "boot_attestation_verifier is not supported", "Unsupported")


def apply(base, patch):
    b = copy.deepcopy(base)
    for op in patch:
        path = op["path"]
        if not path:
            b = op["value"]
            continue
        node = b
        for k in path[:-1]:
            node = node[k]
        if op.get("delete"):
            del node[path[-1]]
        else:
            node[path[-1]] = op["value"]
    return b


valid = {c["name"]: c for c in pub["valid"]}
cases = t.vectors("leadpoet-v2/weight_authority_v2_cases.json")["cases"]
for c in cases:
    if c["kind"] == "request":
        continue  # step 11's request alone: the C suite's (no Python function of the module)
    if c["kind"] == "bundle":
        b = apply(valid[c["base"]]["bundle"], c["patch"])
        fn = lambda: w.validate_published_weight_bundle_v2(b, **c["opts"])
    else:
        fn = lambda: getattr(w, c["function"])(*c["args"], **c["kwargs"])
    e = c["expect"]
    if c["name"] in REFUSED:
        try:
            fn()
            t.check(c["name"] + ": refused", "accepted", "refused")
        except lc.LeadpoetCanonicalError as x:
            t.check(c["name"] + ": refused", x.name, REFUSED[c["name"]])
    elif "error" in e:
        t.raises(c["name"], fn, e["error"]["message"], e["error"]["type"])
    else:
        t.check(c["name"], fn(), e["verified"])
t.finish("test_weight_authority_v2")
