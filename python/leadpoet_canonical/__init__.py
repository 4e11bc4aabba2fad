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
    "py_round", "float_repr", "PROFILES", "canonical_csa_from_text", "canonical_csa_span",
]

PROFILES = (
    "compact-sorted-ascii", "default-sorted-ascii", "default-unsorted-ascii",
    "compact-sorted-utf8", "compact-sorted-utf8-nonan", "indent2-sorted-ascii",
)


class LeadpoetCanonicalError(ValueError):
    """Raised with the library's error name and text.

    For the v2 reference functions (weight_computation, attested_receipts,
    weight_bundle_v2, attested_v2, weight_authority_v2) str() is exactly the reference's
    message, `type` the reference's exception class name and `name` the result code."""

    def __init__(self, code, name, text, message=None, type=None):
        super().__init__(message if message is not None else "%s: %s" % (name, text))
        self.code = code
        self.name = name
        self.type = type


def _load():
    cands = []
    env = os.environ.get("LEADPOET_CANONICAL_LIB")
    if env:
        cands.append(env)
    # python/leadpoet_canonical/__init__.py -> the source tree's build/lib
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
_lib.leadpoet_canonical_csa_from_text.argtypes = [_c_char_p, ctypes.c_size_t, _c_char_p, ctypes.POINTER(ctypes.c_size_t),
                                                 ctypes.POINTER(_u8p), ctypes.POINTER(ctypes.c_size_t)]
_CSA_DECLINED = 20  # LEADPOET_CSA_DECLINED
_lib.leadpoet_canonical_sha256_hex.argtypes = [_c_char_p, ctypes.c_size_t, _c_char_p, ctypes.c_char_p]
_lib.leadpoet_sha256_hex.argtypes = [_c_char_p, ctypes.c_size_t, ctypes.c_char_p]
_lib.leadpoet_py_round.argtypes = [ctypes.c_double, ctypes.c_int]
_lib.leadpoet_py_round.restype = ctypes.c_double
_lib.leadpoet_float_repr.argtypes = [ctypes.c_double, ctypes.c_char_p]
_lib.leadpoet_float_repr.restype = ctypes.c_size_t
_lib.leadpoet_refcall.argtypes = [_c_char_p, _c_char_p, ctypes.c_size_t, ctypes.POINTER(_u8p),
                                  ctypes.POINTER(ctypes.c_size_t)]

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
    return canonical_dumps_text(_to_json(value), profile)


def canonical_dumps_text(text: bytes, profile="compact-sorted-ascii"):
    """bytes that json.dumps(json.loads(text), <profile>).encode() gives in Leadpoet,
    parsing text as the canonical core does (LeadpoetCanonicalError when it refuses)."""
    text = bytes(text)
    out = _u8p()
    n = ctypes.c_size_t()
    _check(_lib.leadpoet_canonical_dumps(text, len(text), profile.encode(), ctypes.byref(out), ctypes.byref(n)))
    try:
        return ctypes.string_at(out, n.value)
    finally:
        _lib.leadpoet_free(out)


def _csa(text, key):
    text = bytes(text)
    out = _u8p()
    n = ctypes.c_size_t()
    span = (ctypes.c_size_t * 2)()
    rc = _lib.leadpoet_canonical_csa_from_text(text, len(text), None if key is None else key.encode(),
                                               span, ctypes.byref(out), ctypes.byref(n))
    if rc == _CSA_DECLINED:
        return None
    _check(rc)
    try:
        return ctypes.string_at(out, n.value), (span[0], span[1])
    finally:
        _lib.leadpoet_free(out)


def canonical_csa_from_text(text: bytes):
    """CS-A bytes of json.loads(text) written straight from text when it is in the
    plain form (lpc_csa_from_text); None when declined (use canonical_dumps_text)."""
    r = _csa(text, None)
    return None if r is None else r[0]


def canonical_csa_span(text: bytes, key: str):
    """(CS-A bytes, (start, end) of the top-level member key's value in them) or None
    when declined; (0, 0) when key is absent."""
    return _csa(text, key)


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


# ---- weights (spec §10) ----

