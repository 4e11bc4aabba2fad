#!/bin/sh
# nix/: every expression parses; the package, default.nix and the flake evaluate and build
# offline against tests/nix/stub-nixpkgs (spec eif-pcr-repro.md §4.4), and their phases run
# the Makefile's targets. Real nixpkgs cannot be fetched here. Part of make check-repro.
. tests/cli/lib.sh
V=$(cat VERSION)
if [ -n "${LP_NIX_STUB:-}" ]; then
  echo "test_nix: skipped inside the stub Nix build (it is what this test builds)"
  finish test_nix; exit
fi
if [ "${LP_SAN:-}" = 1 ]; then
  echo "test_nix: skipped in the sanitizer pass (it runs in the plain pass)"
  finish test_nix; exit
fi
if ! command -v nix-instantiate >/dev/null 2>&1; then
  echo "test_nix: skipped: nix-bin is not installed (sh scripts/install-deps.sh installs it)"
  finish test_nix; exit
fi

# Single-user root Nix without a nixbld group, no substituters: a private nix.conf.
mkdir -p "$T_TMP/nixconf"
cat >"$T_TMP/nixconf/nix.conf" <<'CONF'
build-users-group =
experimental-features = nix-command flakes
substituters =
sandbox = false
CONF
export NIX_CONF_DIR="$T_TMP/nixconf"
unset NIX_CONFIG NIX_PATH

# A copy of the tree as a git repository (flakes see tracked files only).
repo="$T_TMP/repo"; mkdir -p "$repo"
if [ -e .git ]; then
  git ls-files -z -c -o --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$repo" -xf -
else
  tar --exclude=./build --exclude='./build-*' -cf - . | tar -C "$repo" -xf -
fi
(cd "$repo" && git init -q && git add -A &&
  git -c user.name=test -c user.email=test@invalid commit -qm tree) || failt "git repository of the tree"
stub="$repo/tests/nix/stub-nixpkgs"
# Build outputs lying in the tree must not reach the package's source.
mkdir -p "$repo/build/obj" "$repo/build-san"; echo junk >"$repo/build/obj/junk.o"

# 1. Syntax of every .nix file; a broken one is refused.
n=0
for f in $(cd "$repo" && git ls-files '*.nix'); do
  expect_exit 0 "parse $f" nix-instantiate --parse "$repo/$f"; n=$((n + 1))
done
[ "$n" -ge 6 ] && pass || failt "only $n .nix files found"
printf '{ a = 1; b = ' >"$T_TMP/broken.nix"
expect_exit 1 "a truncated expression does not parse" nix-instantiate --parse "$T_TMP/broken.nix"

# 2. What the package asks nixpkgs for, and its phases (evaluated through default.nix).
ev() { nix-instantiate --eval --read-write-mode --strict --json -E "let d = import $repo/nix/default.nix { pkgs = import $stub { }; }; in $1" 2>"$T_TMP/ev.err"; }
# The version is the VERSION file's text without its newline (lib.fileContents).
expect_eq "name" "$(ev d.name)" "\"leadpoet-verify-$V\""
expect_eq "buildInputs" "$(ev d.stubBuildInputs)" '"openssl libsodium libcbor jansson curl zlib libarchive"'
expect_eq "nativeBuildInputs" "$(ev d.stubNativeBuildInputs)" '"pkg-config"'
expect_eq "check inputs" "$(ev d.stubCheckInputs)" '"check python3 libfaketime"'
expect_eq "doCheck" "$(ev d.doCheck)" '"1"'
ev d.buildPhase | grep -q 'make -j$NIX_BUILD_CORES all PREFIX=$out' && pass || failt "buildPhase: $(ev d.buildPhase)"
ev d.checkPhase | grep -q 'make check' && pass || failt "checkPhase: $(ev d.checkPhase)"
ev d.installPhase | grep -q 'make install PREFIX=$out' && pass || failt "installPhase: $(ev d.installPhase)"
# The source excludes build outputs and VCS data.
srcdir=$(ev d.src | tr -d '"')
if [ -f "$srcdir/Makefile" ] && [ ! -e "$srcdir/.git" ] && [ ! -e "$srcdir/build" ]; then pass; else failt "src $srcdir"; fi
# Without a dependency in the package set, evaluation fails (the stub is not permissive).
cp -R "$stub" "$T_TMP/stub-bad"; chmod -R u+w "$T_TMP/stub-bad"
sed -i 's/"libcbor" //' "$T_TMP/stub-bad/default.nix"
expect_exit 1 "evaluation without libcbor fails" nix-instantiate --eval -E \
  "(import $repo/nix/default.nix { pkgs = import $T_TMP/stub-bad { }; }).drvPath"

