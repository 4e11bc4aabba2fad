#!/bin/sh
# verify_attestation as a user runs it: files, stdin, encodings, --json shape,
# exit codes 0/1/2, time modes, policies, and fetching a saved /attest response
# from an HTTP server on 127.0.0.1 that this script starts (and stops).
# Expected values come from vectors/nitro/manifest.json, vectors/leadpoet/
# attestation.json and python3, never from the tool itself.
set -u
BIN=${LP_BIN:-build/bin}/verify_attestation
V=vectors/nitro
T=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$T"
}
trap cleanup EXIT INT TERM
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_rc WANT DESC -- cmd...
expect_rc() {
  want=$1; desc=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; rc=$?
  if [ "$rc" = "$want" ]; then ok; else bad "$desc: exit $rc, want $want ($(head -c 300 "$T/err"))"; fi
}
# expect_json WANT_RC WANT_RESULT DESC -- args... (adds --json)
expect_json() {
  want=$1; res=$2; desc=$3; shift 4
  "$BIN" --json "$@" >"$T/out" 2>"$T/err"; rc=$?
  got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$T/out" 2>/dev/null)
  if [ "$rc" = "$want" ] && [ "$got" = "$res" ]; then ok; else bad "$desc: exit $rc result '$got', want $want $res"; fi
  # every non-OK verdict has exactly one stderr line "verify_attestation: CODE: reason"
  if [ "$res" != OK ]; then
    if [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^verify_attestation: $res: " "$T/err"; then ok; else bad "$desc: stderr '$(cat "$T/err")'"; fi
  fi
}

# ---------------------------------------------------------------- fixtures
python3 - "$T" <<'PY' || { echo "fixture generation failed"; echo "verify_attestation: 0 passed, 1 failed"; exit 1; }
import json, sys, base64, os
t = sys.argv[1]
m = json.load(open('vectors/leadpoet/attestation.json'))
open(t + '/test_root.der', 'wb').write(bytes.fromhex(m['test_root_cert_der_hex']))
ae = m['attest_endpoint']
# a saved /attest response, as a gateway serves it
os.makedirs(t + '/www', exist_ok=True)
open(t + '/www/attest', 'w').write(json.dumps(ae['attest_response_json']))
os.makedirs(t + '/www/attestation', exist_ok=True)
open(t + '/www/attestation/document', 'w').write(json.dumps(m['event_signer_attestation']['attestation_document_response_json']))
with open(t + '/expect.txt', 'w') as f:
    f.write(ae['attest_response_json']['enclave_public_key'] + '\n')
    f.write(ae['attest_response_json']['code_hash'] + '\n')
    f.write(m['nitro_py_verification_results']['attest_endpoint_doc']['pcr0'] + '\n')
    f.write(m['event_signer_attestation']['nsm_public_key_hex'] + '\n')
bad = dict(ae['attest_response_json']); bad['enclave_public_key'] = m['event_signer_attestation']['nsm_public_key_hex']
open(t + '/attest_wrong_key.json', 'w').write(json.dumps(bad))
# the manifest as a shell-friendly table: file pcr0 debug expected_at_doc
man = json.load(open('vectors/nitro/manifest.json'))
with open(t + '/real.txt', 'w') as f:
    for e in man['real']:
        f.write('%s %s %d %s %s\n' % (e['file'], e['pcr0'], e['pcr0_all_zero'], e['expected']['at_doc_time'], e['expected']['at_now']))
with open(t + '/derived.txt', 'w') as f:
    for e in man['derived']:
        if e['file'].endswith('.cose'):
            f.write('%s %d %s\n' % (e['file'], e['verify_time_unix'], e['expected']['strict']))
# hex text of a document, and its nonce via an independent minimal CBOR walk
cose = open('vectors/nitro/real/veracruz-2022-11-09.cose', 'rb').read()
open(t + '/veracruz.hex', 'w').write(cose.hex().upper() + '\n')
def item(b, i):
    ib = b[i]; mt, ai = ib >> 5, ib & 31; i += 1
    if ai < 24: v = ai
    else:
        n = {24: 1, 25: 2, 26: 4, 27: 8}[ai]; v = int.from_bytes(b[i:i+n], 'big'); i += n
    if mt in (2, 3): return b[i:i+v], i + v
    if mt == 4:
        out = []
        for _ in range(v):
            x, i = item(b, i); out.append(x)
        return out, i
    if mt == 5:
        d = {}
        for _ in range(v):
            k, i = item(b, i); x, i = item(b, i); d[k] = x
        return d, i
    if mt == 7: return None, i
    return v, i
arr, _ = item(cose, 0)
doc, _ = item(arr[2], 0)
open(t + '/veracruz_nonce.txt', 'w').write(doc[b'nonce'].hex())
json.dump({"schema": "leadpoet-verify/pcr-policy/1",
           "builds": [{"label": "old", "pcrs": {"0": "11" * 48}},
                      {"label": "veracruz", "pcrs": {"0": doc[b'pcrs'][0].hex(), "4": doc[b'pcrs'][4].hex()}}]},
          open(t + '/policy_ok.json', 'w'))
json.dump({"builds": [{"label": "other", "pcrs": {"0": "11" * 48}}]}, open(t + '/policy_miss.json', 'w'))
json.dump({"builds": []}, open(t + '/policy_empty.json', 'w'))
PY
ENCLAVE_KEY=$(sed -n 1p "$T/expect.txt"); CODE_HASH=$(sed -n 2p "$T/expect.txt")
LP_PCR0=$(sed -n 3p "$T/expect.txt"); EVENT_KEY=$(sed -n 4p "$T/expect.txt")

# ---------------------------------------------------------------- real documents
# Without a pinned PCR0 a genuine document is PCR_NOT_PINNED (exit 1), its PCRs still
# reported; any finding about the document itself outranks that.  --any-pcr is the
# explicit opt-in (OK with a warning); --expect-pcr 0= pins it.
while read -r f pcr0 debug at_doc at_now; do
  want_rc=0; [ "$at_doc" != OK ] && want_rc=1
  unpinned=$at_doc; [ "$at_doc" = OK ] && unpinned=PCR_NOT_PINNED
  if [ "$debug" = 1 ] && [ "$at_doc" = OK ]; then
    expect_json 1 DEBUG_ENCLAVE "$f debug without --allow-debug" -- --at doc --any-pcr "$V/$f"
    expect_json 0 OK "$f --allow-debug" -- --at doc --allow-debug --any-pcr "$V/$f"
  else
    expect_json "$want_rc" "$at_doc" "$f at doc, --any-pcr" -- --at doc --allow-debug --any-pcr "$V/$f"
  fi
  if [ "$at_doc" = OK ]; then
    got=$(jq -r '.pcrs["0"]' "$T/out")
    [ "$got" = "$pcr0" ] && ok || bad "$f PCR0 $got"
    [ "$(jq -c '[.pcr0_pinned,(.warnings|length)]' "$T/out")" = "[false,1]" ] && ok || bad "$f --any-pcr: not pinned, one warning"
    grep -q '^verify_attestation: warning: --any-pcr: ' "$T/err" && ok || bad "$f --any-pcr: warning line"
    expect_json 0 OK "$f --expect-pcr" -- --at doc --allow-debug --expect-pcr "0=$pcr0" "$V/$f"
    [ "$(jq -c '[.pcr0_pinned,.warnings]' "$T/out")" = "[true,[]]" ] && ok || bad "$f pinned: no warning"
  fi
  expect_json 1 "$unpinned" "$f at doc, unpinned" -- --at doc --allow-debug "$V/$f"
  if [ "$at_doc" = OK ]; then
    [ "$(jq -r '.pcrs["0"]' "$T/out"),$(jq -r .policy "$T/out")" = "$pcr0,none" ] && ok || bad "$f unpinned: PCRs still reported"
  fi
  expect_json 1 "$at_now" "$f at now" -- --allow-debug --any-pcr "$V/$f"
done <"$T/real.txt"
VER_PCR0=$(awk '$1 == "real/veracruz-2022-11-09.cose" {print $2}' "$T/real.txt")
PIN="--expect-pcr 0=$VER_PCR0"
LPIN="--expect-pcr 0=$LP_PCR0"

while read -r f t want; do
  rc=1; [ "$want" = OK ] && rc=0; [ "$want" = MALFORMED_COSE ] && rc=2
  expect_json "$rc" "$want" "$f" -- --at "$t" --any-pcr "$V/$f"
done <"$T/derived.txt"

# ---------------------------------------------------------------- --json shape
VER=$V/real/veracruz-2022-11-09.cose
"$BIN" --json --at doc $PIN "$VER" >"$T/ver.json"; rc=$?
[ "$rc" = 0 ] && ok || bad "veracruz --json exit $rc"
python3 - "$T/ver.json" <<'PY' && ok || bad "--json shape"
import json, sys
text = open(sys.argv[1]).read()
assert text.count('\n') == 1 and text.endswith('\n'), "one line, one object"
def sorted_keys(pairs):
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), keys
    return dict(pairs)
