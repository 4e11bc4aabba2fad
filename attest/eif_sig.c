/* EIF signature section (eif-pcr-repro.md §1.6) and PCR8 (§1.7).
 *
 * Layout (serde_cbor defaults, every Vec<u8> an array of small unsigned ints):
 *   array(n) of map {"signing_certificate": [u8] (PEM bytes), "signature": [u8] (COSE_Sign1)}
 * Only element 0 is used.  COSE_Sign1 = [protected bstr {1: alg}, unprotected map,
 * payload bstr {"register_index": 0, "register_value": [48 x u8]}, signature bstr r||s].
 * libcbor 0.8 cannot load CBOR tag 18, so a leading tag 18 (0xd2) is stripped here. */
#include "attest/eif_internal.h"
#include "attest/lpa_cbor.h"

#include <stdlib.h>
#include <string.h>
#include <cbor.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Every CBOR item of the section goes through the module's one pre-scanner first:
 * definite lengths only, no tags, every length within the input, nesting <= MAX_DEPTH,
 * exactly one item spanning all bytes.  Keeps libcbor away from hostile shapes. */
static cbor_item_t *load(const uint8_t *p, size_t n)
{
    lpa_scan_info si;
    if (lpa_cbor_scan(p, n, LP_EIF_CBOR_MAX_DEPTH, LPA_SCAN_STRICT, &si) != LPA_SCAN_OK) return NULL;
    return lpa_cbor_load_exact(p, n);
}

static int text_is(const cbor_item_t *it, const char *s)
{
    size_t n = strlen(s);
    return cbor_isa_string(it) && cbor_string_is_definite(it) && cbor_string_length(it) == n &&
           memcmp(cbor_string_handle(it), s, n) == 0;
}

/* Array of unsigned ints 0..255 -> malloc'd bytes (caller frees). */
static lp_eif_err u8_array(const cbor_item_t *it, uint8_t **out, size_t *len)
{
    if (!cbor_isa_array(it) || !cbor_array_is_definite(it)) return LP_EIF_ERR_SIGNATURE_FORMAT;
    size_t n = cbor_array_size(it);
    cbor_item_t **h = cbor_array_handle(it);
    uint8_t *b = malloc(n ? n : 1);
    if (!b) return LP_EIF_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!cbor_isa_uint(h[i]) || cbor_get_int(h[i]) > 255) {
            free(b);
            return LP_EIF_ERR_SIGNATURE_FORMAT;
        }
        b[i] = (uint8_t)cbor_get_int(h[i]);
    }
    *out = b;
    *len = n;
    return LP_EIF_OK;
}

/* Element of the outer array: map with exactly the two keys. */
static lp_eif_err sig_entry(const cbor_item_t *m, const cbor_item_t **cert, const cbor_item_t **sig)
{
    if (!cbor_isa_map(m) || !cbor_map_is_definite(m) || cbor_map_size(m) != 2)
        return LP_EIF_ERR_SIGNATURE_FORMAT;
    struct cbor_pair *pr = cbor_map_handle(m);
    *cert = *sig = NULL;
    for (size_t i = 0; i < 2; i++) {
        if (text_is(pr[i].key, "signing_certificate") && !*cert) *cert = pr[i].value;
        else if (text_is(pr[i].key, "signature") && !*sig) *sig = pr[i].value;
        else return LP_EIF_ERR_SIGNATURE_FORMAT;
    }
    return LP_EIF_OK;
}

/* First certificate of a PEM text -> X509 (caller frees). */
static X509 *pem_cert(const uint8_t *pem, size_t n)
{
    if (n > INT32_MAX) return NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)n);
    if (!bio) return NULL;
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return x;
}

static lp_eif_err pcr8_of(X509 *x, uint8_t pcr8[LP_EIF_PCR_LEN])
{
    unsigned char *der = NULL;
    int dl = i2d_X509(x, &der);
    if (dl <= 0) return LP_EIF_ERR_SIGNATURE_CERT;
    uint8_t d[LP_EIF_PCR_LEN];
    unsigned len = 0;
    int ok = EVP_Digest(der, (size_t)dl, d, &len, EVP_sha384(), NULL) && len == LP_EIF_PCR_LEN;
    OPENSSL_free(der);
    if (!ok) return LP_EIF_ERR_CRYPTO;
    return lp_eif_extend(d, pcr8);
}

/* Algorithm parameters: curve, coordinate size, digest. */
typedef struct { int alg; const char *group; size_t coord; const EVP_MD *(*md)(void); } alg_info;
static const alg_info ALGS[] = {
    {LP_EIF_COSE_ES256, "prime256v1", 32, EVP_sha256},
    {LP_EIF_COSE_ES384, "secp384r1", 48, EVP_sha384},
    {LP_EIF_COSE_ES512, "secp521r1", 66, EVP_sha512},
};

