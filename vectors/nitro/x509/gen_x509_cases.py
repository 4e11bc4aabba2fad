#!/usr/bin/env python3
"""Certificate-path cases for the Nitro attestation chain, modelled on x509-limbo.

Each case re-creates one x509-limbo scenario (C2SP/x509-limbo, limbo/testcases/*.py;
ids as limbo prints them) inside a Nitro-shaped attestation document: a COSE_Sign1
(ES384) whose payload carries a 5-certificate chain shaped like AWS's (spec
nitro-attestation.md §3.2: root, regional CA pathLen 2, zonal CA pathLen 1, instance CA
pathLen 0, leaf CA:false with digitalSignature+nonRepudiation, no AKI/SKI), all P-384 and
ecdsa-with-SHA384 unless the case changes exactly that.  Each case gets its own test root,
given to the verifier with --root (lpa_opts.root_der); the chain is validated at an
explicit instant (--at SECONDS, LPA_AT_TIME).

Certificates are DER written here by hand (so a case can carry what certificate
libraries refuse to produce: duplicate extensions, v1 certificates, mismatched
signature algorithms, explicit curves); keys and signatures come from
python3-cryptography, explicit P-384 parameters from openssl(1).

Writes <id>[_fail].cose and index.json into the output folder (default: this one).
index.json gives per case the limbo id, what it tests, limbo's expected verdict,
the verifier's expected result code and where that expectation comes from.
Usage: python3 vectors/nitro/x509/gen_x509_cases.py [OUTDIR]
"""
import hashlib
import json
import os
import subprocess
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

T = 1764576000          # document second: 2025-12-01T08:00:00Z
TS_MS = T * 1000 + 123  # payload timestamp (ms)
DAY = 86400

# ---------------------------------------------------------------- DER


def tlv(tag, body):
    n = len(body)
    if n < 128:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def der_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, b)


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def boolean(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


def octets(b):
    return tlv(0x04, b)


def bits(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def utctime(t):
    import datetime
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    if 1950 <= d.year < 2050:
        return tlv(0x17, d.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, d.strftime("%Y%m%d%H%M%SZ").encode())


def name(cn):
    if cn is None:
        return seq()
    return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0C, cn.encode()))))


SIG_OIDS = {"sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3", "sha512": "1.2.840.10045.4.3.4"}
HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}


def alg(h):
    return seq(oid(SIG_OIDS[h]))


# ---------------------------------------------------------------- extensions

KU_BITS = {"digitalSignature": 0, "nonRepudiation": 1, "keyEncipherment": 2, "dataEncipherment": 3,
           "keyAgreement": 4, "keyCertSign": 5, "cRLSign": 6}


def ext(o, critical, value):
    return seq(oid(o), *([boolean(True)] if critical else []), octets(value))


def bc(ca, pathlen=None, critical=True):
    body = (boolean(True) if ca else b"") + (der_int(pathlen) if pathlen is not None else b"")
    return ext("2.5.29.19", critical, seq(body) if body else seq())


def ku(names, critical=True):
    v = 0
    for n in names:
        v |= 0x80 >> KU_BITS[n]  # bit 0 is the most significant bit of the first byte
    if v == 0:
        return ext("2.5.29.15", critical, bits(b""))
    unused = (v & -v).bit_length() - 1
    return ext("2.5.29.15", critical, bits(bytes([v]), unused))


def ski_value(pub_point):
    return hashlib.sha1(pub_point).digest()


def ski(pub_point, critical=False):
    return ext("2.5.29.14", critical, octets(ski_value(pub_point)))


def aki(issuer_point, critical=False):
    return ext("2.5.29.35", critical, seq(tlv(0x80, ski_value(issuer_point))))


def aia(critical=False):
    return ext("1.3.6.1.5.5.7.1.1", critical,
               seq(seq(oid("1.3.6.1.5.5.7.48.2"), tlv(0x86, b"http://ca.example.invalid/issuer.der"))))


def unknown_critical():
    return ext("1.3.6.1.4.1.55738.666.1", True, b"")


# ---------------------------------------------------------------- keys

