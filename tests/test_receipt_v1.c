/* attested_receipt.v1 (canonical/lpc_receipt_v1.h) against vectors/leadpoet-v2/weights_v2.json:
 * every case of receipts[] (builder output, validate_receipt_body, CS-U text, receipt_hash,
 * validate_signed_receipt), receipt_lineage[] (post-order lists and errors) and
 * artifact_merkle_root[], each through the C API and through the refcall adapters; then a
 * few values known outside the vectors (SHA-256 test vectors, CPython's own messages). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_receipt_v1.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_v2_common.h"
#include "tests/lp_test.h"

#define VEC "leadpoet-v2/weights_v2.json"

static const lpc_value *section(const lpc_value *doc, const char *k, size_t want)
{
    const lpc_value *v = lp_field(doc, k);
    ck_assert_int_eq(v->type, LPC_ARRAY);
    ck_assert_uint_eq(v->u.a.n, want);
    return v;
}

/* a vector's {type, message} against what the port returned */
static void assert_error(lp_code c, const lpc_referr *e, const lpc_value *want, const char *what)
{
    ck_assert_msg(want && want->type == LPC_OBJECT, "%s: expected error missing", what);
    const char *type = lp_field_str(want, "type"), *msg = lp_field_str(want, "message");
    ck_assert_msg(c != LP_CODE_OK, "%s: passed, expected %s: %s", what, type, msg);
    ck_assert_msg(strcmp(e->type, type) == 0 && strcmp(e->message, msg) == 0, "%s: got %s: %s, want %s: %s", what,
                  e->type, e->message, type, msg);
    ck_assert_int_eq(e->code, c);
    if (strcmp(type, "ReceiptError") == 0) ck_assert_int_eq(c, LP_CODE_RECEIPT_ERROR);
}

static void assert_ok(lp_code c, const lpc_referr *e, const char *what)
{
    ck_assert_msg(c == LP_CODE_OK, "%s: %s: %s", what, e->type, e->message);
}

static int is_error(const lpc_value *v)
{
    return v && v->type == LPC_OBJECT;
}

/* CS-U text of v equals want */
static void assert_csu(const lpc_value *v, const char *want, size_t wlen, const char *what)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_U_NONAN, &b), LPC_OK);
    ck_assert_msg(b.len == wlen && memcmp(b.ptr, want, wlen) == 0, "%s: CS-U differs:\n%s\n%s", what, b.ptr, want);
    lpc_buf_free(&b);
}

static void assert_same_value(const lpc_value *got, const lpc_value *want, const char *what)
{
    ck_assert_msg(lpc_py_eq(got, want), "%s: value differs", what);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(want, LPC_PROFILE_CS_U_NONAN, &b), LPC_OK);
    assert_csu(got, (const char *)b.ptr, b.len, what);
    lpc_buf_free(&b);
}

static lpc_value *one_arg(const lpc_value *v)
{
    lpc_value *a = lpc_new_array(), *c = NULL;
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    ck_assert_int_eq(lpc_array_append(a, c), LPC_OK);
    return a;
}

static lp_code call(const char *fn, const lpc_value *args, const lpc_value *kwargs, lpc_value **res, lpc_referr *e)
{
    lpc_refcall_fn f = lpc_refcall_find(fn);
    ck_assert_msg(f != NULL, "%s not registered", fn);
    lpc_referr_clear(e);
    return f(args, kwargs, res, e);
}

static lp_code build_from_kwargs(const lpc_value *kw, lpc_value **out, lpc_referr *e)
{
    lpc_receipt_v1_args a = {
        .role = lpc_get(kw, "role"),
        .purpose = lpc_get(kw, "purpose"),
        .job_id = lpc_get(kw, "job_id"),
        .epoch_id = lpc_get(kw, "epoch_id"),
        .commit_sha = lpc_get(kw, "commit_sha"),
        .build_manifest_hash = lpc_get(kw, "build_manifest_hash"),
        .config_hash = lpc_get(kw, "config_hash"),
        .input_root = lpc_get(kw, "input_root"),
        .output_root = lpc_get(kw, "output_root"),
        .evidence_roots = lpc_get(kw, "evidence_roots"),
        .parent_receipt_hashes = lpc_get(kw, "parent_receipt_hashes"),
        .status = lpc_get(kw, "status"),
        .issued_at = lpc_get(kw, "issued_at"),
        .failure_code = lpc_get(kw, "failure_code"),
    };
    return lpc_receipt_v1_build_body(&a, out, e);
}

