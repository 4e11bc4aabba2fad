#!/bin/sh
# Seed inputs from vectors/ for one fuzz target: sh tests/fuzz/seeds.sh TARGET DIR
# (copies files into DIR). Also used by tests/cli/test_fuzz_regress.sh, which replays the seeds
# and the regression corpus in make check.
t=$1; out=$2
mkdir -p "$out"
cp_if() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$out/$(echo "$f" | tr '/' '_')"; done; }
case $t in
  fuzz_json|fuzz_consensus)
    cp_if vectors/canonical/*.json vectors/replay/*.json vectors/replay/malformed/*.json \
          vectors/leadpoet/checkpoint_*.arweave_payload.json vectors/leadpoet/code_hash.json ;;
  fuzz_codec|fuzz_binding)
    cp_if vectors/leadpoet/code_hash.json vectors/nitro/real/ev-ga-debug-2023-09-18.b64 ;;
  fuzz_attest)
    cp_if vectors/nitro/real/*.cose vectors/nitro/real/*.b64 vectors/nitro/derived/*.cose \
          vectors/nitro/derived/*.json ;;
  fuzz_certs)
    cp_if vectors/nitro/real/*.cose vectors/nitro/real/*.der vectors/nitro/root/*.der ;;
  fuzz_policy)
    cp_if vectors/policy/*.json vectors/leadpoet/pcr0_allowlist.json ;;
  fuzz_docker_image)
    # Byte 0 selects the platform (see fuzz_docker_image.c); the small ground-truth images.
    for f in vectors/nitro-docker/images/c*.tar vectors/nitro-docker/fuzz/*.tar; do
      [ -f "$f" ] && [ "$(wc -c < "$f")" -le 262144 ] && { printf '\000'; cat "$f"; } > "$out/$(basename "$f")"
    done ;;
  fuzz_eif)
    # Byte 0 selects the feeding chunk size (see fuzz_eif.c).
    for f in vectors/eif/*.eif; do
      [ -f "$f" ] && { printf '\377'; cat "$f"; } > "$out/$(basename "$f")"
    done ;;
  fuzz_replay)
    cp_if vectors/replay/*.json vectors/replay/malformed/*.json vectors/replay/weights/*.json \
          vectors/replay/weights/*/*.json vectors/demo/*.json ;;
  fuzz_checkpoint)
    cp_if vectors/leadpoet/checkpoint_*.arweave_payload.json ;;
  fuzz_compact_weight_v2)
    # Byte 0 selects the function (see fuzz_compact_weight_v2.c).
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
d = json.load(open('vectors/leadpoet-v2/weights_v2.json'))
m = json.load(open('vectors/leadpoet-v2/stateful-epoch-cutover-sn71.json'))
def w(name, sel, v):
    with open(os.path.join(sys.argv[1], name), 'wb') as f:
        f.write(bytes([sel]) + json.dumps(v).encode())
for i, c in enumerate(d['compact_weight_submissions']):
    s = c['submission']
    w('bundle%d' % i, 0, s)
    w('verify%d' % i, 1, dict(s, manifest=m))
    w('ancestry%d' % i, 2, {'l': d['attested_v2_primitives']['lineage_id']['lineage_id'],
                           'i': s['weight_snapshot']['input_receipt_hashes'], 'p': s['upstream_ancestry_proofs'],
                           'a': s['upstream_transport_attempts']})
    for j, n in enumerate(c['negatives']):
        w('neg%d_%d' % (i, j), 0, n['submission'])
w('lineage', 3, [m['mapping_hash'], m['network_genesis_hash'], m['netuid']])
w('manifest', 3, m)
ev = d['weight_submission_v2_events']
for i, r in enumerate(ev['records'] + ev['negatives']):
    w('payload%d' % i, 4, {'p': r['log_entry']['signed_event']['payload'], 't': r['ties'], 'm': m})
PY
    ;;
  fuzz_log)
    # verify_log's input: the exported chain of vectors/leadpoet/event_signing.json.
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
d = json.load(open('vectors/leadpoet/event_signing.json'))
L = [e['log_entry'] for e in d['entries']]
w = lambda n, v: open(os.path.join(sys.argv[1], n), 'w').write(json.dumps(v))
w('log.json', L)
w('rows.json', [{'id': i, 'signed_log_entry': e} for i, e in enumerate(L)])
for n in d['negative']:
    w('neg_' + n['name'] + '.json', L[:1] + [n['log_entry']])
PY
    ;;
  fuzz_wcomp)
    # byte 0 even: a whole snapshot; odd: fields over the target's built-in snapshot
    # (fuzz_wcomp.c), here each case's fields that differ from it
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
w = json.load(open('vectors/leadpoet-v2/weights_v2.json'))['weight_computation']
base = w[1]['snapshot']
for i, c in enumerate(w):
    s = c['snapshot']
    open(os.path.join(sys.argv[1], 'snap%02d' % i), 'wb').write(b'\0' + json.dumps(s).encode())
    d = {k: v for k, v in s.items() if base.get(k) != v and k not in ('config_hash', 'metagraph_hotkeys')}
    if d:
        open(os.path.join(sys.argv[1], 'over%02d' % i), 'wb').write(b'\1' + json.dumps(d).encode())
PY
    ;;
  fuzz_receipts)
    # byte 0 selects the function (fuzz_receipts.c); each vector case as its input
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
v = json.load(open('vectors/leadpoet-v2/weights_v2.json'))
def w(name, sel, value):
    open(os.path.join(sys.argv[1], name), 'wb').write(bytes([sel]) + json.dumps(value).encode())
for i, c in enumerate(v['receipts']):
    if 'body' in c:
        w('body%02d' % i, 0, c['body'])
        w('hash%02d' % i, 1, c['body'])
    if 'signed' in c:
        w('signed%02d' % i, 2, c['signed'])
for i, c in enumerate(v['receipt_lineage']):
    w('lineage%02d' % i, 3, [c['receipt'], c['parent_receipts']])
for i, c in enumerate(v['artifact_merkle_root']):
    w('artifacts%02d' % i, 4, c['artifacts'])
s = v['weight_bundles_v2_shadow']
for i, c in enumerate(s['valid'] + s['tampered']):
    w('bundle%02d' % i, 6 if c['require_allocation_ancestry'] else 5, c['bundle'])
PY
    ;;
  fuzz_attested_v2)
    # byte 0 selects the function (fuzz_attested_v2.c); each vector case as its input
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
v = json.load(open('vectors/leadpoet-v2/weights_v2.json'))
p = v['attested_v2_primitives']
def w(name, sel, value):
    open(os.path.join(sys.argv[1], name), 'wb').write(bytes([sel]) + json.dumps(value).encode())
for i, c in enumerate(p['merkle_root']):
    w('merkle%02d' % i, 0, [c['items'], c['domain']])
for i, c in enumerate(p['execution_receipts']):
    w('receipt%02d' % i, 1, c['receipt'])
for i, c in enumerate(p['boot_identities']):
    w('boot%02d' % i, 2, c['identity'])
    w('userdata%02d' % i, 6, c['identity'])
for i, c in enumerate(p['transport_attempts']):
    w('attempt%02d' % i, 3, c['attempt'])
pub = v['published_weight_bundles_v2']
for i, c in enumerate(pub['valid'][:2] + [x for x in pub['tampered'] if x.get('step') == 'graph'][:3]):
    w('graph%02d' % i, 4, c['bundle']['receipt_graph'])
g = dict(pub['valid'][0]['bundle']['receipt_graph'], rp=['validator.weights.computed.v2'])
w('graph_rp', 5, g)
PY
    ;;
  fuzz_sn46)
    # byte 0: profile selector (fuzz_sn46.c); each public epoch shrunk (3 listings per
    # file, the neurons the files and the validator name), so that mutations stay small
    python3 - "$out" <<'PY' || exit 1
import glob, json, os, sys
for f in sorted(glob.glob('vectors/subnet46/cases/*.input.json')):
    d = json.load(open(f))
    keep = {s['path_hotkey'] for s in d['submissions']} | {d['validator']['hotkey']}
    d['metagraph']['neurons'] = [n for n in d['metagraph']['neurons'] if n['hotkey'] in keep or n['uid'] < 4]
    for s in d['submissions']:
        s['file']['listings'] = s['file']['listings'][:3]
    d['chain']['n'] = 16
    d.pop('claimed', None)
    name = os.path.basename(f).split('.')[0]
    open(os.path.join(sys.argv[1], name), 'wb').write(b'\0' + json.dumps(d).encode())
PY
    ;;
  fuzz_weight_bundle)
    # byte 0: flags (fuzz_weight_bundle.c); every bundle of the vectors, and the event
    # records after their bundle
    python3 - "$out" <<'PY' || exit 1
import json, os, sys
v = json.load(open('vectors/leadpoet-v2/weights_v2.json'))
def w(name, sel, value, event=None):
    data = bytes([sel]) + json.dumps(value).encode()
    if event is not None:
        data += b'\0' + json.dumps(event).encode()
    open(os.path.join(sys.argv[1], name), 'wb').write(data)
pub, sh = v['published_weight_bundles_v2'], v['weight_bundles_v2_shadow']
for i, c in enumerate(pub['valid'] + pub['tampered'][::4]):
    w('published%02d' % i, 0, c['bundle'])
for i, c in enumerate(sh['valid'] + sh['tampered'][::4]):
    w('shadow%02d' % i, 1 if c['require_allocation_ancestry'] else 0, c['bundle'])
for i, c in enumerate(v['compact_weight_submissions']):
    w('compact%02d' % i, 0, c['submission'])
bundles = {c['name']: c['bundle'] for c in pub['valid']}
bundles.update({c['name']: c['submission'] for c in v['compact_weight_submissions']})
for i, r in enumerate(v['weight_submission_v2_events']['records']):
    w('event%02d' % i, 4, bundles[r['source_case']], r['log_entry'])
PY
    ;;
  fuzz_published_v2)
    # byte 0 selects the function (fuzz_published_v2.c); vector bundles and the
    # reference-generated cases as inputs
    python3 - "$out" <<'PY' || exit 1
import copy, json, os, sys
v = json.load(open('vectors/leadpoet-v2/weights_v2.json'))
pub = v['published_weight_bundles_v2']
def w(name, sel, value):
    open(os.path.join(sys.argv[1], name), 'wb').write(bytes([sel]) + json.dumps(value).encode())
valid = {c['name']: c for c in pub['valid']}
for i, c in enumerate(pub['valid']):
    w('bundle%02d' % i, 0, c['bundle'])
    s = c['bundle']['weight_snapshot']
    w('snapshot%02d' % i, 2, s)
    w('documents%02d' % i, 3, s)
    w('build%02d' % i, 4, {k: s[k] for k in ('validator_hotkey', 'calculation_snapshot', 'input_receipt_hashes',
                                              'finalized_chain_state_root', 'gateway_authority_event_hash')})
w('bundle_verifier', 1, pub['valid'][2]['bundle'])
for i, c in enumerate(pub['tampered']):
    w('tampered%02d' % i, 0, c['bundle'])
cases = json.load(open('vectors/leadpoet-v2/weight_authority_v2_cases.json'))['cases']
for i, c in enumerate(cases):
    if c['kind'] == 'call' and c['function'] == 'validate_weight_input_source_evidence_v2':
        w('evidence%02d' % i, 5, c['kwargs'])
    if c['kind'] == 'bundle' and c['name'].startswith('binding_message'):
        b = copy.deepcopy(valid[c['base']]['bundle'])
        for op in c['patch']:
            if op['path'] == ['binding_message']:
                b['binding_message'] = op['value']
        w('binding%02d' % i, 6, [b['binding_message'], b['validator_hotkey'],
                                 'sha256:' + '0' * 64, b['validator_hotkey_signature'].strip().lower()])
PY
    ;;
  fuzz_ss58|fuzz_sighex|fuzz_hotkey)
    # the address, the signature text, or both with the message (fuzz_hotkey.c's layout)
    python3 - "$t" "$out" <<'PY' || exit 1
import json, os, sys
t, out = sys.argv[1], sys.argv[2]
cases = json.load(open('vectors/sr25519/sr25519_vectors.json'))['cases']
for c in cases:
    a = c['ss58_address'].encode('utf-8', 'surrogateescape')
    s = c['signature_hex'].encode('utf-8', 'surrogateescape')
    data = {'fuzz_ss58': a, 'fuzz_sighex': s}.get(t)
    if data is None:
        if len(a) > 255 or len(s) > 255:
            continue
        data = bytes([len(a), len(s)]) + a + s + bytes.fromhex(c['message_hex'])
    open(os.path.join(out, c['id']), 'wb').write(data)
PY
    ;;
  fuzz_proof)
    : ;; # no proof files in vectors/: the regression corpus seeds this target
esac
exit 0
