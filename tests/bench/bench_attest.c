/* Throughput of one full verification of a genuine Nitro document (parse, 4
 * chain signatures, COSE ES384, invariants) beside the same-run cost of raw
 * ECDSA P-384 verification, the physical floor: a cold verification needs five
 * P-384 verifications.  Usage: bench_attest [COSE_FILE] (run from the repo root). */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/nitro.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "vectors/nitro/real/veracruz-2022-11-09.cose";
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    static uint8_t buf[LPA_MAX_INPUT];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    static lpa_result r;
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    lpa_verify(buf, n, &o, &r);
    if (r.result != LPA_OK) {
        fprintf(stderr, "bench_attest: %s does not verify: %s\n", path, r.detail);
        return 1;
    }
    /* Raw floor: ES384 verify of the same Sig_structure with a pre-parsed leaf key. */
    static uint8_t tbs[LPA_SIG_STRUCTURE_MAX];
    uint8_t der[LPA_SIG_DER_MAX];
    size_t tl = lpa_sig_structure(&r.doc, tbs), dl = lpa_sig_to_der(r.doc.signature, der);
    const unsigned char *q = r.doc.certificate;
    X509 *leaf = d2i_X509(NULL, &q, (long)r.doc.certificate_len);
    EVP_PKEY *k = X509_get0_pubkey(leaf);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    double t0 = now_s(), t1;
    long raw = 0;
    do {
        for (int i = 0; i < 50; i++) {
            if (EVP_DigestVerifyInit(m, NULL, EVP_sha384(), NULL, k) != 1 || EVP_DigestVerify(m, der, dl, tbs, tl) != 1) {
                fprintf(stderr, "bench_attest: raw verify failed\n");
                return 1;
            }
            raw++;
        }
        t1 = now_s();
    } while (t1 - t0 < 1.5);
    double raw_rate = (double)raw / (t1 - t0);
    t0 = now_s();
    long docs = 0;
    do {
        for (int i = 0; i < 10; i++) {
            lpa_verify(buf, n, &o, &r);
            if (r.result != LPA_OK) return 1;
            docs++;
        }
        t1 = now_s();
    } while (t1 - t0 < 1.5);
    double doc_rate = (double)docs / (t1 - t0);
    double floor_rate = raw_rate / 5.0;
    printf("bench_attest: %.0f verifications/s (full document: parse, chain, COSE, invariants)\n", doc_rate);
    printf("bench_attest: %.0f ECDSA-P384 verify/s raw (same run) -> floor %.0f documents/s (5 verifies each)\n", raw_rate,
           floor_rate);
    printf("bench_attest: %.2fx the physical floor\n", floor_rate / doc_rate);
    EVP_MD_CTX_free(m);
    X509_free(leaf);
    return 0;
}
