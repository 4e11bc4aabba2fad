/* The gateway's v1 weight submission checks (submission.h; leadpoet-formats.md §10.7). */
#include "audit/submission.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/lpau_err.h"
#include "canonical/lpc_binding.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_weights.h"

/* Untrusted text quoted in a detail (lpau_clip). */
#define SHOW 120

void lpau_submission_opts_init(lpau_submission_opts *o)
{
    memset(o, 0, sizeof *o);
    o->submission_block = LPAU_WEIGHT_SUBMISSION_BLOCK_V1;
}

void lpau_submission_free(lpau_submission *s)
{
    if (!s) return;
    lpc_free(s->doc);
    lpc_free(s->allowed);
    lpc_free(s->accepted);
    free(s->uids);
    free(s->weights);
    lpa_evidence_free(s->ev);
    memset(s, 0, sizeof *s);
}

const char *lpau_submission_nc_name(unsigned bit)
{
    return bit == LPAU_NC_ALLOWED_HOTKEYS ? "allowed_hotkeys"
           : bit == LPAU_NC_ACCEPTED      ? "accepted"
           : bit == LPAU_NC_BLOCK_RULES   ? "gateway_block"
                                          : "";
}

/* Python's // and % for a positive divisor: the quotient rounds down, the remainder is
 * in [0, d). */
static int64_t floordiv(int64_t a, int64_t d)
{
    int64_t q = a / d;
    return (a % d != 0 && a < 0) ? q - 1 : q;
}
static int64_t floormod(int64_t a, int64_t d)
{
    int64_t r = a % d;
    return r < 0 ? r + d : r;
}

/* The JSON text of a string member for a detail, cut on a UTF-8 boundary. */
#define QUOTE(v) lpau_clip((v)->u.s.ptr, (v)->u.s.len, SHOW).n, (v)->u.s.ptr, lpau_clip((v)->u.s.ptr, (v)->u.s.len, SHOW).more

/* Appends src's checks to out with prefix before each name, keeping outcome, flags,
 * code and index. */
static void append_prefixed(lp_checks *out, const char *prefix, const lp_checks *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const lp_check *it = &src->items[i];
        char name[LP_CHECK_NAME_MAX];
        snprintf(name, sizeof name, "%s%s", prefix, it->name);
        lp_check *k = lp_check_add(out, name, it->code, "%s", it->detail);
        if (!k) continue;   /* out->lost is set: the verdict is OUT_OF_MEMORY */
        k->ok = it->ok;
        k->flags = it->flags;
        k->index = it->index;
    }
    if (src->lost) out->lost = 1;
}

/* Parses one input document; an error becomes the named check (undecided). */
static lpc_value *parse_doc(const uint8_t *p, size_t n, const char *check, lp_checks *out)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse(p, n, &v, &off);
    if (e == LPC_OK) return v;
    lp_code c = lpau_lpc_code(e);
    lp_check_add(out, check, lp_code_exit(c) == LP_EXIT_UNDECIDED ? c : LP_CODE_CANONICAL_ERROR, "%s at byte %zu",
                 lpc_strerror(e), off);
    return NULL;
}

/* An int member within int64: LP_CODE_OK, MISSING_FIELD, BAD_TYPE or OUT_OF_RANGE. */
static lp_code get_int(const lpc_value *obj, const char *key, int64_t *out)
{
    const lpc_value *v = lpc_get(obj, key);
    if (!v) return LP_CODE_MISSING_FIELD;
    if (v->type != LPC_INT) return LP_CODE_BAD_TYPE;
    return lpc_int_i64(v, out) ? LP_CODE_OK : LP_CODE_OUT_OF_RANGE;
}

static const char *type_name(const lpc_value *v)
{
    static const char *const names[] = {"null", "bool", "int", "float", "str", "list", "dict"};
    return (unsigned)v->type < sizeof names / sizeof names[0] ? names[v->type] : "?";
}

