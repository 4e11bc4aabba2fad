#!/bin/sh
# canonicalize, run as a user would, against Leadpoet's Python outputs.
. tests/cli/lib.sh
C="$LP_BIN/canonicalize"

# Expand vectors/leadpoet/canonical_json.json into one input file and one expected
# output per case and profile (python3 only reads the vector file here).
python3 - "$T_TMP" <<'PY'
import json, sys, os
d = json.load(open("vectors/leadpoet/canonical_json.json"))
out = sys.argv[1]
with open(os.path.join(out, "index"), "w") as idx:
    for c in d["cases"]:
        open(os.path.join(out, c["name"] + ".in"), "wb").write(c["input_json"].encode("utf-8", "surrogatepass"))
        for prof, o in c["outputs"].items():
            cli = prof.replace("_", "-")
            if "utf8_hex" in o:
                open(os.path.join(out, c["name"] + "." + prof + ".hex"), "w").write(o["utf8_hex"])
                open(os.path.join(out, c["name"] + "." + prof + ".sha"), "w").write(o["sha256"])
                idx.write("%s %s %s ok\n" % (c["name"], prof, cli))
            else:
                idx.write("%s %s %s err\n" % (c["name"], prof, cli))
PY

while read -r name prof cli kind; do
  if [ "$kind" = ok ]; then
    expect_exit 0 "$name/$cli" "$C" --profile "$cli" "$T_TMP/$name.in"
    got=$(od -An -v -tx1 "$T_TMP/out" | tr -d ' \n')
    expect_eq "$name/$cli bytes" "$got" "$(cat "$T_TMP/$name.$prof.hex")"
    expect_exit 0 "$name/$cli --sha256" "$C" --sha256 --profile "$cli" "$T_TMP/$name.in"
    expect_eq "$name/$cli sha256" "$(cat "$T_TMP/out")" "$(cat "$T_TMP/$name.$prof.sha")"
  else
    expect_exit 2 "$name/$cli must refuse" "$C" --profile "$cli" "$T_TMP/$name.in"
    expect_stderr_line "$name/$cli one-line reason" "^canonicalize: (NAN_NOT_ALLOWED|LONE_SURROGATE): "
    expect_eq "$name/$cli no output" "$(wc -c <"$T_TMP/out" | tr -d ' ')" 0
  fi
done <"$T_TMP/index"

# stdin, the trailing-newline contract, and the --sha256 newline
printf '{"b":1,"a":[1.0,2]}' | "$C" --profile compact-sorted-ascii - >"$T_TMP/o1"
expect_eq "stdin" "$(od -An -c "$T_TMP/o1" | tr -d ' \n')" '{"a":[1.0,2],"b":1}'
printf '{}' | "$C" --profile compact-sorted-ascii --sha256 - >"$T_TMP/o2"
expect_eq "sha256 output is 64 hex and a newline" "$(wc -c <"$T_TMP/o2" | tr -d ' ')/$(tail -c 1 "$T_TMP/o2" | od -An -tx1 | tr -d ' ')" "65/0a"

# refusals: usage, malformed input, unreadable file
expect_exit 2 "no args" "$C"
expect_exit 2 "unknown profile" "$C" --profile compact "$T_TMP/empty_object.in"
expect_stderr_line "unknown profile reason" "^canonicalize: USAGE: unknown profile"
expect_exit 2 "missing file" "$C" --profile compact-sorted-ascii "$T_TMP/nope.json"
expect_stderr_line "missing file reason" "^canonicalize: IO_ERROR: "
printf '{"a":1,}' >"$T_TMP/bad.json"
expect_exit 2 "trailing comma" "$C" --profile compact-sorted-ascii "$T_TMP/bad.json"
expect_stderr_line "syntax reason with offset" "^canonicalize: JSON_SYNTAX: .*byte 7"
printf '[1]x' >"$T_TMP/extra.json"
expect_exit 2 "extra data" "$C" --profile compact-sorted-ascii "$T_TMP/extra.json"
printf '"\377"' >"$T_TMP/badutf8.json"
expect_exit 2 "invalid utf-8" "$C" --profile compact-sorted-ascii "$T_TMP/badutf8.json"
expect_stderr_line "utf8 reason" "^canonicalize: BAD_UTF8: "
expect_exit 2 "unknown option" "$C" --profile compact-sorted-ascii --frob "$T_TMP/empty_object.in"
expect_exit 0 "help" "$C" --help

finish test_canonicalize
