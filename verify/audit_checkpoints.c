/* audit_checkpoints: verify a series of Leadpoet checkpoints one by one (§7.3),
 * then the links between consecutive signed ones: prev_checkpoint_root,
 * checkpoint_number steps, sequence_range continuity and time ordering (§5.3).
 * Every gap or break is reported with its position; v1 could legitimately
 * produce some (§5.3), so they are reported, never hidden. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"
#include "verify/cli_common.h"
#include "verify/cli_merkle.h"

#define TOOL "audit_checkpoints"
#define MAX_SERIES 4096

static void usage(FILE *f)
{
    fprintf(f, "usage: " TOOL " [--json] [--gateway URL] [--offline] [--pubkey HEX] CHECKPOINT...\n"
               "  CHECKPOINT: file, -, URL or Arweave transaction id, in series order\n"
               "Exit: 0 every checkpoint and link verified, 1 a check or link failed, 2 usage/input error.\n");
}

/* "YYYY-MM-DDTHH:MM:SS[.f{1,6}][Z]" -> comparable key (seconds*1e6 + micros), 0 on bad text. */
static int time_key(const char *s, long long *out)
{
    int Y, M, D, h, m, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D, &h, &m, &sec, &n) != 6) return 0;
    long long us = 0;
    const char *p = s + n;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9' && digits < 6; p++, digits++) us = us * 10 + (*p - '0');
        if (digits == 0) return 0;
        for (; digits < 6; digits++) us *= 10;
    }
    if (*p == 'Z') p++;
    if (*p) return 0;
    long long days = (long long)Y * 372 + M * 31 + D;  /* monotone, not calendar-exact: ordering only */
    *out = ((days * 24 + h) * 60 + m) * 60 * 1000000LL + (long long)sec * 1000000LL + us;
    return 1;
}

