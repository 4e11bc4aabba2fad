#!/usr/bin/env python3
"""leadpoet_canonical.weight_computation as a drop-in for Leadpoet's own module, on
every weight_computation case of vectors/leadpoet-v2/weights_v2.json (outputs of
leadpoet_canonical/weight_computation.py at 5fe22c16): compute_final_weights' result
(==, and its canonical bytes and hash through sha256_json), the reference's exception
messages, weight_config_document, weight_config_hash, sha256_json."""
import hashlib, json

import lp_check as t
from leadpoet_canonical import LeadpoetCanonicalError
from leadpoet_canonical import weight_computation as wc

cases = t.vectors("leadpoet-v2/weights_v2.json")["weight_computation"]
t.check("case count", len(cases), 27)


def csu(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


for c in cases:
    n, snap = c["name"], c["snapshot"]
    t.check(n + ": config document", wc.weight_config_document(snap), c["config_document"])
    if c["config_hash_recomputed"] is None:
        t.raises(n + ": config hash", lambda: wc.weight_config_hash(snap), c["error"]["message"])
    else:
        t.check(n + ": config hash", wc.weight_config_hash(snap), c["config_hash_recomputed"])
    if c["error"] is not None:
        t.raises(n, lambda: wc.compute_final_weights(snap), c["error"]["message"], c["error"]["type"])
        continue
    got = wc.compute_final_weights(snap)
    t.check(n + ": result", got, c["result"])
    # the same types and float bits, not only ==
    t.check(n + ": canonical bytes", csu(got), csu(c["result"]))
    t.check(n + ": result length", len(csu(got)), c["result_canonical_json_length"])
    t.check(n + ": result_hash", wc.sha256_json(got), c["result_hash"])
    t.check(n + ": snapshot_hash", wc.sha256_json(snap), c["snapshot_hash"])
    t.check(n + ": float bits agree", [bytes.fromhex(b) for b in got["weight_float_bits"]],
            [__import__("struct").pack("!d", w) for w in c["result"]["weights"]])

# the exception is a LeadpoetCanonicalError (a ValueError, as WeightComputationError is)
try:
    wc.compute_final_weights({})
except ValueError as e:
    t.check("{} raises a ValueError subclass", isinstance(e, LeadpoetCanonicalError), True)
    t.check("{} message", str(e), "weight snapshot fields do not match the canonical schema")
    t.check("{} type", e.type, "WeightComputationError")
# sha256_json refuses NaN as the reference does, and hashes what json.dumps gives
t.raises("sha256_json NaN", lambda: wc.sha256_json({"a": float("nan")}), "weight value is not canonical JSON")
v = {"z": [1, 2.5, "é", None, True], "a": {"b": 1e-7}}
t.check("sha256_json", wc.sha256_json(v), "sha256:" + hashlib.sha256(csu(v)).hexdigest())
t.finish("test_weight_computation")
