#!/usr/bin/env python3
"""A generated `docker save` image for tests/bench/bench_docker_image.c: the
input of `recompute_pcr0 --docker-image`.  Standard library only; the same
arguments give the same bytes.

    python3 tests/bench/gen_docker_image.py OUT.tar [--size-mb 300] [--seed 1]

Layout: the legacy one Docker 20.10 writes and loads: manifest.json
([{"Config": "<sha256>.json", "RepoTags": [...], "Layers": ["<id>/layer.tar",
...]}]), the config named by its own sha256 (architecture amd64, os linux,
config.Cmd, config.Env, config.WorkingDir /app, rootfs.type "layers",
rootfs.diff_ids the sha256 of each *uncompressed* layer tar), and per layer a
directory <id> (= its diff_id's hex) holding VERSION and layer.tar.  Every
layer.tar member is gzip (level 6, mtime 0): docker save itself stores them
plain, Docker loads both.

Content: about --size-mb MiB of file data in about 3,000 files over five
layers (a base system, a Python runtime, an application with a few large
model/data files, an update layer, a configuration layer), a few hundred
directories, symlinks (relative, absolute, top-level usrmerge ones), two hard
links, and in the upper layers replaced files, whiteouts of files and of
directories (.wh.NAME) and one opaque directory (.wh..wh..opq).  Every
member's parent directories have their own entries in the same layer (the
tool refuses implicit directories), members are in walk order (parents
first, then names in byte order), mtimes are 1700000000, owners 0:0.  Small
files are text made of random words (gzip ~3-4x); larger ones a mix of random
bytes, zero runs and text (~2x); the whole gzips about 2-3x.

Prints one summary line (layers, files, directories, links, whiteouts, bytes
of content, of the layer tars and of the image)."""
import argparse
import gzip
import hashlib
import io
import json
import random
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor

MTIME = 1700000000
MIB = 1 << 20
CORPUS = 16 * MIB


def make_corpora(rng):
    """A text corpus (random words from a fixed vocabulary, in lines) and a
    binary one (4 KiB blocks: random bytes, a zero run, a text slice)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(3000)]
    vocab += ["=", "{", "}", "(", ")", ";", "0", "1", "#", "def", "return", "the", "if"]
    out, have = [], 0
    while have < CORPUS:
        line = " ".join(rng.choices(vocab, k=rng.randint(4, 14))) + "\n"
        out.append(line)
        have += len(line)
    text = "".join(out).encode()[:CORPUS]
    blocks, have = [], 0
    while have < CORPUS:
        r = rng.randint(700, 1500)
        z = rng.randint(200, 1400)
        t = 4096 - r - z
        o = rng.randrange(CORPUS - t)
        blocks.append(rng.randbytes(r) + bytes(z) + text[o:o + t])
        have += 4096
    return text, b"".join(blocks)[:CORPUS]


def content(rng, corpus, size):
    """size bytes of corpus from random offsets."""
    parts, left = [], size
    while left > 0:
        k = min(left, CORPUS // 2)
        o = rng.randrange(CORPUS - k + 1)
        parts.append(corpus[o:o + k])
        left -= k
    return b"".join(parts)


def sizes_log(rng, n, lo, hi):
    """n sizes, log-uniform in [lo, hi]."""
    return [int(lo * (hi / lo) ** rng.random()) for _ in range(n)]


class Layer:
    """One layer's members: path -> (kind, data-or-target, mode)."""

    def __init__(self, comment):
        self.comment = comment
        self.m = {}

    def dir(self, path, mode=0o755):
        self.m[path] = ("dir", None, mode)

    def file(self, path, data, mode=0o644):
        self.m[path] = ("file", data, mode)

    def symlink(self, path, target):
        self.m[path] = ("sym", target, 0o777)

    def hardlink(self, path, target):
        self.m[path] = ("hard", target, 0o644)

    def whiteout(self, path):
        d, _, base = path.rpartition("/")
        self.m[(d + "/" if d else "") + ".wh." + base] = ("file", b"", 0o644)

    def opaque(self, path):
        self.m[path + "/.wh..wh..opq"] = ("file", b"", 0o644)

    def tar_bytes(self):
        """The uncompressed layer tar: every ancestor directory given its own entry,
        members in walk order (a directory before its contents, names in byte order)."""
        for p in list(self.m):
            parts = p.split("/")
            for i in range(1, len(parts)):
                a = "/".join(parts[:i])
                if a not in self.m:
                    self.m[a] = ("dir", None, 0o755)
                elif self.m[a][0] != "dir":
                    raise SystemExit("gen_docker_image: %s is both a parent and a %s" % (a, self.m[a][0]))
        order = sorted(self.m, key=lambda p: [c.encode() for c in p.split("/")])
        pos = {p: i for i, p in enumerate(order)}
        buf = io.BytesIO()
        counts = {"file": 0, "dir": 0, "sym": 0, "hard": 0, "wh": 0}
        content_bytes = 0
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
            for p in order:
                kind, x, mode = self.m[p]
                ti = tarfile.TarInfo(p + "/" if kind == "dir" else p)
                ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname, ti.mode = MTIME, 0, 0, "", "", mode
                data = None
                if kind == "dir":
                    ti.type = tarfile.DIRTYPE
                elif kind == "sym":
                    ti.type, ti.linkname = tarfile.SYMTYPE, x
                elif kind == "hard":
                    if pos.get(x, len(order)) > pos[p]:
                        raise SystemExit("gen_docker_image: hard link %s before its target %s" % (p, x))
                    ti.type, ti.linkname = tarfile.LNKTYPE, x
                else:
                    data = x
                    ti.size = len(x)
                counts["wh" if p.rpartition("/")[2].startswith(".wh.") else kind] += 1
                content_bytes += ti.size
                t.addfile(ti, io.BytesIO(data) if data is not None else None)
        return buf.getvalue(), counts, content_bytes


