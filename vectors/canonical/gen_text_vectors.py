#!/usr/bin/env python3
"""Vectors for canonical/lpc_utf8.h and canonical/lpc_time.h from CPython's own
decoders and datetime, written beside this script:

  utf8_cases.json            bytes.decode("utf-8") strict and "surrogatepass"
  rfc3339_parse_cases.json   datetime.fromisoformat, for the texts RFC 3339 §5.6 admits
  rfc3339_format_cases.json  datetime.fromtimestamp(t, utc) printed as YYYY-MM-DDThh:mm:ssZ

Run: python3 vectors/canonical/gen_text_vectors.py (fixed seed; deterministic).
Each file holds one array, "cases"; negative cases have "valid": false or
"accept": false.  Where CPython cannot answer (leap seconds, year 0) the case says
so in "source" and how the value was derived in "note"."""
import json, os, random, re, sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261202)
PY = "%d.%d.%d" % sys.version_info[:3]


def write(name, cases, fmt):
    head = {"generator": "vectors/canonical/gen_text_vectors.py", "python_version": PY, "format": fmt}
    with open(os.path.join(HERE, name), "w", encoding="ascii") as f:
        f.write(json.dumps(head)[:-1] + ', "cases": [\n')  # one case a line
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")


# ---------------------------------------------------------------- UTF-8

def decode(b, errors):
    """(True, code points) or (False, offset of the first byte that starts no valid sequence)."""
    try:
        return True, [ord(c) for c in b.decode("utf-8", errors)]
    except UnicodeDecodeError as e:
        return False, e.start


def utf8_case(b, why):
    c = {"hex": b.hex(), "why": why}
    for key, errors in (("strict", "strict"), ("surrogatepass", "surrogatepass")):
        ok, r = decode(b, errors)
        c[key] = {"valid": True, "code_points": r} if ok else {"valid": False, "bad": r}
    return c


def enc(cp):
    return chr(cp).encode("utf-8", "surrogatepass")


utf8 = []
for b in range(256):
    utf8.append(utf8_case(bytes([b]), "single byte"))
LEADS = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
         0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF]
SECOND = [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0]
LATER = [0x80, 0xBF, 0x41]
for a in LEADS:
    for s in SECOND:
        utf8.append(utf8_case(bytes([a, s]), "lead and second byte"))
        for t in LATER:
            utf8.append(utf8_case(bytes([a, s, t]), "lead, second, third byte"))
            for u in LATER:
                utf8.append(utf8_case(bytes([a, s, t, u]), "lead and three bytes"))
for cp in (0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xCFFF, 0xD000, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF,
           0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF):
    utf8.append(utf8_case(enc(cp), "boundary code point U+%04X" % cp))
    utf8.append(utf8_case(b"a" + enc(cp) + b"z", "boundary code point U+%04X inside text" % cp))
    e = enc(cp)
    if len(e) > 1:
        utf8.append(utf8_case(b"ab" + e[:-1], "U+%04X cut short" % cp))
