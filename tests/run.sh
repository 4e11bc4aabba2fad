#!/bin/sh
# Runs every test of the suite against the build in $1 (SAN=$2 when sanitized)
# and prints one total line: "N passed, N failed".  Tests run LP_JOBS at a time
# (default: online CPUs); their logs are printed whole, in a fixed order.
BUILD=${1:-build}
SAN=${2:-}
export BUILD LP_BIN="$BUILD/bin" LP_LIB="$BUILD/lib" LP_SAN="$SAN"
if [ "$SAN" = 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
JOBS=${LP_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
passed=0; failed=0; dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT

# The system interpreter (Debian's python3) when there is one.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
PRE=
if [ "$SAN" = 1 ]; then
  PRE="LD_PRELOAD='$(${CC:-cc} -print-file-name=libasan.so) $(${CC:-cc} -print-file-name=libubsan.so)' ASAN_OPTIONS=detect_leaks=0 "
fi

# One line per test: KIND<TAB>COMMAND.  KIND "check" reads a Check summary,
# KIND "script" a last "NAME: N passed, N failed" line.
: >"$dir/list"
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] && printf 'check\t%s\n' "$t" >>"$dir/list"
done
for s in tests/cli/test_*.sh; do
  [ -f "$s" ] && printf 'script\tsh %s\n' "$s" >>"$dir/list"
done
for py in tests/python/test_*.py; do
  [ -f "$py" ] && printf 'script\t%s%s %s\n' "$PRE" "$PY" "$py" >>"$dir/list"
done

# Logs print in the list's order whatever order the tests finish in.
n=0
while IFS="$(printf '\t')" read -r kind cmd; do
  n=$((n + 1))
  printf '%s\n' "$cmd" >"$dir/$n.cmd"; printf '%s\n' "$kind" >"$dir/$n.kind"
done <"$dir/list"
export dir
seq 1 "$n" | xargs -P "$JOBS" -I{} sh -c '
  s=$(date +%s); sh -c "$(cat "$dir/{}.cmd")" >"$dir/{}.log" 2>&1; echo $? >"$dir/{}.rc"
  echo $(( $(date +%s) - s )) >"$dir/{}.sec"'

i=0
while [ "$i" -lt "$n" ]; do
  i=$((i + 1))
  kind=$(cat "$dir/$i.kind"); cmd=$(cat "$dir/$i.cmd"); rc=$(cat "$dir/$i.rc" 2>/dev/null || echo 127)
  cat "$dir/$i.log"
  echo "run: $cmd: exit $rc, $(cat "$dir/$i.sec" 2>/dev/null || echo '?') s"
  if [ "$kind" = check ]; then
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$dir/$i.log" | tail -n 1)
    if [ -z "$line" ]; then
      echo "run: $cmd produced no Check summary (exit $rc)"; failed=$((failed + 1)); continue
    fi
    p=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    p=$((p - f - e)); f=$((f + e))
  else
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$dir/$i.log" | tail -n 1)
    if [ -z "$line" ]; then
      echo "run: $cmd produced no summary (exit $rc)"; failed=$((failed + 1)); continue
    fi
    p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
    f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  fi
  [ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f))
done

echo "suite ($BUILD${SAN:+, sanitizers}): $passed passed, $failed failed"
[ "$failed" = 0 ]
