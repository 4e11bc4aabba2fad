#!/usr/bin/env python3
"""Differential test: the C serializer against this machine's CPython json module
on generated values (fixed seed), every profile.  Prints "N passed, N failed"."""
import json, math, os, random, struct, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
os.environ.setdefault("LEADPOET_CANONICAL_LIB",
                      os.path.join(os.environ.get("LP_LIB", "build/lib"), "libleadpoet_canonical.so.0"))
import leadpoet_canonical as lc  # noqa: E402

KW = {
    "compact-sorted-ascii": dict(sort_keys=True, separators=(",", ":")),
    "default-sorted-ascii": dict(sort_keys=True),
    "default-unsorted-ascii": dict(),
    "compact-sorted-utf8": dict(sort_keys=True, separators=(",", ":"), ensure_ascii=False),
    "compact-sorted-utf8-nonan": dict(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False),
    "indent2-sorted-ascii": dict(sort_keys=True, indent=2),
}

rng = random.Random(20261121)
N = int(os.environ.get("LP_DIFF_DOCS", "3000"))


def rand_float():
    k = rng.randrange(8)
    if k == 0:  # any bit pattern: subnormals, huge, NaN, inf
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if k == 1:  # every decimal exponent range
        return rng.uniform(1, 10) * 10.0 ** rng.randint(-320, 308)
    if k == 2:  # powers of two and their neighbours (asymmetric rounding intervals)
        x = math.ldexp(1.0, rng.randint(-1074, 1023))
        return rng.choice([x, math.nextafter(x, 0), math.nextafter(x, math.inf)])
    if k == 3:  # short decimals such as rep scores and stakes
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 8))
    if k == 4:  # around the positional/exponent thresholds
        return rng.choice([1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.0001, 0.00009999]) * rng.choice([1, -1, 1.5, 3])
    if k == 5:
        return rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 1.7976931348623157e308])
    return rng.random() * rng.choice([1, 100, 1e-10, 1e20])


def rand_str():
    out = []
    for _ in range(rng.randrange(12)):
        k = rng.randrange(7)
        if k == 0:
            out.append(chr(rng.randrange(0x20)))
        elif k == 1:
            out.append(chr(rng.randrange(0x20, 0x80)))
        elif k == 2:
            out.append(chr(rng.randrange(0x80, 0x800)))
        elif k == 3:
            out.append(chr(rng.randrange(0x800, 0xD800)))
        elif k == 4 and rng.random() < 0.3:
            out.append(chr(rng.randrange(0xD800, 0xE000)))  # lone surrogate
        elif k == 5:
            out.append(chr(rng.randrange(0xE000, 0x10000)))
        else:
            out.append(chr(rng.randrange(0x10000, 0x110000)))
    return "".join(out)


def rand_value(depth=0):
    k = rng.randrange(10 if depth < 6 else 7)
    if k == 0:
        return None
    if k == 1:
        return rng.choice([True, False])
    if k == 2:
        return rng.randint(-2**70, 2**70) if rng.random() < 0.5 else rng.randint(-1000, 1000)
    if k in (3, 4):
        return rand_float()
    if k in (5, 6):
        return rand_str()
    if k in (7, 8):
        return {rand_str() if rng.random() < 0.7 else rng.choice("abcAB_"): rand_value(depth + 1)
                for _ in range(rng.randrange(6))}
    return [rand_value(depth + 1) for _ in range(rng.randrange(6))]


def python_bytes(v, kw):
    try:
        return json.dumps(v, **kw).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as e:
        return e


passed = failed = 0
for i in range(N):
    v = rand_value()
    ok = True
    for prof, kw in KW.items():
        want = python_bytes(v, kw)
        try:
            got = lc.canonical_dumps(v, prof)
        except lc.LeadpoetCanonicalError as e:
            got = e
        if isinstance(want, Exception) or isinstance(got, Exception):
            if not (isinstance(want, Exception) and isinstance(got, Exception)):
                ok = False
                print("MISMATCH doc %d %s: python %r, C %r, value %r" % (i, prof, want, got, v)[:600])
        elif want != got:
            ok = False
            print("MISMATCH doc %d %s:\n python %r\n C      %r" % (i, prof, want[:300], got[:300]))
    if ok:
        passed += 1
    else:
        failed += 1

# Deep nesting and long strings, once each.
deep = 1.5
for _ in range(300):
    deep = [deep, {"d": deep}] if _ % 50 == 0 else [deep]
for v in (deep, {"k" * 1000: "v" * 100000}):
    good = all(lc.canonical_dumps(v, p) == json.dumps(v, **kw).encode() for p, kw in KW.items())
    passed += good
    failed += not good

print("test_differential: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
