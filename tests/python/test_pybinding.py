#!/usr/bin/env python3
"""The ctypes binding (python/leadpoet_canonical.py) against Leadpoet's vectors,
run with the system python3.  Prints "test_binding: N passed, N failed"."""
import json, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("LEADPOET_CANONICAL_LIB",
                      os.path.join(os.environ.get("LP_LIB", "build/lib"), "libleadpoet_canonical.so.0"))
import leadpoet_canonical as lc  # noqa: E402

if os.environ.get("LP_TEST_LOCALE") == "1":
    # tests/cli/test_locale.sh: run under the environment's locale (locale.Error when it
    # cannot be set), which must have a decimal point other than "." to prove anything.
    import locale
    locale.setlocale(locale.LC_ALL, "")
    if locale.localeconv()["decimal_point"] == ".":
        sys.exit("LP_TEST_LOCALE=1 but locale %s has decimal point '.'" % locale.setlocale(locale.LC_NUMERIC))

passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print("FAIL %s:\n  got  %r\n  want %r" % (name, got, want))


def raises(name, fn, *args):
    global passed, failed
    try:
        fn(*args)
    except lc.LeadpoetCanonicalError:
        passed += 1
        return
    failed += 1
    print("FAIL %s: no error raised" % name)


def vec(name):
    with open(os.path.join(ROOT, "vectors", "leadpoet", name), encoding="utf-8") as f:
        return json.load(f)


# canonical_json.json: every case, every profile.
cj = vec("canonical_json.json")
for c in cj["cases"]:
    value = json.loads(c["input_json"])
    for prof, out in c["outputs"].items():
        p = prof.replace("_", "-")
        tag = "%s/%s" % (c["name"], p)
        if "utf8_hex" in out:
            check(tag, lc.canonical_dumps(value, p).hex(), out["utf8_hex"])
            check(tag + " sha", lc.canonical_sha256(value, p), out["sha256"])
        else:
            raises(tag, lc.canonical_dumps, value, p)

for row in cj["float_repr_table"]:
    check("repr " + row["repr"], lc.float_repr(float.fromhex(row["float_hex"])), row["repr"])

for row in vec("misc_hashes.json")["python_round"]:
    x = float.fromhex(row["x_hex"])
    check("round4 " + row["x_repr"], repr(lc.py_round(x, 4)), row["round4_repr"])
    check("round2 " + row["x_repr"], repr(lc.py_round(x, 2)), row["round2_repr"])

# weights.json: hashes, normalisation, tolerance, invariants.
wv = vec("weights.json")
for c in wv["bundle_weights_hash"]:
    pairs = [tuple(p) for p in c["weights_input"]]
    check("bundle " + c["name"], lc.bundle_weights_hash(c["netuid"], c["epoch_id"], c["block"], pairs),
          c["bundle_weights_hash"])
    check("compare " + c["name"], lc.compare_weights_hash(c["netuid"], c["epoch_id"], pairs), c["compare_weights_hash"])
for c in wv["normalize_to_u16"]:
    ws = [float.fromhex(h) for h in c["weights_hex"]]
    want = c["pure_path"]
    if isinstance(want, dict) and "uids" in want:
        check("normalize " + c["name"], lc.normalize_to_u16(c["uids"], ws), (want["uids"], want["weights_u16"]))
    else:
        raises("normalize " + c["name"], lc.normalize_to_u16, c["uids"], ws)
for c in wv["weights_within_tolerance"]:
    check("tolerance " + c["name"], lc.weights_within_tolerance(c["expected"], c["actual"], c["tolerance"]),
          c["within_tolerance"])
for c in wv["validate_weights_invariants"]:
    check("invariants " + c["name"], lc.validate_weights_invariants(c["uids"], c["weights_u16"]), c["error"])
try:
    lc.bundle_weights_hash(71, 1, 1, [(1, 2 ** 64)])
    failed += 1
    print("FAIL: an out-of-int64 weight must be refused, not truncated")
except OverflowError:
    passed += 1

