/* libFuzzer target: canonical JSON parser and serializer round trip.
 * Invariants: no crash/leak; every accepted value serialises under every
 * profile or fails with a documented code; an ASCII serialisation re-parses
 * to a value whose serialisation is byte-identical (idempotence).
 * lpc_csa_from_text: when it returns OK, lpc_parse accepts the text and
 * lpc_dump CS-A gives the same bytes, and the span of top-level key "a" holds
 * that member's CS-A; when lpc_parse refuses, it does not return OK; on any
 * other result the caller's buffer (with a prefix in it) is unchanged.  The same for
 * lpc_csa_from_text_ex with LPC_CSA_DECODE.  lpc_parse_take on a copy gives the same
 * verdict, error offset and tree (lpc_identical) as lpc_parse. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_json.h"

static const char prefix[] = "prefix:";

/* The fast path over data, checked against v (NULL when lpc_parse refused). */
static void check_csa_flags(const uint8_t *data, size_t size, const lpc_value *v, unsigned flags)
{
    lpc_csa_scratch s = {0};
    lpc_buf fast = {0};
    if (lpc_buf_append(&fast, prefix, sizeof prefix - 1) != LPC_OK) abort();
    size_t span[2] = {7, 7};
    lpc_err e = flags ? lpc_csa_from_text_ex(data, size, flags, &s, "a", span, &fast)
                      : lpc_csa_from_text(data, size, &s, "a", span, &fast);
    size_t p = sizeof prefix - 1;
    if (e != LPC_OK) {
        if (e != LPC_ERR_UNSUPPORTED && e != LPC_ERR_NOMEM && e != LPC_ERR_TOO_LARGE) abort();
        if (fast.len != p || memcmp(fast.ptr, prefix, p) || span[0] || span[1]) abort();
    } else {
        if (!v) abort();  /* lpc_parse refused what the fast path accepted */
        lpc_buf ref = {0};
        if (lpc_dump(v, LPC_PROFILE_CS_A, &ref) != LPC_OK) abort();
        if (fast.len - p != ref.len || memcmp(fast.ptr, prefix, p) || memcmp(fast.ptr + p, ref.ptr, ref.len))
            abort();
        const lpc_value *a = lpc_get(v, "a");
        if (!a) {
            if (span[0] || span[1]) abort();
        } else {
            lpc_buf m = {0};
            if (lpc_dump(a, LPC_PROFILE_CS_A, &m) != LPC_OK) abort();
            if (span[0] < p || span[1] < span[0] || span[1] > fast.len || span[1] - span[0] != m.len ||
                memcmp(fast.ptr + span[0], m.ptr, m.len))
                abort();
            lpc_buf_free(&m);
        }
        lpc_buf_free(&ref);
    }
    lpc_buf_free(&fast);
    lpc_csa_scratch_free(&s);
}

static void check_csa(const uint8_t *data, size_t size, const lpc_value *v)
{
    check_csa_flags(data, size, v, 0);
    check_csa_flags(data, size, v, LPC_CSA_DECODE);
}

/* In place on a copy: the verdict, offset and tree of lpc_parse (e, off, v). */
static void check_take(const uint8_t *data, size_t size, lpc_err e, size_t off, const lpc_value *v)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) abort();
    if (size) memcpy(copy, data, size);
    lpc_value *w = NULL;
    size_t woff = 0;
    lpc_err we = lpc_parse_take(copy, size, LPC_JSON_MAX_INPUT, SIZE_MAX, &w, &woff);
    if (we != e || (e == LPC_OK ? !lpc_identical(v, w) : woff != off || w != NULL)) abort();
    lpc_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err pe = lpc_parse(data, size, &v, &off);
    check_take(data, size, pe, off, v);
    if (pe != LPC_OK) {
        check_csa(data, size, NULL);
        return 0;
    }
    check_csa(data, size, v);
    for (int p = LPC_PROFILE_CS_A; p <= LPC_PROFILE_INDENT2; p++) {
        lpc_buf a = {0};
        lpc_err e = lpc_dump(v, (lpc_profile)p, &a);
        if (e == LPC_OK && (p == LPC_PROFILE_CS_A || p == LPC_PROFILE_DU_A || p == LPC_PROFILE_INDENT2)) {
            lpc_value *w = NULL;
            if (lpc_parse(a.ptr, a.len, &w, NULL) != LPC_OK) abort();
            lpc_buf b = {0};
            if (lpc_dump(w, (lpc_profile)p, &b) != LPC_OK) abort();
            if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len)) abort();
            /* the serialisations are valid text for the fast path too */
            check_csa(a.ptr, a.len, w);
            lpc_buf_free(&b);
            lpc_free(w);
        } else if (e != LPC_OK && e != LPC_ERR_NAN && e != LPC_ERR_SURROGATE && e != LPC_ERR_TOO_LARGE) {
            abort();
        }
        lpc_buf_free(&a);
    }
    lpc_free(v);
    return 0;
}
