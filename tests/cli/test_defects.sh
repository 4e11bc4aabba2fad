#!/bin/sh
# Regression tests for the defects of the d682e6f review (shared spec
# code-review.md, "Small defects"; issue 13) that a user of the tools can see.
# Each section names its defect; each failed on the tools of that commit.
# Fixtures are made here from the vectors; checkpoints whose headers are changed
# are re-signed with the vector's own signer seed (python3-cryptography), so the
# tools judge a hostile header that is validly signed.
. tests/cli/lib.sh
T=$T_TMP
HK=760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54
L1=8b6482bf-116e-41db-b8ec-a87ba3c86b8b
python3 - "$T" <<'PY' || { echo "fixture generation failed"; echo "test_defects: 0 passed, 1 failed"; exit 1; }
import json, sys, os, base64, gzip, hashlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
t = sys.argv[1]
v1 = json.load(open('vectors/leadpoet/checkpoint_v1.json'))
sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v1['checkpoint_signer_seed_hex']))
assert sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex() == v1['checkpoint_signer_pubkey']
def sign(p):
    # §5.2: Ed25519 over SHA-256 of json.dumps(header, sort_keys=True)
    d = hashlib.sha256(json.dumps(p['header'], sort_keys=True).encode()).digest()
    p['signature'] = sk.sign(d).hex()
    return p
w = lambda n, b: open(os.path.join(t, n), 'wb').write(b if isinstance(b, bytes) else b.encode())
raw = open('vectors/leadpoet/checkpoint_v1.arweave_payload.json').read()
# defect 6 (terminal escapes): the lead's records carry an event_type with ESC/OSC/BEL
p = json.loads(raw)
ev = json.loads(gzip.decompress(base64.b64decode(p['events_compressed'])))
for e in ev:
    if json.dumps(e).find('8b6482bf-116e-41db-b8ec-a87ba3c86b8b') >= 0:
        e['event_type'] = '\x1b[2J\x1b]0;owned\x07EVIL'
p['events_compressed'] = base64.b64encode(gzip.compress(json.dumps(ev).encode(), mtime=0)).decode()
w('esc_event.json', json.dumps(p))
# defect 6: a header time string with escapes (signed), after a good checkpoint
q = json.loads(v1['second_checkpoint']['arweave_payload_text'])
q['header']['time_range']['start'] = '\x1b[31m2025-12-01T12:00:01Z'
w('esc_time.json', json.dumps(sign(q)))
w('cp1.json', raw)
# defects 2-3 (signed overflow): checkpoint_number INT64_MAX, then any successor;
# sequence_range spanning the whole int64 range
q = json.loads(raw); q['header']['checkpoint_number'] = 2**63 - 1; w('num_max.json', json.dumps(sign(q)))
q = json.loads(raw); q['header']['sequence_range'] = {'first': -2**63, 'last': 2**63 - 1}; w('seq_span.json', json.dumps(sign(q)))
q = json.loads(raw); q['header']['sequence_range'] = {'first': 2**63 - 5, 'last': 2**63 - 1}; w('seq_top.json', json.dumps(sign(q)))
q = json.loads(v1['second_checkpoint']['arweave_payload_text']); q['header']['checkpoint_number'] = -2**63
w('num_min.json', json.dumps(sign(q)))
PY
j() { jq -c "$1" "$T_TMP/out" 2>/dev/null; }
no_esc() {  # no control byte but newline reaches the terminal
  if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T_TMP/out" "$T_TMP/err"; then failt "$1: control bytes on the terminal"; else pass; fi
}

# ---- defect 6: untrusted bytes printed raw to the terminal ----
B=$LP_BIN/verify_merkle_inclusion
expect_exit 1 "escapes in event_type (text)" "$B" $L1 $T/esc_event.json $HK
no_esc "event_type"
grep -q 'match: leaf [0-9]* (\\x1b\[2J\\x1b\]0;owned\\x07EVIL)' "$T_TMP/out" && pass || failt "event_type shown escaped: $(grep match "$T_TMP/out")"
expect_exit 1 "escapes in event_type (json)" "$B" --json $L1 $T/esc_event.json $HK
expect_eq "JSON keeps event_type exactly" "$(j '[.matches[].event_type]|unique')" '["\u001b[2J\u001b]0;owned\u0007EVIL"]'
expect_eq "root mismatch is the verdict" "$(j .result)" '"ROOT_MISMATCH"'
A=$LP_BIN/audit_checkpoints
expect_exit 1 "escapes in a time string (text)" "$A" --pubkey $HK $T/cp1.json $T/esc_time.json
no_esc "time string"
grep -q '\\x1b\[31m2025-12-01T12:00:01Z' "$T_TMP/out" && pass || failt "time shown escaped"
expect_exit 1 "escapes in a time string (json)" "$A" --json --pubkey $HK $T/cp1.json $T/esc_time.json
expect_eq "the time link fails on it" "$(j '[.checks[]|select(.ok==false)|.name]')" '["link[0->1].time_range"]'

