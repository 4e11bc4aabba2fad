/* Python float repr / round / float(str).  Spec: leadpoet-formats.md §1.2.
 * Relies on glibc's correctly rounded printf("%.*e"/"%.*f") and strtod, which
 * round half-to-even on the exact binary value.
 *
 * Locale: neither conversion may follow LC_NUMERIC (review small defect 1).  strtod is
 * only ever handed "[-]digits e [-]digits", which has no radix character, and such a
 * subject sequence means the same in every locale (C11 7.22.1.3p3-5: only the
 * decimal-point character is locale-specific; glibc accepts no other forms in strtod).
 * printf's output is read digit by digit, so whatever radix character it writes is
 * skipped (an ASCII or UTF-8 radix has no byte in '0'..'9' or 'e').  No locale object,
 * no global state. */
#include "canonical/lpc_num.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Exponents beyond this are clamped: a mantissa held in memory has far fewer than 10^16
 * digits, so past +-10^17 the value is +-inf or +-0 either way. */
#define DEC_EXP_CLAMP 100000000000000000LL

/* (a[0..na) b[0..nb)) x 10^exp10 correctly rounded: strtod over "[-]ab e exp10". */
static lpc_err dec_value(int neg, const char *a, size_t na, const char *b, size_t nb, int64_t exp10, double *out)
{
    char small[128], *buf = small;
    if (na > SIZE_MAX / 2 || nb > SIZE_MAX / 2 - LPC_I64_DEC_MAX - 4) return LPC_ERR_TOO_LARGE;
    size_t need = na + nb + LPC_I64_DEC_MAX + 4;
    if (need > sizeof small && !(buf = malloc(need))) return LPC_ERR_NOMEM;
    size_t k = 0;
    if (neg) buf[k++] = '-';
    if (na) memcpy(buf + k, a, na);
    k += na;
    if (nb) memcpy(buf + k, b, nb);
    k += nb;
    buf[k++] = 'e';
    k += lpc_i64_to_dec(exp10, buf + k);
    buf[k] = 0;
    char *end;
    double d = strtod(buf, &end);
    int whole = end == buf + k;
    if (buf != small) free(buf);
    if (!whole) return LPC_ERR_SYNTAX;  /* not reached: the text is of strtod's expected form */
    *out = d;
    return LPC_OK;
}

/* Clinger's fast path: with at most 15 significant digits the decimal mantissa M is
 * exact in binary64, and for |k| <= 22 so is 10^k, so M * 10^k or M / 10^-k is one
 * correctly rounded operation, equal to strtod.  0 when it does not apply. */
static int clinger(int neg, uint64_t m, size_t sig_digits, int64_t exp10, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    return 0;   /* the product or quotient must round once, to binary64 */
#endif
    if (sig_digits > 15 || exp10 < -22 || exp10 > 22) return 0;
    double d = (double)m;
    d = exp10 < 0 ? d / pow10[-exp10] : d * pow10[exp10];
    *out = neg ? -d : d;
    return 1;
}

/* The run of digits of s[i..n) from i on: accumulates the first 16 significant ones
 * into *m (leading zeros are not significant), counts them in *sig (16 stands for "more
 * than 15": Clinger's path no longer applies) and returns the end of the run. */
static inline size_t take_digits(const char *s, size_t n, size_t i, uint64_t *m, size_t *sig)
{
    uint64_t acc = *m;
    size_t k = *sig;
    for (; i < n && is_digit(s[i]) && k < 16; i++) {
        if (k == 0 && s[i] == '0') continue;
        acc = acc * 10 + (uint64_t)(s[i] - '0');
        k++;
    }
    while (i < n && is_digit(s[i])) i++;
    *m = acc;
    *sig = k;
    return i;
}

lpc_err lpc_decimal_to_double(const char *s, size_t n, double *out)
{
    if (!out || (!s && n)) return LPC_ERR_ARG;
    size_t i = 0, sig = 0;
    uint64_t m = 0;
    int neg = n > 0 && s[0] == '-';
    i += (size_t)neg;
    size_t a = i;
    i = take_digits(s, n, i, &m, &sig);
    size_t na = i - a, b = i, nb = 0;
    if (i < n && s[i] == '.') {
        b = ++i;
        i = take_digits(s, n, i, &m, &sig);
        nb = i - b;
    }
    if (na + nb == 0) return LPC_ERR_SYNTAX;
    int64_t e = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = i < n && s[i] == '-';
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t es = i;
        for (; i < n && is_digit(s[i]); i++)
            if (e < DEC_EXP_CLAMP) e = e * 10 + (s[i] - '0');
        if (i == es) return LPC_ERR_SYNTAX;
        if (e > DEC_EXP_CLAMP) e = DEC_EXP_CLAMP;
        if (eneg) e = -e;
    }
    if (i != n) return LPC_ERR_SYNTAX;
    if (nb > (size_t)DEC_EXP_CLAMP) return LPC_ERR_TOO_LARGE;
    int64_t exp10 = e - (int64_t)nb;  /* the fraction's digits join the mantissa */
    if (clinger(neg, m, sig, exp10, out)) return LPC_OK;
    return dec_value(neg, s + a, na, s + b, nb, exp10, out);
}

