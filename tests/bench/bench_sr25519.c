/* sr25519 verifications per second (lpc_hotkey_verify on a real binding signature,
 * vectors/sr25519 pub-001: SS58, hex, marker, s < l, key decoding, transcript, two
 * scalar multiplications) beside the same run's libsodium Ed25519 verifications per
 * second over the same message, the cost the issue compares with (aim: one sr25519
 * verification at most 2.5 Ed25519 ones), and the parts: the transcript alone and
 * libsodium's two ristretto255 scalar multiplications.
 * Usage: bench_sr25519 (run from the repo root). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_sr25519.h"
#include "tests/bench/lp_bench.h"

/* pub-001 of vectors/sr25519/sr25519_vectors.json */
#define ADDR "5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf"
#define SIG "0235a0f8b16f00f618f9df4dab9789dd2f36b65a0adcd2ee7e5576abda19e42ff2aded6aa2c1a1a39a168549f6013d5624bcf747cc702ddeb09a59871bc4d282"
#define MSG "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=wss://entrypoint-finney.opentensor.ai:443|enclave_pubkey=a6176b613bc534bda22beab3f04bd25efbc4de199fd8cea6675e668020f9ef78|validator_code_hash=08e0f21f6672e24c894e05c58688eba3c1955de13f641787043d91baebf90e7a|version=1"

int main(void)
{
    if (sodium_init() < 0) return 1;
    const uint8_t *m = (const uint8_t *)MSG;
    size_t ml = strlen(MSG);
    if (lpc_hotkey_verify(ADDR, strlen(ADDR), m, ml, SIG, strlen(SIG), 0, NULL, NULL) != LP_CODE_OK) {
        fprintf(stderr, "bench_sr25519: the vector does not verify\n");
        return 1;
    }
    uint8_t pk[32], sk[64], sig[64], seed[32] = {7};
    crypto_sign_seed_keypair(pk, sk, seed);
    crypto_sign_detached(sig, NULL, m, ml, sk);
    const int n = 4000;
    double best_sr = 1e9, best_ed = 1e9, best_tr = 1e9, best_sm = 1e9, best_no = 1e9;
    uint8_t *bad = malloc(ml);
    if (!bad) return 1;
    memcpy(bad, m, ml);
    bad[0] ^= 1;   /* a refused signature costs both attempts (raw and <Bytes>) */
    volatile int sink = 0;
    for (int round = 0; round < 3; round++) {
        double t0 = lp_bench_now();
        for (int i = 0; i < n; i++) sink += lpc_hotkey_verify(ADDR, strlen(ADDR), m, ml, SIG, strlen(SIG), 0, NULL, NULL) == LP_CODE_OK;
        double t1 = lp_bench_now();
        for (int i = 0; i < n; i++) sink += crypto_sign_verify_detached(sig, m, ml, pk) == 0;
        double t2 = lp_bench_now();
        uint8_t c[64], rb[32], s[32] = {5}, k[32] = {3}, o[32];
        lpc_iov v = {m, ml};
        for (int i = 0; i < n; i++) {
            lpc_sr25519_challenge(pk, (const uint8_t *)"substrate", 9, &v, 1, rb, c);
            sink += c[0];
        }
        double t3 = lp_bench_now();
        static const uint8_t B[32] = {0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
                                      0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76};
        for (int i = 0; i < n; i++) {
            sink += crypto_scalarmult_ristretto255_base(o, s);
            sink += crypto_scalarmult_ristretto255(o, k, B);
        }
        double t4 = lp_bench_now();
        for (int i = 0; i < n; i++) sink += lpc_hotkey_verify(ADDR, strlen(ADDR), bad, ml, SIG, strlen(SIG), 0, NULL, NULL) == LP_CODE_OK;
        double t5 = lp_bench_now();
        if ((t5 - t4) / n < best_no) best_no = (t5 - t4) / n;
        if ((t1 - t0) / n < best_sr) best_sr = (t1 - t0) / n;
        if ((t2 - t1) / n < best_ed) best_ed = (t2 - t1) / n;
        if ((t3 - t2) / n < best_tr) best_tr = (t3 - t2) / n;
        if ((t4 - t3) / n < best_sm) best_sm = (t4 - t3) / n;
    }
    printf("bench_sr25519: %zu-byte binding message, best of 3 rounds of %d\n", ml, n);
    printf("  sr25519 hotkey check     %8.0f verifications/s  (%.1f us)\n", 1 / best_sr, best_sr * 1e6);
    printf("  Ed25519 (libsodium)      %8.0f verifications/s  (%.1f us)  <- the comparison\n", 1 / best_ed, best_ed * 1e6);
    printf("  ratio                    %8.2f Ed25519 verifications per sr25519 one (aim <= 2.50)\n", best_sr / best_ed);
    printf("  a refused signature      %8.0f checks/s         (%.1f us: the raw and the <Bytes> attempt, %.2f Ed25519)\n",
           1 / best_no, best_no * 1e6, best_no / best_ed);
    printf("  parts: transcript %.1f us, s*B + k*A (libsodium ristretto255) %.1f us\n", best_tr * 1e6, best_sm * 1e6);
    free(bad);
    return sink == -1;
}
