/* libFuzzer target for the EIF reader, the signature-section parser, cmdline
 * trimming and code_hash path handling.
 *   clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_eif.c attest/eif.c \
 *     attest/eif_sig.c attest/code_hash.c $(pkg-config --cflags --libs openssl libcbor zlib)
 * Byte 0 picks the chunk size the reader is fed with, so chunk boundaries are
 * fuzzed too; the rest is the image. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/code_hash.h"
#include "attest/eif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t chunk = (size_t)data[0] * 37 + 1;
    const uint8_t *p = data + 1;
    size_t n = size - 1;

    lp_eif_reader *r;
    if (lp_eif_reader_new(n, &r) == LP_EIF_OK) {
        for (size_t o = 0; o < n; o += chunk)
            if (lp_eif_reader_feed(r, p + o, n - o < chunk ? n - o : chunk) != LP_EIF_OK) break;
        lp_eif_info I;
        lp_eif_err e = lp_eif_reader_finish(r, &I);
        /* Invariant: measurements only with OK. */
        static const uint8_t z[LP_EIF_PCR_LEN];
        if (e != LP_EIF_OK && memcmp(I.pcr0, z, sizeof z) != 0) abort();
        if (e == LP_EIF_OK && !I.crc_ok) abort();
        lp_eif_reader_free(r);
    }

    /* The same bytes as a signature section payload. */
    uint8_t pcr8[LP_EIF_PCR_LEN];
    int alg;
    (void)lp_eif_check_signature(p, n, NULL, pcr8, &alg);

    size_t s, l;
    if (lp_eif_trim_cmdline(p, n, &s, &l) == LP_EIF_OK && (s > n || l > n - s)) abort();

    /* As one logical path (NUL-terminated copy) with empty content. */
    char *path = malloc(n + 1);
    if (path) {
        memcpy(path, p, n);
        path[n] = 0;
        lp_codehash_file f = {path, (const uint8_t *)"", 0};
        uint8_t h[LP_CODEHASH_LEN];
        (void)lp_codehash_compute(LP_CODEHASH_CURRENT, &f, 1, h, NULL);
        (void)lp_codehash_compute(LP_CODEHASH_V1, &f, 1, h, NULL);
        free(path);
    }
    return 0;
}