/* The digits (without the radix character), their count and the decimal exponent E of
 * s, printf's "%.*e" of a positive value: s ~= d1.d2...dn x 10^E. */
static int parse_e(const char *s, char *digits, int *nd, int *exp10)
{
    /* s is "d<radix>ddd e[+-]XX" or "de[+-]XX" from %.*e of a positive value */
    int n = 0;
    const char *p = s;
    for (; *p && *p != 'e'; p++)
        if (is_digit(*p)) digits[n++] = *p;
    if (*p != 'e') return 0;
    p++;
    int eneg = *p == '-';
    if (*p == '-' || *p == '+') p++;
    int x = 0;
    for (; is_digit(*p); p++) x = x * 10 + (*p - '0');
    *exp10 = eneg ? -x : x;
    *nd = n;
    return 1;
}

/* The double nearest d1.d2...dn x 10^exp10. */
static double digits_value(const char *digits, int nd, int exp10)
{
    double d = 0;
    uint64_t m = 0;
    size_t sig = 0;
    take_digits(digits, (size_t)nd, 0, &m, &sig);
    if (!clinger(0, m, sig, exp10 - (nd - 1), &d))
        dec_value(0, digits, (size_t)nd, "", 0, exp10 - (nd - 1), &d);  /* nd <= 17: no allocation */
    return d;
}

static int round_trips(const char *digits, int nd, int exp10, double ax)
{
    return digits_value(digits, nd, exp10) == ax;
}

/* Adds delta (+1/-1) to the nd-digit integer in digits; adjusts exponent on carry/borrow.
 * Returns 0 when the result would have a different number of digits in an
 * unrepresentable way (borrow below 10^(nd-1) with nd == 1 and digit 0). */
static int step_digits(char *digits, int *nd, int *exp10, int delta)
{
    int n = *nd;
    if (delta > 0) {
        int i = n - 1;
        while (i >= 0 && digits[i] == '9') digits[i--] = '0';
        if (i < 0) { /* 99..9 + 1 = 100..0: one digit "1" at exponent+1 */
            digits[0] = '1';
            *nd = 1;
            *exp10 += 1;
            return 1;
        }
        digits[i]++;
    } else {
        int i = n - 1;
        while (i >= 0 && digits[i] == '0') digits[i--] = '9';
        if (i < 0) return 0;
        digits[i]--;
        if (digits[0] == '0') { /* 100..0 - 1 = 99..9 with one digit fewer */
            if (n == 1) return 0;
            memmove(digits, digits + 1, (size_t)n - 1);
            *nd = n - 1;
            *exp10 -= 1;
        }
    }
    /* strip trailing zeros */
    while (*nd > 1 && digits[*nd - 1] == '0') (*nd)--;
    return 1;
}

/* Nearest p-significant-digit decimal of ax; 1 when it reads back as ax. */
static int nearest_round_trips(double ax, int p, char *d, int *n, int *e)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.*e", p - 1, ax);
    parse_e(buf, d, n, e);
    return digits_value(d, *n, *e) == ax;
}

/* Fast path of shortest() for 1e-7 <= ax < 1e15 whose repr has at most 14
 * significant digits (the common case: values rounded to a few decimals).
 * At scale s the candidates are M * 10^-s; while they have q <= 15
 * significant digits their spacing (> 10^-q * ax) exceeds the width of ax's
 * rounding interval (<= 2^-52 * ax), so at most one of them reads back as ax,
 * and it is the one nearest ax * 10^s, within +-1 of round(fl(ax * 10^s))
 * (error <= 2^-53 * 10^15 < 0.5).  M < 2^53 and 10^|s| with |s| <= 22 are
 * exact, so M / 10^s (or M * 10^-s) is one correctly rounded operation, the
 * value strtod gives the decimal (Clinger).  Scales are tried upwards from one
 * below the leading digit (log10 may be off by one near powers of ten), so
 * the first hit has the fewest digits.  Returns 1 with the digits, 0 when ax is
 * in range but no candidate of <= 14 digits reads back (its repr has 15 to 17
 * digits), -1 when ax is out of this path's range. */
