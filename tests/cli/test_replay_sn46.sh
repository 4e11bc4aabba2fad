#!/bin/sh
# replay_sn46 as a user runs it on vectors/subnet46/cases: every public epoch (exit code,
# result, and the --json report: every member of the case's *.expected.json equal under
# Python ==, checks on name/ok/detail, each failed one also carrying the suite's "code";
# the suite's own "tool" and "warnings" are extra), the text mode's
# verdict line, --profile overriding the input's, and usage errors.
. tests/cli/lib.sh
T="$LP_BIN/replay_sn46"
D=vectors/subnet46/cases
for f in "$D"/*.input.json; do
  id=$(basename "$f" .input.json)
  want_exit=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit"])' "$D/$id.expected.json")
  expect_exit "$want_exit" "$id: exit" "$T" --json "$f"
  r=$(python3 - "$T_TMP/out" "$D/$id.expected.json" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
bad = [k for k in ("tool", "result", "checks", "warnings") if k not in got]
if got.get("tool") != "replay_sn46": bad.append("tool name")
checks = [{k: c[k] for k in ("name", "ok", "detail")} for c in got.get("checks", [])]
if any(set(c) - {"name", "ok", "detail", "code"} or (not c["ok"]) != ("code" in c) for c in got.get("checks", [])):
    bad.append("check members")
for k, v in exp.items():
    if k == "checks":
        if checks != v: bad.append("checks")
    elif got.get(k) != v:
        bad.append(k)
extra = set(got) - set(exp) - {"tool", "warnings"}
if extra: bad.append("extra " + ",".join(sorted(extra)))
print(" ".join(bad) if bad else "same")
PY
)
  expect_eq "$id: report equals the expected one" "$r" "same"
  # text mode: the verdict's code on stderr when not OK
  expect_exit "$want_exit" "$id: exit (text)" "$T" "$f"
  res=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$D/$id.expected.json")
  if [ "$res" = OK ]; then
    expect_eq "$id (text): stderr empty" "$(cat "$T_TMP/err")" ""
  else
    expect_stderr_line "$id (text): one stderr line" "^replay_sn46: $res: "
  fi
done
# --profile overrides the input's: the 2025-11-18 epoch under the plan's rules has no beacon
expect_exit 2 "--profile plan on a 2025-11-18 epoch" "$T" --json --profile plan-2025-09-29 "$D/p01-r1118-clean.input.json"
expect_eq "--profile plan: result" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$T_TMP/out")" "INPUT_MALFORMED"
expect_exit 0 "--profile resi-2025-11-18 (the input's own)" "$T" --profile resi-2025-11-18 "$D/p01-r1118-clean.input.json"
expect_exit 2 "unknown --profile" "$T" --profile nope "$D/p01-r1118-clean.input.json"
expect_exit 0 "stdin" sh -c "'$T' - < '$D/p01-r1118-clean.input.json'"
finish test_replay_sn46
