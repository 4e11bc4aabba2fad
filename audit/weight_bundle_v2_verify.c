/* verify_weight_bundle's procedure (weight_bundle_v2_verify.h). */
#include "audit/weight_bundle_v2_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/boot_v2.h"
#include "canonical/lpc_binding.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_compact_weight_v2.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_sr25519.h"
#include "canonical/lpc_v2_common.h"
#include "canonical/lpc_weight_authority_v2.h"
#include "canonical/lpc_weight_bundle_v2.h"
#include "canonical/lpc_weight_event_v2.h"
#include "merkle/lpm.h"

#define COMPACT_SCHEMA "leadpoet.compact_weight_submission.v2"

const char *lpau_wbv2_format_name(lpau_wbv2_format f)
{
    switch (f) {
    case LPAU_WBV2_PUBLISHED: return "published_v2";
    case LPAU_WBV2_SHADOW: return "shadow_v2";
    case LPAU_WBV2_COMPACT: return "compact_v2";
    default: return "unknown";
    }
}

/* ---- small builders (a failed set is an allocation failure the caller records) ---- */

static int put(lpc_value *o, const char *k, lpc_value *v)
{
    return o && v && lpc_object_set(o, k, strlen(k), v) == LPC_OK;
}
static int put_s(lpc_value *o, const char *k, const char *s)
{
    return put(o, k, s ? lpc_new_str(s, strlen(s)) : lpc_new_null());
}

static const char *str_of(const lpc_value *v)
{
    return v && v->type == LPC_STR ? v->u.s.ptr : NULL;
}

/* Our refusals keep their code; what the reference raises rejects the bundle (cls). */
static lp_code rejected(lp_code c, lp_code cls)
{
    switch (c) {
    case LP_CODE_NON_CANONICAL_INPUT:
    case LP_CODE_INPUT_TOO_LARGE:
    case LP_CODE_UNSUPPORTED:
    case LP_CODE_OUT_OF_MEMORY:
    case LP_CODE_INTERNAL:
    case LP_CODE_BAD_ARGUMENT:
    case LP_CODE_CRYPTO_BACKEND:
        return c;
    default:
        return cls;
    }
}

/* weights-v2 §10 item 1: one schema string, two formats told apart by their fields; a
 * bundle with a wrong schema still goes to its validator, whose first step names it. */
static lpau_wbv2_format detect(const lpc_value *b)
{
    if (!b || b->type != LPC_OBJECT) return LPAU_WBV2_UNKNOWN;
    const lpc_value *s = lpc_get(b, "schema_version");
    if (lpc_get(b, "receipt_graph")) return LPAU_WBV2_PUBLISHED;
    if (lpc_get(b, "weight_receipt") || lpc_get(b, "parent_receipts")) return LPAU_WBV2_SHADOW;
    if (lpc_str_eq(s, COMPACT_SCHEMA) || lpc_get(b, "validator_receipt_delta") || lpc_get(b, "compact_submission_hash"))
        return LPAU_WBV2_COMPACT;
    if (lpc_str_eq(s, LPC_WEIGHT_BUNDLE_V2_SCHEMA)) return LPAU_WBV2_PUBLISHED;
    return LPAU_WBV2_UNKNOWN;
}

/* ---- boots ---- */

typedef struct {
    const lpau_wbv2_opts *o;
    lp_checks *out;
    lpc_value *boots;
    size_t n;
    lp_code first_fail;
} boot_ctx;

