#!/usr/bin/env python3
"""verify_hotkey_signature and the binding's verify_hotkey_signature on every case of
vectors/sr25519/sr25519_vectors.json (schnorrkel 0.11.4 verdicts, sr25519.md §7), in
both profiles: exit status, --json result and reason, the public key and prefix, the
one stderr line, the warnings; plus the command line's own usage rules.  Prints
"test_hotkey_signature: N passed, N failed"."""
import json, os, subprocess, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("LEADPOET_CANONICAL_LIB",
                      os.path.join(os.environ.get("LP_LIB", "build/lib"), "libleadpoet_canonical.so.0"))
import leadpoet_canonical as lc  # noqa: E402

TOOL = os.path.join(os.environ.get("LP_BIN", "build/bin"), "verify_hotkey_signature")
passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print("FAIL %s:\n  got  %r\n  want %r" % (name, got, want))


def run(args, stdin=None):
    p = subprocess.run([TOOL] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def arg(s):
    # argv carries bytes: the case's text as UTF-8 (a lone surrogate as Python would pass it)
    return os.fsdecode(s.encode("utf-8", "surrogateescape"))


with open(os.path.join(ROOT, "vectors", "sr25519", "sr25519_vectors.json"), encoding="utf-8") as f:
    cases = json.load(f)["cases"]
check("case count", len(cases), 81)

STRICT_ONLY = {"IDENTITY_KEY", "SS58_NOT_CANONICAL"}
for c in cases:
    e = c["expected"]
    msg = bytes.fromhex(c["message_hex"])
    for strict in (False, True):
        tag = "%s%s" % (c["id"], " strict" if strict else "")
        want_ok = e["strict_verdict"] if strict else e["verdict"]
        # the binding
        ok, reason = lc.verify_hotkey_signature(c["ss58_address"], msg, c["signature_hex"], strict=strict)
        check(tag + " binding verdict", ok, want_ok)
        if not strict:
            check(tag + " binding reason", reason, e["reason"])
        elif e["verdict"] and not want_ok:
            check(tag + " binding strict reason", reason in STRICT_ONLY, True)
        # the tool, message as hex (any bytes) and, when it is text without NUL, as --message
        flags = ["--strict"] if strict else []
        rc, out, err = run(["--json"] + flags + ["--message-hex", c["message_hex"], "--", arg(c["ss58_address"]),
                                                  arg(c["signature_hex"])])
        check(tag + " exit", rc, 0 if want_ok else 1)
        rep = json.loads(out)
        check(tag + " result", rep["result"], reason)
        check(tag + " reason", rep["reason"], reason)
        check(tag + " tool", rep["tool"], "verify_hotkey_signature")
        check(tag + " public_key", rep["public_key"], c["public_key_hex"])
        check(tag + " prefix", rep["ss58_prefix"], c["ss58_prefix"])
        lines = err.decode("ascii").splitlines()
        if want_ok:
            # warnings for the identity key and non-canonical addresses, on one line
            weak = not strict and (e["strict_verdict"] is False)
            check(tag + " warnings", bool(rep["warnings"]), weak)
            check(tag + " stderr", len(lines), 1 if weak else 0)
            check(tag + " wrapped", rep["bytes_wrapped"], e["reason"] == "OK_BYTES_WRAPPED")
        else:
            check(tag + " stderr", len(lines) == 1 and lines[0].startswith("verify_hotkey_signature: " + reason + ": "),
                  True)
        text = c.get("message_text")
        if not strict and text is not None and "\x00" not in text:
            rc2, out2, _ = run(["--json", "--message", arg(text), "--", arg(c["ss58_address"]), arg(c["signature_hex"])])
            check(tag + " --message", (rc2, json.loads(out2)["result"]), (rc, reason))

# --message-file and standard input give the same verdicts
c = next(x for x in cases if x["id"] == "pub-001")
path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lp_hotkey_msg_%d" % os.getpid())
with open(path, "wb") as f:
    f.write(bytes.fromhex(c["message_hex"]))
rc, out, _ = run(["--json", "--message-file", path, c["ss58_address"], c["signature_hex"]])
check("message-file", (rc, json.loads(out)["result"]), (0, "OK"))
rc, out, _ = run(["--json", "--message-file", "-", c["ss58_address"], c["signature_hex"]],
                 stdin=bytes.fromhex(c["message_hex"]))
check("message stdin", (rc, json.loads(out)["result"]), (0, "OK"))
with open(path, "ab") as f:
    f.write(b"x")
rc, out, _ = run(["--json", "--message-file", path, c["ss58_address"], c["signature_hex"]])
check("message-file changed", (rc, json.loads(out)["result"]), (1, "EQUATION_FALSE"))
os.unlink(path)
rc, out, err = run(["--json", "--message-file", path, c["ss58_address"], c["signature_hex"]])
check("message-file missing", (rc, json.loads(out)["result"], len(err.splitlines())), (2, "IO_ERROR", 1))
# text mode: the verdict is the last line
rc, out, _ = run(["--message-hex", c["message_hex"], c["ss58_address"], c["signature_hex"]])
check("text verdict", (rc, out.decode().splitlines()[-1].startswith("OK: ")), (0, True))

# usage: exactly one message option, two arguments, -- before a leading '-'
sig = c["signature_hex"]
for args in ([c["ss58_address"], sig], ["--message", "a", "--message-hex", "61", c["ss58_address"], sig],
             ["--message", "a", c["ss58_address"]], ["--message", "a", c["ss58_address"], sig, "extra"],
             ["--message-hex", "6", c["ss58_address"], sig], ["--message", "a", "-5Grw", sig],
             ["--message", "a", "--message", "b", c["ss58_address"], sig]):
    rc, out, err = run(["--json"] + args)
    check("usage %r" % args[:3], (rc, json.loads(out)["result"], len(err.splitlines())), (2, "USAGE", 1))
rc, out, _ = run(["--json", "--message", "a", "--", "-5Grw", sig])
check("-- then a leading '-'", (rc, json.loads(out)["result"]), (1, "SS58_BAD_BASE58"))
rc, out, _ = run(["--json", "--message", "a", "--", "1" * 1025, sig])
check("address over the cap", (rc, json.loads(out)["result"]), (2, "INPUT_TOO_LARGE"))

# the binding's argument rules
try:
    lc.verify_hotkey_signature(c["ss58_address"], "text", sig)
    check("binding str message", "no error", "TypeError")
except TypeError:
    check("binding str message", "TypeError", "TypeError")

print("test_hotkey_signature: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
