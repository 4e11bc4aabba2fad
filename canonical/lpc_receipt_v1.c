/* attested_receipt.v1 (lpc_receipt_v1.h): leadpoet-weights-v2.md §4, leadpoet-formats.md §4.4. */
#include "canonical/lpc_receipt_v1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_binding.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_utf8.h"

#define RECEIPT_ERROR "ReceiptError"

/* ---- Python errors ------------------------------------------------------ */

static lp_code rerr(lpc_referr *err, const char *msg)
{
    return lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "%s", msg);
}

static lp_code nomem(lpc_referr *err)
{
    return lpc_referr_set(err, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory");
}

static lp_code too_large(lpc_referr *err)
{
    return lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "ReceiptInputTooLarge",
                          "more than %zu items in one list or map", LPC_RECEIPT_V1_MAX_ITEMS);
}
static lp_code no_attr(lpc_referr *err, const lpc_value *v, const char *attr)
{
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "AttributeError", "'%s' object has no attribute '%s'",
                          lpc_py_type_name(v), attr);
}

static lp_code not_iterable(lpc_referr *err, const lpc_value *v)
{
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "'%s' object is not iterable", lpc_py_type_name(v));
}

static lp_code unhashable(lpc_referr *err, const lpc_value *v)
{
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "unhashable type: '%s'", lpc_py_type_name(v));
}

/* ---- normalization (§3) -------------------------------------------------- */

/* str(v or "") as text.  0 when that text is the repr of a non-empty list or dict,
 * which starts with '[' or '{' and so matches none of the module's patterns. */
static int py_text(const lpc_value *v, char buf[LPC_PY_STR_SCALAR_MAX], const char **p, size_t *n)
{
    if (!lpc_py_truthy(v)) {
        *p = "";
        *n = 0;
        return 1;
    }
    return lpc_py_str(v, buf, p, n) == LPC_OK;
}

/* .lower() of text that must be ASCII to match afterwards.  Under str.lower() every
 * non-ASCII code point keeps a non-ASCII result except U+212A KELVIN SIGN ('k', which no
 * hex pattern admits; U+0130 gives "i" + U+0307), so non-ASCII text never matches. */
static int ascii_lower(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return 0;
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = 0;
    return 1;
}

/* _hash(text): strip().lower(), then ^sha256:[0-9a-f]{64}$ into out (72 bytes). */
static int hash_text(const char *s, size_t n, char out[72])
{
    size_t off, m;
    lpc_py_strip(s, n, &off, &m);
    return m == LPC_V2_SHA256_REF_LEN && ascii_lower(s + off, m, out) && lpc_v2_is_sha256_ref(out, m);
}

static lp_code norm_hash(const lpc_value *v, const char *field, char out[72], lpc_referr *err)
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    if (py_text(v, buf, &p, &n) && hash_text(p, n, out)) return LP_CODE_OK;
    return lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "%s must be sha256:<64 lowercase hex>", field);
}

static lp_code norm_hash_value(const lpc_value *v, const char *field, lpc_value **out, lpc_referr *err)
{
    char h[72];
    lp_code c = norm_hash(v, field, h, err);
    if (c != LP_CODE_OK) return c;
    *out = lpc_new_str(h, LPC_V2_SHA256_REF_LEN);
    return *out ? LP_CODE_OK : nomem(err);
}

/* _identifier(text): strip(), then the identifier pattern; the kept part is s[*off, *off + *m). */
static int ident_text(const char *s, size_t n, size_t *off, size_t *m)
{
    lpc_py_strip(s, n, off, m);
    return lpc_v2_is_identifier(s + *off, *m);
}

static lp_code norm_ident_text(const char *s, size_t n, const char *field, lpc_value **out, lpc_referr *err)
{
    size_t off, m;
    if (!ident_text(s, n, &off, &m))
        return lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "%s is not a valid identifier", field);
    *out = lpc_new_str(s + off, m);
    return *out ? LP_CODE_OK : nomem(err);
}

static lp_code norm_ident(const lpc_value *v, const char *field, lpc_value **out, lpc_referr *err)
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    if (!py_text(v, buf, &p, &n))
        return lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "%s is not a valid identifier", field);
    return norm_ident_text(p, n, field, out, err);
}

/* ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$ where \d is any Unicode decimal digit (§3:
 * not calendar-checked, so lpc_time's RFC 3339 parser does not apply). */
static int is_receipt_timestamp(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    for (size_t k = 0; shape[k]; k++) {
        uint32_t c;
        size_t len = lpc_utf8_next(p + i, n - i, 0, &c);
        if (!len) return 0;
        if (shape[k] == 'd' ? lpc_py_decimal_digit(c) < 0 : c != (uint32_t)(unsigned char)shape[k]) return 0;
        i += len;
    }
    return i == n;
}

static int is_int_ge0(const lpc_value *v)   /* isinstance(v, int) and v >= 0 */
{
    return v && (v->type == LPC_BOOL || (v->type == LPC_INT && v->u.i.digits[0] != '-'));
}

/* the decimal text of a non-negative int or bool, for comparisons */
static void int_text(const lpc_value *v, const char **p, size_t *n)
{
    if (v->type == LPC_BOOL) {
        *p = v->u.b ? "1" : "0";
        *n = 1;
    } else {
        *p = v->u.i.digits;
        *n = v->u.i.len;
    }
}

static int cmp_nonneg(const lpc_value *a, const lpc_value *b)
{
    const char *pa, *pb;
    size_t na, nb;
    int_text(a, &pa, &na);
    int_text(b, &pb, &nb);
    if (na != nb) return na < nb ? -1 : 1;
    return memcmp(pa, pb, na);
}

static int bytes_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c) return c;
    return na < nb ? -1 : na > nb;
}

/* ---- build_receipt_body (§4) -------------------------------------------- */

