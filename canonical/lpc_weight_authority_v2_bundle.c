/* validate_published_weight_bundle_v2 (leadpoet-weights-v2.md §8.1), in the reference's
 * order, and the refcall adapters of the weight_authority_v2 module. */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_weight_authority_v2_internal.h"

#define SNAPSHOT_PURPOSE "validator.weight_snapshot.v2"
#define COMPUTED_PURPOSE "validator.weights.computed.v2"
#define BINDING_PURPOSE  "validator.hotkey_signature.v2"
#define WEIGHT_ROLE      "validator_weights"
#define APP_SIG_SCHEMA   "leadpoet.application_signature.v2"
#define APP_SIG_RESULT   "leadpoet.application_signature_result.v2"
#define GATEWAY_BINDING  "validator.gateway_binding.v2"
#define APP_MESSAGE_MAX  ((size_t)1024 * 1024)   /* hotkey_authority_v2._application_message_text */

static const char *const k_bundle_fields[] = {"schema_version", "validator_hotkey", "binding_message",
                                              "validator_hotkey_signature", "weight_snapshot", "weight_result",
                                              "weights_signature", "receipt_graph"};

typedef struct {
    const char *p;
    size_t n;
    size_t idx;
} span;

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    size_t m = a->n < b->n ? a->n : b->n;
    int c = m ? memcmp(a->p, b->p, m) : 0;
    return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

static const span *span_find(const span *s, size_t n, const char *p, size_t len)
{
    span key = {p, len, 0};
    return bsearch(&key, s, n, sizeof *s, span_cmp);
}

/* receipts = {str(r["receipt_hash"]): r}: a sorted index over the validated graph */
typedef struct {
    const lpc_value *arr;
    span *by_hash;
    size_t n;
} receipt_map;

static const lpc_value *rget(const receipt_map *m, const char *p, size_t len)
{
    const span *s = span_find(m->by_hash, m->n, p, len);
    return s ? m->arr->u.a.items[s->idx] : NULL;
}

static const lpc_value *rget_v(const receipt_map *m, const lpc_value *h)
{
    return h && h->type == LPC_STR ? rget(m, h->u.s.ptr, h->u.s.len) : NULL;
}

/* int(receipt.get("epoch_id", -1)) == epoch */
static lp_code epoch_is(const lpc_value *r, int64_t epoch, int *yes, lpc_referr *err)
{
    const lpc_value *e = lpc_get(r, "epoch_id");
    int64_t x = -1;
    if (e && lpc_py_int(e, &x) != LPC_PY_OK) return wav2_refuse(err, "int() of this receipt epoch_id");
    *yes = x == epoch;
    return LP_CODE_OK;
}

static lpc_value *strv(const char *s) { return lpc_new_str(s, strlen(s)); }

static void put(lpc_value *obj, const char *key, lpc_value *val, int *ok)
{
    if (!*ok || !val) {
        lpc_free(val);
        *ok = 0;
        return;
    }
    if (lpc_object_set(obj, key, strlen(key), val) != LPC_OK) *ok = 0;
}

static lpc_value *clone_of(const lpc_value *v)
{
    lpc_value *c = NULL;
    if (!v) return lpc_new_null();
    return lpc_clone(v, &c) == LPC_OK ? c : NULL;
}

/* ---- hotkey_authority_v2.build_application_signature_request_v2 (binding only) ---- */

/* ^[1-9A-HJ-NP-Za-km-z]{40,64}$ */
static int is_ss58_hotkey(const char *s, size_t n)
{
    if (n < 40 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N') || (c >= 'P' && c <= 'Z') ||
                 (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
        if (!ok) return 0;
    }
    return 1;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* binding.parse_binding_message(text) succeeds and parts.get("version", "") is a full
 * commit.  '|' and '=' never occur inside a multi-byte UTF-8 sequence, so bytes do. */
static int binding_ok(const char *s, size_t n)
{
    static const char *const known[] = {"netuid", "chain", "enclave_pubkey", "validator_code_hash", "version"};
    int seen[5] = {0};
    const char *version = "";
    size_t version_len = 0;
    size_t i = 0;
    while (i < n && s[i] != '|') i++;
    if (i != strlen("LEADPOET_VALIDATOR_BINDING") || memcmp(s, "LEADPOET_VALIDATOR_BINDING", i) != 0) return 0;
    while (i < n) {   /* s[i] == '|': the next token runs to the next '|' or the end */
        size_t a = ++i;
        while (i < n && s[i] != '|') i++;
        const char *eq = memchr(s + a, '=', i - a);
        if (!eq) return 0;                               /* Malformed token */
        size_t kl = (size_t)(eq - (s + a));
        int k = -1;
        for (int j = 0; j < 5; j++)
            if (strlen(known[j]) == kl && memcmp(known[j], s + a, kl) == 0) k = j;
        /* a duplicate is reported before unknown keys, but both fail */
        if (k < 0) {
            /* an unknown key may still be a duplicate of another unknown one: fails either way */
            return 0;
        }
        if (seen[k]) return 0;                           /* Duplicate key */
        seen[k] = 1;
        if (k == 4) {
            version = eq + 1;
            version_len = (size_t)(s + i - (eq + 1));
        }
    }
    for (int j = 0; j < 4; j++)
        if (!seen[j]) return 0;                          /* Missing required keys */
    return lpc_v2_is_commit_sha(version, version_len);
}

/* ---- classify_application_message_v2 (hotkey_authority_v2.py:1131-1266) ----
 * The message's purpose, or "invalid" for a HotkeyAuthorityV2Error.  The three
 * prefixed request formats and the curation documents are refused (UNSUPPORTED). */

typedef struct {
    const char *p, *end;
} cursor;

static int lit(cursor *c, const char *s, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0) return 0;
    c->p += n;
    return 1;
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static int is_hexlow(char ch) { return is_digit(ch) || (ch >= 'a' && ch <= 'f'); }
static int is_hexdash(char ch) { return is_hexlow(ch) || ch == '-'; }

/* exactly n characters of class f */
static int run_exact(cursor *c, int (*f)(char), size_t n)
{
    if ((size_t)(c->end - c->p) < n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!f(c->p[i])) return 0;
    c->p += n;
    return 1;
}

/* lo..hi characters of class f, greedily (callers use it where no backtracking can help) */
static size_t run_greedy(cursor *c, int (*f)(char), size_t hi)
{
    size_t k = 0;
    while (c->p + k < c->end && k < hi && f(c->p[k])) k++;
    c->p += k;
    return k;
}

static int is_batch_tail(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '_' || ch == '.' || ch == ':' ||
           ch == '/' || ch == '-';
}

static int is_score_id(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '_' || ch == '.' || ch == ':' ||
           ch == '-';
}

static int at_end(const cursor *c) { return c->p == c->end; }

/* _UUID_RE (re.IGNORECASE): 8-4-[1-5]3-[89ab]3-12 hex */
static int is_uuid(const char *s, size_t n)
{
    static const char shape[] = "xxxxxxxx-xxxx-Vxxx-Wxxx-xxxxxxxxxxxx";
    if (n != sizeof shape - 1) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], lc = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        switch (shape[i]) {
        case '-': if (c != '-') return 0; break;
        case 'V': if (!(c >= '1' && c <= '5')) return 0; break;
        case 'W': if (!(lc == '8' || lc == '9' || lc == 'a' || lc == 'b')) return 0; break;
        default: if (!is_hexlow(lc)) return 0;
        }
    }
    return 1;
}