def point(key):
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def spki_named(key):
    return key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def spki_explicit_p384(key):
    params = subprocess.run(["openssl", "ecparam", "-name", "secp384r1", "-param_enc", "explicit", "-outform", "DER"],
                            check=True, capture_output=True).stdout
    return seq(seq(oid("1.2.840.10045.2.1"), params), bits(point(key)))


def newkey(curve=None):
    return ec.generate_private_key(curve or ec.SECP384R1())


# ---------------------------------------------------------------- certificates

class Cert:
    """One certificate of the chain, described by fields a case may change."""

    def __init__(self, cn, key, nb, na, exts, serial):
        self.cn, self.key, self.nb, self.na, self.exts, self.serial = cn, key, nb, na, exts, serial
        self.version = 3
        self.tbs_hash = self.outer_hash = "sha384"
        self.explicit_curve = False
        self.issuer_cn_override = False
        self.issuer_cn = None
        self.der = None


def sign_cert(c, issuer_cn, signer_key, chain=None):
    spki = spki_explicit_p384(c.key) if c.explicit_curve else spki_named(c.key)
    body = b""
    if c.version == 3:
        body += tlv(0xA0, der_int(2))
    body += der_int(c.serial) + alg(c.tbs_hash) + name(issuer_cn) + seq(utctime(c.nb), utctime(c.na))
    body += name(c.cn) + spki
    if c.version == 3 and c.exts:
        body += tlv(0xA3, seq(*[e(chain) if callable(e) else e for e in c.exts]))
    tbs = seq(body)
    sig = signer_key.sign(tbs, ec.ECDSA(HASHES[c.outer_hash]))
    c.der = seq(tbs, alg(c.outer_hash), bits(sig))
    return c.der


def key_id(fn, who, critical=False):
    """AKI/SKI computed from the named certificate's key when the chain is signed
    (a case may replace that key first)."""
    return lambda ch: fn(point(ch.certs[who].key), critical)


class Chain:
    """root -> regional -> zonal -> instance -> leaf, AWS's 2024+ profile (§3.2)."""

    def __init__(self):
        self.keys = {n: newkey() for n in ("root", "regional", "zonal", "instance", "leaf")}
        k = self.keys
        self.module_id = "i-0123456789abcdef0-enc0123456789abcdef"
        ca_ku = ["digitalSignature", "keyCertSign", "cRLSign"]
        self.certs = {
            "root": Cert("test.nitro-enclaves", k["root"], T - 365 * DAY, T + 20 * 365 * DAY,
                         [bc(True), ku(ca_ku), key_id(ski, "root")], 1),
            "regional": Cert("0123456789abcdef.us-east-1.aws.nitro-enclaves", k["regional"], T - 10 * DAY, T + 10 * DAY,
                             [bc(True, 2), ku(ca_ku), key_id(aki, "root"), key_id(ski, "regional")], 2),
            "zonal": Cert("fedcba9876543210.zonal.us-east-1.aws.nitro-enclaves", k["zonal"], T - 2 * DAY, T + 3 * DAY,
                          [bc(True, 1), ku(ca_ku), key_id(aki, "regional"), key_id(ski, "zonal")], 3),
            "instance": Cert("i-0123456789abcdef0.us-east-1.aws.nitro-enclaves", k["instance"], T - DAY // 2, T + DAY // 2,
                             [bc(True, 0), ku(["keyCertSign"]), key_id(aki, "zonal"), key_id(ski, "instance")], 4),
            "leaf": Cert(self.module_id + ".us-east-1.aws", k["leaf"], T - 3, T + 10800 - 3,
                         [bc(False), ku(["digitalSignature", "nonRepudiation"], critical=False)], 5),
        }
        self.order = ["root", "regional", "zonal", "instance", "leaf"]
        self.cose_key = None  # leaf key signs the document unless set

    def build(self):
        prev = None
        for n in self.order:
            c = self.certs[n]
            issuer_cn = c.issuer_cn if c.issuer_cn_override else (c.cn if prev is None else self.certs[prev].cn)
            signer = c.key if prev is None else self.certs[prev].key
            sign_cert(c, issuer_cn, signer, self)
            prev = n
        return self


