#!/bin/sh
# Every tool answers --version with "<tool> <VERSION>" (the VERSION file's text,
# which the Makefile passes to the tools), exit 0, nothing on stderr; and an unknown
# option is a usage error.
. tests/cli/lib.sh
version=$(cat VERSION)
[ -n "$version" ] || failt "no VERSION file"
for t in canonicalize verify_attestation recompute_pcr0 replay_consensus verify_weights \
         verify_merkle_inclusion audit_checkpoints verify_log verify_weight_submission verify_hotkey_signature \
         recompute_weights verify_weight_bundle replay_sn46; do
  expect_exit 0 "$t --version" "$LP_BIN/$t" --version
  expect_eq "$t --version text" "$(cat "$T_TMP/out")" "$t $version"
  expect_eq "$t --version stderr" "$(cat "$T_TMP/err")" ""
  expect_exit 2 "$t --no-such-option" "$LP_BIN/$t" --no-such-option
done
finish test_version
