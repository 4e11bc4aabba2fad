#!/usr/bin/env python3
"""Differential test: the C serializer against this machine's CPython json module
on generated values (fixed seed), every profile.  Prints "N passed, N failed"."""
import json, math, os, random, struct, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
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

# Parser direction: generated JSON *texts* (number spellings, escapes, whitespace,
# duplicate keys, malformed variants) parsed by both and dumped in every profile;
# a text one side rejects must be rejected by the other.
NUMS = ["0", "-0", "-0.0", "1E400", "-1e400", "1e-400", "2.5e-324", "4.9e-324", "1.7976931348623159e308",
        "0.1", "1.0", "1e0", "1E+2", "1e-07", "123456789012345678901234567890", "-9223372036854775809",
        "18446744073709551616", "1." , ".5", "01", "-", "+1", "1e", "0x10", "NaN", "Infinity", "-Infinity",
        "1_0", "1.5e+", "9007199254740993", "0.30000000000000004", "1" * 4300, "1" * 4301]
ESC = ["\\n", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\u0000", "\\/", "\\\\", "\\\"", "\\x",
       "\\u12", "\\U0041", "\u00e9", "\U0001f600", "\x7f", "\t"]
WS = ["", " ", "\n", "\t", "\r\n  ", "\u00a0"]


def rand_text(depth=0):
    k = rng.randrange(9 if depth < 5 else 6)
    if k == 0:
        return rng.choice(NUMS)
    if k == 1:
        e = int(rng.uniform(-330, 310))
        return "%s%d.%de%d" % (rng.choice(["", "-"]), rng.randrange(10), rng.randrange(10 ** 6), e)
    if k == 2:
        return '"' + "".join(rng.choice(ESC) if rng.random() < 0.4 else chr(rng.randrange(0x20, 0x7f)).replace('"', "").replace("\\", "")
                             for _ in range(rng.randrange(6))) + '"'
    if k == 3:
        return rng.choice(["true", "false", "null", "tru", "nul"])
    if k in (4, 5):
        return str(rng.randint(-10 ** 20, 10 ** 20))
    if k in (6, 7):
        keys = [rng.choice(['"a"', '"b"', '"\\u0061"', '"c"', '"\\ud800"']) for _ in range(rng.randrange(5))]
        body = ("," + rng.choice(WS)).join("%s%s:%s%s" % (kk, rng.choice(WS), rng.choice(WS), rand_text(depth + 1)) for kk in keys)
        return "{" + rng.choice(WS) + body + rng.choice(WS) + rng.choice(["}", "}", "}", ",}", ""])
    body = ",".join(rand_text(depth + 1) for _ in range(rng.randrange(5)))
    return "[" + rng.choice(WS) + body + rng.choice(["]", "]", "]", ",]", ""])


def c_dumps_text(text, prof):
    try:
        return lc.canonical_dumps_text(text, prof)
    except lc.LeadpoetCanonicalError:
        return None


NT = int(os.environ.get("LP_DIFF_TEXTS", "3000"))
fast_accepted = 0
for i in range(NT):
    text = rng.choice(WS) + rand_text() + rng.choice(WS)
    raw = text.encode("utf-8")
    try:
        v = json.loads(text)
        py_ok = True
    except (ValueError, RecursionError):
        py_ok = False
    ok = True
    for prof, kw in KW.items():
        want = python_bytes(v, kw) if py_ok else None
        if isinstance(want, Exception):
            want = None
        got = c_dumps_text(raw, prof)
        if want != got:
            ok = False
            print("MISMATCH text %d %s: %r\n python %r\n C      %r" % (i, prof, text[:200], want and want[:200], got and got[:200]))
    # The CS-A fast path (lpc_csa_from_text) on the same text: bytes only where CPython
    # accepts, and then exactly CPython's CS-A; declined wherever CPython rejects.
    fast = lc.canonical_csa_from_text(raw)
    if fast is not None:
        fast_accepted += 1
        want = python_bytes(v, KW["compact-sorted-ascii"]) if py_ok else None
        if want != fast:
            ok = False
            print("MISMATCH csa text %d: %r\n python %r\n fast   %r" % (i, text[:200], want and want[:200], fast[:200]))
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


