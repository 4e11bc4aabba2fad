#!/bin/sh
# recompute_pcr0 --docker-image run as a user would.  Expected values come from
# vectors/nitro-docker/expected.json and ramdisks/ (real Docker + linuxkit output),
# vectors/nitro-blobs/README.md (real linuxkit bootstrap ramdisks) and python3 hashlib
# composing PCR0/PCR1 from those bytes (eif-pcr-repro.md §1.7), never from the tool.
# Variant and malformed images are generated from the ground-truth tars by
# tests/cli/docker_images.py.  Run from the repo root with $LP_BIN pointing at the tools.
LP_BIN=${LP_BIN:-build/bin}
T="$LP_BIN/recompute_pcr0"
V=vectors/nitro-docker
BL=vectors/nitro-blobs
KERNEL=vectors/eif/synthetic-kernel.bin
pass=0; fail=0
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
TAB=$(printf '\t')

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_rc WANT NAME -- command...   (WANT "!0": any non-zero exit)
expect_rc() {
  want=$1; name=$2; shift 3
  "$@" >"$W/out" 2>"$W/err" </dev/null; rc=$?
  if [ "$want" = "!0" ] && [ "$rc" != 0 ]; then ok
  elif [ "$rc" = "$want" ]; then ok
  else bad "$name: exit $rc, wanted $want"; head -c 600 "$W/err"; fi
}
# chk NAME MODE ARGS...: runs the checker below over $W/out; non-zero exit is a failure.
chk() {
  name=$1; shift
  if python3 "$W/check.py" "$@" 2>"$W/pyerr"; then ok; else bad "$name"; head -c 1500 "$W/pyerr"; echo; fi
}
# err_is NAME CODES: stderr of the last run is exactly one line "recompute_pcr0: CODE: ..."
# with CODE one of CODES (an ERE alternation such as A|B).
err_is() {
  n=$(wc -l <"$W/err")
  if [ "$n" = 1 ] && grep -Eq "^recompute_pcr0: ($2): " "$W/err"; then ok
  else bad "$1: stderr should be one line naming $2, was ($n lines): $(head -c 400 "$W/err")"; fi
}

cat >"$W/check.py" <<'EOF'
import hashlib, json, re, sys

V, BL, KERNEL = "vectors/nitro-docker", "vectors/nitro-blobs", "vectors/eif/synthetic-kernel.bin"
EXP = json.load(open(V + "/expected.json"))
H = lambda b: hashlib.sha384(b).digest()
extend = lambda d: hashlib.sha384(b"\0" * 48 + d).hexdigest()

def bootstrap_table():
    t = {}
    for line in open(BL + "/README.md"):
        m = re.match(r"^\| (v1\.5\.0|2022-02) (x86_64|aarch64) \| (\d+) \| ([0-9a-f]{96}) \|", line)
        if m:
            t[(m[1], m[2])] = (int(m[3]), m[4])
    assert len(t) == 4, t
    return t

def blob_table():
    t = {}
    for line in open(BL + "/README.md"):
        m = re.match(r"^\| (v1\.5\.0|2022-02)/(x86_64|aarch64)/(\S+) \| (\d+) \| \w+ \| [0-9a-f]{64} \| ([0-9a-f]{96}) \|", line)
        if m:
            t[(m[1], m[2], m[3])] = (int(m[4]), m[5])
    return t

def newc(entries):
    """gocpio newc (eif-pcr-repro.md §2.3): entries (name, mode, data)."""
    out = bytearray(); ino = 721
    def hdr(ino, mode, nlink, mtime, size, name):
        f = [ino, mode, 0, 0, nlink, mtime, size, 3, 1, 0, 0, len(name) + 1, 0]
        out.extend(b"070701" + b"".join(b"%08x" % x for x in f) + name + b"\0")
        out.extend(b"\0" * (-len(out) % 4))
    for name, mode, data in entries:
        hdr(ino, mode, 2 if mode & 0o40000 else 1, 1492533000, len(data), name)
        out.extend(data); out.extend(b"\0" * (-len(out) % 4)); ino += 1
    hdr(ino, 0, 1, 0, 0, b"TRAILER!!!")
    out.extend(b"\0" * (-len(out) % 512))
    return bytes(out)