/* The body's keys in the reference's dict-literal order. */
static const char *const k_body_keys[LPC_RECEIPT_V1_BODY_FIELDS] = {
    "schema_version", "role", "purpose", "job_id", "epoch_id", "commit_sha", "build_manifest_hash",
    "config_hash", "input_root", "output_root", "evidence_roots", "parent_receipt_hashes", "status",
    "failure_code", "issued_at"};

static const char *const k_scoring_purposes[] = {
    "research_lab.candidate_score.v1", "research_lab.baseline_score.v1", "research_lab.benchmark.v1",
    "research_lab.rebenchmark.v1",     "research_lab.promotion_metric.v1", "research_lab.promotion_decision.v1",
    "research_lab.allocation.v1"};

static int text_is(const char *p, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(p, s, n) == 0;
}

int lpc_receipt_v1_is_scoring_purpose(const lpc_value *purpose)
{
    if (!purpose || purpose->type != LPC_STR) return 0;
    for (size_t i = 0; i < sizeof k_scoring_purposes / sizeof *k_scoring_purposes; i++)
        if (text_is(purpose->u.s.ptr, purpose->u.s.len, k_scoring_purposes[i])) return 1;
    return 0;
}

static lp_code set_key(lpc_value *obj, const char *key, lpc_value *v, lpc_referr *err)
{
    if (!v) return nomem(err);
    return lpc_object_set(obj, key, strlen(key), v) == LPC_OK ? LP_CODE_OK : nomem(err);
}

static lp_code set_text(lpc_value *obj, const char *key, const char *p, size_t n, lpc_referr *err)
{
    return set_key(obj, key, lpc_new_str(p, n), err);
}

static int cmp_ref(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* sorted({_hash(item) for item in parents}) as an array */
static lp_code build_parents(const lpc_value *parents, lpc_value **out, lpc_referr *err)
{
    size_t n;
    if (parents->type == LPC_ARRAY) n = parents->u.a.n;
    else if (parents->type == LPC_OBJECT) n = parents->u.o.n;   /* iterates the keys */
    else if (parents->type == LPC_STR) n = parents->u.s.len ? 1 : 0;
    else return not_iterable(err, parents);
    if (parents->type == LPC_STR && n)   /* iterates characters: one never matches */
        return rerr(err, "parent_receipt_hash must be sha256:<64 lowercase hex>");
    if (n > LPC_RECEIPT_V1_MAX_ITEMS) return too_large(err);
    char (*refs)[72] = n ? malloc(n * sizeof *refs) : NULL;
    if (n && !refs) return nomem(err);
    lp_code c = LP_CODE_OK;
    for (size_t i = 0; i < n && c == LP_CODE_OK; i++) {
        if (parents->type == LPC_ARRAY) c = norm_hash(parents->u.a.items[i], "parent_receipt_hash", refs[i], err);
        else if (!hash_text(parents->u.o.items[i].key, parents->u.o.items[i].klen, refs[i]))
            c = rerr(err, "parent_receipt_hash must be sha256:<64 lowercase hex>");
    }
    lpc_value *arr = c == LP_CODE_OK ? lpc_new_array() : NULL;
    if (c == LP_CODE_OK && !arr) c = nomem(err);
    if (c == LP_CODE_OK && n) {
        qsort(refs, n, sizeof *refs, cmp_ref);
        for (size_t i = 0; i < n && c == LP_CODE_OK; i++) {
            if (i && strcmp(refs[i], refs[i - 1]) == 0) continue;
            lpc_value *s = lpc_new_str(refs[i], LPC_V2_SHA256_REF_LEN);
            if (!s || lpc_array_append(arr, s) != LPC_OK) c = nomem(err);
        }
    }
    free(refs);
    if (c != LP_CODE_OK) {
        lpc_free(arr);
        return c;
    }
    *out = arr;
    return LP_CODE_OK;
}

static int cmp_member(const void *a, const void *b)
{
    const lpc_member *x = *(const lpc_member *const *)a, *y = *(const lpc_member *const *)b;
    return bytes_cmp(x->key, x->klen, y->key, y->klen);
}

/* {_identifier(name): _hash(value) for name, value in sorted(evidence.items())} */
static lp_code build_evidence(const lpc_value *ev, lpc_value **out, lpc_referr *err)
{
    if (ev->type != LPC_OBJECT) return no_attr(err, ev, "items");
    size_t n = ev->u.o.n;
    if (n > LPC_RECEIPT_V1_MAX_ITEMS) return too_large(err);
    const lpc_member **m = n ? malloc(n * sizeof *m) : NULL;
    if (n && !m) return nomem(err);
    for (size_t i = 0; i < n; i++) m[i] = &ev->u.o.items[i];
    if (n) qsort(m, n, sizeof *m, cmp_member);   /* keys are unique: the order is total */
    lpc_value *obj = lpc_new_object();
    lp_code c = obj ? LP_CODE_OK : nomem(err);
    for (size_t i = 0; i < n && c == LP_CODE_OK; i++) {
        size_t off, len;
        char h[72];
        if (!ident_text(m[i]->key, m[i]->klen, &off, &len)) c = rerr(err, "evidence root name is not a valid identifier");
        else if ((c = norm_hash(m[i]->val, "evidence root", h, err)) == LP_CODE_OK) {
            lpc_value *s = lpc_new_str(h, LPC_V2_SHA256_REF_LEN);
            if (!s || lpc_object_set(obj, m[i]->key + off, len, s) != LPC_OK) c = nomem(err);
        }
    }
    free(m);
    if (c != LP_CODE_OK) {
        lpc_free(obj);
        return c;
    }
    *out = obj;
    return LP_CODE_OK;
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" (CPython format_missing) */
static void format_names(const char *const *names, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && len < cap; i++) {
        const char *sep = i == 0 ? "" : n == 2 ? " and " : i + 1 == n ? ", and " : ", ";
        int w = snprintf(out + len, cap - len, "%s'%s'", sep, names[i]);
        if (w < 0) break;
        len += (size_t)w;
    }
}

static lp_code missing_args(lpc_referr *err, const char *fname, const char *kind, const char *const *names, size_t n)
{
    char list[LPC_REFERR_MSG_MAX];
    format_names(names, n, list, sizeof list);
    return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() missing %zu required %s argument%s: %s", fname,
                          n, kind, n == 1 ? "" : "s", list);
}

