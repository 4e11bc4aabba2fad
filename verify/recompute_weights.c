/* recompute_weights: runs Leadpoet's compute_final_weights on a calculation snapshot,
 * bit for bit, and optionally compares a claimed result with it under the reference's
 * comparison (Python ==).  Spec: leadpoet-weights-v2.md §5, §8.3.  Logic:
 * lpc_compute_final_weights. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_dump.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_weight_computation.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "recompute_weights"

static lp_code load(const char *path, const char *what, lpc_value **out, char *err, size_t errlen)
{
    uint8_t *in = NULL;
    size_t len = 0, off = 0;
    lp_code c = lp_read_input(path, LPC_JSON_MAX_INPUT, &in, &len, err, errlen);
    if (c != LP_CODE_OK) return c;
    lpc_err e = lpc_parse(in, len, out, &off);
    free(in);
    if (e != LPC_OK) {
        snprintf(err, errlen, "%s: %s (byte %zu)", what, lpc_strerror(e), off);
        return lpc_code(e);
    }
    return LP_CODE_OK;
}

int main(int argc, char **argv)
{
    const char *expect = NULL, *out = NULL, *args[1];
    const lp_opt opts[] = {
        {"--expect-result", "FILE", "a claimed result document: exit 1 unless it equals the recomputed one (Python ==)",
         NULL, &expect, NULL},
        {"--result-out", "FILE", "also write the result document's exact CS-U bytes to FILE", NULL, &out, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--expect-result FILE] [--result-out FILE] SNAPSHOT.json",
                        "Validates a calculation snapshot (leadpoet.weight_computation_request.v1; - for standard\n"
                        "input) as Leadpoet's compute_final_weights does and prints the result document exactly as\n"
                        "the reference serialises it (CS-U), its hashes and the sparse u16 weights.  A snapshot the\n"
                        "reference refuses exits 2 with the reference's own message.  With --expect-result the\n"
                        "claimed document must equal the recomputed one as Python compares them (71.0 == 71);\n"
                        "otherwise RESULT_MISMATCH (exit 1) names the first differing field.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t nargs;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &nargs);
    if (rc != LP_CLI_GO) return rc;
    lp_checks *ck = lp_report_checks(&r);
    char err[512];
    lpc_value *snap = NULL, *claimed = NULL, *res = NULL;
    lp_code c = load(args[0], "snapshot", &snap, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    if (expect && (c = load(expect, "claimed result", &claimed, err, sizeof err)) != LP_CODE_OK) {
        lpc_free(snap);
        return lp_report_fail(&r, c, "expect_result", "%s", err);
    }
    lpc_referr e;
    char config_hash[LPC_SHA256_REF_SIZE], result_hash[LPC_SHA256_REF_SIZE];
    c = lpc_compute_final_weights(snap, NULL, &res, &e);
    if (c != LP_CODE_OK) {
        lpc_free(snap);
        lpc_free(claimed);
        lp_report_put_cstr(&r, "message", e.message);
        lp_report_put_cstr(&r, "exception", e.type);
        lp_report_put_cstr(&r, "weights", NULL);
        return lp_report_fail(&r, c, "compute_final_weights", "%s: %s", e.type, e.message);
    }
    /* both hashes succeed on a computed snapshot and its all-finite result */
    lp_code h1 = lpc_weight_config_hash(snap, config_hash, &e);
    lp_code h2 = lpc_wcomp_sha256_json(res, result_hash, &e);
    lpc_free(snap);
    if (h1 != LP_CODE_OK || h2 != LP_CODE_OK) {
        lpc_free(res);
        lpc_free(claimed);
        return lp_report_fail(&r, LP_CODE_INTERNAL, "hash", "%s", e.message);
    }
    const lpc_value *su = lpc_get(res, "sparse_uids"), *sw = lpc_get(res, "sparse_weights_u16");
    lp_check_add(ck, "compute_final_weights", LP_CODE_OK, "%zu uids, %zu nonzero u16 weights", lpc_get(res, "uids")->u.a.n,
                 su->u.a.n);
    lp_report_put_cstr(&r, "message", NULL);
    lp_report_put_cstr(&r, "config_hash", config_hash);
    lp_report_put_cstr(&r, "snapshot_hash", lpc_get(res, "snapshot_hash")->u.s.ptr);
    lp_report_put_cstr(&r, "result_hash", result_hash);
    lp_report_put_cstr(&r, "weights_hash", lpc_get(res, "weights_hash")->u.s.ptr);
    if (claimed) {
        char path[256];
        if (lpc_py_first_difference(res, claimed, path, sizeof path)) {
            lp_check_add(ck, "expect_result", LP_CODE_RESULT_MISMATCH, "the claimed result differs at %s",
                         path[0] ? path : "its root");
            lp_report_put_cstr(&r, "first_difference", path);
        } else {
            lp_check_add(ck, "expect_result", LP_CODE_OK, "the claimed result equals the recomputed one (Python ==)");
        }
        lpc_free(claimed);
    }
    lpc_buf doc = {0};
    if (lpc_dump(res, LPC_PROFILE_CS_U_NONAN, &doc) != LPC_OK) {
        lpc_free(res);
        return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "serialise", "out of memory");
    }
    lp_report_say(&r, "config_hash   %s", config_hash);
    lp_report_say(&r, "snapshot_hash %s", lpc_get(res, "snapshot_hash")->u.s.ptr);
    lp_report_say(&r, "result_hash   %s", result_hash);
    lp_report_say(&r, "weights_hash  %s", lpc_get(res, "weights_hash")->u.s.ptr);
    for (size_t i = 0; i < su->u.a.n; i++)
        lp_report_say(&r, "uid %s weight %s", su->u.a.items[i]->u.i.digits, sw->u.a.items[i]->u.i.digits);
    if (out && (c = lp_save_bytes(out, doc.ptr, doc.len, err, sizeof err)) != LP_CODE_OK) {
        lpc_buf_free(&doc);
        lpc_free(res);
        return lp_report_fail(&r, c, "result_out", "%s", err);
    }
    /* the result document is ASCII (ints, floats, hex and schema strings): written
     * whole, exactly, on one line (a report line would be cut) */
    if (!r.json) {
        fputs("result ", stdout);
        fwrite(doc.ptr, 1, doc.len, stdout);
        fputc('\n', stdout);
    }
    lpc_buf_free(&doc);
    lp_report_put(&r, "weights", res);
    return lp_report_finish(&r, "OK: the weights are what compute_final_weights gives for this snapshot");
}