def bootstrap(init, nsm):
    return newc([(b"dev", 0o40755, b""), (b"init", 0o100755, open(init, "rb").read()),
                 (b"nsm.ko", 0o100755, open(nsm, "rb").read())])

def composed(blobdir, customer):
    """PCR0/PCR1/PCR2 and the bootstrap bytes for blob dir + customer ramdisk bytes."""
    import os
    k = "bzImage" if os.path.exists(blobdir + "/bzImage") else "Image"
    kern = open(blobdir + "/" + k, "rb").read()
    cmd = open(blobdir + "/cmdline", "rb").read()
    cmd = cmd[:-1] if cmd.endswith(b"\n") else cmd
    boot = bootstrap(blobdir + "/init", blobdir + "/nsm.ko")
    return {"PCR0": extend(H(kern + cmd + boot + customer)), "PCR1": extend(H(kern + cmd + boot)),
            "PCR2": extend(H(customer)), "boot": boot}

def out():
    raw = open(sys.argv[2]).read()
    return raw, json.loads(raw)

def common(d):
    assert d["tool"] == "recompute_pcr0", d.get("tool")
    assert isinstance(d["checks"], list) and isinstance(d["warnings"], list), (d.get("checks"), d.get("warnings"))
    for c in d["checks"]:
        assert {"name", "ok", "detail"} <= set(c), c

def measured(d, key, arch="-", fmt="-", plat="-", cdig="-", layers="-", blobs=False):
    e = EXP["images"][key]
    common(d)
    assert d["result"] == "OK", (d["result"], [c for c in d["checks"] if not c["ok"]])
    assert all(c["ok"] for c in d["checks"]), d["checks"]
    cr, m = d["CustomerRamdisk"], d["Measurements"]
    assert cr["sha384"] == e["ramdisk_sha384"], ("ramdisk sha384", cr["sha384"], e["ramdisk_sha384"])
    assert cr["size"] == e["ramdisk_bytes"], ("ramdisk size", cr["size"], e["ramdisk_bytes"])
    assert m["PCR2"] == e["PCR2"], ("PCR2", m["PCR2"], e["PCR2"])
    assert m["HashAlgorithm"].startswith("Sha384 {"), m["HashAlgorithm"]
    if not blobs:
        assert "PCR0" not in m and "PCR1" not in m and "BootstrapRamdisk" not in d, m
    assert d["cmd"] == e["cmd_file"], ("cmd", d["cmd"], e["cmd_file"])
    assert d["env"] == e["env_file"], ("env", d["env"], e["env_file"])
    im = d["Image"]
    if arch != "-": assert d["Arch"] == arch, d["Arch"]
    else: assert d["Arch"] == "x86_64", d["Arch"]
    if fmt != "-": assert im["format"] == fmt, im
    else: assert im["format"] in ("docker-save", "oci-layout"), im
    want_plat = plat if plat != "-" else ("linux/arm64" if arch == "aarch64" else "linux/amd64")
    assert im["platform"] == want_plat, im
    if cdig != "-": assert im["config_digest"] == cdig, (im, cdig)
    else: assert re.fullmatch(r"sha256:[0-9a-f]{64}", im["config_digest"]), im
    if layers != "-": assert im["layers"] == int(layers), im

mode = sys.argv[1]
if mode == "measure":      # OUT KEY [ARCH FORMAT PLATFORM CONFIG_DIGEST LAYERS]
    raw, d = out()
    measured(d, sys.argv[3], *sys.argv[4:9])
elif mode == "vector":     # OUT KEY: a ground-truth docker save, digest and layer count from its tar
    import tarfile
    raw, d = out()
    key = sys.argv[3]
    t = tarfile.open(V + "/" + key + ".tar")
    man = json.load(t.extractfile("manifest.json"))[0]
    cfg = t.extractfile(man["Config"]).read()
    measured(d, key, "x86_64", "docker-save", "linux/amd64", "sha256:" + hashlib.sha256(cfg).hexdigest(), len(man["Layers"]))
elif mode == "measured-other":   # OUT NOT_KEY: a measurement, but not NOT_KEY's ramdisk
    raw, d = out()
    common(d)
    assert d["result"] == "OK", d["result"]
    assert re.fullmatch(r"[0-9a-f]{96}", d["Measurements"]["PCR2"]), d["Measurements"]
    assert d["Measurements"]["PCR2"] != EXP["images"][sys.argv[3]]["PCR2"]