lp_code lpc_receipt_v1_build_body(const lpc_receipt_v1_args *a, lpc_value **out, lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "build_receipt_body: no output");
    *out = NULL;
    if (!a) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "build_receipt_body: no arguments");
    {
        const lpc_value *const req[] = {a->role,         a->purpose,     a->job_id,      a->epoch_id,
                                        a->commit_sha,   a->build_manifest_hash, a->config_hash,
                                        a->input_root,   a->output_root, a->evidence_roots,
                                        a->parent_receipt_hashes, a->status, a->issued_at};
        static const char *const names[] = {"role",        "purpose",     "job_id",         "epoch_id",
                                            "commit_sha",  "build_manifest_hash", "config_hash",
                                            "input_root",  "output_root", "evidence_roots",
                                            "parent_receipt_hashes", "status", "issued_at"};
        const char *miss[13];
        size_t nm = 0;
        for (size_t i = 0; i < 13; i++)
            if (!req[i]) miss[nm++] = names[i];
        if (nm) return missing_args(err, "build_receipt_body", "keyword-only", miss, nm);
    }
    char rbuf[LPC_PY_STR_SCALAR_MAX], pbuf[LPC_PY_STR_SCALAR_MAX], tbuf[LPC_PY_STR_SCALAR_MAX];
    const char *role, *purpose, *issued;
    size_t nrole, npurpose, nissued;
    int role_ok = py_text(a->role, rbuf, &role, &nrole);
    int purpose_ok = py_text(a->purpose, pbuf, &purpose, &npurpose);
    int scoring = role_ok && text_is(role, nrole, LPC_RECEIPT_V1_ROLE_SCORING);
    int weights = role_ok && text_is(role, nrole, LPC_RECEIPT_V1_ROLE_WEIGHTS);
    if (!scoring && !weights) return rerr(err, "unsupported receipt role");
    int pok = 0;
    if (purpose_ok && weights) pok = text_is(purpose, npurpose, LPC_RECEIPT_V1_WEIGHT_PURPOSE);
    for (size_t i = 0; purpose_ok && scoring && !pok && i < sizeof k_scoring_purposes / sizeof *k_scoring_purposes; i++)
        pok = text_is(purpose, npurpose, k_scoring_purposes[i]);
    if (!pok) return rerr(err, "purpose is not valid for receipt role");
    if (!is_int_ge0(a->epoch_id)) return rerr(err, "epoch_id must be non-negative");

    char commit[72];
    {
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p;
        size_t n, off, m;
        int ok = py_text(a->commit_sha, buf, &p, &n);
        if (ok) {
            lpc_py_strip(p, n, &off, &m);
            ok = m <= 64 && ascii_lower(p + off, m, commit) && lpc_v2_is_commit_sha(commit, m);
        }
        if (!ok) return rerr(err, "commit_sha must be a full Git object id");
    }
    const lpc_value *st = a->status;
    if (st->type == LPC_ARRAY || st->type == LPC_OBJECT) return unhashable(err, st);
    int failed = lpc_str_eq(st, "failed");
    if (!failed && !lpc_str_eq(st, "succeeded")) return rerr(err, "unsupported receipt status");

    lpc_value *body = lpc_new_object(), *v = NULL;
    if (!body) return nomem(err);
    lp_code c = LP_CODE_OK;
    for (size_t i = 0; i < LPC_RECEIPT_V1_BODY_FIELDS && c == LP_CODE_OK; i++)
        c = set_key(body, k_body_keys[i], lpc_new_null(), err);
    if (c != LP_CODE_OK) goto done;

    if (failed) {
        if ((c = norm_ident(a->failure_code, "failure_code", &v, err)) != LP_CODE_OK) goto done;
        if ((c = set_key(body, "failure_code", v, err)) != LP_CODE_OK) goto done;
    } else if (a->failure_code && a->failure_code->type != LPC_NULL && !lpc_str_eq(a->failure_code, "")) {
        c = rerr(err, "successful receipt cannot include failure_code");
        goto done;
    }
    if (!py_text(a->issued_at, tbuf, &issued, &nissued) || !is_receipt_timestamp(issued, nissued)) {
        c = rerr(err, "issued_at must be RFC3339 UTC without fractional seconds");
        goto done;
    }
    if ((c = build_parents(a->parent_receipt_hashes, &v, err)) != LP_CODE_OK) goto done;
    if ((c = set_key(body, "parent_receipt_hashes", v, err)) != LP_CODE_OK) goto done;
    if ((c = build_evidence(a->evidence_roots, &v, err)) != LP_CODE_OK) goto done;
    if ((c = set_key(body, "evidence_roots", v, err)) != LP_CODE_OK) goto done;

    if ((c = set_text(body, "schema_version", LPC_RECEIPT_V1_SCHEMA, strlen(LPC_RECEIPT_V1_SCHEMA), err))) goto done;
    if ((c = set_text(body, "role", role, nrole, err)) != LP_CODE_OK) goto done;
    if ((c = set_text(body, "purpose", purpose, npurpose, err)) != LP_CODE_OK) goto done;
    if ((c = norm_ident(a->job_id, "job_id", &v, err)) != LP_CODE_OK) goto done;
    if ((c = set_key(body, "job_id", v, err)) != LP_CODE_OK) goto done;
    if (lpc_clone(a->epoch_id, &v) != LPC_OK) v = NULL;
    if ((c = set_key(body, "epoch_id", v, err)) != LP_CODE_OK) goto done;
    if ((c = set_text(body, "commit_sha", commit, strlen(commit), err)) != LP_CODE_OK) goto done;
    static const char *const roots[] = {"build_manifest_hash", "config_hash", "input_root", "output_root"};
    const lpc_value *const rootv[] = {a->build_manifest_hash, a->config_hash, a->input_root, a->output_root};
    for (size_t i = 0; i < 4; i++) {
        if ((c = norm_hash_value(rootv[i], roots[i], &v, err)) != LP_CODE_OK) goto done;
        if ((c = set_key(body, roots[i], v, err)) != LP_CODE_OK) goto done;
    }
    if ((c = set_text(body, "status", st->u.s.ptr, st->u.s.len, err)) != LP_CODE_OK) goto done;
    c = set_text(body, "issued_at", issued, nissued, err);
