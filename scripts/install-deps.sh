#!/bin/sh
# The Debian 12 packages leadpoet-verify builds and tests with.
#   sh scripts/install-deps.sh                 install what is missing (build, make check,
#                                              make check-repro); nothing when all are present
#   sh scripts/install-deps.sh --reprotest     also Debian's reprotest and disorderfs
#   sh scripts/install-deps.sh --check         install nothing: name what make check lacks, exit 2
#   sh scripts/install-deps.sh --check-repro   the same for make check-repro
# make never installs: check, check-repro and demo run the --check forms. Without dpkg
# (e.g. inside a Nix build, where the caller supplies the dependencies) the --check forms
# look for the commands and pkg-config modules instead, and installing does nothing.
set -eu
# Build: the compiler, make, pkg-config and the libraries (libarchive-dev: the Docker-image
# reader of recompute_pcr0 --docker-image).
BUILD_PKGS="make gcc libc6-dev pkg-config libssl-dev libsodium-dev libcbor-dev libjansson-dev
libcurl4-openssl-dev zlib1g-dev libarchive-dev"
# make check: Check (unit tests); python3 for the binding and differential tests;
# python3-cryptography runs the vector generators (vectors/wycheproof, vectors/nitro/x509);
# time: tests/cli/test_limits.sh measures peak memory with GNU time; locales: localedef
# builds the de_DE.UTF-8 locale the locale-independence tests run under; jq and openssl(1):
# the CLI tests read reports and convert certificates with them.
CHECK_PKGS="check python3 python3-cryptography ca-certificates openssl time locales jq"
# make check-repro: git lists the tree's files; faketime varies the wall clock (make repro);
# nix-bin evaluates and builds nix/ offline against a stub nixpkgs (tests/repro/test_nix.sh).
REPRO_PKGS="git faketime nix-bin"

mode=install
PKGS="$BUILD_PKGS $CHECK_PKGS $REPRO_PKGS"
case "${1:-}" in
  "") ;;
  --reprotest) PKGS="$PKGS reprotest disorderfs" ;;
  --check) mode=check; PKGS="$BUILD_PKGS $CHECK_PKGS" ;;
  --check-repro) mode=check; PKGS="$BUILD_PKGS $REPRO_PKGS python3" ;;
  *) echo "usage: sh scripts/install-deps.sh [--reprotest | --check | --check-repro]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  [ "$mode" = install ] && { echo "install-deps: no dpkg-query (not Debian); not installing anything" >&2; exit 0; }
  # Not Debian: the commands and pkg-config modules the build and tests use.
  missing=""
  for c in make cc pkg-config python3; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
  done
  if [ "${1:-}" = --check-repro ]; then
    for c in git faketime nix-instantiate; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
  fi
  if command -v pkg-config >/dev/null 2>&1; then
    for m in openssl libsodium libcbor jansson libcurl zlib check; do
      pkg-config --exists "$m" 2>/dev/null || missing="$missing pkg-config:$m"
    done
  fi
  [ -z "$missing" ] && exit 0
  echo "install-deps: missing:$missing" >&2
  exit 2
fi

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$mode" = check ]; then
  echo "install-deps: missing Debian packages:$missing; install them with: sh scripts/install-deps.sh" >&2
  exit 2
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
  exit 2
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