# ---------------------------------------------------------------- COSE

def cbor_head(mt, v):
    if v < 24:
        return bytes([mt << 5 | v])
    if v < 256:
        return bytes([mt << 5 | 24, v])
    if v < 65536:
        return bytes([mt << 5 | 25]) + v.to_bytes(2, "big")
    return bytes([mt << 5 | 26]) + v.to_bytes(4, "big")


def cbor_bstr(b):
    return cbor_head(2, len(b)) + b


def cbor_text(s):
    return cbor_head(3, len(s.encode())) + s.encode()


def document(chain):
    c = chain.certs
    p = cbor_head(5, 9)
    p += cbor_text("module_id") + cbor_text(chain.module_id)
    p += cbor_text("digest") + cbor_text("SHA384")
    p += cbor_text("timestamp") + b"\x1b" + TS_MS.to_bytes(8, "big")  # AWS's 8-byte head
    p += cbor_text("pcrs") + cbor_head(5, 16)
    for i in range(16):
        p += cbor_head(0, i) + cbor_bstr(bytes([0x10 + i if i < 3 else 0]) * 48)
    p += cbor_text("certificate") + cbor_bstr(c[chain.order[-1]].der)
    p += cbor_text("cabundle") + cbor_head(4, len(chain.order) - 1)
    for n in chain.order[:-1]:
        p += cbor_bstr(c[n].der)
    p += cbor_text("public_key") + b"\xf6" + cbor_text("user_data") + b"\xf6" + cbor_text("nonce") + b"\xf6"
    prot = bytes.fromhex("a1013822")
    tbs = cbor_head(4, 4) + cbor_text("Signature1") + cbor_bstr(prot) + cbor_bstr(b"") + cbor_bstr(p)
    key = chain.cose_key or c[chain.order[-1]].key
    r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA384())))
    sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
    return cbor_head(4, 4) + cbor_bstr(prot) + cbor_head(5, 0) + cbor_bstr(p) + cbor_bstr(sig)


# ---------------------------------------------------------------- cases

CASES = []


def case(limbo_id, limbo, want, why, at=T + 10, source="limbo"):
    """limbo: "SUCCESS"/"FAILURE"/None (not a limbo case); want: the verifier's result
    code; source: where want comes from when it is not limbo's verdict."""
    def deco(fn):
        CASES.append(dict(fn=fn, limbo_id=limbo_id, limbo=limbo, want=want, what=why, at=at, source=source))
        return fn
    return deco


OPENSSL = "spec §8.2: the OpenSSL path error maps to CHAIN_INVALID"
PROFILE = "spec §3.3 step 10 profile post-check (CERT_PROFILE_INVALID)"
STRICT = "Nitro profile, stricter than limbo's RFC 5280 verdict: "
LENIENT = "Nitro profile, more lenient than limbo (pedantic RFC 5280): "


@case("pathlen::ee-with-intermediate-pathlen-0", "SUCCESS", "OK", "the AWS-shaped chain itself: instance CA pathLen 0 issues the leaf")
def _(ch): pass


@case("pathlen::ee-with-intermediate-pathlen-1", "SUCCESS", "OK", "instance CA pathLen 1 issues the leaf")
def _(ch):
    ch.certs["instance"].exts[0] = bc(True, 1)


@case("pathlen::ee-with-intermediate-pathlen-2", "SUCCESS", "OK", "instance CA pathLen 2 issues the leaf")
def _(ch):
    ch.certs["instance"].exts[0] = bc(True, 2)


@case("pathlen::intermediate-violates-pathlen-0", "FAILURE", "CHAIN_INVALID",
      "zonal CA pathLen 0 issues the instance CA (a CA)", source=OPENSSL)
def _(ch):
    ch.certs["zonal"].exts[0] = bc(True, 0)


@case("pathlen::intermediate-pathlen-too-long", "FAILURE", "CHAIN_INVALID",
      "regional CA pathLen 1 followed by two CAs (zonal, instance)", source=OPENSSL)
def _(ch):
    ch.certs["regional"].exts[0] = bc(True, 1)


