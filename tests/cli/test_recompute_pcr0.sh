#!/bin/sh
# recompute_pcr0 run as a user would.  Expected values come from
# vectors/eif/expected.json, vectors/leadpoet/code_hash.json, and openssl(1) +
# python3 hashlib computing PCR8 independently.  Run from the repo root with
# $LP_BIN pointing at the built tools.
LP_BIN=${LP_BIN:-build/bin}
T="$LP_BIN/recompute_pcr0"
V=vectors/eif
pass=0; fail=0
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_rc WANT NAME -- command...
expect_rc() {
  want=$1; name=$2; shift 3
  "$@" >"$W/out" 2>"$W/err"; rc=$?
  if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, wanted $want"; cat "$W/err"; fi
}
# py NAME SCRIPT: runs python3 over $W/out; non-zero exit is a failure.
py() {
  name=$1; shift
  if python3 -c "$1" "$W/out" 2>"$W/pyerr"; then ok; else bad "$name"; cat "$W/pyerr"; fi
}
pcr() { python3 -c "import json,sys; print(json.load(open('$V/expected.json'))[sys.argv[1]][sys.argv[2]])" "$1" "$2"; }

PCR0=$(pcr unsigned PCR0); PCR1=$(pcr unsigned PCR1); PCR2=$(pcr unsigned PCR2); PCR8=$(pcr signed PCR8)
WRONG=$(echo "$PCR0" | sed 's/^./0/;s/^00/11/')

# ---- describe: JSON shape of nitro-cli describe-eif plus Sections/CheckCRC ----
expect_rc 0 "describe unsigned" -- "$T" --json "$V/synthetic-unsigned.eif"
py "describe unsigned JSON" "
import json,sys
raw=open(sys.argv[1]).read()
pairs=[]
d=json.loads(raw, object_pairs_hook=lambda p: (pairs.append([k for k,_ in p]), dict(p))[1])
assert all(k==sorted(k) for k in pairs), 'keys not sorted'
m=d['Measurements']
assert sorted(m)==['HashAlgorithm','PCR0','PCR1','PCR2'], m
assert m['PCR0']=='$PCR0' and m['PCR1']=='$PCR1' and m['PCR2']=='$PCR2'
assert d['EifVersion']==4 and d['Arch']=='x86_64' and d['CheckCRC'] is True and d['IsSigned'] is False
assert 'SignatureCheck' not in d
s=d['Sections']
assert [x['type'] for x in s]==['Kernel','Cmdline','Metadata','Ramdisk','Ramdisk'], s
assert [x['offset'] for x in s]==[548,4656,4787,5051,6087] and [x['size'] for x in s]==[4096,119,252,1024,2048]
assert d['result']=='OK' and all(c['ok'] for c in d['checks']) and [c['name'] for c in d['checks']]==['structure','crc']
"
# PCR8 computed independently: openssl DER + python extend.
openssl x509 -in "$V/synthetic-signing-cert.pem" -outform DER >"$W/cert.der" 2>/dev/null
P8=$(python3 -c "import hashlib,sys;d=open(sys.argv[1],'rb').read();print(hashlib.sha384(b'\0'*48+hashlib.sha384(d).digest()).hexdigest())" "$W/cert.der")
[ "$P8" = "$PCR8" ] && ok || bad "openssl PCR8 disagrees with expected.json"
expect_rc 0 "describe signed" -- "$T" --json "$V/synthetic-signed.eif"
py "describe signed JSON" "
import json,sys
d=json.load(open(sys.argv[1]))
m=d['Measurements']
assert m['PCR8']=='$P8' and m['PCR0']=='$PCR0', m
assert d['IsSigned'] is True and d['SignatureCheck'] is True and d['CheckCRC'] is True
assert d['Sections'][-1]=={'type':'Signature','offset':8147,'size':1665}
assert [c['name'] for c in d['checks']]==['structure','crc','signature']
"
expect_rc 0 "describe human" -- "$T" "$V/synthetic-unsigned.eif"
grep -q "^PCR0: $PCR0\$" "$W/out" && [ "$(tail -n 1 "$W/out")" = "MEASURED: no --expect-pcr0 given, nothing compared" ] && ok || bad "human output"
expect_rc 0 "describe stdin" -- sh -c "\"$T\" --json - < $V/synthetic-signed.eif"
py "stdin JSON" "import json,sys; assert json.load(open(sys.argv[1]))['Measurements']['PCR8']=='$P8'"

