#!/usr/bin/env python3
"""leadpoet_canonical.compact_weight_authority_v2 as a drop-in for Leadpoet's own module,
on vectors/leadpoet-v2/weights_v2.json `compact_weight_submissions` (outputs of
compact_weight_authority_v2.py at 5fe22c16): bundle hashes, ancestry commitments,
frontiers, the four negatives, and tampered submissions re-hashed so that one rule
fails (the messages are the reference's)."""
import copy
import hashlib
import json

import lp_check as t
from leadpoet_canonical import compact_weight_authority_v2 as cw

v = t.vectors("leadpoet-v2/weights_v2.json")
cases = v["compact_weight_submissions"]
lineage = v["attested_v2_primitives"]["lineage_id"]["lineage_id"]
t.check("cases", len(cases), 2)
CW = "CompactWeightAuthorityV2Error"


def commit(s, lin=lineage, **over):
    kw = {"lineage_id": lin, "input_receipt_hashes": s["weight_snapshot"]["input_receipt_hashes"],
          "upstream_ancestry_proofs": s["upstream_ancestry_proofs"],
          "upstream_transport_attempts": s["upstream_transport_attempts"]}
    kw.update(over)
    return cw.build_weight_ancestry_commitment_v2(**kw)


for c in cases:
    s = c["submission"]
    t.check(c["name"] + ": bundle_hash", cw.compact_weight_bundle_hash_v2(s), c["bundle_hash"])
    t.check(c["name"] + ": ancestry", commit(s), c["ancestry_commitment"])
    t.check(c["name"] + ": ancestry (tuple of attempts)",
            commit(s, upstream_transport_attempts=tuple(s["upstream_transport_attempts"])), c["ancestry_commitment"])
    t.check(c["name"] + ": frontier", cw.compact_gateway_frontier_receipt_hashes_v2(s["upstream_ancestry_proofs"]),
            c["ancestry_commitment_preimage"]["gateway_frontier_receipt_hashes"])
    # the preimages are what sha256_json hashes
    for k, h in (("bundle_commitment_preimage", "bundle_hash"), ("ancestry_commitment_preimage", "ancestry_commitment")):
        text = json.dumps(c[k], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        t.check(c["name"] + ": " + k, "sha256:" + hashlib.sha256(text.encode()).hexdigest(), c[h])

for n in cases[0]["negatives"]:
    if n["error"]:
        t.raises(n["name"], lambda: cw.compact_weight_bundle_hash_v2(n["submission"]), n["error"]["message"],
                 n["error"]["type"])
    else:
        t.check(n["name"], cw.compact_weight_bundle_hash_v2(n["submission"]), n["bundle_hash"])

BODY = ["schema_version", "validator_hotkey", "binding_message", "validator_hotkey_signature", "weight_snapshot",
        "weight_result", "weights_signature", "ancestry_commitment", "upstream_ancestry_proofs",
        "upstream_transport_attempts", "validator_receipt_delta", "binding_receipt", "validator_ancestry_proof",
        "epoch_authority", "epoch_boundary"]


def rehashed(edit):
    s = copy.deepcopy(cases[0]["submission"])
    edit(s)
    text = json.dumps({k: s[k] for k in BODY}, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    s["compact_submission_hash"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return s


shape = [
    ("delta root bare", lambda s: s["validator_receipt_delta"].update(root_receipt_hash="a9e1"),
     "validator delta root is invalid"),
    ("epoch authority alone", lambda s: s.update(epoch_authority={}), "compact epoch evidence is incomplete"),
    ("netuid float", lambda s: s["weight_result"].update(netuid=71.0), "compact weight netuid is invalid"),
    ("netuid bool", lambda s: s["weight_result"].update(netuid=True), "compact weight netuid is invalid"),
    ("weights hash short", lambda s: s["weight_result"].update(weights_hash="e1d6"), "compact weights hash is invalid"),
    ("hotkey with a tab", lambda s: s.update(validator_hotkey="5Fy\t"), "compact validator hotkey is invalid"),
    ("binding receipt a list", lambda s: s.update(binding_receipt=[]), "binding receipt is missing"),
    ("proofs missing bans", lambda s: s["upstream_ancestry_proofs"].pop("bans"),
     "compact proof categories are incomplete"),
]
for name, edit, msg in shape:
    t.raises(name, lambda: cw.compact_weight_bundle_hash_v2(rehashed(edit)), msg, CW)
unhashed = copy.deepcopy(cases[0]["submission"])
unhashed["binding_message"] += "x"
t.raises("edited, not re-hashed", lambda: cw.compact_weight_bundle_hash_v2(unhashed),
         "compact weight submission hash differs", CW)
t.raises("not a dict", lambda: cw.compact_weight_bundle_hash_v2([]), "compact weight submission is invalid", CW)

s0 = cases[0]["submission"]
inputs = dict(s0["weight_snapshot"]["input_receipt_hashes"])
inputs.pop("bans")
t.raises("inputs incomplete", lambda: commit(s0, input_receipt_hashes=inputs),
         "weight input receipt categories are incomplete", CW)
dup = list(s0["upstream_transport_attempts"]) + [s0["upstream_transport_attempts"][0]]
t.raises("attempt duplicated", lambda: commit(s0, upstream_transport_attempts=dup),
         "gateway compact transport attempt is duplicated", CW)
bad = copy.deepcopy(s0["upstream_transport_attempts"])
bad[1]["destination_port"] = 80
t.raises("attempt invalid", lambda: commit(s0, upstream_transport_attempts=bad),
         "gateway compact transport attempt is invalid", CW)
t.raises("lineage bare", lambda: commit(s0, lin="68c719dc"), "ancestry lineage id is invalid", CW)
t.check("lineage padded upper-case", commit(s0, lin=" " + lineage.upper() + " "), cases[0]["ancestry_commitment"])
proofs = copy.deepcopy(s0["upstream_ancestry_proofs"])
del proofs["champions"]["certificate"]
t.raises("certificate missing", lambda: commit(s0, upstream_ancestry_proofs=proofs),
         "gateway compact certificate is missing", CW)
proofs = copy.deepcopy(s0["upstream_ancestry_proofs"])
for p in proofs.values():
    p["certificate"]["claim"]["parent_authorities"] = [
        {"parent_receipt_hash": p["certificate"]["claim"]["output_root_receipt_hash"]}]
t.raises("frontier empty", lambda: cw.compact_gateway_frontier_receipt_hashes_v2(proofs),
         "compact proof frontier is empty", CW)
try:
    cw.build_weight_ancestry_commitment_v2(lineage_id=lineage)
    t.check("missing keyword raises", False, True)
except TypeError as e:
    t.check("missing keyword raises", "missing 3 required keyword-only arguments" in str(e), True)
t.finish("test_compact_weight_authority_v2")
