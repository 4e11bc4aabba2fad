/* sr25519 verification (sr25519.md §3) and the gateway's hotkey check (§1.2). */
#include "canonical/lpc_sr25519.h"

#include <sodium.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_sodium.h"

/* l = 2^252 + 27742317777372353535851937790883648493, little-endian (§3.1) */
static const uint8_t k_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                    0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

/* s < l for a 32-byte little-endian s (public data: variable time is fine) */
static int scalar_canonical(const uint8_t s[32])
{
    for (int i = 31; i >= 0; i--)
        if (s[i] != k_order[i]) return s[i] < k_order[i];
    return 0;
}

void lpc_sr25519_challenge(const uint8_t pk[LPC_SR25519_KEY_LEN], const uint8_t *ctx, size_t ctx_len,
                           const lpc_iov *msg, size_t nmsg, const uint8_t r[32], uint8_t c[LPC_SR25519_CHALLENGE_LEN])
{
    lpc_merlin t;
    lpc_iov v;
    lpc_merlin_init(&t, "SigningContext");
    v = (lpc_iov){ctx, ctx_len};
    lpc_merlin_append(&t, "", &v, 1);
    lpc_merlin_append(&t, "sign-bytes", msg, nmsg);
    v = (lpc_iov){(const uint8_t *)"Schnorr-sig", 11};
    lpc_merlin_append(&t, "proto-name", &v, 1);
    v = (lpc_iov){pk, LPC_SR25519_KEY_LEN};
    lpc_merlin_append(&t, "sign:pk", &v, 1);
    v = (lpc_iov){r, 32};
    lpc_merlin_append(&t, "sign:R", &v, 1);
    lpc_merlin_challenge(&t, "sign:c", c, LPC_SR25519_CHALLENGE_LEN);
    sodium_memzero(&t, sizeof t);
}

/* §3.3 plus §4.2: bit 255 is refused here because libsodium 1.0.18 ignores it. */
static int key_valid(const uint8_t pk[32]) { return !(pk[31] & 0x80) && crypto_core_ristretto255_is_valid_point(pk) == 1; }

/* The verification of §3.8.  sb caches s*B between the raw and the <Bytes> attempt
 * (same signature): *have_sb says whether it holds it. */
static lp_code verify_cached(const uint8_t pk[LPC_SR25519_KEY_LEN], const uint8_t *ctx, size_t ctx_len, const lpc_iov *msg,
                             size_t nmsg, const uint8_t sig[LPC_SR25519_SIG_LEN], uint8_t sb[32], int *have_sb)
{
    uint64_t total = 0;
    for (size_t i = 0; i < nmsg; i++) total += msg[i].n;
    if (!pk || !sig || (!ctx && ctx_len) || (!msg && nmsg) || total > UINT32_MAX || ctx_len > UINT32_MAX)
        return LP_CODE_BAD_ARGUMENT;
    if (!lpc_sodium_ready()) return LP_CODE_CRYPTO_BACKEND;
    if (!(sig[63] & 0x80)) return LP_CODE_SIG_NOT_MARKED;
    uint8_t s[32];
    memcpy(s, sig + 32, 32);
    s[31] &= 0x7f;
    if (!scalar_canonical(s)) return LP_CODE_SIG_SCALAR_NOT_CANONICAL;
    if (!key_valid(pk)) return LP_CODE_PUBKEY_INVALID;
    uint8_t c[LPC_SR25519_CHALLENGE_LEN], k[32], ka[32], rp[32];
    lpc_sr25519_challenge(pk, ctx, ctx_len, msg, nmsg, sig, c);
    crypto_core_ristretto255_scalar_reduce(k, c);
    /* -1 from a scalar multiplication means the identity here (A is valid): §9 item 8 */
    if (!*have_sb && crypto_scalarmult_ristretto255_base(sb, s) != 0) memset(sb, 0, 32);
    *have_sb = 1;
    if (crypto_scalarmult_ristretto255(ka, k, pk) != 0) memset(ka, 0, sizeof ka);
    if (crypto_core_ristretto255_sub(rp, sb, ka) != 0) return LP_CODE_CRYPTO_BACKEND;
    /* R is compared as bytes, never decoded (§3.8) */
    return memcmp(rp, sig, 32) == 0 ? LP_CODE_OK : LP_CODE_EQUATION_FALSE;
}

lp_code lpc_sr25519_verify(const uint8_t pk[LPC_SR25519_KEY_LEN], const uint8_t *ctx, size_t ctx_len,
                           const lpc_iov *msg, size_t nmsg, const uint8_t sig[LPC_SR25519_SIG_LEN])
{
    uint8_t sb[32];
    int have = 0;
    return verify_cached(pk, ctx, ctx_len, msg, nmsg, sig, sb, &have);
}

static void hexs(const uint8_t *p, size_t n, char *out) { lpc_hex_encode(p, n, out); }

