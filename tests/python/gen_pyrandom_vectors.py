#!/usr/bin/env python3
"""Writes vectors/subnet46/pyrandom.json: outputs of CPython's own `random` module
(random.Random, MT19937) for the C port canonical/lpc_pyrandom (spec
subnet46-zipcode.md §6.4 tier 3, §6.7).  Every expected value is what this interpreter
returns; run with CPython 3.11.

  python3 tests/python/gen_pyrandom_vectors.py [OUT]
"""
import hashlib
import json
import math
import os
import random
import struct
import sys

if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
    sys.exit("needs CPython 3.11, got %s %s" % (sys.implementation.name, sys.version))

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "vectors", "subnet46", "pyrandom.json")


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def spot_seed(nonce, hotkey, ts, n):
    # §6.4 tier 3: seed = int(sha256("{nonce}:{hotkey}:{submission_timestamp}:{n}").hex[:8], 16)
    s = "%s:%s:%s:%s" % (nonce, hotkey, ts, n)
    return s, int(hashlib.sha256(s.encode()).hexdigest()[:8], 16)


def setsize(k):
    # Lib/random.py 3.11, sample()
    size = 21
    if k > 5:
        size += 4 ** math.ceil(math.log(k * 3, 4))
    return size


gen = random.Random(20260301)  # only picks the "random" seeds and op parameters
spot = [spot_seed("n0nce-%d" % i, "5F%040x" % gen.getrandbits(160),
                  "2025-10-2%dT1%d:00:00.%06d+00:00" % (i % 9, i % 10, gen.randrange(10**6)), 10 + i)
        for i in range(6)]
seeds = [0, 1, 2, 42, 12345, 2**31 - 1, 2**31, 2**32 - 1] + [s for _, s in spot]
seeds += [gen.getrandbits(32) for _ in range(12)]
seeds += [2**32, 2**32 + 1, 2**63 - 1, 2**64 - 1, gen.getrandbits(64)]  # two-word keys

KS = [1, 2, 3, 5, 7, 8, 16, 31, 32, 33, 40, 53, 63, 64]
NS = [1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 17, 31, 32, 33, 100, 1000, 1024, 1025, 10**6,
      2**32 - 1, 2**32, 2**32 + 1, 2**53 + 1, 2**62 + 1, 2**63 - 1]

streams = []
for s in seeds:
    r = random.Random(s)
    ops = [{"op": "genrand32", "out": r.getrandbits(32)} for _ in range(8)]
    for _ in range(40):
        kind = gen.choice(["genrand32", "getrandbits", "randbelow", "random", "uniform", "sample"])
        if kind == "genrand32":
            ops.append({"op": kind, "out": r.getrandbits(32)})
        elif kind == "getrandbits":
            k = gen.choice(KS)
            ops.append({"op": kind, "k": k, "out": r.getrandbits(k)})
        elif kind == "randbelow":
            n = gen.choice(NS)
            ops.append({"op": kind, "n": n, "out": r._randbelow(n)})
        elif kind == "random":
            x = r.random()
            ops.append({"op": kind, "out": x, "bits": bits(x)})
        elif kind == "uniform":
            a, b = gen.choice([(0.0, 1.0), (0.0, 1234567.0), (-5.5, 2.25), (10.0, -3.0), (1e-300, 1e300)])
            x = r.uniform(a, b)
            ops.append({"op": kind, "a": a, "b": b, "out": x, "bits": bits(x)})
        else:
            n = gen.choice([1, 5, 21, 22, 30, 85, 86, 1000, 10**6])
            k = gen.choice([k for k in (0, 1, 2, 5, 6, 10) if k <= n])
            ops.append({"op": kind, "n": n, "k": k, "out": r.sample(range(n), k)})
    ops.append({"op": "genrand32", "out": r.getrandbits(32)})
    streams.append({"seed": s, "ops": ops})

# Every getrandbits width and randbelow of powers of two and 2^b + 1 from one seed each.
widths = []
for s in (0, 42, 2**32 - 1):
    r = random.Random(s)
    widths.append({"seed": s, "getrandbits": [[k, r.getrandbits(k)] for k in range(0, 65)],
                   "randbelow": [[n, r._randbelow(n)] for b in range(0, 63)
                                 for n in sorted({2**b, 2**b + 1, 2**(b + 1) - 1})]})

SK = [0, 1, 2, 3, 5, 6, 10, 20, 50]
samples = []
for k in SK:
    ss = setsize(k)
    ns = set(range(1, 31)) | {100, 1000, 10**6, ss - 1, ss, ss + 1, 2**32 + 7}
    for n in sorted(ns):
        if n < 0:
            continue
        for s in (seeds[0], seeds[3], seeds[8], seeds[20]):
            r = random.Random(s)
            try:
                out = r.sample(range(n), k)
                err = None
            except ValueError as e:
                out, err = None, str(e)
            after = r.getrandbits(32)
            samples.append({"seed": s, "n": n, "k": k, "setsize": ss, "method": "pool" if n <= ss else "set",
                            "out": out, "error": err, "next_genrand32": after})

# The global module functions on one seed, as §6.4 calls them.
random.seed(spot[0][1])
glob = {"seed_string": spot[0][0], "seed": spot[0][1], "n": 30, "k": 3,
        "sorted_sample": sorted(random.sample(range(30), 3))}

setsizes = [[k, setsize(k)] for k in range(0, 257)]

doc = {
    "generator": "tests/python/gen_pyrandom_vectors.py",
    "python": "%s %s" % (sys.implementation.name, sys.version.split()[0]),
    "note": "every value is CPython's: random.Random(seed) methods getrandbits, _randbelow, random, uniform, sample",
    "spot_check_seeds": [{"seed_string": a, "seed": b} for a, b in spot],
    "streams": streams,
    "widths": widths,
    "samples": samples,
    "global_spot_check": glob,
    "setsizes": setsizes,
}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1, sort_keys=False)
    f.write("\n")
print("wrote %s: %d streams, %d samples" % (OUT, len(streams), len(samples)))
