/* canonicalize: re-serialise one JSON value exactly as Leadpoet's Python does,
 * so a user can see the preimage behind a hash.  Spec: leadpoet-formats.md §1. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "canonicalize"

int main(int argc, char **argv)
{
    const char *profile_name = NULL, *args[1];
    int want_sha = 0;
    const lp_opt opts[] = {
        {"--profile", "PROFILE", "compact-sorted-ascii | default-sorted-ascii | default-unsorted-ascii | "
                                 "compact-sorted-utf8 | compact-sorted-utf8-nonan | indent2-sorted-ascii",
         NULL, &profile_name, NULL},
        {"--sha256", NULL, "print the lowercase hex SHA-256 of the bytes instead", &want_sha, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "--profile PROFILE [--sha256] [--json] FILE",
                        "Writes the exact bytes Python's json.dumps gives for one JSON value (FILE, or - for\n"
                        "standard input) in PROFILE, with no trailing newline; --sha256 prints their SHA-256;\n"
                        "--json prints {profile, bytes, sha256, output} instead.",
                        opts, 1, 1, NULL};
    lp_report r;
    size_t nargs;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &nargs);
    if (rc != LP_CLI_GO) return rc;
    lpc_profile profile;
    if (!profile_name) return lp_cli_usage_error(&r, "--profile is required");
    if (lpc_profile_from_name(profile_name, &profile) != LPC_OK)
        return lp_cli_usage_error(&r, "unknown profile \"%.60s\"", profile_name);
    lp_report_put_cstr(&r, "profile", lpc_profile_name(profile));
    r.text_report = 0;

    uint8_t *in = NULL;
    size_t len = 0, off = 0;
    char err[512];
    lp_code c = lp_read_input(args[0], LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    lpc_buf out = {0};
    lpc_err e = LPC_ERR_UNSUPPORTED;
    if (profile == LPC_PROFILE_CS_A) {
        /* straight from the text without a tree when it can be (the same bytes as
         * lpc_dump(lpc_parse(...)), lpc_csa.h); anything it declines goes to the tree */
        lpc_csa_scratch cs = {0};
        e = lpc_csa_from_text_ex(in, len, LPC_CSA_DECODE, &cs, NULL, NULL, &out);
        lpc_csa_scratch_free(&cs);
    }
    lpc_value *v = NULL;
    if (e == LPC_OK) {
        free(in);
    } else {
        lpc_buf_free(&out);
        e = lpc_parse_take(in, len, LPC_JSON_MAX_INPUT, SIZE_MAX, &v, &off);  /* in is the document's now */
        if (e != LPC_OK)
            return lp_report_fail(&r, lpc_code(e), "parse", "%s (%s, byte %zu)", lpc_strerror(e), args[0], off);
    }
    lp_check_add(lp_report_checks(&r), "parse", LP_CODE_OK, "%zu bytes of JSON text, one value", len);
    if (v) {
        e = lpc_dump(v, profile, &out);
        lpc_free(v);
    }
    char hex[LPC_SHA256_HEX_LEN + 1];
    if (e == LPC_OK && lpc_sha256_hex(out.ptr, out.len, hex) != LPC_OK) e = LPC_ERR_CRYPTO;
    if (e != LPC_OK) {
        lpc_buf_free(&out);
        return lp_report_fail(&r, lpc_code(e), "serialise", "%s (profile %s)", lpc_strerror(e), lpc_profile_name(profile));
    }
    lp_check_add(lp_report_checks(&r), "serialise", LP_CODE_OK, "%zu bytes in profile %s", out.len,
                 lpc_profile_name(profile));
    int status = LP_EXIT_OK;
    if (r.json) {
        lp_report_put_int(&r, "bytes", (int64_t)out.len);
        lp_report_put_cstr(&r, "sha256", hex);
        lp_report_put_str(&r, "output", out.ptr ? (const char *)out.ptr : "", out.len);
        status = lp_report_finish(&r, NULL);
    } else {
        /* the bytes are the output; the report adds nothing on success */
        if (want_sha) printf("%s\n", hex);
        else if (out.len) fwrite(out.ptr, 1, out.len, stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            status = lp_report_fail(&r, LP_CODE_OUTPUT_ERROR, "output", "cannot write standard output");
        } else {
            lp_report_free(&r);
        }
    }
    lpc_buf_free(&out);
    return status;
}