static int all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return 0;
    return 1;
}

static int ascii_digits(const char *s, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

enum { CLASS_OK = 0, CLASS_INVALID = 1 };

static lp_code not_ported(lpc_referr *err, const char *what)
{
    return lpc_referr_set(err, LP_CODE_UNSUPPORTED, "Unsupported",
                          "binding_message is %s: that branch of classify_application_message_v2 is not ported", what);
}

static lp_code classify(const char *msg, size_t n, const char *hk, size_t hn, const char **purpose, int *invalid,
                        lpc_referr *err)
{
    *purpose = NULL;
    *invalid = 0;
    if (starts_with(msg, n, "LEADPOET_WEIGHT_INPUTS_V2|")) return not_ported(err, "a weight inputs request");
    if (starts_with(msg, n, "LEADPOET_WEIGHT_TRANSPORT_V2|")) return not_ported(err, "a weight transport authorization");
    if (starts_with(msg, n, "LEADPOET_SUBNET_EPOCH_BOUNDARY_CANDIDATE_V1|"))
        return not_ported(err, "a subnet epoch candidate");
    if (starts_with(msg, n, "LEADPOET_VALIDATOR_BINDING|")) {
        if (binding_ok(msg, n)) *purpose = GATEWAY_BINDING;
        else *invalid = 1;
        return LP_CODE_OK;
    }
    cursor c;
    /* GET_EPOCH_LEADS:[0-9]+:<hotkey> */
    c = (cursor){msg, msg + n};
    if (lit(&c, "GET_EPOCH_LEADS:", 16) && run_greedy(&c, is_digit, (size_t)-1) && lit(&c, ":", 1) && lit(&c, hk, hn) &&
        at_end(&c)) {
        *purpose = "validator.gateway_epoch_leads.v2";
        return LP_CODE_OK;
    }
    /* VALIDATION_RESULT_BATCH:<hk>:[0-9a-f-]{36}:<YYYY-MM-DDTHH:MM:SS>(\.[0-9]{1,6})?+00:00:[0-9a-f]{64}:[A-Za-z0-9_.:/-]{1,128} */
    c = (cursor){msg, msg + n};
    if (lit(&c, "VALIDATION_RESULT_BATCH:", 24) && lit(&c, hk, hn) && lit(&c, ":", 1) && run_exact(&c, is_hexdash, 36) &&
        lit(&c, ":", 1) && run_exact(&c, is_digit, 4) && lit(&c, "-", 1) && run_exact(&c, is_digit, 2) && lit(&c, "-", 1) &&
        run_exact(&c, is_digit, 2) && lit(&c, "T", 1) && run_exact(&c, is_digit, 2) && lit(&c, ":", 1) &&
        run_exact(&c, is_digit, 2) && lit(&c, ":", 1) && run_exact(&c, is_digit, 2)) {
        int ok = 1;
        if (c.p < c.end && *c.p == '.') {
            c.p++;
            size_t k = run_greedy(&c, is_digit, 6);
            ok = k >= 1;
        }
        if (ok && lit(&c, "+00:00:", 7) && run_exact(&c, is_hexlow, 64) && lit(&c, ":", 1)) {
            size_t k = run_greedy(&c, is_batch_tail, 128);
            if (k >= 1 && at_end(&c)) {
                *purpose = "validator.gateway_validation_batch.v2";
                return LP_CODE_OK;
            }
        }
    }
    /* FULFILLMENT_SCORING:<hk>::[0-9a-f-]{36}:[0-9]+ */
    c = (cursor){msg, msg + n};
    if (lit(&c, "FULFILLMENT_SCORING:", 20) && lit(&c, hk, hn) && lit(&c, "::", 2) && run_exact(&c, is_hexdash, 36) &&
        lit(&c, ":", 1) && run_greedy(&c, is_digit, (size_t)-1) && at_end(&c)) {
        *purpose = "validator.fulfillment_scoring_fetch.v2";
        return LP_CODE_OK;
    }
    /* FULFILLMENT_SCORE:<hk>:[A-Za-z0-9_.:-]{1,256}:[0-9a-f-]{36}:[0-9]+ : the digits follow the
     * last ':', the 36 before it are fixed, the rest is the id */
    c = (cursor){msg, msg + n};
    if (lit(&c, "FULFILLMENT_SCORE:", 18) && lit(&c, hk, hn) && lit(&c, ":", 1)) {
        const char *rest = c.p;
        size_t rn = (size_t)(c.end - rest), d = 0;
        while (d < rn && is_digit(rest[rn - 1 - d])) d++;
        if (d >= 1 && rn >= d + 1 + 36 + 1 + 1 && rest[rn - d - 1] == ':' && rest[rn - d - 38] == ':') {
            cursor u = {rest + rn - d - 37, rest + rn - d - 1};
            size_t idn = rn - d - 38;
            cursor id = {rest, rest + idn};
            if (run_exact(&u, is_hexdash, 36) && idn >= 1 && idn <= 256 && run_greedy(&id, is_score_id, 256) == idn) {
                *purpose = "validator.fulfillment_score_submit.v2";
                return LP_CODE_OK;
            }
        }
    }
    /* [0-9]{9,20} */
    if (n >= 9 && n <= 20 && ascii_digits(msg, n)) {
        *purpose = "validator.qualification_registration.v2";
        return LP_CODE_OK;
    }
    /* len(text) > 10 and text[:10].isdigit(): a curation document (not ported) */
    {
        size_t chars = 0, i = 0, prefix_bytes = 0;
        while (i < n && chars < 10) {
            unsigned char ch = (unsigned char)msg[i];
            i += ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
            chars++;
        }
        prefix_bytes = i > n ? n : i;
        if (chars == 10 && prefix_bytes < n) {
            if (!all_ascii(msg, prefix_bytes)) return not_ported(err, "led by non-ASCII text str.isdigit() may accept");
            if (ascii_digits(msg, prefix_bytes)) return not_ported(err, "a curation request");
        }
    }
    /* text.split("."): a dendrite request (5 parts) or an axon response (4 parts) */
    size_t parts = 1;
    for (size_t i = 0; i < n; i++) parts += msg[i] == '.';
    if (parts == 4 || parts == 5) {
        const char *ps[5];
        size_t pn[5], k = 0, start = 0;
        for (size_t i = 0; i <= n; i++)
            if (i == n || msg[i] == '.') {
                ps[k] = msg + start;
                pn[k] = i - start;
                k++;
                start = i + 1;
            }
        size_t who = parts == 5 ? 1 : 2;  /* where the validator hotkey stands */
        if (pn[who] == hn && memcmp(ps[who], hk, hn) == 0) {
            if (!all_ascii(ps[0], pn[0])) return not_ported(err, "a nonce str.isdigit() may accept");
            int ok = ascii_digits(ps[0], pn[0]);
            if (parts == 5) {
                ok = ok && is_ss58_hotkey(ps[2], pn[2]) && is_uuid(ps[3], pn[3]) && pn[4] == 64 &&
                     lpc_is_lower_hex(ps[4], 64);
                *purpose = "validator.bittensor_dendrite.v2";
            } else {
                ok = ok && is_ss58_hotkey(ps[1], pn[1]) && is_uuid(ps[3], pn[3]);
                *purpose = "validator.bittensor_axon.v2";
            }
            if (!ok) {
                *purpose = NULL;
                *invalid = 1;
            }
            return LP_CODE_OK;
        }
    }
    *invalid = 1;   /* "application message domain is not authorized" */
    return LP_CODE_OK;
}

/* build_application_signature_request_v2: the request in *req, or *invalid for a
 * HotkeyAuthorityV2Error (the caller's "input is invalid"); else an error in err
 * (UNSUPPORTED for the domains not ported, memory). */
static lp_code application_request(const char *msg, size_t n, const lpc_value *hotkey, const lpc_value *boot_hash,
                                   lpc_value **req, int *invalid, lpc_referr *err)
{
    lp_code rc;
    const char *purpose;
    *req = NULL;
    *invalid = 0;
    if (!is_ss58_hotkey(hotkey->u.s.ptr, hotkey->u.s.len) || n == 0 || n > APP_MESSAGE_MAX) {
        *invalid = 1;
        return LP_CODE_OK;
    }
    if ((rc = classify(msg, n, hotkey->u.s.ptr, hotkey->u.s.len, &purpose, invalid, err))) return rc;
    if (*invalid) return LP_CODE_OK;
    av2_text t;
    av2_text_of(boot_hash, AV2_STRIP | AV2_LOWER, &t);
    if (!lpc_v2_is_sha256_ref(t.b, t.n)) {
        *invalid = 1;
        return LP_CODE_OK;
    }
    char *hex = malloc(2 * n + 1);
    uint8_t d[32];
    char dh[65], mh[LPC_AV2_REF_SIZE];
    if (!hex || lpc_sha256(msg, n, d) != LPC_OK) {
        free(hex);
        return wav2_nomem(err);
    }
    lpc_hex_encode((const uint8_t *)msg, n, hex);
    lpc_hex_encode(d, 32, dh);
    memcpy(mh, "sha256:", 7);
    memcpy(mh + 7, dh, 65);
    lpc_value *body = lpc_new_object();
    int ok = body != NULL;
    put(body, "schema_version", strv(APP_SIG_SCHEMA), &ok);
    put(body, "purpose", strv(purpose), &ok);
    put(body, "validator_hotkey", clone_of(hotkey), &ok);
    put(body, "boot_identity_hash", lpc_new_str(t.b, t.n), &ok);
    put(body, "message_hex", lpc_new_str(hex, 2 * n), &ok);
    put(body, "message_hash", strv(mh), &ok);
    free(hex);
    char rh[LPC_AV2_REF_SIZE];
    rc = LP_CODE_OK;
    if (!ok) rc = wav2_nomem(err);
    else if ((rc = av2_sha256_json(body, rh, err)) == LP_CODE_OK) {
        put(body, "request_hash", strv(rh), &ok);
        if (!ok) rc = wav2_nomem(err);
    }
    if (rc) {
        lpc_free(body);
        return rc;
    }
    *req = body;
    return LP_CODE_OK;
}

static size_t code_points(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* binding_message.encode("utf-8"): a lone surrogate raises UnicodeEncodeError. */
static lp_code encode_utf8(const lpc_value *s, lpc_referr *err)
{
    const unsigned char *p = (const unsigned char *)s->u.s.ptr;
    size_t n = s->u.s.len, pos = 0, first = 0, run = 0;
    uint32_t cp0 = 0;
    for (size_t i = 0; i < n; pos++) {
        unsigned char c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + len > n) len = 1;
        int sur = len == 3 && c == 0xED && p[i + 1] >= 0xA0;
        if (sur) {
            if (!run) {
                first = pos;
                cp0 = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            }
            run++;
        } else if (run) {
            break;
        }
        i += len;
    }
    if (!run) return LP_CODE_OK;
    if (run == 1)
        return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                              "'utf-8' codec can't encode character '\\u%04x' in position %zu: surrogates not allowed",
                              (unsigned)cp0, first);
    return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "UnicodeEncodeError",
                          "'utf-8' codec can't encode characters in position %zu-%zu: surrogates not allowed", first,
                          first + run - 1);
}


