#!/bin/sh
# The canonical core under a comma-decimal locale (code-review.md small defect 1): the
# canonical vectors (test_canonical), the CPython differential and the ctypes binding
# tests run again with LC_ALL=de_DE.UTF-8, a locale built here with localedef, and
# must give the same bytes as in the C locale.  Each test, asked by LP_TEST_LOCALE=1,
# switches its process to the environment's locale and refuses to run unless the
# decimal point really is not ".".  A missing localedef or de_DE source is a failure
# (Debian package `locales`), never a skip.
. tests/cli/lib.sh
BUILD=${BUILD:-build}
export LP_LIB="${LP_LIB:-$BUILD/lib}"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

give_up() {
  failt "$1"
  finish test_locale
  exit 1
}

command -v localedef >/dev/null 2>&1 ||
  give_up "localedef not found: install the Debian package 'locales' (scripts/install-deps.sh)"
loc="$T_TMP/locale"
mkdir -p "$loc"
# Exit 1 means warnings with the locale written; the files decide.
localedef -i de_DE -f UTF-8 "$loc/de_DE.UTF-8" >"$T_TMP/localedef.log" 2>&1
rc=$?
[ -f "$loc/de_DE.UTF-8/LC_NUMERIC" ] ||
  give_up "localedef -i de_DE -f UTF-8 wrote no locale (exit $rc; the sources come with the Debian package 'locales'): $(head -c 300 "$T_TMP/localedef.log")"
export LOCPATH="$loc"

# The locale is real and its decimal point is a comma, seen by C and by Python.
expect_eq "C library decimal point" "$(LC_ALL=de_DE.UTF-8 locale decimal_point 2>&1)" ","
expect_eq "Python decimal point" "$(LC_ALL=de_DE.UTF-8 "$PY" -c 'import locale; locale.setlocale(locale.LC_ALL, ""); print(locale.localeconv()["decimal_point"])' 2>&1)" ","
expect_eq "printf follows it" "$(LC_ALL=de_DE.UTF-8 "$PY" -c 'import ctypes, locale; locale.setlocale(locale.LC_ALL, ""); b = ctypes.create_string_buffer(16); ctypes.CDLL(None).snprintf(b, 16, b"%.1f", ctypes.c_double(1.5)); print(b.value.decode())' 2>&1)" "1,5"
[ "$T_FAIL" = 0 ] || give_up "de_DE.UTF-8 does not have a comma decimal point here: the runs below would prove nothing"

# add_counts LOG KIND: adds the passed/failed counts of one run's summary line.
add_counts() {
  if [ "$2" = check ]; then
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$1" | tail -n 1)
    [ -n "$line" ] || return 1
    n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    p=$((n - f - e)); f=$((f + e))
  else
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    [ -n "$line" ] || return 1
    p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
    f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  fi
  T_PASS=$((T_PASS + p)); T_FAIL=$((T_FAIL + f))
}

# run_in_locale NAME KIND CMD...: CMD under de_DE.UTF-8 with LP_TEST_LOCALE=1.
run_in_locale() {
  name=$1; kind=$2; shift 2
  LC_ALL=de_DE.UTF-8 LP_TEST_LOCALE=1 "$@" >"$T_TMP/$name.log" 2>&1
  rc=$?
  before=$T_FAIL
  if ! add_counts "$T_TMP/$name.log" "$kind"; then
    failt "$name under de_DE.UTF-8 printed no summary (exit $rc)"
  elif [ "$rc" != 0 ] && [ "$T_FAIL" = "$before" ]; then
    failt "$name under de_DE.UTF-8 exited $rc"
  fi
  if [ "$T_FAIL" != "$before" ]; then
    echo "--- $name under de_DE.UTF-8:"
    grep -E ':[FE]:|FAIL|MISMATCH|Error|LP_TEST_LOCALE' "$T_TMP/$name.log" | head -n 40
  fi
}

if [ "${LP_SAN:-}" = 1 ]; then
  # glibc's setlocale keeps the LOCPATH it parsed (argz) where LeakSanitizer does not see
  # it: that one allocation, never the core's, is suppressed.
  printf 'leak:__argz_add_sep\n' >"$T_TMP/lsan.supp"
  export LSAN_OPTIONS="suppressions=$T_TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
if [ -x "$BUILD/tests/test_canonical" ]; then
  run_in_locale test_canonical check "$BUILD/tests/test_canonical"
else
  failt "$BUILD/tests/test_canonical not built"
fi
# The sanitizer pass runs Python with the sanitizer runtimes preloaded, as tests/run.sh does.
if [ "${LP_SAN:-}" = 1 ]; then
  pre="$(${CC:-cc} -print-file-name=libasan.so) $(${CC:-cc} -print-file-name=libubsan.so)"
  run_in_locale test_differential script env LD_PRELOAD="$pre" ASAN_OPTIONS=detect_leaks=0 "$PY" tests/python/test_differential.py
  run_in_locale test_pybinding script env LD_PRELOAD="$pre" ASAN_OPTIONS=detect_leaks=0 "$PY" tests/python/test_pybinding.py
else
  run_in_locale test_differential script "$PY" tests/python/test_differential.py
  run_in_locale test_pybinding script "$PY" tests/python/test_pybinding.py
fi
finish test_locale
