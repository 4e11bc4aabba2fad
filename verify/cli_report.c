/* The report layer (cli_report.h). */
#include "verify/cli_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"
#include "canonical/lpc_utf8.h"

#define LINE_MAX_BYTES 2048   /* one human line or warning, before escaping */
#define SAFE_MAX       4096   /* one escaped line */

void lp_report_init(lp_report *r, const char *tool, int json)
{
    memset(r, 0, sizeof *r);
    r->tool = tool;
    r->json = json;
    r->text_report = 1;
}

void lp_report_free(lp_report *r)
{
    for (size_t i = 0; i < r->n_members; i++) {
        free(r->members[i].key);
        lpc_buf_free(&r->members[i].json);
    }
    free(r->members);
    lp_checks_free(&r->checks);
    lpc_buf_free(&r->warnings);
    lpc_buf_free(&r->warn_text);
    r->members = NULL;
    r->n_members = r->cap_members = 0;
}

/* ---- encoders ---- */

/* WTF-8 copy of s into w: valid sequences as they are (lone surrogates too: text from
 * parsed JSON is WTF-8), each other byte b as U+DC00+b (surrogateescape), which
 * lpc_dump_string writes as \udcXX. */
static lpc_err surrogateescape(const char *s, size_t n, lpc_buf *w)
{
    const uint8_t *p = (const uint8_t *)s;
    lpc_err e = lpc_buf_reserve(w, 3 * n + 1);
    for (size_t i = 0; e == LPC_OK && i < n;) {
        size_t k = lpc_utf8_next(p + i, n - i, LPC_UTF8_SURROGATES, NULL);
        uint8_t enc[4];
        if (k) {
            e = lpc_buf_append(w, p + i, k);
            i += k;
        } else {
            e = lpc_buf_append(w, enc, lpc_utf8_put(0xDC00u | p[i], enc));
            i++;
        }
    }
    return e;
}

lpc_err lp_json_bytes(lpc_buf *out, const char *s, size_t n)
{
    /* lpc_dump_string refuses (LPC_ERR_UTF8, out unchanged) exactly the text
     * lpc_utf8_valid(LPC_UTF8_SURROGATES) refuses: valid text is written in one pass */
    lpc_err d = lpc_dump_string(n ? s : "", n, 1, out);
    if (d != LPC_ERR_UTF8) return d;
    lpc_buf w = {0};
    lpc_err e = surrogateescape(s, n, &w);
    if (e == LPC_OK) e = lpc_dump_string((const char *)w.ptr, w.len, 1, out);
    lpc_buf_free(&w);
    return e;
}

lpc_value *lp_json_str(const char *s, size_t n)
{
    /* keep valid text as it is; escape the rest the way lp_json_bytes does */
    if (lpc_utf8_valid((const uint8_t *)s, n, LPC_UTF8_SURROGATES, NULL)) return lpc_new_str(s, n);
    lpc_buf w = {0};
    lpc_value *v = surrogateescape(s, n, &w) == LPC_OK ? lpc_new_str((const char *)w.ptr, w.len) : NULL;
    lpc_buf_free(&w);
    return v;
}

