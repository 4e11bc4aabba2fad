/* Evidence transport decoding and Leadpoet bindings (nitro-attestation.md §13). */
#include "attest/leadpoet.h"
#include "attest/lpa_cbor.h"
#include "canonical/lpc_hash.h"

#include <cbor.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(lpa_source) <= 33u * 1024u, "leadpoet.h states its size");

const char *lpa_format_name(lpa_format f)
{
    switch (f) {
    case LPA_FMT_COSE: return "cose";
    case LPA_FMT_HEX: return "hex";
    case LPA_FMT_BASE64: return "base64";
    case LPA_FMT_ATTEST_JSON: return "attest-json";
    case LPA_FMT_ATTDOC_JSON: return "attestation-document-json";
    default: return "json";
    }
}

static int is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_hex_text(const char *s, size_t n)
{
    if (n == 0 || n % 2) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))) return 0;
    return 1;
}

/* Hex or base64 text (whitespace around and, for base64, inside ignored) to COSE bytes. */
static lpa_err decode_text(const char *t, size_t n, lpa_source *s, int *was_hex, char *detail, size_t dl)
{
    while (n && is_ws((uint8_t)t[0])) { t++; n--; }
    while (n && is_ws((uint8_t)t[n - 1])) n--;
    if (n == 0) {
        snprintf(detail, dl, "empty document text");
        return LPA_INPUT_DECODE_ERROR;
    }
    if (is_hex_text(t, n)) {
        *was_hex = 1;
        if (n / 2 > LPA_MAX_INPUT) {
            snprintf(detail, dl, "document is %zu bytes, cap %u", n / 2, LPA_MAX_INPUT);
            return LPA_INPUT_TOO_LARGE;
        }
        if (lpc_hex_decode(t, n, s->cose, sizeof s->cose, &s->cose_len) != LPC_OK) {
            snprintf(detail, dl, "bad hex");
            return LPA_INPUT_DECODE_ERROR;
        }
        return LPA_OK;
    }
    *was_hex = 0;
    if (n / 4 * 3 > LPA_MAX_INPUT + 3 + n / 64 * 3) { /* generous for embedded newlines */
        snprintf(detail, dl, "document text too long (%zu chars)", n);
        return LPA_INPUT_TOO_LARGE;
    }
    static const int variants[] = {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                                   sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        size_t bl = 0;
        const char *end = NULL;
        if (sodium_base642bin(s->cose, sizeof s->cose, t, n, " \t\r\n", &bl, &end, variants[i]) == 0 && end == t + n) {
            s->cose_len = bl;
            return LPA_OK;
        }
    }
    /* Base64 that failed only because it decodes to more than the buffer holds is an
     * oversized document, not undecodable text: count its symbols. */
    size_t sym = 0, pad = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)t[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
            c == '-' || c == '_') other += pad, sym++;
        else if (c == '=') pad++;
        else if (!is_ws(c)) other++;
    }
    if (other == 0 && sym / 4 * 3 + (sym % 4 ? sym % 4 - 1 : 0) > LPA_MAX_INPUT) {
        snprintf(detail, dl, "document is %zu bytes, cap %u", sym / 4 * 3 + (sym % 4 ? sym % 4 - 1 : 0), LPA_MAX_INPUT);
        return LPA_INPUT_TOO_LARGE;
    }
    snprintf(detail, dl, "text is neither hex nor base64 of a document");
    return LPA_INPUT_DECODE_ERROR;
}

static int hex_field(json_t *obj, const char *key, uint8_t *out, size_t want, int *has, char *detail, size_t dl)
{
    json_t *v = json_object_get(obj, key);
    size_t n = 0;
    *has = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v) || json_string_length(v) != 2 * want ||
        lpc_hex_decode(json_string_value(v), 2 * want, out, want, &n) != LPC_OK) {
        snprintf(detail, dl, "response field %s is not %zu hex digits", key, 2 * want);
        return -1;
    }
    *has = 1;
    return 0;
}

