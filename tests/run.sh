#!/bin/sh
# Runs every test of the suite against the build in $1 (SAN=$2 when sanitized)
# and prints one total line: "N passed, N failed".
BUILD=${1:-build}
SAN=${2:-}
export BUILD LP_BIN="$BUILD/bin" LP_LIB="$BUILD/lib" LP_SAN="$SAN"
if [ "$SAN" = 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
passed=0; failed=0; log=$(mktemp); trap 'rm -f "$log"' EXIT

add_counts() { # $1 passed $2 failed
  passed=$((passed + $1)); failed=$((failed + $2))
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  "$t" >"$log" 2>&1; rc=$?
  cat "$log"
  line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "run: $t produced no Check summary (exit $rc)"; add_counts 0 1; continue
  fi
  n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
  f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
  e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
  bad=$((f + e)); [ "$rc" != 0 ] && [ "$bad" = 0 ] && bad=1
  add_counts $((n - f - e)) $bad
done

# Command-line and binding tests: each prints "NAME: N passed, N failed" last.
run_script() { # $1 interpreter-prefixed command
  sh -c "$1" >"$log" 2>&1; rc=$?
  cat "$log"
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "run: '$1' produced no summary (exit $rc)"; add_counts 0 1; return
  fi
  p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
  f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  [ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
  add_counts "$p" "$f"
}

for s in tests/cli/test_*.sh; do
  [ -f "$s" ] || continue
  run_script "sh $s"
done

# The system interpreter (Debian's python3) when there is one.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
for py in tests/python/test_*.py; do
  [ -f "$py" ] || continue
  if [ "$SAN" = 1 ]; then
    pre="$(${CC:-cc} -print-file-name=libasan.so) $(${CC:-cc} -print-file-name=libubsan.so)"
    run_script "LD_PRELOAD='$pre' ASAN_OPTIONS=detect_leaks=0 $PY $py"
  else
    run_script "$PY $py"
  fi
done

echo "suite ($BUILD${SAN:+, sanitizers}): $passed passed, $failed failed"
[ "$failed" = 0 ]
