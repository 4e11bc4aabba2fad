/* PCR / freshness / binding policy (nitro-attestation.md §6.2, §7). */
#include "attest/policy.h"
#include "canonical/lpc_hash.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(lpa_policy) <= 128u * 1024u, "policy.h states its size");

void lpa_policy_init(lpa_policy *p)
{
    memset(p, 0, sizeof *p);
    p->max_age_s = -1;
    p->future_skew_s = LPA_FUTURE_SKEW_S;
}

/* "0".."31" without sign, spaces or leading zeros. */
static int parse_index(const char *s, size_t n, unsigned *out)
{
    if (n == 0 || n > 2 || (n == 2 && s[0] == '0')) return -1;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v >= LPA_MAX_PCRS) return -1;
    *out = v;
    return 0;
}

static int set_pcr(lpa_pcr_set *set, unsigned idx, const char *hex, char *err, size_t errlen)
{
    uint8_t v[LPA_PCR_LEN];
    size_t n = 0;
    if (strlen(hex) != 2 * LPA_PCR_LEN || lpc_hex_decode(hex, strlen(hex), v, sizeof v, &n) != LPC_OK) {
        snprintf(err, errlen, "PCR%u: expected %u hex digits", idx, 2 * LPA_PCR_LEN);
        return -1;
    }
    if ((set->mask & (1u << idx)) && memcmp(set->pcrs[idx], v, LPA_PCR_LEN) != 0) {
        snprintf(err, errlen, "PCR%u pinned twice with different values", idx);
        return -1;
    }
    set->mask |= 1u << idx;
    memcpy(set->pcrs[idx], v, LPA_PCR_LEN);
    return 0;
}

lpa_err lpa_policy_expect_pcr(lpa_policy *p, const char *arg, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    unsigned idx;
    if (!eq || parse_index(arg, (size_t)(eq - arg), &idx) != 0) {
        snprintf(err, errlen, "--expect-pcr wants N=HEX with N in 0..31, got \"%.40s\"", arg);
        return LPA_POLICY_ERROR;
    }
    if (set_pcr(&p->expect, idx, eq + 1, err, errlen) != 0) return LPA_POLICY_ERROR;
    snprintf(p->expect.label, sizeof p->expect.label, "--expect-pcr");
    return LPA_OK;
}

lpa_err lpa_policy_expect_hex(lpa_policy *p, const char *which, const char *hex, char *err, size_t errlen)
{
    uint8_t *dst;
    size_t cap, *len;
    int *has;
    if (strcmp(which, "nonce") == 0) { dst = p->nonce; cap = sizeof p->nonce; len = &p->nonce_len; has = &p->has_nonce; }
    else if (strcmp(which, "user_data") == 0) { dst = p->user_data; cap = sizeof p->user_data; len = &p->user_data_len; has = &p->has_user_data; }
    else if (strcmp(which, "public_key") == 0) { dst = p->public_key; cap = sizeof p->public_key; len = &p->public_key_len; has = &p->has_public_key; }
    else {
        snprintf(err, errlen, "unknown field %s", which);
        return LPA_POLICY_ERROR;
    }
    if (lpc_hex_decode(hex, strlen(hex), dst, cap, len) != LPC_OK) {
        snprintf(err, errlen, "expected %s: not hex of at most %zu bytes", which, cap);
        return LPA_POLICY_ERROR;
    }
    *has = 1;
    return LPA_OK;
}