lp_code lpc_wav2_binding_documents(const lpc_value *binding_message, const lpc_value *validator_hotkey,
                                   const lpc_value *boot_identity_hash, const lpc_value *signature,
                                   lpc_value **request, lpc_value **output, lpc_referr *err)
{
    lp_code rc;
    int invalid;
    *request = *output = NULL;
    if (!binding_message || binding_message->type != LPC_STR || !validator_hotkey || validator_hotkey->type != LPC_STR ||
        !signature || signature->type != LPC_STR)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "binding documents take the bundle's normalised texts");
    if ((rc = encode_utf8(binding_message, err))) return rc;
    if ((rc = application_request(binding_message->u.s.ptr, binding_message->u.s.len, validator_hotkey,
                                  boot_identity_hash, request, &invalid, err)))
        return rc;
    if (invalid) return wav2_fail(err, "hotkey binding receipt input is invalid");
    lpc_value *bo = lpc_new_object();
    int ok = bo != NULL;
    put(bo, "schema_version", strv(APP_SIG_RESULT), &ok);
    put(bo, "request_hash", clone_of(lpc_get(*request, "request_hash")), &ok);
    put(bo, "purpose", strv(GATEWAY_BINDING), &ok);
    put(bo, "validator_hotkey", clone_of(validator_hotkey), &ok);
    put(bo, "signature", clone_of(signature), &ok);
    if (!ok) {
        lpc_free(bo);
        lpc_free(*request);
        *request = NULL;
        return wav2_nomem(err);
    }
    *output = bo;
    return LP_CODE_OK;
}

