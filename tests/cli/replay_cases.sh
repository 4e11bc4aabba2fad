# Shared runner for vectors/replay/cases.tsv (sourced by the CLI tests after lib.sh).
# run_cases TOOL: runs every manifest row of TOOL; checks the exit code, the
# result code (--json "result", or the human "result:" line, or the stderr
# code on exit 2) and each expected substring (stdout; on exit 2 also stderr,
# where the field is named).
run_cases() {
  tool=$1
  US=$(printf '\037'); TAB=$(printf '\t')
  set -f
  while IFS="$TAB" read -r name t args want result rest; do
    case "$name" in '#'*|'') continue ;; esac
    [ "$t" = "$tool" ] || continue
    oldifs=$IFS; IFS=$US
    # shellcheck disable=SC2086
    expect_exit "$want" "$name" "$LP_BIN/$tool" $args
    IFS=$oldifs
    case "$args" in
      *--json*)
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d,dict); print(d["result"])' \
          "$T_TMP/out" >"$T_TMP/res" 2>/dev/null || echo "NOT-ONE-JSON-OBJECT" >"$T_TMP/res"
        expect_eq "$name: result" "$(cat "$T_TMP/res")" "$result" ;;
      *)
        case "$want" in 0) pre="OK" ;; 1) pre="FAILED: $result" ;; *) pre="UNDECIDED: $result" ;; esac
        expect_eq "$name: verdict line" "$(tail -n 1 "$T_TMP/out" | cut -c1-${#pre})" "$pre" ;;
    esac
    if [ "$want" != 0 ]; then
      expect_stderr_line "$name: one stderr line" "^$tool: $result: "
    fi
    IFS=$TAB
    for e in $rest; do
      if grep -qF -- "$e" "$T_TMP/out" || { [ "$want" = 2 ] && grep -qF -- "$e" "$T_TMP/err"; }; then pass
      else failt "$name: expected '$e' in output: $(head -c 300 "$T_TMP/out") / $(head -c 200 "$T_TMP/err")"; fi
    done
    IFS=$oldifs
  done < vectors/replay/cases.tsv
  set +f
}
