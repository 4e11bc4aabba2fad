#!/bin/sh
# make fuzz: runs each libFuzzer target in $1/bin for $2 seconds (one worker).
#   sh tests/fuzz/run_fuzz.sh BUILD_DIR SECONDS TARGET...
# The seed corpus of each target ($1/corpus/<target>) is built from vectors/ (see
# tests/fuzz/seeds.sh) plus the committed regression inputs tests/fuzz/regress/<target>/.
# Crashes, leaks, timeouts and OOMs are written to $1/crashes/<target>/; the exit status
# is non-zero when any target found one. Per-run logs: $1/logs/<target>.log.
set -u
D=$1; SECS=$2; shift 2
found=0
for t in "$@"; do
  corpus=$D/corpus/$t crashes=$D/crashes/$t
  mkdir -p "$corpus" "$crashes" "$D/logs"
  sh tests/fuzz/seeds.sh "$t" "$corpus"
  [ -d "tests/fuzz/regress/$t" ] && cp tests/fuzz/regress/"$t"/* "$corpus"/ 2>/dev/null
  case $t in
    fuzz_attest|fuzz_certs) max=24576 ;;
    fuzz_eif)               max=24576 ;;
    fuzz_docker_image)      max=262144 ;;
    fuzz_checkpoint|fuzz_replay|fuzz_log|fuzz_json|fuzz_consensus|fuzz_wcomp) max=16384 ;;
    fuzz_receipts|fuzz_attested_v2) max=65536 ;;
    fuzz_published_v2|fuzz_weight_bundle|fuzz_compact_weight_v2|fuzz_sn46) max=131072 ;;
    *)                      max=8192 ;;
  esac
  echo "fuzz: $t for ${SECS}s (max_len $max, corpus $(ls "$corpus" | wc -l) files)"
  "$D/bin/$t" -max_total_time="$SECS" -max_len=$max -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$corpus" >"$D/logs/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$D/logs/$t.log" | tail -n 1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$D/logs/$t.log" | tail -n 1)
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$D/logs/$t.log" | tail -n 1 | cut -d' ' -f2)
  arts=$(ls "$crashes" | wc -l)
  echo "fuzz: $t exit $rc, ${secs:-?} s, ${execs:-?} executions, corpus ${corp:-?}, artifacts: $arts"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${secs:-?}" "${execs:-?}" "${corp:-?}" "$rc" "$arts" >>"$D/results.tsv"
  if [ "$rc" != 0 ] || [ -n "$(ls "$crashes")" ]; then found=1; fi
done
[ "$found" = 0 ] || { echo "fuzz: findings under $D/crashes/"; exit 1; }
echo "fuzz: no findings"
