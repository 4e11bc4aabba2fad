/* Capped gunzip of exactly one gzip member (§6); a bomb is INPUT_TOO_LARGE. */
#include "merkle/lpm_gzip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LPM_INFLATE_STEP ((size_t)1 << 20)  /* output per inflate call when reporting progress */
#define LPM_DEFLATE_MAX_RATIO 1032           /* deflate's best compression ratio (RFC 1951 runs of 258) */

static size_t gzip_isize(const uint8_t *in, size_t len)
{
    if (!in || len < 4) return 0;
    return (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 | (size_t)in[len - 1] << 24;
}

size_t lpm_gunzip_first_cap(const uint8_t *in, size_t len, size_t max_out)
{
    size_t cap = len > (SIZE_MAX - 1024) / 4 ? SIZE_MAX : len * 4 + 1024;
    size_t isize = gzip_isize(in, len);
    if (isize >= cap && isize <= max_out && isize / LPM_DEFLATE_MAX_RATIO <= len) cap = isize + 1;
    return cap > max_out + 1 ? max_out + 1 : cap;
}

lpm_err lpm_gunzip(const uint8_t *in, size_t len, size_t max_out, uint8_t **out, size_t *out_len)
{
    return lpm_gunzip_cb(in, len, max_out, NULL, NULL, out, out_len);
}

lpm_err lpm_gunzip_cb(const uint8_t *in, size_t len, size_t max_out, lpm_gunzip_progress progress, void *ctx,
                      uint8_t **out, size_t *out_len)
{
    if (!in || !out || !out_len) return LPM_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    if (len > LPM_MAX_COMPRESSED) return LPM_ERR_INPUT_TOO_LARGE;
    if (len < 18 || in[0] != 0x1f || in[1] != 0x8b) return LPM_ERR_GZIP;
    if (max_out >= SIZE_MAX) return LPM_ERR_ARG;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return LPM_ERR_NOMEM;
    size_t cap = lpm_gunzip_first_cap(in, len, max_out);
    uint8_t *buf = malloc(cap);
    if (!buf) { inflateEnd(&z); return LPM_ERR_NOMEM; }
    size_t have = 0, fed = 0;
    lpm_err err = LPM_OK;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (have == cap) {
            if (cap > max_out) { err = LPM_ERR_INPUT_TOO_LARGE; break; }
            size_t nc = cap > (max_out + 1) / 2 ? max_out + 1 : cap * 2;
            if (progress) progress(ctx, buf, have, LPM_GZ_MOVING);
            progress = NULL;  /* the consumer has let go of the text: no more events */
            uint8_t *nb = realloc(buf, nc);
            if (!nb) { err = LPM_ERR_NOMEM; break; }
            buf = nb;
            cap = nc;
        }
        size_t chunk_in = len - fed > (1u << 30) ? (1u << 30) : len - fed;
        size_t step = progress ? LPM_INFLATE_STEP : (size_t)1 << 30;
        size_t chunk_out = cap - have > step ? step : cap - have;
        z.next_in = (Bytef *)(uintptr_t)(in + fed);
        z.avail_in = (uInt)chunk_in;
        z.next_out = buf + have;
        z.avail_out = (uInt)chunk_out;
        rc = inflate(&z, Z_NO_FLUSH);
        fed += chunk_in - z.avail_in;
        have += chunk_out - z.avail_out;
        if (rc == Z_STREAM_END) break;
        if (progress && rc == Z_OK) progress(ctx, buf, have, LPM_GZ_MORE);
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == len) { err = LPM_ERR_GZIP; break; } /* truncated */
        if (rc != Z_OK && rc != Z_BUF_ERROR) { err = rc == Z_MEM_ERROR ? LPM_ERR_NOMEM : LPM_ERR_GZIP; break; }
    }
    inflateEnd(&z);
    if (err == LPM_OK && have > max_out) err = LPM_ERR_INPUT_TOO_LARGE;
    if (err == LPM_OK && fed != len) err = LPM_ERR_GZIP;  /* trailing bytes or a second member */
    if (err != LPM_OK) {
        if (progress) progress(ctx, buf, have, LPM_GZ_MOVING);
        free(buf);
        return err;
    }
    if (progress) progress(ctx, buf, have, LPM_GZ_END);
    *out = buf;
    *out_len = have;
    return LPM_OK;
}
