#!/bin/sh
# verify_weight_submission as a user runs it, on submissions written by the Check
# binary test_submission (LP_SUBMISSION_FIXTURES=DIR): a test-chain attestation (its
# root passed with --root, its PCR0 pinned with --expect-pcr), an sr25519-signed binding
# and an Ed25519-signed bundle.  Exit codes, --json "result", the one stderr line,
# not_checked reporting and --any-pcr.
. tests/cli/lib.sh
T="$LP_BIN/verify_weight_submission"
F="$T_TMP/fx"
mkdir -p "$F"
if ! LP_SUBMISSION_FIXTURES="$F" "${BUILD:-build}/tests/test_submission" >"$T_TMP/gen.log" 2>&1; then
  cat "$T_TMP/gen.log"
  echo "test_verify_weight_submission: 0 passed, 1 failed"
  exit 1
fi
PIN="0=$(cat "$F/pcr0.hex")"
A="--root $F/root.der --at $(cat "$F/at.txt")"
GW="--gateway-block $(cat "$F/gateway_block.txt")"
STATE="--allowed-hotkeys $F/allowed.json --accepted $F/accepted_other.json $GW"

# json_get KEY: a top-level member of the last --json output (compact JSON)
json_get() { python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v if isinstance(v, str) else json.dumps(v))" "$T_TMP/out" "$1"; }

# case_json WANT_EXIT WANT_RESULT DESC ARGS...: --json result and, when not OK, the stderr line
case_json() {
  w=$1; res=$2; d=$3; shift 3
  expect_exit "$w" "$d" "$T" --json "$@"
  expect_eq "$d: result" "$(json_get result)" "$res"
  if [ "$res" = OK ]; then :; else expect_stderr_line "$d: stderr" "^verify_weight_submission: $res: "; fi
}

# every gateway step given and passing
case_json 0 OK "valid, full state" $A --expect-pcr "$PIN" $STATE "$F/valid.json"
expect_eq "valid: nothing unchecked" "$(json_get not_checked)" "[]"
expect_eq "valid: pcr0 pinned" "$(json_get pcr0_pinned)" "true"
expect_eq "valid: hash" "$(json_get bundle_weights_hash)" "54f4f4d9f603cf2f571389c0a5743f9d5196b005f1ad5a55d49ab887d93b0c72"
expect_eq "valid: stderr empty" "$(cat "$T_TMP/err")" ""
expect_exit 0 "valid (text)" "$T" $A --expect-pcr "$PIN" $STATE "$F/valid.json"
expect_eq "valid (text): verdict" "$(tail -n 1 "$T_TMP/out")" "OK: the gateway's mandatory checks pass for this weight submission"
expect_exit 0 "stdin" sh -c "\"$T\" $A --expect-pcr $PIN $STATE - < \"$F/valid.json\""

# without gateway state: OK, steps 2-4 named as not checked (member, text, warning)
case_json 0 OK "no state" $A --expect-pcr "$PIN" "$F/valid.json"
expect_eq "no state: not_checked" "$(json_get not_checked)" '["allowed_hotkeys", "accepted", "gateway_block"]'
expect_stderr_line "no state: warning line" "^verify_weight_submission: warning: not checked without gateway state: allowed_hotkeys, accepted, gateway_block$"
expect_exit 0 "no state (text)" "$T" $A --expect-pcr "$PIN" "$F/valid.json"
grep -q '^not checked (no gateway state given): allowed_hotkeys, accepted, gateway_block$' "$T_TMP/out" && pass || failt "no state: text line"
case_json 0 OK "only the block" $A --expect-pcr "$PIN" $GW "$F/valid.json"
expect_eq "only the block: not_checked" "$(json_get not_checked)" '["allowed_hotkeys", "accepted"]'

# PCR0: not pinned (exit 1), --any-pcr (OK, named), another value
case_json 1 PCR_NOT_PINNED "unpinned" $A $STATE "$F/valid.json"
case_json 0 OK "--any-pcr" $A --any-pcr $STATE "$F/valid.json"
expect_eq "--any-pcr: member" "$(json_get any_pcr)" "true"
expect_eq "--any-pcr: pcr0_pinned" "$(json_get pcr0_pinned)" "false"
expect_stderr_line "--any-pcr: warning line" "^verify_weight_submission: warning: --any-pcr: "
case_json 1 PCR_MISMATCH "another PCR0" $A --expect-pcr "0=$(printf '%096d' 7)" $STATE "$F/valid.json"
# the test chain is not the AWS root
case_json 1 UNTRUSTED_ROOT "AWS root" --at "$(cat "$F/at.txt")" --expect-pcr "$PIN" $STATE "$F/valid.json"

