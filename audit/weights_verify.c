/* verify_weights's verification procedure (weights_audit.h, "Verification"):
 * which checks a bundle document and the options give, in which order, with
 * which codes and details.  Reading and comparing bundles is weights_audit.c. */
#include "audit/weights_audit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lpau_weights_free(lpau_weights *w)
{
    if (!w)
        return;
    lpau_bundle_free(&w->b);
    lpau_chain_free(&w->cc);
    lpc_buf_free(&w->created);
    lpc_free(w->doc);
    lpc_free(w->against_doc);
    memset(w, 0, sizeof *w);
}

/* A binding reason quoted in a detail (lpau_clip). */
#define MSG_SHOW 300
_Static_assert(MSG_SHOW + sizeof "..." <= LP_CHECK_DETAIL_MAX, "a binding reason fits a check detail");

/* The user's expectation s (64 hex digits, either case: lpau_is_hex64) names
 * the digest whose lowercase hex is hex. */
static int hex_eq_nocase(const char *s, const char hex[LPC_SHA256_HEX_LEN + 1])
{
    for (size_t i = 0; i < LPC_SHA256_HEX_LEN; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (c != hex[i])
            return 0;
    }
    return 1;
}

/* The code of a canonical error where nothing was decided: its own where the
 * registry's is undecided (JSON_SYNTAX, BAD_UTF8, INPUT_TOO_LARGE, ...). */
static lp_code undecided(lpc_err e)
{
    lp_code c = lpau_lpc_code(e);
    return lp_code_exit(c) == LP_EXIT_UNDECIDED ? c : LP_CODE_CANONICAL_ERROR;
}

/* What a parse keeps: a bundle's "weights" streamed into pairs (pairs non-NULL),
 * an against document's whole; "uids" and "weights_u16" whole. */
typedef struct {
    lpau_pairs *pairs;
    int in_weights;     /* the member being parsed is the bundle's "weights" array */
} keep_ctx;

/* The members a bundle or an against document is read by (lpau_bundle_from_doc_pairs,
 * lpau_chain_compare); any other container is checked and dropped. */
static lpc_each_mode keep_weights(void *ctx, const char *key, size_t klen, lpc_type type)
{
    keep_ctx *k = ctx;
    k->in_weights = 0;
    if (lpc_key_is(key, klen, "weights")) {
        if (!k->pairs)
            return LPC_EACH_TREE;
        lpau_pairs_begin(k->pairs);   /* json.loads keeps the last occurrence */
        k->in_weights = type == LPC_ARRAY;
        return LPC_EACH_DROP;
    }
    if (lpc_key_is(key, klen, "uids") || lpc_key_is(key, klen, "weights_u16"))
        return LPC_EACH_TREE;
    return LPC_EACH_DROP;
}

static int weights_item(void *ctx, size_t index, const lpc_value *item)
{
    keep_ctx *k = ctx;
    return k->in_weights ? lpau_pairs_item(k->pairs, index, item) : 0;
}

/* Parses one input, taking p (NULL only with n 0); an error becomes the "input" check.
 * pairs (or NULL) receives a bundle's "weights". */
static lpc_value *parse_input(uint8_t *p, size_t n, const char *what, lpau_pairs *pairs, lp_checks *out)
{
    lpc_value *v = NULL;
    size_t off = 0;
    keep_ctx k = {pairs, 0};
    const lpc_each each = {keep_weights, weights_item, &k, LPC_EACH_TREE};
    size_t budget = n <= SIZE_MAX - LPAU_WEIGHTS_TREE_SLACK ? n + LPAU_WEIGHTS_TREE_SLACK : SIZE_MAX;
    lpc_err e = lpc_parse_each(p, n, LPC_JSON_MAX_INPUT, budget, &each, &v, &off);
    if (e == LPC_OK)
        return v;
    lp_check_add(out, "input", undecided(e), "%s%s%s at byte %zu", what, what[0] ? ": " : "",
                 lpc_strerror(e), off);
    return NULL;
}

