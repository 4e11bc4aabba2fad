#!/usr/bin/env python3
"""leadpoet_canonical.attested_v2 as a drop-in for Leadpoet's own module, on
vectors/leadpoet-v2/weights_v2.json `attested_v2_primitives` and the receipt graphs of
`published_weight_bundles_v2` (outputs of leadpoet_canonical/attested_v2.py at
5fe22c16): Merkle roots and the empty roots, execution receipts, boot identities with
their claims and NSM user_data, transport attempts, graph post-orders, and each
exception's message and class."""
import lp_check as t
from leadpoet_canonical import attested_v2 as av

v = t.vectors("leadpoet-v2/weights_v2.json")
p = v["attested_v2_primitives"]
t.check("merkle cases", len(p["merkle_root"]), 14)
for i, c in enumerate(p["merkle_root"]):
    n = "merkle %d (%s)" % (i, c["domain"])
    if c.get("error"):
        t.raises(n, lambda: av.merkle_root(c["items"], domain=c["domain"]), c["error"]["message"], c["error"]["type"])
    else:
        t.check(n, av.merkle_root(c["items"], domain=c["domain"]), c["root"])
        t.check(n + " (tuple)", av.merkle_root(tuple(c["items"]), domain=c["domain"]), c["root"])
for k in ("EMPTY_TRANSPORT_ROOT", "EMPTY_ARTIFACT_ROOT", "EMPTY_HOST_OPERATION_ROOT"):
    t.check(k, getattr(av, k), p["empty_roots"][k])
t.check("receipt cases", len(p["execution_receipts"]), 7)
for c in p["execution_receipts"]:
    if c["error"]:
        t.raises(c["name"], lambda: av.validate_signed_execution_receipt(c["receipt"]), c["error"]["message"],
                 c["error"]["type"])
    else:
        t.check(c["name"], av.validate_signed_execution_receipt(c["receipt"]), None)
t.check("boot cases", len(p["boot_identities"]), 4)
for c in p["boot_identities"]:
    if c["error"]:
        t.raises(c["name"], lambda: av.validate_boot_identity(c["identity"]), c["error"]["message"], c["error"]["type"])
        continue
    t.check(c["name"], av.validate_boot_identity(c["identity"]), None)
    t.check(c["name"] + ": claim", av.build_boot_attestation_claim(c["identity"]), c["boot_attestation_claim"])
    t.check(c["name"] + ": user_data", av.build_boot_attestation_user_data(c["identity"]), c["boot_attestation_user_data"])
t.check("attempt cases", len(p["transport_attempts"]), 4)
for i, c in enumerate(p["transport_attempts"]):
    n = c.get("name") or "attempt %d" % i
    if c["error"]:
        t.raises(n, lambda: av.validate_transport_attempt(c["attempt"]), c["error"]["message"], c["error"]["type"])
    else:
        t.check(n, av.validate_transport_attempt(c["attempt"]), None)

# The graphs, with the seventeen purposes validate_published_weight_bundle_v2 requires
# (weight_authority_v2.py at 5fe22c16).
REQ = ["research_lab.allocation.v2", "research_lab.champion_input.v2", "research_lab.reimbursement_input.v2",
       "research_lab.source_add_reward_input.v2", "research_lab.fulfillment_input.v2",
       "research_lab.leaderboard_input.v2", "research_lab.ban_input.v2", "research_lab.sourcing_input.v2",
       "research_lab.anomaly_adjustment_input.v2", "validator.chain_state.v2", "validator.metagraph_state.v2",
       "validator.burn_ownership.v2", "validator.feature_flags.v2", "validator.constants.v2",
       "validator.weight_snapshot.v2", "validator.weights.computed.v2", "validator.hotkey_signature.v2"]
pub = v["published_weight_bundles_v2"]
orders = 0
for c in pub["valid"]:
    got = av.validate_receipt_graph(c["bundle"]["receipt_graph"], required_purposes=REQ)
    t.check(c["name"] + ": root last", got[-1], c["verified"]["root_receipt_hash"])
    if "receipt_graph_post_order" in c:
        t.check(c["name"] + ": post-order", got, tuple(c["receipt_graph_post_order"]))
        orders += 1
t.check("post-orders compared", orders, 5)
PREFIX = "invalid V2 receipt graph: "
graph_cases = [c for c in pub["tampered"] if c.get("step") == "graph"]
t.check("graph-step cases", len(graph_cases), 8)
for c in graph_cases:
    msg = c["validate_error"]["message"]
    t.check(c["name"] + ": prefix", msg.startswith(PREFIX), True)
    t.raises(c["name"], lambda: av.validate_receipt_graph(c["bundle"]["receipt_graph"], required_purposes=REQ),
             msg[len(PREFIX):], "AttestedV2Error")
t.raises("verifier callable", lambda: av.validate_receipt_graph({}, boot_attestation_verifier=print),
         "boot_attestation_verifier is not supported")
t.finish("test_attested_v2")