/* _verify_weight_signature(pubkey, signature, weights_hash) */
static lp_code weights_signature(const lpc_value *pubkey, const lpc_value *signature, const lpc_value *weights_hash,
                                 lpc_referr *err)
{
    av2_text wh, sig;
    av2_text_of(weights_hash, 0, &wh);
    if (!(wh.n == 64 && lpc_is_lower_hex(wh.b, 64))) return wav2_fail(err, "weights_hash is invalid");
    av2_text_of(signature, AV2_STRIP | AV2_LOWER, &sig);
    if (!(sig.n == 128 && lpc_is_lower_hex(sig.b, 128))) return wav2_fail(err, "weights_signature is invalid");
    uint8_t k[32], s[64], d[32];
    size_t nk = 0, ns, nd;
    int good = pubkey && pubkey->type == LPC_STR &&
               lpc_py_fromhex(pubkey->u.s.ptr, pubkey->u.s.len, k, sizeof k, &nk) == LPC_OK && nk == sizeof k &&
               lpc_py_fromhex(sig.b, sig.n, s, sizeof s, &ns) == LPC_OK && ns == sizeof s &&
               lpc_py_fromhex(wh.b, wh.n, d, sizeof d, &nd) == LPC_OK && nd == sizeof d &&
               lpc_ed25519_verify(s, d, sizeof d, k);
    if (!good) return wav2_fail(err, "invalid enclave-computed weight signature");
    return LP_CODE_OK;
}

/* ---- the bundle ---- */

