/* PCR throughput of the streamed EIF reader over a 1 GiB synthetic image,
 * printed beside raw SHA-384 (and CRC32) throughput over the same bytes in the
 * same run.  The image is never materialised: a 1 MiB pseudo-random block is
 * repeated, so memory stays at a few MiB (max RSS is printed).
 * Limit: every kernel/cmdline/ramdisk byte is hashed for PCR0, and bytes of
 * later ramdisks once more for PCR2 (PCR1's digest is a snapshot of PCR0's
 * context), so the reference is 2 x SHA-384 time over the ramdisk-1 bytes plus
 * 1 x over the rest.  Usage: bench_eif [MiB] (default 1024). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <openssl/evp.h>

#include "attest/eif.h"
#include "tests/bench/lp_bench.h"

#define BLOCK (1u << 20)

typedef struct { uint16_t type; uint64_t size; } sec;

/* Streams header + sections through either the builder or the reader. */
static int stream(const uint8_t *blk, const sec *S, int ns, lp_eif_builder *b, lp_eif_reader *r,
                  const uint8_t *header)
{
    uint8_t hdr[LP_EIF_SECTION_HEADER_LEN];
    if (r && lp_eif_reader_feed(r, header, LP_EIF_HEADER_LEN)) return 0;
    for (int i = 0; i < ns; i++) {
        if (b && lp_eif_builder_begin(b, S[i].type, S[i].size, hdr)) return 0;
        if (r) {
            /* section header as the builder writes it */
            hdr[0] = 0; hdr[1] = (uint8_t)S[i].type; hdr[2] = hdr[3] = 0;
            for (int k = 0; k < 8; k++) hdr[4 + k] = (uint8_t)(S[i].size >> (56 - 8 * k));
            if (lp_eif_reader_feed(r, hdr, sizeof hdr)) return 0;
        }
        for (uint64_t left = S[i].size; left;) {
            size_t k = left < BLOCK ? (size_t)left : BLOCK;
            if (b && lp_eif_builder_feed(b, blk, k)) return 0;
            if (r && lp_eif_reader_feed(r, blk, k)) return 0;
            left -= k;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 1024;
    if (mib < 64) mib = 64;
    uint8_t *blk = malloc(BLOCK);
    if (!blk) return 2;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < BLOCK; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        blk[i] = (uint8_t)x;
    }
    static const char meta[] = "{}";
    sec S[5] = {{LP_EIF_SEC_KERNEL, 8u << 20}, {LP_EIF_SEC_CMDLINE, 119}, {LP_EIF_SEC_METADATA, sizeof meta - 1},
                {LP_EIF_SEC_RAMDISK, 16u << 20}, {LP_EIF_SEC_RAMDISK, 0}};
    uint64_t total = mib << 20, used = LP_EIF_HEADER_LEN;
    for (int i = 0; i < 4; i++) used += LP_EIF_SECTION_HEADER_LEN + S[i].size;
    S[4].size = total - used - LP_EIF_SECTION_HEADER_LEN;

    /* Header (with CRC) from the builder: setup, not timed. */
    uint8_t header[LP_EIF_HEADER_LEN];
    uint64_t size = 0;
    lp_eif_builder *b;
    if (lp_eif_builder_new(0, &b) || !stream(blk, S, 5, b, NULL, NULL) || lp_eif_builder_finish(b, header, &size)) {
        fprintf(stderr, "bench_eif: builder failed\n");
        return 2;
    }
    lp_eif_builder_free(b);

    /* Timed: the reader over the whole image. */
    lp_eif_reader *r;
    lp_eif_info I;
    double t0 = lp_bench_now();
    if (lp_eif_reader_new(size, &r) || !stream(blk, S, 5, NULL, r, header) || lp_eif_reader_finish(r, &I)) {
        fprintf(stderr, "bench_eif: reader failed\n");
        return 2;
    }
    double t_pcr = lp_bench_now() - t0;
    lp_eif_reader_free(r);

    /* Same-run physical limits over the same byte stream. */
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t d[64];
    unsigned dl;
    t0 = lp_bench_now();
    EVP_DigestInit_ex(c, EVP_sha384(), NULL);
    for (uint64_t left = size; left;) {
        size_t k = left < BLOCK ? (size_t)left : BLOCK;
        EVP_DigestUpdate(c, blk, k);
        left -= k;
    }
    EVP_DigestFinal_ex(c, d, &dl);
    double t_sha = lp_bench_now() - t0;
    EVP_MD_CTX_free(c);
    uint32_t crc = 0;
    t0 = lp_bench_now();
    for (uint64_t left = size; left;) {
        size_t k = left < BLOCK ? (size_t)left : BLOCK;
        crc = lp_eif_crc32(crc, blk, k);
        left -= k;
    }
    double t_crc = lp_bench_now() - t0;

    double mb = (double)size / 1e6;
    double twice = (double)S[4].size / (double)size; /* share hashed twice */
    double t_limit = t_sha * (1.0 + twice);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("bench_eif: image %.0f MB (ramdisk1 %.1f%%), image crc %08x, raw crc %08x\n", mb, 100.0 * twice,
           I.crc_computed, crc);
    printf("  PCR0/1/2 + CRC (reader): %8.1f MB/s  (%.2f s)\n", mb / t_pcr, t_pcr);
    printf("  raw SHA-384, same bytes: %8.1f MB/s  (%.2f s)\n", mb / t_sha, t_sha);
    printf("  raw CRC32,   same bytes: %8.1f MB/s  (%.2f s)\n", mb / t_crc, t_crc);
    printf("  limit (SHA-384 x %.3f passes): %.1f MB/s; reader is %.2fx the limit time (aim <= 1.20)\n",
           1.0 + twice, mb / t_limit, t_pcr / t_limit);
    printf("  max RSS %ld KiB\n", ru.ru_maxrss);
    free(blk);
    return 0;
}
