/* verify_attestation: verify an AWS Nitro attestation document from a Leadpoet
 * gateway URL, a saved response, or a raw/encoded COSE_Sign1 file (issue 3;
 * spec nitro-attestation.md, leadpoet-formats.md §13).
 * Exit 0 verified, 1 verification or policy failed, 2 could not decide. */
#include <getopt.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/leadpoet.h"
#include "attest/nitro.h"
#include "attest/policy.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_time.h"
#include "verify/cli_common.h"
#include "verify/cli_fetch.h"

#define TOOL "verify_attestation"
#define ROOT_FILE_MAX 65536u

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL " [--json] [--at now|doc|UNIX_SECONDS|RFC3339] [--max-age SECONDS]\n"
            "                          [--expect-pcr N=HEX]... [--pcr-policy FILE] [--allow-debug]\n"
            "                          [--expect-nonce HEX] [--expect-user-data HEX] [--expect-public-key HEX]\n"
            "                          [--root CERT_FILE] [--save FILE] [--offline] SOURCE\n"
            "SOURCE: gateway base URL (GETs SOURCE/attest), full http(s) URL, file, or - for stdin.\n"
            "Files: raw COSE_Sign1 (tag 18 optional), its hex or base64, a saved /attest or\n"
            "/attestation/document JSON response.\n"
            "--at now (default) checks the chain at the current time, doc at the document's own\n"
            "timestamp (archived documents: authenticity, not freshness).\n"
            "--root replaces the pinned AWS Nitro root (test chains only; the report says so).\n"
            "--pcr-policy FILE: {\"builds\": [{\"label\": \"...\", \"pcrs\": {\"0\": \"<96 hex>\", ...}}, ...]}\n"
            "Exit: 0 verified, 1 verification or policy failed, 2 usage, input or network error.\n");
}

static int exit_for(lpa_err e)
{
    switch (e) {
    case LPA_OK: return LP_EXIT_OK;
    case LPA_INPUT_DECODE_ERROR:
    case LPA_INPUT_TOO_LARGE:
    case LPA_MALFORMED_COSE:
    case LPA_POLICY_ERROR:
    case LPA_INTERNAL: return LP_EXIT_UNDECIDED;
    default: return LP_EXIT_FAIL;
    }
}

static void rfc3339(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) snprintf(out, 32, "%lld", (long long)t);
}


static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* UNIX_SECONDS or RFC 3339 (YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)); fractions floor. */
static int parse_time(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        *out = strtoll(s, NULL, 10);
        return 0;
    }
    int Y, M, D, h, m, sec;
    if (n < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D) ||
        (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) ||
        s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return -1;
        while (*p >= '0' && *p <= '9') p++;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59) return -1;
        off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    *out = lpc_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + m * 60 + sec - off;
    return 0;
}

/* PEM or DER certificate file to DER bytes (malloc'd). */
static int load_root(const char *path, uint8_t **der, size_t *derlen, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t n = 0;
    if (lp_read_input(path, ROOT_FILE_MAX, &buf, &n, err, errlen) != LP_READ_OK) return -1;
    X509 *x = NULL;
    if (strstr((const char *)buf, "-----BEGIN")) { /* buf is NUL-terminated */
        BIO *b = BIO_new_mem_buf(buf, (int)n);
        x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    } else {
        const unsigned char *q = buf;
        x = d2i_X509(NULL, &q, (long)n);
        if (x && q != buf + n) {
            X509_free(x);
            x = NULL;
        }
    }
    free(buf);
    if (!x) {
        snprintf(err, errlen, "%s: not a PEM or DER X.509 certificate", path);
        return -1;
    }
    int l = i2d_X509(x, NULL);
    *der = l > 0 ? malloc((size_t)l) : NULL;
    unsigned char *q = *der;
    if (!*der || i2d_X509(x, &q) != l) {
        X509_free(x);
        free(*der);
        snprintf(err, errlen, "%s: cannot re-encode certificate", path);
        return -1;
    }
    X509_free(x);
    *derlen = (size_t)l;
    return 0;
}