elif mode == "refuse":     # OUT WORD_REGEX
    raw, d = out()
    common(d)
    assert d["result"] == "IMAGE_NOT_DETERMINISTIC", d["result"]
    assert "Measurements" not in d and "CustomerRamdisk" not in d, sorted(d)
    assert not re.search(r"[0-9a-f]{96}", raw), "a 96-digit hex value (a PCR?) in the output"
    failed = [c for c in d["checks"] if not c["ok"]]
    assert failed and any(re.search(sys.argv[3], c["detail"]) for c in failed), failed
elif mode == "fail":       # OUT CODES (comma-separated)
    raw, d = out()
    common(d)
    assert d["result"] in sys.argv[3].split(","), (d["result"], d["checks"])
    assert "Measurements" not in d and "CustomerRamdisk" not in d, sorted(d)
    assert any(not c["ok"] for c in d["checks"]), d["checks"]
elif mode == "mismatch":   # OUT PCRNAME: PCR_MISMATCH, measurements still reported
    raw, d = out()
    common(d)
    assert d["result"] == "PCR_MISMATCH", d["result"]
    failed = [c for c in d["checks"] if not c["ok"]]
    assert failed and any(sys.argv[3] in c["name"].lower() for c in failed), d["checks"]
elif mode == "ok":         # OUT: result OK
    raw, d = out()
    common(d)
    assert d["result"] == "OK" and all(c["ok"] for c in d["checks"]), (d["result"], d["checks"])
elif mode == "self-bootstrap":   # SET ARCH: the test's own bootstrap emulation = the README's
    size, h = bootstrap_table()[(sys.argv[2], sys.argv[3])]
    s = sys.argv[2]
    nsm = BL + "/v1.5.0/%s/nsm.ko" % sys.argv[3]
    b = bootstrap(BL + "/%s/%s/init" % (s, sys.argv[3]), nsm)
    assert len(b) == size and hashlib.sha384(b).hexdigest() == h, (len(b), hashlib.sha384(b).hexdigest())
elif mode == "self-composed":    # BLOBDIR: the test's own PCR composition = _composed_example
    c = composed(sys.argv[2], open(V + "/ramdisks/hello-test.cpio", "rb").read())
    e = EXP["_composed_example"]
    assert (c["PCR0"], c["PCR1"], c["PCR2"]) == (e["PCR0"], e["PCR1"], e["PCR2"]), c
elif mode == "pcr":        # BLOBDIR PCRn: prints the composed value (for --expect options)
    c = composed(sys.argv[2], open(V + "/ramdisks/hello-test.cpio", "rb").read())
    print(c[sys.argv[3]])
elif mode == "blobs":      # OUT BLOBDIR SET ARCH KFILE GENERATION
    raw, d = out()
    blobdir, bset, arch, kfile, gen = sys.argv[3:8]
    measured(d, "images/hello-test", arch, "-", "-", "-", "-", blobs=True)
    c = composed(blobdir, open(V + "/ramdisks/hello-test.cpio", "rb").read())
    m = d["Measurements"]
    for p in ("PCR0", "PCR1", "PCR2"):
        assert m[p] == c[p], (p, m[p], c[p])
    size, h = bootstrap_table()[(bset, arch)]
    br = d["BootstrapRamdisk"]
    assert br["sha384"] == h and br["size"] == size, (br, size, h)
    bp = d["BlobProfile"]
    kern = open(KERNEL, "rb").read()
    assert bp["kernel"]["file"] == kfile and bp["kernel"]["size"] == len(kern) and \
        bp["kernel"]["sha384"] == hashlib.sha384(kern).hexdigest(), bp["kernel"]
    bt = blob_table()
    for f, s in (("init", bset), ("nsm.ko", "v1.5.0")):
        size, h = bt[(s, arch, f)]
        assert bp[f]["size"] == size and bp[f]["sha384"] == h, (f, bp[f], size, h)
    size, h = bt[("v1.5.0", arch, "cmdline")]
    trimmed = open(blobdir + "/cmdline", "rb").read().rstrip(b"\n")
    assert (bp["cmdline"]["size"], bp["cmdline"]["sha384"]) in \
        ((size, h), (len(trimmed), hashlib.sha384(trimmed).hexdigest())), bp["cmdline"]
    assert bp["init_generation"] == gen, bp["init_generation"]
