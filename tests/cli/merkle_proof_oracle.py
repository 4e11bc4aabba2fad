#!/usr/bin/env python3
"""Independent oracle for tests/cli/test_merkle_proof_patterns.sh.

Written from leadpoet-formats.md §4.1 and §5 with hashlib and openssl(1) only; it
shares no code with the C implementation.

  checkpoints DIR   signed checkpoints of n = 1, 2, 4, 7, 8, 17 records (signed with
                    the checkpoint_v1.json signer seed), plus the two real v1 ones;
                    prints "payload lead index n" per proof to make
  mutants DIR P...  for every valid proof file P, the malformed-proof patterns of
                    transparency-dev/merkle's inclusion tests (truncated, extended,
                    bit-flipped, reordered, wrong index, wrong size, header and
                    signature mismatches), each in two modes (pinned key / no key);
                    prints "file mode rc code description" with the verdict computed
                    here, independently of the tool.
"""
import base64
import copy
import gzip
import hashlib
import json
import os
import subprocess
import sys

H = lambda b: hashlib.sha256(b).digest()
V = 'vectors/leadpoet/'
ED_PRIV_DER = bytes.fromhex('302e020100300506032b657004220420')
ED_PUB_DER = bytes.fromhex('302a300506032b6570032100')
EVT_KEY = 'efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780'


def csa(v):
    return json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=True)


def dsa(v):
    return json.dumps(v, sort_keys=True)


# ---- §4.1 tree, written from the text ----
def levels(leaves):
    lv = [list(leaves)]
    while len(lv[-1]) > 1:
        cur, nxt = lv[-1], []
        for i in range(0, len(cur), 2):
            r = cur[i + 1] if i + 1 < len(cur) else cur[i]
            nxt.append(H(cur[i] + r))
        lv.append(nxt)
    return lv


def proof(leaves, i):
    out = []
    for lvl in levels(leaves)[:-1]:
        if i % 2 == 0:
            out.append((lvl[i + 1] if i + 1 < len(lvl) else lvl[i], 'right'))
        else:
            out.append((lvl[i - 1], 'left'))
        i //= 2
    return out


def self_check():
    d = json.load(open(V + 'merkle_tee_checkpoint.json'))
    for c in d['cases']:
        lv = [H(csa(e).encode()) for e in c['events']]
        assert levels(lv)[-1][0].hex() == c['merkle_root'], c['n']
        for i, want in enumerate(c['proofs']):
            got = [{'sibling': s.hex(), 'position': p} for s, p in proof(lv, i)]
            assert got == want, (c['n'], i)


# ---- Ed25519 through openssl(1) ----
def pem(der, kind):
    return ('-----BEGIN %s-----\n%s\n-----END %s-----\n' % (kind, base64.b64encode(der).decode(), kind)).encode()


def sign(tmp, seed_hex, msg):
    k, m, s = tmp + '/k.pem', tmp + '/m.bin', tmp + '/s.bin'
    open(k, 'wb').write(pem(ED_PRIV_DER + bytes.fromhex(seed_hex), 'PRIVATE KEY'))
    open(m, 'wb').write(msg)
    subprocess.run(['openssl', 'pkeyutl', '-sign', '-inkey', k, '-rawin', '-in', m, '-out', s], check=True)
    return open(s, 'rb').read().hex()


_vcache = {}


def verify(tmp, pub_hex, msg, sig_hex):
    key = (pub_hex, msg, sig_hex)
    if key not in _vcache:
        try:
            sig = bytes.fromhex(sig_hex)
        except ValueError:
            sig = b''
        ok = False
        if len(sig) == 64:
            k, m, s = tmp + '/p.pem', tmp + '/m.bin', tmp + '/s.bin'
            open(k, 'wb').write(pem(ED_PUB_DER + bytes.fromhex(pub_hex), 'PUBLIC KEY'))
            open(m, 'wb').write(msg)
            open(s, 'wb').write(sig)
            ok = subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', k, '-rawin', '-in', m,
                                 '-sigfile', s], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        _vcache[key] = ok
    return _vcache[key]


