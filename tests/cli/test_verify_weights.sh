#!/bin/sh
# verify_weights as a user runs it: every manifest case derived from the
# vectors (vectors/replay/README.md), then human output, stdin and usage errors.
. tests/cli/lib.sh
. tests/cli/replay_cases.sh
T="$LP_BIN/verify_weights"
run_cases verify_weights

B=vectors/replay/weights/drift_bundle.json
expect_exit 0 "human" "$T" "$B"
grep -q '^bundle_weights_hash: 7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8$' "$T_TMP/out" && pass || failt "human hash line"
grep -q '^weights_hash: match$' "$T_TMP/out" && pass || failt "human weights_hash line"
expect_exit 1 "human drift" "$T" --against vectors/replay/weights/drift_fail_plus2.against.json "$B"
grep -q '^against: AUDITOR_MISMATCH (beyond +-1; .*max diff 2; differing uids: 5)$' "$T_TMP/out" && pass || failt "human against line: $(cat "$T_TMP/out")"
expect_stderr_line "drift reason" "^verify_weights: AUDITOR_MISMATCH: epoch_audit: 1 uids beyond \+-1, largest difference 2 \(uids 5\)"
expect_exit 0 "binding human" "$T" --hotkey 5Fabc --chain wss://x --enclave-pubkey ab --code-hash cd "$B"
grep -q '^binding message for 5Fabc: LEADPOET_VALIDATOR_BINDING|netuid=71|chain=wss://x|enclave_pubkey=ab|validator_code_hash=cd|version=1$' "$T_TMP/out" && pass || failt "binding line"
grep -q 'binding_signature.*not checked' "$T_TMP/out" && pass || failt "signature caveat"