@case("pathlen::intermediate-pathlen-may-increase", "SUCCESS", "OK",
      "zonal CA pathLen 1, the instance CA below it claims pathLen 2 (the stricter bound still holds)")
def _(ch):
    ch.certs["instance"].exts[0] = bc(True, 2)
    ch.certs["regional"].exts[0] = bc(True, 2)


@case("pathlen::validation-ignores-pathlen-in-leaf", "SUCCESS", "CERT_PROFILE_INVALID",
      "the leaf is a CA (pathLen 0) under the pathLen-0 instance CA",
      source=STRICT + "the leaf must not be a CA (spec §3.3 step 10)")
def _(ch):
    ch.certs["leaf"].exts = [bc(True, 0), ku(["digitalSignature", "keyCertSign"])]


@case("rfc5280::validity::expired-leaf", "FAILURE", "CERT_EXPIRED", "validated one hour after the leaf's notAfter",
      at=T + 10800 - 3 + 3600, source="limbo; code from spec §8.2")
def _(ch):
    ch.certs["instance"].na = T + 2 * DAY


@case("rfc5280::validity::expired-intermediate", "FAILURE", "CERT_EXPIRED", "the zonal CA expired before the validation time",
      source="limbo; code from spec §8.2")
def _(ch):
    ch.certs["zonal"].na = T - 60


@case("rfc5280::validity::expired-root", "FAILURE", "CERT_EXPIRED", "the test root expired before the validation time",
      source="limbo; code from spec §8.2")
def _(ch):
    ch.certs["root"].na = T - 60


def same_window(ch, nb, na):
    for c in ch.certs.values():
        c.nb, c.na = nb, na


@case("rfc5280::validity::notbefore-exact", "SUCCESS", "OK", "every certificate's notBefore equals the validation time",
      at=T - 3)
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case("rfc5280::validity::notafter-exact", "SUCCESS", "CERT_EXPIRED",
      "every certificate's notAfter equals the validation time", at=T + 10800,
      source=STRICT + "OpenSSL's validity interval is half-open, notAfter itself is expired (spec §3.4 documents the 1-second difference)")
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case("rfc5280::validity::expired-1-second", "FAILURE", "CERT_EXPIRED", "validated 1 s after every certificate's notAfter",
      at=T + 10801, source="limbo; code from spec §8.2")
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case("rfc5280::validity::expired-5-seconds", "FAILURE", "CERT_EXPIRED", "validated 5 s after every certificate's notAfter",
      at=T + 10805, source="limbo; code from spec §8.2")
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case("rfc5280::validity::not-yet-valid-1-second", "FAILURE", "CERT_NOT_YET_VALID",
      "validated 1 s before every certificate's notBefore", at=T - 4, source="limbo; code from spec §8.2")
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case("rfc5280::validity::not-yet-valid-5-seconds", "FAILURE", "CERT_NOT_YET_VALID",
      "validated 5 s before every certificate's notBefore", at=T - 8, source="limbo; code from spec §8.2")
def _(ch):
    same_window(ch, T - 3, T + 10800)


@case(None, None, "CERT_NOT_YET_VALID", "the zonal CA's notBefore is after the validation time "
      "(the intermediate analogue of rfc5280::validity::not-yet-valid-*)", source="RFC 5280 §6.1.3 (a)(2); code from spec §8.2")
def nitro_intermediate_not_yet_valid(ch):
    ch.certs["zonal"].nb = T + 60


@case("rfc5280::intermediate-ca-without-ca-bit", "FAILURE", "CHAIN_INVALID",
      "zonal CA has critical basicConstraints cA FALSE", source=OPENSSL)
def _(ch):
    ch.certs["zonal"].exts[0] = bc(False)


@case("rfc5280::intermediate-ca-missing-basic-constraints", "FAILURE", "CHAIN_INVALID",
      "zonal CA has no basicConstraints (keyUsage keyCertSign only)",
      source="limbo; OpenSSL 3.0 refuses it as a CA (error 79, invalid CA certificate), " + OPENSSL +
      "; the profile post-check would refuse it too")
def _(ch):
    del ch.certs["zonal"].exts[0]


