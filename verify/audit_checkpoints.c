/* audit_checkpoints: verify a series of Leadpoet checkpoints one by one (§7.3),
 * then the links between consecutive signed ones: prev_checkpoint_root,
 * checkpoint_number steps, sequence_range continuity and time ordering (§5.3).
 * Every gap or break is reported with its position; v1 could legitimately
 * produce some (§5.3), so they are reported, never hidden.  Logic: lpm_series. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"
#include "verify/cli_checkpoint.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"
#include "verify/cli_source.h"

#define TOOL "audit_checkpoints"
#define MAX_SERIES 4096

/* One checkpoint of the series: its own report object appended to list. */
static void one(lpm_series *s, size_t i, const char *src, const lp_source_opts *so, const uint8_t *key, unsigned flags,
                lp_report *r, lpc_value *list)
{
    char name[LP_CHECK_NAME_MAX], err[512];
    uint8_t *buf = NULL;
    size_t len = 0;
    snprintf(name, sizeof name, "checkpoint[%zu]", i);
    lp_code c = lp_load_source(src, so, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
    if (c != LP_CODE_OK) {
        lp_check_addi(lp_report_checks(r), name, c, i, "%s", err);
        return;
    }
    lpm_checkpoint *cp = NULL;
    lpm_err e = lpm_checkpoint_parse(buf, len, &cp);
    free(buf);
    if (e != LPM_OK) {
        lp_check_addi(lp_report_checks(r), name, lpm_code(e), i, "%s: %s", src, lpm_strerror(e));
        return;
    }
    lp_checks own;
    lp_checks_init(&own);
    lpm_sig_state sig;
    lp_code v = lpm_series_add(s, i, cp, key, flags, &own, lp_report_checks(r), &sig);
    lpc_value *item = lpc_new_object();
    const char *sn = lpm_sig_state_name(sig), *vn = lp_code_name(v);
    int ok = item && lp_obj_set(item, "source", lp_json_str(src, strlen(src))) &&
             lp_obj_set(item, "checkpoint", lp_checkpoint_summary(cp)) &&
             lp_obj_set(item, "signature", lpc_new_str(sn, strlen(sn))) &&
             lp_obj_set(item, "result", lpc_new_str(vn, strlen(vn))) && lp_obj_set(item, "checks", lp_checks_value(&own));
    if (!ok) lpc_free(item);
    if (!ok || !lp_arr_push(list, item)) r->oom = 1;
    lp_checks_free(&own);
    lpm_checkpoint_free(cp);
}

int main(int argc, char **argv)
{
    const char *pub = NULL, *args[MAX_SERIES];
    int no_key = 0;
    lp_source_opts so = {NULL, 0, NULL};
    const lp_opt opts[] = {
        {"--pubkey", "HEX", "the enclave's Ed25519 checkpoint-signing key (64 hex)", NULL, &pub, NULL},
        {"--no-key", NULL, LP_NO_KEY_HELP, &no_key, NULL, NULL},
        {"--gateway", "URL", "Arweave gateway for transaction ids (default " LP_DEFAULT_GATEWAY ")", NULL, &so.gateway, NULL},
        {"--offline", NULL, "refuse all network access", &so.offline, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--gateway URL] [--offline] (--pubkey HEX | --no-key) CHECKPOINT...",
                        "CHECKPOINT: file, -, URL or Arweave transaction id, in series order.", opts, 1, MAX_SERIES, NULL};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    if (!so.gateway) so.gateway = LP_DEFAULT_GATEWAY;
    uint8_t key[LPM_PUBKEY_LEN];
    if (pub && !lp_parse_pubkey(pub, key)) return lp_cli_usage_error(&r, "--pubkey must be 64 hex characters");
    lpm_series s;
    lpm_series_init(&s);
    lpc_value *list = lpc_new_array();
    if (!list) r.oom = 1;
    for (size_t i = 0; i < n && list; i++) one(&s, i, args[i], &so, pub ? key : NULL, no_key ? LPM_ALLOW_NO_KEY : 0, &r, list);
    lp_report_put(&r, "checkpoints", list);
    lp_key_outcome(&r, pub != NULL, "pass --pubkey HEX, the key the enclave attests (GET /attest enclave_public_key)");
    return lp_report_finish(&r, "OK: every checkpoint and link verified");
}