static json_t *hex_or_null(int has, const uint8_t *p, size_t n)
{
    if (!has) return json_null();
    char *h = malloc(2 * n + 1);
    if (!h) return json_null();
    lpc_hex_encode(p, n, h);
    json_t *s = json_string(h);
    free(h);
    return s;
}

static const char *mode_name(lpa_time_mode m)
{
    return m == LPA_AT_NOW ? "now" : m == LPA_AT_DOC ? "doc" : "explicit";
}

typedef struct {
    const char *source;
    const lpa_source *src;     /* NULL when decoding failed */
    const lpa_result *r;
    const lpa_binding *b;
    lpa_err result;
    const char *result_code;   /* overrides lpa_code(result) (network errors) */
    const char *detail;
} report;

static void print_json(const report *rp)
{
    const lpa_result *r = rp->r;
    json_t *o = json_object();
    json_t *checks = json_array(), *warnings = json_array();
    if (r)
        for (size_t i = 0; i < r->n_checks; i++) {
            const lpa_check *c = &r->checks[i];
            json_array_append_new(checks, json_pack("{s:s, s:b, s:s}", "name", c->name, "ok", c->ok, "detail", c->detail));
            if (c->warning) json_array_append_new(warnings, json_string(c->name));
        }
    json_object_set_new(o, "result", json_string(rp->result_code ? rp->result_code : lpa_code(rp->result)));
    json_object_set_new(o, "detail", json_string(rp->detail ? rp->detail : ""));
    json_object_set_new(o, "trusted", json_boolean(rp->result == LPA_OK && !rp->result_code));
    json_object_set_new(o, "checks", checks);
    json_object_set_new(o, "warnings", warnings);
    json_object_set_new(o, "source", json_string(rp->source ? rp->source : ""));
    json_object_set_new(o, "input_format", rp->src ? json_string(lpa_format_name(rp->src->format)) : json_null());
    int parsed = r && r->doc_parsed;
    const lpa_doc *d = parsed ? &r->doc : NULL;
    char t[32];
    if (r && r->verified_at >= 0) {
        rfc3339(r->verified_at, t);
        json_object_set_new(o, "verified_at", json_string(t));
        json_object_set_new(o, "verified_at_unix", json_integer(r->verified_at));
    } else {
        json_object_set_new(o, "verified_at", json_null());
        json_object_set_new(o, "verified_at_unix", json_null());
    }
    json_object_set_new(o, "time_mode", r ? json_string(mode_name(r->mode)) : json_null());
    json_object_set_new(o, "module_id", d ? json_string(d->module_id) : json_null());
    json_object_set_new(o, "timestamp_ms", d ? json_integer((json_int_t)d->timestamp_ms) : json_null());
    json_object_set_new(o, "digest", d ? json_string(d->digest) : json_null());
    json_object_set_new(o, "tagged", r && r->n_checks && r->checks[0].ok ? json_boolean(r->doc.tagged) : json_null());
    json_object_set_new(o, "debug", d ? json_boolean(r->debug) : json_null());
    json_object_set_new(o, "policy", json_string(r ? r->policy : "none"));
    if (d) {
        json_t *pcrs = json_object();
        for (unsigned i = 0; i < LPA_MAX_PCRS; i++)
            if (d->pcr_mask & (1u << i)) {
                char k[4];
                snprintf(k, sizeof k, "%u", i);
                json_object_set_new(pcrs, k, hex_or_null(1, d->pcrs[i], LPA_PCR_LEN));
            }
        json_object_set_new(o, "pcrs", pcrs);
        json_object_set_new(o, "public_key", hex_or_null(d->has_public_key, d->public_key, d->public_key_len));
        json_object_set_new(o, "user_data", hex_or_null(d->has_user_data, d->user_data, d->user_data_len));
        json_object_set_new(o, "nonce", hex_or_null(d->has_nonce, d->nonce, d->nonce_len));
        uint8_t h[32];
        unsigned hl = 0;
        if (EVP_Digest(d->payload, d->payload_len, h, &hl, EVP_sha256(), NULL) == 1)
            json_object_set_new(o, "payload_sha256", hex_or_null(1, h, 32));
    } else {
        json_object_set_new(o, "pcrs", json_null());
        json_object_set_new(o, "public_key", json_null());
        json_object_set_new(o, "user_data", json_null());
        json_object_set_new(o, "nonce", json_null());
        json_object_set_new(o, "payload_sha256", json_null());
    }
    json_t *certs = json_array();
    if (r)
        for (size_t i = 0; i < r->n_certs; i++) {
            char nb[32], na[32];
            rfc3339(r->certs[i].not_before, nb);
            rfc3339(r->certs[i].not_after, na);
            json_array_append_new(certs, json_pack("{s:s, s:s, s:s}", "subject", r->certs[i].subject, "notBefore", nb,
                                                   "notAfter", na));
        }
    json_object_set_new(o, "certificates", certs);
    if (r) {
        char rh[65];
        lpc_hex_encode(r->root_sha256, 32, rh);
        json_object_set_new(o, "root", json_pack("{s:b, s:s}", "aws", r->root_is_aws, "sha256", rh));
    }
    int leadpoet = rp->src && (rp->src->format == LPA_FMT_ATTEST_JSON || rp->src->format == LPA_FMT_ATTDOC_JSON);
    if (leadpoet || (rp->b && rp->b->found)) {
        json_object_set_new(o, "enclave_public_key", rp->b && rp->b->found ? json_string(rp->b->enclave_public_key) : json_null());
        json_object_set_new(o, "code_hash", rp->b && rp->b->has_code_hash ? json_string(rp->b->code_hash) : json_null());
    }
    char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
    if (s) {
        puts(s);
        free(s);
    }
    json_decref(o);
}