o = json.loads(text, object_pairs_hook=sorted_keys)
for k in ("result", "checks", "verified_at", "module_id", "timestamp_ms", "digest", "pcrs", "public_key",
          "user_data", "nonce", "certificates"):
    assert k in o, k
assert o["result"] == "OK" and o["trusted"] is True and o["pcr0_pinned"] is True and o["warnings"] == []
assert o["tool"] == "verify_attestation" and o["policy"] == "expect-pcr" and o["policy_match"] is None
assert o["verified_at"] == "2022-11-09T22:52:00Z" and o["time_mode"] == "doc"
assert o["timestamp_ms"] == 1668034320696 and o["digest"] == "SHA384"
assert o["module_id"] == "i-04fd167167daacf3b-enc01845e97d0b3eb4e"
assert all(set(c) == {"name", "ok", "detail"} and c["ok"] is True for c in o["checks"])
assert len(o["pcrs"]) == 16 and all(len(v) == 96 and v == v.lower() for v in o["pcrs"].values())
assert o["public_key"] is None and len(o["user_data"]) == 64 and len(o["nonce"]) == 64
assert [set(c) for c in o["certificates"]] == [{"subject", "notBefore", "notAfter"}] * 5
assert o["certificates"][0]["notAfter"] == "2022-11-10T01:52:00Z"
assert o["root"] == {"aws": True, "sha256": "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b"}
PY
[ "$(jq -r .nonce "$T/ver.json")" = "$(cat "$T/veracruz_nonce.txt")" ] && ok || bad "nonce hex"

