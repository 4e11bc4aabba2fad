#!/bin/sh
# Replays every libFuzzer target's regression corpus (tests/fuzz/regress/<target>/:
# inputs that once crashed it, plus small interesting ones) and its seeds from
# vectors/ (tests/fuzz/seeds.sh) through the plain driver tests/fuzz/replay_main.c
# built with the normal compiler: $BUILD/fuzz/<target>.  In the sanitizer pass of
# make check the same binaries run under ASan+UBSan.
. tests/cli/lib.sh
FZ=${BUILD:-build}/fuzz
for src in tests/fuzz/fuzz_*.c; do
  t=$(basename "$src" .c)
  if [ ! -x "$FZ/$t" ]; then failt "$t: replay binary $FZ/$t not built"; continue; fi
  reg=tests/fuzz/regress/$t
  nreg=$(find "$reg" -maxdepth 1 -type f 2>/dev/null | wc -l)
  if [ "$nreg" -gt 0 ]; then pass; else failt "$t: no regression inputs in $reg"; continue; fi
  expect_exit 0 "$t: regression corpus" "$FZ/$t" "$reg"
  expect_eq "$t: regression inputs replayed" "$(tail -n 1 "$T_TMP/out")" "replayed $nreg inputs"
  mkdir -p "$T_TMP/seeds/$t"
  sh tests/fuzz/seeds.sh "$t" "$T_TMP/seeds/$t" || failt "$t: seed generation failed"
  nseed=$(find "$T_TMP/seeds/$t" -maxdepth 1 -type f | wc -l)
  expect_exit 0 "$t: seeds from vectors/" "$FZ/$t" "$T_TMP/seeds/$t"
  expect_eq "$t: seeds replayed" "$(tail -n 1 "$T_TMP/out")" "replayed $nseed inputs"
done
# The driver itself: a missing input is an error, not a silent pass.
expect_exit 2 "replay: missing input" "$FZ/fuzz_json" "$T_TMP/does-not-exist"
expect_eq "replay: missing input counted" "$(tail -n 1 "$T_TMP/out")" "replayed 0 inputs"
finish fuzz_regress
