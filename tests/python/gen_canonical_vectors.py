#!/usr/bin/env python3
"""Regenerates vectors/canonical/*.json from CPython's own json module and float().

The expected outcomes in those files are CPython's verdicts, not this project's:
run with the system python3 (Debian 12: CPython 3.11.2) and commit the output."""
import json, sys, platform

def loads_case(raw: bytes):
    row = {"input_hex": raw.hex(), "input_repr": repr(raw)[:80]}
    try:
        v = json.loads(raw)
        row["compact_sorted_ascii"] = json.dumps(v, sort_keys=True, separators=(",", ":"))
    except Exception as e:  # the verdict is that Python refuses it
        row["compact_sorted_ascii"] = None
        row["python_error"] = type(e).__name__ + ": " + str(e)[:120]
    return row

PARSE = [
    # accepted edge cases
    b' {"a" : [1 , 2] } ', b'\xef\xbb\xbf{"bom":1}', b'"\\u00e9\\/"', b'-0', b'-0.0', b'1E+2', b'1e-2',
    b'0.5e1', b'"\\ud83d\\ude00"', b'"\\ud83d\\u0041"', b'"\\udc00\\ud800"', b'"\xed\xa0\x80"',
    b'"\xf0\x9f\x98\x80"', b'"\x7f"', b'[NaN,-Infinity]', b'123456789012345678901234567890',
    b'{"a":1,"a":{"b":2},"c":3,"a":[4]}', b'[[[[]]]]', b'"\\u0000"', b'1e400', b'-1e-400', b'\t\n\r 7',
    b'{"":""}', b'"\\uABCD"',
    # refused
    b'', b' ', b'01', b'-', b'1.', b'.5', b'1e', b'1e+', b'+1', b'0x10', b'[1,]', b'{"a":1,}', b'[1 2]',
    b'{"a" 1}', b"{'a':1}", b'{1:2}', b'"abc', b'"\x01"', b'"\\x"', b'"\\u12"', b'"\\u12g4"', b'"\\ud800\\u12g4"',
    b'nul', b'tru', b'True', b'None', b'nan', b'-NaN', b'+Infinity', b'infinity', b'[1]x', b'{} {}',
    b'"\xff"', b'"\xc0\x80"', b'"\xe0\x80\x80"', b'"\xf4\x90\x80\x80"', b'"\xed\xa0"', b'\x00', b']', b'[',
    b'{"a":[}', b'"\\', b'1 2', b'[-]', b'-a', b'\xef\xbb\xbf', b'\xef\xbb\xbf\xef\xbb\xbf1',
]

FLOATS = ["0.75", " 123.456 ", "10", "1_000.5", "-1e-3", "1.", ".5", "+2E2", "inf", "-Infinity",
          "\t0.1\n", "1e400", "-0", "123.456", "12345.678901", "0.000123", "9007199254740993",
          "", " ", "1__0", "_1", "1_", "0x10", "1e", "e5", ".", "1.2.3", "infx", "nan(1)",
          "1 2", "--1", "1e_5", "1._5", "1_.5"]

def float_case(s):
    try:
        return {"text": s, "float_hex": float(s).hex()}
    except ValueError as e:
        return {"text": s, "float_hex": None, "python_error": str(e)}

out = {"generator": "tests/python/gen_canonical_vectors.py",
       "python_version": platform.python_version(),
       "cases": [loads_case(r) for r in PARSE]}
json.dump(out, open(sys.argv[1] + "/json_parse_cases.json", "w"), indent=1)
fl = {"generator": "tests/python/gen_canonical_vectors.py", "python_version": platform.python_version(),
      "cases": [float_case(s) for s in FLOATS]}
json.dump(fl, open(sys.argv[1] + "/py_float_cases.json", "w"), indent=1)