done:
    if (c != LP_CODE_OK) {
        lpc_free(body);
        return c;
    }
    *out = body;
    return LP_CODE_OK;
}

/* ---- validate_receipt_body, receipt_hash (§4) ----------------------------- */

static int is_body_key(const char *k, size_t n)
{
    for (size_t i = 0; i < LPC_RECEIPT_V1_BODY_FIELDS; i++)
        if (text_is(k, n, k_body_keys[i])) return 1;
    return 0;
}

/* set(body) == required: the key set of a dict, the element set of a list, the
 * characters of a str; other values are not iterable. */
static lp_code body_key_set(const lpc_value *body, lpc_referr *err)
{
    const char *schema = "receipt body fields do not match the canonical schema";
    if (!body) return not_iterable(err, body);
    if (body->type == LPC_OBJECT) {
        if (body->u.o.n != LPC_RECEIPT_V1_BODY_FIELDS) return rerr(err, schema);
        for (size_t i = 0; i < body->u.o.n; i++)
            if (!is_body_key(body->u.o.items[i].key, body->u.o.items[i].klen)) return rerr(err, schema);
        return LP_CODE_OK;
    }
    if (body->type == LPC_STR) return rerr(err, schema);   /* single characters never equal a field name */
    if (body->type != LPC_ARRAY) return not_iterable(err, body);
    for (size_t i = 0; i < body->u.a.n; i++)
        if (body->u.a.items[i]->type == LPC_ARRAY || body->u.a.items[i]->type == LPC_OBJECT)
            return unhashable(err, body->u.a.items[i]);
    unsigned seen = 0;
    for (size_t i = 0; i < body->u.a.n; i++) {
        const lpc_value *it = body->u.a.items[i];
        size_t k = 0;
        while (k < LPC_RECEIPT_V1_BODY_FIELDS && !(it->type == LPC_STR && text_is(it->u.s.ptr, it->u.s.len, k_body_keys[k])))
            k++;
        if (k == LPC_RECEIPT_V1_BODY_FIELDS) return rerr(err, schema);
        seen |= 1u << k;
    }
    if (seen != (1u << LPC_RECEIPT_V1_BODY_FIELDS) - 1) return rerr(err, schema);
    /* the set matches; body["role"] on a list */
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "list indices must be integers or slices, not str");
}

lp_code lpc_receipt_v1_validate_body(const lpc_value *body, lpc_referr *err)
{
    lpc_referr_clear(err);
    lp_code c = body_key_set(body, err);
    if (c != LP_CODE_OK) return c;
    lpc_receipt_v1_args a = {
        .role = lpc_get(body, "role"),
        .purpose = lpc_get(body, "purpose"),
        .job_id = lpc_get(body, "job_id"),
        .epoch_id = lpc_get(body, "epoch_id"),
        .commit_sha = lpc_get(body, "commit_sha"),
        .build_manifest_hash = lpc_get(body, "build_manifest_hash"),
        .config_hash = lpc_get(body, "config_hash"),
        .input_root = lpc_get(body, "input_root"),
        .output_root = lpc_get(body, "output_root"),
        .evidence_roots = lpc_get(body, "evidence_roots"),
        .parent_receipt_hashes = lpc_get(body, "parent_receipt_hashes"),
        .status = lpc_get(body, "status"),
        .issued_at = lpc_get(body, "issued_at"),
        .failure_code = lpc_get(body, "failure_code"),
    };
    lpc_value *rebuilt = NULL;
    if ((c = lpc_receipt_v1_build_body(&a, &rebuilt, err)) != LP_CODE_OK) return c;
    int eq = lpc_py_eq(body, rebuilt);
    lpc_free(rebuilt);
    return eq ? LP_CODE_OK : rerr(err, "receipt body is not canonically normalized");
}

/* sha256_json of the module: canonical_json's ValueError becomes a ReceiptError. */
static lp_code receipt_sha256_json(const lpc_value *v, char out[72], lpc_referr *err)
{
    lp_code c = lpc_v2_sha256_json(v, out, err);
    if (c == LP_CODE_PYTHON_VALUE_ERROR && err && strcmp(err->type, "ValueError") == 0) {
        char msg[LPC_REFERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        return lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "receipt value is not canonical JSON: %s", msg);
    }
    if (c == LP_CODE_PYTHON_VALUE_ERROR && !err) return LP_CODE_RECEIPT_ERROR;
    return c;
}

lp_code lpc_receipt_v1_hash(const lpc_value *body, char out[72], lpc_referr *err)
{
    if (!out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "receipt_hash: no output");
    out[0] = 0;
    lp_code c = lpc_receipt_v1_validate_body(body, err);
    if (c != LP_CODE_OK) return c;
    return receipt_sha256_json(body, out, err);
}

/* ---- validate_signed_receipt (§4) ----------------------------------------- */