# ---- lpc_csa_from_text on plain records -------------------------------------------
# Records as Leadpoet writes them: CPython's json.dumps(ensure_ascii=True) of random
# values in several layouts, plus our own writer with random whitespace and number
# spellings.  The expected bytes are always CPython's CS-A of json.loads(text).
CSA = KW["compact-sorted-ascii"]
PLAIN_KEY = "".join(chr(c) for c in range(0x20, 0x7f) if chr(c) not in '"\\')
print("csa: parser-direction texts accepted by the fast path: %d of %d" % (fast_accepted, NT))


def plain_key():
    return "".join(rng.choice(PLAIN_KEY) for _ in range(rng.randrange(8)))


def plain_str():
    s = list(rand_str())
    for _ in range(rng.randrange(4)):  # the ASCII that must be copied or escaped as is
        s.insert(rng.randrange(len(s) + 1), rng.choice(['"', "\\", "/", "\x7f", "\x00", "\x1f", "\b", "\f",
                                                         "\n", "\r", "\t", "\ud800", "\udfff", "\U00010000"]))
    return "".join(s)


def plain_float():
    while True:
        x = rand_float()
        if math.isfinite(x):
            return x


def plain_value(depth=0):
    k = rng.randrange(10 if depth < 5 else 7)
    if k == 0:
        return rng.choice([None, True, False])
    if k in (1, 2):
        return rng.choice([rng.randint(-2**200, 2**200), rng.randint(-2**63, 2**64), rng.randint(-9, 9), 0,
                           int("9" * rng.randint(1, 4300)) * rng.choice([1, -1])])
    if k in (3, 4):
        return plain_float()
    if k in (5, 6):
        return plain_str()
    if k in (7, 8):
        return {plain_key(): plain_value(depth + 1) for _ in range(rng.randrange(7))}
    return [plain_value(depth + 1) for _ in range(rng.randrange(6))]


def spell_float(x):
    f = rng.choice(["r", "r", "%.17g", "%.17e", "%.17E", "%.25e", "%.3f", "%.20f", "%.1e"])
    if f == "r":
        return repr(x)
    t = f % x
    if len(t) >= 40 or not math.isfinite(float(t)):  # rounded to inf, or longer than records carry
        return repr(x)
    return t if "." in t or "e" in t.lower() else t + ".0"


def ws():
    return "".join(rng.choice(" \t\n\r") for _ in range(rng.choice([0, 0, 0, 1, 2, 5])))


def write(v):
    """JSON text of v with ensure_ascii strings, random layout and number spellings."""
    if v is None or v is True or v is False:
        return json.dumps(v)
    if isinstance(v, int):
        return "-0" if v == 0 and rng.random() < 0.5 else str(v)
    if isinstance(v, float):
        return spell_float(v)
    if isinstance(v, str):
        return json.dumps(v)  # ensure_ascii
    if isinstance(v, list):
        return "[" + ws() + ("," + ws()).join(write(x) + ws() for x in v) + "]"
    items = list(v.items())
    rng.shuffle(items)
    return "{" + ws() + ("," + ws()).join(json.dumps(k) + ws() + ":" + ws() + write(x) + ws()
                                         for k, x in items) + "}"


LAYOUTS = [dict(), dict(separators=(",", ":")), dict(separators=(",", ":"), sort_keys=True), dict(indent=2)]
NR = int(os.environ.get("LP_DIFF_RECORDS", "1500"))
csa_total = csa_ok = 0
for i in range(NR):
    v = {"sequence": rng.randint(0, 2**64), "kind": plain_key()}
    v.update({plain_key(): plain_value(1) for _ in range(rng.randrange(8))})
    texts = [json.dumps(v, **kw) for kw in LAYOUTS] + [ws() + write(v) + ws() for _ in range(3)]
    for text in texts:
        raw = text.encode("ascii")
        want = json.dumps(json.loads(raw), **CSA).encode()
        got = lc.canonical_csa_span(raw, "sequence")
        csa_total += 1
        good = True
        if got is not None:
            csa_ok += 1
            out, (a, b) = got
            seq = json.dumps(json.loads(raw)["sequence"]).encode()
            if out != want or out[a:b] != seq:
                good = False
                print("MISMATCH csa record %d: %r\n python %r\n fast   %r span %r" % (i, text[:300], want[:300], out[:300], out[a:b]))
        if lc.canonical_dumps_text(raw) != want:
            good = False
            print("MISMATCH csa record %d (tree path): %r" % (i, text[:300]))
        passed += good
        failed += not good
