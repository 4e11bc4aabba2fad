#!/bin/sh
# replay_consensus as a user runs it: every manifest case derived from the
# vectors (vectors/replay/README.md), then options, stdin and usage errors.
. tests/cli/lib.sh
. tests/cli/replay_cases.sh
T="$LP_BIN/replay_consensus"
run_cases replay_consensus

# Human output names each lead and its verdict.
expect_exit 0 "human" "$T" vectors/replay/consensus_current.json
grep -q '^lead lead-weighted_majority_deny: deny rep=8.3333 ' "$T_TMP/out" && pass || failt "human lead line: $(head -3 "$T_TMP/out")"
grep -q 'lead lead-reason_tie_first_seen_wins: .*\[ORDER_DEPENDENT: reason\]' "$T_TMP/out" && pass || failt "human ORDER_DEPENDENT marker"
expect_exit 2 "human order-dependent" "$T" vectors/replay/tie_reversed_order_dependent.json
expect_eq "human order-dependent result" "$(tail -n 1 "$T_TMP/out" | cut -d: -f1-3)" "UNDECIDED: ORDER_DEPENDENT: row_order"
expect_stderr_line "order-dependent reason" "^replay_consensus: ORDER_DEPENDENT: row_order: lead lead-tie: primary_rejection_reason .*row order decides"

# Every era's published results fail under at least one other era? Not in
# general; but each era's file replays under its own rules (manifest) and the
# default is current.
expect_exit 0 "default rules = current" "$T" --json vectors/replay/consensus_current.json
grep -q '"rules":"current"' "$T_TMP/out" && pass || failt "rules name in report"
expect_exit 0 "--rules=" "$T" --json --rules=2025-11-13 vectors/replay/consensus_2025-11-13.json
grep -q '"rules":"2025-11-13"' "$T_TMP/out" && pass || failt "rules name 2025-11-13"

# stdin
expect_exit 0 "stdin" sh -c "\"$T\" --json - < vectors/replay/consensus_current.json"
expect_exit 1 "stdin fail" sh -c "\"$T\" - < vectors/replay/consensus_fail_rep_score.json"

# report shape: leads entries carry the contract fields; commitments too
expect_exit 0 "json shape" "$T" --json vectors/replay/commitments.json
python3 - "$T_TMP/out" <<'PY' && pass || failt "json shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == sorted(d), "keys not sorted"
assert [c["name"] for c in d["checks"]] == ["input", "commitments", "consensus", "row_order"]
for c in d["checks"]:
    assert set(c) == {"name", "ok", "detail"}
for l in d["leads"]:
    assert {"lead_id", "recomputed", "published", "match", "order_dependent"} <= set(l)
for c in d["commitments"]:
    assert {"index", "lead_id", "validator_hotkey", "decision_hash", "rep_score_hash",
            "rejection_reason_hash", "evidence_hash"} <= set(c)
legacy = [c for c in d["commitments"] if c["lead_id"].startswith("lead-v1_rep_score")]
assert len(legacy) == 2 and all(c["rep_score_hash"] is True and c["decision_hash"] is None for c in legacy)
PY

# The --json report is exactly Python's json.dumps(sort_keys=True,
# separators=(",", ":")) of itself plus a newline: sorted keys at every level,
# compact separators, ASCII escapes, floats as repr (also for escaped and
# non-ASCII ids and reasons, NaN, and a lead published with no rows).
printf '%s' '{"epoch_id":7,"validations":[{"lead_id":"caf\u00e9\ud800\"\\","validator_hotkey":"h\u0001\n","decision":"deny","rep_score":3,"rejection_reason":"{\"stage\": \"\u00fc\"}","v_trust":0.3,"stake":1e300},{"lead_id":"n","decision":"deny","rep_score":1,"rejection_reason":null,"v_trust":NaN,"stake":2.5}],"consensus_results":[{"lead_id":"only","final_decision":"deny","final_rep_score":0.0,"primary_rejection_reason":"no_validations","validator_count":0,"consensus_weight":0.0}]}' > "$T_TMP/odd.json"
for f in vectors/replay/commitments.json vectors/replay/consensus_epoch_current.json \
         vectors/replay/commit_fail_evidence.json vectors/replay/tie_reversed_order_dependent.json "$T_TMP/odd.json"; do
  "$T" --json "$f" > "$T_TMP/rep.json" 2>/dev/null
  python3 - "$T_TMP/rep.json" <<'PY' && pass || failt "report of $f is not its own sorted compact serialisation"
import json, sys
raw = open(sys.argv[1], "rb").read().decode("ascii")
assert raw.endswith("\n") and raw.count("\n") == 1, "one line"
assert raw[:-1] == json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")), "not canonical"
PY
done
# ... and that check does catch a report that is not: keys out of order, spaces.
printf '{"result":"OK","checks":[]}\n' > "$T_TMP/rep.json"
python3 -c 'import json,sys; r=open(sys.argv[1]).read(); sys.exit(r[:-1] == json.dumps(json.loads(r), sort_keys=True, separators=(",", ":")))' "$T_TMP/rep.json" && pass || failt "unsorted keys pass the canonical check"
printf '{"checks": [],"result":"OK"}\n' > "$T_TMP/rep.json"
python3 -c 'import json,sys; r=open(sys.argv[1]).read(); sys.exit(r[:-1] == json.dumps(json.loads(r), sort_keys=True, separators=(",", ":")))' "$T_TMP/rep.json" && pass || failt "spaced report passes the canonical check"

# usage errors: exit 2 with one line
expect_exit 2 "no file" "$T"
expect_exit 2 "bad rules" "$T" --rules 2024-01-01 vectors/replay/consensus_current.json
expect_stderr_line "bad rules msg" "^replay_consensus: USAGE: unknown --rules"
expect_exit 2 "unknown option" "$T" --frobnicate vectors/replay/consensus_current.json
expect_exit 2 "two files" "$T" vectors/replay/consensus_current.json vectors/replay/consensus_current.json
expect_exit 2 "missing file" "$T" --json vectors/replay/does-not-exist.json
expect_stderr_line "missing file msg" "^replay_consensus: IO_ERROR: "
grep -q '"result":"IO_ERROR"' "$T_TMP/out" && pass || failt "IO_ERROR json"
expect_exit 0 "--help" "$T" --help

finish test_replay_consensus