/* The options' own consistency (the caller's error, not the input's). */
static const char *opts_error(const lpau_weights_opts *o)
{
    int create = o->chain || o->enclave_pubkey || o->code_hash;
    if (o->expect_hash && !lpau_is_hex64(o->expect_hash, strlen(o->expect_hash)))
        return "expect_hash must be 64 hex characters";
    if (create && !(o->chain && o->enclave_pubkey && o->code_hash))
        return "chain, enclave_pubkey and code_hash go together";
    if (o->binding_version && !create)
        return "binding_version needs chain, enclave_pubkey and code_hash";
    if (o->hotkey_signature && !o->hotkey)
        return "hotkey_signature needs hotkey";
    if (o->hotkey && !create && !o->binding)
        return "hotkey needs a binding message (binding, or chain, enclave_pubkey and code_hash)";
    if (o->against_len && !o->against)
        return "against is NULL with a length";
    return NULL;
}

/* "input": the options, both documents, the bundle and the comparison.
 * Returns 1 when it passed. */
static int input_check(uint8_t *in, size_t len, const lpau_weights_opts *o, lpau_weights *w,
                       lp_checks *out)
{
    const char *bad = opts_error(o);
    if (bad || (!in && len)) {
        free(in);
        lp_check_add(out, "input", LP_CODE_BAD_ARGUMENT, "%s", bad ? bad : "document is NULL with a length");
        return 0;
    }
    lpau_pairs pairs = {0};
    w->doc = parse_input(in, len, "", &pairs, out);
    lpau_diag d;
    lpau_err e = w->doc ? lpau_bundle_from_doc_pairs(w->doc, &pairs, &w->b, &d) : LPAU_OK;
    lpau_pairs_free(&pairs);
    if (!w->doc)
        return 0;
    if (e != LPAU_OK) {
        lp_check_add(out, "input", lpau_diag_code(e, &d), "%s: %s", d.field, d.detail);
        return 0;
    }
    if (o->against) {
        uint8_t *ag = malloc(o->against_len ? o->against_len : 1);
        if (!ag) {
            lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "against: out of memory");
            return 0;
        }
        if (o->against_len)
            memcpy(ag, o->against, o->against_len);
        if (!(w->against_doc = parse_input(ag, o->against_len, "against", NULL, out)))
            return 0;
        e = lpau_chain_compare(&w->b, w->against_doc, &w->cc, &d);
        if (e != LPAU_OK) {
            lp_check_add(out, "input", lpau_diag_code(e, &d), "%s: %s", d.field, d.detail);
            return 0;
        }
        w->has_against = 1;
    }
    const lpau_bundle *b = &w->b;
    lp_check_add(out, "input", LP_CODE_OK, "netuid %lld, epoch_id %lld, block %lld, %s", (long long)b->netuid,
                 (long long)b->epoch_id, (long long)b->block, b->from_raw ? "raw scores" : "submitted bundle");
    return 1;
}

static void hash_checks(const lpau_weights_opts *o, lpau_weights *w, lp_checks *out)
{
    const lpau_bundle *b = &w->b;
    if (b->claimed_hash) {
        /* 64 hex digits (lpau_bundle_from_doc).  The gateway's rule is exact:
         * `recomputed_hash != submission.weights_hash` against hexdigest()'s
         * lowercase (gateway/api/weights.py, §10.7 step 8), so an uppercase
         * claim is a mismatch. */
        const char *s = b->claimed_hash->u.s.ptr;
        w->hash_match = memcmp(s, b->bundle_hash, LPC_SHA256_HEX_LEN) == 0;
        lp_check_add(out, "weights_hash", w->hash_match ? LP_CODE_OK : LP_CODE_WEIGHTS_HASH_MISMATCH,
                     "%.64s %s bundle_weights_hash %s", s, w->hash_match ? "equals" : "differs from",
                     b->bundle_hash);
    }
    if (o->expect_hash) {
        /* the user names a digest: hex of either case (review small defect 10) */
        w->expect_match = hex_eq_nocase(o->expect_hash, b->bundle_hash);
        lp_check_add(out, "expect_hash", w->expect_match ? LP_CODE_OK : LP_CODE_WEIGHTS_HASH_MISMATCH,
                     "%.64s %s bundle_weights_hash %s", o->expect_hash,
                     w->expect_match ? "equals" : "differs from", b->bundle_hash);
    }
}