static const alg_info *alg_by_id(int alg)
{
    for (size_t i = 0; i < sizeof ALGS / sizeof ALGS[0]; i++)
        if (ALGS[i].alg == alg) return &ALGS[i];
    return NULL;
}

static const alg_info *alg_by_key(EVP_PKEY *k)
{
    char g[64];
    size_t gl = 0;
    if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC) return NULL;
    if (!EVP_PKEY_get_group_name(k, g, sizeof g, &gl)) return NULL;
    for (size_t i = 0; i < sizeof ALGS / sizeof ALGS[0]; i++)
        if (strcmp(ALGS[i].group, g) == 0) return &ALGS[i];
    return NULL;
}

/* ---- Small CBOR writer (minimal-length heads, as serde_cbor writes) -------- */

typedef struct { uint8_t *p; size_t len, cap; int oom; } cbuf;

static void cb_put(cbuf *b, const void *p, size_t n)
{
    if (b->oom || n == 0) return;
    if (n > b->cap - b->len) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc - b->len < n) nc *= 2;
        uint8_t *q = realloc(b->p, nc);
        if (!q) { b->oom = 1; return; }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void cb_head(cbuf *b, unsigned mt, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    if (v < 24) { h[0] = (uint8_t)(mt << 5 | v); n = 1; }
    else if (v <= 0xFF) { h[0] = (uint8_t)(mt << 5 | 24); h[1] = (uint8_t)v; n = 2; }
    else if (v <= 0xFFFF) { h[0] = (uint8_t)(mt << 5 | 25); h[1] = (uint8_t)(v >> 8); h[2] = (uint8_t)v; n = 3; }
    else if (v <= 0xFFFFFFFFu) {
        h[0] = (uint8_t)(mt << 5 | 26);
        for (int i = 0; i < 4; i++) h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        n = 5;
    } else {
        h[0] = (uint8_t)(mt << 5 | 27);
        for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        n = 9;
    }
    cb_put(b, h, n);
}

static void cb_text(cbuf *b, const char *s) { cb_head(b, 3, strlen(s)); cb_put(b, s, strlen(s)); }
static void cb_bstr(cbuf *b, const uint8_t *p, size_t n) { cb_head(b, 2, n); cb_put(b, p, n); }
static void cb_u8_array(cbuf *b, const uint8_t *p, size_t n)
{
    cb_head(b, 4, n);
    for (size_t i = 0; i < n; i++) cb_head(b, 0, p[i]);
}

/* Sig_structure = ["Signature1", protected, h'', payload] (RFC 8152 §4.4). */
static void sig_structure(cbuf *b, const uint8_t *prot, size_t pl, const uint8_t *pay, size_t pn)
{
    cb_head(b, 4, 4);
    cb_text(b, "Signature1");
    cb_bstr(b, prot, pl);
    cb_bstr(b, NULL, 0);
    cb_bstr(b, pay, pn);
}

/* ---- Verification ------------------------------------------------------------ */

static lp_eif_err verify_es(EVP_PKEY *key, const alg_info *A, const uint8_t *tbs, size_t tn,
                            const uint8_t *rs, size_t rsn)
{
    if (rsn != 2 * A->coord) return LP_EIF_ERR_SIGNATURE_INVALID;
    lp_eif_err e = LP_EIF_ERR_CRYPTO;
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, (int)A->coord, NULL), *t = BN_bin2bn(rs + A->coord, (int)A->coord, NULL);
    unsigned char *der = NULL;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!s || !r || !t || !c) goto out;
    if (!ECDSA_SIG_set0(s, r, t)) goto out;
    r = t = NULL;
    int dl = i2d_ECDSA_SIG(s, &der);
    if (dl <= 0) goto out;
    if (EVP_DigestVerifyInit(c, NULL, A->md(), NULL, key) != 1) goto out;
    e = EVP_DigestVerify(c, der, (size_t)dl, tbs, tn) == 1 ? LP_EIF_OK : LP_EIF_ERR_SIGNATURE_INVALID;
out:
    EVP_MD_CTX_free(c);
    OPENSSL_free(der);
    BN_free(r);
    BN_free(t);
    ECDSA_SIG_free(s);
    return e;
}

/* Parses the COSE_Sign1 bytes; fills alg, the signed register value, and checks
 * the signature with key. */
