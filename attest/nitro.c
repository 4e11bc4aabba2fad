/* COSE_Sign1 + Nitro attestation document verification (nitro-attestation.md §1-§5). */
#include "attest/nitro.h"

#include "attest/lpa_cbor.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_time.h"
#include "canonical/lpc_utf8.h"

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- codes */

/* Each lpa_err: its registry code (name, exit class) and the module's sentence. */
static const struct { lp_code code; const char *text; } lpa_codes[] = {
    [LPA_OK] = {LP_CODE_OK, "verified"},
    [LPA_INPUT_DECODE_ERROR] = {LP_CODE_INPUT_DECODE_ERROR, "input is not a COSE document, its hex/base64, or a known JSON wrapper"},
    [LPA_INPUT_TOO_LARGE] = {LP_CODE_INPUT_TOO_LARGE, "input exceeds the size cap"},
    [LPA_MALFORMED_COSE] = {LP_CODE_MALFORMED_COSE, "not a well-formed COSE_Sign1 in the strict profile"},
    [LPA_UNSUPPORTED_ALG] = {LP_CODE_UNSUPPORTED_ALG, "protected header does not name ES384 (-35)"},
    [LPA_BAD_SIGNATURE_LENGTH] = {LP_CODE_BAD_SIGNATURE_LENGTH, "COSE signature is not 96 bytes"},
    [LPA_SYNTAX_INVALID] = {LP_CODE_SYNTAX_INVALID, "attestation document breaks an AWS syntactic rule"},
    [LPA_UNTRUSTED_ROOT] = {LP_CODE_UNTRUSTED_ROOT, "certificate chain does not end at the pinned root"},
    [LPA_CHAIN_INVALID] = {LP_CODE_CHAIN_INVALID, "certificate chain does not validate"},
    [LPA_CERT_EXPIRED] = {LP_CODE_CERT_EXPIRED, "a certificate has expired at the verification time"},
    [LPA_CERT_NOT_YET_VALID] = {LP_CODE_CERT_NOT_YET_VALID, "a certificate is not yet valid at the verification time"},
    [LPA_CERT_PROFILE_INVALID] = {LP_CODE_CERT_PROFILE_INVALID, "a certificate breaks the Nitro profile (algorithm, curve, CA, key usage)"},
    [LPA_REVOKED] = {LP_CODE_REVOKED, "a certificate is revoked"},
    [LPA_SIGNATURE_INVALID] = {LP_CODE_SIGNATURE_INVALID, "COSE ES384 signature does not verify under the leaf key"},
    [LPA_TIMESTAMP_OUTSIDE_LEAF] = {LP_CODE_TIMESTAMP_OUTSIDE_LEAF, "document timestamp lies outside its leaf certificate's validity"},
    [LPA_INVARIANT] = {LP_CODE_INVARIANT, "a cross-field invariant does not hold"},
    [LPA_STALE] = {LP_CODE_STALE, "document is older than the allowed maximum age"},
    [LPA_FUTURE_TIMESTAMP] = {LP_CODE_FUTURE_TIMESTAMP, "document timestamp lies in the future"},
    [LPA_DEBUG_ENCLAVE] = {LP_CODE_DEBUG_ENCLAVE, "debug-mode enclave (PCR0/1/2 zero) rejected"},
    [LPA_PCR_NOT_PINNED] = {LP_CODE_PCR_NOT_PINNED, "no expected PCR0 was pinned: genuine hardware running unknown code proves nothing about Leadpoet"},
    [LPA_PCR_MISMATCH] = {LP_CODE_PCR_MISMATCH, "PCR values do not match what is expected"},
    [LPA_NONCE_MISMATCH] = {LP_CODE_NONCE_MISMATCH, "nonce does not match"},
    [LPA_USER_DATA_MISMATCH] = {LP_CODE_USER_DATA_MISMATCH, "user_data does not match"},
    [LPA_PUBLIC_KEY_MISMATCH] = {LP_CODE_PUBLIC_KEY_MISMATCH, "public_key does not match"},
    [LPA_REPLAY] = {LP_CODE_REPLAY, "document was seen before"},
    [LPA_POLICY_ERROR] = {LP_CODE_POLICY_ERROR, "policy is invalid"},
    [LPA_OUT_OF_MEMORY] = {LP_CODE_OUT_OF_MEMORY, "out of memory"},
    [LPA_CRYPTO_BACKEND] = {LP_CODE_CRYPTO_BACKEND, "cryptographic backend failed"},
    [LPA_INTERNAL] = {LP_CODE_INTERNAL, "internal error"},
};
#define LPA_N_CODES (sizeof lpa_codes / sizeof lpa_codes[0])
_Static_assert(LPA_N_CODES == LPA_INTERNAL + 1, "one table row per lpa_err");
_Static_assert(sizeof(lpa_doc) <= 30u * 1024u && sizeof(lpa_result) <= 45u * 1024u, "nitro.h states their sizes");

lp_code lpa_code_of(lpa_err e)
{
    return (unsigned)e < LPA_N_CODES ? lpa_codes[e].code : LP_CODE_INTERNAL;
}

const char *lpa_code(lpa_err e)
{
    return lp_code_name(lpa_code_of(e));
}

const char *lpa_strerror(lpa_err e)
{
    return (unsigned)e < LPA_N_CODES ? lpa_codes[e].text : lp_code_text(LP_CODE_INTERNAL);
}

int lpa_code_parse(const char *s, lpa_err *out)
{
    for (size_t i = 0; i < LPA_N_CODES; i++)
        if (strcmp(s, lp_code_name(lpa_codes[i].code)) == 0) {
            *out = (lpa_err)i;
            return 0;
        }
    return -1;
}

static void fold_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t') *s = ' ';
}

