/* libFuzzer target for the attestation parsers: transport decoding (JSON / hex /
 * base64 / raw), COSE_Sign1 + payload parsing, chain and signature handling,
 * policy and Leadpoet user_data decoding.
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_attest.c \
 *         attest/lpa_cbor.c attest/nitro.c attest/nitro_root.c attest/policy.c attest/leadpoet.c \
 *         $(pkg-config --cflags --libs libcbor openssl jansson libsodium) -o fuzz_attest
 *   ./fuzz_attest -max_len=40000 -min_len=6000 corpus/ vectors/nitro/real vectors/nitro/derived
 * Finds crashes, leaks, hangs and undefined behaviour; verdicts are tested in
 * tests/test_attest.c. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/leadpoet.h"
#include "attest/nitro.h"
#include "attest/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lpa_source src;
    static lpa_result r;
    static lpa_policy pol;
    lpa_binding b;
    char detail[200];
    if (lpa_source_decode(data, size, &src, detail, sizeof detail) != LPA_OK) return 0;
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    lpa_verify(src.cose, src.cose_len, &o, &r);
    lpa_policy_init(&pol);
    pol.allow_debug = 1;
    lpa_policy_apply(&pol, &r);
    lpa_leadpoet_bind(&src, &r, &b);
    /* also the same bytes at a fixed instant, with a second root */
    o.mode = LPA_AT_TIME;
    o.time = 1668034320;
    lpa_verify(src.cose, src.cose_len, &o, &r);
    return 0;
}