static const char *const k_signed_keys[] = {"receipt_hash", "enclave_pubkey", "enclave_signature",
                                            "attestation_document_b64"};

static int is_signed_key(const char *k, size_t n)
{
    for (size_t i = 0; i < 4; i++)
        if (text_is(k, n, k_signed_keys[i])) return 1;
    return 0;
}

/* str(v or "").lower() matched against ^[0-9a-f]{n}$ (no strip), into out[n + 1] */
static int lower_hex_field(const lpc_value *v, size_t want, char *out)
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    return py_text(v, buf, &p, &n) && n == want && ascii_lower(p, n, out) && lpc_is_lower_hex(out, n);
}

lp_code lpc_receipt_v1_validate_signed(const lpc_value *receipt, int verify_signature, lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!receipt || receipt->type != LPC_OBJECT) return no_attr(err, receipt, "items");
    lpc_value *body = lpc_new_object();
    if (!body) return nomem(err);
    size_t nsigned = 0;
    lp_code c = LP_CODE_OK;
    for (size_t i = 0; i < receipt->u.o.n && c == LP_CODE_OK; i++) {
        const lpc_member *m = &receipt->u.o.items[i];
        if (is_signed_key(m->key, m->klen)) {
            nsigned++;
            continue;
        }
        lpc_value *v = NULL;
        if (lpc_clone(m->val, &v) != LPC_OK || lpc_object_set(body, m->key, m->klen, v) != LPC_OK) c = nomem(err);
    }
    char expected[72];
    if (c == LP_CODE_OK && nsigned != 4) c = rerr(err, "signed receipt has unknown or missing fields");
    if (c == LP_CODE_OK) c = lpc_receipt_v1_hash(body, expected, err);
    lpc_free(body);
    if (c != LP_CODE_OK) return c;
    const lpc_value *rh = lpc_get(receipt, "receipt_hash");
    if (!lpc_str_eq(rh, expected)) return rerr(err, "receipt_hash does not match canonical body");
    char pk[65], sig[129];
    if (!lower_hex_field(lpc_get(receipt, "enclave_pubkey"), 64, pk)) return rerr(err, "invalid enclave_pubkey");
    if (!lower_hex_field(lpc_get(receipt, "enclave_signature"), 128, sig)) return rerr(err, "invalid enclave_signature");
    if (!lpc_py_truthy(lpc_get(receipt, "attestation_document_b64")))
        return rerr(err, "attestation_document_b64 is required");
    if (!verify_signature) return LP_CODE_OK;
    uint8_t pkb[32], sigb[64], digest[32];
    size_t n;
    /* Ed25519 over the 32 raw digest bytes (§3) */
    if (lpc_hex_decode(pk, 64, pkb, sizeof pkb, &n) != LPC_OK || lpc_hex_decode(sig, 128, sigb, sizeof sigb, &n) != LPC_OK ||
        lpc_hex_decode(expected + 7, 64, digest, sizeof digest, &n) != LPC_OK || !lpc_ed25519_verify(sigb, digest, 32, pkb))
        return rerr(err, "invalid enclave receipt signature");
    return LP_CODE_OK;
}

/* ---- verify_receipt_lineage (§4) ------------------------------------------ */

typedef struct {
    const char *key;
    size_t klen;
    const lpc_value *receipt;
    unsigned char state;   /* 0 new, 1 visiting, 2 visited */
} lineage_node;

static int cmp_node(const void *a, const void *b)
{
    const lineage_node *x = a, *y = b;
    return bytes_cmp(x->key, x->klen, y->key, y->klen);
}

static lineage_node *find_node(lineage_node *nodes, size_t n, const char *k, size_t klen)
{
    lineage_node probe = {k, klen, NULL, 0};
    return bsearch(&probe, nodes, n, sizeof *nodes, cmp_node);
}

typedef struct {
    lineage_node *node;
    const lpc_value *receipt;
    size_t next;   /* index into its parent_receipt_hashes */
} lineage_frame;