lp_code lpc_wav2_validate_published_bundle(const lpc_value *bundle, const lpc_wav2_opts *opts, lpc_value **verified,
                                           const char **step, lpc_referr *err)
{
    lp_code rc = LP_CODE_OK;
    const char *st = "envelope";
    lpc_value *computed = NULL, *hotkey = NULL, *purposes = NULL, *order = NULL, *docs = NULL, *roots_tmp = NULL,
              *expected = NULL, *req = NULL, *bout = NULL, *out = NULL, *msg_str = NULL, *sig_str = NULL;
    receipt_map rm = {0};
    span *parents = NULL, *pre = NULL;
    char in[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE];
    int ok = 1, yes;
    *verified = NULL;
    if (step) *step = NULL;

#define FAIL(...) do { rc = wav2_fail(err, __VA_ARGS__); goto done; } while (0)
#define TRY(x) do { if ((rc = (x)) != LP_CODE_OK) goto done; } while (0)

    /* 1. envelope */
    if (!bundle || bundle->type != LPC_OBJECT) FAIL("published weight bundle must be an object");
    ok = bundle->u.o.n == 8;
    for (size_t i = 0; ok && i < 8; i++) ok = lpc_get(bundle, k_bundle_fields[i]) != NULL;
    if (!ok) FAIL("published weight bundle fields do not match V2 schema");
    if (!wav2_eq_str(lpc_get(bundle, "schema_version"), LPC_WAV2_BUNDLE_SCHEMA)) FAIL("unsupported published weight bundle schema");
    const lpc_value *snapshot = lpc_get(bundle, "weight_snapshot"), *claimed = lpc_get(bundle, "weight_result"),
                    *graph = lpc_get(bundle, "receipt_graph");
    if (snapshot->type != LPC_OBJECT) FAIL("weight_snapshot is missing");
    if (claimed->type != LPC_OBJECT) FAIL("weight_result is missing");
    if (graph->type != LPC_OBJECT) FAIL("receipt_graph is missing");

    /* 2. snapshot, result */
    st = "snapshot";
    TRY(lpc_wav2_validate_weight_snapshot(snapshot, &computed, err));
    st = "result";
    if (!lpc_py_eq(claimed, computed)) FAIL("weight_result differs from canonical computation");

    /* 3. hotkey, binding message, hotkey signature */
    st = "hotkey";
    TRY(wav2_validator_hotkey(lpc_get(bundle, "validator_hotkey"), &hotkey, err));
    if (!lpc_py_eq(hotkey, lpc_get(snapshot, "validator_hotkey"))) FAIL("bundle validator_hotkey differs from immutable snapshot");
    {
        const lpc_value *bm = lpc_get(bundle, "binding_message");
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p = "";
        size_t n = 0;
        if (lpc_py_truthy(bm) && lpc_py_str(bm, buf, &p, &n) != LPC_OK) {
            rc = wav2_refuse(err, "str() of a container binding_message");
            goto done;
        }
        if (!(msg_str = lpc_new_str(p, n))) { rc = wav2_nomem(err); goto done; }
        size_t chars = code_points(p, n);
        if (chars < 1 || chars > LPC_WAV2_BINDING_MESSAGE_MAX) FAIL("binding_message is invalid");
    }
    {
        av2_text t;
        av2_text_of(lpc_get(bundle, "validator_hotkey_signature"), AV2_STRIP | AV2_LOWER, &t);
        if (!(t.n == 128 && lpc_is_lower_hex(t.b, 128))) FAIL("validator_hotkey_signature is invalid");
        if (!(sig_str = lpc_new_str(t.b, t.n))) { rc = wav2_nomem(err); goto done; }
    }

    /* 4. the receipt graph with the 17 purposes */
    st = "graph";
    if (!(purposes = lpc_new_array())) { rc = wav2_nomem(err); goto done; }
    {
        static const char *const extra[] = {SNAPSHOT_PURPOSE, COMPUTED_PURPOSE, BINDING_PURPOSE};
        for (size_t i = 0; ok && i < LPC_WAV2_NCATEGORIES + 3; i++) {
            lpc_value *s = strv(i < LPC_WAV2_NCATEGORIES ? lpc_wav2_categories[i].purpose : extra[i - LPC_WAV2_NCATEGORIES]);
            ok = s && lpc_array_append(purposes, s) == LPC_OK;
        }
        if (!ok) { rc = wav2_nomem(err); goto done; }
        lpc_av2_graph_opts go = lpc_av2_graph_opts_default();
        go.required_purposes = purposes;
        if (opts) {
            go.boot_verifier = opts->boot_verifier;
            go.boot_verifier_ctx = opts->boot_verifier_ctx;
            go.require_boot_attestation_verification = opts->require_boot_attestation_verification;
        }
        lpc_referr gerr;
        lpc_referr_clear(&gerr);
        rc = lpc_av2_validate_receipt_graph(graph, &go, &order, &gerr);
        if (rc == LP_CODE_ATTESTED_V2_ERROR) {
            rc = wav2_fail(err, "invalid V2 receipt graph: %s", gerr.message);
            goto done;
        }
        if (rc) {
            if (err) *err = gerr;
            goto done;
        }
    }
    /* a validated legacy graph: receipts a list of objects with unique string hashes */
    rm.arr = lpc_get(graph, "receipts");
    rm.n = rm.arr->u.a.n;
    if (!(rm.by_hash = malloc((rm.n ? rm.n : 1) * sizeof *rm.by_hash))) { rc = wav2_nomem(err); goto done; }
    for (size_t i = 0; i < rm.n; i++) {
        const lpc_value *h = lpc_get(rm.arr->u.a.items[i], "receipt_hash");
        if (!h || h->type != LPC_STR) { rc = wav2_refuse(err, "a receipt hash that is not a string"); goto done; }
        rm.by_hash[i] = (span){h->u.s.ptr, h->u.s.len, i};
    }
    qsort(rm.by_hash, rm.n, sizeof *rm.by_hash, span_cmp);

    /* 5. root: str(graph.get("root_receipt_hash") or "") looked up without normalisation */
    st = "root";
    const lpc_value *root_hash_v = lpc_get(graph, "root_receipt_hash");
    const lpc_value *root = root_hash_v && root_hash_v->type == LPC_STR ? rget_v(&rm, root_hash_v) : NULL;
    if (!root) FAIL("weight receipt graph root is missing");
    if (!wav2_eq_str(lpc_get(root, "role"), WEIGHT_ROLE)) FAIL("weight graph root role is invalid");
    if (!wav2_eq_str(lpc_get(root, "purpose"), BINDING_PURPOSE)) FAIL("weight graph root must be the enclave hotkey binding receipt");

    /* 6. the inputs, in sorted category order */
    st = "inputs";
    TRY(wav2_normalized_inputs(lpc_get(snapshot, "input_receipt_hashes"), in, err));
    const lpc_value *calc = lpc_get(snapshot, "calculation_snapshot");
    TRY(lpc_wav2_input_value_documents(calc, lpc_get(snapshot, "finalized_chain_state_root"),
                                       lpc_get(snapshot, "gateway_authority_event_hash"), &docs, err));
    char roots[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE];
    for (size_t i = 0; i < docs->u.o.n; i++) {   /* computed for every document first, in their order */
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(docs->u.o.items[i].val, h, err));
        for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++)
            if (strcmp(docs->u.o.items[i].key, lpc_wav2_categories[c].category) == 0) memcpy(roots[c], h, sizeof h);
    }
    int64_t epoch;
    if (lpc_py_int(lpc_get(snapshot, "epoch_id"), &epoch) != LPC_PY_OK) { rc = wav2_refuse(err, "int(epoch_id)"); goto done; }
    const lpc_value *attempts = lpc_get(graph, "transport_attempts");
    const lpc_value *inr[LPC_WAV2_NCATEGORIES];
    for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++) {
        const char *cat = lpc_wav2_categories[c].category;
        const lpc_value *r = rget(&rm, in[c], strlen(in[c]));
        inr[c] = r;
        if (!r) FAIL("weight input receipt %s is missing", cat);
        if (!wav2_eq_str(lpc_get(r, "role"), lpc_wav2_categories[c].role)) FAIL("%s receipt role is invalid", cat);
        if (!wav2_eq_str(lpc_get(r, "purpose"), lpc_wav2_categories[c].purpose)) FAIL("%s receipt purpose is invalid", cat);
        TRY(epoch_is(r, epoch, &yes, err));
        if (!yes) FAIL("%s receipt epoch differs from weight epoch", cat);
        if (!wav2_eq_str(lpc_get(r, "output_root"), roots[c])) FAIL("%s receipt output does not bind its weight input", cat);
        TRY(lpc_wav2_validate_input_source_evidence(cat, r, lpc_get(docs, cat), attempts, err));
    }

    /* 7. the validator inputs' own ancestry (indices in lpc_wav2_categories) */
    {
        enum { BURN = 2, CHAIN = 3, CONSTANTS = 5, FLAGS = 6, META = 9 };
        const lpc_value *mp = lpc_get(inr[META], "parent_receipt_hashes");
        if (!(mp && mp->type == LPC_ARRAY && mp->u.a.n == 1 && lpc_str_eq(mp->u.a.items[0], in[CHAIN])))
            FAIL("metagraph receipt must directly bind finalized chain state");
        const lpc_value *bp = lpc_get(inr[BURN], "parent_receipt_hashes");
        if (!(bp && bp->type == LPC_ARRAY && bp->u.a.n == 1 && lpc_str_eq(bp->u.a.items[0], in[META])))
            FAIL("burn ownership receipt must directly bind metagraph state");
        const int none[2] = {FLAGS, CONSTANTS};
        for (int k = 0; k < 2; k++) {
            const lpc_value *pp = lpc_get(inr[none[k]], "parent_receipt_hashes");
            if (!(pp && pp->type == LPC_ARRAY && pp->u.a.n == 0))
                FAIL("%s receipt cannot inherit host-provided ancestry", lpc_wav2_categories[none[k]].category);
        }
    }

    /* 8. binding <- computed <- snapshot, one boot */
    st = "validator_chain";
    const lpc_value *rp = lpc_get(root, "parent_receipt_hashes");
    size_t nrp = rp && rp->type == LPC_ARRAY ? rp->u.a.n : 0;   /* validated: a list */
    if (nrp != 1) FAIL("hotkey binding receipt must have one computed-weight parent");
    const lpc_value *comp = rget_v(&rm, rp->u.a.items[0]);
    if (!(comp && wav2_eq_str(lpc_get(comp, "role"), WEIGHT_ROLE) && wav2_eq_str(lpc_get(comp, "purpose"), COMPUTED_PURPOSE)))
        FAIL("hotkey binding receipt parent is not computed weights");
    const lpc_value *cp = lpc_get(comp, "parent_receipt_hashes");
    size_t ncp = cp && cp->type == LPC_ARRAY ? cp->u.a.n : 0;
    if (ncp != 1) FAIL("computed weight receipt must have one snapshot parent");
    const lpc_value *snap_r = rget_v(&rm, cp->u.a.items[0]);
    if (!(snap_r && wav2_eq_str(lpc_get(snap_r, "role"), WEIGHT_ROLE) &&
          wav2_eq_str(lpc_get(snap_r, "purpose"), SNAPSHOT_PURPOSE)))
        FAIL("computed weight receipt parent is not a weight snapshot");
    if (!(wav2_eq(lpc_get(snap_r, "boot_identity_hash"), lpc_get(comp, "boot_identity_hash")) &&
          wav2_eq(lpc_get(comp, "boot_identity_hash"), lpc_get(root, "boot_identity_hash"))))
        FAIL("current weight receipts use different validator boots");

    /* 9. the snapshot receipt binds the complete input proof frontier */
    {
        const lpc_value *cur[3] = {root, comp, snap_r};
        size_t npre = 0, nedges = 0;
        for (size_t i = 0; i < rm.n; i++) {
            const lpc_value *ps = lpc_get(rm.arr->u.a.items[i], "parent_receipt_hashes");
            if (ps && ps->type == LPC_ARRAY) nedges += ps->u.a.n;
        }
        if (!(pre = malloc((rm.n ? rm.n : 1) * sizeof *pre)) || !(parents = malloc((nedges ? nedges : 1) * sizeof *parents))) {
            rc = wav2_nomem(err);
            goto done;
        }
        size_t np = 0;
        for (size_t i = 0; i < rm.n; i++) {
            const lpc_value *r = rm.arr->u.a.items[i];
            if (r == cur[0] || r == cur[1] || r == cur[2]) continue;
            const lpc_value *h = lpc_get(r, "receipt_hash");
            pre[npre++] = (span){h->u.s.ptr, h->u.s.len, i};
            const lpc_value *ps = lpc_get(r, "parent_receipt_hashes");
            for (size_t k = 0; ps && ps->type == LPC_ARRAY && k < ps->u.a.n; k++) {
                const lpc_value *x = ps->u.a.items[k];
                if (x->type != LPC_STR) { rc = wav2_refuse(err, "a parent hash that is not a string"); goto done; }
                parents[np++] = (span){x->u.s.ptr, x->u.s.len, 0};
            }
        }
        qsort(parents, np, sizeof *parents, span_cmp);
        /* sorted(set(inputs) | set(terminal)): the terminal pre-snapshot hashes plus the inputs */
        size_t nt = 0;
        for (size_t i = 0; i < npre; i++)
            if (!span_find(parents, np, pre[i].p, pre[i].n)) pre[nt++] = pre[i];
        span *all = realloc(pre, (nt + LPC_WAV2_NCATEGORIES + 1) * sizeof *all);
        if (!all) { rc = wav2_nomem(err); goto done; }
        pre = all;
        for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++) pre[nt++] = (span){in[c], strlen(in[c]), 0};
        qsort(pre, nt, sizeof *pre, span_cmp);
        if (!(expected = lpc_new_array())) { rc = wav2_nomem(err); goto done; }
        for (size_t i = 0; ok && i < nt; i++) {
            if (i && span_cmp(&pre[i - 1], &pre[i]) == 0) continue;
            lpc_value *s = lpc_new_str(pre[i].p, pre[i].n);
            ok = s && lpc_array_append(expected, s) == LPC_OK;
        }
        if (!ok) { rc = wav2_nomem(err); goto done; }
        if (!wav2_eq(lpc_get(snap_r, "parent_receipt_hashes"), expected))
            FAIL("snapshot receipt parents differ from the complete input proof frontier");
    }
    if (!wav2_eq(lpc_get(snap_r, "input_root"), lpc_get(snapshot, "source_input_root"))) FAIL("snapshot receipt input root mismatch");
    if (!wav2_eq(lpc_get(snap_r, "output_root"), lpc_get(snapshot, "snapshot_hash"))) FAIL("snapshot receipt output root mismatch");
    TRY(epoch_is(snap_r, epoch, &yes, err));
    if (!yes) FAIL("snapshot receipt epoch mismatch");

    /* 10. the computed receipt */
    {
        const lpc_value *sh = lpc_get(snap_r, "receipt_hash");
        if (!(cp->u.a.n == 1 && wav2_eq(cp->u.a.items[0], sh))) FAIL("computed weight receipt must directly bind the snapshot receipt");
    }
    if (!wav2_eq(lpc_get(comp, "input_root"), lpc_get(snapshot, "snapshot_hash"))) FAIL("computed weight receipt input mismatch");
    {
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(computed, h, err));
        if (!wav2_eq_str(lpc_get(comp, "output_root"), h)) FAIL("computed weight receipt output mismatch");
    }
    TRY(epoch_is(comp, epoch, &yes, err));
    if (!yes) FAIL("computed weight receipt epoch mismatch");
    if (!wav2_eq(lpc_get(comp, "commit_sha"), lpc_get(calc, "commit_sha"))) FAIL("computed weight receipt commit mismatch");

    /* 11. the hotkey binding receipt */
    st = "binding";
    {
        TRY(lpc_wav2_binding_documents(msg_str, hotkey, lpc_get(root, "boot_identity_hash"), sig_str, &req, &bout, err));
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(bout, h, err));
        if (!wav2_eq(lpc_get(root, "input_root"), lpc_get(req, "request_hash"))) FAIL("hotkey binding receipt input mismatch");
        if (!wav2_eq_str(lpc_get(root, "output_root"), h)) FAIL("hotkey binding receipt output mismatch");
        TRY(epoch_is(root, epoch, &yes, err));
        if (!yes) FAIL("hotkey binding receipt epoch mismatch");
    }

    /* 12. the enclave's signature over the weights hash */
    st = "weights_signature";
    TRY(weights_signature(lpc_get(comp, "enclave_pubkey"), lpc_get(bundle, "weights_signature"),
                          lpc_get(computed, "weights_hash"), err));

    /* the return value */
    st = NULL;
    {
        char bh[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(bundle, bh, err));
        if (!(out = lpc_new_object())) { rc = wav2_nomem(err); goto done; }
        ok = 1;
        put(out, "bundle_hash", strv(bh), &ok);
        put(out, "root_receipt_hash", clone_of(root_hash_v), &ok);
        put(out, "weight_receipt_hash", clone_of(lpc_get(comp, "receipt_hash")), &ok);
        put(out, "snapshot_receipt_hash", clone_of(lpc_get(snap_r, "receipt_hash")), &ok);
        put(out, "snapshot_hash", clone_of(lpc_get(snapshot, "snapshot_hash")), &ok);
        put(out, "validator_hotkey", clone_of(hotkey), &ok);
        put(out, "binding_message", clone_of(msg_str), &ok);
        put(out, "validator_hotkey_signature", clone_of(sig_str), &ok);
        put(out, "netuid", clone_of(lpc_get(computed, "netuid")), &ok);
        put(out, "epoch_id", clone_of(lpc_get(computed, "epoch_id")), &ok);
        put(out, "block", clone_of(lpc_get(computed, "block")), &ok);
        put(out, "uids", clone_of(lpc_get(computed, "sparse_uids")), &ok);
        put(out, "weights_u16", clone_of(lpc_get(computed, "sparse_weights_u16")), &ok);
        put(out, "weights_hash", clone_of(lpc_get(computed, "weights_hash")), &ok);
        put(out, "validator_enclave_pubkey", clone_of(lpc_get(comp, "enclave_pubkey")), &ok);
        put(out, "validator_boot_identity_hash", clone_of(lpc_get(comp, "boot_identity_hash")), &ok);
        if (!ok) { rc = wav2_nomem(err); goto done; }
        *verified = out;
        out = NULL;
    }
