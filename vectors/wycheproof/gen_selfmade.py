#!/usr/bin/env python3
"""Independent ECDSA P-384 / SHA-384 cases for tests/test_wycheproof.c.

Writes, in Wycheproof's schemas (so one runner reads them and upstream files):
  selfmade_ecdsa_p384_sha384_p1363.json   raw r||s (the COSE ES384 form)
  selfmade_ecdsa_p384_sha384_der.json     DER ECDSA-Sig-Value (the X.509 form)

Deterministic: fixed private keys and nonces (k*G is taken from python3-cryptography
by deriving the private key k), so a rerun writes identical files.

Each test's "oracle" says where its expected verdict comes from:
  "python3-cryptography"  ec.EllipticCurvePublicKey.verify (Debian python3-cryptography)
                          decided it; the generator asserts it agrees with the definition.
  "definition: ..."       cryptography cannot express the input (a raw signature that is
                          not 96 bytes, BER or padded DER that its DER decoder would
                          silently normalise, a public key it refuses to load); the
                          verdict follows from the cited rule.

Usage: python3 vectors/wycheproof/gen_selfmade.py [OUTDIR]   (default: this folder)
"""
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CURVE = ec.SECP384R1()
# SEC 2 v2 §2.5.1 (secp384r1)
P = 2**384 - 2**128 - 2**96 + 2**32 - 1
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973
SPKI_PREFIX = bytes.fromhex("3076301006072a8648ce3d020106052b81040022036200")
SPKI_INFINITY = bytes.fromhex("3016301006072a8648ce3d020106052b81040022030200" "00")


def h384(m):
    return int.from_bytes(hashlib.sha384(m).digest(), "big")


def kG_x(k):
    return ec.derive_private_key(k, CURVE).public_key().public_numbers().x


def sign(d, m, k):
    """Textbook ECDSA (SEC 1 §4.1.3) with a fixed nonce k."""
    r = kG_x(k) % N
    s = pow(k, -1, N) * (h384(m) + r * d) % N
    assert r and s
    return r, s


def nonce(tag, pred=lambda r, s: True, d=None, m=b""):
    """First deterministic nonce for which pred(r, s) holds."""
    for i in range(100000):
        k = int.from_bytes(hashlib.sha384(b"leadpoet-verify selfmade %s %d" % (tag, i)).digest(), "big") % N
        if k == 0:
            continue
        r, s = sign(d, m, k)
        if pred(r, s):
            return r, s
    raise SystemExit("no nonce found for " + tag.decode())


def crypto_verdict(pub, r, s, m):
    """cryptography's verdict for integers r, s (None when it cannot express them)."""
    if r < 0 or s < 0 or r >= 2**400 or s >= 2**400:
        return None
    try:
        pub.verify(encode_dss_signature(r, s), m, ec.ECDSA(hashes.SHA384()))
        return True
    except InvalidSignature:
        return False


def definition(r, s, pub, m):
    """SEC 1 §4.1.4 verification with the curve arithmetic done by cryptography:
    only the range checks are decided here (r, s in [1, n-1]); in-range values
    are handed back to cryptography."""
    if not (1 <= r < N and 1 <= s < N):
        return False
    return crypto_verdict(pub, r, s, m)


def der_int(v, pad=0):
    b = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    b = b"\x00" * pad + b
    return b"\x02" + der_len(len(b)) + b


def der_len(n, longform=False):
    if n < 128 and not longform:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
    return bytes([0x80 | len(b)]) + b


def der_sig(r, s):
    body = der_int(r) + der_int(s)
    return b"\x30" + der_len(len(body)) + body


def raw_sig(r, s, width=48):
    return r.to_bytes(width, "big") + s.to_bytes(width, "big")