static lp_eif_err check_cose(const uint8_t *p, size_t n, EVP_PKEY *key, int *alg_out,
                             uint8_t reg[LP_EIF_PCR_LEN])
{
    if (n > 0 && p[0] == 0xd2) { p++; n--; } /* tag 18, handled here (libcbor 0.8) */
    lp_eif_err e = LP_EIF_ERR_SIGNATURE_FORMAT;
    cbor_item_t *cose = load(p, n), *prot = NULL, *pay = NULL;
    cbuf tbs = {0};
    if (!cose || !cbor_isa_array(cose) || !cbor_array_is_definite(cose) || cbor_array_size(cose) != 4)
        goto out;
    cbor_item_t **a = cbor_array_handle(cose);
    for (int i = 0; i < 4; i++)
        if (i != 1 && (!cbor_isa_bytestring(a[i]) || !cbor_bytestring_is_definite(a[i]))) goto out;
    if (!cbor_isa_map(a[1]) || !cbor_map_is_definite(a[1])) goto out;
    const uint8_t *pb = cbor_bytestring_handle(a[0]), *yb = cbor_bytestring_handle(a[2]);
    size_t pl = cbor_bytestring_length(a[0]), yl = cbor_bytestring_length(a[2]);
    /* protected = {1: alg} */
    prot = load(pb, pl);
    if (!prot || !cbor_isa_map(prot) || !cbor_map_is_definite(prot) || cbor_map_size(prot) != 1) goto out;
    struct cbor_pair *pp = cbor_map_handle(prot);
    if (!cbor_isa_uint(pp[0].key) || cbor_get_int(pp[0].key) != 1 || !cbor_isa_negint(pp[0].value) ||
        cbor_get_int(pp[0].value) > 1000)
        goto out;
    int alg = -1 - (int)cbor_get_int(pp[0].value);
    /* payload = {"register_index": 0, "register_value": [48 x u8]} */
    pay = load(yb, yl);
    if (!pay || !cbor_isa_map(pay) || !cbor_map_is_definite(pay) || cbor_map_size(pay) != 2) goto out;
    struct cbor_pair *yp = cbor_map_handle(pay);
    const cbor_item_t *idx = NULL, *val = NULL;
    for (int i = 0; i < 2; i++) {
        if (text_is(yp[i].key, "register_index") && !idx) idx = yp[i].value;
        else if (text_is(yp[i].key, "register_value") && !val) val = yp[i].value;
        else goto out;
    }
    if (!cbor_isa_uint(idx) || cbor_get_int(idx) != 0) goto out;
    uint8_t *rv = NULL;
    size_t rvl = 0;
    if ((e = u8_array(val, &rv, &rvl))) goto out;
    if (rvl != LP_EIF_PCR_LEN) {
        free(rv);
        e = LP_EIF_ERR_SIGNATURE_FORMAT;
        goto out;
    }
    memcpy(reg, rv, LP_EIF_PCR_LEN);
    free(rv);
    const alg_info *A = alg_by_id(alg), *K = alg_by_key(key);
    if (!A || A != K) {
        e = LP_EIF_ERR_SIGNATURE_ALG;
        goto out;
    }
    sig_structure(&tbs, pb, pl, yb, yl);
    if (tbs.oom) {
        e = LP_EIF_ERR_NOMEM;
        goto out;
    }
    e = verify_es(key, A, tbs.p, tbs.len, cbor_bytestring_handle(a[3]), cbor_bytestring_length(a[3]));
    if (!e) *alg_out = alg;
out:
    free(tbs.p);
    if (pay) cbor_decref(&pay);
    if (prot) cbor_decref(&prot);
    if (cose) cbor_decref(&cose);
    return e;
}

lp_eif_err lp_eif_check_signature(const uint8_t *p, size_t n, const uint8_t *pcr0,
                                  uint8_t pcr8[LP_EIF_PCR_LEN], int *cose_alg)
{
    if (!p || !pcr8 || !cose_alg) return LP_EIF_ERR_ARG;
    if (n > LP_EIF_MAX_SIGNATURE_LEN) return LP_EIF_ERR_SIGNATURE_TOO_LARGE;
    lp_eif_err e = LP_EIF_ERR_SIGNATURE_FORMAT;
    uint8_t *cert = NULL, *cose = NULL;
    size_t cl = 0, sl = 0;
    X509 *x = NULL;
    cbor_item_t *top = load(p, n);
    if (!top || !cbor_isa_array(top) || !cbor_array_is_definite(top) || cbor_array_size(top) < 1)
        goto out;
    cbor_item_t **els = cbor_array_handle(top);
    const cbor_item_t *ci = NULL, *si = NULL;
    for (size_t i = cbor_array_size(top); i-- > 0;)
        if ((e = sig_entry(els[i], &ci, &si))) goto out;
    /* ci/si now describe element 0, the only one used (PCR0). */
    if ((e = u8_array(ci, &cert, &cl)) || (e = u8_array(si, &cose, &sl))) goto out;
    x = pem_cert(cert, cl);
    if (!x) {
        e = LP_EIF_ERR_SIGNATURE_CERT;
        goto out;
    }
    EVP_PKEY *key = X509_get0_pubkey(x);
    if (!key) {
        e = LP_EIF_ERR_SIGNATURE_CERT;
        goto out;
    }
    uint8_t reg[LP_EIF_PCR_LEN];
    int alg = 0;
    if ((e = check_cose(cose, sl, key, &alg, reg))) goto out;
    if (pcr0 && memcmp(reg, pcr0, LP_EIF_PCR_LEN) != 0) {
        e = LP_EIF_ERR_SIGNATURE_PCR0;
        goto out;
    }
    if ((e = pcr8_of(x, pcr8))) goto out;
    *cose_alg = alg;
out:
    X509_free(x);
    free(cert);
    free(cose);
    if (top) cbor_decref(&top);
    return e;
}