def checkpoints(d):
    self_check()
    v1 = json.load(open(V + 'checkpoint_v1.json'))
    seed, pub = v1['checkpoint_signer_seed_hex'], v1['checkpoint_signer_pubkey']
    real = json.loads(open(V + 'checkpoint_v1.arweave_payload.json').read())
    # the signing path reproduces the real header signature (deterministic Ed25519)
    assert sign(d, seed, H(dsa(real['header']).encode())) == real['signature']
    open(d + '/pub', 'w').write(pub)
    rows = [(V + 'checkpoint_v1.arweave_payload.json', '8b6482bf-116e-41db-b8ec-a87ba3c86b8b', 0, 5),
            (V + 'checkpoint_v1.arweave_payload.json', '0f0e0d0c-0000-4000-8000-000000000002', 2, 5),
            (V + 'checkpoint_v1.arweave_payload.json', '0f0e0d0c-0000-4000-8000-000000000003', 4, 5)]
    open(d + '/cp_real3.json', 'w').write(v1['second_checkpoint']['arweave_payload_text'])
    rows.append((d + '/cp_real3.json', '0f0e0d0c-0000-4000-8000-000000000002', 1, 3))
    for n, idxs in ((1, [0]), (2, [0, 1]), (4, [3, 2]), (7, [6, 3]), (8, [5, 6]), (17, [16, 9])):
        ev = [{'event_type': 'TEST', 'payload': {'lead_id': 'L-%d-%d' % (n, i)}, 'sequence': i} for i in range(n)]
        leaves = [H(csa(e).encode()) for e in ev]
        hdr = copy.deepcopy(real['header'])
        hdr['event_count'] = n
        hdr['sequence_range'] = {'first': 0, 'last': n - 1}
        hdr['merkle_root'] = levels(leaves)[-1][0].hex()
        p = {'header': hdr, 'signature': sign(d, seed, H(dsa(hdr).encode())),
             'events_compressed': base64.b64encode(gzip.compress(json.dumps(ev).encode(), mtime=0)).decode()}
        f = '%s/cp_%d.json' % (d, n)
        open(f, 'w').write(json.dumps(p))
        for i in idxs:
            rows.append((f, 'L-%d-%d' % (n, i), i, n))
    for r in rows:
        print(*r)


# ---- the oracle: the statement a proof file makes, checked from §4.1/§5 ----
def is_hex32(s):
    return isinstance(s, str) and len(s) == 64 and all(c in '0123456789abcdef' for c in s)


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def has_lead(rec, lead):
    p = rec.get('payload')
    if isinstance(p, dict):
        if p.get('lead_id') == lead:
            return True
        if any(isinstance(v, dict) and v.get('lead_id') == lead for v in p.get('validations') or []):
            return True
        if lead in ((p.get('assignment') or {}).get('assigned_lead_ids') or []):
            return True
    sp = ((rec.get('signed_log_entry') or {}).get('signed_event') or {}).get('payload') or {}
    return isinstance(sp, dict) and sp.get('lead_id') == lead


def oracle(tmp, doc, pin, no_key=False):
    """(exit code, result code) a correct verifier must give.  The key a proof file
    records is never trusted: without a pin nothing is proven (KEY_NOT_PINNED), unless
    the user accepted that (--no-key), and any fault of the proof itself comes first."""
    M = (2, 'MALFORMED_INPUT')
    need = ('format', 'lead_id', 'leaf_preimage', 'proof', 'header', 'signature', 'index', 'event_count',
            'leaf_hash', 'merkle_root')
    if not isinstance(doc, dict) or any(k not in doc for k in need):
        return M
    if doc['format'] != 'leadpoet-checkpoint-inclusion-proof/1' or not isinstance(doc['lead_id'], str) \
            or not isinstance(doc['leaf_preimage'], str) or not isinstance(doc['proof'], list) \
            or len(doc['proof']) > 64 or not isinstance(doc['header'], dict) or not isinstance(doc['signature'], str):
        return M
    idx, n = doc['index'], doc['event_count']
    if not is_int(idx) or not is_int(n) or not 0 <= idx < n or n >= 2 ** 63:
        return M
    pk = doc.get('header_pubkey')
    if not is_hex32(doc['leaf_hash']) or not is_hex32(doc['merkle_root']) or (pk is not None and not is_hex32(pk)):
        return M
    if doc['signature'] == 'empty_checkpoint':
        return (1, 'EMPTY_CHECKPOINT')
    pre = doc['leaf_preimage'].encode()
    if H(pre).hex() != doc['leaf_hash']:
        return (1, 'PROOF_INVALID')
    rec = json.loads(pre)
    if csa(rec).encode() != pre:
        return (1, 'PROOF_INVALID')
    if not has_lead(rec, doc['lead_id']):
        return (1, 'NOT_INCLUDED')
    steps = []
    for st in doc['proof']:
        if not isinstance(st, dict) or not is_hex32(st.get('sibling')) or st.get('position') not in ('left', 'right'):
            return M
        steps.append((bytes.fromhex(st['sibling']), st['position']))
    # the spec's proof for (idx, n): position from the parity, and the last node of an
    # odd level is paired with itself
    cur, i, width = bytes.fromhex(doc['leaf_hash']), idx, n
    if len(steps) != len(levels_shape(n)):
        return (1, 'PROOF_INVALID')
    for sib, pos in steps:
        if pos != ('left' if i % 2 else 'right'):
            return (1, 'PROOF_INVALID')
        if i % 2 == 0 and i + 1 == width and sib != cur:
            return (1, 'PROOF_INVALID')
        cur = H(sib + cur) if pos == 'left' else H(cur + sib)
        i, width = i // 2, (width + 1) // 2
    if cur.hex() != doc['merkle_root']:
        return (1, 'PROOF_INVALID')
    hdr = doc['header']
    if not is_hex32(hdr.get('merkle_root')) or not is_int(hdr.get('event_count')):
        return M
    if hdr['merkle_root'] != doc['merkle_root']:
        return (1, 'ROOT_MISMATCH')
    if hdr['event_count'] != n:
        return (1, 'EVENT_COUNT_MISMATCH')
    if not pin:
        return (0, 'OK') if no_key else (1, 'KEY_NOT_PINNED')
    key = pin
    if not (len(doc['signature']) == 128 and all(c in '0123456789abcdefABCDEF' for c in doc['signature'])):
        return M
    return (0, 'OK') if verify(tmp, key, H(dsa(hdr).encode()), doc['signature']) else (1, 'SIGNATURE_INVALID')