# ---- defect 7: report data dropped for bytes that are not UTF-8 ----
expect_exit 1 "non-UTF-8 lead id" "$B" --json "$(printf 'lead\377\376')" vectors/leadpoet/checkpoint_v1.arweave_payload.json $HK
grep -q '"lead_id":"lead\\udcff\\udcfe"' "$T_TMP/out" && pass || failt "lead_id kept (surrogateescape): $(grep -o '"lead_id":"[^"]*"' "$T_TMP/out")"
expect_eq "lead_search reported" "$(j '[.result,(.checks[]|select(.name=="lead_search")|.ok)]')" '["NOT_INCLUDED",false]'
expect_stderr_line "non-UTF-8 lead id: one line" '^verify_merkle_inclusion: NOT_INCLUDED: lead_search: .*lead\\xff\\xfe'

# ---- defects 2 and 3: signed overflow on unauthenticated header integers ----
# (the sanitizer pass aborts on undefined behaviour; every run must end in a verdict)
expect_exit 1 "checkpoint_number INT64_MAX then a successor" "$A" --json --pubkey $HK $T/num_max.json $T/num_min.json
expect_eq "no successor of INT64_MAX" "$(j '[.checks[]|select(.name=="link[0->1].checkpoint_number")|[.ok,.code]]')" '[[false,"NUMBER_GAP"]]'
expect_eq "both signed checkpoints verify" "$(j '[.checkpoints[].signature]')" '["valid","valid"]'
expect_exit 1 "sequence_range over all of int64" "$B" --json $L1 $T/seq_span.json $HK
expect_eq "range of 2^64 numbers" "$(j '[.result,(.checks[]|select(.name=="sequence_range")|.code)]')" '["SEQUENCE_GAP","SEQUENCE_GAP"]'
expect_exit 1 "sequence_range ending at INT64_MAX" "$B" --json $L1 $T/seq_top.json $HK
expect_eq "top range checked without overflow" "$(j '(.checks[]|select(.name=="sequence_range")|.code)')" '"SEQUENCE_GAP"'
expect_exit 1 "a series after the top range" "$A" --json --pubkey $HK $T/seq_top.json $T/num_min.json
expect_eq "no sequence after INT64_MAX" "$(j '[.checks[]|select(.name=="link[0->1].sequence_range")|.code]')" '["SEQUENCE_GAP"]'

# ---- defect 9: "not a JSON array0" ----
printf '{}' >$T/obj.json
expect_exit 2 "log that is an object" "$LP_BIN/verify_log" --pubkey $HK $T/obj.json
expect_stderr_line "message names the array" 'not a JSON array'
grep -q 'array0' "$T_TMP/err" && failt "stray 0 in the message" || pass

# ---- defect 10: --expect-hash in upper case ----
W=vectors/replay/weights/drift_bundle.json
H=$(python3 -c "import json;print(json.load(open('$W'))['weights_hash'].upper())")
expect_exit 0 "upper-case --expect-hash of the right hash" "$LP_BIN/verify_weights" --json --expect-hash "$H" $W
expect_eq "upper-case expectation matches" "$(j '[.result,.expect_hash_match]')" '["OK",true]'
expect_exit 1 "upper-case --expect-hash of another hash" "$LP_BIN/verify_weights" --json --expect-hash "$(echo "$H" | tr 0-9A-F 1-9A-F0)" $W
expect_eq "another hash still differs" "$(j .result)" '"WEIGHTS_HASH_MISMATCH"'

# ---- defect 11: two URL tests disagreeing on case ----
for tool in verify_merkle_inclusion audit_checkpoints verify_attestation; do
  case $tool in
    verify_merkle_inclusion) set -- $L1 "Http://127.0.0.1:9/cp" $HK ;;
    audit_checkpoints) set -- --pubkey $HK "Http://127.0.0.1:9/cp" ;;
    *) set -- --any-pcr "HTTPS://127.0.0.1:9/" ;;
  esac
  expect_exit 2 "$tool: mixed-case scheme is a URL" "$LP_BIN/$tool" --json --offline "$@"
  expect_eq "$tool: refused offline, not read as a file" "$(j .result)" '"OFFLINE"'
done

# ---- defect 20: --max-age overflow ----
expect_exit 2 "--max-age past int64" "$LP_BIN/verify_attestation" --json --max-age 99999999999999999999 --any-pcr vectors/nitro/real/marlin-aws-2024-12-13.cose
expect_eq "--max-age overflow is a usage error" "$(j .result)" '"USAGE"'
expect_exit 2 "--max-age with a sign" "$LP_BIN/verify_attestation" --json --max-age -5 --any-pcr vectors/nitro/real/marlin-aws-2024-12-13.cose
expect_eq "--max-age -5 is a usage error" "$(j .result)" '"USAGE"'

finish test_defects
