/* The shared attestation flow (cli_attest.h). */
#include "verify/cli_attest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/leadpoet.h"
#include "canonical/lpc_time.h"
#include "verify/cli_common.h"

#define MAX_AGE_MAX 3153600000000LL   /* 100,000 years: beyond it is a typo */

int lp_attest_opt_expect(void *ctx, const char *v, char *err, size_t errlen)
{
    lp_attest_args *a = ctx;
    if (a->n_expect == LP_ATTEST_MAX_EXPECT) {
        snprintf(err, errlen, "at most %u PCRs can be pinned", LP_ATTEST_MAX_EXPECT);
        return -1;
    }
    a->expect[a->n_expect++] = v;
    return 0;
}

int lp_attest_given(const lp_attest_args *a)
{
    return a->at || a->max_age || a->policy_file || a->role || a->root_file || a->n_expect || a->allow_debug ||
           a->any_pcr;
}

/* "now", "doc", up to 12 decimal digits (Unix seconds) or an RFC 3339 date-time. */
static int parse_at(const char *s, int64_t now, lpa_opts *o)
{
    size_t n = strlen(s);
    if (strcmp(s, "now") == 0) {
        o->mode = LPA_AT_NOW;
        o->time = now;
    } else if (strcmp(s, "doc") == 0) {
        o->mode = LPA_AT_DOC;
    } else if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        o->mode = LPA_AT_TIME;
        o->time = 0;
        for (size_t i = 0; i < n; i++) o->time = o->time * 10 + (s[i] - '0');
    } else {
        int64_t us;
        if (lpc_time_parse(s, n, 0, &us) != 0 || us < 0) return -1;
        o->mode = LPA_AT_TIME;
        o->time = us / 1000000;   /* fractions floor (us >= 0) */
    }
    return 0;
}

/* Seconds: decimal digits only, at most MAX_AGE_MAX (no overflow, no sign). */
static int parse_max_age(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 13 || strspn(s, "0123456789") != n) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    if (v > MAX_AGE_MAX) return -1;
    *out = v;
    return 0;
}

lp_code lp_attest_setup(const lp_attest_args *a, int64_t now, lpa_evidence_opts *o, lpa_policy *p, uint8_t **root_der,
                        char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    *root_der = NULL;
    lpa_policy_init(p);
    o->any_pcr = a->any_pcr;
    if (parse_at(a->at ? a->at : "now", now, &o->verify) != 0) {
        snprintf(err, errlen, "--at wants now, doc, UNIX_SECONDS or an RFC 3339 date-time, got \"%.60s\"", a->at);
        return LP_CODE_USAGE;
    }
    if (a->max_age) {
        if (o->verify.mode == LPA_AT_DOC) {
            snprintf(err, errlen, "--max-age needs --at now or an explicit time, not --at doc");
            return LP_CODE_USAGE;
        }
        if (parse_max_age(a->max_age, &p->max_age_s) != 0) {
            snprintf(err, errlen, "--max-age wants a number of seconds up to %lld", (long long)MAX_AGE_MAX);
            return LP_CODE_USAGE;
        }
    }
    char perr[LP_CHECK_DETAIL_MAX];
    for (size_t i = 0; i < a->n_expect; i++)
        if (lpa_policy_expect_pcr(p, a->expect[i], perr, sizeof perr) != LPA_OK) {
            snprintf(err, errlen, "--expect-pcr: %s", perr);
            return LP_CODE_USAGE;
        }
    const struct { const char *v, *which, *opt; } hexes[] = {
        {a->nonce, "nonce", "--expect-nonce"}, {a->user_data, "user_data", "--expect-user-data"},
        {a->public_key, "public_key", "--expect-public-key"}};
    for (size_t i = 0; i < 3; i++)
        if (hexes[i].v && lpa_policy_expect_hex(p, hexes[i].which, hexes[i].v, perr, sizeof perr) != LPA_OK) {
            snprintf(err, errlen, "%s: %s", hexes[i].opt, perr);
            return LP_CODE_USAGE;
        }
    if (a->role && strcmp(a->role, "gateway") != 0 && strcmp(a->role, "validator") != 0) {
        snprintf(err, errlen, "--role is gateway or validator");
        return LP_CODE_USAGE;
    }
    if (a->role && !a->policy_file) {
        snprintf(err, errlen, "--role picks a list of the --pcr-policy file (Leadpoet's pcr0_allowlist.json)");
        return LP_CODE_USAGE;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    lp_code c;
    if (a->policy_file) {
        if ((c = lp_read_input(a->policy_file, LPA_POLICY_FILE_MAX, &buf, &len, err, errlen)) != LP_CODE_OK) return c;
        lpa_err pe = lpa_policy_load(p, buf, len, a->role, perr, sizeof perr);
        free(buf);
        if (pe != LPA_OK) {
            snprintf(err, errlen, "%s: %s", a->policy_file, perr);
            return LP_CODE_POLICY_ERROR;
        }
    }
    if (a->allow_debug) p->allow_debug = 1;
    if (a->root_file) {
        if ((c = lp_read_input(a->root_file, LP_ROOT_FILE_MAX, &buf, &len, err, errlen)) != LP_CODE_OK) return c;
        lpa_err re = lpa_cert_der(buf, len, root_der, &o->verify.root_der_len, perr, sizeof perr);
        free(buf);
        if (re != LPA_OK) {
            snprintf(err, errlen, "--root %s: %s", a->root_file, perr);
            return LP_CODE_USAGE;
        }
        o->verify.root_der = *root_der;
    }
    return LP_CODE_OK;
}

lp_code lp_attest_verify(const char *source, const lp_source_opts *so, const lpa_evidence_opts *o, const lpa_policy *p,
                         lpa_evidence *ev, lp_checks *out, char **resolved)
{
    char err[512];
    uint8_t *raw = NULL;
    size_t len = 0;
    *resolved = lp_attest_source(source);
    if (!*resolved) {
        lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
        return LP_CODE_OUT_OF_MEMORY;
    }
    lp_source_opts s = *so;
    s.gateway = NULL;   /* evidence is never an Arweave transaction */
    lp_code c = lp_load_source(*resolved, &s, LPA_MAX_SOURCE, &raw, &len, err, sizeof err);
    if (c != LP_CODE_OK) {
        lp_check_add(out, "input", c, "%s", err);
        return c;
    }
    c = lpa_verify_evidence(raw, len, o, p, ev, out);
    free(raw);
    return c;
}