# ---- --expect-pcr0 / --expect-pcr ----
expect_rc 0 "expect pcr0 match" -- "$T" --expect-pcr0 "$PCR0" "$V/synthetic-unsigned.eif"
expect_rc 0 "expect all match (upper case hex)" -- "$T" --expect-pcr0 "$(echo $PCR0 | tr a-f A-F)" \
  --expect-pcr "1=$PCR1" --expect-pcr "2=$PCR2" --expect-pcr "8=$PCR8" "$V/synthetic-signed.eif"
expect_rc 1 "expect pcr0 mismatch" -- "$T" --expect-pcr0 "$WRONG" "$V/synthetic-unsigned.eif"
grep -q "^recompute_pcr0: PCR_MISMATCH: pcr0: expected $WRONG, image has $PCR0\$" "$W/err" && ok || bad "mismatch names PCR0 on stderr"
expect_rc 1 "expect pcr2 mismatch json" -- "$T" --json --expect-pcr0 "$PCR0" --expect-pcr "2=$PCR1" "$V/synthetic-unsigned.eif"
py "mismatch JSON names PCR2" "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['result']=='PCR_MISMATCH'
c={x['name']:x['ok'] for x in d['checks']}
assert c['pcr0'] is True and c['pcr2'] is False, c
"
grep -q "PCR_MISMATCH: pcr2: expected" "$W/err" && ! grep -q ": pcr0:" "$W/err" && ok || bad "stderr names only PCR2"
expect_rc 1 "expect pcr8 on unsigned" -- "$T" --expect-pcr "8=$PCR8" "$V/synthetic-unsigned.eif"
grep -q "PCR8" "$W/err" && ok || bad "pcr8 absent named"
expect_rc 2 "bad expected hex" -- "$T" --expect-pcr0 abc "$V/synthetic-unsigned.eif"
expect_rc 2 "bad pcr index" -- "$T" --expect-pcr "3=$PCR0" "$V/synthetic-unsigned.eif"

# ---- malformed images: named errors, exit 2, no measurements ----
mutate() { # OUT OFFSET XORBYTE [TRUNCATE]
  python3 - "$V/synthetic-signed.eif" "$1" "$2" "$3" "${4:-}" <<'EOF'
import sys
d=bytearray(open(sys.argv[1],'rb').read())
off,x=int(sys.argv[3]),int(sys.argv[4],16)
if off>=0: d[off]^=x
if sys.argv[5]: d=d[:int(sys.argv[5])]
open(sys.argv[2],'wb').write(d)
EOF
}
check_err() { # NAME FILE CODE RC
  expect_rc "$4" "$1" -- "$T" --json "$2"
  py "$1 JSON" "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['result']=='$3', d['result']
assert 'Measurements' not in d
assert any(not c['ok'] for c in d['checks'])
"
  grep -q "recompute_pcr0: $3: " "$W/err" && ok || bad "$1 stderr names $3"
}
mutate "$W/magic.eif" 0 01;      check_err "bad magic" "$W/magic.eif" BAD_MAGIC 2
mutate "$W/ver.eif" 5 01;        check_err "bad version" "$W/ver.eif" BAD_VERSION 2
mutate "$W/crc.eif" 547 01;      check_err "crc" "$W/crc.eif" CRC_MISMATCH 2
mutate "$W/pay.eif" 700 80;      check_err "payload byte" "$W/pay.eif" CRC_MISMATCH 2
mutate "$W/cut.eif" -1 00 6087;  check_err "truncated" "$W/cut.eif" TRUNCATED 2
mutate "$W/cnt.eif" 27 3f;       check_err "section count" "$W/cnt.eif" BAD_SECTION_COUNT 2
mutate "$W/ovl.eif" 51 10;       check_err "overlap" "$W/ovl.eif" SECTION_OVERLAP 2
expect_rc 2 "missing file" -- "$T" "$W/nonexistent.eif"
grep -q "^recompute_pcr0: IO_ERROR: " "$W/err" && ok || bad "missing file named IO_ERROR"
expect_rc 2 "directory as image" -- "$T" "$W"
# Signature corrupted (CRC fixed up so the signature check is what fails): exit 1.
python3 - "$V/synthetic-signed.eif" "$W/sig.eif" <<'EOF'
import sys,zlib
d=bytearray(open(sys.argv[1],'rb').read())
d[-1]^=1
c=zlib.crc32(bytes(d[:544])+bytes(d[548:]))
d[544:548]=c.to_bytes(4,'big')
open(sys.argv[2],'wb').write(d)
EOF
check_err "bad signature" "$W/sig.eif" SIGNATURE_INVALID 1

