#!/bin/sh
# make reprotest: Debian's reprotest on a clean copy of the tree (files git lists, or the
# directory without build outputs), building and installing into dest/ twice with every
# variation that applies to a C build (spec eif-pcr-repro.md §4.2).
# user_group is left out: it needs a second build user created on the machine
# (add --vary=user_group.available+=USER:GROUP through REPROTEST_ARGS to include it).
set -u
src=$(pwd)
for t in reprotest disorderfs faketime; do
  if ! command -v "$t" >/dev/null 2>&1; then
    sh scripts/install-deps.sh --reprotest || exit 2
    break
  fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/lp-reprotest.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
if [ -e .git ] && git rev-parse --show-toplevel >/dev/null 2>&1; then
  git ls-files -z -c -o --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$work/src" -xf -
else
  tar --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./result -cf - . | tar -C "$work/src" -xf -
fi
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
cd "$work/src" || exit 2
# shellcheck disable=SC2086
reprotest --vary=+all,-user_group --min-cpus=1 ${REPROTEST_ARGS:-} \
  'make all install DESTDIR=dest PREFIX=/usr/local' \
  'dest/usr/local/bin/* dest/usr/local/include/* dest/usr/local/lib/*.* dest/usr/local/lib/pkgconfig/*'
rc=$?
cd "$src" || exit 2
exit "$rc"