# The hotkey's sr25519 signature over the binding message (vectors/sr25519 pub-001: a v1
# binding for netuid 71 signed by schnorrkel-compatible @scure/sr25519, verdict from
# schnorrkel 0.11.4).
V=vectors/sr25519/sr25519_vectors.json
f() { python3 -c 'import json,sys; c=[x for x in json.load(open(sys.argv[1]))["cases"] if x["id"]==sys.argv[2]][0]; print(eval(sys.argv[3]))' "$V" "$@"; }
MSG=$(f pub-001 'c["message_text"]'); HK=$(f pub-001 'c["ss58_address"]'); SIG=$(f pub-001 'c["signature_hex"]')
PK=$(printf %s "$MSG" | sed 's/.*enclave_pubkey=\([0-9a-f]*\).*/\1/'); CH=$(printf %s "$MSG" | sed 's/.*validator_code_hash=\([0-9a-f]*\).*/\1/')
CHAIN=wss://entrypoint-finney.opentensor.ai:443
expect_exit 0 "hotkey signature over --binding" "$T" --json --binding "$MSG" --chain "$CHAIN" --enclave-pubkey "$PK" --code-hash "$CH" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
python3 - "$T_TMP/out" <<'PY' && pass || failt "hotkey signature json"
import json, sys
d = json.load(open(sys.argv[1]))
b = d["binding"]
assert d["result"] == "OK" and b["sr25519_signature_verified"] is True, d
assert b["hotkey_signature"] == {"reason": "OK", "public_key": "dee55f2736ebbf4c8db0cfddfdeb02cfcb675b322963a7085b185ebe932e9d47", "ss58_prefix": 42, "bytes_wrapped": False}, b
assert [c["name"] for c in d["checks"]][-4:] == ["binding_create", "binding_parse", "binding_fields", "binding_signature"]
assert d["warnings"] == [] and all(c["ok"] for c in d["checks"])
PY
expect_exit 0 "hotkey signature over the built message" "$T" --chain "$CHAIN" --enclave-pubkey "$PK" --code-hash "$CH" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
grep -q '^binding hotkey signature: verified (OK)$' "$T_TMP/out" && pass || failt "hotkey human line"
expect_exit 0 "hotkey signature, --binding alone" "$T" --binding "$MSG" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
# negatives: another message's signature, another key, bad hex, a changed message
HK3=$(f pub-003 'c["ss58_address"]'); SIG3=$(f pub-003 'c["signature_hex"]')
expect_exit 1 "signature of another message" "$T" --json --binding "$MSG" --hotkey "$HK3" --hotkey-signature "$SIG3" "$B"
grep -q '"result":"HOTKEY_SIGNATURE_INVALID"' "$T_TMP/out" && grep -q '"reason":"EQUATION_FALSE"' "$T_TMP/out" && pass || failt "another message json: $(cat "$T_TMP/out")"
expect_stderr_line "another message stderr" "^verify_weights: HOTKEY_SIGNATURE_INVALID: binding_signature: EQUATION_FALSE: "
expect_exit 1 "another hotkey" "$T" --binding "$MSG" --hotkey "$HK3" --hotkey-signature "$SIG" "$B"
expect_stderr_line "another hotkey stderr" "HOTKEY_SIGNATURE_INVALID: binding_signature: EQUATION_FALSE"
expect_exit 1 "0x signature" "$T" --binding "$MSG" --hotkey "$HK" --hotkey-signature "0x$SIG" "$B"
expect_stderr_line "0x stderr" "HOTKEY_SIGNATURE_INVALID: binding_signature: SIG_HEX_INVALID"
expect_exit 1 "bad address" "$T" --binding "$MSG" --hotkey "0$HK" --hotkey-signature "$SIG" "$B"
expect_stderr_line "bad address stderr" "HOTKEY_SIGNATURE_INVALID: binding_signature: SS58_BAD_BASE58"
expect_exit 1 "changed message" "$T" --binding "$(printf %s "$MSG" | sed 's/version=1/version=2/')" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
expect_exit 1 "built for another enclave key" "$T" --chain "$CHAIN" --enclave-pubkey "00$PK" --code-hash "$CH" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
expect_stderr_line "built message stderr" "HOTKEY_SIGNATURE_INVALID"
expect_exit 1 "unparsable binding: refused before the signature" "$T" --json --binding "X|$MSG" --hotkey "$HK" --hotkey-signature "$SIG" "$B"
grep -q '"result":"BINDING_REJECTED"' "$T_TMP/out" && ! grep -q '"name":"binding_signature"' "$T_TMP/out" && pass || failt "unparsable binding"
expect_exit 2 "--hotkey-signature without --hotkey" "$T" --binding "$MSG" --hotkey-signature "$SIG" "$B"
expect_exit 2 "--hotkey without a binding" "$T" --hotkey "$HK" "$B"
expect_exit 2 "--strict without a signature" "$T" --binding "$MSG" --hotkey "$HK" --strict "$B"

expect_exit 0 "stdin" sh -c "\"$T\" --json - < $B"
expect_exit 2 "no file" "$T"
expect_exit 2 "bad --expect-hash" "$T" --expect-hash 1234 "$B"
expect_stderr_line "bad --expect-hash msg" "^verify_weights: USAGE: --expect-hash"
expect_exit 2 "partial binding options" "$T" --chain x "$B"
expect_exit 2 "missing against" "$T" --json --against vectors/replay/none.json "$B"
grep -q '"result":"IO_ERROR"' "$T_TMP/out" && pass || failt "IO_ERROR json"
expect_exit 2 "unknown option" "$T" --tolerance 2 "$B"
expect_exit 0 "--help" "$T" --help

expect_exit 0 "json shape" "$T" --json --against vectors/replay/weights/drift_pm1.against.json "$B"
python3 - "$T_TMP/out" <<'PY' && pass || failt "json shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == sorted(d)
assert [c["name"] for c in d["checks"]] == ["input", "invariants", "weights_hash", "epoch_audit"]
assert d["against"]["status"] == "VERIFIED" and d["uids"] == [1, 5, 10]
PY

finish test_verify_weights
