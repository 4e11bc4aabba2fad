#!/bin/sh
# make repro: build the toolkit twice from copies of the source tree under different
# conditions and compare every installed file bit for bit (spec eif-pcr-repro.md §4).
#
#   sh scripts/repro.sh [SRC_DIR] [-- MAKE_ARG...]
#
# Build A and build B differ in: directory (and its path length), umask, TZ, LC_ALL/LANG,
# wall-clock time (faketime, two years ahead), make -j, HOME/USER/LOGNAME. Both get the
# same SOURCE_DATE_EPOCH (the input the build may use for dates): $SOURCE_DATE_EPOCH if
# set, else the last commit's time in a git checkout, else 1700000000 (as the Makefile).
# Each runs `make all install DESTDIR=... PREFIX=/usr/local`; the files compared are
# everything installed plus the build's lib/ and bin/ outputs.
# Exit 0: identical; 1: something differs; 2: could not decide (a build failed, no faketime).
set -u
src=.
if [ $# -gt 0 ] && [ "$1" != "--" ]; then src=$1; shift; fi
[ "${1:-}" = "--" ] && shift
src=$(cd "$src" && pwd) || exit 2

die() { echo "repro: $*" >&2; exit 2; }
command -v faketime >/dev/null 2>&1 || die "faketime not found (Debian package faketime; sh scripts/install-deps.sh)"
[ -f "$src/Makefile" ] || die "no Makefile in $src"

in_git=0
if [ -e "$src/.git" ] && command -v git >/dev/null 2>&1 &&
   [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$src" ]; then
  in_git=1
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  [ "$in_git" = 1 ] && SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct 2>/dev/null)
  SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
fi
export SOURCE_DATE_EPOCH

work=$(mktemp -d "${TMPDIR:-/tmp}/lp-repro.XXXXXX") || die "mktemp failed"
if [ -z "${LP_REPRO_KEEP:-}" ]; then
  trap 'rm -rf "$work"' EXIT
  trap 'exit 2' HUP INT TERM
else
  echo "repro: keeping $work"
fi
dir_a="$work/a"
dir_b="$work/b-in-a-directory-with-a-much-longer-path/src"

# The files of the working tree: in git, tracked plus untracked-not-ignored (a tracked
# file deleted from the work tree is skipped); otherwise everything but build outputs.
copy_tree() { # $1 destination
  mkdir -p "$1" || return 1
  if [ "$in_git" = 1 ]; then
    (cd "$src" && git ls-files -z -c -o --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
      (cd "$1" && tar -xf -)
  else
    (cd "$src" && tar --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./result -cf - .) |
      (cd "$1" && tar -xf -)
  fi
}
copy_tree "$dir_a" && copy_tree "$dir_b" || die "could not copy the source tree"

# A clean environment for the nested make: nothing inherited from an outer make.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
build() { # $1 dir, $2 log, then make arguments
  d=$1; l=$2; shift 2; (cd "$d" && make all install DESTDIR="$d/dest" PREFIX=/usr/local "$@") >"$l" 2>&1; }

echo "repro: SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH; sources from $([ "$in_git" = 1 ] && echo "git ls-files" || echo "the directory")"
echo "repro: build A: $dir_a (umask 022, TZ=UTC, LC_ALL=C, real time, -j1)"
( umask 022; export TZ=UTC LC_ALL=C LANG=C HOME="$work/home-a" USER=builder LOGNAME=builder
  build "$dir_a" "$work/a.log" -j1 "$@" ) || { tail -n 20 "$work/a.log" >&2; die "build A failed"; }
echo "repro: build B: $dir_b (umask 077, TZ=Pacific/Kiritimati, LC_ALL=C.UTF-8, clock +730 days, -j2)"
( umask 077; export TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=C.UTF-8 HOME="$work/home-b" USER=other LOGNAME=other
  faketime -f '+730d' sh -c 'd=$1; l=$2; shift 2; cd "$d" && make all install DESTDIR="$d/dest" PREFIX=/usr/local "$@" >"$l" 2>&1' \
    sh "$dir_b" "$work/b.log" -j2 "$@" ) || { tail -n 20 "$work/b.log" >&2; die "build B failed"; }

# One line per file: "path<TAB>digest": the SHA-256 of a regular file (plus its mode for
# installed files; build-tree modes follow the umask by design), a symlink's target.
inventory() { # $1 build dir
  (cd "$1" && find dest build/lib build/bin \( -type f -o -type l \) 2>/dev/null | LC_ALL=C sort |
    while IFS= read -r f; do
      if [ -L "$f" ]; then
        printf '%s\t-> %s\n' "$f" "$(readlink "$f")"
      else
        case $f in dest/*) mode=" $(stat -c %a "$f")" ;; *) mode="" ;; esac
        printf '%s\t%s%s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)" "$mode"
      fi
    done)
}
inventory "$dir_a" >"$work/a.inv"
inventory "$dir_b" >"$work/b.inv"
[ -s "$work/a.inv" ] || die "build A installed nothing"

LC_ALL=C awk -F '\t' '
  NR == FNR { a[$1] = $2; order[++n] = $1; next }
  { b[$1] = $2; if (!($1 in a)) order[++n] = $1 }
  END {
    bad = 0
    printf "%-52s %-69s %-69s %s\n", "file", "A: sha256 mode", "B: sha256 mode", ""
    for (i = 1; i <= n; i++) {
      f = order[i]
      x = (f in a) ? a[f] : "(missing)"; y = (f in b) ? b[f] : "(missing)"
      same = (x == y); if (!same) bad++
      printf "%-52s %-69s %-69s %s\n", f, x, y, same ? "same" : "DIFFERS"
    }
    printf "repro: %d files, %d differ\n", n, bad
    exit bad ? 1 : 0
  }' "$work/a.inv" "$work/b.inv"
rc=$?
if [ "$rc" = 0 ]; then
  echo "repro: OK: both builds are bit-for-bit identical"
else
  echo "repro: FAILED: the builds differ (compare with: diffoscope; LP_REPRO_KEEP=1 keeps both trees)"
fi
exit "$rc"
