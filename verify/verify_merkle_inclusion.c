/* verify_merkle_inclusion: prove that a lead's events are in a Leadpoet Arweave
 * checkpoint (spec leadpoet-formats.md §3-§7, procedure §7.3), or check a saved
 * proof offline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <time.h>

#include "attest/leadpoet.h"
#include "attest/nitro.h"
#include "attest/policy.h"
#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"
#include "verify/cli_fetch.h"
#include "verify/cli_common.h"
#include "verify/cli_merkle.h"

#define TOOL "verify_merkle_inclusion"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL " [--json] [--gateway URL] [--offline] [--save FILE]\n"
            "                               [--attestation SOURCE] [--proof-out FILE] LEAD_ID CHECKPOINT [ENCLAVE_PUBKEY]\n"
            "       " TOOL " [--json] --verify-proof PROOF_FILE [ENCLAVE_PUBKEY]\n"
            "  CHECKPOINT      Arweave transaction id (GET <gateway>/<txid>), URL, file, or - for stdin;\n"
            "                  raw data bytes or the base64url body of /tx/<txid>/data\n"
            "  ENCLAVE_PUBKEY  64-hex Ed25519 key that signs checkpoint headers (GET /attest enclave_public_key)\n"
            "  --attestation SOURCE  take that key from a gateway's /attest response (gateway URL, full URL or\n"
            "                  saved file) after verifying it as verify_attestation does; these options are\n"
            "                  passed to that verification: --at now|doc|UNIX_SECONDS, --root CERT_FILE,\n"
            "                  --expect-pcr N=HEX (repeatable), --pcr-policy FILE, --allow-debug\n"
            "Without a key the header signature is not checked (a warning is printed).\n"
            "Exit: 0 included and every check holds, 1 not included or a check failed, 2 usage/input/network error.\n");
}

static int finish(int json, lp_jchecks *c, json_t *extra, const char *verdict_ok)
{
    const char *result = c->first_code ? c->first_code : "OK";
    int rc = c->undecided ? LP_EXIT_UNDECIDED : c->first_code ? LP_EXIT_FAIL : LP_EXIT_OK;
    if (json) {
        json_t *o = extra ? extra : json_object();
        json_object_set_new(o, "result", json_string(result));
        json_object_set(o, "checks", c->arr);
        lp_print_json(o);
    } else {
        size_t i;
        json_t *ch;
        json_array_foreach(c->arr, i, ch) {
            printf("  %-4s %-18s %s\n", json_is_true(json_object_get(ch, "ok")) ? "ok" : "FAIL",
                   json_string_value(json_object_get(ch, "name")), json_string_value(json_object_get(ch, "detail")));
        }
        if (rc == LP_EXIT_OK) printf("%s\n", verdict_ok);
        else printf("%s: %s\n", rc == LP_EXIT_FAIL ? "FAILED" : "UNDECIDED", result);
        json_decref(extra);
    }
    if (rc != LP_EXIT_OK) {
        /* one-line reason on stderr: the first failing check */
        size_t i;
        json_t *ch;
        json_array_foreach(c->arr, i, ch) {
            if (!json_is_true(json_object_get(ch, "ok"))) {
                lp_cli_error(TOOL, result, "%s: %s", json_string_value(json_object_get(ch, "name")),
                             json_string_value(json_object_get(ch, "detail")));
                break;
            }
        }
    }
    lp_jchecks_free(c);
    return rc;
}

static int fail_input(int json, const char *code, const char *msg)
{
    lp_cli_error(TOOL, code, "%s", msg);
    if (json) lp_print_json(json_pack("{s:s,s:[{s:s,s:b,s:s}]}", "result", code, "checks", "name", "input", "ok", 0, "detail", msg));
    return LP_EXIT_UNDECIDED;
}

typedef struct {
    const char *at, *root_file, *policy_file;
    int allow_debug;
    lpa_policy *pol;
} att_opts;

static int load_root(const char *path, uint8_t **der, size_t *derlen, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t n = 0;
    if (lp_read_input(path, 65536, &buf, &n, err, errlen) != LP_READ_OK) return -1;
    X509 *x = NULL;
    if (strstr((const char *)buf, "-----BEGIN")) {
        BIO *b = BIO_new_mem_buf(buf, (int)n);
        x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    } else {
        const unsigned char *q = buf;
        x = d2i_X509(NULL, &q, (long)n);
        if (x && q != buf + n) { X509_free(x); x = NULL; }
    }
    free(buf);
    int l = x ? i2d_X509(x, NULL) : -1;
    *der = l > 0 ? malloc((size_t)l) : NULL;
    unsigned char *q = *der;
    if (!*der || i2d_X509(x, &q) != l) {
        X509_free(x);
        free(*der);
        *der = NULL;
        snprintf(err, errlen, "%s: not a PEM or DER X.509 certificate", path);
        return -1;
    }
    X509_free(x);
    *derlen = (size_t)l;
    return 0;
}

