#!/usr/bin/env python3
"""Variant and malformed container images for tests/cli/test_docker_pcr.sh.

    python3 tests/cli/docker_images.py VECTORS_DIR OUT_DIR

VECTORS_DIR is vectors/nitro-docker.  Every image written to OUT_DIR is derived from a
ground-truth `docker save` tar there, with the standard library only (tarfile, gzip,
hashlib, json; zstd layers only when a `zstd` binary or the `zstandard` module exists).
Output is a pure function of the inputs: tar headers carry mtime 0, uid/gid 0, no user
names; gzip streams carry mtime 0 and no file name.

OUT_DIR/cases.tsv has one line per image, tab-separated:

    name  path  rc  codes  same_as  arch  format  platform  config_digest  layers

rc is the exit status wanted; codes the accepted `result` values (comma-separated);
same_as the key in expected.json whose ramdisk the image must give ("-": none); arch,
format, platform ("-" = no --platform option), config_digest and layers what the JSON
report must say ("-" = not asserted).  Expected values come from the ground-truth tars and
expected.json, never from the tool under test.  Lines printed on stdout are notes (e.g.
which compressions were skipped).
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "raw": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def jdump(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


# ---- compression ----------------------------------------------------------------------

def zstd_backend():
    try:
        import zstandard  # noqa: F401
        return "module"
    except ImportError:
        pass
    if shutil.which("zstd"):
        return "binary"
    return None


ZSTD = zstd_backend()


def compress(raw, how):
    if how == "raw":
        return raw
    if how == "gzip":
        return gzip.compress(raw, compresslevel=6, mtime=0)
    if how == "zstd":
        if ZSTD == "module":
            import zstandard
            return zstandard.ZstdCompressor(level=3).compress(raw)
        return subprocess.run(["zstd", "-q", "-3", "-c", "--no-progress"], input=raw,
                              stdout=subprocess.PIPE, check=True).stdout
    raise ValueError(how)


def decompress(b):
    return gzip.decompress(b) if b[:2] == b"\x1f\x8b" else b


# ---- deterministic tar writing --------------------------------------------------------

def tarinfo(name, size=0, kind=tarfile.REGTYPE, mode=0o644, mtime=0, linkname=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.size = size
    ti.mode = mode
    ti.mtime = mtime
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.linkname = linkname
    return ti


def tar_of(members, fmt=tarfile.USTAR_FORMAT):
    """members: list of (name, bytes) for files, (name, None) for directories."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=fmt) as t:
        for name, data in members:
            if data is None:
                t.addfile(tarinfo(name, kind=tarfile.DIRTYPE, mode=0o755))
            else:
                t.addfile(tarinfo(name, size=len(data)), io.BytesIO(data))
    return bio.getvalue()


def member_bytes(ti, data=b"", fmt=tarfile.PAX_FORMAT):
    """One tar member (header blocks + padded data) as raw bytes."""
    buf = ti.tobuf(fmt, tarfile.ENCODING, "surrogateescape")
    if data:
        buf += data + b"\0" * (-len(data) % 512)
    return buf


def end_of_members(layer):
    """Offset just past the last member's data (where the end-of-archive blocks begin)."""
    end = 0
    with tarfile.open(fileobj=io.BytesIO(layer), mode="r:") as t:
        for m in t:
            end = m.offset_data + m.size + (-m.size % 512) if m.isreg() else m.offset_data
    return end


def append_members(layer, extra):
    """The layer with raw member bytes `extra` appended before its end-of-archive blocks."""
    return layer[:end_of_members(layer)] + extra + b"\0" * 1024


# ---- reading a ground-truth docker save -----------------------------------------------