static void add_checkv(lpa_result *r, const char *name, int ok, int warn, lpa_err code, const char *fmt, va_list ap)
{
    char detail[LPA_DETAIL_MAX];
    vsnprintf(detail, sizeof detail, fmt, ap);
    fold_line(detail);
    if (ok) code = LPA_OK;
    else if (code == LPA_OK) code = LPA_INTERNAL; /* a failure names what failed */
    warn = warn && !ok;
    if (r->n_checks < LPA_MAX_CHECKS) {
        lpa_check *c = &r->checks[r->n_checks++];
        snprintf(c->name, sizeof c->name, "%s", name);
        c->ok = ok;
        c->warning = warn;
        c->code = code;
        snprintf(c->detail, sizeof c->detail, "%s", detail);
        if (warn) r->warnings++;
    } else if (warn) {
        warn = 0;
        code = LPA_INTERNAL; /* never drop a failure silently */
    }
    if (!ok && !warn && r->result == LPA_OK) {
        r->result = code;
        size_t nl = strlen(name);
        if (nl > sizeof r->detail / 2) nl = sizeof r->detail / 2;
        memcpy(r->detail, name, nl);
        r->detail[nl] = ':';
        r->detail[nl + 1] = ' ';
        size_t room = sizeof r->detail - nl - 3;
        size_t dl = strnlen(detail, room);
        memcpy(r->detail + nl + 2, detail, dl);
        r->detail[nl + 2 + dl] = 0;
    }
}

void lpa_add_check(lpa_result *r, const char *name, int ok, lpa_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_checkv(r, name, ok, 0, code, fmt, ap);
    va_end(ap);
}

