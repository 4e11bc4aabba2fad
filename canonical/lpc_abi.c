/* The stable ABI (leadpoet_canonical.h) over the internal canonical API. */
#include "canonical/leadpoet_canonical.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"

int leadpoet_abi_version(void) { return LEADPOET_CANONICAL_ABI; }
const char *leadpoet_strerror(int code) { return lpc_strerror((lpc_err)code); }
const char *leadpoet_errname(int code) { return lpc_errname((lpc_err)code); }
void leadpoet_free(void *p) { free(p); }

static lpc_err dump_text(const uint8_t *json, size_t len, const char *profile, lpc_buf *out)
{
    lpc_profile p;
    lpc_value *v = NULL;
    if (!profile || lpc_profile_from_name(profile, &p) != LPC_OK) return LPC_ERR_ARG;
    lpc_err e = lpc_parse(json, len, &v, NULL);
    if (e) return e;
    e = lpc_dump(v, p, out);
    lpc_free(v);
    return e;
}

int leadpoet_canonical_dumps(const uint8_t *json, size_t len, const char *profile,
                             uint8_t **out, size_t *out_len)
{
    if (!out || !out_len) return LPC_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    lpc_buf b = {0};
    lpc_err e = dump_text(json, len, profile, &b);
    if (e) {
        lpc_buf_free(&b);
        return e;
    }
    if (!b.ptr) { /* empty output cannot happen for a JSON value, but keep the contract */
        b.ptr = calloc(1, 1);
        if (!b.ptr) return LPC_ERR_NOMEM;
    }
    *out = b.ptr;
    *out_len = b.len;
    return LPC_OK;
}

int leadpoet_canonical_sha256_hex(const uint8_t *json, size_t len, const char *profile,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    lpc_buf b = {0};
    lpc_err e = dump_text(json, len, profile, &b);
    if (!e) e = lpc_sha256_hex(b.ptr, b.len, out_hex);
    lpc_buf_free(&b);
    return e;
}

int leadpoet_sha256_hex(const uint8_t *data, size_t len, char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    return lpc_sha256_hex(data, len, out_hex);
}

double leadpoet_py_round(double x, int ndigits) { return lpc_py_round(x, ndigits); }

size_t leadpoet_float_repr(double x, char out[32])
{
    return lpc_float_repr(x, out);
}
