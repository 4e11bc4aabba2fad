/* Test-only Nitro attestation fixtures (nitro-attestation.md §9.10; leadpoet-formats.md
 * §13.4): a CBOR writer, a generated P-384 root and leaf, attestation payloads and their
 * COSE_Sign1 signed by that leaf, so that documents verify under the test root given as
 * lpa_opts.root_der (or --root).  Shared by the Check suites; never part of a library. */
#ifndef LP_ATTEST_FIXTURE_H
#define LP_ATTEST_FIXTURE_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

/* A CBOR output buffer; writing past its end fails the running test. */
typedef struct {
    uint8_t b[40000];
    size_t n;
} lpt_wbuf;

void lpt_w_raw(lpt_wbuf *w, const void *p, size_t n);
/* A head of major type mt with argument v in the shortest form (RFC 8949 preferred). */
void lpt_w_head(lpt_wbuf *w, unsigned mt, uint64_t v);
void lpt_w_bstr(lpt_wbuf *w, const void *p, size_t n);
void lpt_w_text(lpt_wbuf *w, const char *s);
void lpt_w_byte(lpt_wbuf *w, uint8_t c);

/* A root CA and a leaf it signed, both P-384, valid 2025-01-01 .. 2049-01-01. */
typedef struct {
    EVP_PKEY *root_key, *leaf_key;
    uint8_t root_der[1024], leaf_der[1024];
    size_t root_len, leaf_len;
} lpt_pki;

/* A certificate for key signed by signer (self-signed when issuer is NULL), with
 * critical basicConstraints (CA or not) and keyUsage; the caller X509_free()s it. */
X509 *lpt_mk_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, int ca, long serial);
/* Fresh keys and certificates; release with lpt_pki_free. */
void lpt_pki_init(lpt_pki *k);
void lpt_pki_free(lpt_pki *k);

/* A well-formed attestation payload map (AWS's key order, 16 PCRs): module_id, digest
 * "SHA384", timestamp ts_ms (AWS's 8-byte head), PCR i = 48 bytes of pcr_fill + i for
 * i < 3 and zeros above, the leaf as certificate, cabundle [root], public_key and
 * user_data (NULL: CBOR null), nonce null.  w is cleared first. */
void lpt_nitro_payload(lpt_wbuf *w, const lpt_pki *k, uint64_t ts_ms, uint8_t pcr_fill, const uint8_t *public_key,
                       size_t public_key_len, const uint8_t *user_data, size_t user_data_len);
/* COSE_Sign1 (untagged, protected {1: -35}) over payload, ES384 by the test leaf key. */
void lpt_build_cose(lpt_wbuf *out, const lpt_pki *k, const lpt_wbuf *payload);

#endif