START_TEST(receipts_vectors)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = section(doc, "receipts", 23);
    size_t nbuild = 0, nbody = 0, nsigned = 0, nerr = 0;
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *k = lpc_at(cs, i);
        const char *name = lp_field_str(k, "name");
        lpc_referr e;
        char h[72];
        const lpc_value *kw = lpc_get(k, "build_kwargs");
        if (kw) {
            const lpc_value *want = lp_field(k, "build_receipt_body");
            lpc_value *got = NULL;
            lp_code c = build_from_kwargs(kw, &got, &e);
            if (lpc_get(want, "error")) {
                assert_error(c, &e, lpc_get(want, "error"), name);
                nerr++;
            } else {
                assert_ok(c, &e, name);
                assert_same_value(got, want, name);
            }
            lpc_free(got);
            nbuild++;
        }
        const lpc_value *body = lpc_get(k, "body");
        if (body) {
            const lpc_value *want = lp_field(k, "validate_receipt_body_error");
            lp_code c = lpc_receipt_v1_validate_body(body, &e);
            lp_code hc = lpc_receipt_v1_hash(body, h, NULL);
            if (is_error(want)) {
                assert_error(c, &e, want, name);
                ck_assert_int_eq(hc, c);
                ck_assert_ptr_null(lpc_get(k, "receipt_hash"));
                nerr++;
            } else {
                assert_ok(c, &e, name);
                const lpc_value *csu = lp_field(k, "body_canonical_json");
                assert_csu(body, csu->u.s.ptr, csu->u.s.len, name);
                ck_assert_int_eq(hc, LP_CODE_OK);
                ck_assert_str_eq(h, lp_field_str(k, "receipt_hash"));
            }
            nbody++;
        }
        const lpc_value *sg = lpc_get(k, "signed");
        if (sg) {
            const lpc_value *want = lp_field(k, "validate_signed_receipt_error");
            lp_code c = lpc_receipt_v1_validate_signed(sg, 1, &e);
            if (is_error(want)) {
                assert_error(c, &e, want, name);
                nerr++;
            } else {
                assert_ok(c, &e, name);
                /* the receipt hash signed is that of its body */
                ck_assert_int_eq(lpc_receipt_v1_validate_signed(sg, 0, &e), LP_CODE_OK);
            }
            nsigned++;
        }
    }
    /* 6 valid cases, 12 body and 5 signed-receipt violations (README "Section schemas") */
    ck_assert_uint_eq(nbuild, 4);
    ck_assert_uint_eq(nbody, 17);
    ck_assert_uint_eq(nsigned, 9);
    ck_assert_uint_eq(nerr, 17);
    lpc_free(doc);
}
END_TEST