elif mode == "composed":   # OUT: PCR0/1/2 = _composed_example (hello-test, v1.5.0 x86_64)
    raw, d = out()
    e = EXP["_composed_example"]
    m = d["Measurements"]
    assert (m["PCR0"], m["PCR1"], m["PCR2"]) == (e["PCR0"], e["PCR1"], e["PCR2"]), m
elif mode == "eif":        # OUT BLOBDIR ARCH: describe of an emitted EIF
    raw, d = out()
    c = composed(sys.argv[3], open(V + "/ramdisks/hello-test.cpio", "rb").read())
    m = d["Measurements"]
    assert d["result"] == "OK", d["result"]
    for p in ("PCR0", "PCR1", "PCR2"):
        assert m[p] == c[p], (p, m[p], c[p])
    assert d["Arch"] == sys.argv[4], d["Arch"]
    assert [s["type"] for s in d["Sections"] if s["type"] == "Ramdisk"] == ["Ramdisk"] * 2, d["Sections"]
elif mode == "keys":       # prints the image keys of expected.json: KEY<TAB>refuse|measure
    for k, e in sorted(EXP["images"].items()):
        print("%s\t%s" % (k, "refuse" if e.get("expect") == "refuse" else "measure"))
else:
    sys.exit("unknown mode " + mode)
EOF

# ---- every ground-truth image ----
python3 "$W/check.py" keys >"$W/keys" || bad "expected.json unreadable"
while IFS="$TAB" read -r key kind; do
  img="$V/$key.tar"
  name=${key#*/}
  if [ "$kind" = refuse ]; then
    expect_rc 2 "$key refused" -- "$T" --json --docker-image "$img"
    case $name in c09-*) word='top' ;; c10-*) word='opt/app' ;; *) word='.' ;; esac
    chk "$key refusal JSON names $word" refuse "$W/out" "$word"
    err_is "$key" IMAGE_NOT_DETERMINISTIC
    grep -q "$word" "$W/err" && ok || bad "$key: stderr does not name $word: $(cat "$W/err")"
    expect_rc 2 "$key refused (text)" -- "$T" --docker-image "$img" --emit-ramdisk "$W/refused.cpio"
    err_is "$key text" IMAGE_NOT_DETERMINISTIC
    ! grep -Eq '[0-9a-f]{96}' "$W/out" && ok || bad "$key: a PCR printed for a refused image"
    [ ! -s "$W/refused.cpio" ] && ok || bad "$key: --emit-ramdisk wrote a ramdisk for a refused image"
    rm -f "$W/refused.cpio"
    continue
  fi
  expect_rc 0 "$key" -- "$T" --json --docker-image "$img"
  chk "$key measurement" vector "$W/out" "$key"
  if [ -f "$V/ramdisks/$name.cpio" ]; then
    expect_rc 0 "$key --emit-ramdisk" -- "$T" --docker-image "$img" --emit-ramdisk "$W/rd.cpio"
    cmp -s "$W/rd.cpio" "$V/ramdisks/$name.cpio" && ok || bad "$key: emitted ramdisk differs from ramdisks/$name.cpio ($(cmp "$W/rd.cpio" "$V/ramdisks/$name.cpio" 2>&1 | head -c 200))"
    rm -f "$W/rd.cpio"
  fi
done <"$W/keys"

