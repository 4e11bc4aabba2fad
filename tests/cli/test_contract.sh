#!/bin/sh
# The contract every tool keeps (README "Conventions"), checked the same way for
# every tool: a usage error, an unreadable file, malformed input and a verified input each
# give exactly one JSON object on stdout under --json (json.dumps(sort_keys=True,
# separators=(",", ":")) of itself, with "tool", "result", "checks", "warnings"),
# exactly one "TOOL: CODE: ..." line on stderr when not OK and none when OK, the exit
# class of the code (0 OK, 1 verification failed, 2 undecided), and in text mode the
# verdict as the last line.  Expected codes and pins come from the vectors.
. tests/cli/lib.sh
T=$T_TMP
VERSION=$(cat VERSION)
HK=760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54
EK=efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780
LEAD=8b6482bf-116e-41db-b8ec-a87ba3c86b8b
DOC=vectors/nitro/real/marlin-aws-2024-12-13.cose
PCR0=189038eccf28a3a098949e402f3b3d86a876f4915c5b02d546abb5d8c507ceb1755b8192d8cfca66e8f226160ca4c7a6
EIF_PCR0=$(python3 -c "import json;print(json.load(open('vectors/eif/expected.json'))['unsigned']['PCR0'])")
python3 - "$T" <<'PY' || { echo "fixture generation failed"; echo "test_contract: 0 passed, 1 failed"; exit 1; }
import json, sys, os
t = sys.argv[1]
d = json.load(open('vectors/leadpoet/event_signing.json'))
open(os.path.join(t, 'log.json'), 'w').write(json.dumps([e['log_entry'] for e in d['entries']]))
# printable, not JSON, not a COSE document, longer than an EIF header, no ".eif" magic
w = json.load(open('vectors/leadpoet-v2/weights_v2.json'))['weight_computation']
open(os.path.join(t, 'snapshot.json'), 'w').write(json.dumps(w[0]['snapshot']))
open(os.path.join(t, 'refused.json'), 'w').write(json.dumps(w[6]['snapshot']))
open(os.path.join(t, 'claim.json'), 'w').write(json.dumps(w[1]['result']))
pb = json.load(open('vectors/leadpoet-v2/weights_v2.json'))['published_weight_bundles_v2']
open(os.path.join(t, 'bundle.json'), 'w').write(json.dumps(pb['valid'][0]['bundle']))
open(os.path.join(t, 'tampered.json'), 'w').write(json.dumps(pb['tampered'][0]['bundle']))
open(os.path.join(t, 'garbage'), 'wb').write(b'garbage, not evidence {[' * 30 + b'\n')
PY

# canonical_json FILE: FILE is one line, and that line is its own canonical form
canonical_json() {
  python3 - "$1" <<'PY'
import json, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.endswith(b'\n') and raw.count(b'\n') == 1, 'not exactly one line'
o = json.loads(raw)
assert isinstance(o, dict), 'not an object'
assert raw.decode('ascii') == json.dumps(o, sort_keys=True, separators=(',', ':')) + '\n', 'not canonical'
for k in ('tool', 'result', 'checks', 'warnings'):
    assert k in o, 'missing ' + k
for c in o['checks']:
    assert set(c) >= {'name', 'ok', 'detail'}, c
    assert c['ok'] or 'code' in c, c
print(o['tool'], o['result'])
PY
}

