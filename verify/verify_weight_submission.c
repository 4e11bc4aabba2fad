/* verify_weight_submission: check a v1 weight submission request as the gateway
 * accepts it (leadpoet-formats.md §10.7, §10.6, §11, §13.3).  Logic:
 * lpau_submission_verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/submission.h"
#include "verify/cli_attest.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_weight_submission"

/* A block number: an optional '-' and 1..18 decimal digits. */
static int parse_block(const char *s, int64_t *out)
{
    int neg = s[0] == '-';
    const char *d = neg ? s + 1 : s;
    size_t n = strlen(d);
    if (n == 0 || n > 18 || strspn(d, "0123456789") != n) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (d[i] - '0');
    *out = neg ? -v : v;
    return 0;
}

static void put_result(lp_report *r, const lpau_submission *s)
{
    lpc_value *nc = lpc_new_array();
    char line[128] = "";
    size_t o = 0;
    for (unsigned bit = 1; bit <= LPAU_NC_BLOCK_RULES; bit <<= 1)
        if (s->not_checked & bit) {
            const char *nm = lpau_submission_nc_name(bit);
            if (nc && !lp_arr_push(nc, lpc_new_str(nm, strlen(nm)))) nc = NULL;
            o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", o ? ", " : "", nm);
        }
    lp_report_put(r, "not_checked", nc);
    lp_report_put_int(r, "failed_step", s->failed_step);
    if (s->fields_ok) {
        lp_report_put_int(r, "netuid", s->netuid);
        lp_report_put_int(r, "epoch_id", s->epoch_id);
        lp_report_put_int(r, "block", s->block);
        lp_report_put(r, "validator_hotkey", lp_json_str(s->hotkey->u.s.ptr, s->hotkey->u.s.len));
        lp_report_say(r, "submission: netuid=%lld epoch_id=%lld block=%lld pairs=%zu", (long long)s->netuid,
                      (long long)s->epoch_id, (long long)s->block, s->n_uids);
    }
    if (s->not_checked) {
        lp_report_say(r, "not checked (no gateway state given): %s", line);
        lp_report_warn(r, "not checked without gateway state: %s", line);
    }
    lp_report_put_bool(r, "pcr0_pinned", s->attest_ran ? s->pcr0_pinned : -1);
    lp_report_put_bool(r, "any_pcr", s->attest_ran ? s->any_pcr_used : -1);
    if (s->attest_ran) {
        lp_report_say(r, "attestation: %s%s", lp_code_name(s->ev->result),
                      s->pcr0_pinned ? " (PCR0 pinned)" : s->any_pcr_used ? " (--any-pcr: PCR0 not pinned)" : "");
        if (s->any_pcr_used)
            lp_report_warn(r, "--any-pcr: genuine Nitro hardware, but no pinned PCR0 says it runs Leadpoet's validator code");
    }
    if (s->hotkey_ran) {
        const lpc_hotkey_result *h = &s->hk;
        int ok = h->reason == LP_CODE_OK || h->reason == LP_CODE_OK_BYTES_WRAPPED;
        lpc_value *hv = lpc_new_object();
        if (hv && !(lp_obj_set(hv, "reason", lpc_new_str(lp_code_name(h->reason), strlen(lp_code_name(h->reason)))) &&
                    lp_obj_set(hv, "verified", lpc_new_bool(ok)) && lp_obj_set(hv, "bytes_wrapped", lpc_new_bool(h->wrapped)))) {
            lpc_free(hv);
            hv = NULL;
        }
        lp_report_put(r, "hotkey_signature", hv);
        lp_report_say(r, "hotkey signature: %s", lp_code_name(h->reason));
    } else {
        lp_report_put(r, "hotkey_signature", lpc_new_null());
    }
    lp_report_put_cstr(r, "bundle_weights_hash", s->bundle_hash[0] ? s->bundle_hash : NULL);
    if (s->bundle_hash[0]) lp_report_say(r, "bundle_weights_hash: %s", s->bundle_hash);
}