static void epoch_audit_check(const lpau_weights *w, lp_checks *out)
{
    const lpau_chain_cmp *c = &w->cc;
    if (c->exact || c->within) {
        lp_check_add(out, "epoch_audit", LP_CODE_OK, "%s: %s", c->status,
                     c->exact ? "compare_weights_hash equal" : "within +-1 of the bundle");
        return;
    }
    /* "<n> uids beyond +-<tol>, largest difference <d> (uids u1 u2 ...)" */
    char d[LP_CHECK_DETAIL_MAX];
    int k = snprintf(d, sizeof d, "%zu uids beyond +-%lld, largest difference %lld (uids", c->n_beyond,
                     (long long)c->tolerance, (long long)c->max_diff);
    size_t len = k > 0 ? (size_t)k : 0;
    for (size_t i = 0; i < c->n_diff && len < sizeof d; i++) {
        if (sizeof d - len < sizeof " -9223372036854775808" + sizeof " ...)") {
            k = snprintf(d + len, sizeof d - len, " ...");
            len += k > 0 ? (size_t)k : 0;
            break;
        }
        k = snprintf(d + len, sizeof d - len, " %lld", (long long)c->diff_uids[i]);
        len += k > 0 ? (size_t)k : 0;
    }
    if (len < sizeof d)
        snprintf(d + len, sizeof d - len, ")");
    lp_check_add(out, "epoch_audit", LP_CODE_AUDITOR_MISMATCH, "%s", d);
}

static lpc_strview view(const char *s)
{
    lpc_strview v = { s, s ? strlen(s) : 0 };
    return v;
}

/* A binding check that failed with the canonical error e: decided codes for
 * what Python rejects (reject), else the canonical cause (undecided). */
static void binding_fail(lp_checks *out, const char *name, lpc_err e, lp_code reject, const char *why)
{
    lp_code code = e == LPC_ERR_BINDING || (reject == LP_CODE_BINDING_REJECTED && e == LPC_ERR_UTF8)
                       ? reject : undecided(e);
    lpau_quote q = lpau_clip(why, strlen(why), MSG_SHOW);
    lp_check_add(out, name, code, "%.*s%s", q.n, why, q.more);
}

static void binding_checks(const lpau_weights_opts *o, lpau_weights *w, lp_checks *out)
{
    int create = o->chain != NULL;   /* with enclave_pubkey and code_hash (opts_error) */
    if (!create && !o->binding)
        return;
    int64_t netuid = w->b.netuid;
    if (create) {
        lpc_strview ver = view(o->binding_version);
        lpc_err e = lpc_binding_create(netuid, view(o->chain), view(o->enclave_pubkey), view(o->code_hash),
                                       o->binding_version ? &ver : NULL, &w->created);
        w->bcreate = e == LPC_OK;
        if (e == LPC_OK)
            lp_check_add(out, "binding_create", LP_CODE_OK,
                         "message for netuid %lld built (signature not verified)", (long long)netuid);
        else   /* our own inputs cannot be made a message: nothing to compare with */
            lp_check_add(out, "binding_create", undecided(e), "%s", lpc_strerror(e));
    }
    if (o->binding && w->bcreate != 0) {
        /* Python rejects what does not parse (BINDING_REJECTED); one over our
         * own cap (LPC_BINDING_MAX_LEN) Python might accept: undecided */
        lpc_err e = lpc_binding_parse(o->binding, strlen(o->binding), &w->parts, w->binding_err);
        w->bparse = e == LPC_OK;
        if (e != LPC_OK && !w->binding_err[0])
            snprintf(w->binding_err, sizeof w->binding_err, "%s", lpc_strerror(e));
        if (e == LPC_OK)
            lp_check_add(out, "binding_parse", LP_CODE_OK, "well formed");
        else
            binding_fail(out, "binding_parse", e, LP_CODE_BINDING_REJECTED, w->binding_err);
        if (e == LPC_OK && create) {
            e = lpc_binding_check_fields(&w->parts, netuid, view(o->chain), view(o->enclave_pubkey),
                                         view(o->code_hash), w->binding_err);
            w->bfields = e == LPC_OK;
            if (e != LPC_OK && !w->binding_err[0])
                snprintf(w->binding_err, sizeof w->binding_err, "%s", lpc_strerror(e));
            if (e == LPC_OK)
                lp_check_add(out, "binding_fields", LP_CODE_OK,
                             "netuid, chain, enclave_pubkey and validator_code_hash match");
            else
                binding_fail(out, "binding_fields", e, LP_CODE_BINDING_MISMATCH, w->binding_err);
        }
    }
    /* nothing to verify over when the message could not be built, and the gateway
     * refuses a message that does not parse before it verifies */
    if (w->bcreate == 0 || (o->binding && w->bparse != 1)) return;
    if (!o->hotkey_signature) {
        lp_check_warn(out, "binding_signature", LP_CODE_KEY_NOT_PINNED,
                      "no hotkey signature given: the hotkey's authorisation of this binding is not checked");
        return;
    }
    const char *m = o->binding ? o->binding : (const char *)w->created.ptr;
    size_t ml = o->binding ? strlen(o->binding) : w->created.len;
    const char *hk = o->hotkey ? o->hotkey : "";
    lp_code c = lpc_hotkey_verify(hk, strlen(hk), (const uint8_t *)m, ml, o->hotkey_signature, strlen(o->hotkey_signature),
                                  o->hotkey_strict ? LPC_HOTKEY_STRICT : 0, &w->hk, NULL);
    int ok = c == LP_CODE_OK || c == LP_CODE_OK_BYTES_WRAPPED;
    w->bsig = ok;
    if (ok)
        lp_check_add(out, "binding_signature", LP_CODE_OK, "%s: the hotkey signed the %s message%s", lp_code_name(c),
                     o->binding ? "given" : "built", c == LP_CODE_OK_BYTES_WRAPPED ? " as <Bytes>message</Bytes>" : "");
    else
        lp_check_add(out, "binding_signature", lp_code_exit(c) == LP_EXIT_FAIL ? LP_CODE_HOTKEY_SIGNATURE_INVALID : c,
                     "%s: %s", lp_code_name(c), lp_code_text(c));
    if (ok && w->hk.identity)
        lp_check_warn(out, "binding_hotkey_identity", LP_CODE_IDENTITY_KEY, "%s", lp_code_text(LP_CODE_IDENTITY_KEY));
    if (ok && !lpc_ss58_is_canonical(&w->hk.addr))
        lp_check_warn(out, "binding_hotkey_ss58", LP_CODE_SS58_NOT_CANONICAL, "SS58 prefix %u%s", w->hk.addr.prefix,
                      w->hk.addr.prefix_len == 2 ? " in the two-byte form" : "");
}