static lp_code boot_one(boot_ctx *b, const lpc_value *identity, char *why, size_t whylen)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "boot[%zu].", b->n);
    lpa_boot_v2 r;
    lp_code c = lpa_boot_v2_verify(identity, b->o->att, b->o->p_gateway, b->o->p_validator, prefix, &r, b->out);
    lpc_value *s = lpc_new_object();
    int ok = put_s(s, "role", r.role) && put_s(s, "boot_identity_hash", str_of(lpc_get(identity, "boot_identity_hash"))) &&
             put_s(s, "signing_pubkey", str_of(lpc_get(identity, "signing_pubkey"))) &&
             put_s(s, "policy_role", r.policy_role) && put_s(s, "pcr0", r.pcr0[0] ? r.pcr0 : NULL) &&
             put(s, "pcr0_pinned", lpc_new_bool(r.pcr0_pinned)) &&
             put_s(s, "policy_match", r.match_label[0] ? r.match_label : NULL) &&
             put(s, "timestamp", r.timestamp_s >= 0 ? lpc_new_int(r.timestamp_s) : lpc_new_null()) &&
             put_s(s, "attestation", lp_code_name(c));
    if (!ok || lpc_array_append(b->boots, s) != LPC_OK) {
        if (!ok) lpc_free(s);
        b->out->lost = 1;
    }
    b->n++;
    /* evidence inside a readable bundle that is not an attestation fails the bundle */
    if (lp_code_exit(c) == LP_EXIT_UNDECIDED && c != LP_CODE_OUT_OF_MEMORY && c != LP_CODE_INTERNAL &&
        c != LP_CODE_CRYPTO_BACKEND && c != LP_CODE_BAD_ARGUMENT) {
        char d[LP_CHECK_DETAIL_MAX];
        snprintf(d, sizeof d, "%s", r.detail);
        snprintf(r.detail, sizeof r.detail, "%.280s", d);
        lp_check *k = lp_check_add(b->out, "", LP_CODE_BOOT_ATTESTATION_INVALID, "%s: %.280s", lp_code_name(c), d);
        if (k) snprintf(k->name, sizeof k->name, "%sdocument", prefix);
        c = LP_CODE_BOOT_ATTESTATION_INVALID;
    }
    if (c != LP_CODE_OK) {
        if (b->first_fail == LP_CODE_OK) b->first_fail = c;
        snprintf(why, whylen, "%s", r.detail);
    }
    return c;
}

static lp_code boot_cb(void *ctx, const lpc_value *identity, lpc_referr *err)
{
    char why[LP_CHECK_DETAIL_MAX];
    lp_code c = boot_one(ctx, identity, why, sizeof why);
    if (c == LP_CODE_OK) return c;
    return lpc_referr_set(err, c, "AttestedV2Error", "%s", why);
}

/* ---- hotkey and binding (§8.2: what the gateway checks after §8.1) ---- */

static void hotkey_opt_out(lp_checks *out)
{
    lp_check_warn(out, "hotkey_signature", LP_CODE_OK_STRUCTURAL,
                  "not verified (--no-hotkey-signature): nothing shows the hotkey authorised this validator boot");
}

/* The sr25519 signature of hotkey over the binding message (normalised as the reference
 * stores it: strip().lower()). */
static void hotkey_check(const lpau_wbv2_opts *o, const lpc_value *verified, lp_checks *out)
{
    if (o->no_hotkey_signature) {
        hotkey_opt_out(out);
        return;
    }
    const char *hk = str_of(lpc_get(verified, "validator_hotkey"));
    const char *msg = str_of(lpc_get(verified, "binding_message"));
    const char *sig = str_of(lpc_get(verified, "validator_hotkey_signature"));
    if (!hk || !msg || !sig) {
        lp_check_add(out, "hotkey_signature", LP_CODE_INTERNAL, "the verified bundle lacks the hotkey fields");
        return;
    }
    lpc_hotkey_result hr;
    lp_code c = lpc_hotkey_verify(hk, strlen(hk), (const uint8_t *)msg, strlen(msg), sig, strlen(sig), o->hotkey_flags,
                                  &hr, NULL);
    if (c == LP_CODE_OK || c == LP_CODE_OK_BYTES_WRAPPED)
        lp_check_add(out, "hotkey_signature", LP_CODE_OK, "%s: the hotkey %s signed the binding message%s", lp_code_name(c),
                     hk, c == LP_CODE_OK_BYTES_WRAPPED ? " as <Bytes>message</Bytes>" : "");
    else
        lp_check_add(out, "hotkey_signature", lp_code_exit(c) == LP_EXIT_FAIL ? LP_CODE_HOTKEY_SIGNATURE_INVALID : c,
                     "%s: %s", lp_code_name(c), lp_code_text(c));
}

/* The binding message names this boot: netuid, the computing enclave's key, the boot's
 * build manifest as validator_code_hash and its commit as version (§8.2). */
