/* verify_weights: normalise or check a sparse u16 weight bundle, its hashes,
 * the EPOCH_AUDIT comparison with another validator's on-chain weights, and
 * the validator binding message.  Spec: leadpoet-formats.md §10, §11.
 * Logic in audit/weights_audit.h and canonical/lpc_binding.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/weights_audit.h"
#include "canonical/lpc_binding.h"
#include "verify/cli_common.h"
#include "verify/cli_report.h"

#define TOOL "verify_weights"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL " [--json] [--expect-hash HEX] [--against FILE] [binding options] FILE\n"
            "  FILE: {netuid, epoch_id, block, weights:[[uid,score],...]} (raw scores, normalised)\n"
            "        or {netuid, epoch_id, block, uids:[...], weights_u16:[...]} (submitted bundle),\n"
            "        optionally with weights_hash; - reads standard input\n"
            "  --expect-hash HEX   the bundle_weights_hash the bundle must have\n"
            "  --against FILE      another validator's on-chain weights [[uid, value], ...]: exact\n"
            "                      compare-hash match, else the +-1 tolerance (EPOCH_AUDIT)\n"
            "  --chain URL --enclave-pubkey HEX --code-hash STR [--hotkey SS58] [--binding-version V]\n"
            "                      print the validator binding message (netuid from FILE)\n"
            "  --binding MSG       parse a binding message (and check it against the values above)\n"
            "The sr25519 hotkey signature over the binding message is NOT verified.\n"
            "Results: OK; WEIGHTS_INVARIANT, WEIGHTS_HASH_MISMATCH, AUDITOR_MISMATCH,\n"
            "BINDING_REJECTED, BINDING_MISMATCH (exit 1); input errors (exit 2).\n");
}

static lpc_value *int_array(lp_report *rp, const int64_t *v, size_t n)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; i < n; i++)
        lp_push(rp, a, lpc_new_int(v[i]));
    return a;
}

static lpc_value *pair_array(lp_report *rp, const lpc_weight_pair *p, size_t n)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; i < n; i++) {
        lpc_value *x = lpc_new_array();
        lp_push(rp, x, lpc_new_int(p[i].uid));
        lp_push(rp, x, lpc_new_int(p[i].weight));
        lp_push(rp, a, x);
    }
    return a;
}

static lpc_value *load_json(const char *path, const char *what, int *rc, char *code, size_t codelen,
                            char *msg, size_t msglen)
{
    uint8_t *in = NULL;
    size_t len = 0;
    char err[512];
    lp_read_status rs = lp_read_input(path, LPC_JSON_MAX_INPUT, &in, &len, err, sizeof err);
    if (rs != LP_READ_OK) {
        snprintf(code, codelen, "%s", rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE"
                                      : rs == LP_READ_NOMEM ? "NOMEM" : "IO_ERROR");
        if (strcmp(what, path) != 0)
            snprintf(msg, msglen, "%s: %s", what, err);
        else
            snprintf(msg, msglen, "%s", err);
        *rc = LP_EXIT_UNDECIDED;
        return NULL;
    }
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse(in, len, &v, &off);
    free(in);
    if (e != LPC_OK) {
        snprintf(code, codelen, "%s", lpc_errname(e));
        snprintf(msg, msglen, "%s: %s at byte %zu", what, lpc_strerror(e), off);
        *rc = LP_EXIT_UNDECIDED;
        return NULL;
    }
    return v;
}

static int hex_eq_lower(const lpc_value *claimed, const char *s, size_t n, const char *hex)
{
    (void)claimed;
    return n == LPC_SHA256_HEX_LEN && memcmp(s, hex, n) == 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *expect = NULL, *against_path = NULL;
    const char *hotkey = NULL, *chain = NULL, *pubkey = NULL, *code_hash = NULL, *bversion = NULL;
    const char *binding = NULL;
    int json = 0;
    struct { const char *name; const char **dst; } opts[] = {
        { "--expect-hash", &expect }, { "--against", &against_path }, { "--hotkey", &hotkey },
        { "--chain", &chain }, { "--enclave-pubkey", &pubkey }, { "--code-hash", &code_hash },
        { "--binding-version", &bversion }, { "--binding", &binding },
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int done = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf(TOOL " " LP_VERSION_STRING "\n");
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !done; k++) {
            int r = lp_cli_opt_value(TOOL, argc, argv, &i, opts[k].name, opts[k].dst);
            if (r < 0)
                return LP_EXIT_UNDECIDED;
            done = r;
        }
        if (done)
            continue;
        if (a[0] == '-' && a[1] != 0) {
            lp_cli_error(TOOL, "USAGE", "unknown option %s", a);
            return LP_EXIT_UNDECIDED;
        } else if (!path) {
            path = a;
        } else {
            lp_cli_error(TOOL, "USAGE", "only one FILE may be given");
            return LP_EXIT_UNDECIDED;
        }
    }
    if (!path) {
        usage(stderr);
        lp_cli_error(TOOL, "USAGE", "FILE is required");
        return LP_EXIT_UNDECIDED;
    }
    if (expect && !lpau_is_hex64(expect, strlen(expect))) {
        lp_cli_error(TOOL, "USAGE", "--expect-hash must be 64 hex characters");
        return LP_EXIT_UNDECIDED;
    }
    int want_create = chain || pubkey || code_hash;
    if (want_create && !(chain && pubkey && code_hash)) {
        lp_cli_error(TOOL, "USAGE", "--chain, --enclave-pubkey and --code-hash go together");
        return LP_EXIT_UNDECIDED;
    }
    if ((hotkey || bversion) && !want_create) {
        lp_cli_error(TOOL, "USAGE", "--hotkey/--binding-version need --chain, --enclave-pubkey and --code-hash");
        return LP_EXIT_UNDECIDED;
    }

    lp_report rp;
    lp_report_init(&rp);
    int rc = LP_EXIT_OK;
    char code[64] = "", msg[600] = "";
    lpc_value *doc = NULL, *adoc = NULL;
    lpau_bundle b;
    lpau_chain_cmp cc;
    memset(&b, 0, sizeof b);
    memset(&cc, 0, sizeof cc);
    lpau_diag d;
    doc = load_json(path, path, &rc, code, sizeof code, msg, sizeof msg);
    if (doc) {
        lpau_err e = lpau_bundle_from_doc(doc, &b, &d);
        if (e != LPAU_OK) {
            snprintf(code, sizeof code, "%s", e == LPAU_ERR_CANONICAL ? lpc_errname(d.cause) : lpau_errname(e));
            snprintf(msg, sizeof msg, "%s: %s", d.field, d.detail);
            rc = LP_EXIT_UNDECIDED;
        }
    }
    if (rc == LP_EXIT_OK && against_path) {
        adoc = load_json(against_path, "--against", &rc, code, sizeof code, msg, sizeof msg);
        if (adoc) {
            lpau_err e = lpau_chain_compare(&b, adoc, &cc, &d);
            if (e != LPAU_OK) {
                snprintf(code, sizeof code, "%s", lpau_errname(e));
                snprintf(msg, sizeof msg, "--against %s: %s", d.field, d.detail);
                rc = LP_EXIT_UNDECIDED;
            }
        }
    }
    if (rc != LP_EXIT_OK) {
        lp_cli_error(TOOL, code, "%s", msg);
        lp_report_check(&rp, "input", 0, "%s", msg);
        if (json)
            lp_report_print(&rp, code, stdout);
        else
            lp_report_free(&rp);
        lpau_bundle_free(&b);
        lpau_chain_free(&cc);
        lpc_free(doc);
        lpc_free(adoc);
        return rc;
    }

    const char *result = "OK";
    char why[700] = "";
#define FAIL(c, ...) do { if (!strcmp(result, "OK")) { result = (c); snprintf(why, sizeof why, __VA_ARGS__); } } while (0)

    lp_report_check(&rp, "input", 1, "netuid %lld, epoch_id %lld, block %lld, %s",
                    (long long)b.netuid, (long long)b.epoch_id, (long long)b.block,
                    b.from_raw ? "raw scores" : "submitted bundle");
    if (b.from_raw)
        lp_report_check(&rp, "normalize_to_u16", 1, "%zu raw scores -> %zu non-zero u16 pairs, sorted by uid",
                        b.n_raw, b.n);
    lp_report_check(&rp, "invariants", b.invariants_ok, "%s", b.invariants_ok ? "sparse bundle rules hold" : b.inv_msg);
    if (!b.invariants_ok)
        FAIL("WEIGHTS_INVARIANT", "invariants: %s", b.inv_msg);
    lp_put(&rp, rp.root, "netuid", lpc_new_int(b.netuid));
    lp_put(&rp, rp.root, "epoch_id", lpc_new_int(b.epoch_id));
    lp_put(&rp, rp.root, "block", lpc_new_int(b.block));
    lp_put(&rp, rp.root, "uids", int_array(&rp, b.uids, b.nu));
    lp_put(&rp, rp.root, "weights_u16", int_array(&rp, b.w, b.nw));
    lp_put(&rp, rp.root, "bundle_weights_hash", lp_str(b.bundle_hash));
    lp_put(&rp, rp.root, "compare_weights_hash", lp_str(b.compare_hash));
    lpc_value *inv = lpc_new_object();
    lp_put(&rp, inv, "ok", lpc_new_bool(b.invariants_ok));
    lp_put(&rp, inv, "error", b.invariants_ok ? lpc_new_null() : lp_str(b.inv_msg));
    lp_put(&rp, rp.root, "invariants", inv);

    int hm = -1, em = -1;
    if (b.claimed_hash) {
        hm = hex_eq_lower(b.claimed_hash, b.claimed_hash->u.s.ptr, b.claimed_hash->u.s.len, b.bundle_hash);
        lp_report_check(&rp, "weights_hash", hm, "%s %s bundle_weights_hash %s", b.claimed_hash->u.s.ptr,
                        hm ? "equals" : "differs from", b.bundle_hash);
        if (!hm)
            FAIL("WEIGHTS_HASH_MISMATCH", "weights_hash %s, recomputed %s", b.claimed_hash->u.s.ptr, b.bundle_hash);
    }
    if (expect) {
        em = hex_eq_lower(NULL, expect, strlen(expect), b.bundle_hash);
        lp_report_check(&rp, "expect_hash", em, "%s %s bundle_weights_hash %s", expect,
                        em ? "equals" : "differs from", b.bundle_hash);
        if (!em)
            FAIL("WEIGHTS_HASH_MISMATCH", "--expect-hash %s, recomputed %s", expect, b.bundle_hash);
    }
    lp_put(&rp, rp.root, "weights_hash_match", lp_bool_or_null(hm));
    lp_put(&rp, rp.root, "expect_hash_match", lp_bool_or_null(em));

    char uidlist[400] = "";
    if (against_path) {
        for (size_t i = 0; i < cc.n_diff; i++) {
            size_t l = strlen(uidlist);
            if (l > sizeof uidlist - 32) {
                snprintf(uidlist + l, sizeof uidlist - l, " ...");
                break;
            }
            snprintf(uidlist + l, sizeof uidlist - l, "%s%lld", l ? " " : "", (long long)cc.diff_uids[i]);
        }
        int ok = !strcmp(cc.status, "VERIFIED");
        lp_report_check(&rp, "epoch_audit", ok, "%s: %s", cc.status,
                        cc.exact ? "compare_weights_hash equal"
                                 : cc.within ? "within +-1 of the bundle" : "beyond +-1 of the bundle");
        if (!ok)
            FAIL("AUDITOR_MISMATCH", "--against: %zu uids beyond +-%lld, largest difference %lld (uids %s)",
                 cc.n_beyond, (long long)cc.tolerance, (long long)cc.max_diff, uidlist);
        lpc_value *ao = lpc_new_object();
        lp_put(&rp, ao, "status", lp_str(cc.status));
        lp_put(&rp, ao, "normalized", pair_array(&rp, cc.chain, cc.n_chain));
        lp_put(&rp, ao, "compare_weights_hash", lp_str(cc.compare_hash));
        lp_put(&rp, ao, "exact_match", lpc_new_bool(cc.exact));
        lp_put(&rp, ao, "within_tolerance", lpc_new_bool(cc.within));
        lp_put(&rp, ao, "tolerance", lpc_new_int(cc.tolerance));
        lp_put(&rp, ao, "max_diff", lpc_new_int(cc.max_diff));
        lp_put(&rp, ao, "differing_uids", int_array(&rp, cc.diff_uids, cc.n_diff));
        lp_put(&rp, rp.root, "against", ao);
    } else {
        lp_put(&rp, rp.root, "against", lpc_new_null());
    }

    lpc_value *bo = NULL;
    lpc_buf created = {0};
    char berr[LPC_BINDING_ERR_MAX];
    int bparse = -1, bfields = -1;
    if (want_create || binding) {
        bo = lpc_new_object();
        lp_put(&rp, bo, "sr25519_signature_verified", lpc_new_bool(0));
        lp_put(&rp, bo, "hotkey", hotkey ? lp_str(hotkey) : lpc_new_null());
    }
    if (want_create) {
        lpc_strview ch = { chain, strlen(chain) }, pk = { pubkey, strlen(pubkey) },
                    cd = { code_hash, strlen(code_hash) }, ver = { bversion, bversion ? strlen(bversion) : 0 };
        lpc_err e = lpc_binding_create(b.netuid, ch, pk, cd, bversion ? &ver : NULL, &created);
        if (e != LPC_OK) {
            lp_cli_error(TOOL, lpc_errname(e), "binding message: %s", lpc_strerror(e));
            lpc_free(bo);
            lp_report_check(&rp, "binding_create", 0, "%s", lpc_strerror(e));
            if (json)
                lp_report_print(&rp, lpc_errname(e), stdout);
            else
                lp_report_free(&rp);
            lpau_bundle_free(&b);
            lpau_chain_free(&cc);
            lpc_free(doc);
            lpc_free(adoc);
            return LP_EXIT_UNDECIDED;
        }
        lp_report_check(&rp, "binding_create", 1, "message for netuid %lld built (signature not verified)",
                        (long long)b.netuid);
        lp_put(&rp, bo, "message", lp_strn((const char *)created.ptr, created.len));
    }
    if (binding) {
        lpc_binding_parts parts;
        lpc_err e = lpc_binding_parse(binding, strlen(binding), &parts, berr);
        bparse = e == LPC_OK;
        lp_report_check(&rp, "binding_parse", bparse, "%s", bparse ? "well formed" : berr[0] ? berr : lpc_strerror(e));
        if (!bparse)
            FAIL("BINDING_REJECTED", "--binding: %.300s", berr[0] ? berr : lpc_strerror(e));
        lp_put(&rp, bo, "parsed", lp_str(binding));
        if (bparse) {
            lpc_value *po = lpc_new_object();
            for (int f = 0; f < LPC_BIND_NFIELDS; f++)
                if (parts.field[f].ptr)
                    lp_put(&rp, po, lpc_binding_field_name((lpc_binding_field)f),
                           lp_strn(parts.field[f].ptr, parts.field[f].len));
            lp_put(&rp, bo, "parts", po);
        }
        if (bparse && want_create) {
            lpc_strview ch = { chain, strlen(chain) }, pk = { pubkey, strlen(pubkey) },
                        cd = { code_hash, strlen(code_hash) };
            e = lpc_binding_check_fields(&parts, b.netuid, ch, pk, cd, berr);
            bfields = e == LPC_OK;
            lp_report_check(&rp, "binding_fields", bfields, "%s",
                            bfields ? "netuid, chain, enclave_pubkey and validator_code_hash match" : berr);
            if (!bfields)
                FAIL("BINDING_MISMATCH", "--binding: %.300s", berr);
        }
        lp_put(&rp, bo, "parse_ok", lpc_new_bool(bparse));
        lp_put(&rp, bo, "fields_match", lp_bool_or_null(bfields));
    }
    lp_put(&rp, rp.root, "binding", bo ? bo : lpc_new_null());

    rc = strcmp(result, "OK") ? LP_EXIT_FAIL : LP_EXIT_OK;
    if (rc != LP_EXIT_OK)
        lp_cli_error(TOOL, result, "%s", why);
    if (json) {
        if (lp_report_print(&rp, result, stdout) != 0) {
            lp_cli_error(TOOL, "OUTPUT", "cannot write the report");
            rc = LP_EXIT_UNDECIDED;
        }
    } else {
        lp_report_free(&rp);
        printf("bundle: netuid=%lld epoch_id=%lld block=%lld pairs=%zu%s\n", (long long)b.netuid,
               (long long)b.epoch_id, (long long)b.block, b.n, b.from_raw ? " (normalised from raw scores)" : "");
        printf("uids:");
        for (size_t i = 0; i < b.nu; i++)
            printf(" %lld", (long long)b.uids[i]);
        printf("\nweights_u16:");
        for (size_t i = 0; i < b.nw; i++)
            printf(" %lld", (long long)b.w[i]);
        printf("\nbundle_weights_hash: %s\ncompare_weights_hash: %s\n", b.bundle_hash, b.compare_hash);
        printf("invariants: %s%s\n", b.invariants_ok ? "ok" : "FAILED: ", b.invariants_ok ? "" : b.inv_msg);
        if (hm >= 0)
            printf("weights_hash: %s\n", hm ? "match" : "MISMATCH");
        if (em >= 0)
            printf("expect_hash: %s\n", em ? "match" : "MISMATCH");
        if (against_path)
            printf("against: %s (%s; compare hash %s; max diff %lld; differing uids: %s)\n", cc.status,
                   cc.exact ? "exact" : cc.within ? "within +-1" : "beyond +-1", cc.compare_hash,
                   (long long)cc.max_diff, cc.n_diff ? uidlist : "none");
        if (want_create)
            printf("binding message%s%s: %.*s\n", hotkey ? " for " : "", hotkey ? hotkey : "",
                   (int)created.len, (const char *)created.ptr);
        if (binding)
            printf("binding parse: %s%s\n", bparse ? "ok" : "REJECTED: ", bparse ? "" : berr);
        if (bfields >= 0)
            printf("binding fields: %s%s\n", bfields ? "match" : "MISMATCH: ", bfields ? "" : berr);
        if (want_create || binding)
            printf("note: the sr25519 hotkey signature over the binding message is not verified\n");
        printf("result: %s\n", result);
        if (fflush(stdout) != 0)
            rc = LP_EXIT_UNDECIDED;
    }
    lpc_buf_free(&created);
    lpau_bundle_free(&b);
    lpau_chain_free(&cc);
    lpc_free(doc);
    lpc_free(adoc);
    return rc;
}