# contract TOOL WANT_EXIT WANT_CODE DESC ARGS...: --json run, then the same in text mode
contract() {
  c_tool=$1; c_want=$2; c_code=$3; c_desc=$4; shift 4
  expect_exit "$c_want" "$c_tool $c_desc (json)" "$LP_BIN/$c_tool" --json "$@"
  expect_eq "$c_tool $c_desc: one canonical object" "$(canonical_json "$T_TMP/out" 2>&1)" "$c_tool $c_code"
  if [ "$c_code" = OK ]; then
    expect_eq "$c_tool $c_desc: stderr empty" "$(cat "$T_TMP/err")" ""
  elif [ "$c_want" = 0 ]; then
    # a success that names an opt-out (OK_STRUCTURAL): the one warning line
    expect_stderr_line "$c_tool $c_desc: one warning line" "^$c_tool: warning: "
  else
    expect_stderr_line "$c_tool $c_desc: one stderr line" "^$c_tool: $c_code: "
  fi
  expect_exit "$c_want" "$c_tool $c_desc (text)" "$LP_BIN/$c_tool" "$@"
  last=$(tail -n 1 "$T_TMP/out")
  case "$c_want" in 0) pre="" ;; 1) pre="FAILED: $c_code" ;; *) pre="UNDECIDED: $c_code" ;; esac
  if [ "$c_tool" = canonicalize ]; then
    # its text output is the serialisation itself: nothing on stdout when it fails
    [ "$c_want" = 0 ] || expect_eq "$c_tool $c_desc (text): stdout empty" "$(cat "$T_TMP/out")" ""
  else
    case "$c_want:$last" in
      0:FAILED*|0:UNDECIDED*|0:) failt "$c_tool $c_desc: text verdict '$last'" ;;
      0:*) pass ;;
      *:"$pre"|*:"$pre: "*) pass ;;
      *) failt "$c_tool $c_desc: text verdict '$last', want '$pre...'" ;;
    esac
  fi
  if [ "$c_code" = OK ]; then
    expect_eq "$c_tool $c_desc (text): stderr empty" "$(cat "$T_TMP/err")" ""
  elif [ "$c_want" = 0 ]; then
    expect_stderr_line "$c_tool $c_desc (text): one warning line" "^$c_tool: warning: "
  else
    expect_stderr_line "$c_tool $c_desc (text): one stderr line" "^$c_tool: $c_code: "
  fi
}

for tool in canonicalize verify_attestation recompute_pcr0 replay_consensus verify_weights \
            verify_merkle_inclusion audit_checkpoints verify_log verify_weight_submission \
            verify_hotkey_signature recompute_weights verify_weight_bundle replay_sn46; do
  expect_exit 0 "$tool --version" "$LP_BIN/$tool" --version
  expect_eq "$tool --version text" "$(cat "$T_TMP/out")" "$tool $VERSION"
  expect_eq "$tool --version stderr" "$(cat "$T_TMP/err")" ""
  expect_exit 0 "$tool --help" "$LP_BIN/$tool" --help
  grep -q "^usage: $tool " "$T_TMP/out" && pass || failt "$tool --help: no usage line"
  expect_eq "$tool --help stderr" "$(cat "$T_TMP/err")" ""
  # usage errors, with --json before and after the fault
  expect_exit 2 "$tool unknown option" "$LP_BIN/$tool" --json --no-such-option
  expect_eq "$tool unknown option: JSON" "$(canonical_json "$T_TMP/out" 2>&1)" "$tool USAGE"
  expect_stderr_line "$tool unknown option: stderr" "^$tool: USAGE: "
  expect_exit 2 "$tool unknown option, --json last" "$LP_BIN/$tool" --no-such-option --json
  expect_eq "$tool unknown option, --json last: JSON" "$(canonical_json "$T_TMP/out" 2>&1)" "$tool USAGE"
  expect_exit 2 "$tool no arguments" "$LP_BIN/$tool" --json
  expect_eq "$tool no arguments: JSON" "$(canonical_json "$T_TMP/out" 2>&1)" "$tool USAGE"
  expect_stderr_line "$tool no arguments: stderr" "^$tool: USAGE: "
  expect_exit 2 "$tool unknown option (text)" "$LP_BIN/$tool" --no-such-option
  expect_stderr_line "$tool unknown option (text): stderr" "^$tool: USAGE: "
  expect_eq "$tool unknown option (text): verdict" "$(tail -n 1 "$T_TMP/out" | cut -d: -f1-2)" "UNDECIDED: USAGE"
  expect_exit 2 "$tool --json=x" "$LP_BIN/$tool" --json=x
  expect_eq "$tool --json=x: JSON" "$(canonical_json "$T_TMP/out" 2>&1)" "$tool USAGE"
done

# unreadable input, malformed input, verified input
M=$T/missing
contract canonicalize 2 IO_ERROR "missing file" --profile compact-sorted-ascii "$M"
contract canonicalize 2 JSON_SYNTAX "malformed" --profile compact-sorted-ascii "$T/garbage"
expect_exit 0 "canonicalize verified (json)" "$LP_BIN/canonicalize" --json --profile compact-sorted-ascii vectors/demo/bundle_weights_docstring_example.json
expect_eq "canonicalize OK object" "$(canonical_json "$T_TMP/out" 2>&1)" "canonicalize OK"
expect_eq "canonicalize OK stderr" "$(cat "$T_TMP/err")" ""

