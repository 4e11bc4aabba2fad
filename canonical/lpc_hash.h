/* SHA-256/384 over OpenSSL EVP, lowercase hex, strict base64.
 * The context type lets hot loops reuse one EVP_MD_CTX. */
#ifndef LPC_HASH_H
#define LPC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_json.h"

#define LPC_SHA256_LEN 32
#define LPC_SHA384_LEN 48
#define LPC_SHA256_HEX_LEN 64

typedef enum { LPC_SHA256, LPC_SHA384 } lpc_hash_alg;
typedef struct lpc_hash_ctx lpc_hash_ctx;

/* Caller frees with lpc_hash_ctx_free.  NULL on failure. */
lpc_hash_ctx *lpc_hash_ctx_new(lpc_hash_alg alg);
void lpc_hash_ctx_free(lpc_hash_ctx *c);
lpc_err lpc_hash_init(lpc_hash_ctx *c);                 /* (re)start, reusing the context */
lpc_err lpc_hash_update(lpc_hash_ctx *c, const void *p, size_t n);
lpc_err lpc_hash_final(lpc_hash_ctx *c, uint8_t *out);  /* 32 or 48 bytes */

lpc_err lpc_sha256(const void *p, size_t n, uint8_t out[LPC_SHA256_LEN]);
lpc_err lpc_sha384(const void *p, size_t n, uint8_t out[LPC_SHA384_LEN]);
/* out: 64 lowercase hex characters plus NUL. */
lpc_err lpc_sha256_hex(const void *p, size_t n, char out[LPC_SHA256_HEX_LEN + 1]);

/* Lowercase hex; out has room for 2n+1 bytes (NUL-terminated). */
void lpc_hex_encode(const uint8_t *p, size_t n, char *out);
/* Strict: even length, [0-9a-fA-F] only.  *outlen = len/2 <= outcap. */
lpc_err lpc_hex_decode(const char *s, size_t len, uint8_t *out, size_t outcap, size_t *outlen);
/* 1 when s is exactly len lowercase hex digits. */
int lpc_is_lower_hex(const char *s, size_t len);

typedef enum {
    LPC_B64_STD,        /* RFC 4648 §4, '=' padding required */
    LPC_B64_URL_NOPAD   /* RFC 4648 §5, no padding (Arweave /tx/{id}/data) */
} lpc_b64_variant;

/* Appends the encoding to out. */
lpc_err lpc_b64_encode(const uint8_t *p, size_t n, lpc_b64_variant v, lpc_buf *out);
/* Strict: only the variant's alphabet, no whitespace, exact padding rule,
 * zero trailing bits.  Appends decoded bytes to out. */
lpc_err lpc_b64_decode(const char *s, size_t len, lpc_b64_variant v, lpc_buf *out);
/* As lpc_b64_decode into out[0..cap) (*n bytes written; LPC_ERR_TOO_LARGE when cap is
 * short; out's contents are unspecified on error).  A text split at multiples of 4
 * characters decodes part by part to the same bytes, provided no part but the last ends
 * in '=' (the caller checks: a padded middle part would pass on its own). */
lpc_err lpc_b64_decode_to(const char *s, size_t len, lpc_b64_variant v, uint8_t *out, size_t cap, size_t *n);

#endif