void lpa_add_warning(lpa_result *r, const char *name, int ok, lpa_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_checkv(r, name, ok, 1, code, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- parsing */

#define FAIL(code, ...) do { if (detail) snprintf(detail, detail_len, __VA_ARGS__); rc = (code); goto out; } while (0)

/* §1.2 C3: protected header must decode to exactly {1: -35}. */
static lpa_err parse_protected(const uint8_t *p, size_t n, char *detail, size_t detail_len)
{
    lpa_err rc = LPA_OK;
    cbor_item_t *m = NULL;
    lpa_scan_info si;
    if (n == 0) FAIL(LPA_UNSUPPORTED_ALG, "protected header is empty (no alg)");
    lpa_scan_status s = lpa_cbor_scan(p, n, 2, LPA_SCAN_STRICT, &si);
    if (s != LPA_SCAN_OK) FAIL(LPA_MALFORMED_COSE, "protected header: %s", lpa_cbor_scan_msg(s, &si));
    m = lpa_cbor_load_exact(p, n);
    if (!m || !cbor_isa_map(m)) FAIL(LPA_MALFORMED_COSE, "protected header is not a map");
    struct cbor_pair *pairs = cbor_map_handle(m);
    size_t np = cbor_map_size(m);
    int have_alg = 0;
    int64_t alg = 0;
    int alg_is_int = 0;
    for (size_t i = 0; i < np; i++) {
        cbor_item_t *k = pairs[i].key, *v = pairs[i].value;
        if (cbor_isa_uint(k) && cbor_get_int(k) == 1) {
            if (have_alg) FAIL(LPA_MALFORMED_COSE, "protected header: duplicate alg");
            have_alg = 1;
            if (cbor_isa_negint(v) && cbor_get_int(v) < 1000) {
                alg = -1 - (int64_t)cbor_get_int(v);
                alg_is_int = 1;
            } else if (cbor_isa_uint(v) && cbor_get_int(v) < 1000) {
                alg = (int64_t)cbor_get_int(v);
                alg_is_int = 1;
            }
        } else {
            FAIL(LPA_MALFORMED_COSE, "protected header has a parameter other than alg");
        }
    }
    if (!have_alg) FAIL(LPA_UNSUPPORTED_ALG, "protected header has no alg");
    if (!alg_is_int) FAIL(LPA_UNSUPPORTED_ALG, "alg is not an integer");
    if (alg != -35) FAIL(LPA_UNSUPPORTED_ALG, "alg %lld is not ES384 (-35)", (long long)alg);
out:
    if (m) cbor_decref(&m);
    return rc;
}

enum { F_MODULE_ID, F_DIGEST, F_TIMESTAMP, F_PCRS, F_CERTIFICATE, F_CABUNDLE, F_PUBLIC_KEY, F_USER_DATA, F_NONCE, F_COUNT };
static const char *const field_names[F_COUNT] = {"module_id", "digest", "timestamp", "pcrs", "certificate",
                                                 "cabundle", "public_key", "user_data", "nonce"};

static int bstr_ok(cbor_item_t *v, size_t min, size_t max)
{
    return cbor_isa_bytestring(v) && cbor_bytestring_is_definite(v) && cbor_bytestring_length(v) >= min &&
           cbor_bytestring_length(v) <= max;
}

/* Optional bstr field: null (absent) or min..max bytes. */
static lpa_err opt_bstr(cbor_item_t *v, const char *name, size_t min, size_t max, int *has, uint8_t *dst,
                        size_t *dlen, char *detail, size_t detail_len)
{
    lpa_err rc = LPA_OK;
    if (cbor_is_null(v)) {
        *has = 0;
        *dlen = 0;
        goto out;
    }
    if (!bstr_ok(v, min, max))
        FAIL(LPA_SYNTAX_INVALID, "%s: must be null or a byte string of %zu..%zu bytes", name, min, max);
    *has = 1;
    *dlen = cbor_bytestring_length(v);
    if (*dlen) memcpy(dst, cbor_bytestring_handle(v), *dlen);
out:
    return rc;
}

/* §2: payload map to lpa_doc, every AWS rule plus the toolkit's strict ones. */
static lpa_err parse_payload(lpa_doc *d, char *detail, size_t detail_len)
{
    lpa_err rc = LPA_OK;
    cbor_item_t *m = NULL;
    lpa_scan_info si;
    /* §2.1: indefinite-length maps occur in genuine documents; tags and chunked strings do not */
    lpa_scan_status s = lpa_cbor_scan(d->payload, d->payload_len, LPA_CBOR_MAX_DEPTH,
                                      LPA_SCAN_EXACT | LPA_SCAN_NO_TAGS | LPA_SCAN_NO_CHUNKED, &si);
    if (s != LPA_SCAN_OK) FAIL(LPA_SYNTAX_INVALID, "payload: %s", lpa_cbor_scan_msg(s, &si));
    m = lpa_cbor_load_exact(d->payload, d->payload_len);
    if (!m) FAIL(LPA_SYNTAX_INVALID, "payload: CBOR does not load");
    if (!cbor_isa_map(m)) FAIL(LPA_SYNTAX_INVALID, "payload: not a map");
    d->payload_indefinite = cbor_map_is_indefinite(m);
    struct cbor_pair *pairs = cbor_map_handle(m);
    size_t np = cbor_map_size(m);
    int seen[F_COUNT] = {0};
    for (size_t i = 0; i < np; i++) {
        cbor_item_t *k = pairs[i].key, *v = pairs[i].value;
        if (!cbor_isa_string(k) || !cbor_string_is_definite(k)) FAIL(LPA_SYNTAX_INVALID, "payload: non-text key");
        size_t kl = cbor_string_length(k);
        const unsigned char *kp = cbor_string_handle(k);
        int f = -1;
        for (int j = 0; j < F_COUNT; j++)
            if (strlen(field_names[j]) == kl && memcmp(field_names[j], kp, kl) == 0) f = j;
        if (f < 0) FAIL(LPA_SYNTAX_INVALID, "payload: unknown key");
        if (seen[f]) FAIL(LPA_SYNTAX_INVALID, "%s: duplicate key", field_names[f]);
        seen[f] = 1;
        if (f != F_PUBLIC_KEY && f != F_USER_DATA && f != F_NONCE && cbor_is_null(v))
            FAIL(LPA_SYNTAX_INVALID, "%s: mandatory field is null", field_names[f]);
        switch (f) {
        case F_MODULE_ID: {
            if (!cbor_isa_string(v) || !cbor_string_is_definite(v)) FAIL(LPA_SYNTAX_INVALID, "module_id: not a text string");
            size_t n = cbor_string_length(v);
            const uint8_t *sp = cbor_string_handle(v);
            if (n == 0 || n > LPA_MODULE_ID_MAX) FAIL(LPA_SYNTAX_INVALID, "module_id: length %zu not in 1..%u", n, LPA_MODULE_ID_MAX);
            if (memchr(sp, 0, n) || !lpc_utf8_valid(sp, n, 0, NULL)) FAIL(LPA_SYNTAX_INVALID, "module_id: not valid UTF-8 text");
            memcpy(d->module_id, sp, n);
            d->module_id[n] = 0;
            break;
        }
        case F_DIGEST:
            if (!cbor_isa_string(v) || !cbor_string_is_definite(v) || cbor_string_length(v) != 6 ||
                memcmp(cbor_string_handle(v), "SHA384", 6) != 0)
                FAIL(LPA_SYNTAX_INVALID, "digest: must be \"SHA384\"");
            memcpy(d->digest, "SHA384", 7);
            break;
        case F_TIMESTAMP: {
            if (!cbor_isa_uint(v)) FAIL(LPA_SYNTAX_INVALID, "timestamp: not an unsigned integer");
            uint64_t t = cbor_get_int(v);
            if (t == 0 || t > LPA_TIMESTAMP_MS_MAX) FAIL(LPA_SYNTAX_INVALID, "timestamp: %llu out of range", (unsigned long long)t);
            d->timestamp_ms = t;
            break;
        }
        case F_PCRS: {
            if (!cbor_isa_map(v)) FAIL(LPA_SYNTAX_INVALID, "pcrs: not a map");
            size_t n = cbor_map_size(v);
            if (n < 1 || n > LPA_MAX_PCRS) FAIL(LPA_SYNTAX_INVALID, "pcrs: %zu entries, not 1..32", n);
            struct cbor_pair *pp = cbor_map_handle(v);
            for (size_t j = 0; j < n; j++) {
                if (!cbor_isa_uint(pp[j].key)) FAIL(LPA_SYNTAX_INVALID, "pcrs: index is not an unsigned integer");
                uint64_t idx = cbor_get_int(pp[j].key);
                if (idx >= LPA_MAX_PCRS) FAIL(LPA_SYNTAX_INVALID, "pcrs: index %llu out of range 0..31", (unsigned long long)idx);
                if (d->pcr_mask & (1u << idx)) FAIL(LPA_SYNTAX_INVALID, "pcrs: duplicate index %llu", (unsigned long long)idx);
                if (!bstr_ok(pp[j].value, LPA_PCR_LEN, LPA_PCR_LEN))
                    FAIL(LPA_SYNTAX_INVALID, "pcrs: PCR%llu is not a 48-byte byte string", (unsigned long long)idx);
                d->pcr_mask |= 1u << idx;
                memcpy(d->pcrs[idx], cbor_bytestring_handle(pp[j].value), LPA_PCR_LEN);
            }
            break;
        }
        case F_CERTIFICATE:
            if (!bstr_ok(v, 1, LPA_CERT_MAX)) FAIL(LPA_SYNTAX_INVALID, "certificate: not a byte string of 1..1024 bytes");
            d->certificate_len = cbor_bytestring_length(v);
            memcpy(d->certificate, cbor_bytestring_handle(v), d->certificate_len);
            break;
        case F_CABUNDLE: {
            if (!cbor_isa_array(v)) FAIL(LPA_SYNTAX_INVALID, "cabundle: not an array");
            size_t n = cbor_array_size(v);
            if (n < 1 || n > LPA_CABUNDLE_MAX) FAIL(LPA_SYNTAX_INVALID, "cabundle: %zu entries, not 1..%u", n, LPA_CABUNDLE_MAX);
            cbor_item_t **a = cbor_array_handle(v);
            for (size_t j = 0; j < n; j++) {
                if (!bstr_ok(a[j], 1, LPA_CERT_MAX)) FAIL(LPA_SYNTAX_INVALID, "cabundle[%zu]: not a byte string of 1..1024 bytes", j);
                d->cabundle_len[j] = cbor_bytestring_length(a[j]);
                memcpy(d->cabundle[j], cbor_bytestring_handle(a[j]), d->cabundle_len[j]);
            }
            d->n_cabundle = n;
            break;
        }
        case F_PUBLIC_KEY:
            rc = opt_bstr(v, "public_key", 1, LPA_PUBLIC_KEY_MAX, &d->has_public_key, d->public_key, &d->public_key_len, detail, detail_len);
            if (rc) goto out;
            break;
        case F_USER_DATA:
            rc = opt_bstr(v, "user_data", 0, LPA_USER_DATA_MAX, &d->has_user_data, d->user_data, &d->user_data_len, detail, detail_len);
            if (rc) goto out;
            break;
        case F_NONCE:
            rc = opt_bstr(v, "nonce", 0, LPA_NONCE_MAX, &d->has_nonce, d->nonce, &d->nonce_len, detail, detail_len);
            if (rc) goto out;
            break;
        }
    }
    for (int j = 0; j < F_COUNT; j++)
        if (!seen[j]) FAIL(LPA_SYNTAX_INVALID, "%s: missing", field_names[j]);
out:
    if (m) cbor_decref(&m);
    return rc;
}

lpa_err lpa_parse(const uint8_t *in, size_t len, lpa_doc *d, int *stage_reached, char *detail, size_t detail_len)
{
    lpa_err rc = LPA_OK;
    cbor_item_t *top = NULL;
    memset(d, 0, sizeof *d);
    *stage_reached = 0;
    if (detail && detail_len) detail[0] = 0;
    if (len > LPA_MAX_INPUT) FAIL(LPA_INPUT_TOO_LARGE, "COSE document is %zu bytes, cap %u", len, LPA_MAX_INPUT);
    size_t off = 0;
    /* §8.5: peel tag 18 by hand (libcbor 0.8 cannot load it); d2 or d8 12. */
    if (len >= 1 && in[0] == 0xd2) off = 1;
    else if (len >= 2 && in[0] == 0xd8 && in[1] == 0x12) off = 2;
    d->tagged = off != 0;
    lpa_scan_info si;
    lpa_scan_status s = lpa_cbor_scan(in + off, len - off, 4, LPA_SCAN_STRICT, &si);
    if (s == LPA_SCAN_TRAILING) FAIL(LPA_MALFORMED_COSE, "envelope: %zu trailing bytes after the COSE_Sign1", len - off - si.end);
    if (s == LPA_SCAN_REFUSED && si.refused == LPA_SCAN_NO_TAGS) FAIL(LPA_MALFORMED_COSE, "envelope: tag other than a single leading 18");
    if (s == LPA_SCAN_REFUSED) FAIL(LPA_MALFORMED_COSE, "envelope: indefinite-length item (strict profile, C7)");
    if (s != LPA_SCAN_OK) FAIL(LPA_MALFORMED_COSE, "envelope: %s", lpa_cbor_scan_msg(s, &si));
    top = lpa_cbor_load_exact(in + off, len - off);
    if (!top) FAIL(LPA_MALFORMED_COSE, "envelope: CBOR does not load");
    if (!cbor_isa_array(top) || cbor_array_size(top) != 4) FAIL(LPA_MALFORMED_COSE, "envelope: not an array of 4");
    cbor_item_t **a = cbor_array_handle(top);
    if (!cbor_isa_bytestring(a[0])) FAIL(LPA_MALFORMED_COSE, "protected header is not a byte string");
    if (cbor_bytestring_length(a[0]) > LPA_MAX_PROTECTED) FAIL(LPA_MALFORMED_COSE, "protected header longer than %u bytes", LPA_MAX_PROTECTED);
    d->protected_len = cbor_bytestring_length(a[0]);
    memcpy(d->protected_hdr, cbor_bytestring_handle(a[0]), d->protected_len);
    rc = parse_protected(d->protected_hdr, d->protected_len, detail, detail_len);
    if (rc) goto out;
    if (!cbor_isa_map(a[1])) FAIL(LPA_MALFORMED_COSE, "unprotected header is not a map");
    if (cbor_map_size(a[1]) != 0) FAIL(LPA_MALFORMED_COSE, "unprotected header is not empty (strict profile, C4)");
    if (!cbor_isa_bytestring(a[2])) FAIL(LPA_MALFORMED_COSE, "payload is not a byte string (detached payloads are rejected)");
    size_t pl = cbor_bytestring_length(a[2]);
    if (pl < 1 || pl > LPA_MAX_PAYLOAD) FAIL(LPA_MALFORMED_COSE, "payload length %zu not in 1..%u", pl, LPA_MAX_PAYLOAD);
    if (!cbor_isa_bytestring(a[3])) FAIL(LPA_MALFORMED_COSE, "signature is not a byte string");
    if (cbor_bytestring_length(a[3]) != LPA_SIG_LEN)
        FAIL(LPA_BAD_SIGNATURE_LENGTH, "signature is %zu bytes, ES384 needs exactly 96", cbor_bytestring_length(a[3]));
    d->payload_len = pl;
    memcpy(d->payload, cbor_bytestring_handle(a[2]), pl);
    memcpy(d->signature, cbor_bytestring_handle(a[3]), LPA_SIG_LEN);
    *stage_reached = 1;
    rc = parse_payload(d, detail, detail_len);
    if (rc == LPA_OK) *stage_reached = 2;
out:
    if (top) cbor_decref(&top);
    return rc;
}

#undef FAIL

size_t lpa_sig_structure(const lpa_doc *d, uint8_t out[LPA_SIG_STRUCTURE_MAX])
{
    static const uint8_t prefix[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
    size_t n = 0;
    uint8_t head[9];
    memcpy(out, prefix, sizeof prefix);
    n = sizeof prefix;
    size_t h = lpa_cbor_bstr_head(d->protected_len, head);
    memcpy(out + n, head, h);
    n += h;
    memcpy(out + n, d->protected_hdr, d->protected_len);
    n += d->protected_len;
    out[n++] = 0x40; /* external_aad = h'' */
    h = lpa_cbor_bstr_head(d->payload_len, head);
    memcpy(out + n, head, h);
    n += h;
    memcpy(out + n, d->payload, d->payload_len);
    return n + d->payload_len;
}

size_t lpa_sig_to_der(const uint8_t rs[LPA_SIG_LEN], uint8_t der[LPA_SIG_DER_MAX])
{
    size_t out = 0;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, LPA_SIG_LEN / 2, NULL);
    BIGNUM *s = BN_bin2bn(rs + LPA_SIG_LEN / 2, LPA_SIG_LEN / 2, NULL);
    if (!sig || !r || !s) goto fail;
    if (ECDSA_SIG_set0(sig, r, s) != 1) goto fail;
    r = s = NULL; /* owned by sig now */
    int n = i2d_ECDSA_SIG(sig, NULL);
    if (n <= 0 || (size_t)n > LPA_SIG_DER_MAX) goto fail;
    unsigned char *pp = der;
    if (i2d_ECDSA_SIG(sig, &pp) != n) goto fail;
    out = (size_t)n;
fail:
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return out;
}

/* ---------------------------------------------------------------- X.509 */

static int asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
    *out = lpc_days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * 86400 +
           tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return 0;
}

static X509 *der_to_x509(const uint8_t *p, size_t n)
{
    const unsigned char *q = p;
    if (n > LPA_CERT_MAX * 4) return NULL;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    if (x && q != p + n) { /* DER must consume every byte */
        X509_free(x);
        return NULL;
    }
    return x;
}

static void cert_cn(X509_NAME *nm, char *out, size_t cap)
{
    out[0] = 0;
    int i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
    if (i < 0) return;
    ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i));
    int n = ASN1_STRING_length(s);
    const unsigned char *d = ASN1_STRING_get0_data(s);
    if (n < 0 || (size_t)n >= cap || memchr(d, 0, (size_t)n)) return;
    memcpy(out, d, (size_t)n);
    out[n] = 0;
}

