/* verify_weights: normalise or check a sparse u16 weight bundle, its hashes,
 * the EPOCH_AUDIT comparison with another validator's on-chain weights, and
 * the validator binding message.  Spec: leadpoet-formats.md §10, §11.
 * Logic: lpau_weights_verify_take. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/weights_audit.h"
#include "canonical/lpc_codec.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_weights"
#define UID_LIST_MAX 400

static lpc_value *ints(const int64_t *v, size_t n)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; a && i < n; i++)
        if (!lp_arr_push(a, lpc_new_int(v[i]))) {
            lpc_free(a);
            a = NULL;
        }
    return a;
}

static lpc_value *pairs(const lpc_weight_pair *p, size_t n)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; a && i < n; i++) {
        lpc_value *x = lpc_new_array();
        int ok = x && lp_arr_push(x, lpc_new_int(p[i].uid)) && lp_arr_push(x, lpc_new_int(p[i].weight));
        if (!ok) lpc_free(x);
        if (!ok || !lp_arr_push(a, x)) {
            lpc_free(a);
            a = NULL;
        }
    }
    return a;
}

static void put_bundle(lp_report *r, const lpau_weights *w)
{
    const lpau_bundle *b = &w->b;
    char line[UID_LIST_MAX + 64];
    lp_report_put_int(r, "netuid", b->netuid);
    lp_report_put_int(r, "epoch_id", b->epoch_id);
    lp_report_put_int(r, "block", b->block);
    lp_report_put_ints(r, "uids", b->uids, b->nu);
    lp_report_put_ints(r, "weights_u16", b->w, b->nw);
    lp_report_put_cstr(r, "bundle_weights_hash", b->bundle_hash);
    lp_report_put_cstr(r, "compare_weights_hash", b->compare_hash);
    lpc_value *inv = lpc_new_object();
    if (inv && !(lp_obj_set(inv, "ok", lpc_new_bool(b->invariants_ok)) &&
                 lp_obj_set(inv, "error", b->invariants_ok ? lpc_new_null() : lpc_new_str(b->inv_msg, strlen(b->inv_msg))))) {
        lpc_free(inv);
        inv = NULL;
    }
    lp_report_put(r, "invariants", inv);
    lp_report_put_bool(r, "weights_hash_match", w->hash_match);
    lp_report_put_bool(r, "expect_hash_match", w->expect_match);
    lp_report_say(r, "bundle: netuid=%lld epoch_id=%lld block=%lld pairs=%zu%s", (long long)b->netuid, (long long)b->epoch_id,
                  (long long)b->block, b->n, b->from_raw ? " (normalised from raw scores)" : "");
    for (int k = 0; k < 2; k++) {
        const int64_t *v = k ? b->w : b->uids;
        size_t n = k ? b->nw : b->nu, o = (size_t)snprintf(line, sizeof line, "%s:", k ? "weights_u16" : "uids");
        for (size_t i = 0; i < n && o < UID_LIST_MAX; i++) o += (size_t)snprintf(line + o, sizeof line - o, " %lld", (long long)v[i]);
        lp_report_say(r, "%s%s", line, o >= UID_LIST_MAX ? " ..." : "");
    }
    lp_report_say(r, "bundle_weights_hash: %s", b->bundle_hash);
    lp_report_say(r, "compare_weights_hash: %s", b->compare_hash);
    lp_report_say(r, "invariants: %s%s", b->invariants_ok ? "ok" : "FAILED: ", b->invariants_ok ? "" : b->inv_msg);
    if (w->hash_match >= 0) lp_report_say(r, "weights_hash: %s", w->hash_match ? "match" : "MISMATCH");
    if (w->expect_match >= 0) lp_report_say(r, "expect_hash: %s", w->expect_match ? "match" : "MISMATCH");
}

static void put_against(lp_report *r, const lpau_weights *w)
{
    if (!w->has_against) {
        lp_report_put(r, "against", lpc_new_null());
        return;
    }
    const lpau_chain_cmp *c = &w->cc;
    lpc_value *o = lpc_new_object();
    if (o && !(lp_obj_set(o, "status", lpc_new_str(c->status, strlen(c->status))) &&
               lp_obj_set(o, "normalized", pairs(c->chain, c->n_chain)) &&
               lp_obj_set(o, "compare_weights_hash", lpc_new_str(c->compare_hash, strlen(c->compare_hash))) &&
               lp_obj_set(o, "exact_match", lpc_new_bool(c->exact)) && lp_obj_set(o, "within_tolerance", lpc_new_bool(c->within)) &&
               lp_obj_set(o, "tolerance", lpc_new_int(c->tolerance)) && lp_obj_set(o, "max_diff", lpc_new_int(c->max_diff)) &&
               lp_obj_set(o, "differing_uids", ints(c->diff_uids, c->n_diff)))) {
        lpc_free(o);
        o = NULL;
    }
    lp_report_put(r, "against", o);
    char uids[UID_LIST_MAX + 8] = "";
    size_t u = 0;
    for (size_t i = 0; i < c->n_diff && u < UID_LIST_MAX; i++)
        u += (size_t)snprintf(uids + u, sizeof uids - u, "%s%lld", i ? " " : "", (long long)c->diff_uids[i]);
    lp_report_say(r, "against: %s (%s; compare hash %s; max diff %lld; differing uids: %s%s)", c->status,
                  c->exact ? "exact" : c->within ? "within +-1" : "beyond +-1", c->compare_hash, (long long)c->max_diff,
                  c->n_diff ? uids : "none", u >= UID_LIST_MAX ? " ..." : "");
}

/* {reason, public_key, ss58_prefix, bytes_wrapped} of the hotkey check, or null */
static lpc_value *hotkey_signature(const lpau_weights *w)
{
    if (w->bsig < 0) return lpc_new_null();
    char pk[2 * LPC_SR25519_KEY_LEN + 1];
    lpc_hex_encode(w->hk.addr.key, LPC_SR25519_KEY_LEN, pk);
    const char *reason = lp_code_name(w->hk.reason);
    lpc_value *o = lpc_new_object();
    if (o && !(lp_obj_set(o, "reason", lpc_new_str(reason, strlen(reason))) &&
               lp_obj_set(o, "public_key", w->hk.have_key ? lpc_new_str(pk, strlen(pk)) : lpc_new_null()) &&
               lp_obj_set(o, "ss58_prefix", w->hk.have_key ? lpc_new_int(w->hk.addr.prefix) : lpc_new_null()) &&
               lp_obj_set(o, "bytes_wrapped", lpc_new_bool(w->hk.wrapped)))) {
        lpc_free(o);
        o = NULL;
    }
    return o;
}