def build_layers(size_mb, seed):
    rng = random.Random(seed)
    text, binary = make_corpora(rng)
    scale = size_mb / 300.0
    total = int(size_mb * MIB)
    used = [0]

    def txt(n):
        used[0] += n
        return content(rng, text, n)

    def mixed(n):
        used[0] += n
        return content(rng, binary if rng.random() < 0.5 else text, n)

    def name(k=None):
        return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=k or rng.randint(3, 9)))

    small = lambda n: sizes_log(rng, n, max(64, int(200 * scale)), max(256, int(48 * 1024 * scale)))
    medium = lambda n: sizes_log(rng, n, max(1024, int(48 * 1024 * scale)), max(4096, int(768 * 1024 * scale)))

    # Layer 0: a base system.
    L0 = Layer("base system")
    for d in ("usr/bin", "usr/sbin", "usr/lib/x86_64-linux-gnu", "usr/lib64", "usr/share/doc", "var/lib/dpkg/info",
              "var/cache", "var/log", "tmp", "root", "home", "srv", "mnt", "opt"):
        L0.dir(d)
    L0.dir("tmp", 0o1777)
    L0.dir("root", 0o700)
    for top in ("bin", "lib", "sbin", "lib64"):
        L0.symlink(top, "usr/" + top)
    bins = []
    for s in small(160):
        p = "usr/bin/" + name()
        if p in L0.m:
            continue
        L0.file(p, mixed(s), 0o755)
        bins.append(p)
    for s in medium(40):
        L0.file("usr/sbin/" + name(), mixed(s), 0o755)
    L0.file("usr/bin/pigz", mixed(int(180 * 1024 * scale) + 1), 0o755)
    L0.hardlink("usr/bin/unpigz", "usr/bin/pigz")
    libdir = "usr/lib/x86_64-linux-gnu/"
    for s in medium(90):
        base = "lib" + name()
        if libdir + base + ".so.1.2.3" in L0.m:
            continue
        L0.file(libdir + base + ".so.1.2.3", mixed(s))
        L0.symlink(libdir + base + ".so.1", base + ".so.1.2.3")
        L0.symlink(libdir + base + ".so", base + ".so.1")
    for k in range(5):
        L0.file(libdir + "libbig%d.so.%d" % (k, k + 1), mixed(int(rng.randint(3, 9) * MIB * scale) + 1))
    pkgs = sorted({name() for _ in range(150)})
    for pkg in pkgs:
        for s in small(rng.randint(2, 6)):
            L0.file("usr/share/doc/%s/%s" % (pkg, rng.choice(["copyright", "changelog", "README", "NEWS", name()])), txt(s))
        for s in small(rng.randint(0, 3)):
            L0.file("var/lib/dpkg/info/%s.%s" % (pkg, rng.choice(["list", "md5sums", "postinst", "conffiles"])), txt(s))
    for sec in ("1", "5", "7", "8"):
        for s in small(70):
            L0.file("usr/share/man/man%s/%s.%s.gz" % (sec, name(), sec), mixed(s // 3 + 1))
    for loc in sorted({name(2) for _ in range(40)}):
        for s in small(rng.randint(2, 5)):
            L0.file("usr/share/locale/%s/LC_MESSAGES/%s.mo" % (loc, name()), txt(s))
    for region in ("Africa", "America", "Asia", "Europe", "Etc", "Pacific"):
        for s in small(25):
            L0.file("usr/share/zoneinfo/%s/%s" % (region, name().capitalize()), mixed(s // 8 + 1))
    L0.file("usr/share/zoneinfo/Etc/UTC", mixed(114))
    for s in small(40):
        L0.file("etc/%s.conf" % name(), txt(s // 4 + 1))
    for d in ("apt/apt.conf.d", "default", "profile.d", "ssl/certs", "security"):
        for s in small(8):
            L0.file("etc/%s/%s" % (d, name()), txt(s // 4 + 1))
    L0.file("etc/os-release", b'PRETTY_NAME="Generated Linux 1"\nID=generated\n')
    L0.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    L0.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n")
    L0.symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC")
    for i, b in enumerate(bins[:12]):
        L0.symlink("usr/bin/%s-alias%d" % (name(), i), b.rpartition("/")[2])

    # Layer 1: a Python runtime.
    L1 = Layer("python runtime")
    py = "usr/local/lib/python3.11/"
    L1.file("usr/local/bin/python3.11", mixed(int(4 * MIB * scale) + 1), 0o755)
    L1.symlink("usr/local/bin/python3", "python3.11")
    L1.symlink("usr/local/bin/python", "/usr/local/bin/python3")
    for s in small(220):
        L1.file(py + name() + ".py", txt(s))
    for s in medium(25):
        L1.file(py + "lib-dynload/_" + name() + ".cpython-311-x86_64-linux-gnu.so", mixed(s))
    sitepkgs = sorted({name() for _ in range(60)})
    for pkg in sitepkgs:
        subs = [""] + [name() + "/" for _ in range(rng.randint(0, 3))]
        for s in small(rng.randint(3, 12)):
            L1.file(py + "site-packages/%s/%s%s.py" % (pkg, rng.choice(subs), name()), txt(s))
        if rng.random() < 0.3:
            L1.file(py + "site-packages/%s/_native.cpython-311-x86_64-linux-gnu.so" % pkg, mixed(medium(1)[0]))
        L1.file(py + "site-packages/%s-1.0.dist-info/METADATA" % pkg, txt(small(1)[0]))
        L1.file(py + "site-packages/%s-1.0.dist-info/RECORD" % pkg, txt(small(1)[0]))

    # Layer 2: the application, with a few large model/data files.
    L2 = Layer("application")
    L2.file("app/bin/server", mixed(int(12 * MIB * scale) + 1), 0o755)
    L2.hardlink("app/bin/server-worker", "app/bin/server")
    for s in small(180):
        L2.file("app/src/%s/%s.py" % (rng.choice(["api", "core", "db", "util", "jobs", "auth"]), name()), txt(s))
    for s in small(120):
        ext = rng.choice(["css", "js", "svg", "html"])
        L2.file("app/static/%s/%s.%s" % (ext, name(), ext), txt(s))
    for s in small(40):
        L2.file("app/static/img/%s.png" % name(), mixed(s))
    for s in small(60):
        L2.file("app/templates/%s.html" % name(), txt(s))
    L2.symlink("app/current", "/app/src")
    for s in medium(40):
        L2.file("app/data/shard%02d/%s.bin" % (rng.randrange(8), name()), mixed(s))

    # Layer 3: updates: replaced files, whiteouts, an opaque directory, a new package.
    L3 = Layer("updates")
    gone = [py + "site-packages/" + pkg for pkg in sitepkgs[:3]]
    gone += [py + "site-packages/%s-1.0.dist-info" % pkg for pkg in sitepkgs[:3]]
    for d in gone:
        L3.whiteout(d)
    L3.opaque("app/static/img")
    spared = tuple(d + "/" for d in gone) + ("app/static/img/",)
    lower = sorted(p for L in (L0, L1, L2) for p, v in L.m.items() if v[0] == "file" and not p.startswith(spared))
    picks = rng.sample(lower, min(140, len(lower)))
    for p in picks[:70]:
        L3.file(p, txt(small(1)[0]) if p.endswith((".py", ".conf", ".html")) else mixed(small(1)[0]), 0o644)
    for p in picks[70:]:
        L3.whiteout(p)
    for s in small(30):
        L3.file("app/static/img/%s.webp" % name(), mixed(s))
    for s in small(80):
        L3.file(py + "site-packages/newpkg/%s.py" % name(), txt(s))

    # Layer 4: configuration, and what is left of the size goes to model files.
    L4 = Layer("config and models")
    for s in small(12):
        L4.file("etc/app/%s.yaml" % name(), txt(s // 4 + 1))
    L4.file("app/VERSION", b"1.0.0\n")
    L4.symlink("app/config", "/etc/app")
    left = max(0, total - used[0])
    nmodels = 8
    weights = [rng.random() + 0.5 for _ in range(nmodels)]
    for k in range(nmodels):
        n = int(left * weights[k] / sum(weights))
        if n:
            L4.file("app/models/model-%02d.bin" % k, mixed(n))
    return [L0, L1, L2, L3, L4]


def tar_member(t, name, data=None, mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname, ti.mode = MTIME, 0, 0, "", "", mode
    if data is None:
        ti.type = tarfile.DIRTYPE
        t.addfile(ti)
    else:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))


def main():
    ap = argparse.ArgumentParser(description="a generated docker save tar with gzip layers")
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=300.0, help="MiB of file content (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.size_mb < 1:
        ap.error("--size-mb must be at least 1")
    t0 = time.monotonic()
    layers = build_layers(a.size_mb, a.seed)
    tars = []
    counts = {"file": 0, "dir": 0, "sym": 0, "hard": 0, "wh": 0}
    content_bytes = 0
    for L in layers:
        raw, c, n = L.tar_bytes()
        L.m = None
        tars.append(raw)
        content_bytes += n
        for k in counts:
            counts[k] += c[k]
    diff_ids = [hashlib.sha256(raw).hexdigest() for raw in tars]
    # zlib releases the GIL: the layers compress in parallel, the bytes do not depend on it
    with ThreadPoolExecutor(max_workers=4) as ex:
        gzs = list(ex.map(lambda raw: gzip.compress(raw, compresslevel=6, mtime=0), tars))
    created = "2023-11-14T22:13:20Z"
    config = {
        "architecture": "amd64",
        "config": {
            "Cmd": ["/app/bin/server", "--port", "8080"],
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
                    "PYTHONUNBUFFERED=1", "APP_HOME=/app"],
            "WorkingDir": "/app",
        },
        "created": created,
        "history": [{"created": created, "created_by": L.comment} for L in layers],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in diff_ids]},
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    manifest = [{"Config": cfg_name, "RepoTags": ["bench/generated:%g-%d" % (a.size_mb, a.seed)],
                 "Layers": [d + "/layer.tar" for d in diff_ids]}]
    with open(a.out, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.USTAR_FORMAT) as t:
        tar_member(t, cfg_name, cfg)
        for d, gz in zip(diff_ids, gzs):
            tar_member(t, d, None, 0o755)
            tar_member(t, d + "/layer.tar", gz)
            tar_member(t, d + "/VERSION", b"1.0")
        tar_member(t, "manifest.json", json.dumps(manifest).encode())
    with open(a.out, "rb") as f:
        f.seek(0, 2)
        image = f.tell()
    raw_total, gz_total = sum(map(len, tars)), sum(map(len, gzs))
    print("gen_docker_image: %s: %d layers, %d files, %d directories, %d symlinks, %d hard links, %d whiteouts; "
          "content %.1f MiB, layer tars %.1f MiB, gzip %.1f MiB (%.2fx), image %.1f MiB; %.1f s"
          % (a.out, len(layers), counts["file"], counts["dir"], counts["sym"], counts["hard"], counts["wh"],
             content_bytes / MIB, raw_total / MIB, gz_total / MIB, raw_total / gz_total, image / MIB,
             time.monotonic() - t0))


if __name__ == "__main__":
    sys.exit(main())
