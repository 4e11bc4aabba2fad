#include "canonical/lpc_hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The algorithms, fetched once per process and read-only after: a one-shot hash through
 * EVP_sha256() makes OpenSSL 3 look the algorithm up under a lock on every call (about
 * 700 ns per short message against 280 ns with a fetched one, on the development
 * machine).  NULL when a fetch failed; the hashes then fail with LPC_ERR_CRYPTO. */
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static EVP_MD *fetched_sha256, *fetched_sha384;

static void fetch_algorithms(void)
{
    fetched_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    fetched_sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
}

static const EVP_MD *algorithm(lpc_hash_alg alg)
{
    if (pthread_once(&fetch_once, fetch_algorithms) != 0) return NULL;
    return alg == LPC_SHA384 ? fetched_sha384 : fetched_sha256;
}

struct lpc_hash_ctx {
    EVP_MD_CTX *md;
    const EVP_MD *alg;  /* the process's fetched algorithm (above) */
};

lpc_hash_ctx *lpc_hash_ctx_new(lpc_hash_alg alg)
{
    lpc_hash_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->alg = algorithm(alg);
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

static lpc_err one_shot(lpc_hash_alg alg, const void *p, size_t n, uint8_t *out)
{
    if ((!p && n) || !out) return LPC_ERR_ARG;
    const EVP_MD *md = algorithm(alg);
    if (!md) return LPC_ERR_CRYPTO;
    return EVP_Digest(p, n, out, NULL, md, NULL) == 1 ? LPC_OK : LPC_ERR_CRYPTO;
}

lpc_err lpc_sha256(const void *p, size_t n, uint8_t out[LPC_SHA256_LEN])
{
    return one_shot(LPC_SHA256, p, n, out);
}

lpc_err lpc_sha384(const void *p, size_t n, uint8_t out[LPC_SHA384_LEN])
{
    return one_shot(LPC_SHA384, p, n, out);
}

lpc_err lpc_sha256_hex(const void *p, size_t n, char out[LPC_SHA256_HEX_LEN + 1])
{
    uint8_t d[LPC_SHA256_LEN];
    lpc_err e = lpc_sha256(p, n, d);
    if (e != LPC_OK) return e;
    lpc_hex_encode(d, sizeof d, out);
    return LPC_OK;
}
