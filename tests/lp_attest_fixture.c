/* Test-only Nitro attestation fixtures (lp_attest_fixture.h). */
#include "tests/lp_attest_fixture.h"

#include <check.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>
#include <string.h>

void lpt_w_raw(lpt_wbuf *w, const void *p, size_t n)
{
    ck_assert(w->n + n <= sizeof w->b);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
void lpt_w_head(lpt_wbuf *w, unsigned mt, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    if (v < 24) { h[0] = (uint8_t)(mt << 5 | v); n = 1; }
    else if (v <= 0xff) { h[0] = (uint8_t)(mt << 5 | 24); h[1] = (uint8_t)v; n = 2; }
    else if (v <= 0xffff) { h[0] = (uint8_t)(mt << 5 | 25); h[1] = (uint8_t)(v >> 8); h[2] = (uint8_t)v; n = 3; }
    else { h[0] = (uint8_t)(mt << 5 | 27); for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)(v >> (56 - 8 * i)); n = 9; }
    lpt_w_raw(w, h, n);
}
void lpt_w_bstr(lpt_wbuf *w, const void *p, size_t n) { lpt_w_head(w, 2, n); lpt_w_raw(w, p, n); }
void lpt_w_text(lpt_wbuf *w, const char *s) { lpt_w_head(w, 3, strlen(s)); lpt_w_raw(w, s, strlen(s)); }
void lpt_w_byte(lpt_wbuf *w, uint8_t c) { lpt_w_raw(w, &c, 1); }

X509 *lpt_mk_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, int ca, long serial)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_NAME *nm = X509_NAME_new();
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, nm);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : nm);
    X509_NAME_free(nm);
    ASN1_TIME_set(X509_getm_notBefore(x), 1735689600); /* 2025-01-01 */
    ASN1_TIME_set(X509_getm_notAfter(x), 2493072000);  /* 2049-01-01 */
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *e1 = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    X509_EXTENSION *e2 = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, ca ? "critical,keyCertSign,digitalSignature,cRLSign" : "digitalSignature");
    X509_add_ext(x, e1, -1);
    X509_add_ext(x, e2, -1);
    X509_EXTENSION_free(e1);
    X509_EXTENSION_free(e2);
    ck_assert_int_gt(X509_sign(x, signer, EVP_sha384()), 0);
    return x;
}

void lpt_pki_init(lpt_pki *k)
{
    k->root_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    k->leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    ck_assert(k->root_key && k->leaf_key);
    X509 *root = lpt_mk_cert(k->root_key, k->root_key, NULL, "unit.test-root", 1, 1);
    X509 *leaf = lpt_mk_cert(k->leaf_key, k->root_key, root, "unit.test-leaf", 0, 2);
    unsigned char *p = k->root_der;
    k->root_len = (size_t)i2d_X509(root, &p);
    p = k->leaf_der;
    k->leaf_len = (size_t)i2d_X509(leaf, &p);
    X509_free(root);
    X509_free(leaf);
}

void lpt_pki_free(lpt_pki *k)
{
    EVP_PKEY_free(k->root_key);
    EVP_PKEY_free(k->leaf_key);
}

/* COSE_Sign1 over payload, signed by the test leaf key. */
void lpt_build_cose(lpt_wbuf *out, const lpt_pki *k, const lpt_wbuf *payload)
{
    const uint8_t prot[4] = {0xa1, 0x01, 0x38, 0x22};
    static lpt_wbuf tbs;
    tbs.n = 0;
    lpt_w_head(&tbs, 4, 4);
    lpt_w_text(&tbs, "Signature1");
    lpt_w_bstr(&tbs, prot, 4);
    lpt_w_bstr(&tbs, "", 0);
    lpt_w_bstr(&tbs, payload->b, payload->n);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t der[128];
    size_t dl = sizeof der;
    ck_assert_int_eq(EVP_DigestSignInit(c, NULL, EVP_sha384(), NULL, k->leaf_key), 1);
    ck_assert_int_eq(EVP_DigestSign(c, der, &dl, tbs.b, tbs.n), 1);
    EVP_MD_CTX_free(c);
    const unsigned char *q = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &q, (long)dl);
    ck_assert_ptr_nonnull(sig);
    uint8_t rs[96];
    ck_assert_int_eq(BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, 48), 48);
    ck_assert_int_eq(BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + 48, 48), 48);
    ECDSA_SIG_free(sig);
    out->n = 0;
    lpt_w_head(out, 4, 4);
    lpt_w_bstr(out, prot, 4);
    lpt_w_head(out, 5, 0);
    lpt_w_bstr(out, payload->b, payload->n);
    lpt_w_bstr(out, rs, 96);
}

void lpt_nitro_payload(lpt_wbuf *w, const lpt_pki *k, uint64_t ts_ms, uint8_t pcr_fill, const uint8_t *public_key,
                       size_t public_key_len, const uint8_t *user_data, size_t user_data_len)
{
    w->n = 0;
    lpt_w_head(w, 5, 9);
    lpt_w_text(w, "module_id");
    lpt_w_text(w, "i-0123456789abcdef0-enc0123456789abcdef");
    lpt_w_text(w, "digest");
    lpt_w_text(w, "SHA384");
    lpt_w_text(w, "timestamp");
    lpt_w_byte(w, 0x1b);
    for (int i = 0; i < 8; i++) lpt_w_byte(w, (uint8_t)(ts_ms >> (56 - 8 * i)));
    lpt_w_text(w, "pcrs");
    lpt_w_head(w, 5, 16);
    for (unsigned i = 0; i < 16; i++) {
        uint8_t v[48];
        memset(v, i < 3 ? (uint8_t)(pcr_fill + i) : 0, sizeof v);
        lpt_w_head(w, 0, i);
        lpt_w_bstr(w, v, sizeof v);
    }
    lpt_w_text(w, "certificate");
    lpt_w_bstr(w, k->leaf_der, k->leaf_len);
    lpt_w_text(w, "cabundle");
    lpt_w_head(w, 4, 1);
    lpt_w_bstr(w, k->root_der, k->root_len);
    lpt_w_text(w, "public_key");
    if (public_key) lpt_w_bstr(w, public_key, public_key_len);
    else lpt_w_byte(w, 0xf6);
    lpt_w_text(w, "user_data");
    if (user_data) lpt_w_bstr(w, user_data, user_data_len);
    else lpt_w_byte(w, 0xf6);
    lpt_w_text(w, "nonce");
    lpt_w_byte(w, 0xf6);
}