lpa_err lpa_source_decode(const uint8_t *in, size_t len, lpa_source *s, char *detail, size_t dl)
{
    memset(s, 0, sizeof *s);
    detail[0] = 0;
    if (len > LPA_MAX_SOURCE) {
        snprintf(detail, dl, "input is %zu bytes, cap %u", len, LPA_MAX_SOURCE);
        return LPA_INPUT_TOO_LARGE;
    }
    /* Raw COSE starts with 0x84, 0xd2 or 0xd8 (never printable); anything whose
     * first non-blank byte is printable ASCII is text (JSON, hex or base64). */
    size_t f = 0;
    while (f < len && is_ws(in[f])) f++;
    if (f == len) {
        snprintf(detail, dl, "empty input");
        return LPA_INPUT_DECODE_ERROR;
    }
    int text = in[f] >= 0x20 && in[f] < 0x7f;
    if (!text) {
        if (len > LPA_MAX_INPUT) {
            snprintf(detail, dl, "COSE document is %zu bytes, cap %u", len, LPA_MAX_INPUT);
            return LPA_INPUT_TOO_LARGE;
        }
        s->format = LPA_FMT_COSE;
        memcpy(s->cose, in, len);
        s->cose_len = len;
        return LPA_OK;
    }
    size_t i = 0;
    while (i < len && is_ws(in[i])) i++;
    int was_hex = 0;
    if (i == len || in[i] != '{') {
        lpa_err e = decode_text((const char *)in, len, s, &was_hex, detail, dl);
        s->format = was_hex ? LPA_FMT_HEX : LPA_FMT_BASE64;
        return e;
    }
    json_error_t je;
    json_t *root = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES, &je);
    lpa_err rc = LPA_INPUT_DECODE_ERROR;
    if (!root || !json_is_object(root)) {
        snprintf(detail, dl, "JSON input: %s", root ? "not an object" : je.text);
        goto out;
    }
    json_t *doc = json_object_get(root, "attestation_document");
    if (!json_is_string(doc)) {
        snprintf(detail, dl, "JSON input has no \"attestation_document\" string");
        goto out;
    }
    if (json_string_length(doc) == 0) {
        snprintf(detail, dl, "\"attestation_document\" is empty (gateway without NSM: development mode)");
        goto out;
    }
    if (json_object_get(root, "enclave_public_key")) {
        s->format = LPA_FMT_ATTEST_JSON;
        if (hex_field(root, "enclave_public_key", s->enclave_key, LPA_ED25519_LEN, &s->has_enclave_key, detail, dl) ||
            !s->has_enclave_key)
            goto out_msg;
        if (hex_field(root, "code_hash", s->code_hash, LPA_CODE_HASH_LEN, &s->has_code_hash, detail, dl)) goto out;
        static const char *const pk[3] = {"pcr0", "pcr1", "pcr2"};
        for (int k = 0; k < 3; k++)
            if (hex_field(root, pk[k], s->pcr[k], LPA_PCR_LEN, &s->has_pcr[k], detail, dl)) goto out;
    } else if (json_object_get(root, "enclave_pubkey")) {
        s->format = LPA_FMT_ATTDOC_JSON;
        if (hex_field(root, "enclave_pubkey", s->enclave_key, LPA_ED25519_LEN, &s->has_enclave_key, detail, dl) ||
            !s->has_enclave_key)
            goto out_msg;
        if (hex_field(root, "code_hash", s->code_hash, LPA_CODE_HASH_LEN, &s->has_code_hash, detail, dl)) goto out;
    } else {
        s->format = LPA_FMT_JSON;
    }
    rc = decode_text(json_string_value(doc), json_string_length(doc), s, &was_hex, detail, dl);
    goto out;
out_msg:
    if (!detail[0]) snprintf(detail, dl, "response enclave key missing or not 64 hex digits");
out:
    json_decref(root);
    return rc;
}

/* ------------------------------------------------------------ user_data */

typedef struct {
    int has_key, key_conflict, has_code_hash, has_purpose, has_epoch_id;
    uint8_t key[LPA_ED25519_LEN], code_hash[LPA_CODE_HASH_LEN];
    char purpose[64];
    int64_t epoch_id;
    const char *format;
} ud_claims;

/* Accepts a hex string of exactly 2*want digits. */
static int take_hex(const char *v, size_t vl, uint8_t *out, size_t want)
{
    size_t n;
    return vl == 2 * want && lpc_hex_decode(v, vl, out, want, &n) == LPC_OK ? 0 : -1;
}

