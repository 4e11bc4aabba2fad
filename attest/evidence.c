/* The attested-key flow (evidence.h). */
#include "attest/evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(lpa_evidence) <= 80u * 1024u, "evidence.h states its size");

lpa_evidence *lpa_evidence_new(void)
{
    return calloc(1, sizeof(lpa_evidence));
}

void lpa_evidence_free(lpa_evidence *ev)
{
    free(ev);
}

/* r's checks, in order, as lp_checks items (code through the registry, warning flag). */
static void convert_checks(const lpa_result *r, lp_checks *c)
{
    for (size_t i = 0; i < r->n_checks; i++) {
        /* a failed append is remembered in c->lost, and the verdict is then OUT_OF_MEMORY */
        const lpa_check *k = &r->checks[i];
        if (k->warning) lp_check_warn(c, k->name, lpa_code_of(k->code), "%s", k->detail);
        else lp_check_add(c, k->name, k->ok ? LP_CODE_OK : lpa_code_of(k->code), "%s", k->detail);
    }
    /* lpa_add_check keeps a failure as r->result even when r->checks is full: never
     * let the converted list read better than r */
    if (r->result != LPA_OK && lp_checks_verdict(c) == LP_CODE_OK)
        lp_check_add(c, "verdict.result", lpa_code_of(r->result), "%s", r->detail);
}

lp_code lpa_verify_evidence(const uint8_t *raw, size_t len, const lpa_evidence_opts *o, const lpa_policy *p,
                            lpa_evidence *ev, lp_checks *out)
{
    if (!o || !p || !ev || !out || (!raw && len)) {
        if (out) lp_check_add(out, "input.arguments", LP_CODE_BAD_ARGUMENT, "called without its inputs");
        if (ev) ev->result = LP_CODE_BAD_ARGUMENT;
        return LP_CODE_BAD_ARGUMENT;
    }
    static const uint8_t empty[1];
    char detail[LPA_DETAIL_MAX];
    lp_checks mine;
    lp_checks_init(&mine);
    memset(ev, 0, sizeof *ev);
    lpa_err de = lpa_source_decode(raw ? raw : empty, len, &ev->src, detail, sizeof detail);
    if (de != LPA_OK) {
        lp_check_add(&mine, "input.decode", lpa_code_of(de), "%s", detail);
    } else {
        ev->decoded = 1;
        lp_check_add(&mine, "input.decode", LP_CODE_OK, "%s, %zu-byte COSE_Sign1", lpa_format_name(ev->src.format),
                     ev->src.cose_len);
        lpa_verify(ev->src.cose, ev->src.cose_len, &o->verify, &ev->r);
        lpa_policy_apply(p, &ev->r);
        lpa_pcr_match m;
        lpa_policy_pin(p, o->any_pcr, &ev->r, &m);
        lpa_leadpoet_bind(&ev->src, &ev->r, &ev->b);
        ev->pcr0_pinned = m.pcr0_pinned;
        if (m.build >= 0) {
            const lpa_pcr_set *b = &p->builds[m.build];
            snprintf(ev->match_label, sizeof ev->match_label, "%s", b->label);
            snprintf(ev->match_version, sizeof ev->match_version, "%s", b->version);
            snprintf(ev->match_commit, sizeof ev->match_commit, "%s", b->commit);
        }
        convert_checks(&ev->r, &mine);
    }
    lp_code v = lp_checks_verdict(&mine);
    int lost_before = out->lost;
    lp_checks_append(out, &mine);
    if (out->lost && !lost_before) v = LP_CODE_OUT_OF_MEMORY;
    lp_checks_free(&mine);
    ev->result = v;
    return v;
}

const char *lpa_evidence_key(const lpa_evidence *ev)
{
    if (!ev || ev->result != LP_CODE_OK || !ev->pcr0_pinned || !ev->b.found) return NULL;
    return ev->b.enclave_public_key;
}
