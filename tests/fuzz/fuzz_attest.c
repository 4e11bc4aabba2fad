/* libFuzzer target for the attestation parsers: transport decoding (JSON / hex /
 * base64 / raw), COSE_Sign1 + payload parsing, chain and signature handling,
 * policy and Leadpoet user_data decoding.
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_attest.c \
 *         attest/lpa_cbor.c attest/nitro.c attest/nitro_root.c attest/policy.c attest/leadpoet.c \
 *         $(pkg-config --cflags --libs libcbor openssl jansson libsodium) -o fuzz_attest
 *   ./fuzz_attest -max_len=40000 -min_len=6000 corpus/ vectors/nitro/real vectors/nitro/derived
 * Finds crashes, leaks, hangs and undefined behaviour; verdicts are tested in
 * tests/test_attest.c.  Never a false OK: whenever lpa_verify says OK at the
 * document's time under the pinned AWS root, an independent check (libcbor
 * decoding, a Sig_structure built here, OpenSSL ES384 and X509_verify_cert) must
 * agree that the leaf signed these exact bytes and chains to that root. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attest/leadpoet.h"
#include "attest/nitro.h"
#include "attest/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t put_head(uint8_t *o, unsigned mt, size_t v)
{
    if (v < 24) { o[0] = (uint8_t)(mt << 5 | v); return 1; }
    if (v < 256) { o[0] = (uint8_t)(mt << 5 | 24); o[1] = (uint8_t)v; return 2; }
    o[0] = (uint8_t)(mt << 5 | 25); o[1] = (uint8_t)(v >> 8); o[2] = (uint8_t)v; return 3; /* < 64 KiB here */
}

static const cbor_item_t *map_get(const cbor_item_t *m, const char *key)
{
    if (!cbor_isa_map(m)) return NULL;
    struct cbor_pair *p = cbor_map_handle(m);
    for (size_t i = 0; i < cbor_map_size(m); i++)
        if (cbor_isa_string(p[i].key) && cbor_string_is_definite(p[i].key) &&
            cbor_string_length(p[i].key) == strlen(key) &&
            memcmp(cbor_string_handle(p[i].key), key, strlen(key)) == 0)
            return p[i].value;
    return NULL;
}

static int is_bstr(const cbor_item_t *x)
{
    return x && cbor_isa_bytestring(x) && cbor_bytestring_is_definite(x);
}

static X509 *x509_of(const cbor_item_t *b)
{
    if (!is_bstr(b)) return NULL;
    const unsigned char *q = cbor_bytestring_handle(b);
    return d2i_X509(NULL, &q, (long)cbor_bytestring_length(b));
}

/* Independent of attest/: does the leaf key sign the Sig_structure of these bytes
 * (ES384, header {1: -35}), and does leaf <- cabundle verify to the AWS root at the
 * document's second? */
static int independent_ok(const uint8_t *in, size_t len)
{
    int ok = 0;
    if (len && in[0] == 0xd2) { in++; len--; } /* tag 18; libcbor 0.8 rejects tags */
    struct cbor_load_result lr;
    cbor_item_t *a = cbor_load(in, len, &lr), *pm = NULL;
    X509 *leaf = NULL, *root = NULL;
    X509_STORE *st = NULL;
    X509_STORE_CTX *ctx = NULL;
    STACK_OF(X509) *un = sk_X509_new_null();
    EVP_MD_CTX *m = NULL;
    uint8_t *tbs = NULL;
    if (!a || lr.read != len || !cbor_isa_array(a) || cbor_array_size(a) != 4 || !un) goto out;
    cbor_item_t **it = cbor_array_handle(a);
    if (!is_bstr(it[0]) || !is_bstr(it[2]) || !is_bstr(it[3]) || cbor_bytestring_length(it[3]) != 96) goto out;
    if (cbor_bytestring_length(it[0]) != 4 || memcmp(cbor_bytestring_handle(it[0]), "\xa1\x01\x38\x22", 4) != 0) goto out;
    size_t pl = cbor_bytestring_length(it[2]);
    pm = cbor_load(cbor_bytestring_handle(it[2]), pl, &lr);
    if (!pm || lr.read != pl) goto out;
    const cbor_item_t *ts = map_get(pm, "timestamp"), *cab = map_get(pm, "cabundle");
    if (!ts || !cbor_isa_uint(ts) || !cab || !cbor_isa_array(cab) || cbor_array_size(cab) < 1) goto out;
    if (!(leaf = x509_of(map_get(pm, "certificate")))) goto out;
    const unsigned char *q = lpa_aws_root_der;
    if (!(root = d2i_X509(NULL, &q, (long)lpa_aws_root_der_len))) goto out;
    cbor_item_t **cb = cbor_array_handle(cab);
    if (!is_bstr(cb[0]) || cbor_bytestring_length(cb[0]) != lpa_aws_root_der_len ||
        memcmp(cbor_bytestring_handle(cb[0]), lpa_aws_root_der, lpa_aws_root_der_len) != 0)
        goto out;
    for (size_t i = 1; i < cbor_array_size(cab); i++) {
        X509 *x = x509_of(cb[i]);
        if (!x || !sk_X509_push(un, x)) { X509_free(x); goto out; }
    }
    /* Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052 §4.4). */
    size_t n = 0;
    if (!(tbs = malloc(pl + 32))) goto out;
    tbs[n++] = 0x84;
    n += put_head(tbs + n, 3, 10); memcpy(tbs + n, "Signature1", 10); n += 10;
    n += put_head(tbs + n, 2, 4); memcpy(tbs + n, "\xa1\x01\x38\x22", 4); n += 4;
    tbs[n++] = 0x40;
    n += put_head(tbs + n, 2, pl); memcpy(tbs + n, cbor_bytestring_handle(it[2]), pl); n += pl;
    const uint8_t *rs = cbor_bytestring_handle(it[3]);
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, 48, NULL), *s = BN_bin2bn(rs + 48, 48, NULL);
    unsigned char *der = NULL;
    int dl = -1;
    if (es && r && s && ECDSA_SIG_set0(es, r, s) == 1) { r = s = NULL; dl = i2d_ECDSA_SIG(es, &der); }
    BN_free(r); BN_free(s); ECDSA_SIG_free(es);
    int sig_ok = dl > 0 && (m = EVP_MD_CTX_new()) &&
                 EVP_DigestVerifyInit(m, NULL, EVP_sha384(), NULL, X509_get0_pubkey(leaf)) == 1 &&
                 EVP_DigestVerify(m, der, (size_t)dl, tbs, n) == 1;
    OPENSSL_free(der);
    if (!sig_ok) goto out;
    if (!(st = X509_STORE_new()) || !(ctx = X509_STORE_CTX_new()) || X509_STORE_add_cert(st, root) != 1 ||
        X509_STORE_CTX_init(ctx, st, leaf, un) != 1)
        goto out;
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)(cbor_get_int(ts) / 1000));
    ok = X509_verify_cert(ctx) == 1;
out:
    free(tbs);
    EVP_MD_CTX_free(m);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(st);
    sk_X509_pop_free(un, X509_free);
    X509_free(leaf);
    X509_free(root);
    if (pm) cbor_decref(&pm);
    if (a) cbor_decref(&a);
    return ok;
}

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
    if (r.result == LPA_OK && !independent_ok(src.cose, src.cose_len)) abort();
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