# 3. Build through the stub: the log shows the three make invocations, the result has the tools.
nix-build "$repo/nix/default.nix" --arg pkgs "import $stub { }" --no-out-link >"$T_TMP/out" 2>"$T_TMP/build.log"
rc=$?; out=$(tail -n 1 "$T_TMP/out")
expect_eq "nix-build through the stub: exit" "$rc" 0
[ "$rc" = 0 ] || tail -n 30 "$T_TMP/build.log"
drv=$(nix-instantiate "$repo/nix/default.nix" --arg pkgs "import $stub { }" 2>/dev/null)
# The stored log is that of the derivation's latest build, which may be an earlier run's
# `nix-build --check` (step 4): that build writes to a temporary output path of the same
# name, so PREFIX is matched as this derivation's output path, whichever build it was.
outre="/nix/store/[a-z0-9]{32}-${out#/nix/store/*-}"
nix-store --read-log "$out" >"$T_TMP/log" 2>/dev/null || cp "$T_TMP/build.log" "$T_TMP/log"
# The job count is NIX_BUILD_CORES (the machine's); nix may prefix log lines with "<name>> ".
grep -qE "^([a-z0-9.-]+> )?\+ make -j[0-9]+ all PREFIX=$outre\$" "$T_TMP/log" && pass ||
  failt "log lacks 'make all PREFIX=\$out' (out=$out; make lines: $(grep -m 3 'make ' "$T_TMP/log" | tr '\n' '|'))"
grep -qE '^([a-z0-9.-]+> )?\+ make check$' "$T_TMP/log" && pass || failt "log lacks 'make check'"
grep -qE '^([a-z0-9.-]+> )?check: all three passes \(plain, asan\+ubsan, tsan\) succeeded' "$T_TMP/log" && pass || failt "make check did not succeed in the build"
grep -qE "^([a-z0-9.-]+> )?\+ make install PREFIX=$outre\$" "$T_TMP/log" && pass ||
  failt "log lacks 'make install PREFIX=\$out' (out=$out)"
for f in bin/canonicalize "lib/libleadpoet_canonical.so.$V" lib/libleadpoet_canonical.a include/leadpoet_canonical.h; do
  [ -e "$out/$f" ] && pass || failt "result lacks $f"
done
expect_eq "pkg-config file points at the output" "$(sed -n 's/^prefix=//p' "$out/lib/pkgconfig/leadpoet_canonical.pc")" "$out"
# Leadpoet's bundle_weights_hash for docstring_example (vectors/leadpoet/weights.json).
expect_eq "the built tool works" \
  "$("$out/bin/canonicalize" --profile compact-sorted-ascii --sha256 vectors/demo/bundle_weights_docstring_example.json)" \
  "7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8"

# 4. Nix's own rebuild check: build again and compare with the stored output.
expect_exit 0 "nix-build --check: the rebuild is bit-for-bit identical" \
  nix-build "$repo/nix/default.nix" --arg pkgs "import $stub { }" --no-out-link --check

# 5. The flake, with the locked nixpkgs replaced by the stub (nothing is fetched).
flk="$repo/nix"; ov="--override-input nixpkgs path:$stub --no-write-lock-file"
# shellcheck disable=SC2086
expect_exit 0 "nix flake check through the stub" nix flake check "$flk" $ov
[ -s "$T_TMP/err" ] && grep -qi error "$T_TMP/err" && cat "$T_TMP/err"
sys=$(nix-instantiate --eval -E builtins.currentSystem | tr -d '"')
# shellcheck disable=SC2086
expect_eq "packages.default is the default.nix derivation" \
  "$(nix eval --raw "$flk#packages.$sys.default.drvPath" $ov 2>/dev/null)" "$drv"
# shellcheck disable=SC2086
# Expected: one app per verify/<tool>.c (cli_* is shared plumbing) plus "default", sorted as attrNames.
want_apps=$( (for f in verify/*.c; do b=${f##*/}; b=${b%.c}; case $b in cli_*) ;; *) echo "$b";; esac; done; echo default) \
  | LC_ALL=C sort | sed 's/.*/"&"/' | paste -sd, | sed 's/.*/[&]/')
expect_eq "apps: one per tool, and default" \
  "$(nix eval --json "$flk#apps.$sys" --apply builtins.attrNames $ov 2>/dev/null)" "$want_apps"
# shellcheck disable=SC2086
expect_eq "apps.default runs canonicalize" \
  "$(nix eval --raw "$flk#apps.$sys.default.program" $ov 2>/dev/null)" "$out/bin/canonicalize"
# The committed lock pins nixos-24.11 at a fixed commit; metadata reads it offline.
nix flake metadata "$flk" --json --no-write-lock-file >"$T_TMP/meta.json" 2>/dev/null
expect_eq "flake.lock pins nixpkgs" \
  "$(python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["locks"]["nodes"]["nixpkgs"]; print(n["original"]["ref"], n["locked"]["rev"], n["locked"]["narHash"])' "$T_TMP/meta.json" 2>&1)" \
  "nixos-24.11 50ab793786d9de88ee30ec4e4c24fb4236fc2674 sha256-/bVBlRpECLVzjV19t5KMdMFWSwKLtb5RyXdjz3LJT+g="

finish test_nix