int main(int argc, char **argv)
{
    int json = 0;
    const char *pub_hex = NULL;
    lp_source_opts so = {LP_DEFAULT_GATEWAY, 0, NULL};
    const char *srcs[MAX_SERIES];
    int ns = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--version")) { printf(TOOL " " LP_VERSION_STRING "\n"); return 0; }
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--offline")) so.offline = 1;
        else if ((r = lp_cli_opt_value(TOOL, argc, argv, &i, "--pubkey", &pub_hex)) != 0 ||
                 (r = lp_cli_opt_value(TOOL, argc, argv, &i, "--gateway", &so.gateway)) != 0) {
            if (r < 0) return 2;
        } else if (a[0] == '-' && a[1] == '-') { usage(stderr); lp_cli_error(TOOL, "USAGE", "unknown option %s", a); return 2; }
        else if (ns < MAX_SERIES) srcs[ns++] = a;
        else { lp_cli_error(TOOL, "USAGE", "at most %d checkpoints", MAX_SERIES); return 2; }
    }
    if (ns == 0) { usage(stderr); lp_cli_error(TOOL, "USAGE", "at least one CHECKPOINT is required"); return 2; }
    uint8_t key[LPM_PUBKEY_LEN];
    if (pub_hex && !lp_parse_pubkey(pub_hex, key)) { lp_cli_error(TOOL, "USAGE", "--pubkey must be 64 hex characters"); return 2; }
    if (!pub_hex) fprintf(stderr, TOOL ": warning: no --pubkey; header signatures are not checked\n");

    lp_jchecks top;
    lp_jchecks_init(&top);
    json_t *list = json_array();
    lpm_header prev;
    int have_prev = 0, prev_i = -1;
    for (int i = 0; i < ns; i++) {
        char name[64], err[512];
        snprintf(name, sizeof name, "checkpoint[%d]", i);
        uint8_t *buf = NULL;
        size_t len = 0;
        const char *code = lp_load_source(srcs[i], &so, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
        if (code) { lp_jchecks_add(&top, name, 0, code, "%s", err); top.undecided = 1; continue; }
        lpm_checkpoint *cp = NULL;
        lpm_err e = lpm_checkpoint_parse(buf, len, &cp);
        free(buf);
        if (e != LPM_OK) {
            lp_jchecks_add(&top, name, 0, lpm_errname(e), "%s: %s", srcs[i], lpm_strerror(e));
            top.undecided = 1;
            lpm_checkpoint_free(cp);
            continue;
        }
        lp_jchecks c;
        lp_jchecks_init(&c);
        const char *sig;
        int st = lp_verify_checkpoint(cp, pub_hex ? key : NULL, &c, &sig);
        json_t *item = json_pack("{s:s,s:o,s:s,s:s,s:O}", "source", srcs[i], "checkpoint", lp_checkpoint_json(cp),
                                 "signature", sig, "result", c.first_code ? c.first_code : "OK", "checks", c.arr);
        json_array_append_new(list, item);
        if (lpm_checkpoint_unsigned_empty(cp) && c.first_code && !strcmp(c.first_code, "EMPTY_CHECKPOINT")) {
            /* a consistent host-made empty checkpoint is a legitimate part of the series (§5.3),
             * but it proves nothing and is left out of the links */
            lp_jchecks_add(&top, name, 1, NULL, "%s: unsigned empty host checkpoint %lld (nothing to verify; not linked)",
                          srcs[i], (long long)lpm_checkpoint_header(cp)->number);
        } else {
            lp_jchecks_add(&top, name, st == 0, c.first_code, "%s: checkpoint %lld %s", srcs[i],
                          (long long)lpm_checkpoint_header(cp)->number, st == 0 ? "verified" : c.first_code);
            if (st == 2) top.undecided = 1;
            if (have_prev) {
                char ln[96];
                const lpm_header *h = lpm_checkpoint_header(cp);
                snprintf(ln, sizeof ln, "link[%d->%d].prev_checkpoint_root", prev_i, i);
                int ok = h->has_prev_root && !strcmp(h->prev_root, prev.merkle_root);
                lp_jchecks_add(&top, ln, ok, "CHAIN_BREAK", "%s", ok ? "links to the previous root"
                              : h->has_prev_root ? "points to a root that is not the previous checkpoint's (never uploaded, or missing)"
                                                 : "null: enclave restarted (new chain)");
                snprintf(ln, sizeof ln, "link[%d->%d].checkpoint_number", prev_i, i);
                ok = h->number == prev.number + 1;
                lp_jchecks_add(&top, ln, ok, "NUMBER_GAP", "%lld -> %lld", (long long)prev.number, (long long)h->number);
                snprintf(ln, sizeof ln, "link[%d->%d].sequence_range", prev_i, i);
                ok = h->has_sequence_range && prev.has_sequence_range && h->seq_first == prev.seq_last + 1;
                lp_jchecks_add(&top, ln, ok, "SEQUENCE_GAP", "previous last %lld, this first %lld", (long long)prev.seq_last,
                              (long long)h->seq_first);
                snprintf(ln, sizeof ln, "link[%d->%d].time_range", prev_i, i);
                long long a, b;
                const char *pe = prev.time_end.present ? prev.time_end.text : NULL;
                const char *cs = h->time_start.present ? h->time_start.text : NULL;
                ok = time_key(pe, &a) && time_key(cs, &b) && b >= a;
                lp_jchecks_add(&top, ln, ok, "TIME_ORDER", "previous end %s, this start %s", pe ? pe : "-", cs ? cs : "-");
            }
            if (st != 2) {
                prev = *lpm_checkpoint_header(cp);
                have_prev = 1;
                prev_i = i;
            }
        }
        lp_jchecks_free(&c);
        lpm_checkpoint_free(cp);
    }
    const char *result = top.first_code ? top.first_code : "OK";
    int rc = top.undecided ? 2 : top.first_code ? 1 : 0;
    if (json) {
        json_t *o = json_pack("{s:s,s:O,s:o}", "result", result, "checks", top.arr, "checkpoints", list);
        lp_print_json(o);
    } else {
        size_t k;
        json_t *ch;
        json_array_foreach(top.arr, k, ch)
            printf("  %-4s %-40s %s\n", json_is_true(json_object_get(ch, "ok")) ? "ok" : "FAIL",
                   json_string_value(json_object_get(ch, "name")), json_string_value(json_object_get(ch, "detail")));
        json_decref(list);
        printf("%s\n", rc == 0 ? "OK: every checkpoint and link verified" : rc == 1 ? "FAILED" : "UNDECIDED");
    }
    if (rc) {
        size_t k;
        json_t *ch;
        json_array_foreach(top.arr, k, ch) if (!json_is_true(json_object_get(ch, "ok"))) {
            lp_cli_error(TOOL, result, "%s: %s", json_string_value(json_object_get(ch, "name")),
                         json_string_value(json_object_get(ch, "detail")));
            break;
        }
    }
    lp_jchecks_free(&top);
    return rc;
}
