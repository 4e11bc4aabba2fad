"""ctypes binding to libleadpoet_canonical: the hashes Leadpoet's validator computes,
from the same C code the leadpoet-verify tools use.

The library is found through $LEADPOET_CANONICAL_LIB (a path to the .so), then
next to this file's repository build (build/lib), then the system loader
(libleadpoet_canonical.so.0).

Values are handed to C as JSON text made by json.dumps(..., ensure_ascii=False)
encoded with surrogatepass, which keeps dict insertion order, the int/float
distinction, float repr and every code point (lone surrogates included); C
parses that text with Python's model and serialises it itself."""

import ctypes
import json
import os

__all__ = [
    "LeadpoetCanonicalError", "canonical_dumps", "canonical_sha256", "sha256_hex",
    "py_round", "float_repr", "PROFILES",
]

PROFILES = (
    "compact-sorted-ascii", "default-sorted-ascii", "default-unsorted-ascii",
    "compact-sorted-utf8", "compact-sorted-utf8-nonan", "indent2-sorted-ascii",
)


class LeadpoetCanonicalError(ValueError):
    """Raised with the library's error name and text."""

    def __init__(self, code, name, text):
        super().__init__("%s: %s" % (name, text))
        self.code = code
        self.name = name


def _load():
    cands = []
    env = os.environ.get("LEADPOET_CANONICAL_LIB")
    if env:
        cands.append(env)
    here = os.path.dirname(os.path.abspath(__file__))
    cands.append(os.path.join(os.path.dirname(here), "build", "lib", "libleadpoet_canonical.so.0"))
    cands.append("libleadpoet_canonical.so.0")
    err = None
    for c in cands:
        try:
            return ctypes.CDLL(c)
        except OSError as e:  # try the next place
            err = e
    raise OSError("libleadpoet_canonical not found (set LEADPOET_CANONICAL_LIB): %s" % err)


_lib = _load()
_c_char_p = ctypes.c_char_p
_u8p = ctypes.POINTER(ctypes.c_uint8)

_lib.leadpoet_abi_version.restype = ctypes.c_int
_lib.leadpoet_strerror.restype = _c_char_p
_lib.leadpoet_strerror.argtypes = [ctypes.c_int]
_lib.leadpoet_errname.restype = _c_char_p
_lib.leadpoet_errname.argtypes = [ctypes.c_int]
_lib.leadpoet_free.argtypes = [ctypes.c_void_p]
_lib.leadpoet_canonical_dumps.argtypes = [_c_char_p, ctypes.c_size_t, _c_char_p,
                                          ctypes.POINTER(_u8p), ctypes.POINTER(ctypes.c_size_t)]
_lib.leadpoet_canonical_sha256_hex.argtypes = [_c_char_p, ctypes.c_size_t, _c_char_p, ctypes.c_char_p]
_lib.leadpoet_sha256_hex.argtypes = [_c_char_p, ctypes.c_size_t, ctypes.c_char_p]
_lib.leadpoet_py_round.argtypes = [ctypes.c_double, ctypes.c_int]
_lib.leadpoet_py_round.restype = ctypes.c_double
_lib.leadpoet_float_repr.argtypes = [ctypes.c_double, ctypes.c_char_p]
_lib.leadpoet_float_repr.restype = ctypes.c_size_t

if _lib.leadpoet_abi_version() != 1:
    raise OSError("libleadpoet_canonical ABI %d, this binding wants 1" % _lib.leadpoet_abi_version())


def _check(rc):
    if rc != 0:
        raise LeadpoetCanonicalError(rc, _lib.leadpoet_errname(rc).decode(), _lib.leadpoet_strerror(rc).decode())


def _to_json(value):
    # Raw UTF-8 with surrogatepass keeps a Python str's code points one for one (a
    # \u-escaped surrogate pair would be joined by the parser); allow_nan keeps
    # NaN/Infinity representable and the C profile decides whether to refuse them.
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


def _hexbuf():
    return ctypes.create_string_buffer(65)


def canonical_dumps(value, profile="compact-sorted-ascii"):
    """bytes that json.dumps(value, <profile>).encode() gives in Leadpoet."""
    text = _to_json(value)
    out = _u8p()
    n = ctypes.c_size_t()
    _check(_lib.leadpoet_canonical_dumps(text, len(text), profile.encode(), ctypes.byref(out), ctypes.byref(n)))
    try:
        return ctypes.string_at(out, n.value)
    finally:
        _lib.leadpoet_free(out)


def canonical_sha256(value, profile="compact-sorted-ascii"):
    text = _to_json(value)
    h = _hexbuf()
    _check(_lib.leadpoet_canonical_sha256_hex(text, len(text), profile.encode(), h))
    return h.value.decode()


def sha256_hex(data: bytes):
    h = _hexbuf()
    _check(_lib.leadpoet_sha256_hex(bytes(data), len(data), h))
    return h.value.decode()


def py_round(x: float, ndigits: int):
    return _lib.leadpoet_py_round(float(x), int(ndigits))


def float_repr(x: float):
    buf = ctypes.create_string_buffer(32)
    n = _lib.leadpoet_float_repr(float(x), buf)
    return buf.raw[:n].decode()
