/* verify_attestation: verify an AWS Nitro attestation document from a Leadpoet
 * gateway URL, a saved response, or a raw/encoded COSE_Sign1 file (spec
 * nitro-attestation.md, leadpoet-formats.md §13).  Logic: lpa_verify_evidence. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_time.h"
#include "verify/cli_attest.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_attestation"

static lpc_value *hex_value(int has, const uint8_t *p, size_t n)
{
    if (!has) return lpc_new_null();
    char *h = malloc(2 * n + 1);
    if (!h) return NULL;
    lpc_hex_encode(p, n, h);
    lpc_value *v = lpc_new_str(h, 2 * n);
    free(h);
    return v;
}

static lpc_value *time_value(int64_t t)
{
    char s[LPC_RFC3339_LEN];
    lpc_time_format(t, s);
    return lpc_new_str(s, strlen(s));
}

/* What the document says (untrusted unless the result is OK). */
static void put_document(lp_report *r, const lpa_evidence *ev)
{
    const lpa_result *res = &ev->r;
    const lpa_doc *d = res->doc_parsed ? &res->doc : NULL;
    static const char *const mode[] = {"now", "doc", "explicit"};
    lp_report_put(r, "verified_at", res->verified_at >= 0 ? time_value(res->verified_at) : lpc_new_null());
    lp_report_put(r, "verified_at_unix", res->verified_at >= 0 ? lpc_new_int(res->verified_at) : lpc_new_null());
    lp_report_put_cstr(r, "time_mode", mode[res->mode]);
    lp_report_put_cstr(r, "policy", res->policy);
    lp_report_put_bool(r, "pcr0_pinned", ev->pcr0_pinned);
    lpc_value *pm = ev->match_label[0] ? lpc_new_object() : lpc_new_null();
    if (pm && ev->match_label[0] &&
        !(lp_obj_set(pm, "label", lp_json_str(ev->match_label, strlen(ev->match_label))) &&
          lp_obj_set(pm, "version", ev->match_version[0] ? lp_json_str(ev->match_version, strlen(ev->match_version)) : lpc_new_null()) &&
          lp_obj_set(pm, "commit", ev->match_commit[0] ? lp_json_str(ev->match_commit, strlen(ev->match_commit)) : lpc_new_null()))) {
        lpc_free(pm);
        pm = NULL;
    }
    lp_report_put(r, "policy_match", pm);
    lp_report_put(r, "module_id", d ? lp_json_str(d->module_id, strlen(d->module_id)) : lpc_new_null());
    lp_report_put(r, "timestamp_ms", d ? lpc_new_int((int64_t)d->timestamp_ms) : lpc_new_null());
    lp_report_put(r, "digest", d ? lp_json_str(d->digest, strlen(d->digest)) : lpc_new_null());
    lp_report_put_bool(r, "tagged", res->n_checks && res->checks[0].ok ? res->doc.tagged : -1);
    lp_report_put_bool(r, "debug", d ? res->debug : -1);
    lpc_value *pcrs = d ? lpc_new_object() : lpc_new_null();
    for (unsigned i = 0; d && pcrs && i < LPA_MAX_PCRS; i++)
        if (d->pcr_mask & (1u << i)) {
            char k[4], h[2 * LPA_PCR_LEN + 1];
            snprintf(k, sizeof k, "%u", i);
            lpc_hex_encode(d->pcrs[i], LPA_PCR_LEN, h);
            if (!lp_obj_set(pcrs, k, lpc_new_str(h, 2 * LPA_PCR_LEN))) {
                lpc_free(pcrs);
                pcrs = NULL;
            }
            if (i < 3 && pcrs) lp_report_say(r, "PCR%u:         %s", i, h);
        }
    lp_report_put(r, "pcrs", pcrs);
    lp_report_put(r, "public_key", d ? hex_value(d->has_public_key, d->public_key, d->public_key_len) : lpc_new_null());
    lp_report_put(r, "user_data", d ? hex_value(d->has_user_data, d->user_data, d->user_data_len) : lpc_new_null());
    lp_report_put(r, "nonce", d ? hex_value(d->has_nonce, d->nonce, d->nonce_len) : lpc_new_null());
    uint8_t h[32];
    unsigned hl = 0;
    lp_report_put(r, "payload_sha256", d && EVP_Digest(d->payload, d->payload_len, h, &hl, EVP_sha256(), NULL) == 1
                                           ? hex_value(1, h, 32) : lpc_new_null());
    lpc_value *certs = lpc_new_array();
    for (size_t i = 0; certs && i < res->n_certs; i++) {
        const lpa_cert_info *c = &res->certs[i];
        lpc_value *o = lpc_new_object();
        int ok = o && lp_obj_set(o, "subject", lp_json_str(c->subject, strlen(c->subject))) &&
                 lp_obj_set(o, "notBefore", time_value(c->not_before)) && lp_obj_set(o, "notAfter", time_value(c->not_after));
        if (!ok) lpc_free(o);
        if (!ok || !lp_arr_push(certs, o)) {
            lpc_free(certs);
            certs = NULL;
        }
    }
    lp_report_put(r, "certificates", certs);
    if (res->verified_at >= 0) {
        char rh[65];
        lpc_hex_encode(res->root_sha256, 32, rh);
        lpc_value *root = lpc_new_object();
        if (root && !(lp_obj_set(root, "aws", lpc_new_bool(res->root_is_aws)) && lp_obj_set(root, "sha256", lpc_new_str(rh, 64)))) {
            lpc_free(root);
            root = NULL;
        }
        lp_report_put(r, "root", root);
        char t[LPC_RFC3339_LEN];
        lpc_time_format(res->verified_at, t);
        lp_report_say(r, "verified at:  %s (%s)%s", t, mode[res->mode], res->root_is_aws ? "" : "  ROOT: NON-AWS (--root)");
    }
    if (d) {
        lp_report_say(r, "module_id:    %s", d->module_id);
        lp_report_say(r, "timestamp_ms: %llu", (unsigned long long)d->timestamp_ms);
        lp_report_say(r, "policy:       %s", res->policy);
    }
    int leadpoet = ev->decoded && (ev->src.format == LPA_FMT_ATTEST_JSON || ev->src.format == LPA_FMT_ATTDOC_JSON);
    if (leadpoet || ev->b.found) {
        lp_report_put(r, "enclave_public_key", ev->b.found ? lpc_new_str(ev->b.enclave_public_key, strlen(ev->b.enclave_public_key)) : lpc_new_null());
        lp_report_put(r, "code_hash", ev->b.has_code_hash ? lpc_new_str(ev->b.code_hash, strlen(ev->b.code_hash)) : lpc_new_null());
        if (ev->b.found) lp_report_say(r, "enclave_public_key: %s", ev->b.enclave_public_key);
        if (ev->b.has_code_hash) lp_report_say(r, "code_hash:          %s", ev->b.code_hash);
    }
}

