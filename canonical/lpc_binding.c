/* Validator binding message (spec §11).  See lpc_binding.h. */
#include "canonical/lpc_binding.h"
#include "canonical/lpc_python.h"

#include <stdio.h>
#include <string.h>

#include "canonical/lpc_utf8.h"

static const char *const field_names[LPC_BIND_NFIELDS] = {
    "netuid", "chain", "enclave_pubkey", "validator_code_hash", "version"
};

const char *lpc_binding_field_name(lpc_binding_field f)
{
    return (unsigned)f < LPC_BIND_NFIELDS ? field_names[f] : "?";
}

/* ---- bounded text builder for error messages --------------------------- */

typedef struct { char *p; size_t len, cap; } tbuf;   /* cap includes the NUL */

static void tb_put(tbuf *t, const char *s, size_t n)
{
    if (!t->p) return;
    size_t room = t->cap - 1 - t->len;
    if (n > room) n = room;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void tb_str(tbuf *t, const char *s) { tb_put(t, s, strlen(s)); }

/* repr(str) of a UTF-8 key, see the header for the non-ASCII rule. */
static void tb_repr(tbuf *t, const char *s, size_t len)
{
    int has_sq = memchr(s, '\'', len) != NULL, has_dq = memchr(s, '"', len) != NULL;
    char q = (has_sq && !has_dq) ? '"' : '\'';
    const unsigned char *p = (const unsigned char *)s;
    char esc[12];
    tb_put(t, &q, 1);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = lpc_utf8_next(p + i, len - i, 0, &c);
        if (!n) { c = p[i]; n = 1; }       /* not reached: input validated */
        if (c == (uint32_t)q || c == '\\') {
            esc[0] = '\\'; esc[1] = (char)c; tb_put(t, esc, 2);
        } else if (c == '\t') { tb_put(t, "\\t", 2);
        } else if (c == '\n') { tb_put(t, "\\n", 2);
        } else if (c == '\r') { tb_put(t, "\\r", 2);
        } else if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
            tb_put(t, esc, 4);
        } else {
            tb_put(t, s + i, n);
        }
        i += n;
    }
    tb_put(t, &q, 1);
}

/* ---- create ------------------------------------------------------------ */

lpc_err lpc_binding_create(int64_t netuid, lpc_strview chain, lpc_strview enclave_pubkey,
                           lpc_strview validator_code_hash, const lpc_strview *version,
                           lpc_buf *out)
{
    static const lpc_strview dflt = { LPC_BINDING_DEFAULT_VERSION, 1 };
    const lpc_strview *ver = version ? version : &dflt;
    const lpc_strview *vals[4] = { &chain, &enclave_pubkey, &validator_code_hash, ver };
    if (!out) return LPC_ERR_ARG;
    for (int i = 0; i < 4; i++) {
        if (vals[i]->len && !vals[i]->ptr) return LPC_ERR_ARG;
        if (vals[i]->len > LPC_BINDING_MAX_LEN) return LPC_ERR_TOO_LARGE;
        if (!lpc_utf8_valid((const uint8_t *)vals[i]->ptr, vals[i]->len, 0, NULL)) return LPC_ERR_UTF8;
    }
    char head[96];
    int hl = snprintf(head, sizeof head, "%s|netuid=%lld|chain=", LPC_BINDING_PREFIX,
                      (long long)netuid);
    if (hl < 0 || (size_t)hl >= sizeof head) return LPC_ERR_ARG;
    size_t msg_len = (size_t)hl + chain.len + strlen("|enclave_pubkey=") + enclave_pubkey.len +
                     strlen("|validator_code_hash=") + validator_code_hash.len +
                     strlen("|version=") + ver->len;
    if (msg_len > LPC_BINDING_MAX_LEN) return LPC_ERR_TOO_LARGE;

    size_t start = out->len;
    lpc_err e = lpc_buf_append(out, head, (size_t)hl);
    if (e == LPC_OK) e = lpc_buf_append(out, chain.ptr, chain.len);
    if (e == LPC_OK) e = lpc_buf_append(out, "|enclave_pubkey=", 16);
    if (e == LPC_OK) e = lpc_buf_append(out, enclave_pubkey.ptr, enclave_pubkey.len);
    if (e == LPC_OK) e = lpc_buf_append(out, "|validator_code_hash=", 21);
    if (e == LPC_OK) e = lpc_buf_append(out, validator_code_hash.ptr, validator_code_hash.len);
    if (e == LPC_OK) e = lpc_buf_append(out, "|version=", 9);
    if (e == LPC_OK) e = lpc_buf_append(out, ver->ptr, ver->len);
    if (e != LPC_OK) out->len = start;
    return e;
}

/* ---- parse ------------------------------------------------------------- */

/* Token i >= 1 of msg split on '|': [*tb, *te).  Returns 0 past the end. */
typedef struct { const char *s; size_t len, pos; int done; } tokiter;