_i64p = ctypes.POINTER(ctypes.c_int64)
_lib.leadpoet_normalize_to_u16.argtypes = [_i64p, ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                                           _i64p, ctypes.POINTER(ctypes.c_uint16), ctypes.POINTER(ctypes.c_size_t)]
_lib.leadpoet_bundle_weights_hash.argtypes = [ctypes.c_int64] * 3 + [_i64p, _i64p, ctypes.c_size_t, ctypes.c_char_p]
_lib.leadpoet_compare_weights_hash.argtypes = [ctypes.c_int64] * 2 + [_i64p, _i64p, ctypes.c_size_t, ctypes.c_char_p]
_lib.leadpoet_weights_within_tolerance.argtypes = [_i64p, _i64p, ctypes.c_size_t, _i64p, _i64p, ctypes.c_size_t,
                                                   ctypes.c_int64, ctypes.POINTER(ctypes.c_int)]
_lib.leadpoet_validate_weights_invariants.argtypes = [_i64p, ctypes.c_size_t, _i64p, ctypes.c_size_t, ctypes.c_char_p]

_I64_MIN, _I64_MAX = -(2 ** 63), 2 ** 63 - 1


def _int64(x, what):
    # bool is an int to Python but json.dumps writes it as true/false: refuse it.
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError("%s must be an int, not %s" % (what, type(x).__name__))
    if not _I64_MIN <= x <= _I64_MAX:
        raise OverflowError("%s %d is outside int64" % (what, x))
    return x


def _i64_array(values, what):
    vals = [_int64(v, what) for v in values]
    return (ctypes.c_int64 * max(len(vals), 1))(*vals)


def _split_pairs(pairs):
    pairs = [tuple(p) for p in pairs]
    for p in pairs:
        if len(p) != 2:
            raise ValueError("weights must be (uid, weight) pairs")
    return (_i64_array([p[0] for p in pairs], "uid"), _i64_array([p[1] for p in pairs], "weight"), len(pairs))


def bundle_weights_hash(netuid, epoch_id, block, weights):
    """leadpoet_canonical.weights.bundle_weights_hash(netuid, epoch_id, block, [(uid, w), ...])."""
    u, w, n = _split_pairs(weights)
    h = _hexbuf()
    _check(_lib.leadpoet_bundle_weights_hash(_int64(netuid, "netuid"), _int64(epoch_id, "epoch_id"),
                                             _int64(block, "block"), u, w, n, h))
    return h.value.decode()


def compare_weights_hash(netuid, epoch_id, weights):
    """leadpoet_canonical.weights.compare_weights_hash(netuid, epoch_id, [(uid, w), ...])."""
    u, w, n = _split_pairs(weights)
    h = _hexbuf()
    _check(_lib.leadpoet_compare_weights_hash(_int64(netuid, "netuid"), _int64(epoch_id, "epoch_id"), u, w, n, h))
    return h.value.decode()


def normalize_to_u16(uids, weights):
    """(uids, weights_u16) as Bittensor's convert_weights_and_uids_for_emit gives them."""
    uids = list(uids)
    weights = [float(x) for x in weights]
    if len(uids) != len(weights):
        raise ValueError("uids and weights differ in length")
    n = len(uids)
    u = _i64_array(uids, "uid")
    wt = (ctypes.c_double * max(n, 1))(*weights)
    ou = (ctypes.c_int64 * max(n, 1))()
    ow = (ctypes.c_uint16 * max(n, 1))()
    on = ctypes.c_size_t()
    _check(_lib.leadpoet_normalize_to_u16(u, wt, n, ou, ow, ctypes.byref(on)))
    return list(ou[:on.value]), list(ow[:on.value])


def weights_within_tolerance(expected, actual, tolerance=1):
    eu, ew, ne = _split_pairs(expected)
    au, aw, na = _split_pairs(actual)
    r = ctypes.c_int()
    _check(_lib.leadpoet_weights_within_tolerance(eu, ew, ne, au, aw, na, _int64(tolerance, "tolerance"),
                                                  ctypes.byref(r)))
    return bool(r.value)


def validate_weights_invariants(uids, weights_u16):
    """None when the sparse bundle is valid, else Python's error message."""
    u = _i64_array(list(uids), "uid")
    w = _i64_array(list(weights_u16), "weight")
    msg = ctypes.create_string_buffer(192)
    rc = _lib.leadpoet_validate_weights_invariants(u, len(uids), w, len(weights_u16), msg)
    if rc == 0:
        return None
    if _lib.leadpoet_errname(rc).decode() == "WEIGHTS_INVARIANT":
        return msg.value.decode()
    _check(rc)


__all__ += ["bundle_weights_hash", "compare_weights_hash", "normalize_to_u16",
            "weights_within_tolerance", "validate_weights_invariants"]


# ---- commit-reveal (spec §8) ----