/* An array of ints into a new int64 array. */
static lp_code get_ints(const lpc_value *obj, const char *key, int64_t **out, size_t *n, char *why, size_t wl)
{
    const lpc_value *v = lpc_get(obj, key);
    if (!v) {
        snprintf(why, wl, "%s: missing", key);
        return LP_CODE_MISSING_FIELD;
    }
    if (v->type != LPC_ARRAY) {
        snprintf(why, wl, "%s: a list of int is required, got %s", key, type_name(v));
        return LP_CODE_BAD_TYPE;
    }
    if (v->u.a.n > LPC_WEIGHTS_MAX_PAIRS) {
        snprintf(why, wl, "%s: %zu items, more than %zu", key, v->u.a.n, LPC_WEIGHTS_MAX_PAIRS);
        return LP_CODE_INPUT_TOO_LARGE;
    }
    *out = malloc((v->u.a.n ? v->u.a.n : 1) * sizeof **out);
    if (!*out) {
        snprintf(why, wl, "out of memory");
        return LP_CODE_OUT_OF_MEMORY;
    }
    *n = v->u.a.n;
    for (size_t i = 0; i < v->u.a.n; i++) {
        const lpc_value *x = v->u.a.items[i];
        if (x->type != LPC_INT) {
            snprintf(why, wl, "%s[%zu]: int required, got %s", key, i, type_name(x));
            return LP_CODE_BAD_TYPE;
        }
        if (!lpc_int_i64(x, &(*out)[i])) {
            snprintf(why, wl, "%s[%zu]: outside int64", key, i);
            return LP_CODE_OUT_OF_RANGE;
        }
    }
    return LP_CODE_OK;
}

/* Step 1a: every member present with its type. */
static int fields_check(lpau_submission *s, lp_checks *out)
{
    static const char *const ints[] = {"netuid", "epoch_id", "block"};
    static const char *const strs[] = {"weights_hash", "validator_hotkey", "validator_enclave_pubkey",
                                       "validator_signature", "validator_attestation_b64", "validator_code_hash",
                                       "binding_message", "validator_hotkey_signature"};
    const lpc_value **dst[] = {&s->weights_hash, &s->hotkey, &s->enclave_pubkey, &s->signature,
                               &s->attestation_b64, &s->code_hash, &s->binding_message, &s->hotkey_signature};
    int64_t *idst[] = {&s->netuid, &s->epoch_id, &s->block};
    char why[LP_CHECK_DETAIL_MAX];
    if (s->doc->type != LPC_OBJECT) {
        lp_check_add(out, "step1.fields", LP_CODE_BAD_TYPE, "the submission is a %s, not a dict", type_name(s->doc));
        return 0;
    }
    for (size_t i = 0; i < 3; i++) {
        lp_code c = get_int(s->doc, ints[i], idst[i]);
        if (c != LP_CODE_OK) {
            lp_check_add(out, "step1.fields", c, "%s: %s", ints[i],
                         c == LP_CODE_MISSING_FIELD ? "missing"
                         : c == LP_CODE_BAD_TYPE    ? "int required"
                                                    : "outside int64");
            return 0;
        }
    }
    lp_code c = get_ints(s->doc, "uids", &s->uids, &s->n_uids, why, sizeof why);
    if (c == LP_CODE_OK) c = get_ints(s->doc, "weights_u16", &s->weights, &s->n_weights, why, sizeof why);
    if (c != LP_CODE_OK) {
        lp_check_add(out, "step1.fields", c, "%s", why);
        return 0;
    }
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const lpc_value *v = lpc_get(s->doc, strs[i]);
        if (!v || v->type != LPC_STR) {
            lp_check_add(out, "step1.fields", v ? LP_CODE_BAD_TYPE : LP_CODE_MISSING_FIELD, "%s: %s", strs[i],
                         v ? "str required" : "missing");
            return 0;
        }
        *dst[i] = v;
    }
    s->fields_ok = 1;
    lp_check_add(out, "step1.fields", LP_CODE_OK, "netuid %lld, epoch_id %lld, block %lld, %zu uids",
                 (long long)s->netuid, (long long)s->epoch_id, (long long)s->block, s->n_uids);
    return 1;
}

static int invariants_check(lpau_submission *s, lp_checks *out)
{
    char msg[LPC_WEIGHTS_MSG_MAX];
    lpc_err e = lpc_validate_weights_invariants(s->uids, s->n_uids, s->weights, s->n_weights, msg);
    if (e == LPC_OK) {
        lp_check_add(out, "step1.invariants", LP_CODE_OK, "sparse bundle rules hold");
        return 1;
    }
    lp_check_add(out, "step1.invariants", e == LPC_ERR_WEIGHTS_INVARIANT ? LP_CODE_WEIGHTS_INVARIANT : lpau_lpc_code(e),
                 "%s", e == LPC_ERR_WEIGHTS_INVARIANT ? msg : lpc_strerror(e));
    return 0;
}

