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
grep -q 'not verified' "$T_TMP/out" && pass || failt "signature caveat"

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