@case("rfc5280::root-missing-basic-constraints", "FAILURE", "CERT_PROFILE_INVALID", "the root has no basicConstraints",
      source="limbo; OpenSSL does not require it of a trust anchor, so " + PROFILE)
def _(ch):
    del ch.certs["root"].exts[0]


@case("rfc5280::root-non-critical-basic-constraints", "FAILURE", "CERT_PROFILE_INVALID",
      "the root's basicConstraints is not critical", source="limbo; " + PROFILE)
def _(ch):
    ch.certs["root"].exts[0] = bc(True, critical=False)


@case("rfc5280::root-inconsistent-ca-extensions", "FAILURE", "UNTRUSTED_ROOT",
      "the root is cA TRUE with a non-critical keyUsage lacking keyCertSign",
      source="limbo; OpenSSL then does not accept the root as the leaf chain's issuer (spec §8.2: UNTRUSTED_ROOT)")
def _(ch):
    ch.certs["root"].exts[1] = ku([], critical=False)


@case("rfc5280::ica-ku-keycertsign", "FAILURE", "UNTRUSTED_ROOT",
      "instance CA (pathLen 0) with a non-critical keyUsage lacking keyCertSign",
      source="limbo; OpenSSL then finds no issuer for the leaf (error 20), which spec §8.2 maps to UNTRUSTED_ROOT")
def _(ch):
    ch.certs["instance"].exts[1] = ku([], critical=False)


@case("rfc5280::leaf-ku-keycertsign", "FAILURE", "CERT_PROFILE_INVALID",
      "leaf is cA FALSE but its keyUsage asserts keyCertSign",
      source="limbo (RFC 5280 §4.2.1.9); " + PROFILE)
def _(ch):
    ch.certs["leaf"].exts[1] = ku(["digitalSignature", "keyCertSign"], critical=False)


@case("rfc5280::unknown-critical-extension-ee", "FAILURE", "CHAIN_INVALID", "leaf carries an unknown critical extension",
      source=OPENSSL)
def _(ch):
    ch.certs["leaf"].exts.append(unknown_critical())


@case("rfc5280::unknown-critical-extension-intermediate", "FAILURE", "CHAIN_INVALID",
      "instance CA carries an unknown critical extension", source=OPENSSL)
def _(ch):
    ch.certs["instance"].exts.append(unknown_critical())


@case("rfc5280::unknown-critical-extension-root", "FAILURE", "CHAIN_INVALID", "the root carries an unknown critical extension",
      source=OPENSSL)
def _(ch):
    ch.certs["root"].exts.append(unknown_critical())


@case("rfc5280::ee-critical-aia-invalid", "FAILURE", "CHAIN_INVALID", "leaf has a critical authorityInfoAccess",
      source=OPENSSL)
def _(ch):
    ch.certs["leaf"].exts.append(aia(critical=True))


@case("rfc5280::ee-aia", "SUCCESS", "OK", "leaf has a non-critical authorityInfoAccess")
def _(ch):
    ch.certs["leaf"].exts.append(aia())


@case("rfc5280::duplicate-extensions", "FAILURE", "UNTRUSTED_ROOT",
      "leaf carries keyUsage twice (limbo uses subjectAltName; Nitro leaves have none)",
      source="limbo; OpenSSL marks the leaf invalid and finds no issuer for it (error 20), which spec §8.2 maps to UNTRUSTED_ROOT")
def _(ch):
    ch.certs["leaf"].exts.append(ku(["digitalSignature", "nonRepudiation"], critical=False))


@case("rfc5280::no-keyusage", "SUCCESS", "OK", "leaf has no keyUsage (RFC 5280: unrestricted)",
      source="limbo; spec §3.3 step 10 tests X509_get_key_usage, which is all bits when the extension is absent")
def _(ch):
    del ch.certs["leaf"].exts[1]


@case("rfc5280::no-basicconstraints", "SUCCESS", "OK", "leaf has no basicConstraints")
def _(ch):
    del ch.certs["leaf"].exts[0]