static void binding_check(const lpc_value *verified, const lpc_value *boot, lp_checks *out)
{
    const char *msg = str_of(lpc_get(verified, "binding_message"));
    lpc_binding_parts parts;
    char *err = malloc(LPC_BINDING_ERR_MAX);
    if (!err) {
        out->lost = 1;
        return;
    }
    int64_t netuid = 0;
    const char *key = str_of(lpc_get(verified, "validator_enclave_pubkey"));
    const char *code = str_of(lpc_get(boot, "build_manifest_hash"));
    const char *commit = str_of(lpc_get(boot, "commit_sha"));
    if (!msg || lpc_binding_parse(msg, strlen(msg), &parts, err) != LPC_OK) {
        lp_check_add(out, "binding_fields", LP_CODE_BINDING_REJECTED, "the binding message does not parse: %.200s",
                     msg ? err : "absent");
    } else if (!lpc_int_i64(lpc_get(verified, "netuid"), &netuid) || !key || !code || !commit) {
        lp_check_add(out, "binding_fields", LP_CODE_INTERNAL, "the verified bundle lacks netuid or the validator boot");
    } else {
        lpc_strview k = {key, strlen(key)}, h = {code, strlen(code)};
        lpc_strview chain = parts.field[LPC_BIND_CHAIN];
        lpc_strview ver = parts.field[LPC_BIND_VERSION];
        if (lpc_binding_check_fields(&parts, netuid, chain, k, h, err) != LPC_OK)
            lp_check_add(out, "binding_fields", LP_CODE_BINDING_MISMATCH, "%.200s", err);
        else if (!ver.ptr || ver.len != strlen(commit) || memcmp(ver.ptr, commit, ver.len) != 0)
            lp_check_add(out, "binding_fields", LP_CODE_BINDING_MISMATCH,
                          "the binding's version is not the validator boot's commit %s", commit);
        else
            lp_check_add(out, "binding_fields", LP_CODE_OK,
                         "netuid %lld, the computing enclave key, the boot's build manifest and commit", (long long)netuid);
    }
    free(err);
}

static const lpc_value *find_boot(const lpc_value *boots, const char *hash)
{
    if (!boots || boots->type != LPC_ARRAY || !hash) return NULL;
    for (size_t i = 0; i < boots->u.a.n; i++)
        if (lpc_str_eq(lpc_get(boots->u.a.items[i], "boot_identity_hash"), hash)) return boots->u.a.items[i];
    return NULL;
}

/* ---- the three formats ---- */

static void boot_opt_out(lp_checks *out, size_t n, const char *what)
{
    lp_check_warn(out, "boot_attestation", LP_CODE_OK_STRUCTURAL,
                  "not verified (--no-boot-attestation): %zu %s checked structurally only; no document shows genuine "
                  "Nitro hardware or the code measured",
                  n, what);
}

static size_t n_items(const lpc_value *v)
{
    return v && v->type == LPC_ARRAY ? v->u.a.n : 0;
}

static void published(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    boot_ctx bc = {o, out, res->boots, 0, LP_CODE_OK};
    lpc_wav2_opts wo = {NULL, NULL, 0};
    if (!o->no_boot_attestation) {
        wo.boot_verifier = boot_cb;
        wo.boot_verifier_ctx = &bc;
        wo.require_boot_attestation_verification = 1;
    }
    lpc_referr_clear(&res->err);
    const char *step = NULL;
    lp_code c = lpc_wav2_validate_published_bundle(res->bundle, &wo, &res->verified, &step, &res->err);
    res->step = step;
    if (c != LP_CODE_OK) {
        lp_code code = bc.first_fail != LP_CODE_OK ? bc.first_fail : rejected(c, LP_CODE_WEIGHT_AUTHORITY_V2_ERROR);
        lp_check_add(out, "validate_published_weight_bundle_v2", code, "step %s: %s: %s", step ? step : "?",
                     res->err.type, res->err.message);
        return;
    }
    const char *bh = str_of(lpc_get(res->verified, "bundle_hash"));
    snprintf(res->bundle_hash, sizeof res->bundle_hash, "%s", bh ? bh : "");
    lp_check_add(out, "validate_published_weight_bundle_v2", LP_CODE_OK,
                 "all 12 steps of the reference: weights recomputed, every receipt signed and bound, one validator boot");
    const lpc_value *graph = lpc_get(res->bundle, "receipt_graph");
    if (o->no_boot_attestation) boot_opt_out(out, n_items(lpc_get(graph, "boot_identities")), "boot identities");
    const lpc_value *boot =
        find_boot(lpc_get(graph, "boot_identities"), str_of(lpc_get(res->verified, "validator_boot_identity_hash")));
    binding_check(res->verified, boot, out);
    hotkey_check(o, res->verified, out);
}

