/* Nitro attestation of a v2 boot identity (boot_v2.h; weights-v2 §7.2). */
#include "attest/boot_v2.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"

static lp_code fail(lpa_boot_v2 *b, lp_checks *out, const char *prefix, const char *name, lp_code c,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static lp_code fail(lpa_boot_v2 *b, lp_checks *out, const char *prefix, const char *name, lp_code c,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->detail, sizeof b->detail, fmt, ap);
    va_end(ap);
    b->result = c;
    char full[LP_CHECK_NAME_MAX];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    if (out) lp_check_add(out, full, c, "%s", b->detail);
    return c;
}

static void pass(lp_checks *out, const char *prefix, const char *name, const char *detail)
{
    if (!out) return;
    char full[LP_CHECK_NAME_MAX];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    lp_check_add(out, full, LP_CODE_OK, "%s", detail);
}

static void hex_lower(const uint8_t *p, size_t n, char *out)
{
    static const char k[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = k[p[i] >> 4];
        out[2 * i + 1] = k[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static const char *str_of(const lpc_value *v)
{
    return v && v->type == LPC_STR ? v->u.s.ptr : NULL;
}

lp_code lpa_boot_v2_verify(const lpc_value *identity, const lpa_evidence_opts *o, const lpa_policy *p_gateway,
                           const lpa_policy *p_validator, const char *prefix, lpa_boot_v2 *b, lp_checks *out)
{
    memset(b, 0, sizeof *b);
    b->timestamp_s = -1;
    if (!prefix) prefix = "";
    if (!identity || identity->type != LPC_OBJECT || !o || !p_gateway || !p_validator)
        return fail(b, out, prefix, "attestation", LP_CODE_BAD_ARGUMENT, "no boot identity or policy");
    const char *role = str_of(lpc_get(identity, "role"));
    snprintf(b->role, sizeof b->role, "%s", role ? role : "");
    /* attested_v2.py: role "gateway" for gateway_* roles, else "validator" */
    int gw = role && strncmp(role, "gateway_", 8) == 0;
    snprintf(b->policy_role, sizeof b->policy_role, "%s", gw ? "gateway" : "validator");

    const lpc_value *doc = lpc_get(identity, "attestation_document_b64");
    uint8_t *cose = malloc(LPA_MAX_INPUT);
    if (!cose) return fail(b, out, prefix, "attestation", LP_CODE_OUT_OF_MEMORY, "out of memory");
    size_t n = 0;
    if (!doc || doc->type != LPC_STR ||
        lpc_b64_decode_to(doc->u.s.ptr, doc->u.s.len, LPC_B64_STD, cose, LPA_MAX_INPUT, &n) != LPC_OK || n == 0) {
        free(cose);
        return fail(b, out, prefix, "attestation", LP_CODE_INPUT_DECODE_ERROR,
                    "attestation_document_b64 is not base64 of at most %u bytes", LPA_MAX_INPUT);
    }
    lpa_evidence *ev = lpa_evidence_new();
    if (!ev) {
        free(cose);
        return fail(b, out, prefix, "attestation", LP_CODE_OUT_OF_MEMORY, "out of memory");
    }
    lp_checks sub;
    lp_checks_init(&sub);
    lp_code v = lpa_verify_evidence(cose, n, o, gw ? p_gateway : p_validator, ev, &sub);
    free(cose);
    if (out) lp_checks_append_prefixed(out, &sub, prefix);
    const lpa_doc *d = &ev->r.doc;
    if (ev->r.doc_parsed) {
        b->timestamp_s = (int64_t)(d->timestamp_ms / 1000u);
        if (d->pcr_mask & 1u) hex_lower(d->pcrs[0], LPA_PCR_LEN, b->pcr0);
    }
    b->pcr0_pinned = ev->pcr0_pinned;
    snprintf(b->match_label, sizeof b->match_label, "%s", ev->match_label);
    if (v != LP_CODE_OK) {
        b->result = v;
        const lp_check *k = lp_checks_culprit(&sub);
        snprintf(b->detail, sizeof b->detail, "Nitro boot attestation failed: %s%s%.240s", lp_code_name(v), k ? ": " : "",
                 k ? k->detail : "");
        lp_checks_free(&sub);
        lpa_evidence_free(ev);
        return v;
    }
    lp_checks_free(&sub);
    /* verify_boot_identity_nitro: PCR0, the exact claim, the signing key (§7.2) */
    const char *want_pcr0 = str_of(lpc_get(identity, "pcr0"));
    if (!want_pcr0 || strcmp(want_pcr0, b->pcr0) != 0) {
        lpa_evidence_free(ev);
        return fail(b, out, prefix, "boot_pcr0", LP_CODE_PCR_MISMATCH, "the document's PCR0 %s is not the boot's %.96s",
                    b->pcr0, want_pcr0 ? want_pcr0 : "(none)");
    }
    pass(out, prefix, "boot_pcr0", "the document's PCR0 is the boot's pcr0");
    lpc_value *want = NULL, *got = NULL;
    lpc_referr e;
    lp_code c = lpc_av2_build_boot_attestation_user_data(identity, &want, &e);
    if (c != LP_CODE_OK) {
        lpa_evidence_free(ev);
        return fail(b, out, prefix, "boot_claim", c, "%s: %s", e.type, e.message);
    }
    size_t off = 0;
    if (!d->has_user_data || lpc_parse(d->user_data, d->user_data_len, &got, &off) != LPC_OK || !lpc_py_eq(got, want)) {
        lpc_free(got);
        lpc_free(want);
        lpa_evidence_free(ev);
        return fail(b, out, prefix, "boot_claim", LP_CODE_USER_DATA_MISMATCH,
                    "the attested user_data is not the claim this boot expects (Nitro boot claim mismatch)");
    }
    pass(out, prefix, "boot_claim", "the attested user_data is exactly the boot's claim");
    const char *key = str_of(lpc_get(got, "enclave_pubkey"));
    if (!key) key = str_of(lpc_get(got, "enclave_public_key"));
    const char *signing = str_of(lpc_get(identity, "signing_pubkey"));
    int key_ok = key && signing && strcmp(key, signing) == 0;
    if (key_ok && d->has_public_key) {
        char pk[2 * LPA_PUBLIC_KEY_MAX + 1];
        hex_lower(d->public_key, d->public_key_len, pk);
        key_ok = strcmp(pk, signing) == 0;
    }
    lpc_free(got);
    lpc_free(want);
    lpa_evidence_free(ev);
    if (!key_ok)
        return fail(b, out, prefix, "boot_signing_key", LP_CODE_PUBLIC_KEY_MISMATCH,
                    "the attested key is not the boot's signing_pubkey (Nitro boot signing key mismatch)");
    pass(out, prefix, "boot_signing_key", "the attested key is the boot's signing_pubkey");
    b->result = LP_CODE_OK;
    return LP_CODE_OK;
}
