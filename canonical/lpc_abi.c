/* The stable ABI (leadpoet_canonical.h) over the internal canonical API. */
#include "canonical/leadpoet_canonical.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_commit.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_sr25519.h"
#include "canonical/lpc_weights.h"

int leadpoet_abi_version(void) { return LEADPOET_CANONICAL_ABI; }
const char *leadpoet_strerror(int code) { return lpc_strerror((lpc_err)code); }
const char *leadpoet_errname(int code) { return lpc_errname((lpc_err)code); }
void leadpoet_free(void *p) { free(p); }

static lpc_err dump_text(const uint8_t *json, size_t len, const char *profile, lpc_buf *out)
{
    lpc_profile p;
    lpc_value *v = NULL;
    if (!profile || lpc_profile_from_name(profile, &p) != LPC_OK) return LPC_ERR_ARG;
    lpc_err e = lpc_parse(json, len, &v, NULL);
    if (e) return e;
    e = lpc_dump(v, p, out);
    lpc_free(v);
    return e;
}

int leadpoet_canonical_dumps(const uint8_t *json, size_t len, const char *profile,
                             uint8_t **out, size_t *out_len)
{
    if (!out || !out_len) return LPC_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    lpc_buf b = {0};
    lpc_err e = dump_text(json, len, profile, &b);
    if (e) {
        lpc_buf_free(&b);
        return e;
    }
    if (!b.ptr) { /* empty output cannot happen for a JSON value, but keep the contract */
        b.ptr = calloc(1, 1);
        if (!b.ptr) return LPC_ERR_NOMEM;
    }
    *out = b.ptr;
    *out_len = b.len;
    return LPC_OK;
}

int leadpoet_canonical_csa_from_text(const uint8_t *json, size_t len, const char *key, size_t span[2],
                                     uint8_t **out, size_t *out_len)
{
    if (!out || !out_len || (key && !span)) return LPC_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    lpc_buf b = {0};
    lpc_csa_scratch s = {0};
    lpc_err e = lpc_csa_from_text(json, len, &s, key, span, &b);
    lpc_csa_scratch_free(&s);
    if (e) {
        lpc_buf_free(&b);
        return e;
    }
    *out = b.ptr; /* a JSON value is never empty, so b.ptr is set */
    *out_len = b.len;
    return LPC_OK;
}

int leadpoet_canonical_sha256_hex(const uint8_t *json, size_t len, const char *profile,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    lpc_buf b = {0};
    lpc_err e = dump_text(json, len, profile, &b);
    if (!e) e = lpc_sha256_hex(b.ptr, b.len, out_hex);
    lpc_buf_free(&b);
    return e;
}

int leadpoet_sha256_hex(const uint8_t *data, size_t len, char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    return lpc_sha256_hex(data, len, out_hex);
}

double leadpoet_py_round(double x, int ndigits) { return lpc_py_round(x, ndigits); }

size_t leadpoet_float_repr(double x, char out[32])
{
    return lpc_float_repr(x, out);
}

_Static_assert(LEADPOET_MSG_SIZE == LPC_WEIGHTS_MSG_MAX, "message buffer sizes agree");
_Static_assert(LEADPOET_CSA_DECLINED == LPC_ERR_UNSUPPORTED, "declined is the core's UNSUPPORTED");

/* Parallel arrays to pairs; *out is malloc'd (NULL for n == 0). */
static lpc_err to_pairs(const int64_t *uids, const int64_t *weights, size_t n, lpc_weight_pair **out)
{
    *out = NULL;
    if (n == 0) return LPC_OK;
    if (!uids || !weights) return LPC_ERR_ARG;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;
    lpc_weight_pair *p = malloc(n * sizeof *p);
    if (!p) return LPC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) p[i] = (lpc_weight_pair){uids[i], weights[i]};
    *out = p;
    return LPC_OK;
}

