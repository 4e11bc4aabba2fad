/* verify_weight_bundle: a Leadpoet v2 weight bundle end to end, and optionally the
 * signed WEIGHT_SUBMISSION_V2 event that published it.  Spec: leadpoet-weights-v2.md
 * §4, §6-§9.  Logic: lpau_wbv2_verify (audit/weight_bundle_v2_verify.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/weight_bundle_v2_verify.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_sr25519.h"
#include "merkle/lpm.h"
#include "verify/cli_attest.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"
#include "verify/cli_source.h"

#define TOOL "verify_weight_bundle"

/* The shipped config/stateful-epoch-cutover-sn71.json (leadpoet/leadpoet@5fe22c16),
 * byte for byte; vectors/leadpoet-v2/README.md gives its provenance. */
static const char k_sn71_cutover[] =
    "{\n"
    "  \"cutover_block\": 8670636,\n"
    "  \"cutover_block_hash\": \"0x25c2109c70fb3502a9c20fd3b04c1db3f0a18d968e73b42da9f1a47770a5e106\",\n"
    "  \"epoch_scheme\": \"bittensor.subnet_epoch_index.v1\",\n"
    "  \"first_settlement_epoch_id\": 24073,\n"
    "  \"first_subnet_epoch_index\": 24020,\n"
    "  \"last_legacy_epoch_id\": 24072,\n"
    "  \"mapping_hash\": \"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c2\",\n"
    "  \"netuid\": 71,\n"
    "  \"network_genesis_hash\": \"0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03\",\n"
    "  \"schema_version\": \"leadpoet.subnet_epoch_cutover.v1\"\n"
    "}\n";

typedef struct {
    lp_attest_args att;
    lp_source_opts so;
    const char *event, *checkpoint, *event_pubkey, *checkpoint_pubkey, *manifest, *save_event;
    int no_boot, no_hotkey, ancestry, strict;
} args_t;

static int is_hex64(const char *s)
{
    if (!s || strlen(s) != 64) return 0;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))) return 0;
    return 1;
}

/* The two policies (gateway boots, validator boots).  A leadpoet-verify policy file
 * serves both; Leadpoet's pcr0_allowlist.json gives each its own list. */
static lp_code setup_policies(const args_t *a, lpa_evidence_opts *o, lpa_policy *pg, lpa_policy *pv, uint8_t **root,
                              char *err, size_t errlen)
{
    lp_attest_args x = a->att;
    if (!x.at) x.at = "doc";   /* weights-v2 §7.2: certificates valid at the attestation's own time */
    lp_code c = lp_attest_setup(&x, (int64_t)time(NULL), o, pg, root, err, errlen);
    if (c != LP_CODE_POLICY_ERROR || !x.policy_file) {
        if (c == LP_CODE_OK) *pv = *pg;
        return c;
    }
    free(*root);
    *root = NULL;
    x.role = "gateway";
    if ((c = lp_attest_setup(&x, (int64_t)time(NULL), o, pg, root, err, errlen)) != LP_CODE_OK) return c;
    free(*root);
    *root = NULL;
    x.role = "validator";
    return lp_attest_setup(&x, (int64_t)time(NULL), o, pv, root, err, errlen);
}

