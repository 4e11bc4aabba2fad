#!/bin/sh
# recompute_weights as a user runs it, on every weight_computation case of
# vectors/leadpoet-v2/weights_v2.json (Leadpoet's own compute_final_weights outputs):
# exit codes, the --json members (result, message, weights, the four hashes), the one
# stderr line, the result document's exact CS-U bytes in text mode and --result-out,
# and --expect-result under Python == (71.0 equals 71; one changed bit does not).
. tests/cli/lib.sh
T="$LP_BIN/recompute_weights"
V=vectors/leadpoet-v2/weights_v2.json
python3 - "$T_TMP" "$V" <<'PY' || { echo "fixture generation failed"; echo "test_recompute_weights: 0 passed, 1 failed"; exit 1; }
import json, sys, os, hashlib
t, v = sys.argv[1], sys.argv[2]
codes = {"WeightComputationError": "WEIGHT_COMPUTATION_ERROR", "ValueError": "PYTHON_VALUE_ERROR"}
def csu(x):
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
with open(os.path.join(t, "cases.tsv"), "w") as out:
    for i, c in enumerate(json.load(open(v))["weight_computation"]):
        open(os.path.join(t, "s%d.json" % i), "w").write(json.dumps(c["snapshot"], ensure_ascii=False))
        if c["error"] is None:
            r = c["result"]
            open(os.path.join(t, "r%d.json" % i), "w").write(json.dumps(r))
            open(os.path.join(t, "r%d.csu" % i), "wb").write(csu(r))
            # equal under Python ==: ints written as floats
            r2 = dict(r, netuid=float(r["netuid"]), epoch_id=float(r["epoch_id"]))
            open(os.path.join(t, "r%d.eq.json" % i), "w").write(json.dumps(r2))
            # one bit of the first weight changed
            w = list(r["weights"]); w[0] = float.fromhex(w[0].hex()) + 5e-324 if w[0] == 0.0 else w[0] * (1 + 2**-52)
            open(os.path.join(t, "r%d.bit.json" % i), "w").write(json.dumps(dict(r, weights=w)))
            assert "sha256:" + hashlib.sha256(csu(r)).hexdigest() == c["result_hash"]
            out.write("\t".join([str(i), c["name"], "0", "OK", c["result_hash"], c["snapshot_hash"],
                                 c["config_hash"], r["weights_hash"]]) + "\n")
        else:
            out.write("\t".join([str(i), c["name"], "2", codes[c["error"]["type"]], c["error"]["message"]]) + "\n")
PY

# jget KEY: a top-level member of the last --json output
jget() { python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v if isinstance(v, str) else json.dumps(v))" "$T_TMP/out" "$1"; }
# jfields FILE: result_hash snapshot_hash config_hash weights_hash message, and whether
# "weights" equals FILE's document under Python ==
jfields() {
  python3 -c "
import json,sys
o=json.load(open(sys.argv[1]))
print(*[o[k] for k in ('result_hash','snapshot_hash','config_hash','weights_hash')], json.dumps(o['message']), o['weights'] == json.load(open(sys.argv[2])))" "$T_TMP/out" "$1"
}

TAB=$(printf '\t')
while IFS="$TAB" read -r i name want code a b c d; do
  S="$T_TMP/s$i.json"
  expect_exit "$want" "$name (json)" "$T" --json "$S"
  expect_eq "$name: result" "$(jget result)" "$code"
  if [ "$want" = 0 ]; then
    expect_eq "$name: members" "$(jfields "$T_TMP/r$i.json")" "$a $b $c $d null True"
    expect_eq "$name: stderr" "$(cat "$T_TMP/err")" ""
    # text: the result line is the reference's serialisation, byte for byte
    expect_exit 0 "$name (text)" "$T" --result-out "$T_TMP/got$i" "$S"
    grep '^result ' "$T_TMP/out" | sed 's/^result //' | head -c -1 >"$T_TMP/line$i"
    if cmp -s "$T_TMP/line$i" "$T_TMP/r$i.csu"; then pass; else failt "$name: text result line differs"; fi
    if cmp -s "$T_TMP/got$i" "$T_TMP/r$i.csu"; then pass; else failt "$name: --result-out differs"; fi
    expect_eq "$name (text): verdict" "$(tail -n 1 "$T_TMP/out")" \
      "OK: the weights are what compute_final_weights gives for this snapshot"
    expect_exit 0 "$name: claim equal" "$T" --json --expect-result "$T_TMP/r$i.json" "$S"
    expect_exit 0 "$name: claim equal under ==" "$T" --json --expect-result "$T_TMP/r$i.eq.json" "$S"
    expect_exit 1 "$name: one bit off" "$T" --json --expect-result "$T_TMP/r$i.bit.json" "$S"
    expect_eq "$name: one bit off: result" "$(jget result)" "RESULT_MISMATCH"
    expect_eq "$name: one bit off: field" "$(jget first_difference)" "weights[0]"
    expect_stderr_line "$name: one bit off: stderr" "^recompute_weights: RESULT_MISMATCH: expect_result: the claimed result differs at weights\[0\]$"
  else
    expect_eq "$name: message" "$(jget message)" "$a"
    expect_eq "$name: weights null" "$(jget weights)" "null"
    expect_stderr_line "$name: stderr" "^recompute_weights: $code: "
    expect_exit 2 "$name (text)" "$T" "$S"
    expect_eq "$name (text): verdict" "$(tail -n 1 "$T_TMP/out" | cut -d: -f1-2)" "UNDECIDED: $code"
    # a claimed result does not turn a refused snapshot into a mismatch
    expect_exit 2 "$name: with a claim" "$T" --expect-result "$T_TMP/r0.json" "$S"
  fi
done <"$T_TMP/cases.tsv"
n=$(wc -l <"$T_TMP/cases.tsv")
expect_eq "all cases ran" "$n" 27

# a claim for another snapshot names the first field it differs in
expect_exit 1 "other snapshot's result" "$T" --json --expect-result "$T_TMP/r1.json" "$T_TMP/s0.json"
expect_eq "other snapshot's result: field" "$(jget first_difference)" "snapshot_hash"
# unreadable and malformed input, usage
expect_exit 2 "missing file" "$T" --json "$T_TMP/missing.json"
expect_eq "missing file: result" "$(jget result)" "IO_ERROR"
printf '{"a":' >"$T_TMP/bad.json"
expect_exit 2 "truncated JSON" "$T" --json "$T_TMP/bad.json"
expect_eq "truncated JSON: result" "$(jget result)" "JSON_SYNTAX"
expect_exit 2 "truncated claim" "$T" --json --expect-result "$T_TMP/bad.json" "$T_TMP/s0.json"
expect_eq "truncated claim: result" "$(jget result)" "JSON_SYNTAX"
expect_exit 2 "not an object" sh -c "echo '[1,2]' | \"$T\" --json -"
expect_eq "not an object: message" "$(jget message)" "weight snapshot fields do not match the canonical schema"
expect_exit 2 "no argument" "$T" --json
expect_eq "no argument: result" "$(jget result)" "USAGE"
expect_exit 0 "stdin" sh -c "\"$T\" - < \"$T_TMP/s0.json\""
finish test_recompute_weights
