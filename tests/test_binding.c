/* Validator binding message (spec §11) against
 * vectors/leadpoet/receipts_and_weight_bundle_v2.json (binding_messages,
 * binding_field_checks), made by Leadpoet's binding.py.  Own negative cases
 * carry expected values computed with python3 (str.split/repr, int()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_binding.h"
#include "canonical/lpc_json.h"
#include "tests/lp_test.h"

#define BIND_VEC "leadpoet/receipts_and_weight_bundle_v2.json"

static lpc_strview sv(const char *s) { lpc_strview v = { s, strlen(s) }; return v; }

static lpc_strview field_sv(const lpc_value *obj, const char *key)
{
    const lpc_value *v = lp_field(obj, key);
    ck_assert_int_eq(v->type, LPC_STR);
    lpc_strview r = { v->u.s.ptr, v->u.s.len };
    return r;
}

/* Python prints a set of keys in hash order, which changes with
 * PYTHONHASHSEED: "{'validator_code_hash', 'chain'}" and
 * "{'chain', 'validator_code_hash'}" are the same verdict.  For those two
 * messages compare the prefix exactly and the elements as sets. */
static int same_set_text(const char *got, const char *want)
{
    static const char *const set_prefixes[] = { "Missing required keys: {", "Unknown keys: {" };
    for (size_t i = 0; i < 2; i++) {
        size_t pl = strlen(set_prefixes[i]);
        if (strncmp(want, set_prefixes[i], pl) || strncmp(got, set_prefixes[i], pl)) continue;
        size_t gl = strlen(got), wl = strlen(want);
        if (gl != wl || got[gl - 1] != '}' || want[wl - 1] != '}') return 0;
        /* Every ", "-separated element of want occurs once in got, same count. */
        char g[512], w[512];
        if (wl >= sizeof w) return 0;
        memcpy(g, got + pl, gl - pl - 1); g[gl - pl - 1] = 0;
        memcpy(w, want + pl, wl - pl - 1); w[wl - pl - 1] = 0;
        size_t nw = 0, ng = 0;
        for (char *t = strtok(w, ","); t; t = strtok(NULL, ",")) {
            while (*t == ' ') t++;
            nw++;
            char pat[256];
            snprintf(pat, sizeof pat, "%s", t);
            if (!strstr(g, pat)) return 0;
        }
        for (char *t = strtok(g, ","); t; t = strtok(NULL, ",")) ng++;
        return nw == ng;
    }
    return strcmp(got, want) == 0;
}

START_TEST(parse_every_vector)
{
    lpc_value *doc = lp_load_json_vector(BIND_VEC);
    const lpc_value *cases = lp_field(doc, "binding_messages");
    ck_assert_uint_ge(cases->u.a.n, 14);
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        size_t mlen;
        uint8_t *m = lp_unhex(lp_field_str(c, "message_utf8_hex"), &mlen);
        const lpc_value *text = lp_field(c, "message");
        ck_assert(text->u.s.len == mlen && memcmp(text->u.s.ptr, m, mlen) == 0);

        lpc_binding_parts parts;
        char err[LPC_BINDING_ERR_MAX];
        lpc_err e = lpc_binding_parse((const char *)m, mlen, &parts, err);
        const lpc_value *ok = lp_field(c, "parse_ok");
        if (ok->u.b) {
            ck_assert_msg(e == LPC_OK, "%s: %s", name, err);
            ck_assert_str_eq(err, "");
            const lpc_value *want = lp_field(c, "parts");
            ck_assert_int_eq(want->type, LPC_OBJECT);
            ck_assert_int_eq(lp_field(c, "parse_error")->type, LPC_NULL);
            /* Same keys in the same (message) order with the same values. */
            ck_assert_uint_eq(parts.nfields, want->u.o.n);
            for (size_t j = 0; j < want->u.o.n; j++) {
                const lpc_member *mb = &want->u.o.items[j];
                lpc_binding_field f = parts.order[j];
                ck_assert_str_eq(lpc_binding_field_name(f), mb->key);
                ck_assert_msg(parts.field[f].len == mb->val->u.s.len &&
                              memcmp(parts.field[f].ptr, mb->val->u.s.ptr, mb->val->u.s.len) == 0,
                              "%s: field %s", name, mb->key);
            }
            int version_present = lpc_get(want, "version") != NULL;
            ck_assert_int_eq(parts.field[LPC_BIND_VERSION].ptr != NULL, version_present);
        } else {
            ck_assert_msg(e == LPC_ERR_BINDING, "%s: %s", name, lpc_strerror(e));
            ck_assert_int_eq(lp_field(c, "parts")->type, LPC_NULL);
            const char *want = lp_field_str(c, "parse_error");
            ck_assert_msg(same_set_text(err, want), "%s: got \"%s\" want \"%s\"", name, err, want);
            ck_assert_uint_eq(parts.nfields, 0);
        }
        free(m);
    }
    lpc_free(doc);
}
END_TEST