static void weights_init(lpau_weights *w)
{
    memset(w, 0, sizeof *w);
    w->hash_match = w->expect_match = w->bcreate = w->bparse = w->bfields = w->bsig = -1;
}

/* the verdict of the checks appended since n0 (a list already incomplete stays OUT_OF_MEMORY) */
static lp_code verdict_since(const lp_checks *out, size_t n0)
{
    lp_checks mine = { out->items ? out->items + n0 : NULL, out->n - n0, out->n - n0, out->lost };
    return lp_checks_verdict(&mine);
}

lp_code lpau_weights_verify(const uint8_t *in, size_t len, const lpau_weights_opts *o, lpau_weights *w,
                            lp_checks *out)
{
    uint8_t *copy = NULL;
    if (in && w && out) {
        if (!(copy = malloc(len ? len : 1))) {
            weights_init(w);
            size_t n0 = out->n;
            lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
            return verdict_since(out, n0);
        }
        memcpy(copy, in, len);
    }
    /* without a copy the take form reports the argument error (NULL w or out, NULL in with a length) */
    return lpau_weights_verify_take(copy, copy || !in ? len : 0, o, w, out);
}

lp_code lpau_weights_verify_take(uint8_t *in, size_t len, const lpau_weights_opts *o, lpau_weights *w,
                                 lp_checks *out)
{
    static const lpau_weights_opts none;
    if (w)
        weights_init(w);
    if (!out) {
        free(in);
        return LP_CODE_BAD_ARGUMENT;
    }
    size_t n0 = out->n;
    if (!o)
        o = &none;
    if (!w) {
        free(in);
        lp_check_add(out, "input", LP_CODE_BAD_ARGUMENT, "NULL argument");
    } else if (input_check(in, len, o, w, out)) {
        const lpau_bundle *b = &w->b;
        if (b->from_raw)
            lp_check_add(out, "normalize_to_u16", LP_CODE_OK,
                         "%zu raw scores -> %zu non-zero u16 pairs, sorted by uid", b->n_raw, b->n);
        lp_check_add(out, "invariants", b->invariants_ok ? LP_CODE_OK : LP_CODE_WEIGHTS_INVARIANT, "%s",
                     b->invariants_ok ? "sparse bundle rules hold" : b->inv_msg);
        hash_checks(o, w, out);
        if (w->has_against)
            epoch_audit_check(w, out);
        binding_checks(o, w, out);
    }
    return verdict_since(out, n0);
}
