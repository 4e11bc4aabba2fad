#!/bin/sh
# make demo: the toolkit's main job on bundled data, with the verdict last.
set -u
BUILD=${1:-build}
BIN="$BUILD/bin"

echo "== 1. canonical core: a weight bundle hashed exactly as Leadpoet's Python does =="
got=$("$BIN/canonicalize" --profile compact-sorted-ascii --sha256 vectors/demo/bundle_weights_docstring_example.json) || exit 2
# Expected: Leadpoet's own bundle_weights_hash (vectors/leadpoet/weights.json, docstring_example).
want=7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8
printf 'preimage: '; "$BIN/canonicalize" --profile compact-sorted-ascii vectors/demo/bundle_weights_docstring_example.json; echo
echo "computed: $got"
echo "Leadpoet: $want"
[ "$got" = "$want" ] && echo "canonical: OK" || { echo "canonical: MISMATCH"; exit 1; }
echo

# A genuine AWS-signed attestation document (vectors/nitro/real/, manifest.json):
# verified at its own timestamp against the pinned AWS Nitro root, with its PCR0 pinned.
DOC=vectors/nitro/real/marlin-aws-2024-12-13.cose
PCR0=189038eccf28a3a098949e402f3b3d86a876f4915c5b02d546abb5d8c507ceb1755b8192d8cfca66e8f226160ca4c7a6
echo "== 2. verify_attestation --at doc --expect-pcr 0=${PCR0%"${PCR0#????????????}"}... $DOC =="
"$BIN/verify_attestation" --at doc --expect-pcr "0=$PCR0" "$DOC"