static void put_checks_summary(lp_report *r, const lpau_wbv2_result *res, const args_t *a)
{
    const lpc_value *v = res->verified;
    lp_report_put_cstr(r, "format", lpau_wbv2_format_name(res->format));
    lp_report_put_cstr(r, "step", res->step);
    lp_report_put_cstr(r, "exception", res->err.code != LP_CODE_OK ? res->err.type : NULL);
    lp_report_put_cstr(r, "message", res->err.code != LP_CODE_OK ? res->err.message : NULL);
    lp_report_put_cstr(r, "bundle_hash", res->bundle_hash[0] ? res->bundle_hash : NULL);
    static const char *const keys[] = {"root_receipt_hash", "weights_hash",
                                       "validator_hotkey", "netuid",            "epoch_id",
                                       "block",            "validator_boot_identity_hash",
                                       "validator_enclave_pubkey"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        lpc_value *c = NULL;
        const lpc_value *src = lpc_get(v, keys[i]);
        if (src && lpc_clone(src, &c) == LPC_OK)
            lp_report_put(r, keys[i], c);
        else
            lp_report_put(r, keys[i], lpc_new_null());
    }
    lpc_value *w = lpc_new_object(), *u = NULL, *wu = NULL;
    if (v && lpc_clone(lpc_get(v, "uids"), &u) == LPC_OK && lpc_clone(lpc_get(v, "weights_u16"), &wu) == LPC_OK &&
        lp_obj_set(w, "uids", u) && lp_obj_set(w, "weights_u16", wu))
        lp_report_put(r, "weights", w);
    else {
        if (!u || !wu) {
            lpc_free(u);
            lpc_free(wu);
        }
        lpc_free(w);
        lp_report_put(r, "weights", lpc_new_null());
    }
    lpc_value *boots = NULL;
    if (res->boots && lpc_clone(res->boots, &boots) == LPC_OK)
        lp_report_put(r, "boots", boots);
    else
        lp_report_put(r, "boots", lpc_new_array());
    lpc_value *ev = NULL;
    if (res->event && lpc_clone(res->event, &ev) == LPC_OK)
        lp_report_put(r, "event", ev);
    else
        lp_report_put(r, "event", lpc_new_null());
    lp_report_put_cstr(r, "ancestry", res->ancestry);
    lpc_value *nc = lpc_new_array();
    if (a->no_boot) lp_arr_push(nc, lpc_new_str("boot_attestation", 16));
    if (a->no_hotkey) lp_arr_push(nc, lpc_new_str("hotkey_signature", 16));
    if (res->ancestry) lp_arr_push(nc, lpc_new_str("ancestry_certificates", 21));
    lp_report_put(r, "not_checked", nc);
    if (v) {
        lp_report_say(r, "format: %s", lpau_wbv2_format_name(res->format));
        lp_report_say(r, "bundle_hash: %s", res->bundle_hash);
        if (lpc_get(v, "root_receipt_hash") && lpc_get(v, "root_receipt_hash")->type == LPC_STR)
            lp_report_say(r, "root_receipt_hash: %s", lpc_get(v, "root_receipt_hash")->u.s.ptr);
        if (lpc_get(v, "weights_hash") && lpc_get(v, "weights_hash")->type == LPC_STR)
            lp_report_say(r, "weights_hash: %s", lpc_get(v, "weights_hash")->u.s.ptr);
        if (lpc_get(v, "validator_hotkey") && lpc_get(v, "validator_hotkey")->type == LPC_STR)
            lp_report_say(r, "validator_hotkey: %s", lpc_get(v, "validator_hotkey")->u.s.ptr);
        const lpc_value *su = lpc_get(v, "uids"), *sw = lpc_get(v, "weights_u16");
        for (size_t i = 0; su && sw && su->type == LPC_ARRAY && sw->type == LPC_ARRAY && i < su->u.a.n && i < sw->u.a.n;
             i++)
            if (su->u.a.items[i]->type == LPC_INT && sw->u.a.items[i]->type == LPC_INT)
                lp_report_say(r, "uid %s weight %s", su->u.a.items[i]->u.i.digits, sw->u.a.items[i]->u.i.digits);
    } else if (res->err.code != LP_CODE_OK) {
        lp_report_say(r, "rejected%s%s: %s: %s", res->step ? " at step " : "", res->step ? res->step : "", res->err.type,
                      res->err.message);
    }
}