#undef FAIL
#undef TRY
done:
    if (rc != LP_CODE_OK && step) *step = st;
    lpc_free(computed);
    lpc_free(hotkey);
    lpc_free(purposes);
    lpc_free(order);
    lpc_free(docs);
    lpc_free(roots_tmp);
    lpc_free(expected);
    lpc_free(req);
    lpc_free(bout);
    lpc_free(out);
    lpc_free(msg_str);
    lpc_free(sig_str);
    free(rm.by_hash);
    free(parents);
    free(pre);
    return rc;
}

/* ---- refcall adapters ---- */

static lp_code call_check(const char *fn, const lpc_value *args, const lpc_value *kwargs, size_t npos_max,
                          const char *const *kw, lpc_referr *err)
{
    size_t npos = args && args->type == LPC_ARRAY ? args->u.a.n : 0;
    if (args && args->type != LPC_ARRAY)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() arguments must be a list", fn);
    if (npos > npos_max)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() takes %zu positional argument%s but %zu %s given",
                              fn, npos_max, npos_max == 1 ? "" : "s", npos, npos == 1 ? "was" : "were");
    if (kwargs && kwargs->type != LPC_OBJECT)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() keyword arguments must be a dict", fn);
    for (size_t i = 0; kwargs && i < kwargs->u.o.n; i++) {
        int known = 0;
        for (const char *const *w = kw; *w; w++) known |= strcmp(kwargs->u.o.items[i].key, *w) == 0;
        if (!known)
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() got an unexpected keyword argument '%s'", fn,
                                  kwargs->u.o.items[i].key);
    }
    return LP_CODE_OK;
}