static void print_text(const report *rp)
{
    const lpa_result *r = rp->r;
    if (r) {
        for (size_t i = 0; i < r->n_checks; i++)
            printf("  %-4s %-32s %s\n", r->checks[i].ok ? "ok" : "FAIL", r->checks[i].name, r->checks[i].detail);
        if (r->verified_at >= 0) {
            char t[32];
            rfc3339(r->verified_at, t);
            printf("verified at:  %s (%s)%s\n", t, mode_name(r->mode), r->root_is_aws ? "" : "  ROOT: NON-AWS (--root)");
        }
        if (r->doc_parsed) {
            const lpa_doc *d = &r->doc;
            char h[2 * LPA_PCR_LEN + 1];
            printf("module_id:    %s\ntimestamp_ms: %llu\n", d->module_id, (unsigned long long)d->timestamp_ms);
            for (int i = 0; i < 3; i++)
                if (d->pcr_mask & (1u << i)) {
                    lpc_hex_encode(d->pcrs[i], LPA_PCR_LEN, h);
                    printf("PCR%d:         %s\n", i, h);
                }
            printf("policy:       %s\n", r->policy);
        }
    }
    if (rp->b && rp->b->found) {
        printf("enclave_public_key: %s\n", rp->b->enclave_public_key);
        if (rp->b->has_code_hash) printf("code_hash:          %s\n", rp->b->code_hash);
    }
    printf("result: %s\n", rp->result_code ? rp->result_code : lpa_code(rp->result));
}

static void emit(const report *rp, int json)
{
    if (json) print_json(rp);
    else print_text(rp);
    if (rp->result != LPA_OK || rp->result_code)
        lp_cli_error(TOOL, rp->result_code ? rp->result_code : lpa_code(rp->result), "%s",
                     rp->detail && rp->detail[0] ? rp->detail : lpa_strerror(rp->result));
}

/* Gateway base URL (no path or "/") -> SOURCE/attest. */
static char *resolve_url(const char *src)
{
    const char *p = strstr(src, "://");
    const char *path = p ? strchr(p + 3, '/') : NULL;
    size_t n = strlen(src);
    char *u = malloc(n + 8);
    if (!u) return NULL;
    if (!path) snprintf(u, n + 8, "%s/attest", src);
    else if (strcmp(path, "/") == 0) snprintf(u, n + 8, "%sattest", src);
    else snprintf(u, n + 8, "%s", src);
    return u;
}

