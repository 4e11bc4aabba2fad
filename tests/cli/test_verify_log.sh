#!/bin/sh
# verify_log over event_signing.json: the chain as exported, pinning, and the
# vector's negatives placed into the chain.
. tests/cli/lib.sh
B="$LP_BIN/verify_log"
T=$T_TMP
EK=efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780
HK=760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54
python3 - "$T" <<'PY' || { echo "fixture generation failed"; echo "verify_log: 0 passed, 1 failed"; exit 1; }
import json, sys, os
t = sys.argv[1]
d = json.load(open('vectors/leadpoet/event_signing.json'))
L = [e['log_entry'] for e in d['entries']]
w = lambda n, v: open(os.path.join(t, n), 'w').write(json.dumps(v))
w('log.json', L)
w('rm2.json', L[:2] + L[3:])
w('swap.json', L[:3] + [L[4], L[3]])
w('rows.json', [{'id': i, 'signed_log_entry': e} for i, e in enumerate(L)])
for n in d['negative']:
    if n['name'] in ('tampered_payload', 'tampered_hash', 'bad_signature', 'uppercase_event_hash_rejected_string_compare'):
        w('neg_' + n['name'] + '.json', L[:1] + [n['log_entry']])
# a second boot without its ENCLAVE_RESTART
x = json.loads(json.dumps(L)); x[4]['signed_event']['boot_id'] = 'other'
w('boot.json', x)
PY
j() { jq -c "$1" "$T/out" 2>/dev/null; }
expect_exit 0 "chain pinned" "$B" --json --pubkey $EK $T/log.json
expect_eq "all checks" "$(j '[.result,[.checks[].ok],.entries,.pubkey]')" '["OK",[true,true,true,true],5,"pinned"]'
# without a pinned key nothing is proven: KEY_NOT_PINNED (exit 1), every other check still run
expect_exit 1 "chain unpinned" "$B" --json $T/log.json
expect_eq "unpinned: KEY_NOT_PINNED, the rest holds" "$(j '[.result,.pubkey,[.checks[]|[.name,.ok]]]')" '["KEY_NOT_PINNED","not_pinned",[["entries",true],["pubkey_pinned",false],["hash_chain",true],["monotonic_seq",true],["restart_boundaries",true]]]'
expect_stderr_line "unpinned: one line" '^verify_log: KEY_NOT_PINNED: pubkey_pinned: '
expect_eq "unpinned: how to pin" "$(j .pin_hint)" '"pass --pubkey HEX, the enclave'"'"'s event-signing key"'
# --no-key: the explicit opt-in to an unchecked key, OK with one warning line
expect_exit 0 "chain, --no-key" "$B" --json --no-key $T/log.json
expect_eq "--no-key: OK, the key check a warning" "$(j '[.result,(.checks[]|select(.name=="pubkey_pinned")|[.ok,.warning,.code]),(.warnings|length)]')" '["OK",[false,true,"KEY_NOT_PINNED"],1]'
expect_stderr_line "--no-key: one warning line" '^verify_log: warning: --no-key: '
expect_exit 0 "rows wrapping signed_log_entry" "$B" --json --pubkey $EK $T/rows.json
expect_exit 0 "chain pinned, --pubkey=HEX" "$B" --json --pubkey=$EK $T/log.json
expect_eq "--pubkey=HEX pins" "$(j '[.result,.pubkey]')" '["OK","pinned"]'
expect_exit 1 "--pubkey=HEX with the header key" "$B" --json --pubkey=$HK $T/log.json
expect_eq "--pubkey=HEX mismatch" "$(j .result)" '"PUBKEY_MISMATCH"'
expect_exit 2 "--pubkey= empty" "$B" --json --pubkey= $T/log.json
expect_exit 2 "--pubkey without a value" "$B" --json $T/log.json --pubkey
expect_stderr_line "--pubkey needs a value" '^verify_log: USAGE: --pubkey needs a value'
expect_exit 1 "header key is not the event key" "$B" --json --pubkey $HK $T/log.json
expect_eq "pin mismatch" "$(j .result)" '"PUBKEY_MISMATCH"'
UP=$(echo $EK | tr a-f A-F)
expect_exit 1 "pin is case-sensitive" "$B" --json --pubkey $UP $T/log.json
expect_exit 1 "entry 2 removed" "$B" --json --pubkey $EK $T/rm2.json
expect_eq "chain broken at 2" "$(j '[.result,(.checks[]|select(.name=="hash_chain")|.detail)]')" '["CHAIN_BROKEN","entry 2: prev_event_hash does not link to entry 1'"'"'s event_hash"]'
expect_stderr_line "stderr" '^verify_log: CHAIN_BROKEN: '
expect_exit 1 "swapped" "$B" --json $T/swap.json
expect_eq "swapped: a broken chain outranks the missing pin" "$(j .result)" '"CHAIN_BROKEN"'
for n in tampered_payload tampered_hash uppercase_event_hash_rejected_string_compare; do
  expect_exit 1 "$n" "$B" --json --no-key $T/neg_$n.json
  expect_eq "$n result" "$(j .result)" '"EVENT_HASH_MISMATCH"'
done
expect_exit 1 "bad_signature" "$B" --json --no-key $T/neg_bad_signature.json
expect_eq "bad_signature result" "$(j .result)" '"EVENT_SIGNATURE_INVALID"'
expect_exit 1 "boot change without restart" "$B" --json --pubkey $EK $T/boot.json
expect_eq "boot result" "$(j '[.checks[]|select(.ok==false)|.name]')" '["entries","restart_boundaries"]'
expect_exit 0 "human" "$B" --pubkey $EK $T/log.json
expect_eq "human last line" "$(tail -n 1 $T/out)" "OK: the log verifies"
expect_exit 1 "human, unpinned" "$B" $T/log.json
expect_eq "human, unpinned: how to pin" "$(head -n 1 $T/out)" "no trusted key: pass --pubkey HEX, the enclave's event-signing key (or --no-key to accept an unchecked signature)"
expect_eq "human, unpinned: verdict" "$(tail -n 1 $T/out | cut -d: -f1-3)" "FAILED: KEY_NOT_PINNED: pubkey_pinned"
expect_exit 0 "human, --no-key" "$B" --no-key $T/log.json
expect_eq "human, --no-key: the warning before the verdict" "$(tail -n 2 $T/out)" "warning: --no-key: no trusted key was pinned, so no signature proves who wrote this
OK: the log verifies"
printf '{}' >$T/obj.json
expect_exit 2 "not an array" "$B" $T/obj.json
printf '[]' >$T/empty.json
expect_exit 1 "empty log" "$B" $T/empty.json
expect_exit 2 "missing file" "$B" $T/none.json
finish verify_log