# ---- text mode, --expect-pcr (no blobs) ----
HELLO="$V/images/hello-test.tar"
HPCR2=$(python3 -c "import json;print(json.load(open('$V/expected.json'))['images']['images/hello-test']['PCR2'])")
WRONG=$(echo "$HPCR2" | sed 's/^./0/;s/^00/11/')
expect_rc 0 "text mode" -- "$T" --docker-image "$HELLO"
grep -q "^PCR2: $HPCR2\$" "$W/out" && ok || bad "text mode lacks 'PCR2: $HPCR2'"
tail -n 1 "$W/out" | grep -q '^MEASURED:' && ok || bad "text mode without --expect: last line is not MEASURED: ($(tail -n 1 "$W/out"))"
expect_rc 0 "expect pcr2 right" -- "$T" --json --docker-image "$HELLO" --expect-pcr "2=$HPCR2"
chk "expect pcr2 right JSON" ok "$W/out"
expect_rc 0 "expect pcr2 right (upper case)" -- "$T" --docker-image "$HELLO" --expect-pcr "2=$(echo "$HPCR2" | tr a-f A-F)"
tail -n 1 "$W/out" | grep -q '^MEASURED:' && bad "MEASURED: printed although --expect-pcr was given" || ok
expect_rc 1 "expect pcr2 wrong" -- "$T" --json --docker-image "$HELLO" --expect-pcr "2=$WRONG"
chk "expect pcr2 wrong JSON" mismatch "$W/out" pcr2
err_is "expect pcr2 wrong" PCR_MISMATCH
expect_rc 0 "emit-ramdisk with --expect-pcr" -- "$T" --docker-image "$HELLO" --emit-ramdisk "$W/h.cpio" --expect-pcr "2=$HPCR2"
cmp -s "$W/h.cpio" "$V/ramdisks/hello-test.cpio" && ok || bad "hello-test emitted ramdisk with --expect-pcr differs"

# ---- blobs: bootstrap ramdisk, PCR1, PCR0 ----
mkblobs() { # DIR SET ARCH KFILE
  mkdir -p "$1"
  cp "$BL/$2/$3/init" "$1/init"
  cp "$BL/v1.5.0/$3/nsm.ko" "$BL/v1.5.0/$3/cmdline" "$1/"
  cp "$KERNEL" "$1/$4"
}
mkblobs "$W/b150x" v1.5.0 x86_64 bzImage
mkblobs "$W/b2202x" 2022-02 x86_64 bzImage
mkblobs "$W/b150a" v1.5.0 aarch64 Image
mkblobs "$W/b2202a" 2022-02 aarch64 Image
# The test's own emulation against the vectors, so the values below are the vectors'.
for s in v1.5.0 2022-02; do for a in x86_64 aarch64; do
  chk "own bootstrap emulation = nitro-blobs README ($s $a)" self-bootstrap "$s" "$a"
done; done
chk "own PCR composition = _composed_example" self-composed "$W/b150x"

expect_rc 0 "hello-test --blobs v1.5.0 x86_64" -- "$T" --json --docker-image "$HELLO" --blobs "$W/b150x"
chk "hello-test = _composed_example" composed "$W/out"
chk "hello-test v1.5.0 x86_64 blob report" blobs "$W/out" "$W/b150x" v1.5.0 x86_64 bzImage v1.5.0
expect_rc 0 "hello-test --blobs 2022-02 x86_64" -- "$T" --json --docker-image "$HELLO" --blobs "$W/b2202x"
chk "hello-test 2022-02 x86_64 blob report" blobs "$W/out" "$W/b2202x" 2022-02 x86_64 bzImage 2022-02

P0=$(python3 "$W/check.py" pcr "$W/b150x" PCR0); P1=$(python3 "$W/check.py" pcr "$W/b150x" PCR1)
W0=$(echo "$P0" | sed 's/^./0/;s/^00/11/')
expect_rc 0 "expect pcr0 right" -- "$T" --json --docker-image "$HELLO" --blobs "$W/b150x" --expect-pcr0 "$P0"
chk "expect pcr0 right JSON" ok "$W/out"
expect_rc 0 "expect pcr0+1+2 right" -- "$T" --docker-image "$HELLO" --blobs "$W/b150x" --expect-pcr0 "$P0" --expect-pcr "1=$P1" --expect-pcr "2=$HPCR2"
expect_rc 1 "expect pcr0 wrong" -- "$T" --json --docker-image "$HELLO" --blobs "$W/b150x" --expect-pcr0 "$W0"
chk "expect pcr0 wrong JSON" mismatch "$W/out" pcr0
err_is "expect pcr0 wrong" PCR_MISMATCH
expect_rc 1 "expect pcr1 wrong" -- "$T" --docker-image "$HELLO" --blobs "$W/b150x" --expect-pcr "1=$W0"
err_is "expect pcr1 wrong" PCR_MISMATCH
expect_rc 1 "expect pcr2 wrong with blobs" -- "$T" --docker-image "$HELLO" --blobs "$W/b150x" --expect-pcr0 "$P0" --expect-pcr "2=$WRONG"
err_is "expect pcr2 wrong with blobs" PCR_MISMATCH
expect_rc 0 "text mode with blobs" -- "$T" --docker-image "$HELLO" --blobs "$W/b150x"
grep -q "^PCR0: $P0\$" "$W/out" && grep -q "^PCR2: $HPCR2\$" "$W/out" && ok || bad "text mode with blobs lacks PCR0/PCR2 lines"