lp_code lpc_receipt_v1_verify_lineage(const lpc_value *receipt, const lpc_value *parent_receipts,
                                      lpc_value **ordered, lpc_referr *err)
{
    if (!ordered) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "verify_receipt_lineage: no output");
    *ordered = NULL;
    lp_code c = lpc_receipt_v1_validate_signed(receipt, 1, err);
    if (c != LP_CODE_OK) return c;
    if (!parent_receipts || parent_receipts->type != LPC_OBJECT) return no_attr(err, parent_receipts, "items");
    size_t n = parent_receipts->u.o.n;
    if (n >= LPC_RECEIPT_V1_MAX_ITEMS) return too_large(err);
    lineage_node *nodes = malloc((n + 1) * sizeof *nodes);
    lineage_frame *stack = malloc((n + 1 < LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH ? n + 1 : LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH) *
                                  sizeof *stack);
    lpc_value *out = lpc_new_array();
    if (!nodes || !stack || !out) {
        c = nomem(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const lpc_member *m = &parent_receipts->u.o.items[i];
        if ((c = lpc_receipt_v1_validate_signed(m->val, 1, err)) != LP_CODE_OK) goto done;
        const lpc_value *ph = lpc_get(m->val, "receipt_hash");   /* a str: validated */
        if (bytes_cmp(ph->u.s.ptr, ph->u.s.len, m->key, m->klen) != 0) {
            c = rerr(err, "parent map key does not match receipt_hash");
            goto done;
        }
        nodes[i] = (lineage_node){m->key, m->klen, m->val, 0};
    }
    qsort(nodes, n, sizeof *nodes, cmp_node);   /* map keys are unique */
    /* visited/visiting are sets of hashes: the receipt shares its state with a map
     * entry of the same hash */
    const lpc_value *rh = lpc_get(receipt, "receipt_hash");
    lineage_node *root = find_node(nodes, n, rh->u.s.ptr, rh->u.s.len);
    if (!root) {
        root = &nodes[n];
        *root = (lineage_node){rh->u.s.ptr, rh->u.s.len, receipt, 0};
    }
    size_t depth = 0;
    root->state = 1;
    stack[depth++] = (lineage_frame){root, receipt, 0};
    while (depth) {
        lineage_frame *f = &stack[depth - 1];
        const lpc_value *plist = lpc_get(f->receipt, "parent_receipt_hashes");
        if (f->next < plist->u.a.n) {
            const lpc_value *ph = plist->u.a.items[f->next++];
            lineage_node *p = find_node(nodes, n, ph->u.s.ptr, ph->u.s.len);
            if (!p) {
                c = lpc_referr_set(err, LP_CODE_RECEIPT_ERROR, RECEIPT_ERROR, "missing parent receipt %s", ph->u.s.ptr);
                goto done;
            }
            if (cmp_nonneg(lpc_get(p->receipt, "epoch_id"), lpc_get(f->receipt, "epoch_id")) > 0) {
                c = rerr(err, "parent epoch is newer than child");
                goto done;
            }
            if (p->state == 2) continue;
            if (p->state == 1) {
                c = rerr(err, "receipt lineage contains a cycle");
                goto done;
            }
            if (depth == LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH) {
                c = lpc_referr_set(err, LP_CODE_UNSUPPORTED, "RecursionError", "maximum recursion depth exceeded");
                goto done;
            }
            p->state = 1;
            stack[depth++] = (lineage_frame){p, p->receipt, 0};
            continue;
        }
        f->node->state = 2;
        lpc_value *s = lpc_new_str(f->node == root ? rh->u.s.ptr : lpc_get(f->receipt, "receipt_hash")->u.s.ptr,
                                   LPC_V2_SHA256_REF_LEN);
        if (!s || lpc_array_append(out, s) != LPC_OK) {
            c = nomem(err);
            goto done;
        }
        depth--;
    }
done:
    free(nodes);
    free(stack);
    if (c != LP_CODE_OK) {
        lpc_free(out);
        return c;
    }
    *ordered = out;
    return LP_CODE_OK;
}

/* ---- the v1 artifact tree (leadpoet-formats.md §4.4) ----------------------- */

lp_code lpc_receipt_v1_artifact_commitment(const char *name, size_t name_len, const uint8_t *content,
                                           size_t len, lpc_value **out, lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!out || (!name && name_len) || (!content && len))
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "artifact_commitment: bad arguments");
    *out = NULL;
    lpc_value *nv = NULL;
    lp_code c = norm_ident_text(name ? name : "", name_len, "artifact name", &nv, err);
    if (c != LP_CODE_OK) return c;
    char h[72];
    memcpy(h, "sha256:", 7);
    lpc_value *obj = lpc_new_object();
    if (!obj || lpc_sha256_hex(content ? (const void *)content : "", len, h + 7) != LPC_OK) {
        lpc_free(nv);
        lpc_free(obj);
        return obj ? lpc_referr_set(err, LP_CODE_CRYPTO_BACKEND, "RuntimeError", "SHA-256 failed") : nomem(err);
    }
    if ((c = set_key(obj, "name", nv, err)) == LP_CODE_OK && (c = set_text(obj, "sha256", h, 71, err)) == LP_CODE_OK)
        c = set_key(obj, "size_bytes", lpc_new_int((int64_t)len), err);
    if (c != LP_CODE_OK) {
        lpc_free(obj);
        return c;
    }
    *out = obj;
    return LP_CODE_OK;
}

typedef struct {
    lpc_value *leaf;          /* {name, sha256, size_bytes} */
    const lpc_value *size;    /* the int or bool as given */
    size_t index;             /* input order: sorted() is stable */
} artifact_item;

static int cmp_artifact(const void *a, const void *b)
{
    const artifact_item *x = a, *y = b;
    const lpc_value *nx = lpc_get(x->leaf, "name"), *ny = lpc_get(y->leaf, "name");
    int c = bytes_cmp(nx->u.s.ptr, nx->u.s.len, ny->u.s.ptr, ny->u.s.len);
    if (!c) c = strcmp(lpc_get(x->leaf, "sha256")->u.s.ptr, lpc_get(y->leaf, "sha256")->u.s.ptr);
    if (!c) c = cmp_nonneg(x->size, y->size);
    if (!c) c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

static lp_code artifact_leaf(const lpc_value *art, artifact_item *it, lpc_referr *err)
{
    if (!art || art->type != LPC_OBJECT) return no_attr(err, art, "get");
    lpc_value *obj = lpc_new_object(), *v = NULL;
    if (!obj) return nomem(err);
    lp_code c = norm_ident(lpc_get(art, "name"), "artifact name", &v, err);
    if (c == LP_CODE_OK) c = set_key(obj, "name", v, err);
    if (c == LP_CODE_OK && (c = norm_hash_value(lpc_get(art, "sha256"), "artifact sha256", &v, err)) == LP_CODE_OK)
        c = set_key(obj, "sha256", v, err);
    const lpc_value *size = lpc_get(art, "size_bytes");
    if (c == LP_CODE_OK && !is_int_ge0(size)) c = rerr(err, "artifact size_bytes must be non-negative");
    if (c == LP_CODE_OK) {
        if (lpc_clone(size, &v) != LPC_OK) v = NULL;
        c = set_key(obj, "size_bytes", v, err);
    }
    if (c != LP_CODE_OK) {
        lpc_free(obj);
        return c;
    }
    it->leaf = obj;
    it->size = size;
    return LP_CODE_OK;
}

static void hash_root_hex(const uint8_t d[32], char out[72])
{
    memcpy(out, "sha256:", 7);
    lpc_hex_encode(d, 32, out + 7);
}

static void free_items(artifact_item *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) lpc_free(items[i].leaf);
    free(items);
}