static void put_binding(lp_report *r, const lpau_weights *w, const lpau_weights_opts *o, const char *hotkey)
{
    if (!o->chain && !o->binding) {
        lp_report_put(r, "binding", lpc_new_null());
        return;
    }
    lpc_value *b = lpc_new_object();
    int ok = b && lp_obj_set(b, "sr25519_signature_verified", lpc_new_bool(w->bsig == 1)) &&
             lp_obj_set(b, "hotkey_signature", hotkey_signature(w)) &&
             lp_obj_set(b, "hotkey", hotkey ? lp_json_str(hotkey, strlen(hotkey)) : lpc_new_null());
    if (ok && w->bcreate == 1) {
        ok = lp_obj_set(b, "message", lp_json_str((const char *)w->created.ptr, w->created.len));
        lp_report_say(r, "binding message%s%s: %.*s", hotkey ? " for " : "", hotkey ? hotkey : "", (int)w->created.len,
                      (const char *)w->created.ptr);
    }
    if (o->binding && w->bparse >= 0)
        lp_report_say(r, "binding parse: %s%s", w->bparse ? "ok" : "REJECTED: ", w->bparse ? "" : w->binding_err);
    if (w->bfields >= 0)
        lp_report_say(r, "binding fields: %s%s", w->bfields ? "match" : "MISMATCH: ", w->bfields ? "" : w->binding_err);
    if (w->bsig >= 0)
        lp_report_say(r, "binding hotkey signature: %s (%s)", w->bsig ? "verified" : "INVALID", lp_code_name(w->hk.reason));
    if (ok && o->binding) {
        ok = lp_obj_set(b, "parsed", lp_json_str(o->binding, strlen(o->binding))) &&
             lp_obj_set(b, "parse_ok", lpc_new_bool(w->bparse == 1)) &&
             lp_obj_set(b, "fields_match", w->bfields < 0 ? lpc_new_null() : lpc_new_bool(w->bfields));
        if (ok && w->bparse == 1) {
            lpc_value *po = lpc_new_object();
            for (int f = 0; po && f < LPC_BIND_NFIELDS; f++)
                if (w->parts.field[f].ptr &&
                    !lp_obj_set(po, lpc_binding_field_name((lpc_binding_field)f), lp_json_str(w->parts.field[f].ptr, w->parts.field[f].len))) {
                    lpc_free(po);
                    po = NULL;
                }
            ok = lp_obj_set(b, "parts", po);
        }
    }
    if (!ok) {
        lpc_free(b);
        b = NULL;
    }
    lp_report_put(r, "binding", b);
}

