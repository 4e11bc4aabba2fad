/* canonicalize: re-serialise one JSON value exactly as Leadpoet's Python does,
 * so a user can see the preimage behind a hash.  Spec: leadpoet-formats.md §1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "verify/cli_common.h"

#define TOOL "canonicalize"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL " --profile PROFILE [--sha256] FILE\n"
            "  PROFILE: compact-sorted-ascii | default-sorted-ascii | default-unsorted-ascii |\n"
            "           compact-sorted-utf8 | compact-sorted-utf8-nonan | indent2-sorted-ascii\n"
            "  FILE:    a file holding one JSON value, or - for standard input\n"
            "Writes the exact bytes Python's json.dumps gives for that profile (no trailing\n"
            "newline), or with --sha256 their lowercase hex SHA-256 and a newline.\n"
            "Exit: 0 written, 2 unreadable input, malformed JSON or a value the profile cannot encode.\n");
}

int main(int argc, char **argv)
{
    const char *profile_name = NULL, *path = NULL;
    int want_sha = 0;
    for (int i = 1, r; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf(TOOL " " LP_VERSION_STRING "\n");
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--sha256")) {
            want_sha = 1;
        } else if ((r = lp_cli_opt_value(TOOL, argc, argv, &i, "--profile", &profile_name)) != 0) {
            if (r < 0)
                return LP_EXIT_UNDECIDED;
        } else if (a[0] == '-' && a[1] != 0) {
            lp_cli_error(TOOL, "USAGE", "unknown option %s", a);
            return LP_EXIT_UNDECIDED;
        } else if (!path) {
            path = a;
        } else {
            lp_cli_error(TOOL, "USAGE", "only one FILE may be given");
            return LP_EXIT_UNDECIDED;
        }
    }
    if (!profile_name || !path) {
        usage(stderr);
        lp_cli_error(TOOL, "USAGE", "%s is required", profile_name ? "FILE" : "--profile");
        return LP_EXIT_UNDECIDED;
    }
    lpc_profile profile;
    if (lpc_profile_from_name(profile_name, &profile) != LPC_OK) {
        lp_cli_error(TOOL, "USAGE", "unknown profile '%s'", profile_name);
        return LP_EXIT_UNDECIDED;
    }

    uint8_t *in = NULL;
    size_t len = 0;
    char err[512];
    lp_read_status rs = lp_read_input(path, LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    if (rs != LP_READ_OK) {
        lp_cli_error(TOOL, rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : "IO_ERROR", "%s", err);
        return LP_EXIT_UNDECIDED;
    }
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse(in, len, &v, &off);
    free(in);
    if (e != LPC_OK) {
        lp_cli_error(TOOL, lpc_errname(e), "%s (%s, byte %zu)", lpc_strerror(e), path, off);
        return LP_EXIT_UNDECIDED;
    }
    lpc_buf out = {0};
    e = lpc_dump(v, profile, &out);
    lpc_free(v);
    if (e != LPC_OK) {
        lp_cli_error(TOOL, lpc_errname(e), "%s (profile %s)", lpc_strerror(e), lpc_profile_name(profile));
        lpc_buf_free(&out);
        return LP_EXIT_UNDECIDED;
    }
    int rc = LP_EXIT_OK;
    if (want_sha) {
        char hex[LPC_SHA256_HEX_LEN + 1];
        if (lpc_sha256_hex(out.ptr, out.len, hex) != LPC_OK) {
            lp_cli_error(TOOL, "CRYPTO_BACKEND", "SHA-256 failed");
            rc = LP_EXIT_UNDECIDED;
        } else {
            printf("%s\n", hex);
        }
    } else if (out.len && fwrite(out.ptr, 1, out.len, stdout) != out.len) {
        rc = LP_EXIT_UNDECIDED;
    }
    if (fflush(stdout) != 0) {
        lp_cli_error(TOOL, "IO_ERROR", "cannot write standard output");
        rc = LP_EXIT_UNDECIDED;
    }
    lpc_buf_free(&out);
    return rc;
}
