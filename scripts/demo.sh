#!/bin/sh
# make demo: the toolkit's main job on bundled data, with the verdict last.
set -u
BUILD=${1:-build}
BIN="$BUILD/bin"

echo "== leadpoet-verify demo: canonical core =="
echo "Input (a weight bundle written by hand, keys unsorted):"
cat vectors/demo/bundle_weights_docstring_example.json
echo
echo "Python-exact compact-sorted-ascii preimage, as Leadpoet hashes it:"
"$BIN/canonicalize" --profile compact-sorted-ascii vectors/demo/bundle_weights_docstring_example.json || exit 2
echo
got=$("$BIN/canonicalize" --profile compact-sorted-ascii --sha256 vectors/demo/bundle_weights_docstring_example.json) || exit 2
# Expected value: Leadpoet's own bundle_weights_hash (vectors/leadpoet/weights.json, docstring_example).
want=7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8
echo "SHA-256 computed:               $got"
echo "bundle_weights_hash (Leadpoet): $want"
if [ "$got" = "$want" ]; then
  echo "verdict: OK (byte-identical to Leadpoet's Python)"
else
  echo "verdict: MISMATCH"
  exit 1
fi