static int fast_shortest(double ax, char *digits, int *nd, int *exp10)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    return -1;  /* products and quotients must round once, to binary64 */
#endif
    if (!(ax >= 1e-7 && ax < 1e15)) return -1;
    int e10 = (int)floor(log10(ax));
    for (int s = -e10 - 1; s <= 13 - e10; s++) {
        double y = s >= 0 ? ax * p10[s] : ax / p10[-s];
        double m0 = nearbyint(y);
        for (int k = 0; k < 3; k++) {
            double m = m0 + (k == 0 ? 0.0 : k == 1 ? -1.0 : 1.0);
            if (m < 1.0) continue;
            double r = s >= 0 ? m / p10[s] : m * p10[-s];
            if (r != ax) continue;
            char t[24];
            uint64_t mi = (uint64_t)m;   /* m < 2^53: an exact integer */
            int n = 0;
            for (uint64_t q = mi; q; q /= 10) n++;
            if (n > 17) return -1;
            for (int i = n - 1; i >= 0; i--, mi /= 10) t[i] = (char)('0' + mi % 10);
            int e = n - 1 - s;
            while (n > 1 && t[n - 1] == '0') n--;
            memcpy(digits, t, (size_t)n);
            *nd = n;
            *exp10 = e;
            return 1;
        }
    }
    return 0;
}

/* Shortest round-trip digits of finite non-zero ax: digits (no dot), count and decimal
 * exponent E with ax ~= d1.d2...dn x 10^E. */
static void shortest(double ax, char *digits, int *nd, int *exp10)
{
    int fast = fast_shortest(ax, digits, nd, exp10);
    if (fast == 1) return;
    char d[24], t[24];
    int n, e, m;
    frexp(ax, &m);
    int pow2 = ldexp(1.0, m - 1) == ax;
    if (!pow2) {
        /* Symmetric rounding interval: a p-digit decimal round-trips iff the
         * nearest one does, and that property is monotone in p: binary search
         * (from 15 digits when the fast path ruled out fewer). */
        int lo = fast == 0 ? 15 : 1, hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (nearest_round_trips(ax, mid, d, &n, &e)) hi = mid;
            else lo = mid + 1;
        }
        nearest_round_trips(ax, lo, d, &n, &e);
        goto found;
    }
    for (int p = 1; p <= 17; p++) {
        if (nearest_round_trips(ax, p, d, &n, &e)) goto found;
        /* At a power of two the interval is asymmetric: the nearest p-digit decimal
         * may fall outside it while its neighbour across x is inside. */
        double near = digits_value(d, n, e);
        memcpy(t, d, (size_t)n);
        int tn = n, te = e;
        if (step_digits(t, &tn, &te, near < ax ? +1 : -1) && tn <= p && round_trips(t, tn, te, ax)) {
            memcpy(d, t, (size_t)tn);
            n = tn;
            e = te;
            goto found;
        }
    }
    nearest_round_trips(ax, 17, d, &n, &e); /* 17 digits always round-trip */
found:
    while (n > 1 && d[n - 1] == '0') n--;
    memcpy(digits, d, (size_t)n);
    *nd = n;
    *exp10 = e;
}

size_t lpc_float_repr(double x, char out[LPC_REPR_MAX])
{
    if (isnan(x)) { strcpy(out, "nan"); return 3; }
    if (isinf(x)) { strcpy(out, x > 0 ? "inf" : "-inf"); return strlen(out); }
    size_t k = 0;
    if (signbit(x)) out[k++] = '-';
    if (x == 0) { strcpy(out + k, "0.0"); return k + 3; }
    char d[24];
    int n, e;
    shortest(fabs(x), d, &n, &e);
    if (e >= -4 && e < 16) {
        if (e < 0) {
            out[k++] = '0';
            out[k++] = '.';
            for (int i = 0; i < -e - 1; i++) out[k++] = '0';
            for (int i = 0; i < n; i++) out[k++] = d[i];
        } else {
            for (int i = 0; i <= e; i++) out[k++] = i < n ? d[i] : '0';
            out[k++] = '.';
            if (n > e + 1) {
                for (int i = e + 1; i < n; i++) out[k++] = d[i];
            } else {
                out[k++] = '0';
            }
        }
        out[k] = 0;
        return k;
    }
    out[k++] = d[0];
    if (n > 1) {
        out[k++] = '.';
        for (int i = 1; i < n; i++) out[k++] = d[i];
    }
    /* e, sign, at least two exponent digits (|E| <= 324) */
    unsigned ae = (unsigned)(e < 0 ? -e : e);
    out[k++] = 'e';
    out[k++] = e < 0 ? '-' : '+';
    if (ae >= 100) out[k++] = (char)('0' + ae / 100);
    out[k++] = (char)('0' + ae / 10 % 10);
    out[k++] = (char)('0' + ae % 10);
    out[k] = 0;
    return k;
}

