/* SHA-256/384 over OpenSSL EVP.  The context type lets hot loops reuse one EVP_MD_CTX.
 * Includes lpc_codec.h (hex, base64), which lived here before. */
#ifndef LPC_HASH_H
#define LPC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_codec.h"

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

#endif