const char *lp_safe_text(const char *s, size_t n, char *buf, size_t cap)
{
    static const char hexd[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[4];
        size_t k;
        if (c == '\\') {
            tmp[0] = tmp[1] = '\\';
            k = 2;
        } else if (c >= 0x20 && c < 0x7f) {
            tmp[0] = (char)c;
            k = 1;
        } else {
            tmp[0] = '\\';
            tmp[1] = 'x';
            tmp[2] = hexd[c >> 4];
            tmp[3] = hexd[c & 15];
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

/* ---- members ---- */

static lp_report_member *member_slot(lp_report *r, const char *key)
{
    for (size_t i = 0; i < r->n_members; i++)
        if (strcmp(r->members[i].key, key) == 0) {
            lpc_buf_free(&r->members[i].json);
            return &r->members[i];
        }
    if (r->n_members == r->cap_members) {
        size_t nc = r->cap_members ? 2 * r->cap_members : 16;
        lp_report_member *m = realloc(r->members, nc * sizeof *m);
        if (!m) return NULL;
        r->members = m;
        r->cap_members = nc;
    }
    lp_report_member *m = &r->members[r->n_members];
    size_t kl = strlen(key);
    m->key = malloc(kl + 1);
    if (!m->key) return NULL;
    memcpy(m->key, key, kl + 1);
    memset(&m->json, 0, sizeof m->json);
    r->n_members++;
    return m;
}

void lp_report_put_json(lp_report *r, const char *key, lpc_buf *json)
{
    lp_report_member *m = member_slot(r, key);
    if (!m) {
        r->oom = 1;
        lpc_buf_free(json);
        return;
    }
    m->json = *json;
    memset(json, 0, sizeof *json);
}

void lp_report_put(lp_report *r, const char *key, lpc_value *v)
{
    lpc_buf b = {0};
    if (!v || lpc_dump(v, LPC_PROFILE_CS_A, &b) != LPC_OK) {
        r->oom = 1;
        lpc_free(v);
        lpc_buf_free(&b);
        return;
    }
    lpc_free(v);
    lp_report_put_json(r, key, &b);
}

static void put_literal(lp_report *r, const char *key, const char *text)
{
    lpc_buf b = {0};
    if (lpc_buf_append(&b, text, strlen(text)) != LPC_OK) {
        r->oom = 1;
        return;
    }
    lp_report_put_json(r, key, &b);
}

void lp_report_put_str(lp_report *r, const char *key, const char *s, size_t n)
{
    if (!s) {
        put_literal(r, key, "null");
        return;
    }
    lpc_buf b = {0};
    if (lp_json_bytes(&b, s, n) != LPC_OK) {
        r->oom = 1;
        lpc_buf_free(&b);
        return;
    }
    lp_report_put_json(r, key, &b);
}

void lp_report_put_cstr(lp_report *r, const char *key, const char *s)
{
    lp_report_put_str(r, key, s, s ? strlen(s) : 0);
}

void lp_report_put_int(lp_report *r, const char *key, int64_t v)
{
    char d[LPC_I64_DEC_MAX + 1];
    d[lpc_i64_to_dec(v, d)] = 0;
    put_literal(r, key, d);
}

void lp_report_put_ints(lp_report *r, const char *key, const int64_t *v, size_t n)
{
    lpc_buf b = {0};
    lpc_err e = lpc_buf_append(&b, "[", 1);
    for (size_t i = 0; e == LPC_OK && i < n; i++) {
        char d[LPC_I64_DEC_MAX + 1];
        size_t k = 0;
        if (i)
            d[k++] = ',';
        k += lpc_i64_to_dec(v[i], d + k);
        e = lpc_buf_append(&b, d, k);
    }
    if (e == LPC_OK)
        e = lpc_buf_append(&b, "]", 1);
    if (e != LPC_OK) {
        r->oom = 1;
        lpc_buf_free(&b);
        return;
    }
    lp_report_put_json(r, key, &b);
}

void lp_report_put_bool(lp_report *r, const char *key, int v)
{
    put_literal(r, key, v < 0 ? "null" : v ? "true" : "false");
}

/* ---- lines and warnings ---- */

int lp_report_says(const lp_report *r) { return !r->json && r->text_report; }

void lp_report_say(lp_report *r, const char *fmt, ...)
{
    if (!lp_report_says(r)) return;
    char line[LINE_MAX_BYTES], safe[SAFE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    /* lines go out as they come (a replay may say a million); a write error is
     * caught when the report is finished */
    fputs(lp_safe_text(line, len, safe, sizeof safe), stdout);
    fputc('\n', stdout);
}

void lp_report_warn(lp_report *r, const char *fmt, ...)
{
    char w[LINE_MAX_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w, sizeof w, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof w ? (size_t)n : sizeof w - 1;
    lpc_err e = LPC_OK;
    if (r->warnings.len) e = lpc_buf_append(&r->warnings, ",", 1);
    if (e == LPC_OK) e = lp_json_bytes(&r->warnings, w, len);
    if (e == LPC_OK && r->warn_text.len) e = lpc_buf_append(&r->warn_text, "; ", 2);
    if (e == LPC_OK) e = lpc_buf_append(&r->warn_text, w, len);
    if (e != LPC_OK) r->oom = 1;
}

/* ---- rendering ---- */

static lpc_err put_key(lpc_buf *b, const char *key, int first)
{
    lpc_err e = lpc_buf_append(b, first ? "\"" : ",\"", first ? 1 : 2);
    if (e == LPC_OK) e = lpc_buf_append(b, key, strlen(key));
    if (e == LPC_OK) e = lpc_buf_append(b, "\":", 2);
    return e;
}

#define TRY(x) do { lpc_err e_ = (x); if (e_ != LPC_OK) return e_; } while (0)

int lp_obj_set(lpc_value *o, const char *k, lpc_value *v)
{
    return v && lpc_object_set(o, k, strlen(k), v) == LPC_OK;
}

int lp_arr_push(lpc_value *a, lpc_value *v)
{
    return v && lpc_array_append(a, v) == LPC_OK;
}

lpc_value *lp_checks_value(const lp_checks *c)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; a && i < c->n; i++) {
        const lp_check *k = &c->items[i];
        lpc_value *o = lpc_new_object();
        const char *code = lp_code_name(k->code);
        int ok = o && lp_obj_set(o, "name", lp_json_str(k->name, strlen(k->name))) &&
                 lp_obj_set(o, "ok", lpc_new_bool(k->ok)) &&
                 lp_obj_set(o, "detail", lp_json_str(k->detail, strlen(k->detail))) &&
                 (k->ok || lp_obj_set(o, "code", lpc_new_str(code, strlen(code)))) &&
                 (k->index == LP_NO_INDEX || lp_obj_set(o, "index", lpc_new_int((int64_t)k->index))) &&
                 (!(k->flags & LP_CHECK_WARNING) || lp_obj_set(o, "warning", lpc_new_bool(1)));
        if (!ok || lpc_array_append(a, o) != LPC_OK) {
            if (!ok) lpc_free(o);
            lpc_free(a);
            return NULL;
        }
    }
    return a;
}

typedef struct {
    const char *key;
    int reserved;                 /* 0 member, 1 checks, 2 result, 3 tool, 4 warnings */
    const lp_report_member *m;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static lpc_err write_reserved(lp_report *r, int which, lp_code verdict, lpc_buf *b)
{
    switch (which) {
    case 1: {
        lpc_value *v = lp_checks_value(&r->checks);
        lpc_err e = v ? lpc_dump(v, LPC_PROFILE_CS_A, b) : LPC_ERR_NOMEM;
        lpc_free(v);
        return e;
    }
    case 2: return lp_json_bytes(b, lp_code_name(verdict), strlen(lp_code_name(verdict)));
    case 3: return lp_json_bytes(b, r->tool, strlen(r->tool));
    default:
        TRY(lpc_buf_append(b, "[", 1));
        TRY(lpc_buf_append(b, r->warnings.ptr, r->warnings.len));
        return lpc_buf_append(b, "]", 1);
    }
}

/* The whole object, keys sorted; the reserved keys cannot be overridden by members. */
static lpc_err write_json(lp_report *r, lp_code verdict, lpc_buf *b)
{
    static const char *const reserved[] = {"checks", "result", "tool", "warnings"};
    entry *v = malloc((r->n_members + 4) * sizeof *v);
    if (!v) return LPC_ERR_NOMEM;
    size_t n = 0;
    for (int i = 0; i < 4; i++) v[n++] = (entry){reserved[i], i + 1, NULL};
    for (size_t i = 0; i < r->n_members; i++) {
        int clash = 0;
        for (int k = 0; k < 4; k++) clash |= strcmp(r->members[i].key, reserved[k]) == 0;
        if (!clash) v[n++] = (entry){r->members[i].key, 0, &r->members[i]};
    }
    qsort(v, n, sizeof *v, cmp_entry);
    lpc_err e = lpc_buf_append(b, "{", 1);
    for (size_t i = 0; e == LPC_OK && i < n; i++) {
        e = put_key(b, v[i].key, i == 0);
        if (e == LPC_OK)
            e = v[i].reserved ? write_reserved(r, v[i].reserved, verdict, b)
                              : lpc_buf_append(b, v[i].m->json.ptr, v[i].m->json.len);
    }
    free(v);
    return e == LPC_OK ? lpc_buf_append(b, "}\n", 2) : e;
}

/* 1 when a check's name only repeats its code ("usage" for USAGE): not printed twice. */
static int name_is_code(const lp_check *k)
{
    const char *c = lp_code_name(k->code);
    size_t i = 0;
    for (; k->name[i] && c[i]; i++)
        if (k->name[i] != (c[i] >= 'A' && c[i] <= 'Z' ? c[i] - 'A' + 'a' : c[i])) return 0;
    return !k->name[i] && !c[i];
}

static lpc_err append_safe(lpc_buf *b, const char *s, size_t n)
{
    char buf[SAFE_MAX];
    lp_safe_text(s, n, buf, sizeof buf);
    return lpc_buf_append(b, buf, strlen(buf));
}

static lpc_err write_text(lp_report *r, lp_code verdict, const lp_check *culprit, const char *ok_line, lpc_buf *b)
{
    size_t width = 18;
    for (size_t i = 0; i < r->checks.n; i++) {
        size_t n = strlen(r->checks.items[i].name);
        if (n > width) width = n;
    }
    for (size_t i = 0; i < r->checks.n; i++) {
        const lp_check *k = &r->checks.items[i];
        const char *tag = k->ok ? "ok  " : (k->flags & LP_CHECK_WARNING) ? "warn" : "FAIL";
        TRY(lpc_buf_append(b, "  ", 2));
        TRY(lpc_buf_append(b, tag, 4));
        TRY(lpc_buf_append(b, " ", 1));
        size_t n = strlen(k->name);
        TRY(append_safe(b, k->name, n));
        for (; n < width + 1; n++) TRY(lpc_buf_append(b, " ", 1));
        TRY(append_safe(b, k->detail, strlen(k->detail)));
        TRY(lpc_buf_append(b, "\n", 1));
    }
    if (r->warn_text.len) {
        TRY(lpc_buf_append(b, "warning: ", 9));
        TRY(append_safe(b, (const char *)r->warn_text.ptr, r->warn_text.len));
        TRY(lpc_buf_append(b, "\n", 1));
    }
    if (lp_code_exit(verdict) == LP_EXIT_OK) {
        const char *l = ok_line ? ok_line : "OK";
        TRY(append_safe(b, l, strlen(l)));
    } else {
        const char *cls = lp_code_exit(verdict) == LP_EXIT_FAIL ? "FAILED: " : "UNDECIDED: ";
        TRY(lpc_buf_append(b, cls, strlen(cls)));
        TRY(lpc_buf_append(b, lp_code_name(verdict), strlen(lp_code_name(verdict))));
        if (culprit) {
            TRY(lpc_buf_append(b, ": ", 2));
            if (!name_is_code(culprit)) {
                TRY(append_safe(b, culprit->name, strlen(culprit->name)));
                TRY(lpc_buf_append(b, ": ", 2));
            }
            TRY(append_safe(b, culprit->detail, strlen(culprit->detail)));
        }
    }
    return lpc_buf_append(b, "\n", 1);
}

/* The one stderr line. */
static void write_stderr(const lp_report *r, lp_code verdict, const lp_check *culprit)
{
    char a[SAFE_MAX], d[SAFE_MAX];
    if (lp_code_exit(verdict) == LP_EXIT_OK) {
        if (r->warn_text.len)
            fprintf(stderr, "%s: warning: %s\n", r->tool,
                    lp_safe_text((const char *)r->warn_text.ptr, r->warn_text.len, a, sizeof a));
        return;
    }
    if (culprit)
        fprintf(stderr, "%s: %s: %s%s%s\n", r->tool, lp_code_name(verdict),
                name_is_code(culprit) ? "" : lp_safe_text(culprit->name, strlen(culprit->name), a, sizeof a),
                name_is_code(culprit) ? "" : ": ", lp_safe_text(culprit->detail, strlen(culprit->detail), d, sizeof d));
    else
        fprintf(stderr, "%s: %s: %s\n", r->tool, lp_code_name(verdict), lp_code_text(verdict));
}

void lp_report_stop(lp_report *r, const lp_check *why)
{
    if (!why || why->code == LP_CODE_OK) return;
    r->stop = *why;
    r->stopped = 1;
}

int lp_report_finish(lp_report *r, const char *ok_line)
{
    lp_code verdict = lp_checks_verdict(&r->checks);
    const lp_check *culprit = lp_checks_culprit(&r->checks);
    if (r->stopped) {
        verdict = r->stop.code;
        culprit = &r->stop;
    }
    if (r->oom) {
        verdict = LP_CODE_OUT_OF_MEMORY;
        culprit = NULL;
    }
    if (verdict == LP_CODE_OK && r->ok_code != LP_CODE_OK && lp_code_exit(r->ok_code) == LP_EXIT_OK) verdict = r->ok_code;
    lpc_buf out = {0};
    lpc_err e = r->json ? write_json(r, verdict, &out)
              : r->text_report ? write_text(r, verdict, culprit, ok_line, &out) : LPC_OK;
    if (e != LPC_OK && r->json) {
        /* the report could not be built (no memory, or over LPC_JSON_MAX_OUTPUT): still
         * one object naming why */
        static const char head[] = "{\"checks\":[],\"result\":\"", mid[] = "\",\"tool\":\"",
                          tail[] = "\",\"warnings\":[]}\n";
        verdict = e == LPC_ERR_NOMEM ? LP_CODE_OUT_OF_MEMORY : LP_CODE_OUTPUT_ERROR;
        culprit = NULL;
        const char *name = lp_code_name(verdict);
        lpc_buf_free(&out);
        if (lpc_buf_append(&out, head, sizeof head - 1) == LPC_OK &&
            lpc_buf_append(&out, name, strlen(name)) == LPC_OK && lpc_buf_append(&out, mid, sizeof mid - 1) == LPC_OK &&
            lpc_buf_append(&out, r->tool, strlen(r->tool)) == LPC_OK && lpc_buf_append(&out, tail, sizeof tail - 1) == LPC_OK)
            e = LPC_OK;
    }
    int status = (int)lp_code_exit(verdict);
    if (e != LPC_OK || (out.len && fwrite(out.ptr, 1, out.len, stdout) != out.len) || fflush(stdout) != 0 || ferror(stdout)) {
        verdict = LP_CODE_OUTPUT_ERROR;
        culprit = NULL;
        status = LP_EXIT_UNDECIDED;
    }
    write_stderr(r, verdict, culprit);
    lpc_buf_free(&out);
    lp_report_free(r);
    return status;
}

int lp_report_fail(lp_report *r, lp_code code, const char *name, const char *fmt, ...)
{
    char d[LP_CHECK_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    if (!lp_check_add(&r->checks, name, code, "%s", d)) r->oom = 1;
    return lp_report_finish(r, NULL);
}