/* Every vector that create_binding_message can produce: parse_ok cases whose
 * parts hold all five fields in the canonical order with a plain decimal
 * netuid, plus the pipe-in-chain case (built with chain "wss://a|b"). */
START_TEST(create_every_vector)
{
    lpc_value *doc = lp_load_json_vector(BIND_VEC);
    const lpc_value *cases = lp_field(doc, "binding_messages");
    size_t created = 0;
    lpc_buf out = {0};
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        const lpc_value *p = lp_field(c, "parts");
        lpc_strview chain, pub, code, ver;
        int64_t netuid;
        if (strcmp(name, "pipe_in_chain_breaks_parse") == 0) {
            chain = sv("wss://a|b");
            pub = sv("abababababababababababababababababababababababababababababababab");
            code = sv("cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
            ver = sv("1");
            netuid = 71;
        } else {
            static const char *const canon[5] = { "netuid", "chain", "enclave_pubkey",
                                                  "validator_code_hash", "version" };
            if (p->type != LPC_OBJECT || p->u.o.n != 5) continue;
            int in_order = 1;
            for (size_t j = 0; j < 5; j++)
                if (strcmp(p->u.o.items[j].key, canon[j])) in_order = 0;
            if (!in_order) continue;
            lpc_strview nu = field_sv(p, "netuid");
            if (lpc_py_int_parse(nu.ptr, nu.len, &netuid) != LPC_OK) continue;
            char canon_nu[32];
            snprintf(canon_nu, sizeof canon_nu, "%lld", (long long)netuid);
            if (strlen(canon_nu) != nu.len || memcmp(canon_nu, nu.ptr, nu.len)) continue;
            chain = field_sv(p, "chain");
            pub = field_sv(p, "enclave_pubkey");
            code = field_sv(p, "validator_code_hash");
            ver = field_sv(p, "version");
        }
        size_t wl;
        uint8_t *want = lp_unhex(lp_field_str(c, "message_utf8_hex"), &wl);
        out.len = 0;
        ck_assert_int_eq(lpc_binding_create(netuid, chain, pub, code, &ver, &out), LPC_OK);
        ck_assert_msg(out.len == wl && memcmp(out.ptr, want, wl) == 0, "%s: %.*s", name,
                      (int)out.len, (const char *)out.ptr);
        /* version "1" is the default. */
        if (ver.len == 1 && ver.ptr[0] == '1') {
            out.len = 0;
            ck_assert_int_eq(lpc_binding_create(netuid, chain, pub, code, NULL, &out), LPC_OK);
            ck_assert(out.len == wl && memcmp(out.ptr, want, wl) == 0);
        }
        free(want);
        created++;
    }
    ck_assert_uint_eq(created, 5);   /* default, explicit, docstring, pipe, equals */
    lpc_buf_free(&out);
    lpc_free(doc);
}
END_TEST

static lpc_binding_parts parse_ok(const char *msg)
{
    lpc_binding_parts p;
    char err[LPC_BINDING_ERR_MAX];
    ck_assert_msg(lpc_binding_parse(msg, strlen(msg), &p, err) == LPC_OK, "%s: %s", msg, err);
    return p;
}

/* binding_field_checks: mismatching netuid or chain is rejected before the
 * signature step (both false in the vector); matching fields pass. */
