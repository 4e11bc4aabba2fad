#include "verify/cli_report.h"

#include <stdarg.h>
#include <string.h>

void lp_report_init(lp_report *r)
{
    r->oom = 0;
    r->root = lpc_new_object();
    r->checks = lpc_new_array();
    if (!r->root || !r->checks) {
        r->oom = 1;
        lpc_free(r->checks);
        r->checks = NULL;
        return;
    }
    if (lpc_object_set(r->root, "checks", 6, r->checks) != LPC_OK) {
        r->checks = NULL;
        r->oom = 1;
    }
}

void lp_put(lp_report *r, lpc_value *obj, const char *key, lpc_value *v)
{
    if (!v || !obj) {
        lpc_free(v);
        r->oom = 1;
        return;
    }
    if (lpc_object_set(obj, key, strlen(key), v) != LPC_OK)
        r->oom = 1;
}

void lp_push(lp_report *r, lpc_value *arr, lpc_value *v)
{
    if (!v || !arr) {
        lpc_free(v);
        r->oom = 1;
        return;
    }
    if (lpc_array_append(arr, v) != LPC_OK)
        r->oom = 1;
}

lpc_value *lp_str(const char *s) { return lpc_new_str(s, strlen(s)); }
lpc_value *lp_strn(const char *s, size_t n) { return lpc_new_str(s, n); }
lpc_value *lp_bool_or_null(int v) { return v < 0 ? lpc_new_null() : lpc_new_bool(v != 0); }

void lp_report_check(lp_report *r, const char *name, int ok, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    lpc_value *c = lpc_new_object();
    lp_put(r, c, "name", lp_str(name));
    lp_put(r, c, "ok", lpc_new_bool(ok));
    lp_put(r, c, "detail", lp_str(detail));
    lp_push(r, r->checks, c);
}

void lp_report_free(lp_report *r)
{
    lpc_free(r->root);
    r->root = r->checks = NULL;
}

int lp_report_print(lp_report *r, const char *result, FILE *f)
{
    lp_put(r, r->root, "result", lp_str(result));
    int rc = -1;
    lpc_buf b = {0};
    if (!r->oom && r->root && lpc_dump(r->root, LPC_PROFILE_CS_A, &b) == LPC_OK &&
        lpc_buf_append(&b, "\n", 1) == LPC_OK &&
        fwrite(b.ptr, 1, b.len, f) == b.len && fflush(f) == 0)
        rc = 0;
    lpc_buf_free(&b);
    lp_report_free(r);
    return rc;
}

const char *lp_safe(const char *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[5];
        size_t k;
        if (c == '\\') {
            tmp[0] = tmp[1] = '\\';
            k = 2;
        } else if (c >= 0x20 && c < 0x7f) {
            tmp[0] = (char)c;
            k = 1;
        } else {
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
            k = 4;
        }
        if (o + k + 4 > cap) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, tmp, k);
        o += k;
    }
    buf[o] = 0;
    return buf;
}
