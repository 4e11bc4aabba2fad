/* Shared v2 helpers (lpc_v2_common.h). */
#include "canonical/lpc_v2_common.h"

#include <string.h>

#include "canonical/lpc_buf.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_utf8.h"

int lpc_v2_is_sha256_ref(const char *s, size_t n)
{
    return s && n == 71 && memcmp(s, "sha256:", 7) == 0 && lpc_is_lower_hex(s + 7, 64);
}

static int ident_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int lpc_v2_is_identifier(const char *s, size_t n)
{
    if (!s || n == 0 || n > 256 || !ident_char(s[0])) return 0;
    for (size_t i = 1; i < n; i++)
        if (!ident_char(s[i]) && !strchr("_.:/-", s[i] ? s[i] : '!')) return 0;
    return 1;
}

int lpc_v2_is_commit_sha(const char *s, size_t n)
{
    return s && (n == 40 || n == 64) && lpc_is_lower_hex(s, n);
}

/* json.dumps(ensure_ascii=False) succeeds on a lone surrogate; .encode("utf-8") then
 * raises UnicodeEncodeError naming the first run of surrogates by code-point position. */
static lp_code surrogate_error(const lpc_value *v, lpc_referr *err)
{
    lpc_buf w = {0};
    if (lpc_dump_ex(v, LPC_PROFILE_CS_U_NONAN, LPC_DUMP_SURROGATEPASS, &w) != LPC_OK) {
        lpc_buf_free(&w);
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                              "'utf-8' codec can't encode character: surrogates not allowed");
    }
    size_t pos = 0, start = 0, end = 0, i = 0;
    unsigned first = 0;
    int in_run = 0;
    while (i < w.len) {
        uint32_t c;
        size_t k = lpc_utf8_next(w.ptr + i, w.len - i, LPC_UTF8_SURROGATES, &c);
        if (!k) k = 1, c = 0;
        int sur = c >= 0xD800 && c <= 0xDFFF;
        if (sur && !in_run && end == 0) { in_run = 1; start = pos; first = (unsigned)c; }
        if (!sur && in_run) { in_run = 0; end = pos; break; }
        i += k;
        pos++;
    }
    if (in_run) end = pos;
    lpc_buf_free(&w);
    if (end == start + 1)
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                              "'utf-8' codec can't encode character '\\u%04x' in position %zu: surrogates not allowed",
                              first, start);
    return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                          "'utf-8' codec can't encode characters in position %zu-%zu: surrogates not allowed", start,
                          end - 1);
}

lp_code lpc_v2_sha256_json(const lpc_value *v, char out[72], lpc_referr *err)
{
    lpc_buf b = {0};
    lpc_err e = lpc_dump(v, LPC_PROFILE_CS_U_NONAN, &b);
    if (e == LPC_ERR_NAN) {
        lpc_buf_free(&b);
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "ValueError",
                              "Out of range float values are not JSON compliant");
    }
    if (e == LPC_ERR_SURROGATE) {
        lpc_buf_free(&b);
        return surrogate_error(v, err);
    }
    if (e == LPC_OK) {
        memcpy(out, "sha256:", 7);
        e = lpc_sha256_hex(b.ptr ? b.ptr : (const uint8_t *)"", b.len, out + 7);
    }
    lpc_buf_free(&b);
    if (e != LPC_OK) return lpc_referr_set(err, lpc_code(e), "Error", "%s", lpc_strerror(e));
    return LP_CODE_OK;
}
