/* Step 11 of validate_published_weight_bundle_v2 (leadpoet-weights-v2.md §8.1):
 * hotkey_authority_v2.build_application_signature_request_v2 and its
 * classify_application_message_v2 (hotkey_authority_v2.py:1131-1283), the UTF-8
 * encoding of the binding message, and the expected binding output. */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_weight_authority_v2_internal.h"

#define APP_SIG_SCHEMA   "leadpoet.application_signature.v2"
#define APP_SIG_RESULT   "leadpoet.application_signature_result.v2"
#define GATEWAY_BINDING  "validator.gateway_binding.v2"
#define APP_MESSAGE_MAX  ((size_t)1024 * 1024)   /* hotkey_authority_v2._application_message_text */

/* ---- the validator binding message (binding.parse_binding_message) ---- */

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
    wav2_put(body, "schema_version", wav2_str(APP_SIG_SCHEMA), &ok);
    wav2_put(body, "purpose", wav2_str(purpose), &ok);
    wav2_put(body, "validator_hotkey", wav2_clone(hotkey), &ok);
    wav2_put(body, "boot_identity_hash", lpc_new_str(t.b, t.n), &ok);
    wav2_put(body, "message_hex", lpc_new_str(hex, 2 * n), &ok);
    wav2_put(body, "message_hash", wav2_str(mh), &ok);
    free(hex);
    char rh[LPC_AV2_REF_SIZE];
    rc = LP_CODE_OK;
    if (!ok) rc = wav2_nomem(err);
    else if ((rc = av2_sha256_json(body, rh, err)) == LP_CODE_OK) {
        wav2_put(body, "request_hash", wav2_str(rh), &ok);
        if (!ok) rc = wav2_nomem(err);
    }
    if (rc) {
        lpc_free(body);
        return rc;
    }
    *req = body;
    return LP_CODE_OK;
}

size_t wav2_code_points(const char *s, size_t n)
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
    wav2_put(bo, "schema_version", wav2_str(APP_SIG_RESULT), &ok);
    wav2_put(bo, "request_hash", wav2_clone(lpc_get(*request, "request_hash")), &ok);
    wav2_put(bo, "purpose", wav2_str(GATEWAY_BINDING), &ok);
    wav2_put(bo, "validator_hotkey", wav2_clone(validator_hotkey), &ok);
    wav2_put(bo, "signature", wav2_clone(signature), &ok);
    if (!ok) {
        lpc_free(bo);
        lpc_free(*request);
        *request = NULL;
        return wav2_nomem(err);
    }
    *output = bo;
    return LP_CODE_OK;
}

