/* Throughput of one full verification of a genuine Nitro document (parse, 4
 * chain signatures, COSE ES384, invariants) beside the same-run cost of raw
 * ECDSA P-384 verification, the physical floor: a cold verification needs five
 * P-384 verifications; then the whole attested-key flow (lpa_verify_evidence:
 * decoding, verification, policy with PCR0 pinned, bindings).
 * Usage: bench_attest [COSE_FILE] (run from the repo root). */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/evidence.h"
#include "attest/nitro.h"
#include "canonical/lpc_hash.h"
#include "tests/bench/lp_bench.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "vectors/nitro/real/veracruz-2022-11-09.cose";
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    uint8_t *buf = malloc(LPA_MAX_INPUT), *tbs = malloc(LPA_SIG_STRUCTURE_MAX);
    lpa_result *r = malloc(sizeof *r);
    lpa_policy *pol = malloc(sizeof *pol);
    lpa_evidence *ev = lpa_evidence_new();
    if (!buf || !tbs || !r || !pol || !ev) {
        fclose(f);
        fprintf(stderr, "bench_attest: out of memory\n");
        return 1;
    }
    size_t n = fread(buf, 1, LPA_MAX_INPUT, f);
    fclose(f);
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    lpa_verify(buf, n, &o, r);
    if (r->result != LPA_OK) {
        fprintf(stderr, "bench_attest: %s does not verify: %s\n", path, r->detail);
        return 1;
    }
    /* Raw floor: ES384 verify of the same Sig_structure with a pre-parsed leaf key. */
    uint8_t der[LPA_SIG_DER_MAX];
    size_t tl = lpa_sig_structure(&r->doc, tbs), dl = lpa_sig_to_der(r->doc.signature, der);
    const unsigned char *q = r->doc.certificate;
    X509 *leaf = d2i_X509(NULL, &q, (long)r->doc.certificate_len);
    EVP_PKEY *k = X509_get0_pubkey(leaf);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    double t0 = lp_bench_now(), t1;
    long raw = 0;
    do {
        for (int i = 0; i < 50; i++) {
            if (EVP_DigestVerifyInit(m, NULL, EVP_sha384(), NULL, k) != 1 || EVP_DigestVerify(m, der, dl, tbs, tl) != 1) {
                fprintf(stderr, "bench_attest: raw verify failed\n");
                return 1;
            }
            raw++;
        }
        t1 = lp_bench_now();
    } while (t1 - t0 < 1.5);
    double raw_rate = (double)raw / (t1 - t0);
    t0 = lp_bench_now();
    long docs = 0;
    do {
        for (int i = 0; i < 10; i++) {
            lpa_verify(buf, n, &o, r);
            if (r->result != LPA_OK) return 1;
            docs++;
        }
        t1 = lp_bench_now();
    } while (t1 - t0 < 1.5);
    double doc_rate = (double)docs / (t1 - t0);
    double floor_rate = raw_rate / 5.0;
    printf("bench_attest: %.0f verifications/s (full document: parse, chain, COSE, invariants)\n", doc_rate);
    printf("bench_attest: %.0f ECDSA-P384 verify/s raw (same run) -> floor %.0f documents/s (5 verifies each)\n", raw_rate,
           floor_rate);
    printf("bench_attest: %.2fx the physical floor\n", floor_rate / doc_rate);
    /* the whole flow, PCR0 pinned to the document's own */
    char arg[2 + 2 * LPA_PCR_LEN + 1] = "0=", err[200];
    lpc_hex_encode(r->doc.pcrs[0], LPA_PCR_LEN, arg + 2);
    lpa_policy_init(pol);
    pol->allow_debug = 1;
    if (lpa_policy_expect_pcr(pol, arg, err, sizeof err) != LPA_OK) return 1;
    lpa_evidence_opts eo = {o, 0};
    t0 = lp_bench_now();
    docs = 0;
    do {
        for (int i = 0; i < 10; i++) {
            lp_checks c;
            lp_checks_init(&c);
            if (lpa_verify_evidence(buf, n, &eo, pol, ev, &c) != LP_CODE_OK) {
                fprintf(stderr, "bench_attest: the evidence flow does not verify %s\n", path);
                return 1;
            }
            lp_checks_free(&c);
            docs++;
        }
        t1 = lp_bench_now();
    } while (t1 - t0 < 1.5);
    printf("bench_attest: %.0f evidence flows/s (lpa_verify_evidence, PCR0 pinned)\n", (double)docs / (t1 - t0));
    EVP_MD_CTX_free(m);
    X509_free(leaf);
    lpa_evidence_free(ev);
    free(pol);
    free(r);
    free(tbs);
    free(buf);
    return 0;
}