START_TEST(receipts_refcall)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = section(doc, "receipts", 23);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *k = lpc_at(cs, i);
        const char *name = lp_field_str(k, "name");
        lpc_referr e;
        lpc_value *res = NULL;
        const lpc_value *kw = lpc_get(k, "build_kwargs");
        if (kw) {
            lpc_value *noargs = lpc_new_array();
            const lpc_value *want = lp_field(k, "build_receipt_body");
            lp_code c = call("attested_receipts.build_receipt_body", noargs, kw, &res, &e);
            if (lpc_get(want, "error")) assert_error(c, &e, lpc_get(want, "error"), name);
            else {
                assert_ok(c, &e, name);
                assert_same_value(res, want, name);
            }
            lpc_free(res);
            lpc_free(noargs);
        }
        const lpc_value *body = lpc_get(k, "body");
        if (body) {
            const lpc_value *want = lp_field(k, "validate_receipt_body_error");
            lpc_value *args = one_arg(body);
            lp_code c = call("attested_receipts.validate_receipt_body", args, NULL, &res, &e);
            if (is_error(want)) assert_error(c, &e, want, name);
            else {
                assert_ok(c, &e, name);
                ck_assert_int_eq(res->type, LPC_NULL);
            }
            lpc_free(res);
            c = call("attested_receipts.receipt_hash", args, NULL, &res, &e);
            if (is_error(want)) assert_error(c, &e, want, name);
            else {
                assert_ok(c, &e, name);
                ck_assert(lpc_str_eq(res, lp_field_str(k, "receipt_hash")));
            }
            lpc_free(res);
            lpc_free(args);
        }
        const lpc_value *sg = lpc_get(k, "signed");
        if (sg) {
            const lpc_value *want = lp_field(k, "validate_signed_receipt_error");
            lpc_value *args = one_arg(sg);
            lp_code c = call("attested_receipts.validate_signed_receipt", args, NULL, &res, &e);
            if (is_error(want)) assert_error(c, &e, want, name);
            else {
                assert_ok(c, &e, name);
                ck_assert_int_eq(res->type, LPC_NULL);
            }
            lpc_free(res);
            lpc_free(args);
        }
    }
    lpc_free(doc);
}
END_TEST

START_TEST(lineage_vectors)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = section(doc, "receipt_lineage", 4);
    size_t nok = 0;
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *k = lpc_at(cs, i);
        const char *name = lp_field_str(k, "name");
        const lpc_value *want = lp_field(k, "ordered"), *werr = lp_field(k, "error");
        lpc_referr e;
        lpc_value *got = NULL, *res = NULL;
        lp_code c = lpc_receipt_v1_verify_lineage(lp_field(k, "receipt"), lp_field(k, "parent_receipts"), &got, &e);
        lpc_value *args = lpc_new_array(), *a0 = NULL, *a1 = NULL;
        ck_assert_int_eq(lpc_clone(lp_field(k, "receipt"), &a0), LPC_OK);
        ck_assert_int_eq(lpc_clone(lp_field(k, "parent_receipts"), &a1), LPC_OK);
        ck_assert_int_eq(lpc_array_append(args, a0), LPC_OK);
        ck_assert_int_eq(lpc_array_append(args, a1), LPC_OK);
        lpc_referr e2;
        lp_code c2 = call("attested_receipts.verify_receipt_lineage", args, NULL, &res, &e2);
        if (is_error(werr)) {
            ck_assert_int_eq(want->type, LPC_NULL);
            assert_error(c, &e, werr, name);
            assert_error(c2, &e2, werr, name);
        } else {
            assert_ok(c, &e, name);
            assert_ok(c2, &e2, name);
            assert_same_value(got, want, name);
            assert_same_value(res, want, name);
            /* the receipt last */
            ck_assert(lpc_py_eq(lpc_at(got, got->u.a.n - 1), lpc_get(lp_field(k, "receipt"), "receipt_hash")));
            nok++;
        }
        lpc_free(got);
        lpc_free(res);
        lpc_free(args);
    }
    ck_assert_uint_eq(nok, 1);
    lpc_free(doc);
}
END_TEST