print("csa: plain record texts accepted by the fast path: %d of %d" % (csa_ok, csa_total))
if csa_ok * 100 < csa_total * 98:
    failed += 1
    print("FAIL csa: fewer than 98% of plain records accepted")
else:
    passed += 1

# Texts outside the plain form: declined, and the tree path still does what CPython does
# (json.loads on the bytes, then CS-A) -- bytes or a rejection.
DECLINE = [
    '"\\u00E9"', '"\\u00eA"', '"\\u0041"', '"\\u0020"', '"\\u007E"', '"\\u007F"', '"\\u001F"', '"\\u000a"',
    '"\\u0008"', '"\\u0009"', '"\\u000c"', '"\\u000d"', '"\\/"', '"a/\\/b"', '"\\x"', '"\\u12"', '"\\U0041"',
    '"caf\u00e9"', '"\U0001f600"', '"\x7f"', '"\x00"', '"\x01"', '"tab\there"', '"nl\nhere"', '"\\ud800\\uDC00"',
    '{"a":1,"a":1}', '{"a":1,"b":2,"a":3}', '{"b":1,"a":2,"b":3}', '{"z":{"y":1,"x":2,"y":3}}', '[{"k":1,"k":2}]',
    '{"\\u0061":1}', '{"a\\n":1}', '{"\\"":1}', '{"\u00e9":1}', '{"\x7f":1}',
    "NaN", "Infinity", "-Infinity", "[NaN]", '{"a":Infinity}', "1e400", "-1e400", "[1E400]",
    "1" * 4301, "-" + "1" * 4301, "0." + "0" * 70 + "1", "1" + "0" * 70 + ".5",
    "[" * 65 + "]" * 65, '{"a":' * 65 + "1" + "}" * 65, "[" * 64 + "{}" + "]" * 64,
    "{" + ",".join('"k%d":%d' % (j, j) for j in range(257)) + "}",
    "[1,]", '{"a":1,}', "[,1]", "[1 2]", '{"a" 1}', '{1:2}', "{'a':1}", "[1", '{"a":1', '"abc', "",
    "   ", "\ufeff{}", "\ufeff[1]", "[1]x", "[1] 2", "{}{}", "tru", "nul", "truex", "01", "-01", "1.", ".5", "+1",
    "-", "1e", "1e+", "0x10", "1_0", "- 1", "\u00a0[1]", "[1]\u00a0", "[\x0c1]", "\x00",
]
for text in DECLINE:
    raw = text.encode("utf-8")
    try:
        want = json.dumps(json.loads(raw), **CSA).encode()
    except (ValueError, RecursionError):
        want = None
    fast = lc.canonical_csa_from_text(raw)
    ref = c_dumps_text(raw, "compact-sorted-ascii")
    good = fast is None and ref == want
    if not good:
        print("FAIL csa decline %r: fast %r, tree %r, python %r" % (text[:80], fast and fast[:80], ref and ref[:80], want and want[:80]))
    passed += good
    failed += not good

# The edges just inside the plain form are accepted (so the declines above are not vacuous).
ACCEPT = [
    '"\\u00e9\\u007f\\u001f\\u0000\\ud800\\udc00\\udfff\\ud800"', '"\\b\\f\\n\\r\\t\\"\\\\/"', "1" * 4300,
    "-" + "1" * 4300, "[" * 64 + "]" * 64, '{"a":' * 64 + "1" + "}" * 64,
    "{" + ",".join('"k%d":%d' % (j, j) for j in range(256)) + "}", '{"b":1,"a":{"d":[-0,-0.0,1E2],"c":2}}',
    " \t\r\n[1e-400,1e22,1e16,1E15,5e-324,0.1e1,12.50e+3]\n", '{"":0,"a":1," ":2,"~":3,"A":4}',
]
for text in ACCEPT:
    raw = text.encode("ascii")
    want = json.dumps(json.loads(raw), **CSA).encode()
    fast = lc.canonical_csa_from_text(raw)
    good = fast == want
    if not good:
        print("FAIL csa accept %r: fast %r, python %r" % (text[:80], fast and fast[:80], want[:80]))
    passed += good
    failed += not good