/* One PCR set: object of index -> hex, optionally with "label" (any_of form). */
static int load_set(json_t *obj, lpa_pcr_set *set, int allow_label, char *err, size_t errlen)
{
    const char *k;
    json_t *v;
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "a PCR set must be an object");
        return -1;
    }
    json_object_foreach(obj, k, v) {
        unsigned idx;
        if (allow_label && strcmp(k, "label") == 0) {
            if (!json_is_string(v) || json_string_length(v) >= LPA_POLICY_LABEL_MAX) {
                snprintf(err, errlen, "label must be a string under %u bytes", LPA_POLICY_LABEL_MAX);
                return -1;
            }
            snprintf(set->label, sizeof set->label, "%s", json_string_value(v));
            continue;
        }
        if (parse_index(k, strlen(k), &idx) != 0) {
            snprintf(err, errlen, "PCR index \"%.20s\" is not 0..31", k);
            return -1;
        }
        if (!json_is_string(v)) {
            snprintf(err, errlen, "PCR%u: value must be a hex string", idx);
            return -1;
        }
        if (set_pcr(set, idx, json_string_value(v), err, errlen) != 0) return -1;
    }
    if (set->mask == 0) {
        snprintf(err, errlen, "build \"%s\" pins no PCR (a policy must pin something)", set->label);
        return -1;
    }
    return 0;
}

/* {"schema", "allow_debug", "builds": [...]} or the spec §7 {"pcrs": {"any_of": [...]}}. */
static int load_builds(json_t *root, lpa_policy *p, char *err, size_t errlen)
{
    const char *k;
    json_t *v, *builds = NULL, *any_of = NULL;
    json_object_foreach(root, k, v) {
        if (strcmp(k, "schema") == 0) {
            if (!json_is_string(v) || strcmp(json_string_value(v), "leadpoet-verify/pcr-policy/1") != 0) {
                snprintf(err, errlen, "schema must be \"leadpoet-verify/pcr-policy/1\"");
                return -1;
            }
        } else if (strcmp(k, "allow_debug") == 0) {
            if (!json_is_boolean(v)) {
                snprintf(err, errlen, "allow_debug must be a boolean");
                return -1;
            }
            if (json_is_true(v)) p->allow_debug = 1;
        } else if (strcmp(k, "builds") == 0) {
            builds = v;
        } else if (strcmp(k, "pcrs") == 0) {
            const char *k2;
            json_t *v2;
            if (!json_is_object(v)) {
                snprintf(err, errlen, "pcrs must be an object {\"any_of\": [...]}");
                return -1;
            }
            json_object_foreach(v, k2, v2) {
                if (strcmp(k2, "any_of") != 0) {
                    snprintf(err, errlen, "pcrs: unknown key \"%.40s\"", k2);
                    return -1;
                }
                any_of = v2;
            }
        } else {
            snprintf(err, errlen, "unknown policy key \"%.40s\"", k);
            return -1;
        }
    }
    if (!builds == !any_of) {
        snprintf(err, errlen, "policy needs exactly one of \"builds\" or \"pcrs\": {\"any_of\"}");
        return -1;
    }
    json_t *list = builds ? builds : any_of;
    if (!json_is_array(list) || json_array_size(list) == 0) {
        snprintf(err, errlen, "the list of accepted builds is empty (a policy must pin something)");
        return -1;
    }
    if (json_array_size(list) > LPA_POLICY_MAX_BUILDS) {
        snprintf(err, errlen, "more than %u builds", LPA_POLICY_MAX_BUILDS);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        lpa_pcr_set *set = &p->builds[i];
        memset(set, 0, sizeof *set);
        json_t *b = json_array_get(list, i);
        if (builds) {
            json_t *pcrs = NULL;
            snprintf(set->label, sizeof set->label, "builds[%zu]", i);
            if (!json_is_object(b)) {
                snprintf(err, errlen, "builds[%zu] must be an object", i);
                return -1;
            }
            json_object_foreach(b, k, v) {
                if (strcmp(k, "label") == 0) {
                    if (!json_is_string(v) || json_string_length(v) >= LPA_POLICY_LABEL_MAX) {
                        snprintf(err, errlen, "builds[%zu].label must be a string under %u bytes", i, LPA_POLICY_LABEL_MAX);
                        return -1;
                    }
                    snprintf(set->label, sizeof set->label, "%s", json_string_value(v));
                } else if (strcmp(k, "pcrs") == 0) {
                    pcrs = v;
                } else {
                    snprintf(err, errlen, "builds[%zu]: unknown key \"%.40s\"", i, k);
                    return -1;
                }
            }
            if (!pcrs) {
                snprintf(err, errlen, "builds[%zu] has no pcrs (a policy must pin something)", i);
                return -1;
            }
            if (load_set(pcrs, set, 0, err, errlen) != 0) return -1;
        } else {
            snprintf(set->label, sizeof set->label, "any_of[%zu]", i);
            if (load_set(b, set, 1, err, errlen) != 0) return -1;
        }
        p->n_builds++;
    }
    return 0;
}

