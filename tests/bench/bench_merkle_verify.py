#!/usr/bin/env python3
"""Plain-Python checkpoint verifier: the comparison point of bench_merkle (issue 7).

Usage: bench_merkle_verify.py PAYLOAD_FILE LEAD_ID HEADER_PUBKEY_HEX

Does what verify_merkle_inclusion does (spec leadpoet-formats.md §7.3) with the standard
library: parse the Arweave payload, header Ed25519 over SHA-256 of DS-A(header), base64 +
gunzip + json.loads of the events, event_count and sequence, leaves H(CS-A(record)), the
tree with the odd node paired with itself, root and tree_levels, era C/D envelopes (event
hash, payload hash, Ed25519, chain, monotonic_seq), lead search (§3.3) and a proof.
Ed25519 needs a third-party module: `cryptography` or PyNaCl when installed; without
either the signatures are skipped and the first output line says so.
Exit 0 when everything holds, 1 otherwise.  One core, as plain Python runs.
"""
import base64
import gzip
import hashlib
import json
import sys


def ed25519_verifier():
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        keys = {}

        def verify(pk, sig, msg):
            k = keys.get(pk)
            if k is None:
                k = keys[pk] = Ed25519PublicKey.from_public_bytes(pk)
            try:
                k.verify(sig, msg)
                return True
            except InvalidSignature:
                return False
        return verify, "cryptography (OpenSSL)"
    except ImportError:
        pass
    try:
        import nacl.exceptions
        import nacl.signing

        def verify(pk, sig, msg):
            try:
                nacl.signing.VerifyKey(pk).verify(msg, sig)
                return True
            except nacl.exceptions.BadSignatureError:
                return False
        return verify, "PyNaCl (libsodium)"
    except ImportError:
        return None, None


def H(b):
    return hashlib.sha256(b).digest()


def csa(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True).encode("ascii")


def has_lead(rec, lead):
    p = rec.get("payload")
    if isinstance(p, dict):
        if p.get("lead_id") == lead:
            return True
        for v in p.get("validations") or []:
            if isinstance(v, dict) and v.get("lead_id") == lead:
                return True
        a = p.get("assignment")
        if isinstance(a, dict) and lead in (a.get("assigned_lead_ids") or []):
            return True
    sp = ((rec.get("signed_log_entry") or {}).get("signed_event") or {}).get("payload")
    return isinstance(sp, dict) and sp.get("lead_id") == lead


def main():
    path, lead, pub = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
    verify, how = ed25519_verifier()
    print("python: Ed25519 " + ("with " + how if verify else "NOT checked (no cryptography or PyNaCl module)"))
    with open(path, "rb") as f:
        doc = json.loads(f.read())
    hdr = doc["header"]
    ok = True
    if verify:
        ok &= verify(pub, bytes.fromhex(doc["signature"]), H(json.dumps(hdr, sort_keys=True).encode("ascii")))
    events = json.loads(gzip.decompress(base64.b64decode(doc["events_compressed"], validate=True)))
    ok &= len(events) == hdr["event_count"]
    first = hdr["sequence_range"]["first"]
    ok &= all(e.get("sequence") == first + i for i, e in enumerate(events))
    ok &= hdr["sequence_range"]["last"] == first + len(events) - 1
    level = [H(csa(e)) for e in events]
    levels = [level]
    while len(level) > 1:
        level = [H(level[i] + (level[i + 1] if i + 1 < len(level) else level[i])) for i in range(0, len(level), 2)]
        levels.append(level)
    ok &= level[0].hex() == hdr["merkle_root"]
    ok &= [[h.hex() for h in lv] for lv in levels] == doc["tree_levels"]
    if events and "signed_log_entry" in events[0]:
        prev, seqs = None, {}
        for i, e in enumerate(events):
            sle = e["signed_log_entry"]
            se = sle["signed_event"]
            d = H(csa(se))
            ok &= sle["event_hash"] == d.hex() == e["event_hash"]
            ok &= H(csa(se["payload"])).hex() == e["payload_hash"] and e["event_type"] == se["event_type"]
            if verify:
                ok &= verify(bytes.fromhex(sle["enclave_pubkey"]), bytes.fromhex(sle["enclave_signature"]), d)
            if i and se["event_type"] != "ENCLAVE_RESTART":
                ok &= se["prev_event_hash"] == prev
            prev = sle["event_hash"]
            b = se["boot_id"]
            ok &= b not in seqs or se["monotonic_seq"] > seqs[b]
            seqs[b] = se["monotonic_seq"]
    idx = [i for i, e in enumerate(events) if has_lead(e, lead)]
    ok &= bool(idx)
    for i in idx:
        cur, k = levels[0][i], i
        for lv in levels[:-1]:
            if k % 2:
                cur = H(lv[k - 1] + cur)
            else:
                cur = H(cur + (lv[k + 1] if k + 1 < len(lv) else lv[k]))
            k //= 2
        ok &= cur == levels[-1][0]
    print("python: %s, %d events, %d match(es)" % ("OK" if ok else "FAILED", len(events), len(idx)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
