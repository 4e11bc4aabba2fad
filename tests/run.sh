#!/bin/sh
# Runs tests against the build in $1 (SAN=$2: "" plain, 1 ASan+UBSan, thread TSan)
# and prints one total line: "suite (...): N passed, N failed".
#   sh tests/run.sh BUILD [SAN]          the suite: $BUILD/tests/test_*, tests/cli/test_*.sh,
#                                        tests/python/test_*.py
#   sh tests/run.sh BUILD SAN TEST...    only these: *.sh and *.py scripts, else Check binaries
# Tests run LP_JOBS at a time (default: online CPUs); their logs are printed whole, in a
# fixed order. Under TSan any ThreadSanitizer report in a log fails that test.
BUILD=${1:-build}
SAN=${2:-}
[ $# -ge 2 ] && shift 2 || shift $#
export BUILD LP_BIN="$BUILD/bin" LP_LIB="$BUILD/lib" LP_SAN="$SAN"
if [ "$SAN" = 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
elif [ "$SAN" = thread ]; then
  export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
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
add() { # one test by its path
  case $1 in
    *.sh) [ -f "$1" ] && printf 'script\tsh %s\n' "$1" >>"$dir/list" ;;
    *.py) [ -f "$1" ] && printf 'script\t%s%s %s\n' "$PRE" "$PY" "$1" >>"$dir/list" ;;
    *)    [ -x "$1" ] && printf 'check\t%s\n' "$1" >>"$dir/list" ;;
  esac
}
if [ $# -gt 0 ]; then
  for t in "$@"; do
    add "$t" || { echo "run: no test $t"; failed=$((failed + 1)); }
  done
else
  for t in "$BUILD"/tests/test_* tests/cli/test_*.sh tests/python/test_*.py; do add "$t"; done
fi

# Logs print in the list's order whatever order the tests finish in.
n=0
while IFS="$(printf '\t')" read -r kind cmd; do
  n=$((n + 1))
  printf '%s\n' "$cmd" >"$dir/$n.cmd"; printf '%s\n' "$kind" >"$dir/$n.kind"
done <"$dir/list"
# Start order: the tests measured longest first (about 20 s or more in a pass on 2 cores),
# so that no long test starts last and runs alone; the rest in list order. Only the
# start order changes, not what runs or how the logs print.
SLOW_FIRST="test_merkle_proof_patterns.sh test_verify_attestation.sh test_merkle test_verify_weights.sh
test_x509_limbo.sh test_canonicalize.sh test_replay_consensus.sh"
: >"$dir/order"
for name in $SLOW_FIRST; do
  i=0
  while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    case $(cat "$dir/$i.cmd") in *"/$name"|*"/$name "*) echo "$i" >>"$dir/order" ;; esac
  done
done
seq 1 "$n" | grep -vxF -f "$dir/order" >>"$dir/order.rest"
cat "$dir/order.rest" >>"$dir/order"
export dir
xargs -P "$JOBS" -I{} sh -c '
  s=$(date +%s); sh -c "$(cat "$dir/{}.cmd")" >"$dir/{}.log" 2>&1; echo $? >"$dir/{}.rc"
  echo $(( $(date +%s) - s )) >"$dir/{}.sec"' <"$dir/order"

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
  if [ "$SAN" = thread ] && grep -q 'WARNING: ThreadSanitizer' "$dir/$i.log"; then
    echo "run: $cmd: ThreadSanitizer report"; [ "$f" = 0 ] && f=1
  fi
  passed=$((passed + p)); failed=$((failed + f))
done

case $SAN in 1) label=", asan+ubsan" ;; thread) label=", tsan" ;; *) label= ;; esac
echo "suite ($BUILD$label): $passed passed, $failed failed"
[ "$failed" = 0 ]
