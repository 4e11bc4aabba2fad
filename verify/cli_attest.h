/* The attestation options and flow shared by verify_attestation and
 * verify_merkle_inclusion --attestation: one option table fragment, one way to
 * read the policy and root files and the --at instant, one fetch of the
 * evidence (a gateway base URL means its /attest), then lpa_verify_evidence. */
#ifndef LP_CLI_ATTEST_H
#define LP_CLI_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include "attest/evidence.h"
#include "verify/cli_opts.h"
#include "verify/cli_source.h"

#define LP_ATTEST_MAX_EXPECT 32u   /* --expect-pcr given at most once per PCR index */
#define LP_ROOT_FILE_MAX     65536u

typedef struct {
    const char *at, *max_age, *policy_file, *role, *root_file;
    const char *nonce, *user_data, *public_key;   /* verify_attestation only */
    const char *expect[LP_ATTEST_MAX_EXPECT];
    size_t n_expect;
    int allow_debug, any_pcr;
} lp_attest_args;

/* fn of --expect-pcr (ctx: the lp_attest_args). */
int lp_attest_opt_expect(void *ctx, const char *v, char *err, size_t errlen);

/* The option entries every attestation-verifying tool takes (a is an lp_attest_args lvalue;
 * the tool's lp_cli ctx must be &a for --expect-pcr). */
#define LP_ATTEST_OPTIONS(a)                                                                                        \
    {"--at", "WHEN", "now (default), doc (the document's own time), UNIX_SECONDS or RFC 3339", NULL, &(a).at, NULL}, \
    {"--max-age", "SECONDS", "refuse a document older than this (not with --at doc)", NULL, &(a).max_age, NULL},     \
    {"--expect-pcr", "N=HEX", "pin PCR N (96 hex); repeatable; PCR0 must be pinned unless --any-pcr", NULL, NULL,    \
     lp_attest_opt_expect},                                                                                           \
    {"--pcr-policy", "FILE", "accepted builds: a leadpoet-verify policy, or Leadpoet's pcr0_allowlist.json", NULL,   \
     &(a).policy_file, NULL},                                                                                         \
    {"--role", "ROLE", "gateway or validator: the list of a pcr0_allowlist.json", NULL, &(a).role, NULL},            \
    {"--any-pcr", NULL, "accept any PCR0 (genuine hardware, unknown code: reported as a warning)", &(a).any_pcr, NULL, \
     NULL},                                                                                                           \
    {"--allow-debug", NULL, "accept a debug-mode enclave (PCR0/1/2 all zero)", &(a).allow_debug, NULL, NULL},        \
    {"--root", "CERT_FILE", "another root than the pinned AWS Nitro root (test chains; reported)", NULL,             \
     &(a).root_file, NULL}

/* 1 when any attestation option was given. */
int lp_attest_given(const lp_attest_args *a);

/* Builds the options and the policy (reads --pcr-policy and --root).  now: the wall clock,
 * used for --at now.  LP_CODE_OK, or USAGE / POLICY_ERROR / IO_ERROR / INPUT_TOO_LARGE with
 * err set.  *root_der (caller frees) backs o->verify.root_der. */
lp_code lp_attest_setup(const lp_attest_args *a, int64_t now, lpa_evidence_opts *o, lpa_policy *p, uint8_t **root_der,
                        char *err, size_t errlen);

/* Reads or fetches the evidence at source (see lp_attest_source) and verifies it with
 * lpa_verify_evidence, whose checks go to out.  *resolved (caller frees) is what was read. */
lp_code lp_attest_verify(const char *source, const lp_source_opts *so, const lpa_evidence_opts *o, const lpa_policy *p,
                         lpa_evidence *ev, lp_checks *out, char **resolved);

#endif