static void claim(ud_claims *c, const char *k, size_t kl, const char *v, size_t vl)
{
    uint8_t tmp[LPA_ED25519_LEN];
    if ((kl == 14 && memcmp(k, "enclave_pubkey", 14) == 0) || (kl == 18 && memcmp(k, "enclave_public_key", 18) == 0)) {
        if (!v || take_hex(v, vl, tmp, sizeof tmp) != 0) {
            c->key_conflict = 1; /* present but unusable: never a match */
            return;
        }
        if (c->has_key && memcmp(c->key, tmp, sizeof tmp) != 0) c->key_conflict = 1;
        memcpy(c->key, tmp, sizeof tmp);
        c->has_key = 1;
    } else if (kl == 9 && memcmp(k, "code_hash", 9) == 0) {
        if (v && take_hex(v, vl, c->code_hash, sizeof c->code_hash) == 0) c->has_code_hash = 1;
    } else if (kl == 7 && memcmp(k, "purpose", 7) == 0 && v && vl < sizeof c->purpose && !memchr(v, 0, vl)) {
        memcpy(c->purpose, v, vl);
        c->purpose[vl] = 0;
        c->has_purpose = 1;
    }
}

/* "epoch_id" with an integer value; a second occurrence (a JSON document cannot
 * repeat keys, a CBOR map can) or any other type leaves it unusable. */
static void claim_int(ud_claims *c, const char *k, size_t kl, int is_int, int64_t v)
{
    if (kl != 8 || memcmp(k, "epoch_id", 8) != 0) return;
    if (is_int && !c->has_epoch_id) {
        c->epoch_id = v;
        c->has_epoch_id = 1;
    } else {
        c->has_epoch_id = -1;
    }
}

/* A CBOR integer item within int64: 1 and *v set, else 0. */
static int cbor_i64(const cbor_item_t *it, int64_t *v)
{
    if (!cbor_isa_uint(it) && !cbor_isa_negint(it)) return 0;
    uint64_t u = cbor_get_int(it);
    if (u > (uint64_t)INT64_MAX) return 0;
    *v = cbor_isa_uint(it) ? (int64_t)u : -1 - (int64_t)u;
    return 1;
}

/* §13.2: JSON first, then CBOR (as leadpoet_canonical/nitro.py). */
static int decode_user_data(const uint8_t *u, size_t n, ud_claims *c)
{
    memset(c, 0, sizeof *c);
    if (n == 0) return -1;
    json_error_t je;
    json_t *j = json_loadb((const char *)u, n, JSON_REJECT_DUPLICATES, &je);
    if (j) {
        int ok = json_is_object(j);
        if (ok) {
            const char *k;
            json_t *v;
            c->format = "json";
            json_object_foreach(j, k, v) {
                claim(c, k, strlen(k), json_is_string(v) ? json_string_value(v) : NULL,
                      json_is_string(v) ? json_string_length(v) : 0);
                claim_int(c, k, strlen(k), json_is_integer(v), json_is_integer(v) ? (int64_t)json_integer_value(v) : 0);
            }
        }
        json_decref(j);
        return ok ? 0 : -1;
    }
    lpa_scan_info si;
    if (lpa_cbor_scan(u, n, 4, LPA_SCAN_EXACT | LPA_SCAN_NO_TAGS | LPA_SCAN_NO_CHUNKED, &si) != LPA_SCAN_OK) return -1;
    cbor_item_t *m = lpa_cbor_load_exact(u, n);
    if (!m) return -1;
    int ok = cbor_isa_map(m);
    if (ok) {
        c->format = "cbor";
        struct cbor_pair *p = cbor_map_handle(m);
        for (size_t i = 0; i < cbor_map_size(m); i++) {
            if (!cbor_isa_string(p[i].key) || !cbor_string_is_definite(p[i].key)) continue;
            int sv = cbor_isa_string(p[i].value) && cbor_string_is_definite(p[i].value);
            claim(c, (const char *)cbor_string_handle(p[i].key), cbor_string_length(p[i].key),
                  sv ? (const char *)cbor_string_handle(p[i].value) : NULL, sv ? cbor_string_length(p[i].value) : 0);
            int64_t iv = 0;
            int iv_ok = cbor_i64(p[i].value, &iv);
            claim_int(c, (const char *)cbor_string_handle(p[i].key), cbor_string_length(p[i].key), iv_ok, iv);
        }
    }
    cbor_decref(&m);
    return ok ? 0 : -1;
}