int leadpoet_normalize_to_u16(const int64_t *uids, const double *weights, size_t n,
                              int64_t *out_uids, uint16_t *out_weights, size_t *out_n)
{
    return lpc_normalize_to_u16(uids, weights, n, out_uids, out_weights, out_n);
}

static int weights_hash_abi(int has_block, int64_t netuid, int64_t epoch_id, int64_t block,
                            const int64_t *uids, const int64_t *weights, size_t n,
                            char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    lpc_weight_pair *p;
    lpc_err e = to_pairs(uids, weights, n, &p);
    if (e) return e;
    lpc_buf pre = {0};
    e = has_block ? lpc_bundle_weights_hash(netuid, epoch_id, block, p, n, NULL, &pre, out_hex)
                  : lpc_compare_weights_hash(netuid, epoch_id, p, n, NULL, &pre, out_hex);
    lpc_buf_free(&pre);
    free(p);
    return e;
}

int leadpoet_bundle_weights_hash(int64_t netuid, int64_t epoch_id, int64_t block,
                                 const int64_t *uids, const int64_t *weights, size_t n,
                                 char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    return weights_hash_abi(1, netuid, epoch_id, block, uids, weights, n, out_hex);
}

int leadpoet_compare_weights_hash(int64_t netuid, int64_t epoch_id,
                                  const int64_t *uids, const int64_t *weights, size_t n,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    return weights_hash_abi(0, netuid, epoch_id, 0, uids, weights, n, out_hex);
}

int leadpoet_weights_within_tolerance(const int64_t *exp_uids, const int64_t *exp_weights, size_t ne,
                                      const int64_t *act_uids, const int64_t *act_weights, size_t na,
                                      int64_t tolerance, int *within)
{
    lpc_weight_pair *e_p = NULL, *a_p = NULL;
    lpc_err e = to_pairs(exp_uids, exp_weights, ne, &e_p);
    if (!e) e = to_pairs(act_uids, act_weights, na, &a_p);
    if (!e) e = lpc_weights_within_tolerance(e_p, ne, a_p, na, tolerance, within);
    free(e_p);
    free(a_p);
    return e;
}

int leadpoet_validate_weights_invariants(const int64_t *uids, size_t nu, const int64_t *weights, size_t nw,
                                         char msg[LEADPOET_MSG_SIZE])
{
    return lpc_validate_weights_invariants(uids, nu, weights, nw, msg);
}

int leadpoet_decision_hash(const char *decision, size_t decision_len, const char *salt, size_t salt_len,
                           char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    return lpc_decision_hash(decision, decision_len, salt, salt_len, out_hex);
}

/* Parses one JSON value; *v is freed by the caller. */
static lpc_err parse_one(const void *json, size_t len, lpc_value **v)
{
    if (!json && len) return LPC_ERR_ARG;
    return lpc_parse((const uint8_t *)json, len, v, NULL);
}

int leadpoet_rep_score_hash(const char *rep_score_json, size_t len, const char *salt, size_t salt_len,
                            char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    lpc_value *v = NULL;
    if (!out_hex) return LPC_ERR_ARG;
    lpc_err e = parse_one(rep_score_json, len, &v);
    if (!e) e = lpc_rep_score_hash(v, salt, salt_len, out_hex);
    lpc_free(v);
    return e;
}

int leadpoet_rejection_reason_hash(const uint8_t *reason_json, size_t len, const char *salt, size_t salt_len,
                                   char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    lpc_value *v = NULL;
    if (!out_hex) return LPC_ERR_ARG;
    lpc_err e = parse_one(reason_json, len, &v);
    if (!e) e = lpc_rejection_reason_hash(v, salt, salt_len, out_hex);
    lpc_free(v);
    return e;
}

int leadpoet_rejection_reason_text_hash(const char *reason, size_t len, const char *salt, size_t salt_len,
                                        char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    if (!out_hex) return LPC_ERR_ARG;
    return lpc_rejection_reason_text_hash(reason, len, salt, salt_len, out_hex);
}