@case("rfc5280::ca-as-leaf", "SUCCESS", "CERT_PROFILE_INVALID", "a CA certificate (cA TRUE, keyCertSign) in the leaf position",
      source=STRICT + "the leaf must not be a CA (spec §3.3 step 10); agrees with webpki::ca-as-leaf")
def _(ch):
    ch.certs["leaf"].exts = [bc(True), ku(["digitalSignature", "keyCertSign", "cRLSign"])]


@case("webpki::ca-as-leaf", "FAILURE", "CERT_PROFILE_INVALID", "a CA certificate (cA TRUE, keyCertSign) in the leaf position",
      source="limbo; " + PROFILE)
def _(ch):
    ch.certs["leaf"].exts = [bc(True), ku(["digitalSignature", "keyCertSign", "cRLSign"])]


@case("webpki::ee-basicconstraints-ca", "FAILURE", "CERT_PROFILE_INVALID",
      "leaf has basicConstraints cA TRUE and keyUsage digitalSignature only", source="limbo; " + PROFILE)
def _(ch):
    ch.certs["leaf"].exts[0] = bc(True)


@case("webpki::v1-cert", "FAILURE", "CERT_PROFILE_INVALID", "the leaf is an X.509 v1 certificate (no extensions)",
      source="limbo; " + PROFILE + " (v3 only)")
def _(ch):
    ch.certs["leaf"].version = 1


@case("webpki::forbidden-p192-leaf", "FAILURE", "CHAIN_INVALID", "the leaf key is P-192",
      source="limbo; OpenSSL auth level 4 (spec §3.3 step 7) refuses the 96-bit key, " + OPENSSL)
def _(ch):
    ch.certs["leaf"].key = newkey(ec.SECP192R1())


@case("webpki::forbidden-p192-root", "FAILURE", "CHAIN_INVALID", "the root key is P-192 and signs the regional CA",
      source="limbo; OpenSSL auth level 4 (spec §3.3 step 7) refuses the 96-bit key, " + OPENSSL)
def _(ch):
    ch.certs["root"].key = newkey(ec.SECP192R1())


@case("webpki::explicit-curve", "FAILURE", "CHAIN_INVALID",
      "the leaf's P-384 key is encoded with explicit curve parameters, not the namedCurve OID",
      source="limbo (CABF 7.1.3.1.2); OpenSSL 3.0 refuses explicit parameters (error 94), " + OPENSSL)
def _(ch):
    ch.certs["leaf"].explicit_curve = True


@case("rfc5280::mismatching-signature-algorithm", "FAILURE", "CHAIN_INVALID",
      "the leaf's TBS says ecdsa-with-SHA384 but its outer signatureAlgorithm says ecdsa-with-SHA512 "
      "(signature made with SHA-512)", source="limbo (RFC 5280 §4.1.1.2); OpenSSL's X509_verify refuses, " + OPENSSL)
def _(ch):
    ch.certs["leaf"].outer_hash = "sha512"


@case(None, None, "CHAIN_INVALID", "the zonal CA is signed with ecdsa-with-SHA256 (limbo's default algorithm)",
      source="Nitro profile (spec §3.2: all ecdsa-with-SHA384); OpenSSL auth level 4 refuses SHA-256 "
      "(CA_MD_TOO_WEAK), " + OPENSSL)
def nitro_intermediate_signed_sha256(ch):
    ch.certs["zonal"].tbs_hash = ch.certs["zonal"].outer_hash = "sha256"


@case(None, None, "CERT_PROFILE_INVALID", "the leaf is signed with ecdsa-with-SHA512 by the P-384 instance CA",
      source="Nitro profile (spec §3.2: all ecdsa-with-SHA384): " + PROFILE)
def nitro_leaf_signed_sha512(ch):
    ch.certs["leaf"].tbs_hash = ch.certs["leaf"].outer_hash = "sha512"


@case(None, None, "CHAIN_INVALID", "the leaf key is P-256 (limbo's default curve)",
      source="Nitro profile (spec §3.2: all P-384); OpenSSL auth level 4 refuses the 128-bit key, " + OPENSSL)
def nitro_leaf_p256(ch):
    ch.certs["leaf"].key = newkey(ec.SECP256R1())


