/* gocpio's newc bytes (eif-pcr-repro.md §2.3, §2.4). */
#include "attest/cpio.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"

struct lp_cpio {
    lp_cpio_sink sink;
    void *ctx;
    lpc_hash_ctx *h;
    uint64_t off;        /* bytes written */
    uint64_t left;       /* data bytes the current entry still owes */
    uint32_t ino;
    int failed, done;
    const char *range;
};

lp_cpio_err lp_cpio_new(lp_cpio_sink sink, void *ctx, lp_cpio **out)
{
    lp_cpio *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w) return LP_CPIO_ERR_NOMEM;
    if (!(w->h = lpc_hash_ctx_new(LPC_SHA384))) {
        free(w);
        return LP_CPIO_ERR_CRYPTO;
    }
    w->sink = sink;
    w->ctx = ctx;
    w->ino = LP_CPIO_FIRST_INO;
    *out = w;
    return LP_CPIO_OK;
}

lp_cpio_err lp_cpio_new_unhashed(lp_cpio_sink sink, void *ctx, lp_cpio **out)
{
    lp_cpio *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w) return LP_CPIO_ERR_NOMEM;
    w->sink = sink;
    w->ctx = ctx;
    w->ino = LP_CPIO_FIRST_INO;
    *out = w;
    return LP_CPIO_OK;
}

void lp_cpio_free(lp_cpio *w)
{
    if (!w) return;
    lpc_hash_ctx_free(w->h);
    free(w);
}

const char *lp_cpio_range_field(const lp_cpio *w) { return w->range ? w->range : ""; }

static lp_cpio_err put(lp_cpio *w, const uint8_t *p, size_t n)
{
    if (!n) return LP_CPIO_OK;
    if (w->h && lpc_hash_update(w->h, p, n) != LPC_OK) return w->failed = 1, LP_CPIO_ERR_CRYPTO;
    if (w->sink && w->sink(w->ctx, p, n)) return w->failed = 1, LP_CPIO_ERR_SINK;
    w->off += n;
    return LP_CPIO_OK;
}

static const uint8_t k_zero[LP_CPIO_BLOCK];

static lp_cpio_err pad(lp_cpio *w, unsigned to)
{
    size_t k = (size_t)((to - (w->off % to)) % to);
    return put(w, k_zero, k);
}

static void hex8(uint8_t *d, uint32_t v)
{
    static const char x[] = "0123456789abcdef"; /* §2.3: lowercase */
    for (int i = 7; i >= 0; i--, v >>= 4) d[i] = (uint8_t)x[v & 15];
}

static lp_cpio_err raw_header(lp_cpio *w, const char *name, size_t nl, uint32_t mode, uint64_t uid, uint64_t gid,
                              uint32_t nlink, int64_t mtime, uint64_t size, uint32_t rmaj, uint32_t rmin)
{
    if (uid > LP_CPIO_FIELD_MAX) w->range = "uid";
    else if (gid > LP_CPIO_FIELD_MAX) w->range = "gid";
    else if (mtime < 0 || (uint64_t)mtime > LP_CPIO_FIELD_MAX) w->range = "mtime";
    else if (size > LP_CPIO_FIELD_MAX) w->range = "size";
    else if (nl + 1 > LP_CPIO_MAX_NAME) w->range = "name";
    if (w->range) return w->failed = 1, LP_CPIO_ERR_RANGE;
    uint8_t h[LP_CPIO_HEADER_LEN];
    const uint32_t f[13] = {w->ino++, mode, (uint32_t)uid, (uint32_t)gid, nlink, (uint32_t)mtime, (uint32_t)size,
                            LP_CPIO_DEV_MAJOR, LP_CPIO_DEV_MINOR, rmaj, rmin, (uint32_t)(nl + 1), 0};
    memcpy(h, LP_CPIO_MAGIC, 6);
    for (int i = 0; i < 13; i++) hex8(h + 6 + 8 * i, f[i]);
    lp_cpio_err e = put(w, h, sizeof h);
    if (!e) e = put(w, (const uint8_t *)name, nl);
    if (!e) e = put(w, k_zero, 1);
    if (!e) e = pad(w, 4);
    return e;
}

lp_cpio_err lp_cpio_header(lp_cpio *w, const lp_cpio_entry *e)
{
    if (w->failed || w->done || w->left) return LP_CPIO_ERR_STATE;
    uint32_t mode = (e->perm & 07777u) | ((uint32_t)e->type << 12);
    uint32_t nlink = e->type == LP_CPIO_DIR ? 2u : 1u; /* §2.3 */
    lp_cpio_err r = raw_header(w, e->name, e->name_len, mode, e->uid, e->gid, nlink, e->mtime, e->size,
                               e->rdev_major, e->rdev_minor);
    if (!r) w->left = e->size;
    return r;
}

lp_cpio_err lp_cpio_data(lp_cpio *w, const uint8_t *p, size_t n)
{
    if (w->failed || w->done || n > w->left) return LP_CPIO_ERR_STATE;
    lp_cpio_err e = put(w, p, n);
    if (e) return e;
    w->left -= n;
    return w->left ? LP_CPIO_OK : pad(w, 4);
}

lp_cpio_err lp_cpio_finish(lp_cpio *w, uint64_t *size, uint8_t sha384[48])
{
    if (w->failed || w->done || w->left) return LP_CPIO_ERR_STATE;
    static const char t[] = "TRAILER!!!";
    lp_cpio_err e = raw_header(w, t, sizeof t - 1, 0, 0, 0, 1, 0, 0, 0, 0);
    if (!e) e = pad(w, LP_CPIO_BLOCK);
    if (e) return e;
    w->done = 1;
    if (w->h && lpc_hash_final(w->h, sha384) != LPC_OK) return LP_CPIO_ERR_CRYPTO;
    *size = w->off;
    return LP_CPIO_OK;
}

lp_cpio_err lp_cpio_bootstrap(const uint8_t *init, size_t init_len, const uint8_t *nsm, size_t nsm_len,
                              lp_cpio_sink sink, void *ctx, uint64_t *size, uint8_t sha384[48])
{
    lp_cpio *w;
    lp_cpio_err e = lp_cpio_new(sink, ctx, &w);
    if (e) return e;
    const lp_cpio_entry dev = {"dev", 3, LP_CPIO_DIR, 0755, 0, 0, LP_CPIO_DEFAULT_MTIME, 0, 0, 0};
    const lp_cpio_entry in = {"init", 4, LP_CPIO_REG, 0755, 0, 0, LP_CPIO_DEFAULT_MTIME, init_len, 0, 0};
    const lp_cpio_entry ns = {"nsm.ko", 6, LP_CPIO_REG, 0755, 0, 0, LP_CPIO_DEFAULT_MTIME, nsm_len, 0, 0};
    if (!(e = lp_cpio_header(w, &dev)) && !(e = lp_cpio_header(w, &in)) && !(e = lp_cpio_data(w, init, init_len)) &&
        !(e = lp_cpio_header(w, &ns)) && !(e = lp_cpio_data(w, nsm, nsm_len)))
        e = lp_cpio_finish(w, size, sha384);
    lp_cpio_free(w);
    return e;
}