/* The state documents' shapes, before any step: an array of strings; an array of
 * {netuid: int, epoch_id: int, validator_hotkey: str}. */
static int state_shapes(const lpau_submission *s, lp_checks *out)
{
    if (s->allowed) {
        const lpc_value *a = s->allowed;
        if (a->type != LPC_ARRAY) {
            lp_check_add(out, "input.allowed_hotkeys", LP_CODE_BAD_TYPE, "a list of SS58 strings is required, got %s",
                         type_name(a));
            return 0;
        }
        for (size_t i = 0; i < a->u.a.n; i++)
            if (a->u.a.items[i]->type != LPC_STR) {
                lp_check_addi(out, "input.allowed_hotkeys", LP_CODE_BAD_TYPE, i, "[%zu]: str required, got %s", i,
                              type_name(a->u.a.items[i]));
                return 0;
            }
    }
    if (s->accepted) {
        const lpc_value *a = s->accepted;
        if (a->type != LPC_ARRAY) {
            lp_check_add(out, "input.accepted", LP_CODE_BAD_TYPE, "a list of submissions is required, got %s",
                         type_name(a));
            return 0;
        }
        for (size_t i = 0; i < a->u.a.n; i++) {
            const lpc_value *e = a->u.a.items[i];
            int64_t x;
            lp_code c = e->type != LPC_OBJECT ? LP_CODE_BAD_TYPE : get_int(e, "netuid", &x);
            if (c == LP_CODE_OK) c = get_int(e, "epoch_id", &x);
            if (c == LP_CODE_OK) {
                const lpc_value *h = lpc_get(e, "validator_hotkey");
                c = !h ? LP_CODE_MISSING_FIELD : h->type != LPC_STR ? LP_CODE_BAD_TYPE : LP_CODE_OK;
            }
            if (c != LP_CODE_OK) {
                lp_check_addi(out, "input.accepted", c, i,
                              "[%zu]: {netuid: int, epoch_id: int, validator_hotkey: str} required", i);
                return 0;
            }
        }
    }
    return 1;
}