class Image:
    def __init__(self, path):
        with tarfile.open(path) as t:
            m = json.load(t.extractfile("manifest.json"))[0]
            self.config = t.extractfile(m["Config"]).read()
            self.stored = [t.extractfile(n).read() for n in m["Layers"]]
            self.tags = m.get("RepoTags") or ["corpus/image:t"]
        self.raw = [decompress(b) for b in self.stored]

    def with_config(self, **changes):
        c = json.loads(self.config)
        c.update(changes)
        self.config = json.dumps(c).encode()
        return self

    def fix_diff_ids(self):
        c = json.loads(self.config)
        c["rootfs"]["diff_ids"] = ["sha256:" + sha256(r) for r in self.raw]
        self.config = json.dumps(c).encode()
        return self


def config_digest(cfg):
    return "sha256:" + sha256(cfg)


# ---- writers --------------------------------------------------------------------------

def write_docker_save(path, config, layers, tags, manifest_override=None, drop=()):
    """Legacy docker save (Docker <= 24): <id>/layer.tar, <config sha256>.json, manifest.json.
    `layers` are the stored layer bytes (raw or gzip)."""
    cname = sha256(config) + ".json"
    members = [(cname, config)]
    names = []
    for b in layers:
        lid = sha256(b)
        names.append(lid + "/layer.tar")
        members += [(lid + "/", None), (lid + "/layer.tar", b), (lid + "/VERSION", b"1.0")]
    manifest = jdump([{"Config": cname, "RepoTags": tags, "Layers": names}])
    if manifest_override is not None:
        manifest = manifest_override
    members.append(("manifest.json", manifest))
    members = [m for m in members if m[0] not in drop and not any(m[0] == d for d in drop)]
    with open(path, "wb") as f:
        f.write(tar_of(members))
    return names


class Layout:
    """An OCI image layout under construction: blobs by digest, then index.json."""

    def __init__(self):
        self.blobs = {}

    def blob(self, data):
        h = sha256(data)
        self.blobs[h] = data
        return {"digest": "sha256:" + h, "size": len(data)}

    def image(self, config, raws, how="raw"):
        """Adds config + layers + manifest; returns the manifest descriptor (no platform)."""
        layers = []
        for r in raws:
            d = self.blob(compress(r, how))
            layers.append({"mediaType": MT_LAYER[how], **d})
        man = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
               "config": {"mediaType": MT_CONFIG, **self.blob(config)}, "layers": layers}
        return {"mediaType": MT_MANIFEST, **self.blob(jdump(man))}

    def files(self, manifests, index_override=None, extra=(), tamper=None, drop=()):
        index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": manifests})
        if index_override is not None:
            index = index_override
        out = [("oci-layout", jdump({"imageLayoutVersion": "1.0.0"})), ("index.json", index),
               ("blobs/", None), ("blobs/sha256/", None)]
        for h in sorted(self.blobs):
            if h in drop:
                continue
            data = self.blobs[h]
            if tamper and h == tamper[0]:
                data = tamper[1](data)
            out.append(("blobs/sha256/" + h, data))
        out += list(extra)
        return out

    @staticmethod
    def write_dir(path, files):
        if os.path.exists(path):
            shutil.rmtree(path)
        os.makedirs(path)
        for name, data in files:
            p = os.path.join(path, name)
            if data is None:
                os.makedirs(p, exist_ok=True)
            else:
                with open(p, "wb") as f:
                    f.write(data)

    @staticmethod
    def write_tar(path, files):
        with open(path, "wb") as f:
            f.write(tar_of(files))


def platform(arch):
    p = {"architecture": arch, "os": "linux"}
    if arch == "arm64":
        p["variant"] = "v8"
    return p


# ---- cases ----------------------------------------------------------------------------

class Cases:
    def __init__(self, out):
        self.out = out
        self.rows = []

    def add(self, name, path, rc, codes="OK", same_as="-", arch="-", fmt="-", plat="-",
            cdig="-", layers="-"):
        self.rows.append([name, path, str(rc), codes, same_as, arch, fmt, plat, cdig,
                          str(layers)])

    def write(self):
        with open(os.path.join(self.out, "cases.tsv"), "w") as f:
            for r in self.rows:
                f.write("\t".join(r) + "\n")