static int tok_next(tokiter *it, const char **tb, size_t *tl)
{
    if (it->done) return 0;
    const char *start = it->s + it->pos;
    const char *bar = memchr(start, '|', it->len - it->pos);
    if (bar) {
        *tb = start; *tl = (size_t)(bar - start);
        it->pos += *tl + 1;
    } else {
        *tb = start; *tl = it->len - it->pos;
        it->done = 1;
    }
    return 1;
}

static int field_of(const char *k, size_t kl)
{
    for (int f = 0; f < LPC_BIND_NFIELDS; f++)
        if (strlen(field_names[f]) == kl && memcmp(field_names[f], k, kl) == 0) return f;
    return -1;
}

static lpc_err fail(tbuf *t, const char *what, const char *s, size_t n)
{
    tb_str(t, what);
    if (s) tb_put(t, s, n);
    return LPC_ERR_BINDING;
}

static lpc_err parse_inner(const char *msg, size_t len, lpc_binding_parts *parts, tbuf *t)
{
    if (len > LPC_BINDING_MAX_LEN) {
        tb_str(t, "binding message longer than the limit");
        return LPC_ERR_TOO_LARGE;
    }
    if (!lpc_utf8_valid((const uint8_t *)msg, len, 0, NULL)) {
        tb_str(t, "binding message is not valid UTF-8");
        return LPC_ERR_UTF8;
    }

    /* tokens[0] must be the prefix exactly. */
    tokiter it = { msg ? msg : "", len, 0, 0 };
    const char *tk;
    size_t tl;
    tok_next(&it, &tk, &tl);
    const size_t plen = sizeof LPC_BINDING_PREFIX - 1;
    if (tl != plen || memcmp(tk, LPC_BINDING_PREFIX, plen) != 0)
        return fail(t, "Invalid prefix: expected " LPC_BINDING_PREFIX, NULL, 0);

    /* Every further token is key=value split at the first '='; a repeated key
     * (known or not) is rejected when it is met, before any later token. */
    const size_t first_pos = it.pos;
    int unknown_count = 0;
    while (tok_next(&it, &tk, &tl)) {
        const char *eq = memchr(tk, '=', tl);
        if (!eq) return fail(t, "Malformed token (no '='): ", tk, tl);
        size_t kl = (size_t)(eq - tk);
        /* Earlier tokens all had '=' (else we had returned): compare keys. */
        tokiter prev = { it.s, it.len, first_pos, 0 };
        const char *pk;
        size_t pl;
        while (tok_next(&prev, &pk, &pl) && pk != tk) {
            const char *peq = memchr(pk, '=', pl);
            if ((size_t)(peq - pk) == kl && memcmp(pk, tk, kl) == 0)
                return fail(t, "Duplicate key: ", tk, kl);
        }
        int f = field_of(tk, kl);
        if (f < 0) {
            unknown_count++;
            continue;
        }
        parts->field[f].ptr = eq + 1;
        parts->field[f].len = tl - kl - 1;
        parts->order[parts->nfields++] = (lpc_binding_field)f;
    }

    if (unknown_count) {
        tb_str(t, "Unknown keys: {");
        tokiter u = { it.s, it.len, first_pos, 0 };
        int written = 0;
        while (tok_next(&u, &tk, &tl)) {
            size_t kl = (size_t)((const char *)memchr(tk, '=', tl) - tk);
            if (field_of(tk, kl) >= 0) continue;
            if (written++) tb_str(t, ", ");
            tb_repr(t, tk, kl);
        }
        tb_str(t, "}");
        return LPC_ERR_BINDING;
    }

    static const lpc_binding_field required[] = {
        LPC_BIND_NETUID, LPC_BIND_CHAIN, LPC_BIND_ENCLAVE_PUBKEY, LPC_BIND_CODE_HASH
    };
    int missing = 0;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (parts->field[required[i]].ptr) continue;
        tb_str(t, missing++ ? ", " : "Missing required keys: {");
        tb_repr(t, field_names[required[i]], strlen(field_names[required[i]]));
    }
    if (missing) {
        tb_str(t, "}");
        return LPC_ERR_BINDING;
    }
    return LPC_OK;
}

lpc_err lpc_binding_parse(const char *msg, size_t len, lpc_binding_parts *parts,
                          char err[LPC_BINDING_ERR_MAX])
{
    tbuf t = { err, 0, LPC_BINDING_ERR_MAX };
    if (err) err[0] = '\0';
    if (!parts || (len && !msg)) return LPC_ERR_ARG;
    memset(parts, 0, sizeof *parts);
    lpc_err e = parse_inner(msg, len, parts, &t);
    if (e != LPC_OK) memset(parts, 0, sizeof *parts);   /* fail closed: nothing usable */
    return e;
}

/* ---- field checks ------------------------------------------------------ */