int main(int argc, char **argv)
{
    lp_attest_args a;
    memset(&a, 0, sizeof a);
    const char *allowed = NULL, *accepted = NULL, *gw = NULL, *sub_block = NULL, *chain = NULL, *args[1];
    int strict = 0;
    const lp_opt opts[] = {
        LP_ATTEST_OPTIONS(a),
        {"--allowed-hotkeys", "FILE", "step 2: a JSON array of the allowed SS58 hotkeys", NULL, &allowed, NULL},
        {"--accepted", "FILE", "step 3: a JSON array of accepted {netuid, epoch_id, validator_hotkey}", NULL, &accepted,
         NULL},
        {"--gateway-block", "N", "step 4: the gateway's current block", NULL, &gw, NULL},
        {"--submission-block", "N", "WEIGHT_SUBMISSION_BLOCK of the era (default 345, v1)", NULL, &sub_block, NULL},
        {"--chain", "URL", "the chain the binding must name (default " LPAU_SUBMISSION_CHAIN_DEFAULT ")", NULL, &chain,
         NULL},
        {"--strict", NULL, "also refuse the identity hotkey and a non-canonical SS58 address", &strict, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL,
                        "[--json] [--allowed-hotkeys FILE] [--accepted FILE] [--gateway-block N] [attestation options]\n"
                        "(--expect-pcr 0=HEX | --pcr-policy FILE | --any-pcr) SUBMISSION.json",
                        "SUBMISSION.json: the /weights/submit request body; - reads standard input.  Steps 2-4 need the\n"
                        "gateway's state: without --allowed-hotkeys, --accepted or --gateway-block they are reported\n"
                        "not checked.  The attestation, binding message, signatures and hash are always checked.",
                        opts, 1, 1, &a};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    lpau_submission_opts o;
    lpau_submission_opts_init(&o);
    o.chain = chain;
    o.hotkey_flags = strict ? LPC_HOTKEY_STRICT : 0;
    if (gw) {
        if (parse_block(gw, &o.gateway_block) != 0) return lp_cli_usage_error(&r, "--gateway-block wants a block number");
        o.has_gateway_block = 1;
    }
    if (sub_block && parse_block(sub_block, &o.submission_block) != 0)
        return lp_cli_usage_error(&r, "--submission-block wants a block number");
    char err[LP_CHECK_DETAIL_MAX];
    uint8_t *root = NULL, *in = NULL, *al = NULL, *ac = NULL;
    size_t len = 0;
    lpa_evidence_opts eo;
    lpa_policy *p = malloc(sizeof *p);
    if (!p) return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "input", "out of memory");
    lp_code c = lp_attest_setup(&a, (int64_t)time(NULL), &eo, p, &root, err, sizeof err);
    if (c != LP_CODE_OK) {
        free(p);
        return lp_report_fail(&r, c, c == LP_CODE_USAGE ? "usage" : c == LP_CODE_POLICY_ERROR ? "policy" : "options", "%s",
                              err);
    }
    o.attest = &eo;
    o.policy = p;
    c = lp_read_input(args[0], LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    if (c == LP_CODE_OK && allowed)
        c = lp_read_input(allowed, LPC_JSON_MAX_INPUT, &al, &o.allowed_hotkeys_len, err, sizeof err);
    if (c == LP_CODE_OK && accepted)
        c = lp_read_input(accepted, LPC_JSON_MAX_INPUT, &ac, &o.accepted_len, err, sizeof err);
    if (c != LP_CODE_OK) {
        free(in);
        free(al);
        free(p);
        free(root);
        return lp_report_fail(&r, c, "input", "%s", err);
    }
    o.allowed_hotkeys = al;
    o.accepted = ac;
    lpau_submission s;
    lpau_submission_verify(in, len, &o, &s, lp_report_checks(&r));
    put_result(&r, &s);
    lpau_submission_free(&s);
    free(in);
    free(al);
    free(ac);
    free(p);
    free(root);
    return lp_report_finish(&r, "OK: the gateway's mandatory checks pass for this weight submission");
}