/* ---- Signing ------------------------------------------------------------------ */

lp_eif_err lp_eif_sign(const uint8_t pcr0[LP_EIF_PCR_LEN], const uint8_t *cert_pem, size_t cert_len,
                       const uint8_t *key_pem, size_t key_len, uint8_t **out, size_t *len)
{
    if (!pcr0 || !cert_pem || !key_pem || !out || !len || key_len > INT32_MAX) return LP_EIF_ERR_ARG;
    *out = NULL;
    *len = 0;
    lp_eif_err e = LP_EIF_ERR_KEY;
    X509 *x = pem_cert(cert_pem, cert_len);
    EVP_PKEY *key = NULL;
    EVP_MD_CTX *c = NULL;
    ECDSA_SIG *sig = NULL;
    unsigned char *der = NULL;
    cbuf prot = {0}, pay = {0}, tbs = {0}, cose = {0}, outb = {0};
    if (!x) {
        e = LP_EIF_ERR_SIGNATURE_CERT;
        goto done;
    }
    BIO *bio = BIO_new_mem_buf(key_pem, (int)key_len);
    if (!bio) {
        e = LP_EIF_ERR_NOMEM;
        goto done;
    }
    key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!key || X509_check_private_key(x, key) != 1) goto done;
    const alg_info *A = alg_by_key(key);
    if (!A) goto done;
    /* protected {1: alg}; payload {"register_index": 0, "register_value": [pcr0]} */
    cb_head(&prot, 5, 1);
    cb_head(&prot, 0, 1);
    cb_head(&prot, 1, (uint64_t)(-1 - A->alg));
    cb_head(&pay, 5, 2);
    cb_text(&pay, "register_index");
    cb_head(&pay, 0, 0);
    cb_text(&pay, "register_value");
    cb_u8_array(&pay, pcr0, LP_EIF_PCR_LEN);
    sig_structure(&tbs, prot.p, prot.len, pay.p, pay.len);
    e = LP_EIF_ERR_NOMEM;
    if (prot.oom || pay.oom || tbs.oom || !(c = EVP_MD_CTX_new())) goto done;
    e = LP_EIF_ERR_CRYPTO;
    size_t dl = 0;
    if (EVP_DigestSignInit(c, NULL, A->md(), NULL, key) != 1 ||
        EVP_DigestSign(c, NULL, &dl, tbs.p, tbs.len) != 1 || !(der = OPENSSL_malloc(dl)) ||
        EVP_DigestSign(c, der, &dl, tbs.p, tbs.len) != 1)
        goto done;
    const unsigned char *dp = der;
    if (!(sig = d2i_ECDSA_SIG(NULL, &dp, (long)dl))) goto done;
    uint8_t rs[2 * 66];
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, (int)A->coord) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + A->coord, (int)A->coord) < 0)
        goto done;
    /* COSE_Sign1 untagged: [protected, {}, payload, r||s] */
    cb_head(&cose, 4, 4);
    cb_bstr(&cose, prot.p, prot.len);
    cb_head(&cose, 5, 0);
    cb_bstr(&cose, pay.p, pay.len);
    cb_bstr(&cose, rs, 2 * A->coord);
    /* [{"signing_certificate": [pem], "signature": [cose]}] (serde field order) */
    cb_head(&outb, 4, 1);
    cb_head(&outb, 5, 2);
    cb_text(&outb, "signing_certificate");
    cb_u8_array(&outb, cert_pem, cert_len);
    cb_text(&outb, "signature");
    cb_u8_array(&outb, cose.p, cose.len);
    e = LP_EIF_ERR_NOMEM;
    if (cose.oom || outb.oom) goto done;
    if (outb.len > LP_EIF_MAX_SIGNATURE_LEN) {
        e = LP_EIF_ERR_SIGNATURE_TOO_LARGE;
        goto done;
    }
    *out = outb.p;
    *len = outb.len;
    outb.p = NULL;
    e = LP_EIF_OK;
done:
    free(prot.p);
    free(pay.p);
    free(tbs.p);
    free(cose.p);
    free(outb.p);
    ECDSA_SIG_free(sig);
    OPENSSL_free(der);
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(key);
    X509_free(x);
    return e;
}