contract verify_attestation 2 IO_ERROR "missing file" --at doc --expect-pcr "0=$PCR0" "$M"
contract verify_attestation 2 INPUT_DECODE_ERROR "malformed" --at doc --expect-pcr "0=$PCR0" "$T/garbage"
contract verify_attestation 0 OK "verified" --at doc --expect-pcr "0=$PCR0" "$DOC"
contract verify_attestation 1 PCR_NOT_PINNED "no PCR0 pinned" --at doc "$DOC"

contract recompute_pcr0 2 IO_ERROR "missing file" "$M"
contract recompute_pcr0 2 BAD_MAGIC "malformed" "$T/garbage"
contract recompute_pcr0 0 OK "verified" --expect-pcr0 "$EIF_PCR0" vectors/eif/synthetic-unsigned.eif

contract replay_consensus 2 IO_ERROR "missing file" "$M"
contract replay_consensus 2 JSON_SYNTAX "malformed" "$T/garbage"
contract replay_consensus 0 OK "verified" vectors/replay/commitments.json

contract verify_weights 2 IO_ERROR "missing file" "$M"
contract verify_weights 2 JSON_SYNTAX "malformed" "$T/garbage"
contract verify_weights 0 OK "verified" vectors/replay/weights/drift_bundle.json

CP=vectors/leadpoet/checkpoint_v1.arweave_payload.json
contract verify_merkle_inclusion 2 IO_ERROR "missing file" "$LEAD" "$M" "$HK"
contract verify_merkle_inclusion 2 MALFORMED_INPUT "malformed" "$LEAD" "$T/garbage" "$HK"
contract verify_merkle_inclusion 0 OK "verified" "$LEAD" "$CP" "$HK"
contract verify_merkle_inclusion 1 KEY_NOT_PINNED "no key pinned" "$LEAD" "$CP"

contract audit_checkpoints 2 IO_ERROR "missing file" --pubkey "$HK" "$M"
contract audit_checkpoints 2 MALFORMED_INPUT "malformed" --pubkey "$HK" "$T/garbage"
contract audit_checkpoints 0 OK "verified" --pubkey "$HK" "$CP"
contract audit_checkpoints 1 KEY_NOT_PINNED "no key pinned" "$CP"

contract verify_log 2 IO_ERROR "missing file" --pubkey "$EK" "$M"
contract verify_log 2 JSON_SYNTAX "malformed" --pubkey "$EK" "$T/garbage"
contract verify_log 0 OK "verified" --pubkey "$EK" "$T/log.json"
contract verify_log 1 KEY_NOT_PINNED "no key pinned" "$T/log.json"

contract recompute_weights 2 IO_ERROR "missing file" "$M"
contract recompute_weights 2 JSON_SYNTAX "malformed" "$T/garbage"
contract recompute_weights 0 OK "computed" "$T/snapshot.json"
contract recompute_weights 2 WEIGHT_COMPUTATION_ERROR "refused snapshot" "$T/refused.json"
contract recompute_weights 1 RESULT_MISMATCH "another snapshot's result" --expect-result "$T/claim.json" "$T/snapshot.json"
contract verify_weight_bundle 2 IO_ERROR "missing file" "$M"
contract verify_weight_bundle 2 JSON_SYNTAX "malformed" "$T/garbage"
contract verify_weight_bundle 0 OK_STRUCTURAL "verified, opt-outs named" --no-boot-attestation --no-hotkey-signature "$T/bundle.json"
contract verify_weight_bundle 1 WEIGHT_AUTHORITY_V2_ERROR "tampered bundle" --no-boot-attestation --no-hotkey-signature "$T/tampered.json"
contract verify_weight_bundle 1 BOOT_ATTESTATION_INVALID "placeholder boot documents, by default" --no-hotkey-signature "$T/bundle.json"
S46=vectors/subnet46/cases
contract replay_sn46 2 IO_ERROR "missing file" "$M"
contract replay_sn46 2 INPUT_MALFORMED "malformed" "$T/garbage"
contract replay_sn46 0 OK "replayed, claims match" "$S46/p01-r1118-clean.input.json"
contract replay_sn46 1 SCORE_MISMATCH "claimed score one ulp off" "$S46/p06-r1118-score-ulp.input.json"
contract replay_sn46 1 ASSIGNMENT_COOLDOWN_VIOLATION "zipcode reassigned within 24 h" "$S46/p13-assign-cooldown.input.json"

finish test_contract