_text_salt = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
for _f in ("leadpoet_decision_hash", "leadpoet_rep_score_hash", "leadpoet_rejection_reason_hash",
           "leadpoet_rejection_reason_text_hash"):
    getattr(_lib, _f).argtypes = _text_salt
_lib.leadpoet_evidence_hash.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p]


def _utf8(s):
    # As Python's own .encode("utf-8"): a lone surrogate raises UnicodeEncodeError.
    return s.encode("utf-8")


def _salted(fn, first: bytes, salt: str):
    s = _utf8(salt)
    h = _hexbuf()
    _check(fn(first, len(first), s, len(s), h))
    return h.value.decode()


def decision_hash(decision: str, salt: str):
    return _salted(_lib.leadpoet_decision_hash, _utf8(decision), salt)


def rep_score_hash(rep_score, salt: str):
    """str(rep_score) + salt: an int gives "42", a float its repr ("42.0")."""
    if isinstance(rep_score, bool) or not isinstance(rep_score, (int, float)):
        raise TypeError("rep_score must be an int or a float")
    return _salted(_lib.leadpoet_rep_score_hash, _to_json(rep_score), salt)


def rejection_reason_hash(reason, salt: str):
    """json.dumps(reason) (default separators, insertion order) + salt."""
    return _salted(_lib.leadpoet_rejection_reason_hash, _to_json(reason), salt)


def rejection_reason_text_hash(reason: str, salt: str):
    """Legacy single /reveal: the raw reason string + salt."""
    return _salted(_lib.leadpoet_rejection_reason_text_hash, _utf8(reason), salt)


def evidence_hash(evidence, clean=False):
    """json.dumps(evidence) hashed with no salt; clean=True hashes clean_result."""
    text = _to_json(evidence)
    h = _hexbuf()
    _check(_lib.leadpoet_evidence_hash(text, len(text), 1 if clean else 0, h))
    return h.value.decode()


__all__ += ["decision_hash", "rep_score_hash", "rejection_reason_hash", "rejection_reason_text_hash",
            "evidence_hash"]


# ---- sr25519 hotkey signatures (sr25519.md §1.2) ----

_lib.leadpoet_verify_hotkey_signature.argtypes = [ctypes.c_char_p, ctypes.c_size_t, _c_char_p, ctypes.c_size_t,
                                                  ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                                  ctypes.POINTER(ctypes.c_int), ctypes.c_char_p]
_lib.leadpoet_verify_hotkey_signature.restype = ctypes.c_int


def verify_hotkey_signature(ss58: str, message_bytes: bytes, signature_hex: str, strict=False):
    """Keypair(ss58_address=ss58).verify(message_bytes, bytes.fromhex(signature_hex)) as
    Leadpoet's gateway calls it (with the <Bytes> retry): (True, "OK" | "OK_BYTES_WRAPPED")
    or (False, the first failing reason).  strict=True also refuses the identity key and
    any address but the one-byte prefix-42 form."""
    if not isinstance(message_bytes, (bytes, bytearray)):
        raise TypeError("message_bytes must be bytes")
    # The texts as Python holds them; a lone surrogate is not hex or base58 either way.
    a = ss58.encode("utf-8", "surrogatepass")
    h = signature_hex.encode("utf-8", "surrogatepass")
    m = bytes(message_bytes)
    ok = ctypes.c_int(0)
    reason = ctypes.create_string_buffer(48)
    _check(_lib.leadpoet_verify_hotkey_signature(a, len(a), m, len(m), h, len(h), 1 if strict else 0,
                                                 ctypes.byref(ok), reason))
    return bool(ok.value), reason.value.decode()


__all__ += ["verify_hotkey_signature"]


def _refcall(name, args, kwargs):
    """Calls the C port of Leadpoet's `name` with Python's arguments, returns what the
    reference returns, raises LeadpoetCanonicalError with the reference's message."""
    call = _to_json([list(args), dict(kwargs)])
    out = _u8p()
    n = ctypes.c_size_t()
    _check(_lib.leadpoet_refcall(name.encode(), call, len(call), ctypes.byref(out), ctypes.byref(n)))
    try:
        doc = json.loads(ctypes.string_at(out, n.value).decode("utf-8", "surrogatepass"))
    finally:
        _lib.leadpoet_free(out)
    if "error" in doc:
        e = doc["error"]
        raise LeadpoetCanonicalError(None, e["code"], e["message"], message=e["message"], type=e["type"])
    return doc["ok"]