/* required keyword-only arguments, named in Python's message */
static lp_code need_kw(const char *fn, const lpc_value *kwargs, const char *const *req, lpc_referr *err)
{
    const char *missing[8];
    size_t nm = 0;
    for (const char *const *w = req; *w && nm < 8; w++)
        if (!lpc_get(kwargs, *w)) missing[nm++] = *w;
    if (!nm) return LP_CODE_OK;
    char list[256] = "";
    size_t at = 0;
    for (size_t k = 0; k < nm && at < sizeof list - 1; k++) {
        const char *sep = k == 0 ? "" : k + 1 == nm ? (nm > 2 ? ", and " : " and ") : ", ";
        size_t room = sizeof list - at;
        int w = snprintf(list + at, room, "%s'%s'", sep, missing[k]);
        at = w < 0 || (size_t)w >= room ? sizeof list - 1 : at + (size_t)w;
    }
    return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() missing %zu required keyword-only argument%s: %s",
                          fn, nm, nm > 1 ? "s" : "", list);
}

static const char *const k_doc_kw[] = {"calculation_snapshot", "finalized_chain_state_root",
                                       "gateway_authority_event_hash", NULL};

static lp_code ref_documents(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("weight_input_value_documents_v2", args, kwargs, 0, k_doc_kw, err)) ||
        (rc = need_kw("weight_input_value_documents_v2", kwargs, k_doc_kw, err)))
        return rc;
    return lpc_wav2_input_value_documents(lpc_get(kwargs, k_doc_kw[0]), lpc_get(kwargs, k_doc_kw[1]),
                                          lpc_get(kwargs, k_doc_kw[2]), result, err);
}

