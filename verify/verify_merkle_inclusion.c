/* verify_merkle_inclusion: prove that a lead's events are in a Leadpoet Arweave
 * checkpoint (spec leadpoet-formats.md §3-§7, procedure §7.3), or check a saved
 * proof offline.  Logic: lpm_checkpoint_verify, lpm_inclusion_verify,
 * lpm_proof_file_verify; the attested key: lpa_verify_evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"
#include "verify/cli_attest.h"
#include "verify/cli_checkpoint.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_merkle_inclusion"
#define HOW_TO_PIN "pass ENCLAVE_PUBKEY (GET /attest enclave_public_key), or --attestation SOURCE with --expect-pcr 0=HEX or --pcr-policy"

typedef struct {
    lp_attest_args att;
    const char *attestation, *proof_out, *verify_proof;
    int no_key;
    lp_source_opts so;
} args_t;

/* The key of a verified attestation: 0 with key set (flags gets LPM_KEY_UNPINNED when its
 * PCR0 was not pinned), or -1 after recording the failure. */
static int attested_key(lp_report *r, const args_t *a, uint8_t key[LPM_PUBKEY_LEN], unsigned *flags)
{
    char err[LP_CHECK_DETAIL_MAX], *resolved = NULL;
    uint8_t *root = NULL;
    lpa_evidence_opts o;
    lpa_policy *p = malloc(sizeof *p);
    lpa_evidence *ev = lpa_evidence_new();
    lp_checks ec;
    lp_checks_init(&ec);
    lp_code c = p && ev ? lp_attest_setup(&a->att, (int64_t)time(NULL), &o, p, &root, err, sizeof err) : LP_CODE_OUT_OF_MEMORY;
    if (c == LP_CODE_OUT_OF_MEMORY) snprintf(err, sizeof err, "out of memory");
    lp_source_opts so = a->so;
    so.save = NULL;   /* --save keeps the checkpoint */
    if (c == LP_CODE_OK) c = lp_attest_verify(a->attestation, &so, &o, p, ev, &ec, &resolved);
    const lp_check *why = lp_checks_culprit(&ec);
    int rc = -1;
    if (c == LP_CODE_OK && !(ev->b.found && lp_parse_pubkey(ev->b.enclave_public_key, key))) {
        lp_check_add(lp_report_checks(r), "attestation", LP_CODE_NO_ENCLAVE_KEY, "the attested user_data names no enclave_public_key");
    } else if (c == LP_CODE_OK) {
        rc = 0;
        if (!ev->pcr0_pinned) *flags |= LPM_KEY_UNPINNED;
        lp_check_add(lp_report_checks(r), "attestation", LP_CODE_OK, "%s verified (%s root, policy %s); header key %s",
                     lpa_format_name(ev->src.format), ev->r.root_is_aws ? "AWS" : "TEST", ev->r.policy,
                     ev->b.enclave_public_key);
    } else {
        lp_check_add(lp_report_checks(r), "attestation", c, "%s%s%s", why ? why->name : "", why ? ": " : "",
                     why ? why->detail : err);
    }
    lpc_value *av = lpc_new_object();
    if (!av || !lp_obj_set(av, "source", lp_json_str(resolved ? resolved : a->attestation, strlen(resolved ? resolved : a->attestation))) ||
        !lp_obj_set(av, "result", lpc_new_str(lp_code_name(c), strlen(lp_code_name(c)))) ||
        !lp_obj_set(av, "pcr0_pinned", lpc_new_bool(ev && ev->pcr0_pinned)) || !lp_obj_set(av, "checks", lp_checks_value(&ec))) {
        lpc_free(av);
        av = NULL;
    }
    lp_report_put(r, "attestation", av);
    lp_checks_free(&ec);
    lpa_evidence_free(ev);
    free(p);
    free(root);
    free(resolved);
    return rc;
}

