#!/usr/bin/env python3
"""leadpoet_canonical.attested_receipts as a drop-in for Leadpoet's own module, on
every case of vectors/leadpoet-v2/weights_v2.json `receipts`, `receipt_lineage` and
`artifact_merkle_root` (outputs of leadpoet_canonical/attested_receipts.py at
5fe22c16): built bodies, validations, receipt hashes, signed receipts, lineage order
and artifact roots, and each exception's message and class."""
import json

import lp_check as t
from leadpoet_canonical import attested_receipts as ar

v = t.vectors("leadpoet-v2/weights_v2.json")
t.check("receipt cases", len(v["receipts"]), 23)
for c in v["receipts"]:
    n = c["name"]
    if "build_kwargs" in c:
        want = c["build_receipt_body"]
        if isinstance(want, dict) and set(want) == {"error"}:
            t.raises(n + ": build", lambda: ar.build_receipt_body(**c["build_kwargs"]), want["error"]["message"],
                     want["error"]["type"])
        else:
            t.check(n + ": build", ar.build_receipt_body(**c["build_kwargs"]), want)
    if "body" in c:
        err = c["validate_receipt_body_error"]
        if err is None:
            t.check(n + ": validate", ar.validate_receipt_body(c["body"]), None)
            t.check(n + ": receipt_hash", ar.receipt_hash(c["body"]), c["receipt_hash"])
            t.check(n + ": canonical json", json.dumps(c["body"], sort_keys=True, separators=(",", ":"),
                                                       ensure_ascii=False), c["body_canonical_json"])
        else:
            t.raises(n + ": validate", lambda: ar.validate_receipt_body(c["body"]), err["message"], err["type"])
    if "signed" in c:
        err = c["validate_signed_receipt_error"]
        if err is None:
            t.check(n + ": signed", ar.validate_signed_receipt(c["signed"]), None)
        else:
            t.raises(n + ": signed", lambda: ar.validate_signed_receipt(c["signed"]), err["message"], err["type"])

t.check("lineage cases", len(v["receipt_lineage"]), 4)
for c in v["receipt_lineage"]:
    n = c["name"]
    if c["error"] is None:
        got = ar.verify_receipt_lineage(c["receipt"], c["parent_receipts"])
        t.check(n + ": ordered", got, tuple(c["ordered"]))
    else:
        t.raises(n, lambda: ar.verify_receipt_lineage(c["receipt"], c["parent_receipts"]), c["error"]["message"],
                 c["error"]["type"])

t.check("artifact cases", len(v["artifact_merkle_root"]), 6)
for c in v["artifact_merkle_root"]:
    n = "artifacts %s" % c["n"]
    if c.get("error"):
        t.raises(n, lambda: ar.artifact_merkle_root(c["artifacts"]), c["error"]["message"], c["error"]["type"])
    else:
        t.check(n, ar.artifact_merkle_root(c["artifacts"]), c["root"])
        # the reference takes any sequence: a tuple gives the same root
        t.check(n + " (tuple)", ar.artifact_merkle_root(tuple(c["artifacts"])), c["root"])
t.finish("test_attested_receipts")