static void shadow(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    lpc_referr_clear(&res->err);
    lp_code c = lpc_weight_bundle_v2_validate(res->bundle, o->require_allocation_ancestry, &res->verified, &res->err);
    if (c != LP_CODE_OK) {
        lp_check_add(out, "validate_weight_bundle_v2", rejected(c, LP_CODE_WEIGHT_BUNDLE_V2_ERROR), "%s: %s",
                     res->err.type, res->err.message);
        return;
    }
    /* not part of the reference's return value: sha256_json(bundle), as for the published format */
    lpc_referr he;
    if (lpc_v2_sha256_json(res->bundle, res->bundle_hash, &he) != LP_CODE_OK) res->bundle_hash[0] = '\0';
    lp_check_add(out, "validate_weight_bundle_v2", LP_CODE_OK,
                 "the reference's steps: weights recomputed, weight receipt and ancestry signed and walked");
    if (o->no_boot_attestation) {
        boot_opt_out(out, 1, "validator attestation");
    } else {
        /* the shadow receipt's attestation must name the key that signed the weights */
        const char *doc = str_of(lpc_get(res->verified, "validator_attestation_b64"));
        const char *key = str_of(lpc_get(res->verified, "validator_enclave_pubkey"));
        uint8_t *cose = malloc(LPA_MAX_INPUT);
        lpa_evidence *ev = lpa_evidence_new();
        lp_checks sub;
        lp_checks_init(&sub);
        size_t n = 0;
        if (!cose || !ev) {
            out->lost = 1;
        } else if (!doc || lpc_b64_decode_to(doc, strlen(doc), LPC_B64_STD, cose, LPA_MAX_INPUT, &n) != LPC_OK || !n) {
            lp_check_add(out, "attestation", LP_CODE_INPUT_DECODE_ERROR, "validator_attestation_b64 is not a base64 document");
        } else {
            lp_code v = lpa_verify_evidence(cose, n, o->att, o->p_validator, ev, &sub);
            lp_checks_append_prefixed(out, &sub, "attestation.");
            const char *att_key = lpa_evidence_key(ev);
            if (v == LP_CODE_OK)
                lp_check_add(out, "attestation_key", att_key && key && strcmp(att_key, key) == 0 ? LP_CODE_OK
                                                                                                   : LP_CODE_PUBLIC_KEY_MISMATCH,
                             "the attested enclave key %s the weights' signing key", att_key && key && strcmp(att_key, key) == 0
                                                                                           ? "is"
                                                                                           : "is not");
        }
        lp_checks_free(&sub);
        lpa_evidence_free(ev);
        free(cose);
    }
    hotkey_check(o, res->verified, out);
}

/* The boots a compact submission discloses: the validator delta's and each distinct one
 * of the upstream proofs (weights-v2 §8.4), in that order. */
static void compact_boots(const lpau_wbv2_opts *o, lpau_wbv2_result *res, boot_ctx *bc, lp_checks *out)
{
    const lpc_value *delta = lpc_get(lpc_get(res->bundle, "validator_receipt_delta"), "boot_identities");
    const lpc_value *proofs = lpc_get(res->bundle, "upstream_ancestry_proofs");
    size_t seen_n = 0, total = n_items(delta);
    const char **seen = NULL;
    if (proofs && proofs->type == LPC_OBJECT)
        for (size_t i = 0; i < proofs->u.o.n; i++) total += n_items(lpc_get(proofs->u.o.items[i].val, "disclosed_boot_identities"));
    seen = total ? calloc(total, sizeof *seen) : NULL;
    if (total && !seen) {
        out->lost = 1;
        return;
    }
    char why[LP_CHECK_DETAIL_MAX];
    for (size_t pass = 0; pass < 2; pass++) {
        size_t np = pass == 0 ? 1 : (proofs && proofs->type == LPC_OBJECT ? proofs->u.o.n : 0);
        for (size_t k = 0; k < np; k++) {
            const lpc_value *list = pass == 0 ? delta : lpc_get(proofs->u.o.items[k].val, "disclosed_boot_identities");
            for (size_t i = 0; i < n_items(list); i++) {
                const lpc_value *boot = list->u.a.items[i];
                const char *h = str_of(lpc_get(boot, "boot_identity_hash"));
                int dup = 0;
                for (size_t j = 0; h && j < seen_n && !dup; j++) dup = strcmp(seen[j], h) == 0;
                if (dup) continue;
                if (h) seen[seen_n++] = h;
                if (o->no_boot_attestation) continue;
                boot_one(bc, boot, why, sizeof why);
            }
        }
    }
    if (o->no_boot_attestation) boot_opt_out(out, seen_n, "disclosed boot identities");
    free(seen);
}