def levels_shape(n):
    """Number of proof steps for a tree of n leaves: one per level below the root."""
    out, w = [], n
    while w > 1:
        out.append(w)
        w = (w + 1) // 2
    return out


def witness(doc, leaves):
    """An accepted statement must be true of a concrete tree: the real leaves cut or
    extended by repeating the last one (the §4.1 ambiguity) to event_count."""
    n, i = doc['event_count'], doc['index']
    if n > 4 * len(leaves) + 64:
        return False
    cand = leaves[:n] if n <= len(leaves) else leaves + [leaves[-1]] * (n - len(leaves))
    want = [{'sibling': s.hex(), 'position': p} for s, p in proof(cand, i)]
    return cand[i].hex() == doc['leaf_hash'] and levels(cand)[-1][0].hex() == doc['merkle_root'] \
        and want == doc['proof']


def flip(hexs, byte, bit):
    b = bytearray(bytes.fromhex(hexs))
    b[byte] ^= 1 << bit
    return b.hex()


BITS = ((0, 7), (0, 3), (16, 4), (31, 0))  # bit classes: first byte MSB and bit 3, a middle bit, last byte LSB
SOME = 'abacaba000000000000000000000000000000000000000000060061e00123456'  # an arbitrary hash
EMPTY = hashlib.sha256(b'').hexdigest()


