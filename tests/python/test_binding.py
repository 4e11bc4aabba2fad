#!/usr/bin/env python3
"""The ctypes binding (python/leadpoet_canonical.py) against Leadpoet's vectors,
run with the system python3.  Prints "test_binding: N passed, N failed"."""
import json, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("LEADPOET_CANONICAL_LIB",
                      os.path.join(os.environ.get("LP_LIB", "build/lib"), "libleadpoet_canonical.so.0"))
import leadpoet_canonical as lc  # noqa: E402

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

check("sha256 abc", lc.sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
raises("unknown profile", lc.canonical_dumps, {}, "compact")

print("test_binding: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