/* A string of 1..max-1 bytes without control characters (it is printed in reports). */
static int text_field(json_t *v, size_t max)
{
    if (!json_is_string(v)) return 0;
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0 || n >= max) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
    return 1;
}

/* One entry of a Leadpoet allowlist list:
 * {"pcr0": <96 hex>, "version": str, "deployed"?: str, "commit_hash"?: <40|64 hex>, "notes"?: str}. */
static int load_allowlist_entry(json_t *e, const char *list, size_t i, lpa_pcr_set *set, char *err, size_t errlen)
{
    const char *k;
    json_t *v;
    memset(set, 0, sizeof *set);
    if (!json_is_object(e)) {
        snprintf(err, errlen, "%s[%zu] must be an object", list, i);
        return -1;
    }
    json_object_foreach(e, k, v) {
        if (strcmp(k, "pcr0") == 0) {
            if (!json_is_string(v) || json_string_length(v) != 2 * LPA_PCR_LEN ||
                set_pcr(set, 0, json_string_value(v), err, errlen) != 0) {
                snprintf(err, errlen, "%s[%zu].pcr0 must be %u hex digits", list, i, 2 * LPA_PCR_LEN);
                return -1;
            }
        } else if (strcmp(k, "version") == 0) {
            if (!text_field(v, LPA_POLICY_LABEL_MAX)) {
                snprintf(err, errlen, "%s[%zu].version must be text of 1..%u bytes", list, i, LPA_POLICY_LABEL_MAX - 1);
                return -1;
            }
            snprintf(set->version, sizeof set->version, "%s", json_string_value(v));
        } else if (strcmp(k, "commit_hash") == 0) {
            size_t n = json_is_string(v) ? json_string_length(v) : 0, bl;
            uint8_t bin[LPA_POLICY_COMMIT_MAX / 2];
            if ((n != 40 && n != 64) || lpc_hex_decode(json_string_value(v), n, bin, sizeof bin, &bl) != LPC_OK) {
                snprintf(err, errlen, "%s[%zu].commit_hash must be 40 or 64 hex digits (a git object name)", list, i);
                return -1;
            }
            lpc_hex_encode(bin, bl, set->commit);
        } else if (strcmp(k, "deployed") == 0 || strcmp(k, "notes") == 0) {
            if (!text_field(v, strcmp(k, "notes") == 0 ? LPA_ALLOWLIST_NOTES_MAX : LPA_POLICY_LABEL_MAX)) {
                snprintf(err, errlen, "%s[%zu].%s must be text without control characters", list, i, k);
                return -1;
            }
        } else {
            snprintf(err, errlen, "%s[%zu]: unknown key \"%.40s\"", list, i, k);
            return -1;
        }
    }
    if (!set->mask || !set->version[0]) {
        snprintf(err, errlen, "%s[%zu] needs pcr0 and version", list, i);
        return -1;
    }
    snprintf(set->label, sizeof set->label, "%s", set->version);
    return 0;
}

/* Leadpoet's pcr0_allowlist.json as published (nitro-attestation.md §7, §13.2): every
 * entry of the role's list becomes a build pinning PCR0; the other list must be as
 * well formed, and keys starting with "_" are text remarks. */