# ---- --build ----
printf '%s\n' 'reboot=k panic=30 pci=off nomodules console=ttyS0 i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd random.trust_cpu=on' >"$W/cmdline"
dd if="$V/synthetic-unsigned.eif" of="$W/meta.json" bs=1 skip=4799 count=252 2>/dev/null
build() { # OUT extra...
  out=$1; shift
  "$T" --build "$out" --kernel "$V/synthetic-kernel.bin" --cmdline "$W/cmdline" --metadata "$W/meta.json" \
    --ramdisk "$V/synthetic-ramdisk0.cpio" --ramdisk "$V/synthetic-ramdisk1.cpio" "$@"
}
expect_rc 0 "build" -- build "$W/b1.eif" --json
cmp -s "$W/b1.eif" "$V/synthetic-unsigned.eif" && ok || bad "build is not byte-identical to the vector"
py "build JSON" "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['result']=='OK' and d['Measurements']['PCR0']=='$PCR0' and d['Measurements']['PCR2']=='$PCR2'
assert d['checks'][0]['name']=='build' and d['checks'][0]['ok']
"
expect_rc 0 "rebuild" -- build "$W/b2.eif"
cmp -s "$W/b1.eif" "$W/b2.eif" && ok || bad "rebuild differs"
expect_rc 0 "build arm" -- build "$W/arm.eif" --arch aarch64
expect_rc 0 "describe arm" -- "$T" --json --expect-pcr0 "$PCR0" "$W/arm.eif"
py "arm arch" "import json,sys; d=json.load(open(sys.argv[1])); assert d['Arch']=='aarch64'"
expect_rc 0 "build signed" -- build "$W/s.eif" --signing-cert "$V/test-signing-cert-p384.pem" --signing-key "$V/test-signing-key-p384.pem"
openssl x509 -in "$V/test-signing-cert-p384.pem" -outform DER >"$W/t.der" 2>/dev/null
TP8=$(python3 -c "import hashlib,sys;d=open(sys.argv[1],'rb').read();print(hashlib.sha384(b'\0'*48+hashlib.sha384(d).digest()).hexdigest())" "$W/t.der")
expect_rc 0 "describe built signed" -- "$T" --json --expect-pcr0 "$PCR0" --expect-pcr "8=$TP8" "$W/s.eif"
py "built signed JSON" "import json,sys; d=json.load(open(sys.argv[1])); assert d['SignatureCheck'] is True and d['IsSigned'] is True"
cmp -s "$W/s.eif" "$W/b1.eif" && bad "signed equals unsigned" || ok
expect_rc 2 "build wrong key" -- build "$W/wk.eif" --signing-cert "$V/test-signing-cert-p384.pem" --signing-key "$V/test-signing-key-p256.pem"
grep -q "BAD_SIGNING_KEY" "$W/err" && [ ! -e "$W/wk.eif" ] && ok || bad "wrong key refused without output"
[ -z "$(ls "$W" | grep 'wk.eif.tmp')" ] && ok || bad "temporary file left behind"
expect_rc 2 "build without ramdisk" -- "$T" --build "$W/x.eif" --kernel "$V/synthetic-kernel.bin" --cmdline "$W/cmdline"
expect_rc 2 "build cert without key" -- build "$W/x.eif" --signing-cert "$V/test-signing-cert-p384.pem"
expect_rc 2 "build bad arch" -- build "$W/x.eif" --arch riscv
printf 'not json' >"$W/badmeta"
expect_rc 2 "build bad metadata" -- "$T" --build "$W/x.eif" --kernel "$V/synthetic-kernel.bin" --cmdline "$W/cmdline" --metadata "$W/badmeta" --ramdisk "$V/synthetic-ramdisk0.cpio"
: >"$W/empty"
expect_rc 2 "build empty kernel" -- "$T" --build "$W/x.eif" --kernel "$W/empty" --cmdline "$W/cmdline" --ramdisk "$V/synthetic-ramdisk0.cpio"
grep -q EMPTY_KERNEL "$W/err" && ok || bad "empty kernel named"
expect_rc 0 "build default metadata" -- "$T" --build "$W/dm.eif" --kernel "$V/synthetic-kernel.bin" --cmdline "$W/cmdline" --ramdisk "$V/synthetic-ramdisk0.cpio" --ramdisk "$V/synthetic-ramdisk1.cpio"
expect_rc 0 "default metadata PCRs" -- "$T" --expect-pcr0 "$PCR0" --expect-pcr "1=$PCR1" "$W/dm.eif"

