/* libFuzzer target: certificate bundle handling of lpa_verify (nitro-attestation.md
 * §3.3 chain, §5 invariants) with fuzzed certificates that still carry valid
 * signatures.
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_certs.c attest/[a-z]*.c \
 *         $(pkg-config --cflags --libs libcbor openssl jansson libsodium) -o fuzz_certs
 * (or `make fuzz FUZZ_TARGETS=fuzz_certs`).  Seeds: the real documents in
 * vectors/nitro/real/.
 *
 * The input is a COSE_Sign1 attestation document.  Its certificate and cabundle
 * entries are templates: each one that OpenSSL parses gets the harness's P-384
 * key and is re-signed by it (ecdsa-with-SHA384), so mutated names, extensions,
 * validity windows, versions and path shapes get past the signatures and reach
 * path validation, the profile checks and the invariants.  The document is then
 * re-encoded with those certificates, its Sig_structure signed with the same key,
 * and verified with cabundle[0] as the (test) root.  Entries OpenSSL rejects are
 * passed through unchanged (the DER-exact parse path).  The original signature
 * bytes, which the harness replaces, steer it: byte 0 bits 0 and 4 leave entry
 * byte 1 % n unsigned, bit 1 verifies at the document second plus
 * int32(bytes 2..5) / 1000 instead of the document time, bits 2 and 5 keep
 * cabundle[0] as is and pin the AWS root.
 *
 * Invariants: no crash/leak; OK only when chain.path, chain.profile and
 * cose.signature passed, the verification instant lies in every certificate's
 * window, the leaf is no CA and every cabundle certificate is one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "attest/lpa_cbor.h"
#include "attest/nitro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_MAX (LPA_CABUNDLE_MAX + 1)
#define OUT_MAX (LPA_MAX_INPUT + 1024)

typedef struct {
    uint8_t *p;
    size_t n, cap;
} wbuf;

static void w_raw(wbuf *w, const void *p, size_t n)
{
    if (w->n + n > w->cap) { w->n = w->cap + 1; return; } /* overflow: marked, never written */
    memcpy(w->p + w->n, p, n);
    w->n += n;
}

static void w_head(wbuf *w, unsigned mt, uint64_t v)
{
    uint8_t h[9];
    size_t k = 1;
    if (v < 24) h[0] = (uint8_t)(mt << 5 | v);
    else if (v <= 0xff) { h[0] = (uint8_t)(mt << 5 | 24); h[1] = (uint8_t)v; k = 2; }
    else if (v <= 0xffff) { h[0] = (uint8_t)(mt << 5 | 25); h[1] = (uint8_t)(v >> 8); h[2] = (uint8_t)v; k = 3; }
    else if (v <= 0xffffffffu) {
        h[0] = (uint8_t)(mt << 5 | 26);
        for (int i = 0; i < 4; i++) h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        k = 5;
    } else {
        h[0] = (uint8_t)(mt << 5 | 27);
        for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        k = 9;
    }
    w_raw(w, h, k);
}

static void w_bstr(wbuf *w, const void *p, size_t n) { w_head(w, 2, n); w_raw(w, p, n); }
static void w_text(wbuf *w, const char *s) { w_head(w, 3, strlen(s)); w_raw(w, s, strlen(s)); }
static void w_opt(wbuf *w, int has, const void *p, size_t n)
{
    if (has) w_bstr(w, p, n);
    else w_raw(w, "\xf6", 1);
}

static EVP_PKEY *harness_key(void)
{
    static EVP_PKEY *k;
    if (!k && !(k = EVP_EC_gen("P-384"))) abort();
    return k;
}

/* Re-keys and re-signs one DER certificate; returns the new DER (malloc'd) or NULL
 * when OpenSSL does not parse the template. */
static uint8_t *resign(const uint8_t *der, size_t len, size_t *out_len)
{
    const unsigned char *q = der;
    X509 *x = d2i_X509(NULL, &q, (long)len);
    if (!x) return NULL;
    uint8_t *out = NULL;
    int n;
    if (X509_set_pubkey(x, harness_key()) == 1 && X509_sign(x, harness_key(), EVP_sha384()) > 0 &&
        (n = i2d_X509(x, &out)) > 0)
        *out_len = (size_t)n;
    else {
        OPENSSL_free(out);
        out = NULL;
    }
    X509_free(x);
    return out;
}

static int check_ok(const lpa_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_checks; i++)
        if (strcmp(r->checks[i].name, name) == 0) return r->checks[i].ok;
    return 0;
}

static X509 *x509_of(const uint8_t *p, size_t n)
{
    const unsigned char *q = p;
    return d2i_X509(NULL, &q, (long)n);
}

