#!/bin/sh
# verify_merkle_inclusion as a user runs it: raw Arweave bytes of both eras, the
# /tx/data base64url body, stdin, keys, the empty host checkpoint, tampered and
# hostile payloads, --proof-out/--verify-proof, and the full chain by transaction
# id from a local HTTP server (127.0.0.1, started here) with --attestation.
# Expected values come from the vectors via python3, never from the tool.
. tests/cli/lib.sh
B="$LP_BIN/verify_merkle_inclusion"
T=$T_TMP
HK=760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54
EK=efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780
L1=8b6482bf-116e-41db-b8ec-a87ba3c86b8b
PCR0=$(python3 -c "import json;print(json.load(open('vectors/leadpoet/attestation.json'))['pcr0_hex'])")
TX1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1
TX2=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2
TX3=CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC3

python3 - "$T" "$TX1" "$TX2" "$TX3" <<'PY' || { echo "fixture generation failed"; echo "verify_merkle_inclusion: 0 passed, 1 failed"; exit 1; }
import json, sys, os, base64, gzip, zlib
t, tx1, tx2, tx3 = sys.argv[1:5]
v1 = json.load(open('vectors/leadpoet/checkpoint_v1.json'))
cur = json.load(open('vectors/leadpoet/checkpoint_current.json'))
att = json.load(open('vectors/leadpoet/attestation.json'))
raw_v1 = open('vectors/leadpoet/checkpoint_v1.arweave_payload.json', 'rb').read()
raw_cur = open('vectors/leadpoet/checkpoint_current.arweave_payload.json', 'rb').read()
w = lambda n, b: open(os.path.join(t, n), 'wb').write(b if isinstance(b, bytes) else b.encode())
w('cur.b64u', cur['arweave_tx_data_base64url'])
w('empty.json', v1['empty_host_checkpoint']['arweave_payload_text'])
w('v1_2.json', v1['second_checkpoint']['arweave_payload_text'])
# expectations
idx = v1['lead_id_index']
w('want_idx_L1', json.dumps(idx['8b6482bf-116e-41db-b8ec-a87ba3c86b8b'], separators=(',', ':')))
ev = cur['checkpoint_rpc_result']['events']
w('want_cur_L1', json.dumps([[i, e['event_type']] for i, e in enumerate(ev) if e['signed_log_entry']['signed_event']['payload'].get('lead_id') == '8b6482bf-116e-41db-b8ec-a87ba3c86b8b'], separators=(',', ':')))
w('want_proofs_L1', json.dumps([v1['inclusion_proofs'][i] for i in idx['8b6482bf-116e-41db-b8ec-a87ba3c86b8b']], sort_keys=True, separators=(',', ':')))
w('want_leaf4', v1['verification_walk']['leaf_hashes'][4])
# tampered payloads (v1 era, DU-A as uploaded)
p = json.loads(raw_v1)
q = json.loads(raw_v1); q['header']['event_count'] = 6; w('count6.json', json.dumps(q))
gz = base64.b64decode(p['events_compressed'])
q = json.loads(raw_v1); q['events_compressed'] = base64.b64encode(gz[:-20]).decode(); w('trunc_gzip.json', json.dumps(q))
b = bytearray(gz); b[len(b) // 2] ^= 0x10
q = json.loads(raw_v1); q['events_compressed'] = base64.b64encode(bytes(b)).decode(); w('flip_gzip.json', json.dumps(q))
q = json.loads(raw_v1); q['events_compressed'] = p['events_compressed'][:-5]; w('trunc_b64.json', json.dumps(q))
co = zlib.compressobj(9, zlib.DEFLATED, 31); chunk = b'[' * (1 << 20); bomb = b''
for _ in range(160): bomb += co.compress(chunk)  # 160 MiB: over LPM_MAX_INFLATED (128 MiB)
bomb += co.flush()
q = json.loads(raw_v1); q['events_compressed'] = base64.b64encode(bomb).decode(); w('bomb.json', json.dumps(q))
# events [e0..e4] under a different, self-consistent but unsigned root: ROOT_MISMATCH without a key
q = json.loads(raw_v1); q['header']['merkle_root'] = '1' * 64; w('root1.json', json.dumps(q))
# HTTP tree: /<txid> raw, /<txid2> the base64url body, /attest
os.makedirs(t + '/www', exist_ok=True)
w('www/' + tx1, raw_v1)
w('www/' + tx2, cur['arweave_tx_data_base64url'])
w('www/attest', json.dumps(att['attest_endpoint']['attest_response_json']))
bad = dict(att['attest_endpoint']['attest_response_json']); bad['enclave_public_key'] = 'efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780'
w('attest_wrong_key.json', json.dumps(bad))
w('root.der', bytes.fromhex(att['test_root_cert_der_hex']))
PY

jqv() { jq -c "$1" "$T_TMP/out" 2>/dev/null; }
# expect_json RC RESULT DESC ARGS...: exit code, .result, one JSON object, one stderr line when failing
expect_json() {
  rc=$1; res=$2; desc=$3; shift 3
  expect_exit "$rc" "$desc" "$B" --json "$@"
  expect_eq "$desc: result" "$(jq -r .result "$T_TMP/out" 2>/dev/null)" "$res"
  expect_eq "$desc: one object" "$(jq -s length "$T_TMP/out" 2>/dev/null)" 1
  if [ "$rc" != 0 ]; then expect_eq "$desc: stderr line" "$(grep -c "^verify_merkle_inclusion: $res: " "$T_TMP/err")" 1; fi
}

# ---- v1 era from the raw Arweave bytes
expect_json 0 OK "v1 raw with key" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "v1 match indexes" "$(jqv '[.matches[].index]')" "$(cat $T/want_idx_L1)"
expect_eq "v1 proofs equal the vector's" "$(jq -cS '[.matches[].proof]' $T/out)" "$(cat $T/want_proofs_L1)"
expect_eq "v1 signature" "$(jqv .signature)" '"valid"'
expect_eq "v1 era" "$(jqv '[.checkpoint.era,.checkpoint.payload_encoding,.checkpoint.event_count,.checkpoint.number]')" '["A","v1",5,0]'
expect_eq "checks are objects with name/ok/detail" "$(jqv '[.checks[]|keys]|unique')" '[["detail","name","ok"]]'
expect_json 0 OK "v1 lead in a validation batch" 0f0e0d0c-0000-4000-8000-000000000003 vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "leaf 4 hash" "$(jqv '.matches[0].leaf_hash')" "\"$(cat $T/want_leaf4)\""
expect_json 0 OK "v1 second checkpoint (odd count)" 0f0e0d0c-0000-4000-8000-000000000002 $T/v1_2.json $HK
[ "$(jqv '.matches|length')" -ge 0 ] && pass || failt "matches array"
expect_json 1 NOT_INCLUDED "missing lead id" 00000000-dead-beef-0000-000000000000 vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "no matches" "$(jqv '.matches')" '[]'
# human output
expect_exit 0 "human v1" "$B" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "human verdict last line" "$(tail -n 1 $T/out | cut -c1-9)" "INCLUDED:"
expect_exit 1 "human not included" "$B" nobody vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "human failure last line" "$(tail -n 1 $T/out)" "FAILED: NOT_INCLUDED: lead_search: no record carries lead_id nobody at a spec section 3.3 location"
expect_stderr_line "human failure stderr" '^verify_merkle_inclusion: NOT_INCLUDED: '

# ---- current era (envelopes; the vector has one synthetic lead event)
expect_json 0 OK "current raw, lead in an envelope payload" "$L1" vectors/leadpoet/checkpoint_current.arweave_payload.json $HK
expect_eq "current match" "$(jqv '[.matches[]|[.index,.event_type]]')" "$(cat $T/want_cur_L1)"
expect_eq "current era and checks" "$(jqv '[.checkpoint.era,.checkpoint.payload_encoding,.signature,([.checks[]|select(.name=="envelopes")|.ok][0])]')" '["C/D","current","valid",true]'
expect_json 0 OK "current /tx/data base64url body" "$L1" $T/cur.b64u $HK
expect_json 1 NOT_INCLUDED "current, missing lead" 0f0e0d0c-0000-4000-8000-000000000003 vectors/leadpoet/checkpoint_current.arweave_payload.json $HK
expect_eq "base64url same root" "$(jqv .checkpoint.merkle_root)" '"ee4ad55196a15e632753880df3c64863cc29db7676e47973d0f0de3676eca4a6"'
expect_exit 0 "stdin" sh -c "\"$B\" --json $L1 - $HK < vectors/leadpoet/checkpoint_v1.arweave_payload.json"

# ---- keys
# no pinned key: KEY_NOT_PINNED (exit 1), and still what was found and how to pin
expect_json 1 KEY_NOT_PINNED "no key" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json
expect_eq "no key: not_checked, matches and root reported" "$(jqv '[.signature,([.matches[]|.index]),([.checks[]|select(.ok==false)|.name]),.checkpoint.merkle_root]')" "[\"not_checked\",$(cat $T/want_idx_L1),[\"header_signature\"],\"de646b6963a5eaf7eb977cc3e6b4346273bd7bdad4ff6f63e12030818e50a9f9\"]"
expect_eq "no key: how to pin" "$(jqv .pin_hint | cut -c1-20)" '"pass ENCLAVE_PUBKEY'
expect_stderr_line "no key: one line" '^verify_merkle_inclusion: KEY_NOT_PINNED: header_signature: '
expect_json 0 OK "--no-key: not_checked" --no-key "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json
expect_eq "--no-key: not_checked, a warning" "$(jqv '[.signature,(.warnings|length),(.checks[]|select(.name=="header_signature")|.warning)]')" '["not_checked",1,true]'
expect_stderr_line "--no-key: one warning line" '^verify_merkle_inclusion: warning: --no-key: '
expect_exit 1 "no key (text)" "$B" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json
grep -q '^no trusted key: pass ENCLAVE_PUBKEY' $T/out && pass || failt "no key (text): how to pin"
expect_json 1 SIGNATURE_INVALID "event key is not the header key" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json $EK
expect_json 2 USAGE "bad key text" "$L1" vectors/leadpoet/checkpoint_v1.arweave_payload.json 1234
expect_json 2 USAGE "missing CHECKPOINT" "$L1"

# ---- empty host checkpoint, tampering, hostile input
expect_json 1 EMPTY_CHECKPOINT "empty host checkpoint" "$L1" $T/empty.json $HK
expect_json 1 SIGNATURE_INVALID "lying event_count, with key" "$L1" $T/count6.json $HK
expect_json 1 EVENT_COUNT_MISMATCH "lying event_count, no key" "$L1" $T/count6.json
expect_json 1 ROOT_MISMATCH "altered root, no key" "$L1" $T/root1.json
expect_json 2 BAD_GZIP "truncated gzip" "$L1" $T/trunc_gzip.json $HK
expect_json 2 BAD_GZIP "flipped byte in the gzip" "$L1" $T/flip_gzip.json $HK
expect_json 2 BAD_BASE64 "truncated base64" "$L1" $T/trunc_b64.json $HK
expect_json 2 INPUT_TOO_LARGE "gzip bomb" "$L1" $T/bomb.json $HK
printf 'not json' >$T/junk
expect_json 2 MALFORMED_INPUT "not JSON" "$L1" $T/junk $HK
expect_json 2 IO_ERROR "missing file" "$L1" $T/nope.json $HK

# ---- proof files
expect_json 0 OK "--proof-out" --proof-out $T/proof.json 0f0e0d0c-0000-4000-8000-000000000003 vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
expect_eq "proof leaf hash" "$(jq -r .leaf_hash $T/proof.json)" "$(cat $T/want_leaf4)"
expect_json 1 KEY_NOT_PINNED "--verify-proof (key recorded, never trusted)" --verify-proof $T/proof.json
expect_eq "unpinned proof: signature not_checked" "$(jqv .signature)" '"not_checked"'
expect_json 0 OK "--verify-proof --no-key" --verify-proof $T/proof.json --no-key
expect_eq "--no-key proof: not_checked, a warning" "$(jqv '[.signature,(.warnings|length)]')" '["not_checked",1]'
expect_json 0 OK "--verify-proof pinned" --verify-proof $T/proof.json $HK
expect_eq "pinned proof: signature valid" "$(jqv .signature)" '"valid"'
jq -c '.header_pubkey = null' $T/proof.json >$T/p_nokey.json
expect_json 0 OK "proof without a recorded key, pinned" --verify-proof $T/p_nokey.json $HK
expect_json 1 SIGNATURE_INVALID "proof without a recorded key, wrong pin" --verify-proof $T/p_nokey.json $EK
expect_json 1 SIGNATURE_INVALID "--verify-proof wrong pin" --verify-proof $T/proof.json $EK
jq -c '.leaf_preimage |= sub("\"sequence\":4"; "\"sequence\":5")' $T/proof.json >$T/p_pre.json
expect_json 1 PROOF_INVALID "tampered preimage" --verify-proof $T/p_pre.json
jq -c '.proof[0].sibling |= ("0" + .[1:])' $T/proof.json >$T/p_sib.json
expect_json 1 PROOF_INVALID "tampered sibling" --verify-proof $T/p_sib.json
jq -c '.lead_id = "someone-else"' $T/proof.json >$T/p_lead.json
expect_json 1 NOT_INCLUDED "proof for another lead" --verify-proof $T/p_lead.json
jq -c '.header.event_count = 6 | .event_count = 6' $T/proof.json >$T/p_cnt.json
expect_json 1 SIGNATURE_INVALID "proof with a lying count" --verify-proof $T/p_cnt.json $HK
expect_json 1 KEY_NOT_PINNED "proof with a lying count, unpinned" --verify-proof $T/p_cnt.json
expect_json 2 MALFORMED_INPUT "proof not JSON" --verify-proof $T/junk
expect_exit 1 "no proof written on failure" "$B" --proof-out $T/never.json nobody vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
[ ! -e $T/never.json ] && pass || failt "proof written for a failed verification"

# ---- network: the full chain by transaction id, from 127.0.0.1
expect_json 2 OFFLINE "--offline refuses a txid" --offline "$L1" $TX1 $HK
. tests/cli/net.sh
PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$PORT" >"$T/http.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$T_TMP"' EXIT
wait_port "$PORT" || failt "HTTP server did not start"
URL=http://127.0.0.1:$PORT
expect_json 0 OK "txid + --attestation (hardware -> key -> header -> root -> event)" --gateway "$URL" --attestation "$URL" --at doc --root $T/root.der --expect-pcr "0=$PCR0" --save $T/saved "$L1" $TX1
expect_eq "attestation check first and ok" "$(jqv '[.checks[0].name,.checks[0].ok,.signature]')" '["attestation",true,"valid"]'
cmp -s $T/saved "$T/www/$TX1" && pass || failt "--save writes the bytes received"
expect_json 0 OK "--offline replay of the saved checkpoint" --offline "$L1" $T/saved $HK
expect_json 0 OK "txid serving the /tx/data base64url body" --gateway "$URL/" "$L1" $TX2 $HK
expect_eq "base64url over HTTP verified" "$(jqv '[.signature,.checkpoint.era]')" '["valid","C/D"]'
expect_json 0 OK "checkpoint by URL" "$L1" "$URL/$TX1" $HK
# "--NAME=VALUE" is "--NAME VALUE"; a flag given a value, and an unknown "=" option, are usage errors
expect_json 0 OK "--gateway= --attestation= --at= --root= --save= forms" --gateway="$URL" --attestation="$URL" --at=doc --root=$T/root.der --expect-pcr="0=$PCR0" --save=$T/saved_eq "$L1" $TX1
# an attestation whose PCR0 nobody pinned proves genuine hardware, not Leadpoet's code
expect_json 1 PCR_NOT_PINNED "--attestation without a pinned PCR0" --gateway "$URL" --attestation "$URL" --at doc --root $T/root.der "$L1" $TX1
expect_eq "unpinned attestation: nothing verified with its key" "$(jqv '[.checks[0].name,.checks[0].code,.signature,.attestation.result]')" '["attestation","PCR_NOT_PINNED","not_checked","PCR_NOT_PINNED"]'
expect_json 1 KEY_NOT_PINNED "--attestation --any-pcr: the key is not a pinned one" --gateway "$URL" --attestation "$URL" --at doc --root $T/root.der --any-pcr "$L1" $TX1
expect_eq "--any-pcr: signature checked, key_pinned fails" "$(jqv '[.signature,(.checks[]|select(.ok==false)|.name)]')" '["valid","key_pinned"]'
expect_json 0 OK "--attestation --any-pcr --no-key" --gateway "$URL" --attestation "$URL" --at doc --root $T/root.der --any-pcr --no-key "$L1" $TX1
expect_eq "--any-pcr --no-key: valid, warned" "$(jqv '[.signature,(.warnings|length)]')" '["valid",1]'
expect_json 1 PCR_MISMATCH "--attestation with another PCR0 pinned" --gateway "$URL" --attestation "$URL" --at doc --root $T/root.der --expect-pcr "0=$(printf '%096d' 0)" "$L1" $TX1
cmp -s $T/saved_eq "$T/www/$TX1" && pass || failt "--save=FILE writes the bytes received"
expect_json 1 UNTRUSTED_ROOT "--attestation= without the test root" --gateway="$URL" --attestation="$URL/attest" --at=doc "$L1" $TX1
expect_json 2 USAGE "--json=1 (a flag takes no value)" --json=1 "$L1" $TX1 $HK
expect_json 2 USAGE "--nosuch=1" --nosuch=1 "$L1" $TX1 $HK
expect_json 2 USAGE "--expect-pcr= malformed" --gateway="$URL" --attestation="$URL" --at=doc --root=$T/root.der --expect-pcr=0=zz "$L1" $TX1
expect_json 2 NETWORK_ERROR "unknown txid (404)" --gateway "$URL" "$L1" $TX3 $HK
expect_json 1 UNTRUSTED_ROOT "--attestation without the test root" --gateway "$URL" --attestation "$URL/attest" --at doc "$L1" $TX1
expect_json 1 USER_DATA_MISMATCH "--attestation with a swapped key" --gateway "$URL" --attestation $T/attest_wrong_key.json --at doc --root $T/root.der --expect-pcr "0=$PCR0" "$L1" $TX1
expect_json 2 USAGE "key and --attestation together" --attestation "$URL" "$L1" $TX1 $HK
kill $SERVER_PID 2>/dev/null
DEAD=$(free_port)
expect_json 2 NETWORK_ERROR "connection refused" --gateway "http://127.0.0.1:$DEAD" "$L1" $TX1 $HK

finish verify_merkle_inclusion
