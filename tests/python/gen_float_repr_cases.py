#!/usr/bin/env python3
"""Regenerates vectors/canonical/float_repr_cases.json: CPython's repr() of
doubles around the ranges where lpc_float_repr takes its fast path (values of
up to 14 significant digits between 1e-7 and 1e15) and just outside them.

The expected strings are CPython's, not this project's: run with the system
python3 and commit the output (repr is the shortest round-tripping string in
every CPython 3).
Usage: gen_float_repr_cases.py VECTOR_DIR"""
import json, math, platform, random, sys

rng = random.Random(20261121)
xs = []

def add(x):
    if math.isfinite(x):
        xs.append(x)
        xs.append(-x)

# values rounded as the consensus rounds them, across magnitudes
for _ in range(300):
    m = rng.random() * 10 ** rng.randint(-8, 16)
    add(round(m, 4))
    add(round(m, 2))
# decimals of 1..17 significant digits
for _ in range(500):
    nd = rng.randint(1, 17)
    digits = "".join(rng.choice("0123456789") for _ in range(nd)).lstrip("0") or "7"
    add(float(digits + "e" + str(rng.randint(-24, 20))))
# powers of ten and their neighbours; the fast path's range ends
for k in range(-9, 18):
    p = float("1e%d" % k)
    add(p)
    for steps in (1, 2):
        a = b = p
        for _ in range(steps):
            a = math.nextafter(a, math.inf)
            b = math.nextafter(b, 0.0)
        add(a)
        add(b)
# powers of two (asymmetric rounding intervals) and integers near 2^53
for e in range(-60, 60):
    add(math.ldexp(1.0, e))
for k in range(-3, 4):
    add(float(2 ** 53 + k))
# random doubles in the fast path's range
for _ in range(300):
    add(rng.uniform(1e-7, 1e15))
    add(rng.uniform(0.0, 100.0))

seen = set()
cases = []
for x in xs:
    h = x.hex()
    if h not in seen:
        seen.add(h)
        cases.append([h, repr(x)])

out = {"generator": "tests/python/gen_float_repr_cases.py",
       "python_version": platform.python_version(),
       "format": "[float.hex(x), repr(x)]",
       "cases": cases}
with open(sys.argv[1] + "/float_repr_cases.json", "w") as f:
    head = json.dumps({k: v for k, v in out.items() if k != "cases"})[:-1]
    f.write(head + ', "cases": [\n')
    f.write(",\n".join(json.dumps(c) for c in cases))
    f.write("\n]}\n")