static void one_input(const uint8_t *data, size_t size, lpa_doc *doc, lpa_doc *doc2, lpa_result *r)
{
    static uint8_t out[OUT_MAX], payload[OUT_MAX], tbs[LPA_SIG_STRUCTURE_MAX];
    int stage = 0;
    if (size > LPA_MAX_INPUT || lpa_parse(data, size, doc, &stage, NULL, 0) != LPA_OK) return;

    const uint8_t *sig = doc->signature;
    size_t n = doc->n_cabundle + 1; /* cabundle[0..], then the leaf */
    int leave_one = (sig[0] & 0x11) == 0x11, at_time = sig[0] & 2, aws_root = (sig[0] & 0x24) == 0x24;
    size_t skip = leave_one ? sig[1] % n : SIZE_MAX;
    /* An instant within about +-24 days of the document's second (window edges). */
    int32_t dt = (int32_t)((uint32_t)sig[2] << 24 | (uint32_t)sig[3] << 16 | (uint32_t)sig[4] << 8 | sig[5]);
    int64_t t = (int64_t)(doc->timestamp_ms / 1000) + dt / 1000;

    uint8_t *fresh[N_MAX] = {0};
    const uint8_t *cert[N_MAX];
    size_t cert_len[N_MAX];
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = i < doc->n_cabundle ? doc->cabundle[i] : doc->certificate;
        size_t l = i < doc->n_cabundle ? doc->cabundle_len[i] : doc->certificate_len;
        cert[i] = p;
        cert_len[i] = l;
        if (i == skip || (i == 0 && aws_root)) continue;
        size_t nl = 0;
        if ((fresh[i] = resign(p, l, &nl))) { cert[i] = fresh[i]; cert_len[i] = nl; }
    }

    /* Payload (§2.1 field order), then the COSE_Sign1 with a placeholder signature. */
    wbuf pw = {payload, 0, sizeof payload};
    w_head(&pw, 5, 9);
    w_text(&pw, "module_id"); w_text(&pw, doc->module_id);
    w_text(&pw, "digest"); w_text(&pw, doc->digest);
    w_text(&pw, "timestamp"); w_head(&pw, 0, doc->timestamp_ms);
    w_text(&pw, "pcrs"); w_head(&pw, 5, (uint64_t)__builtin_popcount(doc->pcr_mask));
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++)
        if (doc->pcr_mask & (1u << i)) { w_head(&pw, 0, i); w_bstr(&pw, doc->pcrs[i], LPA_PCR_LEN); }
    w_text(&pw, "certificate"); w_bstr(&pw, cert[n - 1], cert_len[n - 1]);
    w_text(&pw, "cabundle"); w_head(&pw, 4, doc->n_cabundle);
    for (size_t i = 0; i < doc->n_cabundle; i++) w_bstr(&pw, cert[i], cert_len[i]);
    w_text(&pw, "public_key"); w_opt(&pw, doc->has_public_key, doc->public_key, doc->public_key_len);
    w_text(&pw, "user_data"); w_opt(&pw, doc->has_user_data, doc->user_data, doc->user_data_len);
    w_text(&pw, "nonce"); w_opt(&pw, doc->has_nonce, doc->nonce, doc->nonce_len);

    wbuf w = {out, 0, sizeof out};
    if (doc->tagged) w_raw(&w, "\xd2", 1);
    w_raw(&w, "\x84", 1);
    w_bstr(&w, doc->protected_hdr, doc->protected_len);
    w_raw(&w, "\xa0", 1);
    if (pw.n <= pw.cap) w_bstr(&w, payload, pw.n);
    w_head(&w, 2, LPA_SIG_LEN);
    size_t sig_at = w.n;
    static const uint8_t zero[LPA_SIG_LEN];
    w_raw(&w, zero, LPA_SIG_LEN);
    for (size_t i = 0; i < n; i++) OPENSSL_free(fresh[i]);
    if (pw.n > pw.cap || w.n > w.cap || w.n > LPA_MAX_INPUT) return;

    /* Sign the Sig_structure of the re-encoded document (raw r || s, §1.4). */
    if (lpa_parse(out, w.n, doc2, &stage, NULL, 0) == LPA_OK) {
        size_t tl = lpa_sig_structure(doc2, tbs);
        uint8_t der[LPA_SIG_DER_MAX + 16];
        size_t dl = sizeof der;
        EVP_MD_CTX *m = EVP_MD_CTX_new();
        if (!m || EVP_DigestSignInit(m, NULL, EVP_sha384(), NULL, harness_key()) != 1 ||
            EVP_DigestSign(m, der, &dl, tbs, tl) != 1)
            abort();
        EVP_MD_CTX_free(m);
        const unsigned char *q = der;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)dl);
        if (!es || BN_bn2binpad(ECDSA_SIG_get0_r(es), out + sig_at, 48) != 48 ||
            BN_bn2binpad(ECDSA_SIG_get0_s(es), out + sig_at + 48, 48) != 48)
            abort();
        ECDSA_SIG_free(es);
    }

    lpa_opts o = {at_time ? LPA_AT_TIME : LPA_AT_DOC, t, NULL, 0};
    /* The test root is the re-encoded document's own cabundle[0]. */
    if (lpa_parse(out, w.n, doc2, &stage, NULL, 0) != LPA_OK) return;
    if (!aws_root) { o.root_der = doc2->cabundle[0]; o.root_der_len = doc2->cabundle_len[0]; }
    lpa_verify(out, w.n, &o, r);
    if (r->result != LPA_OK) return;

    if (!check_ok(r, "chain.path") || !check_ok(r, "chain.profile") || !check_ok(r, "cose.signature")) abort();
    if (r->n_certs != doc2->n_cabundle + 1) abort();
    for (size_t i = 0; i < r->n_certs; i++)
        if (!(r->certs[i].not_before <= r->verified_at && r->verified_at < r->certs[i].not_after)) abort();
    X509 *leaf = x509_of(doc2->certificate, doc2->certificate_len);
    if (!leaf || X509_check_ca(leaf) != 0) abort();
    X509_free(leaf);
    for (size_t i = 0; i < doc2->n_cabundle; i++) {
        X509 *ca = x509_of(doc2->cabundle[i], doc2->cabundle_len[i]);
        if (!ca || X509_check_ca(ca) != 1) abort();
        X509_free(ca);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* lpa_doc and lpa_result are large (30 and 45 KB): heap, one set per input */
    lpa_doc *doc = malloc(sizeof *doc), *doc2 = malloc(sizeof *doc2);
    lpa_result *r = malloc(sizeof *r);
    if (!doc || !doc2 || !r) abort();
    one_input(data, size, doc, doc2, r);
    free(doc);
    free(doc2);
    free(r);
    return 0;
}