static void cert_subject(X509 *x, char *out, size_t cap)
{
    out[0] = 0;
    BIO *b = BIO_new(BIO_s_mem());
    if (!b) return;
    if (X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int n = BIO_read(b, out, (int)cap - 1);
        out[n > 0 ? n : 0] = 0;
    }
    BIO_free(b);
}

int lpa_key_is_p384(EVP_PKEY *k)
{
    char grp[64];
    size_t gl = 0;
    if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_EC) return 0;
    if (EVP_PKEY_get_group_name(k, grp, sizeof grp, &gl) != 1) return 0;
    return strcmp(grp, "secp384r1") == 0;
}

static lpa_err map_x509_err(int e)
{
    switch (e) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return LPA_CERT_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID: return LPA_CERT_NOT_YET_VALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: return LPA_UNTRUSTED_ROOT;
    default: return LPA_CHAIN_INVALID;
    }
}

/* §3.3 step 10: profile of one certificate in the validated chain. */
static int profile_ok(X509 *x, int is_leaf, char *why, size_t cap)
{
    if (X509_get_version(x) != 2) { snprintf(why, cap, "not X.509 v3"); return 0; }
    if (X509_get_signature_nid(x) != NID_ecdsa_with_SHA384) { snprintf(why, cap, "not signed with ecdsa-with-SHA384"); return 0; }
    if (!lpa_key_is_p384(X509_get0_pubkey(x))) { snprintf(why, cap, "key is not EC P-384"); return 0; }
    uint32_t ku = X509_get_key_usage(x); /* UINT32_MAX when the extension is absent */
    int bc_idx = X509_get_ext_by_NID(x, NID_basic_constraints, -1);
    uint32_t xf = X509_get_extension_flags(x);
    if (is_leaf) {
        /* X509_check_ca alone misses a cA TRUE leaf whose keyUsage lacks keyCertSign
         * (x509-limbo webpki::ee-basicconstraints-ca), and a cA FALSE leaf asserting
         * keyCertSign (rfc5280::leaf-ku-keycertsign, RFC 5280 §4.2.1.9 MUST NOT);
         * genuine leaves are critical cA FALSE with digitalSignature, nonRepudiation. */
        if (X509_check_ca(x) != 0 || (xf & EXFLAG_CA)) { snprintf(why, cap, "leaf is a CA"); return 0; }
        if ((xf & EXFLAG_KUSAGE) && (ku & KU_KEY_CERT_SIGN)) {
            snprintf(why, cap, "leaf key usage asserts keyCertSign");
            return 0;
        }
        if (!(ku & KU_DIGITAL_SIGNATURE)) { snprintf(why, cap, "leaf key usage lacks digitalSignature"); return 0; }
        if (X509_get_pathlen(x) != -1) { snprintf(why, cap, "leaf has a pathLen constraint"); return 0; }
    } else {
        if (bc_idx < 0 || !X509_EXTENSION_get_critical(X509_get_ext(x, bc_idx)) || !(xf & EXFLAG_CA)) {
            snprintf(why, cap, "CA without critical basicConstraints CA:TRUE");
            return 0;
        }
        if (!(ku & KU_KEY_CERT_SIGN)) { snprintf(why, cap, "CA key usage lacks keyCertSign"); return 0; }
    }
    return 1;
}

