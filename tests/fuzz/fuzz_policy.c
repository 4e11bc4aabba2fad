/* libFuzzer target: PCR policy file (attest/policy.h lpa_policy_load, spec
 * nitro-attestation.md §7) and applying the loaded policy to a parsed result.
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_policy.c attest/[a-z]*.c \
 *         $(pkg-config --cflags --libs libcbor openssl jansson libsodium) -o fuzz_policy
 * (or `make fuzz FUZZ_TARGETS=fuzz_policy`).
 * Invariants: no crash/leak; on failure err is a NUL-terminated string; an accepted policy has
 * 1..LPA_POLICY_MAX_BUILDS builds, each pinning at least one PCR with a
 * NUL-terminated label; applied to a document whose PCRs are build 0's values the
 * pcr_policy check passes, and to one differing from every build it fails. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_check(const lpa_result *r, const char *name, int ok)
{
    for (size_t i = 0; i < r->n_checks; i++)
        if (strcmp(r->checks[i].name, name) == 0 && r->checks[i].ok == ok) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lpa_policy p;
    static lpa_result r;
    char err[256];
    memset(err, 'x', sizeof err);
    lpa_policy_init(&p);
    lpa_err e = lpa_policy_load(&p, data, size, NULL, err, sizeof err);
    if (e != LPA_OK) {
        if (!memchr(err, 0, sizeof err)) abort();
        return 0;
    }
    if (p.n_builds == 0 || p.n_builds > LPA_POLICY_MAX_BUILDS) abort();
    for (size_t i = 0; i < p.n_builds; i++) {
        if (p.builds[i].mask == 0) abort();
        if (!memchr(p.builds[i].label, 0, sizeof p.builds[i].label)) abort();
    }
    /* A parsed non-debug document whose PCRs are build 0's pinned values. */
    memset(&r, 0, sizeof r);
    r.result = LPA_OK;
    r.doc_parsed = 1;
    r.mode = LPA_AT_DOC;
    r.doc.pcr_mask = 0xffffu;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) {
        memset(r.doc.pcrs[i], 0x5a, LPA_PCR_LEN);
        if (p.builds[0].mask & (1u << i)) memcpy(r.doc.pcrs[i], p.builds[0].pcrs[i], LPA_PCR_LEN);
    }
    r.doc.pcr_mask |= p.builds[0].mask;
    lpa_policy_apply(&p, &r);
    if (has_check(&r, "policy.pcr_policy", 0)) abort();
    if (!memchr(r.policy, 0, sizeof r.policy)) abort();
    /* The same document with every PCR of every build flipped: no build can match. */
    memset(&r, 0, sizeof r);
    r.result = LPA_OK;
    r.doc_parsed = 1;
    r.mode = LPA_AT_DOC;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) r.doc.pcr_mask |= 1u << i;
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) {
        /* At each byte, a value no build pins there: differs from all of them. */
        for (size_t k = 0; k < LPA_PCR_LEN; k++) {
            uint8_t used[256] = {0};
            for (size_t b = 0; b < p.n_builds; b++)
                if (p.builds[b].mask & (1u << i)) used[p.builds[b].pcrs[i][k]] = 1;
            unsigned v = 0;
            while (used[v]) v++;
            r.doc.pcrs[i][k] = (uint8_t)v;
        }
    }
    lpa_policy_apply(&p, &r);
    if (has_check(&r, "policy.pcr_policy", 1)) abort();
    return 0;
}
