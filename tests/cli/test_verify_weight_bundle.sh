#!/bin/sh
# verify_weight_bundle as a user runs it on vectors/leadpoet-v2/weights_v2.json: every
# published bundle (6 valid with the reference's return value, 37 tampered each failing
# its named step with the reference's message), every shadow bundle (5 + 19), the
# compact submissions, the WEIGHT_SUBMISSION_V2 events and their negatives; the opt-out
# flags (the vectors' boots and hotkey signatures are placeholders), fail-closed
# defaults, usage errors.  The real attestation path is tests/test_weight_bundle_verify.c.
. tests/cli/lib.sh
T="$LP_BIN/verify_weight_bundle"
V=vectors/leadpoet-v2/weights_v2.json
python3 - "$T_TMP" "$V" <<'PY' || { echo "fixture generation failed"; echo "test_verify_weight_bundle: 0 passed, 1 failed"; exit 1; }
import json, sys, os
t, v = sys.argv[1], sys.argv[2]
d = json.load(open(v))
def w(name, obj):
    open(os.path.join(t, name), "w").write(json.dumps(obj, ensure_ascii=False))
with open(os.path.join(t, "cases.tsv"), "w") as out:
    p = d["published_weight_bundles_v2"]
    for i, c in enumerate(p["valid"]):
        w("pv%d.json" % i, c["bundle"])
        x = c["verified"]
        out.write("\t".join(["pv%d" % i, c["name"], "valid", x["bundle_hash"], x["root_receipt_hash"], x["weights_hash"],
                             json.dumps(x["uids"], separators=(",", ":")), json.dumps(x["weights_u16"], separators=(",", ":"))]) + "\n")
    for i, c in enumerate(p["tampered"]):
        w("pt%d.json" % i, c["bundle"])
        e = c["validate_error"]
        out.write("\t".join(["pt%d" % i, c["name"], "tampered", c["step"], e["type"], e["message"]]) + "\n")
    s = d["weight_bundles_v2_shadow"]
    for i, c in enumerate(s["valid"]):
        w("sv%d.json" % i, c["bundle"])
        out.write("\t".join(["sv%d" % i, c["name"], "shadow_valid", c["bundle_hash_sha256_json"],
                             "--require-allocation-ancestry" if c["require_allocation_ancestry"] else "-"]) + "\n")
    for i, c in enumerate(s["tampered"]):
        w("st%d.json" % i, c["bundle"])
        e = c.get("validate_error") or c.get("error")
        if not isinstance(c["bundle"], dict):
            # the reference iterates a str as a mapping and refuses it; here it is not a bundle
            out.write("\t".join(["st%d" % i, c["name"], "not_a_bundle"]) + "\n")
            continue
        out.write("\t".join(["st%d" % i, c["name"], "shadow_tampered", e["type"], e["message"],
                             "--require-allocation-ancestry" if c["require_allocation_ancestry"] else "-"]) + "\n")
    # compact submissions (§8.4) and the four negatives on the first
    cnames = []
    for i, c in enumerate(d["compact_weight_submissions"]):
        cnames.append(c["name"])
        w("cv%d.json" % i, c["submission"])
        out.write("\t".join(["cv%d" % i, c["name"], "compact_valid", c["bundle_hash"]]) + "\n")
        # the negatives' expectations are compact_weight_bundle_hash_v2's; the whole
        # verifier refuses each of them (the upper-case signature at the binding receipt's
        # output, which holds the normalised one, as verify_compact_weight_submission_v2 does)
        for j, n in enumerate(c["negatives"]):
            w("cn%d_%d.json" % (i, j), n["submission"])
            out.write("\t".join(["cn%d_%d" % (i, j), n["name"], "compact_refused"]) + "\n")
    # WEIGHT_SUBMISSION_V2 events (weights-v2 §9): the full bundles' records, the negatives
    e = d["weight_submission_v2_events"]
    open(os.path.join(t, "signer"), "w").write(e["event_signer"]["public_key_hex"])
    names = [c["name"] for c in p["valid"]]
    for i, r in enumerate(e["records"]):
        w("ev%d.json" % i, r["log_entry"])
        b = "pv%d" % names.index(r["source_case"]) if r["bundle_kind"] == "full" else "cv%d" % cnames.index(r["source_case"])
        out.write("\t".join(["ev%d" % i, r["name"], "event", b]) + "\n")
    want = {"payload_weights_hash_edited_unsigned": "EVENT_SIGNATURE_INVALID",
            "signed_event_gateway_block_drift_45": "EPOCH_AUTHORITY_MISMATCH",
            "event_signed_by_other_key": "EVENT_SIGNATURE_INVALID"}
    for i, n in enumerate(e["negatives"]):
        c = n["checks"]
        # the expected code follows from the negative's reference outcomes
        if not n["verify_log_entry_pinned"]:
            assert want[n["name"]] == "EVENT_SIGNATURE_INVALID"
        elif not c["epoch_authority_consistent"]:
            assert want[n["name"]] == "EPOCH_AUTHORITY_MISMATCH"
        w("en%d.json" % i, n["log_entry"])
        out.write("\t".join(["en%d" % i, n["name"], "event_negative", "pv0", want[n["name"]]]) + "\n")
    # a valid event of another bundle
    other = [i for i, r in enumerate(e["records"]) if r["bundle_kind"] == "full" and r["source_case"] != names[0]][0]
    out.write("\t".join(["ev%d" % other, "event of another bundle", "event_negative", "pv0", "EVENT_MISMATCH"]) + "\n")
