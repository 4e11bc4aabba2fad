/* The attested-key flow, once (nitro-attestation.md §0, §7, §13; review §1.3):
 * evidence bytes as a tool read or fetched them -> transport decoding
 * (lpa_source_decode) -> COSE, document, chain, signature, invariants (lpa_verify)
 * -> policy (lpa_policy_apply) -> the PCR0 pinning rule (lpa_policy_pin) -> Leadpoet
 * key bindings (lpa_leadpoet_bind).  Every check is appended to the caller's
 * lp_checks in run order and the verdict is lp_checks_verdict of them: the first
 * failure whose code decides (exit class 1), else the first undecided one (exit
 * class 2), else OK.  Fail closed: without a PCR0 the user pinned the verdict is
 * PCR_NOT_PINNED (see lpa_policy_pin), and the enclave key is handed out
 * (lpa_evidence_key) only with an OK verdict and a pinned PCR0.  Pure: no I/O, no
 * clock (the caller's lpa_opts carries the instant).
 *
 * Memory: lpa_evidence is about 77 KiB (the decoded source, the lpa_result): get it
 * from lpa_evidence_new and release it with lpa_evidence_free; it owns no other
 * memory.  The lp_checks belongs to the caller (lp_checks_init / lp_checks_free). */
#ifndef LPA_EVIDENCE_H
#define LPA_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include "attest/leadpoet.h"
#include "attest/nitro.h"
#include "attest/policy.h"
#include "canonical/lp_check.h"

typedef struct {
    lpa_opts verify;     /* time mode, instant, root, as for lpa_verify */
    int any_pcr;         /* the user's explicit opt-in (--any-pcr): an unpinned PCR0 is a warning */
} lpa_evidence_opts;

typedef struct {
    int decoded;                                /* src holds the decoded transport */
    lpa_source src;
    lpa_result r;                               /* every lpa_* check, the pinning check included */
    lpa_binding b;                              /* what the attested user_data binds */
    int pcr0_pinned;                            /* the document's PCR0 equals a value the user pinned */
    char match_label[LPA_POLICY_LABEL_MAX];     /* the policy build that matched; "" if none */
    char match_version[LPA_POLICY_LABEL_MAX];   /* its allowlist version; "" if none */
    char match_commit[LPA_POLICY_COMMIT_MAX + 1]; /* its allowlist commit_hash; "" if none */
    lp_code result;                             /* the verdict, as returned */
} lpa_evidence;

/* A zeroed lpa_evidence (NULL when out of memory); free with lpa_evidence_free. */
lpa_evidence *lpa_evidence_new(void);
void lpa_evidence_free(lpa_evidence *ev);

/* Runs the flow on raw[0..len) (at most LPA_MAX_SOURCE bytes: raw COSE, its hex or
 * base64, or a Leadpoet /attest or /attestation/document response), fills ev and
 * appends one check per step to out ("input.decode", then the lpa_result checks with
 * their codes and warning flags).  Returns the verdict (also ev->result); its exit
 * class is lp_code_exit(verdict).  p is the user's policy (lpa_policy_init defaults
 * when nothing was asked).  LP_CODE_BAD_ARGUMENT when o, p, ev or out is NULL or raw
 * is NULL with len > 0. */
lp_code lpa_verify_evidence(const uint8_t *raw, size_t len, const lpa_evidence_opts *o, const lpa_policy *p,
                            lpa_evidence *ev, lp_checks *out);

/* The enclave's Ed25519 public key (64 lowercase hex) that a tool may trust to
 * verify what the enclave signed: only when ev->result is LP_CODE_OK, the document's
 * PCR0 is pinned (not merely accepted with any_pcr) and the attested user_data names
 * the key; NULL otherwise.  Points into ev. */
const char *lpa_evidence_key(const lpa_evidence *ev);

#endif