def flip_in_file_content(layer, member_name=None):
    """The layer with one byte of a regular file's content changed (sizes unchanged)."""
    with tarfile.open(fileobj=io.BytesIO(layer), mode="r:") as t:
        for m in t:
            if m.isreg() and m.size > 0 and (member_name is None or m.name == member_name):
                off = m.offset_data + m.size // 2
                break
        else:
            raise SystemExit("no regular file with content in layer")
    b = bytearray(layer)
    b[off] ^= 0x01
    return bytes(b)


def mid_file_cut(layer):
    """Offset in the middle of the largest regular file's data."""
    best = None
    with tarfile.open(fileobj=io.BytesIO(layer), mode="r:") as t:
        for m in t:
            if m.isreg() and m.size > 1 and (best is None or m.size > best.size):
                best = m
    return best.offset_data + best.size // 2


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    vec, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cases = Cases(out)
    hows = ["raw", "gzip"] + (["zstd"] if ZSTD else [])
    if ZSTD:
        print("zstd: layers compressed with the zstd %s" % ZSTD)
    else:
        print("zstd: no zstd binary or python module, zstd cases skipped")

    def load(key):
        return Image(os.path.join(vec, key + ".tar"))

    # (a) the same images as OCI layouts (dir and tar, raw/gzip/zstd layers) and as a
    # Docker >= 25 docker save (OCI layout plus manifest.json, uncompressed layers).
    for key in ["images/c01-basic", "images/c02-layers", "images/hello-test", "fuzz/f005"]:
        im = load(key)
        base = key.split("/")[1]
        cd = config_digest(im.config)
        n = len(im.raw)
        for how in hows:
            lay = Layout()
            desc = lay.image(im.config, im.raw, how)
            desc["platform"] = platform("amd64")
            desc["annotations"] = {"org.opencontainers.image.ref.name": "t"}
            files = lay.files([desc])
            d = "%s-oci-%s" % (base, how)
            Layout.write_dir(os.path.join(out, d), files)
            cases.add(d + "-dir", d, 0, "OK", key, "x86_64", "oci-layout", "-", cd, n)
            Layout.write_tar(os.path.join(out, d + ".tar"), files)
            cases.add(d + "-tar", d + ".tar", 0, "OK", key, "x86_64", "oci-layout", "-", cd, n)
        lay = Layout()
        desc = lay.image(im.config, im.raw, "raw")
        desc["annotations"] = {"io.containerd.image.name": "docker.io/" + im.tags[0],
                               "org.opencontainers.image.ref.name": im.tags[0].split(":")[-1]}
        man = json.loads(lay.blobs[desc["digest"][7:]])
        dm = jdump([{"Config": "blobs/" + man["config"]["digest"].replace(":", "/"),
                     "RepoTags": im.tags,
                     "Layers": ["blobs/" + l["digest"].replace(":", "/") for l in man["layers"]]}])
        files = lay.files([desc], extra=[("manifest.json", dm)])
        Layout.write_tar(os.path.join(out, base + "-docker25.tar"), files)
        cases.add(base + "-docker25", base + "-docker25.tar", 0, "OK", key, "x86_64", "-", "-",
                  cd, n)

    # A legacy docker save re-written by this generator (control for the negatives below).
    im = load("images/c04-minimal")
    write_docker_save(os.path.join(out, "c04-resaved.tar"), im.config, im.stored, im.tags)
    cases.add("c04-resaved", "c04-resaved.tar", 0, "OK", "images/c04-minimal", "x86_64",
              "docker-save", "-", config_digest(im.config), 1)

    # (b) an index with linux/amd64 (c01-basic) and linux/arm64 (c02-layers, config
    # architecture arm64, so a new config digest), one listing linux/amd64 twice, one
    # nesting the two-platform index inside index.json (containerd image store shape).
    a = load("images/c01-basic")
    b = load("images/c02-layers").with_config(architecture="arm64", variant="v8")
    lay = Layout()
    da = lay.image(a.config, a.raw, "gzip")
    db = lay.image(b.config, b.raw, "gzip")
    multi = [dict(da, platform=platform("amd64")), dict(db, platform=platform("arm64"))]
    files = lay.files(multi)
    Layout.write_dir(os.path.join(out, "multi-oci"), files)
    Layout.write_tar(os.path.join(out, "multi-oci.tar"), files)
    ca, cb = config_digest(a.config), config_digest(b.config)
    for p in ["multi-oci", "multi-oci.tar"]:
        # without --platform an index of two images is ambiguous (the default is the only one)
        cases.add(p + "-default", p, 2, "PLATFORM_NOT_FOUND")
        cases.add(p + "-amd64", p, 0, "OK", "images/c01-basic", "x86_64", "oci-layout",
                  "linux/amd64", ca, 1)
        cases.add(p + "-arm64", p, 0, "OK", "images/c02-layers", "aarch64", "oci-layout",
                  "linux/arm64", cb, 3)
    nested = Layout()
    nested.blobs = dict(lay.blobs)
    inner = nested.blob(jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": multi}))
    files = nested.files([dict(inner, mediaType=MT_INDEX)])
    Layout.write_tar(os.path.join(out, "nested-index.tar"), files)
    cases.add("nested-index-arm64", "nested-index.tar", 0, "OK", "images/c02-layers", "aarch64",
              "oci-layout", "linux/arm64", cb, 3)
    b2 = load("images/c02-layers")
    lay = Layout()
    da = lay.image(a.config, a.raw)
    db = lay.image(b2.config, b2.raw)
    files = lay.files([dict(da, platform=platform("amd64")), dict(db, platform=platform("amd64"))])
    Layout.write_tar(os.path.join(out, "dup-platform.tar"), files)
    cases.add("dup-platform", "dup-platform.tar", 2, "PLATFORM_NOT_FOUND")
    cases.add("dup-platform-explicit", "dup-platform.tar", 2, "PLATFORM_NOT_FOUND", plat="linux/amd64")
    lay = Layout()
    files = lay.files([dict(lay.image(a.config, a.raw), platform=platform("amd64"))])
    Layout.write_tar(os.path.join(out, "amd64-only.tar"), files)
    cases.add("amd64-only-want-arm64", "amd64-only.tar", 2, "PLATFORM_NOT_FOUND",
              plat="linux/arm64")

    # hello-test with an arm64 config, for the aarch64 blob set (legacy docker save).
    h = load("images/hello-test").with_config(architecture="arm64", variant="v8")
    write_docker_save(os.path.join(out, "hello-arm64.tar"), h.config, h.stored, h.tags)
    cases.add("hello-arm64", "hello-arm64.tar", 0, "OK", "images/hello-test", "aarch64",
              "docker-save", "linux/arm64", config_digest(h.config), 2)

    # (c) tampered and malformed images.  Unless the case is about digests, the config's
    # diff_ids are recomputed over the new layer bytes.
    def save(name, im, fix=True, **kw):
        if fix:
            im.fix_diff_ids()
        stored = kw.pop("stored", None) or im.raw
        write_docker_save(os.path.join(out, name + ".tar"), im.config, stored, im.tags, **kw)
        return name + ".tar"

    im = load("images/c01-basic")
    im.raw[0] = flip_in_file_content(im.raw[0], "bin/sh")
    cases.add("tamper-layer", save("tamper-layer", im, fix=False), 1, "LAYER_DIGEST_MISMATCH")
    im = load("images/c03-layers-gzip")
    im.raw[1] = flip_in_file_content(im.raw[1])
    stored = list(im.stored)
    stored[1] = compress(im.raw[1], "gzip")
    cases.add("tamper-gzip-layer", save("tamper-gzip-layer", im, fix=False, stored=stored), 1,
              "LAYER_DIGEST_MISMATCH")

    im = load("images/c01-basic")
    cut = mid_file_cut(im.raw[0])
    im.raw[0] = im.raw[0][:cut]
    p = save("truncated-layer", im, fix=False)
    cases.add("truncated-layer", p, "!0", "IMAGE_MALFORMED,LAYER_DIGEST_MISMATCH")
    im = load("images/c01-basic")
    im.raw[0] = im.raw[0][:cut]
    cases.add("truncated-layer-consistent", save("truncated-layer-consistent", im), 2,
              "IMAGE_MALFORMED")
    im = load("images/c03-layers-gzip")
    stored = list(im.stored)
    stored[1] = stored[1][:len(stored[1]) // 2]
    cases.add("truncated-gzip-layer", save("truncated-gzip-layer", im, fix=False, stored=stored),
              "!0", "IMAGE_MALFORMED,LAYER_DIGEST_MISMATCH")

    def appended(name, members, rc, codes):
        im = load("images/c04-minimal")
        im.raw[0] = append_members(im.raw[0], b"".join(members))
        cases.add(name, save(name, im), rc, codes)

    R, D, L, S = tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.LNKTYPE, tarfile.SYMTYPE
    ok = b"ok\n"
    # control: a benign file appended the same way must still give a measurement
    appended("append-control", [member_bytes(tarinfo("extra", 3), ok)], 0, "OK")
    appended("path-dotdot", [member_bytes(tarinfo("../evil", 3), ok)], 2, "IMAGE_MALFORMED")
    appended("path-inner-dotdot", [member_bytes(tarinfo("a/", kind=D, mode=0o755)),
                                   member_bytes(tarinfo("a/../../evil", 3), ok)],
             2, "IMAGE_MALFORMED")
    appended("path-abs-dotdot", [member_bytes(tarinfo("/../x", 3), ok)], 2, "IMAGE_MALFORMED")
    appended("whiteout-dotdot", [member_bytes(tarinfo("sub/", kind=D, mode=0o755)),
                                 member_bytes(tarinfo("sub/.wh...", 0))],
             2, "IMAGE_MALFORMED")
    appended("hardlink-before-target", [member_bytes(tarinfo("hl", kind=L, mode=0o755,
                                                             linkname="target")),
                                        member_bytes(tarinfo("target", 3, mode=0o755), ok)],
             2, "IMAGE_MALFORMED")
    appended("hardlink-to-dir", [member_bytes(tarinfo("d2/", kind=D, mode=0o755)),
                                 member_bytes(tarinfo("hl", kind=L, mode=0o755, linkname="d2"))],
             2, "IMAGE_MALFORMED")
    # hard links are per layer (eif-pcr-repro.md 2.5 B1): a target only in a lower layer
    im = load("images/c04-minimal")
    im.raw.append(tar_of([]))
    im.raw[1] = append_members(im.raw[1], member_bytes(tarinfo("hl", kind=L, mode=0o755,
                                                               linkname="app")))
    cases.add("hardlink-to-lower-layer", save("hardlink-to-lower-layer", im), 2,
              "IMAGE_MALFORMED")
    # a name that is not UTF-8 (2.8: reject)
    appended("name-not-utf8", [member_bytes(tarinfo("caf\udcffe", 3), ok)], 2,
             "IMAGE_CONTENT_UNSUPPORTED")
    late = tarinfo("late", 3, mtime=5000000000)
    late.pax_headers = {"mtime": "5000000000"}
    appended("mtime-past-2106", [member_bytes(late, ok)], 2, "IMAGE_CONTENT_UNSUPPORTED")
    appended("file-5gib-header-only", [member_bytes(tarinfo("big", 5 << 30))], 2,
             "IMAGE_CONTENT_UNSUPPORTED,IMAGE_MALFORMED")
    odd = tarinfo("odd", 0)
    odd.type = b"Z"
    appended("unknown-tar-type", [member_bytes(odd, fmt=tarfile.USTAR_FORMAT)], 2,
             "IMAGE_CONTENT_UNSUPPORTED")

    big_uid = tarinfo("uid", 3)
    big_uid.uid = 1 << 32
    big_uid.pax_headers = {"uid": str(1 << 32)}
    appended("uid-4294967296", [member_bytes(big_uid, ok)], 2, "IMAGE_CONTENT_UNSUPPORTED")
    edge = tarinfo("edge", 3, mtime=(1 << 32) - 1)
    edge.pax_headers = {"mtime": str((1 << 32) - 1)}
    appended("mtime-4294967295", [member_bytes(edge, ok)], 0, "OK")

    # Caps: overlayfs's ~128 layers, NAME_MAX, Cmd/Entrypoint/Env elements, nested indexes.
    def stacked(name, n, rc, codes):
        im = load("images/c04-minimal")
        im.raw += [tar_of([("f%03d" % i, b"%d\n" % i)]) for i in range(n - 1)]
        cases.add(name, save(name, im), rc, codes)
    stacked("layers-128", 128, 0, "OK")
    stacked("layers-129", 129, 2, "INPUT_TOO_LARGE")
    appended("name-255", [member_bytes(tarinfo("n" * 255, 3), ok)], 0, "OK")
    appended("name-256", [member_bytes(tarinfo("n" * 256, 3), ok)], 2, "INPUT_TOO_LARGE")
    im = load("images/c04-minimal").with_config(config={"Cmd": ["x"] * 100001})
    cases.add("cmd-100001-args", save("cmd-100001-args", im), 2, "INPUT_TOO_LARGE")
    im = load("images/c01-basic")
    lay = Layout()
    desc = dict(lay.image(im.config, im.raw), platform=platform("amd64"))
    for _ in range(10):
        desc = dict(lay.blob(jdump({"schemaVersion": 2, "mediaType": MT_INDEX,
                                    "manifests": [desc]})), mediaType=MT_INDEX)
    Layout.write_tar(os.path.join(out, "index-depth-10.tar"), lay.files([desc]))
    cases.add("index-depth-10", "index-depth-10.tar", 2, "INPUT_TOO_LARGE")

    appended("entry-below-file", [member_bytes(tarinfo("app/x", 3), ok)], 2, "IMAGE_MALFORMED")
    im = load("images/c04-minimal")
    p = save("duplicate-manifest", im, fix=False)
    with open(os.path.join(out, p), "rb") as f:
        body = f.read()
    body = body[:end_of_members(body)] + member_bytes(tarinfo("manifest.json", 2), b"[]",
                                                      fmt=tarfile.USTAR_FORMAT) + b"\0" * 1024
    with open(os.path.join(out, p), "wb") as f:
        f.write(body)
    cases.add("duplicate-manifest", p, 2, "IMAGE_MALFORMED")

    im = load("images/c04-minimal")
    lid = sha256(im.stored[0]) + "/layer.tar"
    cases.add("missing-layer-member", save("missing-layer-member", im, fix=False, drop=(lid,)),
              2, "IMAGE_MALFORMED")
    im = load("images/c04-minimal")
    cases.add("missing-config-member",
              save("missing-config-member", im, fix=False, drop=(sha256(im.config) + ".json",)),
              2, "IMAGE_MALFORMED")
    im = load("images/c04-minimal")
    cases.add("manifest-not-json",
              save("manifest-not-json", im, fix=False, manifest_override=b"[{\"Config\": "),
              2, "IMAGE_MALFORMED")
    im = load("images/c04-minimal")
    cases.add("manifest-not-list",
              save("manifest-not-list", im, fix=False, manifest_override=b"{}"),
              2, "IMAGE_MALFORMED")

    # OCI negatives: a blob whose bytes no longer match its name; bad index; missing blob.
    im = load("images/c01-basic")
    lay = Layout()
    desc = dict(lay.image(im.config, im.raw), platform=platform("amd64"))
    man = json.loads(lay.blobs[desc["digest"][7:]])
    layer_hex = man["layers"][0]["digest"][7:]
    cfg_hex = man["config"]["digest"][7:]
    files = lay.files([desc], tamper=(layer_hex, lambda b: flip_in_file_content(b, "bin/sh")))
    Layout.write_dir(os.path.join(out, "oci-tamper-layer"), files)
    cases.add("oci-tamper-layer", "oci-tamper-layer", 1, "LAYER_DIGEST_MISMATCH")
    files = lay.files([desc], tamper=(cfg_hex, lambda b: b.replace(b"/bin/sh", b"/bin/sx")))
    Layout.write_tar(os.path.join(out, "oci-tamper-config.tar"), files)
    cases.add("oci-tamper-config", "oci-tamper-config.tar", 1, "LAYER_DIGEST_MISMATCH")
    files = lay.files([desc], index_override=b"{\"manifests\": [")
    Layout.write_dir(os.path.join(out, "oci-index-not-json"), files)
    cases.add("oci-index-not-json", "oci-index-not-json", 2, "IMAGE_MALFORMED")
    files = lay.files([desc], drop=(desc["digest"][7:],))
    Layout.write_tar(os.path.join(out, "oci-missing-manifest.tar"), files)
    cases.add("oci-missing-manifest", "oci-missing-manifest.tar", 2, "IMAGE_MALFORMED")

    # A descriptor whose size is not its blob's; an index and a config that disagree.
    im = load("images/c01-basic")
    lay = Layout()
    desc = dict(lay.image(im.config, im.raw), platform=platform("amd64"))
    man = json.loads(lay.blobs[desc["digest"][7:]])
    man["layers"][0]["size"] += 1
    del lay.blobs[desc["digest"][7:]]
    desc = dict(lay.blob(jdump(man)), mediaType=MT_MANIFEST, platform=platform("amd64"))
    Layout.write_dir(os.path.join(out, "oci-layer-size-wrong"), lay.files([desc]))
    cases.add("oci-layer-size-wrong", "oci-layer-size-wrong", 1, "LAYER_DIGEST_MISMATCH")
    im = load("images/c01-basic")
    c = json.loads(im.config)
    c["architecture"] = "arm64"
    lay = Layout()
    desc = dict(lay.image(jdump(c), im.raw), platform=platform("amd64"))
    Layout.write_tar(os.path.join(out, "oci-platform-disagrees.tar"), lay.files([desc]))
    cases.add("oci-platform-disagrees", "oci-platform-disagrees.tar", 2, "IMAGE_MALFORMED")
    # Go's archive/tar types Docker's extractor refuses, which libarchive reads as files.
    cont = tarinfo("cont", 3)
    cont.type = b"7"
    appended("contiguous-tar-type", [member_bytes(cont, ok, fmt=tarfile.USTAR_FORMAT)], 2,
             "IMAGE_CONTENT_UNSUPPORTED")
    # A WorkingDir through a symlink loop (docker create's resolution gives up).
    im = load("images/c04-minimal").with_config(config={"Cmd": ["/app"], "WorkingDir": "/loop/x"})
    im.raw[0] = append_members(im.raw[0], member_bytes(tarinfo("loop", kind=S, mode=0o777,
                                                                linkname="/loop")))
    cases.add("workdir-symlink-loop", save("workdir-symlink-loop", im), 2, "IMAGE_MALFORMED")
    im = load("images/c04-minimal").with_config(config={"Cmd": ["/app"], "WorkingDir": "/w/."})
    im.raw[0] = append_members(im.raw[0], member_bytes(tarinfo("d/", kind=D, mode=0o755)) +
                               member_bytes(tarinfo("w", kind=S, mode=0o777, linkname="d")))
    cases.add("workdir-via-symlink", save("workdir-via-symlink", im), 0, "OK")

    cases.write()
    print("cases: %d" % len(cases.rows))


if __name__ == "__main__":
    main()