PY

# jget KEY: a top-level member of the last --json output
jget() { python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v if isinstance(v, str) else json.dumps(v, separators=(',', ':')))" "$T_TMP/out" "$1"; }
OPT="--no-boot-attestation --no-hotkey-signature"

TAB=$(printf '\t')
while IFS="$TAB" read -r id name kind a b c d e; do
  B="$T_TMP/$id.json"
  case $kind in
  valid)
    expect_exit 0 "$name" "$T" --json $OPT "$B"
    expect_eq "$name: result" "$(jget result)" OK_STRUCTURAL
    expect_eq "$name: format" "$(jget format)" published_v2
    expect_eq "$name: hashes" "$(jget bundle_hash) $(jget root_receipt_hash) $(jget weights_hash)" "$a $b $c"
    expect_eq "$name: weights" "$(jget weights)" "{\"uids\":$d,\"weights_u16\":$e}"
    expect_eq "$name: not_checked" "$(jget not_checked)" '["boot_attestation","hotkey_signature"]'
    expect_stderr_line "$name: stderr" "^verify_weight_bundle: warning: not verified: the boots' Nitro documents \(--no-boot-attestation\), the hotkey's signature \(--no-hotkey-signature\)$"
    ;;
  tampered)
    expect_exit 1 "$name" "$T" --json $OPT "$B"
    expect_eq "$name: step" "$(jget step)" "$a"
    expect_eq "$name: exception" "$(jget exception)" "$b"
    expect_eq "$name: message" "$(jget message)" "$c"
    expect_eq "$name: result" "$(jget result)" WEIGHT_AUTHORITY_V2_ERROR
    expect_stderr_line "$name: stderr" WEIGHT_AUTHORITY_V2_ERROR
    ;;
  shadow_valid)
    RA=; [ "$b" = - ] || RA=$b
    expect_exit 0 "$name" "$T" --json $OPT $RA "$B"
    expect_eq "$name: result" "$(jget result)" OK_STRUCTURAL
    expect_eq "$name: format" "$(jget format)" shadow_v2
    expect_eq "$name: bundle_hash" "$(jget bundle_hash)" "$a"
    ;;
  event)
    expect_exit 0 "$name" "$T" --json $OPT --event "$T_TMP/$id.json" --event-pubkey "$(cat "$T_TMP/signer")" "$T_TMP/$a.json"
    expect_eq "$name: result" "$(jget result)" OK_STRUCTURAL
    expect_eq "$name: event" "$(python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['event']; print(e['source'], e['event_type'])" "$T_TMP/out")" "event WEIGHT_SUBMISSION_V2"
    expect_eq "$name: checks" "$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['checks']; print(all(x['ok'] for x in c if x['name'].startswith(('event', 'ties.', 'epoch_authority.', 'payload.'))), len([x for x in c if x['name'].startswith('epoch_authority.')]))" "$T_TMP/out")" "True 9"
    ;;
  event_negative)
    expect_exit 1 "$name" "$T" --json $OPT --event "$T_TMP/$id.json" --event-pubkey "$(cat "$T_TMP/signer")" "$T_TMP/$a.json"
    expect_eq "$name: result" "$(jget result)" "$b"
    ;;
  compact_valid)
    expect_exit 0 "$name" "$T" --json $OPT "$B"
    expect_eq "$name: result" "$(jget result)" OK_STRUCTURAL
    expect_eq "$name: format" "$(jget format)" compact_v2
    expect_eq "$name: bundle_hash" "$(jget bundle_hash)" "$a"
    expect_eq "$name: ancestry" "$(jget ancestry)" not_checked
    expect_eq "$name: not_checked" "$(jget not_checked)" '["boot_attestation","hotkey_signature","ancestry_certificates"]'
    ;;
  compact_refused)
    expect_exit 1 "$name" "$T" --json $OPT "$B"
    expect_eq "$name: result" "$(jget result)" COMPACT_WEIGHT_AUTHORITY_V2_ERROR
    ;;
  not_a_bundle)
    expect_exit 2 "$name" "$T" --json $OPT "$B"
    expect_eq "$name: result" "$(jget result)" MALFORMED_INPUT
    ;;
  shadow_tampered)
    RA=; [ "$c" = - ] || RA=$c
    expect_exit 1 "$name" "$T" --json $OPT $RA "$B"
    expect_eq "$name: exception" "$(jget exception)" "$a"
    expect_eq "$name: message" "$(jget message)" "$b"
    expect_eq "$name: result" "$(jget result)" WEIGHT_BUNDLE_V2_ERROR
    ;;
  esac