START_TEST(artifact_root_vectors)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = section(doc, "artifact_merkle_root", 6);
    size_t nerr = 0, npre = 0;
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *k = lpc_at(cs, i);
        char what[64], h[72];
        lpc_buf nb = {0};
        ck_assert_int_eq(lpc_dump(lp_field(k, "n"), LPC_PROFILE_CS_U, &nb), LPC_OK);
        snprintf(what, sizeof what, "artifact_merkle_root n=%s", (const char *)nb.ptr);
        lpc_buf_free(&nb);
        const lpc_value *arts = lp_field(k, "artifacts"), *werr = lpc_get(k, "error");
        lpc_referr e;
        lpc_value *res = NULL, *args = one_arg(arts);
        lp_code c = lpc_receipt_v1_artifact_merkle_root(arts, h, &e);
        lpc_referr e2;
        lp_code c2 = call("attested_receipts.artifact_merkle_root", args, NULL, &res, &e2);
        if (is_error(werr)) {
            ck_assert_int_eq(lp_field(k, "root")->type, LPC_NULL);
            assert_error(c, &e, werr, what);
            assert_error(c2, &e2, werr, what);
            lpc_value *leaves = NULL;
            assert_error(lpc_receipt_v1_artifact_leaves(arts, &leaves, &e), &e, werr, what);
            ck_assert_ptr_null(leaves);
            nerr++;
        } else {
            assert_ok(c, &e, what);
            assert_ok(c2, &e2, what);
            ck_assert_str_eq(h, lp_field_str(k, "root"));
            ck_assert(lpc_str_eq(res, h));
            /* leaf_preimages: CS-U of each leaf in tree order */
            lpc_value *leaves = NULL;
            assert_ok(lpc_receipt_v1_artifact_leaves(arts, &leaves, &e), &e, what);
            const lpc_value *pre = lpc_get(k, "leaf_preimages");   /* given for the 10 and 13 */
            if (pre) {
                ck_assert_uint_eq(leaves->u.a.n, pre->u.a.n);
                for (size_t j = 0; j < pre->u.a.n; j++)
                    assert_csu(lpc_at(leaves, j), lpc_at(pre, j)->u.s.ptr, lpc_at(pre, j)->u.s.len, what);
                npre++;
            }
            lpc_free(leaves);
        }
        lpc_free(res);
        lpc_free(args);
    }
    ck_assert_uint_eq(nerr, 2);
    ck_assert_uint_eq(npre, 2);
    lpc_free(doc);
}
END_TEST

