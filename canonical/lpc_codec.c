/* Hex and base64 (lpc_codec.h; RFC 4648 §4, §5). */
#include "canonical/lpc_codec.h"

#include <string.h>

static const char hexdig[] = "0123456789abcdef";

void lpc_hex_encode(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[p[i] >> 4];
        out[2 * i + 1] = hexdig[p[i] & 15];
    }
    out[2 * n] = 0;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

lpc_err lpc_hex_decode(const char *s, size_t len, uint8_t *out, size_t outcap, size_t *outlen)
{
    if ((!s && len) || len % 2) return LPC_ERR_HEX;
    if (len / 2 > outcap) return LPC_ERR_TOO_LARGE;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0) return LPC_ERR_HEX;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    if (outlen) *outlen = len / 2;
    return LPC_OK;
}

lpc_err lpc_py_fromhex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
    size_t i = 0, n = 0;
    if (!s && len) return LPC_ERR_ARG;
    for (;;) {
        while (i < len && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        if (i == len) break;
        int hi = hexval((unsigned char)s[i]), lo = i + 1 < len ? hexval((unsigned char)s[i + 1]) : -1;
        if (hi < 0 || lo < 0) return LPC_ERR_HEX;
        if (n < cap) out[n] = (uint8_t)(hi << 4 | lo);
        n++;
        i += 2;
    }
    *outlen = n;
    return LPC_OK;
}

/* Per 8 bytes with no high bit: byte c + k reaches 0x80 exactly when c >= 0x80 - k, and no
 * byte carries into the next (c + k <= 0xCF), so the high bit of each byte of
 * (ge('0') & ~ge(':')) | (ge('a') & ~ge('g')) says whether that byte is [0-9a-f]. */
static int lower_hex8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    if (x & highs) return 0;
    uint64_t digit = (x + ones * (0x80 - '0')) & ~(x + ones * (0x80 - ':'));
    uint64_t lower = (x + ones * (0x80 - 'a')) & ~(x + ones * (0x80 - 'g'));
    return ((digit | lower) & highs) == highs;
}

int lpc_is_lower_hex(const char *s, size_t len)
{
    if (!s) return 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (!lower_hex8(x)) return 0;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    }
    return 1;
}

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

lpc_err lpc_b64_encode(const uint8_t *p, size_t n, lpc_b64_variant v, lpc_buf *out)
{
    if (!p && n) return LPC_ERR_ARG;
    const char *al = v == LPC_B64_URL_NOPAD ? b64_url : b64_std;
    size_t start = out->len;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16;
        size_t rem = n - i;
        if (rem > 1) w |= (uint32_t)p[i + 1] << 8;
        if (rem > 2) w |= p[i + 2];
        char q[4] = {al[w >> 18], al[(w >> 12) & 63], al[(w >> 6) & 63], al[w & 63]};
        size_t k = rem >= 3 ? 4 : rem + 1;
        if (k < 4 && v == LPC_B64_STD) {
            for (size_t j = k; j < 4; j++) q[j] = '=';
            k = 4;
        }
        if (lpc_buf_append(out, q, k) != LPC_OK) {
            out->len = start;
            return LPC_ERR_NOMEM;
        }
    }
    return LPC_OK;
}

/* Sextet of each byte, -1 when outside the alphabet (RFC 4648 §4 and §5). */
static const int8_t k_b64_std[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};
static const int8_t k_b64_url[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

lpc_err lpc_b64_decode_to(const char *s, size_t len, lpc_b64_variant v, uint8_t *out, size_t cap, size_t *n)
{
    if ((!s && len) || !n || (!out && cap)) return LPC_ERR_ARG;
    *n = 0;
    const int8_t *T = v == LPC_B64_STD ? k_b64_std : k_b64_url;
    const unsigned char *u = (const unsigned char *)s;
    size_t body = len;
    if (v == LPC_B64_STD) {
        if (len % 4) return LPC_ERR_BASE64;
        if (len && s[len - 1] == '=') body--;
        if (body < len && body && s[body - 1] == '=') body--;
    }
    size_t full = body / 4 * 4, rem = body - full;
    if (rem == 1) return LPC_ERR_BASE64;
    if (full / 4 * 3 + (rem ? rem - 1 : 0) > cap) return LPC_ERR_TOO_LARGE;
    uint8_t *o = out;
    for (size_t i = 0; i < full; i += 4) {
        int a = T[u[i]], b = T[u[i + 1]], c = T[u[i + 2]], d = T[u[i + 3]];
        if ((a | b | c | d) < 0) return LPC_ERR_BASE64;
        uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
        o[0] = (uint8_t)(w >> 16);
        o[1] = (uint8_t)(w >> 8);
        o[2] = (uint8_t)w;
        o += 3;
    }
    if (rem) {
        /* 2 or 3 final characters give 1 or 2 bytes; their unused low bits must be zero
         * (canonical encoding) */
        int a = T[u[full]], b = T[u[full + 1]], c = rem == 3 ? T[u[full + 2]] : 0;
        if ((a | b | c) < 0) return LPC_ERR_BASE64;
        uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6;
        if (rem == 2 ? (w & 0xffff) != 0 : (w & 0xff) != 0) return LPC_ERR_BASE64;
        *o++ = (uint8_t)(w >> 16);
        if (rem == 3) *o++ = (uint8_t)(w >> 8);
    }
    *n = (size_t)(o - out);
    return LPC_OK;
}

lpc_err lpc_b64_decode(const char *s, size_t len, lpc_b64_variant v, lpc_buf *out)
{
    if ((!s && len) || !out) return LPC_ERR_ARG;
    size_t start = out->len, n;
    lpc_err e = lpc_buf_reserve(out, len / 4 * 3 + 2);
    if (e != LPC_OK) return e;
    e = lpc_b64_decode_to(s, len, v, out->ptr + start, len / 4 * 3 + 2, &n);
    if (e != LPC_OK) {
        out->ptr[start] = 0;  /* len unchanged */
        return e;
    }
    out->len = start + n;
    out->ptr[out->len] = 0;
    return LPC_OK;
}
