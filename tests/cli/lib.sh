# Shared helpers for CLI tests: counters and assertions. Source from a test script.
LP_BIN=${LP_BIN:-build/bin}
T_PASS=0; T_FAIL=0
T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT
pass() { T_PASS=$((T_PASS + 1)); }
failt() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*"; }
# expect_exit CODE DESC CMD...: runs CMD, stdout to $T_TMP/out, stderr to $T_TMP/err
expect_exit() {
  want=$1; desc=$2; shift 2
  "$@" >"$T_TMP/out" 2>"$T_TMP/err"; got=$?
  if [ "$got" = "$want" ]; then pass; else failt "$desc: exit $got, want $want; stderr: $(head -c 300 "$T_TMP/err")"; fi
}
# expect_eq DESC GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then pass; else failt "$1: got '$(printf %s "$2" | head -c 200)' want '$(printf %s "$3" | head -c 200)'"; fi
}
# expect_stderr_one_line DESC PATTERN: stderr of the last command is one line matching PATTERN
expect_stderr_line() {
  n=$(wc -l <"$T_TMP/err")
  if [ "$n" = 1 ] && grep -qE "$2" "$T_TMP/err"; then pass; else failt "$1: stderr was: $(cat "$T_TMP/err")"; fi
}
finish() {
  echo "$1: $T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" = 0 ]
}