# ---------------------------------------------------------------- time arguments
expect_json 0 OK "--at RFC3339 doc second" -- --at 2022-11-09T22:52:00Z $PIN "$VER"
expect_json 0 OK "--at notAfter-1 (offset)" -- --at 2022-11-10T02:51:59+01:00 $PIN "$VER"
expect_json 1 CERT_EXPIRED "--at notAfter" -- --at 2022-11-10T01:52:00Z $PIN "$VER"
expect_json 1 CERT_EXPIRED "--at notAfter unix" -- --at 1668045120 $PIN "$VER"
expect_json 0 OK "--at leaf notBefore" -- --at 1668034317 $PIN "$VER"
expect_json 1 CERT_NOT_YET_VALID "--at leaf notBefore-1" -- --at 1668034316 $PIN "$VER"
expect_json 0 OK "--max-age at limit" -- --at 1668034420 --max-age 100 $PIN "$VER"
expect_json 1 STALE "--max-age exceeded" -- --at 1668034421 --max-age 100 $PIN "$VER"
expect_json 1 CERT_EXPIRED "--at now default" -- $PIN "$VER"
expect_json 1 CERT_EXPIRED "expired and unpinned: the expiry is the verdict" -- "$VER"
expect_rc 2 "--at garbage" -- "$BIN" --at yesterday "$VER"
expect_rc 2 "--max-age with --at doc" -- "$BIN" --at doc --max-age 5 "$VER"
expect_rc 2 "--at bad date" -- "$BIN" --at 2022-13-01T00:00:00Z "$VER"

# ---------------------------------------------------------------- expectations and policy
expect_json 0 OK "--expect-nonce" -- --at doc $PIN --expect-nonce "$(cat "$T/veracruz_nonce.txt")" "$VER"
expect_json 1 NONCE_MISMATCH "--expect-nonce wrong" -- --at doc $PIN --expect-nonce 00 "$VER"
expect_json 1 NONCE_MISMATCH "--expect-nonce wrong, unpinned: the mismatch is the verdict" -- --at doc --expect-nonce 00 "$VER"
expect_json 1 PCR_NOT_PINNED "a nonce pins no code" -- --at doc --expect-nonce "$(cat "$T/veracruz_nonce.txt")" "$VER"
expect_json 1 PCR_NOT_PINNED "PCR4 pinned, PCR0 not" -- --at doc --expect-pcr "4=$(jq -r '.pcrs["4"]' "$T/ver.json")" "$VER"
expect_json 1 PCR_MISMATCH "--expect-pcr wrong" -- --at doc --expect-pcr "0=$LP_PCR0" "$VER"
expect_json 1 USER_DATA_MISMATCH "--expect-user-data wrong" -- --at doc $PIN --expect-user-data 00 "$VER"
expect_json 1 PUBLIC_KEY_MISMATCH "--expect-public-key vs null" -- --at doc $PIN --expect-public-key 00 "$VER"
expect_json 0 OK "--pcr-policy match" -- --at doc --pcr-policy "$T/policy_ok.json" "$VER"
[ "$(jq -r .policy "$T/out")" = "pcr-policy: veracruz" ] && ok || bad "policy label $(jq -r .policy "$T/out")"
expect_json 1 PCR_MISMATCH "--pcr-policy miss" -- --at doc --pcr-policy "$T/policy_miss.json" "$VER"
expect_json 2 POLICY_ERROR "--pcr-policy pins nothing" -- --at doc --pcr-policy "$T/policy_empty.json" "$VER"
expect_rc 2 "--expect-pcr malformed" -- "$BIN" --expect-pcr 0=zz "$VER"

