#!/bin/sh
# Installs the Debian 12 packages leadpoet-verify builds and tests with.
# Idempotent: does nothing when every package is present.
#   sh scripts/install-deps.sh              build + test (make check, make repro)
#   sh scripts/install-deps.sh --reprotest  also Debian's reprotest and disorderfs (make reprotest)
# On a system without dpkg (e.g. inside a Nix build) it does nothing: the caller supplies
# the dependencies.
set -eu
# faketime: make repro varies the wall clock; nix-bin: tests/cli/test_nix.sh evaluates
# and builds nix/ offline against a stub nixpkgs; golang-github-cloudflare-circl-dev ships
# Wycheproof's Ed25519 vectors (tests/test_wycheproof.c, vectors/wycheproof/README.md);
# python3-cryptography runs the vector generators (vectors/wycheproof, vectors/nitro/x509);
# time: tests/cli/test_limits.sh measures peak memory with GNU time.
PKGS="make gcc libc6-dev pkg-config libssl-dev libsodium-dev libcbor-dev libjansson-dev
libcurl4-openssl-dev zlib1g-dev libarchive-dev check python3 ca-certificates git faketime nix-bin
golang-github-cloudflare-circl-dev python3-cryptography time"
if [ "${1:-}" = "--reprotest" ]; then
  PKGS="$PKGS reprotest disorderfs"
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: no dpkg-query (not Debian); not installing anything" >&2
  exit 0
fi
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
  exit 2
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