static int load_allowlist(json_t *root, const char *role, lpa_policy *p, char *err, size_t errlen)
{
    char want[32];
    const char *k;
    json_t *v, *list = NULL;
    snprintf(want, sizeof want, "%s_pcr0", role);
    json_object_foreach(root, k, v) {
        if (k[0] == '_') {
            if (!json_is_string(v)) {
                snprintf(err, errlen, "allowlist remark \"%.40s\" must be a string", k);
                return -1;
            }
        } else if (strcmp(k, "gateway_pcr0") == 0 || strcmp(k, "validator_pcr0") == 0) {
            if (!json_is_array(v)) {
                snprintf(err, errlen, "%s must be a list", k);
                return -1;
            }
            int mine = strcmp(k, want) == 0;
            if (mine) list = v;
            if (mine && json_array_size(v) == 0) {
                snprintf(err, errlen, "%s is empty (a policy must pin something)", k);
                return -1;
            }
            if (mine && json_array_size(v) > LPA_POLICY_MAX_BUILDS) {
                snprintf(err, errlen, "%s has more than %u entries", k, LPA_POLICY_MAX_BUILDS);
                return -1;
            }
            for (size_t i = 0; i < json_array_size(v); i++) {
                lpa_pcr_set scratch, *set = mine ? &p->builds[i] : &scratch;
                if (load_allowlist_entry(json_array_get(v, i), k, i, set, err, errlen) != 0) return -1;
            }
            if (mine) p->n_builds = json_array_size(v);
        } else {
            snprintf(err, errlen, "unknown allowlist key \"%.40s\"", k);
            return -1;
        }
    }
    if (!list) {
        snprintf(err, errlen, "the allowlist has no %s list for the %s role", want, role);
        return -1;
    }
    return 0;
}

lpa_err lpa_policy_load(lpa_policy *p, const uint8_t *text, size_t len, const char *role, char *err, size_t errlen)
{
    json_error_t je;
    p->n_builds = 0;
    if (role && strcmp(role, "gateway") != 0 && strcmp(role, "validator") != 0) {
        snprintf(err, errlen, "role must be gateway or validator, not \"%.40s\"", role);
        return LPA_POLICY_ERROR;
    }
    if (len > LPA_POLICY_FILE_MAX) {
        snprintf(err, errlen, "policy larger than %u bytes", LPA_POLICY_FILE_MAX);
        return LPA_POLICY_ERROR;
    }
    json_t *root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "policy JSON: %s (line %d)", je.text, je.line);
        return LPA_POLICY_ERROR;
    }
    int rc = -1;
    if (!json_is_object(root)) {
        snprintf(err, errlen, "policy must be a JSON object");
    } else if (json_object_get(root, "gateway_pcr0") || json_object_get(root, "validator_pcr0")) {
        if (!role)
            snprintf(err, errlen, "a Leadpoet pcr0_allowlist.json needs the role whose list applies (gateway or validator)");
        else
            rc = load_allowlist(root, role, p, err, errlen);
    } else if (role) {
        snprintf(err, errlen, "a role (%s) applies only to a Leadpoet pcr0_allowlist.json, and this policy has no "
                              "gateway_pcr0/validator_pcr0 list", role);
    } else {
        rc = load_builds(root, p, err, errlen);
    }
    json_decref(root);
    if (rc != 0) {
        p->n_builds = 0;
        return LPA_POLICY_ERROR;
    }
    return LPA_OK;
}

/* First index in set whose value differs from (or is missing in) the document; -1 if all match. */
static int set_mismatch(const lpa_pcr_set *set, const lpa_doc *d)
{
    for (unsigned i = 0; i < LPA_MAX_PCRS; i++) {
        if (!(set->mask & (1u << i))) continue;
        if (!(d->pcr_mask & (1u << i))) return (int)i;
        if (CRYPTO_memcmp(set->pcrs[i], d->pcrs[i], LPA_PCR_LEN) != 0) return (int)i;
    }
    return -1;
}

/* The build d matches: the first matching one that pins PCR0, else the first
 * matching one; -1 if none. */
