/* Commit-reveal hashes (spec §8).  See lpc_commit.h. */
#include "canonical/lpc_commit.h"

#include <string.h>
#include "canonical/lpc_num.h"
#include "canonical/lpc_utf8.h"

/* Python str.encode("utf-8") succeeds exactly on well-formed UTF-8 without
 * surrogates.  WTF-8 input carries lone surrogates as ED A0..BF xx: the first fault
 * decides the code. */
static lpc_err check_text(const char *s, size_t n)
{
    if (!s && n) return LPC_ERR_ARG;
    if (n > LPC_COMMIT_MAX_TEXT) return LPC_ERR_TOO_LARGE;
    const uint8_t *p = (const uint8_t *)s;
    size_t bad = 0;
    if (lpc_utf8_valid(p, n, 0, &bad)) return LPC_OK;
    return lpc_utf8_next(p + bad, n - bad, LPC_UTF8_SURROGATES, NULL) ? LPC_ERR_SURROGATE : LPC_ERR_UTF8;
}

int lpc_commit_salt_is_canonical(const char *salt, size_t salt_len)
{
    return salt && salt_len == LPC_COMMIT_SALT_HEX_LEN && lpc_is_lower_hex(salt, salt_len);
}

/* SHA-256 hex of a || b, both already checked. */
static lpc_err hash_concat(const char *a, size_t alen, const char *b, size_t blen,
                           char out[LPC_SHA256_HEX_LEN + 1])
{
    lpc_buf buf = {0};
    lpc_err e = lpc_buf_append(&buf, a, alen);
    if (e == LPC_OK) e = lpc_buf_append(&buf, b, blen);
    if (e == LPC_OK) e = lpc_sha256_hex(buf.ptr, buf.len, out);
    lpc_buf_free(&buf);
    return e;
}

/* hex(H(utf8(text + salt))) for two checked texts (decision, legacy reason). */
static lpc_err salted_text_hash(const char *text, size_t text_len, const char *salt, size_t salt_len,
                                char out[LPC_SHA256_HEX_LEN + 1])
{
    if (!out) return LPC_ERR_ARG;
    lpc_err e = check_text(text, text_len);
    if (e == LPC_OK) e = check_text(salt, salt_len);
    if (e != LPC_OK) return e;
    return hash_concat(text, text_len, salt, salt_len, out);
}

lpc_err lpc_decision_hash(const char *decision, size_t decision_len,
                          const char *salt, size_t salt_len,
                          char out[LPC_SHA256_HEX_LEN + 1])
{
    return salted_text_hash(decision, decision_len, salt, salt_len, out);
}

lpc_err lpc_rep_score_str(const lpc_value *rep_score, lpc_buf *out)
{
    if (!rep_score || !out) return LPC_ERR_ARG;
    if (rep_score->type == LPC_INT) {
        /* str(int) raises beyond CPython's 4300-digit cap (the parser never
         * builds such a value; a hand-built one is refused the same way). */
        size_t nd = rep_score->u.i.len - (rep_score->u.i.len && rep_score->u.i.digits[0] == '-');
        if (nd > LPC_INT_MAX_DIGITS) return LPC_ERR_INT_DIGITS;
        return lpc_buf_append(out, rep_score->u.i.digits, rep_score->u.i.len);
    }
    if (rep_score->type == LPC_FLOAT) {
        char r[LPC_REPR_MAX];
        size_t n = lpc_float_repr(rep_score->u.f, r);
        return lpc_buf_append(out, r, n);
    }
    return LPC_ERR_TYPE;
}

lpc_err lpc_rep_score_hash(const lpc_value *rep_score,
                           const char *salt, size_t salt_len,
                           char out[LPC_SHA256_HEX_LEN + 1])
{
    if (!out) return LPC_ERR_ARG;
    lpc_err e = check_text(salt, salt_len);
    if (e != LPC_OK) return e;
    lpc_buf buf = {0};
    e = lpc_rep_score_str(rep_score, &buf);
    if (e == LPC_OK) e = lpc_buf_append(&buf, salt, salt_len);
    if (e == LPC_OK) e = lpc_sha256_hex(buf.ptr, buf.len, out);
    lpc_buf_free(&buf);
    return e;
}