# --emit-eif: the EIF describes to the same PCRs.
expect_rc 0 "emit-eif x86_64" -- "$T" --json --docker-image "$HELLO" --blobs "$W/b150x" --emit-eif "$W/h.eif" --emit-ramdisk "$W/h2.cpio"
chk "emit-eif run = _composed_example" composed "$W/out"
cmp -s "$W/h2.cpio" "$V/ramdisks/hello-test.cpio" && ok || bad "ramdisk emitted next to the EIF differs"
expect_rc 0 "describe emitted EIF" -- "$T" --json "$W/h.eif"
chk "emitted EIF PCRs" eif "$W/out" "$W/b150x" x86_64
expect_rc 0 "emitted EIF expect" -- "$T" --expect-pcr0 "$P0" --expect-pcr "1=$P1" --expect-pcr "2=$HPCR2" "$W/h.eif"
expect_rc 0 "emit-eif again" -- "$T" --docker-image "$HELLO" --blobs "$W/b150x" --emit-eif "$W/h2.eif"
cmp -s "$W/h.eif" "$W/h2.eif" && ok || bad "two --emit-eif runs differ"

# ---- generated variants and negatives ----
G="$W/gen"
if python3 tests/cli/docker_images.py "$V" "$G" >"$W/gen.log" 2>&1; then ok; else bad "docker_images.py failed"; cat "$W/gen.log"; fi
sed 's/^/note: /' "$W/gen.log"
[ -s "$G/cases.tsv" ] || : >"$G/cases.tsv"
while IFS="$TAB" read -r name path rc codes same arch fmt plat cdig layers; do
  if [ "$plat" = - ]; then
    expect_rc "$rc" "$name" -- "$T" --json --docker-image "$G/$path"
  else
    expect_rc "$rc" "$name" -- "$T" --json --docker-image "$G/$path" --platform "$plat"
  fi
  if [ "$codes" = OK ] && [ "$same" != - ]; then
    chk "$name measurement = $same" measure "$W/out" "$same" "$arch" "$fmt" "$plat" "$cdig" "$layers"
  elif [ "$codes" = OK ]; then
    chk "$name measured" measured-other "$W/out" images/c04-minimal
  else
    chk "$name result $codes" fail "$W/out" "$codes"
    err_is "$name" "$(echo "$codes" | tr , '|')"
  fi
done <"$G/cases.tsv"
if [ -f "$G/hello-test-oci-gzip.tar" ]; then
  expect_rc 0 "OCI gzip --emit-ramdisk" -- "$T" --docker-image "$G/hello-test-oci-gzip.tar" --emit-ramdisk "$W/o.cpio"
  cmp -s "$W/o.cpio" "$V/ramdisks/hello-test.cpio" && ok || bad "OCI gzip emitted ramdisk differs from ramdisks/hello-test.cpio"
fi
if [ -d "$G/c02-layers-oci-zstd" ]; then
  expect_rc 0 "OCI zstd dir --emit-ramdisk" -- "$T" --docker-image "$G/c02-layers-oci-zstd" --emit-ramdisk "$W/z.cpio"
  cmp -s "$W/z.cpio" "$V/ramdisks/c02-layers.cpio" && ok || bad "OCI zstd emitted ramdisk differs from ramdisks/c02-layers.cpio"
fi

# aarch64 blobs with an Image kernel, on hello-test with an arm64 config.
if [ -f "$G/hello-arm64.tar" ]; then
  expect_rc 0 "arm64 hello --blobs v1.5.0 aarch64" -- "$T" --json --docker-image "$G/hello-arm64.tar" --platform linux/arm64 --blobs "$W/b150a"
  chk "arm64 hello v1.5.0 aarch64 blob report" blobs "$W/out" "$W/b150a" v1.5.0 aarch64 Image v1.5.0
  expect_rc 0 "arm64 hello --blobs 2022-02 aarch64" -- "$T" --json --docker-image "$G/hello-arm64.tar" --platform linux/arm64 --blobs "$W/b2202a"
  chk "arm64 hello 2022-02 aarch64 blob report" blobs "$W/out" "$W/b2202a" 2022-02 aarch64 Image 2022-02
  expect_rc 0 "emit-eif aarch64" -- "$T" --docker-image "$G/hello-arm64.tar" --platform linux/arm64 --blobs "$W/b150a" --emit-eif "$W/a.eif"
  expect_rc 0 "describe emitted aarch64 EIF" -- "$T" --json "$W/a.eif"
  chk "emitted aarch64 EIF PCRs" eif "$W/out" "$W/b150a" aarch64