static lp_code ref_roots(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("weight_input_output_roots_v2", args, kwargs, 0, k_doc_kw, err)) ||
        (rc = need_kw("weight_input_output_roots_v2", kwargs, k_doc_kw, err)))
        return rc;
    return lpc_wav2_input_output_roots(lpc_get(kwargs, k_doc_kw[0]), lpc_get(kwargs, k_doc_kw[1]),
                                       lpc_get(kwargs, k_doc_kw[2]), result, err);
}

static lp_code ref_build_snapshot(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"validator_hotkey", "calculation_snapshot", "input_receipt_hashes",
                                     "finalized_chain_state_root", "gateway_authority_event_hash", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("build_weight_snapshot_v2", args, kwargs, 0, kw, err))) return rc;
    return lpc_wav2_build_weight_snapshot(kwargs, result, err);
}

static lp_code ref_validate_snapshot(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                     lpc_referr *err)
{
    static const char *const kw[] = {"snapshot", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("validate_weight_snapshot_v2", args, kwargs, 1, kw, err))) return rc;
    const lpc_value *s = lpc_refcall_arg(args, kwargs, 0, "snapshot");
    if (!s)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_weight_snapshot_v2() missing 1 required positional argument: 'snapshot'");
    return lpc_wav2_validate_weight_snapshot(s, result, err);
}

static lp_code ref_source_evidence(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                   lpc_referr *err)
{
    static const char *const kw[] = {"category", "receipt", "document", "transport_attempts", NULL};
    static const char *const fn = "validate_weight_input_source_evidence_v2";
    lp_code rc;
    *result = NULL;
    if ((rc = call_check(fn, args, kwargs, 0, kw, err)) || (rc = need_kw(fn, kwargs, kw, err))) return rc;
    /* str(category or ""): only a string can name a category; one with a NUL names none */
    const lpc_value *c = lpc_get(kwargs, "category");
    const char *cat = "";
    if (c && c->type == LPC_STR) cat = strlen(c->u.s.ptr) == c->u.s.len ? c->u.s.ptr : "\x01";
    else if (lpc_py_truthy(c)) cat = "\x01";
    if ((rc = lpc_wav2_validate_input_source_evidence(cat, lpc_get(kwargs, "receipt"), lpc_get(kwargs, "document"),
                                                      lpc_get(kwargs, "transport_attempts"), err)))
        return rc;
    *result = lpc_new_null();
    return *result ? LP_CODE_OK : wav2_nomem(err);
}

static lp_code ref_validate_bundle(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                   lpc_referr *err)
{
    static const char *const kw[] = {"bundle", "boot_attestation_verifier", "require_boot_attestation_verification", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("validate_published_weight_bundle_v2", args, kwargs, 1, kw, err))) return rc;
    const lpc_value *b = lpc_refcall_arg(args, kwargs, 0, "bundle");
    if (!b)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_published_weight_bundle_v2() missing 1 required positional argument: 'bundle'");
    /* a callable cannot cross the JSON boundary: only None is accepted here */
    const lpc_value *verifier = lpc_get(kwargs, "boot_attestation_verifier");
    if (verifier && verifier->type != LPC_NULL)
        return lpc_referr_set(err, LP_CODE_UNSUPPORTED, "Unsupported", "boot_attestation_verifier is not supported");
    lpc_wav2_opts o = {NULL, NULL, 0};
    const lpc_value *v = lpc_get(kwargs, "require_boot_attestation_verification");
    if (v) o.require_boot_attestation_verification = lpc_py_truthy(v);
    return lpc_wav2_validate_published_bundle(b, &o, result, NULL, err);
}

const lpc_refcall_entry lpc_refcall_weight_authority_v2[] = {
    {"weight_authority_v2.weight_input_value_documents_v2", ref_documents},
    {"weight_authority_v2.weight_input_output_roots_v2", ref_roots},
    {"weight_authority_v2.build_weight_snapshot_v2", ref_build_snapshot},
    {"weight_authority_v2.validate_weight_snapshot_v2", ref_validate_snapshot},
    {"weight_authority_v2.validate_weight_input_source_evidence_v2", ref_source_evidence},
    {"weight_authority_v2.validate_published_weight_bundle_v2", ref_validate_bundle},
    {NULL, NULL},
};