int main(int argc, char **argv)
{
    lpau_weights_opts o;
    memset(&o, 0, sizeof o);
    const char *against = NULL, *hotkey = NULL, *args[1];
    const lp_opt opts[] = {
        {"--expect-hash", "HEX", "the bundle_weights_hash the bundle must have (64 hex, either case)", NULL, &o.expect_hash, NULL},
        {"--against", "FILE", "another validator's on-chain weights [[uid, value], ...]: EPOCH_AUDIT", NULL, &against, NULL},
        {"--chain", "URL", "build the validator binding message (with --enclave-pubkey, --code-hash)", NULL, &o.chain, NULL},
        {"--enclave-pubkey", "HEX", "the enclave key the binding names", NULL, &o.enclave_pubkey, NULL},
        {"--code-hash", "STR", "the validator code hash the binding names", NULL, &o.code_hash, NULL},
        {"--hotkey", "SS58", "the hotkey the binding is for (its signature is checked with --hotkey-signature)", NULL,
         &hotkey, NULL},
        {"--hotkey-signature", "HEX", "the hotkey's sr25519 signature over the binding message, as the gateway checks it",
         NULL, &o.hotkey_signature, NULL},
        {"--strict", NULL, "the hotkey check also refuses the identity key and non-canonical addresses", &o.hotkey_strict,
         NULL, NULL},
        {"--binding-version", "V", "binding message version (default 1)", NULL, &o.binding_version, NULL},
        {"--binding", "MSG", "parse a binding message (and check it against the values above)", NULL, &o.binding, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--expect-hash HEX] [--against FILE] [binding options] FILE",
                        "FILE: {netuid, epoch_id, block, weights:[[uid,score],...]} (raw scores, normalised) or\n"
                        "{netuid, epoch_id, block, uids:[...], weights_u16:[...]} (a submitted bundle), optionally\n"
                        "with weights_hash; - reads standard input.  With --hotkey and --hotkey-signature the\n"
                        "binding message's sr25519 signature is verified as the gateway does (result\n"
                        "HOTKEY_SIGNATURE_INVALID with the reason); without them a warning says it is not checked.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    if (o.expect_hash && !lpau_is_hex64(o.expect_hash, strlen(o.expect_hash)))
        return lp_cli_usage_error(&r, "--expect-hash must be 64 hex characters");
    int create = o.chain || o.enclave_pubkey || o.code_hash;
    if (create && !(o.chain && o.enclave_pubkey && o.code_hash))
        return lp_cli_usage_error(&r, "--chain, --enclave-pubkey and --code-hash go together");
    if (o.binding_version && !create)
        return lp_cli_usage_error(&r, "--binding-version needs --chain, --enclave-pubkey and --code-hash");
    if (hotkey && !create && !o.binding)
        return lp_cli_usage_error(&r, "--hotkey needs a binding message (--binding, or --chain, --enclave-pubkey and --code-hash)");
    if (o.hotkey_signature && !hotkey) return lp_cli_usage_error(&r, "--hotkey-signature needs --hotkey");
    if (o.hotkey_strict && !o.hotkey_signature) return lp_cli_usage_error(&r, "--strict needs --hotkey-signature");
    o.hotkey = hotkey;
    uint8_t *in = NULL, *ag = NULL;
    size_t len = 0;
    char err[512];
    lp_code c = lp_read_input(args[0], LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    if (c == LP_CODE_OK && against) c = lp_read_input(against, LPC_JSON_MAX_INPUT, &ag, &o.against_len, err, sizeof err);
    if (c != LP_CODE_OK) {
        free(in);
        return lp_report_fail(&r, c, "input", "%s", err);
    }
    o.against = ag;
    lpau_weights w;
    c = lpau_weights_verify_take(in, len, &o, &w, lp_report_checks(&r));   /* in is the call's */
    if (lp_checks_culprit(lp_report_checks(&r)) == NULL || strcmp(lp_checks_culprit(lp_report_checks(&r))->name, "input") != 0) {
        put_bundle(&r, &w);
        put_against(&r, &w);
        put_binding(&r, &w, &o, hotkey);
    }
    lpau_weights_free(&w);
    free(ag);
    return lp_report_finish(&r, "OK: the bundle, its hashes and every comparison asked for hold");
}