/* The normalized leaves in tree order: *items (n of them; NULL when none), freed with
 * free_items. */
static lp_code sorted_leaves(const lpc_value *artifacts, artifact_item **items_out, size_t *n_out, lpc_referr *err)
{
    *items_out = NULL;
    *n_out = 0;
    size_t n;
    if (!artifacts) return not_iterable(err, artifacts);
    if (artifacts->type == LPC_ARRAY) n = artifacts->u.a.n;
    else if (artifacts->type == LPC_OBJECT || artifacts->type == LPC_STR) {
        /* iterating a dict gives its keys, a str its characters: str has no .get */
        if ((artifacts->type == LPC_OBJECT ? artifacts->u.o.n : artifacts->u.s.len) != 0)
            return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "AttributeError", "'str' object has no attribute 'get'");
        return LP_CODE_OK;
    } else return not_iterable(err, artifacts);
    if (n > LPC_RECEIPT_V1_MAX_ITEMS) return too_large(err);
    if (n == 0) return LP_CODE_OK;
    artifact_item *items = calloc(n, sizeof *items);
    if (!items) return nomem(err);
    for (size_t i = 0; i < n; i++) {
        lp_code c = artifact_leaf(artifacts->u.a.items[i], &items[i], err);
        if (c != LP_CODE_OK) {
            free_items(items, i);
            return c;
        }
        items[i].index = i;
    }
    qsort(items, n, sizeof *items, cmp_artifact);
    *items_out = items;
    *n_out = n;
    return LP_CODE_OK;
}

lp_code lpc_receipt_v1_artifact_leaves(const lpc_value *artifacts, lpc_value **leaves, lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!leaves) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "artifact_leaves: no output");
    *leaves = NULL;
    artifact_item *items;
    size_t n;
    lp_code c = sorted_leaves(artifacts, &items, &n, err);
    if (c != LP_CODE_OK) return c;
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; i < n && arr; i++) {
        lpc_err e = lpc_array_append(arr, items[i].leaf);   /* takes ownership, even on failure */
        items[i].leaf = NULL;
        if (e != LPC_OK) {
            lpc_free(arr);
            arr = NULL;
        }
    }
    free_items(items, n);
    if (!arr) return nomem(err);
    *leaves = arr;
    return LP_CODE_OK;
}

lp_code lpc_receipt_v1_artifact_merkle_root(const lpc_value *artifacts, char out[72], lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "artifact_merkle_root: no output");
    out[0] = 0;
    artifact_item *items;
    size_t n;
    lp_code c = sorted_leaves(artifacts, &items, &n, err);
    if (c != LP_CODE_OK) return c;
    if (n == 0) {
        static const char empty[] = LPC_RECEIPT_V1_EMPTY_ARTIFACT_PREIMAGE;
        uint8_t d[32];
        if (lpc_sha256(empty, sizeof empty - 1, d) != LPC_OK)
            return lpc_referr_set(err, LP_CODE_CRYPTO_BACKEND, "RuntimeError", "SHA-256 failed");
        hash_root_hex(d, out);
        return LP_CODE_OK;
    }
    uint8_t (*nodes)[32] = malloc((n + 1) * sizeof *nodes);
    lpc_buf b = {0};
    if (!nodes) c = nomem(err);
    /* leaf = H(0x00 || CS-U(item)) */
    for (size_t i = 0; i < n && c == LP_CODE_OK; i++) {
        b.len = 0;
        static const uint8_t leaf_tag = 0x00;
        if (lpc_buf_append(&b, &leaf_tag, 1) != LPC_OK || lpc_dump(items[i].leaf, LPC_PROFILE_CS_U_NONAN, &b) != LPC_OK)
            c = nomem(err);
        else if (lpc_sha256(b.ptr, b.len, nodes[i]) != LPC_OK)
            c = lpc_referr_set(err, LP_CODE_CRYPTO_BACKEND, "RuntimeError", "SHA-256 failed");
    }
    /* parent = H(0x01 || l || r); an odd level repeats its last node */
    for (size_t level = n; level > 1 && c == LP_CODE_OK;) {
        if (level % 2) {
            memcpy(nodes[level], nodes[level - 1], 32);
            level++;
        }
        for (size_t i = 0; i < level / 2 && c == LP_CODE_OK; i++) {
            uint8_t pre[65];
            pre[0] = 0x01;
            memcpy(pre + 1, nodes[2 * i], 32);
            memcpy(pre + 33, nodes[2 * i + 1], 32);
            if (lpc_sha256(pre, sizeof pre, nodes[i]) != LPC_OK)
                c = lpc_referr_set(err, LP_CODE_CRYPTO_BACKEND, "RuntimeError", "SHA-256 failed");
        }
        level /= 2;
    }
    if (c == LP_CODE_OK) hash_root_hex(nodes[0], out);
    free_items(items, n);
    free(nodes);
    lpc_buf_free(&b);
    return c;
}

/* ---- refcall adapters (lpc_refcall.h) --------------------------------------- */

typedef struct {
    const char *fname;
    const char *const *pos;     /* positional-or-keyword parameters, all required */
    size_t npos;
    const char *const *kwonly;  /* keyword-only parameters */
    size_t nkwonly, nkw_required;   /* the first nkw_required of them are required */
} py_signature;

/* Binds args/kwargs to vals[npos + nkwonly] as CPython 3.11 does, with its TypeErrors:
 * an unexpected keyword, a duplicate value, too many positionals, missing arguments. */