# Every \uXXXX escape, lowercase and uppercase, alone and after a high surrogate: when the
# fast path accepts, CPython's CS-A bytes (lowercase escapes at or above 0x7f and below
# 0x20 without a short form are accepted, the rest declined).
esc_bad = esc_ok = 0
for cp in range(0x10000):
    for t in ('"\\u%04x"' % cp, '"\\u%04X"' % cp, '["\\ud83d\\u%04x"]' % cp):
        raw = t.encode()
        fast = lc.canonical_csa_from_text(raw)
        if fast is not None:
            esc_ok += 1
            if fast != json.dumps(json.loads(raw), **CSA).encode():
                esc_bad += 1
                print("MISMATCH csa escape %r: fast %r" % (t, fast))
print("csa: escape texts accepted by the fast path: %d of %d" % (esc_ok, 3 * 0x10000))
# lowercase: 0x10000 - 0x5f printable - 5 short forms; uppercase: those without a-f
want_ok = (0x10000 - 0x5f - 5) + sum(1 for cp in range(0x10000) if (cp < 0x20 and cp not in (8, 9, 10, 12, 13) or cp >= 0x7f)
                                     and not any(ch in "abcdef" for ch in "%04x" % cp)) + (0x10000 - 0x5f - 5)
good = esc_bad == 0 and esc_ok == want_ok
if not good:
    print("FAIL csa escapes: %d mismatches, %d accepted, %d expected" % (esc_bad, esc_ok, want_ok))
passed += good
failed += not good

# ---- numbers: float(text) at rounding boundaries, round(x, n) ----------------------
# Exact decimal midpoints between neighbouring doubles (hundreds of digits), and the
# midpoint nudged by one unit in its last digit, as JSON texts: the parser must round as
# CPython does (ties to even), with the fraction moved into the exponent.
from decimal import Decimal, getcontext  # noqa: E402
getcontext().prec = 1200
num_bad = num_n = 0
for i in range(int(os.environ.get("LP_DIFF_NUMBERS", "3000"))):
    x = abs(plain_float())
    y = math.nextafter(x, math.inf)
    if not math.isfinite(y) or x == 0:
        continue
    mid = (Decimal(x) + Decimal(y)) / 2
    exp = rng.randint(-5, 5)
    digits, point = format(mid.scaleb(-exp), "f"), exp
    for t in (digits, digits + "1", digits[:-1] if digits[-1] != "." else digits):
        if t.endswith("."):
            t += "0"
        if "." not in t:
            t += ".0"
        text = ("%se%d" % (t, point)).encode()
        num_n += 1
        want = json.dumps(json.loads(text)).encode()
        got = lc.canonical_dumps_text(text, "default-unsorted-ascii")
        if got != want:
            num_bad += 1
            if num_bad < 5:
                print("MISMATCH number %r: python %r, C %r" % (text[:120], want, got))
for i in range(int(os.environ.get("LP_DIFF_ROUNDS", "20000"))):
    x = plain_float()
    n = rng.choice([0, 1, 2, 3, 4, 6, 8, 12, 17, rng.randint(0, 330)])
    got, want = lc.py_round(x, n), round(x, n)
    num_n += 1
    if struct.pack("<d", got) != struct.pack("<d", want):
        num_bad += 1
        if num_bad < 10:
            print("MISMATCH round(%r, %d): python %r, C %r" % (x, n, want, got))
print("numbers: %d midpoint texts and round() calls, %d mismatches" % (num_n, num_bad))
passed += num_n - num_bad
failed += num_bad

print("test_differential: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
