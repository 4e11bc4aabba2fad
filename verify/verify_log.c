/* verify_log: check an exported transparency log (a JSON array of log entries,
 * spec leadpoet-formats.md §2): each entry's hash and Ed25519 signature,
 * prev_event_hash chaining, monotonic_seq per boot_id, ENCLAVE_RESTART
 * boundaries, against a pinned event-signing key.  Logic: lpm_log_verify_take. */
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"
#include "verify/cli_checkpoint.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_log"

int main(int argc, char **argv)
{
    const char *pub = NULL, *args[1];
    int no_key = 0;
    const lp_opt opts[] = {
        {"--pubkey", "HEX", "the event-signing key every entry must carry (64 hex)", NULL, &pub, NULL},
        {"--no-key", NULL, LP_NO_KEY_HELP, &no_key, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] (--pubkey HEX | --no-key) LOG_FILE",
                        "LOG_FILE: a JSON array of log entries {signed_event, event_hash, enclave_pubkey,\n"
                        "enclave_signature} (or rows wrapping them as {\"signed_log_entry\": ...}), or -.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    uint8_t k[LPM_PUBKEY_LEN];
    if (pub && !lp_parse_pubkey(pub, k)) return lp_cli_usage_error(&r, "--pubkey must be 64 hex characters");
    uint8_t *buf = NULL;
    size_t len = 0, entries = 0;
    char err[512];
    lp_code c = lp_read_input(args[0], LPC_JSON_MAX_INPUT, &buf, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    lpm_log_verify_take(buf, len, pub, no_key ? LPM_ALLOW_NO_KEY : 0, &entries, lp_report_checks(&r));
    lp_report_put_int(&r, "entries", (int64_t)entries);
    lp_report_put_cstr(&r, "pubkey", pub ? "pinned" : "not_pinned");
    lp_key_outcome(&r, pub != NULL, "pass --pubkey HEX, the enclave's event-signing key");
    return lp_report_finish(&r, "OK: the log verifies");
}
