#include "canonical/lpc_hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

struct lpc_hash_ctx {
    EVP_MD_CTX *md;
    EVP_MD *alg;  /* fetched once: re-initialising with it skips OpenSSL 3's locked lookup */
};

lpc_hash_ctx *lpc_hash_ctx_new(lpc_hash_alg alg)
{
    lpc_hash_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->alg = EVP_MD_fetch(NULL, alg == LPC_SHA384 ? "SHA384" : "SHA256", NULL);
    c->md = EVP_MD_CTX_new();
    if (!c->alg || !c->md || EVP_DigestInit_ex(c->md, c->alg, NULL) != 1) {
        lpc_hash_ctx_free(c);
        return NULL;
    }
    return c;
}

void lpc_hash_ctx_free(lpc_hash_ctx *c)
{
    if (!c) return;
    EVP_MD_CTX_free(c->md);
    EVP_MD_free(c->alg);
    free(c);
}

lpc_err lpc_hash_init(lpc_hash_ctx *c)
{
    if (!c) return LPC_ERR_ARG;
    return EVP_DigestInit_ex(c->md, c->alg, NULL) == 1 ? LPC_OK : LPC_ERR_CRYPTO;
}

lpc_err lpc_hash_update(lpc_hash_ctx *c, const void *p, size_t n)
{
    if (!c || (!p && n)) return LPC_ERR_ARG;
    return EVP_DigestUpdate(c->md, p, n) == 1 ? LPC_OK : LPC_ERR_CRYPTO;
}

lpc_err lpc_hash_final(lpc_hash_ctx *c, uint8_t *out)
{
    if (!c || !out) return LPC_ERR_ARG;
    return EVP_DigestFinal_ex(c->md, out, NULL) == 1 ? LPC_OK : LPC_ERR_CRYPTO;
}

static lpc_err one_shot(const EVP_MD *alg, const void *p, size_t n, uint8_t *out)
{
    if ((!p && n) || !out) return LPC_ERR_ARG;
    return EVP_Digest(p, n, out, NULL, alg, NULL) == 1 ? LPC_OK : LPC_ERR_CRYPTO;
}

lpc_err lpc_sha256(const void *p, size_t n, uint8_t out[LPC_SHA256_LEN])
{
    return one_shot(EVP_sha256(), p, n, out);
}

lpc_err lpc_sha384(const void *p, size_t n, uint8_t out[LPC_SHA384_LEN])
{
    return one_shot(EVP_sha384(), p, n, out);
}

lpc_err lpc_sha256_hex(const void *p, size_t n, char out[LPC_SHA256_HEX_LEN + 1])
{
    uint8_t d[LPC_SHA256_LEN];
    lpc_err e = lpc_sha256(p, n, d);
    if (e != LPC_OK) return e;
    lpc_hex_encode(d, sizeof d, out);
    return LPC_OK;
}

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

int lpc_is_lower_hex(const char *s, size_t len)
{
    if (!s) return 0;
    for (size_t i = 0; i < len; i++) {
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

static int b64val(unsigned char c, lpc_b64_variant v)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (v == LPC_B64_STD) {
        if (c == '+') return 62;
        if (c == '/') return 63;
    } else {
        if (c == '-') return 62;
        if (c == '_') return 63;
    }
    return -1;
}

lpc_err lpc_b64_decode(const char *s, size_t len, lpc_b64_variant v, lpc_buf *out)
{
    if (!s && len) return LPC_ERR_ARG;
    size_t body = len;
    if (v == LPC_B64_STD) {
        if (len % 4) return LPC_ERR_BASE64;
        if (len && s[len - 1] == '=') body--;
        if (body < len && body && s[body - 1] == '=') body--;
    } else if (len % 4 == 1) {
        return LPC_ERR_BASE64;
    }
    size_t start = out->len;
    uint32_t acc = 0;
    int bits = 0;
    uint8_t chunk[4096];  /* bytes are appended a chunk at a time */
    size_t cn = 0;
    for (size_t i = 0; i < body; i++) {
        int d = b64val((unsigned char)s[i], v);
        if (d < 0) goto bad;
        acc = (acc << 6 | (uint32_t)d) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            chunk[cn++] = (uint8_t)(acc >> bits);
            if (cn == sizeof chunk) {
                if (lpc_buf_append(out, chunk, cn) != LPC_OK) goto nomem;
                cn = 0;
            }
        }
    }
    /* Leftover bits must be zero (canonical encoding); 6 leftover bits cannot occur. */
    if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0) goto bad;
    if (lpc_buf_append(out, chunk, cn) != LPC_OK) goto nomem;
    return LPC_OK;
nomem:
    out->len = start;
    return LPC_ERR_NOMEM;
bad:
    out->len = start;
    return LPC_ERR_BASE64;
}