# commit_reveal.json: every case, the legacy eras, the v2 batch rows.
cr = vec("commit_reveal.json")
for c in cr["cases"]:
    salt = c["salt_hex"]
    check("decision " + c["name"], lc.decision_hash(c["decision"], salt), c["decision_hash"])
    check("rep_score " + c["name"], lc.rep_score_hash(c["rep_score"], salt), c["rep_score_hash"])
    check("reason " + c["name"], lc.rejection_reason_hash(c["rejection_reason"], salt), c["rejection_reason_hash"])
    check("evidence " + c["name"], lc.evidence_hash(c["evidence_object"], clean=True), c["evidence_hash"])
legacy_salt = cr["cases"][0]["salt_hex"]  # legacy[] rows were made with the cases' salt
for c in cr["legacy"]:
    if "rep_score_value" in c:
        check("legacy " + c["name"], lc.rep_score_hash(c["rep_score_value"], legacy_salt), c["rep_score_hash"])
    else:
        check("legacy " + c["name"], lc.rejection_reason_text_hash(c["rejection_reason"], legacy_salt),
              c["rejection_reason_hash"])
for r in cr["qualification_batch_v2_rows"]:
    check("v2 decision " + r["lead_id"], lc.decision_hash(r["decision"], r["salt"]), r["decision_hash"])
    check("v2 reason " + r["lead_id"], lc.rejection_reason_hash(r["rejection_reason"], r["salt"]),
          r["rejection_reason_hash"])
# One character of salt, or the key order of the reason, changes the hash.
c0 = cr["cases"][1]
check("salt change", lc.decision_hash(c0["decision"], c0["salt_hex"][:-1] + "0") == c0["decision_hash"], False)
rr = dict(reversed(list(c0["rejection_reason"].items())))
check("reason key order", lc.rejection_reason_hash(rr, c0["salt_hex"]) == c0["rejection_reason_hash"],
      len(rr) < 2)
for bad in ("42", True, None):
    try:
        lc.rep_score_hash(bad, legacy_salt)
        failed += 1
        print("FAIL: rep_score %r must be refused" % (bad,))
    except TypeError:
        passed += 1
# 42 and 42.0 are different commitments (str() differs).
check("int vs float rep_score", lc.rep_score_hash(42, legacy_salt) == lc.rep_score_hash(42.0, legacy_salt), False)

# Numbers through every C conversion against CPython (review small defect 1: under a
# comma-decimal locale the first gave b"[0.0,1.0]").
for v in ([0.30000000000000004, 1.7976931348623157e308], [2.5, -0.0, 1e-07, 5e-324, 1e22, 123456.789],
          {"w": 0.1, "big": 12345678901234567890123}):
    check("numbers %r" % (v,), lc.canonical_dumps(v), json.dumps(v, sort_keys=True, separators=(",", ":")).encode())
    check("numbers text %r" % (v,), lc.canonical_dumps_text(json.dumps(v).encode()),
          json.dumps(v, sort_keys=True, separators=(",", ":")).encode())
for x, n in ((2.675, 2), (1234.5678, 3), (0.125, 2), (1e300, 5)):
    check("round(%r, %d)" % (x, n), lc.py_round(x, n), round(x, n))
for x in (0.1, 1 / 3, 1e16, 2.0 ** -1074, 1.7976931348623157e308):
    check("repr %r" % x, lc.float_repr(x), repr(x))

# Errors carry the registry's name (canonical/lp_code.h).
for text, prof, name in ((b"[NaN]", "compact-sorted-utf8-nonan", "NAN_NOT_ALLOWED"), (b"[1,]", "compact-sorted-ascii", "JSON_SYNTAX"),
                         (b'"\xff"', "compact-sorted-ascii", "BAD_UTF8"), (b"{}", "compact", "BAD_ARGUMENT")):
    try:
        lc.canonical_dumps_text(text, prof)
        check("error name %r" % text, None, name)
    except lc.LeadpoetCanonicalError as e:
        check("error name %r" % text, e.name, name)

check("sha256 abc", lc.sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
raises("unknown profile", lc.canonical_dumps, {}, "compact")

print("test_pybinding: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
