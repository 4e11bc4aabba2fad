#!/bin/sh
# The Makefile's contract (code review §7): objects depend on the headers they include
# (-MMD -MP), the tools carry the VERSION file's text, make check installs nothing and
# honours BUILD, install follows PREFIX/LIBDIR/DESTDIR and uninstall removes what install
# wrote, and the one .pc file follows PREFIX and LIBDIR. Reads the tree's build in $BUILD
# (make -q changes nothing); installs from a copy of it, so parallel tests are not raced.
. tests/cli/lib.sh
BUILD=${BUILD:-build}
MK="make --no-print-directory"
unset MAKEFLAGS MFLAGS MAKELEVEL

# 1. Header dependencies: -W H pretends H was just modified; make -q answers 1 when the
#    object is then out of date. canonical/ includes no attest/ header; lpc_hash.c
#    includes lpc_hash.h.
obj=$BUILD/obj/canonical/lpc_hash.o
if [ -f "$obj" ]; then pass; else failt "$obj not built"; fi
expect_exit 0 "a canonical object does not depend on attest/nitro.h" $MK -q BUILD="$BUILD" -W attest/nitro.h "$obj"
expect_exit 1 "a canonical object depends on the header it includes" $MK -q BUILD="$BUILD" -W canonical/lpc_hash.h "$obj"
expect_exit 0 "the object is up to date" $MK -q BUILD="$BUILD" "$obj"
expect_exit 1 "a tool object depends on VERSION" $MK -q BUILD="$BUILD" -W VERSION "$BUILD/obj/verify/canonicalize.o"
expect_exit 0 "a library object does not depend on VERSION" $MK -q BUILD="$BUILD" -W VERSION "$obj"

# 2. The version string comes from the Makefile's VERSION (the VERSION file unless overridden).
expect_exit 0 "build a tool with VERSION=9.8.7-test" \
  $MK -s BUILD="$T_TMP/v" VERSION=9.8.7-test LP_WARN= "$T_TMP/v/bin/canonicalize"
expect_exit 0 "its --version" "$T_TMP/v/bin/canonicalize" --version
expect_eq "--version prints 'canonicalize 9.8.7-test'" "$(cat "$T_TMP/out")" "canonicalize 9.8.7-test"

# 3. make check: every install-deps call only checks; the passes use $(BUILD), $(BUILD)-san,
#    $(BUILD)-tsan (make -n prints what would run, recursing into the sub-makes).
$MK -n check BUILD="$T_TMP/x" >"$T_TMP/n.out" 2>&1
expect_eq "make -n check: exit" "$?" 0
expect_eq "make check never installs" "$(grep -E 'apt-get|install-deps\.sh' "$T_TMP/n.out" | grep -vc -- '--check')" 0
grep -q 'install-deps\.sh --check' "$T_TMP/n.out" && pass || failt "make check does not check the packages"
for d in "$T_TMP/x " "$T_TMP/x-san " "$T_TMP/x-tsan "; do
  grep -q "tests/run.sh $d" "$T_TMP/n.out" && pass || failt "make check BUILD=$T_TMP/x runs no pass in $d"
done
expect_eq "no pass in the default build/" "$(grep -cE 'tests/run.sh build(-san|-tsan)? ' "$T_TMP/n.out")" 0
$MK -n check-repro >"$T_TMP/r.out" 2>&1
grep -q 'tests/run.sh .*tests/repro/test_nix.sh tests/repro/test_repro.sh' "$T_TMP/r.out" && pass ||
  failt "check-repro does not run tests/repro: $(cat "$T_TMP/r.out")"
expect_eq "check does not run the repro tests" "$(grep -c 'tests/repro' "$T_TMP/n.out")" 0

# 4. install / uninstall from a copy of the build (same timestamps: nothing is rebuilt).
b="$T_TMP/b"; cp -a "$BUILD" "$b"
P="$T_TMP/p"; L="$P/lib64"; V=$(cat VERSION)
expect_exit 0 "make install LIBDIR=" $MK -s install BUILD="$b" PREFIX="$P" LIBDIR="$L"
for f in "$L/libleadpoet_canonical.a" "$L/libleadpoet_canonical.so.$V" "$L/libleadpoet_canonical.so.0" \
         "$L/libleadpoet_canonical.so" "$L/pkgconfig/leadpoet_canonical.pc" "$P/include/leadpoet_canonical.h" \
         "$P/bin/canonicalize" "$P/bin/verify_log"; do
  [ -e "$f" ] && pass || failt "installed $f"
done
expect_eq "nothing under PREFIX/lib" "$(ls "$P/lib" 2>/dev/null | wc -l)" 0
expect_eq "pkg-config libdir" "$(PKG_CONFIG_PATH="$L/pkgconfig" pkg-config --variable=libdir leadpoet_canonical)" "$L"
expect_eq "pkg-config version" "$(PKG_CONFIG_PATH="$L/pkgconfig" pkg-config --modversion leadpoet_canonical)" "$V"
expect_exit 0 "make is a no-op after install with the same variables" $MK -q BUILD="$b" PREFIX="$P" LIBDIR="$L" all
expect_exit 1 "another PREFIX makes the .pc file stale" $MK -q BUILD="$b" PREFIX=/elsewhere all
expect_exit 0 "make uninstall" $MK -s uninstall BUILD="$b" PREFIX="$P" LIBDIR="$L"
expect_eq "uninstall leaves no file" "$(find "$P" ! -type d | wc -l)" 0
# DESTDIR: staged under it, the .pc file names PREFIX.
D="$T_TMP/dest"
expect_exit 0 "make install DESTDIR=" $MK -s install BUILD="$b" DESTDIR="$D" PREFIX=/opt/lp
expect_eq "staged .pc prefix" "$(sed -n 's/^prefix=//p' "$D/opt/lp/lib/pkgconfig/leadpoet_canonical.pc")" /opt/lp
expect_eq "staged .pc libdir" "$(sed -n 's/^libdir=//p' "$D/opt/lp/lib/pkgconfig/leadpoet_canonical.pc")" '${prefix}/lib'
n_inst=$(find "$D" ! -type d | wc -l)
[ "$n_inst" -ge 8 ] && pass || failt "DESTDIR install wrote $n_inst files"
expect_exit 0 "make uninstall DESTDIR=" $MK -s uninstall BUILD="$b" DESTDIR="$D" PREFIX=/opt/lp
expect_eq "uninstall DESTDIR leaves no file" "$(find "$D" ! -type d | wc -l)" 0

finish test_makefile