class Group:
    def __init__(self, spki, comment):
        self.spki = spki
        self.comment = comment
        self.tests = []
        self.curve = "secp384r1"

    def add(self, comment, msg, sig, valid, oracle, flags):
        self.tests.append({"comment": comment, "msg": msg.hex(), "sig": sig.hex(),
                           "result": "valid" if valid else "invalid", "oracle": oracle, "flags": flags})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    d = int.from_bytes(hashlib.sha384(b"leadpoet-verify selfmade key 1").digest(), "big") % N
    d2 = int.from_bytes(hashlib.sha384(b"leadpoet-verify selfmade key 2").digest(), "big") % N
    priv = ec.derive_private_key(d, CURVE)
    pub = priv.public_key()
    pub2 = ec.derive_private_key(d2, CURVE).public_key()
    spki = pub.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    spki2 = pub2.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    x, y = pub.public_numbers().x, pub.public_numbers().y
    assert spki == SPKI_PREFIX + b"\x04" + x.to_bytes(48, "big") + y.to_bytes(48, "big")

    m = b"leadpoet attestation"
    msgs = [b"", b"a", m, bytes(range(256)) * 64]
    r0, s0 = sign(d, m, 12345678901234567890)
    CRY = "python3-cryptography"

    def cases(kind):
        g = Group(spki, "key 1 (valid P-384 key)")
        enc = (lambda r, s: raw_sig(r, s)) if kind == "raw" else der_sig

        def ints(comment, r, s, msg=m, flags=("Edge",), key=pub):
            v = crypto_verdict(key, r, s, msg)
            want = definition(r, s, key, msg)
            assert v is None or v == want, (comment, v, want)
            oracle = CRY if v is not None else "definition: SEC 1 4.1.4 step 1, r and s in [1, n-1]"
            if kind == "raw" and max(r, s) >= 2**384:
                return  # not expressible in 48 bytes
            g.add(comment, msg, enc(r, s), want, oracle, list(flags))

        for i, msg in enumerate(msgs):
            r, s = sign(d, msg, 1000 + i)
            ints("valid signature, message of %d bytes" % len(msg), r, s, msg, ("Valid",))
        ints("valid signature, high s (s > n/2; AWS does not normalise, spec 1.5)",
             *nonce(b"highs", lambda r, s: s > N // 2, d, m), flags=("Valid", "HighS"))
        ints("valid signature, low s", *nonce(b"lows", lambda r, s: s < N // 2, d, m), flags=("Valid",))
        ints("valid signature, s negated (n - s): ECDSA malleability", r0, N - s0, flags=("Valid", "Malleability"))
        ints("valid signature, r with a leading zero byte", *nonce(b"r0", lambda r, s: r < 2**376, d, m),
             flags=("Valid", "SmallR"))
        ints("valid signature, s with a leading zero byte", *nonce(b"s0", lambda r, s: s < 2**376, d, m),
             flags=("Valid", "SmallS"))
        ints("r = 0", 0, s0, flags=("InvalidSignature",))
        ints("s = 0", r0, 0, flags=("InvalidSignature",))
        ints("r = s = 0 (CVE-2022-21449)", 0, 0, flags=("InvalidSignature",))
        ints("r = n", N, s0, flags=("RangeCheck",))
        ints("s = n", r0, N, flags=("RangeCheck",))
        ints("r = n, s = n", N, N, flags=("RangeCheck",))
        ints("r = r + n (> n, same value mod n)", r0 + N, s0, flags=("RangeCheck", "IntegerOverflow"))
        ints("s = s + n (> n, same value mod n)", r0, s0 + N, flags=("RangeCheck", "IntegerOverflow"))
        ints("r = p (field prime, > n)", P, s0, flags=("RangeCheck",))
        ints("r = 2^384 - 1", 2**384 - 1, s0, flags=("RangeCheck",))
        ints("s = 2^384 - 1", r0, 2**384 - 1, flags=("RangeCheck",))
        ints("r = 1, s = 1", 1, 1, flags=("Edge",))
        ints("r = n - 1, s = n - 1", N - 1, N - 1, flags=("Edge",))
        ints("r and s swapped", s0, r0, flags=("Modified",))
        ints("r + 1", r0 + 1, s0, flags=("Modified",))
        ints("s - 1", r0, s0 - 1, flags=("Modified",))
        ints("wrong message: one bit flipped", r0, s0, bytes([m[0] ^ 1]) + m[1:], ("WrongMessage",))
        ints("wrong message: one byte appended", r0, s0, m + b"\x00", ("WrongMessage",))
        ints("wrong message: empty", r0, s0, b"", ("WrongMessage",))
        ints("signature is over the message's SHA-384, not the message", *sign(d, hashlib.sha384(m).digest(), 7),
             flags=("WrongMessage",))
        r3, s3 = sign(d2, m, 99)
        ints("signature made by another key", r3, s3, flags=("WrongKey",))

        if kind == "raw":
            good = raw_sig(r0, s0)
            dfn = "definition: COSE ES384 signature is r||s of exactly 2 x 48 bytes (RFC 9053 2.1, spec 1.2 C6)"
            g.add("95 bytes: last byte dropped", m, good[:95], False, dfn, ["WrongLength"])
            g.add("97 bytes: zero byte appended", m, good + b"\x00", False, dfn, ["WrongLength"])
            g.add("97 bytes: zero byte prepended", m, b"\x00" + good, False, dfn, ["WrongLength"])
            g.add("empty signature", m, b"", False, dfn, ["WrongLength"])
            g.add("96 zero bytes", m, bytes(96), False, "definition: SEC 1 4.1.4 step 1 (r = s = 0)", ["InvalidSignature"])
            g.add("DER form where raw is expected", m, der_sig(r0, s0), False, dfn, ["WrongLength", "WrongEncoding"])
            rr, ss = nonce(b"r0", lambda r, s: r < 2**376, d, m)
            g.add("r with leading zero stripped and s shifted left (94+1 bytes)", m,
                  rr.to_bytes(47, "big") + ss.to_bytes(48, "big"), False, dfn, ["WrongLength"])
            g.add("r and s as 49-byte fields", m, raw_sig(r0, s0, 49), False, dfn, ["WrongLength"])
        else:
            dfn = "definition: ECDSA-Sig-Value must be DER (RFC 3279 2.2.3, X.690 10)"
            body = der_int(r0) + der_int(s0)
            g.add("BER: long-form SEQUENCE length", m, b"\x30" + der_len(len(body), True) + body, False, dfn, ["BER"])
            g.add("BER: indefinite-length SEQUENCE", m, b"\x30\x80" + body + b"\x00\x00", False, dfn, ["BER"])
            ri = der_int(r0)
            g.add("BER: long-form INTEGER length", m,
                  b"\x30" + der_len(len(ri) + 1 + len(der_int(s0))) + b"\x02" + der_len(len(ri) - 2, True) + ri[2:] + der_int(s0),
                  False, dfn, ["BER"])
            padded = der_int(r0, pad=1) + der_int(s0)
            g.add("non-minimal INTEGER: r padded with a zero byte", m, b"\x30" + der_len(len(padded)) + padded, False, dfn,
                  ["NonMinimal"])
            padded = der_int(r0) + der_int(s0, pad=1)
            g.add("non-minimal INTEGER: s padded with a zero byte", m, b"\x30" + der_len(len(padded)) + padded, False, dfn,
                  ["NonMinimal"])
            good = der_sig(r0, s0)
            g.add("trailing garbage byte after the SEQUENCE", m, good + b"\x00", False, dfn, ["TrailingGarbage"])
            g.add("trailing SEQUENCE after the SEQUENCE", m, good + b"\x30\x00", False, dfn, ["TrailingGarbage"])
            g.add("truncated by one byte", m, good[:-1], False, dfn, ["Truncated"])
            g.add("empty signature", m, b"", False, dfn, ["Truncated"])
            g.add("SEQUENCE with only r", m, b"\x30" + der_len(len(der_int(r0))) + der_int(r0), False, dfn, ["Structure"])
            third = der_int(r0) + der_int(s0) + der_int(1)
            g.add("SEQUENCE with a third INTEGER", m, b"\x30" + der_len(len(third)) + third, False, dfn, ["Structure"])
            g.add("SET instead of SEQUENCE", m, b"\x31" + good[1:], False, dfn, ["Structure"])
            g.add("raw r||s where DER is expected", m, raw_sig(r0, s0), False, dfn, ["WrongEncoding"])
            # r with the top bit set encoded without the 00 pad: a negative INTEGER
            rn, sn = nonce(b"rtop", lambda r, s: r >> 383 == 1, d, m)
            rb = rn.to_bytes(48, "big")
            neg = b"\x02\x30" + rb + der_int(sn)
            g.add("negative r (top bit set, no 00 pad)", m, b"\x30" + der_len(len(neg)) + neg, False,
                  "definition: SEC 1 4.1.4 step 1 (r is negative, outside [1, n-1])", ["Negative"])
            assert crypto_verdict(pub, rn, sn, m) is True  # the padded form is valid
            g.add("the same r correctly padded", m, der_sig(rn, sn), True, CRY, ["Valid"])

        groups = [g]
        # Public keys that are not points of the group (SEC 1 3.2.2.1): nothing verifies.
        kdef = "definition: SEC 1 3.2.2.1 public key validation (the key is not a point of P-384)"
        for comment, key in [
            ("public key off the curve (y + 1)", SPKI_PREFIX + b"\x04" + x.to_bytes(48, "big") + ((y + 1) % P).to_bytes(48, "big")),
            ("public key is the point at infinity (00)", SPKI_INFINITY),
            ("public key x = p (not a field element)", SPKI_PREFIX + b"\x04" + P.to_bytes(48, "big") + y.to_bytes(48, "big")),
            ("public key (0, 0)", SPKI_PREFIX + b"\x04" + bytes(96)),
        ]:
            try:
                ec.EllipticCurvePublicKey.from_encoded_point(CURVE, key[len(SPKI_PREFIX):] if key.startswith(SPKI_PREFIX) else b"\x00")
                raise SystemExit("cryptography accepted " + comment)
            except ValueError:
                pass
            bg = Group(key, comment)
            bg.add(comment + ": a signature valid under the real key", m, enc(r0, s0), False, kdef, ["InvalidPublicKey"])
            bg.add(comment + ": r = s = 0", m, enc(0, 0) if kind == "der" else bytes(96), False, kdef, ["InvalidPublicKey"])
            groups.append(bg)
        # A valid P-256 key: ES384 requires P-384 (RFC 9053 2.1, spec 1.4 step 5).
        p256 = ec.derive_private_key(d % (2**255), ec.SECP256R1()).public_key()
        bg = Group(p256.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo), "P-256 key")
        bg.curve = "secp256r1"
        bg.add("P-256 key: ES384 requires a P-384 key", m, enc(r0, s0), False,
               "definition: ES384 is ECDSA on P-384 (RFC 9053 2.1)", ["WrongCurve"])
        groups.append(bg)
        # Same signatures under the second key: every one invalid (cryptography decides).
        wg = Group(spki2, "key 2")
        v = crypto_verdict(pub2, r0, s0, m)
        assert v is False
        wg.add("key 2: signature made with key 1", m, enc(r0, s0), False, CRY, ["WrongKey"])
        ok2 = sign(d2, m, 4242)
        assert crypto_verdict(pub2, *ok2, m) is True
        wg.add("key 2: its own valid signature", m, enc(*ok2), True, CRY, ["Valid"])
        groups.append(wg)
        return groups

    for kind, name, schema in [("raw", "selfmade_ecdsa_p384_sha384_p1363.json", "ecdsa_p1363_verify_schema_v1.json"),
                               ("der", "selfmade_ecdsa_p384_sha384_der.json", "ecdsa_verify_schema_v1.json")]:
        groups = cases(kind)
        tc = 0
        jg = []
        for g in groups:
            for t in g.tests:
                tc += 1
                t["tcId"] = tc
            jg.append({"type": "EcdsaP1363Verify" if kind == "raw" else "EcdsaVerify",
                       "comment": g.comment,
                       "publicKey": {"type": "EcPublicKey", "curve": g.curve},
                       "publicKeyDer": g.spki.hex(), "sha": "SHA-384",
                       "tests": [{k: t[k] for k in ("tcId", "comment", "flags", "msg", "sig", "result", "oracle")}
                                 for t in g.tests]})
        doc = {"algorithm": "ECDSA", "schema": schema, "numberOfTests": tc,
               "header": ["leadpoet-verify's own ECDSA P-384/SHA-384 cases (vectors/wycheproof/gen_selfmade.py);",
                          "expected verdicts from python3-cryptography or the cited definition (field 'oracle')."],
               "testGroups": jg}
        with open(os.path.join(out, name), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")
        nv = sum(t["result"] == "valid" for g in groups for t in g.tests)
        print("%s: %d tests (%d valid, %d invalid)" % (name, tc, nv, tc - nv))


if __name__ == "__main__":
    main()