static int matching_build(const lpa_policy *p, const lpa_doc *d)
{
    int first = -1;
    for (size_t i = 0; i < p->n_builds; i++) {
        if (set_mismatch(&p->builds[i], d) >= 0) continue;
        if (p->builds[i].mask & 1u) return (int)i;
        if (first < 0) first = (int)i;
    }
    return first;
}

static void bytes_check(lpa_result *r, const char *name, lpa_err code, int has_want, const uint8_t *want, size_t wl,
                        int has, const uint8_t *got, size_t gl)
{
    if (!has_want) return;
    int ok = has && wl == gl && (wl == 0 || CRYPTO_memcmp(want, got, wl) == 0);
    if (ok) lpa_add_check(r, name, 1, LPA_OK, "equals the expected %zu bytes", wl);
    else if (!has) lpa_add_check(r, name, 0, code, "document has no value (null); %zu bytes expected", wl);
    else lpa_add_check(r, name, 0, code, "document value (%zu bytes) differs from the expected %zu bytes", gl, wl);
}

void lpa_policy_apply(const lpa_policy *p, lpa_result *r)
{
    if (!r->doc_parsed) return;
    const lpa_doc *d = &r->doc;
    int64_t ts = (int64_t)(d->timestamp_ms / 1000);

    /* §3.5 freshness: only meaningful against a clock (now or an explicit instant). */
    if (r->mode == LPA_AT_DOC) {
        lpa_add_check(r, "policy.freshness", 1, LPA_OK, "not checked: --at doc verifies authenticity at the document's own time");
    } else if (ts > r->verified_at + p->future_skew_s) {
        lpa_add_check(r, "policy.freshness", 0, LPA_FUTURE_TIMESTAMP, "document second %lld is more than %lld s after %lld",
                      (long long)ts, (long long)p->future_skew_s, (long long)r->verified_at);
    } else if (p->max_age_s >= 0 && r->verified_at - ts > p->max_age_s) {
        lpa_add_check(r, "policy.freshness", 0, LPA_STALE, "document is %lld s old, max age %lld s",
                      (long long)(r->verified_at - ts), (long long)p->max_age_s);
    } else if (p->max_age_s >= 0) {
        lpa_add_check(r, "policy.freshness", 1, LPA_OK, "document is %lld s old, max age %lld s",
                      (long long)(r->verified_at - ts), (long long)p->max_age_s);
    } else {
        lpa_add_check(r, "policy.freshness", 1, LPA_OK, "not in the future; age not limited (no --max-age)");
    }

    /* §6.2 debug: PCR0, PCR1, PCR2 all zero; a partial zero set is anomalous. */
    int zero[3], present = (d->pcr_mask & 7u) == 7u;
    for (int i = 0; i < 3; i++) {
        zero[i] = 1;
        for (size_t k = 0; k < LPA_PCR_LEN; k++)
            if (d->pcrs[i][k]) zero[i] = 0;
    }
    int nz = zero[0] + zero[1] + zero[2];
    if (!present) lpa_add_check(r, "policy.debug", 0, LPA_DEBUG_ENCLAVE, "PCR0, PCR1 and PCR2 are not all present");
    else if (nz == 3 && !p->allow_debug) lpa_add_check(r, "policy.debug", 0, LPA_DEBUG_ENCLAVE, "PCR0/1/2 are all zero: debug-mode enclave (use --allow-debug to accept)");
    else if (nz == 3) lpa_add_check(r, "policy.debug", 1, LPA_OK, "debug-mode enclave accepted (--allow-debug)");
    else if (nz > 0) lpa_add_check(r, "policy.debug", 0, LPA_DEBUG_ENCLAVE, "some but not all of PCR0/1/2 are zero (anomalous)");
    else lpa_add_check(r, "policy.debug", 1, LPA_OK, "production enclave (PCR0/1/2 non-zero)");

    char desc[LPA_DETAIL_MAX] = "";
    if (p->expect.mask) {
        int bad = set_mismatch(&p->expect, d);
        if (bad < 0) lpa_add_check(r, "policy.expect_pcr", 1, LPA_OK, "all %d expected PCRs match", __builtin_popcount(p->expect.mask));
        else if (!(d->pcr_mask & (1u << bad))) lpa_add_check(r, "policy.expect_pcr", 0, LPA_PCR_MISMATCH, "PCR%d is expected but absent", bad);
        else lpa_add_check(r, "policy.expect_pcr", 0, LPA_PCR_MISMATCH, "PCR%d differs from the expected value", bad);
        snprintf(desc, sizeof desc, "expect-pcr");
    }
    if (p->n_builds) {
        int m = matching_build(p, d);
        size_t hit = m >= 0 ? (size_t)m : p->n_builds;
        if (hit < p->n_builds)
            lpa_add_check(r, "policy.pcr_policy", 1, LPA_OK, "matches build \"%s\"%s%s%s", p->builds[hit].label,
                          p->builds[hit].commit[0] ? " (commit " : "", p->builds[hit].commit, p->builds[hit].commit[0] ? ")" : "");
        else
            lpa_add_check(r, "policy.pcr_policy", 0, LPA_PCR_MISMATCH, "matches none of the %zu accepted builds", p->n_builds);
        size_t l = strlen(desc);
        snprintf(desc + l, sizeof desc - l, "%spcr-policy%s%s", l ? "+" : "", hit < p->n_builds ? ": " : "",
                 hit < p->n_builds ? p->builds[hit].label : "");
    }
    bytes_check(r, "policy.nonce", LPA_NONCE_MISMATCH, p->has_nonce, p->nonce, p->nonce_len, d->has_nonce, d->nonce, d->nonce_len);
    bytes_check(r, "policy.user_data", LPA_USER_DATA_MISMATCH, p->has_user_data, p->user_data, p->user_data_len,
                d->has_user_data, d->user_data, d->user_data_len);
    bytes_check(r, "policy.public_key", LPA_PUBLIC_KEY_MISMATCH, p->has_public_key, p->public_key, p->public_key_len,
                d->has_public_key, d->public_key, d->public_key_len);
    snprintf(r->policy, sizeof r->policy, "%s", desc[0] ? desc : "none");
}