int main(int argc, char **argv)
{
    lp_attest_args a;
    memset(&a, 0, sizeof a);
    lp_source_opts so = {NULL, 0, NULL};
    const char *args[1];
    const lp_opt opts[] = {
        LP_ATTEST_OPTIONS(a),
        {"--expect-nonce", "HEX", "the nonce the document must carry", NULL, &a.nonce, NULL},
        {"--expect-user-data", "HEX", "the user_data the document must carry", NULL, &a.user_data, NULL},
        {"--expect-public-key", "HEX", "the public_key the document must carry", NULL, &a.public_key, NULL},
        {"--save", "FILE", "keep the evidence bytes read, to repeat the verdict --offline", NULL, &so.save, NULL},
        {"--offline", NULL, "refuse all network access", &so.offline, NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [attestation options] (--expect-pcr 0=HEX | --pcr-policy FILE | --any-pcr) SOURCE",
                        "SOURCE: a gateway base URL (GETs SOURCE/attest), a full http(s) URL, a file or -.  Files: raw\n"
                        "COSE_Sign1 (tag 18 optional), its hex or base64, a saved /attest or /attestation/document\n"
                        "response.  Without a pinned PCR0 (or --any-pcr) the result is PCR_NOT_PINNED.",
                        opts, 1, 1, &a};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    char err[LP_CHECK_DETAIL_MAX], *resolved = NULL;
    uint8_t *root = NULL;
    lpa_evidence_opts o;
    lpa_policy *p = malloc(sizeof *p);
    lpa_evidence *ev = lpa_evidence_new();
    if (!p || !ev) {
        free(p);
        lpa_evidence_free(ev);
        return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "input", "out of memory");
    }
    lp_code c = lp_attest_setup(&a, (int64_t)time(NULL), &o, p, &root, err, sizeof err);
    if (c != LP_CODE_OK) {
        lp_check_add(lp_report_checks(&r), c == LP_CODE_USAGE ? "usage" : c == LP_CODE_POLICY_ERROR ? "policy" : "options", c,
                     "%s", err);
    } else {
        c = lp_attest_verify(args[0], &so, &o, p, ev, lp_report_checks(&r), &resolved);
        lp_report_put_str(&r, "source", resolved ? resolved : args[0], strlen(resolved ? resolved : args[0]));
        lp_report_put(&r, "input_format", ev->decoded ? lpc_new_str(lpa_format_name(ev->src.format), strlen(lpa_format_name(ev->src.format)))
                                                     : lpc_new_null());
        lp_report_put_bool(&r, "trusted", c == LP_CODE_OK);
        put_document(&r, ev);
        if (c == LP_CODE_OK && !ev->pcr0_pinned)
            lp_report_warn(&r, "--any-pcr: genuine Nitro hardware, but no pinned PCR0 says it runs Leadpoet's code");
    }
    const lp_check *why = lp_checks_culprit(lp_report_checks(&r));
    lp_report_put_cstr(&r, "detail", why ? why->detail : "");
    free(p);
    free(root);
    free(resolved);
    lpa_evidence_free(ev);
    return lp_report_finish(&r, "OK: genuine AWS Nitro attestation, every pinned value matches");
}