static lp_code bind_args(const py_signature *sg, const lpc_value *args, const lpc_value *kwargs,
                         const lpc_value **vals, lpc_referr *err)
{
    if ((args && args->type != LPC_ARRAY) || (kwargs && kwargs->type != LPC_OBJECT))
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s(): arguments must be a list and a dict",
                              sg->fname);
    size_t argc = args ? args->u.a.n : 0, nparam = sg->npos + sg->nkwonly;
    for (size_t i = 0; i < nparam; i++) vals[i] = NULL;
    for (size_t i = 0; i < argc && i < sg->npos; i++) vals[i] = args->u.a.items[i];
    for (size_t k = 0; kwargs && k < kwargs->u.o.n; k++) {
        const lpc_member *m = &kwargs->u.o.items[k];
        size_t j = 0;
        for (; j < nparam; j++)
            if (text_is(m->key, m->klen, j < sg->npos ? sg->pos[j] : sg->kwonly[j - sg->npos])) break;
        if (j == nparam)
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() got an unexpected keyword argument '%.*s'",
                                  sg->fname, (int)(m->klen < LPC_REFERR_MSG_MAX ? m->klen : LPC_REFERR_MSG_MAX), m->key);
        if (vals[j])
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() got multiple values for argument '%s'",
                                  sg->fname, m->key);
        vals[j] = m->val;
    }
    if (argc > sg->npos) {
        size_t kw_given = 0;
        for (size_t j = sg->npos; j < nparam; j++) kw_given += vals[j] != NULL;
        char kwsig[96] = "";
        if (kw_given)
            snprintf(kwsig, sizeof kwsig, " positional argument%s (and %zu keyword-only argument%s)", argc != 1 ? "s" : "",
                     kw_given, kw_given != 1 ? "s" : "");
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() takes %zu positional argument%s but %zu%s %s given",
                              sg->fname, sg->npos, sg->npos != 1 ? "s" : "", argc, kwsig,
                              argc == 1 && !kw_given ? "was" : "were");
    }
    const char *miss[16];
    size_t nm = 0;
    for (size_t j = 0; j < sg->npos; j++)
        if (!vals[j] && nm < 16) miss[nm++] = sg->pos[j];
    if (nm) return missing_args(err, sg->fname, "positional", miss, nm);
    for (size_t j = 0; j < sg->nkw_required; j++)
        if (!vals[sg->npos + j] && nm < 16) miss[nm++] = sg->kwonly[j];
    if (nm) return missing_args(err, sg->fname, "keyword-only", miss, nm);
    return LP_CODE_OK;
}

static lp_code ret_str(const char *s, lpc_value **result, lpc_referr *err)
{
    *result = lpc_new_str(s, strlen(s));
    return *result ? LP_CODE_OK : nomem(err);
}

static lp_code ret_none(lpc_value **result, lpc_referr *err)
{
    *result = lpc_new_null();
    return *result ? LP_CODE_OK : nomem(err);
}

static const char *const k_body_param[] = {"body"};

static lp_code rc_build(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"role",        "purpose",        "job_id",          "epoch_id",
                                     "commit_sha",  "build_manifest_hash", "config_hash", "input_root",
                                     "output_root", "evidence_roots", "parent_receipt_hashes", "status",
                                     "issued_at",   "failure_code"};
    static const py_signature sg = {"build_receipt_body", NULL, 0, kw, 14, 13};
    const lpc_value *v[14];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    if (c != LP_CODE_OK) return c;
    lpc_receipt_v1_args a = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
    return lpc_receipt_v1_build_body(&a, result, err);
}

static lp_code rc_validate_body(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const py_signature sg = {"validate_receipt_body", k_body_param, 1, NULL, 0, 0};
    const lpc_value *v[1];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    if (c == LP_CODE_OK) c = lpc_receipt_v1_validate_body(v[0], err);
    return c == LP_CODE_OK ? ret_none(result, err) : c;
}

static lp_code rc_hash(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const py_signature sg = {"receipt_hash", k_body_param, 1, NULL, 0, 0};
    const lpc_value *v[1];
    char h[72];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    if (c == LP_CODE_OK) c = lpc_receipt_v1_hash(v[0], h, err);
    return c == LP_CODE_OK ? ret_str(h, result, err) : c;
}

static lp_code rc_validate_signed(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const pos[] = {"receipt"}, *const kw[] = {"verify_signature"};
    static const py_signature sg = {"validate_signed_receipt", pos, 1, kw, 1, 0};
    const lpc_value *v[2];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    if (c == LP_CODE_OK) c = lpc_receipt_v1_validate_signed(v[0], v[1] ? lpc_py_truthy(v[1]) : 1, err);
    return c == LP_CODE_OK ? ret_none(result, err) : c;
}

static lp_code rc_lineage(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const pos[] = {"receipt", "parent_receipts"};
    static const py_signature sg = {"verify_receipt_lineage", pos, 2, NULL, 0, 0};
    const lpc_value *v[2];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    return c == LP_CODE_OK ? lpc_receipt_v1_verify_lineage(v[0], v[1], result, err) : c;
}

static lp_code rc_artifact_root(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const pos[] = {"artifacts"};
    static const py_signature sg = {"artifact_merkle_root", pos, 1, NULL, 0, 0};
    const lpc_value *v[1];
    char h[72];
    *result = NULL;
    lp_code c = bind_args(&sg, args, kwargs, v, err);
    if (c == LP_CODE_OK) c = lpc_receipt_v1_artifact_merkle_root(v[0], h, err);
    return c == LP_CODE_OK ? ret_str(h, result, err) : c;
}

const lpc_refcall_entry lpc_refcall_attested_receipts[] = {
    {"attested_receipts.build_receipt_body", rc_build},
    {"attested_receipts.validate_receipt_body", rc_validate_body},
    {"attested_receipts.receipt_hash", rc_hash},
    {"attested_receipts.validate_signed_receipt", rc_validate_signed},
    {"attested_receipts.verify_receipt_lineage", rc_lineage},
    {"attested_receipts.artifact_merkle_root", rc_artifact_root},
    {NULL, NULL},
};
