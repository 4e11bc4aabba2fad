#include "tests/lp_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "canonical/lpc_hash.h"

uint8_t *lp_read_vector(const char *rel, size_t *len)
{
    const char *dir = getenv("LP_VECTORS");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "vectors", rel);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open vector %s", path);
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    ck_assert_msg(!ferror(f), "read error on %s", path);
    fclose(f);
    *len = n;
    return buf;
}

lpc_value *lp_load_json_vector(const char *rel)
{
    size_t n, off = 0;
    uint8_t *buf = lp_read_vector(rel, &n);
    lpc_value *v = NULL;
    lpc_err e = lpc_parse(buf, n, &v, &off);
    free(buf);
    ck_assert_msg(e == LPC_OK, "parse %s: %s at %zu", rel, lpc_strerror(e), off);
    return v;
}

const lpc_value *lp_field(const lpc_value *obj, const char *key)
{
    const lpc_value *v = lpc_get(obj, key);
    ck_assert_msg(v != NULL, "vector field '%s' missing", key);
    return v;
}

const char *lp_field_str(const lpc_value *obj, const char *key)
{
    const lpc_value *v = lp_field(obj, key);
    ck_assert_msg(v->type == LPC_STR, "vector field '%s' not a string", key);
    return v->u.s.ptr;
}

int64_t lp_field_i64(const lpc_value *obj, const char *key)
{
    int64_t x = 0;
    ck_assert_msg(lpc_int_i64(lp_field(obj, key), &x), "vector field '%s' not an int", key);
    return x;
}

uint8_t *lp_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *out = malloc(n / 2 + 1);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(lpc_hex_decode(hex, n, out, n / 2 + 1, len) == LPC_OK, "bad hex in vector");
    return out;
}

int lp_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