static void compact(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    res->ancestry = "not_checked";
    lpc_referr_clear(&res->err);
    lp_code c = lpc_cwv2_verify_local(res->bundle, o->cutover_manifest, &res->verified, &res->err);
    if (c != LP_CODE_OK) {
        lp_check_add(out, "verify_compact_weight_submission_v2", rejected(c, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR),
                     "%s: %s", res->err.type, res->err.message);
        return;
    }
    const char *bh = str_of(lpc_get(res->verified, "bundle_hash"));
    snprintf(res->bundle_hash, sizeof res->bundle_hash, "%s", bh ? bh : "");
    lp_check_add(out, "verify_compact_weight_submission_v2", LP_CODE_OK,
                 "commitments, snapshot, delta receipts, the 14 inputs, the computed/snapshot/binding chain, the weights "
                 "signature");
    lp_check_warn(out, "ancestry_certificates", LP_CODE_UNSUPPORTED,
                  "not checked: the detached ancestry certificates binding the disclosed gateway receipts to their ancestry");
    boot_ctx bc = {o, out, res->boots, 0, LP_CODE_OK};
    compact_boots(o, res, &bc, out);
    hotkey_check(o, res->verified, out);
}

/* ---- the signed event (§9) ---- */

#define EVENT_TYPE LPC_WEV2_EVENT_TYPE

/* A log entry as exported (§2) or wrapped in {"signed_log_entry": ...} (§3.2). */
static const lpc_value *entry_of(const lpc_value *v)
{
    const lpc_value *w = lpc_get(v, "signed_log_entry");
    return w && w->type == LPC_OBJECT ? w : v;
}

static void event_summary(lpau_wbv2_result *res, const char *source, const lpc_value *entry, long long index)
{
    const lpc_value *se = lpc_get(entry, "signed_event");
    lpc_value *s = lpc_new_object();
    int ok = put_s(s, "source", source) && put_s(s, "event_type", str_of(lpc_get(se, "event_type"))) &&
             put_s(s, "event_hash", str_of(lpc_get(entry, "event_hash"))) &&
             put_s(s, "timestamp", str_of(lpc_get(se, "timestamp"))) &&
             put(s, "checkpoint_index", index >= 0 ? lpc_new_int(index) : lpc_new_null());
    if (!ok) {
        lpc_free(s);
        return;
    }
    lpc_free(res->event);
    res->event = s;
}

/* Signature, type, payload ties and epoch authority of one entry. */
static void event_entry(const lpau_wbv2_opts *o, lpau_wbv2_result *res, const lpc_value *entry, lp_checks *out)
{
    lpm_err e = lpm_log_entry_verify(entry, o->event_pubkey);
    if (e == LPM_ERR_EVENT_HASH_MISMATCH || e == LPM_ERR_EVENT_SIGNATURE_INVALID || e == LPM_ERR_PUBKEY_MISMATCH) {
        /* what the pinned key signed is not this event */
        lp_check_add(out, "event_signature", LP_CODE_EVENT_SIGNATURE_INVALID, "%s: %s", lpm_errname(e), lpm_strerror(e));
        return;
    }
    if (e != LPM_OK) {
        lp_check_add(out, "event_signature", lpm_code(e), "%s", lpm_strerror(e));
        return;
    }
    lp_check_add(out, "event_signature", LP_CODE_OK, "event_hash recomputed; Ed25519 by the pinned coordinator key");
    const lpc_value *se = lpc_get(entry, "signed_event");
    if (!lpc_str_eq(lpc_get(se, "event_type"), EVENT_TYPE)) {
        lp_check_add(out, "event_type", LP_CODE_EVENT_MISMATCH, "the event is not a " EVENT_TYPE);
        return;
    }
    lp_check_add(out, "event_type", LP_CODE_OK, EVENT_TYPE);
    /* the gateway's blocks_remaining bound at the event's date (weights-v2 §9.2); an
     * event dated before any stateful era gets the strictest one */
    int64_t bound = o->blocks_remaining_max;
    if (bound <= 0) bound = lpc_wev2_blocks_remaining_bound(str_of(lpc_get(se, "timestamp")));
    if (bound <= 0) bound = LPC_WEV2_BLOCKS_REMAINING_MAX_0716;
    lpc_wev2_check_payload(lpc_get(se, "payload"), res->verified, o->cutover_manifest, bound, out, NULL);
}