void lpa_policy_pin(const lpa_policy *p, int any_pcr, lpa_result *r, lpa_pcr_match *m)
{
    lpa_pcr_match mm = {0, -1};
    if (!m) m = &mm;
    *m = mm;
    if (!r->doc_parsed) return;
    const lpa_doc *d = &r->doc;
    int expect_ok = p->expect.mask && set_mismatch(&p->expect, d) < 0;
    m->build = matching_build(p, d);
    int by_expect = expect_ok && (p->expect.mask & 1u);
    int by_build = m->build >= 0 && (p->builds[m->build].mask & 1u);
    m->pcr0_pinned = by_expect || by_build;
    if ((p->expect.mask && !expect_ok) || (p->n_builds && m->build < 0)) return; /* PCR_MISMATCH already */
    if (by_expect) {
        lpa_add_check(r, "policy.pcr_pinned", 1, LPA_OK, "PCR0 equals the value pinned by --expect-pcr");
        return;
    }
    if (by_build) {
        lpa_add_check(r, "policy.pcr_pinned", 1, LPA_OK, "PCR0 equals the value pinned by build \"%s\"",
                      p->builds[m->build].label);
        return;
    }
    const char *why = p->expect.mask || p->n_builds ? "the pinned PCRs do not include PCR0" : "nothing pins PCR0";
    if (any_pcr)
        lpa_add_warning(r, "policy.pcr_pinned", 0, LPA_PCR_NOT_PINNED,
                        "warning (accepted by --any-pcr): %s; genuine hardware, but the code it runs is not checked", why);
    else
        lpa_add_check(r, "policy.pcr_pinned", 0, LPA_PCR_NOT_PINNED,
                      "%s: genuine hardware running unpinned code proves nothing about Leadpoet; pin PCR0 "
                      "(--expect-pcr 0=HEX, --pcr-policy FILE) or accept any code (--any-pcr)", why);
}
