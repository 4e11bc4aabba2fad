#!/bin/sh
# Installs the Debian 12 packages leadpoet-verify builds and tests with.
# Idempotent: does nothing when every package is present.
set -eu
PKGS="make gcc libc6-dev pkg-config libssl-dev libsodium-dev libcbor-dev libjansson-dev
libcurl4-openssl-dev zlib1g-dev libarchive-dev check python3 ca-certificates"
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