typedef struct {
    X509 *root, *leaf;
    X509 *bundle[LPA_CABUNDLE_MAX];
} chain_certs;

static void chain_free(chain_certs *c)
{
    X509_free(c->root);
    X509_free(c->leaf);
    for (size_t i = 0; i < LPA_CABUNDLE_MAX; i++) X509_free(c->bundle[i]);
}

/* §3.3 steps 1-9 plus post-checks.  Adds checks to r. */
static void verify_chain(const lpa_doc *d, const uint8_t *root_der, size_t root_len, int64_t t, chain_certs *c,
                         lpa_result *r)
{
    char why[160];
    /* Step 2: cabundle[0] byte-identical to the pinned root. */
    if (d->cabundle_len[0] != root_len || memcmp(d->cabundle[0], root_der, root_len) != 0) {
        lpa_add_check(r, "chain.root_pinned", 0, LPA_UNTRUSTED_ROOT, "cabundle[0] is not the %s root",
                      r->root_is_aws ? "pinned AWS Nitro" : "supplied test");
        return;
    }
    lpa_add_check(r, "chain.root_pinned", 1, LPA_OK, "cabundle[0] equals the %s root",
                  r->root_is_aws ? "pinned AWS Nitro" : "supplied (non-AWS) test");
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    if (!store || !ctx || !untrusted || X509_STORE_add_cert(store, c->root) != 1) {
        lpa_add_check(r, "chain.path", 0, LPA_OUT_OF_MEMORY, "OpenSSL allocation failed");
        goto done;
    }
    for (size_t i = 1; i < d->n_cabundle; i++)
        if (!sk_X509_push(untrusted, c->bundle[i])) {
            lpa_add_check(r, "chain.path", 0, LPA_OUT_OF_MEMORY, "OpenSSL allocation failed");
            goto done;
        }
    if (X509_STORE_CTX_init(ctx, store, c->leaf, untrusted) != 1) {
        lpa_add_check(r, "chain.path", 0, LPA_CRYPTO_BACKEND, "X509_STORE_CTX_init failed");
        goto done;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, (time_t)t);
    X509_VERIFY_PARAM_set_depth(param, (int)LPA_CABUNDLE_MAX);
    X509_VERIFY_PARAM_set_auth_level(param, 4);
    if (X509_verify_cert(ctx) != 1) {
        int e = X509_STORE_CTX_get_error(ctx);
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        lpa_add_check(r, "chain.path", 0, map_x509_err(e), "OpenSSL error %d at depth %d: %s", e, depth,
                      X509_verify_cert_error_string(e));
        goto done;
    }
    STACK_OF(X509) *ch = X509_STORE_CTX_get0_chain(ctx);
    int n = sk_X509_num(ch);
    if (n != (int)d->n_cabundle + 1) {
        lpa_add_check(r, "chain.path", 0, LPA_CHAIN_INVALID, "validated path has %d certificates, cabundle implies %zu", n,
                      d->n_cabundle + 1);
        goto done;
    }
    for (int i = 1; i < n; i++) {
        X509 *want = i == n - 1 ? c->root : c->bundle[d->n_cabundle - (size_t)i];
        if (X509_cmp(sk_X509_value(ch, i), want) != 0) {
            lpa_add_check(r, "chain.path", 0, LPA_CHAIN_INVALID, "validated path is not cabundle in AWS order");
            goto done;
        }
    }
    lpa_add_check(r, "chain.path", 1, LPA_OK, "leaf <- cabundle[%zu..0] validates at %lld", d->n_cabundle - 1, (long long)t);
    for (int i = 0; i < n; i++) {
        if (!profile_ok(sk_X509_value(ch, i), i == 0, why, sizeof why)) {
            lpa_add_check(r, "chain.profile", 0, LPA_CERT_PROFILE_INVALID, "%s: %s",
                          i == 0 ? "leaf" : "CA", why);
            goto done;
        }
    }
    lpa_add_check(r, "chain.profile", 1, LPA_OK, "v3, ecdsa-with-SHA384, P-384, CA and key-usage constraints");
done:
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
}