START_TEST(v2_common_predicates)
{
    const char *ref = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    ck_assert(lpc_v2_is_sha256_ref(ref, strlen(ref)));
    ck_assert(!lpc_v2_is_sha256_ref(ref, strlen(ref) - 1));
    ck_assert(!lpc_v2_is_sha256_ref("SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 71));
    ck_assert(lpc_v2_is_identifier("a", 1));
    ck_assert(!lpc_v2_is_identifier(".a", 2));
    ck_assert(!lpc_v2_is_identifier("", 0));
    char id[258];
    memset(id, 'a', sizeof id);
    ck_assert(lpc_v2_is_identifier(id, 256));
    ck_assert(!lpc_v2_is_identifier(id, 257));
    ck_assert(lpc_v2_is_commit_sha(ref + 7, 40));
    ck_assert(lpc_v2_is_commit_sha(ref + 7, 64));
    ck_assert(!lpc_v2_is_commit_sha(ref + 7, 41));
    /* sha256_json("abc") hashes the 5 bytes "abc" with quotes; {} hashes "{}" */
    lpc_value *o = lpc_new_object();
    char h[72];
    ck_assert_int_eq(lpc_v2_sha256_json(o, h, NULL), LP_CODE_OK);
    ck_assert_str_eq(h, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    /* CPython 3.11: json.dumps(allow_nan=False) and str.encode("utf-8") */
    lpc_referr e;
    ck_assert_int_eq(lpc_object_set(o, "a", 1, lpc_new_str("x\xed\xa0\x80", 4)), LPC_OK);
    ck_assert_int_eq(lpc_v2_sha256_json(o, h, &e), LP_CODE_PYTHON_VALUE_ERROR);
    ck_assert_str_eq(e.type, "UnicodeEncodeError");
    ck_assert_str_eq(e.message, "'utf-8' codec can't encode character '\\ud800' in position 7: surrogates not allowed");
    ck_assert_int_eq(lpc_object_set(o, "b", 1, lpc_new_float(NAN)), LPC_OK);
    ck_assert_int_eq(lpc_v2_sha256_json(o, h, &e), LP_CODE_PYTHON_VALUE_ERROR);
    ck_assert_str_eq(e.type, "ValueError");
    ck_assert_str_eq(e.message, "Out of range float values are not JSON compliant");
    lpc_free(o);
}
END_TEST

/* Values known outside the vectors: FIPS 180-2 SHA-256("abc"), CPython 3.11's messages. */
START_TEST(receipt_known_values)
{
    lpc_value *c = NULL;
    lpc_referr e;
    ck_assert_int_eq(lpc_receipt_v1_artifact_commitment(" out/a.bin ", 11, (const uint8_t *)"abc", 3, &c, &e), LP_CODE_OK);
    ck_assert(lpc_str_eq(lpc_get(c, "name"), "out/a.bin"));
    ck_assert(lpc_str_eq(lpc_get(c, "sha256"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    int64_t sz = 0;
    ck_assert(lpc_int_i64(lpc_get(c, "size_bytes"), &sz) && sz == 3);
    lpc_free(c);
    ck_assert_int_eq(lpc_receipt_v1_artifact_commitment("-x", 2, NULL, 0, &c, &e), LP_CODE_RECEIPT_ERROR);
    ck_assert_str_eq(e.message, "artifact name is not a valid identifier");

    /* the empty tree (leadpoet-formats.md §4.4) */
    lpc_value *empty = lpc_new_array();
    char h[72], want[72] = "sha256:";
    uint8_t d[32];
    ck_assert_int_eq(lpc_sha256("\x02leadpoet-empty-artifact-tree-v1", 32, d), LPC_OK);
    lpc_hex_encode(d, 32, want + 7);
    ck_assert_int_eq(lpc_receipt_v1_artifact_merkle_root(empty, h, &e), LP_CODE_OK);
    ck_assert_str_eq(h, want);

    /* CPython 3.11 argument binding and builtins */
    lpc_value *res = NULL;
    ck_assert_int_eq(call("attested_receipts.receipt_hash", empty, NULL, &res, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.type, "TypeError");
    ck_assert_str_eq(e.message, "receipt_hash() missing 1 required positional argument: 'body'");
    lpc_value *two = lpc_new_array();
    lpc_array_append(two, lpc_new_null());
    lpc_array_append(two, lpc_new_null());
    ck_assert_int_eq(call("attested_receipts.validate_receipt_body", two, NULL, &res, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.message, "validate_receipt_body() takes 1 positional argument but 2 were given");
    ck_assert_int_eq(call("attested_receipts.artifact_merkle_root", two, NULL, &res, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.message, "artifact_merkle_root() takes 1 positional argument but 2 were given");
    lpc_value *kw = lpc_new_object();
    lpc_object_set(kw, "role", 4, lpc_new_str("gateway_scoring", 15));
    ck_assert_int_eq(call("attested_receipts.build_receipt_body", NULL, kw, &res, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.message, "build_receipt_body() missing 12 required keyword-only arguments: 'purpose', 'job_id', "
                                "'epoch_id', 'commit_sha', 'build_manifest_hash', 'config_hash', 'input_root', "
                                "'output_root', 'evidence_roots', 'parent_receipt_hashes', 'status', and 'issued_at'");
    lpc_object_set(kw, "bogus", 5, lpc_new_null());
    ck_assert_int_eq(call("attested_receipts.build_receipt_body", NULL, kw, &res, &e), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(e.message, "build_receipt_body() got an unexpected keyword argument 'bogus'");
    lpc_free(kw);

    /* non-object inputs: the exception the reference's own code raises */
    lpc_value *n = lpc_new_null(), *i5 = lpc_new_int(5), *s = lpc_new_str("xy", 2);
    ck_assert_int_eq(lpc_receipt_v1_validate_body(n, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.message, "'NoneType' object is not iterable");
    ck_assert_int_eq(lpc_receipt_v1_validate_body(s, &e), LP_CODE_RECEIPT_ERROR);
    ck_assert_str_eq(e.message, "receipt body fields do not match the canonical schema");
    ck_assert_int_eq(lpc_receipt_v1_validate_signed(two, 1, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.type, "AttributeError");
    ck_assert_str_eq(e.message, "'list' object has no attribute 'items'");
    ck_assert_int_eq(lpc_receipt_v1_artifact_merkle_root(i5, h, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.message, "'int' object is not iterable");
    ck_assert_int_eq(lpc_receipt_v1_artifact_merkle_root(two, h, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.message, "'NoneType' object has no attribute 'get'");
    ck_assert_int_eq(lpc_receipt_v1_artifact_merkle_root(s, h, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.message, "'str' object has no attribute 'get'");
    lpc_free(n);
    lpc_free(i5);
    lpc_free(s);
    lpc_free(two);
    lpc_free(empty);
}
END_TEST

/* Python semantics the vectors do not pin, with the outcome of the reference itself
 * (attested_receipts.py@5fe22c16 under CPython 3.11): `\d` matches any Unicode decimal
 * digit, and a list holding exactly the 15 field names passes set(body) == required. */
START_TEST(receipt_python_semantics)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *body = lp_field(lpc_at(section(doc, "receipts", 23), 0), "body");
    lpc_value *b = NULL;
    ck_assert_int_eq(lpc_clone(body, &b), LPC_OK);
    /* U+FF12 U+FF10 U+FF12 U+FF16: fullwidth "2026" */
    static const char fw[] = "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-07-11T19:48:33Z";
    ck_assert_int_eq(lpc_object_set(b, "issued_at", 9, lpc_new_str(fw, sizeof fw - 1)), LPC_OK);
    char h[72];
    lpc_referr e;
    ck_assert_int_eq(lpc_receipt_v1_hash(b, h, &e), LP_CODE_OK);
    ck_assert_str_eq(h, "sha256:fd9ecead2724f00628bf82b8d13d3d7c268483fa77250033abf62b2ad2dc4c89");
    lpc_free(b);
    lpc_value *keys = lpc_new_array();
    for (size_t i = 0; i < body->u.o.n; i++)
        ck_assert_int_eq(lpc_array_append(keys, lpc_new_str(body->u.o.items[i].key, body->u.o.items[i].klen)), LPC_OK);
    ck_assert_int_eq(lpc_receipt_v1_validate_body(keys, &e), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(e.type, "TypeError");
    ck_assert_str_eq(e.message, "list indices must be integers or slices, not str");
    lpc_free(keys);
    lpc_free(doc);
}
END_TEST

static lpc_value *str_of(const char *s)
{
    lpc_value *v = lpc_new_str(s, strlen(s));
    ck_assert_ptr_nonnull(v);
    return v;
}

static void kw_set(lpc_value *o, const char *k, lpc_value *v)
{
    ck_assert_int_eq(lpc_object_set(o, k, strlen(k), v), LPC_OK);
}

static lpc_value *label_hash(const char *label)   /* "sha256:" + hex(sha256(label)) */
{
    char h[72] = "sha256:";
    ck_assert_int_eq(lpc_sha256_hex(label, strlen(label), h + 7), LPC_OK);
    return str_of(h);
}

/* Receipt i of a chain (each the child of the one before) signed with the Ed25519 seed sk. */
static lpc_value *chain_receipt(size_t i, const char *parent, const uint8_t sk[64], const char *pk_hex)
{
    char buf[32];
    lpc_value *kw = lpc_new_object(), *parents = lpc_new_array(), *body = NULL;
    kw_set(kw, "role", str_of("gateway_scoring"));
    kw_set(kw, "purpose", str_of("research_lab.benchmark.v1"));
    snprintf(buf, sizeof buf, "j%zu", i);
    kw_set(kw, "job_id", str_of(buf));
    kw_set(kw, "epoch_id", lpc_new_int((int64_t)i));
    kw_set(kw, "commit_sha", str_of("abababababababababababababababababababab"));
    kw_set(kw, "build_manifest_hash", label_hash("m"));
    kw_set(kw, "config_hash", label_hash("c"));
    snprintf(buf, sizeof buf, "i%zu", i);
    kw_set(kw, "input_root", label_hash(buf));
    kw_set(kw, "output_root", label_hash("o"));
    kw_set(kw, "evidence_roots", lpc_new_object());
    if (parent) ck_assert_int_eq(lpc_array_append(parents, str_of(parent)), LPC_OK);
    kw_set(kw, "parent_receipt_hashes", parents);
    kw_set(kw, "status", str_of("succeeded"));
    kw_set(kw, "issued_at", str_of("2026-07-11T19:48:33Z"));
    lpc_referr e;
    assert_ok(build_from_kwargs(kw, &body, &e), &e, "chain body");
    lpc_free(kw);
    char h[72], sig_hex[129];
    assert_ok(lpc_receipt_v1_hash(body, h, &e), &e, "chain hash");
    uint8_t digest[32], sig[64];
    size_t n;
    ck_assert_int_eq(lpc_hex_decode(h + 7, 64, digest, sizeof digest, &n), LPC_OK);
    ck_assert_int_eq(crypto_sign_detached(sig, NULL, digest, 32, sk), 0);
    lpc_hex_encode(sig, 64, sig_hex);
    kw_set(body, "receipt_hash", str_of(h));
    kw_set(body, "enclave_pubkey", str_of(pk_hex));
    kw_set(body, "enclave_signature", str_of(sig_hex));
    kw_set(body, "attestation_document_b64", str_of("eA=="));
    return body;
}

/* verify_receipt_lineage recurses once per generation: the reference, called from a
 * module's top level under CPython 3.11, returns for a chain of 997 receipts and raises
 * RecursionError for 998.  The hashes are the reference's (create_signed_receipt with
 * the seed sha256("x")). */
START_TEST(lineage_recursion_limit)
{
    ck_assert(lpc_sodium_ready());
    uint8_t seed[32], pk[32], sk[64];
    char pk_hex[65];
    ck_assert_int_eq(lpc_sha256("x", 1, seed), LPC_OK);
    ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, seed), 0);
    lpc_hex_encode(pk, 32, pk_hex);
    enum { N = LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH + 1 };
    ck_assert_int_eq(N, 998);
    lpc_value *chain[N], *map = lpc_new_object();
    for (size_t i = 0; i < N; i++) {
        const lpc_value *prev = i ? lpc_get(chain[i - 1], "receipt_hash") : NULL;
        chain[i] = chain_receipt(i, prev ? prev->u.s.ptr : NULL, sk, pk_hex);
    }
    for (size_t i = 0; i + 2 < N; i++) {
        lpc_value *c = NULL;
        ck_assert_int_eq(lpc_clone(chain[i], &c), LPC_OK);
        const lpc_value *h = lpc_get(chain[i], "receipt_hash");
        ck_assert_int_eq(lpc_object_set(map, h->u.s.ptr, h->u.s.len, c), LPC_OK);
    }
    lpc_value *ordered = NULL;
    lpc_referr e;
    assert_ok(lpc_receipt_v1_verify_lineage(chain[N - 2], map, &ordered, &e), &e, "997 generations");
    ck_assert_uint_eq(ordered->u.a.n, N - 1);
    ck_assert(lpc_str_eq(lpc_at(ordered, 0), "sha256:ef5a620430689ae1b849224cc5abcdb58689f880abd8a822fb53a4df968d1962"));
    ck_assert(lpc_str_eq(lpc_at(ordered, N - 2), "sha256:04aee5cd7b374bf3c6993942c740333bb90ac8c3d17a45a85f7b439ede406faa"));
    lpc_free(ordered);
    const lpc_value *h = lpc_get(chain[N - 2], "receipt_hash");
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(chain[N - 2], &c), LPC_OK);
    ck_assert_int_eq(lpc_object_set(map, h->u.s.ptr, h->u.s.len, c), LPC_OK);
    ck_assert_int_eq(lpc_receipt_v1_verify_lineage(chain[N - 1], map, &ordered, &e), LP_CODE_UNSUPPORTED);
    ck_assert_ptr_null(ordered);
    ck_assert_str_eq(e.type, "RecursionError");
    ck_assert_str_eq(e.message, "maximum recursion depth exceeded");
    for (size_t i = 0; i < N; i++) lpc_free(chain[i]);
    lpc_free(map);
}
END_TEST

static Suite *receipt_v1_suite(void)
{
    Suite *s = suite_create("receipt_v1");
    TCase *tc = tcase_create("vectors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, receipts_vectors);
    tcase_add_test(tc, receipts_refcall);
    tcase_add_test(tc, lineage_vectors);
    tcase_add_test(tc, artifact_root_vectors);
    tcase_add_test(tc, v2_common_predicates);
    tcase_add_test(tc, receipt_known_values);
    tcase_add_test(tc, receipt_python_semantics);
    tcase_add_test(tc, lineage_recursion_limit);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(receipt_v1_suite)