/* The matches as report members, with their proofs. */
static void put_matches(lp_report *r, const lpm_matches *m)
{
    lpc_value *arr = lpc_new_array();
    for (size_t k = 0; arr && k < m->n; k++) {
        const lpm_match *x = &m->items[k];
        char lh[2 * LPM_HASH_LEN + 1], sh[2 * LPM_HASH_LEN + 1];
        lpc_hex_encode(x->leaf, LPM_HASH_LEN, lh);
        lpc_value *pr = lpc_new_array(), *o = lpc_new_object();
        int ok = pr && o;
        for (size_t s = 0; ok && s < x->n_steps; s++) {
            lpc_value *st = lpc_new_object();
            lpc_hex_encode(x->steps[s].sibling, LPM_HASH_LEN, sh);
            ok = st && lp_obj_set(st, "sibling", lpc_new_str(sh, 2 * LPM_HASH_LEN)) &&
                 lp_obj_set(st, "position", lpc_new_str(x->steps[s].left ? "left" : "right", x->steps[s].left ? 4 : 5));
            if (!ok) lpc_free(st);
            else ok = lp_arr_push(pr, st);
        }
        ok = ok && lp_obj_set(o, "index", lpc_new_int((int64_t)x->index)) &&
             lp_obj_set(o, "event_type", x->event_type ? lp_json_str(x->event_type, x->event_type_len) : lpc_new_null()) &&
             lp_obj_set(o, "leaf_hash", lpc_new_str(lh, 2 * LPM_HASH_LEN)) && lp_obj_set(o, "proof", pr) &&
             lp_obj_set(o, "proof_ok", lpc_new_bool(x->proof_ok));
        if (!ok) {
            lpc_free(o);
            lpc_free(arr);
            arr = NULL;
            break;
        }
        pr = NULL;
        if (!lp_arr_push(arr, o)) {
            lpc_free(arr);
            arr = NULL;
        }
        lp_report_say(r, "match: leaf %zu (%.*s) leaf_hash %s, %zu-step proof %s", x->index,
                      x->event_type ? (int)x->event_type_len : 1, x->event_type ? x->event_type : "?", lh, x->n_steps,
                      x->proof_ok ? "verifies" : "FAILS");
    }
    lp_report_put(r, "matches", arr);
}