# one failing step each, the first failing step deciding
case_json 1 WEIGHTS_INVARIANT "step 1: unsorted uids" $A --expect-pcr "$PIN" $STATE "$F/unsorted.json"
case_json 1 HOTKEY_NOT_ALLOWED "step 2: not allowed" $A --expect-pcr "$PIN" --allowed-hotkeys "$F/allowed_other.json" "$F/valid.json"
case_json 1 HOTKEY_NOT_ALLOWED "step 2 before step 8" $A --expect-pcr "$PIN" --allowed-hotkeys "$F/allowed_other.json" "$F/wrong_hash.json"
case_json 1 DUPLICATE_SUBMISSION "step 3: duplicate" $A --expect-pcr "$PIN" --accepted "$F/accepted_dup.json" "$F/valid.json"
case_json 1 BLOCK_NOT_FRESH "step 4: stale" $A --expect-pcr "$PIN" --gateway-block 8614900 "$F/valid.json"
case_json 1 OUTSIDE_SUBMISSION_WINDOW "step 4: too early" $A --expect-pcr "$PIN" --gateway-block 8614769 "$F/too_early.json"
case_json 0 OK "step 4: --submission-block 300" $A --expect-pcr "$PIN" --gateway-block 8614769 --submission-block 300 "$F/too_early.json"
case_json 1 PURPOSE_MISMATCH "step 5: purpose" $A --expect-pcr "$PIN" $STATE "$F/wrong_purpose.json"
case_json 1 USER_DATA_MISMATCH "step 5: attested epoch" $A --expect-pcr "$PIN" $STATE "$F/wrong_att_epoch.json"
case_json 1 BINDING_MISMATCH "step 6: binding names another key" $A --expect-pcr "$PIN" $STATE "$F/binding_other_key.json"
case_json 1 BINDING_MISMATCH "step 6: another chain" $A --expect-pcr "$PIN" --chain wss://test.finney.opentensor.ai:443 "$F/valid.json"
case_json 1 BINDING_REJECTED "step 6: lone surrogate" $A --expect-pcr "$PIN" $STATE "$F/binding_surrogate.json"
case_json 1 HOTKEY_SIGNATURE_INVALID "step 6: hotkey signature" $A --expect-pcr "$PIN" $STATE "$F/hotkey_sig_other_msg.json"
expect_eq "step 6: sr25519 reason" "$(json_get hotkey_signature)" '{"bytes_wrapped": false, "reason": "EQUATION_FALSE", "verified": false}'
expect_stderr_line "step 6: stderr names the reason" "^verify_weight_submission: HOTKEY_SIGNATURE_INVALID: step6.hotkey_signature: sr25519: EQUATION_FALSE"
case_json 1 SIGNATURE_INVALID "step 7: enclave signature" $A --expect-pcr "$PIN" $STATE "$F/bad_enclave_sig.json"
case_json 1 SIGNATURE_INVALID "step 7 before the missing anchor" $A $STATE "$F/bad_enclave_sig.json"
case_json 1 WEIGHTS_HASH_MISMATCH "step 8: wrong hash, signed" $A --expect-pcr "$PIN" $STATE "$F/wrong_hash.json"
expect_exit 1 "step 8 (text)" "$T" $A --expect-pcr "$PIN" $STATE "$F/wrong_hash.json"
tail -n 1 "$T_TMP/out" | grep -q '^FAILED: WEIGHTS_HASH_MISMATCH: step8.bundle_weights_hash: weights_hash 0*ff differs from bundle_weights_hash 54f4f4d9' && pass || failt "step 8 (text): verdict $(tail -n 1 "$T_TMP/out")"

# undecided: usage, unreadable, malformed
case_json 2 USAGE "bad --gateway-block" $A --any-pcr --gateway-block 12x "$F/valid.json"
case_json 2 USAGE "no file" $A --any-pcr
case_json 2 IO_ERROR "missing file" $A --any-pcr "$F/none.json"
case_json 2 IO_ERROR "missing allowlist" $A --any-pcr --allowed-hotkeys "$F/none.json" "$F/valid.json"
printf '{"netuid": 71' >"$T_TMP/trunc.json"
case_json 2 JSON_SYNTAX "malformed" $A --any-pcr "$T_TMP/trunc.json"
printf '{"netuid": 71}' >"$T_TMP/short.json"
case_json 2 MISSING_FIELD "missing field" $A --any-pcr "$T_TMP/short.json"
printf '"5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf"\n' >"$T_TMP/allow_str.json"
case_json 2 BAD_TYPE "allowlist not a list" $A --any-pcr --allowed-hotkeys "$T_TMP/allow_str.json" "$F/valid.json"
expect_exit 0 "--help" "$T" --help

finish test_verify_weight_submission