static int view_eq(lpc_strview a, lpc_strview b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

lpc_err lpc_binding_check_fields(const lpc_binding_parts *parts, int64_t expected_netuid,
                                 lpc_strview expected_chain,
                                 lpc_strview expected_enclave_pubkey,
                                 lpc_strview expected_code_hash,
                                 char err[LPC_BINDING_ERR_MAX])
{
    tbuf t = { err, 0, LPC_BINDING_ERR_MAX };
    if (err) err[0] = '\0';
    if (!parts) return LPC_ERR_ARG;
    for (int f = LPC_BIND_NETUID; f <= LPC_BIND_CODE_HASH; f++)
        if (!parts->field[f].ptr)
            return fail(&t, "binding message lacks ", field_names[f], strlen(field_names[f]));

    int64_t netuid;
    lpc_err e = lpc_py_int_parse(parts->field[LPC_BIND_NETUID].ptr,
                                 parts->field[LPC_BIND_NETUID].len, &netuid);
    if (e == LPC_ERR_RANGE || (e == LPC_OK && netuid != expected_netuid)) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)expected_netuid);
        tb_str(&t, "netuid mismatch: message has ");
        tb_repr(&t, parts->field[LPC_BIND_NETUID].ptr, parts->field[LPC_BIND_NETUID].len);
        return fail(&t, ", expected ", num, strlen(num));
    }
    if (e != LPC_OK) {
        tb_str(&t, "netuid is not an integer: ");
        tb_repr(&t, parts->field[LPC_BIND_NETUID].ptr, parts->field[LPC_BIND_NETUID].len);
        return LPC_ERR_BINDING;
    }
    if (!view_eq(parts->field[LPC_BIND_CHAIN], expected_chain))
        return fail(&t, "chain mismatch", NULL, 0);
    if (!view_eq(parts->field[LPC_BIND_ENCLAVE_PUBKEY], expected_enclave_pubkey))
        return fail(&t, "enclave_pubkey mismatch", NULL, 0);
    if (!view_eq(parts->field[LPC_BIND_CODE_HASH], expected_code_hash))
        return fail(&t, "validator_code_hash mismatch", NULL, 0);
    return LPC_OK;
}

/* ---- Python int(str) --------------------------------------------------- */

/* Code points with Unicode decimal value 0 (CPython 3.11 unicodedata 14.0.0);
 * each starts a run of ten consecutive digits 0..9. */
static const uint32_t nd_zero[] = {
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66,
    0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810,
    0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
    0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30,
    0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
    0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140,
    0x1e2f0, 0x1e950, 0x1fbf0
};

int lpc_py_decimal_digit(uint32_t c)
{
    for (size_t i = 0; i < sizeof nd_zero / sizeof nd_zero[0]; i++)
        if (c >= nd_zero[i] && c < nd_zero[i] + 10) return (int)(c - nd_zero[i]);
    return -1;
}

static int ascii_space(int c)      /* Py_ISSPACE */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

#define PY_INT_MAX_STR_DIGITS 4300

/* CPython: _PyUnicode_TransformDecimalAndSpaceToASCII maps each code point
 * >= 127 to ' ' (Unicode space) or '0'+d (decimal digit) or stops with an
 * error; then PyLong_FromString(base 10) parses the ASCII text. */
lpc_err lpc_py_int_parse(const char *s, size_t len, int64_t *out)
{
    if (!out || (len && !s)) return LPC_ERR_ARG;
    const unsigned char *p = (const unsigned char *)s;
    enum { LEAD, SIGN, DIGIT, UNDER, TRAIL } st = LEAD;
    int neg = 0, overflow = 0;
    size_t ndigits = 0;
    uint64_t mag = 0;
    const uint64_t limit = (uint64_t)INT64_MAX + 1;   /* |INT64_MIN| */

    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = lpc_utf8_next(p + i, len - i, 0, &c);
        if (!n) return LPC_ERR_UTF8;
        i += n;
        int ch;                                  /* the ASCII stand-in */
        if (c < 127) ch = (int)c;
        else if (lpc_py_isspace(c)) ch = ' ';
        else {
            int d = lpc_py_decimal_digit(c);
            if (d < 0) return LPC_ERR_SYNTAX;
            ch = '0' + d;
        }
        if (ch >= '0' && ch <= '9') {
            if (st == TRAIL) return LPC_ERR_SYNTAX;
            st = DIGIT;
            ndigits++;
            if (mag > (limit - (uint64_t)(ch - '0')) / 10) overflow = 1;
            else mag = mag * 10 + (uint64_t)(ch - '0');
        } else if (ch == '_') {
            if (st != DIGIT) return LPC_ERR_SYNTAX;   /* only between digits */
            st = UNDER;
        } else if (ascii_space(ch)) {
            if (st == SIGN || st == UNDER) return LPC_ERR_SYNTAX;
            if (st == DIGIT) st = TRAIL;
        } else if (ch == '+' || ch == '-') {
            if (st != LEAD) return LPC_ERR_SYNTAX;
            neg = ch == '-';
            st = SIGN;
        } else {
            return LPC_ERR_SYNTAX;
        }
    }
    if (st != DIGIT && st != TRAIL) return LPC_ERR_SYNTAX;
    if (ndigits > PY_INT_MAX_STR_DIGITS) return LPC_ERR_INT_DIGITS;
    if (overflow || (!neg && mag > (uint64_t)INT64_MAX)) return LPC_ERR_RANGE;
    *out = neg ? (mag == limit ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return LPC_OK;
}