# ---- --code-hash on a tree built from code_hash.json ----
python3 - vectors/leadpoet/code_hash.json "$W/gw" <<'EOF'
import json,os,sys
v=json.load(open(sys.argv[1]))
for p,h in v['files'].items():
    f=os.path.join(sys.argv[2],p); os.makedirs(os.path.dirname(f),exist_ok=True)
    open(f,'wb').write(bytes.fromhex(h))
# noise outside every include dir and in excluded dirs
os.makedirs(os.path.join(sys.argv[2],'venv','bin'),exist_ok=True)
os.symlink('/usr/bin/python3', os.path.join(sys.argv[2],'venv','bin','python'))
os.makedirs(os.path.join(sys.argv[2],'api','node_modules'),exist_ok=True)
open(os.path.join(sys.argv[2],'api','node_modules','x.py'),'w').write('y')
EOF
check_era() { # ERA
  era=$1
  expect_rc 0 "code-hash $era" -- "$T" --json --code-hash --era $era "$W/gw"
  py "code-hash $era value" "
import json,sys
d=json.load(open(sys.argv[1])); v=json.load(open('vectors/leadpoet/code_hash.json'))['$era']
assert d['result']=='OK' and d['era']=='$era'
assert d['code_hash']==v['code_hash'], (d['code_hash'], v['code_hash'])
want=v.get('ordered_logical_paths') or v.get('ordered_relative_paths')
assert d['files']==want, d['files']
"
}
check_era current
# api/node_modules/x.py counts in v1 (that era has no directory exclusions).
expect_rc 0 "code-hash v1 with node_modules" -- "$T" --json --code-hash --era v1 "$W/gw"
py "v1 includes api/node_modules" "import json,sys; assert 'api/node_modules/x.py' in json.load(open(sys.argv[1]))['files']"
rm -rf "$W/gw/api/node_modules"
check_era v1
expect_rc 0 "code-hash v1 clean" -- "$T" --code-hash --era v1 "$W/gw"
grep -q "$(python3 -c "import json;print(json.load(open('vectors/leadpoet/code_hash.json'))['v1']['code_hash'])")" "$W/out" && ok || bad "v1 human output"
expect_rc 0 "code-hash default era" -- "$T" --code-hash "$W/gw"
grep -q "$(python3 -c "import json;print(json.load(open('vectors/leadpoet/code_hash.json'))['current']['code_hash'])")" "$W/out" && ok || bad "default era is current"
echo '# changed' >>"$W/gw/api/a.py"
expect_rc 0 "code-hash changed" -- "$T" --code-hash "$W/gw"
grep -q "$(python3 -c "import json;print(json.load(open('vectors/leadpoet/code_hash.json'))['current']['code_hash'])")" "$W/out" && bad "changed tree gives the same hash" || ok
ln -s ../main.py "$W/gw/api/link.py"
expect_rc 2 "code-hash symlink" -- "$T" --code-hash "$W/gw"
grep -q SYMLINK_IN_TREE "$W/err" && ok || bad "symlink named"
expect_rc 2 "code-hash bad era" -- "$T" --code-hash --era v2 "$W/gw"
expect_rc 2 "code-hash missing dir" -- "$T" --code-hash "$W/nope"

# ---- usage ----
expect_rc 0 "help" -- "$T" --help
expect_rc 2 "unknown option" -- "$T" --frobnicate "$V/synthetic-unsigned.eif"
expect_rc 2 "no input" -- "$T"
expect_rc 2 "two inputs" -- "$T" "$V/synthetic-unsigned.eif" "$V/synthetic-signed.eif"

echo "test_recompute_pcr0: $pass passed, $fail failed"
[ "$fail" = 0 ]