enum { O_JSON = 256, O_AT, O_MAX_AGE, O_EXPECT_PCR, O_PCR_POLICY, O_ALLOW_DEBUG, O_NONCE, O_USER_DATA, O_PUBLIC_KEY, O_ROOT, O_SAVE, O_OFFLINE, O_HELP, O_VERSION };

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, O_JSON},
        {"at", required_argument, NULL, O_AT},
        {"max-age", required_argument, NULL, O_MAX_AGE},
        {"expect-pcr", required_argument, NULL, O_EXPECT_PCR},
        {"pcr-policy", required_argument, NULL, O_PCR_POLICY},
        {"allow-debug", no_argument, NULL, O_ALLOW_DEBUG},
        {"expect-nonce", required_argument, NULL, O_NONCE},
        {"expect-user-data", required_argument, NULL, O_USER_DATA},
        {"expect-public-key", required_argument, NULL, O_PUBLIC_KEY},
        {"root", required_argument, NULL, O_ROOT},
        {"save", required_argument, NULL, O_SAVE},
        {"offline", no_argument, NULL, O_OFFLINE},
        {"help", no_argument, NULL, O_HELP},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    int json = 0, offline = 0, rc = LP_EXIT_UNDECIDED, allow_debug_flag = 0;
    const char *at = "now", *policy_file = NULL, *root_file = NULL, *save_file = NULL;
    char err[512];
    lpa_policy *pol = calloc(1, sizeof *pol);
    lpa_source *src = calloc(1, sizeof *src);
    lpa_result *r = calloc(1, sizeof *r);
    lpa_binding b;
    uint8_t *raw = NULL, *root_der = NULL;
    size_t raw_len = 0, root_len = 0;
    char *url = NULL;
    memset(&b, 0, sizeof b);
    if (!pol || !src || !r) {
        lp_cli_error(TOOL, "INTERNAL", "out of memory");
        goto done;
    }
    lpa_policy_init(pol);
    int64_t max_age = -1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        lpa_err pe = LPA_OK;
        switch (c) {
        case O_JSON: json = 1; break;
        case O_AT: at = optarg; break;
        case O_MAX_AGE: {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || strspn(optarg, "0123456789") != strlen(optarg)) {
                lp_cli_error(TOOL, "USAGE", "--max-age wants a non-negative number of seconds");
                goto done;
            }
            max_age = v;
            break;
        }
        case O_EXPECT_PCR: pe = lpa_policy_expect_pcr(pol, optarg, err, sizeof err); break;
        case O_PCR_POLICY: policy_file = optarg; break;
        case O_ALLOW_DEBUG: allow_debug_flag = 1; break;
        case O_NONCE: pe = lpa_policy_expect_hex(pol, "nonce", optarg, err, sizeof err); break;
        case O_USER_DATA: pe = lpa_policy_expect_hex(pol, "user_data", optarg, err, sizeof err); break;
        case O_PUBLIC_KEY: pe = lpa_policy_expect_hex(pol, "public_key", optarg, err, sizeof err); break;
        case O_ROOT: root_file = optarg; break;
        case O_SAVE: save_file = optarg; break;
        case O_OFFLINE: offline = 1; break;
        case 'h':
        case O_HELP: usage(stdout); rc = LP_EXIT_OK; goto done;
        case O_VERSION: printf(TOOL " " LP_VERSION_STRING "\n"); rc = LP_EXIT_OK; goto done;
        default:
            lp_cli_error(TOOL, "USAGE", "unknown option or missing argument: %s", argv[optind - 1]);
            usage(stderr);
            goto done;
        }
        if (pe != LPA_OK) {
            lp_cli_error(TOOL, "USAGE", "%s", err);
            goto done;
        }
    }
    if (argc - optind != 1) {
        lp_cli_error(TOOL, "USAGE", "exactly one SOURCE is required");
        usage(stderr);
        goto done;
    }
    const char *source = argv[optind];

    lpa_opts vo;
    memset(&vo, 0, sizeof vo);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (strcmp(at, "now") == 0) {
        vo.mode = LPA_AT_NOW;
        vo.time = (int64_t)now.tv_sec;
    } else if (strcmp(at, "doc") == 0) {
        vo.mode = LPA_AT_DOC;
        if (max_age >= 0) {
            lp_cli_error(TOOL, "USAGE", "--max-age needs --at now or an explicit time, not --at doc");
            goto done;
        }
    } else {
        vo.mode = LPA_AT_TIME;
        if (parse_time(at, &vo.time) != 0) {
            lp_cli_error(TOOL, "USAGE", "--at wants now, doc, UNIX_SECONDS or RFC3339, got \"%s\"", at);
            goto done;
        }
    }
    pol->max_age_s = max_age;

    if (policy_file) {
        uint8_t *pj = NULL;
        size_t pl = 0;
        if (lp_read_input(policy_file, LPA_POLICY_FILE_MAX, &pj, &pl, err, sizeof err) != LP_READ_OK ||
            lpa_policy_load(pol, pj, pl, NULL, err, sizeof err) != LPA_OK) {
            free(pj);
            report rp = {source, NULL, NULL, NULL, LPA_POLICY_ERROR, NULL, err};
            emit(&rp, json);
            rc = LP_EXIT_UNDECIDED;
            goto done;
        }
        free(pj);
    }
    if (allow_debug_flag) pol->allow_debug = 1;
    if (root_file) {
        if (load_root(root_file, &root_der, &root_len, err, sizeof err) != 0) {
            lp_cli_error(TOOL, "USAGE", "--root: %s", err);
            goto done;
        }
        vo.root_der = root_der;
        vo.root_der_len = root_len;
    }

    /* Acquire the evidence bytes exactly once. */
    if (lp_is_url(source)) {
        if (offline) {
            report rp = {source, NULL, NULL, NULL, LPA_INPUT_DECODE_ERROR, "NETWORK_ERROR", "--offline: refusing to fetch a URL"};
            emit(&rp, json);
            goto done;
        }
        url = resolve_url(source);
        if (!url || lp_fetch(url, LPA_MAX_SOURCE, &raw, &raw_len, err, sizeof err) != LP_FETCH_OK) {
            if (!url) snprintf(err, sizeof err, "out of memory");
            report rp = {url ? url : source, NULL, NULL, NULL, LPA_INPUT_DECODE_ERROR, "NETWORK_ERROR", err};
            emit(&rp, json);
            goto done;
        }
    } else {
        lp_read_status st = lp_read_input(source, LPA_MAX_SOURCE, &raw, &raw_len, err, sizeof err);
        if (st != LP_READ_OK) {
            report rp = {source, NULL, NULL, NULL, st == LP_READ_TOO_LARGE ? LPA_INPUT_TOO_LARGE : LPA_INPUT_DECODE_ERROR, NULL, err};
            emit(&rp, json);
            goto done;
        }
    }
    if (save_file && lp_save_bytes(save_file, raw, raw_len, err, sizeof err) != 0) {
        lp_cli_error(TOOL, "USAGE", "--save: %s", err);
        goto done;
    }

    lpa_err de = lpa_source_decode(raw, raw_len, src, err, sizeof err);
    if (de != LPA_OK) {
        report rp = {url ? url : source, NULL, NULL, NULL, de, NULL, err};
        emit(&rp, json);
        rc = exit_for(de);
        goto done;
    }
    lpa_verify(src->cose, src->cose_len, &vo, r);
    lpa_policy_apply(pol, r);
    lpa_leadpoet_bind(src, r, &b);
    report rp = {url ? url : source, src, r, &b, r->result, NULL, r->detail};
    emit(&rp, json);
    rc = exit_for(r->result);
done:
    free(raw);
    free(root_der);
    free(url);
    free(pol);
    free(src);
    free(r);
    return rc;
}