def mutate(doc, others):
    """Yields (description, mutated doc, modes): pinned = the signer's key given on the
    command line; unkeyed = header_pubkey null, no key, --no-key; filekey = the key
    recorded in the file, no pin (never trusted: KEY_NOT_PINNED at best)."""
    pr = doc['proof']
    n, idx, root = doc['event_count'], doc['index'], doc['merkle_root']

    def m(desc, fn, unkeyed=False, modes=None):
        c = copy.deepcopy(doc)
        r = fn(c)
        return (desc, r if r is not None else c, modes or (('pinned', 'unkeyed') if unkeyed else ('pinned',)))

    # truncated
    for k in range(len(pr)):
        yield m('drop sibling %d' % k, lambda c, k=k: c['proof'].pop(k))
    if pr:
        yield m('empty proof', lambda c: c.__setitem__('proof', []))
    # extended
    yield m('append zeros right', lambda c: c['proof'].append({'sibling': '0' * 64, 'position': 'right'}))
    yield m('append zeros left', lambda c: c['proof'].append({'sibling': '0' * 64, 'position': 'left'}))
    yield m('append the root', lambda c: c['proof'].append({'sibling': root, 'position': 'right'}))
    yield m('prepend the leaf (self-pair)', lambda c: c['proof'].insert(0, {'sibling': c['leaf_hash'], 'position': 'right'}))
    yield m('trailing garbage (empty sibling)', lambda c: c['proof'].append({'sibling': '', 'position': 'right'}))
    yield m('preceding garbage (empty sibling)', lambda c: c['proof'].insert(0, {'sibling': '', 'position': 'right'}))
    yield m('preceding root', lambda c: c['proof'].insert(0, {'sibling': root, 'position': 'right'}))
    if len(pr) > 1:
        yield m('inserted component', lambda c: c['proof'].insert(1, {'sibling': SOME, 'position': c['proof'][1]['position']}))
    yield m('wrong leaf hash', lambda c: c.__setitem__('leaf_hash', hashlib.sha256(b'WrongLeaf').hexdigest()))
    yield m('empty-tree root', lambda c: c.__setitem__('merkle_root', EMPTY))
    yield m('random root', lambda c: c.__setitem__('merkle_root', SOME))
    yield m('random root, header too', lambda c: (c.__setitem__('merkle_root', SOME),
                                                  c['header'].__setitem__('merkle_root', SOME), None)[2], True)
    if pr:
        yield m('append a copy of the last', lambda c: c['proof'].append(dict(c['proof'][-1])))
    for k in range(len(pr)):
        yield m('duplicate entry %d' % k, lambda c, k=k: c['proof'].insert(k, dict(c['proof'][k])))
    yield m('65 steps', lambda c: c.__setitem__('proof', [{'sibling': '0' * 64, 'position': 'right'}] * 65))
    # bit flips
    for k in range(len(pr)):
        for by, bi in BITS:
            yield m('sibling %d byte %d bit %d' % (k, by, bi),
                    lambda c, k=k, by=by, bi=bi: c['proof'][k].__setitem__('sibling', flip(c['proof'][k]['sibling'], by, bi)))
    for by, bi in BITS:
        yield m('leaf_hash byte %d bit %d' % (by, bi), lambda c, by=by, bi=bi: c.__setitem__('leaf_hash', flip(c['leaf_hash'], by, bi)))
        yield m('merkle_root byte %d bit %d' % (by, bi), lambda c, by=by, bi=bi: c.__setitem__('merkle_root', flip(root, by, bi)))
        yield m('header root byte %d bit %d' % (by, bi),
                lambda c, by=by, bi=bi: c['header'].__setitem__('merkle_root', flip(root, by, bi)), True)
        yield m('both roots byte %d bit %d' % (by, bi),
                lambda c, by=by, bi=bi: (c.__setitem__('merkle_root', flip(root, by, bi)),
                                         c['header'].__setitem__('merkle_root', flip(root, by, bi)), None)[2], True)
    # positions and order
    for k in range(len(pr)):
        yield m('swap position %d' % k, lambda c, k=k: c['proof'][k].__setitem__(
            'position', 'left' if c['proof'][k]['position'] == 'right' else 'right'))
    for k in range(len(pr) - 1):
        yield m('swap entries %d,%d' % (k, k + 1),
                lambda c, k=k: c['proof'].__setitem__(slice(k, k + 2), [c['proof'][k + 1], c['proof'][k]]))
    if len(pr) > 1:
        yield m('reversed proof', lambda c: c['proof'].reverse())
    # wrong index
    for j in sorted({idx - 1, idx + 1, idx ^ 1, idx ^ 2, n, n + 1, 2 * n, -1, 2 ** 63 - 1} - {idx}):
        yield m('index %d' % j, lambda c, j=j: c.__setitem__('index', j), True)
    if pr:
        yield m('index %d with position 0 swapped' % (idx ^ 1), lambda c: (
            c.__setitem__('index', idx ^ 1), c['proof'][0].__setitem__(
                'position', 'left' if c['proof'][0]['position'] == 'right' else 'right'), None)[2], True)
    yield m('index "0" as a string', lambda c: c.__setitem__('index', str(idx)))
    yield m('index 1.0 as a float', lambda c: c.__setitem__('index', float(idx)))
    # wrong size: the proof's count alone, then with the header's count (signature breaks)
    for w in sorted({n - 1, n + 1, n // 2, 2 * n, 2 * n - 1, 0, -1, n + 2} - {n}):
        yield m('event_count %d' % w, lambda c, w=w: c.__setitem__('event_count', w), True)
        yield m('event_count %d, header too' % w,
                lambda c, w=w: (c.__setitem__('event_count', w), c['header'].__setitem__('event_count', w), None)[2], True)
    # index and size together: the last leaf moved to a copy of itself
    yield m('index n, size n+1, header too',
            lambda c: (c.__setitem__('index', n), c.__setitem__('event_count', n + 1),
                       c['header'].__setitem__('event_count', n + 1), None)[2], True)
    if idx == n - 1 and pr and pr[0]['position'] == 'right':
        yield m('last leaf as its own right twin: index n, size n+1, position 0 left',
                lambda c: (c.__setitem__('index', n), c.__setitem__('event_count', n + 1),
                           c['header'].__setitem__('event_count', n + 1),
                           c['proof'][0].__setitem__('position', 'left'), None)[2], True)
    # header / signature
    for o in others:
        yield m('header+signature of checkpoint n=%d' % o['event_count'],
                lambda c, o=o: (c.__setitem__('header', copy.deepcopy(o['header'])),
                                c.__setitem__('signature', o['signature']), None)[2], True)
        yield m('signature of checkpoint n=%d' % o['event_count'], lambda c, o=o: c.__setitem__('signature', o['signature']))
    yield m('signature bit flip', lambda c: c.__setitem__('signature', flip(c['signature'], 63, 0)))
    yield m('signature truncated', lambda c: c.__setitem__('signature', c['signature'][:126]))
    yield m('signature "empty_checkpoint"', lambda c: c.__setitem__('signature', 'empty_checkpoint'))
    yield m('header_pubkey of another key', lambda c: c.__setitem__('header_pubkey', EVT_KEY),
            modes=('filekey',))
    yield m('header checkpoint_number changed', lambda c: c['header'].__setitem__('checkpoint_number', 99))
    # not the documented shape
    if pr:
        yield m('sibling uppercase', lambda c: c['proof'][0].__setitem__('sibling', c['proof'][0]['sibling'].upper()))
        yield m('sibling 31 bytes', lambda c: c['proof'][0].__setitem__('sibling', c['proof'][0]['sibling'][:62]))
        yield m('position "Left"', lambda c: c['proof'][0].__setitem__('position', 'Left'))
        yield m('position missing', lambda c: c['proof'][0].pop('position'))
    yield m('proof an object', lambda c: c.__setitem__('proof', {}))


def mutants(d, files):
    rows, docs = [], [json.load(open(f)) for f in files]
    pub = open(d + '/pub').read().strip()
    # the leaves of each checkpoint, from the tool-independent tree above
    leaves_of = {}
    for cp in set(x.split()[0] for x in open(d + '/rows').read().splitlines()):
        p = json.loads(open(cp).read())
        ev = json.loads(gzip.decompress(base64.b64decode(p['events_compressed'])))
        leaves_of[p['header']['merkle_root']] = [H(csa(e).encode()) for e in ev]
    seen = set()
    for pi, doc in enumerate(docs):
        # the file as written must itself be what the oracle accepts
        assert oracle(d, doc, pub) == (0, 'OK'), files[pi]
        assert oracle(d, doc, None) == (1, 'KEY_NOT_PINNED'), files[pi]
        assert witness(doc, leaves_of[doc['merkle_root']]), files[pi]
        others = [o for o in docs if o['event_count'] != doc['event_count']][:1]
        for k, (desc, c, modes) in enumerate(mutate(doc, others)):
            for mode in modes:
                if mode == 'unkeyed':
                    c = copy.deepcopy(c)
                    c['header_pubkey'] = None
                text = csa(c)
                if (text, mode) in seen or c == doc:
                    continue
                seen.add((text, mode))
                want = oracle(d, c, pub if mode == 'pinned' else None, no_key=mode == 'unkeyed')
                # true: a concrete tree makes the statement true (the odd-node ambiguity);
                # opaque: accepted by §4.1 but no such tree is known (a sibling would have to
                # be a self-paired node, which its hash cannot show); '-': rejected
                truth = '-'
                if want == (0, 'OK'):
                    truth = 'true' if witness(c, leaves_of[doc['merkle_root']]) else 'opaque'
                    if mode != 'unkeyed':
                        sys.exit('oracle accepts a mutant under a key: %s/%s' % (files[pi], desc))
                f = '%s/m%d_%d_%s.json' % (d, pi, k, mode)
                open(f, 'w').write(text)
                rows.append('%s %s %d %s %s n=%d i=%d: %s' % (f, mode, want[0], want[1], truth, doc['event_count'],
                                                            doc['index'], desc))
    print('\n'.join(rows))


if __name__ == '__main__':
    if sys.argv[1] == 'checkpoints':
        checkpoints(sys.argv[2])
    else:
        mutants(sys.argv[2], sys.argv[3:])
