#!/bin/sh
# make repro: the real tree rebuilds bit for bit, and injected non-determinism is caught.
# Part of make check-repro (plain build only: a sanitizer build would repeat the same two builds).
. tests/cli/lib.sh
V=$(cat VERSION)
if [ "${LP_SAN:-}" = 1 ]; then
  echo "test_repro: skipped in the sanitizer pass (it runs in the plain pass)"
  finish test_repro; exit
fi
if [ -n "${LP_NIX_STUB:-}" ]; then
  echo "test_repro: skipped inside the stub Nix build (the plain pass outside runs it on the same tree)"
  finish test_repro; exit
fi

# 1. The real tree, through the make target.
make --no-print-directory repro >"$T_TMP/real.out" 2>&1; rc=$?
expect_eq "make repro on the tree: exit" "$rc" 0
[ "$rc" = 0 ] || cat "$T_TMP/real.out"
expect_eq "make repro: nothing differs" "$(grep -c 'DIFFERS' "$T_TMP/real.out")" 0
for f in dest/usr/local/bin/canonicalize dest/usr/local/lib/libleadpoet_canonical.a \
         "dest/usr/local/lib/libleadpoet_canonical.so.$V" dest/usr/local/lib/pkgconfig/leadpoet_canonical.pc; do
  # a row: file, digest A (+mode), digest B (+mode), verdict; both digests equal and 64 hex
  row=$(grep "^$f " "$T_TMP/real.out")
  da=$(echo "$row" | awk '{print $2}'); db=$(echo "$row" | awk '{print $4}')
  if echo "$da" | grep -qE '^[0-9a-f]{64}$' && [ "$da" = "$db" ]; then pass; else failt "table row for $f: '$row'"; fi
done
# The digests in the table are the real ones: rebuild here and compare one independently.
make --no-print-directory -s all BUILD="$T_TMP/b" >/dev/null 2>&1
want=$(sha256sum "$T_TMP/b/bin/canonicalize" | cut -d' ' -f1)
got=$(grep '^dest/usr/local/bin/canonicalize ' "$T_TMP/real.out" | awk '{print $2}')
expect_eq "canonicalize digest matches a build in a third directory" "$got" "$want"

# 2. A throwaway copy with one extra source file in the canonical library.
copy="$T_TMP/copy"; mkdir -p "$copy"
if [ -e .git ]; then
  git ls-files -z -c -o --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$copy" -xf -
else
  tar --exclude=./build --exclude='./build-*' -cf - . | tar -C "$copy" -xf -
fi
cat >"$copy/canonical/zz_repro_probe.c" <<'C'
/* Injected by tests/repro/test_repro.sh: LP_PROBE expands to whatever the build defines. */
#define LP_STR2(x) #x
#define LP_STR(x) LP_STR2(x)
const char lp_repro_probe[] = LP_STR(LP_PROBE);
const char lp_repro_file[] = __FILE__;
C
# 2a. Control: the probe file alone, built with debug info, leaks nothing: __FILE__ and
# DW_AT_comp_dir are mapped by -ffile-prefix-map and DW_AT_producer does not record it.
sh scripts/repro.sh "$copy" -- 'CFLAGS=-O2 -g' >"$T_TMP/ctl.out" 2>&1
expect_eq "control copy (probe file, -g): identical" "$?" 0
# 2b. The build directory injected through CPPFLAGS reaches the installed static library.
# shellcheck disable=SC2016
sh scripts/repro.sh "$copy" -- 'CPPFLAGS=-DLP_PROBE=$(CURDIR)' >"$T_TMP/leak.out" 2>&1
expect_eq "path injected: make repro exits 1" "$?" 1
if grep -q '^dest/usr/local/lib/libleadpoet_canonical.a .*DIFFERS$' "$T_TMP/leak.out"; then pass; else
  failt "path injected: the static library is not reported: $(tail -n 3 "$T_TMP/leak.out")"; fi
if grep -q '^dest/usr/local/bin/canonicalize .*same$' "$T_TMP/leak.out"; then pass; else
  failt "path injected: the tool (which does not use the probe) should stay identical"; fi
# 2c. Defeating the prefix map (a later map of the directory onto itself) lets the build
# directory into the debug info.
# shellcheck disable=SC2016
sh scripts/repro.sh "$copy" -- 'CFLAGS=-O2 -g -ffile-prefix-map=$(CURDIR)=$(CURDIR)' >"$T_TMP/nomap.out" 2>&1
expect_eq "prefix map defeated (-g): make repro exits 1" "$?" 1

# 3. __DATE__ is banned (-Werror=date-time): the build fails, repro cannot decide (exit 2).
cat >"$copy/canonical/zz_repro_probe.c" <<'C'
const char lp_repro_date[] = __DATE__ " " __TIME__;
C
sh scripts/repro.sh "$copy" >"$T_TMP/date.out" 2>&1
expect_eq "__DATE__: build refused, exit 2" "$?" 2
if grep -q 'date-time' "$T_TMP/date.out"; then pass; else failt "__DATE__: no -Wdate-time error shown"; fi
# 3b. Allowed by the user, __DATE__ takes SOURCE_DATE_EPOCH (same in both builds, though
# build B's clock is two years ahead): still identical, and the date is the epoch's.
sh scripts/repro.sh "$copy" -- 'CFLAGS=-O2 -Wno-error=date-time' >"$T_TMP/date2.out" 2>&1
expect_eq "__DATE__ allowed: identical under SOURCE_DATE_EPOCH" "$?" 0
LP_REPRO_KEEP=1 SOURCE_DATE_EPOCH=946684800 sh scripts/repro.sh "$copy" -- 'CFLAGS=-O2 -Wno-error=date-time' >"$T_TMP/date3.out" 2>&1
kept=$(sed -n 's/^repro: keeping //p' "$T_TMP/date3.out")
if [ -n "$kept" ] && grep -q 'Jan  1 2000 00:00:00' "$kept/b-in-a-directory-with-a-much-longer-path/src/dest/usr/local/lib/libleadpoet_canonical.a"; then
  pass; else failt "__DATE__ under SOURCE_DATE_EPOCH=946684800 is not 'Jan  1 2000 00:00:00'"; fi
[ -n "$kept" ] && rm -rf "$kept"

finish test_repro