/* §1.4 step 6 on a DER signature already known to be well formed. */
static int es384_digest_verify(EVP_PKEY *k, const uint8_t *msg, size_t msg_len, const uint8_t *der, size_t der_len)
{
    static const uint8_t empty[1];
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m && EVP_DigestVerifyInit(m, NULL, EVP_sha384(), NULL, k) == 1 &&
             EVP_DigestVerify(m, der, der_len, msg_len ? msg : empty, msg_len) == 1;
    EVP_MD_CTX_free(m);
    ERR_clear_error();
    return ok;
}

int lpa_es384_verify_rs(EVP_PKEY *k, const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    uint8_t der[LPA_SIG_DER_MAX];
    if (!lpa_key_is_p384(k) || !sig || sig_len != LPA_SIG_LEN || (!msg && msg_len)) return 0;
    size_t der_len = lpa_sig_to_der(sig, der);
    return der_len && es384_digest_verify(k, msg, msg_len, der, der_len);
}

int lpa_es384_verify_der(EVP_PKEY *k, const uint8_t *msg, size_t msg_len, const uint8_t *der, size_t der_len)
{
    uint8_t again[LPA_SIG_DER_MAX];
    if (!lpa_key_is_p384(k) || !der || der_len == 0 || der_len > LPA_SIG_DER_MAX || (!msg && msg_len)) return 0;
    /* Strict DER: the bytes must parse completely and be exactly the DER
     * re-encoding of what they parse to (rejects BER lengths, padded or
     * otherwise non-minimal INTEGERs and trailing bytes). */
    const unsigned char *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    int ok = 0;
    if (s && p == der + der_len && i2d_ECDSA_SIG(s, NULL) == (int)der_len) {
        unsigned char *q = again;
        ok = i2d_ECDSA_SIG(s, &q) == (int)der_len && memcmp(again, der, der_len) == 0;
    }
    ECDSA_SIG_free(s);
    ERR_clear_error();
    return ok && es384_digest_verify(k, msg, msg_len, der, der_len);
}

/* §1.4: the COSE signature over the Sig_structure. */
static int cose_verify(const lpa_doc *d, EVP_PKEY *pkey)
{
    uint8_t tbs[LPA_SIG_STRUCTURE_MAX]; /* ~16 KiB, stack */
    size_t n = lpa_sig_structure(d, tbs);
    return lpa_es384_verify_rs(pkey, tbs, n, d->signature, LPA_SIG_LEN);
}

/* ---------------------------------------------------------------- §5 */

