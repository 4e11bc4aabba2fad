/* Shared v2-era text checks and sha256_json (lpc_v2_common.h). */
#include "canonical/lpc_v2_common.h"

#include <string.h>

#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_utf8.h"

int lpc_v2_is_sha256_ref(const char *s, size_t n)
{
    return s && n == LPC_V2_SHA256_REF_LEN && memcmp(s, "sha256:", 7) == 0 && lpc_is_lower_hex(s + 7, 64);
}

static int ident_char(unsigned char c, int first)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 1;
    return !first && (c == '_' || c == '.' || c == ':' || c == '/' || c == '-');
}

int lpc_v2_is_identifier(const char *s, size_t n)
{
    if (!s || n == 0 || n > LPC_V2_IDENTIFIER_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        if (!ident_char((unsigned char)s[i], i == 0)) return 0;
    return 1;
}

int lpc_v2_is_commit_sha(const char *s, size_t n)
{
    return s && (n == 40 || n == 64) && lpc_is_lower_hex(s, n);
}

/* UnicodeEncodeError of str.encode("utf-8") on the WTF-8 text t: CPython reports the
 * first run of consecutive lone surrogates, by code-point position. */
static lp_code surrogate_error(const uint8_t *t, size_t len, lpc_referr *err)
{
    size_t pos = 0, start = 0, run = 0;
    uint32_t first = 0;
    for (size_t i = 0; i < len; pos++) {
        uint32_t c = 0;
        size_t k = lpc_utf8_next(t + i, len - i, LPC_UTF8_SURROGATES, &c);
        if (!k) break;
        if (c >= 0xD800 && c <= 0xDFFF) {
            if (!run++) {
                start = pos;
                first = c;
            }
        } else if (run) {
            break;
        }
        i += k;
    }
    if (run == 1)
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                              "'utf-8' codec can't encode character '\\u%04x' in position %zu: "
                              "surrogates not allowed", (unsigned)first, start);
    if (run > 1)
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                              "'utf-8' codec can't encode characters in position %zu-%zu: "
                              "surrogates not allowed", start, start + run - 1);
    return lpc_referr_set(err, LP_CODE_INTERNAL, "UnicodeEncodeError", "surrogates not allowed");
}

lp_code lpc_v2_sha256_json(const lpc_value *v, char out[72], lpc_referr *err)
{
    if (!v || !out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "sha256_json: no value");
    /* json.dumps raises on NaN wherever it is, before .encode("utf-8") sees a surrogate */
    lpc_buf b = {0};
    lpc_err e = lpc_dump_ex(v, LPC_PROFILE_CS_U_NONAN, LPC_DUMP_SURROGATEPASS, &b);
    if (e == LPC_ERR_NAN) {
        lpc_buf_free(&b);
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "ValueError",
                              "Out of range float values are not JSON compliant");
    }
    if (e != LPC_OK) {   /* not a reference outcome: the value is too large or too deep here */
        lpc_buf_free(&b);
        return lpc_referr_set(err, lpc_code(e),
                              e == LPC_ERR_NOMEM ? "MemoryError" : e == LPC_ERR_DEPTH ? "RecursionError" : "InputTooLarge",
                              "%s", lpc_strerror(e));
    }
    if (!lpc_utf8_valid(b.ptr, b.len, 0, NULL)) {
        lp_code c = surrogate_error(b.ptr, b.len, err);
        lpc_buf_free(&b);
        return c;
    }
    memcpy(out, "sha256:", 7);
    e = lpc_sha256_hex(b.ptr ? (const void *)b.ptr : "", b.len, out + 7);
    lpc_buf_free(&b);
    if (e != LPC_OK) return lpc_referr_set(err, lpc_code(e), "RuntimeError", "%s", lpc_strerror(e));
    return LP_CODE_OK;
}

int lpc_v2_ed25519_fromhex(const char *pk, size_t pk_len, const char *sig, size_t sig_len, const char *digest,
                           size_t digest_len)
{
    uint8_t k[32], s[64], d[32];
    size_t nk = 0, ns = 0, nd = 0;
    return pk && sig && digest && lpc_py_fromhex(pk, pk_len, k, sizeof k, &nk) == LPC_OK && nk == sizeof k &&
           lpc_py_fromhex(sig, sig_len, s, sizeof s, &ns) == LPC_OK && ns == sizeof s &&
           lpc_py_fromhex(digest, digest_len, d, sizeof d, &nd) == LPC_OK && nd == sizeof d &&
           lpc_ed25519_verify(s, d, sizeof d, k);
}