# ---------------------------------------------------------------- inputs
expect_json 0 OK "hex file" -- --at doc $PIN "$T/veracruz.hex"
expect_json 0 OK "base64 file" -- --at doc --allow-debug --any-pcr "$V/real/ev-ga-debug-2023-09-18.b64"
"$BIN" --at doc $PIN - <"$VER" >/dev/null 2>&1 && ok || bad "stdin"
expect_json 2 INPUT_DECODE_ERROR "garbage file" -- "$V/README.md"
expect_json 2 IO_ERROR "missing file" -- "$T/nope"
expect_rc 2 "no SOURCE" -- "$BIN" --json
expect_rc 2 "two SOURCEs" -- "$BIN" "$VER" "$VER"
expect_rc 2 "unknown flag" -- "$BIN" --frobnicate "$VER"
head -c 40000 /dev/zero | tr '\0' '\204' >"$T/big.bin"
expect_json 2 INPUT_TOO_LARGE "oversized document" -- "$T/big.bin"
expect_json 1 USER_DATA_MISMATCH "d12 /attest shape (not a Leadpoet user_data)" -- --at doc --any-pcr "$V/derived/d12-leadpoet-attest-shape.json"
expect_json 1 PUBLIC_KEY_MISMATCH "d13 /attestation/document shape (no public_key)" -- --at doc --any-pcr "$V/derived/d13-leadpoet-attestation-document-shape.json"

# ---------------------------------------------------------------- Leadpoet test chain
expect_json 0 OK "saved /attest with --root" -- --at doc --root "$T/test_root.der" $LPIN "$T/www/attest"
[ "$(jq -r .enclave_public_key "$T/out")" = "$ENCLAVE_KEY" ] && ok || bad "enclave_public_key"
[ "$(jq -r .code_hash "$T/out")" = "$CODE_HASH" ] && ok || bad "code_hash"
[ "$(jq -r .root.aws "$T/out")" = false ] && ok || bad "report must say the root is not AWS"
expect_json 1 UNTRUSTED_ROOT "saved /attest without --root" -- --at doc $LPIN "$T/www/attest"
expect_json 1 USER_DATA_MISMATCH "/attest with a swapped key" -- --at doc --root "$T/test_root.der" $LPIN "$T/attest_wrong_key.json"
expect_json 0 OK "saved /attestation/document" -- --at doc --root "$T/test_root.der" --any-pcr "$T/www/attestation/document"
[ "$(jq -r .enclave_public_key "$T/out")" = "$EVENT_KEY" ] && ok || bad "event key"
openssl x509 -inform der -in "$T/test_root.der" -out "$T/test_root.pem" 2>/dev/null
expect_json 0 OK "--root as PEM" -- --at doc --root "$T/test_root.pem" $LPIN "$T/www/attest"
# Leadpoet's own published allowlist as the policy: the real list names production
# enclaves, not this test chain; a copy with the test PCR0 added names its entry
AL=vectors/leadpoet/pcr0_allowlist.json
expect_json 1 PCR_MISMATCH "allowlist, gateway role" -- --at doc --root "$T/test_root.der" --pcr-policy $AL --role gateway "$T/www/attest"
expect_json 1 PCR_MISMATCH "allowlist, validator role" -- --at doc --root "$T/test_root.der" --pcr-policy $AL --role validator "$T/www/attest"
jq --arg p "$LP_PCR0" '.gateway_pcr0 = [{"pcr0": $p, "version": "test-1", "deployed": "2026-07-20", "commit_hash": "0123456789abcdef0123456789abcdef01234567", "notes": "test chain"}] + .gateway_pcr0' $AL >"$T/allow.json"
expect_json 0 OK "allowlist copy naming the test PCR0" -- --at doc --root "$T/test_root.der" --pcr-policy "$T/allow.json" --role gateway "$T/www/attest"
[ "$(jq -c '[.pcr0_pinned,.policy_match.version,.policy_match.commit]' "$T/out")" = '[true,"test-1","0123456789abcdef0123456789abcdef01234567"]' ] && ok || bad "allowlist match named: $(jq -c .policy_match "$T/out")"
expect_json 1 PCR_MISMATCH "allowlist copy, the other role" -- --at doc --root "$T/test_root.der" --pcr-policy "$T/allow.json" --role validator "$T/www/attest"
expect_json 2 POLICY_ERROR "allowlist without --role" -- --at doc --root "$T/test_root.der" --pcr-policy $AL "$T/www/attest"
expect_json 2 USAGE "--role without --pcr-policy" -- --at doc --role gateway "$T/www/attest"
expect_json 2 USAGE "--role of another name" -- --at doc --pcr-policy $AL --role miner "$T/www/attest"
expect_rc 2 "--root not a certificate" -- "$BIN" --root "$VER" "$T/www/attest"

