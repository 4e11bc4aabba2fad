/* libFuzzer target: PCR policy files in both formats (attest/policy.h
 * lpa_policy_load: the builds/any_of format with no role, Leadpoet's
 * pcr0_allowlist.json with the gateway and validator roles; spec
 * nitro-attestation.md §7) and applying a loaded policy, with the PCR0 pinning
 * rule, to a parsed result.
 *   make fuzz FUZZ_TARGETS=fuzz_policy      (build-fuzz/, clang + libFuzzer)
 * Each input is loaded three times: role NULL, "gateway", "validator".
 * Invariants: no crash/leak; on failure err is a NUL-terminated string and no build
 * is kept; an accepted policy has 1..LPA_POLICY_MAX_BUILDS builds, each pinning at
 * least one PCR with NUL-terminated label, version and commit (an allowlist build:
 * PCR0 only, labelled with its non-empty version, commit "" or 40/64 lowercase hex);
 * at most one of the three loads succeeds.  Applied to a document whose PCRs are
 * build 0's values the pcr_policy check passes and policy.pcr_pinned holds exactly
 * when a build that document matches pins PCR0; applied to one differing from every
 * build both fail or are absent as documented. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const lpa_check *check(const lpa_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_checks; i++)
        if (strcmp(r->checks[i].name, name) == 0) return &r->checks[i];
    return NULL;
}

static int lower_hex(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return n == 0 || n == 40 || n == 64;
}

/* Does the document's PCR set match build b (every pinned index present and equal)? */
static int matches(const lpa_pcr_set *b, const lpa_doc *d)
{
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++)
        if ((b->mask & (1u << i)) && (!(d->pcr_mask & (1u << i)) || memcmp(b->pcrs[i], d->pcrs[i], LPA_PCR_LEN) != 0))
            return 0;
    return 1;
}

static void one_role(const uint8_t *data, size_t size, const char *role, lpa_policy *p, lpa_result *r, int *loaded)
{
    char err[256];
    memset(err, 'x', sizeof err);
    lpa_policy_init(p);
    lpa_err e = lpa_policy_load(p, data, size, role, err, sizeof err);
    if (e != LPA_OK) {
        if (e != LPA_POLICY_ERROR || !memchr(err, 0, sizeof err) || p->n_builds != 0) abort();
        return;
    }
    (*loaded)++;
    if (p->n_builds == 0 || p->n_builds > LPA_POLICY_MAX_BUILDS) abort();
    for (size_t i = 0; i < p->n_builds; i++) {
        const lpa_pcr_set *b = &p->builds[i];
        if (b->mask == 0) abort();
        if (!memchr(b->label, 0, sizeof b->label) || !memchr(b->version, 0, sizeof b->version) ||
            !memchr(b->commit, 0, sizeof b->commit))
            abort();
        if (role && (b->mask != 1u || !b->version[0] || strcmp(b->label, b->version) != 0 || !lower_hex(b->commit))) abort();
        if (!role && (b->version[0] || b->commit[0])) abort();
    }
    /* A parsed non-debug document whose PCRs are build 0's pinned values. */
    memset(r, 0, sizeof *r);
    r->result = LPA_OK;
    r->doc_parsed = 1;
    r->mode = LPA_AT_DOC;
    r->doc.pcr_mask = 0xffffu;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) {
        memset(r->doc.pcrs[i], 0x5a, LPA_PCR_LEN);
        if (p->builds[0].mask & (1u << i)) memcpy(r->doc.pcrs[i], p->builds[0].pcrs[i], LPA_PCR_LEN);
    }
    r->doc.pcr_mask |= p->builds[0].mask;
    lpa_policy_apply(p, r);
    const lpa_check *c = check(r, "policy.pcr_policy");
    if (!c || !c->ok) abort();
    if (!memchr(r->policy, 0, sizeof r->policy)) abort();
    int want_pinned = 0;
    for (size_t i = 0; i < p->n_builds; i++)
        if (matches(&p->builds[i], &r->doc) && (p->builds[i].mask & 1u)) want_pinned = 1;
    lpa_pcr_match m;
    lpa_policy_pin(p, 0, r, &m);
    c = check(r, "policy.pcr_pinned");
    if (!c || c->ok != want_pinned || m.pcr0_pinned != want_pinned || m.build < 0) abort();
    if (!want_pinned && (c->warning || r->result == LPA_OK)) abort();
    if (!matches(&p->builds[m.build], &r->doc)) abort();
    /* The same document with every PCR of every build flipped: no build can match. */
    memset(r, 0, sizeof *r);
    r->result = LPA_OK;
    r->doc_parsed = 1;
    r->mode = LPA_AT_DOC;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) r->doc.pcr_mask |= 1u << i;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) {
        /* At each byte, a non-zero value no build pins there: differs from all of
         * them (at most 64 builds), and no PCR is zero (not a debug document). */
        for (size_t k = 0; k < LPA_PCR_LEN; k++) {
            uint8_t used[256] = {0};
            for (size_t b = 0; b < p->n_builds; b++)
                if (p->builds[b].mask & (1u << i)) used[p->builds[b].pcrs[i][k]] = 1;
            unsigned v = 1;
            while (used[v]) v++;
            r->doc.pcrs[i][k] = (uint8_t)v;
        }
    }
    lpa_policy_apply(p, r);
    c = check(r, "policy.pcr_policy");
    if (!c || c->ok || r->result != LPA_PCR_MISMATCH) abort();
    lpa_policy_pin(p, 1, r, &m);
    if (check(r, "policy.pcr_pinned") || m.pcr0_pinned || m.build != -1) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpa_policy *p = malloc(sizeof *p);
    lpa_result *r = malloc(sizeof *r);
    if (!p || !r) abort();
    int loaded = 0;
    one_role(data, size, NULL, p, r, &loaded);
    one_role(data, size, "gateway", p, r, &loaded);
    one_role(data, size, "validator", p, r, &loaded);
    /* a builds policy takes no role, an allowlist needs one: never both */
    if (loaded > 2) abort();
    free(p);
    free(r);
    return 0;
}