int leadpoet_evidence_hash(const uint8_t *evidence_json, size_t len, int clean,
                           char out_hex[LEADPOET_HEX_DIGEST_SIZE])
{
    lpc_value *v = NULL;
    if (!out_hex) return LPC_ERR_ARG;
    lpc_err e = parse_one(evidence_json, len, &v);
    if (!e) e = clean ? lpc_evidence_hash_clean(v, out_hex) : lpc_evidence_hash(v, out_hex);
    lpc_free(v);
    return e;
}

int leadpoet_verify_hotkey_signature(const char *ss58, size_t ss58_len, const uint8_t *message, size_t message_len,
                                     const char *sig_hex, size_t sig_hex_len, int strict, int *verified,
                                     char reason[LEADPOET_REASON_SIZE])
{
    if (!verified || !reason) return LPC_ERR_ARG;
    *verified = 0;
    reason[0] = 0;
    lp_code c = lpc_hotkey_verify(ss58, ss58_len, message, message_len, sig_hex, sig_hex_len,
                                  strict ? LPC_HOTKEY_STRICT : 0, NULL, NULL);
    if (c == LP_CODE_BAD_ARGUMENT) return LPC_ERR_ARG;
    if (c == LP_CODE_CRYPTO_BACKEND) return LPC_ERR_CRYPTO;
    *verified = c == LP_CODE_OK || c == LP_CODE_OK_BYTES_WRAPPED;
    const char *n = lp_code_name(c);
    size_t l = strlen(n);
    if (l >= LEADPOET_REASON_SIZE) l = LEADPOET_REASON_SIZE - 1;
    memcpy(reason, n, l);
    reason[l] = 0;
    return LPC_OK;
}

int leadpoet_refcall(const char *name, const uint8_t *call_json, size_t len, uint8_t **out, size_t *out_len)
{
    if (!name || !out || !out_len) return LPC_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    lpc_refcall_fn fn = lpc_refcall_find(name);
    if (!fn) return LPC_ERR_MISSING;
    lpc_value *call = NULL;
    lpc_err e = lpc_parse(call_json, len, &call, NULL);
    if (e) return e;
    const lpc_value *args = lpc_at(call, 0), *kwargs = lpc_at(call, 1);
    if (call->type != LPC_ARRAY || call->u.a.n != 2 || args->type != LPC_ARRAY || kwargs->type != LPC_OBJECT) {
        lpc_free(call);
        return LPC_ERR_ARG;
    }
    lpc_value *ret = NULL;
    lpc_referr err;
    lpc_referr_clear(&err);
    lp_code c = fn(args, kwargs->u.o.n ? kwargs : NULL, &ret, &err);
    lpc_free(call);
    lpc_value *doc = lpc_new_object();
    int ok = doc != NULL;
    if (c == LP_CODE_OK) {
        ok = ok && lpc_object_set(doc, "ok", 2, ret ? ret : lpc_new_null()) == LPC_OK;
    } else {
        lpc_free(ret);
        lpc_value *x = lpc_new_object();
        ok = ok && x && lpc_object_set(x, "type", 4, lpc_new_str(err.type, strlen(err.type))) == LPC_OK &&
             lpc_object_set(x, "message", 7, lpc_new_str(err.message, strlen(err.message))) == LPC_OK &&
             lpc_object_set(x, "code", 4, lpc_new_str(lp_code_name(c), strlen(lp_code_name(c)))) == LPC_OK;
        if (ok) ok = lpc_object_set(doc, "error", 5, x) == LPC_OK;
        else lpc_free(x);
    }
    lpc_buf b = {0};
    if (ok) ok = lpc_dump_ex(doc, LPC_PROFILE_CS_U, LPC_DUMP_SURROGATEPASS, &b) == LPC_OK;
    lpc_free(doc);
    if (!ok) {
        lpc_buf_free(&b);
        return LPC_ERR_NOMEM;
    }
    *out = b.ptr;
    *out_len = b.len;
    return LPC_OK;
}
