#!/bin/sh
# verify_attestation on the x509-limbo-style certificate-path cases
# (vectors/nitro/x509/index.json): each with --root <the case's test root> and
# --at <the case's instant>; exit code, --json result and the one stderr line
# must match the index (which holds limbo's verdict, or the Nitro profile's).
set -u
BIN=${LP_BIN:-build/bin}/verify_attestation
V=vectors/nitro/x509
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0; fail=0
# one line per case: file<TAB>at<TAB>expected<TAB>root file, roots written by python3
python3 - "$V/index.json" "$T" >"$T/cases" <<'PY' || { echo "test_x509_limbo: cannot read index"; echo "x509_limbo: 0 passed, 1 failed"; exit 1; }
import json, sys
idx = json.load(open(sys.argv[1]))
for i, c in enumerate(idx["cases"]):
    root = "%s/root%d.der" % (sys.argv[2], i)
    open(root, "wb").write(bytes.fromhex(c["root_der_hex"]))
    print("\t".join([c["file"], str(c["at"]), c["expected_result"], root]))
PY
n=0
while IFS="$(printf '\t')" read -r file at want root; do
  n=$((n + 1))
  "$BIN" --json --any-pcr --root "$root" --at "$at" "$V/$file" >"$T/out" 2>"$T/err"; rc=$?
  got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$T/out" 2>/dev/null)
  if [ "$want" = OK ]; then wrc=0; else wrc=1; fi
  if [ "$rc" = "$wrc" ] && [ "$got" = "$want" ]; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAIL: $file: exit $rc result '$got', want $wrc $want"; fi
  if [ "$want" != OK ]; then
    if [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^verify_attestation: $want: " "$T/err"; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL: $file: stderr '$(cat "$T/err")'"; fi
  fi
  # the same document without --root: never trusted
  "$BIN" --json --any-pcr --at "$at" "$V/$file" >"$T/out" 2>/dev/null; rc=$?
  got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$T/out" 2>/dev/null)
  if [ "$rc" = 1 ] && [ "$got" = UNTRUSTED_ROOT ]; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAIL: $file without --root: exit $rc result '$got'"; fi
done <"$T/cases"
if [ "$n" -lt 45 ]; then fail=$((fail + 1)); echo "FAIL: only $n cases in the index"; fi
echo "x509_limbo: $pass passed, $fail failed"
[ "$fail" = 0 ]