/* Verifies the /attest evidence exactly as verify_attestation does (decode, lpa_verify,
 * policy, Leadpoet binding) and returns the attested enclave_public_key.
 * Adds one "attestation" check.  Returns 0 ok, 1 failed, 2 undecided. */
static int attested_key(const char *source, const lp_source_opts *so, const att_opts *ao, lp_jchecks *c,
                        uint8_t key[LPM_PUBKEY_LEN])
{
    char err[512];
    uint8_t *raw = NULL, *root = NULL;
    size_t raw_len = 0, root_len = 0;
    int rc = 2;
    lpa_source *src = calloc(1, sizeof *src);
    lpa_result *r = calloc(1, sizeof *r);
    lpa_binding b;
    memset(&b, 0, sizeof b);
    if (!src || !r) { lp_jchecks_add(c, "attestation", 0, "OUT_OF_MEMORY", "out of memory"); goto out; }
    lpa_opts vo;
    memset(&vo, 0, sizeof vo);
    char *end = NULL;
    if (!strcmp(ao->at, "now")) { vo.mode = LPA_AT_NOW; vo.time = (int64_t)time(NULL); }
    else if (!strcmp(ao->at, "doc")) vo.mode = LPA_AT_DOC;
    else {
        long long t = strtoll(ao->at, &end, 10);
        if (!*ao->at || *end || t < 0) { lp_jchecks_add(c, "attestation", 0, "USAGE", "--at wants now, doc or UNIX_SECONDS"); goto out; }
        vo.mode = LPA_AT_TIME;
        vo.time = t;
    }
    if (ao->root_file) {
        if (load_root(ao->root_file, &root, &root_len, err, sizeof err) != 0) { lp_jchecks_add(c, "attestation", 0, "USAGE", "--root: %s", err); goto out; }
        vo.root_der = root;
        vo.root_der_len = root_len;
    }
    /* a gateway base URL means <base>/attest, as verify_attestation resolves it */
    char url[2048];
    const char *fetch_src = source;
    if (lp_is_url(source)) {
        const char *p = strstr(source, "://"), *path = p ? strchr(p + 3, '/') : NULL;
        if (!path) snprintf(url, sizeof url, "%s/attest", source);
        else if (!strcmp(path, "/")) snprintf(url, sizeof url, "%sattest", source);
        else snprintf(url, sizeof url, "%s", source);
        fetch_src = url;
    }
    lp_source_opts o2 = *so;
    o2.save = NULL;
    const char *code = lp_load_source(fetch_src, &o2, LPA_MAX_SOURCE, &raw, &raw_len, err, sizeof err);
    if (code) { lp_jchecks_add(c, "attestation", 0, code, "%s", err); goto out; }
    lpa_err de = lpa_source_decode(raw, raw_len, src, err, sizeof err);
    if (de != LPA_OK) { lp_jchecks_add(c, "attestation", 0, lpa_code(de), "%s", err); goto out; }
    lpa_verify(src->cose, src->cose_len, &vo, r);
    lpa_policy_apply(ao->pol, r);
    lpa_leadpoet_bind(src, r, &b);
    if (r->result != LPA_OK) {
        rc = (r->result == LPA_INPUT_DECODE_ERROR || r->result == LPA_INPUT_TOO_LARGE || r->result == LPA_MALFORMED_COSE ||
              r->result == LPA_POLICY_ERROR || r->result == LPA_INTERNAL) ? 2 : 1;
        lp_jchecks_add(c, "attestation", 0, lpa_code(r->result), "%s", r->detail);
        goto out;
    }
    if (!b.found || !lp_parse_pubkey(b.enclave_public_key, key)) {
        rc = 1;
        lp_jchecks_add(c, "attestation", 0, "NO_ENCLAVE_KEY", "the attested user_data names no enclave_public_key");
        goto out;
    }
    rc = 0;
    lp_jchecks_add(c, "attestation", 1, NULL, "%s verified (%s root, policy %s); header key %s",
                  lpa_format_name(src->format), r->root_is_aws ? "AWS" : "TEST", r->policy, b.enclave_public_key);
out:
    if (rc == 2) c->undecided = 1;
    free(raw);
    free(root);
    free(src);
    free(r);
    return rc;
}