# ---------------------------------------------------------------- HTTP
. tests/cli/net.sh
PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$PORT" >"$T/http.log" 2>&1 &
SERVER_PID=$!
wait_port "$PORT" || bad "HTTP server did not start"
URL=http://127.0.0.1:$PORT
expect_json 0 OK "gateway base URL" -- --at doc --root "$T/test_root.der" $LPIN --save "$T/saved.json" "$URL"
[ "$(jq -r .source "$T/out")" = "$URL/attest" ] && ok || bad "base URL resolves to /attest"
cmp -s "$T/saved.json" "$T/www/attest" && ok || bad "--save must write exactly the bytes received"
jq -S 'del(.source)' "$T/out" >"$T/online.json"
expect_json 0 OK "--offline replay of the saved bytes" -- --offline --at doc --root "$T/test_root.der" $LPIN "$T/saved.json"
jq -S 'del(.source)' "$T/out" >"$T/offline.json"
cmp -s "$T/online.json" "$T/offline.json" && ok || bad "--save then --offline gives a different report"
expect_json 0 OK "full URL /attestation/document" -- --at doc --root "$T/test_root.der" --any-pcr "$URL/attestation/document"
expect_json 1 UNTRUSTED_ROOT "URL without --root" -- --at doc $LPIN "$URL"
expect_json 1 CERT_EXPIRED "URL checked at 2050, after the test chain expired" -- --at 2050-01-01T00:00:00Z --root "$T/test_root.der" $LPIN "$URL/"
expect_json 2 OFFLINE "--offline refuses URLs" -- --offline --root "$T/test_root.der" $LPIN "$URL"
expect_json 2 NETWORK_ERROR "HTTP 404" -- --root "$T/test_root.der" "$URL/missing"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
# a second server for redirects and the size cap (http.server cannot redirect)
PORT2=$(free_port)
python3 - "$PORT2" "$T/www/attest" >"$T/http2.log" 2>&1 <<'PY' &
import http.server, sys
body = open(sys.argv[2], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == '/to-file':
            self.send_response(302); self.send_header('Location', 'file:///etc/hostname'); self.end_headers()
        elif self.path == '/to-http':
            self.send_response(302); self.send_header('Location', '/attest'); self.end_headers()
        elif self.path == '/big':
            self.send_response(200); self.send_header('Content-Length', str(2 << 20)); self.end_headers()
            self.wfile.write(b' ' * (2 << 20))
        elif self.path == '/attest':
            self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404); self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
SERVER_PID=$!
wait_port "$PORT2" || bad "second HTTP server did not start"
URL2=http://127.0.0.1:$PORT2
expect_json 0 OK "http -> http redirect followed" -- --at doc --root "$T/test_root.der" $LPIN "$URL2/to-http"
expect_json 2 NETWORK_ERROR "redirect to file:// refused" -- --at doc --root "$T/test_root.der" "$URL2/to-file"
expect_json 2 INPUT_TOO_LARGE "response over the 1 MiB cap" -- --at doc --root "$T/test_root.der" "$URL2/big"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
DEAD=$(free_port)
expect_json 2 NETWORK_ERROR "connection refused" -- --root "$T/test_root.der" "http://127.0.0.1:$DEAD"
expect_rc 2 "ftp:// is not fetched" -- "$BIN" "ftp://127.0.0.1/attest"

echo "verify_attestation: $pass passed, $fail failed"
[ "$fail" = 0 ]
