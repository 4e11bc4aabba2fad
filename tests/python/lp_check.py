"""Shared by the binding tests: imports the binding from python/ with the library of
the build under test (LP_LIB), counts checks and prints "NAME: N passed, N failed"."""
import json, os, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("LEADPOET_CANONICAL_LIB",
                      os.path.join(os.environ.get("LP_LIB", "build/lib"), "libleadpoet_canonical.so.0"))

_counts = [0, 0]


def check(name, got, want):
    """One assertion: got == want (Python ==, so 71.0 equals 71)."""
    if got == want:
        _counts[0] += 1
    else:
        _counts[1] += 1
        print("FAIL %s:\n  got  %.400r\n  want %.400r" % (name, got, want))


def raises(name, fn, want_message, want_type=None):
    """fn() raises LeadpoetCanonicalError whose str() is want_message (and whose
    reference class is want_type when given)."""
    import leadpoet_canonical as lc
    try:
        got = fn()
    except lc.LeadpoetCanonicalError as e:
        check(name + ": message", str(e), want_message)
        if want_type is not None:
            check(name + ": type", e.type, want_type)
        return
    check(name + ": raises", "returned %.200r" % (got,), "raises " + want_message)


def vectors(rel):
    with open(os.path.join(ROOT, "vectors", rel), encoding="utf-8") as f:
        return json.load(f)


def finish(name):
    print("%s: %d passed, %d failed" % (name, _counts[0], _counts[1]))
    sys.exit(1 if _counts[1] else 0)