size_t lpc_i64_to_dec(int64_t x, char out[LPC_I64_DEC_MAX])
{
    char tmp[LPC_I64_DEC_MAX];
    size_t n = 0, len = 0;
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (x < 0) out[len++] = '-';
    while (n) out[len++] = tmp[--n];
    return len;
}

/* CPython floatobject.c: NDIGITS_MAX = (DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103 */
#define PY_ROUND_NDIGITS_MAX 323

double lpc_py_round(double x, int ndigits)
{
    if (!isfinite(x) || x == 0) return x;
    if (ndigits > PY_ROUND_NDIGITS_MAX) return x;
    if (ndigits < 0) return NAN; /* unsupported: see header */
    /* "[-]int<radix>frac": |x| < 2^1024 has at most 309 integer digits; a radix of up
     * to 16 bytes fits */
    char buf[1 + 309 + 16 + PY_ROUND_NDIGITS_MAX + 1], digits[309 + PY_ROUND_NDIGITS_MAX];
    int w = snprintf(buf, sizeof buf, "%.*f", ndigits, x);
    if (w < 0 || (size_t)w >= sizeof buf) return NAN;  /* not reached */
    size_t nd = 0, nfrac = 0;
    int in_frac = 0;
    for (const char *p = buf; *p; p++) {
        if (is_digit(*p)) {
            digits[nd++] = *p;
            nfrac += (size_t)in_frac;
        } else if (p != buf) {
            in_frac = 1;  /* the radix character, whatever it is */
        }
    }
    if (nfrac != (size_t)ndigits) return NAN;  /* not reached */
    double r;
    if (dec_value(buf[0] == '-', digits, nd, "", 0, -(int64_t)ndigits, &r) != LPC_OK) return NAN;
    return r;
}

double lpc_py_round0(double x)
{
    return nearbyint(x);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int ci_eq(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != lit[i]) return 0;
    }
    return 1;
}

/* digitpart: digit (['_'] digit)*; copies digits to *o, returns chars consumed or 0. */
static size_t digitpart(const char *s, size_t n, char **o)
{
    size_t i = 0;
    if (i >= n || s[i] < '0' || s[i] > '9') return 0;
    *(*o)++ = s[i++];
    while (i < n) {
        if (s[i] >= '0' && s[i] <= '9') {
            *(*o)++ = s[i++];
        } else if (s[i] == '_' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
        } else {
            break;
        }
    }
    return i;
}

#define PY_FLOAT_STR_MAX 4096

lpc_err lpc_py_float_from_str(const char *s, size_t len, double *out)
{
    if (!s || !out) return LPC_ERR_ARG;
    while (len && is_ws(*s)) { s++; len--; }
    while (len && is_ws(s[len - 1])) len--;
    if (len == 0) return LPC_ERR_SYNTAX;
    if (len > PY_FLOAT_STR_MAX) return LPC_ERR_TOO_LARGE;
    int neg = 0;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-') { neg = s[0] == '-'; i = 1; }
    if (ci_eq(s + i, len - i, "inf") || ci_eq(s + i, len - i, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return LPC_OK;
    }
    if (ci_eq(s + i, len - i, "nan")) {
        *out = neg ? -NAN : NAN;
        return LPC_OK;
    }
    char buf[PY_FLOAT_STR_MAX + 2];
    char *o = buf;
    if (neg) *o++ = '-';
    size_t k = digitpart(s + i, len - i, &o);
    int have = k > 0;
    i += k;
    if (i < len && s[i] == '.') {
        *o++ = '.';
        i++;
        k = digitpart(s + i, len - i, &o);
        have |= k > 0;
        i += k;
    }
    if (!have) return LPC_ERR_SYNTAX;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        *o++ = 'e';
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) *o++ = s[i++];
        k = digitpart(s + i, len - i, &o);
        if (!k) return LPC_ERR_SYNTAX;
        i += k;
    }
    if (i != len) return LPC_ERR_SYNTAX;
    return lpc_decimal_to_double(buf, (size_t)(o - buf), out);
}