static int verify_proof_file(int json, const char *path, const char *pin_hex)
{
    uint8_t pin[LPM_PUBKEY_LEN];
    if (pin_hex && !lp_parse_pubkey(pin_hex, pin)) return fail_input(json, "USAGE", "ENCLAVE_PUBKEY must be 64 hex characters");
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    lp_read_status rs = lp_read_input(path, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
    if (rs != LP_READ_OK) return fail_input(json, rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : "IO_ERROR", err);
    lpm_proof_file pf;
    lpm_err e = lpm_proof_check(buf, len, pin_hex ? pin : NULL, &pf);
    free(buf);
    lp_jchecks c;
    lp_jchecks_init(&c);
    json_t *extra = json_object();
    const char *sig = "not_checked";
    if (lpm_err_undecided(e)) {
        lp_jchecks_add(&c, "proof_file", 0, lpm_errname(e), "%s", lpm_strerror(e));
        c.undecided = 1;
    } else {
        /* a key recorded in the file is whatever its writer chose: without a pin the
         * signature is only checked for consistency and reported as not_checked */
        if (e == LPM_OK && !pin_hex)
            fprintf(stderr, TOOL ": warning: no ENCLAVE_PUBKEY given; the header signature is not checked against a trusted key\n");
        if (pf.signature_checked && pin_hex) sig = e == LPM_ERR_SIGNATURE_INVALID ? "invalid" : "valid";
        lp_jchecks_add(&c, "proof_file", e == LPM_OK, lpm_errname(e), "%s",
                      e == LPM_OK ? "leaf preimage, path, root, header binding verified" : lpm_strerror(e));
        if (e == LPM_OK || e == LPM_ERR_SIGNATURE_INVALID) {
            lp_jchecks_add(&c, "header_signature", e == LPM_OK || !pf.signature_checked, lpm_errname(e), "%s",
                          !pf.signature_checked ? "not checked (no key)"
                          : e == LPM_OK ? (pin_hex ? "verifies with the given key" : "consistent with the key recorded in the proof (not trusted: not pinned)")
                                        : "does not verify");
        }
        json_object_set_new(extra, "lead_id", pf.lead_id ? json_stringn(pf.lead_id, pf.lead_len) : json_null());
        json_object_set_new(extra, "index", json_integer((json_int_t)pf.index));
    }
    json_object_set_new(extra, "signature", json_string(sig));
    lpm_proof_file_free(&pf);
    return finish(json, &c, extra, "INCLUDED: the proof holds");
}

int main(int argc, char **argv)
{
    int json = 0;
    lp_source_opts so = {LP_DEFAULT_GATEWAY, 0, NULL};
    const char *attestation = NULL, *proof_out = NULL, *verify_proof = NULL;
    att_opts ao = {"now", NULL, NULL, 0, NULL};
    static lpa_policy pol;
    lpa_policy_init(&pol);
    ao.pol = &pol;
    int att_opt_given = 0;
    const char *pos[3];
    int npos = 0;
    /* options that take a value: "--NAME VALUE" or "--NAME=VALUE" (slot NULL: --expect-pcr) */
    struct { const char *name; const char **slot; int att; } valued[] = {
        {"--gateway", &so.gateway, 0},   {"--save", &so.save, 0},       {"--attestation", &attestation, 0},
        {"--proof-out", &proof_out, 0},  {"--verify-proof", &verify_proof, 0}, {"--at", &ao.at, 1},
        {"--root", &ao.root_file, 1},    {"--pcr-policy", &ao.policy_file, 1}, {"--expect-pcr", NULL, 1}};
    const size_t n_valued = sizeof valued / sizeof *valued;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *inline_val = NULL, *eq;
        char name[32];
        if (a[0] == '-' && a[1] == '-' && (eq = strchr(a, '=')) != NULL) {
            size_t nl = (size_t)(eq - a);
            if (nl >= sizeof name) { usage(stderr); return fail_input(json, "USAGE", "unknown option"); }
            memcpy(name, a, nl);
            name[nl] = 0;
            a = name;
            inline_val = eq + 1;
        }
        size_t v = 0;
        while (v < n_valued && strcmp(a, valued[v].name) != 0) v++;
        if (v < n_valued) {
            const char *val = inline_val;
            if (!val && ++i >= argc)
                return fail_input(json, "USAGE", valued[v].slot ? "option needs a value" : "--expect-pcr needs N=HEX");
            if (!val) val = argv[i];
            att_opt_given |= valued[v].att;
            char perr[256];
            if (valued[v].slot) *valued[v].slot = val;
            else if (lpa_policy_expect_pcr(&pol, val, perr, sizeof perr) != LPA_OK) return fail_input(json, "USAGE", perr);
            continue;
        }
        if (inline_val) { usage(stderr); return fail_input(json, "USAGE", "option takes no value"); }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return LP_EXIT_OK; }
        else if (!strcmp(a, "--version")) { printf(TOOL " " LP_VERSION_STRING "\n"); return LP_EXIT_OK; }
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--offline")) so.offline = 1;
        else if (!strcmp(a, "--allow-debug")) { pol.allow_debug = 1; ao.allow_debug = 1; att_opt_given = 1; }
        else if (a[0] == '-' && a[1] == '-') { usage(stderr); return fail_input(json, "USAGE", "unknown option"); }
        else if (npos < 3) pos[npos++] = a;
        else { usage(stderr); return fail_input(json, "USAGE", "too many arguments"); }
    }
    if (verify_proof) {
        if (npos > 1 || proof_out || attestation) return fail_input(json, "USAGE", "--verify-proof takes only PROOF_FILE [ENCLAVE_PUBKEY]");
        return verify_proof_file(json, verify_proof, npos ? pos[0] : NULL);
    }
    if (npos < 2) { usage(stderr); return fail_input(json, "USAGE", "LEAD_ID and CHECKPOINT are required"); }
    const char *lead = pos[0], *src = pos[1], *key_hex = npos > 2 ? pos[2] : NULL;
    uint8_t key[LPM_PUBKEY_LEN];
    if (key_hex && !lp_parse_pubkey(key_hex, key)) return fail_input(json, "USAGE", "ENCLAVE_PUBKEY must be 64 hex characters");
    if (key_hex && attestation) return fail_input(json, "USAGE", "give ENCLAVE_PUBKEY or --attestation, not both");
    if (att_opt_given && !attestation) return fail_input(json, "USAGE", "--at/--root/--expect-pcr/--pcr-policy/--allow-debug need --attestation");
    if (ao.policy_file) {
        uint8_t *pj = NULL;
        size_t pl = 0;
        char perr[512];
        if (lp_read_input(ao.policy_file, LPA_POLICY_FILE_MAX, &pj, &pl, perr, sizeof perr) != LP_READ_OK ||
            lpa_policy_load(&pol, pj, pl, NULL, perr, sizeof perr) != LPA_OK) {
            free(pj);
            return fail_input(json, "POLICY_ERROR", perr);
        }
        free(pj);
        if (pol.allow_debug == 0 && ao.allow_debug) pol.allow_debug = 1;
    }

    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    const char *code = lp_load_source(src, &so, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
    if (code) return fail_input(json, code, err);

    lpm_checkpoint *cp = NULL;
    lpm_err e = lpm_checkpoint_parse(buf, len, &cp);
    free(buf);
    if (e != LPM_OK) {
        lpm_checkpoint_free(cp);
        return fail_input(json, lpm_errname(e), lpm_strerror(e));
    }
    if (!key_hex && !attestation)
        fprintf(stderr, TOOL ": warning: no ENCLAVE_PUBKEY or --attestation; the header signature is not checked\n");
    lp_jchecks c;
    lp_jchecks_init(&c);
    int have_key = key_hex != NULL;
    if (attestation) {
        int ar = attested_key(attestation, &so, &ao, &c, key);
        if (ar != 0) {
            json_t *extra = json_object();
            json_object_set_new(extra, "checkpoint", lp_checkpoint_json(cp));
            json_object_set_new(extra, "signature", json_string("not_checked"));
            json_object_set_new(extra, "lead_id", json_string(lead));
            json_object_set_new(extra, "matches", json_array());
            lpm_checkpoint_free(cp);
            return finish(json, &c, extra, "");
        }
        have_key = 1;
    }
    const char *sig_state;
    int st = lp_verify_checkpoint(cp, have_key ? key : NULL, &c, &sig_state);
    json_t *extra = json_object();
    json_object_set_new(extra, "checkpoint", lp_checkpoint_json(cp));
    json_object_set_new(extra, "signature", json_string(sig_state));
    json_object_set_new(extra, "lead_id", json_string(lead));
    json_t *matches = json_array();
    json_object_set_new(extra, "matches", matches);
    if (!json) {
        printf("checkpoint %lld (era %s, %s payload): %lld events, root %s\n", (long long)lpm_checkpoint_header(cp)->number,
               lpm_era_name(lpm_checkpoint_era(cp)), lpm_encoding_name(lpm_checkpoint_encoding(cp)),
               (long long)lpm_checkpoint_header(cp)->event_count, lpm_checkpoint_header(cp)->merkle_root);
        printf("header signature: %s\n", sig_state);
    }
    if (st != 2 && lpm_checkpoint_tree(cp)) {
        size_t *idx = NULL, n = 0;
        e = lpm_checkpoint_find_lead(cp, lead, strlen(lead), &idx, &n);
        if (e != LPM_OK) { lp_jchecks_add(&c, "lead_search", 0, lpm_errname(e), "%s", lpm_strerror(e)); c.undecided = 1; }
        else if (n == 0) lp_jchecks_add(&c, "lead_search", 0, "NOT_INCLUDED", "no record carries lead_id %s at a spec section 3.3 location", lead);
        else {
            lp_jchecks_add(&c, "lead_search", 1, NULL, "%zu matching record(s)", n);
            int all_ok = 1;
            for (size_t k = 0; k < n; k++) {
                lpm_step steps[LPM_MAX_DEPTH];
                size_t ns = 0;
                lpm_err pe = lpm_tree_proof(lpm_checkpoint_tree(cp), idx[k], steps, &ns);
                if (pe == LPM_OK) {
                    uint8_t hroot[LPM_HASH_LEN];
                    size_t hl;
                    lpc_hex_decode(lpm_checkpoint_header(cp)->merkle_root, 64, hroot, sizeof hroot, &hl);
                    pe = lpm_proof_verify(lpm_checkpoint_leaf(cp, idx[k]), steps, ns, hroot);
                }
                if (pe != LPM_OK) all_ok = 0;
                const lpc_value *rec = NULL, *et = NULL;
                lpc_value *owned = NULL;
                if (lpm_checkpoint_record(cp, idx[k], &rec, &owned) == LPM_OK) et = lpc_get(rec, "event_type");
                char lh[65], sh[65];
                lpc_hex_encode(lpm_checkpoint_leaf(cp, idx[k]), LPM_HASH_LEN, lh);
                json_t *pr = json_array();
                for (size_t s = 0; s < ns; s++) {
                    lpc_hex_encode(steps[s].sibling, LPM_HASH_LEN, sh);
                    json_array_append_new(pr, json_pack("{s:s,s:s}", "sibling", sh, "position", steps[s].left ? "left" : "right"));
                }
                json_array_append_new(matches, json_pack("{s:I,s:o,s:s,s:o,s:b}", "index", (json_int_t)idx[k], "event_type",
                                                         et && et->type == LPC_STR ? json_stringn(et->u.s.ptr, et->u.s.len) : json_null(),
                                                         "leaf_hash", lh, "proof", pr, "proof_ok", pe == LPM_OK));
                if (!json)
                    printf("match: leaf %zu (%s) leaf_hash %s, %zu-step proof %s\n", idx[k],
                           et && et->type == LPC_STR ? et->u.s.ptr : "?", lh, ns, pe == LPM_OK ? "verifies" : "FAILS");
                lpc_free(owned);
            }
            lp_jchecks_add(&c, "inclusion_proofs", all_ok, "PROOF_INVALID", "%s",
                          all_ok ? "every matching leaf's proof leads to the header root" : "a proof does not lead to the header root");
            if (proof_out && all_ok && !c.first_code) {
                lpc_buf pb = {0};
                e = lpm_proof_write(cp, idx[0], lead, strlen(lead), have_key ? key : NULL, &pb);
                FILE *f = e == LPM_OK ? fopen(proof_out, "wb") : NULL;
                int ok = f && fwrite(pb.ptr, 1, pb.len, f) == pb.len && fputc('\n', f) != EOF;
                if (f && fclose(f) != 0) ok = 0;
                lpc_buf_free(&pb);
                if (!ok) { lp_jchecks_add(&c, "proof_out", 0, "IO_ERROR", "cannot write %s", proof_out); c.undecided = 1; }
                else lp_jchecks_add(&c, "proof_out", 1, NULL, "proof of leaf %zu written to %s", idx[0], proof_out);
            }
        }
        free(idx);
    }
    lpm_checkpoint_free(cp);
    return finish(json, &c, extra, "INCLUDED: the lead is in this checkpoint and every check holds");
}
