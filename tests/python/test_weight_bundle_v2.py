#!/usr/bin/env python3
"""leadpoet_canonical.weight_bundle_v2 as a drop-in for Leadpoet's own module, on
vectors/leadpoet-v2/weights_v2.json `weight_bundles_v2_shadow` (5 valid, 19 tampered)
and `weight_bundle_v2` (outputs of leadpoet_canonical/weight_bundle_v2.py at
5fe22c16): return values and each exception's message and class."""
import lp_check as t
from leadpoet_canonical import weight_bundle_v2 as wb

v = t.vectors("leadpoet-v2/weights_v2.json")
s = v["weight_bundles_v2_shadow"]
t.check("valid count", len(s["valid"]), 5)
t.check("tampered count", len(s["tampered"]), 19)
for c in s["valid"]:
    t.check(c["name"], wb.validate_weight_bundle_v2(c["bundle"], require_allocation_ancestry=c["require_allocation_ancestry"]),
            c["validate_result"])
for c in s["tampered"]:
    e = c["validate_error"]
    t.raises(c["name"], lambda: wb.validate_weight_bundle_v2(c["bundle"],
                                                             require_allocation_ancestry=c["require_allocation_ancestry"]),
             e["message"], e["type"])
old = v["weight_bundle_v2"]
for req in (True, False):
    t.check("older file, require=%s" % req, wb.validate_weight_bundle_v2(old["bundle"], require_allocation_ancestry=req),
            old["validate_result"])
try:
    wb.validate_weight_bundle_v2(old["bundle"])
    t.check("keyword-only argument", "no error", "TypeError")
except TypeError:
    t.check("keyword-only argument", "TypeError", "TypeError")
t.finish("test_weight_bundle_v2")