static void event_file(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse_limit(o->event, o->event_len, LPC_JSON_MAX_INPUT, &v, &off);
    if (e != LPC_OK) {
        lp_check_add(out, "event_input", lpc_code(e), "the event is not JSON: %s at byte %zu", lpc_strerror(e), off);
        return;
    }
    const lpc_value *entry = entry_of(v);
    event_summary(res, "event", entry, -1);
    event_entry(o, res, entry, out);
    lpc_free(v);
}

static void event_checkpoint(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    /* formats §5.4: the header key is the coordinator's tee_service key, not the event key */
    const char *hk = o->checkpoint_pubkey ? o->checkpoint_pubkey : o->event_pubkey;
    uint8_t key[LPM_PUBKEY_LEN];
    size_t kn = 0;
    if (lpc_hex_decode(hk, strlen(hk), key, sizeof key, &kn) != LPC_OK || kn != sizeof key) {
        lp_check_add(out, "checkpoint_pubkey", LP_CODE_USAGE, "the checkpoint header key is not 64 hex digits");
        return;
    }
    lpm_checkpoint *cp = NULL;
    lpm_err e = lpm_checkpoint_parse(o->checkpoint, o->checkpoint_len, &cp);
    if (e != LPM_OK) {
        lp_check_add(out, "checkpoint", lpm_code(e), "%s", lpm_strerror(e));
        return;
    }
    lp_checks sub;
    lp_checks_init(&sub);
    lp_code v = lpm_checkpoint_verify(cp, key, 0, &sub, NULL);
    lp_checks_append_prefixed(out, &sub, "checkpoint.");
    lp_checks_free(&sub);
    if (v != LP_CODE_OK) {
        lpm_checkpoint_free(cp);
        return;
    }
    const char *want = res->bundle_hash[0] ? res->bundle_hash : NULL;
    size_t n = lpm_checkpoint_n_events(cp), found = n, count = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *rec = NULL;
        lpc_value *owned = NULL;
        if (lpm_checkpoint_record(cp, i, &rec, &owned) != LPM_OK) continue;
        const lpc_value *se = lpc_get(entry_of(rec), "signed_event");
        if (lpc_str_eq(lpc_get(se, "event_type"), EVENT_TYPE) && want &&
            lpc_str_eq(lpc_get(lpc_get(se, "payload"), "bundle_hash"), want)) {
            if (found == n) found = i;
            count++;
        }
        lpc_free(owned);
    }
    if (found == n) {
        lp_check_add(out, "event_found", LP_CODE_EVENT_MISMATCH,
                     "no " EVENT_TYPE " event among the checkpoint's %zu events names bundle_hash %s", n,
                     want ? want : "(none)");
        lpm_checkpoint_free(cp);
        return;
    }
    lp_check *k = lp_check_addi(out, "event_found", LP_CODE_OK, found, "record %zu (%zu of %zu events name this bundle)",
                                found, count, n);
    (void)k;
    lpm_step steps[LPM_MAX_DEPTH];
    size_t ns = 0;
    uint8_t root[LPM_HASH_LEN];
    size_t rn = 0;
    const lpm_header *h = lpm_checkpoint_header(cp);
    const uint8_t *leaf = lpm_checkpoint_leaf(cp, found);
    if (!leaf || lpm_tree_proof(lpm_checkpoint_tree(cp), found, steps, &ns) != LPM_OK ||
        lpc_hex_decode(h->merkle_root, strlen(h->merkle_root), root, sizeof root, &rn) != LPC_OK || rn != sizeof root ||
        lpm_proof_verify_at(leaf, steps, ns, found, n, root) != LPM_OK)
        lp_check_addi(out, "event_inclusion", LP_CODE_PROOF_INVALID, found,
                      "the record's leaf does not fold to the signed merkle_root");
    else
        lp_check_addi(out, "event_inclusion", LP_CODE_OK, found, "leaf %zu folds through %zu steps to the signed merkle_root",
                      found, ns);
    const lpc_value *rec = NULL;
    lpc_value *owned = NULL;
    if (lpm_checkpoint_record(cp, found, &rec, &owned) == LPM_OK) {
        const lpc_value *entry = entry_of(rec);
        event_summary(res, "checkpoint", entry, (long long)found);
        event_entry(o, res, entry, out);
    }
    lpc_free(owned);
    lpm_checkpoint_free(cp);
}