START_TEST(field_checks_vector)
{
    lpc_value *doc = lp_load_json_vector(BIND_VEC);
    const lpc_value *fc = lp_field(doc, "binding_field_checks");
    const lpc_value *cases = lp_field(doc, "binding_messages");
    const lpc_value *c = lpc_at(cases, 0);
    ck_assert_str_eq(lp_field_str(c, "name"), "default_version");
    const lpc_value *msg = lp_field(c, "message");
    const lpc_value *p = lp_field(c, "parts");
    lpc_binding_parts parts;
    char err[LPC_BINDING_ERR_MAX];
    ck_assert_int_eq(lpc_binding_parse(msg->u.s.ptr, msg->u.s.len, &parts, err), LPC_OK);
    lpc_strview chain = field_sv(p, "chain"), pub = field_sv(p, "enclave_pubkey"),
                code = field_sv(p, "validator_code_hash");

    ck_assert_int_eq(lpc_binding_check_fields(&parts, 71, chain, pub, code, err), LPC_OK);
    ck_assert_str_eq(err, "");

    lpc_err e = lpc_binding_check_fields(&parts, 72, chain, pub, code, err);
    ck_assert_int_eq(e == LPC_OK, lp_field(fc, "mismatch_netuid")->u.b);
    ck_assert_int_eq(e, LPC_ERR_BINDING);
    ck_assert_str_eq(err, "netuid mismatch: message has '71', expected 72");

    e = lpc_binding_check_fields(&parts, 71, sv("wss://test.finney.opentensor.ai:443"), pub, code, err);
    ck_assert_int_eq(e == LPC_OK, lp_field(fc, "mismatch_chain")->u.b);
    ck_assert_int_eq(e, LPC_ERR_BINDING);
    ck_assert_str_eq(err, "chain mismatch");

    /* pubkey and code hash: exact string comparison (case matters). */
    lpc_strview upper = sv("ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB");
    ck_assert_int_eq(lpc_binding_check_fields(&parts, 71, chain, upper, code, err), LPC_ERR_BINDING);
    ck_assert_str_eq(err, "enclave_pubkey mismatch");
    lpc_strview shorter = { code.ptr, code.len - 1 };
    ck_assert_int_eq(lpc_binding_check_fields(&parts, 71, chain, pub, shorter, err), LPC_ERR_BINDING);
    ck_assert_str_eq(err, "validator_code_hash mismatch");

    /* netuid_with_leading_zero: int("071") == 71. */
    const lpc_value *lz = lpc_at(cases, 12);
    ck_assert_str_eq(lp_field_str(lz, "name"), "netuid_with_leading_zero");
    lpc_binding_parts p2 = parse_ok(lp_field_str(lz, "message"));
    ck_assert_int_eq(lpc_binding_check_fields(&p2, 71, sv("x"), sv("abc"), sv("def"), err), LPC_OK);
    ck_assert_int_eq(lpc_binding_check_fields(&p2, 71, sv("x"), sv("abc"), sv("de"), err), LPC_ERR_BINDING);
    lpc_free(doc);
}
END_TEST

#define P LPC_BINDING_PREFIX