static int run_inclusion(lp_report *r, args_t *a, const char *lead, const char *src, const char *key_hex)
{
    uint8_t key[LPM_PUBKEY_LEN];
    unsigned flags = a->no_key ? LPM_ALLOW_NO_KEY : 0;
    int have_key = key_hex != NULL;
    if (key_hex && !lp_parse_pubkey(key_hex, key)) return lp_cli_usage_error(r, "ENCLAVE_PUBKEY must be 64 hex characters");
    lp_report_put_str(r, "lead_id", lead, strlen(lead));
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    lp_code c = lp_load_source(src, &a->so, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(r, c, "input", "%s", err);
    lpm_checkpoint *cp = NULL;
    lpm_err e = lpm_checkpoint_parse(buf, len, &cp);
    free(buf);
    if (e != LPM_OK) return lp_report_fail(r, lpm_code(e), "input", "%s: %s", src, lpm_strerror(e));
    if (a->attestation) {
        if (attested_key(r, a, key, &flags) != 0) {
            lp_report_put(r, "checkpoint", lp_checkpoint_summary(cp));
            lpm_checkpoint_free(cp);
            lp_report_put_cstr(r, "signature", "not_checked");
            return lp_report_finish(r, NULL);
        }
        have_key = 1;
    }
    lpm_sig_state sig;
    lp_code v = lpm_checkpoint_verify(cp, have_key ? key : NULL, flags, lp_report_checks(r), &sig);
    lp_report_put(r, "checkpoint", lp_checkpoint_summary(cp));   /* the era is known once decoded */
    lp_report_put_cstr(r, "signature", lpm_sig_state_name(sig));
    const lpm_header *h = lpm_checkpoint_header(cp);
    lp_report_say(r, "checkpoint %lld (era %s, %s payload): %lld events, root %s", (long long)h->number,
                  lpm_era_name(lpm_checkpoint_era(cp)), lpm_encoding_name(lpm_checkpoint_encoding(cp)),
                  (long long)h->event_count, h->merkle_root);
    lp_report_say(r, "header signature: %s", lpm_sig_state_name(sig));
    lpm_matches m = {NULL, 0};
    if (lp_code_exit(v) != LP_EXIT_UNDECIDED && lpm_checkpoint_tree(cp)) {
        lpm_inclusion_verify(cp, lead, strlen(lead), &m, lp_report_checks(r));
        put_matches(r, &m);
        if (a->proof_out && m.n && lp_checks_verdict(lp_report_checks(r)) == LP_CODE_OK) {
            lpc_buf pb = {0};
            e = lpm_proof_write(cp, m.items[0].index, lead, strlen(lead), have_key ? key : NULL, &pb);
            if (e != LPM_OK) {
                c = lpm_code(e);
                snprintf(err, sizeof err, "%s", lpm_strerror(e));
            } else if (lpc_buf_append(&pb, "\n", 1) != LPC_OK) {
                c = LP_CODE_OUT_OF_MEMORY;
                snprintf(err, sizeof err, "out of memory");
            } else {
                c = lp_save_bytes(a->proof_out, pb.ptr, pb.len, err, sizeof err);
            }
            if (c == LP_CODE_OK)
                lp_check_add(lp_report_checks(r), "proof_out", c, "proof of leaf %zu written to %s", m.items[0].index,
                             a->proof_out);
            else
                lp_check_add(lp_report_checks(r), "proof_out", c, "%s", err);
            lpc_buf_free(&pb);
        }
    } else {
        lp_report_put(r, "matches", lpc_new_array());
    }
    lpm_matches_free(&m);
    lpm_checkpoint_free(cp);
    lp_key_outcome(r, have_key && !(flags & LPM_KEY_UNPINNED), HOW_TO_PIN);
    return lp_report_finish(r, "INCLUDED: the lead is in this checkpoint and every check holds");
}

static int run_proof(lp_report *r, const args_t *a, const char *pin_hex)
{
    uint8_t pin[LPM_PUBKEY_LEN];
    if (pin_hex && !lp_parse_pubkey(pin_hex, pin)) return lp_cli_usage_error(r, "ENCLAVE_PUBKEY must be 64 hex characters");
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    lp_code c = lp_read_input(a->verify_proof, LPM_MAX_PAYLOAD, &buf, &len, err, sizeof err);
    if (c != LP_CODE_OK) return lp_report_fail(r, c, "input", "%s", err);
    lpm_proof_file pf;
    lpm_sig_state sig;
    lpm_proof_file_verify(buf, len, pin_hex ? pin : NULL, a->no_key ? LPM_ALLOW_NO_KEY : 0, &pf, lp_report_checks(r), &sig);
    free(buf);
    lp_report_put_str(r, "lead_id", pf.lead_id, pf.lead_len);
    if (pf.doc) lp_report_put_int(r, "index", (int64_t)pf.index);
    lp_report_put_cstr(r, "signature", lpm_sig_state_name(sig));
    lpm_proof_file_free(&pf);
    lp_key_outcome(r, pin_hex != NULL, "pass ENCLAVE_PUBKEY after --verify-proof PROOF_FILE (a key recorded in the file is never trusted)");
    return lp_report_finish(r, "INCLUDED: the proof holds");
}

int main(int argc, char **argv)
{
    args_t a;
    memset(&a, 0, sizeof a);
    const char *args[3];
    const lp_opt opts[] = {
        {"--gateway", "URL", "Arweave gateway for transaction ids (default " LP_DEFAULT_GATEWAY ")", NULL, &a.so.gateway, NULL},
        {"--offline", NULL, "refuse all network access", &a.so.offline, NULL, NULL},
        {"--save", "FILE", "keep the checkpoint bytes read, to repeat the verdict --offline", NULL, &a.so.save, NULL},
        {"--attestation", "SOURCE", "take the header key from a verified /attest (gateway URL, URL or file)", NULL,
         &a.attestation, NULL},
        {"--proof-out", "FILE", "write a self-contained proof of the first match", NULL, &a.proof_out, NULL},
        {"--verify-proof", "PROOF_FILE", "check a saved proof instead", NULL, &a.verify_proof, NULL},
        {"--no-key", NULL, LP_NO_KEY_HELP, &a.no_key, NULL, NULL},
        LP_ATTEST_OPTIONS(a.att),
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL,
                        "[--json] [--gateway URL] [--offline] [--save FILE] [--proof-out FILE] [--no-key]\n"
                        "    (ENCLAVE_PUBKEY | --attestation SOURCE [attestation options]) LEAD_ID CHECKPOINT [ENCLAVE_PUBKEY]\n"
                        "--verify-proof PROOF_FILE [--no-key] [ENCLAVE_PUBKEY]",
                        "CHECKPOINT: an Arweave transaction id (GET <gateway>/<txid>), a URL, a file or -; raw data\n"
                        "bytes or the base64url body of /tx/<txid>/data.  ENCLAVE_PUBKEY: the 64-hex Ed25519 key that\n"
                        "signs checkpoint headers.  Without a pinned key the result is KEY_NOT_PINNED.",
                        opts, 0, 3, &a.att};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    if (!a.so.gateway) a.so.gateway = LP_DEFAULT_GATEWAY;
    if (a.verify_proof) {
        if (n > 1 || a.proof_out || a.attestation || lp_attest_given(&a.att))
            return lp_cli_usage_error(&r, "--verify-proof takes only PROOF_FILE [ENCLAVE_PUBKEY]");
        return run_proof(&r, &a, n ? args[0] : NULL);
    }
    if (n < 2) return lp_cli_usage_error(&r, "LEAD_ID and CHECKPOINT are required");
    if (n == 3 && a.attestation) return lp_cli_usage_error(&r, "give ENCLAVE_PUBKEY or --attestation, not both");
    if (lp_attest_given(&a.att) && !a.attestation) return lp_cli_usage_error(&r, "attestation options need --attestation");
    return run_inclusion(&r, &a, args[0], args[1], n == 3 ? args[2] : NULL);
}