static void event(const lpau_wbv2_opts *o, lpau_wbv2_result *res, lp_checks *out)
{
    if (!o->event && !o->checkpoint) return;
    if (!res->verified) {
        lp_check_add(out, "event", LP_CODE_EVENT_MISMATCH, "the bundle did not verify: no event can name it");
        return;
    }
    if (res->format == LPAU_WBV2_SHADOW) {
        lp_check_add(out, "event", LP_CODE_EVENT_MISMATCH,
                     "a shadow bundle was never published with a " EVENT_TYPE " event (weights-v2 §11)");
        return;
    }
    if (o->event)
        event_file(o, res, out);
    else
        event_checkpoint(o, res, out);
}

/* ---- entry ---- */

lp_code lpau_wbv2_verify(const uint8_t *in, size_t len, const lpau_wbv2_opts *o, lpau_wbv2_result *res,
                         lp_checks *out)
{
    if (res) memset(res, 0, sizeof *res);
    if (!o || !res || !out || (!in && len)) return LP_CODE_BAD_ARGUMENT;
    if ((o->event || o->checkpoint) && (!o->event_pubkey || !o->cutover_manifest || (o->event && o->checkpoint))) {
        lp_check_add(out, "options", LP_CODE_BAD_ARGUMENT, "one event source needs the pinned key and the manifest");
        return lp_checks_verdict(out);
    }
    if (!o->no_boot_attestation && (!o->att || !o->p_gateway || !o->p_validator)) {
        lp_check_add(out, "options", LP_CODE_BAD_ARGUMENT, "boot attestation needs options and policies");
        return lp_checks_verdict(out);
    }
    size_t off = 0;
    lpc_err e = lpc_parse_limit(in, len, LPC_JSON_MAX_INPUT, &res->bundle, &off);
    if (e != LPC_OK) {
        lp_check_add(out, "input", lpc_code(e), "the bundle is not JSON: %s at byte %zu", lpc_strerror(e), off);
        return lp_checks_verdict(out);
    }
    res->format = detect(res->bundle);
    if (res->format == LPAU_WBV2_UNKNOWN) {
        lp_check_add(out, "format", LP_CODE_MALFORMED_INPUT,
                     "not a v2 weight bundle: neither a published (receipt_graph), shadow (weight_receipt) nor compact "
                     "submission");
        return lp_checks_verdict(out);
    }
    lp_check_add(out, "format", LP_CODE_OK, "%s", lpau_wbv2_format_name(res->format));
    res->boots = lpc_new_array();
    if (!res->boots) out->lost = 1;
    if (res->format == LPAU_WBV2_PUBLISHED)
        published(o, res, out);
    else if (res->format == LPAU_WBV2_SHADOW)
        shadow(o, res, out);
    else
        compact(o, res, out);
    event(o, res, out);
    lp_code v = lp_checks_verdict(out);
    /* an OK names what was not verified: the opt-outs, a compact submission's certificates */
    if (v == LP_CODE_OK && (o->no_boot_attestation || o->no_hotkey_signature || res->ancestry)) v = LP_CODE_OK_STRUCTURAL;
    return v;
}

void lpau_wbv2_result_free(lpau_wbv2_result *res)
{
    if (!res) return;
    lpc_free(res->bundle);
    lpc_free(res->verified);
    lpc_free(res->boots);
    lpc_free(res->event);
    memset(res, 0, sizeof *res);
}