/* Expected texts from python3 running binding.py's parse logic verbatim. */
START_TEST(parse_own_negative_cases)
{
    static const struct { const char *msg; const char *err; } cases[] = {
        { "", "Invalid prefix: expected " P },
        { "|" P, "Invalid prefix: expected " P },
        { P "x|netuid=1", "Invalid prefix: expected " P },
        { "leadpoet_validator_binding|netuid=1", "Invalid prefix: expected " P },
        { P "|a=1|a=2|bad", "Duplicate key: a" },
        { P "|version=1|version=2", "Duplicate key: version" },
        { P "|netuid=1|bad|netuid=1", "Malformed token (no '='): bad" },
        { P "|it's=1|chain=x", "Unknown keys: {\"it's\"}" },
        { P "|a\tb=1", "Unknown keys: {'a\\tb'}" },
        { P "|netuid=1|=x|chain=2", "Unknown keys: {''}" },
        { P "|x\\y=1", "Unknown keys: {'x\\\\y'}" },
        { P "|a\"b'c=1", "Unknown keys: {'a\"b\\'c'}" },
        { P "|\x7f\xc2\x80\xc2\xa0\xc2\xad\xc3\xa9=1", "Unknown keys: {'\\x7f\\x80\\xa0\\xad\xc3\xa9'}" },
        { P "|NETUID=71|chain=x|enclave_pubkey=a|validator_code_hash=b", "Unknown keys: {'NETUID'}" },
        { P "|netuid=71|chain=x|enclave_pubkey=a|validator_code_hash=b| version=1",
          "Unknown keys: {' version'}" },
        { P "|netuid=1", "Missing required keys: {'chain', 'enclave_pubkey', 'validator_code_hash'}" },
        { P, "Missing required keys: {'netuid', 'chain', 'enclave_pubkey', 'validator_code_hash'}" },
        { P "|", "Malformed token (no '='): " },
        { P "||netuid=1", "Malformed token (no '='): " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lpc_binding_parts p;
        char err[LPC_BINDING_ERR_MAX];
        lpc_err e = lpc_binding_parse(cases[i].msg, strlen(cases[i].msg), &p, err);
        ck_assert_msg(e == LPC_ERR_BINDING, "case %zu: %s", i, lpc_strerror(e));
        ck_assert_msg(same_set_text(err, cases[i].err), "case %zu: got \"%s\" want \"%s\"",
                      i, err, cases[i].err);
        ck_assert_uint_eq(p.nfields, 0);
        ck_assert_ptr_null(p.field[LPC_BIND_NETUID].ptr);
    }
    /* Empty values and '=' inside a value are accepted (split at the first '='). */
    lpc_binding_parts p = parse_ok(P "|netuid=1|chain==|enclave_pubkey=|validator_code_hash=");
    ck_assert_uint_eq(p.field[LPC_BIND_CHAIN].len, 1);
    ck_assert_int_eq(p.field[LPC_BIND_CHAIN].ptr[0], '=');
    ck_assert_uint_eq(p.field[LPC_BIND_ENCLAVE_PUBKEY].len, 0);
    ck_assert_ptr_nonnull(p.field[LPC_BIND_ENCLAVE_PUBKEY].ptr);
    ck_assert_ptr_null(p.field[LPC_BIND_VERSION].ptr);
}
END_TEST

START_TEST(parse_rejects_bad_bytes)
{
    lpc_binding_parts p;
    char err[LPC_BINDING_ERR_MAX];
    static const char *const bad[] = {
        P "|netuid=71|chain=\xff|enclave_pubkey=a|validator_code_hash=b",        /* invalid byte */
        P "|netuid=71|chain=\xc0\xbc|enclave_pubkey=a|validator_code_hash=b",    /* overlong */
        P "|netuid=71|chain=\xed\xa0\x80|enclave_pubkey=a|validator_code_hash=b",/* lone surrogate */
        P "|netuid=71|chain=\xe2\x82|enclave_pubkey=a|validator_code_hash=b",    /* truncated */
        P "|netuid=71|chain=\xf4\x90\x80\x80|enclave_pubkey=a|validator_code_hash=b", /* > U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(lpc_binding_parse(bad[i], strlen(bad[i]), &p, err), LPC_ERR_UTF8);
        ck_assert_uint_eq(p.nfields, 0);
    }
    /* NUL inside a value is a character like any other (Python str). */
    static const char nul[] = P "|netuid=71|chain=a\0b|enclave_pubkey=a|validator_code_hash=b";
    ck_assert_int_eq(lpc_binding_parse(nul, sizeof nul - 1, &p, err), LPC_OK);
    ck_assert_uint_eq(p.field[LPC_BIND_CHAIN].len, 3);

    /* Size cap. */
    size_t big = LPC_BINDING_MAX_LEN + 1;
    char *m = malloc(big);
    ck_assert_ptr_nonnull(m);
    memset(m, 'a', big);
    ck_assert_int_eq(lpc_binding_parse(m, big, &p, err), LPC_ERR_TOO_LARGE);
    /* Many tokens within the cap: bounded work, and a clean verdict. */
    size_t n = LPC_BINDING_MAX_LEN;
    memcpy(m, P, strlen(P));
    for (size_t i = strlen(P); i + 1 < n; i += 2) { m[i] = '|'; m[i + 1] = '='; }
    ck_assert_int_eq(lpc_binding_parse(m, n - (n - strlen(P)) % 2, &p, err), LPC_ERR_BINDING);
    ck_assert_str_eq(err, "Duplicate key: ");
    free(m);
    ck_assert_int_eq(lpc_binding_parse(NULL, 3, &p, err), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_binding_parse("x", 1, NULL, err), LPC_ERR_ARG);
}
END_TEST

START_TEST(create_rejects)
{
    lpc_buf out = {0};
    ck_assert_int_eq(lpc_buf_append(&out, "keep", 4), LPC_OK);
    ck_assert_int_eq(lpc_binding_create(71, sv("\xff"), sv("a"), sv("b"), NULL, &out), LPC_ERR_UTF8);
    char *big = malloc(LPC_BINDING_MAX_LEN);
    ck_assert_ptr_nonnull(big);
    memset(big, 'c', LPC_BINDING_MAX_LEN);
    lpc_strview bv = { big, LPC_BINDING_MAX_LEN - 50 };   /* total 4138 bytes */
    ck_assert_int_eq(lpc_binding_create(71, bv, sv("a"), sv("b"), NULL, &out), LPC_ERR_TOO_LARGE);
    ck_assert_uint_eq(out.len, 4);
    lpc_strview nullv = { NULL, 3 };
    ck_assert_int_eq(lpc_binding_create(71, nullv, sv("a"), sv("b"), NULL, &out), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_binding_create(71, sv("x"), sv("a"), sv("b"), NULL, NULL), LPC_ERR_ARG);
    /* Appends after existing content; negative netuid prints like Python. */
    ck_assert_int_eq(lpc_binding_create(-5, sv("x"), sv("a"), sv("b"), NULL, &out), LPC_OK);
    const char *want = "keep" P "|netuid=-5|chain=x|enclave_pubkey=a|validator_code_hash=b|version=1";
    ck_assert(out.len == strlen(want) && memcmp(out.ptr, want, out.len) == 0);
    free(big);
    lpc_buf_free(&out);
}
END_TEST

/* Python int(s) verdicts from python3 3.11. */
START_TEST(py_int_semantics)
{
    static const struct { const char *s; lpc_err e; int64_t v; } cases[] = {
        { "071", LPC_OK, 71 }, { " 71 ", LPC_OK, 71 }, { "7_1", LPC_OK, 71 },
        { "+71", LPC_OK, 71 }, { "-71", LPC_OK, -71 }, { "0_0_71", LPC_OK, 71 },
        { "\t\n\v\f\r71\r\n", LPC_OK, 71 }, { "-0", LPC_OK, 0 },
        { "\xd9\xa7\xd9\xa1", LPC_OK, 71 },                   /* U+0667 U+0661 */
        { "\xe2\x80\x80" "71\xe3\x80\x80", LPC_OK, 71 },      /* U+2000, U+3000 */
        { "\xc2\x85" "71", LPC_OK, 71 },                      /* U+0085 */
        { "\xf0\x9d\x9f\x95\xf0\x9d\x9f\x8f", LPC_OK, 71 },   /* U+1D7D5 U+1D7CF */
        { "\xef\xbc\x97\xef\xbc\x91", LPC_OK, 71 },           /* fullwidth 7 1 */
        { "9223372036854775807", LPC_OK, INT64_MAX },
        { "-9223372036854775808", LPC_OK, INT64_MIN },
        { "9223372036854775808", LPC_ERR_RANGE, 0 },
        { "-9223372036854775809", LPC_ERR_RANGE, 0 },
        { "99999999999999999999999", LPC_ERR_RANGE, 0 },
        { "7__1", LPC_ERR_SYNTAX, 0 }, { "_71", LPC_ERR_SYNTAX, 0 }, { "71_", LPC_ERR_SYNTAX, 0 },
        { "", LPC_ERR_SYNTAX, 0 }, { "   ", LPC_ERR_SYNTAX, 0 }, { "0x47", LPC_ERR_SYNTAX, 0 },
        { "+ 71", LPC_ERR_SYNTAX, 0 }, { "+_71", LPC_ERR_SYNTAX, 0 }, { "--71", LPC_ERR_SYNTAX, 0 },
        { "7 1", LPC_ERR_SYNTAX, 0 }, { "71.0", LPC_ERR_SYNTAX, 0 }, { "1e2", LPC_ERR_SYNTAX, 0 },
        { "\x1c" "71\x1f", LPC_ERR_SYNTAX, 0 },               /* isspace() but not in int() */
        { "\xef\xbb\xbf" "71", LPC_ERR_SYNTAX, 0 },           /* U+FEFF */
        { "\xc2\xb2", LPC_ERR_SYNTAX, 0 },                    /* superscript two: not Nd */
        { "71\x7f", LPC_ERR_SYNTAX, 0 }, { "-", LPC_ERR_SYNTAX, 0 }, { "71 _", LPC_ERR_SYNTAX, 0 },
        { "\xff", LPC_ERR_UTF8, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 12345;
        lpc_err e = lpc_py_int_parse(cases[i].s, strlen(cases[i].s), &v);
        ck_assert_msg(e == cases[i].e, "case %zu \"%s\": %s", i, cases[i].s, lpc_strerror(e));
        if (e == LPC_OK) ck_assert_int_eq(v, cases[i].v);
    }
    static const char nul[] = "71\0";
    int64_t v;
    ck_assert_int_eq(lpc_py_int_parse(nul, 3, &v), LPC_ERR_SYNTAX);
    /* 4300 digits pass, 4301 raise (CPython's int_max_str_digits). */
    char *d = malloc(4302 * 2);
    ck_assert_ptr_nonnull(d);
    memset(d, '0', 4301);
    d[4299] = '7';
    ck_assert_int_eq(lpc_py_int_parse(d, 4300, &v), LPC_OK);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(lpc_py_int_parse(d, 4301, &v), LPC_ERR_INT_DIGITS);
    for (size_t i = 0; i < 4301; i++) { d[2 * i] = '1'; d[2 * i + 1] = '_'; }
    ck_assert_int_eq(lpc_py_int_parse(d, 2 * 4300 - 1, &v), LPC_ERR_RANGE);      /* 4300 digits */
    ck_assert_int_eq(lpc_py_int_parse(d, 2 * 4301 - 1, &v), LPC_ERR_INT_DIGITS); /* 4301 digits */
    free(d);
    ck_assert_int_eq(lpc_py_int_parse("1", 1, NULL), LPC_ERR_ARG);
}
END_TEST

START_TEST(check_fields_netuid_forms)
{
    char err[LPC_BINDING_ERR_MAX];
    lpc_binding_parts p = parse_ok(P "|netuid= +0_71\xe3\x80\x80|chain=x|enclave_pubkey=a|validator_code_hash=b");
    ck_assert_int_eq(lpc_binding_check_fields(&p, 71, sv("x"), sv("a"), sv("b"), err), LPC_OK);
    p = parse_ok(P "|netuid=71.0|chain=x|enclave_pubkey=a|validator_code_hash=b");
    ck_assert_int_eq(lpc_binding_check_fields(&p, 71, sv("x"), sv("a"), sv("b"), err), LPC_ERR_BINDING);
    ck_assert_str_eq(err, "netuid is not an integer: '71.0'");
    p = parse_ok(P "|netuid=18446744073709551687|chain=x|enclave_pubkey=a|validator_code_hash=b");
    ck_assert_int_eq(lpc_binding_check_fields(&p, 71, sv("x"), sv("a"), sv("b"), err), LPC_ERR_BINDING);
    p = parse_ok(P "|netuid=|chain=x|enclave_pubkey=a|validator_code_hash=b");
    ck_assert_int_eq(lpc_binding_check_fields(&p, 0, sv("x"), sv("a"), sv("b"), err), LPC_ERR_BINDING);
    /* Parts that did not come from a successful parse are refused. */
    lpc_binding_parts empty;
    memset(&empty, 0, sizeof empty);
    ck_assert_int_eq(lpc_binding_check_fields(&empty, 71, sv("x"), sv("a"), sv("b"), err), LPC_ERR_BINDING);
    ck_assert_int_eq(lpc_binding_check_fields(NULL, 71, sv("x"), sv("a"), sv("b"), err), LPC_ERR_ARG);
}
END_TEST

static Suite *binding_suite(void)
{
    Suite *s = suite_create("binding");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, parse_every_vector);
    tcase_add_test(tc, create_every_vector);
    tcase_add_test(tc, field_checks_vector);
    tcase_add_test(tc, parse_own_negative_cases);
    tcase_add_test(tc, parse_rejects_bad_bytes);
    tcase_add_test(tc, create_rejects);
    tcase_add_test(tc, py_int_semantics);
    tcase_add_test(tc, check_fields_netuid_forms);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(binding_suite)
