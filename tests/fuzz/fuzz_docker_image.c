/* libFuzzer target: the Docker-image reader (attest/docker_image.c) on a hostile image
 * tar: the tar store, manifest.json / index.json / configs, every layer (tar, gzip,
 * zstd), the overlay merge, the init layer, the export walk and the newc writer.
 * Byte 0 selects the platform (none, linux/amd64, linux/arm64); the rest is the tar.
 * Invariants: a result is a 512-aligned ramdisk whose sha384 is the hash of the bytes
 * the sink received and whose PCR2 extends it; a refusal has a failing code and a reason. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/docker_image.h"
#include "canonical/lpc_hash.h"

typedef struct { lpc_hash_ctx *h; uint64_t n; } sinkst;

static int sink(void *ctx, const uint8_t *p, size_t n)
{
    sinkst *s = ctx;
    s->n += n;
    return lpc_hash_update(s->h, p, n) != LPC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char *const plat[3] = {NULL, "linux/amd64", "linux/arm64"};
    lp_di_memsource m = {data + 1, size - 1, 0};
    lp_di_source src = lp_di_memsource_source(&m);
    lp_di_tar *t = NULL;
    lp_di_store st;
    char why[512];
    if (lp_di_tar_open(&src, &t, &st, why, sizeof why) != LP_CODE_OK) {
        if (!why[0]) __builtin_trap();
        return 0;
    }
    lp_di_memspool ms = {NULL, 0, 0, 32u << 20};
    lp_di_spool sp = lp_di_memspool_spool(&ms);
    sinkst s = {lpc_hash_ctx_new(LPC_SHA384), 0};
    if (!s.h) abort();
    lp_di_opts o = {plat[data[0] % 3], sink, &s};
    lp_di_result r;
    lp_code c = lp_di_measure(&st, &sp, &o, &r);
    if (c == LP_CODE_OK) {
        uint8_t h[48], z[96];
        if (lpc_hash_final(s.h, h) != LPC_OK) abort();
        if (r.ramdisk_size != s.n || r.ramdisk_size % 512 || memcmp(h, r.ramdisk_sha384, 48)) __builtin_trap();
        memset(z, 0, 48);
        memcpy(z + 48, h, 48);
        lpc_sha384(z, 96, h);
        if (memcmp(h, r.pcr2, 48) || !r.cmd || !r.env || strlen(r.platform) < 11) __builtin_trap();
    } else if (lp_code_exit(c) == LP_EXIT_OK || !r.why[0]) {
        __builtin_trap();
    }
    lp_di_result_free(&r);
    lpc_hash_ctx_free(s.h);
    lp_di_memspool_free(&ms);
    lp_di_tar_free(t);
    return 0;
}
