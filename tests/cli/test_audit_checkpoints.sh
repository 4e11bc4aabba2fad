#!/bin/sh
# audit_checkpoints over the vector series: chained pairs of both eras, the
# empty host checkpoint inside a series, and every kind of break.
. tests/cli/lib.sh
B="$LP_BIN/audit_checkpoints"
T=$T_TMP
HK=760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54
python3 - "$T" <<'PY' || { echo "fixture generation failed"; echo "audit_checkpoints: 0 passed, 1 failed"; exit 1; }
import json, sys, os
t = sys.argv[1]
for era in ('v1', 'current'):
    d = json.load(open('vectors/leadpoet/checkpoint_%s.json' % era))
    open(os.path.join(t, era + '_1.json'), 'w').write(d['arweave_payload_text'])
    open(os.path.join(t, era + '_2.json'), 'w').write(d['second_checkpoint']['arweave_payload_text'])
    # the second checkpoint claiming a root nobody uploaded (still signed? no: the header changes)
    q = json.loads(d['second_checkpoint']['arweave_payload_text']); q['header']['prev_checkpoint_root'] = 'ab' * 32
    open(os.path.join(t, era + '_2_badprev.json'), 'w').write(json.dumps(q))
v1 = json.load(open('vectors/leadpoet/checkpoint_v1.json'))
open(os.path.join(t, 'empty.json'), 'w').write(v1['empty_host_checkpoint']['arweave_payload_text'])
PY
j() { jq -c "$1" "$T/out" 2>/dev/null; }
for era in v1 current; do
  expect_exit 0 "$era chained pair" "$B" --json --pubkey $HK $T/${era}_1.json $T/${era}_2.json
  expect_eq "$era result" "$(j .result)" '"OK"'
  expect_eq "$era link checks" "$(j '[.checks[]|select(.name|startswith("link"))|.ok]')" '[true,true,true,true]'
  expect_eq "$era per-checkpoint signatures" "$(j '[.checkpoints[].signature]')" '["valid","valid"]'
  expect_exit 1 "$era reversed order" "$B" --json --pubkey $HK $T/${era}_2.json $T/${era}_1.json
  expect_eq "$era reversed: every link fails" "$(j '[.checks[]|select(.name|startswith("link"))|.ok]')" '[false,false,false,false]'
  expect_eq "$era reversed: first break" "$(j .result)" '"CHAIN_BREAK"'
  expect_stderr_line "$era reversed stderr" '^audit_checkpoints: CHAIN_BREAK: link\[0->1\]'
  expect_exit 1 "$era gap (first checkpoint twice)" "$B" --json --pubkey $HK $T/${era}_1.json $T/${era}_1.json
  expect_eq "$era repeated: number and sequence gaps reported" "$(j '[.checks[]|select(.ok==false)|.name]')" '["link[0->1].prev_checkpoint_root","link[0->1].checkpoint_number","link[0->1].sequence_range","link[0->1].time_range"]'
  expect_exit 1 "$era forged prev root" "$B" --json --pubkey $HK $T/${era}_1.json $T/${era}_2_badprev.json
  expect_eq "$era forged prev: signature fails" "$(j '.checkpoints[1].result')" '"SIGNATURE_INVALID"'
  expect_exit 1 "$era forged prev, no key" "$B" --json $T/${era}_1.json $T/${era}_2_badprev.json
  expect_eq "$era forged prev, no key: break" "$(j .result)" '"CHAIN_BREAK"'
done
# no pinned key: KEY_NOT_PINNED, with every checkpoint and link still reported
expect_exit 1 "series without a key" "$B" --json $T/v1_1.json $T/v1_2.json
expect_eq "no key: verdict, links hold" "$(j '[.result,[.checks[]|select(.name|startswith("link"))|.ok],[.checkpoints[]|.result,.signature]]')" '["KEY_NOT_PINNED",[true,true,true,true],["KEY_NOT_PINNED","not_checked","KEY_NOT_PINNED","not_checked"]]'
expect_stderr_line "no key: one line" '^audit_checkpoints: KEY_NOT_PINNED: checkpoint\[0\]: '
expect_exit 0 "series with --no-key" "$B" --json --no-key $T/v1_1.json $T/v1_2.json
expect_eq "--no-key: OK with a warning" "$(j '[.result,(.warnings|length),[.checkpoints[]|.signature]]')" '["OK",1,["not_checked","not_checked"]]'
expect_stderr_line "--no-key: one warning line" '^audit_checkpoints: warning: --no-key: '
expect_exit 0 "empty host checkpoint inside a series" "$B" --json --pubkey $HK $T/v1_1.json $T/empty.json $T/v1_2.json
expect_eq "empty one reported and not linked" "$(j '[.checkpoints[1].result, (.checks|length)]')" '["EMPTY_CHECKPOINT",7]'
expect_exit 0 "human output" "$B" --pubkey $HK $T/v1_1.json $T/v1_2.json
expect_eq "human last line" "$(tail -n 1 $T/out)" "OK: every checkpoint and link verified"
printf 'junk' >$T/junk
expect_exit 2 "unparseable member" "$B" --json --pubkey $HK $T/v1_1.json $T/junk
expect_eq "unparseable result" "$(j .result)" '"MALFORMED_INPUT"'
expect_exit 0 "--pubkey=HEX form" "$B" --json --pubkey=$HK $T/v1_1.json $T/v1_2.json
expect_exit 1 "--pubkey=HEX form, reversed order" "$B" --json --pubkey=$HK $T/v1_2.json $T/v1_1.json
expect_exit 2 "--pubkey= empty" "$B" --json --pubkey= $T/v1_1.json
expect_exit 2 "--gateway without a value" "$B" --json $T/v1_1.json --gateway
expect_stderr_line "--gateway needs a value" '^audit_checkpoints: USAGE: --gateway needs a value'
expect_exit 2 "no arguments" "$B"
expect_exit 2 "bad pubkey" "$B" --pubkey xyz $T/v1_1.json
finish audit_checkpoints