lpc_err lpc_rejection_reason_preimage(const lpc_value *reason,
                                      const char *salt, size_t salt_len,
                                      lpc_buf *out)
{
    if (!reason || !out) return LPC_ERR_ARG;
    lpc_err e = check_text(salt, salt_len);
    if (e != LPC_OK) return e;
    size_t mark = out->len;
    /* DU-A is ensure_ascii: the output is ASCII whatever the strings hold. */
    e = lpc_dump(reason, LPC_PROFILE_DU_A, out);
    if (e == LPC_OK) e = lpc_buf_append(out, salt, salt_len);
    if (e != LPC_OK) out->len = mark;
    return e;
}

lpc_err lpc_rejection_reason_hash(const lpc_value *reason,
                                  const char *salt, size_t salt_len,
                                  char out[LPC_SHA256_HEX_LEN + 1])
{
    if (!out) return LPC_ERR_ARG;
    lpc_buf buf = {0};
    lpc_err e = lpc_rejection_reason_preimage(reason, salt, salt_len, &buf);
    if (e == LPC_OK) e = lpc_sha256_hex(buf.ptr, buf.len, out);
    lpc_buf_free(&buf);
    return e;
}

lpc_err lpc_rejection_reason_text_hash(const char *reason, size_t reason_len,
                                       const char *salt, size_t salt_len,
                                       char out[LPC_SHA256_HEX_LEN + 1])
{
    return salted_text_hash(reason, reason_len, salt, salt_len, out);
}

lpc_err lpc_evidence_hash(const lpc_value *evidence, char out[LPC_SHA256_HEX_LEN + 1])
{
    if (!evidence || !out) return LPC_ERR_ARG;
    lpc_buf buf = {0};
    lpc_err e = lpc_dump(evidence, LPC_PROFILE_DU_A, &buf);
    if (e == LPC_OK) e = lpc_sha256_hex(buf.ptr, buf.len, out);
    lpc_buf_free(&buf);
    return e;
}

static int is_stripped_key(const char *k, size_t klen)
{
    static const char *const keys[] = LPC_EVIDENCE_STRIPPED_KEYS;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (lpc_key_is(k, klen, keys[i])) return 1;
    return 0;
}

lpc_err lpc_evidence_clean_result(const lpc_value *result, lpc_value **out)
{
    if (!out) return LPC_ERR_ARG;
    *out = NULL;
    if (!result) return LPC_ERR_ARG;
    if (result->type != LPC_OBJECT) return LPC_ERR_TYPE;
    lpc_value *c = lpc_new_object();
    if (!c) return LPC_ERR_NOMEM;
    for (size_t i = 0; i < result->u.o.n; i++) {
        const lpc_member *m = &result->u.o.items[i];
        lpc_value *val = NULL;
        lpc_err e;
        if (m->klen == 13 && memcmp(m->key, "enhanced_lead", 13) == 0 &&
            m->val->type == LPC_OBJECT) {
            /* Shallow copy of enhanced_lead minus the internal cache fields,
             * assigned back under the same key (same position). */
            val = lpc_new_object();
            e = val ? LPC_OK : LPC_ERR_NOMEM;
            for (size_t j = 0; e == LPC_OK && j < m->val->u.o.n; j++) {
                const lpc_member *f = &m->val->u.o.items[j];
                if (is_stripped_key(f->key, f->klen)) continue;
                lpc_value *fv;
                e = lpc_clone(f->val, &fv);
                if (e == LPC_OK) e = lpc_object_set(val, f->key, f->klen, fv);
            }
            if (e != LPC_OK && val) { lpc_free(val); val = NULL; }
        } else {
            e = lpc_clone(m->val, &val);
        }
        if (e == LPC_OK) e = lpc_object_set(c, m->key, m->klen, val);
        if (e != LPC_OK) { lpc_free(c); return e; }
    }
    *out = c;
    return LPC_OK;
}

lpc_err lpc_evidence_hash_clean(const lpc_value *result, char out[LPC_SHA256_HEX_LEN + 1])
{
    if (!out) return LPC_ERR_ARG;
    lpc_value *clean = NULL;
    lpc_err e = lpc_evidence_clean_result(result, &clean);
    if (e == LPC_OK) e = lpc_evidence_hash(clean, out);
    if (clean) lpc_free(clean);
    return e;
}
