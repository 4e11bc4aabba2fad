/* libFuzzer target for the attested-key flow, lpa_verify_evidence (attest/evidence.h):
 * transport decoding (JSON / hex / base64 / raw), COSE_Sign1 + payload parsing,
 * chain and signature handling, policy, the PCR0 pinning rule and Leadpoet
 * user_data decoding.
 *   make fuzz FUZZ_TARGETS=fuzz_attest      (build-fuzz/, clang + libFuzzer)
 * Finds crashes, leaks, hangs and undefined behaviour; verdicts are tested in
 * tests/test_attest.c.  Invariants, per input:
 *   - the verdict is ev->result and lp_checks_verdict of the appended checks, and
 *     the first check is input.decode;
 *   - never a false OK: whenever the flow says OK at the document's time under the
 *     pinned AWS root, an independent check (libcbor decoding, a Sig_structure built
 *     here, OpenSSL ES384 and X509_verify_cert) agrees that the leaf signed these
 *     exact bytes and chains to that root;
 *   - fail closed: with nothing pinned and no --any-pcr the verdict is never OK, and
 *     the enclave key is handed out only when PCR0 was pinned (here: to the
 *     document's own PCR0) and the verdict is OK. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attest/evidence.h"
#include "canonical/lpc_hash.h"

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

/* One run of the flow; checks the invariants that hold for every input. */
static lp_code run(const uint8_t *data, size_t size, const lpa_evidence_opts *o, const lpa_policy *p, lpa_evidence *ev)
{
    lp_checks c;
    lp_checks_init(&c);
    lp_code v = lpa_verify_evidence(data, size, o, p, ev, &c);
    if (v != ev->result || v != lp_checks_verdict(&c)) abort();
    if (c.n == 0 || strcmp(c.items[0].name, "input.decode") != 0) abort();
    if (v == LP_CODE_OK && ev->decoded && ev->r.result != LPA_OK) abort();
    if (lpa_evidence_key(ev) && (v != LP_CODE_OK || !ev->pcr0_pinned || !ev->b.found)) abort();
    lp_checks_free(&c);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpa_evidence *ev = lpa_evidence_new();
    lpa_policy *pol = calloc(1, sizeof *pol);
    char err[200];
    if (!ev || !pol) abort();
    lpa_policy_init(pol);
    pol->allow_debug = 1;
    /* authenticity only (--any-pcr), at the document's time */
    lpa_evidence_opts o = {{LPA_AT_DOC, 0, NULL, 0}, 1};
    lp_code v = run(data, size, &o, pol, ev);
    if (v == LP_CODE_OK && !independent_ok(ev->src.cose, ev->src.cose_len)) abort();
    if (lpa_evidence_key(ev)) abort(); /* nothing was pinned */
    int has_pcr0 = ev->decoded && ev->r.doc_parsed && (ev->r.doc.pcr_mask & 1u);
    char arg[2 + 2 * LPA_PCR_LEN + 1] = "0=";
    if (has_pcr0) lpc_hex_encode(ev->r.doc.pcrs[0], LPA_PCR_LEN, arg + 2);
    /* nothing pinned, no opt-in: never OK */
    o.any_pcr = 0;
    if (run(data, size, &o, pol, ev) == LP_CODE_OK) abort();
    /* pinned to the document's own PCR0 */
    if (has_pcr0 && lpa_policy_expect_pcr(pol, arg, err, sizeof err) == LPA_OK) {
        v = run(data, size, &o, pol, ev);
        if (v == LP_CODE_OK && (!ev->pcr0_pinned || !independent_ok(ev->src.cose, ev->src.cose_len))) abort();
    }
    /* the same bytes at a fixed instant */
    o.verify.mode = LPA_AT_TIME;
    o.verify.time = 1668034320;
    (void)run(data, size, &o, pol, ev);
    lpa_evidence_free(ev);
    free(pol);
    return 0;
}