done < "$T_TMP/cases.tsv"

# Fail closed: the vectors' boot documents are placeholders (base64 text, not COSE) and
# their hotkey signatures are not sr25519 (vectors/leadpoet-v2/README.md "Placeholders").
P0="$T_TMP/pv0.json"
expect_exit 1 "defaults: placeholders are not verified" "$T" --json "$P0"
expect_eq "defaults: the first boot's document is refused" "$(jget result)" BOOT_ATTESTATION_INVALID
expect_exit 1 "only --no-boot-attestation" "$T" --json --no-boot-attestation "$P0"
expect_eq "only --no-boot-attestation: result" "$(jget result)" HOTKEY_SIGNATURE_INVALID
expect_eq "only --no-boot-attestation: not_checked" "$(jget not_checked)" '["boot_attestation"]'
expect_exit 0 "text mode" "$T" $OPT "$P0"
expect_eq "text mode: verdict" "$(tail -n 1 "$T_TMP/out" | cut -c1-14)" "OK_STRUCTURAL:"
grep -q '^  *uid 252 weight 593$\|^uid 252 weight 593$' "$T_TMP/out" && pass || failt "text mode: the last sparse weight"

# A shadow bundle never had an event; a bundle that fails has none either
expect_exit 1 "shadow bundle with an event" "$T" --json $OPT --event "$T_TMP/ev0.json" --event-pubkey "$(cat "$T_TMP/signer")" "$T_TMP/sv0.json"
expect_eq "shadow bundle with an event: result" "$(jget result)" EVENT_MISMATCH
expect_exit 1 "tampered bundle with its event" "$T" --json $OPT --event "$T_TMP/ev0.json" --event-pubkey "$(cat "$T_TMP/signer")" "$T_TMP/pt0.json"
expect_eq "tampered bundle with its event: result" "$(jget result)" WEIGHT_AUTHORITY_V2_ERROR
expect_exit 2 "unreadable event" "$T" --json $OPT --event "$T_TMP/absent" --event-pubkey "$(cat "$T_TMP/signer")" "$P0"
expect_eq "unreadable event: result" "$(jget result)" IO_ERROR

# Not a bundle, not JSON, usage
printf '{"schema_version":"leadpoet.weight_snapshot.v2"}' >"$T_TMP/nb.json"
expect_exit 2 "not a bundle" "$T" --json $OPT "$T_TMP/nb.json"
expect_eq "not a bundle: result" "$(jget result)" MALFORMED_INPUT
printf '{"a":' >"$T_TMP/nj.json"
expect_exit 2 "not JSON" "$T" --json $OPT "$T_TMP/nj.json"
expect_eq "not JSON: result" "$(jget result)" JSON_SYNTAX
expect_exit 2 "missing file" "$T" --json $OPT "$T_TMP/absent.json"
expect_eq "missing file: result" "$(jget result)" IO_ERROR
expect_exit 2 "--event without --event-pubkey" "$T" --json $OPT --event "$P0" "$P0"
expect_eq "--event without --event-pubkey: result" "$(jget result)" USAGE
expect_exit 2 "--event-pubkey alone" "$T" --json $OPT --event-pubkey "$(printf '%064d' 0)" "$P0"
expect_exit 2 "--event and --checkpoint" "$T" --json $OPT --event a --checkpoint b --event-pubkey "$(printf '%064d' 0)" "$P0"
expect_exit 2 "bad --event-pubkey" "$T" --json $OPT --event "$P0" --event-pubkey abc "$P0"
expect_exit 2 "--role" "$T" --json --role gateway "$P0"
expect_exit 2 "opt-out and attestation options" "$T" --json --no-boot-attestation --any-pcr "$P0"
expect_exit 2 "no argument" "$T" --json
expect_eq "no argument: result" "$(jget result)" USAGE
expect_exit 0 "stdin" sh -c "\"$T\" $OPT - < \"$P0\""
finish test_verify_weight_bundle
