/* verify_log: check an exported transparency log (a JSON array of log entries,
 * spec §2): each entry's hash and Ed25519 signature, prev_event_hash chaining,
 * monotonic_seq per boot_id, ENCLAVE_RESTART boundaries, optional key pinning.
 * Rows that wrap the entry as {"signed_log_entry": {...}} (TEE records, §3.2)
 * are accepted too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"
#include "verify/cli_common.h"
#include "verify/cli_merkle.h"

#define TOOL "verify_log"

static void usage(FILE *f)
{
    fprintf(f, "usage: " TOOL " [--json] [--pubkey HEX] LOG_FILE\n"
               "  LOG_FILE: JSON array of log entries {signed_event, event_hash, enclave_pubkey, enclave_signature}, or -\n"
               "  --pubkey: the event-signing key every entry must carry (64 hex, compared as a string)\n"
               "Exit: 0 every entry and link verified, 1 a check failed, 2 usage/input error.\n");
}

static int same_str(const lpc_value *a, const lpc_value *b)
{
    return a && b && a->type == LPC_STR && b->type == LPC_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

int main(int argc, char **argv)
{
    int json = 0;
    const char *pub = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--version")) { printf(TOOL " " LP_VERSION_STRING "\n"); return 0; }
        else if (!strcmp(a, "--json")) json = 1;
        else if ((r = lp_cli_opt_value(TOOL, argc, argv, &i, "--pubkey", &pub)) != 0) {
            if (r < 0) return 2;
        } else if (a[0] == '-' && a[1] == '-') { usage(stderr); lp_cli_error(TOOL, "USAGE", "unknown option %s", a); return 2; }
        else if (!path) path = a;
        else { lp_cli_error(TOOL, "USAGE", "only one LOG_FILE"); return 2; }
    }
    if (!path) { usage(stderr); lp_cli_error(TOOL, "USAGE", "LOG_FILE is required"); return 2; }
    uint8_t k[LPM_PUBKEY_LEN];
    if (pub && !lp_parse_pubkey(pub, k)) { lp_cli_error(TOOL, "USAGE", "--pubkey must be 64 hex characters"); return 2; }
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    lp_read_status rs = lp_read_input(path, LPC_JSON_MAX_INPUT, &buf, &len, err, sizeof err);
    if (rs != LP_READ_OK) { lp_cli_error(TOOL, rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : "IO_ERROR", "%s", err); return 2; }
    lpc_value *doc = NULL;
    size_t off = 0;
    lpc_err pe = lpc_parse(buf, len, &doc, &off);
    free(buf);
    if (pe != LPC_OK || doc->type != LPC_ARRAY) {
        lp_cli_error(TOOL, "MALFORMED_INPUT", pe != LPC_OK ? "not JSON (%s at byte %zu)" : "not a JSON array%s%zu",
                     pe != LPC_OK ? lpc_strerror(pe) : "", pe != LPC_OK ? off : (size_t)0);
        lpc_free(doc);
        return 2;
    }
    size_t n = doc->u.a.n;
    if (n > LPM_MAX_EVENTS) { lp_cli_error(TOOL, "INPUT_TOO_LARGE", "more than %zu entries", LPM_MAX_EVENTS); lpc_free(doc); return 2; }
    const lpc_value **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) { lpc_free(doc); return 2; }
    for (size_t i = 0; i < n; i++) {
        const lpc_value *it = doc->u.a.items[i], *w = lpc_get(it, "signed_log_entry");
        ents[i] = w && w->type == LPC_OBJECT ? w : it;
    }
    if (!pub) fprintf(stderr, TOOL ": warning: no --pubkey; signatures are checked against the keys the log itself carries\n");
    lp_jchecks c;
    lp_jchecks_init(&c);
    size_t bad = 0;
    lpm_err e = n ? lpm_log_entries_verify(ents, n, pub, 0, &bad) : LPM_ERR_MALFORMED;
    if (n == 0) lp_jchecks_add(&c, "entries", 0, "EMPTY_LOG", "the log has no entries");
    else if (e == LPM_OK) lp_jchecks_add(&c, "entries", 1, NULL, "%zu entries: event_hash and Ed25519 signature verified%s", n,
                                        pub ? ", key pinned" : "");
    else {
        if (e == LPM_ERR_NOMEM || e == LPM_ERR_CRYPTO) c.undecided = 1;
        lp_jchecks_add(&c, "entries", 0, e == LPM_ERR_MALFORMED ? "MALFORMED_ENTRY" : lpm_errname(e), "entry %zu: %s", bad,
                      e == LPM_ERR_MALFORMED ? "missing or empty signed_event/event_hash/enclave_pubkey/enclave_signature"
                                             : lpm_strerror(e));
    }
    if (n) {
        e = lpm_log_chain_check(ents, n, &bad);
        if (e == LPM_ERR_CHAIN_BROKEN)
            lp_jchecks_add(&c, "hash_chain", 0, "CHAIN_BROKEN", "entry %zu: prev_event_hash does not link to entry %zu's event_hash",
                          bad, bad - 1);
        else if (e == LPM_ERR_MALFORMED)
            lp_jchecks_add(&c, "hash_chain", 0, "MALFORMED_ENTRY", "entry %zu: signed_event, boot_id or monotonic_seq missing", bad);
        else {
            lp_jchecks_add(&c, "hash_chain", 1, NULL, "every non-restart entry links to the one before");
            if (e == LPM_OK) lp_jchecks_add(&c, "monotonic_seq", 1, NULL, "strictly increasing within each boot_id");
            else lp_jchecks_add(&c, "monotonic_seq", 0, lpm_errname(e), "entry %zu: monotonic_seq does not increase within its boot", bad);
        }
        /* ENCLAVE_RESTART boundaries: a boot change only at a restart, whose payload names the
         * new boot and key; within a boot the key never changes. */
        size_t restarts = 0, bad_r = SIZE_MAX;
        const char *why = NULL;
        for (size_t i = 0; i < n && bad_r == SIZE_MAX; i++) {
            const lpc_value *se = lpc_get(ents[i], "signed_event");
            const lpc_value *boot = lpc_get(se, "boot_id");
            int restart = lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART");
            if (restart) {
                restarts++;
                const lpc_value *p = lpc_get(se, "payload");
                if (!same_str(lpc_get(p, "new_boot_id"), boot)) { bad_r = i; why = "payload.new_boot_id differs from boot_id"; }
                else if (!same_str(lpc_get(p, "enclave_pubkey"), lpc_get(ents[i], "enclave_pubkey"))) { bad_r = i; why = "payload.enclave_pubkey differs from the signer"; }
            } else if (i > 0) {
                const lpc_value *pse = lpc_get(ents[i - 1], "signed_event");
                if (!same_str(boot, lpc_get(pse, "boot_id"))) { bad_r = i; why = "boot_id changes without an ENCLAVE_RESTART"; }
                else if (!same_str(lpc_get(ents[i], "enclave_pubkey"), lpc_get(ents[i - 1], "enclave_pubkey"))) { bad_r = i; why = "signing key changes within a boot"; }
            }
        }
        if (bad_r == SIZE_MAX) lp_jchecks_add(&c, "restart_boundaries", 1, NULL, "%zu ENCLAVE_RESTART boundaries consistent", restarts);
        else lp_jchecks_add(&c, "restart_boundaries", 0, "RESTART_INVALID", "entry %zu: %s", bad_r, why);
    }
    const char *result = c.first_code ? c.first_code : "OK";
    int rc = c.undecided ? 2 : c.first_code ? 1 : 0;
    if (json) {
        lp_print_json(json_pack("{s:s,s:O,s:I,s:s}", "result", result, "checks", c.arr, "entries", (json_int_t)n, "pubkey",
                                pub ? "pinned" : "not_pinned"));
    } else {
        size_t i;
        json_t *ch;
        json_array_foreach(c.arr, i, ch)
            printf("  %-4s %-18s %s\n", json_is_true(json_object_get(ch, "ok")) ? "ok" : "FAIL",
                   json_string_value(json_object_get(ch, "name")), json_string_value(json_object_get(ch, "detail")));
        printf("%s\n", rc == 0 ? "OK: the log verifies" : rc == 1 ? "FAILED" : "UNDECIDED");
    }
    if (rc) {
        size_t i;
        json_t *ch;
        json_array_foreach(c.arr, i, ch) if (!json_is_true(json_object_get(ch, "ok"))) {
            lp_cli_error(TOOL, result, "%s: %s", json_string_value(json_object_get(ch, "name")), json_string_value(json_object_get(ch, "detail")));
            break;
        }
    }
    lp_jchecks_free(&c);
    free(ents);
    lpc_free(doc);
    return rc;
}