for b, why in ((b"\xc0\x80", "overlong U+0000"), (b"\xc1\xbf", "overlong U+007F"), (b"\xe0\x80\x80", "overlong U+0000"),
               (b"\xe0\x9f\xbf", "overlong U+07FF"), (b"\xf0\x80\x80\x80", "overlong U+0000"),
               (b"\xf0\x8f\xbf\xbf", "overlong U+FFFF"), (b"\xf4\x90\x80\x80", "U+110000"),
               (b"\xf7\xbf\xbf\xbf", "U+1FFFFF"), (b"\xf8\x88\x80\x80\x80", "five-byte form"),
               (b"\xed\xa0\x80\xed\xb0\x80", "surrogate pair as two sequences (CESU-8)"),
               (b"\xed\xb0\x80\xed\xa0\x80", "low then high surrogate"), (b"", "empty"),
               (b"\xef\xbb\xbf", "BOM"), (b"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "mixed text")):
    utf8.append(utf8_case(b, why))
POOL = [0x24, 0x7F, 0xE9, 0x20AC, 0xD800, 0xDFFF, 0xFFFD, 0x1F600, 0x10FFFF]
for i in range(400):
    if i % 2 == 0:  # valid text, surrogates included (valid only with surrogatepass)
        s = b"".join(enc(rng.choice(POOL) if rng.random() < 0.7 else rng.randrange(0x110000)) for _ in range(rng.randrange(1, 12)))
        utf8.append(utf8_case(s, "random code points"))
    else:  # random bytes biased towards lead and continuation bytes
        s = bytes(rng.choice([rng.randrange(256), rng.randrange(0x80, 0xC0), rng.randrange(0xC0, 0xF8), 0x41])
                  for _ in range(rng.randrange(1, 12)))
        utf8.append(utf8_case(s, "random bytes"))
write("utf8_cases.json", utf8,
      "hex: input bytes; strict = bytes.decode('utf-8'), surrogatepass = bytes.decode('utf-8', 'surrogatepass'): "
      "valid with code_points, or not valid with bad = UnicodeDecodeError.start")

# ---------------------------------------------------------------- RFC 3339

# RFC 3339 §5.6 (ASCII digits; "T" and "Z" in either case per its NOTE), the zone optional
# only under LPC_TIME_ZONE_OPTIONAL; lpc_time.h admits second 60 on any minute.
RFC3339 = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                     r"([Zz]|[+-][0-9]{2}:[0-9]{2})?\Z")
TEXT_MAX = 64  # LPC_TIME_TEXT_MAX
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
US = timedelta(microseconds=1)


def py_us(text):
    """CPython's instant of an RFC 3339 text: microseconds since the epoch, or None."""
    m = RFC3339.match(text)
    t = text[:10] + "T" + text[11:]
    if m.group(8) in ("z", "Z"):
        t = t[:-1] + "Z"
    leap = m.group(6) == "60"
    if leap:
        t = t[:17] + "59" + t[19:]
    frac = m.group(7) or ""
    if len(frac) > 7:  # fromisoformat truncates past 6 digits; keep the text short for it
        t = t.replace(frac, frac[:7], 1)
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    us = (dt - EPOCH) // US
    assert abs(dt.timestamp() - us / 1e6) < 1e-3  # datetime.timestamp agrees
    return us + (1000000 if leap else 0)


parse = []


def time_case(text, note=""):
    for flags in (0, 1):
        c = {"text": text, "flags": flags}
        m = RFC3339.match(text)
        if len(text.encode("utf-8")) > TEXT_MAX:
            c.update(accept=False, why="longer than LPC_TIME_TEXT_MAX (64)")
        elif not m:
            try:
                datetime.fromisoformat(text)
                pyok = True
            except ValueError:
                pyok = False
            c.update(accept=False, why="not RFC 3339 5.6 date-time" + (" (fromisoformat accepts it)" if pyok else ""))
        elif m.group(8) is None and flags == 0:
            c.update(accept=False, why="no zone without LPC_TIME_ZONE_OPTIONAL")
        else:
            us = py_us(text)
            if us is None:
                c.update(accept=False, why="no such date or time (fromisoformat refuses it)")
            else:
                c.update(accept=True, us=us, source="python" if m.group(6) != "60" else "python+1s")
                if m.group(6) == "60":
                    c["note"] = "leap second: fromisoformat refuses 60, lpc_time counts it as the next second's start"
        if note:
            c["note"] = (c.get("note", "") + "; " + note).lstrip("; ")
        parse.append(c)


for t in ("1970-01-01T00:00:00Z", "2025-11-20T10:15:30Z", "2025-11-20T10:15:30.5Z", "2025-11-20T10:15:30.123456Z",
          "2025-11-20T10:15:30.1234567Z", "2025-11-20T10:15:30.9999999Z", "2025-11-20T10:15:30." + "9" * 30 + "Z",
          "2025-11-20T10:15:30.000001Z", "2025-11-20T10:15:30.0Z", "2025-11-20t10:15:30z", "2025-11-20t10:15:30Z",
          "2025-11-20T10:15:30z", "2025-11-20T10:15:30+00:00", "2025-11-20T10:15:30-00:00", "2025-11-20T10:15:30+05:30",
          "2025-11-20T10:15:30-08:00", "2025-11-20T00:00:00+23:59", "2025-11-20T23:59:59-23:59",
          "2025-11-20T10:15:30", "2025-11-20T10:15:30.25", "2025-11-20T10:15:30.123456789",
          "2000-02-29T12:00:00Z", "2024-02-29T00:00:00Z", "1900-02-28T23:59:59Z", "1900-02-29T00:00:00Z",
          "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2400-02-29T00:00:00Z", "1600-02-29T00:00:00Z",
          "2025-04-30T00:00:00Z", "2025-04-31T00:00:00Z", "2025-06-31T00:00:00Z", "2025-12-31T23:59:59Z",
          "2025-01-00T00:00:00Z", "2025-00-01T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-32T00:00:00Z",
          "2025-01-01T24:00:00Z", "2025-01-01T23:60:00Z", "2025-01-01T23:59:61Z", "2025-01-01T00:00:99Z",
          "2016-12-31T23:59:60Z", "2015-06-30T23:59:60Z", "2016-12-31T18:59:60-05:00", "2025-01-01T12:34:60Z",
          "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999Z",
          "9999-12-31T23:59:59-23:59", "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59Z", "1583-10-15T00:00:00Z",
          "2025-11-20T10:15:30+24:00", "2025-11-20T10:15:30+23:60", "2025-11-20T10:15:30+0530", "2025-11-20T10:15:30+05",
          "2025-11-20T10:15:30+5:30", "2025-11-20T10:15:30Z+00:00", "2025-11-20T10:15:30.Z", "2025-11-20T10:15:30,5Z",
          "2025-11-20T10:15:30.5.5Z", "2025-11-20 10:15:30Z", "2025-11-20_10:15:30Z", "2025-11-20T10:15Z",
          "2025-11-20T10:15", "2025-11-20", "2025-11-20T", "20251120T101530Z", "25-11-20T10:15:30Z",
          "02025-11-20T10:15:30Z", "+2025-11-20T10:15:30Z", "-2025-11-20T10:15:30Z", " 2025-11-20T10:15:30Z",
          "2025-11-20T10:15:30Z ", "2025-11-20T10:15:30Zx", "2025-11-20T10:15:30Z\n", "2025-11-20T10:15:30\x00",
          "2025-1-20T10:15:30Z", "2025-11-2T10:15:30Z", "2025-11-20T1:15:30Z", "2025-11-20T10:1:30Z",
          "2025-11-20T10:15:3Z", "2025/11/20T10:15:30Z", "2025-11-20T10-15-30Z", "2025-11-20T10:15:30UTC",
          "2025-11-20T10:15:30GMT", "2025-11-20T10:15:30+", "2025-11-20T10:15:30+05:", "\uff12\uff10\uff12\uff15-11-20T10:15:30Z",
          "2025-W47-4T10:15:30Z", "2025-324T10:15:30Z", "2025-11-20T10:15:30.-1Z", "2025-11-20T10:15:30.+1Z"):
    time_case(t)
for n in (63, 64, 65, 80):
    frac = "1" * (n - 21)  # "YYYY-MM-DDThh:mm:ss." + frac + "Z"
    time_case("2025-11-20T10:15:30." + frac + "Z", "%d bytes" % n)
time_case("2025-11-20T10:15:30." + "1" * 43, "63 bytes, no zone")
time_case("2025-11-20T10:15:30." + "1" * 44, "64 bytes, no zone")
time_case("2025-11-20T10:15:30." + "1" * 45, "65 bytes, no zone")
for i in range(300):
    y = rng.choice([rng.randrange(1, 10000), rng.randrange(1960, 2100)])
    mo, d = rng.randrange(1, 13), rng.randrange(1, 32)
    hh, mm, ss = rng.randrange(24), rng.randrange(60), rng.randrange(61) if rng.random() < 0.05 else rng.randrange(60)
    t = "%04d-%02d-%02d%s%02d:%02d:%02d" % (y, mo, d, rng.choice("Tt"), hh, mm, ss)
    if rng.random() < 0.5:
        t += "." + "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 12)))
    z = rng.random()
    if z < 0.4:
        t += rng.choice("Zz")
    elif z < 0.9:
        t += "%s%02d:%02d" % (rng.choice("+-"), rng.randrange(24), rng.randrange(60))
    time_case(t)
# One-byte mutants of valid texts (mostly refused; a few land on another valid text).
VALID = [c["text"] for c in parse if c["accept"] and c["flags"] == 0 and len(c["text"]) < 40]
for i in range(400):
    t = list(rng.choice(VALID))
    k = rng.randrange(len(t))
    op = rng.randrange(3)
    ch = rng.choice("0123456789-:.+TZtz xW\x00\xe9")
    if op == 0:
        t[k] = ch
    elif op == 1:
        del t[k]
    else:
        t.insert(k, ch)
    time_case("".join(t), "one-byte mutant")
# Year 0000 (no datetime for it): the Gregorian calendar repeats every 400 years
# (146097 days), so the instant is that of year 0400 less 146097 days.
for t in ("0000-01-01T00:00:00Z", "0000-02-29T12:00:00Z", "0000-12-31T23:59:59Z"):
    for flags in (0, 1):
        us = py_us("0400" + t[4:]) - 146097 * 86400 * 1000000
        parse.append({"text": t, "flags": flags, "accept": True, "us": us, "source": "python-400y",
                      "note": "year 0: the instant of year 400 less 146097 days"})
write("rfc3339_parse_cases.json", parse,
      "text, flags (1 = LPC_TIME_ZONE_OPTIONAL): accept with us = microseconds since 1970-01-01T00:00:00Z "
      "(datetime.fromisoformat; a missing zone is UTC), or accept false with why")


# ---------------------------------------------------------------- format

def py_text(t):
    if not -62135596800 <= t <= 253402300799:  # datetime has years 1..9999
        return None
    d = EPOCH + timedelta(seconds=t)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (d.year, d.month, d.day, d.hour, d.minute, d.second)


fmt = []
LO, HI = -62167219200, 253402300799  # 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z
ts = [0, -1, 1, 86399, 86400, 951782400, 951868799, 1483228799, 1483228800, 1700000000, 2147483647, 2147483648,
      -2208988800, -62135596800, -62135596801, LO, LO + 1, LO - 1, HI, HI - 1, HI + 1, -2 ** 63, 2 ** 63 - 1,
      -12219292800, 4102444800, 253402214400]
ts += [rng.randrange(LO, HI + 1) for _ in range(300)] + [rng.randrange(-10 ** 9, 4 * 10 ** 9) for _ in range(100)]
ts += [rng.choice([rng.randrange(-2 ** 63, LO), rng.randrange(HI + 1, 2 ** 63), rng.randrange(LO - 10 ** 6, LO),
                   rng.randrange(HI + 1, HI + 10 ** 6)]) for _ in range(450)]
for t in ts:
    if LO <= t <= HI:
        text = py_text(t)
        if text is not None:
            fmt.append({"t": t, "ok": True, "text": text, "source": "python"})
        else:  # year 0: the text of t + 400 years with the year less 400
            y4 = py_text(t + 146097 * 86400)
            fmt.append({"t": t, "ok": True, "text": "%04d" % (int(y4[:4]) - 400) + y4[4:], "source": "python-400y"})
    else:
        fmt.append({"t": t, "ok": False, "text": str(t), "why": "outside years 0000..9999: the decimal seconds"})
write("rfc3339_format_cases.json", fmt,
      "t: Unix seconds; ok with text = YYYY-MM-DDThh:mm:ssZ of datetime.fromtimestamp(t, utc), "
      "or not ok (outside years 0..9999) with text = str(t)")
print("utf8 %d, parse %d, format %d cases" % (len(utf8), len(parse), len(fmt)))