void lpa_leadpoet_bind(const lpa_source *s, lpa_result *r, lpa_binding *b)
{
    memset(b, 0, sizeof *b);
    if (!r->doc_parsed) return;
    const lpa_doc *d = &r->doc;
    ud_claims c;
    int decoded = d->has_user_data && decode_user_data(d->user_data, d->user_data_len, &c) == 0;
    if (!decoded) memset(&c, 0, sizeof c);
    if (decoded && c.has_key && !c.key_conflict) {
        b->found = 1;
        snprintf(b->user_data_format, sizeof b->user_data_format, "%s", c.format);
        lpc_hex_encode(c.key, sizeof c.key, b->enclave_public_key);
        if (c.has_code_hash) {
            b->has_code_hash = 1;
            lpc_hex_encode(c.code_hash, sizeof c.code_hash, b->code_hash);
        }
    }
    if (decoded) {
        b->has_purpose = c.has_purpose;
        snprintf(b->purpose, sizeof b->purpose, "%s", c.purpose);
        b->has_epoch_id = c.has_epoch_id == 1;
        b->epoch_id = c.has_epoch_id == 1 ? c.epoch_id : 0;
    }
    int ud_key_ok = decoded && c.has_key && !c.key_conflict;
    const char *ud_why = !d->has_user_data ? "user_data is null"
                         : !decoded        ? "user_data is neither a JSON nor a CBOR map"
                         : c.key_conflict  ? "user_data enclave key is malformed or given twice with different values"
                         : !c.has_key      ? "user_data names no enclave_public_key/enclave_pubkey"
                                           : "";

    if (s->format == LPA_FMT_ATTDOC_JSON) {
        if (!d->has_public_key) lpa_add_check(r, "leadpoet.public_key", 0, LPA_PUBLIC_KEY_MISMATCH, "document public_key is null");
        else if (d->public_key_len != LPA_ED25519_LEN || CRYPTO_memcmp(d->public_key, s->enclave_key, LPA_ED25519_LEN) != 0)
            lpa_add_check(r, "leadpoet.public_key", 0, LPA_PUBLIC_KEY_MISMATCH, "document public_key (%zu bytes) is not the response enclave_pubkey", d->public_key_len);
        else lpa_add_check(r, "leadpoet.public_key", 1, LPA_OK, "document public_key equals the response enclave_pubkey");
    } else if (ud_key_ok && d->has_public_key) {
        /* §13.3 gap closed: an attested public_key must be the key user_data names. */
        if (d->public_key_len != LPA_ED25519_LEN || CRYPTO_memcmp(d->public_key, c.key, LPA_ED25519_LEN) != 0)
            lpa_add_check(r, "leadpoet.public_key", 0, LPA_PUBLIC_KEY_MISMATCH, "document public_key is not the user_data enclave key");
        else lpa_add_check(r, "leadpoet.public_key", 1, LPA_OK, "document public_key equals the user_data enclave key");
    }
    if (s->format == LPA_FMT_ATTEST_JSON || s->format == LPA_FMT_ATTDOC_JSON) {
        if (!ud_key_ok) lpa_add_check(r, "leadpoet.user_data_key", 0, LPA_USER_DATA_MISMATCH, "%s", ud_why);
        else if (CRYPTO_memcmp(c.key, s->enclave_key, LPA_ED25519_LEN) != 0)
            lpa_add_check(r, "leadpoet.user_data_key", 0, LPA_USER_DATA_MISMATCH, "response enclave key differs from the one in user_data");
        else lpa_add_check(r, "leadpoet.user_data_key", 1, LPA_OK, "response enclave key equals the attested user_data key (%s)", c.format);
        if (s->has_code_hash) {
            if (!decoded || !c.has_code_hash)
                lpa_add_check(r, "leadpoet.user_data_code_hash", 0, LPA_USER_DATA_MISMATCH, "user_data has no code_hash");
            else if (CRYPTO_memcmp(c.code_hash, s->code_hash, LPA_CODE_HASH_LEN) != 0)
                lpa_add_check(r, "leadpoet.user_data_code_hash", 0, LPA_USER_DATA_MISMATCH, "response code_hash differs from the one in user_data");
            else lpa_add_check(r, "leadpoet.user_data_code_hash", 1, LPA_OK, "response code_hash equals the attested one");
        }
    }
    if (s->format == LPA_FMT_ATTEST_JSON) {
        int all = 1, any = 0, bad = -1;
        for (int k = 0; k < 3; k++) {
            if (!s->has_pcr[k]) { all = 0; continue; }
            any = 1;
            if (!(d->pcr_mask & (1u << k)) || CRYPTO_memcmp(d->pcrs[k], s->pcr[k], LPA_PCR_LEN) != 0) {
                if (bad < 0) bad = k;
            }
        }
        if (bad >= 0) lpa_add_check(r, "leadpoet.response_pcrs", 0, LPA_PCR_MISMATCH, "response pcr%d differs from the attested PCR%d", bad, bad);
        else if (any) lpa_add_check(r, "leadpoet.response_pcrs", 1, LPA_OK, "response pcr0..2 %s the attested values", all ? "equal" : "(those given) equal");
    }
}
