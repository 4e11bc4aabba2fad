/* replay_sn46: replays a Bittensor Subnet 46 (RESI) zipcode epoch under one of its rule
 * profiles and compares a validator's claimed scores, consensus hash and u16 weights with
 * the replay.  Spec: subnet46-zipcode.md §11.  Logic: audit/sn46_replay.h.
 *
 * --json prints the replay's report object (§11.3) through the suite's report layer:
 * every member of the report, plus the suite's reserved "tool" and "warnings"; "checks"
 * carries the report's checks (with the suite's "code" on a failed one); an early stop
 * (the library's leading "input" or "replay" check) decides the verdict and the stderr
 * line without being listed, as in the spec's report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sn46_replay.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "replay_sn46"

int main(int argc, char **argv)
{
    const char *profile = NULL, *args[1];
    const lp_opt opts[] = {
        {"--profile", "P", "rule profile: resi-2025-11-18, resi-2025-10-29, resi-2025-10-15 or plan-2025-09-29 "
                           "(default: the input's)", NULL, &profile, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--profile P] INPUT.json",
                        "Replays a Subnet 46 zipcode epoch (leadpoet-verify/sn46-epoch-replay/1; - for standard\n"
                        "input): the assignment checks, which files the validator scores, the tiers, rankings,\n"
                        "scores, consensus hash and u16 weights under the profile's rules, and the comparison\n"
                        "with the validator's claims.  Exit 0 replayed or verified, 1 a claim or assignment\n"
                        "check failed (or the upstream scorer would raise), 2 undecidable input.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t nargs;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &nargs);
    if (rc != LP_CLI_GO) return rc;
    if (profile && !lp_sn46_profile_known(profile)) return lp_cli_usage_error(&r, "unknown --profile %s", profile);
    char err[512];
    uint8_t *in = NULL;
    size_t len = 0;
    lp_code c = lp_read_input(args[0], LP_SN46_MAX_INPUT, &in, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    lpc_value *rep = NULL;
    lp_checks ck;
    lp_checks_init(&ck);
    c = lp_sn46_replay(in, len, profile, &ck, &rep);
    free(in);
    /* an early stop leads the library's list (so that its verdict is §11.4's result); the
     * report lists the spec's checks only, and the stop decides the verdict */
    size_t first = 0;
    if (ck.n && !ck.items[0].ok && (strcmp(ck.items[0].name, "input") == 0 || strcmp(ck.items[0].name, "replay") == 0)) {
        lp_report_stop(&r, &ck.items[0]);
        first = 1;
    }
    lp_checks rest = ck;   /* a view past the stop; ck keeps the items */
    rest.items += first;
    rest.n -= first;
    lp_checks_append(lp_report_checks(&r), &rest);
    lp_checks_free(&ck);
    if (!rep) return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "replay", "out of memory");
    for (size_t i = 0; i < rep->u.o.n; i++) {
        lpc_member *m = &rep->u.o.items[i];
        if (strcmp(m->key, "result") == 0 || strcmp(m->key, "checks") == 0) continue;
        lpc_value *v = NULL;
        if (lpc_clone(m->val, &v) != LPC_OK) v = NULL;
        lp_report_put(&r, m->key, v);
    }
    const lpc_value *fs = lpc_get(rep, "final_scores"), *w = lpc_get(rep, "weights");
    if (lpc_get(rep, "consensus_hash")) lp_report_say(&r, "consensus_hash %s", lpc_get(rep, "consensus_hash")->u.s.ptr);
    if (fs) lp_report_say(&r, "miners scored %zu", lpc_get(fs, "miner_scores")->u.o.n);
    const lpc_value *ef = lpc_get(rep, "epoch_findings"), *er = lpc_get(rep, "error");
    for (size_t i = 0; ef && i < ef->u.a.n; i++) lp_report_say(&r, "epoch finding %s", ef->u.a.items[i]->u.s.ptr);
    if (er) lp_report_say(&r, "replay stopped: %s", er->u.s.ptr);
    if (w) {
        const lpc_value *u = lpc_get(w, "uids"), *x = lpc_get(w, "weights_u16");
        for (size_t i = 0; i < u->u.a.n; i++)
            lp_report_say(&r, "uid %s weight %s", u->u.a.items[i]->u.i.digits, x->u.a.items[i]->u.i.digits);
    }
    lpc_free(rep);
    (void)c;
    return lp_report_finish(&r, "OK: the epoch replays and every claim matches");
}