static int str_eq(const lpc_value *a, const lpc_value *b)
{
    return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

static int allowlist_check(lpau_submission *s, lp_checks *out)
{
    if (!s->allowed) {
        s->not_checked |= LPAU_NC_ALLOWED_HOTKEYS;
        lp_check_warn(out, "step2.allowed_hotkeys", LP_CODE_UNSUPPORTED, "not checked: no allowlist given");
        return 1;
    }
    for (size_t i = 0; i < s->allowed->u.a.n; i++)
        if (str_eq(s->allowed->u.a.items[i], s->hotkey)) {
            lp_check_add(out, "step2.allowed_hotkeys", LP_CODE_OK, "hotkey is entry %zu of %zu", i,
                         s->allowed->u.a.n);
            return 1;
        }
    lp_check_add(out, "step2.allowed_hotkeys", LP_CODE_HOTKEY_NOT_ALLOWED, "%.*s%s is not among the %zu allowed hotkeys",
                 QUOTE(s->hotkey), s->allowed->u.a.n);
    return 0;
}

static int duplicate_check(lpau_submission *s, lp_checks *out)
{
    if (!s->accepted) {
        s->not_checked |= LPAU_NC_ACCEPTED;
        lp_check_warn(out, "step3.accepted", LP_CODE_UNSUPPORTED, "not checked: no accepted submissions given");
        return 1;
    }
    for (size_t i = 0; i < s->accepted->u.a.n; i++) {
        const lpc_value *e = s->accepted->u.a.items[i];
        int64_t nu = 0, ep = 0;
        (void)get_int(e, "netuid", &nu);     /* shapes checked by state_shapes */
        (void)get_int(e, "epoch_id", &ep);
        if (nu == s->netuid && ep == s->epoch_id && str_eq(lpc_get(e, "validator_hotkey"), s->hotkey)) {
            lp_check_addi(out, "step3.accepted", LP_CODE_DUPLICATE_SUBMISSION, i,
                          "entry %zu already accepted netuid %lld, epoch_id %lld for this hotkey", i, (long long)nu,
                          (long long)ep);
            return 0;
        }
    }
    lp_check_add(out, "step3.accepted", LP_CODE_OK, "none of the %zu accepted submissions is for this netuid, epoch and hotkey",
                 s->accepted->u.a.n);
    return 1;
}

static int block_checks(lpau_submission *s, const lpau_submission_opts *o, lp_checks *out)
{
    if (!o->has_gateway_block) {
        s->not_checked |= LPAU_NC_BLOCK_RULES;
        lp_check_warn(out, "step4.block_rules", LP_CODE_UNSUPPORTED, "not checked: no gateway block given");
        return 1;
    }
    int64_t gw = o->gateway_block, b = s->block;
    /* the difference of two int64 values fits in uint64 */
    uint64_t drift = gw >= b ? (uint64_t)gw - (uint64_t)b : (uint64_t)b - (uint64_t)gw;
    if (drift > LPAU_MAX_BLOCK_DRIFT) {
        lp_check_add(out, "step4.block_freshness", LP_CODE_BLOCK_NOT_FRESH,
                     "block %lld is %llu blocks from the gateway's %lld (at most %d)", (long long)b,
                     (unsigned long long)drift, (long long)gw, LPAU_MAX_BLOCK_DRIFT);
        return 0;
    }
    lp_check_add(out, "step4.block_freshness", LP_CODE_OK, "block %lld is %llu blocks from the gateway's %lld",
                 (long long)b, (unsigned long long)drift, (long long)gw);
    int64_t be = floordiv(b, LPAU_EPOCH_LENGTH);
    if (s->epoch_id != be) {
        lp_check_add(out, "step4.epoch_of_block", LP_CODE_EPOCH_MISMATCH, "epoch_id %lld is not block // %d = %lld",
                     (long long)s->epoch_id, LPAU_EPOCH_LENGTH, (long long)be);
        return 0;
    }
    lp_check_add(out, "step4.epoch_of_block", LP_CODE_OK, "epoch_id %lld = block // %d", (long long)be, LPAU_EPOCH_LENGTH);
    int64_t at = floormod(b, LPAU_EPOCH_LENGTH);
    /* submission_block is a caller's option: keep the subtraction in range */
    int64_t open = o->submission_block < INT64_MIN + LPAU_EARLY_SUBMISSION_WINDOW
                       ? INT64_MIN
                       : o->submission_block - LPAU_EARLY_SUBMISSION_WINDOW;
    if (at < open) {
        lp_check_add(out, "step4.submission_window", LP_CODE_OUTSIDE_SUBMISSION_WINDOW,
                     "block %lld is block %lld of its epoch; submissions open at %lld (%lld - %d)", (long long)b,
                     (long long)at, (long long)open, (long long)o->submission_block, LPAU_EARLY_SUBMISSION_WINDOW);
        return 0;
    }
    lp_check_add(out, "step4.submission_window", LP_CODE_OK, "block %lld of the epoch, window opens at %lld",
                 (long long)at, (long long)open);
    int64_t ge = floordiv(gw, LPAU_EPOCH_LENGTH), gat = floormod(gw, LPAU_EPOCH_LENGTH);
    int prev_ok = gat < LPAU_MAX_BLOCK_DRIFT;
    if (s->epoch_id == ge || (prev_ok && s->epoch_id == ge - 1)) {
        lp_check_add(out, "step4.gateway_epoch", LP_CODE_OK, "epoch_id %lld is the gateway's %s epoch",
                     (long long)s->epoch_id, s->epoch_id == ge ? "current" : "previous");
        return 1;
    }
    lp_check_add(out, "step4.gateway_epoch", LP_CODE_EPOCH_MISMATCH,
                 "epoch_id %lld is not the gateway's epoch %lld%s", (long long)s->epoch_id, (long long)ge,
                 prev_ok ? " or the previous one" : " (the previous one only in its first 30 blocks)");
    return 0;
}

/* Step 5.  Returns 1 to go on: the attestation passed, or its only failure is the
 * missing PCR0 anchor. */
static int attestation_checks(lpau_submission *s, const lpau_submission_opts *o, lp_checks *out)
{
    lpc_buf cose = {0};
    const lpc_value *b64 = s->attestation_b64;
    lpc_err e = b64->u.s.len > 2 * LPA_MAX_SOURCE ? LPC_ERR_TOO_LARGE
                                                 : lpc_b64_decode(b64->u.s.ptr, b64->u.s.len, LPC_B64_STD, &cose);
    if (e != LPC_OK) {
        lp_check_add(out, "step5.attestation.decode", e == LPC_ERR_NOMEM ? LP_CODE_OUT_OF_MEMORY : LP_CODE_INPUT_DECODE_ERROR,
                     "validator_attestation_b64 is not standard base64 (%s)", lpc_strerror(e));
        lpc_buf_free(&cose);
        return 0;
    }
    lp_check_add(out, "step5.attestation.decode", LP_CODE_OK, "%zu bytes", cose.len);
    if (!(s->ev = lpa_evidence_new())) {
        lpc_buf_free(&cose);
        lp_check_add(out, "step5.attestation", LP_CODE_OUT_OF_MEMORY, "out of memory");
        return 0;
    }
    lp_checks mine;
    lp_checks_init(&mine);
    lp_code v = lpa_verify_evidence(cose.ptr, cose.len, o->attest, o->policy, s->ev, &mine);
    lpc_buf_free(&cose);
    append_prefixed(out, "step5.", &mine);
    lp_checks_free(&mine);
    s->attest_ran = 1;
    s->pcr0_pinned = s->ev->pcr0_pinned;
    s->any_pcr_used = v == LP_CODE_OK && !s->ev->pcr0_pinned;
    if (v != LP_CODE_OK && v != LP_CODE_PCR_NOT_PINNED) return 0;
    const lpa_binding *b = &s->ev->b;
    if (!b->has_purpose || strcmp(b->purpose, LPAU_SUBMISSION_PURPOSE) != 0) {
        lp_check_add(out, "step5.purpose", LP_CODE_PURPOSE_MISMATCH, "user_data purpose is %s%s%s, not %s",
                     b->has_purpose ? "\"" : "", b->has_purpose ? b->purpose : "missing", b->has_purpose ? "\"" : "",
                     LPAU_SUBMISSION_PURPOSE);
        return 0;
    }
    lp_check_add(out, "step5.purpose", LP_CODE_OK, "%s", LPAU_SUBMISSION_PURPOSE);
    if (!b->has_epoch_id || b->epoch_id != s->epoch_id) {
        if (b->has_epoch_id)
            lp_check_add(out, "step5.epoch_id", LP_CODE_USER_DATA_MISMATCH, "user_data epoch_id %lld is not epoch_id %lld",
                         (long long)b->epoch_id, (long long)s->epoch_id);
        else
            lp_check_add(out, "step5.epoch_id", LP_CODE_USER_DATA_MISMATCH, "user_data has no integer epoch_id");
        return 0;
    }
    lp_check_add(out, "step5.epoch_id", LP_CODE_OK, "user_data epoch_id %lld", (long long)b->epoch_id);
    const lpc_value *pk = s->enclave_pubkey;
    size_t kl = strlen(b->enclave_public_key);
    if (!b->found || pk->u.s.len != kl || memcmp(pk->u.s.ptr, b->enclave_public_key, kl) != 0) {
        lp_check_add(out, "step5.enclave_pubkey", LP_CODE_PUBLIC_KEY_MISMATCH,
                     "validator_enclave_pubkey %.*s%s is not the attested key %s", QUOTE(pk),
                     b->found ? b->enclave_public_key : "(none)");
        return 0;
    }
    lp_check_add(out, "step5.enclave_pubkey", LP_CODE_OK, "the attested key %s", b->enclave_public_key);
    return 1;
}

static lpc_strview sv(const lpc_value *v)
{
    lpc_strview r = {v->u.s.ptr, v->u.s.len};
    return r;
}

static int binding_run(lpau_submission *s, const lpau_submission_opts *o, char *err, lp_checks *out)
{
    lpc_binding_parts parts;
    const lpc_value *m = s->binding_message;
    lpc_err e = lpc_binding_parse(m->u.s.ptr, m->u.s.len, &parts, err);
    if (e != LPC_OK) {
        if (e == LPC_ERR_UTF8)
            lp_check_add(out, "step6.binding_parse", LP_CODE_BINDING_REJECTED,
                         "binding_message is not valid UTF-8 (a lone surrogate cannot be encoded: str.encode raises)");
        else if (e == LPC_ERR_BINDING) {
            lpau_quote q = lpau_clip(err, strlen(err), SHOW);
            lp_check_add(out, "step6.binding_parse", LP_CODE_BINDING_REJECTED, "%.*s%s", q.n, err, q.more);
        } else
            lp_check_add(out, "step6.binding_parse", lpau_lpc_code(e), "%s", lpc_strerror(e));
        return 0;
    }
    lp_check_add(out, "step6.binding_parse", LP_CODE_OK, "well formed, %zu fields", parts.nfields);
    const char *chain = o->chain ? o->chain : LPAU_SUBMISSION_CHAIN_DEFAULT;
    lpc_strview cv = {chain, strlen(chain)};
    e = lpc_binding_check_fields(&parts, s->netuid, cv, sv(s->enclave_pubkey), sv(s->code_hash), err);
    if (e != LPC_OK) {
        lpau_quote q = lpau_clip(err, strlen(err), SHOW);
        lp_check_add(out, "step6.binding_fields", e == LPC_ERR_BINDING ? LP_CODE_BINDING_MISMATCH : lpau_lpc_code(e),
                     "%.*s%s", q.n, err, q.more);
        return 0;
    }
    lp_check_add(out, "step6.binding_fields", LP_CODE_OK, "netuid, chain, enclave_pubkey and validator_code_hash match");
    lp_checks mine;
    lp_checks_init(&mine);
    lp_code r = lpc_hotkey_verify(s->hotkey->u.s.ptr, s->hotkey->u.s.len, (const uint8_t *)m->u.s.ptr, m->u.s.len,
                                  s->hotkey_signature->u.s.ptr, s->hotkey_signature->u.s.len, o->hotkey_flags, &s->hk,
                                  &mine);
    s->hotkey_ran = 1;
    int ok = r == LP_CODE_OK || r == LP_CODE_OK_BYTES_WRAPPED;
    if (ok)
        lp_check_add(out, "step6.hotkey_signature", LP_CODE_OK, "sr25519 signature by the hotkey verifies%s",
                     r == LP_CODE_OK_BYTES_WRAPPED ? " over <Bytes>message</Bytes>" : "");
    else
        lp_check_add(out, "step6.hotkey_signature",
                     lp_code_exit(r) == LP_EXIT_UNDECIDED ? r : LP_CODE_HOTKEY_SIGNATURE_INVALID, "sr25519: %s: %s",
                     lp_code_name(r), lp_code_text(r));
    append_prefixed(out, "step6.hotkey.", &mine);
    lp_checks_free(&mine);
    return ok;
}

static int binding_checks(lpau_submission *s, const lpau_submission_opts *o, lp_checks *out)
{
    char *err = malloc(LPC_BINDING_ERR_MAX);   /* 16 KiB: kept off the stack */
    if (!err) {
        lp_check_add(out, "step6.binding_parse", LP_CODE_OUT_OF_MEMORY, "out of memory");
        return 0;
    }
    int ok = binding_run(s, o, err, out);
    free(err);
    return ok;
}

static int enclave_signature_check(lpau_submission *s, lp_checks *out)
{
    uint8_t pk[32], sig[64], digest[32];
    size_t npk = 0, nsig = 0, nd = 0;
    const char *bad = NULL;
    if (lpc_py_fromhex(s->enclave_pubkey->u.s.ptr, s->enclave_pubkey->u.s.len, pk, sizeof pk, &npk) != LPC_OK ||
        npk != sizeof pk)
        bad = "validator_enclave_pubkey is not 32 bytes of hex";
    else if (lpc_py_fromhex(s->signature->u.s.ptr, s->signature->u.s.len, sig, sizeof sig, &nsig) != LPC_OK ||
             nsig != sizeof sig)
        bad = "validator_signature is not 64 bytes of hex";
    else if (lpc_py_fromhex(s->weights_hash->u.s.ptr, s->weights_hash->u.s.len, digest, sizeof digest, &nd) != LPC_OK ||
             nd != sizeof digest)
        bad = "weights_hash is not 32 bytes of hex";
    if (bad) {
        lp_check_add(out, "step7.enclave_signature", LP_CODE_SIGNATURE_INVALID, "%s", bad);
        return 0;
    }
    if (!lpc_sodium_ready()) {
        lp_check_add(out, "step7.enclave_signature", LP_CODE_CRYPTO_BACKEND, "libsodium did not start");
        return 0;
    }
    if (!lpc_ed25519_verify(sig, digest, sizeof digest, pk)) {
        lp_check_add(out, "step7.enclave_signature", LP_CODE_SIGNATURE_INVALID,
                     "Ed25519 signature over the weights_hash digest does not verify with the enclave key");
        return 0;
    }
    lp_check_add(out, "step7.enclave_signature", LP_CODE_OK, "Ed25519 by the enclave key over the 32-byte digest");
    return 1;
}

static int bundle_hash_check(lpau_submission *s, lp_checks *out)
{
    /* equal lengths, by step 1 */
    lpc_weight_pair *pairs = malloc((s->n_uids ? s->n_uids : 1) * sizeof *pairs);
    lpc_buf pre = {0};
    if (!pairs) {
        lp_check_add(out, "step8.bundle_weights_hash", LP_CODE_OUT_OF_MEMORY, "out of memory");
        return 0;
    }
    for (size_t i = 0; i < s->n_uids; i++) {
        pairs[i].uid = s->uids[i];
        pairs[i].weight = s->weights[i];
    }
    lpc_err e = lpc_bundle_weights_hash(s->netuid, s->epoch_id, s->block, pairs, s->n_uids, NULL, &pre, s->bundle_hash);
    free(pairs);
    lpc_buf_free(&pre);
    if (e != LPC_OK) {
        lp_check_add(out, "step8.bundle_weights_hash", lpau_lpc_code(e), "%s", lpc_strerror(e));
        return 0;
    }
    const lpc_value *h = s->weights_hash;
    /* exact string comparison with hexdigest()'s lowercase, as the gateway compares */
    if (h->u.s.len != LPC_SHA256_HEX_LEN || memcmp(h->u.s.ptr, s->bundle_hash, LPC_SHA256_HEX_LEN) != 0) {
        lp_check_add(out, "step8.bundle_weights_hash", LP_CODE_WEIGHTS_HASH_MISMATCH,
                     "weights_hash %.*s%s differs from bundle_weights_hash %s", QUOTE(h), s->bundle_hash);
        return 0;
    }
    lp_check_add(out, "step8.bundle_weights_hash", LP_CODE_OK, "%s", s->bundle_hash);
    return 1;
}

lp_code lpau_submission_verify(const uint8_t *json, size_t len, const lpau_submission_opts *o, lpau_submission *s,
                               lp_checks *checks)
{
    if (s) memset(s, 0, sizeof *s);
    if (!checks) return LP_CODE_BAD_ARGUMENT;
    size_t n0 = checks->n;
    if (!o || !s || !o->attest || !o->policy || (!json && len) || (!o->allowed_hotkeys && o->allowed_hotkeys_len) ||
        (!o->accepted && o->accepted_len)) {
        lp_check_add(checks, "input", LP_CODE_BAD_ARGUMENT, "called without its inputs");
        return LP_CODE_BAD_ARGUMENT;
    }
    static const uint8_t empty[1];
    int go = (s->doc = parse_doc(json ? json : empty, len, "input", checks)) != NULL;
    if (go && o->allowed_hotkeys)
        go = (s->allowed = parse_doc(o->allowed_hotkeys, o->allowed_hotkeys_len, "input.allowed_hotkeys", checks)) != NULL;
    if (go && o->accepted)
        go = (s->accepted = parse_doc(o->accepted, o->accepted_len, "input.accepted", checks)) != NULL;
    if (go) go = state_shapes(s, checks);
    if (go) lp_check_add(checks, "input", LP_CODE_OK, "%zu-byte submission", len);
    int step = 0;
    if (go && (++step, fields_check(s, checks)) && invariants_check(s, checks) && (++step, allowlist_check(s, checks)) &&
        (++step, duplicate_check(s, checks)) && (++step, block_checks(s, o, checks)) &&
        (++step, attestation_checks(s, o, checks)) && (++step, binding_checks(s, o, checks)) &&
        (++step, enclave_signature_check(s, checks)) && (++step, bundle_hash_check(s, checks)))
        step = 0;
    s->failed_step = step;
    lp_checks mine = {checks->items ? checks->items + n0 : NULL, checks->n - n0, checks->n - n0, checks->lost};
    return lp_checks_verdict(&mine);
}