static int starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* X2, X3: enforced under the AWS root; test chains only report them. */
static void name_invariant(lpa_result *r, const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void name_invariant(lpa_result *r, const char *name, int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_checkv(r, name, ok, !r->root_is_aws, LPA_INVARIANT, fmt, ap);
    va_end(ap);
}

static void invariants(const lpa_doc *d, const chain_certs *c, lpa_result *r)
{
    char leaf_cn[256], leaf_issuer_cn[256], inst_cn[256], want[300];
    cert_cn(X509_get_subject_name(c->leaf), leaf_cn, sizeof leaf_cn);
    cert_cn(X509_get_issuer_name(c->leaf), leaf_issuer_cn, sizeof leaf_issuer_cn);
    inst_cn[0] = 0;
    if (d->n_cabundle >= 2) cert_cn(X509_get_subject_name(c->bundle[d->n_cabundle - 1]), inst_cn, sizeof inst_cn);
    else cert_cn(X509_get_subject_name(c->root), inst_cn, sizeof inst_cn);

    /* instance id = module_id up to "-enc" */
    char inst[LPA_MODULE_ID_MAX + 1];
    const char *enc = strstr(d->module_id, "-enc");
    size_t il = enc ? (size_t)(enc - d->module_id) : 0;
    memcpy(inst, d->module_id, il);
    inst[il] = 0;

    /* X1 (warning per §5) */
    snprintf(want, sizeof want, "%s.", d->module_id);
    int x1 = starts_with(leaf_cn, want);
    lpa_add_warning(r, "invariant.x1_leaf_cn", x1, LPA_INVARIANT, "%sleaf CN \"%s\" %s module_id", x1 ? "" : "warning (not enforced): ",
                  leaf_cn, x1 ? "extends" : "does not extend");
    /* X2 */
    snprintf(want, sizeof want, "%s.", inst);
    int x2 = il > 0 && starts_with(leaf_issuer_cn, want) && starts_with(inst_cn, want);
    name_invariant(r, "invariant.x2_instance_ca", x2, "%sinstance id \"%s\" %s in leaf issuer and instance CA CNs",
            x2 || r->root_is_aws ? "" : "warning (not enforced for a test root): ", inst, x2 ? "found" : "not found");
    /* X3: PCR4 == SHA-384(0^48 || instance id) */
    int x3 = 0;
    if (il > 0 && (d->pcr_mask & (1u << 4))) {
        uint8_t buf[LPA_PCR_LEN + LPA_MODULE_ID_MAX], h[LPA_PCR_LEN];
        unsigned hl = 0;
        memset(buf, 0, LPA_PCR_LEN);
        memcpy(buf + LPA_PCR_LEN, inst, il);
        x3 = EVP_Digest(buf, LPA_PCR_LEN + il, h, &hl, EVP_sha384(), NULL) == 1 && hl == LPA_PCR_LEN &&
             memcmp(h, d->pcrs[4], LPA_PCR_LEN) == 0;
    }
    name_invariant(r, "invariant.x3_pcr4", x3, "%sPCR4 %s extend(instance id)",
            x3 || r->root_is_aws ? "" : "warning (not enforced for a test root): ", x3 ? "equals" : "differs from");
    /* X4 (warning): region label shared by leaf and every intermediate */
    int x4 = 0;
    char region[128] = "";
    size_t ml = strlen(d->module_id);
    if (x1 && ends_with(leaf_cn, ".aws") && strlen(leaf_cn) > ml + 1 + 4) {
        size_t rl = strlen(leaf_cn) - (ml + 1) - 4;
        if (rl < sizeof region) {
            memcpy(region, leaf_cn + ml + 1, rl);
            region[rl] = 0;
            snprintf(want, sizeof want, ".%s.aws.nitro-enclaves", region);
            x4 = d->n_cabundle >= 2;
            for (size_t i = 1; i < d->n_cabundle; i++) {
                char cn[256];
                cert_cn(X509_get_subject_name(c->bundle[i]), cn, sizeof cn);
                if (!ends_with(cn, want)) x4 = 0;
            }
        }
    }
    lpa_add_warning(r, "invariant.x4_region", x4, LPA_INVARIANT, "%sregion \"%s\" %s", x4 ? "" : "warning (not enforced): ", region,
                  x4 ? "consistent across leaf and CA names" : "not consistent");
    /* X6 (warning): leaf serial starts with the enclave id after "-enc" */
    int x6 = 0;
    if (enc && strlen(enc + 4) == 16) {
        const ASN1_INTEGER *sn = X509_get0_serialNumber(c->leaf);
        BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
        if (bn) {
            uint8_t sb[64];
            int n = BN_num_bytes(bn);
            if (n >= 8 && n <= 64 && BN_bn2bin(bn, sb) == n) {
                char hx[17];
                lpc_hex_encode(sb, 8, hx);
                /* serial may have lost a leading zero byte of the enclave id */
                x6 = strcmp(hx, enc + 4) == 0;
                if (!x6 && n < 16) {
                    uint8_t pad[64] = {0};
                    memcpy(pad + 1, sb, (size_t)n);
                    lpc_hex_encode(pad, 8, hx);
                    x6 = strcmp(hx, enc + 4) == 0;
                }
            }
            BN_free(bn);
        }
    }
    lpa_add_warning(r, "invariant.x6_leaf_serial", x6, LPA_INVARIANT, "%sleaf serial %s the enclave id", x6 ? "" : "warning (not enforced): ",
                  x6 ? "starts with" : "does not start with");
}

/* ---------------------------------------------------------------- driver */

/* Fail closed: an OK verdict needs every cryptographic stage to have run and
 * passed, so a stage skipped by mistake can never read as success. */
static void require_passed(lpa_result *r)
{
    static const char *const required[] = {
        "cose.envelope", "document.syntax", "chain.parse", "chain.root_pinned",
        "chain.path", "chain.profile", "cose.signature", "invariant.x5_timestamp_in_leaf",
    };
    if (r->result != LPA_OK) return;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        int seen = 0;
        for (size_t k = 0; k < r->n_checks; k++)
            if (!strcmp(r->checks[k].name, required[i]) && r->checks[k].ok) seen = 1;
        if (!seen) {
            lpa_add_check(r, "verdict.complete", 0, LPA_INTERNAL, "required check %s did not pass", required[i]);
            return;
        }
    }
}