int main(int argc, char **argv)
{
    args_t a;
    memset(&a, 0, sizeof a);
    const char *args[1];
    const lp_opt opts[] = {
        {"--event", "FILE", "the signed WEIGHT_SUBMISSION_V2 log entry that published the bundle (needs --event-pubkey)",
         NULL, &a.event, NULL},
        {"--checkpoint", "CHECKPOINT", "find that event in an Arweave checkpoint (txid, URL, file or -), verified with its proof",
         NULL, &a.checkpoint, NULL},
        {"--event-pubkey", "HEX", "the coordinator's event-signing Ed25519 key (64 hex), pinned", NULL, &a.event_pubkey, NULL},
        {"--checkpoint-pubkey", "HEX", "the checkpoint header's Ed25519 key, if not --event-pubkey (formats 5.4)", NULL,
         &a.checkpoint_pubkey, NULL},
        {"--cutover-manifest", "FILE", "the epoch cutover manifest: compact lineage, event epochs (default: shipped SN71)",
         NULL, &a.manifest, NULL},
        {"--no-boot-attestation", NULL, "opt out: check boot identities structurally only (result OK_STRUCTURAL)", &a.no_boot,
         NULL, NULL},
        {"--no-hotkey-signature", NULL, "opt out: do not verify the hotkey's sr25519 signature (result OK_STRUCTURAL)",
         &a.no_hotkey, NULL, NULL},
        {"--require-allocation-ancestry", NULL, "shadow bundles: validate_weight_bundle_v2(require_allocation_ancestry=True)",
         &a.ancestry, NULL, NULL},
        {"--strict", NULL, "the hotkey check also refuses the identity key and non-canonical addresses", &a.strict, NULL,
         NULL},
        {"--gateway", "URL", "Arweave gateway for checkpoint transaction ids (default " LP_DEFAULT_GATEWAY ")", NULL,
         &a.so.gateway, NULL},
        {"--offline", NULL, "refuse all network access", &a.so.offline, NULL, NULL},
        {"--save", "FILE", "keep the bundle bytes read, to repeat the verdict --offline", NULL, &a.so.save, NULL},
        {"--save-event", "FILE", "keep the event or checkpoint bytes read", NULL, &a.save_event, NULL},
        LP_ATTEST_OPTIONS(a.att),
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {
        TOOL,
        "[--json] [(--event FILE | --checkpoint CHECKPOINT) --event-pubkey HEX] [attestation policy options]\n"
        "[--no-boot-attestation] [--no-hotkey-signature] [--require-allocation-ancestry] BUNDLE",
        "BUNDLE: a published v2 weight bundle (receipt_graph), a 2026-07-10 shadow bundle or a compact\n"
        "submission; a file, - or a URL (e.g. a gateway's /weights/v2/published/...).  Every step of\n"
        "Leadpoet's validator runs in its order; then each boot's Nitro document must verify under a pinned\n"
        "PCR0 (--pcr-policy with Leadpoet's pcr0_allowlist.json: gateway boots use gateway_pcr0, the\n"
        "validator boot validator_pcr0; or --expect-pcr 0=HEX for every boot) with certificates valid at\n"
        "the document's time (--at doc unless given), and the hotkey's sr25519 signature over the binding\n"
        "message must verify.  --no-boot-attestation and --no-hotkey-signature skip those (result\n"
        "OK_STRUCTURAL, the report lists them under not_checked).  With --event or --checkpoint the\n"
        "WEIGHT_SUBMISSION_V2 event must be signed by --event-pubkey, name this bundle, and carry an\n"
        "epoch_authority consistent with the cutover manifest.",
        opts, 1, 1, &a.att};
    lp_report r;
    size_t nargs;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &nargs);
    if (rc != LP_CLI_GO) return rc;
    if (a.event && a.checkpoint) return lp_cli_usage_error(&r, "give --event or --checkpoint, not both");
    if ((a.event || a.checkpoint) && !a.event_pubkey)
        return lp_cli_usage_error(&r, "--event and --checkpoint need --event-pubkey (the coordinator's key, pinned)");
    if (a.event_pubkey && !a.event && !a.checkpoint) return lp_cli_usage_error(&r, "--event-pubkey needs --event or --checkpoint");
    if (a.event_pubkey && !is_hex64(a.event_pubkey)) return lp_cli_usage_error(&r, "--event-pubkey must be 64 hex digits");
    if (a.checkpoint_pubkey && !a.checkpoint) return lp_cli_usage_error(&r, "--checkpoint-pubkey needs --checkpoint");
    if (a.checkpoint_pubkey && !is_hex64(a.checkpoint_pubkey))
        return lp_cli_usage_error(&r, "--checkpoint-pubkey must be 64 hex digits");
    if (a.save_event && !a.event && !a.checkpoint) return lp_cli_usage_error(&r, "--save-event needs --event or --checkpoint");
    if (a.att.role) return lp_cli_usage_error(&r, "--role is not taken here: each boot's role picks its allowlist");
    if (a.no_boot && lp_attest_given(&a.att))
        return lp_cli_usage_error(&r, "attestation options and --no-boot-attestation contradict each other");
    if (!a.so.gateway) a.so.gateway = LP_DEFAULT_GATEWAY;

    char err[LP_CHECK_DETAIL_MAX];
    lpau_wbv2_opts o;
    memset(&o, 0, sizeof o);
    o.no_boot_attestation = a.no_boot;
    o.no_hotkey_signature = a.no_hotkey;
    o.require_allocation_ancestry = a.ancestry;
    o.hotkey_flags = a.strict ? LPC_HOTKEY_STRICT : 0;
    lpa_evidence_opts eo;
    lpa_policy *pg = malloc(sizeof *pg), *pv = malloc(sizeof *pv);
    uint8_t *root = NULL, *in = NULL, *evb = NULL, *mb = NULL;
    lpc_value *manifest = NULL;
    size_t len = 0, evlen = 0, mlen = 0;
    lp_code c = pg && pv ? LP_CODE_OK : LP_CODE_OUT_OF_MEMORY;
    const char *stage = "attestation_options";
    if (c == LP_CODE_OK && !a.no_boot) {
        c = setup_policies(&a, &eo, pg, pv, &root, err, sizeof err);
        o.att = &eo;
        o.p_gateway = pg;
        o.p_validator = pv;
    }
    if (c == LP_CODE_OK) {
        stage = "input";
        c = lp_load_source(args[0], &(lp_source_opts){NULL, a.so.offline, a.so.save}, LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    }
    if (c == LP_CODE_OK) {
        /* the cutover manifest: the compact lineage and the event's epoch authority */
        stage = "cutover_manifest";
        if (a.manifest) c = lp_read_input(a.manifest, 1u << 16, &mb, &mlen, err, sizeof err);
        size_t off = 0;
        const uint8_t *m = mb ? mb : (const uint8_t *)k_sn71_cutover;
        size_t ml = mb ? mlen : sizeof k_sn71_cutover - 1;
        lpc_err pe = c == LP_CODE_OK ? lpc_parse(m, ml, &manifest, &off) : LPC_OK;
        if (c == LP_CODE_OK && pe != LPC_OK) {
            c = lpc_code(pe);
            snprintf(err, sizeof err, "the cutover manifest is not JSON: %s at byte %zu", lpc_strerror(pe), off);
        }
        o.cutover_manifest = manifest;
    }
    if (c == LP_CODE_OK && (a.event || a.checkpoint)) {
        stage = a.event ? "event_input" : "checkpoint_input";
        lp_source_opts es = {a.checkpoint ? a.so.gateway : NULL, a.so.offline, a.save_event};
        c = lp_load_source(a.event ? a.event : a.checkpoint, &es, a.event ? LPC_JSON_MAX_INPUT : LPM_MAX_PAYLOAD, &evb,
                           &evlen, err, sizeof err);
        if (a.event) {
            o.event = evb;
            o.event_len = evlen;
        } else {
            o.checkpoint = evb;
            o.checkpoint_len = evlen;
        }
        o.event_pubkey = a.event_pubkey;
        o.checkpoint_pubkey = a.checkpoint_pubkey;
    }
    int rc2;
    if (c != LP_CODE_OK) {
        if (c == LP_CODE_OUT_OF_MEMORY) snprintf(err, sizeof err, "out of memory");
        rc2 = lp_report_fail(&r, c, stage, "%s", err);
    } else {
        lpau_wbv2_result res;
        lp_code v = lpau_wbv2_verify(in, len, &o, &res, lp_report_checks(&r));
        put_checks_summary(&r, &res, &a);
        if (v == LP_CODE_OK_STRUCTURAL) lp_report_ok_as(&r, LP_CODE_OK_STRUCTURAL);
        if (!a.no_boot && !a.no_hotkey && res.ancestry)
            lp_report_warn(&r, "not verified: the compact submission's detached ancestry certificates");
        else if (a.no_boot || a.no_hotkey)
            lp_report_warn(&r, "not verified: %s%s%s",
                           a.no_boot ? "the boots' Nitro documents (--no-boot-attestation)" : "",
                           a.no_boot && a.no_hotkey ? ", " : "",
                           a.no_hotkey ? "the hotkey's signature (--no-hotkey-signature)" : "");
        lpau_wbv2_result_free(&res);
        rc2 = lp_report_finish(&r, v == LP_CODE_OK_STRUCTURAL
                                       ? "OK_STRUCTURAL: every check ran except those listed as not checked"
                                       : "OK: the bundle, its boots, its hotkey authorisation and every evidence asked "
                                         "for hold");
    }
    free(pg);
    free(pv);
    free(root);
    free(in);
    free(evb);
    free(mb);
    lpc_free(manifest);
    return rc2;
}