@case(None, None, "CERT_PROFILE_INVALID", "the zonal CA key is P-521",
      source="Nitro profile (spec §3.2: all P-384): " + PROFILE)
def nitro_intermediate_p521(ch):
    ch.certs["zonal"].key = newkey(ec.SECP521R1())


@case("rfc5280::chain-untrusted-root", "FAILURE", "UNTRUSTED_ROOT",
      "the chain ends in a root the verifier was not given (it is given an unrelated test root)",
      source="limbo; spec §3.3 step 2 (cabundle[0] must be the pinned root)")
def chain_untrusted_root(ch):
    ch.trust = newkey()


@case("rfc5280::aki::leaf-missing-aki", "FAILURE", "OK", "the leaf has no authorityKeyIdentifier (as every genuine leaf)",
      source=LENIENT + "genuine AWS leaves have no AKI; spec §3.3 step 8 forbids X509_V_FLAG_X509_STRICT")
def _(ch):
    pass


@case("rfc5280::aki::intermediate-missing-aki", "FAILURE", "OK",
      "the instance CA has no authorityKeyIdentifier (as AWS's before 2024)",
      source=LENIENT + "genuine pre-2024 instance CAs have no AKI/SKI (spec §3.2)")
def _(ch):
    ch.certs["instance"].exts = ch.certs["instance"].exts[:2] + ch.certs["instance"].exts[3:]


@case("rfc5280::ski::intermediate-missing-ski", "FAILURE", "OK",
      "the instance CA has no subjectKeyIdentifier (as AWS's before 2024)",
      source=LENIENT + "genuine pre-2024 instance CAs have no AKI/SKI (spec §3.2)")
def _(ch):
    ch.certs["instance"].exts = ch.certs["instance"].exts[:3]


@case("rfc5280::ski::critical-ski", "FAILURE", "CHAIN_INVALID", "the root's subjectKeyIdentifier is critical",
      source=OPENSSL)
def _(ch):
    ch.certs["root"].exts[2] = key_id(ski, "root", critical=True)


@case("rfc5280::aki::critical-aki", "FAILURE", "CHAIN_INVALID", "the regional CA's authorityKeyIdentifier is critical "
      "(limbo puts it on the root; AWS's root has no AKI)", source=OPENSSL)
def _(ch):
    ch.certs["regional"].exts[2] = key_id(aki, "root", critical=True)


def file_stem(c):
    base = c["limbo_id"].replace("::", "__") if c["limbo_id"] else "nitro__" + c["fn"].__name__[6:].replace("_", "-")
    return base + ("" if c["want"] == "OK" else "_fail")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    index = []
    for c in CASES:
        ch = Chain()
        ch.trust = None
        c["fn"](ch)
        ch.build()
        stem = file_stem(c)
        with open(os.path.join(out, stem + ".cose"), "wb") as f:
            f.write(document(ch))
        root_der = ch.certs["root"].der
        if ch.trust is not None:  # an unrelated root is the one given to the verifier
            other = Cert("unrelated.test-root", ch.trust, T - DAY, T + DAY,
                         [bc(True), ku(["digitalSignature", "keyCertSign", "cRLSign"])], 99)
            root_der = sign_cert(other, other.cn, ch.trust)
        index.append({
            "id": c["limbo_id"] or stem.removesuffix("_fail").replace("__", "::"),
            "limbo_id": c["limbo_id"],
            "file": stem + ".cose",
            "what": c["what"],
            "limbo_expected": c["limbo"],
            "expected_result": c["want"],
            "expected_from": c["source"],
            "at": c["at"],
            "root_der_hex": root_der.hex(),
        })
    doc = {
        "about": "x509-limbo scenarios (C2SP/x509-limbo limbo/testcases, commit 8a2e6f41) re-created as Nitro-shaped "
                 "attestation documents by gen_x509_cases.py; verify each with --root <root_der_hex as DER> --at <at>.",
        "cases": index,
    }
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    nok = sum(1 for c in index if c["expected_result"] == "OK")
    print("%d cases: %d expected OK, %d expected to fail" % (len(index), nok, len(index) - nok))


if __name__ == "__main__":
    main()