void lpa_verify(const uint8_t *cose, size_t len, const lpa_opts *o, lpa_result *r)
{
    char detail[LPA_DETAIL_MAX];
    chain_certs c;
    memset(&c, 0, sizeof c);
    memset(r, 0, sizeof *r);
    r->result = LPA_OK;
    r->mode = o->mode;
    r->verified_at = -1;
    snprintf(r->policy, sizeof r->policy, "none");

    /* §3.1 self-test of the embedded root. */
    const uint8_t *root_der = o->root_der ? o->root_der : lpa_aws_root_der;
    size_t root_len = o->root_der ? o->root_der_len : lpa_aws_root_der_len;
    uint8_t h[32];
    unsigned hl = 0;
    if (EVP_Digest(lpa_aws_root_der, lpa_aws_root_der_len, h, &hl, EVP_sha256(), NULL) != 1 ||
        memcmp(h, lpa_aws_root_sha256, 32) != 0) {
        lpa_add_check(r, "root.self_test", 0, LPA_INTERNAL, "embedded AWS root does not hash to 641a0321...bb5b");
        return;
    }
    if (EVP_Digest(root_der, root_len, r->root_sha256, &hl, EVP_sha256(), NULL) != 1) {
        lpa_add_check(r, "root.self_test", 0, LPA_CRYPTO_BACKEND, "SHA-256 failed");
        return;
    }
    r->root_is_aws = memcmp(r->root_sha256, lpa_aws_root_sha256, 32) == 0;

    int stage = 0;
    lpa_err e = lpa_parse(cose, len, &r->doc, &stage, detail, sizeof detail);
    if (stage == 0) {
        lpa_add_check(r, "cose.envelope", 0, e, "%s", detail);
        return;
    }
    lpa_add_check(r, "cose.envelope", 1, LPA_OK, "COSE_Sign1%s, ES384, %zu-byte payload, 96-byte signature",
                  r->doc.tagged ? " (tag 18)" : "", r->doc.payload_len);
    if (stage == 1) {
        lpa_add_check(r, "document.syntax", 0, e, "%s", detail);
        return;
    }
    r->doc_parsed = 1;
    const lpa_doc *d = &r->doc;
    lpa_add_check(r, "document.syntax", 1, LPA_OK, "%d PCRs, %zu-certificate cabundle%s", __builtin_popcount(d->pcr_mask),
                  d->n_cabundle, d->payload_indefinite ? ", indefinite-length map" : "");
    r->debug = (d->pcr_mask & 7u) == 7u;
    for (int i = 0; i < 3 && r->debug; i++)
        for (size_t k = 0; k < LPA_PCR_LEN; k++)
            if (d->pcrs[i][k]) r->debug = 0;

    int64_t ts = (int64_t)(d->timestamp_ms / 1000); /* §3.4: floor */
    r->verified_at = o->mode == LPA_AT_DOC ? ts : o->time;

    /* Parse certificates (DER-exact, §3.3 step 1). */
    c.root = der_to_x509(root_der, root_len);
    if (!c.root) {
        lpa_add_check(r, "chain.parse", 0, LPA_UNTRUSTED_ROOT, "root certificate is not DER X.509");
        goto out;
    }
    c.leaf = der_to_x509(d->certificate, d->certificate_len);
    int parsed = c.leaf != NULL;
    for (size_t i = 0; i < d->n_cabundle && parsed; i++)
        if (!(c.bundle[i] = der_to_x509(d->cabundle[i], d->cabundle_len[i]))) parsed = 0;
    if (!parsed) {
        lpa_add_check(r, "chain.parse", 0, LPA_SYNTAX_INVALID, "certificate or cabundle entry is not exact DER X.509");
    } else {
        lpa_add_check(r, "chain.parse", 1, LPA_OK, "%zu certificates parse as DER", d->n_cabundle + 1);
        /* Report subjects and windows: leaf, cabundle[n-1] .. cabundle[0]. */
        r->window_lo = INT64_MIN;
        r->window_hi = INT64_MAX;
        for (size_t i = 0; i <= d->n_cabundle; i++) {
            X509 *x = i == 0 ? c.leaf : c.bundle[d->n_cabundle - i];
            lpa_cert_info *ci = &r->certs[r->n_certs++];
            cert_subject(x, ci->subject, sizeof ci->subject);
            if (asn1_time_unix(X509_get0_notBefore(x), &ci->not_before) || asn1_time_unix(X509_get0_notAfter(x), &ci->not_after)) {
                lpa_add_check(r, "chain.parse", 0, LPA_SYNTAX_INVALID, "certificate validity does not decode");
                goto out;
            }
            if (ci->not_before > r->window_lo) r->window_lo = ci->not_before;
            if (ci->not_after < r->window_hi) r->window_hi = ci->not_after;
        }
        verify_chain(d, root_der, root_len, r->verified_at, &c, r);
    }
    /* §0: the COSE signature is checked independently of the chain verdict. */
    if (c.leaf) {
        EVP_PKEY *k = X509_get0_pubkey(c.leaf);
        if (!lpa_key_is_p384(k)) lpa_add_check(r, "cose.signature", 0, LPA_CERT_PROFILE_INVALID, "leaf key is not EC P-384");
        else if (cose_verify(d, k)) lpa_add_check(r, "cose.signature", 1, LPA_OK, "ES384 over the Sig_structure verifies under the leaf key");
        else lpa_add_check(r, "cose.signature", 0, LPA_SIGNATURE_INVALID, "ES384 signature does not verify under the leaf key");
    }
    if (!parsed) goto out;
    /* X5: signed timestamp inside its own leaf window (half-open, as OpenSSL). */
    {
        int64_t nb = r->certs[0].not_before, na = r->certs[0].not_after;
        int x5 = nb <= ts && ts < na;
        lpa_add_check(r, "invariant.x5_timestamp_in_leaf", x5, LPA_TIMESTAMP_OUTSIDE_LEAF,
                      "document second %lld %s leaf window [%lld, %lld)", (long long)ts, x5 ? "inside" : "outside",
                      (long long)nb, (long long)na);
    }
    invariants(d, &c, r);
out:
    chain_free(&c);
    ERR_clear_error();
    require_passed(r);
}