fi

# The platform of a single-image docker save: asked for another one, or left to default.
expect_rc 2 "amd64 docker save, --platform linux/arm64" -- "$T" --json --docker-image "$HELLO" --platform linux/arm64
chk "amd64 docker save, --platform linux/arm64 JSON" fail "$W/out" PLATFORM_NOT_FOUND
err_is "amd64 docker save, --platform linux/arm64" PLATFORM_NOT_FOUND
if [ -f "$G/hello-arm64.tar" ]; then
  expect_rc 0 "arm64 docker save, no --platform" -- "$T" --json "--docker-image=$G/hello-arm64.tar"
  chk "arm64 docker save, no --platform: its only image" measure "$W/out" images/hello-test aarch64 docker-save linux/arm64
  expect_rc 0 "--NAME=VALUE forms" -- "$T" --json "--docker-image=$G/hello-arm64.tar" --platform=linux/arm64 "--expect-pcr=2=$HPCR2"
fi

# An init of no known generation is measured and labelled "unknown".
mkdir -p "$W/bunk"; cp "$W/b150x/bzImage" "$W/b150x/cmdline" "$W/b150x/nsm.ko" "$W/bunk/"
cp vectors/eif/synthetic-ramdisk0.cpio "$W/bunk/init"
expect_rc 0 "unknown init" -- "$T" --json --docker-image "$HELLO" --blobs "$W/bunk"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['BlobProfile']['init_generation']=='unknown', d['BlobProfile']; assert d['warnings'], 'no warning for an unknown init'" "$W/out" 2>"$W/pyerr" && ok || { bad "unknown init not labelled unknown"; cat "$W/pyerr"; }

# ---- blob and usage errors: exit 2, one stderr line ----
mkdir -p "$W/bnonsm"; cp "$W/b150x/bzImage" "$W/b150x/cmdline" "$W/b150x/init" "$W/bnonsm/"
expect_rc 2 "blobs without nsm.ko" -- "$T" --docker-image "$HELLO" --blobs "$W/bnonsm"
err_is "blobs without nsm.ko" '[A-Z_]+'
expect_rc 2 "blobs dir missing" -- "$T" --docker-image "$HELLO" --blobs "$W/nope"
err_is "blobs dir missing" '[A-Z_]+'
expect_rc 2 "image missing" -- "$T" --docker-image "$W/nope.tar"
err_is "image missing" '[A-Z_]+'
expect_rc 2 "--docker-image and an EIF" -- "$T" --docker-image "$HELLO" vectors/eif/synthetic-unsigned.eif
err_is "--docker-image and an EIF" USAGE
expect_rc 2 "--emit-eif without --blobs" -- "$T" --docker-image "$HELLO" --emit-eif "$W/x.eif"
err_is "--emit-eif without --blobs" USAGE
[ ! -e "$W/x.eif" ] && ok || bad "--emit-eif without --blobs wrote a file"
expect_rc 2 "--platform bogus" -- "$T" --docker-image "$HELLO" --platform bogus
err_is "--platform bogus" USAGE
expect_rc 2 "--platform linux/s390x" -- "$T" --docker-image "$HELLO" --platform linux/s390x
err_is "--platform linux/s390x" USAGE
expect_rc 2 "--docker-image without value" -- "$T" --docker-image
err_is "--docker-image without value" USAGE
expect_rc 2 "--docker-image with --build" -- "$T" --docker-image "$HELLO" --build "$W/y.eif" --kernel "$KERNEL"
err_is "--docker-image with --build" USAGE
expect_rc 2 "--blobs without --docker-image" -- "$T" --blobs "$W/b150x" vectors/eif/synthetic-unsigned.eif
err_is "--blobs without --docker-image" USAGE

echo "test_docker_pcr: $pass passed, $fail failed"
[ "$fail" = 0 ]