lp_code lpc_hotkey_verify(const char *ss58, size_t ss58_len, const uint8_t *msg, size_t msg_len, const char *sig_hex,
                          size_t sig_hex_len, unsigned flags, lpc_hotkey_result *res, lp_checks *out)
{
    lpc_hotkey_result local;
    lpc_hotkey_result *r = res ? res : &local;
    lp_checks sink;
    lp_checks *o = out;
    if (!o) {
        lp_checks_init(&sink);
        o = &sink;
    }
    memset(r, 0, sizeof *r);
    int strict = (flags & LPC_HOTKEY_STRICT) != 0;
    lp_code c;
    char hx[2 * LPC_SR25519_SIG_LEN + 1];
    if ((!ss58 && ss58_len) || (!msg && msg_len) || (!sig_hex && sig_hex_len) || (flags & ~LPC_HOTKEY_STRICT)) {
        c = LP_CODE_BAD_ARGUMENT;
        lp_check_add(o, "input", c, "a NULL input with a length, or an unknown flag");
        goto done;
    }
    c = lpc_ss58_decode(ss58, ss58_len, &r->addr);
    if (c != LP_CODE_OK) {
        lp_check_add(o, "ss58_address", c, "%s", lp_code_text(c));
        goto done;
    }
    r->have_key = 1;
    hexs(r->addr.key, LPC_SS58_KEY_LEN, hx);
    lp_check_add(o, "ss58_address", LP_CODE_OK, "prefix %u (%u byte%s), public key %s", r->addr.prefix,
                 r->addr.prefix_len, r->addr.prefix_len == 1 ? "" : "s", hx);
    if (!lpc_ss58_is_canonical(&r->addr)) {
        const char *why = r->addr.prefix == LPC_SS58_DEFAULT_PREFIX ? "prefix 42 in the two-byte form" : "prefix is not 42";
        if (strict) {
            c = LP_CODE_SS58_NOT_CANONICAL;
            lp_check_add(o, "ss58_canonical", c, "%s (prefix %u): refused by --strict", why, r->addr.prefix);
            goto done;
        }
        lp_check_warn(o, "ss58_canonical", LP_CODE_SS58_NOT_CANONICAL, "%s (prefix %u): accepted, as the gateway does",
                      why, r->addr.prefix);
    }
    size_t n = 0;
    if (lpc_py_fromhex(sig_hex, sig_hex_len, r->sig, sizeof r->sig, &n) != LPC_OK) {
        c = LP_CODE_SIG_HEX_INVALID;
        lp_check_add(o, "signature_hex", c, "bytes.fromhex refuses the signature text");
        goto done;
    }
    if (n != LPC_SR25519_SIG_LEN) {
        c = LP_CODE_SIG_BAD_LENGTH;
        lp_check_add(o, "signature_hex", c, "the signature is %zu bytes, not 64", n);
        goto done;
    }
    r->have_sig = 1;
    lp_check_add(o, "signature_hex", LP_CODE_OK, "64 bytes");
    r->identity = sodium_is_zero(r->addr.key, LPC_SS58_KEY_LEN);
    static const uint8_t pre[7] = {'<', 'B', 'y', 't', 'e', 's', '>'}, post[8] = {'<', '/', 'B', 'y', 't', 'e', 's', '>'};
    const uint8_t *ctx = (const uint8_t *)LPC_SR25519_CONTEXT;
    size_t ctx_len = sizeof LPC_SR25519_CONTEXT - 1;
    if (msg_len > LPC_SR25519_MESSAGE_MAX) {
        c = LP_CODE_INPUT_TOO_LARGE;
        lp_check_add(o, "message", c, "the message is over %zu bytes", (size_t)LPC_SR25519_MESSAGE_MAX);
        goto done;
    }
    lpc_iov raw = {msg, msg_len}, wrapped[3] = {{pre, sizeof pre}, {msg, msg_len}, {post, sizeof post}};
    uint8_t sb[32];
    int have_sb = 0;
    c = verify_cached(r->addr.key, ctx, ctx_len, &raw, 1, r->sig, sb, &have_sb);
    switch (c) {
    case LP_CODE_SIG_NOT_MARKED:
        lp_check_add(o, "signature_encoding", c, "byte 63 lacks the schnorrkel marker bit 0x80");
        goto done;
    case LP_CODE_SIG_SCALAR_NOT_CANONICAL:
        lp_check_add(o, "signature_encoding", c, "the scalar s is not below the group order l");
        goto done;
    case LP_CODE_PUBKEY_INVALID:
        lp_check_add(o, "signature_encoding", LP_CODE_OK, "marked, s < l");
        lp_check_add(o, "public_key", c, "%s is not a canonical ristretto255 encoding", hx);
        goto done;
    case LP_CODE_OK:
    case LP_CODE_EQUATION_FALSE:
        lp_check_add(o, "signature_encoding", LP_CODE_OK, "marked, s < l");
        lp_check_add(o, "public_key", LP_CODE_OK, "a ristretto255 point");
        break;
    default:
        lp_check_add(o, "equation", c, "%s", lp_code_text(c));
        goto done;
    }
    if (r->identity) {
        if (strict) {
            c = LP_CODE_IDENTITY_KEY;
            lp_check_add(o, "identity_key", c, "the identity key verifies any R = s*B: refused by --strict");
            goto done;
        }
        lp_check_warn(o, "identity_key", LP_CODE_IDENTITY_KEY,
                      "the identity key verifies any R = s*B for every message: anyone can sign for it");
    }
    if (c == LP_CODE_EQUATION_FALSE) {
        c = verify_cached(r->addr.key, ctx, ctx_len, wrapped, 3, r->sig, sb, &have_sb);
        if (c == LP_CODE_OK) {
            r->wrapped = 1;
            c = LP_CODE_OK_BYTES_WRAPPED;
        }
    }
    if (c == LP_CODE_OK || c == LP_CODE_OK_BYTES_WRAPPED)
        lp_check_add(o, "equation", LP_CODE_OK, "the signature verifies over %s",
                     r->wrapped ? "<Bytes>message</Bytes> (the polkadot{.js} wrapper)" : "the message");
    else
        lp_check_add(o, "equation", c, "%s",
                     c == LP_CODE_EQUATION_FALSE ? "the signature verifies over neither the message nor <Bytes>message</Bytes>"
                                                 : lp_code_text(c));
done:
    r->reason = c;
    if (o == &sink) lp_checks_free(&sink);
    return c;
}
